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
        }
    }

    /// Re-index one person (or drop them if gone).
    pub fn update_person(&mut self, model: &Model, id: PersonId) {
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
            return candidates.iter().map(|id| (*id, 0)).collect();
        }
        let pattern = Pattern::new(
            query,
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let matcher = self
            .matcher
            .get_or_insert_with(|| Matcher::new(Config::DEFAULT));
        let mut out: Vec<(PersonId, u32)> = candidates
            .iter()
            .filter_map(|id| {
                let hay = self.haystacks.get(id)?;
                pattern
                    .score(hay.slice(..), matcher)
                    .map(|score| (*id, score))
            })
            .collect();
        out.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| model.person_name(a.0).cmp(model.person_name(b.0)))
                .then(a.0.cmp(&b.0))
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
}
