//! The egui application. Views only draw and push [`Command`]s; the commands
//! are applied after the frame is drawn (the re_viewer pattern), so every
//! change flows through the model's actions and can be undone.

mod activity_view;
mod add_person;
mod banners;
mod chip_entry;
mod conflict_view;
mod date_entry;
pub mod exchange_view;
mod file_chooser;
mod follow_up_actions;
pub mod history_view;
mod interests_view;
mod intro_composer;
mod intro_offers;
mod map_view;
pub mod notify;
mod palette;
mod people_list;
mod person_contact;
mod person_dates;
mod person_help;
mod person_photo;
mod person_relations;
mod person_view;
mod photos;
pub mod prefs;
mod quick_add;
mod rhythm_ui;
mod style;
mod sync_view;
mod timeline;
mod toasts;
mod today_give;
mod today_plan;
mod today_view;
mod top_bar;
mod trash_view;
mod widgets;
mod you_view;

use crate::action::Action;
use crate::document::Document;
use crate::insight::Insight;
use crate::model::{InteractionId, Model, PersonId};
use crate::session::{Phase, Session};
use crate::storage::{DiskConflict, LoadProblem, Store};
use chrono::NaiveDate;
pub use person_view::{Section, SectionLayout};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
pub use toasts::{Toast, ToastKind};

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
    /// CardDAV/CalDAV accounts: their status, Sync now, adding one.
    Sync,
}

impl View {
    /// Every view, in tab order.
    pub const ALL: [View; 8] = [
        View::Today,
        View::Person,
        View::Interests,
        View::Activity,
        View::Map,
        View::Trash,
        View::You,
        View::Sync,
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
            View::Sync => "Sync",
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
    /// Collapse or bring back the side panel (the people list).
    ToggleSidePanel,
    /// Follow the system theme, or use the light or the dark one.
    SetTheme(egui::ThemePreference),
    /// Zoom the whole window in, out, or back to 100 % (also Ctrl+=, Ctrl+-, Ctrl+0).
    Zoom(style::ZoomStep),
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
    /// Open the introduction composer for two people, with a reason to
    /// start from (editable; nothing is recorded before its Save).
    Introduce {
        /// The first person.
        a: PersonId,
        /// The second person.
        b: PersonId,
        /// Why they should meet.
        reason: String,
    },
    /// Draft the e-mail of an introduction made (opens the composer's
    /// e-mail step: open in the mail app, or copy).
    DraftIntroductionEmail(InteractionId),
    /// Sync with a server, add or remove an account, answer the password
    /// prompt, or settle a server conflict.
    Sync(sync_view::SyncCommand),
    /// Import a calendar, mail or chat source again, subscribe to a
    /// calendar URL, or ask before forgetting a source.
    History(history_view::HistoryCommand),
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
    /// The introduction composer (open while an introduction is written).
    pub intro: intro_composer::IntroComposerState,
    /// The side panel (people list) is collapsed.
    pub side_panel_hidden: bool,
    /// What the top bar measured of itself.
    pub top_bar: top_bar::TopBarState,
    /// Sync accounts, their status, the worker and the Sync page's form.
    pub sync: sync_view::SyncUi,
    /// Calendar, mail and chat imports: the preview, subscriptions, sources.
    pub history: history_view::HistoryState,
}

/// The kith application: a shell around a [`Session`]. It draws the top
/// bar, the banners, the side panel and the central view, turns what the
/// views ask for ([`Command`]s) into session calls, and shows the session's
/// notices as toasts.
pub struct KithApp {
    session: Session,
    /// UI state (public for tests).
    pub ui_state: UiState,
    commands: Vec<Command>,
    /// Avatar textures of stored photos.
    photos: photos::PhotoCache,
    /// Remember the UI between runs (only the windowed app: tests and
    /// previews never read or write the user's config).
    persist: bool,
    /// The egui context, once a frame was drawn (for saving preferences).
    ctx: Option<egui::Context>,
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
    /// The document's revision: moves only when the model changed (not
    /// when background introductions arrive, as `revision` also does).
    pub model_revision: u64,
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
        Self::with_session(Session::in_memory(model, today))
    }

