use super::*;
use crate::action::Action;
use crate::document::Document;
use crate::model::{
    Consent, Interaction, InteractionKind, Interest, Involvement, Me, Membership, OrgEvent,
    OrgKind, Organization, Person, RoleSpan, Stage, StageChange,
};
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub(super) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A model that uses every field of every type.
pub(super) fn full_model() -> Model {
    let mut model = Model::default();
    let mut org = Organization::new("Chamber of Commerce", OrgKind::Chamber);
    org.my_roles.push(RoleSpan {
        role: Involvement::Volunteer,
        since: day(2025, 1, 1),
        until: Some(day(2025, 6, 30)),
    });
    org.events.push(OrgEvent {
        date: day(2026, 1, 14),
        title: "Breakfast".into(),
        attended: true,
    });
    org.notes = "Second Tuesday".into();
    let mut ann = Person::new("Ann O'Neil, \"Annie\"");
    ann.organization = "Acme".into();
    ann.role = "CTO".into();
    ann.emails = vec!["ann@example.com".into()];
    ann.phones = vec!["+1 555 0100".into()];
    ann.links = vec!["https://example.com/ann".into()];
    ann.met.place = "Chamber breakfast".into();
    ann.met.date = Some(day(2025, 3, 4));
    ann.interests = vec!["Running".into(), "Jazz".into()];
    ann.needs = vec!["A bookkeeper".into()];
    ann.wants = vec!["Speak at a conference".into()];
    ann.stage = Stage::Like;
    ann.stage_history = vec![StageChange {
        date: day(2025, 6, 1),
        stage: Stage::Like,
    }];
    ann.newsletter = Consent::Yes {
        date: day(2025, 3, 5),
    };
    ann.memberships = vec![Membership {
        org: org.id,
        role: "member".into(),
    }];
    ann.tags = vec!["mentor".into()];
    ann.notes = "Line one\nLine two ✓".into();
    ann.extra = vec![("X-SKYPE".into(), "ann.o".into())];
    let mut bob = Person::new("Bob");
    bob.introduced_by = Some(ann.id);
    bob.newsletter = Consent::No { date: None };
    bob.deleted = true;
    let mut coffee = Interaction::new(
        day(2026, 2, 3),
        InteractionKind::Coffee,
        vec![ann.id, bob.id],
    );
    coffee.note = "Talked about races".into();
    coffee.follow_up = Some(day(2026, 3, 1));
    coffee.follow_up_done = true;
    let call = Interaction::new(day(2026, 3, 9), InteractionKind::Call, vec![ann.id]);
    model.me = Me {
        name: "Me".into(),
        interests: vec!["running".into()],
        offers: vec!["Intros to investors".into()],
        notes: "n".into(),
        emails: vec!["me@example.com".into()],
        phones: vec!["+1 555 0100".into()],
    };
    model.settings.cadence_days.insert(Stage::Trust, 14);
    let mut running = Interest::named("Running");
    running.aliases.insert("jog".into());
    model.interests = crate::model::InterestCatalog::from(vec![running]);
    model.orgs.insert(org.id, org);
    model.people.insert(ann.id, ann);
    model.people.insert(bob.id, bob);
    model.interactions.insert(coffee.id, coffee);
    model.interactions.insert(call.id, call);
    model
}

/// The id of the first person whose name starts with `prefix`.
pub(super) fn id_of(model: &Model, prefix: &str) -> PersonId {
    model
        .people
        .values()
        .find(|p| p.name.starts_with(prefix))
        .unwrap()
        .id
}

pub(super) fn open_with(dir: &Path, model: Model) -> (Store, Document) {
    let (mut store, loaded) = Store::open(dir).unwrap();
    assert!(loaded.problems.is_empty());
    let mut doc = Document::new(loaded.model);
    doc.apply(Action::ReplaceAll(Box::new(model))).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    assert!(report.is_complete(), "{report:?}");
    (store, doc)
}

#[test]
fn every_type_round_trips_through_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let model = full_model();
    let (store, _doc) = open_with(dir.path(), model.clone());
    drop(store);
    let loaded = load_folder(dir.path()).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert!(
        loaded.unknown_files.is_empty(),
        "{:?}",
        loaded.unknown_files
    );
    assert_eq!(loaded.model, model);
    assert!(dir.path().join("interactions/2026-02.ron").is_file());
    assert!(dir.path().join("interactions/2026-03.ron").is_file());
}

