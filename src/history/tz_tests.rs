use super::*;
use crate::history::ics::Property;

/// A tiny calendar parser for these tests (no folding): `BEGIN`/`END`
/// nest, `NAME;P=V:VALUE` lines become properties.
pub(crate) fn calendar(text: &str) -> Component {
    let mut stack = vec![Component {
        name: "ROOT".into(),
        ..Component::default()
    }];
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let mut quoted = false;
        let colon = line
            .char_indices()
            .find(|(_, c)| {
                if *c == '"' {
                    quoted = !quoted;
                }
                *c == ':' && !quoted
            })
            .map(|(at, _)| at)
            .expect("a colon");
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let mut parts = head.split(';');
        let name = parts.next().unwrap_or("").to_ascii_uppercase();
        if name == "BEGIN" {
            stack.push(Component {
                name: value.to_ascii_uppercase(),
                line: i + 1,
                ..Component::default()
            });
            continue;
        }
        if name == "END" {
            let done = stack.pop().expect("open component");
            stack.last_mut().expect("a parent").children.push(done);
            continue;
        }
        let params = parts
            .filter_map(|p| p.split_once('='))
            .map(|(n, v)| (n.to_ascii_uppercase(), v.trim_matches('"').to_string()))
            .collect();
        stack.last_mut().expect("open").properties.push(Property {
            name,
            params,
            value: value.to_string(),
            line: i + 1,
        });
    }
    let mut root = stack.swap_remove(0);
    root.children.swap_remove(0)
}

fn wall(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a wall time")
}

fn utc(text: &str) -> DateTime<Utc> {
    wall(text).and_utc()
}

fn berlin() -> Zone {
    Zone::named("Europe/Berlin").expect("Berlin")
}

#[test]
fn berlin_wall_times_across_both_changes() {
    let zone = berlin();
    assert_eq!(
        zone.to_utc(wall("2026-01-15 10:00")),
        utc("2026-01-15 09:00")
    );
    assert_eq!(
        zone.to_utc(wall("2026-07-15 10:00")),
        utc("2026-07-15 08:00")
    );
    // Spring forward: 02:30 never happened; it reads with the winter offset (= 03:30 summer time).
    assert_eq!(
        zone.to_utc(wall("2026-03-29 02:30")),
        utc("2026-03-29 01:30")
    );
    assert_eq!(
        zone.to_utc(wall("2026-03-29 03:00")),
        utc("2026-03-29 01:00")
    );
    // Fall back: 02:30 happened twice; the first (summer time) is taken.
    assert_eq!(
        zone.to_utc(wall("2026-10-25 02:30")),
        utc("2026-10-25 00:30")
    );
    assert_eq!(
        zone.to_utc(wall("2026-10-25 03:00")),
        utc("2026-10-25 02:00")
    );
    assert_eq!(
        zone.to_wall(utc("2026-10-25 01:30")),
        wall("2026-10-25 02:30")
    );
    assert_eq!(
        zone.date_of(utc("2026-06-30 22:30")),
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
    );
}

#[test]
fn new_york_wall_times_across_both_changes() {
    let zone = Zone::named("America/New_York").unwrap();
    assert_eq!(
        zone.to_utc(wall("2026-03-08 01:30")),
        utc("2026-03-08 06:30")
    );
    assert_eq!(
        zone.to_utc(wall("2026-03-08 02:30")),
        utc("2026-03-08 07:30")
    );
    assert_eq!(
        zone.to_utc(wall("2026-03-08 03:30")),
        utc("2026-03-08 07:30")
    );
    assert_eq!(
        zone.to_utc(wall("2026-11-01 01:30")),
        utc("2026-11-01 05:30")
    );
    assert_eq!(
        zone.to_utc(wall("2026-11-01 02:30")),
        utc("2026-11-01 07:30")
    );
}

#[test]
fn floating_times_in_utc_and_the_system_zone_do_not_panic() {
    assert_eq!(
        Zone::Utc.to_utc(wall("2026-03-29 02:30")),
        utc("2026-03-29 02:30")
    );
    assert_eq!(
        Zone::Utc.date_of(utc("2026-03-29 23:59")),
        NaiveDate::from_ymd_opt(2026, 3, 29).unwrap()
    );
    let _ = Zone::system().to_utc(NaiveDateTime::MIN);
    let _ = Zone::system().to_utc(NaiveDateTime::MAX);
    let _ = berlin().to_utc(NaiveDateTime::MIN);
    let _ = berlin().to_utc(NaiveDateTime::MAX);
}

