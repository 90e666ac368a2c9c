//! The targets ("la cible", `/t/{slug}/targets`): the workspace's targets, one
//! target's page — its drawing (dragged with `static/target.js`), the plain form that
//! places each stakeholder the same way, its gaps turned into tasks, and its
//! comparison with another target — and its SVG file.

mod drawing;
mod stakeholders;

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maillage_domain::target::{Target, TargetComparison, TargetList};
use maillage_i18n::Lang;
use maillage_problem::{Path, Query};
use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

use self::drawing::{Drawing, ring_name};
use super::record_parts::Listing;
use super::{Choice, FormErrors, Layout, page};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/t/{slug}/targets", get(list).post(create))
        .route("/t/{slug}/targets/{id}", get(show).post(change))
        .route("/t/{slug}/targets/{id}/cible.svg", get(svg_file))
        .route("/t/{slug}/targets/{id}/delete", post(remove))
        .merge(stakeholders::router())
}

#[derive(Deserialize)]
struct Named {
    id: Uuid,
    name: String,
}

#[derive(Template)]
#[template(path = "targets.html")]
struct TargetsPage {
    layout: Layout,
    targets: Vec<TargetLine>,
    projects: Vec<Choice>,
    sources: Vec<Choice>,
    /// The selects' (the form's refusals are said on a page of their own).
    errors: FormErrors,
}

struct TargetLine {
    href: String,
    name: String,
    drawn_on: String,
    project: Option<String>,
    stakeholders: i64,
    gaps: i64,
}

async fn list(State(state): State<AppState>, member: Member) -> Result<Response, Error> {
    let (targets, projects): (TargetList, Listing<Named>) = tokio::try_join!(
        state.core.get(&member, "/v1/targets"),
        state.core.get(&member, "/v1/projects?limit=200"),
    )?;
    let slug = &member.tenant.slug;
    page(&TargetsPage {
        layout: Layout::of(&member, "targets"),
        sources: source_choices(&targets, None, member.lang()),
        targets: targets
            .items
            .into_iter()
            .map(|t| TargetLine {
                href: format!("/t/{slug}/targets/{}", t.id),
                name: t.name,
                drawn_on: member.lang().date(t.drawn_on),
                project: t.project_name,
                stakeholders: t.stakeholders,
                gaps: t.gaps,
            })
            .collect(),
        projects: project_choices(&projects.items, member.lang()),
        errors: FormErrors::default(),
    })
}

/// The targets another can start from or be compared with, `except` itself.
fn source_choices(targets: &TargetList, except: Option<Uuid>, lang: Lang) -> Vec<Choice> {
    let options: Vec<(String, String)> = targets
        .items
        .iter()
        .filter(|t| Some(t.id) != except)
        .map(|t| {
            (
                t.id.to_string(),
                format!("{} ({})", t.name, lang.date(t.drawn_on)),
            )
        })
        .collect();
    Choice::list(
        std::iter::once(("", "—")).chain(
            options
                .iter()
                .map(|(id, name)| (id.as_str(), name.as_str())),
        ),
        "",
    )
}

fn project_choices(projects: &[Named], lang: Lang) -> Vec<Choice> {
    let everyone = lang.t("targets-whole-organisation");
    let options: Vec<(String, &str)> = projects
        .iter()
        .map(|p| (p.id.to_string(), p.name.as_str()))
        .collect();
    Choice::list(
        std::iter::once(("", everyone.as_str()))
            .chain(options.iter().map(|(id, name)| (id.as_str(), *name))),
        "",
    )
}

/// A new target, as its form sends it; blank fields are left to their defaults.
#[derive(Debug, Deserialize)]
struct NewTargetForm {
    name: String,
    #[serde(default)]
    drawn_on: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    copy_from: String,
}

fn blank_to_null(value: &str) -> Value {
    let value = value.trim();
    if value.is_empty() {
        Value::Null
    } else {
        Value::from(value)
    }
}

async fn create(
    State(state): State<AppState>,
    Editor(member): Editor,
    Form(form): Form<NewTargetForm>,
) -> Result<Response, Error> {
    let body = json!({
        "name": form.name,
        "drawn_on": blank_to_null(&form.drawn_on),
        "project_id": blank_to_null(&form.project_id),
        "copy_from": blank_to_null(&form.copy_from),
    });
    let made: Target = state
        .core
        .send(&member, Method::POST, "/v1/targets", &body, None)
        .await?
        .map_err(Error::Refused)?;
    let slug = &member.tenant.slug;
    Ok(Redirect::to(&format!("/t/{slug}/targets/{}", made.id)).into_response())
}

