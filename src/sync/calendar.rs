//! The calendar half of a sync: open follow-ups published as VTODOs, and
//! birthdays and other dates as yearly all-day VEVENTs, in one CalDAV
//! calendar; and what a phone does to them read back.
//!
//! kith owns these objects (their UIDs start with `kith-`; anything else in
//! the calendar is left alone). What comes back:
//! - a follow-up completed (or cancelled) on the phone is done in kith;
//! - a follow-up whose due day moved is snoozed in kith (to the new day,
//!   `snoozed_from` the old one if it was not snoozed before), unless kith
//!   moved it too since the last sync: then kith's day wins and is pushed;
//! - an object deleted on the server is not published again until it
//!   changes in kith (a tombstone remembers what was deleted);
//! - any other edit on the phone (title, note, a date event's day) is
//!   replaced by kith's text on the next push: edit the person in kith.
//!
//! Follow-ups done or deleted in kith, people trashed or out of the
//! account's scope, and `publish_*` switched off remove the objects from
//! the server. Objects kith did not write are never touched; every
//! `kith-` object in the calendar is taken to be this folder's (one kith
//! folder per calendar). Picking another calendar, or none, leaves what
//! was published in the old one: switch `publish_*` off first to remove it.
//!
//! Hrefs are deterministic (`<uid>.ics`), so a sync that died after its
//! PUTs, lost state, or a second machine sharing the folder adopts the
//! objects already there instead of making duplicates.

use super::SyncError;
use super::account::Account;
use super::dav::{DavClient, Deleted, Fetched, Kind, Listed, Put};
use super::run::{Counts, SyncJob, SyncReport};
use super::state::{CollectionState, Item};
use crate::action::Action;
use crate::exchange::calendar::ics_text;
use crate::exchange::vcard::{fold_line, parse_head, unescape};
use crate::model::{DateKind, Interaction, InteractionId, Person, PersonId};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Every UID kith publishes starts with this; other objects are not kith's.
pub const UID_PREFIX: &str = "kith-";
/// The UID prefix of a follow-up's VTODO (then the interaction id).
pub const FOLLOW_UP_PREFIX: &str = "kith-follow-up-";
/// The UID prefix of a date's VEVENT (then the person id, `-`, the date's index).
pub const DATE_PREFIX: &str = "kith-date-";
/// The largest calendar object kith reads (a VTODO is a few hundred bytes).
pub const MAX_OBJECT_BYTES: usize = 1 << 20;
/// The PRODID kith writes.
pub const PRODID: &str = "-//kith//kith//EN";

/// The UID of an interaction's follow-up VTODO.
pub fn follow_up_uid(id: InteractionId) -> String {
    format!("{FOLLOW_UP_PREFIX}{}", id.0)
}

/// The UID of the VEVENT for a person's `n`th date.
pub fn date_uid(person: PersonId, n: usize) -> String {
    format!("{DATE_PREFIX}{}-{n}", person.0)
}

/// What a kith UID stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KithUid {
    /// A follow-up (the interaction).
    FollowUp(InteractionId),
    /// A person's `n`th date.
    Date(PersonId, usize),
}

/// Read a UID kith wrote; None for anything else.
pub fn parse_uid(uid: &str) -> Option<KithUid> {
    if let Some(rest) = uid.strip_prefix(FOLLOW_UP_PREFIX) {
        return uuid::Uuid::parse_str(rest)
            .ok()
            .map(|u| KithUid::FollowUp(InteractionId(u)));
    }
    let rest = uid.strip_prefix(DATE_PREFIX)?;
    let (id, n) = rest.rsplit_once('-')?;
    let n = n.parse::<usize>().ok()?;
    let id = uuid::Uuid::parse_str(id).ok()?;
    Some(KithUid::Date(PersonId(id), n))
}

fn stamp_text(stamp: DateTime<Utc>) -> String {
    stamp.format("%Y%m%dT%H%M%SZ").to_string()
}

/// The SUMMARY of a follow-up: "Follow up with Dana Whitfield after coffee".
pub fn follow_up_summary(i: &Interaction, names: &str) -> String {
    format!("Follow up with {names} after {}", i.kind.after_phrase())
}

