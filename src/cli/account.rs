//! `kith account add|list|remove`: the CardDAV/CalDAV accounts a data
//! folder syncs with. Accounts are kept on this machine, outside the data
//! folder ([`crate::storage::sync_store`]); passwords never go to a file
//! (`KITH_DAV_PASSWORD`, the system keyring with `--remember-password`, or
//! typed on the terminal).

use crate::storage::guard::{escape_text, shown};
use crate::storage::sync_store;
use crate::sync::dav::{CollectionInfo, DavClient, Discovery};
use crate::sync::{Account, Scope, secret};
use clap::Subcommand;
use std::io::Write;
use std::path::Path;

/// `kith account …` subcommands.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Add a CardDAV/CalDAV account. Without --addressbook and --calendar,
    /// kith asks the server (RFC 6764 discovery) and picks the first address
    /// book and the first calendar that holds tasks; the password comes from
    /// KITH_DAV_PASSWORD, the system keyring, or is asked on the terminal.
    Add(AddArgs),
    /// List the accounts of the data folder, with their last sync.
    List {
        /// Print a JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove an account, its sync state and its password in the keyring.
    /// Nothing on the server or in the data folder changes.
    Remove {
        /// The account's name.
        name: String,
    },
}

/// The options of `kith account add`.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// A name for the account ("fastmail"), used by `kith sync --account`.
    pub name: String,
    /// The server URL (https://carddav.fastmail.com, http://host:5232/…).
    #[arg(long)]
    pub url: String,
    /// The user name on the server.
    #[arg(long)]
    pub user: String,
    /// The address book collection URL (skips discovering one).
    #[arg(long, value_name = "URL")]
    pub addressbook: Option<String>,
    /// The calendar collection URL for follow-ups and dates (skips discovering one).
    #[arg(long, value_name = "URL")]
    pub calendar: Option<String>,
    /// Also write kith's own fields (stage, interests, needs…) to the
    /// server as X-KITH-* properties.
    #[arg(long)]
    pub write_kith_fields: bool,
    /// Sync the free notes as the card's NOTE, both ways.
    #[arg(long)]
    pub sync_notes: bool,
    /// Only sync people with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Minutes between syncs while the app runs (0: only at start and on demand).
    #[arg(long, value_name = "MIN", default_value_t = 15)]
    pub interval: u32,
    /// SHA-256 fingerprint (hex, colons allowed) of a self-signed certificate to accept.
    #[arg(long, value_name = "SHA256")]
    pub fingerprint: Option<String>,
    /// Do not ask the server for collections: only --addressbook/--calendar are used.
    #[arg(long)]
    pub no_discover: bool,
    /// Keep the password in the system keyring.
    #[arg(long)]
    pub remember_password: bool,
    /// Do not publish open follow-ups to the calendar.
    #[arg(long)]
    pub no_follow_ups: bool,
    /// Do not publish birthdays and other dates to the calendar.
    #[arg(long)]
    pub no_dates: bool,
}

/// Run `kith account …` for the data folder `data`; returns the exit code.
pub fn account(
    data: &Path,
    command: AccountCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let dir = match sync_store::state_dir_for(data) {
        Ok(dir) => dir,
        Err(error) => {
            writeln!(err, "error: {error}")?;
            return Ok(1);
        }
    };
    match command {
        AccountCommand::Add(args) => add(&dir, args, out, err),
        AccountCommand::List { json } => list(&dir, json, out, err),
        AccountCommand::Remove { name } => remove(&dir, &name, out, err),
    }
}

/// Check a certificate fingerprint: 64 hex digits, colons and spaces allowed.
pub fn check_fingerprint(text: &str) -> Result<String, String> {
    let hex: String = text
        .chars()
        .filter(|c| *c != ':' && !c.is_whitespace())
        .collect();
    if hex.len() == 64 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(text.trim().to_string())
    } else {
        Err(format!(
            "the fingerprint {:?} is not a SHA-256 (64 hex digits, colons allowed)",
            escape_text(text)
        ))
    }
}

/// Check a collection URL the user typed: absolute http(s).
fn check_collection(what: &str, url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => Ok(url.to_string()),
        _ => Err(format!(
            "the {what} must be a full URL starting with https:// (got {:?})",
            escape_text(url)
        )),
    }
}

