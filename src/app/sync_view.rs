//! Sync in the app: the accounts of the open folder, when each syncs, the
//! Sync page (accounts with their status, "Sync now", "Remove", the form
//! that adds one), the password asked once per run, and the conflicts the
//! servers left.
//!
//! The network never runs here: discovery, syncs and keyring calls go to
//! [`crate::sync::worker`]'s thread, and what comes back is applied on the
//! model thread ([`crate::sync::run::finish`]) in [`tick`].

use super::style;
use super::toasts::{ToastKind, Toasts};
use super::widgets::form_row;
use super::{Command, ViewCtx};
use crate::model::PersonId;
use crate::session::Session;
use crate::storage::guard::escape_text;
use crate::storage::sync_store;
use crate::sync::dav::Discovery;
use crate::sync::state::ServerConflict;
use crate::sync::worker::{SyncWorker, WorkerJob, WorkerResult};
use crate::sync::{Account, Scope, SyncError};
use chrono::{DateTime, Utc};
use egui::{Key, RichText, TextEdit, Ui};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where an account's password stands this run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum PasswordState {
    /// Not looked up yet.
    #[default]
    Unknown,
    /// The worker is asking the environment and the keyring.
    LookingUp,
    /// Nobody had one: the user is asked (once per run).
    Asking,
    /// The user declined to type it this run.
    Declined,
}

/// How one account stands.
#[derive(Clone, Debug, Default)]
pub struct AccountStatus {
    /// A sync is under way (or waits for its password).
    pub syncing: bool,
    /// When it last synced without error.
    pub last_success: Option<DateTime<Utc>>,
    /// What the last sync's error said (naming the server), until a sync succeeds.
    pub last_error: Option<String>,
    /// What the last successful sync did ("from the server 2 added · to the server nothing · 0 conflicts").
    pub last_summary: Option<String>,
    /// When it syncs next by itself (None: only on demand).
    next_due: Option<Instant>,
    password: PasswordState,
    /// Sync as soon as possible (asked for, or due).
    wanted: bool,
    /// The user asked for this sync (a toast says how it went even when
    /// nothing changed; a timed sync only speaks when it did something).
    asked: bool,
}

/// The add-account form.
#[derive(Default)]
struct AccountForm {
    name: String,
    url: String,
    user: String,
    password: String,
    remember: bool,
    fingerprint: String,
    /// Discovery is under way.
    discovering: bool,
    /// What discovery found (or why not).
    discovery: Option<Result<Discovery, SyncError>>,
    /// The collections picked (index into the discovery lists; None = none).
    addressbook: Option<usize>,
    calendar: Option<usize>,
    write_kith_fields: bool,
    sync_notes: bool,
    by_tag: bool,
    tag: String,
    interval_minutes: u32,
    publish_follow_ups: bool,
    publish_dates: bool,
}

impl AccountForm {
    fn new() -> Self {
        Self {
            interval_minutes: 15,
            publish_follow_ups: true,
            publish_dates: true,
            ..Self::default()
        }
    }

    /// The account the form describes.
    fn account(&self) -> Account {
        let mut account = Account::new(self.name.trim(), self.url.trim(), self.user.trim());
        if let Some(Ok(found)) = &self.discovery {
            account.addressbook = self
                .addressbook
                .and_then(|i| found.addressbooks.get(i))
                .map(|c| c.url.clone());
            account.calendar = self
                .calendar
                .and_then(|i| calendars(found).nth(i))
                .map(|c| c.url.clone());
        }
        account.write_kith_fields = self.write_kith_fields;
        account.sync_notes = self.sync_notes;
        account.scope = if self.by_tag {
            Scope::Tag(self.tag.trim().to_string())
        } else {
            Scope::All
        };
        account.interval_minutes = self.interval_minutes;
        let fingerprint = self.fingerprint.trim();
        account.tls_fingerprint = (!fingerprint.is_empty()).then(|| fingerprint.to_string());
        account.publish_follow_ups = self.publish_follow_ups;
        account.publish_dates = self.publish_dates;
        account
    }

    /// Why Find cannot run yet, if it cannot.
    fn discover_problem(&self) -> Option<&'static str> {
        if !(self.url.trim().starts_with("https://") || self.url.trim().starts_with("http://")) {
            Some("Type the server URL (https://…)")
        } else if self.user.trim().is_empty() {
            Some("Type the user name")
        } else if self.password.is_empty() {
            Some("Type the password")
        } else {
            None
        }
    }

    /// Why Save is disabled, if it is.
    fn save_problem(&self, accounts: &[Account]) -> Option<String> {
        let account = self.account();
        if let Err(why) = account.validate() {
            return Some(capitalized(&why));
        }
        if accounts
            .iter()
            .any(|a| a.name.to_lowercase() == account.name.to_lowercase())
        {
            return Some(format!(
                "There is already an account named {:?}",
                account.name
            ));
        }
        if self.password.is_empty() {
            return Some("Type the password".into());
        }
        if let Some(fingerprint) = &account.tls_fingerprint
            && let Err(why) = crate::sync::tls::parse_fingerprint(fingerprint)
        {
            return Some(format!("TLS fingerprint: {why}"));
        }
        match &self.discovery {
            None => Some("Find the address books and calendars first".into()),
            Some(Err(_)) => Some("Discovery failed: check the URL, user and password".into()),
            Some(Ok(_)) if account.addressbook.is_none() && account.calendar.is_none() => {
                Some("Pick an address book or a calendar".into())
            }
            Some(Ok(_)) => None,
        }
    }
}

