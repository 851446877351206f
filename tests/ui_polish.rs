//! Small polish at 800x600: long toasts wrap inside the window, and the You
//! view's event date is the typed date entry, read against the fixed clock.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use kith::app::{Command, KithApp, ToastKind, View};
use kith::model::Model;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn demo() -> Model {
    kith::storage::format::demo_model(today()).unwrap()
}

fn small_window(app: KithApp) -> Harness<'static, KithApp> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(800.0, 600.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

#[test]
fn a_long_toast_wraps_inside_an_800_by_600_window() {
    let mut harness = small_window(KithApp::in_memory(demo(), today()));
    let text = "Could not write people/0f3c2a.ron: the disk is full. Your change is kept \
                in memory and kith tries again in a few seconds; free some space or choose \
                another folder from the File menu so nothing is lost when you close kith.";
    harness
        .state_mut()
        .push_command(Command::Notify(ToastKind::Error, text.into()));
    harness.run_steps(4);
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(800.0, 600.0));
    let toast = harness.get_by_label(text).rect();
    assert!(
        screen.contains_rect(toast),
        "toast {toast:?} leaves {screen:?}"
    );
    assert!(
        toast.height() > 30.0,
        "the text wraps onto lines: {toast:?}"
    );
    let dismiss = harness.get_by_label("x").rect();
    assert!(screen.contains_rect(dismiss), "dismiss {dismiss:?}");
    assert!(
        dismiss.min.x >= toast.max.x,
        "the button sits beside the text"
    );
}

#[test]
fn an_event_date_is_typed_read_back_in_words_and_added() {
    let model = demo();
    let org = model.orgs.values().next().unwrap().clone();
    let events = org.events.len();
    let mut app = KithApp::in_memory(model, today());
    app.push_command(Command::Show(View::You));
    let mut harness = small_window(app);
    harness.get_by_label_contains(&org.name).scroll_to_me();
    harness.run_steps(2);
    harness.get_by_label_contains(&org.name).click_accesskit();
    harness.run_steps(3);
    harness.get_by_label("Add event").scroll_to_me();
    harness.run_steps(2);
    let add = harness.get_by_label("Add event");
    assert!(add.accesskit_node().is_disabled(), "no title yet");
    harness.get_by_label("Event").focus();
    harness.run_steps(1);
    harness.get_by_label("Event").type_text("Winter meetup");
    harness.run_steps(1);
    harness.get_by_label("on").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness.get_by_label("on").type_text("3 Dec 2026");
    harness.run_steps(2);
    harness.get_by_label("Thursday 3 December 2026, in 11 days");
    let add = harness.get_by_label("Add event");
    assert!(!add.accesskit_node().is_disabled());
    add.click();
    harness.run_steps(3);
    let org = &harness.state().model().orgs[&org.id];
    assert_eq!(org.events.len(), events + 1);
    let added = org
        .events
        .iter()
        .find(|e| e.title == "Winter meetup")
        .unwrap();
    assert_eq!(added.date, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
    assert!(!added.attended, "an event ahead is not attended yet");
}
