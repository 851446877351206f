//! The trash: deleted people, restorable or removable for good.

use super::{Command, ViewCtx};
use crate::action::Action;
use egui::Ui;

/// Draw the trash view.
pub fn ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    ui.heading("Trash");
    let trashed: Vec<_> = view_ctx.model.trashed_people().collect();
    if trashed.is_empty() {
        ui.weak("The trash is empty.");
        return;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for person in trashed {
            ui.horizontal(|ui| {
                ui.label(&person.name);
                if ui.button("Restore").clicked() {
                    commands.push(Command::Apply(Action::RestorePerson(person.id)));
                }
                if ui
                    .button("Delete forever")
                    .on_hover_text("Also removes them from interactions; undo still works")
                    .clicked()
                {
                    commands.push(Command::Apply(Action::PurgePerson(person.id)));
                }
            });
        }
    });
}
