//! Import and export in the GUI: file dialogs and drag-and-drop, reading on
//! a background thread, and an import preview where each match is decided
//! (merge, keep both, skip) before anything is written.
//!
//! Files are picked with the system's dialog when there is one. When there
//! is none (Linux without xdg-desktop-portal's file chooser or zenity, as
//! in a plain X11 session or many tiling window managers) kith's own
//! chooser ([`super::file_chooser`]) opens instead; every failure is a
//! toast with its reason, never a silent cancel.

use super::file_chooser::{self, FileChooser, Filter, Outcome};
use super::{Command, ToastKind, ViewCtx};
use crate::exchange::{
    ImportError, ImportFormat, ImportPreview, Incoming, MatchChoice, Skipped, export, vcard,
};
use crate::model::PersonId;
use chrono::NaiveDate;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::Duration;

type ReadResult = Result<Read, String>;

/// What a file read for import turned out to be.
enum Read {
    /// Contacts: the file name, the format, the people and what was skipped.
    Contacts(String, ImportFormat, Vec<Incoming>, Vec<Skipped>),
    /// A calendar, mail or chat export, previewed by [`super::history_view`].
    History(super::history_view::Harvested),
}

/// A photo read for a person: its bytes as kith stores them, or why not.
type PhotoRead = Receiver<Result<Vec<u8>, String>>;

/// Something asked of import/export (by the menu or a [`Command`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// Pick a contacts file and import it.
    Import,
    /// Pick a calendar, mail or chat export and import it.
    ImportHistory,
    /// Pick a Maildir folder and import its mail.
    ImportFolder,
    /// Export these people (everyone when `None`) in a format.
    Export(ExportKind, Option<Vec<PersonId>>),
    /// Pick a photo for a person.
    Photo(PersonId),
}

/// What a file is being picked for.
enum Purpose {
    Import,
    ImportHistory,
    ImportFolder,
    /// The export as rendered when it was asked for.
    Export(ExportKind, String),
    Photo(PersonId),
}

/// The system dialog's answer.
enum Picked {
    Path(PathBuf),
    Cancelled,
    /// No system dialog can open here: why.
    Unavailable(String),
}

/// Import/export state.
#[derive(Default)]
pub struct ExchangeState {
    reading: Option<(String, Receiver<ReadResult>)>,
    /// The preview being decided (public for tests).
    pub preview: Option<ImportPreview>,
    /// Use kith's own file chooser instead of the system's dialog. Tests set
    /// it so no real dialog opens; it is set too once the system dialog
    /// turned out not to be available.
    pub in_app_chooser: bool,
    requests: Vec<Request>,
    dialog: Option<(Purpose, Receiver<Picked>)>,
    chooser: Option<(Purpose, FileChooser)>,
    saves: Vec<Receiver<Result<PathBuf, String>>>,
    photo_reads: Vec<(PersonId, PhotoRead)>,
    /// Woken when a request arrives between frames.
    ctx: Option<egui::Context>,
    /// A calendar, mail or chat export read, for the history preview.
    harvested: Option<super::history_view::Harvested>,
    /// The menu asked for the calendar subscription form.
    subscribe: bool,
    /// Today as the app sees it (fixed in tests), for history reads.
    today: Option<NaiveDate>,
}

impl ExchangeState {
    /// True while a file is being read.
    pub fn is_reading(&self) -> bool {
        self.reading.is_some()
    }

    /// True while anything runs in the background: a dialog, a read, a
    /// write.
    pub fn is_busy(&self) -> bool {
        self.reading.is_some()
            || self.dialog.is_some()
            || !self.saves.is_empty()
            || !self.photo_reads.is_empty()
            || !self.requests.is_empty()
    }

    /// True while kith's own file chooser is open.
    pub fn chooser_open(&self) -> bool {
        self.chooser.is_some()
    }

    /// A calendar, mail or chat export that was read, once.
    pub fn take_harvested(&mut self) -> Option<super::history_view::Harvested> {
        self.harvested.take()
    }

    /// Whether the menu asked for the calendar subscription form (once).
    pub fn take_subscribe(&mut self) -> bool {
        std::mem::take(&mut self.subscribe)
    }

