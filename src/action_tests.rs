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
