//! kith's own file chooser, for when the system's dialog cannot open (a
//! plain X11 session or a tiling window manager without xdg-desktop-portal
//! or zenity): a path field with completion (Tab completes, Up/Down pick a
//! match, Enter opens or chooses), places (Downloads first, then Documents
//! and Home) and the folders used last, folder browsing by click, a type
//! filter when opening and a file name when saving. Esc cancels.
//!
//! Listings never follow symbolic links: a link is shown and marked, and is
//! only resolved when it is clicked. A listing holds at most
//! [`LISTING_CAP`] entries; typing narrows it.

use super::style;
use egui::{Key, Modifiers, RichText, Ui};
use std::path::{Path, PathBuf};

/// At most this many entries of one folder are read and shown.
pub const LISTING_CAP: usize = 2_000;

/// How many recent folders are remembered.
const RECENT_MAX: usize = 6;

/// Where the recent folders live in egui's persisted memory (the platform
/// config folder through eframe, never the data folder).
const RECENT_KEY: &str = "kith_recent_folders";

/// What one entry of a folder is, read without following links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// A folder.
    Folder,
    /// A regular file.
    File,
    /// A symbolic link, with the text of its target when it can be read.
    Link(Option<String>),
    /// Anything else (a pipe, a socket, a device).
    Other,
}

/// One entry of a folder listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The file name (lossy for names that are not UTF-8).
    pub name: String,
    /// What it is.
    pub kind: EntryKind,
}

/// A folder's entries: folders first, then by name, case-insensitively.
#[derive(Clone, Debug)]
pub struct Listing {
    /// The folder listed.
    pub dir: PathBuf,
    /// Its entries (at most [`LISTING_CAP`]).
    pub entries: Vec<Entry>,
    /// True when the folder held more entries than were read.
    pub more: bool,
    /// Why the folder could not be read.
    pub error: Option<String>,
}

/// Read a folder, at most `cap` entries, without following any link.
pub fn list_dir(dir: &Path, cap: usize) -> Listing {
    let mut listing = Listing {
        dir: dir.to_path_buf(),
        entries: Vec::new(),
        more: false,
        error: None,
    };
    let reader = match std::fs::read_dir(dir) {
        Ok(reader) => reader,
        Err(e) => {
            listing.error = Some(format!(
                "Cannot read {}: {e}",
                crate::storage::guard::shown(dir)
            ));
            return listing;
        }
    };
    for entry in reader {
        if listing.entries.len() >= cap {
            listing.more = true;
            break;
        }
        let Ok(entry) = entry else { continue };
        let name = entry.file_name().to_string_lossy().into_owned();
        // `file_type` comes from the folder itself (lstat at most): a link
        // stays a link.
        let kind = match entry.file_type() {
            Ok(t) if t.is_symlink() => EntryKind::Link(
                std::fs::read_link(entry.path())
                    .ok()
                    .map(|target| crate::storage::guard::shown(&target)),
            ),
            Ok(t) if t.is_dir() => EntryKind::Folder,
            Ok(t) if t.is_file() => EntryKind::File,
            _ => EntryKind::Other,
        };
        listing.entries.push(Entry { name, kind });
    }
    listing.entries.sort_by_cached_key(|e| {
        (
            e.kind != EntryKind::Folder,
            e.name.to_lowercase(),
            e.name.clone(),
        )
    });
    listing
}

/// A type filter for opening: a name and the extensions it accepts (empty:
/// every file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    /// Shown in the type menu.
    pub name: &'static str,
    /// Lower-case extensions without the dot.
    pub extensions: &'static [&'static str],
}

impl Filter {
    /// True when `name` has one of the extensions (or the filter takes all).
    pub fn accepts(&self, name: &str) -> bool {
        self.extensions.is_empty()
            || Path::new(name)
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .is_some_and(|e| self.extensions.contains(&e.as_str()))
    }
}

/// Opening a file or saving one.
#[derive(Clone, Debug)]
pub enum Mode {
    /// Pick an existing file, with type filters (the first is chosen).
    Open(Vec<Filter>),
    /// Name a file to write.
    Save,
    /// Pick a folder (only folders are listed).
    Folder,
}