/// One follow-up as a whole iCalendar object (VCALENDAR holding one VTODO):
/// due on the follow-up day (all day), the interaction's note as the
/// description, and a reminder at 09:00 on the due day. `names` is who to
/// follow up with, as it should read ("Dana Whitfield, Raj Patel").
/// An interaction without a follow-up day is due on its own day.
pub fn follow_up_todo(i: &Interaction, names: &str, stamp: DateTime<Utc>) -> String {
    let due = i.follow_up.unwrap_or(i.date);
    let summary = follow_up_summary(i, names);
    let mut out = String::new();
    let mut line = |text: String| fold_line(&text, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN".into());
    line("BEGIN:VTODO".into());
    line(format!("UID:{}", follow_up_uid(i.id)));
    line(format!("DTSTAMP:{}", stamp_text(stamp)));
    line(format!("DUE;VALUE=DATE:{}", due.format("%Y%m%d")));
    line(format!("SUMMARY:{}", ics_text(&summary)));
    if !i.note.trim().is_empty() {
        line(format!("DESCRIPTION:{}", ics_text(&i.note)));
    }
    line("STATUS:NEEDS-ACTION".into());
    line("BEGIN:VALARM".into());
    line("ACTION:DISPLAY".into());
    line(format!("DESCRIPTION:{}", ics_text(&summary)));
    // RFC 5545 3.8.6.3: in a VTODO, RELATED=END is relative to DUE; a
    // DATE due is the start of that day, so this rings at 09:00 local time.
    line("TRIGGER;RELATED=END:PT9H".into());
    line("END:VALARM".into());
    line("END:VTODO".into());
    line("END:VCALENDAR".into());
    out
}

/// The SUMMARY of a date's event: "Dana Whitfield's birthday", "Name day: Dana Whitfield".
pub fn date_summary(person: &Person, kind: &DateKind) -> String {
    match kind {
        DateKind::Birthday => format!("{}'s birthday", person.name),
        DateKind::Anniversary => format!("{}'s anniversary", person.name),
        DateKind::Custom(label) => format!("{}: {}", label.trim(), person.name),
    }
}

/// The person's `n`th date as a yearly all-day VEVENT (a whole VCALENDAR),
/// or None when it has no such date or its month or day is unknown. A known
/// year starts the series in that year (and is named in the description);
/// a date without a year starts in `today`'s year. 29 February comes round
/// on the last day of February, so it is not skipped in common years.
pub fn date_event(
    person: &Person,
    n: usize,
    today: NaiveDate,
    stamp: DateTime<Utc>,
) -> Option<String> {
    let date = person.dates.get(n)?;
    let (month, day) = (date.date.month?, date.date.day?);
    let leap_day = month == 2 && day == 29;
    let year = date.date.year.unwrap_or(today.year());
    let start = NaiveDate::from_ymd_opt(year, month, day).or_else(|| {
        // 29 February of a common year: the series starts on the 28th,
        // the last day of that February.
        leap_day
            .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
            .flatten()
    })?;
    let summary = date_summary(person, &date.kind);
    let mut out = String::new();
    let mut line = |text: String| fold_line(&text, &mut out);
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line(format!("PRODID:{PRODID}"));
    line("CALSCALE:GREGORIAN".into());
    line("BEGIN:VEVENT".into());
    line(format!("UID:{}", date_uid(person.id, n)));
    line(format!("DTSTAMP:{}", stamp_text(stamp)));
    line(format!("DTSTART;VALUE=DATE:{}", start.format("%Y%m%d")));
    if leap_day {
        line("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1".into());
    } else {
        line("RRULE:FREQ=YEARLY".into());
    }
    line(format!("SUMMARY:{}", ics_text(&summary)));
    if let Some(year) = date.date.year {
        let description = match &date.kind {
            DateKind::Birthday => format!("Born in {year}."),
            _ => format!("Since {year}."),
        };
        line(format!("DESCRIPTION:{}", ics_text(&description)));
    }
    line("TRANSP:TRANSPARENT".into());
    line("BEGIN:VALARM".into());
    line("ACTION:DISPLAY".into());
    line(format!("DESCRIPTION:{}", ics_text(&summary)));
    line("TRIGGER;RELATED=START:PT9H".into());
    line("END:VALARM".into());
    line("END:VEVENT".into());
    line("END:VCALENDAR".into());
    Some(out)
}

/// One property of a calendar component, as read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcsProperty {
    /// Upper-cased name.
    pub name: String,
    /// Parameters as (UPPER name, value).
    pub params: Vec<(String, String)>,
    /// The raw value, still iCalendar-escaped.
    pub value: String,
}

