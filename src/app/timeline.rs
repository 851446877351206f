//! A person's relationship timeline, drawn with a custom painter: one mark
//! per interaction coloured by kind, stage changes as flags. Drag to scroll,
//! Ctrl+wheel or pinch to zoom, click a mark to open it.

use super::widgets::{kind_color, labelled_text, stage_color};
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{Interaction, InteractionId, InteractionKind, PersonId};
use chrono::{Datelike, NaiveDate};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Ui, vec2};

/// Zoom, scroll and the open interaction.
#[derive(Default)]
pub struct TimelineState {
    /// Visible span in days (None = fit everything).
    pub span_days: Option<f32>,
    /// Right edge, in days after today (negative = in the past).
    pub end_offset: f32,
    /// The interaction being viewed/edited.
    pub open: Option<InteractionId>,
    draft: Option<Interaction>,
    person: Option<PersonId>,
    /// Mark positions for the current view, rebuilt when it changes.
    layout: Option<(LayoutKey, MarkLayout)>,
}

/// Marks stacked higher than this in one pixel column are counted, not drawn.
const MAX_STACK: u32 = 5;

/// What the mark layout depends on (floats by their bits).
type LayoutKey = (PersonId, u64, [u32; 5]);

/// Where each visible mark goes, and how many did not fit per column.
#[derive(Default)]
struct MarkLayout {
    marks: Vec<Mark>,
    hidden: Vec<(Pos2, u32)>,
}

struct Mark {
    center: Pos2,
    id: InteractionId,
    kind: InteractionKind,
    label: String,
}

/// Lay out the marks of one person: newest first within a column, at most
/// [`MAX_STACK`] high; the rest become a "+N" count above the column.
fn layout_marks(
    view_ctx: &ViewCtx<'_>,
    dates: &[(NaiveDate, InteractionId)],
    x_of: impl Fn(NaiveDate) -> f32,
    rect: Rect,
    axis_y: f32,
) -> MarkLayout {
    let mut layout = MarkLayout::default();
    let mut column_heights: std::collections::HashMap<i32, (u32, f32)> = Default::default();
    for (date, interaction_id) in dates.iter().rev() {
        let x = x_of(*date);
        if x < rect.left() - 6.0 || x > rect.right() + 6.0 {
            continue;
        }
        let Some(interaction) = view_ctx.model.interactions.get(interaction_id) else {
            continue;
        };
        let column = (x / 8.0) as i32;
        let entry = column_heights.entry(column).or_insert((0, x));
        entry.0 += 1;
        if entry.0 > MAX_STACK {
            continue;
        }
        let level = entry.0 - 1;
        layout.marks.push(Mark {
            center: Pos2::new(x, axis_y - 10.0 - level as f32 * 11.0),
            id: *interaction_id,
            kind: interaction.kind,
            label: format!("{} on {}", interaction.kind.label(), interaction.date),
        });
    }
    let mut hidden: Vec<(Pos2, u32)> = column_heights
        .into_values()
        .filter(|(count, _)| *count > MAX_STACK)
        .map(|(count, x)| {
            (
                Pos2::new(x, axis_y - 10.0 - MAX_STACK as f32 * 11.0),
                count - MAX_STACK,
            )
        })
        .collect();
    hidden.sort_by(|a, b| a.0.x.total_cmp(&b.0.x));
    layout.hidden = hidden;
    layout
}

