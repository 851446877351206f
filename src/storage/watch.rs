//! Noticing other programs' changes to the data folder (a sync tool, git, a
//! text editor): a `notify` watcher collects the changed paths, waits until
//! the burst is over, and reads those files on a background thread. What
//! the files now say is compared with the model by [`Store::reconcile`].
//!
//! [`Store::reconcile`]: super::Store::reconcile

use super::atomic::TEMP_PREFIX;
use super::format::ParseError;
use super::guard::{DirState, Refused, dir_state, read_regular};
use super::{
    BACKUPS_DIR, FileKey, INTERESTS_FILE, LOCK_FILE, ME_FILE, Parsed, RECORD_DIRS, SETTINGS_FILE,
    Source, Stem, TOP_FILES, alias_problem, cap_of, fingerprint, is_sync_conflict, list_dir,
    parse_text, stem_kind, text_of,
};
use notify::Watcher;
use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

/// How long the folder must be quiet before changed files are read (a git
/// checkout or a sync touches many files in a burst).
pub const QUIET: Duration = Duration::from_millis(250);
/// Read anyway after this long, even if changes keep coming.
const MAX_WAIT: Duration = Duration::from_secs(2);

/// What a changed path is to kith.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PathKind {
    /// A data file.
    Record(FileKey),
    /// A file whose name spells a record's id another way.
    Alias(FileKey),
    /// A conflicting copy a sync tool left.
    SyncConflict,
    /// Anything else: temp files, the lock, backups, notes the user keeps.
    Ignored,
}

/// Classify a path inside the data folder, given relative to it.
pub(super) fn classify(relative: &Path) -> PathKind {
    let parts: Vec<&str> = relative
        .components()
        .filter_map(|c| match c {
            Component::Normal(name) => name.to_str(),
            _ => None,
        })
        .collect();
    let Some(name) = parts.last() else {
        return PathKind::Ignored;
    };
    if name.starts_with(TEMP_PREFIX) || *name == LOCK_FILE || parts[0] == BACKUPS_DIR {
        return PathKind::Ignored;
    }
    if is_sync_conflict(relative) {
        return PathKind::SyncConflict;
    }
    let Some(stem) = name.strip_suffix(".ron") else {
        return PathKind::Ignored;
    };
    match parts.as_slice() {
        [file] if *file == ME_FILE => PathKind::Record(FileKey::Me),
        [file] if *file == SETTINGS_FILE => PathKind::Record(FileKey::Settings),
        [file] if *file == INTERESTS_FILE => PathKind::Record(FileKey::Interests),
        [dir, _] if !stem.starts_with('.') => match stem_kind(dir, stem) {
            Stem::Canonical(key) => PathKind::Record(key),
            Stem::Alias(key) => PathKind::Alias(key),
            Stem::Other => PathKind::Ignored,
        },
        _ => PathKind::Ignored,
    }
}

/// What reading one changed data file found.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // short-lived, one per changed file
pub(super) enum ReadOutcome {
    /// The file is gone.
    Missing,
    /// It parsed.
    Loaded {
        /// The record(s).
        parsed: Parsed,
        /// Its text, to show in a conflict.
        text: String,
        /// Its fingerprint.
        print: u64,
    },
    /// It did not parse (or could not be read).
    Damaged(ParseError),
}

/// One changed data file, read.
#[derive(Debug)]
pub(super) struct DiskRead {
    pub(super) key: FileKey,
    pub(super) path: PathBuf,
    pub(super) outcome: ReadOutcome,
    /// The file spells the record's id another way: never taken in, only
    /// reported while it exists.
    pub(super) alias: bool,
}

/// Changed files read from disk, ready for [`super::Store::reconcile`].
#[derive(Debug, Default)]
pub struct DiskBatch {
    pub(super) reads: Vec<DiskRead>,
    /// Sync-conflict copies that appeared (true) or went away (false).
    pub(super) sync_conflicts: Vec<(PathBuf, bool)>,
}

impl DiskBatch {
    /// True when nothing in the batch concerns kith.
    pub fn is_empty(&self) -> bool {
        self.reads.is_empty() && self.sync_conflicts.is_empty()
    }
}

