//! The data folder as untrusted input: links, FIFOs, folders where files
//! belong, huge and sparse files, other spellings of ids, byte-order marks,
//! a lock file that is replaced or removed. Each test here failed before
//! the fix it covers (see RELIABILITY.md).

use super::*;
use crate::action::Action;
use crate::document::Document;
use crate::model::{Consent, Person};
use proptest::prelude::*;
use std::os::unix::fs::symlink;
use std::time::{Duration, SystemTime};

/// A folder with `people` saved in it (the store is dropped, so the lock is free).
fn folder_with(people: &[Person]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    let mut doc = Document::new(loaded.model);
    for person in people {
        doc.apply(Action::AddPerson(person.clone())).unwrap();
    }
    store.note_changes(&doc.take_changes(), doc.model());
    assert!(store.save(doc.model()).is_complete());
    dir
}

fn person_file(root: &Path, person: &Person) -> PathBuf {
    root.join(PEOPLE_DIR).join(format!("{}.ron", person.id))
}

fn consenting(name: &str, consent: Consent) -> Person {
    let mut person = Person::new(name);
    person.emails = vec![format!("{}@example.com", name.to_lowercase()).into()];
    person.newsletter = consent;
    person
}

fn yes() -> Consent {
    Consent::Yes {
        date: chrono::NaiveDate::from_ymd_opt(2024, 5, 2).unwrap(),
    }
}

fn no() -> Consent {
    Consent::No { date: None }
}

/// Make a named pipe at `path` (with the system's `mkfifo`; std has no call).
fn mkfifo(path: &Path) -> std::io::Result<()> {
    let status = std::process::Command::new("mkfifo").arg(path).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "mkfifo {} failed",
            path.display()
        )))
    }
}

/// Make `path` look written `age` ago.
fn age_file(path: &Path, age: Duration) {
    let file = fs::OpenOptions::new().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - age).unwrap();
}

