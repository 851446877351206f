//! UI tests of the Activity view: its charts, the network-wide timeline's
//! stage filter and opening a person from their lane. The clock is fixed.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use kith::app::{Command, KithApp, View};
use kith::model::{Model, PersonId, Stage};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn demo() -> Model {
    kith::storage::format::demo_model(today()).unwrap()
}

/// The demo network on the Activity view, in a window tall enough that
/// every section is on screen.
fn activity() -> Harness<'static, KithApp> {
    let mut app = KithApp::in_memory(demo(), today());
    app.push_command(Command::Show(View::Activity));
    app.apply_commands();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 2600.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

/// The names of the people whose lanes are on screen, top to bottom.
fn lanes(harness: &Harness<'_, KithApp>) -> Vec<String> {
    harness
        .query_all_by_label_contains("Timeline of ")
        .filter_map(|node| {
            let label = node.accesskit_node().label()?;
            let rest = label.strip_prefix("Timeline of ")?;
            Some(rest.split(':').next()?.to_string())
        })
        .collect()
}

fn stage_of(harness: &Harness<'_, KithApp>, name: &str) -> Stage {
    harness
        .state()
        .model()
        .people
        .values()
        .find(|p| p.name == name)
        .unwrap()
        .stage
}

fn filter_by_stage(harness: &mut Harness<'_, KithApp>, stage: &str) {
    harness
        .get_by_role_and_label(Role::ComboBox, "At stage")
        .click();
    harness.run_steps(3);
    harness
        .get_by_role(Role::ListBox)
        .get_by_label(stage)
        .click();
    harness.run_steps(3);
}

#[test]
fn activity_shows_its_charts() {
    let harness = activity();
    for heading in [
        "Network activity",
        "Interactions per week",
        "Activity by day",
        "Who you saw",
        "Depth: know, like, trust",
        "Gone quiet",
        "Top introducers",
        "Showing up",
    ] {
        harness.get_by_label(heading);
    }
    // The weekly chart's legend names the kinds of the year, each a toggle.
    assert!(
        harness
            .query_all_by_label_contains("Show ")
            .any(|n| n.accesskit_node().role() == Role::CheckBox),
        "the legend lists kinds"
    );
    harness.get_by_label_contains("in the last year, on");
    harness.get_by_label_contains("Know: ");
    assert!(!lanes(&harness).is_empty(), "the timeline has lanes");
}

#[test]
fn hiding_a_kind_in_the_legend_unchecks_it() {
    let mut harness = activity();
    let label = harness
        .query_all_by_label_contains("Show ")
        .find(|n| n.accesskit_node().role() == Role::CheckBox)
        .and_then(|n| n.accesskit_node().label())
        .unwrap();
    harness.get_by_label(&label).click();
    harness.run_steps(3);
    assert_eq!(
        harness.get_by_label(&label).accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::False)
    );
}

#[test]
fn filtering_the_timeline_by_stage_changes_the_lanes() {
    let mut harness = activity();
    let all = lanes(&harness);
    let model = harness.state().model().clone();
    let trusted: Vec<&String> = all
        .iter()
        .filter(|name| {
            model
                .people
                .values()
                .any(|p| &&p.name == name && p.stage == Stage::Trust)
        })
        .collect();
    assert!(
        !trusted.is_empty(),
        "the demo has trusted people seen this year"
    );
    assert!(trusted.len() < all.len());
    filter_by_stage(&mut harness, "Trust");
    let shown = lanes(&harness);
    assert_ne!(shown, all);
    assert!(!shown.is_empty());
    for name in &shown {
        assert_eq!(stage_of(&harness, name), Stage::Trust, "{name}");
    }
    harness.get_by_label_contains("people seen in the last year match");
    harness
        .get_by_role_and_label(Role::Button, "Clear filters")
        .click();
    harness.run_steps(3);
    assert_eq!(lanes(&harness), all);
}

#[test]
fn clicking_a_lane_name_opens_that_person() {
    let mut harness = activity();
    filter_by_stage(&mut harness, "Like");
    // Someone whose name is a link only on their lane (not also in the
    // lists under the timeline).
    let name = lanes(&harness)
        .into_iter()
        .find(|name| {
            harness
                .query_all_by_role_and_label(Role::Link, name)
                .count()
                == 1
        })
        .unwrap();
    let id: PersonId = harness
        .state()
        .model()
        .people
        .values()
        .find(|p| p.name == name)
        .unwrap()
        .id;
    harness.get_by_role_and_label(Role::Link, &name).click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.selected, Some(id));
    assert_eq!(harness.state().ui_state.view, View::Person);
}

#[test]
fn the_activity_view_fits_800_by_600() {
    let mut app = KithApp::in_memory(demo(), today());
    app.push_command(Command::Show(View::Activity));
    app.apply_commands();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(800.0, 600.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness.get_by_label("Interactions per week");
    harness.get_by_label("Activity by day");
}

#[test]
fn counted_in_slices_the_charts_stay_up_and_catch_up_with_an_edit() {
    let mut app = KithApp::in_memory(demo(), today());
    app.ui_state.activity.set_sliced(true);
    app.push_command(Command::Show(View::Activity));
    app.apply_commands();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 2600.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    // The first count runs over a few frames (a spinner meanwhile).
    for _ in 0..20 {
        harness.step();
        if !harness.state().ui_state.activity.is_computing() {
            break;
        }
    }
    harness.step();
    assert!(!harness.state().ui_state.activity.is_computing());
    let before = harness.state().model().interactions.len();
    harness.get_by_label_contains("Network activity");
    let person = harness
        .state()
        .model()
        .live_people()
        .next()
        .map(|p| p.id)
        .unwrap();
    let coffee =
        kith::model::Interaction::new(today(), kith::model::InteractionKind::Coffee, vec![person]);
    harness
        .state_mut()
        .push_command(Command::Apply(kith::action::Action::AddInteraction(coffee)));
    let old = summary(&harness);
    harness.step();
    harness.step();
    // The previous charts stay on screen while the new count runs.
    assert!(harness.state().ui_state.activity.is_computing());
    assert_eq!(summary(&harness), old);
    for _ in 0..20 {
        harness.step();
        if !harness.state().ui_state.activity.is_computing() {
            break;
        }
    }
    assert!(!harness.state().ui_state.activity.is_computing());
    assert_eq!(harness.state().model().interactions.len(), before + 1);
    harness.step();
    let count = |text: &str| -> u32 { text.split(' ').next().unwrap().parse().unwrap() };
    assert_eq!(count(&summary(&harness)), count(&old) + 1, "{old}");
}

/// The view's one-line summary ("N interactions with M people in the last
/// year.").
fn summary(harness: &Harness<'_, KithApp>) -> String {
    let node = harness.get_by_label_contains("people in the last year.");
    let node = node.accesskit_node();
    node.label()
        .or_else(|| node.value())
        .unwrap_or_default()
        .to_string()
}
