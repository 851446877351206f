//! The egui application. Views only draw and push [`Command`]s; the commands
//! are applied after the frame is drawn (the re_viewer pattern), so every
//! change flows through the model's actions and can be undone.

mod activity_view;
mod add_person;
mod chip_entry;
mod conflict_view;
mod date_entry;
pub mod exchange_view;
mod file_chooser;
mod interests_view;
mod map_view;
pub mod notify;
mod palette;
mod people_list;
mod person_contact;
mod person_dates;
mod person_photo;
mod person_relations;
mod person_view;
mod photos;
mod quick_add;
mod style;
mod timeline;
mod toasts;
mod today_view;
mod trash_view;
mod widgets;
mod you_view;

use crate::action::{Action, Touched};
use crate::document::Document;
use crate::insight::Insight;
use crate::model::{InteractionId, Model, PersonId};
use crate::search::SearchIndex;
use crate::storage::{
    DiskBatch, DiskConflict, FolderWatcher, LoadProblem, Loaded, StorageError, Store,
};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
pub use toasts::{Toast, ToastKind};
pub use person_view::{Section, SectionLayout};

/// How long after the last change kith waits before saving.
const SAVE_DEBOUNCE: Duration = Duration::from_millis(800);
/// How often a failed save is retried.
const SAVE_RETRY: Duration = Duration::from_secs(5);

/// The big area in the middle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum View {
    /// Follow-ups, re-engage, events, weekly plan.
    #[default]
    Today,
    /// The selected person.
    Person,
    /// Shared interests and introductions.
    Interests,
    /// Network activity over time.
    Activity,
    /// The network drawn as a graph.
    Map,
    /// Deleted people.
    Trash,
    /// Your profile, rhythm and organizations.
    You,
}

impl View {
    /// Every view, in tab order.
    pub const ALL: [View; 7] = [
        View::Today,
        View::Person,
        View::Interests,
        View::Activity,
        View::Map,
        View::Trash,
        View::You,
    ];

    /// Tab label.
    pub fn label(self) -> &'static str {
        match self {
            View::Today => "Today",
            View::Person => "Person",
            View::Interests => "Interests",
            View::Activity => "Activity",
            View::Map => "Map",
            View::Trash => "Trash",
            View::You => "You & groups",
        }
    }
}

/// Something the user asked for; applied after drawing.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // one command per click; boxing buys nothing
pub enum Command {
    /// Change the model.
    Apply(Action),
    /// Undo the last change.
    Undo,
    /// Redo.
    Redo,
    /// Select a person and show them.
    OpenPerson(PersonId),
    /// Open a person's timeline at an interaction.
    OpenInteraction(PersonId, InteractionId),
    /// Open the add-person form (nothing is created before its Save).
    NewPerson,
    /// Switch view.
    Show(View),
    /// Put the cursor in the search box.
    FocusSearch,
    /// Open the command palette.
    OpenPalette,
    /// Replace the demo network with an empty one.
    StartEmpty,
    /// Keep the demo network as your data (hides the banner).
    KeepDemo,
    /// Save now.
    SaveNow,
    /// Rename a damaged file aside so kith may write a fresh one.
    SetAside(PathBuf),
    /// Show a message.
    Notify(ToastKind, String),
    /// Replace the data with a daily backup (undoable).
    RestoreBackup(PathBuf),
    /// Store imported photos beside their people's records.
    SavePhotos(Vec<(PersonId, Vec<u8>)>),
    /// Pick an image file for a person's photo.
    ChoosePhoto(PersonId),
    /// Pick a contacts file to import (the system dialog, or kith's own
    /// chooser when there is none); the palette's "Import contacts".
    StartImport,
    /// Export everyone in a format, through a save dialog that suggests a
    /// dated name; the palette's export entries.
    StartExport(exchange_view::ExportKind),
    /// Set a person's photo aside (the file is renamed, never deleted).
    RemovePhoto(PersonId),
    /// Settle a file changed both on disk and here.
    ResolveConflict {
        /// The file.
        path: PathBuf,
        /// Keep kith's version (true) or use the one on disk (false).
        keep_mine: bool,
    },
}

/// What the background loader sends back.
struct Opened {
    store: Store,
    loaded: Loaded,
    /// The folder had no data yet (the demo network was loaded).
    fresh: bool,
    /// Built on the loader thread too, so the UI thread never waits.
    insight: Insight,
    search: SearchIndex,
    /// Started once the folder was read (saves check files before writing,
    /// which covers changes made during the read).
    watcher: Result<FolderWatcher, String>,
}

/// The loader's answer.
type LoadResult = Result<Opened, StorageError>;

/// Where the app is in its life.
enum Phase {
    /// The folder is being read on a background thread.
    Loading {
        receiver: Receiver<LoadResult>,
        started: Instant,
        folder: String,
    },
    /// Ready to use.
    Ready,
    /// The folder could not be opened at all.
    Failed(String),
}

/// UI state that is not part of the model.
#[derive(Default)]
pub struct UiState {
    /// Central view.
    pub view: View,
    /// Selected person.
    pub selected: Option<PersonId>,
    /// People list state.
    pub people: people_list::PeopleListState,
    /// Person editor state.
    pub person: person_view::PersonViewState,
    /// Interests view state.
    pub interests: interests_view::InterestsState,
    /// Timeline state.
    pub timeline: timeline::TimelineState,
    /// Command palette state.
    pub palette: palette::PaletteState,
    /// "You" view state.
    pub you: you_view::YouState,
    /// Network map state (kept across view switches).
    pub map: map_view::MapState,
    /// Today view cache.
    pub today: today_view::TodayState,
    /// Activity view cache.
    pub activity: activity_view::ActivityState,
    /// Import/export state.
    pub exchange: exchange_view::ExchangeState,
    /// Once-a-day desktop notifications (off unless the binary enables them).
    pub notify: notify::NotifyState,
    /// Conflict compare window.
    pub conflicts: conflict_view::ConflictState,
    /// Toasts on screen.
    pub toasts: toasts::Toasts,
    /// The add-person form (open while a person is being added).
    pub add_person: add_person::AddPersonState,
}

