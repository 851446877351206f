use super::*;
use crate::document::Document;
use crate::model::{Consent, InteractionKind, Membership, OrgKind, Stage};
use chrono::NaiveDate;
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sample() -> (Model, PersonId, PersonId, PersonId, OrgId) {
    let mut model = Model::default();
    let org = Organization::new("Rotary", OrgKind::Community);
    let mut a = Person::new("Ann");
    a.emails = vec!["ann@x.org".into()];
    a.interests = vec!["Running".into()];
    a.memberships.push(Membership {
        org: org.id,
        role: "member".into(),
    });
    let mut b = Person::new("Ann Smith");
    b.emails = vec!["ANN@x.org".into(), "ann@home.org".into()];
    b.interests = vec!["Jazz".into()];
    b.newsletter = Consent::Yes {
        date: day(2025, 1, 1),
    };
    b.stage = Stage::Trust;
    let mut c = Person::new("Carl");
    c.introduced_by = Some(b.id);
    let (ia, ib, ic, io) = (a.id, b.id, c.id, org.id);
    model.orgs.insert(org.id, org);
    model.people.insert(ia, a);
    model.people.insert(ib, b);
    model.people.insert(ic, c);
    for (date, kind, people) in [
        (day(2026, 1, 5), InteractionKind::Coffee, vec![ia]),
        (day(2026, 2, 5), InteractionKind::Lunch, vec![ib, ic]),
        (day(2026, 2, 9), InteractionKind::Call, vec![ia, ib]),
        (day(2026, 3, 1), InteractionKind::HelpGiven, vec![ib]),
    ] {
        let i = Interaction::new(date, kind, people);
        model.interactions.insert(i.id, i);
    }
    (model, ia, ib, ic, io)
}

/// Apply, check the inverse restores the exact state, and return the new state.
fn round_trip(model: &Model, action: Action) -> Model {
    let mut changed = model.clone();
    let applied = changed.apply(action).unwrap();
    assert!(!applied.touched.is_empty());
    let mut restored = changed.clone();
    restored.apply(applied.inverse).unwrap();
    assert_eq!(&restored, model);
    changed
}

#[test]
fn every_action_kind_undoes_exactly() {
    let (model, a, b, c, org) = sample();
    let first_interaction = *model.interactions.keys().next().unwrap();
    let mut edited = model.people[&a].clone();
    edited.notes = "x".into();
    let mut edited_interaction = model.interactions[&first_interaction].clone();
    edited_interaction.date = day(2027, 5, 5);
    let mut edited_org = model.orgs[&org].clone();
    edited_org.name = "Rotary Club".into();
    let mut me = Me::default();
    me.interests.push("sailing".into());
    let mut settings = Settings::default();
    settings.cadence_days.insert(Stage::Like, 10);
    let actions = vec![
        Action::AddPerson(Person::new("New")),
        Action::EditPerson(edited),
        Action::DeletePerson(a),
        Action::PurgePerson(b),
        Action::RemovePersonRecord(c),
        Action::AddInteraction(Interaction::new(
            day(2026, 4, 4),
            InteractionKind::Call,
            vec![a],
        )),
        Action::EditInteraction(edited_interaction),
        Action::DeleteInteraction(first_interaction),
        Action::AddOrganization(Organization::new("BNI", OrgKind::ReferralClub)),
        Action::EditOrganization(edited_org),
        Action::DeleteOrganization(org),
        Action::RemoveOrganizationRecord(org),
        Action::MergePeople {
            keep: a,
            duplicate: b,
        },
        Action::MergeInterests {
            into: "run".into(),
            from: "jazz".into(),
        },
        Action::RenameInterest {
            key: "run".into(),
            name: "Jogging".into(),
        },
        Action::SetInterest {
            key: "chess".into(),
            entry: Some(Interest::named("Chess")),
        },
        Action::SetMe(me),
        Action::SetSettings(settings),
        Action::ReplaceAll(Box::default()),
        Action::Batch {
            label: "two".into(),
            actions: vec![Action::DeletePerson(a), Action::DeletePerson(c)],
        },
    ];
    for action in actions {
        round_trip(&model, action);
    }
    let mut deleted = model.clone();
    deleted.apply(Action::DeletePerson(a)).unwrap();
    round_trip(&deleted, Action::RestorePerson(a));
}

