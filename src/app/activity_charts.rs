//! The Activity view's charts: interactions per week stacked by kind, the
//! know -> like -> trust funnel and the day-by-day heatmap. They draw data
//! computed once per model revision (see [`crate::insight::activity`]).

use crate::app::{ViewCtx, style};
use crate::insight::activity::{Funnel, Heatmap, KINDS, WeeklyKinds};
use crate::model::{InteractionKind, Stage};
use chrono::{Datelike, Duration, NaiveDate};
use egui::{Align2, FontId, Rect, RichText, Sense, Ui, pos2, vec2};
use egui_plot::{AxisHints, Bar, BarChart, GridInput, GridMark, Plot};

/// A kind's mark: a disc in the kind's colour with its icon on it.
pub fn paint_kind_mark(
    painter: &egui::Painter,
    center: egui::Pos2,
    radius: f32,
    kind: InteractionKind,
) {
    painter.circle_filled(center, radius, style::kind_color(kind));
    style::paint_kind_icon(painter, center, radius * 0.62, kind, style::MARK_ICON);
}

/// A kind's mark as a widget of icon size (legends, tooltips).
fn kind_mark_ui(ui: &mut Ui, kind: InteractionKind, faded: bool) -> egui::Response {
    let size = vec2(style::ICON_SIZE, style::ICON_SIZE);
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    if ui.is_rect_visible(rect) {
        let painter = ui.painter();
        if faded {
            painter.circle_stroke(
                rect.center(),
                rect.width() / 2.0 - 1.0,
                egui::Stroke::new(1.0, style::kind_color(kind)),
            );
        } else {
            paint_kind_mark(painter, rect.center(), rect.width() / 2.0, kind);
        }
    }
    response
}

/// "Tue 3 Nov 2026".
pub fn day_label(date: NaiveDate) -> String {
    date.format("%a %-d %b %Y").to_string()
}

