//! Mail: mbox files (Google Takeout, Thunderbird, Apple Mail) and Maildir
//! folders, streamed; only headers are read (date, people, direction,
//! subject). Message bodies are never stored.
//!
//! An mbox is read line by line through a fixed buffer: the header block of
//! one message is kept (at most [`HEADER_CAP`]), body lines are looked at
//! only for where the next message starts (`From ` after a blank line, or a
//! `From ` line with a date) and for a `text/calendar` part with a `method`
//! (an invitation), then dropped. mboxo, mboxrd and mboxcl all read this
//! way (`>From` quoting only matters in bodies; `Content-Length` is not
//! trusted). A file that does not start with a `From ` line is read as one
//! message (a single `.eml`).
//!
//! Each message becomes one [`Encounter`] of kind Message: key
//! `mail:<Message-ID>` (lowercased, without `<>`; without a Message-ID,
//! `mail:~` and the [`short_key`] of its Date, From and Subject), the day of
//! its Date in the user's zone (else the day of the mbox `From ` line, or a
//! Maildir file's modification time), the Subject as title, and the From
//! (sender), To and Cc addresses as parties (Bcc only when there is no To
//! or Cc). Mailing lists, bulk mail, automatic replies, no-reply senders and
//! calendar invitations are [`Ignored`] with their reason; "too many
//! recipients" is decided by the plan from `crowd`. The mailbox gives no
//! source name ([`Harvest::suggested_name`] is ""; the plan names it after
//! the file); [`Harvest::recipients`] counts the addresses mail was
//! delivered to, so the plan can propose the owner's address.

use super::{Encounter, Harvest, HistoryError, Ignored, Party, ReadOptions, short_key};
use crate::exchange::Skipped;
use crate::model::InteractionKind;
use crate::storage::guard;
use chrono::{DateTime, NaiveDate, Utc};
use mail_parser::{Address, HeaderName, HeaderValue, Message, MessageParser};
use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// The largest header block of one message kept (bigger → a problem).
pub const HEADER_CAP: usize = 1 << 20;
/// The most read of one Maildir file (only its header block is used).
pub const MAILDIR_FILE_CAP: u64 = 64 << 20;
/// How much of a body line is looked at (separators, calendar parts).
const BODY_KEEP: usize = 512;
/// How many addresses the recipient count keeps track of.
const RECIPIENT_TABLE_CAP: usize = 200_000;
/// How many top recipients a harvest reports.
const TOP_RECIPIENTS: usize = 10;
/// The read buffer of an mbox.
const READ_BUFFER: usize = 256 << 10;

/// Read an mbox from `reader`, one message at a time.
pub fn read_mbox<R: std::io::Read>(reader: R, opts: &ReadOptions) -> Harvest {
    let mut input = BufReader::with_capacity(READ_BUFFER, reader);
    let mut sink = Sink::new(opts);
    let mut line: Vec<u8> = Vec::with_capacity(BODY_KEEP);
    let mut message = Pending::default();
    let mut state = State::Start;
    let mut number = 0usize;
    loop {
        line.clear();
        let keep = match state {
            State::Header => HEADER_CAP.saturating_sub(message.header.len()) + 1,
            _ => BODY_KEEP,
        }
        .max(BODY_KEEP);
        let len = match next_line(&mut input, &mut line, keep) {
            Ok(0) => break,
            Ok(len) => len,
            Err(e) => {
                let at = number.max(1);
                sink.problem(
                    at,
                    format!("message {at}: the file could not be read further: {e}"),
                );
                break;
            }
        };
        // A separator is a `From ` line with a date (a body line "From time
        // to time" after a blank line is not one); the first line of the
        // file needs no date.
        if line.starts_with(b"From ") && (state == State::Start || from_line_date(&line).is_some())
        {
            if state != State::Start {
                sink.finish(number, &message, state, None);
            }
            number += 1;
            message.reset(from_line_date(&line));
            state = State::Header;
            continue;
        }
        let blank = is_blank(&line);
        if state == State::Start {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // No `From ` line: one message from here (a single .eml).
            number += 1;
            message.reset(None);
            state = State::Header;
        }
        match state {
            State::Header => {
                if blank {
                    state = State::Body;
                } else if message.header.len().saturating_add(len) > HEADER_CAP {
                    state = State::Oversized;
                    sink.problem(
                        number,
                        format!("message {number}: header larger than 1 MiB"),
                    );
                    message.header.clear();
                } else {
                    message.header.extend_from_slice(&line);
                }
            }
            State::Body => message.scan.line(&line),
            State::Start | State::Oversized => {}
        }
    }
    if state != State::Start {
        sink.finish(number, &message, state, None);
    }
    sink.harvest()
}

