//! A timeline that fills itself: interactions read from the calendars, mail
//! and chats people already export (iCalendar, mbox and Maildir, WhatsApp,
//! Telegram, Signal and LinkedIn messages).
//!
//! Pure, like [`crate::exchange`]: each reader turns an export into a
//! [`Harvest`] of [`Encounter`]s (who, when, what kind, a stable key), and
//! [`plan`] matches them to people, drops what kith already has, and builds
//! the preview and the one undoable [`crate::action::Action`] that imports
//! them. Nothing here touches the model or the disk, except that the mail
//! and file readers stream from the file they are given.

pub mod chat;
pub mod ics;
pub mod mail;
pub mod plan;
pub mod recur;
pub mod source;
pub mod tz;

use crate::exchange::Skipped;
use crate::model::{HistoryKind, InteractionKind};
use chrono::NaiveDate;

/// What an export was recognised as (from its content, not its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HistoryFormat {
    /// iCalendar (`BEGIN:VCALENDAR`).
    Calendar,
    /// An mbox file (`From ` lines).
    Mbox,
    /// A Maildir folder (`cur`, `new`, `tmp`).
    Maildir,
    /// A WhatsApp "Export chat" text file.
    WhatsApp,
    /// Telegram Desktop's `result.json`.
    Telegram,
    /// A Signal Desktop export.
    Signal,
    /// LinkedIn's `messages.csv`.
    LinkedIn,
}

impl HistoryFormat {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            HistoryFormat::Calendar => "iCalendar",
            HistoryFormat::Mbox => "mbox",
            HistoryFormat::Maildir => "Maildir",
            HistoryFormat::WhatsApp => "WhatsApp chat",
            HistoryFormat::Telegram => "Telegram export",
            HistoryFormat::Signal => "Signal export",
            HistoryFormat::LinkedIn => "LinkedIn messages",
        }
    }

    /// The kind of source it is recorded as.
    pub fn kind(self) -> HistoryKind {
        match self {
            HistoryFormat::Calendar => HistoryKind::Calendar,
            HistoryFormat::Mbox | HistoryFormat::Maildir => HistoryKind::Mail,
            HistoryFormat::WhatsApp => HistoryKind::WhatsApp,
            HistoryFormat::Telegram => HistoryKind::Telegram,
            HistoryFormat::Signal => HistoryKind::Signal,
            HistoryFormat::LinkedIn => HistoryKind::LinkedIn,
        }
    }
}

/// Someone in an event, a message or a chat, as the export names them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Party {
    /// Display name ("" when the export gives none).
    pub name: String,
    /// E-mail address, lowercased and trimmed (no `mailto:`).
    pub email: Option<String>,
    /// Phone number as written.
    pub phone: Option<String>,
    /// Another handle the export gives (a LinkedIn profile URL, a Telegram
    /// user id as `telegram:user123`), matched against people's links.
    pub handle: Option<String>,
    /// This party sent the message or organised the event.
    pub sender: bool,
    /// They declined the event (PARTSTAT=DECLINED).
    pub declined: bool,
    /// The export itself says this party is you (Telegram's own id, Signal's
    /// outgoing messages). [`plan`] also recognises you by your addresses,
    /// phones and name.
    pub me: bool,
}

/// One thing that happened, as read from an export, before it is matched
/// to people.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Encounter {
    /// A stable key for what this is, the same in every export of it:
    /// `event:<UID>#<recurrence id as UTC instant, or "">`,
    /// `mail:<Message-ID>`, `<service>:<chat>:<YYYY-MM-DD>`. Hashed with
    /// [`short_key`] before it is stored.
    pub key: String,
    /// The day it happened, in the user's time zone.
    pub date: NaiveDate,
    /// The kind guessed from the export (editable in the preview and after).
    pub kind: InteractionKind,
    /// Event title or mail subject ("" when none); stored only when the
    /// source keeps titles.
    pub title: String,
    /// Everyone named in it, possibly including you.
    pub parties: Vec<Party>,
    /// How many took part in all (attendees, recipients plus sender), you included.
    pub crowd: usize,
    /// Where it is in the export: 1-based line, or message number for mail.
    pub line: usize,
}

/// Something read fine but left out on purpose, with the reason shown in the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignored {
    /// 1-based line or message number.
    pub line: usize,
    /// Why, as a short category the preview counts ("mailing list",
    /// "bulk mail", "no-reply sender", "cancelled", "declined", "in the
    /// future", "too many recipients", "no other people").
    pub reason: String,
}

/// What one reader took from one export.
#[derive(Clone, Debug, Default)]
pub struct Harvest {
    /// What was read, in file order.
    pub encounters: Vec<Encounter>,
    /// What was left out on purpose.
    pub ignored: Vec<Ignored>,
    /// Bad input, by line or message, with a clear reason; everything else still imports.
    pub problems: Vec<Skipped>,
    /// A name for the source the export suggests (`X-WR-CALNAME`, the chat's
    /// name, the mailbox owner), "" when none.
    pub suggested_name: String,
    /// Mail only: addresses that received the most messages, with counts,
    /// most first (the mailbox owner is usually the first).
    pub recipients: Vec<(String, usize)>,
}

/// How a reader reads.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Today: events after today are not interactions yet ("in the future").
    pub today: NaiveDate,
    /// The user's time zone: UTC and zoned times become days in it.
    pub zone: tz::Zone,
}

/// Why an export cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// Not a format kith reads interactions from.
    #[error(
        "not a calendar, mail or chat export: expected iCalendar, mbox, a Maildir folder, a WhatsApp chat, Telegram's result.json, a Signal export or LinkedIn's messages.csv"
    )]
    UnknownFormat,
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// Reading the file or folder failed.
    #[error("{0}")]
    Read(String),
    /// The format is known but nothing in it could be read.
    #[error("nothing could be read: {0}")]
    NothingRead(String),
}

/// The short form of a stable key that [`crate::model::Origin::keys`]
/// stores: the first 16 hex digits of its SHA-256 (keys hold Message-IDs
/// and event UIDs, which name hosts; the hash keeps files small and private).
pub fn short_key(key: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, key.as_bytes());
    digest.as_ref()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_are_stable_and_short() {
        assert_eq!(short_key("mail:<a@b>"), short_key("mail:<a@b>"));
        assert_ne!(short_key("mail:<a@b>"), short_key("mail:<a@c>"));
        assert_eq!(short_key("x").len(), 16);
    }
}
