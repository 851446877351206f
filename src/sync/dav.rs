//! The HTTP/WebDAV client sync talks through: a blocking API over libdav's
//! request types, run on a private tokio current-thread runtime, with a
//! timeout and a body cap on every request and a count of requests sent.
//!
//! Hrefs are paths in libdav's form: only reserved characters (`/ : ? # @
//! …`) are percent-encoded, everything else is plain text, exactly as the
//! server's multistatus answers are normalised. Methods taking a
//! collection accept its absolute URL (as discovery returns it and as the
//! account stores it) or its path; a path is resolved against the server
//! of the last absolute URL used (iCloud keeps address books on another
//! host than the one the user typed), at first the one given to
//! [`DavClient::connect`].

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http::header::{AUTHORIZATION, HeaderValue, LOCATION, USER_AGENT};
use http::response::Parts;
use http::{Method, Request, Uri};
use http_body_util::{BodyExt, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use libdav::encoding::{normalise_percent_encoded, strict_percent_encoded};
use libdav::names;
use libdav::requests::{DavRequest, ParseResponseError, xml_content_type_header};
use libdav::xmlutils::XmlNode;
use libdav::{Depth, PropertyName};

use super::SyncError;

/// Default time a request may take, body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest answer read from a server.
pub const BODY_CAP: usize = 16 * 1024 * 1024;
/// Hrefs asked for in one multiget REPORT.
pub const MULTIGET_BATCH: usize = 100;
/// Redirects followed during discovery.
const MAX_REDIRECTS: usize = 5;
/// sync-collection rounds when the server truncates its answer (507 on the collection).
const MAX_SYNC_ROUNDS: usize = 50;

const GETCTAG: PropertyName = PropertyName::new(names::CALENDAR_SERVER, "getctag");
const VALID_SYNC_TOKEN: &str = "valid-sync-token";

/// What a collection holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An address book (vCards).
    Contact,
    /// A calendar (iCalendar objects).
    Calendar,
}

impl Kind {
    fn content_type(self) -> &'static str {
        match self {
            Kind::Contact => "text/vcard; charset=utf-8",
            Kind::Calendar => "text/calendar; charset=utf-8",
        }
    }
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
    /// Supported calendar components (VTODO, VEVENT); empty for address
    /// books, and for calendars whose server does not say (then all are).
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
    /// The token given was refused (expired, or the collection was reset):
    /// list the collection in full and start again without a token.
    pub invalid_token: bool,
}

/// One resource in a listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Path of the resource.
    pub href: String,
    /// Its ETag (empty if the server did not give one).
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
    /// 412: the resource changed (or, for a create, already exists) on the server.
    PreconditionFailed,
}

/// How a DELETE ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deleted {
    /// Deleted.
    Done,
    /// 412: the resource changed on the server.
    PreconditionFailed,
    /// 404/410: it was already gone.
    Gone,
}

type HttpsClient = Client<hyper_rustls::HttpsConnector<HttpConnector>, String>;

/// A blocking CardDAV/CalDAV client for one server.
pub struct DavClient {
    rt: tokio::runtime::Runtime,
    client: HttpsClient,
    auth: HeaderValue,
    /// The URL given to `connect`.
    start: Uri,
    /// scheme://authority/ that paths resolve against.
    origin: Mutex<Uri>,
    server: String,
    timeout: Duration,
    requests: AtomicU64,
}

impl std::fmt::Debug for DavClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the credentials.
        f.debug_struct("DavClient")
            .field("server", &self.server)
            .field("origin", &self.current_origin())
            .field("timeout", &self.timeout)
            .field("requests", &self.requests())
            .finish_non_exhaustive()
    }
}

/// Where one request goes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Target {
    /// scheme://authority/
    origin: Uri,
    /// Path in libdav form.
    path: String,
}

impl Target {
    fn url(&self) -> String {
        format!(
            "{}://{}{}",
            self.origin.scheme_str().unwrap_or("https"),
            self.origin.authority().map(|a| a.as_str()).unwrap_or(""),
            strict_percent_encoded(&self.path)
        )
    }
}

/// A failed exchange, before it is named for the user.
enum Failure {
    /// The answer was longer than [`BODY_CAP`].
    TooLarge,
    /// Anything else.
    Error(SyncError),
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Self {
        Failure::Error(e)
    }
}

fn flatten(f: Failure, server: &str) -> SyncError {
    match f {
        Failure::TooLarge => SyncError::BadResponse {
            server: server.to_string(),
            detail: format!("the answer is larger than {} MiB", BODY_CAP / (1024 * 1024)),
        },
        Failure::Error(e) => e,
    }
}

/// "host:port" of a URI.
fn server_of(uri: &Uri) -> String {
    let host = uri.host().unwrap_or("?");
    let port = uri.port_u16().unwrap_or(match uri.scheme_str() {
        Some("http") => 80,
        _ => 443,
    });
    format!("{host}:{port}")
}

/// Parses what the user typed as a server URL (https:// when no scheme).
fn parse_url(url: &str) -> Result<Uri, SyncError> {
    let text = url.trim();
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("https://{text}")
    };
    let encoded = strict_percent_encoded(&with_scheme);
    let uri: Uri = encoded
        .parse()
        .map_err(|e| SyncError::Account(format!("{url:?} is not a server address: {e}")))?;
    match uri.scheme_str() {
        Some("http") | Some("https") => {}
        _ => {
            return Err(SyncError::Account(format!(
                "{url:?} is not an http:// or https:// address"
            )));
        }
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(SyncError::Account(format!("{url:?} names no server")));
    }
    Ok(uri)
}

/// scheme://authority/ of an absolute URI.
fn origin_of(uri: &Uri) -> Result<Uri, SyncError> {
    let mut parts = http::uri::Parts::default();
    parts.scheme = uri.scheme().cloned();
    parts.authority = uri.authority().cloned();
    parts.path_and_query = Some(http::uri::PathAndQuery::from_static("/"));
    Uri::from_parts(parts).map_err(|e| SyncError::Account(format!("bad server address: {e}")))
}

/// A path in libdav's form (reserved characters encoded, the rest plain).
fn normalise_path(path: &str) -> String {
    match normalise_percent_encoded(path) {
        Ok(p) => p.into_owned(),
        Err(_) => path.to_string(),
    }
}

/// An href without the line breaks and tabs of pretty-printed XML
/// (never part of a name: [`encode_segment`] encodes them). Spaces stay:
/// they may end a file name.
fn trim_href(href: &str) -> &str {
    href.trim_matches(['\r', '\n', '\t'])
}

/// The path of an href a server sent (absolute URL or path), in libdav form.
fn href_path(href: &str) -> String {
    let href = trim_href(href);
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    let path = if lower.starts_with("http://") || lower.starts_with("https://") {
        match href.find("://").map(|i| i + 3) {
            Some(start) => match href.get(start..).and_then(|rest| rest.find('/')) {
                Some(slash) => href.get(start + slash..).unwrap_or("/"),
                None => "/",
            },
            None => href,
        }
    } else {
        href
    };
    normalise_path(path)
}

fn same_collection(a: &str, b: &str) -> bool {
    a.trim_end_matches('/') == b.trim_end_matches('/')
}

/// Percent-encodes a file name so it stays one path segment.
fn encode_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            ':' | '/' | '?' | '#' | '[' | ']' | '@' | '!' | '$' | '&' | '\'' | '(' | ')' | '*'
            | '+' | ',' | ';' | '=' | '%' | '\\' => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    if out == "." || out == ".." {
        out = out.replace('.', "%2E");
    }
    out
}

