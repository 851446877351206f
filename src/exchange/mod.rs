//! Import and export: vCard, CSV (Google, Outlook, LinkedIn), newsletter
//! lists and iCalendar follow-ups. Pure: bytes in, a preview and an [`Action`]
//! out; nothing here touches the model or the disk.

pub mod csv_import;
pub mod export;
pub mod text;
pub mod vcard;

use crate::action::{Action, merge_person_fields};
use crate::model::{Model, Person, PersonId};
use std::collections::HashMap;

/// A line or card that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line in the file.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// What a file was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// vCard of any version.
    Vcard,
    /// A contacts CSV.
    Csv(csv_import::CsvLayout),
}

impl ImportFormat {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            ImportFormat::Vcard => "vCard",
            ImportFormat::Csv(layout) => layout.label(),
        }
    }
}

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Neither vCard nor a known CSV.
    #[error(
        "not a contacts file: expected vCard (BEGIN:VCARD) or a Google, Outlook or LinkedIn CSV"
    )]
    UnknownFormat,
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// Readable format, but no contact could be taken from it.
    #[error("no contacts found: {0}")]
    NothingToImport(String),
    /// CSV-level failure.
    #[error("{0}")]
    Csv(String),
}

/// How an incoming contact matched someone you already have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchReason {
    /// Same e-mail.
    Email(String),
    /// Same phone number.
    Phone(String),
    /// Same name (normalised).
    Name,
}

impl MatchReason {
    /// Human label.
    pub fn label(&self) -> String {
        match self {
            MatchReason::Email(e) => format!("same e-mail {e}"),
            MatchReason::Phone(p) => format!("same phone {p}"),
            MatchReason::Name => "same name".into(),
        }
    }
}

/// What to do with an incoming contact that matches an existing person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MatchChoice {
    /// Fold the new fields into the existing person.
    Merge,
    /// Add as a separate person.
    KeepBoth,
    /// Do not import this one.
    Skip,
}

/// One contact from the file.
#[derive(Clone, Debug)]
pub struct Incoming {
    /// The contact as read.
    pub person: Person,
    /// Line or card start in the file.
    pub line: usize,
    /// The existing person it matches, if any.
    pub matched: Option<(PersonId, MatchReason)>,
    /// The user's choice for a match (ignored when unmatched).
    pub choice: MatchChoice,
    /// Non-fatal notes (a broken photo dropped, …).
    pub warnings: Vec<String>,
}

impl Incoming {
    /// What a merge of this contact would do that the user must know before
    /// choosing it: today, a change of newsletter consent ("Yes here, No in
    /// the file: the merge keeps No"). None when it changes nothing of note
    /// or it matches nobody.
    pub fn merge_note(&self, model: &Model) -> Option<String> {
        let (id, _) = self.matched.as_ref()?;
        let existing = model.people.get(id)?;
        let combined = existing.newsletter.combine(&self.person.newsletter);
        if combined == existing.newsletter {
            return None;
        }
        Some(match combined {
            crate::model::Consent::No { .. } => format!(
                "Newsletter consent: {} here, No in the file. A merge keeps No (a refusal always wins).",
                existing.newsletter.label()
            ),
            _ => format!(
                "Newsletter consent: {} here, {} in the file. A merge takes {}.",
                existing.newsletter.label(),
                combined.label(),
                combined.label()
            ),
        })
    }
}

/// Everything the user sees before anything is written.
#[derive(Clone, Debug)]
pub struct ImportPreview {
    /// File name, for labels.
    pub source: String,
    /// Recognised format.
    pub format: ImportFormat,
    /// Contacts read.
    pub incoming: Vec<Incoming>,
    /// Lines or cards skipped, with reasons.
    pub skipped: Vec<Skipped>,
}

/// Phone digits for matching: the last 9 digits (drops country prefixes).
pub fn normalize_phone(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let start = digits.len().saturating_sub(9);
    digits[start..].to_string()
}

