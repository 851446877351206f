//! Reading an export from a path, a folder or a URL: recognising its format
//! from content, capped and never through a symbolic link.
//!
//! - A file is recognised from its first 64 KB ([`detect_bytes`]), a folder
//!   is a Maildir when it has `cur` or `new` inside ([`detect_path`]).
//! - A symbolic link is never followed (`O_NOFOLLOW` on the open itself), a
//!   FIFO or a device is never read, every read is capped.
//! - An mbox is streamed from the open file; everything else is read whole,
//!   up to [`crate::storage::guard::IMPORT_FILE_CAP`].
//! - A calendar subscription URL (`webcal://`, `https://`, `http://`) is
//!   fetched with [`fetch_calendar`]: 30 s, 64 MiB, at most 5 redirects and
//!   never from https to http.

use super::{Harvest, HistoryError, HistoryFormat, ReadOptions, chat, ics, mail};
use crate::storage::guard::{self, shown};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

/// How much of a file [`detect_path`] reads to recognise it.
pub const DETECT_PREFIX: u64 = 64 * 1024;
/// The largest mbox kith reads (it is streamed, never held in memory).
pub const MBOX_CAP: u64 = 64 << 30;
/// The largest calendar [`fetch_calendar`] downloads.
pub const FETCH_CAP: usize = 64 << 20;
/// How long [`fetch_calendar`] waits for the whole answer of one request.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(30);
/// Redirects [`fetch_calendar`] follows.
pub const MAX_REDIRECTS: usize = 5;

/// The text of the first bytes of a file, whatever its encoding (a UTF-8
/// BOM, UTF-16 with or without BOM, else UTF-8 with bad bytes replaced).
fn prefix_text(prefix: &[u8]) -> String {
    if let Some(rest) = prefix.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(text) = crate::exchange::text::utf16_text(prefix) {
        return text;
    }
    String::from_utf8_lossy(prefix).into_owned()
}

/// The first line of `text` with something on it, trimmed.
fn first_line(text: &str) -> &str {
    text.lines()
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'))
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// True when `line` is the header of a contacts CSV (Google, Outlook,
/// LinkedIn's Connections.csv): those are [`crate::exchange`]'s to read.
fn contacts_csv_header(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    lower.contains("first name") || lower.contains("given name") || lower.contains("e-mail 1")
}

/// Recognise an export from its first bytes (up to 64 KB).
pub fn detect_bytes(prefix: &[u8]) -> Option<HistoryFormat> {
    let text = prefix_text(prefix);
    let first = first_line(&text);
    if first.eq_ignore_ascii_case("BEGIN:VCALENDAR") {
        return Some(HistoryFormat::Calendar);
    }
    // vCards and contacts lists are never history.
    if first
        .get(..first.len().min(11))
        .is_some_and(|s| s.eq_ignore_ascii_case("BEGIN:VCARD"))
        || contacts_csv_header(first)
    {
        return None;
    }
    let bytes = prefix.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(prefix);
    if mail::looks_like_mbox(bytes) {
        return Some(HistoryFormat::Mbox);
    }
    match chat::detect(prefix) {
        Some(HistoryFormat::Calendar | HistoryFormat::Mbox | HistoryFormat::Maildir) => None,
        other => other,
    }
}

fn link_error(path: &Path) -> HistoryError {
    HistoryError::Read(format!(
        "{} is a symbolic link; kith does not follow links (import the real file instead)",
        shown(path)
    ))
}

fn refused(path: &Path, why: guard::Refused) -> HistoryError {
    match why {
        guard::Refused::Symlink => link_error(path),
        other => HistoryError::Read(format!("cannot read {}: {other}", shown(path))),
    }
}

/// True when `path` is a real folder (not a link to one).
fn real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Recognise the export at `path`: a Maildir folder, or a file by its
/// content. None when it is not one (it may be a contacts file, or a pipe,
/// which only the contacts import reads). A symbolic link is an error.
pub fn detect_path(path: &Path) -> Result<Option<HistoryFormat>, HistoryError> {
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| refused(path, guard::Refused::from(e)))?;
    if meta.file_type().is_symlink() {
        return Err(link_error(path));
    }
    if meta.is_dir() {
        if real_dir(&path.join("cur")) || real_dir(&path.join("new")) {
            return Ok(Some(HistoryFormat::Maildir));
        }
        return Err(HistoryError::Read(format!(
            "{} is not a Maildir folder: no cur or new inside",
            shown(path)
        )));
    }
    if !meta.is_file() {
        return Ok(None);
    }
    let (file, _) = guard::open_regular(path).map_err(|e| refused(path, e))?;
    let mut prefix = Vec::with_capacity(DETECT_PREFIX as usize);
    file.take(DETECT_PREFIX)
        .read_to_end(&mut prefix)
        .map_err(|e| HistoryError::Read(format!("cannot read {}: {e}", shown(path))))?;
    if prefix.is_empty() {
        return Err(HistoryError::Empty);
    }
    Ok(detect_bytes(&prefix).map(|format| by_file_name(path, format)))
}