/// What the chooser ended with this frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Still open.
    Open,
    /// Esc or Cancel.
    Cancelled,
    /// A path was chosen.
    Chosen(PathBuf),
}

/// The user's places: Downloads first, then Documents, then Home.
pub fn places() -> Vec<(&'static str, PathBuf)> {
    let Some(dirs) = directories::UserDirs::new() else {
        return Vec::new();
    };
    let home = dirs.home_dir();
    // Without xdg-user-dirs' configuration the platform names no Downloads
    // or Documents; the usual folders in Home stand in when they exist.
    let usual = |name: &str| Some(home.join(name)).filter(|p| p.is_dir());
    let mut out = Vec::new();
    if let Some(dir) = dirs
        .download_dir()
        .map(Path::to_path_buf)
        .or_else(|| usual("Downloads"))
    {
        out.push(("Downloads", dir));
    }
    if let Some(dir) = dirs
        .document_dir()
        .map(Path::to_path_buf)
        .or_else(|| usual("Documents"))
    {
        out.push(("Documents", dir));
    }
    out.push(("Home", home.to_path_buf()));
    out
}

/// Replace a leading `~` by the home folder.
fn expand_home(text: &str) -> PathBuf {
    let home = || directories::UserDirs::new().map(|d| d.home_dir().to_path_buf());
    if text == "~" {
        if let Some(home) = home() {
            return home;
        }
    } else if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = home()
    {
        return home.join(rest);
    }
    PathBuf::from(text)
}

/// Split typed text into the folder it names and the start of a name in it:
/// `"/tmp/ab"` is (`/tmp`, `"ab"`), `"/tmp/"` is (`/tmp`, `""`). Relative
/// text is taken inside `base`.
pub fn split_typed(text: &str, base: &Path) -> (PathBuf, String) {
    let (dir, prefix) = match text.rfind('/') {
        Some(at) => (&text[..=at], &text[at + 1..]),
        None if text == "~" => ("~/", ""),
        None => ("", text),
    };
    let dir = if dir.is_empty() {
        base.to_path_buf()
    } else {
        let expanded = expand_home(dir);
        if expanded.is_absolute() {
            expanded
        } else {
            base.join(expanded)
        }
    };
    (dir, prefix.to_string())
}

/// The text of a folder path with a trailing separator, as typed.
fn folder_text(dir: &Path) -> String {
    let mut text = dir.to_string_lossy().into_owned();
    if !text.ends_with('/') {
        text.push('/');
    }
    text
}

/// The longest start shared by every name, compared case-insensitively
/// (taken from the first name).
pub fn common_prefix<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let mut names = names.into_iter();
    let Some(first) = names.next() else {
        return String::new();
    };
    let mut len = first.len();
    for name in names {
        let shared: usize = first
            .chars()
            .zip(name.chars())
            .take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase()))
            .map(|(a, _)| a.len_utf8())
            .sum();
        len = len.min(shared);
    }
    first[..len].to_string()
}

/// The file chooser's state while it is open.
pub struct FileChooser {
    title: String,
    mode: Mode,
    filter: usize,
    /// The path field.
    path: String,
    /// The file name (saving only).
    name: String,
    listing: Option<Listing>,
    highlight: Option<usize>,
    /// Why kith's own chooser is showing (the system dialog's failure).
    note: Option<String>,
    focus_path: bool,
    /// A file that exists and will be replaced on the next Save.
    confirm_replace: Option<PathBuf>,
}

impl FileChooser {
    /// A chooser for opening a file, starting in `start`.
    pub fn open(title: &str, filters: Vec<Filter>, start: &Path) -> Self {
        Self::new(title, Mode::Open(filters), start, String::new())
    }

    /// A chooser for picking a folder, starting in `start`.
    pub fn folder(title: &str, start: &Path) -> Self {
        Self::new(title, Mode::Folder, start, String::new())
    }

    /// A chooser for saving, starting in `start` with `name` suggested.
    pub fn save(title: &str, start: &Path, name: &str) -> Self {
        Self::new(title, Mode::Save, start, name.to_string())
    }

