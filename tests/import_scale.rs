//! Imports at scale read what they read before: a vCard file read in
//! pieces gives the cards, people, lines and notes of reading it whole, and
//! a file told apart from a prefix of its text is told as from the whole.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kith::exchange::vcard::{card_to_person, parse_bytes};
use kith::exchange::{ImportError, ImportFormat, Skipped, csv_import, read_contacts, text};
use kith::model::{Person, PersonId};
use std::fmt::Write as _;

/// Tricky stretches for piece boundaries to fall on, each ending with LF.
fn tricky(i: usize) -> String {
    let pad = "x".repeat(i % 97);
    let snippets = [
        format!("BEGIN:VCARD\nVERSION:3.0\nFN:Plain {i} {pad}\nEMAIL:p{i}@x.org\nEND:VCARD\n"),
        format!("BEGIN:VCARD\r\nFN:Crlf {i}\r\nTEL:+1 555 {i}\r\nEND:VCARD\r\n"),
        // A soft break whose next line reads BEGIN:VCARD: it is note text.
        format!(
            "BEGIN:VCARD\nVERSION:2.1\nFN:Soft {i}\nNOTE;ENCODING=QUOTED-PRINTABLE:a=3Db=\nBEGIN:VCARD\nEND:VCARD\n"
        ),
        // A soft break across an empty line, then a BEGIN line.
        format!(
            "BEGIN:VCARD\nVERSION:2.1\nFN:Empty {i}\nNOTE;ENCODING=QUOTED-PRINTABLE:a==\n\nBEGIN:VCARD\nEND:VCARD\n"
        ),
        // A BEGIN line with a line folded onto it is not a BEGIN line.
        format!("BEGIN:VCARD\n FOLDED\nFN:Folded {i}\nEND:VCARD\n"),
        format!("BEGIN:VCARD\nFN:No end {i}\n"),
        format!("stray text {i}\n"),
        "END:VCARD\n".to_string(),
        "x\n".to_string(),
        format!("begin:vcard\nfn:Lower {i}\nend:vcard\n"),
        format!("BEGIN:VCARD\nFN;CHARSET=ISO-8859-1:Caf\u{e9} {i}\nEND:VCARD\n"),
        format!("BEGIN:VCARD   \nFN:Trailing {i}\nNOTE:nul \0 inside\nEND:VCARD\n"),
        format!("BEGIN:VCARD\nFN:Folded note {i}\nNOTE:one\n  two\nEND:VCARD\n\n\n"),
    ];
    snippets[i % snippets.len()].clone()
}

