//! Chat exports: WhatsApp "Export chat" text (Android and iOS, 12/24 h,
//! several locales), Telegram Desktop's `result.json`, Signal Desktop
//! exports and LinkedIn's `messages.csv`. Each conversation day with a
//! person becomes one encounter.

use super::{Harvest, HistoryFormat, ReadOptions};

/// Which chat format `prefix` (the first bytes of a file) is, if any.
pub fn detect(prefix: &[u8]) -> Option<HistoryFormat> {
    let _ = prefix;
    None
}

/// Read a WhatsApp chat; `file_name` ("WhatsApp Chat with Dana.txt") names the chat.
pub fn read_whatsapp(bytes: &[u8], file_name: &str, opts: &ReadOptions) -> Harvest {
    let _ = (bytes, file_name, opts);
    Harvest::default()
}

/// Read Telegram Desktop's `result.json` (one chat or the whole export).
pub fn read_telegram(bytes: &[u8], opts: &ReadOptions) -> Harvest {
    let _ = (bytes, opts);
    Harvest::default()
}

/// Read a Signal Desktop export.
pub fn read_signal(bytes: &[u8], file_name: &str, opts: &ReadOptions) -> Harvest {
    let _ = (bytes, file_name, opts);
    Harvest::default()
}

/// Read LinkedIn's `messages.csv`.
pub fn read_linkedin(bytes: &[u8], opts: &ReadOptions) -> Harvest {
    let _ = (bytes, opts);
    Harvest::default()
}
