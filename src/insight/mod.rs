//! Pure insight over the model: shared interests, introduction candidates,
//! the introduction graph, relationship health, follow-ups and network depth.
//!
//! [`Insight`] is an index built once from a [`Model`] and then updated
//! incrementally from the [`Touched`] records of each action. It holds no egui
//! and never mutates the model.

pub mod activity;
mod dates;
pub mod due_today;
pub mod fast_hash;
pub mod graph;
mod health;
mod help;
mod index;
pub mod layout;
pub mod plan;

pub use dates::{Upcoming, upcoming_dates};
pub use health::{
    Health, NetworkDepth, OrgParticipation, ReEngage, StageSuggestion, network_depth,
    org_participation, rhythm_reason, rhythm_words,
};
pub use help::{BUNDLED_SYNONYMS, HelpMatch, Helper, SynonymGroups, Synonyms};
pub use index::{
    Candidate, CandidatesJob, CandidatesReady, Feature, FeatureKind, FollowUp, FollowUps, Insight,
    PersonStats, SharedFeature,
};

#[cfg(test)]
mod tests;