/// The calendars the form offers: those that hold tasks or events (or say nothing).
fn calendars(found: &Discovery) -> impl Iterator<Item = &crate::sync::dav::CollectionInfo> {
    found.calendars.iter().filter(|c| {
        c.components.is_empty()
            || c.components
                .iter()
                .any(|k| k.eq_ignore_ascii_case("VTODO") || k.eq_ignore_ascii_case("VEVENT"))
    })
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The password modal: one account asks at a time.
struct PasswordPrompt {
    account: String,
    password: String,
    remember: bool,
    focus: bool,
}

impl PasswordPrompt {
    fn new(account: String) -> Self {
        Self {
            account,
            password: String::new(),
            remember: false,
            focus: true,
        }
    }
}

/// Sync's state in the app (not part of the model).
#[derive(Default)]
pub struct SyncUi {
    /// Where sync state is kept instead of the platform folder (tests).
    base: Option<PathBuf>,
    /// Never ask the system keyring (tests: a desktop keyring may prompt).
    no_keyring: bool,
    /// The data folder the accounts were loaded for.
    loaded_for: Option<PathBuf>,
    /// The folder's sync state folder, once known.
    state_dir: Option<PathBuf>,
    /// Why the accounts (or the state folder) could not be read: shown,
    /// and nothing is written over them.
    load_error: Option<String>,
    /// The accounts of the open folder.
    accounts: Vec<Account>,
    /// How each account stands, by name.
    status: BTreeMap<String, AccountStatus>,
    /// Passwords typed or looked up this run, by account (memory only).
    passwords: BTreeMap<String, String>,
    /// The background thread, once started.
    worker: Option<SyncWorker>,
    /// The account whose sync is on the worker.
    running: Option<String>,
    /// The add-account form, while open.
    form: Option<AccountForm>,
    /// The password being asked for.
    prompt: Option<PasswordPrompt>,
    /// The account whose Remove waits for a second click.
    confirm_remove: Option<String>,
    /// Open server conflicts, with the account they came from.
    conflicts: Vec<(String, ServerConflict)>,
    /// The conflict the compare window shows.
    comparing: Option<(String, PersonId)>,
    /// When `accounts.ron` was last looked at for changes another kith
    /// (`kith account add` in a terminal) made, and its modification time then.
    accounts_checked: Option<(Instant, Option<std::time::SystemTime>)>,
}

impl SyncUi {
    /// Keep sync state under `base` instead of the platform's state folder
    /// (for tests; `$KITH_STATE_DIR` does the same for the whole process).
    pub fn set_state_base(&mut self, base: PathBuf) {
        self.base = Some(base);
        self.loaded_for = None;
    }

    /// Never look passwords up in the system keyring, nor keep them there
    /// (tests; `KITH_NO_KEYRING=1` does the same for the whole process).
    pub fn set_no_keyring(&mut self) {
        self.no_keyring = true;
    }

    /// The accounts of the open folder.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// How an account stands.
    pub fn status(&self, account: &str) -> Option<&AccountStatus> {
        self.status.get(account)
    }

    /// The folder's sync state folder, once the accounts were loaded.
    pub fn state_dir(&self) -> Option<&Path> {
        self.state_dir.as_deref()
    }

    /// Whether a sync or discovery is under way.
    pub fn busy(&self) -> bool {
        self.worker.as_ref().is_some_and(SyncWorker::busy)
    }

    /// The open server conflicts (account, conflict).
    pub fn conflicts(&self) -> &[(String, ServerConflict)] {
        &self.conflicts
    }

    /// Whether any account has sync set up.
    fn any(&self) -> bool {
        !self.accounts.is_empty()
    }

    fn worker(&mut self, ctx: &egui::Context) -> &SyncWorker {
        self.worker.get_or_insert_with(|| {
            let ctx = ctx.clone();
            SyncWorker::start(Some(std::sync::Arc::new(move || ctx.request_repaint())))
        })
    }

    /// Load the folder's accounts and their open conflicts (once per folder).
    fn load(&mut self, data_dir: &Path) {
        self.loaded_for = Some(data_dir.to_path_buf());
        self.accounts_checked = None;
        self.accounts.clear();
        self.status.clear();
        self.conflicts.clear();
        self.load_error = None;
        self.state_dir = None;
        // Opening a folder never creates its sync state folder: only adding
        // an account does (see `create_state_dir`).
        let base = match self.base.clone().map_or_else(sync_store::base_dir, Ok) {
            Ok(base) => base,
            Err(e) => {
                self.load_error = Some(e.to_string());
                return;
            }
        };
        let path = base.join("sync").join(sync_store::folder_key(data_dir));
        if std::fs::symlink_metadata(&path).is_err() {
            return;
        }
        let dir = match sync_store::state_dir_in(&base, data_dir) {
            Ok(dir) => dir,
            Err(e) => {
                self.load_error = Some(e.to_string());
                return;
            }
        };
        match sync_store::load_accounts(&dir) {
            Ok(accounts) => self.accounts = accounts,
            Err(e) => self.load_error = Some(e.to_string()),
        }
        let now = Instant::now();
        for account in &self.accounts {
            let mut status = AccountStatus {
                // Sync at start, once the folder is open.
                wanted: true,
                next_due: None,
                ..AccountStatus::default()
            };
            match sync_store::load_state(&dir, &account.name) {
                Ok(state) => {
                    status.last_success = state.last_success;
                    status.last_error = state.last_error.clone();
                    self.conflicts.extend(
                        state
                            .conflicts
                            .into_iter()
                            .map(|c| (account.name.clone(), c)),
                    );
                }
                Err(e) => status.last_error = Some(e.to_string()),
            }
            status.next_due = due_after(account, now);
            self.status.insert(account.name.clone(), status);
        }
        self.state_dir = Some(dir);
    }

    /// Take in accounts another kith added or removed (`kith account add`
    /// while the app is open): at most every few seconds, when
    /// `accounts.ron` changed. Accounts already known keep their status.
    fn refresh_accounts(&mut self, data_dir: &Path, now: Instant) {
        const EVERY: Duration = Duration::from_secs(5);
        let stamp = |dir: &Path| {
            std::fs::symlink_metadata(dir.join(sync_store::ACCOUNTS_FILE))
                .and_then(|m| m.modified())
                .ok()
        };
        let Some((checked, seen)) = self.accounts_checked else {
            self.accounts_checked = Some((now, self.state_dir.as_deref().and_then(stamp)));
            return;
        };
        if now.duration_since(checked) < EVERY {
            return;
        }
        let Some(dir) = self.state_dir.clone() else {
            // No sync folder when the folder opened: load once one exists.
            self.accounts_checked = Some((now, None));
            let base = self.base.clone().map_or_else(sync_store::base_dir, Ok);
            if let Ok(base) = base
                && std::fs::symlink_metadata(
                    base.join("sync").join(sync_store::folder_key(data_dir)),
                )
                .is_ok()
                && self.running.is_none()
            {
                self.load(data_dir);
                self.accounts_checked = Some((now, self.state_dir.as_deref().and_then(stamp)));
            }
            return;
        };
        let current = stamp(&dir);
        self.accounts_checked = Some((now, current));
        if current == seen {
            return;
        }
        let accounts = match sync_store::load_accounts(&dir) {
            Ok(accounts) => accounts,
            Err(e) => {
                self.load_error = Some(e.to_string());
                return;
            }
        };
        self.load_error = None;
        for account in &accounts {
            if !self.status.contains_key(&account.name) {
                let status = AccountStatus {
                    wanted: true,
                    next_due: due_after(account, now),
                    ..AccountStatus::default()
                };
                self.status.insert(account.name.clone(), status);
            }
        }
        let running = self.running.clone();
        self.status.retain(|name, _| {
            accounts.iter().any(|a| &a.name == name) || running.as_ref() == Some(name)
        });
        self.conflicts
            .retain(|(name, _)| accounts.iter().any(|a| &a.name == name));
        self.accounts = accounts;
    }

    /// The folder's sync state folder, created (0700) when it is not there yet.
    fn create_state_dir(&mut self) -> Result<PathBuf, SyncError> {
        if let Some(dir) = &self.state_dir {
            return Ok(dir.clone());
        }
        let data_dir = self
            .loaded_for
            .clone()
            .ok_or_else(|| SyncError::Local("no data folder is open".into()))?;
        let base = self.base.clone().map_or_else(sync_store::base_dir, Ok)?;
        let dir = sync_store::state_dir_in(&base, &data_dir)?;
        self.state_dir = Some(dir.clone());
        Ok(dir)
    }

    fn replace_conflicts(&mut self, account: &str, conflicts: Vec<ServerConflict>) {
        self.conflicts.retain(|(a, _)| a != account);
        self.conflicts
            .extend(conflicts.into_iter().map(|c| (account.to_string(), c)));
        if let Some((a, person)) = &self.comparing
            && !self
                .conflicts
                .iter()
                .any(|(b, c)| b == a && c.person == *person)
        {
            self.comparing = None;
        }
    }
}

/// When an account syncs next by itself, counted from `from`.
fn due_after(account: &Account, from: Instant) -> Option<Instant> {
    (account.interval_minutes > 0)
        .then(|| from + Duration::from_secs(u64::from(account.interval_minutes) * 60))
}

/// Why kith will not sync this folder now, if it will not.
fn blocked(session: &Session) -> Option<String> {
    if session.model().settings.is_demo {
        return Some(
            "kith is showing the demo network: pick Start empty or Keep the demo first, so the demo people are not sent to your server"
                .into(),
        );
    }
    crate::sync::run::can_sync(session)
        .err()
        .map(|e| e.to_string())
}

/// Once a frame, on the model thread: load the accounts when a folder
/// opened, take the worker's answers, and start the syncs that are due.
pub fn tick(sync: &mut SyncUi, session: &mut Session, toasts: &mut Toasts, ctx: &egui::Context) {
    let Some(data_dir) = session.data_dir().map(Path::to_path_buf) else {
        return;
    };
    if sync.loaded_for.as_deref() != Some(&data_dir) {
        sync.load(&data_dir);
    }
    sync.refresh_accounts(&data_dir, Instant::now());
    let results = sync
        .worker
        .as_ref()
        .map(SyncWorker::poll)
        .unwrap_or_default();
    for result in results {
        take_result(sync, session, toasts, result);
    }
    let now = Instant::now();
    for account in &sync.accounts {
        if let Some(status) = sync.status.get_mut(&account.name)
            && status.next_due.is_some_and(|due| due <= now)
        {
            status.wanted = true;
            status.next_due = due_after(account, now);
        }
    }
    start_next(sync, session, ctx);
    // Wake up for the next sync that is due.
    if let Some(due) = sync.status.values().filter_map(|s| s.next_due).min() {
        ctx.request_repaint_after(due.saturating_duration_since(now));
    }
}

/// Start the next wanted sync, if the worker is free.
fn start_next(sync: &mut SyncUi, session: &mut Session, ctx: &egui::Context) {
    if sync.running.is_some() || sync.prompt.is_some() {
        return;
    }
    let Some(dir) = sync.state_dir.clone() else {
        return;
    };
    let Some(account) = sync
        .accounts
        .iter()
        .find(|a| {
            sync.status
                .get(&a.name)
                .is_some_and(|s| s.wanted && !matches!(s.password, PasswordState::LookingUp))
        })
        .cloned()
    else {
        return;
    };
    let name = account.name.clone();
    let Some(status) = sync.status.get_mut(&name) else {
        return;
    };
    if let Some(why) = blocked(session) {
        status.wanted = false;
        status.syncing = false;
        status.last_error = Some(why);
        return;
    }
    let Some(password) = sync.passwords.get(&name).cloned() else {
        match status.password {
            PasswordState::Unknown if sync.no_keyring => {
                status.syncing = true;
                match crate::sync::secret::env_password() {
                    Some(password) => {
                        sync.passwords.insert(name, password);
                    }
                    None => {
                        status.password = PasswordState::Asking;
                        sync.prompt = Some(PasswordPrompt::new(name));
                    }
                }
            }
            PasswordState::Unknown => {
                status.password = PasswordState::LookingUp;
                status.syncing = true;
                sync.worker(ctx)
                    .send(WorkerJob::LookUpPassword(Box::new(account)));
            }
            PasswordState::Asking | PasswordState::LookingUp => {}
            PasswordState::Declined => {
                status.wanted = false;
                status.syncing = false;
                status.last_error = Some(SyncError::NoPassword { account: name }.to_string());
            }
        }
        return;
    };
    status.wanted = false;
    let state = match sync_store::load_state(&dir, &name) {
        Ok(state) => state,
        Err(e) => {
            status.syncing = false;
            status.last_error = Some(e.to_string());
            return;
        }
    };
    status.syncing = true;
    let job = crate::sync::run::prepare(session, &account, password, state);
    sync.running = Some(name);
    sync.worker(ctx).send(WorkerJob::Sync(Box::new(job)));
}

/// Apply one answer of the worker.
fn take_result(
    sync: &mut SyncUi,
    session: &mut Session,
    toasts: &mut Toasts,
    result: WorkerResult,
) {
    match result {
        WorkerResult::Discovered(found) => {
            if let Some(form) = &mut sync.form {
                form.discovering = false;
                if let Ok(found) = &found {
                    // The first address book and the first calendar for tasks, to start with.
                    form.addressbook = (!found.addressbooks.is_empty()).then_some(0);
                    form.calendar = calendars(found)
                        .position(|c| c.components.iter().any(|k| k.eq_ignore_ascii_case("VTODO")))
                        .or_else(|| (calendars(found).next().is_some()).then_some(0));
                }
                form.discovery = Some(found);
            }
        }
        WorkerResult::Synced(outcome) => {
            let name = outcome.account.clone();
            if sync.running.as_deref() == Some(name.as_str()) {
                sync.running = None;
            }
            if !sync.accounts.iter().any(|a| a.name == name) {
                // Removed while it ran: nothing of it is kept.
                sync.status.remove(&name);
                return;
            }
            let conflicts = outcome.state.conflicts.clone();
            let finished = match &sync.state_dir {
                Some(dir) => crate::sync::run::finish(session, *outcome, dir),
                None => Err(SyncError::Local("the sync state folder is gone".into())),
            };
            let status = sync.status.entry(name.clone()).or_default();
            status.syncing = false;
            match finished {
                Ok(report) => {
                    status.last_success = Some(Utc::now());
                    status.last_error = None;
                    let summary = summary(&report);
                    let did = !(report.pulled.is_empty()
                        && report.pushed.is_empty()
                        && report.calendar.is_empty()
                        && report.conflicts == 0);
                    if did || status.asked {
                        toasts.push(ToastKind::Info, format!("Synced with {name}: {summary}"));
                    }
                    status.last_summary = Some(summary);
                }
                Err(e) => {
                    if matches!(e, SyncError::Unauthorized { .. }) {
                        // Ask again: the password kith had was refused.
                        sync.passwords.remove(&name);
                        status.password = PasswordState::Unknown;
                    }
                    status.last_error = Some(e.to_string());
                }
            }
            if let Some(status) = sync.status.get_mut(&name) {
                status.asked = false;
            }
            sync.replace_conflicts(&name, conflicts);
        }
        WorkerResult::Password { account, result } => {
            let status = sync.status.entry(account.clone()).or_default();
            match result {
                Ok(Some(password)) => {
                    status.password = PasswordState::Unknown;
                    sync.passwords.insert(account, password);
                }
                Ok(None) => {
                    status.password = PasswordState::Asking;
                    sync.prompt = Some(PasswordPrompt {
                        account,
                        password: String::new(),
                        remember: false,
                        focus: true,
                    });
                }
                Err(e) => {
                    // The keyring failed: ask, and say why.
                    toasts.push(ToastKind::Warning, e.to_string());
                    status.password = PasswordState::Asking;
                    sync.prompt = Some(PasswordPrompt {
                        account,
                        password: String::new(),
                        remember: false,
                        focus: true,
                    });
                }
            }
        }
        WorkerResult::Keyring { account, result } => {
            if let Err(e) = result {
                toasts.push(
                    ToastKind::Warning,
                    format!("The system keyring did not take the password of {account}: {e}"),
                );
            }
        }
    }
}

/// What a sync [`Command`] asks for.
#[derive(Clone)]
pub enum SyncCommand {
    /// Sync one account, or every account.
    SyncNow(Option<String>),
    /// Find the collections for the form.
    Discover,
    /// Save the form's account.
    Save,
    /// Remove an account (its state and keyring entry; the server keeps its cards).
    Remove(String),
    /// The password typed in the prompt (None: not now).
    Password(Option<String>),
    /// Settle a server conflict.
    Resolve {
        /// The account.
        account: String,
        /// The person.
        person: PersonId,
        /// Keep kith's values (true) or use the server's (false).
        keep_mine: bool,
    },
}

impl std::fmt::Debug for SyncCommand {
    /// Never shows a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncCommand::SyncNow(a) => write!(f, "SyncNow({a:?})"),
            SyncCommand::Discover => write!(f, "Discover"),
            SyncCommand::Save => write!(f, "Save"),
            SyncCommand::Remove(a) => write!(f, "Remove({a})"),
            SyncCommand::Password(p) => write!(f, "Password(typed: {})", p.is_some()),
            SyncCommand::Resolve {
                account,
                person,
                keep_mine,
            } => write!(f, "Resolve({account}, {person:?}, keep_mine: {keep_mine})"),
        }
    }
}

