//! From a [`Harvest`] to what the user sees before anything is written, and
//! the one undoable action that imports it: parties matched to people (by
//! e-mail, phone, handle or name), what kith already has dropped by stable
//! key, message days grouped per person, follow-ups an import closes, and
//! people who appear often but are not in kith.

use super::{Encounter, Harvest, HistoryFormat, Ignored, Party, short_key};
use crate::action::Action;
use crate::exchange::{Skipped, normalize_name, normalize_phone};
use crate::model::{
    Contact, HistoryKind, HistorySource, Interaction, InteractionId, InteractionKind, Model,
    Origin, Person, PersonId, push_contact,
};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap, HashSet};

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
    /// Another handle the export gives them (a profile URL, a Telegram id).
    pub handle: Option<String>,
    /// The user's choice.
    pub choice: UnknownChoice,
    /// The id they get when the user chooses [`UnknownChoice::Add`] (fixed
    /// when the preview is built, so the preview and the action agree).
    pub new_id: PersonId,
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
    /// The short stable keys ([`short_key`]) of the encounters in it,
    /// sorted: what [`Origin::keys`] gains.
    pub keys: Vec<String>,
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
    today: NaiveDate,
    /// Kinds the user set with [`HistoryPreview::set_kind`], by the row's first key.
    kinds: HashMap<String, InteractionKind>,
    /// Interactions kith has from other sources that this one holds too:
    /// the import records this source on them (forgetting the other
    /// source then keeps them).
    shared: Vec<InteractionId>,
}

/// How many left-out lines [`HistoryPreview::ignored_lines`] keeps.
const IGNORED_LINES: usize = 200;

/// Ignored reason: an event you declined.
const DECLINED: &str = "declined";
/// Ignored reason: only you are in it.
const NO_ONE_ELSE: &str = "no one else";
/// Ignored reason: mail to more people than `max_recipients`.
const TOO_MANY: &str = "too many recipients";
/// Ignored reason: the only others are names several people have.
const AMBIGUOUS: &str = "ambiguous name";
/// Ignored reason: the only others are people kith does not have.
const NOT_IN_KITH: &str = "not in kith";
/// Ignored reason: after today.
const FUTURE: &str = "in the future";

/// An e-mail address as matched: trimmed, lowercased, no `mailto:`.
fn email_key(email: &str) -> String {
    let lower = email.trim().to_lowercase();
    match lower.strip_prefix("mailto:") {
        Some(rest) => rest.trim().to_string(),
        None => lower,
    }
}

/// A handle or profile link as matched: lowercased, without scheme, `www.`
/// or a trailing slash.
fn handle_key(handle: &str) -> String {
    let lower = handle.trim().to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let rest = rest.strip_prefix("www.").unwrap_or(rest);
    rest.trim_end_matches('/').to_string()
}

/// The kinds a hand-typed interaction has when it records a meeting.
fn is_meeting_kind(kind: InteractionKind) -> bool {
    matches!(
        kind,
        InteractionKind::Coffee
            | InteractionKind::Lunch
            | InteractionKind::Call
            | InteractionKind::MetAtEvent
            | InteractionKind::Other
    )
}

/// "5 Nov", with the year when it is not this year's.
fn short_date(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        date.format("%-d %b").to_string()
    } else {
        date.format("%-d %b %Y").to_string()
    }
}

/// Who you are, as the plan recognises you.
struct MeKeys {
    emails: HashSet<String>,
    phones: HashSet<String>,
    name: String,
    /// "You" has no addresses: your name is the only way to know you in a
    /// calendar or mailbox.
    no_emails: bool,
}

impl MeKeys {
    fn of(model: &Model, owner: Option<&OwnerProposal>) -> MeKeys {
        let mut emails: HashSet<String> = model
            .me
            .emails
            .iter()
            .map(|e| email_key(e))
            .filter(|e| !e.is_empty())
            .collect();
        if let Some(owner) = owner.filter(|o| o.accepted) {
            emails.insert(email_key(&owner.address));
        }
        let phones = model
            .me
            .phones
            .iter()
            .map(|p| normalize_phone(p))
            .filter(|p| !p.is_empty())
            .collect();
        MeKeys {
            no_emails: emails.is_empty(),
            emails,
            phones,
            name: normalize_name(&model.me.name),
        }
    }

    /// The party is you: the export says so, or it has your address,
    /// number or name (in chats for a party with no address; elsewhere
    /// only while "You" has no addresses).
    fn is_me(&self, party: &Party, chat: bool) -> bool {
        if party.me {
            return true;
        }
        if let Some(email) = &party.email
            && self.emails.contains(&email_key(email))
        {
            return true;
        }
        if let Some(phone) = &party.phone {
            let key = normalize_phone(phone);
            if !key.is_empty() && self.phones.contains(&key) {
                return true;
            }
        }
        ((party.email.is_none() && chat) || self.no_emails) && self.is_my_name(&party.name)
    }

