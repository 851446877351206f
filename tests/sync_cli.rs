//! `kith account` and `kith sync` run as the real binary against a real
//! Radicale on 127.0.0.1 (tests/support/radicale.rs): accounts live in
//! `KITH_STATE_DIR`, outside the data folder; passwords come from
//! `KITH_DAV_PASSWORD` and never land in a file; the keyring is kept out
//! (`KITH_NO_KEYRING`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/radicale.rs"]
mod radicale;

use radicale::Radicale;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A data folder and a state folder side by side in one temp folder.
struct Folders {
    root: tempfile::TempDir,
}

impl Folders {
    fn new() -> Self {
        Folders {
            root: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> PathBuf {
        self.root.path().join("data")
    }

    fn state(&self) -> PathBuf {
        self.root.path().join("state")
    }

    /// `kith <args> --data DATA` with the state folder, the password and
    /// no keyring; stdin is not a terminal, so nothing is ever asked.
    fn kith(&self, password: &str, args: &[&str]) -> Run {
        self.kith_env(password, &self.state(), args)
    }

    fn kith_env(&self, password: &str, state: &Path, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_kith"))
            .args(args)
            .arg("--data")
            .arg(self.data())
            .env("KITH_STATE_DIR", state)
            .env("KITH_DAV_PASSWORD", password)
            .env("KITH_NO_KEYRING", "1")
            .env("XDG_CACHE_HOME", self.root.path().join("cache"))
            .stdin(Stdio::null())
            .output()
            .expect("run kith");
        Run(output)
    }

    /// The one sync state folder under `state/sync/`.
    fn sync_dir(&self) -> PathBuf {
        let dirs: Vec<PathBuf> = fs::read_dir(self.state().join("sync"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(dirs.len(), 1, "{dirs:?}");
        dirs.into_iter().next().unwrap()
    }
}

struct Run(Output);

impl Run {
    fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    fn out(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    fn err(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    #[track_caller]
    fn ok(&self) -> &Self {
        assert_eq!(
            self.code(),
            0,
            "stdout:\n{}\nstderr:\n{}",
            self.out(),
            self.err()
        );
        self
    }
    #[track_caller]
    fn fails(&self) -> &Self {
        assert_ne!(
            self.code(),
            0,
            "stdout:\n{}\nstderr:\n{}",
            self.out(),
            self.err()
        );
        self
    }
}

fn add_args<'a>(name: &'a str, server: &'a Radicale, url: &'a str) -> Vec<&'a str> {
    vec![
        "account",
        "add",
        name,
        "--url",
        url,
        "--user",
        server.user(),
    ]
}

/// Every file under `dir` (recursively), for grepping.
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn card(uid: &str, name: &str, email: &str) -> String {
    format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nEMAIL;TYPE=INTERNET:{email}\r\nEND:VCARD\r\n"
    )
}

#[test]
fn add_with_discovery_then_list_and_remove() {
    let server = Radicale::start();
    let folders = Folders::new();
    let url = server.url();
    let added = folders.kith(server.password(), &add_args("home", &server, &url));
    added.ok();
    let out = added.out();
    assert!(
        out.contains(&format!("address book: {}", server.addressbook_url())),
        "{out}"
    );
    assert!(
        out.contains(&format!("calendar: {}", server.calendar_url())),
        "{out}"
    );
    assert!(out.contains("saved account home"), "{out}");
    // Kept outside the data folder, owner-only.
    let accounts = folders.sync_dir().join("accounts.ron");
    assert!(accounts.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&accounts).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let mode = fs::metadata(folders.sync_dir())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    assert!(files(&folders.data()).is_empty());

    let listed = folders.kith("", &["account", "list"]);
    listed.ok();
    assert!(listed.out().starts_with("home\n"), "{}", listed.out());
    assert!(
        listed.out().contains("last sync: never"),
        "{}",
        listed.out()
    );
    let json = folders.kith("", &["account", "list", "--json"]);
    json.ok();
    let rows: serde_json::Value = serde_json::from_str(&json.out()).unwrap();
    assert_eq!(rows[0]["name"], "home");
    assert_eq!(rows[0]["user"], "alice");
    assert_eq!(
        rows[0]["addressbook"].as_str(),
        Some(server.addressbook_url().as_str())
    );
    assert_eq!(rows[0]["conflicts"], 0);

    let removed = folders.kith("", &["account", "remove", "home"]);
    removed.ok();
    assert!(removed.out().contains("removed account home"));
    let listed = folders.kith("", &["account", "list", "--json"]);
    listed.ok();
    assert_eq!(listed.out().trim(), "[]");
    let again = folders.kith("", &["account", "remove", "home"]);
    again.fails();
    assert!(again.err().contains("no account named"), "{}", again.err());
}

#[test]
fn a_duplicate_name_and_bad_urls_are_refused() {
    let folders = Folders::new();
    let base = [
        "account",
        "add",
        "work",
        "--url",
        "https://dav.example.com/",
        "--user",
        "me",
        "--no-discover",
        "--addressbook",
        "https://dav.example.com/me/contacts/",
    ];
    folders.kith("", &base).ok();
    let twice = folders.kith("", &base);
    twice.fails();
    assert!(
        twice.err().contains("already an account"),
        "{}",
        twice.err()
    );
    let mut other_case = base;
    other_case[2] = "WORK";
    folders.kith("", &other_case).fails();

    let bad: Vec<Vec<&str>> = vec![
        vec![
            "account",
            "add",
            "x",
            "--url",
            "ftp://dav.example.com/",
            "--user",
            "me",
            "--no-discover",
            "--calendar",
            "https://dav.example.com/c/",
        ],
        vec![
            "account",
            "add",
            "x",
            "--url",
            "https://",
            "--user",
            "me",
            "--no-discover",
            "--calendar",
            "https://dav.example.com/c/",
        ],
        vec![
            "account",
            "add",
            "x",
            "--url",
            "https://dav.example.com/",
            "--user",
            "me",
            "--no-discover",
            "--calendar",
            "/relative/c/",
        ],
        vec![
            "account",
            "add",
            "x/y",
            "--url",
            "https://dav.example.com/",
            "--user",
            "me",
            "--no-discover",
            "--calendar",
            "https://dav.example.com/c/",
        ],
        vec![
            "account",
            "add",
            "x",
            "--url",
            "https://dav.example.com/",
            "--user",
            "me",
            "--fingerprint",
            "12:34",
            "--calendar",
            "https://dav.example.com/c/",
        ],
    ];
    for args in bad {
        let run = folders.kith("", &args);
        run.fails();
        assert!(run.err().starts_with("error: "), "{args:?}: {}", run.err());
    }
    let nothing = folders.kith(
        "",
        &[
            "account",
            "add",
            "y",
            "--url",
            "https://dav.example.com/",
            "--user",
            "me",
            "--no-discover",
        ],
    );
    nothing.fails();
    assert!(
        nothing.err().contains("nothing to sync"),
        "{}",
        nothing.err()
    );
    let listed = folders.kith("", &["account", "list", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&listed.out()).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
}

#[test]
fn a_wrong_password_is_a_401_naming_the_server_and_nothing_is_saved() {
    let server = Radicale::start();
    let folders = Folders::new();
    let url = server.url();
    let server_name = format!("127.0.0.1:{}", server.port());
    let add = folders.kith("wrong", &add_args("home", &server, &url));
    add.fails();
    assert!(add.err().contains("401"), "{}", add.err());
    assert!(add.err().contains(&server_name), "{}", add.err());
    assert!(add.err().contains("not saved"), "{}", add.err());
    let listed = folders.kith("", &["account", "list", "--json"]);
    assert_eq!(listed.out().trim(), "[]");

    // Saved without discovery, the sync itself meets the 401.
    let mut args = add_args("home", &server, &url);
    let book = server.addressbook_url();
    args.extend(["--no-discover", "--addressbook", &book]);
    folders.kith("", &args).ok();
    let sync = folders.kith("wrong", &["sync"]);
    sync.fails();
    assert!(sync.err().contains("401"), "{}", sync.err());
    assert!(sync.err().contains(&server_name), "{}", sync.err());
    assert!(
        sync.err().contains("came from KITH_DAV_PASSWORD"),
        "{}",
        sync.err()
    );
    assert!(!sync.out().contains('↓'), "{}", sync.out());

    // No password at all, and no terminal to ask on.
    let none = folders.kith("", &["sync"]);
    none.fails();
    assert!(none.err().contains("no password"), "{}", none.err());
}

#[test]
fn sync_prints_counts_and_no_password_lands_in_any_file() {
    let server = Radicale::start();
    let folders = Folders::new();
    let url = server.url();
    folders
        .kith(server.password(), &add_args("home", &server, &url))
        .ok();
    // The phone's card on the server, and someone imported into kith.
    let (status, _) = server.put_card(
        "phone-1.vcf",
        &card("phone-1", "Dana Whitfield", "dana@example.com"),
        None,
    );
    assert!(status < 300, "{status}");
    let import = folders.root.path().join("people.vcf");
    fs::write(
        &import,
        card("kith-import-1", "Raj Patel", "raj@example.com"),
    )
    .unwrap();
    folders.kith("", &["import", import.to_str().unwrap()]).ok();

    let first = folders.kith(server.password(), &["sync"]);
    first.ok();
    let line = first.out();
    assert!(line.starts_with("home: ↓ 1 added · ↑ 1 added"), "{line}");
    assert!(line.contains("0 conflicts"), "{line}");
    assert!(line.contains(" requests"), "{line}");
    let check = folders.kith("", &["check"]);
    check.ok();
    assert!(check.out().contains(": 2 people"), "{}", check.out());
    assert_eq!(server.cards().len(), 2, "{:?}", server.cards());

    // Nothing changed: nothing moves, in at most two requests.
    let json = folders.kith(server.password(), &["sync", "--json", "--account", "home"]);
    json.ok();
    let rows: serde_json::Value = serde_json::from_str(&json.out()).unwrap();
    assert_eq!(rows[0]["account"], "home");
    assert_eq!(rows[0]["ok"], true);
    let report = &rows[0]["report"];
    for side in ["pulled", "pushed"] {
        for n in ["added", "updated", "deleted"] {
            assert_eq!(report[side][n], 0, "{side}.{n}: {report}");
        }
    }
    assert!(report["requests"].as_u64().unwrap() <= 2, "{report}");

    let listed = folders.kith("", &["account", "list"]);
    assert!(
        !listed.out().contains("last sync: never"),
        "{}",
        listed.out()
    );

    // The password is in no file kith keeps: state, accounts or data.
    for file in files(&folders.state())
        .into_iter()
        .chain(files(&folders.data()))
    {
        let bytes = fs::read(&file).unwrap();
        assert!(
            !bytes
                .windows(server.password().len())
                .any(|w| w == server.password().as_bytes()),
            "the password is in {}",
            file.display()
        );
    }
    assert!(
        !folders.sync_dir().starts_with(folders.data()),
        "state inside the data folder"
    );

    let unknown = folders.kith(server.password(), &["sync", "--account", "nope"]);
    unknown.fails();
    assert!(
        unknown.err().contains("no account named"),
        "{}",
        unknown.err()
    );
}

#[test]
fn a_broken_accounts_file_is_named_and_never_written_over() {
    let folders = Folders::new();
    folders
        .kith(
            "",
            &[
                "account",
                "add",
                "a",
                "--url",
                "https://dav.example.com/",
                "--user",
                "me",
                "--no-discover",
                "--addressbook",
                "https://dav.example.com/me/c/",
            ],
        )
        .ok();
    let accounts = folders.sync_dir().join("accounts.ron");
    let broken = "[ (name: \"a\", url: ";
    fs::write(&accounts, broken).unwrap();
    for args in [
        vec!["account", "list"],
        vec!["account", "remove", "a"],
        vec!["sync"],
        vec![
            "account",
            "add",
            "b",
            "--url",
            "https://dav.example.com/",
            "--user",
            "me",
            "--no-discover",
            "--addressbook",
            "https://dav.example.com/me/c/",
        ],
    ] {
        let run = folders.kith("x", &args);
        run.fails();
        assert!(
            run.err().contains("accounts.ron"),
            "{args:?}: {}",
            run.err()
        );
        assert_eq!(fs::read_to_string(&accounts).unwrap(), broken, "{args:?}");
    }
}

#[test]
fn the_state_folder_is_never_inside_the_data_folder() {
    let folders = Folders::new();
    let inside = folders.data().join(".kith-state");
    let args = [
        "account",
        "add",
        "a",
        "--url",
        "https://dav.example.com/",
        "--user",
        "me",
        "--no-discover",
        "--addressbook",
        "https://dav.example.com/me/c/",
    ];
    fs::create_dir_all(folders.data()).unwrap();
    let run = folders.kith_env("", &inside, &args);
    run.fails();
    assert!(
        run.err().contains("inside the data folder"),
        "{}",
        run.err()
    );
    assert!(
        files(&folders.data()).is_empty(),
        "{:?}",
        files(&folders.data())
    );
}

#[test]
fn a_folder_that_did_not_fully_load_is_never_synced() {
    let server = Radicale::start();
    let folders = Folders::new();
    let url = server.url();
    folders
        .kith(server.password(), &add_args("home", &server, &url))
        .ok();
    let import = folders.root.path().join("people.vcf");
    fs::write(
        &import,
        card("kith-import-2", "Raj Patel", "raj@example.com"),
    )
    .unwrap();
    folders.kith("", &["import", import.to_str().unwrap()]).ok();
    let people = folders.data().join("people");
    let broken = people.join("00000000-0000-4000-8000-000000000001.ron");
    fs::write(&broken, "format: 3, person: (").unwrap();
    let run = folders.kith(server.password(), &["sync"]);
    run.fails();
    assert!(run.err().contains("failed to load"), "{}", run.err());
    assert!(run.err().contains("nothing was synced"), "{}", run.err());
    assert!(server.cards().is_empty(), "{:?}", server.cards());
    assert_eq!(fs::read_to_string(&broken).unwrap(), "format: 3, person: (");
}

#[test]
fn a_folder_open_in_another_kith_is_never_synced() {
    let server = Radicale::start();
    let folders = Folders::new();
    let url = server.url();
    folders
        .kith(server.password(), &add_args("home", &server, &url))
        .ok();
    let import = folders.root.path().join("people.vcf");
    fs::write(
        &import,
        card("kith-import-3", "Raj Patel", "raj@example.com"),
    )
    .unwrap();
    folders.kith("", &["import", import.to_str().unwrap()]).ok();
    // The app holds the folder's lock.
    let lock = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(folders.data().join(".kith.lock"))
        .unwrap();
    lock.lock().unwrap();
    let run = folders.kith(server.password(), &["sync"]);
    run.fails();
    assert!(run.err().contains("nothing synced"), "{}", run.err());
    assert!(server.cards().is_empty(), "{:?}", server.cards());
    drop(lock);
    folders.kith(server.password(), &["sync"]).ok();
    assert_eq!(server.cards().len(), 1, "{:?}", server.cards());
}

#[test]
fn remember_password_without_a_keyring_saves_nothing() {
    let server = Radicale::start();
    let folders = Folders::new();
    let url = server.url();
    let mut args = add_args("home", &server, &url);
    args.push("--remember-password");
    let run = folders.kith(server.password(), &args);
    run.fails();
    assert!(run.err().contains("not saved"), "{}", run.err());
    let listed = folders.kith("", &["account", "list", "--json"]);
    assert_eq!(listed.out().trim(), "[]");
}