/// Apply a sync command (on the model thread, after drawing).
pub fn apply(
    sync: &mut SyncUi,
    session: &mut Session,
    toasts: &mut Toasts,
    ctx: Option<&egui::Context>,
    command: SyncCommand,
) {
    let ctx = ctx.cloned().unwrap_or_default();
    match command {
        SyncCommand::SyncNow(which) => {
            let names: Vec<String> = sync
                .accounts
                .iter()
                .filter(|a| which.as_ref().is_none_or(|w| *w == a.name))
                .map(|a| a.name.clone())
                .collect();
            for name in names {
                let status = sync.status.entry(name).or_default();
                status.wanted = true;
                status.asked = true;
                if status.password == PasswordState::Declined {
                    status.password = PasswordState::Unknown;
                }
            }
            start_next(sync, session, &ctx);
        }
        SyncCommand::Discover => {
            let Some(form) = &sync.form else {
                return;
            };
            if form.discover_problem().is_some() {
                return;
            }
            let job = WorkerJob::Discover {
                url: form.url.trim().to_string(),
                user: form.user.trim().to_string(),
                password: form.password.clone(),
                fingerprint: Some(form.fingerprint.trim().to_string()).filter(|f| !f.is_empty()),
            };
            sync.worker(&ctx).send(job);
            if let Some(form) = &mut sync.form {
                form.discovering = true;
                form.discovery = None;
            }
        }
        SyncCommand::Save => save_account(sync, session, toasts, &ctx),
        SyncCommand::Remove(name) => {
            sync.confirm_remove = None;
            if sync.running.as_deref() == Some(name.as_str()) {
                toasts.push(
                    ToastKind::Warning,
                    format!("{name} is syncing; remove it when the sync is over"),
                );
                return;
            }
            let Some(dir) = sync.state_dir.clone() else {
                return;
            };
            let account = sync.accounts.iter().find(|a| a.name == name).cloned();
            match sync_store::remove_account(&dir, &name) {
                Ok(_) => {
                    sync.accounts.retain(|a| a.name != name);
                    sync.status.remove(&name);
                    sync.passwords.remove(&name);
                    sync.replace_conflicts(&name, Vec::new());
                    if let Some(account) = account
                        && !sync.no_keyring
                    {
                        sync.worker(&ctx).send(WorkerJob::Forget(Box::new(account)));
                    }
                    toasts.push(
                        ToastKind::Info,
                        format!(
                            "Removed {name}. Your people and the server's cards are untouched."
                        ),
                    );
                }
                Err(e) => toasts.push(ToastKind::Error, e.to_string()),
            }
        }
        SyncCommand::Password(typed) => {
            let Some(prompt) = sync.prompt.take() else {
                return;
            };
            let status = sync.status.entry(prompt.account.clone()).or_default();
            match typed.filter(|p| !p.is_empty()) {
                Some(password) => {
                    status.password = PasswordState::Unknown;
                    status.wanted = true;
                    status.asked = true;
                    if prompt.remember
                        && !sync.no_keyring
                        && let Some(account) =
                            sync.accounts.iter().find(|a| a.name == prompt.account)
                    {
                        let job = WorkerJob::Remember {
                            account: Box::new(account.clone()),
                            password: password.clone(),
                        };
                        sync.worker(&ctx).send(job);
                    }
                    sync.passwords.insert(prompt.account, password);
                }
                None => {
                    status.password = PasswordState::Declined;
                    status.syncing = false;
                    status.wanted = false;
                    status.last_error = Some(
                        SyncError::NoPassword {
                            account: prompt.account,
                        }
                        .to_string(),
                    );
                }
            }
            start_next(sync, session, &ctx);
        }
        SyncCommand::Resolve {
            account,
            person,
            keep_mine,
        } => {
            let Some(dir) = sync.state_dir.clone() else {
                return;
            };
            match crate::sync::run::resolve_conflict(session, &dir, &account, person, keep_mine) {
                Ok(()) => {
                    let left: Vec<ServerConflict> = sync
                        .conflicts
                        .iter()
                        .filter(|(a, c)| *a == account && c.person != person)
                        .map(|(_, c)| c.clone())
                        .collect();
                    sync.replace_conflicts(&account, left);
                    let name = session.model().person_name(person).to_string();
                    let text = if keep_mine {
                        format!("Kept your version of {name}; sending it to {account}")
                    } else {
                        format!("Used {account}'s values for {name} (Undo brings yours back)")
                    };
                    toasts.push(ToastKind::Info, text);
                    if keep_mine && let Some(status) = sync.status.get_mut(&account) {
                        status.wanted = true;
                        status.asked = true;
                    }
                }
                Err(e) => toasts.push(ToastKind::Error, e.to_string()),
            }
        }
    }
}