/// "1 interaction", "3 interactions".
pub fn count_label(count: u32, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// The month starts between `first` and `last`, each with where it falls in
/// days from `first`.
pub fn month_starts(first: NaiveDate, last: NaiveDate) -> Vec<(NaiveDate, i64)> {
    let mut out = Vec::new();
    let mut month = NaiveDate::from_ymd_opt(first.year(), first.month(), 1).unwrap_or(first);
    while month <= last {
        if month >= first {
            out.push((month, (month - first).num_days()));
        }
        let (year, next) = if month.month() == 12 {
            (month.year() + 1, 1)
        } else {
            (month.year(), month.month() + 1)
        };
        match NaiveDate::from_ymd_opt(year, next, 1) {
            Some(date) => month = date,
            None => break,
        }
    }
    out
}

/// A month's axis label: "Jan 2026" for January, "Mar" otherwise.
pub fn month_label(month: NaiveDate) -> String {
    if month.month() == 1 {
        month.format("%b %Y").to_string()
    } else {
        month.format("%b").to_string()
    }
}

/// Interactions per week over the window, stacked by kind, with date labels,
/// a hover card per week and a legend that hides and shows kinds.
pub fn weekly_ui(ui: &mut Ui, weekly: &WeeklyKinds, hidden: &mut [bool; KINDS]) {
    let weeks = weekly.counts.len();
    let first = weekly.first_week;
    let mut charts = Vec::new();
    let mut base = vec![0.0f64; weeks];
    for (k, kind) in InteractionKind::ALL.iter().enumerate() {
        if hidden[k] {
            continue;
        }
        let color = style::kind_color(*kind);
        let bars: Vec<Bar> = weekly
            .counts
            .iter()
            .enumerate()
            .filter(|(_, counts)| counts[k] > 0)
            .map(|(week, counts)| {
                let value = f64::from(counts[k]);
                let bar = Bar::new(week as f64, value)
                    .base_offset(base[week])
                    .width(style::BAR_WIDTH)
                    .fill(color)
                    .stroke(egui::Stroke::NONE)
                    .name(kind.label());
                base[week] += value;
                bar
            })
            .collect();
        if !bars.is_empty() {
            charts.push(
                BarChart::new(kind.label(), bars)
                    .color(color)
                    .allow_hover(false),
            );
        }
    }
    let months: Vec<(f64, u32, NaiveDate)> =
        month_starts(first, first + Duration::weeks(weeks as i64))
            .into_iter()
            .map(|(month, days)| (days as f64 / 7.0 - 0.5, month.month(), month))
            .collect();
    let spacer_months = months.clone();
    let x_axis = AxisHints::new_x()
        .label_spacing(style::AXIS_LABEL_SPACING)
        .formatter(move |mark: GridMark, _range| {
            months
                .iter()
                .find(|(x, _, _)| (x - mark.value).abs() < 1e-6)
                .map(|(_, _, month)| month_label(*month))
                .unwrap_or_default()
        });
    let response = Plot::new("activity_weekly")
        .height(style::WEEKLY_CHART_HEIGHT)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .include_x(-0.6)
        .include_x(weeks as f64 - 0.4)
        .include_y(0.0)
        .include_y(f64::from(weekly.max_total().max(1)) * 1.08)
        .set_margin_fraction(vec2(0.0, 0.0))
        .custom_x_axes(vec![x_axis])
        .x_grid_spacer(move |_input: GridInput| {
            spacer_months
                .iter()
                .map(|(x, month, _)| GridMark {
                    value: *x,
                    // Quarters stay labelled when months get too close.
                    step_size: if (month - 1) % 3 == 0 { 13.0 } else { 4.35 },
                })
                .collect()
        })
        .y_axis_formatter(|mark, _range| integer_label(mark.value))
        .show(ui, |plot_ui| {
            for chart in charts {
                plot_ui.bar_chart(chart);
            }
        });
    let plot_rect = *response.transform.frame();
    if let Some(pointer) = response.response.hover_pos() {
        let x = response.transform.value_from_position(pointer).x;
        let week = x.round();
        if week >= 0.0 && (week as usize) < weeks && plot_rect.contains(pointer) {
            let week = week as usize;
            let left = response.transform.position_from_point_x(week as f64 - 0.5);
            let right = response.transform.position_from_point_x(week as f64 + 0.5);
            ui.painter_at(plot_rect).rect_filled(
                Rect::from_x_y_ranges(left..=right, plot_rect.y_range()),
                0.0,
                style::lane_hover_fill(ui),
            );
            response.response.on_hover_ui_at_pointer(|ui| {
                week_card_ui(ui, weekly, week);
            });
        }
    }
    legend_ui(ui, weekly, hidden);
}

/// The hover card of one week: its dates and the count per kind.
fn week_card_ui(ui: &mut Ui, weekly: &WeeklyKinds, week: usize) {
    let start = weekly.week_start(week);
    let end = start + Duration::days(6);
    ui.label(
        RichText::new(format!(
            "Week of {} to {}",
            start.format("%a %-d %b"),
            end.format("%a %-d %b %Y")
        ))
        .strong(),
    );
    let total = weekly.total(week);
    ui.label(count_label(total, "interaction", "interactions"));
    let Some(counts) = weekly.counts.get(week) else {
        return;
    };
    for (k, kind) in InteractionKind::ALL.iter().enumerate() {
        if counts[k] == 0 {
            continue;
        }
        ui.horizontal(|ui| {
            kind_mark_ui(ui, *kind, false);
            ui.label(format!("{}: {}", kind.label(), counts[k]));
        });
    }
}

/// The legend under the weekly chart: every kind seen in the window with
/// its count for the year; a click hides or shows it in the chart.
fn legend_ui(ui: &mut Ui, weekly: &WeeklyKinds, hidden: &mut [bool; KINDS]) {
    let totals = weekly.kind_totals();
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = style::SPACE_M;
        for (k, kind) in InteractionKind::ALL.iter().enumerate() {
            if totals[k] == 0 {
                continue;
            }
            let text = format!("{} {}", kind.label(), totals[k]);
            let width = style::ICON_SIZE + style::GRID + crate::app::widgets::text_width(ui, &text);
            crate::app::widgets::wrap_before(ui, width);
            let response = ui
                .scope(|ui| {
                    ui.spacing_mut().item_spacing.x = style::GRID;
                    ui.horizontal(|ui| {
                        kind_mark_ui(ui, *kind, hidden[k]);
                        let label = if hidden[k] {
                            RichText::new(&text).weak()
                        } else {
                            RichText::new(&text)
                        };
                        ui.add(egui::Label::new(label).selectable(false))
                    })
                    .response
                })
                .inner;
            let response = ui
                .interact(
                    response.rect,
                    ui.scope_id().with(("legend", k)),
                    Sense::click(),
                )
                .on_hover_text(if hidden[k] {
                    "Click to show in the chart"
                } else {
                    "Click to hide from the chart"
                });
            response.widget_info(|| {
                egui::WidgetInfo::selected(
                    egui::Role::CheckBox,
                    true,
                    !hidden[k],
                    format!("Show {}", kind.label()),
                )
            });
            if response.clicked() {
                hidden[k] = !hidden[k];
            }
        }
    });
}

