//! UI tests of the forms: the add-person form, chip entry, typed dates,
//! the quick add and the introductions list, driven as a user would.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::{Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::{Command, KithApp, View};
use kith::model::{InteractionKind, Model, PersonId};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn demo() -> Model {
    kith::storage::format::demo_model(today()).unwrap()
}

fn harness_sized(model: Model, size: egui::Vec2) -> Harness<'static, KithApp> {
    let app = KithApp::in_memory(model, today());
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

fn harness(model: Model) -> Harness<'static, KithApp> {
    harness_sized(model, egui::vec2(1280.0, 800.0))
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
    harness.run_steps(3);
    id
}

fn new_person_form(harness: &mut Harness<'_, KithApp>) {
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(3);
    assert!(harness.state().ui_state.add_person.is_open());
}

fn interests_field_focused(harness: &Harness<'_, KithApp>) -> bool {
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .is_focused()
}

#[test]
fn the_add_person_form_creates_one_person_on_save_and_one_undo_removes_it() {
    let mut harness = harness(demo());
    let before = harness.state().model().people.len();
    new_person_form(&mut harness);
    // Nothing exists until Save.
    assert_eq!(harness.state().model().people.len(), before);
    let name = harness.get_by_role_and_label(Role::TextInput, "Name");
    assert!(name.is_focused(), "the name field has the cursor");
    name.type_text("Maria Lopez");
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "Met at")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Met at")
        .type_text("Chamber breakfast");
    harness.get_by_label("Yesterday").click();
    harness.run_steps(2);
    // Introduced by: search, then click the one found.
    harness
        .get_by_role_and_label(Role::TextInput, "Introduced by")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Introduced by")
        .type_text("whitf");
    harness.run_steps(2);
    // The match in the form (the people list on the left holds her too).
    harness
        .get_all_by_label("Dana Whitfield")
        .last()
        .unwrap()
        .click();
    harness.run_steps(2);
    // Interests: Enter, then a comma, then Tab; the cursor stays throughout.
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .type_text("Sailing");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert!(interests_field_focused(&harness), "focus kept after Enter");
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .type_text("Pottery,");
    harness.run_steps(2);
    assert!(
        interests_field_focused(&harness),
        "focus kept after a comma"
    );
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .type_text("Chess");
    harness.run_steps(1);
    harness.key_press(Key::Tab);
    harness.run_steps(2);
    assert!(
        interests_field_focused(&harness),
        "Tab with text adds, not moves"
    );
    assert_eq!(
        harness.state().model().people.len(),
        before,
        "still nothing created"
    );
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);

    let model = harness.state().model();
    assert_eq!(model.people.len(), before + 1);
    let maria = model
        .people
        .values()
        .find(|p| p.name == "Maria Lopez")
        .unwrap();
    assert_eq!(maria.met.date, Some(today() - chrono::Duration::days(1)));
    assert_eq!(maria.met.place, "Chamber breakfast");
    assert_eq!(maria.interests, ["Sailing", "Pottery", "Chess"]);
    assert_eq!(
        maria.introduced_by,
        Some(person_id(&harness, "Dana Whitfield"))
    );
    let id = maria.id;
    assert_eq!(harness.state().ui_state.selected, Some(id));
    assert_eq!(harness.state().ui_state.view, View::Person);
    assert!(!harness.state().ui_state.add_person.is_open());

    harness.state_mut().push_command(Command::Undo);
    harness.run_steps(3);
    assert_eq!(harness.state().model().people.len(), before);
    assert!(!harness.state().model().people.contains_key(&id));
}

#[test]
fn escape_or_cancel_closes_the_form_and_creates_nothing() {
    let mut harness = harness(demo());
    let before = harness.state().model().people.len();
    new_person_form(&mut harness);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Nobody Really");
    harness.run_steps(2);
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(!harness.state().ui_state.add_person.is_open());
    assert_eq!(harness.state().model().people.len(), before);

    new_person_form(&mut harness);
    // A fresh form: the name typed before is gone.
    assert_eq!(
        harness
            .get_by_role_and_label(Role::TextInput, "Name")
            .value()
            .unwrap_or_default(),
        ""
    );
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(!harness.state().ui_state.add_person.is_open());
    assert_eq!(harness.state().model().people.len(), before);
}

#[test]
fn save_is_disabled_with_a_reason_while_the_name_is_empty() {
    let mut harness = harness(demo());
    let before = harness.state().model().people.len();
    new_person_form(&mut harness);
    harness.get_by_label("Type a name first");
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    assert_eq!(harness.state().model().people.len(), before);
    assert!(harness.state().ui_state.add_person.is_open());
}

#[test]
fn the_typed_date_rejects_31_february_inline_and_never_saves_it() {
    let mut harness = harness(demo());
    let before = harness.state().model().people.len();
    new_person_form(&mut harness);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Ada Park");
    harness.run_steps(2);
    let met_on = harness.get_by_role_and_label(Role::TextInput, "Met on");
    met_on.focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Met on")
        .type_text("31 Feb");
    harness.run_steps(2);
    harness.get_by_label("No such date: February 2026 has 28 days");
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    assert_eq!(harness.state().model().people.len(), before);
    // Fixed, it reads as words and saves.
    let field = harness.get_by_role_and_label(Role::TextInput, "Met on");
    field.focus();
    harness.run_steps(1);
    for _ in 0..6 {
        harness.key_press(Key::Backspace);
    }
    harness
        .get_by_role_and_label(Role::TextInput, "Met on")
        .type_text("20.11.2026");
    harness.run_steps(2);
    harness.get_by_label("Friday 20 November 2026, 2 days ago");
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    let model = harness.state().model();
    let ada = model
        .people
        .values()
        .find(|p| p.name == "Ada Park")
        .unwrap();
    assert_eq!(ada.met.date, NaiveDate::from_ymd_opt(2026, 11, 20));
}

