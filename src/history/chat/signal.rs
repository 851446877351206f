//! Signal Desktop has no export of its own; these are the two common
//! exporters' formats:
//!
//! - sigexport (carderne/signal-export): one folder per chat with
//!   `chat.md`, lines `[2024-01-05 21:10:03] Dana: text` (older versions
//!   `[2024-01-05, 21:10]`), your messages by "Me", and `data.json`, one
//!   JSON object a line with `date` (local ISO time) and `sender`. The chat
//!   is named by its folder.
//! - sigtop (tbvdm/sigtop) `export-messages -f text`: `Conversation: Dana
//!   (+15551234567)`, then blocks of `From: You` / `From: Dana (+1555…)`,
//!   `Type: outgoing`, `Sent: Mon, 5 Jan 2024 21:10:03 +0100`, a blank line
//!   and the text.
//!
//! Your messages are parties with `me: true` (and no name).

use super::{DayBook, Party, chat_key, clean, is_mark, is_phone, party_named};
use crate::exchange::{Skipped, normalize_name};
use crate::history::{Harvest, ReadOptions};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;

/// True when `text` opens one of the Signal formats read here.
pub(super) fn looks_like(text: &str) -> bool {
    let mut lines = text.lines().map(clean).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return false;
    };
    if first.starts_with("Conversation: ") {
        return lines
            .next()
            .is_some_and(|l| l.starts_with("From: ") || l.starts_with("Type: "));
    }
    if let Some(line) = sigexport_line(&first) {
        return line.is_ok();
    }
    ndjson_line(&first).is_some()
}

/// A sigexport `chat.md` line: None when the line does not start with
/// `[YYYY-MM-DD`, Err when it does but is not a message line.
fn sigexport_line(line: &str) -> Option<Result<(NaiveDate, &str), ()>> {
    let line = line.trim_start_matches(is_mark);
    let rest = line.strip_prefix('[')?;
    // "[2024-" starts a message line; a bad date after it is a problem.
    let year = rest.get(..5)?;
    if !(year.ends_with('-') && year.chars().take(4).all(|c| c.is_ascii_digit())) {
        return None;
    }
    let Some(day) = rest
        .get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return Some(Err(()));
    };
    let after = rest.get(10..).unwrap_or("");
    let after = after.strip_prefix(',').unwrap_or(after);
    let Some(after) = after.strip_prefix(' ') else {
        return Some(Err(()));
    };
    let Some((time, said)) = after.split_once("] ") else {
        return Some(Err(()));
    };
    let time_ok = ["%H:%M:%S", "%H:%M"]
        .iter()
        .any(|f| chrono::NaiveTime::parse_from_str(time, f).is_ok());
    let Some((author, _)) = said.split_once(':') else {
        return Some(Err(()));
    };
    if !time_ok || clean(author).is_empty() {
        return Some(Err(()));
    }
    Some(Ok((day, author)))
}

/// A sigexport `data.json` line: (local day, sender).
fn ndjson_line(line: &str) -> Option<(NaiveDate, String)> {
    let line = line.trim();
    if !line.starts_with('{') {
        return None;
    }
    let value: Value = serde_json::from_str(line).ok()?;
    let date = value.get("date")?.as_str()?;
    let sender = value.get("sender")?.as_str()?.to_string();
    let day = NaiveDateTime::parse_from_str(date.get(..19).unwrap_or(date), "%Y-%m-%dT%H:%M:%S")
        .map(|t| t.date())
        .or_else(|_| NaiveDate::parse_from_str(date.get(..10).unwrap_or(""), "%Y-%m-%d"))
        .ok()?;
    Some((day, sender))
}

/// The chat's name from sigexport's file path: the folder of `chat.md`
/// or `data.json`.
fn name_from_path(file_name: &str) -> String {
    let mut parts = file_name.rsplit(['/', '\\']).filter(|p| !p.is_empty());
    let file = parts.next().unwrap_or("");
    if file.eq_ignore_ascii_case("chat.md") || file.eq_ignore_ascii_case("data.json") {
        clean(parts.next().unwrap_or(""))
    } else {
        String::new()
    }
}