#[derive(Debug, Default, Deserialize)]
struct ShowQuery {
    /// Another target to compare with.
    #[serde(default)]
    compare_with: String,
    /// The task just made from a gap, to say so.
    #[serde(default)]
    task_for: String,
}

#[derive(Template)]
#[template(path = "target.html")]
struct TargetPage {
    layout: Layout,
    target: Target,
    drawing: Drawing,
    drawn_on: String,
    rings_typed: String,
    ring_choices: Vec<(String, String)>,
    gaps: Vec<GapLine>,
    lines: Vec<StakeholderLine>,
    /// Organisations' names, offered as a stakeholder's name is typed.
    suggestions: Vec<String>,
    others: Vec<Choice>,
    comparison: Option<ComparisonWords>,
    /// Whose gap just became a task.
    task_made_for: Option<String>,
    errors: FormErrors,
}

struct GapLine {
    id: Uuid,
    label: String,
    href: Option<String>,
    from: String,
    to: String,
    said: String,
    closer: bool,
}

struct StakeholderLine {
    id: Uuid,
    version: i32,
    label: String,
    href: Option<String>,
    prospect: bool,
    today: String,
    ideal: String,
    our_reasons: String,
    their_reasons: String,
}

struct ComparisonWords {
    earlier: String,
    lines: Vec<MoveWords>,
}

struct MoveWords {
    label: String,
    then: String,
    now: String,
    said: String,
    class: &'static str,
}

/// A count of rings in words, by the message `id` ("2 cercles à gagner").
fn rings_said(lang: Lang, id: &str, count: i16) -> String {
    lang.t_with(id, &[("count", count.abs().into())])
}

async fn show(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
    Query(query): Query<ShowQuery>,
) -> Result<Response, Error> {
    let one = format!("/v1/targets/{id}");
    let (target, targets, organisations): (Target, TargetList, Listing<Named>) = tokio::try_join!(
        state.core.get(&member, &one),
        state.core.get(&member, "/v1/targets"),
        state.core.get(&member, "/v1/organisations?limit=200"),
    )?;
    let compare_with = query.compare_with.trim();
    let comparison = if compare_with.is_empty() {
        None
    } else {
        let path = format!(
            "/v1/targets/{id}/comparison?with={}",
            url::form_urlencoded::byte_serialize(compare_with.as_bytes()).collect::<String>()
        );
        let compared: TargetComparison = state
            .core
            .query(&member, &path)
            .await?
            .map_err(Error::Refused)?;
        Some(comparison_words(&compared, member.lang()))
    };
    let task_made_for = target
        .stakeholders
        .iter()
        .find(|s| s.id.to_string() == query.task_for)
        .map(|s| s.label.clone());
    let mut others = source_choices(&targets, Some(id), member.lang());
    for choice in &mut others {
        choice.selected = choice.value == compare_with && !compare_with.is_empty();
    }
    page(&TargetPage::of(
        &member,
        target,
        organisations.items,
        others,
        comparison,
        task_made_for,
    ))
}

