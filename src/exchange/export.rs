//! Exports: Google-layout CSV, newsletter lists (consent Yes only), and
//! iCalendar follow-ups. CSV cells are neutralised against formula injection.

use crate::model::{Consent, Model, Person};
use chrono::NaiveDate;

/// A cell that a spreadsheet would run as a formula gets a leading apostrophe.
pub fn neutralize_cell(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

fn csv_text(header: &[&str], rows: Vec<Vec<String>>) -> Result<String, String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        let row: Vec<String> = row.iter().map(|c| neutralize_cell(c)).collect();
        writer.write_record(&row).map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

fn split_name(name: &str) -> (String, String) {
    match name.trim().rsplit_once(' ') {
        Some((given, family)) => (given.to_string(), family.to_string()),
        None => (name.trim().to_string(), String::new()),
    }
}

/// Google Contacts CSV (current layout), UTF-8, with as many e-mail, phone
/// and website columns as the longest list needs. Columns kept from a CSV
/// import (`CSV:Name` extras) are written back as extra columns.
pub fn google_csv<'a>(people: impl IntoIterator<Item = &'a Person>) -> Result<String, String> {
    let people: Vec<&Person> = people.into_iter().collect();
    let emails = people
        .iter()
        .map(|p| p.emails.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let phones = people
        .iter()
        .map(|p| p.phones.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let links = people
        .iter()
        .map(|p| p.links.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let mut header: Vec<String> = [
        "First Name",
        "Middle Name",
        "Last Name",
        "Nickname",
        "Organization Name",
        "Organization Title",
        "Notes",
        "Labels",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for (prefix, count) in [("E-mail", emails), ("Phone", phones), ("Website", links)] {
        for n in 1..=count {
            header.push(format!("{prefix} {n} - Label"));
            header.push(format!("{prefix} {n} - Value"));
        }
    }
    let mut extra_columns: Vec<&str> = Vec::new();
    for person in &people {
        for (key, _) in &person.extra {
            if let Some(column) = key.strip_prefix("CSV:")
                && !header.iter().any(|h| h == column)
                && !extra_columns.contains(&column)
            {
                extra_columns.push(column);
            }
        }
    }
    header.extend(extra_columns.iter().map(|c| c.to_string()));
    let rows = people
        .iter()
        .map(|p| {
            let (given, family) = split_name(&p.name);
            let mut labels = vec!["* myContacts".to_string()];
            labels.extend(p.tags.iter().cloned());
            let mut row = vec![
                given,
                String::new(),
                family,
                String::new(),
                p.organization.clone(),
                p.role.clone(),
                p.notes.clone(),
                labels.join(" ::: "),
            ];
            for (list, count, first_label, other_label) in [
                (&p.emails, emails, "* Other", "Other"),
                (&p.phones, phones, "Mobile", "Other"),
                (&p.links, links, "Profile", "Other"),
            ] {
                for n in 0..count {
                    match list.get(n) {
                        Some(value) => {
                            row.push(if n == 0 { first_label } else { other_label }.to_string());
                            row.push(value.value.clone());
                        }
                        None => {
                            row.push(String::new());
                            row.push(String::new());
                        }
                    }
                }
            }
            for column in &extra_columns {
                let key = format!("CSV:{column}");
                row.push(
                    p.extra
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default(),
                );
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