fn save_account(
    sync: &mut SyncUi,
    session: &mut Session,
    toasts: &mut Toasts,
    ctx: &egui::Context,
) {
    let Some(form) = &sync.form else {
        return;
    };
    if form.save_problem(&sync.accounts).is_some() {
        return;
    }
    let account = form.account();
    let password = form.password.clone();
    let remember = form.remember;
    let dir = match sync.create_state_dir() {
        Ok(dir) => dir,
        Err(e) => {
            toasts.push(ToastKind::Error, e.to_string());
            return;
        }
    };
    if let Err(e) = sync_store::add_account(&dir, &account) {
        toasts.push(ToastKind::Error, e.to_string());
        return;
    }
    sync.form = None;
    let name = account.name.clone();
    if remember && !sync.no_keyring {
        sync.worker(ctx).send(WorkerJob::Remember {
            account: Box::new(account.clone()),
            password: password.clone(),
        });
    }
    sync.passwords.insert(name.clone(), password);
    sync.status.insert(
        name.clone(),
        AccountStatus {
            wanted: true,
            asked: true,
            next_due: due_after(&account, Instant::now()),
            ..AccountStatus::default()
        },
    );
    sync.accounts.push(account);
    toasts.push(ToastKind::Info, format!("Added {name}; syncing now"));
    start_next(sync, session, ctx);
}

