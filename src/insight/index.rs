//! The inverted index (feature → people) and per-person interaction stats.

use super::fast_hash::{FastMap, FastSet};
use crate::action::Touched;
use crate::model::{
    Interaction, InteractionId, InteractionKind, InterestKey, Model, PersonId, Stage,
    normalize_interest,
};
use chrono::NaiveDate;
use std::cmp::Ordering;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};

/// What a feature is: something two people can have in common.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeatureKind {
    /// A canonical interest.
    Interest,
    /// Membership in a tracked organization.
    Organization,
    /// A tag.
    Tag,
}

/// One interned feature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feature {
    /// Interest, organization or tag.
    pub kind: FeatureKind,
    /// Canonical key (interest key, org id, lowercased tag).
    pub key: String,
    /// Name to show.
    pub display: String,
}

/// A feature two people share, with its rarity weight.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedFeature {
    /// The feature.
    pub kind: FeatureKind,
    /// Name to show.
    pub display: String,
    /// IDF-like weight: rarer features weigh more.
    pub weight: f64,
}

/// A suggested introduction: two people who share features and are not connected.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// First person (lower id for whole-network results; the query person otherwise).
    pub a: PersonId,
    /// Second person.
    pub b: PersonId,
    /// Sum of shared feature weights.
    pub score: f64,
    /// What they share, heaviest first (the reason shown to the user).
    pub shared: Vec<SharedFeature>,
}

impl Candidate {
    /// "both like running; both in Chamber of Commerce".
    pub fn reason(&self) -> String {
        self.shared
            .iter()
            .map(|f| match f.kind {
                FeatureKind::Interest => format!("both into {}", f.display),
                FeatureKind::Organization => format!("both in {}", f.display),
                FeatureKind::Tag => format!("both tagged {}", f.display),
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Interaction statistics for one person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonStats {
    /// Their interactions, oldest first.
    pub interactions: Vec<(NaiveDate, InteractionId)>,
    /// Last contact.
    pub last_contact: Option<NaiveDate>,
    /// First contact.
    pub first_contact: Option<NaiveDate>,
    /// Count per kind, indexed like [`InteractionKind::ALL`].
    pub kind_counts: [u32; KINDS],
}

impl PersonStats {
    /// Total interactions.
    pub fn total(&self) -> usize {
        self.interactions.len()
    }

    /// Count of one kind.
    pub fn count(&self, kind: InteractionKind) -> u32 {
        self.kind_counts[kind_index(kind)]
    }

    /// Help given minus help asked: invest before you withdraw.
    pub fn give_ask_balance(&self) -> i64 {
        i64::from(self.count(InteractionKind::HelpGiven))
            - i64::from(self.count(InteractionKind::HelpAsked))
    }

    /// Coffees plus lunches.
    pub fn one_to_ones(&self) -> u32 {
        self.count(InteractionKind::Coffee) + self.count(InteractionKind::Lunch)
    }

    /// Days since the last contact, as of `today`.
    pub fn days_since_contact(&self, today: NaiveDate) -> Option<i64> {
        self.last_contact.map(|d| (today - d).num_days())
    }
}

/// How many interaction kinds there are.
const KINDS: usize = InteractionKind::ALL.len();

/// Days a declined introduction is not suggested again.
pub const DECLINE_QUIET_DAYS: i64 = 365;

/// Why a pair is not suggested for now, though they do not know each other
/// yet: an introduction offer (double opt-in) is waiting on answers, or one
/// side declined on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hold {
    /// Waiting on answers.
    Open,
    /// Declined on this day.
    Declined(NaiveDate),
}

impl Hold {
    /// The hold an offer puts on its pair (None once the introduction is made).
    fn of(interaction: &Interaction) -> Option<Hold> {
        let offer = interaction.intro.as_ref()?;
        if offer.made.is_some() {
            return None;
        }
        Some(match offer.declined_on() {
            Some(date) => Hold::Declined(date),
            None => Hold::Open,
        })
    }

    /// Whether it still keeps the pair out of the suggestions on `today`
    /// (an unknown day keeps every decline).
    fn holds(self, today: Option<NaiveDate>) -> bool {
        match (self, today) {
            (Hold::Open, _) | (Hold::Declined(_), None) => true,
            (Hold::Declined(on), Some(today)) => {
                today < on + chrono::Duration::days(DECLINE_QUIET_DAYS)
            }
        }
    }
}

fn kind_index(kind: InteractionKind) -> usize {
    InteractionKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(InteractionKind::ALL.len() - 1)
}

/// A pending follow-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// When it is due.
    pub due: NaiveDate,
    /// The interaction it belongs to.
    pub interaction: InteractionId,
}

/// Follow-ups split by urgency.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FollowUps {
    /// Due before today, oldest first.
    pub overdue: Vec<FollowUp>,
    /// Due today.
    pub due_today: Vec<FollowUp>,
    /// Due in the coming window, soonest first.
    pub upcoming: Vec<FollowUp>,
}

type Slot = u32;
type FeatureId = u32;

/// What a build reads from the interactions, without touching the index.
struct ReadInteractions<'a> {
    /// (slot, date, id, kind) of single-person interactions.
    single: Vec<(Slot, NaiveDate, InteractionId, u8)>,
    /// Interactions with several people or unknown people.
    others: Vec<&'a Interaction>,
    /// Pending follow-ups.
    pending: Vec<(NaiveDate, InteractionId)>,
}