/// The error for an HTTP status that is not a success.
///
/// `request` is "PUT /path" (for unexpected statuses), `action` what the
/// user would call it ("write /path") for 403, `collection` the collection
/// URL when a 404 means the collection itself is gone.
fn status_error(
    server: &str,
    status: u16,
    request: &str,
    action: &str,
    collection: Option<&str>,
) -> SyncError {
    let server = server.to_string();
    match (status, collection) {
        (401, _) => SyncError::Unauthorized { server },
        (403, _) => SyncError::Forbidden {
            server,
            what: action.to_string(),
        },
        (404, Some(url)) | (410, Some(url)) => SyncError::NotFound {
            server,
            url: url.to_string(),
        },
        (507, _) => SyncError::Quota { server },
        _ => SyncError::Status {
            server,
            status,
            what: request.to_string(),
        },
    }
}

/// The name of the DAV precondition in an error body (`no-uid-conflict`…), if any.
fn precondition(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let doc = roxmltree::Document::parse(text).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "error" {
        return None;
    }
    root.children()
        .find(|n| n.is_element())
        .map(|n| n.tag_name().name().to_string())
}

/// The status code in "HTTP/1.1 404 Not Found".
fn status_line(text: &str) -> Option<u16> {
    text.split_whitespace().nth(1)?.parse().ok()
}

/// One `<response>` of a multistatus: its href, its own status, and the
/// properties found (in propstats with status 2xx).
struct Entry<'a, 'input> {
    href: String,
    status: Option<u16>,
    props: Vec<roxmltree::Node<'a, 'input>>,
    has_propstat: bool,
}

impl<'a, 'input> Entry<'a, 'input> {
    fn prop(&self, name: &PropertyName) -> Option<roxmltree::Node<'a, 'input>> {
        self.props.iter().copied().find(|n| n.tag_name() == *name)
    }