    /// An app around a session.
    pub fn with_session(session: Session) -> Self {
        Self {
            session,
            ui_state: UiState::default(),
            commands: Vec::new(),
            photos: photos::PhotoCache::default(),
            persist: false,
            ctx: None,
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
        Self::with_session(Session::open_folder(folder, cache_dir))
    }

    /// The windowed app: like [`KithApp::open_folder_with_cache`], with the
    /// preferences eframe kept from the last run put back, and remembered
    /// again when the app closes (see [`prefs`]).
    pub fn open_window(
        folder: &Path,
        cache_dir: Option<PathBuf>,
        cc: &eframe::CreationContext<'_>,
    ) -> Self {
        let mut app = Self::open_folder_with_cache(folder, cache_dir);
        app.persist = true;
        // The real app (not tests or previews) notifies what is due today.
        app.ui_state.notify.enable();
        if let Some(prefs) = cc
            .storage
            .and_then(|storage| eframe::get_value::<prefs::Prefs>(storage, prefs::STORAGE_KEY))
        {
            prefs.restore(&cc.egui_ctx, &mut app.ui_state);
        }
        app.wake_with(&cc.egui_ctx);
        app
    }

    /// Let the session's background threads repaint `ctx`.
    fn wake_with(&mut self, ctx: &egui::Context) {
        if !self.session.has_waker() {
            let ctx = ctx.clone();
            self.session
                .set_waker(Arc::new(move || ctx.request_repaint()));
        }
    }

    /// The session (document, folder, indexes).
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session, to change.
    pub fn session_mut(&mut self) -> &mut Session {
        &mut self.session
    }

    /// Block until the loader's background work (today's backup, the load
    /// cache) is written.
    pub fn wait_for_backup(&mut self) {
        self.session.wait_for_backup();
        self.follow_session();
    }

    /// Whether the background loader is still reading the folder.
    pub fn is_loading(&self) -> bool {
        self.session.is_loading()
    }

    /// Block until a background load finishes (for tests and the CLI).
    pub fn wait_until_loaded(&mut self) {
        self.session.wait_until_loaded();
        self.follow_session();
    }

    /// The document (model + history).
    pub fn doc(&self) -> &Document {
        self.session.doc()
    }

    /// The model.
    pub fn model(&self) -> &Model {
        self.session.model()
    }

    /// The insight index.
    pub fn insight(&self) -> &Insight {
        self.session.insight()
    }

    /// Today's date as the app sees it.
    pub fn today(&self) -> NaiveDate {
        self.session.today()
    }

    /// Files that failed to load.
    pub fn problems(&self) -> &[LoadProblem] {
        self.session.problems()
    }

    /// Files changed on disk while they had unsaved edits here.
    pub fn disk_conflicts(&self) -> &[DiskConflict] {
        self.session.disk_conflicts()
    }

    /// Compute the network-wide introductions on a background thread after
    /// changes (the default for apps on a folder) or at once (in-memory apps).
    pub fn set_background_introductions(&mut self, background: bool) {
        self.session.set_background_introductions(background);
    }

    /// Block until the network-wide introductions are computed (for tests
    /// and measurements of the background job).
    pub fn wait_for_candidates(&mut self) {
        self.session.wait_for_candidates();
    }

    /// Save dirty files now. Errors become toasts; unsaved changes stay in memory.
    pub fn save(&mut self) {
        self.session.save();
        self.follow_session();
    }

    /// Save everything before the process ends.
    pub fn shutdown(&mut self) {
        self.session.shutdown();
        self.follow_session();
    }

    /// Keep sync accounts and state under `base` instead of the platform's
    /// state folder (tests).
    pub fn set_sync_state_base(&mut self, base: PathBuf) {
        self.ui_state.sync.set_state_base(base);
    }

    /// Never ask the system keyring for sync passwords (tests).
    pub fn set_sync_no_keyring(&mut self) {
        self.ui_state.sync.set_no_keyring();
    }

    /// Sync's side of the app: accounts, status, conflicts (for tests).
    pub fn sync(&self) -> &sync_view::SyncUi {
        &self.ui_state.sync
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
        self.session.flush_changes();
        self.follow_session();
    }

    /// Bring the UI in line with the session: its notices become toasts
    /// (and notices that are over come down), and views' caches of the
    /// model are dropped when it changed.
    fn follow_session(&mut self) {
        for text in self.session.take_withdrawn() {
            self.ui_state.toasts.dismiss(&text);
        }
        for notice in self.session.take_notices() {
            self.ui_state.toasts.push(notice.kind, notice.text);
        }
        if self.session.take_changed() {
            self.ui_state.people.invalidate();
            if let Some(selected) = self.ui_state.selected
                && !self.session.has_person(selected)
            {
                self.ui_state.selected = None;
            }
        }
    }

    fn run_command(&mut self, command: Command) {
        match command {
            Command::Apply(action) => {
                self.session.apply(action);
            }
            Command::Undo => self.session.undo(),
            Command::Redo => self.session.redo(),
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
            Command::ToggleSidePanel => {
                self.ui_state.side_panel_hidden = !self.ui_state.side_panel_hidden;
            }
            Command::SetTheme(preference) => {
                if let Some(ctx) = &self.ctx {
                    ctx.set_theme(preference);
                }
            }
            Command::Zoom(step) => {
                if let Some(ctx) = &self.ctx {
                    ctx.set_zoom_factor(style::zoomed(ctx.zoom_factor(), step));
                }
            }
            Command::StartEmpty => {
                if self.session.start_empty() {
                    self.ui_state.selected = None;
                }
            }
            Command::KeepDemo => self.session.keep_demo(),
            Command::SaveNow => self.session.save(),
            Command::SetAside(path) => self.session.set_aside(&path),
            Command::Notify(kind, text) => self.ui_state.toasts.push(kind, text),
            Command::SavePhotos(photos) => {
                self.session.save_photos(&photos);
                self.photos.forget(photos.iter().map(|(id, _)| *id));
            }
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
                self.session.remove_photo(id);
                self.photos.forget([id]);
            }
            Command::ResolveConflict { path, keep_mine } => {
                self.session.resolve_conflict(&path, keep_mine);
            }
            Command::RestoreBackup(path) => self.session.restore_backup(&path),
            Command::Introduce { a, b, reason } => self.ui_state.intro.open(a, b, reason),
            Command::DraftIntroductionEmail(id) => self.ui_state.intro.draft_email(id),
            Command::History(command) => {
                let today = self.session.today();
                history_view::apply(
                    &mut self.ui_state.history,
                    &mut self.ui_state.exchange,
                    self.session.model(),
                    today,
                    command,
                    &mut self.ui_state.toasts,
                );
            }
            Command::Sync(command) => sync_view::apply(
                &mut self.ui_state.sync,
                &mut self.session,
                &mut self.ui_state.toasts,
                self.ctx.as_ref(),
                command,
            ),
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
        let side_panel = KeyboardShortcut::new(Modifiers::COMMAND, Key::B);
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
            if input.consume_shortcut(&side_panel) {
                self.commands.push(Command::ToggleSidePanel);
            }
        });
    }

    /// Draw one frame into `ui` (the whole window) and apply what it asked for.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        style::apply_theme(&ctx);
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
        self.wake_with(&ctx);
        self.session.tick();
        self.follow_session();
        match self.session.phase() {
            Phase::Loading { started, folder } => {
                let elapsed = started.elapsed().as_secs_f32();
                let folder = folder.clone();
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.vertical_centered(|ui| {
                        ui.add_space(ui.available_height() / 3.0);
                        ui.heading("kith");
                        ui.label(format!("Opening {folder}..."));
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
        sync_view::tick(
            &mut self.ui_state.sync,
            &mut self.session,
            &mut self.ui_state.toasts,
            &ctx,
        );
        self.follow_session();
        if self.session.watcher_busy() {
            ctx.request_repaint_after(crate::storage::QUIET / 2);
        }
        self.shortcuts(&ctx);
        let mut commands = std::mem::take(&mut self.commands);
        {
            let parts = self.session.parts();
            let (doc, store) = (parts.doc, parts.store);
            let view_ctx = ViewCtx {
                model: doc.model(),
                insight: parts.insight,
                today: parts.today,
                revision: parts.view_revision,
                model_revision: doc.revision(),
                data_dir: store.map(Store::root),
                photos: &self.photos,
                consent_held: store.map(Store::consent_held).unwrap_or_default(),
            };
            top_bar::top_bar_ui(
                ui,
                &view_ctx,
                doc,
                parts.status,
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
            history_view::poll(
                &mut self.ui_state.history,
                &mut self.ui_state.exchange,
                &view_ctx,
                &mut commands,
            );
            notify::tick(&ctx, &view_ctx, &mut self.ui_state.notify, &mut commands);
            banners::banners_ui(
                ui,
                &view_ctx,
                &parts,
                &mut self.ui_state.conflicts,
                &mut commands,
            );
            sync_view::banner_ui(ui, &view_ctx, &mut self.ui_state.sync, &mut commands);
            if !self.ui_state.side_panel_hidden {
                let width = ui.available_width();
                egui::Panel::left("people")
                    .resizable(true)
                    .default_size(
                        (width * style::SIDE_PANEL_SHARE)
                            .clamp(style::SIDE_PANEL_MIN_WIDTH, style::SIDE_PANEL_DEFAULT_WIDTH),
                    )
                    .min_size(style::SIDE_PANEL_MIN_WIDTH)
                    .max_size(
                        (width * style::SIDE_PANEL_MAX_SHARE).max(style::SIDE_PANEL_MIN_WIDTH),
                    )
                    .show(ui, |ui| {
                        people_list::ui(
                            ui,
                            &view_ctx,
                            parts.search,
                            &mut self.ui_state,
                            &mut commands,
                        );
                    });
            }
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
                View::Map => map_view::map_ui(ui, &view_ctx, &mut self.ui_state.map, &mut commands),
                View::Trash => trash_view::ui(ui, &view_ctx, &mut commands),
                View::You => you_view::ui(
                    ui,
                    &view_ctx,
                    &mut self.ui_state.you,
                    &mut self.ui_state.history,
                    &mut commands,
                ),
                View::Sync => sync_view::ui(ui, &view_ctx, &mut self.ui_state.sync, &mut commands),
            });
            add_person::ui(
                &ctx,
                &view_ctx,
                &mut self.ui_state.add_person,
                &mut commands,
            );
            intro_composer::ui(&ctx, &view_ctx, &mut self.ui_state.intro, &mut commands);
            palette::ui(
                &ctx,
                &view_ctx,
                parts.search,
                &mut self.ui_state.palette,
                &mut commands,
            );
            exchange_view::preview_ui(&ctx, &view_ctx, &mut self.ui_state.exchange, &mut commands);
            history_view::preview_ui(&ctx, &view_ctx, &mut self.ui_state.history, &mut commands);
            conflict_view::compare_ui(
                &ctx,
                parts.disk_conflicts,
                &mut self.ui_state.conflicts,
                &mut commands,
            );
            sync_view::compare_ui(&ctx, &view_ctx, &mut self.ui_state.sync, &mut commands);
            sync_view::password_ui(&ctx, &mut self.ui_state.sync, &mut commands);
        }
        if self.ui_state.exchange.is_busy() || self.ui_state.history.is_reading() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        self.ui_state.toasts.ui(&ctx);
        self.commands.append(&mut commands);
        self.apply_commands();
        let was_dirty = self.session.is_dirty();
        self.session.autosave();
        self.follow_session();
        if was_dirty && !self.session.is_dirty() {
            // Redraw so the top bar says "Saved".
            ctx.request_repaint();
        }
        if self.session.save_pending() || self.ui_state.toasts.any() {
            ctx.request_repaint_after(Duration::from_millis(250));
        }
    }
}

impl eframe::App for KithApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn on_exit(&mut self) {
        self.shutdown();
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let (true, Some(ctx)) = (self.persist, &self.ctx) {
            eframe::set_value(
                storage,
                prefs::STORAGE_KEY,
                &prefs::Prefs::capture(ctx, &self.ui_state),
            );
        }
    }

    fn persist_egui_memory(&self) -> bool {
        self.persist
    }
}
