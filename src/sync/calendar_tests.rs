//! Tests of the calendar half: the writers read back by kith's own reader,
//! what a phone's edits mean, and the plan of what to publish.

use super::*;
use crate::exchange::vcard::write::writable;
use crate::model::{ImportantDate, InteractionKind, PartialDate};
use proptest::prelude::*;
use uuid::Uuid;

fn stamp() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(2026, 3, 1)
        .and_then(|d| d.and_hms_opt(8, 30, 0))
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn person(n: u128, name: &str) -> Person {
    Person {
        id: PersonId(Uuid::from_u128(n)),
        name: name.into(),
        ..Person::default()
    }
}

fn interaction(n: u128, people: &[&Person], due: NaiveDate) -> Interaction {
    Interaction {
        id: InteractionId(Uuid::from_u128(1000 + n)),
        date: day(2026, 2, 20),
        kind: InteractionKind::Coffee,
        people: people.iter().map(|p| p.id).collect(),
        note: "Ask about the bakery".into(),
        follow_up: Some(due),
        ..Interaction::default()
    }
}

fn birthday(date: PartialDate) -> ImportantDate {
    ImportantDate {
        kind: DateKind::Birthday,
        date,
    }
}

fn summary_of(text: &str) -> String {
    main_component(text)
        .and_then(|c| c.get("SUMMARY").map(|p| p.text()))
        .unwrap_or_default()
}

fn description_of(text: &str) -> String {
    main_component(text)
        .and_then(|c| c.get("DESCRIPTION").map(|p| p.text()))
        .unwrap_or_default()
}

fn value_of(text: &str, name: &str) -> String {
    main_component(text)
        .and_then(|c| c.get(name).map(|p| p.value.clone()))
        .unwrap_or_default()
}

/// Every line ends in CR LF and holds at most 75 octets.
fn assert_folded(text: &str) {
    assert!(text.ends_with("\r\n"), "{text:?}");
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "line over 75 octets: {line:?}");
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
    }
}

#[test]
fn follow_up_todo_reads_back() {
    let dana = person(1, "Dana Whitfield");
    let i = interaction(1, &[&dana], day(2026, 3, 5));
    let text = follow_up_todo(&i, "Dana Whitfield", stamp());
    assert_folded(&text);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kith//kith//EN\r\n"));
    assert!(text.contains("\r\nDUE;VALUE=DATE:20260305\r\n"));
    assert!(text.contains("\r\nDTSTAMP:20260301T083000Z\r\n"));
    assert!(text.contains("\r\nSTATUS:NEEDS-ACTION\r\n"));
    assert!(text.contains("\r\nTRIGGER;RELATED=END:PT9H\r\n"));
    assert_eq!(
        read_uid(&text).as_deref(),
        Some(format!("kith-follow-up-{}", i.id.0).as_str())
    );
    assert_eq!(
        summary_of(&text),
        "Follow up with Dana Whitfield after coffee"
    );
    assert_eq!(description_of(&text), "Ask about the bakery");
    assert_eq!(
        read_todo(&text),
        Some(TodoState {
            completed: false,
            due: Some(day(2026, 3, 5)),
        })
    );
    let components = read_components(&text);
    assert_eq!(components.len(), 1);
    assert_eq!(components[0].name, "VTODO");
    // The alarm's DESCRIPTION is not the to-do's.
    assert_eq!(
        components[0]
            .properties
            .iter()
            .filter(|p| p.name == "DESCRIPTION")
            .count(),
        1
    );
}

#[test]
fn follow_up_without_note_has_no_description() {
    let dana = person(1, "Dana Whitfield");
    let mut i = interaction(1, &[&dana], day(2026, 3, 5));
    i.note = "  ".into();
    i.kind = InteractionKind::MetAtEvent;
    let text = follow_up_todo(&i, "Dana Whitfield", stamp());
    assert_eq!(description_of(&text), "");
    assert_eq!(
        summary_of(&text),
        "Follow up with Dana Whitfield after meeting at an event"
    );
}

