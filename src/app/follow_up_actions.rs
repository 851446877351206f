//! What can be done with an open follow-up, wherever one is shown (Today's
//! rows, the person page): "Done…" asks what happened and records it as a
//! new interaction in the same click, and "Snooze…" moves the follow-up to
//! tomorrow, to next Monday or to a picked day. Each is one undo step.

use super::date_entry::{DateEntry, format_date};
use super::style;
use super::widgets::{text_width, wrap_before};
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{Interaction, InteractionKind};
use chrono::{Datelike, Duration, NaiveDate};
use egui::{RichText, Ui};

/// What "Done…" offers as the thing that happened, in menu order.
pub const DONE_KINDS: [InteractionKind; 7] = [
    InteractionKind::Coffee,
    InteractionKind::Lunch,
    InteractionKind::Call,
    InteractionKind::Message,
    InteractionKind::NoteSent,
    InteractionKind::HelpGiven,
    InteractionKind::Other,
];

/// "Next week" means the Monday after `today` (tomorrow on a Sunday, a
/// week on a Monday): the start of the next working week.
pub fn next_monday(today: NaiveDate) -> NaiveDate {
    let from_monday = i64::from(today.weekday().num_days_from_monday());
    today + Duration::days(7 - from_monday)
}

/// A day as rows write it: "28 Nov", with the year when it is not this year's.
pub fn short_date(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        date.format("%-d %b").to_string()
    } else {
        date.format("%-d %b %Y").to_string()
    }
}

/// When a follow-up is due, in words: "Follow up today", "Follow up
/// tomorrow", "Follow up by 6 Dec (in 14 days)", "Overdue since 20 Nov".
pub fn due_text(due: NaiveDate, today: NaiveDate) -> String {
    let days = (due - today).num_days();
    match days {
        d if d < 0 => format!("Overdue since {}", short_date(due, today)),
        0 => "Follow up today".to_string(),
        1 => "Follow up tomorrow".to_string(),
        d => format!("Follow up by {} (in {d} days)", short_date(due, today)),
    }
}

/// "snoozed from 28 Nov" for a follow-up that was moved, else nothing.
pub fn snoozed_text(interaction: &Interaction, today: NaiveDate) -> Option<String> {
    interaction
        .snoozed_from
        .map(|first| format!("snoozed from {}", short_date(first, today)))
}

/// The interaction with its follow-up moved to `to`. The day it was first
/// due is kept in `snoozed_from` across later snoozes (and forgotten when
/// it is moved back to that day or before).
pub fn snoozed(interaction: &Interaction, to: NaiveDate) -> Interaction {
    let mut moved = interaction.clone();
    let first = interaction.snoozed_from.or(interaction.follow_up);
    moved.follow_up = Some(to);
    moved.snoozed_from = first.filter(|first| *first < to);
    moved
}

/// The one undo step that snoozes the follow-up of `interaction` to `to`.
pub fn snooze_action(interaction: &Interaction, to: NaiveDate) -> Action {
    Action::Batch {
        label: "Snooze follow-up".into(),
        actions: vec![Action::EditInteraction(snoozed(interaction, to))],
    }
}

/// The interaction that records what happened when a follow-up was done:
/// `kind` on `today` with the same people, noted as the follow-up of the
/// original ("Follow-up of coffee on 12 Nov").
pub fn follow_up_record(
    interaction: &Interaction,
    kind: InteractionKind,
    today: NaiveDate,
) -> Interaction {
    let mut record = Interaction::new(today, kind, interaction.people.clone());
    record.note = format!(
        "Follow-up of {} on {}",
        interaction.kind.label().to_lowercase(),
        short_date(interaction.date, today)
    );
    record
}

/// The one undo step that closes the follow-up of `interaction`: with
/// `happened`, that interaction is recorded too (today, same people).
pub fn done_action(
    interaction: &Interaction,
    happened: Option<InteractionKind>,
    today: NaiveDate,
) -> Action {
    let mut closed = interaction.clone();
    closed.follow_up_done = true;
    match happened {
        Some(kind) => Action::Batch {
            label: format!("{} recorded, follow-up done", kind.label()),
            actions: vec![
                Action::AddInteraction(follow_up_record(interaction, kind, today)),
                Action::EditInteraction(closed),
            ],
        },
        None => Action::Batch {
            label: "Follow-up done".into(),
            actions: vec![Action::EditInteraction(closed)],
        },
    }
}