/// Bytes of a text, with the ISO-8859-1 card's é written as one byte.
fn latin1_bytes(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        if c == '\u{e9}' {
            out.push(0xE9);
        } else {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    out
}

/// People read from a file (ids cleared), with their lines and warnings,
/// and the skipped lines in order.
type Read = (Vec<(usize, Person, Vec<String>)>, Vec<Skipped>);

/// What reading the whole file at once gives.
fn read_whole(bytes: &[u8]) -> Read {
    let (cards, mut skipped) = parse_bytes(bytes);
    let mut people = Vec::new();
    for card in &cards {
        match card_to_person(card) {
            Ok((mut person, warnings)) => {
                person.id = PersonId::default();
                people.push((card.line, person, warnings));
            }
            Err(reason) => skipped.push(Skipped {
                line: card.line,
                reason,
            }),
        }
    }
    skipped.sort_by_key(|s| s.line);
    (people, skipped)
}

/// What `read_contacts` gives, which reads a large file in pieces.
fn read_in_pieces(bytes: &[u8]) -> Read {
    let (format, incoming, skipped) = read_contacts(bytes).unwrap();
    assert_eq!(format, ImportFormat::Vcard);
    let people = incoming
        .into_iter()
        .map(|mut item| {
            item.person.id = PersonId::default();
            (item.line, item.person, item.warnings)
        })
        .collect();
    (people, skipped)
}

#[test]
fn a_vcard_file_read_in_pieces_reads_as_the_whole_file() {
    for line_end in ["\n", "\r\n"] {
        let mut text = String::new();
        let mut i = 0;
        // Over three pieces of a megabyte, boundaries on every kind of stretch.
        while text.len() < 3_500_000 {
            text.push_str(&tricky(i).replace('\n', line_end));
            i += 1;
        }
        let bytes = latin1_bytes(&text);
        let whole = read_whole(&bytes);
        let pieces = read_in_pieces(&bytes);
        assert!(whole.0.len() > 10_000);
        assert_eq!(pieces.0.len(), whole.0.len());
        for (a, b) in pieces.0.iter().zip(&whole.0) {
            assert_eq!(a, b);
        }
        assert_eq!(pieces.1, whole.1);
    }
}

#[test]
fn a_group_card_tags_members_from_every_piece() {
    let mut text = String::new();
    let mut count = 0;
    while text.len() < 2_500_000 {
        write!(
            text,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Member {count}\r\nUID:urn:uuid:m-{count}\r\nEND:VCARD\r\n"
        )
        .unwrap();
        count += 1;
    }
    // A few members only: tagging is a scan of the file's people per member.
    let members = [0, count / 2, count - 1];
    text.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:All\r\n");
    for i in members {
        write!(text, "MEMBER:urn:uuid:m-{i}\r\n").unwrap();
    }
    text.push_str("END:VCARD\r\n");
    let (_, incoming, skipped) = read_contacts(text.as_bytes()).unwrap();
    assert_eq!(incoming.len(), count);
    for (i, item) in incoming.iter().enumerate() {
        let tags: &[&str] = if members.contains(&i) { &["All"] } else { &[] };
        assert_eq!(item.person.tags, tags, "{i}");
    }
    assert_eq!(skipped.len(), 1);
    assert!(skipped[0].reason.contains("on 3 of its 3 members"));
}

fn google_rows(rows: usize) -> String {
    let mut text = String::new();
    for i in 0..rows {
        writeln!(text, "Ann,Lee {i},ann{i}@x.org").unwrap();
    }
    text
}

/// What the whole text says: a contacts CSV or not.
fn csv_by_whole_text(bytes: &[u8]) -> bool {
    csv_import::looks_like_csv(&text::decode_file(bytes))
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

#[test]
fn a_file_is_told_from_a_prefix_as_from_its_whole_text() {
    let header = "First Name,Last Name,E-mail 1 - Value\n";
    let junk = |n: usize| "just some words\n".repeat(n);
    let big_quote = format!("\"{}\"\n", "a long cell\n".repeat(30_000));
    let mut cp1252 = format!("{header}{}", google_rows(10_000)).into_bytes();
    cp1252.extend_from_slice(b"Ren\xE9,Roux,rene@x.org\n");
    // Valid UTF-8 for its first megabyte, not as a whole: read as windows-1252.
    let mut late_invalid =
        format!("{header}Zo\u{eb},Lee,zoe@x.org\n{}", google_rows(40_000)).into_bytes();
    late_invalid.extend_from_slice(b"Bad\xFF,Byte,bad@x.org\n");
    let cases: Vec<(&str, Vec<u8>, bool)> = vec![
        ("google", format!("{header}{}", google_rows(10_000)).into_bytes(), true),
        (
            "linkedin preamble",
            format!(
                "Notes:\n\"When exporting, some e-mails are hidden.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\n{}",
                google_rows(10_000)
            )
            .into_bytes(),
            true,
        ),
        ("header at record 20", format!("{}{header}{}", junk(19), google_rows(10_000)).into_bytes(), true),
        ("header at record 21", format!("{}{header}{}", junk(20), google_rows(10_000)).into_bytes(), false),
        ("huge first record", format!("{big_quote}{header}{}", google_rows(100)).into_bytes(), true),
        ("huge record 21", format!("{}{big_quote}{header}", junk(20)).into_bytes(), false),
        ("utf-16", utf16le(&format!("{header}{}", google_rows(10_000))), true),
        ("windows-1252", cp1252, true),
        ("utf-8 until late", late_invalid, true),
        ("garbage", kith::synth::files::garbage(1 << 20, 3), false),
        ("prose", junk(100_000).into_bytes(), false),
    ];
    for (name, bytes, is_csv) in cases {
        assert!(
            bytes.len() > 64 << 10,
            "{name} is too small to test a prefix"
        );
        assert_eq!(csv_by_whole_text(&bytes), is_csv, "{name}: the case itself");
        match read_contacts(&bytes) {
            Ok((ImportFormat::Csv(_), incoming, _)) => {
                assert!(is_csv, "{name} read as CSV");
                assert!(!incoming.is_empty());
                if name == "windows-1252" {
                    assert_eq!(incoming.last().unwrap().person.name, "René Roux");
                }
            }
            Err(ImportError::UnknownFormat) => assert!(!is_csv, "{name} refused"),
            other => panic!("{name}: {:?}", other.map(|(f, i, _)| (f, i.len()))),
        }
    }
}

#[test]
fn cards_after_a_long_preamble_are_still_found() {
    let card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEND:VCARD\r\n";
    let prose = "From: someone\nSubject: contacts\n\n".to_string() + &"words ".repeat(50_000);
    for bytes in [
        format!("{prose}\n{card}").into_bytes(),
        format!("{prose}\n{}", card.to_lowercase()).into_bytes(),
        utf16le(&format!("{prose}\n{card}")),
    ] {
        let (format, incoming, _) = read_contacts(&bytes).unwrap();
        assert_eq!(format, ImportFormat::Vcard);
        assert_eq!(incoming.len(), 1);
    }
    assert_eq!(
        read_contacts(prose.as_bytes()).unwrap_err(),
        ImportError::UnknownFormat
    );
}