/// The account the options describe, checked.
fn account_from(args: &AddArgs) -> Result<Account, String> {
    let mut account = Account::new(args.name.trim(), args.url.trim(), args.user.trim());
    account.addressbook = args
        .addressbook
        .as_deref()
        .map(|url| check_collection("address book", url))
        .transpose()?;
    account.calendar = args
        .calendar
        .as_deref()
        .map(|url| check_collection("calendar", url))
        .transpose()?;
    account.write_kith_fields = args.write_kith_fields;
    account.sync_notes = args.sync_notes;
    if let Some(tag) = &args.tag {
        account.scope = Scope::Tag(tag.trim().to_string());
    }
    account.interval_minutes = args.interval;
    account.tls_fingerprint = args
        .fingerprint
        .as_deref()
        .map(check_fingerprint)
        .transpose()?;
    account.publish_follow_ups = !args.no_follow_ups;
    account.publish_dates = !args.no_dates;
    account.validate()?;
    if let Some(rest) = account
        .url
        .strip_prefix("https://")
        .or_else(|| account.url.strip_prefix("http://"))
        && (rest.is_empty() || rest.starts_with('/'))
    {
        return Err(format!(
            "the server URL {:?} has no host name",
            escape_text(&account.url)
        ));
    }
    Ok(account)
}

/// Whether a calendar can hold follow-ups (VTODO); a server that does not
/// say which components it takes takes them all (RFC 4791).
fn holds_tasks(calendar: &CollectionInfo) -> bool {
    calendar.components.is_empty()
        || calendar
            .components
            .iter()
            .any(|c| c.eq_ignore_ascii_case("VTODO"))
}

/// One collection, for a line of output.
fn collection_line(info: &CollectionInfo) -> String {
    format!("{} ({})", escape_text(&info.url), escape_text(&info.name))
}

/// Pick what discovery found for the parts the user did not give.
fn pick(account: &mut Account, found: &Discovery, out: &mut dyn Write) -> std::io::Result<()> {
    if account.addressbook.is_none() {
        if let Some(first) = found.addressbooks.first() {
            account.addressbook = Some(first.url.clone());
            writeln!(out, "address book: {}", collection_line(first))?;
            for other in &found.addressbooks[1..] {
                writeln!(
                    out,
                    "  also found: {} (use --addressbook URL to pick it)",
                    collection_line(other)
                )?;
            }
        } else {
            writeln!(out, "address book: none found on the server")?;
        }
    }
    if account.calendar.is_none() {
        match found.calendars.iter().position(holds_tasks) {
            Some(at) => {
                let chosen = &found.calendars[at];
                account.calendar = Some(chosen.url.clone());
                writeln!(out, "calendar: {}", collection_line(chosen))?;
            }
            None => writeln!(out, "calendar: none found that holds tasks")?,
        }
        for other in &found.calendars {
            if account.calendar.as_deref() != Some(other.url.as_str()) {
                writeln!(
                    out,
                    "  also found: {}{} (use --calendar URL to pick it)",
                    collection_line(other),
                    if holds_tasks(other) { "" } else { ", no tasks" }
                )?;
            }
        }
    }
    Ok(())
}