/// Read the data files among `paths` (relative to `root`, or absolute inside
/// it) as they are now. Other paths are skipped.
pub fn read_changed(root: &Path, paths: impl IntoIterator<Item = PathBuf>) -> DiskBatch {
    let mut batch = DiskBatch::default();
    let mut keys = BTreeSet::new();
    for path in paths {
        let relative = relative_to(root, &path);
        match classify(&relative) {
            PathKind::Record(key) => {
                if keys.insert(key) {
                    let path = root.join(&relative);
                    let outcome = read_one(key, &path);
                    batch.reads.push(DiskRead {
                        key,
                        path,
                        outcome,
                        alias: false,
                    });
                }
            }
            PathKind::Alias(key) => {
                let path = root.join(&relative);
                let outcome = if fs::symlink_metadata(&path).is_ok() {
                    ReadOutcome::Damaged(alias_problem(root, key))
                } else {
                    ReadOutcome::Missing
                };
                batch.reads.push(DiskRead {
                    key,
                    path,
                    outcome,
                    alias: true,
                });
            }
            PathKind::SyncConflict => {
                let path = root.join(&relative);
                let exists = fs::symlink_metadata(&path).is_ok();
                batch.sync_conflicts.push((path, exists));
            }
            PathKind::Ignored => {}
        }
    }
    batch.reads.sort_by_key(|read| read.key);
    batch
}

/// `path` relative to the data folder (as given, or canonical).
fn relative_to(root: &Path, path: &Path) -> PathBuf {
    if let Ok(relative) = path.strip_prefix(root) {
        return relative.to_path_buf();
    }
    if let (Ok(root), Ok(parent)) = (
        fs::canonicalize(root),
        path.parent()
            .map_or(Err(io::ErrorKind::NotFound.into()), fs::canonicalize),
    ) && let (Ok(relative), Some(name)) = (parent.strip_prefix(&root), path.file_name())
    {
        return relative.join(name);
    }
    path.to_path_buf()
}

fn read_one(key: FileKey, path: &Path) -> ReadOutcome {
    let bytes = match read_regular(path, cap_of(key)) {
        Ok((bytes, _)) => bytes,
        Err(Refused::Missing) => return ReadOutcome::Missing,
        Err(refused) => return ReadOutcome::Damaged(ParseError::plain(refused.to_string())),
    };
    let print = fingerprint(&bytes);
    let parsed = text_of(bytes).and_then(|text| {
        parse_text(&Source::of(key, path.to_path_buf()), &text).map(|parsed| (parsed, text))
    });
    match parsed {
        Ok((parsed, text)) => ReadOutcome::Loaded {
            parsed,
            text,
            print,
        },
        Err(error) => ReadOutcome::Damaged(error),
    }
}

/// Every data file in the folder (after the watcher lost track of events).
fn all_data_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = TOP_FILES.iter().map(|name| root.join(name)).collect();
    let mut others = Vec::new();
    for dir in RECORD_DIRS {
        let listing = list_dir(&root.join(dir), &mut others);
        files.extend(listing.files.into_iter().map(|(_, path)| path));
        files.extend(listing.refused.into_iter().map(|problem| problem.path));
    }
    files.extend(others.into_iter().filter(|p| is_sync_conflict(p)));
    files
}

/// True for events that may mean new content (not opens and reads).
fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode, EventKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watches a data folder and hands over the files other programs changed.
pub struct FolderWatcher {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    /// Record folders watched so far (each is watched once it exists).
    watched: BTreeSet<&'static str>,
    events: Receiver<notify::Result<notify::Event>>,
    pending: BTreeSet<PathBuf>,
    rescan: bool,
    first_pending: Option<Instant>,
    last_event: Option<Instant>,
    reading: Option<Receiver<DiskBatch>>,
}

