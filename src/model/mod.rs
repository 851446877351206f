//! The pure data model of kith: people, organizations, interactions and you.
//!
//! Nothing in here knows about egui or the disk. The model changes only
//! through [`crate::action::Action`] values, which keeps undo/redo exact.

mod contact;
mod interest;

pub use contact::{
    Address, Contact, DateKind, ImportantDate, Label, MONTH_NAMES, NameParts, PartialDate,
    Relation, RelationKind, primary, push_contact,
};
pub use interest::{Interest, InterestCatalog, InterestKey, normalize_interest};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use uuid::Uuid;

thread_local! {
    /// Set while [`with_every_field`] runs on this thread.
    static EVERY_FIELD: Cell<bool> = const { Cell::new(false) };
}

/// Run `serialize` with every field written, including the ones data files
/// leave out when empty: the binary load cache has no field names, so its
/// reader expects each field in its place.
pub fn with_every_field<T>(serialize: impl FnOnce() -> T) -> T {
    let before = EVERY_FIELD.replace(true);
    let result = serialize();
    EVERY_FIELD.set(before);
    result
}

/// Data files leave out an empty `extra` list (most people have none).
fn leave_out_empty<T>(list: &[T]) -> bool {
    list.is_empty() && !EVERY_FIELD.get()
}

/// Data files leave out a field that holds its default (no name parts).
fn leave_out_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default() && !EVERY_FIELD.get()
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random id.
            pub fn new_random() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Stable identity of a person; also the name of their file on disk.
    PersonId
);
id_type!(
    /// Stable identity of an organization.
    OrgId
);
id_type!(
    /// Stable identity of one interaction.
    InteractionId
);

/// How far a relationship has come: know, then like, then trust.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Stage {
    /// Met once; a name and a face.
    #[default]
    Acquaintance,
    /// You know who they are and what they do.
    Know,
    /// You enjoy each other's company and have met one-to-one.
    Like,
    /// You would vouch for each other.
    Trust,
    /// Was active, has gone quiet.
    Dormant,
}

impl Stage {
    /// Every stage, in display order.
    pub const ALL: [Stage; 5] = [
        Stage::Acquaintance,
        Stage::Know,
        Stage::Like,
        Stage::Trust,
        Stage::Dormant,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Acquaintance => "Acquaintance",
            Stage::Know => "Know",
            Stage::Like => "Like",
            Stage::Trust => "Trust",
            Stage::Dormant => "Dormant",
        }
    }

    /// How much the relationship is worth keeping warm (Dormant counts as what it was, roughly Know).
    pub fn weight(self) -> f32 {
        match self {
            Stage::Acquaintance => 1.0,
            Stage::Know => 2.0,
            Stage::Like => 3.0,
            Stage::Trust => 4.0,
            Stage::Dormant => 1.5,
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Newsletter consent. It is asked, never assumed: the default is `NotAsked`
/// and no code path sets `Yes` except an explicit user edit or an import of an
/// explicit kith consent record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Consent {
    /// Nobody asked yet.
    #[default]
    NotAsked,
    /// They said yes, on this date.
    Yes {
        /// When they agreed.
        date: NaiveDate,
    },
    /// They said no (optionally when).
    No {
        /// When they declined, if known.
        date: Option<NaiveDate>,
    },
}

impl Consent {
    /// True only for an explicit yes.
    pub fn is_yes(&self) -> bool {
        matches!(self, Consent::Yes { .. })
    }

    /// The consent two records of one person add up to (a merge): a No on
    /// either side wins, so a stale copy can never undo a revocation; then
    /// a Yes; NotAsked only when neither side was asked. On a tie `self`
    /// is kept.
    pub fn combine(&self, other: &Consent) -> Consent {
        let rank = |consent: &Consent| match consent {
            Consent::No { .. } => 2,
            Consent::Yes { .. } => 1,
            Consent::NotAsked => 0,
        };
        if rank(other) > rank(self) {
            other.clone()
        } else {
            self.clone()
        }
    }

    /// Short label for lists.
    pub fn label(&self) -> &'static str {
        match self {
            Consent::NotAsked => "Not asked",
            Consent::Yes { .. } => "Yes",
            Consent::No { .. } => "No",
        }
    }
}

