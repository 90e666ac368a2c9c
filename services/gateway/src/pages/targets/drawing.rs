//! The target drawn as SVG, by the gateway: the same drawing in the page (where
//! `static/target.js` lets each place be dragged) and as the file people download.
//! The centre of the drawing is (0, 0); ring `i` of `n` is the band between radii
//! `i·R/n` and `(i+1)·R/n`, and a stakeholder outside the target is drawn past `R`.

use maillage_domain::target::{Stakeholder, Target};
use maillage_i18n::Lang;

/// The radius of the outer ring.
pub const RADIUS: f64 = 300.0;
/// Where stakeholders outside the target are drawn.
const OUTSIDE: f64 = RADIUS + 26.0;
const MARKER: f64 = 9.0;
const IDEAL_MARKER: f64 = 13.0;

/// The rings' fills, the centre darkest.
const FILLS: [&str; 6] = [
    "#c9d4ff", "#dbe2ff", "#e8edff", "#f1f4ff", "#f7f8ff", "#fbfbff",
];

pub struct Drawing {
    pub title: String,
    pub view_box: &'static str,
    pub radius: f64,
    pub ring_count: usize,
    /// Outermost first, to be painted in that order.
    pub rings: Vec<RingShape>,
    pub stakeholders: Vec<Placed>,
}

pub struct RingShape {
    pub name: String,
    pub outer: String,
    pub fill: &'static str,
    /// Where its name is written: at the top of its band.
    pub label_y: String,
}

pub struct Placed {
    pub id: String,
    pub version: i32,
    pub label: String,
    pub prospect: bool,
    pub today: Point,
    pub ideal: Point,
    /// The arrow from today towards the ideal, stopped short of the ideal's marker;
    /// none when it is already there.
    pub arrow: Option<(Point, Point)>,
    /// Where its name is written, and which way it runs.
    pub label_at: Point,
    pub label_anchor: &'static str,
    /// Its places in words, for the markers' tooltips and screen readers.
    pub said: String,
    /// The same, for its ideal's marker.
    pub said_ideal: String,
}

/// A point, its coordinates rounded as SVG writes them.
pub struct Point {
    pub x: String,
    pub y: String,
}

impl Point {
    fn at(x: f64, y: f64) -> Self {
        Self {
            x: format!("{x:.1}"),
            y: format!("{y:.1}"),
        }
    }
}

/// The distance from the centre of the middle of `ring` (outside: past the last).
fn radius_of(ring: Option<i16>, ring_count: usize) -> f64 {
    match ring {
        Some(ring) => RADIUS * (f64::from(ring) + 0.5) / ring_count as f64,
        None => OUTSIDE,
    }
}

/// The name of `ring` among `rings`, or "off the target" in `lang`.
pub fn ring_name(rings: &[String], ring: Option<i16>, lang: Lang) -> String {
    ring.and_then(|r| rings.get(usize::try_from(r).ok()?))
        .cloned()
        .unwrap_or_else(|| lang.t("target-outside"))
}

impl Drawing {
    pub fn of(target: &Target, lang: Lang) -> Self {
        let ring_count = target.rings.len().max(1);
        let rings = target
            .rings
            .iter()
            .enumerate()
            .rev()
            .map(|(index, name)| {
                let outer = RADIUS * (index + 1) as f64 / ring_count as f64;
                RingShape {
                    name: name.clone(),
                    outer: format!("{outer:.1}"),
                    fill: FILLS.get(index).copied().unwrap_or("#ffffff"),
                    label_y: format!("{:.1}", -outer + 16.0),
                }
            })
            .collect();
        let stakeholders = target
            .stakeholders
            .iter()
            .map(|s| placed(target, s, ring_count, lang))
            .collect();
        Self {
            title: lang.t_with("target-svg-title", &[("name", target.name.as_str().into())]),
            view_box: "-480 -350 960 700",
            radius: RADIUS,
            ring_count,
            rings,
            stakeholders,
        }
    }
}

