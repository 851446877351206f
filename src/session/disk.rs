//! Changes other programs make to the data folder: the watcher's batches,
//! reloads, damaged and repaired files, sync-conflict copies, and files
//! changed on disk while they had unsaved edits here.

use super::{NoticeKind, Session};
use crate::action::Action;
use crate::storage::{DiskBatch, FolderWatcher, LoadProblem};
use std::path::Path;
use std::time::Instant;

impl Session {
    /// Apply a version read from disk as one undo step; storage is told the
    /// files already hold it.
    pub(super) fn apply_from_disk(
        &mut self,
        action: Action,
    ) -> Result<(), crate::action::ActionError> {
        self.flush_changes();
        self.doc.apply(action)?;
        let changes = self.doc.take_changes();
        self.after_changes(&changes, true);
        Ok(())
    }

    /// Read the files other programs changed, if the watcher has a batch.
    pub(super) fn poll_disk(&mut self) {
        if let Some(batch) = self.watcher.as_mut().and_then(FolderWatcher::poll) {
            self.take_disk_batch(batch);
        }
    }

    /// Whether the watcher is waiting for a burst of changes to settle (poll
    /// again soon).
    pub fn watcher_busy(&self) -> bool {
        self.watcher.as_ref().is_some_and(FolderWatcher::is_busy)
    }

    /// Bring changed files into the model: reloads, conflicts, damaged and
    /// repaired files, sync-conflict copies.
    pub fn take_disk_batch(&mut self, batch: DiskBatch) {
        if batch.is_empty() {
            return;
        }
        self.flush_changes();
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let found = store.reconcile(batch, self.doc.model());
        for (path, exists) in found.sync_conflicts {
            self.sync_conflicts.retain(|p| *p != path);
            if exists {
                self.notices.push(
                    NoticeKind::Warning,
                    format!(
                        "Your sync tool left a conflicting copy: {}",
                        crate::storage::guard::shown(&path)
                    ),
                );
                self.sync_conflicts.push(path);
            }
        }
        for path in found.repaired {
            self.problems.retain(|p| p.path != path);
        }
        for problem in found.damaged {
            self.notices.push(
                NoticeKind::Error,
                format!(
                    "{} was changed on disk and no longer loads. kith keeps what it had and will not write over the file. See the banner.",
                    crate::storage::guard::shown(&problem.path)
                ),
            );
            self.report_problem(problem);
        }
        if !found.reloads.is_empty() {
            self.apply_reloads(found.reloads);
        }
        for conflict in found.conflicts {
            self.notices.push(
                NoticeKind::Warning,
                format!(
                    "{} changed on disk while you had unsaved edits. Pick a version in the banner.",
                    conflict.label
                ),
            );
            self.disk_conflicts.retain(|c| c.path != conflict.path);
            self.disk_conflicts.push(conflict);
        }
    }

    /// Apply reloads as one undo step; if that fails, one by one, so one bad
    /// file does not hold back the rest.
    fn apply_reloads(&mut self, reloads: Vec<crate::storage::Reload>) {
        let what = match reloads.as_slice() {
            [single] => single.label.clone(),
            many => format!("{} files", many.len()),
        };
        let combined = Action::Batch {
            label: format!("Reload {what} from disk"),
            actions: reloads.iter().map(|r| r.action.clone()).collect(),
        };
        if self.apply_from_disk(combined).is_ok() {
            self.notices.push(
                NoticeKind::Info,
                format!("Reloaded {what} (changed on disk)."),
            );
            return;
        }
        for reload in reloads {
            if let Err(error) = self.apply_from_disk(reload.action) {
                let error = crate::storage::format::ParseError::plain(format!(
                    "cannot take it in: {error}"
                ));
                self.notices.push(
                    NoticeKind::Error,
                    format!(
                        "{} changed on disk, but {error}",
                        crate::storage::guard::shown(&reload.path)
                    ),
                );
                if let Some(store) = self.store.as_mut() {
                    store.protect(&reload.path);
                }
                self.report_problem(LoadProblem {
                    path: reload.path,
                    error,
                });
            }
        }
    }

    /// List a file that cannot be taken in (replacing an older report of it).
    fn report_problem(&mut self, problem: LoadProblem) {
        self.problems.retain(|p| p.path != problem.path);
        self.problems.push(problem);
    }

    /// Settle a file changed both on disk and here: keep kith's version
    /// (`keep_mine`, written on the next save) or take the one on disk (one
    /// undo step).
    pub fn resolve_conflict(&mut self, path: &Path, keep_mine: bool) {
        let Some(index) = self.disk_conflicts.iter().position(|c| c.path == path) else {
            return;
        };
        let conflict = self.disk_conflicts.remove(index);
        if keep_mine {
            if let Some(store) = self.store.as_mut() {
                store.resolve(&conflict, true);
            }
            self.last_change = Some(Instant::now());
            self.notices.push(
                NoticeKind::Info,
                format!(
                    "Kept your version of {}; it replaces the one on disk.",
                    conflict.label
                ),
            );
            return;
        }
        match self.apply_from_disk(conflict.use_theirs.clone()) {
            Ok(()) => {
                if let Some(store) = self.store.as_mut() {
                    store.resolve(&conflict, false);
                }
                self.notices.push(
                    NoticeKind::Info,
                    format!(
                        "Using the version of {} on disk. Undo (Ctrl+Z) brings yours back.",
                        conflict.label
                    ),
                );
            }
            Err(error) => {
                self.notices.push(
                    NoticeKind::Error,
                    format!("Cannot use the version on disk: {error}"),
                );
                self.disk_conflicts.insert(index, conflict);
            }
        }
    }

    /// Rename a damaged file aside so kith may write a fresh one.
    pub fn set_aside(&mut self, path: &Path) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        match store.set_aside(path) {
            Ok(target) => {
                self.problems.retain(|p| p.path != path);
                self.notices.push(
                    NoticeKind::Info,
                    format!("Moved aside to {}", crate::storage::guard::shown(&target)),
                );
            }
            Err(e) => self.notices.push(
                NoticeKind::Error,
                format!(
                    "Could not move {} aside: {e}",
                    crate::storage::guard::shown(path)
                ),
            ),
        }
    }
}