/// Where and when you first met someone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Meeting {
    /// The event or place ("Chamber breakfast", "LinkedIn").
    #[serde(default)]
    pub place: String,
    /// The date, if known.
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

/// A person's link to one of the organizations you track.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Membership {
    /// The organization.
    pub org: OrgId,
    /// Their role there ("member", "treasurer").
    #[serde(default)]
    pub role: String,
}

/// When the relationship stage changed (drawn on the timeline).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StageChange {
    /// Day of the change.
    pub date: NaiveDate,
    /// The new stage.
    pub stage: Stage,
}

/// The day an open need was noted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NeedNoted {
    /// The need, as written in [`Person::needs`].
    pub need: String,
    /// The day it was noted.
    pub date: NaiveDate,
}

/// A need that was met.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NeedMet {
    /// The need, as it was written.
    pub need: String,
    /// The day it was met.
    pub date: NaiveDate,
    /// The interaction that met it (an introduction, help given), if any.
    #[serde(default)]
    pub interaction: Option<InteractionId>,
    /// Who helped: a person in your network, or None for you.
    #[serde(default)]
    pub helper: Option<PersonId>,
}

/// One person in your network.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Stable id.
    pub id: PersonId,
    /// Full name as the user writes it (vCard FN); never re-derived from the parts.
    pub name: String,
    /// Prefix, given, middle, family and suffix names, and how they sound (vCard N).
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub name_parts: NameParts,
    /// Nicknames.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub nicknames: Vec<String>,
    /// Employer or company (free text).
    #[serde(default)]
    pub organization: String,
    /// Department and further units of the organization, outermost first.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub org_units: Vec<String>,
    /// Job title at the employer.
    #[serde(default)]
    pub role: String,
    /// Further job titles (a second vCard TITLE).
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub other_titles: Vec<String>,
    /// What they do there, as a vCard ROLE ("Programmer").
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub functions: Vec<String>,
    /// E-mail addresses; the preferred one, else the first, is primary.
    #[serde(default)]
    pub emails: Vec<Contact>,
    /// Phone numbers, as written; the preferred one, else the first, is primary.
    #[serde(default)]
    pub phones: Vec<Contact>,
    /// Web links (LinkedIn, site…).
    #[serde(default)]
    pub links: Vec<Contact>,
    /// Postal addresses.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub addresses: Vec<Address>,
    /// Birthday, anniversary and other dates worth remembering.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub dates: Vec<ImportantDate>,
    /// Their spouse, children, manager… (the other side is shown on the other person).
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub relations: Vec<Relation>,
    /// Identities files gave this person: vCard UIDs and CSV row ids. A
    /// re-import matches on these first; a vCard export writes the first back.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub source_ids: Vec<String>,
    /// Where and when you met.
    #[serde(default)]
    pub met: Meeting,
    /// Who introduced you (follow the chain through this link).
    #[serde(default)]
    pub introduced_by: Option<PersonId>,
    /// What they care about, as typed; resolved through the [`InterestCatalog`].
    #[serde(default)]
    pub interests: Vec<String>,
    /// What they need right now (where you can help).
    #[serde(default)]
    pub needs: Vec<String>,
    /// What they want (goals, wishes).
    #[serde(default)]
    pub wants: Vec<String>,
    /// When each open need was noted (ranks fresh needs first). A need
    /// without an entry was noted before kith kept the day.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub needs_noted: Vec<NeedNoted>,
    /// Needs that were met: what, when, by whom and through which interaction.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub needs_met: Vec<NeedMet>,
    /// What they can help others with (chips like interests), matched against needs.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub can_help_with: Vec<String>,
    /// Days between contacts you aim for with this person; overrides the
    /// stage's default cadence when set.
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub rhythm_days: Option<u32>,
    /// Relationship stage.
    #[serde(default)]
    pub stage: Stage,
    /// History of stage changes, oldest first.
    #[serde(default)]
    pub stage_history: Vec<StageChange>,
    /// Newsletter consent (never assumed).
    #[serde(default)]
    pub newsletter: Consent,
    /// Memberships in tracked organizations.
    #[serde(default)]
    pub memberships: Vec<Membership>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
    /// Soft-deleted: in the trash, restorable.
    #[serde(default)]
    pub deleted: bool,
    /// Properties from imports kith has no field for, kept so exports lose nothing.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub extra: Vec<(String, String)>,
}