/// Draw the timeline of one person, with the open interaction below it.
pub fn person_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    id: PersonId,
    state: &mut TimelineState,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    if state.person != Some(id) {
        state.person = Some(id);
        state.span_days = None;
        state.end_offset = 0.0;
        if state.open.is_some_and(|i| {
            !model
                .interactions
                .get(&i)
                .is_some_and(|x| x.people.contains(&id))
        }) {
            state.open = None;
        }
    }
    let stats = view_ctx.insight.stats(id);
    let person = model.people.get(&id);
    ui.horizontal(|ui| {
        ui.strong("Timeline");
        ui.weak("drag to scroll, Ctrl+wheel to zoom, click a mark to open it");
        if ui.small_button("Fit").clicked() {
            state.span_days = None;
            state.end_offset = 0.0;
        }
    });
    let today = view_ctx.today;
    let first = stats
        .first_contact
        .into_iter()
        .chain(person.and_then(|p| p.met.date))
        .min()
        .unwrap_or(today);
    let fit_span = ((today - first).num_days() as f32 + 30.0).max(60.0);
    let span = state.span_days.unwrap_or(fit_span).clamp(7.0, 365.0 * 30.0);
    let desired = vec2(ui.available_width().max(200.0), 110.0);
    let (rect, response) = ui.allocate_exact_size(desired, Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
    let end_day = state.end_offset + 10.0;
    let start_day = end_day - span;
    let x_of = |date: NaiveDate| {
        let d = (date - today).num_days() as f32;
        rect.left() + (d - start_day) / span * rect.width()
    };
    // Pan and zoom.
    if response.dragged() {
        state.end_offset -= response.drag_delta().x / rect.width() * span;
        state.span_days = Some(span);
    }
    if response.hovered() {
        let zoom = ui.input(|i| i.zoom_delta());
        if (zoom - 1.0).abs() > 1e-3 {
            state.span_days = Some((span / zoom).clamp(7.0, 365.0 * 30.0));
        }
    }
    // Axis with month ticks.
    let axis_y = rect.bottom() - 22.0;
    painter.line_segment(
        [
            Pos2::new(rect.left(), axis_y),
            Pos2::new(rect.right(), axis_y),
        ],
        Stroke::new(1.0, visuals.weak_text_color()),
    );
    let start_date = today + chrono::Duration::days(start_day.floor() as i64);
    let months_step = if span > 365.0 * 4.0 {
        12
    } else if span > 365.0 {
        3
    } else {
        1
    };
    let mut tick =
        NaiveDate::from_ymd_opt(start_date.year(), start_date.month(), 1).unwrap_or(start_date);
    let end_date = today + chrono::Duration::days(end_day.ceil() as i64);
    while tick <= end_date {
        let x = x_of(tick);
        if x >= rect.left() {
            painter.line_segment(
                [Pos2::new(x, axis_y - 3.0), Pos2::new(x, axis_y + 3.0)],
                Stroke::new(1.0, visuals.weak_text_color()),
            );
            let text = if tick.month() == 1 || months_step == 12 {
                tick.format("%Y").to_string()
            } else {
                tick.format("%b").to_string()
            };
            painter.text(
                Pos2::new(x + 2.0, axis_y + 4.0),
                Align2::LEFT_TOP,
                text,
                FontId::proportional(11.0),
                visuals.weak_text_color(),
            );
        }
        let mut month = tick.month0() + months_step;
        let mut year = tick.year();
        while month >= 12 {
            month -= 12;
            year += 1;
        }
        tick = NaiveDate::from_ymd_opt(year, month + 1, 1)
            .unwrap_or(end_date + chrono::Duration::days(1));
    }
    // Today line.
    let tx = x_of(today);
    painter.line_segment(
        [Pos2::new(tx, rect.top()), Pos2::new(tx, axis_y)],
        Stroke::new(1.0, visuals.selection.bg_fill),
    );
    painter.text(
        Pos2::new(tx - 2.0, rect.top() + 2.0),
        Align2::RIGHT_TOP,
        "today",
        FontId::proportional(10.0),
        visuals.weak_text_color(),
    );
    // Stage changes.
    if let Some(person) = person {
        for change in &person.stage_history {
            let x = x_of(change.date);
            if x < rect.left() || x > rect.right() {
                continue;
            }
            let color = stage_color(change.stage);
            painter.line_segment(
                [Pos2::new(x, rect.top() + 14.0), Pos2::new(x, axis_y)],
                Stroke::new(1.5, color),
            );
            painter.text(
                Pos2::new(x + 3.0, rect.top() + 14.0),
                Align2::LEFT_TOP,
                change.stage.label(),
                FontId::proportional(10.0),
                color,
            );
        }
    }
    // Interaction marks, stacked when they fall on the same pixel column.
    // The layout is cached: a frame only draws and hit-tests.
    let key: LayoutKey = (
        id,
        view_ctx.revision,
        [
            span.to_bits(),
            state.end_offset.to_bits(),
            rect.left().to_bits(),
            rect.width().to_bits(),
            axis_y.to_bits(),
        ],
    );
    if state.layout.as_ref().is_none_or(|(k, _)| *k != key) {
        let layout = layout_marks(view_ctx, &stats.interactions, x_of, rect, axis_y);
        state.layout = Some((key, layout));
    }
    let mut clicked_mark = None;
    let mut zoom_to = None;
    if let Some((_, layout)) = &state.layout {
        for mark in &layout.marks {
            let mark_rect = Rect::from_center_size(mark.center, vec2(10.0, 10.0));
            // Marks scrolled out of view cost nothing (hundreds per person).
            if !ui.is_rect_visible(mark_rect) {
                continue;
            }
            let response = ui.interact(
                mark_rect,
                ui.scope_id().with(("mark", mark.id)),
                Sense::click(),
            );
            response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &mark.label));
            let open = state.open == Some(mark.id);
            let radius = if response.hovered() || open { 6.0 } else { 4.5 };
            painter.circle(
                mark.center,
                radius,
                kind_color(mark.kind),
                Stroke::new(if open { 2.0 } else { 0.5 }, visuals.strong_text_color()),
            );
            if response.clicked() {
                clicked_mark = Some(mark.id);
            }
            // Only the hovered mark builds a tooltip: asking every mark
            // each frame took an eighth of the frame.
            if !response.hovered() {
                continue;
            }
            response.on_hover_ui(|ui| {
                ui.label(&mark.label);
                if let Some(note) = model
                    .interactions
                    .get(&mark.id)
                    .map(|i| i.note.as_str())
                    .filter(|n| !n.is_empty())
                {
                    ui.label(note);
                }
            });
        }
        for (at, count) in &layout.hidden {
            if !ui.is_rect_visible(Rect::from_center_size(*at, vec2(22.0, 12.0))) {
                continue;
            }
            let text = format!("+{count}");
            let more = ui.interact(
                Rect::from_center_size(*at, vec2(22.0, 12.0)),
                ui.scope_id().with(("more", at.x.to_bits())),
                Sense::click(),
            );
            more.widget_info(|| {
                egui::WidgetInfo::labeled(
                    egui::Role::Button,
                    true,
                    format!("{count} more interactions here: zoom in"),
                )
            });
            painter.text(
                *at,
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(10.0),
                visuals.strong_text_color(),
            );
            if more.clicked() {
                zoom_to = Some(at.x);
            }
            if more.hovered() {
                more.on_hover_text(format!("{count} more here: click to zoom in"));
            }
        }
    }
    // Zoom in four times around a crowded column.
    if let Some(x) = zoom_to {
        let day = start_day + (x - rect.left()) / rect.width() * span;
        let new_span = (span / 4.0).max(7.0);
        state.span_days = Some(new_span);
        state.end_offset = day + new_span / 2.0 - 10.0;
    }
    if let Some(mark) = clicked_mark {
        state.open = Some(mark);
    }
    // Legend.
    ui.horizontal_wrapped(|ui| {
        for kind in InteractionKind::ALL {
            if stats.count(kind) == 0 {
                continue;
            }
            let (r, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
            ui.painter()
                .circle_filled(r.center(), 4.5, kind_color(kind));
            ui.small(format!("{} {}", kind.label(), stats.count(kind)));
        }
    });
    open_interaction_ui(ui, view_ctx, state, commands);
    ui.collapsing(format!("All interactions ({})", stats.total()), |ui| {
        for (date, interaction_id) in stats.interactions.iter().rev().take(500) {
            let Some(interaction) = model.interactions.get(interaction_id) else {
                continue;
            };
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(vec2(10.0, 10.0), Sense::hover());
                ui.painter()
                    .circle_filled(r.center(), 4.0, kind_color(interaction.kind));
                if ui
                    .selectable_label(
                        state.open == Some(*interaction_id),
                        format!("{date}  {}", interaction.kind.label()),
                    )
                    .clicked()
                {
                    state.open = Some(*interaction_id);
                }
                ui.weak(&interaction.note);
            });
        }
    });
}

