//! The pure three-way merge of a person against the card a server holds.
//!
//! Only "the address-book projection" syncs: the fields a vCard carries
//! ([`FIELDS`]), notes only when the account syncs them, and kith's own
//! fields (interests, needs, wants, can help with, stage) only when the
//! account writes them *and* the server's card still carries `X-KITH-*`
//! (a phone that drops X- properties must never erase them). Everything
//! else (consent, interactions, met, introduced by, rhythm, memberships,
//! stage history…) is kith's alone and never comes from a server.
//!
//! Values are compared as a vCard gives them back (each person is written
//! as a 3.0 card and read again first), so a value kith stores with a
//! trailing space or a control character does not look like an edit on
//! every sync. Lists the servers reorder (e-mails, phones, tags…) compare
//! as sets.
//!
//! Per field: local == base → theirs; remote == base → mine; both the same
//! → fine; else a [`FieldConflict`], and the record keeps mine. What goes
//! to the server while a conflict is open is the caller's choice (the sync
//! sends theirs in the conflicting fields, [`use_theirs`], and mine in the
//! rest); "keep mine" and "use theirs" settle it later.
//!
//! `extra` (the properties kith has no field for) merges per property
//! name, so a phone adding an `X-ABLabel` while kith changes another one is
//! no conflict. On the first link (no base) lists are united and scalars
//! keep kith's value unless it is empty.
//!
//! With `sync_notes` on, NOTE is a field like the others: a note cleared
//! on the phone clears it in kith. With it off (the default) kith's notes
//! never leave, and [`card_text`] writes back the NOTE the server had.

use crate::exchange::vcard::write::{CardOptions, VcardVersion, write_card_with};
use crate::exchange::vcard::{Property, card_to_person, parse_cards};
use crate::model::{Contact, Person};
use crate::sync::account::Account;
use crate::sync::state::FieldConflict;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// Every synced field: its key (as in [`FieldConflict::field`]) and its label for people.
pub const FIELDS: &[(&str, &str)] = &[
    ("name", "Name"),
    ("name_parts", "Name parts"),
    ("nicknames", "Nicknames"),
    ("organization", "Organization"),
    ("org_units", "Department"),
    ("role", "Job title"),
    ("other_titles", "Other job titles"),
    ("functions", "Role"),
    ("emails", "E-mail"),
    ("phones", "Phone"),
    ("links", "Links"),
    ("addresses", "Address"),
    ("dates", "Dates"),
    ("relations", "Related people"),
    ("tags", "Tags"),
    ("extra", "Other card details"),
    ("notes", "Notes"),
    ("interests", "Interests"),
    ("needs", "Needs"),
    ("wants", "Wants"),
    ("can_help_with", "Can help with"),
    ("stage", "Stage"),
];

/// kith's own fields, synced as `X-KITH-*` only when the account asks for it.
pub const KITH_FIELDS: &[&str] = &["interests", "needs", "wants", "can_help_with", "stage"];

/// The properties that mark a card as carrying kith's own fields.
const KITH_PROPERTIES: &[&str] = &[
    "X-KITH-INTERESTS",
    "X-KITH-NEEDS",
    "X-KITH-WANTS",
    "X-KITH-CAN-HELP",
    "X-KITH-STAGE",
];

/// The label of a field key ("emails" → "E-mail"); the key itself when unknown.
pub fn field_label(field: &str) -> &str {
    FIELDS
        .iter()
        .find(|(key, _)| *key == field)
        .map_or(field, |(_, label)| label)
}

/// The fields `account` syncs, in [`FIELDS`] order; `remote_has_kith`
/// says whether the server's card carries `X-KITH-*` (see [`remote_has_kith`]).
pub fn synced_fields(account: &Account, remote_has_kith: bool) -> Vec<&'static str> {
    FIELDS
        .iter()
        .map(|(key, _)| *key)
        .filter(|key| match *key {
            "notes" => account.sync_notes,
            key if KITH_FIELDS.contains(&key) => account.write_kith_fields && remote_has_kith,
            _ => true,
        })
        .collect()
}

/// Whether a card's text carries any of kith's `X-KITH-*` fields (the
/// partial-date `X-KITH-DATE` aside, which is part of the dates).
pub fn remote_has_kith(card_text: &str) -> bool {
    let (cards, _) = parse_cards(card_text);
    cards.first().is_some_and(|card| {
        card.properties
            .iter()
            .any(|p| KITH_PROPERTIES.contains(&p.name.as_str()))
    })
}

