//! UI tests of giving first: the person page's "Needs and help" (who could
//! help, Introduce, Log help, marking a need met, needs met), the "Can help
//! with" chips, and Today's "Ways to give this week" (fixed clock,
//! 2026-11-22).

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::{Command, KithApp, View};
use kith::model::{Interaction, InteractionKind, Model, Person, PersonId, Stage};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn harness(model: Model) -> Harness<'static, KithApp> {
    let app = KithApp::in_memory(model, today());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 3000.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

/// A small network like the demo's: Dana needs a bookkeeper and Raj is a
/// CPA who helps with bookkeeping; Kenji needs feedback on product design,
/// which you offer; Omar needs marathon training, which Dana can help with.
fn network() -> Model {
    let mut model = Model::default();
    model.me.name = "Sam".into();
    model.me.offers = vec!["Product design".into()];
    let mut dana = Person::new("Dana Whitfield");
    dana.name_parts.given = "Dana".into();
    dana.stage = Stage::Like;
    dana.needs = vec!["A bookkeeper".into()];
    dana.can_help_with = vec!["Marathon training".into()];
    let mut raj = Person::new("Raj Patel");
    raj.stage = Stage::Like;
    raj.role = "CPA".into();
    raj.organization = "Patel & Co".into();
    raj.can_help_with = vec!["Bookkeeping".into()];
    let mut kenji = Person::new("Kenji Watanabe");
    kenji.stage = Stage::Like;
    kenji.needs = vec!["Product design feedback".into()];
    let mut omar = Person::new("Omar Haddad");
    omar.stage = Stage::Like;
    omar.needs = vec!["Marathon training".into()];
    for person in [dana, raj, kenji, omar] {
        let coffee = Interaction::new(
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            InteractionKind::Coffee,
            vec![person.id],
        );
        model.interactions.insert(coffee.id, coffee);
        model.people.insert(person.id, person);
    }
    model
}

fn person_id(harness: &Harness<'_, KithApp>, name: &str) -> PersonId {
    harness
        .state()
        .model()
        .people
        .values()
        .find(|p| p.name == name)
        .unwrap()
        .id
}

fn open(harness: &mut Harness<'_, KithApp>, name: &str) -> PersonId {
    let id = person_id(harness, name);
    harness.state_mut().push_command(Command::OpenPerson(id));
    harness.run_steps(4);
    id
}

#[test]
fn the_person_page_shows_who_could_help_and_whom_they_could_help() {
    let mut harness = harness(network());
    open(&mut harness, "Dana Whitfield");
    harness.get_by_label("Who could help Dana");
    harness.get_by_role_and_label(Role::Button, "Met: A bookkeeper");
    harness.get_by_role_and_label(Role::Button, "Introduce Raj Patel");
    // The other direction: Dana could help Omar.
    harness.get_by_label("Dana could help");
    harness.get_by_label("needs marathon training");
    harness.get_by_role_and_label(Role::Button, "Introduce Omar Haddad");
}

#[test]
fn introduce_opens_the_composer_with_the_need_as_the_reason() {
    let mut harness = harness(network());
    open(&mut harness, "Dana Whitfield");
    harness
        .get_by_role_and_label(Role::Button, "Introduce Raj Patel")
        .click();
    harness.run_steps(4);
    harness.get_by_label("Introduce two people");
    // The reason field (and the composer's preview) start from the need.
    let reason = "Dana is looking for a bookkeeper; Raj can help with bookkeeping.";
    assert!(harness.get_all_by_value(reason).next().is_some());
    // Nothing is recorded before the composer's Save.
    let made = harness
        .state()
        .model()
        .interactions
        .values()
        .filter(|i| i.kind == InteractionKind::IntroductionMade)
        .count();
    assert_eq!(made, 0);
}

