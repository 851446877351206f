use super::*;
use crate::history::tz::Zone;
use chrono::NaiveDate;
use std::collections::HashSet;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn opts() -> ReadOptions {
    ReadOptions {
        today: day(2026, 12, 1),
        zone: Zone::Utc,
    }
}

fn first_event(roots: &[Component]) -> &Component {
    roots
        .iter()
        .flat_map(|c| c.children.iter())
        .find(|c| c.name == "VEVENT")
        .unwrap_or_else(|| panic!("no VEVENT in {roots:?}"))
}

#[test]
fn unfolds_spaces_tabs_and_any_line_end() {
    for sep in ["\r\n", "\n", "\r"] {
        let text = [
            "BEGIN:VCALENDAR",
            "BEGIN:VEVENT",
            "SUMMARY:Long ti",
            " tle",
            "\tagain",
            "UID:1",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        .join(sep);
        let (roots, problems) = parse_calendar(&text);
        assert!(problems.is_empty(), "{sep:?}: {problems:?}");
        let event = first_event(&roots);
        assert_eq!(
            event.get("SUMMARY").map(|p| p.value.as_str()),
            Some("Long titleagain")
        );
        assert_eq!(event.get("SUMMARY").map(|p| p.line), Some(3));
        assert_eq!(event.get("UID").map(|p| p.line), Some(6));
        assert_eq!(event.line, 2);
    }
}

#[test]
fn a_bom_and_blank_lines_are_skipped() {
    let text = "\u{feff}BEGIN:VCALENDAR\r\n\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n";
    let (roots, problems) = parse_calendar(text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(roots.len(), 1);
    assert_eq!(roots[0].name, "VCALENDAR");
    assert_eq!(roots[0].get("VERSION").map(|p| p.line), Some(3));
}

#[test]
fn quoted_params_keep_commas_colons_and_semicolons() {
    let text = "BEGIN:VEVENT\nATTENDEE;CN=\"Doe, Jane; PhD\";ROLE=REQ-PARTICIPANT;DELEGATED-FROM=\"mailto:a@x.org\",\"mailto:b@x.org\":mailto:jane@example.com\nEND:VEVENT\n";
    let (roots, problems) = parse_calendar(text);
    assert!(problems.is_empty(), "{problems:?}");
    let p = roots[0].get("ATTENDEE").cloned().unwrap_or_default();
    assert_eq!(p.param("CN"), Some("Doe, Jane; PhD"));
    assert_eq!(p.param("ROLE"), Some("REQ-PARTICIPANT"));
    assert_eq!(
        p.param("DELEGATED-FROM"),
        Some("mailto:a@x.org,mailto:b@x.org")
    );
    assert_eq!(p.value, "mailto:jane@example.com");
}

#[test]
fn rfc6868_escapes_in_params() {
    let text = "BEGIN:VEVENT\nATTENDEE;CN=\"George ^'Herman^' Ruth\";X-ADDR=a^nb^^c^x:mailto:g@x.org\nEND:VEVENT\n";
    let (roots, _) = parse_calendar(text);
    let p = roots[0].get("ATTENDEE").cloned().unwrap_or_default();
    assert_eq!(p.param("CN"), Some("George \"Herman\" Ruth"));
    assert_eq!(p.param("X-ADDR"), Some("a\nb^c^x"));
}

#[test]
fn names_are_uppercased_and_values_kept_raw() {
    let (roots, _) =
        parse_calendar("begin:vcalendar\nx-wr-calname;value=text:A\\, B\nend:vcalendar\n");
    let p = roots[0].get("X-WR-CALNAME").cloned().unwrap_or_default();
    assert_eq!(p.params, vec![("VALUE".to_string(), "text".to_string())]);
    assert_eq!(p.value, "A\\, B");
    assert_eq!(p.text(), "A, B");
}

#[test]
fn nested_components_have_children() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nTZOFFSETTO:+0100\nEND:STANDARD\nBEGIN:DAYLIGHT\nEND:DAYLIGHT\nEND:VTIMEZONE\nBEGIN:VEVENT\nUID:1\nBEGIN:VALARM\nACTION:DISPLAY\nEND:VALARM\nEND:VEVENT\nEND:VCALENDAR\n";
    let (roots, problems) = parse_calendar(text);
    assert!(problems.is_empty(), "{problems:?}");
    let cal = &roots[0];
    let names: Vec<&str> = cal.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["VTIMEZONE", "VEVENT"]);
    let tz: Vec<&str> = cal.children[0]
        .children
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(tz, ["STANDARD", "DAYLIGHT"]);
    assert_eq!(cal.children[1].children[0].name, "VALARM");
    assert_eq!(cal.children[1].children[0].line, 12);
    // The alarm's property is the alarm's, not the event's.
    assert!(cal.children[1].get("ACTION").is_none());
}

