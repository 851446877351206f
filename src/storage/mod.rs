//! The data folder: the only module that touches the disk.
//!
//! Layout (all RON, each file starting with `format: N`):
//! ```text
//! DATA/
//!   me.ron  settings.ron  interests.ron
//!   people/<uuid>.ron            one small file per person
//!   organizations/<uuid>.ron     one per organization
//!   interactions/YYYY-MM.ron     interactions grouped by month
//!   .kith.lock                   held while a kith writes here
//! ```
//! Saving is incremental (only records touched by actions) and atomic. A file
//! that fails to load is reported and *protected*: kith never writes over it
//! until the user sets it aside.

pub mod atomic;
mod cache;
mod fast_ron;
pub mod format;
pub mod guard;
pub mod photos;
mod reconcile;
pub mod sync_store;
mod synonyms;
mod watch;

pub use cache::{
    CacheRefresh, SETTLE as CACHE_SETTLE, cache_file, default_cache_dir, discard_cache,
};
pub use reconcile::{DiffLine, DiskConflict, Reconciled, Reload, line_diff};
pub use synonyms::{SYNONYMS_FILE, load_synonyms};
pub use watch::{DiskBatch, FolderWatcher, QUIET, read_changed};

use crate::action::Touched;
use crate::model::{InteractionId, Model, OrgId, PersonId, YearMonth};
use atomic::{
    TEMP_PREFIX, create_private_dir, remove_durably, write_atomic_checked, write_atomic_with,
};
use format::ParseError;
use guard::{DirState, Refused, dir_state, read_regular, shown};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Folder of people files.
pub const PEOPLE_DIR: &str = "people";
/// Folder of organization files.
pub const ORGS_DIR: &str = "organizations";
/// Folder of month files.
pub const INTERACTIONS_DIR: &str = "interactions";
/// Your profile.
pub const ME_FILE: &str = "me.ron";
/// Settings.
pub const SETTINGS_FILE: &str = "settings.ron";
/// Interest catalog.
pub const INTERESTS_FILE: &str = "interests.ron";
/// The single data files at the top of a folder.
const TOP_FILES: [&str; 3] = [ME_FILE, SETTINGS_FILE, INTERESTS_FILE];
/// The folders that hold one file per record (or per month).
const RECORD_DIRS: [&str; 3] = [PEOPLE_DIR, ORGS_DIR, INTERACTIONS_DIR];
/// Lock file name.
pub const LOCK_FILE: &str = ".kith.lock";
/// Folder of daily snapshots.
pub const BACKUPS_DIR: &str = "backups";
/// How many daily snapshots are kept.
pub const BACKUPS_KEPT: usize = 14;

/// The default data folder for this user and platform.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "kith", "kith").map(|dirs| dirs.data_dir().to_path_buf())
}

/// True when `dir` holds no kith data yet (missing or without any data file).
pub fn is_fresh(dir: &Path) -> bool {
    TOP_FILES
        .iter()
        .chain(&RECORD_DIRS)
        .all(|name| fs::symlink_metadata(dir.join(name)).is_err())
}

/// A file that failed to load; it is left untouched on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// The file.
    pub path: PathBuf,
    /// What went wrong, with line and column when known.
    pub error: ParseError,
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", shown(&self.path))?;
        if let (Some(line), Some(column)) = (self.error.line, self.error.column) {
            write!(f, ":{line}:{column}")?;
        }
        write!(f, ": {}", guard::escape_text(&self.error.message))
    }
}

/// Errors that stop the folder from being opened at all.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The folder could not be created or read.
    #[error("cannot use data folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// The folder does not exist (for read-only uses like `kith check`).
    #[error("no data folder at {0}")]
    Missing(PathBuf),
}

/// The result of reading a data folder.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Everything that loaded.
    pub model: Model,
    /// Files that did not.
    pub problems: Vec<LoadProblem>,
    /// Files kith does not recognise (left alone, listed for the user).
    pub unknown_files: Vec<PathBuf>,
    /// Conflicting copies a sync tool left (Syncthing's `.sync-conflict-`).
    pub sync_conflicts: Vec<PathBuf>,
    /// How many records came from the load cache instead of being parsed.
    pub from_cache: usize,
    /// A new load cache to write (after the app is usable), when the old one
    /// was missing or out of date.
    pub cache_refresh: Option<CacheRefresh>,
    /// The fingerprint of every file that loaded, as it was on disk.
    known: HashMap<FileKey, u64>,
    /// Records held in more than one file (another spelling of the id in
    /// the name): the other files, by record. Every file of such a record is
    /// protected, and the person is left out of newsletter exports.
    clashes: Clashes,
}

/// Files that spell a record's id another way, by record.
type Clashes = BTreeMap<FileKey, BTreeSet<PathBuf>>;

/// The people whose consent cannot be trusted while two files hold them.
fn consent_held_in(clashes: &Clashes) -> BTreeSet<PersonId> {
    clashes
        .keys()
        .filter_map(|key| match key {
            FileKey::Person(id) => Some(*id),
            _ => None,
        })
        .collect()
}

impl Loaded {
    /// People held in two files (see [`Store::consent_held`]): never put
    /// them in a newsletter export until the clash is resolved.
    pub fn consent_held(&self) -> BTreeSet<PersonId> {
        consent_held_in(&self.clashes)
    }
}

/// The most kith reads of the file at `key`.
fn cap_of(key: FileKey) -> u64 {
    match key {
        FileKey::Month(_) => guard::MONTH_FILE_CAP,
        _ => guard::RECORD_FILE_CAP,
    }
}

/// What a file name in a record folder means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stem {
    /// The file of this record, spelled as kith writes it.
    Canonical(FileKey),
    /// Another spelling of this record's id (UPPERCASE, no hyphens,
    /// `{braced}`, `urn:uuid:`): never loaded, reported, and protected.
    Alias(FileKey),
    /// Not a record file name.
    Other,
}

/// What the file `stem.ron` in the record folder `dir` is.
pub(crate) fn stem_kind(dir: &str, stem: &str) -> Stem {
    let key = match dir {
        PEOPLE_DIR => uuid::Uuid::parse_str(stem)
            .ok()
            .map(|id| FileKey::Person(PersonId(id))),
        ORGS_DIR => uuid::Uuid::parse_str(stem)
            .ok()
            .map(|id| FileKey::Org(OrgId(id))),
        INTERACTIONS_DIR => YearMonth::parse(stem).map(FileKey::Month),
        _ => None,
    };
    match key {
        Some(key) if record_name(key) == stem => Stem::Canonical(key),
        Some(key) => Stem::Alias(key),
        None => Stem::Other,
    }
}