    /// Ask for an import, an export or a photo; handled in the next frame.
    pub fn request(&mut self, request: Request) {
        self.requests.push(request);
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
    }
}

/// Export formats offered in the menu and the palette
/// (`Command::StartExport(ExportKind)`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportKind {
    /// vCard 4.0.
    Vcard4,
    /// vCard 3.0.
    Vcard3,
    /// Google CSV.
    Csv,
    /// Newsletter list (consent Yes only).
    Newsletter,
    /// Follow-ups as .ics.
    Ics,
}

impl ExportKind {
    /// Every format, in menu order.
    pub const ALL: [ExportKind; 5] = [
        ExportKind::Vcard4,
        ExportKind::Vcard3,
        ExportKind::Csv,
        ExportKind::Newsletter,
        ExportKind::Ics,
    ];

    fn extension(self) -> &'static str {
        match self {
            ExportKind::Vcard4 | ExportKind::Vcard3 => "vcf",
            ExportKind::Csv | ExportKind::Newsletter => "csv",
            ExportKind::Ics => "ics",
        }
    }

    /// The format's name in menus.
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::Vcard4 => "vCard 4.0",
            ExportKind::Vcard3 => "vCard 3.0 (older clients)",
            ExportKind::Csv => "Google Contacts CSV",
            ExportKind::Newsletter => "Newsletter list (consented only)",
            ExportKind::Ics => "Follow-ups calendar (.ics)",
        }
    }

    /// The save dialog's title for this format.
    fn export_title(self) -> &'static str {
        match self {
            ExportKind::Vcard4 => "Export as vCard 4.0",
            ExportKind::Vcard3 => "Export as vCard 3.0",
            ExportKind::Csv => "Export as Google Contacts CSV",
            ExportKind::Newsletter => "Export the newsletter list",
            ExportKind::Ics => "Export follow-ups as a calendar",
        }
    }

    /// The file name suggested for an export made on `today`, e.g.
    /// `kith-newsletter-2026-12-01.csv`.
    pub fn suggested_name(self, today: NaiveDate) -> String {
        let what = match self {
            ExportKind::Vcard4 => "contacts",
            ExportKind::Vcard3 => "contacts-vcard3",
            ExportKind::Csv => "contacts-google",
            ExportKind::Newsletter => "newsletter",
            ExportKind::Ics => "follow-ups",
        };
        format!(
            "kith-{what}-{}.{}",
            today.format("%Y-%m-%d"),
            self.extension()
        )
    }
}

/// Where a save starts: the user's Documents folder, else Downloads, else
/// Home; never the process's working folder.
pub fn save_folder() -> Option<PathBuf> {
    let places = file_chooser::places();
    ["Documents", "Downloads", "Home"]
        .into_iter()
        .find_map(|name| {
            places
                .iter()
                .find(|(label, dir)| *label == name && dir.is_dir())
                .map(|(_, dir)| dir.clone())
        })
}

/// Where opening a file starts: the folder used last, else Downloads, else
/// Documents, else Home.
fn open_folder(ctx: Option<&egui::Context>) -> Option<PathBuf> {
    ctx.and_then(file_chooser::last_folder).or_else(|| {
        file_chooser::places()
            .into_iter()
            .map(|(_, p)| p)
            .find(|p| p.is_dir())
    })
}

const CONTACT_FILTERS: [Filter; 2] = [
    Filter {
        name: "Contacts (vcf, vcard, csv)",
        extensions: &["vcf", "vcard", "csv"],
    },
    Filter {
        name: "All files",
        extensions: &[],
    },
];

/// What "Import calendar, mail or chat" offers first.
const HISTORY_FILTERS: [Filter; 2] = [
    Filter {
        name: "Calendars, mail and chats (ics, mbox, txt, json, csv)",
        extensions: &["ics", "ical", "ifb", "mbox", "mbx", "txt", "json", "csv"],
    },
    Filter {
        name: "All files",
        extensions: &[],
    },
];

const PHOTO_FILTERS: [Filter; 2] = [
    Filter {
        name: "Photos (jpg, png)",
        extensions: &["jpg", "jpeg", "png"],
    },
    Filter {
        name: "All files",
        extensions: &[],
    },
];

