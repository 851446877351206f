//! Crash-safe file writes: temp file, fsync, rename, fsync of the folder.
//! Files are created owner-only (0600) and folders 0700 on Unix.
//!
//! Nothing is ever written through a symbolic link: a temp file is created
//! with `O_CREAT | O_EXCL` (which refuses any existing name, a link
//! included), and the rename replaces the name itself, never what a link at
//! that name points to.
//!
//! Each temp file is named `.kith-tmp-<process token>-<n>-<name>` and held
//! under an exclusive file lock (`flock`) from its creation until after its
//! rename, so a sweep can tell a write in progress (locked, by this or any
//! other process) from one a killed process left behind (unlocked): no PID
//! guessing, which fails in containers where every kith is PID 1.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Prefix of temp files; the loader skips them and sweeps stale ones.
pub const TEMP_PREFIX: &str = ".kith-tmp-";

/// An empty temp file younger than this is never swept, even if unlocked
/// (the instant between its creation and its lock).
const SWEEP_MIN_AGE: Duration = Duration::from_secs(2);

/// Create `dir` and its parents with owner-only permissions.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

fn open_private_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// A token for this process's temp files (random, so two processes never
/// share one, whatever their PIDs).
fn process_token() -> &'static str {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| uuid::Uuid::new_v4().simple().to_string()[..16].to_string())
}

/// Temp file path next to `path`, unique per process and call.
fn temp_path(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{TEMP_PREFIX}{}-{n}-{name}", process_token()))
}

/// The folder a file is in ("." for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// fsync a folder so a rename or removal inside it is durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Write `bytes` to `path` atomically: readers see the old or the new
/// content, never a mix, even after a crash or power loss.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_checked(path, |file| file.write_all(bytes), || Ok(()))
}

/// Like [`write_atomic`], with the content streamed by `write` (for files
/// too large to hold in memory; wrap the file in a `BufWriter` and flush it).
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    write_atomic_checked(path, write, || Ok(()))
}

/// Like [`write_atomic_with`], calling `before_commit` after the content is
/// durable and just before the rename that makes it visible: an error there
/// (the folder lock was lost) leaves the old file in place.
pub fn write_atomic_checked(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
    before_commit: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent_dir(path);
    let temp = temp_path(path);
    let mut file = open_private_new(&temp)?;
    // Held until the rename is done: a sweep never takes a live temp file.
    let _ = file.try_lock();
    let result = (|| {
        write(&mut file)?;
        file.sync_all()?;
        before_commit()?;
        fs::rename(&temp, path)?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    drop(file);
    result
}

/// Remove `path` durably (missing is fine).
pub fn remove_durably(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Ok(()) => sync_dir(parent_dir(path)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Remove the temp files in `dir` whose writer is provably gone: not locked
/// by any process, and older than a moment. Links, folders and other
/// special files with the temp prefix are left alone. Returns how many
/// were removed.
pub fn sweep_temp_files(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            continue;
        }
        let path = entry.path();
        if is_abandoned(&path) && fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// True for a regular temp file no process holds (its writer was killed).
/// A writer locks its temp file before it writes a byte, so an unlocked
/// file with content is abandoned; an empty one may be in the instant
/// between its creation and its lock, so it must also be a moment old.
fn is_abandoned(path: &Path) -> bool {
    let Ok((file, meta)) = super::guard::open_regular(path) else {
        return false;
    };
    let old_enough = meta
        .modified()
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|age| age >= SWEEP_MIN_AGE);
    (meta.len() > 0 || old_enough) && file.try_lock().is_ok()
}

/// True for the paths that mean this process's standard output.
fn is_stdout(path: &Path) -> bool {
    ["-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]
        .iter()
        .any(|name| path == Path::new(name))
}

/// Write an export to `path`: `-` or `/dev/stdout` is standard output; a
/// character device or a FIFO is written as a stream (never replaced); a
/// regular file (or a new one) is written atomically through a temp file in
/// its folder, after sweeping the temp files killed exports left there. A
/// symbolic link, a folder or a disk device is refused.
pub fn write_export(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if is_stdout(path) {
        let mut out = io::stdout().lock();
        out.write_all(bytes)?;
        return out.flush();
    }
    let refuse = |why: &str| io::Error::new(io::ErrorKind::InvalidInput, why.to_string());
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(refuse(
            "it is a symbolic link, and kith does not write through links; give the real path",
        )),
        Ok(meta) if meta.is_dir() => Err(refuse("it is a folder; give a file name")),
        Ok(meta) if !meta.is_file() => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::FileTypeExt;
                if meta.file_type().is_block_device() {
                    return Err(refuse("it is a disk device; kith will not write to it"));
                }
            }
            let mut options = OpenOptions::new();
            options.write(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.custom_flags(libc::O_NOFOLLOW);
            }
            let mut stream = options.open(path)?;
            stream.write_all(bytes)?;
            stream.flush()
        }
        _ => {
            sweep_temp_files(parent_dir(path));
            write_atomic(path, bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_content_and_leave_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.ron")]);
    }

    #[test]
    fn failed_write_keeps_old_content() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-dir").join("a.ron");
        assert!(write_atomic(&path, b"x").is_err());
        let real = dir.path().join("b.ron");
        write_atomic(&real, b"old").unwrap();
        // A path whose parent is a file cannot be written; old content stays.
        let bad = real.join("child.ron");
        assert!(write_atomic(&bad, b"new").is_err());
        assert_eq!(fs::read(&real).unwrap(), b"old");
    }

    #[cfg(unix)]
    #[test]
    fn files_and_dirs_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("people");
        create_private_dir(&sub).unwrap();
        let path = sub.join("a.ron");
        write_atomic(&path, b"x").unwrap();
        let dir_mode = fs::metadata(&sub).unwrap().permissions().mode() & 0o777;
        let file_mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
        assert_eq!(file_mode, 0o600);
    }
}
