//! Command palette (Ctrl+K): every action by name, plus "open person".

use super::{Command, View, ViewCtx};
use egui::{Key, Ui};

/// Palette state.
#[derive(Default)]
pub struct PaletteState {
    open: bool,
    query: String,
    cursor: usize,
    focus: bool,
}

impl PaletteState {
    /// Open the palette with an empty query.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.cursor = 0;
        self.focus = true;
    }

    /// True while shown.
    pub fn is_open(&self) -> bool {
        self.open
    }
}

/// Everything the palette offers, as (title, command).
fn entries(view_ctx: &ViewCtx<'_>, query: &str) -> Vec<(String, Command)> {
    let mut list: Vec<(String, Command)> = vec![
        ("New person".into(), Command::NewPerson),
        ("Undo".into(), Command::Undo),
        ("Redo".into(), Command::Redo),
        ("Search people".into(), Command::FocusSearch),
        ("Save now".into(), Command::SaveNow),
        ("Start empty (replace demo)".into(), Command::StartEmpty),
    ];
    for view in View::ALL {
        list.push((format!("Go to {}", view.label()), Command::Show(view)));
    }
    let needle = query.trim().to_lowercase();
    if !needle.is_empty() {
        for person in view_ctx
            .model
            .live_people()
            .filter(|p| p.name.to_lowercase().contains(&needle))
            .take(20)
        {
            list.push((
                format!("Open {}", person.name),
                Command::OpenPerson(person.id),
            ));
        }
    }
    list.retain(|(title, _)| needle.is_empty() || title.to_lowercase().contains(&needle));
    list
}

/// Draw the palette if open.
pub fn ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut PaletteState,
    commands: &mut Vec<Command>,
) {
    if !state.open {
        return;
    }
    let mut close = false;
    egui::Window::new("Commands")
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
        .show(ctx, |ui: &mut Ui| {
            let label = ui.label("Command");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut state.query)
                        .hint_text("type to filter")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
            if state.focus {
                response.request_focus();
                state.focus = false;
            }
            let list = entries(view_ctx, &state.query);
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
            for (i, (title, command)) in list.iter().enumerate() {
                if ui.selectable_label(i == state.cursor, title).clicked() {
                    commands.push(command.clone());
                    close = true;
                }
            }
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