fn add(dir: &Path, args: AddArgs, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let mut account = match account_from(&args) {
        Ok(account) => account,
        Err(why) => {
            writeln!(err, "error: {why}")?;
            return Ok(2);
        }
    };
    // Refuse a taken name before asking the server anything.
    match sync_store::load_accounts(dir) {
        Ok(accounts)
            if accounts
                .iter()
                .any(|a| a.name.to_lowercase() == account.name.to_lowercase()) =>
        {
            writeln!(
                err,
                "error: there is already an account named {:?}; pick another name or remove it first",
                escape_text(&account.name)
            )?;
            return Ok(1);
        }
        Ok(_) => {}
        Err(error) => {
            writeln!(err, "error: {error}")?;
            return Ok(1);
        }
    }
    let discover =
        !args.no_discover && (account.addressbook.is_none() || account.calendar.is_none());
    if args.no_discover && account.addressbook.is_none() && account.calendar.is_none() {
        writeln!(
            err,
            "error: nothing to sync: give --addressbook URL and/or --calendar URL, or leave out --no-discover"
        )?;
        return Ok(2);
    }
    let mut password = None;
    if discover || args.remember_password {
        match secret::password_or_prompt(&account) {
            Ok(typed) => password = Some(typed),
            Err(error) => {
                writeln!(err, "error: {error}")?;
                return Ok(1);
            }
        }
    }
    if discover && let Some(password) = &password {
        let found = DavClient::connect(
            &account.url,
            &account.user,
            password,
            account.tls_fingerprint.as_deref(),
        )
        .and_then(|client| client.discover());
        match found {
            Ok(found) => pick(&mut account, &found, out)?,
            Err(error) => {
                writeln!(err, "error: {error}")?;
                if let Some(hint) = super::sync::password_hint(&error) {
                    writeln!(err, "{hint}")?;
                }
                writeln!(
                    err,
                    "error: account {} not saved",
                    escape_text(&account.name)
                )?;
                return Ok(1);
            }
        }
        if account.addressbook.is_none() && account.calendar.is_none() {
            writeln!(
                err,
                "error: {} has no address book or calendar for {}; give --addressbook URL or --calendar URL",
                escape_text(&account.url),
                escape_text(&account.user)
            )?;
            return Ok(1);
        }
    }
    if args.remember_password
        && let Some(password) = &password
        && let Err(error) = secret::remember(&account, password)
    {
        writeln!(err, "error: {error}")?;
        writeln!(
            err,
            "error: account {} not saved (leave out --remember-password to save it without the password)",
            escape_text(&account.name)
        )?;
        return Ok(1);
    }
    if let Err(error) = sync_store::add_account(dir, &account) {
        if args.remember_password {
            let _ = secret::forget(&account);
        }
        writeln!(err, "error: {error}")?;
        return Ok(1);
    }
    writeln!(
        out,
        "saved account {} in {}",
        escape_text(&account.name),
        shown(&dir.join(sync_store::ACCOUNTS_FILE))
    )?;
    write_account(&account, out)?;
    if args.remember_password {
        writeln!(out, "  password: kept in the system keyring")?;
    } else {
        writeln!(
            out,
            "  password: not kept (set KITH_DAV_PASSWORD, or add again with --remember-password; kith sync asks on a terminal)"
        )?;
    }
    Ok(0)
}

/// The settings of an account, indented, one per line.
fn write_account(account: &Account, out: &mut dyn Write) -> std::io::Result<()> {
    let none = || "none".to_string();
    writeln!(
        out,
        "  server: {} as {}",
        escape_text(&account.url),
        escape_text(&account.user)
    )?;
    writeln!(
        out,
        "  address book: {}",
        account
            .addressbook
            .as_deref()
            .map(escape_text)
            .unwrap_or_else(none)
    )?;
    let mut publish = Vec::new();
    if account.publish_follow_ups {
        publish.push("follow-ups");
    }
    if account.publish_dates {
        publish.push("dates");
    }
    writeln!(
        out,
        "  calendar: {}{}",
        account
            .calendar
            .as_deref()
            .map(escape_text)
            .unwrap_or_else(none),
        if account.calendar.is_some() && !publish.is_empty() {
            format!(" ({})", publish.join(" and "))
        } else {
            String::new()
        }
    )?;
    let people = match &account.scope {
        Scope::All => "everyone".to_string(),
        Scope::Tag(tag) => format!("people tagged {:?}", escape_text(tag)),
    };
    writeln!(out, "  people: {people}")?;
    writeln!(
        out,
        "  notes: {}; kith's fields as X-KITH-*: {}",
        if account.sync_notes {
            "synced"
        } else {
            "stay in kith"
        },
        if account.write_kith_fields {
            "written"
        } else {
            "not written"
        }
    )?;
    writeln!(
        out,
        "  every: {}",
        match account.interval_minutes {
            0 => "only at start and on demand".to_string(),
            n => format!("{n} min while the app runs"),
        }
    )?;
    if let Some(fingerprint) = &account.tls_fingerprint {
        writeln!(
            out,
            "  certificate: pinned SHA-256 {}",
            escape_text(fingerprint)
        )?;
    }
    Ok(())
}

