//! A sync tool or git changes the data folder while kith runs: the app
//! notices (through the real file watcher), reloads, and shows a conflict
//! when it had unsaved edits to the same record.

#![allow(clippy::unwrap_used)]

use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::action::Action;
use kith::app::{Command, KithApp};
use kith::model::{Person, PersonId};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An app on a saved copy of the demo network, loaded and idle.
fn open(dir: &Path) -> Harness<'static, KithApp> {
    let mut first = KithApp::open_folder(dir);
    first.wait_until_loaded();
    first.push_command(Command::KeepDemo);
    first.apply_commands();
    first.shutdown();
    drop(first);
    let mut app = KithApp::open_folder(dir);
    app.wait_for_backup();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(2);
    harness
}

fn person_named(harness: &Harness<'_, KithApp>, name: &str) -> Person {
    harness
        .state()
        .model()
        .people
        .values()
        .find(|p| p.name == name)
        .unwrap()
        .clone()
}

fn path_of(dir: &Path, id: PersonId) -> PathBuf {
    dir.join("people").join(format!("{id}.ron"))
}

/// Write a person's file as another program would (not atomically).
fn write_externally(dir: &Path, person: &Person) {
    let text = kith::storage::format::write_person(person).unwrap();
    std::fs::write(path_of(dir, person.id), text).unwrap();
}

/// Run frames (as the window would while idle) until `done`, for at most 10 s.
fn run_until(harness: &mut Harness<'_, KithApp>, done: impl Fn(&KithApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for the app");
        std::thread::sleep(Duration::from_millis(30));
        harness.step();
    }
}

/// Priya edited in the app ("mine", unsaved) and on disk ("theirs"), until
/// the app shows the conflict. Returns the harness and Priya as she was.
fn clash(dir: &Path) -> (Harness<'static, KithApp>, Person) {
    let mut harness = open(dir);
    let original = person_named(&harness, "Priya Nair");
    let mut mine = original.clone();
    mine.notes = "mine".into();
    let mut theirs = original.clone();
    theirs.notes = "theirs".into();
    harness
        .state_mut()
        .push_command(Command::Apply(Action::EditPerson(mine)));
    harness.step();
    write_externally(dir, &theirs);
    // Whether the watcher or the autosave sees it first, it is a conflict,
    // and the file on disk keeps their version meanwhile.
    run_until(&mut harness, |app| !app.disk_conflicts().is_empty());
    (harness, original)
}

#[test]
fn a_file_changed_by_another_program_is_reloaded() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    let mut priya = person_named(&harness, "Priya Nair");
    priya.notes = "Edited on the laptop; synced by Syncthing.".into();
    write_externally(dir.path(), &priya);
    let id = priya.id;
    run_until(&mut harness, |app| {
        app.model().people[&id]
            .notes
            .starts_with("Edited on the laptop")
    });
    // Nothing to save: the file already holds this version.
    harness.step();
    assert!(harness.state().disk_conflicts().is_empty());
    assert_eq!(
        std::fs::read_to_string(path_of(dir.path(), id)).unwrap(),
        kith::storage::format::write_person(&priya).unwrap()
    );
    // A new file (git pull) adds a person.
    let grace = Person::new("Grace Hopper");
    write_externally(dir.path(), &grace);
    run_until(&mut harness, |app| {
        app.model().people.contains_key(&grace.id)
    });
}

#[test]
fn a_conflicting_change_keeps_both_until_the_user_picks_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, original) = clash(dir.path());
    let path = path_of(dir.path(), original.id);
    assert!(std::fs::read_to_string(&path).unwrap().contains("theirs"));
    assert_eq!(harness.state().model().people[&original.id].notes, "mine");
    harness.run_steps(2);

    harness.get_by_label("Compare").click();
    harness.run_steps(2);
    harness.get_by_label("+ only on disk");
    // The compare window has its own buttons (the banner's are behind it).
    harness
        .get_all_by_role_and_label(Role::Button, "Use theirs")
        .last()
        .unwrap()
        .click_accesskit();
    harness.run_steps(2);
    assert!(harness.state().disk_conflicts().is_empty());
    assert_eq!(harness.state().model().people[&original.id].notes, "theirs");
    // Undo brings mine back, and it is saved.
    harness.state_mut().push_command(Command::Undo);
    harness.step();
    assert_eq!(harness.state().model().people[&original.id].notes, "mine");
    harness.state_mut().save();
    assert!(std::fs::read_to_string(&path).unwrap().contains("mine"));
}

#[test]
fn keeping_mine_writes_it_over_the_disk_version() {
    let dir = tempfile::tempdir().unwrap();
    let (mut harness, original) = clash(dir.path());
    harness.run_steps(2);
    harness.get_by_label("Keep mine").click();
    harness.run_steps(2);
    harness.state_mut().save();
    let path = path_of(dir.path(), original.id);
    assert!(std::fs::read_to_string(&path).unwrap().contains("mine"));
    assert_eq!(harness.state().model().people[&original.id].notes, "mine");
}

#[test]
fn a_file_broken_on_disk_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    let priya = person_named(&harness, "Priya Nair");
    let path = path_of(dir.path(), priya.id);
    let broken = "<<<<<<< HEAD\n(\n=======\n)\n>>>>>>> laptop\n";
    std::fs::write(&path, broken).unwrap();
    run_until(&mut harness, |app| !app.problems().is_empty());
    assert!(
        harness.state().problems()[0]
            .error
            .message
            .contains("merge conflict")
    );
    // kith still has Priya, and never writes over the broken file.
    assert!(harness.state().model().people.contains_key(&priya.id));
    let mut edited = priya.clone();
    edited.notes = "edited meanwhile".into();
    harness
        .state_mut()
        .push_command(Command::Apply(Action::EditPerson(edited)));
    harness.step();
    harness.state_mut().save();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
    // A Syncthing conflict copy shows in the banner as it appears.
    let copy = dir
        .path()
        .join("people")
        .join("x.sync-conflict-20261123-101010-ABCDEFG.ron");
    std::fs::write(&copy, "()").unwrap();
    let shown = copy.display().to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    while harness.query_by_label(&shown).is_none() {
        assert!(Instant::now() < deadline, "no sync-conflict banner");
        std::thread::sleep(Duration::from_millis(30));
        harness.step();
    }
}

#[test]
fn text_being_typed_survives_a_reload_of_the_same_person() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    let priya = person_named(&harness, "Priya Nair");
    harness
        .state_mut()
        .push_command(Command::OpenPerson(priya.id));
    harness.run_steps(2);
    let role = harness.get_by_role_and_label(Role::TextInput, "Job title");
    role.focus();
    role.type_text(" Typed while syncing.");
    harness.run_steps(2);
    // Meanwhile the laptop changed her organization.
    let mut theirs = priya.clone();
    theirs.organization = "Synced Org".into();
    write_externally(dir.path(), &theirs);
    run_until(&mut harness, |app| {
        app.model().people[&priya.id].organization == "Synced Org"
    });
    harness.run_steps(2);
    // Leaving the field commits the typing on top of the reloaded version.
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .focus();
    harness.run_steps(3);
    let now = &harness.state().model().people[&priya.id];
    assert_eq!(now.organization, "Synced Org");
    assert!(now.role.ends_with(" Typed while syncing."), "{}", now.role);
}
