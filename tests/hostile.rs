//! The command line against hostile folders, files and pipes (issue "the
//! data folder is untrusted input"): a closed stdout, export targets that
//! are links, devices or bare names, a huge import, escape codes in file
//! names, and a CLI that never reports success for work it did not do.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kith(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn cards(count: usize) -> String {
    (0..count)
        .map(|n| {
            format!(
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:p{n}@example.com\r\nEND:VCARD\r\n"
            )
        })
        .collect()
}

/// A folder with `count` people imported by the binary: the scratch folder,
/// the data folder inside it, and the contacts file used.
fn imported(count: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("contacts.vcf");
    fs::write(&file, cards(count)).unwrap();
    assert!(
        kith(&data, &["import", file.to_str().unwrap()])
            .status
            .success()
    );
    (dir, data, file)
}

fn people_files(data: &Path) -> usize {
    fs::read_dir(data.join("people"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

#[test]
fn the_stress_saver_is_not_part_of_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let output = kith(dir.path(), &["stress-save"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unrecognized subcommand"));
    assert!(
        fs::read_dir(dir.path()).unwrap().next().is_none(),
        "it touched the folder"
    );
}

#[test]
fn a_closed_stdout_never_changes_what_an_import_writes() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.vcf");
    fs::write(&file, cards(300)).unwrap();
    let data = dir.path().join("data");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--data")
        .arg(&data)
        .arg("import")
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // `| head -0`: the reader is gone at once
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert_eq!(people_files(&data), 300);
}

#[test]
fn exports_go_to_bare_names_stdout_and_fifos_but_never_through_a_link() {
    let (dir, data, _file) = imported(3);

    // A bare file name: written in the working folder, exit 0.
    let output = Command::new(env!("CARGO_BIN_EXE_kith"))
        .current_dir(dir.path())
        .args([
            "--data",
            data.to_str().unwrap(),
            "export",
            "--format",
            "csv",
            "--out",
            "x.csv",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        fs::read_to_string(dir.path().join("x.csv"))
            .unwrap()
            .contains("p2@example.com")
    );

    // /dev/stdout is standard output.
    let output = kith(
        &data,
        &["export", "--format", "vcard", "--out", "/dev/stdout"],
    );
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stdout).contains("FN:Person 1"));
    assert!(
        fs::symlink_metadata("/dev/stdout")
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // A link is refused, and what it points at is untouched.
    let target = dir.path().join("precious.txt");
    fs::write(&target, "keep").unwrap();
    let link = dir.path().join("out.vcf");
    symlink(&target, &link).unwrap();
    let output = kith(
        &data,
        &[
            "export",
            "--format",
            "vcard",
            "--out",
            link.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("symbolic link"));
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep");
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // A FIFO is written as a stream and stays a FIFO.
    let fifo = dir.path().join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    let output = kith(
        &data,
        &["export", "--format", "csv", "--out", fifo.to_str().unwrap()],
    );
    assert!(output.status.success());
    assert!(reader.join().unwrap().contains("p0@example.com"));
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn an_export_sweeps_the_temp_files_killed_exports_left_beside_it() {
    let (dir, data, _file) = imported(2);
    let out = dir.path().join("exports");
    fs::create_dir(&out).unwrap();
    let left = out.join(format!(
        "{}0123456789abcdef-0-everyone.vcf",
        kith::storage::atomic::TEMP_PREFIX
    ));
    fs::write(&left, "a whole address book, torn").unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(600);
    fs::OpenOptions::new()
        .write(true)
        .open(&left)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let mine = out.join("notes.txt");
    fs::write(&mine, "not kith's").unwrap();
    let target = out.join("everyone.vcf");
    let output = kith(
        &data,
        &[
            "export",
            "--format",
            "vcard",
            "--out",
            target.to_str().unwrap(),
        ],
    );
    assert!(output.status.success());
    assert!(!left.exists(), "the torn temp file is still there");
    assert!(mine.exists());
    let names: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn escape_codes_in_file_names_cannot_fake_check_output() {
    let (_dir, data, _file) = imported(1);
    let evil = data.join("people").join(format!(
        "{}.ron\nok: every file loaded\u{1b}[2K\r",
        uuid::Uuid::new_v4()
    ));
    fs::write(&evil, "x").unwrap();
    let damaged = data
        .join("people")
        .join(format!("{}.ron", uuid::Uuid::new_v4()));
    fs::write(&damaged, "(\u{1b}]0;owned\u{7}").unwrap();
    let output = kith(&data, &["check"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\r'),
        "{stdout:?}"
    );
    assert!(
        !stdout.lines().any(|line| line.starts_with("ok:")),
        "{stdout}"
    );
}

#[test]
fn a_huge_import_is_refused_at_once_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let huge = dir.path().join("huge.vcf");
    fs::File::create(&huge).unwrap().set_len(1 << 30).unwrap();
    let output = kith(&data, &["import", huge.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("over kith's limit"), "{stderr}");
    assert_eq!(people_files(&data), 0);
    // A device is refused too, not read forever.
    let output = kith(&data, &["import", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn an_import_that_could_not_write_everything_says_so_and_fails() {
    let (_dir, data, file) = imported(2);
    // Person 0's file gets a second spelling: both are protected.
    let loaded = kith::storage::load_folder(&data).unwrap();
    let person = loaded
        .model
        .people
        .values()
        .find(|p| p.name == "Person 0")
        .unwrap();
    let canonical = data.join("people").join(format!("{}.ron", person.id));
    let alias = data
        .join("people")
        .join(format!("{}.ron", person.id.0.to_string().to_uppercase()));
    fs::copy(&canonical, &alias).unwrap();
    let before = fs::read(&canonical).unwrap();
    let update = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person 0\r\nEMAIL:p0@example.com\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n";
    fs::write(&file, update).unwrap();
    let output = kith(&data, &["import", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("import incomplete"), "{stdout}");
    assert!(!stdout.contains("imported:"), "{stdout}");
    assert_eq!(fs::read(&canonical).unwrap(), before);
}

#[test]
fn an_export_of_a_folder_with_a_damaged_file_needs_allow_partial() {
    let (dir, data, _file) = imported(2);
    fs::write(
        data.join("people")
            .join(format!("{}.ron", uuid::Uuid::new_v4())),
        "(format: 2, person: (",
    )
    .unwrap();
    let out = dir.path().join("out.csv");
    let output = kith(
        &data,
        &["export", "--format", "csv", "--out", out.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--allow-partial"));
    assert!(!out.exists());
    let output = kith(
        &data,
        &[
            "export",
            "--format",
            "csv",
            "--allow-partial",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success());
    assert!(fs::read_to_string(&out).unwrap().contains("p1@example.com"));
}
