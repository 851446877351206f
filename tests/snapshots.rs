//! Small snapshot tests, rendered headless with wgpu (Mesa's software
//! rasterizer on CI), with a fixed clock. Run with `--features snapshot`;
//! update with `UPDATE_SNAPSHOTS=1`.
#![cfg(feature = "snapshot")]
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
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

#[test]
fn import_preview_snapshot() {
    let mut harness = harness(app(), egui::vec2(1000.0, 700.0));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("phone.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Whitfield\r\nEMAIL:dana@harborphysio.example\r\nTEL;TYPE=CELL:+1 555 0199\r\nBDAY:1980-12-06\r\nNICKNAME:Dee\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Carter\r\nNOTE:same name, maybe someone else\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Quinn Newcomer\r\nEMAIL:quinn@example.org\r\nEND:VCARD\r\n",
    )
    .unwrap();
    kith::app::exchange_view::start_import(&mut harness.state_mut().ui_state.exchange, file);
    for _ in 0..500 {
        harness.run_steps(1);
        if harness.state().ui_state.exchange.preview.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(4);
    harness.get_by_label_contains("Merge changes");
    harness.snapshot("import_preview");
}

#[test]
fn map_view_snapshot() {
    let mut app = app();
    app.push_command(kith::app::Command::Show(kith::app::View::Map));
    app.apply_commands();
    let mut harness = harness(app, egui::vec2(1000.0, 700.0));
    harness.run_steps(4);
    harness.snapshot("map_view");
}

#[test]
fn activity_view_dark_snapshot() {
    let mut app = app();
    app.push_command(kith::app::Command::Show(kith::app::View::Activity));
    app.apply_commands();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1000.0, 700.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.ctx.set_theme(egui::Theme::Dark);
    harness.run_steps(4);
    harness.snapshot("activity_view_dark");
}

#[test]
fn person_view_small_dark_snapshot() {
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
    let mut harness = Harness::builder()
        .with_size(egui::vec2(800.0, 600.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.ctx.set_theme(egui::Theme::Dark);
    harness.run_steps(4);
    harness.snapshot("person_view_small_dark");
}