/// The kith application.
pub struct KithApp {
    doc: Document,
    store: Option<Store>,
    insight: Insight,
    search: SearchIndex,
    today: NaiveDate,
    fixed_today: bool,
    phase: Phase,
    /// UI state (public for tests).
    pub ui_state: UiState,
    problems: Vec<LoadProblem>,
    unknown_files: Vec<PathBuf>,
    sync_conflicts: Vec<PathBuf>,
    last_change: Option<Instant>,
    last_failed_save: Option<Instant>,
    save_error: Option<String>,
    commands: Vec<Command>,
    /// Today's backup and the load cache, written in the background after
    /// loading; each reports a warning when it fails.
    background: Option<Receiver<Result<(), String>>>,
    /// Notices other programs' changes to the data folder.
    watcher: Option<FolderWatcher>,
    /// Files changed on disk while they had unsaved edits here.
    disk_conflicts: Vec<DiskConflict>,
    /// The egui context, for the watcher's thread to wake the UI.
    waker: Arc<OnceLock<egui::Context>>,
    /// Compute the network-wide introductions on a background thread after
    /// a change (0.2 to 0.4 s at 100k people) instead of in the next frame.
    /// Off for in-memory apps (tests, previews): there they are computed at
    /// once, so every frame is deterministic.
    background_candidates: bool,
    /// The introductions being computed in the background.
    candidates_job: Option<Receiver<crate::insight::CandidatesReady>>,
    /// What views cache on: moves with every model change and whenever the
    /// background introductions arrive.
    view_revision: u64,
    /// The model revision `view_revision` last followed.
    seen_model_revision: u64,
    /// Avatar textures of stored photos.
    photos: photos::PhotoCache,
}

/// Read-only context handed to every view.
pub struct ViewCtx<'a> {
    /// The model.
    pub model: &'a Model,
    /// The insight index.
    pub insight: &'a Insight,
    /// Today's date (fixed in tests).
    pub today: NaiveDate,
    /// Model revision (views cache on it).
    pub revision: u64,
    /// The data folder, when there is one.
    pub data_dir: Option<&'a Path>,
    /// Avatar textures of stored photos (see [`ViewCtx::photo`]).
    pub photos: &'a photos::PhotoCache,
    /// People whose newsletter consent is on hold (two files in the folder
    /// hold them): every newsletter export leaves them out.
    pub consent_held: BTreeSet<PersonId>,
}

impl ViewCtx<'_> {
    /// The avatar texture of a person's stored photo, if there is one.
    pub fn photo(&self, ctx: &egui::Context, id: PersonId) -> Option<egui::TextureHandle> {
        self.photos.texture(ctx, self.data_dir, id)
    }
}