/// How long the desktop portal may take to say whether it has a file chooser.
#[cfg(all(unix, not(target_os = "macos")))]
const PORTAL_PROBE_TIMEOUT: Duration = Duration::from_secs(4);

/// Why no system file dialog can open here, or `None` when one can.
///
/// rfd 0.15's xdg-portal backend asks `org.freedesktop.portal.FileChooser`
/// over the D-Bus session bus; when that call fails it runs `zenity`, and
/// when that fails too it returns `None`, the same as a cancel. So kith asks
/// first: it reads the portal's FileChooser `version` property (which fails
/// when no portal, or no portal backend with a file chooser, is reachable)
/// and looks for `zenity` on PATH. The answer is kept for the session.
#[cfg(all(unix, not(target_os = "macos")))]
fn native_unavailable() -> Option<String> {
    static ANSWER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    ANSWER
        .get_or_init(|| {
            let portal = match portal_file_chooser() {
                Ok(()) => return None,
                Err(why) => why,
            };
            if on_path("zenity") {
                return None;
            }
            Some(format!(
                "The system file dialog is not available ({portal}; zenity is not installed), so kith shows its own."
            ))
        })
        .clone()
}

#[cfg(not(all(unix, not(target_os = "macos"))))]
fn native_unavailable() -> Option<String> {
    None
}

/// True when an executable of this name is on PATH.
#[cfg(all(unix, not(target_os = "macos")))]
fn on_path(program: &str) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            std::fs::metadata(dir.join(program))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Ask the desktop portal whether it has a file chooser.
#[cfg(all(unix, not(target_os = "macos")))]
fn portal_file_chooser() -> Result<(), String> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let answer = block_on(async {
            let connection = zbus::Connection::session().await?;
            connection
                .call_method(
                    Some("org.freedesktop.portal.Desktop"),
                    "/org/freedesktop/portal/desktop",
                    Some("org.freedesktop.DBus.Properties"),
                    "Get",
                    &("org.freedesktop.portal.FileChooser", "version"),
                )
                .await
                .map(|_| ())
        });
        let _ = sender.send(answer.map_err(|e| match e {
            zbus::Error::MethodError(name, _, _) => {
                format!("no desktop portal with a file chooser ({name})")
            }
            other => format!("no D-Bus session for the desktop portal: {other}"),
        }));
    });
    receiver
        .recv_timeout(PORTAL_PROBE_TIMEOUT)
        .unwrap_or_else(|_| Err("the desktop portal did not answer".into()))
}

/// Run a future to completion on this thread (zbus drives its own I/O).
#[cfg(all(unix, not(target_os = "macos")))]
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut context = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        match future.as_mut().poll(&mut context) {
            Poll::Ready(output) => return output,
            Poll::Pending => std::thread::park(),
        }
    }
}

