//! The load cache: the records of the last load, already parsed, so that
//! opening a large folder reads one file instead of parsing 100,000.
//!
//! The RON files stay the only truth. The cache lives outside the data folder
//! (in the platform's cache folder, so sync tools and backups never see it)
//! and holds, per data file, the file's identity when it was read (size,
//! modification and change times, device and inode), the fingerprint of its
//! bytes and the parsed record in a compact binary form (`postcard`).
//!
//! A record is taken from the cache only when its file still has exactly
//! that identity and had already settled for [`SETTLE`] before the cache's
//! load began (the "racy clean" rule git uses: a file written in the same
//! clock tick as the read could change without its times changing). Every
//! other file is read and parsed as usual. Each record carries a checksum,
//! and the cache carries a hash of the source code that defines the records,
//! so a damaged cache or one written by another kith build is never trusted:
//! the files are parsed instead. Nothing in the cache is ever written back
//! to the data folder unless it matches the file it came from.

use super::atomic::{TEMP_PREFIX, create_private_dir, sweep_temp_files, write_atomic_with};
use super::guard::{self, DirState, dir_state};
use super::{FileKey, Parsed};
use crate::insight::fast_hash::FastHasher;
use crate::model::{
    Interaction, InterestCatalog, Me, OrgId, Organization, Person, PersonId, Settings, YearMonth,
};
use std::collections::HashMap;
use std::fs;
use std::hash::Hasher;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// First bytes of a cache file.
const MAGIC: &[u8; 16] = b"kith-load-cache\n";

/// How long a file must have stood unchanged before a load for its cached
/// record to be trusted later (covers coarse file-system clocks).
pub const SETTLE: Duration = Duration::from_secs(2);

/// Cache files not rewritten for this long belong to folders no longer
/// opened; they are removed when another cache is written.
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60 * 24 * 60);

/// The hash of everything that decides what a cached record means: the
/// record types, how files are parsed and checked, and the fingerprint.
/// A cache written by a build that differs in any of them is ignored.
fn schema() -> u64 {
    let mut hasher = FastHasher::default();
    for source in [
        env!("CARGO_PKG_VERSION"),
        include_str!("../model/mod.rs"),
        include_str!("../model/interest.rs"),
        include_str!("mod.rs"),
        include_str!("format.rs"),
        include_str!("fast_ron.rs"),
        include_str!("cache.rs"),
        include_str!("../insight/fast_hash.rs"),
    ] {
        hasher.write(source.as_bytes());
        hasher.write_usize(source.len());
    }
    hasher.finish()
}

/// The platform's cache folder for kith (`~/.cache/kith` on Linux).
pub fn default_cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "kith", "kith").map(|dirs| dirs.cache_dir().to_path_buf())
}

/// The cache file for the data folder `root`, inside `cache_dir`: one per
/// folder, named by a hash of the folder's full path.
pub fn cache_file(cache_dir: &Path, root: &Path) -> PathBuf {
    let root = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let mut hasher = FastHasher::default();
    hasher.write(root.to_string_lossy().as_bytes());
    cache_dir.join(format!("{:016x}.cache", hasher.finish()))
}

/// Delete the load cache of the data folder `root` (if it has one).
pub fn discard_cache(cache_dir: &Path, root: &Path) -> io::Result<()> {
    match fs::remove_file(cache_file(cache_dir, root)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Who a file on disk is: if any of this changes, the file may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Identity {
    size: u64,
    modified_ns: i64,
    changed_ns: i64,
    device: u64,
    inode: u64,
}

impl Identity {
    /// The identity in `meta`.
    pub(super) fn of(meta: &fs::Metadata) -> Identity {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let ns =
                |secs: i64, nanos: i64| secs.saturating_mul(1_000_000_000).saturating_add(nanos);
            Identity {
                size: meta.size(),
                modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
                changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
                device: meta.dev(),
                inode: meta.ino(),
            }
        }
        #[cfg(not(unix))]
        {
            let modified_ns = meta.modified().map_or(i64::MAX, nanos_since_epoch);
            Identity {
                size: meta.len(),
                modified_ns,
                changed_ns: modified_ns,
                device: 0,
                inode: 0,
            }
        }
    }

    /// True when the file had stood unchanged for [`SETTLE`] at `stamp_ns`.
    fn settled_at(&self, stamp_ns: i64) -> bool {
        let settle = SETTLE.as_nanos() as i64;
        self.modified_ns.max(self.changed_ns) < stamp_ns.saturating_sub(settle)
    }

    fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.size.to_le_bytes());
        out.extend_from_slice(&self.modified_ns.to_le_bytes());
        out.extend_from_slice(&self.changed_ns.to_le_bytes());
        out.extend_from_slice(&self.device.to_le_bytes());
        out.extend_from_slice(&self.inode.to_le_bytes());
    }

    fn read_from(reader: &mut ByteReader<'_>) -> Option<Identity> {
        Some(Identity {
            size: reader.u64()?,
            modified_ns: reader.i64()?,
            changed_ns: reader.i64()?,
            device: reader.u64()?,
            inode: reader.u64()?,
        })
    }
}