fn read_interactions<'a>(
    model: &'a Model,
    slot_of: &FastMap<PersonId, Slot>,
) -> ReadInteractions<'a> {
    let mut read = ReadInteractions {
        single: Vec::with_capacity(model.interactions.len() + model.interactions.len() / 8),
        others: Vec::new(),
        pending: Vec::new(),
    };
    for interaction in model.interactions.values() {
        if let Some(due) = interaction
            .follow_up
            .filter(|_| !interaction.follow_up_done)
        {
            read.pending.push((due, interaction.id));
        }
        match interaction.people.as_slice() {
            [only] => match slot_of.get(only) {
                Some(slot) => read.single.push((
                    *slot,
                    interaction.date,
                    interaction.id,
                    kind_index(interaction.kind) as u8,
                )),
                None => read.others.push(interaction),
            },
            _ => read.others.push(interaction),
        }
    }
    read
}

/// The index over a model. Build with [`Insight::build`], keep fresh with [`Insight::update`].
#[derive(Debug, Default, Clone)]
pub struct Insight {
    /// People, features and who knows whom: what introductions come from.
    graph: Graph,
    slot_of: FastMap<PersonId, Slot>,
    feature_of: FastMap<(FeatureKind, String), FeatureId>,
    stats: Vec<PersonStats>,
    introduced_by: Vec<Option<Slot>>,
    follow_ups: BTreeSet<(NaiveDate, InteractionId)>,
    follow_up_of: FastMap<InteractionId, NaiveDate>,
    /// Typed interest text → feature, so each distinct spelling is normalised once.
    interest_memo: FastMap<String, FeatureId>,
    /// Stage per slot (Acquaintance for the deleted), for fast scans.
    stages: Vec<Stage>,
    /// Each slot's own rhythm in days (0 = the stage default), for re-engage scans.
    rhythms: Vec<u32>,
    /// Organization → its feature (saves formatting ids while indexing).
    feature_of_org: FastMap<crate::model::OrgId, FeatureId>,
    /// Typed tag → its feature.
    tag_memo: FastMap<String, FeatureId>,
    /// The best [`CANDIDATES_KEPT`] introductions, computed on first use or
    /// by a [`CandidatesJob`], and dropped by updates that can change them
    /// (0.2 to 0.4 s at 100k people; the loader warms it).
    candidates: std::sync::OnceLock<Vec<Candidate>>,
    /// Which state of the index `candidates` belongs to: a job's result is
    /// taken only if nothing changed while it ran.
    candidates_generation: u64,
    /// Interactions that link no pair (introduction offers: asking each
    /// side does not make the two know each other).
    unlinked: FastSet<InteractionId>,
    /// Each introduction offer's pair and the hold it puts on it.
    offers: FastMap<InteractionId, ((Slot, Slot), Hold)>,
    /// Needs and offers: who can help whom (`help.rs`).
    pub(super) help: super::help::HelpIndex,
}

/// A new value of [`Insight::candidates_generation`] (unique in the process,
/// so a job started before a rebuild is never mistaken for a current one).
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// A copy of what the network-wide introductions are computed from, to
/// compute them on another thread while the window stays responsive.
pub struct CandidatesJob {
    generation: u64,
    graph: Graph,
}

/// The introductions a [`CandidatesJob`] found, for [`Insight::accept_candidates`].
pub struct CandidatesReady {
    generation: u64,
    list: Vec<Candidate>,
}

impl CandidatesJob {
    /// Compute the top introductions (takes a while at scale: run it on a
    /// background thread).
    pub fn run(self) -> CandidatesReady {
        CandidatesReady {
            generation: self.generation,
            list: self.graph.compute_top_candidates(CANDIDATES_KEPT),
        }
    }
}

/// How many network-wide introductions [`Insight::top_candidates`] keeps.
const CANDIDATES_KEPT: usize = 50;

fn ordered(a: Slot, b: Slot) -> (Slot, Slot) {
    if a < b { (a, b) } else { (b, a) }
}

impl Insight {
    /// Build the whole index.
    pub fn build(model: &Model) -> Self {
        let mut insight = Insight::default();
        let people_count = model.people.len();
        insight.graph.slots.reserve(people_count);
        insight.slot_of.reserve(people_count);
        for id in model.people.keys() {
            insight.slot_for(*id);
        }
        // People and interactions are read at the same time on two cores:
        // the interaction side only needs a copy of the id → slot map.
        // The help index (`help.rs`) reads only the model, so it is built
        // beside both.
        let slot_of = insight.slot_of.clone();
        let (((), read), help) = rayon::join(
            || {
                rayon::join(
                    || {
                        let mut scratch = Vec::new();
                        for person in model.people.values() {
                            insight.index_person_record(
                                model,
                                person.id,
                                Some(person),
                                &mut scratch,
                            );
                        }
                    },
                    || read_interactions(model, &slot_of),
                )
            },
            || super::help::HelpIndex::build(model),
        );
        for (due, id) in read.pending {
            insight.follow_ups.insert((due, id));
            insight.follow_up_of.insert(id, due);
        }
        let mut flat = read.single;
        for interaction in read.others {
            // Several people, or someone missing from the model (a damaged file).
            let kind = kind_index(interaction.kind) as u8;
            for slot in insight.add_interaction_links_without_follow_up(interaction) {
                flat.push((slot, interaction.date, interaction.id, kind));
            }
        }
        let mut counts = vec![0usize; insight.graph.slots.len()];
        for entry in &flat {
            counts[entry.0 as usize] += 1;
        }
        let mut lists: Vec<Vec<(NaiveDate, InteractionId)>> =
            counts.iter().map(|n| Vec::with_capacity(*n)).collect();
        let mut kinds: Vec<[u32; KINDS]> = vec![[0; KINDS]; insight.graph.slots.len()];
        for (slot, date, id, kind) in flat {
            lists[slot as usize].push((date, id));
            kinds[slot as usize][kind as usize] += 1;
        }
        for (slot, (mut list, kind_counts)) in lists.into_iter().zip(kinds).enumerate() {
            list.sort_unstable();
            let stats = &mut insight.stats[slot];
            stats.first_contact = list.first().map(|x| x.0);
            stats.last_contact = list.last().map(|x| x.0);
            stats.interactions = list;
            stats.kind_counts = kind_counts;
        }
        insight.candidates_generation = next_generation();
        insight.help = help;
        insight
    }

