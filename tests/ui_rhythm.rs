//! UI tests of keeping in touch in the user's rhythm: snoozing a follow-up,
//! "Done…" asking what happened, and setting a person's rhythm from
//! Re-engage and from their page (fixed clock, Sunday 2026-11-22).

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use kith::app::{Command, KithApp};
use kith::model::{Interaction, InteractionId, InteractionKind, Model, Person, PersonId, Stage};

fn today() -> NaiveDate {
    day(11, 22)
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn harness(model: Model) -> Harness<'static, KithApp> {
    let app = KithApp::in_memory(model, today());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 1400.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

/// Ann Lee, with a coffee on 12 Nov whose follow-up is due today.
fn coffee_due_today() -> (Model, PersonId, InteractionId) {
    let mut model = Model::default();
    let mut ann = Person::new("Ann Lee");
    ann.stage = Stage::Like;
    let ann_id = ann.id;
    model.people.insert(ann.id, ann);
    let mut coffee = Interaction::new(day(11, 12), InteractionKind::Coffee, vec![ann_id]);
    coffee.follow_up = Some(today());
    let coffee_id = coffee.id;
    model.interactions.insert(coffee.id, coffee);
    (model, ann_id, coffee_id)
}

fn click(harness: &mut Harness<'_, KithApp>, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

#[test]
fn snooze_tomorrow_moves_the_row_and_says_since_when() {
    let (model, _, coffee) = coffee_due_today();
    let mut harness = harness(model);
    harness.get_by_label("Due today");
    click(&mut harness, "Snooze…");
    click(&mut harness, "Tomorrow (23 Nov)");
    let moved = &harness.state().model().interactions[&coffee];
    assert_eq!(moved.follow_up, Some(day(11, 23)));
    assert_eq!(moved.snoozed_from, Some(today()));
    assert!(!moved.follow_up_done);
    // The row moved from "Due today" to the next two weeks, and says so.
    assert!(harness.query_by_label("Due today").is_none());
    harness.get_by_label("Next two weeks");
    harness.get_by_label("· snoozed from 22 Nov");

    // Snoozed again, to next week: still from the first day.
    click(&mut harness, "Snooze…");
    click(&mut harness, "Next week (Monday 23 Nov)");
    let moved = &harness.state().model().interactions[&coffee];
    assert_eq!(moved.follow_up, Some(day(11, 23)));
    assert_eq!(moved.snoozed_from, Some(today()));

    // One undo per snooze.
    click(&mut harness, "Undo");
    click(&mut harness, "Undo");
    let back = &harness.state().model().interactions[&coffee];
    assert_eq!(back.follow_up, Some(today()));
    assert_eq!(back.snoozed_from, None);
    harness.get_by_label("Due today");
}

#[test]
fn snooze_to_a_picked_day() {
    let (model, _, coffee) = coffee_due_today();
    let mut harness = harness(model);
    click(&mut harness, "Snooze…");
    click(&mut harness, "Pick a date…");
    // A week after the due day is offered; type another one.
    let field = harness.get_by_role_and_label(Role::TextInput, "Snooze until");
    assert_eq!(field.value().as_deref(), Some("29 Nov 2026"));
    field.click();
    harness.run_steps(2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Snooze until")
        .type_text("4 Dec 2026");
    harness.run_steps(3);
    click(&mut harness, "Snooze to 4 Dec");
    let moved = &harness.state().model().interactions[&coffee];
    assert_eq!(moved.follow_up, Some(day(12, 4)));
    assert_eq!(moved.snoozed_from, Some(today()));
    // The picker closed.
    assert!(harness.query_by_label("Snooze until").is_none());
}

#[test]
fn done_asks_what_happened_and_records_it_in_one_undo_step() {
    let (model, ann, coffee) = coffee_due_today();
    let mut harness = harness(model);
    click(&mut harness, "Done…");
    harness.get_by_label("What happened?");
    click(&mut harness, "Coffee");
    let model = harness.state().model();
    assert!(model.interactions[&coffee].follow_up_done);
    let recorded: Vec<&Interaction> = model
        .interactions
        .values()
        .filter(|i| i.id != coffee)
        .collect();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].kind, InteractionKind::Coffee);
    assert_eq!(recorded[0].date, today());
    assert_eq!(recorded[0].people, vec![ann]);
    assert_eq!(recorded[0].note, "Follow-up of coffee on 12 Nov");
    // Nothing left to follow up.
    assert!(harness.query_by_label("Due today").is_none());

    // One undo brings back the follow-up and removes the coffee.
    click(&mut harness, "Undo");
    let model = harness.state().model();
    assert_eq!(model.interactions.len(), 1);
    assert!(!model.interactions[&coffee].follow_up_done);
    harness.get_by_label("Due today");
}

#[test]
fn done_with_nothing_to_record_only_closes_the_follow_up() {
    let (model, _, coffee) = coffee_due_today();
    let mut harness = harness(model);
    click(&mut harness, "Done…");
    click(&mut harness, "Nothing to record");
    let model = harness.state().model();
    assert_eq!(model.interactions.len(), 1);
    assert!(model.interactions[&coffee].follow_up_done);
}

/// Two Like friends (stage default every 30 days): Bea quiet 40 days, Cy 35.
fn two_quiet_friends() -> (Model, PersonId, PersonId) {
    let mut model = Model::default();
    let mut bea = Person::new("Bea Quist");
    bea.stage = Stage::Like;
    let mut cy = Person::new("Cy Rowe");
    cy.stage = Stage::Like;
    let (bea_id, cy_id) = (bea.id, cy.id);
    for p in [bea, cy] {
        model.people.insert(p.id, p);
    }
    for (id, on) in [(bea_id, day(10, 13)), (cy_id, day(10, 18))] {
        let call = Interaction::new(on, InteractionKind::Call, vec![id]);
        model.interactions.insert(call.id, call);
    }
    (model, bea_id, cy_id)
}

#[test]
fn a_rhythm_set_from_re_engage_changes_the_reason_and_the_order() {
    let (model, bea, cy) = two_quiet_friends();
    let mut harness = harness(model);
    let order = |h: &Harness<'_, KithApp>| -> Vec<PersonId> {
        h.state()
            .insight()
            .re_engage(h.state().model(), today(), 8)
            .iter()
            .map(|r| r.person)
            .collect()
    };
    assert_eq!(order(&harness), [bea, cy]);
    let cy_reason = "Like · quiet 35 days · aim every month (Like default)";
    harness.get_by_label(cy_reason);
    // Cy's row is the second: every 2 weeks for Cy.
    harness.get_all_by_label("Rhythm…").nth(1).unwrap().click();
    harness.run_steps(3);
    harness.get_by_label("How often to be in touch with Cy Rowe");
    click(&mut harness, "Every 2 weeks");
    assert_eq!(harness.state().model().people[&cy].rhythm_days, Some(14));
    assert_eq!(order(&harness), [cy, bea]);
    assert!(harness.query_by_label(cy_reason).is_none());
    // The Re-engage rows (the weekly plan below may name the first again).
    let row =
        |h: &Harness<'_, KithApp>, reason: &str| h.get_all_by_label(reason).next().unwrap().rect();
    let cy_row = row(
        &harness,
        "Like · quiet 35 days · aim every 2 weeks (your rhythm)",
    );
    let bea_row = row(
        &harness,
        "Like · quiet 40 days · aim every month (Like default)",
    );
    assert!(cy_row.top() < bea_row.top(), "Cy is listed first now");

    // Every quarter for Bea takes her off the list.
    harness.get_all_by_label("Rhythm…").nth(1).unwrap().click();
    harness.run_steps(3);
    click(&mut harness, "Every quarter");
    assert_eq!(harness.state().model().people[&bea].rhythm_days, Some(90));
    assert_eq!(order(&harness), [cy]);
    // Back to the stage default for Cy (now the only row).
    harness.get_by_label("Rhythm…").click();
    harness.run_steps(3);
    click(&mut harness, "Like default (every month)");
    assert_eq!(harness.state().model().people[&cy].rhythm_days, None);
    assert_eq!(order(&harness), [cy]);
    // Each choice is one undo step.
    click(&mut harness, "Undo");
    assert_eq!(harness.state().model().people[&cy].rhythm_days, Some(14));
    click(&mut harness, "Undo");
    assert_eq!(order(&harness), [cy, bea]);
    click(&mut harness, "Undo");
    assert_eq!(order(&harness), [bea, cy]);
    harness.get_by_label(cy_reason);
}

