//! Calendars, mail and chats in the app: reading an export on a helper
//! thread, the preview of what it will write (people matched and how, the
//! interactions, what was left out and why, people you meet but haven't
//! added), the one undoable import, calendar subscriptions by URL, and the
//! list of sources with "Import again" and "Forget this source".

use super::person_relations::pick_person_ui;
use super::style;
use super::{Command, ToastKind, ViewCtx};
use crate::history::plan::{self, HistoryPreview, UnknownChoice};
use crate::history::source;
use crate::history::tz::Zone;
use crate::history::{Harvest, HistoryFormat, ReadOptions};
use crate::model::{HistoryKind, InteractionKind, Model, PersonId};
use crate::storage::guard::{escape_text, shown};
use chrono::NaiveDate;
use egui::{Key, RichText, TextEdit, Ui};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// An export read on a helper thread, waiting for its preview.
#[derive(Debug)]
pub struct Harvested {
    /// What it was read as.
    pub format: HistoryFormat,
    /// What the reader took from it.
    pub harvest: Harvest,
    /// The source's name when the export suggests none (the file name), or
    /// the name of the source read again.
    pub name: String,
    /// The path or URL it was read from.
    pub location: Option<String>,
}

type HistoryRead = Receiver<Result<Harvested, String>>;

/// Something asked of calendar, mail and chat imports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryCommand {
    /// Read a source again from where it was read last.
    ImportAgain(String),
    /// Open the "Subscribe to a calendar URL" form.
    OpenSubscribe,
    /// Pick a calendar, mail or chat export to import.
    PickFile,
    /// Pick a Maildir folder to import.
    PickFolder,
    /// Fetch a calendar from a URL and preview it.
    Subscribe(String),
    /// Ask before forgetting a source.
    AskForget(String),
}

/// Calendar, mail and chat imports: the read under way, the preview, the
/// subscription form and the forget confirmation.
#[derive(Default)]
pub struct HistoryState {
    /// The preview being decided (public for tests).
    pub preview: Option<HistoryPreview>,
    reading: Option<(String, HistoryRead)>,
    /// The subscription form's URL, while it is open.
    subscribe: Option<String>,
    /// The source "Forget this source…" asks about.
    forget: Option<String>,
    /// What is typed in "This is…" / ambiguous pickers, by row.
    queries: HashMap<(u8, usize), String>,
    /// Interactions per source, counted at a model revision.
    counts: Option<(u64, HashMap<String, usize>)>,
}

impl HistoryState {
    /// True while an export is read or fetched.
    pub fn is_reading(&self) -> bool {
        self.reading.is_some()
    }
}

/// The file name of `path`, for a source name.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Read the export at `path` if it is a calendar, mail or chat export
/// (None: it is not one; it may be a contacts file). Runs on a helper thread.
pub fn read_history(path: &Path, today: NaiveDate) -> Option<Result<Harvested, String>> {
    let shown = shown(path);
    let format = match source::detect_path(path) {
        Ok(Some(format)) => format,
        Ok(None) => return None,
        Err(e) => return Some(Err(format!("Cannot import {shown}: {e}"))),
    };
    let opts = ReadOptions {
        today,
        zone: Zone::system(),
    };
    Some(
        source::read_path(path, format, &opts)
            .map(|harvest| Harvested {
                format,
                harvest,
                name: file_name(path),
                location: Some(path.to_string_lossy().into_owned()),
            })
            .map_err(|e| format!("Cannot import {shown}: {e}")),
    )
}

/// Fetch a calendar from `url` and read it (runs on a helper thread).
fn read_url(url: &str, today: NaiveDate) -> Result<Harvested, String> {
    let bytes = source::fetch_calendar(url)
        .map_err(|e| format!("Cannot subscribe to {}: {e}", escape_text(url)))?;
    let opts = ReadOptions {
        today,
        zone: Zone::system(),
    };
    let name = url
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(url)
        .to_string();
    source::read_bytes(HistoryFormat::Calendar, &bytes, &name, &opts)
        .map(|harvest| Harvested {
            format: HistoryFormat::Calendar,
            harvest,
            name,
            location: Some(url.to_string()),
        })
        .map_err(|e| format!("Cannot read the calendar at {}: {e}", escape_text(url)))
}

/// True when `location` is a URL (a calendar subscription).
fn is_url(location: &str) -> bool {
    let lower = location.to_ascii_lowercase();
    ["http://", "https://", "webcal://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// Start reading on a helper thread: `what` is shown while it reads.
fn start(
    state: &mut HistoryState,
    what: String,
    job: impl FnOnce() -> Result<Harvested, String> + Send + 'static,
) {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let _ = sender.send(job());
    });
    state.reading = Some((what, receiver));
}