    fn slot_for(&mut self, id: PersonId) -> Slot {
        if let Some(slot) = self.slot_of.get(&id) {
            return *slot;
        }
        let slot = self.graph.slots.len() as Slot;
        self.graph.slots.push(id);
        self.slot_of.insert(id, slot);
        self.graph.live.push(false);
        self.graph.person_features.push(Vec::new());
        self.stats.push(PersonStats::default());
        self.introduced_by.push(None);
        self.stages.push(Stage::Acquaintance);
        self.rhythms.push(0);
        slot
    }

    fn intern(&mut self, kind: FeatureKind, key: String, display: &str) -> FeatureId {
        let key = (kind, key);
        if let Some(id) = self.feature_of.get(&key) {
            return *id;
        }
        let (kind, key) = key;
        let id = self.graph.features.len() as FeatureId;
        self.graph.features.push(Feature {
            kind,
            key: key.clone(),
            display: display.trim().to_string(),
        });
        self.graph.postings.push(Vec::new());
        self.feature_of.insert((kind, key), id);
        id
    }

    /// Recompute one person's features, liveness and introduction link.
    fn index_person(&mut self, model: &Model, id: PersonId) {
        self.index_person_record(model, id, model.people.get(&id), &mut Vec::new());
    }

    /// Like [`Self::index_person`] with the record already looked up.
    /// `scratch` is a reusable buffer, so indexing allocates once per person.
    fn index_person_record(
        &mut self,
        model: &Model,
        id: PersonId,
        person: Option<&crate::model::Person>,
        scratch: &mut Vec<FeatureId>,
    ) {
        let slot = self.slot_for(id);
        // Remove old features.
        let old = std::mem::take(&mut self.graph.person_features[slot as usize]);
        for feature in old {
            let posting = &mut self.graph.postings[feature as usize];
            if let Ok(at) = posting.binary_search(&slot) {
                posting.remove(at);
            }
        }
        if let Some(old_introducer) = self.introduced_by[slot as usize].take() {
            self.disconnect(slot, old_introducer);
        }
        if self.graph.live[slot as usize] {
            self.graph.live_count -= 1;
        }
        self.graph.live[slot as usize] = false;
        self.stages[slot as usize] = Stage::Acquaintance;
        self.rhythms[slot as usize] = 0;
        let Some(person) = person else {
            return;
        };
        if person.deleted {
            return;
        }
        self.stages[slot as usize] = person.stage;
        self.rhythms[slot as usize] = person.rhythm_days.unwrap_or(0);
        self.graph.live[slot as usize] = true;
        self.graph.live_count += 1;
        let features = scratch;
        features.clear();
        for text in &person.interests {
            if let Some(feature) = self.interest_memo.get(text.as_str()) {
                features.push(*feature);
                continue;
            }
            let key = model.interests.resolve(text);
            if key.is_empty() {
                continue;
            }
            let display = model
                .interests
                .get(&key)
                .map(|i| i.name.clone())
                .unwrap_or_else(|| text.to_string());
            let feature = self.intern(FeatureKind::Interest, key, &display);
            self.interest_memo.insert(text.to_string(), feature);
            features.push(feature);
        }
        for org in person.memberships.iter().map(|m| m.org) {
            if let Some(feature) = self.feature_of_org.get(&org) {
                features.push(*feature);
                continue;
            }
            let display = model
                .orgs
                .get(&org)
                .map(|o| o.name.clone())
                .unwrap_or_else(|| "(unknown organization)".into());
            let feature = self.intern(FeatureKind::Organization, org.to_string(), &display);
            self.feature_of_org.insert(org, feature);
            features.push(feature);
        }
        for tag in &person.tags {
            if let Some(feature) = self.tag_memo.get(tag.as_str()) {
                features.push(*feature);
                continue;
            }
            let key = tag.trim().to_lowercase();
            if !key.is_empty() {
                let feature = self.intern(FeatureKind::Tag, key, tag);
                self.tag_memo.insert(tag.clone(), feature);
                features.push(feature);
            }
        }
        features.sort_unstable();
        features.dedup();
        for feature in features.iter() {
            let posting = &mut self.graph.postings[*feature as usize];
            // Fast path: during a build slots arrive in increasing order.
            if posting.last().is_none_or(|last| *last < slot) {
                posting.push(slot);
            } else if let Err(at) = posting.binary_search(&slot) {
                posting.insert(at, slot);
            }
        }
        self.graph.person_features[slot as usize] = features.clone();
        if let Some(introducer) = person.introduced_by.filter(|by| *by != id) {
            let other = self.slot_for(introducer);
            self.introduced_by[slot as usize] = Some(other);
            self.connect(slot, other);
        }
    }

