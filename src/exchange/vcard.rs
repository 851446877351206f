//! vCard 2.1 / 3.0 / 4.0 reader and 3.0 / 4.0 writer.
//!
//! The reader is forgiving in the ways real exports need: CRLF, LF and
//! CR CR LF line ends, space or tab folding, quoted-printable soft breaks,
//! CHARSET parameters, bare 2.1 parameters, Apple `itemN.` groups, escaped and
//! unescaped separators, RFC 6868 caret encoding, and broken base64 photos
//! (which cost only the photo).

use super::text::{decode_charset, decode_quoted_printable, is_valid_base64};
use super::{Skipped, normalize_phone};
use crate::model::{Person, Stage};

/// One unfolded property line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    /// Group prefix (`item1`), if any.
    pub group: Option<String>,
    /// Upper-cased property name.
    pub name: String,
    /// Parameters as (UPPER name, value); bare 2.1 params become TYPE or ENCODING.
    pub params: Vec<(String, String)>,
    /// The value, decoded from quoted-printable if needed, still vCard-escaped.
    pub value: String,
}

impl Property {
    /// The first value of a parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Parameters back to `;NAME=value` text (for keeping unknown properties).
    fn params_text(&self) -> String {
        let mut out = String::new();
        for (name, value) in &self.params {
            if name == "ENCODING" && value.eq_ignore_ascii_case("QUOTED-PRINTABLE")
                || name == "CHARSET"
            {
                continue;
            }
            out.push(';');
            out.push_str(name);
            out.push('=');
            if value.contains([':', ';', ',']) {
                out.push('"');
                out.push_str(&value.replace('"', "'"));
                out.push('"');
            } else {
                out.push_str(value);
            }
        }
        out
    }
}

/// One card, with the line it started on.
#[derive(Clone, Debug, Default)]
pub struct Card {
    /// 1-based line of `BEGIN:VCARD`.
    pub line: usize,
    /// Its properties in order.
    pub properties: Vec<Property>,
}

/// Split text into physical lines: `\n` ends a line; trailing `\r`s are dropped
/// (CRLF and CR CR LF); a CR-only file is split on `\r`.
fn physical_lines(text: &str) -> Vec<&str> {
    if !text.contains('\n') && text.contains('\r') {
        return text.split('\r').collect();
    }
    text.split('\n').map(|l| l.trim_end_matches('\r')).collect()
}

/// Index of the first `:` outside double quotes (the name/value separator).
fn value_colon(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

fn is_quoted_printable(head: &str) -> bool {
    head.to_ascii_uppercase().contains("QUOTED-PRINTABLE")
}

/// Unfold into logical lines with their starting physical line numbers.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut qp_continues = false;
    for (index, line) in physical_lines(text).into_iter().enumerate() {
        if qp_continues && let Some((_, current)) = out.last_mut() {
            // Quoted-printable soft break: `=` at the end joins the next line as is.
            current.pop();
            current.push_str(line);
        } else if line.is_empty() {
            continue;
        } else if (line.starts_with(' ') || line.starts_with('\t')) && !out.is_empty() {
            if let Some((_, current)) = out.last_mut() {
                current.push_str(&line[1..]);
            }
        } else {
            out.push((index + 1, line.to_string()));
        }
        qp_continues = out.last().is_some_and(|(_, current)| {
            current.ends_with('=')
                && value_colon(current).is_some_and(|colon| is_quoted_printable(&current[..colon]))
        });
    }
    out
}

