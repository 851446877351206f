//! Import and export in the GUI: file dialogs and drag-and-drop, reading on
//! a background thread, and an import preview where each match is decided
//! (merge, keep both, skip) before anything is written.

use super::{Command, ToastKind, ViewCtx};
use crate::exchange::{
    ImportError, ImportFormat, ImportPreview, Incoming, MatchChoice, Skipped, export, vcard,
};
use crate::model::PersonId;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

type ReadResult = Result<(String, ImportFormat, Vec<Incoming>, Vec<Skipped>), String>;

/// Import/export state.
#[derive(Default)]
pub struct ExchangeState {
    reading: Option<(String, Receiver<ReadResult>)>,
    /// The preview being decided (public for tests).
    pub preview: Option<ImportPreview>,
}

impl ExchangeState {
    /// True while a file is being read.
    pub fn is_reading(&self) -> bool {
        self.reading.is_some()
    }
}

/// Export formats offered in the menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// vCard 4.0.
    Vcard4,
    /// vCard 3.0.
    Vcard3,
    /// Google CSV.
    Csv,
    /// Newsletter list (consent Yes only).
    Newsletter,
    /// Follow-ups as .ics.
    Ics,
}

impl ExportKind {
    fn extension(self) -> &'static str {
        match self {
            ExportKind::Vcard4 | ExportKind::Vcard3 => "vcf",
            ExportKind::Csv | ExportKind::Newsletter => "csv",
            ExportKind::Ics => "ics",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ExportKind::Vcard4 => "vCard 4.0",
            ExportKind::Vcard3 => "vCard 3.0 (older clients)",
            ExportKind::Csv => "Google Contacts CSV",
            ExportKind::Newsletter => "Newsletter list (consented only)",
            ExportKind::Ics => "Follow-ups calendar (.ics)",
        }
    }
}

/// Read and parse a contacts file (runs on a helper thread).
fn read_file(path: &Path) -> ReadResult {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = crate::storage::guard::shown(path);
    let bytes = crate::storage::guard::read_import(path, crate::storage::guard::IMPORT_FILE_CAP)
        .map_err(|e| format!("Cannot import {shown}: {e}"))?;
    crate::exchange::read_contacts(&bytes)
        .map(|(format, incoming, skipped)| (name, format, incoming, skipped))
        .map_err(|e: ImportError| format!("{shown}: {e}"))
}

/// Start reading a file on a background thread.
pub fn start_import(state: &mut ExchangeState, path: PathBuf) {
    let (sender, receiver) = channel();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::thread::spawn(move || {
        let _ = sender.send(read_file(&path));
    });
    state.reading = Some((name, receiver));
}

/// Pick a file with the system dialog (on a thread, so the UI keeps drawing).
/// A cancelled dialog sends an empty error, which shows nothing.
pub fn pick_and_import(state: &mut ExchangeState) {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let picked = rfd::FileDialog::new()
            .add_filter("Contacts", &["vcf", "vcard", "csv"])
            .add_filter("All files", &["*"])
            .pick_file();
        let result = match picked {
            None => Err(String::new()),
            Some(path) => read_file(&path),
        };
        let _ = sender.send(result);
    });
    state.reading = Some(("the chosen file".into(), receiver));
}

/// Render an export to text.
pub fn render_export(
    kind: ExportKind,
    view_ctx: &ViewCtx<'_>,
    people: &[PersonId],
) -> Result<String, String> {
    let model = view_ctx.model;
    let list: Vec<&crate::model::Person> = people
        .iter()
        .filter_map(|id| model.people.get(id))
        .collect();
    // Stored photos go into vCard exports; one that cannot be read is left out.
    let photo = |person: &crate::model::Person| {
        view_ctx.data_dir.and_then(|root| {
            crate::storage::photos::read_photo(root, person.id)
                .ok()
                .flatten()
        })
    };
    match kind {
        ExportKind::Vcard4 => Ok(vcard::write_cards_with(
            list,
            vcard::VcardVersion::V4,
            photo,
        )),
        ExportKind::Vcard3 => Ok(vcard::write_cards_with(
            list,
            vcard::VcardVersion::V3,
            photo,
        )),
        ExportKind::Csv => export::google_csv(list),
        ExportKind::Newsletter => export::newsletter_csv(list, &view_ctx.consent_held),
        ExportKind::Ics => Ok(export::follow_ups_ics(
            model,
            None,
            chrono::Utc::now().naive_utc(),
        )),
    }
}

