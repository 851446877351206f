//! A person's relationship timeline, drawn with a custom painter: one mark
//! per interaction with the icon of its kind, follow-ups still to do drawn
//! hollow and dashed at their date (ahead of today when they are due
//! later), the day you met and stage changes as flags, and an axis whose
//! ticks (days, weeks, months or years) follow the zoom so the dates never
//! overlap. Drag to scroll, Ctrl+wheel or pinch to zoom, click a mark to
//! open it.

use super::style;
use super::widgets::{kind_color, labelled_text, stage_color};
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{Interaction, InteractionId, InteractionKind, PersonId};
use chrono::{Datelike, NaiveDate};
use egui::{Align2, Color32, FontId, Pos2, Rect, RichText, Sense, Stroke, Ui, vec2};

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
    /// The interaction as it was when `draft` was taken from it.
    draft_base: Option<Interaction>,
    person: Option<PersonId>,
    /// Mark positions for the current view, rebuilt when it changes.
    layout: Option<(LayoutKey, MarkLayout)>,
    /// Follow-ups still to do, by person and revision.
    follow_ups: Option<((PersonId, u64), Vec<FollowUp>)>,
}

/// A follow-up not done yet: when, which interaction, of what kind, and
/// the day it was first due when it was snoozed.
#[derive(Clone, Copy)]
struct FollowUp {
    due: NaiveDate,
    id: InteractionId,
    kind: InteractionKind,
    snoozed_from: Option<NaiveDate>,
}

/// The follow-ups still to do among a person's interactions, by due date.
fn open_follow_ups(
    view_ctx: &ViewCtx<'_>,
    interactions: &[(NaiveDate, InteractionId)],
) -> Vec<FollowUp> {
    let mut list: Vec<FollowUp> = interactions
        .iter()
        .filter_map(|(_, id)| view_ctx.model.interactions.get(id))
        .filter(|i| !i.follow_up_done)
        .filter_map(|i| {
            i.follow_up.map(|due| FollowUp {
                due,
                id: i.id,
                kind: i.kind,
                snoozed_from: i.snoozed_from,
            })
        })
        .collect();
    list.sort_by_key(|f| f.due);
    list
}

/// The unit of the axis ticks at a zoom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TickUnit {
    /// Every `n` days ("3 Dec").
    Days(u32),
    /// Every Monday ("7 Dec").
    Weeks,
    /// Every `n` months ("Mar", and the year at January).
    Months(u32),
    /// Every `n` years ("2026").
    Years(u32),
}

impl TickUnit {
    /// About how many days one step of this unit is.
    fn days(self) -> f32 {
        match self {
            TickUnit::Days(n) => n as f32,
            TickUnit::Weeks => 7.0,
            TickUnit::Months(n) => n as f32 * 30.44,
            TickUnit::Years(n) => n as f32 * 365.25,
        }
    }
}

/// The finest tick unit whose steps are at least `min_gap` pixels apart at
/// `px_per_day`.
pub fn tick_unit(px_per_day: f32, min_gap: f32) -> TickUnit {
    const UNITS: [TickUnit; 11] = [
        TickUnit::Days(1),
        TickUnit::Days(2),
        TickUnit::Weeks,
        TickUnit::Months(1),
        TickUnit::Months(3),
        TickUnit::Months(6),
        TickUnit::Years(1),
        TickUnit::Years(2),
        TickUnit::Years(5),
        TickUnit::Years(10),
        TickUnit::Years(25),
    ];
    UNITS
        .into_iter()
        .find(|unit| unit.days() * px_per_day >= min_gap)
        .unwrap_or(TickUnit::Years(50))
}