    fn new(title: &str, mode: Mode, start: &Path, name: String) -> Self {
        Self {
            title: title.to_string(),
            mode,
            filter: 0,
            path: folder_text(start),
            name,
            listing: None,
            highlight: None,
            note: None,
            focus_path: true,
            confirm_replace: None,
        }
    }

    /// Say why kith's chooser shows instead of the system's.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    fn is_save(&self) -> bool {
        matches!(self.mode, Mode::Save)
    }

    fn is_folder(&self) -> bool {
        matches!(self.mode, Mode::Folder)
    }

    fn active_filter(&self) -> Option<&Filter> {
        match &self.mode {
            Mode::Open(filters) => filters.get(self.filter),
            Mode::Save | Mode::Folder => None,
        }
    }

    /// "Choose this folder": the folder typed, when it is one.
    fn accept_folder(&mut self) -> Outcome {
        let (dir, prefix) = self.typed();
        let target = if prefix.is_empty() {
            dir
        } else {
            dir.join(prefix)
        };
        if target.is_dir() {
            Outcome::Chosen(target)
        } else {
            Outcome::Open
        }
    }

    /// The folder the path field is in, and the name start typed after it.
    fn typed(&self) -> (PathBuf, String) {
        let base = self
            .listing
            .as_ref()
            .map(|l| l.dir.clone())
            .or_else(|| places().into_iter().next().map(|(_, p)| p))
            .unwrap_or_else(|| PathBuf::from("/"));
        split_typed(&self.path, &base)
    }

    /// Read the typed folder when it changed.
    fn refresh(&mut self) {
        let (dir, _) = self.typed();
        if self.listing.as_ref().is_none_or(|l| l.dir != dir) {
            self.listing = Some(list_dir(&dir, LISTING_CAP));
            self.highlight = None;
        }
    }

    /// Indices into the listing of the entries matching what is typed.
    fn matches(&self) -> Vec<usize> {
        let (_, prefix) = self.typed();
        let prefix = prefix.to_lowercase();
        let filter = self.active_filter();
        let Some(listing) = &self.listing else {
            return Vec::new();
        };
        listing
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                let lower = e.name.to_lowercase();
                lower.starts_with(&prefix)
                    && (prefix.starts_with('.') || !e.name.starts_with('.'))
                    && match e.kind {
                        EntryKind::File => {
                            !self.is_folder() && filter.is_none_or(|f| f.accepts(&e.name))
                        }
                        EntryKind::Other => false,
                        EntryKind::Folder | EntryKind::Link(_) => true,
                    }
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn entry(&self, index: usize) -> Option<&Entry> {
        self.listing.as_ref().and_then(|l| l.entries.get(index))
    }

    fn go_to(&mut self, dir: &Path) {
        self.path = folder_text(dir);
        self.highlight = None;
        self.confirm_replace = None;
        self.refresh();
    }

    /// Tab: complete the typed name as far as the matches agree.
    fn complete(&mut self) {
        self.refresh();
        let matches = self.matches();
        let (dir, prefix) = self.typed();
        let names: Vec<&str> = matches
            .iter()
            .filter_map(|&i| self.entry(i).map(|e| e.name.as_str()))
            .collect();
        if let [only] = names.as_slice() {
            let index = matches[0];
            let is_folder = self
                .entry(index)
                .is_some_and(|e| e.kind == EntryKind::Folder);
            let full = dir.join(only);
            if is_folder {
                self.go_to(&full);
            } else {
                self.path = full.to_string_lossy().into_owned();
                self.highlight = Some(0);
            }
            return;
        }
        let shared = common_prefix(names.iter().copied());
        if shared.len() > prefix.len() {
            self.path = dir.join(shared).to_string_lossy().into_owned();
            self.highlight = None;
        }
    }

    /// Open a folder or choose a file from the listing.
    fn activate(&mut self, index: usize) -> Outcome {
        let Some(entry) = self.entry(index).cloned() else {
            return Outcome::Open;
        };
        let dir = self.typed().0;
        let full = dir.join(&entry.name);
        match entry.kind {
            EntryKind::Folder => {
                self.go_to(&full);
                Outcome::Open
            }
            EntryKind::Link(_) => match std::fs::canonicalize(&full) {
                // A link is resolved only now that it was clicked, and the
                // real folder is what is shown from then on.
                Ok(real) if real.is_dir() => {
                    self.go_to(&real);
                    Outcome::Open
                }
                _ => self.pick_file(&dir, &entry.name),
            },
            EntryKind::File | EntryKind::Other => self.pick_file(&dir, &entry.name),
        }
    }

    fn pick_file(&mut self, dir: &Path, name: &str) -> Outcome {
        if self.is_save() {
            self.name = name.to_string();
            self.path = folder_text(dir);
            self.confirm_replace = None;
            Outcome::Open
        } else {
            Outcome::Chosen(dir.join(name))
        }
    }

    /// Enter in the path field, or the Open button.
    fn accept_path(&mut self) -> Outcome {
        if let Some(index) = self.highlight.and_then(|h| self.matches().get(h).copied()) {
            return self.activate(index);
        }
        let (dir, prefix) = self.typed();
        let target = if prefix.is_empty() {
            dir.clone()
        } else {
            dir.join(&prefix)
        };
        if target.is_dir() {
            self.go_to(&target);
            return Outcome::Open;
        }
        if self.is_save() {
            if !prefix.is_empty() {
                self.name = prefix;
                self.path = folder_text(&dir);
            }
            return self.accept_save();
        }
        Outcome::Chosen(target)
    }

    /// The Save button, or Enter in the name field.
    fn accept_save(&mut self) -> Outcome {
        let (dir, prefix) = self.typed();
        let dir = if prefix.is_empty() {
            dir
        } else {
            dir.join(prefix)
        };
        let name = self.name.trim();
        if name.is_empty() {
            return Outcome::Open;
        }
        let target = dir.join(name);
        let exists = std::fs::symlink_metadata(&target).is_ok();
        if exists && self.confirm_replace.as_deref() != Some(target.as_path()) {
            self.confirm_replace = Some(target);
            return Outcome::Open;
        }
        Outcome::Chosen(target)
    }
}

