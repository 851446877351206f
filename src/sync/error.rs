//! Why a sync, a discovery or an account operation failed, in words that
//! name the server and say what to do.

/// Everything that can stop a sync. Each message names the server.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    /// No connection: refused, reset, DNS failure, or cut off mid-answer.
    #[error("could not reach {server}: {detail}")]
    Unreachable {
        /// Host (and port) of the server.
        server: String,
        /// What the network layer said.
        detail: String,
    },
    /// The server did not answer in time.
    #[error("{server} did not answer within {secs} s")]
    Timeout {
        /// Host of the server.
        server: String,
        /// The limit that passed.
        secs: u64,
    },
    /// 401: wrong user name or password.
    #[error("{server} refused the user name or password (401); check them in Sync settings")]
    Unauthorized {
        /// Host of the server.
        server: String,
    },
    /// 403: the account may not do this.
    #[error("{server} does not allow this account to {what} (403 Forbidden)")]
    Forbidden {
        /// Host of the server.
        server: String,
        /// What was refused ("write to the address book").
        what: String,
    },
    /// 404 on a collection: it moved or was deleted.
    #[error(
        "{server} has no collection at {url} (404); it may have moved: pick it again in Sync settings"
    )]
    NotFound {
        /// Host of the server.
        server: String,
        /// The collection URL that is gone.
        url: String,
    },
    /// 507: the account is out of space.
    #[error("{server} is out of storage space for this account (507 Insufficient Storage)")]
    Quota {
        /// Host of the server.
        server: String,
    },
    /// The TLS handshake failed (unknown issuer, expired, wrong pinned fingerprint…).
    #[error("the secure connection to {server} failed: {detail}")]
    Tls {
        /// Host of the server.
        server: String,
        /// What TLS said, and what to do about it.
        detail: String,
    },
    /// Any other unexpected HTTP status.
    #[error("{server} answered {status} to {what}")]
    Status {
        /// Host of the server.
        server: String,
        /// The HTTP status code.
        status: u16,
        /// The request ("PUT /dav/alice/contacts/x.vcf").
        what: String,
    },
    /// The server's answer could not be read (bad XML, not UTF-8, too large…).
    #[error("{server} sent an answer kith cannot read: {detail}")]
    BadResponse {
        /// Host of the server.
        server: String,
        /// What was wrong with it.
        detail: String,
    },
    /// No password: none in the keyring, none typed, no `KITH_DAV_PASSWORD`.
    #[error(
        "no password for account {account}: type it in Sync settings, or set KITH_DAV_PASSWORD"
    )]
    NoPassword {
        /// The account's name.
        account: String,
    },
    /// The account or its settings are not usable (no such account, bad URL…).
    #[error("{0}")]
    Account(String),
    /// Reading or writing kith's own files failed (the data folder, sync state).
    #[error("{0}")]
    Local(String),
}

impl SyncError {
    /// True for errors worth retrying later without the user doing
    /// anything (network down, timeout, 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            SyncError::Unreachable { .. } | SyncError::Timeout { .. } => true,
            SyncError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }
}
