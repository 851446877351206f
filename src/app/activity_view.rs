//! Network activity: interactions per week, network depth, who went quiet,
//! top introducers and participation in your organizations.

use super::timeline::{bars_ui, weekly_counts};
use super::widgets::Cached;
use super::widgets::stage_color;
use super::{Command, ViewCtx};
use crate::insight::{NetworkDepth, OrgParticipation, ReEngage, network_depth, org_participation};
use crate::model::PersonId;
use egui::{RichText, Ui};

/// What the view shows, computed once per model revision.
struct ActivityData {
    weekly: Vec<u32>,
    depth: NetworkDepth,
    quiet: Vec<ReEngage>,
    introducers: Vec<(PersonId, usize)>,
    participation: Vec<OrgParticipation>,
}

/// State of the activity view.
#[derive(Default)]
pub struct ActivityState {
    data: Cached<ActivityData>,
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
    let data = state
        .data
        .get(view_ctx.revision, view_ctx.today, || ActivityData {
            weekly: weekly_counts(
                model.interactions.values().map(|i| i.date),
                view_ctx.today,
                52,
            ),
            depth: network_depth(model),
            quiet: insight.re_engage(model, view_ctx.today, 15),
            introducers: insight.top_introducers(5),
            participation: org_participation(model, view_ctx.today),
        });
    egui::ScrollArea::vertical()
        .id_salt("activity_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading("Network activity");
            ui.label("Interactions per week, last 52 weeks");
            bars_ui(ui, &data.weekly, ui.visuals().selection.bg_fill);
            ui.separator();
            let depth = &data.depth;
            ui.label(RichText::new("Depth").strong());
            ui.horizontal_wrapped(|ui| {
                for (stage, count) in &depth.per_stage {
                    ui.colored_label(stage_color(*stage), format!("{stage}: {count}"));
                }
            });
            ui.label(&depth.verdict);
            ui.separator();
            ui.label(RichText::new("Gone quiet").strong());
            for entry in &data.quiet {
                ui.horizontal(|ui| {
                    if ui.link(model.person_name(entry.person)).clicked() {
                        commands.push(Command::OpenPerson(entry.person));
                    }
                    ui.weak(&entry.reason);
                });
            }
            ui.separator();
            ui.label(RichText::new("Top introducers").strong());
            for &(person, count) in &data.introducers {
                ui.horizontal(|ui| {
                    if ui.link(model.person_name(person)).clicked() {
                        commands.push(Command::OpenPerson(person));
                    }
                    ui.weak(format!("introduced you to {count}"));
                });
            }
            ui.separator();
            ui.label(RichText::new("Showing up").strong());
            egui::Grid::new("orgs")
                .striped(true)
                .num_columns(4)
                .show(ui, |ui| {
                    ui.strong("Organization");
                    ui.strong("Attended");
                    ui.strong("Your role");
                    ui.strong("People you know");
                    ui.end_row();
                    for participation in &data.participation {
                        let Some(org) = model.orgs.get(&participation.org) else {
                            continue;
                        };
                        ui.label(&org.name);
                        ui.label(format!(
                            "{} of {}",
                            participation.attended, participation.past_events
                        ));
                        ui.label(participation.role_today.map(|r| r.label()).unwrap_or("-"));
                        ui.label(participation.members_known.to_string());
                        ui.end_row();
                    }
                });
        });
}
