//! `kith import` of calendars, mail and chats, and `kith sources`, as a
//! user runs them: the preview says who, how matched, what was left out and
//! why; a second import of the same export writes nothing; a dry run writes
//! nothing; forgetting a source removes what came from it; links are
//! refused; contacts files still import as before.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const TODAY: &str = "2026-12-01";

fn kith(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--data")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every file of the data folder (but its lock) and its bytes.
fn snapshot(data: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![data.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != ".kith.lock") {
                files.insert(
                    path.strip_prefix(data).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

fn people_files(data: &Path) -> usize {
    fs::read_dir(data.join("people"))
        .map(|entries| entries.count())
        .unwrap_or(0)
}

fn month_files(data: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(data.join("interactions"))
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A data folder with Dana, Ben and Sam Carter in it.
fn folder() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let cards = dir.path().join("people.vcf");
    fs::write(
        &cards,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Whitfield\r\nEMAIL:dana@example.com\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Okafor\r\nEMAIL:ben@example.org\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Sam Carter\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let output = kith(&data, &["import", cards.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(people_files(&data), 3);
    (dir, data)
}

fn event(uid: &str, day: &str, title: &str, attendees: &[(&str, &str)]) -> String {
    let mut out = format!(
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:{day}T100000Z\r\nDTEND:{day}T110000Z\r\nSUMMARY:{title}\r\nORGANIZER;CN=Me:mailto:me@x.org\r\n"
    );
    for (name, email) in attendees {
        out.push_str(&format!(
            "ATTENDEE;CN={name};PARTSTAT=ACCEPTED:mailto:{email}\r\n"
        ));
    }
    out.push_str("END:VEVENT\r\n");
    out
}

/// Two meetings (Dana; Ben), a future one, and a broken one.
fn calendar() -> String {
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kith tests//EN\r\nX-WR-CALNAME:Work calendar\r\n",
    );
    out.push_str(&event(
        "coffee@test",
        "20261103",
        "Coffee",
        &[("Dana Whitfield", "dana@example.com")],
    ));
    out.push_str(&event(
        "lunch@test",
        "20261110",
        "Lunch",
        &[("Ben Okafor", "ben@example.org")],
    ));
    out.push_str(&event(
        "later@test",
        "20300110",
        "Later",
        &[("Ben Okafor", "ben@example.org")],
    ));
    out.push_str("BEGIN:VEVENT\r\nUID:broken@test\r\nDTSTART:notadate\r\nSUMMARY:Broken\r\nATTENDEE:mailto:ben@example.org\r\nEND:VEVENT\r\n");
    out.push_str("END:VCALENDAR\r\n");
    out
}

#[test]
fn a_calendar_imports_once_a_dry_run_and_a_second_import_write_nothing() {
    let (dir, data) = folder();
    let file = dir.path().join("work.ics");
    fs::write(&file, calendar()).unwrap();
    let before = snapshot(&data);
    let output = kith(
        &data,
        &[
            "import",
            "--dry-run",
            "--today",
            TODAY,
            file.to_str().unwrap(),
        ],
    );
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("iCalendar \"Work calendar\": 2 interactions with 2 people (2 new, 0 adding to existing), 0 already in kith"),
        "{shown}"
    );
    assert!(
        shown.contains("  Dana Whitfield (e-mail dana@example.com): 1 new, last 2026-11-03"),
        "{shown}"
    );
    assert!(shown.contains("in the future"), "{shown}");
    // Bad input is reported by line, and the rest still imports.
    assert!(shown.contains("  problem at line "), "{shown}");
    assert!(shown.contains("dry run: nothing written"), "{shown}");
    assert_eq!(snapshot(&data), before, "a dry run writes nothing");

    let output = kith(&data, &["import", "--today", TODAY, file.to_str().unwrap()]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("imported: 2 interactions written"),
        "{shown}"
    );
    assert_eq!(month_files(&data), vec!["2026-11.ron"]);
    let month = fs::read_to_string(data.join("interactions/2026-11.ron")).unwrap();
    assert!(month.contains("note: \"Coffee\""), "titles kept: {month}");
    let after = snapshot(&data);

    let output = kith(&data, &["import", "--today", TODAY, file.to_str().unwrap()]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("2 already in kith"), "{shown}");
    assert!(
        shown.contains("nothing new: every interaction is already in kith"),
        "{shown}"
    );
    assert_eq!(snapshot(&data), after, "a second import writes nothing");

    // `sources refresh` reads the file again: still nothing new.
    let output = kith(&data, &["sources", "refresh", "--today", TODAY]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("nothing new"), "{}", text(&output));
    assert_eq!(snapshot(&data), after);
}

#[test]
fn sources_are_listed_and_forgetting_one_removes_its_interactions() {
    let (dir, data) = folder();
    let file = dir.path().join("work.ics");
    fs::write(&file, calendar()).unwrap();
    let output = kith(
        &data,
        &[
            "import",
            "--today",
            TODAY,
            "--no-titles",
            "--name",
            "Job",
            file.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let month = fs::read_to_string(data.join("interactions/2026-11.ron")).unwrap();
    assert!(!month.contains("note: \"Coffee\""), "no titles: {month}");

    let output = kith(&data, &["sources"]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("\"Job\": 2 interactions, last imported 2026-12-01, no titles"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!("from {}", file.display())),
        "{shown}"
    );
    let output = kith(&data, &["sources", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(list[0]["name"], "Job");
    assert_eq!(list[0]["interactions"], 2);
    assert_eq!(list[0]["titles"], false);
    let id = list[0]["id"].as_str().unwrap().to_string();

    let output = kith(&data, &["sources", "forget", "nobody"]);
    assert_eq!(output.status.code(), Some(1));
    let output = kith(&data, &["sources", "forget", "--dry-run", "job"]);
    assert!(
        text(&output).contains("would forget \"Job\""),
        "{}",
        text(&output)
    );
    assert_eq!(month_files(&data), vec!["2026-11.ron"]);

    let output = kith(&data, &["sources", "forget", &id]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains(&format!("forgot \"Job\" ({id}): 2 interactions removed")),
        "{shown}"
    );
    assert!(month_files(&data).is_empty(), "{:?}", month_files(&data));
    let output = kith(&data, &["sources"]);
    assert!(
        text(&output).contains("no sources yet"),
        "{}",
        text(&output)
    );
    assert_eq!(people_files(&data), 3, "people stay");
}

#[test]
fn someone_met_often_but_not_in_kith_is_offered_and_added_on_request() {
    let (dir, data) = folder();
    let mut ics = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n");
    for (i, day) in ["20261002", "20261009", "20261016"].iter().enumerate() {
        ics.push_str(&event(
            &format!("standup-{i}@test"),
            day,
            "Standup",
            &[
                ("Dana Whitfield", "dana@example.com"),
                ("Lee Park", "lee@park.example"),
            ],
        ));
    }
    ics.push_str("END:VCALENDAR\r\n");
    let file = dir.path().join("team.ics");
    fs::write(&file, ics).unwrap();
    let output = kith(
        &data,
        &[
            "import",
            "--dry-run",
            "--today",
            TODAY,
            file.to_str().unwrap(),
        ],
    );
    let shown = text(&output);
    assert!(
        shown.contains("  not in kith: Lee Park <lee@park.example> (3 interactions) — add with --add-unknown, ignore with --ignore-unknown"),
        "{shown}"
    );
    let output = kith(
        &data,
        &[
            "import",
            "--add-unknown",
            "--me",
            "me@x.org",
            "--today",
            TODAY,
            file.to_str().unwrap(),
        ],
    );
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains("  Lee Park (added by you): 3 new"),
        "{shown}"
    );
    assert!(shown.contains("1 person added"), "{shown}");
    assert!(!shown.contains("Me (added by you)"), "{shown}");
    assert_eq!(people_files(&data), 4);
    let output = kith(
        &data,
        &[
            "import",
            "--add-unknown",
            "--ignore-unknown",
            file.to_str().unwrap(),
        ],
    );
    assert!(!output.status.success(), "the two cannot go together");
}

fn mail(id: &str, date: &str, from: &str, to: &str, subject: &str) -> String {
    format!(
        "Message-ID: <{id}>\nDate: {date}\nFrom: {from}\nTo: {to}\nSubject: {subject}\n\nHello\n"
    )
}

#[test]
fn an_mbox_and_a_maildir_import_as_messages() {
    let (dir, data) = folder();
    let mbox = dir.path().join("All mail.mbox");
    let mut text_mbox = String::new();
    text_mbox.push_str("From dana@example.com Tue Nov  3 10:00:00 2026\n");
    text_mbox.push_str(&mail(
        "m1@example.com",
        "Tue, 3 Nov 2026 10:00:00 +0000",
        "Dana Whitfield <dana@example.com>",
        "me@x.org",
        "Plans",
    ));
    text_mbox.push_str("\nFrom me@x.org Wed Nov  4 10:00:00 2026\n");
    text_mbox.push_str(&mail(
        "m2@x.org",
        "Wed, 4 Nov 2026 10:00:00 +0000",
        "Me <me@x.org>",
        "Dana Whitfield <dana@example.com>",
        "Re: Plans",
    ));
    fs::write(&mbox, text_mbox).unwrap();
    let output = kith(
        &data,
        &[
            "import",
            "--me",
            "me@x.org",
            "--today",
            TODAY,
            mbox.to_str().unwrap(),
        ],
    );
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains(": mbox \""), "{shown}");
    assert!(
        shown.contains("Dana Whitfield (e-mail dana@example.com): 2 new"),
        "{shown}"
    );
    assert!(
        shown.contains("imported: 2 interactions written"),
        "{shown}"
    );
    let settings = fs::read_to_string(data.join("settings.ron")).unwrap_or_default();
    let profile = snapshot(&data)
        .values()
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect::<String>();
    assert!(
        profile.contains("me@x.org") || settings.contains("me@x.org"),
        "--me is saved as your address"
    );

    // The same mail in a Maildir: nothing new.
    let maildir = dir.path().join("Mail");
    for sub in ["cur", "new", "tmp"] {
        fs::create_dir_all(maildir.join(sub)).unwrap();
    }
    fs::write(
        maildir.join("cur/1.host:2,S"),
        mail(
            "m1@example.com",
            "Tue, 3 Nov 2026 10:00:00 +0000",
            "Dana Whitfield <dana@example.com>",
            "me@x.org",
            "Plans",
        ),
    )
    .unwrap();
    fs::write(
        maildir.join("new/2.host"),
        mail(
            "m3@example.org",
            "Fri, 13 Nov 2026 09:00:00 +0000",
            "Ben Okafor <ben@example.org>",
            "me@x.org",
            "Hi",
        ),
    )
    .unwrap();
    let before = snapshot(&data);
    let output = kith(
        &data,
        &["import", "--today", TODAY, maildir.to_str().unwrap()],
    );
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains(": Maildir \""), "{shown}");
    assert!(
        shown.contains("Ben Okafor (e-mail ben@example.org): 1 new"),
        "{shown}"
    );
    assert!(
        !shown.contains("Dana Whitfield"),
        "Dana's mail is already in: {shown}"
    );
    assert_ne!(snapshot(&data), before);

    // A folder that is no Maildir is named as such.
    let photos = dir.path().join("photos");
    fs::create_dir_all(&photos).unwrap();
    let output = kith(&data, &["import", photos.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("not a Maildir folder: no cur or new inside"),
        "{}",
        text(&output)
    );
}

#[test]
fn a_whatsapp_chat_imports_one_interaction_per_day() {
    let (dir, data) = folder();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/history/chat/WhatsApp Chat with Ben Okafor.txt");
    let file = dir.path().join("WhatsApp Chat with Ben Okafor.txt");
    fs::copy(&fixture, &file).unwrap();
    let output = kith(&data, &["import", "--today", TODAY, file.to_str().unwrap()]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("WhatsApp chat"), "{shown}");
    assert!(shown.contains("Ben Okafor (name)"), "{shown}");
    assert!(shown.contains("imported: "), "{shown}");
    assert_eq!(month_files(&data), vec!["2026-09.ron"]);
    let output = kith(&data, &["import", "--today", TODAY, file.to_str().unwrap()]);
    assert!(text(&output).contains("nothing new"), "{}", text(&output));
}

/// A real HTTP server on 127.0.0.1 serving `body` at /cal.ics (and a
/// redirect to it at /sub) for `count` requests.
fn serve(body: String, count: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for _ in 0..count {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let answer = if first.contains(" /sub ") {
                "HTTP/1.1 302 Found\r\nLocation: /cal.ics\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
            } else if first.contains(" /cal.ics ") {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string()
            };
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    format!("http://127.0.0.1:{port}")
}

#[test]
fn a_calendar_url_is_fetched_and_refreshed() {
    let (_dir, data) = folder();
    let base = serve(calendar(), 5);
    let url = format!("{base}/sub");
    let output = kith(&data, &["import", "--today", TODAY, &url]);
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(
        shown.contains(&format!("{url}: iCalendar \"Work calendar\"")),
        "{shown}"
    );
    assert!(
        shown.contains("imported: 2 interactions written"),
        "{shown}"
    );
    let output = kith(&data, &["sources", "list", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(list[0]["location"], url.as_str());
    let after = snapshot(&data);
    let output = kith(
        &data,
        &["sources", "refresh", "work calendar", "--today", TODAY],
    );
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("nothing new"), "{shown}");
    assert_eq!(snapshot(&data), after);
    let output = kith(&data, &["import", &format!("{base}/gone.ics")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("answered 404"), "{}", text(&output));
}

#[cfg(unix)]
#[test]
fn a_linked_export_is_refused_and_contacts_still_import_as_before() {
    let (dir, data) = folder();
    let file = dir.path().join("work.ics");
    fs::write(&file, calendar()).unwrap();
    let link = dir.path().join("link.ics");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let before = snapshot(&data);
    let output = kith(&data, &["import", link.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("is a symbolic link; kith does not follow links"),
        "{}",
        text(&output)
    );
    assert_eq!(snapshot(&data), before);

    // Contacts: a vCard (also through a link the user named) and a CSV.
    let cards = dir.path().join("more.vcf");
    fs::write(
        &cards,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let card_link = dir.path().join("more-link.vcf");
    std::os::unix::fs::symlink(&cards, &card_link).unwrap();
    let output = kith(&data, &["import", card_link.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("vCard (1 contacts): 1 new"),
        "{}",
        text(&output)
    );
    let csv = dir.path().join("google.csv");
    fs::write(
        &csv,
        "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value\nKim Ito,Kim,Ito,* Home,kim@example.net\n",
    )
    .unwrap();
    let output = kith(&data, &["import", csv.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(people_files(&data), 5);
    // History flags with a contacts file are an error, and nothing is written.
    let before = snapshot(&data);
    let output = kith(&data, &["import", "--no-titles", cards.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output).contains("is read as contacts"),
        "{}",
        text(&output)
    );
    assert_eq!(snapshot(&data), before);
}

#[test]
fn a_file_with_nothing_to_import_writes_nothing_and_says_why() {
    let (dir, data) = folder();
    let file = dir.path().join("junk.ics");
    fs::write(
        &file,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:never\r\nATTENDEE:mailto:dana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let before = snapshot(&data);
    let output = kith(&data, &["import", "--today", TODAY, file.to_str().unwrap()]);
    let shown = text(&output);
    assert!(shown.contains("line 4"), "{shown}");
    assert!(
        shown.contains("nothing could be read") || shown.contains("nothing to import"),
        "{shown}"
    );
    assert_eq!(snapshot(&data), before);
    let empty = dir.path().join("empty.ics");
    fs::write(&empty, "").unwrap();
    let output = kith(&data, &["import", empty.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("empty"), "{}", text(&output));
    let output = kith(
        &data,
        &["import", dir.path().join("none.ics").to_str().unwrap()],
    );
    assert!(!output.status.success());
    assert!(text(&output).contains("missing"), "{}", text(&output));
}

#[test]
fn the_mailbox_owner_is_proposed_as_you_and_confirmed_with_me() {
    let (dir, data) = folder();
    let mbox = dir.path().join("inbox.mbox");
    let mut text_mbox = String::new();
    for day in 2..5 {
        text_mbox.push_str(&format!(
            "From dana@example.com Mon Nov  {day} 10:00:00 2026\n"
        ));
        text_mbox.push_str(&mail(
            &format!("d{day}@example.com"),
            &format!("{day} Nov 2026 10:00:00 +0000"),
            "Dana Whitfield <dana@example.com>",
            "Me <me@x.org>",
            "Hi",
        ));
        text_mbox.push('\n');
    }
    fs::write(&mbox, text_mbox).unwrap();
    let output = kith(
        &data,
        &[
            "import",
            "--dry-run",
            "--today",
            TODAY,
            mbox.to_str().unwrap(),
        ],
    );
    let shown = text(&output);
    assert!(
        shown.contains(
            "  your address looks like me@x.org (3 messages); confirm with --me me@x.org"
        ),
        "{shown}"
    );
    assert!(
        !shown.contains("not in kith: Me"),
        "you are not offered as a person: {shown}"
    );
    let output = kith(
        &data,
        &[
            "import",
            "--add-unknown",
            "--me",
            "me@x.org",
            "--today",
            TODAY,
            mbox.to_str().unwrap(),
        ],
    );
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(!shown.contains("your address looks like"), "{shown}");
    assert!(
        shown.contains("Dana Whitfield (e-mail dana@example.com): 3 new"),
        "{shown}"
    );
    assert_eq!(people_files(&data), 3, "nobody added");
    let output = kith(&data, &["import", "--me", "Dana", mbox.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output).contains("--me takes your e-mail address or phone number"));
}

#[test]
fn an_export_folder_is_read_by_the_export_inside_it() {
    let (dir, data) = folder();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/history/chat/signal/Jane Doe/chat.md");
    let chat = dir.path().join("Jane Doe");
    fs::create_dir_all(&chat).unwrap();
    fs::copy(&fixture, chat.join("chat.md")).unwrap();
    let output = kith(
        &data,
        &[
            "import",
            "--dry-run",
            "--today",
            TODAY,
            chat.to_str().unwrap(),
        ],
    );
    let shown = text(&output);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("Signal export"), "{shown}");
}
