//! The data folder stops taking writes while kith runs (made read-only, or
//! the disk is full): the app says so, keeps the unsaved change in memory,
//! retries, and saves it once the folder takes writes again. Nothing on disk
//! is damaged meanwhile.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::action::Action;
use kith::app::{Command, KithApp};
use std::path::Path;
use std::process::Command as Process;

/// Make `dir` refuse new files, even for root (tests run as root in CI, and
/// root ignores `chmod`). Returns how to undo it, or None when the file
/// system cannot do this.
fn refuse_writes(dir: &Path) -> Option<Box<dyn Fn()>> {
    // chattr +i: the folder is immutable, like a read-only mount.
    let immutable = Process::new("chattr").arg("+i").arg(dir).status();
    if immutable.is_ok_and(|s| s.success()) {
        let dir = dir.to_path_buf();
        return Some(Box::new(move || {
            Process::new("chattr").arg("-i").arg(&dir).status().unwrap();
        }));
    }
    None
}

#[test]
fn a_folder_that_refuses_writes_keeps_changes_in_memory_and_saves_them_later() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = KithApp::open_folder(dir.path());
    first.wait_until_loaded();
    first.push_command(Command::KeepDemo);
    first.apply_commands();
    first.shutdown();
    drop(first);

    let mut app = KithApp::open_folder(dir.path());
    app.wait_for_backup();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(2);

    let people = dir.path().join("people");
    let Some(allow_writes) = refuse_writes(&people) else {
        eprintln!("skipped: this file system has no immutable folders (chattr +i)");
        return;
    };
    let mut priya = harness
        .state()
        .model()
        .people
        .values()
        .find(|p| p.name == "Priya Nair")
        .unwrap()
        .clone();
    let path = people.join(format!("{}.ron", priya.id));
    let before = std::fs::read(&path).unwrap();
    priya.notes = "Written while the folder was read-only.".into();
    harness
        .state_mut()
        .push_command(Command::Apply(Action::EditPerson(priya.clone())));
    harness.step();
    harness.state_mut().push_command(Command::SaveNow);
    harness.run_steps(2);

    // The user is told, in the banner, what failed and that nothing is lost.
    let banner = harness
        .query_by_label_contains("Your changes are kept in memory")
        .map(|node| node.value().unwrap_or_default());
    let banner = banner.unwrap_or_default();
    assert!(
        banner.contains("Could not save") && banner.contains(&format!("{}.ron", priya.id)),
        "{banner}"
    );
    assert_eq!(harness.state().model().people[&priya.id].notes, priya.notes);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the old file is intact"
    );

    // Writes are allowed again: "Retry now" saves, and the banner goes.
    allow_writes();
    harness.get_by_label("Retry now").click();
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label_contains("Your changes are kept in memory")
            .is_none()
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(saved.contains("Written while the folder was read-only."));
    let loaded = kith::storage::load_folder(dir.path()).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
}
