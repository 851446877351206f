//! Network activity: interactions per week by kind, a day-by-day heatmap,
//! the network-wide timeline (who you saw, when), the know -> like -> trust
//! funnel, who went quiet, top introducers and your participation in your
//! organizations. Everything it shows is computed once per model revision
//! (for apps on a folder a slice per frame, the last result showing
//! meanwhile), never again when only the introductions change.

#[path = "activity_charts.rs"]
mod activity_charts;
#[path = "activity_timeline.rs"]
mod activity_timeline;

use super::style;
use super::widgets::avatar_ui;
use super::{Command, ViewCtx};
use crate::insight::activity::{
    ActivityBuilder, FilterChoices, Funnel, Heatmap, KINDS, Lanes, WINDOW_WEEKS, WeeklyKinds,
    activity, filter_choices, funnel,
};
use crate::insight::{NetworkDepth, OrgParticipation, ReEngage, network_depth, org_participation};
use crate::model::{Model, PersonId};
use activity_timeline::LanesState;
use chrono::NaiveDate;
use egui::{RichText, Ui};
use std::time::{Duration, Instant};

/// How many people "Gone quiet" lists.
const QUIET_ROWS: usize = 15;
/// How many introducers the view lists.
const INTRODUCER_ROWS: usize = 5;
/// Interactions counted between two looks at the clock.
const SLICE: usize = 16_384;
/// How long a frame spends counting interactions after a change.
const SLICE_BUDGET: Duration = Duration::from_millis(12);

/// What the view shows from the model alone.
struct Aggregates {
    weekly: WeeklyKinds,
    heatmap: Heatmap,
    lanes: Lanes,
    choices: FilterChoices,
    depth: NetworkDepth,
    funnel: Funnel,
    participation: Vec<OrgParticipation>,
}

impl Aggregates {
    /// Everything from `model`, at once.
    fn compute(model: &Model, today: NaiveDate) -> Self {
        let (weekly, heatmap, lanes) = activity(model, today, WINDOW_WEEKS);
        Self::with_activity(model, today, weekly, heatmap, lanes)
    }

    /// The rest from `model`, beside the counted activity.
    fn with_activity(
        model: &Model,
        today: NaiveDate,
        weekly: WeeklyKinds,
        heatmap: Heatmap,
        lanes: Lanes,
    ) -> Self {
        let depth = network_depth(model);
        Self {
            weekly,
            heatmap,
            lanes,
            choices: filter_choices(model),
            funnel: funnel(&depth),
            depth,
            participation: org_participation(model, today),
        }
    }
}

/// What the lists read from the insight index (cheap: on the UI thread).
struct Lists {
    quiet: Vec<ReEngage>,
    introducers: Vec<(PersonId, usize)>,
}

impl Lists {
    fn compute(view_ctx: &ViewCtx<'_>) -> Self {
        Self {
            quiet: view_ctx
                .insight
                .re_engage(view_ctx.model, view_ctx.today, QUIET_ROWS),
            introducers: view_ctx.insight.top_introducers(INTRODUCER_ROWS),
        }
    }
}

/// The model revision and the day the data is for.
type Key = (u64, NaiveDate);

/// What the view shows, computed once per model revision.
struct ActivityData {
    /// The model revision and day it was computed for.
    key: Key,
    aggregates: Aggregates,
    lists: Lists,
}

/// The next data, counted a slice of interactions per frame.
struct Pending {
    key: Key,
    builder: ActivityBuilder,
    /// The counted activity, once the builder finished (the rest is
    /// computed in the frame after).
    counted: Option<(WeeklyKinds, Heatmap, Lanes)>,
}

/// State of the activity view.
#[derive(Default)]
pub struct ActivityState {
    /// The last data computed (shown until newer data is ready).
    data: Option<ActivityData>,
    /// The next data, while it is being counted.
    pending: Option<Pending>,
    /// Spread the computation over frames (Some(true)), do it in one frame
    /// (Some(false)), or decide by whether there is a data folder (None:
    /// in-memory apps compute at once, so frames are deterministic).
    sliced: Option<bool>,
    /// Kinds hidden from the weekly chart (indexed like `InteractionKind::ALL`).
    hidden_kinds: [bool; KINDS],
    /// The timeline's filters.
    lanes: LanesState,
    /// List every organization, not only the first few.
    all_orgs: bool,
}

