//! CSV contact imports: Google Contacts (legacy and current layouts), Outlook,
//! and LinkedIn `Connections.csv` (with its preamble before the header).

use super::Skipped;
use crate::model::{Contact, Person, push_contact};
use chrono::NaiveDate;

/// Which CSV layout a header belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvLayout {
    /// Google Contacts, legacy ("Name,Given Name,…").
    GoogleLegacy,
    /// Google Contacts, current ("First Name,Middle Name,Last Name,…,E-mail 1 - Value").
    Google,
    /// Outlook ("First Name,…,E-mail Address").
    Outlook,
    /// LinkedIn Connections.csv.
    LinkedIn,
    /// Some other CSV with recognisable name/email columns.
    Generic,
}

impl CsvLayout {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            CsvLayout::GoogleLegacy => "Google Contacts CSV (legacy)",
            CsvLayout::Google => "Google Contacts CSV",
            CsvLayout::Outlook => "Outlook CSV",
            CsvLayout::LinkedIn => "LinkedIn Connections.csv",
            CsvLayout::Generic => "CSV",
        }
    }
}

fn norm(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
}

/// Guess the layout from a header row.
pub fn detect_layout(headers: &[String]) -> Option<CsvLayout> {
    let has = |name: &str| headers.iter().any(|h| norm(h) == name);
    if has("connected on") && has("first name") && has("last name") {
        Some(CsvLayout::LinkedIn)
    } else if has("name") && has("given name") && has("family name") {
        Some(CsvLayout::GoogleLegacy)
    } else if has("first name")
        && headers
            .iter()
            .any(|h| norm(h).starts_with("e-mail 1 - value"))
    {
        Some(CsvLayout::Google)
    } else if has("first name")
        && (has("e-mail address")
            || has("e-mail 2 address")
            || has("mobile phone")
            || has("business phone"))
    {
        Some(CsvLayout::Outlook)
    } else if headers.iter().any(|h| {
        let h = norm(h);
        h == "name" || h == "full name" || h == "email" || h == "e-mail" || h == "first name"
    }) {
        Some(CsvLayout::Generic)
    } else {
        None
    }
}

/// Find the header row: LinkedIn puts a "Notes:" preamble before it.
fn header_line(text: &str) -> Option<usize> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (index, record) in reader.records().enumerate().take(20) {
        let Ok(record) = record else { continue };
        let cells: Vec<String> = record.iter().map(String::from).collect();
        if cells.len() >= 2 && detect_layout(&cells).is_some() {
            return Some(index);
        }
    }
    None
}

/// True when the text looks like a contacts CSV we can read.
pub fn looks_like_csv(text: &str) -> bool {
    header_line(text).is_some()
}

/// LinkedIn dates: "12 Mar 2021", also ISO and US forms.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    for format in ["%d %b %Y", "%Y-%m-%d", "%m/%d/%Y", "%d-%b-%y", "%b %d, %Y"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Some(date);
        }
    }
    None
}

