#![allow(clippy::unwrap_used)]

use super::*;
use crate::history::tz::Zone;
use chrono::NaiveDate;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;

fn opts() -> ReadOptions {
    ReadOptions {
        today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        zone: Zone::Utc,
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
}

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTART:20261103T100000Z\r\nSUMMARY:Coffee\r\nATTENDEE;CN=Dana:mailto:dana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[test]
fn calendars_are_recognised_with_a_bom_blank_lines_or_in_utf16() {
    assert_eq!(
        detect_bytes(CALENDAR.as_bytes()),
        Some(HistoryFormat::Calendar)
    );
    let bom = [&[0xEF, 0xBB, 0xBF][..], CALENDAR.as_bytes()].concat();
    assert_eq!(detect_bytes(&bom), Some(HistoryFormat::Calendar));
    assert_eq!(
        detect_bytes(format!("\r\n  \n{}", CALENDAR.to_lowercase()).as_bytes()),
        Some(HistoryFormat::Calendar)
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(CALENDAR.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(detect_bytes(&utf16), Some(HistoryFormat::Calendar));
    // Cut anywhere (a 64 KB prefix ends mid-character): still no panic.
    for end in 0..utf16.len() {
        let _ = detect_bytes(&utf16[..end]);
    }
    let text = "BEGIN:VCALENDAR\r\nSUMMARY:Zoë ☕\r\n";
    for end in 0..text.len() {
        let _ = detect_bytes(&text.as_bytes()[..end]);
    }
}

#[test]
fn mbox_is_recognised() {
    assert_eq!(
        detect_bytes(
            b"From dana@example.com Tue Nov  3 10:00:00 2026\nFrom: Dana <dana@example.com>\n"
        ),
        Some(HistoryFormat::Mbox)
    );
}

#[test]
fn vcards_and_contact_lists_are_never_claimed() {
    assert_eq!(
        detect_bytes(b"BEGIN:VCARD\r\nFN:Dana\r\nEND:VCARD\r\n"),
        None
    );
    assert_eq!(
        detect_bytes(b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"),
        None
    );
    assert_eq!(detect_bytes(b""), None);
    assert_eq!(detect_bytes(b"hello\n"), None);
}

#[test]
fn every_corpus_file_is_recognised_as_what_it_is() {
    let root = corpus();
    let Ok(kinds) = std::fs::read_dir(&root) else {
        eprintln!("no corpus at {}; skipped", root.display());
        return;
    };
    let mut seen = 0;
    for kind in kinds {
        let kind = kind.unwrap().path();
        if !kind.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&kind).unwrap() {
            let file = file.unwrap().path();
            let ext = file
                .extension()
                .map(|e| e.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            let expected = match ext.as_str() {
                "ics" => Some(HistoryFormat::Calendar),
                "vcf" | "csv" => None,
                _ => continue,
            };
            assert_eq!(detect_path(&file).unwrap(), expected, "{}", file.display());
            seen += 1;
        }
    }
    assert!(seen >= 20, "only {seen} corpus files");
}

#[test]
fn a_maildir_is_a_folder_with_cur_or_new() {
    let dir = tempfile::tempdir().unwrap();
    let mail = dir.path().join("Mail");
    std::fs::create_dir_all(mail.join("new")).unwrap();
    assert_eq!(detect_path(&mail).unwrap(), Some(HistoryFormat::Maildir));
    let other = dir.path().join("photos");
    std::fs::create_dir_all(&other).unwrap();
    let error = detect_path(&other).unwrap_err().to_string();
    assert!(
        error.contains("not a Maildir folder: no cur or new inside"),
        "{error}"
    );
    assert!(detect_path(&dir.path().join("missing")).is_err());
}

#[cfg(unix)]
#[test]
fn links_are_refused_and_pipes_left_to_the_contacts_import() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("cal.ics");
    std::fs::write(&real, CALENDAR).unwrap();
    assert_eq!(detect_path(&real).unwrap(), Some(HistoryFormat::Calendar));
    let link = dir.path().join("link.ics");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let error = detect_path(&link).unwrap_err().to_string();
    assert!(
        error.contains("is a symbolic link; kith does not follow links"),
        "{error}"
    );
    let error = read_path(&link, HistoryFormat::Calendar, &opts())
        .unwrap_err()
        .to_string();
    assert!(error.contains("symbolic link"), "{error}");
    let error = read_path(&link, HistoryFormat::Mbox, &opts())
        .unwrap_err()
        .to_string();
    assert!(error.contains("symbolic link"), "{error}");
    // A link to a Maildir is refused too.
    let mail = dir.path().join("Mail");
    std::fs::create_dir_all(mail.join("cur")).unwrap();
    let mail_link = dir.path().join("MailLink");
    std::os::unix::fs::symlink(&mail, &mail_link).unwrap();
    assert!(detect_path(&mail_link).is_err());
    assert!(read_path(&mail_link, HistoryFormat::Maildir, &opts()).is_err());
    // A FIFO is never opened here (it would block): the contacts import
    // reads pipes.
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    assert_eq!(detect_path(&fifo).unwrap(), None);
    assert!(read_path(&fifo, HistoryFormat::Calendar, &opts()).is_err());
}

#[test]
fn empty_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.ics");
    std::fs::write(&empty, "").unwrap();
    assert_eq!(detect_path(&empty).unwrap_err(), HistoryError::Empty);
    assert_eq!(
        read_bytes(HistoryFormat::Calendar, b"  \r\n", "x.ics", &opts()).unwrap_err(),
        HistoryError::Empty
    );
    assert_eq!(
        read_path(&empty, HistoryFormat::Mbox, &opts()).unwrap_err(),
        HistoryError::Empty
    );
    assert!(read_bytes(HistoryFormat::Maildir, b"x", "x", &opts()).is_err());
}

#[test]
fn a_harvest_of_only_problems_is_nothing_read() {
    let harvest = Harvest {
        problems: vec![crate::exchange::Skipped {
            line: 3,
            reason: "no DTSTART".into(),
        }],
        ..Harvest::default()
    };
    assert_eq!(
        finish(harvest).unwrap_err(),
        HistoryError::NothingRead("line 3: no DTSTART".into())
    );
    assert!(finish(Harvest::default()).is_ok());
}

#[test]
fn urls_are_recognised_and_webcal_is_https() {
    assert!(is_url("webcal://example.com/cal.ics"));
    assert!(is_url("HTTPS://example.com"));
    assert!(is_url("http://127.0.0.1:8080/x"));
    assert!(!is_url("/home/me/cal.ics"));
    assert!(!is_url("ftp://example.com/x"));
    assert!(!is_url("é"));
    assert_eq!(
        http_url("webcal://example.com/a.ics").as_deref(),
        Some("https://example.com/a.ics")
    );
    assert!(fetch_calendar("ftp://example.com/x").is_err());
    assert!(fetch_calendar("https:///x").is_err());
    assert_eq!(
        shown_url("https://me:secret@example.com/cal.ics?x=1"),
        "https://example.com/cal.ics?x=1"
    );
}

#[test]
fn redirects_resolve_and_never_leave_https_for_http() {
    let from: http::Uri = "https://a.example/cal/x.ics".parse().unwrap();
    assert_eq!(
        redirect_target(&from, "/y.ics").unwrap().to_string(),
        "https://a.example/y.ics"
    );
    assert_eq!(
        redirect_target(&from, "z.ics").unwrap().to_string(),
        "https://a.example/cal/z.ics"
    );
    assert_eq!(
        redirect_target(&from, "//b.example/w.ics")
            .unwrap()
            .to_string(),
        "https://b.example/w.ics"
    );
    let error = redirect_target(&from, "http://b.example/x.ics")
        .unwrap_err()
        .to_string();
    assert!(error.contains("from https to http"), "{error}");
    let plain: http::Uri = "http://a.example/x".parse().unwrap();
    assert!(redirect_target(&plain, "https://a.example/x").is_ok());
}

/// A real HTTP server on 127.0.0.1 answering `count` requests, each by
/// `answer(path)`; returns its base URL.
fn serve(count: usize, answer: fn(&str, u16) -> Vec<u8>) -> String {
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
            let path = first.split_whitespace().nth(1).unwrap_or("/").to_string();
            let _ = stream.write_all(&answer(&path, port));
            let _ = stream.flush();
        }
    });
    format!("http://127.0.0.1:{port}")
}

