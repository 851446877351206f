//! Who can help whom: each person's open needs (and wants) matched against
//! what others can offer.
//!
//! An offer is anything that says a person can help: their explicit
//! "can help with" list, the needs they already met for others, their job
//! titles and employer, their tags and interests. Texts are reduced to
//! *concepts*: words normalised like interests (lowercase, light stemming,
//! the interest catalog's aliases), stop words dropped, and every word or
//! phrase of a synonym group folded into one concept ("bookkeeper",
//! "accountant" and "CPA" are one). The synonym groups are data: kith's
//! defaults in `assets/synonyms.ron`, extended by the user's own
//! `synonyms.ron` in the data folder (see [`Synonyms`]).
//!
//! [`HelpIndex`] keeps two inverted indexes, concept → offers and
//! concept → needs, updated per person from the insight's [`Touched`]
//! records, so the matches for one person and the network-wide "ways to
//! give" read only the postings of the concepts involved.
//!
//! [`Touched`]: crate::action::Touched

use super::Insight;
use super::fast_hash::{FastMap, FastSet};
use crate::model::{
    InteractionKind, InterestCatalog, Model, Person, PersonId, Stage, normalize_interest,
};
use chrono::NaiveDate;
use std::collections::BinaryHeap;
use std::sync::{Arc, OnceLock};

/// Who can meet a need: a person in the network, or you.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Helper {
    /// Someone in your network.
    Person(PersonId),
    /// You.
    Me,
}

/// One way a need can be met.
#[derive(Clone, Debug, PartialEq)]
pub struct HelpMatch {
    /// Who has the need.
    pub needy: PersonId,
    /// The need (or want) as written.
    pub need: String,
    /// Who could meet it.
    pub helper: Helper,
    /// Why they could: "Bookkeeper at Eriksson & Co", "can help with bookkeeping".
    pub why: String,
    /// Higher is better (between 0 and 1).
    pub score: f32,
}

// ---------------------------------------------------------------------------
// Synonyms

/// kith's own synonym groups (the user's file is merged over them).
pub const BUNDLED_SYNONYMS: &str = include_str!("../../assets/synonyms.ron");

/// The groups of a synonyms file, as written.
pub type SynonymGroups = Vec<Vec<String>>;

/// Groups of words and phrases that mean the same when needs are matched
/// against offers ("bookkeeper" ~ "accountant" ~ "CPA").
///
/// The default is kith's bundled table; [`Synonyms::with_user`] merges the
/// user's groups over it. Cheap to clone (shared).
#[derive(Clone, Debug)]
pub struct Synonyms {
    table: Arc<SynonymTable>,
}

#[derive(Debug, Default, PartialEq)]
struct SynonymTable {
    /// Normalised word or phrase → its group's concept ("~accountant").
    concept_of: FastMap<String, String>,
    /// The most words in one phrase of the table.
    longest: usize,
    /// The user's groups merged in (kept so equal tables compare equal).
    user: SynonymGroups,
}

impl Default for Synonyms {
    fn default() -> Self {
        Self::bundled()
    }
}

impl PartialEq for Synonyms {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.table, &other.table) || self.table == other.table
    }
}

/// The bundled groups, parsed once.
fn bundled_groups() -> &'static SynonymGroups {
    static GROUPS: OnceLock<SynonymGroups> = OnceLock::new();
    GROUPS.get_or_init(|| Synonyms::parse(BUNDLED_SYNONYMS).unwrap_or_default())
}

impl Synonyms {
    /// kith's bundled synonym table.
    pub fn bundled() -> Self {
        static BUNDLED: OnceLock<Synonyms> = OnceLock::new();
        BUNDLED
            .get_or_init(|| Synonyms {
                table: Arc::new(SynonymTable::from_groups(bundled_groups(), Vec::new())),
            })
            .clone()
    }

    /// Parse a synonyms file: a RON list of groups, each a list of words or
    /// phrases (comments allowed).
    pub fn parse(text: &str) -> Result<SynonymGroups, ron::error::SpannedError> {
        ron::from_str(text)
    }

    /// The bundled table with the user's `groups` added: a user group that
    /// shares a word with another group joins it.
    pub fn with_user(groups: SynonymGroups) -> Self {
        if groups.is_empty() {
            return Self::bundled();
        }
        Synonyms {
            table: Arc::new(SynonymTable::from_groups(bundled_groups(), groups)),
        }
    }

    /// The user's groups merged into this table (empty for the bundled one).
    pub fn user_groups(&self) -> &SynonymGroups {
        &self.table.user
    }

