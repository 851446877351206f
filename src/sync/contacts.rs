//! The address-book half of a sync: what changed on the server comes in
//! (merged three-way against the card last synced), then what changed in
//! kith goes out with `If-Match` ETags.
//!
//! - **Changes on the server**: sync-collection (RFC 6578) with the last
//!   token when the server offers it (an expired token lists everything);
//!   otherwise the collection's ctag, and only when it moved a listing
//!   compared with the ETags kept. Changed cards are fetched in multigets.
//! - **Whose card**: the href kept in the state, else the card's UID (in a
//!   person's `source_ids`, or kith's own id), else (first sync only) an
//!   e-mail address that only one card and only one person hold. A card
//!   nobody matches is a new person (with the account's tag, when it syncs
//!   one tag). Never a second person, never a second card: a card whose
//!   person is out of scope or in the trash is left alone and remembered
//!   (`CollectionState::left`), so that person gets the same card back
//!   when they return.
//! - **What goes out**: people whose synced fields differ from the last
//!   card; new people at `<person id>.vcf` with `If-None-Match: *` (a card
//!   already there after a cut-off sync is merged, not duplicated); people
//!   in the trash are deleted on the server (`If-Match`). A 412 fetches the
//!   card, merges again and retries (three times).
//! - **Deletion**: a card gone from the server sends its person to kith's
//!   trash; a card that comes back (restored elsewhere, re-added on the
//!   phone) brings them out of it again.
//! - **Scope**: a person who leaves the account's people (tag removed) is
//!   no longer synced, and their card stays on the server.
//! - **Photos**: a card's photo becomes the photo of a person kith has
//!   none of, and kith's photo goes onto a card that has none; a photo on
//!   either side is never replaced by the other's.
//! - **Hostile servers**: only hrefs inside the address book, on its own
//!   server, are ever read or written, and only the cards asked for are taken.
//! - **Conflicts**: the same field changed on both sides keeps kith's value
//!   in kith, the server keeps theirs, and a [`ServerConflict`] waits for
//!   the user; the person is not pushed until it is settled.

use super::dav::{DavClient, Deleted, Fetched, Kind, Listed, Put};
use super::merge;
use super::run::{SyncJob, SyncReport};
use super::state::{CollectionState, FieldConflict, Item, ServerConflict, SyncState};
use super::{Account, Scope, SyncError};
use crate::action::Action;
use crate::exchange::uid_key;
use crate::exchange::vcard::write::{VcardVersion, export_uid};
use crate::model::{Person, PersonId};
use chrono::{DateTime, Utc};
use std::collections::{BTreeSet, HashMap, HashSet};

/// How many times a write that met a 412 is merged and tried again.
const ATTEMPTS: usize = 3;

/// Sync the account's address book: `state` and `report` follow what was
/// done, and `actions` gets the model changes (one per person). On an error
/// both hold what happened before it, consistent with each other.
pub fn sync_contacts(
    client: &DavClient,
    job: &SyncJob,
    state: &mut SyncState,
    report: &mut SyncReport,
    actions: &mut Vec<Action>,
) -> Result<(), SyncError> {
    let Some(collection) = job.account.addressbook.clone() else {
        return Ok(());
    };
    if state.contacts.url != collection {
        // Another address book: start over (its cards are matched by UID).
        state.contacts = CollectionState {
            url: collection.clone(),
            ..CollectionState::default()
        };
        state.conflicts.clear();
    }
    let mut sync = Contacts::new(client, job, collection, state, report);
    let result = sync.pull().and_then(|()| sync.push());
    if result.is_ok() {
        sync.settle_tags();
    }
    actions.extend(sync.into_actions());
    result
}

/// A card fetched and read.
struct Card {
    href: String,
    etag: String,
    data: String,
    /// The person it describes (None: not a person, or unreadable).
    person: Option<Person>,
    uid: Option<String>,
}

/// Where a fetched card goes.
enum Target {
    /// A person of the sync (None base: linked for the first time).
    Person(PersonId, Option<String>),
    /// A new person.
    New,
    /// A person in kith's trash whose card came back (not on a first sync).
    Restore(PersonId),
    /// Left alone (the person it names, if any).
    Left(Option<PersonId>),
}

/// What this sync did to one person, locally.
#[derive(Default)]
struct Change {
    added: bool,
    edited: bool,
    deleted: bool,
}

/// What the remote side says changed.
struct RemoteChanges {
    changed: Vec<Listed>,
    /// Normalised keys of hrefs gone from the server.
    removed: HashSet<String>,
    token: Option<String>,
    ctag: Option<String>,
    /// A full listing (not incremental).
    full: bool,
}

struct Contacts<'a> {
    client: &'a DavClient,
    job: &'a SyncJob,
    account: &'a Account,
    collection: String,
    collection_key: String,
    state: &'a mut SyncState,
    report: &'a mut SyncReport,
    now: DateTime<Utc>,
    /// Index of each person of the job.
    people: HashMap<PersonId, usize>,
    /// The people this sync changed (the latest version).
    working: HashMap<PersonId, Person>,
    changes: HashMap<PersonId, Change>,
    order: Vec<PersonId>,
    /// People linked to a card in the state: their href.
    by_person: HashMap<PersonId, String>,
    /// Normalised href → the state's spelling (items and left).
    hrefs: HashMap<String, String>,
    /// People this sync already dealt with (their card came in or was relinked).
    handled: HashSet<PersonId>,
    /// Whether anything was written to the server.
    wrote: bool,
    /// The sync token / ctag to keep once done.
    token: Option<String>,
    ctag: Option<String>,
}

