//! Where sync accounts and their sync state live: per machine, outside the
//! data folder.
//!
//! ```text
//! $KITH_STATE_DIR (or the platform state folder, e.g. ~/.local/state/kith)
//!   sync/<key>/                  key = first 16 hex of SHA-256 of the data folder's path
//!     accounts.ron               Vec<Account> (no passwords, ever)
//!     state-<account>.ron        SyncState: ETags, sync tokens, base cards, conflicts
//! ```
//!
//! Why not in the data folder: two machines sharing one Syncthing or git
//! folder each keep their own ETags, tokens and merge bases; in the folder,
//! machine B would believe it had synced what only machine A had.
//!
//! Folders are created 0700, files written atomically and 0600
//! ([`super::atomic`]); nothing is read or written through a symbolic link;
//! every read is capped. A file that fails to load is reported by name and
//! never written over: saving is refused until the user fixes or removes it.

use super::atomic::{create_private_dir, remove_durably, write_atomic};
use super::guard::{DirState, Refused, dir_state, read_regular, shown};
use crate::sync::{Account, SyncError, SyncState};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// Environment variable that overrides where the state lives (tests, CI,
/// portable setups).
pub const STATE_DIR_ENV: &str = "KITH_STATE_DIR";
/// The accounts file in a folder's sync state folder.
pub const ACCOUNTS_FILE: &str = "accounts.ron";
/// The most kith reads of an accounts file.
pub const ACCOUNTS_FILE_CAP: u64 = 1 << 20;
/// The most kith reads of one account's state file (it holds the last
/// synced text of every card: about 1 KB a contact).
pub const STATE_FILE_CAP: u64 = 256 << 20;

/// The longest account name (it is part of a file name).
pub const NAME_MAX: usize = 64;

/// The base folder of all sync state on this machine: `$KITH_STATE_DIR`,
/// else the platform state folder, else the platform local data folder.
pub fn base_dir() -> Result<PathBuf, SyncError> {
    if let Some(dir) = std::env::var_os(STATE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let dirs = directories::ProjectDirs::from("org", "kith", "kith").ok_or_else(|| {
        SyncError::Local(format!(
            "no home folder found, so no place for sync accounts; set {STATE_DIR_ENV}"
        ))
    })?;
    Ok(dirs
        .state_dir()
        .unwrap_or_else(|| dirs.data_local_dir())
        .to_path_buf())
}

/// The canonical form of a data folder's path. A folder that does not exist
/// yet is its nearest existing ancestor, canonical, with the rest of the
/// path appended (`.` and `..` resolved), so its key stays the same once
/// kith creates it.
fn canonical(data_dir: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(data_dir) {
        return path;
    }
    let absolute = std::path::absolute(data_dir).unwrap_or_else(|_| data_dir.to_path_buf());
    let mut rest = Vec::new();
    let mut base = absolute.as_path();
    loop {
        if let Ok(found) = std::fs::canonicalize(base) {
            let mut path = found;
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::CurDir => {}
                    std::path::Component::ParentDir => {
                        path.pop();
                    }
                    other => path.push(other.as_os_str()),
                }
            }
            return path;
        }
        match (base.parent(), base.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                base = parent;
            }
            _ => return absolute,
        }
    }
}