fn open_interaction_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    state: &mut TimelineState,
    commands: &mut Vec<Command>,
) {
    let Some(open) = state.open else {
        return;
    };
    let Some(interaction) = view_ctx.model.interactions.get(&open) else {
        state.open = None;
        return;
    };
    if state.draft.as_ref().is_none_or(|d| d.id != open) {
        state.draft = Some(interaction.clone());
    }
    let Some(draft) = state.draft.as_mut() else {
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.strong(format!(
                "{} on {}",
                interaction.kind.label(),
                interaction.date
            ));
            let others: Vec<&str> = interaction
                .people
                .iter()
                .map(|p| view_ctx.model.person_name(*p))
                .collect();
            ui.label(format!("with {}", others.join(", ")));
        });
        ui.horizontal(|ui| {
            egui::ComboBox::new("open_kind", "Kind")
                .selected_text(draft.kind.label())
                .show_ui(ui, |ui| {
                    for kind in InteractionKind::ALL {
                        ui.selectable_value(&mut draft.kind, kind, kind.label());
                    }
                });
        });
        // Typed date entry with its calendar (engineer E's date_entry).
        let mut on = Some(draft.date);
        let date_error = super::widgets::form_row(ui, "On", |ui, label| {
            super::date_entry::DateEntry::new(("open_date", open), &mut on, view_ctx.today)
                .labelled_by(label)
                .show(ui)
                .error
        });
        if let Some(on) = on {
            draft.date = on;
        }
        labelled_text(ui, "Interaction note", &mut draft.note);
        ui.horizontal(|ui| {
            let mut has = draft.follow_up.is_some();
            if ui.checkbox(&mut has, "Follow up on").changed() {
                draft.follow_up = has.then(|| view_ctx.today + chrono::Duration::days(14));
            }
            if draft.follow_up.is_some() {
                ui.checkbox(&mut draft.follow_up_done, "done");
            }
        });
        let mut follow_error = None;
        if draft.follow_up.is_some() {
            follow_error = super::widgets::form_row(ui, "Follow up", |ui, label| {
                super::date_entry::DateEntry::new(
                    ("open_follow", open),
                    &mut draft.follow_up,
                    view_ctx.today,
                )
                .choices(super::date_entry::AHEAD_CHOICES)
                .labelled_by(label)
                .show(ui)
                .error
            });
        }
        ui.horizontal(|ui| {
            let changed = draft != interaction;
            let valid = date_error.is_none() && follow_error.is_none();
            let save = ui.add_enabled(changed && valid, egui::Button::new("Save interaction"));
            let save = if valid {
                save
            } else {
                save.on_disabled_hover_text("Fix the date first")
            };
            if save.clicked()
            {
                commands.push(Command::Apply(Action::EditInteraction(draft.clone())));
            }
            if ui.button("Delete interaction").clicked() {
                commands.push(Command::Apply(Action::DeleteInteraction(open)));
                state.open = None;
            }
            if ui.button("Close").clicked() {
                state.open = None;
            }
        });
    });
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) && !ui.ctx().egui_wants_keyboard_input() {
        state.open = None;
    }
}