/// The tick dates of `unit` from `start` to `end` (inclusive), each with
/// its label.
pub fn ticks(unit: TickUnit, start: NaiveDate, end: NaiveDate) -> Vec<(NaiveDate, String)> {
    let mut out = Vec::new();
    let month_start = |year: i32, month0: u32| NaiveDate::from_ymd_opt(year, month0 + 1, 1);
    let mut tick = match unit {
        TickUnit::Days(_) => Some(start),
        TickUnit::Weeks => {
            let back = start.weekday().num_days_from_monday();
            Some(start - chrono::Duration::days(i64::from(back)))
        }
        TickUnit::Months(n) => month_start(start.year(), start.month0() / n * n),
        TickUnit::Years(n) => {
            let n = n as i32;
            NaiveDate::from_ymd_opt(start.year().div_euclid(n) * n, 1, 1)
        }
    };
    while let Some(date) = tick {
        if date > end || out.len() > 400 {
            break;
        }
        let label = match unit {
            TickUnit::Days(_) | TickUnit::Weeks => {
                if date.day() == 1 && date.month() == 1 {
                    date.format("%-d %b %Y").to_string()
                } else {
                    date.format("%-d %b").to_string()
                }
            }
            TickUnit::Months(_) => {
                if date.month() == 1 {
                    date.format("%Y").to_string()
                } else {
                    date.format("%b").to_string()
                }
            }
            TickUnit::Years(_) => date.format("%Y").to_string(),
        };
        if date >= start {
            out.push((date, label));
        }
        tick = match unit {
            TickUnit::Days(n) => date.checked_add_days(chrono::Days::new(u64::from(n))),
            TickUnit::Weeks => date.checked_add_days(chrono::Days::new(7)),
            TickUnit::Months(n) => date.checked_add_months(chrono::Months::new(n)),
            TickUnit::Years(n) => date.checked_add_months(chrono::Months::new(n * 12)),
        };
    }
    out
}

/// Marks stacked higher than this in one pixel column are counted, not drawn.
const MAX_STACK: u32 = 5;

