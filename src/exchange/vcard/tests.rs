//! Reader and writer tests on small hand-written cards.

use super::*;
use crate::model::{Contact, DateKind, Label, PartialDate, RelationKind};

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
    for photo in ["QUJD\n RA", "QUJDRA=="] {
        // Broken base64, then valid base64 that is not an image.
        let text = format!(
            "BEGIN:VCARD\nFN:A\nPHOTO;ENCODING=BASE64;JPEG:{photo}\nEMAIL:a@b.c\nEND:VCARD"
        );
        let (_, incoming, _) = crate::exchange::read_contacts(text.as_bytes()).unwrap();
        let item = &incoming[0];
        assert_eq!(item.person.emails, vec![Contact::new("a@b.c")]);
        assert_eq!(item.warnings.len(), 1, "{:?}", item.warnings);
        assert!(item.warnings[0].starts_with("PHOTO skipped"));
        assert!(item.photo.is_none());
        assert!(
            item.person
                .extra
                .iter()
                .all(|(k, _)| !k.starts_with("PHOTO"))
        );
    }
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

#[test]
fn shift_jis_card_reads_as_japanese() {
    let sjis = |text: &str| encoding_rs::SHIFT_JIS.encode(text).0.into_owned();
    let mut file = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:".to_vec();
    file.extend(sjis("安藤;ロイド;;;"));
    file.extend(b"\r\nFN:");
    // FN declares nothing: the card's own charset is used for its 8-bit bytes.
    file.extend(sjis("ロイド 安藤"));
    file.extend(b"\r\nNOTE;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:");
    for byte in sjis("メモ") {
        file.extend(format!("={byte:02X}").bytes());
    }
    file.extend(b"\r\nEND:VCARD\r\n");
    let (cards, skipped) = parse_bytes(&file);
    assert!(skipped.is_empty(), "{skipped:?}");
    let (person, _) = card_to_person(&cards[0]).unwrap();
    assert_eq!(person.name, "ロイド 安藤");
    assert_eq!(person.name_parts.family, "安藤");
    assert_eq!(person.name_parts.given, "ロイド");
    assert_eq!(person.notes, "メモ");
}

#[test]
fn every_field_reads_into_its_place() {
    let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. Jan K. Novak\r\nN:Novak;Jan;K.;Dr.;PhD\r\nNICKNAME:Honza,JK\r\nX-PHONETIC-FIRST-NAME:Yan\r\nORG:Acme;Research;Lab 2\r\nTITLE:Lead\r\nTITLE:Mentor\r\nROLE:Programmer\r\nEMAIL;TYPE=INTERNET,WORK:jan@acme.example\r\nEMAIL;TYPE=INTERNET,HOME,PREF:jan@home.example\r\nTEL;TYPE=CELL:+420 600 100 200\r\nTEL;TYPE=WORK,FAX:+420 2 1234\r\nitem1.TEL:+420 3 333\r\nitem1.X-ABLabel:_$!<Main>!$_\r\nADR;TYPE=HOME:;;1 Main St;Brno;;60200;Czechia\r\nBDAY:--0322\r\nX-ANNIVERSARY:2010-06-01\r\nitem2.X-ABDATE:2015-09-01\r\nitem2.X-ABLabel:kids' school start\r\nitem3.X-ABRELATEDNAMES:Eva Novak\r\nitem3.X-ABLabel:_$!<Spouse>!$_\r\nX-MS-MANAGER:Petr\r\nUID:abc-123\r\nX-CUSTOM:kept\r\nEND:VCARD\r\n";
    let (cards, _) = parse_cards(text);
    let (p, _) = card_to_person(&cards[0]).unwrap();
    assert_eq!(p.name, "Dr. Jan K. Novak");
    assert_eq!(
        (
            p.name_parts.prefix.as_str(),
            p.name_parts.given.as_str(),
            p.name_parts.additional.as_str(),
            p.name_parts.family.as_str(),
            p.name_parts.suffix.as_str()
        ),
        ("Dr.", "Jan", "K.", "Novak", "PhD")
    );
    assert_eq!(p.name_parts.phonetic_given, "Yan");
    assert_eq!(p.nicknames, vec!["Honza", "JK"]);
    assert_eq!(p.organization, "Acme");
    assert_eq!(p.org_units, vec!["Research", "Lab 2"]);
    assert_eq!(p.role, "Lead");
    assert_eq!(p.other_titles, vec!["Mentor"]);
    assert_eq!(p.functions, vec!["Programmer"]);
    assert_eq!(p.emails[0].label, Label::Work);
    assert!(p.emails[1].preferred && p.emails[1].label == Label::Home);
    assert_eq!(p.primary_email(), Some("jan@home.example"));
    assert_eq!(p.phones[0].label, Label::Mobile);
    assert_eq!(p.phones[1].label, Label::Fax);
    assert_eq!(p.phones[2].label, Label::Main);
    assert_eq!(p.addresses[0].locality, "Brno");
    assert_eq!(p.addresses[0].label, Label::Home);
    assert_eq!(
        p.birthday(),
        PartialDate::new(None, Some(3), Some(22)).as_ref()
    );
    assert!(p.dates.iter().any(|d| d.kind == DateKind::Anniversary));
    assert!(
        p.dates
            .iter()
            .any(|d| d.kind == DateKind::Custom("kids' school start".into()))
    );
    assert!(
        p.relations
            .iter()
            .any(|r| r.kind == RelationKind::Spouse && r.name == "Eva Novak")
    );
    assert!(
        p.relations
            .iter()
            .any(|r| r.kind == RelationKind::Manager && r.name == "Petr")
    );
    assert_eq!(p.source_ids, vec!["abc-123"]);
    assert_eq!(p.extra, vec![("X-CUSTOM".to_string(), "kept".to_string())]);
    // Every field survives both writers, and the UID is written back.
    for version in [VcardVersion::V3, VcardVersion::V4] {
        let text = write_cards([&p], version);
        assert!(text.contains("UID:abc-123\r\n"), "{text}");
        let (cards, skipped) = parse_cards(&text);
        assert!(skipped.is_empty(), "{skipped:?}");
        let (mut back, _) = card_to_person(&cards[0]).unwrap();
        back.id = p.id;
        assert_eq!(back, p, "{version:?}\n{text}");
    }
}

