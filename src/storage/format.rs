//! The on-disk RON format: one wrapper per file kind, each starting with a
//! `format` version, plus migrations from older versions.
//!
//! Version history:
//! - 1: single `email`/`phone` strings, `met_at`/`met_on`, comma-separated
//!   `interests`, `subscribed_on` for the newsletter, and interactions with a
//!   single `with` person.
//! - 2: lists for contact fields, `met`, `interests`/`needs`/`wants`
//!   lists, explicit `newsletter` consent, multi-person interactions.
//! - 3: the whole person. E-mails, phones and links carry a
//!   label and a preferred mark; name parts, nicknames, organization units,
//!   further titles, addresses, important dates, relationships and source
//!   ids (vCard UIDs) are fields of their own. Version 2 files are read and
//!   migrated: each contact value becomes unlabelled, and vCard properties
//!   a v2 import kept in `extra` (N, BDAY, ADR, NICKNAME…) move to their
//!   fields.
//! - 4 (current): giving first. People gain `can_help_with`, the days
//!   needs were noted (`needs_noted`), met needs (`needs_met`) and their
//!   own `rhythm_days`; interactions gain `snoozed_from` and `intro` (a
//!   double opt-in introduction offer), and the kind
//!   `IntroductionOffered`. Version 3 files read unchanged; an older kith
//!   refuses a version 4 file instead of dropping these fields.

use crate::model::{
    Consent, Contact, Interaction, InteractionId, InteractionKind, InterestCatalog, Me, Meeting,
    Organization, Person, PersonId, Settings, Stage,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::fmt;

/// The format version this build writes.
pub const FORMAT_VERSION: u32 = 4;

/// Why a file's text could not be turned into data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What went wrong, in words.
    pub message: String,
}

impl ParseError {
    /// An error without a position.
    pub fn plain(message: impl Into<String>) -> Self {
        Self {
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ParseError {}

impl From<ron::error::SpannedError> for ParseError {
    fn from(error: ron::error::SpannedError) -> Self {
        Self {
            line: Some(error.span.start.line),
            column: Some(error.span.start.col),
            message: error.code.to_string(),
        }
    }
}

/// Find the `format: N` field near the top of a file without a full parse.
pub fn scan_format_version(text: &str) -> Result<u32, ParseError> {
    let mut head_end = text.len().min(4096);
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let head = &text[..head_end];
    // The first `format` followed by `:` (comments may mention the word).
    let value = head
        .match_indices("format")
        .find_map(|(at, word)| head[at + word.len()..].trim_start().strip_prefix(':'));
    let Some(rest) = value else {
        return Err(ParseError::plain(
            "missing `format: N` version at the top of the file",
        ));
    };
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let version: u32 = digits
        .parse()
        .map_err(|_| ParseError::plain("`format` is not a number"))?;
    match version {
        1..=FORMAT_VERSION => Ok(version),
        newer => Err(ParseError::plain(format!(
            "written by a newer kith (format {newer}); this version reads formats 1 to {FORMAT_VERSION}"
        ))),
    }
}

fn pretty() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .struct_names(false)
}

fn to_ron<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    ron::ser::to_string_pretty(value, pretty()).map(|mut s| {
        s.push('\n');
        s
    })
}

/// Parse with the fast reader when the text is in its subset; otherwise (and
/// for every error message) with the `ron` crate.
fn from_ron<T: DeserializeOwned>(text: &str) -> Result<T, ParseError> {
    match super::fast_ron::from_str(text) {
        Some(value) => Ok(value),
        None => ron::from_str(text).map_err(ParseError::from),
    }
}

#[derive(Serialize)]
struct PersonFileOut<'a> {
    format: u32,
    person: &'a Person,
}

#[derive(Deserialize)]
struct PersonFile {
    person: Person,
}

/// Serialise one person file.
pub fn write_person(person: &Person) -> Result<String, ron::Error> {
    to_ron(&PersonFileOut {
        format: FORMAT_VERSION,
        person,
    })
}

/// Parse one person file of any supported version.
pub fn read_person(text: &str) -> Result<Person, ParseError> {
    match scan_format_version(text)? {
        1 => from_ron::<PersonFileV1>(text).map(|f| f.person.migrate().migrate()),
        2 => from_ron::<PersonFileV2>(text).map(|f| f.person.migrate()),
        _ => from_ron::<PersonFile>(text).map(|f| f.person),
    }
}

