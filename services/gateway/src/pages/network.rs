//! The network page (`/t/{slug}/network`): the photograph of a day drawn by
//! Cytoscape.js (`static/network.js`, served from the repository), with its filters,
//! its figures, what changed since another day, and every tie as a list, which is the
//! page for screen readers and without JavaScript.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use maillage_domain::kinds::{PartnershipKind, PartnershipStatus};
use maillage_domain::network::{NODE_KINDS, Photograph, RELATIONS, TieLine};
use maillage_i18n::Lang;
use maillage_problem::Query;
use serde::Deserialize;
use uuid::Uuid;

use super::record_parts::Listing;
use super::{Choice, FormErrors, Layout, page, record_path};
use crate::Error;
use crate::membership::Member;
use crate::state::AppState;

/// The filters, as the form sends them (blank: not filtered).
#[derive(Debug, Default, Deserialize)]
pub struct NetworkFilters {
    #[serde(default)]
    on: String,
    #[serde(default)]
    compare_with: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    partnership_kind: String,
    #[serde(default)]
    partnership_status: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    territory: String,
}

impl NetworkFilters {
    /// The photograph's query string, the filters left blank left out.
    fn query(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("on", &self.on),
            ("compare_with", &self.compare_with),
            ("project_id", &self.project_id),
            ("partnership_kind", &self.partnership_kind),
            ("partnership_status", &self.partnership_status),
            ("tag", &self.tag),
            ("territory", &self.territory),
        ] {
            let value = value.trim();
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        query.finish()
    }
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    layout: Layout,
    form: NetworkFilters,
    projects: Vec<Choice>,
    kinds: Vec<Choice>,
    statuses: Vec<Choice>,
    /// Where the drawing reads the same photograph, through the API.
    source: String,
    on: String,
    nodes: u64,
    ties: u64,
    density: String,
    most_connected: Vec<Linked>,
    isolated: u64,
    isolated_items: Vec<Linked>,
    dormant_ties: u64,
    /// The ties by relation: the relation's name and its ties in words.
    ties_by_relation: Vec<(String, Vec<TieWords>)>,
    comparison: Option<ComparisonWords>,
    /// Each kind of node and its name.
    legend: Vec<(&'static str, String)>,
    /// The selects' (none: the filters are free).
    errors: FormErrors,
}

struct Linked {
    label: String,
    href: String,
    said: String,
}

struct TieWords {
    source: Linked,
    relation: String,
    target: Linked,
}

struct ComparisonWords {
    earlier: String,
    nodes_then: u64,
    ties_then: u64,
    appeared: Vec<TieWords>,
    disappeared: Vec<TieWords>,
}

#[derive(Deserialize)]
struct ProjectName {
    id: Uuid,
    name: String,
}

pub async fn show(
    State(state): State<AppState>,
    member: Member,
    Query(form): Query<NetworkFilters>,
) -> Result<Response, Error> {
    let query = form.query();
    let api = format!("/v1/network/photograph?{query}");
    // The filters are typed: a refused one (a date that is none) is said on a page.
    let (photograph, projects): (_, Listing<ProjectName>) = tokio::try_join!(
        state.core.query::<Photograph>(&member, &api),
        state.core.get(&member, "/v1/projects?limit=200"),
    )?;
    let photograph = photograph.map_err(Error::Refused)?;
    page(&NetworkPage::of(
        photograph,
        projects.items,
        form,
        query,
        &member,
    ))
}

impl NetworkPage {
    /// "On 01/01/2026: 12 linked records and 20 ties; on …: 14 and 25."
    fn comparison_said(&self, c: &ComparisonWords) -> String {
        self.layout.lang.t_with(
            "network-comparison",
            &[
                ("earlier", c.earlier.as_str().into()),
                ("nodes_then", c.nodes_then.into()),
                ("ties_then", c.ties_then.into()),
                ("on", self.on.as_str().into()),
                ("nodes", self.nodes.into()),
                ("ties", self.ties.into()),
            ],
        )
    }

