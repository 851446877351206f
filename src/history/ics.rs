//! iCalendar exports (Google Calendar, Outlook, Apple Calendar, Thunderbird,
//! subscription feeds) read as [`Encounter`]s: each event with attendees kith
//! may know, each occurrence of a recurring one (see [`super::recur`]).
//!
//! [`parse_calendar`] is a forgiving RFC 5545 content-line parser (folding
//! with spaces or tabs, CRLF, LF or CR line ends, a byte-order mark, quoted
//! parameters with RFC 6868 `^` escapes, nested components); what it cannot
//! read is reported by line and everything else is kept. [`read_calendar`]
//! turns the events of each `VCALENDAR` into encounters.

use super::recur::{self, Occurrence};
use super::tz::ZoneTable;
use super::{Encounter, Harvest, Ignored, Party, ReadOptions, short_key};
use crate::exchange::Skipped;
use crate::model::{HistorySettings, InteractionKind};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Components nested deeper than this stop the parser (a real calendar
/// nests at most three deep: `VCALENDAR` > `VEVENT` > `VALARM`).
pub const MAX_DEPTH: usize = 8;

/// More properties than this in one file stop the parser (a ten-year
/// calendar of 20,000 events has about 400,000).
pub const MAX_PROPERTIES: usize = 1_000_000;

/// At most this many problems are listed one by one; the rest are counted
/// in one last line.
pub const MAX_PROBLEMS: usize = 1_000;

/// One property line, unfolded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Property {
    /// Name, uppercased (`DTSTART`, `ATTENDEE`, `X-WR-CALNAME`).
    pub name: String,
    /// Parameters: names uppercased, values unquoted (several values stay
    /// comma-joined as written).
    pub params: Vec<(String, String)>,
    /// The raw value after the colon (not unescaped).
    pub value: String,
    /// 1-based line where the property starts.
    pub line: usize,
}

impl Property {
    /// The first value of parameter `name` (uppercase).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value as TEXT, escaping undone (see [`unescape_text`]).
    pub fn text(&self) -> String {
        unescape_text(&self.value)
    }
}

/// A component (`VCALENDAR`, `VEVENT`, `VTIMEZONE`, `STANDARD`, …) with its
/// properties and the components inside it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Component {
    /// Name, uppercased.
    pub name: String,
    /// Its own properties, in order.
    pub properties: Vec<Property>,
    /// Components nested in it.
    pub children: Vec<Component>,
    /// 1-based line of its `BEGIN`.
    pub line: usize,
}

impl Component {
    /// The first property named `name` (uppercase).
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Every property named `name` (uppercase).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }
}

/// Undo iCalendar TEXT escaping (RFC 5545 3.3.11): `\\`, `\;`, `\,`, and
/// `\n` or `\N` for a line break. Other escaped characters (Outlook writes
/// `\:`) stand for themselves; a backslash at the very end is kept.
pub fn unescape_text(value: &str) -> String {
    if !value.contains('\\') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Undo RFC 6868 escaping in a parameter value: `^n` is a line break, `^^`
/// a caret and `^'` a double quote; any other caret stays as written.
fn unescape_param(value: &str) -> Cow<'_, str> {
    if !value.contains('^') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('n') => {
                out.push('\n');
                chars.next();
            }
            Some('^') => {
                out.push('^');
                chars.next();
            }
            Some('\'') => {
                out.push('"');
                chars.next();
            }
            _ => out.push('^'),
        }
    }
    Cow::Owned(out)
}

/// Content lines, unfolded: each with the 1-based line it starts on. Lines
/// end in CRLF, LF or (old Macs) CR alone; a line starting with a space or
/// a tab continues the one before (that one character is dropped); blank
/// lines are skipped.
struct Unfold<'a> {
    lines: std::iter::Peekable<std::iter::Enumerate<std::str::Split<'a, char>>>,
}

impl<'a> Unfold<'a> {
    fn new(text: &'a str) -> Self {
        let separator = if !text.contains('\n') && text.contains('\r') {
            '\r'
        } else {
            '\n'
        };
        Unfold {
            lines: text.split(separator).enumerate().peekable(),
        }
    }
}

