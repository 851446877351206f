use super::*;
use crate::action::Action;
use crate::document::Document;
use crate::model::{
    Interaction, InteractionKind, Membership, Model, OrgKind, Organization, Person, PersonId, Stage,
};
use chrono::NaiveDate;
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// People with fixed ids (so tie-breaking by id is predictable).
fn person(n: u128, name: &str, interests: &[&str]) -> Person {
    let mut p = Person::new(name);
    p.id = PersonId(Uuid::from_u128(n));
    p.interests = interests.iter().map(|s| s.to_string()).collect();
    p
}

fn model_of(people: Vec<Person>) -> Model {
    let mut model = Model::default();
    for p in people {
        model.people.insert(p.id, p);
    }
    model
}

#[test]
fn rare_shared_interest_outranks_common_one() {
    let model = model_of(vec![
        person(1, "A", &["Boston Marathon", "business"]),
        person(2, "B", &["Boston Marathon"]),
        person(3, "C", &["business"]),
        person(4, "D", &["business"]),
        person(5, "E", &["business"]),
    ]);
    let insight = Insight::build(&model);
    let top = insight.candidates_for(PersonId(Uuid::from_u128(1)), 10);
    assert_eq!(top[0].b, PersonId(Uuid::from_u128(2)));
    assert!(top[0].score > top[1].score);
    assert_eq!(top[0].reason(), "both into Boston Marathon");
    // Ties (C, D, E share only "business") are broken by id.
    let rest: Vec<_> = top[1..].iter().map(|c| c.b.0.as_u128()).collect();
    assert_eq!(rest, vec![3, 4, 5]);
}

#[test]
fn people_without_interests_deleted_people_and_connected_pairs_are_excluded() {
    let mut a = person(1, "A", &["chess", "jazz"]);
    let b = person(2, "B", &["chess"]);
    let mut c = person(3, "C", &["chess"]);
    let d = person(4, "D", &[]);
    let mut e = person(5, "E", &["jazz"]);
    e.deleted = true;
    c.introduced_by = Some(a.id);
    // A self-introduction is ignored, not a connection.
    a.introduced_by = Some(a.id);
    let mut model = model_of(vec![a, b, c, d, e]);
    let meet = Interaction::new(
        day(2026, 1, 1),
        InteractionKind::Lunch,
        vec![PersonId(Uuid::from_u128(1)), PersonId(Uuid::from_u128(2))],
    );
    model.interactions.insert(meet.id, meet);
    let insight = Insight::build(&model);
    let id = |n| PersonId(Uuid::from_u128(n));
    assert!(insight.connected(id(1), id(2)));
    assert!(insight.connected(id(1), id(3)));
    assert!(!insight.connected(id(1), id(1)));
    assert!(insight.candidates_for(id(1), 10).is_empty());
    assert!(insight.candidates_for(id(4), 10).is_empty());
    let top = insight.top_candidates(10);
    let pairs: Vec<_> = top
        .iter()
        .map(|c| (c.a.0.as_u128(), c.b.0.as_u128()))
        .collect();
    assert_eq!(pairs, vec![(2, 3)]);
    assert_eq!(insight.live_people(), 4);
    assert_eq!(insight.top_introducers(5), vec![(id(1), 1)]);
}

#[test]
fn shared_with_me_uses_aliases() {
    let mut model = model_of(vec![person(1, "A", &["Jogging", "Jazz", "Chess"])]);
    model.me.interests = vec!["running".into(), "jazz".into()];
    model
        .apply(Action::MergeInterests {
            into: "run".into(),
            from: "jog".into(),
        })
        .unwrap();
    let insight = Insight::build(&model);
    let shared = insight.shared_with_me(&model, PersonId(Uuid::from_u128(1)));
    assert_eq!(shared.len(), 2);
    assert!(shared.contains(&"Jazz".to_string()));
}

