//! UI tests of sync in the app, against a real Radicale on 127.0.0.1 (see
//! tests/support/radicale.rs): the Sync page's form finds the address book,
//! saves the account and syncs; "Sync now" brings the server's new card
//! into the people list; the password is asked once and never written to a
//! file; a wrong one turns the top bar red; a server conflict shows in the
//! banner and settles with Keep mine or Use theirs. The day is fixed by the
//! folder's session; nothing here reads the wall clock but the deadlines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/radicale.rs"]
mod radicale;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kith::action::Action;
use kith::app::{Command, KithApp, View};
use radicale::Radicale;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A card as a phone would have written it.
fn card(uid: &str, name: &str, email: &str, org: &str) -> String {
    let (given, family) = name.split_once(' ').unwrap();
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{family};{given};;;\r\nEMAIL;TYPE=INTERNET:{email}\r\nORG:{org}\r\nEND:VCARD\r\n"
    )
}

struct Setup {
    harness: Harness<'static, KithApp>,
    data: tempfile::TempDir,
    state: tempfile::TempDir,
}

/// An app on a fresh folder (started empty, not the demo) with its sync
/// state in a temporary folder, on the Sync page.
fn setup(size: egui::Vec2) -> Setup {
    setup_with(size, true)
}

/// Like [`setup`]; `start_empty` false keeps the demo network on screen.
fn setup_with(size: egui::Vec2, start_empty: bool) -> Setup {
    let data = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let mut app = KithApp::open_folder_with_cache(data.path(), None);
    app.set_sync_state_base(state.path().to_path_buf());
    // A developer's desktop keyring could ask to be unlocked.
    app.set_sync_no_keyring();
    app.wait_until_loaded();
    let mut harness = Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    harness.run_steps(2);
    if start_empty {
        harness.state_mut().push_command(Command::StartEmpty);
    }
    harness.state_mut().push_command(Command::Show(View::Sync));
    harness.run_steps(3);
    Setup {
        harness,
        data,
        state,
    }
}

/// Step the app until `done` holds (the worker answers on its own thread).
fn wait_for(harness: &mut Harness<'static, KithApp>, what: &str, done: impl Fn(&KithApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_steps(3);
}

fn type_into(harness: &mut Harness<'static, KithApp>, role: Role, label: &str, text: &str) {
    harness.get_by_role_and_label(role, label).focus();
    harness.run_steps(1);
    harness.get_by_role_and_label(role, label).type_text(text);
    harness.run_steps(2);
}

fn click(harness: &mut Harness<'static, KithApp>, label: &str) {
    // Scrolled into view first, as a user would (the form is long at 800x600).
    harness.get_by_label(label).scroll_to_me();
    // Until the scroll animation is over.
    harness.run_steps(30);
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

/// Fill in the form for `server`, find its collections and save.
fn add_account(harness: &mut Harness<'static, KithApp>, server: &Radicale) {
    click(harness, "Add account…");
    type_into(harness, Role::TextInput, "Name", "radicale");
    type_into(harness, Role::TextInput, "Server URL", &server.url());
    type_into(harness, Role::TextInput, "User", server.user());
    type_into(harness, Role::PasswordInput, "Password", server.password());
    click(harness, "Find address books and calendars");
    wait_for(harness, "discovery", |app| !app.sync().busy());
    // The address book is listed by its name and picked.
    assert!(
        harness
            .query_by_label_contains("Contacts (contacts)")
            .is_some()
    );
    click(harness, "Save");
    assert_eq!(harness.state().sync().accounts().len(), 1);
    let account = &harness.state().sync().accounts()[0];
    assert_eq!(
        account.addressbook.as_deref(),
        Some(server.addressbook_url().as_str())
    );
    wait_for(harness, "the first sync", |app| {
        app.sync().status("radicale").is_some_and(|s| !s.syncing)
    });
}

fn has_person(app: &KithApp, name: &str) -> bool {
    app.model().live_people().any(|p| p.name == name)
}

/// Every file under `dir` (no links followed).
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            files(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}

fn assert_no_file_holds(dirs: &[&Path], secret: &str) {
    let mut all = Vec::new();
    for dir in dirs {
        files(dir, &mut all);
    }
    assert!(!all.is_empty());
    for path in all {
        let bytes = std::fs::read(&path).unwrap();
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "{} holds the password", path.display());
    }
}