#[test]
fn a_lock_file_that_is_a_symlink_is_refused_and_its_target_untouched() {
    let outside = tempfile::tempdir().unwrap();
    let keys = outside.path().join("authorized_keys");
    fs::write(&keys, "ssh-ed25519 AAAA precious\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    symlink(&keys, dir.path().join(LOCK_FILE)).unwrap();
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    let reason = store.read_only().expect("read-only").reason.clone();
    assert!(reason.contains("symbolic link"), "{reason}");
    assert_eq!(
        fs::read_to_string(&keys).unwrap(),
        "ssh-ed25519 AAAA precious\n"
    );
    // And it never writes anything else either.
    let mut doc = Document::new(loaded.model);
    doc.apply(Action::AddPerson(Person::new("Ann"))).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    assert_eq!(store.save(doc.model()).written, 0);
    assert!(fs::symlink_metadata(dir.path().join(PEOPLE_DIR)).is_err());
}

#[test]
fn a_lock_path_that_is_a_fifo_or_a_folder_is_refused_without_hanging() {
    for make in ["fifo", "dir"] {
        let dir = tempfile::tempdir().unwrap();
        let lock = dir.path().join(LOCK_FILE);
        match make {
            "fifo" => mkfifo(&lock).unwrap(),
            _ => fs::create_dir(&lock).unwrap(),
        }
        let (store, _) = Store::open(dir.path()).unwrap();
        assert!(store.read_only().is_some(), "{make}");
    }
}

#[test]
fn a_record_folder_that_is_a_symlink_is_reported_never_read_and_never_written() {
    let outside = tempfile::tempdir().unwrap();
    let elsewhere = outside.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    let planted = Person::new("Planted");
    fs::write(
        elsewhere.join(format!("{}.ron", planted.id)),
        format::write_person(&planted).unwrap(),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    symlink(&elsewhere, dir.path().join(PEOPLE_DIR)).unwrap();
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    assert!(loaded.model.people.is_empty(), "read through the link");
    let problem = &loaded.problems[0];
    assert_eq!(problem.path, dir.path().join(PEOPLE_DIR));
    assert!(problem.error.message.contains("symbolic link"));
    let mut doc = Document::new(loaded.model);
    doc.apply(Action::AddPerson(Person::new("Ann"))).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    assert_eq!(report.written, 0);
    assert!(!report.is_complete());
    assert_eq!(
        fs::read_dir(&elsewhere).unwrap().count(),
        1,
        "wrote through the link"
    );
}

#[test]
fn record_folders_that_are_files_are_reported_and_the_rest_loads() {
    let ann = Person::new("Ann");
    let dir = folder_with(std::slice::from_ref(&ann));
    fs::write(dir.path().join(INTERACTIONS_DIR), "not a folder").unwrap();
    fs::write(dir.path().join(ORGS_DIR), "not a folder either").unwrap();
    let loaded = load_folder(dir.path()).unwrap();
    assert!(loaded.model.people.contains_key(&ann.id));
    let paths: Vec<_> = loaded.problems.iter().map(|p| p.path.clone()).collect();
    assert_eq!(
        paths,
        vec![dir.path().join(INTERACTIONS_DIR), dir.path().join(ORGS_DIR)]
    );
    assert!(loaded.problems[0].error.message.contains("not a folder"));
}

#[test]
fn an_unreadable_record_folder_is_reported_and_the_rest_loads() {
    use std::os::unix::fs::PermissionsExt;
    let ann = Person::new("Ann");
    let dir = folder_with(std::slice::from_ref(&ann));
    let months = dir.path().join(INTERACTIONS_DIR);
    fs::create_dir_all(&months).unwrap();
    fs::set_permissions(&months, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read_dir(&months).is_ok() {
        // Running as root: permissions do not stop reads; nothing to test.
        fs::set_permissions(&months, fs::Permissions::from_mode(0o700)).unwrap();
        eprintln!("skipped: permissions do not stop this user");
        return;
    }
    let loaded = load_folder(dir.path()).unwrap();
    fs::set_permissions(&months, fs::Permissions::from_mode(0o700)).unwrap();
    assert!(loaded.model.people.contains_key(&ann.id));
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].path, months);
    assert!(
        loaded.problems[0]
            .error
            .message
            .contains("cannot read the folder")
    );
}

#[test]
fn links_fifos_and_folders_among_the_records_are_reported_and_never_read() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("id_ed25519");
    fs::write(&secret, "-----BEGIN OPENSSH PRIVATE KEY-----").unwrap();
    let ann = Person::new("Ann");
    let dir = folder_with(std::slice::from_ref(&ann));
    let people = dir.path().join(PEOPLE_DIR);
    let link = people.join(format!("{}.ron", uuid::Uuid::new_v4()));
    symlink(&secret, &link).unwrap();
    let fifo = people.join(format!("{}.ron", uuid::Uuid::new_v4()));
    mkfifo(&fifo).unwrap();
    let folder = people.join(format!("{}.ron", uuid::Uuid::new_v4()));
    fs::create_dir(&folder).unwrap();
    let me_link = dir.path().join(ME_FILE);
    let _ = fs::remove_file(&me_link);
    symlink(&secret, &me_link).unwrap();
    let loaded = load_folder(dir.path()).unwrap();
    assert_eq!(loaded.model.people.len(), 1);
    let mut paths: Vec<_> = loaded.problems.iter().map(|p| p.path.clone()).collect();
    paths.sort();
    let mut expected = vec![link.clone(), fifo.clone(), folder.clone(), me_link.clone()];
    expected.sort();
    assert_eq!(paths, expected);
    // The daily backup copies none of them.
    let bundle = daily_backup(
        dir.path(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    )
    .unwrap()
    .unwrap();
    let text = fs::read_to_string(&bundle).unwrap();
    assert!(!text.contains("PRIVATE KEY"), "{text}");
    assert!(text.contains(&format!("people/{}.ron", ann.id)));
    // And the saved store never replaces them.
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    store.mark_all_dirty(&loaded.model);
    let report = store.save(&loaded.model);
    assert!(report.blocked.contains(&me_link), "{report:?}");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(&me_link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        fs::read_to_string(&secret).unwrap(),
        "-----BEGIN OPENSSH PRIVATE KEY-----"
    );
}

#[test]
fn a_link_that_appears_after_the_load_is_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("target");
    fs::write(&target, "keep me").unwrap();
    let ann = Person::new("Ann");
    let dir = folder_with(std::slice::from_ref(&ann));
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    let file = person_file(dir.path(), &ann);
    fs::remove_file(&file).unwrap();
    symlink(&target, &file).unwrap();
    let mut doc = Document::new(loaded.model);
    let mut edited = ann.clone();
    edited.notes = "edited".into();
    doc.apply(Action::EditPerson(edited)).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    assert_eq!(report.written, 0);
    assert!(report.failed[0].1.contains("symbolic link"), "{report:?}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep me");
    assert!(
        fs::symlink_metadata(&file)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_backups_folder_that_is_a_link_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    let dir = folder_with(&[Person::new("Ann")]);
    symlink(outside.path(), dir.path().join(BACKUPS_DIR)).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert!(daily_backup(dir.path(), today).is_err());
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    // A bundle that is a link is neither listed nor restored.
    fs::remove_file(dir.path().join(BACKUPS_DIR)).unwrap();
    fs::create_dir(dir.path().join(BACKUPS_DIR)).unwrap();
    let real = outside.path().join("real.bundle");
    fs::write(&real, format!("{BUNDLE_MAGIC}\n")).unwrap();
    let link = dir.path().join(BACKUPS_DIR).join("kith-2026-01-01.bundle");
    symlink(&real, &link).unwrap();
    assert!(list_backups(dir.path()).is_empty());
    assert!(
        read_backup(&link)
            .unwrap_err()
            .message
            .contains("symbolic link")
    );
}

#[test]
fn other_spellings_of_an_id_are_reported_protected_and_kept_out_of_newsletters() {
    let mut dana = consenting("Dana", no());
    dana.notes = "revoked".into();
    let dir = folder_with(std::slice::from_ref(&dana));
    let canonical = person_file(dir.path(), &dana);
    let mut stale = dana.clone();
    stale.newsletter = yes();
    let stale_text = format::write_person(&stale).unwrap();
    let id = dana.id.0;
    let spellings = [
        id.to_string().to_uppercase(),
        id.simple().to_string(),
        format!("{{{id}}}"),
        format!("urn:uuid:{id}"),
    ];
    for spelling in &spellings {
        assert_eq!(
            stem_kind(PEOPLE_DIR, spelling),
            Stem::Alias(FileKey::Person(dana.id)),
            "{spelling}"
        );
    }
    assert_eq!(
        stem_kind(PEOPLE_DIR, &id.to_string()),
        Stem::Canonical(FileKey::Person(dana.id))
    );
    assert_eq!(
        stem_kind(INTERACTIONS_DIR, "2026-1"),
        Stem::Alias(FileKey::Month(YearMonth::parse("2026-01").unwrap()))
    );
    let alias = dir
        .path()
        .join(PEOPLE_DIR)
        .join(format!("{}.ron", spellings[0]));
    fs::write(&alias, &stale_text).unwrap();

    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    // The canonical file loads (so the revocation shows), the other is reported.
    assert_eq!(loaded.model.people[&dana.id].newsletter, no());
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].path, alias);
    assert!(loaded.problems[0].error.message.contains("newsletter"));
    assert_eq!(store.consent_held(), BTreeSet::from([dana.id]));
    assert_eq!(loaded.consent_held(), BTreeSet::from([dana.id]));
    // Even a Yes in the canonical file stays out of the newsletter meanwhile.
    let mut model = loaded.model.clone();
    model.people.get_mut(&dana.id).unwrap().newsletter = yes();
    let list =
        crate::exchange::export::newsletter_csv(model.people.values(), &store.consent_held())
            .unwrap();
    assert!(!list.contains("dana@example.com"), "{list}");
    // Neither file is written.
    let mut doc = Document::new(loaded.model);
    let mut edited = dana.clone();
    edited.notes = "edited while the clash stands".into();
    doc.apply(Action::EditPerson(edited)).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    assert_eq!(report.blocked, vec![canonical.clone()]);
    assert!(fs::read_to_string(&canonical).unwrap().contains("revoked"));
    assert_eq!(fs::read_to_string(&alias).unwrap(), stale_text);

    // The other file removed (the watcher reports it): the hold ends.
    fs::remove_file(&alias).unwrap();
    let found = store.reconcile(read_changed(dir.path(), [alias.clone()]), doc.model());
    assert_eq!(found.repaired, vec![alias.clone()]);
    assert!(found.reloads.is_empty(), "the person must not be removed");
    assert!(store.consent_held().is_empty());
    assert!(store.save(doc.model()).is_complete());
    // And a new one appearing while kith runs is held again.
    fs::write(&alias, &stale_text).unwrap();
    let found = store.reconcile(read_changed(dir.path(), [alias.clone()]), doc.model());
    assert_eq!(found.damaged.len(), 1);
    assert_eq!(store.consent_held(), BTreeSet::from([dana.id]));
}