    fn is_my_name(&self, name: &str) -> bool {
        !self.name.is_empty() && normalize_name(name) == self.name
    }
}

/// Live people by e-mail, phone key, handle and name key, built once.
struct PeopleIndex {
    emails: HashMap<String, PersonId>,
    phones: HashMap<String, PersonId>,
    handles: HashMap<String, PersonId>,
    names: HashMap<String, Vec<PersonId>>,
}

impl PeopleIndex {
    fn of<'p>(people: impl Iterator<Item = &'p Person>) -> PeopleIndex {
        let mut index = PeopleIndex {
            emails: HashMap::new(),
            phones: HashMap::new(),
            handles: HashMap::new(),
            names: HashMap::new(),
        };
        for person in people {
            for email in &person.emails {
                let key = email_key(&email.value);
                if !key.is_empty() {
                    index.emails.entry(key).or_insert(person.id);
                }
            }
            for phone in &person.phones {
                let key = normalize_phone(&phone.value);
                if !key.is_empty() {
                    index.phones.entry(key).or_insert(person.id);
                }
            }
            for link in &person.links {
                let key = handle_key(&link.value);
                if !key.is_empty() {
                    index.handles.entry(key).or_insert(person.id);
                }
            }
            let name = normalize_name(&person.name);
            if !name.is_empty() {
                index.names.entry(name).or_default().push(person.id);
            }
        }
        index
    }
}

/// One party of an encounter after matching.
#[derive(Clone, Debug)]
enum Who {
    /// A person in kith.
    Person(PersonId, MatchHow),
    /// A name several people have (by name key).
    Ambiguous(String),
    /// Nobody in kith (by unknown key, and the party's place in the encounter).
    Unknown(String, usize),
}

/// An encounter that passed the filters, before choices are applied.
struct Pending {
    /// Index into the harvest's encounters.
    at: usize,
    /// Its short key.
    key: String,
    /// You sent it (you wrote that day).
    sent: bool,
    /// Someone else sent it (wrote that day); without any sender named,
    /// it counts as received.
    received: bool,
    /// The others in it.
    who: Vec<Who>,
}

/// Interactions of the model, indexed once.
struct ModelIndex<'m> {
    keys: HashMap<&'m str, &'m Interaction>,
    by_day: HashMap<(PersonId, NaiveDate), Vec<&'m Interaction>>,
    open: HashMap<PersonId, Vec<&'m Interaction>>,
}