#[test]
fn chip_entry_keeps_focus_after_a_chip_on_a_persons_page() {
    let mut harness = harness(demo());
    let id = open(&mut harness, "Dana Whitfield");
    let field = harness.get_by_role_and_label(Role::TextInput, "Interests");
    field.focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .type_text("Sailing");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(interests_field_focused(&harness));
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .type_text("Pottery");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(interests_field_focused(&harness));
    let interests = &harness.state().model().people[&id].interests;
    assert!(interests.contains(&"Sailing".to_string()), "{interests:?}");
    assert!(interests.contains(&"Pottery".to_string()), "{interests:?}");
}

#[test]
fn keyboard_autocomplete_picks_a_suggestion() {
    let mut harness = harness(demo());
    new_person_form(&mut harness);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Lee Chen");
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::TextInput, "Interests")
        .type_text("cycl");
    harness.run_steps(2);
    // The index suggests the demo's "Cycling"; Down picks it, Enter takes it.
    harness.get_by_label("Cycling");
    harness.key_press(Key::ArrowDown);
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    assert!(interests_field_focused(&harness));
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    let model = harness.state().model();
    let lee = model
        .people
        .values()
        .find(|p| p.name == "Lee Chen")
        .unwrap();
    assert_eq!(lee.interests, ["Cycling"]);
}

#[test]
fn quick_add_state_does_not_carry_over_to_another_person() {
    let mut harness = harness(demo());
    let dana = open(&mut harness, "Dana Whitfield");
    harness.get_by_label("Call").click();
    harness.run_steps(1);
    let note = harness
        .get_all_by_role_and_label(Role::TextInput, "Note")
        .next()
        .unwrap();
    note.focus();
    harness.run_steps(1);
    harness
        .get_all_by_role_and_label(Role::TextInput, "Note")
        .next()
        .unwrap()
        .type_text("About the harbour project");
    harness.run_steps(2);
    let tom = open(&mut harness, "Tom Okafor");
    assert_ne!(dana, tom);
    let note = harness
        .get_all_by_role_and_label(Role::TextInput, "Note")
        .next()
        .unwrap();
    assert_eq!(note.value().unwrap_or_default(), "");
    // The kind starts over too: the add button is for coffee again.
    harness.get_by_label("Add coffee").click();
    harness.run_steps(3);
    let added: Vec<_> = harness
        .state()
        .model()
        .interactions
        .values()
        .filter(|i| i.people == vec![tom] && i.date == today())
        .collect();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].kind, InteractionKind::Coffee);
    assert_eq!(added[0].note, "");
}

#[test]
fn a_recorded_introduction_keeps_its_row_until_the_pointer_leaves() {
    let mut harness = harness(demo());
    harness
        .state_mut()
        .push_command(Command::Show(View::Interests));
    harness.run_steps(5);
    let intros = |harness: &Harness<'_, KithApp>| {
        harness
            .state()
            .model()
            .interactions
            .values()
            .filter(|i| i.kind == InteractionKind::IntroductionMade && i.date == today())
            .count()
    };
    let before = intros(&harness);
    let pair = |harness: &Harness<'_, KithApp>| {
        let first = harness.state().insight().top_candidates(1)[0].clone();
        (first.a, first.b)
    };
    let introduced = pair(&harness);
    let first = harness
        .get_all_by_role_and_label(Role::Button, "Introduce")
        .next()
        .unwrap();
    let spot = first.rect();
    first.click();
    harness.run_steps(3);
    // The composer opens pre-filled; Esc closes it, records nothing, and
    // the row is still where it was.
    assert_eq!(intros(&harness), before);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    let again = harness
        .get_all_by_role_and_label(Role::Button, "Introduce")
        .next()
        .unwrap();
    assert!((again.rect().min.y - spot.min.y).abs() < 1.0);
    again.click();
    harness.run_steps(3);
    // Save records it; Done closes the e-mail step.
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    harness.get_by_role_and_label(Role::Button, "Done").click();
    harness.run_steps(3);
    assert_eq!(intros(&harness), before + 1);
    // Once the pointer is off the list, it shows the network as it is now.
    harness.get_by_label("Shared interests").hover();
    harness.run_steps(5);
    assert_ne!(pair(&harness), introduced);
    assert!(harness.query_by_label("Introduced").is_none());
}

#[test]
fn the_forms_and_views_fit_800_by_600() {
    let mut harness = harness_sized(demo(), egui::vec2(800.0, 600.0));
    new_person_form(&mut harness);
    let save = harness.get_by_role_and_label(Role::Button, "Save");
    assert!(save.rect().max.y <= 600.0 && save.rect().max.x <= 800.0);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    for view in [View::Today, View::Interests, View::Trash] {
        harness.state_mut().push_command(Command::Show(view));
        harness.run_steps(3);
    }
}

#[test]
fn the_new_person_button_opens_the_form_with_the_cursor_in_the_name() {
    let mut harness = harness(demo());
    harness.get_by_label("New person").click();
    harness.run_steps(4);
    assert!(harness.state().ui_state.add_person.is_open());
    assert!(
        harness
            .get_by_role_and_label(Role::TextInput, "Name")
            .is_focused()
    );
}
