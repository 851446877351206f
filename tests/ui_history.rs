//! A timeline that fills itself, as a user meets it in the app: a calendar
//! export read through the import flow opens a preview (people matched by
//! e-mail, someone you meet but haven't added, the titles switch); Import
//! writes it as one undo step; the person's timeline shows the entries
//! with where they came from; undo takes them all away; "Forget this
//! source…" removes them after asking; your own addresses are edited by
//! label in the You view. The clock is fixed; no real dialog opens.

#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::app::{Command, KithApp, ToastKind, View};
use kith::history::plan::UnknownChoice;
use kith::model::{Model, PersonId};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn harness() -> Harness<'static, KithApp> {
    let mut model: Model = kith::storage::format::demo_model(today()).unwrap();
    // Your own address: the organizer of the meetings is you.
    model.me.emails = vec!["alex@me.example".into()];
    let mut app = KithApp::in_memory(model, today());
    app.ui_state.exchange.in_app_chooser = true;
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(3);
    harness
}

/// A calendar of three past meetings with people in the demo network (by
/// e-mail), each with a stranger who is not in kith, and one in the future.
const CALENDAR: &str = "BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//kith tests//EN\r
X-WR-CALNAME:Team calendar\r
BEGIN:VEVENT\r
UID:coffee-raj@kith.test\r
DTSTAMP:20261101T090000Z\r
DTSTART:20261110T090000Z\r
DTEND:20261110T100000Z\r
SUMMARY:Coffee with Raj\r
ORGANIZER;CN=Alex Morgan:mailto:alex@me.example\r
ATTENDEE;CN=Raj Patel;PARTSTAT=ACCEPTED:mailto:raj@patelaccounting.example\r
ATTENDEE;CN=Quinn Stranger;PARTSTAT=ACCEPTED:mailto:quinn@elsewhere.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:lunch-sam@kith.test\r
DTSTAMP:20261101T090000Z\r
DTSTART:20261112T120000Z\r
DTEND:20261112T130000Z\r
SUMMARY:Lunch planning\r
ORGANIZER;CN=Alex Morgan:mailto:alex@me.example\r
ATTENDEE;CN=Sam Rivera;PARTSTAT=ACCEPTED:mailto:sam@riveramarketing.example\r
ATTENDEE;CN=Quinn Stranger;PARTSTAT=ACCEPTED:mailto:quinn@elsewhere.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:call-raj@kith.test\r
DTSTAMP:20261101T090000Z\r
DTSTART:20261117T150000Z\r
DTEND:20261117T153000Z\r
SUMMARY:Quarterly numbers call\r
ORGANIZER;CN=Alex Morgan:mailto:alex@me.example\r
ATTENDEE;CN=Raj Patel;PARTSTAT=ACCEPTED:mailto:raj@patelaccounting.example\r
ATTENDEE;CN=Quinn Stranger;PARTSTAT=ACCEPTED:mailto:quinn@elsewhere.example\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:future@kith.test\r
DTSTAMP:20261101T090000Z\r
DTSTART:20261215T090000Z\r
DTEND:20261215T100000Z\r
SUMMARY:Next year planning\r
ORGANIZER;CN=Alex Morgan:mailto:alex@me.example\r
ATTENDEE;CN=Raj Patel:mailto:raj@patelaccounting.example\r
END:VEVENT\r
END:VCALENDAR\r
";