/// A physical line without its CR.
fn physical(raw: &str) -> &str {
    raw.strip_suffix('\r').unwrap_or(raw)
}

impl<'a> Iterator for Unfold<'a> {
    type Item = (usize, Cow<'a, str>);

    fn next(&mut self) -> Option<Self::Item> {
        let (index, start) = loop {
            let (index, raw) = self.lines.next()?;
            let line = physical(raw);
            if !line.is_empty() {
                // A continuation with nothing to continue reads as a line.
                break (index, line.trim_start_matches([' ', '\t']));
            }
        };
        let mut current = Cow::Borrowed(start);
        while let Some((_, raw)) = self.lines.peek() {
            let line = physical(raw);
            if line.is_empty() {
                self.lines.next();
                continue;
            }
            let Some(rest) = line.strip_prefix([' ', '\t']) else {
                break;
            };
            current.to_mut().push_str(rest);
            self.lines.next();
        }
        Some((index + 1, current))
    }
}

/// A property name or parameter name: letters, digits, `-` (and `_`, which
/// some producers use in `X-` names).
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Index of the first of `set` in `line` at or after `from`.
fn find_any(line: &str, from: usize, set: &[u8]) -> Option<usize> {
    line.as_bytes()
        .get(from..)?
        .iter()
        .position(|b| set.contains(b))
        .map(|at| at + from)
}

/// One content line split into name, parameters and raw value, or why it
/// is not a property.
/// A content line's name, parameters and raw value.
type Parts = (String, Vec<(String, String)>, String);

fn parse_line(line: &str) -> Result<Parts, String> {
    const NO_COLON: &str = "no ':' in this line, so it is not a property (name:value)";
    let Some(end) = find_any(line, 0, b";:") else {
        return Err(NO_COLON.into());
    };
    let name = line.get(..end).unwrap_or("").trim();
    if !is_name(name) {
        return Err(format!(
            "'{}' is not a property name (letters, digits and '-' only)",
            crate::storage::guard::escape_text(&clip(name, 40))
        ));
    }
    let bytes = line.as_bytes();
    let mut pos = end;
    let mut params = Vec::new();
    while bytes.get(pos) == Some(&b';') {
        pos += 1;
        let Some(stop) = find_any(line, pos, b"=;:") else {
            return Err(NO_COLON.into());
        };
        let pname = line
            .get(pos..stop)
            .unwrap_or("")
            .trim()
            .to_ascii_uppercase();
        pos = stop;
        let mut pvalue = String::new();
        if bytes.get(pos) == Some(&b'=') {
            pos += 1;
            loop {
                // A fold can leave spaces before a quote (`DELEGATED-FROM=\n  "mailto:…"`).
                let blank = line.get(pos..).map_or(0, |rest| {
                    rest.len() - rest.trim_start_matches([' ', '\t']).len()
                });
                if bytes.get(pos + blank) == Some(&b'"') {
                    pos += blank;
                }
                if bytes.get(pos) == Some(&b'"') {
                    let Some(close) = find_any(line, pos + 1, b"\"") else {
                        return Err(format!(
                            "the quoted value of parameter {} is never closed",
                            crate::storage::guard::escape_text(&clip(&pname, 40))
                        ));
                    };
                    let quoted = line.get(pos + 1..close).unwrap_or("");
                    // Outlook sometimes closes the quote after the value:
                    // `DTSTART;TZID="W. Europe Standard Time:20200609T090000"`.
                    if close + 1 == line.len()
                        && let Some(colon) = quoted.rfind(':')
                    {
                        pvalue.push_str(&unescape_param(quoted.get(..colon).unwrap_or("")));
                        params.push((pname, pvalue));
                        let value = quoted.get(colon + 1..).unwrap_or("").to_string();
                        return Ok((name.to_ascii_uppercase(), params, value));
                    }
                    pvalue.push_str(&unescape_param(quoted));
                    pos = close + 1;
                }
                // Unquoted text (or what follows a closing quote, leniently).
                let stop = find_any(line, pos, b",;:").unwrap_or(line.len());
                pvalue.push_str(&unescape_param(line.get(pos..stop).unwrap_or("")));
                pos = stop;
                if bytes.get(pos) == Some(&b',') {
                    pvalue.push(',');
                    pos += 1;
                } else {
                    break;
                }
            }
        }
        if !pname.is_empty() {
            params.push((pname, pvalue));
        }
    }
    if bytes.get(pos) != Some(&b':') {
        return Err(NO_COLON.into());
    }
    let value = line.get(pos + 1..).unwrap_or("").to_string();
    Ok((name.to_ascii_uppercase(), params, value))
}

/// At most `max` characters of `text`, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or("")),
        None => text.to_string(),
    }
}