/// What a sync did, in words the app's fonts can draw (the CLI's
/// [`crate::sync::run::SyncReport::summary`] uses arrows).
fn summary(report: &crate::sync::run::SyncReport) -> String {
    let mut parts = vec![
        format!("from the server {}", report.pulled.text()),
        format!("to the server {}", report.pushed.text()),
    ];
    if !report.calendar.is_empty() {
        parts.push(format!("calendar {}", report.calendar.text()));
    }
    parts.push(match report.conflicts {
        1 => "1 conflict".into(),
        n => format!("{n} conflicts"),
    });
    parts.join(" · ")
}

/// A short local time for "Synced 14:02" (the date too when not today).
fn when(at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&chrono::Local);
    if local.date_naive() == chrono::Local::now().date_naive() {
        local.format("%H:%M").to_string()
    } else {
        local.format("%-d %b %H:%M").to_string()
    }
}

/// The top bar's sync button: nothing without accounts; else "Sync now"
/// (when each account last synced on hover), "Syncing…" with a spinner, or
/// "Sync failed" in red until a sync succeeds (the full messages, naming
/// the servers, on hover). Every state syncs again on a click.
pub fn status_ui(ui: &mut Ui, sync: &SyncUi, commands: &mut Vec<Command>) {
    if !sync.any() && sync.load_error.is_none() {
        return;
    }
    let size = egui::vec2(style::SYNC_SLOT_WIDTH, ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(
        size,
        egui::Layout::right_to_left(egui::Align::Center),
        |ui| {
            ui.set_min_size(size);
            ui.set_max_width(size.x);
            slot_ui(ui, sync, commands);
        },
    );
}

/// The sync slot's contents, right to left: the button, then the spinner.
fn slot_ui(ui: &mut Ui, sync: &SyncUi, commands: &mut Vec<Command>) {
    let syncing = sync.status.values().any(|s| s.syncing);
    let errors: Vec<String> = sync
        .load_error
        .iter()
        .cloned()
        .chain(sync.accounts.iter().filter_map(|a| {
            let error = sync.status.get(&a.name)?.last_error.as_ref()?;
            Some(format!("{}: {error}", a.name))
        }))
        .map(|e| escape_text(&e))
        .collect();
    let size = egui::vec2(style::SYNC_BUTTON_WIDTH, ui.spacing().interact_size.y);
    let (text, hover) = if syncing {
        (
            RichText::new("Syncing…"),
            "kith is syncing with your server in the background".to_string(),
        )
    } else if !errors.is_empty() {
        (
            RichText::new("Sync failed").color(ui.visuals().error_fg_color),
            format!("{}\nClick to try again.", errors.join("\n")),
        )
    } else {
        let lines: Vec<String> = sync
            .accounts
            .iter()
            .map(|a| {
                let status = sync.status.get(&a.name);
                match status.and_then(|s| s.last_success) {
                    Some(at) => format!(
                        "{}: synced {}{}",
                        a.name,
                        when(at),
                        status
                            .and_then(|s| s.last_summary.as_ref())
                            .map(|s| format!(" ({s})"))
                            .unwrap_or_default()
                    ),
                    None => format!("{}: not synced yet", a.name),
                }
            })
            .collect();
        (
            RichText::new("Sync now"),
            format!("{}\nClick to sync every account now.", lines.join("\n")),
        )
    };
    let button = ui.add_enabled_ui(!syncing, |ui| ui.add_sized(size, egui::Button::new(text)));
    let response = button
        .inner
        .on_hover_text(&hover)
        .on_disabled_hover_text(&hover);
    if response.clicked() {
        commands.push(Command::Sync(SyncCommand::SyncNow(None)));
    }
    if syncing {
        ui.add(egui::Spinner::new());
    }
}

/// The Sync page.
pub fn ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, sync: &mut SyncUi, commands: &mut Vec<Command>) {
    egui::ScrollArea::vertical()
        .id_salt("sync_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width((ui.available_width() - style::SCROLL_GUTTER).min(style::SYNC_PAGE_WIDTH));
            ui.heading("Sync");
            ui.add(
                egui::Label::new(
                    RichText::new(
                        "Two-way sync of your people with a CardDAV address book (Nextcloud, iCloud, Fastmail, Radicale…), \
                         and your follow-ups and dates published to a CalDAV calendar, so they are on your phone. \
                         Accounts and what was last synced are kept on this computer, outside the data folder; \
                         passwords only in the system keyring or in memory.",
                    )
                    .weak(),
                )
                .wrap(),
            );
            ui.add_space(style::HEADING_GAP);
            if view_ctx.data_dir.is_none() {
                ui.weak("This preview has no data folder, so nothing syncs.");
                return;
            }
            if let Some(error) = &sync.load_error {
                ui.colored_label(ui.visuals().error_fg_color, error);
                ui.label("kith will not write over this file: fix it in a text editor, or move it aside, then reopen the folder.");
            }
            if view_ctx.model.settings.is_demo {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "This is the demo network: pick Start empty or Keep the demo (in the banner above) before you sync, so the demo people are not sent to your server.",
                );
            }
            if sync.accounts.is_empty() && sync.form.is_none() {
                ui.label("No account yet.");
            }
            let accounts = sync.accounts.clone();
            for account in &accounts {
                account_ui(ui, sync, account, commands);
                ui.add_space(style::SPACE_S);
            }
            if sync.load_error.is_some() {
                return;
            }
            match sync.form.is_some() {
                true => form_ui(ui, sync, commands),
                false => {
                    if ui.button("Add account…").clicked() {
                        sync.form = Some(AccountForm::new());
                    }
                }
            }
        });
}