impl IcsProperty {
    /// The first value of a parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value as TEXT (escaping undone).
    pub fn text(&self) -> String {
        unescape(&self.value)
    }
}

/// One VTODO, VEVENT or VJOURNAL of a calendar object, without its
/// sub-components (alarms are skipped).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Component {
    /// Upper-cased component name ("VTODO").
    pub name: String,
    /// Its own properties in order.
    pub properties: Vec<IcsProperty>,
}

impl Component {
    /// The first property with this name.
    pub fn get(&self, name: &str) -> Option<&IcsProperty> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// Index of the first `:` outside double quotes.
fn value_colon(line: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ':' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Unfold content lines (CRLF, LF or CR ends; a leading space or tab continues).
fn unfold(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let normalized;
    let text = if !text.contains('\n') && text.contains('\r') {
        normalized = text.replace('\r', "\n");
        normalized.as_str()
    } else {
        text
    };
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if let Some(rest) = line.strip_prefix([' ', '\t'])
            && let Some(current) = out.last_mut()
        {
            current.push_str(rest);
        } else if !line.is_empty() {
            out.push(line.to_string());
        }
    }
    out
}

/// The top-level components (VTODO, VEVENT, VJOURNAL…) of an iCalendar
/// object, each with its own properties. Forgiving about line ends and
/// folding; lines that are not properties are skipped; an object larger
/// than [`MAX_OBJECT_BYTES`] reads as nothing.
pub fn read_components(text: &str) -> Vec<Component> {
    if text.len() > MAX_OBJECT_BYTES {
        return Vec::new();
    }
    let mut out = Vec::new();
    // Names of the open components, outermost first.
    let mut stack: Vec<String> = Vec::new();
    let mut current: Option<Component> = None;
    for line in unfold(text) {
        let Some(colon) = value_colon(&line) else {
            continue;
        };
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let Some((_, name, params)) = parse_head(head) else {
            continue;
        };
        match name.as_str() {
            "BEGIN" => {
                let component = value.trim().to_ascii_uppercase();
                if stack.len() == 1 && stack[0] == "VCALENDAR" {
                    current = Some(Component {
                        name: component.clone(),
                        properties: Vec::new(),
                    });
                }
                stack.push(component);
            }
            "END" => {
                let component = value.trim().to_ascii_uppercase();
                if let Some(at) = stack.iter().rposition(|c| *c == component) {
                    stack.truncate(at);
                }
                if stack.len() <= 1
                    && let Some(done) = current.take()
                {
                    out.push(done);
                }
            }
            _ => {
                if stack.len() == 2
                    && let Some(component) = current.as_mut()
                {
                    component.properties.push(IcsProperty {
                        name,
                        params,
                        value: value.to_string(),
                    });
                }
            }
        }
    }
    if let Some(open) = current {
        out.push(open);
    }
    out
}

/// The first VTODO or VEVENT of an object (the one a CalDAV resource is about).
fn main_component(text: &str) -> Option<Component> {
    read_components(text)
        .into_iter()
        .find(|c| c.name == "VTODO" || c.name == "VEVENT")
}

/// The UID of an object's first VTODO or VEVENT.
pub fn read_uid(text: &str) -> Option<String> {
    main_component(text)?
        .get("UID")
        .map(|p| p.text().trim().to_string())
        .filter(|u| !u.is_empty())
}

/// Read a DATE or DATE-TIME value as a calendar day. A UTC time (`…Z`) is
/// the day on this machine's clock; a floating time or one with a TZID is
/// the day as written (what the phone showed).
pub fn read_day(property: &IcsProperty) -> Option<NaiveDate> {
    let value = property.value.trim();
    if let Some(utc) = value.strip_suffix(['Z', 'z']) {
        let time = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok()?;
        return Some(time.and_utc().with_timezone(&chrono::Local).date_naive());
    }
    let day = value.get(..8)?;
    if !day.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let rest = &value[8..];
    if !(rest.is_empty() || rest.starts_with(['T', 't'])) {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y%m%d").ok()
}

/// What a phone can do to a follow-up's VTODO.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TodoState {
    /// Completed (COMPLETED, STATUS:COMPLETED, PERCENT-COMPLETE:100) or
    /// cancelled (STATUS:CANCELLED): either way nothing is left to do.
    pub completed: bool,
    /// The due day (DUE as a DATE or DATE-TIME), if any.
    pub due: Option<NaiveDate>,
}

/// The state of an object's VTODO; None when it holds none.
pub fn read_todo(text: &str) -> Option<TodoState> {
    let todo = read_components(text)
        .into_iter()
        .find(|c| c.name == "VTODO")?;
    let status = todo
        .get("STATUS")
        .map(|p| p.value.trim().to_ascii_uppercase());
    let completed = todo
        .get("COMPLETED")
        .is_some_and(|p| !p.value.trim().is_empty())
        || matches!(status.as_deref(), Some("COMPLETED") | Some("CANCELLED"))
        || todo
            .get("PERCENT-COMPLETE")
            .is_some_and(|p| p.value.trim() == "100");
    let due = todo.get("DUE").and_then(read_day);
    Some(TodoState { completed, due })
}

/// What kith decides on in an object it wrote, in one comparable string:
/// the kind, title, description, the day (for a yearly event only month
/// and day, so a year-less date does not move every January), the
/// recurrence and whether it is done. Stamps, alarms, a phone's own
/// X- properties and reformatting do not count, so they cause no writes.
pub fn essence(text: &str) -> Option<String> {
    let main = main_component(text)?;
    let text_of = |name: &str| main.get(name).map(|p| p.text()).unwrap_or_default();
    let mut out = String::new();
    out.push_str(&main.name);
    out.push('\n');
    out.push_str(&text_of("UID"));
    out.push('\n');
    out.push_str(&text_of("SUMMARY"));
    out.push('\n');
    out.push_str(&text_of("DESCRIPTION"));
    out.push('\n');
    if main.name == "VTODO" {
        let state = read_todo(text)?;
        if let Some(due) = state.due {
            out.push_str(&due.format("%Y-%m-%d").to_string());
        }
        out.push('\n');
        out.push_str(if state.completed { "done" } else { "open" });
    } else {
        if let Some(start) = main.get("DTSTART").and_then(read_day) {
            out.push_str(&start.format("%m-%d").to_string());
        }
        out.push('\n');
        out.push_str(
            &main
                .get("RRULE")
                .map(|p| p.value.trim().to_ascii_uppercase())
                .unwrap_or_default(),
        );
    }
    Some(out)
}

/// One object kith wants on the server.
#[derive(Clone, Debug)]
struct Desired {
    uid: String,
    text: String,
    essence: String,
    interaction: Option<InteractionId>,
    person: Option<PersonId>,
}

/// The inputs of the calendar half, borrowed from a [`SyncJob`].
struct Plan<'a> {
    account: &'a Account,
    people: HashMap<PersonId, &'a Person>,
    /// The job's interactions as the sync has changed them so far.
    interactions: BTreeMap<InteractionId, Interaction>,
    /// The interactions changed from the server (one action each at the end).
    changed: BTreeSet<InteractionId>,
    today: NaiveDate,
    stamp: DateTime<Utc>,
}

