//! Interoperability with independent CardDAV/CalDAV clients on a real
//! Radicale (tests/support/radicale.rs): what kith syncs up is read by
//! vdirsyncer + khard, what khard writes and vdirsyncer uploads is read by
//! kith's next sync, and kith's calendar objects parse with Python's
//! icalendar. The tools run from `target/sync-venv/bin`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/radicale.rs"]
mod radicale;

use kith::action::Action;
use kith::model::{Contact, Interaction, InteractionKind, Person, PersonId};
use kith::session::{Phase, Session};
use kith::storage::sync_store;
use kith::sync::Account;
use kith::sync::run::{self, SyncReport};
use radicale::Radicale;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A kith data folder, its state folder, and a vdir with vdirsyncer and
/// khard configured against the same server.
struct Setup {
    dir: tempfile::TempDir,
    state_dir: PathBuf,
    session: Session,
}

impl Setup {
    fn new(server: &Radicale) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        let mut session = Session::open_folder(&folder, None);
        session.wait_until_loaded();
        assert_eq!(session.phase(), &Phase::Ready);
        assert!(session.start_empty());
        session.save();
        let state_dir = sync_store::state_dir_in(&dir.path().join("state"), &folder).unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("vdir")).unwrap();
        std::fs::create_dir_all(root.join("status")).unwrap();
        radicale::write_file(
            root,
            "vdirsyncer.conf",
            &format!(
                "[general]\nstatus_path = \"{status}/\"\n\n\
                 [pair contacts]\na = \"contacts_local\"\nb = \"contacts_remote\"\ncollections = null\n\
                 conflict_resolution = \"b wins\"\n\n\
                 [storage contacts_local]\ntype = \"filesystem\"\npath = \"{vdir}/\"\nfileext = \".vcf\"\n\n\
                 [storage contacts_remote]\ntype = \"carddav\"\nurl = \"{url}\"\n\
                 username = \"{user}\"\npassword = \"{password}\"\n",
                status = root.join("status").display(),
                vdir = root.join("vdir").display(),
                url = server.addressbook_url(),
                user = radicale::USER,
                password = radicale::PASSWORD,
            ),
        );
        radicale::write_file(
            root,
            "khard.conf",
            &format!(
                "[addressbooks]\n[[contacts]]\npath = {vdir}/\n\n\
                 [general]\ndefault_action = list\neditor = /bin/false\nmerge_editor = /bin/false\n\n\
                 [vcard]\npreferred_version = 3.0\n",
                vdir = root.join("vdir").display(),
            ),
        );
        let setup = Setup {
            dir,
            state_dir,
            session,
        };
        setup.vdirsyncer(&["discover"]);
        setup
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn tool(&self, program: &str, args: &[&str]) -> String {
        let out = Command::new(radicale::venv_bin(program))
            .args(args)
            .current_dir(self.root())
            .env("HOME", self.root())
            .env("XDG_CONFIG_HOME", self.root())
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{program} {args:?} failed ({}):\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }

    fn vdirsyncer(&self, args: &[&str]) -> String {
        let config = self.root().join("vdirsyncer.conf");
        let mut all = vec!["-c", config.to_str().unwrap()];
        all.extend_from_slice(args);
        self.tool("vdirsyncer", &all)
    }

    fn khard(&self, args: &[&str]) -> String {
        let config = self.root().join("khard.conf");
        let mut all = vec!["-c", config.to_str().unwrap()];
        all.extend_from_slice(args);
        self.tool("khard", &all)
    }

    fn add(&mut self, person: Person) -> PersonId {
        let id = person.id;
        assert!(self.session.apply(Action::AddPerson(person)));
        self.session.save();
        id
    }

    fn sync(&mut self, server: &Radicale, account: &Account) -> SyncReport {
        run::sync_blocking(
            &mut self.session,
            account,
            radicale::PASSWORD.into(),
            &self.state_dir,
        )
        .unwrap_or_else(|e| panic!("sync failed: {e}\n{}", server.log()))
    }
}

fn account(server: &Radicale) -> Account {
    let mut account = Account::new("radicale", server.url(), radicale::USER);
    account.addressbook = Some(server.addressbook_url());
    account
}

#[test]
fn cards_kith_syncs_up_are_read_by_khard_through_vdirsyncer() {
    let server = Radicale::start();
    let account = account(&server);
    let mut setup = Setup::new(&server);
    let mut ada = Person::new("Ada Lovelace");
    ada.organization = "Analytical Engines, Ltd; London".into();
    ada.role = "Mathematician".into();
    ada.emails.push(Contact::new("ada@example.com"));
    ada.phones.push(Contact::new("+44 20 7946 0001"));
    setup.add(ada);
    let mut zoe = Person::new("Zoë Ñúñez");
    zoe.emails.push(Contact::new("zoe@example.com"));
    setup.add(zoe);
    let report = setup.sync(&server, &account);
    assert_eq!(report.pushed.added, 2, "{report:?}");

    let synced = setup.vdirsyncer(&["sync"]);
    assert!(
        synced.contains("Syncing contacts") || synced.is_empty(),
        "{synced}"
    );
    let list = setup.khard(&["list", "--parsable"]);
    assert!(list.contains("Ada Lovelace"), "{list}");
    assert!(list.contains("Zoë Ñúñez"), "{list}");
    let emails = setup.khard(&["email", "--parsable"]);
    assert!(emails.contains("ada@example.com\tAda Lovelace"), "{emails}");
    assert!(emails.contains("zoe@example.com\tZoë Ñúñez"), "{emails}");
    let phones = setup.khard(&["phone", "--parsable"]);
    assert!(
        phones.contains("+44 20 7946 0001\tAda Lovelace"),
        "{phones}"
    );
    let shown = setup.khard(&["show", "--format", "yaml", "Ada"]);
    assert!(shown.contains("First name: Ada"), "{shown}");
    assert!(shown.contains("Last name: Lovelace"), "{shown}");
    assert!(shown.contains("Title: Mathematician"), "{shown}");
    // The comma and semicolon of the organisation were escaped, so khard
    // reads one organisation, not three parts.
    assert!(
        shown.contains("Analytical Engines, Ltd; London"),
        "the organisation read back whole:\n{shown}"
    );
}