    /// True when the two words or phrases mean the same here.
    pub fn same(&self, a: &str, b: &str) -> bool {
        let (a, b) = (normalize_interest(a), normalize_interest(b));
        a == b
            || matches!(
                (self.table.concept_of.get(&a), self.table.concept_of.get(&b)),
                (Some(x), Some(y)) if x == y
            )
    }

    fn concept(&self, term: &str) -> Option<&str> {
        self.table.concept_of.get(term).map(String::as_str)
    }
}

impl SynonymTable {
    fn from_groups(defaults: &SynonymGroups, user: SynonymGroups) -> Self {
        let groups: Vec<Vec<String>> = defaults
            .iter()
            .chain(user.iter())
            .map(|group| {
                let mut terms: Vec<String> = Vec::new();
                for term in group {
                    let key = normalize_interest(term);
                    if !key.is_empty() && !terms.contains(&key) {
                        terms.push(key);
                    }
                }
                terms
            })
            .filter(|terms| !terms.is_empty())
            .collect();
        // Union-find over groups sharing a term; the root is the earliest
        // group, so a default group keeps its name when the user extends it.
        let mut parent: Vec<usize> = (0..groups.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        let mut first_group: FastMap<&str, usize> = FastMap::default();
        for (at, terms) in groups.iter().enumerate() {
            for term in terms {
                match first_group.get(term.as_str()) {
                    Some(other) => {
                        let (a, b) = (find(&mut parent, *other), find(&mut parent, at));
                        if a != b {
                            parent[a.max(b)] = a.min(b);
                        }
                    }
                    None => {
                        first_group.insert(term, at);
                    }
                }
            }
        }
        let mut table = SynonymTable {
            user,
            ..Default::default()
        };
        for (at, terms) in groups.iter().enumerate() {
            let root = find(&mut parent, at);
            let concept = format!("~{}", groups[root][0]);
            for term in terms {
                table.longest = table.longest.max(term.split(' ').count());
                table
                    .concept_of
                    .entry(term.clone())
                    .or_insert_with(|| concept.clone());
            }
        }
        table
    }
}

/// Words that carry no meaning in a need ("A bookkeeper", "Help with taxes").
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "for",
    "new",
    "some",
    "someone",
    "somebody",
    "good",
    "great",
    "help",
    "helping",
    "with",
    "to",
    "of",
    "in",
    "on",
    "at",
    "and",
    "or",
    "my",
    "our",
    "their",
    "his",
    "her",
    "need",
    "needs",
    "find",
    "finding",
    "looking",
    "look",
    "more",
    "people",
    "person",
    "any",
    "who",
    "can",
    "get",
    "getting",
    "intro",
    "intros",
    "introduction",
    "introductions",
    "advice",
    "best",
    "few",
    "one",
    "from",
    "by",
    "about",
    "into",
    "your",
    "like",
    "want",
    "would",
    "as",
    "be",
    "is",
    "are",
    "i",
    "we",
    "me",
    "us",
    "that",
    "this",
    "it",
    "other",
    "recommendation",
    "recommend",
    "reliable",
    "trusted",
    "possible",
    "maybe",
    "etc",
    "also",
];

fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<FastSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        STOP_WORDS
            .iter()
            .flat_map(|w| [w.to_string(), normalize_interest(w)])
            .collect()
    })
    .contains(word)
}

