use super::export::{follow_ups_ics, google_csv, neutralize_cell, newsletter_csv};
use super::vcard::{VcardVersion, write_cards};
use super::*;
use crate::model::{Consent, Interaction, InteractionKind, Person};
use chrono::NaiveDate;
use proptest::prelude::*;
use std::path::PathBuf;

/// The shared corpus of real exports (../shared/corpus); None when absent.
fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("KITH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("corpus not found at {}; set KITH_CORPUS", dir.display());
        None
    }
}

fn import(path: &str) -> (ImportFormat, Vec<Incoming>, Vec<Skipped>) {
    let Some(dir) = corpus() else {
        panic!("the shared corpus is required for this test");
    };
    let bytes = std::fs::read(dir.join(path)).unwrap();
    read_contacts(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn one(path: &str) -> Person {
    let (_, incoming, _) = import(path);
    assert_eq!(incoming.len(), 1, "{path}");
    incoming.into_iter().next().unwrap().person
}

/// Expected (name, first e-mail, phones) for each single-card file, read by hand.
#[test]
fn every_corpus_vcard_imports_with_the_right_fields() {
    if corpus().is_none() {
        return;
    }
    let cases: &[(&str, &str, Option<&str>, &[&str])] = &[
        (
            "vcf/ezvcard_John_Doe_EVOLUTION.vcf",
            "Mr. John Richter, James Doe Sr.",
            Some("john.doe@ibm.com"),
            &["905-666-1234", "905-555-1234"],
        ),
        (
            "vcf/ezvcard_John_Doe_GMAIL.vcf",
            "Mr. John Richter, James Doe Sr.",
            Some("john.doe@ibm.com"),
            &["905-555-1234", "905-666-1234"],
        ),
        (
            "vcf/ezvcard_John_Doe_IPHONE.vcf",
            "Mr. John Richter James Doe Sr.",
            Some("john.doe@ibm.com"),
            &[
                "905-555-1234",
                "905-666-1234",
                "905-777-1234",
                "905-888-1234",
                "905-999-1234",
                "905-111-1234",
                "905-222-1234",
            ],
        ),
        (
            "vcf/ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf",
            "Mr. John Richter,James Doe Sr.",
            Some("john.doe@ibm.com"),
            &[
                "905-777-1234",
                "905-666-1234",
                "905-555-1234",
                "905-888-1234",
                "905-999-1234",
                "905-111-1234",
                "905-222-1234",
            ],
        ),
        (
            "vcf/ezvcard_John_Doe_MS_OUTLOOK.vcf",
            "Mr. John Richter James Doe Sr.",
            Some("john.doe@ibm.cm"),
            &["(905) 555-1234", "(905) 666-1234"],
        ),
        (
            "vcf/ezvcard_fullcontact.vcf",
            "Prefix FirstName MiddleName LastName Suffix",
            Some("home@example.com"),
            &[
                "555-555-1111",
                "555-555-1112",
                "555-555-1113",
                "555-555-1114",
                "555-555-1115",
                "555-555-1116",
                "555-555-1117",
                "555-555-1118",
                "555-555-1119",
            ],
        ),
        (
            "vcf/ezvcard_gmail-single2.vcf",
            "VCard Test",
            Some("email@example.com"),
            &[
                "5555551111",
                "5555551112",
                "5555551113",
                "5555551114",
                "5555551115",
                "5555551116",
                "5555551117",
                "5555551118",
                "5555551119",
                "5555551120",
                "5555551121",
            ],
        ),
        (
            "vcf/ezvcard_issue114.vcf",
            "Dummy, Dummy",
            Some("dummy.dummy@dummy.com"),
            &["+49 1234 56789", "+49 9876 54321"],
        ),
        (
            "vcf/ezvcard_outlook-2003.vcf",
            "John Doe III",
            Some("jdoe@hotmail.com"),
            &[
                "BusinessPhone",
                "HomePhone",
                "MobilePhone",
                "BusinessFaxPhone",
            ],
        ),
        (
            "vcf/ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf",
            "John Doe",
            Some("doe.john@hotmail.com"),
            &[
                "555-555-1111",
                "555-555-2222",
                "555-555-5555",
                "555-555-3333",
                "555-555-4444",
            ],
        ),
        (
            "vcf/radicale_cardbook_bday_no_year.vcf",
            "Test bday without year Thunderbird CardBook",
            None,
            &[],
        ),
        ("vcf/roundcube_apple.vcf", "Apple Computer AG", None, &[]),
        (
            "vcf/roundcube_johndoe.vcf",
            "John Doë",
            Some("inbox@roundcube.net"),
            &["+123456789", "+987654321"],
        ),
        (
            "vcf/roundcube_utf-16_sample.vcf",
            "Ǽgean ĽdaMonté",
            None,
            &[],
        ),
    ];
    for (path, name, email, phones) in cases {
        let person = one(path);
        assert_eq!(person.name, *name, "{path}");
        assert_eq!(
            person.emails.first().map(|c| c.value.as_str()),
            *email,
            "{path}"
        );
        let got: Vec<&str> = person.phones.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(&got, phones, "{path}");
        assert_eq!(
            person.newsletter,
            Consent::NotAsked,
            "{path}: consent is never assumed"
        );
    }
    let iphone = one("vcf/ezvcard_John_Doe_IPHONE.vcf");
    assert_eq!(iphone.organization, "IBM");
    // The 45 KB photo is valid: it becomes the stored photo (a JPEG of at
    // most 512 px a side), not a kept property.
    let (_, with_photo, _) = import("vcf/ezvcard_John_Doe_IPHONE.vcf");
    let photo = with_photo[0].photo.as_ref().unwrap();
    let (width, height, _) = crate::photo::decode_rgba(photo).unwrap();
    assert!(width <= 512 && height <= 512 && width > 0);
    assert!(iphone.extra.iter().all(|(k, _)| !k.starts_with("PHOTO")));
    // Exported, the photo is in the card: a data: URI in 4.0, ENCODING=b in 3.0.
    let v4 = super::vcard::write_cards_with([&iphone], VcardVersion::V4, |_| Some(photo.clone()));
    assert!(v4.contains("\r\nPHOTO:data:image/jpeg;base64,/9j/"));
    let v3 = super::vcard::write_cards_with([&iphone], VcardVersion::V3, |_| Some(photo.clone()));
    assert!(v3.contains("\r\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/"));
    let (_, again, _) = read_contacts(v4.as_bytes()).unwrap();
    assert_eq!(
        again[0].photo.as_ref(),
        Some(photo),
        "a small JPEG comes back byte for byte"
    );
    // Apple labels label their values.
    assert!(
        iphone
            .links
            .iter()
            .any(|l| l.label == crate::model::Label::Custom("HomePage".into()))
    );
    let outlook = one("vcf/ezvcard_outlook-2003.vcf");
    assert_eq!(outlook.organization, "Company, The");
    assert!(
        outlook
            .notes
            .starts_with("This is the note field!!\r\nSecond line"),
        "{:?}",
        outlook.notes
    );
    let thunderbird = one("vcf/ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf");
    assert_eq!(
        thunderbird.tags,
        vec!["category1", "category2", "category3"]
    );
    assert_eq!(thunderbird.emails.len(), 5);
    let johndoe = one("vcf/roundcube_johndoe.vcf");
    assert_eq!(
        johndoe.emails,
        vec!["inbox@roundcube.net", "roundcube@gmail.com"]
    );
}

#[test]
fn corpus_multi_card_files() {
    if corpus().is_none() {
        return;
    }
    let (_, android, skipped) = import("vcf/ezvcard_John_Doe_ANDROID.vcf");
    assert_eq!(android.len(), 6);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(android[0].person.name, "john.doe@company.com");
    assert_eq!(android[1].person.emails, vec!["jane.doe@company.com"]);
    assert_eq!(android[2].person.name, "Ñ Ñ Ñ Ñ Ñ");
    assert_eq!(android[2].person.phones, vec!["123456789"]);
    // The soft break splits a multibyte character; it is rejoined.
    assert_eq!(android[3].person.name, "Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ");
    assert_eq!(
        android[3].person.phones,
        vec!["123456", "234567", "3456789", "45678901"]
    );
    // The broken base64 photo costs only the photo.
    let with_warning = android.iter().filter(|i| !i.warnings.is_empty()).count();
    assert_eq!(with_warning, 1);
    assert!(
        android
            .iter()
            .all(|i| i.person.extra.iter().all(|(k, _)| !k.starts_with("PHOTO")))
    );
    let henry = android
        .iter()
        .find(|i| {
            i.person
                .emails
                .iter()
                .any(|e| e.value == "henry@company.com")
        })
        .unwrap();
    assert_eq!(henry.person.phones, vec!["55556666"]);

    let (_, thunderbird, _) = import("vcf/thunderbird_export_v4.vcf");
    let names: Vec<&str> = thunderbird.iter().map(|i| i.person.name.as_str()).collect();
    assert_eq!(names, vec!["contact number one", "contact number two"]);
    assert_eq!(thunderbird[0].person.emails, vec!["contact1@invalid"]);
    assert!(thunderbird.iter().any(|i| i.person.notes.contains('…')));
}

#[test]
fn corpus_csv_files() {
    if corpus().is_none() {
        return;
    }
    let (format, google, _) = import("csv/roundcube_google_legacy.csv");
    assert_eq!(
        format,
        ImportFormat::Csv(csv_import::CsvLayout::GoogleLegacy)
    );
    assert!(!google.is_empty());
    for item in &google {
        assert!(!item.person.name.is_empty());
    }

    let (format, six, skipped) = import("csv/linkedin_connections_sixhops.csv");
    assert_eq!(format, ImportFormat::Csv(csv_import::CsvLayout::LinkedIn));
    let names: Vec<&str> = six.iter().map(|i| i.person.name.as_str()).collect();
    assert_eq!(
        names,
        vec!["Priya Sharma", "Rahul Iyer", "Priya Sharma", "Anita Rao"]
    );
    assert_eq!(
        skipped.len(),
        1,
        "the all-empty row is skipped: {skipped:?}"
    );
    assert_eq!(six[1].person.emails, vec!["rahul@example.com"]);
    assert_eq!(six[2].person.organization, "Razorpay Software Pvt Ltd");
    assert_eq!(six[0].person.met.place, "LinkedIn");
    assert_eq!(six[0].person.met.date, NaiveDate::from_ymd_opt(2021, 3, 12));
    assert_eq!(six[3].person.organization, "");

    let (_, frank, _) = import("csv/linkedin_connections_hirefrank.csv");
    assert_eq!(frank.len(), 10);
    assert_eq!(frank[0].person.name, "Ada Lovelace");
    assert_eq!(
        frank[9].person.met.date,
        NaiveDate::from_ymd_opt(2024, 10, 10)
    );
    assert_eq!(frank[9].person.role, "Professor");
}

#[test]
fn google_legacy_csv_details() {
    if corpus().is_none() {
        return;
    }
    let (_, google, _) = import("csv/roundcube_google_legacy.csv");
    let text =
        std::fs::read_to_string(corpus().unwrap().join("csv/roundcube_google_legacy.csv")).unwrap();
    // Every e-mail in the file is imported somewhere.
    for item in &google {
        for email in &item.person.emails {
            assert!(text.contains(email.value.as_str()));
        }
    }
    assert!(google.iter().any(|i| !i.person.emails.is_empty()));
    assert!(
        google
            .iter()
            .any(|i| i.person.tags.contains(&"Test".to_string())),
        "{google:#?}"
    );
}

#[test]
fn non_contact_files_give_clear_errors() {
    assert_eq!(read_contacts(b"").unwrap_err(), ImportError::Empty);
    assert_eq!(
        read_contacts(b"hello world\nthis is not a contact").unwrap_err(),
        ImportError::UnknownFormat
    );
    assert!(matches!(
        read_contacts(b"BEGIN:VCARD\nVERSION:3.0\nEND:VCARD").unwrap_err(),
        ImportError::NothingToImport(_)
    ));
    if let Some(dir) = corpus() {
        // iCalendar files are not contacts: each gives the clear error, none panics.
        let mut seen = 0;
        for entry in std::fs::read_dir(dir.join("ics")).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            assert_eq!(
                read_contacts(&bytes).unwrap_err(),
                ImportError::UnknownFormat
            );
            seen += 1;
        }
        assert_eq!(seen, 6);
    }
}

#[test]
fn preview_matches_by_email_phone_and_name_and_import_is_one_undoable_action() {
    let mut model = Model::default();
    let mut ann = Person::new("Ann Lee");
    ann.emails = vec!["ann@x.org".into()];
    let mut bob = Person::new("Robert Stone");
    bob.phones = vec!["+1 (617) 555-0100".into()];
    let carl = Person::new("Carl  Jung");
    for p in [ann.clone(), bob.clone(), carl.clone()] {
        model.people.insert(p.id, p);
    }
    let file = "BEGIN:VCARD\nFN:Annie\nEMAIL:ANN@x.org\nTEL:111\nEND:VCARD\nBEGIN:VCARD\nFN:Bob S\nTEL:617-555-0100\nEND:VCARD\nBEGIN:VCARD\nFN:carl jung\nNOTE:psych\nEND:VCARD\nBEGIN:VCARD\nFN:Dora\nEND:VCARD\nBEGIN:VCARD\nN:;;;;\nEND:VCARD\n";
    let mut preview = ImportPreview::build("test.vcf", file.as_bytes(), &model).unwrap();
    assert_eq!(preview.incoming.len(), 4);
    assert_eq!(preview.skipped.len(), 1);
    assert_eq!(preview.match_count(), 3);
    // A match on the name alone defaults to "keep both".
    assert_eq!(preview.new_count(), 2);
    assert_eq!(preview.incoming[2].choice, MatchChoice::KeepBoth);
    assert!(
        matches!(preview.incoming[0].matched, Some((id, MatchReason::Email(_))) if id == ann.id)
    );
    assert!(
        matches!(preview.incoming[1].matched, Some((id, MatchReason::Phone(_))) if id == bob.id)
    );
    assert!(matches!(preview.incoming[2].matched, Some((id, MatchReason::Name)) if id == carl.id));
    preview.incoming[1].choice = MatchChoice::KeepBoth;
    preview.incoming[2].choice = MatchChoice::Skip;
    let before = model.clone();
    let mut doc = crate::document::Document::new(model);
    doc.apply(preview.to_action(doc.model())).unwrap();
    let after = doc.model();
    assert_eq!(after.people.len(), 5);
    assert_eq!(after.people[&ann.id].phones, vec!["111"]);
    assert_eq!(after.people[&ann.id].name, "Ann Lee");
    assert!(after.people[&carl.id].notes.is_empty());
    assert!(
        after
            .people
            .values()
            .all(|p| p.newsletter == Consent::NotAsked)
    );
    doc.undo().unwrap();
    assert_eq!(doc.model(), &before);
}

#[test]
fn vcard_export_round_trips_import() {
    let mut person = Person::new("Zoë Ångström");
    person.emails = vec!["zoe@example.org".into()];
    person.phones = vec!["+46 8 123 45".into()];
    person.notes = "Met at the harbor; likes \"jazz\", sailing".into();
    person.interests = vec!["Jazz".into()];
    let text = write_cards([&person], VcardVersion::V3);
    let (_, incoming, skipped) = read_contacts(text.as_bytes()).unwrap();
    assert!(skipped.is_empty());
    assert_eq!(incoming[0].person.name, person.name);
    assert_eq!(incoming[0].person.notes, person.notes);
    assert_eq!(incoming[0].person.interests, person.interests);
    assert!(text.lines().all(|l| l.len() <= 76));
}

#[test]
fn unknown_properties_survive_import_then_export() {
    if corpus().is_none() {
        return;
    }
    let iphone = one("vcf/ezvcard_John_Doe_IPHONE.vcf");
    let text = write_cards([&iphone], VcardVersion::V3);
    let (_, again, _) = read_contacts(text.as_bytes()).unwrap();
    let back = &again[0].person;
    assert_eq!(back.name, iphone.name);
    assert_eq!(back.emails, iphone.emails);
    assert_eq!(back.phones.len(), iphone.phones.len());
    for pair in &iphone.extra {
        assert!(back.extra.contains(pair), "lost {pair:?}");
    }
    // 4.0 keeps them too.
    let text = write_cards([&iphone], VcardVersion::V4);
    let (_, again, _) = read_contacts(text.as_bytes()).unwrap();
    let back = &again[0].person;
    assert_eq!(back.extra.len(), iphone.extra.len());
}

#[test]
fn csv_cells_are_neutralised() {
    for bad in ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"] {
        assert!(neutralize_cell(bad).starts_with('\''), "{bad:?}");
    }
    assert_eq!(neutralize_cell("Ann"), "Ann");
    let mut person = Person::new("=HYPERLINK(\"x\")");
    person.notes = "+danger".into();
    let text = google_csv([&person]).unwrap();
    assert!(text.contains("'=HYPERLINK"));
    assert!(text.contains("'+danger"));
}

