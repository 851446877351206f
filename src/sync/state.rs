//! What an account last synced: per collection the sync token and, per
//! resource, its ETag and the text the server held (the base of the
//! three-way merge), plus the conflicts waiting for the user.

use crate::model::{InteractionId, PersonId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The sync state of one account (kept per machine, never in the data folder).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncState {
    /// The address book.
    #[serde(default)]
    pub contacts: CollectionState,
    /// The calendar.
    #[serde(default)]
    pub calendar: CollectionState,
    /// Fields both sides changed, waiting for "keep mine" or "use theirs".
    #[serde(default)]
    pub conflicts: Vec<ServerConflict>,
    /// When the last sync finished without error.
    #[serde(default)]
    pub last_success: Option<DateTime<Utc>>,
    /// When the last sync was tried.
    #[serde(default)]
    pub last_attempt: Option<DateTime<Utc>>,
    /// The last sync's error, shown in the top bar until a sync succeeds.
    #[serde(default)]
    pub last_error: Option<String>,
}

/// One collection's state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionState {
    /// The collection URL this state is for; a different URL starts over.
    #[serde(default)]
    pub url: String,
    /// The RFC 6578 sync token of the last sync, if the server offers them.
    #[serde(default)]
    pub sync_token: Option<String>,
    /// Resources by href (the server path, as the server spells it).
    #[serde(default)]
    pub items: BTreeMap<String, Item>,
    /// Hrefs kith deleted on the server, or the user deleted on the
    /// server, that must not be published again until they change in kith.
    #[serde(default)]
    pub tombstones: BTreeMap<String, String>,
    /// The collection's getctag (or sync-token property) when the server
    /// offers no sync-collection: unchanged means nothing to list.
    #[serde(default)]
    pub ctag: Option<String>,
    /// Resources seen and deliberately left alone, by href: cards of people
    /// outside the account's people or in the trash, and cards kith cannot
    /// read. Kept so they are not fetched again until their ETag changes,
    /// and so a person coming back into scope is linked to their card
    /// again instead of getting a second one.
    #[serde(default)]
    pub left: BTreeMap<String, Item>,
}

/// One resource (card or calendar object) as last synced.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Its UID.
    pub uid: String,
    /// The ETag the server gave for `base`.
    pub etag: String,
    /// The person it is (contacts).
    #[serde(default)]
    pub person: Option<PersonId>,
    /// The follow-up it is (calendar VTODOs).
    #[serde(default)]
    pub interaction: Option<InteractionId>,
    /// The resource text as the server last held it: the merge base.
    pub base: String,
}

/// A person both sides changed in the same fields since the last sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerConflict {
    /// The person.
    pub person: PersonId,
    /// Their card's href.
    pub href: String,
    /// The card as the server holds it ("theirs").
    pub theirs: String,
    /// The fields that differ, with both values as shown to the user.
    pub fields: Vec<FieldConflict>,
    /// When it was found.
    pub found: DateTime<Utc>,
}

/// One field of a [`ServerConflict`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// The field's key in [`crate::sync::merge`] ("emails", "organization"…).
    pub field: String,
    /// Its label for people ("E-mail").
    pub label: String,
    /// Your value, as text.
    pub mine: String,
    /// The server's value, as text.
    pub theirs: String,
}
