//! Reading files kith does not trust: the data folder (another machine syncs
//! it), backups, the load cache and import files.
//!
//! - Inside the data folder a symbolic link is never followed: the final
//!   component is opened with `O_NOFOLLOW`, and the folders kith reads and
//!   writes are checked with `lstat` to be real folders.
//! - Only regular files are read (a FIFO would block the loader forever, a
//!   device would never end), opened with `O_NONBLOCK` so even a FIFO swapped
//!   in after the check cannot hang.
//! - Every read is capped: the size is checked on the open handle before a
//!   byte is read, and the read itself stops one byte past the cap (a file
//!   can grow, and `/proc` files lie about their size).

use std::fmt;
use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// The most kith reads of a person, organization, settings, profile or
/// interest-catalog file. A real person file is a few kilobytes; one with
/// years of notes is under a megabyte.
pub const RECORD_FILE_CAP: u64 = 16 << 20;
/// The most kith reads of one month of interactions. A month of a 100,000
/// people network with a million interactions is about 1.5 MB.
pub const MONTH_FILE_CAP: u64 = 256 << 20;
/// The most kith reads of a load cache (79 MB at 100,000 people).
pub const CACHE_FILE_CAP: u64 = 2 << 30;
/// The most kith reads of a contacts file to import (a million small cards
/// are about 33 MB).
pub const IMPORT_FILE_CAP: u64 = 256 << 20;
/// The largest backup bundle kith restores (the whole folder, file by file;
/// 400 MB at 100,000 people). A bundle is streamed, never held in memory.
pub const BUNDLE_FILE_CAP: u64 = 16 << 30;

/// Why a file was not read.
#[derive(Debug)]
pub enum Refused {
    /// Nothing at that path.
    Missing,
    /// A symbolic link, which kith never follows inside its folder.
    Symlink,
    /// Not a regular file (a folder, FIFO, socket or device).
    NotRegular(&'static str),
    /// Larger than the cap for its kind.
    TooLarge {
        /// Its size (or at least this many bytes, when it grew while read).
        size: u64,
        /// The cap.
        cap: u64,
    },
    /// The system refused the read.
    Io(io::Error),
}

impl Refused {
    /// True when the file is simply not there.
    pub fn is_missing(&self) -> bool {
        matches!(self, Refused::Missing)
    }
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refused::Missing => write!(f, "the file is missing"),
            Refused::Symlink => write!(
                f,
                "it is a symbolic link; kith never follows links in its data folder (put the real file here instead)"
            ),
            Refused::NotRegular(kind) => {
                write!(f, "it is {kind}, not a regular file; kith leaves it alone")
            }
            Refused::TooLarge { size, cap } => write!(
                f,
                "it is {}, over kith's limit of {} for this kind of file; kith leaves it alone",
                human_size(*size),
                human_size(*cap)
            ),
            Refused::Io(e) => write!(f, "cannot read it: {e}"),
        }
    }
}

impl From<io::Error> for Refused {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            io::ErrorKind::NotFound => Refused::Missing,
            _ => Refused::Io(e),
        }
    }
}

impl From<Refused> for io::Error {
    fn from(refused: Refused) -> Self {
        match refused {
            Refused::Io(e) => e,
            Refused::Missing => io::ErrorKind::NotFound.into(),
            other => io::Error::new(io::ErrorKind::InvalidData, other.to_string()),
        }
    }
}

/// A size for people: "30.0 GB", "16 MB", "512 bytes".
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() == 0.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// What a file type is, in words, for a file that is not a regular file.
fn kind_of(meta: &Metadata) -> &'static str {
    let file_type = meta.file_type();
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    "a special file"
}

/// Open `path` for reading without following a symbolic link at its last
/// component, and check on the open handle that it is a regular file.
pub fn open_regular(path: &Path) -> Result<(File, Metadata), Refused> {
    // Without O_NOFOLLOW, lstat first is the only check there is. On Unix
    // the open itself refuses a link (ELOOP), O_NONBLOCK keeps a FIFO from
    // blocking, and the type is checked on the handle below: one system
    // call less per file on a 100,000-file load.
    #[cfg(not(unix))]
    {
        let before = fs::symlink_metadata(path)?;
        if before.file_type().is_symlink() {
            return Err(Refused::Symlink);
        }
        if !before.is_file() {
            return Err(Refused::NotRegular(kind_of(&before)));
        }
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        // ELOOP: the last component is a symbolic link (O_NOFOLLOW).
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return Refused::Symlink;
        }
        Refused::from(e)
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Refused::NotRegular(kind_of(&meta)));
    }
    Ok((file, meta))
}

/// Read the whole of a regular file of at most `cap` bytes, never following
/// a symbolic link (see [`open_regular`]). Returns its bytes and the
/// metadata of the open handle, taken before the read.
pub fn read_regular(path: &Path, cap: u64) -> Result<(Vec<u8>, Metadata), Refused> {
    let (file, meta) = open_regular(path)?;
    let bytes = read_to_cap(file, Some(meta.len()), cap)?;
    Ok((bytes, meta))
}