impl Person {
    /// The fields this edit changed relative to `base`, applied onto `onto`
    /// (a newer version of the same record, e.g. one a sync tool wrote):
    /// an edit in progress survives a reload, and so do the other fields.
    pub fn rebase(&self, base: &Person, onto: &Person) -> Person {
        let mut out = onto.clone();
        macro_rules! keep_edited {
            ($($field:ident),*) => {
                $(if self.$field != base.$field {
                    out.$field = self.$field.clone();
                })*
            };
        }
        keep_edited!(
            name,
            name_parts,
            nicknames,
            organization,
            org_units,
            role,
            other_titles,
            functions,
            emails,
            phones,
            links,
            addresses,
            dates,
            relations,
            source_ids,
            met,
            introduced_by,
            interests,
            needs,
            wants,
            needs_noted,
            needs_met,
            can_help_with,
            rhythm_days,
            stage,
            stage_history,
            newsletter,
            memberships,
            tags,
            notes,
            deleted,
            extra
        );
        out
    }

    /// Days between contacts you aim for: the person's own rhythm, else the
    /// stage default from `settings`.
    pub fn rhythm(&self, settings: &Settings) -> u32 {
        self.rhythm_days
            .filter(|days| *days > 0)
            .unwrap_or_else(|| settings.cadence(self.stage))
    }

    /// The day `need` was noted, if kith kept it.
    pub fn need_noted_on(&self, need: &str) -> Option<NaiveDate> {
        self.needs_noted
            .iter()
            .find(|n| n.need == need)
            .map(|n| n.date)
    }

    /// Keep [`needs_noted`](Self::needs_noted) in step with
    /// [`needs`](Self::needs) after an edit: needs new since `before` are
    /// noted on `today`, and entries of needs no longer open are dropped.
    pub fn note_needs(&mut self, before: &Person, today: NaiveDate) {
        for need in &self.needs {
            let known = self.needs_noted.iter().any(|n| &n.need == need);
            if !known && !before.needs.contains(need) {
                self.needs_noted.push(NeedNoted {
                    need: need.clone(),
                    date: today,
                });
            }
        }
        let open = &self.needs;
        self.needs_noted.retain(|n| open.contains(&n.need));
    }

    /// Mark the open need `need` met on `date`: it leaves
    /// [`needs`](Self::needs) and is recorded in [`needs_met`](Self::needs_met).
    /// Returns false (and changes nothing) when no such need is open.
    pub fn mark_need_met(
        &mut self,
        need: &str,
        date: NaiveDate,
        interaction: Option<InteractionId>,
        helper: Option<PersonId>,
    ) -> bool {
        let Some(at) = self.needs.iter().position(|n| n == need) else {
            return false;
        };
        let need = self.needs.remove(at);
        self.needs_noted.retain(|n| n.need != need);
        self.needs_met.push(NeedMet {
            need,
            date,
            interaction,
            helper,
        });
        true
    }

    /// The primary e-mail address (the preferred one, else the first).
    pub fn primary_email(&self) -> Option<&str> {
        primary(&self.emails).map(|c| c.value.as_str())
    }

    /// The primary phone number.
    pub fn primary_phone(&self) -> Option<&str> {
        primary(&self.phones).map(|c| c.value.as_str())
    }

    /// The birthday, if known.
    pub fn birthday(&self) -> Option<&PartialDate> {
        self.dates
            .iter()
            .find(|d| d.kind == DateKind::Birthday)
            .map(|d| &d.date)
    }

    /// Initials for an avatar: the first letters of the first and last words
    /// of the name ("Ada King" -> "AK"), upper case; "?" for no name.
    pub fn initials(&self) -> String {
        let words: Vec<&str> = self
            .name
            .split_whitespace()
            .filter(|w| w.chars().next().is_some_and(char::is_alphanumeric))
            .collect();
        let first = |w: &&str| w.chars().next().into_iter().flat_map(char::to_uppercase);
        match words.as_slice() {
            [] => "?".into(),
            [only] => first(only).collect(),
            [head, .., last] => first(head).chain(first(last)).collect(),
        }
    }