#[test]
fn organizations_and_tags_count_as_common_ground() {
    let org = Organization::new("Chamber of Commerce", OrgKind::Chamber);
    let mut a = person(1, "A", &["running"]);
    let mut b = person(2, "B", &["run"]);
    a.memberships.push(Membership {
        org: org.id,
        role: String::new(),
    });
    b.memberships.push(Membership {
        org: org.id,
        role: String::new(),
    });
    a.tags.push("Mentor".into());
    b.tags.push("mentor".into());
    let mut model = model_of(vec![a, b, person(3, "C", &["x"])]);
    model.orgs.insert(org.id, org);
    let insight = Insight::build(&model);
    let top = insight.top_candidates(5);
    assert_eq!(top.len(), 1);
    let reason = top[0].reason();
    assert!(reason.contains("both into running"), "{reason}");
    assert!(reason.contains("both in Chamber of Commerce"), "{reason}");
    assert!(reason.contains("both tagged Mentor"), "{reason}");
}

#[test]
fn follow_ups_split_by_due_date_and_skip_done() {
    let a = person(1, "A", &[]);
    let mut model = model_of(vec![a.clone()]);
    let today = day(2026, 11, 22);
    for (due, done) in [
        (day(2026, 11, 1), false),
        (today, false),
        (day(2026, 11, 30), false),
        (day(2026, 11, 2), true),
        (day(2027, 3, 1), false),
    ] {
        let mut i = Interaction::new(day(2026, 10, 1), InteractionKind::Coffee, vec![a.id]);
        i.follow_up = Some(due);
        i.follow_up_done = done;
        model.interactions.insert(i.id, i);
    }
    let insight = Insight::build(&model);
    let f = insight.follow_ups(&model, today, 14);
    assert_eq!(f.overdue.len(), 1);
    assert_eq!(f.due_today.len(), 1);
    assert_eq!(f.upcoming.len(), 1);
}

#[test]
fn health_explains_and_suggests_stage() {
    let mut a = person(1, "A", &[]);
    a.stage = Stage::Know;
    let mut model = model_of(vec![a.clone()]);
    let today = day(2026, 11, 22);
    for (d, kind) in [
        (day(2026, 11, 1), InteractionKind::Coffee),
        (day(2026, 10, 1), InteractionKind::Lunch),
        (day(2026, 9, 1), InteractionKind::HelpAsked),
    ] {
        let i = Interaction::new(d, kind, vec![a.id]);
        model.interactions.insert(i.id, i);
    }
    let insight = Insight::build(&model);
    let health = insight.health(&model, a.id, today);
    assert_eq!(health.days_quiet, Some(21));
    assert_eq!(health.give_ask_balance, -1);
    assert_eq!(
        health.suggestion.as_ref().map(|s| s.stage),
        Some(Stage::Like)
    );
    assert!(
        health.reasons.iter().any(|r| r.contains("give first")),
        "{:?}",
        health.reasons
    );
    // A year later with no contact: dormant.
    let later = day(2027, 11, 22);
    let health = insight.health(&model, a.id, later);
    assert!(health.dormant);
    assert_eq!(health.suggestion.map(|s| s.stage), Some(Stage::Dormant));
}

#[test]
fn re_engage_orders_by_value_and_quiet_time() {
    let mut close = person(1, "Close", &[]);
    close.stage = Stage::Trust;
    let mut known = person(2, "Known", &[]);
    known.stage = Stage::Know;
    let mut fresh = person(3, "Fresh", &[]);
    fresh.stage = Stage::Trust;
    let acquaintance = person(4, "Acq", &[]);
    let mut model = model_of(vec![
        close.clone(),
        known.clone(),
        fresh.clone(),
        acquaintance.clone(),
    ]);
    for (p, d) in [
        (close.id, day(2026, 8, 1)),
        (known.id, day(2026, 6, 1)),
        (fresh.id, day(2026, 11, 20)),
        (acquaintance.id, day(2020, 1, 1)),
    ] {
        let i = Interaction::new(d, InteractionKind::Call, vec![p]);
        model.interactions.insert(i.id, i);
    }
    let insight = Insight::build(&model);
    let list = insight.re_engage(&model, day(2026, 11, 22), 10);
    let names: Vec<_> = list.iter().map(|r| model.person_name(r.person)).collect();
    assert_eq!(names, vec!["Close", "Known"]);
}