const OUTLOOK: &str = "BEGIN:VCALENDAR
BEGIN:VTIMEZONE
TZID:W. Europe Standard Time
BEGIN:STANDARD
DTSTART:16010101T030000
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010101T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3
END:DAYLIGHT
END:VTIMEZONE
BEGIN:VTIMEZONE
TZID:Customized Time Zone
BEGIN:STANDARD
DTSTART:16010101T000000
TZOFFSETFROM:+0530
TZOFFSETTO:+0530
END:STANDARD
END:VTIMEZONE
BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:STANDARD
DTSTART:19700101T000000
TZOFFSETFROM:+0300
TZOFFSETTO:+0300
END:STANDARD
END:VTIMEZONE
BEGIN:VTIMEZONE
TZID:US Eastern with history
BEGIN:DAYLIGHT
DTSTART:19670430T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z
END:DAYLIGHT
BEGIN:STANDARD
DTSTART:19671029T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:20070311T020000
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
DTSTART:20071104T020000
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
RDATE:20300101T000000
END:STANDARD
END:VTIMEZONE
END:VCALENDAR
";

#[test]
fn outlook_vtimezone_gives_summer_and_winter_time() {
    let zones = ZoneTable::of_calendar(&calendar(OUTLOOK));
    let tz = "W. Europe Standard Time";
    assert_eq!(
        zones.to_utc(tz, wall("2026-01-15 10:00")),
        Some(utc("2026-01-15 09:00"))
    );
    assert_eq!(
        zones.to_utc(tz, wall("2026-07-15 10:00")),
        Some(utc("2026-07-15 08:00"))
    );
    assert_eq!(
        zones.to_utc(tz, wall("1999-07-15 10:00")),
        Some(utc("1999-07-15 08:00"))
    );
    // The last Sunday of March 2026 is the 29th: 02:30 is in the gap, 03:00 is summer time.
    assert_eq!(
        zones.to_utc(tz, wall("2026-03-29 01:59")),
        Some(utc("2026-03-29 00:59"))
    );
    assert_eq!(
        zones.to_utc(tz, wall("2026-03-29 02:30")),
        Some(utc("2026-03-29 01:30"))
    );
    assert_eq!(
        zones.to_utc(tz, wall("2026-03-29 03:00")),
        Some(utc("2026-03-29 01:00"))
    );
    // October 25th: 02:30 twice, the summer one first; 03:00 is winter time.
    assert_eq!(
        zones.to_utc(tz, wall("2026-10-25 02:30")),
        Some(utc("2026-10-25 00:30"))
    );
    assert_eq!(
        zones.to_utc(tz, wall("2026-10-25 03:00")),
        Some(utc("2026-10-25 02:00"))
    );
    assert_eq!(
        zones.to_wall(tz, utc("2026-10-25 01:30")),
        Some(wall("2026-10-25 02:30"))
    );
    assert_eq!(
        zones.to_wall(tz, utc("2026-07-15 08:00")),
        Some(wall("2026-07-15 10:00"))
    );
    // Before the first transition (the 1601 onsets): some offset, no panic.
    assert!(zones.to_utc(tz, wall("1500-07-15 10:00")).is_some());
    assert!(zones.knows(tz));
}

#[test]
fn a_calendars_own_definition_wins_and_history_is_kept() {
    let zones = ZoneTable::of_calendar(&calendar(OUTLOOK));
    assert_eq!(
        zones.to_utc("Customized Time Zone", wall("2026-07-15 10:00")),
        Some(utc("2026-07-15 04:30"))
    );
    // The calendar defines "Europe/Berlin" its own way: that is what its times mean.
    assert_eq!(
        zones.to_utc("Europe/Berlin", wall("2026-07-15 10:00")),
        Some(utc("2026-07-15 07:00"))
    );
    let us = "US Eastern with history";
    // 2006: summer time began on April 2nd; 2007 on March 11th.
    assert_eq!(
        zones.to_utc(us, wall("2006-03-20 12:00")),
        Some(utc("2006-03-20 17:00"))
    );
    assert_eq!(
        zones.to_utc(us, wall("2006-04-10 12:00")),
        Some(utc("2006-04-10 16:00"))
    );
    assert_eq!(
        zones.to_utc(us, wall("2007-03-20 12:00")),
        Some(utc("2007-03-20 16:00"))
    );
    assert_eq!(
        zones.to_utc(us, wall("2026-11-10 12:00")),
        Some(utc("2026-11-10 17:00"))
    );
    assert_eq!(
        zones.to_utc(us, wall("2026-07-10 12:00")),
        Some(utc("2026-07-10 16:00"))
    );
}

#[test]
fn iana_names_behind_exporter_prefixes() {
    let zones = ZoneTable::default();
    for (tzid, expected) in [
        ("/mozilla.org/20050126_1/Europe/Berlin", "2026-07-15 08:00"),
        ("/mozilla.org/20070129_1/Europe/Berlin", "2026-07-15 08:00"),
        (
            "/softwarestudio.org/Olson_20011030_5/America/New_York",
            "2026-07-15 14:00",
        ),
        (
            "/freeassociation.sourceforge.net/Tzfile/Europe/Ljubljana",
            "2026-07-15 08:00",
        ),
        (
            "/citadel.org/20190914_1/America/New_York",
            "2026-07-15 14:00",
        ),
        ("/Europe/Berlin", "2026-07-15 08:00"),
        ("America/New_York", "2026-07-15 14:00"),
        (" Europe/Berlin ", "2026-07-15 08:00"),
    ] {
        assert_eq!(
            zones.to_utc(tzid, wall("2026-07-15 10:00")),
            Some(utc(expected)),
            "{tzid}"
        );
    }
    assert_eq!(
        resolve_name("/freeassociation.sourceforge.net/Tzfile/SystemV/EST5EDT"),
        Some(Tz::EST5EDT)
    );
}

