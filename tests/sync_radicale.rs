//! End-to-end sync against a real Radicale server on 127.0.0.1 (see
//! tests/support/radicale.rs): `kith::sync::run::sync_blocking` on a
//! session opened on a temporary data folder, the server's cards written
//! and changed "by the phone" with raw HTTP requests, and checked in the
//! server's own storage.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/radicale.rs"]
mod radicale;

use kith::action::Action;
use kith::model::{Consent, Contact, Interaction, InteractionKind, Person, PersonId, Stage};
use kith::session::{Phase, Session};
use kith::storage::sync_store;
use kith::sync::run::{self, SyncReport};
use kith::sync::{Account, Scope, SyncState};
use radicale::Radicale;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A kith data folder with its own sync state folder (outside it).
struct Kith {
    dir: tempfile::TempDir,
    folder: PathBuf,
    state_dir: PathBuf,
    session: Session,
}

impl Kith {
    /// A new, empty data folder (not the demo network).
    fn new() -> Kith {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        let mut session = open(&folder);
        assert!(session.start_empty());
        session.save();
        let state_dir = sync_store::state_dir_in(&dir.path().join("state"), &folder).unwrap();
        Kith {
            dir,
            folder,
            state_dir,
            session,
        }
    }

    /// The base folder to give the CLI as `KITH_STATE_DIR`.
    fn state_base(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    fn add(&mut self, person: Person) -> PersonId {
        let id = person.id;
        assert!(self.session.apply(Action::AddPerson(person)));
        self.session.save();
        id
    }

    fn edit(&mut self, id: PersonId, change: impl FnOnce(&mut Person)) {
        let mut person = self.person(id).clone();
        change(&mut person);
        assert!(self.session.apply(Action::EditPerson(person)));
        self.session.save();
    }

    fn trash(&mut self, id: PersonId) {
        assert!(self.session.apply(Action::DeletePerson(id)));
        self.session.save();
    }

    fn restore(&mut self, id: PersonId) {
        assert!(self.session.apply(Action::RestorePerson(id)));
        self.session.save();
    }

    fn person(&self, id: PersonId) -> &Person {
        self.session.model().people.get(&id).expect("person")
    }

    fn live(&self) -> Vec<&Person> {
        self.session.model().live_people().collect()
    }

    fn named(&self, name: &str) -> &Person {
        let found: Vec<&Person> = self.live().into_iter().filter(|p| p.name == name).collect();
        assert_eq!(found.len(), 1, "exactly one live {name:?} in kith");
        found[0]
    }

    /// One sync that must succeed.
    fn sync(&mut self, server: &Radicale, account: &Account) -> SyncReport {
        self.try_sync(account).unwrap_or_else(|e| {
            panic!(
                "sync failed: {e}\n--- Radicale log (tail) ---\n{}",
                tail(&server.log())
            )
        })
    }

    fn try_sync(&mut self, account: &Account) -> Result<SyncReport, kith::sync::SyncError> {
        run::sync_blocking(
            &mut self.session,
            account,
            radicale::PASSWORD.into(),
            &self.state_dir,
        )
    }

    fn state(&self, account: &Account) -> SyncState {
        sync_store::load_state(&self.state_dir, &account.name).unwrap()
    }
}

fn open(folder: &Path) -> Session {
    let mut session = Session::open_folder(folder, None);
    session.wait_until_loaded();
    assert_eq!(session.phase(), &Phase::Ready);
    session
}

fn tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

/// The account of a test server, its address book only.
fn account(server: &Radicale) -> Account {
    let mut account = Account::new("radicale", server.url(), radicale::USER);
    account.addressbook = Some(server.addressbook_url());
    account
}

fn person(name: &str, email: &str) -> Person {
    let mut p = Person::new(name);
    if !email.is_empty() {
        p.emails.push(Contact::new(email));
    }
    p
}

/// A vCard property's values (unfolded lines, parameters dropped).
fn props(card: &str, name: &str) -> Vec<String> {
    let unfolded = card
        .replace("\r\n ", "")
        .replace("\r\n\t", "")
        .replace("\n ", "");
    unfolded
        .lines()
        .filter_map(|line| {
            let (head, value) = line.split_once(':')?;
            let prop = head.split(';').next()?;
            let prop = prop.rsplit('.').next()?;
            prop.eq_ignore_ascii_case(name)
                .then(|| value.trim_end_matches('\r').to_string())
        })
        .collect()
}

fn prop(card: &str, name: &str) -> Option<String> {
    props(card, name).into_iter().next()
}

/// The server's card with this FN (file name, text); exactly one.
fn card_named(server: &Radicale, name: &str) -> (String, String) {
    let found: Vec<(String, String)> = server
        .cards()
        .into_iter()
        .filter(|(_, c)| prop(c, "FN").as_deref() == Some(name))
        .collect();
    assert_eq!(found.len(), 1, "exactly one card {name:?} on the server");
    found.into_iter().next().unwrap()
}

fn etag_of(server: &Radicale, file: &str) -> String {
    let r = server.request("GET", &format!("{}{file}", radicale::ADDRESSBOOK), &[], "");
    assert_eq!(r.status, 200);
    r.header("etag").expect("etag").to_string()
}

/// Change a card on the server "from the phone": `edit` rewrites its text.
fn phone_edit(server: &Radicale, name: &str, edit: impl FnOnce(&str) -> String) {
    let (file, text) = card_named(server, name);
    let etag = etag_of(server, &file);
    let (status, _) = server.put_card(&file, &edit(&text), Some(&etag));
    assert!(
        status == 201 || status == 204 || status == 200,
        "phone PUT: {status}"
    );
}

fn replace_prop(card: &str, name: &str, value: &str) -> String {
    let unfolded = card.replace("\r\n ", "").replace("\n ", "");
    let mut out = String::new();
    let mut done = false;
    for line in unfolded.lines() {
        let line = line.trim_end_matches('\r');
        let head = line.split([':', ';']).next().unwrap_or("");
        if head
            .rsplit('.')
            .next()
            .unwrap_or("")
            .eq_ignore_ascii_case(name)
        {
            if !done {
                out.push_str(&format!("{name}:{value}\r\n"));
                done = true;
            }
            continue;
        }
        if line == "END:VCARD" && !done {
            out.push_str(&format!("{name}:{value}\r\n"));
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out
}

fn vcard(uid: &str, name: &str, extra: &str) -> String {
    let (given, family) = name.split_once(' ').unwrap_or((name, ""));
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{family};{given};;;\r\n{extra}END:VCARD\r\n"
    )
}

fn uids(server: &Radicale) -> Vec<String> {
    server
        .cards()
        .iter()
        .map(|(_, c)| prop(c, "UID").expect("every card has a UID"))
        .collect()
}

fn assert_no_duplicate_cards(server: &Radicale) {
    let uids = uids(server);
    let unique: HashSet<&String> = uids.iter().collect();
    assert_eq!(unique.len(), uids.len(), "a UID twice on the server");
    let names: Vec<String> = server
        .cards()
        .iter()
        .filter_map(|(_, c)| prop(c, "FN"))
        .collect();
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "a name twice on the server");
}

fn assert_no_duplicate_people(kith: &Kith) {
    let names: Vec<&str> = kith.live().iter().map(|p| p.name.as_str()).collect();
    let unique: HashSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "a person twice in kith");
}

