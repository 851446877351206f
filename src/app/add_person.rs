//! The add-person form (Ctrl+N, "New person"): name, where and when you
//! met, who introduced you and what they care about. Nothing is created
//! until Save, which adds the person as one action (one undo step) and
//! opens them; Esc or Cancel closes the form and creates nothing.

use super::chip_entry::chip_entry_ui;
use super::date_entry::DateEntry;
use super::person_relations::pick_person_ui;
use super::style;
use super::widgets::{form_row, removable_chip};
use super::{Command, ViewCtx};
use crate::action::Action;
use crate::model::Person;
use egui::{Key, TextEdit, Ui};

/// How many frames the form tries to put the cursor in the name field.
const FOCUS_FRAMES: u8 = 30;
/// The name field's id.
const NAME_ID: &str = "add_person_name";
/// The "met at" field's id.
const MET_AT_ID: &str = "add_person_met_at";
/// The introducer search field's id.
const INTRODUCER_ID: &str = "add_person_introducer";

/// What the open form holds.
struct Form {
    /// The person being written (their id is fixed when the form opens).
    draft: Person,
    /// What is typed in the interests field.
    interest: String,
    /// What is typed in the introducer's search.
    intro_query: String,
    /// Put the cursor in the name field for this many more frames (the
    /// click that opened the form may still be taking focus away).
    focus_name: u8,
}

/// State of the add-person form: closed, or open with what is typed.
#[derive(Default)]
pub struct AddPersonState {
    form: Option<Form>,
}

impl AddPersonState {
    /// Open an empty form (or keep the one already open).
    pub fn open(&mut self) {
        if self.form.is_none() {
            self.form = Some(Form {
                draft: Person::new(""),
                interest: String::new(),
                intro_query: String::new(),
                focus_name: FOCUS_FRAMES,
            });
        }
    }

    /// Whether the form is on screen.
    pub fn is_open(&self) -> bool {
        self.form.is_some()
    }

    /// Close the form, dropping what was typed.
    pub fn close(&mut self) {
        self.form = None;
    }
}

/// Why the form cannot be saved yet, if it cannot.
fn save_problem(draft: &Person, met_on_error: Option<&str>) -> Option<String> {
    if draft.name.trim().is_empty() {
        return Some("Type a name first".into());
    }
    met_on_error.map(|e| format!("Met on: {e}"))
}

/// The person Save adds: the draft with its text trimmed and what was left
/// in the interests field taken as one more interest.
fn finished(form: &Form) -> Person {
    let mut person = form.draft.clone();
    person.name = person.name.trim().to_string();
    person.met.place = person.met.place.trim().to_string();
    super::chip_entry::add_chip(&mut person.interests, &form.interest);
    person
}

/// Draw the form while it is open.
pub fn ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut AddPersonState,
    commands: &mut Vec<Command>,
) {
    let Some(form) = state.form.as_mut() else {
        return;
    };
    let mut close = false;
    let mut save = false;
    // Esc closes an open menu (the introducer's) first, the form after.
    let menu_open = egui::Popup::is_any_open(ctx);
    // Anchored at the top, not centred: a line that appears (a date in
    // words, an error) never moves the fields or Save under the pointer.
    let id = egui::Id::unique("add_person_form");
    let top = (ctx.content_rect().height() * style::FORM_TOP_SHARE).min(style::FORM_TOP_MAX);
    let area = egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, top));
    egui::Modal::new(id).area(area).show(ctx, |ui| {
        ui.set_max_width(style::FORM_WIDTH.min(ctx.content_rect().width() - style::SPACE_L * 2.0));
        ui.heading("Add a person");
        ui.add_space(style::HEADING_GAP);
        let max_height = ctx.content_rect().height() - top - style::SPACE_L * 5.0;
        let mut met_on_error = None;
        egui::ScrollArea::vertical()
            .max_height(max_height.max(style::MENU_HEIGHT / 2.0))
            .auto_shrink([false, true])
            .show(ui, |ui| {
                met_on_error = fields_ui(ui, view_ctx, form);
            });
        ui.add_space(style::SPACE_S);
        let problem = save_problem(&form.draft, met_on_error.as_deref());
        ui.horizontal_wrapped(|ui| {
            let button = ui.add_enabled(problem.is_none(), egui::Button::new("Save"));
            let button = match &problem {
                Some(why) => button.on_disabled_hover_text(why),
                None => button.on_hover_text("Add them and open their page"),
            };
            save |= button.clicked();
            close |= ui.button("Cancel").clicked();
            if let Some(why) = &problem {
                ui.weak(why);
            }
        });
        // Enter in the name or place field saves, when the form can be saved.
        let enter = ui.input(|i| i.key_pressed(Key::Enter) && i.modifiers.is_none());
        let in_line_field = ui.memory(|m| {
            [NAME_ID, MET_AT_ID]
                .map(egui::Id::unique)
                .iter()
                .any(|id| m.had_focus_last_frame(*id) || m.has_focus(*id))
        });
        if enter && in_line_field && problem.is_none() {
            save = true;
        }
    });
    if !menu_open && ctx.input(|i| i.key_pressed(Key::Escape)) {
        close = true;
    }
    if save {
        if let Some(form) = state.form.take() {
            let person = finished(&form);
            let id = person.id;
            commands.push(Command::Apply(Action::AddPerson(person)));
            commands.push(Command::OpenPerson(id));
        }
    } else if close {
        state.close();
    }
}