/// The file name (without `.ron`) kith gives a record's file.
fn record_name(key: FileKey) -> String {
    match key {
        FileKey::Person(id) => id.to_string(),
        FileKey::Org(id) => id.to_string(),
        FileKey::Month(month) => month.to_string(),
        FileKey::Me => ME_FILE.trim_end_matches(".ron").to_string(),
        FileKey::Settings => SETTINGS_FILE.trim_end_matches(".ron").to_string(),
        FileKey::Interests => INTERESTS_FILE.trim_end_matches(".ron").to_string(),
    }
}

/// Where the file of `key` is in the data folder at `root`.
fn record_path(root: &Path, key: FileKey) -> PathBuf {
    match key {
        FileKey::Person(id) => root.join(PEOPLE_DIR).join(format!("{id}.ron")),
        FileKey::Org(id) => root.join(ORGS_DIR).join(format!("{id}.ron")),
        FileKey::Month(month) => root.join(INTERACTIONS_DIR).join(format!("{month}.ron")),
        FileKey::Me => root.join(ME_FILE),
        FileKey::Settings => root.join(SETTINGS_FILE),
        FileKey::Interests => root.join(INTERESTS_FILE),
    }
}

/// The problem reported for a file that spells a record's id another way.
fn alias_problem(root: &Path, key: FileKey) -> ParseError {
    let what = match key {
        FileKey::Person(_) => "this person is left out of newsletter exports and ",
        _ => "",
    };
    ParseError::plain(format!(
        "the file name spells the id {} another way; kith keeps one file per record, named {}.ron. Until only one of them is left, {what}kith writes neither file",
        record_name(key),
        shown(
            record_path(root, key)
                .with_extension("")
                .strip_prefix(root)
                .unwrap_or(Path::new(""))
        ),
    ))
}

/// A fingerprint of a file's bytes: tells "the file on disk is still the one
/// kith read or wrote" from "another program changed it".
fn fingerprint(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = crate::insight::fast_hash::FastHasher::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

/// True for a conflicting copy written by Syncthing.
pub fn is_sync_conflict(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().contains(".sync-conflict-"))
}

/// A file to read, by kind.
enum Source {
    Person(PersonId, PathBuf),
    Org(OrgId, PathBuf),
    Month(YearMonth, PathBuf),
    Me(PathBuf),
    Settings(PathBuf),
    Interests(PathBuf),
}

impl Source {
    /// Where the file is.
    fn path(&self) -> &Path {
        match self {
            Source::Person(_, path)
            | Source::Org(_, path)
            | Source::Month(_, path)
            | Source::Me(path)
            | Source::Settings(path)
            | Source::Interests(path) => path,
        }
    }

    /// The file this source is, by record.
    fn key(&self) -> FileKey {
        match self {
            Source::Person(id, _) => FileKey::Person(*id),
            Source::Org(id, _) => FileKey::Org(*id),
            Source::Month(month, _) => FileKey::Month(*month),
            Source::Me(_) => FileKey::Me,
            Source::Settings(_) => FileKey::Settings,
            Source::Interests(_) => FileKey::Interests,
        }
    }

    /// The source for a record file at `path`.
    fn of(key: FileKey, path: PathBuf) -> Source {
        match key {
            FileKey::Person(id) => Source::Person(id, path),
            FileKey::Org(id) => Source::Org(id, path),
            FileKey::Month(month) => Source::Month(month, path),
            FileKey::Me => Source::Me(path),
            FileKey::Settings => Source::Settings(path),
            FileKey::Interests => Source::Interests(path),
        }
    }
}

#[allow(clippy::large_enum_variant)] // short-lived, one per file
#[derive(Debug)]
enum Parsed {
    Person(crate::model::Person),
    Org(crate::model::Organization),
    Month(YearMonth, Vec<crate::model::Interaction>),
    Me(crate::model::Me),
    Settings(crate::model::Settings),
    Interests(crate::model::InterestCatalog),
}

impl Parsed {
    /// The file this record lives in.
    fn key(&self) -> FileKey {
        match self {
            Parsed::Person(person) => FileKey::Person(person.id),
            Parsed::Org(org) => FileKey::Org(org.id),
            Parsed::Month(month, _) => FileKey::Month(*month),
            Parsed::Me(_) => FileKey::Me,
            Parsed::Settings(_) => FileKey::Settings,
            Parsed::Interests(_) => FileKey::Interests,
        }
    }
}

/// The `.ron` files of one record folder, and what could not be read.
#[derive(Default)]
struct Listing {
    /// Regular files: (name without `.ron`, path).
    files: Vec<(String, PathBuf)>,
    /// Entries and folders kith refuses (links, FIFOs, folders in place of
    /// files, a record folder that is a link or a file): reported, never
    /// read, never written.
    refused: Vec<LoadProblem>,
}

/// List a record folder without following any link. Temp files are skipped,
/// other files are added to `unknown`.
fn list_dir(dir: &Path, unknown: &mut Vec<PathBuf>) -> Listing {
    let mut listing = Listing::default();
    let refuse = |path: &Path, message: String| LoadProblem {
        path: path.to_path_buf(),
        error: ParseError::plain(message),
    };
    match dir_state(dir) {
        DirState::Dir => {}
        DirState::Missing => return listing,
        DirState::Refused(why) => {
            listing.refused.push(refuse(dir, why));
            return listing;
        }
    }
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            listing
                .refused
                .push(refuse(dir, format!("cannot read the folder: {e}")));
            return listing;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                listing.refused.push(refuse(
                    dir,
                    format!("cannot read the folder to its end: {e}"),
                ));
                break;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) {
            continue;
        }
        match name.strip_suffix(".ron") {
            Some(stem) if !stem.starts_with('.') => {
                // The directory entry knows its type without following a link.
                match entry.file_type() {
                    Ok(t) if t.is_file() => listing.files.push((stem.to_string(), path)),
                    Ok(t) if t.is_symlink() => listing
                        .refused
                        .push(refuse(&path, Refused::Symlink.to_string())),
                    Ok(_) => match fs::symlink_metadata(&path) {
                        Ok(meta) if meta.is_file() => listing.files.push((stem.to_string(), path)),
                        _ => listing.refused.push(refuse(
                            &path,
                            "it is not a regular file; kith leaves it alone".into(),
                        )),
                    },
                    Err(e) => listing
                        .refused
                        .push(refuse(&path, format!("cannot look at it: {e}"))),
                }
            }
            _ => unknown.push(path),
        }
    }
    listing
}

