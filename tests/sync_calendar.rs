//! The calendar half of sync against a real Radicale server (see
//! tests/support/radicale.rs): follow-ups published as VTODOs and dates as
//! yearly VEVENTs, read by Python's `icalendar` too; a "phone" (raw
//! requests) completing, moving and deleting them; 412 races; lost state.
//! The clock is fixed: the sessions are in memory with a set day.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/radicale.rs"]
mod radicale;

use chrono::NaiveDate;
use kith::action::Action;
use kith::model::{
    DateKind, ImportantDate, Interaction, InteractionId, InteractionKind, Model, PartialDate,
    Person, PersonId,
};
use kith::session::Session;
use kith::sync::Account;
use kith::sync::calendar::{self, date_uid, follow_up_uid, read_todo};
use kith::sync::dav::DavClient;
use kith::sync::run::{self, SyncReport};
use kith::sync::state::SyncState;
use radicale::Radicale;
use std::process::Command;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 3, 1);

fn dana_id() -> PersonId {
    PersonId(Uuid::from_u128(1))
}

fn raj_id() -> PersonId {
    PersonId(Uuid::from_u128(2))
}

fn coffee_id() -> InteractionId {
    InteractionId(Uuid::from_u128(101))
}

fn call_id() -> InteractionId {
    InteractionId(Uuid::from_u128(102))
}

/// Dana (a birthday with a year, a name day without), Raj (no dates), an
/// open follow-up with each and one already done.
fn model() -> Model {
    let mut model = Model::default();
    let mut dana = Person {
        id: dana_id(),
        name: "Dana Whitfield".into(),
        ..Person::default()
    };
    dana.dates.push(ImportantDate {
        kind: DateKind::Birthday,
        date: PartialDate {
            year: Some(1990),
            month: Some(6),
            day: Some(14),
        },
    });
    dana.dates.push(ImportantDate {
        kind: DateKind::Custom("Name day".into()),
        date: PartialDate {
            year: None,
            month: Some(12),
            day: Some(9),
        },
    });
    let raj = Person {
        id: raj_id(),
        name: "Raj Patel".into(),
        ..Person::default()
    };
    let coffee = Interaction {
        id: coffee_id(),
        date: day(2026, 2, 20),
        kind: InteractionKind::Coffee,
        people: vec![dana.id],
        note: "Ask about the bakery; send the link, please".into(),
        follow_up: Some(day(2026, 3, 5)),
        ..Interaction::default()
    };
    let call = Interaction {
        id: call_id(),
        date: day(2026, 2, 21),
        kind: InteractionKind::Call,
        people: vec![raj.id, dana.id],
        follow_up: Some(day(2026, 3, 8)),
        ..Interaction::default()
    };
    let done = Interaction {
        id: InteractionId(Uuid::from_u128(103)),
        date: day(2026, 2, 1),
        kind: InteractionKind::Lunch,
        people: vec![raj.id],
        follow_up: Some(day(2026, 2, 10)),
        follow_up_done: true,
        ..Interaction::default()
    };
    model.people.insert(dana.id, dana);
    model.people.insert(raj.id, raj);
    for i in [coffee, call, done] {
        model.interactions.insert(i.id, i);
    }
    model
}

fn session() -> Session {
    Session::in_memory(model(), day(TODAY.0, TODAY.1, TODAY.2))
}

fn account(server: &Radicale) -> Account {
    let mut account = Account::new("phone", server.url(), server.user());
    account.calendar = Some(server.calendar_url());
    account
}

fn client(server: &Radicale) -> DavClient {
    DavClient::connect(&server.url(), server.user(), server.password(), None).unwrap()
}

/// One calendar sync of `session`, its actions applied as the app does.
struct Synced {
    actions: Vec<Action>,
    report: SyncReport,
    requests: u64,
}

fn sync(
    client: &DavClient,
    session: &mut Session,
    account: &Account,
    state: &mut SyncState,
) -> Synced {
    let job = run::prepare(session, account, radicale::PASSWORD.into(), state.clone());
    let mut report = SyncReport::default();
    let before = client.requests();
    let actions = calendar::sync_calendar(client, &job, &mut state.calendar, &mut report)
        .unwrap_or_else(|e| panic!("calendar sync failed: {e}"));
    let requests = client.requests() - before;
    if !actions.is_empty() {
        assert!(session.apply(Action::Batch {
            label: "Sync with phone".into(),
            actions: actions.clone(),
        }));
    }
    Synced {
        actions,
        report,
        requests,
    }
}

