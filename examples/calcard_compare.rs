//! kith's own vCard reader against calcard 0.3 (Stalwart's vCard/iCalendar
//! parser), on correctness and speed. The results are written up in
//! docs/calcard-comparison.md.
//!
//! `cargo run --release --example calcard_compare [-- CORPUS_DIR [RUNS]]`
//!
//! CORPUS_DIR defaults to `$KITH_CORPUS/vcf`, else `../shared/corpus/vcf`
//! beside the crate. It prints, for every corpus file and two synthetic
//! Shift_JIS cards: the number of cards each reader finds, a list of checks
//! (FN, N, EMAIL, TEL, ADR, BDAY, NOTE against what the corpus MANIFEST and
//! the file itself say) with what each reader gave, then the median parse
//! times on the corpus and on synthetic 10,000- and 100,000-card files, then
//! a follow-up VTODO written with calcard's iCalendar builder.
//!
//! calcard takes `&str`, so its input has to be text first. Two callers are
//! measured: "calcard" does what a caller with bytes does at the least,
//! `String::from_utf8_lossy`; "calcard+decode" first decodes the whole file
//! the best way a caller can without parsing it (BOM or NUL-pattern UTF-16,
//! else UTF-8, else the first `CHARSET=` the file declares, else
//! windows-1252).

use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarAction, ICalendarComponent, ICalendarComponentType, ICalendarDuration,
    ICalendarParameter, ICalendarProperty, ICalendarRelated, ICalendarStatus, ICalendarValue,
    ICalendarValueType,
};
use calcard::vcard::{VCard, VCardParameterName, VCardProperty, VCardValue};
use calcard::{Entry, Parser};
use kith::exchange::text::{decode_file, is_valid_base64, utf16_text};
use kith::exchange::vcard::{Card, card_to_person, parse_bytes, split_unescaped, unescape};
use kith::exchange::vcard::{VcardVersion, write_cards};
use kith::model::{Contact, DateKind, PartialDate, push_contact};
use kith::synth::{SynthParams, generate};
use std::borrow::Cow;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

// The allocator of the kith binary, so both readers allocate as they would
// in the app.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The fields compared, as one reader hands them to its caller.
#[derive(Clone, Debug, Default)]
struct View {
    full_name: String,
    name: String,
    emails: Vec<String>,
    phones: Vec<String>,
    addresses: Vec<String>,
    birthday: String,
    notes: Vec<String>,
    /// Inline photos as decoded byte counts, `dropped` when the reader
    /// dropped a broken one, `uri` for a link.
    photos: Vec<String>,
}

/// Line ends normalised (QP notes carry `=0D=0A`) and outer space trimmed.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_string()
}

/// Structured values joined with `;`, trailing empty components dropped.
fn join_components(parts: &[String]) -> String {
    parts.join(";").trim_end_matches(';').to_string()
}

fn format_partial(year: Option<i64>, month: Option<u32>, day: Option<u32>) -> String {
    let year = year.map_or("--".to_string(), |y| format!("{y:04}"));
    let month = month.map_or("--".to_string(), |m| format!("{m:02}"));
    let day = day.map_or("--".to_string(), |d| format!("{d:02}"));
    format!("{year}-{month}-{day}")
}

fn format_kith_date(date: &PartialDate) -> String {
    format_partial(date.year.map(i64::from), date.month, date.day)
}

/// What kith's reader gives: the properties of `parse_bytes`, unescaped and
/// split with kith's own helpers; BDAY from `card_to_person` (kith's parse
/// step leaves dates as text, its mapping reads them); PHOTO as the decoded
/// size of the base64 the reader unfolded, when it checks.
fn kith_view(card: &Card) -> View {
    let mut view = View::default();
    let text = |value: &str| unescape(value.trim()).trim().to_string();
    for property in &card.properties {
        match property.name.as_str() {
            "FN" if view.full_name.is_empty() => view.full_name = text(&property.value),
            "N" if view.name.is_empty() => {
                view.name = join_components(&split_unescaped(property.value.trim(), ';'));
            }
            "EMAIL" => view.emails.push(text(&property.value)),
            "TEL" => view.phones.push(text(&property.value)),
            "ADR" => view.addresses.push(join_components(&split_unescaped(
                property.value.trim(),
                ';',
            ))),
            "NOTE" => view.notes.push(clean(&unescape(&property.value))),
            // kith's reader unfolds the base64 and checks it; the mapping
            // drops (with a warning) what does not check.
            "PHOTO" => view.photos.push(if !is_inline(&property.params) {
                "uri".into()
            } else if is_valid_base64(&property.value) {
                let data: Vec<u8> = property
                    .value
                    .bytes()
                    .filter(|b| !b.is_ascii_whitespace())
                    .collect();
                let padding = data.iter().rev().take_while(|b| **b == b'=').count();
                (data.len() / 4 * 3 - padding).to_string()
            } else {
                "dropped".into()
            }),
            _ => {}
        }
    }
    if let Ok((person, _)) = card_to_person(card)
        && let Some(date) = person
            .dates
            .iter()
            .find(|d| matches!(d.kind, DateKind::Birthday))
    {
        view.birthday = format_kith_date(&date.date);
    }
    view
}

/// `ENCODING=b` or `BASE64` (kith turns the bare 2.1 `BASE64` into ENCODING).
fn is_inline(params: &[(String, String)]) -> bool {
    params.iter().any(|(name, value)| {
        name == "ENCODING"
            && (value.eq_ignore_ascii_case("b") || value.eq_ignore_ascii_case("base64"))
    })
}