#[test]
fn files_start_with_format_version() {
    let dir = tempfile::tempdir().unwrap();
    let model = full_model();
    let ann = id_of(&model, "Ann");
    let _ = open_with(dir.path(), model);
    let text = fs::read_to_string(dir.path().join(format!("people/{ann}.ron"))).unwrap();
    assert!(text.starts_with("(\n    format: 4,"), "{text}");
}

#[test]
fn saving_is_incremental() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let ann = doc
        .model()
        .people
        .values()
        .find(|p| p.name.starts_with("Ann"))
        .unwrap()
        .clone();
    let mut edited = ann.clone();
    edited.notes = "changed".into();
    doc.apply(Action::EditPerson(edited)).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    assert_eq!(report.written, 1);
    assert!(!store.is_dirty());
    // Nothing dirty: nothing written.
    assert_eq!(store.save(doc.model()).written, 0);
}

#[test]
fn moving_an_interaction_between_months_rewrites_both_and_removes_empty_month() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let call = doc
        .model()
        .interactions
        .values()
        .find(|i| i.kind == InteractionKind::Call)
        .unwrap()
        .clone();
    let mut moved = call.clone();
    moved.date = day(2026, 2, 20);
    doc.apply(Action::EditInteraction(moved)).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    assert_eq!(store.save(doc.model()).written, 2);
    assert!(!dir.path().join("interactions/2026-03.ron").exists());
    let loaded = load_folder(dir.path()).unwrap();
    assert_eq!(&loaded.model, doc.model());
}

#[test]
fn purge_removes_the_person_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, mut doc) = open_with(dir.path(), full_model());
    let bob = id_of(doc.model(), "Bob");
    doc.apply(Action::PurgePerson(bob)).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    assert!(store.save(doc.model()).is_complete());
    assert!(!dir.path().join(format!("people/{bob}.ron")).exists());
    assert_eq!(&load_folder(dir.path()).unwrap().model, doc.model());
}

#[test]
fn corrupt_file_is_isolated_reported_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (store, doc) = open_with(dir.path(), full_model());
    drop(store);
    let ann = id_of(doc.model(), "Ann");
    let bad_person = dir.path().join(format!("people/{ann}.ron"));
    let bad_month = dir.path().join("interactions/2026-03.ron");
    fs::write(&bad_person, "(\n    format: 2,\n    person: (id: oops\n").unwrap();
    fs::write(&bad_month, "(format: 2, interactions: [ (]").unwrap();
    let person_bytes = fs::read(&bad_person).unwrap();
    let month_bytes = fs::read(&bad_month).unwrap();

    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    let paths: Vec<_> = loaded.problems.iter().map(|p| p.path.clone()).collect();
    assert_eq!(paths, vec![bad_month.clone(), bad_person.clone()]);
    let message = loaded.problems[1].to_string();
    assert!(message.contains(&format!("{ann}.ron:3:")), "{message}");
    // The rest loaded.
    assert!(loaded.model.people.values().any(|p| p.name == "Bob"));
    assert_eq!(loaded.model.interactions.len(), 1);

    // Adding an interaction to the damaged month is kept in memory, not written.
    let mut doc = Document::new(loaded.model);
    let bob = id_of(doc.model(), "Bob");
    doc.apply(Action::AddInteraction(Interaction::new(
        day(2026, 3, 20),
        InteractionKind::Lunch,
        vec![bob],
    )))
    .unwrap();
    doc.apply(Action::ReplaceAll(Box::new(doc.model().clone())))
        .unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    assert!(report.blocked.contains(&bad_month), "{report:?}");
    assert!(report.blocked.contains(&bad_person), "{report:?}");
    assert!(store.is_dirty());
    assert_eq!(fs::read(&bad_person).unwrap(), person_bytes);
    assert_eq!(fs::read(&bad_month).unwrap(), month_bytes);

    // Once the user sets the month aside, the save goes through and the old file is kept.
    let aside = store.set_aside(&bad_month).unwrap();
    assert_eq!(fs::read(&aside).unwrap(), month_bytes);
    let report = store.save(doc.model());
    assert!(!report.blocked.contains(&bad_month));
    assert!(bad_month.is_file());
}