/// A sender as sigexport writes it: "Me" is you.
fn sigexport_party(author: &str) -> Party {
    if clean(author) == "Me" {
        Party {
            me: true,
            ..Party::default()
        }
    } else {
        party_named(author)
    }
}

/// Reads any of the Signal formats (see the module doc).
pub(super) fn read(text: &str, file_name: &str, opts: &ReadOptions) -> Harvest {
    let first = text
        .lines()
        .map(clean)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    if first.starts_with("Conversation: ") {
        return read_sigtop(text, opts);
    }
    let mut said: Vec<(usize, NaiveDate, Party)> = Vec::new();
    let mut problems = Vec::new();
    let ndjson = first.starts_with('{');
    for (index, raw) in text.split('\n').enumerate() {
        let line = index + 1;
        if ndjson {
            if raw.trim().is_empty() {
                continue;
            }
            match ndjson_line(raw) {
                Some((day, sender)) => said.push((line, day, sigexport_party(&sender))),
                None => problems.push(Skipped {
                    line,
                    reason: "not a sigexport data.json line (a JSON object with date and sender)"
                        .into(),
                }),
            }
            continue;
        }
        match sigexport_line(raw.strip_suffix('\r').unwrap_or(raw)) {
            None => {}
            Some(Ok((day, author))) => said.push((line, day, sigexport_party(author))),
            Some(Err(())) => problems.push(Skipped {
                line,
                reason: "not a sigexport message line ([YYYY-MM-DD HH:MM:SS] Name: text)".into(),
            }),
        }
    }
    let mut harvest = Harvest {
        problems,
        ..Harvest::default()
    };
    if said.is_empty() && !text.trim().is_empty() && harvest.problems.is_empty() {
        harvest.problems.push(Skipped {
            line: 1,
            reason: "no Signal messages found (sigexport chat.md or data.json, sigtop text)".into(),
        });
    }
    // Others who wrote, by how often.
    let mut others: Vec<(String, String, usize)> = Vec::new();
    for (_, _, party) in said.iter().filter(|(_, _, p)| !p.me) {
        let display = if party.name.is_empty() {
            party.phone.clone().unwrap_or_default()
        } else {
            party.name.clone()
        };
        let key = normalize_name(&display);
        match others.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, n)) => *n += 1,
            None => others.push((key, display, 1)),
        }
    }
    let folder = name_from_path(file_name);
    // No folder: named (and keyed) after the first other author, the same
    // in every export of the chat.
    let mut name = folder.clone();
    if name.is_empty()
        && let Some((_, first, _)) = others.first()
    {
        name = first.clone();
    }
    harvest.suggested_name = name.clone();
    // One-to-one: the chat is named after one of at most two authors (the
    // other is you, when the export names you rather than "Me"), or has
    // only one other author, or only you wrote in a chat with a name.
    let folder_key = normalize_name(&folder);
    let partner = match others.as_slice() {
        [] if !folder.is_empty() => Some(party_named(&folder)),
        [(_, display, _)] if folder.is_empty() => Some(party_named(display)),
        list if list.len() <= 2 => list
            .iter()
            .find(|(key, _, _)| *key == folder_key)
            .map(|(_, display, _)| party_named(display)),
        _ => None,
    };
    let crowd = others.len() + 1;
    let chat = chat_key(&name);
    let mut book = DayBook::new("signal");
    for (line, day, mut party) in said {
        party.sender = true;
        book.add(&chat, day, line, party, crowd);
        if let Some(partner) = &partner {
            book.add(&chat, day, line, partner.clone(), crowd);
        }
    }
    book.finish(opts, &mut harvest);
    harvest
}

/// "Dana (+15551234567)" → the party; "Family (group)" → None (a group).
fn sigtop_party(text: &str) -> Option<Party> {
    let text = clean(text);
    if text == "You" {
        return Some(Party {
            me: true,
            ..Party::default()
        });
    }
    let (name, detail) = match text.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
        Some((name, detail)) => (clean(name), clean(detail)),
        None => (text.clone(), String::new()),
    };
    if detail == "group" {
        return None;
    }
    let mut party = party_named(&name);
    if is_phone(&detail) {
        party.phone = Some(detail);
    }
    Some(party)
}