/// The person the first card of `text` describes. A group card
/// (`KIND:group`) is not a person and gives an error, as does a card with
/// nothing to go by.
pub fn parse_card(text: &str) -> Result<Person, String> {
    let (cards, _) = parse_cards(text);
    let card = cards
        .into_iter()
        .next()
        .ok_or_else(|| "no vCard in the text".to_string())?;
    if card.is_group() {
        return Err("a group card, not a person".into());
    }
    card_to_person(&card).map(|(person, _)| person)
}

/// The person as a vCard 3.0 written with everything gives them back
/// (the person itself when it cannot be written and read again).
fn canonical(person: &Person) -> Person {
    let mut text = String::new();
    write_card_with(person, VcardVersion::V3, None, &CardOptions::ALL, &mut text);
    match parse_card(&text) {
        Ok(mut back) => {
            back.id = person.id;
            back
        }
        Err(_) => person.clone(),
    }
}

/// An `extra` entry that travels with the card: not kith's CSV columns,
/// and not an inline photo (the photo is the person's photo).
fn is_synced_extra((key, value): &(String, String)) -> bool {
    if key.starts_with("CSV:") {
        return false;
    }
    match crate::exchange::vcard::parse_head(key) {
        Some((_, name, params)) if name == "PHOTO" => {
            let binary = params.iter().any(|(n, v)| {
                n == "ENCODING" && (v.eq_ignore_ascii_case("b") || v.eq_ignore_ascii_case("base64"))
            });
            let data = value
                .trim_start()
                .get(..5)
                .is_some_and(|p| p.eq_ignore_ascii_case("data:"));
            !(binary || data)
        }
        _ => true,
    }
}

fn synced_extra(person: &Person) -> Vec<(String, String)> {
    person
        .extra
        .iter()
        .filter(|e| is_synced_extra(e))
        .cloned()
        .collect()
}

/// Equal as multisets (order aside), in linear time.
fn same_items<T: Eq + Hash>(a: &[T], b: &[T]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut counts: HashMap<&T, i64> = HashMap::with_capacity(a.len());
    for item in a {
        *counts.entry(item).or_default() += 1;
    }
    for item in b {
        match counts.get_mut(item) {
            Some(n) if *n > 0 => *n -= 1,
            _ => return false,
        }
    }
    true
}

/// Whether `a` and `b` hold the same value in `field` (lists servers
/// reorder compare as sets). Unknown fields are equal.
fn field_eq(a: &Person, b: &Person, field: &str) -> bool {
    macro_rules! exact {
        ($($f:ident),*) => {
            $(if field == stringify!($f) {
                return a.$f == b.$f;
            })*
        };
    }
    macro_rules! as_set {
        ($($f:ident),*) => {
            $(if field == stringify!($f) {
                return same_items(&a.$f, &b.$f);
            })*
        };
    }
    exact!(
        name,
        name_parts,
        organization,
        org_units,
        role,
        other_titles,
        notes,
        stage
    );
    as_set!(
        nicknames,
        functions,
        emails,
        phones,
        links,
        addresses,
        dates,
        relations,
        tags,
        interests,
        needs,
        wants,
        can_help_with
    );
    if field == "extra" {
        return same_items(&synced_extra(a), &synced_extra(b));
    }
    true
}

/// Whether `a` and `b` hold the same value in `field` as their cards
/// would carry it (lists servers reorder compared as sets). Use it, not
/// [`field_text`], to tell whether an open conflict still stands.
pub fn same_field(a: &Person, b: &Person, field: &str) -> bool {
    field_eq(&canonical(a), &canonical(b), field)
}

/// Set `to`'s `field` to `from`'s. For `extra`, only the entries that
/// travel with the card are replaced.
fn copy_field(to: &mut Person, from: &Person, field: &str) {
    macro_rules! copy {
        ($($f:ident),*) => {
            $(if field == stringify!($f) {
                to.$f = from.$f.clone();
                return;
            })*
        };
    }
    copy!(
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
        tags,
        notes,
        interests,
        needs,
        wants,
        can_help_with,
        stage
    );
    if field == "extra" {
        set_synced_extra(to, synced_extra(from));
    }
}