impl Plan<'_> {
    fn live(&self, id: &PersonId) -> Option<&Person> {
        self.people
            .get(id)
            .copied()
            .filter(|p| !p.deleted && self.account.includes(p))
    }

    /// What kith wants on the server for this UID, or None when nothing
    /// (a done or unknown follow-up, a trashed person, publishing off).
    fn desired(&self, uid: &str) -> Option<Desired> {
        match parse_uid(uid)? {
            KithUid::FollowUp(id) => {
                if !self.account.publish_follow_ups {
                    return None;
                }
                let i = self.interactions.get(&id)?;
                i.follow_up?;
                if i.follow_up_done {
                    return None;
                }
                let names: Vec<&str> = i
                    .people
                    .iter()
                    .filter_map(|p| self.live(p))
                    .map(|p| p.name.as_str())
                    .collect();
                if names.is_empty() {
                    return None;
                }
                let text = follow_up_todo(i, &names.join(", "), self.stamp);
                Some(Desired {
                    uid: uid.to_string(),
                    essence: essence(&text)?,
                    text,
                    interaction: Some(id),
                    person: None,
                })
            }
            KithUid::Date(person, n) => {
                if !self.account.publish_dates {
                    return None;
                }
                let p = self.live(&person)?;
                let text = date_event(p, n, self.today, self.stamp)?;
                Some(Desired {
                    uid: uid.to_string(),
                    essence: essence(&text)?,
                    text,
                    interaction: None,
                    person: Some(person),
                })
            }
        }
    }

    /// Every object kith wants on the server, by UID.
    fn all_desired(&self) -> BTreeMap<String, Desired> {
        let mut uids = Vec::new();
        if self.account.publish_follow_ups {
            for i in self.interactions.values() {
                if i.follow_up.is_some() && !i.follow_up_done {
                    uids.push(follow_up_uid(i.id));
                }
            }
        }
        if self.account.publish_dates {
            let mut people: Vec<&&Person> = self.people.values().collect();
            people.sort_by_key(|p| p.id);
            for p in people {
                for n in 0..p.dates.len() {
                    uids.push(date_uid(p.id, n));
                }
            }
        }
        uids.into_iter()
            .filter_map(|uid| self.desired(&uid).map(|d| (uid, d)))
            .collect()
    }

    /// Take in what the server holds for a follow-up: completed → done,
    /// due moved (and kith did not move it since `base`) → snoozed.
    /// Returns true when the interaction changed.
    fn pull_follow_up(&mut self, id: InteractionId, base: Option<&str>, remote: &str) -> bool {
        let Some(remote) = read_todo(remote) else {
            return false;
        };
        let base = base.and_then(read_todo);
        let Some(i) = self.interactions.get_mut(&id) else {
            return false;
        };
        if i.follow_up_done || i.follow_up.is_none() {
            return false;
        }
        if remote.completed && !base.is_some_and(|b| b.completed) {
            i.follow_up_done = true;
            self.changed.insert(id);
            return true;
        }
        // Without a base (first link, lost state) kith's day stands.
        let Some(base) = base else {
            return false;
        };
        if let Some(due) = remote.due
            && base.due != Some(due)
            && i.follow_up == base.due
            && i.follow_up != Some(due)
        {
            if i.snoozed_from.is_none() {
                i.snoozed_from = i.follow_up;
            }
            i.follow_up = Some(due);
            self.changed.insert(id);
            return true;
        }
        false
    }
}