/// The recent folders, newest first.
fn recent(ctx: &egui::Context) -> Vec<String> {
    ctx.data_mut(|d| {
        d.get_persisted::<Vec<String>>(egui::Id::unique(RECENT_KEY))
            .unwrap_or_default()
    })
}

/// Remember the folder of a chosen path (newest first, no repeats).
pub fn remember_folder(ctx: &egui::Context, path: &Path) {
    let Some(dir) = path.parent() else { return };
    let dir = dir.to_string_lossy().into_owned();
    ctx.data_mut(|d| {
        let list = d.get_persisted_mut_or_default::<Vec<String>>(egui::Id::unique(RECENT_KEY));
        list.retain(|d| *d != dir);
        list.insert(0, dir);
        list.truncate(RECENT_MAX);
    });
}

/// The most recently used folder that still exists.
pub fn last_folder(ctx: &egui::Context) -> Option<PathBuf> {
    recent(ctx)
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_dir())
}

/// Draw the chooser as a modal window; say what it ended with.
pub fn chooser_ui(ctx: &egui::Context, chooser: &mut FileChooser) -> Outcome {
    chooser.refresh();
    let mut outcome = Outcome::Open;
    let width = (ctx.content_rect().width() - style::SPACE_L * 2.0).min(style::CHOOSER_WIDTH);
    let list_height = (ctx.content_rect().height() * style::CHOOSER_LIST_SHARE)
        .clamp(style::CHOOSER_LIST_MIN, style::CHOOSER_LIST_MAX);
    egui::Modal::new(egui::Id::unique("kith_file_chooser")).show(ctx, |ui| {
        ui.set_width(width);
        ui.label(
            RichText::new(&chooser.title)
                .size(style::TEXT_HEADING)
                .strong(),
        );
        if let Some(note) = &chooser.note {
            ui.label(style::caption_text(ui, note));
        }
        ui.add_space(style::SPACE_S);
        outcome = body_ui(ui, chooser, list_height);
    });
    if outcome == Outcome::Open && ctx.input_mut(|i| i.consume_key(Modifiers::NONE, Key::Escape)) {
        outcome = Outcome::Cancelled;
    }
    if let Outcome::Chosen(path) = &outcome {
        remember_folder(ctx, path);
    }
    outcome
}

