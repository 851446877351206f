//! Fuzz the parsers of what a CardDAV/CalDAV server answers (sync-collection
//! multistatus, home-set PROPFIND): any bytes are refused or read, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    kith::sync::dav::fuzzing::server_answers(data);
});