#[test]
fn a_huge_sparse_file_is_reported_by_name_and_the_rest_loads() {
    let ann = Person::new("Ann");
    let dir = folder_with(std::slice::from_ref(&ann));
    let huge = dir
        .path()
        .join(PEOPLE_DIR)
        .join(format!("{}.ron", uuid::Uuid::new_v4()));
    fs::File::create(&huge).unwrap().set_len(30 << 30).unwrap();
    let month = dir.path().join(INTERACTIONS_DIR).join("2020-01.ron");
    fs::create_dir_all(month.parent().unwrap()).unwrap();
    fs::File::create(&month)
        .unwrap()
        .set_len(guard::MONTH_FILE_CAP + 1)
        .unwrap();
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    assert!(loaded.model.people.contains_key(&ann.id));
    assert_eq!(loaded.problems.len(), 2);
    for problem in &loaded.problems {
        assert!(
            problem.error.message.contains("over kith's limit"),
            "{problem}"
        );
    }
    assert!(loaded.problems.iter().any(|p| p.path == huge));
    // Protected like a damaged file.
    store.mark_all_dirty(&loaded.model);
    let report = store.save(&loaded.model);
    assert!(report.blocked.contains(&month), "{report:?}");
    assert_eq!(
        fs::metadata(&month).unwrap().len(),
        guard::MONTH_FILE_CAP + 1
    );
    // The backup and the watcher refuse it too, without reading it.
    let read = read_changed(dir.path(), [huge.clone()]);
    assert!(matches!(
        read.reads[0].outcome,
        super::watch::ReadOutcome::Damaged(_)
    ));
    let bundle = daily_backup(
        dir.path(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    )
    .unwrap()
    .unwrap();
    assert!(fs::metadata(&bundle).unwrap().len() < 1 << 20);
}

#[test]
fn a_file_with_a_byte_order_mark_loads() {
    let ann = Person::new("Ann");
    let dir = folder_with(std::slice::from_ref(&ann));
    let file = person_file(dir.path(), &ann);
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(fs::read(&file).unwrap());
    fs::write(&file, bytes).unwrap();
    let loaded = load_folder(dir.path()).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.model.people[&ann.id], ann);
}