#[test]
fn injected_card_text_stays_text() {
    let attack = "x\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Injected\r\nitem1.X-EVIL;A=\"b\":c";
    let mut person = Person::new(attack);
    person.notes = attack.into();
    person.links = vec![attack.into()];
    person.phones = vec![attack.into()];
    person.nicknames = vec![attack.into()];
    person.name_parts.family = attack.into();
    person.tags = vec![attack.into()];
    person.extra = vec![
        ("X-KEPT;TYPE=\"a\r\nEND:VCARD\"".into(), attack.into()),
        ("END".into(), "VCARD".into()),
        ("BAD NAME".into(), "x".into()),
        ("item\n1.X-Y".into(), "x".into()),
    ];
    for version in [VcardVersion::V3, VcardVersion::V4] {
        let text = write_cards([&person], version);
        // Only the real frame lines: one card.
        let begins = text
            .lines()
            .filter(|l| l.eq_ignore_ascii_case("BEGIN:VCARD"))
            .count();
        let ends = text
            .lines()
            .filter(|l| l.eq_ignore_ascii_case("END:VCARD"))
            .count();
        assert_eq!((begins, ends), (1, 1), "{text}");
        for line in text.split("\r\n") {
            assert!(!line.contains(['\r', '\n']), "{line:?}");
            assert!(
                !line.chars().any(|c| c.is_control() && c != '\t'),
                "{line:?}"
            );
        }
        let (cards, _) = parse_cards(&text);
        assert_eq!(cards.len(), 1);
        let (back, _) = card_to_person(&cards[0]).unwrap();
        let as_written = write::writable(attack);
        assert_eq!(back.name, as_written.trim());
        assert_eq!(back.notes, as_written.trim());
        assert!(
            !back
                .extra
                .iter()
                .any(|(k, _)| k == "END" || k.contains(' '))
        );
    }
}

#[test]
fn four_point_oh_export_is_four_point_oh() {
    let text = "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:A\r\nLOGO;ENCODING=BASE64;JPEG:QUJD\r\nGEO:37.38;-122.08\r\nLABEL;HOME:1 Main St\r\nX-FOO;HOME;PREF:x\r\nEND:VCARD\r\n";
    let (cards, _) = parse_cards(text);
    let (person, _) = card_to_person(&cards[0]).unwrap();
    let out = write_cards([&person], VcardVersion::V4);
    assert!(
        out.contains("LOGO:data:image/jpeg;base64,QUJD\r\n"),
        "{out}"
    );
    assert!(out.contains("GEO:geo:37.38,-122.08\r\n"), "{out}");
    assert!(!out.contains("LABEL:"), "{out}");
    assert!(out.contains("X-FOO;TYPE=home;PREF=1:x\r\n"), "{out}");
    assert!(out.contains("\r\nN:;A;;;\r\n"), "{out}");
    // 3.0 keeps 3.0 syntax.
    let out3 = write_cards([&person], VcardVersion::V3);
    assert!(
        out3.contains("LOGO;ENCODING=BASE64;TYPE=JPEG:QUJD\r\n"),
        "{out3}"
    );
}

#[test]
fn group_cards_are_not_people() {
    let file = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann\r\nUID:urn:uuid:11111111-1111-1111-1111-111111111111\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Book club\r\nMEMBER:urn:uuid:11111111-1111-1111-1111-111111111111\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nEMAIL:bob@x.org\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nX-ADDRESSBOOKSERVER-KIND:group\r\nFN:Neighbours\r\nX-ADDRESSBOOKSERVER-MEMBER:mailto:bob@x.org\r\nEND:VCARD\r\n";
    let (_, incoming, skipped) = crate::exchange::read_contacts(file.as_bytes()).unwrap();
    assert_eq!(incoming.len(), 2);
    assert_eq!(incoming[0].person.tags, vec!["Book club"]);
    assert_eq!(incoming[1].person.tags, vec!["Neighbours"]);
    assert_eq!(skipped.len(), 2, "{skipped:?}");
}