/// Read and parse a contacts file, or a calendar, mail or chat export
/// (runs on a helper thread).
fn read_file(path: &Path, today: NaiveDate) -> ReadResult {
    if let Some(read) = super::history_view::read_history(path, today) {
        return read.map(Read::History);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = crate::storage::guard::shown(path);
    let bytes = crate::storage::guard::read_import(path, crate::storage::guard::IMPORT_FILE_CAP)
        .map_err(|e| format!("Cannot import {shown}: {e}"))?;
    crate::exchange::read_contacts(&bytes)
        .map(|(format, incoming, skipped)| Read::Contacts(name, format, incoming, skipped))
        .map_err(|e: ImportError| format!("{shown}: {e}"))
}

/// Read a photo file and make it what kith stores (runs on a helper thread).
fn read_photo(path: &Path) -> Result<Vec<u8>, String> {
    let shown = crate::storage::guard::shown(path);
    crate::storage::guard::read_import(path, crate::storage::guard::IMPORT_FILE_CAP)
        .map_err(|e| format!("{shown}: {e}"))
        .and_then(|bytes| crate::photo::normalize(&bytes).map_err(|why| format!("{shown}: {why}")))
}

/// Start reading a file on a background thread.
pub fn start_import(state: &mut ExchangeState, path: PathBuf) {
    let (sender, receiver) = channel();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let today = state
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    std::thread::spawn(move || {
        let _ = sender.send(read_file(&path, today));
    });
    state.reading = Some((name, receiver));
}

/// Render an export to text.
pub fn render_export(
    kind: ExportKind,
    view_ctx: &ViewCtx<'_>,
    people: &[PersonId],
) -> Result<String, String> {
    let model = view_ctx.model;
    let list: Vec<&crate::model::Person> = people
        .iter()
        .filter_map(|id| model.people.get(id))
        .collect();
    // Stored photos go into vCard exports; one that cannot be read is left out.
    let photo = |person: &crate::model::Person| {
        view_ctx.data_dir.and_then(|root| {
            crate::storage::photos::read_photo(root, person.id)
                .ok()
                .flatten()
        })
    };
    match kind {
        ExportKind::Vcard4 => Ok(vcard::write_cards_with(
            list,
            vcard::VcardVersion::V4,
            photo,
        )),
        ExportKind::Vcard3 => Ok(vcard::write_cards_with(
            list,
            vcard::VcardVersion::V3,
            photo,
        )),
        ExportKind::Csv => export::google_csv(list),
        ExportKind::Newsletter => export::newsletter_csv(list, &view_ctx.consent_held),
        ExportKind::Ics => Ok(export::follow_ups_ics(
            model,
            None,
            chrono::Utc::now().naive_utc(),
        )),
    }
}

/// Write an export file atomically.
pub fn write_export(path: &Path, text: &str) -> Result<(), String> {
    crate::storage::atomic::write_export(path, text.as_bytes())
        .map_err(|e| format!("Cannot write {}: {e}", crate::storage::guard::shown(path)))
}

/// The Import/Export menu in the top bar.
pub fn menu_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, state: &mut ExchangeState, shown: &[PersonId]) {
    ui.menu_button("Import / Export", |ui| {
        if ui.button("Import contacts…").on_hover_text("vCard, Google or Outlook CSV, LinkedIn Connections.csv. You can also drop a file on the window.").clicked() {
            state.request(Request::Import);
            ui.close();
        }
        if ui.button("Import calendar, mail or chat…").on_hover_text("An .ics calendar, an mbox, a WhatsApp or Signal chat, Telegram's result.json or LinkedIn's messages.csv: a preview shows what it will log first.").clicked() {
            state.request(Request::ImportHistory);
            ui.close();
        }
        if ui.button("Import mail folder (Maildir)…").on_hover_text("A folder with cur and new inside").clicked() {
            state.request(Request::ImportFolder);
            ui.close();
        }
        if ui.button("Subscribe to a calendar URL…").clicked() {
            state.subscribe = true;
            ui.close();
        }
        ui.separator();
        let everyone = view_ctx.model.live_people().count();
        for (label, count, people) in [
            ("Export everyone", everyone, None),
            ("Export the people shown", shown.len(), Some(shown)),
        ] {
            ui.menu_button(format!("{label} ({count})"), |ui| {
                for kind in [ExportKind::Vcard4, ExportKind::Vcard3, ExportKind::Csv, ExportKind::Newsletter] {
                    if ui.button(kind.label()).clicked() {
                        state.request(Request::Export(kind, people.map(<[PersonId]>::to_vec)));
                        ui.close();
                    }
                }
            });
        }
        if ui.button(ExportKind::Ics.label()).clicked() {
            state.request(Request::Export(ExportKind::Ics, None));
            ui.close();
        }
    });
}

/// Start what was asked: render an export, then open a dialog.
fn handle_request(
    state: &mut ExchangeState,
    request: Request,
    view_ctx: &ViewCtx<'_>,
) -> Result<(), String> {
    let purpose = match request {
        Request::Import => Purpose::Import,
        Request::ImportHistory => Purpose::ImportHistory,
        Request::ImportFolder => Purpose::ImportFolder,
        Request::Photo(id) => Purpose::Photo(id),
        Request::Export(kind, people) => {
            let people =
                people.unwrap_or_else(|| view_ctx.model.live_people().map(|p| p.id).collect());
            Purpose::Export(kind, render_export(kind, view_ctx, &people)?)
        }
    };
    open_dialog(state, purpose, view_ctx.today, None);
    Ok(())
}

