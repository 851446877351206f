//! Import and export: vCard, CSV (Google, Outlook, LinkedIn), newsletter
//! lists and iCalendar follow-ups. Pure: bytes in, a preview and an [`Action`]
//! out; nothing here touches the model or the disk.

pub mod calendar;
pub mod changes;
pub mod csv_import;
pub mod export;
pub mod text;
pub mod vcard;

use crate::action::{Action, PersonMerger};
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
    /// The contact's photo as kith stores it (a small JPEG, see
    /// [`crate::photo::normalize`]), saved beside the record on import.
    pub photo: Option<Vec<u8>>,
}

impl Incoming {
    /// What a merge of this contact would do that the user must know before
    /// choosing it: a change of newsletter consent ("Yes here, No in the
    /// file: the merge keeps No"), or a birthday the file gives otherwise
    /// (the merge keeps the one here). None when it changes nothing of note
    /// or it matches nobody.
    pub fn merge_note(&self, model: &Model) -> Option<String> {
        let (id, _) = self.matched.as_ref()?;
        let existing = model.people.get(id)?;
        let mut notes = Vec::new();
        let combined = existing.newsletter.combine(&self.person.newsletter);
        if combined != existing.newsletter {
            notes.push(match combined {
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
            });
        }
        if let (Some(here), Some(there)) = (existing.birthday(), self.person.birthday())
            && here != there
        {
            notes.push(format!(
                "Birthday: {} here, {} in the file. A merge keeps {} (edit it after if the file is right).",
                here.human(),
                there.human(),
                here.human()
            ));
        }
        (!notes.is_empty()).then(|| notes.join(" "))
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
/// A vCard file is read in pieces of whole cards, so that the unfolded lines
/// and properties of one piece only are held at a time. A file that is
/// neither vCard nor CSV is refused from its first records: its whole text
/// is never decoded.
pub fn read_contacts(
    bytes: &[u8],
) -> Result<(ImportFormat, Vec<Incoming>, Vec<Skipped>), ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    if is_vcard(bytes) {
        let mut skipped = Vec::new();
        let mut incoming = Vec::new();
        let mut groups = Vec::new();
        for (lines_before, piece) in card_pieces(bytes) {
            let (mut cards, piece_skipped) = vcard::parse_bytes(piece);
            skipped.extend(piece_skipped.into_iter().map(|s| Skipped {
                line: s.line + lines_before,
                ..s
            }));
            for card in &mut cards {
                card.line += lines_before;
            }
            for card in &cards {
                if card.is_group() {
                    groups.push(card.clone());
                    continue;
                }
                match incoming_of(card) {
                    Ok(item) => incoming.push(item),
                    Err(skip) => skipped.push(skip),
                }
            }
        }
        let index = if groups.is_empty() {
            MemberIndex::default()
        } else {
            MemberIndex::of(&incoming)
        };
        for group in &groups {
            skipped.push(apply_group(group, &mut incoming, &index));
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
    // A CSV has its header in its first 20 records: most files are told
    // from a prefix of their text.
    let mut whole_text = None;
    let is_csv = csv_from_prefix(bytes).unwrap_or_else(|| {
        let text = whole_text.insert(text::decode_file(bytes));
        csv_import::looks_like_csv(text)
    });
    if is_csv {
        let text = whole_text.unwrap_or_else(|| text::decode_file(bytes));
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
                photo: None,
            })
            .collect();
        return Ok((ImportFormat::Csv(layout), incoming, skipped));
    }
    let has_card = match whole_text {
        Some(text) => has_begin_vcard(text.as_bytes()),
        // Every charset but UTF-16 writes ASCII as itself, and nothing else
        // as ASCII bytes, so the bytes hold the line when the text does.
        None if is_utf16(bytes) => has_begin_vcard(text::decode_file(bytes).as_bytes()),
        None => has_begin_vcard(bytes),
    };
    if has_card {
        // Text before the first card (a mail header, a note): read the cards.
        let (cards, mut skipped) = vcard::parse_bytes(bytes);
        let mut incoming = Vec::new();
        for card in cards.iter().filter(|c| !c.is_group()) {
            match incoming_of(card) {
                Ok(item) => incoming.push(item),
                Err(skip) => skipped.push(skip),
            }
        }
        if !incoming.is_empty() {
            return Ok((ImportFormat::Vcard, incoming, skipped));
        }
    }
    Err(ImportError::UnknownFormat)
}

/// A vCard file in pieces of whole cards of about a megabyte, each with the
/// number of lines before it. A piece starts only where reading it alone
/// gives the cards and line numbers reading the whole file gives: at a
/// `BEGIN:VCARD` line with LF line ends, after a line of two or more bytes
/// that does not end in a quoted-printable `=` (so the line before cannot
/// continue onto it), when the next line is not folded onto it, and with no
/// NUL byte soon after (the piece must not look like UTF-16). A UTF-16 file,
/// or one without LF, is one piece.
fn card_pieces(bytes: &[u8]) -> Vec<(usize, &[u8])> {
    // Small in tests, so that the tests of every multi-card file read pieces.
    const PIECE: usize = if cfg!(test) { 300 } else { 1 << 20 };
    if bytes.len() <= PIECE || is_utf16(bytes) || !bytes.contains(&b'\n') {
        return vec![(0, bytes)];
    }
    let starts_piece = |line_before: usize, at: usize| {
        let mut before = &bytes[line_before..at - 1];
        while let [rest @ .., b'\r'] = before {
            before = rest;
        }
        if before.len() < 2 || before.ends_with(b"=") {
            return false;
        }
        let rest = &bytes[at..];
        let Some(end) = rest.iter().position(|b| *b == b'\n') else {
            return false;
        };
        let line = rest[..end].trim_ascii_end();
        line.eq_ignore_ascii_case(b"BEGIN:VCARD")
            && !matches!(rest.get(end + 1), Some(b' ' | b'\t'))
            && !rest[..rest.len().min(256)].contains(&0)
    };
    let mut pieces = Vec::new();
    let (mut start, mut lines_before) = (0, 0);
    // The start of the line holding `from`.
    let mut line = bytes[..PIECE]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    while let Some(end) = bytes[line..].iter().position(|b| *b == b'\n') {
        let next = line + end + 1;
        if next >= start + PIECE && starts_piece(line, next) {
            let piece = &bytes[start..next];
            pieces.push((lines_before, piece));
            lines_before += piece.iter().filter(|b| **b == b'\n').count();
            start = next;
        }
        line = next;
    }
    pieces.push((lines_before, &bytes[start..]));
    pieces
}

/// True when [`text::decode_file`] reads the file as UTF-16 (it decides
/// from the first 128 bytes).
fn is_utf16(bytes: &[u8]) -> bool {
    !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        && text::utf16_text(&bytes[..bytes.len().min(256)]).is_some()
}

/// True when `bytes` hold `BEGIN:VCARD` in any case.
fn has_begin_vcard(bytes: &[u8]) -> bool {
    bytes
        .windows(11)
        .any(|w| w[5] == b':' && w.eq_ignore_ascii_case(b"BEGIN:VCARD"))
}

/// Whether [`csv_import::looks_like_csv`] would take the file, decided from
/// the first 64 KB of its text (or 256 KB, 1 MB…): it looks for the header
/// in the first 20 records, and every record that ends before the end of a
/// prefix of the text is the record the whole text has. None when only the
/// whole text can tell.
fn csv_from_prefix(bytes: &[u8]) -> Option<bool> {
    let mut limit = 64 << 10;
    if limit >= bytes.len() {
        return None;
    }
    // The charset, chosen from the whole file as `text::decode_file` does.
    let (rest, utf16) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, false),
        None => (bytes, is_utf16(bytes)),
    };
    let utf8 = (!utf16).then(|| std::str::from_utf8(rest).ok()).flatten();
    while limit < bytes.len() {
        // The text of the first `limit` bytes; its last character may
        // differ from the whole text's, when `limit` cuts one.
        let text = if utf16 {
            text::utf16_text(&bytes[..limit & !1]).unwrap_or_default()
        } else if let Some(whole) = utf8 {
            let mut end = limit.min(whole.len());
            while !whole.is_char_boundary(end) {
                end -= 1;
            }
            whole[..end].to_string()
        } else {
            text::decode_cp1252(&rest[..limit.min(rest.len())])
        };
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut record = ::csv::StringRecord::new();
        let mut decided = Some(false);
        for _ in 0..20 {
            let read = reader.read_record(&mut record);
            if reader.position().byte() >= text.len() as u64 {
                // The record may go on past the prefix.
                decided = None;
                break;
            }
            if let Ok(true) = read {
                let cells: Vec<String> = record.iter().map(String::from).collect();
                if cells.len() >= 2 && csv_import::detect_layout(&cells).is_some() {
                    return Some(true);
                }
            }
        }
        if decided.is_some() {
            return decided;
        }
        limit *= 4;
    }
    None
}