fn placed(target: &Target, stakeholder: &Stakeholder, ring_count: usize, lang: Lang) -> Placed {
    let angle = f64::from(stakeholder.angle).to_radians();
    let (cos, sin) = (angle.cos(), angle.sin());
    let today = radius_of(stakeholder.today_ring, ring_count);
    let ideal = radius_of(stakeholder.ideal_ring, ring_count);
    // The arrow runs along the radius from today's marker to the ideal's rim.
    let arrow = (stakeholder.today_ring != stakeholder.ideal_ring).then(|| {
        let towards = if ideal < today { 1.0 } else { -1.0 };
        let start = today - towards * MARKER;
        let end = ideal + towards * (IDEAL_MARKER + 2.0);
        (
            Point::at(start * cos, start * sin),
            Point::at(end * cos, end * sin),
        )
    });
    let label_x = today * cos + if cos >= 0.0 { 14.0 } else { -14.0 };
    let said = lang.t_with(
        "target-placed",
        &[
            ("who", stakeholder.label.as_str().into()),
            (
                "today",
                ring_name(&target.rings, stakeholder.today_ring, lang).into(),
            ),
            (
                "ideal",
                ring_name(&target.rings, stakeholder.ideal_ring, lang).into(),
            ),
        ],
    );
    Placed {
        id: stakeholder.id.to_string(),
        version: stakeholder.version,
        label: stakeholder.label.clone(),
        prospect: stakeholder.organisation_id.is_none(),
        today: Point::at(today * cos, today * sin),
        ideal: Point::at(ideal * cos, ideal * sin),
        arrow,
        label_at: Point::at(label_x, today * sin + 4.0),
        label_anchor: if cos >= 0.0 { "start" } else { "end" },
        said_ideal: lang.t_with("target-ideal-marker", &[("said", said.as_str().into())]),
        said,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};
    use maillage_domain::target::{Stakeholder, Target};
    use maillage_i18n::Lang;
    use uuid::Uuid;

    use super::{Drawing, OUTSIDE, RADIUS};

    fn target(today: Option<i16>, ideal: Option<i16>, angle: f32) -> Target {
        Target {
            id: Uuid::nil(),
            name: "Cible".into(),
            drawn_on: NaiveDate::default(),
            project_id: None,
            project_name: None,
            rings: vec!["A".into(), "B".into(), "C".into(), "D".into()],
            notes: String::new(),
            stakeholders: vec![Stakeholder {
                id: Uuid::nil(),
                target_id: Uuid::nil(),
                organisation_id: None,
                prospect_name: Some("Piste".into()),
                label: "Piste".into(),
                today_ring: today,
                ideal_ring: ideal,
                angle,
                our_reasons: String::new(),
                their_reasons: String::new(),
                gap: 0,
                version: 1,
            }],
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn number(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }

    #[test]
    fn each_place_is_drawn_in_the_middle_of_its_ring_along_the_stakeholders_angle() {
        let drawing = Drawing::of(&target(Some(3), Some(0), 90.0), Lang::Fr);
        let placed = &drawing.stakeholders[0];
        // Straight down (SVG's y grows downwards): the fourth ring, then the centre's.
        assert!(number(&placed.today.x).abs() < 0.1);
        assert!((number(&placed.today.y) - RADIUS * 3.5 / 4.0).abs() < 0.1);
        assert!((number(&placed.ideal.y) - RADIUS * 0.5 / 4.0).abs() < 0.1);
        let arrow = placed
            .arrow
            .as_ref()
            .map(|(from, to)| (number(&from.y), number(&to.y)));
        assert!(
            arrow.is_some_and(|(from, to)| from > to),
            "{arrow:?}: inwards"
        );
        assert_eq!(
            drawing
                .rings
                .iter()
                .map(|r| r.name.as_str())
                .collect::<Vec<_>>(),
            ["D", "C", "B", "A"],
            "the outermost painted first"
        );
    }

    #[test]
    fn outside_is_past_the_last_ring_and_a_stakeholder_in_place_has_no_arrow() {
        let drawing = Drawing::of(&target(None, None, 0.0), Lang::Fr);
        let placed = &drawing.stakeholders[0];
        assert!((number(&placed.today.x) - OUTSIDE).abs() < 0.1);
        assert!(placed.arrow.is_none());
        assert_eq!(
            placed.said,
            "Piste : aujourd'hui hors de la cible, idéalement hors de la cible"
        );
        let in_english = Drawing::of(&target(None, Some(0), 0.0), Lang::En);
        assert_eq!(
            in_english.stakeholders[0].said,
            "Piste: today off the target, ideally A"
        );
        assert_eq!(in_english.title, "The target \"Cible\"");
    }
}
