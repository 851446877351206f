//! Fuzzy people search over names, organizations, interests, tags and notes.
//! Pure (no egui); the people panel calls it once per query change.

use crate::model::{Model, Person, PersonId};
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};
use std::collections::HashMap;

/// Searchable text per person, kept in sync with the model.
#[derive(Default)]
pub struct SearchIndex {
    haystacks: HashMap<PersonId, Utf32String>,
    matcher: Option<Matcher>,
    /// The last query, the candidate list it ran on (by length and ends),
    /// and its hits: typing one more letter only re-checks those hits.
    last: Option<LastSearch>,
}

struct LastSearch {
    query: String,
    candidates: (usize, Option<PersonId>, Option<PersonId>),
    hits: Vec<PersonId>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("people", &self.haystacks.len())
            .finish()
    }
}

/// The text a person is found by.
pub fn haystack(person: &Person) -> String {
    let mut text = String::with_capacity(64);
    text.push_str(&person.name);
    for part in [&person.organization, &person.role, &person.met.place] {
        if !part.is_empty() {
            text.push_str(" · ");
            text.push_str(part);
        }
    }
    for list in [
        &person.interests,
        &person.tags,
        &person.needs,
        &person.wants,
        &person.emails,
    ] {
        for item in list {
            text.push_str(" · ");
            text.push_str(item);
        }
    }
    if !person.notes.is_empty() {
        text.push_str(" · ");
        text.push_str(&person.notes);
    }
    text
}

impl SearchIndex {
    /// Index every person.
    pub fn build(model: &Model) -> Self {
        let haystacks = model
            .people
            .values()
            .map(|p| (p.id, Utf32String::from(haystack(p))))
            .collect();
        Self {
            haystacks,
            matcher: None,
            last: None,
        }
    }

    /// Re-index one person (or drop them if gone).
    pub fn update_person(&mut self, model: &Model, id: PersonId) {
        self.last = None;
        match model.people.get(&id) {
            Some(person) => {
                self.haystacks
                    .insert(id, Utf32String::from(haystack(person)));
            }
            None => {
                self.haystacks.remove(&id);
            }
        }
    }

    /// Score every candidate against `query`; returns matches, best first
    /// (ties by name). An empty query matches everyone with score 0.
    pub fn search(
        &mut self,
        query: &str,
        candidates: &[PersonId],
        model: &Model,
    ) -> Vec<(PersonId, u32)> {
        let query = query.trim();
        if query.is_empty() {
            self.last = None;
            return candidates.iter().map(|id| (*id, 0)).collect();
        }
        // A query that extends the last one (more letters, same candidates)
        // can only match a subset of the last hits.
        let shape = (
            candidates.len(),
            candidates.first().copied(),
            candidates.last().copied(),
        );
        let narrowed: Option<Vec<PersonId>> = self
            .last
            .as_ref()
            .filter(|last| last.candidates == shape && query.starts_with(last.query.as_str()))
            .map(|last| last.hits.clone());
        let candidates: &[PersonId] = narrowed.as_deref().unwrap_or(candidates);
        let pattern = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let matcher = self
            .matcher
            .get_or_insert_with(|| Matcher::new(Config::DEFAULT));
        let mut hits: Vec<(u32, &str, PersonId)> = candidates
            .iter()
            .filter_map(|id| {
                let hay = self.haystacks.get(id)?;
                let score = pattern.score(hay.slice(..), matcher)?;
                Some((score, model.person_name(*id), *id))
            })
            .collect();
        // Names are looked up once per hit, not once per comparison.
        hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
        let out: Vec<(PersonId, u32)> =
            hits.into_iter().map(|(score, _, id)| (id, score)).collect();
        self.last = Some(LastSearch {
            query: query.to_string(),
            candidates: shape,
            hits: out.iter().map(|(id, _)| *id).collect(),
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_name_org_interest_tag_and_notes() {
        let mut model = Model::default();
        let mut dana = Person::new("Dana Whitfield");
        dana.organization = "Harbor Physio".into();
        dana.interests = vec!["Boston Marathon".into()];
        dana.tags = vec!["referral".into()];
        dana.notes = "prefers early coffee".into();
        let raj = Person::new("Raj Patel");
        let (d, r) = (dana.id, raj.id);
        model.people.insert(d, dana);
        model.people.insert(r, raj);
        let mut index = SearchIndex::build(&model);
        let all = vec![d, r];
        for query in [
            "dana",
            "whtfld",
            "harbor",
            "marathon",
            "referral",
            "early coffee",
        ] {
            let hits = index.search(query, &all, &model);
            assert_eq!(hits.first().map(|h| h.0), Some(d), "query {query}");
        }
        assert_eq!(index.search("patel", &all, &model)[0].0, r);
        assert!(index.search("zzzz", &all, &model).is_empty());
        assert_eq!(index.search("", &all, &model).len(), 2);
    }

    #[test]
    fn typing_letter_by_letter_equals_a_fresh_search() {
        let params = crate::synth::SynthParams {
            interactions: 0,
            ..crate::synth::SynthParams::scale(500)
        };
        let model = crate::synth::generate(&params);
        let everyone: Vec<PersonId> = model.people.keys().copied().collect();
        let mut typed = SearchIndex::build(&model);
        let query = "person 01 jazz";
        for end in 1..=query.len() {
            let incremental = typed.search(&query[..end], &everyone, &model);
            let fresh = SearchIndex::build(&model).search(&query[..end], &everyone, &model);
            assert_eq!(incremental, fresh, "{:?}", &query[..end]);
        }
        // A different candidate list is searched in full.
        let half = &everyone[..everyone.len() / 2];
        assert_eq!(
            typed.search(query, half, &model),
            SearchIndex::build(&model).search(query, half, &model)
        );
    }
}
