//! Fuzz the mail reader: any bytes, read as an mbox (and as an mbox after a
//! separator line), give a harvest without a panic, and everything it
//! reports names a message (1-based) and every encounter has a mail key.
#![no_main]

use chrono::NaiveDate;
use kith::history::ReadOptions;
use kith::history::mail::read_mbox;
use kith::history::tz::Zone;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(today) = NaiveDate::from_ymd_opt(2026, 12, 2) else {
        return;
    };
    let opts = ReadOptions {
        today,
        zone: Zone::Utc,
    };
    let mut framed = b"From fuzz@example.com Mon Mar  2 09:15:00 2026\n".to_vec();
    framed.extend_from_slice(data);
    for input in [data, framed.as_slice()] {
        let harvest = read_mbox(input, &opts);
        for problem in &harvest.problems {
            assert!(problem.line >= 1, "{problem:?}");
            assert!(problem.reason.starts_with("message "), "{problem:?}");
        }
        for ignored in &harvest.ignored {
            assert!(ignored.line >= 1, "{ignored:?}");
        }
        for encounter in &harvest.encounters {
            assert!(encounter.line >= 1 && encounter.key.starts_with("mail:"));
            assert!(encounter.date <= today);
            assert!(encounter.parties.iter().any(|p| p.sender));
        }
        assert!(harvest.recipients.len() <= 10);
    }
});
