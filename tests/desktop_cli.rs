//! `kith install-desktop` in a temporary HOME and XDG_DATA_HOME: it writes
//! the launcher (running this binary) and the icons, owner-only, prints
//! each path, undoes it all with `--remove`, refuses to write through a
//! symbolic link (exit 1), and a settings file from before notifications
//! existed loads with them on.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

fn kith(home: &Path, data_home: Option<&Path>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kith"));
    command
        .env("HOME", home)
        .env_remove("XDG_DATA_HOME")
        .arg("--data")
        .arg(home.join("kith-data"))
        .args(args);
    if let Some(dir) = data_home {
        command.env("XDG_DATA_HOME", dir);
    }
    command.output().unwrap()
}

#[test]
fn install_then_remove_in_xdg_data_home() {
    let dir = tempfile::tempdir().unwrap();
    let data_home = dir.path().join("xdg");
    let output = kith(dir.path(), Some(&data_home), &["install-desktop"]);
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{output:?}");
    let desktop = data_home.join("applications/kith.desktop");
    let icon = data_home.join("icons/hicolor/256x256/apps/kith.png");
    assert!(
        text.contains(&format!("wrote {}", desktop.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!("wrote {}", icon.display())),
        "{text}"
    );
    let entry = std::fs::read_to_string(&desktop).unwrap();
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_kith")).unwrap();
    assert!(
        entry.contains(&format!("\nExec={}\n", exe.display())),
        "{entry}"
    );
    assert!(entry.contains("\nIcon=kith\n"));
    assert_eq!(
        std::fs::read(&icon).unwrap(),
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/icon-256.png")).unwrap()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for path in [&desktop, &icon] {
            let mode = std::fs::metadata(path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{} is owner-only", path.display());
        }
    }
    let output = kith(
        dir.path(),
        Some(&data_home),
        &["install-desktop", "--remove"],
    );
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{output:?}");
    assert!(
        text.contains(&format!("removed {}", desktop.display())),
        "{text}"
    );
    assert!(!desktop.exists() && !icon.exists());
    // Removing again says nothing was installed, and is no failure.
    let output = kith(
        dir.path(),
        Some(&data_home),
        &["install-desktop", "--remove"],
    );
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("not installed"));
}

#[test]
fn without_xdg_data_home_it_uses_home_local_share() {
    let dir = tempfile::tempdir().unwrap();
    let output = kith(dir.path(), None, &["install-desktop"]);
    assert!(output.status.success(), "{output:?}");
    assert!(
        dir.path()
            .join(".local/share/applications/kith.desktop")
            .is_file()
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_is_never_written_through_and_fails_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let data_home = dir.path().join("xdg");
    std::fs::create_dir_all(data_home.join("applications")).unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, data_home.join("applications/kith.desktop")).unwrap();
    let output = kith(dir.path(), Some(&data_home), &["install-desktop"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("symbolic link"), "{text}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}

#[test]
fn a_settings_file_without_the_notifications_field_loads_with_them_on() {
    let text = "(\n    format: 3,\n    settings: (\n        cadence_days: {},\n        is_demo: false,\n    ),\n)\n";
    let settings = kith::storage::format::read_settings(text).unwrap();
    assert!(settings.notifications);
    // And through the whole folder loader.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(kith::storage::SETTINGS_FILE), text).unwrap();
    let loaded = kith::storage::load_folder(dir.path()).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems.len());
    assert!(loaded.model.settings.notifications);
    // Turned off, it stays off after a write and a read.
    let mut off = loaded.model.settings.clone();
    off.notifications = false;
    let written = kith::storage::format::write_settings(&off).unwrap();
    assert!(
        !kith::storage::format::read_settings(&written)
            .unwrap()
            .notifications
    );
}
