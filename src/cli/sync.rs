//! `kith sync`: sync the data folder with its CardDAV/CalDAV accounts, from
//! a terminal or a script (cron, systemd timer).
//!
//! The folder is opened for writing like `kith import` does (its lock is
//! taken, so it refuses while the app has the folder open), and a folder
//! whose files did not all load is never synced: its people would look
//! deleted, and the sync would delete them on the server.

use crate::session::{NoticeKind, Phase, Session};
use crate::storage;
use crate::storage::guard::{escape_text, shown};
use crate::storage::sync_store;
use crate::sync::run::{SyncReport, sync_blocking};
use crate::sync::{Account, SyncError, secret};
use std::io::Write;
use std::path::Path;

/// One account's line of a sync, as `--json` prints it.
#[derive(Debug, serde::Serialize)]
struct Row {
    account: String,
    ok: bool,
    report: Option<SyncReport>,
    error: Option<String>,
}

/// A hint after a refused password: where kith took it from.
pub fn password_hint(error: &SyncError) -> Option<&'static str> {
    if !matches!(error, SyncError::Unauthorized { .. }) {
        return None;
    }
    Some(if secret::env_password().is_some() {
        "hint: the password came from KITH_DAV_PASSWORD"
    } else {
        "hint: the password came from the system keyring or the terminal"
    })
}

/// One line for an account: "fastmail: ↓ 2 added · ↑ 1 changed · calendar
/// nothing · 0 conflicts, 5 requests".
pub fn report_line(report: &SyncReport) -> String {
    format!(
        "{}: ↓ {} · ↑ {} · calendar {} · {}, {} request{}",
        escape_text(&report.account),
        report.pulled.text(),
        report.pushed.text(),
        report.calendar.text(),
        match report.conflicts {
            1 => "1 conflict".to_string(),
            n => format!("{n} conflicts"),
        },
        report.requests,
        if report.requests == 1 { "" } else { "s" }
    )
}

/// `kith sync [--account NAME] [--json]` on the data folder `dir`: prints a
/// line per account (or one JSON array) to `out`, errors to `err`; returns
/// the exit code (1 when any account failed or the folder cannot sync).
pub fn sync(
    dir: &Path,
    only: Option<&str>,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let accounts = match chosen_accounts(dir, only) {
        Ok(accounts) => accounts,
        Err(why) => {
            writeln!(err, "error: {why}")?;
            return Ok(1);
        }
    };
    let (state_dir, accounts) = accounts;
    let mut session = match open(dir) {
        Ok(session) => session,
        Err(why) => {
            writeln!(err, "error: {why}")?;
            return Ok(1);
        }
    };
    let mut rows = Vec::new();
    for account in &accounts {
        let result = secret::password_or_prompt(account)
            .and_then(|password| sync_blocking(&mut session, account, password, &state_dir));
        match result {
            Ok(report) => {
                if !json {
                    writeln!(out, "{}", report_line(&report))?;
                }
                rows.push(Row {
                    account: account.name.clone(),
                    ok: true,
                    report: Some(report),
                    error: None,
                });
            }
            Err(error) => {
                writeln!(
                    err,
                    "error: account {}: {}",
                    escape_text(&account.name),
                    escape_text(&error.to_string())
                )?;
                if let Some(hint) = password_hint(&error) {
                    writeln!(err, "{hint}")?;
                }
                rows.push(Row {
                    account: account.name.clone(),
                    ok: false,
                    report: None,
                    error: Some(error.to_string()),
                });
            }
        }
    }
    session.shutdown();
    let mut failed = rows.iter().filter(|r| !r.ok).count();
    for notice in session.take_notices() {
        if notice.kind == NoticeKind::Error {
            writeln!(err, "error: {}", escape_text(&notice.text))?;
        }
    }
    if let Some(why) = session.save_error() {
        writeln!(
            err,
            "error: the data folder was not fully written: {}",
            escape_text(why)
        )?;
        failed = failed.max(1);
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    }
    Ok(i32::from(failed > 0))
}

/// The state folder of `dir` and the accounts to sync: all, or the one
/// named `only`.
fn chosen_accounts(
    dir: &Path,
    only: Option<&str>,
) -> Result<(std::path::PathBuf, Vec<Account>), SyncError> {
    let state_dir = sync_store::state_dir_for(dir)?;
    let accounts = sync_store::load_accounts(&state_dir)?;
    if accounts.is_empty() {
        return Err(SyncError::Account(
            "no sync accounts for this data folder; add one with `kith account add NAME --url URL --user USER`".into(),
        ));
    }
    let accounts = match only {
        None => accounts,
        Some(name) => {
            let names: Vec<String> = accounts.iter().map(|a| escape_text(&a.name)).collect();
            let chosen: Vec<Account> = accounts.into_iter().filter(|a| a.name == name).collect();
            if chosen.is_empty() {
                return Err(SyncError::Account(format!(
                    "no account named {:?} for this data folder (accounts: {})",
                    escape_text(name),
                    names.join(", ")
                )));
            }
            chosen
        }
    };
    Ok((state_dir, accounts))
}

/// Open `dir` for writing, loaded whole, or say why it cannot sync.
fn open(dir: &Path) -> Result<Session, String> {
    let fresh = storage::is_fresh(dir);
    let mut session = Session::open_folder(dir, storage::default_cache_dir());
    session.wait_until_loaded();
    if let Phase::Failed(why) = session.phase() {
        return Err(format!("cannot open the data folder {}: {why}", shown(dir)));
    }
    if let Some(read_only) = session.store().and_then(|store| store.read_only()) {
        return Err(format!(
            "{} (nothing synced; close the other kith or sync from the app)",
            read_only.reason
        ));
    }
    if !session.problems().is_empty() {
        let mut text = String::new();
        for problem in session.problems() {
            text.push_str(&format!("{problem}\n"));
        }
        return Err(format!(
            "{text}error: {} data file(s) failed to load, so nothing was synced: the sync would take their people for deleted (run `kith check`)",
            session.problems().len()
        ));
    }
    if fresh {
        // A new folder starts empty, never on the demo network: the demo
        // people are not the user's to put on a server.
        if !session.start_empty() {
            return Err(format!(
                "cannot start the new data folder {} empty",
                shown(dir)
            ));
        }
    } else if session.model().settings.is_demo {
        return Err(format!(
            "the data folder {} holds the demo network; open it in the app and keep the demo or start empty before syncing",
            shown(dir)
        ));
    }
    Ok(session)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::run::Counts;

    #[test]
    fn a_report_reads_as_one_line() {
        let report = SyncReport {
            account: "phone\nok".into(),
            pulled: Counts {
                added: 2,
                updated: 1,
                deleted: 0,
            },
            pushed: Counts::default(),
            calendar: Counts {
                added: 3,
                ..Counts::default()
            },
            conflicts: 1,
            requests: 7,
        };
        assert_eq!(
            report_line(&report),
            "phone\\u{a}ok: ↓ 2 added, 1 changed · ↑ nothing · calendar 3 added · 1 conflict, 7 requests"
        );
    }
}
