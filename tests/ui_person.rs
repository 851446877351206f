//! UI tests of the person page as a profile: the header, sections that
//! collapse and move, and the timeline's marks (fixed clock, 2026-11-22).

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::action::Action;
use kith::app::{Command, KithApp};
use kith::model::{Interaction, InteractionKind, Model, Person, PersonId};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn harness(model: Model) -> Harness<'static, KithApp> {
    let app = KithApp::in_memory(model, today());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 1000.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

/// A person with a job, met a year ago, a coffee three days ago with a
/// follow-up due in two weeks; their page open.
fn profile() -> (Harness<'static, KithApp>, PersonId) {
    let mut harness = harness(kith::storage::format::demo_model(today()).unwrap());
    let mut person = Person::new("Ada Quill");
    person.role = "Product lead".into();
    person.organization = "Acme".into();
    person.met.date = Some(day(2025, 11, 3));
    let id = person.id;
    let mut coffee = Interaction::new(day(2026, 11, 19), InteractionKind::Coffee, vec![id]);
    coffee.note = "Talked about the launch".into();
    coffee.follow_up = Some(day(2026, 12, 6));
    for action in [Action::AddPerson(person), Action::AddInteraction(coffee)] {
        harness.state_mut().push_command(Command::Apply(action));
        harness.run_steps(2);
    }
    harness.state_mut().push_command(Command::OpenPerson(id));
    harness.run_steps(4);
    (harness, id)
}

#[test]
fn the_header_shows_the_headline_and_the_last_contact() {
    let (harness, _) = profile();
    harness.get_by_label("Product lead · Acme");
    harness.get_by_label("Last contact 3 days ago");
    harness.get_by_label("Give and ask: 0 given, 0 asked");
}

#[test]
fn the_bundled_font_has_the_middle_dot_of_the_headline() {
    let (harness, _) = profile();
    let font = egui::FontId::proportional(14.0);
    assert!(harness.ctx.fonts_mut(|f| f.has_glyph(&font, '·')));
}

#[test]
fn a_section_collapses_and_opens_again() {
    let (mut harness, _) = profile();
    assert!(harness.query_by_label("Notes").is_some());
    harness.get_by_label("Notes section").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Notes").is_none(), "notes hidden");
    harness.get_by_label("Notes section").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Notes").is_some(), "notes back");
}

#[test]
fn a_section_moves_up_and_stays_there() {
    let (mut harness, _) = profile();
    let y = |harness: &Harness<'_, KithApp>, label: &str| harness.get_by_label(label).rect().top();
    assert!(y(&harness, "Timeline section") < y(&harness, "Notes section"));
    harness.get_by_label("Move Notes up").click();
    harness.run_steps(3);
    assert!(y(&harness, "Notes section") < y(&harness, "Timeline section"));
    // The order is kept in egui's persisted memory (saved by eframe).
    let stored: Option<kith::app::SectionLayout> = harness
        .ctx
        .data_mut(|d| d.get_persisted(kith::app::SectionLayout::memory_id()));
    assert_eq!(
        stored.unwrap().order.first(),
        Some(&kith::app::Section::Notes)
    );
}

#[test]
fn the_timeline_draws_the_follow_up_ahead_of_today() {
    let (harness, _) = profile();
    let follow = harness.get_by_label("Follow up: Coffee due 2026-12-06");
    let today_mark = harness.get_by_label("Coffee on 2026-11-19");
    assert!(follow.rect().center().x > today_mark.rect().center().x);
    harness.get_by_label("met on 2025-11-03");
}

#[test]
fn clicking_a_timeline_mark_opens_the_interaction() {
    let (mut harness, _) = profile();
    assert!(harness.query_by_label("Delete interaction").is_none());
    harness
        .get_by_role_and_label(Role::Button, "Coffee on 2026-11-19")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Delete interaction");
}