#[test]
fn delete_and_restore_person() {
    let (model, a, ..) = sample();
    let deleted = round_trip(&model, Action::DeletePerson(a));
    assert!(deleted.people[&a].deleted);
    assert_eq!(deleted.trashed_people().count(), 1);
    let restored = round_trip(&deleted, Action::RestorePerson(a));
    assert!(!restored.people[&a].deleted);
}

#[test]
fn merge_people_combines_fields_and_repoints_references() {
    let (model, a, b, c, _) = sample();
    let merged = round_trip(
        &model,
        Action::MergePeople {
            keep: a,
            duplicate: b,
        },
    );
    assert!(!merged.people.contains_key(&b));
    let ann = &merged.people[&a];
    assert_eq!(ann.name, "Ann");
    // Case-insensitive e-mail de-duplication.
    assert_eq!(
        ann.emails,
        vec!["ann@x.org".to_string(), "ann@home.org".to_string()]
    );
    assert_eq!(
        ann.interests,
        vec!["Running".to_string(), "Jazz".to_string()]
    );
    assert_eq!(ann.stage, Stage::Trust);
    assert!(
        ann.newsletter.is_yes(),
        "an explicit yes on the duplicate is kept"
    );
    assert_eq!(merged.people[&c].introduced_by, Some(a));
    for interaction in merged.interactions.values() {
        assert!(!interaction.people.contains(&b));
    }
    // The call with both Ann and Ann Smith now lists Ann once.
    let call = merged
        .interactions
        .values()
        .find(|i| i.kind == InteractionKind::Call)
        .unwrap();
    assert_eq!(call.people, vec![a]);
}

#[test]
fn merge_into_self_is_rejected_and_model_unchanged() {
    let (mut model, a, ..) = sample();
    let before = model.clone();
    assert_eq!(
        model
            .apply(Action::MergePeople {
                keep: a,
                duplicate: a
            })
            .unwrap_err(),
        ActionError::SelfMerge
    );
    assert_eq!(model, before);
}

#[test]
fn failing_step_rolls_back_the_whole_batch() {
    let (mut model, a, ..) = sample();
    let before = model.clone();
    let error = model
        .apply(Action::Batch {
            label: "bad".into(),
            actions: vec![
                Action::DeletePerson(a),
                Action::DeletePerson(PersonId::new_random()),
            ],
        })
        .unwrap_err();
    assert!(matches!(error, ActionError::NoPerson(_)));
    assert_eq!(model, before);
}

#[test]
fn purge_cleans_references() {
    let (model, _, b, c, _) = sample();
    let purged = round_trip(&model, Action::PurgePerson(b));
    assert_eq!(purged.people[&c].introduced_by, None);
    assert!(purged.interactions.values().all(|i| !i.people.contains(&b)));
    // The help-given interaction only had b: it is gone.
    assert!(
        purged
            .interactions
            .values()
            .all(|i| i.kind != InteractionKind::HelpGiven)
    );
}

#[test]
fn merge_interests_makes_alias_and_resolves() {
    let (model, ..) = sample();
    let merged = round_trip(
        &model,
        Action::MergeInterests {
            into: "run".into(),
            from: "jog".into(),
        },
    );
    assert_eq!(merged.interests.resolve("Jogging"), "run");
    // Merging a canonical entry with aliases carries its aliases over.
    let mut m = merged.clone();
    m.apply(Action::SetInterest {
        key: "trail".into(),
        entry: Some(Interest {
            key: "trail".into(),
            name: "Trail".into(),
            aliases: ["fell".to_string()].into(),
        }),
    })
    .unwrap();
    let m2 = round_trip(
        &m,
        Action::MergeInterests {
            into: "run".into(),
            from: "trail".into(),
        },
    );
    assert_eq!(m2.interests.resolve("fell"), "run");
    assert_eq!(m2.interests.resolve("trail"), "run");
    assert!(m2.interests.get("trail").is_none());
}

