#![allow(clippy::unwrap_used)]
use super::*;
use crate::history::tz::Zone;
use base64::Engine as _;
use proptest::prelude::*;
use std::path::PathBuf;

fn opts() -> ReadOptions {
    ReadOptions {
        today: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
        zone: Zone::Utc,
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/history/mail")
        .join(name)
}

fn read_fixture(name: &str) -> Harvest {
    read_mbox(std::fs::File::open(fixture(name)).unwrap(), &opts())
}

fn text(mbox: &str) -> Harvest {
    read_mbox(mbox.as_bytes(), &opts())
}

fn reasons(harvest: &Harvest) -> Vec<(usize, &str)> {
    harvest
        .ignored
        .iter()
        .map(|i| (i.line, i.reason.as_str()))
        .collect()
}

fn problems(harvest: &Harvest) -> Vec<(usize, &str)> {
    harvest
        .problems
        .iter()
        .map(|p| (p.line, p.reason.as_str()))
        .collect()
}

fn emails(encounter: &Encounter) -> Vec<&str> {
    encounter
        .parties
        .iter()
        .filter_map(|p| p.email.as_deref())
        .collect()
}

/// A reader that hands out one byte per read.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((first, rest)), Some(slot)) => {
                *slot = *first;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

const TWO: &str = "From ada@example.com Mon Mar  2 09:15:00 2026\n\
From: Ada Lovelace <Ada@Example.com>\n\
To: Sam <sam@example.org>\n\
Cc: \"Ben B.\" <ben@example.net>, sam@example.org\n\
Subject: Lunch\n\t on Thursday?\n\
Date: Mon, 02 Mar 2026 09:15:00 +0000\n\
Message-ID: <CAF1.Lunch@Mail.Example.com>\n\
\n\
Body line\n\
>From the quoted line\n\
\n\
From sam@example.org Mon Mar  2 10:00:00 2026\n\
From: sam@example.org\n\
To: ada@example.com\n\
Subject: Re: Lunch\n\
Date: Mon, 2 Mar 2026 23:30:00 -0500\n\
Message-ID: <reply@example.org>\n\
\n\
Sure.\n";

#[test]
fn two_messages_become_two_encounters_with_people_and_titles() {
    let harvest = text(TWO);
    assert!(harvest.problems.is_empty(), "{:?}", harvest.problems);
    assert_eq!(harvest.encounters.len(), 2);
    let first = &harvest.encounters[0];
    assert_eq!(first.key, "mail:caf1.lunch@mail.example.com");
    assert_eq!(first.date, day(2026, 3, 2));
    assert_eq!(first.kind, InteractionKind::Message);
    assert_eq!(first.title, "Lunch on Thursday?");
    assert_eq!(
        emails(first),
        ["ada@example.com", "sam@example.org", "ben@example.net"]
    );
    assert!(first.parties[0].sender && !first.parties[1].sender);
    assert_eq!(first.parties[0].name, "Ada Lovelace");
    assert_eq!(first.parties[2].name, "Ben B.");
    assert_eq!(first.crowd, 3);
    assert_eq!(first.line, 1);
    let second = &harvest.encounters[1];
    // 23:30 at -0500 is the next day in UTC.
    assert_eq!(second.date, day(2026, 3, 3));
    assert_eq!(second.line, 2);
    assert_eq!(second.parties[0].name, "");
    assert_eq!(harvest.suggested_name, "");
    let top: Vec<(&str, usize)> = harvest
        .recipients
        .iter()
        .map(|(a, n)| (a.as_str(), *n))
        .collect();
    assert_eq!(
        top,
        [
            ("ada@example.com", 1),
            ("ben@example.net", 1),
            ("sam@example.org", 1)
        ]
    );
}

#[test]
fn dates_are_days_in_the_users_zone() {
    let new_york = ReadOptions {
        zone: Zone::named("America/New_York").unwrap(),
        ..opts()
    };
    let harvest = read_mbox(TWO.as_bytes(), &new_york);
    assert_eq!(harvest.encounters[1].date, day(2026, 3, 2));
    let tokyo = ReadOptions {
        zone: Zone::named("Asia/Tokyo").unwrap(),
        ..opts()
    };
    let harvest = read_mbox(TWO.as_bytes(), &tokyo);
    assert_eq!(harvest.encounters[0].date, day(2026, 3, 2));
    assert_eq!(harvest.encounters[1].date, day(2026, 3, 3));
}

#[test]
fn a_reader_that_yields_one_byte_at_a_time_gives_the_same_harvest() {
    for name in [
        "takeout_synthetic.mbox",
        "bad_mixed.mbox",
        "bad_truncated.mbox",
        "thunderbird_bugmail.mbox",
        "outlook2000-legacy.mbox",
    ] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let whole = read_mbox(bytes.as_slice(), &opts());
        let trickled = read_mbox(Trickle(&bytes), &opts());
        assert_eq!(format!("{whole:?}"), format!("{trickled:?}"), "{name}");
    }
}

