//! The photo controls of the person view: choose a photo (any JPEG or PNG,
//! scaled down and stored as `photos/<id>.jpg`) or remove it (the file is
//! set aside, never deleted).

use super::{Command, ViewCtx};
use crate::model::PersonId;
use egui::Ui;

/// "Choose photo…" and, when there is one, "Remove photo" for a person.
pub fn photo_ui(ui: &mut Ui, view_ctx: &ViewCtx<'_>, id: PersonId, commands: &mut Vec<Command>) {
    if view_ctx.data_dir.is_none() {
        return;
    }
    let has_photo = view_ctx.photo(ui.ctx(), id).is_some();
    let choose = if has_photo {
        "Change photo…"
    } else {
        "Add photo…"
    };
    if ui
        .small_button(choose)
        .on_hover_text("A JPEG or PNG; large ones are scaled down to 512 pixels")
        .clicked()
    {
        commands.push(Command::ChoosePhoto(id));
    }
    if has_photo
        && ui
            .small_button("Remove photo")
            .on_hover_text("The file is set aside in photos/, not deleted")
            .clicked()
    {
        commands.push(Command::RemovePhoto(id));
    }
}