/// Open the system dialog on a helper thread, or kith's own chooser (with
/// `note` saying why) when the system's cannot open.
fn open_dialog(
    state: &mut ExchangeState,
    purpose: Purpose,
    today: NaiveDate,
    note: Option<String>,
) {
    if state.chooser.is_some() || state.dialog.is_some() {
        return;
    }
    let (title, save_name) = match &purpose {
        Purpose::Import => ("Import contacts", None),
        Purpose::ImportHistory => ("Import a calendar, mail or a chat", None),
        Purpose::ImportFolder => ("Import a mail folder (Maildir)", None),
        Purpose::Photo(_) => ("Choose a photo", None),
        Purpose::Export(kind, _) => (kind.export_title(), Some(kind.suggested_name(today))),
    };
    let start = match save_name {
        Some(_) => save_folder(),
        None => open_folder(state.ctx.as_ref()),
    };
    let folder = matches!(purpose, Purpose::ImportFolder);
    let filters: &[Filter] = match &purpose {
        Purpose::Import => &CONTACT_FILTERS,
        Purpose::ImportHistory => &HISTORY_FILTERS,
        Purpose::ImportFolder => &[],
        Purpose::Photo(_) => &PHOTO_FILTERS,
        Purpose::Export(..) => &[],
    };
    if state.in_app_chooser || note.is_some() {
        let start = start.unwrap_or_else(|| PathBuf::from("/"));
        let chooser = match &save_name {
            Some(name) => FileChooser::save(title, &start, name),
            None if folder => FileChooser::folder(title, &start),
            None => FileChooser::open(title, filters.to_vec(), &start),
        };
        let chooser = match note {
            Some(note) => chooser.with_note(note),
            None => chooser,
        };
        state.chooser = Some((purpose, chooser));
        return;
    }
    let filters = filters.to_vec();
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        if let Some(why) = native_unavailable() {
            let _ = sender.send(Picked::Unavailable(why));
            return;
        }
        let mut dialog = rfd::FileDialog::new().set_title(title);
        if let Some(start) = &start {
            dialog = dialog.set_directory(start);
        }
        let picked = match save_name {
            Some(name) => dialog.set_file_name(name).save_file(),
            None if folder => dialog.pick_folder(),
            None => {
                for filter in &filters {
                    let extensions: &[&str] = if filter.extensions.is_empty() {
                        &["*"]
                    } else {
                        filter.extensions
                    };
                    dialog = dialog.add_filter(filter.name, extensions);
                }
                dialog.pick_file()
            }
        };
        let _ = sender.send(picked.map_or(Picked::Cancelled, Picked::Path));
    });
    state.dialog = Some((purpose, receiver));
}

/// Act on a chosen path: read the import or the photo, write the export.
fn use_path(state: &mut ExchangeState, purpose: Purpose, path: PathBuf) {
    match purpose {
        Purpose::Import | Purpose::ImportHistory | Purpose::ImportFolder => {
            start_import(state, path)
        }
        Purpose::Export(_, text) => {
            let (sender, receiver) = channel();
            std::thread::spawn(move || {
                let _ = sender.send(write_export(&path, &text).map(|()| path));
            });
            state.saves.push(receiver);
        }
        Purpose::Photo(id) => {
            let (sender, receiver) = channel();
            std::thread::spawn(move || {
                let _ = sender.send(read_photo(&path));
            });
            state.photo_reads.push((id, receiver));
        }
    }
}

