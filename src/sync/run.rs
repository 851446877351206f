//! One whole sync of an account, in three steps so the network never runs
//! on the model thread:
//!
//! 1. [`prepare`] (model thread): a snapshot of the people and follow-ups
//!    the sync needs, with the account's state;
//! 2. [`run`] (any thread): the address book ([`super::contacts`]), then
//!    the calendar ([`super::calendar`]); what came back is a list of
//!    [`Action`]s and the new state;
//! 3. [`finish`] (model thread): the actions as ONE undoable step
//!    ("Sync with fastmail"), rebased onto what the user edited meanwhile,
//!    the person files written, and only then the state saved.
//!
//! That order is what makes a sync cut off at any point safe: the server
//! was written before the state says so, and every write is found again by
//! its UID (new cards live at `<person id>.vcf`), so the next sync merges
//! instead of duplicating.

use super::dav::DavClient;
use super::state::ServerConflict;
use super::{Account, SyncError, SyncState, calendar, contacts, merge};
use crate::action::Action;
use crate::model::{Interaction, Person, PersonId};
use crate::session::Session;
use crate::storage::sync_store;
use chrono::{NaiveDate, Utc};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Everything one sync needs, taken from the model on its thread.
pub struct SyncJob {
    /// The account.
    pub account: Account,
    /// Its password (kept in memory only).
    pub password: String,
    /// What the last sync left.
    pub state: SyncState,
    /// The people the sync may touch: everyone the account includes (in
    /// scope, the trash too), and everyone the state knows, even out of
    /// scope (check [`Account::includes`] and `deleted`).
    pub people: Vec<Person>,
    /// Everyone else, only to recognise their cards (never duplicated).
    pub others: Vec<KnownPerson>,
    /// Open follow-ups (a follow-up day, not done).
    pub interactions: Vec<Interaction>,
    /// Today, as the session sees it.
    pub today: NaiveDate,
    /// The data folder, where people's photos are read from (None: in memory).
    pub data_dir: Option<PathBuf>,
}

impl std::fmt::Debug for SyncJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncJob")
            .field("account", &self.account.name)
            .field("password", &"…")
            .field("people", &self.people.len())
            .field("others", &self.others.len())
            .field("interactions", &self.interactions.len())
            .field("today", &self.today)
            .finish()
    }
}

/// A person outside a sync, by what their card would be recognised by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownPerson {
    /// The person.
    pub id: PersonId,
    /// Their card UIDs (`source_ids` that are not CSV rows).
    pub uids: Vec<String>,
}

/// What [`run`] brings back for [`finish`].
#[derive(Debug)]
pub struct SyncOutcome {
    /// The account's name.
    pub account: String,
    /// How it ended. On an error, `actions` and `state` still hold what was
    /// done (pushes that happened, cards that came in), consistent with each other.
    pub result: Result<(), SyncError>,
    /// The model changes, in order.
    pub actions: Vec<Action>,
    /// The people as they were when the sync started (to rebase onto edits made meanwhile).
    pub snapshot: Vec<Person>,
    /// The follow-ups as they were when the sync started.
    pub interactions: Vec<Interaction>,
    /// The new state, to save once the actions are on disk.
    pub state: SyncState,
    /// What changed, for people.
    pub report: SyncReport,
}

/// What one sync changed, for the toast, the CLI and the benchmarks.
#[derive(Default, Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// The account's name.
    pub account: String,
    /// Cards from the server into kith.
    pub pulled: Counts,
    /// Cards from kith onto the server.
    pub pushed: Counts,
    /// Calendar objects written or removed on the server, and follow-ups changed from it.
    pub calendar: Counts,
    /// Conflicts waiting for the user after this sync.
    pub conflicts: usize,
    /// HTTP requests this sync sent.
    pub requests: u64,
}

/// Added, changed and deleted counts of one direction.
#[derive(Default, Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// New ones.
    pub added: usize,
    /// Changed ones.
    pub updated: usize,
    /// Removed ones.
    pub deleted: usize,
}

impl Counts {
    /// Nothing in any column.
    pub fn is_empty(&self) -> bool {
        self.added == 0 && self.updated == 0 && self.deleted == 0
    }

