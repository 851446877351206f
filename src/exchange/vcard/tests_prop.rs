//! Property tests: any person, with any characters in any field or kept
//! property, is written as one card per person that kith's reader gives
//! back equal (after the one normalisation a vCard forces: control
//! characters cannot be written, and CR / CR LF / U+2028 become line breaks).

use super::write::{self, VcardVersion, write_cards};
use super::{Property, card_to_person, parse_cards};
use crate::model::{
    Address, Contact, DateKind, ImportantDate, Label, NameParts, PartialDate, Person, Relation,
    RelationKind, Stage,
};
use proptest::prelude::*;

/// Characters that break careless writers.
const HARD: &[char] = &[
    'a', 'Z', '7', ' ', ';', ',', ':', '\\', '"', '\'', '^', '=', '.', '\t', '\r', '\n', '\u{0}',
    '\u{7}', '\u{1b}', '\u{7f}', '\u{85}', '\u{2028}', 'é', '日', '😀', 'n', 'N',
];

/// Text with hard characters inside and a letter at each end (readers trim).
fn hard_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(HARD), 0..10)
        .prop_map(|middle| format!("a{}z", middle.into_iter().collect::<String>()))
}

/// Text for lists that are split on commas whatever the escaping (tags).
fn hard_text_no_comma() -> impl Strategy<Value = String> {
    hard_text().prop_map(|s| s.replace(',', "-"))
}

fn label() -> impl Strategy<Value = Label> {
    prop_oneof![
        Just(Label::Unlabelled),
        Just(Label::Home),
        Just(Label::Work),
        Just(Label::Mobile),
        Just(Label::Fax),
        Just(Label::Pager),
        Just(Label::Main),
        Just(Label::Other),
        hard_text().prop_map(|t| Label::Custom(format!("q{t}"))),
    ]
}

fn contacts(prefix: &'static str) -> impl Strategy<Value = Vec<Contact>> {
    prop::collection::vec((hard_text(), label(), any::<bool>()), 0..3).prop_map(move |items| {
        items
            .into_iter()
            .enumerate()
            .map(|(i, (value, label, preferred))| Contact {
                value: format!("{prefix}{i}{value}"),
                label,
                preferred,
            })
            .collect()
    })
}

fn partial_date() -> impl Strategy<Value = PartialDate> {
    (
        prop::option::of(1700i32..2100),
        prop::option::of(1u32..=12),
        prop::option::of(1u32..=28),
    )
        .prop_filter_map("a real partial date", |(y, m, d)| {
            let y = y.filter(|y| *y != 1604);
            let d = if m.is_none() { None } else { d };
            PartialDate::new(y, m, d)
        })
}

fn date_kind() -> impl Strategy<Value = DateKind> {
    prop_oneof![
        Just(DateKind::Birthday),
        Just(DateKind::Anniversary),
        hard_text().prop_map(|t| DateKind::Custom(format!("d{t}"))),
    ]
}

fn relation_kind() -> impl Strategy<Value = RelationKind> {
    prop_oneof![
        prop::sample::select(RelationKind::BUILT_IN.to_vec()),
        "[a-z]{1,6}".prop_map(|t| RelationKind::Custom(format!("rel{t}"))),
    ]
}

fn kept_property() -> impl Strategy<Value = (String, String)> {
    (
        "[A-Z]{1,6}",
        prop::option::of("[a-z]{1,4}[0-9]"),
        prop::collection::vec(("[A-Z]{1,4}", hard_text()), 0..3),
        hard_text(),
    )
        .prop_map(|(name, group, params, value)| {
            let property = Property {
                group,
                name: format!("X-P{name}"),
                params: params
                    .into_iter()
                    .map(|(n, v)| (format!("X-{n}"), write::writable(&v)))
                    .collect(),
                value: String::new(),
            };
            (property.kept_key(), write::escape(&value))
        })
}