fn item_name(uid: &str) -> String {
    format!("{uid}.ics")
}

fn item_path(uid: &str) -> String {
    format!("{}{}", radicale::CALENDAR, item_name(uid))
}

/// The stored item's text, or None.
fn stored(server: &Radicale, uid: &str) -> Option<String> {
    server
        .calendar_items()
        .into_iter()
        .find(|(name, _)| *name == item_name(uid))
        .map(|(_, text)| text)
}

/// What the phone sees: GET the object, return its text and ETag.
fn phone_get(server: &Radicale, uid: &str) -> (String, String) {
    let r = server.request("GET", &item_path(uid), &[], "");
    assert_eq!(r.status, 200, "{}", r.body);
    let etag = r.header("etag").expect("an ETag").to_string();
    (r.body, etag)
}

/// The phone saves a changed object (If-Match its ETag).
fn phone_put(server: &Radicale, uid: &str, text: &str, etag: &str) {
    let (status, _) = server.put_event(&item_name(uid), text, Some(etag));
    assert!(
        status == 201 || status == 204 || status == 200,
        "PUT {status}"
    );
}

fn interaction(session: &Session, id: InteractionId) -> Interaction {
    session.model().interactions[&id].clone()
}

/// Python's icalendar reads every object kith published: (uid, kind,
/// summary, description, due or start, rrule) per object.
fn python_reads(server: &Radicale) -> Vec<Vec<String>> {
    let script = r#"
import sys, json, icalendar, pathlib
out = []
for path in sorted(pathlib.Path(sys.argv[1]).iterdir()):
    if path.name.startswith(".Radicale"):
        continue
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    for c in cal.walk():
        if c.name in ("VTODO", "VEVENT"):
            when = c.get("DUE") or c.get("DTSTART")
            rrule = c.get("RRULE")
            alarms = [a for a in c.walk() if a.name == "VALARM"]
            out.append([str(c.get("UID")), c.name, str(c.get("SUMMARY")),
                        str(c.get("DESCRIPTION") or ""), when.dt.isoformat(),
                        rrule.to_ical().decode() if rrule else "",
                        str(len(alarms)), str(cal.get("PRODID"))])
print(json.dumps(out))
"#;
    let out = Command::new(radicale::venv_bin("python"))
        .arg("-c")
        .arg(script)
        .arg(server.collection_dir(radicale::CALENDAR))
        .output()
        .expect("run the venv's python");
    assert!(
        out.status.success(),
        "icalendar could not read kith's objects:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json from python")
}