/// The harness itself: the server answers, alice's collections exist, a
/// raw PUT lands in the storage, kill and restart keep port and storage.
#[test]
fn harness_serves_alice_and_survives_restart() {
    let server = Radicale::start();
    let r = server.request("PROPFIND", radicale::ADDRESSBOOK, &[("Depth", "0")], "");
    assert_eq!(r.status, 207, "{}", r.body);
    let r = server.request("PROPFIND", radicale::CALENDAR, &[("Depth", "0")], "");
    assert_eq!(r.status, 207, "{}", r.body);
    let card = vcard("h1", "Harness One", "");
    let (status, etag) = server.put_card("h1.vcf", &card, None);
    assert_eq!(status, 201);
    assert!(etag.is_some());
    assert_eq!(server.cards().len(), 1);
    let bad = radicale::raw_request(
        server.port(),
        "alice",
        "wrong",
        "GET",
        "/alice/contacts/h1.vcf",
        &[],
        "",
    )
    .unwrap();
    assert_eq!(bad.status, 401);
    server.kill();
    assert!(!server.running());
    assert!(
        server
            .try_request("GET", "/alice/contacts/h1.vcf", &[], "")
            .is_err()
    );
    server.restart();
    assert!(
        server
            .get("/alice/contacts/h1.vcf")
            .unwrap()
            .contains("Harness One")
    );
    assert_eq!(server.delete("/alice/contacts/h1.vcf"), 200);
    assert!(server.cards().is_empty());
}

