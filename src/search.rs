//! People search over names, organizations, roles, interests, tags, needs,
//! wants, emails and notes. Pure (no egui); the people panel calls it once
//! per query change.
//!
//! The index is a word index: every person's text is split into folded words
//! (lower case, accents removed), and each word keeps the people it belongs
//! to. A query is split the same way and every query word must match a word
//! of the person: exactly, or as a prefix ("whit" finds "Whitfield"). When no
//! word starts with a query word of three letters or more, it matches fuzzily
//! among the words that share its first two letters ("whtfld" finds
//! "Whitfield"). Typos are forgiven too: a query word of 4 to 7 letters
//! matches words one edit away, a longer one words two edits away (an edit
//! inserts, deletes or replaces a letter, or swaps two neighbours: "marai"
//! finds "Maria", "Whitfeild" finds "Whitfield"). Exact and prefix hits
//! always rank above typo and fuzzy ones. Typo candidates come from the
//! distinct words (bucketed by length, filtered by their letter sets), never
//! from a scan of the people. Work per keystroke follows the
//! matching words, not the number of people, which keeps a keystroke far
//! under a millisecond at 100,000 people.
//!
//! When nothing matches, [`SearchIndex::suggest`] offers the closest known
//! words from names, organizations, interests and tags ("did you mean").

use crate::insight::fast_hash::FastMap;
use crate::model::{Model, Person, PersonId};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// How well a query word matched a person's word.
const EXACT: u32 = 4;
const PREFIX: u32 = 3;
/// One or two edits away (see [`max_edits`]).
const TYPO: u32 = 2;
const FUZZY: u32 = 1;
/// Added to an exact or prefix hit, so it outranks every typo or fuzzy hit
/// whatever the field (4 x 3 < 16).
const LITERAL_BONUS: u32 = 16;

/// Field weights: a hit in the name counts most.
const NAME_WEIGHT: u8 = 3;
const WORK_WEIGHT: u8 = 2;
const OTHER_WEIGHT: u8 = 1;
/// The weight part of a stored weight byte.
const WEIGHT: u8 = 0b11;
/// Flag in a weight byte: the word comes from a name, an organization, an
/// interest or a tag, so "did you mean" may offer it.
const SUGGEST: u8 = 0b100;

/// Words longer than this (in characters) are never typo-matched.
const TYPO_MAX_LEN: usize = 40;

/// Score of a hit of `quality` in a field of weight byte `weight`.
fn points(quality: u32, weight: u8) -> u32 {
    let base = quality * u32::from(weight & WEIGHT);
    if quality >= PREFIX {
        base + LITERAL_BONUS
    } else {
        base
    }
}

/// How many edits a query word of `len` characters forgives: none below 4
/// letters, 1 up to 7, 2 from 8.
pub fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The letters (and hashed other characters) a word holds, one bit each.
/// One edit changes at most two bits, which makes a cheap filter.
fn letter_mask(word: &[char]) -> u64 {
    word.iter().fold(0u64, |mask, c| {
        let bit = if c.is_ascii_lowercase() {
            u32::from(*c) - u32::from('a')
        } else {
            26 + u32::from(*c) % 38
        };
        mask | (1u64 << bit)
    })
}

/// Optimal string alignment distance between `a` and `b` (Damerau-Levenshtein
/// where swapping two neighbours is one edit), or `None` when it is above
/// `max`. Stops as soon as a row exceeds `max`.
pub fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = i;
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(before[j - 2] + 1);
            }
            current[j] = value;
            row_min = row_min.min(value);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let distance = previous[b.len()];
    (distance <= max).then_some(distance)
}

/// Whether a word can be typo-matched (letters only: numbers must match as
/// typed, "0421" is not "0422").
fn typo_eligible(chars: &[char]) -> bool {
    chars.len() <= TYPO_MAX_LEN && chars.iter().all(|c| c.is_alphabetic())
}

/// How well one query word matches one word of a text (0: no match), the
/// way people search matches (exact, prefix, typo, then fuzzy).
fn word_quality(atom: &str, atom_chars: &[char], word: &str) -> u32 {
    if word == atom {
        return EXACT;
    }
    if word.starts_with(atom) {
        return PREFIX;
    }
    let edits = max_edits(atom_chars.len());
    if edits > 0 && typo_eligible(atom_chars) {
        let chars: Vec<char> = word.chars().collect();
        if edit_distance(atom_chars, &chars, edits).is_some() {
            return TYPO;
        }
    }
    if atom_chars.len() >= 3 && word.contains(atom) {
        return FUZZY;
    }
    0
}

/// How well `query` matches a short `text` such as a command title (None:
/// some query word matches no word of the text). The same word matching as
/// people search: exact, prefix and typo-tolerant; a query word found inside
/// a word ("port" in "Export") counts least. Higher is better.
pub fn text_score(query: &str, text: &str) -> Option<u32> {
    let text_words: Vec<String> = words(text).collect();
    let mut total = 0;
    for atom in words(query) {
        let atom_chars: Vec<char> = atom.chars().collect();
        let best = text_words
            .iter()
            .map(|word| word_quality(&atom, &atom_chars, word))
            .max()
            .unwrap_or(0);
        if best == 0 {
            return None;
        }
        total += points(best, NAME_WEIGHT);
    }
    Some(total)
}

