//! Reading and writing deadlines.

use chrono_tz::Tz;
use sqlx::PgConnection;
use uuid::Uuid;

use super::fields::{DeadlineFields, NewDeadline};
use super::model::Deadline;
use crate::Error;
use crate::error::ResultExt;
use crate::language::said;
use crate::records::the_one;

impl DeadlineFields {
    /// Writes the deadline's row, a new one when `new_in` says where it goes, and who
    /// answers for it.
    pub(super) async fn write(
        &self,
        conn: &mut PgConnection,
        tenant_id: Uuid,
        id: Uuid,
        new_in: Option<NewDeadline>,
    ) -> Result<(), Error> {
        let result = match new_in {
            Some(new) => {
                sqlx::query!(
                    r#"insert into reporting_deadlines
                           (tenant_id, id, title, funder_id, due_at, status, submitted_at, submission_reference,
                            notes, project_id, partnership_id, series_id, occurrence, waiver_reason)
                       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"#,
                    tenant_id,
                    id,
                    self.title,
                    self.funder_id,
                    new.due_at,
                    self.status,
                    self.submitted_at,
                    self.submission_reference,
                    self.notes,
                    self.project_id,
                    self.partnership_id,
                    new.series_id,
                    new.occurrence,
                    self.waiver_reason,
                )
                .execute(&mut *conn)
                .await
            }
            None => {
                sqlx::query!(
                    r#"update reporting_deadlines
                       set title = $3, funder_id = $4, due_at = $5, status = $6, submitted_at = $7,
                           submission_reference = $8, notes = $9, project_id = $10, partnership_id = $11,
                           waiver_reason = $12, version = version + 1, updated_at = now()
                       where tenant_id = $1 and id = $2"#,
                    tenant_id,
                    id,
                    self.title,
                    self.funder_id,
                    self.due_at,
                    self.status,
                    self.submitted_at,
                    self.submission_reference,
                    self.notes,
                    self.project_id,
                    self.partnership_id,
                    self.waiver_reason,
                )
                .execute(&mut *conn)
                .await
            }
        };
        result
            .on_constraint("reporting_deadlines_funder_fkey", || {
                Error::field("funder_id", &said("check-no-such-organisation"))
            })
            .on_constraint("reporting_deadlines_project_fkey", || {
                Error::field("project_id", &said("check-no-such-project"))
            })
            .on_constraint("reporting_deadlines_partnership_fkey", || {
                Error::field("partnership_id", &said("check-no-such-partnership"))
            })?;
        sqlx::query!(
            r#"delete from deadline_responsibles
               where tenant_id = $1 and deadline_id = $2 and user_id <> all($3)"#,
            tenant_id,
            id,
            &self.responsible_user_ids,
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query!(
            r#"insert into deadline_responsibles (tenant_id, deadline_id, user_id)
               select $1, $2, unnest($3::uuid[])
               on conflict do nothing"#,
            tenant_id,
            id,
            &self.responsible_user_ids,
        )
        .execute(conn)
        .await
        .on_constraint("deadline_responsibles_member_fkey", || {
            Error::field("responsible_user_ids", &said("check-members"))
        })?;
        Ok(())
    }
}

/// The later occurrences of `deadline`'s series still to be submitted, in date order.
pub(super) async fn following(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    deadline: &Deadline,
) -> Result<Vec<Uuid>, Error> {
    let Some(series_id) = deadline.series_id else {
        return Ok(Vec::new());
    };
    Ok(sqlx::query_scalar!(
        r#"select id from reporting_deadlines
           where tenant_id = $1 and series_id = $2 and status = 'upcoming'
             and (due_at, id) > ($3, $4)
           order by due_at, id"#,
        tenant_id,
        series_id,
        deadline.due_at,
        deadline.id,
    )
    .fetch_all(conn)
    .await?)
}

/// The tenant's time zone, in which recurring dates are stepped.
pub(super) async fn tenant_zone(conn: &mut PgConnection, tenant_id: Uuid) -> Result<Tz, Error> {
    let zone = sqlx::query_scalar!("select time_zone from tenants where id = $1", tenant_id)
        .fetch_one(conn)
        .await?;
    Ok(zone.parse().unwrap_or(chrono_tz::Europe::Paris))
}

pub(super) async fn fetch(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Deadline, Error> {
    the_one(fetch_many(conn, tenant_id, &[id]).await?)
}

/// These deadlines, in the order of `ids`.
pub(super) async fn fetch_many(
    conn: &mut PgConnection,
    tenant_id: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Deadline>, Error> {
    Ok(sqlx::query_as!(
        Deadline,
        r#"select id as "id!", title as "title!", funder_id, funder_name as "funder_name?", due_at as "due_at!",
                  status as "status!", recorded_status as "recorded_status!", submitted_at, submission_reference,
                  waiver_reason, responsible_user_ids as "responsible_user_ids!", project_id, project_name as "project_name?",
                  partnership_id, partnership_title as "partnership_title?", series_id, occurrence,
                  recurrence as "recurrence?", series_working_days as "working_days?", notes as "notes!", version as "version!",
                  created_at as "created_at!", updated_at as "updated_at!"
           from deadline_overview
           where tenant_id = $1 and id = any($2)
           order by array_position($2, id)"#,
        tenant_id,
        ids,
    )
    .fetch_all(conn)
    .await?)
}