/// Read every message of a Maildir folder (`cur`, `new`; never through a link).
pub fn read_maildir(dir: &Path, opts: &ReadOptions) -> Result<Harvest, HistoryError> {
    let shown = guard::shown(dir);
    // The folder itself the user chose (a link to it is followed, as
    // `guard::read_import` does for a file); nothing inside it is followed.
    let meta = std::fs::metadata(dir)
        .map_err(|e| HistoryError::Read(format!("cannot read {shown}: {e}")))?;
    if !meta.is_dir() {
        return Err(HistoryError::Read(format!(
            "{shown} is not a Maildir: it is not a folder"
        )));
    }
    let mut folders: Vec<(PathBuf, bool)> = Vec::new();
    if is_maildir(dir) {
        folders.push((PathBuf::new(), false));
    }
    // Maildir++: `.Sent`, `.INBOX.foo` beside `cur` and `new`.
    let entries = std::fs::read_dir(dir)
        .map_err(|e| HistoryError::Read(format!("cannot read {shown}: {e}")))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(text) = name.to_str() else { continue };
        if !text.starts_with('.') || text == "." || text == ".." {
            continue;
        }
        let path = dir.join(&name);
        if real_dir(&path) && is_maildir(&path) {
            folders.push((PathBuf::from(&name), is_sent_folder(text)));
        }
    }
    if folders.is_empty() {
        return Err(HistoryError::Read(format!(
            "{shown} is not a Maildir: it has no cur or new folder"
        )));
    }
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for (folder, sent) in &folders {
        for sub in ["cur", "new"] {
            let relative = folder.join(sub);
            let Ok(entries) = std::fs::read_dir(dir.join(&relative)) else {
                continue;
            };
            for entry in entries.flatten() {
                files.push((relative.join(entry.file_name()), *sent));
            }
        }
    }
    files.sort();
    let mut sink = Sink::new(opts);
    for (index, (relative, sent)) in files.iter().enumerate() {
        let number = index + 1;
        let path = dir.join(relative);
        let name = guard::shown(relative);
        match guard::open_regular(&path) {
            Ok((file, meta)) => {
                let mtime = meta
                    .modified()
                    .ok()
                    .map(|t| Fallback::Instant(DateTime::<Utc>::from(t)));
                let mut input = BufReader::new(file.take(MAILDIR_FILE_CAP));
                let mut message = Pending::default();
                message.reset(mtime);
                message.from_file = mtime.is_some();
                message.sent_folder = *sent;
                match read_one(&mut input, &mut message) {
                    Ok(state) => sink.finish(number, &message, state, Some(&name)),
                    Err(e) => sink.problem(number, format!("message {number} ({name}): {e}")),
                }
            }
            Err(guard::Refused::Symlink) => sink.problem(
                number,
                format!("message {number} ({name}): a symbolic link; kith does not follow it"),
            ),
            Err(guard::Refused::NotRegular(_)) => {}
            Err(e) => sink.problem(number, format!("message {number} ({name}): {e}")),
        }
    }
    Ok(sink.harvest())
}

/// True when `prefix` (the first bytes of a file) is an mbox.
pub fn looks_like_mbox(prefix: &[u8]) -> bool {
    prefix.starts_with(b"From ")
}