    fn connect(&mut self, a: Slot, b: Slot) {
        if a != b {
            *self.graph.connections.entry(ordered(a, b)).or_insert(0) += 1;
        }
    }

    fn disconnect(&mut self, a: Slot, b: Slot) {
        if a == b {
            return;
        }
        let key = ordered(a, b);
        if let Some(count) = self.graph.connections.get_mut(&key) {
            *count -= 1;
            if *count == 0 {
                self.graph.connections.remove(&key);
            }
        }
    }

    /// Register an interaction's participants and pair links; returns their slots.
    /// Participants as sorted, de-duplicated slots.
    fn slots_of(&mut self, people: &[PersonId]) -> Vec<Slot> {
        let mut slots: Vec<Slot> = people.iter().map(|p| self.slot_for(*p)).collect();
        slots.sort_unstable();
        slots.dedup();
        slots
    }

    /// Register an interaction's pair links (not its follow-up); returns its slots.
    /// An introduction offer links no one: it holds its pair out of the
    /// suggestions instead.
    fn add_interaction_links_without_follow_up(&mut self, interaction: &Interaction) -> Vec<Slot> {
        let slots = self.slots_of(&interaction.people);
        if interaction.kind == InteractionKind::IntroductionOffered {
            self.unlinked.insert(interaction.id);
            if let ([a, b, ..], Some(hold)) = (interaction.people.as_slice(), Hold::of(interaction))
            {
                let (a, b) = (self.slot_for(*a), self.slot_for(*b));
                if a != b {
                    let pair = ordered(a, b);
                    self.graph.held.entry(pair).or_default().push(hold);
                    self.offers.insert(interaction.id, (pair, hold));
                }
            }
            return slots;
        }
        for (i, a) in slots.iter().enumerate() {
            for b in &slots[i + 1..] {
                self.connect(*a, *b);
            }
        }
        slots
    }

    /// Register an interaction's pair links and follow-up; returns its slots.
    fn add_interaction_links(&mut self, interaction: &Interaction) -> Vec<Slot> {
        let slots = self.add_interaction_links_without_follow_up(interaction);
        if let Some(due) = interaction
            .follow_up
            .filter(|_| !interaction.follow_up_done)
        {
            self.follow_ups.insert((due, interaction.id));
            self.follow_up_of.insert(interaction.id, due);
        }
        slots
    }

    /// Undo [`Self::add_interaction_links`] for the interaction's previous participants.
    fn remove_interaction_links(
        &mut self,
        id: InteractionId,
        people_before: &[PersonId],
    ) -> Vec<Slot> {
        let slots = self.slots_of(people_before);
        if !self.unlinked.remove(&id) {
            for (i, a) in slots.iter().enumerate() {
                for b in &slots[i + 1..] {
                    self.disconnect(*a, *b);
                }
            }
        }
        if let Some((pair, hold)) = self.offers.remove(&id)
            && let Some(holds) = self.graph.held.get_mut(&pair)
        {
            if let Some(at) = holds.iter().position(|h| *h == hold) {
                holds.swap_remove(at);
            }
            if holds.is_empty() {
                self.graph.held.remove(&pair);
            }
        }
        if let Some(due) = self.follow_up_of.remove(&id) {
            self.follow_ups.remove(&(due, id));
        }
        slots
    }

    fn refresh_stats(&mut self, slot: Slot, model: &Model) {
        let stats = &mut self.stats[slot as usize];
        stats
            .interactions
            .retain(|(_, id)| model.interactions.contains_key(id));
        for entry in &mut stats.interactions {
            if let Some(interaction) = model.interactions.get(&entry.1) {
                entry.0 = interaction.date;
            }
        }
        stats.interactions.sort_unstable();
        stats.kind_counts = [0; KINDS];
        for (_, id) in &stats.interactions {
            if let Some(interaction) = model.interactions.get(id) {
                stats.kind_counts[kind_index(interaction.kind)] += 1;
            }
        }
        stats.first_contact = stats.interactions.first().map(|x| x.0);
        stats.last_contact = stats.interactions.last().map(|x| x.0);
    }

    /// What the network-wide introductions read of one person: whether
    /// they count, their features, and who introduced them.
    fn candidate_inputs(&self, id: PersonId) -> Option<(bool, Vec<FeatureId>, Option<Slot>)> {
        let slot = self.slot(id)? as usize;
        Some((
            self.graph.live[slot],
            self.graph.person_features[slot].clone(),
            self.introduced_by[slot],
        ))
    }

    /// Which pairs among `people` already know each other, and which are
    /// held out of the suggestions.
    fn connected_pairs(&self, people: &[PersonId]) -> Vec<(bool, bool)> {
        let slots: Vec<Slot> = people.iter().filter_map(|id| self.slot(*id)).collect();
        let mut pairs = Vec::new();
        for (at, a) in slots.iter().enumerate() {
            for b in &slots[at + 1..] {
                pairs.push((
                    self.graph.connections.contains_key(&ordered(*a, *b)),
                    self.graph.is_held(*a, *b),
                ));
            }
        }
        pairs
    }