    fn text(&self, name: &PropertyName) -> Option<String> {
        let node = self.prop(name)?;
        let text: String = node
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    fn hrefs(&self, name: &PropertyName) -> Vec<String> {
        self.prop(name)
            .map(|p| {
                p.children()
                    .filter(|n| n.tag_name() == names::HREF)
                    .filter_map(|n| n.text())
                    .map(|t| trim_href(t).to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn entries<'a, 'input>(
    doc: &'a roxmltree::Document<'input>,
) -> Result<Vec<Entry<'a, 'input>>, String> {
    let root = doc.root_element();
    if root.tag_name().name() != "multistatus" || root.tag_name().namespace() != Some(names::DAV) {
        return Err(format!(
            "expected a DAV multistatus, got <{}>",
            root.tag_name().name()
        ));
    }
    let mut out = Vec::new();
    for response in root.children().filter(|n| n.tag_name() == names::RESPONSE) {
        let Some(href) = response
            .children()
            .find(|n| n.tag_name() == names::HREF)
            .and_then(|n| n.text())
        else {
            continue;
        };
        let status = response
            .children()
            .find(|n| n.tag_name() == names::STATUS)
            .and_then(|n| n.text())
            .and_then(status_line);
        let mut props = Vec::new();
        let mut has_propstat = false;
        for propstat in response
            .children()
            .filter(|n| n.tag_name() == names::PROPSTAT)
        {
            has_propstat = true;
            let ok = propstat
                .children()
                .find(|n| n.tag_name() == names::STATUS)
                .and_then(|n| n.text())
                .and_then(status_line)
                .is_some_and(|s| (200..300).contains(&s));
            if !ok {
                continue;
            }
            if let Some(prop) = propstat.children().find(|n| n.tag_name() == names::PROP) {
                props.extend(prop.children().filter(|n| n.is_element()));
            }
        }
        out.push(Entry {
            href: href_path(href),
            status,
            props,
            has_propstat,
        });
    }
    Ok(out)
}

fn parse_doc(body: &[u8]) -> Result<roxmltree::Document<'_>, String> {
    let text = std::str::from_utf8(body).map_err(|e| format!("not UTF-8: {e}"))?;
    roxmltree::Document::parse(text).map_err(|e| format!("bad XML: {e}"))
}

/// What one sync-collection answer says.
#[derive(Debug, Default, PartialEq, Eq)]
struct SyncAnswer {
    token: Option<String>,
    changed: Vec<Listed>,
    removed: Vec<String>,
    /// 507 on the collection: more changes follow with the new token.
    truncated: bool,
}

/// Parses a sync-collection multistatus (RFC 6578 §3.2).
fn parse_sync_answer(body: &[u8], collection: &str) -> Result<SyncAnswer, String> {
    let doc = parse_doc(body)?;
    let mut answer = SyncAnswer {
        token: doc
            .root_element()
            .children()
            .find(|n| n.tag_name() == names::SYNC_TOKEN)
            .and_then(|n| n.text())
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        ..SyncAnswer::default()
    };
    for entry in entries(&doc)? {
        if same_collection(&entry.href, collection) {
            if entry.status == Some(507) {
                answer.truncated = true;
            }
            continue;
        }
        if entry.href.ends_with('/') {
            // A member collection: not a card or an event.
            continue;
        }
        match entry.status {
            Some(404) | Some(410) => answer.removed.push(entry.href),
            _ if entry.has_propstat || entry.status.is_some_and(|s| (200..300).contains(&s)) => {
                let etag = entry.text(&names::GETETAG).unwrap_or_default();
                answer.changed.push(Listed {
                    href: entry.href,
                    etag,
                });
            }
            _ => {}
        }
    }
    Ok(answer)
}

/// The RFC 6578 sync-collection REPORT (not in libdav).
struct SyncCollection<'a> {
    path: &'a str,
    token: Option<&'a str>,
}

impl SyncCollection<'_> {
    fn body(&self) -> String {
        let token = XmlNode::new(&names::SYNC_TOKEN).with_text(self.token.unwrap_or(""));
        let level = XmlNode::new(&names::SYNC_LEVEL).with_text("1");
        let prop = XmlNode::new(&names::PROP).with_children(vec![XmlNode::new(&names::GETETAG)]);
        XmlNode::new(&names::SYNC_COLLECTION)
            .with_children(vec![token, level, prop])
            .render_node()
    }
}

impl DavRequest for SyncCollection<'_> {
    type Response = SyncAnswer;
    type ParseError = ParseResponseError;
    type Error<E> = libdav::dav::WebDavError<E>;

    fn prepare_request(&self, base_url: Uri) -> Result<Request<String>, http::Error> {
        let (ct_name, ct_value) = xml_content_type_header();
        Request::builder()
            .method(Method::from_bytes(b"REPORT")?)
            .uri(libdav::dav::make_relative_url(base_url, self.path)?)
            .header("Depth", Depth::Zero)
            .header(ct_name, ct_value)
            .body(self.body())
    }

    fn parse_response(&self, parts: &Parts, body: &[u8]) -> Result<SyncAnswer, ParseResponseError> {
        if !parts.status.is_success() {
            return Err(ParseResponseError::BadStatusCode(parts.status));
        }
        parse_sync_answer(body, self.path).map_err(ParseResponseError::InvalidResponse)
    }
}

/// Parses a depth-1 PROPFIND of a home set into its collections.
fn parse_collections(body: &[u8], origin: &Uri) -> Result<Discovery, String> {
    let doc = parse_doc(body)?;
    let mut found = Discovery::default();
    for entry in entries(&doc)? {
        let Some(kind) = entry.prop(&names::RESOURCETYPE) else {
            continue;
        };
        let is_book = kind.children().any(|n| n.tag_name() == names::ADDRESSBOOK);
        let is_calendar = kind.children().any(|n| n.tag_name() == names::CALENDAR);
        if !is_book && !is_calendar {
            continue;
        }
        let supports_sync = entry.prop(&names::SUPPORTED_REPORT_SET).is_some_and(|p| {
            p.descendants()
                .any(|n| n.tag_name() == names::SYNC_COLLECTION)
        });
        let components = entry
            .prop(&names::SUPPORTED_CALENDAR_COMPONENT_SET)
            .map(|p| {
                p.children()
                    .filter(|n| n.tag_name() == names::COMP)
                    .filter_map(|n| n.attribute("name"))
                    .map(|s| s.trim().to_ascii_uppercase())
                    .collect()
            })
            .unwrap_or_default();
        let name = entry.text(&names::DISPLAY_NAME).unwrap_or_else(|| {
            entry
                .href
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or("")
                .to_string()
        });
        let target = Target {
            origin: origin.clone(),
            path: entry.href.clone(),
        };
        let info = CollectionInfo {
            url: target.url(),
            name: name.chars().take(200).collect(),
            supports_sync,
            components: if is_calendar { components } else { Vec::new() },
        };
        if is_book {
            found.addressbooks.push(info);
        } else {
            found.calendars.push(info);
        }
    }
    Ok(found)
}

impl DavClient {
    /// A client for the server at `url` (https:// when no scheme is
    /// given), with a pinned certificate fingerprint if given. Sends nothing yet.
    pub fn connect(
        url: &str,
        user: &str,
        password: &str,
        fingerprint: Option<&str>,
    ) -> Result<Self, SyncError> {
        let pin = fingerprint
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(super::tls::parse_fingerprint)
            .transpose()
            .map_err(SyncError::Account)?;
        let config = super::tls::client_config(pin).map_err(SyncError::Local)?;
        Self::with_config(url, user, password, config)
    }

    fn with_config(
        url: &str,
        user: &str,
        password: &str,
        config: rustls::ClientConfig,
    ) -> Result<Self, SyncError> {
        use base64::Engine as _;
        let start = parse_url(url)?;
        let origin = origin_of(&start)?;
        let server = server_of(&start);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| SyncError::Local(format!("cannot start the network runtime: {e}")))?;
        let connector = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(config)
            .https_or_http()
            .enable_http1()
            .build();
        let client = Client::builder(TokioExecutor::new()).build(connector);
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        let mut auth = HeaderValue::from_str(&format!("Basic {token}"))
            .map_err(|_| SyncError::Account("the user name cannot be sent".into()))?;
        auth.set_sensitive(true);
        Ok(DavClient {
            rt,
            client,
            auth,
            start,
            origin: Mutex::new(origin),
            server,
            timeout: DEFAULT_TIMEOUT,
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

    /// Sets the timeout of each request (connect, answer and body together).
    pub fn set_timeout(&mut self, d: Duration) {
        self.timeout = d;
    }

    fn current_origin(&self) -> Uri {
        match self.origin.lock() {
            Ok(o) => o.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Where `href` (absolute URL or path) points; an absolute URL also
    /// becomes the origin later paths resolve against.
    fn resolve(&self, href: &str) -> Result<Target, SyncError> {
        let trimmed = trim_href(href);
        let lower = trimmed.get(..8).unwrap_or(trimmed).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let uri = parse_url(trimmed)?;
            let origin = origin_of(&uri)?;
            if let Ok(mut o) = self.origin.lock() {
                *o = origin.clone();
            }
            return Ok(Target {
                origin,
                path: normalise_path(uri.path()),
            });
        }
        let path = if trimmed.starts_with('/') {
            trimmed.to_string()
        } else {
            format!("/{trimmed}")
        };
        Ok(Target {
            origin: self.current_origin(),
            path,
        })
    }

    /// Sends one request: credentials and User-Agent added, counted, timed
    /// out, body capped.
    fn send(&self, mut request: Request<String>) -> Result<(Parts, Vec<u8>), Failure> {
        let server = server_of(request.uri());
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, self.auth.clone());
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("kith/", env!("CARGO_PKG_VERSION"))),
        );
        self.requests.fetch_add(1, Ordering::Relaxed);
        let exchange = async {
            let response = self
                .client
                .request(request)
                .await
                .map_err(|e| Failure::Error(network_error(&server, &e, self.timeout)))?;
            let (parts, body) = response.into_parts();
            let collected = Limited::new(body, BODY_CAP).collect().await.map_err(|e| {
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some()
                {
                    Failure::TooLarge
                } else {
                    Failure::Error(network_error(&server, e.as_ref(), self.timeout))
                }
            })?;
            Ok((parts, collected.to_bytes().to_vec()))
        };
        let timeout = self.timeout;
        match self
            .rt
            .block_on(async { tokio::time::timeout(timeout, exchange).await })
        {
            Ok(result) => result,
            Err(_) => Err(Failure::Error(SyncError::Timeout {
                server,
                secs: timeout.as_secs_f64().ceil() as u64,
            })),
        }
    }

    /// Prepares `request` for `target` and sends it.
    fn call<R: DavRequest>(
        &self,
        target: &Target,
        request: &R,
    ) -> Result<(Parts, Vec<u8>), Failure> {
        let prepared = request
            .prepare_request(target.origin.clone())
            .map_err(|e| SyncError::BadResponse {
                server: server_of(&target.origin),
                detail: format!("cannot make a request for {}: {e}", target.path),
            })?;
        self.send(prepared)
    }

    /// `call` with a too-large answer named as an error.
    fn exchange<R: DavRequest>(
        &self,
        target: &Target,
        request: &R,
    ) -> Result<(Parts, Vec<u8>), SyncError> {
        self.call(target, request)
            .map_err(|f| flatten(f, &server_of(&target.origin)))
    }

    fn bad(&self, target: &Target, detail: impl std::fmt::Display) -> SyncError {
        SyncError::BadResponse {
            server: server_of(&target.origin),
            detail: detail.to_string(),
        }
    }

    /// A PROPFIND that follows redirects (discovery only): same scheme or
    /// an upgrade to https, at most [`MAX_REDIRECTS`]. Returns where it
    /// ended and the multistatus body.
    fn propfind_following(
        &self,
        start: Target,
        properties: &[&PropertyName],
        depth: Depth,
    ) -> Result<(Target, Vec<u8>), SyncError> {
        let mut target = start;
        for _ in 0..=MAX_REDIRECTS {
            let request = libdav::dav::Propfind::new(&target.path)
                .with_properties(properties)
                .with_depth(depth);
            let (parts, body) = self.exchange(&target, &request)?;
            let status = parts.status.as_u16();
            if parts.status.is_redirection() {
                let location = parts
                    .headers
                    .get(LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .ok_or_else(|| {
                        self.bad(&target, format!("redirect {status} without a Location"))
                    })?;
                target = self.redirect(&target, location)?;
                continue;
            }
            if !parts.status.is_success() {
                let request = format!("PROPFIND {}", target.path);
                return Err(status_error(
                    &server_of(&target.origin),
                    status,
                    &request,
                    &format!("read {}", target.path),
                    Some(&target.url()),
                ));
            }
            return Ok((target, body));
        }
        Err(self.bad(&target, "too many redirects"))
    }

    /// The target of a redirect from `from`, if allowed.
    fn redirect(&self, from: &Target, location: &str) -> Result<Target, SyncError> {
        let location = location.trim();
        let lower = location.get(..8).unwrap_or(location).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            let uri = parse_url(location)?;
            let old = from.origin.scheme_str().unwrap_or("https");
            let new = uri.scheme_str().unwrap_or("https");
            if old != new && !(old == "http" && new == "https") {
                return Err(SyncError::Tls {
                    server: server_of(&from.origin),
                    detail: format!("refused a redirect from https to insecure {location}"),
                });
            }
            return Ok(Target {
                origin: origin_of(&uri)?,
                path: normalise_path(uri.path()),
            });
        }
        let path = if location.starts_with('/') {
            location.split(['?', '#']).next().unwrap_or("/").to_string()
        } else {
            // Relative to the directory of the current path.
            let dir = from.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
            format!("{dir}/{location}")
        };
        Ok(Target {
            origin: from.origin.clone(),
            path: normalise_path(&path),
        })
    }

    /// The principal at `target` (current-user-principal), following redirects.
    fn principal_at(&self, target: Target) -> Result<Option<Target>, SyncError> {
        let (at, body) =
            self.propfind_following(target, &[&names::CURRENT_USER_PRINCIPAL], Depth::Zero)?;
        let doc = parse_doc(&body).map_err(|e| self.bad(&at, e))?;
        let entries = entries(&doc).map_err(|e| self.bad(&at, e))?;
        let href = entries
            .iter()
            .flat_map(|e| e.hrefs(&names::CURRENT_USER_PRINCIPAL))
            .next();
        Ok(match href {
            Some(h) => Some(self.href_target(&at, &h)?),
            None => None,
        })
    }

    /// An href from a server's answer at `at`, as a target (absolute hrefs keep their host).
    fn href_target(&self, at: &Target, href: &str) -> Result<Target, SyncError> {
        let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            self.redirect(at, href)
        } else {
            Ok(Target {
                origin: at.origin.clone(),
                path: href_path(href),
            })
        }
    }

    /// Finds the address books and calendars: the URL itself as principal
    /// or collection, then `/.well-known/carddav` and `/.well-known/caldav`
    /// (RFC 6764, redirects followed), the principal's home sets, and the
    /// collections in them with their names, components and whether they
    /// offer sync-collection.
    pub fn discover(&self) -> Result<Discovery, SyncError> {
        let origin = origin_of(&self.start)?;
        if let Ok(mut o) = self.origin.lock() {
            *o = origin.clone();
        }
        let typed = Target {
            origin: origin.clone(),
            path: normalise_path(self.start.path()),
        };
        let at = |path: &str| Target {
            origin: origin.clone(),
            path: path.to_string(),
        };
        let mut contexts = Vec::new();
        if typed.path != "/" && !typed.path.is_empty() {
            contexts.push(typed.clone());
        }
        contexts.push(at("/.well-known/carddav"));
        contexts.push(at("/.well-known/caldav"));
        contexts.push(at("/"));

        let mut principals: Vec<Target> = Vec::new();
        let mut last_error = None;
        for (i, context) in contexts.into_iter().enumerate() {
            let was_typed = i == 0 && context == typed && typed.path != "/";
            match self.principal_at(context) {
                Ok(Some(p)) => {
                    if !principals.contains(&p) {
                        principals.push(p);
                    }
                    if was_typed {
                        break;
                    }
                }
                Ok(None) => {}
                Err(e) if fatal(&e) => return Err(e),
                Err(e) => last_error = Some(e),
            }
            // Both well-known paths tried, or the root: enough.
            if !principals.is_empty() && i >= 2 {
                break;
            }
        }

        let mut homes: Vec<Target> = Vec::new();
        for principal in &principals {
            match self.home_sets(principal.clone()) {
                Ok(found) if !found.is_empty() => {
                    for h in found {
                        if !homes.contains(&h) {
                            homes.push(h);
                        }
                    }
                }
                Ok(_) => homes.push(principal.clone()),
                Err(e) if fatal(&e) => return Err(e),
                Err(e) => last_error = Some(e),
            }
        }
        // The typed URL may be a home set or a collection itself.
        if typed.path != "/" && !homes.contains(&typed) {
            homes.push(typed.clone());
        }

        let mut found = Discovery::default();
        let mut seen = HashSet::new();
        for home in homes {
            match self.collections_in(home) {
                Ok(d) => {
                    for c in d.addressbooks {
                        if seen.insert(c.url.clone()) {
                            found.addressbooks.push(c);
                        }
                    }
                    for c in d.calendars {
                        if seen.insert(c.url.clone()) {
                            found.calendars.push(c);
                        }
                    }
                }
                Err(e) if fatal(&e) => return Err(e),
                Err(e) => last_error = Some(e),
            }
        }
        if found.addressbooks.is_empty()
            && found.calendars.is_empty()
            && let Some(e) = last_error
        {
            return Err(e);
        }
        Ok(found)
    }

    /// The address-book and calendar home sets of a principal.
    fn home_sets(&self, principal: Target) -> Result<Vec<Target>, SyncError> {
        let (at, body) = self.propfind_following(
            principal,
            &[&names::ADDRESSBOOK_HOME_SET, &names::CALENDAR_HOME_SET],
            Depth::Zero,
        )?;
        let doc = parse_doc(&body).map_err(|e| self.bad(&at, e))?;
        let entries = entries(&doc).map_err(|e| self.bad(&at, e))?;
        let mut homes = Vec::new();
        for entry in &entries {
            for href in entry
                .hrefs(&names::ADDRESSBOOK_HOME_SET)
                .into_iter()
                .chain(entry.hrefs(&names::CALENDAR_HOME_SET))
            {
                let t = self.href_target(&at, &href)?;
                if !homes.contains(&t) {
                    homes.push(t);
                }
            }
        }
        Ok(homes)
    }

    /// The address books and calendars in (or at) `home`.
    fn collections_in(&self, home: Target) -> Result<Discovery, SyncError> {
        let (at, body) = self.propfind_following(
            home,
            &[
                &names::RESOURCETYPE,
                &names::DISPLAY_NAME,
                &names::SUPPORTED_REPORT_SET,
                &names::SUPPORTED_CALENDAR_COMPONENT_SET,
            ],
            Depth::One,
        )?;
        parse_collections(&body, &at.origin).map_err(|e| self.bad(&at, e))
    }

    /// The changes since `token` (RFC 6578 sync-collection; all members
    /// without a token). A refused token gives `invalid_token: true`; a
    /// server that does not offer the report gives `supported: false`.
    /// Truncated answers (507 on the collection) are continued.
    pub fn sync_collection(
        &self,
        collection: &str,
        token: Option<&str>,
    ) -> Result<SyncChanges, SyncError> {
        let target = self.resolve(collection)?;
        let mut token = token.map(str::to_string).filter(|t| !t.is_empty());
        let mut changed: Vec<Listed> = Vec::new();
        let mut removed: Vec<String> = Vec::new();
        for _ in 0..MAX_SYNC_ROUNDS {
            let request = SyncCollection {
                path: &target.path,
                token: token.as_deref(),
            };
            let (parts, body) = self.exchange(&target, &request)?;
            let status = parts.status.as_u16();
            if !parts.status.is_success() {
                let refused = precondition(&body).is_some_and(|p| p == VALID_SYNC_TOKEN);
                return match sync_refusal(status, token.is_some(), refused) {
                    Some(changes) => Ok(changes),
                    None => Err(status_error(
                        &server_of(&target.origin),
                        status,
                        &format!("REPORT sync-collection {}", target.path),
                        &format!("read {}", target.path),
                        Some(&target.url()),
                    )),
                };
            }
            let answer = request
                .parse_response(&parts, &body)
                .map_err(|e| self.bad(&target, e))?;
            for item in answer.changed {
                removed.retain(|h| *h != item.href);
                changed.retain(|c| c.href != item.href);
                changed.push(item);
            }
            for href in answer.removed {
                changed.retain(|c| c.href != href);
                if !removed.contains(&href) {
                    removed.push(href);
                }
            }
            let next = answer.token;
            if !answer.truncated || next.is_none() || next == token {
                return Ok(SyncChanges {
                    supported: true,
                    token: next,
                    changed,
                    removed,
                    invalid_token: false,
                });
            }
            token = next;
        }
        Err(self.bad(
            &target,
            "the changes did not end after many sync-collection rounds",
        ))
    }

    /// The collection's getctag (or else its sync-token): one PROPFIND,
    /// depth 0. `None` when the server offers neither.
    pub fn collection_tag(&self, collection: &str) -> Result<Option<String>, SyncError> {
        let target = self.resolve(collection)?;
        let request = libdav::dav::Propfind::new(&target.path)
            .with_properties(&[&GETCTAG, &names::SYNC_TOKEN])
            .with_depth(Depth::Zero);
        let (parts, body) = self.exchange(&target, &request)?;
        if !parts.status.is_success() {
            return Err(status_error(
                &server_of(&target.origin),
                parts.status.as_u16(),
                &format!("PROPFIND {}", target.path),
                &format!("read {}", target.path),
                Some(&target.url()),
            ));
        }
        let doc = parse_doc(&body).map_err(|e| self.bad(&target, e))?;
        let entries = entries(&doc).map_err(|e| self.bad(&target, e))?;
        let entry = entries
            .iter()
            .find(|e| same_collection(&e.href, &target.path))
            .or(entries.first());
        Ok(entry.and_then(|e| e.text(&GETCTAG).or_else(|| e.text(&names::SYNC_TOKEN))))
    }

    /// Every resource in the collection with its ETag (PROPFIND depth 1;
    /// the collection itself and member collections left out).
    pub fn list(&self, collection: &str) -> Result<Vec<Listed>, SyncError> {
        let target = self.resolve(collection)?;
        let request = libdav::dav::ListResources::new(&target.path);
        let (parts, body) = self.exchange(&target, &request)?;
        if !parts.status.is_success() {
            return Err(status_error(
                &server_of(&target.origin),
                parts.status.as_u16(),
                &format!("PROPFIND {}", target.path),
                &format!("read {}", target.path),
                Some(&target.url()),
            ));
        }
        let response = request
            .parse_response(&parts, &body)
            .map_err(|e| self.bad(&target, e))?;
        Ok(response
            .resources
            .into_iter()
            .filter(|r| !r.resource_type.is_collection && !r.href.ends_with('/'))
            .map(|r| Listed {
                href: href_path(&r.href),
                etag: r.etag.unwrap_or_default(),
            })
            .filter(|l| !same_collection(&l.href, &target.path))
            .collect())
    }

    /// The data of these resources (multiget REPORTs of at most
    /// [`MULTIGET_BATCH`] hrefs; a batch whose answer passes the body cap
    /// is split). Hrefs the server does not return are left out, and so
    /// is anything it returns that was not asked for.
    pub fn fetch(
        &self,
        collection: &str,
        hrefs: &[String],
        kind: Kind,
    ) -> Result<Vec<Fetched>, SyncError> {
        let target = self.resolve(collection)?;
        let mut out = Vec::new();
        for chunk in hrefs.chunks(MULTIGET_BATCH) {
            self.fetch_batch(&target, chunk, kind, &mut out)?;
        }
        Ok(out)
    }

    fn fetch_batch(
        &self,
        target: &Target,
        hrefs: &[String],
        kind: Kind,
        out: &mut Vec<Fetched>,
    ) -> Result<(), SyncError> {
        if hrefs.is_empty() {
            return Ok(());
        }
        let wanted: HashMap<String, &String> = hrefs.iter().map(|h| (href_path(h), h)).collect();
        let encoded: Vec<String> = hrefs
            .iter()
            .map(|h| strict_percent_encoded(&href_path(h)).into_owned())
            .collect();
        let result = match kind {
            Kind::Contact => {
                let request = libdav::carddav::GetAddressBookResources::new(&target.path)
                    .with_hrefs(&encoded);
                self.call(target, &request).map(|(parts, body)| {
                    self.multiget_answer(target, &parts, &body, |p, b| {
                        request.parse_response(p, b).map(|r| r.resources)
                    })
                })
            }
            Kind::Calendar => {
                let request =
                    libdav::caldav::GetCalendarResources::new(&target.path).with_hrefs(&encoded);
                self.call(target, &request).map(|(parts, body)| {
                    self.multiget_answer(target, &parts, &body, |p, b| {
                        request.parse_response(p, b).map(|r| r.resources)
                    })
                })
            }
        };
        match result {
            Ok(resources) => {
                for r in resources? {
                    let href = href_path(&r.href);
                    if let (Some(asked), Ok(content)) = (wanted.get(&href), r.content) {
                        out.push(Fetched {
                            href: (*asked).clone(),
                            etag: content.etag,
                            data: content.data,
                        });
                    }
                }
                Ok(())
            }
            Err(Failure::TooLarge) if hrefs.len() > 1 => {
                let (a, b) = hrefs.split_at(hrefs.len() / 2);
                self.fetch_batch(target, a, kind, out)?;
                self.fetch_batch(target, b, kind, out)
            }
            Err(f) => Err(flatten(f, &server_of(&target.origin))),
        }
    }

    fn multiget_answer(
        &self,
        target: &Target,
        parts: &Parts,
        body: &[u8],
        parse: impl FnOnce(&Parts, &[u8]) -> Result<Vec<libdav::FetchedResource>, ParseResponseError>,
    ) -> Result<Vec<libdav::FetchedResource>, SyncError> {
        if !parts.status.is_success() {
            return Err(status_error(
                &server_of(&target.origin),
                parts.status.as_u16(),
                &format!("REPORT multiget {}", target.path),
                &format!("read {}", target.path),
                Some(&target.url()),
            ));
        }
        parse(parts, body).map_err(|e| self.bad(target, e))
    }

    /// Stores `body` at `href`: creates it when `etag` is None
    /// (`If-None-Match: *`), else replaces it only if its ETag is still
    /// `etag` (`If-Match`).
    pub fn put(
        &self,
        href: &str,
        body: &str,
        kind: Kind,
        etag: Option<&str>,
    ) -> Result<Put, SyncError> {
        let target = self.resolve(href)?;
        let content_type = kind.content_type();
        let resource = libdav::dav::PutResource::new(&target.path);
        let (parts, answer) = match etag {
            None => self.exchange(&target, &resource.create(body, content_type))?,
            Some(etag) => self.exchange(&target, &resource.update(body, content_type, etag))?,
        };
        let status = parts.status.as_u16();
        if status == 412 {
            return Ok(Put::PreconditionFailed);
        }
        if !parts.status.is_success() {
            let why = precondition(&answer)
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            return Err(status_error(
                &server_of(&target.origin),
                status,
                &format!("PUT {}{why}", target.path),
                &format!("write {}{why}", target.path),
                None,
            ));
        }
        let etag = parts
            .headers
            .get(http::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        Ok(Put::Done { etag })
    }

    /// Deletes `href` if its ETag is still `etag` (`If-Match`).
    pub fn delete(&self, href: &str, etag: &str) -> Result<Deleted, SyncError> {
        let target = self.resolve(href)?;
        let request = libdav::dav::Delete::new(&target.path).with_etag(etag);
        let (parts, body) = self.exchange(&target, &request)?;
        match parts.status.as_u16() {
            412 => Ok(Deleted::PreconditionFailed),
            404 | 410 => Ok(Deleted::Gone),
            _ if parts.status.is_success() => Ok(Deleted::Done),
            status => {
                let why = precondition(&body)
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default();
                Err(status_error(
                    &server_of(&target.origin),
                    status,
                    &format!("DELETE {}{why}", target.path),
                    &format!("delete {}{why}", target.path),
                    None,
                ))
            }
        }
    }

    /// The path of `file_name` inside `collection` (absolute URL or path),
    /// with the name percent-encoded so it stays one segment.
    pub fn href_for(&self, collection: &str, file_name: &str) -> String {
        let trimmed = trim_href(collection);
        let lower = trimmed.get(..8).unwrap_or(trimmed).to_ascii_lowercase();
        let path = if lower.starts_with("http://") || lower.starts_with("https://") {
            href_path(trimmed)
        } else {
            normalise_path(trimmed)
        };
        let path = if path.starts_with('/') {
            path
        } else {
            format!("/{path}")
        };
        format!(
            "{}/{}",
            path.trim_end_matches('/'),
            encode_segment(file_name)
        )
    }
}

/// Errors that end discovery at once (every other URL would fail the same way).
fn fatal(e: &SyncError) -> bool {
    matches!(
        e,
        SyncError::Unauthorized { .. }
            | SyncError::Tls { .. }
            | SyncError::Unreachable { .. }
            | SyncError::Timeout { .. }
    )
}

/// What a refused sync-collection REPORT means, if it is not an error:
/// with a token, 403/409 (`valid-sync-token`), 400 or 412 mean the token
/// is no longer valid; without one, 400/403/405/409/415/422/501 mean the
/// report is not offered.
fn sync_refusal(status: u16, had_token: bool, valid_sync_token: bool) -> Option<SyncChanges> {
    if had_token && (valid_sync_token || matches!(status, 400 | 403 | 409 | 412)) {
        return Some(SyncChanges {
            supported: true,
            invalid_token: true,
            ..SyncChanges::default()
        });
    }
    if !had_token && matches!(status, 400 | 403 | 405 | 409 | 415 | 422 | 501) && !valid_sync_token
    {
        return Some(SyncChanges::default());
    }
    None
}

/// The rustls error somewhere in `error`'s chain, looking inside
/// `io::Error`s (hyper-rustls wraps tokio-rustls's, which wraps rustls's).
fn find_tls<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e rustls::Error> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    let mut depth = 0;
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            let inner: &(dyn std::error::Error + 'static) = inner;
            current = Some(inner);
        } else {
            current = e.source();
        }
        depth += 1;
        if depth > 32 {
            break;
        }
    }
    None
}