/// The last path segment of an href, percent-decoded.
fn file_name(href: &str) -> String {
    let last = href.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    percent_decode(last)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An href as kith keeps it: the path, without scheme and host (servers
/// answer with paths, kith may have built a full URL).
fn path_of(href: &str) -> String {
    match href.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |at| &rest[at..]).to_string(),
        None => href.to_string(),
    }
}

/// The key of an href in the tombstones: its path, percent-decoded, so
/// the server's spelling and kith's (`href_for`) meet.
fn href_key(href: &str) -> String {
    percent_decode(&path_of(href))
}

/// True for an href kith may have written (`kith-….ics`).
fn looks_like_kith(href: &str) -> bool {
    file_name(href).starts_with(UID_PREFIX)
}

/// What changed on the server since the last sync.
struct RemoteChanges {
    /// Hrefs to fetch (changed or new, kith's only).
    changed: Vec<String>,
    /// Hrefs in the state the server no longer holds.
    removed: Vec<String>,
}

/// Ask the server what changed: sync-collection with the token when it
/// offers it (one request when nothing changed), else the collection's
/// tag and, when that moved, a full listing compared with the ETags.
fn remote_changes(
    client: &DavClient,
    collection: &str,
    state: &mut CollectionState,
) -> Result<RemoteChanges, SyncError> {
    if state.ctag.is_none() {
        let mut changes = client.sync_collection(collection, state.sync_token.as_deref())?;
        for l in &mut changes.changed {
            l.href = path_of(&l.href);
        }
        if changes.supported && !changes.invalid_token {
            if state.sync_token.is_none() {
                // An initial sync-collection lists everything.
                let listed = changes.changed;
                state.sync_token = changes.token;
                return Ok(compare_listing(state, &listed));
            }
            state.sync_token = changes.token.or(state.sync_token.take());
            let changed = changes
                .changed
                .into_iter()
                .filter(|l| {
                    state
                        .items
                        .get(&l.href)
                        .is_none_or(|item| item.etag != l.etag)
                })
                .map(|l| l.href)
                .filter(|h| state.items.contains_key(h) || looks_like_kith(h))
                .collect();
            let removed = changes
                .removed
                .into_iter()
                .map(|h| path_of(&h))
                .filter(|h| state.items.contains_key(h))
                .collect();
            return Ok(RemoteChanges { changed, removed });
        }
        if changes.supported {
            // The token expired: start over with a full initial sync.
            let mut fresh = client.sync_collection(collection, None)?;
            for l in &mut fresh.changed {
                l.href = path_of(&l.href);
            }
            if fresh.supported && !fresh.invalid_token {
                state.sync_token = fresh.token;
                return Ok(compare_listing(state, &fresh.changed));
            }
        }
        state.sync_token = None;
    }
    // No sync-collection: the collection tag says whether anything moved.
    let tag = client.collection_tag(collection)?;
    if let (Some(tag), Some(known)) = (&tag, &state.ctag)
        && tag == known
    {
        return Ok(RemoteChanges {
            changed: Vec::new(),
            removed: Vec::new(),
        });
    }
    let listed: Vec<Listed> = client
        .list(collection)?
        .into_iter()
        .map(|l| Listed {
            href: path_of(&l.href),
            etag: l.etag,
        })
        .collect();
    // An empty tag remembers that the server offers no sync-collection.
    state.ctag = Some(tag.unwrap_or_default());
    Ok(compare_listing(state, &listed))
}

