//! Another program changes the data folder while kith has it open.

use super::tests::{day, full_model, id_of, open_with};
use super::*;
use crate::action::Action;
use crate::document::Document;
use crate::model::{Interaction, InteractionKind, Person};

fn person_path(dir: &Path, id: PersonId) -> PathBuf {
    dir.join(PEOPLE_DIR).join(format!("{id}.ron"))
}

/// Write a person file the way another kith (or git) would.
fn write_externally(dir: &Path, person: &Person) {
    let text = format::write_person(person).unwrap();
    fs::write(person_path(dir, person.id), text).unwrap();
}

/// Apply what reconcile found the way the app does: reloads go through the
/// document, and storage is told they came from disk.
fn apply_reloads(store: &mut Store, doc: &mut Document, found: &Reconciled) {
    for reload in &found.reloads {
        doc.apply(reload.action.clone()).unwrap();
    }
    store.note_reloaded(&doc.take_changes(), doc.model());
}

fn edit_locally(store: &mut Store, doc: &mut Document, id: PersonId, notes: &str) {
    let mut person = doc.model().people[&id].clone();
    person.notes = notes.into();
    doc.apply(Action::EditPerson(person)).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
}

/// Ann edited here ("mine", unsaved) and on disk ("theirs").
fn clash() -> (tempfile::TempDir, Store, Document, Person) {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let ann = id_of(doc.model(), "Ann");
    let mut theirs = doc.model().people[&ann].clone();
    theirs.notes = "theirs".into();
    edit_locally(&mut store, &mut doc, ann, "mine");
    write_externally(dir.path(), &theirs);
    (dir, store, doc, theirs)
}

/// What the store finds in one person's file now.
fn reconcile_person(store: &mut Store, doc: &Document, dir: &Path, id: PersonId) -> Reconciled {
    store.reconcile(read_changed(dir, [person_path(dir, id)]), doc.model())
}

#[test]
fn own_writes_are_not_reported_as_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let ann = id_of(doc.model(), "Ann");
    edit_locally(&mut store, &mut doc, ann, "mine");
    assert!(store.save(doc.model()).is_complete());
    let batch = read_changed(dir.path(), [person_path(dir.path(), ann)]);
    assert_eq!(batch.reads.len(), 1);
    assert!(store.reconcile(batch, doc.model()).is_empty());
}

#[test]
fn a_clean_external_edit_reloads_without_making_anything_dirty() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let ann = id_of(doc.model(), "Ann");
    let mut theirs = doc.model().people[&ann].clone();
    theirs.notes = "edited on the laptop".into();
    write_externally(dir.path(), &theirs);

    let found = reconcile_person(&mut store, &doc, dir.path(), ann);
    assert_eq!(found.reloads.len(), 1, "{found:?}");
    assert!(found.conflicts.is_empty());
    assert!(found.reloads[0].label.starts_with("Ann"));
    apply_reloads(&mut store, &mut doc, &found);
    assert_eq!(doc.model().people[&ann], theirs);
    assert!(!store.is_dirty());
    // The reload is one undo step, and undoing it is a normal edit to save.
    assert!(doc.undo_label().unwrap().contains("Reload Ann"));
    // The same event seen again changes nothing.
    let again = reconcile_person(&mut store, &doc, dir.path(), ann);
    assert!(again.is_empty());
}

#[test]
fn an_external_edit_to_a_record_with_unsaved_edits_is_a_conflict_and_neither_side_is_lost() {
    let (dir, mut store, doc, theirs) = clash();
    let ann = theirs.id;

    let found = reconcile_person(&mut store, &doc, dir.path(), ann);
    assert!(found.reloads.is_empty());
    assert_eq!(found.conflicts.len(), 1);
    let conflict = &found.conflicts[0];
    assert!(conflict.mine.contains("mine"));
    assert!(conflict.theirs.as_deref().unwrap().contains("theirs"));
    assert_eq!(store.held_count(), 1);
    // While the conflict is open, saving leaves the disk version alone and
    // kith keeps its own in memory.
    store.save(doc.model());
    let on_disk = fs::read_to_string(person_path(dir.path(), ann)).unwrap();
    assert!(on_disk.contains("theirs"));
    assert_eq!(doc.model().people[&ann].notes, "mine");

    // Keep mine: the next save writes it.
    store.resolve(conflict, true);
    assert!(store.save(doc.model()).is_complete());
    let on_disk = fs::read_to_string(person_path(dir.path(), ann)).unwrap();
    assert!(on_disk.contains("mine"));
}

