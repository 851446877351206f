//! The network as a graph, for the map: people are nodes; introductions,
//! relationships, shared organizations and shared interests are edges, each
//! with the reason it exists.
//!
//! Shared organizations and interests are bounded so a 10,000-person network
//! never builds O(n²) edges: small groups are linked completely, larger ones
//! as a ring where each member links to the next few, and each person only
//! follows their rarest shared interests.

use super::Insight;
use super::fast_hash::{FastMap, FastSet};
use crate::model::{
    InteractionKind, InterestCatalog, InterestKey, Model, PersonId, RelationKind, Stage,
    normalize_interest,
};
use std::collections::VecDeque;

/// Why two people are linked on the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeKind {
    /// One introduced the other (directed: from the introducer).
    Introduction,
    /// A relationship recorded on either person (spouse, colleague...).
    Relationship,
    /// Both belong to the same organization (a tracked group or employer).
    Organization,
    /// Both care about the same, rare enough interests.
    Interest,
}

impl EdgeKind {
    /// Every kind, in legend order.
    pub const ALL: [EdgeKind; 4] = [
        EdgeKind::Introduction,
        EdgeKind::Relationship,
        EdgeKind::Organization,
        EdgeKind::Interest,
    ];

    /// Position in [`EdgeKind::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Legend label.
    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::Introduction => "Introductions",
            EdgeKind::Relationship => "Relationships",
            EdgeKind::Organization => "Organizations",
            EdgeKind::Interest => "Interests",
        }
    }
}

/// One person on the map.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphNode {
    /// The person.
    pub id: PersonId,
    /// Their name.
    pub name: String,
    /// Up to two initials for the avatar.
    pub initials: String,
    /// Their stage (the node's colour).
    pub stage: Stage,
    /// How many interactions you had with them.
    pub interactions: usize,
    /// Depth of the relationship, from 0 (a new acquaintance) up: the stage
    /// plus how often you have been in touch (the node's size).
    pub depth: f32,
}

/// One link between two people.
#[derive(Clone, Debug, PartialEq)]
pub struct GraphEdge {
    /// First node (the introducer for an introduction).
    pub a: u32,
    /// Second node (the person introduced for an introduction).
    pub b: u32,
    /// What kind of link.
    pub kind: EdgeKind,
    /// Strength in 0..=1: how many things they share and how rare they are.
    pub weight: f32,
    /// The reason shown on hover ("Ana introduced Raj", "share: sailing, go").
    pub reason: String,
    /// From `a` to `b` (one introduced the other); false for introductions
    /// you made of the two, and for the other kinds.
    pub directed: bool,
}

/// Small groups are linked completely; larger ones as a ring.
const CLIQUE_MAX: usize = 8;
/// In a ring, each member links to this many next members.
const RING_LINKS: usize = 2;
/// Each person follows at most this many of their rarest shared interests.
const RAREST_INTERESTS: usize = 2;

/// The people of a network and the links between them.
#[derive(Clone, Debug, Default)]
pub struct NetworkGraph {
    /// People not in the trash, by id.
    pub nodes: Vec<GraphNode>,
    /// Links, most important first (introductions, relationships, then by weight).
    pub edges: Vec<GraphEdge>,
    /// Edges touching each node (indices into `edges`).
    adjacency: Vec<Vec<u32>>,
    /// Node index of each person.
    index: FastMap<PersonId, u32>,
    /// Edges of each kind (indexed like [`EdgeKind::ALL`]).
    counts: [usize; 4],
}

/// Up to two initials of a name ("Ana Lima" -> "AL").
pub fn initials(name: &str) -> String {
    let mut words = name.split_whitespace().filter_map(|w| w.chars().next());
    let first = words.next();
    let last = words.next_back();
    let mut out = String::new();
    if let Some(first) = first {
        out.extend(first.to_uppercase());
    }
    if let Some(last) = last {
        out.extend(last.to_uppercase());
    }
    out
}