#[test]
fn bad_lines_are_reported_by_line_and_the_rest_kept() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nthis line has no colon\nSome prose: with a colon\nATTENDEE;CN=\"never closed:mailto:a@b.c\nSUMMARY:kept\nEND:VEVENT\nEND:VCALENDAR\n";
    let (roots, problems) = parse_calendar(text);
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [4, 5, 6], "{problems:?}");
    assert!(
        problems[0].reason.contains("no ':'"),
        "{}",
        problems[0].reason
    );
    assert!(
        problems[1].reason.contains("not a property name"),
        "{}",
        problems[1].reason
    );
    assert!(
        problems[2].reason.contains("never closed"),
        "{}",
        problems[2].reason
    );
    let event = first_event(&roots);
    assert_eq!(event.get("SUMMARY").map(|p| p.value.as_str()), Some("kept"));
}

#[test]
fn a_mismatched_end_is_reported_and_closes_what_was_open() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nBEGIN:VALARM\nACTION:AUDIO\nEND:VEVENT\nBEGIN:VEVENT\nUID:2\nEND:VEVENT\nEND:VTODO\nEND:VCALENDAR\n";
    let (roots, problems) = parse_calendar(text);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].line, 6);
    assert!(
        problems[0].reason.contains("BEGIN:VALARM (line 4)"),
        "{}",
        problems[0].reason
    );
    assert_eq!(problems[1].line, 10);
    assert!(
        problems[1].reason.contains("without a BEGIN:VTODO"),
        "{}",
        problems[1].reason
    );
    assert_eq!(roots.len(), 1);
    let uids: Vec<&str> = roots[0]
        .children
        .iter()
        .filter_map(|c| c.get("UID"))
        .map(|p| p.value.as_str())
        .collect();
    assert_eq!(uids, ["1", "2"]);
    assert_eq!(roots[0].children[0].children[0].name, "VALARM");
}

#[test]
fn a_truncated_file_keeps_what_it_had() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nSUMMARY:cut sho";
    let (roots, problems) = parse_calendar(text);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].line, 2);
    assert_eq!(problems[1].line, 1);
    assert!(problems[0].reason.contains("never closed"));
    assert_eq!(
        first_event(&roots).get("SUMMARY").map(|p| p.value.as_str()),
        Some("cut sho")
    );
}

#[test]
fn properties_outside_components_are_reported() {
    let text = "Content-Type: text/calendar\nBEGIN:VCALENDAR\nEND:VCALENDAR\nVERSION:2.0\n";
    let (roots, problems) = parse_calendar(text);
    assert_eq!(roots.len(), 1);
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 4], "{problems:?}");
}

#[test]
fn nesting_deeper_than_the_cap_stops_with_a_problem() {
    let mut text = String::new();
    for i in 0..20 {
        text.push_str(&format!("BEGIN:X{i}\n"));
    }
    let (roots, problems) = parse_calendar(&text);
    assert_eq!(roots.len(), 1);
    let stop = problems.iter().find(|p| p.reason.contains("deeper than 8"));
    assert_eq!(stop.map(|p| p.line), Some(MAX_DEPTH + 1), "{problems:?}");
    let mut depth = 0;
    let mut c = &roots[0];
    while let Some(child) = c.children.first() {
        depth += 1;
        c = child;
    }
    assert_eq!(depth + 1, MAX_DEPTH);
}

