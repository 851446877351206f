//! Import and export: vCard, CSV (Google, Outlook, LinkedIn), newsletter
//! lists and iCalendar follow-ups. Pure: bytes in, a preview and an [`Action`]
//! out; nothing here touches the model or the disk.

pub mod calendar;
pub mod changes;
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
    /// The same vCard UID or CSV row id (or kith's own id, from a kith export).
    Uid(String),
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
            MatchReason::Uid(uid) => format!("same UID {uid}"),
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
    /// The existing person it matches, if any: someone you have, or an
    /// earlier contact of the same file (the same card three times).
    pub matched: Option<(PersonId, MatchReason)>,
    /// True when `matched` is an earlier contact of this file, not someone you have.
    pub matched_in_file: bool,
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

/// True when the file is a vCard: its first line that is not blank is
/// `BEGIN:VCARD`. A CSV with "BEGIN:VCARD" in a cell is still a CSV.
fn is_vcard(bytes: &[u8]) -> bool {
    let start: Vec<u8> = match text::utf16_text(&bytes[..bytes.len().min(4096)]) {
        Some(text) => text.into_bytes(),
        None => bytes[..bytes.len().min(4096)].to_vec(),
    };
    let start = start.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&start);
    let first = start
        .split(|b| *b == b'\n' || *b == b'\r')
        .map(<[u8]>::trim_ascii)
        .find(|line| !line.is_empty());
    first.is_some_and(|line| line.len() >= 11 && line[..11].eq_ignore_ascii_case(b"BEGIN:VCARD"))
}

/// Detect the format from content (not the extension) and read the contacts.
pub fn read_contacts(
    bytes: &[u8],
) -> Result<(ImportFormat, Vec<Incoming>, Vec<Skipped>), ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    if is_vcard(bytes) {
        let (cards, mut skipped) = vcard::parse_bytes(bytes);
        let mut incoming = Vec::new();
        let mut groups = Vec::new();
        for card in &cards {
            if card.is_group() {
                groups.push(card);
                continue;
            }
            match vcard::card_to_person(card) {
                Ok((person, warnings)) => incoming.push(Incoming {
                    person,
                    line: card.line,
                    matched: None,
                    matched_in_file: false,
                    choice: MatchChoice::Merge,
                    warnings,
                }),
                Err(reason) => skipped.push(Skipped {
                    line: card.line,
                    reason,
                }),
            }
        }
        for group in groups {
            skipped.push(apply_group(group, &mut incoming));
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
    let text = text::decode_file(bytes);
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
                matched_in_file: false,
                choice: MatchChoice::Merge,
                warnings: Vec::new(),
            })
            .collect();
        return Ok((ImportFormat::Csv(layout), incoming, skipped));
    }
    if text.to_ascii_uppercase().contains("BEGIN:VCARD") {
        // Text before the first card (a mail header, a note): read the cards.
        let (cards, mut skipped) = vcard::parse_bytes(bytes);
        let mut incoming = Vec::new();
        for card in cards.iter().filter(|c| !c.is_group()) {
            match vcard::card_to_person(card) {
                Ok((person, warnings)) => incoming.push(Incoming {
                    person,
                    line: card.line,
                    matched: None,
                    matched_in_file: false,
                    choice: MatchChoice::Merge,
                    warnings,
                }),
                Err(reason) => skipped.push(Skipped {
                    line: card.line,
                    reason,
                }),
            }
        }
        if !incoming.is_empty() {
            return Ok((ImportFormat::Vcard, incoming, skipped));
        }
    }
    Err(ImportError::UnknownFormat)
}

/// The key a UID is matched on: trimmed, lower case, without `urn:uuid:`.
pub fn uid_key(uid: &str) -> String {
    let uid = uid.trim();
    let bare = uid
        .get(..9)
        .filter(|p| p.eq_ignore_ascii_case("urn:uuid:"))
        .map_or(uid, |_| &uid[9..]);
    bare.to_lowercase()
}

/// A group card becomes a tag on the members the file holds (matched by
/// UID or e-mail); it is never imported as a person. Returns the note the
/// preview shows for it.
fn apply_group(group: &vcard::Card, incoming: &mut [Incoming]) -> Skipped {
    let name = group.display_name();
    let name = if name.is_empty() {
        "Group".to_string()
    } else {
        name
    };
    let members = group.members();
    let mut tagged = 0;
    for member in &members {
        let email = member
            .get(..7)
            .filter(|p| p.eq_ignore_ascii_case("mailto:"))
            .map(|_| member[7..].to_lowercase());
        let key = uid_key(member);
        for item in incoming.iter_mut() {
            let hit = match &email {
                Some(email) => item
                    .person
                    .emails
                    .iter()
                    .any(|e| e.value.to_lowercase() == *email),
                None => item.person.source_ids.iter().any(|id| uid_key(id) == key),
            };
            if hit && !item.person.tags.iter().any(|t| t == &name) {
                item.person.tags.push(name.clone());
                tagged += 1;
            }
        }
    }
    Skipped {
        line: group.line,
        reason: format!(
            "group card “{name}” is not a person: it became the tag “{name}” on {tagged} of its {} members in this file",
            members.len()
        ),
    }
}

impl ImportPreview {
    /// Read a file and match its contacts against the model (by e-mail, then
    /// phone, then normalised name). Nothing is written.
    pub fn build(source: &str, bytes: &[u8], model: &Model) -> Result<Self, ImportError> {
        let (format, incoming, skipped) = read_contacts(bytes)?;
        Ok(Self::from_parts(source, format, incoming, skipped, model))
    }

