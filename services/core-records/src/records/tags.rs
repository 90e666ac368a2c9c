//! Tags: one vocabulary per tenant ("Bénévole", "Quartier Nord", "Financeur public"…),
//! put on people, organisations, partnerships and projects alike.

use axum::extract::State;
use axum::http::StatusCode;
use maillage_problem::{Json, Path};
use maillage_runtime::api::{ApiRouter, Doc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use super::Checks;
use crate::Error;
use crate::audit::{self, Action};
use crate::error::ResultExt;
use crate::identity::Identity;
use crate::language::said;
use crate::state::AppState;

pub fn router() -> ApiRouter<AppState> {
    let mut router = ApiRouter::new()
        .get(
            "/v1/tags",
            list,
            Doc::new("tags", "Étiquettes de l'espace et leur usage").returns::<TagList>(),
        )
        .post(
            "/v1/tags",
            create,
            Doc::new("tags", "Créer une étiquette")
                .body::<TagInput>()
                .created()
                .returns::<TagInput>(),
        )
        .patch(
            "/v1/tags/{id}",
            rename,
            Doc::new("tags", "Renommer une étiquette")
                .body::<TagInput>()
                .returns::<TagInput>(),
        )
        .delete(
            "/v1/tags/{id}",
            remove,
            Doc::new("tags", "Supprimer une étiquette").no_content(),
        );
    // The same two routes for each kind of record that takes tags.
    for (collection, kind) in [
        ("people", Tagged::Person),
        ("organisations", Tagged::Organisation),
        ("partnerships", Tagged::Partnership),
        ("projects", Tagged::Project),
    ] {
        let read = move |State(state): State<AppState>,
                         identity: Identity,
                         Path(id): Path<Uuid>| async move {
            read_tags(&state, &identity, kind, id).await
        };
        let replace = move |State(state): State<AppState>,
                            identity: Identity,
                            Path(id): Path<Uuid>,
                            Json(input): Json<RecordTags>| async move {
            set_tags(&state, &identity, kind, id, input).await
        };
        let path = format!("/v1/{collection}/{{id}}/tags");
        router = router
            .get(
                &path,
                read,
                Doc::new("tags", "Étiquettes d'une fiche").returns::<RecordTags>(),
            )
            .put(
                &path,
                replace,
                Doc::new("tags", "Remplacer les étiquettes d'une fiche")
                    .body::<RecordTags>()
                    .returns::<RecordTags>(),
            );
    }
    router
}

/// The kinds of record that take tags, each with its own link table.
#[derive(Clone, Copy)]
enum Tagged {
    Person,
    Organisation,
    Partnership,
    Project,
}

impl Tagged {
    fn record_type(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
            Self::Partnership => "partnership",
            Self::Project => "project",
        }
    }

    fn exists_sql(self) -> &'static str {
        match self {
            Self::Person => {
                "select 1 from people where tenant_id = $1 and id = $2 and deleted_at is null"
            }
            Self::Organisation => {
                "select 1 from organisations where tenant_id = $1 and id = $2 and deleted_at is null"
            }
            Self::Partnership => {
                "select 1 from partnerships where tenant_id = $1 and id = $2 and deleted_at is null"
            }
            Self::Project => {
                "select 1 from projects where tenant_id = $1 and id = $2 and deleted_at is null"
            }
        }
    }

    fn names_sql(self) -> &'static str {
        match self {
            Self::Person => {
                "select t.name from person_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                 where l.tenant_id = $1 and l.person_id = $2 order by maillage_search_text(t.name), t.name"
            }
            Self::Organisation => {
                "select t.name from organisation_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                 where l.tenant_id = $1 and l.organisation_id = $2 order by maillage_search_text(t.name), t.name"
            }
            Self::Partnership => {
                "select t.name from partnership_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                 where l.tenant_id = $1 and l.partnership_id = $2 order by maillage_search_text(t.name), t.name"
            }
            Self::Project => {
                "select t.name from project_tags l join tags t on t.tenant_id = l.tenant_id and t.id = l.tag_id
                 where l.tenant_id = $1 and l.project_id = $2 order by maillage_search_text(t.name), t.name"
            }
        }
    }

    fn clear_sql(self) -> &'static str {
        match self {
            Self::Person => "delete from person_tags where tenant_id = $1 and person_id = $2",
            Self::Organisation => {
                "delete from organisation_tags where tenant_id = $1 and organisation_id = $2"
            }
            Self::Partnership => {
                "delete from partnership_tags where tenant_id = $1 and partnership_id = $2"
            }
            Self::Project => "delete from project_tags where tenant_id = $1 and project_id = $2",
        }
    }

    /// Links the record to the tags named in $3 (which exist by then).
    fn link_sql(self) -> &'static str {
        match self {
            Self::Person => {
                "insert into person_tags (tenant_id, tag_id, person_id)
                 select $1, id, $2 from tags where tenant_id = $1 and lower(name) = any($3)"
            }
            Self::Organisation => {
                "insert into organisation_tags (tenant_id, tag_id, organisation_id)
                 select $1, id, $2 from tags where tenant_id = $1 and lower(name) = any($3)"
            }
            Self::Partnership => {
                "insert into partnership_tags (tenant_id, tag_id, partnership_id)
                 select $1, id, $2 from tags where tenant_id = $1 and lower(name) = any($3)"
            }
            Self::Project => {
                "insert into project_tags (tenant_id, tag_id, project_id)
                 select $1, id, $2 from tags where tenant_id = $1 and lower(name) = any($3)"
            }
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Tag {
    pub id: Uuid,
    pub name: String,
    /// How many live records carry it.
    pub people: i64,
    pub organisations: i64,
    pub partnerships: i64,
    pub projects: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct TagList {
    items: Vec<Tag>,
}

async fn list(State(state): State<AppState>, identity: Identity) -> Result<Json<TagList>, Error> {
    let mut tx = identity.begin(&state).await?;
    let items = sqlx::query_as!(
        Tag,
        r#"select t.id, t.name,
                  (select count(*) from person_tags l join people r on r.tenant_id = l.tenant_id and r.id = l.person_id
                   where l.tenant_id = t.tenant_id and l.tag_id = t.id and r.deleted_at is null) as "people!",
                  (select count(*) from organisation_tags l join organisations r on r.tenant_id = l.tenant_id and r.id = l.organisation_id
                   where l.tenant_id = t.tenant_id and l.tag_id = t.id and r.deleted_at is null) as "organisations!",
                  (select count(*) from partnership_tags l join partnerships r on r.tenant_id = l.tenant_id and r.id = l.partnership_id
                   where l.tenant_id = t.tenant_id and l.tag_id = t.id and r.deleted_at is null) as "partnerships!",
                  (select count(*) from project_tags l join projects r on r.tenant_id = l.tenant_id and r.id = l.project_id
                   where l.tenant_id = t.tenant_id and l.tag_id = t.id and r.deleted_at is null) as "projects!"
           from tags t where t.tenant_id = $1
           order by maillage_search_text(t.name), t.name, t.id"#,
        identity.0.tenant_id,
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(TagList { items }))
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct TagInput {
    #[schema(min_length = 1, max_length = 60)]
    name: String,
}

fn tag_name(checks: &mut Checks, field: &str, raw: &str) -> String {
    // Inner runs of spaces folded, so that "Quartier  Nord" is "Quartier Nord".
    checks
        .text(field, raw, true, 60)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Up to 50 tag names, each a required text of at most 60 characters.
fn tag_names_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(60)),
        )
        .max_items(Some(50))
        .build()
}

fn duplicate() -> Error {
    Error::field("name", &said("check-tag-exists"))
}

async fn create(
    State(state): State<AppState>,
    identity: Identity,
    Json(input): Json<TagInput>,
) -> Result<(StatusCode, Json<TagInput>), Error> {
    identity.require_editor()?;
    let mut checks = Checks::default();
    let name = tag_name(&mut checks, "name", &input.name);
    checks.finish()?;
    let mut tx = identity.begin(&state).await?;
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into tags (tenant_id, id, name) values ($1, $2, $3)",
        identity.0.tenant_id,
        id,
        name
    )
    .execute(&mut *tx)
    .await
    .on_constraint("tags_name_key", duplicate)?;
    let created = TagInput { name };
    audit::record(
        &mut tx,
        &identity,
        Action::Create,
        "tag",
        id,
        None,
        Some(&created),
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(created)))
}

