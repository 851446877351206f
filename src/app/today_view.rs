//! Today: follow-ups due, birthdays and other dates coming up, people to
//! re-engage, upcoming events, weekly plan.

use super::date_entry::format_date;
use super::follow_up_actions::{follow_up_actions_ui, snoozed_text};
use super::rhythm_ui::rhythm_menu_ui;
use super::style;
use super::widgets::{Cached, avatar_ui, in_days, person_link_ui};
use super::{Command, ViewCtx};
use crate::insight::plan::{WeeklyPlan, weekly_plan};
use crate::insight::{FollowUp, FollowUps, ReEngage, Upcoming, org_participation, upcoming_dates};
use crate::model::{DateKind, Model};
use chrono::NaiveDate;
use egui::{RichText, Ui};

/// What the Today view shows, computed once per model revision.
struct TodayData {
    follow: FollowUps,
    quiet: Vec<ReEngage>,
    /// Birthdays, anniversaries and other dates in the next month.
    coming: Vec<Upcoming>,
    /// The next two events of each of your organizations, soonest first.
    events: Vec<EventRow>,
    plan: WeeklyPlan,
}

/// One upcoming event of one of your organizations.
#[derive(Clone, Debug, PartialEq, Eq)]
struct EventRow {
    date: NaiveDate,
    title: String,
    org: String,
    /// Your attendance over the group's last meetings ("3 of the last 10 meetings").
    participation: String,
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
        coming: upcoming_dates(model, today, style::COMING_UP_DAYS),
        // Walks every person's memberships: once per change, not per frame.
        events: upcoming_events(model, today),
        plan: weekly_plan(model, insight, today),
    });
    egui::ScrollArea::vertical()
        .id_salt("today_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // Clear of the scroll bar that floats over the right edge.
            ui.set_max_width(ui.available_width() - style::SCROLL_GUTTER);
            ui.heading(format!("Today, {}", today.format("%A %e %B %Y")));
            let follow = &data.follow;
            style::section_heading(ui, "Follow-ups");
            if follow.overdue.is_empty()
                && follow.due_today.is_empty()
                && follow.upcoming.is_empty()
            {
                ui.weak("Nothing due. A good week to give first: send a note or an introduction.");
            }
            follow_up_rows(ui, view_ctx, "Overdue", &follow.overdue, commands);
            follow_up_rows(ui, view_ctx, "Due today", &follow.due_today, commands);
            follow_up_rows(ui, view_ctx, "Next two weeks", &follow.upcoming, commands);

            super::today_give::ways_to_give_ui(ui, view_ctx, commands);
            // Offers waiting on answers: each side's answer one click away.
            super::intro_offers::offers_ui(ui, view_ctx, None, commands);

            style::section_heading(ui, "Coming up");
            coming_up_ui(ui, view_ctx, &data.coming, commands);

            style::section_heading(ui, "Re-engage");
            let quiet = &data.quiet;
            if quiet.is_empty() {
                ui.weak("Everyone close to you has heard from you recently.");
            }
            for entry in quiet {
                ui.horizontal_wrapped(|ui| {
                    // Whole items move to the next line; none is split.
                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                    person_link_ui(ui, view_ctx, entry.person, commands);
                    ui.weak(&entry.reason);
                    if let Some(someone) = model.people.get(&entry.person) {
                        rhythm_menu_ui(ui, someone, &model.settings, commands);
                    }
                });
            }

            style::section_heading(ui, "Upcoming events");
            for event in &data.events {
                ui.horizontal_wrapped(|ui| {
                    // Whole items move to the next line; none is split.
                    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                    ui.label(RichText::new(in_days((event.date - today).num_days())).strong());
                    ui.weak(event.date.format("%a %e %b").to_string());
                    ui.label(&event.title);
                    ui.weak(format!("· {}", event.org));
                    ui.weak(format!("· you: {}", event.participation));
                });
            }
            if data.events.is_empty() {
                ui.weak("No upcoming events recorded for your organizations.");
            }

            style::section_heading(ui, "This week's plan");
            super::today_plan::ui(ui, view_ctx, &data.plan, commands);
        });
}

