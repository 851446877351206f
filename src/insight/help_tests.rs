#![allow(clippy::unwrap_used)]

use super::*;
use crate::action::Action;
use crate::document::Document;
use crate::model::{
    Interaction, InteractionKind, IntroAnswer, IntroOffer, NeedMet, NeedNoted, Person, PersonId,
    Stage,
};
use proptest::prelude::*;
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn today() -> NaiveDate {
    day(2026, 11, 22)
}

fn person(n: u128, name: &str) -> Person {
    let mut p = Person::new(name);
    p.id = PersonId(Uuid::from_u128(n));
    p.stage = Stage::Know;
    p
}

fn with_role(n: u128, name: &str, role: &str, org: &str) -> Person {
    let mut p = person(n, name);
    p.role = role.into();
    p.organization = org.into();
    p
}

fn needing(n: u128, name: &str, needs: &[&str]) -> Person {
    let mut p = person(n, name);
    p.needs = needs.iter().map(|s| s.to_string()).collect();
    p
}

fn model_of(people: Vec<Person>) -> Model {
    let mut model = Model::default();
    for p in people {
        model.people.insert(p.id, p);
    }
    model
}

fn helpers(model: &Model, id: PersonId) -> Vec<HelpMatch> {
    Insight::build(model).helpers_for(model, id, today(), 10)
}

fn helper_ids(matches: &[HelpMatch]) -> Vec<Helper> {
    matches.iter().map(|m| m.helper).collect()
}

fn pid(n: u128) -> PersonId {
    PersonId(Uuid::from_u128(n))
}

#[test]
fn bundled_synonyms_parse_and_are_plenty() {
    let groups = Synonyms::parse(BUNDLED_SYNONYMS).unwrap();
    assert!(groups.len() >= 40, "{} groups", groups.len());
    let synonyms = Synonyms::bundled();
    assert!(synonyms.same("Bookkeeper", "accountant"));
    assert!(synonyms.same("bookkeeping", "CPA"));
    assert!(synonyms.same("lawyer", "Attorneys"));
    assert!(synonyms.same("solicitor", "attorney"));
    assert!(synonyms.same("developer", "engineer"));
    assert!(synonyms.same("programmer", "Developers"));
    assert!(synonyms.same("angel investor", "VC"));
    assert!(synonyms.same("real estate agent", "realtor"));
    assert!(!synonyms.same("lawyer", "accountant"));
    assert_eq!(Synonyms::default(), synonyms);
}

#[test]
fn dana_needs_a_bookkeeper_and_finds_raj_and_jonas() {
    let dana = needing(1, "Dana Kim", &["A bookkeeper"]);
    let raj = with_role(2, "Raj Patel", "CPA", "Patel & Co");
    let jonas = with_role(3, "Jonas Eriksson", "Bookkeeper", "Eriksson & Co");
    let chef = with_role(4, "Lea Chef", "Chef", "Bistro");
    let model = model_of(vec![dana.clone(), raj.clone(), jonas.clone(), chef]);
    let found = helpers(&model, dana.id);
    let ids = helper_ids(&found);
    assert_eq!(ids.len(), 2, "{found:?}");
    assert!(ids.contains(&Helper::Person(raj.id)));
    assert!(ids.contains(&Helper::Person(jonas.id)));
    let raj_match = found
        .iter()
        .find(|m| m.helper == Helper::Person(raj.id))
        .unwrap();
    assert_eq!(raj_match.why, "CPA at Patel & Co");
    assert_eq!(raj_match.need, "A bookkeeper");
    assert_eq!(raj_match.needy, dana.id);
    let jonas_match = found
        .iter()
        .find(|m| m.helper == Helper::Person(jonas.id))
        .unwrap();
    assert_eq!(jonas_match.why, "Bookkeeper at Eriksson & Co");
    // The other direction.
    let insight = Insight::build(&model);
    let whom = insight.can_help_whom(&model, raj.id, today(), 5);
    assert_eq!(whom.len(), 1);
    assert_eq!(whom[0].needy, dana.id);
    assert_eq!(whom[0].need, "A bookkeeper");
}

#[test]
fn lawyer_is_attorney_and_solicitor() {
    let omar = needing(1, "Omar", &["Lawyer for a lease"]);
    let ann = with_role(2, "Ann", "Attorney", "");
    let sue = with_role(3, "Sue", "Solicitor", "Hale LLP");
    let model = model_of(vec![omar.clone(), ann.clone(), sue.clone()]);
    let found = helpers(&model, omar.id);
    let ids = helper_ids(&found);
    assert!(ids.contains(&Helper::Person(ann.id)), "{found:?}");
    assert!(ids.contains(&Helper::Person(sue.id)));
    let ann_match = found
        .iter()
        .find(|m| m.helper == Helper::Person(ann.id))
        .unwrap();
    assert_eq!(ann_match.why, "Attorney");
}

