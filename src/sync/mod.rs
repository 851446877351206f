//! Two-way sync with CardDAV and CalDAV servers (Nextcloud, iCloud,
//! Fastmail, Radicale…): the people of one address book, and follow-ups and
//! dates published to one calendar.
//!
//! No egui here: the app runs [`worker`] on a background thread, and the
//! CLI (`kith sync`) and the tests call [`run::sync_blocking`].
//!
//! - [`account`]: accounts (no secrets) and where they live;
//! - [`secret`]: passwords (keyring, `KITH_DAV_PASSWORD`, typed once per run);
//! - [`dav`] and [`tls`]: the HTTP/WebDAV client (libdav requests, capped, timed out);
//! - [`merge`]: the pure three-way merge of a person against the last synced card;
//! - [`contacts`]: the address-book half of a sync;
//! - [`calendar`]: follow-ups as VTODOs, dates as yearly VEVENTs, and what comes back;
//! - [`state`]: what was last synced (ETags, sync token, base cards, open conflicts);
//! - [`run`]: one whole sync, split as prepare (model thread), run (network), finish;
//! - [`worker`]: the background thread the app talks to.

pub mod account;
pub mod calendar;
pub mod contacts;
pub mod dav;
mod error;
pub mod merge;
pub mod run;
pub mod secret;
pub mod state;
pub mod tls;
pub mod worker;

pub use account::{Account, Scope};
pub use error::SyncError;
pub use state::SyncState;