    /// "2 added, 1 changed", or "nothing".
    pub fn text(&self) -> String {
        let parts: Vec<String> = [
            (self.added, "added"),
            (self.updated, "changed"),
            (self.deleted, "deleted"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if parts.is_empty() {
            "nothing".into()
        } else {
            parts.join(", ")
        }
    }
}

impl SyncReport {
    /// One line for people: "↓ 2 added, 1 changed · ↑ 1 changed · 0 conflicts".
    pub fn summary(&self) -> String {
        let mut parts = vec![
            format!("↓ {}", self.pulled.text()),
            format!("↑ {}", self.pushed.text()),
        ];
        if !self.calendar.is_empty() {
            parts.push(format!("calendar {}", self.calendar.text()));
        }
        parts.push(match self.conflicts {
            1 => "1 conflict".into(),
            n => format!("{n} conflicts"),
        });
        parts.join(" · ")
    }
}

/// Take what a sync of `account` needs from the session (model thread).
pub fn prepare(
    session: &Session,
    account: &Account,
    password: String,
    state: SyncState,
) -> SyncJob {
    let model = session.model();
    let known: HashSet<PersonId> = state
        .contacts
        .items
        .values()
        .chain(state.contacts.left.values())
        .filter_map(|item| item.person)
        .chain(state.conflicts.iter().map(|c| c.person))
        .collect();
    let mut people = Vec::new();
    let mut others = Vec::new();
    for person in model.people.values() {
        // The trash in scope too: a card coming back restores its person.
        if account.includes(person) || known.contains(&person.id) {
            people.push(person.clone());
        } else {
            others.push(KnownPerson {
                id: person.id,
                uids: person
                    .source_ids
                    .iter()
                    .filter(|id| !id.starts_with("csv:"))
                    .cloned()
                    .collect(),
            });
        }
    }
    let interactions = model
        .interactions
        .values()
        .filter(|i| i.follow_up.is_some() && !i.follow_up_done)
        .cloned()
        .collect();
    SyncJob {
        account: account.clone(),
        password,
        state,
        people,
        others,
        interactions,
        today: session.today(),
        data_dir: session.data_dir().map(Path::to_path_buf),
    }
}

/// Whether `session` may sync at all: a folder still loading, or one whose
/// files did not all load, would look to a sync like people deleted and
/// could bring their cards in again as new people.
pub fn can_sync(session: &Session) -> Result<(), SyncError> {
    if session.is_loading() {
        return Err(SyncError::Local(
            "the data folder is still loading; sync once it has".into(),
        ));
    }
    if let Some(problem) = session.problems().first() {
        return Err(SyncError::Local(format!(
            "{} file(s) of the data folder did not load (first: {}); fix them before syncing, \
             or the sync would treat their people as missing",
            session.problems().len(),
            crate::storage::guard::shown(&problem.path)
        )));
    }
    Ok(())
}

/// Run a prepared sync: connect, then the address book and the calendar.
/// Only the network; call from any thread, then [`finish`] on the model's.
pub fn run(job: SyncJob) -> SyncOutcome {
    let account = &job.account;
    match DavClient::connect(
        &account.url,
        &account.user,
        &job.password,
        account.tls_fingerprint.as_deref(),
    ) {
        Ok(client) => run_with_client(job, &client),
        Err(error) => {
            let mut state = job.state;
            note_attempt(&mut state, &Err(error.clone()));
            SyncOutcome {
                account: job.account.name.clone(),
                result: Err(error),
                actions: Vec::new(),
                report: SyncReport {
                    account: job.account.name.clone(),
                    conflicts: state.conflicts.len(),
                    ..SyncReport::default()
                },
                snapshot: job.people,
                interactions: job.interactions,
                state,
            }
        }
    }
}

/// [`run`] through a client the caller made (tests hook its writes).
pub fn run_with_client(job: SyncJob, client: &DavClient) -> SyncOutcome {
    let start = client.requests();
    let mut state = job.state.clone();
    let mut report = SyncReport {
        account: job.account.name.clone(),
        ..SyncReport::default()
    };
    let mut actions = Vec::new();
    let mut result = contacts::sync_contacts(client, &job, &mut state, &mut report, &mut actions);
    // The calendar is tried even when the address book failed, unless the
    // server itself is out of reach or refuses the account.
    let server_failed = matches!(
        result,
        Err(SyncError::Unreachable { .. }
            | SyncError::Timeout { .. }
            | SyncError::Unauthorized { .. }
            | SyncError::Tls { .. })
    );
    if job.account.calendar.is_some() && !server_failed {
        let calendar_result = calendar::sync_calendar_into(
            client,
            &job,
            &mut state.calendar,
            &mut report,
            &mut actions,
        );
        if result.is_ok() {
            result = calendar_result;
        }
    }
    note_attempt(&mut state, &result);
    report.conflicts = state.conflicts.len();
    report.requests = client.requests().saturating_sub(start);
    SyncOutcome {
        account: job.account.name.clone(),
        result,
        actions,
        snapshot: job.people,
        interactions: job.interactions,
        state,
        report,
    }
}

/// Record when a sync was tried, and its success or error.
fn note_attempt(state: &mut SyncState, result: &Result<(), SyncError>) {
    let now = Utc::now();
    state.last_attempt = Some(now);
    match result {
        Ok(()) => {
            state.last_success = Some(now);
            state.last_error = None;
        }
        Err(error) => state.last_error = Some(error.to_string()),
    }
}

/// Bring a finished run into the session (model thread): its changes as
/// one undoable step "Sync with `account`", rebased onto edits made while
/// it ran; the person files written; then the state saved in `state_dir`.
/// When the data folder cannot be written the state is not saved (the
/// next sync merges again) and the error says so. Gives the run's own
/// error after saving what it did.
pub fn finish(
    session: &mut Session,
    outcome: SyncOutcome,
    state_dir: &Path,
) -> Result<SyncReport, SyncError> {
    let SyncOutcome {
        account,
        result,
        actions,
        snapshot,
        interactions,
        mut state,
        report,
    } = outcome;
    let touched: Vec<PersonId> = actions
        .iter()
        .filter_map(|action| match action {
            Action::AddPerson(p) | Action::EditPerson(p) => Some(p.id),
            _ => None,
        })
        .collect();
    let steps = rebase_actions(session, actions, &snapshot, &interactions);
    if !steps.is_empty() {
        let applied = session.apply(Action::Batch {
            label: format!("Sync with {account}"),
            actions: steps,
        });
        if !applied {
            let error = SyncError::Local(format!(
                "the changes from {account} could not be applied to kith's data; \
                 nothing was saved and the next sync tries again"
            ));
            save_error_only(state_dir, &account, &error);
            return Err(error);
        }
    }
    session.save();
    let read_only = session
        .store()
        .and_then(|store| store.read_only())
        .map(|why| why.reason.clone());
    if let Some(why) = session.save_error().map(str::to_string).or(read_only) {
        let error = SyncError::Local(format!(
            "the sync with {account} could not write the data folder ({why}); its state is \
             not saved, so the next sync merges the same changes again"
        ));
        save_error_only(state_dir, &account, &error);
        return Err(error);
    }
    save_card_photos(session, &state, &touched);
    if let Err(error) = &result {
        state.last_error = Some(error.to_string());
    }
    sync_store::save_state(state_dir, &account, &state)?;
    result.map(|()| report)
}

/// The photos of cards that came in, for people kith has no photo of
/// (a photo kith has is never replaced by a server's). A photo that cannot
/// be used is left out; a failed write is a notice.
fn save_card_photos(session: &mut Session, state: &SyncState, people: &[PersonId]) {
    let Some(root) = session.data_dir().map(Path::to_path_buf) else {
        return;
    };
    let wanted: HashSet<PersonId> = people
        .iter()
        .copied()
        .filter(|id| session.has_person(*id))
        .filter(|id| matches!(crate::storage::photos::read_photo(&root, *id), Ok(None)))
        .collect();
    if wanted.is_empty() {
        return;
    }
    let mut photos = Vec::new();
    for item in state.contacts.items.values() {
        let Some(id) = item.person.filter(|id| wanted.contains(id)) else {
            continue;
        };
        if !item.base.to_ascii_uppercase().contains("PHOTO") {
            continue;
        }
        let (cards, _) = crate::exchange::vcard::parse_cards(&item.base);
        let photo = cards
            .first()
            .and_then(crate::exchange::vcard::card_photo)
            .and_then(Result::ok)
            .and_then(|bytes| crate::photo::normalize(&bytes).ok());
        if let Some(photo) = photo {
            photos.push((id, photo));
        }
    }
    if !photos.is_empty() {
        session.save_photos(&photos);
    }
}

/// Keep the old state but say why the last sync failed (best effort: the
/// error is also given back to the caller).
fn save_error_only(state_dir: &Path, account: &str, error: &SyncError) {
    if let Ok(mut state) = sync_store::load_state(state_dir, account) {
        state.last_attempt = Some(Utc::now());
        state.last_error = Some(error.to_string());
        let _ = sync_store::save_state(state_dir, account, &state);
    }
}

/// The run's actions made to fit the model as it is now: each edit keeps
/// what the user changed meanwhile (`merged.rebase(snapshot, current)`),
/// and steps whose record is gone or already in that state are dropped, so
/// the batch applies.
fn rebase_actions(
    session: &Session,
    actions: Vec<Action>,
    snapshot: &[Person],
    interactions: &[Interaction],
) -> Vec<Action> {
    let model = session.model();
    let before: HashMap<PersonId, &Person> = snapshot.iter().map(|p| (p.id, p)).collect();
    let before_interactions: HashMap<_, &Interaction> =
        interactions.iter().map(|i| (i.id, i)).collect();
    let mut steps = Vec::with_capacity(actions.len());
    for action in actions {
        match action {
            Action::EditPerson(merged) => {
                let Some(current) = model.people.get(&merged.id) else {
                    continue;
                };
                let rebased = match before.get(&merged.id) {
                    Some(snap) => merged.rebase(snap, current),
                    None => merged,
                };
                if rebased != *current {
                    steps.push(Action::EditPerson(rebased));
                }
            }
            Action::AddPerson(person) => {
                if !model.people.contains_key(&person.id) {
                    steps.push(Action::AddPerson(person));
                }
            }
            Action::DeletePerson(id) => {
                if model.people.get(&id).is_some_and(|p| !p.deleted) {
                    steps.push(Action::DeletePerson(id));
                }
            }
            Action::EditInteraction(changed) => {
                let Some(current) = model.interactions.get(&changed.id) else {
                    continue;
                };
                let rebased = match before_interactions.get(&changed.id) {
                    Some(snap) => rebase_interaction(&changed, snap, current),
                    None => changed,
                };
                if rebased != *current && !rebased.people.is_empty() {
                    steps.push(Action::EditInteraction(rebased));
                }
            }
            other => steps.push(other),
        }
    }
    steps
}

/// The follow-up fields a sync changed (`changed` against `before`), on
/// top of the interaction as it is now.
fn rebase_interaction(
    changed: &Interaction,
    before: &Interaction,
    current: &Interaction,
) -> Interaction {
    let mut out = current.clone();
    if changed.follow_up != before.follow_up {
        out.follow_up = changed.follow_up;
    }
    if changed.follow_up_done != before.follow_up_done {
        out.follow_up_done = changed.follow_up_done;
    }
    if changed.snoozed_from != before.snoozed_from {
        out.snoozed_from = changed.snoozed_from;
    }
    if changed.note != before.note {
        out.note = changed.note.clone();
    }
    out
}

/// One whole sync on this thread (CLI, tests): load the state from
/// `state_dir`, prepare, run, finish.
pub fn sync_blocking(
    session: &mut Session,
    account: &Account,
    password: String,
    state_dir: &Path,
) -> Result<SyncReport, SyncError> {
    can_sync(session)?;
    let state = sync_store::load_state(state_dir, &account.name)?;
    let job = prepare(session, account, password, state);
    finish(session, run(job), state_dir)
}

/// Settle a conflict the sync found with `person` on `account`: keep mine
/// (the next sync writes kith's values to the server) or use theirs (the
/// server's values for those fields, one undoable edit). Saves the state.
pub fn resolve_conflict(
    session: &mut Session,
    state_dir: &Path,
    account: &str,
    person: PersonId,
    keep_mine: bool,
) -> Result<(), SyncError> {
    let mut state = sync_store::load_state(state_dir, account)?;
    let Some(at) = state.conflicts.iter().position(|c| c.person == person) else {
        return Err(SyncError::Account(format!(
            "{} has no open conflict with {account}",
            session.model().person_name(person)
        )));
    };
    let conflict: ServerConflict = state.conflicts.remove(at);
    // Keep mine: the state's base already holds their values in these
    // fields (the sync stored their card, or pushed it with only the
    // fields that did not conflict), so kith's values differ from it and
    // the next sync pushes them once the conflict is gone.
    if !keep_mine {
        let theirs = merge::parse_card(&conflict.theirs).map_err(|why| {
            SyncError::Local(format!("the card {account} holds cannot be read: {why}"))
        })?;
        let Some(current) = session.model().people.get(&person).cloned() else {
            return Err(SyncError::Local(format!(
                "the person of this conflict with {account} is no longer in kith"
            )));
        };
        let fields: Vec<String> = conflict.fields.iter().map(|f| f.field.clone()).collect();
        let updated = merge::use_theirs(&current, &theirs, &fields);
        if updated != current {
            if !session.apply(Action::EditPerson(updated)) {
                return Err(SyncError::Local(format!(
                    "their values from {account} could not be applied"
                )));
            }
            session.save();
            if let Some(why) = session.save_error() {
                return Err(SyncError::Local(format!(
                    "their values from {account} could not be saved ({why})"
                )));
            }
        }
    }
    sync_store::save_state(state_dir, account, &state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_names_each_direction_and_the_conflicts() {
        let mut report = SyncReport::default();
        assert_eq!(report.summary(), "↓ nothing · ↑ nothing · 0 conflicts");
        report.pulled = Counts {
            added: 2,
            updated: 1,
            deleted: 0,
        };
        report.pushed.updated = 1;
        report.conflicts = 1;
        assert_eq!(
            report.summary(),
            "↓ 2 added, 1 changed · ↑ 1 changed · 1 conflict"
        );
        report.calendar.added = 3;
        assert!(report.summary().contains("calendar 3 added"));
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("kith-run-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap_or_default();
        dir
    }

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 14).unwrap_or_default()
    }

    fn session_with(people: &[Person]) -> Session {
        let mut model = crate::model::Model::default();
        for person in people {
            model.people.insert(person.id, person.clone());
        }
        Session::in_memory(model, day())
    }

    fn outcome(actions: Vec<Action>, snapshot: Vec<Person>, state: SyncState) -> SyncOutcome {
        SyncOutcome {
            account: "phone".into(),
            result: Ok(()),
            actions,
            snapshot,
            interactions: Vec::new(),
            state,
            report: SyncReport::default(),
        }
    }

    #[test]
    fn finish_applies_one_undoable_step_over_edits_made_meanwhile_then_saves_the_state() {
        let dana = Person::new("Dana Whitfield");
        let mut session = session_with(std::slice::from_ref(&dana));
        // While the sync ran, the user wrote a note.
        let mut typed = dana.clone();
        typed.notes = "met at the harbour".into();
        assert!(session.apply(Action::EditPerson(typed)));
        let mut merged = dana.clone();
        merged.role = "Harbour master".into();
        let newcomer = Person::new("Raj Patel");
        let mut state = SyncState::default();
        state.contacts.sync_token = Some("t1".into());
        let dir = scratch("finish");
        let done = finish(
            &mut session,
            outcome(
                vec![
                    Action::EditPerson(merged),
                    Action::AddPerson(newcomer.clone()),
                ],
                vec![dana.clone()],
                state.clone(),
            ),
            &dir,
        );
        assert!(done.is_ok(), "{done:?}");
        let now = &session.model().people[&dana.id];
        assert_eq!(now.role, "Harbour master");
        assert_eq!(now.notes, "met at the harbour");
        assert!(session.has_person(newcomer.id));
        assert_eq!(
            session.doc().undo_label().as_deref(),
            Some("Undo Sync with phone")
        );
        session.undo();
        assert!(!session.has_person(newcomer.id));
        assert_eq!(session.model().people[&dana.id].role, "");
        let saved = sync_store::load_state(&dir, "phone");
        assert_eq!(saved.map(|s| s.contacts.sync_token), Ok(Some("t1".into())));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn finish_drops_steps_the_model_no_longer_fits_instead_of_refusing_the_batch() {
        let dana = Person::new("Dana Whitfield");
        let gone = Person::new("Purged Meanwhile");
        let mut session = session_with(std::slice::from_ref(&dana));
        let mut trashed = dana.clone();
        trashed.deleted = true;
        assert!(session.apply(Action::EditPerson(trashed)));
        let dir = scratch("drops");
        let done = finish(
            &mut session,
            outcome(
                vec![
                    Action::EditPerson(gone.clone()),
                    Action::DeletePerson(dana.id),
                ],
                vec![dana.clone(), gone],
                SyncState::default(),
            ),
            &dir,
        );
        assert!(done.is_ok(), "{done:?}");
        // Nothing to do: no empty "Sync with" step in the undo menu.
        assert_ne!(
            session.doc().undo_label().as_deref(),
            Some("Undo Sync with phone")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_run_still_saves_what_it_did_and_gives_its_error() {
        let mut session = session_with(&[]);
        let newcomer = Person::new("Raj Patel");
        let mut out = outcome(
            vec![Action::AddPerson(newcomer.clone())],
            Vec::new(),
            SyncState::default(),
        );
        out.result = Err(SyncError::Unreachable {
            server: "127.0.0.1:1".into(),
            detail: "refused".into(),
        });
        let dir = scratch("failed");
        let done = finish(&mut session, out, &dir);
        assert!(matches!(done, Err(SyncError::Unreachable { .. })));
        assert!(session.has_person(newcomer.id));
        let saved = sync_store::load_state(&dir, "phone").unwrap_or_default();
        assert!(saved.last_error.is_some_and(|e| e.contains("127.0.0.1:1")));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_data_folder_that_cannot_be_written_keeps_the_old_state_so_the_next_sync_merges_again() {
        let dir = scratch("unwritable");
        let data = dir.join("data");
        let mut session = Session::open_folder(&data, None);
        session.wait_until_loaded();
        assert!(session.start_empty());
        session.save();
        // People's records cannot go anywhere: their folder is a file.
        let people = data.join("people");
        let _ = std::fs::remove_dir_all(&people);
        assert!(std::fs::write(&people, "not a folder").is_ok());
        let mut state = SyncState::default();
        state.contacts.sync_token = Some("after-the-pull".into());
        let state_dir = dir.join("state");
        assert!(std::fs::create_dir_all(&state_dir).is_ok());
        let done = finish(
            &mut session,
            outcome(
                vec![Action::AddPerson(Person::new("Raj Patel"))],
                Vec::new(),
                state,
            ),
            &state_dir,
        );
        assert!(
            matches!(&done, Err(SyncError::Local(why)) if why.contains("not saved")),
            "{done:?}"
        );
        let saved = sync_store::load_state(&state_dir, "phone").unwrap_or_default();
        assert_eq!(saved.contacts.sync_token, None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_photo_on_a_card_that_came_in_is_kept_for_a_person_kith_has_none_of() {
        let dir = scratch("photos");
        let data = dir.join("data");
        let mut session = Session::open_folder(&data, None);
        session.wait_until_loaded();
        assert!(session.start_empty());
        let image =
            image::RgbImage::from_fn(8, 8, |x, y| image::Rgb([x as u8 * 30, y as u8 * 30, 90]));
        let mut jpeg = Vec::new();
        let encoded = image.write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        );
        assert!(encoded.is_ok());
        let card = format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:p1\r\nFN:Mia Chen\r\nPHOTO;ENCODING=b;TYPE=JPEG:{}\r\nEND:VCARD\r\n",
            crate::photo::encode_base64(&jpeg)
        );
        let mia = Person::new("Mia Chen");
        let mut state = SyncState::default();
        state.contacts.items.insert(
            "/alice/contacts/p1.vcf".into(),
            super::super::state::Item {
                uid: "p1".into(),
                etag: "\"1\"".into(),
                person: Some(mia.id),
                interaction: None,
                base: card,
            },
        );
        let state_dir = dir.join("state");
        assert!(std::fs::create_dir_all(&state_dir).is_ok());
        let done = finish(
            &mut session,
            outcome(vec![Action::AddPerson(mia.clone())], Vec::new(), state),
            &state_dir,
        );
        assert!(done.is_ok(), "{done:?}");
        let stored = crate::storage::photos::read_photo(&data, mia.id);
        assert_eq!(stored, Ok(Some(jpeg)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn conflict_state(dana: &Person, theirs: &str) -> SyncState {
        let mut state = SyncState::default();
        state.conflicts.push(ServerConflict {
            person: dana.id,
            href: "/alice/contacts/dana.vcf".into(),
            theirs: theirs.into(),
            fields: vec![super::super::state::FieldConflict {
                field: "role".into(),
                label: "Job title".into(),
                mine: dana.role.clone(),
                theirs: "Skipper".into(),
            }],
            found: chrono::DateTime::<Utc>::default(),
        });
        state
    }

    #[test]
    fn use_theirs_takes_the_servers_values_for_those_fields_and_keep_mine_only_settles() {
        let mut dana = Person::new("Dana Whitfield");
        dana.role = "Harbour master".into();
        dana.notes = "kith's own".into();
        let theirs = "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:dana\r\nFN:Dana W.\r\nTITLE:Skipper\r\nEND:VCARD\r\n";
        for keep_mine in [false, true] {
            let mut session = session_with(std::slice::from_ref(&dana));
            let dir = scratch(if keep_mine { "mine" } else { "theirs" });
            let saved = sync_store::save_state(&dir, "phone", &conflict_state(&dana, theirs));
            assert!(saved.is_ok(), "{saved:?}");
            let done = resolve_conflict(&mut session, &dir, "phone", dana.id, keep_mine);
            assert!(done.is_ok(), "{done:?}");
            let now = &session.model().people[&dana.id];
            let want = if keep_mine {
                "Harbour master"
            } else {
                "Skipper"
            };
            assert_eq!(now.role, want);
            // Only the conflicting field: the name stays kith's.
            assert_eq!(now.name, "Dana Whitfield");
            assert_eq!(now.notes, "kith's own");
            let state = sync_store::load_state(&dir, "phone").unwrap_or_default();
            assert!(state.conflicts.is_empty());
            let again = resolve_conflict(&mut session, &dir, "phone", dana.id, keep_mine);
            assert!(matches!(again, Err(SyncError::Account(_))));
            let _ = std::fs::remove_dir_all(&dir);
        }
    }

    #[test]
    fn prepare_takes_the_people_in_scope_and_everyone_the_state_knows() {
        let mut tagged = Person::new("Dana Whitfield");
        tagged.tags.push("phone".into());
        let mut trashed_known = Person::new("Old Friend");
        trashed_known.deleted = true;
        let mut untagged = Person::new("Raj Patel");
        untagged.source_ids.push("raj-uid".into());
        let session = session_with(&[tagged.clone(), trashed_known.clone(), untagged.clone()]);
        let mut account = Account::new("phone", "http://127.0.0.1:1/", "alice");
        account.scope = super::super::Scope::Tag("phone".into());
        let mut state = SyncState::default();
        state.contacts.items.insert(
            "/c/old.vcf".into(),
            super::super::state::Item {
                person: Some(trashed_known.id),
                ..Default::default()
            },
        );
        let job = prepare(&session, &account, "secret".into(), state);
        let ids: HashSet<PersonId> = job.people.iter().map(|p| p.id).collect();
        assert_eq!(ids, HashSet::from([tagged.id, trashed_known.id]));
        assert_eq!(job.others.len(), 1);
        assert_eq!(job.others[0].uids, vec!["raj-uid".to_string()]);
        assert!(!format!("{job:?}").contains("secret"));
    }

    #[test]
    fn a_follow_up_changed_by_the_sync_keeps_the_note_typed_meanwhile() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default();
        let before = Interaction {
            follow_up: Some(day(1)),
            note: "call".into(),
            ..Interaction::default()
        };
        let changed = Interaction {
            follow_up_done: true,
            ..before.clone()
        };
        let current = Interaction {
            note: "call about the lease".into(),
            ..before.clone()
        };
        let out = rebase_interaction(&changed, &before, &current);
        assert!(out.follow_up_done);
        assert_eq!(out.note, "call about the lease");
    }
}