#[test]
fn a_lock_file_replaced_by_rename_stops_the_old_writer_when_another_kith_holds_it() {
    let ann = Person::new("Ann");
    let dir = folder_with(std::slice::from_ref(&ann));
    let (mut first, loaded) = Store::open(dir.path()).unwrap();
    assert!(first.read_only().is_none());
    // Syncthing brings another machine's lock file: a rename over ours.
    let incoming = dir.path().join(".syncthing.kith.lock.tmp");
    fs::write(&incoming, "pid 1\n").unwrap();
    fs::rename(&incoming, dir.path().join(LOCK_FILE)).unwrap();
    // A second kith now takes the (new) lock: it is the writer.
    let (second, _) = Store::open(dir.path()).unwrap();
    assert!(second.read_only().is_none());
    // The first one notices before it writes, and stops.
    let mut doc = Document::new(loaded.model);
    let mut edited = ann.clone();
    edited.notes = "from the first kith".into();
    doc.apply(Action::EditPerson(edited)).unwrap();
    first.note_changes(&doc.take_changes(), doc.model());
    let report = first.save(doc.model());
    assert_eq!(report.written, 0);
    assert!(first.read_only().is_some());
    assert!(
        report.failed[0].1.contains("replaced or removed"),
        "{report:?}"
    );
    assert!(
        !fs::read_to_string(person_file(dir.path(), &ann))
            .unwrap()
            .contains("from the first kith")
    );
    assert!(first.is_dirty(), "the change is kept in memory");
}

#[test]
fn a_removed_lock_file_is_taken_again_when_no_other_kith_has_it() {
    let ann = Person::new("Ann");
    let dir = folder_with(std::slice::from_ref(&ann));
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    fs::remove_file(dir.path().join(LOCK_FILE)).unwrap(); // git clean
    let mut doc = Document::new(loaded.model);
    let mut edited = ann.clone();
    edited.notes = "after git clean".into();
    doc.apply(Action::EditPerson(edited)).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    assert!(store.save(doc.model()).is_complete());
    // The lock is back, and held: a second kith is read-only.
    let (second, _) = Store::open(dir.path()).unwrap();
    assert!(second.read_only().is_some());
}