impl<'m> ModelIndex<'m> {
    /// Index `model`; interactions by person and day only within `days`
    /// (the harvest's first and last day), the only days looked up.
    fn of(model: &'m Model, days: Option<(NaiveDate, NaiveDate)>) -> ModelIndex<'m> {
        let mut index = ModelIndex {
            keys: HashMap::new(),
            by_day: HashMap::new(),
            open: HashMap::new(),
        };
        for interaction in model.interactions.values() {
            if let Some(origin) = &interaction.origin {
                for key in &origin.keys {
                    index.keys.insert(key.as_str(), interaction);
                }
            }
            let open = interaction.follow_up.is_some() && !interaction.follow_up_done;
            let in_days = days
                .is_some_and(|(first, last)| first <= interaction.date && interaction.date <= last);
            for person in &interaction.people {
                if in_days {
                    index
                        .by_day
                        .entry((*person, interaction.date))
                        .or_default()
                        .push(interaction);
                }
                if open {
                    index.open.entry(*person).or_default().push(interaction);
                }
            }
        }
        for list in index.open.values_mut() {
            list.sort_by_key(|i| (i.date, i.id));
        }
        index
    }

    fn on_day(&self, person: PersonId, date: NaiveDate) -> &[&'m Interaction] {
        self.by_day
            .get(&(person, date))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
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
        let suggested = harvest.suggested_name.trim();
        let name = if !suggested.is_empty() {
            suggested.to_string()
        } else if !name.trim().is_empty() {
            name.trim().to_string()
        } else {
            format.label().to_string()
        };
        let kind = format.kind();
        let id = source_id(kind, &name);
        let known = model.settings.history.sources.iter().find(|s| {
            s.id == id || (s.kind == kind && location.is_some() && s.location == location)
        });
        let source = match known {
            Some(known) => HistorySource {
                location: location.or_else(|| known.location.clone()),
                ..known.clone()
            },
            None => HistorySource {
                id,
                kind,
                name,
                location,
                titles: true,
                imported: None,
            },
        };
        let mut preview = HistoryPreview {
            format,
            source,
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
            harvest,
            today,
            kinds: HashMap::new(),
            shared: Vec::new(),
        };
        preview.refresh(model);
        preview
    }

    /// Plan again after the user changed a choice (unknown people,
    /// ambiguous names, the owner's address, titles).
    pub fn refresh(&mut self, model: &Model) {
        let settings = &model.settings.history;
        let chat = matches!(
            self.format,
            HistoryFormat::WhatsApp
                | HistoryFormat::Telegram
                | HistoryFormat::Signal
                | HistoryFormat::LinkedIn
        );
        let mail = matches!(self.format, HistoryFormat::Mbox | HistoryFormat::Maildir);
        let meetings = self.format == HistoryFormat::Calendar;

        // The owner proposal, keeping the user's answer.
        let accepted = self.owner.as_ref().is_some_and(|o| o.accepted);
        let previous_owner = self.owner.as_ref().map(|o| email_key(&o.address));
        self.owner = if model.me.emails.iter().all(|e| e.trim().is_empty()) {
            self.harvest
                .recipients
                .iter()
                .find(|(address, _)| !address.trim().is_empty())
                .map(|(address, count)| OwnerProposal {
                    address: address.clone(),
                    count: *count,
                    accepted: accepted && previous_owner.as_deref() == Some(&email_key(address)),
                })
        } else {
            None
        };
        let me = MeKeys::of(model, self.owner.as_ref());
        let people = PeopleIndex::of(model.live_people());
        let days = self.harvest.encounters.iter().map(|e| e.date).fold(
            None,
            |span: Option<(NaiveDate, NaiveDate)>, d| match span {
                Some((first, last)) => Some((first.min(d), last.max(d))),
                None => Some((d, d)),
            },
        );
        let index = ModelIndex::of(model, days);

        let mut ignored: Vec<Ignored> = Vec::new();
        let mut already = 0usize;
        let mut seen: HashSet<String> = HashSet::new();
        let mut shared: Vec<InteractionId> = Vec::new();
        let mut shared_seen: HashSet<InteractionId> = HashSet::new();
        let mut pending: Vec<Pending> = Vec::new();
        // Unknown and ambiguous parties, in the order first met.
        let mut unknown: Vec<Unknown> = Vec::new();
        let mut unknown_at: HashMap<String, usize> = HashMap::new();
        let mut ambiguous: Vec<Ambiguous> = Vec::new();
        let mut ambiguous_at: HashMap<String, usize> = HashMap::new();
        let max_recipients = settings.max_recipients as usize;

        for (at, encounter) in self.harvest.encounters.iter().enumerate() {
            let key = short_key(&encounter.key);
            if !seen.insert(key.clone()) {
                continue;
            }
            if let Some(known) = index.keys.get(key.as_str()) {
                let recorded = known
                    .origin
                    .as_ref()
                    .is_some_and(|o| o.sources.contains(&self.source.id));
                if !recorded && !shared_seen.contains(&known.id) {
                    shared_seen.insert(known.id);
                    shared.push(known.id);
                }
                already += 1;
                continue;
            }
            let leave_out = |reason: &str, ignored: &mut Vec<Ignored>| {
                ignored.push(Ignored {
                    line: encounter.line,
                    reason: reason.to_string(),
                });
            };
            if encounter.date > self.today {
                leave_out(FUTURE, &mut ignored);
                continue;
            }
            if mail && encounter.crowd.saturating_sub(1) > max_recipients {
                leave_out(TOO_MANY, &mut ignored);
                continue;
            }
            let mut sent = false;
            let mut received = false;
            let mut you_declined = false;
            let mut others: Vec<(usize, &Party)> = Vec::new();
            for (place, party) in encounter.parties.iter().enumerate() {
                if me.is_me(party, chat) {
                    sent |= party.sender;
                    you_declined |= party.declined;
                } else if !(meetings && party.declined) {
                    received |= party.sender;
                    others.push((place, party));
                }
            }
            if meetings && you_declined {
                leave_out(DECLINED, &mut ignored);
                continue;
            }
            if others.is_empty() {
                leave_out(NO_ONE_ELSE, &mut ignored);
                continue;
            }
            let mut who: Vec<Who> = Vec::new();
            for (place, party) in others {
                let Some(found) = match_party(party, &people, place) else {
                    continue;
                };
                match &found {
                    Who::Person(..) => {}
                    Who::Unknown(unknown_key, _) => {
                        // Counted once per encounter; every party is kept.
                        let repeat = who
                            .iter()
                            .any(|w| matches!(w, Who::Unknown(k, _) if k == unknown_key));
                        match unknown_at.get(unknown_key) {
                            Some(&slot) => {
                                if let Some(entry) = unknown.get_mut(slot) {
                                    if !repeat {
                                        entry.count += 1;
                                    }
                                    entry.last = entry.last.max(encounter.date);
                                    fill_unknown(entry, party);
                                }
                            }
                            None => {
                                unknown_at.insert(unknown_key.clone(), unknown.len());
                                let mut entry = Unknown {
                                    key: unknown_key.clone(),
                                    name: String::new(),
                                    email: None,
                                    phone: None,
                                    handle: None,
                                    count: 1,
                                    last: encounter.date,
                                    choice: UnknownChoice::Leave,
                                    new_id: PersonId::new_random(),
                                };
                                fill_unknown(&mut entry, party);
                                unknown.push(entry);
                            }
                        }
                    }
                    Who::Ambiguous(name_key) => {
                        let repeat = who
                            .iter()
                            .any(|w| matches!(w, Who::Ambiguous(k) if k == name_key));
                        match ambiguous_at.get(name_key) {
                            Some(&slot) => {
                                if let Some(entry) = ambiguous.get_mut(slot)
                                    && !repeat
                                {
                                    entry.count += 1;
                                }
                            }
                            None => {
                                ambiguous_at.insert(name_key.clone(), ambiguous.len());
                                ambiguous.push(Ambiguous {
                                    name: party.name.trim().to_string(),
                                    candidates: people
                                        .names
                                        .get(name_key)
                                        .cloned()
                                        .unwrap_or_default(),
                                    count: 1,
                                    choice: None,
                                });
                            }
                        }
                    }
                }
                who.push(found);
            }
            pending.push(Pending {
                at,
                key,
                sent,
                received: received || !sent,
                who,
            });
        }

        // Offered unknowns keep the choice and id they had.
        let threshold = settings.unknown_threshold as usize;
        let ignored_keys: HashSet<&str> = settings.ignored.iter().map(String::as_str).collect();
        let before: HashMap<String, (UnknownChoice, PersonId)> = self
            .unknown
            .iter()
            .map(|u| (u.key.clone(), (u.choice, u.new_id)))
            .collect();
        // Never offer what may be you: the address proposed as yours, or your name.
        let owner_key = self.owner.as_ref().map(|o| email_key(&o.address));
        unknown.retain(|u| {
            u.count >= threshold
                && !ignored_keys.contains(u.key.as_str())
                && (owner_key.is_none() || u.email != owner_key)
                && !me.is_my_name(&u.name)
        });
        for entry in &mut unknown {
            if let Some((choice, id)) = before.get(&entry.key) {
                entry.choice = *choice;
                entry.new_id = *id;
            }
        }
        unknown.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
        let picked: HashMap<String, Option<PersonId>> = self
            .ambiguous
            .iter()
            .map(|a| (normalize_name(&a.name), a.choice))
            .collect();
        for entry in &mut ambiguous {
            if let Some(choice) = picked.get(&normalize_name(&entry.name)) {
                entry.choice = choice.filter(|c| entry.candidates.contains(c));
            }
        }
        ambiguous.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));