#[derive(Serialize)]
struct OrgFileOut<'a> {
    format: u32,
    organization: &'a Organization,
}

#[derive(Deserialize)]
struct OrgFile {
    organization: Organization,
}

/// Serialise one organization file.
pub fn write_org(organization: &Organization) -> Result<String, ron::Error> {
    to_ron(&OrgFileOut {
        format: FORMAT_VERSION,
        organization,
    })
}

/// Parse one organization file (unchanged between versions 1 and 2).
pub fn read_org(text: &str) -> Result<Organization, ParseError> {
    scan_format_version(text)?;
    from_ron::<OrgFile>(text).map(|f| f.organization)
}

#[derive(Serialize)]
struct MonthFileOut<'a> {
    format: u32,
    interactions: Vec<&'a Interaction>,
}

#[derive(Deserialize)]
struct MonthFile {
    interactions: Vec<Interaction>,
}

/// Serialise one month of interactions (sorted by date, then id, for stable diffs).
pub fn write_month(interactions: Vec<&Interaction>) -> Result<String, ron::Error> {
    let mut interactions = interactions;
    interactions.sort_by_key(|i| (i.date, i.id));
    to_ron(&MonthFileOut {
        format: FORMAT_VERSION,
        interactions,
    })
}

/// Parse one month file of any supported version.
pub fn read_month(text: &str) -> Result<Vec<Interaction>, ParseError> {
    match scan_format_version(text)? {
        1 => from_ron::<MonthFileV1>(text).map(|f| {
            f.interactions
                .into_iter()
                .map(InteractionV1::migrate)
                .collect()
        }),
        _ => from_ron::<MonthFile>(text).map(|f| f.interactions),
    }
}

#[derive(Serialize)]
struct MeFileOut<'a> {
    format: u32,
    me: &'a Me,
}

#[derive(Deserialize)]
struct MeFile {
    me: Me,
}

/// Serialise your profile.
pub fn write_me(me: &Me) -> Result<String, ron::Error> {
    to_ron(&MeFileOut {
        format: FORMAT_VERSION,
        me,
    })
}

/// Parse your profile.
pub fn read_me(text: &str) -> Result<Me, ParseError> {
    scan_format_version(text)?;
    from_ron::<MeFile>(text).map(|f| f.me)
}

#[derive(Serialize)]
struct SettingsFileOut<'a> {
    format: u32,
    settings: &'a Settings,
}

#[derive(Deserialize)]
struct SettingsFile {
    settings: Settings,
}

/// Serialise settings.
pub fn write_settings(settings: &Settings) -> Result<String, ron::Error> {
    to_ron(&SettingsFileOut {
        format: FORMAT_VERSION,
        settings,
    })
}

/// Parse settings.
pub fn read_settings(text: &str) -> Result<Settings, ParseError> {
    scan_format_version(text)?;
    from_ron::<SettingsFile>(text).map(|f| f.settings)
}

#[derive(Serialize)]
struct InterestsFileOut<'a> {
    format: u32,
    interests: &'a InterestCatalog,
}

#[derive(Deserialize)]
struct InterestsFile {
    interests: InterestCatalog,
}

/// Serialise the interest catalog.
pub fn write_interests(interests: &InterestCatalog) -> Result<String, ron::Error> {
    to_ron(&InterestsFileOut {
        format: FORMAT_VERSION,
        interests,
    })
}

/// Parse the interest catalog.
pub fn read_interests(text: &str) -> Result<InterestCatalog, ParseError> {
    scan_format_version(text)?;
    from_ron::<InterestsFile>(text).map(|f| f.interests)
}

/// A whole model in one file: the bundled demo network and test fixtures.
#[derive(Serialize, Deserialize)]
struct SnapshotFile<P = Person> {
    format: u32,
    /// The day the snapshot's dates are relative to.
    anchor: NaiveDate,
    #[serde(default)]
    me: Me,
    #[serde(default)]
    settings: Settings,
    #[serde(default)]
    interests: InterestCatalog,
    #[serde(default)]
    organizations: Vec<Organization>,
    #[serde(default = "Vec::new")]
    people: Vec<P>,
    #[serde(default)]
    interactions: Vec<Interaction>,
}