#[test]
fn stop_words_never_match() {
    let omar = needing(1, "Omar", &["A new one for the team"]);
    let mut fan = person(2, "Fan");
    fan.interests = vec!["The Beatles".into(), "New York".into()];
    fan.can_help_with = vec!["A team offsite".into()];
    let model = model_of(vec![omar.clone(), fan.clone()]);
    // Only "team" carries meaning, and it matches the offsite offer.
    let found = helpers(&model, omar.id);
    assert_eq!(helper_ids(&found), vec![Helper::Person(fan.id)]);
    assert_eq!(found[0].why, "can help with a team offsite");
    // A need of stop words alone matches nobody.
    let only = needing(3, "Only", &["Someone for the new one"]);
    let model = model_of(vec![only.clone(), fan]);
    assert!(helpers(&model, only.id).is_empty());
    assert_eq!(
        concepts_of(
            "A new bookkeeper for the",
            &Synonyms::bundled(),
            &Default::default()
        ),
        vec!["~bookkeeper".to_string()]
    );
}

#[test]
fn seed_investors_match_investing_and_angels() {
    let founder = needing(1, "Founder", &["Seed investors"]);
    let mut ivy = person(2, "Ivy");
    ivy.can_help_with = vec!["Investing".into()];
    let angel = with_role(3, "Ann", "Angel investor", "");
    let model = model_of(vec![founder.clone(), ivy.clone(), angel.clone()]);
    let found = helpers(&model, founder.id);
    let ids = helper_ids(&found);
    assert!(ids.contains(&Helper::Person(ivy.id)), "{found:?}");
    assert!(ids.contains(&Helper::Person(angel.id)));
}

