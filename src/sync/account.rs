//! A sync account: which server, which address book and calendar, and how
//! kith behaves towards it. No secrets: passwords live in [`super::secret`].
//!
//! Accounts and their sync state are kept per machine, outside the data
//! folder (see [`crate::storage::sync_store`]): two machines sharing one
//! synced folder each keep their own ETags and sync tokens, so neither can
//! overwrite the other's idea of what the server holds.

use serde::{Deserialize, Serialize};

/// Which people an account syncs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// Everyone (not in the trash).
    #[default]
    All,
    /// Only people with this tag (for example "phone").
    Tag(String),
}

/// One CardDAV/CalDAV account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// The user's name for it ("fastmail"); unique, used by `kith sync --account`.
    pub name: String,
    /// The server URL as entered (discovery starts here).
    pub url: String,
    /// The user name on the server.
    pub user: String,
    /// The address book collection (absolute URL), if contacts sync.
    #[serde(default)]
    pub addressbook: Option<String>,
    /// The calendar collection (absolute URL), if follow-ups and dates are published.
    #[serde(default)]
    pub calendar: Option<String>,
    /// Also write kith's own fields (stage, interests, needs, wants, can
    /// help with) to the server as `X-KITH-*` properties. Off by default:
    /// relationship notes are not the phone provider's business.
    #[serde(default)]
    pub write_kith_fields: bool,
    /// Sync the free notes as the card's NOTE, both ways. Off by default:
    /// notes stay in kith, and a phone's own NOTE is left as it is.
    #[serde(default)]
    pub sync_notes: bool,
    /// Which people sync.
    #[serde(default)]
    pub scope: Scope,
    /// Minutes between syncs while the app runs; 0 syncs only at start and on demand.
    #[serde(default = "default_interval")]
    pub interval_minutes: u32,
    /// The SHA-256 fingerprint (hex, colons allowed) of one self-signed
    /// certificate to accept for this server, instead of the system's roots.
    #[serde(default)]
    pub tls_fingerprint: Option<String>,
    /// Publish open follow-ups as VTODOs (needs a calendar).
    #[serde(default = "yes")]
    pub publish_follow_ups: bool,
    /// Publish birthdays and other dates as yearly all-day VEVENTs (needs a calendar).
    #[serde(default = "yes")]
    pub publish_dates: bool,
}

fn default_interval() -> u32 {
    15
}

fn yes() -> bool {
    true
}

impl Account {
    /// A new account with the defaults (no collections picked yet).
    pub fn new(name: impl Into<String>, url: impl Into<String>, user: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            url: url.into(),
            user: user.into(),
            addressbook: None,
            calendar: None,
            write_kith_fields: false,
            sync_notes: false,
            scope: Scope::All,
            interval_minutes: default_interval(),
            tls_fingerprint: None,
            publish_follow_ups: true,
            publish_dates: true,
        }
    }

    /// Whether this account syncs `person` (in scope and not in the trash).
    pub fn includes(&self, person: &crate::model::Person) -> bool {
        match &self.scope {
            Scope::All => true,
            Scope::Tag(tag) => person.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
        }
    }

    /// Check the fields a user typed; the error says what to fix.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.trim().is_empty() {
            return Err("the account needs a name".into());
        }
        if self
            .name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
        {
            return Err("the account name cannot hold slashes or control characters".into());
        }
        let url = self.url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return Err(format!(
                "the server URL must start with https:// (got {url:?})"
            ));
        }
        if self.user.trim().is_empty() {
            return Err("the account needs a user name".into());
        }
        if let Scope::Tag(tag) = &self.scope
            && tag.trim().is_empty()
        {
            return Err("pick the tag that limits which people sync".into());
        }
        Ok(())
    }
}