prop_compose! {
    pub(crate) fn person()(
        name in hard_text(),
        parts in prop::collection::vec(hard_text(), 8),
        empty_parts in prop::collection::vec(any::<bool>(), 8),
        nicknames in prop::collection::vec(hard_text(), 0..3),
        organization in prop::option::of(hard_text()),
        units in prop::collection::vec(hard_text(), 0..3),
        role in prop::option::of(hard_text()),
        titles in prop::collection::vec(hard_text(), 0..2),
        functions in prop::collection::vec(hard_text(), 0..2),
        emails in contacts("e"),
        phones in contacts("p"),
        links in contacts("l"),
        addresses in prop::collection::vec((label(), any::<bool>(), prop::collection::vec(hard_text(), 7), prop::collection::vec(any::<bool>(), 7)), 0..3),
        dates in prop::collection::vec((date_kind(), partial_date()), 0..4),
        relations in prop::collection::vec((relation_kind(), hard_text()), 0..3),
        uid in prop::option::of(hard_text()),
        notes in prop::option::of(hard_text()),
        tags in prop::collection::vec(hard_text_no_comma(), 0..3),
        interests in prop::collection::vec(hard_text(), 0..3),
        can_help in prop::collection::vec(hard_text(), 0..3),
        local in (any::<bool>(), prop::option::of(1u32..400)),
        stage in prop::sample::select(Stage::ALL.to_vec()),
        extra in prop::collection::vec(kept_property(), 0..3),
    ) -> Person {
        let part = |i: usize| if empty_parts[i] && i != 1 && i != 3 { String::new() } else { format!("n{i}{}", parts[i]) };
        let unique = |prefix: &str, list: Vec<String>| -> Vec<String> {
            list.into_iter().enumerate().map(|(i, s)| format!("{prefix}{i}{s}")).collect()
        };
        let mut person = Person::new(name);
        person.name_parts = NameParts {
            prefix: part(0), given: part(1), additional: part(2), family: part(3), suffix: part(4),
            phonetic_given: part(5), phonetic_additional: part(6), phonetic_family: part(7),
        };
        person.nicknames = unique("k", nicknames);
        person.organization = organization.unwrap_or_default();
        person.org_units = unique("u", units);
        person.role = role.map(|r| format!("r{r}")).unwrap_or_default();
        person.other_titles = if person.role.is_empty() { Vec::new() } else { unique("t", titles) };
        person.functions = unique("f", functions);
        person.emails = emails;
        person.phones = phones;
        person.links = links;
        let mut seen = std::collections::BTreeSet::new();
        person.addresses = addresses.into_iter().enumerate().map(|(n, (label, preferred, parts, empty))| {
            let part = |i: usize| if empty[i] && i != 2 { String::new() } else { format!("s{n}{i}{}", parts[i]) };
            Address { label, preferred, po_box: part(0), extended: part(1), street: part(2), locality: part(3), region: part(4), postcode: part(5), country: part(6) }
        }).collect();
        person.dates = dates.into_iter().map(|(kind, date)| ImportantDate { kind, date })
            .filter(|d| seen.insert(format!("{d:?}"))).collect();
        person.relations = relations.into_iter().enumerate()
            .map(|(i, (kind, name))| Relation { kind, person: None, name: format!("m{i}{name}") }).collect();
        person.source_ids = uid.map(|u| vec![format!("uid{u}")]).unwrap_or_default();
        person.notes = notes.unwrap_or_default();
        person.tags = unique("g", tags);
        person.interests = unique("i", interests);
        person.can_help_with = unique("c", can_help);
        // Kept only in kith's own files: a vCard neither writes nor needs them.
        if local.0 {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
            person.needs = vec!["A bookkeeper".into()];
            person.needs_noted = vec![crate::model::NeedNoted { need: "A bookkeeper".into(), date: day }];
            person.needs_met = vec![crate::model::NeedMet { need: "A lawyer".into(), date: day, interaction: None, helper: None }];
        }
        person.rhythm_days = local.1;
        person.stage = stage;
        person.extra = extra;
        person.extra.sort();
        person.extra.dedup_by(|a, b| a.0 == b.0);
        person
    }
}

/// A string as a vCard gives it back.
fn canon(text: &mut String) {
    *text = write::writable(text).trim().to_string();
}