#[test]
fn marking_a_need_met_moves_it_to_met_in_one_undo_step() {
    let mut harness = harness(network());
    let dana = open(&mut harness, "Dana Whitfield");
    let raj = person_id(&harness, "Raj Patel");
    let interactions = harness.state().model().interactions.len();
    harness
        .get_by_role_and_label(Role::Button, "Met: A bookkeeper")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Mark “A bookkeeper” met");
    // Who helped: Raj, picked from the network.
    harness
        .get_by_role_and_label(Role::ComboBox, "Helped by")
        .click();
    harness.run_steps(3);
    harness
        .get_by_role(Role::ListBox)
        .get_by_label("Raj Patel")
        .click();
    harness.run_steps(3);
    harness
        .get_by_role_and_label(Role::Button, "Mark met")
        .click();
    harness.run_steps(4);
    {
        let model = harness.state().model();
        let person = &model.people[&dana];
        assert!(person.needs.is_empty());
        assert_eq!(person.needs_met.len(), 1);
        let met = &person.needs_met[0];
        assert_eq!((met.need.as_str(), met.date), ("A bookkeeper", today()));
        assert_eq!(met.helper, Some(raj));
        // "Record it on the timeline now" is the default: Raj's help is a
        // note on Dana's timeline (not help you gave).
        let help = &model.interactions[&met.interaction.unwrap()];
        assert_eq!(help.kind, InteractionKind::Other);
        assert_eq!(help.note, "Raj Patel helped with a bookkeeper");
        assert_eq!(model.interactions.len(), interactions + 1);
    }
    harness.get_by_label("Needs met (1)");
    // One undo brings the need back and takes the interaction away.
    harness.state_mut().push_command(Command::Undo);
    harness.run_steps(4);
    let model = harness.state().model();
    assert_eq!(model.people[&dana].needs, ["A bookkeeper"]);
    assert!(model.people[&dana].needs_met.is_empty());
    assert_eq!(model.interactions.len(), interactions);
}

#[test]
fn log_help_records_help_given_and_the_header_counts_it() {
    let mut harness = harness(network());
    let kenji = open(&mut harness, "Kenji Watanabe");
    harness.get_by_label("Given 0 · Asked 0");
    harness
        .get_by_role_and_label(Role::Button, "Log help: Product design feedback")
        .click();
    harness.run_steps(4);
    let model = harness.state().model();
    let person = &model.people[&kenji];
    assert!(person.needs.is_empty());
    assert_eq!(person.needs_met[0].helper, None);
    let help = &model.interactions[&person.needs_met[0].interaction.unwrap()];
    assert_eq!(help.kind, InteractionKind::HelpGiven);
    assert_eq!(help.date, today());
    harness.get_by_label("Given 1 · Asked 0 · 1 need met");
    // The You view counts it too.
    harness.state_mut().push_command(Command::Show(View::You));
    harness.run_steps(3);
    harness.get_by_label("Given 1 this year · 1 need met by you or your introductions");
}

#[test]
fn a_new_need_is_noted_today_and_can_help_with_is_a_chip_field() {
    let mut harness = harness(network());
    let dana = open(&mut harness, "Dana Whitfield");
    harness
        .get_by_role_and_label(Role::TextInput, "Needs")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "Needs")
        .type_text("A lawyer");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(4);
    let person = &harness.state().model().people[&dana];
    assert_eq!(person.needs, ["A bookkeeper", "A lawyer"]);
    assert_eq!(person.need_noted_on("A lawyer"), Some(today()));
    harness
        .get_by_role_and_label(Role::TextInput, "Can help with")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "Can help with")
        .type_text("Running routes");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(4);
    let person = &harness.state().model().people[&dana];
    assert_eq!(
        person.can_help_with,
        ["Marathon training", "Running routes"]
    );
}

#[test]
fn today_shows_ways_to_give() {
    let mut harness = harness(network());
    harness.state_mut().push_command(Command::Show(View::Today));
    harness.run_steps(3);
    harness.get_by_label("Ways to give this week");
    harness.get_by_role_and_label(Role::Button, "Introduce Dana Whitfield and Raj Patel");
    harness
        .get_by_role_and_label(Role::Button, "Log help for Kenji Watanabe")
        .click();
    harness.run_steps(4);
    let kenji = person_id(&harness, "Kenji Watanabe");
    assert!(harness.state().model().people[&kenji].needs.is_empty());
}

#[test]
fn today_says_so_when_there_is_no_way_to_give() {
    let mut harness = harness(Model::default());
    harness.state_mut().push_command(Command::Show(View::Today));
    harness.run_steps(3);
    harness.get_by_label(
        "No open needs you or your network can meet yet. Ask people what they are \
         working on, and note it as a need on their page.",
    );
}

#[test]
fn the_map_says_who_could_help_the_person_under_the_pointer() {
    let mut app = KithApp::in_memory(network(), today());
    app.push_command(Command::Show(View::Map));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(4);
    let dana = person_id(&harness, "Dana Whitfield");
    let pos = harness.state().ui_state.map.screen_position(dana).unwrap();
    // The card shows at once (no resting delay on the test clock).
    harness.ctx.all_styles_mut(|s| {
        s.interaction.tooltip_delay = 0.0;
        s.interaction.show_tooltips_only_when_still = false;
    });
    harness.hover_at(pos);
    // The first frame finds her helpers; the next draws the card.
    harness.run_steps(3);
    harness.get_by_label("Who could help Dana:");
    harness.get_by_label("Raj Patel: a bookkeeper");
}