#[test]
fn first_sync_goes_both_ways_and_a_second_machine_gets_everyone() {
    let server = Radicale::start();
    let account = account(&server);
    server.put_card(
        "phone-1.vcf",
        &vcard(
            "phone-1",
            "Pat Phone",
            "EMAIL;TYPE=INTERNET:pat@phone.example\r\nTEL;TYPE=CELL:+1 555 0100\r\n",
        ),
        None,
    );
    let mut kith = Kith::new();
    let ada = kith.add(person("Ada Lovelace", "ada@example.com"));
    kith.add(person("Grace Hopper", "grace@example.com"));

    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.added, 2, "{report:?}");
    assert_eq!(report.pulled.added, 1, "{report:?}");
    assert_eq!(report.conflicts, 0);
    assert!(report.requests > 0);

    // kith's people are on the server at <person id>.vcf, in vCard 3.0.
    assert_eq!(server.cards().len(), 3);
    let ada_card = server
        .get(&format!("{}{ada}.vcf", radicale::ADDRESSBOOK))
        .expect("new cards go to <person id>.vcf");
    assert_eq!(prop(&ada_card, "VERSION").as_deref(), Some("3.0"));
    assert_eq!(prop(&ada_card, "FN").as_deref(), Some("Ada Lovelace"));
    assert_eq!(prop(&ada_card, "EMAIL").as_deref(), Some("ada@example.com"));
    assert_eq!(prop(&ada_card, "UID"), Some(ada.to_string()));

    // The phone's card is a person in kith, with its e-mail and phone.
    let pat = kith.named("Pat Phone");
    assert_eq!(pat.emails[0].value, "pat@phone.example");
    assert!(pat.phones.iter().any(|p| p.value.contains("555 0100")));
    assert_eq!(kith.live().len(), 3);

    // The state lives outside the data folder and knows every card.
    let state = kith.state(&account);
    assert_eq!(state.contacts.items.len(), 3);
    assert!(!kith.state_dir.starts_with(&kith.folder));
    assert!(state.last_success.is_some());

    // A second machine (a fresh folder) gets the same three people.
    let mut other = Kith::new();
    let report = other.sync(&server, &account);
    assert_eq!(report.pulled.added, 3, "{report:?}");
    assert_eq!(report.pushed, Default::default(), "{report:?}");
    assert_eq!(other.live().len(), 3);
    assert_eq!(server.cards().len(), 3);
    assert_eq!(
        other.named("Ada Lovelace").emails[0].value,
        "ada@example.com"
    );
    assert_no_duplicate_people(&other);
}

#[test]
fn edits_on_both_sides_travel_and_disjoint_fields_merge() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    let ada = kith.add(person("Ada Lovelace", "ada@example.com"));
    let grace = kith.add(person("Grace Hopper", "grace@example.com"));
    kith.sync(&server, &account);

    // kith edits Ada; the phone edits Grace.
    kith.edit(ada, |p| p.phones.push(Contact::new("+44 20 7946 0000")));
    phone_edit(&server, "Grace Hopper", |c| {
        replace_prop(c, "EMAIL", "grace@navy.example")
    });
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.updated, 1, "{report:?}");
    assert_eq!(report.pulled.updated, 1, "{report:?}");
    assert_eq!(report.conflicts, 0);
    let (_, ada_card) = card_named(&server, "Ada Lovelace");
    assert!(prop(&ada_card, "TEL").unwrap().contains("7946"));
    assert_eq!(kith.person(grace).emails[0].value, "grace@navy.example");

    // The same person, different fields on each side: both survive.
    kith.edit(ada, |p| p.role = "Analyst".into());
    phone_edit(&server, "Ada Lovelace", |c| {
        replace_prop(c, "EMAIL", "ada@engine.example")
    });
    let report = kith.sync(&server, &account);
    assert_eq!(report.conflicts, 0, "{report:?}");
    let ada_now = kith.person(ada);
    assert_eq!(ada_now.role, "Analyst");
    assert_eq!(ada_now.emails[0].value, "ada@engine.example");
    let (_, ada_card) = card_named(&server, "Ada Lovelace");
    assert_eq!(prop(&ada_card, "TITLE").as_deref(), Some("Analyst"));
    assert_eq!(
        prop(&ada_card, "EMAIL").as_deref(),
        Some("ada@engine.example")
    );
    assert_no_duplicate_cards(&server);
    assert_eq!(server.cards().len(), 2);
}