/// Act on a [`HistoryCommand`].
pub fn apply(
    state: &mut HistoryState,
    exchange: &mut super::exchange_view::ExchangeState,
    model: &Model,
    today: NaiveDate,
    command: HistoryCommand,
    toasts: &mut super::toasts::Toasts,
) {
    match command {
        HistoryCommand::OpenSubscribe => state.subscribe = Some(String::new()),
        HistoryCommand::PickFile => {
            exchange.request(super::exchange_view::Request::ImportHistory);
        }
        HistoryCommand::PickFolder => {
            exchange.request(super::exchange_view::Request::ImportFolder);
        }
        HistoryCommand::AskForget(id) => state.forget = Some(id),
        HistoryCommand::Subscribe(url) => {
            let url = url.trim().to_string();
            let shown = escape_text(&url);
            start(state, format!("Fetching {shown}…"), move || {
                read_url(&url, today)
            });
        }
        HistoryCommand::ImportAgain(id) => {
            let Some(source) = model.settings.history.sources.iter().find(|s| s.id == id) else {
                toasts.push(ToastKind::Error, "That source is no longer in kith.".into());
                return;
            };
            let Some(location) = source.location.clone() else {
                toasts.push(
                    ToastKind::Error,
                    format!(
                        "kith does not know where {} was read from; import the file again.",
                        escape_text(&source.name)
                    ),
                );
                return;
            };
            let name = source.name.clone();
            let what = format!("Reading {}…", escape_text(&name));
            if is_url(&location) {
                start(state, what, move || {
                    read_url(&location, today).map(|h| again(h, name))
                });
            } else {
                start(state, what, move || {
                    let path = PathBuf::from(&location);
                    match read_history(&path, today) {
                        Some(read) => read.map(|h| again(h, name)),
                        None => Err(format!(
                            "{} is no longer a calendar, mail or chat export",
                            shown(&path)
                        )),
                    }
                });
            }
        }
    }
}

/// A source read again keeps its name (and so its id).
fn again(mut harvested: Harvested, name: String) -> Harvested {
    harvested.harvest.suggested_name = name.clone();
    harvested.name = name;
    harvested
}

/// Build the preview of an export that was read: the source keeps the
/// switches it had, and a new one keeps titles for calendars only.
pub fn open_preview(
    state: &mut HistoryState,
    harvested: Harvested,
    model: &Model,
    today: NaiveDate,
) {
    let mut preview = HistoryPreview::build(
        harvested.format,
        harvested.harvest,
        &harvested.name,
        harvested.location,
        model,
        today,
    );
    let titles = model
        .settings
        .history
        .sources
        .iter()
        .find(|s| s.id == preview.source.id)
        .map_or(harvested.format == HistoryFormat::Calendar, |s| s.titles);
    if preview.source.titles != titles {
        preview.source.titles = titles;
        preview.refresh(model);
    }
    state.queries.clear();
    state.preview = Some(preview);
}

/// Take what the contacts import found to be a history export, and what
/// this module read, into a preview; errors become toasts.
pub fn poll(
    state: &mut HistoryState,
    exchange: &mut super::exchange_view::ExchangeState,
    view_ctx: &ViewCtx<'_>,
    commands: &mut Vec<Command>,
) {
    if exchange.take_subscribe() {
        state.subscribe.get_or_insert_with(String::new);
    }
    if let Some(harvested) = exchange.take_harvested() {
        open_preview(state, harvested, view_ctx.model, view_ctx.today);
    }
    let Some((_, receiver)) = &state.reading else {
        return;
    };
    let result = match receiver.try_recv() {
        Ok(result) => result,
        Err(TryRecvError::Empty) => return,
        Err(TryRecvError::Disconnected) => Err("The import stopped before it was read.".into()),
    };
    state.reading = None;
    match result {
        Ok(harvested) => open_preview(state, harvested, view_ctx.model, view_ctx.today),
        Err(message) => commands.push(Command::Notify(ToastKind::Error, message)),
    }
}

/// "3 interactions", "1 interaction".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The small line under an imported interaction: where it came from and,
/// for message days, how many were sent and received.
pub fn origin_text(model: &Model, interaction: &crate::model::Interaction) -> Option<String> {
    let origin = interaction.origin.as_ref()?;
    let names: Vec<String> = origin
        .sources
        .iter()
        .map(|id| {
            model
                .settings
                .history
                .sources
                .iter()
                .find(|s| &s.id == id)
                .map_or_else(|| "an import".to_string(), source_label)
        })
        .collect();
    let mut text = if names.is_empty() {
        "imported".to_string()
    } else {
        format!("from {}", names.join(" and "))
    };
    if origin.sent > 0 || origin.received > 0 {
        text.push_str(&format!(
            " · {} sent · {} received",
            origin.sent, origin.received
        ));
    }
    Some(text)
}

