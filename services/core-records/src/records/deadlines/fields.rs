//! What a deadline's form or body may set, and the checks each field passes.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::model::Deadline;
use super::recurrence::RecurrenceInput;
use crate::Error;
use crate::language::{one_of, reader, said};
use crate::records::{Checks, present};

/// Statuses a user sets; "late" is never stored, it is read off the clock.
const RECORDED_STATUSES: [&str; 3] = ["upcoming", "submitted", "waived"];

/// The statuses a deadline is given, for the document.
fn status_schema() -> Object {
    maillage_runtime::api::one_of_or_null(&RECORDED_STATUSES)
}
/// More people than this answering for one report is a mistake.
const MAX_RESPONSIBLES: usize = 20;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineInput {
    #[schema(min_length = 1, max_length = 300)]
    title: Option<String>,
    #[serde(default, deserialize_with = "present")]
    funder_id: Option<Option<Uuid>>,
    due_at: Option<DateTime<Utc>>,
    #[schema(schema_with = status_schema)]
    status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    submitted_at: Option<Option<DateTime<Utc>>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(max_length = 200)]
    submission_reference: Option<Option<String>>,
    /// Why the deadline is no longer owed, with `status` waived (kept while it stays
    /// waived, cleared when it is reopened or submitted).
    #[serde(default, deserialize_with = "present")]
    #[schema(max_length = 500)]
    waiver_reason: Option<Option<String>>,
    responsible_user_ids: Option<Vec<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    project_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "present")]
    partnership_id: Option<Option<Uuid>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
    /// On creation only: makes the deadline the first of a series.
    pub(super) recurrence: Option<RecurrenceInput>,
}

impl DeadlineInput {
    /// What a change to one occurrence passes on to the following ones: who, for whom
    /// and what, but not the date, the status or the submission, which are each one's own.
    pub(super) fn for_following(&self) -> Self {
        Self {
            title: self.title.clone(),
            funder_id: self.funder_id,
            responsible_user_ids: self.responsible_user_ids.clone(),
            project_id: self.project_id,
            partnership_id: self.partnership_id,
            notes: self.notes.clone(),
            ..Self::default()
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct DeadlineFields {
    pub(super) title: String,
    pub(super) funder_id: Option<Uuid>,
    pub(super) due_at: DateTime<Utc>,
    pub(super) status: String,
    pub(super) submitted_at: Option<DateTime<Utc>>,
    pub(super) submission_reference: Option<String>,
    pub(super) waiver_reason: Option<String>,
    pub(super) responsible_user_ids: Vec<Uuid>,
    pub(super) project_id: Option<Uuid>,
    pub(super) partnership_id: Option<Uuid>,
    pub(super) notes: String,
}

impl DeadlineFields {
    pub(super) fn of(deadline: &Deadline) -> Self {
        Self {
            title: deadline.title.clone(),
            funder_id: deadline.funder_id,
            due_at: deadline.due_at,
            status: deadline.recorded_status.clone(),
            submitted_at: deadline.submitted_at,
            submission_reference: deadline.submission_reference.clone(),
            waiver_reason: deadline.waiver_reason.clone(),
            responsible_user_ids: deadline.responsible_user_ids.clone(),
            project_id: deadline.project_id,
            partnership_id: deadline.partnership_id,
            notes: deadline.notes.clone(),
        }
    }

    /// On create there is no previous value: the due date is then required, and the
    /// author answers for the deadline unless someone else is named.
    pub(super) fn merge(
        previous: Option<Self>,
        input: DeadlineInput,
        actor: Uuid,
    ) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let title = checks.text(
            "title",
            &input
                .title
                .or_else(|| previous.as_ref().map(|p| p.title.clone()))
                .unwrap_or_default(),
            true,
            300,
        );
        let due_at = input.due_at.or(previous.as_ref().map(|p| p.due_at));
        if due_at.is_none() {
            checks.push("due_at", &said("check-due-at-required"));
        }
        let status = input
            .status
            .or_else(|| previous.as_ref().map(|p| p.status.clone()))
            .unwrap_or_else(|| "upcoming".into());
        if !RECORDED_STATUSES.contains(&status.as_str()) {
            checks.push("status", &one_of(&["upcoming", "submitted", "waived"]));
        }
        let submitted_at = match (status.as_str(), input.submitted_at) {
            ("submitted", Some(Some(at))) => Some(at),
            ("submitted", Some(None)) => Some(Utc::now()),
            ("submitted", None) => previous
                .as_ref()
                .and_then(|p| p.submitted_at)
                .or(Some(Utc::now())),
            _ => None,
        };
        let reference = input.submission_reference.unwrap_or_else(|| {
            previous
                .as_ref()
                .and_then(|p| p.submission_reference.clone())
        });
        let waiver_reason = if status == "waived" {
            let reason = input
                .waiver_reason
                .unwrap_or_else(|| previous.as_ref().and_then(|p| p.waiver_reason.clone()));
            checks.optional_text("waiver_reason", reason.as_deref(), 500)
        } else {
            if input
                .waiver_reason
                .flatten()
                .is_some_and(|r| !r.trim().is_empty())
            {
                checks.push("waiver_reason", &said("check-waived-only"));
            }
            None
        };
        let mut responsible_user_ids = input
            .responsible_user_ids
            .or_else(|| previous.as_ref().map(|p| p.responsible_user_ids.clone()))
            .unwrap_or_else(|| vec![actor]);
        responsible_user_ids.sort();
        responsible_user_ids.dedup();
        if responsible_user_ids.is_empty() {
            checks.push("responsible_user_ids", &said("check-one-member"));
        } else if responsible_user_ids.len() > MAX_RESPONSIBLES {
            checks.push(
                "responsible_user_ids",
                &reader().t1("check-most-members", "max", MAX_RESPONSIBLES),
            );
        }
        if input.recurrence.is_some() && previous.is_some() {
            checks.push("recurrence", &said("check-recurrence-fixed"));
        }
        let fields = Self {
            title,
            funder_id: input
                .funder_id
                .unwrap_or_else(|| previous.as_ref().and_then(|p| p.funder_id)),
            due_at: due_at.unwrap_or_default(),
            status,
            submitted_at,
            submission_reference: checks.optional_text(
                "submission_reference",
                reference.as_deref(),
                200,
            ),
            waiver_reason,
            project_id: input
                .project_id
                .unwrap_or_else(|| previous.as_ref().and_then(|p| p.project_id)),
            partnership_id: input
                .partnership_id
                .unwrap_or_else(|| previous.as_ref().and_then(|p| p.partnership_id)),
            responsible_user_ids,
            notes: checks.text(
                "notes",
                &input
                    .notes
                    .or_else(|| previous.map(|p| p.notes))
                    .unwrap_or_default(),
                false,
                10_000,
            ),
        };
        checks.finish()?;
        Ok(fields)
    }
}

/// Where a new deadline goes: on its own, or as the `occurrence`-th of a series.
#[derive(Clone, Copy)]
pub(super) struct NewDeadline {
    pub(super) due_at: DateTime<Utc>,
    pub(super) series_id: Option<Uuid>,
    pub(super) occurrence: Option<i32>,
}