#[test]
fn hostile_note_stays_text_in_one_todo() {
    let dana = person(1, "Dana; Whitfield, \\ Jr");
    let mut i = interaction(1, &[&dana], day(2026, 3, 5));
    i.note = "line one\r\nEND:VTODO\nBEGIN:VEVENT\nSUMMARY:forged;x,y\\z\u{7}\u{2028}last".into();
    let text = follow_up_todo(&i, &dana.name, stamp());
    assert_folded(&text);
    let components = read_components(&text);
    assert_eq!(components.len(), 1, "{text}");
    assert_eq!(
        description_of(&text),
        "line one\nEND:VTODO\nBEGIN:VEVENT\nSUMMARY:forged;x,y\\z\nlast"
    );
    assert!(text.contains("Dana\\; Whitfield\\, \\\\ Jr"));
    assert_eq!(
        summary_of(&text),
        "Follow up with Dana; Whitfield, \\ Jr after coffee"
    );
}

#[test]
fn long_lines_fold_at_75_octets_and_unfold() {
    let dana = person(1, "Dana Whitfield");
    let mut i = interaction(1, &[&dana], day(2026, 3, 5));
    i.note = "日本語のメモ😀 ".repeat(40);
    let text = follow_up_todo(&i, "Dana Whitfield", stamp());
    assert_folded(&text);
    assert_eq!(description_of(&text), i.note);
}

#[test]
fn birthday_with_a_year_starts_in_that_year() {
    let mut dana = person(1, "Dana Whitfield");
    dana.dates.push(birthday(PartialDate {
        year: Some(1990),
        month: Some(6),
        day: Some(14),
    }));
    let text = date_event(&dana, 0, day(2026, 3, 1), stamp()).unwrap_or_default();
    assert_folded(&text);
    assert_eq!(summary_of(&text), "Dana Whitfield's birthday");
    assert_eq!(description_of(&text), "Born in 1990.");
    assert_eq!(value_of(&text, "DTSTART"), "19900614");
    assert!(text.contains("\r\nDTSTART;VALUE=DATE:19900614\r\n"));
    assert_eq!(value_of(&text, "RRULE"), "FREQ=YEARLY");
    assert_eq!(value_of(&text, "TRANSP"), "TRANSPARENT");
    assert_eq!(read_uid(&text), Some(format!("kith-date-{}-0", dana.id.0)));
    assert_eq!(read_components(&text)[0].name, "VEVENT");
    assert!(read_todo(&text).is_none());
}

#[test]
fn dates_without_a_year_start_this_year_and_leap_days_recur() {
    let mut dana = person(1, "Dana Whitfield");
    dana.dates.push(ImportantDate {
        kind: DateKind::Custom("Name day".into()),
        date: PartialDate {
            year: None,
            month: Some(12),
            day: Some(9),
        },
    });
    dana.dates.push(birthday(PartialDate {
        year: None,
        month: Some(2),
        day: Some(29),
    }));
    dana.dates.push(ImportantDate {
        kind: DateKind::Anniversary,
        date: PartialDate {
            year: Some(2012),
            month: Some(2),
            day: Some(29),
        },
    });
    dana.dates.push(birthday(PartialDate {
        year: Some(1990),
        month: Some(3),
        day: None,
    }));
    let today = day(2026, 3, 1);
    let custom = date_event(&dana, 0, today, stamp()).unwrap_or_default();
    assert_eq!(summary_of(&custom), "Name day: Dana Whitfield");
    assert_eq!(value_of(&custom, "DTSTART"), "20261209");
    assert_eq!(description_of(&custom), "");
    // 29 February without a year, in a common year: the last day of February.
    let leap = date_event(&dana, 1, today, stamp()).unwrap_or_default();
    assert_eq!(value_of(&leap, "DTSTART"), "20260228");
    assert_eq!(
        value_of(&leap, "RRULE"),
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    );
    let in_leap_year = date_event(&dana, 1, day(2028, 1, 1), stamp()).unwrap_or_default();
    assert_eq!(value_of(&in_leap_year, "DTSTART"), "20280229");
    let anniversary = date_event(&dana, 2, today, stamp()).unwrap_or_default();
    assert_eq!(value_of(&anniversary, "DTSTART"), "20120229");
    assert_eq!(summary_of(&anniversary), "Dana Whitfield's anniversary");
    assert_eq!(description_of(&anniversary), "Since 2012.");
    // No day, no event; no such date, no event.
    assert!(date_event(&dana, 3, today, stamp()).is_none());
    assert!(date_event(&dana, 9, today, stamp()).is_none());
}

fn todo_with(lines: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Apple Inc.//iOS 18//EN\r\nBEGIN:VTODO\r\nUID:kith-follow-up-x\r\n{lines}END:VTODO\r\nEND:VCALENDAR\r\n"
    )
}