/// Replace `person`'s synced `extra` entries, keeping the others (CSV columns) in place.
fn set_synced_extra(person: &mut Person, synced: Vec<(String, String)>) {
    if same_items(&synced_extra(person), &synced) {
        return;
    }
    person.extra.retain(|e| !is_synced_extra(e));
    person.extra.extend(synced);
}

/// Append the items of `from` whose key neither `known` nor `to` has, in
/// linear time (a hostile card may hold thousands of values).
fn unite<T: Clone, K: Eq + Hash>(to: &mut Vec<T>, known: &[T], from: &[T], key: impl Fn(&T) -> K) {
    let mut seen: HashSet<K> = known.iter().chain(to.iter()).map(&key).collect();
    for item in from {
        if seen.insert(key(item)) {
            to.push(item.clone());
        }
    }
}

/// First link (no base): lists gain the remote items `known` (the local
/// person as a card gives it back) lacks; scalars take the remote value
/// only when the local one is empty.
fn union_field(to: &mut Person, known: &Person, from: &Person, field: &str) {
    macro_rules! scalar {
        ($($f:ident),*) => {
            $(if field == stringify!($f) {
                if known.$f.trim().is_empty() {
                    to.$f = from.$f.clone();
                }
                return;
            })*
        };
    }
    macro_rules! unite {
        ($key:expr; $($f:ident),*) => {
            $(if field == stringify!($f) {
                unite(&mut to.$f, &known.$f, &from.$f, $key);
                return;
            })*
        };
    }
    scalar!(name, organization, role, notes);
    unite!(|t: &String| t.to_ascii_lowercase();
        nicknames, other_titles, functions, tags, interests, needs, wants, can_help_with);
    unite!(|c: &Contact| c.value.to_ascii_lowercase(); emails, phones, links);
    unite!(|a: &crate::model::Address| a.clone(); addresses);
    unite!(|d: &crate::model::ImportantDate| d.clone(); dates);
    unite!(|r: &crate::model::Relation| r.clone(); relations);
    match field {
        "name_parts" if known.name_parts.is_empty() => to.name_parts = from.name_parts.clone(),
        "org_units" if known.org_units.is_empty() => to.org_units = from.org_units.clone(),
        "extra" => unite(
            &mut to.extra,
            &synced_extra(known),
            &synced_extra(from),
            |e: &(String, String)| e.clone(),
        ),
        // The stage always has a value: first link keeps kith's.
        _ => {}
    }
}

/// Values of each key, keys in first-seen order.
fn by_key(entries: &[(String, String)]) -> (Vec<&str>, HashMap<&str, Vec<&str>>) {
    let mut order = Vec::new();
    let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, value) in entries {
        let values = map.entry(key.as_str()).or_insert_with(|| {
            order.push(key.as_str());
            Vec::new()
        });
        values.push(value.as_str());
    }
    (order, map)
}

/// Three-way merge of the synced `extra` entries, per key: a phone adding
/// `X-ABLabel` while kith changed another property is no conflict. Gives
/// the merged entries and whether some key changed on both sides
/// differently (those keep the local values).
fn merge_extra(
    base: &[(String, String)],
    local: &[(String, String)],
    remote: &[(String, String)],
) -> (Vec<(String, String)>, bool) {
    let (_, base_map) = by_key(base);
    let (local_keys, local_map) = by_key(local);
    let (remote_keys, remote_map) = by_key(remote);
    let none: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    let mut conflict = false;
    let keys = local_keys
        .iter()
        .chain(remote_keys.iter().filter(|k| !local_map.contains_key(*k)));
    for key in keys {
        let b = base_map.get(key).unwrap_or(&none);
        let l = local_map.get(key).unwrap_or(&none);
        let r = remote_map.get(key).unwrap_or(&none);
        let chosen = if same_items(l, b) {
            r
        } else if same_items(r, b) || same_items(l, r) {
            l
        } else {
            conflict = true;
            l
        };
        out.extend(
            chosen
                .iter()
                .map(|value| (key.to_string(), value.to_string())),
        );
    }
    (out, conflict)
}

/// A person's synced fields as an account sees them, values as a vCard
/// gives them back. Two projections are equal (`==`) when every synced
/// field is, lists servers reorder compared as sets.
#[derive(Clone, Debug)]
pub struct Projection {
    /// The person with only the synced fields set (the rest default, the id kept).
    pub person: Person,
    /// The synced fields.
    pub fields: Vec<&'static str>,
}