impl ActivityState {
    /// Show only the timeline lanes of people at `stage` (None: everyone),
    /// as the "At stage" filter does.
    pub fn filter_lanes_by_stage(&mut self, stage: Option<crate::model::Stage>) {
        self.lanes.filter.stage = stage;
    }

    /// After a change, count the interactions a slice per frame and show
    /// the previous charts meanwhile (true), or count them all in the next
    /// frame (false). By default apps on a folder count in slices and
    /// in-memory apps at once.
    pub fn set_sliced(&mut self, sliced: bool) {
        self.sliced = Some(sliced);
    }

    /// Whether newer data is still being counted.
    pub fn is_computing(&self) -> bool {
        self.pending.is_some()
    }

    /// Bring the data up to date with the model revision and the day: at
    /// once, or a slice of [`SLICE_BUDGET`] per frame (a change restarts
    /// the count; the last data shows meanwhile).
    fn refresh(&mut self, ui: &Ui, view_ctx: &ViewCtx<'_>) {
        let key = (view_ctx.model_revision, view_ctx.today);
        let model = view_ctx.model;
        if self.pending.as_ref().is_some_and(|p| p.key != key) {
            self.pending = None;
        }
        if self.pending.is_none() && self.data.as_ref().is_some_and(|d| d.key == key) {
            return;
        }
        let sliced = self.sliced.unwrap_or(view_ctx.data_dir.is_some());
        if !sliced {
            self.pending = None;
            self.data = Some(ActivityData {
                key,
                aggregates: Aggregates::compute(model, view_ctx.today),
                lists: Lists::compute(view_ctx),
            });
            return;
        }
        let pending = self.pending.get_or_insert_with(|| Pending {
            key,
            builder: ActivityBuilder::new(view_ctx.today, WINDOW_WEEKS),
            counted: None,
        });
        // Counting, finishing the lanes and the rest never share a frame.
        if !pending.builder.is_done() {
            let start = Instant::now();
            while !pending.builder.feed(model, SLICE) && start.elapsed() < SLICE_BUDGET {}
            ui.ctx().request_repaint();
            return;
        }
        if pending.counted.is_none() {
            let builder = std::mem::replace(
                &mut pending.builder,
                ActivityBuilder::finished(view_ctx.today),
            );
            pending.counted = Some(builder.finish(model));
            ui.ctx().request_repaint();
            return;
        }
        if let Some((weekly, heatmap, lanes)) = self.pending.take().and_then(|p| p.counted) {
            self.data = Some(ActivityData {
                key,
                aggregates: Aggregates::with_activity(
                    model,
                    view_ctx.today,
                    weekly,
                    heatmap,
                    lanes,
                ),
                lists: Lists::compute(view_ctx),
            });
        }
    }
}

/// Draw the activity view.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    state: &mut ActivityState,
    commands: &mut Vec<Command>,
) {
    state.refresh(ui, view_ctx);
    let computing = state.pending.is_some();
    let ActivityState {
        data,
        hidden_kinds,
        lanes,
        all_orgs,
        ..
    } = state;
    let Some(data) = data.as_ref() else {
        ui.add_space(style::SPACE_L);
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Counting a year of interactions...");
        });
        return;
    };
    let revision = data.key.0;
    let lists = &data.lists;
    let data = &data.aggregates;
    egui::ScrollArea::vertical()
        .id_salt("activity_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.set_max_width(ui.available_width() - style::SCROLL_GUTTER);
            ui.label(
                RichText::new("Network activity")
                    .size(style::TEXT_HEADING)
                    .strong()
                    .color(ui.visuals().strong_text_color()),
            );
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(format!(
                        "{} with {} people in the last year.",
                        activity_charts::count_label(
                            data.weekly.grand_total(),
                            "interaction",
                            "interactions"
                        ),
                        data.lanes.lanes.len()
                    ))
                    .color(ui.visuals().weak_text_color()),
                );
                if computing {
                    ui.spinner();
                    ui.weak("Updating after your change...");
                }
            });
            style::section_heading(ui, "Interactions per week");
            activity_charts::weekly_ui(ui, &data.weekly, hidden_kinds);
            style::section_heading(ui, "Activity by day");
            activity_charts::heatmap_ui(ui, view_ctx, &data.heatmap);
            style::section_heading(ui, "Who you saw");
            activity_timeline::lanes_ui(
                ui,
                view_ctx,
                revision,
                &data.lanes,
                &data.choices,
                lanes,
                commands,
            );
            if ui.available_width() >= style::ACTIVITY_TWO_COLUMNS {
                ui.columns(2, |columns| {
                    depth_ui(&mut columns[0], data);
                    people_lists_ui(&mut columns[1], view_ctx, lists, commands);
                });
            } else {
                depth_ui(ui, data);
                people_lists_ui(ui, view_ctx, lists, commands);
            }
            orgs_ui(ui, view_ctx, data, all_orgs);
            ui.add_space(style::SPACE_L);
        });
}