/// Radius of an interaction mark.
const MARK_RADIUS: f32 = 7.0;
/// Height of the first mark's centre above the axis.
const MARK_BASE: f32 = 12.0;
/// Vertical step between stacked marks.
const MARK_STEP: f32 = 14.0;
/// Marks closer than this (pixels) share a column and stack.
const MARK_COLUMN: f32 = 10.0;

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
        let column = (x / MARK_COLUMN) as i32;
        let entry = column_heights.entry(column).or_insert((0, x));
        entry.0 += 1;
        if entry.0 > MAX_STACK {
            continue;
        }
        let level = entry.0 - 1;
        layout.marks.push(Mark {
            center: Pos2::new(x, axis_y - MARK_BASE - level as f32 * MARK_STEP),
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
                Pos2::new(x, axis_y - MARK_BASE - MAX_STACK as f32 * MARK_STEP),
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
    ui.horizontal_wrapped(|ui| {
        ui.weak("Drag to scroll, Ctrl+wheel to zoom, click a mark to open it");
        if ui.small_button("Fit").clicked() {
            state.span_days = None;
            state.end_offset = 0.0;
        }
    });
    let today = view_ctx.today;
    let follow_key = (id, view_ctx.revision);
    if state
        .follow_ups
        .as_ref()
        .is_none_or(|(k, _)| *k != follow_key)
    {
        state.follow_ups = Some((follow_key, open_follow_ups(view_ctx, &stats.interactions)));
    }
    let follow_ups: Vec<FollowUp> = state
        .follow_ups
        .as_ref()
        .map(|(_, list)| list.clone())
        .unwrap_or_default();
    let first = stats
        .first_contact
        .into_iter()
        .chain(person.and_then(|p| p.met.date))
        .min()
        .unwrap_or(today);
    // Fitting shows everything from the first contact to the last follow-up.
    let last_due = follow_ups.last().map(|f| f.due).filter(|d| *d > today);
    let ahead = last_due.map_or(10.0, |d| (d - today).num_days() as f32 + 10.0);
    let fit_span = ((today - first).num_days() as f32 + 20.0 + ahead).max(60.0);
    let span = state.span_days.unwrap_or(fit_span).clamp(7.0, 365.0 * 30.0);
    let desired = vec2(ui.available_width().max(200.0), style::TIMELINE_HEIGHT);
    let (rect, response) = ui.allocate_exact_size(desired, Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    let weak = visuals.weak_text_color();
    painter.rect_filled(rect, 4.0, visuals.extreme_bg_color);
    let end_day = state.end_offset + ahead;
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
    // Axis: the tick unit follows the zoom, and a label that would touch
    // the one before it is left out.
    let axis_y = rect.bottom() - style::TIMELINE_AXIS_ROOM;
    painter.line_segment(
        [
            Pos2::new(rect.left(), axis_y),
            Pos2::new(rect.right(), axis_y),
        ],
        Stroke::new(1.0, weak),
    );
    let axis_font = FontId::proportional(style::TEXT_SMALL);
    let widest = ui
        .fonts_mut(|f| f.layout_no_wrap("28 Sep 2026".into(), axis_font.clone(), weak))
        .size()
        .x;
    let px_per_day = rect.width() / span;
    let unit = tick_unit(px_per_day, widest * 0.75 + style::SPACE_M);
    let start_date = today + chrono::Duration::days(start_day.floor() as i64);
    let end_date = today + chrono::Duration::days(end_day.ceil() as i64);
    let mut last_right = f32::NEG_INFINITY;
    for (tick, text) in ticks(unit, start_date, end_date) {
        let x = x_of(tick);
        if x < rect.left() {
            continue;
        }
        painter.line_segment(
            [Pos2::new(x, axis_y - 3.0), Pos2::new(x, axis_y + 3.0)],
            Stroke::new(1.0, weak),
        );
        let galley = ui.fonts_mut(|f| f.layout_no_wrap(text, axis_font.clone(), weak));
        let left = x - galley.size().x / 2.0;
        if left < last_right + style::SPACE_S || left + galley.size().x > rect.right() {
            continue;
        }
        last_right = left + galley.size().x;
        painter.galley(
            Pos2::new(left.max(rect.left() + 2.0), axis_y + 4.0),
            galley,
            weak,
        );
    }
    // Today line; the future beyond it is shaded.
    let tx = x_of(today);
    if tx < rect.right() {
        let future = Rect::from_min_max(
            Pos2::new(tx.max(rect.left()), rect.top()),
            Pos2::new(rect.right(), axis_y),
        );
        painter.rect_filled(future, 0.0, visuals.faint_bg_color);
    }
    painter.line_segment(
        [Pos2::new(tx, rect.top()), Pos2::new(tx, axis_y)],
        Stroke::new(1.5, visuals.selection.bg_fill),
    );
    painter.text(
        Pos2::new(tx - 3.0, rect.top() + 2.0),
        Align2::RIGHT_TOP,
        "today",
        axis_font.clone(),
        weak,
    );
    // The day you met, and stage changes: flags on a pole.
    let mut flags: Vec<(NaiveDate, String, Color32)> = Vec::new();
    if let Some(person) = person {
        if let Some(met) = person.met.date {
            let text = if person.met.place.trim().is_empty() {
                "met".to_string()
            } else {
                format!("met at {}", person.met.place.trim())
            };
            flags.push((met, text, visuals.strong_text_color()));
        }
        for change in &person.stage_history {
            flags.push((
                change.date,
                change.stage.label().to_string(),
                stage_color(change.stage),
            ));
        }
    }
    let mut flag_right = f32::NEG_INFINITY;
    let mut flag_row = 0;
    for (date, text, color) in &flags {
        let x = x_of(*date);
        if x < rect.left() - 200.0 || x > rect.right() {
            continue;
        }
        // Labels that would overlap go one row lower.
        flag_row = if x < flag_right {
            (flag_row + 1) % 2
        } else {
            0
        };
        let top = rect.top() + style::TIMELINE_FLAG_TOP + flag_row as f32 * style::TEXT_SMALL;
        painter.add(egui::Shape::dashed_line(
            &[Pos2::new(x, top), Pos2::new(x, axis_y)],
            Stroke::new(1.5, *color),
            4.0,
            3.0,
        ));
        painter.add(egui::Shape::convex_polygon(
            vec![
                Pos2::new(x, top),
                Pos2::new(x + 6.0, top + 3.0),
                Pos2::new(x, top + 6.0),
            ],
            *color,
            Stroke::NONE,
        ));
        let galley = ui.fonts_mut(|f| f.layout_no_wrap(text.clone(), axis_font.clone(), *color));
        flag_right = x + 8.0 + galley.size().x;
        painter.galley(Pos2::new(x + 8.0, top - 2.0), galley, *color);
        let hit = ui.interact(
            Rect::from_center_size(Pos2::new(x, top + 3.0), vec2(12.0, 12.0)),
            ui.scope_id().with(("flag", date, text.as_str())),
            Sense::hover(),
        );
        hit.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::Image, true, format!("{text} on {date}"))
        });
        if hit.hovered() {
            hit.on_hover_text(format!("{text} on {date}"));
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
    // Follow-ups still to do: hollow dashed rings at their date, in the
    // kind's colour; overdue ones in the warning colour.
    for follow in &follow_ups {
        let x = x_of(follow.due);
        if x < rect.left() - MARK_RADIUS || x > rect.right() + MARK_RADIUS {
            continue;
        }
        let center = Pos2::new(x, axis_y - MARK_BASE);
        let mark_rect = Rect::from_center_size(center, vec2(2.0, 2.0) * MARK_RADIUS);
        let mut label = format!("Follow up: {} due {}", follow.kind.label(), follow.due);
        if let Some(first) = follow.snoozed_from {
            label.push_str(&format!(
                ", snoozed from {}",
                super::follow_up_actions::short_date(first, today)
            ));
        }
        let response = ui.interact(
            mark_rect,
            ui.scope_id().with(("follow", follow.id)),
            Sense::click(),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        let color = if follow.due < today {
            visuals.warn_fg_color
        } else {
            kind_color(follow.kind)
        };
        let radius = if response.hovered() || state.open == Some(follow.id) {
            MARK_RADIUS + 1.5
        } else {
            MARK_RADIUS
        };
        painter.circle_filled(center, radius, visuals.extreme_bg_color);
        dashed_ring(&painter, center, radius, Stroke::new(1.5, color));
        style::paint_kind_icon(&painter, center, radius * 0.6, follow.kind, color);
        if response.clicked() {
            clicked_mark = Some(follow.id);
        }
        if response.hovered() {
            response.on_hover_text(label);
        }
    }
    if let Some((_, layout)) = &state.layout {
        for mark in &layout.marks {
            let mark_rect = Rect::from_center_size(mark.center, vec2(2.0, 2.0) * MARK_RADIUS);
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
            let radius = if response.hovered() || open {
                MARK_RADIUS + 1.5
            } else {
                MARK_RADIUS
            };
            painter.circle(
                mark.center,
                radius,
                kind_color(mark.kind),
                Stroke::new(if open { 2.0 } else { 0.5 }, visuals.strong_text_color()),
            );
            style::paint_kind_icon(
                &painter,
                mark.center,
                radius * 0.7,
                mark.kind,
                style::AVATAR_TEXT,
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
                    .map(|i| super::intro_offers::row_text(model, i))
                    .filter(|n| !n.is_empty())
                {
                    ui.label(note);
                }
                if let Some(from) = model
                    .interactions
                    .get(&mark.id)
                    .and_then(|i| super::history_view::origin_text(model, i))
                {
                    ui.weak(from);
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
                axis_font.clone(),
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
        state.end_offset = day + new_span / 2.0 - ahead;
    }
    if let Some(mark) = clicked_mark {
        state.open = Some(mark);
    }
    // Legend at reading size: whose timeline, each kind with its icon and
    // count, and what the hollow and flag marks mean.
    ui.horizontal_wrapped(|ui| {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        let body = |text: String| RichText::new(text).size(style::TEXT_BODY);
        let icon = style::TEXT_BODY + 2.0;
        // An item drawn as a row of its own does not wrap: start a new line
        // before it when its icon and words do not fit on this one.
        let fit = |ui: &mut Ui, icon_width: f32, text: &str| {
            let gap = ui.spacing().item_spacing.x;
            super::widgets::wrap_before(
                ui,
                icon_width + gap + super::widgets::text_width(ui, text) + gap,
            );
        };
        if let Some(person) = person {
            fit(ui, style::AVATAR_ROW, &format!("You and {}", person.name));
            ui.horizontal(|ui| {
                super::widgets::avatar_ui(ui, view_ctx, person, style::AVATAR_ROW);
                ui.label(body(format!("You and {}", person.name)));
            });
            ui.add_space(style::SPACE_S);
        }
        // Each icon stays with its words when the legend wraps.
        for kind in InteractionKind::ALL {
            if stats.count(kind) == 0 {
                continue;
            }
            fit(ui, icon, &format!("{} {}", kind.label(), stats.count(kind)));
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(vec2(icon, icon), Sense::hover());
                ui.painter()
                    .circle_filled(r.center(), icon / 2.0, kind_color(kind));
                style::paint_kind_icon(
                    ui.painter(),
                    r.center(),
                    icon * 0.3,
                    kind,
                    style::AVATAR_TEXT,
                );
                ui.label(body(format!("{} {}", kind.label(), stats.count(kind))));
            });
        }
        if !follow_ups.is_empty() {
            fit(ui, icon, &format!("follow-ups to do {}", follow_ups.len()));
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(vec2(icon, icon), Sense::hover());
                dashed_ring(
                    ui.painter(),
                    r.center(),
                    icon / 2.0 - 1.0,
                    Stroke::new(1.5, weak),
                );
                ui.label(body(format!("follow-ups to do {}", follow_ups.len())));
            });
        }
        if !flags.is_empty() {
            fit(ui, icon, "met and stage changes");
            ui.horizontal(|ui| {
                let (r, _) = ui.allocate_exact_size(vec2(icon, icon), Sense::hover());
                let c = r.center();
                ui.painter().add(egui::Shape::convex_polygon(
                    vec![
                        Pos2::new(c.x - 3.0, c.y - 6.0),
                        Pos2::new(c.x + 5.0, c.y - 2.0),
                        Pos2::new(c.x - 3.0, c.y + 2.0),
                    ],
                    weak,
                    Stroke::NONE,
                ));
                ui.label(body("met and stage changes".into()));
            });
        }
    });
    open_follow_ups_ui(ui, view_ctx, &follow_ups, state, commands);
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
                ui.weak(super::intro_offers::row_text(model, interaction));
                if let Some(from) = super::history_view::origin_text(model, interaction) {
                    ui.label(style::caption_text(ui, &from));
                }
            });
        }
    });
}

