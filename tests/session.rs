//! A session driven headless, the way the app and other callers use it: no
//! window, no egui, a real data folder.

#![allow(clippy::unwrap_used)]

use kith::action::Action;
use kith::model::Person;
use kith::session::{NoticeKind, Phase, SaveStatus, Session};
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A session on `folder`, loaded (no load cache).
fn open(folder: &Path) -> Session {
    let mut session = Session::open_folder(folder, None);
    session.wait_until_loaded();
    assert_eq!(session.phase(), &Phase::Ready);
    session
}

fn has_person(session: &Session, name: &str) -> bool {
    session.model().live_people().any(|p| p.name == name)
}

#[test]
fn an_edit_is_saved_reloaded_and_undone() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let mut session = open(&folder);
    // A fresh folder starts on the demo, which is written on the first save.
    assert_eq!(session.model().live_people().count(), 40);
    assert_eq!(session.save_status(), SaveStatus::Saving);
    session.save();
    assert_eq!(session.save_status(), SaveStatus::Saved);

    assert!(session.apply(Action::AddPerson(Person::new("Maria Lopez"))));
    session.flush_changes();
    assert!(session.is_dirty());
    assert!(
        session.take_changed(),
        "the shell hears that the model moved"
    );
    assert_eq!(
        session.insight().live_people(),
        41,
        "indexes follow the change"
    );
    session.save();
    assert!(!session.is_dirty());
    assert!(session.save_error().is_none());

    let again = open(&folder);
    assert!(has_person(&again, "Maria Lopez"));
    assert_eq!(again.model().live_people().count(), 41);
    assert!(again.problems().is_empty());
    drop(again);

    session.undo();
    let notices = session.take_notices();
    assert!(
        notices
            .iter()
            .any(|n| n.kind == NoticeKind::Info && n.text == "Undone"),
        "{notices:?}"
    );
    assert!(!has_person(&session, "Maria Lopez"));
    session.shutdown();
    let after_undo = open(&folder);
    assert!(!has_person(&after_undo, "Maria Lopez"));
    assert_eq!(after_undo.model().live_people().count(), 40);
    drop(after_undo);

    session.redo();
    assert!(has_person(&session, "Maria Lopez"));
    session.shutdown();
    assert!(has_person(&open(&folder), "Maria Lopez"));
}

#[test]
fn a_damaged_file_is_reported_by_name_and_never_written_over() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let mut session = open(&folder);
    session.shutdown();
    drop(session);
    let victim = fs::read_dir(folder.join("people"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    fs::write(&victim, "(\n    format: 2,\n    person: (name: )\n").unwrap();
    let before = fs::read(&victim).unwrap();

    let mut session = open(&folder);
    assert_eq!(session.problems().len(), 1);
    assert_eq!(session.problems()[0].path.file_name(), victim.file_name());
    let notices = session.take_notices();
    assert!(
        notices
            .iter()
            .any(|n| n.kind == NoticeKind::Error && n.text.contains("1 file(s) could not be read")),
        "{notices:?}"
    );
    assert_eq!(session.model().live_people().count(), 39);

    // Edits and saves around it leave it alone.
    session.keep_demo();
    assert!(session.apply(Action::AddPerson(Person::new("Ana Souza"))));
    session.save();
    session.shutdown();
    assert_eq!(fs::read(&victim).unwrap(), before);
    assert!(has_person(&open(&folder), "Ana Souza"));

    // Set aside, it is renamed (kept), and the problem is over.
    let mut session = open(&folder);
    session.set_aside(&victim);
    assert!(session.problems().is_empty());
    assert!(!victim.exists());
    let notices = session.take_notices();
    assert!(
        notices.iter().any(|n| n.text.starts_with("Moved aside to")),
        "{notices:?}"
    );
    let kept = fs::read_dir(victim.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .any(|entry| fs::read(entry.path()).is_ok_and(|bytes| bytes == before));
    assert!(kept, "the damaged file's bytes are kept under a new name");
}

#[test]
fn background_threads_wake_the_caller_through_its_callback() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    // Written once, so the second open has a backup to make.
    let mut first = open(&folder);
    first.shutdown();
    drop(first);

    let wakes = Arc::new(AtomicUsize::new(0));
    let mut session = Session::open_folder(&folder, None);
    let counter = wakes.clone();
    session.set_waker(Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    }));
    assert!(session.has_waker());
    session.wait_for_backup();
    let deadline = Instant::now() + Duration::from_secs(5);
    while wakes.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        wakes.load(Ordering::SeqCst) > 0,
        "the loader woke the caller"
    );
    // The introductions job runs in the background and wakes it too.
    session.tick();
    session.wait_for_candidates();
    assert!(!session.is_loading());
}

#[test]
fn an_in_memory_session_never_writes() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let mut session = Session::in_memory(kith::model::Model::default(), today);
    assert_eq!(session.save_status(), SaveStatus::Preview);
    assert!(session.apply(Action::AddPerson(Person::new("Lee Chen"))));
    session.tick();
    session.save();
    assert_eq!(session.save_status(), SaveStatus::Preview);
    assert!(session.data_dir().is_none());
    assert_eq!(session.today(), today);
    assert_eq!(session.insight().live_people(), 1);
}