    /// Tell the index what day it is: a pair declined a year ago may be
    /// suggested again. Cheap when the day is the same; call it once per frame.
    pub fn set_today(&mut self, today: NaiveDate) {
        let before = self.graph.today;
        if before == Some(today) {
            return;
        }
        self.graph.today = Some(today);
        let changed = self.graph.held.values().flatten().any(|hold| {
            matches!(hold, Hold::Declined(_)) && hold.holds(before) != hold.holds(Some(today))
        });
        if changed {
            self.candidates = std::sync::OnceLock::new();
            self.candidates_generation = next_generation();
        }
    }

    /// True when an introduction of `a` and `b` was offered and is waiting
    /// on answers, or was declined less than a year ago: they are not
    /// suggested (though they do not know each other yet).
    pub fn introduction_held(&self, a: PersonId, b: PersonId) -> bool {
        match (self.slot(a), self.slot(b)) {
            (Some(x), Some(y)) => self.graph.is_held(x, y),
            _ => false,
        }
    }

    /// Bring the index up to date after actions touched these records.
    ///
    /// The cached network-wide introductions are dropped only when a change
    /// can alter them (features, who counts, who knows whom, names shown):
    /// at 100k people they take 0.2 s to compute again, and most edits
    /// (notes, contact details, a coffee with one person, a follow-up done)
    /// leave them as they are.
    pub fn update(&mut self, model: &Model, touched: &[Touched]) {
        let mut candidates_changed = false;
        let mut refresh: FastSet<Slot> = FastSet::default();
        for change in touched {
            match change {
                Touched::Person(id) => {
                    let before = self.candidate_inputs(*id);
                    self.index_person(model, *id);
                    self.help.reindex(model, *id);
                    candidates_changed |= self.candidate_inputs(*id) != before;
                }
                Touched::Org(id) => {
                    // Org renamed or removed: refresh the display name.
                    if let Some(feature) = self
                        .feature_of
                        .get(&(FeatureKind::Organization, id.to_string()))
                        .copied()
                        && let Some(org) = model.orgs.get(id)
                        && self.graph.features[feature as usize].display != org.name
                    {
                        self.graph.features[feature as usize].display = org.name.clone();
                        candidates_changed = true;
                    }
                }
                Touched::Interaction {
                    id, people_before, ..
                } => {
                    let mut involved = people_before.clone();
                    if let Some(interaction) = model.interactions.get(id) {
                        involved.extend(interaction.people.iter().copied());
                    }
                    involved.sort_unstable();
                    involved.dedup();
                    let known_before = self.connected_pairs(&involved);
                    let old = self.remove_interaction_links(*id, people_before);
                    for slot in &old {
                        self.stats[*slot as usize]
                            .interactions
                            .retain(|(_, i)| i != id);
                        refresh.insert(*slot);
                    }
                    if let Some(interaction) = model.interactions.get(id) {
                        let new = self.add_interaction_links(interaction);
                        for slot in new {
                            let stats = &mut self.stats[slot as usize];
                            stats.interactions.push((interaction.date, *id));
                            refresh.insert(slot);
                        }
                    }
                    candidates_changed |= self.connected_pairs(&involved) != known_before;
                }
                Touched::Interests => {
                    candidates_changed = true;
                    // Aliases changed: every spelling must be resolved again.
                    self.interest_memo.clear();
                    self.help = super::help::HelpIndex::build(model);
                    let ids: Vec<PersonId> = model.people.keys().copied().collect();
                    for id in ids {
                        self.index_person(model, id);
                    }
                    for feature in &mut self.graph.features {
                        if feature.kind == FeatureKind::Interest
                            && let Some(entry) = model.interests.get(&feature.key)
                        {
                            feature.display = entry.name.clone();
                        }
                    }
                }
                Touched::Me | Touched::Settings => {}
                Touched::All => {
                    let today = self.graph.today;
                    *self = Insight::build(model);
                    self.graph.today = today;
                    return;
                }
            }
        }
        for slot in refresh {
            self.refresh_stats(slot, model);
        }
        if candidates_changed {
            self.candidates = std::sync::OnceLock::new();
            self.candidates_generation = next_generation();
        }
    }

    /// Number of live (not deleted) people indexed.
    pub fn live_people(&self) -> usize {
        self.graph.live_count
    }

    fn slot(&self, id: PersonId) -> Option<Slot> {
        self.slot_of.get(&id).copied()
    }

    /// Interaction stats for a person (empty for unknown ids).
    pub fn stats(&self, id: PersonId) -> &PersonStats {
        static EMPTY: std::sync::OnceLock<PersonStats> = std::sync::OnceLock::new();
        match self.slot(id) {
            Some(slot) => &self.stats[slot as usize],
            None => EMPTY.get_or_init(PersonStats::default),
        }
    }

    /// True when two people already know each other through you: they shared
    /// an interaction, or one introduced the other.
    pub fn connected(&self, a: PersonId, b: PersonId) -> bool {
        match (self.slot(a), self.slot(b)) {
            (Some(x), Some(y)) => self.graph.connections.contains_key(&ordered(x, y)),
            _ => false,
        }
    }

    /// Everything two people have in common (interests, organizations, tags).
    pub fn common(&self, a: PersonId, b: PersonId) -> Vec<SharedFeature> {
        match (self.slot(a), self.slot(b)) {
            (Some(x), Some(y)) if x != y => self.graph.describe(&self.graph.shared_between(x, y)),
            _ => Vec::new(),
        }
    }