/// A source as the timeline names it: a chat says which service it is
/// ("WhatsApp: Raj Patel"), a calendar or mailbox goes by its name.
fn source_label(source: &crate::model::HistorySource) -> String {
    let name = escape_text(&source.name);
    match source.kind {
        HistoryKind::Calendar | HistoryKind::Mail => name,
        kind if name.contains(kind.label()) => name,
        kind => format!("{}: {name}", kind.label()),
    }
}

/// What "Import N interactions" would do, or why it would do nothing.
fn write_problem(preview: &HistoryPreview) -> Option<&'static str> {
    let people = preview
        .unknown
        .iter()
        .any(|u| !matches!(u.choice, UnknownChoice::Leave));
    let owner = preview.owner.as_ref().is_some_and(|o| o.accepted);
    (preview.rows.is_empty() && preview.closes.is_empty() && !people && !owner)
        .then_some("Nothing new to write: everything in this export is already in kith or left out")
}

/// The kinds a calendar row may be changed to.
const MEETING_KINDS: [InteractionKind; 5] = [
    InteractionKind::Coffee,
    InteractionKind::Lunch,
    InteractionKind::Call,
    InteractionKind::MetAtEvent,
    InteractionKind::Other,
];

/// The preview window, the subscription form and the forget confirmation.
pub fn preview_ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut HistoryState,
    commands: &mut Vec<Command>,
) {
    if let Some((what, _)) = &state.reading {
        egui::Window::new("Reading export")
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(what.as_str());
                ui.add(egui::ProgressBar::new(0.5).animate(true));
            });
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
    }
    subscribe_ui(ctx, state, commands);
    forget_ui(ctx, view_ctx, state, commands);
    if state.preview.is_none() {
        return;
    }
    let mut close = false;
    let mut import = false;
    let mut changed = false;
    let menu_open = egui::Popup::is_any_open(ctx);
    let id = egui::Id::unique("history_preview");
    let screen = ctx.content_rect();
    let top = (screen.height() * style::FORM_TOP_SHARE).min(style::FORM_TOP_MAX) / 2.0;
    let area = egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, top));
    egui::Modal::new(id).area(area).show(ctx, |ui| {
        let Some(preview) = state.preview.as_mut() else {
            return;
        };
        ui.set_width((screen.width() - style::SPACE_L * 2.0).min(PREVIEW_WIDTH));
        ui.label(
            RichText::new(format!(
                "Import {} ({})",
                escape_text(&preview.source.name),
                preview.format.label()
            ))
            .size(style::TEXT_HEADING)
            .strong(),
        );
        summary_ui(ui, preview);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Source name");
            ui.add(
                TextEdit::singleline(&mut preview.source.name)
                    .desired_width(style::FORM_FIELD_WIDTH.min(ui.available_width())),
            )
            .labelled_by(label.id);
        });
        // Chats have no titles or subjects: no switch for them.
        let titles = match preview.format {
            HistoryFormat::Calendar => {
                Some("Keep titles and subjects (event titles become the interaction's note)")
            }
            HistoryFormat::Mbox | HistoryFormat::Maildir => {
                Some("Keep titles and subjects (the first subject of the day becomes the note)")
            }
            _ => None,
        };
        if let Some(titles) = titles {
            if ui.checkbox(&mut preview.source.titles, titles).changed() {
                changed = true;
            }
            ui.label(style::caption_text(
                ui,
                "Off: only the date, the people and the kind are stored. Message bodies are never read into kith.",
            ));
        } else {
            ui.label(style::caption_text(
                ui,
                "Only the date, the people and how many messages were sent and received are stored; never what was written.",
            ));
        }
        let max_height = (screen.height() - top - PREVIEW_CHROME).max(style::MENU_HEIGHT / 2.0);
        egui::ScrollArea::vertical()
            .id_salt("history_preview_scroll")
            .max_height(max_height)
            // A long preview uses the room the window has, not a sliver.
            .min_scrolled_height(max_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                changed |= owner_ui(ui, preview);
                people_ui(ui, preview);
                rows_ui(ui, view_ctx, preview);
                closes_ui(ui, preview);
                changed |= unknown_ui(ui, view_ctx, preview, &mut state.queries);
                changed |= ambiguous_ui(ui, view_ctx, preview);
                left_out_ui(ui, preview);
            });
        ui.add_space(style::SPACE_S);
        let problem = write_problem(preview);
        ui.horizontal_wrapped(|ui| {
            let label = match preview.rows.len() {
                0 => "Import".to_string(),
                n => format!("Import {}", count(n, "interaction", "interactions")),
            };
            let button = ui.add_enabled(problem.is_none(), egui::Button::new(label));
            let button = match problem {
                Some(why) => button.on_disabled_hover_text(why),
                None => button.on_hover_text("Written as one step: Ctrl+Z undoes all of it"),
            };
            import |= button.clicked();
            close |= ui.button("Cancel").clicked();
            if let Some(why) = problem {
                ui.weak(why);
            }
        });
    });
    if changed && let Some(preview) = state.preview.as_mut() {
        preview.refresh(view_ctx.model);
    }
    if !menu_open && ctx.input(|i| i.key_pressed(Key::Escape)) {
        close = true;
    }
    if import && let Some(preview) = state.preview.take() {
        match preview.to_action(view_ctx.model) {
            Some(action) => {
                commands.push(Command::Apply(action));
                commands.push(Command::Notify(
                    ToastKind::Info,
                    format!(
                        "Imported {} from {} (undo with Ctrl+Z)",
                        count(preview.rows.len(), "interaction", "interactions"),
                        escape_text(&preview.source.name)
                    ),
                ));
            }
            None => commands.push(Command::Notify(
                ToastKind::Info,
                "Nothing new to import: every interaction is already in kith.".into(),
            )),
        }
    } else if close {
        state.preview = None;
    }
}