/// What a reader returned, as the caller gets it: an export in which
/// nothing at all could be read is an error naming the first problem.
fn finish(harvest: Harvest) -> Result<Harvest, HistoryError> {
    if harvest.encounters.is_empty()
        && harvest.ignored.is_empty()
        && let Some(first) = harvest.problems.first()
    {
        return Err(HistoryError::NothingRead(format!(
            "line {}: {}",
            first.line, first.reason
        )));
    }
    Ok(harvest)
}

/// `<parent folder>/<file name>` of `path`, for readers that name a chat
/// after it (sigexport writes `<Chat name>/chat.md`).
fn file_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    match parent {
        Some(parent) => format!("{parent}/{name}"),
        None => name,
    }
}

/// WhatsApp and Signal write some lines alike (`[2024-01-05 21:10:03]
/// Name: text`): the file's own name decides between the two.
fn by_file_name(path: &Path, format: HistoryFormat) -> HistoryFormat {
    if !matches!(format, HistoryFormat::WhatsApp | HistoryFormat::Signal) {
        return format;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name == "_chat.txt" || (name.starts_with("whatsapp") && name.ends_with(".txt")) {
        HistoryFormat::WhatsApp
    } else if name == "chat.md" || name == "data.json" {
        HistoryFormat::Signal
    } else {
        format
    }
}

/// Read the export at `path` (an mbox is streamed, never held whole).
pub fn read_path(
    path: &Path,
    format: HistoryFormat,
    opts: &ReadOptions,
) -> Result<Harvest, HistoryError> {
    match format {
        HistoryFormat::Maildir => {
            let meta = std::fs::symlink_metadata(path)
                .map_err(|e| refused(path, guard::Refused::from(e)))?;
            if meta.file_type().is_symlink() {
                return Err(link_error(path));
            }
            if !meta.is_dir() {
                return Err(HistoryError::Read(format!(
                    "{} is not a Maildir folder",
                    shown(path)
                )));
            }
            finish(mail::read_maildir(path, opts)?)
        }
        HistoryFormat::Mbox => {
            let (file, meta) = guard::open_regular(path).map_err(|e| refused(path, e))?;
            if meta.len() == 0 {
                return Err(HistoryError::Empty);
            }
            if meta.len() > MBOX_CAP {
                return Err(refused(
                    path,
                    guard::Refused::TooLarge {
                        size: meta.len(),
                        cap: MBOX_CAP,
                    },
                ));
            }
            finish(mail::read_mbox(file.take(MBOX_CAP), opts))
        }
        _ => {
            let (bytes, _) =
                guard::read_regular(path, guard::IMPORT_FILE_CAP).map_err(|e| refused(path, e))?;
            read_bytes(format, &bytes, &file_name(path), opts)
        }
    }
}

/// Read an export already in memory (a calendar fetched from a URL, a
/// file read by the app).
pub fn read_bytes(
    format: HistoryFormat,
    bytes: &[u8],
    file_name: &str,
    opts: &ReadOptions,
) -> Result<Harvest, HistoryError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(HistoryError::Empty);
    }
    let harvest = match format {
        HistoryFormat::Calendar => ics::read_calendar(bytes, opts),
        HistoryFormat::Mbox => mail::read_mbox(bytes, opts),
        HistoryFormat::Maildir => {
            return Err(HistoryError::Read(
                "a Maildir is a folder: read it with read_path".into(),
            ));
        }
        HistoryFormat::WhatsApp => chat::read_whatsapp(bytes, file_name, opts),
        HistoryFormat::Telegram => chat::read_telegram(bytes, opts),
        HistoryFormat::Signal => chat::read_signal(bytes, file_name, opts),
        HistoryFormat::LinkedIn => chat::read_linkedin(bytes, opts),
    };
    finish(harvest)
}

