//! What a person or an organisation gave, or what a project received.

use chrono::NaiveDate;
use maillage_domain::kinds::EngagementKind;
use maillage_i18n::Lang;
use serde::Deserialize;
use uuid::Uuid;

use super::listing::Listing;
use crate::Error;
use crate::membership::Member;
use crate::pages::duration;
use crate::state::AppState;

#[derive(Debug, Deserialize)]
struct YearTotal {
    year: i32,
    kind: String,
    currency: Option<String>,
    amount_cents: i64,
    minutes: i64,
    count: i64,
}

/// One line of a record's engagements, per year and kind: "2026 · Dons · 3 · 125,00 €".
pub struct EngagementTotal {
    pub year: i32,
    pub kind: String,
    pub count: i64,
    /// An amount, or hours of volunteering.
    pub total: String,
}

/// A kind's name in `lang`, or the value itself if it is one this gateway does not know
/// yet.
fn engagement_label(lang: Lang, kind: &str) -> String {
    kind.parse::<EngagementKind>()
        .map_or_else(|_| kind.to_owned(), |k| lang.t(k.message_id()))
}

/// One engagement as a record's page lists it: "12/05/2026 · Don · 50,00 €".
pub struct EngagementLine {
    pub id: Uuid,
    pub when: String,
    pub kind: String,
    /// An amount, or hours of volunteering.
    pub given: String,
    pub campaign: String,
}

#[derive(Debug, Deserialize)]
struct EngagementRow {
    id: Uuid,
    kind: String,
    amount_cents: Option<i64>,
    currency: Option<String>,
    minutes: Option<i64>,
    occurred_on: NaiveDate,
    campaign: String,
}

/// What a person or an organisation gave, or what a project received.
pub struct Engagements {
    /// Per year and kind.
    pub totals: Vec<EngagementTotal>,
    /// The latest, newest first.
    pub recent: Vec<EngagementLine>,
}

/// The engagements of one record: `owner` is the filter naming it, `person_id={id}`…
pub async fn engagements(
    state: &AppState,
    member: &Member,
    owner: &str,
) -> Result<Engagements, Error> {
    let (totals_path, recent_path) = (
        format!("/v1/engagements/totals?{owner}"),
        format!("/v1/engagements?{owner}&limit=20"),
    );
    let (totals, recent): (Listing<YearTotal>, Listing<EngagementRow>) = tokio::try_join!(
        state.core.get(member, &totals_path),
        state.core.get(member, &recent_path),
    )?;
    let lang = member.lang();
    let given = |currency: Option<String>, cents: i64, minutes: i64| match currency {
        Some(currency) => lang.money(cents, &currency),
        None => duration(minutes),
    };
    Ok(Engagements {
        totals: totals
            .items
            .into_iter()
            .map(|t| EngagementTotal {
                year: t.year,
                kind: engagement_label(lang, &t.kind),
                count: t.count,
                total: given(t.currency, t.amount_cents, t.minutes),
            })
            .collect(),
        recent: recent
            .items
            .into_iter()
            .map(|e| EngagementLine {
                id: e.id,
                when: lang.date(e.occurred_on),
                kind: engagement_label(lang, &e.kind),
                given: given(
                    e.currency,
                    e.amount_cents.unwrap_or_default(),
                    e.minutes.unwrap_or_default(),
                ),
                campaign: e.campaign,
            })
            .collect(),
    })
}