#[test]
fn newer_format_is_reported_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("people")).unwrap();
    let id = uuid::Uuid::new_v4();
    let path = dir.path().join(format!("people/{id}.ron"));
    fs::write(&path, "(format: 5, person: (id: \"x\", name: \"Future\"))").unwrap();
    let loaded = load_folder(dir.path()).unwrap();
    assert_eq!(loaded.problems.len(), 1);
    assert!(loaded.problems[0].error.message.contains("newer kith"));
}

#[test]
fn unknown_files_are_listed_not_loaded() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("people")).unwrap();
    fs::write(dir.path().join("people/readme.txt"), "hi").unwrap();
    fs::write(dir.path().join("people/not-a-uuid.ron"), "()").unwrap();
    let loaded = load_folder(dir.path()).unwrap();
    assert_eq!(loaded.unknown_files.len(), 2);
    assert!(loaded.problems.is_empty());
}

#[test]
fn second_store_on_same_folder_is_read_only_and_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = Store::open(dir.path()).unwrap();
    assert!(first.read_only().is_none());
    let (mut second, loaded) = Store::open(dir.path()).unwrap();
    let reason = &second.read_only().unwrap().reason;
    assert!(reason.contains("Another kith"), "{reason}");
    let mut doc = Document::new(loaded.model);
    doc.apply(Action::AddPerson(Person::new("X"))).unwrap();
    second.note_changes(&doc.take_changes(), doc.model());
    assert_eq!(second.save(doc.model()).written, 0);
    assert!(!dir.path().join("people").exists());
    drop(first);
    let (third, _) = Store::open(dir.path()).unwrap();
    assert!(third.read_only().is_none());
}

#[test]
fn version_1_fixture_migrates() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1");
    let loaded = load_folder(&fixture).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let model = loaded.model;
    assert_eq!(model.people.len(), 2);
    let dana = model
        .people
        .values()
        .find(|p| p.name == "Dana Whitfield")
        .unwrap();
    assert_eq!(dana.emails, vec!["dana@example.org".to_string()]);
    assert_eq!(dana.phones, vec!["+1 617 555 0142".to_string()]);
    assert_eq!(dana.met.place, "Chamber spring mixer");
    assert_eq!(dana.met.date, Some(day(2024, 4, 18)));
    assert_eq!(
        dana.interests,
        vec!["Running".to_string(), "Boston Marathon".to_string()]
    );
    assert_eq!(
        dana.newsletter,
        Consent::Yes {
            date: day(2024, 5, 2)
        }
    );
    assert_eq!(dana.stage, Stage::Like);
    let raj = model
        .people
        .values()
        .find(|p| p.name == "Raj Patel")
        .unwrap();
    assert_eq!(raj.newsletter, Consent::NotAsked);
    assert!(raj.emails.is_empty());
    assert_eq!(raj.introduced_by, Some(dana.id));
    assert_eq!(model.interactions.len(), 2);
    let coffee = model
        .interactions
        .values()
        .find(|i| i.kind == InteractionKind::Coffee)
        .unwrap();
    assert_eq!(coffee.people, vec![dana.id]);
    assert_eq!(coffee.follow_up, Some(day(2024, 6, 1)));
    assert_eq!(model.orgs.len(), 1);
    assert_eq!(model.me.name, "Sam Rivera");
}