#[test]
fn takeout_mbox_keeps_people_and_leaves_out_lists_bulk_auto_replies_and_invitations() {
    let harvest = read_fixture("takeout_synthetic.mbox");
    assert!(harvest.problems.is_empty(), "{:?}", harvest.problems);
    assert_eq!(
        reasons(&harvest),
        [
            (4, "mailing list"),
            (5, "bulk mail"),
            (6, "automatic reply"),
            (7, "no-reply sender"),
            (9, "calendar invitation"),
            (13, "in the future"),
        ]
    );
    let lines: Vec<usize> = harvest.encounters.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 2, 3, 8, 10, 11, 12]);
    // X-Gmail-Labels: Sent marks the sender as you.
    let reply = &harvest.encounters[1];
    assert!(reply.parties[0].me && reply.parties[0].sender);
    assert!(!harvest.encounters[0].parties[0].me);
    // 14 recipients: the plan applies max_recipients to crowd.
    assert_eq!(harvest.encounters[3].crowd, 15);
    // No Message-ID: a hash of Date, From and Subject.
    assert!(harvest.encounters[4].key.starts_with("mail:~"));
    assert_eq!(harvest.encounters[4].key.len(), "mail:~".len() + 16);
    assert_eq!(harvest.encounters[5].title, "Café?");
    assert_eq!(harvest.recipients[0], ("sam@example.org".to_string(), 10));
    assert!(harvest.recipients.len() <= 10);
}

#[test]
fn thunderbird_mbox_with_two_subjects_takes_the_first() {
    let harvest = read_fixture("thunderbird_bugmail.mbox");
    assert_eq!(harvest.encounters.len(), 1);
    let bug = &harvest.encounters[0];
    assert_eq!(
        bug.title,
        "[Bug 397009] A filter will let me tag, but not untag"
    );
    assert_eq!(bug.date, day(2008, 5, 7));
    assert_eq!(
        bug.key,
        "mail:200805072155.m47ltaef007542@mrapp51.mozilla.org"
    );
    assert_eq!(
        emails(bug),
        ["primaryemail1@test.invalid", "invalid@example.com"]
    );
}

#[test]
fn an_unquoted_from_in_a_body_does_not_start_a_message() {
    let harvest = read_fixture("cpython_unquoted_from.mbox");
    assert_eq!(harvest.encounters.len(), 1, "{harvest:?}");
    assert!(harvest.problems.is_empty(), "{:?}", harvest.problems);
    let message = &harvest.encounters[0];
    // No Date: the day of the separator line.
    assert_eq!(message.date, day(2022, 8, 7));
    // `From: foo` has no address: a name only.
    assert_eq!(message.parties[0].name, "foo");
    assert_eq!(message.parties[0].email, None);
}

#[test]
fn thunderbird_local_folder_and_the_same_messages_as_maildir_agree() {
    let mbox = read_fixture("thunderbird_local_folder.mbox");
    let maildir = read_maildir(&fixture("maildir"), &opts()).unwrap();
    let keys = |h: &Harvest| -> Vec<(String, NaiveDate, String)> {
        h.encounters
            .iter()
            .map(|e| (e.key.clone(), e.date, e.title.clone()))
            .collect()
    };
    assert_eq!(keys(&mbox).len(), 2);
    assert_eq!(keys(&mbox), keys(&maildir));
    assert!(maildir.problems.is_empty(), "{:?}", maildir.problems);
}