/// Changes from a full listing: kith's hrefs whose ETag differs or that
/// are new, and state hrefs the listing no longer has.
fn compare_listing(state: &CollectionState, listed: &[Listed]) -> RemoteChanges {
    let mut seen = std::collections::HashSet::new();
    let mut changed = Vec::new();
    for l in listed {
        seen.insert(l.href.as_str());
        match state.items.get(&l.href) {
            Some(item) if item.etag == l.etag => {}
            Some(_) => changed.push(l.href.clone()),
            None if looks_like_kith(&l.href) => changed.push(l.href.clone()),
            None => {}
        }
    }
    let removed = state
        .items
        .keys()
        .filter(|h| !seen.contains(h.as_str()))
        .cloned()
        .collect();
    RemoteChanges { changed, removed }
}

/// Take in one object the server holds: update the follow-up it is, and
/// remember it (ETag and text) as the new base. Objects that are not
/// kith's are forgotten.
fn take_in(
    plan: &mut Plan<'_>,
    state: &mut CollectionState,
    fetched: &Fetched,
    report: &mut Counts,
) {
    let href = path_of(&fetched.href);
    let Some(uid) = read_uid(&fetched.data).filter(|u| parse_uid(u).is_some()) else {
        state.items.remove(&href);
        return;
    };
    let base = state.items.get(&href).map(|item| item.base.clone());
    let mut item = Item {
        uid: uid.clone(),
        etag: fetched.etag.clone(),
        person: None,
        interaction: None,
        base: fetched.data.clone(),
    };
    match parse_uid(&uid) {
        Some(KithUid::FollowUp(id)) => {
            item.interaction = Some(id);
            if plan.pull_follow_up(id, base.as_deref(), &fetched.data) {
                report.updated += 1;
            }
        }
        Some(KithUid::Date(person, _)) => item.person = Some(person),
        None => {}
    }
    state.tombstones.remove(&href_key(&href));
    state.items.insert(href, item);
}