#[test]
fn phones_write_due_and_completion_in_many_ways() {
    let cases: &[(&str, bool, Option<NaiveDate>)] = &[
        ("DUE;VALUE=DATE:20260310\r\n", false, Some(day(2026, 3, 10))),
        ("DUE:20260310T090000\r\n", false, Some(day(2026, 3, 10))),
        (
            "DUE;TZID=Europe/Berlin:20260310T233000\r\n",
            false,
            Some(day(2026, 3, 10)),
        ),
        ("DUE:20260310T120000Z\r\n", false, Some(day(2026, 3, 10))),
        (
            "due;value=date:20260310\r\nstatus:completed\r\n",
            true,
            Some(day(2026, 3, 10)),
        ),
        ("COMPLETED:20260309T101500Z\r\n", true, None),
        ("STATUS:COMPLETED\r\n", true, None),
        ("PERCENT-COMPLETE:100\r\n", true, None),
        ("PERCENT-COMPLETE:40\r\nSTATUS:IN-PROCESS\r\n", false, None),
        ("STATUS:CANCELLED\r\n", true, None),
        (
            "DUE;VALUE=DATE:2026\r\n 0310\r\n",
            false,
            Some(day(2026, 3, 10)),
        ),
        ("DUE:garbage\r\n", false, None),
        ("DUE;VALUE=DATE:20260230\r\n", false, None),
        (
            "BEGIN:VALARM\r\nSTATUS:COMPLETED\r\nDUE:20990101\r\nEND:VALARM\r\nDUE;VALUE=DATE:20260311\r\n",
            false,
            Some(day(2026, 3, 11)),
        ),
    ];
    for (lines, completed, due) in cases {
        let text = todo_with(lines);
        assert_eq!(
            read_todo(&text),
            Some(TodoState {
                completed: *completed,
                due: *due,
            }),
            "{lines:?}"
        );
        // LF-only line ends read the same.
        assert_eq!(
            read_todo(&text.replace("\r\n", "\n")),
            read_todo(&text),
            "{lines:?}"
        );
    }
    assert!(
        read_todo("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
            .is_none()
    );
    assert!(read_todo("not a calendar").is_none());
    assert!(read_todo("").is_none());
}

#[test]
fn oversized_objects_read_as_nothing() {
    let big = todo_with(&format!("DESCRIPTION:{}\r\n", "x".repeat(MAX_OBJECT_BYTES)));
    assert!(read_todo(&big).is_none());
    assert!(read_uid(&big).is_none());
}

#[test]
fn essence_ignores_stamps_alarms_and_phone_extras() {
    let dana = person(1, "Dana Whitfield");
    let i = interaction(1, &[&dana], day(2026, 3, 5));
    let ours = follow_up_todo(&i, "Dana Whitfield", stamp());
    let later = follow_up_todo(&i, "Dana Whitfield", stamp() + chrono::Duration::days(3));
    assert_ne!(ours, later);
    assert_eq!(essence(&ours), essence(&later));
    // What a phone adds when it saves the to-do unchanged.
    let phone = ours
        .replace(
            "STATUS:NEEDS-ACTION\r\n",
            "STATUS:NEEDS-ACTION\r\nX-APPLE-SORT-ORDER:12\r\nLAST-MODIFIED:20260302T100000Z\r\nSEQUENCE:1\r\n",
        )
        .replace("TRIGGER;RELATED=END:PT9H", "TRIGGER:-PT15M")
        .replace("DUE;VALUE=DATE:20260305", "DUE:20260305T000000");
    assert_eq!(essence(&ours), essence(&phone));
    let moved = ours.replace("DUE;VALUE=DATE:20260305", "DUE;VALUE=DATE:20260307");
    assert_ne!(essence(&ours), essence(&moved));
    let done = ours.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED");
    assert_ne!(essence(&ours), essence(&done));
    let renamed = follow_up_todo(&i, "Dana W.", stamp());
    assert_ne!(essence(&ours), essence(&renamed));
    // A year-less date's event is the same series whatever year it started.
    let mut raj = person(2, "Raj Patel");
    raj.dates.push(birthday(PartialDate {
        year: None,
        month: Some(6),
        day: Some(1),
    }));
    let this_year = date_event(&raj, 0, day(2026, 3, 1), stamp()).unwrap_or_default();
    let next_year = date_event(&raj, 0, day(2027, 3, 1), stamp()).unwrap_or_default();
    assert_ne!(this_year, next_year);
    assert_eq!(essence(&this_year), essence(&next_year));
    raj.dates[0].date.day = Some(2);
    let moved = date_event(&raj, 0, day(2026, 3, 1), stamp()).unwrap_or_default();
    assert_ne!(essence(&this_year), essence(&moved));
    assert!(essence("nothing").is_none());
}

#[test]
fn uids_round_trip_and_others_are_not_kiths() {
    let i = InteractionId(Uuid::from_u128(7));
    let p = PersonId(Uuid::from_u128(8));
    assert_eq!(parse_uid(&follow_up_uid(i)), Some(KithUid::FollowUp(i)));
    assert_eq!(parse_uid(&date_uid(p, 12)), Some(KithUid::Date(p, 12)));
    for other in [
        "",
        "kith-",
        "kith-follow-up-",
        "kith-follow-up-not-a-uuid",
        "kith-date-00000000-0000-0000-0000-000000000008",
        "kith-date-00000000-0000-0000-0000-000000000008-x",
        "040000008200E00074C5B7101A82E008",
        "abc@google.com",
    ] {
        assert_eq!(parse_uid(other), None, "{other}");
    }
}

#[test]
fn hrefs_are_compared_by_their_decoded_path() {
    assert_eq!(
        file_name("/dav/alice/cal/kith-date-x-0.ics"),
        "kith-date-x-0.ics"
    );
    assert_eq!(file_name("/dav/alice/cal/kith%2Dx.ics"), "kith-x.ics");
    assert_eq!(file_name("/dav/alice/cal/%E6%97%A5.ics"), "日.ics");
    assert_eq!(file_name("/bad/%zz%4"), "%zz%4");
    assert_eq!(
        href_key("https://dav.example.com:8443/a/b%20c.ics"),
        "/a/b c.ics"
    );
    assert_eq!(href_key("/a/b%20c.ics"), "/a/b c.ics");
    assert_eq!(href_key("https://dav.example.com"), "/");
    assert!(looks_like_kith("/c/kith-follow-up-1.ics"));
    assert!(!looks_like_kith("/c/ABC-123.ics"));
}

#[test]
fn a_listing_yields_kiths_changes_only() {
    let mut state = CollectionState::default();
    let item = |etag: &str| Item {
        uid: "kith-follow-up-a".into(),
        etag: etag.into(),
        person: None,
        interaction: None,
        base: String::new(),
    };
    state.items.insert("/c/kith-a.ics".into(), item("1"));
    state.items.insert("/c/kith-b.ics".into(), item("1"));
    state.items.insert("/c/kith-gone.ics".into(), item("1"));
    let listed = |href: &str, etag: &str| Listed {
        href: href.into(),
        etag: etag.into(),
    };
    let changes = compare_listing(
        &state,
        &[
            listed("/c/kith-a.ics", "1"),
            listed("/c/kith-b.ics", "2"),
            listed("/c/kith-new.ics", "1"),
            listed("/c/phone-own-event.ics", "1"),
        ],
    );
    assert_eq!(changes.changed, vec!["/c/kith-b.ics", "/c/kith-new.ics"]);
    assert_eq!(changes.removed, vec!["/c/kith-gone.ics"]);
}

fn plan_for<'a>(
    account: &'a Account,
    people: &'a [Person],
    interactions: &[Interaction],
) -> Plan<'a> {
    Plan {
        account,
        people: people.iter().map(|p| (p.id, p)).collect(),
        interactions: interactions.iter().map(|i| (i.id, i.clone())).collect(),
        changed: BTreeSet::new(),
        today: day(2026, 3, 1),
        stamp: stamp(),
    }
}