fn calcard_date(date: &PartialDateTime) -> String {
    format_partial(
        date.year.map(i64::from),
        date.month.map(u32::from),
        date.day.map(u32::from),
    )
}

fn calcard_value(value: &VCardValue) -> String {
    match value {
        VCardValue::Text(text) => text.clone(),
        VCardValue::Component(parts) => parts.join(","),
        VCardValue::PartialDateTime(date) => calcard_date(date),
        VCardValue::Binary(data) => format!("<{} binary bytes>", data.data.len()),
        other => format!("{other:?}"),
    }
}

/// What calcard gives, read the obvious way from its typed entries.
fn calcard_view(card: &VCard) -> View {
    let mut view = View::default();
    for entry in &card.entries {
        let values: Vec<String> = entry.values.iter().map(calcard_value).collect();
        let single = || values.join(",").trim().to_string();
        match entry.name {
            VCardProperty::Fn if view.full_name.is_empty() => view.full_name = single(),
            VCardProperty::N if view.name.is_empty() => view.name = join_components(&values),
            VCardProperty::Email => view.emails.push(single()),
            VCardProperty::Tel => view.phones.push(single()),
            VCardProperty::Adr => view.addresses.push(join_components(&values)),
            VCardProperty::Bday if view.birthday.is_empty() => view.birthday = single(),
            VCardProperty::Note => view.notes.push(clean(&values.join(","))),
            VCardProperty::Photo => view.photos.push(match entry.values.first() {
                Some(VCardValue::Binary(data)) => data.data.len().to_string(),
                Some(VCardValue::Text(text)) if text.contains("://") => "uri".into(),
                Some(VCardValue::Text(text)) => format!("text of {} chars", text.len()),
                Some(other) => format!("{other:?}"),
                None => "none".into(),
            }),
            _ => {}
        }
    }
    view
}

/// Every entry calcard's parser returns for `text`, split into cards and
/// the rest (invalid lines, unterminated components…).
fn calcard_parse(text: &str) -> (Vec<VCard>, Vec<String>) {
    let mut parser = Parser::new(text);
    let mut cards = Vec::new();
    let mut other = Vec::new();
    // Every entry consumes input; the bound only guards against a loop.
    for _ in 0..=text.len() {
        match parser.entry() {
            Entry::VCard(card) => cards.push(card),
            Entry::Eof => break,
            entry => other.push(format!("{entry:?}")),
        }
    }
    (cards, other)
}

/// What the least a caller with bytes does: lossy UTF-8.
fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// The best whole-file decoding a caller can do before calcard sees it.
fn predecode(bytes: &[u8]) -> String {
    if utf16_text(bytes).is_some() || std::str::from_utf8(bytes).is_ok() {
        return decode_file(bytes);
    }
    let upper = bytes.to_ascii_uppercase();
    let declared = upper
        .windows(8)
        .position(|w| w == b"CHARSET=")
        .map(|at| {
            bytes[at + 8..]
                .iter()
                .take_while(|b| !matches!(b, b';' | b':' | b','))
                .copied()
                .collect::<Vec<u8>>()
        })
        .and_then(|label| encoding_rs::Encoding::for_label(&label));
    match declared {
        Some(encoding) => encoding.decode(bytes).0.into_owned(),
        None => decode_file(bytes),
    }
}

/// What a check expects of one field of one card.
#[derive(Clone, Copy)]
enum Expect {
    /// Exactly this (lists joined with " | ").
    Is(&'static str),
    /// Contains every one of these.
    Has(&'static [&'static str]),
}

struct Check {
    card: usize,
    field: &'static str,
    expect: Expect,
}

const fn is(card: usize, field: &'static str, value: &'static str) -> Check {
    Check {
        card,
        field,
        expect: Expect::Is(value),
    }
}