fn body_ui(ui: &mut Ui, chooser: &mut FileChooser, list_height: f32) -> Outcome {
    let mut outcome = Outcome::Open;
    // Places and recent folders.
    ui.horizontal_wrapped(|ui| {
        let mut go = None;
        for (label, dir) in places() {
            if ui
                .button(label)
                .on_hover_text(crate::storage::guard::shown(&dir))
                .clicked()
            {
                go = Some(dir);
            }
        }
        let recent = recent(ui.ctx());
        if !recent.is_empty() {
            ui.label(style::caption_text(ui, "Recent:"));
        }
        for dir in recent {
            let dir = PathBuf::from(dir);
            let label = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| crate::storage::guard::shown(&dir));
            if ui
                .button(label)
                .on_hover_text(crate::storage::guard::shown(&dir))
                .clicked()
            {
                go = Some(dir);
            }
        }
        if let Some(dir) = go {
            chooser.go_to(&dir);
            chooser.focus_path = true;
        }
    });
    ui.add_space(style::SPACE_S);
    // The path field: Tab completes, Up/Down move through the matches,
    // Enter opens the folder or chooses the file.
    let label_text = if chooser.is_save() { "Folder" } else { "Path" };
    let path_response = ui
        .horizontal(|ui| {
            let label = ui.label(label_text);
            let up = ui.button("Up").on_hover_text("The folder above this one");
            let field = egui::TextEdit::singleline(&mut chooser.path)
                .id(egui::Id::unique("kith_chooser_path"))
                .desired_width(ui.available_width())
                .event_filter(egui::EventFilter {
                    tab: true,
                    horizontal_arrows: true,
                    vertical_arrows: true,
                    escape: false,
                })
                .hint_text("Type a path; Tab completes");
            let response = ui.add(field).labelled_by(label.id);
            if up.clicked() {
                let (dir, _) = chooser.typed();
                if let Some(parent) = dir.parent() {
                    chooser.go_to(parent);
                }
                chooser.focus_path = true;
            }
            response
        })
        .inner;
    if chooser.focus_path {
        path_response.request_focus();
        chooser.focus_path = false;
    }
    if path_response.changed() {
        chooser.highlight = None;
        chooser.confirm_replace = None;
        chooser.refresh();
    }
    let matches = chooser.matches();
    if path_response.has_focus() {
        let (tab, up, down) = ui.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::Tab),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
            )
        });
        if tab {
            chooser.complete();
            move_cursor_to_end(ui, path_response.id, &chooser.path);
        }
        if down && !matches.is_empty() {
            chooser.highlight = Some(
                chooser
                    .highlight
                    .map_or(0, |h| (h + 1).min(matches.len() - 1)),
            );
        }
        if up {
            chooser.highlight = chooser.highlight.and_then(|h| h.checked_sub(1));
        }
    }
    if path_response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
        outcome = chooser.accept_path();
        chooser.focus_path = true;
        if let Outcome::Open = outcome {
            move_cursor_to_end(ui, path_response.id, &chooser.path);
        }
    }
    // The matching entries.
    let matches = chooser.matches();
    let mut clicked = None;
    let mut chosen = None;
    egui::Frame::group(ui.style()).show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("kith_chooser_list")
            .max_height(list_height)
            .min_scrolled_height(list_height)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if let Some(error) = chooser.listing.as_ref().and_then(|l| l.error.clone()) {
                    ui.colored_label(style::error_color(ui), error);
                    return;
                }
                let empty = chooser
                    .listing
                    .as_ref()
                    .is_some_and(|l| l.entries.is_empty());
                if empty {
                    ui.label(style::caption_text(ui, "This folder is empty."));
                } else if matches.is_empty() {
                    ui.label(style::caption_text(ui, "Nothing here matches."));
                }
                for (row, &index) in matches.iter().enumerate() {
                    let Some(entry) = chooser.entry(index) else {
                        continue;
                    };
                    let text = match &entry.kind {
                        EntryKind::Folder => RichText::new(format!("{}/", entry.name)).strong(),
                        EntryKind::Link(target) => RichText::new(format!(
                            "{}  (link to {})",
                            entry.name,
                            target.as_deref().unwrap_or("?")
                        ))
                        .italics(),
                        EntryKind::File | EntryKind::Other => RichText::new(&entry.name),
                    };
                    let response = ui.selectable_label(chooser.highlight == Some(row), text);
                    if chooser.highlight == Some(row) {
                        response.scroll_to_me(None);
                    }
                    if response.double_clicked() {
                        chosen = Some(index);
                    } else if response.clicked() {
                        clicked = Some((row, index));
                    }
                }
                if chooser.listing.as_ref().is_some_and(|l| l.more) {
                    ui.label(style::caption_text(
                        ui,
                        &format!(
                            "Only the first {LISTING_CAP} entries are listed; type to narrow."
                        ),
                    ));
                }
            });
    });
    if let Some((row, index)) = clicked {
        let is_file = chooser
            .entry(index)
            .is_some_and(|e| matches!(e.kind, EntryKind::File | EntryKind::Other));
        if is_file && !chooser.is_save() {
            // One click selects a file, a second (or Open) chooses it.
            let dir = chooser.typed().0;
            if let Some(entry) = chooser.entry(index) {
                chooser.path = dir.join(&entry.name).to_string_lossy().into_owned();
            }
            chooser.highlight = Some(row);
        } else {
            outcome = chooser.activate(index);
        }
        chooser.focus_path = true;
    }
    if let Some(index) = chosen {
        outcome = chooser.activate(index);
    }
    ui.add_space(style::SPACE_S);
    if let Mode::Open(filters) = &chooser.mode
        && filters.len() > 1
    {
        let filters = filters.clone();
        ui.horizontal(|ui| {
            let label = ui.label("Show");
            egui::ComboBox::from_id_salt("kith_chooser_filter")
                .selected_text(filters.get(chooser.filter).map_or("", |f| f.name))
                .show_ui(ui, |ui| {
                    for (index, filter) in filters.iter().enumerate() {
                        if ui
                            .selectable_value(&mut chooser.filter, index, filter.name)
                            .clicked()
                        {
                            chooser.highlight = None;
                        }
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }
    if chooser.is_save() {
        ui.horizontal(|ui| {
            let label = ui.label("File name");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut chooser.name)
                        .id(egui::Id::unique("kith_chooser_name"))
                        .desired_width(ui.available_width()),
                )
                .labelled_by(label.id);
            if response.changed() {
                chooser.confirm_replace = None;
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                outcome = chooser.accept_save();
            }
        });
        if let Some(target) = &chooser.confirm_replace {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!(
                    "{} already exists. Press Replace to write over it.",
                    crate::storage::guard::shown(target)
                ),
            );
        }
    }
    ui.add_space(style::SPACE_S);
    ui.horizontal(|ui| {
        let action = if !chooser.is_save() {
            "Open"
        } else if chooser.confirm_replace.is_some() {
            "Replace"
        } else {
            "Save"
        };
        if chooser.is_folder() {
            if ui.button("Choose this folder").clicked() {
                outcome = chooser.accept_folder();
            }
        } else if ui.button(action).clicked() {
            outcome = if chooser.is_save() {
                chooser.accept_save()
            } else {
                chooser.accept_path()
            };
        }
        if ui.button("Cancel").clicked() {
            outcome = Outcome::Cancelled;
        }
        ui.label(style::caption_text(
            ui,
            "Tab completes, Up/Down pick, Enter opens, Esc cancels",
        ));
    });
    outcome
}

/// Put the cursor at the end of a text field after its text was replaced.
fn move_cursor_to_end(ui: &Ui, id: egui::Id, text: &str) {
    if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
        let end = egui::text::CCursor::new(text.chars().count());
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::one(end)));
        state.store(ui.ctx(), id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_typed_names_the_folder_and_the_start() {
        let base = Path::new("/base");
        assert_eq!(
            split_typed("/tmp/ab", base),
            (PathBuf::from("/tmp/"), "ab".to_string())
        );
        assert_eq!(
            split_typed("/tmp/", base),
            (PathBuf::from("/tmp/"), String::new())
        );
        assert_eq!(
            split_typed("ab", base),
            (PathBuf::from("/base"), "ab".into())
        );
        assert_eq!(
            split_typed("sub/x", base),
            (PathBuf::from("/base/sub/"), "x".into())
        );
    }

    #[test]
    fn common_prefix_ignores_case_and_keeps_the_first_spelling() {
        assert_eq!(common_prefix(["Contacts.vcf", "contacts.csv"]), "Contacts.");
        assert_eq!(common_prefix(["a", "b"]), "");
        assert_eq!(common_prefix(["émile", "émilie"]), "émil");
        assert_eq!(common_prefix(std::iter::empty::<&str>()), "");
    }

    #[test]
    fn filters_accept_their_extensions_only() {
        let filter = Filter {
            name: "Contacts",
            extensions: &["vcf", "csv"],
        };
        assert!(filter.accepts("a.VCF"));
        assert!(filter.accepts("b.csv"));
        assert!(!filter.accepts("c.txt"));
        assert!(!filter.accepts("vcf"));
        let all = Filter {
            name: "All",
            extensions: &[],
        };
        assert!(all.accepts("anything"));
    }

    #[test]
    fn listing_marks_links_puts_folders_first_and_is_capped() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("zeta")).unwrap();
        std::fs::write(dir.path().join("Alpha.vcf"), "x").unwrap();
        std::fs::write(dir.path().join("beta.csv"), "x").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/", dir.path().join("root-link")).unwrap();
        let listing = list_dir(dir.path(), LISTING_CAP);
        let names: Vec<&str> = listing.entries.iter().map(|e| e.name.as_str()).collect();
        #[cfg(unix)]
        {
            assert_eq!(names, ["zeta", "Alpha.vcf", "beta.csv", "root-link"]);
            assert_eq!(listing.entries[3].kind, EntryKind::Link(Some("/".into())));
        }
        assert_eq!(listing.entries[0].kind, EntryKind::Folder);
        assert!(!listing.more);
        let capped = list_dir(dir.path(), 2);
        assert_eq!(capped.entries.len(), 2);
        assert!(capped.more);
        let missing = list_dir(&dir.path().join("nope"), LISTING_CAP);
        assert!(missing.error.is_some());
    }

    #[test]
    fn tab_completes_a_unique_folder_and_a_shared_start() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("exports")).unwrap();
        std::fs::write(dir.path().join("contacts-1.vcf"), "x").unwrap();
        std::fs::write(dir.path().join("contacts-2.vcf"), "x").unwrap();
        let mut chooser = FileChooser::open(
            "Import",
            vec![Filter {
                name: "Contacts",
                extensions: &["vcf"],
            }],
            dir.path(),
        );
        chooser.refresh();
        chooser.path = format!("{}/ex", dir.path().display());
        chooser.complete();
        assert_eq!(chooser.path, format!("{}/exports/", dir.path().display()));
        chooser.path = format!("{}/co", dir.path().display());
        chooser.complete();
        assert_eq!(chooser.path, format!("{}/contacts-", dir.path().display()));
        chooser.path = format!("{}/contacts-2", dir.path().display());
        chooser.complete();
        assert_eq!(
            chooser.path,
            format!("{}/contacts-2.vcf", dir.path().display())
        );
        assert_eq!(
            chooser.accept_path(),
            Outcome::Chosen(dir.path().join("contacts-2.vcf"))
        );
    }

    #[test]
    fn saving_over_a_file_asks_first() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("out.csv"), "old").unwrap();
        let mut chooser = FileChooser::save("Export", dir.path(), "out.csv");
        chooser.refresh();
        assert_eq!(chooser.accept_save(), Outcome::Open);
        assert!(chooser.confirm_replace.is_some());
        assert_eq!(
            chooser.accept_save(),
            Outcome::Chosen(dir.path().join("out.csv"))
        );
        chooser.name = "new.csv".into();
        chooser.confirm_replace = None;
        assert_eq!(
            chooser.accept_save(),
            Outcome::Chosen(dir.path().join("new.csv"))
        );
    }
}
