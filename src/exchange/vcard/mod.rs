//! vCard 2.1 / 3.0 / 4.0 reader; the 3.0 / 4.0 writer is in [`write`].
//!
//! The reader works on bytes, so that each property can be decoded in the
//! charset it declares (`CHARSET=SHIFT_JIS`, `KOI8-R`, `windows-1252`…).
//! It is forgiving in the ways real exports need: CRLF, LF and CR CR LF
//! line ends, space or tab folding, quoted-printable soft breaks, bare 2.1
//! parameters, Apple `itemN.` groups, escaped and unescaped separators,
//! RFC 6868 caret encoding, and broken base64 photos (which cost only the
//! photo). Every property it has no field for is kept in `extra`, so an
//! export gives it back.

pub mod write;

pub use write::{VcardVersion, escape, fold_line, write_card, write_cards, write_cards_with};

use super::text::{decode_quoted_printable, decode_value, is_valid_base64};
use super::{Skipped, normalize_phone};
use crate::model::{
    Address, Contact, DateKind, ImportantDate, Label, PartialDate, Person, Relation, RelationKind,
    Stage, push_contact,
};

/// One unfolded property line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Property {
    /// Group prefix (`item1`), if any.
    pub group: Option<String>,
    /// Upper-cased property name.
    pub name: String,
    /// Parameters as (UPPER name, value); bare 2.1 params become TYPE or ENCODING.
    pub params: Vec<(String, String)>,
    /// The value, decoded from quoted-printable and its charset, still vCard-escaped.
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

    /// Every TYPE value, lower case (`TYPE=WORK,VOICE;TYPE=pref` -> work, voice, pref).
    pub fn types(&self) -> Vec<String> {
        self.params
            .iter()
            .filter(|(n, _)| n == "TYPE")
            .flat_map(|(_, v)| v.split(','))
            .map(|t| t.trim().to_ascii_lowercase())
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Marked preferred: `TYPE=pref` (2.1/3.0) or `PREF=1` (4.0).
    pub fn is_preferred(&self) -> bool {
        self.types().iter().any(|t| t == "pref")
            || self
                .param("PREF")
                .is_some_and(|p| p.trim().parse::<u32>().is_ok_and(|n| n <= 1) || p.is_empty())
    }

    /// The key this property is kept under in `Person::extra`:
    /// `group.NAME;PARAM=value…`, with parameter values written as the
    /// writer writes them (RFC 6868, quoted when needed). The charset and
    /// quoted-printable markers are left out: the value is already decoded.
    pub fn kept_key(&self) -> String {
        let mut out = String::new();
        if let Some(group) = &self.group {
            out.push_str(group);
            out.push('.');
        }
        out.push_str(&self.name);
        for (name, value) in &self.params {
            if name == "ENCODING" && value.eq_ignore_ascii_case("QUOTED-PRINTABLE")
                || name == "CHARSET"
            {
                continue;
            }
            out.push(';');
            out.push_str(name);
            out.push('=');
            write::push_param_value(value, &mut out);
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

impl Card {
    /// True for a group card (`KIND:group`, Apple `X-ADDRESSBOOKSERVER-KIND:group`).
    pub fn is_group(&self) -> bool {
        self.properties.iter().any(|p| {
            (p.name == "KIND" || p.name == "X-ADDRESSBOOKSERVER-KIND")
                && p.value.trim().eq_ignore_ascii_case("group")
        })
    }

    /// The member references of a group card (`urn:uuid:…`, `mailto:…`).
    pub fn members(&self) -> Vec<String> {
        self.properties
            .iter()
            .filter(|p| p.name == "MEMBER" || p.name == "X-ADDRESSBOOKSERVER-MEMBER")
            .map(|p| unescape(p.value.trim()))
            .filter(|m| !m.is_empty())
            .collect()
    }

    /// The card's display name (FN, else N, else ORG).
    pub fn display_name(&self) -> String {
        let get = |name: &str| {
            self.properties
                .iter()
                .find(|p| p.name == name)
                .map(|p| unescape(p.value.trim()).trim().to_string())
                .filter(|s| !s.is_empty())
        };
        get("FN")
            .or_else(|| get("N").map(|n| n.replace(';', " ").trim().to_string()))
            .or_else(|| get("ORG"))
            .unwrap_or_default()
    }
}

/// Split bytes into physical lines: `\n` ends a line; trailing `\r`s are
/// dropped (CRLF and CR CR LF); a CR-only file is split on `\r`.
fn physical_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let has_lf = bytes.contains(&b'\n');
    if !has_lf && bytes.contains(&b'\r') {
        return bytes.split(|b| *b == b'\r').collect();
    }
    bytes
        .split(|b| *b == b'\n')
        .map(|mut line| {
            while let [rest @ .., b'\r'] = line {
                line = rest;
            }
            line
        })
        .collect()
}

/// Index of the first `:` outside double quotes (the name/value separator).
fn value_colon(line: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, b) in line.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => return Some(i),
            // A parameter section never spans more than a few hundred bytes
            // without a colon in real files; stop scanning a value-less line.
            _ => {}
        }
    }
    None
}