#[test]
fn the_sweep_removes_only_temp_files_no_process_holds() {
    let dir = folder_with(&[Person::new("Ann")]);
    let people = dir.path().join(PEOPLE_DIR);
    // Left by a killed kith (any PID, even ours: containers are all PID 1).
    let abandoned = people.join(format!("{TEMP_PREFIX}{}-0-a.ron", std::process::id()));
    fs::write(&abandoned, "torn").unwrap();
    age_file(&abandoned, Duration::from_secs(60));
    // Being written right now by another process: it holds the lock.
    let live = people.join(format!("{TEMP_PREFIX}ffffffffffffffff-0-b.ron"));
    fs::write(&live, "mid-save").unwrap();
    age_file(&live, Duration::from_secs(60));
    let holder = fs::File::open(&live).unwrap();
    holder.try_lock().unwrap();
    // Just created, not locked yet (a writer locks before its first byte).
    let young = people.join(format!("{TEMP_PREFIX}eeeeeeeeeeeeeeee-0-c.ron"));
    fs::write(&young, "").unwrap();
    // Killed a moment ago, after it wrote: abandoned at once.
    let killed = people.join(format!("{TEMP_PREFIX}cccccccccccccccc-0-e.ron"));
    fs::write(&killed, "half a person").unwrap();
    // A link with the temp prefix is never followed or removed.
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("t");
    fs::write(&target, "x").unwrap();
    let link = people.join(format!("{TEMP_PREFIX}dddddddddddddddd-0-d.ron"));
    symlink(&target, &link).unwrap();
    let (_store, loaded) = Store::open(dir.path()).unwrap();
    assert!(
        loaded.unknown_files.is_empty(),
        "{:?}",
        loaded.unknown_files
    );
    assert!(!abandoned.exists());
    assert!(!killed.exists());
    assert!(live.exists(), "a live write was swept");
    assert!(young.exists());
    assert!(fs::symlink_metadata(&link).is_ok());
    assert!(target.exists());
    drop(holder);
}

#[test]
fn merging_a_yes_with_a_no_keeps_no_whichever_side_said_it() {
    let said_yes = consenting("Dana", yes());
    let said_no = consenting("Dana", no());
    let unasked = consenting("Dana", Consent::NotAsked);
    let merge = crate::action::merge_person_fields;
    assert_eq!(merge(&said_yes, &said_no).newsletter, no());
    assert_eq!(merge(&said_no, &said_yes).newsletter, no());
    assert_eq!(merge(&unasked, &said_yes).newsletter, yes());
    assert_eq!(merge(&said_yes, &unasked).newsletter, yes());
    assert_eq!(merge(&unasked, &unasked).newsletter, Consent::NotAsked);
    // The import preview says so before the user merges.
    let mut model = Model::default();
    model.people.insert(said_yes.id, said_yes.clone());
    let card = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dana\r\nEMAIL:dana@example.com\r\nX-KITH-NEWSLETTER:no\r\nEND:VCARD\r\n";
    let mut incoming = crate::exchange::ImportPreview::build("x.vcf", card.as_bytes(), &model)
        .unwrap()
        .incoming
        .remove(0);
    incoming.person.newsletter = no();
    let note = incoming.merge_note(&model).expect("a note");
    assert!(note.contains("keeps No"), "{note}");
}

/// What a hostile entry is.
#[derive(Debug, Clone, Copy)]
enum Hostile {
    LinkToSecret,
    LinkToOutsideDir,
    DanglingLink,
    Fifo,
    Folder,
    Sparse,
    Nul,
    Alias,
}

/// Where it goes.
#[derive(Debug, Clone, Copy)]
enum Spot {
    NewPerson,
    NewOrg,
    Month,
    Me,
    Settings,
    Interests,
    Lock,
    Backup,
    OrgsDir,
    InteractionsDir,
    BackupsDir,
}

fn hostile_strategy() -> impl Strategy<Value = (Hostile, Spot)> {
    use Hostile::*;
    use Spot::*;
    let hostile = prop_oneof![
        Just(LinkToSecret),
        Just(LinkToOutsideDir),
        Just(DanglingLink),
        Just(Fifo),
        Just(Folder),
        Just(Sparse),
        Just(Nul),
        Just(Alias),
    ];
    let spot = prop_oneof![
        Just(NewPerson),
        Just(NewOrg),
        Just(Month),
        Just(Me),
        Just(Settings),
        Just(Interests),
        Just(Lock),
        Just(Backup),
        Just(OrgsDir),
        Just(InteractionsDir),
        Just(BackupsDir),
    ];
    (hostile, spot)
}