/// Depth of a relationship: 0 for an acquaintance you never met again, one
/// step per stage (Dormant counts half a step), plus the log of the number of
/// interactions.
pub fn relationship_depth(stage: Stage, interactions: usize) -> f32 {
    (stage.weight() - 1.0) + (1.0 + interactions as f32).ln() * 0.5
}

/// The reason of a relationship edge: `other` is `person`'s `kind`.
fn relation_reason(person: &str, other: &str, kind: &RelationKind) -> String {
    match kind {
        RelationKind::Report => format!("{other} reports to {person}"),
        RelationKind::AssistantOf => format!("{person} is {other}'s assistant"),
        kind => format!("{other} is {person}'s {}", kind.label()),
    }
}

/// A run of text in [`GraphInput::text`].
type Span = (u32, u32);

/// One person as the graph build needs them (texts as spans).
#[derive(Clone, Debug)]
struct PersonInput {
    id: PersonId,
    name: Span,
    stage: Stage,
    interactions: usize,
    introduced_by: Option<PersonId>,
    /// The people you introduced them to (introductions they are first
    /// in): a range of [`GraphInput::introduced`].
    introduced_to: Span,
    /// Their relations: a range of [`GraphInput::relations`].
    relations: Span,
    /// The employer, then the tracked groups (trimmed, not empty): a range
    /// of [`GraphInput::spans`].
    orgs: Span,
    /// Interests as typed: a range of [`GraphInput::spans`].
    interests: Span,
}

/// What the graph is built from, copied out of the model and the insight
/// index (a quick pass on the caller's thread, every text into one buffer)
/// so that the build itself can run on another thread.
#[derive(Clone, Debug, Default)]
pub struct GraphInput {
    people: Vec<PersonInput>,
    text: String,
    spans: Vec<Span>,
    relations: Vec<(PersonId, RelationKind)>,
    /// The other people of the introductions you made.
    introduced: Vec<PersonId>,
    catalog: InterestCatalog,
    /// Display name of each interest key the insight index knows.
    interest_names: FastMap<InterestKey, String>,
}

impl GraphInput {
    /// Copy what the graph needs of everyone not in the trash.
    pub fn gather(model: &Model, insight: &Insight) -> Self {
        let mut input = Self {
            people: Vec::with_capacity(model.people.len()),
            catalog: model.interests.clone(),
            interest_names: insight
                .interests()
                .into_iter()
                .map(|(key, name, _)| (key, name))
                .collect(),
            ..Default::default()
        };
        for person in model.live_people() {
            let name = input.push_text(&person.name);
            let start = input.spans.len() as u32;
            let employer = person.organization.trim();
            if !employer.is_empty() {
                let span = input.push_text(employer);
                input.spans.push(span);
            }
            for membership in &person.memberships {
                if let Some(org) = model.orgs.get(&membership.org) {
                    let org = org.name.trim();
                    if !org.is_empty() {
                        let span = input.push_text(org);
                        input.spans.push(span);
                    }
                }
            }
            let orgs = (start, input.spans.len() as u32);
            for text in &person.interests {
                let span = input.push_text(text);
                input.spans.push(span);
            }
            let interests = (orgs.1, input.spans.len() as u32);
            let start = input.relations.len() as u32;
            input.relations.extend(
                person
                    .relations
                    .iter()
                    .filter_map(|r| Some((r.person?, r.kind.clone()))),
            );
            let introduced_from = input.introduced.len() as u32;
            let stats = insight.stats(person.id);
            // Only the few with an introduction made look at their interactions.
            if stats.count(InteractionKind::IntroductionMade) > 0 {
                for (_, id) in &stats.interactions {
                    if let Some(made) = model.interactions.get(id)
                        && made.kind == InteractionKind::IntroductionMade
                        && made.people.first() == Some(&person.id)
                    {
                        input.introduced.extend(made.people[1..].iter().copied());
                    }
                }
            }
            let introduced_to = (introduced_from, input.introduced.len() as u32);
            input.people.push(PersonInput {
                id: person.id,
                name,
                stage: person.stage,
                interactions: stats.total(),
                introduced_by: person.introduced_by,
                introduced_to,
                relations: (start, input.relations.len() as u32),
                orgs,
                interests,
            });
        }
        input
    }

