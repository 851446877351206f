//! A kith session without any user interface: the document and its
//! history, the data folder (store, loader, watcher, saving, backups), the
//! indexes views read (insight, search) and the background jobs that keep
//! them fresh. The desktop app is a shell around one session; tests and other
//! headless callers drive a session directly.
//!
//! Messages for the user are plain data ([`Notice`]): the session queues
//! them and the caller shows them ([`Session::take_notices`]). Background
//! threads wake the caller through a [`Waker`] callback.

mod candidates;
mod disk;
mod loader;
mod notice;
mod save;

pub use loader::Phase;
pub use notice::{Notice, NoticeKind};
pub use save::{SAVE_DEBOUNCE, SAVE_RETRY, SaveStatus};

use crate::action::{Action, Touched};
use crate::document::Document;
use crate::insight::Insight;
use crate::model::{Model, PersonId};
use crate::search::SearchIndex;
use crate::storage::{DiskConflict, FolderWatcher, LoadProblem, Store};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// A callback background threads call when the session has news (the app
/// sets it to `request_repaint`).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// One person's network, open: the model with undo/redo, its folder, and
/// everything kept in step with them.
pub struct Session {
    doc: Document,
    store: Option<Store>,
    insight: Insight,
    search: SearchIndex,
    today: NaiveDate,
    /// Tests fix the date; otherwise it follows the clock.
    fixed_today: bool,
    phase: Phase,
    /// The background loader's answer, while it reads the folder.
    loader: Option<Receiver<loader::LoadResult>>,
    problems: Vec<LoadProblem>,
    unknown_files: Vec<PathBuf>,
    sync_conflicts: Vec<PathBuf>,
    last_change: Option<Instant>,
    last_failed_save: Option<Instant>,
    save_error: Option<String>,
    /// Today's backup and the load cache, written in the background after
    /// loading; each reports a warning when it fails.
    background: Option<Receiver<Result<(), String>>>,
    /// Notices other programs' changes to the data folder.
    watcher: Option<FolderWatcher>,
    /// Files changed on disk while they had unsaved edits here.
    disk_conflicts: Vec<DiskConflict>,
    /// Called by background threads when they have news.
    waker: Arc<OnceLock<Waker>>,
    /// Compute the network-wide introductions on a background thread after
    /// a change instead of at once. Off for in-memory sessions.
    background_candidates: bool,
    /// The introductions being computed in the background.
    candidates_job: Option<Receiver<crate::insight::CandidatesReady>>,
    /// What views cache on: moves with every model change and whenever the
    /// background introductions arrive.
    view_revision: u64,
    /// The model revision `view_revision` last followed.
    seen_model_revision: u64,
    /// The model changed since the caller last asked ([`Session::take_changed`]).
    changed: bool,
    notices: notice::Notices,
}

/// The parts of a session a frame draws from, borrowed at once: read-only
/// state beside the search index, which caches as it searches.
pub struct SessionParts<'a> {
    /// The document (model + history).
    pub doc: &'a Document,
    /// The insight index.
    pub insight: &'a Insight,
    /// The search index.
    pub search: &'a mut SearchIndex,
    /// The data folder's store, when there is one.
    pub store: Option<&'a Store>,
    /// Files that failed to load.
    pub problems: &'a [LoadProblem],
    /// Files in the folder kith does not know.
    pub unknown_files: &'a [PathBuf],
    /// Conflicting copies a sync tool left.
    pub sync_conflicts: &'a [PathBuf],
    /// Files changed on disk while they had unsaved edits here.
    pub disk_conflicts: &'a [DiskConflict],
    /// The last save's failure, while it lasts.
    pub save_error: Option<&'a str>,
    /// Where saving stands.
    pub status: SaveStatus,
    /// Today's date as the session sees it.
    pub today: NaiveDate,
    /// What views cache on.
    pub view_revision: u64,
}

impl Session {
    /// A session on an in-memory model (no folder): nothing is saved, and
    /// introductions are computed at once.
    pub fn in_memory(model: Model, today: NaiveDate) -> Self {
        let insight = Insight::build(&model);
        let search = SearchIndex::build(&model);
        Self {
            doc: Document::new(model),
            store: None,
            insight,
            search,
            today,
            fixed_today: true,
            phase: Phase::Ready,
            loader: None,
            problems: Vec::new(),
            unknown_files: Vec::new(),
            sync_conflicts: Vec::new(),
            last_change: None,
            last_failed_save: None,
            save_error: None,
            background: None,
            watcher: None,
            disk_conflicts: Vec::new(),
            waker: Arc::new(OnceLock::new()),
            background_candidates: false,
            candidates_job: None,
            view_revision: 0,
            seen_model_revision: 0,
            changed: false,
            notices: notice::Notices::default(),
        }
    }