/// Weekly counts for the last `weeks` weeks ending at `today` (oldest first).
pub fn weekly_counts(
    interactions: impl Iterator<Item = NaiveDate>,
    today: NaiveDate,
    weeks: usize,
) -> Vec<u32> {
    let mut counts = vec![0u32; weeks];
    for date in interactions {
        let days = (today - date).num_days();
        if days < 0 {
            continue;
        }
        let week = (days / 7) as usize;
        if week < weeks {
            counts[weeks - 1 - week] += 1;
        }
    }
    counts
}

/// Draw a bar chart of weekly counts.
pub fn bars_ui(ui: &mut Ui, counts: &[u32], color: Color32) {
    let desired = vec2(ui.available_width().max(200.0), 100.0);
    let (rect, _) = ui.allocate_exact_size(desired, Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, ui.visuals().extreme_bg_color);
    let max = counts.iter().copied().max().unwrap_or(0).max(1) as f32;
    let width = rect.width() / counts.len().max(1) as f32;
    for (i, count) in counts.iter().enumerate() {
        let h = *count as f32 / max * (rect.height() - 16.0);
        let x = rect.left() + i as f32 * width;
        let bar = Rect::from_min_max(
            Pos2::new(x + 1.0, rect.bottom() - h),
            Pos2::new(x + width - 1.0, rect.bottom()),
        );
        painter.rect_filled(bar, 1.0, color);
    }
    painter.text(
        rect.left_top() + vec2(4.0, 2.0),
        Align2::LEFT_TOP,
        format!("max {} per week", max as u32),
        FontId::proportional(10.0),
        ui.visuals().weak_text_color(),
    );
}