/// Poll the background work; turn its results into a preview, commands or
/// toasts, and start what was asked for.
pub fn poll(state: &mut ExchangeState, view_ctx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    state.today = Some(view_ctx.today);
    for request in std::mem::take(&mut state.requests) {
        if let Err(why) = handle_request(state, request, view_ctx) {
            commands.push(Command::Notify(ToastKind::Error, why));
        }
    }
    if let Some((_, receiver)) = &state.dialog {
        let answer = match receiver.try_recv() {
            Ok(answer) => Some(answer),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Picked::Unavailable(
                "The system file dialog stopped without an answer, so kith shows its own.".into(),
            )),
        };
        if let Some(answer) = answer
            && let Some((purpose, _)) = state.dialog.take()
        {
            match answer {
                Picked::Path(path) => {
                    if let Some(ctx) = &state.ctx {
                        file_chooser::remember_folder(ctx, &path);
                    }
                    use_path(state, purpose, path);
                }
                Picked::Cancelled => {}
                Picked::Unavailable(why) => {
                    // From now on, straight to kith's own chooser.
                    state.in_app_chooser = true;
                    open_dialog(state, purpose, view_ctx.today, Some(why));
                }
            }
        }
    }
    state.saves.retain(|receiver| match receiver.try_recv() {
        Ok(Ok(path)) => {
            commands.push(Command::Notify(
                ToastKind::Info,
                format!("Exported to {}", crate::storage::guard::shown(&path)),
            ));
            false
        }
        Ok(Err(message)) => {
            commands.push(Command::Notify(ToastKind::Error, message));
            false
        }
        Err(TryRecvError::Empty) => true,
        Err(TryRecvError::Disconnected) => {
            commands.push(Command::Notify(
                ToastKind::Error,
                "The export stopped before it was written.".into(),
            ));
            false
        }
    });
    state
        .photo_reads
        .retain(|(id, receiver)| match receiver.try_recv() {
            Ok(Ok(bytes)) => {
                commands.push(Command::SavePhotos(vec![(*id, bytes)]));
                false
            }
            Ok(Err(message)) => {
                commands.push(Command::Notify(
                    ToastKind::Error,
                    format!("Photo not used: {message}"),
                ));
                false
            }
            Err(TryRecvError::Empty) => true,
            Err(TryRecvError::Disconnected) => false,
        });
    let Some((_, receiver)) = &state.reading else {
        return;
    };
    let Ok(result) = receiver.try_recv() else {
        return;
    };
    state.reading = None;
    match result {
        Ok(Read::History(harvested)) => state.harvested = Some(harvested),
        Ok(Read::Contacts(source, format, incoming, skipped)) => {
            state.preview = Some(ImportPreview::from_parts(
                &source,
                format,
                incoming,
                skipped,
                view_ctx.model,
            ));
        }
        Err(message) => commands.push(Command::Notify(ToastKind::Error, message)),
    }
}

/// Kith's own file chooser, while it is open.
fn chooser_window_ui(ctx: &egui::Context, state: &mut ExchangeState) {
    let Some((_, chooser)) = state.chooser.as_mut() else {
        return;
    };
    match file_chooser::chooser_ui(ctx, chooser) {
        Outcome::Open => {}
        Outcome::Cancelled => state.chooser = None,
        Outcome::Chosen(path) => {
            if let Some((purpose, _)) = state.chooser.take() {
                use_path(state, purpose, path);
            }
        }
    }
}