impl TargetPage {
    fn of(
        member: &Member,
        target: Target,
        organisations: Vec<Named>,
        others: Vec<Choice>,
        comparison: Option<ComparisonWords>,
        task_made_for: Option<String>,
    ) -> Self {
        let slug = &member.tenant.slug;
        let lang = member.lang();
        let href = |organisation: Option<Uuid>| {
            organisation.map(|id| format!("/t/{slug}/organisations/{id}"))
        };
        let mut gaps: Vec<_> = target
            .stakeholders
            .iter()
            .filter(|s| s.gap != 0)
            .map(|s| GapLine {
                id: s.id,
                label: s.label.clone(),
                href: href(s.organisation_id),
                from: ring_name(&target.rings, s.today_ring, lang),
                to: ring_name(&target.rings, s.ideal_ring, lang),
                said: if s.gap > 0 {
                    rings_said(lang, "target-gap-closer", s.gap)
                } else {
                    rings_said(lang, "target-gap-too-close", s.gap)
                },
                closer: s.gap > 0,
            })
            .collect();
        gaps.sort_by_key(|g| std::cmp::Reverse(g.closer));
        let ring_choices = std::iter::once((String::new(), lang.t("target-outside-choice")))
            .chain(
                target
                    .rings
                    .iter()
                    .enumerate()
                    .map(|(index, name)| (index.to_string(), name.clone())),
            )
            .collect();
        let typed = |ring: Option<i16>| ring.map(|r| r.to_string()).unwrap_or_default();
        let lines = target
            .stakeholders
            .iter()
            .map(|s| StakeholderLine {
                id: s.id,
                version: s.version,
                label: s.label.clone(),
                href: href(s.organisation_id),
                prospect: s.organisation_id.is_none(),
                today: typed(s.today_ring),
                ideal: typed(s.ideal_ring),
                our_reasons: s.our_reasons.clone(),
                their_reasons: s.their_reasons.clone(),
            })
            .collect();
        Self {
            layout: Layout::of(member, "targets"),
            drawing: Drawing::of(&target, lang),
            drawn_on: lang.date(target.drawn_on),
            rings_typed: target.rings.join("\n"),
            ring_choices,
            gaps,
            lines,
            suggestions: organisations.into_iter().map(|o| o.name).collect(),
            others,
            comparison,
            task_made_for,
            target,
            errors: FormErrors::default(),
        }
    }
}

fn comparison_words(compared: &TargetComparison, lang: Lang) -> ComparisonWords {
    let ring = |rings: &[String], ring: Option<i16>, there: bool| {
        if there {
            ring_name(rings, ring, lang)
        } else {
            lang.t("target-absent")
        }
    };
    ComparisonWords {
        earlier: format!(
            "{} ({})",
            compared.earlier.name,
            lang.date(compared.earlier.drawn_on)
        ),
        lines: compared
            .moves
            .iter()
            .map(|m| {
                let (said, class) = match (m.was_there, m.is_there, m.came_closer) {
                    (false, _, _) => (lang.t("target-appeared"), "appeared"),
                    (_, false, _) => (lang.t("target-disappeared"), "disappeared"),
                    (_, _, Some(n)) if n > 0 => {
                        (rings_said(lang, "target-came-closer", n), "appeared")
                    }
                    (_, _, Some(n)) if n < 0 => {
                        (rings_said(lang, "target-went-away", n), "disappeared")
                    }
                    _ => (lang.t("target-same-ring"), ""),
                };
                MoveWords {
                    label: m.label.clone(),
                    then: ring(&compared.earlier_rings, m.today_then, m.was_there),
                    now: ring(&compared.rings, m.today_now, m.is_there),
                    said,
                    class,
                }
            })
            .collect(),
    }
}

/// The drawing as a file: for a report or a board meeting.
async fn svg_file(
    State(state): State<AppState>,
    member: Member,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let target: Target = state
        .core
        .get(&member, &format!("/v1/targets/{id}"))
        .await?;
    let file = TargetSvg {
        drawing: Drawing::of(&target, member.lang()),
    };
    let name = format!("cible-{}.svg", target.drawn_on);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "image/svg+xml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}",
            file.render()?
        ),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "target.svg", escape = "html")]
struct TargetSvg {
    drawing: Drawing,
}

/// A target's name, day, rings (one per line) and notes, as its form sends them.
#[derive(Debug, Deserialize)]
struct TargetForm {
    name: String,
    drawn_on: String,
    rings: String,
    #[serde(default)]
    notes: String,
    version: i64,
}

async fn change(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<TargetForm>,
) -> Result<Response, Error> {
    let rings: Vec<&str> = form
        .rings
        .lines()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .collect();
    let body = json!({
        "name": form.name,
        "drawn_on": blank_to_null(&form.drawn_on),
        "rings": rings,
        "notes": form.notes,
    });
    let _: Target = state
        .core
        .send(
            &member,
            Method::PATCH,
            &format!("/v1/targets/{id}"),
            &body,
            Some(form.version),
        )
        .await?
        .map_err(Error::Refused)?;
    Ok(Redirect::to(&format!("/t/{}/targets/{id}", member.tenant.slug)).into_response())
}

async fn remove(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    state
        .core
        .delete(&member, &format!("/v1/targets/{id}"), None)
        .await?
        .map_err(Error::Refused)?;
    Ok(Redirect::to(&format!("/t/{}/targets", member.tenant.slug)).into_response())
}