/// Fold one character for matching: accents removed, lower case.
fn fold_char(c: char) -> char {
    nucleo_matcher::chars::to_lower_case(nucleo_matcher::chars::normalize(c))
}

/// Fold text for matching (ASCII takes a fast path).
fn fold(text: &str) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        text.chars().map(fold_char).collect()
    }
}

/// Split text into folded words (letters and digits; everything else separates).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(fold)
}

/// A person's words with the weight of the field they come from.
fn weighted_words(person: &Person) -> Vec<(String, u8)> {
    let mut out: Vec<(String, u8)> = Vec::with_capacity(24);
    const NAME: u8 = NAME_WEIGHT | SUGGEST;
    out.extend(words(&person.name).map(|w| (w, NAME)));
    for nickname in &person.nicknames {
        out.extend(words(nickname).map(|w| (w, NAME)));
    }
    let parts = &person.name_parts;
    for part in [
        &parts.given,
        &parts.additional,
        &parts.family,
        &parts.phonetic_given,
        &parts.phonetic_family,
    ] {
        out.extend(words(part).map(|w| (w, NAME)));
    }
    out.extend(words(&person.organization).map(|w| (w, WORK_WEIGHT | SUGGEST)));
    out.extend(words(&person.role).map(|w| (w, WORK_WEIGHT)));
    for list in [&person.org_units, &person.other_titles, &person.functions] {
        for item in list {
            out.extend(words(item).map(|w| (w, WORK_WEIGHT)));
        }
    }
    out.extend(words(&person.met.place).map(|w| (w, OTHER_WEIGHT)));
    for list in [&person.interests, &person.tags] {
        for item in list {
            out.extend(words(item).map(|w| (w, OTHER_WEIGHT | SUGGEST)));
        }
    }
    for list in [&person.needs, &person.wants] {
        for item in list {
            out.extend(words(item).map(|w| (w, OTHER_WEIGHT)));
        }
    }
    for email in &person.emails {
        out.extend(words(&email.value).map(|w| (w, OTHER_WEIGHT)));
    }
    for address in &person.addresses {
        for part in [&address.locality, &address.region, &address.country] {
            out.extend(words(part).map(|w| (w, OTHER_WEIGHT)));
        }
    }
    for relation in &person.relations {
        out.extend(words(&relation.name).map(|w| (w, OTHER_WEIGHT)));
    }
    out.extend(words(&person.notes).map(|w| (w, OTHER_WEIGHT)));
    // One entry per word, with its best field (and a suggestion flag if
    // any field that holds it carries one).
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then((b.1 & WEIGHT).cmp(&(a.1 & WEIGHT))));
    out.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same {
            first.1 |= later.1 & SUGGEST;
        }
        same
    });
    out
}

/// Word index over the live (not deleted) people of a model.
#[derive(Default)]
pub struct SearchIndex {
    /// Person per slot (`None` for a free slot).
    people: Vec<Option<PersonId>>,
    slot_of: FastMap<PersonId, u32>,
    free: Vec<u32>,
    /// Folded name per slot, for the name order.
    names: Vec<String>,
    /// Slots ordered by folded name, then id.
    by_name: Vec<u32>,
    /// Word text per word id.
    vocabulary: Vec<String>,
    word_id: FastMap<String, u32>,
    /// Every word id ordered by text (for prefix ranges).
    sorted_words: Vec<u32>,
    /// Alphabetic words by length, with their letter masks (typo candidates).
    typo_buckets: Vec<Vec<(u32, u64)>>,
    /// Per word id: it came from a name, organization, interest or tag.
    suggestable: Vec<bool>,
    /// Each slot's words with their field weight: the source of truth.
    slot_words: Vec<Vec<(u32, u8)>>,
    /// People per word in one contiguous array, as of the last compaction.
    base: Postings,
    /// Slots changed since the last compaction (their base entries are stale).
    dirty: Vec<u32>,
    is_dirty: Vec<bool>,
    matcher: Option<Matcher>,
    /// Scratch space per slot, reused across searches.
    scratch: Scratch,
    /// The last query's words and the people left after each of them:
    /// typing at the end of a query only works on its last word.
    last_atoms: Vec<String>,
    last_levels: Vec<Vec<(u32, u32)>>,
}

/// Compact postings: the words in text order, and for word `i` its people
/// in `entries[offsets[i]..offsets[i + 1]]`, so a prefix range of words is
/// one contiguous run of entries.
#[derive(Default)]
struct Postings {
    words: Vec<u32>,
    offsets: Vec<u32>,
    entries: Vec<(u32, u8)>,
}

/// Changed people are re-read from their own words until this many pile up;
/// then the compact postings are rebuilt (tens of milliseconds at 100k).
const MAX_DIRTY: usize = 512;

/// Per-slot scratch arrays, stamped instead of cleared.
#[derive(Default)]
struct Scratch {
    stamp: u32,
    seen: Vec<u32>,
    best: Vec<u32>,
}

impl Scratch {
    /// Start a pass over `slots` slots: a stamp no slot carries yet.
    fn begin(&mut self, slots: usize) -> u32 {
        self.seen.resize(slots, 0);
        self.best.resize(slots, 0);
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.fill(0);
            self.stamp = 1;
        }
        self.stamp
    }

    /// Note `score` for `slot`, keeping the best; true the first time.
    fn offer(&mut self, stamp: u32, slot: u32, score: u32) -> bool {
        let at = slot as usize;
        if self.seen[at] != stamp {
            self.seen[at] = stamp;
            self.best[at] = score;
            true
        } else {
            self.best[at] = self.best[at].max(score);
            false
        }
    }
}