#[test]
fn follow_ups_export_as_vtodo_with_alarm() {
    let mut model = Model::default();
    let ann = Person::new("Ann, the \"first\"");
    let mut coffee = Interaction::new(
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        InteractionKind::Coffee,
        vec![ann.id],
    );
    coffee.follow_up = NaiveDate::from_ymd_opt(2026, 11, 15);
    coffee.note = "Send; the deck".into();
    let mut done = coffee.clone();
    done.id = crate::model::InteractionId::new_random();
    done.follow_up_done = true;
    model.people.insert(ann.id, ann);
    model.interactions.insert(coffee.id, coffee);
    model.interactions.insert(done.id, done);
    let stamp = NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(12, 0, 0)
        .unwrap();
    let ics = follow_ups_ics(&model, None, stamp);
    assert_eq!(ics.matches("BEGIN:VTODO").count(), 1);
    assert!(ics.contains("DUE;VALUE=DATE:20261115"));
    assert!(ics.contains("BEGIN:VALARM"));
    assert!(ics.contains("SUMMARY:Follow up with Ann\\, the \"first\""));
    assert!(ics.contains("Send\\; the deck"));
}

fn consent_strategy() -> impl Strategy<Value = Consent> {
    prop_oneof![
        Just(Consent::NotAsked),
        Just(Consent::No { date: None }),
        (0i64..1000).prop_map(|d| Consent::No {
            date: Some(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(d))
        }),
        (0i64..1000).prop_map(|d| Consent::Yes {
            date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(d)
        }),
    ]
}