impl KithApp {
    /// An app on an in-memory model (no folder): for tests and previews.
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
            ui_state: UiState::default(),
            problems: Vec::new(),
            unknown_files: Vec::new(),
            sync_conflicts: Vec::new(),
            last_change: None,
            last_failed_save: None,
            save_error: None,
            commands: Vec::new(),
            background: None,
            watcher: None,
            disk_conflicts: Vec::new(),
            waker: Arc::new(OnceLock::new()),
            background_candidates: false,
            candidates_job: None,
            view_revision: 0,
            seen_model_revision: 0,
            photos: photos::PhotoCache::default(),
        }
    }

    /// An app that opens `folder` on a background thread. A folder with no
    /// kith data yet starts on the bundled demo network. The load cache lives
    /// in the platform's cache folder.
    pub fn open_folder(folder: &Path) -> Self {
        Self::open_folder_with_cache(folder, crate::storage::default_cache_dir())
    }

    /// Like [`KithApp::open_folder`], with the load cache kept in
    /// `cache_dir` (None: no cache, every file is parsed).
    pub fn open_folder_with_cache(folder: &Path, cache_dir: Option<PathBuf>) -> Self {
        let today = chrono::Local::now().date_naive();
        let mut app = Self::in_memory(Model::default(), today);
        app.fixed_today = false;
        app.background_candidates = true;
        let (sender, receiver) = channel();
        let folder_owned = folder.to_path_buf();
        let (background_sender, background_receiver) = channel();
        let waker = app.waker.clone();
        std::thread::spawn(move || {
            let fresh = crate::storage::is_fresh(&folder_owned);
            let cache = cache_dir.map(|dir| crate::storage::cache_file(&dir, &folder_owned));
            let mut cache_refresh = None;
            let result =
                Store::open_cached(&folder_owned, cache.as_deref()).map(|(store, mut loaded)| {
                    cache_refresh = loaded.cache_refresh.take().filter(|_| !fresh);
                    // Watched from here on. A change made while the folder was
                    // being read is caught when kith saves: it compares each
                    // file with what it read before writing (a conflict, never
                    // an overwrite). Watching during the read would cost an
                    // event per file opened.
                    let watcher = FolderWatcher::start(&folder_owned, move || {
                        if let Some(ctx) = waker.get() {
                            ctx.request_repaint();
                        }
                    })
                    .map_err(|e| e.to_string());
                    if fresh && store.read_only().is_none() {
                        match crate::storage::format::demo_model(today) {
                            Ok(demo) => loaded.model = demo,
                            Err(e) => loaded.problems.push(LoadProblem {
                                path: PathBuf::from("assets/demo.ron"),
                                error: e,
                            }),
                        }
                    }
                    let (insight, search) = rayon::join(
                        || {
                            let insight = Insight::build(&loaded.model);
                            // The Today view asks for the best introduction.
                            insight.warm();
                            insight
                        },
                        || SearchIndex::build(&loaded.model),
                    );
                    Opened {
                        store,
                        loaded,
                        fresh,
                        insight,
                        search,
                        watcher,
                    }
                });
            let back_up = matches!(&result, Ok(opened) if !opened.fresh && opened.store.read_only().is_none());
            if sender.send(result).is_err() {
                return;
            }
            // Today's backup of the files on disk, after the app is usable.
            if back_up {
                let outcome = crate::storage::daily_backup(&folder_owned, today)
                    .map(|_| ())
                    .map_err(|e| format!("Could not write today's backup: {e}"));
                let _ = background_sender.send(outcome);
            }
            // Then the load cache, so the next start is fast.
            if let Some(refresh) = cache_refresh {
                let path = refresh.path().to_path_buf();
                let outcome = refresh.write().map_err(|e| {
                    format!(
                        "Could not write the load cache {} ({e}). Your data is safe; opening this folder stays slower until it can be written.",
                        crate::storage::guard::shown(&path)
                    )
                });
                let _ = background_sender.send(outcome);
            }
        });
        app.background = Some(background_receiver);
        app.phase = Phase::Loading {
            receiver,
            started: Instant::now(),
            folder: crate::storage::guard::shown(folder),
        };
        app
    }

    /// Report the loader's background work (today's backup, the load cache)
    /// as it finishes; blocking: wait until all of it is done.
    fn poll_background(&mut self, block: bool) {
        let Some(receiver) = &self.background else {
            return;
        };
        let mut failures = Vec::new();
        let finished = loop {
            let outcome = if block {
                receiver.recv().map_err(|_| true)
            } else {
                receiver
                    .try_recv()
                    .map_err(|e| matches!(e, std::sync::mpsc::TryRecvError::Disconnected))
            };
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(message)) => failures.push(message),
                Err(finished) => break finished,
            }
        };
        if finished {
            self.background = None;
        }
        for message in failures {
            self.ui_state.toasts.push(ToastKind::Warning, message);
        }
    }

    /// Block until the loader's background work (today's backup, the load
    /// cache) is written.
    pub fn wait_for_backup(&mut self) {
        self.wait_until_loaded();
        self.poll_background(true);
    }

    /// Whether the background loader is still reading the folder.
    pub fn is_loading(&self) -> bool {
        matches!(self.phase, Phase::Loading { .. })
    }

    /// Block until a background load finishes (for tests and the CLI).
    pub fn wait_until_loaded(&mut self) {
        while matches!(self.phase, Phase::Loading { .. }) {
            self.poll_loading(true);
        }
    }

    fn poll_loading(&mut self, block: bool) {
        let Phase::Loading { receiver, .. } = &self.phase else {
            return;
        };
        let result = if block {
            receiver.recv().map_err(|_| ())
        } else {
            receiver.try_recv().map_err(|_| ())
        };
        let Ok(result) = result else {
            if block {
                self.phase = Phase::Failed("the loader stopped unexpectedly".into());
            }
            return;
        };
        match result {
            Ok(opened) => {
                self.insight = opened.insight;
                self.search = opened.search;
                match opened.watcher {
                    Ok(watcher) => self.watcher = Some(watcher),
                    Err(error) => self.ui_state.toasts.push(
                        ToastKind::Warning,
                        format!(
                            "kith cannot watch its folder ({error}). Changes other programs make there show after a restart."
                        ),
                    ),
                }
                self.finish_loading(Some(opened.store), opened.loaded, opened.fresh)
            }
            Err(error) => self.phase = Phase::Failed(error.to_string()),
        }
    }

    fn finish_loading(&mut self, mut store: Option<Store>, loaded: Loaded, fresh: bool) {
        self.problems = loaded.problems;
        self.unknown_files = loaded.unknown_files;
        self.sync_conflicts = loaded.sync_conflicts;
        if let Some(store) = store.as_mut() {
            if fresh && store.read_only().is_none() {
                store.mark_all_dirty(&loaded.model);
                self.last_change = Some(Instant::now());
            }
            if let Some(read_only) = store.read_only() {
                self.ui_state
                    .toasts
                    .push(ToastKind::Warning, read_only.reason.clone());
            }
        }
        if !self.problems.is_empty() {
            self.ui_state.toasts.push(
                ToastKind::Error,
                format!(
                    "{} file(s) could not be read and are left untouched. See the banner.",
                    self.problems.len()
                ),
            );
        }
        self.doc = Document::new(loaded.model);
        self.store = store;
        self.phase = Phase::Ready;
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

    /// Today's date as the app sees it.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// Files that failed to load.
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    /// Queue a command, as a view would.
    pub fn push_command(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Apply queued commands now.
    pub fn apply_commands(&mut self) {
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.run_command(command);
        }
        self.flush_changes();
    }

    /// Hand the model's pending changes to the indexes and storage.
    fn flush_changes(&mut self) {
        let changes = self.doc.take_changes();
        if !changes.is_empty() {
            self.after_changes(&changes, false);
        }
    }

    /// Apply a version read from disk as one undo step; storage is told the
    /// files already hold it.
    fn apply_from_disk(&mut self, action: Action) -> Result<(), crate::action::ActionError> {
        self.flush_changes();
        self.doc.apply(action)?;
        let changes = self.doc.take_changes();
        self.after_changes(&changes, true);
        Ok(())
    }

    /// Read the files other programs changed, if the watcher has a batch.
    fn poll_disk(&mut self) {
        if let Some(batch) = self.watcher.as_mut().and_then(FolderWatcher::poll) {
            self.take_disk_batch(batch);
        }
    }

    /// Files changed on disk while they had unsaved edits here.
    pub fn disk_conflicts(&self) -> &[DiskConflict] {
        &self.disk_conflicts
    }

    /// Bring changed files into the model: reloads, conflicts, damaged and
    /// repaired files, sync-conflict copies.
    fn take_disk_batch(&mut self, batch: DiskBatch) {
        if batch.is_empty() {
            return;
        }
        self.flush_changes();
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let found = store.reconcile(batch, self.doc.model());
        for (path, exists) in found.sync_conflicts {
            self.sync_conflicts.retain(|p| *p != path);
            if exists {
                self.ui_state.toasts.push(
                    ToastKind::Warning,
                    format!(
                        "Your sync tool left a conflicting copy: {}",
                        crate::storage::guard::shown(&path)
                    ),
                );
                self.sync_conflicts.push(path);
            }
        }
        for path in found.repaired {
            self.problems.retain(|p| p.path != path);
        }
        for problem in found.damaged {
            self.ui_state.toasts.push(
                ToastKind::Error,
                format!(
                    "{} was changed on disk and no longer loads. kith keeps what it had and will not write over the file. See the banner.",
                    crate::storage::guard::shown(&problem.path)
                ),
            );
            self.report_problem(problem);
        }
        if !found.reloads.is_empty() {
            self.apply_reloads(found.reloads);
        }
        for conflict in found.conflicts {
            self.ui_state.toasts.push(
                ToastKind::Warning,
                format!(
                    "{} changed on disk while you had unsaved edits. Pick a version in the banner.",
                    conflict.label
                ),
            );
            self.disk_conflicts.retain(|c| c.path != conflict.path);
            self.disk_conflicts.push(conflict);
        }
    }

    /// Apply reloads as one undo step; if that fails, one by one, so one bad
    /// file does not hold back the rest.
    fn apply_reloads(&mut self, reloads: Vec<crate::storage::Reload>) {
        let what = match reloads.as_slice() {
            [single] => single.label.clone(),
            many => format!("{} files", many.len()),
        };
        let combined = Action::Batch {
            label: format!("Reload {what} from disk"),
            actions: reloads.iter().map(|r| r.action.clone()).collect(),
        };
        if self.apply_from_disk(combined).is_ok() {
            self.ui_state.toasts.push(
                ToastKind::Info,
                format!("Reloaded {what} (changed on disk)."),
            );
            return;
        }
        for reload in reloads {
            if let Err(error) = self.apply_from_disk(reload.action) {
                let error = crate::storage::format::ParseError::plain(format!(
                    "cannot take it in: {error}"
                ));
                self.ui_state.toasts.push(
                    ToastKind::Error,
                    format!(
                        "{} changed on disk, but {error}",
                        crate::storage::guard::shown(&reload.path)
                    ),
                );
                if let Some(store) = self.store.as_mut() {
                    store.protect(&reload.path);
                }
                self.report_problem(LoadProblem {
                    path: reload.path,
                    error,
                });
            }
        }
    }

    /// List a file that cannot be taken in (replacing an older report of it).
    fn report_problem(&mut self, problem: LoadProblem) {
        self.problems.retain(|p| p.path != problem.path);
        self.problems.push(problem);
    }

    fn after_changes(&mut self, changes: &[Touched], from_disk: bool) {
        self.insight.update(self.doc.model(), changes);
        for change in changes {
            match change {
                Touched::Person(id) => self.search.update_person(self.doc.model(), *id),
                Touched::All => self.search = SearchIndex::build(self.doc.model()),
                Touched::Org(_) => {}
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
        self.ui_state.people.invalidate();
        if let Some(selected) = self.ui_state.selected
            && !self.doc.model().people.contains_key(&selected)
        {
            self.ui_state.selected = None;
        }
    }

    /// Write imported photos; a failure is said in a toast, with the reason.
    fn save_photos(&mut self, photos: Vec<(PersonId, Vec<u8>)>) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let mut failed = Vec::new();
        for (id, bytes) in &photos {
            if let Err(why) = store.save_photo(*id, bytes) {
                failed.push(format!("{}: {why}", self.doc.model().person_name(*id)));
            }
        }
        self.photos.forget(photos.iter().map(|(id, _)| *id));
        if !failed.is_empty() {
            self.ui_state.toasts.push(
                ToastKind::Error,
                format!("{} photo(s) not saved: {}", failed.len(), failed.join("; ")),
            );
        }
    }

    fn run_command(&mut self, command: Command) {
        match command {
            Command::Apply(action) => {
                let label = action.label();
                if let Err(error) = self.doc.apply(action) {
                    self.ui_state
                        .toasts
                        .push(ToastKind::Error, format!("{label}: {error}"));
                }
            }
            Command::Undo => {
                let result = self.doc.undo();
                self.report_history_step(result, "Undone", "Nothing to undo", "Undo");
            }
            Command::Redo => {
                let result = self.doc.redo();
                self.report_history_step(result, "Redone", "Nothing to redo", "Redo");
            }
            Command::OpenPerson(id) => {
                self.ui_state.selected = Some(id);
                self.ui_state.view = View::Person;
            }
            Command::OpenInteraction(person, interaction) => {
                self.ui_state.selected = Some(person);
                self.ui_state.view = View::Person;
                self.ui_state.timeline.open = Some(interaction);
            }
            Command::NewPerson => self.ui_state.add_person.open(),
            Command::Show(view) => self.ui_state.view = view,
            Command::FocusSearch => self.ui_state.people.focus_search = true,
            Command::OpenPalette => self.ui_state.palette.open(),
            Command::StartEmpty => {
                let empty = Model {
                    settings: crate::model::Settings::default(),
                    ..Default::default()
                };
                if self.doc.apply(Action::ReplaceAll(Box::new(empty))).is_ok() {
                    self.ui_state.selected = None;
                    self.ui_state.toasts.push(
                        ToastKind::Info,
                        "Started empty. Undo (Ctrl+Z) brings the demo back.".into(),
                    );
                }
            }
            Command::KeepDemo => {
                let mut settings = self.doc.model().settings.clone();
                settings.is_demo = false;
                let _ = self.doc.apply(Action::SetSettings(settings));
            }
            Command::SaveNow => self.save(),
            Command::SetAside(path) => {
                if let Some(store) = self.store.as_mut() {
                    match store.set_aside(&path) {
                        Ok(target) => {
                            self.problems.retain(|p| p.path != path);
                            self.ui_state.toasts.push(
                                ToastKind::Info,
                                format!("Moved aside to {}", crate::storage::guard::shown(&target)),
                            );
                        }
                        Err(e) => self.ui_state.toasts.push(
                            ToastKind::Error,
                            format!(
                                "Could not move {} aside: {e}",
                                crate::storage::guard::shown(&path)
                            ),
                        ),
                    }
                }
            }
            Command::Notify(kind, text) => self.ui_state.toasts.push(kind, text),
            Command::SavePhotos(photos) => self.save_photos(photos),
            Command::ChoosePhoto(id) => self
                .ui_state
                .exchange
                .request(exchange_view::Request::Photo(id)),
            Command::StartImport => self
                .ui_state
                .exchange
                .request(exchange_view::Request::Import),
            Command::StartExport(kind) => self
                .ui_state
                .exchange
                .request(exchange_view::Request::Export(kind, None)),
            Command::RemovePhoto(id) => {
                let result = match self.store.as_mut() {
                    Some(store) => store.set_photo_aside(id),
                    None => Err("no data folder".into()),
                };
                self.photos.forget([id]);
                match result {
                    Ok(path) => self.ui_state.toasts.push(
                        ToastKind::Info,
                        format!(
                            "Photo removed (kept as {})",
                            crate::storage::guard::shown(&path)
                        ),
                    ),
                    Err(why) => self
                        .ui_state
                        .toasts
                        .push(ToastKind::Error, format!("Photo not removed: {why}")),
                }
            }
            Command::ResolveConflict { path, keep_mine } => self.resolve_conflict(&path, keep_mine),
            Command::RestoreBackup(path) => match crate::storage::read_backup(&path) {
                Ok(model) => {
                    if self.doc.apply(Action::ReplaceAll(Box::new(model))).is_ok() {
                        self.ui_state.toasts.push(
                            ToastKind::Info,
                            format!(
                                "Restored {}. Undo (Ctrl+Z) goes back.",
                                crate::storage::guard::shown(&path)
                            ),
                        );
                    }
                }
                Err(e) => self.ui_state.toasts.push(
                    ToastKind::Error,
                    format!(
                        "Cannot restore {}: {e}",
                        crate::storage::guard::shown(&path)
                    ),
                ),
            },
        }
    }

    /// Settle a conflict the way the user picked.
    fn resolve_conflict(&mut self, path: &Path, keep_mine: bool) {
        let Some(index) = self.disk_conflicts.iter().position(|c| c.path == path) else {
            return;
        };
        let conflict = self.disk_conflicts.remove(index);
        if keep_mine {
            if let Some(store) = self.store.as_mut() {
                store.resolve(&conflict, true);
            }
            self.last_change = Some(Instant::now());
            self.ui_state.toasts.push(
                ToastKind::Info,
                format!(
                    "Kept your version of {}; it replaces the one on disk.",
                    conflict.label
                ),
            );
            return;
        }
        match self.apply_from_disk(conflict.use_theirs.clone()) {
            Ok(()) => {
                if let Some(store) = self.store.as_mut() {
                    store.resolve(&conflict, false);
                }
                self.ui_state.toasts.push(
                    ToastKind::Info,
                    format!(
                        "Using the version of {} on disk. Undo (Ctrl+Z) brings yours back.",
                        conflict.label
                    ),
                );
            }
            Err(error) => {
                self.ui_state.toasts.push(
                    ToastKind::Error,
                    format!("Cannot use the version on disk: {error}"),
                );
                self.disk_conflicts.insert(index, conflict);
            }
        }
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
            Ok(true) => (ToastKind::Info, done.to_string()),
            Ok(false) => (ToastKind::Info, nothing.to_string()),
            Err(e) => (ToastKind::Error, format!("{verb} failed: {e}")),
        };
        self.ui_state.toasts.push(kind, text);
    }

    /// Save dirty files now. Errors become toasts; unsaved changes stay in memory.
    pub fn save(&mut self) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if !store.is_dirty() {
            return;
        }
        let mut report = store.save(self.doc.model());
        self.last_change = None;
        if !report.changed_on_disk.is_empty() {
            // Another program wrote these since kith read them: show the
            // conflict instead of writing over its change.
            let changed = std::mem::take(&mut report.changed_on_disk);
            let batch = crate::storage::read_changed(store.root(), changed);
            self.take_disk_batch(batch);
        }
        if report.failed.is_empty() {
            self.last_failed_save = None;
            if let Some(error) = self.save_error.take() {
                self.ui_state.toasts.dismiss(&error);
                self.ui_state
                    .toasts
                    .push(ToastKind::Info, "Saved. All changes are on disk.".into());
            }
        } else {
            let (path, error) = &report.failed[0];
            let message = format!(
                "Could not save {} ({error}). Your changes are kept in memory; retrying every {} s.",
                crate::storage::guard::shown(path),
                SAVE_RETRY.as_secs()
            );
            if self.save_error.as_deref() != Some(message.as_str()) {
                self.ui_state.toasts.push(ToastKind::Error, message.clone());
            }
            self.save_error = Some(message);
            self.last_failed_save = Some(Instant::now());
        }
    }

    fn autosave(&mut self) {
        let due = match (self.last_change, self.last_failed_save) {
            (_, Some(failed)) => failed.elapsed() >= SAVE_RETRY,
            (Some(changed), None) => changed.elapsed() >= SAVE_DEBOUNCE,
            (None, None) => false,
        };
        if due {
            self.save();
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, KeyboardShortcut, Modifiers};
        let redo = KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        let redo_y = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
        let undo = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
        let new = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
        let find = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
        let palette = KeyboardShortcut::new(Modifiers::COMMAND, Key::K);
        let save = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
        // A focused text field keeps its own undo for Ctrl+Z.
        let typing = ctx.memory(|m| m.focused().is_some()) && ctx.egui_wants_keyboard_input();
        ctx.input_mut(|input| {
            if input.consume_shortcut(&redo) || input.consume_shortcut(&redo_y) {
                self.commands.push(Command::Redo);
            } else if !typing && input.consume_shortcut(&undo) {
                self.commands.push(Command::Undo);
            }
            if input.consume_shortcut(&new) {
                self.commands.push(Command::NewPerson);
            }
            if input.consume_shortcut(&find) {
                self.commands.push(Command::FocusSearch);
            }
            if input.consume_shortcut(&palette) {
                self.commands.push(Command::OpenPalette);
            }
            if input.consume_shortcut(&save) {
                self.commands.push(Command::SaveNow);
            }
        });
    }

    /// Draw one frame into `ui` (the whole window) and apply what it asked for.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.fixed_today {
            self.today = chrono::Local::now().date_naive();
        }
        self.waker.get_or_init(|| ctx.clone());
        self.poll_loading(false);
        self.poll_background(false);
        match &self.phase {
            Phase::Loading {
                started, folder, ..
            } => {
                let elapsed = started.elapsed().as_secs_f32();
                let folder = folder.clone();
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.vertical_centered(|ui| {
                        ui.add_space(ui.available_height() / 3.0);
                        ui.heading("kith");
                        ui.label(format!("Opening {folder}…"));
                        ui.add(
                            egui::ProgressBar::new((elapsed / 3.0).min(0.95))
                                .animate(true)
                                .desired_width(300.0),
                        );
                    });
                });
                ctx.request_repaint_after(Duration::from_millis(50));
                return;
            }
            Phase::Failed(message) => {
                let message = message.clone();
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.heading("kith could not open its data folder");
                    ui.label(message);
                    ui.label("Nothing was changed on disk. Pick another folder with --data DIR.");
                });
                return;
            }
            Phase::Ready => {}
        }
        self.poll_disk();
        if self.watcher.as_ref().is_some_and(FolderWatcher::is_busy) {
            ctx.request_repaint_after(crate::storage::QUIET / 2);
        }
        self.shortcuts(&ctx);
        self.tend_candidates();
        if self.doc.revision() != self.seen_model_revision {
            self.seen_model_revision = self.doc.revision();
            self.view_revision += 1;
        }
        let mut commands = std::mem::take(&mut self.commands);
        {
            let view_ctx = ViewCtx {
                model: self.doc.model(),
                insight: &self.insight,
                today: self.today,
                revision: self.view_revision,
                data_dir: self.store.as_ref().map(Store::root),
                photos: &self.photos,
                consent_held: self
                    .store
                    .as_ref()
                    .map(Store::consent_held)
                    .unwrap_or_default(),
            };
            top_bar_ui(
                ui,
                &view_ctx,
                &self.doc,
                self.store.as_ref(),
                &mut self.ui_state,
                &mut commands,
            );
            // Files dropped on the window are imported (with a preview first).
            let dropped: Vec<PathBuf> = ctx.input(|i| {
                i.raw
                    .dropped_files
                    .iter()
                    .map(|f| f.path().to_path_buf())
                    .filter(|p| !p.as_os_str().is_empty())
                    .collect()
            });
            if let Some(path) = dropped.into_iter().next() {
                exchange_view::start_import(&mut self.ui_state.exchange, path);
            }
            exchange_view::poll(&mut self.ui_state.exchange, &view_ctx, &mut commands);
            notify::tick(&ctx, &view_ctx, &mut self.ui_state.notify, &mut commands);
            banners_ui(
                ui,
                &view_ctx,
                FolderNotes {
                    problems: &self.problems,
                    unknown_files: &self.unknown_files,
                    sync_conflicts: &self.sync_conflicts,
                    disk_conflicts: &self.disk_conflicts,
                },
                self.store.as_ref(),
                self.save_error.as_deref(),
                &mut self.ui_state.conflicts,
                &mut commands,
            );
            egui::Panel::left("people")
                .resizable(true)
                .default_size(320.0)
                .min_size(240.0)
                .show(ui, |ui| {
                    people_list::ui(
                        ui,
                        &view_ctx,
                        &mut self.search,
                        &mut self.ui_state,
                        &mut commands,
                    );
                });
            egui::CentralPanel::default().show(ui, |ui| match self.ui_state.view {
                View::Today => {
                    today_view::ui(ui, &view_ctx, &mut self.ui_state.today, &mut commands)
                }
                View::Person => match self.ui_state.selected {
                    Some(id) if view_ctx.model.people.contains_key(&id) => person_view::ui(
                        ui,
                        &view_ctx,
                        id,
                        &mut self.ui_state.person,
                        &mut self.ui_state.timeline,
                        &mut commands,
                    ),
                    _ => {
                        ui.heading("No one selected");
                        ui.label("Pick someone on the left, or press Ctrl+N to add a person.");
                    }
                },
                View::Interests => interests_view::ui(
                    ui,
                    &view_ctx,
                    self.ui_state.selected,
                    &mut self.ui_state.interests,
                    &mut commands,
                ),
                View::Activity => {
                    activity_view::ui(ui, &view_ctx, &mut self.ui_state.activity, &mut commands)
                }
                View::Map => {
                    map_view::map_ui(ui, &view_ctx, &mut self.ui_state.map, &mut commands)
                }
                View::Trash => trash_view::ui(ui, &view_ctx, &mut commands),
                View::You => you_view::ui(ui, &view_ctx, &mut self.ui_state.you, &mut commands),
            });
            add_person::ui(&ctx, &view_ctx, &mut self.ui_state.add_person, &mut commands);
            palette::ui(&ctx, &view_ctx, &mut self.ui_state.palette, &mut commands);
            exchange_view::preview_ui(&ctx, &view_ctx, &mut self.ui_state.exchange, &mut commands);
            conflict_view::compare_ui(
                &ctx,
                &self.disk_conflicts,
                &mut self.ui_state.conflicts,
                &mut commands,
            );
        }
        if self.ui_state.exchange.is_busy() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        self.ui_state.toasts.ui(&ctx);
        self.commands.append(&mut commands);
        self.apply_commands();
        let was_dirty = self.store.as_ref().is_some_and(Store::is_dirty);
        self.autosave();
        if was_dirty && !self.store.as_ref().is_some_and(Store::is_dirty) {
            // Redraw so the top bar says "Saved".
            ctx.request_repaint();
        }
        if self.last_change.is_some()
            || self.last_failed_save.is_some()
            || self.ui_state.toasts.any()
        {
            ctx.request_repaint_after(Duration::from_millis(250));
        }
    }

    /// Keep the network-wide introductions computed: take a finished
    /// background job's result, and start a job when they are missing (or
    /// compute them at once, without background work).
    fn tend_candidates(&mut self) {
        if !self.poll_candidates_job(false) {
            return;
        }
        if !self.background_candidates {
            self.insight.warm();
            return;
        }
        // One job at a time; a result that is out of date by the time it
        // arrives is dropped by `poll_candidates_job`, and the next job
        // starts here.
        if let Some(job) = self.insight.candidates_job() {
            let (sender, receiver) = channel();
            let waker = self.waker.clone();
            std::thread::spawn(move || {
                if sender.send(job.run()).is_ok()
                    && let Some(ctx) = waker.get()
                {
                    ctx.request_repaint();
                }
            });
            self.candidates_job = Some(receiver);
        }
    }

    /// Compute the network-wide introductions on a background thread after
    /// changes (the default for apps on a folder) or at once (in-memory apps).
    pub fn set_background_introductions(&mut self, background: bool) {
        self.background_candidates = background;
    }

    /// Block until the network-wide introductions are computed (for tests
    /// and measurements of the background job).
    pub fn wait_for_candidates(&mut self) {
        self.tend_candidates();
        while self.candidates_job.is_some() {
            self.poll_candidates_job(true);
            self.tend_candidates();
        }
    }

    /// Take the background job's introductions once it is done (blocking:
    /// wait for it); a result that went stale meanwhile is dropped. False
    /// while the job still runs.
    fn poll_candidates_job(&mut self, block: bool) -> bool {
        let Some(receiver) = &self.candidates_job else {
            return true;
        };
        let ready = if block {
            receiver.recv().ok()
        } else {
            match receiver.try_recv() {
                Ok(ready) => Some(ready),
                Err(std::sync::mpsc::TryRecvError::Empty) => return false,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => None,
            }
        };
        self.candidates_job = None;
        if let Some(ready) = ready
            && self.insight.accept_candidates(ready)
        {
            // Views that show introductions recompute.
            self.view_revision += 1;
        }
        true
    }

    /// Save everything before the process ends.
    pub fn shutdown(&mut self) {
        self.save();
        // Let today's backup and the load cache finish rather than leave
        // half a file behind.
        self.poll_background(true);
    }
}