/// Names a failure below HTTP: TLS (with what to do), else unreachable.
fn network_error(
    server: &str,
    error: &(dyn std::error::Error + 'static),
    timeout: Duration,
) -> SyncError {
    if let Some(tls) = find_tls(error) {
        return SyncError::Tls {
            server: server.to_string(),
            detail: super::tls::describe(tls),
        };
    }
    let mut chain: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::TimedOut
        {
            return SyncError::Timeout {
                server: server.to_string(),
                secs: timeout.as_secs_f64().ceil() as u64,
            };
        }
        let text = e.to_string();
        if !chain.iter().any(|c| c.contains(&text)) {
            chain.push(text);
        }
        current = e.source();
        if chain.len() > 8 {
            break;
        }
    }
    SyncError::Unreachable {
        server: server.to_string(),
        detail: chain.join(": "),
    }
}

/// Connects to `url` with `config` and sends one bodiless OPTIONS without
/// credentials (for [`super::tls::peer_fingerprint`]). Returns the server's name.
pub(super) fn probe_tls(url: &str, config: rustls::ClientConfig) -> Result<String, SyncError> {
    let client = DavClient::with_config(url, "", "", config)?;
    let request = Request::builder()
        .method(Method::OPTIONS)
        .uri(client.start.clone())
        .body(String::new())
        .map_err(|e| SyncError::Account(format!("bad address {url:?}: {e}")))?;
    let server = client.server.clone();
    // The credentials send() adds are empty, and over https the handshake
    // is refused before anything is written.
    match client.send(request) {
        Ok(_) => Ok(server),
        Err(f) => Err(flatten(f, &server)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RADICALE_SYNC: &str = r#"<?xml version='1.0' encoding='utf-8'?>
<multistatus xmlns="DAV:"><response><href>/alice/contacts/a.vcf</href><propstat><prop><getetag>"e1"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response><response><href>/alice/contacts/gone.vcf</href><status>HTTP/1.1 404 Not Found</status></response><sync-token>http://radicale.org/ns/sync/6a1f</sync-token></multistatus>"#;

    // SabreDAV (Nextcloud): prefixed namespace, the collection's own entry, escaped token.
    const SABRE_SYNC: &str = r#"<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:oc="http://owncloud.org/ns">
 <d:response>
  <d:href>/remote.php/dav/addressbooks/users/alice/contacts/Jane%20Doe.vcf</d:href>
  <d:propstat>
   <d:prop><d:getetag>&quot;7b1c&quot;</d:getetag></d:prop>
   <d:status>HTTP/1.1 200 OK</d:status>
  </d:propstat>
 </d:response>
 <d:response>
  <d:href>/remote.php/dav/addressbooks/users/alice/contacts/old.vcf</d:href>
  <d:status>HTTP/1.1 404 Not Found</d:status>
 </d:response>
 <d:sync-token>http://sabre.io/ns/sync/42</d:sync-token>
</d:multistatus>"#;

    // iCloud: absolute hrefs on another host, a truncated answer (507 on the collection).
    const ICLOUD_SYNC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<multistatus xmlns="DAV:">
<response><href>https://p42-contacts.icloud.com:443/123/carddavhome/card/</href><status>HTTP/1.1 507 Insufficient Storage</status></response>
<response><href>https://p42-contacts.icloud.com:443/123/carddavhome/card/ABC.vcf</href><propstat><prop><getetag>"C=1@U=2"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response>
<sync-token>HwoQEgwAAA</sync-token>
</multistatus>"#;

    #[test]
    fn parses_radicale_sync_collection() {
        let a = parse_sync_answer(RADICALE_SYNC.as_bytes(), "/alice/contacts/").unwrap();
        assert_eq!(a.token.as_deref(), Some("http://radicale.org/ns/sync/6a1f"));
        assert_eq!(
            a.changed,
            vec![Listed {
                href: "/alice/contacts/a.vcf".into(),
                etag: "\"e1\"".into()
            }]
        );
        assert_eq!(a.removed, vec!["/alice/contacts/gone.vcf".to_string()]);
        assert!(!a.truncated);
    }

    #[test]
    fn parses_sabredav_sync_collection() {
        let a = parse_sync_answer(
            SABRE_SYNC.as_bytes(),
            "/remote.php/dav/addressbooks/users/alice/contacts/",
        )
        .unwrap();
        assert_eq!(a.token.as_deref(), Some("http://sabre.io/ns/sync/42"));
        assert_eq!(a.changed.len(), 1);
        // Percent-encoding normalised as libdav does: a space is plain.
        assert_eq!(
            a.changed[0].href,
            "/remote.php/dav/addressbooks/users/alice/contacts/Jane Doe.vcf"
        );
        assert_eq!(a.changed[0].etag, "\"7b1c\"");
        assert_eq!(
            a.removed,
            vec!["/remote.php/dav/addressbooks/users/alice/contacts/old.vcf".to_string()]
        );
    }

    #[test]
    fn parses_icloud_sync_collection_truncated() {
        let a = parse_sync_answer(ICLOUD_SYNC.as_bytes(), "/123/carddavhome/card").unwrap();
        assert!(a.truncated);
        assert_eq!(a.token.as_deref(), Some("HwoQEgwAAA"));
        assert_eq!(a.changed[0].href, "/123/carddavhome/card/ABC.vcf");
        assert_eq!(a.changed[0].etag, "\"C=1@U=2\"");
        assert!(a.removed.is_empty());
    }

    #[test]
    fn empty_sync_answer_is_only_a_token() {
        let body = r#"<multistatus xmlns="DAV:"><sync-token>t2</sync-token></multistatus>"#;
        let a = parse_sync_answer(body.as_bytes(), "/c/").unwrap();
        assert_eq!(a.token.as_deref(), Some("t2"));
        assert!(a.changed.is_empty() && a.removed.is_empty());
    }

    #[test]
    fn sync_answer_that_is_not_a_multistatus_is_refused() {
        assert!(parse_sync_answer(b"<html><body>login</body></html>", "/c/").is_err());
        assert!(parse_sync_answer(b"\xff\xfe", "/c/").is_err());
        assert!(parse_sync_answer(b"<multistatus xmlns=\"DAV:\">", "/c/").is_err());
    }

    #[test]
    fn sync_request_escapes_the_token() {
        let r = SyncCollection {
            path: "/c/",
            token: Some("a<b>&\"c"),
        };
        let body = r.body();
        assert!(body.contains("a&lt;b&gt;&amp;&quot;c"), "{body}");
        let doc = roxmltree::Document::parse(&body).unwrap();
        let token = doc
            .descendants()
            .find(|n| n.tag_name() == names::SYNC_TOKEN)
            .and_then(|n| n.text());
        assert_eq!(token, Some("a<b>&\"c"));
        let req = r.prepare_request(Uri::from_static("http://h:1/")).unwrap();
        assert_eq!(req.method().as_str(), "REPORT");
        assert_eq!(req.headers().get("Depth").unwrap(), "0");
        assert!(body.contains("sync-level>1<"));
        let first = SyncCollection {
            path: "/c/",
            token: None,
        }
        .body();
        assert!(first.contains("<D:sync-token/>"), "{first}");
    }

    #[test]
    fn refused_sync_reports_map_to_flags() {
        // Token expired: 403 with valid-sync-token (SabreDAV), 409 (Radicale's answer to a foreign token), 400.
        for (status, pre) in [(403, true), (409, false), (400, false), (409, true)] {
            let c = sync_refusal(status, true, pre).unwrap();
            assert!(c.supported && c.invalid_token, "{status}");
        }
        // Not offered at all.
        for status in [400, 403, 405, 501] {
            let c = sync_refusal(status, false, false).unwrap();
            assert!(!c.supported && !c.invalid_token, "{status}");
        }
        // Real errors stay errors.
        assert!(sync_refusal(500, true, false).is_none());
        assert!(sync_refusal(401, false, false).is_none());
        assert!(sync_refusal(404, true, false).is_none());
    }

    #[test]
    fn statuses_map_to_errors_that_name_the_server() {
        let s = "dav.example.org:443";
        assert_eq!(
            status_error(s, 401, "PUT /x", "write /x", None),
            SyncError::Unauthorized { server: s.into() }
        );
        assert_eq!(
            status_error(s, 403, "PUT /x", "write /x", None),
            SyncError::Forbidden {
                server: s.into(),
                what: "write /x".into()
            }
        );
        assert_eq!(
            status_error(s, 404, "PROPFIND /c/", "read /c/", Some("https://d/c/")),
            SyncError::NotFound {
                server: s.into(),
                url: "https://d/c/".into()
            }
        );
        assert_eq!(
            status_error(s, 507, "PUT /x", "write /x", None),
            SyncError::Quota { server: s.into() }
        );
        let other = status_error(s, 500, "PUT /x", "write /x", None);
        assert!(other.is_transient());
        assert!(other.to_string().contains(s));
        // A 404 on a resource is not "collection gone".
        assert!(matches!(
            status_error(s, 404, "PUT /x", "write /x", None),
            SyncError::Status { status: 404, .. }
        ));
    }

    #[test]
    fn precondition_names_the_element() {
        let body = br#"<?xml version="1.0"?><d:error xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><card:no-uid-conflict><d:href>/a/b.vcf</d:href></card:no-uid-conflict></d:error>"#;
        assert_eq!(precondition(body).as_deref(), Some("no-uid-conflict"));
        let token = br#"<error xmlns="DAV:"><valid-sync-token/></error>"#;
        assert_eq!(precondition(token).as_deref(), Some(VALID_SYNC_TOKEN));
        assert_eq!(precondition(b"Forbidden"), None);
    }

    #[test]
    fn discovery_answer_lists_collections() {
        let body = r#"<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:cal="urn:ietf:params:xml:ns:caldav" xmlns:card="urn:ietf:params:xml:ns:carddav">
 <d:response><d:href>/dav/alice/</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
 <d:response><d:href>/dav/alice/contacts/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>Contacts</d:displayname>
   <d:supported-report-set><d:supported-report><d:report><d:sync-collection/></d:report></d:supported-report></d:supported-report-set></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
  <d:propstat><d:prop><cal:supported-calendar-component-set/></d:prop><d:status>HTTP/1.1 404 Not Found</d:status></d:propstat>
 </d:response>
 <d:response><d:href>/dav/alice/t%C3%A2ches/</d:href>
  <d:propstat><d:prop><d:resourcetype><d:collection/><cal:calendar/></d:resourcetype>
   <cal:supported-calendar-component-set><cal:comp name="VTODO"/><cal:comp name="vevent"/></cal:supported-calendar-component-set></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat>
 </d:response>
</d:multistatus>"#;
        let d = parse_collections(
            body.as_bytes(),
            &Uri::from_static("https://dav.example.org/"),
        )
        .unwrap();
        assert_eq!(
            d.addressbooks,
            vec![CollectionInfo {
                url: "https://dav.example.org/dav/alice/contacts/".into(),
                name: "Contacts".into(),
                supports_sync: true,
                components: vec![],
            }]
        );
        assert_eq!(d.calendars.len(), 1);
        let cal = &d.calendars[0];
        assert_eq!(cal.url, "https://dav.example.org/dav/alice/t%C3%A2ches/");
        assert_eq!(cal.name, "tâches");
        assert!(!cal.supports_sync);
        assert_eq!(
            cal.components,
            vec!["VTODO".to_string(), "VEVENT".to_string()]
        );
    }

    #[test]
    fn hrefs_are_normalised_like_libdav() {
        assert_eq!(href_path("/a/b%20c.vcf"), "/a/b c.vcf");
        assert_eq!(href_path("/a/b%2Fc.vcf"), "/a/b%2Fc.vcf");
        assert_eq!(href_path("https://h.example:8443/a/b.vcf"), "/a/b.vcf");
        assert_eq!(href_path("http://h.example"), "/");
    }

    #[test]
    fn href_for_keeps_the_name_one_segment() {
        let c = DavClient::connect("http://127.0.0.1:1/", "u", "p", None).unwrap();
        assert_eq!(
            c.href_for("http://127.0.0.1:1/alice/contacts/", "3f2a.vcf"),
            "/alice/contacts/3f2a.vcf"
        );
        assert_eq!(
            c.href_for("/alice/contacts", "a.vcf"),
            "/alice/contacts/a.vcf"
        );
        assert_eq!(
            c.href_for("/alice/contacts/", "../x/y?z#.vcf"),
            "/alice/contacts/..%2Fx%2Fy%3Fz%23.vcf"
        );
        assert_eq!(c.href_for("/c/", ".."), "/c/%2E%2E");
        assert_eq!(c.href_for("/c/", "a%b.vcf"), "/c/a%25b.vcf");
        // And the request goes out encoded, as one segment.
        let t = c.resolve(&c.href_for("/c/", "a b/c.vcf")).unwrap();
        let req = libdav::dav::Delete::new(&t.path)
            .with_etag("\"1\"")
            .prepare_request(t.origin.clone())
            .unwrap();
        assert_eq!(req.uri().path(), "/c/a%20b%2Fc.vcf");
    }

    #[test]
    fn connect_checks_the_address_and_pin() {
        assert!(matches!(
            DavClient::connect("ftp://x", "u", "p", None),
            Err(SyncError::Account(_))
        ));
        assert!(matches!(
            DavClient::connect("https://x", "u", "p", Some("AA:BB")),
            Err(SyncError::Account(_))
        ));
        let c = DavClient::connect("dav.example.org/dav/", "u", "p", None).unwrap();
        assert_eq!(c.server(), "dav.example.org:443");
        assert_eq!(c.requests(), 0);
        let c = DavClient::connect("http://127.0.0.1:5232", "u", "p", None).unwrap();
        assert_eq!(c.server(), "127.0.0.1:5232");
    }

    #[test]
    fn debug_never_shows_the_password() {
        let c = DavClient::connect("https://dav.example.org/", "alice", "hunter2", None).unwrap();
        let text = format!("{c:?}");
        assert!(text.contains("dav.example.org:443"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        // base64("alice:hunter2")
        assert!(!text.contains("YWxpY2U6aHVudGVyMg"), "{text}");
    }

    #[test]
    fn absolute_collections_move_the_origin() {
        let c = DavClient::connect("https://contacts.icloud.com/", "u", "p", None).unwrap();
        let t = c
            .resolve("https://p42-contacts.icloud.com/123/carddavhome/card/")
            .unwrap();
        assert_eq!(t.path, "/123/carddavhome/card/");
        let then = c.resolve("/123/carddavhome/card/A.vcf").unwrap();
        assert_eq!(server_of(&then.origin), "p42-contacts.icloud.com:443");
    }

    #[test]
    fn redirects_refuse_a_downgrade() {
        let c = DavClient::connect("https://dav.example.org/", "u", "p", None).unwrap();
        let from = Target {
            origin: Uri::from_static("https://dav.example.org/"),
            path: "/.well-known/carddav".into(),
        };
        assert!(matches!(
            c.redirect(&from, "http://dav.example.org/dav/"),
            Err(SyncError::Tls { .. })
        ));
        assert_eq!(c.redirect(&from, "/dav/").unwrap().path, "/dav/");
        let up = Target {
            origin: Uri::from_static("http://dav.example.org/"),
            path: "/".into(),
        };
        let t = c.redirect(&up, "https://dav.example.org/dav/").unwrap();
        assert_eq!(t.origin.scheme_str(), Some("https"));
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    fn xml_escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%'
                && let Some(b) = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    proptest! {
        #[test]
        fn sync_answers_never_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = parse_sync_answer(&body, "/c/");
        }

        #[test]
        fn xmlish_sync_answers_never_panic(body in "[<>/a-z:=\"' %0-9dDAV]{0,300}") {
            let _ = parse_sync_answer(body.as_bytes(), "/c/");
            let _ = parse_collections(body.as_bytes(), &Uri::from_static("https://h/"));
        }

        #[test]
        fn sync_answers_round_trip(
            items in proptest::collection::vec(("[a-zA-Z0-9 ._~-]{1,16}", "[ -~]{0,12}", any::<bool>()), 0..8),
            token in "[!-~]{1,40}",
        ) {
            let mut body = String::from(r#"<d:multistatus xmlns:d="DAV:">"#);
            let mut changed = Vec::new();
            let mut removed = Vec::new();
            for (i, (name, etag, gone)) in items.iter().enumerate() {
                let name = format!("{i}-{name}.vcf");
                let href = format!("/c/{}", strict_percent_encoded(&name));
                if *gone {
                    body.push_str(&format!(
                        "<d:response><d:href>{}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>",
                        xml_escape(&href)
                    ));
                    removed.push(format!("/c/{name}"));
                } else {
                    let etag = format!("\"{}\"", etag.trim());
                    body.push_str(&format!(
                        "<d:response><d:href>{}</d:href><d:propstat><d:prop><d:getetag>{}</d:getetag></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>",
                        xml_escape(&href),
                        xml_escape(&etag)
                    ));
                    changed.push(Listed { href: format!("/c/{name}"), etag });
                }
            }
            body.push_str(&format!("<d:sync-token>{}</d:sync-token></d:multistatus>", xml_escape(&token)));
            let answer = parse_sync_answer(body.as_bytes(), "/c/").unwrap();
            prop_assert_eq!(answer.changed, changed);
            prop_assert_eq!(answer.removed, removed);
            prop_assert_eq!(answer.token, Some(token.clone()));
            // And the token goes back out as the same text.
            let request = SyncCollection { path: "/c/", token: Some(&token) }.body();
            let doc = roxmltree::Document::parse(&request).unwrap();
            let sent = doc.descendants().find(|n| n.tag_name() == names::SYNC_TOKEN).and_then(|n| n.text());
            prop_assert_eq!(sent, Some(token.as_str()));
        }

        #[test]
        fn href_for_is_one_segment_that_decodes_to_the_name(name in "\\PC{1,24}") {
            let client = DavClient::connect("http://127.0.0.1:1/", "u", "p", None).unwrap();
            let href = client.href_for("http://127.0.0.1:1/c/", &name);
            let segment = href.strip_prefix("/c/").unwrap();
            prop_assert!(!segment.contains('/'));
            prop_assert!(segment != "." && segment != "..");
            prop_assert_eq!(percent_decode(segment), name.clone());
            // The URL sent keeps it one segment too.
            let target = client.resolve(&href).unwrap();
            let request = libdav::dav::Delete::new(&target.path)
                .with_etag("\"1\"")
                .prepare_request(target.origin.clone())
                .unwrap();
            let path = request.uri().path();
            prop_assert!(path.starts_with("/c/"));
            prop_assert!(!path.get(3..).unwrap_or("").contains('/'));
            prop_assert_eq!(percent_decode(path.get(3..).unwrap_or("")), name);
        }
    }
}

/// Entry points for the fuzz targets (`fuzz/fuzz_targets/dav_xml.rs`): the
/// parsers of what a server answers, on any bytes.
#[doc(hidden)]
pub mod fuzzing {
    /// Run every multistatus parser on `body`; they may refuse it, never panic.
    pub fn server_answers(body: &[u8]) {
        let _ = super::parse_sync_answer(body, "/alice/contacts/");
        if let Ok(origin) = "https://dav.example.com/".parse::<http::Uri>() {
            let _ = super::parse_collections(body, &origin);
        }
    }
}