/// Read every file of a data folder in parallel. Files that fail are listed,
/// the rest loads.
pub fn load_folder(root: &Path) -> Result<Loaded, StorageError> {
    load_folder_cached(root, None)
}

/// Like [`load_folder`], taking each record whose file has not changed from
/// the load cache at `cache` (see the `cache` module) instead of parsing
/// it. When the cache was missing or out of date, [`Loaded::cache_refresh`]
/// holds a new one to write.
pub fn load_folder_cached(root: &Path, cache: Option<&Path>) -> Result<Loaded, StorageError> {
    let stamp_ns = cache::nanos_since_epoch(std::time::SystemTime::now());
    load_folder_at(root, cache, stamp_ns)
}

/// [`load_folder_cached`] for a load that began at `stamp_ns` (tests move
/// it forward, past the settling time of files they just wrote).
fn load_folder_at(
    root: &Path,
    cache: Option<&Path>,
    stamp_ns: i64,
) -> Result<Loaded, StorageError> {
    if !root.is_dir() {
        return Err(StorageError::Missing(root.to_path_buf()));
    }
    let mut unknown_files = Vec::new();
    let mut refused = Vec::new();
    let mut aliases: Vec<(FileKey, PathBuf)> = Vec::new();
    let mut sources = Vec::new();
    for dir in RECORD_DIRS {
        let listing = list_dir(&root.join(dir), &mut unknown_files);
        refused.extend(listing.refused);
        for (stem, path) in listing.files {
            match stem_kind(dir, &stem) {
                Stem::Canonical(key) => sources.push(Source::of(key, path)),
                Stem::Alias(key) => aliases.push((key, path)),
                Stem::Other => unknown_files.push(path),
            }
        }
    }
    for (name, make) in [
        (ME_FILE, Source::Me as fn(PathBuf) -> Source),
        (SETTINGS_FILE, Source::Settings),
        (INTERESTS_FILE, Source::Interests),
    ] {
        let path = root.join(name);
        // A link or a FIFO here is read (and refused) too: never skipped
        // silently, or a save would replace it.
        if fs::symlink_metadata(&path).is_ok() {
            sources.push(make(path));
        }
    }

    // Month files are few and large (a whole month of interactions each):
    // start them first and hand out work in small pieces, so both cores stay
    // busy to the end instead of one finishing the months alone. The rest
    // go in id order, so the maps below are built without sorting records.
    sources.sort_by_key(|source| (!matches!(source, Source::Month(..)), source.key()));
    let cached = cache.and_then(|path| cache::CacheRead::open(path, root));
    let keep_cache = cache.is_some();
    let results: Vec<Result<Read, LoadProblem>> = sources
        .into_par_iter()
        .with_max_len(64)
        .map(|source| read_source(source, cached.as_ref(), keep_cache))
        .collect();

    let mut loaded = Loaded {
        unknown_files,
        problems: refused,
        ..Default::default()
    };
    for (key, path) in aliases {
        loaded.problems.push(LoadProblem {
            path: path.clone(),
            error: alias_problem(root, key),
        });
        loaded.clashes.entry(key).or_default().insert(path);
    }
    let mut fresh = Vec::new();
    let model = &mut loaded.model;
    let mut months: Vec<Vec<crate::model::Interaction>> = Vec::new();
    let mut people = Vec::new();
    let mut orgs = Vec::new();
    let mut known = Vec::with_capacity(results.len());
    for result in results {
        let read = match result {
            Ok(read) => read,
            Err(problem) => {
                loaded.problems.push(problem);
                continue;
            }
        };
        let parsed = read.parsed;
        known.push((parsed.key(), read.print));
        loaded.from_cache += usize::from(read.from_cache);
        fresh.extend(read.fresh);
        match parsed {
            Parsed::Person(person) => people.push((person.id, person)),
            Parsed::Org(org) => orgs.push((org.id, org)),
            Parsed::Month(_, list) => months.push(list),
            Parsed::Me(me) => model.me = me,
            Parsed::Settings(settings) => model.settings = settings,
            Parsed::Interests(interests) => model.interests = interests,
        }
    }
    // People and organizations arrive in id order: their maps are built in
    // one pass (`collect` finds them sorted). Interactions are merged from
    // the months (each sorted by id, as kith writes them) beside that.
    let ((people, orgs, known), interactions) = rayon::join(
        || {
            (
                people.into_iter().collect(),
                orgs.into_iter().collect(),
                known.into_iter().collect(),
            )
        },
        || merge_months(months).into_iter().collect(),
    );
    model.people = people;
    model.orgs = orgs;
    model.interactions = interactions;
    loaded.known = known;
    // The user's synonyms (read only, never written; see `synonyms.rs`).
    let (synonyms, problem) = synonyms::load_synonyms(root);
    loaded.model.synonyms = synonyms;
    loaded.problems.extend(problem);
    loaded.problems.sort_by(|a, b| a.path.cmp(&b.path));
    let (conflicts, unknown): (Vec<PathBuf>, Vec<PathBuf>) = loaded
        .unknown_files
        .drain(..)
        .partition(|p| is_sync_conflict(p));
    loaded.unknown_files = unknown;
    loaded.sync_conflicts = conflicts;
    loaded.unknown_files.sort();
    loaded.sync_conflicts.sort();
    // A new cache when anything had to be parsed, or a cached file is gone.
    let parsed_now = fresh.len() - loaded.from_cache;
    let out_of_date = cached
        .as_ref()
        .is_none_or(|cached| parsed_now > 0 || cached.len() != loaded.from_cache);
    if let Some(path) = cache
        && out_of_date
    {
        loaded.cache_refresh = Some(CacheRefresh::new(path.to_path_buf(), root, stamp_ns, fresh));
    }
    Ok(loaded)
}

/// One data file, read.
struct Read {
    parsed: Parsed,
    print: u64,
    from_cache: bool,
    /// Its entry for the next load cache (when a cache is kept).
    fresh: Option<cache::Fresh>,
}

