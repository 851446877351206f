//! Desktop integration: the app icon (window icon and the installed icon)
//! and `kith install-desktop`, which puts a `.desktop` launcher and the
//! icon in the user's data folder (`$XDG_DATA_HOME`, else
//! `~/.local/share`) so kith shows in application menus.
//!
//! Each file is written to a temporary file beside it (owner-only) and
//! renamed into place, so a launcher is never half written; nothing is
//! written or removed through a symbolic link.

use std::io::Write;
use std::path::{Path, PathBuf};

/// The app icon, 256 px (made by `cargo run --example make_icon`).
pub const ICON_256: &[u8] = include_bytes!("../assets/icon-256.png");
/// The app icon, 64 px.
pub const ICON_64: &[u8] = include_bytes!("../assets/icon-64.png");
/// The launcher template; its `Exec=` line is replaced by the running binary.
pub const DESKTOP_TEMPLATE: &str = include_str!("../assets/kith.desktop");

/// The window icon, decoded from [`ICON_256`].
pub fn window_icon() -> Option<egui::IconData> {
    let image = image::load_from_memory_with_format(ICON_256, image::ImageFormat::Png)
        .ok()?
        .into_rgba8();
    Some(egui::IconData {
        width: image.width(),
        height: image.height(),
        rgba: image.into_raw(),
    })
}

/// Quote a program path for a `.desktop` file's `Exec=` key (Desktop Entry
/// Specification, "The Exec key"): reserved characters put it in double
/// quotes with `"`, `` ` ``, `$` and `\` escaped, then the value's own
/// escapes apply (`\` doubled) and `%` is doubled.
pub fn exec_quoted(program: &str) -> Result<String, String> {
    if program.chars().any(|c| c.is_control()) {
        return Err("the program's path holds a control character".into());
    }
    const RESERVED: &str = " \t\"'\\><~|&;$*?#()`";
    let mut arg = if program.chars().any(|c| RESERVED.contains(c)) {
        let mut quoted = String::from("\"");
        for c in program.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                quoted.push('\\');
            }
            quoted.push(c);
        }
        quoted.push('"');
        quoted
    } else {
        program.to_string()
    };
    arg = arg.replace('\\', "\\\\").replace('%', "%%");
    Ok(arg)
}

/// The launcher's text for the binary at `program`.
pub fn desktop_entry(program: &Path) -> Result<String, String> {
    let program = program
        .to_str()
        .ok_or("the program's path is not UTF-8, which a launcher cannot name")?;
    let exec = exec_quoted(program)?;
    Ok(DESKTOP_TEMPLATE
        .lines()
        .map(|line| {
            if line.starts_with("Exec=") {
                format!("Exec={exec}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n")
}

/// The user's data folder for launchers and icons: `$XDG_DATA_HOME` when it
/// is an absolute path, else `~/.local/share`.
pub fn data_home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|dirs| dirs.data_dir().to_path_buf())
}

/// What `install-desktop` writes, relative to the data home.
pub fn installed_files() -> [(&'static str, &'static [u8]); 2] {
    [
        ("icons/hicolor/256x256/apps/kith.png", ICON_256),
        ("icons/hicolor/64x64/apps/kith.png", ICON_64),
    ]
}

/// The launcher's path, relative to the data home.
pub const DESKTOP_FILE: &str = "applications/kith.desktop";

/// Make the folders of `relative` inside `root` (owner-only when made
/// here), refusing any below `root` that is a symbolic link or not a
/// folder.
fn make_dirs(root: &Path, relative: &Path) -> Result<PathBuf, String> {
    let mut dir = root.to_path_buf();
    let mut parts = vec![];
    if let Some(parent) = relative.parent() {
        parts.extend(parent.components());
    }
    // The data home itself may be a link (a dotfiles setup often makes
    // ~/.local/share one); it is made, with its parents, when missing.
    if !dir.is_dir() {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(&dir)
            .map_err(|e| format!("cannot make {}: {e}", crate::storage::guard::shown(&dir)))?;
    }
    for part in parts {
        dir.push(part);
        check_dir(&dir, true)?;
    }
    Ok(dir)
}

/// Check (and with `create`, make) one folder without following a link.
fn check_dir(dir: &Path, create: bool) -> Result<(), String> {
    let shown = crate::storage::guard::shown(dir);
    match std::fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => Err(format!(
            "{shown} is a symbolic link; kith does not write through links"
        )),
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(format!("{shown} is not a folder")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                builder.mode(0o700);
            }
            builder
                .create(dir)
                .map_err(|e| format!("cannot make {shown}: {e}"))
        }
        Err(e) => Err(format!("cannot read {shown}: {e}")),
    }
}

/// Write `bytes` to `root/relative` atomically and owner-only, never
/// through a link.
fn write_file(root: &Path, relative: &str, bytes: &[u8]) -> Result<PathBuf, String> {
    let dir = make_dirs(root, Path::new(relative))?;
    let target = root.join(relative);
    let shown = crate::storage::guard::shown(&target);
    match std::fs::symlink_metadata(&target) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(format!(
                "{shown} is a symbolic link; kith does not write through links"
            ));
        }
        Ok(meta) if !meta.is_file() => return Err(format!("{shown} is not a regular file")),
        _ => {}
    }
    // A temporary file is created owner-only (0600) and never through a link.
    let mut temp = tempfile::Builder::new()
        .prefix(".kith-install-")
        .tempfile_in(&dir)
        .map_err(|e| {
            format!(
                "cannot write in {}: {e}",
                crate::storage::guard::shown(&dir)
            )
        })?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| format!("cannot write {shown}: {e}"))?;
    temp.persist(&target)
        .map_err(|e| format!("cannot write {shown}: {}", e.error))?;
    Ok(target)
}