    /// A new, empty person with a fresh id.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            id: PersonId::new_random(),
            name: name.into(),
            ..Default::default()
        }
    }
}

impl Default for PersonId {
    fn default() -> Self {
        PersonId(Uuid::nil())
    }
}

/// What kind of group an organization is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OrgKind {
    /// Chamber of commerce.
    Chamber,
    /// Referral club (BNI and similar).
    ReferralClub,
    /// Professional association.
    Professional,
    /// Community group, meetup, club.
    Community,
    /// Anything else.
    #[default]
    Other,
}

impl OrgKind {
    /// Every kind, in display order.
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Chamber,
        OrgKind::ReferralClub,
        OrgKind::Professional,
        OrgKind::Community,
        OrgKind::Other,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Chamber => "Chamber",
            OrgKind::ReferralClub => "Referral club",
            OrgKind::Professional => "Professional group",
            OrgKind::Community => "Community",
            OrgKind::Other => "Other",
        }
    }
}

/// Your level of involvement in a group; taking part is how networking works.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum Involvement {
    /// You pay dues and show up.
    #[default]
    Member,
    /// You help at events.
    Volunteer,
    /// You sit on a committee.
    Committee,
    /// You lead (chair, president, host).
    Leader,
}

impl Involvement {
    /// Every level, lowest first.
    pub const ALL: [Involvement; 4] = [
        Involvement::Member,
        Involvement::Volunteer,
        Involvement::Committee,
        Involvement::Leader,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            Involvement::Member => "Member",
            Involvement::Volunteer => "Volunteer",
            Involvement::Committee => "Committee",
            Involvement::Leader => "Leader",
        }
    }
}

/// A span of time in which you held a role in a group.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RoleSpan {
    /// Your involvement.
    pub role: Involvement,
    /// From this day.
    pub since: NaiveDate,
    /// Until this day (None = still).
    #[serde(default)]
    pub until: Option<NaiveDate>,
}

/// A meeting or event of an organization, and whether you went.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OrgEvent {
    /// Day of the event.
    pub date: NaiveDate,
    /// Title ("Monthly breakfast").
    pub title: String,
    /// You attended (for past events).
    #[serde(default)]
    pub attended: bool,
}

/// A chamber, referral club, professional group or community you belong to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Stable id.
    pub id: OrgId,
    /// Name.
    pub name: String,
    /// What kind of group.
    #[serde(default)]
    pub kind: OrgKind,
    /// Your roles over time.
    #[serde(default)]
    pub my_roles: Vec<RoleSpan>,
    /// Events, past (attendance) and upcoming.
    #[serde(default)]
    pub events: Vec<OrgEvent>,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
}

impl Default for OrgId {
    fn default() -> Self {
        OrgId(Uuid::nil())
    }
}

impl Organization {
    /// A new organization with a fresh id.
    pub fn new(name: impl Into<String>, kind: OrgKind) -> Self {
        Self {
            id: OrgId::new_random(),
            name: name.into(),
            kind,
            ..Default::default()
        }
    }

    /// Your role on a given day, if any.
    pub fn role_on(&self, day: NaiveDate) -> Option<Involvement> {
        self.my_roles
            .iter()
            .filter(|span| span.since <= day && span.until.is_none_or(|until| day <= until))
            .map(|span| span.role)
            .max()
    }
}

/// What happened in an interaction.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum InteractionKind {
    /// Met at an event.
    MetAtEvent,
    /// Coffee together.
    Coffee,
    /// Lunch together.
    Lunch,
    /// Phone or video call.
    Call,
    /// Message (email, chat).
    Message,
    /// A handwritten or thoughtful note you sent.
    NoteSent,
    /// You helped them.
    HelpGiven,
    /// You asked them for help.
    HelpAsked,
    /// You introduced people to each other.
    IntroductionMade,
    /// You offered an introduction and asked each side first (double opt-in).
    IntroductionOffered,
    /// Anything else.
    #[default]
    Other,
}