#[test]
fn problems_are_capped_and_counted() {
    let text = "junk\n".repeat(MAX_PROBLEMS + 50);
    let (_, problems) = parse_calendar(&text);
    assert_eq!(problems.len(), MAX_PROBLEMS + 1);
    let last = problems.last().cloned().unwrap_or(Skipped {
        line: 0,
        reason: String::new(),
    });
    assert_eq!(last.line, MAX_PROBLEMS + 1);
    assert!(last.reason.contains("50 more"), "{}", last.reason);
}

#[test]
fn text_unescaping() {
    assert_eq!(unescape_text("a\\,b\\;c\\\\d\\ne\\Nf"), "a,b;c\\d\ne\nf");
    assert_eq!(unescape_text("Outlook\\: yes"), "Outlook: yes");
    assert_eq!(unescape_text("end\\"), "end\\");
    assert_eq!(unescape_text("plain"), "plain");
    assert_eq!(unescape_text("ünï\\,cødé"), "ünï,cødé");
}

#[test]
fn kinds_from_words_and_links() {
    use InteractionKind::*;
    assert_eq!(guess_kind("Coffee with Dana", "", "", 2), Coffee);
    assert_eq!(guess_kind("Kaffee", "", "", 2), Coffee);
    assert_eq!(guess_kind("", "Café Central", "", 2), Coffee);
    assert_eq!(guess_kind("Espresso!", "", "", 2), Coffee);
    assert_eq!(guess_kind("LUNCH", "", "", 2), Lunch);
    assert_eq!(guess_kind("Team dinner", "", "", 3), Lunch);
    assert_eq!(guess_kind("Déjeuner avec Paul", "", "", 2), Lunch);
    assert_eq!(guess_kind("Mittag mit Jo", "", "", 2), Lunch);
    assert_eq!(guess_kind("Brunch", "", "", 2), Lunch);
    assert_eq!(guess_kind("Quick call", "", "", 2), Call);
    assert_eq!(guess_kind("Phone: Ana", "", "", 2), Call);
    assert_eq!(guess_kind("Sync", "https://zoom.us/j/123", "", 2), Call);
    assert_eq!(
        guess_kind("1:1", "", "Join: https://meet.google.com/abc-defg-hij", 2),
        Call
    );
    assert_eq!(
        guess_kind(
            "Review",
            "",
            "https://teams.microsoft.com/l/meetup-join/x",
            2
        ),
        Call
    );
    assert_eq!(guess_kind("FaceTime Mum", "", "", 2), Call);
    // Whole words only.
    assert_eq!(guess_kind("Callback API review", "", "", 2), Other);
    assert_eq!(guess_kind("Recall planning", "", "", 2), Other);
    assert_eq!(guess_kind("Lunchtime talk", "", "", 2), Other);
    assert_eq!(guess_kind("Zoomorphic art", "", "", 2), Other);
    // Words in a description do not count (only links do).
    assert_eq!(guess_kind("Planning", "", "call me if late", 2), Other);
    // The title wins over a video link Google adds to every event.
    assert_eq!(
        guess_kind("Coffee", "", "https://meet.google.com/x", 2),
        Coffee
    );
    assert_eq!(guess_kind("Offsite", "Berlin", "", 6), MetAtEvent);
    assert_eq!(guess_kind("Offsite", "Berlin", "", 5), Other);
}

#[test]
fn mail_addresses_from_cal_addresses() {
    assert_eq!(
        mail_address("mailto:Jane@Example.COM"),
        Some("jane@example.com".into())
    );
    assert_eq!(mail_address("MAILTO:a%2Bb@x.org"), Some("a+b@x.org".into()));
    assert_eq!(
        mail_address("mailto:a@x.org?subject=hi"),
        Some("a@x.org".into())
    );
    assert_eq!(mail_address(" bare@x.org "), Some("bare@x.org".into()));
    assert_eq!(mail_address("urn:uuid:1234"), None);
    assert_eq!(mail_address("mailto:"), None);
    assert_eq!(mail_address("mailto:%E2%82"), None);
    assert_eq!(mail_address("mailto:%zz@x.org"), Some("%zz@x.org".into()));
}