#[test]
fn version_2_fixture_migrates_and_lifts_kept_vcard_fields() {
    use crate::model::{DateKind, PartialDate, RelationKind};
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v2");
    let loaded = load_folder(&fixture).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let model = loaded.model;
    assert_eq!(model.people.len(), 2);
    let dana = model
        .people
        .values()
        .find(|p| p.name == "Dana Whitfield")
        .unwrap();
    assert_eq!(dana.emails, vec!["dana@example.org", "dana@home.example"]);
    assert_eq!(dana.links, vec!["https://harbor-physio.example"]);
    assert_eq!(dana.name_parts.given, "Dana");
    assert_eq!(dana.name_parts.additional, "Marie");
    assert_eq!(dana.name_parts.family, "Whitfield");
    assert_eq!(dana.name_parts.prefix, "Dr.");
    assert_eq!(dana.nicknames, vec!["Dee"]);
    assert_eq!(
        dana.birthday(),
        PartialDate::new(None, Some(3), Some(22)).as_ref()
    );
    assert!(
        dana.dates
            .iter()
            .any(|d| d.kind == DateKind::Anniversary && d.date.year == Some(2012))
    );
    assert_eq!(dana.addresses[0].locality, "Boston");
    assert_eq!(dana.addresses[0].label, crate::model::Label::Work);
    assert!(
        dana.relations
            .iter()
            .any(|r| r.kind == RelationKind::Spouse && r.name == "Raj Patel")
    );
    // What has no field stays kept, exactly as it was.
    assert_eq!(
        dana.extra,
        vec![
            (
                "X-SOCIALPROFILE;TYPE=twitter".to_string(),
                "https://twitter.com/dana".to_string()
            ),
            ("CSV:Custom Field".to_string(), "kept as it was".to_string()),
        ]
    );
    assert_eq!(dana.memberships.len(), 1);
    assert!(dana.newsletter.is_yes());
    let raj = model
        .people
        .values()
        .find(|p| p.name == "Raj Patel")
        .unwrap();
    assert!(matches!(raj.newsletter, Consent::No { .. }));
    // A format-2 CSV import's kept columns move to their fields too.
    assert_eq!(
        raj.birthday(),
        PartialDate::new(Some(1975), Some(7), Some(4)).as_ref()
    );
    assert_eq!(raj.addresses[0].locality, "Cambridge");
    assert_eq!(raj.name_parts.phonetic_given, "Raaj");
    assert!(raj.extra.is_empty(), "{:?}", raj.extra);
    assert_eq!(raj.introduced_by, Some(dana.id));
    assert_eq!(model.interactions.len(), 1);
    assert_eq!(model.me.offers, vec!["bookkeeping"]);
    // Saved again, it is format 3 and reads back the same.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture, dir.path());
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    store.mark_all_dirty(&loaded.model);
    assert!(store.save(&loaded.model).is_complete());
    let text = fs::read_to_string(dir.path().join(format!("people/{}.ron", dana.id))).unwrap();
    assert!(text.starts_with("(\n    format: 4,"), "{text}");
    assert_eq!(load_folder(dir.path()).unwrap().model, loaded.model);
}

#[test]
fn migrated_folder_is_rewritten_in_current_format_on_save() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/v1");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture, dir.path());
    let (mut store, loaded) = Store::open(dir.path()).unwrap();
    let model = loaded.model;
    store.mark_all_dirty(&model);
    assert!(store.save(&model).is_complete());
    let again = load_folder(dir.path()).unwrap();
    assert!(again.problems.is_empty());
    assert_eq!(again.model, model);
}

pub(super) fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

mod corruption {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Truncations, bit flips and garbage: loading never panics, only the
        /// damaged file is reported, the rest loads, and the file is never overwritten.
        #[test]
        fn damaged_files_are_isolated(which in 0usize..6, cut in 0usize..400, flip in 0usize..4000, mode in 0u8..3, garbage in proptest::collection::vec(any::<u8>(), 0..64)) {
            let dir = tempfile::tempdir().unwrap();
            let model = full_model();
            let (store, _) = open_with(dir.path(), model.clone());
            drop(store);
            let mut files: Vec<PathBuf> = Vec::new();
            for sub in ["people", "organizations", "interactions"] {
                for entry in fs::read_dir(dir.path().join(sub)).unwrap() {
                    files.push(entry.unwrap().path());
                }
            }
            files.extend(["me.ron", "settings.ron", "interests.ron"].iter().map(|n| dir.path().join(n)));
            files.sort();
            let victim = files[which % files.len()].clone();
            let mut bytes = fs::read(&victim).unwrap();
            match mode {
                0 => bytes.truncate(cut.min(bytes.len())),
                1 => {
                    let at = flip % bytes.len().max(1);
                    if let Some(b) = bytes.get_mut(at) {
                        *b ^= 1 << (flip % 8);
                    }
                }
                _ => {
                    let at = cut.min(bytes.len());
                    bytes.splice(at..at, garbage.iter().copied());
                }
            }
            fs::write(&victim, &bytes).unwrap();
            let (mut store, loaded) = Store::open(dir.path()).unwrap();
            // Only the victim may be reported.
            for problem in &loaded.problems {
                prop_assert_eq!(&problem.path, &victim);
            }
            // Every record from other files is intact.
            for (id, person) in &model.people {
                if !victim.ends_with(format!("{id}.ron")) {
                    prop_assert_eq!(loaded.model.people.get(id), Some(person));
                }
            }
            // Saving everything never touches a damaged file.
            let mut doc = Document::new(loaded.model);
            doc.apply(Action::ReplaceAll(Box::new(doc.model().clone()))).unwrap();
            store.note_changes(&doc.take_changes(), doc.model());
            let _ = store.save(doc.model());
            if !loaded.problems.is_empty() {
                prop_assert_eq!(fs::read(&victim).unwrap(), bytes);
            }
        }
    }
}

