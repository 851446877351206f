//! UI tests of the network map: click a person to open them, focus on
//! someone's two-hop neighbourhood, toggle kinds of link. In-memory apps
//! lay the map out at once, so every frame is deterministic.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::{Command, KithApp, View};
use kith::insight::graph::EdgeKind;
use kith::model::{Model, Person, PersonId};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn map(model: Model, size: egui::Vec2) -> Harness<'static, KithApp> {
    let mut app = KithApp::in_memory(model, today());
    app.push_command(Command::Show(View::Map));
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(4);
    harness
}

fn person(name: &str) -> Person {
    Person {
        id: PersonId::new_random(),
        name: name.into(),
        ..Default::default()
    }
}

/// A -> B -> C -> D introductions, E at A's employer, F alone.
fn chain() -> (Model, Vec<PersonId>) {
    let mut people: Vec<Person> = [
        "Ana Lima", "Ben Ode", "Cy Park", "Dee Roy", "Eve Sand", "Fay Tun",
    ]
    .iter()
    .map(|n| person(n))
    .collect();
    for i in 1..4 {
        people[i].introduced_by = Some(people[i - 1].id);
    }
    people[0].organization = "Acme".into();
    people[4].organization = "Acme".into();
    let ids = people.iter().map(|p| p.id).collect();
    let mut model = Model::default();
    for p in people {
        model.people.insert(p.id, p);
    }
    (model, ids)
}

fn click_at(harness: &mut Harness<'_, KithApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.run_steps(2);
    harness.drag_at(pos);
    harness.run_steps(1);
    harness.drop_at(pos);
    harness.run_steps(3);
}

#[test]
fn clicking_a_person_on_the_map_opens_them() {
    let model = kith::storage::format::demo_model(today()).unwrap();
    let mut harness = map(model, egui::vec2(1280.0, 800.0));
    assert!(harness.state().ui_state.map.layout_done());
    // The person furthest from everyone else, so the click is unambiguous.
    let map = &harness.state().ui_state.map;
    let shown = map.shown_people();
    let positions: Vec<(PersonId, egui::Pos2)> = shown
        .iter()
        .filter_map(|id| Some((*id, map.screen_position(*id)?)))
        .collect();
    assert!(positions.len() > 10, "the demo's people are on the map");
    let (target, pos) = positions
        .iter()
        .map(|(id, p)| {
            let nearest = positions
                .iter()
                .filter(|(other, _)| other != id)
                .map(|(_, q)| p.distance(*q))
                .fold(f32::MAX, f32::min);
            (nearest, *id, *p)
        })
        .max_by(|x, y| x.0.total_cmp(&y.0))
        .map(|(_, id, p)| (id, p))
        .unwrap();
    click_at(&mut harness, pos);
    assert_eq!(harness.state().ui_state.view, View::Person);
    assert_eq!(harness.state().ui_state.selected, Some(target));
}

#[test]
fn focus_shows_the_two_hop_neighbourhood() {
    let (model, ids) = chain();
    let mut harness = map(model, egui::vec2(1280.0, 800.0));
    assert_eq!(harness.state().ui_state.map.shown_people().len(), 6);
    harness
        .get_by_role_and_label(Role::ComboBox, "Focus on")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Find person").type_text("Ana");
    harness.run_steps(2);
    harness
        .get_by_role(Role::ListBox)
        .get_by_label("Ana Lima")
        .click();
    harness.run_steps(3);
    let mut shown = harness.state().ui_state.map.shown_people();
    shown.sort();
    // Ana, Ben (1), Cy (2), Eve (1, same employer); not Dee (3) nor Fay.
    let mut expected = vec![ids[0], ids[1], ids[2], ids[4]];
    expected.sort();
    assert_eq!(shown, expected);
    harness.get_by_label("Showing Ana Lima and 3 people within two steps");
    assert_eq!(harness.state().ui_state.map.figures().nodes, 4);
    // Reset view shows everyone again.
    harness.get_by_label("Reset view").click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.map.shown_people().len(), 6);
}

#[test]
fn focus_from_the_context_menu() {
    let (model, ids) = chain();
    let mut harness = map(model, egui::vec2(1280.0, 800.0));
    let pos = harness
        .state()
        .ui_state
        .map
        .screen_position(ids[3])
        .unwrap();
    harness.hover_at(pos);
    harness.run_steps(2);
    harness.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Secondary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    harness.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Secondary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    harness.run_steps(3);
    harness.get_by_label("Focus on this person").click();
    harness.run_steps(3);
    let mut shown = harness.state().ui_state.map.shown_people();
    shown.sort();
    // Dee: Cy (1), Ben (2).
    let mut expected = vec![ids[1], ids[2], ids[3]];
    expected.sort();
    assert_eq!(shown, expected);
}

#[test]
fn toggles_hide_kinds_of_link() {
    let (model, _) = chain();
    let mut harness = map(model, egui::vec2(1280.0, 800.0));
    let figures = harness.state().ui_state.map.figures();
    assert_eq!(figures.edges[EdgeKind::Introduction.index()], 3);
    assert_eq!(figures.edges[EdgeKind::Organization.index()], 1);
    harness.get_by_label("Organizations (1)").click();
    harness.run_steps(3);
    let figures = harness.state().ui_state.map.figures();
    assert_eq!(figures.edges[EdgeKind::Organization.index()], 0);
    assert_eq!(figures.edges[EdgeKind::Introduction.index()], 3);
    assert!(!harness.state().ui_state.map.showing(EdgeKind::Organization));
    harness.get_by_label("Introductions (3)").click();
    harness.run_steps(3);
    let figures = harness.state().ui_state.map.figures();
    assert_eq!(figures.edges.iter().sum::<usize>(), 0);
}

#[test]
fn the_map_fits_a_small_window_and_survives_switching_views() {
    let model = kith::storage::format::demo_model(today()).unwrap();
    let mut harness = map(model, egui::vec2(800.0, 600.0));
    let before = harness.state().ui_state.map.shown_people();
    let first = before[0];
    let at = harness.state().ui_state.map.screen_position(first).unwrap();
    harness.state_mut().push_command(Command::Show(View::Today));
    harness.run_steps(2);
    harness.state_mut().push_command(Command::Show(View::Map));
    harness.run_steps(2);
    // Same layout, same place: kept across view switches.
    let again = harness.state().ui_state.map.screen_position(first).unwrap();
    assert!(at.distance(again) < 0.5, "{at:?} vs {again:?}");
    assert!(harness.state().ui_state.map.figures().nodes > 10);
}