/// Name key for matching: lowercase letters and digits, single spaces.
pub fn normalize_name(name: &str) -> String {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Detect the format from content (not the extension) and read the contacts.
pub fn read_contacts(
    bytes: &[u8],
) -> Result<(ImportFormat, Vec<Incoming>, Vec<Skipped>), ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let text = text::decode_file(bytes);
    if text.to_ascii_uppercase().contains("BEGIN:VCARD") {
        let (cards, mut skipped) = vcard::parse_cards(&text);
        let mut incoming = Vec::new();
        for card in &cards {
            match vcard::card_to_person(card) {
                Ok((person, warnings)) => incoming.push(Incoming {
                    person,
                    line: card.line,
                    matched: None,
                    choice: MatchChoice::Merge,
                    warnings,
                }),
                Err(reason) => skipped.push(Skipped {
                    line: card.line,
                    reason,
                }),
            }
        }
        if incoming.is_empty() {
            let why = skipped
                .first()
                .map(|s| s.reason.clone())
                .unwrap_or_else(|| "no cards".into());
            return Err(ImportError::NothingToImport(why));
        }
        skipped.sort_by_key(|s| s.line);
        return Ok((ImportFormat::Vcard, incoming, skipped));
    }
    if csv_import::looks_like_csv(&text) {
        let (layout, people, skipped) = csv_import::read_csv(&text).map_err(ImportError::Csv)?;
        if people.is_empty() {
            let why = skipped
                .first()
                .map(|s| s.reason.clone())
                .unwrap_or_else(|| "only a header".into());
            return Err(ImportError::NothingToImport(why));
        }
        let incoming = people
            .into_iter()
            .map(|(line, person)| Incoming {
                person,
                line,
                matched: None,
                choice: MatchChoice::Merge,
                warnings: Vec::new(),
            })
            .collect();
        return Ok((ImportFormat::Csv(layout), incoming, skipped));
    }
    Err(ImportError::UnknownFormat)
}

impl ImportPreview {
    /// Read a file and match its contacts against the model (by e-mail, then
    /// phone, then normalised name). Nothing is written.
    pub fn build(source: &str, bytes: &[u8], model: &Model) -> Result<Self, ImportError> {
        let (format, incoming, skipped) = read_contacts(bytes)?;
        Ok(Self::from_parts(source, format, incoming, skipped, model))
    }

    /// Match already-read contacts against the model.
    pub fn from_parts(
        source: &str,
        format: ImportFormat,
        mut incoming: Vec<Incoming>,
        skipped: Vec<Skipped>,
        model: &Model,
    ) -> Self {
        let mut by_email: HashMap<String, PersonId> = HashMap::new();
        let mut by_phone: HashMap<String, PersonId> = HashMap::new();
        let mut by_name: HashMap<String, PersonId> = HashMap::new();
        for person in model.live_people() {
            for email in &person.emails {
                by_email
                    .entry(email.trim().to_lowercase())
                    .or_insert(person.id);
            }
            for phone in &person.phones {
                let key = normalize_phone(phone);
                if key.len() >= 6 {
                    by_phone.entry(key).or_insert(person.id);
                }
            }
            let name = normalize_name(&person.name);
            if !name.is_empty() {
                by_name.entry(name).or_insert(person.id);
            }
        }
        for item in &mut incoming {
            let person = &item.person;
            item.matched = person
                .emails
                .iter()
                .find_map(|e| {
                    by_email
                        .get(&e.trim().to_lowercase())
                        .map(|id| (*id, MatchReason::Email(e.clone())))
                })
                .or_else(|| {
                    person.phones.iter().find_map(|p| {
                        let key = normalize_phone(p);
                        (key.len() >= 6)
                            .then(|| {
                                by_phone
                                    .get(&key)
                                    .map(|id| (*id, MatchReason::Phone(p.clone())))
                            })
                            .flatten()
                    })
                })
                .or_else(|| {
                    by_name
                        .get(&normalize_name(&person.name))
                        .map(|id| (*id, MatchReason::Name))
                });
        }
        Self {
            source: source.to_string(),
            format,
            incoming,
            skipped,
        }
    }

    /// Contacts that will be added as new people.
    pub fn new_count(&self) -> usize {
        self.incoming
            .iter()
            .filter(|i| i.matched.is_none() || i.choice == MatchChoice::KeepBoth)
            .count()
    }

    /// Contacts that match someone you have.
    pub fn match_count(&self) -> usize {
        self.incoming.iter().filter(|i| i.matched.is_some()).count()
    }

    /// Set every match's choice at once.
    pub fn choose_all(&mut self, choice: MatchChoice) {
        for item in &mut self.incoming {
            item.choice = choice;
        }
    }

    /// The whole import as one undoable action.
    pub fn to_action(&self, model: &Model) -> Action {
        let mut merged: HashMap<PersonId, Person> = HashMap::new();
        let mut actions = Vec::new();
        for item in &self.incoming {
            match (&item.matched, item.choice) {
                (Some(_), MatchChoice::Skip) => {}
                (Some((id, _)), MatchChoice::Merge) => {
                    let Some(existing) = merged.get(id).or_else(|| model.people.get(id)) else {
                        continue;
                    };
                    let combined = merge_person_fields(existing, &item.person);
                    merged.insert(*id, combined);
                }
                _ => actions.push(Action::AddPerson(item.person.clone())),
            }
        }
        let mut edits: Vec<Person> = merged.into_values().collect();
        edits.sort_by_key(|p| p.id);
        actions.extend(edits.into_iter().map(Action::EditPerson));
        Action::Batch {
            label: format!("Import {} ({} contacts)", self.source, self.incoming.len()),
            actions,
        }
    }
}

#[cfg(test)]
mod tests;
