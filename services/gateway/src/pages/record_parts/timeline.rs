//! A record's surroundings: its tags, its timeline of activities and its changes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maillage_domain::connections::Connections;
use maillage_domain::kinds::ActivityKind;
use serde::Deserialize;
use uuid::Uuid;

use super::connections::ConnectionsView;
use super::listing::Listing;
use crate::Error;
use crate::membership::Member;
use crate::pages::{label_in, local_datetime, tenant_zone};
use crate::state::AppState;

/// An activity as the timeline shows it.
pub struct TimelineEntry {
    pub id: Uuid,
    pub version: i64,
    pub kind: &'static str,
    pub when: String,
    pub subject: String,
    pub body: String,
    /// A task's state: "à faire pour le …", "faite le …"; none for other activities.
    pub task: Option<TaskState>,
}

pub struct TaskState {
    pub done: bool,
    pub said: String,
}

#[derive(Debug, Deserialize)]
struct ActivityRow {
    id: Uuid,
    version: i64,
    kind: String,
    occurred_at: DateTime<Utc>,
    subject: String,
    body: String,
    due_at: Option<DateTime<Utc>>,
    done_at: Option<DateTime<Utc>>,
}

impl ActivityRow {
    fn task_state(&self, zone: Tz) -> Option<TaskState> {
        if self.kind != "task" {
            return None;
        }
        Some(match (self.done_at, self.due_at) {
            (Some(done), _) => TaskState {
                done: true,
                said: format!("faite le {}", local_datetime(done, zone)),
            },
            (None, Some(due)) => TaskState {
                done: false,
                said: format!("à faire pour le {}", local_datetime(due, zone)),
            },
            (None, None) => TaskState {
                done: false,
                said: "à faire".into(),
            },
        })
    }
}

pub fn activity_label(kind: &str) -> &'static str {
    label_in(ActivityKind::CHOICES, kind, "Note")
}

#[derive(Debug, Deserialize)]
struct Tags {
    tags: Vec<String>,
}

/// One change of a record, as its page tells it.
pub struct ChangeEntry {
    pub when: String,
    pub who: String,
    pub what: String,
}

#[derive(Debug, Deserialize)]
struct AuditRow {
    at: DateTime<Utc>,
    actor_name: Option<String>,
    action: String,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
}

/// A record's field as people call it; none for what changes with every write.
fn field_said(field: &str) -> Option<&str> {
    Some(match field {
        "version" | "updated_at" | "created_at" | "deleted_at" | "id" | "next_statuses" => {
            return None;
        }
        "given_name" => "prénom",
        "family_name" => "nom",
        "name" => "nom",
        "title" => "intitulé",
        "email" | "emails" => "e-mails",
        "phone" | "phones" => "téléphones",
        "address" => "adresse",
        "email_consent" | "consent_basis" | "consent_on" | "consent_source" => "consentement",
        "notes" => "notes",
        "status" => "état",
        "kind" => "type",
        "sector" => "secteur",
        "territory" => "territoire",
        "website" => "site web",
        "starts_on" => "début",
        "ends_on" => "fin",
        "description" => "description",
        "target_population" => "public visé",
        "owner_user_id" => "responsable",
        "milestones" => "jalons",
        "budget" | "budget_lines" => "budget",
        "partners" => "partenaires",
        "agreement" => "convention",
        "next_evaluation_on" => "prochaine évaluation",
        "custom" => "champs personnalisés",
        other => other,
    })
}

impl AuditRow {
    /// "a modifié : nom, adresse", "a créé la fiche"…
    fn what(&self) -> String {
        match self.action.as_str() {
            "create" => "a créé la fiche".into(),
            "delete" => "a mis la fiche à la corbeille".into(),
            "restore" => "a restauré la fiche".into(),
            "merge" => "y a fusionné un doublon".into(),
            _ => {
                let (before, after) = (self.before.as_ref(), self.after.as_ref());
                let empty = serde_json::Map::new();
                let before = before.and_then(|b| b.as_object()).unwrap_or(&empty);
                let after = after.and_then(|a| a.as_object()).unwrap_or(&empty);
                let mut changed: Vec<&str> = before
                    .keys()
                    .chain(after.keys())
                    .filter(|key| before.get(*key) != after.get(*key))
                    .filter_map(|key| field_said(key))
                    .collect();
                let mut seen = Vec::new();
                changed.retain(|f| {
                    let first = !seen.contains(f);
                    seen.push(*f);
                    first
                });
                if changed.is_empty() {
                    "a modifié la fiche".into()
                } else {
                    format!("a modifié : {}", changed.join(", "))
                }
            }
        }
    }
}

/// The tags, latest activities, latest changes and connections of one record: `record`
/// is its API path, `/v1/people/{id}`, `/v1/projects/{id}`…
pub struct Surroundings {
    pub tags: Vec<String>,
    /// The partnerships, projects and reports it is connected to.
    pub connections: ConnectionsView,
    pub timeline: Vec<TimelineEntry>,
    /// Newest first: who changed the record, when, what.
    pub changes: Vec<ChangeEntry>,
    /// The record's web page, `/t/{slug}/people/{id}`…, where its forms lead back.
    pub page_path: String,
}

impl Surroundings {
    pub async fn of(state: &AppState, member: &Member, record: &str) -> Result<Self, Error> {
        let id = record.rsplit('/').next().unwrap_or_default();
        let (tags_path, timeline_path, audit_path, connections_path) = (
            format!("{record}/tags"),
            format!("{record}/timeline?limit=20"),
            format!("/v1/audit?record_id={id}&limit=10"),
            format!("{record}/connections"),
        );
        let (tags, activities, audit, connections): (
            Tags,
            Listing<ActivityRow>,
            Listing<AuditRow>,
            Connections,
        ) = tokio::try_join!(
            state.core.get(member, &tags_path),
            state.core.get(member, &timeline_path),
            state.core.get(member, &audit_path),
            state.core.get(member, &connections_path),
        )?;
        let zone = tenant_zone(member);
        let timeline = activities
            .items
            .into_iter()
            .map(|a| TimelineEntry {
                task: a.task_state(zone),
                id: a.id,
                version: a.version,
                kind: activity_label(&a.kind),
                when: local_datetime(a.occurred_at, zone),
                subject: a.subject,
                body: a.body,
            })
            .collect();
        let changes = audit
            .items
            .into_iter()
            .map(|row| ChangeEntry {
                when: local_datetime(row.at, zone),
                who: row.actor_name.clone().unwrap_or_else(|| "Quelqu'un".into()),
                what: row.what(),
            })
            .collect();
        Ok(Self {
            tags: tags.tags,
            connections: ConnectionsView::of(connections, member),
            timeline,
            changes,
            page_path: format!(
                "/t/{}{}",
                member.tenant.slug,
                record.trim_start_matches("/v1")
            ),
        })
    }
}