#[test]
fn a_digest_is_one_message_and_an_eml_file_reads_as_one_message() {
    let digest = read_fixture("dovecot_digest.eml");
    assert_eq!(digest.encounters.len() + digest.problems.len(), 1);
    assert_eq!(problems(&digest), [(1, "message 1: no valid Date")]);
    let nested = read_fixture("dovecot_nested_rfc822.eml");
    assert_eq!(nested.encounters.len(), 1);
    assert_eq!(emails(&nested.encounters[0]), ["user@domain.org"]);
    assert_eq!(nested.encounters[0].date, day(2007, 3, 24));
    let html = read_fixture("thunderbird_html_image.eml");
    assert_eq!(html.encounters.len(), 1);
    assert_eq!(html.encounters[0].title, "25 HTML + embedded image");
}

#[test]
fn a_mailman_list_is_left_out_and_the_owner_is_the_top_recipient() {
    let harvest = read_fixture("posteo-mailman.mbox");
    assert!(harvest.encounters.is_empty());
    assert_eq!(
        reasons(&harvest),
        [
            (1, "mailing list"),
            (2, "mailing list"),
            (3, "mailing list")
        ]
    );
    assert_eq!(
        harvest.recipients[0],
        ("lennardberger@posteo.de".to_string(), 3)
    );
}

#[test]
fn outlook_2000_messages_decode_latin1_and_encoded_words() {
    let harvest = read_fixture("outlook2000-legacy.mbox");
    assert_eq!(harvest.encounters.len(), 13);
    assert!(harvest.problems.is_empty(), "{:?}", harvest.problems);
    for encounter in &harvest.encounters {
        assert!(!encounter.title.contains('\u{fffd}'), "{}", encounter.title);
        assert!(!encounter.title.contains("=?"), "{}", encounter.title);
    }
    assert_eq!(
        harvest.encounters[1].title,
        "Die Hasen und die Frösche (Microsoft Outlook 00)"
    );
    assert_eq!(harvest.encounters[10].title, "Die Hasen und die Frösche");
    assert_eq!(harvest.encounters[2].date, day(2000, 5, 19));
}

#[test]
fn bad_input_is_reported_by_message_and_the_rest_imports() {
    let harvest = read_fixture("bad_mixed.mbox");
    assert_eq!(
        problems(&harvest),
        [
            (1, "message 1: invalid Date; dated by the mbox From line"),
            (3, "message 3: no mail headers"),
        ]
    );
    let keys: Vec<&str> = harvest.encounters.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "mail:bad-date@example.com",
            "mail:broken-mime@example.com",
            "mail:good-after-junk@example.com"
        ]
    );
    let truncated = read_fixture("bad_truncated.mbox");
    assert_eq!(truncated.encounters.len(), 3);
    assert_eq!(problems(&truncated).len(), 1);
    assert!(truncated.problems[0].reason.starts_with("message 4: "));
}

#[test]
fn a_header_block_over_1_mib_is_a_problem_and_the_next_message_still_reads() {
    let mut mbox = String::from("From a@b Mon Mar  2 09:15:00 2026\nX-Junk: ");
    mbox.push_str(&"x".repeat(HEADER_CAP + 10));
    mbox.push_str("\nFrom: a@b.example\n\nbody\n\n");
    mbox.push_str(TWO);
    let harvest = text(&mbox);
    assert_eq!(
        problems(&harvest),
        [(1, "message 1: header larger than 1 MiB")]
    );
    let lines: Vec<usize> = harvest.encounters.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 3]);
    // Many small header lines over the cap as well.
    let mut many = String::from("From a@b Mon Mar  2 09:15:00 2026\n");
    for i in 0..40_000 {
        many.push_str(&format!("X-Line-{i}: {}\n", "y".repeat(30)));
    }
    many.push_str("\nbody\n");
    assert_eq!(
        problems(&text(&many)),
        [(1, "message 1: header larger than 1 MiB")]
    );
}

#[test]
fn binary_input_never_panics_and_reads_nothing() {
    let mut bytes: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    bytes.extend_from_slice(b"\nFrom \xff\xfe\n\0\0");
    let harvest = read_mbox(bytes.as_slice(), &opts());
    assert!(harvest.encounters.is_empty());
    assert!(harvest.problems.iter().all(|p| p.line >= 1));
    let empty = read_mbox(&b""[..], &opts());
    assert!(empty.encounters.is_empty() && empty.problems.is_empty());
}