fn split_params(head: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in head.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                parts.push(&head[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&head[start..]);
    parts
}

/// RFC 6868 caret decoding for parameter values.
fn decode_caret(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '^' {
            match chars.peek() {
                Some('n') | Some('N') => {
                    chars.next();
                    out.push('\n');
                }
                Some('^') => {
                    chars.next();
                    out.push('^');
                }
                Some('\'') => {
                    chars.next();
                    out.push('"');
                }
                _ => out.push('^'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn parse_property(line: &str) -> Option<Property> {
    let colon = value_colon(line)?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let mut parts = split_params(head).into_iter();
    let name_part = parts.next()?.trim();
    let (group, name) = match name_part.rsplit_once('.') {
        Some((group, name)) => (Some(group.to_string()), name),
        None => (None, name_part),
    };
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let mut params = Vec::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match part.split_once('=') {
            Some((key, raw)) => {
                let key = key.trim().to_ascii_uppercase();
                let raw = raw.trim();
                let raw = raw
                    .strip_prefix('"')
                    .and_then(|r| r.strip_suffix('"'))
                    .unwrap_or(raw);
                params.push((key, decode_caret(raw)));
            }
            None => {
                let upper = part.to_ascii_uppercase();
                let key = match upper.as_str() {
                    "QUOTED-PRINTABLE" | "BASE64" | "8BIT" | "7BIT" | "B" => "ENCODING",
                    _ => "TYPE",
                };
                params.push((key.to_string(), part.to_string()));
            }
        }
    }
    let mut property = Property {
        group,
        name: name.to_ascii_uppercase(),
        params,
        value: value.to_string(),
    };
    if property
        .param("ENCODING")
        .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
    {
        let bytes = decode_quoted_printable(&property.value);
        property.value = decode_charset(&bytes, property.param("CHARSET"));
    }
    Some(property)
}

/// Parse every card in `text`. Lines that are not properties are reported and skipped.
pub fn parse_cards(text: &str) -> (Vec<Card>, Vec<Skipped>) {
    let mut cards = Vec::new();
    let mut skipped = Vec::new();
    let mut current: Option<Card> = None;
    for (line_number, line) in logical_lines(text) {
        let upper = line.trim().to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if let Some(open) = current.take() {
                skipped.push(Skipped {
                    line: open.line,
                    reason: "card without END:VCARD (kept what it had)".into(),
                });
                cards.push(open);
            }
            current = Some(Card {
                line: line_number,
                properties: Vec::new(),
            });
            continue;
        }
        if upper == "END:VCARD" {
            match current.take() {
                Some(card) => cards.push(card),
                None => skipped.push(Skipped {
                    line: line_number,
                    reason: "END:VCARD without BEGIN:VCARD".into(),
                }),
            }
            continue;
        }
        let Some(card) = current.as_mut() else {
            skipped.push(Skipped {
                line: line_number,
                reason: "text outside any card".into(),
            });
            continue;
        };
        match parse_property(&line) {
            Some(property) => card.properties.push(property),
            None => skipped.push(Skipped {
                line: line_number,
                reason: format!("not a vCard property: {}", preview(&line)),
            }),
        }
    }
    if let Some(open) = current {
        skipped.push(Skipped {
            line: open.line,
            reason: "card without END:VCARD (kept what it had)".into(),
        });
        cards.push(open);
    }
    (cards, skipped)
}

fn preview(line: &str) -> String {
    let mut text: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        text.push('…');
    }
    text
}

/// Undo vCard text escaping.
pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Split on an unescaped separator, then unescape each part.
pub fn split_unescaped(value: &str, separator: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            current.push(c);
            if let Some(next) = chars.next() {
                current.push(next);
            }
        } else if c == separator {
            parts.push(unescape(&current));
            current.clear();
        } else {
            current.push(c);
        }
    }
    parts.push(unescape(&current));
    parts
}

const KNOWN: [&str; 17] = [
    "BEGIN",
    "END",
    "VERSION",
    "PRODID",
    "UID",
    "FN",
    "ORG",
    "TITLE",
    "EMAIL",
    "TEL",
    "URL",
    "NOTE",
    "CATEGORIES",
    "X-KITH-INTERESTS",
    "X-KITH-NEEDS",
    "X-KITH-WANTS",
    "X-KITH-STAGE",
];