proptest! {
    /// No NotAsked or No person can ever get into a newsletter list, nor
    /// anyone whose consent is held (two files in the folder hold them).
    #[test]
    fn newsletter_holds_only_consented_people(consents in proptest::collection::vec((consent_strategy(), any::<bool>(), any::<bool>()), 0..40)) {
        let mut held = std::collections::BTreeSet::new();
        let people: Vec<Person> = consents.iter().enumerate().map(|(i, (consent, deleted, on_hold))| {
            let mut p = Person::new(format!("P{i}"));
            p.emails = vec![format!("p{i}@example.com").into()];
            p.newsletter = consent.clone();
            p.deleted = *deleted;
            if *on_hold {
                held.insert(p.id);
            }
            p
        }).collect();
        let text = newsletter_csv(&people, &held).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let listed: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
        let expected: Vec<String> = people.iter().filter(|p| p.newsletter.is_yes() && !p.deleted && !held.contains(&p.id)).map(|p| p.emails[0].value.clone()).collect();
        prop_assert_eq!(listed, expected);
    }

    /// Importers never panic, whatever the bytes.
    #[test]
    fn importers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_contacts(&bytes);
        let mut with_header = b"BEGIN:VCARD\n".to_vec();
        with_header.extend(&bytes);
        let _ = read_contacts(&with_header);
        let mut csv = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n".to_vec();
        csv.extend(&bytes);
        let _ = read_contacts(&csv);
    }
}

