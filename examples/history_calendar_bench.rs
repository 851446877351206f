//! A ten-year calendar of 20,000 events through the history import (issue
//! "A timeline that fills itself", scale: under 5 s, and re-importing the
//! same file writes nothing and takes no longer than the first import).
//!
//! `cargo run --release --example history_calendar_bench -- [--events N] [--people P] [--runs R]`
//!
//! The calendar is generated deterministically in memory: single meetings
//! (1:1s, small groups, conferences of 6 to 40, rooms, cancelled ones),
//! weekly and monthly series with EXDATEs and RECURRENCE-ID overrides,
//! times in IANA zones, Windows zones with their Outlook VTIMEZONE, UTC,
//! floating and all-day, titles that guess every kind, attendees from the
//! e-mails of `kith::synth` people (plus strangers, and you). N counts
//! VEVENTs, overrides included. Steps timed (medians of R runs, default 5):
//! `read_calendar`, `HistoryPreview::build` on a 10,000-person network, the
//! first import's `to_action` + apply, then the same file again (read +
//! build against the model that now has the import), which must write
//! nothing.

use kith::document::Document;
use kith::history::ics::read_calendar;
use kith::history::plan::HistoryPreview;
use kith::history::tz::Zone;
use kith::history::{HistoryFormat, ReadOptions};
use kith::synth::{self, SynthParams};
use std::time::Instant;

/// The app's allocator, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ME: &str = "me@kith.example";

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n.max(1)).unwrap_or(1)).unwrap_or(0)
    }
}

fn options() -> ReadOptions {
    ReadOptions {
        today: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default(),
        zone: Zone::named("Europe/Berlin").unwrap_or(Zone::Utc),
    }
}

/// Outlook's VTIMEZONE for a Windows zone (1601 rules, as Outlook writes them).
fn windows_zone(out: &mut String, name: &str, std: &str, dst: &str) {
    out.push_str(&format!(
        "BEGIN:VTIMEZONE\r\nTZID:{name}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:{dst}\r\nTZOFFSETTO:{std}\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:{std}\r\nTZOFFSETTO:{dst}\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n"
    ));
}

const TITLES: [&str; 12] = [
    "Coffee with {}",
    "Lunch",
    "Quick call",
    "1:1",
    "Project sync",
    "Dinner at {}'s",
    "Zoom: roadmap",
    "Design review",
    "Brunch",
    "Catch-up",
    "Interview loop",
    "Planning",
];

const ZONES: [&str; 6] = [
    "Europe/Berlin",
    "America/New_York",
    "W. Europe Standard Time",
    "Pacific Standard Time",
    "Z",
    "floating",
];

/// The DTSTART line of a start at `day` `hour`:00 in zone `zone`.
fn start_line(zone: &str, day: chrono::NaiveDate, hour: u32) -> String {
    let stamp = format!("{}T{hour:02}0000", day.format("%Y%m%d"));
    match zone {
        "Z" => format!("DTSTART:{stamp}Z"),
        "floating" => format!("DTSTART:{stamp}"),
        "allday" => format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")),
        z if z.contains(' ') => format!("DTSTART;TZID=\"{z}\":{stamp}"),
        z => format!("DTSTART;TZID={z}:{stamp}"),
    }
}

