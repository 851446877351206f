//! UI tests: drive each panel as a user would and assert the model afterwards.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::{KithApp, View};
use kith::model::{InteractionKind, Label, Model, PartialDate, PersonId, RelationKind};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn demo() -> Model {
    kith::storage::format::demo_model(today()).unwrap()
}

fn harness(model: Model) -> Harness<'static, KithApp> {
    let app = KithApp::in_memory(model, today());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 3000.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

fn person_id(harness: &Harness<'_, KithApp>, name: &str) -> kith::model::PersonId {
    harness
        .state()
        .model()
        .people
        .values()
        .find(|p| p.name == name)
        .unwrap()
        .id
}

/// Open a person's page, as a click in the list would.
fn open(harness: &mut Harness<'_, KithApp>, name: &str) -> PersonId {
    let id = person_id(harness, name);
    harness
        .state_mut()
        .push_command(kith::app::Command::OpenPerson(id));
    harness.run_steps(3);
    id
}

/// Start from a person with no dates or relations, and nobody relating to
/// them (the demo gives some people both).
fn clear_dates_and_relations(harness: &mut Harness<'_, KithApp>, id: PersonId) {
    let people: Vec<_> = harness.state().model().people.values().cloned().collect();
    for mut person in people {
        let before = person.clone();
        if person.id == id {
            person.dates.clear();
            person.relations.clear();
        }
        person.relations.retain(|r| r.person != Some(id));
        if person != before {
            harness.state_mut().push_command(kith::app::Command::Apply(
                kith::action::Action::EditPerson(person),
            ));
        }
    }
    harness.run_steps(3);
}

/// Pick `item` in the open combo box menu (not a namesake elsewhere on the page).
fn pick(harness: &mut Harness<'_, KithApp>, item: &str) {
    harness
        .get_by_role(Role::ListBox)
        .get_by_label(item)
        .click();
    harness.run_steps(3);
}

#[test]
fn search_and_find_a_person() {
    let mut harness = harness(demo());
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .type_text("priya");
    harness.run_steps(3);
    let priya = person_id(&harness, "Priya Nair");
    assert_eq!(harness.state().ui_state.people.rows().first(), Some(&priya));
    // Fuzzy search over interests too.
    harness.state_mut().ui_state.people.query = "boston marathon".into();
    harness.run_steps(2);
    let rows = harness.state().ui_state.people.rows().to_vec();
    assert!(rows.contains(&person_id(&harness, "Dana Whitfield")));
    assert!(rows.contains(&priya));
    harness
        .get_all_by_label("Priya Nair")
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.selected, Some(priya));
    assert_eq!(harness.state().ui_state.view, View::Person);
}

#[test]
fn add_a_person_and_an_interaction_then_undo() {
    let mut harness = harness(demo());
    let before = harness.state().model().people.len();
    // The add-person form: nothing exists until Save.
    harness.get_by_label("New person").click();
    harness.run_steps(3);
    assert_eq!(harness.state().model().people.len(), before);
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Zoe");
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    assert_eq!(harness.state().model().people.len(), before + 1);
    let id = harness.state().ui_state.selected.unwrap();
    assert_eq!(harness.state().model().people[&id].name, "Zoe");

    // Two clicks: choose the kind, then add (date defaults to today).
    harness.get_by_label("Lunch").click();
    harness.run_steps(2);
    harness.get_by_label("Add lunch").click();
    harness.run_steps(3);
    let added: Vec<_> = harness
        .state()
        .model()
        .interactions
        .values()
        .filter(|i| i.people == vec![id])
        .collect();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].kind, InteractionKind::Lunch);
    assert_eq!(added[0].date, today());

    harness.get_by_label("Undo").click();
    harness.run_steps(3);
    assert!(
        harness
            .state()
            .model()
            .interactions
            .values()
            .all(|i| i.people != vec![id])
    );
    harness.get_by_label("Redo").click();
    harness.run_steps(3);
    assert!(
        harness
            .state()
            .model()
            .interactions
            .values()
            .any(|i| i.people == vec![id])
    );
}