fn respond(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn routes(path: &str, port: u16) -> Vec<u8> {
    match path {
        "/cal.ics" => respond(
            "200 OK",
            "Content-Type: text/calendar\r\n",
            CALENDAR.as_bytes(),
        ),
        "/moved" => respond("302 Found", "Location: /cal.ics\r\n", b""),
        "/far" => respond(
            "301 Moved Permanently",
            &format!("Location: http://127.0.0.1:{port}/moved\r\n"),
            b"",
        ),
        "/loop" => respond("302 Found", "Location: /loop\r\n", b""),
        "/big" => {
            let mut out =
                b"HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\nConnection: close\r\n\r\n"
                    .to_vec();
            out.extend_from_slice(&[b'x'; 1024]);
            out
        }
        "/chunked" => {
            let mut out =
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    .to_vec();
            for _ in 0..8 {
                out.extend_from_slice(b"400\r\n");
                out.extend_from_slice(&[b'x'; 1024]);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(b"0\r\n\r\n");
            out
        }
        _ => respond("404 Not Found", "", b"no"),
    }
}

#[test]
fn a_calendar_is_fetched_from_a_real_local_server_following_redirects() {
    let base = serve(1, routes);
    let body = fetch_calendar(&format!("{base}/cal.ics")).unwrap();
    assert_eq!(body, CALENDAR.as_bytes());
    let base = serve(3, routes);
    let body = fetch_calendar(&format!("{base}/far")).unwrap();
    assert_eq!(body, CALENDAR.as_bytes());
}

#[test]
fn missing_looping_and_too_large_answers_are_errors() {
    let base = serve(1, routes);
    let error = fetch_calendar(&format!("{base}/nothing"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("answered 404"), "{error}");
    let base = serve(MAX_REDIRECTS + 1, routes);
    let error = fetch_calendar(&format!("{base}/loop"))
        .unwrap_err()
        .to_string();
    assert!(error.contains("redirected more than 5 times"), "{error}");
    let base = serve(1, routes);
    let error = fetch_calendar(&format!("{base}/big"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("larger than kith's limit of 64 MB"),
        "{error}"
    );
    // A body with no length that grows past the cap is cut off.
    let base = serve(1, routes);
    let error = fetch_with(&format!("{base}/chunked"), FETCH_TIMEOUT, 4096)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("larger than kith's limit of 4 KB"),
        "{error}"
    );
    // Nobody listening.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = fetch_calendar(&format!("http://127.0.0.1:{port}/x"))
        .unwrap_err()
        .to_string();
    assert!(error.starts_with("cannot fetch"), "{error}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let hold = std::thread::spawn(move || {
        let accepted = listener.accept();
        std::thread::sleep(Duration::from_millis(1500));
        drop(accepted);
    });
    let error = fetch_with(
        &format!("http://127.0.0.1:{port}/slow"),
        Duration::from_millis(300),
        FETCH_CAP,
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("did not answer within 1 s"), "{error}");
    hold.join().unwrap();
}

proptest::proptest! {
    #[test]
    fn recognising_any_bytes_never_panics_and_never_claims_a_vcard(
        head in proptest::collection::vec(proptest::num::u8::ANY, 0..512),
        text in "\\PC{0,200}",
    ) {
        let _ = detect_bytes(&head);
        let card = format!("BEGIN:VCARD\r\n{text}");
        proptest::prop_assert_eq!(detect_bytes(card.as_bytes()), None);
        let calendar = format!("\r\nBEGIN:VCALENDAR\r\n{text}");
        proptest::prop_assert_eq!(
            detect_bytes(calendar.as_bytes()),
            Some(HistoryFormat::Calendar)
        );
        let mut bytes = head.clone();
        bytes.extend_from_slice(text.as_bytes());
        if let Some(format) = detect_bytes(&bytes).filter(|f| *f != HistoryFormat::Maildir) {
            let _ = read_bytes(format, &bytes, "x/y.txt", &opts());
        }
    }
}

#[test]
fn every_history_fixture_is_recognised_from_its_path() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history");
    let mut checked = 0;
    for (folder, ext, expected) in [
        ("ics", "ics", HistoryFormat::Calendar),
        ("mail", "mbox", HistoryFormat::Mbox),
        ("chat", "txt", HistoryFormat::WhatsApp),
        ("chat", "json", HistoryFormat::Telegram),
        ("chat", "csv", HistoryFormat::LinkedIn),
        ("chat", "md", HistoryFormat::Signal),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == ext) {
                assert_eq!(
                    detect_path(&path).unwrap(),
                    Some(expected),
                    "{}",
                    path.display()
                );
                checked += 1;
            }
        }
    }
    for maildir in ["mail/maildir", "mail/maildir-mail-parser"] {
        let path = root.join(maildir);
        if path.exists() {
            assert_eq!(detect_path(&path).unwrap(), Some(HistoryFormat::Maildir));
            checked += 1;
        }
    }
    let signal = root.join("chat/signal/Jane Doe/chat.md");
    if signal.exists() {
        assert_eq!(detect_path(&signal).unwrap(), Some(HistoryFormat::Signal));
        assert_eq!(file_name(&signal), "Jane Doe/chat.md");
    }
    assert!(checked >= 20, "only {checked} fixtures");
}
