//! Contact photos in the data folder: `photos/<person id>.jpg`, one small
//! JPEG per person, written like every record (atomic, owner-only, never
//! through a link, only while kith holds the folder's lock) and read
//! through the guard (capped, never through a link).

use super::atomic::write_atomic_checked;
use super::guard::{self, DirState, dir_state, shown};
use super::{Store, ensure_record_dir};
use crate::model::PersonId;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The folder photos live in.
pub const PHOTOS_DIR: &str = "photos";

/// The most kith reads of one photo file (a stored photo is ~50 KB).
pub const PHOTO_FILE_CAP: u64 = 4 * 1024 * 1024;

/// Where the photo of `id` is in the data folder at `root`.
pub fn photo_path(root: &Path, id: PersonId) -> PathBuf {
    root.join(PHOTOS_DIR).join(format!("{id}.jpg"))
}

/// The stored photo of a person in the data folder at `root`, if there is
/// one kith may read. A link, a FIFO, an oversized file, or a photos
/// folder that is a link, gives an error naming the file.
pub fn read_photo(root: &Path, id: PersonId) -> Result<Option<Vec<u8>>, String> {
    let dir = root.join(PHOTOS_DIR);
    match dir_state(&dir) {
        DirState::Missing => return Ok(None),
        DirState::Refused(why) => return Err(format!("{}: {why}", shown(&dir))),
        DirState::Dir => {}
    }
    let path = photo_path(root, id);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    guard::read_regular(&path, PHOTO_FILE_CAP)
        .map(|(bytes, _)| Some(bytes))
        .map_err(|e| format!("{}: {e}", shown(&path)))
}

impl Store {
    /// The stored photo of a person (see [`read_photo`]).
    pub fn photo(&self, id: PersonId) -> Result<Option<Vec<u8>>, String> {
        read_photo(&self.root, id)
    }

    /// Store a person's photo (bytes as [`crate::photo::normalize`] made
    /// them). Refused while the store is read-only or the lock is lost.
    pub fn save_photo(&mut self, id: PersonId, bytes: &[u8]) -> Result<PathBuf, String> {
        if let Some(read_only) = &self.read_only {
            return Err(read_only.reason.clone());
        }
        self.ensure_lock()?;
        let dir = self.root.join(PHOTOS_DIR);
        ensure_record_dir(&dir).map_err(|why| format!("{}: {why}", shown(&dir)))?;
        let path = photo_path(&self.root, id);
        let (root, lock) = (&self.root, self.lock.as_ref());
        let still_locked = || match lock {
            Some(held) if held.is_current(root) => Ok(()),
            _ => Err(io::Error::other(
                "the folder lock was replaced or removed by another program; not written",
            )),
        };
        write_atomic_checked(&path, |file| file.write_all(bytes), still_locked)
            .map_err(|e| format!("{}: {e}", shown(&path)))?;
        Ok(path)
    }
}

impl Store {
    /// Set a person's photo aside: the file is renamed to
    /// `<id>.jpg.removed-TIMESTAMP` in the photos folder (never deleted), so
    /// kith shows initials again. Returns the new path.
    pub fn set_photo_aside(&mut self, id: PersonId) -> Result<PathBuf, String> {
        if let Some(read_only) = &self.read_only {
            return Err(read_only.reason.clone());
        }
        self.ensure_lock()?;
        let path = photo_path(&self.root, id);
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(format!("{} is not there", shown(&path)));
        }
        let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
        let target = path.with_file_name(format!("{id}.jpg.removed-{stamp}"));
        std::fs::rename(&path, &target).map_err(|e| format!("{}: {e}", shown(&path)))?;
        super::atomic::sync_dir(&self.root.join(PHOTOS_DIR))
            .map_err(|e| format!("{}: {e}", shown(&target)))?;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_are_files_beside_the_records() {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::open(dir.path()).unwrap();
        let id = PersonId::new_random();
        assert_eq!(store.photo(id).unwrap(), None);
        let path = store.save_photo(id, b"\xFF\xD8\xFFjpeg").unwrap();
        assert_eq!(path, dir.path().join(format!("photos/{id}.jpg")));
        assert_eq!(store.photo(id).unwrap().unwrap(), b"\xFF\xD8\xFFjpeg");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "owner only");
        }
        // Removing sets the file aside; nothing is deleted.
        let aside = store.set_photo_aside(id).unwrap();
        assert_eq!(store.photo(id).unwrap(), None);
        assert_eq!(std::fs::read(&aside).unwrap(), b"\xFF\xD8\xFFjpeg");
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_photo_is_never_read_or_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret");
        std::fs::write(&secret, "private key").unwrap();
        let data = dir.path().join("data");
        let (mut store, _) = Store::open(&data).unwrap();
        let id = PersonId::new_random();
        std::fs::create_dir_all(data.join(PHOTOS_DIR)).unwrap();
        std::os::unix::fs::symlink(&secret, photo_path(&data, id)).unwrap();
        assert!(store.photo(id).is_err());
        // Saving replaces the link itself (rename over it), never writes through it.
        store.save_photo(id, b"\xFF\xD8\xFFnew").unwrap();
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "private key");
        // A photos folder that is a link is refused.
        std::fs::remove_dir_all(data.join(PHOTOS_DIR)).unwrap();
        std::os::unix::fs::symlink(dir.path(), data.join(PHOTOS_DIR)).unwrap();
        assert!(store.photo(id).is_err());
        assert!(store.save_photo(id, b"x").is_err());
    }
}