#[test]
fn user_synonyms_extend_the_defaults() {
    let groups =
        Synonyms::parse(r#"[["cpa", "number cruncher"], ["barista", "coffee maker"]]"#).unwrap();
    let synonyms = Synonyms::with_user(groups.clone());
    assert!(synonyms.same("number cruncher", "bookkeeper"));
    assert!(synonyms.same("barista", "coffee maker"));
    assert!(synonyms.same("lawyer", "attorney"));
    assert!(!Synonyms::bundled().same("number cruncher", "bookkeeper"));
    assert_eq!(synonyms.user_groups(), &groups);
    assert_ne!(synonyms, Synonyms::bundled());
    let sam = needing(1, "Sam", &["A number cruncher"]);
    let raj = with_role(2, "Raj", "Accountant", "");
    let mut model = model_of(vec![sam.clone(), raj.clone()]);
    assert!(helpers(&model, sam.id).is_empty());
    model.synonyms = synonyms;
    assert_eq!(
        helper_ids(&helpers(&model, sam.id)),
        vec![Helper::Person(raj.id)]
    );
}

#[test]
fn interest_aliases_count_as_the_same_word() {
    let mut model = model_of(vec![needing(1, "Ada", &["Jogging partner"]), {
        let mut p = person(2, "Ben");
        p.interests = vec!["Running".into()];
        p
    }]);
    let mut running = crate::model::Interest::named("Running");
    running.aliases.insert(normalize_interest("jogging"));
    model.interests = vec![running].into();
    assert_eq!(
        helper_ids(&helpers(&model, pid(1))),
        vec![Helper::Person(pid(2))]
    );
}

#[test]
fn never_yourself_the_deleted_or_an_introduced_pair() {
    let mut dana = needing(1, "Dana", &["A bookkeeper"]);
    dana.can_help_with = vec!["Bookkeeping".into()];
    let mut gone = with_role(2, "Gone", "Accountant", "");
    gone.deleted = true;
    let raj = with_role(3, "Raj", "CPA", "");
    let kenji = with_role(4, "Kenji", "Accountant", "");
    let eve = with_role(5, "Eve", "Bookkeeper", "");
    let mut model = model_of(vec![
        dana.clone(),
        gone,
        raj.clone(),
        kenji.clone(),
        eve.clone(),
    ]);
    let intro = Interaction::new(
        day(2026, 10, 1),
        InteractionKind::IntroductionMade,
        vec![dana.id, raj.id],
    );
    model.interactions.insert(intro.id, intro);
    let mut offered = Interaction::new(
        day(2026, 10, 2),
        InteractionKind::IntroductionOffered,
        vec![kenji.id, dana.id],
    );
    offered.intro = Some(IntroOffer {
        reason: "bookkeeping".into(),
        ..Default::default()
    });
    model.interactions.insert(offered.id, offered.clone());
    // Eve declined more than a year ago: she may be suggested again.
    let mut declined = Interaction::new(
        day(2025, 6, 1),
        InteractionKind::IntroductionOffered,
        vec![dana.id, eve.id],
    );
    declined.intro = Some(IntroOffer {
        reason: "bookkeeping".into(),
        first: IntroAnswer::Accepted {
            date: day(2025, 6, 2),
        },
        second: IntroAnswer::Declined {
            date: day(2025, 6, 3),
        },
        made: None,
    });
    model.interactions.insert(declined.id, declined);
    let found = helpers(&model, dana.id);
    assert_eq!(
        helper_ids(&found),
        vec![Helper::Person(eve.id)],
        "{found:?}"
    );
    // Kenji declined last month: not suggested.
    let mut recent = offered;
    recent.intro = Some(IntroOffer {
        first: IntroAnswer::Declined {
            date: day(2026, 10, 3),
        },
        ..Default::default()
    });
    model.interactions.insert(recent.id, recent);
    assert_eq!(
        helper_ids(&helpers(&model, dana.id)),
        vec![Helper::Person(eve.id)]
    );
    let insight = Insight::build(&model);
    assert!(insight.can_help_whom(&model, raj.id, today(), 5).is_empty());
    assert_eq!(insight.can_help_whom(&model, eve.id, today(), 5).len(), 1);
}

#[test]
fn ranked_by_trust_on_both_sides_and_fresh_needs() {
    let mut dana = needing(1, "Dana", &["A bookkeeper"]);
    dana.stage = Stage::Trust;
    let mut close = with_role(2, "Close", "Accountant", "");
    close.stage = Stage::Trust;
    let mut far = with_role(3, "Far", "Accountant", "");
    far.stage = Stage::Acquaintance;
    let mut other = needing(4, "Other", &["An accountant"]);
    other.stage = Stage::Acquaintance;
    let model = model_of(vec![
        dana.clone(),
        close.clone(),
        far.clone(),
        other.clone(),
    ]);
    let found = helpers(&model, dana.id);
    assert_eq!(
        helper_ids(&found),
        vec![Helper::Person(close.id), Helper::Person(far.id)]
    );
    assert!(found[0].score > found[1].score);
    // Across the network, the need of someone you trust comes first.
    let insight = Insight::build(&model);
    let ways = insight.ways_to_give(&model, today(), 5);
    assert_eq!(ways.len(), 2);
    assert_eq!(ways[0].needy, dana.id);
    assert_eq!(ways[1].needy, other.id);
    // A freshly noted need outranks an old one.
    let mut fresh = needing(5, "Fresh", &["A bookkeeper"]);
    fresh.needs_noted = vec![NeedNoted {
        need: "A bookkeeper".into(),
        date: today(),
    }];
    let mut old = needing(6, "Old", &["A bookkeeper"]);
    old.needs_noted = vec![NeedNoted {
        need: "A bookkeeper".into(),
        date: day(2025, 1, 1),
    }];
    let model = model_of(vec![old.clone(), fresh.clone(), close]);
    let ways = Insight::build(&model).ways_to_give(&model, today(), 5);
    assert_eq!(
        ways.iter().map(|m| m.needy).collect::<Vec<_>>(),
        vec![fresh.id, old.id]
    );
}

#[test]
fn wants_rank_below_needs() {
    let mut dana = needing(1, "Dana", &["A bookkeeper"]);
    dana.wants = vec!["An accountant friend".into()];
    let raj = with_role(2, "Raj", "Accountant", "");
    let model = model_of(vec![dana.clone(), raj]);
    let found = helpers(&model, dana.id);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].need, "A bookkeeper");
    assert_eq!(found[1].need, "An accountant friend");
}

#[test]
fn helped_before_counts_and_says_so() {
    let dana = needing(1, "Dana", &["A bookkeeper"]);
    let mut omar = person(2, "Omar Haddad");
    omar.needs_met = vec![NeedMet {
        need: "Bookkeeping help".into(),
        date: day(2026, 1, 1),
        interaction: None,
        helper: Some(pid(3)),
    }];
    let lina = person(3, "Lina");
    let model = model_of(vec![dana.clone(), omar, lina.clone()]);
    let found = helpers(&model, dana.id);
    assert_eq!(helper_ids(&found), vec![Helper::Person(lina.id)]);
    assert_eq!(found[0].why, "helped Omar with this before");
}