const fn has(card: usize, field: &'static str, parts: &'static [&'static str]) -> Check {
    Check {
        card,
        field,
        expect: Expect::Has(parts),
    }
}

fn field(view: &View, name: &str) -> String {
    match name {
        "FN" => view.full_name.clone(),
        "N" => view.name.clone(),
        "EMAIL" => view.emails.join(" | "),
        "TEL" => view.phones.join(" | "),
        "ADR" => view.addresses.join(" | "),
        "BDAY" => view.birthday.clone(),
        "NOTE" => view.notes.join(" | "),
        "PHOTO" => view.photos.join(" | "),
        _ => String::new(),
    }
}

fn passes(got: &str, expect: Expect) -> bool {
    match expect {
        Expect::Is(value) => got == value,
        Expect::Has(parts) => parts.iter().all(|p| got.contains(p)),
    }
}

const NOTE_BSD: &[&str] = &[
    "CONTRIBUTORS \"AS IS\" AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO",
    "SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS",
    "POSSIBILITY OF SUCH DAMAGE.",
];

/// The number of cards, then the checks, for each file. Every expected
/// value is read off the file and MANIFEST.md, not off either reader.
fn expectations(file: &str) -> (usize, Vec<Check>) {
    const SIX_N: &str = "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ";
    match file {
        "ezvcard_John_Doe_ANDROID.vcf" => (
            6,
            vec![
                is(0, "EMAIL", "john.doe@company.com"),
                is(2, "FN", "Ñ Ñ Ñ Ñ Ñ"),
                // The trailing `=20` is a real trailing space.
                is(2, "N", "Ñ Ñ Ñ Ñ "),
                // QP soft breaks (`=` at the end of the line) inside UTF-8.
                is(3, "FN", SIX_N),
                is(3, "N", SIX_N),
                is(3, "TEL", "123456 | 234567 | 3456789 | 45678901"),
                has(3, "NOTE", &["Ñ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ Ñ"]),
                is(4, "N", "Ñ Ñ ;Ñ Ñ Ñ "),
                is(4, "EMAIL", "bob@company.com | ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ"),
                is(5, "FN", "ÑÑÑÑ"),
                is(5, "TEL", "55556666"),
            ],
        ),
        "ezvcard_John_Doe_EVOLUTION.vcf" => (
            1,
            vec![
                is(0, "FN", "Mr. John Richter, James Doe Sr."),
                is(0, "N", "Doe;John;Richter, James;Mr.;Sr."),
                // Folded mid-token.
                is(0, "TEL", "905-666-1234 | 905-555-1234"),
                is(0, "EMAIL", "john.doe@ibm.com"),
                is(
                    0,
                    "ADR",
                    "ASB-123;;15 Crescent moon drive;Albaney;New York;12345;United States of America",
                ),
                is(0, "BDAY", "1980-03-22"),
                has(0, "NOTE", NOTE_BSD),
            ],
        ),
        "ezvcard_John_Doe_GMAIL.vcf" => (
            1,
            vec![
                // Unescaped comma in FN: one value, not two.
                is(0, "FN", "Mr. John Richter, James Doe Sr."),
                is(0, "N", "Doe;John;Richter, James;Mr.;Sr."),
                is(0, "EMAIL", "john.doe@ibm.com"),
                is(0, "TEL", "905-555-1234 | 905-666-1234"),
                is(
                    0,
                    "ADR",
                    ";Crescent moon drive\n555-asd\nNice Area, Albaney, New York 12345\nUnited States of America",
                ),
                is(0, "BDAY", "1980-03-22"),
                has(0, "NOTE", NOTE_BSD),
                has(0, "NOTE", &["DAMAGE.\nFavotire Color: Blue"]),
            ],
        ),
        "ezvcard_John_Doe_IPHONE.vcf" => (
            1,
            vec![
                // CR CR LF on every line.
                is(0, "FN", "Mr. John Richter James Doe Sr."),
                is(0, "N", "Doe;John;Richter,James;Mr.;Sr."),
                is(0, "EMAIL", "john.doe@ibm.com"),
                is(
                    0,
                    "TEL",
                    "905-555-1234 | 905-666-1234 | 905-777-1234 | 905-888-1234 | 905-999-1234 | 905-111-1234 | 905-222-1234",
                ),
                // The unescaped comma stays in the street.
                is(
                    0,
                    "ADR",
                    ";;Silicon Alley 5,;New York;New York;12345;United States of America | ;;Street4\nBuilding 6\nFloor 8;New York;;12345;USA",
                ),
                is(0, "BDAY", "2012-06-06"),
                // 45 KB of base64 folded at 75 characters, CR CR LF.
                is(0, "PHOTO", "32531"),
            ],
        ),
        "ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf" => (
            1,
            vec![
                is(0, "FN", "Mr. John Richter,James Doe Sr."),
                is(0, "N", "Doe;John;Richter,James;Mr.;Sr."),
                is(0, "EMAIL", "john.doe@ibm.com"),
                is(
                    0,
                    "TEL",
                    "905-777-1234 | 905-666-1234 | 905-555-1234 | 905-888-1234 | 905-999-1234 | 905-111-1234 | 905-222-1234",
                ),
                is(
                    0,
                    "ADR",
                    ";;Silicon Alley 5,;New York;New York;12345;United States of America | ;;Street4\nBuilding 6\nFloor 8;New York;;12345;USA",
                ),
                is(0, "BDAY", "2012-06-06"),
                has(0, "NOTE", NOTE_BSD),
                // Empty first line, bare LF continuations, 2-space indents.
                is(0, "PHOTO", "18242"),
            ],
        ),
        "ezvcard_John_Doe_MS_OUTLOOK.vcf" => (
            1,
            vec![
                is(0, "FN", "Mr. John Richter James Doe Sr."),
                is(0, "N", "Doe;John;Richter,James;Mr.;Sr."),
                is(0, "EMAIL", "john.doe@ibm.cm"),
                is(0, "TEL", "(905) 555-1234 | (905) 666-1234"),
                is(
                    0,
                    "ADR",
                    ";;Cresent moon drive;Albaney;New York;12345;United States of America | ;;Silicon Alley 5,;New York;New York;12345;United States of America",
                ),
                // Basic format date.
                is(0, "BDAY", "1980-03-22"),
                has(0, "NOTE", &["GEORGE EL-HADDAD ''AS IS'' AND ANY EXPRESS"]),
                // Ends with a blank line.
                is(0, "PHOTO", "860"),
            ],
        ),
        "ezvcard_fullcontact.vcf" => (
            1,
            vec![
                is(0, "FN", "Prefix FirstName MiddleName LastName Suffix"),
                is(0, "N", "LastName;FirstName;MiddleName;Prefix;Suffix"),
                is(
                    0,
                    "EMAIL",
                    "home@example.com | work@example.com | school@example.com | other@example.com | custom@example.com",
                ),
                has(0, "TEL", &["555-555-1111 | 555-555-1112", "555-555-1119"]),
                has(
                    0,
                    "ADR",
                    &[";HomeExtended;HomeStreet;HomeCity;HomeState;HomePostal;HomeCo"],
                ),
                is(0, "BDAY", "2016-08-01"),
                is(0, "NOTE", "Notes line 1\nNotes line 2"),
            ],
        ),
        "ezvcard_gmail-single2.vcf" => (
            1,
            vec![
                is(0, "FN", "VCard Test"),
                is(0, "N", "Test;VCard"),
                is(
                    0,
                    "EMAIL",
                    "email@example.com | homeemail@example.com | workemail@example.com | otheremail@example.com | customcategory@example.com",
                ),
                has(0, "TEL", &["5555551111 | 5555551112", "5555551121"]),
                has(
                    0,
                    "ADR",
                    &[";;111 Main St;NY;New York;10011", "115 Main St"],
                ),
                is(0, "BDAY", "1912-06-23"),
                is(
                    0,
                    "NOTE",
                    "note line 1\nnote line 2\nCustomField: field value",
                ),
            ],
        ),
        "ezvcard_issue114.vcf" => (
            1,
            vec![
                is(0, "FN", "Dummy, Dummy"),
                is(0, "N", "Dummy;Dummy"),
                is(0, "TEL", "+49 1234 56789 | +49 9876 54321"),
                is(0, "EMAIL", "dummy.dummy@dummy.com"),
                // The unquoted LABEL parameter holds RFC 6868 carets (`^n`,
                // `^'`) and two bare `:`. Carets are parameter syntax and
                // `\n` is value syntax, so the value starts after the
                // second `GERMANY:`: seven components, street third.
                is(
                    0,
                    "ADR",
                    "61352 Bad Homburg\nGERMANY:;BHG01:;Dummy-Dummy-Strasse 1;Bad Homburg;;61352;Germany",
                ),
            ],
        ),
        "ezvcard_outlook-2003.vcf" => (
            1,
            vec![
                is(0, "FN", "John Doe III"),
                is(0, "N", "Doe;John;;Mr.;III"),
                is(0, "EMAIL", "jdoe@hotmail.com"),
                is(
                    0,
                    "TEL",
                    "BusinessPhone | HomePhone | MobilePhone | BusinessFaxPhone",
                ),
                is(
                    0,
                    "ADR",
                    ";TheOffice;123 Main St;Austin;TX;12345;United States of America",
                ),
                is(0, "BDAY", "1980-03-21"),
                // QP with `=0D=0A` and a soft break in the middle of one.
                is(
                    0,
                    "NOTE",
                    "This is the note field!!\nSecond line\n\nThird line is empty",
                ),
            ],
        ),
        "ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf" => (
            1,
            vec![
                is(0, "FN", "John Doe"),
                is(0, "N", "Doe;John"),
                has(
                    0,
                    "EMAIL",
                    &["doe.john@hotmail.com | additional-email@company.com"],
                ),
                is(
                    0,
                    "ADR",
                    ";222 Broadway;Suite 100;New York;NY;98765;USA | ;123 Main St;Apt 10;Austin;TX;12345;USA",
                ),
                is(0, "BDAY", "1970-09-21"),
                is(0, "PHOTO", "8940"),
                is(
                    0,
                    "NOTE",
                    "This is the notes field.\nSecond Line\n\nFourth Line\nYou can put anything in the \"note\" field; even curse words.",
                ),
            ],
        ),
        "radicale_cardbook_bday_no_year.vcf" => (
            1,
            vec![
                is(0, "FN", "Test bday without year Thunderbird CardBook"),
                is(0, "N", ""),
                // 1604 is CardBook's "no year" sentinel.
                is(0, "BDAY", "---01-01"),
            ],
        ),
        "roundcube_apple.vcf" => (
            1,
            vec![
                is(0, "FN", "Apple Computer AG"),
                is(
                    0,
                    "ADR",
                    ";;Birgistrasse 4a;Wallisellen-Zürich;;8304;Switzerland",
                ),
                is(0, "PHOTO", "2043"),
            ],
        ),
        "roundcube_johndoe.vcf" => (
            1,
            vec![
                // Raw windows-1252 bytes.
                is(0, "FN", "John Doë"),
                is(0, "N", "Doë;John"),
                is(0, "EMAIL", "inbox@roundcube.net | roundcube@gmail.com"),
                is(0, "TEL", "+123456789 | +987654321"),
                is(0, "ADR", ";;The street;Hometown;;5555;Cayman Islands"),
                is(0, "NOTE", "The notes..."),
            ],
        ),
        "roundcube_utf-16_sample.vcf" => (
            1,
            vec![
                // UTF-16BE without a BOM.
                is(0, "FN", "Ǽgean ĽdaMonté"),
                is(0, "N", "ĽdaMonté;Ǽgean"),
                is(0, "ADR", ";;169 Mária Canal;LaPaz;Conceptión;245-876;Perú"),
            ],
        ),
        "thunderbird_export_v4.vcf" => (
            2,
            vec![
                is(0, "FN", "contact number one"),
                is(0, "N", "one;contact"),
                is(0, "EMAIL", "contact1@invalid"),
                is(1, "FN", "contact number two"),
                is(1, "NOTE", "here's some unicode text…"),
            ],
        ),
        SJIS_RAW | SJIS_QP => (
            1,
            vec![is(0, "FN", "ロイド 安藤"), is(0, "N", "安藤;ロイド")],
        ),
        _ => (0, Vec::new()),
    }
}

const SJIS_RAW: &str = "synthetic: vCard 2.1, raw Shift_JIS bytes";
const SJIS_QP: &str = "synthetic: vCard 2.1, Shift_JIS in quoted-printable";

/// The Japanese 2.1 card with raw Shift_JIS bytes, and its QP variant.
fn shift_jis_cards() -> Vec<(String, Vec<u8>)> {
    let sjis = |text: &str| encoding_rs::SHIFT_JIS.encode(text).0.into_owned();
    let qp = |bytes: &[u8]| {
        bytes
            .iter()
            .map(|b| format!("={b:02X}"))
            .collect::<String>()
    };
    let (family, given, full) = (sjis("安藤"), sjis("ロイド"), sjis("ロイド 安藤"));
    let mut raw = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:".to_vec();
    raw.extend_from_slice(&family);
    raw.push(b';');
    raw.extend_from_slice(&given);
    raw.extend_from_slice(b";;;\r\nFN;CHARSET=SHIFT_JIS:");
    raw.extend_from_slice(&full);
    raw.extend_from_slice(b"\r\nEND:VCARD\r\n");
    let quoted = format!(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:{};{};;;\r\n\
         FN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:{}\r\nEND:VCARD\r\n",
        qp(&family),
        qp(&given),
        qp(&full)
    );
    vec![
        (SJIS_RAW.to_string(), raw),
        (SJIS_QP.to_string(), quoted.into_bytes()),
    ]
}

fn show(text: &str) -> String {
    let text = text.replace('\n', "\\n").replace('\r', "\\r");
    if text.chars().count() > 90 {
        let head: String = text.chars().take(87).collect();
        format!("{head}…")
    } else {
        text
    }
}

/// One reader's result on one file: cards found and checks passed.
#[derive(Default)]
struct Score {
    cards: usize,
    passed: usize,
}

fn score(views: &[View], checks: &[Check]) -> (Score, Vec<String>) {
    let mut result = Score {
        cards: views.len(),
        passed: 0,
    };
    let mut got = Vec::new();
    for check in checks {
        let value = views
            .get(check.card)
            .map(|v| field(v, check.field))
            .unwrap_or_else(|| "<no such card>".into());
        if passes(&value, check.expect) {
            result.passed += 1;
        }
        got.push(value);
    }
    (result, got)
}

fn correctness(files: &[(String, Vec<u8>)]) {
    println!("## Correctness\n");
    let mut rows = Vec::new();
    let mut totals = [0usize; 4];
    for (name, bytes) in files {
        let (expected_cards, checks) = expectations(name);
        let (cards, skipped) = parse_bytes(bytes);
        let kith: Vec<View> = cards.iter().map(kith_view).collect();
        let (lossy_cards, lossy_other) = calcard_parse(&lossy(bytes));
        let lossy_views: Vec<View> = lossy_cards.iter().map(calcard_view).collect();
        let (decoded_cards, decoded_other) = calcard_parse(&predecode(bytes));
        let decoded_views: Vec<View> = decoded_cards.iter().map(calcard_view).collect();
        let (k, k_got) = score(&kith, &checks);
        let (l, l_got) = score(&lossy_views, &checks);
        let (d, d_got) = score(&decoded_views, &checks);
        println!("### {name}");
        println!(
            "cards: expected {expected_cards}, kith {} ({} skipped lines), calcard {} ({} other entries), calcard+decode {} ({} other entries)",
            k.cards,
            skipped.len(),
            l.cards,
            lossy_other.len(),
            d.cards,
            decoded_other.len()
        );
        for other in lossy_other.iter().take(3) {
            println!("  calcard other entry: {}", show(other));
        }
        for (i, check) in checks.iter().enumerate() {
            let expect = match check.expect {
                Expect::Is(value) => format!("= {}", show(value)),
                Expect::Has(parts) => format!("contains {}", show(&parts.join(" … "))),
            };
            let mark = |got: &str| {
                if passes(got, check.expect) {
                    "ok "
                } else {
                    "BAD"
                }
            };
            println!("  card {} {} {expect}", check.card, check.field);
            println!("    kith           {} {}", mark(&k_got[i]), show(&k_got[i]));
            println!("    calcard        {} {}", mark(&l_got[i]), show(&l_got[i]));
            println!("    calcard+decode {} {}", mark(&d_got[i]), show(&d_got[i]));
        }
        println!();
        let cards_ok = |n: usize| if n == expected_cards { "" } else { " ✗" };
        rows.push(format!(
            "| {name} | {expected_cards} | {}{} | {}{} | {}{} | {}/{n} | {}/{n} | {}/{n} |",
            k.cards,
            cards_ok(k.cards),
            l.cards,
            cards_ok(l.cards),
            d.cards,
            cards_ok(d.cards),
            k.passed,
            l.passed,
            d.passed,
            n = checks.len()
        ));
        totals[0] += checks.len();
        totals[1] += k.passed;
        totals[2] += l.passed;
        totals[3] += d.passed;
    }
    println!(
        "| file | cards | kith | calcard | calcard+decode | kith checks | calcard checks | calcard+decode checks |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for row in rows {
        println!("{row}");
    }
    println!(
        "| **total** | | | | | **{}/{n}** | **{}/{n}** | **{}/{n}** |\n",
        totals[1],
        totals[2],
        totals[3],
        n = totals[0]
    );
}

/// Other corners the MANIFEST names, outside the scored fields: what each
/// reader hands back, shown side by side.
fn extras(files: &[(String, Vec<u8>)]) {
    println!("## Other properties (not scored)\n");
    let wanted: &[(&str, &[&str])] = &[
        (
            "thunderbird_export_v4.vcf",
            &["X-CUSTOM1", "X-CUSTOM2", "X-CUSTOM3", "X-CUSTOM4"],
        ),
        ("ezvcard_John_Doe_GMAIL.vcf", &["URL"]),
        ("ezvcard_John_Doe_IPHONE.vcf", &["URL"]),
        (
            "ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf",
            &["CATEGORIES"],
        ),
        ("ezvcard_outlook-2003.vcf", &["ORG", "FBURL"]),
        ("roundcube_utf-16_sample.vcf", &["X-ABUID"]),
    ];
    for (file, names) in wanted {
        let Some((_, bytes)) = files.iter().find(|(n, _)| n == file) else {
            continue;
        };
        let (cards, _) = parse_bytes(bytes);
        let (calcards, _) = calcard_parse(&predecode(bytes));
        for name in *names {
            let kith: Vec<String> = cards
                .iter()
                .flat_map(|c| &c.properties)
                .filter(|p| p.name == *name)
                .map(|p| show(&unescape(&p.value)))
                .collect();
            let calcard: Vec<String> = calcards
                .iter()
                .flat_map(|c| &c.entries)
                .filter(|e| e.name.as_str().eq_ignore_ascii_case(name))
                .map(|e| {
                    let values: Vec<String> = e.values.iter().map(calcard_value).collect();
                    show(&values.join(" ‖ "))
                })
                .collect();
            println!("{file} {name}");
            println!("    kith    {kith:?}");
            println!("    calcard {calcard:?}");
        }
    }
    // The LABEL parameter of issue114's ADR (RFC 6868 carets).
    if let Some((_, bytes)) = files.iter().find(|(n, _)| n == "ezvcard_issue114.vcf") {
        let (cards, _) = parse_bytes(bytes);
        let label = cards
            .iter()
            .flat_map(|c| &c.properties)
            .find(|p| p.name == "ADR")
            .and_then(|p| p.param("LABEL"))
            .map(show);
        let (calcards, _) = calcard_parse(&lossy(bytes));
        let params = calcards
            .iter()
            .flat_map(|c| &c.entries)
            .find(|e| e.name == VCardProperty::Adr)
            .and_then(|e| {
                e.params
                    .iter()
                    .find(|p| p.name == VCardParameterName::Label)
            })
            .map(|p| show(&format!("{:?}", p.value)));
        println!("ezvcard_issue114.vcf ADR LABEL");
        println!("    kith    {label:?}");
        println!("    calcard {params:?}");
    }
    // Quoted-printable UTF-8 with no CHARSET (what many phones write).
    let bare_qp = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Zo=C3=AB;;;\r\nEND:VCARD\r\n";
    let kith: Vec<String> = parse_bytes(bare_qp)
        .0
        .iter()
        .map(|c| kith_view(c).name)
        .collect();
    let calcard: Vec<String> = calcard_parse(&lossy(bare_qp))
        .0
        .iter()
        .map(|c| calcard_view(c).name)
        .collect();
    println!("synthetic 2.1 N;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Zo=C3=AB (no CHARSET)");
    println!("    kith    {kith:?}");
    println!("    calcard {calcard:?}");
    // The Android card whose PHOTO base64 is truncated (1169 characters).
    if let Some((_, bytes)) = files
        .iter()
        .find(|(n, _)| n == "ezvcard_John_Doe_ANDROID.vcf")
    {
        let (cards, _) = parse_bytes(bytes);
        let kith: Vec<String> = cards.iter().flat_map(|c| kith_view(c).photos).collect();
        let (calcards, _) = calcard_parse(&lossy(bytes));
        let calcard: Vec<String> = calcards
            .iter()
            .flat_map(|c| calcard_view(c).photos)
            .collect();
        println!("ezvcard_John_Doe_ANDROID.vcf PHOTO (decoded bytes)");
        println!("    kith    {kith:?}");
        println!("    calcard {calcard:?}");
    }
    println!();
}

/// The file `examples/vcard_speed.rs write` makes (kith's synthetic people
/// written by kith's 3.0 writer), the one of the earlier 0.07 s / 0.11 s
/// measurement.
fn vcard_speed_file(count: usize) -> Vec<u8> {
    let params = SynthParams {
        interactions: 0,
        ..SynthParams::scale(count)
    };
    let mut model = generate(&params);
    for (i, person) in model.people.values_mut().enumerate() {
        person.notes = format!("Met at event {i}; talked about jobs, kids\nand \"sailing\".");
        push_contact(
            &mut person.phones,
            Contact::new(format!("+1 617 555 {:04}", i % 10_000)),
        );
        person
            .extra
            .push(("item1.X-ABLABEL".into(), "_$!<HomePage>!$_".into()));
        push_contact(
            &mut person.links,
            Contact::new(format!("https://example.com/people/{i}")),
        );
    }
    write_cards(model.people.values(), VcardVersion::V3).into_bytes()
}

/// A deterministic synthetic file: vCard 3.0 cards with FN, N, two EMAIL,
/// two TEL, ADR and a folded NOTE with escapes; every fifth card is a 2.1
/// card with UTF-8 quoted-printable N, FN and NOTE (with a soft break).
fn synthetic(count: usize) -> Vec<u8> {
    const GIVEN: &[&str] = &[
        "Ada", "Zoë", "José", "Grace", "Łukasz", "Mei", "Sven", "Chloé", "Omar", "Ingrid",
    ];
    const FAMILY: &[&str] = &[
        "Lovelace",
        "Müller",
        "García",
        "Hopper",
        "Nowak",
        "Chen",
        "Ødegaard",
        "Dubois",
        "Haddad",
        "Björk",
    ];
    const CITY: &[&str] = &["Zürich", "Boston", "Kraków", "Lyon", "Osaka"];
    let qp = |text: &str| -> String {
        let mut out = String::new();
        let mut width = 0;
        for b in text.bytes() {
            let piece = if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("={b:02X}")
            };
            if width + piece.len() > 72 {
                out.push_str("=\r\n");
                width = 0;
            }
            width += piece.len();
            out.push_str(&piece);
        }
        out
    };
    let mut out = String::with_capacity(count * 520);
    let line = |text: &str, out: &mut String| kith::exchange::vcard::fold_line(text, out);
    for i in 0..count {
        let given = GIVEN[i % GIVEN.len()];
        let family = FAMILY[(i / GIVEN.len()) % FAMILY.len()];
        let city = CITY[i % CITY.len()];
        let full = format!("{given} {family} {i}");
        let note = format!(
            "Met at event {i}; talked about jobs, kids and \"sailing\".\nFollow up in spring about the {city} office, the board seat and the referral."
        );
        out.push_str("BEGIN:VCARD\r\n");
        if i % 5 == 4 {
            out.push_str("VERSION:2.1\r\n");
            out.push_str(&format!(
                "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{};{};;;\r\n",
                qp(&format!("{family} {i}")),
                qp(given)
            ));
            out.push_str(&format!(
                "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{}\r\n",
                qp(&full)
            ));
            out.push_str(&format!(
                "EMAIL;INTERNET;HOME:{}.{i}@example.com\r\n",
                given.to_ascii_lowercase()
            ));
            out.push_str(&format!("EMAIL;INTERNET;WORK:p{i}@work.example.org\r\n"));
            out.push_str(&format!("TEL;CELL;PREF:+1 617 555 {:04}\r\n", i % 10_000));
            out.push_str(&format!("TEL;WORK;VOICE:+44 20 7946 {:04}\r\n", i % 10_000));
            out.push_str(&format!(
                "ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;{};{};;{:05};{}\r\n",
                qp(&format!("{} Main St", i % 900 + 1)),
                qp(city),
                i % 100_000,
                qp("Switzerland")
            ));
            out.push_str(&format!(
                "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{}\r\n",
                qp(&note)
            ));
        } else {
            out.push_str("VERSION:3.0\r\n");
            line(&format!("FN:{full}"), &mut out);
            line(&format!("N:{family} {i};{given};;;"), &mut out);
            line(
                &format!(
                    "EMAIL;TYPE=INTERNET,HOME:{}.{i}@example.com",
                    given.to_ascii_lowercase()
                ),
                &mut out,
            );
            line(
                &format!("EMAIL;TYPE=INTERNET,WORK:p{i}@work.example.org"),
                &mut out,
            );
            line(
                &format!("TEL;TYPE=CELL,pref:+1 617 555 {:04}", i % 10_000),
                &mut out,
            );
            line(
                &format!("TEL;TYPE=WORK,VOICE:+44 20 7946 {:04}", i % 10_000),
                &mut out,
            );
            line(
                &format!(
                    "ADR;TYPE=HOME:;;{} Main St\\, Apt {};{city};;{:05};Switzerland",
                    i % 900 + 1,
                    i % 40,
                    i % 100_000
                ),
                &mut out,
            );
            line(
                &format!("NOTE:{}", kith::exchange::vcard::escape(&note)),
                &mut out,
            );
        }
        out.push_str("END:VCARD\r\n");
    }
    out.into_bytes()
}

