//! Setting how often to be in touch with someone: the compact rhythm
//! control of the person page ("every [3] weeks", or the stage default)
//! and the "Rhythm…" menu of Today's Re-engage rows.

use super::Command;
use crate::action::Action;
use crate::insight::rhythm_words;
use crate::model::{Person, Settings};
use egui::Ui;

/// The rhythms the "Rhythm…" menu offers, in days.
pub const RHYTHM_CHOICES: [(&str, u32); 4] = [
    ("Every 2 weeks", 14),
    ("Every month", 30),
    ("Every 2 months", 60),
    ("Every quarter", 90),
];

/// A unit a rhythm is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RhythmUnit {
    /// Days.
    Days,
    /// Weeks (7 days).
    Weeks,
    /// Months (30 days).
    Months,
}

impl RhythmUnit {
    /// Every unit, in the order the control shows them.
    pub const ALL: [RhythmUnit; 3] = [RhythmUnit::Days, RhythmUnit::Weeks, RhythmUnit::Months];

    /// Days in one unit.
    pub fn days(self) -> u32 {
        match self {
            RhythmUnit::Days => 1,
            RhythmUnit::Weeks => 7,
            RhythmUnit::Months => 30,
        }
    }

    /// The unit's name after `count` ("week" after 1, "weeks" after 3).
    pub fn label(self, count: u32) -> &'static str {
        match (self, count == 1) {
            (RhythmUnit::Days, true) => "day",
            (RhythmUnit::Days, false) => "days",
            (RhythmUnit::Weeks, true) => "week",
            (RhythmUnit::Weeks, false) => "weeks",
            (RhythmUnit::Months, true) => "month",
            (RhythmUnit::Months, false) => "months",
        }
    }

    /// The most a rhythm counts in this unit (about two years).
    fn most(self) -> u32 {
        730 / self.days()
    }
}

/// The unit `days` reads best in, and the count: 90 is 3 months, 21 is 3
/// weeks, 45 is 45 days.
pub fn in_units(days: u32) -> (u32, RhythmUnit) {
    let days = days.max(1);
    if days.is_multiple_of(30) {
        (days / 30, RhythmUnit::Months)
    } else if days.is_multiple_of(7) {
        (days / 7, RhythmUnit::Weeks)
    } else {
        (days, RhythmUnit::Days)
    }
}

/// The person with their rhythm set to `days` (None: the stage default).
pub fn with_rhythm(person: &Person, days: Option<u32>) -> Person {
    let mut edited = person.clone();
    edited.rhythm_days = days.filter(|d| *d > 0);
    edited
}

/// The person's rhythm on their page: "every [3] (days weeks months)",
/// where it comes from, and a way back to the stage default. Edits
/// `draft`; true when the change is done and should be saved (a drag
/// ended, typing ended, a unit or the default was chosen).
pub fn rhythm_entry_ui(
    ui: &mut Ui,
    draft: &mut Person,
    settings: &Settings,
    label: egui::Id,
) -> bool {
    let mut commit = false;
    let own = draft.rhythm_days.filter(|d| *d > 0);
    let unit_id = egui::Id::unique(("rhythm_unit", draft.id));
    let remembered: Option<RhythmUnit> = ui.data(|d| d.get_temp(unit_id));
    let days = draft.rhythm(settings);
    let (mut count, natural) = in_units(days);
    // Keep the unit the user chose while its count is whole.
    let unit = match remembered {
        Some(unit) if days.is_multiple_of(unit.days()) => {
            count = days / unit.days();
            unit
        }
        _ => natural,
    };
    ui.horizontal_wrapped(|ui| {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        ui.label("every");
        let field = ui
            .add(
                egui::DragValue::new(&mut count)
                    .range(1..=unit.most())
                    .speed(0.1),
            )
            .labelled_by(label);
        if field.changed() {
            draft.rhythm_days = Some(count.max(1) * unit.days());
        }
        if field.drag_stopped() || field.lost_focus() {
            commit = true;
        } else if field.changed() && !field.dragged() && !field.has_focus() {
            // The arrow keys or a click on a focused field.
            commit = true;
        }
        for choice in RhythmUnit::ALL {
            if ui
                .selectable_label(choice == unit, choice.label(count))
                .clicked()
                && choice != unit
            {
                let counted =
                    ((days as f32 / choice.days() as f32).round() as u32).clamp(1, choice.most());
                draft.rhythm_days = Some(counted * choice.days());
                ui.data_mut(|d| d.insert_temp(unit_id, choice));
                commit = true;
            }
        }
        let stage_days = settings.cadence(draft.stage);
        if own.is_some() {
            ui.weak("your rhythm");
            if ui
                .small_button(format!(
                    "Use the {} default ({})",
                    draft.stage,
                    rhythm_words(stage_days)
                ))
                .clicked()
            {
                draft.rhythm_days = None;
                ui.data_mut(|d| d.remove::<RhythmUnit>(unit_id));
                commit = true;
            }
        } else {
            ui.weak(format!("{} default", draft.stage));
        }
    });
    commit
}

/// The "Rhythm…" menu of a Re-engage row: a few common rhythms and the
/// stage default, the current one ticked; a choice is saved at once.
pub fn rhythm_menu_ui(
    ui: &mut Ui,
    person: &Person,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    let own = person.rhythm_days.filter(|d| *d > 0);
    ui.menu_button("Rhythm…", |ui| {
        ui.weak(format!("How often to be in touch with {}", person.name));
        for (name, days) in RHYTHM_CHOICES {
            if ui.selectable_label(own == Some(days), name).clicked() && own != Some(days) {
                commands.push(Command::Apply(Action::EditPerson(with_rhythm(
                    person,
                    Some(days),
                ))));
            }
        }
        let default = format!(
            "{} default ({})",
            person.stage,
            rhythm_words(settings.cadence(person.stage))
        );
        if ui.selectable_label(own.is_none(), default).clicked() && own.is_some() {
            commands.push(Command::Apply(Action::EditPerson(with_rhythm(
                person, None,
            ))));
        }
    })
    .response
    .on_hover_text("How often you aim to be in touch");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rhythms_are_written_in_the_unit_that_reads_best() {
        assert_eq!(in_units(90), (3, RhythmUnit::Months));
        assert_eq!(in_units(30), (1, RhythmUnit::Months));
        assert_eq!(in_units(21), (3, RhythmUnit::Weeks));
        assert_eq!(in_units(45), (45, RhythmUnit::Days));
        assert_eq!(in_units(0), (1, RhythmUnit::Days));
    }

    #[test]
    fn a_zero_rhythm_is_the_stage_default() {
        let person = Person::new("Ann");
        assert_eq!(with_rhythm(&person, Some(0)).rhythm_days, None);
        assert_eq!(with_rhythm(&person, Some(21)).rhythm_days, Some(21));
    }
}