/// Turn a card into a person; None (with a reason) when it has nothing to go by.
pub fn card_to_person(card: &Card) -> Result<(Person, Vec<String>), String> {
    let mut person = Person::new("");
    let mut warnings = Vec::new();
    let mut structured_name = None;
    for property in &card.properties {
        let value = property.value.trim();
        match property.name.as_str() {
            "FN" if person.name.is_empty() => person.name = unescape(value).trim().to_string(),
            "N" => {
                let parts = split_unescaped(value, ';');
                let get = |i: usize| {
                    parts
                        .get(i)
                        .map(|s| s.trim().to_string())
                        .unwrap_or_default()
                };
                let name = [get(3), get(1), get(2), get(0), get(4)]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                structured_name = Some(name);
            }
            "ORG" if person.organization.is_empty() => {
                let parts = split_unescaped(value, ';');
                person.organization = parts
                    .first()
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default();
            }
            "TITLE" if person.role.is_empty() => person.role = unescape(value).trim().to_string(),
            "EMAIL" => push_unique(&mut person.emails, unescape(value).trim()),
            "TEL" => {
                let number = unescape(value);
                let number = number.trim();
                push_unique(
                    &mut person.phones,
                    number.strip_prefix("tel:").unwrap_or(number),
                );
            }
            "URL" => push_unique(&mut person.links, unescape(value).trim()),
            "NOTE" => {
                let note = unescape(value);
                if !note.trim().is_empty() {
                    if !person.notes.is_empty() {
                        person.notes.push_str("\n\n");
                    }
                    person.notes.push_str(note.trim());
                }
            }
            "CATEGORIES" => {
                // Split on commas, escaped or not: clients disagree on escaping.
                for tag in unescape(value).split(',') {
                    push_unique(&mut person.tags, tag.trim());
                }
            }
            "X-KITH-INTERESTS" => person.interests.extend(
                split_unescaped(value, ',')
                    .into_iter()
                    .filter(|s| !s.is_empty()),
            ),
            "X-KITH-NEEDS" => person.needs.extend(
                split_unescaped(value, ',')
                    .into_iter()
                    .filter(|s| !s.is_empty()),
            ),
            "X-KITH-WANTS" => person.wants.extend(
                split_unescaped(value, ',')
                    .into_iter()
                    .filter(|s| !s.is_empty()),
            ),
            "X-KITH-STAGE" => {
                if let Some(stage) = Stage::ALL
                    .into_iter()
                    .find(|s| s.label().eq_ignore_ascii_case(value))
                {
                    person.stage = stage;
                }
            }
            _ => {}
        }
        if KNOWN.contains(&property.name.as_str()) {
            continue;
        }
        let encoding = property.param("ENCODING").unwrap_or_default();
        let inline_binary =
            encoding.eq_ignore_ascii_case("b") || encoding.eq_ignore_ascii_case("base64");
        if inline_binary && !is_valid_base64(value) {
            warnings.push(format!(
                "{} skipped: its base64 data is broken",
                property.name
            ));
            continue;
        }
        let mut key = String::new();
        if let Some(group) = &property.group {
            key.push_str(group);
            key.push('.');
        }
        key.push_str(&property.name);
        key.push_str(&property.params_text());
        let stored: String = if inline_binary {
            value.chars().filter(|c| !c.is_whitespace()).collect()
        } else {
            value.to_string()
        };
        person.extra.push((key, stored));
    }
    if person.name.is_empty() {
        person.name = structured_name
            .filter(|n| !n.is_empty())
            .unwrap_or_default();
    }
    if person.name.is_empty() {
        person.name = if !person.organization.is_empty() {
            person.organization.clone()
        } else if let Some(email) = person.emails.first() {
            email.clone()
        } else if let Some(phone) = person.phones.first() {
            phone.clone()
        } else {
            return Err("card has no name, organization, e-mail or phone".into());
        };
    }
    Ok((person, warnings))
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !item.is_empty() && !list.iter().any(|x| x.eq_ignore_ascii_case(item)) {
        list.push(item.to_string());
    }
}

/// Which vCard version to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VcardVersion {
    /// RFC 2426, for older clients.
    V3,
    /// RFC 6350.
    V4,
}

/// Escape a text value for vCard.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

/// Fold a content line at 75 octets (never inside a UTF-8 sequence), CRLF-terminated.
pub fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

fn split_name(name: &str) -> (String, String) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((given, family)) => (given.to_string(), family.to_string()),
        None => (name.to_string(), String::new()),
    }
}

