//! Fuzz the CSV writer with round-trip equality as the oracle: people read
//! from any CSV, written as Google CSV and read back, are written and read
//! back the same a second time (one pass normalises; after that nothing
//! changes), and every written file reads back with as many people.
#![no_main]

use kith::exchange::{csv_import, export};
use kith::model::Person;
use libfuzzer_sys::fuzz_target;

fn again(people: &[Person]) -> Vec<Person> {
    let text = export::google_csv(people).expect("kith's own people always write");
    let (_, back, skipped) = csv_import::read_csv(&text).expect("a written CSV reads back");
    assert!(skipped.is_empty(), "{skipped:?}\n{text}");
    assert_eq!(back.len(), people.len(), "{text}");
    back.into_iter()
        .zip(people)
        .map(|((_, mut person), before)| {
            person.id = before.id;
            person
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let mut input = b"First Name,Last Name,Nickname,Birthday,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Address 1 - City,Notes,Labels\n".to_vec();
    input.extend_from_slice(data);
    let text = String::from_utf8_lossy(&input);
    let Ok((_, people, _)) = csv_import::read_csv(&text) else {
        return;
    };
    let people: Vec<Person> = people.into_iter().map(|(_, p)| p).collect();
    if people.is_empty() {
        return;
    }
    let once = again(&people);
    let twice = again(&once);
    assert_eq!(once, twice);
});