/// The widest the preview gets.
const PREVIEW_WIDTH: f32 = 760.0;
/// Room the preview's title, fields and buttons take around its scroll area.
const PREVIEW_CHROME: f32 = 230.0;
/// At most this many rows of "what will be written" are laid out (the
/// table is virtualised; this caps the table's height, not the rows).
const ROWS_HEIGHT: f32 = 260.0;

fn summary_ui(ui: &mut Ui, preview: &HistoryPreview) {
    let extending = preview.rows.iter().filter(|r| r.extends.is_some()).count();
    let mut text = if preview.rows.is_empty() {
        "No new interactions".to_string()
    } else {
        format!(
            "{} with {}",
            count(preview.rows.len(), "interaction", "interactions"),
            count(preview.people.len(), "person", "people")
        )
    };
    if extending > 0 {
        text.push_str(&format!(" ({extending} adding to ones kith has)"));
    }
    if preview.already > 0 {
        text.push_str(&format!(" · {} already in kith", preview.already));
    }
    ui.label(text);
    ui.label(style::caption_text(
        ui,
        "Nothing is written until you press Import. The whole import is one undo step.",
    ));
}

fn owner_ui(ui: &mut Ui, preview: &mut HistoryPreview) -> bool {
    let Some(owner) = preview.owner.as_mut() else {
        return false;
    };
    let mut changed = false;
    style::card(ui).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(format!(
                "Is {} your address? It received {}.",
                escape_text(&owner.address),
                count(owner.count, "message", "messages")
            ));
            if ui.checkbox(&mut owner.accepted, "Yes, it's mine").changed() {
                changed = true;
            }
        });
        ui.label(style::caption_text(
            ui,
            "Your addresses tell sent from received and keep you out of the people. It is added to You.",
        ));
    });
    changed
}

fn people_ui(ui: &mut Ui, preview: &HistoryPreview) {
    if preview.people.is_empty() {
        return;
    }
    style::section_heading(ui, "People");
    egui::Grid::new("history_people")
        .num_columns(5)
        .striped(true)
        .spacing(style::TABLE_SPACING)
        .show(ui, |ui| {
            for caption in ["Name", "Matched by", "New", "Adding to", "Last"] {
                ui.label(style::caption_text(ui, caption));
            }
            ui.end_row();
            for line in preview.people.iter().take(PEOPLE_SHOWN) {
                ui.label(escape_text(&line.name));
                ui.label(escape_text(&line.how.label()));
                ui.label(line.new.to_string());
                ui.label(line.extended.to_string());
                ui.label(line.last.to_string());
                ui.end_row();
            }
        });
    if preview.people.len() > PEOPLE_SHOWN {
        ui.weak(format!("and {} more", preview.people.len() - PEOPLE_SHOWN));
    }
}

/// People listed in the preview's table (the rest are counted).
const PEOPLE_SHOWN: usize = 200;