/// Serialise a whole model as one snapshot file, anchored at `anchor`.
pub fn write_snapshot(
    model: &crate::model::Model,
    anchor: NaiveDate,
) -> Result<String, ron::Error> {
    let mut interactions: Vec<Interaction> = model.interactions.values().cloned().collect();
    interactions.sort_by_key(|i| (i.date, i.id));
    to_ron(&SnapshotFile {
        format: FORMAT_VERSION,
        anchor,
        me: model.me.clone(),
        settings: model.settings.clone(),
        interests: model.interests.clone(),
        organizations: model.orgs.values().cloned().collect(),
        people: model.people.values().cloned().collect(),
        interactions,
    })
}

/// Parse a snapshot; returns the model and its anchor day.
pub fn read_snapshot(text: &str) -> Result<(crate::model::Model, NaiveDate), ParseError> {
    let file: SnapshotFile = match scan_format_version(text)? {
        3.. => from_ron(text)?,
        _ => {
            let old: SnapshotFile<PersonV2> = from_ron(text)?;
            SnapshotFile {
                format: old.format,
                anchor: old.anchor,
                me: old.me,
                settings: old.settings,
                interests: old.interests,
                organizations: old.organizations,
                people: old.people.into_iter().map(PersonV2::migrate).collect(),
                interactions: old.interactions,
            }
        }
    };
    let mut model = crate::model::Model {
        me: file.me,
        settings: file.settings,
        interests: file.interests,
        ..Default::default()
    };
    for org in file.organizations {
        model.orgs.insert(org.id, org);
    }
    for person in file.people {
        model.people.insert(person.id, person);
    }
    for interaction in file.interactions {
        model.interactions.insert(interaction.id, interaction);
    }
    Ok((model, file.anchor))
}

/// Move every date in the model by `days` (keeps a demo network current).
pub fn shift_dates(model: &mut crate::model::Model, days: i64) {
    let shift = |d: &mut NaiveDate| *d += chrono::Duration::days(days);
    for person in model.people.values_mut() {
        if let Some(d) = person.met.date.as_mut() {
            shift(d);
        }
        for change in &mut person.stage_history {
            shift(&mut change.date);
        }
        for noted in &mut person.needs_noted {
            shift(&mut noted.date);
        }
        for met in &mut person.needs_met {
            shift(&mut met.date);
        }
        match &mut person.newsletter {
            Consent::Yes { date } => shift(date),
            Consent::No { date: Some(date) } => shift(date),
            _ => {}
        }
    }
    for org in model.orgs.values_mut() {
        for span in &mut org.my_roles {
            shift(&mut span.since);
            if let Some(until) = span.until.as_mut() {
                shift(until);
            }
        }
        for event in &mut org.events {
            shift(&mut event.date);
        }
    }
    for interaction in model.interactions.values_mut() {
        shift(&mut interaction.date);
        if let Some(d) = interaction.follow_up.as_mut() {
            shift(d);
        }
        if let Some(d) = interaction.snoozed_from.as_mut() {
            shift(d);
        }
        if let Some(offer) = interaction.intro.as_mut() {
            for answer in [&mut offer.first, &mut offer.second] {
                if let crate::model::IntroAnswer::Accepted { date }
                | crate::model::IntroAnswer::Declined { date } = answer
                {
                    shift(date);
                }
            }
        }
    }
}

/// The bundled demo network, with its dates moved so that its anchor is `today`.
pub fn demo_model(today: NaiveDate) -> Result<crate::model::Model, ParseError> {
    let (mut model, anchor) = read_snapshot(include_str!("../../assets/demo.ron"))?;
    shift_dates(&mut model, (today - anchor).num_days());
    model.settings.is_demo = true;
    Ok(model)
}

// ---- Version 1 -------------------------------------------------------------

#[derive(Deserialize)]
struct PersonFileV1 {
    person: PersonV1,
}

#[derive(Deserialize)]
struct PersonV1 {
    id: PersonId,
    name: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    met_at: String,
    #[serde(default)]
    met_on: Option<NaiveDate>,
    #[serde(default)]
    introduced_by: Option<PersonId>,
    #[serde(default)]
    interests: String,
    #[serde(default)]
    stage: Stage,
    #[serde(default)]
    subscribed_on: Option<NaiveDate>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    deleted: bool,
}