#[test]
fn publishes_follow_ups_and_dates_that_icalendar_reads_then_a_second_sync_does_nothing() {
    let server = Radicale::start();
    // The phone's own event is not kith's and stays untouched.
    let own = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\nUID:dentist-1\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260310T100000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    assert_eq!(server.put_event("dentist-1.ics", own, None).0, 201);
    let dentist = stored(&server, "dentist-1").unwrap();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();

    let first = sync(&client, &mut session, &account, &mut state);
    assert!(first.actions.is_empty());
    assert_eq!(first.report.calendar.added, 4, "{:?}", first.report);
    assert_eq!(first.report.calendar.updated, 0);
    assert_eq!(first.report.calendar.deleted, 0);
    let names: Vec<String> = server
        .calendar_items()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let mut expected = vec![
        "dentist-1.ics".to_string(),
        item_name(&follow_up_uid(coffee_id())),
        item_name(&follow_up_uid(call_id())),
        item_name(&date_uid(dana_id(), 0)),
        item_name(&date_uid(dana_id(), 1)),
    ];
    expected.sort();
    assert_eq!(names, expected);
    assert_eq!(state.calendar.items.len(), 4);

    let mut read = python_reads(&server);
    read.retain(|row| row[0] != "dentist-1");
    let coffee = follow_up_uid(coffee_id());
    let call = follow_up_uid(call_id());
    let birthday = date_uid(dana_id(), 0);
    let name_day = date_uid(dana_id(), 1);
    let row = |uid: &str| read.iter().find(|r| r[0] == uid).cloned().unwrap();
    assert_eq!(
        row(&coffee)[1..],
        [
            "VTODO",
            "Follow up with Dana Whitfield after coffee",
            "Ask about the bakery; send the link, please",
            "2026-03-05",
            "",
            "1",
            "-//kith//kith//EN"
        ]
    );
    assert_eq!(
        row(&call)[2],
        "Follow up with Raj Patel, Dana Whitfield after a call"
    );
    assert_eq!(
        row(&birthday)[1..7],
        [
            "VEVENT",
            "Dana Whitfield's birthday",
            "Born in 1990.",
            "1990-06-14",
            "FREQ=YEARLY",
            "1"
        ]
    );
    assert_eq!(row(&name_day)[2], "Name day: Dana Whitfield");
    assert_eq!(row(&name_day)[4], "2026-12-09");

    // Nothing changed: one request (sync-collection), no writes.
    let before = server.calendar_items();
    for _ in 0..3 {
        let again = sync(&client, &mut session, &account, &mut state);
        assert!(again.actions.is_empty());
        assert_eq!(again.report, SyncReport::default());
        assert_eq!(again.requests, 1, "a no-change sync is one request");
    }
    assert_eq!(server.calendar_items(), before);
    assert_eq!(stored(&server, "dentist-1"), Some(dentist));
}

#[test]
fn a_phone_completing_a_follow_up_marks_it_done_and_moving_it_snoozes_it() {
    let server = Radicale::start();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();
    sync(&client, &mut session, &account, &mut state);

    // The phone ticks off the coffee follow-up…
    let coffee = follow_up_uid(coffee_id());
    let (text, etag) = phone_get(&server, &coffee);
    let ticked = text.replace(
        "STATUS:NEEDS-ACTION",
        "STATUS:COMPLETED\r\nCOMPLETED:20260302T101500Z\r\nPERCENT-COMPLETE:100",
    );
    phone_put(&server, &coffee, &ticked, &etag);
    // …and moves the call's due day to the 12th, as iOS writes it.
    let call = follow_up_uid(call_id());
    let (text, etag) = phone_get(&server, &call);
    let moved = text
        .replace(
            "DUE;VALUE=DATE:20260308",
            "DUE;TZID=Europe/Berlin:20260312T090000",
        )
        .replace("END:VTODO", "X-APPLE-SORT-ORDER:3\r\nEND:VTODO");
    phone_put(&server, &call, &moved, &etag);
    let moved = stored(&server, &call).unwrap();

    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.actions.len(), 2, "{:?}", synced.actions);
    let done = interaction(&session, coffee_id());
    assert!(
        done.follow_up_done,
        "completed on the phone is done in kith"
    );
    let snoozed = interaction(&session, call_id());
    assert_eq!(snoozed.follow_up, Some(day(2026, 3, 12)));
    assert_eq!(snoozed.snoozed_from, Some(day(2026, 3, 8)));
    assert!(!snoozed.follow_up_done);
    // The done follow-up leaves the calendar; the moved one is left as the
    // phone wrote it (nothing kith decides on differs).
    assert!(stored(&server, &coffee).is_none());
    assert_eq!(stored(&server, &call).as_deref(), Some(moved.as_str()));
    assert_eq!(synced.report.calendar.updated, 2);
    assert_eq!(synced.report.calendar.deleted, 1);
    assert_eq!(synced.report.calendar.added, 0);

    // Undo in kith (the sync is one step) reopens the follow-up: it is
    // published again, due on its old day.
    session.undo();
    assert!(!interaction(&session, coffee_id()).follow_up_done);
    let again = sync(&client, &mut session, &account, &mut state);
    assert_eq!(again.report.calendar.added, 1);
    let back = stored(&server, &coffee).unwrap();
    assert_eq!(read_todo(&back).unwrap().due, Some(day(2026, 3, 5)));
    assert!(!read_todo(&back).unwrap().completed);
    // And the call, back to the 8th in kith, is moved back on the server.
    assert_eq!(
        read_todo(&stored(&server, &call).unwrap()).unwrap().due,
        Some(day(2026, 3, 8))
    );
    assert_eq!(again.report.calendar.updated, 1);
}

