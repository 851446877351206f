//! The vCard 3.0 (RFC 2426) and 4.0 (RFC 6350) writer.
//!
//! Nothing from a person or a kept property reaches an output line raw:
//! text values are escaped (`\\ \, \; \n`), control characters are dropped
//! (a vCard has no way to write them), parameter values use RFC 6868
//! carets and quotes, and a property or group name that is not a token is
//! never written. So no value, whatever it holds, can end a card or start
//! a property of its own.

use super::{parse_head, split_unescaped};
use crate::model::{Address, DateKind, Label, PartialDate, Person, RelationKind};

/// Which vCard version to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VcardVersion {
    /// RFC 2426, for older clients.
    V3,
    /// RFC 6350.
    V4,
}

/// Characters a line may not carry: C0 and C1 controls (TAB aside), DEL,
/// and the Unicode line and paragraph separators some parsers split on.
fn is_unwritable(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{2028}' || c == '\u{2029}'
}

/// The text as a vCard can carry it: CR LF, CR and the Unicode separators
/// become a line break, other control characters are dropped. Readers get
/// back exactly this.
pub fn writable(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            c if is_unwritable(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Escape a text value for vCard (after [`writable`]).
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in writable(value).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out
}

/// Escape a URI-like value (URL, RELATED, MEMBER): only the backslash and
/// line breaks; `,` `;` `:` are part of URIs.
fn escape_uri(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in writable(value).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out
}

/// Write a parameter value: RFC 6868 carets for `^`, line breaks and `"`,
/// in double quotes when it holds `:`, `;`, `,` or spaces.
pub fn push_param_value(value: &str, out: &mut String) {
    let value = writable(value);
    let quote = value.contains([':', ';', ',', ' ', '\t']) || value.is_empty();
    if quote {
        out.push('"');
    }
    for c in value.chars() {
        match c {
            '^' => out.push_str("^^"),
            '\n' => out.push_str("^n"),
            '"' => out.push_str("^'"),
            other => out.push(other),
        }
    }
    if quote {
        out.push('"');
    }
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

/// Builds one card line by line, numbering Apple groups as it goes.
struct CardWriter<'a> {
    out: &'a mut String,
    version: VcardVersion,
    groups: usize,
}

impl CardWriter<'_> {
    /// `NAME;params:value` where `params` and `value` are already escaped.
    fn line(&mut self, head: &str, value: &str) {
        let mut text = String::with_capacity(head.len() + value.len() + 1);
        text.push_str(head);
        text.push(':');
        text.push_str(value);
        fold_line(&text, self.out);
    }

    fn v4(&self) -> bool {
        self.version == VcardVersion::V4
    }

    /// A new Apple group name (`item1`, `item2`…).
    fn group(&mut self) -> String {
        self.groups += 1;
        format!("item{}", self.groups)
    }

    /// A labelled contact value: EMAIL, TEL, URL or ADR.
    fn contact(&mut self, name: &str, label: &Label, preferred: bool, value: &str) {
        let is_tel = name == "TEL";
        let mut types: Vec<&str> = Vec::new();
        let mut apple: Option<String> = None;
        match label {
            Label::Unlabelled => {}
            Label::Home => types.push("home"),
            Label::Work => types.push("work"),
            Label::Mobile if is_tel => types.push("cell"),
            Label::Fax if is_tel => types.push("fax"),
            Label::Pager if is_tel => types.push("pager"),
            Label::Mobile => apple = Some("_$!<Mobile>!$_".into()),
            Label::Fax => apple = Some("_$!<HomeFAX>!$_".into()),
            Label::Pager => apple = Some("_$!<Pager>!$_".into()),
            Label::Main => apple = Some("_$!<Main>!$_".into()),
            Label::Other => apple = Some("_$!<Other>!$_".into()),
            Label::Custom(text) => apple = Some(text.clone()),
        }
        if name == "EMAIL" && !self.v4() {
            types.insert(0, "internet");
        }
        if preferred && !self.v4() {
            types.push("pref");
        }
        let group = apple.as_ref().map(|_| self.group());
        let mut head = String::new();
        if let Some(group) = &group {
            head.push_str(group);
            head.push('.');
        }
        head.push_str(name);
        if !types.is_empty() {
            head.push_str(";TYPE=");
            let joined = types.join(",");
            if self.v4() {
                head.push_str(&joined);
            } else {
                head.push_str(&joined.to_ascii_uppercase());
            }
        }
        if preferred && self.v4() {
            head.push_str(";PREF=1");
        }
        self.line(&head, value);
        if let (Some(group), Some(label)) = (group, apple) {
            self.line(&format!("{group}.X-ABLabel"), &escape(&label));
        }
    }
}