/// The calendar text and its VEVENT count.
fn generate(events: usize, emails: &[String], seed: u64) -> (String, usize) {
    let mut rng = Rng(seed | 1);
    let first = chrono::NaiveDate::from_ymd_opt(2016, 12, 1).unwrap_or_default();
    let span = 3652usize;
    let mut out = String::with_capacity(events * 700);
    out.push_str("BEGIN:VCALENDAR\r\nPRODID:-//kith//history_calendar_bench//EN\r\nVERSION:2.0\r\nX-WR-CALNAME:Ten years\r\n");
    windows_zone(&mut out, "W. Europe Standard Time", "+0100", "+0200");
    windows_zone(&mut out, "Pacific Standard Time", "-0800", "-0700");
    let pick = |rng: &mut Rng| -> String {
        if rng.below(5) == 0 {
            format!("stranger{}@elsewhere.example", rng.below(400))
        } else {
            emails[rng.below(emails.len())].clone()
        }
    };
    let mut written = 0usize;
    let mut uid = 0usize;
    let fold = |line: String, out: &mut String| kith::exchange::vcard::fold_line(&line, out);
    while written < events {
        uid += 1;
        let kind = rng.below(100);
        let day = first + chrono::Days::new(u64::try_from(rng.below(span)).unwrap_or(0));
        let zone = if rng.below(10) == 0 {
            "allday"
        } else {
            ZONES[rng.below(ZONES.len())]
        };
        let hour = 8 + u32::try_from(rng.below(10)).unwrap_or(0);
        let size = match kind {
            0..=59 => 1,
            60..=84 => 2 + rng.below(3),
            _ => 6 + rng.below(35),
        };
        let guests: Vec<String> = (0..size).map(|_| pick(&mut rng)).collect();
        let title = TITLES[rng.below(TITLES.len())].replace("{}", "Dana");
        let series = rng.below(50) == 0 && written + 6 < events;
        let mut body = String::new();
        fold(format!("UID:bench-{uid}@kith.example"), &mut body);
        fold(format!("SUMMARY:{title}"), &mut body);
        fold(format!("ORGANIZER;CN=Me:mailto:{ME}"), &mut body);
        for (i, guest) in guests.iter().enumerate() {
            let status = if rng.below(30) == 0 {
                "DECLINED"
            } else {
                "ACCEPTED"
            };
            fold(
                format!(
                    "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={status};CN=\"Guest {i}, {uid}\";X-NUM-GUESTS=0:mailto:{guest}"
                ),
                &mut body,
            );
        }
        if rng.below(20) == 0 {
            fold(
                "ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@kith.example".into(),
                &mut body,
            );
        }
        if rng.below(4) == 0 {
            fold(
                "DESCRIPTION:Join: https://meet.google.com/abc-defg-hij\\nAgenda\\, notes".into(),
                &mut body,
            );
        }
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&start_line(zone, day, hour));
        out.push_str("\r\n");
        out.push_str(&body);
        if rng.below(40) == 0 {
            out.push_str("STATUS:CANCELLED\r\n");
        }
        if series {
            let weekly = rng.below(3) != 0;
            let count = if weekly {
                20 + rng.below(150)
            } else {
                6 + rng.below(40)
            };
            out.push_str(&format!(
                "RRULE:FREQ={};COUNT={count}\r\n",
                if weekly { "WEEKLY" } else { "MONTHLY" }
            ));
            let at = |n: usize| {
                let n = u32::try_from(n).unwrap_or(0);
                if weekly {
                    day + chrono::Days::new(u64::from(n) * 7)
                } else {
                    day.checked_add_months(chrono::Months::new(n))
                        .unwrap_or(day)
                }
            };
            let ex = 1 + rng.below(count - 1);
            if zone != "allday" {
                out.push_str(&start_line(zone, at(ex), hour).replacen("DTSTART", "EXDATE", 1));
                out.push_str("\r\n");
            }
            out.push_str("END:VEVENT\r\n");
            written += 1;
            // Overrides: a moved occurrence (weekly only, so the date is exact).
            if weekly && zone != "allday" {
                for _ in 0..(1 + rng.below(4)).min(events - written) {
                    let n = 1 + rng.below(count - 1);
                    if n == ex {
                        continue;
                    }
                    out.push_str("BEGIN:VEVENT\r\n");
                    out.push_str(&start_line(zone, at(n), hour).replacen(
                        "DTSTART",
                        "RECURRENCE-ID",
                        1,
                    ));
                    out.push_str("\r\n");
                    out.push_str(&start_line(zone, at(n), hour + 1));
                    out.push_str("\r\n");
                    out.push_str(&body.replace("SUMMARY:", "SUMMARY:Moved: "));
                    out.push_str("END:VEVENT\r\n");
                    written += 1;
                }
            }
        } else {
            out.push_str("END:VEVENT\r\n");
            written += 1;
        }
    }
    out.push_str("END:VCALENDAR\r\n");
    (out, written)
}