#[test]
fn kith_removes_what_is_done_or_trashed_and_updates_what_changed() {
    let server = Radicale::start();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();
    sync(&client, &mut session, &account, &mut state);
    assert_eq!(server.calendar_items().len(), 4);

    // Done in kith → deleted on the server.
    let mut coffee = interaction(&session, coffee_id());
    coffee.follow_up_done = true;
    assert!(session.apply(Action::EditInteraction(coffee)));
    // Raj renamed → the call's title changes.
    let mut raj = session.model().people[&raj_id()].clone();
    raj.name = "Raj K. Patel".into();
    assert!(session.apply(Action::EditPerson(raj)));
    let synced = sync(&client, &mut session, &account, &mut state);
    assert!(synced.actions.is_empty());
    assert_eq!(synced.report.calendar.deleted, 1);
    assert_eq!(synced.report.calendar.updated, 1);
    assert!(stored(&server, &follow_up_uid(coffee_id())).is_none());
    assert!(
        stored(&server, &follow_up_uid(call_id()))
            .unwrap()
            .contains("SUMMARY:Follow up with Raj K. Patel\\, Dana Whitfield after a call")
    );

    // Dana to the trash → her dates go; the call stays, with Raj only.
    assert!(session.apply(Action::DeletePerson(dana_id())));
    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.report.calendar.deleted, 2);
    assert_eq!(synced.report.calendar.updated, 1);
    let names: Vec<String> = server
        .calendar_items()
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, vec![item_name(&follow_up_uid(call_id()))]);

    // Publishing switched off → everything of kith's goes.
    let mut off = account.clone();
    off.publish_follow_ups = false;
    off.publish_dates = false;
    let synced = sync(&client, &mut session, &off, &mut state);
    assert_eq!(synced.report.calendar.deleted, 1);
    assert!(server.calendar_items().is_empty());
    assert!(state.calendar.items.is_empty());
}

#[test]
fn what_the_phone_deletes_stays_deleted_until_it_changes_in_kith() {
    let server = Radicale::start();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();
    sync(&client, &mut session, &account, &mut state);

    let birthday = date_uid(dana_id(), 0);
    assert_eq!(server.delete(&item_path(&birthday)), 200);
    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.report.calendar.added, 0, "not published again");
    assert!(stored(&server, &birthday).is_none());
    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.report, SyncReport::default());
    assert_eq!(synced.requests, 1);

    // The birthday changes in kith: it is published again.
    let mut dana = session.model().people[&dana_id()].clone();
    dana.dates[0].date.day = Some(15);
    assert!(session.apply(Action::EditPerson(dana)));
    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.report.calendar.added, 1);
    assert!(
        stored(&server, &birthday)
            .unwrap()
            .contains("DTSTART;VALUE=DATE:19900615")
    );
}

#[test]
fn lost_state_or_a_crash_after_the_puts_makes_no_duplicates_and_no_writes() {
    let server = Radicale::start();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();
    sync(&client, &mut session, &account, &mut state);
    let before = server.calendar_items();

    // The state file was lost (or the app died before saving it).
    let mut fresh = SyncState::default();
    let synced = sync(&client, &mut session, &account, &mut fresh);
    assert_eq!(
        synced.report,
        SyncReport::default(),
        "adopted, not rewritten"
    );
    assert!(synced.actions.is_empty());
    assert_eq!(server.calendar_items(), before);
    assert_eq!(fresh.calendar.items.len(), 4);

    // A phone completed a follow-up while the state was lost: still done.
    let coffee = follow_up_uid(coffee_id());
    let (text, etag) = phone_get(&server, &coffee);
    phone_put(
        &server,
        &coffee,
        &text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"),
        &etag,
    );
    let mut lost = SyncState::default();
    sync(&client, &mut session, &account, &mut lost);
    assert!(interaction(&session, coffee_id()).follow_up_done);
    assert!(stored(&server, &coffee).is_none());
    assert_eq!(server.calendar_items().len(), 3);
}