/// Every file under `dir` (never following a link): path and bytes (links
/// and special files as empty).
fn tree(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, Option<SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        let Ok(entries) = fs::read_dir(&at) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() && meta.len() < 1 << 20 {
                out.insert(
                    path.clone(),
                    (fs::read(&path).unwrap_or_default(), meta.modified().ok()),
                );
            } else {
                out.insert(path, (Vec::new(), meta.modified().ok()));
            }
        }
    }
    out
}

/// Place one hostile entry; returns false when the spot is already taken.
fn plant(root: &Path, outside: &Path, hostile: Hostile, spot: Spot, victim: &Person) -> bool {
    let secret = outside.join("secret.txt");
    let secret_dir = outside.join("secret-dir");
    let path = match spot {
        Spot::NewPerson => root
            .join(PEOPLE_DIR)
            .join(format!("{}.ron", uuid::Uuid::new_v4())),
        Spot::NewOrg => root
            .join(ORGS_DIR)
            .join(format!("{}.ron", uuid::Uuid::new_v4())),
        Spot::Month => root.join(INTERACTIONS_DIR).join("2019-07.ron"),
        Spot::Me => root.join(ME_FILE),
        Spot::Settings => root.join(SETTINGS_FILE),
        Spot::Interests => root.join(INTERESTS_FILE),
        Spot::Lock => root.join(LOCK_FILE),
        Spot::Backup => root.join(BACKUPS_DIR).join("kith-2026-11-30.bundle"),
        Spot::OrgsDir => root.join(ORGS_DIR),
        Spot::InteractionsDir => root.join(INTERACTIONS_DIR),
        Spot::BackupsDir => root.join(BACKUPS_DIR),
    };
    let is_dir_spot = matches!(
        spot,
        Spot::OrgsDir | Spot::InteractionsDir | Spot::BackupsDir
    );
    if let Some(parent) = path.parent() {
        let _ = fs::create_dir_all(parent);
    }
    if is_dir_spot {
        let _ = fs::remove_dir_all(&path);
    }
    if fs::symlink_metadata(&path).is_ok() && !is_dir_spot && fs::remove_file(&path).is_err() {
        return false;
    }
    if fs::symlink_metadata(&path).is_ok() {
        return false;
    }
    let planted = match hostile {
        Hostile::LinkToSecret => symlink(&secret, &path),
        Hostile::LinkToOutsideDir => symlink(&secret_dir, &path),
        Hostile::DanglingLink => symlink(outside.join("nothing-here"), &path),
        Hostile::Fifo => mkfifo(&path),
        Hostile::Folder => fs::create_dir(&path),
        Hostile::Sparse => fs::File::create(&path).and_then(|file| file.set_len(40 << 30)),
        Hostile::Nul => fs::write(&path, b"(\0format: 2,\0\0)"),
        Hostile::Alias => {
            let name = victim.id.0.simple().to_string().to_uppercase();
            let alias = root.join(PEOPLE_DIR).join(format!("{name}.ron"));
            let mut stale = victim.clone();
            stale.notes = "SECRET-STALE-COPY".into();
            fs::write(alias, format::write_person(&stale).unwrap())
        }
    };
    planted.is_ok()
}

/// Load, check, save, back up, restore and export a folder; returns the
/// model that loaded.
fn run_everything(root: &Path, out_dir: &Path) -> Model {
    let loaded = load_folder(root).unwrap();
    let mut sink = Vec::new();
    let _ = crate::cli::check(root, &mut sink);
    {
        let (mut store, opened) = Store::open(root).unwrap();
        let mut doc = Document::new(opened.model);
        let ids: Vec<_> = doc.model().people.keys().copied().collect();
        for id in ids {
            let mut edited = doc.model().people[&id].clone();
            edited.notes.push_str(" edited");
            doc.apply(Action::EditPerson(edited)).unwrap();
        }
        store.note_changes(&doc.take_changes(), doc.model());
        let _ = store.save(doc.model());
    }
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    if let Ok(Some(bundle)) = daily_backup(root, today) {
        let _ = read_backup(&bundle);
    }
    for (name, format) in [
        ("a.vcf", crate::cli::ExportFormat::Vcard),
        ("b.csv", crate::cli::ExportFormat::Csv),
        ("c.csv", crate::cli::ExportFormat::Newsletter),
        ("d.ics", crate::cli::ExportFormat::Ics),
    ] {
        let target = out_dir.join(name);
        let request = crate::cli::ExportRequest {
            format,
            target: Some(&target),
            tag: None,
            stage: None,
            allow_partial: true,
        };
        let _ = crate::cli::export(root, request, &mut Vec::new(), &mut Vec::new());
    }
    loaded.model
}