/// Median of `values` (sorted in place).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let events = arg(&args, "--events", 20_000);
    let people = arg(&args, "--people", 10_000);
    let runs = arg(&args, "--runs", 5).max(1);
    let opts = options();

    let mut model = synth::generate(&SynthParams::scale(people));
    model.me.emails = vec![ME.to_string()];
    let emails: Vec<String> = model
        .live_people()
        .filter_map(|p| p.emails.first().map(|c| c.value.clone()))
        .take(2_000)
        .collect();
    let start = Instant::now();
    let (text, vevents) = generate(events, &emails, 17);
    println!(
        "generated {vevents} VEVENTs, {:.1} MB, in {:.2} s",
        text.len() as f64 / (1 << 20) as f64,
        start.elapsed().as_secs_f64()
    );
    let bytes = text.into_bytes();

    let mut read_times = Vec::new();
    let mut harvest = None;
    for _ in 0..runs {
        let start = Instant::now();
        let h = read_calendar(&bytes, &opts);
        read_times.push(start.elapsed().as_secs_f64());
        harvest = Some(h);
    }
    let Some(harvest) = harvest else {
        return;
    };
    let ignored = harvest.ignored.len();
    println!(
        "read_calendar: median {:.3} s of {runs}; {} encounters, {ignored} ignored, {} problems",
        median(&mut read_times),
        harvest.encounters.len(),
        harvest.problems.len()
    );
    if let Some(problem) = harvest.problems.first() {
        println!("  first problem: line {}: {}", problem.line, problem.reason);
    }

    let mut build_times = Vec::new();
    let mut preview = None;
    for _ in 0..runs {
        let h = harvest.clone();
        let start = Instant::now();
        let p = HistoryPreview::build(
            HistoryFormat::Calendar,
            h,
            "ten-years.ics",
            None,
            &model,
            opts.today,
        );
        build_times.push(start.elapsed().as_secs_f64());
        preview = Some(p);
    }
    let Some(preview) = preview else {
        return;
    };
    println!(
        "HistoryPreview::build ({people} people): median {:.3} s of {runs}; rows {}, people {}, already {}, unknown {}, ignored {:?}",
        median(&mut build_times),
        preview.rows.len(),
        preview.people.len(),
        preview.already,
        preview.unknown.len(),
        preview.ignored
    );

    let start = Instant::now();
    let action = preview.to_action(&model);
    let to_action = start.elapsed().as_secs_f64();
    let mut document = Document::new(model);
    let start = Instant::now();
    let applied = action.map(|a| document.apply(a));
    println!(
        "first import: to_action {to_action:.3} s, apply {:.3} s ({})",
        start.elapsed().as_secs_f64(),
        match applied {
            Some(Ok(())) => "applied".to_string(),
            Some(Err(e)) => format!("refused: {e}"),
            None => "nothing to write".to_string(),
        }
    );
    let first = median(&mut read_times) + median(&mut build_times);

    let mut again_times = Vec::new();
    let mut writes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let h = read_calendar(&bytes, &opts);
        let p = HistoryPreview::build(
            HistoryFormat::Calendar,
            h,
            "ten-years.ics",
            None,
            document.model(),
            opts.today,
        );
        let action = p.to_action(document.model());
        again_times.push(start.elapsed().as_secs_f64());
        writes += usize::from(action.is_some());
        if action.is_some() {
            println!(
                "  re-import would write: rows {}, already {}",
                p.rows.len(),
                p.already
            );
        }
    }
    let again = median(&mut again_times);
    println!(
        "re-import (read + build + to_action): median {again:.3} s of {runs}; runs that would write: {writes}; first import read + build {first:.3} s"
    );
}
