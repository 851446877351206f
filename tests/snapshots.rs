//! Small snapshot tests, rendered headless with wgpu (Mesa's software
//! rasterizer on CI), with a fixed clock. Run with `--features snapshot`;
//! update with `UPDATE_SNAPSHOTS=1`.
#![cfg(feature = "snapshot")]
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui_kittest::Harness;
use kith::app::KithApp;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn app() -> KithApp {
    KithApp::in_memory(kith::storage::format::demo_model(today()).unwrap(), today())
}

fn harness(app: KithApp, size: egui::Vec2) -> Harness<'static, KithApp> {
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(4);
    harness
}

#[test]
fn today_view_snapshot() {
    let mut harness = harness(app(), egui::vec2(1000.0, 700.0));
    harness.snapshot("today_view");
}

#[test]
fn person_view_snapshot() {
    let mut app = app();
    let dana = app
        .model()
        .people
        .values()
        .find(|p| p.name == "Dana Whitfield")
        .unwrap()
        .id;
    app.push_command(kith::app::Command::OpenPerson(dana));
    app.apply_commands();
    let mut harness = harness(app, egui::vec2(1000.0, 700.0));
    harness.snapshot("person_view");
}

#[test]
fn interests_view_snapshot() {
    let mut app = app();
    app.push_command(kith::app::Command::Show(kith::app::View::Interests));
    app.apply_commands();
    let mut harness = harness(app, egui::vec2(1000.0, 700.0));
    harness.snapshot("interests_view");
}
