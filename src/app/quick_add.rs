//! Quick "record an interaction" form on a person's page: kind, date,
//! note and an optional follow-up date, added as one
//! `Action::AddInteraction`. What is typed belongs to the person it was
//! typed for: opening someone else starts a fresh form.

use super::date_entry::{AHEAD_CHOICES, DateEntry};
use super::style;
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::{Interaction, InteractionKind, PersonId};
use chrono::NaiveDate;
use egui::Ui;

/// Quick "add interaction" form.
#[derive(Clone, Debug)]
pub struct QuickAdd {
    /// The person this form was filled in for.
    pub person: Option<PersonId>,
    /// Kind selected.
    pub kind: InteractionKind,
    /// Date (defaults to today).
    pub date: Option<NaiveDate>,
    /// Note.
    pub note: String,
    /// Follow up on this date.
    pub follow_up: Option<NaiveDate>,
}

impl Default for QuickAdd {
    fn default() -> Self {
        Self {
            person: None,
            kind: InteractionKind::Coffee,
            date: None,
            note: String::new(),
            follow_up: None,
        }
    }
}

impl QuickAdd {
    /// Start over when the form was filled in for someone else.
    pub fn keep_for(&mut self, id: PersonId) {
        if self.person != Some(id) {
            *self = QuickAdd {
                person: Some(id),
                ..QuickAdd::default()
            };
        }
    }

    /// The interaction the form describes, for person `id`.
    pub fn interaction(&self, id: PersonId, today: NaiveDate) -> Interaction {
        let date = self.date.unwrap_or(today);
        let mut interaction = Interaction::new(date, self.kind, vec![id]);
        interaction.note = self.note.trim().to_string();
        interaction.follow_up = self.follow_up;
        interaction
    }
}

/// Draw the quick-add form for person `id`.
pub fn ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    id: PersonId,
    quick: &mut QuickAdd,
    commands: &mut Vec<Command>,
) {
    quick.keep_for(id);
    let today = view_ctx.today;
    ui.horizontal_wrapped(|ui| {
        for kind in InteractionKind::ALL
            .into_iter()
            .filter(|k| k.is_recorded_directly())
        {
            ui.selectable_value(&mut quick.kind, kind, kind.label());
        }
    });
    if quick.date.is_none() {
        quick.date = Some(today);
    }
    let date = super::widgets::form_row(ui, "On", |ui, label| {
        DateEntry::new(("quick_date", id), &mut quick.date, today)
            .labelled_by(label)
            .show(ui)
    });
    let follow = super::widgets::form_row(ui, "Follow up", |ui, label| {
        DateEntry::new(("quick_follow_up", id), &mut quick.follow_up, today)
            .optional()
            .choices(AHEAD_CHOICES)
            .labelled_by(label)
            .show(ui)
    });
    super::widgets::form_row(ui, "Note", |ui, label| {
        ui.horizontal_wrapped(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut quick.note)
                    .id(ui.make_persistent_id(("quick_note", id)))
                    .desired_width(style::QUICK_NOTE_WIDTH),
            )
            .labelled_by(label);
            let problem = date
                .error
                .map(|e| format!("The date: {e}"))
                .or(follow.error.map(|e| format!("The follow-up date: {e}")))
                .or_else(|| {
                    let (on, follow_up) = (quick.date?, quick.follow_up?);
                    (follow_up < on).then(|| "The follow-up is before the interaction".to_string())
                });
            let name = format!("Add {}", quick.kind.label().to_lowercase());
            let button = ui.add_enabled(problem.is_none(), egui::Button::new(&name));
            let button = match &problem {
                Some(why) => button.on_disabled_hover_text(why),
                None => button,
            };
            if button.clicked() {
                commands.push(Command::Apply(Action::AddInteraction(
                    quick.interaction(id, today),
                )));
                quick.note.clear();
                quick.date = None;
                quick.follow_up = None;
            }
            if let Some(why) = problem {
                ui.label(egui::RichText::new(why).color(style::error_color(ui)));
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_starts_over_for_another_person() {
        let (a, b) = (PersonId::new_random(), PersonId::new_random());
        let mut quick = QuickAdd::default();
        quick.keep_for(a);
        quick.note = "talked about the move".into();
        quick.kind = InteractionKind::Call;
        quick.keep_for(a);
        assert_eq!(quick.note, "talked about the move");
        quick.keep_for(b);
        assert!(quick.note.is_empty());
        assert_eq!(quick.kind, InteractionKind::Coffee);
        assert_eq!(quick.person, Some(b));
    }

    #[test]
    fn the_interaction_has_the_date_and_follow_up_typed() {
        let id = PersonId::new_random();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let quick = QuickAdd {
            note: "  lunch ".into(),
            follow_up: Some(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()),
            ..QuickAdd::default()
        };
        let made = quick.interaction(id, today);
        assert_eq!(made.date, today);
        assert_eq!(made.note, "lunch");
        assert_eq!(made.follow_up, quick.follow_up);
        assert_eq!(made.people, [id]);
    }
}
