//! Fuzz the CSV importers (header detection, preamble, rows): never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for header in [
        &b"Notes:\n\"x\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n"[..],
        &b"Name,Given Name,Additional Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Group Membership\n"[..],
        &b"First Name,Middle Name,Last Name,E-mail Address,Mobile Phone,Company,Job Title\n"[..],
    ] {
        let mut input = header.to_vec();
        input.extend_from_slice(data);
        let _ = kith::exchange::read_contacts(&input);
    }
});