#[test]
fn the_same_field_changed_on_both_sides_is_a_conflict_settled_either_way() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    let ada = kith.add(person("Ada Lovelace", "ada@example.com"));
    kith.sync(&server, &account);

    kith.edit(ada, |p| p.organization = "Analytical Engines".into());
    phone_edit(&server, "Ada Lovelace", |c| {
        replace_prop(c, "ORG", "Difference Ltd")
    });
    let report = kith.sync(&server, &account);
    assert_eq!(report.conflicts, 1, "{report:?}");
    let state = kith.state(&account);
    assert_eq!(state.conflicts.len(), 1);
    let conflict = &state.conflicts[0];
    assert_eq!(conflict.person, ada);
    assert!(
        conflict.fields.iter().any(|f| f.field == "organization"
            && f.mine.contains("Analytical")
            && f.theirs.contains("Difference")),
        "{:?}",
        conflict.fields
    );
    assert!(conflict.theirs.contains("Difference Ltd"));
    // Until settled: kith keeps its value, the server keeps theirs.
    assert_eq!(kith.person(ada).organization, "Analytical Engines");
    let (_, card) = card_named(&server, "Ada Lovelace");
    assert_eq!(prop(&card, "ORG").as_deref(), Some("Difference Ltd"));
    // A sync in between changes nothing and keeps the conflict.
    let report = kith.sync(&server, &account);
    assert_eq!(report.conflicts, 1);
    assert_eq!(report.pushed, Default::default());

    // Keep mine: the next sync writes kith's value to the server.
    run::resolve_conflict(&mut kith.session, &kith.state_dir, &account.name, ada, true).unwrap();
    assert!(kith.state(&account).conflicts.is_empty());
    let report = kith.sync(&server, &account);
    assert_eq!(report.conflicts, 0, "{report:?}");
    assert_eq!(report.pushed.updated, 1, "{report:?}");
    let (_, card) = card_named(&server, "Ada Lovelace");
    assert_eq!(prop(&card, "ORG").as_deref(), Some("Analytical Engines"));

    // Again, and this time use theirs.
    kith.edit(ada, |p| p.organization = "Mine Again".into());
    phone_edit(&server, "Ada Lovelace", |c| {
        replace_prop(c, "ORG", "Theirs Again")
    });
    let report = kith.sync(&server, &account);
    assert_eq!(report.conflicts, 1, "{report:?}");
    run::resolve_conflict(
        &mut kith.session,
        &kith.state_dir,
        &account.name,
        ada,
        false,
    )
    .unwrap();
    assert_eq!(kith.person(ada).organization, "Theirs Again");
    assert!(kith.state(&account).conflicts.is_empty());
    let report = kith.sync(&server, &account);
    assert_eq!(report.conflicts, 0, "{report:?}");
    let (_, card) = card_named(&server, "Ada Lovelace");
    assert_eq!(prop(&card, "ORG").as_deref(), Some("Theirs Again"));
    // Settling is one undoable edit, and nothing was duplicated.
    assert_no_duplicate_cards(&server);
    assert_eq!(kith.live().len(), 1);
}

#[test]
fn deletes_travel_both_ways_and_a_restored_person_comes_back() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    let ada = kith.add(person("Ada Lovelace", "ada@example.com"));
    let grace = kith.add(person("Grace Hopper", "grace@example.com"));
    kith.sync(&server, &account);
    assert_eq!(server.cards().len(), 2);

    // Deleted on the phone: in kith's trash (never purged).
    let (file, _) = card_named(&server, "Ada Lovelace");
    assert_eq!(
        server.delete(&format!("{}{file}", radicale::ADDRESSBOOK)),
        200
    );
    let report = kith.sync(&server, &account);
    assert_eq!(report.pulled.deleted, 1, "{report:?}");
    assert!(kith.person(ada).deleted, "in the trash");
    assert_eq!(server.cards().len(), 1, "kith does not put it back");

    // Trashed in kith: deleted on the server.
    kith.trash(grace);
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.deleted, 1, "{report:?}");
    assert!(server.cards().is_empty());
    assert!(kith.state(&account).contacts.items.is_empty());

    // Restored: created again, once.
    kith.restore(grace);
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.added, 1, "{report:?}");
    let (_, card) = card_named(&server, "Grace Hopper");
    assert_eq!(prop(&card, "EMAIL").as_deref(), Some("grace@example.com"));
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed, Default::default(), "{report:?}");
    assert_eq!(server.cards().len(), 1);
}

#[test]
fn a_phone_that_drops_x_properties_and_the_note_keeps_kiths_fields() {
    let server = Radicale::start();
    let mut account = account(&server);
    account.write_kith_fields = true;
    let mut kith = Kith::new();
    let mut ada = person("Ada Lovelace", "ada@example.com");
    ada.interests = vec!["mathematics".into(), "poetry".into()];
    ada.needs = vec!["a patron".into()];
    ada.can_help_with = vec!["engines".into()];
    ada.stage = Stage::Trust;
    ada.notes = "Met at Babbage's soirée; private.".into();
    let ada = kith.add(ada);
    kith.sync(&server, &account);
    let (file, card) = card_named(&server, "Ada Lovelace");
    assert!(
        props(&card, "X-KITH-INTERESTS").concat().contains("poetry"),
        "{card}"
    );
    assert!(
        !card.contains("private"),
        "notes stay in kith unless sync_notes: {card}"
    );

    // The phone rewrites the card with only what it knows, plus a new phone.
    let stripped = vcard(
        &prop(&card, "UID").unwrap(),
        "Ada Lovelace",
        "EMAIL:ada@example.com\r\nTEL;TYPE=CELL:+44 1234 567\r\n",
    );
    let etag = etag_of(&server, &file);
    server.put_card(&file, &stripped, Some(&etag));
    let report = kith.sync(&server, &account);
    assert_eq!(report.conflicts, 0, "{report:?}");
    let now = kith.person(ada);
    assert_eq!(now.interests, vec!["mathematics", "poetry"]);
    assert_eq!(now.needs, vec!["a patron"]);
    assert_eq!(now.can_help_with, vec!["engines"]);
    assert_eq!(now.stage, Stage::Trust);
    assert_eq!(now.notes, "Met at Babbage's soirée; private.");
    assert!(now.phones.iter().any(|p| p.value.contains("1234 567")));
}