#[test]
fn the_person_page_sets_and_clears_a_rhythm() {
    let (model, bea, _) = two_quiet_friends();
    let mut harness = harness(model);
    harness.state_mut().push_command(Command::OpenPerson(bea));
    harness.run_steps(4);
    // The stage default: every month.
    harness.get_by_label("Like default");
    click(&mut harness, "week");
    // A month in weeks is 4 weeks.
    assert_eq!(harness.state().model().people[&bea].rhythm_days, Some(28));
    harness.get_by_label("your rhythm");
    click(&mut harness, "days");
    assert_eq!(harness.state().model().people[&bea].rhythm_days, Some(28));
    // The field counts in the chosen unit.
    assert_eq!(
        harness
            .get_by_role_and_label(Role::SpinButton, "Rhythm")
            .value()
            .as_deref(),
        Some("28")
    );
    click(&mut harness, "Use the Like default (every month)");
    assert_eq!(harness.state().model().people[&bea].rhythm_days, None);
    harness.get_by_label("Like default");
}

#[test]
fn the_person_page_snoozes_and_closes_a_follow_up() {
    let (model, ann, coffee) = coffee_due_today();
    let mut harness = harness(model);
    harness.state_mut().push_command(Command::OpenPerson(ann));
    harness.run_steps(4);
    harness.get_by_label("Follow up today");
    // The open interaction's editor follows the snooze made beside it.
    click(&mut harness, "after coffee on 12 Nov");
    harness.get_by_label("Delete interaction");
    click(&mut harness, "Snooze…");
    click(&mut harness, "Next week (Monday 23 Nov)");
    assert_eq!(
        harness.state().model().interactions[&coffee].follow_up,
        Some(day(11, 23))
    );
    harness.get_by_label("Follow up tomorrow");
    harness.get_by_label("· snoozed from 22 Nov");
    harness.get_by_label("Follow up: Coffee due 2026-11-23, snoozed from 22 Nov");
    assert!(
        harness
            .get_by_role_and_label(Role::Button, "Save interaction")
            .accesskit_node()
            .is_disabled(),
        "the editor shows the snoozed follow-up, nothing to save"
    );

    click(&mut harness, "Done…");
    // The menu's "Message", not the quick-add kind of the same name.
    let menu = harness.get_by_label("What happened?").rect();
    harness
        .get_all_by_label("Message")
        .find(|node| node.rect().top() > menu.top() && node.rect().left() >= menu.left() - 20.0)
        .unwrap()
        .click();
    harness.run_steps(3);
    let model = harness.state().model();
    assert!(model.interactions[&coffee].follow_up_done);
    assert!(
        model
            .interactions
            .values()
            .any(|i| i.kind == InteractionKind::Message && i.date == today())
    );
    assert!(harness.query_by_label("Follow up tomorrow").is_none());
}
