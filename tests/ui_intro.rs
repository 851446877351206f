//! UI tests of introductions: the composer opened from a suggestion, saved
//! as an introduction or as an offer asking each side first, the answers,
//! a decline, and Esc.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::{Key, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::{Command, KithApp, View};
use kith::model::{Interaction, InteractionKind, Model, PersonId};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn demo() -> Model {
    kith::storage::format::demo_model(today()).unwrap()
}

fn harness() -> Harness<'static, KithApp> {
    let app = KithApp::in_memory(demo(), today());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 3000.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

fn name(harness: &Harness<'_, KithApp>, id: PersonId) -> String {
    harness.state().model().person_name(id).to_string()
}

fn first_name(harness: &Harness<'_, KithApp>, id: PersonId) -> String {
    name(harness, id)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn of_kind(harness: &Harness<'_, KithApp>, kind: InteractionKind) -> Vec<Interaction> {
    harness
        .state()
        .model()
        .interactions
        .values()
        .filter(|i| i.kind == kind)
        .cloned()
        .collect()
}

fn suggested(harness: &Harness<'_, KithApp>, a: PersonId, b: PersonId) -> bool {
    harness
        .state()
        .insight()
        .top_candidates(50)
        .iter()
        .any(|c| (c.a, c.b) == (a, b) || (c.a, c.b) == (b, a))
}

/// Open Interests and click the first suggestion's "Introduce"; returns
/// the pair and what they share.
fn introduce_first_suggestion(
    harness: &mut Harness<'_, KithApp>,
) -> (PersonId, PersonId, Vec<String>) {
    harness
        .state_mut()
        .push_command(Command::Show(View::Interests));
    harness.run_steps(5);
    let first = harness.state().insight().top_candidates(1)[0].clone();
    harness
        .get_all_by_role_and_label(Role::Button, "Introduce")
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    let shared = first.shared.iter().map(|f| f.display.clone()).collect();
    (first.a, first.b, shared)
}

fn reason_field_value(harness: &Harness<'_, KithApp>) -> String {
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Why")
        .value()
        .unwrap_or_default()
}

#[test]
fn introduce_from_a_suggestion_edit_the_reason_and_save() {
    let mut harness = harness();
    let before = of_kind(&harness, InteractionKind::IntroductionMade).len();
    let (a, b, shared) = introduce_first_suggestion(&mut harness);
    // Both people and the reason, pre-filled; nothing recorded yet.
    for id in [a, b] {
        let label = format!("Remove {}", name(&harness, id));
        harness.get_by_role_and_label(Role::Button, &label);
    }
    let shown = reason_field_value(&harness);
    assert!(shown.starts_with("Both "), "{shown}");
    for thing in &shared {
        assert!(shown.contains(thing.as_str()), "{shown} / {thing}");
    }
    assert_eq!(
        of_kind(&harness, InteractionKind::IntroductionMade).len(),
        before
    );
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Why")
        .click();
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Why")
        .type_text("You both run marathons");
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    let made = of_kind(&harness, InteractionKind::IntroductionMade);
    assert_eq!(made.len(), before + 1);
    let new = made
        .iter()
        .find(|i| i.date == today() && i.people == vec![a, b])
        .unwrap();
    assert_eq!(new.note, "You both run marathons");
    // On both timelines, and the pair is no longer suggested.
    for id in [a, b] {
        let timeline = &harness.state().insight().stats(id).interactions;
        assert!(timeline.iter().any(|(_, i)| *i == new.id));
    }
    assert!(harness.state().insight().connected(a, b));
    assert!(!suggested(&harness, a, b));
    // Then it offers to draft the e-mail.
    harness.get_by_label("Introduction recorded");
    harness.get_by_role_and_label(Role::Button, "Open in mail app");
    harness.get_by_role_and_label(Role::Button, "Done").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Introduction recorded").is_none());
    // The timeline says who introduced whom.
    harness.state_mut().push_command(Command::OpenPerson(b));
    harness.run_steps(3);
    harness.get_by_label_contains("All interactions (").click();
    harness.run_steps(3);
    let line = format!(
        "You introduced {} and {} — You both run marathons",
        name(&harness, a),
        name(&harness, b)
    );
    harness.get_by_label(&line);
}

#[test]
fn double_opt_in_offer_then_yes_and_yes_makes_the_introduction() {
    let mut harness = harness();
    let (a, b, _) = introduce_first_suggestion(&mut harness);
    harness
        .get_by_role_and_label(Role::RadioButton, "Ask each first (double opt-in)")
        .click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    let offers = of_kind(&harness, InteractionKind::IntroductionOffered);
    let offer = offers.iter().find(|i| i.people == vec![a, b]).unwrap();
    assert!(offer.intro.as_ref().unwrap().is_open());
    assert!(!offer.intro.as_ref().unwrap().reason.is_empty());
    // An offer is not an introduction, and the pair is not suggested meanwhile.
    assert!(!harness.state().insight().connected(a, b));
    assert!(harness.state().insight().introduction_held(a, b));
    assert!(!suggested(&harness, a, b));
    let made_before = of_kind(&harness, InteractionKind::IntroductionMade).len();
    // The answers, from the first person's page.
    harness.state_mut().push_command(Command::OpenPerson(a));
    harness.run_steps(3);
    harness.get_by_label("Introductions waiting on answers");
    let yes_a = format!("{} said yes", first_name(&harness, a));
    let yes_b = format!("{} said yes", first_name(&harness, b));
    harness.get_by_role_and_label(Role::Button, &yes_a).click();
    harness.run_steps(3);
    assert_eq!(
        of_kind(&harness, InteractionKind::IntroductionMade).len(),
        made_before
    );
    harness.get_by_role_and_label(Role::Button, &yes_b).click();
    harness.run_steps(3);
    let offer = harness.state().model().interactions[&offer.id].clone();
    let made = offer.intro.as_ref().unwrap().made.unwrap();
    let made = harness.state().model().interactions[&made].clone();
    assert_eq!(made.kind, InteractionKind::IntroductionMade);
    assert_eq!(made.people, vec![a, b]);
    assert!(harness.state().insight().connected(a, b));
    assert!(
        harness
            .query_by_label("Introductions waiting on answers")
            .is_none()
    );
    // kith offers to draft the e-mail; one undo takes back the last yes and
    // the introduction together.
    harness.get_by_label("Introduction recorded");
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness.state_mut().push_command(Command::Undo);
    harness.run_steps(3);
    assert!(!harness.state().model().interactions.contains_key(&made.id));
    assert!(
        harness.state().model().interactions[&offer.id]
            .intro
            .as_ref()
            .unwrap()
            .is_open()
    );
}

#[test]
fn a_decline_closes_the_offer_and_the_pair_is_no_longer_suggested() {
    let mut harness = harness();
    let (a, b, _) = introduce_first_suggestion(&mut harness);
    harness
        .get_by_role_and_label(Role::RadioButton, "Ask each first (double opt-in)")
        .click();
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    harness.state_mut().push_command(Command::OpenPerson(b));
    harness.run_steps(3);
    let no_b = format!("{} said no", first_name(&harness, b));
    harness.get_by_role_and_label(Role::Button, &no_b).click();
    harness.run_steps(3);
    let offer = of_kind(&harness, InteractionKind::IntroductionOffered)
        .into_iter()
        .find(|i| i.people == vec![a, b])
        .unwrap();
    let intro = offer.intro.unwrap();
    assert_eq!(intro.declined_on(), Some(today()));
    assert!(intro.made.is_none());
    assert!(
        harness
            .query_by_label("Introductions waiting on answers")
            .is_none()
    );
    assert!(!harness.state().insight().connected(a, b));
    assert!(!suggested(&harness, a, b));
    harness
        .state_mut()
        .push_command(Command::Show(View::Interests));
    harness.run_steps(5);
    let first = harness.state().insight().top_candidates(1)[0].clone();
    assert_ne!((first.a, first.b), (a, b));
}

#[test]
fn escape_cancels_and_writes_nothing() {
    let mut harness = harness();
    let count = harness.state().model().interactions.len();
    let revision = harness.state().doc().revision();
    introduce_first_suggestion(&mut harness);
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "Why")
        .type_text(" and more");
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(
        harness
            .query_by_role_and_label(Role::MultilineTextInput, "Why")
            .is_none()
    );
    assert_eq!(harness.state().model().interactions.len(), count);
    assert_eq!(harness.state().doc().revision(), revision);
}

#[test]
fn save_says_why_it_waits_for_two_different_people() {
    let mut harness = harness();
    let dana = harness
        .state()
        .model()
        .people
        .values()
        .find(|p| p.name == "Dana Whitfield")
        .unwrap()
        .id;
    harness.state_mut().push_command(Command::Introduce {
        a: dana,
        b: dana,
        reason: String::new(),
    });
    harness.run_steps(3);
    harness.get_by_label("Pick two people");
    // Pick someone else by searching.
    harness.get_by_role_and_label(Role::TextInput, "To").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "To")
        .type_text("Raj");
    harness.run_steps(3);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(harness.query_by_label("Pick two people").is_none());
    harness.get_by_role_and_label(Role::Button, "Remove Raj Patel");
}
