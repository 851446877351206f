//! Today: follow-ups due, people to re-engage, upcoming events, weekly plan.

use super::widgets::Cached;
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::insight::{FollowUp, FollowUps, ReEngage, org_participation};
use crate::model::{Model, Stage};
use chrono::NaiveDate;
use egui::{RichText, Ui};

/// What the Today view shows, computed once per model revision.
struct TodayData {
    follow: FollowUps,
    quiet: Vec<ReEngage>,
    /// The next two events of each of your organizations, as lines.
    events: Vec<String>,
    plan: Vec<String>,
}

/// State of the Today view.
#[derive(Default)]
pub struct TodayState {
    data: Cached<TodayData>,
}

/// Draw the Today view.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    state: &mut TodayState,
    commands: &mut Vec<Command>,
) {
    let model = view_ctx.model;
    let insight = view_ctx.insight;
    let today = view_ctx.today;
    let data = state.data.get(view_ctx.revision, today, || TodayData {
        follow: insight.follow_ups(model, today, 14),
        quiet: insight.re_engage(model, today, 8),
        // Walks every person's memberships: once per change, not per frame.
        events: upcoming_events(model, today),
        plan: weekly_plan(view_ctx),
    });
    egui::ScrollArea::vertical()
        .id_salt("today_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading(format!("Today, {}", today.format("%A %e %B %Y")));
            ui.add_space(4.0);
            let follow = &data.follow;
            ui.label(RichText::new("Follow-ups").strong());
            if follow.overdue.is_empty()
                && follow.due_today.is_empty()
                && follow.upcoming.is_empty()
            {
                ui.weak("Nothing due. A good week to give first: send a note or an introduction.");
            }
            follow_up_rows(ui, view_ctx, "Overdue", &follow.overdue, commands);
            follow_up_rows(ui, view_ctx, "Due today", &follow.due_today, commands);
            follow_up_rows(ui, view_ctx, "Next two weeks", &follow.upcoming, commands);
            ui.separator();

            ui.label(RichText::new("Re-engage").strong());
            let quiet = &data.quiet;
            if quiet.is_empty() {
                ui.weak("Everyone close to you has heard from you recently.");
            }
            for entry in quiet {
                ui.horizontal(|ui| {
                    if ui.link(model.person_name(entry.person)).clicked() {
                        commands.push(Command::OpenPerson(entry.person));
                    }
                    ui.weak(&entry.reason);
                });
            }
            ui.separator();

            ui.label(RichText::new("Upcoming events").strong());
            for line in &data.events {
                ui.label(line);
            }
            if data.events.is_empty() {
                ui.weak("No upcoming events recorded for your organizations.");
            }
            ui.separator();

            ui.label(RichText::new("This week's plan").strong());
            for line in &data.plan {
                ui.label(format!("- {line}"));
            }
        });
}

/// The next two events of each organization, most attended first.
fn upcoming_events(model: &Model, today: NaiveDate) -> Vec<String> {
    let mut lines = Vec::new();
    for participation in org_participation(model, today) {
        let Some(org) = model.orgs.get(&participation.org) else {
            continue;
        };
        for (date, title) in participation.upcoming.iter().take(2) {
            lines.push(format!("{date}  {title} · {}", org.name));
        }
    }
    lines
}

fn follow_up_rows(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    title: &str,
    items: &[FollowUp],
    commands: &mut Vec<Command>,
) {
    if items.is_empty() {
        return;
    }
    ui.label(RichText::new(title).italics());
    for item in items.iter().take(30) {
        let Some(interaction) = view_ctx.model.interactions.get(&item.interaction) else {
            continue;
        };
        ui.horizontal(|ui| {
            ui.label(item.due.to_string());
            for person in &interaction.people {
                if ui.link(view_ctx.model.person_name(*person)).clicked() {
                    commands.push(Command::OpenInteraction(*person, interaction.id));
                }
            }
            ui.weak(format!(
                "after {} on {}",
                interaction.kind.label().to_lowercase(),
                interaction.date
            ));
            if ui.small_button("Done").clicked() {
                let mut done = interaction.clone();
                done.follow_up_done = true;
                commands.push(Command::Apply(Action::EditInteraction(done)));
            }
        });
    }
}

/// A small, concrete plan for the week.
pub fn weekly_plan(view_ctx: &ViewCtx<'_>) -> Vec<String> {
    let model = view_ctx.model;
    let insight = view_ctx.insight;
    let mut plan = Vec::new();
    let mut newcomers: Vec<_> = model
        .live_people()
        .filter(|p| p.stage == Stage::Acquaintance)
        .map(|p| (insight.stats(p.id).total(), p.name.clone(), p.id))
        .collect();
    newcomers.sort();
    let names: Vec<String> = newcomers.iter().take(2).map(|x| x.1.clone()).collect();
    if !names.is_empty() {
        plan.push(format!(
            "Learn about two new people: {} (ask what they need).",
            names.join(" and ")
        ));
    }
    if let Some(first) = insight.re_engage(model, view_ctx.today, 1).first() {
        plan.push(format!(
            "Coffee or a note for {}.",
            model.person_name(first.person)
        ));
    }
    // Computed in the background after a change; the plan is made again
    // when they arrive.
    if let Some(candidate) = insight.top_candidates_ready(1).unwrap_or_default().first() {
        plan.push(format!(
            "Introduce {} and {} ({}).",
            model.person_name(candidate.a),
            model.person_name(candidate.b),
            candidate.reason()
        ));
    }
    let givers: Vec<_> = model
        .live_people()
        .filter(|p| insight.stats(p.id).give_ask_balance() < 0)
        .take(1)
        .collect();
    if let Some(person) = givers.first() {
        plan.push(format!("Give first: find a way to help {}.", person.name));
    }
    if plan.is_empty() {
        plan.push("Add the people you met recently, and what they care about.".into());
    }
    plan
}