/// The follow-ups still to do, one row each: when, after what (click to
/// open it), and "Done…" and "Snooze…".
fn open_follow_ups_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    follow_ups: &[FollowUp],
    state: &mut TimelineState,
    commands: &mut Vec<Command>,
) {
    let today = view_ctx.today;
    for follow in follow_ups {
        let Some(interaction) = view_ctx.model.interactions.get(&follow.id) else {
            continue;
        };
        ui.horizontal_wrapped(|ui| {
            // Whole items move to the next line; none is split.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            let due = RichText::new(super::follow_up_actions::due_text(follow.due, today));
            if follow.due < today {
                ui.label(due.color(ui.visuals().warn_fg_color));
            } else {
                ui.label(due);
            }
            let after = format!(
                "after {} on {}",
                follow.kind.after_phrase(),
                super::follow_up_actions::short_date(interaction.date, today)
            );
            if ui.link(after).clicked() {
                state.open = Some(follow.id);
            }
            if let Some(snoozed) = super::follow_up_actions::snoozed_text(interaction, today) {
                ui.weak(format!("· {snoozed}"));
            }
            super::follow_up_actions::follow_up_actions_ui(ui, view_ctx, interaction, commands);
        });
    }
}

/// A dashed circle (a follow-up still to do).
fn dashed_ring(painter: &egui::Painter, center: Pos2, radius: f32, stroke: Stroke) {
    let points: Vec<Pos2> = (0..=24)
        .map(|i| {
            let angle = i as f32 / 24.0 * std::f32::consts::TAU;
            center + radius * vec2(angle.cos(), angle.sin())
        })
        .collect();
    painter.add(egui::Shape::dashed_line(&points, stroke, 3.0, 2.0));
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
    // A fresh draft for another interaction, or when it changed elsewhere
    // (snoozed, done, undone) while the draft was not edited.
    if state.draft.as_ref() == Some(interaction) && state.draft_base.as_ref() != Some(interaction) {
        state.draft_base = Some(interaction.clone());
    }
    let stale = state.draft_base.as_ref() != Some(interaction)
        && state.draft.as_ref() == state.draft_base.as_ref();
    if state.draft.as_ref().is_none_or(|d| d.id != open) || stale {
        state.draft = Some(interaction.clone());
        state.draft_base = Some(interaction.clone());
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
        if let Some(from) = super::history_view::origin_text(view_ctx.model, interaction) {
            ui.label(style::caption_text(ui, &from));
        }
        super::intro_offers::detail_ui(ui, view_ctx, interaction, commands);
        ui.horizontal(|ui| {
            egui::ComboBox::new("open_kind", "Kind")
                .selected_text(draft.kind.label())
                .show_ui(ui, |ui| {
                    for kind in InteractionKind::ALL {
                        if kind.is_recorded_directly() || kind == draft.kind {
                            ui.selectable_value(&mut draft.kind, kind, kind.label());
                        }
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
            if save.clicked() {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_tick_unit_follows_the_zoom() {
        // 60 px between labels wanted.
        assert_eq!(tick_unit(80.0, 60.0), TickUnit::Days(1));
        assert_eq!(tick_unit(40.0, 60.0), TickUnit::Days(2));
        assert_eq!(tick_unit(10.0, 60.0), TickUnit::Weeks);
        assert_eq!(tick_unit(3.0, 60.0), TickUnit::Months(1));
        assert_eq!(tick_unit(1.0, 60.0), TickUnit::Months(3));
        assert_eq!(tick_unit(0.1, 60.0), TickUnit::Years(2));
        assert_eq!(tick_unit(0.0001, 60.0), TickUnit::Years(50));
    }

    #[test]
    fn ticks_are_far_enough_apart_at_every_zoom() {
        let start = day(2020, 3, 17);
        for px_per_day in [0.01f32, 0.05, 0.2, 0.5, 1.0, 2.0, 5.0, 12.0, 30.0, 90.0] {
            let unit = tick_unit(px_per_day, 60.0);
            let span = (1200.0 / px_per_day) as i64;
            let end = start + chrono::Duration::days(span.min(365 * 60));
            let list = ticks(unit, start, end);
            assert!(!list.is_empty() || span < 366 * 50, "{unit:?}");
            for pair in list.windows(2) {
                let gap = (pair[1].0 - pair[0].0).num_days() as f32 * px_per_day;
                assert!(gap >= 55.0, "{unit:?} at {px_per_day}: {gap}");
                assert!(pair[0].0 >= start && pair[1].0 <= end);
            }
        }
    }

    #[test]
    fn tick_labels_read_as_dates() {
        let weeks = ticks(TickUnit::Weeks, day(2026, 11, 25), day(2026, 12, 20));
        assert_eq!(weeks[0], (day(2026, 11, 30), "30 Nov".to_string()));
        let months = ticks(TickUnit::Months(1), day(2025, 11, 5), day(2026, 2, 1));
        let labels: Vec<&str> = months.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["Dec", "2026", "Feb"]);
        let years = ticks(TickUnit::Years(5), day(2013, 1, 1), day(2026, 1, 1));
        let labels: Vec<&str> = years.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["2015", "2020", "2025"]);
    }
}