impl std::fmt::Debug for FolderWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderWatcher")
            .field("root", &self.root)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl FolderWatcher {
    /// Start watching `root` and its record folders. `wake` is called from
    /// the watcher's thread on every event, so a UI can redraw and poll.
    ///
    /// Each folder is watched on its own, not recursively: kith's layout is
    /// fixed, and a recursive watch would walk all 100,000 files first.
    pub fn start(root: &Path, wake: impl Fn() + Send + Sync + 'static) -> notify::Result<Self> {
        let (sender, events) = channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                // Opens and reads (kith's loader, the daily backup) are dropped
                // here, so they never wake the UI.
                if let Ok(event) = &event
                    && !changes_content(&event.kind)
                    && !event.need_rescan()
                {
                    return;
                }
                let _ = sender.send(event);
                wake();
            })?;
        watcher.watch(root, notify::RecursiveMode::NonRecursive)?;
        let mut this = Self {
            root: root.to_path_buf(),
            watcher,
            watched: BTreeSet::new(),
            events,
            pending: BTreeSet::new(),
            rescan: false,
            first_pending: None,
            last_event: None,
            reading: None,
        };
        this.watch_record_dirs()?;
        Ok(this)
    }

    /// Watch the record folders that exist and are not watched yet. Returns
    /// true when one was added (its files may predate the watch).
    fn watch_record_dirs(&mut self) -> notify::Result<bool> {
        let mut added = false;
        for dir in RECORD_DIRS {
            if self.watched.contains(dir)
                || !matches!(dir_state(&self.root.join(dir)), DirState::Dir)
            {
                continue;
            }
            self.watcher
                .watch(&self.root.join(dir), notify::RecursiveMode::NonRecursive)?;
            self.watched.insert(dir);
            added = true;
        }
        Ok(added)
    }

    /// Collect events; once the folder has been quiet for [`QUIET`], read the
    /// changed files on a background thread. Returns a batch when one is read.
    /// Call this every frame (it never blocks).
    pub fn poll(&mut self) -> Option<DiskBatch> {
        self.drain_events();
        if let Some(reading) = &self.reading {
            return match reading.try_recv() {
                Ok(batch) => {
                    self.reading = None;
                    Some(batch)
                }
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) => {
                    self.reading = None;
                    None
                }
            };
        }
        let (Some(first), Some(last)) = (self.first_pending, self.last_event) else {
            return None;
        };
        if last.elapsed() < QUIET && first.elapsed() < MAX_WAIT {
            return None;
        }
        let paths = std::mem::take(&mut self.pending);
        let rescan = std::mem::take(&mut self.rescan);
        self.first_pending = None;
        let root = self.root.clone();
        let (sender, receiver) = channel();
        std::thread::spawn(move || {
            let mut paths: Vec<PathBuf> = paths.into_iter().collect();
            if rescan {
                paths.extend(all_data_files(&root));
            }
            let _ = sender.send(read_changed(&root, paths));
        });
        self.reading = Some(receiver);
        None
    }

    /// True while changes wait to be read (the caller should poll again soon).
    pub fn is_busy(&self) -> bool {
        self.first_pending.is_some() || self.reading.is_some()
    }

    fn drain_events(&mut self) {
        loop {
            let event = match self.events.try_recv() {
                Ok(event) => event,
                Err(_) => return,
            };
            let now = Instant::now();
            match event {
                Ok(event) => {
                    if event.need_rescan() {
                        self.rescan = true;
                    }
                    // A record folder appeared, went or was replaced (first
                    // save, git checkout): watch it afresh, and look at what
                    // is already inside.
                    let mut record_dir_changed = false;
                    for path in &event.paths {
                        let relative = relative_to(&self.root, path);
                        for dir in RECORD_DIRS {
                            if relative == Path::new(dir) {
                                self.watched.remove(dir);
                                record_dir_changed = true;
                            }
                        }
                    }
                    if record_dir_changed && self.watch_record_dirs().unwrap_or(true) {
                        self.rescan = true;
                    }
                    let interesting: Vec<PathBuf> = event
                        .paths
                        .into_iter()
                        .filter(|path| {
                            classify(&relative_to(&self.root, path)) != PathKind::Ignored
                        })
                        .collect();
                    if interesting.is_empty() && !self.rescan {
                        continue;
                    }
                    self.pending.extend(interesting);
                }
                // The watcher lost events (queue overflow): look at everything.
                Err(_) => self.rescan = true,
            }
            self.first_pending.get_or_insert(now);
            self.last_event = Some(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::PEOPLE_DIR;
    use super::*;
    use crate::model::{PersonId, YearMonth};

    #[test]
    fn reads_are_not_changes() {
        use notify::event::{AccessKind, AccessMode, CreateKind, EventKind, ModifyKind};
        assert!(!changes_content(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(changes_content(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Any)));
    }

    #[test]
    fn paths_are_classified_by_folder_and_name() {
        let id = uuid::Uuid::new_v4();
        let person = PathBuf::from(PEOPLE_DIR).join(format!("{id}.ron"));
        assert_eq!(
            classify(&person),
            PathKind::Record(FileKey::Person(PersonId(id)))
        );
        assert_eq!(
            classify(Path::new("interactions/2026-03.ron")),
            PathKind::Record(FileKey::Month(YearMonth::parse("2026-03").unwrap()))
        );
        assert_eq!(classify(Path::new("me.ron")), PathKind::Record(FileKey::Me));
        // Another spelling of a month or an id is reported, never taken in.
        assert_eq!(
            classify(Path::new("interactions/2026-3.ron")),
            PathKind::Alias(FileKey::Month(YearMonth::parse("2026-03").unwrap()))
        );
        let upper =
            PathBuf::from(PEOPLE_DIR).join(format!("{}.ron", id.to_string().to_uppercase()));
        assert_eq!(
            classify(&upper),
            PathKind::Alias(FileKey::Person(PersonId(id)))
        );
        for ignored in [
            "people/.kith-tmp-123",
            ".kith.lock",
            "backups/kith-2026-01-01.bundle",
            "people/not-a-uuid.ron",
            "notes.txt",
            "people/x/y.ron",
        ] {
            assert_eq!(classify(Path::new(ignored)), PathKind::Ignored, "{ignored}");
        }
        assert_eq!(
            classify(Path::new(
                "people/abc.sync-conflict-20260101-120000-ABCDEFG.ron"
            )),
            PathKind::SyncConflict
        );
    }
}