fn event(lines: &[&str]) -> Component {
    let text = format!("BEGIN:VEVENT\n{}\nEND:VEVENT\n", lines.join("\n"));
    let (roots, problems) = parse_calendar(&text);
    assert!(problems.is_empty(), "{problems:?}");
    roots.into_iter().next().unwrap_or_default()
}

#[test]
fn parties_skip_rooms_and_merge_the_organizer() {
    let e = event(&[
        "ORGANIZER;CN=Bob:mailto:bob@x.org",
        "ATTENDEE;CN=Bob Smith;PARTSTAT=DECLINED:mailto:BOB@x.org",
        "ATTENDEE;CN=\"Doe, Jane\";PARTSTAT=ACCEPTED:mailto:jane@x.org",
        "ATTENDEE;CUTYPE=ROOM;CN=Room 1:mailto:room1@x.org",
        "ATTENDEE;CUTYPE=RESOURCE:mailto:projector@x.org",
        "ATTENDEE;CN=Jane again:mailto:jane@x.org",
        "ATTENDEE;EMAIL=ann@x.org;CN=Ann:urn:uuid:1",
        "ATTENDEE;CN=Only A Name:urn:uuid:2",
        "ATTENDEE:urn:uuid:3",
    ]);
    let (parties, crowd) = event_parties(&e);
    let view: Vec<(&str, Option<&str>, bool, bool)> = parties
        .iter()
        .map(|p| (p.name.as_str(), p.email.as_deref(), p.sender, p.declined))
        .collect();
    assert_eq!(
        view,
        [
            ("Bob", Some("bob@x.org"), true, true),
            ("Doe, Jane", Some("jane@x.org"), false, false),
            ("Ann", Some("ann@x.org"), false, false),
            ("Only A Name", None, false, false),
        ]
    );
    assert_eq!(crowd, 5);
}

#[test]
fn an_organizer_alone_is_no_one_else() {
    let e = event(&[
        "UID:1",
        "ORGANIZER:mailto:me@x.org",
        "ATTENDEE:mailto:me@x.org",
    ]);
    let facts = event_facts(&e, false);
    assert_eq!(facts.ignored, Some("no one else"));
    let e = event(&[
        "UID:1",
        "STATUS:CANCELLED",
        "ATTENDEE:mailto:a@x.org",
        "ATTENDEE:mailto:b@x.org",
    ]);
    assert_eq!(event_facts(&e, false).ignored, Some("cancelled"));
    let e = event(&[
        "UID:1",
        "ATTENDEE:mailto:a@x.org",
        "ATTENDEE:mailto:b@x.org",
    ]);
    assert_eq!(event_facts(&e, false).ignored, None);
    assert_eq!(event_facts(&e, true).ignored, Some("cancelled"));
}

#[test]
fn conference_properties_make_a_call() {
    let e = event(&[
        "SUMMARY:Weekly",
        "ATTENDEE:mailto:a@x.org",
        "ATTENDEE:mailto:b@x.org",
        "X-MICROSOFT-ONLINEMEETINGCONFLINK:conf:sip:x",
    ]);
    assert_eq!(event_facts(&e, false).kind, InteractionKind::Call);
    let e = event(&[
        "SUMMARY:Lunch",
        "ATTENDEE:mailto:a@x.org",
        "ATTENDEE:mailto:b@x.org",
        "X-GOOGLE-CONFERENCE:https://meet.google.com/x",
    ]);
    assert_eq!(event_facts(&e, false).kind, InteractionKind::Lunch);
}

#[test]
fn utf16_and_bad_utf8_are_decoded() {
    let text = "BEGIN:VCALENDAR\nX-WR-CALNAME:Kalender ü\nEND:VCALENDAR\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    assert_eq!(read_calendar(&le, &opts()).suggested_name, "Kalender ü");
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
    assert_eq!(read_calendar(&be, &opts()).suggested_name, "Kalender ü");
    let bad = b"BEGIN:VCALENDAR\nX-WR-CALNAME:caf\xe9\nEND:VCALENDAR\n";
    let h = read_calendar(bad, &opts());
    assert_eq!(h.suggested_name, "caf\u{fffd}");
    assert_eq!(h.problems.len(), 1);
    assert_eq!(h.problems[0].line, 2);
}

