//! Passwords of sync accounts. Never written to any file by kith.
//!
//! Looked up in this order:
//! 1. `KITH_DAV_PASSWORD` (scripts, tests, CI): one password for every account;
//! 2. the OS keyring (Secret Service, macOS Keychain, Windows Credential
//!    Manager): service `kith`, user `<user>@<url>` of the account;
//! 3. nothing: the app asks once per run (kept in memory), the CLI asks on
//!    the terminal ([`prompt_password`]) or fails with
//!    [`SyncError::NoPassword`].
//!
//! `KITH_NO_KEYRING=1` keeps kith away from the keyring altogether (tests
//! that must not touch a developer's real keyring).

use super::{Account, SyncError};

/// The environment variable with the password for every account.
pub const PASSWORD_ENV: &str = "KITH_DAV_PASSWORD";
/// The environment variable that turns the keyring off.
pub const NO_KEYRING_ENV: &str = "KITH_NO_KEYRING";
/// The keyring service name.
pub const SERVICE: &str = "kith";

/// The keyring user name of an account: `<user>@<url>`.
pub fn keyring_user(account: &Account) -> String {
    format!("{}@{}", account.user, account.url)
}

fn keyring_off() -> bool {
    std::env::var_os(NO_KEYRING_ENV).is_some_and(|v| !v.is_empty() && v != "0")
}

fn entry(account: &Account) -> Result<keyring::Entry, SyncError> {
    keyring::Entry::new(SERVICE, &keyring_user(account)).map_err(|e| {
        SyncError::Account(format!(
            "the system keyring cannot hold a password for account {}: {e}",
            account.name
        ))
    })
}

/// The password from `KITH_DAV_PASSWORD` (when set and not empty).
pub fn env_password() -> Option<String> {
    std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty())
}

/// The password of `account`: `KITH_DAV_PASSWORD`, else the keyring, else
/// Ok(None). A keyring that is missing (no Secret Service on a headless
/// machine), locked or refuses access is Ok(None) too: the caller asks the
/// user. Err only for an entry that exists but cannot be used.
pub fn password(account: &Account) -> Result<Option<String>, SyncError> {
    if let Some(password) = env_password() {
        return Ok(Some(password));
    }
    if keyring_off() {
        return Ok(None);
    }
    let entry = match entry(account) {
        Ok(entry) => entry,
        Err(_) => return Ok(None),
    };
    match entry.get_password() {
        Ok(password) if !password.is_empty() => Ok(Some(password)),
        Ok(_) => Ok(None),
        Err(
            keyring::Error::NoEntry
            | keyring::Error::PlatformFailure(_)
            | keyring::Error::NoStorageAccess(_),
        ) => Ok(None),
        Err(keyring::Error::BadEncoding(_)) => Err(SyncError::Account(format!(
            "the password of account {} in the system keyring is not text; remove it there and type it again",
            account.name
        ))),
        Err(e) => Err(SyncError::Account(format!(
            "the system keyring has no usable password for account {}: {e}",
            account.name
        ))),
    }
}

/// Keep `password` for `account` in the OS keyring. Err (saying why) when
/// there is no keyring or it refused: the password is then not kept.
pub fn remember(account: &Account, password: &str) -> Result<(), SyncError> {
    if keyring_off() {
        return Err(SyncError::Account(format!(
            "the password of account {} was not saved: the keyring is turned off ({NO_KEYRING_ENV})",
            account.name
        )));
    }
    entry(account)?.set_password(password).map_err(|e| {
        SyncError::Account(format!(
            "the password of account {} was not saved in the system keyring: {e}",
            account.name
        ))
    })
}

/// Remove the password of `account` from the OS keyring. Ok when there was
/// none, or when there is no keyring at all (then nothing was kept).
pub fn forget(account: &Account) -> Result<(), SyncError> {
    if keyring_off() {
        return Ok(());
    }
    match entry(account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry | keyring::Error::PlatformFailure(_)) => Ok(()),
        Err(e) => Err(SyncError::Account(format!(
            "the password of account {} could not be removed from the system keyring: {e}",
            account.name
        ))),
    }
}

/// The password of `account` from [`password`], else typed on the terminal
/// when standard input is one ([`prompt_password`]), else
/// [`SyncError::NoPassword`].
pub fn password_or_prompt(account: &Account) -> Result<String, SyncError> {
    if let Some(password) = password(account)? {
        return Ok(password);
    }
    prompt_password(account)?.ok_or_else(|| SyncError::NoPassword {
        account: account.name.clone(),
    })
}

/// Ask for the password of `account` on the terminal, without echo.
/// Ok(None) when standard input is not a terminal (a script: nobody to ask)
/// or the user typed nothing.
pub fn prompt_password(account: &Account) -> Result<Option<String>, SyncError> {
    use std::io::{IsTerminal, Write};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Ok(None);
    }
    let mut err = std::io::stderr();
    let quiet = NoEcho::new();
    let _ = write!(
        err,
        "Password for {} at {} (account {}){}: ",
        crate::storage::guard::escape_text(&account.user),
        crate::storage::guard::escape_text(&account.url),
        crate::storage::guard::escape_text(&account.name),
        if quiet.off {
            ""
        } else {
            " (it will show as you type)"
        }
    );
    let _ = err.flush();
    let line = {
        let _quiet = quiet;
        let mut line = String::new();
        let read = std::io::BufRead::read_line(
            &mut std::io::Read::take(stdin.lock(), 64 * 1024),
            &mut line,
        );
        read.map(|_| line)
    };
    let _ = writeln!(err);
    let line = line.map_err(|e| {
        SyncError::Local(format!(
            "could not read the password from the terminal: {e}"
        ))
    })?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    Ok((!password.is_empty()).then_some(password))
}

/// Terminal echo turned off while it lives, with `stty -echo` on the
/// terminal of standard input (Unix; nothing elsewhere, and nothing when
/// `stty` is missing: the prompt then says the password will show).
struct NoEcho {
    off: bool,
}

impl NoEcho {
    fn new() -> Self {
        Self {
            off: cfg!(unix) && stty("-echo"),
        }
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        if self.off {
            stty("echo");
        }
    }
}

/// Run `stty <arg>` on the terminal of standard input; true when it worked.
fn stty(arg: &str) -> bool {
    std::process::Command::new("stty")
        .arg(arg)
        .stdin(std::process::Stdio::inherit())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyring_user_names_user_and_server() {
        let account = Account::new("fm", "https://carddav.fastmail.com/", "me@fastmail.com");
        assert_eq!(
            keyring_user(&account),
            "me@fastmail.com@https://carddav.fastmail.com/"
        );
    }
}