#[test]
fn network_depth_counts_stages() {
    let mut people = Vec::new();
    for n in 0..22u128 {
        let mut p = person(n + 1, "P", &[]);
        p.stage = if n < 21 {
            Stage::Acquaintance
        } else {
            Stage::Trust
        };
        people.push(p);
    }
    let depth = network_depth(&model_of(people));
    assert_eq!(depth.total, 22);
    assert_eq!(depth.wide_to_deep, Some(21.0));
    assert!(depth.verdict.contains("Mile wide"));
}

/// Naive all-pairs reference: score = Σ ln(1 + N/df) over shared features.
fn naive_top(model: &Model, limit: usize) -> Vec<(PersonId, PersonId, f64)> {
    let live: Vec<&Person> = model.live_people().collect();
    let features = |p: &Person| -> HashSet<String> {
        let mut set: HashSet<String> = p
            .interests
            .iter()
            .map(|i| format!("i:{}", model.interests.resolve(i)))
            .filter(|k| k != "i:")
            .collect();
        set.extend(p.memberships.iter().map(|m| format!("o:{}", m.org)));
        set.extend(
            p.tags
                .iter()
                .map(|t| format!("t:{}", t.trim().to_lowercase()))
                .filter(|t| t != "t:"),
        );
        set
    };
    let sets: Vec<HashSet<String>> = live.iter().map(|p| features(p)).collect();
    let mut df: HashMap<&String, usize> = HashMap::new();
    for set in &sets {
        for f in set {
            *df.entry(f).or_default() += 1;
        }
    }
    let n = live.len() as f64;
    let mut connected: HashSet<(PersonId, PersonId)> = HashSet::new();
    let key = |a: PersonId, b: PersonId| if a < b { (a, b) } else { (b, a) };
    for i in model.interactions.values() {
        for a in &i.people {
            for b in &i.people {
                if a != b {
                    connected.insert(key(*a, *b));
                }
            }
        }
    }
    for p in model.people.values() {
        if let Some(by) = p.introduced_by.filter(|b| *b != p.id) {
            connected.insert(key(p.id, by));
        }
    }
    let mut out = Vec::new();
    for i in 0..live.len() {
        for j in (i + 1)..live.len() {
            let (a, b) = key(live[i].id, live[j].id);
            if connected.contains(&(a, b)) {
                continue;
            }
            let score: f64 = sets[i]
                .intersection(&sets[j])
                .map(|f| (1.0 + n / df[f] as f64).ln())
                .sum();
            if score > 0.0 {
                out.push((a, b, (score * 1e9).round() / 1e9));
            }
        }
    }
    out.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    out.truncate(limit);
    out
}

fn random_model(seed: u64, people: usize) -> Model {
    let mut rng = crate::synth::Rng::new(seed);
    let interests = [
        "run",
        "jazz",
        "chess",
        "sail",
        "golf",
        "ai",
        "wine",
        "boston marathon",
    ];
    let tags = ["mentor", "client", ""];
    let orgs: Vec<Organization> = (0..3)
        .map(|i| Organization::new(format!("O{i}"), OrgKind::Other))
        .collect();
    let mut model = Model::default();
    let mut ids = Vec::new();
    for n in 0..people {
        let mut p = person(n as u128 + 1, &format!("P{n}"), &[]);
        for _ in 0..rng.below(4) {
            p.interests
                .push(interests[rng.below(interests.len())].into());
        }
        if rng.below(3) == 0 {
            p.tags.push(tags[rng.below(tags.len())].into());
        }
        if rng.below(3) == 0 {
            p.memberships.push(Membership {
                org: orgs[rng.below(3)].id,
                role: String::new(),
            });
        }
        p.deleted = rng.below(8) == 0;
        if !ids.is_empty() && rng.below(4) == 0 {
            p.introduced_by = Some(ids[rng.below(ids.len())]);
        }
        if rng.below(10) == 0 {
            p.introduced_by = Some(p.id);
        }
        ids.push(p.id);
        model.people.insert(p.id, p);
    }
    for o in orgs {
        model.orgs.insert(o.id, o);
    }
    for _ in 0..rng.below(people) {
        let a = ids[rng.below(ids.len())];
        let b = ids[rng.below(ids.len())];
        let i = Interaction::new(
            day(2026, 1, 1),
            InteractionKind::Coffee,
            if a == b { vec![a] } else { vec![a, b] },
        );
        model.interactions.insert(i.id, i);
    }
    model
}