impl<'a> Contacts<'a> {
    fn new(
        client: &'a DavClient,
        job: &'a SyncJob,
        collection: String,
        state: &'a mut SyncState,
        report: &'a mut SyncReport,
    ) -> Self {
        let people = job
            .people
            .iter()
            .enumerate()
            .map(|(at, p)| (p.id, at))
            .collect();
        let mut by_person = HashMap::new();
        let mut hrefs = HashMap::new();
        for (href, item) in &state.contacts.items {
            if let Some(id) = item.person {
                by_person.insert(id, href.clone());
            }
            hrefs.insert(href_key(href), href.clone());
        }
        for href in state.contacts.left.keys() {
            hrefs.insert(href_key(href), href.clone());
        }
        let collection_key = href_key(&collection);
        Self {
            client,
            job,
            account: &job.account,
            collection,
            collection_key,
            state,
            report,
            now: Utc::now(),
            people,
            working: HashMap::new(),
            changes: HashMap::new(),
            order: Vec::new(),
            by_person,
            hrefs,
            handled: HashSet::new(),
            wrote: false,
            token: None,
            ctag: None,
        }
    }

    // ---- the local side -------------------------------------------------

    /// The person as this sync now sees them.
    fn local(&self, id: PersonId) -> Option<&Person> {
        self.working
            .get(&id)
            .or_else(|| self.people.get(&id).map(|&at| &self.job.people[at]))
    }

    fn change(&mut self, id: PersonId) -> &mut Change {
        if !self.changes.contains_key(&id) {
            self.order.push(id);
        }
        self.changes.entry(id).or_default()
    }

    /// Replace the working copy of a person (an edit, unless they are new).
    fn set_local(&mut self, person: Person) {
        let id = person.id;
        if self.local(id) == Some(&person) {
            return;
        }
        let change = self.change(id);
        let first_edit = !change.added && !change.edited;
        if !change.added {
            change.edited = true;
        }
        if first_edit {
            self.report.pulled.updated += 1;
        }
        self.working.insert(id, person);
    }

    /// Whether the account syncs this person now (live and in scope).
    fn syncs(&self, id: PersonId) -> bool {
        self.local(id)
            .is_some_and(|p| !p.deleted && self.account.includes(p))
    }

    /// The model changes, one per person, in the order they happened.
    fn into_actions(self) -> Vec<Action> {
        let mut working = self.working;
        let mut actions = Vec::new();
        for id in self.order {
            let Some(change) = self.changes.get(&id) else {
                continue;
            };
            let person = working.remove(&id);
            match (change.added, person) {
                (true, Some(person)) => actions.push(Action::AddPerson(person)),
                (false, Some(person)) if change.edited => {
                    actions.push(Action::EditPerson(person));
                }
                _ => {}
            }
            if change.deleted && !change.added {
                actions.push(Action::DeletePerson(id));
            }
        }
        actions
    }

    // ---- state ----------------------------------------------------------

    fn set_item(&mut self, href: &str, item: Item) {
        if let Some(id) = item.person {
            self.by_person.insert(id, href.to_string());
        }
        self.hrefs.insert(href_key(href), href.to_string());
        self.state.contacts.left.remove(href);
        self.state.contacts.items.insert(href.to_string(), item);
    }

    fn remove_item(&mut self, href: &str) -> Option<Item> {
        let item = self.state.contacts.items.remove(href)?;
        if let Some(id) = item.person
            && self.by_person.get(&id).map(String::as_str) == Some(href)
        {
            self.by_person.remove(&id);
        }
        Some(item)
    }

    /// Stop syncing this card, and remember it.
    fn leave(&mut self, href: &str, item: Item) {
        self.remove_item(href);
        if let Some(id) = item.person {
            self.drop_conflict(id);
        }
        self.hrefs.insert(href_key(href), href.to_string());
        self.state.contacts.left.insert(href.to_string(), item);
    }

    fn drop_conflict(&mut self, id: PersonId) {
        self.state.conflicts.retain(|c| c.person != id);
    }

    fn has_conflict(&self, id: PersonId) -> bool {
        self.state.conflicts.iter().any(|c| c.person == id)
    }

    /// The state's href for a server href, however it is spelled.
    fn known_href(&self, href: &str) -> Option<&String> {
        self.hrefs.get(&href_key(href))
    }

    // ---- pulling --------------------------------------------------------

    /// What changed on the server since the last sync.
    fn remote_changes(&mut self) -> Result<RemoteChanges, SyncError> {
        let contacts = &self.state.contacts;
        let use_token = contacts.sync_token.is_some()
            || (contacts.ctag.is_none() && contacts.items.is_empty() && contacts.left.is_empty());
        if use_token {
            let mut answer = self
                .client
                .sync_collection(&self.collection, contacts.sync_token.as_deref())?;
            let mut full = contacts.sync_token.is_none();
            if answer.supported && answer.invalid_token {
                answer = self.client.sync_collection(&self.collection, None)?;
                full = true;
            }
            if answer.supported && answer.token.is_some() {
                let removed = answer.removed.iter().map(|h| href_key(h)).collect();
                return Ok(RemoteChanges {
                    changed: answer.changed,
                    removed,
                    token: answer.token,
                    ctag: None,
                    full,
                });
            }
        }
        let ctag = self.client.collection_tag(&self.collection)?;
        if ctag.is_some() && ctag == self.state.contacts.ctag {
            return Ok(RemoteChanges {
                changed: Vec::new(),
                removed: HashSet::new(),
                token: None,
                ctag,
                full: false,
            });
        }
        let listed = self.client.list(&self.collection)?;
        Ok(RemoteChanges {
            changed: listed,
            removed: HashSet::new(),
            token: None,
            ctag,
            full: true,
        })
    }