impl eframe::App for KithApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn on_exit(&mut self) {
        self.shutdown();
    }
}

fn top_bar_ui(
    ui: &mut egui::Ui,
    view_ctx: &ViewCtx<'_>,
    doc: &Document,
    store: Option<&Store>,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.strong("kith");
            ui.separator();
            for view in View::ALL {
                let label = match view {
                    // Counted from the index: walking 100k people every
                    // frame took half the frame time.
                    View::Trash => format!(
                        "Trash ({})",
                        view_ctx
                            .model
                            .people
                            .len()
                            .saturating_sub(view_ctx.insight.live_people())
                    ),
                    _ => view.label().to_string(),
                };
                if ui.selectable_label(state.view == view, label).clicked() {
                    commands.push(Command::Show(view));
                }
            }
            ui.separator();
            if ui.button("New person").on_hover_text("Ctrl+N").clicked() {
                commands.push(Command::NewPerson);
            }
            let undo = ui.add_enabled(doc.undo_label().is_some(), egui::Button::new("Undo"));
            if undo
                .on_hover_text(format!("Ctrl+Z: {}", doc.undo_label().unwrap_or_default()))
                .clicked()
            {
                commands.push(Command::Undo);
            }
            let redo = ui.add_enabled(doc.redo_label().is_some(), egui::Button::new("Redo"));
            if redo
                .on_hover_text(format!(
                    "Ctrl+Shift+Z: {}",
                    doc.redo_label().unwrap_or_default()
                ))
                .clicked()
            {
                commands.push(Command::Redo);
            }
            if ui.button("Commands").on_hover_text("Ctrl+K").clicked() {
                commands.push(Command::OpenPalette);
            }
            exchange_view::menu_ui(
                ui,
                view_ctx,
                &mut state.exchange,
                state.people.rows(),
            );
            ui.separator();
            ui.weak(format!("{} people", view_ctx.insight.live_people()));
            match store {
                Some(store) if store.read_only().is_some() => {
                    ui.colored_label(ui.visuals().warn_fg_color, "Read-only");
                }
                Some(store) if store.held_count() > 0 => {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("{} conflict(s) to resolve", store.held_count()),
                    );
                }
                Some(store) if store.is_dirty() => {
                    ui.weak("Saving…");
                }
                Some(_) => {
                    ui.weak("Saved");
                }
                None => {
                    ui.weak("Not saved (preview)");
                }
            }
            theme_ui(ui);
        });
    });
}

