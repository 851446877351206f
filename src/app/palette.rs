//! Command palette (Ctrl+K): every action by name, plus "open person".
//!
//! Commands are matched with the people search's word matching
//! ([`crate::search::text_score`]: exact, prefix, typo-tolerant), and people
//! come from the same [`SearchIndex`] as the people list, so "intrests"
//! finds "Go to Interests" and "marai" finds Maria in both places.

use super::exchange_view::ExportKind;
use super::style::{self, ZoomStep};
use super::{Command, View, ViewCtx};
use crate::model::PersonId;
use crate::search::{SearchIndex, text_score};
use egui::{Key, Ui};

/// Palette state.
#[derive(Default)]
pub struct PaletteState {
    open: bool,
    query: String,
    cursor: usize,
    focus: bool,
    /// People found for (query, view revision), so a frame with the palette
    /// open does not search again.
    people: Option<(String, u64, Vec<PersonId>)>,
}

impl PaletteState {
    /// Open the palette with an empty query.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.cursor = 0;
        self.focus = true;
        self.people = None;
    }

    /// True while shown.
    pub fn is_open(&self) -> bool {
        self.open
    }
}

/// Every command the palette offers, as (title, command), in the order shown
/// for an empty query.
fn commands() -> Vec<(String, Command)> {
    let mut list: Vec<(String, Command)> = vec![
        ("New person".into(), Command::NewPerson),
        ("Undo".into(), Command::Undo),
        ("Redo".into(), Command::Redo),
        ("Search people".into(), Command::FocusSearch),
        ("Save now".into(), Command::SaveNow),
        ("Import a file".into(), Command::StartImport),
    ];
    for kind in ExportKind::ALL {
        list.push((
            format!("Export {}", kind.label()),
            Command::StartExport(kind),
        ));
    }
    for view in View::ALL {
        list.push((format!("Go to {}", view.label()), Command::Show(view)));
    }
    list.push((
        "Toggle the side panel (Ctrl+B)".into(),
        Command::ToggleSidePanel,
    ));
    for (title, preference) in [
        ("Theme: follow system", egui::ThemePreference::System),
        ("Theme: light", egui::ThemePreference::Light),
        ("Theme: dark", egui::ThemePreference::Dark),
    ] {
        list.push((title.into(), Command::SetTheme(preference)));
    }
    for (title, step) in [
        ("Zoom in (Ctrl+=)", ZoomStep::In),
        ("Zoom out (Ctrl+-)", ZoomStep::Out),
        ("Zoom reset (Ctrl+0)", ZoomStep::Reset),
    ] {
        list.push((title.into(), Command::Zoom(step)));
    }
    list.push(("Start empty (replace demo)".into(), Command::StartEmpty));
    list
}

/// How many people the palette lists at most.
const PALETTE_PEOPLE: usize = 8;

/// What the palette shows for `query`: matching commands (best first), then
/// matching people from the shared search.
fn entries(
    view_ctx: &ViewCtx<'_>,
    search: &mut SearchIndex,
    state: &mut PaletteState,
) -> Vec<(String, Command)> {
    let query = state.query.trim();
    let mut scored: Vec<(u32, String, Command)> = commands()
        .into_iter()
        .filter_map(|(title, command)| Some((text_score(query, &title)?, title, command)))
        .collect();
    // Stable: equal scores keep the palette's own order.
    scored.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    let mut list: Vec<(String, Command)> = scored.into_iter().map(|(_, t, c)| (t, c)).collect();
    if query.is_empty() {
        return list;
    }
    let fresh = state
        .people
        .as_ref()
        .is_some_and(|(q, revision, _)| q == query && *revision == view_ctx.revision);
    if !fresh {
        let found: Vec<PersonId> = search
            .search(query)
            .into_iter()
            .take(PALETTE_PEOPLE)
            .map(|(id, _)| id)
            .collect();
        state.people = Some((query.to_string(), view_ctx.revision, found));
    }
    if let Some((_, _, people)) = &state.people {
        for id in people {
            if let Some(person) = view_ctx.model.people.get(id) {
                list.push((format!("Open {}", person.name), Command::OpenPerson(*id)));
            }
        }
    }
    list
}

/// Draw the palette if open.
pub fn ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    search: &mut SearchIndex,
    state: &mut PaletteState,
    commands: &mut Vec<Command>,
) {
    if !state.open {
        return;
    }
    let mut close = false;
    let width = (ctx.content_rect().width() - 2.0 * style::SPACE_L).min(style::PALETTE_WIDTH);
    egui::Window::new("Commands")
        .collapsible(false)
        .resizable(false)
        .anchor(
            egui::Align2::CENTER_TOP,
            egui::vec2(0.0, style::PALETTE_TOP),
        )
        .show(ctx, |ui: &mut Ui| {
            let label = ui.label("Command");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut state.query)
                        .hint_text("a command or a person (typos are fine)")
                        .desired_width(width),
                )
                .labelled_by(label.id);
            if state.focus {
                response.request_focus();
                state.focus = false;
            }
            if response.changed() {
                state.cursor = 0;
            }
            let list = entries(view_ctx, search, state);
            let (down, up, enter, escape) = ui.input(|i| {
                (
                    i.key_pressed(Key::ArrowDown),
                    i.key_pressed(Key::ArrowUp),
                    i.key_pressed(Key::Enter),
                    i.key_pressed(Key::Escape),
                )
            });
            if down {
                state.cursor = (state.cursor + 1).min(list.len().saturating_sub(1));
            }
            if up {
                state.cursor = state.cursor.saturating_sub(1);
            }
            state.cursor = state.cursor.min(list.len().saturating_sub(1));
            if list.is_empty() {
                ui.weak("No command or person matches.");
            }
            let max_height = (ctx.content_rect().height() * style::PALETTE_HEIGHT_SHARE)
                .max(style::PALETTE_MIN_HEIGHT);
            egui::ScrollArea::vertical()
                .max_height(max_height)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    ui.set_width(width);
                    for (i, (title, command)) in list.iter().enumerate() {
                        let row = ui.selectable_label(i == state.cursor, title);
                        if i == state.cursor && (up || down) {
                            row.scroll_to_me(None);
                        }
                        if row.clicked() {
                            commands.push(command.clone());
                            close = true;
                        }
                    }
                });
            if enter && let Some((_, command)) = list.get(state.cursor) {
                commands.push(command.clone());
                close = true;
            }
            if escape {
                close = true;
            }
        });
    if close {
        state.open = false;
    }
}