/// Where the reader is in the current message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Before the first message.
    Start,
    /// In the header block.
    Header,
    /// In the body (dropped as read).
    Body,
    /// The header block was too large: the rest of the message is skipped.
    Oversized,
}

/// A date to use when the Date header is missing or invalid.
#[derive(Clone, Copy, Debug)]
enum Fallback {
    /// An instant (a From line with an offset, a file's modification time).
    Instant(DateTime<Utc>),
    /// A day as written (a From line without an offset).
    Day(NaiveDate),
}

/// The message being read.
#[derive(Default)]
struct Pending {
    header: Vec<u8>,
    scan: BodyScan,
    fallback: Option<Fallback>,
    /// The fallback is the Maildir file's time.
    from_file: bool,
    sent_folder: bool,
}

impl Pending {
    fn reset(&mut self, fallback: Option<Fallback>) {
        self.header.clear();
        self.scan = BodyScan::default();
        self.fallback = fallback;
        self.from_file = false;
        self.sent_folder = false;
    }
}

/// What the body scan noticed: a calendar part with a method (an invitation,
/// a reply to one, a cancellation).
#[derive(Default)]
struct BodyScan {
    invitation: bool,
    calendar_type: bool,
}

impl BodyScan {
    fn line(&mut self, line: &[u8]) {
        if self.invitation {
            return;
        }
        if self.calendar_type && line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
            if contains_ignore_case(line, b"method=") {
                self.invitation = true;
            }
            return;
        }
        self.calendar_type = false;
        if line.len() > 13
            && line
                .get(..13)
                .is_some_and(|l| l.eq_ignore_ascii_case(b"content-type:"))
            && contains_ignore_case(line, b"text/calendar")
        {
            if contains_ignore_case(line, b"method=") {
                self.invitation = true;
            } else {
                self.calendar_type = true;
            }
        }
    }
}

/// Read one message (a Maildir file) into `message`.
fn read_one(input: &mut impl BufRead, message: &mut Pending) -> io::Result<State> {
    let mut line = Vec::with_capacity(BODY_KEEP);
    let mut state = State::Header;
    let mut first = true;
    loop {
        line.clear();
        let keep = match state {
            State::Header => HEADER_CAP.saturating_sub(message.header.len()) + 1,
            _ => BODY_KEEP,
        };
        let len = next_line(input, &mut line, keep)?;
        if len == 0 {
            return Ok(state);
        }
        // Some tools store a message with its mbox `From ` line.
        if first && line.starts_with(b"From ") {
            first = false;
            if let Some(date) = from_line_date(&line) {
                message.fallback = Some(date);
                message.from_file = false;
            }
            continue;
        }
        first = false;
        match state {
            State::Header if is_blank(&line) => state = State::Body,
            State::Header if message.header.len().saturating_add(len) > HEADER_CAP => {
                message.header.clear();
                return Ok(State::Oversized);
            }
            State::Header => message.header.extend_from_slice(&line),
            State::Body => message.scan.line(&line),
            State::Start | State::Oversized => return Ok(state),
        }
    }
}