#[test]
fn rename_interest_keeps_old_and_new_spellings() {
    let (model, ..) = sample();
    let renamed = round_trip(
        &model,
        Action::RenameInterest {
            key: "run".into(),
            name: "Jogging".into(),
        },
    );
    assert_eq!(renamed.interests.get("run").unwrap().name, "Jogging");
    assert_eq!(renamed.interests.resolve("jogging"), "run");
    assert_eq!(renamed.interests.resolve("running"), "run");
    let mut m = model.clone();
    assert_eq!(
        m.apply(Action::RenameInterest {
            key: "run".into(),
            name: " !".into()
        })
        .unwrap_err(),
        ActionError::EmptyInterest
    );
}

#[test]
fn interaction_without_people_is_rejected() {
    let (mut model, ..) = sample();
    let error = model
        .apply(Action::AddInteraction(Interaction::new(
            day(2026, 1, 1),
            InteractionKind::Call,
            vec![],
        )))
        .unwrap_err();
    assert_eq!(error, ActionError::NoParticipants);
}

#[test]
fn document_undo_redo() {
    let (model, a, ..) = sample();
    let mut doc = Document::new(model.clone());
    doc.apply(Action::DeletePerson(a)).unwrap();
    let after = doc.model().clone();
    assert_eq!(doc.undo_label().as_deref(), Some("Restore person"));
    assert!(doc.undo().unwrap());
    assert_eq!(doc.model(), &model);
    assert!(!doc.undo().unwrap());
    assert!(doc.redo().unwrap());
    assert_eq!(doc.model(), &after);
    assert!(!doc.redo().unwrap());
    // A new action clears redo.
    doc.undo().unwrap();
    doc.apply(Action::AddPerson(Person::new("Z"))).unwrap();
    assert!(!doc.redo().unwrap());
}

