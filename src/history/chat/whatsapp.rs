//! WhatsApp's "Export chat" text, as Android and iOS write it in many
//! locales:
//!
//! ```text
//! [12/31/24, 9:05:33 PM] Dana Whitfield: text        (iOS, U+202F before PM, U+200E marks)
//! 31/12/2024, 21:05 - Dana Whitfield: text            (Android)
//! 12/31/24, 9:05 PM - Dana: text                      (Android, US)
//! 31.12.24, 21:05 - Dana: text                        (German)
//! 2024-12-31 21:05 - Dana: text, 31/12/24 21:05 - …, 23/06/2018, 01:55 p. m. - …
//! 2024. 12. 31. 오후 9:05 - …, 2024/12/31 下午9:05 - …   (Korean, Chinese markers)
//! ```
//!
//! Day and month order is decided once per file from all its dates: a
//! four-digit first field is year-month-day; a first field above 12 anywhere
//! means day first, a second field above 12 means month first (when both
//! occur, the order with more such lines wins and the others are problems).
//! When no date settles it, a file with `/` dates and an English AM/PM clock
//! is month first (the US locale), everything else (24 h clocks, `.` and `-`
//! dates, `a. m.`) is day first.

use super::{DayBook, Party, chat_key, clean, is_mark, party_named};
use crate::exchange::{Skipped, normalize_name};
use crate::history::{Harvest, Ignored, ReadOptions};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Why a line that starts like a message is not one.
const UNKNOWN: &str = "not a WhatsApp message line (unknown date format)";

/// AM, PM or a 24 h clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Clock {
    H24,
    /// An English-style `AM`/`a. m.` marker (`plain` when it is `AM`/`PM`).
    Am {
        plain: bool,
    },
    Pm {
        plain: bool,
    },
}

/// The timestamp of a message line, before the file's date order is known.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp {
    fields: [u32; 3],
    first_len: usize,
    third_len: usize,
    sep: char,
    hour: u32,
    minute: u32,
    clock: Clock,
}

/// A message line split into its timestamp and what follows it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Head<'a> {
    stamp: Stamp,
    rest: &'a str,
}