/// One sigtop message block being read.
#[derive(Default)]
struct Block {
    line: usize,
    from: Option<Party>,
    outgoing: bool,
    sent: Option<String>,
    received: Option<String>,
}

/// Reads sigtop's text export.
fn read_sigtop(text: &str, opts: &ReadOptions) -> Harvest {
    let mut harvest = Harvest::default();
    let mut conversation: Option<Party> = None;
    let mut chat = String::new();
    let mut blocks: Vec<Block> = Vec::new();
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut previous_blank = true;
    let mut open = false;
    for (index, raw) in lines.iter().enumerate() {
        let line = index + 1;
        let next = lines.get(index + 1).copied().unwrap_or("");
        if let Some(rest) = raw.strip_prefix("Conversation: ")
            && chat.is_empty()
        {
            let name = clean(rest);
            conversation = sigtop_party(&name);
            chat = match &conversation {
                Some(Party {
                    phone: Some(phone), ..
                }) => phone
                    .chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect(),
                Some(party) => chat_key(&party.name),
                None => chat_key(name.strip_suffix(" (group)").unwrap_or(&name)),
            };
            harvest.suggested_name = match &conversation {
                Some(party) if !party.name.is_empty() => party.name.clone(),
                _ => name.strip_suffix(" (group)").unwrap_or(&name).to_string(),
            };
            previous_blank = false;
            continue;
        }
        let starts = previous_blank
            && ((raw.starts_with("From: ") && next.starts_with("Type: "))
                || raw.starts_with("Type: "));
        if starts {
            blocks.push(Block {
                line,
                ..Block::default()
            });
            open = true;
        }
        if raw.is_empty() {
            // The text follows the first blank line of a block.
            open = false;
        }
        if open && let Some(block) = blocks.last_mut() {
            if let Some(from) = raw.strip_prefix("From: ") {
                block.from = sigtop_party(from);
            } else if let Some(kind) = raw.strip_prefix("Type: ") {
                block.outgoing = kind.trim() == "outgoing";
            } else if let Some(sent) = raw.strip_prefix("Sent: ") {
                block.sent = Some(sent.trim().to_string());
            } else if let Some(received) = raw.strip_prefix("Received: ") {
                block.received = Some(received.trim().to_string());
            }
        }
        previous_blank = raw.is_empty();
    }
    let crowd_others: std::collections::HashSet<String> = blocks
        .iter()
        .filter_map(|b| b.from.as_ref())
        .filter(|p| !p.me)
        .map(super::identity)
        .collect();
    let crowd = crowd_others.len().max(usize::from(conversation.is_some())) + 1;
    let mut book = DayBook::new("signal");
    for block in blocks {
        let stamp = block
            .sent
            .as_deref()
            .or(block.received.as_deref())
            .unwrap_or("unknown");
        let Ok(instant) = DateTime::parse_from_rfc2822(stamp) else {
            harvest.problems.push(Skipped {
                line: block.line,
                reason: format!(
                    "message has no readable Sent or Received time: {}",
                    crate::storage::guard::escape_text(&stamp.chars().take(60).collect::<String>())
                ),
            });
            continue;
        };
        let day = opts.zone.date_of(instant.with_timezone(&Utc));
        let author = match (block.outgoing, block.from) {
            (true, _) => Party {
                me: true,
                ..Party::default()
            },
            (false, Some(party)) => party,
            (false, None) => {
                harvest.problems.push(Skipped {
                    line: block.line,
                    reason: "incoming message without a From line".into(),
                });
                continue;
            }
        };
        let mut author = author;
        author.sender = true;
        book.add(&chat, day, block.line, author, crowd);
        if let Some(partner) = &conversation {
            book.add(&chat, day, block.line, partner.clone(), crowd);
        }
    }
    book.finish(opts, &mut harvest);
    harvest
}