#[test]
fn your_offers_come_first() {
    let dana = needing(1, "Dana", &["A bookkeeper"]);
    let omar = needing(2, "Omar", &["Web developer"]);
    let raj = with_role(3, "Raj", "Accountant", "");
    let mut model = model_of(vec![dana.clone(), omar.clone(), raj.clone()]);
    model.me.offers = vec!["Software engineering mentoring".into()];
    let insight = Insight::build(&model);
    let ways = insight.ways_to_give(&model, today(), 5);
    assert_eq!(ways.len(), 2, "{ways:?}");
    assert_eq!((ways[0].needy, ways[0].helper), (omar.id, Helper::Me));
    assert_eq!(ways[0].why, "you offer software engineering mentoring");
    assert_eq!(
        (ways[1].needy, ways[1].helper),
        (dana.id, Helper::Person(raj.id))
    );
    // Limits hold, one per needy person.
    assert_eq!(insight.ways_to_give(&model, today(), 1).len(), 1);
    assert!(insight.ways_to_give(&model, today(), 0).is_empty());
    let omar_helpers = insight.helpers_for(&model, omar.id, today(), 5);
    assert_eq!(helper_ids(&omar_helpers), vec![Helper::Me]);
}

#[test]
fn your_offers_leave_room_for_introductions() {
    let mut people: Vec<Person> = (1..=4)
        .map(|n| needing(n, &format!("Dev {n}"), &["A web developer"]))
        .collect();
    people.push(needing(5, "Dana", &["A bookkeeper"]));
    people.push(with_role(6, "Raj", "Accountant", ""));
    let mut model = model_of(people);
    model.me.offers = vec!["Web development".into()];
    let insight = Insight::build(&model);
    let ways = insight.ways_to_give(&model, today(), 2);
    assert_eq!(
        ways.iter().map(|m| m.helper).collect::<Vec<_>>(),
        vec![Helper::Me, Helper::Person(pid(6))]
    );
    let ways = insight.ways_to_give(&model, today(), 10);
    assert_eq!(ways.len(), 5);
    assert_eq!(ways.iter().filter(|m| m.helper == Helper::Me).count(), 4);
    assert_eq!(ways[4].helper, Helper::Person(pid(6)));
}

/// A small random network with needs and offers drawn from a few words.
fn random_model(seed: u64, people: usize) -> Model {
    let mut rng = crate::synth::Rng::new(seed);
    let mut model = Model::default();
    for n in 0..people {
        let mut p = person(n as u128 + 1, &format!("P{n}"));
        p.stage = Stage::ALL[rng.below(Stage::ALL.len())];
        p.role = ROLES[rng.below(ROLES.len())].into();
        p.organization = ["", "Patel & Co", "Hale LLP"][rng.below(3)].into();
        for _ in 0..rng.below(3) {
            p.needs.push(NEEDS[rng.below(NEEDS.len())].into());
        }
        for _ in 0..rng.below(2) {
            p.wants.push(NEEDS[rng.below(NEEDS.len())].into());
        }
        for _ in 0..rng.below(2) {
            p.can_help_with.push(NEEDS[rng.below(NEEDS.len())].into());
        }
        for _ in 0..rng.below(2) {
            p.interests
                .push(["running", "jogging", "design"][rng.below(3)].into());
        }
        if rng.below(3) == 0 {
            p.tags.push("lawyer".into());
        }
        if rng.below(4) == 0 && !p.needs.is_empty() {
            p.needs_noted.push(NeedNoted {
                need: p.needs[0].clone(),
                date: day(2026, 1 + rng.below(11) as u32, 1),
            });
        }
        model.people.insert(p.id, p);
    }
    model
}

const ROLES: &[&str] = &["CPA", "Attorney", "Engineer", "Chef", "Angel investor", ""];
const NEEDS: &[&str] = &[
    "A bookkeeper",
    "Seed investors",
    "A lawyer",
    "Developers to hire",
    "Running partner",
    "A new logo",
];

fn sorted(mut list: Vec<HelpMatch>) -> Vec<HelpMatch> {
    list.sort_by(|a, b| {
        (a.needy, &a.need, a.helper, &a.why).cmp(&(b.needy, &b.need, b.helper, &b.why))
    });
    list
}