/// Save an export through the system dialog (blocking only the helper thread).
fn save_export(
    kind: ExportKind,
    text: String,
) -> std::sync::mpsc::Receiver<Result<PathBuf, String>> {
    let (sender, receiver) = channel();
    std::thread::spawn(move || {
        let picked = rfd::FileDialog::new()
            .set_file_name(format!("kith-export.{}", kind.extension()))
            .save_file();
        let result = match picked {
            None => Err(String::new()),
            Some(path) => write_export(&path, &text).map(|()| path),
        };
        let _ = sender.send(result);
    });
    receiver
}

/// Write an export file atomically.
pub fn write_export(path: &Path, text: &str) -> Result<(), String> {
    crate::storage::atomic::write_export(path, text.as_bytes())
        .map_err(|e| format!("Cannot write {}: {e}", crate::storage::guard::shown(path)))
}

/// The Import/Export menu in the top bar.
pub fn menu_ui(
    ui: &mut Ui,
    view_ctx: &ViewCtx<'_>,
    state: &mut ExchangeState,
    shown: &[PersonId],
    saves: &mut Vec<Receiver<Result<PathBuf, String>>>,
) {
    ui.menu_button("Import / Export", |ui| {
        if ui.button("Import contacts…").on_hover_text("vCard, Google or Outlook CSV, LinkedIn Connections.csv. You can also drop a file on the window.").clicked() {
            pick_and_import(state);
            ui.close();
        }
        ui.separator();
        let everyone: Vec<PersonId> = view_ctx.model.live_people().map(|p| p.id).collect();
        for (label, people) in [("Export everyone", &everyone), ("Export the people shown", &shown.to_vec())] {
            ui.menu_button(format!("{label} ({})", people.len()), |ui| {
                for kind in [ExportKind::Vcard4, ExportKind::Vcard3, ExportKind::Csv, ExportKind::Newsletter] {
                    if ui.button(kind.label()).clicked() {
                        match render_export(kind, view_ctx, people) {
                            Ok(text) => saves.push(save_export(kind, text)),
                            Err(e) => saves.push({
                                let (s, r) = channel();
                                let _ = s.send(Err(e));
                                r
                            }),
                        }
                        ui.close();
                    }
                }
            });
        }
        if ui.button(ExportKind::Ics.label()).clicked() {
            if let Ok(text) = render_export(ExportKind::Ics, view_ctx, &[]) {
                saves.push(save_export(ExportKind::Ics, text));
            }
            ui.close();
        }
    });
}

/// Poll the background reader; turn its result into a preview or a toast.
pub fn poll(state: &mut ExchangeState, view_ctx: &ViewCtx<'_>, commands: &mut Vec<Command>) {
    let Some((_, receiver)) = &state.reading else {
        return;
    };
    let Ok(result) = receiver.try_recv() else {
        return;
    };
    state.reading = None;
    match result {
        Ok((source, format, incoming, skipped)) => {
            state.preview = Some(ImportPreview::from_parts(
                &source,
                format,
                incoming,
                skipped,
                view_ctx.model,
            ));
        }
        Err(message) if message.is_empty() => {}
        Err(message) => commands.push(Command::Notify(ToastKind::Error, message)),
    }
}