/// The day being picked for a snooze, kept between frames while the
/// picker is open.
#[derive(Clone, Copy, Debug, Default)]
struct Picking {
    day: Option<NaiveDate>,
}

/// "Done…" and "Snooze…" for the open follow-up of `interaction` (nothing
/// when it has none). Call it inside a wrapping row: the date picker opens
/// on a line of its own below.
pub fn follow_up_actions_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    interaction: &Interaction,
    commands: &mut Vec<Command>,
) {
    let Some(due) = interaction
        .follow_up
        .filter(|_| !interaction.follow_up_done)
    else {
        return;
    };
    let today = view_ctx.today;
    let pick_id = egui::Id::unique(("snooze_pick", interaction.id));
    let mut picking: Option<Picking> = ui.data(|d| d.get_temp(pick_id));
    // The two buttons stay together when the row wraps.
    let spacing = ui.spacing();
    let together = text_width(ui, "Done…")
        + text_width(ui, "Snooze…")
        + 4.0 * spacing.button_padding.x
        + 2.0 * spacing.item_spacing.x;
    wrap_before(ui, together);
    actions_menus_ui(ui, interaction, due, today, &mut picking, commands);

    if let Some(pick) = picking.as_mut() {
        ui.end_row();
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.vertical(|ui| {
                let caption = ui.label("Snooze until");
                let entry = DateEntry::new(("snooze_day", interaction.id), &mut pick.day, today)
                    .choices(&[])
                    .labelled_by(caption.id)
                    .show(ui);
                ui.horizontal(|ui| {
                    let valid = entry.error.is_none() && pick.day.is_some_and(|d| d >= today);
                    let text = match pick.day.filter(|_| valid) {
                        Some(day) => format!("Snooze to {}", short_date(day, today)),
                        None => "Snooze".to_string(),
                    };
                    let button = ui.add_enabled(valid, egui::Button::new(text));
                    let button = if valid {
                        button
                    } else {
                        button.on_disabled_hover_text("Pick today or a later day")
                    };
                    if button.clicked()
                        && let Some(day) = pick.day
                    {
                        commands.push(Command::Apply(snooze_action(interaction, day)));
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        });
        if close {
            picking = None;
        }
    }
    ui.data_mut(|d| match picking {
        Some(pick) => {
            d.insert_temp(pick_id, pick);
        }
        None => d.remove::<Picking>(pick_id),
    });
}

/// The "Done…" and "Snooze…" menus; "Pick a date…" opens the picker
/// (`picking`) that [`follow_up_actions_ui`] draws below.
fn actions_menus_ui(
    ui: &mut Ui,
    interaction: &Interaction,
    due: NaiveDate,
    today: NaiveDate,
    picking: &mut Option<Picking>,
    commands: &mut Vec<Command>,
) {
    ui.menu_button("Done…", |ui| {
        ui.label(RichText::new("What happened?").strong());
        ui.weak("Recorded today with the same people.");
        ui.add_space(style::GRID);
        for kind in DONE_KINDS {
            if kind_button(ui, kind).clicked() {
                commands.push(Command::Apply(done_action(interaction, Some(kind), today)));
            }
        }
        ui.separator();
        if ui.button("Nothing to record").clicked() {
            commands.push(Command::Apply(done_action(interaction, None, today)));
        }
    })
    .response
    .on_hover_text("Mark the follow-up done and record what happened");

    let tomorrow = today + Duration::days(1);
    let monday = next_monday(today);
    ui.menu_button("Snooze…", |ui| {
        if ui
            .button(format!("Tomorrow ({})", short_date(tomorrow, today)))
            .clicked()
        {
            commands.push(Command::Apply(snooze_action(interaction, tomorrow)));
        }
        if ui
            .button(format!("Next week (Monday {})", short_date(monday, today)))
            .clicked()
        {
            commands.push(Command::Apply(snooze_action(interaction, monday)));
        }
        if ui.button("Pick a date…").clicked() {
            *picking = Some(Picking {
                day: Some(due.max(today) + Duration::days(7)),
            });
        }
    })
    .response
    .on_hover_text(format!("Due {}: move it to a later day", format_date(due)));
}

/// A menu button with the kind's icon before its name.
fn kind_button(ui: &mut Ui, kind: InteractionKind) -> egui::Response {
    let icon_id = egui::IdSalt::new(("done_kind_icon", kind));
    let size = egui::Vec2::splat(style::TEXT_BODY + 2.0);
    let response = egui::Button::new((egui::Atom::custom(icon_id, size), kind.label()))
        .min_size(egui::vec2(style::DONE_MENU_WIDTH, 0.0))
        .atom_ui(ui);
    if let Some(rect) = response.rect(icon_id) {
        let radius = rect.width() / 2.0;
        ui.painter()
            .circle_filled(rect.center(), radius, style::kind_color(kind));
        style::paint_kind_icon(
            ui.painter(),
            rect.center(),
            radius * 0.6,
            kind,
            style::AVATAR_TEXT,
        );
    }
    response.response
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::{Model, Person};

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn coffee_with_follow_up() -> (Model, Interaction) {
        let mut model = Model::default();
        let ann = Person::new("Ann Lee");
        let ann_id = ann.id;
        model.people.insert(ann.id, ann);
        let mut coffee = Interaction::new(day(11, 12), InteractionKind::Coffee, vec![ann_id]);
        coffee.follow_up = Some(day(11, 20));
        model.interactions.insert(coffee.id, coffee.clone());
        (model, coffee)
    }

    #[test]
    fn next_week_is_the_coming_monday() {
        // 22 Nov 2026 is a Sunday.
        assert_eq!(next_monday(day(11, 22)), day(11, 23));
        assert_eq!(next_monday(day(11, 23)), day(11, 30));
        assert_eq!(next_monday(day(11, 27)), day(11, 30));
    }

    #[test]
    fn snoozing_keeps_the_first_due_day() {
        let (_, coffee) = coffee_with_follow_up();
        let once = snoozed(&coffee, day(11, 23));
        assert_eq!(once.follow_up, Some(day(11, 23)));
        assert_eq!(once.snoozed_from, Some(day(11, 20)));
        let twice = snoozed(&once, day(11, 30));
        assert_eq!(twice.follow_up, Some(day(11, 30)));
        assert_eq!(twice.snoozed_from, Some(day(11, 20)));
        assert_eq!(
            snoozed_text(&twice, day(11, 22)).as_deref(),
            Some("snoozed from 20 Nov")
        );
        // Moved back to the first day: not snoozed any more.
        let back = snoozed(&twice, day(11, 20));
        assert_eq!(back.snoozed_from, None);
        assert_eq!(snoozed_text(&back, day(11, 22)), None);
    }

    #[test]
    fn done_records_what_happened_in_one_undo_step() {
        let (mut model, coffee) = coffee_with_follow_up();
        let before = model.clone();
        let today = day(11, 22);
        let applied = model
            .apply(done_action(&coffee, Some(InteractionKind::Call), today))
            .unwrap();
        assert!(model.interactions[&coffee.id].follow_up_done);
        let call = model
            .interactions
            .values()
            .find(|i| i.kind == InteractionKind::Call)
            .unwrap();
        assert_eq!(call.date, today);
        assert_eq!(call.people, coffee.people);
        assert_eq!(call.note, "Follow-up of coffee on 12 Nov");
        assert_eq!(call.follow_up, None);
        model.apply(applied.inverse).unwrap();
        assert_eq!(model, before);
    }

    #[test]
    fn nothing_to_record_only_closes_the_follow_up() {
        let (mut model, coffee) = coffee_with_follow_up();
        model
            .apply(done_action(&coffee, None, day(11, 22)))
            .unwrap();
        assert_eq!(model.interactions.len(), 1);
        assert!(model.interactions[&coffee.id].follow_up_done);
    }

    #[test]
    fn due_days_read_in_words() {
        let today = day(11, 22);
        assert_eq!(due_text(day(11, 20), today), "Overdue since 20 Nov");
        assert_eq!(due_text(today, today), "Follow up today");
        assert_eq!(due_text(day(11, 23), today), "Follow up tomorrow");
        assert_eq!(
            due_text(day(12, 6), today),
            "Follow up by 6 Dec (in 14 days)"
        );
    }

    #[test]
    fn a_last_years_day_says_its_year() {
        let today = day(1, 5);
        let last_year = NaiveDate::from_ymd_opt(2025, 12, 28).unwrap();
        assert_eq!(short_date(last_year, today), "28 Dec 2025");
        assert_eq!(short_date(day(1, 2), today), "2 Jan");
    }
}
