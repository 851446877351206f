//! Introductions and the suggestions: a made introduction connects the
//! pair, an open offer holds it without connecting it, and a decline holds
//! it for a year.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::action::Action;
use crate::document::Document;
use crate::model::{IntroAnswer, IntroOffer, Person};
use uuid::Uuid;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn id(n: u128) -> PersonId {
    PersonId(Uuid::from_u128(n))
}

/// Dana and Raj share a rare interest; Omar shares a common one with both.
fn network() -> Model {
    let mut model = Model::default();
    for (n, name, interests) in [
        (1, "Dana", &["sailing", "chess"][..]),
        (2, "Raj", &["sailing", "chess"][..]),
        (3, "Omar", &["chess"][..]),
    ] {
        let mut person = Person::new(name);
        person.id = id(n);
        person.interests = interests.iter().map(|s| s.to_string()).collect();
        model.people.insert(person.id, person);
    }
    model
}

fn offer(first: IntroAnswer, second: IntroAnswer) -> Interaction {
    let mut offer = Interaction::new(
        day(2026, 3, 1),
        InteractionKind::IntroductionOffered,
        vec![id(1), id(2)],
    );
    offer.intro = Some(IntroOffer {
        reason: "Both sail".into(),
        first,
        second,
        made: None,
    });
    offer
}

fn suggests(insight: &Insight, a: PersonId, b: PersonId) -> bool {
    let pair = |c: &Candidate| (c.a == a && c.b == b) || (c.a == b && c.b == a);
    let top = insight.top_candidates(50).iter().any(pair);
    let mine = insight.candidates_for(a, 50).iter().any(pair);
    assert_eq!(top, mine, "the two lists agree");
    top
}

#[test]
fn a_made_introduction_connects_the_pair_and_is_not_suggested_again() {
    let mut model = network();
    assert!(suggests(&Insight::build(&model), id(1), id(2)));
    let made = Interaction::new(
        day(2026, 3, 2),
        InteractionKind::IntroductionMade,
        vec![id(1), id(2)],
    );
    model.interactions.insert(made.id, made);
    let insight = Insight::build(&model);
    assert!(insight.connected(id(1), id(2)));
    assert!(!suggests(&insight, id(1), id(2)));
    assert!(suggests(&insight, id(1), id(3)));
}

#[test]
fn an_open_offer_holds_the_pair_without_making_them_know_each_other() {
    let mut model = network();
    let offer = offer(
        IntroAnswer::Pending,
        IntroAnswer::Accepted {
            date: day(2026, 3, 2),
        },
    );
    model.interactions.insert(offer.id, offer);
    let mut insight = Insight::build(&model);
    insight.set_today(day(2026, 3, 3));
    assert!(
        !insight.connected(id(1), id(2)),
        "an offer is not an introduction"
    );
    assert!(insight.introduction_held(id(1), id(2)));
    assert!(!suggests(&insight, id(1), id(2)));
    // Asking each side still counts as contact with each.
    assert_eq!(
        insight
            .stats(id(1))
            .count(InteractionKind::IntroductionOffered),
        1
    );
}

#[test]
fn a_declined_pair_is_not_suggested_for_a_year() {
    let mut model = network();
    let declined = day(2026, 3, 5);
    let offer = offer(
        IntroAnswer::Accepted {
            date: day(2026, 3, 2),
        },
        IntroAnswer::Declined { date: declined },
    );
    model.interactions.insert(offer.id, offer);
    let mut insight = Insight::build(&model);
    // Without a day, every decline holds.
    assert!(!suggests(&insight, id(1), id(2)));
    insight.set_today(declined + chrono::Duration::days(DECLINE_QUIET_DAYS - 1));
    assert!(!suggests(&insight, id(1), id(2)));
    assert!(insight.introduction_held(id(1), id(2)));
    insight.set_today(declined + chrono::Duration::days(DECLINE_QUIET_DAYS));
    assert!(!insight.introduction_held(id(1), id(2)));
    assert!(
        suggests(&insight, id(1), id(2)),
        "a year later they may be again"
    );
    assert!(!insight.connected(id(1), id(2)));
}

#[test]
fn updates_through_an_offer_match_a_fresh_build() {
    let today = day(2026, 3, 10);
    let mut doc = Document::new(network());
    let mut insight = Insight::build(doc.model());
    insight.set_today(today);
    let check = |doc: &Document, insight: &Insight| {
        let mut rebuilt = Insight::build(doc.model());
        rebuilt.set_today(today);
        let pairs = |i: &Insight| -> Vec<(PersonId, PersonId)> {
            i.top_candidates(50).iter().map(|c| (c.a, c.b)).collect()
        };
        assert_eq!(pairs(insight), pairs(&rebuilt));
        for (a, b) in [(1, 2), (1, 3), (2, 3)] {
            assert_eq!(
                insight.connected(id(a), id(b)),
                rebuilt.connected(id(a), id(b))
            );
            assert_eq!(
                insight.introduction_held(id(a), id(b)),
                rebuilt.introduction_held(id(a), id(b))
            );
        }
        for n in 1..=3 {
            assert_eq!(insight.stats(id(n)), rebuilt.stats(id(n)));
        }
    };
    let apply = |doc: &mut Document, insight: &mut Insight, action: Action| {
        doc.apply(action).unwrap();
        let changes = doc.take_changes();
        insight.update(doc.model(), &changes);
        insight.warm();
    };
    insight.warm();
    let mut open = offer(IntroAnswer::Pending, IntroAnswer::Pending);
    apply(&mut doc, &mut insight, Action::AddInteraction(open.clone()));
    check(&doc, &insight);
    assert!(insight.introduction_held(id(1), id(2)));
    // Both say yes: the introduction is made in the same step.
    let made = Interaction::new(today, InteractionKind::IntroductionMade, vec![id(1), id(2)]);
    if let Some(intro) = open.intro.as_mut() {
        intro.first = IntroAnswer::Accepted { date: today };
        intro.second = IntroAnswer::Accepted { date: today };
        intro.made = Some(made.id);
    }
    apply(
        &mut doc,
        &mut insight,
        Action::Batch {
            label: "Introduce".into(),
            actions: vec![
                Action::EditInteraction(open.clone()),
                Action::AddInteraction(made),
            ],
        },
    );
    check(&doc, &insight);
    assert!(insight.connected(id(1), id(2)));
    assert!(!insight.introduction_held(id(1), id(2)));
    // Undo: back to the open offer, not connected.
    doc.undo().unwrap();
    let changes = doc.take_changes();
    insight.update(doc.model(), &changes);
    check(&doc, &insight);
    assert!(!insight.connected(id(1), id(2)));
    // A decline, then the offer deleted.
    if let Some(intro) = open.intro.as_mut() {
        intro.first = IntroAnswer::Declined { date: today };
        intro.second = IntroAnswer::Pending;
        intro.made = None;
    }
    apply(
        &mut doc,
        &mut insight,
        Action::EditInteraction(open.clone()),
    );
    check(&doc, &insight);
    assert!(insight.introduction_held(id(1), id(2)));
    // The offer turned into a call: now the two know each other.
    let mut call = open.clone();
    call.kind = InteractionKind::Call;
    call.intro = None;
    apply(&mut doc, &mut insight, Action::EditInteraction(call));
    check(&doc, &insight);
    assert!(insight.connected(id(1), id(2)));
    apply(&mut doc, &mut insight, Action::DeleteInteraction(open.id));
    check(&doc, &insight);
    assert!(!insight.connected(id(1), id(2)));
    assert!(suggests(&insight, id(1), id(2)));
}