#[test]
fn a_sync_with_no_change_sends_no_writes_ten_times_in_a_row() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    for i in 0..20 {
        kith.add(person(
            &format!("Person {i:02}"),
            &format!("p{i}@example.com"),
        ));
    }
    kith.sync(&server, &account);
    let before = server.cards();
    let log_before = server.log().len();
    for round in 0..10 {
        let report = kith.sync(&server, &account);
        assert_eq!(
            report.pushed,
            Default::default(),
            "round {round}: {report:?}"
        );
        assert_eq!(
            report.pulled,
            Default::default(),
            "round {round}: {report:?}"
        );
        assert!(
            report.requests <= 2,
            "round {round}: {} requests",
            report.requests
        );
    }
    assert_eq!(server.cards(), before, "nothing rewritten on the server");
    let later = &server.log()[log_before..];
    assert!(
        !later.contains("PUT request") && !later.contains("DELETE request"),
        "no writes: {}",
        tail(later)
    );
    assert!(!kith.session.is_dirty());
}

#[test]
fn a_server_killed_during_a_first_sync_of_500_loses_nothing_and_duplicates_nothing() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    for i in 0..500 {
        kith.add(person(
            &format!("Member {i:03}"),
            &format!("m{i}@example.com"),
        ));
    }
    let seen_at_kill = std::thread::scope(|scope| {
        let killer = scope.spawn(|| {
            let deadline = Instant::now() + Duration::from_secs(120);
            loop {
                let n = server.cards().len();
                if n >= 100 || Instant::now() > deadline {
                    server.kill();
                    return n;
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        let result = kith.try_sync(&account);
        let seen = killer.join().unwrap();
        assert!(result.is_err(), "the sync noticed the server went away");
        seen
    });
    assert!(seen_at_kill < 500, "killed mid-sync ({seen_at_kill} cards)");
    server.restart();
    let report = kith.sync(&server, &account);
    assert!(report.pushed.added + seen_at_kill >= 500 - 1, "{report:?}");
    assert_eq!(server.cards().len(), 500);
    assert_no_duplicate_cards(&server);
    assert_eq!(kith.live().len(), 500);
    assert_no_duplicate_people(&kith);
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed, Default::default(), "{report:?}");
    assert_eq!(kith.state(&account).contacts.items.len(), 500);
    // Nothing lost: another machine gets all 500, each with their e-mail.
    let mut other = Kith::new();
    let report = other.sync(&server, &account);
    assert_eq!(report.pulled.added, 500, "{report:?}");
    let mails: HashSet<String> = other
        .live()
        .iter()
        .flat_map(|p| p.emails.iter().map(|e| e.value.clone()))
        .collect();
    assert_eq!(mails.len(), 500);
    assert!(mails.contains("m0@example.com") && mails.contains("m499@example.com"));
}

#[test]
fn kith_killed_during_a_sync_of_500_then_run_again_duplicates_nothing() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    for i in 0..500 {
        kith.add(person(
            &format!("Member {i:03}"),
            &format!("m{i}@example.com"),
        ));
    }
    kith.session.shutdown();
    let state_base = kith.state_base();
    let Kith {
        dir,
        folder,
        state_dir,
        session,
    } = kith;
    drop(session);
    sync_store::save_accounts(&state_dir, std::slice::from_ref(&account)).unwrap();
    let _keep = &dir;
    let kith_sync = || {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kith"));
        command
            .arg("--data")
            .arg(&folder)
            .arg("sync")
            .env("KITH_STATE_DIR", &state_base)
            .env("KITH_DAV_PASSWORD", radicale::PASSWORD)
            .stdin(std::process::Stdio::null());
        command
    };
    let mut child = kith_sync()
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some cards are up (or after 300 ms of writing).
    let started = Instant::now();
    loop {
        let n = server.cards().len();
        if n >= 50 || (n > 0 && started.elapsed() > Duration::from_millis(300)) {
            break;
        }
        if started.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let at_kill = server.cards().len();
    assert!(at_kill < 500, "killed mid-sync ({at_kill} cards)");

    let out = kith_sync().output().unwrap();
    assert!(
        out.status.success(),
        "second run: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.cards().len(), 500);
    assert_no_duplicate_cards(&server);
    let again = open(&folder);
    assert_eq!(again.model().live_people().count(), 500);
    assert!(again.problems().is_empty());
    let names: HashSet<&str> = again
        .model()
        .live_people()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(names.len(), 500);
    drop(again);
    let state = sync_store::load_state(&state_dir, &account.name).unwrap();
    assert_eq!(state.contacts.items.len(), 500);
}

#[test]
fn a_tag_scope_syncs_only_its_people_and_leaving_it_keeps_the_card() {
    let server = Radicale::start();
    let mut account = account(&server);
    account.scope = Scope::Tag("phone".into());
    let mut kith = Kith::new();
    let mut ada = person("Ada Lovelace", "ada@example.com");
    ada.tags.push("phone".into());
    let ada = kith.add(ada);
    kith.add(person("Private Person", "private@example.com"));
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.added, 1, "{report:?}");
    assert_eq!(server.cards().len(), 1);
    card_named(&server, "Ada Lovelace");

    // A card made on the phone comes in with the account's tag.
    server.put_card(
        "new.vcf",
        &vcard("new-1", "Nora New", "EMAIL:nora@example.com\r\n"),
        None,
    );
    kith.sync(&server, &account);
    assert!(kith.named("Nora New").tags.iter().any(|t| t == "phone"));

    // Ada leaves the scope: her card stays, but she is no longer synced.
    kith.edit(ada, |p| p.tags.clear());
    kith.sync(&server, &account);
    assert_eq!(server.cards().len(), 2);
    kith.edit(ada, |p| p.role = "Countess".into());
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed, Default::default(), "{report:?}");
    let (_, card) = card_named(&server, "Ada Lovelace");
    assert_eq!(prop(&card, "TITLE"), None);
    assert!(!kith.person(ada).deleted);
    assert!(
        !server
            .cards()
            .iter()
            .any(|(_, c)| c.contains("Private Person"))
    );
}

#[test]
fn newsletter_consent_never_comes_from_a_server() {
    let server = Radicale::start();
    let mut account = account(&server);
    account.write_kith_fields = true;
    let mut kith = Kith::new();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    let mut ada = person("Ada Lovelace", "ada@example.com");
    ada.newsletter = Consent::No { date: Some(day) };
    let ada = kith.add(ada);
    kith.sync(&server, &account);
    let before = kith.person(ada).newsletter.clone();
    // The phone writes whatever it likes, including a made-up consent.
    phone_edit(&server, "Ada Lovelace", |c| {
        replace_prop(c, "X-KITH-NEWSLETTER", "yes;2026-02-01")
            .replace("END:VCARD", "X-NEWSLETTER:yes\r\nEND:VCARD")
    });
    server.put_card(
        "n.vcf",
        &vcard(
            "n-1",
            "Nick New",
            "X-KITH-NEWSLETTER:yes\r\nX-KITH-CONSENT:yes\r\n",
        ),
        None,
    );
    kith.sync(&server, &account);
    assert_eq!(kith.person(ada).newsletter, before);
    assert_eq!(kith.named("Nick New").newsletter, Consent::NotAsked);
}

#[test]
fn a_first_sync_matches_cards_already_on_the_server_instead_of_duplicating() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    // Imported earlier from a .vcf whose cards are also on the server.
    let mut imported = person("Ivy Imported", "ivy@example.com");
    imported.source_ids.push("vcf-uid-ivy".into());
    let imported = kith.add(imported);
    // The same e-mail as a server card with another UID.
    let by_mail = kith.add(person("Mo Mail", "mo@example.com"));
    // A card kith wrote before (kith's id as UID, urn:uuid form).
    let by_id = kith.add(person("Ida Id", "ida@example.com"));
    server.put_card(
        "ivy.vcf",
        &vcard(
            "vcf-uid-ivy",
            "Ivy Imported",
            "EMAIL:ivy@example.com\r\nTEL:+1 555 0001\r\n",
        ),
        None,
    );
    server.put_card(
        "mo.vcf",
        &vcard(
            "someone-elses-uid",
            "Mo Mail",
            "EMAIL:mo@example.com\r\nTEL:+1 555 0002\r\n",
        ),
        None,
    );
    server.put_card(
        "ida.vcf",
        &vcard(
            &format!("urn:uuid:{by_id}"),
            "Ida Id",
            "EMAIL:ida@example.com\r\n",
        ),
        None,
    );
    let report = kith.sync(&server, &account);
    assert_eq!(report.pulled.added, 0, "{report:?}");
    assert_eq!(report.pushed.added, 0, "{report:?}");
    assert_eq!(server.cards().len(), 3);
    assert_eq!(kith.live().len(), 3);
    assert!(
        kith.person(imported)
            .phones
            .iter()
            .any(|p| p.value.contains("0001"))
    );
    assert!(
        kith.person(by_mail)
            .phones
            .iter()
            .any(|p| p.value.contains("0002"))
    );
    assert_eq!(kith.state(&account).contacts.items.len(), 3);
    // And it stays so.
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.added + report.pulled.added, 0, "{report:?}");
    assert_eq!(server.cards().len(), 3);
}