/// One account's card: name, status, what it syncs, Sync now and Remove.
fn account_ui(ui: &mut Ui, sync: &mut SyncUi, account: &Account, commands: &mut Vec<Command>) {
    let status = sync.status.get(&account.name).cloned().unwrap_or_default();
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(&account.name).strong());
            if status.syncing {
                ui.add(egui::Spinner::new());
                ui.weak("Syncing…");
            } else if let Some(at) = status.last_success {
                ui.weak(format!("Last synced {}", when(at)));
            } else {
                ui.weak("Not synced yet");
            }
            let sync_now = ui.add_enabled(!status.syncing, egui::Button::new("Sync now"));
            if sync_now.clicked() {
                commands.push(Command::Sync(SyncCommand::SyncNow(Some(account.name.clone()))));
            }
            if sync.confirm_remove.as_deref() == Some(account.name.as_str()) {
                ui.label("Remove it? Your people and the server's cards stay.");
                if ui.button("Remove").clicked() {
                    commands.push(Command::Sync(SyncCommand::Remove(account.name.clone())));
                }
                if ui.button("Keep").clicked() {
                    sync.confirm_remove = None;
                }
            } else if ui
                .add_enabled(!status.syncing, egui::Button::new("Remove…"))
                .on_hover_text("Stop syncing this account: kith forgets its state and keyring entry; nothing is deleted on either side")
                .on_disabled_hover_text("Wait for the sync under way to finish")
                .clicked()
            {
                sync.confirm_remove = Some(account.name.clone());
            }
        });
        ui.add(egui::Label::new(RichText::new(describe(account)).weak()).wrap());
        if let Some(summary) = &status.last_summary {
            ui.weak(format!("Last time: {summary}"));
        }
        if let Some(error) = &status.last_error {
            ui.add(
                egui::Label::new(RichText::new(escape_text(error)).color(ui.visuals().error_fg_color))
                    .wrap(),
            );
        }
    });
}

/// What an account syncs, in one line.
fn describe(account: &Account) -> String {
    let mut parts = vec![format!("{} at {}", account.user, account.url)];
    parts.push(match &account.addressbook {
        Some(url) => format!("address book: {}", last_segment(url)),
        None => "no address book".into(),
    });
    parts.push(match &account.calendar {
        Some(url) => format!("calendar: {}", last_segment(url)),
        None => "no calendar".into(),
    });
    parts.push(match &account.scope {
        Scope::All => "everyone".into(),
        Scope::Tag(tag) => format!("people tagged {tag:?}"),
    });
    parts.push(match account.interval_minutes {
        0 => "at start and on demand".into(),
        n => format!("every {n} min"),
    });
    if account.write_kith_fields {
        parts.push("with kith's fields".into());
    }
    if account.sync_notes {
        parts.push("with notes".into());
    }
    parts.join(" · ")
}

fn last_segment(url: &str) -> &str {
    url.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(url)
}

/// The add-account form (Esc cancels).
fn form_ui(ui: &mut Ui, sync: &mut SyncUi, commands: &mut Vec<Command>) {
    let accounts = sync.accounts.clone();
    let Some(form) = sync.form.as_mut() else {
        return;
    };
    let mut cancel = false;
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.label(RichText::new("Add an account").strong().size(style::SECTION_TEXT));
        ui.add_space(style::HEADING_GAP);
        let width = style::FORM_FIELD_WIDTH.min(ui.available_width() - style::CAPTION_WIDTH - style::SPACE_L);
        text_row(ui, "Name", &mut form.name, "fastmail, phone, work…", width, false);
        text_row(ui, "Server URL", &mut form.url, "https://carddav.fastmail.com", width, false);
        text_row(ui, "User", &mut form.user, "you@example.com", width, false);
        text_row(ui, "Password", &mut form.password, "an app password", width, true);
        form_row(ui, "", |ui, _| {
            ui.checkbox(&mut form.remember, "Remember in the system keyring")
                .on_hover_text("Otherwise kith asks once each time it starts; the password is never written to a file");
        });
        egui::CollapsingHeader::new("Advanced")
            .id_salt("sync_advanced")
            .show(ui, |ui| {
                text_row(ui, "TLS fingerprint", &mut form.fingerprint, "AA:BB:… (SHA-256)", width, false);
                ui.weak("Only for your own server with a self-signed certificate: kith then accepts exactly that certificate.");
            });
        ui.horizontal_wrapped(|ui| {
            let problem = form.discover_problem();
            let find = ui.add_enabled(
                problem.is_none() && !form.discovering,
                egui::Button::new("Find address books and calendars"),
            );
            let find = match problem {
                Some(why) => find.on_disabled_hover_text(why),
                None => find,
            };
            if find.clicked() {
                commands.push(Command::Sync(SyncCommand::Discover));
            }
            if form.discovering {
                ui.add(egui::Spinner::new());
                ui.weak("Asking the server…");
            }
        });
        match &form.discovery {
            Some(Err(e)) => {
                ui.add(
                    egui::Label::new(
                        RichText::new(escape_text(&e.to_string()))
                            .color(ui.visuals().error_fg_color),
                    )
                    .wrap(),
                );
            }
            Some(Ok(found)) => collections_ui(ui, found, &mut form.addressbook, &mut form.calendar),
            None => {}
        }
        options_ui(ui, form, width);
        ui.add_space(style::SPACE_S);
        let problem = form.save_problem(&accounts);
        ui.horizontal_wrapped(|ui| {
            let save = ui.add_enabled(problem.is_none(), egui::Button::new("Save"));
            let save = match &problem {
                Some(why) => save.on_disabled_hover_text(why),
                None => save.on_hover_text("Save the account and sync now"),
            };
            if save.clicked() {
                commands.push(Command::Sync(SyncCommand::Save));
            }
            cancel |= ui.button("Cancel").clicked();
            if let Some(why) = &problem {
                ui.weak(why);
            }
        });
    });
    let menu_open = egui::Popup::is_any_open(ui.ctx());
    if cancel || (!menu_open && sync.prompt.is_none() && ui.input(|i| i.key_pressed(Key::Escape))) {
        sync.form = None;
    }
}

/// A captioned single-line field (masked for a password).
fn text_row(ui: &mut Ui, caption: &str, text: &mut String, hint: &str, width: f32, password: bool) {
    form_row(ui, caption, |ui, label| {
        ui.add(
            TextEdit::singleline(text)
                .hint_text(hint)
                .password(password)
                .desired_width(width),
        )
        .labelled_by(label);
    });
}

/// The radio lists of what discovery found.
fn collections_ui(
    ui: &mut Ui,
    found: &Discovery,
    addressbook: &mut Option<usize>,
    calendar: &mut Option<usize>,
) {
    style::section_heading(ui, "Address book");
    if found.addressbooks.is_empty() {
        ui.weak("The server offers no address book to this account.");
    }
    for (i, book) in found.addressbooks.iter().enumerate() {
        ui.radio_value(
            addressbook,
            Some(i),
            collection_label(&book.name, &book.url),
        );
    }
    ui.radio_value(addressbook, None, "None: do not sync contacts");
    style::section_heading(ui, "Calendar");
    if calendars(found).next().is_none() {
        ui.weak("The server offers no calendar for tasks or events.");
    }
    for (i, cal) in calendars(found).enumerate() {
        ui.radio_value(calendar, Some(i), collection_label(&cal.name, &cal.url));
    }
    ui.radio_value(calendar, None, "None: do not publish follow-ups and dates");
}

/// A collection as the radio list shows it: its name and the last part of
/// its URL, both from the server, so their control characters are escaped.
fn collection_label(name: &str, url: &str) -> String {
    let segment = escape_text(last_segment(url));
    if name.trim().is_empty() {
        segment
    } else {
        format!("{} ({segment})", escape_text(name.trim()))
    }
}