/// Take one file's record from the load cache if the file is unchanged,
/// else read and parse it.
fn read_source(
    source: Source,
    cached: Option<&cache::CacheRead>,
    keep_cache: bool,
) -> Result<Read, LoadProblem> {
    let key = source.key();
    if let Some(cached) = cached
        && let Ok(meta) = fs::symlink_metadata(source.path())
        && meta.is_file()
        && let Some(hit) = cached.hit(key, cache::Identity::of(&meta))
    {
        let print = hit.print;
        let (parsed, fresh) = hit.into_fresh(key);
        return Ok(Read {
            parsed,
            print,
            from_cache: true,
            fresh: Some(fresh),
        });
    }
    let fresh = keep_cache.then(|| cache::Fresh::to_read(key, source.path()));
    let (parsed, print) = parse_source(source)?;
    Ok(Read {
        parsed,
        print,
        from_cache: false,
        fresh,
    })
}

/// The interactions of every month file (in month order), as one list in id
/// order: each month is sorted (kith writes them sorted; a file edited by
/// hand may not be), then the months are merged. An id in two months comes
/// out twice, the later month last, so it wins when the map is built.
fn merge_months(
    mut months: Vec<Vec<crate::model::Interaction>>,
) -> Vec<(InteractionId, crate::model::Interaction)> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    months.par_iter_mut().for_each(|list| {
        if !list.is_sorted_by_key(|i| i.id) {
            list.sort_by_key(|i| i.id);
        }
    });
    let mut merged = Vec::with_capacity(months.iter().map(Vec::len).sum());
    let mut lists: Vec<_> = months.into_iter().map(Vec::into_iter).collect();
    let mut heads: Vec<_> = lists.iter_mut().map(Iterator::next).collect();
    let mut next_ids: BinaryHeap<Reverse<(InteractionId, usize)>> = heads
        .iter()
        .enumerate()
        .filter_map(|(month, head)| head.as_ref().map(|i| Reverse((i.id, month))))
        .collect();
    while let Some(Reverse((_, month))) = next_ids.pop() {
        let next = lists[month].next();
        if let Some(interaction) = &next {
            next_ids.push(Reverse((interaction.id, month)));
        }
        if let Some(interaction) = std::mem::replace(&mut heads[month], next) {
            merged.push((interaction.id, interaction));
        }
    }
    merged
}

/// Read and parse one file; on success also its fingerprint.
fn parse_source(source: Source) -> Result<(Parsed, u64), LoadProblem> {
    let path = source.path().to_path_buf();
    let outcome = read_regular(&path, cap_of(source.key()))
        .map_err(|refused| ParseError::plain(refused.to_string()))
        .and_then(|(bytes, _)| {
            let print = fingerprint(&bytes);
            let text = text_of(bytes)?;
            parse_text(&source, &text).map(|parsed| (parsed, print))
        });
    outcome.map_err(|error| LoadProblem { path, error })
}

/// Parse a file's text as the record kind its name says.
fn parse_text(source: &Source, text: &str) -> Result<Parsed, ParseError> {
    match source {
        Source::Person(id, _) => format::read_person(text).and_then(|p| {
            if p.id == *id {
                Ok(Parsed::Person(p))
            } else {
                Err(id_mismatch(p.id))
            }
        }),
        Source::Org(id, _) => format::read_org(text).and_then(|o| {
            if o.id == *id {
                Ok(Parsed::Org(o))
            } else {
                Err(id_mismatch(o.id))
            }
        }),
        Source::Month(month, _) => format::read_month(text).and_then(|list| {
            match list.iter().find(|i| YearMonth::of(i.date) != *month) {
                Some(stray) => Err(ParseError::plain(format!(
                    "interaction {} is dated {}, outside {month}",
                    stray.id, stray.date
                ))),
                None => Ok(Parsed::Month(*month, list)),
            }
        }),
        Source::Me(_) => format::read_me(text).map(Parsed::Me),
        Source::Settings(_) => format::read_settings(text).map(Parsed::Settings),
        Source::Interests(_) => format::read_interests(text).map(Parsed::Interests),
    }
}

fn id_mismatch(inside: impl fmt::Display) -> ParseError {
    ParseError::plain(format!(
        "the id inside ({inside}) does not match the file name"
    ))
}

/// A data file's bytes as text: UTF-8 (with the line of the first bad byte;
/// a leading byte-order mark, as old Notepad writes, is dropped), and no git
/// conflict markers.
fn text_of(mut bytes: Vec<u8>) -> Result<String, ParseError> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        ParseError {
            line: Some(line),
            column: None,
            message: "the file is not valid UTF-8 text".into(),
        }
    })?;
    // A git merge left both sides in the file: say so plainly.
    let has_marker =
        |marker: &str| text.starts_with(marker) || text.contains(&format!("\n{marker}"));
    if has_marker("<<<<<<< ")
        && has_marker(">>>>>>> ")
        && let Some(index) = text.lines().position(|l| l.starts_with("<<<<<<< "))
    {
        return Err(ParseError {
            line: Some(index + 1),
            column: Some(1),
            message: "unresolved merge conflict (<<<<<<< and >>>>>>> markers from git): keep one side in a text editor, then reopen kith".into(),
        });
    }
    Ok(text)
}

/// A file kith will write on the next save.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum FileKey {
    Person(PersonId),
    Org(OrgId),
    Month(YearMonth),
    Me,
    Settings,
    Interests,
}

impl FileKey {
    /// The record folder the file is in (None: at the top of the folder).
    fn dir(self) -> Option<&'static str> {
        match self {
            FileKey::Person(_) => Some(PEOPLE_DIR),
            FileKey::Org(_) => Some(ORGS_DIR),
            FileKey::Month(_) => Some(INTERACTIONS_DIR),
            FileKey::Me | FileKey::Settings | FileKey::Interests => None,
        }
    }
}

/// Make sure `dir` is a real folder kith may write into: created (0700) if
/// missing, refused if it is a link or a file.
fn ensure_record_dir(dir: &Path) -> Result<(), String> {
    match dir_state(dir) {
        DirState::Dir => Ok(()),
        DirState::Missing => {
            let mut builder = fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            match builder.create(dir) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match dir_state(dir) {
                    DirState::Dir => Ok(()),
                    _ => Err("something else appeared in its place".into()),
                },
                Err(e) => Err(e.to_string()),
            }
        }
        DirState::Refused(why) => Err(why),
    }
}

