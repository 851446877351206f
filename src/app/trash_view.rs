//! The trash: deleted people, restorable or removable for good.

use super::style;
use super::widgets::avatar_ui;
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
    ui.add(
        egui::Label::new(
            egui::RichText::new(
                "Restore brings a person back with everything they had. \
                 Delete forever also takes them out of interactions (undo still works).",
            )
            .weak(),
        )
        .wrap(),
    );
    ui.add_space(style::HEADING_GAP);
    egui::ScrollArea::vertical()
        .id_salt("trash_scroll")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // Clear of the scroll bar that floats over the right edge.
            ui.set_max_width(ui.available_width() - style::SCROLL_GUTTER);
            for person in trashed {
                ui.horizontal_wrapped(|ui| {
                    avatar_ui(ui, view_ctx, person, style::AVATAR_LIST);
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