#[test]
fn the_form_finds_the_address_book_and_sync_now_brings_the_servers_cards_into_the_list() {
    let server = Radicale::start();
    server.put_card(
        "priya.vcf",
        &card(
            "priya-1",
            "Priya Natarajan",
            "priya@example.com",
            "Lumen Labs",
        ),
        None,
    );
    let Setup {
        mut harness,
        data,
        state,
    } = setup(egui::vec2(1280.0, 800.0));
    // Save says what is missing before anything is typed.
    click(&mut harness, "Add account…");
    assert!(harness.query_by_label("The account needs a name").is_some());
    click(&mut harness, "Cancel");
    // Esc cancels too, and nothing was saved.
    click(&mut harness, "Add account…");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.query_by_label("Add an account").is_none());
    assert!(harness.state().sync().accounts().is_empty());
    add_account(&mut harness, &server);
    let status = harness.state().sync().status("radicale").unwrap();
    assert_eq!(status.last_error, None, "the first sync failed");
    assert!(has_person(harness.state(), "Priya Natarajan"));
    // The server gets a new card; Sync now (the top bar's) brings it in.
    server.put_card(
        "omar.vcf",
        &card(
            "omar-1",
            "Omar Haddad",
            "omar@example.com",
            "Harbor Chamber",
        ),
        None,
    );
    harness.get_all_by_label("Sync now").next().unwrap().click();
    harness.run_steps(2);
    wait_for(&mut harness, "Sync now", |app| {
        app.sync().status("radicale").is_some_and(|s| !s.syncing)
    });
    assert!(has_person(harness.state(), "Omar Haddad"));
    // In the people list, as a user sees it, and the top bar says it synced.
    assert!(harness.query_by_label_contains("Omar Haddad").is_some());
    // The account's card says when it synced; the top bar offers Sync now, no error.
    assert!(harness.query_by_label_contains("Last synced ").is_some());
    assert!(harness.query_by_label("Sync failed").is_none());
    // The password is in no file: not the data folder, not the sync state.
    harness.state_mut().save();
    assert_no_file_holds(&[data.path(), state.path()], server.password());
    let accounts = std::fs::read_to_string(
        harness
            .state()
            .sync()
            .state_dir()
            .unwrap()
            .join("accounts.ron"),
    )
    .unwrap();
    assert!(accounts.contains("radicale"));
}