/// Append the next line of `reader` (with its `\n`) to `out`, keeping at
/// most `keep` bytes of it; returns the whole line's length, 0 at the end.
fn next_line(reader: &mut impl BufRead, out: &mut Vec<u8>, keep: usize) -> io::Result<usize> {
    let mut total = 0usize;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok(total);
        }
        let (take, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(at) => (at + 1, true),
            None => (buffer.len(), false),
        };
        let room = keep.saturating_sub(total).min(take);
        out.extend_from_slice(buffer.get(..room).unwrap_or_default());
        total = total.saturating_add(take);
        reader.consume(take);
        if done {
            return Ok(total);
        }
    }
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n" || line == b"\r\n"
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The date of an mbox `From ` line: `From sender Wed Dec  2 22:18:15 2026`
/// (asctime, the day as written) or Google Takeout's
/// `From 1234@xxx Sat Jan 01 00:00:00 +0000 2022` (with an offset).
fn from_line_date(line: &[u8]) -> Option<Fallback> {
    let text = std::str::from_utf8(line.get(..line.len().min(BODY_KEEP))?).ok()?;
    let tokens: Vec<&str> = text.split_whitespace().skip(2).collect();
    let at = tokens.iter().position(|t| month_number(t).is_some())?;
    let month = month_number(tokens.get(at)?)?;
    let day: u32 = tokens.get(at + 1)?.parse().ok()?;
    let time = tokens.get(at + 2)?;
    let mut clock = time.split(':').map(|p| p.parse::<u32>().ok());
    let hour = clock.next().flatten()?;
    let minute = clock.next().flatten()?;
    let second = clock.next().flatten().unwrap_or(0);
    let rest = tokens.get(at + 3..)?;
    let year: i32 = rest
        .iter()
        .find(|t| t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))?
        .parse()
        .ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    let wall = date.and_hms_opt(hour, minute, second)?;
    let offset = rest.iter().find_map(|t| {
        let (sign, digits) = match t.as_bytes().first()? {
            b'+' => (1i64, t.get(1..)?),
            b'-' => (-1i64, t.get(1..)?),
            _ => return None,
        };
        if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: i64 = digits.parse().ok()?;
        Some(sign * ((value / 100) * 3600 + (value % 100) * 60))
    });
    match offset {
        Some(seconds) => {
            let instant = wall.and_utc() - chrono::Duration::seconds(seconds);
            Some(Fallback::Instant(instant))
        }
        None => Some(Fallback::Day(date)),
    }
}

fn month_number(token: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if token.len() != 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.eq_ignore_ascii_case(token))
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

fn is_maildir(path: &Path) -> bool {
    real_dir(&path.join("cur")) || real_dir(&path.join("new"))
}

/// A Maildir++ folder of sent mail (`.Sent`, `.Sent Items`, `.INBOX.Sent`).
fn is_sent_folder(name: &str) -> bool {
    name.rsplit('.')
        .next()
        .is_some_and(|last| last.to_ascii_lowercase().starts_with("sent"))
}

/// A header kith reads beyond the standard ones.
fn other(name: &'static str) -> HeaderName<'static> {
    HeaderName::Other(name.into())
}

/// Turns header blocks into encounters.
struct Sink<'o> {
    opts: &'o ReadOptions,
    parser: MessageParser,
    harvest: Harvest,
    recipients: HashMap<String, usize>,
}

impl<'o> Sink<'o> {
    fn new(opts: &'o ReadOptions) -> Self {
        // Only what is used is parsed; every other header (Received, DKIM…)
        // is skipped without work.
        let parser = MessageParser::new()
            .header_date(HeaderName::Date)
            .header_text(HeaderName::Subject)
            .header_address(HeaderName::From)
            .header_address(HeaderName::To)
            .header_address(HeaderName::Cc)
            .header_address(HeaderName::Bcc)
            .header_address(HeaderName::DeliveredTo)
            .header_address(other("X-Original-To"))
            .header_id(HeaderName::MessageId)
            .header_content_type(HeaderName::ContentType)
            .header_raw(HeaderName::ListId)
            .header_raw(HeaderName::ListUnsubscribe)
            .header_raw(HeaderName::ListPost)
            .header_raw(HeaderName::AutoSubmitted)
            .header_raw(other("Precedence"))
            .header_raw(other("X-Autoreply"))
            .header_raw(other("X-Autorespond"))
            .header_raw(other("Content-Class"))
            .header_raw(other("X-Gmail-Labels"))
            .default_header_ignore();
        Sink {
            opts,
            parser,
            harvest: Harvest::default(),
            recipients: HashMap::new(),
        }
    }

    fn problem(&mut self, line: usize, reason: String) {
        self.harvest.problems.push(Skipped { line, reason });
    }

    fn ignore(&mut self, line: usize, reason: &str) {
        self.harvest.ignored.push(Ignored {
            line,
            reason: reason.to_string(),
        });
    }

