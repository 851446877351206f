//! The network-wide timeline of the Activity view: who you saw, when, over
//! the last year. One swimlane per person, most recent first, filterable by
//! group, tag and stage; only the lanes on screen are drawn, so it stays
//! fluid with a hundred thousand people.

use super::activity_charts::{day_label, month_label, month_starts, paint_kind_mark};
use crate::app::widgets::avatar_ui;
use crate::app::{Command, ViewCtx, style};
use crate::insight::activity::{FilterChoices, Lane, LaneFilter, Lanes, Mark, filter_lanes};
use crate::model::{Model, Stage};
use chrono::NaiveDate;
use egui::{Align, Align2, FontId, Layout, Rect, RichText, Sense, Ui, UiBuilder, pos2, vec2};

/// Filters and the lanes they let through (kept until the model, the day or
/// a filter changes).
#[derive(Default)]
pub struct LanesState {
    /// What the lanes are filtered by.
    pub filter: LaneFilter,
    /// The key the shown lanes were computed for, and their indexes.
    shown: Option<((u64, NaiveDate, LaneFilter), Vec<usize>)>,
}

impl LanesState {
    /// The indexes of the lanes the filter lets through.
    fn shown(&mut self, model: &Model, revision: u64, today: NaiveDate, lanes: &Lanes) -> &[usize] {
        let key = (revision, today, self.filter.clone());
        let fresh = self.shown.as_ref().is_some_and(|(k, _)| *k == key);
        if !fresh {
            let indexes = if self.filter.is_empty() {
                (0..lanes.lanes.len()).collect()
            } else {
                filter_lanes(model, lanes, &self.filter)
            };
            self.shown = Some((key, indexes));
        }
        self.shown
            .as_ref()
            .map_or(&[], |(_, shown)| shown.as_slice())
    }
}

/// Where dates fall across the width of a lane.
#[derive(Clone, Copy)]
struct Geometry {
    /// Width of the name column.
    name_width: f32,
    /// Left edge of the track, from the row's left.
    track_left: f32,
    /// Width of the track.
    track_width: f32,
    /// First day.
    from: NaiveDate,
    /// Days in the window.
    span: f32,
}

impl Geometry {
    fn new(width: f32, lanes: &Lanes) -> Self {
        let name_width =
            (width * style::LANE_NAME_SHARE).clamp(style::LANE_NAME_MIN, style::LANE_NAME_MAX);
        let track_left = name_width + style::SPACE_S;
        let track_width = (width - track_left - style::SCROLL_GUTTER).max(style::GRID);
        Self {
            name_width,
            track_left,
            track_width,
            from: lanes.from,
            span: ((lanes.to - lanes.from).num_days() + 1).max(1) as f32,
        }
    }

    /// The x of the middle of `date`'s day, for a row starting at `left`.
    fn x(&self, left: f32, date: NaiveDate) -> f32 {
        let days = (date - self.from).num_days() as f32 + 0.5;
        left + self.track_left + days / self.span * self.track_width
    }

    /// The x of the start of `date`'s day.
    fn day_start_x(&self, left: f32, date: NaiveDate) -> f32 {
        self.x(left, date) - 0.5 / self.span * self.track_width
    }
}

/// The timeline section: filters, the month axis and the lanes
/// (`revision`: the model revision `lanes` were computed for).
pub fn lanes_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    revision: u64,
    lanes: &Lanes,
    choices: &FilterChoices,
    state: &mut LanesState,
    commands: &mut Vec<Command>,
) {
    filters_ui(ui, view_ctx.model, choices, &mut state.filter);
    let total = lanes.lanes.len();
    let filtered = !state.filter.is_empty();
    let shown = state.shown(view_ctx.model, revision, view_ctx.today, lanes);
    let weak = ui.visuals().weak_text_color();
    if total == 0 {
        ui.label(
            RichText::new(
                "Nobody seen in the last year yet: record a coffee or a call and it shows here.",
            )
            .color(weak),
        );
        return;
    }
    let summary = if !filtered {
        format!("{total} people seen in the last year, most recent first.")
    } else {
        format!(
            "{} of {total} people seen in the last year match.",
            shown.len()
        )
    };
    ui.label(RichText::new(summary).color(weak));
    if shown.is_empty() {
        if ui.button("Clear filters").clicked() {
            state.filter = LaneFilter::default();
        }
        return;
    }
    let geometry = Geometry::new(ui.available_width(), lanes);
    axis_ui(ui, &geometry, lanes);
    let height =
        (ui.ctx().content_rect().height() * style::LANES_HEIGHT_SHARE).max(style::LANES_MIN_HEIGHT);
    let months: Vec<NaiveDate> = month_starts(lanes.from, lanes.to)
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    ui.scope(|ui| {
        ui.spacing_mut().item_spacing.y = 0.0;
        egui::ScrollArea::vertical()
            .id_salt("activity_lanes")
            .min_scrolled_height(height)
            .max_height(height)
            .auto_shrink([false, true])
            .show_rows(ui, style::LANE_HEIGHT, shown.len(), |ui, range| {
                for &index in &shown[range] {
                    if let Some(lane) = lanes.lanes.get(index) {
                        lane_ui(ui, view_ctx, &geometry, &months, lanes.to, lane, commands);
                    }
                }
            });
    });
}