/// A cursor over one line.
struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, want: char) -> bool {
        if self.peek() == Some(want) {
            self.pos += want.len_utf8();
            true
        } else {
            false
        }
    }

    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    /// Up to `max` ASCII digits: (value, how many).
    fn number(&mut self, max: usize) -> Option<(u32, usize)> {
        let mut value = 0u32;
        let mut count = 0;
        while count < max {
            match self.peek() {
                Some(c) if c.is_ascii_digit() => {
                    value = value * 10 + c.to_digit(10).unwrap_or(0);
                    count += 1;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        if count == 0 || self.peek().is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        Some((value, count))
    }

    /// Skips spaces, including the no-break spaces iOS puts before AM/PM.
    fn spaces(&mut self) -> usize {
        let mut n = 0;
        while self
            .peek()
            .is_some_and(|c| c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\t')
        {
            self.bump();
            n += 1;
        }
        n
    }
}

/// Reads a clock marker (`AM`, `p. m.`, `오후`, `下午`, or "" for none).
fn clock_of(marker: &str) -> Option<Clock> {
    let squeezed: String = marker
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '\u{202f}' && *c != '\u{a0}')
        .collect::<String>()
        .to_lowercase();
    let plain = !marker.contains('.');
    match squeezed.as_str() {
        "" | "h" | "uhr" => Some(Clock::H24),
        "am" => Some(Clock::Am { plain }),
        "pm" => Some(Clock::Pm { plain }),
        "오전" | "上午" | "午前" => Some(Clock::Am { plain: false }),
        "오후" | "下午" | "午後" => Some(Clock::Pm { plain: false }),
        _ => None,
    }
}

/// Splits a line into its timestamp and the rest. None: not a message
/// start (a continuation line). Some(Err): it starts like a message (a
/// bracket or a date and a time) but its format is not one WhatsApp writes.
fn head(line: &str) -> Option<Result<Head<'_>, ()>> {
    let mut cur = Cursor { text: line, pos: 0 };
    while cur.peek().is_some_and(is_mark) {
        cur.bump();
    }
    let bracket = cur.eat('[');
    cur.spaces();
    let (a, first_len) = cur.number(4)?;
    let sep = cur.peek().filter(|c| matches!(c, '/' | '.' | '-'))?;
    cur.bump();
    cur.spaces();
    let (b, _) = cur.number(4)?;
    if !cur.eat(sep) {
        return None;
    }
    cur.spaces();
    let (c, third_len) = cur.number(4)?;
    let fields = [a, b, c];
    // From here on the line looks like a timestamp.
    let fail = |bracket: bool| if bracket { Some(Err(())) } else { None };
    cur.eat('.');
    cur.eat(',');
    if cur.spaces() == 0 {
        return fail(bracket);
    }
    // Words before the time ("klo", "오후", "下午", "à").
    let before_start = cur.pos;
    let mut taken = 0;
    while cur.peek().is_some_and(|c| !c.is_ascii_digit()) && taken < 12 {
        cur.bump();
        taken += 1;
    }
    let before = line.get(before_start..cur.pos).unwrap_or("");
    let Some((hour, _)) = cur.number(2) else {
        return fail(bracket);
    };
    if !(cur.eat(':') || cur.eat('.')) {
        return fail(bracket);
    }
    let Some((minute, 2)) = cur.number(2) else {
        return fail(bracket);
    };
    let after_minutes = cur.pos;
    if (cur.eat(':') || cur.eat('.')) && !matches!(cur.number(2), Some((_, 2))) {
        cur.pos = after_minutes;
    }
    // The clock marker, up to the separator.
    let marker_start = cur.pos;
    let mut taken = 0;
    while cur
        .peek()
        .is_some_and(|c| !matches!(c, ']' | '-' | '–' | '—' | ':' | ','))
        && taken < 12
    {
        cur.bump();
        taken += 1;
    }
    let marker = line.get(marker_start..cur.pos).unwrap_or("");
    // Words before the time that are not a clock ("klo", "à") are fine.
    let before_clock = clock_of(before).unwrap_or(Clock::H24);
    let clock = match (before_clock, clock_of(marker)) {
        (Clock::H24, Some(clock)) | (clock, Some(Clock::H24)) => clock,
        (_, None) if cur.peek().is_none() && !bracket => return None,
        _ => return Some(Err(())),
    };
    if bracket {
        if !cur.eat(']') {
            return Some(Err(()));
        }
        cur.spaces();
        // Some exports write "[date] - Name: text".
        let save = cur.pos;
        if !((cur.eat('-') || cur.eat('–')) && cur.spaces() > 0) {
            cur.pos = save;
        }
    } else {
        if !(cur.eat('-') || cur.eat('–') || cur.eat('—') || cur.eat(':') || cur.eat(',')) {
            return None;
        }
        if cur.spaces() == 0 && cur.peek().is_some() {
            return None;
        }
    }
    Some(Ok(Head {
        stamp: Stamp {
            fields,
            first_len,
            third_len,
            sep,
            hour,
            minute,
            clock,
        },
        rest: cur.rest(),
    }))
}

/// True when a line that is not a message line still looks like the start
/// of one in a layout not read here: it starts with a digit of any script
/// (or `[` and one), has a clock (`9:05`, `०९:०१`) and then `Name: `.
fn looks_like_start(line: &str) -> bool {
    let line = line.trim_start_matches(|c: char| is_mark(c) || c == '[' || c.is_whitespace());
    if !line.chars().next().is_some_and(char::is_numeric) {
        return false;
    }
    let Some((before, _)) = line.split_once(": ") else {
        return false;
    };
    let chars: Vec<char> = before.chars().take(60).collect();
    chars.windows(4).any(
        |w| matches!(w, [a, ':' | '.', b, c] if a.is_numeric() && b.is_numeric() && c.is_numeric()),
    )
}

/// Day and month order of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Order {
    Ymd,
    Dmy,
    Mdy,
}