#[test]
fn google_current_and_outlook_csv_layouts() {
    let google = "First Name,Middle Name,Last Name,Organization Name,Organization Title,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Birthday\r\n\
Ann,,Lee,Acme,CTO,\"Met at, the \"\"summit\"\"\",* myContacts ::: Mentors,* Work,ann@acme.com ::: ann@home.org,Home,ann2@x.org,Mobile,+1 555 0100,1980-01-02\r\n";
    let (format, incoming, skipped) = read_contacts(google.as_bytes()).unwrap();
    assert_eq!(format, ImportFormat::Csv(csv_import::CsvLayout::Google));
    assert!(skipped.is_empty());
    let ann = &incoming[0].person;
    assert_eq!(ann.name, "Ann Lee");
    assert_eq!(ann.organization, "Acme");
    assert_eq!(ann.role, "CTO");
    assert_eq!(ann.notes, "Met at, the \"summit\"");
    assert_eq!(
        ann.emails,
        vec!["ann@acme.com", "ann@home.org", "ann2@x.org"]
    );
    assert_eq!(ann.phones, vec!["+1 555 0100"]);
    assert_eq!(ann.tags, vec!["Mentors"]);
    assert_eq!(
        ann.birthday(),
        crate::model::PartialDate::new(Some(1980), Some(1), Some(2)).as_ref()
    );
    assert_eq!(ann.emails[0].label, crate::model::Label::Work);

    let outlook = "\"First Name\",\"Middle Name\",\"Last Name\",\"Title\",\"Company\",\"Job Title\",\"Business Phone\",\"Mobile Phone\",\"E-mail Address\",\"E-mail 2 Address\",\"Notes\",\"Categories\",\"Web Page\"\r\n\
\"Bob\",\"J\",\"Stone\",\"Mr.\",\"Stone & Co\",\"Owner\",\"(617) 555-0101\",\"617-555-0102\",\"bob@stone.co\",\"\",\"Line1\r\nLine2\",\"Clients;Golf\",\"https://stone.co\"\r\n";
    let (format, incoming, _) = read_contacts(outlook.as_bytes()).unwrap();
    assert_eq!(format, ImportFormat::Csv(csv_import::CsvLayout::Outlook));
    let bob = &incoming[0].person;
    // Outlook's "Title" is the honorific: a name part, shown in the name.
    assert_eq!(bob.name, "Mr. Bob J Stone");
    assert_eq!(bob.name_parts.prefix, "Mr.");
    assert_eq!(bob.name_parts.additional, "J");
    assert_eq!(bob.organization, "Stone & Co");
    assert_eq!(bob.phones, vec!["(617) 555-0101", "617-555-0102"]);
    assert_eq!(bob.emails, vec!["bob@stone.co"]);
    assert_eq!(bob.tags, vec!["Clients", "Golf"]);
    assert_eq!(bob.links, vec!["https://stone.co"]);
    assert_eq!(bob.notes, "Line1\r\nLine2");
    // Formats are detected from content: the same CSV in a ".vcf"-named file still imports.
    let preview =
        ImportPreview::build("contacts.vcf", outlook.as_bytes(), &Model::default()).unwrap();
    assert_eq!(preview.incoming.len(), 1);
}