/// The import preview window.
pub fn preview_ui(
    ctx: &egui::Context,
    view_ctx: &ViewCtx<'_>,
    state: &mut ExchangeState,
    commands: &mut Vec<Command>,
) {
    if let Some((name, _)) = &state.reading {
        egui::Window::new("Reading file")
            .collapsible(false)
            .show(ctx, |ui| {
                ui.label(format!("Reading {name}…"));
                ui.add(egui::ProgressBar::new(0.5).animate(true));
            });
    }
    let Some(preview) = state.preview.as_mut() else {
        return;
    };
    let mut close = false;
    // Opens in the same place every time: centred, below the top bar.
    let top_centre = ctx.content_rect().center_top() + egui::vec2(0.0, 96.0);
    egui::Window::new("Import preview")
        .collapsible(false)
        .default_width(640.0)
        .default_height(480.0)
        .pivot(egui::Align2::CENTER_TOP)
        .default_pos(top_centre)
        .show(ctx, |ui| {
            ui.label(
                RichText::new(format!("{} — {}", preview.source, preview.format.label())).strong(),
            );
            ui.label(format!(
                "{} new people · {} match people you have · {} skipped",
                preview.new_count(),
                preview.match_count(),
                preview.skipped.len()
            ));
            ui.label(
                "Nothing is written until you press Import. The whole import is one undo step.",
            );
            if preview.match_count() > 0 {
                ui.horizontal(|ui| {
                    ui.label("All matches:");
                    if ui.button("Merge all").clicked() {
                        preview.choose_all(MatchChoice::Merge);
                    }
                    if ui.button("Keep all as new").clicked() {
                        preview.choose_all(MatchChoice::KeepBoth);
                    }
                    if ui.button("Skip all").clicked() {
                        preview.choose_all(MatchChoice::Skip);
                    }
                });
            }
            // What each merge would change, from the choices as they stand.
            let changes: Vec<Vec<crate::exchange::changes::FieldChange>> =
                (0..preview.incoming.len())
                    .map(|index| preview.changes(index, view_ctx.model))
                    .collect();
            let match_names: Vec<Option<String>> = (0..preview.incoming.len())
                .map(|index| preview.match_name(index, view_ctx.model))
                .collect();
            egui::ScrollArea::vertical()
                .max_height(300.0)
                .show(ui, |ui| {
                    for (index, item) in preview.incoming.iter_mut().enumerate() {
                        ui.horizontal(|ui| {
                            ui.label(&item.person.name);
                            if let Some(email) = item.person.primary_email() {
                                ui.weak(email);
                            }
                            match &item.matched {
                                Some((_, reason)) => {
                                    ui.label(format!(
                                        "matches {} ({})",
                                        match_names
                                            .get(index)
                                            .cloned()
                                            .flatten()
                                            .unwrap_or_default(),
                                        reason.label()
                                    ));
                                    ui.push_id(index, |ui| {
                                        ui.selectable_value(
                                            &mut item.choice,
                                            MatchChoice::Merge,
                                            "Merge",
                                        );
                                        ui.selectable_value(
                                            &mut item.choice,
                                            MatchChoice::KeepBoth,
                                            "Keep both",
                                        );
                                        ui.selectable_value(
                                            &mut item.choice,
                                            MatchChoice::Skip,
                                            "Skip",
                                        );
                                    });
                                }
                                None => {
                                    ui.weak("new");
                                }
                            }
                        });
                        if let Some(changes) = changes.get(index).filter(|c| !c.is_empty()) {
                            egui::CollapsingHeader::new(format!(
                                "Merge changes {} field{}",
                                changes.len(),
                                if changes.len() == 1 { "" } else { "s" }
                            ))
                            .id_salt(("merge_changes", index))
                            .default_open(changes.len() <= 4)
                            .show(ui, |ui| {
                                egui::Grid::new(("changes_grid", index))
                                    .num_columns(2)
                                    .spacing([12.0, 2.0])
                                    .show(ui, |ui| {
                                        for change in changes {
                                            ui.weak(change.field);
                                            ui.horizontal_wrapped(|ui| {
                                                if change.old.is_empty() {
                                                    ui.weak("(none)");
                                                } else {
                                                    ui.label(&change.old);
                                                }
                                                ui.label("->");
                                                ui.label(RichText::new(&change.new).strong());
                                            });
                                            ui.end_row();
                                        }
                                    });
                            });
                        }
                        if item.choice == MatchChoice::Merge
                            && let Some(note) = item.merge_note(view_ctx.model)
                        {
                            ui.colored_label(ui.visuals().warn_fg_color, format!("  {note}"));
                        }
                        for warning in &item.warnings {
                            ui.colored_label(ui.visuals().warn_fg_color, format!("  {warning}"));
                        }
                    }
                    if !preview.skipped.is_empty() {
                        ui.separator();
                        ui.label(RichText::new("Skipped").strong());
                        for skipped in &preview.skipped {
                            ui.label(format!("line {}: {}", skipped.line, skipped.reason));
                        }
                    }
                });
            ui.horizontal(|ui| {
                if ui.button("Import").clicked() {
                    let photos = preview.photos_to_save(|id| {
                        view_ctx.data_dir.is_some_and(|root| {
                            crate::storage::photos::read_photo(root, id).is_ok_and(|p| p.is_some())
                        })
                    });
                    commands.push(Command::Apply(preview.to_action(view_ctx.model)));
                    if !photos.is_empty() {
                        commands.push(Command::SavePhotos(photos));
                    }
                    commands.push(Command::Notify(
                        ToastKind::Info,
                        format!("Imported {}. Undo with Ctrl+Z.", preview.source),
                    ));
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    if close {
        state.preview = None;
    }
}
