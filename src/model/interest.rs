//! Interest normalisation: "Running", "running " and "run" are one interest.
//!
//! Every typed interest is reduced to an [`InterestKey`] (lowercase, trimmed,
//! punctuation folded, each word lightly stemmed). The [`InterestCatalog`]
//! then maps keys through user-managed aliases to one canonical interest, so
//! merging two interests never has to rewrite any person's file.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The normalised form of an interest; compare these, never raw text.
pub type InterestKey = String;

/// Reduce a typed interest to its key: lowercase, trimmed, punctuation and
/// repeated spaces folded, and each word lightly stemmed
/// ("Running " → "run", "Marathons" → "marathon").
pub fn normalize_interest(text: &str) -> InterestKey {
    let mut key = String::with_capacity(text.len());
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '+' || c == '#'))
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(' ');
        }
        let lower = word.to_lowercase();
        key.push_str(&stem(&lower));
    }
    key
}

/// A deliberately light English stemmer: enough to fold plurals, "-ing" and a
/// final silent "e", never so much that unrelated words collide often.
fn stem(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() <= 3 || !chars.iter().all(|c| c.is_ascii_alphabetic()) {
        return word.to_string();
    }
    let mut w: Vec<char> = chars;
    let ends = |w: &[char], s: &str| {
        let s: Vec<char> = s.chars().collect();
        w.len() > s.len() && w[w.len() - s.len()..] == s[..]
    };
    if ends(&w, "ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if ends(&w, "s") && !ends(&w, "ss") && !ends(&w, "us") && !ends(&w, "is") {
        w.pop();
    }
    if ends(&w, "ing") && w.len() >= 6 {
        w.truncate(w.len() - 3);
        let n = w.len();
        if n >= 2 && w[n - 1] == w[n - 2] && !matches!(w[n - 1], 'l' | 's' | 'z') {
            w.pop();
        }
    }
    if w.len() > 3 && w.last() == Some(&'e') {
        w.pop();
    }
    w.into_iter().collect()
}

/// One canonical interest, with the other keys that mean the same.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interest {
    /// The canonical key.
    pub key: InterestKey,
    /// The display name ("Running").
    pub name: String,
    /// Other keys that resolve to this interest ("jog", "trail run").
    #[serde(default)]
    pub aliases: BTreeSet<InterestKey>,
}

impl Interest {
    /// A canonical interest named `name`, keyed by its normal form.
    pub fn named(name: &str) -> Self {
        Self {
            key: normalize_interest(name),
            name: name.trim().to_string(),
            aliases: BTreeSet::new(),
        }
    }
}

/// The canonical list of interests with aliases.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Interest>", into = "Vec<Interest>")]
pub struct InterestCatalog {
    entries: BTreeMap<InterestKey, Interest>,
    alias_to_key: HashMap<InterestKey, InterestKey>,
}

impl PartialEq for InterestCatalog {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl From<Vec<Interest>> for InterestCatalog {
    fn from(list: Vec<Interest>) -> Self {
        let mut catalog = Self::default();
        for interest in list {
            catalog.entries.insert(interest.key.clone(), interest);
        }
        catalog.rebuild_aliases();
        catalog
    }
}

impl From<InterestCatalog> for Vec<Interest> {
    fn from(catalog: InterestCatalog) -> Self {
        catalog.entries.into_values().collect()
    }
}

impl InterestCatalog {
    fn rebuild_aliases(&mut self) {
        self.alias_to_key.clear();
        for interest in self.entries.values() {
            for alias in &interest.aliases {
                self.alias_to_key
                    .insert(alias.clone(), interest.key.clone());
            }
        }
    }

    /// The canonical key for typed text (following aliases).
    pub fn resolve(&self, text: &str) -> InterestKey {
        self.resolve_key(normalize_interest(text))
    }

    /// The canonical key for an already-normalised key.
    pub fn resolve_key(&self, key: InterestKey) -> InterestKey {
        if self.entries.contains_key(&key) {
            return key;
        }
        match self.alias_to_key.get(&key) {
            Some(canonical) => canonical.clone(),
            None => key,
        }
    }

    /// The catalog entry for a canonical key.
    pub fn get(&self, key: &str) -> Option<&Interest> {
        self.entries.get(key)
    }

    /// Every canonical interest, by key.
    pub fn iter(&self) -> impl Iterator<Item = &Interest> {
        self.entries.values()
    }

    /// Number of canonical entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the catalog has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Insert or replace an entry; returns the previous one. Used by actions only.
    pub(crate) fn put(&mut self, interest: Interest) -> Option<Interest> {
        let previous = self.entries.insert(interest.key.clone(), interest);
        self.rebuild_aliases();
        previous
    }

    /// Remove an entry; returns it. Used by actions only.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Interest> {
        let previous = self.entries.remove(key);
        self.rebuild_aliases();
        previous
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_variants_are_one_key() {
        assert_eq!(normalize_interest("Running"), "run");
        assert_eq!(normalize_interest("running "), "run");
        assert_eq!(normalize_interest("run"), "run");
        assert_eq!(normalize_interest("  RUNS"), "run");
    }

    #[test]
    fn phrases_and_punctuation_fold() {
        assert_eq!(normalize_interest("Boston  Marathon!"), "boston marathon");
        assert_eq!(normalize_interest("boston-marathons"), "boston marathon");
        assert_eq!(normalize_interest("C++"), "c++");
        assert_eq!(normalize_interest("Cycling"), normalize_interest("cycle"));
        assert_eq!(normalize_interest("Business"), "business");
        assert_eq!(
            normalize_interest("Startups"),
            normalize_interest("startup")
        );
        assert_eq!(normalize_interest("Charities"), "charity");
        assert_eq!(normalize_interest(""), "");
    }

    #[test]
    fn short_words_are_untouched() {
        assert_eq!(normalize_interest("AI"), "ai");
        assert_eq!(normalize_interest("sing"), "sing");
        assert_eq!(normalize_interest("Ölbilder"), "ölbilder");
    }

    #[test]
    fn aliases_resolve_to_canonical() {
        let mut catalog = InterestCatalog::default();
        let mut running = Interest::named("Running");
        running.aliases.insert(normalize_interest("jogging"));
        catalog.put(running);
        assert_eq!(catalog.resolve("Jogging"), "run");
        assert_eq!(catalog.resolve("running"), "run");
        assert_eq!(catalog.resolve("Chess"), "chess");
        catalog.remove("run");
        assert_eq!(catalog.resolve("Jogging"), "jog");
    }

    #[test]
    fn catalog_serde_rebuilds_alias_index() {
        let mut catalog = InterestCatalog::default();
        let mut running = Interest::named("Running");
        running.aliases.insert("jog".into());
        catalog.put(running);
        let text = ron::to_string(&catalog).unwrap();
        let back: InterestCatalog = ron::from_str(&text).unwrap();
        assert_eq!(back, catalog);
        assert_eq!(back.resolve("jog"), "run");
    }
}