/// The date in vCard 4 form: `19800322`, `--0322`, `1980-03`, `1980`, `--03`.
fn date_v4(date: &PartialDate) -> String {
    match (date.year, date.month, date.day) {
        (Some(y), Some(m), Some(d)) => format!("{y:04}{m:02}{d:02}"),
        (None, Some(m), Some(d)) => format!("--{m:02}{d:02}"),
        (Some(y), Some(m), None) => format!("{y:04}-{m:02}"),
        (None, Some(m), None) => format!("--{m:02}"),
        (Some(y), None, _) => format!("{y:04}"),
        (None, None, _) => String::new(),
    }
}

/// The date in vCard 3.0 form, when it has one: a whole date, or a
/// year-less one with Apple's 1604 placeholder year.
fn date_v3(date: &PartialDate) -> Option<(String, bool)> {
    match (date.year, date.month, date.day) {
        (Some(y), Some(m), Some(d)) => Some((format!("{y:04}-{m:02}-{d:02}"), false)),
        (None, Some(m), Some(d)) => Some((format!("1604-{m:02}-{d:02}"), true)),
        _ => None,
    }
}

fn address_value(address: &Address) -> String {
    address
        .parts()
        .iter()
        .map(|p| escape(p))
        .collect::<Vec<_>>()
        .join(";")
}

/// The Apple label of a relation kind (`_$!<Spouse>!$_`), or the kind's words.
fn relation_label(kind: &RelationKind) -> String {
    match kind {
        RelationKind::Spouse => "_$!<Spouse>!$_".into(),
        RelationKind::Partner => "_$!<Partner>!$_".into(),
        RelationKind::Parent => "_$!<Parent>!$_".into(),
        RelationKind::Child => "_$!<Child>!$_".into(),
        RelationKind::Sibling => "_$!<Sibling>!$_".into(),
        RelationKind::Friend => "_$!<Friend>!$_".into(),
        RelationKind::Manager => "_$!<Manager>!$_".into(),
        RelationKind::Assistant => "_$!<Assistant>!$_".into(),
        RelationKind::Colleague => "colleague".into(),
        RelationKind::Report => "report".into(),
        RelationKind::AssistantOf => "assistant of".into(),
        RelationKind::Custom(label) => label.clone(),
    }
}

/// The RFC 6350 RELATED type of a relation kind, where there is one.
fn related_type(kind: &RelationKind) -> Option<&'static str> {
    match kind {
        RelationKind::Spouse => Some("spouse"),
        RelationKind::Partner => Some("sweetheart"),
        RelationKind::Parent => Some("parent"),
        RelationKind::Child => Some("child"),
        RelationKind::Sibling => Some("sibling"),
        RelationKind::Friend => Some("friend"),
        RelationKind::Colleague => Some("colleague"),
        _ => None,
    }
}

/// Properties that are not vCard 3.0 and are left out of a 3.0 export.
const ONLY_V4: [&str; 10] = [
    "GENDER",
    "KIND",
    "ANNIVERSARY",
    "XML",
    "LANG",
    "MEMBER",
    "RELATED",
    "CLIENTPIDMAP",
    "BIRTHPLACE",
    "DEATHDATE",
];

/// Properties of 2.1 and 3.0 that vCard 4.0 removed.
const NOT_V4: [&str; 6] = ["NAME", "MAILER", "LABEL", "CLASS", "SORT-STRING", "AGENT"];

