//! The shell around the views: the top bar keeps still while saving, fits
//! at 800x600, and the side panel folds away (button and Ctrl+B).

#![allow(clippy::unwrap_used)]

use egui::{Rect, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::action::Action;
use kith::app::KithApp;
use std::path::Path;

/// An app on a fresh folder (the demo, not yet saved), loaded.
fn on_folder(folder: &Path, size: egui::Vec2) -> Harness<'static, KithApp> {
    let mut app = KithApp::open_folder_with_cache(folder, None);
    app.set_background_introductions(false);
    app.wait_until_loaded();
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(4);
    harness
}

/// Where a top-bar button and the people list's first row are.
fn landmarks(harness: &Harness<'_, KithApp>) -> (Rect, Rect) {
    let button = harness
        .get_by_role_and_label(Role::Button, "Commands")
        .rect();
    let first = harness.state().ui_state.people.rows()[0];
    let name = harness.state().model().people[&first].name.clone();
    // The name may show in the central view too: the list's is leftmost.
    let row = harness
        .get_all_by_label(&name)
        .map(|node| node.rect())
        .min_by(|a, b| a.left().total_cmp(&b.left()))
        .unwrap();
    (button, row)
}

/// Change a person's notes (nothing the list or the bar shows).
fn edit_notes(harness: &mut Harness<'_, KithApp>) {
    let mut person = harness
        .state()
        .model()
        .live_people()
        .next()
        .unwrap()
        .clone();
    person.notes.push_str(" More.");
    harness
        .state_mut()
        .push_command(kith::app::Command::Apply(Action::EditPerson(person)));
    harness.run_steps(2);
}

fn top_bar_stays_put(size: egui::Vec2) {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = on_folder(&dir.path().join("data"), size);
    harness.get_by_label("Saving...");
    let dirty = landmarks(&harness);
    harness.state_mut().save();
    harness.run_steps(2);
    harness.get_by_label("Saved");
    assert_eq!(landmarks(&harness), dirty, "saved vs dirty at {size:?}");
    edit_notes(&mut harness);
    harness.get_by_label("Saving...");
    assert_eq!(landmarks(&harness), dirty, "dirty again at {size:?}");
    // Nothing in the bar runs off the window.
    for label in [
        "Theme",
        "Commands",
        "You & groups",
        "Saving...",
        "People list",
    ] {
        let rect = harness.get_by_label(label).rect();
        assert!(
            rect.right() <= size.x && rect.bottom() <= size.y,
            "{label} at {rect:?} is clipped at {size:?}"
        );
    }
}

#[test]
fn top_bar_and_list_do_not_move_while_saving_at_800x600() {
    top_bar_stays_put(egui::vec2(800.0, 600.0));
}

#[test]
fn top_bar_and_list_do_not_move_while_saving_at_1280x800() {
    top_bar_stays_put(egui::vec2(1280.0, 800.0));
}

#[test]
fn top_bar_takes_one_row_when_it_fits_at_2560x1440() {
    let size = egui::vec2(2560.0, 1440.0);
    top_bar_stays_put(size);
    let dir = tempfile::tempdir().unwrap();
    let harness = on_folder(&dir.path().join("data"), size);
    let tab = harness.get_by_label("Today").rect();
    let action = harness
        .get_by_role_and_label(Role::Button, "Commands")
        .rect();
    let status = harness.get_by_label("Saving...").rect();
    assert_eq!(
        tab.center().y,
        action.center().y,
        "tabs and actions share a row"
    );
    assert_eq!(tab.center().y, status.center().y, "and the status too");
}

#[test]
fn at_800x600_the_bar_takes_two_rows_of_fixed_height() {
    let dir = tempfile::tempdir().unwrap();
    let harness = on_folder(&dir.path().join("data"), egui::vec2(800.0, 600.0));
    let tab = harness.get_by_label("Today").rect();
    let action = harness
        .get_by_role_and_label(Role::Button, "Commands")
        .rect();
    assert!(action.top() >= tab.bottom(), "actions on the second row");
}

#[test]
fn the_demo_banner_counts_the_people_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = on_folder(&dir.path().join("data"), egui::vec2(1280.0, 800.0));
    harness.get_by_label_contains("demo network of 40 people");
    harness
        .state_mut()
        .push_command(kith::app::Command::Apply(Action::AddPerson(
            kith::model::Person::new("Maria Lopez"),
        )));
    harness.run_steps(2);
    harness.get_by_label_contains("demo network of 41 people");
}

#[test]
fn the_side_panel_folds_away_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let size = egui::vec2(800.0, 600.0);
    let mut harness = on_folder(&dir.path().join("data"), size);
    // At 800x600 the list leaves most of the window to the central view.
    let search = harness.get_by_label("Search").rect();
    assert!(search.right() < size.x * 0.4, "list too wide: {search:?}");
    // Ctrl+B hides it...
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    harness.run_steps(2);
    assert!(harness.state().ui_state.side_panel_hidden);
    assert!(harness.query_by_label("Search").is_none());
    // ...the button brings it back, and Ctrl+B hides it again.
    harness.get_by_label("People list").click();
    harness.run_steps(2);
    assert!(!harness.state().ui_state.side_panel_hidden);
    harness.get_by_label("Search");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::B);
    harness.run_steps(2);
    assert!(harness.state().ui_state.side_panel_hidden);
}
