//! The history a row may carry besides its records: an activity about its person (or
//! organisation) — a meeting, a call — and an engagement of theirs — a donation, a
//! membership fee, a grant, hours of volunteering — read from the cells the way French
//! spreadsheets write them.

use chrono::NaiveDate;
use maillage_domain::kinds::{ActivityKind, EngagementKind};

use crate::mapping::fold;

/// An activity a row records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityPart {
    pub on: NaiveDate,
    pub kind: ActivityKind,
    /// The kind's name when the file gives no subject.
    pub subject: String,
    pub body: String,
}

/// An engagement a row records: an amount, or hours for volunteering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngagementPart {
    pub kind: EngagementKind,
    pub on: NaiveDate,
    /// In euro cents, for every kind but volunteering.
    pub amount_cents: Option<i64>,
    /// For volunteering.
    pub minutes: Option<i32>,
    pub campaign: String,
}

/// The history cells of one row, gathered before they are checked together.
#[derive(Debug, Default)]
pub(crate) struct HistoryReading {
    pub(crate) activity_on: Option<NaiveDate>,
    pub(crate) activity_kind: Option<ActivityKind>,
    pub(crate) activity_subject: String,
    pub(crate) activity_body: String,
    pub(crate) engagement_kind: Option<EngagementKind>,
    pub(crate) amount_cents: Option<i64>,
    pub(crate) minutes: Option<i32>,
    pub(crate) engagement_on: Option<NaiveDate>,
    pub(crate) campaign: String,
}

impl HistoryReading {
    /// The row's activity and engagement, or why they cannot be taken.
    pub(crate) fn finish(
        self,
    ) -> Result<(Option<ActivityPart>, Option<EngagementPart>), &'static str> {
        let names_activity = self.activity_on.is_some()
            || self.activity_kind.is_some()
            || !self.activity_subject.is_empty()
            || !self.activity_body.is_empty();
        let activity = if names_activity {
            let on = self.activity_on.ok_or("l'activité n'a pas de date")?;
            let kind = self.activity_kind.unwrap_or(ActivityKind::Note);
            let subject = if self.activity_subject.is_empty() {
                kind.label().to_owned()
            } else {
                self.activity_subject
            };
            Some(ActivityPart {
                on,
                kind,
                subject,
                body: self.activity_body,
            })
        } else {
            None
        };
        let names_engagement = self.engagement_on.is_some()
            || self.engagement_kind.is_some()
            || self.amount_cents.is_some()
            || self.minutes.is_some()
            || !self.campaign.is_empty();
        let engagement = if names_engagement {
            let kind = match self.engagement_kind {
                Some(kind) => kind,
                None if self.amount_cents.is_none() && self.minutes.is_some() => {
                    EngagementKind::Volunteering
                }
                None => EngagementKind::Donation,
            };
            let on = self.engagement_on.ok_or("l'engagement n'a pas de date")?;
            let (amount_cents, minutes) = if kind == EngagementKind::Volunteering {
                let minutes = self
                    .minutes
                    .ok_or("le bénévolat se compte en heures : la durée manque")?;
                (None, Some(minutes))
            } else {
                let amount = self.amount_cents.ok_or("l'engagement n'a pas de montant")?;
                (Some(amount), None)
            };
            Some(EngagementPart {
                kind,
                on,
                amount_cents,
                minutes,
                campaign: self.campaign,
            })
        } else {
            None
        };
        Ok((activity, engagement))
    }
}

/// An activity's kind in the words of French and English files (CiviCRM's included).
pub fn activity_kind(value: &str) -> Result<ActivityKind, String> {
    let kind = match fold(value).as_str() {
        "reunion" | "rendez vous" | "rdv" | "entretien" | "meeting" => ActivityKind::Meeting,
        "appel" | "appel telephonique" | "telephone" | "call" | "phone call" => ActivityKind::Call,
        "e mail" | "email" | "courriel" | "mail" | "inbound email" | "outbound email" => {
            ActivityKind::Email
        }
        "evenement" | "manifestation" | "event" | "event registration" => ActivityKind::Event,
        "note" | "commentaire" | "remarque" => ActivityKind::Note,
        _ => {
            return Err(format!(
                "type d'activité « {value} » inconnu : réunion, appel, e-mail, événement ou note"
            ));
        }
    };
    Ok(kind)
}

/// An engagement's kind in the words of French and English files (CiviCRM's "Financial
/// Type" included).
pub fn engagement_kind(value: &str) -> Result<EngagementKind, String> {
    let kind = match fold(value).as_str() {
        "don" | "dons" | "donation" | "contribution" | "gift" => EngagementKind::Donation,
        "cotisation" | "adhesion" | "membership" | "membership fee" | "member dues" | "dues" => {
            EngagementKind::MembershipFee
        }
        "benevolat" | "volunteering" | "volunteer" => EngagementKind::Volunteering,
        "abonnement" | "subscription" => EngagementKind::Subscription,
        "achat" | "vente" | "billetterie" | "purchase" | "event fee" => EngagementKind::Purchase,
        "mecenat" | "parrainage" | "sponsoring" | "sponsorship" => EngagementKind::Sponsorship,
        "subvention" | "grant" => EngagementKind::Grant,
        "don en nature" | "in kind" | "in kind donation" | "gift in kind" => EngagementKind::InKind,
        "legs" | "bequest" | "legacy" => EngagementKind::Bequest,
        _ => {
            return Err(format!(
                "type d'engagement « {value} » inconnu : subvention, don, don en nature, legs, cotisation, mécénat, bénévolat, abonnement ou achat"
            ));
        }
    };
    Ok(kind)
}