/// The state item for a PUT kith just made: the ETag the server gave, or
/// (when it gave none, because it changed the text) the object fetched again.
fn after_put(
    client: &DavClient,
    collection: &str,
    href: &str,
    desired: &Desired,
    etag: Option<String>,
) -> Result<Item, SyncError> {
    let mut item = Item {
        uid: desired.uid.clone(),
        etag: String::new(),
        person: desired.person,
        interaction: desired.interaction,
        base: desired.text.clone(),
    };
    match etag {
        Some(etag) => item.etag = etag,
        None => {
            if let Some(f) = client
                .fetch(collection, &[href.to_string()], Kind::Calendar)?
                .into_iter()
                .next()
            {
                item.etag = f.etag;
                item.base = f.data;
            }
        }
    }
    Ok(item)
}

/// Fetch one href again after a 412 and take it in; false when it is gone.
fn refetch(
    client: &DavClient,
    collection: &str,
    href: &str,
    plan: &mut Plan<'_>,
    state: &mut CollectionState,
    report: &mut Counts,
) -> Result<bool, SyncError> {
    let fetched = client.fetch(collection, &[href.to_string()], Kind::Calendar)?;
    match fetched.into_iter().find(|f| path_of(&f.href) == href) {
        Some(f) => {
            take_in(plan, state, &f, report);
            Ok(true)
        }
        None => {
            if let Some(item) = state.items.remove(href)
                && let Some(gone) = essence(&item.base)
            {
                state.tombstones.insert(href_key(href), gone);
            }
            Ok(false)
        }
    }
}

