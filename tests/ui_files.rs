//! The in-app file chooser, as a user without a system file dialog meets it
//! (a plain X11 session, no xdg-desktop-portal, no zenity): Import and
//! Export open kith's own chooser; a typed path completes with Tab; a vCard
//! picked in it reaches the import preview; an export is written under the
//! suggested dated name; a bad path is an error toast; Esc cancels.
//! The tests force the in-app chooser, so no real dialog ever opens.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::exchange_view::ExportKind;
use kith::app::{Command, KithApp, ToastKind};
use kith::model::Model;
use std::path::Path;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn harness() -> Harness<'static, KithApp> {
    let model: Model = kith::storage::format::demo_model(today()).unwrap();
    let mut app = KithApp::in_memory(model, today());
    app.ui_state.exchange.in_app_chooser = true;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

const CARDS: &str =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Quinn Newcomer\r\nEMAIL:quinn@example.org\r\nEND:VCARD\r\n";

/// Replace the text of the field labelled `label` with `text`.
fn retype(harness: &mut Harness<'_, KithApp>, label: &str, text: &str) {
    harness.get_by_label(label).focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(2);
}

/// Run frames until `done` holds (helper threads read and write files).
fn wait_for(harness: &mut Harness<'_, KithApp>, done: impl Fn(&KithApp) -> bool) {
    for _ in 0..500 {
        harness.run_steps(1);
        if done(harness.state()) {
            harness.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("timed out");
}

fn has_toast(app: &KithApp, kind: ToastKind, text: &str) -> bool {
    app.ui_state
        .toasts
        .items()
        .iter()
        .any(|t| t.kind == kind && t.text.contains(text))
}

fn shown(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[test]
fn import_from_the_menu_completes_a_typed_path_and_previews_the_vcf() {
    let mut harness = harness();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("contacts.vcf"), CARDS).unwrap();
    std::fs::write(dir.path().join("contacts-notes.txt"), "not contacts").unwrap();
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    harness.get_by_label("Import / Export").click();
    harness.run_steps(2);
    harness.get_by_label("Import contacts…").click();
    harness.run_steps(3);
    assert!(harness.state().ui_state.exchange.chooser_open());
    harness.get_by_label("Import contacts");
    retype(&mut harness, "Path", &format!("{}/con", shown(dir.path())));
    // Only the vCard passes the contacts filter, so Tab completes to it.
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    let path = harness.get_by_label("Path").value().unwrap();
    assert_eq!(path, shown(&dir.path().join("contacts.vcf")));
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    wait_for(&mut harness, |app| app.ui_state.exchange.preview.is_some());
    assert!(!harness.state().ui_state.exchange.chooser_open());
    harness.get_by_label_contains("1 new people");
    harness.get_by_label("Quinn Newcomer");
}

#[test]
fn a_folder_is_entered_by_click_and_its_file_picked() {
    let mut harness = harness();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("inbox")).unwrap();
    std::fs::write(dir.path().join("inbox").join("phone.vcf"), CARDS).unwrap();
    harness.state_mut().push_command(Command::StartImport);
    harness.run_steps(3);
    retype(&mut harness, "Path", &format!("{}/", shown(dir.path())));
    harness.get_by_label("inbox/").click();
    harness.run_steps(2);
    assert_eq!(
        harness.get_by_label("Path").value().unwrap(),
        format!("{}/", shown(&dir.path().join("inbox")))
    );
    harness.get_by_label("phone.vcf").click();
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    harness.run_steps(2);
    wait_for(&mut harness, |app| app.ui_state.exchange.preview.is_some());
    harness.get_by_label("Quinn Newcomer");
}

#[test]
fn export_writes_the_suggested_dated_name_in_the_chosen_folder() {
    let mut harness = harness();
    let dir = tempfile::tempdir().unwrap();
    harness
        .state_mut()
        .push_command(Command::StartExport(ExportKind::Vcard4));
    harness.run_steps(3);
    assert!(harness.state().ui_state.exchange.chooser_open());
    assert_eq!(
        harness.get_by_label("File name").value().unwrap(),
        "kith-contacts-2026-11-22.vcf"
    );
    retype(&mut harness, "Folder", &format!("{}/", shown(dir.path())));
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    let target = dir.path().join("kith-contacts-2026-11-22.vcf");
    wait_for(&mut harness, |app| {
        has_toast(app, ToastKind::Info, "Exported to")
    });
    let text = std::fs::read_to_string(&target).unwrap();
    assert!(text.starts_with("BEGIN:VCARD"), "{text}");
    assert!(!harness.state().ui_state.exchange.chooser_open());
}

#[test]
fn a_bad_path_is_an_error_toast_with_the_reason() {
    let mut harness = harness();
    let dir = tempfile::tempdir().unwrap();
    harness.state_mut().push_command(Command::StartImport);
    harness.run_steps(3);
    let missing = dir.path().join("nowhere").join("contacts.vcf");
    retype(&mut harness, "Path", &shown(&missing));
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    wait_for(&mut harness, |app| {
        has_toast(app, ToastKind::Error, "Cannot import")
    });
    assert!(harness.state().ui_state.exchange.preview.is_none());
    // Writing into a folder that does not exist fails with its reason too.
    harness
        .state_mut()
        .push_command(Command::StartExport(ExportKind::Csv));
    harness.run_steps(3);
    retype(&mut harness, "Folder", &shown(&dir.path().join("nowhere")));
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    wait_for(&mut harness, |app| {
        has_toast(app, ToastKind::Error, "Cannot write")
    });
}

#[test]
fn escape_cancels_the_chooser_and_changes_nothing() {
    let mut harness = harness();
    let before = harness.state().model().clone();
    harness.state_mut().push_command(Command::StartImport);
    harness.run_steps(3);
    assert!(harness.state().ui_state.exchange.chooser_open());
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().ui_state.exchange.chooser_open());
    assert!(harness.state().ui_state.exchange.preview.is_none());
    assert!(harness.state().ui_state.toasts.items().is_empty());
    assert_eq!(harness.state().model(), &before);
}
