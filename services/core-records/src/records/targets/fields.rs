//! What a target's and a stakeholder's bodies may set, and the checks each field passes.

use chrono::NaiveDate;
use maillage_domain::target::{DEFAULT_RINGS, RINGS, Stakeholder, Target};
use serde::Deserialize;
use uuid::Uuid;

use crate::Error;
use crate::language::{reader, said};
use crate::records::{Checks, present};

/// A new target.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTarget {
    #[schema(min_length = 1, max_length = 200)]
    name: String,
    /// The day it describes (today by default).
    drawn_on: Option<NaiveDate>,
    /// A target for this project; none: the whole organisation's.
    project_id: Option<Uuid>,
    /// The rings' names, the centre first: two to six (the latest target's by default,
    /// else partenaires stratégiques, réguliers, occasionnels, contacts).
    #[schema(min_items = 2, max_items = 6)]
    rings: Option<Vec<String>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
    /// Another target whose stakeholders, places and reasons this one starts from:
    /// next year's target drawn from this year's.
    copy_from: Option<Uuid>,
}

/// A change to a target: what is absent stays as it was.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetChange {
    #[schema(min_length = 1, max_length = 200)]
    name: Option<String>,
    drawn_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "present")]
    project_id: Option<Option<Uuid>>,
    /// Fewer rings than before bring the stakeholders of the rings taken away onto the
    /// last one.
    #[schema(min_items = 2, max_items = 6)]
    rings: Option<Vec<String>>,
    #[schema(max_length = 10_000)]
    notes: Option<String>,
}

pub(super) struct TargetFields {
    pub(super) name: String,
    pub(super) drawn_on: Option<NaiveDate>,
    pub(super) project_id: Option<Uuid>,
    pub(super) rings: Vec<String>,
    pub(super) notes: String,
    pub(super) copy_from: Option<Uuid>,
}

impl TargetFields {
    /// A new target's fields; `latest_rings` are those it starts with unless given.
    pub(super) fn new(input: NewTarget, latest_rings: Option<Vec<String>>) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let rings = input.rings.or(latest_rings).unwrap_or_else(|| {
            DEFAULT_RINGS
                .iter()
                .map(|name| (*name).to_owned())
                .collect()
        });
        let fields = Self {
            name: checks.text("name", &input.name, true, 200),
            drawn_on: input.drawn_on,
            project_id: input.project_id,
            rings: checked_rings(&mut checks, &rings),
            notes: checks.text("notes", input.notes.as_deref().unwrap_or(""), false, 10_000),
            copy_from: input.copy_from,
        };
        checks.finish()?;
        Ok(fields)
    }

    pub(super) fn changed(before: &Target, input: TargetChange) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let fields = Self {
            name: checks.text(
                "name",
                input.name.as_deref().unwrap_or(&before.name),
                true,
                200,
            ),
            drawn_on: Some(input.drawn_on.unwrap_or(before.drawn_on)),
            project_id: input.project_id.unwrap_or(before.project_id),
            rings: checked_rings(&mut checks, input.rings.as_ref().unwrap_or(&before.rings)),
            notes: checks.text(
                "notes",
                input.notes.as_deref().unwrap_or(&before.notes),
                false,
                10_000,
            ),
            copy_from: None,
        };
        checks.finish()?;
        Ok(fields)
    }
}

fn checked_rings(checks: &mut Checks, rings: &[String]) -> Vec<String> {
    if !RINGS.contains(&rings.len()) {
        checks.push("rings", &said("check-ring-count"));
    }
    rings
        .iter()
        .map(|name| checks.text("rings", name, true, 60))
        .collect()
}

/// Someone to place on a target: an organisation of the records, or a prospect by name.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStakeholder {
    organisation_id: Option<Uuid>,
    /// A prospect, named only (not an organisation of the records until promoted).
    #[schema(min_length = 1, max_length = 200)]
    prospect_name: Option<String>,
    /// A name, as a person types it: the organisation of the records of that name (any
    /// case), if there is one; a prospect otherwise.
    #[schema(min_length = 1, max_length = 200)]
    name: Option<String>,
    /// The ring it is on today (0: the centre); absent: outside.
    #[schema(minimum = 0, maximum = 5)]
    today_ring: Option<i16>,
    /// The ring it should be on; absent: outside.
    #[schema(minimum = 0, maximum = 5)]
    ideal_ring: Option<i16>,
    /// Where around the target it is drawn, in degrees (spread out by default).
    angle: Option<f32>,
    #[schema(max_length = 5_000)]
    our_reasons: Option<String>,
    #[schema(max_length = 5_000)]
    their_reasons: Option<String>,
}

/// A change to a stakeholder: its places, where it is drawn, its reasons, a
/// prospect's name. What is absent stays as it was; a ring set to null is outside.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderChange {
    #[schema(min_length = 1, max_length = 200)]
    prospect_name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(minimum = 0, maximum = 5)]
    today_ring: Option<Option<i16>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(minimum = 0, maximum = 5)]
    ideal_ring: Option<Option<i16>>,
    angle: Option<f32>,
    #[schema(max_length = 5_000)]
    our_reasons: Option<String>,
    #[schema(max_length = 5_000)]
    their_reasons: Option<String>,
}