#[test]
fn events_are_grouped_by_uid_and_uidless_ones_get_a_hash() {
    let a = event(&["UID:a", "SEQUENCE:2", "SUMMARY:new"]);
    let a_old = event(&["UID:a", "SEQUENCE:1", "SUMMARY:old"]);
    let a_override = event(&["UID:a", "RECURRENCE-ID:20260101T100000Z"]);
    let none = event(&["DTSTART:20260101", "SUMMARY:x"]);
    let none2 = event(&["DTSTART:20260102", "SUMMARY:x"]);
    let events = [&a, &a_override, &a_old, &none, &none2];
    let groups = group_events(&events);
    assert_eq!(groups.len(), 3);
    assert_eq!(groups[0].0, "a");
    assert_eq!(
        groups[0]
            .1
            .and_then(|m| m.get("SUMMARY"))
            .map(|p| p.value.as_str()),
        Some("new")
    );
    assert_eq!(groups[0].2.len(), 1);
    assert!(groups[1].0.starts_with('~'));
    assert_ne!(groups[1].0, groups[2].0);
    assert_eq!(group_events(&[&none])[0].0, groups[1].0);
}

fn fixture(name: &str) -> Harvest {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/history/ics")
        .join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_calendar(&bytes, &opts())
}

fn reasons(h: &Harvest) -> Vec<&str> {
    h.ignored.iter().map(|i| i.reason.as_str()).collect()
}

fn emails(e: &Encounter) -> Vec<&str> {
    e.parties
        .iter()
        .filter_map(|p| p.email.as_deref())
        .collect()
}

#[test]
fn outlook_2010_request_tab_folds_and_quoted_names() {
    let h = fixture("outlook_2010_request.ics");
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    assert_eq!(h.encounters.len(), 1);
    let e = &h.encounters[0];
    // The UID folded with a tab reads whole.
    assert_eq!(
        e.key,
        "event:040000009200E00074C5B7101A82E00800000000C0383BE68041CE0100000000000000001000000070D00A2F625AC34BB6542DE0D19E67E1#"
    );
    assert_eq!(e.date, day(2013, 6, 10));
    assert_eq!(e.title, "Team Meeting");
    assert_eq!(e.kind, InteractionKind::Other);
    assert_eq!(e.crowd, 3);
    let names: Vec<&str> = e.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Smith, Bob", "Doe, John", "Doe, Jane"]);
    assert_eq!(
        emails(e),
        [
            "bobsmith@example.com",
            "johndoe@example.com",
            "janedoe@example.com"
        ]
    );
    assert!(e.parties[0].sender && !e.parties[1].sender);
}

#[test]
fn exchange_teams_series_is_a_call_every_other_day() {
    let h = fixture("exchange_teams_meeting.ics");
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    let days: Vec<NaiveDate> = h.encounters.iter().map(|e| e.date).collect();
    // DAILY;INTERVAL=2 from 24 Nov 2020 11:00 Berlin until 26 Nov 10:00 UTC.
    assert_eq!(days, [day(2020, 11, 24), day(2020, 11, 26)]);
    let e = &h.encounters[0];
    assert!(e.key.ends_with("#20201124T100000Z"), "{}", e.key);
    assert_eq!(e.kind, InteractionKind::Call);
    assert_eq!(e.title, "Testmeeting ➡ ignore it!");
    assert_eq!(
        emails(e),
        [
            "annonym.usernames@email.com",
            "testmeeting.channel@email365.onmicrosoft.com"
        ]
    );
    assert!(e.parties.iter().all(|p| !p.sender));
}

#[test]
fn exchange_uppercase_mailto_and_an_empty_tzid() {
    let h = fixture("exchange_empty_tzid.ics");
    assert_eq!(h.encounters.len(), 1, "{:?}", h.ignored);
    let e = &h.encounters[0];
    assert_eq!(e.key, "event:t21ocubdt9jagerldbkak7uhcg@google.com#");
    assert_eq!(e.date, day(2015, 8, 26));
    // The organizer is also an attendee: one party, who sent it.
    assert_eq!(emails(e), ["roberts@company.com", "sam@company.com"]);
    assert!(e.parties[0].sender);
    assert_eq!(e.crowd, 2);
}