    fn harvest(mut self) -> Harvest {
        let mut top: Vec<(String, usize)> = self.recipients.drain().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(TOP_RECIPIENTS);
        self.harvest.recipients = top;
        self.harvest
    }

    /// The message `number` ended in `state`.
    fn finish(&mut self, number: usize, message: &Pending, state: State, name: Option<&str>) {
        let at = match name {
            Some(name) => format!("message {number} ({name})"),
            None => format!("message {number}"),
        };
        match state {
            State::Oversized => {
                if name.is_some() {
                    self.problem(number, format!("{at}: header larger than 1 MiB"));
                }
            }
            State::Start => {}
            State::Header | State::Body => self.message(number, &at, message),
        }
    }

    fn message(&mut self, number: usize, at: &str, pending: &Pending) {
        let decoded = latin1_lines(&pending.header);
        let raw: &[u8] = decoded.as_deref().unwrap_or(&pending.header);
        let Some(message) = self.parser.parse_headers(raw) else {
            self.problem(number, format!("{at}: no mail headers"));
            return;
        };
        self.count_recipients(&message);
        if let Some(reason) = ignore_reason(&message, pending.scan.invitation) {
            self.ignore(number, reason);
            return;
        }
        let from = addresses(message.header_values(HeaderName::From));
        if from.is_empty() {
            self.problem(number, format!("{at}: no sender (From address)"));
            return;
        }
        let written = header_date(&message);
        if written.is_none()
            && message.header(HeaderName::Date).is_some()
            && pending.fallback.is_some()
        {
            let by = if pending.from_file {
                "the file's time"
            } else {
                "the mbox From line"
            };
            self.problem(number, format!("{at}: invalid Date; dated by {by}"));
        }
        let Some(date) = written.or(pending.fallback).map(|fallback| match fallback {
            Fallback::Instant(instant) => self.opts.zone.date_of(instant),
            Fallback::Day(day) => day,
        }) else {
            self.problem(number, format!("{at}: no valid Date"));
            return;
        };
        if date > self.opts.today {
            self.ignore(number, "in the future");
            return;
        }
        let me = pending.sent_folder || gmail_sent(&message);
        let mut parties: Vec<Party> = Vec::new();
        for (name, email) in from {
            push_party(&mut parties, name, email, true, me);
        }
        let to = addresses(message.header_values(HeaderName::To));
        let cc = addresses(message.header_values(HeaderName::Cc));
        let bcc = if to.is_empty() && cc.is_empty() {
            addresses(message.header_values(HeaderName::Bcc))
        } else {
            Vec::new()
        };
        for (name, email) in to.into_iter().chain(cc).chain(bcc) {
            push_party(&mut parties, name, email, false, false);
        }
        let mut crowd: Vec<&str> = parties.iter().filter_map(|p| p.email.as_deref()).collect();
        crowd.sort_unstable();
        crowd.dedup();
        let crowd = crowd.len() + parties.iter().filter(|p| p.email.is_none()).count();
        // The first of a repeated header counts (as Thunderbird reads it).
        let title = message
            .header_values(HeaderName::Subject)
            .next()
            .and_then(HeaderValue::as_text)
            .map(clean_text)
            .unwrap_or_default();
        let key = match message
            .header_values(HeaderName::MessageId)
            .next()
            .and_then(HeaderValue::as_text)
            .map(|id| {
                id.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .trim()
            })
            .filter(|id| !id.is_empty())
        {
            Some(id) => format!("mail:{}", id.to_lowercase()),
            None => {
                let raw =
                    |name: HeaderName<'static>| first_raw(&message, raw, &name).trim().to_string();
                let basis = format!(
                    "{}\n{}\n{}",
                    raw(HeaderName::Date),
                    raw(HeaderName::From),
                    raw(HeaderName::Subject)
                );
                format!("mail:~{}", short_key(&basis))
            }
        };
        self.harvest.encounters.push(Encounter {
            key,
            date,
            kind: InteractionKind::Message,
            title,
            parties,
            crowd,
            line: number,
        });
    }

