//! The app and the CLI on a real data folder: first run, saving, check, lock.

#![allow(clippy::unwrap_used)]

use kith::action::Action;
use kith::app::{Command, KithApp};
use kith::model::Person;
use kith::session::SaveStatus;
use std::fs;
use std::path::Path;

/// How many person files the folder holds.
fn person_files(folder: &Path) -> usize {
    fs::read_dir(folder.join("people")).unwrap().count()
}

/// A command that adds a person, so the next save writes a file.
fn add_person(name: &str) -> Command {
    Command::Apply(Action::AddPerson(Person::new(name)))
}

#[test]
fn first_run_opens_the_demo_and_saves_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("kith-data");
    let mut app = KithApp::open_folder(&folder);
    app.wait_until_loaded();
    assert_eq!(app.model().live_people().count(), 40);
    assert_eq!(app.model().orgs.len(), 5);
    assert!(app.model().settings.is_demo);
    app.shutdown();
    drop(app);
    assert_eq!(fs::read_dir(folder.join("people")).unwrap().count(), 40);
    let mut out = Vec::new();
    assert_eq!(kith::cli::check(&folder, &mut out).unwrap(), 0);
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("40 people"), "{text}");
    // The second run loads what the first saved, not the demo again.
    let mut again = KithApp::open_folder(&folder);
    again.wait_until_loaded();
    assert_eq!(again.model().live_people().count(), 40);
    assert!(again.problems().is_empty());
}

#[test]
fn check_reports_a_damaged_file_by_name_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = KithApp::open_folder(dir.path());
    app.wait_until_loaded();
    app.shutdown();
    drop(app);
    let victim = fs::read_dir(dir.path().join("people"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    fs::write(&victim, "(\n    format: 2,\n    person: (name: )\n").unwrap();
    let mut out = Vec::new();
    assert_eq!(kith::cli::check(dir.path(), &mut out).unwrap(), 1);
    let text = String::from_utf8(out).unwrap();
    let name = victim.file_name().unwrap().to_string_lossy().into_owned();
    assert!(text.contains(&format!("{name}:3:")), "{text}");
    assert!(text.contains("39 people"), "{text}");
    // The app loads the rest, lists the problem, and leaves the file alone.
    let before = fs::read(&victim).unwrap();
    let mut app = KithApp::open_folder(dir.path());
    app.wait_until_loaded();
    assert_eq!(app.problems().len(), 1);
    // A save after a change writes the new person and still leaves the
    // damaged file as it was.
    let files = person_files(dir.path());
    app.push_command(add_person("Written after the damage"));
    app.apply_commands();
    assert_eq!(app.model().live_people().count(), 40);
    app.shutdown();
    assert_eq!(person_files(dir.path()), files + 1);
    assert_eq!(fs::read(&victim).unwrap(), before);
}

#[test]
fn check_on_a_missing_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut out = Vec::new();
    assert!(kith::cli::check(&dir.path().join("nope"), &mut out).is_err());
}

#[test]
fn a_second_app_on_the_same_folder_is_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = KithApp::open_folder(dir.path());
    first.wait_until_loaded();
    first.shutdown();
    let mut second = KithApp::open_folder(dir.path());
    second.wait_until_loaded();
    assert_eq!(second.session().save_status(), SaveStatus::ReadOnly);
    let before = person_files(dir.path());
    // The change is made in memory (the banner says nothing is saved) but
    // never reaches the folder the first app holds.
    second.push_command(add_person("Never written"));
    second.apply_commands();
    assert!(
        second
            .model()
            .live_people()
            .any(|p| p.name == "Never written")
    );
    second.save();
    second.shutdown();
    assert_eq!(person_files(dir.path()), before);
    // The first app, which holds the folder, does write the same change.
    first.push_command(add_person("Written by the first"));
    first.apply_commands();
    first.save();
    assert_eq!(person_files(dir.path()), before + 1);
}

#[test]
fn a_daily_backup_is_taken_on_open_and_can_be_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = KithApp::open_folder(dir.path());
    first.wait_until_loaded();
    first.shutdown();
    drop(first);
    let mut app = KithApp::open_folder(dir.path());
    app.wait_for_backup();
    let backups = kith::storage::list_backups(dir.path());
    assert_eq!(backups.len(), 1);
    let before = app.model().clone();
    app.push_command(kith::app::Command::StartEmpty);
    app.apply_commands();
    assert!(app.model().people.is_empty());
    app.push_command(kith::app::Command::RestoreBackup(backups[0].1.clone()));
    app.apply_commands();
    assert_eq!(app.model().people, before.people);
    assert_eq!(app.model().interactions, before.interactions);
}

#[test]
fn the_load_cache_is_written_after_opening_and_never_hides_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("kith-data");
    let cache_dir = dir.path().join("cache");
    let open = || {
        let mut app = KithApp::open_folder_with_cache(&folder, Some(cache_dir.clone()));
        app.wait_for_backup();
        app
    };
    // First run: the demo is saved; no cache for a folder that was empty.
    let mut app = open();
    app.push_command(kith::app::Command::KeepDemo);
    app.apply_commands();
    app.shutdown();
    drop(app);
    let cache = kith::storage::cache_file(&cache_dir, &folder);
    assert!(!cache.exists());

    // The next open writes it, in the background, after the first frame.
    let app = open();
    let people = app.model().people.clone();
    drop(app);
    assert!(cache.is_file());

    // A file changed while kith was closed loads as changed.
    let (id, person) = people.iter().next().unwrap();
    let path = folder.join("people").join(format!("{id}.ron"));
    let mut changed = person.clone();
    changed.notes = "Changed while kith was closed".into();
    fs::write(
        &path,
        kith::storage::format::write_person(&changed).unwrap(),
    )
    .unwrap();
    let app = open();
    assert_eq!(app.model().people[id].notes, changed.notes);
    drop(app);

    // Once the files have settled, an open takes every record from the cache
    // (nothing to rewrite: the cache file stays as it was) and still loads
    // the same data.
    std::thread::sleep(kith::storage::CACHE_SETTLE);
    drop(open());
    let written = fs::metadata(&cache).unwrap().modified().unwrap();
    let app = open();
    assert_eq!(fs::metadata(&cache).unwrap().modified().unwrap(), written);
    assert_eq!(app.model().people[id].notes, changed.notes);
    assert_eq!(app.model().people.len(), people.len());
}