#[test]
fn bcc_counts_only_when_there_is_no_to_or_cc() {
    let only_bcc = "From: me@example.org\nBcc: Dana <dana@example.com>\n\
Date: Tue, 3 Mar 2026 10:00:00 +0000\nMessage-ID: <b1@x>\n\nhi\n";
    let harvest = text(only_bcc);
    assert_eq!(
        emails(&harvest.encounters[0]),
        ["me@example.org", "dana@example.com"]
    );
    let with_to = "From: me@example.org\nTo: eve@example.com\nBcc: dana@example.com\n\
Date: Tue, 3 Mar 2026 10:00:00 +0000\nMessage-ID: <b2@x>\n\nhi\n";
    let harvest = text(with_to);
    assert_eq!(
        emails(&harvest.encounters[0]),
        ["me@example.org", "eve@example.com"]
    );
}

#[test]
fn group_syntax_and_encoded_names_are_read() {
    let mail = "From: =?UTF-8?B?Wm/DqyDDhW5nc3Ryw7Zt?= <zoe@example.com>\n\
To: Friends: Ann <ann@example.com>, bob@example.com;, undisclosed-recipients:;\n\
Subject: =?ISO-8859-1?Q?Caf=E9_=E0_deux?=\n\
Date: Tue, 3 Mar 2026 10:00:00 +0100\n\n";
    let harvest = text(mail);
    let encounter = &harvest.encounters[0];
    assert_eq!(encounter.parties[0].name, "Zoë Ångström");
    assert_eq!(
        emails(encounter),
        ["zoe@example.com", "ann@example.com", "bob@example.com"]
    );
    assert_eq!(encounter.title, "Café à deux");
}

#[test]
fn invitations_are_recognised_from_headers_and_calendar_parts() {
    let google = "From: cal@example.com\nTo: me@example.org\n\
Date: Tue, 3 Mar 2026 10:00:00 +0000\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\
Content-Type: text/calendar; charset=\"UTF-8\";\n method=REQUEST\n\n\
BEGIN:VCALENDAR\n--b--\n";
    assert_eq!(reasons(&text(google)), [(1, "calendar invitation")]);
    let outlook = "From: boss@example.com\nTo: me@example.org\n\
Date: Tue, 3 Mar 2026 10:00:00 +0000\n\
Content-Class: urn:content-classes:calendarmessage\n\n";
    assert_eq!(reasons(&text(outlook)), [(1, "calendar invitation")]);
    let attachment = "From: friend@example.com\nTo: me@example.org\n\
Date: Tue, 3 Mar 2026 10:00:00 +0000\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\
Content-Type: text/calendar; name=\"holidays.ics\"\n\nBEGIN:VCALENDAR\n--b--\n";
    let harvest = text(attachment);
    assert!(harvest.ignored.is_empty());
    assert_eq!(harvest.encounters.len(), 1);
}

#[test]
fn no_reply_senders_are_recognised() {
    for address in [
        "noreply@github.com",
        "no-reply@accounts.google.com",
        "do-not-reply@bank.example",
        "donotreply@x.example",
        "no_reply@x.example",
        "MAILER-DAEMON@mx.example",
        "postmaster@example.com",
        "notifications@github.com",
        "notification@x.example",
        "bounces+12345@mail.example",
        "bounce@x.example",
    ] {
        assert!(no_reply(&address.to_lowercase()), "{address}");
    }
    for address in [
        "noelle@example.com",
        "bouncer.bob@example.com",
        "ada@example.com",
    ] {
        assert!(!no_reply(address), "{address}");
    }
}

#[test]
fn automatic_replies_and_precedence() {
    let auto = |header: &str| {
        text(&format!(
            "From: a@example.com\nTo: me@example.org\nDate: Tue, 3 Mar 2026 10:00:00 +0000\n{header}\n\nbody\n"
        ))
    };
    assert_eq!(
        reasons(&auto("Auto-Submitted: auto-replied")),
        [(1, "automatic reply")]
    );
    assert!(auto("Auto-Submitted: no").ignored.is_empty());
    assert_eq!(reasons(&auto("X-Autoreply: yes")), [(1, "automatic reply")]);
    assert_eq!(reasons(&auto("Precedence: junk")), [(1, "bulk mail")]);
    assert!(auto("Precedence: first-class").ignored.is_empty());
    assert_eq!(
        reasons(&auto("List-Unsubscribe: <mailto:u@example.com>")),
        [(1, "mailing list")]
    );
}