/// A card as an incoming contact (with its photo), or why it was skipped.
fn incoming_of(card: &vcard::Card) -> Result<Incoming, Skipped> {
    let (person, mut warnings) = vcard::card_to_person(card).map_err(|reason| Skipped {
        line: card.line,
        reason,
    })?;
    let photo = photo_of(card, &mut warnings);
    Ok(Incoming {
        person,
        line: card.line,
        matched: None,
        matched_in_file: false,
        choice: MatchChoice::Merge,
        warnings,
        photo,
    })
}

/// The photo of a card, made ready to store; a photo that cannot be used
/// costs only the photo, with a warning saying why.
fn photo_of(card: &vcard::Card, warnings: &mut Vec<String>) -> Option<Vec<u8>> {
    match vcard::card_photo(card)?.and_then(|bytes| crate::photo::normalize(&bytes)) {
        Ok(photo) => Some(photo),
        Err(why) => {
            warnings.push(format!("PHOTO skipped: {why}"));
            None
        }
    }
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
fn apply_group(group: &vcard::Card, incoming: &mut [Incoming], index: &MemberIndex) -> Skipped {
    let name = group.display_name();
    let name = if name.is_empty() {
        "Group".to_string()
    } else {
        name
    };
    let members = group.members();
    let mut tagged = 0;
    for member in &members {
        let hits = match member
            .get(..7)
            .filter(|p| p.eq_ignore_ascii_case("mailto:"))
        {
            Some(_) => index.by_email.get(&member[7..].to_lowercase()),
            None => index.by_uid.get(&uid_key(member)),
        };
        for &at in hits.into_iter().flatten() {
            let person = &mut incoming[at].person;
            if !person.tags.iter().any(|t| t == &name) {
                person.tags.push(name.clone());
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

/// Which contacts of a file a group member reference (`urn:uuid:…`,
/// `mailto:…`) names, built once for all the file's groups.
#[derive(Default)]
struct MemberIndex {
    by_uid: HashMap<String, Vec<usize>>,
    by_email: HashMap<String, Vec<usize>>,
}

impl MemberIndex {
    fn of(incoming: &[Incoming]) -> Self {
        let mut index = Self::default();
        for (at, item) in incoming.iter().enumerate() {
            for uid in &item.person.source_ids {
                index.by_uid.entry(uid_key(uid)).or_default().push(at);
            }
            for email in &item.person.emails {
                index
                    .by_email
                    .entry(email.value.to_lowercase())
                    .or_default()
                    .push(at);
            }
        }
        index
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

    /// The whole import as one undoable action. Many contacts that are one
    /// person cost time linear in their number (see [`PersonMerger`]). A
    /// large import is a batch of batches of 4,096 steps: each inner batch's
    /// memory is given back as soon as its people are in the model.
    pub fn to_action(&self, model: &Model) -> Action {
        const STEP: usize = 4096;
        // New people by id, in file order (in chunks of STEP); later copies
        // of the same person in the file merge into the first.
        let mut added: Vec<Vec<PersonMerger>> = Vec::new();
        let mut added_count = 0;
        let mut add = |added: &mut Vec<Vec<PersonMerger>>, person: &Person| {
            if added.last().is_none_or(|chunk| chunk.len() == STEP) {
                added.push(Vec::with_capacity(STEP));
            }
            if let Some(chunk) = added.last_mut() {
                chunk.push(PersonMerger::new(person.clone()));
            }
            added_count += 1;
            added_count - 1
        };
        let mut added_at: HashMap<PersonId, usize> = HashMap::new();
        let mut merged: HashMap<PersonId, PersonMerger> = HashMap::new();
        for item in &self.incoming {
            match (&item.matched, item.choice) {
                (Some(_), MatchChoice::Skip) => {}
                (Some((id, _)), MatchChoice::Merge) => {
                    if let Some(&at) = added_at.get(id) {
                        added[at / STEP][at % STEP].absorb(&item.person);
                    } else if let Some(merger) = merged.get_mut(id) {
                        merger.absorb(&item.person);
                    } else if let Some(existing) = model.people.get(id) {
                        let mut merger = PersonMerger::new(existing.clone());
                        merger.absorb(&item.person);
                        merged.insert(*id, merger);
                    } else {
                        // Its match in the file was skipped: it is new after all.
                        added_at.insert(item.person.id, add(&mut added, &item.person));
                    }
                }
                _ => {
                    added_at.insert(item.person.id, add(&mut added, &item.person));
                }
            }
        }
        let label = format!("Import {} ({} contacts)", self.source, self.incoming.len());
        let mut edits: Vec<PersonMerger> = merged.into_values().collect();
        edits.sort_by_key(PersonMerger::id);
        let mut steps: Vec<Vec<Action>> = added
            .into_iter()
            .map(|chunk| {
                chunk
                    .into_iter()
                    .map(|person| Action::AddPerson(person.finish()))
                    .collect()
            })
            .collect();
        let mut edits = edits.into_iter();
        loop {
            let chunk: Vec<Action> = edits
                .by_ref()
                .take(STEP)
                .map(|person| Action::EditPerson(person.finish()))
                .collect();
            if chunk.is_empty() {
                break;
            }
            steps.push(chunk);
        }
        let actions = if steps.iter().map(Vec::len).sum::<usize>() <= STEP {
            steps.into_iter().flatten().collect()
        } else {
            steps
                .into_iter()
                .map(|actions| Action::Batch {
                    label: label.clone(),
                    actions,
                })
                .collect()
        };
        Action::Batch { label, actions }
    }
}

impl ImportPreview {
    /// The photos this import brings, each with the person it belongs to
    /// once the import is applied: a new person's own id, or the person a
    /// merge goes into. A merge never replaces a photo someone has
    /// (`has_photo`), and a skipped contact brings none.
    pub fn photos_to_save(&self, has_photo: impl Fn(PersonId) -> bool) -> Vec<(PersonId, Vec<u8>)> {
        let mut out: Vec<(PersonId, Vec<u8>)> = Vec::new();
        let mut taken: std::collections::HashSet<PersonId> = std::collections::HashSet::new();
        for item in &self.incoming {
            let Some(photo) = &item.photo else { continue };
            let target = match (&item.matched, item.choice) {
                (Some(_), MatchChoice::Skip) => continue,
                (Some((id, _)), MatchChoice::Merge) => *id,
                _ => item.person.id,
            };
            if taken.contains(&target) || has_photo(target) {
                continue;
            }
            taken.insert(target);
            out.push((target, photo.clone()));
        }
        out
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
#[cfg(test)]
mod tests_csv;
