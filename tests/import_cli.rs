//! `kith import` as a user runs it twice on the same address book: the
//! preview says, per match, what a merge changes (old -> new); a match on
//! the name alone is kept as a new person unless asked; nobody is duplicated.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn kith(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn people_files(data: &Path) -> usize {
    fs::read_dir(data.join("people"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

#[test]
fn a_second_import_shows_its_changes_and_duplicates_nobody() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = dir.path().join("phone.vcf");
    fs::write(
        &first,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nUID:phone-1\r\nTEL;TYPE=CELL:+1 555 0100\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Chen\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let output = kith(&data, &["import", first.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(people_files(&data), 2);
    let second = dir.path().join("phone-later.vcf");
    fs::write(
        &second,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nUID:phone-1\r\nTEL;TYPE=CELL:+1 555 0100\r\nBDAY:1980-03-22\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Chen\r\nNOTE:a different Bo\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let output = kith(&data, &["import", "--dry-run", second.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{text}");
    assert!(
        text.contains("match: Ann Lee -> Ann Lee (same UID phone-1): merge"),
        "{text}"
    );
    assert!(
        text.contains("    Dates: (none) -> Birthday 22 March 1980"),
        "{text}"
    );
    assert!(
        text.contains("match: Bo Chen -> Bo Chen (same name): keep both"),
        "{text}"
    );
    assert_eq!(people_files(&data), 2, "a dry run writes nothing");
    let output = kith(&data, &["import", second.to_str().unwrap()]);
    assert!(output.status.success());
    // Ann merged by UID; the same-name Bo kept apart.
    assert_eq!(people_files(&data), 3);
    let output = kith(
        &data,
        &["import", "--merge-same-names", second.to_str().unwrap()],
    );
    assert!(output.status.success());
    assert_eq!(people_files(&data), 3);
}

#[test]
fn an_imported_photo_is_stored_beside_the_record_and_exported_again() {
    use std::io::Cursor;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A 1200x800 PNG, as a phone might send: stored scaled down as a JPEG.
    let image = image::RgbImage::from_fn(1200, 800, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let card = format!(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nPHOTO;ENCODING=b;TYPE=PNG:{}\r\nEND:VCARD\r\n",
        kith::photo::encode_base64(&png)
    );
    let file = dir.path().join("ann.vcf");
    fs::write(&file, card).unwrap();
    let output = kith(&data, &["import", file.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let photos: Vec<_> = fs::read_dir(data.join("photos"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(photos.len(), 1);
    let stored = fs::read(&photos[0]).unwrap();
    assert_eq!(&stored[..3], b"\xFF\xD8\xFF", "a JPEG");
    let (width, height, _) = kith::photo::decode_rgba(&stored).unwrap();
    assert_eq!((width, height), (512, 341));
    // The record holds no base64.
    let record = fs::read_dir(data.join("people"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert!(fs::read_to_string(record).unwrap().len() < 2_000);
    let output = kith(&data, &["export", "--format", "vcard"]);
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("PHOTO:data:image/jpeg;base64,/9j/"), "{text}");
}