fn head_is_quoted_printable(head: &[u8]) -> bool {
    head.windows(16)
        .any(|w| w.eq_ignore_ascii_case(b"QUOTED-PRINTABLE"))
}

/// Unfold into logical lines with their starting physical line numbers.
/// Linear in the input: whether a line is quoted-printable is decided once,
/// from its head, when it starts.
fn logical_lines(bytes: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    // Is the current logical line quoted-printable (soft breaks join lines)?
    let mut current_qp = false;
    let mut qp_continues = false;
    for (index, line) in physical_lines(bytes).into_iter().enumerate() {
        if qp_continues && let Some((_, current)) = out.last_mut() {
            // Quoted-printable soft break: `=` at the end joins the next line as is.
            current.pop();
            // Some writers also indent the continuation; a QP value never
            // starts a line with a space, so one leading space is folding.
            let line = line
                .strip_prefix(b" ")
                .or_else(|| line.strip_prefix(b"\t"))
                .unwrap_or(line);
            current.extend_from_slice(line);
        } else if line.is_empty() {
            qp_continues = false;
            continue;
        } else if (line[0] == b' ' || line[0] == b'\t') && !out.is_empty() {
            if let Some((_, current)) = out.last_mut() {
                current.extend_from_slice(&line[1..]);
            }
        } else {
            current_qp = value_colon(line).is_some_and(|c| head_is_quoted_printable(&line[..c]));
            out.push((index + 1, line.to_vec()));
        }
        qp_continues = current_qp && out.last().is_some_and(|(_, c)| c.ends_with(b"="));
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
pub fn decode_caret(value: &str) -> String {
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

/// True for a vCard name token (`X-ABLABEL`, `item1`).
pub fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A property's group, upper-cased name and parameters.
pub type Head = (Option<String>, String, Vec<(String, String)>);

/// Parse the name and parameters of a property (`item1.TEL;TYPE=cell`).
pub fn parse_head(head: &str) -> Option<Head> {
    let mut parts = split_params(head).into_iter();
    let name_part = parts.next()?.trim();
    let (group, name) = match name_part.rsplit_once('.') {
        Some((group, name)) => (Some(group.to_string()), name),
        None => (None, name_part),
    };
    if !is_token(name) || group.as_deref().is_some_and(|g| !is_token(g)) {
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
                if !is_token(&key) {
                    continue;
                }
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
    Some((group, name.to_ascii_uppercase(), params))
}

/// Parse one logical line. `fallback` is the charset for 8-bit values that
/// declare none and are not UTF-8 (the card's own declared charset, else
/// the documented file fallback); `charsets` is false when the file was
/// UTF-16 and its text is already decoded.
fn parse_property(line: &[u8], fallback: &str, charsets: bool) -> Option<Property> {
    let colon = value_colon(line)?;
    let (head, value) = (&line[..colon], &line[colon + 1..]);
    let head = decode_value(head, None, fallback);
    let (group, name, params) = parse_head(&head)?;
    let mut property = Property {
        group,
        name,
        params,
        value: String::new(),
    };
    let quoted_printable = property
        .param("ENCODING")
        .is_some_and(|e| e.eq_ignore_ascii_case("QUOTED-PRINTABLE"));
    let declared = if charsets {
        property.param("CHARSET")
    } else {
        None
    };
    property.value = if quoted_printable {
        decode_value(&decode_quoted_printable(value), declared, fallback)
    } else {
        decode_value(value, declared, fallback)
    };
    Some(property)
}

/// The charset a card declares on any property, used for its 8-bit values
/// that declare none.
fn card_charset(lines: &[(usize, Vec<u8>)]) -> Option<String> {
    lines.iter().find_map(|(_, line)| {
        let colon = value_colon(line)?;
        let head = std::str::from_utf8(&line[..colon]).ok()?;
        let (_, _, params) = parse_head(head)?;
        params
            .into_iter()
            .find(|(n, v)| n == "CHARSET" && !v.eq_ignore_ascii_case("utf-8"))
            .map(|(_, v)| v)
    })
}

/// Parse every card in `bytes` (a whole file, any encoding). Lines that
/// are not properties are reported and skipped.
pub fn parse_bytes(bytes: &[u8]) -> (Vec<Card>, Vec<Skipped>) {
    match super::text::utf16_text(bytes) {
        Some(text) => parse_lines(logical_lines(text.as_bytes()), false),
        None => {
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            parse_lines(logical_lines(bytes), true)
        }
    }
}

/// Parse every card in `text`.
pub fn parse_cards(text: &str) -> (Vec<Card>, Vec<Skipped>) {
    parse_lines(logical_lines(text.as_bytes()), true)
}

fn parse_lines(lines: Vec<(usize, Vec<u8>)>, charsets: bool) -> (Vec<Card>, Vec<Skipped>) {
    let mut cards = Vec::new();
    let mut skipped = Vec::new();
    let mut current: Option<(Card, Option<String>)> = None;
    let mut index = 0;
    while index < lines.len() {
        let (line_number, line) = &lines[index];
        let trimmed = line.trim_ascii();
        if trimmed.eq_ignore_ascii_case(b"BEGIN:VCARD") {
            if let Some((open, _)) = current.take() {
                skipped.push(Skipped {
                    line: open.line,
                    reason: "card without END:VCARD (kept what it had)".into(),
                });
                cards.push(open);
            }
            // The card's declared charset, from its own lines up to END.
            let end = lines[index + 1..]
                .iter()
                .position(|(_, l)| {
                    let t = l.trim_ascii();
                    t.eq_ignore_ascii_case(b"END:VCARD") || t.eq_ignore_ascii_case(b"BEGIN:VCARD")
                })
                .map_or(lines.len(), |p| index + 1 + p);
            let declared = if charsets {
                card_charset(&lines[index + 1..end])
            } else {
                None
            };
            current = Some((
                Card {
                    line: *line_number,
                    properties: Vec::new(),
                },
                declared,
            ));
            index += 1;
            continue;
        }
        if trimmed.eq_ignore_ascii_case(b"END:VCARD") {
            match current.take() {
                Some((card, _)) => cards.push(card),
                None => skipped.push(Skipped {
                    line: *line_number,
                    reason: "END:VCARD without BEGIN:VCARD".into(),
                }),
            }
            index += 1;
            continue;
        }
        let Some((card, declared)) = current.as_mut() else {
            skipped.push(Skipped {
                line: *line_number,
                reason: "text outside any card".into(),
            });
            index += 1;
            continue;
        };
        let fallback = declared.as_deref().unwrap_or(super::text::FALLBACK_CHARSET);
        match parse_property(line, fallback, charsets) {
            Some(property) => card.properties.push(property),
            None => skipped.push(Skipped {
                line: *line_number,
                reason: format!(
                    "not a vCard property: {}",
                    preview(&String::from_utf8_lossy(line))
                ),
            }),
        }
        index += 1;
    }
    if let Some((open, _)) = current {
        skipped.push(Skipped {
            line: open.line,
            reason: "card without END:VCARD (kept what it had)".into(),
        });
        cards.push(open);
    }
    (cards, skipped)
}

fn preview(line: &str) -> String {
    let mut text: String = line
        .chars()
        .take(40)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if line.chars().count() > 40 {
        text.push('…');
    }
    text
}

/// Undo vCard text escaping.
pub fn unescape(value: &str) -> String {
    if !value.contains('\\') {
        return value.to_string();
    }
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

/// The label an Apple `X-ABLabel` value means (`_$!<HomePage>!$_`, `kids`).
pub fn apple_label(text: &str) -> Label {
    let text = text.trim();
    match text
        .strip_prefix("_$!<")
        .and_then(|t| t.strip_suffix(">!$_"))
    {
        Some(inner) => match inner.to_ascii_lowercase().as_str() {
            "home" => Label::Home,
            "work" => Label::Work,
            "mobile" => Label::Mobile,
            "homefax" | "workfax" | "otherfax" | "fax" => Label::Fax,
            "pager" => Label::Pager,
            "main" => Label::Main,
            "other" => Label::Other,
            _ => Label::Custom(inner.to_string()),
        },
        None => Label::from_text(text),
    }
}

/// The label TYPE parameters mean for an e-mail, phone, link or address.
fn label_of(types: &[String], is_phone: bool) -> Label {
    let has = |t: &str| types.iter().any(|x| x == t);
    if is_phone && has("fax") {
        Label::Fax
    } else if is_phone && (has("cell") || has("mobile")) {
        Label::Mobile
    } else if is_phone && has("pager") {
        Label::Pager
    } else if has("work") {
        Label::Work
    } else if has("home") {
        Label::Home
    } else if has("main") {
        Label::Main
    } else if has("other") {
        Label::Other
    } else {
        Label::Unlabelled
    }
}

/// What reading a card's properties gave besides the person's fields.
struct Reading {
    /// The name the N property spells, for a card without FN.
    structured_name: Option<String>,
}

/// Read one property into the person's fields. False when kith has no
/// field for it (or this instance of it), so it must be kept in `extra`.
fn read_property(
    person: &mut Person,
    property: &Property,
    group_label: Option<&Label>,
    reading: &mut Reading,
) -> bool {
    let value = property.value.trim();
    let text = || unescape(value).trim().to_string();
    let label = |is_phone: bool| {
        group_label
            .cloned()
            .filter(|l| *l != Label::Unlabelled)
            .unwrap_or_else(|| label_of(&property.types(), is_phone))
    };
    let date_value = property
        .param("VALUE")
        .is_none_or(|v| !v.eq_ignore_ascii_case("text"));
    match property.name.as_str() {
        "BEGIN" | "END" | "VERSION" | "PRODID" => true,
        "FN" if person.name.is_empty() => {
            person.name = text();
            true
        }
        "N" if person.name_parts.n_parts().iter().all(|p| p.is_empty()) => {
            let parts = split_unescaped(value, ';');
            let get = |i: usize| {
                parts
                    .get(i)
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            let n = &mut person.name_parts;
            n.family = get(0);
            n.given = get(1);
            n.additional = get(2);
            n.prefix = get(3);
            n.suffix = get(4);
            // More than five components: keep the rest rather than lose it.
            if parts.len() > 5 {
                n.suffix = parts[4..].join(" ").trim().to_string();
            }
            reading.structured_name = Some(n.joined());
            true
        }
        "X-PHONETIC-FIRST-NAME" => {
            person.name_parts.phonetic_given = text();
            true
        }
        "X-PHONETIC-MIDDLE-NAME" => {
            person.name_parts.phonetic_additional = text();
            true
        }
        "X-PHONETIC-LAST-NAME" => {
            person.name_parts.phonetic_family = text();
            true
        }
        "NICKNAME" => {
            for nick in split_unescaped(value, ',') {
                push_unique(&mut person.nicknames, nick.trim());
            }
            true
        }
        "ORG" if person.organization.is_empty() => {
            let mut parts = split_unescaped(value, ';').into_iter();
            person.organization = parts.next().unwrap_or_default().trim().to_string();
            person.org_units = parts
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty())
                .collect();
            true
        }
        "TITLE" => {
            let title = text();
            if person.role.is_empty() {
                person.role = title;
            } else if title != person.role {
                push_unique(&mut person.other_titles, &title);
            }
            true
        }
        "ROLE" => {
            push_unique(&mut person.functions, &text());
            true
        }
        "EMAIL" => {
            let address = text();
            let address = address
                .strip_prefix("mailto:")
                .unwrap_or(&address)
                .to_string();
            push_contact(
                &mut person.emails,
                Contact {
                    value: address,
                    label: label(false),
                    preferred: property.is_preferred(),
                },
            );
            true
        }
        "TEL" => {
            let number = text();
            let number = number.strip_prefix("tel:").unwrap_or(&number).to_string();
            push_contact(
                &mut person.phones,
                Contact {
                    value: number,
                    label: label(true),
                    preferred: property.is_preferred(),
                },
            );
            true
        }
        "URL" => {
            push_contact(
                &mut person.links,
                Contact {
                    value: text(),
                    label: label(false),
                    preferred: property.is_preferred(),
                },
            );
            true
        }
        "ADR" => {
            let parts = split_unescaped(value, ';');
            let get = |i: usize| {
                parts
                    .get(i)
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default()
            };
            let address = Address {
                label: label(false),
                po_box: get(0),
                extended: get(1),
                street: get(2),
                locality: get(3),
                region: get(4),
                postcode: get(5),
                country: get(6),
                preferred: property.is_preferred(),
            };
            if !address.is_empty() && !person.addresses.contains(&address) {
                person.addresses.push(address);
            }
            true
        }
        "BDAY"
        | "ANNIVERSARY"
        | "X-ANNIVERSARY"
        | "X-EVOLUTION-ANNIVERSARY"
        | "X-MS-ANNIVERSARY"
            if date_value =>
        {
            let kind = if property.name == "BDAY" {
                DateKind::Birthday
            } else {
                DateKind::Anniversary
            };
            read_date(person, kind, value)
        }
        "X-ABDATE" if date_value => {
            let kind = match group_label {
                Some(Label::Custom(l)) if l.eq_ignore_ascii_case("anniversary") => {
                    DateKind::Anniversary
                }
                Some(Label::Custom(l)) => DateKind::Custom(l.clone()),
                Some(Label::Unlabelled) | None => DateKind::Custom("Other".into()),
                Some(other) => DateKind::Custom(other.text().to_string()),
            };
            read_date(person, kind, value)
        }
        "RELATED" => {
            let kind = property
                .types()
                .into_iter()
                .find(|t| t != "pref")
                .map(|t| RelationKind::from_word(&t))
                .unwrap_or_else(|| RelationKind::Custom("related".into()));
            push_relation(person, kind, &text())
        }
        "X-ABRELATEDNAMES" => {
            let kind = match group_label {
                Some(Label::Custom(word)) => RelationKind::from_word(word),
                Some(Label::Unlabelled) | None => RelationKind::Custom("related".into()),
                Some(other) => RelationKind::from_word(other.text()),
            };
            push_relation(person, kind, &text())
        }
        "X-SPOUSE" | "X-EVOLUTION-SPOUSE" | "X-MS-SPOUSE" => {
            push_relation(person, RelationKind::Spouse, &text())
        }
        "X-MANAGER" | "X-EVOLUTION-MANAGER" | "X-MS-MANAGER" => {
            push_relation(person, RelationKind::Manager, &text())
        }
        "X-ASSISTANT" | "X-EVOLUTION-ASSISTANT" | "X-MS-ASSISTANT" => {
            push_relation(person, RelationKind::Assistant, &text())
        }
        "UID" => {
            let uid = text();
            if !uid.is_empty() && !person.source_ids.contains(&uid) {
                person.source_ids.push(uid);
            }
            true
        }
        "NOTE" => {
            let note = unescape(value);
            if !note.trim().is_empty() {
                if !person.notes.is_empty() {
                    person.notes.push_str("\n\n");
                }
                person.notes.push_str(note.trim());
            }
            true
        }
        "CATEGORIES" => {
            // Split on commas, escaped or not: clients disagree on escaping.
            for tag in unescape(value).split(',') {
                push_unique(&mut person.tags, tag.trim());
            }
            true
        }
        "X-KITH-INTERESTS" | "X-KITH-NEEDS" | "X-KITH-WANTS" | "X-KITH-CAN-HELP" => {
            let list = match property.name.as_str() {
                "X-KITH-INTERESTS" => &mut person.interests,
                "X-KITH-NEEDS" => &mut person.needs,
                "X-KITH-CAN-HELP" => &mut person.can_help_with,
                _ => &mut person.wants,
            };
            for item in split_unescaped(value, ',') {
                push_unique(list, &item);
            }
            true
        }
        "X-KITH-STAGE" => {
            match Stage::ALL
                .into_iter()
                .find(|s| s.label().eq_ignore_ascii_case(value))
            {
                Some(stage) => {
                    person.stage = stage;
                    true
                }
                None => false,
            }
        }
        "X-KITH-DATE" => {
            let kind = match property.param("X-LABEL").map(str::trim) {
                Some(l) if l.eq_ignore_ascii_case("birthday") => DateKind::Birthday,
                Some(l) if l.eq_ignore_ascii_case("anniversary") => DateKind::Anniversary,
                Some(l) if !l.is_empty() => DateKind::Custom(l.to_string()),
                _ => DateKind::Custom("Other".into()),
            };
            read_date(person, kind, value)
        }
        _ => false,
    }
}

fn read_date(person: &mut Person, kind: DateKind, value: &str) -> bool {
    match PartialDate::parse(value) {
        Some(date) => {
            let item = ImportantDate { kind, date };
            if !person.dates.contains(&item) {
                person.dates.push(item);
            }
            true
        }
        None => false,
    }
}

fn push_relation(person: &mut Person, kind: RelationKind, name: &str) -> bool {
    let name = name.trim();
    if name.is_empty() {
        return true;
    }
    let relation = Relation {
        kind,
        person: None,
        name: name.to_string(),
    };
    if !person.relations.contains(&relation) {
        person.relations.push(relation);
    }
    true
}

/// Apple groups: `itemN.X-ABLabel` gives the label of the other `itemN.` properties.
fn group_labels(properties: &[Property]) -> std::collections::HashMap<String, Label> {
    let mut labels = std::collections::HashMap::new();
    for property in properties.iter().filter(|p| p.name == "X-ABLABEL") {
        if let Some(group) = &property.group {
            // The first label of a group is its label.
            labels
                .entry(group.clone())
                .or_insert_with(|| apple_label(&unescape(&property.value)));
        }
    }
    labels
}

/// Read properties into `person`: each known one into its field, the rest
/// (and whatever a field cannot hold) into `extra`.
fn apply_properties(
    person: &mut Person,
    properties: &[Property],
    take_photos: bool,
    warnings: &mut Vec<String>,
) {
    let labels = group_labels(properties);
    // A group label is consumed only when its group's property used it.
    let mut used_groups: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut reading = Reading {
        structured_name: None,
    };
    let mut kept = vec![false; properties.len()];
    for (index, property) in properties.iter().enumerate() {
        if property.name == "X-ABLABEL" || take_photos && is_inline_photo(property) {
            continue;
        }
        let group_label = property.group.as_ref().and_then(|g| labels.get(g));
        if read_property(person, property, group_label, &mut reading) {
            if let Some(group) = &property.group
                && group_label.is_some()
            {
                used_groups.insert(group);
            }
        } else {
            kept[index] = true;
        }
    }
    // What extra holds already, so each kept property is checked in O(1).
    let mut kept_pairs: std::collections::HashSet<(String, String)> =
        person.extra.iter().cloned().collect();
    for (index, property) in properties.iter().enumerate() {
        let keep = if take_photos && is_inline_photo(property) {
            false
        } else if property.name == "X-ABLABEL" {
            property
                .group
                .as_deref()
                .is_none_or(|g| !used_groups.contains(g))
        } else {
            kept[index]
        };
        if keep {
            keep_property(person, property, warnings, &mut kept_pairs);
        }
    }
    if person.name.is_empty()
        && let Some(name) = reading.structured_name.filter(|n| !n.is_empty())
    {
        person.name = name;
    }
}

fn keep_property(
    person: &mut Person,
    property: &Property,
    warnings: &mut Vec<String>,
    kept_pairs: &mut std::collections::HashSet<(String, String)>,
) {
    let value = property.value.trim();
    let encoding = property.param("ENCODING").unwrap_or_default();
    let inline_binary =
        encoding.eq_ignore_ascii_case("b") || encoding.eq_ignore_ascii_case("base64");
    if inline_binary && !is_valid_base64(value) {
        warnings.push(format!(
            "{} skipped: its base64 data is broken",
            property.name
        ));
        return;
    }
    let stored: String = if inline_binary {
        value.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        value.to_string()
    };
    let pair = (property.kept_key(), stored);
    if kept_pairs.insert(pair.clone()) {
        person.extra.push(pair);
    }
}

/// A PHOTO carried in the card itself (`ENCODING=b`/`BASE64`, or a `data:`
/// URI), as opposed to a link to one.
fn is_inline_photo(property: &Property) -> bool {
    property.name == "PHOTO"
        && (property
            .param("ENCODING")
            .is_some_and(|e| e.eq_ignore_ascii_case("b") || e.eq_ignore_ascii_case("base64"))
            || property
                .value
                .trim_start()
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("data:")))
}

/// The photo a card carries inline: its bytes, or why it cannot be used.
/// None when it has none, or only a link to one (a link is kept as a
/// property and written back; kith never fetches it).
pub fn card_photo(card: &Card) -> Option<Result<Vec<u8>, String>> {
    let property = card.properties.iter().find(|p| is_inline_photo(p))?;
    let value = property.value.trim();
    let data = match value.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("data:") => {
            let (head, data) = value.split_once(',')?;
            if !head.to_ascii_lowercase().ends_with(";base64") {
                return Some(Err("the photo is not base64 data".into()));
            }
            data
        }
        _ => value,
    };
    Some(crate::photo::decode_base64(data))
}

/// Turn a card into a person; an error (with a reason) when it has nothing to go by.
pub fn card_to_person(card: &Card) -> Result<(Person, Vec<String>), String> {
    let mut person = Person::new("");
    let mut warnings = Vec::new();
    apply_properties(&mut person, &card.properties, true, &mut warnings);
    if person.name.is_empty() {
        person.name = if !person.organization.is_empty() {
            person.organization.clone()
        } else if let Some(email) = person.primary_email() {
            email.to_string()
        } else if let Some(phone) = person.primary_phone() {
            phone.to_string()
        } else {
            return Err("card has no name, organization, e-mail or phone".into());
        };
    }
    Ok((person, warnings))
}

/// Move the vCard properties a format-2 import kept in `extra` (N, BDAY,
/// ADR, NICKNAME, Apple groups…) into their fields. Used by the migration.
pub fn lift_kept_properties(person: &mut Person) {
    let mut properties = Vec::new();
    let mut others = Vec::new();
    let original = std::mem::take(&mut person.extra);
    for (key, value) in original.iter().cloned() {
        if key.starts_with("CSV:") {
            others.push((key, value));
            continue;
        }
        match parse_head(&key) {
            Some((group, name, params)) => properties.push(Property {
                group,
                name,
                params,
                value,
            }),
            None => others.push((key, value)),
        }
    }
    person.extra = others;
    // Keep the display name: a v2 N extra must not replace it.
    let name = std::mem::take(&mut person.name);
    let mut warnings = Vec::new();
    apply_properties(person, &properties, false, &mut warnings);
    person.name = name;
    // What stays kept keeps its order.
    person.extra.sort_by_key(|pair| {
        original
            .iter()
            .position(|o| o == pair)
            .unwrap_or(usize::MAX)
    });
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    let item = item.trim();
    if !item.is_empty() && !list.iter().any(|x| x.eq_ignore_ascii_case(item)) {
        list.push(item.to_string());
    }
}

/// Normalised phone digits for matching (shared with CSV).
pub fn phone_key(phone: &str) -> String {
    normalize_phone(phone)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
pub(crate) mod tests_prop;