#[test]
fn from_lines_of_every_writer_have_dates() {
    let instant = |line: &str| match from_line_date(line.as_bytes()) {
        Some(Fallback::Instant(i)) => Some(i.to_rfc3339()),
        Some(Fallback::Day(d)) => Some(d.to_string()),
        None => None,
    };
    assert_eq!(
        instant("From MAILER-DAEMON Sun Aug  7 11:40:37 2022\n").as_deref(),
        Some("2022-08-07")
    );
    assert_eq!(
        instant("From - Tue Oct 02 00:26:47 2007\n").as_deref(),
        Some("2007-10-02")
    );
    assert_eq!(
        instant("From 1781234567890@xxx Mon Mar 02 23:15:00 -0200 2026\r\n").as_deref(),
        Some("2026-03-03T01:15:00+00:00")
    );
    assert_eq!(instant("From time to time we meet\n"), None);
    assert_eq!(instant("From a@b Feb 30 10:00:00 2026\n"), None);
    assert_eq!(instant("From \u{e9}\u{e9}\u{e9}"), None);
}

#[test]
fn recipients_count_delivered_to_once_per_message_and_keep_the_top_ten() {
    let mut mbox = String::new();
    for i in 0..30 {
        mbox.push_str(&format!(
            "From x Tue Mar  3 10:00:00 2026\nFrom: p{i}@example.com\nTo: Me <ME@example.org>, r{}@example.com\n\
Delivered-To: me@example.org\nX-Original-To: alias@example.org\nDate: Tue, 3 Mar 2026 10:00:00 +0000\n\n",
            i % 12
        ));
    }
    let harvest = text(&mbox);
    assert_eq!(harvest.recipients.len(), 10);
    assert_eq!(harvest.recipients[0], ("alias@example.org".to_string(), 30));
    assert_eq!(harvest.recipients[1], ("me@example.org".to_string(), 30));
    assert_eq!(harvest.recipients[2], ("r0@example.com".to_string(), 3));
}

#[test]
fn a_takeout_sent_label_in_any_language_marks_you_as_the_sender() {
    let mail = |labels: &str| {
        text(&format!(
            "X-Gmail-Labels: {labels}\nFrom: me@example.org\nTo: a@example.com\nDate: Tue, 3 Mar 2026 10:00:00 +0000\n\n"
        ))
    };
    assert!(mail("Gesendet,Geöffnet").encounters[0].parties[0].me);
    assert!(mail("Opened, Sent").encounters[0].parties[0].me);
    assert!(!mail("Inbox,Sentinel").encounters[0].parties[0].me);
}

#[test]
fn messages_after_today_are_in_the_future() {
    let mail = "From: a@example.com\nTo: me@example.org\nDate: Thu, 3 Dec 2026 10:00:00 +0000\n\n";
    assert_eq!(reasons(&text(mail)), [(1, "in the future")]);
}

#[test]
fn the_same_message_twice_has_the_same_key_and_no_message_id_keys_are_stable() {
    let mail = "From: a@example.com\nTo: me@example.org\nSubject: hi\nDate: Tue, 3 Mar 2026 10:00:00 +0000\n\n";
    let a = text(mail);
    let b = text(&format!(
        "From x Tue Mar  3 10:00:00 2026\n{mail}\nFrom y Tue Mar  3 10:00:00 2026\n{mail}"
    ));
    assert_eq!(a.encounters[0].key, b.encounters[0].key);
    assert_eq!(b.encounters[0].key, b.encounters[1].key);
}

