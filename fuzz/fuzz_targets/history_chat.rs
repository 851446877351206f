//! Fuzz the chat readers: any bytes are read by every chat reader and by
//! `detect` without a panic, every problem's line is inside the input, and
//! every encounter is a message day keyed by its service.
#![no_main]

use chrono::NaiveDate;
use kith::history::chat::{detect, read_linkedin, read_signal, read_telegram, read_whatsapp};
use kith::history::tz::Zone;
use kith::history::{Harvest, ReadOptions};
use kith::model::InteractionKind;
use libfuzzer_sys::fuzz_target;

fn check(harvest: &Harvest, service: &str, lines: usize) {
    for problem in &harvest.problems {
        assert!(problem.line >= 1, "{problem:?}");
        assert!(matches!(service, "telegram" | "linkedin") || problem.line <= lines, "{problem:?} of {lines}");
    }
    for encounter in &harvest.encounters {
        assert!(encounter.key.starts_with(&format!("{service}:")), "{}", encounter.key);
        assert_eq!(encounter.kind, InteractionKind::Message);
        assert!(encounter.title.is_empty());
        assert!(encounter.parties.iter().any(|p| !p.me));
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(today) = NaiveDate::from_ymd_opt(2026, 12, 2) else {
        return;
    };
    let opts = ReadOptions { today, zone: Zone::Utc };
    let lines = data.split(|b| *b == b'\n').count();
    let _ = detect(data);
    check(&read_whatsapp(data, "WhatsApp Chat with Dana.txt", &opts), "whatsapp", lines);
    check(&read_signal(data, "Dana/chat.md", &opts), "signal", lines);
    check(&read_telegram(data, &opts), "telegram", lines);
    check(&read_linkedin(data, &opts), "linkedin", lines);
});
