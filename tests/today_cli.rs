//! `kith today` as a user and a script run it: short text, one JSON object
//! with the five sections, an empty plan on an empty folder, a failure that
//! names the broken file, and no trouble while the app holds the folder.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use kith::action::Action;
use kith::document::Document;
use kith::model::{
    DateKind, ImportantDate, Interaction, InteractionKind, OrgEvent, OrgKind, Organization,
    PartialDate, Person, Stage,
};
use std::path::Path;
use std::process::{Command, Output};

const TODAY: &str = "2026-12-02";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn kith(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--data")
        .arg(data)
        .arg("today")
        .args(args)
        .output()
        .unwrap()
}

/// A small network saved to `data`: an overdue follow-up with Dana, her
/// birthday in three days, her need for a bookkeeper, and Raj, who shares
/// her interests and can help with bookkeeping. Returns the store, which still holds the folder's lock.
fn fixture(data: &Path) -> kith::storage::Store {
    let (mut store, loaded) = kith::storage::Store::open(data).unwrap();
    let mut doc = Document::new(loaded.model);
    let mut dana = Person::new("Dana Whitfield");
    dana.stage = Stage::Like;
    dana.interests = vec!["trail running".into(), "sailing".into()];
    dana.dates.push(ImportantDate {
        kind: DateKind::Birthday,
        date: PartialDate::full(day(1980, 12, 5)),
    });
    dana.needs = vec!["A bookkeeper".into()];
    let mut raj = Person::new("Raj Patel");
    raj.interests = vec!["trail running".into(), "sailing".into()];
    raj.can_help_with = vec!["Bookkeeping".into()];
    let (dana_id, raj_id) = (dana.id, raj.id);
    doc.apply(Action::AddPerson(dana)).unwrap();
    doc.apply(Action::AddPerson(raj)).unwrap();
    let mut coffee = Interaction::new(day(2026, 9, 1), InteractionKind::Coffee, vec![dana_id]);
    coffee.follow_up = Some(day(2026, 11, 27));
    doc.apply(Action::AddInteraction(coffee)).unwrap();
    let call = Interaction::new(day(2026, 11, 30), InteractionKind::Call, vec![raj_id]);
    doc.apply(Action::AddInteraction(call)).unwrap();
    let mut club = Organization::new("Harbour Runners", OrgKind::Community);
    club.events.push(OrgEvent {
        date: day(2026, 12, 9),
        title: "Saturday run".into(),
        attended: false,
    });
    doc.apply(Action::AddOrganization(club)).unwrap();
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    assert!(report.is_complete(), "{report:?}");
    store
}

#[test]
fn prints_a_short_plan_with_sections_and_reasons() {
    let dir = tempfile::tempdir().unwrap();
    drop(fixture(dir.path()));
    let output = kith(dir.path(), &["--date", TODAY]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(
        text.starts_with("Plan for Wednesday 2 December 2026\n"),
        "{text}"
    );
    assert!(text.contains("\nFollow-ups (1)\n"), "{text}");
    assert!(
        text.contains("  Dana Whitfield: after coffee on 1 Sep, 5 days overdue\n"),
        "{text}"
    );
    assert!(text.contains("\nComing up (1)\n"), "{text}");
    assert!(
        text.contains("  5 Dec Dana Whitfield: birthday, turns 46, in 3 days\n"),
        "{text}"
    );
    assert!(
        text.contains("\nRe-engage (1)\n  Dana Whitfield: "),
        "{text}"
    );
    assert!(text.contains("\nIntroductions (1)\n"), "{text}");
    // The pair is named lower id first: either order.
    assert!(
        text.contains("Dana Whitfield and Raj Patel: both into")
            || text.contains("Raj Patel and Dana Whitfield: both into"),
        "{text}"
    );
    assert!(text.contains("\nWays to give (1)\n"), "{text}");
    assert!(
        text.contains("  Dana Whitfield needs a bookkeeper: Raj Patel could help ("),
        "{text}"
    );
    assert!(text.lines().count() < 20, "short: {text}");
}

#[test]
fn json_is_one_object_with_the_five_sections() {
    let dir = tempfile::tempdir().unwrap();
    drop(fixture(dir.path()));
    let output = kith(dir.path(), &["--date", TODAY, "--json"]);
    assert!(output.status.success(), "{output:?}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let object = value.as_object().unwrap();
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "can_help",
            "dates",
            "follow_ups",
            "introductions",
            "re_engage"
        ]
    );
    for key in &keys {
        assert!(object[*key].is_array(), "{key}");
    }
    let follow = &object["follow_ups"][0];
    assert_eq!(follow["people"][0]["name"], "Dana Whitfield");
    assert!(follow["people"][0]["id"].is_string());
    assert_eq!(follow["due"], "2026-11-27");
    assert_eq!(follow["overdue"], true);
    assert!(follow["reason"].as_str().unwrap().contains("overdue"));
    let date = &object["dates"][0];
    assert_eq!(date["name"], "Dana Whitfield");
    assert_eq!(date["date"], "2026-12-05");
    assert_eq!(object["re_engage"][0]["name"], "Dana Whitfield");
    let pair = &object["introductions"][0];
    let names = [pair["a"]["name"].as_str(), pair["b"]["name"].as_str()];
    assert!(names.contains(&Some("Raj Patel")), "{pair}");
    assert!(pair["reason"].is_string());
    let give = &object["can_help"][0];
    assert_eq!(give["name"], "Dana Whitfield");
    assert_eq!(give["need"], "A bookkeeper");
    assert_eq!(give["helper"]["name"], "Raj Patel");
    assert!(give["reason"].is_string());
}

#[test]
fn an_empty_folder_has_an_empty_plan() {
    let dir = tempfile::tempdir().unwrap();
    let output = kith(dir.path(), &["--date", TODAY]);
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(text.lines().count(), 2, "{text}");
    assert!(text.contains("Your plan is empty"), "{text}");
    let output = kith(dir.path(), &["--json"]);
    assert!(output.status.success(), "{output:?}");
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in [
        "follow_ups",
        "dates",
        "re_engage",
        "introductions",
        "can_help",
    ] {
        assert_eq!(value[key], serde_json::json!([]), "{key}");
    }
}

#[test]
fn a_missing_folder_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let output = kith(&missing, &[]);
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("nowhere"), "{err}");
    assert!(!missing.exists(), "nothing is created");
}

#[test]
fn a_broken_person_file_fails_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    drop(fixture(dir.path()));
    let broken = dir
        .path()
        .join("people")
        .join("00000000-0000-0000-0000-000000000001.ron");
    std::fs::write(&broken, "(name: \"Half a reco").unwrap();
    for args in [&["--date", TODAY][..], &["--json"][..]] {
        let output = kith(dir.path(), args);
        assert_eq!(output.status.code(), Some(1), "{output:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(
            err.contains("00000000-0000-0000-0000-000000000001.ron"),
            "{err}"
        );
        assert!(output.stdout.is_empty(), "no plan printed");
    }
}

#[test]
fn works_while_the_app_holds_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let store = fixture(dir.path());
    let output = kith(dir.path(), &["--date", TODAY]);
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Dana Whitfield"));
    drop(store);
}

#[test]
fn a_bad_date_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let output = kith(dir.path(), &["--date", "2026-02-30"]);
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    assert!(output.stdout.is_empty());
}
