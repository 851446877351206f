//! Network activity: interactions per week by kind, a day-by-day heatmap,
//! the network-wide timeline (who you saw, when), the know -> like -> trust
//! funnel, who went quiet, top introducers and your participation in your
//! organizations. Everything it shows is computed once per model revision.

#[path = "activity_charts.rs"]
mod activity_charts;
#[path = "activity_timeline.rs"]
mod activity_timeline;

use super::style;
use super::widgets::{Cached, avatar_ui};
use super::{Command, ViewCtx};
use crate::insight::activity::{
    FilterChoices, Funnel, Heatmap, KINDS, Lanes, WINDOW_WEEKS, WeeklyKinds, activity,
    filter_choices, funnel,
};
use crate::insight::{NetworkDepth, OrgParticipation, ReEngage, network_depth, org_participation};
use crate::model::PersonId;
use activity_timeline::LanesState;
use egui::{RichText, Ui};

/// How many people "Gone quiet" lists.
const QUIET_ROWS: usize = 15;
/// How many introducers the view lists.
const INTRODUCER_ROWS: usize = 5;

/// What the view shows, computed once per model revision.
struct ActivityData {
    weekly: WeeklyKinds,
    heatmap: Heatmap,
    lanes: Lanes,
    choices: FilterChoices,
    depth: NetworkDepth,
    funnel: Funnel,
    quiet: Vec<ReEngage>,
    introducers: Vec<(PersonId, usize)>,
    participation: Vec<OrgParticipation>,
}

/// State of the activity view.
#[derive(Default)]
pub struct ActivityState {
    data: Cached<ActivityData>,
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
}

/// Draw the activity view.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    state: &mut ActivityState,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    let insight = view_ctx.insight;
    let today = view_ctx.today;
    let ActivityState {
        data,
        hidden_kinds,
        lanes,
        all_orgs,
    } = state;
    let data = data.get(view_ctx.revision, today, || {
        let (weekly, heatmap, lanes) = activity(model, today, WINDOW_WEEKS);
        let depth = network_depth(model);
        ActivityData {
            weekly,
            heatmap,
            lanes,
            choices: filter_choices(model),
            funnel: funnel(&depth),
            depth,
            quiet: insight.re_engage(model, today, QUIET_ROWS),
            introducers: insight.top_introducers(INTRODUCER_ROWS),
            participation: org_participation(model, today),
        }
    });
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
            style::section_heading(ui, "Interactions per week");
            activity_charts::weekly_ui(ui, &data.weekly, hidden_kinds);
            style::section_heading(ui, "Activity by day");
            activity_charts::heatmap_ui(ui, view_ctx, &data.heatmap);
            style::section_heading(ui, "Who you saw");
            activity_timeline::lanes_ui(ui, view_ctx, &data.lanes, &data.choices, lanes, commands);
            if ui.available_width() >= style::ACTIVITY_TWO_COLUMNS {
                ui.columns(2, |columns| {
                    depth_ui(&mut columns[0], data);
                    people_lists_ui(&mut columns[1], view_ctx, data, commands);
                });
            } else {
                depth_ui(ui, data);
                people_lists_ui(ui, view_ctx, data, commands);
            }
            orgs_ui(ui, view_ctx, data, all_orgs);
            ui.add_space(style::SPACE_L);
        });
}

/// The depth funnel with its reading.
fn depth_ui(ui: &mut Ui, data: &ActivityData) {
    style::section_heading(ui, "Depth: know, like, trust");
    activity_charts::funnel_ui(ui, &data.funnel, &data.depth.verdict);
}

/// Who went quiet and who introduced you to the most people.
fn people_lists_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    data: &ActivityData,
    commands: &mut Vec<Command>,
) {
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
fn orgs_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, data: &ActivityData, all_orgs: &mut bool) {
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