    fn pull(&mut self) -> Result<(), SyncError> {
        let mut remote = self.remote_changes()?;
        // Only resources inside the address book, on its server: an href
        // elsewhere would send the account's password to another place.
        let listed: Vec<Listed> = std::mem::take(&mut remote.changed)
            .into_iter()
            .filter_map(|l| {
                let href = inside(&self.collection, &l.href)?;
                Some(Listed { href, ..l })
            })
            .collect();
        remote
            .removed
            .retain(|key| key.starts_with(&format!("{}/", self.collection_key)));
        if remote.full {
            // Whatever the state knows that the listing lacks is gone.
            let present: HashSet<String> = listed.iter().map(|l| href_key(&l.href)).collect();
            let contacts = &self.state.contacts;
            for href in contacts.items.keys().chain(contacts.left.keys()) {
                let key = href_key(href);
                if !present.contains(&key) {
                    remote.removed.insert(key);
                }
            }
        }
        // Only what differs from what kith last saw.
        let mut wanted = Vec::new();
        let mut seen = HashSet::new();
        for entry in listed {
            let key = href_key(&entry.href);
            if !seen.insert(key) {
                continue;
            }
            let known = self.known_href(&entry.href).and_then(|href| {
                self.state
                    .contacts
                    .items
                    .get(href)
                    .or_else(|| self.state.contacts.left.get(href))
            });
            if known.is_some_and(|item| !item.etag.is_empty() && item.etag == entry.etag) {
                continue;
            }
            wanted.push(entry.href);
        }
        let fetched = if wanted.is_empty() {
            Vec::new()
        } else {
            self.client
                .fetch(&self.collection, &wanted, Kind::Contact)?
        };
        // Only what was asked for.
        let asked: HashMap<String, &String> = wanted.iter().map(|h| (href_key(h), h)).collect();
        let cards: Vec<Card> = fetched
            .into_iter()
            .filter_map(|f| {
                let href = (*asked.get(&href_key(&f.href))?).clone();
                Some(Fetched { href, ..f })
            })
            .map(|f| {
                let mut card = read_card(f);
                // The state's spelling of a known href, so each card has one entry.
                if let Some(href) = self.known_href(&card.href) {
                    card.href = href.clone();
                }
                card
            })
            .collect();
        let targets = self.match_cards(&cards, &remote.removed);
        for (card, target) in cards.into_iter().zip(targets) {
            self.take_card(card, target)?;
        }
        for key in &remote.removed {
            self.removed_on_server(key);
        }
        self.token = remote.token;
        self.ctag = remote.ctag;
        // A token kept at once: what follows only adds writes of kith's
        // own, which the next sync recognises by their ETags.
        if self.token.is_some() {
            self.state.contacts.sync_token = self.token.clone();
        }
        Ok(())
    }

    /// Decide whose each card is (see the module's doc).
    fn match_cards(&self, cards: &[Card], removed: &HashSet<String>) -> Vec<Target> {
        let first_sync =
            self.state.contacts.items.is_empty() && self.state.contacts.left.is_empty();
        // UID keys of everyone kith knows, built once.
        let mut by_uid: HashMap<String, PersonId> = HashMap::new();
        for person in &self.job.people {
            for uid in person.source_ids.iter().filter(|s| !s.starts_with("csv:")) {
                by_uid.entry(uid_key(uid)).or_insert(person.id);
            }
            by_uid.entry(person.id.to_string()).or_insert(person.id);
        }
        for other in &self.job.others {
            for uid in &other.uids {
                by_uid.entry(uid_key(uid)).or_insert(other.id);
            }
            by_uid.entry(other.id.to_string()).or_insert(other.id);
        }
        let mut claimed: HashSet<PersonId> = HashSet::new();
        let mut targets: Vec<Option<Target>> = Vec::with_capacity(cards.len());
        for card in cards {
            let target = self.match_known(card, &by_uid, removed, &mut claimed);
            targets.push(target);
        }
        if first_sync {
            self.match_emails(cards, &mut targets, &mut claimed);
        }
        targets
            .into_iter()
            .zip(cards)
            .map(|(target, card)| match target {
                Some(target) => target,
                None if card.person.is_some() => Target::New,
                None => Target::Left(None),
            })
            .collect()
    }

    /// A card's person by the state's href, else by UID; None: not found.
    fn match_known(
        &self,
        card: &Card,
        by_uid: &HashMap<String, PersonId>,
        removed: &HashSet<String>,
        claimed: &mut HashSet<PersonId>,
    ) -> Option<Target> {
        if let Some(href) = self.known_href(&card.href) {
            if let Some(item) = self.state.contacts.items.get(href) {
                return Some(match item.person {
                    Some(id) if self.syncs(id) || self.local(id).is_some_and(|p| p.deleted) => {
                        claimed.insert(id);
                        Target::Person(id, Some(item.base.clone()))
                    }
                    other => Target::Left(other),
                });
            }
            if let Some(Some(id)) = self.state.contacts.left.get(href).map(|i| i.person)
                && self.syncs(id)
                && !claimed.contains(&id)
                && !self.by_person.contains_key(&id)
            {
                claimed.insert(id);
                return Some(Target::Person(id, None));
            }
        }
        card.person.as_ref()?;
        let uid = card.uid.as_deref()?;
        let id = *by_uid.get(&uid_key(uid))?;
        let first_sync =
            self.state.contacts.items.is_empty() && self.state.contacts.left.is_empty();
        let restore = !first_sync
            && self
                .local(id)
                .is_some_and(|p| p.deleted && self.account.includes(p));
        if restore && !self.by_person.contains_key(&id) && claimed.insert(id) {
            // Their card is back (restored on another machine, or the
            // phone added it again): so are they.
            return Some(Target::Restore(id));
        }
        if !self.syncs(id) {
            return Some(Target::Left(Some(id)));
        }
        let mut base = None;
        if let Some(href) = self.by_person.get(&id)
            && href_key(href) != href_key(&card.href)
        {
            if !removed.contains(&href_key(href)) {
                // A second card of someone already synced: leave it be.
                return Some(Target::Left(None));
            }
            // The card moved (a phone deleted and re-created it): merge
            // against what the old one held.
            base = self.state.contacts.items.get(href).map(|i| i.base.clone());
        }
        if !claimed.insert(id) {
            return Some(Target::Left(None));
        }
        Some(Target::Person(id, base))
    }