/// A file's bytes, and its identity taken before they were read (so a change
/// during the read shows as a changed identity next time).
fn read_with_identity(path: &Path, cap: u64) -> io::Result<(Vec<u8>, Identity)> {
    let (bytes, meta) = guard::read_regular(path, cap)?;
    Ok((bytes, Identity::of(&meta)))
}

/// Nanoseconds since 1970 (0 before, saturating far after).
pub(super) fn nanos_since_epoch(time: SystemTime) -> i64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// Reads little-endian values off a byte slice; `None` past its end.
struct ByteReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> ByteReader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(len)?;
        let bytes: &'a [u8] = self.bytes;
        let slice = bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.array()?))
    }

    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.array()?))
    }
}

const KEY_PERSON: u8 = 1;
const KEY_ORG: u8 = 2;
const KEY_MONTH: u8 = 3;
const KEY_ME: u8 = 4;
const KEY_SETTINGS: u8 = 5;
const KEY_INTERESTS: u8 = 6;

fn write_key(key: FileKey, out: &mut Vec<u8>) {
    match key {
        FileKey::Person(id) => {
            out.push(KEY_PERSON);
            out.extend_from_slice(id.0.as_bytes());
        }
        FileKey::Org(id) => {
            out.push(KEY_ORG);
            out.extend_from_slice(id.0.as_bytes());
        }
        FileKey::Month(month) => {
            out.push(KEY_MONTH);
            out.extend_from_slice(&month.year.to_le_bytes());
            out.extend_from_slice(&month.month.to_le_bytes());
        }
        FileKey::Me => out.push(KEY_ME),
        FileKey::Settings => out.push(KEY_SETTINGS),
        FileKey::Interests => out.push(KEY_INTERESTS),
    }
}

fn read_key(reader: &mut ByteReader<'_>) -> Option<FileKey> {
    Some(match reader.u8()? {
        KEY_PERSON => FileKey::Person(PersonId(uuid::Uuid::from_bytes(reader.array()?))),
        KEY_ORG => FileKey::Org(OrgId(uuid::Uuid::from_bytes(reader.array()?))),
        KEY_MONTH => FileKey::Month(YearMonth {
            year: i32::from_le_bytes(reader.array()?),
            month: reader.u32()?,
        }),
        KEY_ME => FileKey::Me,
        KEY_SETTINGS => FileKey::Settings,
        KEY_INTERESTS => FileKey::Interests,
        _ => return None,
    })
}

/// The checksum of one entry: its file, identity, fingerprint and record
/// bytes (a damaged byte anywhere in an entry changes it).
fn entry_sum(key: FileKey, identity: &Identity, print: u64, payload: &[u8]) -> u64 {
    let mut head = Vec::with_capacity(64);
    write_key(key, &mut head);
    identity.write_to(&mut head);
    head.extend_from_slice(&print.to_le_bytes());
    let mut hasher = FastHasher::default();
    hasher.write(&head);
    hasher.write(payload);
    hasher.write_usize(payload.len());
    hasher.finish()
}

/// The checksum of the cache's header fields.
fn header_sum(stamp_ns: i64, root: &[u8], count: u64) -> u64 {
    let mut hasher = FastHasher::default();
    hasher.write(&stamp_ns.to_le_bytes());
    hasher.write(root);
    hasher.write_usize(root.len());
    hasher.write_u64(count);
    hasher.finish()
}