        let live = |id: &PersonId| model.people.get(id).is_some_and(|p| !p.deleted);
        let resolve_unknown: HashMap<&str, (PersonId, MatchHow)> = unknown
            .iter()
            .filter_map(|u| match u.choice {
                UnknownChoice::Add => Some((u.key.as_str(), (u.new_id, MatchHow::Added))),
                UnknownChoice::MergeInto(id) if live(&id) => {
                    Some((u.key.as_str(), (id, MatchHow::Chosen)))
                }
                _ => None,
            })
            .collect();
        let resolve_name: HashMap<String, PersonId> = ambiguous
            .iter()
            .filter_map(|a| a.choice.map(|c| (normalize_name(&a.name), c)))
            .collect();
        // Parties that are not offered themselves but match someone added
        // or merged now (another address of theirs), as the next import will.
        let mut joined: Vec<Person> = Vec::new();
        for u in &unknown {
            match u.choice {
                UnknownChoice::Add => joined.push(new_person(u)),
                UnknownChoice::MergeInto(id) => {
                    if let Some(person) = model.people.get(&id).filter(|p| !p.deleted) {
                        let mut person = person.clone();
                        merge_into(&mut person, u);
                        joined.push(person);
                    }
                }
                _ => {}
            }
        }
        let new_ids: HashSet<PersonId> = unknown
            .iter()
            .filter(|u| u.choice == UnknownChoice::Add)
            .map(|u| u.new_id)
            .collect();
        let joined = PeopleIndex::of(joined.iter());
        let mut added_names: HashMap<PersonId, String> = HashMap::new();
        for u in &unknown {
            if u.choice == UnknownChoice::Add {
                added_names.insert(u.new_id, display_name(u));
            }
        }