/// Write one person as a vCard.
pub fn write_card(person: &Person, version: VcardVersion, out: &mut String) {
    let mut line = |text: String| fold_line(&text, out);
    line("BEGIN:VCARD".into());
    line(format!(
        "VERSION:{}",
        if version == VcardVersion::V4 {
            "4.0"
        } else {
            "3.0"
        }
    ));
    line(format!("FN:{}", escape(&person.name)));
    let kept_n = person
        .extra
        .iter()
        .find(|(k, _)| k == "N" || k.starts_with("N;"));
    match kept_n {
        Some((_, value)) => line(format!("N:{value}")),
        None => {
            let (given, family) = split_name(&person.name);
            line(format!("N:{};{};;;", escape(&family), escape(&given)));
        }
    }
    if !person.organization.is_empty() {
        line(format!("ORG:{}", escape(&person.organization)));
    }
    if !person.role.is_empty() {
        line(format!("TITLE:{}", escape(&person.role)));
    }
    for (i, email) in person.emails.iter().enumerate() {
        let pref = match (i, version) {
            (0, VcardVersion::V4) => ";PREF=1",
            (0, VcardVersion::V3) => ";TYPE=INTERNET,PREF",
            (_, VcardVersion::V3) => ";TYPE=INTERNET",
            _ => "",
        };
        line(format!("EMAIL{pref}:{}", escape(email)));
    }
    for phone in &person.phones {
        match version {
            VcardVersion::V4 => line(format!("TEL;VALUE=uri:tel:{}", phone.replace(' ', "-"))),
            VcardVersion::V3 => line(format!("TEL:{}", escape(phone))),
        }
    }
    for link in &person.links {
        line(format!("URL:{link}"));
    }
    if !person.tags.is_empty() {
        let tags: Vec<String> = person.tags.iter().map(|t| escape(t)).collect();
        line(format!("CATEGORIES:{}", tags.join(",")));
    }
    if !person.notes.is_empty() {
        line(format!("NOTE:{}", escape(&person.notes)));
    }
    for (key, list) in [
        ("X-KITH-INTERESTS", &person.interests),
        ("X-KITH-NEEDS", &person.needs),
        ("X-KITH-WANTS", &person.wants),
    ] {
        if !list.is_empty() {
            let items: Vec<String> = list.iter().map(|t| escape(t)).collect();
            line(format!("{key}:{}", items.join(",")));
        }
    }
    line(format!("X-KITH-STAGE:{}", person.stage.label()));
    for (key, value) in &person.extra {
        if key == "N" || key.starts_with("N;") || key.starts_with("CSV:") {
            continue;
        }
        let name = key.split([';']).next().unwrap_or_default();
        let bare = name.rsplit('.').next().unwrap_or_default();
        // Properties a 3.0 client would reject are written as they came only in 4.0.
        if version == VcardVersion::V3
            && matches!(
                bare,
                "GENDER"
                    | "KIND"
                    | "ANNIVERSARY"
                    | "XML"
                    | "LANG"
                    | "MEMBER"
                    | "RELATED"
                    | "CLIENTPIDMAP"
            )
        {
            continue;
        }
        line(format!("{key}:{value}"));
    }
    if version == VcardVersion::V4 {
        line(format!("UID:urn:uuid:{}", person.id));
    } else {
        line(format!("UID:{}", person.id));
    }
    line("END:VCARD".into());
}

/// Write many people as one .vcf text.
pub fn write_cards<'a>(
    people: impl IntoIterator<Item = &'a Person>,
    version: VcardVersion,
) -> String {
    let mut out = String::new();
    for person in people {
        write_card(person, version, &mut out);
    }
    out
}

/// Normalised phone digits for matching (shared with CSV).
pub fn phone_key(phone: &str) -> String {
    normalize_phone(phone)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(person.links, vec!["http://x.org"]);
        assert_eq!(person.tags, vec!["a", "b", "c"]);
        assert!(
            person
                .extra
                .iter()
                .any(|(k, v)| k == "N" && v.contains("Richter\\, James"))
        );
    }

    #[test]
    fn apple_groups_and_caret_params_are_kept() {
        let text = "BEGIN:VCARD\nFN:A\nitem1.URL:http\\://a.com\nitem1.X-ABLabel:_$!<HomePage>!$_\nADR;LABEL=\"1 Main^nSt: ^'x^'\":;;1 Main St;;;;\nEND:VCARD";
        let (cards, _) = parse_cards(text);
        assert_eq!(cards[0].properties[1].group.as_deref(), Some("item1"));
        let adr = &cards[0].properties[3];
        assert_eq!(adr.param("LABEL"), Some("1 Main\nSt: \"x\""));
        let (person, _) = card_to_person(&cards[0]).unwrap();
        assert!(person.extra.iter().any(|(k, _)| k == "item1.X-ABLABEL"));
    }

    #[test]
    fn broken_photo_costs_only_the_photo() {
        let text =
            "BEGIN:VCARD\nFN:A\nPHOTO;ENCODING=BASE64;JPEG:QUJD\n RA\nEMAIL:a@b.c\nEND:VCARD";
        let (cards, _) = parse_cards(text);
        let (person, warnings) = card_to_person(&cards[0]).unwrap();
        assert_eq!(person.emails, vec!["a@b.c"]);
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
}