#[test]
fn using_their_version_of_a_conflict_applies_it_and_writes_nothing() {
    let (dir, mut store, mut doc, theirs) = clash();
    let ann = theirs.id;
    let found = reconcile_person(&mut store, &doc, dir.path(), ann);
    let conflict = &found.conflicts[0];
    doc.apply(conflict.use_theirs.clone()).unwrap();
    store.note_reloaded(&doc.take_changes(), doc.model());
    store.resolve(conflict, false);
    assert_eq!(doc.model().people[&ann], theirs);
    assert!(!store.is_dirty());
    // Undo brings "mine" back, as a change to save.
    doc.undo().unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    assert!(store.save(doc.model()).is_complete());
    let on_disk = fs::read_to_string(person_path(dir.path(), ann)).unwrap();
    assert!(on_disk.contains("mine"));
}

#[test]
fn save_never_writes_over_a_change_it_has_not_seen_yet() {
    // The autosave can run before the watcher reports the change.
    let (dir, mut store, doc, theirs) = clash();
    let ann = theirs.id;

    let report = store.save(doc.model());
    assert_eq!(report.changed_on_disk, vec![person_path(dir.path(), ann)]);
    assert!(!report.is_complete());
    assert!(store.is_dirty());
    let on_disk = fs::read_to_string(person_path(dir.path(), ann)).unwrap();
    assert!(on_disk.contains("theirs"));
    // Reading the file then shows the conflict.
    let found = store.reconcile(
        read_changed(dir.path(), report.changed_on_disk),
        doc.model(),
    );
    assert_eq!(found.conflicts.len(), 1);
}

#[test]
fn deleted_and_added_files_remove_and_add_records() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let ann = id_of(doc.model(), "Ann");
    fs::remove_file(person_path(dir.path(), ann)).unwrap();
    let newcomer = Person::new("Grace Hopper");
    write_externally(dir.path(), &newcomer);
    let found = store.reconcile(
        read_changed(
            dir.path(),
            [
                person_path(dir.path(), ann),
                person_path(dir.path(), newcomer.id),
            ],
        ),
        doc.model(),
    );
    assert_eq!(found.reloads.len(), 2, "{found:?}");
    apply_reloads(&mut store, &mut doc, &found);
    assert!(!doc.model().people.contains_key(&ann));
    assert_eq!(doc.model().people[&newcomer.id].name, "Grace Hopper");
    assert!(!store.is_dirty());
}

#[test]
fn a_changed_month_file_adds_edits_and_removes_interactions() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let ann = id_of(doc.model(), "Ann");
    let month = YearMonth::parse("2026-02").unwrap();
    let path = dir.path().join(INTERACTIONS_DIR).join("2026-02.ron");
    let mut list: Vec<Interaction> = doc
        .model()
        .interactions
        .values()
        .filter(|i| i.month() == month)
        .cloned()
        .collect();
    list[0].note = "edited elsewhere".into();
    let added = Interaction::new(day(2026, 2, 20), InteractionKind::Lunch, vec![ann]);
    list.push(added.clone());
    fs::write(&path, format::write_month(list.iter().collect()).unwrap()).unwrap();
    let found = store.reconcile(read_changed(dir.path(), [path.clone()]), doc.model());
    assert_eq!(found.reloads.len(), 1);
    apply_reloads(&mut store, &mut doc, &found);
    assert_eq!(
        doc.model().interactions[&list[0].id].note,
        "edited elsewhere"
    );
    assert!(doc.model().interactions.contains_key(&added.id));

    // The month file emptied by another program: its interactions go.
    fs::write(&path, format::write_month(Vec::new()).unwrap()).unwrap();
    let found = store.reconcile(read_changed(dir.path(), [path]), doc.model());
    apply_reloads(&mut store, &mut doc, &found);
    assert!(
        doc.model()
            .interactions
            .values()
            .all(|i| i.month() != month)
    );
    assert!(!store.is_dirty());
}