        // Rows.
        let event_crowd = settings.event_crowd as usize;
        let titles = self.source.titles;
        let mut rows: Vec<Row> = Vec::new();
        let mut message_rows: HashMap<(PersonId, NaiveDate), usize> = HashMap::new();
        let mut how: HashMap<PersonId, MatchHow> = HashMap::new();
        for item in &pending {
            let Some(encounter) = self.harvest.encounters.get(item.at) else {
                continue;
            };
            let mut with: Vec<(PersonId, MatchHow)> = Vec::new();
            let mut unresolved_name = false;
            for who in &item.who {
                let found = match who {
                    Who::Person(id, how) => Some((*id, how.clone())),
                    Who::Unknown(key, place) => {
                        resolve_unknown.get(key.as_str()).cloned().or_else(|| {
                            let party = encounter.parties.get(*place)?;
                            match match_party(party, &joined, *place)? {
                                Who::Person(id, _) if new_ids.contains(&id) => {
                                    Some((id, MatchHow::Added))
                                }
                                Who::Person(id, _) => Some((id, MatchHow::Chosen)),
                                _ => None,
                            }
                        })
                    }
                    Who::Ambiguous(key) => match resolve_name.get(key) {
                        Some(id) => Some((*id, MatchHow::Chosen)),
                        None => {
                            unresolved_name = true;
                            None
                        }
                    },
                };
                if let Some((id, how)) = found
                    && !with.iter().any(|(w, _)| *w == id)
                {
                    with.push((id, how));
                }
            }
            if with.is_empty() {
                let reason = if unresolved_name {
                    AMBIGUOUS
                } else {
                    NOT_IN_KITH
                };
                ignored.push(Ignored {
                    line: encounter.line,
                    reason: reason.to_string(),
                });
                continue;
            }
            if meetings {
                let by_hand = with.iter().any(|(id, _)| {
                    index
                        .on_day(*id, encounter.date)
                        .iter()
                        .any(|i| i.origin.is_none() && is_meeting_kind(i.kind))
                });
                if by_hand {
                    already += 1;
                    continue;
                }
                let guessed = if encounter.crowd >= event_crowd {
                    InteractionKind::MetAtEvent
                } else {
                    encounter.kind
                };
                let mut ids: Vec<PersonId> = with.iter().map(|(id, _)| *id).collect();
                ids.sort();
                ids.dedup();
                for (id, matched) in with {
                    how.entry(id).or_insert(matched);
                }
                rows.push(Row {
                    date: encounter.date,
                    kind: self.kinds.get(&item.key).copied().unwrap_or(guessed),
                    people: ids,
                    title: if titles {
                        encounter.title.trim().to_string()
                    } else {
                        String::new()
                    },
                    sent: 0,
                    received: 0,
                    extends: None,
                    keys: vec![item.key.clone()],
                });
                continue;
            }
            let mut logged = false;
            for (id, matched) in with {
                let on_day = index.on_day(id, encounter.date);
                if on_day
                    .iter()
                    .any(|i| i.origin.is_none() && i.kind == InteractionKind::Message)
                {
                    continue;
                }
                logged = true;
                how.entry(id).or_insert(matched);
                let slot = *message_rows.entry((id, encounter.date)).or_insert_with(|| {
                    rows.push(Row {
                        date: encounter.date,
                        kind: InteractionKind::Message,
                        people: vec![id],
                        title: String::new(),
                        sent: 0,
                        received: 0,
                        extends: on_day
                            .iter()
                            .find(|i| i.origin.is_some() && i.kind == InteractionKind::Message)
                            .map(|i| i.id),
                        keys: Vec::new(),
                    });
                    rows.len() - 1
                });
                if let Some(row) = rows.get_mut(slot) {
                    row.keys.push(item.key.clone());
                    if item.sent {
                        row.sent = row.sent.saturating_add(1);
                    }
                    if item.received {
                        row.received = row.received.saturating_add(1);
                    }
                    if titles && row.title.is_empty() {
                        row.title = encounter.title.trim().to_string();
                    }
                }
            }
            if !logged {
                already += 1;
            }
        }
        let name_of = |id: &PersonId| -> String {
            added_names
                .get(id)
                .cloned()
                .unwrap_or_else(|| model.person_name(*id).to_string())
        };
        for row in &mut rows {
            row.keys.sort();
            row.keys.dedup();
            if !meetings && let Some(kind) = row.keys.first().and_then(|k| self.kinds.get(k)) {
                row.kind = *kind;
            }
        }
        let mut sortable: Vec<(NaiveDate, String, Row)> = rows
            .into_iter()
            .map(|row| {
                let first = row.people.first().map(&name_of).unwrap_or_default();
                (row.date, first.to_lowercase(), row)
            })
            .collect();
        sortable.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        self.rows = sortable.into_iter().map(|(_, _, row)| row).collect();

