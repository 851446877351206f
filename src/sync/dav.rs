//! The HTTP/WebDAV client sync talks through: a blocking API over libdav's
//! request types, with a timeout and a body cap on every request.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::SyncError;

/// What a collection holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An address book (vCards).
    Contact,
    /// A calendar (iCalendar objects).
    Calendar,
}

/// The collections found on a server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Discovery {
    /// The address books, absolute URLs.
    pub addressbooks: Vec<CollectionInfo>,
    /// The calendars, absolute URLs.
    pub calendars: Vec<CollectionInfo>,
}

/// One collection found by discovery.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CollectionInfo {
    /// Absolute URL of the collection.
    pub url: String,
    /// Its display name (or the last path segment).
    pub name: String,
    /// Whether it offers sync-collection (RFC 6578).
    pub supports_sync: bool,
    /// Supported calendar components (VTODO, VEVENT); empty for address books.
    pub components: Vec<String>,
}

/// The answer to a sync-collection REPORT.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncChanges {
    /// False when the server does not offer sync-collection here.
    pub supported: bool,
    /// The new sync token.
    pub token: Option<String>,
    /// Resources added or changed since the token.
    pub changed: Vec<Listed>,
    /// Hrefs removed since the token.
    pub removed: Vec<String>,
    /// The token given was refused (expired): list the collection in full.
    pub invalid_token: bool,
}

/// One resource in a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Path of the resource.
    pub href: String,
    /// Its ETag.
    pub etag: String,
}

/// One resource fetched with its data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// Path of the resource.
    pub href: String,
    /// Its ETag.
    pub etag: String,
    /// The vCard or iCalendar text.
    pub data: String,
}

/// How a PUT ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Put {
    /// Stored; the new ETag if the server said it.
    Done {
        /// The ETag of the stored resource.
        etag: Option<String>,
    },
    /// 412: the resource changed (or exists) on the server.
    PreconditionFailed,
}

/// How a DELETE ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deleted {
    /// Deleted.
    Done,
    /// 412: the resource changed on the server.
    PreconditionFailed,
    /// 404: it was already gone.
    Gone,
}

/// A blocking CardDAV/CalDAV client for one server.
pub struct DavClient {
    base: String,
    server: String,
    timeout: Duration,
    requests: AtomicU64,
}

fn not_built() -> SyncError {
    SyncError::Local("not built yet".into())
}

impl DavClient {
    /// A client for the server at `url`, with a pinned certificate fingerprint if given.
    pub fn connect(
        url: &str,
        _user: &str,
        _password: &str,
        _fingerprint: Option<&str>,
    ) -> Result<Self, SyncError> {
        Ok(DavClient {
            base: url.to_string(),
            server: url.to_string(),
            timeout: Duration::from_secs(30),
            requests: AtomicU64::new(0),
        })
    }

    /// "host:port" of the server, for messages.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// HTTP requests sent so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Sets the timeout of each request.
    pub fn set_timeout(&mut self, d: Duration) {
        self.timeout = d;
    }

    /// Finds the address books and calendars (RFC 6764).
    pub fn discover(&self) -> Result<Discovery, SyncError> {
        Err(not_built())
    }

    /// The changes since `token` (RFC 6578 sync-collection).
    pub fn sync_collection(
        &self,
        _collection: &str,
        _token: Option<&str>,
    ) -> Result<SyncChanges, SyncError> {
        Err(not_built())
    }

    /// The collection's getctag or sync-token.
    pub fn collection_tag(&self, _collection: &str) -> Result<Option<String>, SyncError> {
        Err(not_built())
    }

    /// Every resource in the collection with its ETag.
    pub fn list(&self, _collection: &str) -> Result<Vec<Listed>, SyncError> {
        Err(not_built())
    }

    /// The data of these resources (multiget, in batches).
    pub fn fetch(
        &self,
        _collection: &str,
        _hrefs: &[String],
        _kind: Kind,
    ) -> Result<Vec<Fetched>, SyncError> {
        Err(not_built())
    }

    /// Stores `body` at `href`: creates it when `etag` is None, else updates it if unchanged.
    pub fn put(
        &self,
        _href: &str,
        _body: &str,
        _kind: Kind,
        _etag: Option<&str>,
    ) -> Result<Put, SyncError> {
        Err(not_built())
    }

    /// Deletes `href` if its ETag is still `etag`.
    pub fn delete(&self, _href: &str, _etag: &str) -> Result<Deleted, SyncError> {
        Err(not_built())
    }

    /// The path of `file_name` inside `collection`, percent-encoded.
    pub fn href_for(&self, collection: &str, file_name: &str) -> String {
        let _ = &self.base;
        format!("{}/{}", collection.trim_end_matches('/'), file_name)
    }
}