/// Run frames until `done` holds (helper threads read files).
fn wait_for(harness: &mut Harness<'_, KithApp>, done: impl Fn(&KithApp) -> bool) {
    for _ in 0..500 {
        harness.run_steps(1);
        if done(harness.state()) {
            harness.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("timed out");
}

fn has_toast(app: &KithApp, kind: ToastKind, text: &str) -> bool {
    app.ui_state
        .toasts
        .items()
        .iter()
        .any(|t| t.kind == kind && t.text.contains(text))
}

fn person(app: &KithApp, name: &str) -> PersonId {
    app.model()
        .live_people()
        .find(|p| p.name == name)
        .map(|p| p.id)
        .unwrap()
}

fn imported(app: &KithApp) -> usize {
    app.model()
        .interactions
        .values()
        .filter(|i| i.origin.is_some())
        .count()
}

/// Read the calendar through the app's import flow and wait for its preview.
fn open_preview(harness: &mut Harness<'_, KithApp>, dir: &std::path::Path) {
    let path = dir.join("team.ics");
    std::fs::write(&path, CALENDAR).unwrap();
    kith::app::exchange_view::start_import(&mut harness.state_mut().ui_state.exchange, path);
    wait_for(harness, |app| app.ui_state.history.preview.is_some());
    // The window settles where it opens before it is clicked.
    harness.run_steps(20);
}

#[test]
fn a_calendar_is_previewed_imported_as_one_step_and_shown_on_the_timeline() {
    let mut harness = harness();
    let dir = tempfile::tempdir().unwrap();
    open_preview(&mut harness, dir.path());
    harness.get_by_label_contains("Import Team calendar (iCalendar)");
    harness.get_by_label_contains("3 interactions with 2 people");
    // Raj and Sam matched by their e-mail; the future event is left out.
    harness.get_by_label("e-mail raj@patelaccounting.example");
    harness.get_by_label("e-mail sam@riveramarketing.example");
    harness.get_by_label_contains("in the future");
    // Calendars keep titles by default; the switch turns them off.
    let titles = |app: &KithApp| {
        app.ui_state
            .history
            .preview
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .filter(|r| !r.title.is_empty())
            .count()
    };
    assert_eq!(titles(harness.state()), 3);
    harness.get_by_label("Coffee with Raj");
    harness
        .get_by_label_contains("Keep titles and subjects")
        .click();
    harness.run_steps(2);
    assert!(
        !harness
            .state()
            .ui_state
            .history
            .preview
            .as_ref()
            .unwrap()
            .source
            .titles
    );
    assert_eq!(titles(harness.state()), 0);
    assert!(harness.query_by_label("Coffee with Raj").is_none());
    harness
        .get_by_label_contains("Keep titles and subjects")
        .click();
    harness.run_steps(2);
    assert_eq!(titles(harness.state()), 3);
    // Quinn is in all three meetings but not in kith: offered, and added.
    harness.get_by_label("People you meet but haven't added");
    harness.get_by_label_contains("Quinn Stranger");
    harness.get_by_label("Add").click();
    harness.run_steps(2);
    let preview = harness.state().ui_state.history.preview.as_ref().unwrap();
    assert_eq!(preview.unknown[0].choice, UnknownChoice::Add);
    let before = harness.state().model().interactions.len();
    let people_before = harness.state().model().live_people().count();
    harness.get_by_label("Import 3 interactions").click();
    harness.run_steps(3);
    let app = harness.state();
    assert!(app.ui_state.history.preview.is_none());
    assert_eq!(imported(app), 3);
    assert_eq!(app.model().interactions.len(), before + 3);
    assert_eq!(app.model().live_people().count(), people_before + 1);
    assert!(has_toast(
        app,
        ToastKind::Info,
        "Imported 3 interactions from Team calendar"
    ));
    let source = &app.model().settings.history.sources[0];
    assert_eq!(source.name, "Team calendar");
    assert_eq!(source.imported, Some(today()));
    // Raj's last contact moved to the call; his timeline shows both.
    let raj = person(app, "Raj Patel");
    let last = app.insight().stats(raj).last_contact;
    assert_eq!(last, NaiveDate::from_ymd_opt(2026, 11, 17));
    harness.state_mut().push_command(Command::OpenPerson(raj));
    harness.run_steps(3);
    let call = harness
        .state()
        .model()
        .interactions
        .values()
        .find(|i| i.origin.is_some() && i.date == NaiveDate::from_ymd_opt(2026, 11, 17).unwrap())
        .map(|i| i.id)
        .unwrap();
    harness
        .state_mut()
        .push_command(Command::OpenInteraction(raj, call));
    harness.run_steps(3);
    harness.get_by_label("from Team calendar");
    // One undo step takes the whole import away, Quinn included.
    harness.state_mut().push_command(Command::Undo);
    harness.run_steps(2);
    let app = harness.state();
    assert_eq!(imported(app), 0);
    assert_eq!(app.model().live_people().count(), people_before);
    assert!(app.model().settings.history.sources.is_empty());
}

#[test]
fn importing_the_same_calendar_again_offers_nothing_to_write() {
    let mut harness = harness();
    let dir = tempfile::tempdir().unwrap();
    open_preview(&mut harness, dir.path());
    harness.get_by_label("Import 3 interactions").click();
    harness.run_steps(3);
    assert_eq!(imported(harness.state()), 3);
    open_preview(&mut harness, dir.path());
    harness.get_by_label_contains("3 already in kith");
    harness.get_by_label_contains("Nothing new to write");
    // Esc cancels and writes nothing.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().ui_state.history.preview.is_none());
    assert_eq!(imported(harness.state()), 3);
}

#[test]
fn forgetting_a_source_asks_then_removes_its_interactions_as_one_step() {
    let mut harness = harness();
    let dir = tempfile::tempdir().unwrap();
    open_preview(&mut harness, dir.path());
    harness.get_by_label("Import 3 interactions").click();
    harness.run_steps(3);
    harness.state_mut().push_command(Command::Show(View::You));
    harness.run_steps(3);
    harness.get_by_label("Calendars, mail and chats");
    harness.get_by_label("Team calendar");
    harness.get_by_label("3 interactions");
    harness.get_by_label("Forget this source…").click();
    // The confirmation fades in before it takes clicks.
    harness.run_steps(20);
    harness.get_by_label("Forget Team calendar?");
    harness.get_by_label("3 interactions that came only from it will be removed.");
    harness.get_by_label("Forget this source").click();
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(imported(app), 0);
    assert!(app.model().settings.history.sources.is_empty());
    assert!(has_toast(app, ToastKind::Info, "Forgot Team calendar"));
    harness.state_mut().push_command(Command::Undo);
    harness.run_steps(2);
    assert_eq!(imported(harness.state()), 3);
}

#[test]
fn your_addresses_and_numbers_are_edited_by_label() {
    let mut harness = harness();
    harness.state_mut().push_command(Command::Show(View::You));
    harness.run_steps(3);
    harness.get_by_label("Your e-mails").focus();
    harness.run_steps(1);
    harness
        .get_by_label("Your e-mails")
        .type_text("Alex@Work.Example");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(2);
    harness.get_by_label("Your phones").focus();
    harness.run_steps(1);
    harness
        .get_by_label("Your phones")
        .type_text("+1 555 0100,");
    harness.run_steps(2);
    let me = &harness.state().model().me;
    assert_eq!(me.emails, ["alex@me.example", "alex@work.example"]);
    assert_eq!(me.phones, ["+1 555 0100"]);
    // Each shows as a chip, lowercased.
    harness.get_by_label("alex@work.example");
}

#[test]
fn a_maildir_folder_is_picked_in_kiths_own_chooser_and_previewed() {
    let mut harness = harness();
    let maildir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/history/mail/maildir");
    harness.get_by_label("Import / Export").click();
    harness.run_steps(2);
    harness
        .get_by_label("Import mail folder (Maildir)…")
        .click();
    harness.run_steps(3);
    assert!(harness.state().ui_state.exchange.chooser_open());
    harness.get_by_label("Import a mail folder (Maildir)");
    harness.get_by_label("Path").focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.run_steps(1);
    harness
        .get_by_label("Path")
        .type_text(&format!("{}/", maildir.to_string_lossy()));
    harness.run_steps(2);
    // Only folders are listed; the folder typed is chosen as it is.
    harness.get_by_label("cur/");
    harness.get_by_label("Choose this folder").click();
    harness.run_steps(2);
    wait_for(&mut harness, |app| app.ui_state.history.preview.is_some());
    harness.get_by_label_contains("(Maildir)");
    let preview = harness.state().ui_state.history.preview.as_ref().unwrap();
    // Mail keeps no subjects unless you switch it on.
    assert!(!preview.source.titles);
}

/// Serve `body` once, over plain HTTP on 127.0.0.1, from a helper thread.
fn serve_once(body: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}/team.ics")
}

#[test]
fn a_calendar_url_is_subscribed_to_from_the_menu_and_previewed() {
    let mut harness = harness();
    let url = serve_once(CALENDAR);
    harness.get_by_label("Import / Export").click();
    harness.run_steps(2);
    harness.get_by_label("Subscribe to a calendar URL…").click();
    harness.run_steps(20);
    harness.get_by_label("Calendar URL").type_text(&url);
    harness.run_steps(2);
    harness.get_by_label("Subscribe").click();
    harness.run_steps(2);
    wait_for(&mut harness, |app| app.ui_state.history.preview.is_some());
    harness.get_by_label_contains("3 interactions with 2 people");
    let preview = harness.state().ui_state.history.preview.as_ref().unwrap();
    assert_eq!(preview.source.location.as_deref(), Some(url.as_str()));
}
