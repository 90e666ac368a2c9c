//! What a record is connected to, as its page lists it: partnerships, projects and the
//! reports owed (`maillage_domain::connections`), each a link to its own page.

use maillage_domain::connections::Connections;
use maillage_domain::kinds::{PartnershipStatus, ProjectStatus};

use crate::membership::Member;
use crate::pages::tenant_zone;

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
        let lang = member.lang();
        let said = |parts: &[&str]| {
            parts
                .iter()
                .filter(|part| !part.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" · ")
        };
        let named = |id: &str, name: &Option<String>| {
            name.as_ref()
                .map(|name| lang.t_with(id, &[("name", name.as_str().into())]))
                .unwrap_or_default()
        };
        let value = |list: &str, value: &str| lang.t(&format!("{list}-{value}"));
        Self {
            partnerships: connections
                .partnerships
                .into_iter()
                .map(|p| ConnectedLine {
                    href: format!("/t/{slug}/partnerships/{}", p.id),
                    said: said(&[
                        &value(PartnershipStatus::MESSAGE_PREFIX, &p.status),
                        &p.role,
                        &named("record-through", &p.through),
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
                        &value(ProjectStatus::MESSAGE_PREFIX, &p.status),
                        &p.role,
                        &named("record-through", &p.through),
                    ]),
                    warn: false,
                    title: p.name,
                })
                .collect(),
            deadlines: connections
                .deadlines
                .into_iter()
                .map(|d| {
                    let relation = match d.relation.as_str() {
                        "funder" => lang.t("record-owed-to-this-organisation"),
                        _ => named("record-owed-for", &d.for_name),
                    };
                    let state = lang.t_with(
                        "record-deadline-state",
                        &[
                            ("status", d.status.as_str().into()),
                            ("at", lang.date_time(d.due_at, zone).into()),
                        ],
                    );
                    ConnectedLine {
                        href: format!("/t/{slug}/deadlines/{}", d.id),
                        said: said(&[&state, &relation]),
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