impl PartialEq for Projection {
    fn eq(&self, other: &Self) -> bool {
        self.fields == other.fields
            && self
                .fields
                .iter()
                .all(|f| field_eq(&self.person, &other.person, f))
    }
}

/// The projection of `person` for `account` (see [`synced_fields`] for `remote_has_kith`).
pub fn project(person: &Person, account: &Account, remote_has_kith: bool) -> Projection {
    let fields = synced_fields(account, remote_has_kith);
    let full = canonical(person);
    let mut only = Person {
        id: person.id,
        ..Person::default()
    };
    for field in &fields {
        copy_field(&mut only, &full, field);
    }
    Projection {
        person: only,
        fields,
    }
}

/// What [`merge`] gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The merged record: the local person with the server's changes in
    /// the synced fields (conflicting fields keep the local value).
    pub person: Person,
    /// The merge changed the local person (an EditPerson is needed).
    pub changed_local: bool,
    /// The merged person differs from the server's card outside the
    /// conflicting fields (a PUT is needed, once no conflict is open).
    pub changed_remote: bool,
    /// Fields both sides changed differently since the base.
    pub conflicts: Vec<FieldConflict>,
}

/// Three-way merge of `local` and `remote` (a server card, via
/// [`parse_card`]) against `base` (the card as last synced; None on the
/// first link, where lists are united and scalars keep the local value
/// unless it is empty). `remote_has_kith` is [`remote_has_kith`] of the
/// server's card text. Fields outside the projection keep the local value.
pub fn merge(
    base: Option<&Person>,
    local: &Person,
    remote: &Person,
    account: &Account,
    remote_has_kith: bool,
) -> Merged {
    let fields = synced_fields(account, remote_has_kith);
    let known_local = canonical(local);
    let known_remote = canonical(remote);
    let mut person = local.clone();
    let mut conflicts = Vec::new();
    match base {
        None => {
            for field in &fields {
                union_field(&mut person, &known_local, remote, field);
            }
        }
        Some(base) => {
            let known_base = canonical(base);
            for field in &fields {
                let field = *field;
                let conflict = if field == "extra" {
                    let (merged, conflict) = merge_extra(
                        &synced_extra(&known_base),
                        &synced_extra(&known_local),
                        &synced_extra(&known_remote),
                    );
                    set_synced_extra(&mut person, merged);
                    conflict
                } else if field_eq(&known_local, &known_remote, field)
                    || field_eq(&known_remote, &known_base, field)
                {
                    false
                } else if field_eq(&known_local, &known_base, field) {
                    copy_field(&mut person, remote, field);
                    false
                } else {
                    true
                };
                if conflict {
                    conflicts.push(FieldConflict {
                        field: field.to_string(),
                        label: field_label(field).to_string(),
                        // As the cards would show them (a name kith
                        // keeps without parts shows the parts it writes).
                        mine: field_text(&known_local, field),
                        theirs: field_text(&known_remote, field),
                    });
                }
            }
        }
    }
    let known_merged = canonical(&person);
    let changed_local = fields
        .iter()
        .any(|f| !field_eq(&known_merged, &known_local, f));
    let changed_remote = fields
        .iter()
        .filter(|f| !conflicts.iter().any(|c| c.field == **f))
        .any(|f| !field_eq(&known_merged, &known_remote, f));
    Merged {
        person,
        changed_local,
        changed_remote,
        conflicts,
    }
}

/// `local` with `theirs`' values in `fields` ("Use theirs" in the conflict
/// view). Unknown field keys are ignored.
pub fn use_theirs(local: &Person, theirs: &Person, fields: &[String]) -> Person {
    let mut person = local.clone();
    for field in fields {
        copy_field(&mut person, theirs, field);
    }
    person
}