/// The most an amount may be: a billion euros, in cents.
const MAX_CENTS: i64 = 100_000_000_000;

/// An amount in euros to cents: "1 234,50 €", "1234.5", "1.234,50", "1,234.50", "EUR 20".
/// The last of a comma and a point is the decimal one; a point followed by exactly three
/// digits alone ("12.500") separates thousands, as French spreadsheets write it.
pub fn amount_cents(value: &str) -> Result<i64, String> {
    let unreadable = || format!("« {value} » n'est pas un montant en euros");
    let trimmed = value
        .trim()
        .trim_end_matches('€')
        .trim_end_matches("EUR")
        .trim_start_matches("EUR")
        .trim_start_matches('€');
    let kept: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if kept.is_empty()
        || !kept
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Err(unreadable());
    }
    let decimal = match (kept.rfind(','), kept.rfind('.')) {
        (Some(comma), Some(point)) => Some(comma.max(point)),
        (Some(comma), None) => Some(comma),
        (None, Some(point)) => {
            let thousands = kept.matches('.').count() > 1 || kept.len() - point - 1 == 3;
            (!thousands).then_some(point)
        }
        (None, None) => None,
    };
    let (whole, fraction) = match decimal {
        Some(at) => (&kept[..at], &kept[at + 1..]),
        None => (kept.as_str(), ""),
    };
    let whole: String = whole.chars().filter(char::is_ascii_digit).collect();
    if fraction.len() > 2 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return Err(unreadable());
    }
    let euros: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| unreadable())?
    };
    let cents: i64 = format!("{fraction:0<2}")
        .parse()
        .map_err(|_| unreadable())?;
    let total = euros
        .checked_mul(100)
        .and_then(|c| c.checked_add(cents))
        .filter(|c| *c <= MAX_CENTS)
        .ok_or_else(unreadable)?;
    Ok(total)
}

/// Hours of volunteering to minutes: "2", "2,5", "2.5", "2h30", "2 h", "1:15", "45 min".
pub fn minutes(value: &str) -> Result<i32, String> {
    let unreadable = || format!("« {value} » n'est pas une durée (2,5 ou 2h30)");
    let folded: String = value
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let number = |text: &str| -> Option<f64> {
        if text.is_empty()
            || !text
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        {
            return None;
        }
        text.replace(',', ".").parse().ok()
    };
    let total = if let Some(minutes) = folded.strip_suffix("min") {
        number(minutes)
    } else if let Some((hours, rest)) = folded.split_once(['h', ':']) {
        let rest = rest.trim_end_matches("min");
        let minutes = if rest.is_empty() {
            Some(0.0)
        } else {
            number(rest)
        };
        number(hours)
            .zip(minutes.filter(|m| *m < 60.0 && m.fract() == 0.0))
            .map(|(hours, minutes)| hours * 60.0 + minutes)
    } else {
        number(&folded).map(|hours| hours * 60.0)
    };
    // A year's hours at most.
    match total.map(f64::round) {
        Some(minutes) if (1.0..=366.0 * 24.0 * 60.0).contains(&minutes) => Ok(minutes as i32),
        _ => Err(unreadable()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_the_french_way_and_others() {
        for (written, cents) in [
            ("1 234,50 €", 123_450),
            ("1\u{202f}234,5", 123_450),
            ("1234.50", 123_450),
            ("1.234,50", 123_450),
            ("1,234.50", 123_450),
            ("12.500", 1_250_000),
            ("EUR 20", 2_000),
            ("20€", 2_000),
            ("0,99", 99),
        ] {
            assert_eq!(amount_cents(written), Ok(cents), "{written}");
        }
        for refused in [
            "",
            "douze",
            "-12",
            "1,234",
            "12,345.678",
            "1e9",
            "99999999999999",
        ] {
            assert!(amount_cents(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn hours_are_read_as_minutes() {
        for (written, minutes) in [
            ("2", 120),
            ("2,5", 150),
            ("2.5", 150),
            ("2h30", 150),
            ("2 h", 120),
            ("1:15", 75),
            ("45 min", 45),
        ] {
            assert_eq!(self::minutes(written), Ok(minutes), "{written}");
        }
        for refused in ["0", "deux heures", "2h75", "-1", "100000"] {
            assert!(self::minutes(refused).is_err(), "{refused}");
        }
    }

    #[test]
    fn kinds_are_read_in_french_and_english() {
        assert_eq!(activity_kind("Réunion"), Ok(ActivityKind::Meeting));
        assert_eq!(activity_kind("Phone Call"), Ok(ActivityKind::Call));
        assert!(activity_kind("Tâche").is_err());
        assert_eq!(
            engagement_kind("Member Dues"),
            Ok(EngagementKind::MembershipFee)
        );
        assert_eq!(engagement_kind("SUBVENTION"), Ok(EngagementKind::Grant));
        assert!(engagement_kind("prêt").is_err());
    }
}