#[test]
fn with_the_calendar_too_a_sync_with_no_change_writes_nothing() {
    let server = Radicale::start();
    let mut account = account(&server);
    account.calendar = Some(server.calendar_url());
    let mut kith = Kith::new();
    let ada = kith.add(person("Ada Lovelace", "ada@example.com"));
    let today = kith.session.today();
    let mut call = Interaction::new(today, InteractionKind::Call, vec![ada]);
    call.follow_up = Some(today + chrono::Days::new(2));
    call.note = "send the paper".into();
    assert!(kith.session.apply(Action::AddInteraction(call)));
    kith.session.save();
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.added, 1, "{report:?}");
    assert!(report.calendar.added >= 1, "{report:?}");
    let cards = server.cards();
    let events = server.calendar_items();
    let log_before = server.log().len();
    for round in 0..10 {
        let report = kith.sync(&server, &account);
        assert_eq!(
            report.pushed,
            Default::default(),
            "round {round}: {report:?}"
        );
        assert_eq!(
            report.pulled,
            Default::default(),
            "round {round}: {report:?}"
        );
        assert_eq!(
            report.calendar,
            Default::default(),
            "round {round}: {report:?}"
        );
        assert!(
            report.requests <= 4,
            "round {round}: {} requests (at most 2 per collection)",
            report.requests
        );
    }
    assert_eq!(server.cards(), cards);
    assert_eq!(server.calendar_items(), events);
    let later = &server.log()[log_before..];
    assert!(
        !later.contains("PUT request") && !later.contains("DELETE request"),
        "no writes: {}",
        tail(later)
    );
}