/// The three filter combo boxes, and "Clear filters" while one is set.
fn filters_ui(ui: &mut Ui, model: &Model, choices: &FilterChoices, filter: &mut LaneFilter) {
    // A label and its combo box move to the next line together.
    let group_width = |ui: &Ui, label: &str| {
        crate::app::widgets::text_width(ui, label)
            + 2.0 * ui.spacing().item_spacing.x
            + style::LANE_FILTER_WIDTH
            + ui.spacing().icon_width
    };
    ui.horizontal_wrapped(|ui| {
        crate::app::widgets::wrap_before(ui, group_width(ui, "In group"));
        ui.horizontal(|ui| {
            let label = ui.label("In group");
            let org_name = filter
                .org
                .and_then(|o| model.orgs.get(&o))
                .map_or("Any group", |o| o.name.as_str());
            egui::ComboBox::from_id_salt("lanes_org")
                .selected_text(org_name)
                .width(style::LANE_FILTER_WIDTH)
                .truncate()
                .height(style::MENU_HEIGHT)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filter.org, None, "Any group");
                    for (id, name, count) in &choices.orgs {
                        ui.selectable_value(
                            &mut filter.org,
                            Some(*id),
                            format!("{name} ({count})"),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
        });
        crate::app::widgets::wrap_before(ui, group_width(ui, "With tag"));
        ui.horizontal(|ui| {
            let label = ui.label("With tag");
            egui::ComboBox::from_id_salt("lanes_tag")
                .selected_text(filter.tag.as_deref().unwrap_or("Any tag"))
                .width(style::LANE_FILTER_WIDTH)
                .truncate()
                .height(style::MENU_HEIGHT)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filter.tag, None, "Any tag");
                    for (tag, count) in &choices.tags {
                        ui.selectable_value(
                            &mut filter.tag,
                            Some(tag.clone()),
                            format!("{tag} ({count})"),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
        });
        crate::app::widgets::wrap_before(ui, group_width(ui, "At stage"));
        ui.horizontal(|ui| {
            let label = ui.label("At stage");
            egui::ComboBox::from_id_salt("lanes_stage")
                .selected_text(filter.stage.map_or("Any stage", Stage::label))
                .width(style::LANE_FILTER_WIDTH)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut filter.stage, None, "Any stage");
                    for stage in Stage::ALL {
                        ui.selectable_value(&mut filter.stage, Some(stage), stage.label());
                    }
                })
                .response
                .labelled_by(label.id);
        });
        if !filter.is_empty() && ui.button("Clear filters").clicked() {
            *filter = LaneFilter::default();
        }
    });
}

/// The month axis above the lanes, with "Today" at its end.
fn axis_ui(ui: &mut Ui, geometry: &Geometry, lanes: &Lanes) {
    let (rect, _) = ui.allocate_exact_size(
        vec2(ui.available_width(), style::LANE_AXIS_HEIGHT),
        Sense::hover(),
    );
    if !ui.is_rect_visible(rect) {
        return;
    }
    let painter = ui.painter_at(rect);
    let font = FontId::proportional(style::TEXT_SMALL);
    let weak = ui.visuals().weak_text_color();
    let left = rect.left();
    let today_x = geometry.x(left, lanes.to);
    let today = painter.text(
        pos2(today_x, rect.center().y),
        Align2::RIGHT_CENTER,
        "Today",
        font.clone(),
        ui.visuals().error_fg_color,
    );
    let mut free_from = left + geometry.track_left;
    for (month, _) in month_starts(lanes.from, lanes.to) {
        let x = geometry.day_start_x(left, month);
        let text = month_label(month);
        let width =
            crate::app::widgets::text_width(ui, &text) * style::TEXT_SMALL / style::TEXT_BODY;
        if x < free_from || x + width + style::SPACE_S > today.left() {
            continue;
        }
        painter.line_segment(
            [pos2(x, rect.center().y), pos2(x, rect.bottom())],
            style::month_line(ui),
        );
        painter.text(
            pos2(x + style::GRID / 2.0, rect.center().y),
            Align2::LEFT_CENTER,
            text,
            font.clone(),
            weak,
        );
        free_from = x + width + style::SPACE_S;
    }
}