/// What and whom the account syncs.
fn options_ui(ui: &mut Ui, form: &mut AccountForm, width: f32) {
    style::section_heading(ui, "Options");
    ui.checkbox(
        &mut form.write_kith_fields,
        "Write kith's own fields to the server (X-KITH-*)",
    );
    ui.indent("kith_fields_why", |ui| {
        ui.add(
            egui::Label::new(
                RichText::new(
                    "Off: stage, interests, needs, wants and what people can help with stay in kith. \
                     Phones do not show them, but your provider would store them.",
                )
                .weak(),
            )
            .wrap(),
        );
    });
    ui.checkbox(&mut form.sync_notes, "Sync notes both ways");
    ui.indent("notes_why", |ui| {
        ui.weak("Off: your notes stay in kith, and a phone's own note is left as it is.");
    });
    form_row(ui, "Which people", |ui, label| {
        ui.horizontal_wrapped(|ui| {
            ui.radio_value(&mut form.by_tag, false, "Everyone");
            ui.radio_value(&mut form.by_tag, true, "People tagged");
            ui.add_enabled(
                form.by_tag,
                TextEdit::singleline(&mut form.tag)
                    .hint_text("phone")
                    .desired_width(width / 2.0),
            )
            .labelled_by(label);
        });
        if form.by_tag {
            ui.weak("Someone who loses the tag stops syncing; their card stays on the server.");
        }
    });
    form_row(ui, "Sync every", |ui, label| {
        ui.add(
            egui::DragValue::new(&mut form.interval_minutes)
                .range(0..=1440)
                .suffix(" min"),
        )
        .labelled_by(label);
        ui.weak("0: only at start and when you ask");
    });
    let calendar = form.calendar.is_some();
    ui.add_enabled(
        calendar,
        egui::Checkbox::new(
            &mut form.publish_follow_ups,
            "Publish open follow-ups as tasks",
        ),
    )
    .on_disabled_hover_text("Pick a calendar first");
    ui.add_enabled(
        calendar,
        egui::Checkbox::new(
            &mut form.publish_dates,
            "Publish birthdays and other dates as yearly events",
        ),
    )
    .on_disabled_hover_text("Pick a calendar first");
}

/// The password modal, while a sync waits for one.
pub fn password_ui(ctx: &egui::Context, sync: &mut SyncUi, commands: &mut Vec<Command>) {
    let Some(prompt) = sync.prompt.as_mut() else {
        return;
    };
    let Some(account) = sync.accounts.iter().find(|a| a.name == prompt.account) else {
        sync.prompt = None;
        return;
    };
    let mut answer: Option<Option<String>> = None;
    egui::Modal::new(egui::Id::unique("sync_password")).show(ctx, |ui| {
        ui.set_max_width(style::FORM_WIDTH.min(ctx.content_rect().width() - style::SPACE_L * 2.0));
        ui.heading(format!("Password for {}", account.name));
        ui.label(format!("{} at {}", account.user, account.url));
        let field = form_row(ui, "Password", |ui, label| {
            ui.add(
                TextEdit::singleline(&mut prompt.password)
                    .password(true)
                    .desired_width(style::FORM_FIELD_WIDTH),
            )
            .labelled_by(label)
        });
        if prompt.focus {
            field.request_focus();
            prompt.focus = false;
        }
        ui.checkbox(&mut prompt.remember, "Remember in the system keyring");
        ui.horizontal(|ui| {
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            let sync_button = ui.add_enabled(
                !prompt.password.is_empty(),
                egui::Button::new("Use this password"),
            );
            if sync_button.clicked() || (enter && !prompt.password.is_empty()) {
                answer = Some(Some(prompt.password.clone()));
            }
            if ui.button("Not now").clicked() {
                answer = Some(None);
            }
        });
        ui.weak("kith keeps it in memory until it quits, unless you tick Remember.");
    });
    if ctx.input(|i| i.key_pressed(Key::Escape)) {
        answer = Some(None);
    }
    if let Some(answer) = answer {
        commands.push(Command::Sync(SyncCommand::Password(answer)));
    }
}

/// The banner of server conflicts (its own panel under the others).
pub fn banner_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    sync: &mut SyncUi,
    commands: &mut Vec<Command>,
) {
    if sync.conflicts.is_empty() {
        return;
    }
    egui::Panel::top("sync_conflicts").resizable(false).show(ui, |ui| {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Changed both here and on the server since the last sync (yours is kept until you pick):",
        );
        for (account, conflict) in sync.conflicts.iter().take(5) {
            ui.horizontal_wrapped(|ui| {
                let name = view_ctx.model.person_name(conflict.person);
                ui.label(format!("{name} changed on both sides ({account})"));
                if ui.small_button("Compare").clicked() {
                    sync.comparing = Some((account.clone(), conflict.person));
                }
                resolve_buttons_ui(ui, account, conflict.person, commands);
            });
        }
        if sync.conflicts.len() > 5 {
            ui.weak(format!("…and {} more.", sync.conflicts.len() - 5));
        }
    });
}

fn resolve_buttons_ui(ui: &mut Ui, account: &str, person: PersonId, commands: &mut Vec<Command>) {
    for (label, hover, keep_mine) in [
        (
            "Keep mine",
            "Your values go to the server on the next sync",
            true,
        ),
        (
            "Use theirs",
            "The server's values replace yours; Undo brings yours back",
            false,
        ),
    ] {
        if ui.small_button(label).on_hover_text(hover).clicked() {
            commands.push(Command::Sync(SyncCommand::Resolve {
                account: account.to_string(),
                person,
                keep_mine,
            }));
        }
    }
}

/// The compare window of a server conflict: field, mine, theirs.
pub fn compare_ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    sync: &mut SyncUi,
    commands: &mut Vec<Command>,
) {
    let Some((account, person)) = sync.comparing.clone() else {
        return;
    };
    let Some((_, conflict)) = sync
        .conflicts
        .iter()
        .find(|(a, c)| *a == account && c.person == person)
    else {
        sync.comparing = None;
        return;
    };
    let mut open = true;
    let name = view_ctx.model.person_name(person);
    // Centred under the banners, not over them (its buttons are the banner's too).
    let top = ctx.content_rect().center_top() + egui::vec2(0.0, style::FORM_TOP_MAX);
    egui::Window::new(format!("Compare: {name} ({account})"))
        .id(egui::Id::unique("sync_compare"))
        .open(&mut open)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(top)
        .default_width(style::FORM_WIDTH)
        .min_width(style::FORM_WIDTH.min(ctx.content_rect().width() - style::SPACE_L * 2.0))
        .show(ctx, |ui| {
            // Both values get the same width and wrap in it.
            let gap = style::TABLE_SPACING[0];
            let value_width = ((ui.available_width() - style::CAPTION_WIDTH - 2.0 * gap) / 2.0)
                .max(style::MIN_FIELD_WIDTH);
            egui::Grid::new("sync_compare_grid")
                .num_columns(3)
                .striped(true)
                .min_col_width(style::CAPTION_WIDTH.min(value_width))
                .spacing(style::TABLE_SPACING)
                .show(ui, |ui| {
                    ui.strong("Field");
                    ui.strong("Mine");
                    ui.strong(format!("Theirs ({account})"));
                    ui.end_row();
                    for field in &conflict.fields {
                        ui.label(&field.label);
                        for value in [&field.mine, &field.theirs] {
                            ui.vertical(|ui| {
                                ui.set_width(value_width);
                                ui.add(egui::Label::new(shown_value(value)).wrap());
                            });
                        }
                        ui.end_row();
                    }
                });
            ui.separator();
            ui.horizontal(|ui| resolve_buttons_ui(ui, &account, person, commands));
        });
    if !open {
        sync.comparing = None;
    }
}

