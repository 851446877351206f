//! Fuzz the vCard reader: any bytes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = b"BEGIN:VCARD\r\n".to_vec();
    input.extend_from_slice(data);
    if let Ok((_, incoming, _)) = kith::exchange::read_contacts(&input) {
        // What we read must also write back out.
        let people: Vec<_> = incoming.iter().map(|i| &i.person).collect();
        let _ = kith::exchange::vcard::write_cards(people, kith::exchange::vcard::VcardVersion::V4);
    }
});
