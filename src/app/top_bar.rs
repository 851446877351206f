//! The bar across the top: the side-panel toggle, the view tabs, the main
//! actions, and the status (people, saving) in a slot of fixed size, so
//! nothing moves when "Saving..." turns into "Saved".
//!
//! It takes one row when everything fits and two rows otherwise; which one
//! depends only on the window's width (the widths of the groups are measured
//! as they are drawn), never on what the status says.

use super::{Command, UiState, View, ViewCtx, exchange_view, style, sync_view};
use crate::document::Document;
use crate::session::SaveStatus;
use egui::{Align, Layout, Ui};

/// What the top bar measured of itself (to pick one row or two).
#[derive(Debug, Clone, Copy)]
pub struct TopBarState {
    /// Width of the tabs group, the actions group and the right-hand group,
    /// as last drawn.
    widths: [f32; 3],
}

impl Default for TopBarState {
    fn default() -> Self {
        // Until measured, assume nothing fits in one row.
        Self {
            widths: [f32::INFINITY; 3],
        }
    }
}

impl TopBarState {
    /// The width one row needs (with the spacing between the groups).
    fn one_row_width(&self, spacing: f32) -> f32 {
        self.widths.iter().sum::<f32>() + spacing * 2.0
    }
}

/// Draw the top bar.
pub(super) fn top_bar_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    doc: &Document,
    status: SaveStatus,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
    egui::Panel::top("top_bar").resizable(false).show(ui, |ui| {
        let row = ui.spacing().interact_size.y;
        let spacing = ui.spacing().item_spacing.x;
        let one_row = ui.available_width() >= state.top_bar.one_row_width(spacing);
        let mut widths = [0.0; 3];
        if one_row {
            ui.horizontal(|ui| {
                ui.set_height(row);
                widths[0] = group(ui, |ui| tabs_ui(ui, view_ctx, state, commands));
                widths[1] = group(ui, |ui| actions_ui(ui, view_ctx, doc, state, commands));
                widths[2] = right_ui(ui, |ui| {
                    theme_ui(ui);
                    status_ui(ui, view_ctx, status);
                    sync_view::status_ui(ui, &state.sync, commands);
                });
            });
        } else {
            ui.horizontal(|ui| {
                ui.set_height(row);
                widths[0] = group(ui, |ui| tabs_ui(ui, view_ctx, state, commands));
                widths[2] += right_ui(ui, theme_ui);
            });
            ui.horizontal(|ui| {
                ui.set_height(row);
                widths[1] = group(ui, |ui| actions_ui(ui, view_ctx, doc, state, commands));
                widths[2] += right_ui(ui, |ui| {
                    status_ui(ui, view_ctx, status);
                    sync_view::status_ui(ui, &state.sync, commands);
                });
            });
            widths[2] += spacing;
        }
        state.top_bar.widths = widths;
    });
}

/// A left-to-right group; returns its width.
fn group(ui: &mut Ui, add: impl FnOnce(&mut Ui)) -> f32 {
    ui.horizontal(add).response.rect.width()
}

/// A right-aligned group in the rest of the row; returns the width its
/// contents took.
fn right_ui(ui: &mut Ui, add: impl FnOnce(&mut Ui)) -> f32 {
    ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
        let right = ui.max_rect().right();
        add(ui);
        right - ui.min_rect().left()
    })
    .inner
}

