//! Fuzz the vCard writers with round-trip equality as the oracle: whatever
//! a file held, a person read from it, written, read back, written and read
//! again comes back the same (one pass normalises what a vCard cannot
//! carry; after that nothing changes), and each write is one card per person.
#![no_main]

use kith::exchange::vcard::{VcardVersion, card_to_person, parse_cards, write_cards};
use libfuzzer_sys::fuzz_target;

fn again(person: &kith::model::Person, version: VcardVersion) -> kith::model::Person {
    let text = write_cards([person], version);
    let (cards, _) = parse_cards(&text);
    assert_eq!(cards.len(), 1, "one person, one card:\n{text}");
    let (mut back, _) = card_to_person(&cards[0]).expect("a written card reads back");
    back.id = person.id;
    back
}

fuzz_target!(|data: &[u8]| {
    let mut input = b"BEGIN:VCARD\r\nFN:x\r\n".to_vec();
    input.extend_from_slice(data);
    let Ok((_, incoming, _)) = kith::exchange::read_contacts(&input) else {
        return;
    };
    for item in incoming {
        for version in [VcardVersion::V3, VcardVersion::V4] {
            let once = again(&item.person, version);
            let twice = again(&once, version);
            assert_eq!(once, twice, "{version:?}");
        }
    }
});