/// Write one kept property, re-checked and re-escaped: a name or group that
/// is not a token is dropped, every parameter value is re-encoded, and the
/// value cannot hold a line break or control character. For 4.0, 2.1/3.0
/// syntax is turned into 4.0 (`ENCODING=b` into a `data:` URI, `GEO` into a
/// `geo:` URI, TYPE lists in lower case, bare 2.1 types into TYPE=).
fn kept_property(writer: &mut CardWriter<'_>, key: &str, value: &str) {
    let Some((group, name, params)) = parse_head(key) else {
        return;
    };
    let v4 = writer.v4();
    // The card's frame and identity are kith's to write, never a kept value's.
    if matches!(
        name.as_str(),
        "BEGIN" | "END" | "VERSION" | "UID" | "PRODID"
    ) {
        return;
    }
    if (!v4 && ONLY_V4.contains(&name.as_str())) || (v4 && NOT_V4.contains(&name.as_str())) {
        return;
    }
    let mut value = writable(value).replace('\n', "\\n");
    let mut head = String::new();
    if let Some(group) = &group {
        head.push_str(group);
        head.push('.');
    }
    head.push_str(&name);
    let binary = params.iter().any(|(n, v)| {
        n == "ENCODING" && (v.eq_ignore_ascii_case("b") || v.eq_ignore_ascii_case("base64"))
    });
    let mut media: Option<String> = None;
    for (param, param_value) in &params {
        let mut param_value = param_value.clone();
        if v4 {
            match param.as_str() {
                "ENCODING" | "CHARSET" => continue,
                "TYPE" if binary => {
                    // PHOTO;TYPE=JPEG is the media type of the data.
                    if media.is_none() {
                        media = Some(param_value.to_ascii_lowercase());
                    }
                    continue;
                }
                "TYPE" => {
                    param_value = param_value.to_ascii_lowercase();
                    if param_value == "pref" {
                        head.push_str(";PREF=1");
                        continue;
                    }
                }
                _ => {}
            }
        }
        head.push(';');
        head.push_str(param);
        head.push('=');
        push_param_value(&param_value, &mut head);
    }
    if v4 && binary {
        let media = media.unwrap_or_else(|| "octet-stream".into());
        let media = if media.contains('/') {
            media
        } else {
            format!("image/{media}")
        };
        value = format!("data:{media};base64,{value}");
    }
    if v4 && name == "GEO" && !value.starts_with("geo:") {
        let parts = split_unescaped(&value, ';');
        if let [lat, lon] = parts.as_slice() {
            value = format!("geo:{},{}", lat.trim(), lon.trim());
        }
    }
    writer.line(&head, &value);
}

/// The UID a card is written with: the first one a file gave, else kith's id.
pub fn export_uid(person: &Person, version: VcardVersion) -> String {
    match person.source_ids.iter().find(|id| !id.starts_with("csv:")) {
        Some(uid) => uid.clone(),
        None if version == VcardVersion::V4 => format!("urn:uuid:{}", person.id),
        None => person.id.to_string(),
    }
}

/// Which of kith's optional parts a card carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardOptions {
    /// Write kith's own fields (interests, needs, wants, can help with,
    /// stage) as `X-KITH-*` properties.
    pub kith_fields: bool,
    /// Write the notes as NOTE.
    pub note: bool,
}

impl CardOptions {
    /// Everything: what a `.vcf` export writes.
    pub const ALL: CardOptions = CardOptions {
        kith_fields: true,
        note: true,
    };
}

/// Write one person as a vCard, with their stored photo (a JPEG) if any.
pub fn write_card(person: &Person, version: VcardVersion, photo: Option<&[u8]>, out: &mut String) {
    write_card_with(person, version, photo, &CardOptions::ALL, out);
}

