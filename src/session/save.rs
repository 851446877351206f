//! Saving: the debounce after a change, the retry after a failure, and the
//! photos stored beside people's records.

use super::{NoticeKind, Session};
use crate::model::PersonId;
use crate::storage::Store;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long after the last change kith waits before saving.
pub const SAVE_DEBOUNCE: Duration = Duration::from_millis(800);
/// How often a failed save is retried.
pub const SAVE_RETRY: Duration = Duration::from_secs(5);

/// What the top bar says about saving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    /// No data folder: nothing is written (tests, previews).
    Preview,
    /// The folder cannot be written (the banner says why).
    ReadOnly,
    /// Files wait for the user to settle a conflict (how many).
    Conflicts(usize),
    /// Changes wait to be written.
    Saving,
    /// Everything is on disk.
    Saved,
}

impl Session {
    /// Where saving stands.
    pub fn save_status(&self) -> SaveStatus {
        match &self.store {
            None => SaveStatus::Preview,
            Some(store) if store.read_only().is_some() => SaveStatus::ReadOnly,
            Some(store) if store.held_count() > 0 => SaveStatus::Conflicts(store.held_count()),
            Some(store) if store.is_dirty() => SaveStatus::Saving,
            Some(_) => SaveStatus::Saved,
        }
    }

    /// Whether changes wait to be written.
    pub fn is_dirty(&self) -> bool {
        self.store.as_ref().is_some_and(Store::is_dirty)
    }

    /// Whether a save is scheduled (after a change, or a retry after a
    /// failure): the caller should call [`Session::autosave`] again soon.
    pub fn save_pending(&self) -> bool {
        self.last_change.is_some() || self.last_failed_save.is_some()
    }

    /// The last save's failure, while it lasts.
    pub fn save_error(&self) -> Option<&str> {
        self.save_error.as_deref()
    }

    /// Save dirty files now. Failures become notices; unsaved changes stay in
    /// memory and are retried every [`SAVE_RETRY`].
    pub fn save(&mut self) {
        self.flush_changes();
        let Some(store) = self.store.as_mut() else {
            return;
        };
        if !store.is_dirty() {
            return;
        }
        let mut report = store.save(self.doc.model());
        self.last_change = None;
        if !report.changed_on_disk.is_empty() {
            // Another program wrote these since kith read them: show the
            // conflict instead of writing over its change.
            let changed = std::mem::take(&mut report.changed_on_disk);
            let batch = crate::storage::read_changed(store.root(), changed);
            self.take_disk_batch(batch);
        }
        if report.failed.is_empty() {
            self.last_failed_save = None;
            if let Some(error) = self.save_error.take() {
                self.notices.withdraw(error);
                self.notices
                    .push(NoticeKind::Info, "Saved. All changes are on disk.".into());
            }
        } else {
            let (path, error) = &report.failed[0];
            let message = format!(
                "Could not save {} ({error}). Your changes are kept in memory; retrying every {} s.",
                crate::storage::guard::shown(path),
                SAVE_RETRY.as_secs()
            );
            if self.save_error.as_deref() != Some(message.as_str()) {
                self.notices.push(NoticeKind::Error, message.clone());
            }
            self.save_error = Some(message);
            self.last_failed_save = Some(Instant::now());
        }
    }

    /// Save if the debounce after the last change (or the retry after a
    /// failed save) has passed.
    pub fn autosave(&mut self) {
        let due = match (self.last_change, self.last_failed_save) {
            (_, Some(failed)) => failed.elapsed() >= SAVE_RETRY,
            (Some(changed), None) => changed.elapsed() >= SAVE_DEBOUNCE,
            (None, None) => false,
        };
        if due {
            self.save();
        }
    }

    /// Write imported photos beside their people's records; a failure is a
    /// notice with the reason.
    pub fn save_photos(&mut self, photos: &[(PersonId, Vec<u8>)]) {
        let Some(store) = self.store.as_mut() else {
            return;
        };
        let mut failed = Vec::new();
        for (id, bytes) in photos {
            if let Err(why) = store.save_photo(*id, bytes) {
                failed.push(format!("{}: {why}", self.doc.model().person_name(*id)));
            }
        }
        if !failed.is_empty() {
            self.notices.push(
                NoticeKind::Error,
                format!("{} photo(s) not saved: {}", failed.len(), failed.join("; ")),
            );
        }
    }

    /// Set a person's photo aside (the file is renamed, never deleted).
    pub fn remove_photo(&mut self, id: PersonId) {
        let result: Result<PathBuf, String> = match self.store.as_mut() {
            Some(store) => store.set_photo_aside(id),
            None => Err("no data folder".into()),
        };
        match result {
            Ok(path) => self.notices.push(
                NoticeKind::Info,
                format!(
                    "Photo removed (kept as {})",
                    crate::storage::guard::shown(&path)
                ),
            ),
            Err(why) => self
                .notices
                .push(NoticeKind::Error, format!("Photo not removed: {why}")),
        }
    }
}