#[test]
fn csv_round_trip_keeps_unknown_columns() {
    let google = "First Name,Last Name,E-mail 1 - Value,Birthday,Custom Field 1 - Value\nAnn,Lee,ann@x.org,1980-01-02,blue\n";
    let (_, incoming, _) = read_contacts(google.as_bytes()).unwrap();
    let text = google_csv([&incoming[0].person]).unwrap();
    let (_, again, _) = read_contacts(text.as_bytes()).unwrap();
    let back = &again[0].person;
    assert_eq!(back.name, "Ann Lee");
    assert_eq!(back.emails, vec!["ann@x.org"]);
    assert_eq!(back.birthday(), incoming[0].person.birthday());
    assert!(back.birthday().is_some());
    assert!(
        back.extra
            .contains(&("CSV:Custom Field 1 - Value".into(), "blue".into())),
        "{:?}",
        back.extra
    );
    let mut many = incoming[0].person.clone();
    many.emails = vec!["a@x.org".into(), "b@x.org".into(), "c@x.org".into()];
    many.phones = vec!["1".into(), "2".into(), "3".into()];
    let text = google_csv([&many]).unwrap();
    let (_, again, _) = read_contacts(text.as_bytes()).unwrap();
    assert_eq!(again[0].person.emails, many.emails);
    assert_eq!(again[0].person.phones, many.phones);
    assert!(
        back.extra
            .contains(&("CSV:Custom Field 1 - Value".into(), "blue".into()))
    );
}