#[test]
fn daily_backups_are_written_once_per_day_pruned_and_restorable() {
    let dir = tempfile::tempdir().unwrap();
    let (_store, doc) = open_with(dir.path(), full_model());
    let first = day(2026, 1, 1);
    let written = daily_backup(dir.path(), first).unwrap();
    assert!(written.is_some());
    assert!(
        daily_backup(dir.path(), first).unwrap().is_none(),
        "once a day"
    );
    for n in 1..20 {
        daily_backup(dir.path(), first + chrono::Duration::days(n)).unwrap();
    }
    let backups = list_backups(dir.path());
    assert_eq!(backups.len(), BACKUPS_KEPT);
    assert_eq!(backups[0].0, first + chrono::Duration::days(19));
    assert_eq!(&read_backup(&backups[0].1).unwrap(), doc.model());
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &fs::metadata(&backups[0].1).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "backups are owner-only");
    // A damaged bundle is refused with a reason, not half-restored.
    let text = fs::read(&backups[0].1).unwrap();
    let cut = dir.path().join("cut.bundle");
    fs::write(&cut, &text[..text.len() / 2]).unwrap();
    let error = read_backup(&cut).unwrap_err().to_string();
    assert!(error.contains("backup"), "{error}");
    fs::remove_file(&cut).unwrap();
    // Backups are not data files: the folder still loads cleanly.
    let loaded = load_folder(dir.path()).unwrap();
    assert!(loaded.problems.is_empty() && loaded.unknown_files.is_empty());
}

#[test]
fn git_conflict_markers_and_syncthing_copies_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (store, doc) = open_with(dir.path(), full_model());
    drop(store);
    let ann = id_of(doc.model(), "Ann");
    let path = dir.path().join(format!("people/{ann}.ron"));
    let text = fs::read_to_string(&path).unwrap();
    let conflicted = text.replacen(
        "    person: (",
        "<<<<<<< HEAD\n    person: (\n=======\n    person: (\n>>>>>>> other\n",
        1,
    );
    fs::write(&path, &conflicted).unwrap();
    let copy = dir.path().join(format!(
        "people/{ann}.sync-conflict-20261122-101010-ABCDEFG.ron"
    ));
    fs::write(&copy, &text).unwrap();
    let loaded = load_folder(dir.path()).unwrap();
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].error.line, Some(3));
    assert!(loaded.problems[0].error.message.contains("merge conflict"));
    assert_eq!(loaded.sync_conflicts, vec![copy]);
    assert!(loaded.unknown_files.is_empty());
}

#[test]
fn months_merge_in_id_order_whatever_order_a_file_has_and_a_later_month_wins() {
    let make = |day_of_month: u32, note: &str| {
        let mut interaction =
            Interaction::new(day(2026, 1, day_of_month), InteractionKind::Call, vec![]);
        interaction.note = note.into();
        interaction
    };
    let mut january: Vec<Interaction> = (1..=20).map(|n| make(n, "january")).collect();
    january.reverse(); // a hand-edited file, out of order
    let mut twice = make(5, "february");
    twice.id = january[3].id;
    let february = vec![make(6, "february"), twice.clone()];
    let merged: BTreeMap<_, _> = merge_months(vec![january.clone(), february.clone()])
        .into_iter()
        .collect();
    assert_eq!(merged.len(), 21);
    assert_eq!(merged[&twice.id].note, "february", "the later month wins");
    let ids: Vec<_> = merge_months(vec![january, february])
        .iter()
        .map(|(id, _)| *id)
        .collect();
    assert!(ids.is_sorted());
}