fn contacts_text(list: &[Contact]) -> String {
    list.iter()
        .map(|c| {
            let mut text = c.value.clone();
            if !c.label.text().is_empty() {
                text.push_str(&format!(" ({})", c.label.text()));
            }
            if c.preferred {
                text.push_str(" ★");
            }
            text
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A field's value as text for people (the conflict view); empty for unknown keys.
pub fn field_text(person: &Person, field: &str) -> String {
    match field {
        "name" => person.name.clone(),
        "name_parts" => {
            let parts = &person.name_parts;
            let mut text = parts.joined();
            let phonetic = [
                &parts.phonetic_given,
                &parts.phonetic_additional,
                &parts.phonetic_family,
            ]
            .into_iter()
            .filter(|p| !p.is_empty())
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
            if !phonetic.is_empty() {
                text.push_str(&format!(" ({phonetic})"));
            }
            text
        }
        "nicknames" => person.nicknames.join(", "),
        "organization" => person.organization.clone(),
        "org_units" => person.org_units.join(" › "),
        "role" => person.role.clone(),
        "other_titles" => person.other_titles.join(", "),
        "functions" => person.functions.join(", "),
        "emails" => contacts_text(&person.emails),
        "phones" => contacts_text(&person.phones),
        "links" => contacts_text(&person.links),
        "addresses" => person
            .addresses
            .iter()
            .map(|a| {
                let mut text = a.lines().join(", ");
                if !a.label.text().is_empty() {
                    text.push_str(&format!(" ({})", a.label.text()));
                }
                text
            })
            .collect::<Vec<_>>()
            .join("; "),
        "dates" => person
            .dates
            .iter()
            .map(|d| format!("{}: {}", d.kind.label(), d.date.human()))
            .collect::<Vec<_>>()
            .join(", "),
        "relations" => person
            .relations
            .iter()
            .map(|r| format!("{} ({})", r.name, r.kind.label()))
            .collect::<Vec<_>>()
            .join(", "),
        "tags" => person.tags.join(", "),
        "extra" => synced_extra(person)
            .iter()
            .map(|(key, value)| format!("{key}: {value}"))
            .collect::<Vec<_>>()
            .join("\n"),
        "notes" => person.notes.clone(),
        "interests" => person.interests.join(", "),
        "needs" => person.needs.join(", "),
        "wants" => person.wants.join(", "),
        "can_help_with" => person.can_help_with.join(", "),
        "stage" => person.stage.label().to_string(),
        _ => String::new(),
    }
}

/// The server's inline photo property, kept as it is (media type and all).
fn inline_photo(property: &Property) -> Option<(String, String)> {
    if property.name != "PHOTO" {
        return None;
    }
    let binary = property
        .param("ENCODING")
        .is_some_and(|e| e.eq_ignore_ascii_case("b") || e.eq_ignore_ascii_case("base64"));
    let value = property.value.trim();
    let data = value
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("data:"));
    (binary || data).then(|| {
        (
            property.kept_key(),
            value.chars().filter(|c| !c.is_whitespace()).collect(),
        )
    })
}

/// The vCard 3.0 kith PUTs for `person`: `X-KITH-*` only when the account
/// writes kith's fields, NOTE only when it syncs notes. What the server's
/// last card (`base_card`) carried that this account does not sync is
/// written back as it was: its NOTE, its `X-KITH-*`, its UID and its inline
/// photo when kith has none (`photo`, a JPEG, replaces it).
pub fn card_text(
    person: &Person,
    account: &Account,
    base_card: Option<&str>,
    photo: Option<&[u8]>,
) -> String {
    let mut out = person.clone();
    let mut options = CardOptions {
        kith_fields: account.write_kith_fields,
        note: account.sync_notes,
    };
    let card = base_card.and_then(|text| parse_cards(text).0.into_iter().next());
    let base = card
        .as_ref()
        .and_then(|card| card_to_person(card).ok())
        .map(|(p, _)| p);
    if !account.sync_notes {
        out.notes = base.as_ref().map(|b| b.notes.clone()).unwrap_or_default();
        options.note = !out.notes.is_empty();
    }
    if let (Some(card), Some(base)) = (&card, &base) {
        let has_kith = card
            .properties
            .iter()
            .any(|p| KITH_PROPERTIES.contains(&p.name.as_str()));
        if !account.write_kith_fields && has_kith {
            for field in KITH_FIELDS {
                copy_field(&mut out, base, field);
            }
            options.kith_fields = true;
        }
        if let Some(uid) = base.source_ids.first() {
            out.source_ids.retain(|id| id != uid);
            out.source_ids.insert(0, uid.clone());
        }
        let has_photo = out.extra.iter().any(|(key, _)| {
            crate::exchange::vcard::parse_head(key).is_some_and(|(_, name, _)| name == "PHOTO")
        });
        if photo.is_none()
            && !has_photo
            && let Some(kept) = card.properties.iter().find_map(inline_photo)
        {
            out.extra.push(kept);
        }
    }
    let mut text = String::new();
    write_card_with(&out, VcardVersion::V3, photo, &options, &mut text);
    text
}

#[cfg(test)]
#[path = "merge_tests.rs"]
mod tests;