#[cfg(unix)]
#[test]
fn maildir_reads_nested_folders_in_name_order_and_never_follows_links() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for sub in [
        "cur",
        "new",
        "tmp",
        ".Sent/cur",
        ".Sent/new",
        ".INBOX.work/new",
    ] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    let mail = |from: &str, id: &str| {
        format!(
            "From: {from}\nTo: dana@example.com\nDate: Tue, 3 Mar 2026 10:00:00 +0000\nMessage-ID: <{id}>\n\nbody\n"
        )
    };
    std::fs::write(root.join("cur/2.host:2,S"), mail("eve@example.com", "b")).unwrap();
    std::fs::write(root.join("new/1.host"), mail("eve@example.com", "a")).unwrap();
    std::fs::write(root.join("tmp/0.host"), mail("eve@example.com", "tmp")).unwrap();
    std::fs::write(
        root.join(".Sent/cur/3.host:2,S"),
        mail("me@example.org", "c"),
    )
    .unwrap();
    std::fs::write(root.join(".INBOX.work/new/4.host"), "Subject: no date\n\n").unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, mail("x@example.com", "secret")).unwrap();
    std::os::unix::fs::symlink(&secret, root.join("new/5.link")).unwrap();
    let harvest = read_maildir(root, &opts()).unwrap();
    let keys: Vec<(&str, usize)> = harvest
        .encounters
        .iter()
        .map(|e| (e.key.as_str(), e.line))
        .collect();
    // Sorted paths: .INBOX.work/new/4, .Sent/cur/3, cur/2, new/1, new/5.link.
    assert_eq!(keys, [("mail:c", 2), ("mail:b", 3), ("mail:a", 4)]);
    assert!(
        harvest.encounters[0].parties[0].me,
        "a .Sent folder is your mail"
    );
    assert!(!harvest.encounters[1].parties[0].me);
    assert_eq!(harvest.problems.len(), 2, "{:?}", harvest.problems);
    assert!(
        harvest.problems[0]
            .reason
            .starts_with("message 1 (.INBOX.work/new/4.host): no sender")
    );
    assert_eq!(harvest.problems[1].line, 5);
    assert!(harvest.problems[1].reason.contains("symbolic link"));
    // Not a Maildir.
    let plain = tempfile::tempdir().unwrap();
    let error = read_maildir(plain.path(), &opts()).unwrap_err();
    assert!(error.to_string().contains("not a Maildir"), "{error}");
    assert!(read_maildir(&secret, &opts()).is_err());
}

#[test]
fn maildir_without_a_date_uses_the_file_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("cur")).unwrap();
    let path = dir.path().join("cur/1.host:2,S");
    std::fs::write(
        &path,
        "From: a@example.com\nTo: b@example.com\nDate: someday\n\n",
    )
    .unwrap();
    let file = std::fs::File::options().write(true).open(&path).unwrap();
    let when = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_772_442_000);
    file.set_modified(when).unwrap();
    let harvest = read_maildir(dir.path(), &opts()).unwrap();
    assert_eq!(harvest.encounters[0].date, day(2026, 3, 2));
    assert_eq!(
        problems(&harvest),
        [(
            1,
            "message 1 (cur/1.host:2,S): invalid Date; dated by the file's time"
        )]
    );
}

#[test]
fn maildir_fixture_layout_from_mail_parser_numbers_every_file() {
    // mail-parser's Maildir++ test layout (nested `.My Folder.Nested Folder`);
    // its files hold one letter each, not messages.
    let harvest = read_maildir(&fixture("maildir-mail-parser"), &opts()).unwrap();
    let lines: Vec<usize> = harvest.problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 2, 3, 4, 5, 6]);
    assert!(harvest.problems[0].reason.contains("(.My Folder/cur/"));
    assert!(harvest.problems[5].reason.contains("(new/"));
}

#[test]
fn mbox_detection() {
    assert!(looks_like_mbox(
        b"From MAILER-DAEMON Sun Aug  7 11:40:37 2022\n"
    ));
    assert!(!looks_like_mbox(b"BEGIN:VCALENDAR"));
}