fn median(mut times: Vec<f64>) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

/// Timings of the three readers, interleaved (one run of each in turn,
/// so that load from other processes falls on all of them alike): for
/// each, the median and the fastest of `runs` runs, each `passes` calls
/// (seconds per call), and what the last call returned.
fn time_interleaved(
    runs: usize,
    passes: usize,
    readers: &[&dyn Fn() -> usize],
) -> Vec<(f64, f64, usize)> {
    let mut times = vec![Vec::with_capacity(runs); readers.len()];
    let mut counts = vec![0; readers.len()];
    for run in 0..runs {
        for offset in 0..readers.len() {
            // Rotate who goes first, so none always runs on a warm cache.
            let which = (run + offset) % readers.len();
            let start = Instant::now();
            for _ in 0..passes {
                counts[which] = black_box(readers[which]());
            }
            times[which].push(start.elapsed().as_secs_f64() / passes as f64);
        }
    }
    times
        .into_iter()
        .zip(counts)
        .map(|(t, count)| {
            let fastest = t.iter().copied().fold(f64::INFINITY, f64::min);
            (median(t), fastest, count)
        })
        .collect()
}

fn calcard_count(bytes: &[u8]) -> usize {
    calcard_parse(&lossy(bytes)).0.len()
}

/// calcard's parse plus reading the compared fields out of its typed
/// entries: a lower bound for what a calcard-based import would add.
fn calcard_fields(bytes: &[u8]) -> usize {
    calcard_parse(&lossy(bytes))
        .0
        .iter()
        .map(calcard_view)
        .filter(|view| !view.full_name.is_empty() || !view.emails.is_empty())
        .count()
}