    /// Count each address the message was delivered to, once per message.
    fn count_recipients(&mut self, message: &Message<'_>) {
        let mut seen: Vec<String> = Vec::new();
        for name in [
            HeaderName::To,
            HeaderName::Cc,
            HeaderName::DeliveredTo,
            other("X-Original-To"),
        ] {
            for (_, email) in addresses(message.header_values(name)) {
                if let Some(email) = email
                    && !seen.contains(&email)
                {
                    seen.push(email);
                }
            }
        }
        for email in seen {
            if let Some(count) = self.recipients.get_mut(&email) {
                *count += 1;
            } else if self.recipients.len() < RECIPIENT_TABLE_CAP {
                self.recipients.insert(email, 1);
            }
        }
    }
}

/// Why a message is left out, if it is.
fn ignore_reason(message: &Message<'_>, body_invitation: bool) -> Option<&'static str> {
    let raw = |name: HeaderName<'static>| message.header_raw(name).map(str::trim);
    let content_type = message
        .header(HeaderName::ContentType)
        .and_then(HeaderValue::as_content_type);
    let calendar_type = content_type.is_some_and(|ct| {
        let main = ct.ctype();
        let sub = ct.subtype().unwrap_or_default();
        (main.eq_ignore_ascii_case("text") && sub.eq_ignore_ascii_case("calendar"))
            || (main.eq_ignore_ascii_case("application") && sub.eq_ignore_ascii_case("ics"))
    });
    let calendar_class = raw(other("Content-Class"))
        .is_some_and(|c| c.eq_ignore_ascii_case("urn:content-classes:calendarmessage"));
    if body_invitation || calendar_type || calendar_class {
        return Some("calendar invitation");
    }
    let auto = raw(HeaderName::AutoSubmitted).is_some_and(|v| {
        let v = v.to_ascii_lowercase();
        !v.is_empty() && !v.starts_with("no")
    });
    if auto
        || message.header(other("X-Autoreply")).is_some()
        || message.header(other("X-Autorespond")).is_some()
    {
        return Some("automatic reply");
    }
    if message.header(HeaderName::ListId).is_some()
        || message.header(HeaderName::ListUnsubscribe).is_some()
        || message.header(HeaderName::ListPost).is_some()
    {
        return Some("mailing list");
    }
    if raw(other("Precedence")).is_some_and(|p| {
        let p = p.to_ascii_lowercase();
        matches!(p.as_str(), "bulk" | "list" | "junk")
    }) {
        return Some("bulk mail");
    }
    let from = addresses(message.header_values(HeaderName::From));
    if from
        .iter()
        .filter_map(|(_, email)| email.as_deref())
        .any(no_reply)
    {
        return Some("no-reply sender");
    }
    None
}

/// An address that does not read replies.
fn no_reply(email: &str) -> bool {
    let local = email.split('@').next().unwrap_or_default();
    let squashed: String = local
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.'))
        .collect();
    if squashed.contains("noreply") || squashed.contains("donotreply") {
        return true;
    }
    // `bounces+123@`, `notifications@`, `mailer-daemon@`.
    let head = local.split(['+', '=']).next().unwrap_or_default();
    matches!(
        head,
        "mailer-daemon"
            | "mailerdaemon"
            | "postmaster"
            | "notification"
            | "notifications"
            | "bounce"
            | "bounces"
    )
}

/// Google Takeout marks the mail you sent with the label `Sent` (in the
/// account's language).
fn gmail_sent(message: &Message<'_>) -> bool {
    const SENT: [&str; 10] = [
        "sent",
        "sent mail",
        "gesendet",
        "envoyés",
        "enviados",
        "inviati",
        "verzonden",
        "skickat",
        "wysłane",
        "отправленные",
    ];
    message
        .header_raw(other("X-Gmail-Labels"))
        .is_some_and(|labels| {
            labels.split(',').any(|label| {
                let label = label.trim().to_lowercase();
                SENT.contains(&label.as_str())
            })
        })
}

/// Header lines in 8-bit text that is not UTF-8 (old clients wrote
/// Latin-1 names and subjects unencoded) re-read as Windows-1252, the
/// superset of Latin-1; None when the block is all UTF-8.
fn latin1_lines(header: &[u8]) -> Option<Vec<u8>> {
    if std::str::from_utf8(header).is_ok() {
        return None;
    }
    let mut out = Vec::with_capacity(header.len() + header.len() / 8);
    for line in header.split_inclusive(|&b| b == b'\n') {
        if std::str::from_utf8(line).is_ok() {
            out.extend_from_slice(line);
        } else {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(line);
            out.extend_from_slice(text.as_bytes());
        }
    }
    Some(out)
}

/// The raw text of the first header `name` ("" when there is none).
fn first_raw<'a>(message: &Message<'_>, raw: &'a [u8], name: &HeaderName<'_>) -> &'a str {
    message
        .headers()
        .iter()
        .find(|h| &h.name == name)
        .and_then(|h| {
            let start = usize::try_from(h.offset_start()).ok()?;
            let end = usize::try_from(h.offset_end()).ok()?;
            raw.get(start..end)
        })
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The first Date header as an instant, when it is a real date.
fn header_date(message: &Message<'_>) -> Option<Fallback> {
    let date = message
        .header_values(HeaderName::Date)
        .next()
        .and_then(HeaderValue::as_datetime)?;
    if !date.is_valid() {
        return None;
    }
    let day = NaiveDate::from_ymd_opt(
        i32::from(date.year),
        u32::from(date.month),
        u32::from(date.day),
    )?;
    let wall = day.and_hms_opt(
        u32::from(date.hour),
        u32::from(date.minute),
        u32::from(date.second),
    )?;
    let offset = i64::from(date.tz_hour) * 3600 + i64::from(date.tz_minute) * 60;
    let offset = if date.tz_before_gmt { -offset } else { offset };
    Some(Fallback::Instant(
        wall.and_utc() - chrono::Duration::seconds(offset),
    ))
}