fn same_matches(a: Vec<HelpMatch>, b: Vec<HelpMatch>) -> Result<(), TestCaseError> {
    let (a, b) = (sorted(a), sorted(b));
    prop_assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        prop_assert_eq!(
            (x.needy, &x.need, x.helper, &x.why),
            (y.needy, &y.need, y.helper, &y.why)
        );
        prop_assert!((x.score - y.score).abs() < 1e-5);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn incremental_updates_match_a_fresh_build(seed in any::<u64>(), edits in 1usize..15) {
        let mut doc = Document::new(random_model(seed, 14));
        let mut insight = Insight::build(doc.model());
        let mut rng = crate::synth::Rng::new(seed ^ 11);
        for step in 0..edits {
            let ids: Vec<PersonId> = doc.model().people.keys().copied().collect();
            let target = ids[rng.below(ids.len())];
            let other = ids[rng.below(ids.len())];
            let mut p = doc.model().people[&target].clone();
            let action = match rng.below(9) {
                0 => {
                    p.needs.push(NEEDS[rng.below(NEEDS.len())].into());
                    Action::EditPerson(p)
                }
                1 => {
                    p.can_help_with = vec![NEEDS[rng.below(NEEDS.len())].into()];
                    Action::EditPerson(p)
                }
                2 => {
                    p.role = ROLES[rng.below(ROLES.len())].into();
                    p.stage = Stage::ALL[rng.below(Stage::ALL.len())];
                    Action::EditPerson(p)
                }
                3 => {
                    if let Some(need) = p.needs.first().cloned() {
                        p.mark_need_met(&need, day(2026, 5, 1), None, Some(other));
                    }
                    Action::EditPerson(p)
                }
                4 => Action::DeletePerson(target),
                5 => Action::RestorePerson(target),
                6 => Action::AddInteraction(Interaction::new(
                    day(2026, 4, 1 + step as u32),
                    InteractionKind::IntroductionMade,
                    vec![target, other],
                )),
                7 => Action::MergeInterests { into: "run".into(), from: "jog".into() },
                _ => Action::PurgePerson(target),
            };
            if doc.apply(action).is_ok() {
                let changes = doc.take_changes();
                insight.update(doc.model(), &changes);
            }
            if rng.below(3) == 0 && doc.undo().unwrap_or(false) {
                let changes = doc.take_changes();
                insight.update(doc.model(), &changes);
            }
        }
        let model = doc.model();
        let rebuilt = Insight::build(model);
        for id in model.people.keys() {
            same_matches(
                insight.helpers_for(model, *id, today(), usize::MAX),
                rebuilt.helpers_for(model, *id, today(), usize::MAX),
            )?;
            same_matches(
                insight.can_help_whom(model, *id, today(), usize::MAX),
                rebuilt.can_help_whom(model, *id, today(), usize::MAX),
            )?;
        }
        same_matches(
            insight.ways_to_give(model, today(), 100),
            rebuilt.ways_to_give(model, today(), 100),
        )?;
    }

    #[test]
    fn matches_never_suggest_yourself_or_the_deleted(seed in any::<u64>()) {
        let mut model = random_model(seed, 20);
        let mut rng = crate::synth::Rng::new(seed ^ 3);
        for p in model.people.values_mut() {
            p.deleted = rng.below(4) == 0;
        }
        let insight = Insight::build(&model);
        let live = |h: &Helper| match h {
            Helper::Person(id) => !model.people[id].deleted,
            Helper::Me => true,
        };
        for id in model.people.keys() {
            for m in insight.helpers_for(&model, *id, today(), usize::MAX) {
                prop_assert!(m.helper != Helper::Person(*id));
                prop_assert!(live(&m.helper));
                prop_assert!(!model.people[id].deleted);
            }
        }
        let ways = insight.ways_to_give(&model, today(), 50);
        let needy: std::collections::HashSet<PersonId> = ways.iter().map(|m| m.needy).collect();
        prop_assert_eq!(needy.len(), ways.len());
        for m in ways {
            prop_assert!(!model.people[&m.needy].deleted);
            prop_assert!(live(&m.helper));
        }
    }
}

#[test]
fn the_demo_network_finds_helpers_for_maria() {
    let model = crate::storage::format::demo_model(today()).unwrap();
    let insight = Insight::build(&model);
    let maria = model
        .live_people()
        .find(|p| p.needs.iter().any(|n| n == "A bookkeeper"))
        .unwrap();
    let found = insight.helpers_for(&model, maria.id, today(), 5);
    let bookkeeping: Vec<&HelpMatch> = found.iter().filter(|m| m.need == "A bookkeeper").collect();
    assert!(!bookkeeping.is_empty(), "{found:#?}");
    assert!(!insight.ways_to_give(&model, today(), 5).is_empty());
}