/// One person's lane: avatar and name (a click opens them), then their
/// interactions as marks (a click opens that interaction).
fn lane_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    geometry: &Geometry,
    months: &[NaiveDate],
    today: NaiveDate,
    lane: &Lane,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    let Some(person) = model.people.get(&lane.person) else {
        return;
    };
    let width = ui.available_width();
    let (row, row_response) =
        ui.allocate_exact_size(vec2(width, style::LANE_HEIGHT), Sense::hover());
    if !ui.is_rect_visible(row) {
        return;
    }
    let left = row.left();
    if row_response.hovered() || ui.rect_contains_pointer(row) {
        ui.painter()
            .rect_filled(row, 0.0, style::lane_hover_fill(ui));
    }
    let name_rect = Rect::from_min_size(row.min, vec2(geometry.name_width, style::LANE_HEIGHT));
    let mut name_ui = ui.new_child(
        UiBuilder::new()
            .max_rect(name_rect)
            .layout(Layout::left_to_right(Align::Center)),
    );
    name_ui.set_clip_rect(name_rect.intersect(ui.clip_rect()));
    name_ui.spacing_mut().item_spacing.x = style::SPACE_S;
    avatar_ui(&mut name_ui, view_ctx, person, style::AVATAR_ROW);
    name_ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
    let name = name_ui.link(&person.name);
    if name.clicked() {
        commands.push(Command::OpenPerson(person.id));
    }
    name.on_hover_text(format!("Last seen {}", day_label(lane.last)));

    let track = Rect::from_x_y_ranges(
        left + geometry.track_left..=left + geometry.track_left + geometry.track_width,
        row.y_range(),
    );
    let track_response = ui.interact(
        track,
        ui.scope_id().with(("lane", person.id)),
        Sense::click(),
    );
    track_response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Button,
            true,
            format!(
                "Timeline of {}: {} interactions",
                person.name,
                lane.marks.len()
            ),
        )
    });
    let painter = ui.painter_at(track.expand2(vec2(style::LANE_MARK_RADIUS, 0.0)));
    for month in months {
        let x = geometry.day_start_x(left, *month);
        painter.line_segment(
            [pos2(x, row.top()), pos2(x, row.bottom())],
            style::month_line(ui),
        );
    }
    painter.line_segment(
        [
            pos2(track.left(), row.center().y),
            pos2(track.right(), row.center().y),
        ],
        style::month_line(ui),
    );
    let today_x = geometry.x(left, today);
    painter.line_segment(
        [pos2(today_x, row.top()), pos2(today_x, row.bottom())],
        style::today_line(ui),
    );
    let mut last_x = f32::NEG_INFINITY;
    for mark in &lane.marks {
        let x = geometry.x(left, mark.date);
        // Level of detail: marks closer than a few points read as one.
        if x - last_x < style::LANE_MARK_MIN_GAP {
            continue;
        }
        last_x = x;
        paint_kind_mark(
            &painter,
            pos2(x, row.center().y),
            style::LANE_MARK_RADIUS,
            mark.kind,
        );
    }
    let Some(pointer) = track_response.hover_pos() else {
        return;
    };
    let nearest = lane
        .marks
        .iter()
        .map(|m| (m, (geometry.x(left, m.date) - pointer.x).abs()))
        .filter(|(_, distance)| *distance <= style::LANE_MARK_RADIUS + style::GRID)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(m, _)| *m);
    let Some(mark) = nearest else {
        return;
    };
    let center = pos2(geometry.x(left, mark.date), row.center().y);
    paint_kind_mark(ui.painter(), center, style::LANE_MARK_RADIUS, mark.kind);
    ui.painter().circle_stroke(
        center,
        style::LANE_MARK_RADIUS + 1.5,
        egui::Stroke::new(1.5, ui.visuals().strong_text_color()),
    );
    if track_response.clicked() {
        commands.push(Command::OpenInteraction(person.id, mark.interaction));
    }
    track_response.on_hover_ui_at_pointer(|ui| mark_card_ui(ui, model, person.id, &mark));
}

/// The hover card of one mark: what, when, with whom, the note's first line.
fn mark_card_ui(ui: &mut Ui, model: &Model, person: crate::model::PersonId, mark: &Mark) {
    ui.label(RichText::new(mark.kind.label()).strong());
    ui.label(day_label(mark.date));
    if let Some(interaction) = model.interactions.get(&mark.interaction) {
        let others: Vec<&str> = interaction
            .people
            .iter()
            .filter(|p| **p != person)
            .map(|p| model.person_name(*p))
            .collect();
        if !others.is_empty() {
            ui.label(format!("Also with {}", others.join(", ")));
        }
        if let Some(line) = interaction.note.lines().find(|l| !l.trim().is_empty()) {
            ui.add(egui::Label::new(RichText::new(line).italics()).truncate());
        }
    }
    ui.weak("Click to open");
}