/// The key of a data folder: the first 16 hex digits of the SHA-256 of its
/// canonical path.
pub fn folder_key(data_dir: &Path) -> String {
    let path = canonical(data_dir);
    let digest = ring::digest::digest(&ring::digest::SHA256, path.as_os_str().as_encoded_bytes());
    digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The sync state folder of `data_dir` (`<base>/sync/<key>`), created 0700.
/// Refused when it would be inside the data folder (the folder may be
/// synced to other machines) or is a symbolic link.
pub fn state_dir_for(data_dir: &Path) -> Result<PathBuf, SyncError> {
    state_dir_in(&base_dir()?, data_dir)
}

/// [`state_dir_for`] under the base folder `base` instead of [`base_dir`].
pub fn state_dir_in(base: &Path, data_dir: &Path) -> Result<PathBuf, SyncError> {
    let dir = base.join("sync").join(folder_key(data_dir));
    create_private_dir(&dir).map_err(|e| {
        SyncError::Local(format!(
            "cannot create the sync state folder {}: {e}",
            shown(&dir)
        ))
    })?;
    check_dir(&dir)?;
    let data = canonical(data_dir);
    if canonical(&dir).starts_with(&data) {
        return Err(SyncError::Local(format!(
            "the sync state folder {} is inside the data folder {}; it must stay on this machine (set {STATE_DIR_ENV} to a folder outside it)",
            shown(&dir),
            shown(&data)
        )));
    }
    Ok(dir)
}

fn check_dir(dir: &Path) -> Result<(), SyncError> {
    match dir_state(dir) {
        DirState::Dir => Ok(()),
        DirState::Missing => Err(SyncError::Local(format!(
            "the sync state folder {} is missing",
            shown(dir)
        ))),
        DirState::Refused(why) => Err(SyncError::Local(format!(
            "kith does not use the sync state folder {}: {why}",
            shown(dir)
        ))),
    }
}

/// The file name of an account's state: `state-<name>.ron`, with any
/// character outside letters, digits, `.`, `_`, `-` and space written as
/// `%XX` (so every name is a valid file name on every system).
pub fn state_file_name(account: &str) -> String {
    let mut name = String::from("state-");
    for byte in account.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'-' | b' ') {
            name.push(char::from(byte));
        } else {
            name.push_str(&format!("%{byte:02X}"));
        }
    }
    name.push_str(".ron");
    name
}

/// The path of an account's state file in `dir`.
pub fn state_file(dir: &Path, account: &str) -> PathBuf {
    dir.join(state_file_name(account))
}

/// A file's size and modification time.
type Stamp = (u64, Option<SystemTime>);

/// Files this process read or wrote whole and valid, with their size and
/// modification time then: saving over them needs no re-check.
fn known_good() -> &'static Mutex<HashMap<PathBuf, Stamp>> {
    static KNOWN: std::sync::OnceLock<Mutex<HashMap<PathBuf, Stamp>>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| Mutex::new(HashMap::new()))
}

fn stamp(path: &Path) -> Option<Stamp> {
    std::fs::symlink_metadata(path)
        .ok()
        .map(|m| (m.len(), m.modified().ok()))
}

fn remember_good(path: &Path) {
    if let (Some(stamp), Ok(mut known)) = (stamp(path), known_good().lock()) {
        known.insert(path.to_path_buf(), stamp);
    }
}

fn forget_good(path: &Path) {
    if let Ok(mut known) = known_good().lock() {
        known.remove(path);
    }
}

fn is_known_good(path: &Path) -> bool {
    let Some(now) = stamp(path) else {
        return false;
    };
    known_good()
        .lock()
        .is_ok_and(|known| known.get(path) == Some(&now))
}

/// Read and parse a RON file; Ok(None) when it is missing.
fn load<T: DeserializeOwned>(path: &Path, cap: u64, what: &str) -> Result<Option<T>, SyncError> {
    let bytes = match read_regular(path, cap) {
        Ok((bytes, _)) => bytes,
        Err(Refused::Missing) => return Ok(None),
        Err(why) => {
            return Err(SyncError::Local(format!(
                "{} ({what}) did not load: {why}; kith will not write over it",
                shown(path)
            )));
        }
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        SyncError::Local(format!(
            "{} ({what}) did not load: it is not UTF-8 text ({e}); kith will not write over it until you fix or remove it",
            shown(path)
        ))
    })?;
    let value = ron::from_str::<T>(text).map_err(|e| {
        SyncError::Local(format!(
            "{} ({what}) did not load: {e}; kith will not write over it until you fix or remove it",
            shown(path)
        ))
    })?;
    remember_good(path);
    Ok(Some(value))
}

