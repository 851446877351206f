//! Chat exports: WhatsApp "Export chat" text (Android and iOS, 12/24 h,
//! several locales), Telegram Desktop's `result.json`, Signal Desktop
//! exports (sigexport's `chat.md` and `data.json`, sigtop's text) and
//! LinkedIn's `messages.csv`. Each conversation day with a person becomes
//! one encounter.
//!
//! Every reader groups messages into one [`Encounter`] per (chat, day),
//! kind Message, keyed `<service>:<chat key>:<YYYY-MM-DD>`, with everyone
//! who wrote that day as a `sender` party (and the partner of a one-to-one
//! chat even when only you wrote). No message text is kept. A zipped
//! WhatsApp export is not opened here: unzip it and import its `_chat.txt`.

mod linkedin;
mod signal;
mod telegram;
mod whatsapp;

use super::{Encounter, Harvest, HistoryFormat, Ignored, Party, ReadOptions};
use crate::exchange::normalize_name;
use crate::model::InteractionKind;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Which chat format `prefix` (the first bytes of a file) is, if any.
///
/// WhatsApp: the first non-empty line starts with a WhatsApp timestamp and
/// an author or a system text. Signal: sigtop's `Conversation:` header,
/// sigexport's `[YYYY-MM-DD HH:MM:SS] Name:` lines or its `data.json` lines.
/// Telegram: a JSON object with `"messages"` or `"chats"` and Telegram's
/// keys. LinkedIn: a CSV header with CONVERSATION ID, FROM and DATE.
pub fn detect(prefix: &[u8]) -> Option<HistoryFormat> {
    let cut = prefix.len().min(64 * 1024);
    let head = prefix.get(..cut).unwrap_or(prefix);
    let text = String::from_utf8_lossy(head);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if signal::looks_like(text) {
        return Some(HistoryFormat::Signal);
    }
    if telegram::looks_like(text) {
        return Some(HistoryFormat::Telegram);
    }
    if linkedin::looks_like(text) {
        return Some(HistoryFormat::LinkedIn);
    }
    if whatsapp::looks_like(text) {
        return Some(HistoryFormat::WhatsApp);
    }
    None
}

/// Read a WhatsApp chat; `file_name` ("WhatsApp Chat with Dana.txt") names the chat.
pub fn read_whatsapp(bytes: &[u8], file_name: &str, opts: &ReadOptions) -> Harvest {
    whatsapp::read(&text_of(bytes), file_name, opts)
}

/// Read Telegram Desktop's `result.json` (one chat or the whole export).
pub fn read_telegram(bytes: &[u8], opts: &ReadOptions) -> Harvest {
    telegram::read(&text_of(bytes), opts)
}

/// Read a Signal Desktop export: sigexport's `chat.md` or `data.json`
/// (`file_name` "Dana/chat.md" names the chat by its folder) or sigtop's
/// text export.
pub fn read_signal(bytes: &[u8], file_name: &str, opts: &ReadOptions) -> Harvest {
    signal::read(&text_of(bytes), file_name, opts)
}

/// Read LinkedIn's `messages.csv`.
pub fn read_linkedin(bytes: &[u8], opts: &ReadOptions) -> Harvest {
    linkedin::read(bytes, opts)
}

/// The text of an export: UTF-8 (invalid bytes replaced), without a BOM.
fn text_of(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text.into_owned(),
    }
}

/// Invisible marks chat exports put around names and at line starts
/// (left-to-right marks, bidi embeddings and isolates, BOM).
fn is_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200e}' | '\u{200f}' | '\u{feff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// `text` without marks and surrounding white space (incl. no-break spaces).
fn clean(text: &str) -> String {
    let kept: String = text.chars().filter(|c| !is_mark(*c)).collect();
    kept.trim_matches(|c: char| c.is_whitespace() || c == '\u{202f}' || c == '\u{a0}')
        .to_string()
}

/// True when `text` is a phone number (digits, spaces, `+-().`, 7+ digits).
fn is_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 7
        && text
            .chars()
            .next()
            .is_some_and(|c| c == '+' || c.is_ascii_digit() || c == '(')
        && text.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(c, '+' | '-' | '(' | ')' | '.' | ' ' | '\u{a0}' | '\u{202f}')
        })
}

