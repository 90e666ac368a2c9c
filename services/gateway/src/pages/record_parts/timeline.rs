//! A record's surroundings: its tags, its timeline of activities and its changes.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maillage_domain::connections::Connections;
use maillage_domain::kinds::ActivityKind;
use maillage_i18n::Lang;
use serde::Deserialize;
use uuid::Uuid;

use super::connections::ConnectionsView;
use super::listing::Listing;
use crate::Error;
use crate::membership::Member;
use crate::pages::{label_in, tenant_zone};
use crate::state::AppState;

/// An activity as the timeline shows it.
pub struct TimelineEntry {
    pub id: Uuid,
    pub version: i64,
    pub kind: String,
    pub when: String,
    pub subject: String,
    pub body: String,
    /// A task's state: "to do by …", "done on …"; none for other activities.
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
    fn task_state(&self, lang: Lang, zone: Tz) -> Option<TaskState> {
        if self.kind != "task" {
            return None;
        }
        let at = |id: &str, at: DateTime<Utc>| {
            lang.t_with(id, &[("at", lang.date_time(at, zone).into())])
        };
        Some(match (self.done_at, self.due_at) {
            (Some(done), _) => TaskState {
                done: true,
                said: at("record-task-done", done),
            },
            (None, Some(due)) => TaskState {
                done: false,
                said: at("record-task-due", due),
            },
            (None, None) => TaskState {
                done: false,
                said: lang.t("record-task-to-do"),
            },
        })
    }
}

pub fn activity_label(kind: &str) -> &'static str {
    label_in(ActivityKind::CHOICES, kind, "Note")
}

/// The name of an activity's kind in `lang` (a note's, for a kind not known here).
fn activity_name(lang: Lang, kind: &str) -> String {
    let id = format!("{}-{kind}", ActivityKind::MESSAGE_PREFIX);
    lang.t(if lang.has(&id) {
        &id
    } else {
        "activity-kind-note"
    })
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

/// A record's field as people call it, in `lang`; none for what changes with every
/// write.
fn field_said(lang: Lang, field: &str) -> Option<String> {
    if matches!(
        field,
        "version" | "updated_at" | "created_at" | "deleted_at" | "id" | "next_statuses"
    ) {
        return None;
    }
    Some(field_message(field).map_or_else(|| field.to_owned(), |id| lang.t(id)))
}

/// The catalogue's name of a record's field, when it has one.
fn field_message(field: &str) -> Option<&'static str> {
    Some(match field {
        "given_name" => "record-field-given-name",
        "family_name" => "record-field-name",
        "name" => "record-field-name",
        "title" => "record-field-title",
        "email" | "emails" => "record-field-emails",
        "phone" | "phones" => "record-field-phones",
        "address" => "record-field-address",
        "email_consent" | "consent_basis" | "consent_on" | "consent_source" => {
            "record-field-consent"
        }
        "notes" => "record-field-notes",
        "status" => "record-field-status",
        "kind" => "record-field-kind",
        "sector" => "record-field-sector",
        "territory" => "record-field-territory",
        "website" => "record-field-website",
        "starts_on" => "record-field-starts-on",
        "ends_on" => "record-field-ends-on",
        "description" => "record-field-description",
        "target_population" => "record-field-target-population",
        "owner_user_id" => "record-field-owner",
        "milestones" => "record-field-milestones",
        "budget" | "budget_lines" => "record-field-budget",
        "partners" => "record-field-partners",
        "agreement" => "record-field-agreement",
        "next_evaluation_on" => "record-field-next-evaluation",
        "custom" => "record-field-custom",
        _ => return None,
    })
}

impl AuditRow {
    /// "changed: name, address", "created the record"…, in `lang`.
    fn what(&self, lang: Lang) -> String {
        let id = match self.action.as_str() {
            "create" => "record-change-created",
            "delete" => "record-change-binned",
            "restore" => "record-change-restored",
            "merge" => "record-change-merged",
            _ => {
                let (before, after) = (self.before.as_ref(), self.after.as_ref());
                let empty = serde_json::Map::new();
                let before = before.and_then(|b| b.as_object()).unwrap_or(&empty);
                let after = after.and_then(|a| a.as_object()).unwrap_or(&empty);
                let mut changed: Vec<String> = Vec::new();
                for field in before
                    .keys()
                    .chain(after.keys())
                    .filter(|key| before.get(*key) != after.get(*key))
                    .filter_map(|key| field_said(lang, key))
                {
                    if !changed.contains(&field) {
                        changed.push(field);
                    }
                }
                if changed.is_empty() {
                    "record-change-changed"
                } else {
                    return lang.t_with(
                        "record-change-changed-fields",
                        &[("fields", changed.join(", ").into())],
                    );
                }
            }
        };
        lang.t(id)
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
        let lang = member.lang();
        let timeline = activities
            .items
            .into_iter()
            .map(|a| TimelineEntry {
                task: a.task_state(lang, zone),
                id: a.id,
                version: a.version,
                kind: activity_name(lang, &a.kind),
                when: lang.date_time(a.occurred_at, zone),
                subject: a.subject,
                body: a.body,
            })
            .collect();
        let changes = audit
            .items
            .into_iter()
            .map(|row| ChangeEntry {
                when: lang.date_time(row.at, zone),
                who: row
                    .actor_name
                    .clone()
                    .unwrap_or_else(|| lang.t("record-someone")),
                what: row.what(lang),
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