    /// Your interests that this person shares (canonical display names).
    pub fn shared_with_me(&self, model: &Model, id: PersonId) -> Vec<String> {
        let Some(slot) = self.slot(id) else {
            return Vec::new();
        };
        let mine: HashSet<InterestKey> = model
            .me
            .interests
            .iter()
            .map(|t| model.interests.resolve(t))
            .collect();
        let mut out: Vec<String> = self.graph.person_features[slot as usize]
            .iter()
            .map(|f| &self.graph.features[*f as usize])
            .filter(|f| f.kind == FeatureKind::Interest && mine.contains(&f.key))
            .map(|f| f.display.clone())
            .collect();
        out.sort();
        out
    }

    /// Every interest in the network with its number of live people, most popular first.
    pub fn interests(&self) -> Vec<(InterestKey, String, usize)> {
        let mut out: Vec<(InterestKey, String, usize)> = self
            .graph
            .features
            .iter()
            .enumerate()
            .filter(|(i, f)| f.kind == FeatureKind::Interest && !self.graph.postings[*i].is_empty())
            .map(|(i, f)| {
                (
                    f.key.clone(),
                    f.display.clone(),
                    self.graph.postings[i].len(),
                )
            })
            .collect();
        out.sort_by_cached_key(|(_, name, count)| (std::cmp::Reverse(*count), name.to_lowercase()));
        out
    }