#[test]
fn keyboard_shortcuts_undo_and_new_person() {
    let mut harness = harness(demo());
    let before = harness.state().model().people.len();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    harness.run_steps(3);
    // The form has the cursor in its name field; Enter saves.
    harness
        .get_by_role_and_label(Role::TextInput, "Name")
        .type_text("Kim Novak");
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().model().people.len(), before + 1);
    // Leave the focused field, then undo with Ctrl+Z.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    harness.state_mut().push_command(kith::app::Command::Undo);
    harness.run_steps(2);
    assert_eq!(harness.state().model().people.len(), before);
}

#[test]
fn delete_goes_to_trash_and_restores() {
    let mut harness = harness(demo());
    let dana = person_id(&harness, "Dana Whitfield");
    harness
        .state_mut()
        .push_command(kith::app::Command::OpenPerson(dana));
    harness.run_steps(3);
    harness.get_by_label("Delete").click();
    harness.run_steps(3);
    assert!(harness.state().model().people[&dana].deleted);
    assert!(!harness.state().ui_state.people.rows().contains(&dana));
    harness.get_by_label("Trash (1)").click();
    harness.run_steps(3);
    harness.get_by_label("Restore").click();
    harness.run_steps(3);
    assert!(!harness.state().model().people[&dana].deleted);
}

#[test]
fn record_an_introduction() {
    let mut harness = harness(demo());
    harness.get_by_label("Interests").click();
    harness.run_steps(3);
    let before = harness
        .state()
        .model()
        .interactions
        .values()
        .filter(|i| i.kind == InteractionKind::IntroductionMade)
        .count();
    // "Introduce" opens the composer, pre-filled; Save records it.
    harness
        .get_all_by_role_and_label(Role::Button, "Introduce")
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    harness.get_by_role_and_label(Role::Button, "Save").click();
    harness.run_steps(3);
    let intros: Vec<_> = harness
        .state()
        .model()
        .interactions
        .values()
        .filter(|i| i.kind == InteractionKind::IntroductionMade)
        .collect();
    assert_eq!(intros.len(), before + 1);
    let newest = intros.iter().find(|i| i.date == today()).unwrap();
    assert_eq!(newest.people.len(), 2);
    // The pair is now connected, so it is no longer suggested.
    let (a, b) = (newest.people[0], newest.people[1]);
    assert!(harness.state().insight().connected(a, b));
}

#[test]
fn merge_two_interests() {
    let mut harness = harness(demo());
    harness.get_by_label("Interests").click();
    harness.run_steps(3);
    harness
        .get_by_role_and_label(Role::TextInput, "Filter interests")
        .type_text("Cycling");
    harness.run_steps(3);
    harness.get_by_label_contains("Cycling  (").click();
    harness.run_steps(3);
    harness
        .get_by_role_and_label(Role::ComboBox, "Merge into")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Running").click();
    harness.run_steps(3);
    harness.get_by_label("Merge").click();
    harness.run_steps(3);
    let model = harness.state().model();
    assert_eq!(model.interests.resolve("cycling"), "run");
    let tom = model
        .people
        .values()
        .find(|p| p.name == "Tom Okafor")
        .unwrap();
    // Tom's own data is untouched; the catalog folds his interest into Running.
    assert!(tom.interests.contains(&"Cycling".to_string()));
    let running = harness.state().insight().people_with("run");
    assert!(running.contains(&tom.id));
}

#[test]
fn open_a_timeline_mark() {
    let mut harness = harness(demo());
    let dana = person_id(&harness, "Dana Whitfield");
    harness
        .state_mut()
        .push_command(kith::app::Command::OpenPerson(dana));
    harness.run_steps(3);
    let stats = harness.state().insight().stats(dana).clone();
    let (date, interaction) = *stats.interactions.last().unwrap();
    let kind = harness.state().model().interactions[&interaction].kind;
    harness
        .get_by_label(&format!("{} on {date}", kind.label()))
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.timeline.open, Some(interaction));
    // Edit the note from the opened mark and save.
    let note = harness.get_by_role_and_label(Role::TextInput, "Interaction note");
    note.focus();
    note.type_text(" (edited)");
    harness.run_steps(2);
    harness.get_by_label("Save interaction").click_accesskit();
    harness.run_steps(3);
    assert!(
        harness.state().model().interactions[&interaction]
            .note
            .ends_with(" (edited)")
    );
}