pub(super) struct StakeholderFields {
    pub(super) organisation_id: Option<Uuid>,
    pub(super) prospect_name: Option<String>,
    /// A name still to be told apart: an organisation's, or a prospect's.
    pub(super) name: Option<String>,
    pub(super) today_ring: Option<i16>,
    pub(super) ideal_ring: Option<i16>,
    pub(super) angle: f32,
    pub(super) our_reasons: String,
    pub(super) their_reasons: String,
}

impl StakeholderFields {
    /// A new stakeholder of a target of `ring_count` rings, drawn at `angle` unless
    /// the body says where.
    pub(super) fn new(input: NewStakeholder, ring_count: usize, angle: f32) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let prospect_name =
            checks.optional_text("prospect_name", input.prospect_name.as_deref(), 200);
        let name = checks.optional_text("name", input.name.as_deref(), 200);
        let given = [
            input.organisation_id.is_some(),
            prospect_name.is_some(),
            name.is_some(),
        ];
        if given.iter().filter(|given| **given).count() != 1 {
            checks.push("organisation_id", &said("check-stakeholder-who"));
        }
        let fields = Self {
            organisation_id: input.organisation_id,
            prospect_name,
            name,
            today_ring: checked_ring(&mut checks, "today_ring", input.today_ring, ring_count),
            ideal_ring: checked_ring(&mut checks, "ideal_ring", input.ideal_ring, ring_count),
            angle: checked_angle(&mut checks, input.angle.unwrap_or(angle)),
            our_reasons: checks.text(
                "our_reasons",
                input.our_reasons.as_deref().unwrap_or(""),
                false,
                5_000,
            ),
            their_reasons: checks.text(
                "their_reasons",
                input.their_reasons.as_deref().unwrap_or(""),
                false,
                5_000,
            ),
        };
        checks.finish()?;
        Ok(fields)
    }

    pub(super) fn changed(
        before: &Stakeholder,
        input: StakeholderChange,
        ring_count: usize,
    ) -> Result<Self, Error> {
        let mut checks = Checks::default();
        let prospect_name = match (&before.prospect_name, input.prospect_name) {
            (Some(_), Some(name)) => Some(checks.text("prospect_name", &name, true, 200)),
            (None, Some(_)) => {
                checks.push("prospect_name", &said("check-rename-on-record"));
                None
            }
            (before_name, None) => before_name.clone(),
        };
        let fields = Self {
            organisation_id: before.organisation_id,
            prospect_name,
            name: None,
            today_ring: checked_ring(
                &mut checks,
                "today_ring",
                input.today_ring.unwrap_or(before.today_ring),
                ring_count,
            ),
            ideal_ring: checked_ring(
                &mut checks,
                "ideal_ring",
                input.ideal_ring.unwrap_or(before.ideal_ring),
                ring_count,
            ),
            angle: checked_angle(&mut checks, input.angle.unwrap_or(before.angle)),
            our_reasons: checks.text(
                "our_reasons",
                input.our_reasons.as_deref().unwrap_or(&before.our_reasons),
                false,
                5_000,
            ),
            their_reasons: checks.text(
                "their_reasons",
                input
                    .their_reasons
                    .as_deref()
                    .unwrap_or(&before.their_reasons),
                false,
                5_000,
            ),
        };
        checks.finish()?;
        Ok(fields)
    }
}

fn checked_ring(
    checks: &mut Checks,
    field: &str,
    ring: Option<i16>,
    ring_count: usize,
) -> Option<i16> {
    let ring = ring?;
    if usize::try_from(ring).is_ok_and(|r| r < ring_count) {
        Some(ring)
    } else {
        checks.push(
            field,
            &reader().t2(
                "check-ring-numbers",
                "count",
                ring_count,
                "last",
                ring_count - 1,
            ),
        );
        None
    }
}

/// Any angle, brought between 0 and 360 degrees.
fn checked_angle(checks: &mut Checks, angle: f32) -> f32 {
    if angle.is_finite() {
        angle.rem_euclid(360.0) % 360.0
    } else {
        checks.push("angle", &said("check-angle"));
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::checked_angle;
    use crate::records::Checks;

    #[test]
    fn angles_are_brought_between_0_and_360_degrees() {
        let mut checks = Checks::default();
        assert_eq!(checked_angle(&mut checks, 370.0), 10.0);
        assert_eq!(checked_angle(&mut checks, -90.0), 270.0);
        assert_eq!(checked_angle(&mut checks, 360.0), 0.0);
        // A tiny negative angle rounds to 360, which the table refuses: it is 0.
        assert!(checked_angle(&mut checks, -1e-9) < 360.0);
        assert!(checks.finish().is_ok());
    }
}