/// What a save did.
#[derive(Debug, Default)]
pub struct SaveReport {
    /// Files written or removed.
    pub written: usize,
    /// Files not written because the file on disk failed to load; kept dirty.
    pub blocked: Vec<PathBuf>,
    /// Files that could not be written (disk full, permissions); kept dirty.
    pub failed: Vec<(PathBuf, String)>,
    /// Files another program changed since kith last read or wrote them:
    /// not written, kept dirty, so the change on disk is not overwritten.
    /// Read them with [`read_changed`] and [`Store::reconcile`] to show the
    /// conflict.
    pub changed_on_disk: Vec<PathBuf>,
}

impl SaveReport {
    /// True when everything that was dirty is now on disk.
    pub fn is_complete(&self) -> bool {
        self.blocked.is_empty() && self.failed.is_empty() && self.changed_on_disk.is_empty()
    }
}

/// Why the folder is open read-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOnly {
    /// An explanation for the user.
    pub reason: String,
}

/// An open data folder: lock, protected files, and the set of dirty records.
#[derive(Debug)]
pub struct Store {
    root: PathBuf,
    lock: Option<HeldLock>,
    read_only: Option<ReadOnly>,
    protected: HashSet<PathBuf>,
    dirty: BTreeSet<FileKey>,
    month_index: HashMap<YearMonth, BTreeSet<InteractionId>>,
    /// Fingerprint of each file as kith last read or wrote it; a file whose
    /// bytes differ was changed by another program.
    known: HashMap<FileKey, u64>,
    /// Files with an open conflict (changed on disk and here): not written
    /// until the user picks a side.
    held: BTreeSet<FileKey>,
    /// Records another file also claims (see [`Loaded::consent_held`]).
    clashes: Clashes,
}

impl Store {
    /// Open (creating if needed) a data folder: take the lock and load
    /// everything. If another kith holds the lock, the store is read-only.
    pub fn open(root: &Path) -> Result<(Store, Loaded), StorageError> {
        Self::open_cached(root, None)
    }