        // Follow-ups the rows close.
        let mut closes: Vec<Closing> = Vec::new();
        let mut closed: HashSet<InteractionId> = HashSet::new();
        for row in &self.rows {
            if !meetings && row.sent == 0 {
                continue;
            }
            for person in &row.people {
                let Some(open) = index.open.get(person) else {
                    continue;
                };
                for interaction in open.iter().filter(|i| i.date < row.date) {
                    if !closed.insert(interaction.id) {
                        continue;
                    }
                    let verb = if meetings { "met" } else { "wrote to" };
                    closes.push(Closing {
                        follow_up: interaction.id,
                        person: *person,
                        text: format!(
                            "You {verb} {} on {}, after {} on {}",
                            name_of(person),
                            short_date(row.date, self.today),
                            interaction.kind.after_phrase(),
                            short_date(interaction.date, self.today)
                        ),
                    });
                }
            }
        }
        self.closes = closes;

        // People lines.
        let mut lines: BTreeMap<PersonId, PersonLine> = BTreeMap::new();
        for row in &self.rows {
            for person in &row.people {
                let line = lines.entry(*person).or_insert_with(|| PersonLine {
                    person: *person,
                    name: name_of(person),
                    how: how.get(person).cloned().unwrap_or(MatchHow::Name),
                    new: 0,
                    extended: 0,
                    first: row.date,
                    last: row.date,
                });
                if row.extends.is_some() {
                    line.extended += 1;
                } else {
                    line.new += 1;
                }
                line.first = line.first.min(row.date);
                line.last = line.last.max(row.date);
            }
        }
        let mut lines: Vec<PersonLine> = lines.into_values().collect();
        lines.sort_by(|a, b| {
            (b.new + b.extended)
                .cmp(&(a.new + a.extended))
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        });
        self.people = lines;