#[test]
fn an_edit_made_while_the_sync_ran_survives_and_the_sync_is_one_undo_step() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    let ada = kith.add(person("Ada Lovelace", "ada@example.com"));
    let grace = kith.add(person("Grace Hopper", "grace@example.com"));
    kith.sync(&server, &account);
    phone_edit(&server, "Ada Lovelace", |c| {
        replace_prop(c, "EMAIL", "ada@phone.example")
    });
    phone_edit(&server, "Grace Hopper", |c| {
        replace_prop(c, "TITLE", "Admiral")
    });

    // The network half runs on a snapshot; meanwhile the user edits Ada.
    let state = kith.state(&account);
    let job = run::prepare(&kith.session, &account, radicale::PASSWORD.into(), state);
    kith.edit(ada, |p| p.role = "Countess".into());
    let outcome = run::run(job);
    let report = run::finish(&mut kith.session, outcome, &kith.state_dir).unwrap();
    assert_eq!(report.pulled.updated, 2, "{report:?}");
    let now = kith.person(ada);
    assert_eq!(now.role, "Countess", "the edit made during the sync");
    assert_eq!(
        now.emails[0].value, "ada@phone.example",
        "the phone's change"
    );
    assert_eq!(kith.person(grace).role, "Admiral");

    // The sync's changes are one step, labelled with the account.
    assert_eq!(
        kith.session.doc().undo_label().as_deref(),
        Some("Undo Sync with radicale")
    );
    kith.session.undo();
    assert_eq!(kith.person(grace).role, "");
    assert_eq!(kith.person(ada).emails[0].value, "ada@example.com");
    assert_eq!(kith.person(ada).role, "Countess");
    // The next sync pushes the edit made meanwhile.
    kith.session.redo();
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.updated, 1, "{report:?}");
    let (_, card) = card_named(&server, "Ada Lovelace");
    assert_eq!(prop(&card, "TITLE").as_deref(), Some("Countess"));
    assert_eq!(prop(&card, "EMAIL").as_deref(), Some("ada@phone.example"));
}

