//! Fuzz the RON data-file readers (every file kind, every format version).
#![no_main]

use kith::storage::format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = format::read_person(text);
    let _ = format::read_org(text);
    let _ = format::read_month(text);
    let _ = format::read_me(text);
    let _ = format::read_settings(text);
    let _ = format::read_interests(text);
    let _ = format::read_snapshot(text);
});
