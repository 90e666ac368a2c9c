//! The closed lists records choose from, declared once: core-records checks a record's
//! value against them and documents them in the OpenAPI document, the gateway's forms
//! offer them by their French names. Each value is written as stored and sent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// An enum of the values of one list, with the value and French name of each; the
/// pages name them from the message catalogues, under the list's message prefix.
macro_rules! closed_list {
    (
        $(#[$doc:meta])*
        $name:ident, $refusal:literal, $message:literal {
            $($variant:ident = $value:literal, $label:literal;)+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $value)] $variant,)+
        }

        impl $name {
            /// Every value, in the order forms offer them.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];
            /// Each value as stored and sent, in that order.
            pub const VALUES: &'static [&'static str] = &[$($value,)+];
            /// Each value with its French name, in that order: a form's choices.
            pub const CHOICES: &'static [(&'static str, &'static str)] = &[$(($value, $label),)+];
            /// What the ids of their names in the message catalogues begin with.
            pub const MESSAGE_PREFIX: &'static str = $message;

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $value,)+
                }
            }

            /// Its French name.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label,)+
                }
            }

            /// The id of its name in the pages' message catalogues (`maillage_i18n`):
            /// "organisation-kind-funder", for the pages to name it in their language.
            pub fn message_id(self) -> &'static str {
                match self {
                    $(Self::$variant => concat!($message, "-", $value),)+
                }
            }

            /// What a refused value is told (in French): the values it may take.
            pub fn expected() -> String {
                one_of(Self::VALUES)
            }
        }

        impl FromStr for $name {
            type Err = ParseError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($value => Ok(Self::$variant),)+
                    _ => Err(ParseError($refusal)),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// "doit valoir a, b ou c".
fn one_of(values: &[&str]) -> String {
    match values.split_last() {
        Some((last, [])) => format!("doit valoir {last}"),
        Some((last, others)) => format!("doit valoir {} ou {last}", others.join(", ")),
        None => String::new(),
    }
}

closed_list! {
    /// What kind of organisation a workspace is for.
    TenantKind, "kind must be association, municipality, federation or other", "tenant-kind" {
        Association = "association", "Association";
        Municipality = "municipality", "Commune ou intercommunalité";
        Federation = "federation", "Fédération ou réseau";
        Other = "other", "Autre";
    }
}

closed_list! {
    /// What an organisation is to the tenant.
    OrganisationKind, "unknown organisation kind", "organisation-kind" {
        Funder = "funder", "Financeur";
        PublicBody = "public_body", "Organisme public";
        Association = "association", "Association";
        Company = "company", "Entreprise";
        Network = "network", "Réseau";
        Other = "other", "Autre";
    }
}

closed_list! {
    /// What a partnership is for.
    PartnershipKind, "unknown partnership kind", "partnership-kind" {
        Funding = "funding", "Financement";
        Operational = "operational", "Opérationnel";
        Institutional = "institutional", "Institutionnel";
        Network = "network", "Réseau";
    }
}

closed_list! {
    /// Where a partnership stands, in the order of its life.
    PartnershipStatus, "unknown partnership status", "partnership-status" {
        Prospect = "prospect", "Piste";
        Negotiating = "negotiating", "En négociation";
        Active = "active", "Actif";
        Evaluating = "evaluating", "En évaluation";
        Closed = "closed", "Clos";
    }
}

closed_list! {
    /// Where a project stands.
    ProjectStatus, "unknown project status", "project-status" {
        Planned = "planned", "Prévu";
        Running = "running", "En cours";
        Suspended = "suspended", "Suspendu";
        Completed = "completed", "Terminé";
        Cancelled = "cancelled", "Abandonné";
    }
}

closed_list! {
    /// What an activity of a timeline was (or, for a task, is to be).
    ActivityKind, "unknown activity kind", "activity-kind" {
        Meeting = "meeting", "Réunion";
        Call = "call", "Appel";
        Email = "email", "E-mail";
        Event = "event", "Événement";
        Note = "note", "Note";
        Task = "task", "Tâche";
    }
}

closed_list! {
    /// What a person or organisation gave or paid; a grant first, the most common
    /// income of an association.
    EngagementKind, "unknown engagement kind", "engagement-kind" {
        Grant = "grant", "Subvention";
        Donation = "donation", "Don";
        InKind = "in_kind", "Don en nature";
        Bequest = "bequest", "Legs";
        MembershipFee = "membership_fee", "Cotisation";
        Sponsorship = "sponsorship", "Mécénat";
        Volunteering = "volunteering", "Bénévolat";
        Subscription = "subscription", "Abonnement";
        Purchase = "purchase", "Achat";
    }
}

closed_list! {
    /// The legal basis (RGPD, article 6) on which a workspace holds and writes to a person.
    ConsentBasis, "unknown legal basis", "consent-basis" {
        Consent = "consent", "Consentement de la personne";
        Contract = "contract", "Contrat (adhésion, inscription…)";
        LegalObligation = "legal_obligation", "Obligation légale";
        VitalInterest = "vital_interest", "Intérêts vitaux";
        PublicTask = "public_task", "Mission d'intérêt public";
        LegitimateInterest = "legitimate_interest", "Intérêt légitime";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back_as_itself() {
        for kind in OrganisationKind::ALL {
            assert_eq!(kind.as_str().parse::<OrganisationKind>(), Ok(*kind));
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::from(kind.as_str()))
            );
        }
        for status in PartnershipStatus::ALL {
            assert_eq!(status.as_str().parse::<PartnershipStatus>(), Ok(*status));
        }
    }

    #[test]
    fn values_and_choices_follow_the_same_order() {
        let values: Vec<&str> = EngagementKind::CHOICES.iter().map(|(v, _)| *v).collect();
        assert_eq!(values, EngagementKind::VALUES);
        assert_eq!(EngagementKind::MembershipFee.label(), "Cotisation");
    }

    #[test]
    fn a_refused_value_is_told_every_value_it_may_take() {
        assert_eq!(
            PartnershipKind::expected(),
            "doit valoir funding, operational, institutional ou network"
        );
    }

    #[test]
    fn an_unknown_value_is_refused() {
        assert!("Financeur".parse::<OrganisationKind>().is_err());
        assert!("".parse::<ActivityKind>().is_err());
    }
}