#[test]
fn today_view_shows_follow_ups_and_plan() {
    let mut harness = harness(demo());
    harness.run_steps(2);
    harness.get_by_label("This week's plan");
    harness.get_by_label("Follow-ups");
    harness.get_by_label("Re-engage");
}

#[test]
fn command_palette_runs_commands() {
    let mut harness = harness(demo());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    harness
        .get_by_role_and_label(Role::TextInput, "Command")
        .type_text("activity");
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.view, View::Activity);
}

#[test]
fn start_empty_replaces_demo_and_undo_brings_it_back() {
    let mut harness = harness(demo());
    harness.get_by_label("Start empty").click();
    harness.run_steps(3);
    assert!(harness.state().model().people.is_empty());
    harness.get_by_label("Undo").click();
    harness.run_steps(3);
    assert_eq!(harness.state().model().people.len(), 40);
}

#[test]
fn add_an_organization_and_an_event_from_the_you_view() {
    let mut harness = harness(demo());
    harness.get_by_label("You & groups").click();
    harness.run_steps(3);
    let before = harness.state().model().orgs.len();
    let field = harness.get_by_role_and_label(Role::TextInput, "New organization");
    field.focus();
    field.type_text("Rotary Harbor");
    harness.run_steps(2);
    harness.get_by_label("Add organization").click();
    harness.run_steps(3);
    assert_eq!(harness.state().model().orgs.len(), before + 1);
    let event = harness.get_by_role_and_label(Role::TextInput, "Event");
    event.focus();
    event.type_text("Lunch meeting");
    harness.run_steps(2);
    harness.get_by_label("Add event").click_accesskit();
    harness.run_steps(3);
    let org = harness
        .state()
        .model()
        .orgs
        .values()
        .find(|o| o.name == "Rotary Harbor")
        .unwrap();
    assert_eq!(org.events.len(), 1);
    assert_eq!(org.events[0].date, today());
    assert!(org.events[0].attended);
}

#[test]
fn import_preview_then_import_then_undo() {
    let mut harness = harness(demo());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana W.\r\nEMAIL:dana@harborphysio.example\r\nTEL:+1 555 0199\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Quinn Newcomer\r\nEMAIL:quinn@example.org\r\nEND:VCARD\r\n",
    )
    .unwrap();
    kith::app::exchange_view::start_import(&mut harness.state_mut().ui_state.exchange, file);
    // The file is read on a helper thread; give it up to ten seconds.
    for _ in 0..500 {
        harness.run_steps(1);
        if harness.state().ui_state.exchange.preview.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(2);
    harness.get_by_label_contains("1 new people");
    harness.get_by_label_contains("matches Dana Whitfield");
    let before = harness.state().model().clone();
    harness.get_by_label("Import").click();
    harness.run_steps(3);
    let model = harness.state().model();
    assert_eq!(model.people.len(), before.people.len() + 1);
    let dana = model
        .people
        .values()
        .find(|p| p.name == "Dana Whitfield")
        .unwrap();
    assert!(dana.phones.iter().any(|c| c.value == "+1 555 0199"));
    assert!(model.people.values().any(|p| p.name == "Quinn Newcomer"));
    harness.get_by_label("Undo").click();
    harness.run_steps(3);
    assert_eq!(harness.state().model(), &before);
}