fn split_multi(value: &str) -> Vec<String> {
    value
        .split(":::")
        .map(|s| s.trim().trim_start_matches('*').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// What [`read_csv`] returns: the layout, people with their line, and skipped rows.
pub type CsvContents = (CsvLayout, Vec<(usize, Person)>, Vec<Skipped>);

/// Read every contact row; see [`CsvContents`].
pub fn read_csv(text: &str) -> Result<CsvContents, String> {
    let start = header_line(text)
        .ok_or("no contacts header row found (expected Google, Outlook or LinkedIn columns)")?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let mut skipped = Vec::new();
    let mut headers: Vec<String> = Vec::new();
    for _ in 0..=start {
        match records.next() {
            Some(Ok(record)) => headers = record.iter().map(String::from).collect(),
            Some(Err(e)) => return Err(format!("unreadable CSV before the header: {e}")),
            None => return Err("the file ends before its header".into()),
        }
    }
    let layout = detect_layout(&headers).unwrap_or(CsvLayout::Generic);
    let lower: Vec<String> = headers.iter().map(|h| norm(h)).collect();
    let column = |name: &str| lower.iter().position(|h| h == name);
    let mut people = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(0);
                skipped.push(Skipped {
                    line,
                    reason: format!("unreadable row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        let get = |name: &str| {
            column(name)
                .and_then(|i| record.get(i))
                .map(|s| s.trim().to_string())
                .unwrap_or_default()
        };
        let mut person = Person::new("");
        let first = get("first name");
        let middle = get("middle name");
        let last = get("last name");
        let joined = [first.as_str(), middle.as_str(), last.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        match layout {
            CsvLayout::GoogleLegacy => {
                person.name = get("name");
                if person.name.is_empty() {
                    person.name = [
                        get("given name"),
                        get("additional name"),
                        get("family name"),
                    ]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                }
                person.organization = get("organization 1 - name");
                person.role = get("organization 1 - title");
                person.notes = get("notes");
                for tag in split_multi(&get("group membership")) {
                    if tag != "My Contacts" {
                        person.tags.push(tag);
                    }
                }
            }
            CsvLayout::Google => {
                person.name = joined;
                person.organization = get("organization name");
                person.role = get("organization title");
                person.notes = get("notes");
                for tag in split_multi(&get("labels")) {
                    if tag != "myContacts" && tag != "My Contacts" {
                        person.tags.push(tag);
                    }
                }
            }
            CsvLayout::Outlook => {
                person.name = joined;
                person.organization = get("company");
                person.role = get("job title");
                person.notes = get("notes");
                for tag in get("categories").split(';') {
                    if !tag.trim().is_empty() {
                        person.tags.push(tag.trim().to_string());
                    }
                }
                for name in ["web page", "personal web page"] {
                    let url = get(name);
                    if !url.is_empty() {
                        person.links.push(Contact::new(url));
                    }
                }
            }
            CsvLayout::LinkedIn => {
                person.name = joined;
                person.organization = get("company");
                person.role = get("position");
                let url = get("url");
                if !url.is_empty() {
                    person.links.push(Contact::new(url));
                }
                let connected = get("connected on");
                if let Some(date) = parse_date(&connected) {
                    person.met.date = Some(date);
                    person.met.place = "LinkedIn".into();
                } else if !connected.is_empty() {
                    person.extra.push(("CSV:Connected On".into(), connected));
                }
            }
            CsvLayout::Generic => {
                person.name = [get("name"), get("full name")]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .unwrap_or(joined);
                person.organization = [get("company"), get("organization")]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .unwrap_or_default();
                person.role = [get("title"), get("job title"), get("position")]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .unwrap_or_default();
                person.notes = get("notes");
            }
        }
        // E-mails and phones: every column that holds them, in column order.
        for (i, header) in lower.iter().enumerate() {
            let Some(value) = record.get(i).map(str::trim).filter(|v| !v.is_empty()) else {
                continue;
            };
            let is_email = header == "email"
                || header == "e-mail"
                || header == "email address"
                || (header.starts_with("e-mail")
                    && (header.ends_with("value") || header.ends_with("address")));
            let is_phone = (header.contains("phone")
                && (header.ends_with("value") || !header.contains(" - ")))
                || header == "mobile"
                || header == "fax";
            if is_email {
                for email in split_multi(value) {
                    push_contact(&mut person.emails, Contact::new(email));
                }
            } else if is_phone && !header.ends_with("type") {
                for phone in split_multi(value) {
                    push_contact(&mut person.phones, Contact::new(phone));
                }
            } else if header.starts_with("website") && header.ends_with("value") {
                for link in split_multi(value) {
                    push_contact(&mut person.links, Contact::new(link));
                }
            }
        }
        // Everything else non-empty is kept, so an export can give it back.
        for (i, header) in headers.iter().enumerate() {
            let h = &lower[i];
            let used = [
                "name",
                "first name",
                "middle name",
                "last name",
                "given name",
                "additional name",
                "family name",
                "organization 1 - name",
                "organization 1 - title",
                "organization name",
                "organization title",
                "company",
                "job title",
                "position",
                "notes",
                "group membership",
                "labels",
                "categories",
                "url",
                "connected on",
                "web page",
                "personal web page",
            ];
            if used.contains(&h.as_str()) {
                continue;
            }
            if let Some(value) = record.get(i).map(str::trim).filter(|v| !v.is_empty())
                && !person.emails.iter().any(|e| e.value == value)
                && !person.phones.iter().any(|p| p.value == value)
                && !person.links.iter().any(|p| p.value == value)
            {
                person
                    .extra
                    .push((format!("CSV:{}", header.trim()), value.to_string()));
            }
        }
        if person.name.is_empty() {
            if let Some(email) = person.emails.first() {
                person.name = email.value.clone();
            } else if !person.organization.is_empty() {
                person.name = person.organization.clone();
            } else {
                skipped.push(Skipped {
                    line,
                    reason: "row has no name, e-mail or company".into(),
                });
                continue;
            }
        }
        people.push((line, person));
    }
    Ok((layout, people, skipped))
}