#[test]
fn reimporting_a_file_or_kiths_own_export_duplicates_nobody() {
    let file = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nUID:phone-uid-1\r\nTEL:+1 555 0100\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bob\r\nEND:VCARD\r\n";
    let mut doc = crate::document::Document::new(Model::default());
    let preview = ImportPreview::build("a.vcf", file.as_bytes(), doc.model()).unwrap();
    doc.apply(preview.to_action(doc.model())).unwrap();
    assert_eq!(doc.model().people.len(), 2);
    // The same file again: matched by UID (Ann) and by name (Bob, whose
    // card has no UID: kith gave it none, so the name is all there is).
    let mut again = ImportPreview::build("a.vcf", file.as_bytes(), doc.model()).unwrap();
    assert!(matches!(
        again.incoming[0].matched,
        Some((_, MatchReason::Uid(_)))
    ));
    again.choose_all(MatchChoice::Merge);
    doc.apply(again.to_action(doc.model())).unwrap();
    assert_eq!(doc.model().people.len(), 2);
    // kith's own export: Ann keeps her phone's UID, Bob gets kith's id.
    let people: Vec<&Person> = doc.model().live_people().collect();
    for version in [VcardVersion::V3, VcardVersion::V4] {
        let text = write_cards(people.iter().copied(), version);
        assert!(text.contains("UID:phone-uid-1\r\n"));
        let own = ImportPreview::build("kith.vcf", text.as_bytes(), doc.model()).unwrap();
        assert_eq!(own.match_count(), 2, "{version:?}");
        assert!(
            own.incoming
                .iter()
                .all(|i| matches!(i.matched, Some((_, MatchReason::Uid(_)))))
        );
        assert_eq!(own.new_count(), 0);
    }
}

