//! Reader and writer tests on small hand-written cards.

use super::*;
use crate::model::Contact;

#[test]
fn unfolds_all_line_endings_and_indents() {
    let text = "BEGIN:VCARD\r\r\nFN:Jo\r\r\n hn\r\r\nNOTE:a\n\tb\nEND:VCARD\n";
    let (cards, skipped) = parse_cards(text);
    assert!(skipped.is_empty(), "{skipped:?}");
    let (person, _) = card_to_person(&cards[0]).unwrap();
    assert_eq!(person.name, "John");
    assert_eq!(person.notes, "ab");
}

#[test]
fn quoted_printable_soft_breaks_and_charset() {
    let text = "BEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=20=C3=\n=91\nNOTE;QUOTED-PRINTABLE;CHARSET=windows-1252:Do=EB\nEND:VCARD\n";
    let (cards, _) = parse_cards(text);
    let (person, _) = card_to_person(&cards[0]).unwrap();
    assert_eq!(person.name, "Ñ Ñ");
    assert_eq!(person.notes, "Doë");
}

#[test]
fn escapes_and_structured_values() {
    let text = "BEGIN:VCARD\nFN:Mr. John Richter, James Doe Sr.\nN:Doe;John;Richter\\, James;Mr.;Sr.\nORG:Company, The;Dept\nURL:http\\://x.org\nCATEGORIES:a\\, b,c\nEND:VCARD";
    let (cards, _) = parse_cards(text);
    let (person, _) = card_to_person(&cards[0]).unwrap();
    assert_eq!(person.name, "Mr. John Richter, James Doe Sr.");
    assert_eq!(person.organization, "Company, The");
    assert_eq!(person.links, vec![Contact::new("http://x.org")]);
    assert_eq!(person.tags, vec!["a", "b", "c"]);
    assert_eq!(person.name_parts.additional, "Richter, James");
    assert_eq!(person.name_parts.prefix, "Mr.");
    assert_eq!(person.name_parts.suffix, "Sr.");
    assert_eq!(person.org_units, vec!["Dept"]);
}

#[test]
fn apple_groups_and_caret_params_are_kept() {
    let text = "BEGIN:VCARD\nFN:A\nitem1.URL:http\\://a.com\nitem1.X-ABLabel:_$!<HomePage>!$_\nADR;LABEL=\"1 Main^nSt: ^'x^'\":;;1 Main St;;;;\nEND:VCARD";
    let (cards, _) = parse_cards(text);
    assert_eq!(cards[0].properties[1].group.as_deref(), Some("item1"));
    let adr = &cards[0].properties[3];
    assert_eq!(adr.param("LABEL"), Some("1 Main\nSt: \"x\""));
    let (person, _) = card_to_person(&cards[0]).unwrap();
    assert_eq!(
        person.links[0].label,
        crate::model::Label::Custom("HomePage".into())
    );
    assert_eq!(person.addresses[0].street, "1 Main St");
}

#[test]
fn broken_photo_costs_only_the_photo() {
    let text = "BEGIN:VCARD\nFN:A\nPHOTO;ENCODING=BASE64;JPEG:QUJD\n RA\nEMAIL:a@b.c\nEND:VCARD";
    let (cards, _) = parse_cards(text);
    let (person, warnings) = card_to_person(&cards[0]).unwrap();
    assert_eq!(person.emails, vec![Contact::new("a@b.c")]);
    assert_eq!(warnings.len(), 1);
    assert!(person.extra.iter().all(|(k, _)| !k.starts_with("PHOTO")));
}

#[test]
fn card_without_anything_is_rejected() {
    let (cards, _) = parse_cards("BEGIN:VCARD\nVERSION:3.0\nN:;;;;\nEND:VCARD");
    assert!(card_to_person(&cards[0]).is_err());
}

#[test]
fn folding_respects_utf8_and_75_octets() {
    let mut out = String::new();
    fold_line(&format!("NOTE:{}", "é".repeat(60)), &mut out);
    for line in out.split("\r\n") {
        assert!(line.len() <= 75, "{}", line.len());
    }
    let (cards, _) = parse_cards(&format!("BEGIN:VCARD\r\nFN:x\r\n{out}END:VCARD\r\n"));
    let (person, _) = card_to_person(&cards[0]).unwrap();
    assert_eq!(person.notes, "é".repeat(60));
}

#[test]
fn write_then_read_round_trips() {
    let mut person = Person::new("Ann O'Neil; \"Annie\"");
    person.organization = "Acme, Inc".into();
    person.emails = vec!["a@x.org".into(), "b@x.org".into()];
    person.phones = vec!["+1 555 0100".into()];
    person.notes = "line1\nline2, with; stuff\\".into();
    person.tags = vec!["mentor".into()];
    person.interests = vec!["Running".into(), "Boston Marathon".into()];
    person.extra = vec![("item1.X-ABLABEL".into(), "_$!<HomePage>!$_".into())];
    for version in [VcardVersion::V3, VcardVersion::V4] {
        let text = write_cards([&person], version);
        let (cards, skipped) = parse_cards(&text);
        assert!(skipped.is_empty());
        let (back, _) = card_to_person(&cards[0]).unwrap();
        assert_eq!(back.name, person.name);
        assert_eq!(back.organization, person.organization);
        assert_eq!(back.emails, person.emails);
        assert_eq!(back.notes, person.notes);
        assert_eq!(back.tags, person.tags);
        assert_eq!(back.interests, person.interests);
        assert!(
            back.extra
                .contains(&("item1.X-ABLABEL".into(), "_$!<HomePage>!$_".into()))
        );
    }
}