fn assert_same(index: &[Candidate], naive: &[(PersonId, PersonId, f64)]) {
    assert_eq!(index.len(), naive.len(), "{index:?}\n{naive:?}");
    for (c, n) in index.iter().zip(naive) {
        assert_eq!((c.a, c.b), (n.0, n.1));
        assert!((c.score - n.2).abs() < 1e-9);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn inverted_index_equals_naive_all_pairs(seed in any::<u64>(), people in 2usize..40, limit in 1usize..30) {
        let model = random_model(seed, people);
        let insight = Insight::build(&model);
        assert_same(&insight.top_candidates(limit), &naive_top(&model, limit));
        // Per-person results equal the naive pairs that involve that person.
        let all = naive_top(&model, usize::MAX);
        if let Some(p) = model.live_people().next() {
            let mine: Vec<_> = all.iter().filter(|(a, b, _)| *a == p.id || *b == p.id).map(|(a, b, s)| {
                let other = if *a == p.id { *b } else { *a };
                (p.id, other, *s)
            }).collect();
            let mut mine = mine;
            mine.sort_by(|x, y| y.2.total_cmp(&x.2).then(x.1.cmp(&y.1)));
            mine.truncate(limit);
            assert_same(&insight.candidates_for(p.id, limit), &mine);
        }
    }

    #[test]
    fn incremental_updates_match_a_full_rebuild(seed in any::<u64>(), edits in 1usize..15) {
        let model = random_model(seed, 20);
        let mut doc = Document::new(model);
        let mut insight = Insight::build(doc.model());
        let mut rng = crate::synth::Rng::new(seed ^ 7);
        for step in 0..edits {
            let ids: Vec<PersonId> = doc.model().people.keys().copied().collect();
            let target = ids[rng.below(ids.len())];
            let action = match rng.below(9) {
                0 => {
                    let mut p = doc.model().people[&target].clone();
                    p.interests.push(["jazz", "golf", "new thing"][rng.below(3)].into());
                    Action::EditPerson(p)
                }
                // Edits that leave the introductions as they are.
                6 => {
                    let mut p = doc.model().people[&target].clone();
                    p.notes = format!("note {step}");
                    Action::EditPerson(p)
                }
                7 => Action::AddInteraction(Interaction::new(day(2026, 3, 1 + step as u32), InteractionKind::Coffee, vec![target])),
                8 => {
                    let mut p = doc.model().people[&target].clone();
                    p.introduced_by = Some(ids[rng.below(ids.len())]).filter(|by| *by != target);
                    Action::EditPerson(p)
                }
                1 => Action::DeletePerson(target),
                2 => Action::RestorePerson(target),
                3 => Action::AddInteraction(Interaction::new(day(2026, 2, 1 + step as u32), InteractionKind::Call, vec![target, ids[rng.below(ids.len())]].into_iter().collect::<HashSet<_>>().into_iter().collect())),
                4 => Action::MergeInterests { into: "jazz".into(), from: "golf".into() },
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
            // Fill the cache of introductions, so a change that should
            // have dropped it and did not shows below.
            if rng.below(2) == 0 {
                insight.warm();
            }
        }
        let rebuilt = Insight::build(doc.model());
        let a = insight.top_candidates(50);
        let b = rebuilt.top_candidates(50);
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!((x.a, x.b), (y.a, y.b));
            prop_assert!((x.score - y.score).abs() < 1e-9);
        }
        for id in doc.model().people.keys() {
            prop_assert_eq!(insight.stats(*id), rebuilt.stats(*id));
        }
        let today = day(2026, 11, 22);
        prop_assert_eq!(insight.follow_ups(doc.model(), today, 30), rebuilt.follow_ups(doc.model(), today, 30));
    }
}

#[test]
fn interactions_with_people_missing_from_the_model_do_not_panic() {
    let a = person(1, "A", &["x"]);
    let mut model = model_of(vec![a.clone()]);
    let ghost = PersonId(Uuid::from_u128(99));
    let i = Interaction::new(day(2026, 1, 1), InteractionKind::Call, vec![a.id, ghost]);
    model.interactions.insert(i.id, i);
    let insight = Insight::build(&model);
    assert_eq!(insight.stats(a.id).total(), 1);
    assert_eq!(insight.stats(ghost).total(), 1);
    assert_eq!(insight.live_people(), 1);
    assert!(insight.top_candidates(5).is_empty());
}

/// A and B share jazz and golf, C only jazz; the document and its index.
fn jazz_and_golf() -> (Person, Person, Person, Document, Insight) {
    let a = person(1, "A", &["jazz", "golf"]);
    let b = person(2, "B", &["jazz", "golf"]);
    let c = person(3, "C", &["jazz"]);
    let doc = Document::new(model_of(vec![a.clone(), b.clone(), c.clone()]));
    let insight = Insight::build(doc.model());
    (a, b, c, doc, insight)
}

/// Apply `action` and bring the index up to date.
fn apply_and_update(doc: &mut Document, insight: &mut Insight, action: Action) {
    doc.apply(action).unwrap();
    let changes = doc.take_changes();
    insight.update(doc.model(), &changes);
}

#[test]
fn edits_that_cannot_change_introductions_keep_them_cached() {
    let (a, b, c, mut doc, mut insight) = jazz_and_golf();
    let apply = |doc: &mut Document, insight: &mut Insight, action: Action| {
        insight.warm();
        apply_and_update(doc, insight, action);
        insight.candidates_are_cached()
    };
    let mut noted = a.clone();
    noted.notes = "Met at the jazz night".into();
    assert!(
        apply(&mut doc, &mut insight, Action::EditPerson(noted)),
        "notes"
    );
    let coffee = Interaction::new(day(2026, 3, 1), InteractionKind::Coffee, vec![a.id]);
    assert!(
        apply(&mut doc, &mut insight, Action::AddInteraction(coffee)),
        "a coffee with one person"
    );
    let mut golfer = c.clone();
    golfer.interests.push("golf".into());
    assert!(
        !apply(&mut doc, &mut insight, Action::EditPerson(golfer)),
        "a new shared interest"
    );
    let lunch = Interaction::new(day(2026, 3, 2), InteractionKind::Lunch, vec![a.id, b.id]);
    assert!(
        !apply(&mut doc, &mut insight, Action::AddInteraction(lunch)),
        "A and B now know each other"
    );
    assert!(
        !apply(&mut doc, &mut insight, Action::DeletePerson(c.id)),
        "C no longer counts"
    );
}

#[test]
fn introductions_computed_by_a_job_are_kept_only_if_nothing_changed_meanwhile() {
    let (_, _, c, mut doc, mut insight) = jazz_and_golf();
    assert_eq!(insight.top_candidates_ready(5), None, "not computed yet");

    // A job's result is exactly what computing them here gives.
    let job = insight.candidates_job().unwrap();
    let expected = Insight::build(doc.model()).top_candidates(50);
    assert!(insight.accept_candidates(job.run()));
    let kept = insight.top_candidates_ready(50).unwrap();
    assert_eq!(kept.len(), expected.len());
    for (x, y) in kept.iter().zip(&expected) {
        assert_eq!((x.a, x.b, x.score), (y.a, y.b, y.score));
    }
    assert!(
        insight.candidates_job().is_none(),
        "nothing left to compute"
    );

    // A change lands while a job runs: its now stale result is refused.
    let mut golfer = c.clone();
    golfer.interests.push("golf".into());
    doc.apply(Action::EditPerson(golfer)).unwrap();
    let job = insight.candidates_job();
    assert!(job.is_none(), "still cached before the update");
    let changes = doc.take_changes();
    insight.update(doc.model(), &changes);
    let job = insight.candidates_job().unwrap();
    let mut again = c.clone();
    again.interests = vec!["chess".into()];
    apply_and_update(&mut doc, &mut insight, Action::EditPerson(again));
    assert!(!insight.accept_candidates(job.run()));
    assert_eq!(insight.top_candidates_ready(5), None);
    let fresh = insight.candidates_job().unwrap().run();
    assert!(insight.accept_candidates(fresh));
    assert_eq!(
        insight.top_candidates_ready(50).unwrap().len(),
        Insight::build(doc.model()).top_candidates(50).len()
    );
}