/// Remove `root/relative` when it is a regular file kith could have
/// written (a link is left alone). `Ok(None)` when it was not there.
fn remove_file(root: &Path, relative: &str) -> Result<Option<PathBuf>, String> {
    let target = root.join(relative);
    let shown = crate::storage::guard::shown(&target);
    if let Some(parent) = Path::new(relative).parent() {
        let mut dir = root.to_path_buf();
        for part in parent.components() {
            dir.push(part);
            match std::fs::symlink_metadata(&dir) {
                Ok(meta) if meta.file_type().is_symlink() => {
                    return Err(format!(
                        "{} is a symbolic link; left alone",
                        crate::storage::guard::shown(&dir)
                    ));
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
                _ => {}
            }
        }
    }
    match std::fs::symlink_metadata(&target) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {shown}: {e}")),
        Ok(meta) if meta.file_type().is_symlink() => {
            Err(format!("{shown} is a symbolic link; left alone"))
        }
        Ok(meta) if !meta.is_file() => Err(format!("{shown} is not a regular file; left alone")),
        Ok(_) => std::fs::remove_file(&target)
            .map(|()| Some(target))
            .map_err(|e| format!("cannot remove {shown}: {e}")),
    }
}

/// What an install or a removal did: each line to print, and whether
/// anything failed.
#[derive(Debug, Default)]
pub struct Report {
    /// One line per file: what was done, or why not.
    pub lines: Vec<String>,
    /// True when any file failed.
    pub failed: bool,
}

/// Install the launcher (for the binary at `program`) and the icons under
/// `root`, or remove them with `remove`.
pub fn install(root: &Path, program: &Path, remove: bool) -> Report {
    let mut report = Report::default();
    let mut files: Vec<(&str, Result<Vec<u8>, String>)> = installed_files()
        .into_iter()
        .map(|(path, bytes)| (path, Ok(bytes.to_vec())))
        .collect();
    files.insert(
        0,
        (DESKTOP_FILE, desktop_entry(program).map(String::into_bytes)),
    );
    for (relative, bytes) in files {
        let outcome = if remove {
            remove_file(root, relative).map(|done| match done {
                Some(path) => format!("removed {}", crate::storage::guard::shown(&path)),
                None => format!(
                    "not installed: {}",
                    crate::storage::guard::shown(&root.join(relative))
                ),
            })
        } else {
            bytes
                .and_then(|bytes| write_file(root, relative, &bytes))
                .map(|path| format!("wrote {}", crate::storage::guard::shown(&path)))
        };
        match outcome {
            Ok(line) => report.lines.push(line),
            Err(why) => {
                report.failed = true;
                report.lines.push(format!("failed: {why}"));
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn exec_is_quoted_as_the_spec_says() {
        assert_eq!(exec_quoted("/usr/bin/kith").unwrap(), "/usr/bin/kith");
        assert_eq!(
            exec_quoted("/opt/my apps/kith").unwrap(),
            "\"/opt/my apps/kith\""
        );
        assert_eq!(
            exec_quoted("/opt/$HOME/100%/kith").unwrap(),
            "\"/opt/\\\\$HOME/100%%/kith\""
        );
        assert!(exec_quoted("/bin/a\nb").is_err());
    }

    #[test]
    fn the_entry_runs_this_program_and_keeps_the_rest() {
        let text = desktop_entry(Path::new("/home/ann/bin/kith")).unwrap();
        assert!(text.contains("\nExec=/home/ann/bin/kith\n"), "{text}");
        assert!(text.contains("\nIcon=kith\n"));
        assert!(text.starts_with("[Desktop Entry]\n"));
        assert_eq!(text.matches("Exec=").count(), 1);
    }

    #[test]
    fn the_icon_decodes_at_its_size() {
        let icon = window_icon().unwrap();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }

    #[test]
    fn install_then_remove_and_never_through_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("share");
        let report = install(&root, Path::new("/usr/bin/kith"), false);
        assert!(!report.failed, "{:?}", report.lines);
        assert_eq!(report.lines.len(), 3);
        let desktop = root.join(DESKTOP_FILE);
        assert!(
            std::fs::read_to_string(&desktop)
                .unwrap()
                .contains("Exec=/usr/bin/kith")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&desktop).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "owner-only");
        }
        let report = install(&root, Path::new("/usr/bin/kith"), true);
        assert!(!report.failed, "{:?}", report.lines);
        assert!(!desktop.exists());
        #[cfg(unix)]
        {
            let elsewhere = dir.path().join("elsewhere");
            std::fs::create_dir(&elsewhere).unwrap();
            let root = dir.path().join("linked");
            std::fs::create_dir(&root).unwrap();
            std::os::unix::fs::symlink(&elsewhere, root.join("icons")).unwrap();
            let report = install(&root, Path::new("/usr/bin/kith"), false);
            assert!(report.failed);
            assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        }
    }
}
