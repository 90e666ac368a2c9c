//! What a record is connected to, as its page lists it: partnerships, projects and the
//! reports owed (`maillage_domain::connections`), each a link to its own page.

use maillage_domain::connections::Connections;
use maillage_domain::kinds::{PartnershipStatus, ProjectStatus};

use crate::membership::Member;
use crate::pages::{label_in, local_datetime, tenant_zone};

/// One connected record: its name, its page, and what to know about it.
pub struct ConnectedLine {
    pub title: String,
    pub href: String,
    pub said: String,
    pub warn: bool,
}

#[derive(Default)]
pub struct ConnectionsView {
    pub partnerships: Vec<ConnectedLine>,
    pub projects: Vec<ConnectedLine>,
    pub deadlines: Vec<ConnectedLine>,
}

impl ConnectionsView {
    pub fn of(connections: Connections, member: &Member) -> Self {
        let slug = &member.tenant.slug;
        let zone = tenant_zone(member);
        let said = |parts: &[&str]| {
            parts
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let through = |name: &Option<String>| {
            name.as_ref()
                .map(|name| format!("par {name}"))
                .unwrap_or_default()
        };
        Self {
            partnerships: connections
                .partnerships
                .into_iter()
                .map(|p| ConnectedLine {
                    href: format!("/t/{slug}/partnerships/{}", p.id),
                    said: said(&[
                        label_in(PartnershipStatus::CHOICES, &p.status, "Clos"),
                        &p.role,
                        &through(&p.through),
                    ]),
                    warn: false,
                    title: p.title,
                })
                .collect(),
            projects: connections
                .projects
                .into_iter()
                .map(|p| ConnectedLine {
                    href: format!("/t/{slug}/projects/{}", p.id),
                    said: said(&[
                        label_in(ProjectStatus::CHOICES, &p.status, "Abandonné"),
                        &p.role,
                        &through(&p.through),
                    ]),
                    warn: false,
                    title: p.name,
                })
                .collect(),
            deadlines: connections
                .deadlines
                .into_iter()
                .map(|d| {
                    let relation = match (d.relation.as_str(), &d.for_name) {
                        ("funder", _) => "dû à cette organisation".to_owned(),
                        (_, Some(name)) => format!("pour {name}"),
                        _ => String::new(),
                    };
                    let state = match d.status.as_str() {
                        "late" => "en retard",
                        "submitted" => "rendu",
                        "waived" => "dispensé",
                        _ => "à rendre",
                    };
                    ConnectedLine {
                        href: format!("/t/{slug}/deadlines/{}", d.id),
                        said: said(&[
                            &format!("{state}, le {}", local_datetime(d.due_at, zone)),
                            &relation,
                        ]),
                        warn: d.status == "late",
                        title: d.title,
                    }
                })
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.partnerships.is_empty() && self.projects.is_empty() && self.deadlines.is_empty()
    }
}
