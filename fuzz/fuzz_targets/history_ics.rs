//! Fuzz the iCalendar reader of the history import: any bytes are parsed
//! and read without a panic, every problem's line is inside the input, and
//! every encounter is a past event with at least two people in it.
#![no_main]

use chrono::NaiveDate;
use kith::history::ReadOptions;
use kith::history::ics::{parse_calendar, read_calendar};
use kith::history::tz::Zone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(today) = NaiveDate::from_ymd_opt(2026, 12, 1) else {
        return;
    };
    let opts = ReadOptions {
        today,
        zone: Zone::Utc,
    };
    // UTF-16 input is decoded to about half as many bytes; lines only shrink.
    let lines = 1 + data.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
    let (_, problems) = parse_calendar(&String::from_utf8_lossy(data));
    for problem in &problems {
        assert!(problem.line >= 1 && problem.line <= lines, "{problem:?} of {lines}");
    }
    let harvest = read_calendar(data, &opts);
    for problem in &harvest.problems {
        assert!(problem.line >= 1 && problem.line <= lines, "{problem:?} of {lines}");
        assert!(!problem.reason.trim().is_empty());
    }
    for encounter in &harvest.encounters {
        assert!(encounter.key.starts_with("event:"), "{}", encounter.key);
        assert!(encounter.date <= today, "{encounter:?}");
        assert!(encounter.parties.len() >= 2, "{encounter:?}");
        assert!(encounter.crowd >= encounter.parties.len(), "{encounter:?}");
        assert!(encounter.line >= 1 && encounter.line <= lines, "{encounter:?}");
    }
});