proptest! {
    /// Any bytes after the bundle line are refused with a reason or read,
    /// never a panic, and nothing is unpacked outside the scratch folder
    /// (the entry names are `../`, absolute paths, links and the like).
    #[test]
    fn a_hostile_bundle_is_refused_and_writes_nothing_outside(
        entries in proptest::collection::vec(
            (
                prop_oneof![
                    Just("people/../../escape.ron".to_string()),
                    Just("/tmp/absolute.ron".to_string()),
                    Just("people/.hidden.ron".to_string()),
                    Just("me.ron".to_string()),
                    Just("interactions/2026-01.ron".to_string()),
                    "[a-z/.]{0,12}",
                ],
                "[ -~\\n]{0,40}",
                0u64..60,
            ),
            0..5,
        ),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith-2026-01-01.bundle");
        let mut bytes = format!("{BUNDLE_MAGIC}\n").into_bytes();
        for (name, body, len) in &entries {
            bytes.extend(format!("--- {name} {len}\n{body}\n").as_bytes());
        }
        fs::write(&path, &bytes).unwrap();
        let _ = read_backup(&path);
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        prop_assert_eq!(names, vec![std::ffi::OsString::from("kith-2026-01-01.bundle")]);
        prop_assert!(fs::symlink_metadata("/tmp/absolute.ron").is_err());
        prop_assert!(fs::symlink_metadata(std::env::temp_dir().join("escape.ron")).is_err());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// A folder full of hostile entries: nothing outside it is read into it
    /// or written, nothing hangs, and every legitimate record still loads.
    #[test]
    fn a_hostile_folder_never_leaks_hangs_or_loses_a_record(
        entries in proptest::collection::vec(hostile_strategy(), 1..6),
        bom in any::<bool>(),
    ) {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret.txt"), "SECRET-OUTSIDE-KEY").unwrap();
        fs::create_dir(outside.path().join("secret-dir")).unwrap();
        let mut people: Vec<Person> = (0..3).map(|n| consenting(&format!("Legit{n}"), yes())).collect();
        people[0].notes = "first".into();
        let dir = folder_with(&people);
        let root = dir.path().to_path_buf();
        if bom {
            let file = person_file(&root, &people[1]);
            let mut bytes = b"\xEF\xBB\xBF".to_vec();
            bytes.extend(fs::read(&file).unwrap());
            fs::write(&file, bytes).unwrap();
        }
        let mut alias_planted = false;
        for (hostile, spot) in &entries {
            let planted = plant(&root, outside.path(), *hostile, *spot, &people[2]);
            alias_planted |= planted && matches!(hostile, Hostile::Alias);
        }
        let outside_before = tree(outside.path());
        let out_dir = tempfile::tempdir().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        let (thread_root, thread_out) = (root.clone(), out_dir.path().to_path_buf());
        std::thread::spawn(move || {
            let _ = sender.send(run_everything(&thread_root, &thread_out));
        });
        let model = receiver.recv_timeout(Duration::from_secs(60)).expect("hung");
        // Every legitimate person still loads.
        for person in &people {
            prop_assert!(model.people.contains_key(&person.id), "{} lost", person.name);
        }
        // Nothing outside changed.
        prop_assert_eq!(tree(outside.path()), outside_before);
        // Nothing from outside got in: no file in the folder or the exports
        // holds the secret, and no export holds the stale Yes.
        for (path, (bytes, _)) in tree(&root).into_iter().chain(tree(out_dir.path())) {
            let text = String::from_utf8_lossy(&bytes);
            prop_assert!(!text.contains("SECRET-OUTSIDE-KEY"), "{} holds the secret", path.display());
        }
        // A person another file also claims is kept out of the newsletter.
        if alias_planted
            && let Ok(list) = fs::read_to_string(out_dir.path().join("c.csv"))
        {
            prop_assert!(!list.contains("legit2@"), "{list}");
        }
    }
}