    /// Like [`Store::open`], with the load cache at `cache` (see
    /// [`load_folder_cached`]). A read-only store never writes the cache.
    pub fn open_cached(root: &Path, cache: Option<&Path>) -> Result<(Store, Loaded), StorageError> {
        create_private_dir(root).map_err(|source| StorageError::Folder {
            path: root.to_path_buf(),
            source,
        })?;
        let (lock, read_only) = match take_lock(root) {
            Ok(file) => (Some(file), None),
            Err(reason) => (None, Some(ReadOnly { reason })),
        };
        let mut loaded = load_folder_cached(root, cache)?;
        if read_only.is_some() {
            loaded.cache_refresh = None;
        }
        let mut store = Store {
            root: root.to_path_buf(),
            lock,
            read_only,
            protected: loaded.problems.iter().map(|p| p.path.clone()).collect(),
            dirty: BTreeSet::new(),
            month_index: HashMap::new(),
            known: std::mem::take(&mut loaded.known),
            held: BTreeSet::new(),
            clashes: loaded.clashes.clone(),
        };
        // Both walk 100k entries at scale: one core each.
        let sweep = store.lock.is_some();
        let root = store.root.clone();
        let (month_index, ()) = rayon::join(
            || month_index_of(&loaded.model),
            || {
                if sweep {
                    remove_stale_temp_files(&root);
                }
            },
        );
        store.month_index = month_index;
        Ok((store, loaded))
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Why the folder is read-only, if it is.
    pub fn read_only(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }

    /// Files that failed to load and are protected from writes.
    pub fn protected_files(&self) -> impl Iterator<Item = &PathBuf> {
        self.protected.iter()
    }

    /// True when changes wait to be saved.
    pub fn is_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// Never write this file (it cannot be taken in; the user must look at it).
    pub fn protect(&mut self, path: &Path) {
        self.protected.insert(path.to_path_buf());
    }

    /// How many files wait for the user to resolve a conflict.
    pub fn held_count(&self) -> usize {
        self.held.len()
    }

    /// People held in two files (one of them spells the id another way):
    /// their newsletter consent cannot be trusted, so every newsletter
    /// export leaves them out until one file is removed.
    pub fn consent_held(&self) -> BTreeSet<PersonId> {
        consent_held_in(&self.clashes)
    }

    /// True when the file at `key` on disk is still the one kith last read
    /// or wrote (or is still absent, if kith never saw it).
    fn disk_is_known(&self, key: FileKey, path: &Path) -> Result<bool, Refused> {
        match read_regular(path, cap_of(key)) {
            Ok((bytes, _)) => Ok(self.known.get(&key) == Some(&fingerprint(&bytes))),
            Err(Refused::Missing) => Ok(!self.known.contains_key(&key)),
            Err(refused) => Err(refused),
        }
    }

    /// Before a write: make sure this kith still holds the folder lock. If
    /// the lock file was replaced (a sync tool renames over it) or removed
    /// (`git clean`), take it again; if another kith has it now, stop
    /// writing (the store turns read-only and says why).
    fn ensure_lock(&mut self) -> Result<(), String> {
        if let Some(reason) = &self.read_only {
            return Err(reason.reason.clone());
        }
        if self
            .lock
            .as_ref()
            .is_some_and(|lock| lock.is_current(&self.root))
        {
            return Ok(());
        }
        match take_lock(&self.root) {
            Ok(lock) => {
                self.lock = Some(lock);
                Ok(())
            }
            Err(why) => {
                let reason = format!(
                    "The lock file {} was replaced or removed by another program, and kith could not take it again ({why}). kith stopped writing to this folder; your changes are kept in memory. Close this window and reopen the folder.",
                    shown(&self.root.join(LOCK_FILE))
                );
                self.lock = None;
                self.read_only = Some(ReadOnly {
                    reason: reason.clone(),
                });
                Err(reason)
            }
        }
    }

    /// Note the fingerprint of the file at `key` as it now is on disk
    /// (None: absent), after kith wrote it or took it in.
    fn remember(&mut self, key: FileKey, print: Option<u64>) {
        match print {
            Some(print) => self.known.insert(key, print),
            None => self.known.remove(&key),
        };
    }

    fn rebuild_month_index(&mut self, model: &Model) {
        self.month_index = month_index_of(model);
    }

    /// Mark everything as needing a save (after first run or ReplaceAll).
    pub fn mark_all_dirty(&mut self, model: &Model) {
        self.rebuild_month_index(model);
        self.dirty
            .extend([FileKey::Me, FileKey::Settings, FileKey::Interests]);
        self.dirty
            .extend(model.people.keys().map(|id| FileKey::Person(*id)));
        self.dirty
            .extend(model.orgs.keys().map(|id| FileKey::Org(*id)));
        self.dirty
            .extend(self.month_index.keys().map(|m| FileKey::Month(*m)));
        // Records that exist on disk but not in the model must be removed.
        let mut ignore = Vec::new();
        for dir in RECORD_DIRS {
            for (stem, _) in list_dir(&self.root.join(dir), &mut ignore).files {
                if let Stem::Canonical(key) = stem_kind(dir, &stem) {
                    self.dirty.insert(key);
                }
            }
        }
    }

    /// Record what actions touched; the next [`Store::save`] writes those files.
    pub fn note_changes(&mut self, touched: &[Touched], model: &Model) {
        for change in touched {
            let keys = self.follow(change);
            if matches!(change, Touched::All) {
                self.mark_all_dirty(model);
            }
            self.dirty.extend(keys);
        }
    }

    /// Record changes that came *from* the disk (a reload): the month index
    /// follows them, but nothing becomes dirty, since the files already hold
    /// these versions.
    pub fn note_reloaded(&mut self, touched: &[Touched], model: &Model) {
        for change in touched {
            if matches!(change, Touched::All) {
                self.rebuild_month_index(model);
            }
            self.follow(change);
        }
    }

    /// Keep the month index in step with a change; returns the files it touches.
    fn follow(&mut self, change: &Touched) -> Vec<FileKey> {
        match change {
            Touched::Person(id) => vec![FileKey::Person(*id)],
            Touched::Org(id) => vec![FileKey::Org(*id)],
            Touched::Interaction {
                id, before, after, ..
            } => {
                let mut keys = Vec::new();
                if let Some(month) = before {
                    if let Some(set) = self.month_index.get_mut(month) {
                        set.remove(id);
                    }
                    keys.push(FileKey::Month(*month));
                }
                if let Some(month) = after {
                    self.month_index.entry(*month).or_default().insert(*id);
                    keys.push(FileKey::Month(*month));
                }
                keys
            }
            Touched::Interests => vec![FileKey::Interests],
            Touched::Me => vec![FileKey::Me],
            Touched::Settings => vec![FileKey::Settings],
            Touched::All => Vec::new(),
        }
    }

    fn path_of(&self, key: FileKey) -> PathBuf {
        record_path(&self.root, key)
    }

    /// Serialise one file; None means the record is gone and the file should be removed.
    fn render(&self, key: FileKey, model: &Model) -> Result<Option<String>, ron::Error> {
        match key {
            FileKey::Person(id) => model.people.get(&id).map(format::write_person).transpose(),
            FileKey::Org(id) => model.orgs.get(&id).map(format::write_org).transpose(),
            FileKey::Month(month) => {
                let list: Vec<_> = self
                    .month_index
                    .get(&month)
                    .into_iter()
                    .flatten()
                    .filter_map(|id| model.interactions.get(id))
                    .collect();
                if list.is_empty() {
                    Ok(None)
                } else {
                    format::write_month(list).map(Some)
                }
            }
            FileKey::Me => format::write_me(&model.me).map(Some),
            FileKey::Settings => format::write_settings(&model.settings).map(Some),
            FileKey::Interests => format::write_interests(&model.interests).map(Some),
        }
    }

    /// Write every dirty file atomically. Files that fail stay dirty and are
    /// retried on the next save; protected files are never written.
    pub fn save(&mut self, model: &Model) -> SaveReport {
        let mut report = SaveReport::default();
        if self.read_only.is_some() {
            return report;
        }
        let keys: Vec<FileKey> = self.dirty.difference(&self.held).copied().collect();
        if keys.is_empty() {
            return report;
        }
        if let Err(reason) = self.ensure_lock() {
            report.failed.push((self.root.join(LOCK_FILE), reason));
            return report;
        }
        // Each record folder must be a real folder (never a link to one).
        let mut dirs: HashMap<&str, Result<(), String>> = HashMap::new();
        let mut lock_lost = false;
        for key in keys {
            let path = self.path_of(key);
            if self.protected.contains(&path)
                || self.clashes.contains_key(&key)
                || path
                    .parent()
                    .is_some_and(|dir| self.protected.contains(dir))
            {
                report.blocked.push(path);
                continue;
            }
            if let Some(dir) = key.dir() {
                let ready = dirs
                    .entry(dir)
                    .or_insert_with(|| ensure_record_dir(&self.root.join(dir)));
                if let Err(why) = ready {
                    report
                        .failed
                        .push((path, format!("cannot write into its folder: {why}")));
                    continue;
                }
            }
            // Compare and swap: never write over a change another program
            // made since kith last looked at this file.
            match self.disk_is_known(key, &path) {
                Ok(true) => {}
                Ok(false) => {
                    report.changed_on_disk.push(path);
                    continue;
                }
                Err(refused) => {
                    report
                        .failed
                        .push((path, format!("cannot read it first: {refused}")));
                    continue;
                }
            }
            let lock = (&self.root, self.lock.as_ref());
            let still_locked = || match lock {
                (root, Some(held)) if held.is_current(root) => Ok(()),
                _ => Err(io::Error::other(
                    "the folder lock was replaced or removed by another program; not written",
                )),
            };
            let outcome = match self.render(key, model) {
                Ok(Some(text)) => write_atomic_checked(
                    &path,
                    |file| file.write_all(text.as_bytes()),
                    still_locked,
                )
                .map(|()| Some(fingerprint(text.as_bytes())))
                .map_err(|e| e.to_string()),
                Ok(None) => still_locked()
                    .and_then(|()| remove_durably(&path))
                    .map(|()| None)
                    .map_err(|e| e.to_string()),
                Err(e) => Err(format!("cannot serialise: {e}")),
            };
            match outcome {
                Ok(print) => {
                    self.remember(key, print);
                    self.dirty.remove(&key);
                    report.written += 1;
                }
                Err(message) => {
                    lock_lost |= !self.lock.as_ref().is_some_and(|l| l.is_current(&self.root));
                    report.failed.push((path, message));
                }
            }
            if lock_lost {
                break;
            }
        }
        if lock_lost && let Err(reason) = self.ensure_lock() {
            report.failed.push((self.root.join(LOCK_FILE), reason));
        }
        report
    }

    /// Move a damaged file aside (renamed to `NAME.damaged-TIMESTAMP`) so kith
    /// may write a fresh one. Nothing is deleted. Returns the new path.
    pub fn set_aside(&mut self, path: &Path) -> io::Result<PathBuf> {
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = path.with_file_name(format!("{name}.damaged-{stamp}"));
        fs::rename(path, &target)?;
        atomic::sync_dir(path.parent().unwrap_or(Path::new(".")))?;
        self.protected.remove(path);
        Ok(target)
    }
}

/// The interactions of each month file.
fn month_index_of(model: &Model) -> HashMap<YearMonth, BTreeSet<InteractionId>> {
    // Interactions come in id order, so each month's list is sorted and its
    // set is built in one pass.
    let mut by_month: HashMap<YearMonth, Vec<InteractionId>> = HashMap::new();
    for interaction in model.interactions.values() {
        by_month
            .entry(interaction.month())
            .or_default()
            .push(interaction.id);
    }
    by_month
        .into_iter()
        .map(|(month, ids)| (month, ids.into_iter().collect()))
        .collect()
}

/// Remove temp files a killed kith left behind: only those no process holds
/// (see [`atomic::sweep_temp_files`]), so a write in progress, of this kith
/// or of any other, is never touched.
fn remove_stale_temp_files(root: &Path) {
    atomic::sweep_temp_files(root);
    for dir in RECORD_DIRS {
        let dir = root.join(dir);
        if matches!(dir_state(&dir), DirState::Dir) {
            atomic::sweep_temp_files(&dir);
        }
    }
}

/// First line of a backup bundle.
const BUNDLE_MAGIC: &str = "kith-bundle 1";

/// Write today's backup of the data folder (`backups/kith-YYYY-MM-DD.bundle`)
/// if there is none yet, and keep only the newest [`BACKUPS_KEPT`]. The
/// bundle is the data files as they are on disk, one after another, each
/// behind a `--- path length` line: no parsing and no model needed, so it
/// runs in the background after the folder opened. Returns the new file.
///
/// Only regular files are copied: a link (to a private key, say) or a FIFO
/// in the folder is never read, so nothing from outside the folder can get
/// into a backup. A `backups` that is a link or a file is refused.
pub fn daily_backup(root: &Path, today: chrono::NaiveDate) -> io::Result<Option<PathBuf>> {
    let dir = root.join(BACKUPS_DIR);
    ensure_record_dir(&dir)
        .map_err(|why| io::Error::other(format!("cannot back up into {}: {why}", shown(&dir))))?;
    let path = dir.join(format!("kith-{today}.bundle"));
    let written = if list_backups(root).iter().any(|(date, _)| *date == today) {
        None
    } else {
        let mut files: Vec<(String, PathBuf, FileKey)> = Vec::new();
        for (name, key) in [
            (ME_FILE, FileKey::Me),
            (SETTINGS_FILE, FileKey::Settings),
            (INTERESTS_FILE, FileKey::Interests),
        ] {
            files.push((name.to_string(), root.join(name), key));
        }
        for sub in RECORD_DIRS {
            let mut ignored = Vec::new();
            let mut listed = list_dir(&root.join(sub), &mut ignored).files;
            listed.sort();
            // Another spelling of an id is not a record of its own: the
            // loader reports it, and a restore would refuse it.
            files.extend(listed.into_iter().filter_map(|(stem, file)| {
                let Stem::Canonical(key) = stem_kind(sub, &stem) else {
                    return None;
                };
                Some((format!("{sub}/{stem}.ron"), file, key))
            }));
        }
        write_atomic_with(&path, |file| {
            let mut out = io::BufWriter::with_capacity(1 << 16, file);
            writeln!(out, "{BUNDLE_MAGIC}")?;
            for (name, file, key) in &files {
                let bytes = match read_regular(file, cap_of(*key)) {
                    Ok((bytes, _)) => bytes,
                    // Deleted by a save since the listing: not part of the
                    // folder now. Links, FIFOs and oversized files are
                    // reported by the loader and never copied.
                    Err(_) => continue,
                };
                writeln!(out, "--- {name} {}", bytes.len())?;
                out.write_all(&bytes)?;
                writeln!(out)?;
            }
            out.flush()
        })?;
        Some(path)
    };
    for (_, old) in list_backups(root).iter().skip(BACKUPS_KEPT) {
        remove_durably(old)?;
    }
    Ok(written)
}

/// Daily backups in a data folder (bundles, and snapshots of older
/// versions), newest first. Only regular files count (never a link).
pub fn list_backups(root: &Path) -> Vec<(chrono::NaiveDate, PathBuf)> {
    let dir = root.join(BACKUPS_DIR);
    if !matches!(dir_state(&dir), DirState::Dir) {
        return Vec::new();
    }
    let mut list: Vec<(chrono::NaiveDate, PathBuf)> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix("kith-")?;
            let date = rest
                .strip_suffix(".bundle")
                .or_else(|| rest.strip_suffix(".ron"))?;
            let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
            Some((date, entry.path()))
        })
        .collect();
    list.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    list
}