    /// Match already-read contacts against the model: by UID (a vCard UID,
    /// a CSV row id, or kith's own id in a kith export), then e-mail, then
    /// phone, then name. Contacts of the same file are matched with each
    /// other too, so one person written three times is one person. A match
    /// on the name alone defaults to "keep both": same-name strangers are common.
    pub fn from_parts(
        source: &str,
        format: ImportFormat,
        mut incoming: Vec<Incoming>,
        skipped: Vec<Skipped>,
        model: &Model,
    ) -> Self {
        let mut keys = MatchKeys::default();
        for person in model.live_people() {
            keys.add(person, person.id, false);
        }
        for item in &mut incoming {
            let person = &item.person;
            item.matched_in_file = false;
            item.matched = keys.find(person).map(|(id, reason, in_file)| {
                item.matched_in_file = in_file;
                (id, reason)
            });
            item.choice = match &item.matched {
                Some((_, MatchReason::Name)) => MatchChoice::KeepBoth,
                _ => MatchChoice::Merge,
            };
            match &item.matched {
                Some((id, _)) => {
                    let in_file = item.matched_in_file;
                    keys.add(&item.person, *id, in_file);
                }
                None => keys.add(&item.person, item.person.id, true),
            }
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
        // New people by id, in file order; later copies of the same person
        // in the file merge into the first.
        let mut added: Vec<Person> = Vec::new();
        let mut added_at: HashMap<PersonId, usize> = HashMap::new();
        let mut merged: HashMap<PersonId, Person> = HashMap::new();
        for item in &self.incoming {
            match (&item.matched, item.choice) {
                (Some(_), MatchChoice::Skip) => {}
                (Some((id, _)), MatchChoice::Merge) => {
                    if let Some(&at) = added_at.get(id) {
                        added[at] = merge_person_fields(&added[at], &item.person);
                    } else if let Some(existing) = merged.get(id).or_else(|| model.people.get(id)) {
                        let combined = merge_person_fields(existing, &item.person);
                        merged.insert(*id, combined);
                    } else {
                        // Its match in the file was skipped: it is new after all.
                        added_at.insert(item.person.id, added.len());
                        added.push(item.person.clone());
                    }
                }
                _ => {
                    added_at.insert(item.person.id, added.len());
                    added.push(item.person.clone());
                }
            }
        }
        let mut actions: Vec<Action> = added.into_iter().map(Action::AddPerson).collect();
        let mut edits: Vec<Person> = merged.into_values().collect();
        edits.sort_by_key(|p| p.id);
        actions.extend(edits.into_iter().map(Action::EditPerson));
        Action::Batch {
            label: format!("Import {} ({} contacts)", self.source, self.incoming.len()),
            actions,
        }
    }
}

/// What an incoming contact is matched on, to whom.
#[derive(Default)]
struct MatchKeys {
    by_uid: HashMap<String, (PersonId, bool)>,
    by_email: HashMap<String, (PersonId, bool)>,
    by_phone: HashMap<String, (PersonId, bool)>,
    by_name: HashMap<String, (PersonId, bool)>,
}

impl MatchKeys {
    /// Register a person's keys as pointing to `id` (`in_file`: a contact of the file).
    fn add(&mut self, person: &Person, id: PersonId, in_file: bool) {
        if !in_file {
            self.by_uid
                .entry(uid_key(&id.to_string()))
                .or_insert((id, in_file));
        }
        for uid in &person.source_ids {
            let key = uid_key(uid);
            if !key.is_empty() {
                self.by_uid.entry(key).or_insert((id, in_file));
            }
        }
        for email in &person.emails {
            self.by_email
                .entry(email.value.trim().to_lowercase())
                .or_insert((id, in_file));
        }
        for phone in &person.phones {
            let key = normalize_phone(&phone.value);
            if key.len() >= 6 {
                self.by_phone.entry(key).or_insert((id, in_file));
            }
        }
        let name = normalize_name(&person.name);
        if !name.is_empty() {
            self.by_name.entry(name).or_insert((id, in_file));
        }
    }

    /// The best match for an incoming person: UID, then e-mail, phone, name.
    fn find(&self, person: &Person) -> Option<(PersonId, MatchReason, bool)> {
        person
            .source_ids
            .iter()
            .find_map(|uid| {
                self.by_uid
                    .get(&uid_key(uid))
                    .map(|(id, f)| (*id, MatchReason::Uid(uid.clone()), *f))
            })
            .or_else(|| {
                person.emails.iter().find_map(|e| {
                    self.by_email
                        .get(&e.value.trim().to_lowercase())
                        .map(|(id, f)| (*id, MatchReason::Email(e.value.clone()), *f))
                })
            })
            .or_else(|| {
                person.phones.iter().find_map(|p| {
                    let key = normalize_phone(&p.value);
                    (key.len() >= 6)
                        .then(|| {
                            self.by_phone
                                .get(&key)
                                .map(|(id, f)| (*id, MatchReason::Phone(p.value.clone()), *f))
                        })
                        .flatten()
                })
            })
            .or_else(|| {
                self.by_name
                    .get(&normalize_name(&person.name))
                    .map(|(id, f)| (*id, MatchReason::Name, *f))
            })
    }
}

#[cfg(test)]
mod tests;