/// The depth funnel with its reading.
fn depth_ui(ui: &mut Ui, data: &Aggregates) {
    style::section_heading(ui, "Depth: know, like, trust");
    activity_charts::funnel_ui(ui, &data.funnel, &data.depth.verdict);
}

/// Who went quiet and who introduced you to the most people.
fn people_lists_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, data: &Lists, commands: &mut Vec<Command>) {
    style::section_heading(ui, "Gone quiet");
    if data.quiet.is_empty() {
        ui.weak("Nobody: you are in touch with everyone you mean to be.");
    }
    for entry in &data.quiet {
        person_row_ui(ui, view_ctx, entry.person, &entry.reason, commands);
    }
    style::section_heading(ui, "Top introducers");
    if data.introducers.is_empty() {
        ui.weak("No introductions recorded yet.");
    }
    for &(person, count) in &data.introducers {
        let text = format!(
            "introduced you to {}",
            activity_charts::count_label(count as u32, "person", "people")
        );
        person_row_ui(ui, view_ctx, person, &text, commands);
    }
}

/// A row of a people list: avatar, name (a click opens them), a note.
fn person_row_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    id: PersonId,
    note: &str,
    commands: &mut Vec<Command>,
) {
    let Some(person) = view_ctx.model.people.get(&id) else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        avatar_ui(ui, view_ctx, person, style::AVATAR_ROW);
        if ui.link(&person.name).clicked() {
            commands.push(Command::OpenPerson(id));
        }
        ui.label(RichText::new(note).color(ui.visuals().weak_text_color()));
    });
}

/// Attendance, your role and the people you know, per organization.
fn orgs_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, data: &Aggregates, all_orgs: &mut bool) {
    let model = view_ctx.model;
    style::section_heading(ui, "Showing up");
    if data.participation.is_empty() {
        ui.weak("No organizations yet: add the groups you belong to under You & groups.");
        return;
    }
    let limit = if *all_orgs {
        data.participation.len()
    } else {
        style::ACTIVITY_ORGS
    };
    egui::Grid::new("activity_orgs")
        .striped(true)
        .num_columns(4)
        .spacing(style::TABLE_SPACING)
        .show(ui, |ui| {
            ui.strong("Organization");
            ui.strong("Attended");
            ui.strong("Your role");
            ui.strong("People you know");
            ui.end_row();
            for participation in data.participation.iter().take(limit) {
                let Some(org) = model.orgs.get(&participation.org) else {
                    continue;
                };
                ui.label(&org.name);
                ui.label(format!(
                    "{} of {}",
                    participation.attended, participation.past_events
                ));
                ui.label(participation.role_today.map_or("-", |r| r.label()));
                ui.label(participation.members_known.to_string());
                ui.end_row();
            }
        });
    let total = data.participation.len();
    if total > style::ACTIVITY_ORGS {
        let text = if *all_orgs {
            "Show fewer".to_string()
        } else {
            format!("Show all {total}")
        };
        if ui.button(text).clicked() {
            *all_orgs = !*all_orgs;
        }
    }
}