    /// First sync: cards nobody matched, linked by an e-mail address that
    /// exactly one such card and exactly one unlinked person hold.
    fn match_emails(
        &self,
        cards: &[Card],
        targets: &mut [Option<Target>],
        claimed: &mut HashSet<PersonId>,
    ) {
        let mut local: HashMap<String, Vec<PersonId>> = HashMap::new();
        for person in &self.job.people {
            if person.deleted
                || !self.account.includes(person)
                || self.by_person.contains_key(&person.id)
                || claimed.contains(&person.id)
            {
                continue;
            }
            let mut keys: BTreeSet<String> = BTreeSet::new();
            for email in &person.emails {
                keys.insert(email.value.trim().to_lowercase());
            }
            for key in keys {
                local.entry(key).or_default().push(person.id);
            }
        }
        let mut remote: HashMap<String, usize> = HashMap::new();
        let card_emails: Vec<BTreeSet<String>> = cards
            .iter()
            .zip(targets.iter())
            .map(|(card, target)| match (&card.person, target) {
                (Some(person), None) => person
                    .emails
                    .iter()
                    .map(|e| e.value.trim().to_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect(),
                _ => BTreeSet::new(),
            })
            .collect();
        for emails in &card_emails {
            for email in emails {
                *remote.entry(email.clone()).or_default() += 1;
            }
        }
        for (emails, target) in card_emails.iter().zip(targets.iter_mut()) {
            for email in emails {
                if remote.get(email) != Some(&1) {
                    continue;
                }
                if let Some([id]) = local.get(email).map(Vec::as_slice)
                    && !claimed.contains(id)
                {
                    claimed.insert(*id);
                    *target = Some(Target::Person(*id, None));
                    break;
                }
            }
        }
    }

    /// Bring one fetched card in.
    fn take_card(&mut self, card: Card, target: Target) -> Result<(), SyncError> {
        match target {
            Target::Left(person) => {
                let item = Item {
                    uid: card.uid.unwrap_or_default(),
                    etag: card.etag,
                    person,
                    interaction: None,
                    base: card.data,
                };
                self.leave(&card.href, item);
                Ok(())
            }
            Target::New => {
                let mut person = Person {
                    id: PersonId::new_random(),
                    ..Person::default()
                };
                if let Some(uid) = &card.uid {
                    person.source_ids.push(uid.clone());
                }
                if let Scope::Tag(tag) = &self.account.scope {
                    person.tags.push(tag.clone());
                }
                let id = person.id;
                self.change(id).added = true;
                self.report.pulled.added += 1;
                self.working.insert(id, person);
                self.handled.insert(id);
                self.merge_card(&card.href, card.etag, card.data, id, None)
            }
            Target::Restore(id) => {
                if let Some(person) = self.local(id).cloned() {
                    self.set_local(Person {
                        deleted: false,
                        ..person
                    });
                }
                self.take_card(card, Target::Person(id, None))
            }
            Target::Person(id, base) => {
                self.handled.insert(id);
                if let Some(uid) = &card.uid
                    && let Some(local) = self.local(id)
                    && uid_key(uid) != id.to_string()
                    && !local.source_ids.iter().any(|s| uid_key(s) == uid_key(uid))
                {
                    // Matched by e-mail: remember the card's UID.
                    let mut person = local.clone();
                    person.source_ids.push(uid.clone());
                    self.set_local(person);
                }
                self.merge_card(&card.href, card.etag, card.data, id, base)
            }
        }
    }

    /// Merge the server's card at `href` into person `id` against `base`,
    /// keep it as the new base, and write the merged card back when it
    /// differs (412: fetch, merge again, retry).
    fn merge_card(
        &mut self,
        href: &str,
        mut etag: String,
        mut data: String,
        id: PersonId,
        base: Option<String>,
    ) -> Result<(), SyncError> {
        let Some(original) = self.local(id).cloned() else {
            return Ok(());
        };
        let base_person = base.as_deref().and_then(|b| merge::parse_card(b).ok());
        for _ in 0..ATTEMPTS {
            let Ok(remote) = merge::parse_card(&data) else {
                // Not readable now: keep the old base, note the ETag.
                let item = Item {
                    uid: export_uid(&original, VcardVersion::V3),
                    etag,
                    person: Some(id),
                    interaction: None,
                    base: base.clone().unwrap_or_default(),
                };
                self.set_item(href, item);
                return Ok(());
            };
            let kith = merge::remote_has_kith(&data);
            let merged = merge::merge(base_person.as_ref(), &original, &remote, self.account, kith);
            let person = merged.person;
            self.set_local(person.clone());
            let uid = remote
                .source_ids
                .first()
                .cloned()
                .unwrap_or_else(|| export_uid(&person, VcardVersion::V3));
            self.set_item(
                href,
                Item {
                    uid,
                    etag: etag.clone(),
                    person: Some(id),
                    interaction: None,
                    base: data.clone(),
                },
            );
            let fields = self.record_conflict(id, href, &data, merged.conflicts, &person, &remote);
            if person.deleted {
                // In kith's trash: the delete goes out in `push`.
                return Ok(());
            }
            let outgoing = if fields.is_empty() {
                person
            } else {
                merge::use_theirs(&person, &remote, &fields)
            };
            if merge::project(&outgoing, self.account, kith)
                == merge::project(&remote, self.account, kith)
            {
                return Ok(());
            }
            let text = server_card(merge::card_text(
                &outgoing,
                self.account,
                Some(&data),
                self.kith_photo(id, Some(&data)).as_deref(),
            ));
            match self.client.put(href, &text, Kind::Contact, Some(&etag))? {
                Put::Done { etag: new } => {
                    self.wrote = true;
                    self.report.pushed.updated += 1;
                    if let Some(item) = self.state.contacts.items.get_mut(href) {
                        item.etag = new.unwrap_or_default();
                        item.base = text;
                    }
                    return Ok(());
                }
                Put::PreconditionFailed => match self.fetch_one(href)? {
                    Some(fresh) => {
                        etag = fresh.etag;
                        data = fresh.data;
                    }
                    // Deleted meanwhile: the next sync hears of it.
                    None => return Ok(()),
                },
            }
        }
        Ok(())
    }

    /// Keep the person's conflict up to date: the fields both sides
    /// changed now, plus the open ones the server still disagrees on.
    fn record_conflict(
        &mut self,
        id: PersonId,
        href: &str,
        data: &str,
        found: Vec<FieldConflict>,
        mine: &Person,
        theirs: &Person,
    ) -> Vec<String> {
        let mut fields = found;
        if let Some(open) = self.state.conflicts.iter().find(|c| c.person == id) {
            for old in &open.fields {
                if fields.iter().any(|f| f.field == old.field) {
                    continue;
                }
                let mine_text = merge::field_text(mine, &old.field);
                let theirs_text = merge::field_text(theirs, &old.field);
                if mine_text != theirs_text {
                    fields.push(FieldConflict {
                        field: old.field.clone(),
                        label: old.label.clone(),
                        mine: mine_text,
                        theirs: theirs_text,
                    });
                }
            }
        }
        let keys: Vec<String> = fields.iter().map(|f| f.field.clone()).collect();
        self.drop_conflict(id);
        if !fields.is_empty() {
            self.state.conflicts.push(ServerConflict {
                person: id,
                href: href.to_string(),
                theirs: data.to_string(),
                fields,
                found: self.now,
            });
        }
        keys
    }

    /// A card the server no longer has: its person goes to the trash
    /// (unless their card only moved, or they are there already).
    fn removed_on_server(&mut self, key: &str) {
        let Some(href) = self.hrefs.get(key).cloned() else {
            return;
        };
        self.state.contacts.left.remove(&href);
        let Some(item) = self.remove_item(&href) else {
            return;
        };
        let Some(id) = item.person else {
            return;
        };
        if self.by_person.contains_key(&id) || self.handled.contains(&id) {
            // Relinked to another card in this sync (a phone rewrote it).
            return;
        }
        self.drop_conflict(id);
        if self.syncs(id)
            && let Some(person) = self.local(id).cloned()
        {
            self.handled.insert(id);
            self.change(id).deleted = true;
            self.report.pulled.deleted += 1;
            self.working.insert(
                id,
                Person {
                    deleted: true,
                    ..person
                },
            );
        }
    }

    /// kith's photo of a person, to write when the server's card has none
    /// (a photo set on the phone is never replaced by kith's).
    fn kith_photo(&self, id: PersonId, server_card: Option<&str>) -> Option<Vec<u8>> {
        let root = self.job.data_dir.as_deref()?;
        if let Some(text) = server_card {
            let (cards, _) = crate::exchange::vcard::parse_cards(text);
            if cards
                .first()
                .and_then(crate::exchange::vcard::card_photo)
                .is_some()
            {
                return None;
            }
        }
        crate::storage::photos::read_photo(root, id).ok().flatten()
    }

    fn fetch_one(&self, href: &str) -> Result<Option<Fetched>, SyncError> {
        let found = self
            .client
            .fetch(&self.collection, &[href.to_string()], Kind::Contact)?;
        let key = href_key(href);
        Ok(found
            .into_iter()
            .find(|f| href_key(&f.href) == key)
            .map(|f| Fetched {
                href: href.to_string(),
                ..f
            }))
    }

    // ---- pushing --------------------------------------------------------

    fn push(&mut self) -> Result<(), SyncError> {
        let left_by_person: HashMap<PersonId, String> = self
            .state
            .contacts
            .left
            .iter()
            .filter_map(|(href, item)| item.person.map(|id| (id, href.clone())))
            .collect();
        for at in 0..self.job.people.len() {
            let id = self.job.people[at].id;
            let Some(local) = self.local(id) else {
                continue;
            };
            let deleted = local.deleted;
            // Whoever came in from the server is done, except a card that
            // changed there while its person sat in kith's trash.
            if self.handled.contains(&id) && !deleted {
                continue;
            }
            let in_scope = self.account.includes(local);
            let linked = self.by_person.get(&id).cloned();
            match linked {
                Some(href) if deleted => self.delete_card(&href, id)?,
                Some(href) if !in_scope => {
                    if let Some(item) = self.state.contacts.items.get(&href).cloned() {
                        self.leave(&href, item);
                    }
                }
                Some(href) => {
                    if !self.has_conflict(id) {
                        self.push_changed(&href, id)?;
                    }
                }
                None if deleted || !in_scope => {}
                None => match left_by_person.get(&id) {
                    Some(href) => self.relink(href, id)?,
                    None => self.create_card(id)?,
                },
            }
        }
        // Cards of people kith no longer has at all (deleted for good):
        // left on the server, remembered so they do not come back.
        let orphans: Vec<(String, Item)> = self
            .state
            .contacts
            .items
            .iter()
            .filter(|(_, item)| item.person.is_none_or(|id| self.local(id).is_none()))
            .map(|(href, item)| (href.clone(), item.clone()))
            .collect();
        for (href, item) in orphans {
            self.leave(&href, item);
        }
        Ok(())
    }

    /// Write a person whose synced fields moved away from the last card.
    fn push_changed(&mut self, href: &str, id: PersonId) -> Result<(), SyncError> {
        let Some(item) = self.state.contacts.items.get(href).cloned() else {
            return Ok(());
        };
        let Some(local) = self.local(id).cloned() else {
            return Ok(());
        };
        // Fast: the card kith would write now is the one it wrote last.
        let again = server_card(merge::card_text(
            &local,
            self.account,
            Some(&item.base),
            None,
        ));
        if again == item.base {
            return Ok(());
        }
        let kith = merge::remote_has_kith(&item.base);
        let unchanged = merge::parse_card(&item.base).is_ok_and(|base| {
            merge::project(&base, self.account, kith) == merge::project(&local, self.account, kith)
        });
        if unchanged {
            return Ok(());
        }
        let text = server_card(merge::card_text(
            &local,
            self.account,
            Some(&item.base),
            None,
        ));
        match self
            .client
            .put(href, &text, Kind::Contact, Some(&item.etag))?
        {
            Put::Done { etag } => {
                self.wrote = true;
                self.report.pushed.updated += 1;
                self.set_item(
                    href,
                    Item {
                        etag: etag.unwrap_or_default(),
                        base: text,
                        ..item
                    },
                );
                Ok(())
            }
            Put::PreconditionFailed => {
                self.handled.insert(id);
                match self.fetch_one(href)? {
                    Some(fresh) => {
                        self.merge_card(href, fresh.etag, fresh.data, id, Some(item.base))
                    }
                    None => {
                        // Deleted on the server while kith changed them:
                        // the change wins, the card comes back.
                        self.remove_item(href);
                        self.create_card(id)
                    }
                }
            }
        }
    }

    /// A person new to the server: `<id>.vcf`, only if nothing is there.
    fn create_card(&mut self, id: PersonId) -> Result<(), SyncError> {
        let Some(local) = self.local(id).cloned() else {
            return Ok(());
        };
        let href = self.client.href_for(&self.collection, &format!("{id}.vcf"));
        let text = server_card(merge::card_text(
            &local,
            self.account,
            None,
            self.kith_photo(id, None).as_deref(),
        ));
        match self.client.put(&href, &text, Kind::Contact, None)? {
            Put::Done { etag } => {
                self.wrote = true;
                self.report.pushed.added += 1;
                self.set_item(
                    &href,
                    Item {
                        uid: export_uid(&local, VcardVersion::V3),
                        etag: etag.unwrap_or_default(),
                        person: Some(id),
                        interaction: None,
                        base: text,
                    },
                );
                Ok(())
            }
            // Already there (a sync cut off after this PUT): merge with it.
            Put::PreconditionFailed => match self.fetch_one(&href)? {
                Some(fresh) => self.merge_card(&href, fresh.etag, fresh.data, id, None),
                None => Ok(()),
            },
        }
    }

    /// A person back in scope whose card was left alone: link them to it again.
    fn relink(&mut self, href: &str, id: PersonId) -> Result<(), SyncError> {
        match self.fetch_one(href)? {
            Some(fresh) => {
                self.state.contacts.left.remove(href);
                self.merge_card(href, fresh.etag, fresh.data, id, None)
            }
            None => {
                self.state.contacts.left.remove(href);
                self.create_card(id)
            }
        }
    }

    /// A person in kith's trash: delete their card (`If-Match`); a card
    /// changed meanwhile is merged into the trashed record first.
    fn delete_card(&mut self, href: &str, id: PersonId) -> Result<(), SyncError> {
        for _ in 0..ATTEMPTS {
            let Some(item) = self.state.contacts.items.get(href).cloned() else {
                return Ok(());
            };
            match self.client.delete(href, &item.etag)? {
                Deleted::Done => {
                    self.wrote = true;
                    self.report.pushed.deleted += 1;
                    self.remove_item(href);
                    self.drop_conflict(id);
                    return Ok(());
                }
                Deleted::Gone => {
                    self.remove_item(href);
                    self.drop_conflict(id);
                    return Ok(());
                }
                Deleted::PreconditionFailed => match self.fetch_one(href)? {
                    Some(fresh) => {
                        self.merge_card(href, fresh.etag, fresh.data, id, Some(item.base))?;
                    }
                    None => {
                        self.remove_item(href);
                        return Ok(());
                    }
                },
            }
        }
        Ok(())
    }

    /// Keep the token and ctag for next time. A ctag read before kith's
    /// own writes is stale once they happened: then the next sync lists.
    fn settle_tags(&mut self) {
        self.state.contacts.sync_token = self.token.take();
        self.state.contacts.ctag = if self.wrote { None } else { self.ctag.take() };
    }
}

/// The list properties kith writes that a server must not cut at a comma.
const LIST_PROPERTIES: &[&str] = &[
    "NICKNAME",
    "X-KITH-INTERESTS",
    "X-KITH-NEEDS",
    "X-KITH-WANTS",
    "X-KITH-CAN-HELP",
];

/// A card as kith writes it to a server: each nickname and each item of
/// kith's own lists on a line of its own. Servers built on vobject
/// (Radicale) keep only the first of several comma-separated values of
/// NICKNAME and of any property they do not know; kith's reader gathers
/// repeated lines.
fn server_card(text: String) -> String {
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut out = String::with_capacity(text.len() + 64);
    let mut split_any = false;
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let Some((head, value)) = line.split_once(':') else {
            crate::exchange::vcard::write::fold_line(line, &mut out);
            continue;
        };
        let name = head.split(';').next().unwrap_or(head);
        let name = name.rsplit('.').next().unwrap_or(name);
        let items = split_on_commas(value);
        if LIST_PROPERTIES.iter().any(|p| p.eq_ignore_ascii_case(name)) && items.len() > 1 {
            split_any = true;
            for item in items {
                crate::exchange::vcard::write::fold_line(&format!("{head}:{item}"), &mut out);
            }
        } else {
            crate::exchange::vcard::write::fold_line(line, &mut out);
        }
    }
    if split_any { out } else { text }
}

