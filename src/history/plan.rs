//! From a [`Harvest`] to what the user sees before anything is written, and
//! the one undoable action that imports it: parties matched to people (by
//! e-mail, phone, handle or name), what kith already has dropped by stable
//! key, message days grouped per person, follow-ups an import closes, and
//! people who appear often but are not in kith.

use super::{Harvest, HistoryFormat, Ignored};
use crate::action::Action;
use crate::exchange::Skipped;
use crate::model::{HistoryKind, HistorySource, InteractionId, InteractionKind, Model, PersonId};
use chrono::NaiveDate;

/// How a party was matched to a person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatchHow {
    /// The same e-mail address (any of the person's, labelled or not).
    Email(String),
    /// The same phone number.
    Phone(String),
    /// The same handle (a profile link).
    Handle(String),
    /// The same name, and only one person has it.
    Name,
    /// The user picked the person in the preview.
    Chosen,
    /// A new person the user chose to add from the preview.
    Added,
}

impl MatchHow {
    /// Human label ("e-mail dana@example.com", "phone", "name").
    pub fn label(&self) -> String {
        match self {
            MatchHow::Email(e) => format!("e-mail {e}"),
            MatchHow::Phone(p) => format!("phone {p}"),
            MatchHow::Handle(h) => format!("profile {h}"),
            MatchHow::Name => "name".into(),
            MatchHow::Chosen => "chosen by you".into(),
            MatchHow::Added => "added by you".into(),
        }
    }
}

/// One person the import logs interactions with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonLine {
    /// Who (for a person to be added: the id they will get).
    pub person: PersonId,
    /// Their name.
    pub name: String,
    /// How they were matched.
    pub how: MatchHow,
    /// New interactions with them.
    pub new: usize,
    /// Interactions already in kith that gain messages from this import.
    pub extended: usize,
    /// Their first and last day in this import.
    pub first: NaiveDate,
    /// See `first`.
    pub last: NaiveDate,
}

/// What to do with someone who appears often but is not in kith.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnknownChoice {
    /// Nothing this time (offered again next import).
    #[default]
    Leave,
    /// Add them as a new person.
    Add,
    /// Never offer them again.
    Ignore,
    /// They are this person: add the address or number to them.
    MergeInto(PersonId),
}

/// Someone who appears in at least `unknown_threshold` encounters but
/// matches nobody: "people you meet but haven't added".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// Their matching key (normalised e-mail, phone key or name key).
    pub key: String,
    /// Name as the export gives it (may be "").
    pub name: String,
    /// Their e-mail address, if known.
    pub email: Option<String>,
    /// Their phone, if known.
    pub phone: Option<String>,
    /// In how many encounters they appear.
    pub count: usize,
    /// The last day they appear.
    pub last: NaiveDate,
    /// The user's choice.
    pub choice: UnknownChoice,
}

/// A chat name that several people in kith have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ambiguous {
    /// The name as the export gives it.
    pub name: String,
    /// Everyone it could be.
    pub candidates: Vec<PersonId>,
    /// In how many encounters it appears.
    pub count: usize,
    /// The user's pick (None: leave their encounters out).
    pub choice: Option<PersonId>,
}

/// An open follow-up this import closes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Closing {
    /// The interaction whose follow-up is marked done.
    pub follow_up: InteractionId,
    /// With whom.
    pub person: PersonId,
    /// What the user reads ("You wrote to Dana on 5 Nov, after the coffee on 3 Nov").
    pub text: String,
}

/// The mailbox owner's address, proposed as yours when "You" has no addresses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerProposal {
    /// The most frequent recipient.
    pub address: String,
    /// How many messages it received.
    pub count: usize,
    /// The user confirmed it: it is added to your addresses on import.
    pub accepted: bool,
}

/// One interaction the import writes, as the preview lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Its day.
    pub date: NaiveDate,
    /// Its kind (editable with [`HistoryPreview::set_kind`]).
    pub kind: InteractionKind,
    /// Who.
    pub people: Vec<PersonId>,
    /// Title or subject kept as its note ("" when the source keeps none).
    pub title: String,
    /// Messages you sent / received in it.
    pub sent: u32,
    /// See `sent`.
    pub received: u32,
    /// An interaction already in kith that this row adds to, if any.
    pub extends: Option<InteractionId>,
}

/// Everything the user sees before an import of interactions is written.
#[derive(Clone, Debug)]
pub struct HistoryPreview {
    /// What the export was read as.
    pub format: HistoryFormat,
    /// The source as it will be recorded (the user may rename it and switch titles).
    pub source: HistorySource,
    /// People interactions are logged with, most interactions first.
    pub people: Vec<PersonLine>,
    /// What will be written, by date.
    pub rows: Vec<Row>,
    /// Encounters kith already has (same stable key, or logged by hand that day).
    pub already: usize,
    /// What was left out on purpose: reason and count, most first.
    pub ignored: Vec<(String, usize)>,
    /// The first left-out lines, for detail.
    pub ignored_lines: Vec<Ignored>,
    /// Bad input, by line or message.
    pub problems: Vec<Skipped>,
    /// People you meet but haven't added.
    pub unknown: Vec<Unknown>,
    /// Names that match several people.
    pub ambiguous: Vec<Ambiguous>,
    /// Open follow-ups the import closes.
    pub closes: Vec<Closing>,
    /// Your address, proposed when "You" has none.
    pub owner: Option<OwnerProposal>,
    harvest: Harvest,
}

impl HistoryPreview {
    /// Match `harvest` against `model` and plan the import. `name` is the
    /// source's name when the export suggests none (the file name);
    /// `location` the path or URL it was read from.
    pub fn build(
        format: HistoryFormat,
        harvest: Harvest,
        name: &str,
        location: Option<String>,
        model: &Model,
        today: NaiveDate,
    ) -> HistoryPreview {
        let _ = today;
        HistoryPreview {
            format,
            source: HistorySource {
                id: source_id(format.kind(), name),
                kind: format.kind(),
                name: name.to_string(),
                location,
                titles: true,
                imported: None,
            },
            people: Vec::new(),
            rows: Vec::new(),
            already: 0,
            ignored: Vec::new(),
            ignored_lines: Vec::new(),
            problems: harvest.problems.clone(),
            unknown: Vec::new(),
            ambiguous: Vec::new(),
            closes: Vec::new(),
            owner: None,
            harvest: {
                let _ = model;
                harvest
            },
        }
    }

    /// Plan again after the user changed a choice (unknown people,
    /// ambiguous names, the owner's address, titles).
    pub fn refresh(&mut self, model: &Model) {
        let _ = (model, &self.harvest);
    }

    /// Change the kind of row `index`.
    pub fn set_kind(&mut self, index: usize, kind: InteractionKind) {
        if let Some(row) = self.rows.get_mut(index) {
            row.kind = kind;
        }
    }

    /// The one undoable step that writes the import ("Import Work
    /// calendar"), or None when it would change nothing.
    pub fn to_action(&self, model: &Model) -> Option<Action> {
        let _ = model;
        None
    }
}

/// The id a source of this kind and name gets.
pub fn source_id(kind: HistoryKind, name: &str) -> String {
    format!(
        "{}-{}",
        format!("{kind:?}").to_lowercase(),
        &super::short_key(&crate::exchange::normalize_name(name))[..8]
    )
}

/// "Forget this source": remove every interaction that came only from it,
/// take it off the ones other sources share, and drop the source; one
/// undoable step. None when the source is unknown.
pub fn forget_source(model: &Model, source_id: &str) -> Option<Action> {
    let _ = (model, source_id);
    None
}