#[test]
fn what_kith_publishes() {
    let mut account = Account::new("test", "http://127.0.0.1/", "alice");
    let dana = person(1, "Dana Whitfield");
    let raj = person(2, "Raj Patel");
    let mut gone = person(3, "Gone Person");
    gone.deleted = true;
    let mut with_dates = person(4, "Mia Chen");
    with_dates.dates.push(birthday(PartialDate {
        year: None,
        month: Some(5),
        day: Some(1),
    }));
    with_dates.dates.push(birthday(PartialDate {
        year: Some(1980),
        month: None,
        day: None,
    }));
    let people = vec![dana.clone(), raj.clone(), gone.clone(), with_dates.clone()];
    let both = interaction(1, &[&dana, &raj], day(2026, 3, 5));
    let only_trashed = interaction(2, &[&gone], day(2026, 3, 5));
    let mut done = interaction(3, &[&dana], day(2026, 3, 5));
    done.follow_up_done = true;
    let mut none = interaction(4, &[&dana], day(2026, 3, 5));
    none.follow_up = None;
    let unknown_person = interaction(5, &[&person(99, "Not in the job")], day(2026, 3, 5));
    let interactions = vec![both.clone(), only_trashed, done, none, unknown_person];
    let plan = plan_for(&account, &people, &interactions);
    let desired = plan.all_desired();
    let uids: Vec<&String> = desired.keys().collect();
    assert_eq!(
        uids,
        vec![&date_uid(with_dates.id, 0), &follow_up_uid(both.id),]
    );
    let todo = &desired[&follow_up_uid(both.id)];
    assert_eq!(
        summary_of(&todo.text),
        "Follow up with Dana Whitfield, Raj Patel after coffee"
    );
    assert_eq!(todo.interaction, Some(both.id));
    assert_eq!(
        desired[&date_uid(with_dates.id, 0)].person,
        Some(with_dates.id)
    );

    // Out of scope: only Raj has the tag.
    let mut raj_tagged = raj.clone();
    raj_tagged.tags.push("phone".into());
    let people = vec![dana.clone(), raj_tagged, gone, with_dates];
    account.scope = crate::sync::Scope::Tag("Phone".into());
    let plan = plan_for(&account, &people, &interactions);
    let desired = plan.all_desired();
    assert_eq!(desired.len(), 1);
    assert_eq!(
        summary_of(&desired[&follow_up_uid(both.id)].text),
        "Follow up with Raj Patel after coffee"
    );
    // Publishing switched off.
    account.publish_follow_ups = false;
    account.publish_dates = false;
    account.scope = crate::sync::Scope::All;
    assert!(
        plan_for(&account, &people, &interactions)
            .all_desired()
            .is_empty()
    );
}