#[test]
fn windows_and_outlook_display_names() {
    for (tzid, tz) in [
        ("Pacific Standard Time", Tz::America__Los_Angeles),
        ("W. Europe Standard Time", Tz::Europe__Berlin),
        ("GMT Standard Time", Tz::Europe__London),
        ("India Standard Time", Tz::Asia__Kolkata),
        ("Tokyo Standard Time", Tz::Asia__Tokyo),
        ("AUS Eastern Standard Time", Tz::Australia__Sydney),
        ("Eastern Standard Time", Tz::America__New_York),
        ("Central Standard Time", Tz::America__Chicago),
        ("Romance Standard Time", Tz::Europe__Paris),
        ("China Standard Time", Tz::Asia__Shanghai),
        ("pacific standard time", Tz::America__Los_Angeles),
        (
            "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
            Tz::Europe__Berlin,
        ),
        (
            "(UTC-05:00) Eastern Time (US & Canada)",
            Tz::America__New_York,
        ),
        (
            "(GMT+10:00) Canberra, Melbourne, Sydney",
            Tz::Australia__Sydney,
        ),
        ("(UTC+05:00)", Tz::Etc__GMTMinus5),
        (
            "(UTC-03:00) Somewhere kith never heard of",
            Tz::Etc__GMTPlus3,
        ),
        ("(UTC)", Tz::Etc__GMT),
    ] {
        let got = resolve_name(tzid);
        // chrono-tz links (Asia/Calcutta) compare by their own name: compare offsets.
        let at = utc("2026-07-15 12:00");
        assert_eq!(
            got.map(|g| at.with_timezone(&g).naive_local()),
            Some(at.with_timezone(&tz).naive_local()),
            "{tzid}"
        );
    }
    let zones = ZoneTable::default();
    assert_eq!(
        zones.to_utc("Pacific Standard Time", wall("2026-07-15 10:00")),
        Some(utc("2026-07-15 17:00"))
    );
    assert_eq!(
        zones.to_utc("Tokyo Standard Time", wall("2026-07-15 10:00")),
        Some(utc("2026-07-15 01:00"))
    );
}

#[test]
fn unknown_zones_are_none() {
    let zones = ZoneTable::of_calendar(&calendar(OUTLOOK));
    for tzid in [
        "Mars/Olympus_Mons",
        "",
        "(UTC+99:00) Nowhere",
        "/x/y/z",
        "Standard Time",
        "(UTC+01:30)",
    ] {
        assert_eq!(zones.to_utc(tzid, wall("2026-07-15 10:00")), None, "{tzid}");
        assert!(!zones.knows(tzid), "{tzid}");
    }
}

#[test]
fn the_windows_table_is_sorted_and_large() {
    assert!(WINDOWS_ZONES.len() >= 60);
    assert!(
        WINDOWS_ZONES
            .windows(2)
            .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes())
    );
    for (name, _) in WINDOWS_ZONES {
        assert!(resolve_name(name).is_some(), "{name}");
    }
}

#[test]
fn offsets_parse_strictly() {
    assert_eq!(parse_offset("+0100"), Some(3600));
    assert_eq!(parse_offset("-0500"), Some(-18000));
    assert_eq!(parse_offset("+053000"), Some(19800));
    assert_eq!(parse_offset("+05:30"), Some(19800));
    for bad in ["", "+", "0100", "+01", "+2500", "+01x0", "+0160", "ü+0100"] {
        assert_eq!(parse_offset(bad), None, "{bad}");
    }
}

#[test]
fn hostile_vtimezones_are_bounded() {
    let text = "BEGIN:VCALENDAR
BEGIN:VTIMEZONE
TZID:Busy
BEGIN:STANDARD
DTSTART:20260101T000000
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
RRULE:FREQ=SECONDLY
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:20260101T000000
TZOFFSETFROM:+2359
TZOFFSETTO:-2359
RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30
RDATE:junk,20260301T000000Z,20260401T000000/PT1H
END:DAYLIGHT
BEGIN:STANDARD
DTSTART:junk
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
END:STANDARD
END:VTIMEZONE
BEGIN:VTIMEZONE
TZID:No rules
END:VTIMEZONE
END:VCALENDAR
";
    let zones = ZoneTable::of_calendar(&calendar(text));
    let started = std::time::Instant::now();
    for w in [
        "2026-01-01 00:00",
        "2026-06-01 12:00",
        "1900-01-01 00:00",
        "2300-01-01 00:00",
    ] {
        assert!(zones.to_utc("Busy", wall(w)).is_some());
    }
    assert!(started.elapsed().as_secs() < 5);
    // A definition with no usable rules falls through to the names kith knows.
    assert_eq!(zones.to_utc("No rules", wall("2026-01-01 00:00")), None);
}