/// Decides the file's date order from all its stamps (see the module doc).
fn order_of(stamps: &[&Stamp]) -> Order {
    let ymd = stamps.iter().filter(|s| s.first_len == 4).count();
    let rest: Vec<&&Stamp> = stamps.iter().filter(|s| s.first_len != 4).collect();
    if ymd > rest.len() {
        return Order::Ymd;
    }
    let day_first = rest.iter().filter(|s| s.fields[0] > 12).count();
    let month_first = rest.iter().filter(|s| s.fields[1] > 12).count();
    match (day_first, month_first) {
        (0, 0) => {
            // Chats are in time order and come in bursts: the order whose
            // dates go back in time less often, then jump less, wins.
            let (dmy, mdy) = (drift(stamps, Order::Dmy), drift(stamps, Order::Mdy));
            if dmy != mdy {
                return if dmy < mdy { Order::Dmy } else { Order::Mdy };
            }
            let us = rest.iter().any(|s| {
                s.sep == '/'
                    && matches!(
                        s.clock,
                        Clock::Am { plain: true } | Clock::Pm { plain: true }
                    )
            });
            if us { Order::Mdy } else { Order::Dmy }
        }
        (d, m) if d >= m => Order::Dmy,
        _ => Order::Mdy,
    }
}

/// How badly the stamps' dates read in `order` break time order: (steps
/// back in time, days jumped in all).
fn drift(stamps: &[&Stamp], order: Order) -> (usize, i64) {
    let mut back = 0;
    let mut jumped = 0i64;
    let mut last: Option<NaiveDate> = None;
    for date in stamps.iter().filter_map(|s| date_of(s, order)) {
        if let Some(last) = last {
            let gap = (date - last).num_days();
            if gap < 0 {
                back += 1;
            }
            jumped = jumped.saturating_add(gap.abs());
        }
        last = Some(date);
    }
    (back, jumped)
}

/// The day of a stamp in the file's order, None when it is not a date
/// or its clock is impossible.
fn date_of(stamp: &Stamp, order: Order) -> Option<NaiveDate> {
    let [a, b, c] = stamp.fields;
    let (year, month, day, year_len) = match order {
        _ if stamp.first_len == 4 => (a, b, c, 4),
        Order::Ymd => return None,
        Order::Dmy => (c, b, a, stamp.third_len),
        Order::Mdy => (c, a, b, stamp.third_len),
    };
    let year = match year_len {
        2 => 2000 + year,
        4 => year,
        _ => return None,
    };
    let hour_ok = match stamp.clock {
        Clock::H24 => stamp.hour < 24,
        Clock::Am { .. } | Clock::Pm { .. } => stamp.hour <= 12,
    };
    if !hour_ok || stamp.minute > 59 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Texts WhatsApp writes as messages of the chat itself.
const SYSTEM_TEXTS: [&str; 9] = [
    "this business uses a secure service",
    "messages and calls are end-to-end encrypted",
    "messages to this group are now secured",
    "messages you send to this group are now secured",
    "messages you send to this chat and calls are now secured",
    "your security code with",
    "changed their phone number",
    "disappearing messages",
    "this chat is with a business account",
];

/// Verbs of iOS system lines, which carry the chat name as the author and a
/// left-to-right mark before the text.
const SYSTEM_VERBS: [&str; 10] = [
    "created group",
    "created this group",
    " added ",
    " removed ",
    " left",
    "changed the subject",
    "changed this group",
    "changed the group",
    "joined using",
    "security code",
];

/// True when a message with this text is WhatsApp's own line.
fn is_system(text: &str) -> bool {
    let marked = text.starts_with(is_mark);
    let start: String = text.chars().take(200).collect();
    let lower = format!(" {}", clean(&start).to_lowercase());
    SYSTEM_TEXTS
        .iter()
        .any(|t| lower.get(1..).is_some_and(|l| l.starts_with(t)))
        || (marked && SYSTEM_VERBS.iter().any(|v| lower.contains(v)))
}

/// The chat's name from the export's file name: "WhatsApp Chat with Dana
/// Whitfield.txt", "WhatsApp Chat - Dana.txt" (and the German, Spanish,
/// French, Dutch and Portuguese names); "" for `_chat.txt` and others.
pub(super) fn name_from_file(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base
        .strip_suffix(".txt")
        .or_else(|| base.strip_suffix(".TXT"))
        .unwrap_or(base);
    const PREFIXES: [&str; 9] = [
        "WhatsApp Chat with ",
        "WhatsApp Chat - ",
        "WhatsApp-Chat mit ",
        "WhatsApp Chat mit ",
        "Chat de WhatsApp con ",
        "Discussion WhatsApp avec ",
        "WhatsApp-chat met ",
        "Conversa do WhatsApp com ",
        "Chat WhatsApp con ",
    ];
    PREFIXES
        .iter()
        .find_map(|p| stem.strip_prefix(p))
        .map(clean)
        .unwrap_or_default()
}

/// The chat's name from the file name, without a copy suffix ("Dana
/// (1)", "Dana (newer)") unless an author is called that.
fn file_chat_name(file_name: &str, authors: &[(String, String, usize)]) -> String {
    let name = name_from_file(file_name);
    let is_author = |n: &str| authors.iter().any(|(k, _, _)| *k == normalize_name(n));
    if is_author(&name) {
        return name;
    }
    if let Some((bare, suffix)) = name.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
        let bare = clean(bare);
        if !bare.is_empty() && (is_author(&bare) || suffix.chars().all(|c| c.is_ascii_digit())) {
            return bare;
        }
    }
    name
}