#[test]
fn google_birthdays_have_no_one_else() {
    let h = fixture("google_birthdays_virtual.ics");
    assert_eq!(h.suggested_name, "Contacts' birthdays and events");
    assert!(h.encounters.is_empty(), "{:?}", h.encounters);
    assert_eq!(reasons(&h), ["no one else", "no one else"]);
    // Google's date written as a UTC time is reported by its line.
    assert!(h.problems.iter().all(|p| p.line > 0));
}

#[test]
fn zimbra_series_with_rdates_exdates_and_overrides() {
    let h = fixture("zimbra_rdate_overrides.ics");
    let keys: HashSet<&str> = h.encounters.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys.len(), h.encounters.len(), "keys are unique");
    let uid = "event:623c13c0-6c2b-45d6-a12b-c33ad61c4868#";
    // The first occurrence and the 5 Nov RDATE are overrides with only
    // the organizer: left out, each counted.
    assert_eq!(reasons(&h), ["no one else", "no one else"]);
    assert!(!keys.contains(format!("{uid}20121002T170000Z").as_str()));
    // RDATEs in the zone and as a list, EXDATEs taken out.
    for rid in [
        "20121106T180000Z",
        "20121110T180000Z",
        "20121130T180000Z",
        "20130101T180000Z",
    ] {
        assert!(
            keys.contains(format!("{uid}{rid}").as_str()),
            "{rid}: {keys:?}"
        );
    }
    for gone in ["20121204T180000Z", "20130205T180000Z", "20130402T170000Z"] {
        assert!(!keys.contains(format!("{uid}{gone}").as_str()), "{gone}");
    }
    let e = &h.encounters[0];
    assert_eq!(e.title, "Crazy Event Thingy!");
    // A CN folded with two spaces keeps one.
    assert_eq!(e.parties[1].name, "Guest One");
    assert_eq!(e.crowd, 4);
    assert!(h.encounters.iter().all(|e| e.date <= opts().today));
}

#[test]
fn khal_delegated_and_informed_attendees() {
    let h = fixture("khal_partstat_declined.ics");
    let e = &h.encounters[0];
    // Folds inside a quoted parameter and inside an address.
    assert_eq!(
        emails(e),
        [
            "hcabot@example.com",
            "jdoe@example.com",
            "jqpublic@example.com",
            "another@example.com",
            "tent@example.com"
        ]
    );
    assert_eq!(e.parties[0].name, "Henry Cabot");
    assert!(e.parties[3].declined);
    assert_eq!(e.crowd, 5);
}

#[test]
fn apple_and_google_exports_of_you_alone_and_alarms() {
    let h = fixture("apple_macos_partstat.ics");
    assert!(h.encounters.is_empty());
    assert_eq!(
        reasons(&h),
        ["no one else", "no one else", "cancelled", "no one else"]
    );
    // An ATTENDEE inside a VALARM is who gets the reminder, not a guest.
    let h = fixture("google_daily_forever.ics");
    assert!(h.encounters.is_empty());
    assert_eq!(reasons(&h), ["no one else"]);
}

#[test]
fn outlook_quote_closed_after_the_value_is_read() {
    let h = fixture("exchange_windows_tzids.ics");
    assert!(h.problems.is_empty(), "{:?}", h.problems);
    let (roots, _) = parse_calendar(
        "BEGIN:VEVENT\nDTSTART;TZID=\"W. Europe Standard Time:20200609T090000\"\nEND:VEVENT\n",
    );
    let p = roots[0].get("DTSTART").cloned().unwrap_or_default();
    assert_eq!(p.param("TZID"), Some("W. Europe Standard Time"));
    assert_eq!(p.value, "20200609T090000");
}