/// An axis label for whole numbers only ("" between them).
fn integer_label(value: f64) -> String {
    if value < 0.0 || (value - value.round()).abs() > 1e-6 {
        String::new()
    } else {
        format!("{}", value.round() as i64)
    }
}

/// The know -> like -> trust funnel: people who reached each stage, their
/// share, and the "mile wide, inch deep" reading.
pub fn funnel_ui(ui: &mut Ui, funnel: &Funnel, verdict: &str) {
    let steps = funnel.steps;
    let rows = steps.len();
    let bars: Vec<Bar> = steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            Bar::new((rows - 1 - i) as f64, step.people as f64)
                .width(style::BAR_WIDTH)
                .fill(style::stage_color(step.stage))
                .stroke(egui::Stroke::NONE)
                .name(step.stage.label())
                .horizontal()
        })
        .collect();
    let labels: Vec<&'static str> = steps.iter().rev().map(|s| s.stage.label()).collect();
    let y_axis = AxisHints::new_y()
        .min_thickness(style::CAPTION_WIDTH / 2.0)
        .formatter(move |mark: GridMark, _range| {
            let index = mark.value.round();
            if (mark.value - index).abs() > 1e-6 || index < 0.0 {
                return String::new();
            }
            labels
                .get(index as usize)
                .map(|s| s.to_string())
                .unwrap_or_default()
        });
    let widest = steps.iter().map(|s| s.people).max().unwrap_or(0).max(1);
    let response = Plot::new("activity_funnel")
        .height(style::FUNNEL_BAR_HEIGHT * rows as f32 + style::SPACE_L)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .show_grid([true, false])
        .include_x(0.0)
        .include_x(widest as f64 * 1.05)
        .include_y(-0.5)
        .include_y(rows as f64 - 0.5)
        .set_margin_fraction(vec2(0.0, 0.0))
        .custom_y_axes(vec![y_axis])
        .y_grid_spacer(move |_input: GridInput| {
            (0..rows)
                .map(|i| GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .x_axis_formatter(|mark, _range| integer_label(mark.value))
        .show(ui, |plot_ui| {
            plot_ui.bar_chart(BarChart::new("Depth", bars).allow_hover(false));
        });
    if let Some(pointer) = response.response.hover_pos() {
        let y = response.transform.value_from_position(pointer).y.round();
        if y >= 0.0 && (y as usize) < rows {
            let step = steps[rows - 1 - y as usize];
            response.response.on_hover_ui_at_pointer(|ui| {
                ui.label(RichText::new(step.stage.label()).strong());
                ui.label(funnel_step_text(funnel, step.stage));
            });
        }
    }
    ui.horizontal_wrapped(|ui| {
        for step in &steps {
            let text = funnel_step_text(funnel, step.stage);
            crate::app::widgets::wrap_before(
                ui,
                crate::app::widgets::text_width(ui, &text) + style::SPACE_M,
            );
            ui.colored_label(style::stage_color(step.stage), text);
            ui.add_space(style::SPACE_S);
        }
    });
    ui.label(
        RichText::new(format!(
            "Also {} acquaintances and {} dormant of {} people.",
            funnel.acquaintances, funnel.dormant, funnel.total
        ))
        .color(ui.visuals().weak_text_color()),
    );
    ui.label(verdict);
}

/// "Like: 45 people, 12% of your network, 38% of those you know".
fn funnel_step_text(funnel: &Funnel, stage: Stage) -> String {
    let Some(step) = funnel.steps.iter().find(|s| s.stage == stage) else {
        return String::new();
    };
    let percent = |share: f64| (share * 100.0).round() as i64;
    let mut text = format!(
        "{}: {} ({}% of your network",
        step.stage.label(),
        step.people,
        percent(step.of_network)
    );
    if let Some(share) = step.of_previous {
        let previous = match step.stage {
            Stage::Trust => "of those you like",
            _ => "of those you know",
        };
        text.push_str(&format!(", {}% {previous}", percent(share)));
    }
    text.push(')');
    text
}

/// A GitHub-style heatmap of the window: one column per week, one row per
/// weekday, shaded by how much happened; hover for the day's detail.
pub fn heatmap_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, heatmap: &Heatmap) {
    let weeks = heatmap.weeks();
    if weeks == 0 {
        return;
    }
    let label_font = FontId::proportional(style::TEXT_SMALL);
    let label_height = ui.fonts_mut(|f| f.row_height(&label_font));
    let available = ui.available_width() - style::HEAT_LABEL_WIDTH;
    let cell = (available / weeks as f32)
        .floor()
        .clamp(style::HEAT_CELL_MIN, style::HEAT_CELL_MAX);
    let gap = (cell * style::HEAT_GAP_SHARE).max(1.0);
    let size = vec2(
        style::HEAT_LABEL_WIDTH + cell * weeks as f32,
        label_height + style::GRID + cell * 7.0,
    );
    let (rect, response) = ui.allocate_exact_size(size, Sense::hover());
    let grid_origin = pos2(
        rect.left() + style::HEAT_LABEL_WIDTH,
        rect.top() + label_height + style::GRID,
    );
    let cell_rect = |week: usize, weekday: usize| {
        Rect::from_min_size(
            grid_origin + vec2(week as f32 * cell, weekday as f32 * cell),
            vec2(cell - gap, cell - gap),
        )
    };
    if ui.is_rect_visible(rect) {
        let painter = ui.painter_at(rect);
        let weak = ui.visuals().weak_text_color();
        let mut free_from = grid_origin.x;
        for (month, days) in month_starts(heatmap.first_day, heatmap.last_day) {
            let week = (days / 7) as f32;
            // Skip a month whose label would crowd the previous one or
            // run past the end.
            let x = grid_origin.x + week * cell;
            let text = month_label(month);
            let width =
                crate::app::widgets::text_width(ui, &text) * style::TEXT_SMALL / style::TEXT_BODY;
            if (days > 0 && days < 14) || x < free_from || x + width > rect.right() {
                continue;
            }
            free_from = x + width + style::GRID;
            painter.text(
                pos2(x, rect.top()),
                Align2::LEFT_TOP,
                text,
                label_font.clone(),
                weak,
            );
        }
        for (weekday, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
            painter.text(
                pos2(rect.left(), cell_rect(0, weekday).center().y),
                Align2::LEFT_CENTER,
                name,
                label_font.clone(),
                weak,
            );
        }
        let radius = (cell * 0.2).min(f32::from(style::CHIP_RADIUS) / 2.0);
        for week in 0..weeks {
            for weekday in 0..7 {
                if let Some((_, day)) = heatmap.day(week, weekday) {
                    painter.rect_filled(
                        cell_rect(week, weekday),
                        radius,
                        style::heat_color(ui, heatmap.level(day.total)),
                    );
                }
            }
        }
    }
    if let Some(pointer) = response.hover_pos() {
        let offset = pointer - grid_origin;
        if offset.x >= 0.0 && offset.y >= 0.0 {
            let week = (offset.x / cell) as usize;
            let weekday = (offset.y / cell) as usize;
            if week < weeks
                && weekday < 7
                && let Some((date, day)) = heatmap.day(week, weekday)
            {
                ui.painter().rect_stroke(
                    cell_rect(week, weekday),
                    0.0,
                    egui::Stroke::new(1.0, ui.visuals().strong_text_color()),
                    egui::StrokeKind::Outside,
                );
                response.on_hover_ui_at_pointer(|ui| {
                    day_card_ui(ui, view_ctx, date, day);
                });
            }
        }
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = style::GRID;
        ui.label(
            RichText::new(format!(
                "{} in the last year, on {}.",
                count_label(
                    heatmap.days.iter().map(|d| d.total).sum(),
                    "interaction",
                    "interactions"
                ),
                count_label(heatmap.active_days() as u32, "day", "days"),
            ))
            .color(ui.visuals().weak_text_color()),
        );
        ui.add_space(style::SPACE_M);
        ui.label(RichText::new("Less").size(style::TEXT_SMALL).weak());
        for level in 0..=4 {
            let (swatch, _) = ui.allocate_exact_size(vec2(cell, cell), Sense::hover());
            ui.painter().rect_filled(
                swatch.shrink(gap / 2.0),
                (cell * 0.2).min(f32::from(style::CHIP_RADIUS) / 2.0),
                style::heat_color(ui, level),
            );
        }
        ui.label(RichText::new("More").size(style::TEXT_SMALL).weak());
    });
}