async fn rename(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
    Json(input): Json<TagInput>,
) -> Result<Json<TagInput>, Error> {
    identity.require_editor()?;
    let mut checks = Checks::default();
    let name = tag_name(&mut checks, "name", &input.name);
    checks.finish()?;
    let mut tx = identity.begin(&state).await?;
    let before = sqlx::query_scalar!(
        "select name from tags where tenant_id = $1 and id = $2 for update",
        identity.0.tenant_id,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    sqlx::query!(
        "update tags set name = $3 where tenant_id = $1 and id = $2",
        identity.0.tenant_id,
        id,
        name
    )
    .execute(&mut *tx)
    .await
    .on_constraint("tags_name_key", duplicate)?;
    let after = TagInput { name };
    audit::record(
        &mut tx,
        &identity,
        Action::Update,
        "tag",
        id,
        Some(&TagInput { name: before }),
        Some(&after),
    )
    .await?;
    tx.commit().await?;
    Ok(Json(after))
}

async fn remove(
    State(state): State<AppState>,
    identity: Identity,
    Path(id): Path<Uuid>,
) -> Result<StatusCode, Error> {
    identity.require_editor()?;
    let mut tx = identity.begin(&state).await?;
    let name = sqlx::query_scalar!(
        "delete from tags where tenant_id = $1 and id = $2 returning name",
        identity.0.tenant_id,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(Error::NotFound)?;
    audit::record(
        &mut tx,
        &identity,
        Action::Delete,
        "tag",
        id,
        Some(&TagInput { name }),
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A record's tags, by name.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct RecordTags {
    #[schema(schema_with = tag_names_schema)]
    tags: Vec<String>,
}

async fn ensure_record(
    conn: &mut PgConnection,
    kind: Tagged,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<(), Error> {
    sqlx::query(kind.exists_sql())
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|_| ())
        .ok_or(Error::NotFound)
}

async fn names(
    conn: &mut PgConnection,
    kind: Tagged,
    tenant_id: Uuid,
    id: Uuid,
) -> Result<Vec<String>, Error> {
    let rows = sqlx::query(kind.names_sql())
        .bind(tenant_id)
        .bind(id)
        .fetch_all(conn)
        .await?;
    Ok(rows.iter().map(|row| row.get::<String, _>(0)).collect())
}

async fn read_tags(
    state: &AppState,
    identity: &Identity,
    kind: Tagged,
    id: Uuid,
) -> Result<Json<RecordTags>, Error> {
    let mut tx = identity.begin(state).await?;
    ensure_record(&mut tx, kind, identity.0.tenant_id, id).await?;
    let tags = names(&mut tx, kind, identity.0.tenant_id, id).await?;
    tx.commit().await?;
    Ok(Json(RecordTags { tags }))
}

/// Replaces a record's tags with the ones named, creating the names not yet in use.
async fn set_tags(
    state: &AppState,
    identity: &Identity,
    kind: Tagged,
    id: Uuid,
    input: RecordTags,
) -> Result<Json<RecordTags>, Error> {
    identity.require_editor()?;
    let mut checks = Checks::default();
    let wanted: Vec<String> = input
        .tags
        .iter()
        .map(|t| tag_name(&mut checks, "tags", t))
        .collect();
    if wanted.len() > 50 {
        checks.push("tags", &said("check-fifty-tags"));
    }
    checks.finish()?;
    let tenant_id = identity.0.tenant_id;
    let mut tx = identity.begin(state).await?;
    ensure_record(&mut tx, kind, tenant_id, id).await?;
    let before = names(&mut tx, kind, tenant_id, id).await?;
    let new_ids: Vec<Uuid> = wanted.iter().map(|_| Uuid::now_v7()).collect();
    sqlx::query!(
        r#"insert into tags (tenant_id, id, name)
           select $1, id, name from unnest($2::uuid[], $3::text[]) as wanted (id, name)
           on conflict (tenant_id, lower(name)) do nothing"#,
        tenant_id,
        &new_ids,
        &wanted,
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(kind.clear_sql())
        .bind(tenant_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let lowered: Vec<String> = wanted.iter().map(|t| t.to_lowercase()).collect();
    sqlx::query(kind.link_sql())
        .bind(tenant_id)
        .bind(id)
        .bind(&lowered)
        .execute(&mut *tx)
        .await?;
    let after = names(&mut tx, kind, tenant_id, id).await?;
    if before != after {
        let (before, after) = (
            RecordTags { tags: before },
            RecordTags {
                tags: after.clone(),
            },
        );
        audit::record(
            &mut tx,
            identity,
            Action::Update,
            kind.record_type(),
            id,
            Some(&before),
            Some(&after),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(RecordTags { tags: after }))
}
