//! Evaluating a partnership from its page: interim or final, the objectives set and
//! reached, and effectiveness, efficiency and impact each scored 1 to 5 with notes.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use maillage_problem::Path;
use reqwest::Method;
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::editing::blank_is_none;
use super::record_parts::record_name;
use super::{Choice, FormErrors, Layout, page_with_status, tenant_zone};
use crate::Error;
use crate::membership::{Editor, Member};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/t/{slug}/partnerships/{id}/evaluations/new",
        get(new_form).post(create),
    )
}

/// The stages of an evaluation, named in the catalogues (`evaluation-stage-…`).
const STAGES: [&str; 2] = ["interim", "final"];

/// The scale every criterion is scored on, named in the catalogues
/// (`evaluation-score-…`).
const SCORES: [&str; 5] = ["1", "2", "3", "4", "5"];

/// The form as typed.
#[derive(Debug, Default, Deserialize)]
struct EvaluationForm {
    #[serde(default)]
    stage: String,
    #[serde(default)]
    evaluated_on: String,
    #[serde(default)]
    objectives_set: String,
    #[serde(default)]
    objectives_reached: String,
    #[serde(default)]
    effectiveness_score: String,
    #[serde(default)]
    effectiveness_notes: String,
    #[serde(default)]
    efficiency_score: String,
    #[serde(default)]
    efficiency_notes: String,
    #[serde(default)]
    impact_score: String,
    #[serde(default)]
    impact_notes: String,
}

impl EvaluationForm {
    /// What the API is sent: a score that is not a number is no score (the API says
    /// one is expected).
    fn body(&self) -> serde_json::Value {
        let score = |typed: &str| typed.trim().parse::<i16>().ok();
        json!({
            "stage": self.stage,
            "evaluated_on": blank_is_none(&self.evaluated_on),
            "objectives_set": self.objectives_set,
            "objectives_reached": self.objectives_reached,
            "effectiveness_score": score(&self.effectiveness_score),
            "effectiveness_notes": self.effectiveness_notes,
            "efficiency_score": score(&self.efficiency_score),
            "efficiency_notes": self.efficiency_notes,
            "impact_score": score(&self.impact_score),
            "impact_notes": self.impact_notes,
        })
    }
}

/// One criterion of the form: its score's field and choices, its notes' field.
struct Criterion {
    /// The catalogue's ids of its name and of the question it answers.
    title: &'static str,
    question: &'static str,
    score_field: &'static str,
    scores: Vec<Choice>,
    notes_field: &'static str,
    notes: String,
}

#[derive(Template)]
#[template(path = "evaluation_form.html")]
struct EvaluationFormPage {
    layout: Layout,
    partnership_name: String,
    partnership_path: String,
    stages: Vec<Choice>,
    criteria: Vec<Criterion>,
    form: EvaluationForm,
    errors: FormErrors,
}

impl EvaluationFormPage {
    async fn new(
        state: &AppState,
        member: &Member,
        id: Uuid,
        form: EvaluationForm,
        errors: FormErrors,
    ) -> Result<Self, Error> {
        let lang = member.lang();
        let scores = |current: &str| {
            Choice::named(
                lang,
                Some("evaluation-score-choose"),
                "evaluation-score",
                SCORES,
                current,
            )
        };
        let criteria = vec![
            Criterion {
                title: "evaluation-effectiveness",
                question: "evaluation-effectiveness-question",
                score_field: "effectiveness_score",
                scores: scores(&form.effectiveness_score),
                notes_field: "effectiveness_notes",
                notes: form.effectiveness_notes.clone(),
            },
            Criterion {
                title: "evaluation-efficiency",
                question: "evaluation-efficiency-question",
                score_field: "efficiency_score",
                scores: scores(&form.efficiency_score),
                notes_field: "efficiency_notes",
                notes: form.efficiency_notes.clone(),
            },
            Criterion {
                title: "evaluation-impact",
                question: "evaluation-impact-question",
                score_field: "impact_score",
                scores: scores(&form.impact_score),
                notes_field: "impact_notes",
                notes: form.impact_notes.clone(),
            },
        ];
        Ok(Self {
            layout: Layout::of(member, "partnerships"),
            partnership_name: record_name(state, member, "partnerships", id).await?,
            partnership_path: format!("/t/{}/partnerships/{id}", member.tenant.slug),
            stages: Choice::named(lang, None, "evaluation-stage", STAGES, &form.stage),
            criteria,
            form,
            errors,
        })
    }
}

async fn new_form(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
) -> Result<Response, Error> {
    let form = EvaluationForm {
        stage: "interim".into(),
        evaluated_on: Utc::now()
            .with_timezone(&tenant_zone(&member))
            .format("%Y-%m-%d")
            .to_string(),
        ..EvaluationForm::default()
    };
    let page = EvaluationFormPage::new(&state, &member, id, form, FormErrors::default()).await?;
    page_with_status(StatusCode::OK, &page)
}

async fn create(
    State(state): State<AppState>,
    Editor(member): Editor,
    Path((_slug, id)): Path<(String, Uuid)>,
    Form(form): Form<EvaluationForm>,
) -> Result<Response, Error> {
    let path = format!("/v1/partnerships/{id}/evaluations");
    let errors = match state
        .core
        .send::<serde_json::Value>(&member, Method::POST, &path, &form.body(), None)
        .await?
    {
        Ok(_) => {
            let back = format!("/t/{}/partnerships/{id}#evaluations", member.tenant.slug);
            return Ok(Redirect::to(&back).into_response());
        }
        Err(problem) if problem.status == 422 => FormErrors::from_problem(problem, &[]),
        Err(problem) => return Err(Error::Refused(problem)),
    };
    let page = EvaluationFormPage::new(&state, &member, id, form, errors).await?;
    page_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[cfg(test)]
mod tests {
    use maillage_i18n::Lang;

    #[test]
    fn every_stage_and_score_is_named_in_both_languages() {
        let ids = super::STAGES
            .iter()
            .map(|stage| format!("evaluation-stage-{stage}"))
            .chain(
                super::SCORES
                    .iter()
                    .map(|score| format!("evaluation-score-{score}")),
            )
            .chain(["evaluation-score-choose".to_owned()]);
        for id in ids {
            for lang in Lang::ALL {
                assert!(lang.has(&id), "{id} ({lang})");
            }
        }
    }
}