/// RFC 2047 base64 words of at most 12 characters each.
fn encode_words(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(12)
        .map(|chunk| {
            let piece: String = chunk.iter().collect();
            format!(
                "=?UTF-8?B?{}?=",
                base64::engine::general_purpose::STANDARD.encode(piece.as_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone)]
struct Generated {
    from_name: String,
    from: String,
    to_name: String,
    to: String,
    subject: String,
    id: String,
    seconds: i64,
    offset_minutes: i32,
    body: Vec<String>,
}

fn generated() -> impl Strategy<Value = Generated> {
    (
        "[A-Za-zéüßøåçñЖ中文]{1,10}( [A-Za-zé]{1,10})?",
        "[a-z]{1,8}",
        "[A-Za-zéüЖ]{1,10}",
        "[a-z]{1,8}",
        "[A-Za-z0-9éü中?!,]{1,12}( [A-Za-z0-9é]{1,8}){0,4}",
        "[A-Za-z0-9.$-]{4,20}",
        0i64..1_780_000_000,
        -720i32..=840,
        proptest::collection::vec("(From |>From |[A-Za-z ]{0,40})[a-z ]{0,20}", 0..6),
    )
        .prop_map(
            |(from_name, from, to_name, to, subject, id, seconds, offset_minutes, body)| {
                Generated {
                    from_name,
                    from: format!("{from}@example.com"),
                    to_name,
                    to: format!("{to}@example.org"),
                    subject,
                    id,
                    seconds,
                    offset_minutes,
                    body,
                }
            },
        )
}

fn write_mbox(messages: &[Generated]) -> String {
    let mut out = String::new();
    for m in messages {
        let offset = chrono::FixedOffset::east_opt(m.offset_minutes * 60).unwrap();
        let when = DateTime::from_timestamp(m.seconds, 0)
            .unwrap()
            .with_timezone(&offset);
        out.push_str(&format!(
            "From {} {}\n",
            m.from,
            when.naive_utc().format("%a %b %e %H:%M:%S %Y")
        ));
        out.push_str(&format!(
            "From: {} <{}>\n",
            encode_words(&m.from_name),
            m.from
        ));
        out.push_str(&format!("To: {} <{}>\n", encode_words(&m.to_name), m.to));
        out.push_str(&format!("Subject: {}\n", encode_words(&m.subject)));
        out.push_str(&format!("Date: {}\n", when.to_rfc2822()));
        out.push_str(&format!("Message-ID: <{}>\n\n", m.id));
        for line in &m.body {
            // mboxrd: a body line starting with (>*)From is quoted.
            if line.trim_start_matches('>').starts_with("From ") {
                out.push('>');
            }
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_mboxes_read_back(messages in proptest::collection::vec(generated(), 1..8)) {
        let mbox = write_mbox(&messages);
        let harvest = read_mbox(mbox.as_bytes(), &ReadOptions { today: day(2100, 1, 1), zone: Zone::Utc });
        prop_assert!(harvest.problems.is_empty(), "{:?}\n{}", harvest.problems, mbox);
        prop_assert_eq!(harvest.encounters.len(), messages.len(), "{}", mbox);
        for (i, (m, e)) in messages.iter().zip(&harvest.encounters).enumerate() {
            prop_assert_eq!(&e.key, &format!("mail:{}", m.id.to_lowercase()));
            prop_assert_eq!(e.date, DateTime::from_timestamp(m.seconds, 0).unwrap().date_naive());
            prop_assert_eq!(&e.title, &m.subject.split_whitespace().collect::<Vec<_>>().join(" "));
            prop_assert_eq!(e.line, i + 1);
            let expected_to = if m.to == m.from { 1 } else { 2 };
            prop_assert_eq!(e.parties.len(), expected_to);
            prop_assert_eq!(&e.parties[0].name, &m.from_name);
            prop_assert_eq!(e.parties[0].email.as_deref(), Some(m.from.as_str()));
            prop_assert!(e.parties[0].sender);
            prop_assert_eq!(&e.parties[1].name, &m.to_name);
            prop_assert_eq!(e.parties[1].email.as_deref(), Some(m.to.as_str()));
        }
    }

    #[test]
    fn any_bytes_never_panic_and_problems_have_message_numbers(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        let mut input = b"From a@b Mon Mar  2 09:15:00 2026\n".to_vec();
        input.extend_from_slice(&bytes);
        for data in [bytes.as_slice(), input.as_slice()] {
            let harvest = read_mbox(data, &opts());
            prop_assert!(harvest.problems.iter().all(|p| p.line >= 1 && p.reason.starts_with("message ")));
            prop_assert!(harvest.ignored.iter().all(|i| i.line >= 1));
            prop_assert!(harvest.encounters.iter().all(|e| e.line >= 1 && e.key.starts_with("mail:")));
        }
    }
}