fn kith_count(bytes: &[u8]) -> usize {
    parse_bytes(bytes).0.len()
}

fn kith_people(bytes: &[u8]) -> usize {
    parse_bytes(bytes)
        .0
        .iter()
        .filter_map(|card| card_to_person(card).ok())
        .count()
}

fn speed(files: &[(String, Vec<u8>)], runs: usize) {
    println!("## Speed ({runs} interleaved runs, release)\n");
    println!(
        "Load average at the start: {}\n",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let corpus: Vec<&[u8]> = files
        .iter()
        .filter(|(name, _)| !name.starts_with("synthetic"))
        .map(|(_, bytes)| bytes.as_slice())
        .collect();
    let corpus_bytes: usize = corpus.iter().map(|b| b.len()).sum();
    let ten = synthetic(10_000);
    let hundred = synthetic(100_000);
    let bench = vcard_speed_file(10_000);
    println!(
        "| input | bytes | calcard parse (ms) | calcard parse + field read-out (ms) | kith parse_bytes (ms) | kith parse_bytes + card_to_person (ms) | kith parse / calcard parse | kith full / calcard parse |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let inputs: [(String, usize, usize, Vec<&[u8]>); 4] = [
        (
            format!("whole corpus ({} files), per pass", corpus.len()),
            corpus_bytes,
            200,
            corpus.clone(),
        ),
        ("synthetic 10,000 cards".into(), ten.len(), 1, vec![&ten]),
        (
            "synthetic 100,000 cards".into(),
            hundred.len(),
            1,
            vec![&hundred],
        ),
        (
            "vcard_speed.rs bench file, 10,000 cards".into(),
            bench.len(),
            1,
            vec![&bench],
        ),
    ];
    for (label, bytes, passes, parts) in inputs {
        let parts = &parts;
        let over = |f: fn(&[u8]) -> usize| move || parts.iter().map(|b| f(b)).sum::<usize>();
        let (calcard, fields) = (over(calcard_count), over(calcard_fields));
        let (kith, full) = (over(kith_count), over(kith_people));
        let result = time_interleaved(runs, passes, &[&calcard, &fields, &kith, &full]);
        let [
            (c, c_min, c_n),
            (v, v_min, v_n),
            (k, k_min, k_n),
            (f, f_min, f_n),
        ] = result[..]
        else {
            continue;
        };
        let ms = |s: f64| format!("{:.2}", s * 1000.0);
        println!(
            "| {label} | {bytes} | {} / {} ({c_n} cards) | {} / {} ({v_n} cards) | {} / {} ({k_n} cards) | {} / {} ({f_n} people) | {:.2}× | {:.2}× |",
            ms(c),
            ms(c_min),
            ms(v),
            ms(v_min),
            ms(k),
            ms(k_min),
            ms(f),
            ms(f_min),
            k / c,
            f / c
        );
    }
    println!(
        "\nTimes in ms per parse, median / fastest; ratios are of medians (below 1: kith is faster).\n\
         Load average at the end: {}",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    println!();
}

/// One follow-up as a VTODO with a morning alarm, built with calcard's
/// iCalendar types, the way `export::follow_ups_ics` writes it by hand.
fn ics_demo() {
    println!("## calcard iCalendar writer\n");
    let mut calendar = ICalendar {
        components: vec![ICalendarComponent::new(ICalendarComponentType::VCalendar)],
    };
    let root = &mut calendar.components[0];
    root.add_property(ICalendarProperty::Version, "2.0".to_string());
    root.add_property(
        ICalendarProperty::Prodid,
        "-//kith//follow-ups//EN".to_string(),
    );
    root.component_ids.push(1);
    let mut todo = ICalendarComponent::new(ICalendarComponentType::VTodo);
    todo.add_uid("7f1c0e0a-5a43-4f55-9d55-1c4b8b7d2c11@kith");
    todo.add_dtstamp(PartialDateTime {
        year: Some(2026),
        month: Some(3),
        day: Some(1),
        hour: Some(9),
        minute: Some(0),
        second: Some(0),
        tz_hour: Some(0),
        tz_minute: Some(0),
        tz_minus: false,
    });
    todo.add_property_with_params(
        ICalendarProperty::Due,
        [ICalendarParameter::value(ICalendarValueType::Date)],
        PartialDateTime {
            year: Some(2026),
            month: Some(3),
            day: Some(14),
            ..Default::default()
        },
    );
    let summary = "Follow up with Zoë Müller, José García; re: \"sailing\"";
    todo.add_property(ICalendarProperty::Summary, summary.to_string());
    todo.add_property(
        ICalendarProperty::Description,
        "After coffee on 2026-02-28.\nShe asked about the board seat, the referral and the Zürich office; send the deck."
            .to_string(),
    );
    todo.add_property(
        ICalendarProperty::Status,
        ICalendarValue::Status(ICalendarStatus::NeedsAction),
    );
    todo.component_ids.push(2);
    let mut alarm = ICalendarComponent::new(ICalendarComponentType::VAlarm);
    alarm.add_property(
        ICalendarProperty::Action,
        ICalendarValue::Action(ICalendarAction::Display),
    );
    alarm.add_property(ICalendarProperty::Description, summary.to_string());
    alarm.add_property_with_params(
        ICalendarProperty::Trigger,
        [ICalendarParameter::related(ICalendarRelated::End)],
        ICalendarValue::Duration(ICalendarDuration {
            hours: 9,
            ..Default::default()
        }),
    );
    calendar.components.push(todo);
    calendar.components.push(alarm);
    let text = calendar.to_string();
    println!("```");
    print!("{}", text.replace("\r\n", "\n"));
    println!("```");
    let reparsed = calcard_reparse_ics(&text);
    println!(
        "CRLF line ends: {}; longest line {} octets; calcard re-reads it: {reparsed}\n",
        text.contains("\r\n"),
        text.lines().map(str::len).max().unwrap_or(0)
    );
}

fn calcard_reparse_ics(text: &str) -> bool {
    matches!(Parser::new(text).entry(), Entry::ICalendar(_))
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let dir = match args.get(1) {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("KITH_CORPUS")
            .map(|c| PathBuf::from(c).join("vcf"))
            .unwrap_or_else(|| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/vcf")
            }),
    };
    let runs: usize = args.get(2).map(|s| s.parse()).transpose()?.unwrap_or(7);
    let mut files = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "vcf"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        files.push((name, std::fs::read(&path)?));
    }
    anyhow::ensure!(!files.is_empty(), "no .vcf files in {}", dir.display());
    files.extend(shift_jis_cards());
    println!(
        "# kith vs calcard 0.3 ({} corpus files in {})\n",
        files.len() - 2,
        dir.display()
    );
    correctness(&files);
    extras(&files);
    speed(&files, runs);
    ics_demo();
    Ok(())
}
