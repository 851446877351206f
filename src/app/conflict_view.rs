//! Files another program changed while you had unsaved edits to them: a
//! banner lists them, and a compare window shows both versions line by line
//! before you keep yours or use the one on disk.

use super::Command;
use crate::storage::{DiffLine, DiskConflict, line_diff};
use egui::{RichText, Ui};
use std::path::PathBuf;

/// Which conflict the compare window shows.
#[derive(Default, Debug)]
pub struct ConflictState {
    /// The file being compared, if the window is open.
    pub comparing: Option<PathBuf>,
}

/// The banner lines for open conflicts (inside the banners panel).
pub fn banner_ui(
    ui: &mut Ui,
    conflicts: &[DiskConflict],
    state: &mut ConflictState,
    commands: &mut Vec<Command>,
) {
    if conflicts.is_empty() {
        return;
    }
    ui.colored_label(
        ui.visuals().warn_fg_color,
        format!(
            "{} record(s) changed on disk while you had unsaved edits. Both versions are kept until you pick one:",
            conflicts.len()
        ),
    );
    for conflict in conflicts {
        ui.horizontal_wrapped(|ui| {
            let what = if conflict.theirs.is_some() {
                "changed on disk"
            } else {
                "deleted on disk"
            };
            ui.label(format!("{} ({what})", conflict.label));
            if ui.small_button("Compare").clicked() {
                state.comparing = Some(conflict.path.clone());
            }
            resolve_buttons_ui(ui, conflict, commands);
        });
    }
}

fn resolve_buttons_ui(ui: &mut Ui, conflict: &DiskConflict, commands: &mut Vec<Command>) {
    if ui
        .small_button("Keep mine")
        .on_hover_text("Your version is saved over the one on disk")
        .clicked()
    {
        commands.push(Command::ResolveConflict {
            path: conflict.path.clone(),
            keep_mine: true,
        });
    }
    if ui
        .small_button("Use theirs")
        .on_hover_text("The version on disk replaces yours; Undo brings yours back")
        .clicked()
    {
        commands.push(Command::ResolveConflict {
            path: conflict.path.clone(),
            keep_mine: false,
        });
    }
}

/// The compare window: both versions, differing lines marked.
pub fn compare_ui(
    ctx: &egui::Context,
    conflicts: &[DiskConflict],
    state: &mut ConflictState,
    commands: &mut Vec<Command>,
) {
    let Some(path) = &state.comparing else {
        return;
    };
    let Some(conflict) = conflicts.iter().find(|c| &c.path == path) else {
        state.comparing = None;
        return;
    };
    let mut open = true;
    egui::Window::new(format!("Compare: {}", conflict.label))
        .open(&mut open)
        .default_size([720.0, 480.0])
        .show(ctx, |ui| {
            ui.label(crate::storage::guard::shown(&conflict.path));
            ui.horizontal(|ui| {
                let (warn, link) = (ui.visuals().warn_fg_color, ui.visuals().hyperlink_color);
                ui.colored_label(warn, "- only in yours");
                ui.colored_label(link, "+ only on disk");
            });
            ui.separator();
            egui::ScrollArea::vertical()
                .max_height(ui.available_height() - 40.0)
                .show(ui, |ui| match &conflict.theirs {
                    Some(theirs) => diff_ui(ui, &conflict.mine, theirs),
                    None => {
                        ui.label("The file was deleted on disk. Your version:");
                        ui.monospace(&conflict.mine);
                    }
                });
            ui.separator();
            ui.horizontal(|ui| resolve_buttons_ui(ui, conflict, commands));
        });
    if !open {
        state.comparing = None;
    }
}

fn diff_ui(ui: &mut Ui, mine: &str, theirs: &str) {
    let warn = ui.visuals().warn_fg_color;
    let link = ui.visuals().hyperlink_color;
    for line in line_diff(mine, theirs) {
        let text = match line {
            DiffLine::Same(text) => RichText::new(format!("  {text}")).weak(),
            DiffLine::Mine(text) => RichText::new(format!("- {text}")).color(warn),
            DiffLine::Theirs(text) => RichText::new(format!("+ {text}")).color(link),
        };
        ui.label(text.monospace());
    }
}