/// A party named as an export writes an author: a phone number goes to
/// `phone` (name ""), anything else is the name.
fn party_named(author: &str) -> Party {
    let author = clean(author);
    // WhatsApp writes people not in your contacts as "~ Dana".
    let author = match author.strip_prefix('~') {
        Some(rest) => clean(rest),
        None => author,
    };
    if is_phone(&author) {
        Party {
            phone: Some(author),
            ..Party::default()
        }
    } else {
        Party {
            name: author,
            ..Party::default()
        }
    }
}

/// What identifies a party within one chat day.
fn identity(party: &Party) -> String {
    if party.me {
        return "me".to_string();
    }
    if let Some(handle) = &party.handle {
        return format!("h:{}", handle.to_lowercase());
    }
    if let Some(phone) = &party.phone {
        return format!("p:{}", crate::exchange::normalize_phone(phone));
    }
    format!("n:{}", normalize_name(&party.name))
}

/// The messages of one chat day, gathered.
struct Day {
    chat: String,
    date: NaiveDate,
    line: usize,
    /// Each party with its [`identity`].
    parties: Vec<(String, Party)>,
    crowd: usize,
}

/// Gathers messages into one encounter per (chat, day).
struct DayBook {
    service: &'static str,
    days: Vec<Day>,
    index: HashMap<(String, NaiveDate), usize>,
}

impl DayBook {
    fn new(service: &'static str) -> DayBook {
        DayBook {
            service,
            days: Vec::new(),
            index: HashMap::new(),
        }
    }

    /// `party` took part in chat `chat` on `date` (a `sender` when they
    /// wrote); `crowd` is how many people the chat has, when known.
    fn add(&mut self, chat: &str, date: NaiveDate, line: usize, party: Party, crowd: usize) {
        let slot = *self
            .index
            .entry((chat.to_string(), date))
            .or_insert_with(|| {
                self.days.push(Day {
                    chat: chat.to_string(),
                    date,
                    line,
                    parties: Vec::new(),
                    crowd: 0,
                });
                self.days.len() - 1
            });
        let Some(day) = self.days.get_mut(slot) else {
            return;
        };
        day.crowd = day.crowd.max(crowd);
        let id = identity(&party);
        if let Some((_, known)) = day.parties.iter_mut().find(|(known, _)| *known == id) {
            known.sender |= party.sender;
            if known.name.is_empty() {
                known.name = party.name;
            }
            if known.phone.is_none() {
                known.phone = party.phone;
            }
            if known.handle.is_none() {
                known.handle = party.handle;
            }
        } else {
            day.parties.push((id, party));
        }
    }

    /// The encounters, in file order; future days and days with no one but
    /// you are ignored with their reasons.
    fn finish(self, opts: &ReadOptions, harvest: &mut Harvest) {
        for day in self.days {
            if day.date > opts.today {
                harvest.ignored.push(Ignored {
                    line: day.line,
                    reason: "in the future".into(),
                });
                continue;
            }
            let parties: Vec<Party> = day.parties.into_iter().map(|(_, p)| p).collect();
            if parties.iter().all(|p| p.me) {
                harvest.ignored.push(Ignored {
                    line: day.line,
                    reason: "no one else".into(),
                });
                continue;
            }
            let crowd = day.crowd.max(parties.len());
            harvest.encounters.push(Encounter {
                key: format!(
                    "{}:{}:{}",
                    self.service,
                    day.chat,
                    day.date.format("%Y-%m-%d")
                ),
                date: day.date,
                kind: InteractionKind::Message,
                title: String::new(),
                parties,
                crowd,
                line: day.line,
            });
        }
    }
}

/// The chat key made from a chat's name: its normalised form.
fn chat_key(name: &str) -> String {
    let key = normalize_name(name);
    if key.is_empty() {
        name.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        key
    }
}

#[cfg(test)]
#[path = "chat/tests.rs"]
mod tests;