/// How one query word is matched, decided once per word.
struct AtomMatch<'a> {
    atom: &'a str,
    /// No word starts with the atom: match fuzzily within `lead`.
    fuzzy: bool,
    lead: String,
    /// Words within the atom's typo budget that do not start with it, sorted.
    typos: Vec<u32>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("people", &self.slot_of.len())
            .field("words", &self.vocabulary.len())
            .finish()
    }
}

impl SearchIndex {
    /// Index every live person.
    pub fn build(model: &Model) -> Self {
        let mut index = Self::default();
        // Slots are handed out in name order, so walking people by name (to
        // rank a search with many hits) reads memory in order, not at random.
        // Splitting text is the costly part; do it on every core, in that
        // order too, so interning reads the words in the order they were made.
        use rayon::prelude::*;
        let live: Vec<&Person> = model.live_people().collect();
        let mut named: Vec<(String, &Person)> =
            live.par_iter().map(|p| (fold(&p.name), *p)).collect();
        named.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.id.cmp(&b.1.id)));
        let mut per_person: Vec<Vec<(String, u8)>> = Vec::with_capacity(named.len());
        named
            .par_iter()
            .map(|(_, p)| weighted_words(p))
            .collect_into_vec(&mut per_person);
        for ((name, person), words) in named.into_iter().zip(per_person) {
            let slot = index.people.len() as u32;
            index.people.push(Some(person.id));
            index.slot_of.insert(person.id, slot);
            index.names.push(name);
            index.is_dirty.push(false);
            let ids = index.intern(words, false);
            index.slot_words.push(ids);
        }
        index.by_name = (0..index.people.len() as u32).collect();
        index.sorted_words = (0..index.vocabulary.len() as u32).collect();
        let vocabulary = &index.vocabulary;
        index
            .sorted_words
            .sort_unstable_by(|a, b| vocabulary[*a as usize].cmp(&vocabulary[*b as usize]));
        index.compact();
        index
    }

    /// Number of people indexed.
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    /// Whether nobody is indexed.
    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    /// Word ids for words. New words join the vocabulary, and `sorted_words`
    /// too when `keep_sorted` (during a build it is sorted once at the end).
    fn intern(&mut self, words: Vec<(String, u8)>, keep_sorted: bool) -> Vec<(u32, u8)> {
        let mut ids = Vec::with_capacity(words.len());
        for (word, weight) in words {
            let id = match self.word_id.get(&word) {
                Some(id) => *id,
                None => {
                    let id = self.vocabulary.len() as u32;
                    if keep_sorted {
                        let position = self
                            .sorted_words
                            .partition_point(|w| self.vocabulary[*w as usize] < word);
                        self.sorted_words.insert(position, id);
                    }
                    self.word_id.insert(word.clone(), id);
                    self.add_typo_word(id, &word);
                    self.vocabulary.push(word);
                    id
                }
            };
            if weight & SUGGEST != 0 {
                self.suggestable[id as usize] = true;
            }
            ids.push((id, weight));
        }
        ids
    }

    /// Add a new word to the typo buckets (if it has only letters).
    fn add_typo_word(&mut self, id: u32, word: &str) {
        self.suggestable.push(false);
        let chars: Vec<char> = word.chars().collect();
        if chars.len() < 2 || !typo_eligible(&chars) {
            return;
        }
        if self.typo_buckets.len() <= chars.len() {
            self.typo_buckets.resize_with(chars.len() + 1, Vec::new);
        }
        self.typo_buckets[chars.len()].push((id, letter_mask(&chars)));
    }

    /// Typo-eligible words within `max` edits of `atom` (not the atom
    /// itself), with their distance, in word id order.
    fn words_near(&self, atom: &[char], max: usize) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        if max == 0 || !typo_eligible(atom) {
            return out;
        }
        let mask = letter_mask(atom);
        let low = atom.len().saturating_sub(max);
        let high = (atom.len() + max).min(self.typo_buckets.len().saturating_sub(1));
        let mut chars: Vec<char> = Vec::with_capacity(TYPO_MAX_LEN);
        for len in low..=high {
            for (word, word_mask) in &self.typo_buckets[len] {
                if (mask ^ word_mask).count_ones() as usize > 2 * max {
                    continue;
                }
                chars.clear();
                chars.extend(self.vocabulary[*word as usize].chars());
                if let Some(distance) = edit_distance(atom, &chars, max)
                    && distance > 0
                {
                    out.push((*word, distance));
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Rebuild the compact postings from every slot's words.
    fn compact(&mut self) {
        let mut counts = vec![0u32; self.vocabulary.len()];
        for (slot, words) in self.slot_words.iter().enumerate() {
            if self.people[slot].is_some() {
                for (word, _) in words {
                    counts[*word as usize] += 1;
                }
            }
        }
        let mut position_of = vec![0u32; self.vocabulary.len()];
        let mut offsets = Vec::with_capacity(self.sorted_words.len() + 1);
        let mut total = 0u32;
        for (position, word) in self.sorted_words.iter().enumerate() {
            position_of[*word as usize] = position as u32;
            offsets.push(total);
            total += counts[*word as usize];
        }
        offsets.push(total);
        let mut cursor = offsets.clone();
        let mut entries = vec![(0u32, 0u8); total as usize];
        for (slot, words) in self.slot_words.iter().enumerate() {
            if self.people[slot].is_some() {
                for (word, weight) in words {
                    let at = &mut cursor[position_of[*word as usize] as usize];
                    entries[*at as usize] = (slot as u32, *weight);
                    *at += 1;
                }
            }
        }
        self.base = Postings {
            words: self.sorted_words.clone(),
            offsets,
            entries,
        };
        for slot in self.dirty.drain(..) {
            self.is_dirty[slot as usize] = false;
        }
    }

    fn name_key(&self, slot: u32) -> (&str, Option<PersonId>) {
        (&self.names[slot as usize], self.people[slot as usize])
    }

    /// Where `slot` is (or belongs) in the name order.
    fn name_position(&self, slot: u32) -> usize {
        let key = self.name_key(slot);
        self.by_name.partition_point(|s| self.name_key(*s) < key)
    }

    fn mark_dirty(&mut self, slot: u32) {
        if !self.is_dirty[slot as usize] {
            self.is_dirty[slot as usize] = true;
            self.dirty.push(slot);
        }
    }

    /// Re-index one person (or drop them if gone or deleted).
    pub fn update_person(&mut self, model: &Model, id: PersonId) {
        self.last_atoms.clear();
        self.last_levels.clear();
        if let Some(slot) = self.slot_of.remove(&id) {
            let position = self.name_position(slot);
            if self.by_name.get(position) == Some(&slot) {
                self.by_name.remove(position);
            } else {
                self.by_name.retain(|s| *s != slot);
            }
            self.people[slot as usize] = None;
            self.names[slot as usize].clear();
            self.slot_words[slot as usize].clear();
            self.mark_dirty(slot);
            self.free.push(slot);
        }
        if let Some(person) = model.people.get(&id).filter(|p| !p.deleted) {
            let slot = match self.free.pop() {
                Some(slot) => slot,
                None => {
                    self.people.push(None);
                    self.names.push(String::new());
                    self.slot_words.push(Vec::new());
                    self.is_dirty.push(false);
                    self.people.len() as u32 - 1
                }
            };
            self.people[slot as usize] = Some(id);
            self.names[slot as usize] = fold(&person.name);
            self.slot_of.insert(id, slot);
            let position = self.name_position(slot);
            self.by_name.insert(position, slot);
            let words = self.intern(weighted_words(person), true);
            self.slot_words[slot as usize] = words;
            self.mark_dirty(slot);
        }
        if self.dirty.len() > MAX_DIRTY {
            self.compact();
        }
    }

    /// Everyone indexed, by name.
    pub fn by_name(&self) -> impl Iterator<Item = PersonId> + '_ {
        self.by_name
            .iter()
            .filter_map(|slot| self.people[*slot as usize])
    }

    /// Positions in `words` (word ids in text order) whose text starts with `prefix`.
    fn prefix_range(&self, words: &[u32], prefix: &str) -> std::ops::Range<usize> {
        let start = words.partition_point(|w| self.vocabulary[*w as usize].as_str() < prefix);
        let len =
            words[start..].partition_point(|w| self.vocabulary[*w as usize].starts_with(prefix));
        start..start + len
    }

    /// How well `word` matches the atom (0: no match).
    fn quality(&mut self, how: &AtomMatch<'_>, word: u32) -> u32 {
        let text = &self.vocabulary[word as usize];
        if !how.fuzzy {
            return if text == how.atom {
                EXACT
            } else if text.starts_with(how.atom) {
                PREFIX
            } else if how.typos.binary_search(&word).is_ok() {
                TYPO
            } else {
                0
            };
        }
        if how.typos.binary_search(&word).is_ok() {
            return TYPO;
        }
        if !text.starts_with(how.lead.as_str()) {
            return 0;
        }
        let matcher = self
            .matcher
            .get_or_insert_with(|| Matcher::new(Config::DEFAULT));
        let (mut hay_buf, mut needle_buf) = (Vec::new(), Vec::new());
        let hay = Utf32Str::new(text, &mut hay_buf);
        let needle = Utf32Str::new(how.atom, &mut needle_buf);
        if matcher.fuzzy_match(hay, needle).is_some() {
            FUZZY
        } else {
            0
        }
    }

    /// The best score of one slot's words for an atom (0: no match).
    fn slot_score(&mut self, how: &AtomMatch<'_>, slot: u32) -> u32 {
        let mut best = 0;
        for index in 0..self.slot_words[slot as usize].len() {
            let (word, weight) = self.slot_words[slot as usize][index];
            best = best.max(points(self.quality(how, word), weight));
        }
        best
    }

    /// People matching one query word, with their running total: all of
    /// them (`within` = None) or only those already in `within`.
    fn match_atom(&mut self, atom: &str, within: Option<&[(u32, u32)]>) -> Vec<(u32, u32)> {
        // Fuzzy only when nothing starts with the atom (3+ letters, not a number).
        let literal = !self.prefix_range(&self.sorted_words, atom).is_empty();
        let fuzzy = !literal && atom.chars().count() >= 3 && atom.chars().any(char::is_alphabetic);
        let atom_chars: Vec<char> = atom.chars().collect();
        let typos: Vec<u32> = self
            .words_near(&atom_chars, max_edits(atom_chars.len()))
            .into_iter()
            .map(|(word, _)| word)
            .filter(|word| !self.vocabulary[*word as usize].starts_with(atom))
            .collect();
        if !literal && !fuzzy && typos.is_empty() {
            return Vec::new();
        }
        let how = AtomMatch {
            atom,
            fuzzy,
            lead: atom_chars.iter().take(2).collect(),
            typos,
        };
        let range = if literal || fuzzy {
            self.prefix_range(&self.base.words, if fuzzy { &how.lead } else { atom })
        } else {
            0..0
        };
        // Typo words outside that range: their positions in the postings.
        let typo_positions: Vec<usize> = how
            .typos
            .iter()
            .filter_map(|word| {
                let text = self.vocabulary[*word as usize].as_str();
                let at = self
                    .base
                    .words
                    .partition_point(|w| self.vocabulary[*w as usize].as_str() < text);
                (self.base.words.get(at) == Some(word) && !range.contains(&at)).then_some(at)
            })
            .collect();
        let typo_entries: usize = typo_positions
            .iter()
            .map(|at| (self.base.offsets[at + 1] - self.base.offsets[*at]) as usize)
            .sum();
        let run =
            (self.base.offsets[range.start] as usize)..(self.base.offsets[range.end] as usize);
        // Few people left: check their own words rather than the postings.
        if let Some(within) = within
            && within.len() * 16 < run.len() + typo_entries + self.dirty.len()
        {
            return within
                .iter()
                .filter_map(|(slot, total)| {
                    let score = self.slot_score(&how, *slot);
                    (score > 0).then_some((*slot, total + score))
                })
                .collect();
        }
        let stamp = self.scratch.begin(self.people.len());
        let mut touched: Vec<u32> = Vec::new();
        let first = range.start;
        let in_range = range.clone().map(|position| (position, false));
        let typo_runs = typo_positions.iter().map(|position| (*position, true));
        for (position, typo) in in_range.chain(typo_runs) {
            let word = self.base.words[position];
            // Every word in a literal range starts with the atom; only the
            // first can equal it. Fuzzy ranges are checked word by word.
            let quality = if typo {
                TYPO
            } else if fuzzy {
                self.quality(&how, word)
            } else if position == first && self.vocabulary[word as usize] == atom {
                EXACT
            } else {
                PREFIX
            };
            if quality == 0 {
                continue;
            }
            let run =
                self.base.offsets[position] as usize..self.base.offsets[position + 1] as usize;
            for (slot, weight) in &self.base.entries[run] {
                if self.is_dirty[*slot as usize] {
                    continue;
                }
                if self.scratch.offer(stamp, *slot, points(quality, *weight)) {
                    touched.push(*slot);
                }
            }
        }
        for index in 0..self.dirty.len() {
            let slot = self.dirty[index];
            if self.people[slot as usize].is_none() {
                continue;
            }
            let score = self.slot_score(&how, slot);
            if score > 0 && self.scratch.offer(stamp, slot, score) {
                touched.push(slot);
            }
        }
        let scratch = &self.scratch;
        match within {
            None => touched
                .into_iter()
                .map(|slot| (slot, scratch.best[slot as usize]))
                .collect(),
            Some(within) => within
                .iter()
                .filter(|(slot, _)| scratch.seen[*slot as usize] == stamp)
                .map(|(slot, total)| (*slot, total + scratch.best[*slot as usize]))
                .collect(),
        }
    }

    /// Everyone matching `query`, best first, ties by name. Every query word
    /// must match. An empty query lists everyone by name with score 0.
    pub fn search(&mut self, query: &str) -> Vec<(PersonId, u32)> {
        let atoms: Vec<String> = words(query).collect();
        if atoms.is_empty() {
            return self.by_name().map(|id| (id, 0)).collect();
        }
        // Reuse the people left after the words this query shares with the last.
        let shared = atoms
            .iter()
            .zip(&self.last_atoms)
            .take_while(|(a, b)| a == b)
            .count()
            .min(atoms.len() - 1);
        let mut levels = std::mem::take(&mut self.last_levels);
        levels.truncate(shared);
        for atom in &atoms[shared..] {
            let next = self.match_atom(atom, levels.last().map(Vec::as_slice));
            levels.push(next);
        }
        self.last_atoms = atoms;
        let survivors = levels.last().cloned().unwrap_or_default();
        self.last_levels = levels;
        self.rank(survivors)
    }

    /// How many people hold `word` (as of the last compaction, plus the
    /// people changed since).
    fn people_with_word(&self, word: u32) -> usize {
        let text = self.vocabulary[word as usize].as_str();
        let at = self
            .base
            .words
            .partition_point(|w| self.vocabulary[*w as usize].as_str() < text);
        let mut count = 0;
        if self.base.words.get(at) == Some(&word) {
            let run = self.base.offsets[at] as usize..self.base.offsets[at + 1] as usize;
            count += self.base.entries[run]
                .iter()
                .filter(|(slot, _)| !self.is_dirty[*slot as usize])
                .count();
        }
        count
            + self
                .dirty
                .iter()
                .filter(|slot| {
                    self.slot_words[**slot as usize]
                        .iter()
                        .any(|(w, _)| *w == word)
                })
                .count()
    }

    /// Known words (from names, organizations, interests and tags) closest
    /// to `atom`, best first: fewest edits, then the most people, then
    /// alphabetical. Allows one edit more than matching does.
    fn closest_words(&self, atom: &str, limit: usize) -> Vec<String> {
        let chars: Vec<char> = atom.chars().collect();
        let budget = (max_edits(chars.len()) + 1).min(chars.len().saturating_sub(1));
        let mut near: Vec<(usize, std::cmp::Reverse<usize>, &str)> = self
            .words_near(&chars, budget)
            .into_iter()
            .filter(|(word, _)| self.suggestable[*word as usize])
            .filter_map(|(word, distance)| {
                let people = self.people_with_word(word);
                (people > 0).then(|| {
                    (
                        distance,
                        std::cmp::Reverse(people),
                        self.vocabulary[word as usize].as_str(),
                    )
                })
            })
            .collect();
        near.sort_unstable();
        near.into_iter()
            .take(limit)
            .map(|(_, _, word)| word.to_string())
            .collect()
    }

    /// "Did you mean": up to `limit` queries close to `query` that find
    /// someone, best first. Each query word that finds nobody on its own is
    /// replaced by a close known word from a name, organization, interest
    /// or tag. Empty when the query finds someone, or nothing close does.
    pub fn suggest(&mut self, query: &str, limit: usize) -> Vec<String> {
        let atoms: Vec<String> = words(query).collect();
        if atoms.is_empty() || limit == 0 {
            return Vec::new();
        }
        let lost: Vec<usize> = (0..atoms.len())
            .filter(|at| self.match_atom(&atoms[*at], None).is_empty())
            .collect();
        // Discard the cached levels: match_atom ran outside a search.
        self.last_atoms.clear();
        self.last_levels.clear();
        let mut candidates: Vec<Vec<String>> = Vec::new();
        match lost.as_slice() {
            [] => {}
            [only] => {
                for word in self.closest_words(&atoms[*only], limit * 2) {
                    let mut next = atoms.clone();
                    next[*only] = word;
                    candidates.push(next);
                }
            }
            many => {
                let mut next = atoms.clone();
                for at in many {
                    match self.closest_words(&atoms[*at], 1).into_iter().next() {
                        Some(word) => next[*at] = word,
                        None => return Vec::new(),
                    }
                }
                candidates.push(next);
            }
        }
        let mut out = Vec::new();
        for candidate in candidates {
            let text = candidate.join(" ");
            if out.len() < limit && !out.contains(&text) && !self.search(&text).is_empty() {
                out.push(text);
            }
        }
        out
    }

    /// Order hits by score, then name.
    fn rank(&mut self, mut survivors: Vec<(u32, u32)>) -> Vec<(PersonId, u32)> {
        let people = &self.people;
        // Many hits: bucket by score, walking the name order once (linear).
        if survivors.len() * 16 > self.by_name.len() {
            let stamp = self.scratch.begin(people.len());
            let mut top = 0;
            for (slot, total) in &survivors {
                self.scratch.seen[*slot as usize] = stamp;
                self.scratch.best[*slot as usize] = *total;
                top = top.max(*total);
            }
            let mut buckets: Vec<Vec<PersonId>> = vec![Vec::new(); top as usize + 1];
            for slot in &self.by_name {
                let at = *slot as usize;
                if self.scratch.seen[at] == stamp
                    && let Some(id) = people[at]
                {
                    buckets[self.scratch.best[at] as usize].push(id);
                }
            }
            return buckets
                .into_iter()
                .enumerate()
                .rev()
                .flat_map(|(score, ids)| ids.into_iter().map(move |id| (id, score as u32)))
                .collect();
        }
        let names = &self.names;
        survivors.sort_unstable_by(|(a, ta), (b, tb)| {
            let (a, b) = (*a as usize, *b as usize);
            tb.cmp(ta)
                .then_with(|| names[a].cmp(&names[b]))
                .then(people[a].cmp(&people[b]))
        });
        survivors
            .into_iter()
            .filter_map(|(slot, total)| Some((people[slot as usize]?, total)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(hits: &[(PersonId, u32)]) -> Vec<PersonId> {
        hits.iter().map(|h| h.0).collect()
    }

    #[test]
    fn finds_by_name_org_interest_tag_and_notes() {
        let mut model = Model::default();
        let mut dana = Person::new("Dana Whitfield");
        dana.organization = "Harbor Physio".into();
        dana.interests = vec!["Boston Marathon".into()];
        dana.tags = vec!["referral".into()];
        dana.notes = "prefers early coffee".into();
        dana.emails = vec![crate::model::Contact::new("dana@harbor-physio.example")];
        let raj = Person::new("Raj Patel");
        let zoe = Person::new("Zoë Ångström");
        let (d, r, z) = (dana.id, raj.id, zoe.id);
        for p in [dana, raj, zoe] {
            model.people.insert(p.id, p);
        }
        let mut index = SearchIndex::build(&model);
        for query in [
            "dana",
            "Dana W",
            "whtfld",
            "harbor",
            "marathon",
            "referral",
            "early coffee",
            "coffee early",
            "physio.example",
        ] {
            let hits = index.search(query);
            assert_eq!(ids(&hits), vec![d], "query {query}");
        }
        assert_eq!(ids(&index.search("patel")), vec![r]);
        assert_eq!(ids(&index.search("zoe angstrom")), vec![z], "accents fold");
        assert_eq!(ids(&index.search("ZOË")), vec![z]);
        assert!(index.search("zzzz").is_empty());
        assert!(
            index.search("dana patel").is_empty(),
            "every word must match"
        );
        let all = index.search("  ");
        assert_eq!(ids(&all), vec![d, r, z], "empty query: everyone by name");
    }

    #[test]
    fn name_hits_rank_above_other_fields_and_exact_above_prefix() {
        let mut model = Model::default();
        let mut by_note = Person::new("Aaron Ames");
        by_note.notes = "loves jazz".into();
        let by_name = Person::new("Zed Jazz");
        let by_prefix = Person::new("Mia Jazzman");
        let (n, m, p) = (by_note.id, by_name.id, by_prefix.id);
        for person in [by_note, by_name, by_prefix] {
            model.people.insert(person.id, person);
        }
        let mut index = SearchIndex::build(&model);
        assert_eq!(ids(&index.search("jazz")), vec![m, p, n]);
    }

    #[test]
    fn updates_follow_edits_deletes_and_restores() {
        let mut model = Model::default();
        let dana = Person::new("Dana Whitfield");
        let id = dana.id;
        model.people.insert(id, dana);
        let mut index = SearchIndex::build(&model);
        model.people.get_mut(&id).unwrap().name = "Dana Brook".into();
        index.update_person(&model, id);
        assert!(index.search("whitfield").is_empty());
        assert_eq!(ids(&index.search("brook")), vec![id]);
        model.people.get_mut(&id).unwrap().deleted = true;
        index.update_person(&model, id);
        assert!(index.search("brook").is_empty());
        assert_eq!(index.len(), 0);
        model.people.get_mut(&id).unwrap().deleted = false;
        index.update_person(&model, id);
        assert_eq!(ids(&index.search("brook")), vec![id]);
        model.people.remove(&id);
        index.update_person(&model, id);
        assert!(index.is_empty());
        assert!(index.search("").is_empty());
    }

    fn chars(text: &str) -> Vec<char> {
        text.chars().collect()
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one_edit_and_stops_at_the_bound() {
        let d = |a: &str, b: &str, max| edit_distance(&chars(a), &chars(b), max);
        assert_eq!(d("maria", "maria", 2), Some(0));
        assert_eq!(d("marai", "maria", 1), Some(1), "swap");
        assert_eq!(d("mria", "maria", 1), Some(1), "a letter missing");
        assert_eq!(d("mariaa", "maria", 1), Some(1), "a letter too many");
        assert_eq!(d("marja", "maria", 1), Some(1), "a letter replaced");
        assert_eq!(d("whitfeild", "whitfield", 2), Some(1));
        assert_eq!(d("mriaa", "maria", 1), None, "two edits are over one");
        assert_eq!(d("mriaa", "maria", 2), Some(2));
        assert_eq!(d("ab", "abcdef", 2), None, "too far apart in length");
        assert_eq!(d("", "abc", 3), Some(3));
        assert_eq!(max_edits(3), 0);
        assert_eq!(max_edits(4), 1);
        assert_eq!(max_edits(7), 1);
        assert_eq!(max_edits(8), 2);
    }

    fn typo_model() -> (Model, PersonId, PersonId, PersonId) {
        let mut model = Model::default();
        let maria = Person::new("Maria Lopez");
        let mut dana = Person::new("Dana Whitfield");
        dana.organization = "Harbor Physio".into();
        dana.interests = vec!["Marathon".into()];
        let mut mark = Person::new("Mark Doe");
        mark.notes = "knows maria from the marathon".into();
        let (m, d, k) = (maria.id, dana.id, mark.id);
        for p in [maria, dana, mark] {
            model.people.insert(p.id, p);
        }
        (model, m, d, k)
    }

    #[test]
    fn short_typos_and_swaps_find_the_person() {
        let (model, maria, dana, _) = typo_model();
        let mut index = SearchIndex::build(&model);
        for query in ["mria", "marai", "Maira", "lopze"] {
            let hits = ids(&index.search(query));
            assert_eq!(hits.first(), Some(&maria), "{query}: {hits:?}");
        }
        for query in ["Whitfeild", "witfield", "whitfiedl", "harbr"] {
            assert_eq!(ids(&index.search(query)).first(), Some(&dana), "{query}");
        }
        assert_eq!(ids(&index.search("dana whitfeild")), vec![dana]);
        // Three letters forgive nothing; numbers are never typo-matched.
        assert!(index.search("mrx").is_empty());
        // Too many edits for the length.
        assert!(index.search("mxrxa").is_empty());
    }

    #[test]
    fn exact_and_prefix_hits_rank_above_typo_hits_whatever_the_field() {
        let (model, maria, _, mark) = typo_model();
        let mut index = SearchIndex::build(&model);
        // "maria" is exact in Maria's name and in Mark's notes.
        let hits = ids(&index.search("maria"));
        assert_eq!(hits, vec![maria, mark], "name above notes");
        // "marc" is one edit from "mark", two from "maria".
        assert_eq!(ids(&index.search("marc")), vec![mark]);
        // "mark" is exact for Mark, one edit from nobody else's word.
        assert_eq!(ids(&index.search("mark")), vec![mark]);
        // A note's exact word outranks a name's typo.
        let mut model = model;
        let mut note = Person::new("Zed Quill");
        note.notes = "lopes".into();
        let note_id = note.id;
        model.people.insert(note_id, note);
        let mut index = SearchIndex::build(&model);
        let hits = ids(&index.search("lopes"));
        assert_eq!(
            hits,
            vec![note_id, maria],
            "exact in notes, then a typo of a name"
        );
    }

    #[test]
    fn typos_follow_edits_before_and_after_compaction() {
        let (mut model, maria, _, _) = typo_model();
        let mut index = SearchIndex::build(&model);
        if let Some(person) = model.people.get_mut(&maria) {
            person.name = "Maria Castellanos".into();
        }
        index.update_person(&model, maria);
        assert_eq!(ids(&index.search("castelalnos")), vec![maria], "dirty slot");
        index.compact();
        assert_eq!(ids(&index.search("castelalnos")), vec![maria], "compacted");
        assert!(index.search("lopze").is_empty(), "the old name is gone");
    }

    #[test]
    fn did_you_mean_offers_close_known_words_that_find_someone() {
        let (model, maria, _, _) = typo_model();
        let mut index = SearchIndex::build(&model);
        // Two edits from "maria" (one more than matching forgives).
        assert!(index.search("mraai").is_empty());
        let offered = index.suggest("mraai", 3);
        assert_eq!(
            offered.first().map(String::as_str),
            Some("maria"),
            "{offered:?}"
        );
        assert_eq!(ids(&index.search(&offered[0])).first(), Some(&maria));
        // Only the word that finds nobody is replaced.
        assert_eq!(
            index.suggest("lopez mraai", 3).first().map(String::as_str),
            Some("lopez maria")
        );
        // Interests and organizations are offered too.
        assert_eq!(index.suggest("mxrxthin", 1), vec!["marathon".to_string()]);
        assert_eq!(index.suggest("hrabro", 1), vec!["harbor".to_string()]);
        // Nothing close, or the query already finds someone: nothing offered.
        assert!(index.suggest("zzqq", 3).is_empty());
        assert!(index.suggest("maria", 3).is_empty());
        // Words only in notes are not offered.
        assert!(index.suggest("knwos", 3).iter().all(|s| s != "knows"));
        // The search after a suggestion still answers as a fresh one.
        assert_eq!(
            index.search("marai"),
            SearchIndex::build(&model).search("marai")
        );
    }

    #[test]
    fn text_score_matches_command_titles_with_typos() {
        assert!(text_score("intrests", "Go to Interests").is_some());
        assert!(text_score("exprot", "Export vCard").is_some());
        assert!(
            text_score("port", "Import a file").is_some(),
            "inside a word"
        );
        assert!(text_score("zoom in", "Zoom out").is_none());
        let exact = text_score("dark", "Theme: dark");
        let typo = text_score("drak", "Theme: dark");
        assert!(exact > typo && typo.is_some());
        assert_eq!(text_score("", "anything"), Some(0));
    }

    /// The incremental index answers exactly like a fresh one after random
    /// edits, and both agree with a naive scan.
    #[test]
    fn incremental_index_equals_a_fresh_build_and_a_naive_scan() {
        let params = crate::synth::SynthParams {
            interactions: 0,
            ..crate::synth::SynthParams::scale(400)
        };
        let mut model = crate::synth::generate(&params);
        let mut index = SearchIndex::build(&model);
        let everyone: Vec<PersonId> = model.people.keys().copied().collect();
        let mut rng = crate::synth::Rng::new(5);
        // More edits than MAX_DIRTY: compaction happens on the way.
        for round in 0..(MAX_DIRTY + 100) {
            let id = everyone[rng.below(everyone.len())];
            let person = model.people.get_mut(&id).unwrap();
            match round % 4 {
                0 => person.name = format!("Renamed {round} Jazz"),
                1 => person.notes = format!("met at cafe {round}"),
                2 => person.deleted = true,
                _ => person.deleted = false,
            }
            index.update_person(&model, id);
        }
        let mut fresh = SearchIndex::build(&model);
        // Typing letter by letter (cached words, few-people path) equals a fresh search.
        for query in ["person 01 jazz", "renamed 1 jazz", "met cafe 3", "prsn 00"] {
            for end in 1..=query.len() {
                let typed = index.search(&query[..end]);
                let new = SearchIndex::build(&model).search(&query[..end]);
                assert_eq!(typed, new, "{:?}", &query[..end]);
            }
        }
        for query in [
            "",
            "j",
            "jazz",
            "person 01",
            "renamed 1",
            "cafe",
            "prsn",
            "e",
        ] {
            let incremental = index.search(query);
            assert_eq!(incremental, fresh.search(query), "{query:?}");
            // Naive: every query word is a prefix of some word of the person.
            let atoms: Vec<String> = words(query).collect();
            if atoms.iter().all(|a| a.chars().count() < 3) {
                let mut naive: Vec<PersonId> = model
                    .live_people()
                    .filter(|p| {
                        let own: Vec<(String, u8)> = weighted_words(p);
                        atoms
                            .iter()
                            .all(|a| own.iter().any(|(w, _)| w.starts_with(a.as_str())))
                    })
                    .map(|p| p.id)
                    .collect();
                naive.sort();
                let mut found = ids(&incremental);
                found.sort();
                assert_eq!(found, naive, "{query:?}");
            }
        }
    }
}