/// The side-panel toggle, the name and the view tabs.
fn tabs_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, state: &mut UiState, commands: &mut Vec<Command>) {
    if side_panel_toggle_ui(ui, !state.side_panel_hidden).clicked() {
        commands.push(Command::ToggleSidePanel);
    }
    ui.strong("kith");
    ui.separator();
    for view in View::ALL {
        let label = match view {
            // Counted from the index: walking 100k people every frame
            // took half the frame time.
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
}

/// A button with a painted side-panel icon: the left column is filled while
/// the panel shows.
fn side_panel_toggle_ui(ui: &mut Ui, open: bool) -> egui::Response {
    let size = egui::vec2(style::PANEL_TOGGLE_WIDTH, ui.spacing().interact_size.y);
    let response = ui
        .add_sized(size, egui::Button::new("").selected(open))
        .on_hover_text(if open {
            "Hide the people list (Ctrl+B)"
        } else {
            "Show the people list (Ctrl+B)"
        });
    response
        .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, open, "People list"));
    let visuals = ui.style().interact_selectable(&response, open);
    let icon = egui::Rect::from_center_size(response.rect.center(), style::PANEL_ICON_SIZE);
    let painter = ui.painter();
    let stroke = egui::Stroke::new(style::PANEL_ICON_STROKE, visuals.fg_stroke.color);
    painter.rect_stroke(
        icon,
        style::PANEL_ICON_RADIUS,
        stroke,
        egui::StrokeKind::Inside,
    );
    let split = icon.left() + icon.width() * style::PANEL_ICON_SPLIT;
    let column = egui::Rect::from_min_max(icon.min, egui::pos2(split, icon.bottom()));
    if open {
        painter.rect_filled(column, style::PANEL_ICON_RADIUS, visuals.fg_stroke.color);
    } else {
        painter.line_segment(
            [
                egui::pos2(split, icon.top()),
                egui::pos2(split, icon.bottom()),
            ],
            stroke,
        );
    }
    response
}

/// New person, undo and redo, the palette, import and export.
fn actions_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    doc: &Document,
    state: &mut UiState,
    commands: &mut Vec<Command>,
) {
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
    exchange_view::menu_ui(ui, view_ctx, &mut state.exchange, state.people.rows());
}

/// The people count and the save status, in a slot of fixed width (drawn
/// in a right-to-left layout: the slot ends where the layout's cursor is).
fn status_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, status: SaveStatus) {
    let size = egui::vec2(style::STATUS_SLOT_WIDTH, ui.spacing().interact_size.y);
    ui.allocate_ui_with_layout(size, Layout::left_to_right(Align::Center), |ui| {
        ui.set_min_size(size);
        ui.set_max_width(size.x);
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!("{} people", view_ctx.insight.live_people())).weak(),
            )
            .truncate(),
        );
        ui.separator();
        let warn = ui.visuals().warn_fg_color;
        let (text, hover) = match status {
            SaveStatus::ReadOnly => (
                egui::RichText::new("Read-only").color(warn),
                "kith cannot write this folder; the banner says why.".to_string(),
            ),
            SaveStatus::Conflicts(count) => (
                egui::RichText::new(format!("{count} to resolve")).color(warn),
                format!(
                    "{count} file(s) changed both on disk and here: pick a version in the banner."
                ),
            ),
            SaveStatus::Saving => (
                egui::RichText::new("Saving...").weak(),
                "Your changes are written in a moment (Ctrl+S saves now).".to_string(),
            ),
            SaveStatus::Saved => (
                egui::RichText::new("Saved").weak(),
                "Every change is on disk.".to_string(),
            ),
            SaveStatus::Preview => (
                egui::RichText::new("Not saved (preview)").weak(),
                "This network has no data folder: nothing is written.".to_string(),
            ),
        };
        ui.add(egui::Label::new(text).truncate())
            .on_hover_text(hover);
    });
}

/// Theme picker: follows the system by default (glyph-free labels).
pub(super) fn theme_ui(ui: &mut Ui) {
    let mut preference = ui.ctx().options(|o| o.theme_preference);
    let before = preference;
    egui::ComboBox::new("theme", "Theme")
        .selected_text(match preference {
            egui::ThemePreference::System => "System",
            egui::ThemePreference::Light => "Light",
            egui::ThemePreference::Dark => "Dark",
        })
        .width(style::THEME_COMBO_WIDTH)
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