#[test]
fn a_file_damaged_on_disk_is_protected_and_a_repaired_one_loads() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let ann = id_of(doc.model(), "Ann");
    let path = person_path(dir.path(), ann);
    let good = fs::read_to_string(&path).unwrap();
    fs::write(&path, "<<<<<<< HEAD\n(broken\n=======\n)\n>>>>>>> other\n").unwrap();
    let found = store.reconcile(read_changed(dir.path(), [path.clone()]), doc.model());
    assert_eq!(found.damaged.len(), 1);
    assert!(found.damaged[0].error.message.contains("merge conflict"));
    // kith keeps its last good version in memory and never writes the file.
    assert!(doc.model().people.contains_key(&ann));
    edit_locally(&mut store, &mut doc, ann, "edited while damaged");
    let report = store.save(doc.model());
    assert_eq!(report.blocked, vec![path.clone()]);
    assert!(fs::read_to_string(&path).unwrap().starts_with("<<<<<<<"));

    // The user fixes the file in an editor: it loads again, and because kith
    // also has an unsaved edit, that is a conflict to resolve.
    fs::write(&path, &good).unwrap();
    let found = store.reconcile(read_changed(dir.path(), [path.clone()]), doc.model());
    assert_eq!(found.repaired, vec![path.clone()]);
    assert_eq!(found.conflicts.len(), 1);
}

#[test]
fn sync_conflict_copies_are_reported_as_they_come_and_go() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, doc) = open_with(dir.path(), full_model());
    let copy = dir
        .path()
        .join(PEOPLE_DIR)
        .join("x.sync-conflict-20261123-101010-ABCDEFG.ron");
    fs::write(&copy, "()").unwrap();
    let found = store.reconcile(read_changed(dir.path(), [copy.clone()]), doc.model());
    assert_eq!(found.sync_conflicts, vec![(copy.clone(), true)]);
    fs::remove_file(&copy).unwrap();
    let found = store.reconcile(read_changed(dir.path(), [copy.clone()]), doc.model());
    assert_eq!(found.sync_conflicts, vec![(copy, false)]);
}

/// What the watcher reports once it sees a change that reloads something
/// (an empty result after 10 s).
fn reloads_seen(watcher: &mut FolderWatcher, store: &mut Store, model: &Model) -> Reconciled {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut found = Reconciled::default();
    while found.reloads.is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
        if let Some(batch) = watcher.poll() {
            found = store.reconcile(batch, model);
        }
    }
    found
}

#[test]
fn the_watcher_reports_files_another_program_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, doc) = open_with(dir.path(), full_model());
    let ann = id_of(doc.model(), "Ann");
    let mut watcher = FolderWatcher::start(dir.path(), || {}).unwrap();
    let mut theirs = doc.model().people[&ann].clone();
    theirs.notes = "from git".into();
    write_externally(dir.path(), &theirs);
    let found = reloads_seen(&mut watcher, &mut store, doc.model());
    assert_eq!(found.reloads.len(), 1, "{found:?}");
}

#[test]
fn the_watcher_follows_record_folders_created_after_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    let mut watcher = FolderWatcher::start(dir.path(), || {}).unwrap();
    // A git clone fills the empty folder: people/ appears with a file in it.
    let grace = Person::new("Grace Hopper");
    fs::create_dir(dir.path().join(PEOPLE_DIR)).unwrap();
    write_externally(dir.path(), &grace);
    let found = reloads_seen(&mut watcher, &mut store, &loaded.model);
    assert_eq!(found.reloads.len(), 1, "{found:?}");
    assert!(
        matches!(found.reloads[0].action, Action::Batch { ref actions, .. }
        if matches!(actions[..], [Action::AddPerson(ref p)] if p.id == grace.id))
    );
}

#[test]
fn the_watcher_follows_a_record_folder_that_is_deleted_and_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, doc) = open_with(dir.path(), full_model());
    let mut watcher = FolderWatcher::start(dir.path(), || {}).unwrap();
    let orgs = dir.path().join(ORGS_DIR);
    let saved: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&orgs)
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let bytes = fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    // A checkout removes the folder, then brings it back with a changed file.
    fs::remove_dir_all(&orgs).unwrap();
    let removed = reloads_seen(&mut watcher, &mut store, doc.model());
    assert_eq!(removed.reloads.len(), saved.len(), "{removed:?}");
    fs::create_dir(&orgs).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    let (path, bytes) = &saved[0];
    let text = String::from_utf8(bytes.clone())
        .unwrap()
        .replace("Second Tuesday", "First Monday");
    fs::write(path, text).unwrap();
    let back = reloads_seen(&mut watcher, &mut store, doc.model());
    assert_eq!(back.reloads.len(), 1, "{back:?}");
}