fn unknown_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    preview: &mut HistoryPreview,
    queries: &mut HashMap<(u8, usize), String>,
) -> bool {
    if preview.unknown.is_empty() {
        return false;
    }
    let mut changed = false;
    style::section_heading(ui, "People you meet but haven't added");
    ui.label(style::caption_text(
        ui,
        "They are never added unless you say so. Ignored people are not offered again.",
    ));
    for (index, unknown) in preview.unknown.iter_mut().enumerate() {
        ui.push_id(("unknown", index), |ui| {
            ui.horizontal_wrapped(|ui| {
                let mut who = escape_text(&unknown.name);
                if let Some(email) = unknown.email.as_ref().or(unknown.phone.as_ref()) {
                    if who.is_empty() {
                        who = escape_text(email);
                    } else {
                        who.push_str(&format!(" <{}>", escape_text(email)));
                    }
                }
                ui.label(RichText::new(who).strong());
                ui.weak(format!(
                    "{}, last {}",
                    count(unknown.count, "interaction", "interactions"),
                    unknown.last
                ));
                let before = unknown.choice;
                ui.selectable_value(&mut unknown.choice, UnknownChoice::Add, "Add");
                ui.selectable_value(&mut unknown.choice, UnknownChoice::Ignore, "Ignore");
                ui.selectable_value(&mut unknown.choice, UnknownChoice::Leave, "Not now");
                let merging = matches!(unknown.choice, UnknownChoice::MergeInto(_));
                if ui.selectable_label(merging, "This is…").clicked() && !merging {
                    queries.insert((0, index), String::new());
                }
                if let UnknownChoice::MergeInto(id) = unknown.choice {
                    ui.label(format!(
                        "is {}",
                        escape_text(view_ctx.model.person_name(id))
                    ));
                }
                if before != unknown.choice {
                    changed = true;
                    if !matches!(unknown.choice, UnknownChoice::MergeInto(_)) {
                        queries.remove(&(0, index));
                    }
                }
            });
            if let Some(query) = queries.get_mut(&(0, index)) {
                ui.horizontal_wrapped(|ui| {
                    let label = ui.label("This is");
                    let field = ui
                        .add(
                            TextEdit::singleline(query)
                                .hint_text("Search people…")
                                .desired_width(style::FORM_FIELD_WIDTH.min(ui.available_width())),
                        )
                        .labelled_by(label.id);
                    if !query.trim().is_empty()
                        && let Some(id) =
                            pick_person_ui(ui, view_ctx, &field, query, PersonId(uuid::Uuid::nil()))
                    {
                        unknown.choice = UnknownChoice::MergeInto(id);
                        changed = true;
                    }
                });
            }
        });
    }
    // A pick closes its search field.
    for (index, unknown) in preview.unknown.iter().enumerate() {
        if matches!(unknown.choice, UnknownChoice::MergeInto(_)) {
            queries.remove(&(0, index));
        }
    }
    changed
}

fn ambiguous_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, preview: &mut HistoryPreview) -> bool {
    if preview.ambiguous.is_empty() {
        return false;
    }
    let mut changed = false;
    style::section_heading(ui, "Names several people have");
    ui.label(style::caption_text(
        ui,
        "Pick who it is; until then their interactions are left out.",
    ));
    for (index, ambiguous) in preview.ambiguous.iter_mut().enumerate() {
        ui.push_id(("ambiguous", index), |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(escape_text(&ambiguous.name)).strong());
                ui.weak(count(ambiguous.count, "interaction", "interactions"));
                let before = ambiguous.choice;
                ui.selectable_value(&mut ambiguous.choice, None, "Leave out");
                for candidate in &ambiguous.candidates {
                    let name = escape_text(view_ctx.model.person_name(*candidate));
                    ui.selectable_value(&mut ambiguous.choice, Some(*candidate), name);
                }
                changed |= before != ambiguous.choice;
            });
        });
    }
    changed
}

fn closes_ui(ui: &mut Ui, preview: &HistoryPreview) {
    if preview.closes.is_empty() {
        return;
    }
    style::section_heading(ui, "Follow-ups this closes");
    for closing in &preview.closes {
        ui.label(escape_text(&closing.text));
    }
}

