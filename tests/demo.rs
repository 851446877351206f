//! The bundled demo network shows giving first at first launch, on any day:
//! needs someone can meet, an offered introduction, a snoozed follow-up, a
//! person's own rhythm and a role you stepped down from.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use kith::insight::{Helper, Insight};
use kith::model::{
    InteractionKind, IntroAnswer, Involvement, Model, Person, PersonId, normalize_interest,
};
use kith::storage::format;

/// Days the demo is opened on: its own anchor, a leap day, years later.
fn days() -> Vec<NaiveDate> {
    [(2026, 11, 22), (2028, 2, 29), (2031, 7, 4)]
        .into_iter()
        .map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
        .collect()
}

fn named<'a>(model: &'a Model, name: &str) -> &'a Person {
    model
        .people
        .values()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} is in the demo"))
}

fn id(model: &Model, name: &str) -> PersonId {
    named(model, name).id
}

#[test]
fn needs_someone_can_meet_are_current() {
    for today in days() {
        let model = format::demo_model(today).unwrap();
        let dana = named(&model, "Dana Whitfield");
        assert!(dana.needs.iter().any(|n| n == "A bookkeeper"));
        let noted = dana.need_noted_on("A bookkeeper").unwrap();
        assert!(
            noted <= today && (today - noted).num_days() <= 14,
            "{noted}"
        );
        let raj = named(&model, "Raj Patel");
        assert!(raj.can_help_with.iter().any(|c| c == "Bookkeeping"));
        let offering = model
            .people
            .values()
            .filter(|p| !p.can_help_with.is_empty())
            .count();
        assert!(offering >= 15, "{offering} people can help with something");
        // Every noted day belongs to an open need and is not in the future.
        for person in model.people.values() {
            for noted in &person.needs_noted {
                assert!(person.needs.contains(&noted.need), "{}", person.name);
                assert!(noted.date <= today, "{}", person.name);
            }
        }
        // Some of your offers meet a need as written.
        let offers: Vec<_> = model
            .me
            .offers
            .iter()
            .map(|o| normalize_interest(o))
            .collect();
        let met_by_you = model
            .people
            .values()
            .flat_map(|p| &p.needs)
            .filter(|n| offers.contains(&normalize_interest(n)))
            .count();
        assert!(met_by_you >= 2, "{met_by_you} needs match your offers");
    }
}

#[test]
fn a_need_was_met_through_an_introduction() {
    for today in days() {
        let model = format::demo_model(today).unwrap();
        let kwame = named(&model, "Kwame Mensah");
        let tom = id(&model, "Tom Okafor");
        let met = kwame
            .needs_met
            .iter()
            .find(|m| m.helper == Some(tom))
            .unwrap();
        assert!(met.date < today);
        let made = &model.interactions[&met.interaction.unwrap()];
        assert_eq!(made.kind, InteractionKind::IntroductionMade);
        assert!(made.people.contains(&kwame.id) && made.people.contains(&tom));
        assert!(made.date <= met.date);
        // And one you met yourself.
        let lucas = named(&model, "Lucas Meyer");
        let by_you = lucas.needs_met.iter().find(|m| m.helper.is_none()).unwrap();
        let given = &model.interactions[&by_you.interaction.unwrap()];
        assert_eq!(given.kind, InteractionKind::HelpGiven);
    }
}

#[test]
fn an_introduction_is_offered_and_waits_for_one_answer() {
    for today in days() {
        let model = format::demo_model(today).unwrap();
        let offers: Vec<_> = model
            .interactions
            .values()
            .filter(|i| i.kind == InteractionKind::IntroductionOffered)
            .collect();
        assert_eq!(offers.len(), 1);
        let offer = offers[0];
        let intro = offer.intro.as_ref().unwrap();
        assert!(intro.is_open());
        assert!(!intro.reason.is_empty());
        assert_eq!(
            offer.people,
            vec![id(&model, "Arjun Mehta"), id(&model, "Omar Haddad")]
        );
        let IntroAnswer::Accepted { date } = intro.first else {
            panic!("Arjun said yes");
        };
        assert!(offer.date <= date && date <= today);
        assert_eq!(intro.second, IntroAnswer::Pending);
        assert!(offer.follow_up.unwrap() > today);
    }
}

#[test]
fn a_follow_up_is_snoozed_to_a_later_day() {
    for today in days() {
        let model = format::demo_model(today).unwrap();
        let sam = id(&model, "Sam Rivera");
        let snoozed: Vec<_> = model
            .interactions
            .values()
            .filter(|i| i.snoozed_from.is_some())
            .collect();
        assert_eq!(snoozed.len(), 1);
        let i = snoozed[0];
        assert_eq!(i.people, vec![sam]);
        assert!(!i.follow_up_done);
        assert!(i.snoozed_from.unwrap() < today && today < i.follow_up.unwrap());
    }
}

#[test]
fn a_person_has_their_own_rhythm() {
    let model = format::demo_model(days()[0]).unwrap();
    let victor = named(&model, "Victor Dubois");
    assert_eq!(victor.rhythm(&model.settings), 14);
    assert!(model.settings.cadence(victor.stage) != 14);
}

#[test]
fn you_stepped_down_from_leading_a_group_and_missed_meetings_since() {
    for today in days() {
        let model = format::demo_model(today).unwrap();
        let (org, until) = model
            .orgs
            .values()
            .find_map(|o| {
                o.my_roles
                    .iter()
                    .find(|r| matches!(r.role, Involvement::Leader | Involvement::Committee))
                    .and_then(|r| r.until)
                    .map(|until| (o, until))
            })
            .unwrap();
        assert_eq!(org.name, "Product Guild");
        assert!(until < today);
        let since: Vec<bool> = org
            .events
            .iter()
            .filter(|e| e.date > until && e.date < today)
            .map(|e| e.attended)
            .collect();
        assert_eq!(since, vec![true, false, false]);
    }
}

#[test]
fn who_could_help_dana_is_raj() {
    let today = days()[0];
    let model = format::demo_model(today).unwrap();
    let insight = Insight::build(&model);
    let dana = id(&model, "Dana Whitfield");
    let raj = id(&model, "Raj Patel");
    let helpers = insight.helpers_for(&model, dana, today, 5);
    assert!(
        helpers
            .iter()
            .any(|m| m.helper == Helper::Person(raj) && m.need == "A bookkeeper"),
        "{helpers:?}"
    );
}

/// The new fields survive the files the demo is saved into on first edit.
#[test]
fn the_demo_round_trips_through_data_files() {
    let model = format::demo_model(days()[0]).unwrap();
    for person in model.people.values() {
        let text = format::write_person(person).unwrap();
        assert_eq!(
            &format::read_person(&text).unwrap(),
            person,
            "{}",
            person.name
        );
    }
    let interactions: Vec<_> = model.interactions.values().collect();
    let text = format::write_month(interactions.clone()).unwrap();
    let mut back = format::read_month(&text).unwrap();
    back.sort_by_key(|i| i.id);
    let mut want: Vec<_> = interactions.into_iter().cloned().collect();
    want.sort_by_key(|i| i.id);
    assert_eq!(back, want);
}