/// The hover card of one heatmap day: the date, the count per kind and who
/// the first few interactions were with.
fn day_card_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    date: NaiveDate,
    day: &crate::insight::activity::DayActivity,
) {
    ui.label(RichText::new(day_label(date)).strong());
    if day.total == 0 {
        ui.label("Nothing recorded");
        return;
    }
    ui.label(count_label(day.total, "interaction", "interactions"));
    let model = view_ctx.model;
    for id in &day.sample {
        let Some(interaction) = model.interactions.get(id) else {
            continue;
        };
        let names: Vec<&str> = interaction
            .people
            .iter()
            .map(|p| model.person_name(*p))
            .collect();
        ui.horizontal(|ui| {
            kind_mark_ui(ui, interaction.kind, false);
            if names.is_empty() {
                ui.label(interaction.kind.label());
            } else {
                ui.label(format!(
                    "{} with {}",
                    interaction.kind.label(),
                    names.join(", ")
                ));
            }
        });
    }
    let more = day.total as usize - day.sample.len().min(day.total as usize);
    if more > 0 {
        ui.weak(format!("and {more} more"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn month_starts_fall_inside_the_window() {
        let months = month_starts(day(2025, 11, 17), day(2026, 11, 22));
        assert_eq!(months.first(), Some(&(day(2025, 12, 1), 14)));
        assert_eq!(months.last().map(|m| m.0), Some(day(2026, 11, 1)));
        assert_eq!(months.len(), 12);
        assert_eq!(month_label(day(2026, 1, 1)), "Jan 2026");
        assert_eq!(month_label(day(2026, 3, 1)), "Mar");
    }

    #[test]
    fn labels_read_as_text() {
        assert_eq!(day_label(day(2026, 11, 3)), "Tue 3 Nov 2026");
        assert_eq!(count_label(1, "day", "days"), "1 day");
        assert_eq!(count_label(4, "day", "days"), "4 days");
        assert_eq!(integer_label(3.0), "3");
        assert_eq!(integer_label(2.5), "");
        assert_eq!(integer_label(-1.0), "");
    }
}
