//! Fuzz event times and recurrence: any TZID, DTSTART, RRULE, EXDATE, RDATE
//! and override text (one per line) expands without a panic or a hang, also
//! with the same rule defining the calendar's own `VTIMEZONE`; occurrences
//! are sorted, on or before today, bounded, and every problem has a line.
#![no_main]

use chrono::NaiveDate;
use kith::history::ReadOptions;
use kith::history::ics::{Component, Property};
use kith::history::recur::{self, MAX_OCCURRENCES};
use kith::history::tz::{Zone, ZoneTable};
use libfuzzer_sys::fuzz_target;

fn property(name: &str, params: &[(&str, &str)], value: &str, line: usize) -> Property {
    Property {
        name: name.to_string(),
        params: params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        value: value.to_string(),
        line,
    }
}

fn component(
    name: &str,
    properties: Vec<Property>,
    children: Vec<Component>,
    line: usize,
) -> Component {
    Component {
        name: name.to_string(),
        properties,
        children,
        line,
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n').map(|l| l.trim_end_matches('\r'));
    let mut next = || lines.next().unwrap_or("");
    let (tzid, start, rule, exdate, rdate, rid, moved) =
        (next(), next(), next(), next(), next(), next(), next());
    let value_date = if start.len() == 8 { "DATE" } else { "" };

    // A VTIMEZONE named "Fuzz" whose daylight rule is the fuzzed rule.
    let observance = |name: &str, from: &str, to: &str| {
        component(
            name,
            vec![
                property("DTSTART", &[], start, 3),
                property("TZOFFSETFROM", &[], from, 4),
                property("TZOFFSETTO", &[], to, 5),
                property("RRULE", &[], rule, 6),
                property("RDATE", &[], rdate, 7),
            ],
            Vec::new(),
            2,
        )
    };
    let zone = component(
        "VTIMEZONE",
        vec![property("TZID", &[], "Fuzz", 1)],
        vec![
            observance("DAYLIGHT", "+0100", "+0200"),
            observance("STANDARD", "+0200", "+0100"),
        ],
        1,
    );
    let master = component(
        "VEVENT",
        vec![
            property("UID", &[], "fuzz", 11),
            property(
                "DTSTART",
                &[("TZID", tzid), ("VALUE", value_date)],
                start,
                12,
            ),
            property("RRULE", &[], rule, 13),
            property("EXDATE", &[("TZID", tzid)], exdate, 14),
            property("EXDATE", &[], exdate, 15),
            property("RDATE", &[("TZID", tzid)], rdate, 16),
        ],
        Vec::new(),
        10,
    );
    let moved_event = component(
        "VEVENT",
        vec![
            property("UID", &[], "fuzz", 21),
            property("RECURRENCE-ID", &[("TZID", tzid)], rid, 22),
            property("DTSTART", &[], moved, 23),
        ],
        Vec::new(),
        20,
    );
    let calendar = component("VCALENDAR", Vec::new(), vec![zone], 0);
    let zones = ZoneTable::of_calendar(&calendar);
    let (Some(today), Some(berlin)) = (
        NaiveDate::from_ymd_opt(2026, 12, 2),
        Zone::named("Europe/Berlin"),
    ) else {
        return;
    };
    for zone in [Zone::Utc, berlin] {
        let opts = ReadOptions { today, zone };
        for tz in [tzid, "Fuzz"] {
            let mut master = master.clone();
            if let Some(p) = master.properties.get_mut(1) {
                p.params.retain(|(n, _)| n != "TZID");
                if !tz.is_empty() {
                    p.params.push(("TZID".to_string(), tz.to_string()));
                }
            }
            let mut problems = Vec::new();
            let found = recur::expand(Some(&master), &[&moved_event], &zones, &opts, &mut problems);
            assert!(found.occurrences.len() <= MAX_OCCURRENCES + 1);
            assert!(found.occurrences.windows(2).all(|w| w[0].date <= w[1].date));
            assert!(found.occurrences.iter().all(|o| o.date <= today));
            assert!(
                problems.iter().all(|p| p.line >= 1 && p.line <= 23),
                "{problems:?}"
            );
            let alone = recur::occurrences(None, &[&moved_event], &zones, &opts, &mut problems);
            assert!(alone.len() <= 1);
        }
    }
});