    /// A session that opens `folder` on a background thread. A folder with
    /// no kith data yet starts on the bundled demo network. The load cache
    /// lives in `cache_dir` (None: no cache, every file is parsed).
    pub fn open_folder(folder: &Path, cache_dir: Option<PathBuf>) -> Self {
        let today = chrono::Local::now().date_naive();
        let mut session = Self::in_memory(Model::default(), today);
        session.fixed_today = false;
        session.background_candidates = true;
        let (loader, background) = loader::spawn(folder, cache_dir, today, session.waker.clone());
        session.loader = Some(loader);
        session.background = Some(background);
        session.phase = Phase::Loading {
            started: Instant::now(),
            folder: crate::storage::guard::shown(folder),
        };
        session
    }

    /// Set the callback background threads use to say there is news (only
    /// the first call counts).
    pub fn set_waker(&self, waker: Waker) {
        let _ = self.waker.set(waker);
    }

    /// Whether a waker is set.
    pub fn has_waker(&self) -> bool {
        self.waker.get().is_some()
    }

    /// Catch up with the world, once per frame: the loader's answer and its
    /// background work, today's date, the folder's changes and the
    /// background introductions.
    pub fn tick(&mut self) {
        if !self.fixed_today {
            self.today = chrono::Local::now().date_naive();
        }
        self.poll_loading(false);
        self.poll_background(false);
        // A pair declined a year ago may be suggested again.
        self.insight.set_today(self.today);
        if self.phase != Phase::Ready {
            return;
        }
        self.poll_disk();
        self.tend_candidates();
        self.follow_revision();
    }

    /// Move the view revision when the model moved.
    fn follow_revision(&mut self) {
        if self.doc.revision() != self.seen_model_revision {
            self.seen_model_revision = self.doc.revision();
            self.view_revision += 1;
        }
    }

    /// Where the session is in its life.
    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// Whether the background loader is still reading the folder.
    pub fn is_loading(&self) -> bool {
        matches!(self.phase, Phase::Loading { .. })
    }

    /// Block until a background load finishes.
    pub fn wait_until_loaded(&mut self) {
        while self.loader.is_some() {
            self.poll_loading(true);
        }
    }

    /// Block until the loader's background work (today's backup, the load
    /// cache) is written.
    pub fn wait_for_backup(&mut self) {
        self.wait_until_loaded();
        self.poll_background(true);
    }

    /// The document (model + history).
    pub fn doc(&self) -> &Document {
        &self.doc
    }

    /// The model.
    pub fn model(&self) -> &Model {
        self.doc.model()
    }

    /// The insight index.
    pub fn insight(&self) -> &Insight {
        &self.insight
    }

    /// The search index (it caches as it searches, hence `mut`).
    pub fn search_mut(&mut self) -> &mut SearchIndex {
        &mut self.search
    }