        // What was left out.
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for line in self.harvest.ignored.iter().chain(ignored.iter()) {
            *counts.entry(line.reason.as_str()).or_default() += 1;
        }
        let mut counts: Vec<(String, usize)> = counts
            .into_iter()
            .map(|(reason, count)| (reason.to_string(), count))
            .collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        self.ignored = counts;
        self.ignored_lines = self
            .harvest
            .ignored
            .iter()
            .chain(ignored.iter())
            .take(IGNORED_LINES)
            .cloned()
            .collect();
        self.problems = self.harvest.problems.clone();
        self.already = already;
        self.shared = shared;
        self.unknown = unknown;
        self.ambiguous = ambiguous;
    }

    /// Change the kind of row `index`.
    pub fn set_kind(&mut self, index: usize, kind: InteractionKind) {
        if let Some(row) = self.rows.get_mut(index) {
            row.kind = kind;
            if let Some(key) = row.keys.first() {
                self.kinds.insert(key.clone(), kind);
            }
        }
    }

    /// How many interactions kith already has from another source that
    /// this source holds too (counted in `already`); the import records
    /// this source on them, so forgetting the other source keeps them.
    pub fn shared(&self) -> usize {
        self.shared.len()
    }

    /// The encounters as read, for callers that show more detail.
    pub fn encounters(&self) -> &[Encounter] {
        &self.harvest.encounters
    }

    /// The one undoable step that writes the import ("Import Work
    /// calendar"), or None when it would change nothing.
    pub fn to_action(&self, model: &Model) -> Option<Action> {
        let mut people_steps: Vec<Action> = Vec::new();
        let mut ignore_keys: Vec<String> = Vec::new();
        let mut added: HashSet<PersonId> = HashSet::new();
        for unknown in &self.unknown {
            match unknown.choice {
                UnknownChoice::Leave => {}
                UnknownChoice::Add => {
                    added.insert(unknown.new_id);
                    if !model.people.contains_key(&unknown.new_id) {
                        people_steps.push(Action::AddPerson(new_person(unknown)));
                    }
                }
                UnknownChoice::Ignore => {
                    if !model.settings.history.ignored.contains(&unknown.key)
                        && !ignore_keys.contains(&unknown.key)
                    {
                        ignore_keys.push(unknown.key.clone());
                    }
                }
                UnknownChoice::MergeInto(id) => {
                    if let Some(person) = model.people.get(&id).filter(|p| !p.deleted) {
                        let mut person = person.clone();
                        if merge_into(&mut person, unknown) {
                            people_steps.push(Action::EditPerson(person));
                        }
                    }
                }
            }
        }
        let set_me = self
            .owner
            .as_ref()
            .filter(|o| o.accepted)
            .filter(|o| {
                let key = email_key(&o.address);
                !key.is_empty() && !model.me.emails.iter().any(|e| email_key(e) == key)
            })
            .map(|o| {
                let mut me = model.me.clone();
                me.emails.push(email_key(&o.address));
                Action::SetMe(me)
            });

        let exists =
            |id: &PersonId| added.contains(id) || model.people.get(id).is_some_and(|p| !p.deleted);
        let titles = self.source.titles;
        let mut adds: Vec<Interaction> = Vec::new();
        let mut edits: BTreeMap<InteractionId, Interaction> = BTreeMap::new();
        for row in &self.rows {
            let people: Vec<PersonId> = row.people.iter().copied().filter(exists).collect();
            if people.is_empty() || row.keys.is_empty() {
                continue;
            }
            let extending = row.extends.and_then(|id| {
                edits
                    .get(&id)
                    .cloned()
                    .or_else(|| model.interactions.get(&id).cloned())
            });
            match extending {
                Some(mut interaction) => {
                    let mut origin = interaction.origin.take().unwrap_or_default();
                    if origin.keys.iter().any(|k| row.keys.contains(k)) {
                        interaction.origin = Some(origin);
                        continue;
                    }
                    origin.sources.push(self.source.id.clone());
                    origin.sources.sort();
                    origin.sources.dedup();
                    origin.keys.extend(row.keys.iter().cloned());
                    origin.keys.sort();
                    origin.keys.dedup();
                    origin.sent = origin.sent.saturating_add(row.sent);
                    origin.received = origin.received.saturating_add(row.received);
                    interaction.origin = Some(origin);
                    if titles && interaction.note.is_empty() {
                        interaction.note = row.title.clone();
                    }
                    edits.insert(interaction.id, interaction);
                }
                None => {
                    let mut interaction = Interaction::new(row.date, row.kind, people);
                    if titles {
                        interaction.note = row.title.clone();
                    }
                    interaction.origin = Some(Origin {
                        sources: vec![self.source.id.clone()],
                        keys: row.keys.clone(),
                        sent: row.sent,
                        received: row.received,
                    });
                    adds.push(interaction);
                }
            }
        }
        for id in &self.shared {
            let current = edits
                .get(id)
                .cloned()
                .or_else(|| model.interactions.get(id).cloned());
            if let Some(mut interaction) = current
                && let Some(origin) = interaction.origin.as_mut()
                && !origin.sources.contains(&self.source.id)
            {
                origin.sources.push(self.source.id.clone());
                origin.sources.sort();
                origin.sources.dedup();
                edits.insert(interaction.id, interaction);
            }
        }
        for closing in &self.closes {
            let current = edits
                .get(&closing.follow_up)
                .cloned()
                .or_else(|| model.interactions.get(&closing.follow_up).cloned());
            if let Some(mut interaction) = current
                && interaction.follow_up.is_some()
                && !interaction.follow_up_done
            {
                interaction.follow_up_done = true;
                edits.insert(interaction.id, interaction);
            }
        }
        if people_steps.is_empty()
            && set_me.is_none()
            && adds.is_empty()
            && edits.is_empty()
            && ignore_keys.is_empty()
        {
            return None;
        }
        let mut settings = model.settings.clone();
        let mut source = self.source.clone();
        source.imported = Some(self.today);
        match settings
            .history
            .sources
            .iter_mut()
            .find(|s| s.id == source.id)
        {
            Some(slot) => *slot = source,
            None => settings.history.sources.push(source),
        }
        settings.history.ignored.extend(ignore_keys);
        let mut actions = people_steps;
        actions.extend(set_me);
        actions.extend(adds.into_iter().map(Action::AddInteraction));
        actions.extend(edits.into_values().map(Action::EditInteraction));
        actions.push(Action::SetSettings(settings));
        Some(Action::Batch {
            label: format!("Import {}", self.source.name),
            actions,
        })
    }
}

