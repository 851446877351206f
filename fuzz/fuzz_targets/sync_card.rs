//! Fuzz what kith PUTs to a CardDAV server, with round-trip equality as the
//! oracle: a person read from any card, written as the sync writes it and
//! read back, has the same synced fields, so the next sync finds nothing to do.
#![no_main]

use kith::sync::Account;
use kith::sync::merge::{card_text, parse_card, project};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\n");
    input.push_str(&String::from_utf8_lossy(data));
    let Ok(person) = parse_card(&input) else {
        return;
    };
    for (kith_fields, notes) in [(false, false), (true, true)] {
        let mut account = Account::new("fuzz", "https://dav.example.com/", "alice");
        account.write_kith_fields = kith_fields;
        account.sync_notes = notes;
        let once = card_text(&person, &account, None, None);
        let mut back = parse_card(&once).expect("a card kith wrote reads back");
        back.id = person.id;
        assert!(
            project(&back, &account, kith_fields) == project(&person, &account, kith_fields),
            "{once}"
        );
    }
});