fn rows_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, preview: &mut HistoryPreview) {
    if preview.rows.is_empty() {
        return;
    }
    use egui_extras::{Column, TableBuilder};
    style::section_heading(ui, "What will be written");
    let calendar = preview.format == HistoryFormat::Calendar;
    // Chats have no titles: their table has no Title column.
    let titled = matches!(
        preview.format,
        HistoryFormat::Calendar | HistoryFormat::Mbox | HistoryFormat::Maildir
    );
    let captions: &[&str] = if titled {
        &["Date", "Kind", "People", "Title"]
    } else {
        &["Date", "Kind", "People"]
    };
    let row_height = ui.spacing().interact_size.y + style::GRID;
    let mut kinds: Vec<(usize, InteractionKind)> = Vec::new();
    let mut kind_caption = None;
    // People to be added are not in the model yet: their names are the preview's.
    let names: HashMap<PersonId, String> = preview
        .people
        .iter()
        .map(|line| (line.person, line.name.clone()))
        .collect();
    let name_of = |id: &PersonId| match names.get(id) {
        Some(name) => escape_text(name),
        None => escape_text(view_ctx.model.person_name(*id)),
    };
    ui.push_id("history_rows", |ui| {
        let table = TableBuilder::new(ui)
            .striped(true)
            .column(Column::auto().at_least(84.0))
            .column(Column::auto().at_least(110.0));
        let table = if titled {
            table
                .column(Column::initial(200.0).at_least(120.0).clip(true))
                .column(Column::remainder().clip(true))
        } else {
            table.column(Column::remainder().clip(true))
        };
        table
            .max_scroll_height(ROWS_HEIGHT)
            .auto_shrink([false, true])
            .header(row_height, |mut header| {
                for &caption in captions {
                    header.col(|ui| {
                        let label = ui.label(style::caption_text(ui, caption));
                        if caption == "Kind" {
                            kind_caption = Some(label.id);
                        }
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, preview.rows.len(), |mut table_row| {
                    let index = table_row.index();
                    let Some(row) = preview.rows.get(index) else {
                        return;
                    };
                    table_row.col(|ui| {
                        ui.label(row.date.to_string());
                    });
                    table_row.col(|ui| {
                        if calendar {
                            let mut kind = row.kind;
                            let response = egui::ComboBox::new(("row_kind", index), "")
                                .selected_text(kind.label())
                                .show_ui(ui, |ui| {
                                    for choice in MEETING_KINDS {
                                        ui.selectable_value(&mut kind, choice, choice.label());
                                    }
                                })
                                .response
                                .on_hover_text("Kind of this interaction");
                            if let Some(caption) = kind_caption {
                                let _ = response.labelled_by(caption);
                            }
                            if kind != row.kind {
                                kinds.push((index, kind));
                            }
                        } else {
                            ui.label(row.kind.label());
                        }
                    });
                    table_row.col(|ui| {
                        let names: Vec<String> = row.people.iter().map(name_of).collect();
                        let mut text = names.join(", ");
                        if row.sent > 0 || row.received > 0 {
                            text.push_str(&format!(
                                " · {} sent · {} received",
                                row.sent, row.received
                            ));
                        }
                        if row.extends.is_some() {
                            text.push_str(" · adds to one kith has");
                        }
                        ui.label(text);
                    });
                    if !titled {
                        return;
                    }
                    table_row.col(|ui| {
                        if row.title.is_empty() {
                            ui.weak("—");
                        } else {
                            ui.label(escape_text(&row.title));
                        }
                    });
                });
            });
    });
    for (index, kind) in kinds {
        preview.set_kind(index, kind);
    }
}

fn left_out_ui(ui: &mut Ui, preview: &HistoryPreview) {
    if !preview.ignored.is_empty() {
        style::section_heading(ui, "Left out");
        let parts: Vec<String> = preview
            .ignored
            .iter()
            .map(|(reason, n)| format!("{n} {}", escape_text(reason)))
            .collect();
        ui.label(parts.join(" · "));
    }
    if !preview.problems.is_empty() {
        style::section_heading(
            ui,
            &format!(
                "{} in the file",
                count(preview.problems.len(), "problem", "problems")
            ),
        );
        ui.label(style::caption_text(ui, "Everything else still imports."));
        for problem in preview.problems.iter().take(PROBLEMS_SHOWN) {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("line {}: {}", problem.line, escape_text(&problem.reason)),
            );
        }
        if preview.problems.len() > PROBLEMS_SHOWN {
            ui.weak(format!(
                "and {} more",
                preview.problems.len() - PROBLEMS_SHOWN
            ));
        }
    }
}

/// Problems listed one by one (the rest are counted).
const PROBLEMS_SHOWN: usize = 50;

/// "Subscribe to a calendar URL…": the URL field, Subscribe and Cancel.
fn subscribe_ui(ctx: &egui::Context, state: &mut HistoryState, commands: &mut Vec<Command>) {
    let Some(url) = state.subscribe.as_mut() else {
        return;
    };
    let mut close = false;
    let mut go = false;
    let id = egui::Id::unique("history_subscribe");
    egui::Modal::new(id).show(ctx, |ui| {
        ui.set_max_width(style::FORM_WIDTH.min(ctx.content_rect().width() - style::SPACE_L * 2.0));
        ui.heading("Subscribe to a calendar URL");
        ui.label(style::caption_text(
            ui,
            "An https:// or webcal:// address of an .ics calendar. kith fetches it now and again with Import again.",
        ));
        let problem = url_problem(url);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Calendar URL");
            let field = ui
                .add(
                    TextEdit::singleline(url)
                        .hint_text("https://…/calendar.ics")
                        .desired_width(style::FORM_FIELD_WIDTH.min(ui.available_width())),
                )
                .labelled_by(label.id);
            // The field takes the cursor when the form opens.
            if ui.memory(|m| m.focused().is_none()) {
                field.request_focus();
            }
            if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) && problem.is_none() {
                go = true;
            }
        });
        ui.horizontal_wrapped(|ui| {
            let button = ui.add_enabled(problem.is_none(), egui::Button::new("Subscribe"));
            let button = match problem {
                Some(why) => button.on_disabled_hover_text(why),
                None => button,
            };
            go |= button.clicked();
            close |= ui.button("Cancel").clicked();
        });
    });
    if ctx.input(|i| i.key_pressed(Key::Escape)) {
        close = true;
    }
    if go && let Some(url) = state.subscribe.take() {
        commands.push(Command::History(HistoryCommand::Subscribe(url)));
    } else if close {
        state.subscribe = None;
    }
}

