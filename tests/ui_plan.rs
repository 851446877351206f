//! UI tests of Today's "This week's plan" on the demo network: its four
//! rows, the Introduce button that opens the composer pre-filled, a name
//! that opens the person, your participation beside each group's next
//! event, and the advice to stay active after stepping down from a role.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::{Command, KithApp, View};
use kith::insight::plan::{WeeklyPlan, weekly_plan};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn harness() -> Harness<'static, KithApp> {
    let model = kith::storage::format::demo_model(today()).unwrap();
    let app = KithApp::in_memory(model, today());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1400.0, 3000.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

fn plan(harness: &Harness<'_, KithApp>) -> WeeklyPlan {
    let app = harness.state();
    weekly_plan(app.model(), app.insight(), today())
}

#[test]
fn the_plan_has_one_of_each_with_participation() {
    let harness = harness();
    let plan = plan(&harness);
    let (Some(quiet), Some(give), Some(pair), Some(event)) =
        (&plan.re_engage, &plan.give, &plan.introduction, &plan.event)
    else {
        panic!("the demo plan has one of each: {plan:?}");
    };
    harness.get_by_label("This week's plan");
    for caption in ["Get back in touch", "Give first", "Show up"] {
        harness.get_by_label(caption);
    }
    for name in [&quiet.name, &give.name, &pair.a.name, &pair.b.name] {
        assert!(
            harness.query_all_by_label(name).count() > 0,
            "{name} is shown"
        );
    }
    // The event is the group you stepped down in, with your attendance.
    let ended = event.role_ended.as_ref().unwrap();
    harness.get_by_label(&ended.advice());
    let participation = format!("· you: {}", event.participation.label());
    assert!(harness.query_all_by_label(&participation).count() >= 2);
}

#[test]
fn introduce_in_the_plan_opens_the_composer_with_the_pair() {
    let mut harness = harness();
    let pair = plan(&harness).introduction.unwrap();
    // The plan is Today's last section: its Introduce is the last one.
    harness
        .get_all_by_role_and_label(Role::Button, "Introduce")
        .last()
        .unwrap()
        .click();
    harness.run_steps(3);
    for name in [&pair.a.name, &pair.b.name] {
        harness.get_by_role_and_label(Role::Button, &format!("Remove {name}"));
    }
    let why = harness
        .get_by_role_and_label(Role::MultilineTextInput, "Why")
        .value()
        .unwrap_or_default();
    assert!(!why.is_empty());
}

#[test]
fn a_name_in_the_plan_opens_the_person() {
    let mut harness = harness();
    let quiet = plan(&harness).re_engage.unwrap();
    // The plan's link is the last one with that name on Today.
    harness
        .get_all_by_role_and_label(Role::Link, &quiet.name)
        .last()
        .unwrap()
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().ui_state.view, View::Person);
    assert_eq!(harness.state().ui_state.selected, Some(quiet.id));
}

#[test]
fn you_and_groups_advise_staying_active_where_the_role_ended() {
    let mut harness = harness();
    let event = plan(&harness).event.unwrap();
    let ended = event.role_ended.unwrap();
    harness.state_mut().push_command(Command::Show(View::You));
    harness.run_steps(3);
    harness
        .get_by_label_contains(&format!("{}  (", ended.org_name))
        .click();
    harness.run_steps(3);
    harness.get_by_label(&ended.advice());
}