/// The fields; returns why the "met on" date is not a date, while it is not.
fn fields_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, form: &mut Form) -> Option<String> {
    let today = view_ctx.today;
    form_row(ui, "Name", |ui, label| {
        let name = ui
            .add(
                TextEdit::singleline(&mut form.draft.name)
                    .id(egui::Id::unique(NAME_ID))
                    .hint_text("Full name")
                    .desired_width(style::FORM_FIELD_WIDTH),
            )
            .labelled_by(label);
        // Until the name has kept the cursor over two frames (the click
        // that opened the form may take it away once more).
        if form.focus_name > 0 {
            let settled = name.has_focus() && ui.memory(|m| m.had_focus_last_frame(name.id));
            if settled {
                form.focus_name = 0;
            } else {
                name.request_focus();
                form.focus_name -= 1;
                ui.ctx().request_repaint();
            }
        }
    });
    form_row(ui, "Met at", |ui, label| {
        ui.add(
            TextEdit::singleline(&mut form.draft.met.place)
                .id(egui::Id::unique(MET_AT_ID))
                .hint_text("Chamber breakfast, LinkedIn…")
                .desired_width(style::FORM_FIELD_WIDTH),
        )
        .labelled_by(label);
    });
    let met_on = form_row(ui, "Met on", |ui, label| {
        DateEntry::new(
            ("add_person_met_on", form.draft.id),
            &mut form.draft.met.date,
            today,
        )
        .optional()
        .labelled_by(label)
        .show(ui)
    });
    form_row(ui, "Introduced by", |ui, label| {
        introducer_ui(ui, view_ctx, form, label);
    });
    let suggestions = view_ctx.insight.suggest_interests(&form.interest, 12);
    chip_entry_ui(
        ui,
        "Interests",
        &mut form.draft.interests,
        &mut form.interest,
        &suggestions,
    );
    met_on.error
}

/// Pick who introduced you: a search field with the people it finds right
/// under it (Enter takes the first); the one picked shows as a chip.
fn introducer_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, form: &mut Form, label: egui::Id) {
    let model = view_ctx.model;
    if let Some(by) = form.draft.introduced_by {
        ui.horizontal_wrapped(|ui| {
            if removable_chip(ui, model.person_name(by)) {
                form.draft.introduced_by = None;
            }
            ui.weak("introduced you");
        });
        return;
    }
    let field = ui
        .add(
            TextEdit::singleline(&mut form.intro_query)
                .id(egui::Id::unique(INTRODUCER_ID))
                .hint_text("Search people…")
                .desired_width(style::FORM_FIELD_WIDTH),
        )
        .labelled_by(label);
    if form.intro_query.trim().is_empty() {
        return;
    }
    let picked = pick_person_ui(ui, view_ctx, &field, &form.intro_query, form.draft.id);
    if let Some(id) = picked {
        form.draft.introduced_by = Some(id);
        form.intro_query.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_name_cannot_be_saved_and_says_why() {
        let mut person = Person::new("  ");
        assert_eq!(
            save_problem(&person, None).as_deref(),
            Some("Type a name first")
        );
        person.name = "Maria Lopez".into();
        assert_eq!(save_problem(&person, None), None);
        assert!(save_problem(&person, Some("No such date")).is_some());
    }

    #[test]
    fn save_takes_the_interest_still_typed() {
        let mut state = AddPersonState::default();
        state.open();
        let form = state.form.as_mut().unwrap();
        form.draft.name = " Maria Lopez ".into();
        form.draft.interests = vec!["Hiking".into()];
        form.interest = "Chess".into();
        let person = finished(form);
        assert_eq!(person.name, "Maria Lopez");
        assert_eq!(person.interests, ["Hiking", "Chess"]);
    }
}