#[test]
fn one_person_three_times_in_one_file_is_one_person() {
    let file = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Dana Whitfield\r\nEMAIL:dana@x.org\r\nBDAY:--0322\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:2.1\r\nN:Whitfield;Dana\r\nFN:Dana Whitfield\r\nEMAIL;INTERNET:DANA@x.org\r\nTEL;CELL:+1 617 555 0142\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:D. Whitfield\r\nTEL;TYPE=CELL:(617) 555-0142\r\nNICKNAME:Dee\r\nEND:VCARD\r\n";
    let model = Model::default();
    let preview = ImportPreview::build("dana.vcf", file.as_bytes(), &model).unwrap();
    assert!(preview.incoming[0].matched.is_none());
    assert!(preview.incoming[1].matched_in_file);
    assert!(matches!(
        preview.incoming[2].matched,
        Some((_, MatchReason::Phone(_)))
    ));
    assert_eq!(preview.new_count(), 1);
    let mut doc = crate::document::Document::new(model);
    doc.apply(preview.to_action(doc.model())).unwrap();
    assert_eq!(doc.model().people.len(), 1);
    let dana = doc.model().people.values().next().unwrap();
    assert_eq!(dana.name, "Dana Whitfield");
    assert_eq!(dana.name_parts.family, "Whitfield");
    assert_eq!(dana.nicknames, vec!["Dee"]);
    assert_eq!(dana.emails.len(), 1);
    assert!(dana.birthday().is_some());
}