#[test]
fn introductions_are_found_in_the_background_after_a_change_and_match_a_fresh_index() {
    let mut app = KithApp::in_memory(demo(), today());
    app.set_background_introductions(true);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 3000.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness
        .state_mut()
        .push_command(kith::app::Command::Show(View::Interests));
    harness.run_steps(2);
    // Give two people rare interests in common: they become the best
    // introduction.
    let ids: Vec<_> = {
        let app = harness.state();
        let live: Vec<_> = app.model().live_people().map(|p| p.id).collect();
        let b = live[1..]
            .iter()
            .find(|b| !app.insight().connected(live[0], **b))
            .copied()
            .unwrap();
        vec![live[0], b]
    };
    for id in &ids {
        let mut person = harness.state().model().people[id].clone();
        for rare in ["Competitive origami", "Bell ringing", "Lichen"] {
            person.interests.push(rare.into());
        }
        harness.state_mut().push_command(kith::app::Command::Apply(
            kith::action::Action::EditPerson(person),
        ));
        harness.run_steps(1);
    }
    harness.state_mut().wait_for_candidates();
    harness.run_steps(2);
    let shown = harness.state().insight().top_candidates_ready(50).unwrap();
    let fresh = kith::insight::Insight::build(harness.state().model()).top_candidates(50);
    assert_eq!(shown.len(), fresh.len());
    for (x, y) in shown.iter().zip(&fresh) {
        assert_eq!((x.a, x.b), (y.a, y.b));
    }
    let (a, b) = (
        &harness.state().model().people[&ids[0]],
        &harness.state().model().people[&ids[1]],
    );
    assert!(
        shown
            .iter()
            .any(|c| [c.a, c.b] == [a.id, b.id] || [c.a, c.b] == [b.id, a.id]),
        "the new shared interest makes {} and {} a suggestion",
        a.name,
        b.name
    );
    // The Interests view lists it (not the "finding" placeholder).
    assert!(
        harness.query_all_by_label(&a.name).count() >= 2,
        "in the people list and among the introductions"
    );
    assert!(
        harness
            .query_by_label_contains("Finding the best introductions")
            .is_none()
    );
}

#[test]
fn edit_a_phone_label_then_a_custom_one_then_undo() {
    let mut harness = harness(demo());
    let dana = open(&mut harness, "Dana Whitfield");
    let edits = harness.state().doc().undo_label();
    let first = harness.state().model().people[&dana].phones[0]
        .label
        .clone();
    assert_ne!(first, Label::Mobile);
    harness
        .get_by_role_and_label(Role::ComboBox, "Phone label")
        .click();
    harness.run_steps(2);
    pick(&mut harness, "mobile");
    let phone = harness.state().model().people[&dana].phones[0].clone();
    assert_eq!(phone.value, "+1 617 555 0100");
    assert_eq!(phone.label, Label::Mobile);

    // A label of one's own.
    harness
        .get_by_role_and_label(Role::ComboBox, "Phone label")
        .click();
    harness.run_steps(2);
    pick(&mut harness, "Custom…");
    harness
        .get_by_role_and_label(Role::TextInput, "Custom phone label")
        .type_text("studio");
    harness.run_steps(1);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert_eq!(
        harness.state().model().people[&dana].phones[0].label,
        Label::Custom("studio".into())
    );
    // Each committed edit is one undo step.
    harness.get_by_label("Undo").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().model().people[&dana].phones[0].label,
        Label::Mobile
    );
    harness.get_by_label("Undo").click();
    harness.run_steps(3);
    assert_eq!(harness.state().model().people[&dana].phones[0].label, first);
    assert_eq!(harness.state().doc().undo_label(), edits);
}

#[test]
fn add_an_email_and_mark_it_preferred() {
    let mut harness = harness(demo());
    let dana = open(&mut harness, "Dana Whitfield");
    harness.get_by_label("Add e-mail").click();
    harness.run_steps(2);
    // The new row has the cursor.
    harness
        .get_all_by_role_and_label(Role::TextInput, "E-mail")
        .last()
        .unwrap()
        .type_text("dana@home.example ");
    harness.run_steps(1);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    let person = &harness.state().model().people[&dana];
    let emails: Vec<&str> = person.emails.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(
        emails,
        vec!["dana@harborphysio.example", "dana@home.example"]
    );
    // The first is primary while none is preferred.
    assert_eq!(person.primary_email(), Some("dana@harborphysio.example"));
    harness
        .get_all_by_role_and_label(Role::RadioButton, "Preferred e-mail")
        .nth(1)
        .unwrap()
        .click();
    harness.run_steps(3);
    let person = &harness.state().model().people[&dana];
    assert_eq!(person.primary_email(), Some("dana@home.example"));
    assert!(!person.emails[0].preferred);

    // An added row left empty is not saved.
    harness.get_by_label("Add e-mail").click();
    harness.run_steps(2);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert_eq!(harness.state().model().people[&dana].emails.len(), 2);
}