/// A value's parts between commas not escaped with a backslash (the
/// escapes are kept).
fn split_on_commas(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (at, c) in value.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ',' => {
                parts.push(&value[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts.retain(|p| !p.is_empty());
    parts
}

/// Read a fetched card: the person it describes and its UID.
fn read_card(fetched: Fetched) -> Card {
    let person = merge::parse_card(&fetched.data).ok();
    let uid = person
        .as_ref()
        .and_then(|p| p.source_ids.first().cloned())
        .filter(|u| !u.trim().is_empty());
    Card {
        href: fetched.href,
        etag: fetched.etag,
        data: fetched.data,
        person,
        uid,
    }
}

/// `href` as a path inside `collection` (an absolute URL must name the
/// collection's own server); None for the collection itself and for
/// anything outside it.
pub fn inside(collection: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let path = match href.find("://") {
        Some(at) => {
            let origin_end = href[at + 3..].find('/').map_or(href.len(), |i| at + 3 + i);
            let (origin, path) = href.split_at(origin_end);
            let collection_origin = collection
                .find("://")
                .map(|at| {
                    let end = collection[at + 3..]
                        .find('/')
                        .map_or(collection.len(), |i| at + 3 + i);
                    &collection[..end]
                })
                .unwrap_or_default();
            if !origin.eq_ignore_ascii_case(collection_origin) {
                return None;
            }
            path
        }
        None => href,
    };
    let key = href_key(path);
    let within = format!("{}/", href_key(collection));
    let rest = key.strip_prefix(&within)?;
    if rest.is_empty() || rest.split('/').any(|part| part == ".." || part == ".") {
        return None;
    }
    Some(path.to_string())
}

/// An href as compared: the path only (no scheme and host),
/// percent-decoded, without a trailing slash.
pub fn href_key(href: &str) -> String {
    let href = href.trim();
    let path = match href.find("://") {
        Some(at) => {
            let rest = &href[at + 3..];
            rest.find('/').map_or("/", |slash| &rest[slash..])
        }
        None => href,
    };
    let decoded = percent_decode(path);
    decoded.trim_end_matches('/').to_string()
}

/// `%41` → `A`; anything that is not a valid escape, or not UTF-8 once
/// decoded, stays as it was.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%'
            && let Some(hex) = text.get(at + 1..at + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            at += 3;
            continue;
        }
        out.push(bytes[at]);
        at += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Contact;
    use crate::sync::run::KnownPerson;
    use chrono::NaiveDate;

    fn card(href: &str, uid: &str, name: &str, email: &str) -> Card {
        let mut data = format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\n");
        if !email.is_empty() {
            data.push_str(&format!("EMAIL:{email}\r\n"));
        }
        data.push_str("END:VCARD\r\n");
        read_card(Fetched {
            href: href.into(),
            etag: "\"1\"".into(),
            data,
        })
    }

    fn person(name: &str, email: &str) -> Person {
        let mut p = Person::new(name);
        if !email.is_empty() {
            p.emails.push(Contact {
                value: email.into(),
                ..Contact::default()
            });
        }
        p
    }

    fn job(people: Vec<Person>, others: Vec<KnownPerson>, scope: Scope) -> SyncJob {
        let mut account = Account::new("phone", "http://127.0.0.1:9/", "alice");
        account.addressbook = Some("http://127.0.0.1:9/alice/contacts/".into());
        account.scope = scope;
        SyncJob {
            account,
            password: String::new(),
            state: SyncState::default(),
            people,
            others,
            interactions: Vec::new(),
            today: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap_or_default(),
            data_dir: None,
        }
    }

    /// Where each card goes, as (person, first link) / "new" / "left".
    fn targets(job: &SyncJob, state: &mut SyncState, cards: &[Card]) -> Vec<String> {
        let client = DavClient::connect("http://127.0.0.1:9/", "alice", "x", None);
        let Ok(client) = client else {
            return vec!["no client".into()];
        };
        let mut report = SyncReport::default();
        let collection = job.account.addressbook.clone().unwrap_or_default();
        let sync = Contacts::new(&client, job, collection, state, &mut report);
        sync.match_cards(cards, &HashSet::new())
            .into_iter()
            .map(|t| match t {
                Target::Person(id, base) => {
                    let name = sync.local(id).map(|p| p.name.clone()).unwrap_or_default();
                    format!("{name}{}", if base.is_some() { "" } else { " (linked)" })
                }
                Target::New => "new".into(),
                Target::Restore(id) => format!("restore {id}"),
                Target::Left(Some(id)) => format!("left {id}"),
                Target::Left(None) => "left".into(),
            })
            .collect()
    }

    #[test]
    fn cards_find_their_people_by_uid_kith_id_and_on_a_first_sync_a_unique_email() {
        let mut imported = person("Dana Whitfield", "dana@example.com");
        imported.source_ids.push("urn:uuid:ABC-1".into());
        let own = person("Raj Patel", "");
        let by_mail = person("Mia Chen", "MIA@example.com");
        let twice = person("Sam One", "shared@example.com");
        let twice_too = person("Sam Two", "shared@example.com");
        let job = job(
            vec![imported, own.clone(), by_mail, twice, twice_too],
            Vec::new(),
            Scope::All,
        );
        let cards = [
            card("/alice/contacts/a.vcf", "abc-1", "Dana W.", ""),
            card(
                "/alice/contacts/b.vcf",
                &format!("urn:uuid:{}", own.id),
                "Raj",
                "",
            ),
            card("/alice/contacts/c.vcf", "phone-1", "Mia", "mia@example.com"),
            card(
                "/alice/contacts/d.vcf",
                "phone-2",
                "Sam",
                "shared@example.com",
            ),
            card(
                "/alice/contacts/e.vcf",
                "phone-3",
                "Nobody",
                "nobody@example.com",
            ),
            // The same UID twice on the server: the second is left alone.
            card("/alice/contacts/f.vcf", "abc-1", "Dana again", ""),
        ];
        let mut state = SyncState::default();
        assert_eq!(
            targets(&job, &mut state, &cards),
            [
                "Dana Whitfield (linked)",
                "Raj Patel (linked)",
                "Mia Chen (linked)",
                "new",
                "new",
                "left"
            ]
        );
    }

    #[test]
    fn after_the_first_sync_an_email_alone_never_links_and_kept_hrefs_win() {
        let dana = person("Dana Whitfield", "dana@example.com");
        let raj = person("Raj Patel", "raj@example.com");
        let job = job(vec![dana.clone(), raj], Vec::new(), Scope::All);
        let mut state = SyncState::default();
        state.contacts.items.insert(
            "/alice/contacts/dana.vcf".into(),
            Item {
                uid: "x".into(),
                etag: "\"0\"".into(),
                person: Some(dana.id),
                interaction: None,
                base: "BEGIN:VCARD\r\nEND:VCARD\r\n".into(),
            },
        );
        let cards = [
            card(
                "http://127.0.0.1:9/alice/contacts/dana.vcf",
                "other",
                "D.",
                "",
            ),
            card("/alice/contacts/r.vcf", "phone-9", "Raj", "raj@example.com"),
        ];
        assert_eq!(targets(&job, &mut state, &cards), ["Dana Whitfield", "new"]);
    }

    #[test]
    fn a_card_of_someone_out_of_scope_or_in_the_trash_is_left_alone_not_duplicated() {
        let mut tagged = person("Dana Whitfield", "");
        tagged.tags.push("phone".into());
        let mut trashed = person("Old Friend", "");
        trashed.deleted = true;
        trashed.tags.push("phone".into());
        let outside = KnownPerson {
            id: PersonId::new_random(),
            uids: vec!["raj-uid".into()],
        };
        let job = job(
            vec![tagged.clone(), trashed.clone()],
            vec![outside.clone()],
            Scope::Tag("phone".into()),
        );
        let cards = [
            card("/alice/contacts/a.vcf", &tagged.id.to_string(), "Dana", ""),
            card("/alice/contacts/b.vcf", &trashed.id.to_string(), "Old", ""),
            card("/alice/contacts/c.vcf", "RAJ-UID", "Raj", ""),
        ];
        let mut state = SyncState::default();
        assert_eq!(
            targets(&job, &mut state, &cards),
            [
                "Dana Whitfield (linked)".to_string(),
                format!("left {}", trashed.id),
                format!("left {}", outside.id)
            ]
        );
    }

    #[test]
    fn kiths_lists_go_to_a_server_one_value_a_line_and_read_back_whole() {
        let mut ada = Person::new("Ada Lovelace");
        ada.interests = vec!["mathematics".into(), "poetry, verse".into(), "x".repeat(90)];
        ada.needs = vec!["a patron".into()];
        ada.nicknames = vec!["Countess".into(), "Enchantress".into()];
        let mut account = Account::new("phone", "http://127.0.0.1:9/", "alice");
        account.write_kith_fields = true;
        let text = server_card(merge::card_text(&ada, &account, None, None));
        assert!(
            text.contains("X-KITH-INTERESTS:mathematics\r\nX-KITH-INTERESTS:poetry\\, verse\r\n"),
            "{text}"
        );
        assert!(text.lines().all(|l| l.len() <= 76), "{text}");
        let back = merge::parse_card(&text);
        assert!(text.contains("NICKNAME:Countess\r\nNICKNAME:Enchantress\r\n"));
        assert_eq!(
            back.map(|p| (p.interests, p.needs, p.nicknames)),
            Ok((ada.interests, ada.needs, ada.nicknames))
        );
        assert_eq!(split_on_commas("a\\,b,,c"), ["a\\,b", "c"]);
    }

    proptest::proptest! {
        /// Writing each list item on its own line never changes what the
        /// card says, whatever the items hold (commas, backslashes, long text).
        #[test]
        fn one_value_a_line_reads_back_as_the_card_kith_wrote(
            interests in proptest::collection::vec("[a-z ,;\\\\é]{1,90}", 0..5),
            nicknames in proptest::collection::vec("[A-Za-z ,]{1,20}", 0..4),
            needs in proptest::collection::vec("[a-z,]{1,12}", 0..3),
        ) {
            let mut ada = Person::new("Ada Lovelace");
            ada.interests = interests;
            ada.nicknames = nicknames;
            ada.needs = needs;
            let mut account = Account::new("phone", "http://127.0.0.1:9/", "alice");
            account.write_kith_fields = true;
            let written = merge::card_text(&ada, &account, None, None);
            let sent = server_card(written.clone());
            let (Ok(a), Ok(b)) = (merge::parse_card(&written), merge::parse_card(&sent)) else {
                return Err(proptest::test_runner::TestCaseError::fail("unreadable card"));
            };
            proptest::prop_assert_eq!(
                (&a.interests, &a.nicknames, &a.needs),
                (&b.interests, &b.nicknames, &b.needs)
            );
            proptest::prop_assert!(sent.split("\r\n").all(|l| l.len() <= 75), "{}", sent);
        }
    }

    #[test]
    fn only_hrefs_inside_the_address_book_on_its_server_are_used() {
        let book = "http://127.0.0.1:5232/alice/contacts/";
        assert_eq!(
            inside(book, "/alice/contacts/a.vcf").as_deref(),
            Some("/alice/contacts/a.vcf")
        );
        assert_eq!(
            inside(book, "HTTP://127.0.0.1:5232/alice/contacts/a%20b.vcf").as_deref(),
            Some("/alice/contacts/a%20b.vcf")
        );
        assert_eq!(inside(book, "/alice/contacts/"), None);
        assert_eq!(inside(book, "/alice/calendar/a.ics"), None);
        assert_eq!(inside(book, "/alice/contacts/../calendar/x"), None);
        assert_eq!(inside(book, "/alice/contacts/%2E%2E/x"), None);
        assert_eq!(
            inside(book, "https://evil.example/alice/contacts/a.vcf"),
            None
        );
        assert_eq!(
            inside(book, "http://127.0.0.1:5233/alice/contacts/a.vcf"),
            None
        );
        assert_eq!(
            inside("/alice/contacts", "/alice/contacts/a.vcf").as_deref(),
            Some("/alice/contacts/a.vcf")
        );
    }

    #[test]
    fn hrefs_compare_however_the_server_spells_them() {
        assert_eq!(
            href_key("http://127.0.0.1:5232/alice/contacts/a%20b.vcf"),
            "/alice/contacts/a b.vcf"
        );
        assert_eq!(href_key("/alice/contacts/"), "/alice/contacts");
        assert_eq!(
            href_key("/alice/contacts"),
            href_key("https://x/alice/contacts/")
        );
        assert_eq!(href_key("/a/%zz/%4"), "/a/%zz/%4");
        assert_eq!(href_key("/a/%C3%A9"), "/a/é");
        assert_eq!(href_key("/a/%FF"), "/a/%FF");
    }
}