/// One message read.
struct Said<'a> {
    line: usize,
    stamp: Stamp,
    author: &'a str,
}

/// Reads a WhatsApp export (see the module doc).
pub(super) fn read(text: &str, file_name: &str, opts: &ReadOptions) -> Harvest {
    let mut harvest = Harvest::default();
    let mut said: Vec<Said> = Vec::new();
    let mut unknown: Vec<usize> = Vec::new();
    let mut system: Vec<usize> = Vec::new();
    let mut group_hint = false;
    let mut chat_author = String::new();
    let mut lines_seen = Vec::new();
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if !raw.trim().is_empty() {
            lines_seen.push(line);
        }
        match head(raw) {
            None if looks_like_start(raw) => unknown.push(line),
            None => {}
            Some(Err(())) => unknown.push(line),
            Some(Ok(head)) => {
                // "Name: text", or "Name:text" ("John Doe:." in real exports).
                let (author, body) = match head.rest.split_once(": ") {
                    Some((author, body)) => (author, body),
                    None => match head.rest.split_once(':') {
                        Some((author, body)) if !author.contains('"') && !is_system(head.rest) => {
                            (author, body)
                        }
                        _ => ("", head.rest),
                    },
                };
                let author_clean = clean(author);
                // Other tools' exports name WhatsApp's own lines "System".
                let system_author =
                    matches!(author_clean.as_str(), "System" | "Système" | "Sistema");
                if author_clean.is_empty()
                    || author_clean.chars().count() > 80
                    || system_author
                    || is_system(body)
                {
                    let lower = clean(head.rest).to_lowercase();
                    if lower.contains("group")
                        || lower.contains(" added ")
                        || lower.contains("joined")
                    {
                        group_hint = true;
                    }
                    if chat_author.is_empty() && !author_clean.is_empty() && is_system(body) {
                        chat_author = author_clean;
                    }
                    system.push(line);
                    // The stamp still tells the file's date order.
                    said.push(Said {
                        line,
                        stamp: head.stamp,
                        author: "",
                    });
                } else {
                    said.push(Said {
                        line,
                        stamp: head.stamp,
                        author,
                    });
                }
            }
        }
    }
    if said.is_empty() {
        harvest.problems = lines_seen
            .into_iter()
            .map(|line| Skipped {
                line,
                reason: UNKNOWN.into(),
            })
            .collect();
        return harvest;
    }
    let order = order_of(&said.iter().map(|s| &s.stamp).collect::<Vec<_>>());
    // Authors, their message counts, in order of first appearance.
    let mut counts: Vec<(String, String, usize)> = Vec::new();
    let mut dated: Vec<(usize, NaiveDate, &str)> = Vec::new();
    for s in &said {
        let Some(date) = date_of(&s.stamp, order) else {
            unknown.push(s.line);
            continue;
        };
        if s.author.is_empty() {
            continue;
        }
        dated.push((s.line, date, s.author));
        let display = clean(s.author);
        let key = normalize_name(&display);
        match counts.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, n)) => *n += 1,
            None => counts.push((key, display, 1)),
        }
    }
    for line in system {
        harvest.ignored.push(Ignored {
            line,
            reason: "system message".into(),
        });
    }
    unknown.sort_unstable();
    harvest.problems = unknown
        .into_iter()
        .map(|line| Skipped {
            line,
            reason: UNKNOWN.into(),
        })
        .collect();
    let from_file = file_chat_name(file_name, &counts);
    let mut name = from_file.clone();
    if name.is_empty() {
        name = chat_author;
    }
    // No name in the export: the chat is named (and keyed) after its first
    // author, because a newer export of the same chat starts the same way
    // while who wrote most may change.
    if name.is_empty()
        && let Some((_, first, _)) = counts.first()
    {
        name = first.clone();
    }
    let chat = chat_key(&name);
    harvest.suggested_name = name.clone();
    let authors = counts.len();
    // A one-to-one chat: no group lines, at most two authors, named after
    // one of them (or after the only other person when only you wrote).
    let partner: Option<Party> = if !group_hint && authors <= 2 && !from_file.is_empty() {
        let key = normalize_name(&name);
        let named = counts.iter().any(|(k, _, _)| *k == key)
            || dated
                .iter()
                .any(|(_, _, a)| party_named(a) == party_named(&name));
        if named || authors <= 1 {
            Some(party_named(&name))
        } else {
            None
        }
    } else {
        None
    };
    let crowd = if partner.is_some() {
        authors.max(2)
    } else {
        authors
    };
    let mut book = DayBook::new("whatsapp");
    let mut partner_days: HashMap<NaiveDate, ()> = HashMap::new();
    for (line, date, author) in dated {
        let mut party = party_named(author);
        party.sender = true;
        book.add(&chat, date, line, party, crowd);
        if let Some(partner) = &partner
            && partner_days.insert(date, ()).is_none()
        {
            book.add(&chat, date, line, partner.clone(), crowd);
        }
    }
    book.finish(opts, &mut harvest);
    harvest
}