#[test]
fn synthetic_cast_reads_as_the_pipeline_expects() {
    let h = fixture("google_synthetic_sam.ics");
    let conf = h
        .encounters
        .iter()
        .find(|e| e.key == "event:conf-2026@example.org#");
    assert_eq!(
        conf.map(|e| (e.crowd, e.kind)),
        Some((7, InteractionKind::MetAtEvent))
    );
    assert!(reasons(&h).contains(&"cancelled"));
    assert!(reasons(&h).contains(&"in the future"));
    let declined = h.encounters.iter().find(|e| e.title == "Climbing");
    assert!(declined.is_some_and(|e| e.parties.iter().any(|p| p.declined)));
    let h = fixture("bad_mixed.ics");
    assert_eq!(h.encounters.len(), 1);
    let lines: Vec<usize> = h.problems.iter().map(|p| p.line).collect();
    for line in [14, 18, 23, 27, 33, 37] {
        assert!(lines.contains(&line), "line {line}: {:?}", h.problems);
    }
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "by line: {lines:?}");
}

#[test]
fn every_fixture_reads_without_panicking_and_problems_have_lines() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history/ics");
    let mut read = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        let h = read_calendar(&bytes, &opts());
        assert!(h.problems.iter().all(|p| p.line > 0), "{:?}", entry.path());
        assert!(
            h.encounters
                .iter()
                .all(|e| e.key.starts_with("event:") && e.parties.len() >= 2)
        );
        read += 1;
    }
    assert!(read >= 15, "{read} fixtures");
}

#[test]
fn loose_events_and_several_calendars() {
    let text = "BEGIN:VEVENT\nUID:a\nDTSTART:20260101T100000Z\nATTENDEE:mailto:a@x.org\nATTENDEE:mailto:b@x.org\nEND:VEVENT\nBEGIN:VCALENDAR\nX-WR-CALNAME:Second\nMETHOD:CANCEL\nBEGIN:VEVENT\nUID:b\nDTSTART:20260102T100000Z\nATTENDEE:mailto:a@x.org\nATTENDEE:mailto:b@x.org\nEND:VEVENT\nEND:VCALENDAR\n";
    let h = read_calendar(text.as_bytes(), &opts());
    assert_eq!(h.suggested_name, "Second");
    assert_eq!(h.encounters.len(), 1);
    assert_eq!(h.encounters[0].key, "event:a#");
    assert_eq!(reasons(&h), ["cancelled"]);
    // VTODOs are not events, silently.
    let todo = "BEGIN:VCALENDAR\nBEGIN:VTODO\nUID:t\nATTENDEE:mailto:a@x.org\nATTENDEE:mailto:b@x.org\nEND:VTODO\nEND:VCALENDAR\n";
    let h = read_calendar(todo.as_bytes(), &opts());
    assert!(h.encounters.is_empty() && h.ignored.is_empty() && h.problems.is_empty());
}

#[test]
fn a_single_event_after_today_is_in_the_future() {
    let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:f\nDTSTART:20270101T100000Z\nATTENDEE:mailto:a@x.org\nATTENDEE:mailto:b@x.org\nEND:VEVENT\nEND:VCALENDAR\n";
    let h = read_calendar(text.as_bytes(), &opts());
    assert!(h.encounters.is_empty());
    assert_eq!(reasons(&h), ["in the future"]);
    assert_eq!(h.ignored[0].line, 2);
}

mod generated {
    use super::*;
    use crate::exchange::calendar::ics_text;
    use crate::exchange::vcard::fold_line;
    use crate::exchange::vcard::write::{push_param_value, writable};
    use proptest::prelude::*;

    /// Characters that break careless readers and writers.
    const HARD: &[char] = &[
        'a', 'Z', '7', ' ', ';', ',', ':', '\\', '"', '\'', '^', '=', '.', '\t', '\r', '\n',
        '\u{0}', '\u{7}', '\u{7f}', '\u{85}', '\u{2028}', 'é', '日', '😀', 'n', 'N', '%', '@',
    ];