    /// The live people who have an interest (canonical key).
    pub fn people_with(&self, key: &str) -> Vec<PersonId> {
        self.feature_of
            .get(&(FeatureKind::Interest, key.to_string()))
            .map(|f| {
                self.graph.postings[*f as usize]
                    .iter()
                    .map(|s| self.graph.slots[*s as usize])
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Interest names containing `needle` (any case), most popular first.
    pub fn suggest_interests(&self, needle: &str, limit: usize) -> Vec<String> {
        let needle = needle.trim().to_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(usize, &str)> = self
            .graph
            .features
            .iter()
            .enumerate()
            .filter(|(i, f)| {
                f.kind == FeatureKind::Interest
                    && !self.graph.postings[*i].is_empty()
                    && f.display.to_lowercase().contains(&needle)
            })
            .map(|(i, f)| (self.graph.postings[i].len(), f.display.as_str()))
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        hits.into_iter()
            .take(limit)
            .map(|(_, name)| name.to_string())
            .collect()
    }

    /// The display name of an interest key.
    pub fn interest_name(&self, key: &str) -> Option<&str> {
        self.feature_of
            .get(&(FeatureKind::Interest, key.to_string()))
            .map(|f| self.graph.features[*f as usize].display.as_str())
    }

    /// Key for typed interest text, resolved through the catalog.
    pub fn interest_key(model: &Model, text: &str) -> InterestKey {
        model.interests.resolve_key(normalize_interest(text))
    }

    /// Top `limit` people `id` should meet: not connected, sharing the most
    /// (rarity-weighted) features. Ties broken by person id.
    pub fn candidates_for(&self, id: PersonId, limit: usize) -> Vec<Candidate> {
        let Some(me) = self.slot(id) else {
            return Vec::new();
        };
        if !self.graph.is_live(me) || limit == 0 {
            return Vec::new();
        }
        let mut score = vec![0.0f64; self.graph.slots.len()];
        let mut touched: Vec<Slot> = Vec::new();
        for feature in &self.graph.person_features[me as usize] {
            let w = self.graph.weight(*feature);
            for other in &self.graph.postings[*feature as usize] {
                let s = &mut score[*other as usize];
                if *s == 0.0 {
                    touched.push(*other);
                }
                *s += w;
            }
        }
        let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(limit + 1);
        for other in touched {
            if other == me
                || !self.graph.is_live(other)
                || self.graph.connections.contains_key(&ordered(me, other))
                || self.graph.is_held(me, other)
            {
                continue;
            }
            push_top(
                &mut heap,
                limit,
                Ranked {
                    score: canonical(score[other as usize]),
                    key: (
                        self.graph.slots[other as usize],
                        self.graph.slots[other as usize],
                    ),
                    pair: (me, other),
                },
            );
        }
        self.graph.finish(heap, true)
    }

    /// The top `limit` introductions across the whole network.
    ///
    /// Exact, without an all-pairs loop: features are visited rarest first and
    /// each pair is scored once, at its rarest shared feature. A person whose
    /// remaining (commoner) features cannot add up to the current cut-off is
    /// skipped, which prunes the huge postings of common interests.
    pub fn top_candidates(&self, limit: usize) -> Vec<Candidate> {
        if limit > CANDIDATES_KEPT {
            return self.graph.compute_top_candidates(limit);
        }
        self.candidates
            .get_or_init(|| self.graph.compute_top_candidates(CANDIDATES_KEPT))
            .iter()
            .take(limit)
            .cloned()
            .collect()
    }

    /// True while the top introductions are computed and kept.
    pub fn candidates_are_cached(&self) -> bool {
        self.candidates.get().is_some()
    }

    /// The top `limit` (at most 50) introductions if they are computed, or
    /// None while they wait for a [`CandidatesJob`]: never blocks, so views
    /// call this.
    pub fn top_candidates_ready(&self, limit: usize) -> Option<Vec<Candidate>> {
        let list = self.candidates.get()?;
        Some(list.iter().take(limit).cloned().collect())
    }

    /// A job that computes the top introductions on another thread (None
    /// when they are already computed). Copying the inputs takes about
    /// 10 ms at 100k people; the computation itself 0.2 to 0.4 s.
    pub fn candidates_job(&self) -> Option<CandidatesJob> {
        if self.candidates_are_cached() {
            return None;
        }
        Some(CandidatesJob {
            generation: self.candidates_generation,
            graph: self.graph.clone(),
        })
    }

    /// Keep a job's introductions if the index has not changed since the
    /// job started; returns whether they were kept.
    pub fn accept_candidates(&mut self, ready: CandidatesReady) -> bool {
        ready.generation == self.candidates_generation && self.candidates.set(ready.list).is_ok()
    }

    /// Compute the top introductions now (so the first frame need not).
    pub fn warm(&self) {
        let _ = self.top_candidates(1);
    }

    /// Follow-ups as of `today`; `upcoming_days` sets the look-ahead window.
    pub fn follow_ups(&self, model: &Model, today: NaiveDate, upcoming_days: i64) -> FollowUps {
        let mut out = FollowUps::default();
        let horizon = today + chrono::Duration::days(upcoming_days);
        for (due, id) in &self.follow_ups {
            if *due > horizon {
                break;
            }
            // Skip follow-ups whose people are all in the trash.
            let alive = model.interactions.get(id).is_some_and(|interaction| {
                interaction
                    .people
                    .iter()
                    .any(|p| self.slot(*p).is_some_and(|s| self.graph.is_live(s)))
            });
            if !alive || !model.interactions.contains_key(id) {
                continue;
            }
            let item = FollowUp {
                due: *due,
                interaction: *id,
            };
            match due.cmp(&today) {
                Ordering::Less => out.overdue.push(item),
                Ordering::Equal => out.due_today.push(item),
                Ordering::Greater => out.upcoming.push(item),
            }
        }
        out
    }

    /// Who introduced the most people, most first (ties by id).
    pub fn top_introducers(&self, limit: usize) -> Vec<(PersonId, usize)> {
        let mut counts: HashMap<Slot, usize> = HashMap::new();
        for (slot, by) in self.introduced_by.iter().enumerate() {
            if let Some(by) = by
                && self.graph.is_live(slot as Slot)
            {
                *counts.entry(*by).or_default() += 1;
            }
        }
        let mut list: Vec<(PersonId, usize)> = counts
            .into_iter()
            .map(|(slot, n)| (self.graph.slots[slot as usize], n))
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(limit);
        list
    }

    /// Ids of live people with their stage and own rhythm in days (0 = the
    /// stage default), in slot order (for scans).
    pub(crate) fn live_ids(&self) -> impl Iterator<Item = (PersonId, Stage, u32, &PersonStats)> {
        self.graph
            .slots
            .iter()
            .enumerate()
            .filter(|(slot, _)| self.graph.live[*slot])
            .map(|(slot, id)| {
                (
                    *id,
                    self.stages[slot],
                    self.rhythms[slot],
                    &self.stats[slot],
                )
            })
    }
}

/// What the network-wide introductions are computed from: part of an
/// [`Insight`], copied into a [`CandidatesJob`] to compute them on another
/// thread.
#[derive(Debug, Default, Clone)]
struct Graph {
    slots: Vec<PersonId>,
    live: Vec<bool>,
    features: Vec<Feature>,
    postings: Vec<Vec<Slot>>,
    person_features: Vec<Vec<FeatureId>>,
    connections: FastMap<(Slot, Slot), u32>,
    live_count: usize,
    /// Pairs held out of the suggestions by introduction offers.
    held: FastMap<(Slot, Slot), Vec<Hold>>,
    /// The day declines are counted from (None: every decline holds).
    today: Option<NaiveDate>,
}

impl Graph {
    /// Whether an offer holds the pair out of the suggestions today.
    fn is_held(&self, a: Slot, b: Slot) -> bool {
        self.held
            .get(&ordered(a, b))
            .is_some_and(|holds| holds.iter().any(|h| h.holds(self.today)))
    }

    fn is_live(&self, slot: Slot) -> bool {
        self.live.get(slot as usize).copied().unwrap_or(false)
    }

    /// Rarity weight of a feature: ln(1 + N / df).
    fn weight(&self, feature: FeatureId) -> f64 {
        let df = self.postings[feature as usize].len().max(1) as f64;
        (1.0 + self.live_count.max(1) as f64 / df).ln()
    }

    fn shared_between(&self, a: Slot, b: Slot) -> Vec<FeatureId> {
        let (fa, fb) = (
            &self.person_features[a as usize],
            &self.person_features[b as usize],
        );
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < fa.len() && j < fb.len() {
            match fa[i].cmp(&fb[j]) {
                Ordering::Less => i += 1,
                Ordering::Greater => j += 1,
                Ordering::Equal => {
                    out.push(fa[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    fn describe(&self, features: &[FeatureId]) -> Vec<SharedFeature> {
        let mut shared: Vec<SharedFeature> = features
            .iter()
            .map(|f| SharedFeature {
                kind: self.features[*f as usize].kind,
                display: self.features[*f as usize].display.clone(),
                weight: self.weight(*f),
            })
            .collect();
        shared.sort_by(|x, y| {
            y.weight
                .total_cmp(&x.weight)
                .then_with(|| x.display.cmp(&y.display))
        });
        shared
    }

    fn finish(&self, heap: BinaryHeap<Ranked>, keep_order: bool) -> Vec<Candidate> {
        let mut ranked = heap.into_vec();
        ranked.sort();
        ranked
            .into_iter()
            .map(|r| {
                let (x, y) = r.pair;
                let (a, b) = if keep_order || self.slots[x as usize] < self.slots[y as usize] {
                    (self.slots[x as usize], self.slots[y as usize])
                } else {
                    (self.slots[y as usize], self.slots[x as usize])
                };
                Candidate {
                    a,
                    b,
                    score: r.score,
                    shared: self.describe(&self.shared_between(x, y)),
                }
            })
            .collect()
    }

    fn compute_top_candidates(&self, limit: usize) -> Vec<Candidate> {
        if limit == 0 {
            return Vec::new();
        }
        let weights: Vec<f64> = (0..self.features.len() as FeatureId)
            .map(|f| self.weight(f))
            .collect();
        let mut order: Vec<FeatureId> = (0..self.features.len() as FeatureId)
            .filter(|f| self.postings[*f as usize].len() >= 2)
            .collect();
        order.sort_by(|a, b| {
            weights[*b as usize]
                .total_cmp(&weights[*a as usize])
                .then(a.cmp(b))
        });
        let mut rank = vec![u32::MAX; self.features.len()];
        for (r, f) in order.iter().enumerate() {
            rank[*f as usize] = r as u32;
        }
        // Per person: features sorted by rank, and suffix sums of weights.
        let mut suffix: Vec<Vec<(u32, f64)>> = vec![Vec::new(); self.slots.len()];
        for (slot, features) in self.person_features.iter().enumerate() {
            if !self.live[slot] {
                continue;
            }
            let mut ranked: Vec<(u32, f64)> = features
                .iter()
                .filter(|f| rank[**f as usize] != u32::MAX)
                .map(|f| (rank[*f as usize], weights[*f as usize]))
                .collect();
            ranked.sort_unstable_by_key(|x| x.0);
            let mut total = 0.0;
            for entry in ranked.iter_mut().rev() {
                total += entry.1;
                entry.1 = total;
            }
            suffix[slot] = ranked;
        }
        let upper_bound = |slot: Slot, r: u32| -> f64 {
            let list = &suffix[slot as usize];
            match list.binary_search_by_key(&r, |x| x.0) {
                Ok(at) => list[at].1,
                Err(_) => 0.0,
            }
        };
        let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(limit + 1);
        let mut members: Vec<(Slot, f64)> = Vec::new();
        for (r, feature) in order.iter().enumerate() {
            let r = r as u32;
            let cutoff = if heap.len() >= limit {
                heap.peek().map(|worst| worst.score).unwrap_or(0.0)
            } else {
                0.0
            };
            members.clear();
            for slot in &self.postings[*feature as usize] {
                if !self.is_live(*slot) {
                    continue;
                }
                let ub = upper_bound(*slot, r);
                if heap.len() < limit || ub >= cutoff - 1e-9 {
                    members.push((*slot, ub));
                }
            }
            if members.len() < 2 {
                continue;
            }
            for i in 0..members.len() {
                for j in (i + 1)..members.len() {
                    let cutoff = if heap.len() >= limit {
                        heap.peek().map(|worst| worst.score).unwrap_or(0.0)
                    } else {
                        f64::NEG_INFINITY
                    };
                    let (a, ua) = members[i];
                    let (b, ub) = members[j];
                    if ua.min(ub) < cutoff - 1e-9 {
                        continue;
                    }
                    if self.connections.contains_key(&ordered(a, b)) || self.is_held(a, b) {
                        continue;
                    }
                    // Score the pair only at its rarest shared feature.
                    let shared = self.shared_between(a, b);
                    let first = shared.iter().map(|f| rank[*f as usize]).min();
                    if first != Some(r) {
                        continue;
                    }
                    let score = canonical(shared.iter().map(|f| weights[*f as usize]).sum());
                    let (ida, idb) = (self.slots[a as usize], self.slots[b as usize]);
                    let key = if ida < idb { (ida, idb) } else { (idb, ida) };
                    push_top(
                        &mut heap,
                        limit,
                        Ranked {
                            score,
                            key,
                            pair: (a, b),
                        },
                    );
                }
            }
        }
        self.finish(heap, false)
    }
}

/// A scored pair; the heap keeps the *worst* on top so it can be evicted.
#[derive(Debug, Clone)]
struct Ranked {
    score: f64,
    key: (PersonId, PersonId),
    pair: (Slot, Slot),
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    /// Better = higher score, then lower ids. "Less" means better.
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.key.cmp(&other.key))
    }
}

/// Round a score so that equal sums added in a different order compare equal
/// (ties are then broken by id, deterministically).
fn canonical(score: f64) -> f64 {
    (score * 1e9).round() / 1e9
}

fn push_top(heap: &mut BinaryHeap<Ranked>, limit: usize, item: Ranked) {
    if heap.len() < limit {
        heap.push(item);
    } else if let Some(worst) = heap.peek()
        && item < *worst
    {
        heap.pop();
        heap.push(item);
    }
}

#[cfg(test)]
#[path = "intro_tests.rs"]
mod intro_tests;