/// True when the first non-empty line of `text` is a WhatsApp message line,
/// or, when the first lines are in layouts not read here, one of the first
/// 20 is a message line with an author and the first line is no other
/// format's (`BEGIN:`, `From `, `{`, `<`).
pub(super) fn looks_like(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !clean(l).is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    if matches!(head(first), Some(Ok(h)) if !h.rest.trim().is_empty()) {
        return true;
    }
    let first = clean(first);
    if ["BEGIN:", "From ", "{", "<", "["]
        .iter()
        .any(|p| first.starts_with(p))
        || !looks_like_start(&first)
    {
        return false;
    }
    lines.take(19).any(|line| {
        matches!(head(line), Some(Ok(h)) if h.rest.split_once(": ").is_some_and(|(a, _)| !clean(a).is_empty()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_of_every_locale() {
        let lines = [
            "[12/31/24, 9:05:33\u{202f}PM] Dana Whitfield: text",
            "\u{200e}[12/31/24, 9:05:33\u{a0}PM] Dana: text",
            "31/12/2024, 21:05 - Dana Whitfield: text",
            "12/31/24, 9:05 PM - Dana: text",
            "31.12.24, 21:05 - Dana: text",
            "2024-12-31 21:05 - Dana: text",
            "31/12/24 21:05 - Dana: text",
            "23/06/2018, 01:55 p. m. - Loris: one",
            "13.06.18 21.25.15: a: m",
            "13.6.2018 klo 21.25.15 - a: m",
            "[3/6/18 1:55:00 p. m.] a: m",
            "2024. 12. 31. 오후 9:05 - 홍길동: 안녕",
            "2024/12/31 下午9:05 - 王: 你好",
            "31/12/2024, 21:05 – Dana: en dash",
        ];
        for line in lines {
            assert!(matches!(head(line), Some(Ok(_))), "{line}");
        }
        assert_eq!(head("just text"), None);
        assert_eq!(head("2016-04-29 10:30:00"), None);
        assert!(matches!(head("[31/12/2024 21h05] Dana: x"), Some(Err(()))));
    }

    #[test]
    fn file_names_name_the_chat() {
        assert_eq!(
            name_from_file("WhatsApp Chat with Dana Whitfield.txt"),
            "Dana Whitfield"
        );
        assert_eq!(name_from_file("/tmp/x/WhatsApp Chat - Dana.txt"), "Dana");
        assert_eq!(name_from_file("_chat.txt"), "");
        assert_eq!(name_from_file("notes.txt"), "");
    }
}