    /// Everything a frame draws from, borrowed at once.
    pub fn parts(&mut self) -> SessionParts<'_> {
        let status = self.save_status();
        SessionParts {
            doc: &self.doc,
            insight: &self.insight,
            search: &mut self.search,
            store: self.store.as_ref(),
            problems: &self.problems,
            unknown_files: &self.unknown_files,
            sync_conflicts: &self.sync_conflicts,
            disk_conflicts: &self.disk_conflicts,
            save_error: self.save_error.as_deref(),
            status,
            today: self.today,
            view_revision: self.view_revision,
        }
    }

    /// The data folder's store, when there is one.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The data folder, when there is one.
    pub fn data_dir(&self) -> Option<&Path> {
        self.store.as_ref().map(Store::root)
    }

    /// Today's date as the session sees it.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// What views cache on: moves with every model change and whenever the
    /// background introductions arrive.
    pub fn view_revision(&self) -> u64 {
        self.view_revision
    }

    /// Files that failed to load (never written over).
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    /// Files in the folder kith does not know (left alone).
    pub fn unknown_files(&self) -> &[PathBuf] {
        &self.unknown_files
    }

    /// Conflicting copies a sync tool left.
    pub fn sync_conflicts(&self) -> &[PathBuf] {
        &self.sync_conflicts
    }

    /// Files changed on disk while they had unsaved edits here.
    pub fn disk_conflicts(&self) -> &[DiskConflict] {
        &self.disk_conflicts
    }

    /// Take the messages queued for the user.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        self.notices.take()
    }

    /// Take the texts of earlier messages that are over (take them down).
    pub fn take_withdrawn(&mut self) -> Vec<String> {
        self.notices.take_withdrawn()
    }

    /// Whether the model changed since the last call (views' caches of it
    /// are out of date).
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// Change the model; a refused action is a notice. True when applied.
    pub fn apply(&mut self, action: Action) -> bool {
        let label = action.label();
        match self.doc.apply(action) {
            Ok(()) => true,
            Err(error) => {
                self.notices
                    .push(NoticeKind::Error, format!("{label}: {error}"));
                false
            }
        }
    }

    /// Undo the last change (a notice says what happened).
    pub fn undo(&mut self) {
        let result = self.doc.undo();
        self.report_history_step(result, "Undone", "Nothing to undo", "Undo");
    }

    /// Redo the last undone change (a notice says what happened).
    pub fn redo(&mut self) {
        let result = self.doc.redo();
        self.report_history_step(result, "Redone", "Nothing to redo", "Redo");
    }

    /// Tell the user what an undo or redo did.
    fn report_history_step(
        &mut self,
        result: Result<bool, crate::action::ActionError>,
        done: &str,
        nothing: &str,
        verb: &str,
    ) {
        let (kind, text) = match result {
            Ok(true) => (NoticeKind::Info, done.to_string()),
            Ok(false) => (NoticeKind::Info, nothing.to_string()),
            Err(e) => (NoticeKind::Error, format!("{verb} failed: {e}")),
        };
        self.notices.push(kind, text);
    }

    /// Replace the demo network with an empty one (undoable). True when done.
    pub fn start_empty(&mut self) -> bool {
        let empty = Model {
            settings: crate::model::Settings::default(),
            ..Default::default()
        };
        let done = self.apply(Action::ReplaceAll(Box::new(empty)));
        if done {
            self.notices.push(
                NoticeKind::Info,
                "Started empty. Undo (Ctrl+Z) brings the demo back.".into(),
            );
        }
        done
    }

    /// Keep the demo network as the user's data (it stops being a demo).
    pub fn keep_demo(&mut self) {
        let mut settings = self.doc.model().settings.clone();
        settings.is_demo = false;
        self.apply(Action::SetSettings(settings));
    }

    /// Replace the data with a daily backup (undoable).
    pub fn restore_backup(&mut self, path: &Path) {
        match crate::storage::read_backup(path) {
            Ok(model) => {
                if self.apply(Action::ReplaceAll(Box::new(model))) {
                    self.notices.push(
                        NoticeKind::Info,
                        format!(
                            "Restored {}. Undo (Ctrl+Z) goes back.",
                            crate::storage::guard::shown(path)
                        ),
                    );
                }
            }
            Err(e) => self.notices.push(
                NoticeKind::Error,
                format!("Cannot restore {}: {e}", crate::storage::guard::shown(path)),
            ),
        }
    }

    /// Queue a message for the user (the shell's own news, e.g. a failed
    /// export, travels the same way).
    pub fn notify(&mut self, kind: NoticeKind, text: String) {
        self.notices.push(kind, text);
    }

    /// Hand the model's pending changes to the indexes and storage (done by
    /// every call that reads or writes the folder; call it after
    /// [`Session::apply`]s to bring the indexes up to date).
    pub fn flush_changes(&mut self) {
        let changes = self.doc.take_changes();
        if !changes.is_empty() {
            self.after_changes(&changes, false);
        }
        self.follow_revision();
    }

    fn after_changes(&mut self, changes: &[Touched], from_disk: bool) {
        self.insight.update(self.doc.model(), changes);
        for change in changes {
            match change {
                Touched::Person(id) => self.search.update_person(self.doc.model(), *id),
                Touched::All => self.search = SearchIndex::build(self.doc.model()),
                _ => {}
            }
        }
        if let Some(store) = self.store.as_mut() {
            if from_disk {
                store.note_reloaded(changes, self.doc.model());
            } else {
                store.note_changes(changes, self.doc.model());
                self.last_change = Some(Instant::now());
            }
        }
        self.changed = true;
    }

    /// Whether `id` is a person of the model (live or in the trash).
    pub fn has_person(&self, id: PersonId) -> bool {
        self.doc.model().people.contains_key(&id)
    }

    /// Save everything and let the background work finish (before the
    /// process ends).
    pub fn shutdown(&mut self) {
        self.save();
        // Let today's backup and the load cache finish rather than leave
        // half a file behind.
        self.poll_background(true);
    }
}