    fn push_text(&mut self, text: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        (start, self.text.len() as u32)
    }

    fn text(&self, span: Span) -> &str {
        self.text
            .get(span.0 as usize..span.1 as usize)
            .unwrap_or_default()
    }

    /// The texts of a range of [`GraphInput::spans`].
    fn texts(&self, range: Span) -> impl Iterator<Item = &str> {
        self.spans
            .get(range.0 as usize..range.1 as usize)
            .unwrap_or_default()
            .iter()
            .map(|span| self.text(*span))
    }

    /// How many people the graph will have.
    pub fn people(&self) -> usize {
        self.people.len()
    }
}

impl NetworkGraph {
    /// The graph of everyone not in the trash.
    pub fn build(model: &Model, insight: &Insight) -> Self {
        Self::from_input(GraphInput::gather(model, insight))
    }

    /// The graph of what [`GraphInput::gather`] copied.
    pub fn from_input(input: GraphInput) -> Self {
        let people = &input.people;
        let mut graph = NetworkGraph::default();
        for person in people {
            let name = input.text(person.name);
            graph.index.insert(person.id, graph.nodes.len() as u32);
            graph.nodes.push(GraphNode {
                id: person.id,
                name: name.to_string(),
                initials: initials(name),
                stage: person.stage,
                interactions: person.interactions,
                depth: relationship_depth(person.stage, person.interactions),
            });
        }
        let count = graph.nodes.len();
        let mut edges = Vec::new();

        // Introductions and relationships.
        let mut related: FastSet<(u32, u32)> = FastSet::default();
        let mut made: FastSet<(u32, u32)> = FastSet::default();
        for (slot, person) in people.iter().enumerate() {
            let me = slot as u32;
            if let Some(by) = person.introduced_by
                && let Some(&from) = graph.index.get(&by)
                && from != me
            {
                edges.push(GraphEdge {
                    a: from,
                    b: me,
                    kind: EdgeKind::Introduction,
                    weight: 1.0,
                    reason: format!(
                        "{} introduced {}",
                        graph.nodes[from as usize].name, graph.nodes[slot].name
                    ),
                    directed: true,
                });
            }
            let introduced = input
                .introduced
                .get(person.introduced_to.0 as usize..person.introduced_to.1 as usize)
                .unwrap_or_default();
            for other in introduced {
                let Some(&them) = graph.index.get(other) else {
                    continue;
                };
                if them == me || !made.insert((me.min(them), me.max(them))) {
                    continue;
                }
                edges.push(GraphEdge {
                    a: me,
                    b: them,
                    kind: EdgeKind::Introduction,
                    weight: 1.0,
                    reason: format!(
                        "You introduced {} and {}",
                        graph.nodes[slot].name, graph.nodes[them as usize].name
                    ),
                    directed: false,
                });
            }
            let relations = input
                .relations
                .get(person.relations.0 as usize..person.relations.1 as usize)
                .unwrap_or_default();
            for (other, kind) in relations {
                let Some(&them) = graph.index.get(other) else {
                    continue;
                };
                if them == me || !related.insert((me.min(them), me.max(them))) {
                    continue;
                }
                edges.push(GraphEdge {
                    a: me,
                    b: them,
                    kind: EdgeKind::Relationship,
                    weight: 1.0,
                    reason: relation_reason(
                        &graph.nodes[slot].name,
                        &graph.nodes[them as usize].name,
                        kind,
                    ),
                    directed: false,
                });
            }
        }

        // Shared features: organizations (tracked groups and employers, by
        // lowercased name) and interests (canonical keys).
        let mut org_names: Vec<String> = Vec::new();
        let mut org_of: FastMap<String, u32> = FastMap::default();
        let mut interest_names: Vec<String> = Vec::new();
        let mut interest_of: FastMap<String, u32> = FastMap::default();
        let mut orgs: Vec<Vec<u32>> = vec![Vec::new(); count];
        let mut interests: Vec<Vec<u32>> = vec![Vec::new(); count];
        let intern =
            |names: &mut Vec<String>, of: &mut FastMap<String, u32>, key: String, display: &str| {
                *of.entry(key).or_insert_with(|| {
                    names.push(display.to_string());
                    (names.len() - 1) as u32
                })
            };
        for (slot, person) in people.iter().enumerate() {
            let mut mine = Vec::new();
            for name in input.texts(person.orgs) {
                mine.push(intern(
                    &mut org_names,
                    &mut org_of,
                    name.to_lowercase(),
                    name,
                ));
            }
            mine.sort_unstable();
            mine.dedup();
            orgs[slot] = mine;
            let mut mine = Vec::new();
            for text in input.texts(person.interests) {
                let key = input.catalog.resolve_key(normalize_interest(text));
                if key.is_empty() {
                    continue;
                }
                let display = input
                    .interest_names
                    .get(&key)
                    .cloned()
                    .unwrap_or_else(|| text.trim().to_string());
                mine.push(intern(&mut interest_names, &mut interest_of, key, &display));
            }
            mine.sort_unstable();
            mine.dedup();
            interests[slot] = mine;
        }
        let members = |lists: &[Vec<u32>], features: usize| {
            let mut members: Vec<Vec<u32>> = vec![Vec::new(); features];
            for (slot, list) in lists.iter().enumerate() {
                for feature in list {
                    members[*feature as usize].push(slot as u32);
                }
            }
            members
        };
        let org_members = members(&orgs, org_names.len());
        let interest_members = members(&interests, interest_names.len());
        let rarity = |size: usize| ((count.max(2) as f32) / size.max(1) as f32).ln().max(0.1);

        // Organizations: every group, bounded.
        let mut pairs: FastSet<(u32, u32)> = FastSet::default();
        let mut org_pairs = Vec::new();
        for group in &org_members {
            bounded_pairs(group, None, &mut pairs, &mut org_pairs);
        }
        let shared_edges = |pairs: &[(u32, u32)],
                            lists: &[Vec<u32>],
                            groups: &[Vec<u32>],
                            names: &[String],
                            kind: EdgeKind| {
            let mut batch = Vec::with_capacity(pairs.len());
            let mut strongest = 0.0f32;
            for &(a, b) in pairs {
                let shared = intersect(&lists[a as usize], &lists[b as usize]);
                if shared.is_empty() {
                    continue;
                }
                let mut shared: Vec<(f32, u32)> = shared
                    .into_iter()
                    .map(|f| (rarity(groups[f as usize].len()), f))
                    .collect();
                shared.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
                let weight: f32 = shared.iter().map(|(w, _)| w).sum();
                strongest = strongest.max(weight);
                let names: Vec<&str> = shared
                    .iter()
                    .map(|(_, f)| names[*f as usize].as_str())
                    .collect();
                let reason = match kind {
                    EdgeKind::Organization => format!("both in {}", names.join(", ")),
                    _ => format!("share: {}", names.join(", ")),
                };
                batch.push(GraphEdge {
                    a,
                    b,
                    kind,
                    weight,
                    reason,
                    directed: false,
                });
            }
            for edge in &mut batch {
                edge.weight = if strongest > 0.0 {
                    (edge.weight / strongest).clamp(0.05, 1.0)
                } else {
                    1.0
                };
            }
            batch
        };
        edges.extend(shared_edges(
            &org_pairs,
            &orgs,
            &org_members,
            &org_names,
            EdgeKind::Organization,
        ));

        // Interests: each person's rarest shared ones, bounded.
        pairs.clear();
        let mut interest_pairs = Vec::new();
        let mut rarest: Vec<u32> = Vec::new();
        for (slot, list) in interests.iter().enumerate() {
            rarest.clear();
            rarest.extend(
                list.iter()
                    .copied()
                    .filter(|f| interest_members[*f as usize].len() >= 2),
            );
            rarest.sort_by_key(|f| (interest_members[*f as usize].len(), *f));
            rarest.truncate(RAREST_INTERESTS);
            for feature in &rarest {
                bounded_pairs(
                    &interest_members[*feature as usize],
                    Some(slot as u32),
                    &mut pairs,
                    &mut interest_pairs,
                );
            }
        }
        edges.extend(shared_edges(
            &interest_pairs,
            &interests,
            &interest_members,
            &interest_names,
            EdgeKind::Interest,
        ));

        // Most important first: the map thins edges from the end.
        edges.sort_by(|x, y| {
            x.kind
                .cmp(&y.kind)
                .then(y.weight.total_cmp(&x.weight))
                .then((x.a, x.b).cmp(&(y.a, y.b)))
        });
        let mut adjacency = vec![Vec::new(); count];
        for (n, edge) in edges.iter().enumerate() {
            adjacency[edge.a as usize].push(n as u32);
            adjacency[edge.b as usize].push(n as u32);
        }
        for edge in &edges {
            graph.counts[edge.kind.index()] += 1;
        }
        graph.edges = edges;
        graph.adjacency = adjacency;
        graph
    }

