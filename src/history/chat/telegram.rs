//! Telegram Desktop's JSON export (`result.json`): one chat (top-level
//! `name`, `type`, `id`, `messages`) or the whole account
//! (`personal_information`, `contacts.list`, `chats.list`).
//!
//! Days come from `date_unixtime` in the user's zone (the local `date`
//! when there is none). Personal chats add the partner; groups the members
//! who wrote; channels, saved messages and bots are ignored ("channel",
//! "saved messages", "bot chat"), service messages are "system message".
//! `line` is the message's number in the file (JSON has no useful lines).

use super::{DayBook, Party, chat_key, clean};
use crate::exchange::{Skipped, normalize_name};
use crate::history::{Harvest, Ignored, ReadOptions};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// True when `text` opens a Telegram export: a JSON object with
/// `"messages"` or `"chats"` and Telegram's own keys.
pub(super) fn looks_like(text: &str) -> bool {
    if !text.trim_start().starts_with('{') {
        return false;
    }
    let has = |key: &str| text.contains(&format!("\"{key}\""));
    (has("chats") && (has("personal_information") || has("list")))
        || (has("messages")
            && (has("date_unixtime") || has("from_id") || has("personal_chat") || has("type")))
}

/// A string or number field as text.
fn text_field(value: &Value, key: &str) -> Option<String> {
    match value.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The day of a message: its Unix time in the user's zone, else its local date.
fn day_of(message: &Value, opts: &ReadOptions) -> Option<NaiveDate> {
    if let Some(unix) =
        text_field(message, "date_unixtime").and_then(|t| t.trim().parse::<i64>().ok())
    {
        return DateTime::from_timestamp(unix, 0).map(|t| opts.zone.date_of(t));
    }
    let date = text_field(message, "date")?;
    NaiveDateTime::parse_from_str(date.trim(), "%Y-%m-%dT%H:%M:%S")
        .map(|t| t.date())
        .or_else(|_| NaiveDate::parse_from_str(date.get(..10).unwrap_or(""), "%Y-%m-%d"))
        .ok()
}

/// Who you are and the phones of your contacts, from a full export.
#[derive(Default)]
struct Account {
    me: Option<String>,
    phones_by_id: HashMap<String, String>,
    phones_by_name: HashMap<String, String>,
}

fn account_of(root: &Value) -> Account {
    let mut account = Account::default();
    if let Some(info) = root.get("personal_information") {
        account.me = text_field(info, "user_id").map(|id| format!("user{id}"));
    }
    let contacts = root
        .get("contacts")
        .and_then(|c| c.get("list"))
        .and_then(Value::as_array);
    for contact in contacts.into_iter().flatten() {
        let Some(phone) = text_field(contact, "phone_number")
            .map(|p| clean(&p))
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        if let Some(id) = text_field(contact, "user_id") {
            account
                .phones_by_id
                .insert(format!("user{id}"), phone.clone());
        }
        let name = format!(
            "{} {}",
            text_field(contact, "first_name").unwrap_or_default(),
            text_field(contact, "last_name").unwrap_or_default()
        );
        let key = normalize_name(&name);
        if !key.is_empty() {
            account.phones_by_name.insert(key, phone);
        }
    }
    account
}

impl Account {
    /// The party of a message author or chat partner.
    fn party(&self, name: &str, id: Option<&str>) -> Party {
        let name = clean(name);
        let me = id.is_some_and(|id| self.me.as_deref() == Some(id));
        let handle = id
            .filter(|id| id.starts_with("user"))
            .map(|id| format!("telegram:{id}"));
        let phone = id
            .and_then(|id| self.phones_by_id.get(id))
            .or_else(|| self.phones_by_name.get(&normalize_name(&name)))
            .cloned();
        Party {
            name,
            phone,
            handle,
            me,
            ..Party::default()
        }
    }
}

/// Reads a Telegram export (see the module doc).
pub(super) fn read(text: &str, opts: &ReadOptions) -> Harvest {
    let mut harvest = Harvest::default();
    let root: Value = match serde_json::from_str(text) {
        Ok(root) => root,
        Err(error) => {
            harvest.problems.push(Skipped {
                line: error.line().max(1),
                reason: format!("not Telegram's result.json: {error}"),
            });
            return harvest;
        }
    };
    let account = account_of(&root);
    let chats: Vec<&Value> = match root
        .get("chats")
        .and_then(|c| c.get("list"))
        .and_then(Value::as_array)
    {
        Some(list) => list.iter().collect(),
        None if root.get("messages").is_some() => vec![&root],
        None => {
            harvest.problems.push(Skipped {
                line: 1,
                reason: "no \"messages\" or \"chats\" in this JSON: not a Telegram export".into(),
            });
            return harvest;
        }
    };
    if chats.len() == 1
        && let Some(name) = chats.first().and_then(|c| text_field(c, "name"))
    {
        harvest.suggested_name = clean(&name);
    }
    let mut book = DayBook::new("telegram");
    let mut number = 0usize;
    for chat in chats {
        let name = text_field(chat, "name").unwrap_or_default();
        let kind = text_field(chat, "type").unwrap_or_default();
        let id = text_field(chat, "id");
        let messages: &[Value] = chat
            .get("messages")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice);
        let first = number + 1;
        let ignored = match kind.as_str() {
            "saved_messages" => Some("saved messages"),
            "bot_chat" => Some("bot chat"),
            k if k.contains("channel") => Some("channel"),
            _ => None,
        };
        if let Some(reason) = ignored {
            number += messages.len();
            harvest.ignored.push(Ignored {
                line: first,
                reason: reason.into(),
            });
            continue;
        }
        let key = match &id {
            Some(id) => id.clone(),
            None => chat_key(&name),
        };
        // The partner of a personal chat: the first other author, else
        // the chat's name and id.
        let partner = (kind == "personal_chat").then(|| {
            let other = messages.iter().find_map(|m| {
                let from_id = text_field(m, "from_id")?;
                (account.me.as_deref() != Some(from_id.as_str()) && from_id.starts_with("user"))
                    .then(|| {
                        account.party(&text_field(m, "from").unwrap_or_default(), Some(&from_id))
                    })
            });
            other.unwrap_or_else(|| {
                let partner_id = id.as_ref().map(|id| format!("user{id}"));
                account.party(&name, partner_id.as_deref())
            })
        });
        let writers: HashSet<String> = messages
            .iter()
            .filter_map(|m| text_field(m, "from_id").or_else(|| text_field(m, "from")))
            .collect();
        // Members named by service messages (create_group, invite_members).
        let members = messages
            .iter()
            .filter_map(|m| m.get("members").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_str)
            .map(normalize_name)
            .collect::<HashSet<String>>()
            .len();
        let crowd = if partner.is_some() {
            2
        } else {
            writers.len().max(members)
        };
        for message in messages {
            number += 1;
            let kind = text_field(message, "type").unwrap_or_else(|| "message".into());
            if kind == "service" {
                harvest.ignored.push(Ignored {
                    line: number,
                    reason: "system message".into(),
                });
                continue;
            }
            if kind != "message" {
                continue;
            }
            let Some(date) = day_of(message, opts) else {
                harvest.problems.push(Skipped {
                    line: number,
                    reason: "message has no readable date or date_unixtime".into(),
                });
                continue;
            };
            let from = text_field(message, "from").unwrap_or_default();
            let from_id = text_field(message, "from_id");
            if from.trim().is_empty() && from_id.is_none() {
                harvest.problems.push(Skipped {
                    line: number,
                    reason: "message has no author (from, from_id)".into(),
                });
                continue;
            }
            let mut author = account.party(&from, from_id.as_deref());
            author.sender = true;
            book.add(&key, date, number, author, crowd);
            if let Some(partner) = &partner {
                book.add(&key, date, number, partner.clone(), crowd);
            }
        }
    }
    book.finish(opts, &mut harvest);
    harvest
}