/// The fewest bytes an entry takes (a key tag, identity, three hashes
/// and a length): bounds how many entries a cache of some size can claim.
const MIN_ENTRY_LEN: usize = 1 + 40 + 16 + 4;

/// A parsed record in the cache's binary form (None if it cannot be encoded,
/// which leaves that file to be parsed next time).
pub(super) fn encode(parsed: &Parsed) -> Option<Vec<u8>> {
    crate::model::with_every_field(|| match parsed {
        Parsed::Person(person) => postcard::to_allocvec(person),
        Parsed::Org(org) => postcard::to_allocvec(org),
        Parsed::Month(_, list) => postcard::to_allocvec(list),
        Parsed::Me(me) => postcard::to_allocvec(me),
        Parsed::Settings(settings) => postcard::to_allocvec(settings),
        Parsed::Interests(interests) => postcard::to_allocvec(interests),
    })
    .ok()
}

/// The record of the file at `key` from its binary form.
fn decode(key: FileKey, bytes: &[u8]) -> Option<Parsed> {
    Some(match key {
        FileKey::Person(_) => Parsed::Person(postcard::from_bytes::<Person>(bytes).ok()?),
        FileKey::Org(_) => Parsed::Org(postcard::from_bytes::<Organization>(bytes).ok()?),
        FileKey::Month(month) => {
            Parsed::Month(month, postcard::from_bytes::<Vec<Interaction>>(bytes).ok()?)
        }
        FileKey::Me => Parsed::Me(postcard::from_bytes::<Me>(bytes).ok()?),
        FileKey::Settings => Parsed::Settings(postcard::from_bytes::<Settings>(bytes).ok()?),
        FileKey::Interests => {
            Parsed::Interests(postcard::from_bytes::<InterestCatalog>(bytes).ok()?)
        }
    })
}

/// The start of a cache file: which build wrote it, when its load began,
/// and which data folder it belongs to.
struct Header<'a> {
    schema: u64,
    stamp_ns: i64,
    root: &'a [u8],
}

impl<'a> Header<'a> {
    /// Read the header at the start of a cache (None: not a kith cache, or
    /// cut short).
    fn read(reader: &mut ByteReader<'a>) -> Option<Header<'a>> {
        if reader.take(MAGIC.len())? != MAGIC {
            return None;
        }
        let schema = reader.u64()?;
        let stamp_ns = reader.i64()?;
        let root_len = reader.u32()? as usize;
        Some(Header {
            schema,
            stamp_ns,
            root: reader.take(root_len)?,
        })
    }

    /// The bytes [`Header::read`] reads back.
    fn write_to(&self, out: &mut Vec<u8>) -> io::Result<()> {
        let root_len =
            u32::try_from(self.root.len()).map_err(|_| io::Error::other("folder path too long"))?;
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.schema.to_le_bytes());
        out.extend_from_slice(&self.stamp_ns.to_le_bytes());
        out.extend_from_slice(&root_len.to_le_bytes());
        out.extend_from_slice(self.root);
        Ok(())
    }
}

/// One file's entry in a cache that was read.
#[derive(Clone, Copy, Debug)]
struct Entry {
    identity: Identity,
    print: u64,
    sum: u64,
    start: usize,
    end: usize,
}

/// A cache file as read at the start of a load.
#[derive(Debug)]
pub(super) struct CacheRead {
    bytes: Arc<Vec<u8>>,
    stamp_ns: i64,
    entries: HashMap<FileKey, Entry>,
}

/// A record found in the cache, with where its bytes are (to write it again).
pub(super) struct Hit {
    /// The record.
    pub parsed: Parsed,
    /// The fingerprint of the file's bytes.
    pub print: u64,
    /// The file's identity.
    pub identity: Identity,
    payload: Payload,
}

impl Hit {
    /// This record as an entry of the next cache.
    pub(super) fn into_fresh(self, key: FileKey) -> (Parsed, Fresh) {
        let fresh = Fresh::Cached {
            key,
            identity: self.identity,
            print: self.print,
            payload: self.payload,
        };
        (self.parsed, fresh)
    }
}

/// A cached record's bytes: still inside the cache that was read, or new.
#[derive(Debug)]
pub(super) enum Payload {
    Read(Arc<Vec<u8>>, usize, usize),
    New(Vec<u8>),
}