/// The most kith reads of a whole-model snapshot from an older version.
const SNAPSHOT_FILE_CAP: u64 = 1 << 30;

/// Read a backup: a bundle written by [`daily_backup`], or a whole-model
/// snapshot from an older version. A bundle is streamed, entry by entry,
/// into a private temporary folder (each entry capped like the file it
/// stands for) and read like a data folder, so every file is checked the
/// same way; any file that fails is reported.
pub fn read_backup(path: &Path) -> Result<Model, ParseError> {
    use io::{BufRead, Read};
    let refused = |refused: Refused| ParseError::plain(refused.to_string());
    let (file, meta) = guard::open_regular(path).map_err(refused)?;
    if meta.len() > guard::BUNDLE_FILE_CAP {
        return Err(refused(Refused::TooLarge {
            size: meta.len(),
            cap: guard::BUNDLE_FILE_CAP,
        }));
    }
    let mut reader = io::BufReader::with_capacity(1 << 16, file);
    let damaged = |what: &str| {
        ParseError::plain(format!(
            "the backup bundle is damaged: {}",
            guard::escape_text(what)
        ))
    };
    let read_error = |e: io::Error| ParseError::plain(format!("cannot read: {e}"));
    let mut first = Vec::new();
    (&mut reader)
        .take(BUNDLE_MAGIC.len() as u64 + 1)
        .read_to_end(&mut first)
        .map_err(read_error)?;
    if first != format!("{BUNDLE_MAGIC}\n").as_bytes() {
        if meta.len() > SNAPSHOT_FILE_CAP {
            return Err(refused(Refused::TooLarge {
                size: meta.len(),
                cap: SNAPSHOT_FILE_CAP,
            }));
        }
        (&mut reader)
            .take(SNAPSHOT_FILE_CAP)
            .read_to_end(&mut first)
            .map_err(read_error)?;
        let text = text_of(first)?;
        return format::read_snapshot(&text).map(|(model, _)| model);
    }
    let scratch = tempfile::Builder::new()
        .prefix(".kith-restore-")
        .tempdir()
        .map_err(|e| ParseError::plain(format!("cannot unpack the backup: {e}")))?;
    let mut header = Vec::new();
    loop {
        header.clear();
        (&mut reader)
            .take(4096)
            .read_until(b'\n', &mut header)
            .map_err(read_error)?;
        if header.is_empty() {
            break;
        }
        let line = header
            .strip_suffix(b"\n")
            .ok_or_else(|| damaged("a header line has no end"))?;
        let line = std::str::from_utf8(line).map_err(|_| damaged("bad header"))?;
        let (name, len) = line
            .strip_prefix("--- ")
            .and_then(|h| h.rsplit_once(' '))
            .ok_or_else(|| damaged(line))?;
        let len: u64 = len.parse().map_err(|_| damaged(line))?;
        let top = match name {
            ME_FILE => Some(FileKey::Me),
            SETTINGS_FILE => Some(FileKey::Settings),
            INTERESTS_FILE => Some(FileKey::Interests),
            _ => None,
        };
        let key = top.or_else(|| {
            RECORD_DIRS.iter().find_map(|dir| {
                let file = name.strip_prefix(dir)?.strip_prefix('/')?;
                let stem = file.strip_suffix(".ron")?;
                if stem.contains(['/', '\\']) || stem.starts_with('.') {
                    return None;
                }
                match stem_kind(dir, stem) {
                    Stem::Canonical(key) => Some(key),
                    Stem::Alias(_) | Stem::Other => None,
                }
            })
        });
        let Some(key) = key else {
            return Err(damaged(&format!("unexpected entry {name}")));
        };
        if len > cap_of(key) {
            return Err(damaged(&format!(
                "{name} is {}, over the limit for its kind",
                guard::human_size(len)
            )));
        }
        let target = scratch.path().join(name);
        if let Some(parent) = target.parent() {
            create_private_dir(parent).map_err(|e| damaged(&e.to_string()))?;
        }
        let mut out = File::create(&target).map_err(|e| damaged(&e.to_string()))?;
        let copied = io::copy(&mut (&mut reader).take(len), &mut out)
            .map_err(|e| damaged(&e.to_string()))?;
        if copied != len {
            return Err(damaged(&format!("{name} is cut short")));
        }
        let mut end = [0u8; 1];
        let _ = reader.read(&mut end).map_err(read_error)?;
    }
    let loaded = load_folder(scratch.path()).map_err(|e| ParseError::plain(e.to_string()))?;
    if let Some(problem) = loaded.problems.first() {
        let name = problem
            .path
            .strip_prefix(scratch.path())
            .unwrap_or(&problem.path);
        return Err(ParseError::plain(format!(
            "{} in the backup: {}",
            shown(name),
            problem.error
        )));
    }
    Ok(loaded.model)
}

