//! Fuzz recognising an export and reading it as what it was recognised as:
//! any bytes are recognised (or not) without a panic, never as a Maildir
//! (a folder) nor as history when they start as a vCard, the same way twice,
//! and read by the reader of that format without a panic.
#![no_main]

use chrono::NaiveDate;
use kith::history::source::{detect_bytes, read_bytes};
use kith::history::tz::Zone;
use kith::history::{HistoryFormat, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let format = detect_bytes(data);
    assert_eq!(format, detect_bytes(data));
    assert_ne!(format, Some(HistoryFormat::Maildir));
    if data.starts_with(b"BEGIN:VCARD") {
        assert_eq!(format, None);
    }
    let Some(today) = NaiveDate::from_ymd_opt(2026, 12, 2) else {
        return;
    };
    let opts = ReadOptions {
        today,
        zone: Zone::Utc,
    };
    if let Some(format) = format {
        let _ = read_bytes(format, data, "Dana/WhatsApp Chat with Dana.txt", &opts);
    }
});