fn list(dir: &Path, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let accounts = match sync_store::load_accounts(dir) {
        Ok(accounts) => accounts,
        Err(error) => {
            writeln!(err, "error: {error}")?;
            return Ok(1);
        }
    };
    let mut code = 0;
    let mut rows = Vec::new();
    for account in &accounts {
        let state = sync_store::load_state(dir, &account.name);
        if let Err(error) = &state {
            writeln!(err, "error: {error}")?;
            code = 1;
        }
        if json {
            let mut row = serde_json::to_value(account)?;
            if let (Some(map), Ok(state)) = (row.as_object_mut(), &state) {
                map.insert(
                    "last_success".into(),
                    serde_json::to_value(state.last_success)?,
                );
                map.insert(
                    "last_error".into(),
                    serde_json::to_value(&state.last_error)?,
                );
                map.insert("conflicts".into(), state.conflicts.len().into());
            }
            rows.push(row);
            continue;
        }
        writeln!(out, "{}", escape_text(&account.name))?;
        write_account(account, out)?;
        if let Ok(state) = &state {
            let last = match state.last_success {
                Some(when) => when.format("%Y-%m-%d %H:%M UTC").to_string(),
                None => "never".into(),
            };
            writeln!(out, "  last sync: {last}")?;
            if let Some(error) = &state.last_error {
                writeln!(out, "  last error: {}", escape_text(error))?;
            }
            if !state.conflicts.is_empty() {
                writeln!(
                    out,
                    "  conflicts: {} (settle them in the app)",
                    state.conflicts.len()
                )?;
            }
        }
    }
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        writeln!(out)?;
    } else if accounts.is_empty() {
        writeln!(
            out,
            "no sync accounts for this data folder; add one with `kith account add NAME --url URL --user USER`"
        )?;
    }
    Ok(code)
}

fn remove(dir: &Path, name: &str, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let account = match sync_store::find_account(dir, name) {
        Ok(Some(account)) => account,
        Ok(None) => {
            let names: Vec<String> = sync_store::load_accounts(dir)
                .unwrap_or_default()
                .iter()
                .map(|a| escape_text(&a.name))
                .collect();
            writeln!(
                err,
                "error: no account named {:?} for this data folder{}",
                escape_text(name),
                if names.is_empty() {
                    String::new()
                } else {
                    format!(" (accounts: {})", names.join(", "))
                }
            )?;
            return Ok(1);
        }
        Err(error) => {
            writeln!(err, "error: {error}")?;
            return Ok(1);
        }
    };
    match sync_store::remove_account(dir, name) {
        Ok(true) => {}
        Ok(false) => {
            writeln!(
                err,
                "error: account {:?} vanished while kith removed it",
                escape_text(name)
            )?;
            return Ok(1);
        }
        Err(error) => {
            writeln!(err, "error: {error}")?;
            return Ok(1);
        }
    }
    writeln!(
        out,
        "removed account {} and its sync state; the server and the data folder are unchanged",
        escape_text(name)
    )?;
    if let Err(error) = secret::forget(&account) {
        writeln!(err, "error: {error}")?;
        return Ok(1);
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn info(url: &str, components: &[&str]) -> CollectionInfo {
        CollectionInfo {
            url: url.into(),
            name: "Name\u{1b}[2K".into(),
            supports_sync: true,
            components: components.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn fingerprints_and_collection_urls_are_checked() {
        let hex = "ab".repeat(32);
        assert!(check_fingerprint(&hex).is_ok());
        let colons: Vec<String> = (0..32).map(|_| "AB".to_string()).collect();
        assert!(check_fingerprint(&colons.join(":")).is_ok());
        assert!(check_fingerprint("12:34").is_err());
        assert!(check_fingerprint(&"zz".repeat(32)).is_err());
        assert!(check_collection("calendar", "https://h/c/").is_ok());
        assert!(check_collection("calendar", "/c/").is_err());
        assert!(check_collection("calendar", "https:///c/").is_err());
    }

    #[test]
    fn discovery_picks_the_first_book_and_the_first_calendar_with_tasks() {
        let found = Discovery {
            addressbooks: vec![info("https://h/a1/", &[]), info("https://h/a2/", &[])],
            calendars: vec![
                info("https://h/events/", &["VEVENT"]),
                info("https://h/tasks/", &["VEVENT", "VTODO"]),
            ],
        };
        let mut account = Account::new("a", "https://h/", "me");
        let mut out = Vec::new();
        pick(&mut account, &found, &mut out).unwrap();
        assert_eq!(account.addressbook.as_deref(), Some("https://h/a1/"));
        assert_eq!(account.calendar.as_deref(), Some("https://h/tasks/"));
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("also found: https://h/a2/"), "{text}");
        assert!(text.contains("https://h/events/"), "{text}");
        assert!(text.contains("no tasks"), "{text}");
        // Names from the server cannot fake a line of output.
        assert!(!text.contains('\u{1b}'), "{text}");
        // What the user gave is kept.
        let mut given = Account::new("a", "https://h/", "me");
        given.calendar = Some("https://h/mine/".into());
        pick(&mut given, &found, &mut Vec::new()).unwrap();
        assert_eq!(given.calendar.as_deref(), Some("https://h/mine/"));
        assert!(holds_tasks(&info("https://h/any/", &[])));
    }
}