/// One random step, resolved against the current model so ids are valid
/// (with a small chance of an invalid id, which must fail cleanly).
fn make_action(model: &Model, op: u8, x: usize, y: usize, n: u32) -> Action {
    let people: Vec<PersonId> = model.people.keys().copied().collect();
    let interactions: Vec<InteractionId> = model.interactions.keys().copied().collect();
    let orgs: Vec<OrgId> = model.orgs.keys().copied().collect();
    let pick_person = |i: usize| {
        people
            .get(i % people.len().max(1))
            .copied()
            .unwrap_or_default()
    };
    let date = day(2020 + (n % 6) as i32, 1 + n % 12, 1 + n % 28);
    let interests = [
        "Running",
        "run",
        "Jazz",
        "chess",
        "Boston Marathon",
        "sailing",
    ];
    match op % 16 {
        0 => {
            let mut p = Person::new(format!("P{n}"));
            p.interests = vec![interests[x % interests.len()].into()];
            p.introduced_by = people.get(y % people.len().max(1)).copied();
            Action::AddPerson(p)
        }
        1 => {
            let id = pick_person(x);
            match model.people.get(&id) {
                Some(p) => {
                    let mut p = p.clone();
                    p.notes.push_str(&n.to_string());
                    p.stage = Stage::ALL[y % 5];
                    Action::EditPerson(p)
                }
                None => Action::DeletePerson(id),
            }
        }
        2 => Action::DeletePerson(pick_person(x)),
        3 => Action::RestorePerson(pick_person(x)),
        4 => Action::PurgePerson(pick_person(x)),
        5 | 6 => {
            let mut who = vec![pick_person(x)];
            if y.is_multiple_of(2) {
                who.push(pick_person(y));
            }
            who.dedup();
            Action::AddInteraction(Interaction::new(date, InteractionKind::ALL[y % 10], who))
        }
        7 => match interactions
            .get(x % interactions.len().max(1))
            .and_then(|i| model.interactions.get(i))
        {
            Some(i) => {
                let mut i = i.clone();
                i.date = date;
                Action::EditInteraction(i)
            }
            None => Action::DeleteInteraction(InteractionId::new_random()),
        },
        8 => Action::DeleteInteraction(
            interactions
                .get(x % interactions.len().max(1))
                .copied()
                .unwrap_or_default(),
        ),
        9 => Action::AddOrganization(Organization::new(format!("O{n}"), OrgKind::ALL[x % 5])),
        10 => {
            Action::DeleteOrganization(orgs.get(x % orgs.len().max(1)).copied().unwrap_or_default())
        }
        11 => Action::MergePeople {
            keep: pick_person(x),
            duplicate: pick_person(y),
        },
        12 => Action::MergeInterests {
            into: normalize_interest(interests[x % interests.len()]),
            from: normalize_interest(interests[y % interests.len()]),
        },
        13 => Action::RenameInterest {
            key: normalize_interest(interests[x % interests.len()]),
            name: format!("Name{n}"),
        },
        14 => Action::SetMe(Me {
            name: format!("Me{n}"),
            ..Default::default()
        }),
        _ => {
            let orgs_person = pick_person(x);
            match (model.people.get(&orgs_person), orgs.first()) {
                (Some(p), Some(org)) => {
                    let mut p = p.clone();
                    p.memberships.push(Membership {
                        org: *org,
                        role: "r".into(),
                    });
                    Action::EditPerson(p)
                }
                _ => Action::AddPerson(Person::new("solo")),
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn apply_then_undo_everything_restores_exactly(
        steps in proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>(), any::<u32>()), 1..40)
    ) {
        let (start, ..) = sample();
        let mut doc = Document::new(start.clone());
        let mut states = vec![start.clone()];
        for (op, x, y, n) in steps {
            let action = make_action(doc.model(), op, x, y, n);
            let before = doc.model().clone();
            match doc.apply(action) {
                Ok(()) => states.push(doc.model().clone()),
                Err(_) => prop_assert_eq!(doc.model(), &before),
            }
        }
        let end = doc.model().clone();
        // Undo walks back through every intermediate state.
        for expected in states.iter().rev().skip(1) {
            prop_assert!(doc.undo().unwrap());
            prop_assert_eq!(doc.model(), expected);
        }
        prop_assert!(!doc.undo().unwrap());
        prop_assert_eq!(doc.model(), &start);
        // Redo walks forward again.
        while doc.redo().unwrap() {}
        prop_assert_eq!(doc.model(), &end);
    }
}

/// The merge as it was before `PersonMerger` (every membership test a scan
/// of the growing list), kept to check that the new one gives the same person.
fn merge_by_scanning(keep: &Person, duplicate: &Person) -> Person {
    fn union(into: &mut Vec<String>, from: &[String]) {
        for item in from {
            if !into.iter().any(|x| x.eq_ignore_ascii_case(item)) {
                into.push(item.clone());
            }
        }
    }
    fn union_exact<T: Clone + PartialEq>(into: &mut Vec<T>, from: &[T]) {
        for item in from {
            if !into.contains(item) {
                into.push(item.clone());
            }
        }
    }
    fn fill(into: &mut String, from: &str) {
        if into.trim().is_empty() {
            *into = from.to_string();
        }
    }
    let mut merged = keep.clone();
    fill(&mut merged.name, &duplicate.name);
    {
        let (into, from) = (&mut merged.name_parts, &duplicate.name_parts);
        fill(&mut into.prefix, &from.prefix);
        fill(&mut into.given, &from.given);
        fill(&mut into.additional, &from.additional);
        fill(&mut into.family, &from.family);
        fill(&mut into.suffix, &from.suffix);
        fill(&mut into.phonetic_given, &from.phonetic_given);
        fill(&mut into.phonetic_additional, &from.phonetic_additional);
        fill(&mut into.phonetic_family, &from.phonetic_family);
    }
    union(&mut merged.nicknames, &duplicate.nicknames);
    if merged.organization.trim().is_empty() {
        merged.organization = duplicate.organization.clone();
        merged.org_units = duplicate.org_units.clone();
    }
    fill(&mut merged.role, &duplicate.role);
    if duplicate.role != merged.role && !duplicate.role.is_empty() {
        union(
            &mut merged.other_titles,
            std::slice::from_ref(&duplicate.role),
        );
    }
    union(&mut merged.other_titles, &duplicate.other_titles);
    union(&mut merged.functions, &duplicate.functions);
    for (into, from) in [
        (&mut merged.emails, &duplicate.emails),
        (&mut merged.phones, &duplicate.phones),
        (&mut merged.links, &duplicate.links),
    ] {
        let had_preferred = into.iter().any(|c| c.preferred);
        for item in from {
            let mut item = item.clone();
            item.preferred &= !had_preferred;
            crate::model::push_contact(into, item);
        }
    }
    union_exact(&mut merged.addresses, &duplicate.addresses);
    // One birthday: the kept record's wins.
    let has_birthday = merged.birthday().is_some();
    let dates: Vec<_> = duplicate
        .dates
        .iter()
        .filter(|d| !(has_birthday && d.kind == crate::model::DateKind::Birthday))
        .cloned()
        .collect();
    union_exact(&mut merged.dates, &dates);
    for relation in &duplicate.relations {
        if relation.person == Some(keep.id) {
            continue;
        }
        if !merged.relations.contains(relation) {
            merged.relations.push(relation.clone());
        }
    }
    union_exact(&mut merged.source_ids, &duplicate.source_ids);
    union(&mut merged.interests, &duplicate.interests);
    union(&mut merged.needs, &duplicate.needs);
    union(&mut merged.wants, &duplicate.wants);
    union(&mut merged.tags, &duplicate.tags);
    fill(&mut merged.met.place, &duplicate.met.place);
    merged.met.date = match (keep.met.date, duplicate.met.date) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if merged.introduced_by.is_none() || merged.introduced_by == Some(duplicate.id) {
        merged.introduced_by = duplicate.introduced_by.filter(|by| *by != keep.id);
    }
    merged.stage = keep.stage.max(duplicate.stage);
    for change in &duplicate.stage_history {
        if !merged.stage_history.contains(change) {
            merged.stage_history.push(change.clone());
        }
    }
    merged.stage_history.sort_by_key(|c| c.date);
    merged.newsletter = keep.newsletter.combine(&duplicate.newsletter);
    for membership in &duplicate.memberships {
        if !merged.memberships.iter().any(|m| m.org == membership.org) {
            merged.memberships.push(membership.clone());
        }
    }
    if !duplicate.notes.trim().is_empty() && !merged.notes.contains(duplicate.notes.trim()) {
        if !merged.notes.is_empty() {
            merged.notes.push_str("\n\n");
        }
        merged.notes.push_str(duplicate.notes.trim());
    }
    for pair in &duplicate.extra {
        if !merged.extra.contains(pair) {
            merged.extra.push(pair.clone());
        }
    }
    merged
}

/// A person drawn from small vocabularies, so that duplicates overlap:
/// the same values in other cases, empty and blank fields, preferred
/// flags, relations to the kept person, notes that contain each other.
fn overlapping_person(rng: &mut crate::synth::Rng, ids: &[PersonId], orgs: &[OrgId]) -> Person {
    use crate::model::{
        Address, Contact, DateKind, ImportantDate, Label, PartialDate, Relation, RelationKind,
        StageChange,
    };
    const WORDS: [&str; 7] = ["", "  ", "ann", "Ann", "ANN", "bo", "Bo Li"];
    const NOTES: [&str; 7] = [
        "",
        "  ",
        "met at the fair",
        "the fair",
        " met at the fair, and again ",
        "fair\n\nmet",
        "Jazz",
    ];
    fn word(rng: &mut crate::synth::Rng) -> String {
        WORDS[rng.below(WORDS.len())].to_string()
    }
    fn words(rng: &mut crate::synth::Rng) -> Vec<String> {
        (0..rng.below(4)).map(|_| word(rng)).collect()
    }
    fn contacts(rng: &mut crate::synth::Rng) -> Vec<Contact> {
        (0..rng.below(4))
            .map(|_| Contact {
                value: ["a@x.org", "A@X.org", "b@x.org", " ", "+1 555"][rng.below(5)].into(),
                label: [Label::Unlabelled, Label::Work, Label::Home][rng.below(3)].clone(),
                preferred: rng.below(3) == 0,
            })
            .collect()
    }
    let mut person = Person::new(word(rng));
    person.id = ids[rng.below(ids.len())];
    person.name_parts.given = word(rng);
    person.name_parts.family = word(rng);
    person.name_parts.phonetic_family = word(rng);
    person.nicknames = words(rng);
    person.organization = ["", " ", "Acme", "acme"][rng.below(4)].into();
    person.org_units = words(rng);
    person.role = word(rng);
    person.other_titles = words(rng);
    person.functions = words(rng);
    person.emails = contacts(rng);
    person.phones = contacts(rng);
    person.links = contacts(rng);
    person.addresses = (0..rng.below(3))
        .map(|_| Address {
            street: ["1 Main St", "2 Side St"][rng.below(2)].into(),
            label: [Label::Home, Label::Work][rng.below(2)].clone(),
            ..Default::default()
        })
        .collect();
    person.dates = (0..rng.below(3))
        .map(|_| ImportantDate {
            kind: [DateKind::Birthday, DateKind::Anniversary][rng.below(2)].clone(),
            date: PartialDate::new(None, Some(1 + rng.below(2) as u32), Some(1))
                .unwrap_or_default(),
        })
        .collect();
    person.relations = (0..rng.below(3))
        .map(|_| Relation {
            kind: [RelationKind::Spouse, RelationKind::Friend][rng.below(2)].clone(),
            person: [None, Some(ids[rng.below(ids.len())])][rng.below(2)],
            name: word(rng),
        })
        .collect();
    person.source_ids = (0..rng.below(3))
        .map(|_| ["uid-1", "UID-1", "uid-2"][rng.below(3)].to_string())
        .collect();
    person.met.place = word(rng);
    person.met.date = [None, Some(day(2020, 1, 1)), Some(day(2021, 1, 1))][rng.below(3)];
    person.introduced_by = [None, Some(ids[rng.below(ids.len())])][rng.below(2)];
    person.interests = words(rng);
    person.needs = words(rng);
    person.wants = words(rng);
    person.tags = words(rng);
    person.stage = Stage::ALL[rng.below(5)];
    person.stage_history = (0..rng.below(4))
        .map(|_| StageChange {
            date: [day(2024, 1, 1), day(2023, 1, 1), day(2025, 1, 1)][rng.below(3)],
            stage: Stage::ALL[rng.below(5)],
        })
        .collect();
    person.newsletter = [
        Consent::NotAsked,
        Consent::Yes {
            date: day(2024, 1, 1),
        },
        Consent::No { date: None },
    ][rng.below(3)]
    .clone();
    person.memberships = (0..rng.below(3))
        .map(|_| Membership {
            org: orgs[rng.below(orgs.len())],
            role: word(rng),
        })
        .collect();
    person.notes = NOTES[rng.below(NOTES.len())].to_string();
    person.extra = (0..rng.below(3))
        .map(|_| ("X-A".to_string(), word(rng)))
        .collect();
    person
}

fn fold_by_scanning(keep: &Person, duplicates: &[Person]) -> Person {
    duplicates
        .iter()
        .fold(keep.clone(), |merged, dup| merge_by_scanning(&merged, dup))
}

fn fold_with_merger(keep: &Person, duplicates: &[Person]) -> Person {
    let mut merger = PersonMerger::new(keep.clone());
    for duplicate in duplicates {
        merger.absorb(duplicate);
    }
    merger.finish()
}

#[test]
fn merging_three_duplicates_gives_the_same_person_as_before() {
    let mut rng = crate::synth::Rng::new(3);
    let ids: Vec<PersonId> = (0..3).map(|_| PersonId(rng.uuid())).collect();
    let orgs: Vec<OrgId> = (0..2).map(|_| OrgId(rng.uuid())).collect();
    let mut keep = overlapping_person(&mut rng, &ids, &orgs);
    keep.id = ids[0];
    keep.notes = "met at the fair".into();
    keep.emails = vec![Contact::new("a@x.org")];
    let mut duplicates: Vec<Person> = (0..3)
        .map(|_| overlapping_person(&mut rng, &ids, &orgs))
        .collect();
    duplicates[0].notes = " the fair ".into();
    duplicates[1].notes = "met at the fair".into();
    duplicates[1].emails = vec![Contact {
        value: "A@X.ORG".into(),
        label: crate::model::Label::Work,
        preferred: true,
    }];
    duplicates[2].notes = "Jazz".into();
    let before = fold_by_scanning(&keep, &duplicates);
    assert_eq!(fold_with_merger(&keep, &duplicates), before);
    let one_at_a_time = duplicates.iter().fold(keep.clone(), |merged, dup| {
        merge_person_fields(&merged, dup)
    });
    assert_eq!(one_at_a_time, before);
    assert_eq!(before.notes, "met at the fair\n\nJazz");
    assert_eq!(before.emails[0].label, crate::model::Label::Work);
}

#[test]
fn merging_many_long_notes_uses_the_automaton_and_gives_the_same_notes() {
    let mut keep = Person::new("Ann");
    keep.notes = "x".repeat(9000);
    let duplicates: Vec<Person> = (0..200)
        .map(|i| {
            let mut dup = Person::new("Ann");
            // Some are new, some occur already (a repeat, a piece of an
            // earlier note, one that spans the separator).
            dup.notes = match i % 4 {
                0 => format!("note {i} about sailing"),
                1 => format!("note {} about", i - 1),
                2 => format!("sailing\n\nnote {}", i - 2),
                _ => format!("{i} about sailing\n\nnote"),
            };
            dup
        })
        .collect();
    let mut merger = PersonMerger::new(keep.clone());
    for duplicate in &duplicates {
        merger.absorb(duplicate);
    }
    assert!(
        merger
            .seen
            .as_ref()
            .is_some_and(|s| s.notes.automaton.is_some())
    );
    assert_eq!(merger.finish(), fold_by_scanning(&keep, &duplicates));
}

#[test]
fn stage_history_of_many_merges_is_sorted_as_before() {
    use crate::model::StageChange;
    let mut keep = Person::new("Ann");
    // Unsorted, with equal dates: the order among equal dates must match.
    keep.stage_history = vec![
        StageChange {
            date: day(2025, 1, 1),
            stage: Stage::Like,
        },
        StageChange {
            date: day(2024, 1, 1),
            stage: Stage::Know,
        },
    ];
    let duplicates: Vec<Person> = (0..5)
        .map(|i| {
            let mut dup = Person::new("Ann");
            dup.stage_history = vec![StageChange {
                date: day(2024 + i % 2, 1, 1),
                stage: Stage::ALL[i as usize],
            }];
            dup
        })
        .collect();
    assert_eq!(
        fold_with_merger(&keep, &duplicates),
        fold_by_scanning(&keep, &duplicates)
    );
    // No merge, no sort: the record is given back as it was.
    assert_eq!(PersonMerger::new(keep.clone()).finish(), keep);
}

proptest! {
    #[test]
    fn merger_gives_what_merging_one_at_a_time_gave(seed in any::<u64>(), count in 0usize..6) {
        let mut rng = crate::synth::Rng::new(seed);
        let ids: Vec<PersonId> = (0..3).map(|_| PersonId(rng.uuid())).collect();
        let orgs: Vec<OrgId> = (0..2).map(|_| OrgId(rng.uuid())).collect();
        let mut keep = overlapping_person(&mut rng, &ids, &orgs);
        keep.id = ids[0];
        let duplicates: Vec<Person> = (0..count)
            .map(|_| overlapping_person(&mut rng, &ids, &orgs))
            .collect();
        let before = fold_by_scanning(&keep, &duplicates);
        prop_assert_eq!(&fold_with_merger(&keep, &duplicates), &before);
        if let [duplicate] = duplicates.as_slice() {
            prop_assert_eq!(&merge_person_fields(&keep, duplicate), &before);
        }
    }

    #[test]
    fn substring_automaton_agrees_with_str_contains(
        text in "[ab\n]{0,60}",
        more in "[ab\n]{0,20}",
        patterns in proptest::collection::vec("[ab\n]{1,6}", 1..12),
    ) {
        let mut automaton = Substrings::default();
        automaton.append(text.as_bytes());
        for pattern in &patterns {
            prop_assert_eq!(automaton.contains(pattern.as_bytes()), text.contains(pattern.as_str()));
        }
        automaton.append(more.as_bytes());
        let whole = format!("{text}{more}");
        for pattern in &patterns {
            prop_assert_eq!(automaton.contains(pattern.as_bytes()), whole.contains(pattern.as_str()));
        }
    }
}

/// Adds values from larger vocabularies, so that merged lists grow past
/// what `Positions` scans and are indexed.
fn widen(person: &mut Person, rng: &mut crate::synth::Rng, orgs: &[OrgId]) {
    use crate::model::{Address, Contact, Label, StageChange};
    let cased = |rng: &mut crate::synth::Rng, text: String| {
        if rng.below(3) == 0 {
            text.to_uppercase()
        } else {
            text
        }
    };
    for _ in 0..4 {
        let n = rng.below(40);
        person.nicknames.push(cased(rng, format!("nick {n}")));
        person.tags.push(cased(rng, format!("tag {n}")));
        person.emails.push(Contact {
            value: cased(rng, format!("e{n}@x.org")),
            label: [Label::Unlabelled, Label::Work][rng.below(2)].clone(),
            preferred: rng.below(5) == 0,
        });
        person.phones.push(Contact::new(format!("+1 555 {n:04}")));
        person.addresses.push(Address {
            street: format!("{n} Main St"),
            ..Default::default()
        });
        person.extra.push((format!("X-{n}"), "v".into()));
        person.source_ids.push(format!("uid-{n}"));
        person.stage_history.push(StageChange {
            date: day(2020 + (n % 5) as i32, 1, 1),
            stage: Stage::ALL[n % 5],
        });
    }
    for _ in 0..2 {
        person.memberships.push(Membership {
            org: orgs[rng.below(orgs.len())],
            role: format!("role {}", rng.below(3)),
        });
    }
}

proptest! {
    #[test]
    fn merger_of_long_lists_gives_what_merging_one_at_a_time_gave(
        seed in any::<u64>(),
        count in 1usize..40,
    ) {
        let mut rng = crate::synth::Rng::new(seed);
        let ids: Vec<PersonId> = (0..3).map(|_| PersonId(rng.uuid())).collect();
        let orgs: Vec<OrgId> = (0..30).map(|_| OrgId(rng.uuid())).collect();
        let mut keep = overlapping_person(&mut rng, &ids, &orgs);
        keep.id = ids[0];
        widen(&mut keep, &mut rng, &orgs);
        let duplicates: Vec<Person> = (0..count)
            .map(|_| {
                let mut dup = overlapping_person(&mut rng, &ids, &orgs);
                widen(&mut dup, &mut rng, &orgs);
                dup
            })
            .collect();
        let before = fold_by_scanning(&keep, &duplicates);
        prop_assert_eq!(&fold_with_merger(&keep, &duplicates), &before);
        // Long enough to be indexed rather than scanned.
        prop_assert!(count < 10 || before.phones.len() > Positions::SCAN);
    }
}

#[test]
fn a_merge_keeps_one_birthday() {
    use crate::model::{DateKind, ImportantDate, PartialDate};
    let birthday = |y, m, d| ImportantDate {
        kind: DateKind::Birthday,
        date: PartialDate::new(y, Some(m), Some(d)).unwrap(),
    };
    let mut keep = Person::new("Dana");
    keep.dates = vec![birthday(Some(1962), 1, 4)];
    let mut other = Person::new("Dana");
    other.dates = vec![
        birthday(Some(1980), 12, 6),
        ImportantDate {
            kind: DateKind::Anniversary,
            date: PartialDate::new(Some(2008), Some(12), Some(14)).unwrap(),
        },
    ];
    let merged = merge_person_fields(&keep, &other);
    assert_eq!(merged.birthday(), keep.birthday());
    assert_eq!(merged.dates.len(), 2);
    // With none, the duplicate's birthday is taken.
    let merged = merge_person_fields(&Person::new("Dana"), &other);
    assert_eq!(merged.birthday(), other.birthday());
}