/// Write a RON file atomically, unless what is there now failed to load.
fn save<T: Serialize + DeserializeOwned>(
    dir: &Path,
    path: &Path,
    value: &T,
    cap: u64,
    what: &str,
) -> Result<(), SyncError> {
    check_dir(dir)?;
    if !is_known_good(path) {
        // Refuses links, special files and anything that does not parse.
        load::<T>(path, cap, what)?;
    }
    let config = ron::ser::PrettyConfig::new()
        .indentor("    ".to_string())
        .struct_names(false);
    let mut text = ron::ser::to_string_pretty(value, config)
        .map_err(|e| SyncError::Local(format!("cannot write {} ({what}): {e}", shown(path))))?;
    text.push('\n');
    if text.len() as u64 > cap {
        return Err(SyncError::Local(format!(
            "cannot write {} ({what}): it would be larger than kith reads back ({} bytes)",
            shown(path),
            text.len()
        )));
    }
    forget_good(path);
    write_atomic(path, text.as_bytes())
        .map_err(|e| SyncError::Local(format!("cannot write {} ({what}): {e}", shown(path))))?;
    remember_good(path);
    Ok(())
}

/// Run `change` holding an exclusive lock on the folder `dir` itself (no
/// lock file: `flock` on the folder), so two kiths adding or removing
/// accounts at once (the app and `kith account`) never lose one another's
/// change. Where a folder cannot be locked (Windows) it runs unlocked.
fn locked<T>(dir: &Path, change: impl FnOnce() -> Result<T, SyncError>) -> Result<T, SyncError> {
    check_dir(dir)?;
    let handle = std::fs::File::open(dir).ok();
    if let Some(handle) = &handle
        && let Err(e) = handle.lock()
    {
        return Err(SyncError::Local(format!(
            "cannot lock the sync state folder {}: {e}",
            shown(dir)
        )));
    }
    let result = change();
    drop(handle);
    result
}

/// The accounts of the sync state folder `dir` (empty when there is no
/// accounts file yet). A file that fails to load is an error naming it.
pub fn load_accounts(dir: &Path) -> Result<Vec<Account>, SyncError> {
    Ok(load(&dir.join(ACCOUNTS_FILE), ACCOUNTS_FILE_CAP, "sync accounts")?.unwrap_or_default())
}

/// Save the accounts of `dir` (atomic, 0600). Refused while the accounts
/// file there fails to load.
pub fn save_accounts(dir: &Path, accounts: &[Account]) -> Result<(), SyncError> {
    let accounts: Vec<Account> = accounts.to_vec();
    save(
        dir,
        &dir.join(ACCOUNTS_FILE),
        &accounts,
        ACCOUNTS_FILE_CAP,
        "sync accounts",
    )
}

/// Add `account` to the accounts of `dir`, after checking it
/// ([`Account::validate`]) and that no account has its name (names are
/// compared ignoring case: they name files).
pub fn add_account(dir: &Path, account: &Account) -> Result<(), SyncError> {
    account.validate().map_err(SyncError::Account)?;
    if account.name.chars().count() > NAME_MAX {
        return Err(SyncError::Account(format!(
            "the account name is longer than {NAME_MAX} characters; pick a shorter one"
        )));
    }
    locked(dir, || {
        let mut accounts = load_accounts(dir)?;
        if accounts
            .iter()
            .any(|a| a.name.to_lowercase() == account.name.to_lowercase())
        {
            return Err(SyncError::Account(format!(
                "there is already an account named {:?}; pick another name or remove it first",
                account.name
            )));
        }
        accounts.push(account.clone());
        save_accounts(dir, &accounts)
    })
}