/// The concepts of a need or an offer, as strings, sorted and unique.
fn concepts_of(text: &str, synonyms: &Synonyms, catalog: &InterestCatalog) -> Vec<String> {
    let key = catalog.resolve_key(normalize_interest(text));
    let words: Vec<&str> = key.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<String> = Vec::new();
    let mut covered = vec![false; words.len()];
    let longest = synonyms.table.longest.min(words.len());
    for n in (2..=longest).rev() {
        for start in 0..=words.len() - n {
            if covered[start..start + n].iter().all(|c| *c) {
                continue;
            }
            let phrase = words[start..start + n].join(" ");
            if let Some(concept) = synonyms.concept(&phrase) {
                out.push(concept.to_string());
                covered[start..start + n].iter_mut().for_each(|c| *c = true);
            }
        }
    }
    for (at, word) in words.iter().enumerate() {
        if covered[at] || is_stop_word(word) {
            continue;
        }
        let word = catalog.resolve_key((*word).to_string());
        match synonyms.concept(&word) {
            Some(concept) => out.push(concept.to_string()),
            None => out.push(word),
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

// ---------------------------------------------------------------------------
// The index

type Slot = u32;
type ConceptId = u32;

/// Where an offer comes from; decides how much a match on it counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    /// Their "can help with" list.
    CanHelp,
    /// A need of someone else they met (the owner's `needs_met`).
    HelpedBefore,
    /// Their job title.
    Role,
    /// A further job title.
    OtherTitle,
    /// What they do (vCard ROLE).
    Function,
    /// Their employer.
    Organization,
    /// A tag.
    Tag,
    /// An interest.
    Interest,
}

impl Source {
    /// Explicit offers and past help count most, then what they do, then
    /// tags, then interests.
    fn quality(self) -> f64 {
        match self {
            Source::CanHelp => 1.0,
            Source::HelpedBefore => 0.95,
            Source::Role | Source::OtherTitle | Source::Function => 0.8,
            Source::Organization => 0.55,
            Source::Tag => 0.5,
            Source::Interest => 0.35,
        }
    }
}

/// One person's offer of one concept.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Offer {
    /// Who can help.
    helper: Slot,
    /// Whose record says so (the helper, or the person they helped).
    owner: Slot,
    /// Which item of the source list.
    item: u16,
    source: Source,
}

/// One open need (or want) of a person.
#[derive(Clone, Debug, PartialEq)]
struct NeedEntry {
    /// Index into the person's `needs` (or `wants`).
    item: u16,
    want: bool,
    noted: Option<NaiveDate>,
    concepts: Vec<ConceptId>,
}

/// The inverted indexes behind [`Insight::helpers_for`],
/// [`Insight::ways_to_give`] and [`Insight::can_help_whom`].
#[derive(Clone, Debug, Default)]
pub(crate) struct HelpIndex {
    slot_of: FastMap<PersonId, Slot>,
    ids: Vec<PersonId>,
    live: Vec<bool>,
    stage: Vec<Stage>,
    live_count: usize,
    concept_of: FastMap<String, ConceptId>,
    /// Concept → offers of it.
    offers: Vec<Vec<Offer>>,
    /// Concept → (needy slot, index into their entries).
    need_postings: Vec<Vec<(Slot, u16)>>,
    /// Slot → open needs and wants.
    needs: Vec<Vec<NeedEntry>>,
    /// Slot → (concept, helper) of the offers its record made.
    owned: Vec<Vec<(ConceptId, Slot)>>,
    /// Helper slot → (concept, offer) of everything it can offer.
    helper_offers: Vec<Vec<(ConceptId, Offer)>>,
    /// Live slots with open needs or wants.
    needy: FastSet<Slot>,
    /// Text → its concepts (each distinct spelling is reduced once).
    memo: FastMap<String, Vec<ConceptId>>,
}

impl HelpIndex {
    /// Index every person of `model`.
    pub(crate) fn build(model: &Model) -> Self {
        let mut index = HelpIndex::default();
        index.slot_of.reserve(model.people.len());
        for id in model.people.keys() {
            index.slot_for(*id);
        }
        for person in model.people.values() {
            index.index(model, person.id, Some(person));
        }
        index
    }

    /// Bring one person's offers and needs up to date.
    pub(crate) fn reindex(&mut self, model: &Model, id: PersonId) {
        self.index(model, id, model.people.get(&id));
    }

    fn slot(&self, id: PersonId) -> Option<Slot> {
        self.slot_of.get(&id).copied()
    }

    fn slot_for(&mut self, id: PersonId) -> Slot {
        if let Some(slot) = self.slot_of.get(&id) {
            return *slot;
        }
        let slot = self.ids.len() as Slot;
        self.ids.push(id);
        self.slot_of.insert(id, slot);
        self.live.push(false);
        self.stage.push(Stage::Acquaintance);
        self.needs.push(Vec::new());
        self.owned.push(Vec::new());
        self.helper_offers.push(Vec::new());
        slot
    }

    fn is_live(&self, slot: Slot) -> bool {
        self.live.get(slot as usize).copied().unwrap_or(false)
    }

    fn concepts(&mut self, model: &Model, text: &str) -> Vec<ConceptId> {
        if let Some(ids) = self.memo.get(text) {
            return ids.clone();
        }
        let mut ids: Vec<ConceptId> = concepts_of(text, &model.synonyms, &model.interests)
            .into_iter()
            .map(|concept| self.intern(concept))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        self.memo.insert(text.to_string(), ids.clone());
        ids
    }

    fn intern(&mut self, concept: String) -> ConceptId {
        if let Some(id) = self.concept_of.get(&concept) {
            return *id;
        }
        let id = self.offers.len() as ConceptId;
        self.offers.push(Vec::new());
        self.need_postings.push(Vec::new());
        self.concept_of.insert(concept, id);
        id
    }

    /// Concept ids of a text without interning (for your own offers).
    fn known_concepts(&self, model: &Model, text: &str) -> Vec<ConceptId> {
        if let Some(ids) = self.memo.get(text) {
            return ids.clone();
        }
        let mut ids: Vec<ConceptId> = concepts_of(text, &model.synonyms, &model.interests)
            .iter()
            .filter_map(|concept| self.concept_of.get(concept).copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    fn index(&mut self, model: &Model, id: PersonId, person: Option<&Person>) {
        let slot = self.slot_for(id);
        self.forget(slot);
        let Some(person) = person.filter(|p| !p.deleted) else {
            return;
        };
        self.live[slot as usize] = true;
        self.live_count += 1;
        self.stage[slot as usize] = person.stage;
        let lists: [(&[String], Source); 5] = [
            (&person.can_help_with, Source::CanHelp),
            (&person.other_titles, Source::OtherTitle),
            (&person.functions, Source::Function),
            (&person.tags, Source::Tag),
            (&person.interests, Source::Interest),
        ];
        for (list, source) in lists {
            for (item, text) in list.iter().enumerate() {
                self.add_offers(model, slot, slot, item, source, text);
            }
        }
        self.add_offers(model, slot, slot, 0, Source::Role, &person.role);
        self.add_offers(
            model,
            slot,
            slot,
            0,
            Source::Organization,
            &person.organization,
        );
        for (item, met) in person.needs_met.iter().enumerate() {
            if let Some(helper) = met.helper.filter(|h| *h != id) {
                let helper = self.slot_for(helper);
                self.add_offers(model, helper, slot, item, Source::HelpedBefore, &met.need);
            }
        }
        let mut entries = Vec::new();
        for (list, want) in [(&person.needs, false), (&person.wants, true)] {
            for (item, text) in list.iter().enumerate() {
                let Ok(item) = u16::try_from(item) else {
                    break;
                };
                let concepts = self.concepts(model, text);
                if concepts.is_empty() {
                    continue;
                }
                let at = entries.len() as u16;
                for concept in &concepts {
                    self.need_postings[*concept as usize].push((slot, at));
                }
                entries.push(NeedEntry {
                    item,
                    want,
                    noted: if want {
                        None
                    } else {
                        person.need_noted_on(text)
                    },
                    concepts,
                });
            }
        }
        if !entries.is_empty() {
            self.needy.insert(slot);
        }
        self.needs[slot as usize] = entries;
    }

    fn add_offers(
        &mut self,
        model: &Model,
        helper: Slot,
        owner: Slot,
        item: usize,
        source: Source,
        text: &str,
    ) {
        let Ok(item) = u16::try_from(item) else {
            return;
        };
        if text.trim().is_empty() {
            return;
        }
        for concept in self.concepts(model, text) {
            let offer = Offer {
                helper,
                owner,
                item,
                source,
            };
            self.offers[concept as usize].push(offer);
            self.helper_offers[helper as usize].push((concept, offer));
            self.owned[owner as usize].push((concept, helper));
        }
    }

    /// Remove everything `slot`'s record put in the index.
    fn forget(&mut self, slot: Slot) {
        let mut owned = std::mem::take(&mut self.owned[slot as usize]);
        owned.sort_unstable();
        owned.dedup();
        let mut concepts: Vec<ConceptId> = owned.iter().map(|(c, _)| *c).collect();
        concepts.dedup();
        for concept in concepts {
            self.offers[concept as usize].retain(|o| o.owner != slot);
        }
        let mut helpers: Vec<Slot> = owned.iter().map(|(_, h)| *h).collect();
        helpers.sort_unstable();
        helpers.dedup();
        for helper in helpers {
            self.helper_offers[helper as usize].retain(|(_, o)| o.owner != slot);
        }
        let entries = std::mem::take(&mut self.needs[slot as usize]);
        let mut concepts: Vec<ConceptId> = entries
            .iter()
            .flat_map(|e| e.concepts.iter().copied())
            .collect();
        concepts.sort_unstable();
        concepts.dedup();
        for concept in concepts {
            self.need_postings[concept as usize].retain(|(s, _)| *s != slot);
        }
        self.needy.remove(&slot);
        if self.live[slot as usize] {
            self.live_count -= 1;
        }
        self.live[slot as usize] = false;
        self.stage[slot as usize] = Stage::Acquaintance;
    }

    /// Rarity weight of a concept among offers: rarer concepts say more.
    fn idf(&self, concept: ConceptId) -> f64 {
        let df = self.offers[concept as usize].len() as f64;
        (1.0 + self.live_count.max(1) as f64 / (1.0 + df)).ln()
    }

    fn need_weight(&self, entry: &NeedEntry) -> f64 {
        entry.concepts.iter().map(|c| self.idf(*c)).sum()
    }

    /// Ranking factors of a need that do not depend on the helper.
    fn need_factor(&self, needy: Slot, entry: &NeedEntry, today: NaiveDate) -> f64 {
        let recency = match entry.noted {
            Some(date) => {
                let days = (today - date).num_days().max(0) as f64;
                0.5 + 0.5 * (-days / 90.0).exp()
            }
            None => 0.5,
        };
        let want = if entry.want { 0.6 } else { 1.0 };
        stage_factor(self.stage[needy as usize]) * recency * want
    }

    /// Every helper in the network for one need: (helper, coverage, best offer).
    fn people_for_need(
        &self,
        needy: Slot,
        entry: &NeedEntry,
        scratch: &mut FastMap<Slot, Acc>,
    ) -> Vec<(Slot, f64, Offer)> {
        scratch.clear();
        for concept in &entry.concepts {
            let idf = self.idf(*concept);
            for offer in &self.offers[*concept as usize] {
                let acc = scratch.entry(offer.helper).or_insert(Acc::EMPTY);
                acc.add(*concept, idf * offer.source.quality(), *offer);
            }
        }
        let total = self.need_weight(entry);
        scratch
            .iter_mut()
            .filter(|(helper, _)| **helper != needy && self.is_live(**helper))
            .filter_map(|(helper, acc)| {
                acc.commit();
                let best = acc.best?;
                let coverage = acc.sum / total.max(f64::EPSILON);
                (coverage >= MIN_COVERAGE).then_some((*helper, coverage, best))
            })
            .collect()
    }
}

/// A match must cover at least this share of a need's (weighted) meaning.
const MIN_COVERAGE: f64 = 0.1;

/// How well you know someone, as a factor: you can vouch for those you trust.
fn stage_factor(stage: Stage) -> f64 {
    0.4 + 0.6 * f64::from(stage.weight()) / 4.0
}

/// Accumulates one helper's match on one need, concept by concept: a
/// concept counts once, at its best offer.
#[derive(Clone, Copy, Debug)]
struct Acc {
    sum: f64,
    concept: ConceptId,
    current: f64,
    current_offer: Option<Offer>,
    best_part: f64,
    best: Option<Offer>,
}

impl Acc {
    const EMPTY: Acc = Acc {
        sum: 0.0,
        concept: ConceptId::MAX,
        current: 0.0,
        current_offer: None,
        best_part: 0.0,
        best: None,
    };

    fn add(&mut self, concept: ConceptId, part: f64, offer: Offer) {
        if concept != self.concept {
            self.commit();
            self.concept = concept;
        }
        if part > self.current {
            self.current = part;
            self.current_offer = Some(offer);
        }
    }

    fn commit(&mut self) {
        self.sum += self.current;
        if self.current > self.best_part {
            self.best_part = self.current;
            self.best = self.current_offer;
        }
        self.current = 0.0;
        self.current_offer = None;
    }
}

/// A match before its texts are looked up.
#[derive(Clone, Copy, Debug)]
struct Scored {
    score: f64,
    needy: Slot,
    entry: u16,
    helper: Option<Slot>,
    why: Why,
}

#[derive(Clone, Copy, Debug)]
enum Why {
    Offer(Offer),
    /// Your offer (`true`) or interest, by index.
    Mine(bool, u16),
}

impl Scored {
    /// Sort key: higher score first, then by ids for a stable order.
    fn key(&self, help: &HelpIndex) -> (i64, PersonId, u16, Option<PersonId>) {
        (
            -((self.score * 1e9).round() as i64),
            help.ids[self.needy as usize],
            self.entry,
            self.helper.map(|h| help.ids[h as usize]),
        )
    }
}

/// Worst-first wrapper for a bounded heap of [`Scored`].
struct Ranked(i64, PersonId, u16, Option<PersonId>, Scored);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        (self.0, self.1, self.2, self.3) == (other.0, other.1, other.2, other.3)
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0, self.1, self.2, self.3).cmp(&(other.0, other.1, other.2, other.3))
    }
}