#[test]
fn a_missing_password_is_asked_once_and_a_wrong_one_turns_the_top_bar_red() {
    let server = Radicale::start();
    let Setup {
        mut harness,
        data,
        state,
    } = setup(egui::vec2(1280.0, 800.0));
    add_account(&mut harness, &server);
    // Remove the account and add it back by hand, as another run would
    // find it: with no password in memory.
    let dir = harness.state().sync().state_dir().unwrap().to_path_buf();
    let account = harness.state().sync().accounts()[0].clone();
    drop(harness);
    let mut app = KithApp::open_folder_with_cache(data.path(), None);
    app.set_sync_state_base(state.path().to_path_buf());
    // A developer's desktop keyring could ask to be unlocked.
    app.set_sync_no_keyring();
    app.wait_until_loaded();
    assert!(
        kith::storage::sync_store::find_account(&dir, "radicale")
            .unwrap()
            .is_some()
    );
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut KithApp| app.frame_ui(ui), app);
    // At start the sync looks for a password (environment, keyring), finds
    // none on this machine, and asks.
    let deadline = Instant::now() + Duration::from_secs(30);
    while harness
        .query_by_label(&format!("Password for {}", account.name))
        .is_none()
    {
        assert!(Instant::now() < deadline, "no password prompt");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    type_into(&mut harness, Role::PasswordInput, "Password", "wrong");
    click(&mut harness, "Use this password");
    wait_for(&mut harness, "the refused sync", |app| {
        app.sync().status("radicale").is_some_and(|s| !s.syncing)
    });
    let error = harness
        .state()
        .sync()
        .status("radicale")
        .unwrap()
        .last_error
        .clone();
    let error = error.expect("a wrong password is an error");
    assert!(error.contains("401"), "{error}");
    assert!(
        error.contains(&format!("127.0.0.1:{}", server.port())),
        "{error}"
    );
    assert!(harness.query_by_label("Sync failed").is_some());
    // The red button tries again; the refused password was dropped, so it asks again.
    harness.get_by_label("Sync failed").click();
    harness.run_steps(2);
    let deadline = Instant::now() + Duration::from_secs(30);
    while harness.query_by_label("Password for radicale").is_none() {
        assert!(Instant::now() < deadline, "no second password prompt");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    type_into(
        &mut harness,
        Role::PasswordInput,
        "Password",
        server.password(),
    );
    click(&mut harness, "Use this password");
    wait_for(&mut harness, "the sync", |app| {
        app.sync().status("radicale").is_some_and(|s| !s.syncing)
    });
    assert_eq!(
        harness
            .state()
            .sync()
            .status("radicale")
            .unwrap()
            .last_error,
        None
    );
    assert!(harness.query_by_label("Sync failed").is_none());
    harness.state_mut().save();
    assert_no_file_holds(&[data.path(), state.path()], server.password());
}

/// Make a conflict on the organization of `name`: kith says `mine`, the
/// server says `theirs`, then sync.
fn conflict(
    harness: &mut Harness<'static, KithApp>,
    server: &Radicale,
    name: &str,
    mine: &str,
    theirs: &str,
) {
    let person = harness
        .state()
        .model()
        .live_people()
        .find(|p| p.name == name)
        .unwrap()
        .clone();
    let mut edited = person.clone();
    edited.organization = mine.into();
    harness
        .state_mut()
        .push_command(Command::Apply(Action::EditPerson(edited)));
    harness.run_steps(2);
    let (href, text) = server
        .cards()
        .into_iter()
        .find(|(_, text)| text.contains(name))
        .unwrap();
    let file = href.rsplit('/').next().unwrap().to_string();
    let changed: String = text
        .lines()
        .map(|line| {
            if line.starts_with("ORG") {
                format!("ORG:{theirs}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let (status, _) = server.put_card(&file, &changed, None);
    assert!((200..300).contains(&status), "{status}");
    harness.get_all_by_label("Sync now").next().unwrap().click();
    harness.run_steps(2);
    wait_for(harness, "the sync", |app| {
        app.sync().status("radicale").is_some_and(|s| !s.syncing)
    });
}

#[test]
fn a_server_conflict_shows_in_the_banner_and_settles_with_keep_mine_or_use_theirs() {
    let server = Radicale::start();
    server.put_card(
        "dana.vcf",
        &card(
            "dana-1",
            "Dana Whitfield",
            "dana@example.com",
            "Whitfield Bakery",
        ),
        None,
    );
    server.put_card(
        "raj.vcf",
        &card("raj-1", "Raj Patel", "raj@example.com", "Patel CPA"),
        None,
    );
    let Setup {
        mut harness,
        data: _data,
        state: _state,
    } = setup(egui::vec2(1280.0, 800.0));
    add_account(&mut harness, &server);
    assert!(has_person(harness.state(), "Dana Whitfield"));
    conflict(
        &mut harness,
        &server,
        "Dana Whitfield",
        "Mine Bakery",
        "Their Bakery",
    );
    let line = "Dana Whitfield changed on both sides (radicale)";
    assert!(harness.query_by_label(line).is_some(), "no conflict banner");
    // Compare shows the field with both values.
    harness.get_all_by_label("Compare").next().unwrap().click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Mine Bakery").is_some());
    assert!(harness.query_by_label("Their Bakery").is_some());
    // Use theirs (the compare window's button): the server's value, the conflict gone.
    harness
        .get_all_by_label("Use theirs")
        .last()
        .unwrap()
        .click();
    harness.run_steps(3);
    let dana = harness
        .state()
        .model()
        .live_people()
        .find(|p| p.name == "Dana Whitfield")
        .unwrap()
        .organization
        .clone();
    assert_eq!(dana, "Their Bakery");
    assert!(harness.query_by_label(line).is_none());
    assert!(harness.state().sync().conflicts().is_empty());
    // Keep mine: kith's value stays and goes to the server on the next sync.
    conflict(&mut harness, &server, "Raj Patel", "Mine CPA", "Their CPA");
    assert!(
        harness
            .query_by_label("Raj Patel changed on both sides (radicale)")
            .is_some()
    );
    harness
        .get_all_by_label("Keep mine")
        .next()
        .unwrap()
        .click();
    harness.run_steps(3);
    wait_for(&mut harness, "the sync after Keep mine", |app| {
        app.sync().status("radicale").is_some_and(|s| !s.syncing) && !app.sync().busy()
    });
    assert!(harness.state().sync().conflicts().is_empty());
    let raj = server
        .cards()
        .into_iter()
        .find(|(_, text)| text.contains("Raj Patel"))
        .unwrap()
        .1;
    assert!(raj.contains("Mine CPA"), "{raj}");
}

#[test]
fn at_800x600_the_top_bar_keeps_the_sync_status_inside_the_window() {
    let server = Radicale::start();
    let Setup {
        mut harness,
        data: _data,
        state: _state,
    } = setup(egui::vec2(800.0, 600.0));
    add_account(&mut harness, &server);
    let width = 800.0;
    let sync_now = harness.get_all_by_label("Sync now").next().unwrap().rect();
    let import = harness.get_by_label("Import / Export").rect();
    let people = harness
        .query_all_by_label_contains("people")
        .map(|n| n.rect())
        .find(|r| r.top() < sync_now.bottom())
        .expect("the people count");
    for (what, rect) in [("Sync now", sync_now), ("people", people)] {
        assert!(
            rect.left() >= 0.0 && rect.right() <= width,
            "{what} at {rect:?} runs off the window"
        );
    }
    assert!(
        sync_now.left() > import.right() && sync_now.right() < people.left(),
        "Sync now at {sync_now:?} sits between the actions ({import:?}) and the save status ({people:?})"
    );
}

#[test]
fn the_demo_network_is_never_sent_to_a_server_and_remove_leaves_both_sides_alone() {
    let server = Radicale::start();
    server.put_card(
        "priya.vcf",
        &card(
            "priya-1",
            "Priya Natarajan",
            "priya@example.com",
            "Lumen Labs",
        ),
        None,
    );
    let Setup {
        mut harness,
        data: _data,
        state: _state,
    } = setup_with(egui::vec2(1280.0, 800.0), false);
    assert!(harness.state().model().settings.is_demo);
    // The page says so before anything is added.
    assert!(
        harness
            .query_by_label_contains("This is the demo network")
            .is_some()
    );
    add_account(&mut harness, &server);
    let error = harness
        .state()
        .sync()
        .status("radicale")
        .unwrap()
        .last_error
        .clone();
    assert!(error.is_some_and(|e| e.contains("demo network")));
    assert_eq!(server.cards().len(), 1, "nothing was sent");
    assert!(!has_person(harness.state(), "Priya Natarajan"));
    // Keep the demo: now it is the user's data, and Sync now syncs it.
    harness.state_mut().push_command(Command::KeepDemo);
    harness.run_steps(2);
    harness.get_by_label("Sync failed").click();
    harness.run_steps(2);
    wait_for(&mut harness, "the sync", |app| {
        app.sync().status("radicale").is_some_and(|s| !s.syncing)
    });
    assert_eq!(
        harness
            .state()
            .sync()
            .status("radicale")
            .unwrap()
            .last_error,
        None
    );
    assert!(has_person(harness.state(), "Priya Natarajan"));
    let cards = server.cards().len();
    assert!(cards > 1);
    // Remove asks first, then forgets the account; people and cards stay.
    let people = harness.state().model().live_people().count();
    click(&mut harness, "Remove…");
    click(&mut harness, "Remove");
    assert!(harness.state().sync().accounts().is_empty());
    let dir = harness.state().sync().state_dir().unwrap().to_path_buf();
    assert!(
        kith::storage::sync_store::load_accounts(&dir)
            .unwrap()
            .is_empty()
    );
    assert_eq!(harness.state().model().live_people().count(), people);
    assert_eq!(server.cards().len(), cards);
    assert!(
        harness.query_by_label("Sync now").is_none(),
        "no sync button without accounts"
    );
}