/// Problems, listed up to [`MAX_PROBLEMS`] and counted after that.
#[derive(Default)]
struct Problems {
    list: Vec<Skipped>,
    more: usize,
    first_more: usize,
}

impl Problems {
    fn push(&mut self, line: usize, reason: impl Into<String>) {
        if self.list.len() < MAX_PROBLEMS {
            self.list.push(Skipped {
                line,
                reason: reason.into(),
            });
        } else {
            if self.more == 0 {
                self.first_more = line;
            }
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<Skipped> {
        if self.more > 0 {
            self.list.push(Skipped {
                line: self.first_more,
                reason: format!(
                    "and {} more lines from here on that could not be read",
                    self.more
                ),
            });
        }
        self.list
    }
}

/// Close the innermost open component into its parent (or the top level).
fn close(stack: &mut Vec<Component>, roots: &mut Vec<Component>) {
    if let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
}

/// Parse an iCalendar text into its top-level components (normally one
/// `VCALENDAR`), with lines that could not be read.
///
/// Never fails: a line without a colon or with a bad name, a property
/// outside any component, an `END` that closes the wrong component and a
/// component never closed are reported by line, and everything else is
/// kept (a component closed by the wrong `END` or by the end of the file is
/// kept with what it had). Components nested deeper than [`MAX_DEPTH`] or
/// more than [`MAX_PROPERTIES`] properties stop the parser with a problem.
pub fn parse_calendar(text: &str) -> (Vec<Component>, Vec<Skipped>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut roots: Vec<Component> = Vec::new();
    let mut stack: Vec<Component> = Vec::new();
    let mut problems = Problems::default();
    let mut count = 0usize;
    for (line, content) in Unfold::new(text) {
        let (name, params, value) = match parse_line(&content) {
            Ok(parsed) => parsed,
            Err(reason) => {
                problems.push(line, reason);
                continue;
            }
        };
        match name.as_str() {
            "BEGIN" => {
                let component = value.trim().to_ascii_uppercase();
                if !is_name(&component) {
                    problems.push(line, "BEGIN without a component name");
                    continue;
                }
                if stack.len() >= MAX_DEPTH {
                    problems.push(
                        line,
                        format!("components nested deeper than {MAX_DEPTH}: reading stops here"),
                    );
                    break;
                }
                stack.push(Component {
                    name: component,
                    properties: Vec::new(),
                    children: Vec::new(),
                    line,
                });
            }
            "END" => {
                let component = value.trim().to_ascii_uppercase();
                match stack.iter().rposition(|c| c.name == component) {
                    Some(at) => {
                        if at + 1 != stack.len() {
                            let open: Vec<String> = stack
                                .get(at + 1..)
                                .unwrap_or(&[])
                                .iter()
                                .map(|c| format!("BEGIN:{} (line {})", c.name, c.line))
                                .collect();
                            problems.push(
                                line,
                                format!(
                                    "END:{} closes {} too, which had no END",
                                    crate::storage::guard::escape_text(&clip(&component, 40)),
                                    crate::storage::guard::escape_text(&open.join(", "))
                                ),
                            );
                        }
                        while stack.len() > at {
                            close(&mut stack, &mut roots);
                        }
                    }
                    None => problems.push(
                        line,
                        format!(
                            "END:{} without a BEGIN:{}",
                            crate::storage::guard::escape_text(&clip(&component, 40)),
                            crate::storage::guard::escape_text(&clip(&component, 40))
                        ),
                    ),
                }
            }
            _ => {
                let Some(current) = stack.last_mut() else {
                    problems.push(
                        line,
                        format!(
                            "{} is outside any BEGIN:VCALENDAR … END:VCALENDAR",
                            crate::storage::guard::escape_text(&clip(&name, 40))
                        ),
                    );
                    continue;
                };
                count += 1;
                if count > MAX_PROPERTIES {
                    problems.push(
                        line,
                        format!("more than {MAX_PROPERTIES} properties: reading stops here"),
                    );
                    break;
                }
                current.properties.push(Property {
                    name,
                    params,
                    value,
                    line,
                });
            }
        }
    }
    for open in stack.iter().rev() {
        problems.push(
            open.line,
            format!(
                "BEGIN:{} is never closed (the file may be cut short); what it had is kept",
                crate::storage::guard::escape_text(&clip(&open.name, 40))
            ),
        );
    }
    while !stack.is_empty() {
        close(&mut stack, &mut roots);
    }
    (roots, problems.finish())
}

/// Text decoded from an export's bytes: UTF-8 (with or without a BOM),
/// UTF-16 with a BOM, or UTF-8 with invalid bytes replaced (reported).
fn decode(bytes: &[u8], problems: &mut Vec<Skipped>) -> String {
    let utf16 = |big: bool, body: &[u8]| {
        let units = body.chunks_exact(2).map(|pair| match pair {
            [a, b] if big => u16::from_be_bytes([*a, *b]),
            [a, b] => u16::from_le_bytes([*a, *b]),
            _ => 0xFFFD,
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect::<String>()
    };
    if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(false, body);
    }
    if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(true, body);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(error) => {
            let valid = bytes.get(..error.valid_up_to()).unwrap_or(&[]);
            let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
            problems.push(Skipped {
                line,
                reason: "not valid UTF-8 from this line on: unreadable bytes are shown as �".into(),
            });
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// Lowercased text split into words on anything that is not a letter or
/// digit, for matching whole words.
fn has_word(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|word| {
        lower.match_indices(word).any(|(at, _)| {
            let before = lower.get(..at).and_then(|s| s.chars().next_back());
            let after = lower.get(at + word.len()..).and_then(|s| s.chars().next());
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

const COFFEE_WORDS: &[&str] = &[
    "coffee",
    "coffees",
    "café",
    "cafe",
    "kaffee",
    "espresso",
    "cappuccino",
];

const MEAL_WORDS: &[&str] = &[
    "lunch",
    "lunches",
    "dinner",
    "dinners",
    "breakfast",
    "brunch",
    "déjeuner",
    "dejeuner",
    "dîner",
    "mittag",
    "mittagessen",
    "abendessen",
    "frühstück",
];

const CALL_WORDS: &[&str] = &[
    "call", "calls", "phone", "video", "zoom", "facetime", "webex", "whereby", "skype", "hangout",
    "hangouts", "jitsi",
];

/// Video-meeting links: a location or description with one of these is a call.
const VIDEO_LINKS: &[&str] = &[
    "meet.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "zoom.us",
    "webex.com",
    "whereby.com",
    "meet.jit.si",
    "facetime.apple.com",
    "join.skype.com",
];

/// Event properties that carry a video meeting (Google Meet, Teams, RFC 7986).
fn is_conference_property(name: &str) -> bool {
    name == "CONFERENCE"
        || name == "X-GOOGLE-CONFERENCE"
        || name.starts_with("X-MICROSOFT-ONLINEMEETING")
        || name == "X-MICROSOFT-SKYPETEAMSMEETINGURL"
}

/// The kind an event most likely was, from its title, location and
/// description: coffee (coffee, café, Kaffee, espresso), a meal (lunch,
/// dinner, breakfast, brunch, déjeuner, Mittag), a call (call, phone,
/// video, Zoom, FaceTime, Webex, a Meet or Teams link); otherwise "Met at
/// event" for a crowd of the default event size or more, else Other. Words
/// match whole and in any case; the title is asked first, then the
/// location, then (for video links only) the description.
pub fn guess_kind(title: &str, location: &str, description: &str, crowd: usize) -> InteractionKind {
    let title = title.to_lowercase();
    let location = location.to_lowercase();
    for text in [&title, &location] {
        if has_word(text, COFFEE_WORDS) {
            return InteractionKind::Coffee;
        }
        if has_word(text, MEAL_WORDS) {
            return InteractionKind::Lunch;
        }
        if has_word(text, CALL_WORDS) || VIDEO_LINKS.iter().any(|link| text.contains(link)) {
            return InteractionKind::Call;
        }
    }
    let description = description.to_lowercase();
    if VIDEO_LINKS.iter().any(|link| description.contains(link)) {
        return InteractionKind::Call;
    }
    let event_crowd = usize::try_from(HistorySettings::default().event_crowd).unwrap_or(6);
    if crowd >= event_crowd {
        InteractionKind::MetAtEvent
    } else {
        InteractionKind::Other
    }
}

/// Undo `%XX` escapes (as in a `mailto:` URI); bad escapes stay as written.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let Some(hex) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(hex)
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            out.push(value);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// An e-mail address from a cal-address: `mailto:` (any case, percent
/// escapes undone, a `?query` dropped), or a bare address; lowercased.
fn mail_address(value: &str) -> Option<String> {
    let value = value.trim();
    let rest = match value.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => value.get(7..).unwrap_or(""),
        _ if !value.contains(':') => value,
        _ => return None,
    };
    let rest = rest.split('?').next().unwrap_or("");
    // No address holds white space; a fold inside one leaves some (`hcabot@\n  example.com`).
    let address: String = percent_decode(rest)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    (address.contains('@') && !address.starts_with('@') && !address.ends_with('@'))
        .then_some(address)
}

/// The person an `ORGANIZER` or `ATTENDEE` line names, or None for a room
/// or resource (`CUTYPE=RESOURCE`, `ROOM`), a group list (`CUTYPE=GROUP`)
/// or someone only informed (`ROLE=NON-PARTICIPANT`). `declined` is set
/// for `PARTSTAT=DECLINED` and `DELEGATED`.
/// The e-mail comes from a `mailto:` value, else from an `EMAIL` parameter
/// (RFC 7986; `urn:uuid:` values name no address); the name from `CN`.
fn party_of(property: &Property, organizer: bool) -> Option<Party> {
    if let Some(kind) = property.param("CUTYPE")
        && ["RESOURCE", "ROOM", "GROUP"]
            .iter()
            .any(|k| kind.trim().eq_ignore_ascii_case(k))
    {
        return None;
    }
    let email =
        mail_address(&property.value).or_else(|| property.param("EMAIL").and_then(mail_address));
    let name = property
        .param("CN")
        .map(|cn| cn.trim().to_string())
        .unwrap_or_default();
    if property
        .param("ROLE")
        .is_some_and(|r| r.trim().eq_ignore_ascii_case("NON-PARTICIPANT"))
    {
        return None;
    }
    // Someone who delegated the event sent someone else: not there either.
    let declined = property.param("PARTSTAT").is_some_and(|s| {
        s.trim().eq_ignore_ascii_case("DECLINED") || s.trim().eq_ignore_ascii_case("DELEGATED")
    });
    Some(Party {
        name,
        email,
        sender: organizer,
        declined,
        ..Party::default()
    })
}

/// Everyone an event names (organizer first, then attendees), one party
/// per person, and how many distinct people that is. An organizer who is
/// also an attendee is one party (the attendee line's answer counts); an
/// attendee listed twice counts once; a line naming no address and no name
/// counts toward the crowd but is no party.
fn event_parties(event: &Component) -> (Vec<Party>, usize) {
    let mut parties: Vec<Party> = Vec::new();
    let mut anonymous: HashSet<&str> = HashSet::new();
    let lines = event
        .all("ORGANIZER")
        .take(1)
        .map(|p| (p, true))
        .chain(event.all("ATTENDEE").map(|p| (p, false)));
    for (property, organizer) in lines {
        let Some(party) = party_of(property, organizer) else {
            continue;
        };
        if party.email.is_none() && party.name.is_empty() {
            anonymous.insert(property.value.trim());
            continue;
        }
        let same = parties.iter_mut().find(|p| match (&p.email, &party.email) {
            (Some(a), Some(b)) => a == b,
            (None, None) => p.name == party.name,
            _ => false,
        });
        match same {
            Some(known) => {
                if known.sender && !party.sender {
                    known.declined = party.declined;
                }
                if known.name.is_empty() {
                    known.name = party.name;
                }
            }
            None => parties.push(party),
        }
    }
    let crowd = parties.len() + anonymous.len();
    (parties, crowd)
}

/// What one `VEVENT` (a master or an override) says, worked out once for
/// all its occurrences.
struct EventFacts {
    title: String,
    kind: InteractionKind,
    parties: Vec<Party>,
    crowd: usize,
    /// Why its occurrences are left out, if they are.
    ignored: Option<&'static str>,
}

fn event_facts(event: &Component, calendar_cancelled: bool) -> EventFacts {
    let title = event
        .get("SUMMARY")
        .map(|p| p.text().trim().to_string())
        .unwrap_or_default();
    let (parties, crowd) = event_parties(event);
    let text_of = |name: &str| event.get(name).map(Property::text).unwrap_or_default();
    let mut kind = guess_kind(&title, &text_of("LOCATION"), &text_of("DESCRIPTION"), crowd);
    if matches!(kind, InteractionKind::Other | InteractionKind::MetAtEvent)
        && event
            .properties
            .iter()
            .any(|p| is_conference_property(&p.name))
    {
        kind = InteractionKind::Call;
    }
    let cancelled = calendar_cancelled
        || event
            .get("STATUS")
            .is_some_and(|s| s.value.trim().eq_ignore_ascii_case("CANCELLED"));
    let ignored = if cancelled {
        Some("cancelled")
    } else if crowd <= 1 {
        Some("no one else")
    } else {
        None
    };
    EventFacts {
        title,
        kind,
        parties,
        crowd,
        ignored,
    }
}

/// The events of one calendar grouped by UID, in the order first seen:
/// (UID, master, overrides). An event without a UID is its own group,
/// keyed by a hash of its start, title and organizer. Of several masters
/// with one UID the one with the highest `SEQUENCE` (then the last) wins.
type Group<'a> = (String, Option<&'a Component>, Vec<&'a Component>);

fn group_events<'a>(events: &[&'a Component]) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let sequence = |c: &Component| {
        c.get("SEQUENCE")
            .and_then(|s| s.value.trim().parse::<i64>().ok())
            .unwrap_or(0)
    };
    for &event in events {
        let uid = match event.get("UID").map(|p| p.text().trim().to_string()) {
            Some(uid) if !uid.is_empty() => uid,
            _ => {
                let part = |name: &str| event.get(name).map(|p| p.value.as_str()).unwrap_or("");
                let basis = format!(
                    "{}\n{}\n{}",
                    part("DTSTART"),
                    part("SUMMARY"),
                    part("ORGANIZER")
                );
                format!("~{}", short_key(&basis))
            }
        };
        let at = *index.entry(uid.clone()).or_insert_with(|| {
            groups.push((uid, None, Vec::new()));
            groups.len() - 1
        });
        let Some(group) = groups.get_mut(at) else {
            continue;
        };
        if event.get("RECURRENCE-ID").is_some() {
            group.2.push(event);
        } else {
            match group.1 {
                Some(master) if sequence(master) > sequence(event) => {}
                _ => group.1 = Some(event),
            }
        }
    }
    groups
}

/// Read the events of an iCalendar export.
///
/// Each occurrence of each `VEVENT` (recurring series expanded up to
/// today) with at least one other person becomes an [`Encounter`] keyed
/// `event:<UID>#<recurrence id>`, dated in the user's zone, titled with its
/// `SUMMARY`, with the organizer and attendees as parties. Cancelled events
/// (`STATUS:CANCELLED`, `METHOD:CANCEL`), events with no one else and a
/// single event after today are [`Ignored`]; `VTODO`, `VJOURNAL` and
/// `VFREEBUSY` are not events and are skipped silently. The calendar's
/// `X-WR-CALNAME` is the suggested name.
pub fn read_calendar(bytes: &[u8], opts: &ReadOptions) -> Harvest {
    let mut harvest = Harvest::default();
    let text = decode(bytes, &mut harvest.problems);
    let (roots, problems) = parse_calendar(&text);
    harvest.problems.extend(problems);
    // Events outside any VCALENDAR are read as if one wrapped them.
    let loose: Vec<Component> = roots
        .iter()
        .filter(|c| c.name != "VCALENDAR")
        .cloned()
        .collect();
    let wrapper = (!loose.is_empty()).then(|| Component {
        name: "VCALENDAR".into(),
        line: loose.first().map(|c| c.line).unwrap_or(1),
        children: loose,
        ..Component::default()
    });
    let calendars = roots
        .iter()
        .filter(|c| c.name == "VCALENDAR")
        .chain(wrapper.as_ref());
    let mut seen: HashSet<String> = HashSet::new();
    for calendar in calendars {
        if harvest.suggested_name.is_empty()
            && let Some(name) = calendar.get("X-WR-CALNAME")
        {
            harvest.suggested_name = name.text().trim().to_string();
        }
        let cancelled = calendar
            .get("METHOD")
            .is_some_and(|m| m.value.trim().eq_ignore_ascii_case("CANCEL"));
        let zones = ZoneTable::of_calendar(calendar);
        let events: Vec<&Component> = calendar
            .children
            .iter()
            .filter(|c| c.name == "VEVENT")
            .collect();
        for (uid, master, overrides) in group_events(&events) {
            let facts: Vec<(&Component, EventFacts)> = master
                .iter()
                .copied()
                .chain(overrides.iter().copied())
                .map(|event| (event, event_facts(event, cancelled)))
                .collect();
            // Expanded even when it is left out, so that its bad dates,
            // rules and zones are reported.
            let expansion = recur::expand(master, &overrides, &zones, opts, &mut harvest.problems);
            let line = facts.first().map(|(e, _)| e.line).unwrap_or(calendar.line);
            // A series left out as a whole is counted once, not per occurrence.
            if let Some(reason) = whole_series_ignored(&facts) {
                harvest.ignored.push(Ignored {
                    line,
                    reason: reason.into(),
                });
                continue;
            }
            if expansion.occurrences.is_empty() {
                // A single event next week, or a series that starts later.
                if expansion.future {
                    harvest.ignored.push(Ignored {
                        line,
                        reason: "in the future".into(),
                    });
                }
                continue;
            }
            for occurrence in expansion.occurrences {
                encounter_of(&uid, &occurrence, &facts, opts, &mut seen, &mut harvest);
            }
        }
    }
    harvest.problems.sort_by_key(|p| p.line);
    harvest
}

/// When every version of an event (master and overrides) is left out for
/// the same reason, that reason.
fn whole_series_ignored(facts: &[(&Component, EventFacts)]) -> Option<&'static str> {
    let first = facts.first()?.1.ignored?;
    facts
        .iter()
        .all(|(_, f)| f.ignored == Some(first))
        .then_some(first)
}

fn encounter_of(
    uid: &str,
    occurrence: &Occurrence<'_>,
    facts: &[(&Component, EventFacts)],
    opts: &ReadOptions,
    seen: &mut HashSet<String>,
    harvest: &mut Harvest,
) {
    let Some((event, facts)) = facts
        .iter()
        .find(|(event, _)| std::ptr::eq(*event, occurrence.event))
    else {
        return;
    };
    let line = event.line;
    if let Some(reason) = facts.ignored {
        harvest.ignored.push(Ignored {
            line,
            reason: reason.into(),
        });
        return;
    }
    if occurrence.date > opts.today {
        harvest.ignored.push(Ignored {
            line,
            reason: "in the future".into(),
        });
        return;
    }
    let key = format!("event:{uid}#{}", occurrence.recurrence_id);
    if !seen.insert(key.clone()) {
        return;
    }
    harvest.encounters.push(Encounter {
        key,
        date: occurrence.date,
        kind: facts.kind,
        title: facts.title.clone(),
        parties: facts.parties.clone(),
        crowd: facts.crowd,
        line,
    });
}

#[cfg(test)]
#[path = "ics_tests.rs"]
mod tests;
