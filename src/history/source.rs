//! Reading an export from a path, a folder or a URL: recognising its format
//! from content, capped and never through a symbolic link.

use super::{Harvest, HistoryError, HistoryFormat, ReadOptions};
use std::path::Path;

/// Recognise an export from its first bytes (up to 64 KB).
pub fn detect_bytes(prefix: &[u8]) -> Option<HistoryFormat> {
    let _ = prefix;
    None
}

/// Recognise the export at `path`: a Maildir folder, or a file by its
/// content. None when it is not one (it may be a contacts file).
pub fn detect_path(path: &Path) -> Result<Option<HistoryFormat>, HistoryError> {
    let _ = path;
    Ok(None)
}

/// Read the export at `path` (an mbox is streamed, never held whole).
pub fn read_path(
    path: &Path,
    format: HistoryFormat,
    opts: &ReadOptions,
) -> Result<Harvest, HistoryError> {
    let _ = (path, format, opts);
    Ok(Harvest::default())
}

/// Read an export already in memory (a calendar fetched from a URL, a
/// file read by the app).
pub fn read_bytes(
    format: HistoryFormat,
    bytes: &[u8],
    file_name: &str,
    opts: &ReadOptions,
) -> Result<Harvest, HistoryError> {
    let _ = (format, bytes, file_name, opts);
    Ok(Harvest::default())
}
