//! The banners under the top bar: the demo network, a read-only folder, a
//! failed save, files changed both here and on disk, files that could not
//! be read, and copies a sync tool left.

use super::{Command, ViewCtx, conflict_view};
use crate::session::SessionParts;

/// Draw the banners that apply (nothing when none does).
pub(super) fn banners_ui(
    ui: &mut egui::Ui,
    view_ctx: &ViewCtx<'_>,
    session: &SessionParts<'_>,
    conflict_state: &mut conflict_view::ConflictState,
    commands: &mut Vec<Command>,
) {
    let problems = session.problems;
    let unknown_files = session.unknown_files;
    let sync_conflicts = session.sync_conflicts;
    let disk_conflicts = session.disk_conflicts;
    let save_error = session.save_error;
    let demo = view_ctx.model.settings.is_demo;
    let read_only = session.store.and_then(|s| s.read_only());
    if !demo
        && problems.is_empty()
        && sync_conflicts.is_empty()
        && disk_conflicts.is_empty()
        && read_only.is_none()
        && save_error.is_none()
    {
        return;
    }
    egui::Panel::top("banners").resizable(false).show(ui, |ui| {
        if demo {
            ui.horizontal_wrapped(|ui| {
                ui.label(demo_text(view_ctx.insight.live_people()));
                if ui.button("Start empty").clicked() {
                    commands.push(Command::StartEmpty);
                }
                if ui.button("Keep the demo").clicked() {
                    commands.push(Command::KeepDemo);
                }
            });
        }
        if let Some(read_only) = read_only {
            ui.colored_label(ui.visuals().warn_fg_color, &read_only.reason);
        }
        if let Some(error) = save_error {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().error_fg_color, error);
                if ui.small_button("Retry now").clicked() {
                    commands.push(Command::SaveNow);
                }
            });
        }
        conflict_view::banner_ui(ui, disk_conflicts, conflict_state, commands);
        if !problems.is_empty() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!(
                    "{} file(s) could not be read. kith will not write over them. Fix them in a text editor (kith notices), or move them aside:",
                    problems.len()
                ),
            );
            for problem in problems.iter().take(5) {
                // The file, relative to the folder, with its button; the
                // reason below it, wrapped, so nothing runs off the window.
                let relative = view_ctx
                    .data_dir
                    .and_then(|dir| problem.path.strip_prefix(dir).ok())
                    .unwrap_or(&problem.path);
                ui.horizontal_wrapped(|ui| {
                    ui.monospace(crate::storage::guard::shown(relative));
                    if ui.small_button("Move aside").clicked() {
                        commands.push(Command::SetAside(problem.path.clone()));
                    }
                });
                ui.indent(("problem", &problem.path), |ui| {
                    ui.add(
                        egui::Label::new(crate::storage::guard::escape_text(
                            &problem.error.to_string(),
                        ))
                        .wrap(),
                    );
                });
            }
            if problems.len() > 5 {
                ui.label(format!(
                    "...and {} more (run `kith check` for the full list).",
                    problems.len() - 5
                ));
            }
        }
        if !unknown_files.is_empty() && !problems.is_empty() {
            ui.weak(format!(
                "{} unrecognised file(s) were left alone.",
                unknown_files.len()
            ));
        }
        if !sync_conflicts.is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Your sync tool kept conflicting copies. kith loaded the originals; compare each copy with its original and delete the one you do not want:",
            );
            for path in sync_conflicts.iter().take(5) {
                ui.monospace(crate::storage::guard::shown(path));
            }
        }
    });
}

/// The demo banner's text, with the live number of people.
fn demo_text(people: usize) -> String {
    let network = match people {
        1 => "a demo network of 1 person".to_string(),
        n => format!("a demo network of {n} people"),
    };
    format!("You are looking at {network}. Explore freely; everything can be undone.")
}

#[cfg(test)]
mod tests {
    use super::demo_text;

    #[test]
    fn demo_banner_counts_live_people() {
        assert!(demo_text(40).contains("of 40 people"));
        assert!(demo_text(41).contains("of 41 people"));
        assert!(demo_text(1).contains("of 1 person."));
    }
}
