//! Disk full: the saver runs with a tiny file-size limit (`ulimit -f`), so
//! writes fail with EFBIG as on a full disk. The save reports which file
//! failed, and nothing already on disk is damaged or left half-written.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn stress_saver_child() {
    support::stress::child();
}

#[test]
fn failed_writes_damage_nothing_on_disk() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("data");
    // A normal run first, so there is data on disk.
    let mut child = support::stress::saver(&dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let month = dir.join("interactions/2026-01.ron");
    for _ in 0..200 {
        if month.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(100));
    child.kill().unwrap();
    child.wait().unwrap();
    // A temp file the kill left empty is swept only once it is 2 s old
    // (it could be a write between its creation and its lock).
    std::thread::sleep(Duration::from_millis(2100));
    let before = std::fs::read(&month).unwrap();
    assert!(
        before.len() > 2048,
        "the month file is larger than the limit below"
    );

    // Now with a 2 KiB file-size limit (SIGXFSZ ignored, so write() fails with EFBIG).
    let saver = support::stress::saver(&dir);
    let program = saver.get_program().to_str().unwrap().to_string();
    let args: Vec<String> = saver
        .get_args()
        .map(|a| format!("'{}'", a.to_str().unwrap()))
        .collect();
    let output = Command::new("sh")
        .args([
            "-c",
            &format!(
                "trap '' XFSZ; ulimit -f 2; exec '{program}' {}",
                args.join(" ")
            ),
        ])
        .envs(saver.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("could not save") && stderr.contains("2026-01.ron"),
        "{stderr}"
    );

    // The month file is exactly as it was; everything loads; no temp files.
    assert_eq!(std::fs::read(&month).unwrap(), before);
    let loaded = kith::storage::load_folder(&dir).unwrap();
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    for person in loaded.model.people.values() {
        assert_eq!(person.tags, vec![person.notes.clone()]);
    }
    for sub in ["people", "interactions"] {
        for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                !name.starts_with(kith::storage::atomic::TEMP_PREFIX),
                "left behind: {name}"
            );
        }
    }
}
