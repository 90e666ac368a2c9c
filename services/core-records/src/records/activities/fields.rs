//! What an activity's form or body may set, and the checks each field passes.

use chrono::{DateTime, Utc};
use maillage_domain::kinds::ActivityKind;
use serde::Deserialize;
use sqlx::PgConnection;
use utoipa::openapi::schema::Object;
use uuid::Uuid;

use super::model::{Activity, Links};
use crate::Error;
use crate::error::ResultExt;
use crate::language::{one_of, said};
use crate::records::{Checks, present};

/// The kinds of activity, for the document.
fn kind_schema() -> Object {
    maillage_runtime::api::one_of_or_null(ActivityKind::VALUES)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    #[schema(schema_with = kind_schema)]
    kind: Option<String>,
    occurred_at: Option<DateTime<Utc>>,
    #[schema(min_length = 1, max_length = 300)]
    subject: Option<String>,
    #[schema(max_length = 50_000)]
    body: Option<String>,
    #[serde(default, deserialize_with = "present")]
    due_at: Option<Option<DateTime<Utc>>>,
    /// Tasks: true marks it done now, false reopens it.
    done: Option<bool>,
    /// Replaces all the links.
    links: Option<Links>,
}

impl ActivityInput {
    /// A task, as a form would send it.
    pub(super) fn task(subject: String, body: String, due_at: DateTime<Utc>, links: Links) -> Self {
        Self {
            kind: Some("task".into()),
            occurred_at: None,
            subject: Some(subject),
            body: Some(body),
            due_at: Some(Some(due_at)),
            done: None,
            links: Some(links),
        }
    }
}

pub(super) struct ActivityFields {
    pub(super) kind: String,
    pub(super) occurred_at: DateTime<Utc>,
    pub(super) subject: String,
    pub(super) body: String,
    pub(super) due_at: Option<DateTime<Utc>>,
    pub(super) done_at: Option<DateTime<Utc>>,
    pub(super) links: Links,
}

impl ActivityFields {
    pub(super) fn merge(previous: Option<&Activity>, input: ActivityInput) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let kind = input
            .kind
            .or(previous.map(|p| p.kind.clone()))
            .unwrap_or_default();
        if !ActivityKind::VALUES.contains(&kind.as_str()) {
            checks.push("kind", &one_of(ActivityKind::VALUES));
        }
        let is_task = kind == "task";
        let due_at = input.due_at.unwrap_or(previous.and_then(|p| p.due_at));
        let done_at = match input.done {
            Some(true) => previous.and_then(|p| p.done_at).or(Some(Utc::now())),
            Some(false) => None,
            None => previous.and_then(|p| p.done_at),
        };
        if !is_task && (due_at.is_some() || done_at.is_some()) {
            checks.push("due_at", &said("check-task-only"));
        }
        let links = input
            .links
            .or(previous.map(|p| p.links.clone()))
            .unwrap_or_default();
        if links.people.len()
            + links.organisations.len()
            + links.partnerships.len()
            + links.projects.len()
            > 100
        {
            checks.push("links", &said("check-hundred-links"));
        }
        let subject = input
            .subject
            .or(previous.map(|p| p.subject.clone()))
            .unwrap_or_default();
        let body = input
            .body
            .or(previous.map(|p| p.body.clone()))
            .unwrap_or_default();
        let fields = Self {
            occurred_at: input
                .occurred_at
                .or(previous.map(|p| p.occurred_at))
                .unwrap_or_else(Utc::now),
            subject: checks.text("subject", &subject, true, 300),
            body: checks.text("body", &body, false, 50_000),
            kind,
            due_at,
            done_at,
            links,
        };
        checks.finish()?;
        Ok(fields)
    }

    pub(super) async fn save_links(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
    ) -> Result<(), Error> {
        sqlx::query!(
            "delete from activity_links where tenant_id = $1 and activity_id = $2",
            tenant_id,
            id
        )
        .execute(&mut *conn)
        .await?;
        let unknown =
            |field: &'static str| move || Error::field(field, &said("check-link-elsewhere"));
        sqlx::query!(
            r#"insert into activity_links (tenant_id, id, activity_id, person_id, organisation_id, partnership_id, project_id)
               select $1::uuid, gen_random_uuid(), $2::uuid, person_id, null::uuid, null::uuid, null::uuid
               from unnest($3::uuid[]) as person_id
               union all
               select $1, gen_random_uuid(), $2, null, organisation_id, null, null from unnest($4::uuid[]) as organisation_id
               union all
               select $1, gen_random_uuid(), $2, null, null, partnership_id, null from unnest($5::uuid[]) as partnership_id
               union all
               select $1, gen_random_uuid(), $2, null, null, null, project_id from unnest($6::uuid[]) as project_id"#,
            tenant_id,
            id,
            &self.links.people,
            &self.links.organisations,
            &self.links.partnerships,
            &self.links.projects,
        )
        .execute(&mut *conn)
        .await
        .on_constraint("activity_links_person_fkey", unknown("links.people"))
        .on_constraint("activity_links_organisation_fkey", unknown("links.organisations"))
        .on_constraint("activity_links_partnership_fkey", unknown("links.partnerships"))
        .on_constraint("activity_links_project_fkey", unknown("links.projects"))?;
        Ok(())
    }
}