/// The folder lock this kith holds, and which file it is (to notice the
/// lock file being replaced or removed by another program).
#[derive(Debug)]
struct HeldLock {
    file: File,
    #[cfg(unix)]
    identity: (u64, u64),
}

impl HeldLock {
    /// True when the lock file at `root` is still the file this lock is on.
    fn is_current(&self, root: &Path) -> bool {
        let Ok(at_path) = fs::symlink_metadata(root.join(LOCK_FILE)) else {
            return false;
        };
        if !at_path.is_file() {
            return false;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            (at_path.dev(), at_path.ino()) == self.identity
        }
        #[cfg(not(unix))]
        {
            let _ = &self.file;
            true
        }
    }
}

/// Take the folder lock. The lock file is opened without following a link
/// and must be a regular file, so a `.kith.lock` that points anywhere else
/// (a synced link to `~/.ssh/authorized_keys`) is refused, never truncated.
fn take_lock(root: &Path) -> Result<HeldLock, String> {
    let path = root.join(LOCK_FILE);
    let refuse = |why: String| {
        format!(
            "kith will not use the lock file {}: {why}. Opened read-only to be safe; remove it and reopen.",
            shown(&path)
        )
    };
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refuse("it is a symbolic link".into()));
        }
        Ok(meta) if !meta.is_file() => {
            return Err(refuse("it is not a regular file".into()));
        }
        _ => {}
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let mut file = options.open(&path).map_err(|e| {
        format!(
            "cannot create the lock file {}: {e}. Opened read-only to be safe.",
            shown(&path)
        )
    })?;
    let meta = file
        .metadata()
        .map_err(|e| refuse(format!("cannot look at it: {e}")))?;
    if !meta.is_file() {
        return Err(refuse("it is not a regular file".into()));
    }
    match file.try_lock() {
        Ok(()) => {
            let _ = file.set_len(0);
            let _ = writeln!(file, "pid {}", std::process::id());
            Ok(HeldLock {
                #[cfg(unix)]
                identity: {
                    use std::os::unix::fs::MetadataExt;
                    (meta.dev(), meta.ino())
                },
                file,
            })
        }
        Err(fs::TryLockError::WouldBlock) => {
            let holder = read_regular(&path, 4096)
                .map(|(bytes, _)| String::from_utf8_lossy(&bytes).trim().to_string())
                .unwrap_or_default();
            Err(format!(
                "Another kith ({}) is using {}. This window is read-only; close the other one to edit here.",
                if holder.is_empty() {
                    "unknown process".to_string()
                } else {
                    guard::escape_text(&holder)
                },
                shown(root)
            ))
        }
        Err(fs::TryLockError::Error(e)) => Err(format!(
            "cannot lock {}: {e}. Opened read-only to be safe.",
            shown(&path)
        )),
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(lock) = self.lock.take() {
            let _ = lock.file.unlock();
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_cache;
#[cfg(test)]
mod tests_external;
#[cfg(test)]
#[cfg(unix)]
mod tests_hostile;