    /// The node index of a person.
    pub fn node_of(&self, id: PersonId) -> Option<u32> {
        self.index.get(&id).copied()
    }

    /// Edges touching a node.
    pub fn edges_of(&self, node: u32) -> &[u32] {
        self.adjacency
            .get(node as usize)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// How many edges of a kind there are.
    pub fn count(&self, kind: EdgeKind) -> usize {
        self.counts[kind.index()]
    }

    /// Hops from `center` to every node over the enabled edge kinds
    /// (indexed like [`EdgeKind::ALL`]), `u8::MAX` beyond `max_hops`.
    pub fn hops_from(&self, center: u32, max_hops: u8, enabled: [bool; 4], out: &mut Vec<u8>) {
        out.clear();
        out.resize(self.nodes.len(), u8::MAX);
        let Some(first) = out.get_mut(center as usize) else {
            return;
        };
        *first = 0;
        let mut queue = VecDeque::from([center]);
        while let Some(node) = queue.pop_front() {
            let hops = out[node as usize];
            if hops >= max_hops {
                continue;
            }
            for &edge in self.edges_of(node) {
                let edge = &self.edges[edge as usize];
                if !enabled[edge.kind.index()] {
                    continue;
                }
                let other = if edge.a == node { edge.b } else { edge.a };
                if out[other as usize] == u8::MAX {
                    out[other as usize] = hops + 1;
                    queue.push_back(other);
                }
            }
        }
    }

    /// True when both graphs have the same people and links (a rebuild
    /// that changed nothing the layout sees).
    pub fn same_shape(&self, other: &NetworkGraph) -> bool {
        self.nodes.len() == other.nodes.len()
            && self.edges.len() == other.edges.len()
            && self
                .nodes
                .iter()
                .zip(&other.nodes)
                .all(|(x, y)| x.id == y.id)
            && self
                .edges
                .iter()
                .zip(&other.edges)
                .all(|(x, y)| x.a == y.a && x.b == y.b && x.kind == y.kind)
    }

    /// The edges as the layout takes them: (a, b, weight).
    pub fn layout_edges(&self) -> Vec<(u32, u32, f32)> {
        self.edges
            .iter()
            .map(|e| {
                let pull = match e.kind {
                    EdgeKind::Introduction | EdgeKind::Relationship => 1.0,
                    EdgeKind::Organization => 0.3 + 0.5 * e.weight,
                    EdgeKind::Interest => 0.1 + 0.4 * e.weight,
                };
                (e.a, e.b, pull)
            })
            .collect()
    }
}

/// The sorted items both sorted lists hold.
fn intersect(x: &[u32], y: &[u32]) -> Vec<u32> {
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(x[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// Pairs within a group, bounded: all pairs of a small group, else a ring
/// where each member links to the next [`RING_LINKS`]. With `only`, just the
/// pairs of that member. New pairs (not in `seen`) go to `out`.
fn bounded_pairs(
    group: &[u32],
    only: Option<u32>,
    seen: &mut FastSet<(u32, u32)>,
    out: &mut Vec<(u32, u32)>,
) {
    let size = group.len();
    if size < 2 {
        return;
    }
    let mut add = |x: u32, y: u32| {
        let pair = (x.min(y), x.max(y));
        if x != y && seen.insert(pair) {
            out.push(pair);
        }
    };
    if size <= CLIQUE_MAX {
        for (i, &x) in group.iter().enumerate() {
            for &y in &group[i + 1..] {
                if only.is_none_or(|o| o == x || o == y) {
                    add(x, y);
                }
            }
        }
        return;
    }
    let mut link_from = |i: usize| {
        for step in 1..=RING_LINKS {
            add(group[i], group[(i + step) % size]);
        }
    };
    match only {
        Some(member) => {
            if let Ok(i) = group.binary_search(&member) {
                link_from(i);
            }
        }
        None => (0..size).for_each(link_from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Membership, OrgKind, Organization, Person, Relation};

    fn person(name: &str) -> Person {
        Person {
            id: PersonId::new_random(),
            name: name.into(),
            ..Default::default()
        }
    }

    fn model_of(people: Vec<Person>) -> Model {
        let mut model = Model::default();
        for p in people {
            model.people.insert(p.id, p);
        }
        model
    }

    fn build(model: &Model) -> NetworkGraph {
        NetworkGraph::build(model, &Insight::build(model))
    }

    fn edge(graph: &NetworkGraph, kind: EdgeKind) -> Vec<&GraphEdge> {
        graph.edges.iter().filter(|e| e.kind == kind).collect()
    }

    #[test]
    fn introductions_are_directed_with_a_reason() {
        let ana = person("Ana Lima");
        let mut raj = person("Raj Patel");
        raj.introduced_by = Some(ana.id);
        let model = model_of(vec![ana.clone(), raj.clone()]);
        let graph = build(&model);
        let intros = edge(&graph, EdgeKind::Introduction);
        assert_eq!(intros.len(), 1);
        assert_eq!(intros[0].reason, "Ana Lima introduced Raj Patel");
        assert_eq!(graph.nodes[intros[0].a as usize].id, ana.id);
        assert_eq!(graph.nodes[intros[0].b as usize].id, raj.id);
    }

    #[test]
    fn introductions_you_made_link_the_two_without_a_direction() {
        let dana = person("Dana Whitfield");
        let raj = person("Raj Patel");
        let mut model = model_of(vec![dana.clone(), raj.clone()]);
        for _ in 0..2 {
            let made = crate::model::Interaction::new(
                chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                InteractionKind::IntroductionMade,
                vec![dana.id, raj.id],
            );
            model.interactions.insert(made.id, made);
        }
        // An offer alone draws nothing.
        let offer = crate::model::Interaction::new(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            InteractionKind::IntroductionOffered,
            vec![raj.id, dana.id],
        );
        model.interactions.insert(offer.id, offer);
        let graph = build(&model);
        let intros = edge(&graph, EdgeKind::Introduction);
        assert_eq!(
            intros.len(),
            1,
            "two introductions of one pair are one edge"
        );
        assert_eq!(
            intros[0].reason,
            "You introduced Dana Whitfield and Raj Patel"
        );
        assert!(!intros[0].directed);
    }

    #[test]
    fn relationships_recorded_on_both_sides_are_one_edge() {
        let mut dana = person("Dana");
        let mut raj = person("Raj");
        dana.relations.push(Relation {
            kind: RelationKind::Spouse,
            person: Some(raj.id),
            name: "Raj".into(),
        });
        raj.relations.push(Relation {
            kind: RelationKind::Spouse,
            person: Some(dana.id),
            name: "Dana".into(),
        });
        let graph = build(&model_of(vec![dana, raj]));
        let relations = edge(&graph, EdgeKind::Relationship);
        assert_eq!(relations.len(), 1);
        assert!(
            relations[0].reason.contains("spouse"),
            "{}",
            relations[0].reason
        );
    }

    #[test]
    fn trashed_people_and_dangling_links_leave_no_edges() {
        let mut gone = person("Gone");
        gone.deleted = true;
        let mut kept = person("Kept");
        kept.introduced_by = Some(gone.id);
        kept.relations.push(Relation {
            kind: RelationKind::Friend,
            person: Some(PersonId::new_random()),
            name: "Nobody".into(),
        });
        let graph = build(&model_of(vec![gone, kept]));
        assert_eq!(graph.nodes.len(), 1);
        assert!(graph.edges.is_empty());
    }

    #[test]
    fn shared_organizations_and_interests_give_reasons() {
        let mut model = Model::default();
        let org = Organization::new("Rust Meetup".to_string(), OrgKind::ALL[0]);
        let org_id = org.id;
        model.orgs.insert(org.id, org);
        let mut a = person("Ana");
        let mut b = person("Ben");
        let mut c = person("Cy");
        for p in [&mut a, &mut b] {
            p.memberships.push(Membership {
                org: org_id,
                role: String::new(),
            });
            p.interests = vec!["sailing".into(), "go".into()];
        }
        c.interests = vec!["go".into()];
        for p in [a, b, c] {
            model.people.insert(p.id, p);
        }
        let graph = build(&model);
        let orgs = edge(&graph, EdgeKind::Organization);
        assert_eq!(orgs.len(), 1);
        assert_eq!(orgs[0].reason, "both in Rust Meetup");
        let shared = edge(&graph, EdgeKind::Interest);
        let ana_ben = shared
            .iter()
            .find(|e| {
                graph.nodes[e.a as usize].name != "Cy" && graph.nodes[e.b as usize].name != "Cy"
            })
            .expect("Ana and Ben share interests");
        // Sailing is rarer (2 people) than go (3), so it comes first.
        assert_eq!(ana_ben.reason, "share: sailing, go");
        assert!(shared.iter().all(|e| e.weight > 0.0 && e.weight <= 1.0));
    }

    #[test]
    fn large_groups_stay_linear() {
        let mut people = Vec::new();
        for n in 0..2000 {
            let mut p = person(&format!("P{n}"));
            p.organization = "Big Corp".into();
            p.interests = vec!["chess".into(), format!("rare {}", n / 3)];
            people.push(p);
        }
        let graph = build(&model_of(people));
        let n = graph.nodes.len();
        assert!(graph.count(EdgeKind::Organization) <= n * RING_LINKS);
        assert!(graph.count(EdgeKind::Interest) <= n * RING_LINKS * RAREST_INTERESTS);
        assert!(graph.count(EdgeKind::Interest) > 0);
    }

    #[test]
    fn two_hops_over_enabled_kinds() {
        // a -> b -> c -> d introductions; e shares an employer with a.
        let a = person("A");
        let mut b = person("B");
        let mut c = person("C");
        let mut d = person("D");
        let mut e = person("E");
        b.introduced_by = Some(a.id);
        c.introduced_by = Some(b.id);
        d.introduced_by = Some(c.id);
        let mut a = a;
        a.organization = "Acme".into();
        e.organization = "Acme".into();
        let ids = [a.id, b.id, c.id, d.id, e.id];
        let graph = build(&model_of(vec![a, b, c, d, e]));
        let slot = |i: usize| graph.node_of(ids[i]).expect("node") as usize;
        let mut hops = Vec::new();
        graph.hops_from(slot(0) as u32, 2, [true; 4], &mut hops);
        assert_eq!(hops[slot(0)], 0);
        assert_eq!(hops[slot(1)], 1);
        assert_eq!(hops[slot(2)], 2);
        assert_eq!(hops[slot(3)], u8::MAX, "three hops away");
        assert_eq!(hops[slot(4)], 1);
        graph.hops_from(slot(0) as u32, 2, [true, true, false, true], &mut hops);
        assert_eq!(hops[slot(4)], u8::MAX, "organization links are off");
    }

    #[test]
    fn initials_and_depth() {
        assert_eq!(initials("ana maria lima"), "AL");
        assert_eq!(initials("Raj"), "R");
        assert_eq!(initials("  "), "");
        assert!(relationship_depth(Stage::Trust, 0) > relationship_depth(Stage::Acquaintance, 0));
        assert!(relationship_depth(Stage::Know, 50) > relationship_depth(Stage::Know, 1));
    }
}