impl InteractionKind {
    /// Every kind, in display order.
    pub const ALL: [InteractionKind; 11] = [
        InteractionKind::MetAtEvent,
        InteractionKind::Coffee,
        InteractionKind::Lunch,
        InteractionKind::Call,
        InteractionKind::Message,
        InteractionKind::NoteSent,
        InteractionKind::HelpGiven,
        InteractionKind::HelpAsked,
        InteractionKind::IntroductionMade,
        InteractionKind::IntroductionOffered,
        InteractionKind::Other,
    ];

    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            InteractionKind::MetAtEvent => "Met at event",
            InteractionKind::Coffee => "Coffee",
            InteractionKind::Lunch => "Lunch",
            InteractionKind::Call => "Call",
            InteractionKind::Message => "Message",
            InteractionKind::NoteSent => "Note sent",
            InteractionKind::HelpGiven => "Help given",
            InteractionKind::HelpAsked => "Help asked",
            InteractionKind::IntroductionMade => "Introduction made",
            InteractionKind::IntroductionOffered => "Introduction offered",
            InteractionKind::Other => "Other",
        }
    }

    /// What a follow-up comes after, as it reads in "after … on 3 Nov".
    pub fn after_phrase(self) -> &'static str {
        match self {
            InteractionKind::MetAtEvent => "meeting at an event",
            InteractionKind::Coffee => "coffee",
            InteractionKind::Lunch => "lunch",
            InteractionKind::Call => "a call",
            InteractionKind::Message => "a message",
            InteractionKind::NoteSent => "a note",
            InteractionKind::HelpGiven => "helping",
            InteractionKind::HelpAsked => "asking for help",
            InteractionKind::IntroductionMade => "an introduction",
            InteractionKind::IntroductionOffered => "offering an introduction",
            InteractionKind::Other => "contact",
        }
    }

    /// True for the kinds recorded by picking them in a form; an offered
    /// introduction is made through the introduction composer, which also
    /// records each side's answer.
    pub fn is_recorded_directly(self) -> bool {
        self != InteractionKind::IntroductionOffered
    }

    /// A one-to-one meeting in person (evidence of "Like").
    pub fn is_one_to_one(self) -> bool {
        matches!(self, InteractionKind::Coffee | InteractionKind::Lunch)
    }
}

/// One thing that happened between you and one or more people.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// Stable id.
    pub id: InteractionId,
    /// Day it happened.
    pub date: NaiveDate,
    /// What happened.
    pub kind: InteractionKind,
    /// Everyone involved (one or several).
    pub people: Vec<PersonId>,
    /// Free note.
    #[serde(default)]
    pub note: String,
    /// When to follow up, if at all.
    #[serde(default)]
    pub follow_up: Option<NaiveDate>,
    /// The follow-up was done.
    #[serde(default)]
    pub follow_up_done: bool,
    /// The day the follow-up was first due, once it has been snoozed to a later day.
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub snoozed_from: Option<NaiveDate>,
    /// For an introduction offer (double opt-in): the reason and each side's answer.
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub intro: Option<IntroOffer>,
    /// Where an interaction kith logged from a calendar, mail or chat export
    /// came from (None for interactions typed in kith).
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub origin: Option<Origin>,
}

/// What an imported interaction was made from: the sources that hold it and
/// the stable keys of the events, messages or chat days in it. Re-importing
/// a file whose keys are already here adds nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Origin {
    /// Ids of the [`HistorySource`]s it came from (sorted, no repeats).
    #[serde(default)]
    pub sources: Vec<String>,
    /// Hashed stable keys (see `crate::history::short_key`), sorted, no repeats.
    #[serde(default)]
    pub keys: Vec<String>,
    /// Messages you sent in it (0 for meetings).
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub sent: u32,
    /// Messages you received in it (0 for meetings).
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub received: u32,
}

/// What kind of export a [`HistorySource`] reads.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum HistoryKind {
    /// An iCalendar file or subscription URL.
    #[default]
    Calendar,
    /// An mbox file or a Maildir folder.
    Mail,
    /// A WhatsApp "Export chat" text file.
    WhatsApp,
    /// Telegram Desktop's `result.json`.
    Telegram,
    /// A Signal Desktop export.
    Signal,
    /// LinkedIn's `messages.csv` from the data export.
    LinkedIn,
}