#[test]
fn a_412_race_refetches_takes_the_phones_change_in_and_writes_again() {
    let server = Radicale::start();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();
    sync(&client, &mut session, &account, &mut state);
    let collection = server.calendar_url();

    // The phone completes the call follow-up, and kith misses it in its
    // listing (the token moves past the change), so kith's next write of
    // that object carries a stale ETag.
    let call = follow_up_uid(call_id());
    let (text, etag) = phone_get(&server, &call);
    phone_put(
        &server,
        &call,
        &text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"),
        &etag,
    );
    let missed = client
        .sync_collection(&collection, state.calendar.sync_token.as_deref())
        .unwrap();
    assert!(!missed.changed.is_empty());
    state.calendar.sync_token = missed.token;
    // Kith renames Raj, so it wants to rewrite the call's title.
    let mut raj = session.model().people[&raj_id()].clone();
    raj.name = "Raj K. Patel".into();
    assert!(session.apply(Action::EditPerson(raj)));
    let synced = sync(&client, &mut session, &account, &mut state);
    // 412 → fetched again → completed on the phone → done in kith → deleted.
    assert_eq!(
        server.log().matches("412 Precondition Failed").count(),
        1,
        "{}",
        server.log()
    );
    assert!(interaction(&session, call_id()).follow_up_done);
    assert!(stored(&server, &call).is_none());
    assert_eq!(synced.report.calendar.deleted, 1);

    // The same race on the birthday (phone renames it, kith's text wins).
    let birthday = date_uid(dana_id(), 0);
    let (text, etag) = phone_get(&server, &birthday);
    phone_put(
        &server,
        &birthday,
        &text.replace("Dana Whitfield's birthday", "Dana bday"),
        &etag,
    );
    let missed = client
        .sync_collection(&collection, state.calendar.sync_token.as_deref())
        .unwrap();
    state.calendar.sync_token = missed.token;
    let mut dana = session.model().people[&dana_id()].clone();
    dana.name = "Dana W. Whitfield".into();
    assert!(session.apply(Action::EditPerson(dana)));
    let synced = sync(&client, &mut session, &account, &mut state);
    assert!(synced.report.calendar.updated >= 1, "{:?}", synced.report);
    let text = stored(&server, &birthday).unwrap();
    assert!(
        text.contains("SUMMARY:Dana W. Whitfield's birthday"),
        "{text}"
    );
    assert_eq!(server.log().matches("412 Precondition Failed").count(), 2);
    // And the state is in step: nothing more to do.
    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.report, SyncReport::default());
}

#[test]
fn a_whole_sync_applies_the_phones_changes_to_the_data_folder() {
    let server = Radicale::start();
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let state_dir = dir.path().join("state");
    std::fs::create_dir_all(&state_dir).unwrap();
    let mut session = Session::open_folder(&folder, None);
    session.wait_until_loaded();
    assert!(session.start_empty());
    let today = session.today();
    let dana = Person::new("Dana Whitfield");
    let dana_id = dana.id;
    assert!(session.apply(Action::AddPerson(dana)));
    let follow_up = Interaction {
        id: InteractionId::new_random(),
        date: today,
        kind: InteractionKind::Coffee,
        people: vec![dana_id],
        follow_up: today.checked_add_days(chrono::Days::new(3)),
        ..Interaction::default()
    };
    let id = follow_up.id;
    assert!(session.apply(Action::AddInteraction(follow_up)));
    session.flush_changes();
    let account = account(&server);
    let report = run::sync_blocking(
        &mut session,
        &account,
        radicale::PASSWORD.into(),
        &state_dir,
    )
    .unwrap();
    assert_eq!(report.calendar.added, 1, "{report:?}");

    let uid = follow_up_uid(id);
    let (text, etag) = phone_get(&server, &uid);
    phone_put(
        &server,
        &uid,
        &text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"),
        &etag,
    );
    let report = run::sync_blocking(
        &mut session,
        &account,
        radicale::PASSWORD.into(),
        &state_dir,
    )
    .unwrap();
    assert_eq!(report.calendar.updated, 1, "{report:?}");
    assert_eq!(report.calendar.deleted, 1, "{report:?}");
    assert!(session.model().interactions[&id].follow_up_done);
    assert!(stored(&server, &uid).is_none());
    // A third sync: nothing to do, and the state on disk agrees.
    let report = run::sync_blocking(
        &mut session,
        &account,
        radicale::PASSWORD.into(),
        &state_dir,
    )
    .unwrap();
    assert!(report.calendar == Default::default(), "{report:?}");
}