/// Keep `scored` if it is among the best `limit` in `heap`.
fn push_ranked(help: &HelpIndex, heap: &mut BinaryHeap<Ranked>, limit: usize, scored: Scored) {
    heap.push(ranked(help, scored));
    if heap.len() > limit {
        heap.pop();
    }
}

fn ranked(help: &HelpIndex, scored: Scored) -> Ranked {
    let (a, b, c, d) = scored.key(help);
    Ranked(a, b, c, d, scored)
}

/// "Bookkeeper at Eriksson & Co", or the title alone.
fn role_at(title: &str, organization: &str) -> String {
    let (title, organization) = (title.trim(), organization.trim());
    if organization.is_empty() {
        title.to_string()
    } else {
        format!("{title} at {organization}")
    }
}

/// Lowercase the first letter unless the first word is an acronym ("AI").
fn lower_first(text: &str) -> String {
    let text = text.trim();
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

fn first_name(person: &Person) -> &str {
    let given = person.name_parts.given.trim();
    if !given.is_empty() {
        return given;
    }
    person.name.split_whitespace().next().unwrap_or("them")
}

impl Insight {
    /// Rebuild who-can-help from `model` alone (after its synonym table
    /// changed, say); the rest of the index stays as it is.
    pub fn rebuild_help(&mut self, model: &Model) {
        self.help = HelpIndex::build(model);
    }

    /// Best `limit` helpers for the open needs (and wants) of `id`.
    pub fn helpers_for(
        &self,
        model: &Model,
        id: PersonId,
        today: NaiveDate,
        limit: usize,
    ) -> Vec<HelpMatch> {
        let help = &self.help;
        let Some(needy) = help.slot(id).filter(|s| help.is_live(*s)) else {
            return Vec::new();
        };
        if limit == 0 {
            return Vec::new();
        }
        let excluded = self.introduced_to(model, id, today);
        let mine = MyOffers::of(help, model);
        let mut scratch = FastMap::default();
        // The best `limit`, kept in a heap (a common need has thousands of
        // possible helpers at scale).
        let mut all: BinaryHeap<Ranked> = BinaryHeap::with_capacity(limit.min(1024) + 1);
        for (at, entry) in help.needs[needy as usize].iter().enumerate() {
            let factor = help.need_factor(needy, entry, today);
            for (helper, coverage, offer) in help.people_for_need(needy, entry, &mut scratch) {
                if excluded.contains(&help.ids[helper as usize]) {
                    continue;
                }
                push_ranked(
                    help,
                    &mut all,
                    limit,
                    Scored {
                        score: coverage * factor * stage_factor(help.stage[helper as usize]),
                        needy,
                        entry: at as u16,
                        helper: Some(helper),
                        why: Why::Offer(offer),
                    },
                );
            }
            if let Some((coverage, why)) = mine.cover(help, entry) {
                push_ranked(
                    help,
                    &mut all,
                    limit,
                    Scored {
                        score: coverage * factor,
                        needy,
                        entry: at as u16,
                        helper: None,
                        why,
                    },
                );
            }
        }
        let mut all: Vec<Scored> = all.into_iter().map(|r| r.4).collect();
        all.sort_by_cached_key(|s| s.key(help));
        all.into_iter()
            .filter_map(|s| self.describe(model, s))
            .collect()
    }

    /// The best ways to give across the network (your offers first, then
    /// introductions you can make), at most one per needy person.
    /// Introductions get at least half the places when there are enough, so
    /// your own offers never crowd them out.
    pub fn ways_to_give(&self, model: &Model, today: NaiveDate, limit: usize) -> Vec<HelpMatch> {
        let help = &self.help;
        if limit == 0 {
            return Vec::new();
        }
        // Your own offers: through the needs index, concept by concept.
        let mine = MyOffers::of(help, model);
        let mut best_mine: FastMap<Slot, Scored> = FastMap::default();
        let mut sums: FastMap<(Slot, u16), (f64, f64, Why)> = FastMap::default();
        for (concept, (part, why)) in &mine.best {
            for (needy, at) in &help.need_postings[*concept as usize] {
                let entry = sums.entry((*needy, *at)).or_insert((0.0, 0.0, *why));
                entry.0 += part * help.idf(*concept);
                if *part * help.idf(*concept) > entry.1 {
                    entry.1 = *part * help.idf(*concept);
                    entry.2 = *why;
                }
            }
        }
        for ((needy, at), (sum, _, why)) in sums {
            let entry = &help.needs[needy as usize][at as usize];
            let coverage = sum / help.need_weight(entry).max(f64::EPSILON);
            if coverage < MIN_COVERAGE || !help.is_live(needy) {
                continue;
            }
            let scored = Scored {
                score: coverage * help.need_factor(needy, entry, today),
                needy,
                entry: at,
                helper: None,
                why,
            };
            let better = best_mine
                .get(&needy)
                .is_none_or(|old| scored.key(help) < old.key(help));
            if better {
                best_mine.insert(needy, scored);
            }
        }
        let mut out: Vec<Scored> = best_mine.values().copied().collect();
        out.sort_by_cached_key(|s| s.key(help));
        out.truncate(limit);
        // Then introductions, in at least half the places when there are
        // enough: needy people by the best score they could reach,
        // stopping once nobody left can beat the kept ones. Someone you can
        // help yourself is not sent to another.
        let room = limit - out.len().min(limit.div_ceil(2));
        let mut people: Vec<Scored> = Vec::new();
        if room > 0 {
            let taken: FastSet<Slot> = best_mine.keys().copied().collect();
            let mut order: Vec<(f64, PersonId, Slot)> = help
                .needy
                .iter()
                .filter(|s| !taken.contains(s) && help.is_live(**s))
                .map(|s| {
                    let bound = help.needs[*s as usize]
                        .iter()
                        .map(|e| help.need_factor(*s, e, today))
                        .fold(0.0f64, f64::max);
                    (bound, help.ids[*s as usize], *s)
                })
                .collect();
            order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(room + 1);
            let mut scratch = FastMap::default();
            for (bound, id, needy) in order {
                if heap.len() >= room
                    && let Some(worst) = heap.peek()
                    && bound < worst.4.score
                {
                    break;
                }
                let excluded = self.introduced_to(model, id, today);
                let mut best: Option<Scored> = None;
                for (at, entry) in help.needs[needy as usize].iter().enumerate() {
                    let factor = help.need_factor(needy, entry, today);
                    for (helper, coverage, offer) in
                        help.people_for_need(needy, entry, &mut scratch)
                    {
                        if excluded.contains(&help.ids[helper as usize]) {
                            continue;
                        }
                        let scored = Scored {
                            score: coverage * factor * stage_factor(help.stage[helper as usize]),
                            needy,
                            entry: at as u16,
                            helper: Some(helper),
                            why: Why::Offer(offer),
                        };
                        if best.is_none_or(|b| scored.key(help) < b.key(help)) {
                            best = Some(scored);
                        }
                    }
                }
                if let Some(best) = best {
                    heap.push(ranked(help, best));
                    if heap.len() > room {
                        heap.pop();
                    }
                }
            }
            people = heap.into_iter().map(|r| r.4).collect();
            people.sort_by_cached_key(|s| s.key(help));
        }
        out.truncate(limit - people.len());
        out.extend(people);
        out.into_iter()
            .filter_map(|s| self.describe(model, s))
            .collect()
    }

    /// Needs `id` could help with (the other direction, for the person page / map).
    pub fn can_help_whom(
        &self,
        model: &Model,
        id: PersonId,
        today: NaiveDate,
        limit: usize,
    ) -> Vec<HelpMatch> {
        let help = &self.help;
        let Some(helper) = help.slot(id).filter(|s| help.is_live(*s)) else {
            return Vec::new();
        };
        if limit == 0 {
            return Vec::new();
        }
        // The helper's best offer per concept.
        let mut best: FastMap<ConceptId, (f64, Offer)> = FastMap::default();
        for (concept, offer) in &help.helper_offers[helper as usize] {
            if !help.is_live(offer.owner) && offer.owner != helper {
                continue;
            }
            let quality = offer.source.quality();
            let slot = best.entry(*concept).or_insert((0.0, *offer));
            if quality > slot.0 {
                *slot = (quality, *offer);
            }
        }
        let mut sums: FastMap<(Slot, u16), (f64, f64, Offer)> = FastMap::default();
        for (concept, (quality, offer)) in &best {
            let part = quality * help.idf(*concept);
            for (needy, at) in &help.need_postings[*concept as usize] {
                if *needy == helper {
                    continue;
                }
                let entry = sums.entry((*needy, *at)).or_insert((0.0, 0.0, *offer));
                entry.0 += part;
                if part > entry.1 {
                    entry.1 = part;
                    entry.2 = *offer;
                }
            }
        }
        let helper_factor = stage_factor(help.stage[helper as usize]);
        let mut all: Vec<Scored> = sums
            .into_iter()
            .filter(|((needy, _), _)| help.is_live(*needy))
            .filter_map(|((needy, at), (sum, _, offer))| {
                let entry = &help.needs[needy as usize][at as usize];
                let coverage = sum / help.need_weight(entry).max(f64::EPSILON);
                (coverage >= MIN_COVERAGE).then(|| Scored {
                    score: coverage * help.need_factor(needy, entry, today) * helper_factor,
                    needy,
                    entry: at,
                    helper: Some(helper),
                    why: Why::Offer(offer),
                })
            })
            .collect();
        all.sort_by_cached_key(|s| s.key(help));
        let mut out = Vec::new();
        for scored in all {
            if out.len() >= limit {
                break;
            }
            let needy = help.ids[scored.needy as usize];
            if self.introduced_to(model, needy, today).contains(&id) {
                continue;
            }
            out.extend(self.describe(model, scored));
        }
        out
    }

    /// People `id` was introduced to (or offered to be, unless they
    /// declined more than a year ago): not suggested again.
    fn introduced_to(&self, model: &Model, id: PersonId, today: NaiveDate) -> FastSet<PersonId> {
        let mut out = FastSet::default();
        for (_, interaction_id) in &self.stats(id).interactions {
            let Some(interaction) = model.interactions.get(interaction_id) else {
                continue;
            };
            let blocks = match interaction.kind {
                InteractionKind::IntroductionMade => true,
                InteractionKind::IntroductionOffered => match &interaction.intro {
                    Some(offer) => offer
                        .declined_on()
                        .is_none_or(|date| (today - date).num_days() < 365),
                    None => true,
                },
                _ => false,
            };
            if blocks {
                out.extend(interaction.people.iter().filter(|p| **p != id).copied());
            }
        }
        out
    }

    /// The texts of a match, read from the model.
    fn describe(&self, model: &Model, scored: Scored) -> Option<HelpMatch> {
        let help = &self.help;
        let needy_id = help.ids[scored.needy as usize];
        let needy = model.people.get(&needy_id)?;
        let entry = help.needs[scored.needy as usize].get(scored.entry as usize)?;
        let list = if entry.want {
            &needy.wants
        } else {
            &needy.needs
        };
        let need = list.get(entry.item as usize)?.clone();
        let why = match scored.why {
            Why::Mine(true, item) => {
                format!(
                    "you offer {}",
                    lower_first(model.me.offers.get(item as usize)?)
                )
            }
            Why::Mine(false, item) => {
                format!(
                    "you're into {}",
                    lower_first(model.me.interests.get(item as usize)?)
                )
            }
            Why::Offer(offer) => {
                let helper = model.people.get(&help.ids[offer.helper as usize])?;
                let item = offer.item as usize;
                match offer.source {
                    Source::CanHelp => {
                        format!(
                            "can help with {}",
                            lower_first(helper.can_help_with.get(item)?)
                        )
                    }
                    Source::HelpedBefore => {
                        let owner = model.people.get(&help.ids[offer.owner as usize])?;
                        if owner.id == needy_id {
                            "helped them with this before".to_string()
                        } else {
                            format!("helped {} with this before", first_name(owner))
                        }
                    }
                    Source::Role => role_at(&helper.role, &helper.organization),
                    Source::OtherTitle => {
                        role_at(helper.other_titles.get(item)?, &helper.organization)
                    }
                    Source::Function => role_at(helper.functions.get(item)?, &helper.organization),
                    Source::Organization => format!("works at {}", helper.organization.trim()),
                    Source::Tag => format!("tagged {}", helper.tags.get(item)?.trim()),
                    Source::Interest => {
                        format!("into {}", lower_first(helper.interests.get(item)?))
                    }
                }
            }
        };
        let helper = match scored.helper {
            Some(slot) => Helper::Person(help.ids[slot as usize]),
            None => Helper::Me,
        };
        Some(HelpMatch {
            needy: needy_id,
            need,
            helper,
            why,
            score: scored.score as f32,
        })
    }
}

/// Your offers and interests as concepts: concept → (quality, which item).
struct MyOffers {
    best: Vec<(ConceptId, (f64, Why))>,
}

impl MyOffers {
    fn of(help: &HelpIndex, model: &Model) -> Self {
        let mut best: FastMap<ConceptId, (f64, Why)> = FastMap::default();
        let lists = [
            (&model.me.offers, true, Source::CanHelp),
            (&model.me.interests, false, Source::Interest),
        ];
        for (list, offer, source) in lists {
            for (item, text) in list.iter().enumerate() {
                let Ok(item) = u16::try_from(item) else {
                    break;
                };
                for concept in help.known_concepts(model, text) {
                    let quality = source.quality();
                    let slot = best.entry(concept).or_insert((0.0, Why::Mine(offer, item)));
                    if quality > slot.0 {
                        *slot = (quality, Why::Mine(offer, item));
                    }
                }
            }
        }
        let mut best: Vec<(ConceptId, (f64, Why))> = best.into_iter().collect();
        best.sort_by_key(|(c, _)| *c);
        MyOffers { best }
    }

    /// How well your offers cover one need: (coverage, the best reason).
    fn cover(&self, help: &HelpIndex, entry: &NeedEntry) -> Option<(f64, Why)> {
        let mut sum = 0.0;
        let mut best: Option<(f64, Why)> = None;
        for concept in &entry.concepts {
            if let Ok(at) = self.best.binary_search_by_key(concept, |(c, _)| *c) {
                let (quality, why) = self.best[at].1;
                let part = quality * help.idf(*concept);
                sum += part;
                if best.is_none_or(|(b, _)| part > b) {
                    best = Some((part, why));
                }
            }
        }
        let coverage = sum / help.need_weight(entry).max(f64::EPSILON);
        let (_, why) = best?;
        (coverage >= MIN_COVERAGE).then_some((coverage, why))
    }
}

#[cfg(test)]
#[path = "help_tests.rs"]
mod tests;
