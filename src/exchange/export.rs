//! Exports: Google-layout CSV, newsletter lists (consent Yes only), and
//! iCalendar follow-ups. CSV cells are neutralised against formula injection.

use crate::model::{Consent, Contact, DateKind, Label, Model, NameParts, Person, RelationKind};
use chrono::NaiveDate;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// True for a cell that is only a phone number: `+`, digits, spaces and
/// `()-./`, with at least three digits. A spreadsheet reads it as a number
/// at worst, never as a formula that calls anything.
fn is_phone_shaped(value: &str) -> bool {
    value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '(' | ')' | '-' | '.' | '/'))
        && value.chars().filter(char::is_ascii_digit).count() >= 3
}

/// The cell as written: a cell that a spreadsheet would run as a formula
/// (it starts with `= + - @`, a tab or a carriage return) gets a leading
/// apostrophe, unless it is phone-shaped (`+49 521 555123` stays as it is).
/// A cell that already starts with apostrophes before such a character gets
/// one more, so that the CSV import (`csv_import::unescape_cell`, which
/// removes one) gives back exactly the original.
fn neutralized(value: &str) -> Cow<'_, str> {
    let rest = value.trim_start_matches('\'');
    let formula = matches!(
        rest.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if formula && !(rest.len() == value.len() && is_phone_shaped(value)) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

/// A cell that a spreadsheet would run as a formula gets a leading
/// apostrophe (phone numbers excepted; see the rules above `neutralized`).
pub fn neutralize_cell(value: &str) -> String {
    neutralized(value).into_owned()
}

/// CSV text with CRLF line ends; every cell, header cells included, neutralised.
fn csv_text(header: &[&str], rows: Vec<Vec<String>>) -> Result<String, String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut record = |cells: &mut dyn Iterator<Item = &str>| -> Result<(), String> {
        for cell in cells {
            writer
                .write_field(neutralized(cell).as_bytes())
                .map_err(|e| e.to_string())?;
        }
        writer
            .write_record(std::iter::empty::<&[u8]>())
            .map_err(|e| e.to_string())
    };
    record(&mut header.iter().copied())?;
    for row in &rows {
        record(&mut row.iter().map(String::as_str))?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn split_name(name: &str) -> (String, String) {
    match name.trim().rsplit_once(' ') {
        Some((given, family)) => (given.trim().to_string(), family.to_string()),
        None => (name.trim().to_string(), String::new()),
    }
}

/// The name parts a person is exported with: their own, or (when they have
/// none) the display name split into given and family name, so that
/// Google shows a name.
fn export_parts(person: &Person) -> NameParts {
    let parts = &person.name_parts;
    if parts.n_parts().iter().any(|p| !p.trim().is_empty()) {
        return parts.clone();
    }
    let (given, family) = split_name(&person.name);
    NameParts {
        given,
        family,
        ..parts.clone()
    }
}

/// A label as Google writes it: "Home", "Work", …, the file's own word for
/// a custom one, and `* ` before the preferred one.
fn label_cell(label: &Label, preferred: bool) -> String {
    let text = match label {
        Label::Unlabelled => "",
        Label::Home => "Home",
        Label::Work => "Work",
        Label::Mobile => "Mobile",
        Label::Fax => "Fax",
        Label::Pager => "Pager",
        Label::Main => "Main",
        Label::Other => "Other",
        Label::Custom(text) => text,
    };
    if preferred {
        format!("* {text}")
    } else {
        text.to_string()
    }
}

fn relation_label(kind: &RelationKind) -> String {
    let label = kind.label();
    match kind {
        RelationKind::Custom(_) => label.to_string(),
        _ => {
            let mut chars = label.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// The dates a person's "Event N" columns hold: every date but the first
/// birthday (which has the Birthday column), with its Google label.
fn events(person: &Person) -> Vec<(String, String)> {
    let first_birthday = person
        .dates
        .iter()
        .position(|d| d.kind == DateKind::Birthday);
    person
        .dates
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != first_birthday)
        .map(|(_, d)| (d.kind.label().to_string(), d.date.to_string()))
        .collect()
}

/// The fixed columns of Google's current layout, in its order.
const GOOGLE_FIXED: [&str; 17] = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
];

/// kith's own column: what the person can help others with (` ::: `
/// between items, like Google's labels); written only when someone has any.
pub const CAN_HELP_COLUMN: &str = "Can help with";

/// The address columns of Google's layout, after "Address N - ".
const ADDRESS_PARTS: [&str; 9] = [
    "Label",
    "Formatted",
    "Street",
    "City",
    "PO Box",
    "Region",
    "Postal Code",
    "Country",
    "Extended Address",
];

/// Google Contacts CSV (current layout), UTF-8: name parts, phonetic names,
/// nicknames, organization, title and department, birthday (`YYYY-MM-DD`,
/// `--MM-DD` without a year), notes and labels, then as many labelled
/// e-mail, phone, address, website, event (every other date) and relation
/// columns as the longest list needs. A "Name" column is added when a
/// display name is not its parts joined. Columns kept from a CSV import
/// (`CSV:Name` extras) fill a column of that name, or are written back as
/// extra columns. Linear in rows × columns.
pub fn google_csv<'a>(people: impl IntoIterator<Item = &'a Person>) -> Result<String, String> {
    let people: Vec<&Person> = people.into_iter().collect();
    let parts: Vec<NameParts> = people.iter().map(|p| export_parts(p)).collect();
    let need_name = people
        .iter()
        .zip(&parts)
        .any(|(p, n)| n.joined() != p.name.trim());
    let most =
        |count: &dyn Fn(&Person) -> usize| people.iter().map(|p| count(p)).max().unwrap_or(0);
    let emails = most(&|p| p.emails.len()).max(1);
    let phones = most(&|p| p.phones.len()).max(1);
    let addresses = most(&|p| p.addresses.len());
    let links = most(&|p| p.links.len()).max(1);
    let events_count = most(&|p| events(p).len());
    let relations = most(&|p| {
        p.relations
            .iter()
            .filter(|r| !r.name.trim().is_empty())
            .count()
    });
    let can_help = people.iter().any(|p| !p.can_help_with.is_empty());

    let mut header: Vec<String> = GOOGLE_FIXED.iter().map(|s| s.to_string()).collect();
    if need_name {
        header.push("Name".into());
    }
    for (prefix, count) in [("E-mail", emails), ("Phone", phones)] {
        for n in 1..=count {
            header.push(format!("{prefix} {n} - Label"));
            header.push(format!("{prefix} {n} - Value"));
        }
    }
    for n in 1..=addresses {
        for part in ADDRESS_PARTS {
            header.push(format!("Address {n} - {part}"));
        }
    }
    for (prefix, count) in [
        ("Website", links),
        ("Event", events_count),
        ("Relation", relations),
    ] {
        for n in 1..=count {
            header.push(format!("{prefix} {n} - Label"));
            header.push(format!("{prefix} {n} - Value"));
        }
    }
    if can_help {
        header.push(CAN_HELP_COLUMN.into());
    }
    // Kept columns: those that are not a column already, in first-seen order.
    let mut known: HashSet<String> = header.iter().cloned().collect();
    let mut extra_columns: Vec<&str> = Vec::new();
    for person in &people {
        for (key, _) in &person.extra {
            if let Some(column) = key.strip_prefix("CSV:")
                && !known.contains(column)
            {
                known.insert(column.to_string());
                extra_columns.push(column);
            }
        }
    }
    header.extend(extra_columns.iter().map(|c| c.to_string()));

    let rows = people
        .iter()
        .zip(&parts)
        .map(|(p, n)| {
            // This person's kept columns, by name (the first value wins).
            let mut kept: HashMap<&str, &str> = HashMap::with_capacity(p.extra.len());
            for (key, value) in &p.extra {
                if let Some(column) = key.strip_prefix("CSV:") {
                    kept.entry(column).or_insert(value.as_str());
                }
            }
            let mut labels = vec!["* myContacts".to_string()];
            labels.extend(p.tags.iter().cloned());
            let birthday = p
                .dates
                .iter()
                .find(|d| d.kind == DateKind::Birthday)
                .map(|d| d.date.to_string())
                .unwrap_or_default();
            let mut row: Vec<String> = vec![
                n.given.clone(),
                n.additional.clone(),
                n.family.clone(),
                n.phonetic_given.clone(),
                n.phonetic_additional.clone(),
                n.phonetic_family.clone(),
                n.prefix.clone(),
                n.suffix.clone(),
                p.nicknames.join(" ::: "),
                String::new(),
                p.organization.clone(),
                p.role.clone(),
                p.org_units.join(" ::: "),
                birthday,
                p.notes.clone(),
                String::new(),
                labels.join(" ::: "),
            ];
            if need_name {
                row.push(p.name.clone());
            }
            let pairs = |list: &[Contact], count: usize, row: &mut Vec<String>| {
                for n in 0..count {
                    match list.get(n) {
                        Some(item) => {
                            row.push(label_cell(&item.label, item.preferred));
                            row.push(item.value.clone());
                        }
                        None => row.extend([String::new(), String::new()]),
                    }
                }
            };
            pairs(&p.emails, emails, &mut row);
            pairs(&p.phones, phones, &mut row);
            for n in 0..addresses {
                match p.addresses.get(n) {
                    Some(a) => row.extend([
                        label_cell(&a.label, a.preferred),
                        a.lines().join("\n"),
                        a.street.clone(),
                        a.locality.clone(),
                        a.po_box.clone(),
                        a.region.clone(),
                        a.postcode.clone(),
                        a.country.clone(),
                        a.extended.clone(),
                    ]),
                    None => row.extend(std::iter::repeat_n(String::new(), ADDRESS_PARTS.len())),
                }
            }
            pairs(&p.links, links, &mut row);
            let mut dated = events(p).into_iter();
            for _ in 0..events_count {
                let (label, value) = dated.next().unwrap_or_default();
                row.extend([label, value]);
            }
            let mut related = p.relations.iter().filter(|r| !r.name.trim().is_empty());
            for _ in 0..relations {
                match related.next() {
                    Some(r) => row.extend([relation_label(&r.kind), r.name.clone()]),
                    None => row.extend([String::new(), String::new()]),
                }
            }
            if can_help {
                row.push(p.can_help_with.join(" ::: "));
            }
            // A column of ours left empty takes a kept value of that name.
            for (cell, column) in row.iter_mut().zip(&header) {
                if cell.is_empty()
                    && let Some(value) = kept.get(column.as_str())
                {
                    *cell = value.to_string();
                }
            }
            for column in &extra_columns {
                row.push(kept.get(column).map(|v| v.to_string()).unwrap_or_default());
            }
            row
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    csv_text(&header, rows)
}

/// Newsletter list: only people whose consent is Yes, never NotAsked or No.
/// Enforced here, whatever list the caller passes in. People in `held`
/// (their consent cannot be trusted: two files in the data folder hold
/// them, see `Store::consent_held`) are left out too.
pub fn newsletter_csv<'a>(
    people: impl IntoIterator<Item = &'a Person>,
    held: &std::collections::BTreeSet<crate::model::PersonId>,
) -> Result<String, String> {
    let rows = people
        .into_iter()
        .filter(|p| !p.deleted && !held.contains(&p.id))
        .filter_map(|p| match &p.newsletter {
            Consent::Yes { date } => {
                let email = p.primary_email()?.to_string();
                let (given, family) = split_name(&p.name);
                Some(vec![email, given, family, date.to_string()])
            }
            Consent::NotAsked | Consent::No { .. } => None,
        })
        .collect();
    csv_text(
        &["Email Address", "First Name", "Last Name", "Consent Date"],
        rows,
    )
}

fn ics_escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

/// Pending follow-ups as VTODOs, each with a display alarm on the morning
/// it is due, and everyone's birthdays and important dates as yearly
/// all-day events with an alarm (see [`super::calendar`]).
/// `stamp` is the DTSTAMP (UTC) so output is reproducible in tests.
pub fn follow_ups_ics(
    model: &Model,
    from: Option<NaiveDate>,
    stamp: chrono::NaiveDateTime,
) -> String {
    let mut out = String::new();
    let mut line = |text: String| super::vcard::fold_line(&text, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//kith//follow-ups//EN".into());
    line("CALSCALE:GREGORIAN".into());
    let mut items: Vec<_> = model
        .interactions
        .values()
        .filter(|i| !i.follow_up_done)
        .filter_map(|i| i.follow_up.map(|due| (due, i)))
        .filter(|(due, _)| from.is_none_or(|f| *due >= f))
        .filter(|(_, i)| {
            i.people
                .iter()
                .any(|p| model.people.get(p).is_some_and(|p| !p.deleted))
        })
        .collect();
    items.sort_by_key(|(due, i)| (*due, i.id));
    for (due, interaction) in items {
        let names: Vec<&str> = interaction
            .people
            .iter()
            .map(|p| model.person_name(*p))
            .collect();
        line("BEGIN:VTODO".into());
        line(format!("UID:{}@kith", interaction.id));
        line(format!("DTSTAMP:{}", stamp.format("%Y%m%dT%H%M%SZ")));
        line(format!("DUE;VALUE=DATE:{}", due.format("%Y%m%d")));
        line(format!(
            "SUMMARY:{}",
            ics_escape(&format!("Follow up with {}", names.join(", ")))
        ));
        let mut description = format!(
            "After {} on {}.",
            interaction.kind.label().to_lowercase(),
            interaction.date
        );
        if !interaction.note.is_empty() {
            description.push('\n');
            description.push_str(&interaction.note);
        }
        line(format!("DESCRIPTION:{}", ics_escape(&description)));
        line("STATUS:NEEDS-ACTION".into());
        line("BEGIN:VALARM".into());
        line("ACTION:DISPLAY".into());
        line(format!(
            "DESCRIPTION:{}",
            ics_escape(&format!("Follow up with {}", names.join(", ")))
        ));
        line("TRIGGER;RELATED=END:PT9H".into());
        line("END:VALARM".into());
        line("END:VTODO".into());
    }
    super::calendar::important_date_events(
        model,
        &stamp.format("%Y%m%dT%H%M%SZ").to_string(),
        &mut out,
    );
    super::vcard::fold_line("END:VCALENDAR", &mut out);
    out
}