/// Why a typed URL cannot be fetched, while it cannot.
fn url_problem(url: &str) -> Option<&'static str> {
    let url = url.trim();
    if url.is_empty() {
        Some("Type the calendar's address first")
    } else if !is_url(url) {
        Some("The address starts with https://, http:// or webcal://")
    } else {
        None
    }
}

/// The confirmation before a source is forgotten.
fn forget_ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut HistoryState,
    commands: &mut Vec<Command>,
) {
    let Some(id) = state.forget.clone() else {
        return;
    };
    let model = view_ctx.model;
    let Some(source) = model.settings.history.sources.iter().find(|s| s.id == id) else {
        state.forget = None;
        return;
    };
    let (only, shared) = source_counts(model, &id);
    let mut close = false;
    let mut forget = false;
    egui::Modal::new(egui::Id::unique("history_forget")).show(ctx, |ui| {
        ui.set_max_width(style::FORM_WIDTH.min(ctx.content_rect().width() - style::SPACE_L * 2.0));
        ui.heading(format!("Forget {}?", escape_text(&source.name)));
        ui.label(format!(
            "{} that came only from it will be removed.",
            count(only, "interaction", "interactions")
        ));
        if shared > 0 {
            ui.label(format!(
                "{} also came from another source and stay.",
                count(shared, "interaction", "interactions")
            ));
        }
        ui.label(style::caption_text(
            ui,
            "One step: Ctrl+Z brings everything back.",
        ));
        ui.horizontal_wrapped(|ui| {
            forget |= ui.button("Forget this source").clicked();
            close |= ui.button("Cancel").clicked();
        });
    });
    if ctx.input(|i| i.key_pressed(Key::Escape)) {
        close = true;
    }
    if forget {
        match plan::forget_source(model, &id) {
            Some(action) => {
                commands.push(Command::Apply(action));
                commands.push(Command::Notify(
                    ToastKind::Info,
                    format!(
                        "Forgot {} and {} (undo with Ctrl+Z)",
                        escape_text(&source.name),
                        count(only, "interaction", "interactions")
                    ),
                ));
            }
            None => commands.push(Command::Notify(
                ToastKind::Error,
                format!("{} could not be forgotten.", escape_text(&source.name)),
            )),
        }
        state.forget = None;
    } else if close {
        state.forget = None;
    }
}

/// Interactions from source `id`: those only from it, and those shared
/// with another source.
fn source_counts(model: &Model, id: &str) -> (usize, usize) {
    let mut only = 0;
    let mut shared = 0;
    for origin in model
        .interactions
        .values()
        .filter_map(|i| i.origin.as_ref())
    {
        if origin.sources.iter().any(|s| s == id) {
            if origin.sources.len() == 1 {
                only += 1;
            } else {
                shared += 1;
            }
        }
    }
    (only, shared)
}

/// Interactions per source, counted once per model revision.
fn counts(state: &mut HistoryState, view_ctx: &ViewCtx<'_>) -> HashMap<String, usize> {
    let stale = state
        .counts
        .as_ref()
        .is_none_or(|(revision, _)| *revision != view_ctx.model_revision);
    if stale {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for origin in view_ctx
            .model
            .interactions
            .values()
            .filter_map(|i| i.origin.as_ref())
        {
            for source in &origin.sources {
                *counts.entry(source.clone()).or_default() += 1;
            }
        }
        state.counts = Some((view_ctx.model_revision, counts));
    }
    state
        .counts
        .as_ref()
        .map(|(_, counts)| counts.clone())
        .unwrap_or_default()
}