/// Birthdays, anniversaries and other dates of the next month: when, who
/// (click to open), what, and the years where the year is known.
fn coming_up_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    coming: &[Upcoming],
    commands: &mut Vec<Command>,
) {
    if coming.is_empty() {
        ui.weak(format!(
            "No birthdays or anniversaries in the next {} days.",
            style::COMING_UP_DAYS
        ));
        return;
    }
    egui::Grid::new("coming_up")
        .num_columns(3)
        .spacing(style::TABLE_SPACING)
        .show(ui, |ui| {
            for item in coming.iter().take(style::COMING_UP_ROWS) {
                let Some(person) = view_ctx.model.people.get(&item.person) else {
                    continue;
                };
                ui.horizontal(|ui| {
                    let when = RichText::new(in_days(item.days_to_go));
                    ui.label(if item.days_to_go <= 1 {
                        when.strong()
                    } else {
                        when
                    });
                    ui.weak(item.on.format("%a %e %b").to_string());
                });
                ui.horizontal(|ui| {
                    avatar_ui(ui, view_ctx, person, style::AVATAR_ROW);
                    if ui.link(&person.name).clicked() {
                        commands.push(Command::OpenPerson(person.id));
                    }
                });
                ui.label(what_comes(item));
                ui.end_row();
            }
        });
    if coming.len() > style::COMING_UP_ROWS {
        ui.weak(format!(
            "…and {} more",
            coming.len() - style::COMING_UP_ROWS
        ));
    }
}

/// "Birthday · turns 46", "Anniversary · 16 years", "Name day".
fn what_comes(item: &Upcoming) -> String {
    let years = match (&item.kind, item.years) {
        (DateKind::Birthday, Some(years)) => format!(" · turns {years}"),
        (_, Some(1)) => " · 1 year".to_string(),
        (_, Some(years)) => format!(" · {years} years"),
        (_, None) => String::new(),
    };
    format!("{}{years}", item.kind.label())
}

/// The next two events of each organization, soonest first (the same day
/// by title, then organization).
fn upcoming_events(model: &Model, today: NaiveDate) -> Vec<EventRow> {
    let mut rows = Vec::new();
    for participation in org_participation(model, today) {
        let Some(org) = model.orgs.get(&participation.org) else {
            continue;
        };
        let attended = crate::insight::plan::participation(org, today).label();
        for (date, title) in participation.upcoming.iter().take(2) {
            rows.push(EventRow {
                date: *date,
                title: title.clone(),
                org: org.name.clone(),
                participation: attended.clone(),
            });
        }
    }
    rows.sort_by(|a, b| (a.date, &a.title, &a.org).cmp(&(b.date, &b.title, &b.org)));
    rows
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
        ui.horizontal_wrapped(|ui| {
            // Whole items move to the next line; none is split.
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
            ui.label(format_date(item.due));
            for person in &interaction.people {
                if let Some(someone) = view_ctx.model.people.get(person) {
                    avatar_ui(ui, view_ctx, someone, style::AVATAR_ROW);
                }
                if ui.link(view_ctx.model.person_name(*person)).clicked() {
                    commands.push(Command::OpenInteraction(*person, interaction.id));
                }
            }
            ui.weak(format!(
                "after {} on {}",
                interaction.kind.after_phrase(),
                format_date(interaction.date)
            ));
            if let Some(snoozed) = snoozed_text(interaction, view_ctx.today) {
                ui.weak(format!("· {snoozed}"));
            }
            follow_up_actions_ui(ui, view_ctx, interaction, commands);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OrgEvent, OrgKind, Organization};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn event(date: NaiveDate, title: &str, attended: bool) -> OrgEvent {
        OrgEvent {
            date,
            title: title.into(),
            attended,
        }
    }

    #[test]
    fn upcoming_events_are_soonest_first_across_organizations() {
        let today = day(11, 22);
        let mut model = Model::default();
        // The chamber is attended more (listed first by participation) but
        // its events come later.
        let mut chamber = Organization::new("Chamber", OrgKind::Chamber);
        chamber.events = vec![
            event(day(11, 1), "Breakfast", true),
            event(day(11, 8), "Breakfast", true),
            event(day(12, 20), "Holiday party", false),
            event(day(12, 3), "Breakfast", false),
        ];
        let mut club = Organization::new("Club", OrgKind::Community);
        club.events = vec![
            event(day(11, 30), "Meetup", false),
            event(day(11, 24), "Walk", false),
        ];
        for org in [chamber, club] {
            model.orgs.insert(org.id, org);
        }
        let rows = upcoming_events(&model, today);
        let dates: Vec<NaiveDate> = rows.iter().map(|r| r.date).collect();
        assert_eq!(dates, [day(11, 24), day(11, 30), day(12, 3), day(12, 20)]);
        assert_eq!(rows[0].org, "Club");
        assert_eq!(rows[2].title, "Breakfast");
    }
}