impl Payload {
    fn bytes(&self) -> &[u8] {
        match self {
            Payload::Read(all, start, end) => all.get(*start..*end).unwrap_or_default(),
            Payload::New(bytes) => bytes,
        }
    }
}

/// One file's entry for the next cache.
#[derive(Debug)]
pub(super) enum Fresh {
    /// Taken from the cache that was read (or read again for this one).
    Cached {
        key: FileKey,
        identity: Identity,
        print: u64,
        payload: Payload,
    },
    /// Parsed during the load: read again when the cache is written, in the
    /// background, so encoding it never delays the first frame.
    ToRead { key: FileKey, path: PathBuf },
}

impl Fresh {
    /// The entry of a file parsed during the load.
    pub(super) fn to_read(key: FileKey, path: &Path) -> Fresh {
        Fresh::ToRead {
            key,
            path: path.to_path_buf(),
        }
    }

    /// The entry as written: file, identity, fingerprint, record bytes. A
    /// file parsed during the load is read now (None: it is gone or
    /// damaged, and simply left out of the cache).
    fn into_written(self) -> Option<(FileKey, Identity, u64, Payload)> {
        match self {
            Fresh::Cached {
                key,
                identity,
                print,
                payload,
            } => Some((key, identity, print, payload)),
            Fresh::ToRead { key, path } => {
                // The identity is the one from before this read, as at load.
                let (bytes, identity) = read_with_identity(&path, super::cap_of(key)).ok()?;
                let print = super::fingerprint(&bytes);
                let text = super::text_of(bytes).ok()?;
                let parsed = super::parse_text(&super::Source::of(key, path), &text).ok()?;
                Some((key, identity, print, Payload::New(encode(&parsed)?)))
            }
        }
    }
}

impl CacheRead {
    /// Read the cache at `path`. A missing, damaged, foreign (another folder
    /// or another kith build) cache reads as None: every file gets parsed.
    pub(super) fn open(path: &Path, root: &Path) -> Option<CacheRead> {
        let (bytes, _) = guard::read_regular(path, guard::CACHE_FILE_CAP).ok()?;
        let (stamp_ns, entries) = Self::index(&bytes, root)?;
        Some(CacheRead {
            bytes: Arc::new(bytes),
            stamp_ns,
            entries,
        })
    }

    fn index(bytes: &[u8], root: &Path) -> Option<(i64, HashMap<FileKey, Entry>)> {
        let mut reader = ByteReader { bytes, at: 0 };
        let Header {
            schema: stored_schema,
            stamp_ns,
            root: stored_root,
        } = Header::read(&mut reader)?;
        let count = reader.u64()?;
        if stored_schema != schema()
            || reader.u64()? != header_sum(stamp_ns, stored_root, count)
            || stored_root != root_text(root).as_bytes()
        {
            return None;
        }
        let count = usize::try_from(count).ok()?;
        let mut entries = HashMap::with_capacity(count.min(bytes.len() / MIN_ENTRY_LEN));
        for _ in 0..count {
            let key = read_key(&mut reader)?;
            let identity = Identity::read_from(&mut reader)?;
            let print = reader.u64()?;
            let sum = reader.u64()?;
            let len = reader.u32()? as usize;
            let start = reader.at;
            reader.take(len)?;
            entries.insert(
                key,
                Entry {
                    identity,
                    print,
                    sum,
                    start,
                    end: start + len,
                },
            );
        }
        (reader.at == bytes.len()).then_some((stamp_ns, entries))
    }

    /// How many records the cache holds.
    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The cached record for the file at `key`, if the file on disk still is
    /// the one it came from (by `identity`, taken now) and the record is
    /// intact.
    pub(super) fn hit(&self, key: FileKey, identity: Identity) -> Option<Hit> {
        let entry = self.entries.get(&key)?;
        if entry.identity != identity || !identity.settled_at(self.stamp_ns) {
            return None;
        }
        let bytes = self.bytes.get(entry.start..entry.end)?;
        if entry_sum(key, &entry.identity, entry.print, bytes) != entry.sum {
            return None;
        }
        Some(Hit {
            parsed: decode(key, bytes)?,
            print: entry.print,
            identity,
            payload: Payload::Read(self.bytes.clone(), entry.start, entry.end),
        })
    }
}