/// Match one party (not you) to a person: e-mail, phone, handle, then a
/// name only one live person has. None for a party with nothing to go by.
fn match_party(party: &Party, people: &PeopleIndex, place: usize) -> Option<Who> {
    let email = party.email.as_deref().map(email_key).unwrap_or_default();
    if !email.is_empty()
        && let Some(id) = people.emails.get(&email)
    {
        return Some(Who::Person(*id, MatchHow::Email(email)));
    }
    let phone = party
        .phone
        .as_deref()
        .map(normalize_phone)
        .unwrap_or_default();
    if !phone.is_empty()
        && let Some(id) = people.phones.get(&phone)
    {
        let written = party
            .phone
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_string();
        return Some(Who::Person(*id, MatchHow::Phone(written)));
    }
    let handle = party.handle.as_deref().map(handle_key).unwrap_or_default();
    if !handle.is_empty()
        && let Some(id) = people.handles.get(&handle)
    {
        let written = party
            .handle
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_string();
        return Some(Who::Person(*id, MatchHow::Handle(written)));
    }
    let name = normalize_name(&party.name);
    if !name.is_empty()
        && let Some(ids) = people.names.get(&name)
    {
        return match ids.as_slice() {
            [] => None,
            [one] => Some(Who::Person(*one, MatchHow::Name)),
            _ => Some(Who::Ambiguous(name)),
        };
    }
    let key = [email, phone, name, handle]
        .into_iter()
        .find(|k| !k.is_empty())?;
    Some(Who::Unknown(key, place))
}

/// Take what a party tells about an unknown person that is not known yet.
fn fill_unknown(entry: &mut Unknown, party: &Party) {
    if entry.name.is_empty() {
        entry.name = party.name.trim().to_string();
    }
    if entry.email.is_none() {
        entry.email = party
            .email
            .as_deref()
            .map(email_key)
            .filter(|e| !e.is_empty());
    }
    if entry.phone.is_none() {
        entry.phone = party
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !normalize_phone(p).is_empty())
            .map(str::to_string);
    }
    if entry.handle.is_none() {
        entry.handle = party
            .handle
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_string);
    }
}

/// The name a person added from an unknown gets.
fn display_name(unknown: &Unknown) -> String {
    [
        Some(unknown.name.as_str()),
        unknown.email.as_deref(),
        unknown.phone.as_deref(),
        unknown.handle.as_deref(),
    ]
    .into_iter()
    .flatten()
    .map(str::trim)
    .find(|n| !n.is_empty())
    .unwrap_or(unknown.key.as_str())
    .to_string()
}

/// The person an unknown chosen "Add" becomes.
fn new_person(unknown: &Unknown) -> Person {
    let mut person = Person::new(display_name(unknown));
    person.id = unknown.new_id;
    if let Some(email) = &unknown.email {
        push_contact(&mut person.emails, Contact::new(email.clone()));
    }
    if let Some(phone) = &unknown.phone {
        push_contact(&mut person.phones, Contact::new(phone.clone()));
    }
    if let Some(handle) = &unknown.handle {
        push_contact(&mut person.links, Contact::new(handle.clone()));
    }
    person
}

/// Give `person` the address, number and handle of `unknown` they lack.
/// True when something was added.
fn merge_into(person: &mut Person, unknown: &Unknown) -> bool {
    let mut changed = false;
    if let Some(email) = &unknown.email {
        changed |= push_contact(&mut person.emails, Contact::new(email.clone()));
    }
    if let Some(phone) = &unknown.phone {
        let key = normalize_phone(phone);
        if !person
            .phones
            .iter()
            .any(|p| normalize_phone(&p.value) == key)
        {
            changed |= push_contact(&mut person.phones, Contact::new(phone.clone()));
        }
    }
    if let Some(handle) = &unknown.handle {
        let key = handle_key(handle);
        if !person.links.iter().any(|l| handle_key(&l.value) == key) {
            changed |= push_contact(&mut person.links, Contact::new(handle.clone()));
        }
    }
    changed
}

/// The id a source of this kind and name gets.
pub fn source_id(kind: HistoryKind, name: &str) -> String {
    let hash = short_key(&normalize_name(name));
    format!(
        "{}-{}",
        format!("{kind:?}").to_lowercase(),
        hash.get(..8).unwrap_or(&hash)
    )
}

/// "Forget this source": remove every interaction that came only from it,
/// take it off the ones other sources share, and drop the source; one
/// undoable step. None when the source is unknown.
pub fn forget_source(model: &Model, source_id: &str) -> Option<Action> {
    let source = model.settings.history.source(source_id)?;
    let mut actions: Vec<Action> = Vec::new();
    for interaction in model.interactions.values() {
        let Some(origin) = &interaction.origin else {
            continue;
        };
        if !origin.sources.iter().any(|s| s == source_id) {
            continue;
        }
        if origin.sources.iter().all(|s| s == source_id) {
            actions.push(Action::DeleteInteraction(interaction.id));
        } else {
            let mut kept = interaction.clone();
            if let Some(origin) = kept.origin.as_mut() {
                origin.sources.retain(|s| s != source_id);
            }
            actions.push(Action::EditInteraction(kept));
        }
    }
    let mut settings = model.settings.clone();
    settings.history.sources.retain(|s| s.id != source_id);
    actions.push(Action::SetSettings(settings));
    Some(Action::Batch {
        label: format!("Forget {}", source.name),
        actions,
    })
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