/// Read `reader` to its end, refusing it once it passes `cap` bytes;
/// `size` (when known) refuses it before anything is read.
fn read_to_cap(reader: impl Read, size: Option<u64>, cap: u64) -> Result<Vec<u8>, Refused> {
    if let Some(size) = size
        && size > cap
    {
        return Err(Refused::TooLarge { size, cap });
    }
    let hint = size.unwrap_or(0).min(cap);
    let mut bytes = Vec::with_capacity(usize::try_from(hint).unwrap_or(0).saturating_add(1));
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > cap {
        return Err(Refused::TooLarge { size: read, cap });
    }
    Ok(bytes)
}

/// Read a file the user chose to import, of at most `cap` bytes. The user
/// named it, so a symbolic link is followed; a pipe (`<(cat file)`) is read
/// as a stream, up to the cap. A folder or a device is refused.
pub fn read_import(path: &Path, cap: u64) -> Result<Vec<u8>, Refused> {
    let meta = fs::metadata(path)?;
    let file_type = meta.file_type();
    #[cfg(unix)]
    let is_pipe = {
        use std::os::unix::fs::FileTypeExt;
        file_type.is_fifo()
    };
    #[cfg(not(unix))]
    let is_pipe = false;
    if !file_type.is_file() && !is_pipe {
        return Err(Refused::NotRegular(kind_of(&meta)));
    }
    let file = File::open(path)?;
    let size = file.metadata()?;
    let size = size.is_file().then_some(size.len());
    read_to_cap(file, size, cap)
}

/// What is at a folder path kith reads or writes inside its data folder.
#[derive(Debug)]
pub enum DirState {
    /// A real folder.
    Dir,
    /// Nothing (yet).
    Missing,
    /// Something kith must not use: a symbolic link, or not a folder.
    Refused(String),
}

/// Check a folder inside the data folder without following it.
pub fn dir_state(dir: &Path) -> DirState {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => DirState::Refused(
            "it is a symbolic link; kith never follows links in its data folder".into(),
        ),
        Ok(meta) if meta.is_dir() => DirState::Dir,
        Ok(meta) => DirState::Refused(format!("it is {}, not a folder", kind_of(&meta))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => DirState::Missing,
        Err(e) => DirState::Refused(format!("cannot look at it: {e}")),
    }
}

/// A path for a message: control characters and the Unicode controls that
/// reorder text are written as `\u{..}` escapes, so a file name can never
/// fake a line of output ("ok: every file loaded") or hide its real name.
pub fn shown(path: &Path) -> String {
    escape_text(&path.to_string_lossy())
}

/// [`shown`] for any text that came from outside (a name, a header).
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let reorders = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if c.is_control() || reorders {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn sizes_read_well() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(16 << 20), "16 MB");
        assert_eq!(human_size(30 * (1 << 30)), "30 GB");
        assert_eq!(human_size(1536), "1.5 KB");
    }

    #[test]
    fn control_characters_in_names_are_escaped() {
        let name = Path::new("people/x.ron\nok: every file loaded\u{1b}[2K\u{202e}");
        let shown = shown(name);
        assert!(!shown.contains('\n') && !shown.contains('\u{1b}') && !shown.contains('\u{202e}'));
        assert!(shown.contains("\\u{a}ok: every file loaded\\u{1b}[2K\\u{202e}"));
        assert_eq!(escape_text("Zoë Ångström"), "Zoë Ångström");
    }

    #[test]
    fn a_regular_file_reads_and_an_oversized_one_is_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        fs::write(&path, b"hello").unwrap();
        assert_eq!(read_regular(&path, 5).unwrap().0, b"hello");
        let sparse = dir.path().join("huge.ron");
        let file = File::create(&sparse).unwrap();
        file.set_len(30 << 30).unwrap();
        match read_regular(&sparse, RECORD_FILE_CAP) {
            Err(Refused::TooLarge { size, cap }) => {
                assert_eq!(size, 30 << 30);
                assert_eq!(cap, RECORD_FILE_CAP);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_regular(&path, 4),
            Err(Refused::TooLarge { .. })
        ));
        assert!(
            read_regular(&dir.path().join("none"), 4)
                .unwrap_err()
                .is_missing()
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_fifos_and_folders_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("secret");
        fs::write(&target, b"key").unwrap();
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(read_regular(&link, 100), Err(Refused::Symlink)));
        let fifo = dir.path().join("fifo.ron");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(status.success());
        assert!(matches!(
            read_regular(&fifo, 100),
            Err(Refused::NotRegular(_))
        ));
        assert!(matches!(
            read_regular(dir.path(), 100),
            Err(Refused::NotRegular(_))
        ));
        assert!(matches!(dir_state(&link), DirState::Refused(_)));
        assert!(matches!(dir_state(dir.path()), DirState::Dir));
        assert!(matches!(dir_state(&target), DirState::Refused(_)));
        // An import may come through a link the user chose.
        assert_eq!(read_import(&link, 100).unwrap(), b"key");
        assert!(matches!(
            read_import(dir.path(), 100),
            Err(Refused::NotRegular(_))
        ));
    }
}
