//! The network of a day as a graph (petgraph): narrowed by the filters, measured
//! (density, the most connected, the isolated), and compared with another day.

use std::collections::{BTreeSet, HashMap, HashSet};

use maillage_domain::network::{NetworkNode, NetworkTie, TieLine};
use petgraph::graphmap::UnGraphMap;
use uuid::Uuid;

use super::queries::Named;

/// The ties of one day, with the kind of each end.
pub struct Day {
    pub ties: Vec<NetworkTie>,
    pub kinds: HashMap<Uuid, String>,
}

impl Day {
    pub fn new(rows: Vec<(NetworkTie, String, String)>) -> Self {
        let mut kinds = HashMap::new();
        let ties = rows
            .into_iter()
            .map(|(tie, source_kind, target_kind)| {
                kinds.insert(tie.source, source_kind);
                kinds.insert(tie.target, target_kind);
                tie
            })
            .collect();
        Self { ties, kinds }
    }

    fn graph(&self) -> UnGraphMap<Uuid, ()> {
        let mut graph = UnGraphMap::new();
        for tie in &self.ties {
            graph.add_edge(tie.source, tie.target, ());
        }
        graph
    }

    /// Without the partnerships not in `kept` (a kind or status asked for).
    pub fn only_partnerships(&mut self, kept: &HashSet<Uuid>) {
        let kinds = &self.kinds;
        let is_dropped = |id: &Uuid| {
            kinds.get(id).is_some_and(|kind| kind == "partnership") && !kept.contains(id)
        };
        self.ties
            .retain(|tie| !is_dropped(&tie.source) && !is_dropped(&tie.target));
    }

    /// Only what lies within `distance` ties of one of `seeds`, and the ties between.
    pub fn around(&mut self, seeds: &[Uuid], distance: usize) {
        let graph = self.graph();
        let mut kept: HashSet<Uuid> = seeds
            .iter()
            .copied()
            .filter(|seed| graph.contains_node(*seed))
            .collect();
        let mut frontier: Vec<Uuid> = kept.iter().copied().collect();
        for _ in 0..distance {
            let mut next = Vec::new();
            for node in frontier {
                for neighbour in graph.neighbors(node) {
                    if kept.insert(neighbour) {
                        next.push(neighbour);
                    }
                }
            }
            frontier = next;
        }
        self.ties
            .retain(|tie| kept.contains(&tie.source) && kept.contains(&tie.target));
    }

    /// Every record the ties name.
    pub fn ids(&self) -> Vec<Uuid> {
        let ids: BTreeSet<Uuid> = self
            .ties
            .iter()
            .flat_map(|tie| [tie.source, tie.target])
            .collect();
        ids.into_iter().collect()
    }

    /// The nodes with how many others each is tied to, by kind then name.
    pub fn nodes(&self, names: &HashMap<Uuid, Named>) -> Vec<NetworkNode> {
        let graph = self.graph();
        let mut nodes: Vec<NetworkNode> = graph
            .nodes()
            .filter_map(|id| {
                names.get(&id).map(|named| NetworkNode {
                    id,
                    kind: named.kind.clone(),
                    label: named.label.clone(),
                    degree: u32::try_from(graph.neighbors(id).count()).unwrap_or(u32::MAX),
                })
            })
            .collect();
        nodes.sort_by(|a, b| (&a.kind, &a.label, a.id).cmp(&(&b.kind, &b.label, b.id)));
        nodes
    }

    /// Ties drawn over ties possible between its nodes.
    pub fn density(&self) -> f64 {
        let graph = self.graph();
        let nodes = graph.node_count() as f64;
        if nodes < 2.0 {
            return 0.0;
        }
        2.0 * graph.edge_count() as f64 / (nodes * (nodes - 1.0))
    }

    /// The ties of `self` that `other` lacks, in words.
    pub fn not_in(&self, other: &Day, names: &HashMap<Uuid, Named>) -> Vec<TieLine> {
        let theirs: HashSet<(Uuid, Uuid, &str)> = other
            .ties
            .iter()
            .map(|tie| (tie.source, tie.target, tie.relation.as_str()))
            .collect();
        self.ties
            .iter()
            .filter(|tie| !theirs.contains(&(tie.source, tie.target, tie.relation.as_str())))
            .map(|tie| {
                let (source, target) = (names.get(&tie.source), names.get(&tie.target));
                TieLine {
                    source: tie.source,
                    source_kind: source.map(|n| n.kind.clone()).unwrap_or_default(),
                    source_label: source.map(|n| n.label.clone()).unwrap_or_default(),
                    relation: tie.relation.clone(),
                    target: tie.target,
                    target_kind: target.map(|n| n.kind.clone()).unwrap_or_default(),
                    target_label: target.map(|n| n.label.clone()).unwrap_or_default(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie(source: Uuid, target: Uuid) -> (NetworkTie, String, String) {
        let day = chrono::NaiveDate::MIN;
        (
            NetworkTie {
                source,
                target,
                relation: "partner_in".into(),
                since: day,
                until: None,
            },
            "organisation".into(),
            "partnership".into(),
        )
    }

    #[test]
    fn around_keeps_what_lies_within_the_distance() {
        let [a, b, c, d] = [
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        ];
        let mut day = Day::new(vec![tie(a, b), tie(b, c), tie(c, d)]);
        day.around(&[a], 2);
        assert_eq!(day.ids().len(), 3, "a, b and c; not d, three ties away");
    }

    #[test]
    fn density_is_the_share_of_possible_ties() {
        let [a, b, c] = [Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7()];
        let day = Day::new(vec![tie(a, b), tie(b, c)]);
        assert!((day.density() - 2.0 / 3.0).abs() < 1e-9);
    }
}
