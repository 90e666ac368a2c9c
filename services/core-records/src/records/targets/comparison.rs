//! Two targets side by side: each stakeholder of either, and how far it moved.

use std::collections::BTreeMap;

use maillage_domain::target::{Stakeholder, StakeholderMove};
use uuid::Uuid;

/// Who a stakeholder is across targets: the same organisation, or a prospect of the
/// same name (any case).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Organisation(Uuid),
    Prospect(String),
}

fn who(stakeholder: &Stakeholder) -> Who {
    match stakeholder.organisation_id {
        Some(id) => Who::Organisation(id),
        None => Who::Prospect(stakeholder.label.to_lowercase()),
    }
}

/// How each stakeholder of `earlier` or `now` moved, by name. Rings are compared by
/// number, outside counting as one past each target's last ring.
pub(super) fn moves(
    earlier: &[Stakeholder],
    earlier_rings: usize,
    now: &[Stakeholder],
    rings: usize,
) -> Vec<StakeholderMove> {
    let mut by_who: BTreeMap<Who, (Option<&Stakeholder>, Option<&Stakeholder>)> = BTreeMap::new();
    for stakeholder in earlier {
        by_who.entry(who(stakeholder)).or_default().0 = Some(stakeholder);
    }
    for stakeholder in now {
        by_who.entry(who(stakeholder)).or_default().1 = Some(stakeholder);
    }
    let distance =
        |ring: Option<i16>, count: usize| ring.unwrap_or(i16::try_from(count).unwrap_or(i16::MAX));
    let mut moves: Vec<StakeholderMove> = by_who
        .into_values()
        .filter_map(|(then, now)| {
            let named = now.or(then)?;
            Some(StakeholderMove {
                label: named.label.clone(),
                organisation_id: named.organisation_id,
                was_there: then.is_some(),
                is_there: now.is_some(),
                today_then: then.and_then(|s| s.today_ring),
                today_now: now.and_then(|s| s.today_ring),
                ideal_then: then.and_then(|s| s.ideal_ring),
                ideal_now: now.and_then(|s| s.ideal_ring),
                came_closer: then.zip(now).map(|(then, now)| {
                    distance(then.today_ring, earlier_rings) - distance(now.today_ring, rings)
                }),
            })
        })
        .collect();
    moves.sort_by_key(|m| m.label.to_lowercase());
    moves
}

#[cfg(test)]
mod tests {
    use maillage_domain::target::Stakeholder;
    use uuid::Uuid;

    use super::moves;

    fn placed(label: &str, organisation_id: Option<Uuid>, today: Option<i16>) -> Stakeholder {
        Stakeholder {
            id: Uuid::new_v4(),
            target_id: Uuid::nil(),
            organisation_id,
            prospect_name: organisation_id.is_none().then(|| label.to_owned()),
            label: label.to_owned(),
            today_ring: today,
            ideal_ring: Some(0),
            angle: 0.0,
            our_reasons: String::new(),
            their_reasons: String::new(),
            gap: 0,
            version: 1,
        }
    }

    #[test]
    fn stakeholders_are_matched_by_organisation_or_prospect_name_and_their_moves_counted() {
        let region = Uuid::new_v4();
        let last_year = [
            placed("Région Sud", Some(region), Some(2)),
            placed("Fondation Abbé", None, None),
            placed("Mairie", None, Some(1)),
        ];
        let this_year = [
            // Renamed since: still the same organisation.
            placed("Région Sud-PACA", Some(region), Some(0)),
            placed("fondation abbé", None, Some(3)),
            placed("Les Voisins", None, Some(3)),
        ];
        let found = moves(&last_year, 4, &this_year, 4);
        let told: Vec<_> = found
            .iter()
            .map(|m| (m.label.as_str(), m.was_there, m.is_there, m.came_closer))
            .collect();
        assert_eq!(
            told,
            [
                ("fondation abbé", true, true, Some(1)),
                ("Les Voisins", false, true, None),
                ("Mairie", true, false, None),
                ("Région Sud-PACA", true, true, Some(2)),
            ]
        );
    }
}
