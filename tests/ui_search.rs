//! UI tests of search as a user types it: typos in the people list, "did
//! you mean", Esc and Ctrl+F in the search box, and the command palette's
//! typo-tolerant commands and people.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::{KithApp, View};
use kith::model::{Model, Person, PersonId};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// The demo network and Maria Lopez.
fn model() -> (Model, PersonId) {
    let mut model = kith::storage::format::demo_model(today()).unwrap();
    let mut maria = Person::new("Maria Lopez");
    maria.organization = "Lopez Bakery".into();
    let id = maria.id;
    model.people.insert(id, maria);
    (model, id)
}

fn harness(model: Model, size: egui::Vec2) -> Harness<'static, KithApp> {
    let app = KithApp::in_memory(model, today());
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

fn small() -> egui::Vec2 {
    egui::vec2(800.0, 600.0)
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

/// Type `text` into the people search box.
fn search(harness: &mut Harness<'_, KithApp>, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::TextInput, "Search")
        .type_text(text);
    harness.run_steps(3);
}

#[test]
fn a_typo_or_a_swap_still_finds_the_person() {
    let (model, maria) = model();
    let mut harness = harness(model, small());
    search(&mut harness, "marai");
    assert_eq!(harness.state().ui_state.people.rows().first(), Some(&maria));
    harness.get_by_label("Maria Lopez");
    // A longer word forgives a swap too.
    harness.state_mut().ui_state.people.query = "Whitfeild".into();
    harness.run_steps(2);
    let dana = person_id(&harness, "Dana Whitfield");
    assert_eq!(harness.state().ui_state.people.rows(), &[dana]);
}

#[test]
fn nothing_matches_gives_a_hint_or_a_suggestion_that_fills_the_query() {
    let (model, maria) = model();
    let mut harness = harness(model, small());
    search(&mut harness, "zzqq");
    assert!(harness.state().ui_state.people.rows().is_empty());
    assert!(
        harness.query_by_label_contains("No one matches").is_some(),
        "a hint when nothing matches"
    );
    // Two edits from "maria": nobody matches, "maria" is offered.
    harness.state_mut().ui_state.people.query = "mraai".into();
    harness.run_steps(3);
    assert!(harness.state().ui_state.people.rows().is_empty());
    harness.get_by_label_contains("Did you mean");
    let link = harness.get_by_role_and_label(Role::Link, "maria");
    link.click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.people.query, "maria");
    assert_eq!(harness.state().ui_state.people.rows().first(), Some(&maria));
}

#[test]
fn escape_clears_the_search_box() {
    let (model, _) = model();
    let mut harness = harness(model, small());
    search(&mut harness, "dana");
    let dana = person_id(&harness, "Dana Whitfield");
    let found = harness.state().ui_state.people.rows().len();
    assert_eq!(harness.state().ui_state.people.rows().first(), Some(&dana));
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.people.query, "");
    assert!(harness.state().ui_state.people.rows().len() > found);
}

#[test]
fn ctrl_f_selects_the_text_so_typing_replaces_it() {
    let (model, _) = model();
    let mut harness = harness(model, small());
    harness.state_mut().ui_state.people.query = "dana".into();
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    harness.run_steps(3);
    harness.event(egui::Event::Text("raj".into()));
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.people.query, "raj");
    let raj = person_id(&harness, "Raj Patel");
    assert_eq!(harness.state().ui_state.people.rows().first(), Some(&raj));
}

/// Open the palette with Ctrl+K, type `text`, press Enter.
fn palette(harness: &mut Harness<'_, KithApp>, text: &str) {
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    harness
        .get_by_role_and_label(Role::TextInput, "Command")
        .type_text(text);
    harness.run_steps(2);
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
}

#[test]
fn the_palette_forgives_typos_in_commands_and_names() {
    let (model, maria) = model();
    let mut harness = harness(model, small());
    palette(&mut harness, "intrests");
    assert_eq!(harness.state().ui_state.view, View::Interests);
    palette(&mut harness, "actvity");
    assert_eq!(harness.state().ui_state.view, View::Activity);
    // People come from the same search as the list.
    palette(&mut harness, "marai");
    assert_eq!(harness.state().ui_state.selected, Some(maria));
    assert_eq!(harness.state().ui_state.view, View::Person);
}

#[test]
fn the_palette_sets_the_theme_and_the_zoom() {
    let (model, _) = model();
    let mut harness = harness(model, egui::vec2(1280.0, 800.0));
    palette(&mut harness, "theme dark");
    assert_eq!(
        harness.ctx.options(|o| o.theme_preference),
        egui::ThemePreference::Dark
    );
    palette(&mut harness, "theme light");
    assert_eq!(harness.ctx.theme(), egui::Theme::Light);
    palette(&mut harness, "zoom in");
    assert!((harness.ctx.zoom_factor() - 1.1).abs() < 1e-3);
    palette(&mut harness, "zoom reset");
    assert!((harness.ctx.zoom_factor() - 1.0).abs() < 1e-3);
}

#[test]
fn the_palette_lists_import_export_and_the_side_panel() {
    let (model, _) = model();
    let mut harness = harness(model, small());
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    harness.run_steps(3);
    harness
        .get_by_role_and_label(Role::TextInput, "Command")
        .type_text("exprt");
    harness.run_steps(2);
    for kind in [
        "vCard 4.0",
        "vCard 3.0 (older clients)",
        "Google Contacts CSV",
    ] {
        assert!(
            harness.query_by_label(&format!("Export {kind}")).is_some(),
            "{kind}"
        );
    }
    assert!(harness.query_by_label("Go to Today").is_none(), "filtered");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    palette(&mut harness, "side panel");
    assert!(harness.state().ui_state.side_panel_hidden);
}