/// A TCP forwarder in front of the server: the first time kith's request
/// line `PUT <path>` passes, `phone` runs (and writes the card with its own
/// connection) before kith's PUT is sent on. Returns the forwarder's port.
fn racing_forwarder(server_port: u16, path: String, phone: Box<dyn FnOnce() + Send>) -> u16 {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::{Arc, Mutex};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let phone = Arc::new(Mutex::new(Some(phone)));
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(mut client) = client else { return };
            let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", server_port)) else {
                return;
            };
            let (mut client_back, mut upstream_back) =
                (client.try_clone().unwrap(), upstream.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut upstream_back, &mut client_back);
                let _ = client_back.shutdown(std::net::Shutdown::Both);
            });
            let phone = phone.clone();
            let needle = format!("PUT {path} ");
            std::thread::spawn(move || {
                let mut buf = vec![0u8; 64 * 1024];
                loop {
                    let n = match client.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    if String::from_utf8_lossy(&buf[..n]).contains(&needle)
                        && let Some(phone) = phone.lock().unwrap().take()
                    {
                        phone();
                    }
                    if upstream.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = upstream.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    port
}

#[test]
fn a_card_changed_between_reading_and_writing_is_merged_after_the_412() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    let ada = kith.add(person("Ada Lovelace", "ada@example.com"));
    kith.sync(&server, &account);
    let (file, card) = card_named(&server, "Ada Lovelace");
    let path = format!("{}{file}", radicale::ADDRESSBOOK);

    // kith changes the organisation; the phone writes a new phone number
    // just before kith's PUT reaches the server, so kith's ETag is stale.
    kith.edit(ada, |p| p.organization = "Analytical Engines".into());
    let etag = etag_of(&server, &file);
    let phone_card = replace_prop(&card, "TEL", "+44 20 7946 0999");
    let port = server.port();
    let raced = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let raced_in = raced.clone();
    let phone_path = path.clone();
    let forwarder = racing_forwarder(
        port,
        path.clone(),
        Box::new(move || {
            let r = radicale::raw_request(
                port,
                radicale::USER,
                radicale::PASSWORD,
                "PUT",
                &phone_path,
                &[("Content-Type", "text/vcard"), ("If-Match", &etag)],
                &phone_card,
            )
            .unwrap();
            assert!(r.status < 300, "the phone's PUT: {}", r.status);
            raced_in.store(true, std::sync::atomic::Ordering::SeqCst);
        }),
    );
    let mut via = Account::new(
        "radicale",
        format!("http://127.0.0.1:{forwarder}/"),
        radicale::USER,
    );
    via.addressbook = Some(format!(
        "http://127.0.0.1:{forwarder}{}",
        radicale::ADDRESSBOOK
    ));
    let report = kith.sync(&server, &via);
    assert!(
        raced.load(std::sync::atomic::Ordering::SeqCst),
        "the phone wrote in between"
    );
    assert!(
        server
            .log()
            .lines()
            .any(|l| l.contains("PUT response status")
                && l.contains(&path)
                && l.contains("412 Precondition Failed")),
        "kith's first PUT met a 412:\n{}",
        tail(&server.log())
    );
    assert_eq!(report.conflicts, 0, "{report:?}");
    let (_, card) = card_named(&server, "Ada Lovelace");
    assert_eq!(
        prop(&card, "ORG").as_deref(),
        Some("Analytical Engines"),
        "{card}"
    );
    assert!(
        prop(&card, "TEL").unwrap_or_default().contains("0999"),
        "{card}"
    );
    assert!(
        kith.person(ada)
            .phones
            .iter()
            .any(|p| p.value.contains("0999"))
    );
    assert_eq!(server.cards().len(), 1);
    // Settled: nothing left to do.
    let report = kith.sync(&server, &via);
    assert_eq!(report.pushed, Default::default(), "{report:?}");
    assert_eq!(report.pulled, Default::default(), "{report:?}");
}

#[test]
fn a_wrong_password_or_a_server_down_names_the_server_and_changes_nothing() {
    let server = Radicale::start();
    let account = account(&server);
    let mut kith = Kith::new();
    kith.add(person("Ada Lovelace", "ada@example.com"));
    let where_ = format!("127.0.0.1:{}", server.port());

    let wrong = run::sync_blocking(
        &mut kith.session,
        &account,
        "not the password".into(),
        &kith.state_dir,
    )
    .expect_err("a wrong password fails");
    assert!(
        matches!(wrong, kith::sync::SyncError::Unauthorized { .. }),
        "{wrong:?}"
    );
    assert!(wrong.to_string().contains(&where_), "{wrong}");
    assert!(server.cards().is_empty());
    assert!(kith.state(&account).contacts.items.is_empty());

    server.kill();
    let down = kith.try_sync(&account).expect_err("a server down fails");
    assert!(
        matches!(down, kith::sync::SyncError::Unreachable { .. }),
        "{down:?}"
    );
    assert!(down.to_string().contains(&where_), "{down}");
    let state = kith.state(&account);
    assert!(state.last_success.is_none());
    assert_eq!(kith.live().len(), 1);

    server.restart();
    let report = kith.sync(&server, &account);
    assert_eq!(report.pushed.added, 1, "{report:?}");
}