    /// Text with hard characters inside and a letter at each end (readers trim).
    fn hard_text() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(HARD), 0..40)
            .prop_map(|middle| format!("a{}z", middle.into_iter().collect::<String>()))
    }

    /// (title, attendee names) per event; the organizer is the first name.
    fn calendar() -> impl Strategy<Value = Vec<(String, Vec<String>)>> {
        prop::collection::vec(
            (hard_text(), prop::collection::vec(hard_text(), 2..5)),
            1..6,
        )
    }

    fn write(events: &[(String, Vec<String>)]) -> String {
        let mut out = String::new();
        let mut line = |text: String| fold_line(&text, &mut out);
        line("BEGIN:VCALENDAR".into());
        line("VERSION:2.0".into());
        for (i, (title, names)) in events.iter().enumerate() {
            line("BEGIN:VEVENT".into());
            line(format!("UID:prop-{i}@example.org"));
            line(format!("DTSTART:202403{:02}T100000Z", i + 1));
            line(format!("SUMMARY:{}", ics_text(title)));
            for (j, name) in names.iter().enumerate() {
                let mut head = String::from(if j == 0 {
                    "ORGANIZER;CN="
                } else {
                    "ATTENDEE;CN="
                });
                push_param_value(name, &mut head);
                line(format!("{head}:mailto:Person{i}.{j}@Example.ORG"));
            }
            line("END:VEVENT".into());
        }
        line("END:VCALENDAR".into());
        out
    }

    proptest! {
        #[test]
        fn parsing_any_text_never_panics_and_problems_have_lines(text in ".{0,400}") {
            let (_, problems) = parse_calendar(&text);
            prop_assert!(problems.iter().all(|p| p.line > 0 && !p.reason.is_empty()));
            let h = read_calendar(text.as_bytes(), &opts());
            prop_assert!(h.problems.iter().all(|p| p.line > 0));
        }

        #[test]
        fn calendar_like_junk_never_panics(
            lines in prop::collection::vec(
                prop_oneof![
                    Just("BEGIN:VCALENDAR".to_string()),
                    Just("BEGIN:VEVENT".to_string()),
                    Just("END:VEVENT".to_string()),
                    Just("END:VCALENDAR".to_string()),
                    Just("BEGIN:VALARM".to_string()),
                    Just(" folded".to_string()),
                    Just("UID:x".to_string()),
                    Just("RECURRENCE-ID:20240102T100000Z".to_string()),
                    Just("DTSTART:20240101T100000Z".to_string()),
                    Just("RRULE:FREQ=DAILY;COUNT=3".to_string()),
                    Just("ATTENDEE;CN=\"a:b\":mailto:a@x.org".to_string()),
                    Just("ORGANIZER:mailto:b@x.org".to_string()),
                    Just("STATUS:CANCELLED".to_string()),
                    ".{0,30}",
                ],
                0..40,
            ),
            sep in prop_oneof![Just("\r\n"), Just("\n"), Just("\r")],
        ) {
            let text = lines.join(sep);
            let h = read_calendar(text.as_bytes(), &opts());
            prop_assert!(h.problems.iter().all(|p| p.line > 0));
            prop_assert!(h.encounters.iter().all(|e| e.parties.len() >= 2 && e.crowd >= 2));
        }

        #[test]
        fn written_calendars_read_back_titles_and_attendees(events in calendar()) {
            let text = write(&events);
            let h = read_calendar(text.as_bytes(), &opts());
            prop_assert!(h.problems.is_empty(), "{:?}\n{}", h.problems, text);
            prop_assert_eq!(h.encounters.len(), events.len(), "{}", text);
            for (i, (e, (title, names))) in h.encounters.iter().zip(&events).enumerate() {
                prop_assert_eq!(&e.key, &format!("event:prop-{i}@example.org#"));
                prop_assert_eq!(e.date, day(2024, 3, u32::try_from(i + 1).unwrap_or(1)));
                prop_assert_eq!(&e.title, &writable(title));
                let got: Vec<(&str, &str)> = e
                    .parties
                    .iter()
                    .map(|p| (p.name.as_str(), p.email.as_deref().unwrap_or("")))
                    .collect();
                let want: Vec<(String, String)> = names
                    .iter()
                    .enumerate()
                    .map(|(j, n)| (writable(n), format!("person{i}.{j}@example.org")))
                    .collect();
                let want: Vec<(&str, &str)> =
                    want.iter().map(|(n, m)| (n.as_str(), m.as_str())).collect();
                prop_assert_eq!(got, want);
                prop_assert_eq!(e.crowd, names.len());
                prop_assert!(e.parties[0].sender);
            }
        }
    }
}