impl HistoryKind {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            HistoryKind::Calendar => "Calendar",
            HistoryKind::Mail => "Mail",
            HistoryKind::WhatsApp => "WhatsApp",
            HistoryKind::Telegram => "Telegram",
            HistoryKind::Signal => "Signal",
            HistoryKind::LinkedIn => "LinkedIn messages",
        }
    }
}

/// A calendar, mailbox or chat export interactions were imported from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistorySource {
    /// Stable id, referenced by [`Origin::sources`].
    pub id: String,
    /// What kind of export it is.
    pub kind: HistoryKind,
    /// What the user sees ("Work calendar", "WhatsApp: Dana Whitfield").
    pub name: String,
    /// The file, folder or URL it was last read from, for "Import again".
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub location: Option<String>,
    /// Keep event titles and mail subjects as the interaction's note (off:
    /// only date, people and kind are stored).
    #[serde(default)]
    pub titles: bool,
    /// The day it was last imported.
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub imported: Option<NaiveDate>,
}

/// How calendar, mail and chat imports behave, and what they learned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistorySettings {
    /// Every source imported so far.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub sources: Vec<HistorySource>,
    /// People the user chose to ignore when offered as unknown: normalised
    /// e-mail addresses, phone keys (`crate::exchange::normalize_phone`) or
    /// name keys (`crate::exchange::normalize_name`).
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub ignored: Vec<String>,
    /// Mail sent to more people than this is ignored (a thread, not a conversation).
    #[serde(default = "default_max_recipients")]
    pub max_recipients: u32,
    /// An event with this many attendees or more is "Met at event".
    #[serde(default = "default_event_crowd")]
    pub event_crowd: u32,
    /// Someone not in kith is offered as a person you meet once they appear
    /// in this many interactions.
    #[serde(default = "default_unknown_threshold")]
    pub unknown_threshold: u32,
}

fn default_max_recipients() -> u32 {
    10
}

fn default_event_crowd() -> u32 {
    6
}

fn default_unknown_threshold() -> u32 {
    3
}

impl Default for HistorySettings {
    fn default() -> Self {
        Self {
            sources: Vec::new(),
            ignored: Vec::new(),
            max_recipients: default_max_recipients(),
            event_crowd: default_event_crowd(),
            unknown_threshold: default_unknown_threshold(),
        }
    }
}

impl HistorySettings {
    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&HistorySource> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// One side's answer to an offered introduction.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IntroAnswer {
    /// Not asked yet, or no answer yet.
    #[default]
    Pending,
    /// They want the introduction.
    Accepted {
        /// When they said yes.
        date: NaiveDate,
    },
    /// They would rather not.
    Declined {
        /// When they said no.
        date: NaiveDate,
    },
}

impl IntroAnswer {
    /// Short label for rows ("waiting", "yes", "no").
    pub fn label(&self) -> &'static str {
        match self {
            IntroAnswer::Pending => "waiting",
            IntroAnswer::Accepted { .. } => "yes",
            IntroAnswer::Declined { .. } => "no",
        }
    }
}

/// An introduction offered with double opt-in: both sides are asked first,
/// and the introduction is made (an [`InteractionKind::IntroductionMade`]
/// interaction) once both agree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IntroOffer {
    /// Why they should meet (shared interests, a need one can meet).
    #[serde(default)]
    pub reason: String,
    /// The answer of the interaction's first person.
    #[serde(default)]
    pub first: IntroAnswer,
    /// The answer of the interaction's second person.
    #[serde(default)]
    pub second: IntroAnswer,
    /// The introduction made once both agreed.
    #[serde(default)]
    pub made: Option<InteractionId>,
}

impl IntroOffer {
    /// Both sides said yes.
    pub fn both_accepted(&self) -> bool {
        matches!(self.first, IntroAnswer::Accepted { .. })
            && matches!(self.second, IntroAnswer::Accepted { .. })
    }

    /// Either side said no: the day of the (first) no.
    pub fn declined_on(&self) -> Option<NaiveDate> {
        [&self.first, &self.second]
            .into_iter()
            .filter_map(|a| match a {
                IntroAnswer::Declined { date } => Some(*date),
                _ => None,
            })
            .min()
    }

    /// Still waiting on an answer, with nobody declined and nothing made.
    pub fn is_open(&self) -> bool {
        self.made.is_none() && self.declined_on().is_none() && !self.both_accepted()
    }
}