impl PersonV1 {
    fn migrate(self) -> PersonV2 {
        let non_empty = |s: String| {
            let s = s.trim().to_string();
            if s.is_empty() { vec![] } else { vec![s] }
        };
        PersonV2 {
            id: self.id,
            name: self.name,
            organization: self.organization,
            role: self.role,
            emails: non_empty(self.email),
            phones: non_empty(self.phone),
            met: Meeting {
                place: self.met_at,
                date: self.met_on,
            },
            introduced_by: self.introduced_by,
            interests: self
                .interests
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            stage: self.stage,
            // Version 1 could only record a dated "subscribed"; absence meant
            // nobody asked, never "no".
            newsletter: match self.subscribed_on {
                Some(date) => Consent::Yes { date },
                None => Consent::NotAsked,
            },
            tags: self.tags,
            notes: self.notes,
            deleted: self.deleted,
            links: Vec::new(),
            needs: Vec::new(),
            wants: Vec::new(),
            stage_history: Vec::new(),
            memberships: Vec::new(),
            extra: Vec::new(),
        }
    }
}

// ---- Version 2 -------------------------------------------------------------

#[derive(Deserialize)]
struct PersonFileV2 {
    person: PersonV2,
}

/// A person as format 2 wrote it: contact values were bare strings, and
/// the address-book fields lived in `extra` as vCard properties.
#[derive(Deserialize)]
struct PersonV2 {
    id: PersonId,
    name: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    emails: Vec<String>,
    #[serde(default)]
    phones: Vec<String>,
    #[serde(default)]
    links: Vec<String>,
    #[serde(default)]
    met: Meeting,
    #[serde(default)]
    introduced_by: Option<PersonId>,
    #[serde(default)]
    interests: Vec<String>,
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    wants: Vec<String>,
    #[serde(default)]
    stage: Stage,
    #[serde(default)]
    stage_history: Vec<crate::model::StageChange>,
    #[serde(default)]
    newsletter: Consent,
    #[serde(default)]
    memberships: Vec<crate::model::Membership>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    extra: Vec<(String, String)>,
}

impl PersonV2 {
    fn migrate(self) -> Person {
        let contacts = |list: Vec<String>| list.into_iter().map(Contact::new).collect();
        let mut person = Person {
            id: self.id,
            name: self.name,
            organization: self.organization,
            role: self.role,
            emails: contacts(self.emails),
            phones: contacts(self.phones),
            links: contacts(self.links),
            met: self.met,
            introduced_by: self.introduced_by,
            interests: self.interests,
            needs: self.needs,
            wants: self.wants,
            stage: self.stage,
            stage_history: self.stage_history,
            newsletter: self.newsletter,
            memberships: self.memberships,
            tags: self.tags,
            notes: self.notes,
            deleted: self.deleted,
            extra: self.extra,
            ..Default::default()
        };
        crate::exchange::vcard::lift_kept_properties(&mut person);
        crate::exchange::csv_import::lift_kept_columns(&mut person);
        person
    }
}

#[derive(Deserialize)]
struct MonthFileV1 {
    interactions: Vec<InteractionV1>,
}

#[derive(Deserialize)]
struct InteractionV1 {
    id: InteractionId,
    date: NaiveDate,
    kind: InteractionKind,
    with: PersonId,
    #[serde(default)]
    note: String,
    #[serde(default)]
    follow_up: Option<NaiveDate>,
}

impl InteractionV1 {
    fn migrate(self) -> Interaction {
        Interaction {
            id: self.id,
            date: self.date,
            kind: self.kind,
            people: vec![self.with],
            note: self.note,
            follow_up: self.follow_up,
            follow_up_done: false,
            ..Interaction::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_scan() {
        assert_eq!(scan_format_version("(\n    format: 2,\n"), Ok(2));
        assert_eq!(scan_format_version("(format:1)"), Ok(1));
        assert!(scan_format_version("(person: ())").is_err());
        let newer = scan_format_version("(format: 9)").unwrap_err();
        assert!(newer.message.contains("newer kith"), "{newer}");
    }

    #[test]
    fn parse_errors_carry_line_and_column() {
        let error = read_person("(\n    format: 2,\n    person: (id: 7),\n)").unwrap_err();
        assert_eq!(error.line, Some(3));
        assert!(error.column.is_some());
    }
}