/// The person a reader should give back: every text written as a vCard can carry it.
fn expected(person: &Person) -> Person {
    let mut p = person.clone();
    for text in [
        &mut p.name,
        &mut p.name_parts.prefix,
        &mut p.name_parts.given,
        &mut p.name_parts.additional,
        &mut p.name_parts.family,
        &mut p.name_parts.suffix,
        &mut p.name_parts.phonetic_given,
        &mut p.name_parts.phonetic_additional,
        &mut p.name_parts.phonetic_family,
        &mut p.organization,
        &mut p.role,
        &mut p.notes,
    ] {
        canon(text);
    }
    for list in [
        &mut p.nicknames,
        &mut p.org_units,
        &mut p.other_titles,
        &mut p.functions,
        &mut p.source_ids,
        &mut p.tags,
        &mut p.interests,
        &mut p.can_help_with,
    ] {
        list.iter_mut().for_each(canon);
    }
    p.needs_noted.clear();
    p.needs_met.clear();
    p.rhythm_days = None;
    for list in [&mut p.emails, &mut p.phones, &mut p.links] {
        for contact in list.iter_mut() {
            canon(&mut contact.value);
            if let Label::Custom(text) = &mut contact.label {
                canon(text);
            }
        }
    }
    for address in &mut p.addresses {
        for part in [
            &mut address.po_box,
            &mut address.extended,
            &mut address.street,
            &mut address.locality,
            &mut address.region,
            &mut address.postcode,
            &mut address.country,
        ] {
            canon(part);
        }
        if let Label::Custom(text) = &mut address.label {
            canon(text);
        }
    }
    for date in &mut p.dates {
        if let DateKind::Custom(text) = &mut date.kind {
            canon(text);
        }
    }
    for relation in &mut p.relations {
        canon(&mut relation.name);
    }
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_person_round_trips_through_both_versions(people in prop::collection::vec(person(), 1..3)) {
        for version in [VcardVersion::V3, VcardVersion::V4] {
            let text = write_cards(&people, version);
            for line in text.split("\r\n") {
                prop_assert!(!line.contains(['\r', '\n']));
                prop_assert!(!line.chars().any(|c| c.is_control() && c != '\t'), "{line:?}");
            }
            let (cards, skipped) = parse_cards(&text);
            prop_assert!(skipped.is_empty(), "{skipped:?}\n{text}");
            prop_assert_eq!(cards.len(), people.len(), "{}", text);
            for (card, person) in cards.iter().zip(&people) {
                let (mut back, _) = card_to_person(card).map_err(TestCaseError::fail)?;
                back.id = person.id;
                let mut want = expected(person);
                if want.source_ids.is_empty() {
                    // A card written without a file's UID carries kith's id.
                    want.source_ids.push(write::export_uid(person, version));
                }
                prop_assert_eq!(back, want, "{:?}\n{}", version, text);
            }
        }
    }
}

/// Lines a fuzzer would make: real property names with hostile values and parameters.
fn card_soup() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "FN",
        "N",
        "NICKNAME",
        "ORG",
        "TITLE",
        "ROLE",
        "EMAIL",
        "TEL",
        "URL",
        "ADR",
        "BDAY",
        "ANNIVERSARY",
        "X-ABDATE",
        "X-ABLabel",
        "X-ABRELATEDNAMES",
        "RELATED",
        "UID",
        "NOTE",
        "CATEGORIES",
        "X-KITH-INTERESTS",
        "X-SPOUSE",
        "PHOTO",
        "GEO",
        "LABEL",
        "X-CUSTOM",
        "item1.TEL",
        "item1.X-ABLabel",
        "item2.X-ABDATE",
        "item2.X-ABLabel",
        "KIND",
        "MEMBER",
    ]);
    let params = prop::sample::select(vec![
        "",
        ";TYPE=WORK",
        ";TYPE=cell,pref",
        ";PREF=1",
        ";HOME",
        ";VALUE=text",
        ";CHARSET=KOI8-R",
        ";ENCODING=QUOTED-PRINTABLE",
        ";ENCODING=b;TYPE=JPEG",
        ";X-APPLE-OMIT-YEAR=1604",
        ";LABEL=\"a^nb^'c\"",
        ";TYPE=\"x;y\"",
    ]);
    prop::collection::vec((names, params, hard_text()), 1..12).prop_map(|lines| {
        let mut card = String::from("BEGIN:VCARD\r\nVERSION:3.0\r\n");
        for (name, params, value) in lines {
            card.push_str(&format!(
                "{name}{params}:{}\r\n",
                value.replace(['\r', '\n'], " ")
            ));
        }
        card.push_str("END:VCARD\r\n");
        card
    })
}

fn written_again(person: &Person, version: VcardVersion) -> Result<Person, TestCaseError> {
    let text = write_cards([person], version);
    let (cards, _) = parse_cards(&text);
    prop_assert_eq!(cards.len(), 1, "{}", text);
    let (mut back, _) = card_to_person(&cards[0]).map_err(TestCaseError::fail)?;
    back.id = person.id;
    Ok(back)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// The fuzz target's oracle (fuzz/fuzz_targets/vcard_write.rs) on generated cards.
    #[test]
    fn any_card_reaches_a_fixed_point_after_one_write(card in card_soup()) {
        let (cards, _) = super::parse_bytes(card.as_bytes());
        for card in &cards {
            let Ok((person, _)) = card_to_person(card) else { continue };
            for version in [VcardVersion::V3, VcardVersion::V4] {
                let once = written_again(&person, version)?;
                let twice = written_again(&once, version)?;
                prop_assert_eq!(once, twice, "{:?}", version);
            }
        }
    }
}