/// A value from a server, safe to show (control characters escaped), or "(empty)".
fn shown_value(text: &str) -> String {
    if text.trim().is_empty() {
        "(empty)".into()
    } else {
        escape_text(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found() -> Discovery {
        use crate::sync::dav::CollectionInfo;
        let info = |url: &str, name: &str, components: &[&str]| CollectionInfo {
            url: url.into(),
            name: name.into(),
            supports_sync: true,
            components: components.iter().map(|c| c.to_string()).collect(),
        };
        Discovery {
            addressbooks: vec![info("https://h/dav/alice/contacts/", "Contacts", &[])],
            calendars: vec![
                info("https://h/dav/alice/journal/", "Journal", &["VJOURNAL"]),
                info("https://h/dav/alice/tasks/", "Tasks", &["VTODO", "VEVENT"]),
            ],
        }
    }

    fn filled() -> AccountForm {
        let mut form = AccountForm::new();
        form.name = "fastmail".into();
        form.url = "https://h/".into();
        form.user = "alice".into();
        form.password = "secret".into();
        form
    }

    #[test]
    fn save_says_what_is_missing_until_the_form_is_complete() {
        let mut form = AccountForm::new();
        assert_eq!(
            form.save_problem(&[]).as_deref(),
            Some("The account needs a name")
        );
        form = filled();
        form.password.clear();
        assert_eq!(form.save_problem(&[]).as_deref(), Some("Type the password"));
        form.password = "secret".into();
        assert_eq!(
            form.save_problem(&[]).as_deref(),
            Some("Find the address books and calendars first")
        );
        form.discovery = Some(Ok(found()));
        assert_eq!(
            form.save_problem(&[]).as_deref(),
            Some("Pick an address book or a calendar")
        );
        form.addressbook = Some(0);
        assert_eq!(form.save_problem(&[]), None);
        let existing = Account::new("FastMail", "https://x/", "bob");
        assert!(
            form.save_problem(&[existing])
                .is_some_and(|why| why.contains("already an account"))
        );
        form.by_tag = true;
        assert!(
            form.save_problem(&[])
                .is_some_and(|why| why.contains("tag"))
        );
    }

    #[test]
    fn the_form_picks_collections_by_what_the_server_lists() {
        let mut form = filled();
        form.discovery = Some(Ok(found()));
        form.addressbook = Some(0);
        // The journal-only calendar is not offered: index 0 is Tasks.
        form.calendar = Some(0);
        form.by_tag = true;
        form.tag = " phone ".into();
        form.fingerprint = "  ".into();
        let account = form.account();
        assert_eq!(
            account.addressbook.as_deref(),
            Some("https://h/dav/alice/contacts/")
        );
        assert_eq!(
            account.calendar.as_deref(),
            Some("https://h/dav/alice/tasks/")
        );
        assert_eq!(account.scope, Scope::Tag("phone".into()));
        assert_eq!(account.tls_fingerprint, None);
        assert!(!account.write_kith_fields && !account.sync_notes);
    }

    #[test]
    fn an_account_reads_as_one_line_of_what_it_syncs() {
        let mut account = Account::new("fastmail", "https://h/", "alice");
        account.addressbook = Some("https://h/dav/alice/contacts/".into());
        account.scope = Scope::Tag("phone".into());
        let line = describe(&account);
        assert_eq!(
            line,
            "alice at https://h/ · address book: contacts · no calendar · people tagged \"phone\" · every 15 min"
        );
    }

    #[test]
    fn the_next_sync_follows_the_interval_and_zero_means_on_demand() {
        let now = Instant::now();
        let mut account = Account::new("a", "https://h/", "u");
        account.interval_minutes = 2;
        assert_eq!(
            due_after(&account, now),
            Some(now + Duration::from_secs(120))
        );
        account.interval_minutes = 0;
        assert_eq!(due_after(&account, now), None);
    }

    #[test]
    fn what_a_server_names_is_shown_with_its_control_characters_escaped() {
        let label = collection_label("Work\u{202e}txt.exe\n", "https://h/dav/a\u{7}b/");
        assert!(
            !label.chars().any(|c| c.is_control() || c == '\u{202e}'),
            "{label}"
        );
        assert!(label.starts_with("Work\\u{202e}txt.exe"), "{label}");
        assert_eq!(collection_label("", "https://h/dav/contacts/"), "contacts");
    }

    #[test]
    fn the_summary_reads_in_words() {
        let mut report = crate::sync::run::SyncReport::default();
        report.pulled.added = 2;
        report.pushed.updated = 1;
        report.conflicts = 1;
        assert_eq!(
            summary(&report),
            "from the server 2 added · to the server 1 changed · 1 conflict"
        );
    }

    #[test]
    fn commands_never_show_a_password() {
        let shown = format!("{:?}", SyncCommand::Password(Some("hunter2".into())));
        assert!(!shown.contains("hunter2"));
    }

    #[test]
    fn accounts_added_in_a_terminal_show_up_and_removed_ones_go()
    -> Result<(), Box<dyn std::error::Error>> {
        let base = tempfile::tempdir()?;
        let data = tempfile::tempdir()?;
        let mut sync = SyncUi::default();
        sync.set_state_base(base.path().to_path_buf());
        sync.load(data.path());
        assert!(sync.accounts().is_empty());
        let start = Instant::now();
        sync.refresh_accounts(data.path(), start);
        // `kith account add` in a terminal creates the sync folder and the account.
        let dir = sync_store::state_dir_in(base.path(), data.path())?;
        sync_store::add_account(&dir, &Account::new("home", "https://h/", "alice"))?;
        sync.refresh_accounts(data.path(), start + Duration::from_secs(1));
        assert!(
            sync.accounts().is_empty(),
            "looked at most every few seconds"
        );
        sync.refresh_accounts(data.path(), start + Duration::from_secs(6));
        assert_eq!(sync.accounts().len(), 1);
        assert!(sync.status("home").is_some_and(|s| s.wanted), "syncs soon");
        // A second account, then the first removed, both from the terminal.
        std::thread::sleep(Duration::from_millis(20));
        sync_store::add_account(&dir, &Account::new("work", "https://w/", "bob"))?;
        sync_store::remove_account(&dir, "home")?;
        sync.refresh_accounts(data.path(), start + Duration::from_secs(12));
        let names: Vec<&str> = sync.accounts().iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["work"]);
        assert!(sync.status("home").is_none());
        Ok(())
    }
}