/// True when `text` is a calendar subscription address kith fetches
/// (`webcal://`, `webcals://`, `https://`, `http://`).
pub fn is_url(text: &str) -> bool {
    let lower = text
        .trim()
        .get(..10)
        .unwrap_or(text.trim())
        .to_ascii_lowercase();
    ["webcal://", "webcals://", "https://", "http://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

/// `webcal://` as the https address it stands for; None for anything that
/// is not http(s) or webcal.
fn http_url(url: &str) -> Option<String> {
    let text = url.trim();
    let (scheme, rest) = text.split_once("://")?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "webcal" | "webcals" | "https" => "https",
        "http" => "http",
        _ => return None,
    };
    Some(format!("{scheme}://{rest}"))
}

/// A URL for messages: no user or password, controls escaped, not endless.
pub fn shown_url(url: &str) -> String {
    let text = match url.split_once("://") {
        Some((scheme, rest)) => {
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let (authority, tail) = rest.split_at(end);
            let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
            format!("{scheme}://{host}{tail}")
        }
        None => url.to_string(),
    };
    let short: String = text.chars().take(300).collect();
    guard::escape_text(&short)
}

fn parse_uri(url: &str) -> Result<http::Uri, HistoryError> {
    let https = http_url(url).ok_or_else(|| {
        HistoryError::Read(format!(
            "{} is not a webcal://, https:// or http:// address",
            shown_url(url)
        ))
    })?;
    let uri: http::Uri = https
        .parse()
        .map_err(|e| HistoryError::Read(format!("{} is not a web address: {e}", shown_url(url))))?;
    if uri.host().is_none_or(str::is_empty) {
        return Err(HistoryError::Read(format!(
            "{} names no server",
            shown_url(url)
        )));
    }
    Ok(uri)
}

/// Where a redirect from `from` to `location` goes (absolute, rooted or
/// relative), or an error when it leaves https for http.
fn redirect_target(from: &http::Uri, location: &str) -> Result<http::Uri, HistoryError> {
    let location = location.trim();
    let scheme = from.scheme_str().unwrap_or("https");
    let authority = from.authority().map(|a| a.as_str()).unwrap_or("");
    let absolute = if is_url(location) {
        location.to_string()
    } else if let Some(rest) = location.strip_prefix("//") {
        format!("{scheme}://{rest}")
    } else if location.starts_with('/') {
        format!("{scheme}://{authority}{location}")
    } else {
        let path = from.path();
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        format!("{scheme}://{authority}{dir}/{location}")
    };
    let next = parse_uri(&absolute)?;
    if scheme == "https" && next.scheme_str() != Some("https") {
        return Err(HistoryError::Read(format!(
            "{} redirected to insecure {}; kith does not follow a redirect from https to http",
            shown_url(&from.to_string()),
            shown_url(&absolute)
        )));
    }
    Ok(next)
}

/// Why a request failed, in words: the innermost causes, without repeats.
fn network_error(url: &http::Uri, error: &(dyn std::error::Error + 'static)) -> HistoryError {
    let mut chain: Vec<String> = Vec::new();
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = current {
        let text = e.to_string();
        if !chain.iter().any(|c| c.contains(&text)) {
            chain.push(text);
        }
        current = e.source();
        if chain.len() > 8 {
            break;
        }
    }
    HistoryError::Read(format!(
        "cannot fetch {}: {}",
        shown_url(&url.to_string()),
        guard::escape_text(&chain.join(": "))
    ))
}

/// Fetch a calendar subscription (`webcal://` is fetched as `https://`):
/// only http(s), 30 s per request, at most 64 MiB, at most 5 redirects and
/// never from https to http; TLS with the system's root certificates.
pub fn fetch_calendar(url: &str) -> Result<Vec<u8>, HistoryError> {
    fetch_with(url, FETCH_TIMEOUT, FETCH_CAP)
}

/// [`fetch_calendar`] with its timeout and cap given.
fn fetch_with(url: &str, timeout: Duration, cap: usize) -> Result<Vec<u8>, HistoryError> {
    use http_body_util::{BodyExt, Limited};
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;

    let mut uri = parse_uri(url)?;
    let config = crate::sync::tls::client_config(None).map_err(HistoryError::Read)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| HistoryError::Read(format!("cannot start the network runtime: {e}")))?;
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_or_http()
        .enable_http1()
        .build();
    let client: Client<_, String> = Client::builder(TokioExecutor::new()).build(connector);
    for _ in 0..=MAX_REDIRECTS {
        let request = http::Request::get(uri.clone())
            .header(
                http::header::USER_AGENT,
                concat!("kith/", env!("CARGO_PKG_VERSION")),
            )
            .header(http::header::ACCEPT, "text/calendar, */*;q=0.5")
            .body(String::new())
            .map_err(|e| {
                HistoryError::Read(format!(
                    "cannot make a request for {}: {e}",
                    shown_url(&uri.to_string())
                ))
            })?;
        let exchange = async {
            let response = client
                .request(request)
                .await
                .map_err(|e| network_error(&uri, &e))?;
            let (parts, body) = response.into_parts();
            if parts.status.is_redirection() {
                return Ok((parts, Vec::new()));
            }
            let declared = parts
                .headers
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let too_large = || {
                HistoryError::Read(format!(
                    "{} is larger than kith's limit of {} for a calendar",
                    shown_url(&uri.to_string()),
                    guard::human_size(cap as u64)
                ))
            };
            if declared.is_some_and(|n| n > cap as u64) {
                return Err(too_large());
            }
            let collected = Limited::new(body, cap).collect().await.map_err(|e| {
                if e.downcast_ref::<http_body_util::LengthLimitError>()
                    .is_some()
                {
                    too_large()
                } else {
                    network_error(&uri, e.as_ref())
                }
            })?;
            Ok((parts, collected.to_bytes().to_vec()))
        };
        let (parts, body) =
            match rt.block_on(async { tokio::time::timeout(timeout, exchange).await }) {
                Ok(result) => result?,
                Err(_) => {
                    return Err(HistoryError::Read(format!(
                        "{} did not answer within {} s",
                        shown_url(&uri.to_string()),
                        timeout.as_secs_f64().ceil() as u64
                    )));
                }
            };
        if parts.status.is_redirection() {
            let location = parts
                .headers
                .get(http::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .ok_or_else(|| {
                    HistoryError::Read(format!(
                        "{} answered {} without saying where to",
                        shown_url(&uri.to_string()),
                        parts.status.as_u16()
                    ))
                })?;
            uri = redirect_target(&uri, location)?;
            continue;
        }
        if !parts.status.is_success() {
            return Err(HistoryError::Read(format!(
                "{} answered {}{}",
                shown_url(&uri.to_string()),
                parts.status.as_u16(),
                parts
                    .status
                    .canonical_reason()
                    .map(|r| format!(" {r}"))
                    .unwrap_or_default()
            )));
        }
        if body.is_empty() {
            return Err(HistoryError::Empty);
        }
        return Ok(body);
    }
    Err(HistoryError::Read(format!(
        "{} redirected more than {MAX_REDIRECTS} times",
        shown_url(url)
    )))
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