/// The account named `name` in `dir`, if any.
pub fn find_account(dir: &Path, name: &str) -> Result<Option<Account>, SyncError> {
    Ok(load_accounts(dir)?.into_iter().find(|a| a.name == name))
}

/// The sync state of `account` in `dir` (empty when it never synced). A
/// file that fails to load is an error naming it.
pub fn load_state(dir: &Path, account: &str) -> Result<SyncState, SyncError> {
    Ok(load(&state_file(dir, account), STATE_FILE_CAP, "sync state")?.unwrap_or_default())
}

/// Save the sync state of `account` in `dir` (atomic, 0600). Refused while
/// the state file there fails to load.
pub fn save_state(dir: &Path, account: &str, state: &SyncState) -> Result<(), SyncError> {
    save(
        dir,
        &state_file(dir, account),
        state,
        STATE_FILE_CAP,
        "sync state",
    )
}

/// Remove the account `account` and its state from `dir`. Ok(false) when
/// there is no such account (a stray state file of that name is removed
/// all the same). The keyring entry is the caller's business
/// ([`crate::sync::secret::forget`]).
pub fn remove_account(dir: &Path, account: &str) -> Result<bool, SyncError> {
    locked(dir, || remove_unlocked(dir, account))
}

fn remove_unlocked(dir: &Path, account: &str) -> Result<bool, SyncError> {
    let mut accounts = load_accounts(dir)?;
    let before = accounts.len();
    accounts.retain(|a| a.name != account);
    let found = accounts.len() != before;
    if found {
        save_accounts(dir, &accounts)?;
    }
    let path = state_file(dir, account);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() || meta.file_type().is_symlink() => {
            forget_good(&path);
            remove_durably(&path)
                .map_err(|e| SyncError::Local(format!("cannot remove {}: {e}", shown(&path))))?;
        }
        Ok(_) => {
            return Err(SyncError::Local(format!(
                "{} is not a regular file; kith leaves it alone (remove it yourself)",
                shown(&path)
            )));
        }
        Err(_) => {}
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn account(name: &str) -> Account {
        Account::new(name, "https://dav.example.com/", "alice")
    }

    #[test]
    fn the_key_is_16_hex_of_the_canonical_path() {
        let dir = tempfile::tempdir().unwrap();
        let key = folder_key(dir.path());
        assert_eq!(key.len(), 16);
        assert!(key.chars().all(|c| c.is_ascii_hexdigit()));
        // Another spelling of the same folder has the same key.
        let other = dir.path().join(".").join("sub").join("..");
        assert_eq!(folder_key(&other), key);
        // A folder kith has yet to create keeps its key once it exists.
        let new = dir.path().join("new");
        let before = folder_key(&dir.path().join("other").join("..").join("new"));
        std::fs::create_dir(&new).unwrap();
        assert_eq!(folder_key(&new), before);
        assert_ne!(before, key);
    }

    #[test]
    fn the_state_folder_is_private_and_never_inside_the_data_folder() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let base = root.path().join("state");
        let dir = state_dir_in(&base, &data).unwrap();
        assert!(dir.starts_with(base.join("sync")));
        assert_eq!(state_dir_in(&base, &data).unwrap(), dir);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        let err = state_dir_in(&data.join(".state"), &data).unwrap_err();
        assert!(err.to_string().contains("inside the data folder"), "{err}");
    }

    #[test]
    fn state_file_names_are_safe() {
        assert_eq!(state_file_name("fastmail"), "state-fastmail.ron");
        assert_eq!(state_file_name("a b-c_d.e"), "state-a b-c_d.e.ron");
        assert_eq!(state_file_name("x:y"), "state-x%3Ay.ron");
        assert_eq!(state_file_name("../z"), "state-..%2Fz.ron");
        assert!(!state_file_name("Zoë").contains('ë'));
    }

    #[test]
    fn accounts_and_state_round_trip_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_accounts(dir.path()).unwrap().is_empty());
        assert_eq!(load_state(dir.path(), "a").unwrap(), SyncState::default());
        let mut a = account("a");
        a.addressbook = Some("https://dav.example.com/alice/contacts/".into());
        add_account(dir.path(), &a).unwrap();
        add_account(dir.path(), &account("b")).unwrap();
        let err = add_account(dir.path(), &account("A")).unwrap_err();
        assert!(err.to_string().contains("already an account"), "{err}");
        assert_eq!(load_accounts(dir.path()).unwrap()[0], a);
        assert!(add_account(dir.path(), &account(&"x".repeat(NAME_MAX + 1))).is_err());
        let mut state = SyncState::default();
        state.contacts.sync_token = Some("t1".into());
        state.last_error = Some("quote \" and\nnewline".into());
        save_state(dir.path(), "a", &state).unwrap();
        assert_eq!(load_state(dir.path(), "a").unwrap(), state);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            for name in [ACCOUNTS_FILE, "state-a.ron"] {
                let mode = std::fs::metadata(dir.path().join(name))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{name}");
            }
        }
        assert!(remove_account(dir.path(), "a").unwrap());
        assert!(!dir.path().join("state-a.ron").exists());
        assert!(!remove_account(dir.path(), "a").unwrap());
        assert_eq!(load_accounts(dir.path()).unwrap().len(), 1);
    }

    #[test]
    fn a_broken_file_is_named_and_never_written_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(ACCOUNTS_FILE);
        std::fs::write(&path, "[ (name: \"x\", oops ]").unwrap();
        let err = load_accounts(dir.path()).unwrap_err().to_string();
        assert!(err.contains("accounts.ron"), "{err}");
        let err = save_accounts(dir.path(), &[account("a")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("will not write over it"), "{err}");
        assert!(add_account(dir.path(), &account("a")).is_err());
        assert!(remove_account(dir.path(), "x").is_err());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[ (name: \"x\", oops ]"
        );
        let state = state_file(dir.path(), "a");
        std::fs::write(&state, [0xff, 0xfe]).unwrap();
        assert!(load_state(dir.path(), "a").is_err());
        assert!(save_state(dir.path(), "a", &SyncState::default()).is_err());
        assert_eq!(std::fs::read(&state).unwrap(), [0xff, 0xfe]);
    }

    #[test]
    fn accounts_added_at_once_are_all_kept() {
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|scope| {
            for n in 0..8 {
                let dir = dir.path();
                scope.spawn(move || add_account(dir, &account(&format!("a{n}"))).unwrap());
            }
        });
        assert_eq!(load_accounts(dir.path()).unwrap().len(), 8);
    }

    #[test]
    fn a_file_changed_by_hand_after_a_save_is_checked_again() {
        let dir = tempfile::tempdir().unwrap();
        save_accounts(dir.path(), &[account("a")]).unwrap();
        let path = dir.path().join(ACCOUNTS_FILE);
        std::fs::write(&path, "not ron at all, and longer than before").unwrap();
        assert!(save_accounts(dir.path(), &[account("b")]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_followed() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere.ron");
        std::fs::write(&elsewhere, "[]").unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.path().join(ACCOUNTS_FILE)).unwrap();
        let err = load_accounts(dir.path()).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        assert!(save_accounts(dir.path(), &[account("a")]).is_err());
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "[]");
        let linked_dir = dir.path().join("linked");
        std::os::unix::fs::symlink(dir.path(), &linked_dir).unwrap();
        assert!(save_state(&linked_dir, "a", &SyncState::default()).is_err());
    }

    #[test]
    fn an_oversized_accounts_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = std::fs::File::create(dir.path().join(ACCOUNTS_FILE)).unwrap();
        file.set_len(ACCOUNTS_FILE_CAP + 1).unwrap();
        let err = load_accounts(dir.path()).unwrap_err().to_string();
        assert!(err.contains("over kith's limit"), "{err}");
    }
}