/// A source kind's short label in the list.
fn kind_label(kind: HistoryKind) -> &'static str {
    kind.label()
}

/// "Calendars, mail and chats": every source imported, with its titles
/// switch, Import again and Forget this source…; and the ways to add one.
pub fn sources_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    state: &mut HistoryState,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    ui.heading("Calendars, mail and chats");
    ui.label(
        "Interactions kith logged from your exports. Import a calendar (.ics), an mbox, a Maildir folder or a chat export with Import / Export, or drop the file on the window.",
    );
    ui.horizontal_wrapped(|ui| {
        if ui.button("Import a file…").clicked() {
            commands.push(Command::History(HistoryCommand::PickFile));
        }
        if ui.button("Import a mail folder…").clicked() {
            commands.push(Command::History(HistoryCommand::PickFolder));
        }
        if ui.button("Subscribe to a calendar URL…").clicked() {
            commands.push(Command::History(HistoryCommand::OpenSubscribe));
        }
    });
    let sources = &model.settings.history.sources;
    if sources.is_empty() {
        ui.weak("Nothing imported yet.");
        return;
    }
    let counts = counts(state, view_ctx);
    let mut settings = model.settings.clone();
    for (index, source) in sources.iter().enumerate() {
        ui.push_id(("source", &source.id), |ui| {
            style::card(ui).show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(escape_text(&source.name)).strong());
                    ui.weak(kind_label(source.kind));
                    let n = counts.get(&source.id).copied().unwrap_or(0);
                    ui.label(count(n, "interaction", "interactions"));
                    match source.imported {
                        Some(day) => ui.weak(format!("last imported {day}")),
                        None => ui.weak("not imported yet"),
                    };
                });
                if let Some(location) = &source.location {
                    ui.label(style::caption_text(ui, &escape_text(location)));
                }
                ui.horizontal_wrapped(|ui| {
                    let chat = !matches!(source.kind, HistoryKind::Calendar | HistoryKind::Mail);
                    if let Some(edited) = settings.history.sources.get_mut(index).filter(|_| !chat)
                    {
                        ui.checkbox(&mut edited.titles, "Keep titles and subjects")
                            .on_hover_text(
                                "Applies to the next imports; what is in kith stays as it is",
                            );
                    }
                    let again = ui.add_enabled(
                        source.location.is_some() && state.reading.is_none(),
                        egui::Button::new("Import again"),
                    );
                    let again = if source.location.is_none() {
                        again.on_disabled_hover_text("kith does not know where it was read from")
                    } else {
                        again.on_hover_text("Read it again and preview what is new")
                    };
                    if again.clicked() {
                        commands.push(Command::History(HistoryCommand::ImportAgain(
                            source.id.clone(),
                        )));
                    }
                    if ui.button("Forget this source…").clicked() {
                        commands.push(Command::History(HistoryCommand::AskForget(
                            source.id.clone(),
                        )));
                    }
                });
            });
        });
    }
    if settings != model.settings {
        commands.push(Command::Apply(crate::action::Action::SetSettings(settings)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_paths_and_checked() {
        assert!(is_url("webcal://example.org/cal.ics"));
        assert!(is_url("HTTPS://example.org/cal.ics"));
        assert!(!is_url("/home/me/cal.ics"));
        assert_eq!(url_problem("  "), Some("Type the calendar's address first"));
        assert!(url_problem("ftp://x").is_some());
        assert_eq!(url_problem("https://example.org/a.ics"), None);
    }

    #[test]
    fn origin_text_names_the_source_and_the_messages() {
        let mut model = Model::default();
        model
            .settings
            .history
            .sources
            .push(crate::model::HistorySource {
                id: "calendar-1".into(),
                name: "Work calendar".into(),
                ..Default::default()
            });
        let mut interaction = crate::model::Interaction::default();
        assert_eq!(origin_text(&model, &interaction), None);
        interaction.origin = Some(crate::model::Origin {
            sources: vec!["calendar-1".into()],
            keys: vec![],
            sent: 3,
            received: 2,
        });
        assert_eq!(
            origin_text(&model, &interaction).as_deref(),
            Some("from Work calendar · 3 sent · 2 received")
        );
    }

    #[test]
    fn counts_read_in_the_singular_and_plural() {
        assert_eq!(count(1, "interaction", "interactions"), "1 interaction");
        assert_eq!(count(0, "interaction", "interactions"), "0 interactions");
    }
}