#[test]
fn a_phone_completes_or_moves_a_follow_up() {
    let account = Account::new("test", "http://127.0.0.1/", "alice");
    let dana = person(1, "Dana Whitfield");
    let people = vec![dana.clone()];
    let i = interaction(1, &[&dana], day(2026, 3, 5));
    let base = follow_up_todo(&i, "Dana Whitfield", stamp());
    let completed = base.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED");
    let moved = base.replace("DUE;VALUE=DATE:20260305", "DUE;VALUE=DATE:20260312");

    // Completed on the phone: done in kith.
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&i));
    assert!(plan.pull_follow_up(i.id, Some(&base), &completed));
    assert!(plan.interactions[&i.id].follow_up_done);
    assert!(plan.desired(&follow_up_uid(i.id)).is_none());
    // Even without a base (state lost).
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&i));
    assert!(plan.pull_follow_up(i.id, None, &completed));

    // Moved on the phone: snoozed in kith, snoozed_from the old day.
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&i));
    assert!(plan.pull_follow_up(i.id, Some(&base), &moved));
    let snoozed = &plan.interactions[&i.id];
    assert_eq!(snoozed.follow_up, Some(day(2026, 3, 12)));
    assert_eq!(snoozed.snoozed_from, Some(day(2026, 3, 5)));
    assert!(!snoozed.follow_up_done);
    // What kith now wants is what the phone holds: nothing to push.
    let want = plan.desired(&follow_up_uid(i.id)).map(|d| d.essence);
    assert_eq!(want, essence(&moved));
    assert_eq!(plan.changed.len(), 1);

    // Already snoozed once: the first day is kept.
    let mut again = i.clone();
    again.snoozed_from = Some(day(2026, 3, 1));
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&again));
    assert!(plan.pull_follow_up(again.id, Some(&base), &moved));
    assert_eq!(plan.interactions[&i.id].snoozed_from, Some(day(2026, 3, 1)));

    // Kith moved it too since the last sync: kith's day stands.
    let mut local = i.clone();
    local.follow_up = Some(day(2026, 3, 20));
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&local));
    assert!(!plan.pull_follow_up(local.id, Some(&base), &moved));
    assert_eq!(plan.interactions[&i.id].follow_up, Some(day(2026, 3, 20)));

    // No base: kith's day stands.
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&i));
    assert!(!plan.pull_follow_up(i.id, None, &moved));
    assert!(plan.changed.is_empty());

    // Unchanged, or already done in kith, or unknown: nothing.
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&i));
    assert!(!plan.pull_follow_up(i.id, Some(&base), &base));
    let mut done = i.clone();
    done.follow_up_done = true;
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&done));
    assert!(!plan.pull_follow_up(done.id, Some(&base), &moved));
    assert!(!plan.pull_follow_up(InteractionId(Uuid::from_u128(5)), Some(&base), &completed));
    assert!(!plan.pull_follow_up(i.id, Some(&base), "garbage"));
    // Completed in the base already (kith re-opened it since): stays open.
    let mut plan = plan_for(&account, &people, std::slice::from_ref(&i));
    assert!(!plan.pull_follow_up(i.id, Some(&completed), &completed));
}

