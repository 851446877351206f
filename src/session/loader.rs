//! Opening a folder on a background thread, and the work that follows the
//! load there (today's backup, the load cache).

use super::{NoticeKind, Session, Waker};
use crate::document::Document;
use crate::insight::Insight;
use crate::search::SearchIndex;
use crate::storage::{FolderWatcher, LoadProblem, Loaded, StorageError, Store};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// What the background loader sends back.
pub(super) struct Opened {
    store: Store,
    loaded: Loaded,
    /// The folder had no data yet (the demo network was loaded).
    fresh: bool,
    /// Built on the loader thread too, so the UI thread never waits.
    insight: Insight,
    search: SearchIndex,
    /// Started once the folder was read (saves check files before writing,
    /// which covers changes made during the read).
    watcher: Result<FolderWatcher, String>,
}

/// The loader's answer.
pub(super) type LoadResult = Result<Opened, StorageError>;

/// Where the session is in its life.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The folder is being read on a background thread.
    Loading {
        /// When the read started.
        started: Instant,
        /// The folder, as shown to the user.
        folder: String,
    },
    /// Ready to use.
    Ready,
    /// The folder could not be opened at all (the reason).
    Failed(String),
}

/// Start reading `folder` on a background thread: the load's answer, and a
/// second channel for the work that follows it (one message per piece).
pub(super) fn spawn(
    folder: &Path,
    cache_dir: Option<PathBuf>,
    today: NaiveDate,
    waker: Arc<OnceLock<Waker>>,
) -> (Receiver<LoadResult>, Receiver<Result<(), String>>) {
    let (sender, receiver) = channel();
    let (background_sender, background_receiver) = channel();
    let folder_owned = folder.to_path_buf();
    std::thread::spawn(move || {
        let fresh = crate::storage::is_fresh(&folder_owned);
        let cache = cache_dir.map(|dir| crate::storage::cache_file(&dir, &folder_owned));
        let mut cache_refresh = None;
        let result =
            Store::open_cached(&folder_owned, cache.as_deref()).map(|(store, mut loaded)| {
                cache_refresh = loaded.cache_refresh.take().filter(|_| !fresh);
                // Watched from here on. A change made while the folder was
                // being read is caught when kith saves: it compares each
                // file with what it read before writing (a conflict, never
                // an overwrite). Watching during the read would cost an
                // event per file opened.
                let wake = waker.clone();
                let watcher = FolderWatcher::start(&folder_owned, move || {
                    if let Some(wake) = wake.get() {
                        wake();
                    }
                })
                .map_err(|e| e.to_string());
                if fresh && store.read_only().is_none() {
                    match crate::storage::format::demo_model(today) {
                        Ok(demo) => loaded.model = demo,
                        Err(e) => loaded.problems.push(LoadProblem {
                            path: PathBuf::from("assets/demo.ron"),
                            error: e,
                        }),
                    }
                }
                let (insight, search) = rayon::join(
                    || {
                        let insight = Insight::build(&loaded.model);
                        // The Today view asks for the best introduction.
                        insight.warm();
                        insight
                    },
                    || SearchIndex::build(&loaded.model),
                );
                Opened {
                    store,
                    loaded,
                    fresh,
                    insight,
                    search,
                    watcher,
                }
            });
        let back_up =
            matches!(&result, Ok(opened) if !opened.fresh && opened.store.read_only().is_none());
        if sender.send(result).is_err() {
            return;
        }
        if let Some(wake) = waker.get() {
            wake();
        }
        // Today's backup of the files on disk, after the session is usable.
        if back_up {
            let outcome = crate::storage::daily_backup(&folder_owned, today)
                .map(|_| ())
                .map_err(|e| format!("Could not write today's backup: {e}"));
            let _ = background_sender.send(outcome);
        }
        // Then the load cache, so the next start is fast.
        if let Some(refresh) = cache_refresh {
            let path = refresh.path().to_path_buf();
            let outcome = refresh.write().map_err(|e| {
                format!(
                    "Could not write the load cache {} ({e}). Your data is safe; opening this folder stays slower until it can be written.",
                    crate::storage::guard::shown(&path)
                )
            });
            let _ = background_sender.send(outcome);
        }
    });
    (receiver, background_receiver)
}

impl Session {
    /// Report the loader's background work (today's backup, the load cache)
    /// as it finishes; blocking: wait until all of it is done.
    pub(super) fn poll_background(&mut self, block: bool) {
        let Some(receiver) = &self.background else {
            return;
        };
        let mut failures = Vec::new();
        let finished = loop {
            let outcome = if block {
                receiver.recv().map_err(|_| true)
            } else {
                receiver
                    .try_recv()
                    .map_err(|e| matches!(e, TryRecvError::Disconnected))
            };
            match outcome {
                Ok(Ok(())) => {}
                Ok(Err(message)) => failures.push(message),
                Err(finished) => break finished,
            }
        };
        if finished {
            self.background = None;
        }
        for message in failures {
            self.notices.push(NoticeKind::Warning, message);
        }
    }

    /// Take the loader's answer if it is there (blocking: wait for it).
    pub(super) fn poll_loading(&mut self, block: bool) {
        let Some(receiver) = &self.loader else {
            return;
        };
        let result = if block {
            receiver.recv().map_err(|_| ())
        } else {
            match receiver.try_recv() {
                Ok(result) => Ok(result),
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => Err(()),
            }
        };
        self.loader = None;
        let Ok(result) = result else {
            self.phase = Phase::Failed("the loader stopped unexpectedly".into());
            return;
        };
        match result {
            Ok(opened) => {
                self.insight = opened.insight;
                self.search = opened.search;
                match opened.watcher {
                    Ok(watcher) => self.watcher = Some(watcher),
                    Err(error) => self.notices.push(
                        NoticeKind::Warning,
                        format!(
                            "kith cannot watch its folder ({error}). Changes other programs make there show after a restart."
                        ),
                    ),
                }
                self.finish_loading(opened.store, opened.loaded, opened.fresh);
            }
            Err(error) => self.phase = Phase::Failed(error.to_string()),
        }
    }

    fn finish_loading(&mut self, mut store: Store, loaded: Loaded, fresh: bool) {
        self.problems = loaded.problems;
        self.unknown_files = loaded.unknown_files;
        self.sync_conflicts = loaded.sync_conflicts;
        if fresh && store.read_only().is_none() {
            store.mark_all_dirty(&loaded.model);
            self.last_change = Some(Instant::now());
        }
        if let Some(read_only) = store.read_only() {
            self.notices
                .push(NoticeKind::Warning, read_only.reason.clone());
        }
        if !self.problems.is_empty() {
            self.notices.push(
                NoticeKind::Error,
                format!(
                    "{} file(s) could not be read and are left untouched. See the banner.",
                    self.problems.len()
                ),
            );
        }
        self.doc = Document::new(loaded.model);
        self.store = Some(store);
        self.phase = Phase::Ready;
        self.changed = true;
    }
}