/// The file chooser and the import preview window.
pub fn preview_ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut ExchangeState,
    commands: &mut Vec<Command>,
) {
    state.ctx = Some(ctx.clone());
    chooser_window_ui(ctx, state);
    if state.is_busy() {
        ctx.request_repaint_after(Duration::from_millis(100));
    }
    if let Some((name, _)) = &state.reading {
        egui::Window::new("Reading file")
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(format!("Reading {name}…"));
                ui.add(egui::ProgressBar::new(0.5).animate(true));
            });
    }
    let Some(preview) = state.preview.as_mut() else {
        return;
    };
    let mut close = false;
    // Opens in the same place every time: centred, below the top bar.
    let top_centre = ctx.content_rect().center_top() + egui::vec2(0.0, 96.0);
    egui::Window::new("Import preview")
        .collapsible(false)
        .default_width(640.0)
        .default_height(480.0)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(top_centre)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(format!("{} — {}", preview.source, preview.format.label())).strong(),
            );
            ui.label(format!(
                "{} new people · {} match people you have · {} skipped",
                preview.new_count(),
                preview.match_count(),
                preview.skipped.len()
            ));
            ui.label(
                "Nothing is written until you press Import. The whole import is one undo step.",
            );
            if preview.match_count() > 0 {
                ui.horizontal(|ui| {
                    ui.label("All matches:");
                    if ui.button("Merge all").clicked() {
                        preview.choose_all(MatchChoice::Merge);
                    }
                    if ui.button("Keep all as new").clicked() {
                        preview.choose_all(MatchChoice::KeepBoth);
                    }
                    if ui.button("Skip all").clicked() {
                        preview.choose_all(MatchChoice::Skip);
                    }
                });
            }
            // What each merge would change, from the choices as they stand.
            let changes: Vec<Vec<crate::exchange::changes::FieldChange>> =
                (0..preview.incoming.len())
                    .map(|index| preview.changes(index, view_ctx.model))
                    .collect();
            let match_names: Vec<Option<String>> = (0..preview.incoming.len())
                .map(|index| preview.match_name(index, view_ctx.model))
                .collect();
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    for (index, item) in preview.incoming.iter_mut().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(&item.person.name);
                            if let Some(email) = item.person.primary_email() {
                                ui.weak(email);
                            }
                            match &item.matched {
                                Some((_, reason)) => {
                                    ui.label(format!(
                                        "matches {} ({})",
                                        match_names
                                            .get(index)
                                            .cloned()
                                            .flatten()
                                            .unwrap_or_default(),
                                        reason.label()
                                    ));
                                    ui.push_id(index, |ui| {
                                        ui.selectable_value(
                                            &mut item.choice,
                                            MatchChoice::Merge,
                                            "Merge",
                                        );
                                        ui.selectable_value(
                                            &mut item.choice,
                                            MatchChoice::KeepBoth,
                                            "Keep both",
                                        );
                                        ui.selectable_value(
                                            &mut item.choice,
                                            MatchChoice::Skip,
                                            "Skip",
                                        );
                                    });
                                }
                                None => {
                                    ui.weak("new");
                                }
                            }
                        });
                        if let Some(changes) = changes.get(index).filter(|c| !c.is_empty()) {
                            egui::CollapsingHeader::new(format!(
                                "Merge changes {} field{}",
                                changes.len(),
                                if changes.len() == 1 { "" } else { "s" }
                            ))
                            .id_salt(("merge_changes", index))
                            .default_open(changes.len() <= 4)
                            .show(ui, |ui| {
                                egui::Grid::new(("changes_grid", index))
                                    .num_columns(2)
                                    .spacing([12.0, 2.0])
                                    .show(ui, |ui| {
                                        for change in changes {
                                            ui.weak(change.field);
                                            ui.horizontal_wrapped(|ui| {
                                                if change.old.is_empty() {
                                                    ui.weak("(none)");
                                                } else {
                                                    ui.label(&change.old);
                                                }
                                                ui.label("->");
                                                ui.label(RichText::new(&change.new).strong());
                                            });
                                            ui.end_row();
                                        }
                                    });
                            });
                        }
                        if item.choice == MatchChoice::Merge
                            && let Some(note) = item.merge_note(view_ctx.model)
                        {
                            ui.colored_label(ui.visuals().warn_fg_color, format!("  {note}"));
                        }
                        for warning in &item.warnings {
                            ui.colored_label(ui.visuals().warn_fg_color, format!("  {warning}"));
                        }
                    }
                    if !preview.skipped.is_empty() {
                        ui.separator();
                        ui.label(RichText::new("Skipped").strong());
                        for skipped in &preview.skipped {
                            ui.label(format!("line {}: {}", skipped.line, skipped.reason));
                        }
                    }
                });
            ui.horizontal(|ui| {
                if ui.button("Import").clicked() {
                    let photos = preview.photos_to_save(|id| {
                        view_ctx.data_dir.is_some_and(|root| {
                            crate::storage::photos::read_photo(root, id).is_ok_and(|p| p.is_some())
                        })
                    });
                    commands.push(Command::Apply(preview.to_action(view_ctx.model)));
                    if !photos.is_empty() {
                        commands.push(Command::SavePhotos(photos));
                    }
                    commands.push(Command::Notify(
                        ToastKind::Info,
                        format!("Imported {}. Undo with Ctrl+Z.", preview.source),
                    ));
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    if close {
        state.preview = None;
    }
}