/// The folder path as stored in a cache (to tell folders apart).
fn root_text(root: &Path) -> String {
    fs::canonicalize(root)
        .unwrap_or_else(|_| root.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// A new cache, waiting to be written (in the background, after the app is
/// usable).
pub struct CacheRefresh {
    path: PathBuf,
    root: String,
    stamp_ns: i64,
    entries: Vec<Fresh>,
}

impl std::fmt::Debug for CacheRefresh {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CacheRefresh")
            .field("path", &self.path)
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl CacheRefresh {
    /// A cache of `entries` for the folder `root`, whose load began at
    /// `stamp_ns`, to be written to `path`.
    pub(super) fn new(path: PathBuf, root: &Path, stamp_ns: i64, entries: Vec<Fresh>) -> Self {
        CacheRefresh {
            path,
            root: root_text(root),
            stamp_ns,
            entries,
        }
    }

    /// How many files must be read and parsed again to write it.
    pub fn files_to_read(&self) -> usize {
        self.entries
            .iter()
            .filter(|fresh| matches!(fresh, Fresh::ToRead { .. }))
            .count()
    }

    /// Where the cache goes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Write the cache atomically (owner-only), and clear out caches of
    /// folders not opened for two months and temp files a killed kith left.
    /// Files parsed during the load are read and parsed again here, one at
    /// a time, on the calling thread: run it in the background.
    pub fn write(self) -> io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        create_private_dir(dir)?;
        if let DirState::Refused(why) = dir_state(dir) {
            return Err(io::Error::other(format!(
                "cannot write the load cache into {}: {why}",
                guard::shown(dir)
            )));
        }
        forget_old_caches(dir, &self.path);
        let entries: Vec<(FileKey, Identity, u64, Payload)> = self
            .entries
            .into_iter()
            .filter_map(Fresh::into_written)
            .filter(|(.., payload)| u32::try_from(payload.bytes().len()).is_ok())
            .collect();
        write_atomic_with(&self.path, |file| {
            let mut out = BufWriter::with_capacity(1 << 20, file);
            let mut head = Vec::new();
            let header = Header {
                schema: schema(),
                stamp_ns: self.stamp_ns,
                root: self.root.as_bytes(),
            };
            header.write_to(&mut head)?;
            let count = entries.len() as u64;
            head.extend_from_slice(&count.to_le_bytes());
            let sum = header_sum(self.stamp_ns, self.root.as_bytes(), count);
            head.extend_from_slice(&sum.to_le_bytes());
            out.write_all(&head)?;
            let mut frame = Vec::with_capacity(128);
            for (key, identity, print, payload) in &entries {
                let bytes = payload.bytes();
                frame.clear();
                write_key(*key, &mut frame);
                identity.write_to(&mut frame);
                frame.extend_from_slice(&print.to_le_bytes());
                let sum = entry_sum(*key, identity, *print, bytes);
                frame.extend_from_slice(&sum.to_le_bytes());
                frame.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
                out.write_all(&frame)?;
                out.write_all(bytes)?;
            }
            out.flush()
        })
    }
}

/// Remove other folders' caches that were not written for [`FORGET_AFTER`],
/// and temp files of cache writes that never finished.
fn forget_old_caches(dir: &Path, keep: &Path) {
    sweep_temp_files(dir);
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let age = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .unwrap_or_default();
        let other_cache =
            name.ends_with(".cache") && !name.starts_with(TEMP_PREFIX) && path != keep;
        if other_cache && (age > FORGET_AFTER || folder_is_gone(&path)) {
            let _ = fs::remove_file(&path);
        }
    }
}

/// True when the cache at `path` belongs to a data folder that no longer
/// exists (deleted or moved; a cache that cannot be read says nothing).
fn folder_is_gone(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::new();
    let read = guard::open_regular(path)
        .map_err(io::Error::from)
        .and_then(|(file, _)| file.take(64 * 1024).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    let mut reader = ByteReader {
        bytes: &head,
        at: 0,
    };
    Header::read(&mut reader)
        .is_some_and(|header| !Path::new(&*String::from_utf8_lossy(header.root)).exists())
}