impl Default for InteractionId {
    fn default() -> Self {
        InteractionId(Uuid::nil())
    }
}

impl Interaction {
    /// A new interaction with a fresh id.
    pub fn new(date: NaiveDate, kind: InteractionKind, people: Vec<PersonId>) -> Self {
        Self {
            id: InteractionId::new_random(),
            date,
            kind,
            people,
            ..Default::default()
        }
    }

    /// The month file this interaction lives in.
    pub fn month(&self) -> YearMonth {
        YearMonth::of(self.date)
    }
}

/// A calendar month; interactions are stored one file per month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct YearMonth {
    /// Year.
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
}

impl YearMonth {
    /// The month containing `date`.
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parse "2026-11".
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        let year = year.parse().ok()?;
        let month: u32 = month.parse().ok()?;
        (1..=12).contains(&month).then_some(Self { year, month })
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The user's own profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// Your name.
    #[serde(default)]
    pub name: String,
    /// Your interests (shared interests are found against these).
    #[serde(default)]
    pub interests: Vec<String>,
    /// What you offer others.
    #[serde(default)]
    pub offers: Vec<String>,
    /// Free notes.
    #[serde(default)]
    pub notes: String,
    /// Your own e-mail addresses: they tell mail you sent from mail you
    /// received, and keep you out of attendee lists.
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub emails: Vec<String>,
    /// Your own phone numbers (for chat exports).
    #[serde(default, skip_serializing_if = "leave_out_empty")]
    pub phones: Vec<String>,
}

/// User settings stored with the data (so they sync too).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Days between contacts you aim for, per stage.
    #[serde(default = "default_cadence")]
    pub cadence_days: BTreeMap<Stage, u32>,
    /// True while the bundled demo network is showing.
    #[serde(default)]
    pub is_demo: bool,
    /// Desktop notifications for follow-ups and dates due today (on unless
    /// turned off in the You view; files without the field have them on).
    #[serde(default = "default_notifications")]
    pub notifications: bool,
    /// Calendar, mail and chat imports: their sources and thresholds.
    #[serde(default, skip_serializing_if = "leave_out_default")]
    pub history: HistorySettings,
}

fn default_notifications() -> bool {
    true
}

fn default_cadence() -> BTreeMap<Stage, u32> {
    BTreeMap::from([
        (Stage::Acquaintance, 120),
        (Stage::Know, 60),
        (Stage::Like, 30),
        (Stage::Trust, 21),
        (Stage::Dormant, 180),
    ])
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cadence_days: default_cadence(),
            is_demo: false,
            notifications: true,
            history: HistorySettings::default(),
        }
    }
}

impl Settings {
    /// Desired days between contacts at `stage`.
    pub fn cadence(&self, stage: Stage) -> u32 {
        self.cadence_days
            .get(&stage)
            .copied()
            .unwrap_or_else(|| default_cadence().get(&stage).copied().unwrap_or(60))
    }
}

/// Everything kith knows. Change it only through actions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    /// You.
    pub me: Me,
    /// Settings.
    pub settings: Settings,
    /// People by id (includes soft-deleted ones).
    pub people: BTreeMap<PersonId, Person>,
    /// Organizations by id.
    pub orgs: BTreeMap<OrgId, Organization>,
    /// Interactions by id.
    pub interactions: BTreeMap<InteractionId, Interaction>,
    /// Canonical interests with aliases.
    pub interests: InterestCatalog,
    /// Words that mean the same when needs are matched to offers: kith's
    /// defaults plus the user's `synonyms.ron` (read by storage, never written).
    pub synonyms: crate::insight::Synonyms,
}

impl Model {
    /// People not in the trash.
    pub fn live_people(&self) -> impl Iterator<Item = &Person> {
        self.people.values().filter(|p| !p.deleted)
    }

    /// People in the trash.
    pub fn trashed_people(&self) -> impl Iterator<Item = &Person> {
        self.people.values().filter(|p| p.deleted)
    }

    /// A person's display name, or a placeholder for unknown ids.
    pub fn person_name(&self, id: PersonId) -> &str {
        self.people
            .get(&id)
            .map(|p| p.name.as_str())
            .unwrap_or("(unknown person)")
    }