#[test]
fn corpus_address_book_fields_land_in_their_fields() {
    use crate::model::{DateKind, Label, PartialDate, RelationKind};
    if corpus().is_none() {
        return;
    }
    let date = |y: Option<i32>, m: u32, d: u32| PartialDate::new(y, Some(m), Some(d)).unwrap();
    let has_relation = |p: &Person, kind: RelationKind| p.relations.iter().any(|r| r.kind == kind);
    let iphone = one("vcf/ezvcard_John_Doe_IPHONE.vcf");
    assert_eq!(iphone.birthday(), Some(&date(Some(2012), 6, 6)));
    assert_eq!(iphone.name_parts.additional, "Richter,James");
    assert_eq!(iphone.name_parts.family, "Doe");
    assert!(!iphone.addresses.is_empty());
    assert!(iphone.phones.iter().any(|p| p.label == Label::Mobile));
    let mac = one("vcf/ezvcard_John_Doe_MAC_ADDRESS_BOOK.vcf");
    assert!(
        !mac.name_parts.phonetic_given.is_empty() || !mac.name_parts.phonetic_family.is_empty()
    );
    assert!(!mac.relations.is_empty());
    let gmail = one("vcf/ezvcard_John_Doe_GMAIL.vcf");
    assert_eq!(gmail.name, "Mr. John Richter, James Doe Sr.");
    assert_eq!(gmail.name_parts.additional, "Richter, James");
    assert!(gmail.dates.iter().any(|d| d.kind == DateKind::Anniversary));
    assert!(gmail.addresses.iter().any(|a| a.extended.contains('\n')));
    assert!(!gmail.relations.is_empty());
    let single = one("vcf/ezvcard_gmail-single2.vcf");
    assert!(has_relation(&single, RelationKind::Spouse));
    assert!(has_relation(&single, RelationKind::Child));
    assert!(has_relation(&single, RelationKind::Parent));
    assert!(
        single
            .dates
            .iter()
            .any(|d| d.date == date(Some(1776), 7, 4))
    );
    let outlook = one("vcf/ezvcard_John_Doe_MS_OUTLOOK.vcf");
    assert_eq!(outlook.birthday(), Some(&date(Some(1980), 3, 22)));
    assert!(
        outlook
            .dates
            .iter()
            .any(|d| d.kind == DateKind::Anniversary)
    );
    assert!(has_relation(&outlook, RelationKind::Manager));
    assert!(has_relation(&outlook, RelationKind::Assistant));
    let outlook_2003 = one("vcf/ezvcard_outlook-2003.vcf");
    assert_eq!(outlook_2003.birthday(), Some(&date(Some(1980), 3, 21)));
    assert_eq!(outlook_2003.org_units, vec!["TheDepartment"]);
    let evolution = one("vcf/ezvcard_John_Doe_EVOLUTION.vcf");
    assert!(has_relation(&evolution, RelationKind::Spouse));
    assert!(has_relation(&evolution, RelationKind::Manager));
    assert!(
        evolution
            .dates
            .iter()
            .any(|d| d.kind == DateKind::Anniversary)
    );
    assert_eq!(evolution.org_units.len(), 2);
    let thunderbird = one("vcf/ezvcard_thunderbird-MoreFunctionsForAddressBook-extension.vcf");
    assert!(has_relation(&thunderbird, RelationKind::Spouse));
    assert!(
        thunderbird
            .dates
            .iter()
            .any(|d| d.kind == DateKind::Anniversary)
    );
    let fullcontact = one("vcf/ezvcard_fullcontact.vcf");
    assert!(fullcontact.birthday().is_some());
    assert!(!fullcontact.other_titles.is_empty());
    // The second ORG and the text birthday have no field and are kept.
    assert!(fullcontact.extra.iter().any(|(k, _)| k.starts_with("ORG")));
    assert!(fullcontact.extra.iter().any(|(k, _)| k.starts_with("BDAY")));
    let cardbook = one("vcf/radicale_cardbook_bday_no_year.vcf");
    assert_eq!(cardbook.birthday(), Some(&date(None, 1, 1)));
    let apple = one("vcf/roundcube_apple.vcf");
    assert!(apple.addresses.iter().any(|a| a.locality.contains("Zürich")
        || a.street.contains("Zürich")
        || a.postcode.contains("Zürich")));
    assert!(apple.org_units.is_empty());
}

#[test]
fn csv_fields_reach_the_vcard_export_and_back() {
    let google = "First Name,Last Name,Name Prefix,Nickname,Birthday,Organization Name,Organization Department,Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Street,Address 1 - City,Address 1 - Postal Code,Address 1 - Country\r\nJan,Novak,Mr.,Honza,--03-22,Acme,Research,Home Fax,+420 2 1234,Work,1 Main St,Brno,60200,Czechia\r\n";
    let (_, incoming, _) = read_contacts(google.as_bytes()).unwrap();
    let jan = &incoming[0].person;
    for version in [VcardVersion::V3, VcardVersion::V4] {
        let card = write_cards([jan], version);
        let unfolded = card.replace("\r\n ", "");
        assert!(card.contains("\r\nN:Novak;Jan;;Mr.;\r\n"), "{card}");
        assert!(card.contains("\r\nNICKNAME:Honza\r\n"), "{card}");
        assert!(card.contains("\r\nORG:Acme;Research\r\n"), "{card}");
        assert!(
            card.contains(";TYPE=fax") || card.contains(";TYPE=FAX"),
            "{card}"
        );
        assert!(card.contains("BDAY"), "{card}");
        assert!(
            unfolded.contains(":;;1 Main St;Brno;;60200;Czechia\r\n"),
            "{card}"
        );
        let (_, back, _) = read_contacts(card.as_bytes()).unwrap();
        let mut back = back[0].person.clone();
        back.id = jan.id;
        back.source_ids.clear();
        assert_eq!(back, *jan, "{version:?}");
    }
}