#[test]
fn a_year_less_birthday_comes_up_on_today() {
    let mut harness = harness(demo());
    let dana = person_id(&harness, "Dana Whitfield");
    clear_dates_and_relations(&mut harness, dana);
    // What Today lists 8 days ahead before (the demo has birthdays too).
    let in_8_days =
        |harness: &Harness<'_, KithApp>| harness.query_all_by_label("in 8 days").count();
    let before = in_8_days(&harness);
    open(&mut harness, "Dana Whitfield");
    harness.get_by_label("Add date").click();
    harness.run_steps(2);
    // The day field has the cursor.
    harness
        .get_by_role_and_label(Role::TextInput, "Birthday day")
        .type_text("30");
    harness.run_steps(1);
    harness
        .get_by_role_and_label(Role::ComboBox, "Birthday month")
        .click();
    harness.run_steps(2);
    pick(&mut harness, "February");
    // An impossible date is shown, not saved.
    harness.get_by_label("There is no 30 February.");
    assert!(harness.state().model().people[&dana].dates.is_empty());
    harness
        .get_by_role_and_label(Role::ComboBox, "Birthday month")
        .click();
    harness.run_steps(2);
    pick(&mut harness, "November");
    assert!(harness.query_by_label("There is no 30 February.").is_none());
    assert_eq!(
        harness.state().model().people[&dana].birthday(),
        PartialDate::new(None, Some(11), Some(30)).as_ref()
    );
    // The row says when it comes round.
    harness.get_by_label("in 8 days");

    // Today lists it under Coming up, from someone else's page too.
    open(&mut harness, "Priya Nair");
    harness
        .state_mut()
        .push_command(kith::app::Command::Show(View::Today));
    harness.run_steps(3);
    harness.get_by_label("Coming up");
    assert_eq!(in_8_days(&harness), before + 1);
    // Clicking the name opens the person.
    harness
        .get_all_by_role_and_label(Role::Link, "Dana Whitfield")
        .last()
        .unwrap()
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.view, View::Person);
    assert_eq!(harness.state().ui_state.selected, Some(dana));
}

#[test]
fn a_relation_shows_its_inverse_on_the_other_page() {
    let mut harness = harness(demo());
    let dana = person_id(&harness, "Dana Whitfield");
    let priya = person_id(&harness, "Priya Nair");
    clear_dates_and_relations(&mut harness, dana);
    clear_dates_and_relations(&mut harness, priya);
    open(&mut harness, "Dana Whitfield");
    harness.get_by_label("Add relationship").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::ComboBox, "Relationship person")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role(Role::ListBox)
        .get_by_role_and_label(Role::TextInput, "Find person")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role(Role::ListBox)
        .get_by_role_and_label(Role::TextInput, "Find person")
        .type_text("priya");
    harness.run_steps(2);
    pick(&mut harness, "Priya Nair");
    harness
        .get_by_role_and_label(Role::ComboBox, "Relationship kind")
        .click();
    harness.run_steps(2);
    pick(&mut harness, "parent");
    let relations = harness.state().model().people[&dana].relations.clone();
    assert_eq!(relations.len(), 1);
    assert_eq!(relations[0].kind, RelationKind::Parent);
    assert_eq!(relations[0].person, Some(priya));
    assert_eq!(relations[0].name, "Priya Nair");

    // Priya's page shows Dana as her child, read from Dana's page.
    harness
        .get_all_by_role_and_label(Role::Link, "Priya Nair")
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.selected, Some(priya));
    harness.get_by_label("child");
    harness.get_by_label("(from their page)");
    assert!(
        harness.state().model().people[&priya].relations.is_empty(),
        "nothing is written on Priya's record"
    );
    harness
        .get_all_by_role_and_label(Role::Link, "Dana Whitfield")
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.selected, Some(dana));
}