/// Characters that break careless writers and readers.
const HARD: &[char] = &[
    'a', 'Z', ' ', ';', ',', ':', '\\', '"', '=', '\t', '\r', '\n', '\u{0}', '\u{7}', '\u{1b}',
    '\u{7f}', '\u{85}', '\u{2028}', 'é', '日', '😀', 'n', 'N',
];

fn hard_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(HARD), 0..120)
        .prop_map(|chars| chars.into_iter().collect())
}

proptest! {
    #[test]
    fn any_note_and_names_round_trip(note in hard_text(), names in hard_text(), due_days in 0u32..4000) {
        let dana = person(1, "x");
        let mut i = interaction(1, &[&dana], day(2026, 3, 5));
        i.note = note.clone();
        i.follow_up = day(2020, 1, 1).checked_add_days(chrono::Days::new(due_days.into()));
        let text = follow_up_todo(&i, &names, stamp());
        assert_folded(&text);
        prop_assert_eq!(read_components(&text).len(), 1);
        prop_assert_eq!(summary_of(&text), writable(&format!("Follow up with {names} after coffee")));
        let expected = if note.trim().is_empty() { String::new() } else { writable(&note) };
        prop_assert_eq!(description_of(&text), expected);
        prop_assert_eq!(read_todo(&text), Some(TodoState { completed: false, due: i.follow_up }));
        prop_assert_eq!(read_uid(&text), Some(follow_up_uid(i.id)));
    }

    #[test]
    fn any_name_and_label_round_trip_in_date_events(name in hard_text(), label in hard_text(), month in 1u32..=12, dd in 1u32..=31, year in prop::option::of(1900i32..2100)) {
        let mut p = person(2, &name);
        p.dates.push(ImportantDate { kind: DateKind::Custom(label.clone()), date: PartialDate { year, month: Some(month), day: Some(dd) } });
        let today = day(2026, 3, 1);
        match date_event(&p, 0, today, stamp()) {
            Some(text) => {
                assert_folded(&text);
                prop_assert_eq!(read_components(&text).len(), 1);
                prop_assert_eq!(summary_of(&text), writable(&format!("{}: {name}", label.trim())));
                let start = main_component(&text).and_then(|c| c.get("DTSTART").and_then(read_day));
                prop_assert_eq!(start.map(|s| s.month()), Some(month));
                prop_assert!(start.is_some_and(|s| s.day() == dd || (month == 2 && dd == 29 && s.day() == 28)));
            }
            None => {
                // Only impossible days (31 April) have no event.
                let y = year.unwrap_or(2026);
                prop_assert!(NaiveDate::from_ymd_opt(y, month, dd).is_none() && !(month == 2 && dd == 29));
            }
        }
    }

    #[test]
    fn the_reader_survives_any_text(text in "(BEGIN:V[A-Z]{0,8}|END:V[A-Z]{0,8}|[A-Z;=:\"\\\\ ,]{0,12}|\r\n|\n| )*") {
        let _ = read_components(&text);
        let _ = read_todo(&text);
        let _ = essence(&text);
    }
}

#[test]
fn hrefs_are_kept_as_paths() {
    assert_eq!(
        path_of("http://127.0.0.1:5232/alice/calendar/kith-x.ics"),
        "/alice/calendar/kith-x.ics"
    );
    assert_eq!(
        path_of("/alice/calendar/kith-x.ics"),
        "/alice/calendar/kith-x.ics"
    );
    assert_eq!(path_of("https://host"), "/");
}