/// Every (name, lowercased address) in these header values, groups flattened.
fn addresses<'a, 'x: 'a>(
    values: impl Iterator<Item = &'a HeaderValue<'x>>,
) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for value in values {
        let Some(address) = value.as_address() else {
            continue;
        };
        let list: Vec<&mail_parser::Addr<'_>> = match address {
            Address::List(list) => list.iter().collect(),
            Address::Group(groups) => groups.iter().flat_map(|g| g.addresses.iter()).collect(),
        };
        for addr in list {
            let email = addr
                .address()
                .map(|a| a.trim().trim_start_matches("mailto:").to_lowercase())
                .filter(|a| a.contains('@') && !a.starts_with('@') && !a.ends_with('@'));
            let mut name = addr.name().map(clean_text).unwrap_or_default();
            name = name.trim_matches(['"', '\'']).trim().to_string();
            if email
                .as_deref()
                .is_some_and(|e| name.eq_ignore_ascii_case(e))
            {
                name.clear();
            }
            if email.is_none() && name.is_empty() {
                continue;
            }
            out.push((name, email));
        }
    }
    out
}

/// Add a party unless the same address is already there (a sender who
/// wrote to themself stays the sender).
fn push_party(
    parties: &mut Vec<Party>,
    name: String,
    email: Option<String>,
    sender: bool,
    me: bool,
) {
    if let Some(email) = &email
        && let Some(existing) = parties
            .iter_mut()
            .find(|p| p.email.as_deref() == Some(email.as_str()))
    {
        if existing.name.is_empty() {
            existing.name = name;
        }
        return;
    }
    if email.is_none() && parties.iter().any(|p| p.email.is_none() && p.name == name) {
        return;
    }
    parties.push(Party {
        name,
        email,
        sender,
        me,
        ..Party::default()
    });
}

/// Header text on one line: runs of whitespace (folding, tabs) become one space.
fn clean_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[path = "mail_tests.rs"]
mod tests;