/// Theme picker: follows the system by default (glyph-free labels).
fn theme_ui(ui: &mut egui::Ui) {
    let mut preference = ui.ctx().options(|o| o.theme_preference);
    let before = preference;
    egui::ComboBox::new("theme", "Theme")
        .selected_text(match preference {
            egui::ThemePreference::System => "System",
            egui::ThemePreference::Light => "Light",
            egui::ThemePreference::Dark => "Dark",
        })
        .show_ui(ui, |ui| {
            ui.selectable_value(
                &mut preference,
                egui::ThemePreference::System,
                "Follow system",
            );
            ui.selectable_value(&mut preference, egui::ThemePreference::Light, "Light");
            ui.selectable_value(&mut preference, egui::ThemePreference::Dark, "Dark");
        });
    if preference != before {
        ui.ctx().set_theme(preference);
    }
}

/// What loading found that the user should know about.
struct FolderNotes<'a> {
    problems: &'a [LoadProblem],
    unknown_files: &'a [PathBuf],
    sync_conflicts: &'a [PathBuf],
    disk_conflicts: &'a [DiskConflict],
}

fn banners_ui(
    ui: &mut egui::Ui,
    view_ctx: &ViewCtx<'_>,
    notes: FolderNotes<'_>,
    store: Option<&Store>,
    save_error: Option<&str>,
    conflict_state: &mut conflict_view::ConflictState,
    commands: &mut Vec<Command>,
) {
    let FolderNotes {
        problems,
        unknown_files,
        sync_conflicts,
        disk_conflicts,
    } = notes;
    let demo = view_ctx.model.settings.is_demo;
    let read_only = store.and_then(|s| s.read_only());
    if !demo
        && problems.is_empty()
        && sync_conflicts.is_empty()
        && disk_conflicts.is_empty()
        && read_only.is_none()
        && save_error.is_none()
    {
        return;
    }
    egui::Panel::top("banners").show(ui, |ui| {
        if demo {
            ui.horizontal_wrapped(|ui| {
                ui.label("You are looking at a demo network of 40 people. Explore freely; everything can be undone.");
                if ui.button("Start empty").clicked() {
                    commands.push(Command::StartEmpty);
                }
                if ui.button("Keep the demo").clicked() {
                    commands.push(Command::KeepDemo);
                }
            });
        }
        if let Some(read_only) = read_only {
            ui.colored_label(ui.visuals().warn_fg_color, &read_only.reason);
        }
        if let Some(error) = save_error {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().error_fg_color, error);
                if ui.small_button("Retry now").clicked() {
                    commands.push(Command::SaveNow);
                }
            });
        }
        conflict_view::banner_ui(ui, disk_conflicts, conflict_state, commands);
        if !problems.is_empty() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "{} file(s) could not be read. kith will not write over them. Fix them in a text editor (kith notices), or move them aside:",
                    problems.len()
                ),
            );
            for problem in problems.iter().take(5) {
                // The file, relative to the folder, with its button; the
                // reason below it, wrapped, so nothing runs off the window.
                let relative = view_ctx
                    .data_dir
                    .and_then(|dir| problem.path.strip_prefix(dir).ok())
                    .unwrap_or(&problem.path);
                ui.horizontal_wrapped(|ui| {
                    ui.monospace(crate::storage::guard::shown(relative));
                    if ui.small_button("Move aside").clicked() {
                        commands.push(Command::SetAside(problem.path.clone()));
                    }
                });
                ui.indent(("problem", &problem.path), |ui| {
                    ui.add(egui::Label::new(crate::storage::guard::escape_text(&problem.error.to_string())).wrap());
                });
            }
            if problems.len() > 5 {
                ui.label(format!("…and {} more (run `kith check` for the full list).", problems.len() - 5));
            }
        }
        if !unknown_files.is_empty() && !problems.is_empty() {
            ui.weak(format!("{} unrecognised file(s) were left alone.", unknown_files.len()));
        }
        if !sync_conflicts.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Your sync tool kept conflicting copies. kith loaded the originals; compare each copy with its original and delete the one you do not want:",
            );
            for path in sync_conflicts.iter().take(5) {
                ui.monospace(crate::storage::guard::shown(path));
            }
        }
    });
}