/// Write one person as a vCard, leaving out what `options` turns off (a
/// sync server gets no `X-KITH-*` unless the account asks for them).
pub fn write_card_with(
    person: &Person,
    version: VcardVersion,
    photo: Option<&[u8]>,
    options: &CardOptions,
    out: &mut String,
) {
    // kith's own Apple groups are numbered after the kept ones, so a kept
    // `item1.X-ABLabel` never labels a property kith wrote and kept keys
    // come back unchanged.
    let kept_groups = person
        .extra
        .iter()
        .filter_map(|(key, _)| {
            let (group, _) = key.split_once('.')?;
            group.strip_prefix("item")?.parse::<usize>().ok()
        })
        .max()
        .unwrap_or(0);
    let mut w = CardWriter {
        out,
        version,
        groups: kept_groups,
    };
    w.line("BEGIN", "VCARD");
    w.line("VERSION", if w.v4() { "4.0" } else { "3.0" });
    w.line("FN", &escape(&person.name));
    let parts = &person.name_parts;
    // Parts a reader would find empty (only spaces, tabs or characters a
    // card cannot carry) count as empty, so N comes from the name both
    // times a card is written and read back.
    let n: Vec<String> = if parts
        .n_parts()
        .iter()
        .all(|p| writable(p).trim().is_empty())
    {
        let name = person.name.trim();
        let (given, family) = match name.rsplit_once(' ') {
            Some((given, family)) => (given, family),
            None => (name, ""),
        };
        vec![
            escape(family),
            escape(given),
            String::new(),
            String::new(),
            String::new(),
        ]
    } else {
        parts.n_parts().iter().map(|p| escape(p)).collect()
    };
    w.line("N", &n.join(";"));
    for (name, value) in [
        ("X-PHONETIC-FIRST-NAME", &parts.phonetic_given),
        ("X-PHONETIC-MIDDLE-NAME", &parts.phonetic_additional),
        ("X-PHONETIC-LAST-NAME", &parts.phonetic_family),
    ] {
        if !value.is_empty() {
            w.line(name, &escape(value));
        }
    }
    if !person.nicknames.is_empty() {
        let nicks: Vec<String> = person.nicknames.iter().map(|n| escape(n)).collect();
        w.line("NICKNAME", &nicks.join(","));
    }
    if !person.organization.is_empty() || !person.org_units.is_empty() {
        let mut org = vec![escape(&person.organization)];
        org.extend(person.org_units.iter().map(|u| escape(u)));
        w.line("ORG", &org.join(";"));
    }
    for title in std::iter::once(&person.role)
        .filter(|r| !r.is_empty())
        .chain(&person.other_titles)
    {
        w.line("TITLE", &escape(title));
    }
    for function in &person.functions {
        w.line("ROLE", &escape(function));
    }
    // PREF only where the user marked one: without it, readers take the
    // first, as kith does.
    for email in &person.emails {
        w.contact(
            "EMAIL",
            &email.label,
            email.preferred,
            &escape(&email.value),
        );
    }
    for phone in &person.phones {
        w.contact("TEL", &phone.label, phone.preferred, &escape(&phone.value));
    }
    for link in &person.links {
        w.contact("URL", &link.label, link.preferred, &escape_uri(&link.value));
    }
    for address in &person.addresses {
        if w.v4() {
            // The formatted label travels as the ADR LABEL parameter in 4.0.
            let mut head = String::from("ADR");
            match &address.label {
                Label::Home => head.push_str(";TYPE=home"),
                Label::Work => head.push_str(";TYPE=work"),
                _ => {}
            }
            if address.preferred {
                head.push_str(";PREF=1");
            }
            head.push_str(";LABEL=");
            push_param_value(&address.lines().join("\n"), &mut head);
            match &address.label {
                Label::Home | Label::Work | Label::Unlabelled => {
                    w.line(&head, &address_value(address));
                }
                other => {
                    let group = w.group();
                    w.line(&format!("{group}.{head}"), &address_value(address));
                    let label = match other {
                        Label::Custom(text) => text.clone(),
                        other => format!("_$!<{}>!$_", capitalised(other.text())),
                    };
                    w.line(&format!("{group}.X-ABLabel"), &escape(&label));
                }
            }
        } else {
            w.contact(
                "ADR",
                &address.label,
                address.preferred,
                &address_value(address),
            );
        }
    }
    for date in &person.dates {
        write_date(&mut w, &date.kind, &date.date);
    }
    for relation in &person.relations {
        let name = escape(&relation.name);
        match (w.v4(), related_type(&relation.kind)) {
            (true, Some(kind)) => w.line(&format!("RELATED;TYPE={kind};VALUE=text"), &name),
            _ => {
                let group = w.group();
                w.line(&format!("{group}.X-ABRELATEDNAMES"), &name);
                w.line(
                    &format!("{group}.X-ABLabel"),
                    &escape(&relation_label(&relation.kind)),
                );
            }
        }
    }
    if !person.tags.is_empty() {
        let tags: Vec<String> = person.tags.iter().map(|t| escape(t)).collect();
        w.line("CATEGORIES", &tags.join(","));
    }
    if options.note && !person.notes.is_empty() {
        w.line("NOTE", &escape(&person.notes));
    }
    if options.kith_fields {
        for (key, list) in [
            ("X-KITH-INTERESTS", &person.interests),
            ("X-KITH-NEEDS", &person.needs),
            ("X-KITH-WANTS", &person.wants),
            ("X-KITH-CAN-HELP", &person.can_help_with),
        ] {
            if !list.is_empty() {
                let items: Vec<String> = list.iter().map(|t| escape(t)).collect();
                w.line(key, &items.join(","));
            }
        }
        w.line("X-KITH-STAGE", person.stage.label());
    }
    if let Some(photo) = photo {
        let data = crate::photo::encode_base64(photo);
        if w.v4() {
            w.line("PHOTO", &format!("data:image/jpeg;base64,{data}"));
        } else {
            w.line("PHOTO;ENCODING=b;TYPE=JPEG", &data);
        }
    }
    for (key, value) in &person.extra {
        if key.starts_with("CSV:") {
            continue;
        }
        // The stored photo is the person's photo; a kept one is not written twice.
        if photo.is_some() && parse_head(key).is_some_and(|(_, name, _)| name == "PHOTO") {
            continue;
        }
        kept_property(&mut w, key, value);
    }
    let uid = export_uid(person, version);
    w.line("UID", &escape_uri(&uid));
    w.line("END", "VCARD");
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn write_date(w: &mut CardWriter<'_>, kind: &DateKind, date: &PartialDate) {
    let label_line = |w: &mut CardWriter<'_>, label: &str, value: &str| {
        let group = w.group();
        w.line(&format!("{group}.X-ABDATE"), value);
        w.line(&format!("{group}.X-ABLabel"), &escape(label));
    };
    if w.v4() {
        let value = date_v4(date);
        match kind {
            DateKind::Birthday => w.line("BDAY", &value),
            DateKind::Anniversary => w.line("ANNIVERSARY", &value),
            DateKind::Custom(label) => label_line(w, label, &value),
        }
        return;
    }
    match (kind, date_v3(date)) {
        (DateKind::Birthday, Some((value, false))) => w.line("BDAY", &value),
        (DateKind::Birthday, Some((value, true))) => w.line("BDAY;X-APPLE-OMIT-YEAR=1604", &value),
        (DateKind::Anniversary, Some((value, _))) if date.year.is_some() => {
            w.line("X-ANNIVERSARY", &value)
        }
        (DateKind::Anniversary, Some((value, _))) => label_line(w, "_$!<Anniversary>!$_", &value),
        (DateKind::Custom(label), Some((value, _))) => label_line(w, label, &value),
        // 3.0 has no partial dates; kith's own property carries them.
        (kind, None) => {
            let mut head = String::from("X-KITH-DATE;X-LABEL=");
            push_param_value(kind.label(), &mut head);
            w.line(&head, &date.to_string());
        }
    }
}

/// Write many people as one .vcf text (without their stored photos).
pub fn write_cards<'a>(
    people: impl IntoIterator<Item = &'a Person>,
    version: VcardVersion,
) -> String {
    write_cards_with(people, version, |_| None)
}

/// Write many people as one .vcf text, each with the photo `photo` gives
/// for them (read from the data folder by the caller).
pub fn write_cards_with<'a>(
    people: impl IntoIterator<Item = &'a Person>,
    version: VcardVersion,
    photo: impl Fn(&Person) -> Option<Vec<u8>>,
) -> String {
    let mut out = String::new();
    for person in people {
        let bytes = photo(person);
        write_card(person, version, bytes.as_deref(), &mut out);
    }
    out
}