    /// Everyone `id` is related to: their own relations, then the other side
    /// of relations other people have to them (Dana's spouse Raj shows Dana
    /// on Raj's page as his spouse). A relation both sides record is listed once.
    /// The flag is true for relations read from the other person.
    pub fn relations_of(&self, id: PersonId) -> Vec<(Relation, bool)> {
        let Some(person) = self.people.get(&id) else {
            return Vec::new();
        };
        let mut out: Vec<(Relation, bool)> = person
            .relations
            .iter()
            .cloned()
            .map(|r| (r, false))
            .collect();
        for other in self.live_people() {
            if other.id == id {
                continue;
            }
            for relation in &other.relations {
                if relation.person != Some(id) {
                    continue;
                }
                let kind = relation.kind.inverse();
                let known = out
                    .iter()
                    .any(|(r, _)| r.person == Some(other.id) && r.kind == kind);
                if !known {
                    out.push((
                        Relation {
                            kind,
                            person: Some(other.id),
                            name: other.name.clone(),
                        },
                        true,
                    ));
                }
            }
        }
        out
    }

    /// The introduction chain ending at `id`: [id, introducer, introducer's introducer, …].
    /// Stops at cycles.
    pub fn introduction_chain(&self, id: PersonId) -> Vec<PersonId> {
        let mut chain = vec![id];
        let mut current = id;
        while let Some(next) = self.people.get(&current).and_then(|p| p.introduced_by) {
            if chain.contains(&next) {
                break;
            }
            chain.push(next);
            current = next;
        }
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn rebase_keeps_the_edited_fields_and_takes_the_rest() {
        let base = Person::new("Ada");
        let mut mine = base.clone();
        mine.notes = "typed here".into();
        let mut theirs = base.clone();
        theirs.organization = "Analytical Engines".into();
        theirs.notes = String::new();
        let merged = mine.rebase(&base, &theirs);
        assert_eq!(merged.notes, "typed here");
        assert_eq!(merged.organization, "Analytical Engines");
        // No edit: the newer version as it is.
        assert_eq!(base.rebase(&base, &theirs), theirs);
    }

    #[test]
    fn consent_defaults_to_not_asked() {
        assert_eq!(Person::new("A").newsletter, Consent::NotAsked);
        assert!(!Consent::default().is_yes());
    }

    #[test]
    fn year_month_round_trips() {
        let ym = YearMonth::of(day(2026, 3, 9));
        assert_eq!(ym.to_string(), "2026-03");
        assert_eq!(YearMonth::parse("2026-03"), Some(ym));
        assert_eq!(YearMonth::parse("2026-13"), None);
        assert_eq!(YearMonth::parse("x"), None);
    }

    #[test]
    fn introduction_chain_follows_links_and_stops_at_cycles() {
        let mut model = Model::default();
        let mut a = Person::new("A");
        let mut b = Person::new("B");
        let c = Person::new("C");
        a.introduced_by = Some(b.id);
        b.introduced_by = Some(c.id);
        let (ia, ib, ic) = (a.id, b.id, c.id);
        model.people.insert(ia, a);
        model.people.insert(ib, b);
        model.people.insert(ic, c);
        assert_eq!(model.introduction_chain(ia), vec![ia, ib, ic]);
        model.people.get_mut(&ic).unwrap().introduced_by = Some(ia);
        assert_eq!(model.introduction_chain(ia), vec![ia, ib, ic]);
    }

    #[test]
    fn org_role_on_day() {
        let mut org = Organization::new("Chamber", OrgKind::Chamber);
        org.my_roles.push(RoleSpan {
            role: Involvement::Member,
            since: day(2024, 1, 1),
            until: None,
        });
        org.my_roles.push(RoleSpan {
            role: Involvement::Committee,
            since: day(2025, 1, 1),
            until: Some(day(2025, 12, 31)),
        });
        assert_eq!(org.role_on(day(2023, 1, 1)), None);
        assert_eq!(org.role_on(day(2024, 6, 1)), Some(Involvement::Member));
        assert_eq!(org.role_on(day(2025, 6, 1)), Some(Involvement::Committee));
        assert_eq!(org.role_on(day(2026, 6, 1)), Some(Involvement::Member));
    }
}
