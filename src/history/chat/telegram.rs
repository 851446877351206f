//! Telegram Desktop's JSON export (`result.json`): one chat (top-level
//! `name`, `type`, `id`, `messages`) or the whole account
//! (`personal_information`, `contacts.list`, `chats.list`).
//!
//! Days come from `date_unixtime` in the user's zone (the local `date`
//! when there is none). Personal chats add the partner; groups the members
//! who wrote; channels, saved messages and bots are ignored ("channel",
//! "saved messages", "bot chat"), service messages are "system message".
//! `line` is the message's number in the file (JSON has no useful lines).
//!
//! Only the fields read here are kept while parsing (message texts are
//! skipped), and a field of an unexpected type is treated as missing, so
//! a large export parses in little memory and odd values never fail it.

use super::{DayBook, Party, chat_key, clean};
use crate::exchange::{Skipped, normalize_name};
use crate::history::{Harvest, Ignored, ReadOptions};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;

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

/// A string or number as text; any other JSON value is None.
#[derive(Default, Clone)]
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
                Scalar::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar(None))
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl Scalar {
    fn text(&self) -> Option<String> {
        self.0.clone()
    }
}

/// A JSON object read as `T`; any other value is None.
struct Obj<T>(Option<T>);

impl<T> Default for Obj<T> {
    fn default() -> Self {
        Obj(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Obj<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Obj<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| Obj(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Obj<T>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Obj(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Obj<T>, D::Error> {
                Obj::deserialize(d)
            }
            fn visit_none<E: de::Error>(self) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Obj<T>, E> {
                Ok(Obj(None))
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

/// A JSON list, each element read as `E`; any other value is empty.
struct List<E>(Vec<E>);

impl<E> Default for List<E> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<'de, E: Deserialize<'de>> Deserialize<'de> for List<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V<E>(PhantomData<E>);
        impl<'de, E: Deserialize<'de>> Visitor<'de> for V<E> {
            type Value = List<E>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List<E>, A::Error> {
                let mut out = Vec::new();
                while let Some(e) = seq.next_element::<E>()? {
                    out.push(e);
                }
                Ok(List(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List<E>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(List(Vec::new()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<List<E>, D::Error> {
                List::deserialize(d)
            }
            fn visit_none<Er: de::Error>(self) -> Result<List<E>, Er> {
                Ok(List(Vec::new()))
            }
            fn visit_unit<Er: de::Error>(self) -> Result<List<E>, Er> {
                Ok(List(Vec::new()))
            }
            fn visit_bool<Er: de::Error>(self, _: bool) -> Result<List<E>, Er> {
                Ok(List(Vec::new()))
            }
            fn visit_i64<Er: de::Error>(self, _: i64) -> Result<List<E>, Er> {
                Ok(List(Vec::new()))
            }
            fn visit_u64<Er: de::Error>(self, _: u64) -> Result<List<E>, Er> {
                Ok(List(Vec::new()))
            }
            fn visit_f64<Er: de::Error>(self, _: f64) -> Result<List<E>, Er> {
                Ok(List(Vec::new()))
            }
            fn visit_str<Er: de::Error>(self, _: &str) -> Result<List<E>, Er> {
                Ok(List(Vec::new()))
            }
        }
        deserializer.deserialize_any(V(PhantomData))
    }
}

/// One message: only what is read.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Message {
    #[serde(rename = "type")]
    kind: Scalar,
    date: Scalar,
    date_unixtime: Scalar,
    from: Scalar,
    from_id: Scalar,
    members: List<Scalar>,
}

/// One chat.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Chat {
    name: Scalar,
    #[serde(rename = "type")]
    kind: Scalar,
    id: Scalar,
    messages: Option<List<Obj<Message>>>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Info {
    user_id: Scalar,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Contact {
    user_id: Scalar,
    first_name: Scalar,
    last_name: Scalar,
    phone_number: Scalar,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Listed<T> {
    list: Option<List<Obj<T>>>,
}

/// The whole file: a full export or one chat.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Root {
    personal_information: Obj<Info>,
    contacts: Obj<Listed<Contact>>,
    chats: Obj<Listed<Chat>>,
    // A single-chat export has the chat's fields at the top.
    name: Scalar,
    #[serde(rename = "type")]
    kind: Scalar,
    id: Scalar,
    messages: Option<List<Obj<Message>>>,
}

/// The day of a message: its Unix time in the user's zone, else its local date.
fn day_of(message: &Message, opts: &ReadOptions) -> Option<NaiveDate> {
    if let Some(unix) = message
        .date_unixtime
        .text()
        .and_then(|t| t.trim().parse::<i64>().ok())
    {
        return DateTime::from_timestamp(unix, 0).map(|t| opts.zone.date_of(t));
    }
    let date = message.date.text()?;
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

fn account_of(root: &Root) -> Account {
    let mut account = Account::default();
    if let Some(info) = &root.personal_information.0 {
        account.me = info.user_id.text().map(|id| format!("user{id}"));
    }
    let contacts = root.contacts.0.as_ref().and_then(|c| c.list.as_ref());
    for contact in contacts
        .map_or(&[][..], |l| l.0.as_slice())
        .iter()
        .filter_map(|c| c.0.as_ref())
    {
        let Some(phone) = contact
            .phone_number
            .text()
            .map(|p| clean(&p))
            .filter(|p| !p.is_empty())
        else {
            continue;
        };
        if let Some(id) = contact.user_id.text() {
            account
                .phones_by_id
                .insert(format!("user{id}"), phone.clone());
        }
        let name = format!(
            "{} {}",
            contact.first_name.text().unwrap_or_default(),
            contact.last_name.text().unwrap_or_default()
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
    let root: Root = match serde_json::from_str::<Obj<Root>>(text) {
        Ok(Obj(Some(root))) => root,
        Ok(Obj(None)) => {
            harvest.problems.push(Skipped {
                line: 1,
                reason: "not Telegram's result.json: not a JSON object".into(),
            });
            return harvest;
        }
        Err(error) => {
            harvest.problems.push(Skipped {
                line: error.line().max(1),
                reason: format!("not Telegram's result.json: {error}"),
            });
            return harvest;
        }
    };
    let account = account_of(&root);
    let single = Chat {
        name: root.name.clone(),
        kind: root.kind.clone(),
        id: root.id.clone(),
        messages: root.messages,
    };
    let listed = root.chats.0.as_ref().and_then(|c| c.list.as_ref());
    let chats: Vec<&Chat> = match listed {
        Some(list) => list.0.iter().filter_map(|c| c.0.as_ref()).collect(),
        None if single.messages.is_some() => vec![&single],
        None => {
            harvest.problems.push(Skipped {
                line: 1,
                reason: "no \"messages\" or \"chats\" in this JSON: not a Telegram export".into(),
            });
            return harvest;
        }
    };
    if let [chat] = chats.as_slice()
        && let Some(name) = chat.name.text()
    {
        harvest.suggested_name = clean(&name);
    }
    let mut book = DayBook::new("telegram");
    let mut number = 0usize;
    for chat in chats {
        let name = chat.name.text().unwrap_or_default();
        let kind = chat.kind.text().unwrap_or_default();
        let id = chat.id.text();
        let messages: &[Obj<Message>] = chat.messages.as_ref().map_or(&[], |m| m.0.as_slice());
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
            let other = messages.iter().filter_map(|m| m.0.as_ref()).find_map(|m| {
                let from_id = m.from_id.text()?;
                (account.me.as_deref() != Some(from_id.as_str()) && from_id.starts_with("user"))
                    .then(|| account.party(&m.from.text().unwrap_or_default(), Some(&from_id)))
            });
            other.unwrap_or_else(|| {
                let partner_id = id.as_ref().map(|id| format!("user{id}"));
                account.party(&name, partner_id.as_deref())
            })
        });
        let writers: HashSet<String> = messages
            .iter()
            .filter_map(|m| m.0.as_ref())
            .filter_map(|m| m.from_id.text().or_else(|| m.from.text()))
            .collect();
        // Members named by service messages (create_group, invite_members).
        let members = messages
            .iter()
            .filter_map(|m| m.0.as_ref())
            .flat_map(|m| m.members.0.iter())
            .filter_map(Scalar::text)
            .map(|n| normalize_name(&n))
            .collect::<HashSet<String>>()
            .len();
        let crowd = if partner.is_some() {
            2
        } else {
            writers.len().max(members)
        };
        for message in messages {
            number += 1;
            let Some(message) = &message.0 else {
                harvest.problems.push(Skipped {
                    line: number,
                    reason: "message is not a JSON object".into(),
                });
                continue;
            };
            let kind = message.kind.text().unwrap_or_else(|| "message".into());
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
            let from = message.from.text().unwrap_or_default();
            let from_id = message.from_id.text();
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
