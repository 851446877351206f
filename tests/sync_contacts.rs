//! The address-book half of a sync against a real Radicale (see
//! tests/support/radicale.rs), in the cases the scenario tests of
//! tests/sync_radicale.rs do not reach: a server without sync tokens (the
//! collection tag and a listing), an expired sync token, and photos both
//! ways. Fixed clock; kith's sync through `sync_blocking`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/radicale.rs"]
mod radicale;

use kith::action::Action;
use kith::model::{Model, Person};
use kith::session::Session;
use kith::storage::sync_store;
use kith::sync::run::sync_blocking;
use kith::sync::{Account, SyncState};
use radicale::Radicale;
use std::path::Path;

fn account(server: &Radicale) -> Account {
    let mut account = Account::new("phone", server.url(), radicale::USER);
    account.addressbook = Some(server.addressbook_url());
    account
}

fn session(people: &[Person]) -> Session {
    let mut model = Model::default();
    for person in people {
        model.people.insert(person.id, person.clone());
    }
    Session::in_memory(model, chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap())
}

fn sync(session: &mut Session, account: &Account, state_dir: &Path) -> kith::sync::run::SyncReport {
    sync_blocking(session, account, radicale::PASSWORD.into(), state_dir).unwrap()
}

/// Radicale made to look like a server without sync-collection: a state
/// that remembers a collection tag instead of a token.
#[test]
fn without_sync_tokens_the_collection_tag_and_a_listing_find_every_change() {
    let server = Radicale::start();
    let account = account(&server);
    let state_dir = tempfile::tempdir().unwrap();
    let ann = Person::new("Ann One");
    let ben = Person::new("Ben Two");
    let mut kith = session(&[ann.clone(), ben.clone()]);
    let mut state = SyncState::default();
    state.contacts.url = server.addressbook_url();
    state.contacts.ctag = Some(String::new());
    sync_store::save_state(state_dir.path(), "phone", &state).unwrap();

    let first = sync(&mut kith, &account, state_dir.path());
    assert_eq!(first.pushed.added, 2, "{first:?}");
    // kith's own writes moved the tag: one listing finds nothing to fetch…
    let second = sync(&mut kith, &account, state_dir.path());
    assert_eq!((second.pulled, second.pushed), Default::default());
    assert_eq!(second.requests, 2, "tag and listing");
    // …and from then on an unchanged tag is the whole sync.
    let third = sync(&mut kith, &account, state_dir.path());
    assert_eq!(third.requests, 1);

    // The phone renames Ann and deletes Ben.
    let ann_file = format!("{}.vcf", ann.id);
    let card = server
        .get(&format!("{}{ann_file}", radicale::ADDRESSBOOK))
        .unwrap();
    let renamed = card
        .replace("FN:Ann One", "FN:Ann Phone")
        .replace("N:One;Ann;;;", "N:Phone;Ann;;;");
    server.put_card(&ann_file, &renamed, None);
    assert_eq!(
        server.delete(&format!("{}{}.vcf", radicale::ADDRESSBOOK, ben.id)),
        200
    );
    let fourth = sync(&mut kith, &account, state_dir.path());
    assert_eq!(kith.model().people[&ann.id].name, "Ann Phone");
    assert!(
        kith.model().people[&ben.id].deleted,
        "Ben went to the trash"
    );
    assert_eq!(fourth.pulled.deleted, 1);
    assert_eq!(fourth.pushed, Default::default(), "{fourth:?}");
    let fifth = sync(&mut kith, &account, state_dir.path());
    assert_eq!((fifth.pulled, fifth.pushed), Default::default());
    assert_eq!(fifth.requests, 1);
    let kept = sync_store::load_state(state_dir.path(), "phone").unwrap();
    assert!(kept.contacts.sync_token.is_none());
    assert_eq!(server.cards().len(), 1);
}

/// A token the server no longer knows lists everything again: the card
/// deleted meanwhile is found, nothing is duplicated or written.
#[test]
fn an_expired_sync_token_lists_everything_again_without_duplicates_or_writes() {
    let server = Radicale::start();
    let account = account(&server);
    let state_dir = tempfile::tempdir().unwrap();
    let ann = Person::new("Ann One");
    let ben = Person::new("Ben Two");
    let mut kith = session(&[ann.clone(), ben.clone()]);
    assert_eq!(sync(&mut kith, &account, state_dir.path()).pushed.added, 2);
    let mut state = sync_store::load_state(state_dir.path(), "phone").unwrap();
    assert!(state.contacts.sync_token.is_some());
    state.contacts.sync_token = Some(format!("http://radicale.org/ns/sync/{}", "0".repeat(64)));
    sync_store::save_state(state_dir.path(), "phone", &state).unwrap();
    assert_eq!(
        server.delete(&format!("{}{}.vcf", radicale::ADDRESSBOOK, ben.id)),
        200
    );

    let report = sync(&mut kith, &account, state_dir.path());
    assert_eq!(report.pulled.deleted, 1, "{report:?}");
    assert_eq!(report.pushed, Default::default());
    assert!(kith.model().people[&ben.id].deleted);
    assert_eq!(kith.model().people.len(), 2);
    let again = sync(&mut kith, &account, state_dir.path());
    assert_eq!(again.requests, 1);
    assert_eq!(server.cards().len(), 1);
}

fn jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(8, 8, |x, y| {
        image::Rgb([(x * 30) as u8, (y * 30) as u8, 90])
    });
    let mut out = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut out),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    out
}

fn folder(dir: &Path) -> Session {
    let mut session = Session::open_folder(dir, None);
    session.wait_until_loaded();
    assert!(session.start_empty());
    session.save();
    session
}

/// kith's photo goes onto the card it creates, and a card's photo becomes
/// the photo of the person a second machine gets from it; neither makes
/// the next syncs write anything.
#[test]
fn photos_travel_with_the_cards_both_ways() {
    let server = Radicale::start();
    let account = account(&server);
    let dir = tempfile::tempdir().unwrap();
    let (data_a, state_a) = (dir.path().join("a"), dir.path().join("state-a"));
    let (data_b, state_b) = (dir.path().join("b"), dir.path().join("state-b"));
    std::fs::create_dir_all(&state_a).unwrap();
    std::fs::create_dir_all(&state_b).unwrap();
    let mut a = folder(&data_a);
    let mia = Person::new("Mia Chen");
    assert!(a.apply(Action::AddPerson(mia.clone())));
    a.save();
    let photo = jpeg();
    a.save_photos(&[(mia.id, photo.clone())]);
    assert_eq!(sync(&mut a, &account, &state_a).pushed.added, 1);
    let cards = server.cards();
    assert!(cards.iter().any(|(_, c)| c.contains("PHOTO")), "{cards:?}");

    let mut b = folder(&data_b);
    assert_eq!(sync(&mut b, &account, &state_b).pulled.added, 1);
    let id = b.model().live_people().next().unwrap().id;
    assert_eq!(
        kith::storage::photos::read_photo(&data_b, id).unwrap(),
        Some(photo)
    );
    assert_eq!(sync(&mut b, &account, &state_b).pushed, Default::default());
    assert_eq!(sync(&mut a, &account, &state_a).pushed, Default::default());
}