/// Make the server hold what kith wants for `uid` at `href` (create,
/// update or delete), given the state item; one retry after a 412.
fn push_one(
    client: &DavClient,
    collection: &str,
    href: &str,
    uid: &str,
    plan: &mut Plan<'_>,
    state: &mut CollectionState,
    report: &mut Counts,
) -> Result<(), SyncError> {
    for attempt in 0..2 {
        let retry = attempt == 0;
        let desired = plan.desired(uid);
        let current = state.items.get(href).cloned();
        match (desired, current) {
            (None, None) => return Ok(()),
            (None, Some(item)) => match client.delete(href, &item.etag)? {
                Deleted::Done => {
                    state.items.remove(href);
                    report.deleted += 1;
                    return Ok(());
                }
                Deleted::Gone => {
                    state.items.remove(href);
                    return Ok(());
                }
                Deleted::PreconditionFailed => {
                    if !retry || !refetch(client, collection, href, plan, state, report)? {
                        return Ok(());
                    }
                }
            },
            (Some(want), Some(item)) => {
                if essence(&item.base).as_deref() == Some(want.essence.as_str()) {
                    return Ok(());
                }
                match client.put(href, &want.text, Kind::Calendar, Some(&item.etag))? {
                    Put::Done { etag } => {
                        let item = after_put(client, collection, href, &want, etag)?;
                        state.items.insert(href.to_string(), item);
                        report.updated += 1;
                        return Ok(());
                    }
                    Put::PreconditionFailed => {
                        if !retry || !refetch(client, collection, href, plan, state, report)? {
                            return Ok(());
                        }
                    }
                }
            }
            (Some(want), None) => {
                if state.tombstones.get(&href_key(href)) == Some(&want.essence) {
                    return Ok(());
                }
                match client.put(href, &want.text, Kind::Calendar, None)? {
                    Put::Done { etag } => {
                        let item = after_put(client, collection, href, &want, etag)?;
                        state.tombstones.remove(&href_key(href));
                        state.items.insert(href.to_string(), item);
                        report.added += 1;
                        return Ok(());
                    }
                    Put::PreconditionFailed => {
                        // Already there (state lost, or a crash after the
                        // PUT): adopt it, then update it if it differs.
                        state.tombstones.remove(&href_key(href));
                        if !retry || !refetch(client, collection, href, plan, state, report)? {
                            return Ok(());
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The calendar half of a sync, for [`super::run`]: read back what the
/// phone did to kith's objects, then publish, update and remove them so
/// the calendar matches kith. Returns the actions for the model (one
/// `EditInteraction` per follow-up done or snoozed on the phone), and
/// counts in `report.calendar`: added and deleted are objects created and
/// removed on the server, updated counts objects kith rewrote plus
/// follow-ups the phone changed. Does nothing without a calendar.
///
/// On an error `state` and `report` are left as they were (the actions
/// are lost with the error, so the next sync must see the same changes
/// again; every step is safe to repeat). Use [`sync_calendar_into`] to
/// keep the actions and the state of the work done before the error.
pub fn sync_calendar(
    client: &DavClient,
    job: &SyncJob,
    state: &mut CollectionState,
    report: &mut SyncReport,
) -> Result<Vec<Action>, SyncError> {
    let before = state.clone();
    let counts = report.calendar;
    let mut actions = Vec::new();
    match sync_calendar_into(client, job, state, report, &mut actions) {
        Ok(()) => Ok(actions),
        Err(e) => {
            *state = before;
            report.calendar = counts;
            Err(e)
        }
    }
}

/// [`sync_calendar`] that keeps what was done when it fails: `actions`
/// gets the model changes found so far and `state` records every write
/// that happened, both consistent with each other, so a caller that
/// applies the actions and saves the state loses nothing.
pub fn sync_calendar_into(
    client: &DavClient,
    job: &SyncJob,
    state: &mut CollectionState,
    report: &mut SyncReport,
    actions: &mut Vec<Action>,
) -> Result<(), SyncError> {
    let account = &job.account;
    let Some(collection) = account.calendar.as_deref() else {
        return Ok(());
    };
    if state.url != collection {
        *state = CollectionState {
            url: collection.to_string(),
            ..CollectionState::default()
        };
    }
    let stamp = job
        .today
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default();
    let mut plan = Plan {
        account,
        people: job.people.iter().map(|p| (p.id, p)).collect(),
        interactions: job.interactions.iter().map(|i| (i.id, i.clone())).collect(),
        changed: BTreeSet::new(),
        today: job.today,
        stamp,
    };
    let result = sync_with_plan(client, collection, &mut plan, state, &mut report.calendar);
    for id in &plan.changed {
        if let Some(i) = plan.interactions.get(id) {
            actions.push(Action::EditInteraction(i.clone()));
        }
    }
    result
}

fn sync_with_plan(
    client: &DavClient,
    collection: &str,
    plan: &mut Plan<'_>,
    state: &mut CollectionState,
    report: &mut Counts,
) -> Result<(), SyncError> {
    // 1. What the server changed.
    let changes = remote_changes(client, collection, state)?;
    for href in &changes.removed {
        if let Some(item) = state.items.remove(href)
            && let Some(gone) = essence(&item.base)
        {
            state.tombstones.insert(href_key(href), gone);
        }
    }
    if !changes.changed.is_empty() {
        for f in client.fetch(collection, &changes.changed, Kind::Calendar)? {
            take_in(plan, state, &f, report);
        }
    }
    // 2. Make the server match kith: every object kith wants, then every
    // object the state knows that kith no longer wants.
    let desired = plan.all_desired();
    let by_uid: HashMap<String, String> = state
        .items
        .iter()
        .map(|(href, item)| (item.uid.clone(), href.clone()))
        .collect();
    let mut done = std::collections::HashSet::new();
    for uid in desired.keys() {
        let href = by_uid
            .get(uid)
            .cloned()
            .unwrap_or_else(|| path_of(&client.href_for(collection, &format!("{uid}.ics"))));
        push_one(client, collection, &href, uid, plan, state, report)?;
        done.insert(href);
    }
    let leftovers: Vec<(String, String)> = state
        .items
        .iter()
        .filter(|(href, _)| !done.contains(*href))
        .map(|(href, item)| (href.clone(), item.uid.clone()))
        .collect();
    for (href, uid) in leftovers {
        push_one(client, collection, &href, &uid, plan, state, report)?;
    }
    // Tombstones only matter while kith still wants the object.
    state.tombstones.retain(|href, _| {
        let name = file_name(href);
        desired.contains_key(name.strip_suffix(".ics").unwrap_or(&name))
    });
    Ok(())
}

#[cfg(test)]
#[path = "calendar_tests.rs"]
mod tests;