#[test]
fn a_card_khard_writes_and_vdirsyncer_uploads_is_read_by_kiths_next_sync() {
    let server = Radicale::start();
    let account = account(&server);
    let mut setup = Setup::new(&server);
    setup.add(Person::new("Kith Person"));
    setup.sync(&server, &account);
    setup.vdirsyncer(&["sync"]);

    let template = radicale::write_file(
        setup.root(),
        "new.yaml",
        "First name: Kim\nLast name: Khard\nOrganisation: Terminal Tools\nTitle: Maintainer\n\
         Email:\n    work: kim@khard.example\nPhone:\n    cell: +49 30 1234567\nNote: made with khard\n",
    );
    setup.khard(&[
        "new",
        "-a",
        "contacts",
        "-i",
        template.to_str().unwrap(),
        "--vcard-version",
        "3.0",
    ]);
    setup.vdirsyncer(&["sync"]);
    assert_eq!(server.cards().len(), 2);

    let report = setup.sync(&server, &account);
    assert_eq!(report.pulled.added, 1, "{report:?}");
    let kim: Vec<&Person> = setup
        .session
        .model()
        .live_people()
        .filter(|p| p.name == "Kim Khard")
        .collect();
    assert_eq!(kim.len(), 1);
    let kim = kim[0].clone();
    assert_eq!(kim.organization, "Terminal Tools");
    assert_eq!(kim.role, "Maintainer");
    assert_eq!(kim.emails[0].value, "kim@khard.example");
    assert_eq!(kim.phones[0].value, "+49 30 1234567");

    // kith edits Kim; khard sees it after the next vdirsyncer run, and the
    // note khard wrote is still on the card (kith does not sync notes here).
    let mut edited = kim.clone();
    edited.phones.push(Contact::new("+49 30 7654321"));
    assert!(setup.session.apply(Action::EditPerson(edited)));
    setup.session.save();
    let report = setup.sync(&server, &account);
    assert_eq!(report.pushed.updated, 1, "{report:?}");
    setup.vdirsyncer(&["sync"]);
    let phones = setup.khard(&["phone", "--parsable"]);
    assert!(phones.contains("+49 30 7654321\tKim Khard"), "{phones}");
    assert!(phones.contains("+49 30 1234567\tKim Khard"), "{phones}");
    let shown = setup.khard(&["show", "--format", "yaml", "Kim"]);
    assert!(shown.contains("made with khard"), "{shown}");
    assert_eq!(server.cards().len(), 2, "no duplicate from either side");
}

#[test]
fn calendar_objects_kith_writes_parse_with_python_icalendar() {
    let server = Radicale::start();
    let mut account = account(&server);
    account.calendar = Some(server.calendar_url());
    let mut setup = Setup::new(&server);
    let dana = setup.add(Person::new("Dana, \"the\" Builder; Jr"));
    let today = setup.session.today();
    let mut call = Interaction::new(today, InteractionKind::Call, vec![dana]);
    call.note = "Ask about the bookkeeper, the deck; and the grant\nsecond line".into();
    call.follow_up = Some(today + chrono::Days::new(3));
    assert!(setup.session.apply(Action::AddInteraction(call.clone())));
    setup.session.save();
    let report = setup.sync(&server, &account);
    assert!(report.calendar.added >= 1, "{report:?}");
    let items = server.calendar_items();
    assert!(!items.is_empty());
    let check = radicale::write_file(
        setup.root(),
        "check.py",
        "import sys, icalendar\n\
         for path in sys.argv[1:]:\n\
         \x20   cal = icalendar.Calendar.from_ical(open(path, 'rb').read())\n\
         \x20   for c in cal.walk():\n\
         \x20       if c.name in ('VTODO', 'VEVENT'):\n\
         \x20           print(c.name, c.get('UID'), '|', c.get('SUMMARY'), '|', c.get('DESCRIPTION', '').replace('\\n', '\\\\n'), '|', c.decoded('DUE').isoformat() if c.get('DUE') else '')\n",
    );
    let dir = server.collection_dir(radicale::CALENDAR);
    let files: Vec<String> = items
        .iter()
        .map(|(name, _)| dir.join(name).display().to_string())
        .collect();
    let mut args = vec![check.to_str().unwrap()];
    args.extend(files.iter().map(String::as_str));
    let out = setup.tool("python", &args);
    let todo = out
        .lines()
        .find(|l| l.starts_with(&format!("VTODO kith-follow-up-{}", call.id)))
        .unwrap_or_else(|| panic!("the follow-up's VTODO:\n{out}"));
    assert!(todo.contains("Dana, \"the\" Builder; Jr"), "{todo}");
    assert!(
        todo.contains("Ask about the bookkeeper, the deck; and the grant\\nsecond line"),
        "{todo}"
    );
    let due = (today + chrono::Days::new(3))
        .format("%Y-%m-%d")
        .to_string();
    assert!(todo.ends_with(&due), "{todo}");
}