#[test]
fn an_expired_sync_token_starts_over_without_duplicates_or_writes() {
    let server = Radicale::start();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();
    sync(&client, &mut session, &account, &mut state);
    let before = server.calendar_items();
    state.calendar.sync_token = Some("http://radicale.org/ns/sync/0000000000000000".into());
    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.report, SyncReport::default());
    assert!(synced.actions.is_empty());
    assert_eq!(server.calendar_items(), before);
    assert_eq!(state.calendar.items.len(), 4);
    let token = state.calendar.sync_token.clone().unwrap();
    assert!(token.starts_with("http://radicale.org/ns/sync/"), "{token}");
    assert_ne!(token, "http://radicale.org/ns/sync/0000000000000000");
    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.requests, 1);
}

#[test]
fn a_server_that_goes_away_leaves_the_state_as_it_was() {
    let server = Radicale::start();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();
    sync(&client, &mut session, &account, &mut state);
    let mut coffee = interaction(&session, coffee_id());
    coffee.follow_up_done = true;
    assert!(session.apply(Action::EditInteraction(coffee)));
    server.kill();
    let job = run::prepare(&session, &account, radicale::PASSWORD.into(), state.clone());
    let mut report = SyncReport::default();
    let mut after = state.calendar.clone();
    let error = calendar::sync_calendar(&client, &job, &mut after, &mut report).unwrap_err();
    assert!(error.is_transient(), "{error}");
    assert!(error.to_string().contains("127.0.0.1"), "{error}");
    assert_eq!(after, state.calendar);
    assert_eq!(report, SyncReport::default());
    // Back up: the follow-up done meanwhile is removed, nothing else moves.
    server.restart();
    let synced = sync(&client, &mut session, &account, &mut state);
    assert_eq!(synced.report.calendar.deleted, 1);
    assert_eq!(synced.report.calendar.added, 0);
    assert_eq!(server.calendar_items().len(), 3);
}

/// A server without sync-collection (kith falls back to the collection's
/// tag and a listing): Radicale is made to look like one by a state that
/// remembers a tag instead of a token.
#[test]
fn without_sync_tokens_the_collection_tag_and_a_listing_do_the_same() {
    let server = Radicale::start();
    let client = client(&server);
    let mut session = session();
    let account = account(&server);
    let mut state = SyncState::default();
    state.calendar.url = server.calendar_url();
    state.calendar.ctag = Some(String::new());
    let first = sync(&client, &mut session, &account, &mut state);
    assert_eq!(first.report.calendar.added, 4);
    assert!(state.calendar.sync_token.is_none());
    // Kith's own writes moved the tag: one listing finds nothing to fetch…
    let second = sync(&client, &mut session, &account, &mut state);
    assert_eq!(second.report, SyncReport::default());
    assert_eq!(second.requests, 2, "tag and listing");
    // …and from then on an unchanged tag is the whole sync.
    let third = sync(&client, &mut session, &account, &mut state);
    assert_eq!(third.report, SyncReport::default());
    assert_eq!(third.requests, 1);

    let coffee = follow_up_uid(coffee_id());
    let (text, etag) = phone_get(&server, &coffee);
    phone_put(
        &server,
        &coffee,
        &text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"),
        &etag,
    );
    assert_eq!(server.delete(&item_path(&date_uid(dana_id(), 1))), 200);
    let synced = sync(&client, &mut session, &account, &mut state);
    assert!(interaction(&session, coffee_id()).follow_up_done);
    assert_eq!(synced.report.calendar.deleted, 1, "{:?}", synced.report);
    assert_eq!(
        synced.report.calendar.added, 0,
        "the name day stays deleted"
    );
    assert_eq!(server.calendar_items().len(), 2);
    assert!(state.calendar.sync_token.is_none());
}