    fn of(
        photograph: Photograph,
        projects: Vec<ProjectName>,
        form: NetworkFilters,
        query: String,
        member: &Member,
    ) -> Self {
        let slug = &member.tenant.slug;
        let lang = member.lang();
        let relation_name = |relation: &str| {
            let id = format!("network-relation-{relation}");
            lang.t(if lang.has(&id) {
                &id
            } else {
                "network-relation-other"
            })
        };
        let link = |kind: &str, id: Uuid, label: &str, said: String| Linked {
            label: label.to_owned(),
            href: record_path(slug, kind, id),
            said,
        };
        let nodes: HashMap<Uuid, (&str, &str)> = photograph
            .nodes
            .iter()
            .map(|n| (n.id, (n.kind.as_str(), n.label.as_str())))
            .collect();
        let words = |line: &TieLine| TieWords {
            source: link(
                &line.source_kind,
                line.source,
                &line.source_label,
                String::new(),
            ),
            relation: relation_name(&line.relation),
            target: link(
                &line.target_kind,
                line.target,
                &line.target_label,
                String::new(),
            ),
        };
        let ties_by_relation = RELATIONS
            .iter()
            .map(|(relation, _)| {
                let ties = photograph
                    .ties
                    .iter()
                    .filter(|tie| tie.relation == *relation)
                    .filter_map(|tie| {
                        let (source_kind, source_label) = nodes.get(&tie.source)?;
                        let (target_kind, target_label) = nodes.get(&tie.target)?;
                        let since =
                            lang.t_with("network-since", &[("date", lang.date(tie.since).into())]);
                        Some(TieWords {
                            source: link(source_kind, tie.source, source_label, String::new()),
                            relation: relation_name(relation),
                            target: link(target_kind, tie.target, target_label, since),
                        })
                    })
                    .collect();
                (relation_name(relation), ties)
            })
            .collect();
        let figures = &photograph.figures;
        Self {
            layout: Layout::of(member, "network"),
            projects: choices_of_projects(lang, &projects, &form.project_id),
            kinds: Choice::named(
                lang,
                Some("network-all-kinds"),
                PartnershipKind::MESSAGE_PREFIX,
                PartnershipKind::VALUES.iter().copied(),
                &form.partnership_kind,
            ),
            statuses: Choice::named(
                lang,
                Some("network-all-statuses"),
                PartnershipStatus::MESSAGE_PREFIX,
                PartnershipStatus::VALUES.iter().copied(),
                &form.partnership_status,
            ),
            source: format!("/api/v1/t/{slug}/network/photograph?{query}"),
            on: lang.date(photograph.on),
            nodes: figures.nodes,
            ties: figures.ties,
            density: format!("{:.1} %", figures.density * 100.0),
            most_connected: figures
                .most_connected
                .iter()
                .map(|n| {
                    let ties = lang.t_with("network-ties-count", &[("count", n.degree.into())]);
                    link(&n.kind, n.id, &n.label, ties)
                })
                .collect(),
            isolated: figures.isolated,
            isolated_items: figures
                .isolated_items
                .iter()
                .map(|n| link("organisation", n.id, &n.label, String::new()))
                .collect(),
            dormant_ties: figures.dormant_ties,
            ties_by_relation,
            comparison: photograph.comparison.as_ref().map(|c| ComparisonWords {
                earlier: lang.date(c.earlier),
                nodes_then: c.nodes_then,
                ties_then: c.ties_then,
                appeared: c.appeared.iter().map(words).collect(),
                disappeared: c.disappeared.iter().map(words).collect(),
            }),
            legend: NODE_KINDS
                .iter()
                .map(|(kind, _)| (*kind, lang.t(&format!("network-kind-{kind}"))))
                .collect(),
            errors: FormErrors::default(),
            form,
        }
    }
}

fn choices_of_projects(lang: Lang, projects: &[ProjectName], current: &str) -> Vec<Choice> {
    let ids: Vec<String> = projects.iter().map(|p| p.id.to_string()).collect();
    let all = lang.t("network-all-projects");
    Choice::list(
        std::iter::once(("", all.as_str())).chain(
            ids.iter()
                .zip(projects)
                .map(|(id, p)| (id.as_str(), p.name.as_str())),
        ),
        current,
    )
}
