//! The load cache: records come from it only while their files are unchanged,
//! and a damaged, foreign or out-of-date cache never changes what loads.

use super::tests::{full_model, id_of, open_with};
use super::*;
use std::time::SystemTime;

/// A load that begins well after the files were written (they have settled).
fn later() -> i64 {
    let settle = cache::SETTLE.as_nanos() as i64;
    cache::nanos_since_epoch(std::time::SystemTime::now()) + 2 * settle
}

/// A folder holding [`full_model`], and where its cache goes.
fn folder() -> (tempfile::TempDir, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let cache_dir = tempfile::tempdir().unwrap();
    let (store, _doc) = open_with(dir.path(), full_model());
    drop(store);
    let cache = cache_file(cache_dir.path(), dir.path());
    (dir, cache_dir, cache)
}

/// Ann's id and file in a folder holding [`full_model`].
fn ann_file(dir: &Path) -> (PersonId, PathBuf) {
    let ann = id_of(&load_folder(dir).unwrap().model, "Ann");
    (ann, dir.join(format!("people/{ann}.ron")))
}

/// Load once (writing the cache), as the first start does; returns how many
/// records there are.
fn warm(dir: &Path, cache: &Path) -> usize {
    let loaded = load_folder_at(dir, Some(cache), later()).unwrap();
    assert_eq!(loaded.from_cache, 0);
    let count = loaded.known.len();
    loaded
        .cache_refresh
        .expect("a first load writes the cache")
        .write()
        .unwrap();
    count
}

#[test]
fn an_unchanged_folder_loads_every_record_from_the_cache() {
    let (dir, _cache_dir, cache) = folder();
    let records = warm(dir.path(), &cache);
    let parsed = load_folder(dir.path()).unwrap();
    let cached = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    assert_eq!(cached.from_cache, records);
    assert!(cached.cache_refresh.is_none(), "nothing to rewrite");
    assert!(cached.problems.is_empty(), "{:?}", cached.problems);
    // The same records, down to the fields data files leave out when empty
    // and the fingerprints that guard against overwriting others' changes.
    assert_eq!(cached.model, parsed.model);
    let ann = id_of(&cached.model, "Ann");
    assert_eq!(cached.model.people[&ann].extra.len(), 1);
    assert_eq!(cached.known, parsed.known);
}

#[test]
fn a_changed_file_is_parsed_again_and_the_cache_rewritten() {
    let (dir, _cache_dir, cache) = folder();
    let records = warm(dir.path(), &cache);
    let (ann, path) = ann_file(dir.path());
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("CTO", "CEO")).unwrap();

    let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    assert_eq!(loaded.from_cache, records - 1);
    assert_eq!(loaded.model.people[&ann].role, "CEO");
    assert_eq!(loaded.known, load_folder(dir.path()).unwrap().known);
    let refresh = loaded
        .cache_refresh
        .expect("the changed file is cached anew");
    refresh.write().unwrap();
    let again = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    assert_eq!(again.from_cache, records);
    assert_eq!(again.model.people[&ann].role, "CEO");
}

#[test]
fn a_file_saved_between_the_load_and_the_cache_write_is_cached_as_on_disk() {
    let (dir, _cache_dir, cache) = folder();
    let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    let refresh = loaded.cache_refresh.unwrap();
    assert_eq!(refresh.files_to_read(), loaded.known.len());
    // kith saves Ann while the cache is still waiting to be written.
    let ann = id_of(&loaded.model, "Ann");
    let path = dir.path().join(format!("people/{ann}.ron"));
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, text.replace("CTO", "Chief of Staff")).unwrap();
    refresh.write().unwrap();
    let again = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    assert_eq!(again.model.people[&ann].role, "Chief of Staff");
    assert_eq!(
        again.from_cache,
        again.known.len(),
        "the cache has the new version"
    );
    assert_eq!(again.known, load_folder(dir.path()).unwrap().known);
}

#[cfg(unix)]
#[test]
fn a_change_that_keeps_size_and_modification_time_is_still_seen() {
    let (dir, _cache_dir, cache) = folder();
    warm(dir.path(), &cache);
    let (ann, path) = ann_file(dir.path());
    let modified = fs::metadata(&path).unwrap().modified().unwrap();
    // Same length, same inode, modification time put back (as `rsync -t`
    // or a careless tool might): only the change time tells.
    let text = fs::read_to_string(&path).unwrap();
    let mut file = OpenOptions::new().write(true).open(&path).unwrap();
    file.write_all(text.replace("CTO", "CFO").as_bytes())
        .unwrap();
    file.set_modified(modified).unwrap();
    drop(file);

    let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    assert_eq!(loaded.model.people[&ann].role, "CFO");
}

#[test]
fn files_written_just_before_a_load_are_not_trusted_from_its_cache() {
    let (dir, _cache_dir, cache) = folder();
    // The load begins now, right after the files were written: their times
    // could still hide a change within the same clock tick.
    let first = load_folder_cached(dir.path(), Some(&cache)).unwrap();
    first.cache_refresh.unwrap().write().unwrap();
    let second = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    assert_eq!(second.from_cache, 0);
    assert!(second.cache_refresh.is_some(), "rewritten, now settled");
}

#[test]
fn a_removed_or_added_file_is_followed() {
    let (dir, _cache_dir, cache) = folder();
    let records = warm(dir.path(), &cache);
    let model = load_folder(dir.path()).unwrap().model;
    let bob = id_of(&model, "Bob");
    fs::remove_file(dir.path().join(format!("people/{bob}.ron"))).unwrap();
    let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    assert!(!loaded.model.people.contains_key(&bob));
    assert_eq!(loaded.from_cache, records - 1);
    assert!(loaded.cache_refresh.is_some(), "the cache still lists Bob");
}

#[test]
fn a_damaged_record_in_the_cache_is_parsed_from_its_file() {
    let (dir, _cache_dir, cache) = folder();
    let records = warm(dir.path(), &cache);
    let mut bytes = fs::read(&cache).unwrap();
    // Flip a bit near the end: inside the last record's bytes.
    let at = bytes.len() - 3;
    bytes[at] ^= 0x10;
    fs::write(&cache, &bytes).unwrap();
    let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
    assert_eq!(loaded.from_cache, records - 1);
    assert_eq!(loaded.model, load_folder(dir.path()).unwrap().model);
    assert!(loaded.cache_refresh.is_some());
}

#[test]
fn a_truncated_garbage_or_foreign_cache_is_ignored() {
    let (dir, _cache_dir, cache) = folder();
    warm(dir.path(), &cache);
    let good = fs::read(&cache).unwrap();
    let expected = load_folder(dir.path()).unwrap().model;
    let mut damaged: Vec<Vec<u8>> = (0..good.len())
        .step_by(good.len() / 97 + 1)
        .map(|len| good[..len].to_vec())
        .collect();
    damaged.push(b"not a cache at all".to_vec());
    damaged.push(Vec::new());
    let mut other_build = good.clone();
    other_build[20] ^= 1; // the schema hash
    damaged.push(other_build);
    for bytes in damaged {
        fs::write(&cache, &bytes).unwrap();
        let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
        assert_eq!(loaded.from_cache, 0, "a cache of {} bytes", bytes.len());
        assert_eq!(loaded.model, expected);
        assert!(loaded.problems.is_empty());
    }

    // Another folder's cache, even with the same files, is not used.
    fs::write(&cache, &good).unwrap();
    let copy = tempfile::tempdir().unwrap();
    super::tests::copy_dir(dir.path(), copy.path());
    let loaded = load_folder_at(copy.path(), Some(&cache), later()).unwrap();
    assert_eq!(loaded.from_cache, 0);
}

#[test]
fn a_damaged_data_file_is_reported_every_time_never_served_from_the_cache() {
    let (dir, _cache_dir, cache) = folder();
    let records = warm(dir.path(), &cache);
    let (ann, path) = ann_file(dir.path());
    fs::write(&path, "(format: 2, person: (id: oops").unwrap();
    for _ in 0..2 {
        let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
        assert_eq!(loaded.problems.len(), 1);
        assert_eq!(loaded.problems[0].path, path);
        assert!(!loaded.model.people.contains_key(&ann));
        assert_eq!(loaded.from_cache, records - 1);
        if let Some(refresh) = loaded.cache_refresh {
            refresh.write().unwrap();
        }
    }
}

#[test]
fn a_read_only_store_does_not_write_the_cache() {
    let (dir, _cache_dir, cache) = folder();
    let (_writer, first) = Store::open_cached(dir.path(), Some(&cache)).unwrap();
    assert!(first.cache_refresh.is_some());
    let (reader, second) = Store::open_cached(dir.path(), Some(&cache)).unwrap();
    assert!(reader.read_only().is_some());
    assert!(second.cache_refresh.is_none());
}

#[cfg(unix)]
#[test]
fn the_cache_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (store, _doc) = open_with(dir.path(), full_model());
    drop(store);
    let cache_root = tempfile::tempdir().unwrap();
    let cache_dir = cache_root.path().join("kith");
    let cache = cache_file(&cache_dir, dir.path());
    warm(dir.path(), &cache);
    let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cache_dir), 0o700);
    assert_eq!(mode(&cache), 0o600);
}

#[test]
fn caches_of_deleted_or_long_unopened_folders_and_abandoned_temp_files_are_cleared() {
    let (dir, cache_dir, cache) = folder();
    let old = SystemTime::now() - std::time::Duration::from_secs(90 * 24 * 60 * 60);
    let touch = |name: &str, when: SystemTime| {
        let path = cache_dir.path().join(name);
        fs::write(&path, b"x").unwrap();
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
        path
    };
    let forgotten = touch("0000000000000000.cache", old);
    let recent = touch("1111111111111111.cache", SystemTime::now());
    let abandoned = touch(&format!("{TEMP_PREFIX}1-0-x.cache"), old);
    let writing = touch(&format!("{TEMP_PREFIX}1-1-y.cache"), SystemTime::now());
    // Another kith writing its cache holds the temp file's lock.
    let writer = File::open(&writing).unwrap();
    writer.try_lock().unwrap();
    // A cache of a folder that was deleted since.
    let gone = tempfile::tempdir().unwrap();
    let (store, _doc) = open_with(gone.path(), full_model());
    drop(store);
    let gone_cache = cache_file(cache_dir.path(), gone.path());
    warm(gone.path(), &gone_cache);
    drop(gone);
    warm(dir.path(), &cache);
    assert!(!gone_cache.exists());
    assert!(!forgotten.exists());
    assert!(!abandoned.exists());
    assert!(recent.exists());
    assert!(writing.exists(), "another kith may be writing it now");
    assert!(cache.exists());
    drop(writer);
}

mod damaged_bytes {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        /// Whatever single byte of the cache is damaged, the folder loads as
        /// if there were no cache: the same records, the same fingerprints.
        #[test]
        fn any_damaged_byte_changes_nothing_that_loads(at in any::<prop::sample::Index>(), flip in 1u8..=255) {
            let (dir, _cache_dir, cache) = folder();
            warm(dir.path(), &cache);
            let expected = load_folder(dir.path()).unwrap();
            let mut bytes = fs::read(&cache).unwrap();
            let at = at.index(bytes.len());
            bytes[at] ^= flip;
            fs::write(&cache, &bytes).unwrap();
            let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
            prop_assert_eq!(&loaded.model, &expected.model);
            prop_assert_eq!(&loaded.known, &expected.known);
            prop_assert!(loaded.problems.is_empty());
            prop_assert!(loaded.cache_refresh.is_some(), "a damaged cache is rewritten");
        }

        /// Any bytes at all, behind a valid start or not, load as no cache.
        #[test]
        fn any_bytes_load_as_no_cache(garbage in prop::collection::vec(any::<u8>(), 0..4096), keep in 0usize..200) {
            let (dir, _cache_dir, cache) = folder();
            warm(dir.path(), &cache);
            let expected = load_folder(dir.path()).unwrap();
            let mut bytes = fs::read(&cache).unwrap();
            bytes.truncate(keep);
            bytes.extend(garbage);
            fs::write(&cache, &bytes).unwrap();
            let loaded = load_folder_at(dir.path(), Some(&cache), later()).unwrap();
            prop_assert_eq!(loaded.from_cache, 0);
            prop_assert_eq!(&loaded.model, &expected.model);
            prop_assert_eq!(&loaded.known, &expected.known);
        }
    }
}

#[test]
fn discarding_the_cache_deletes_it_and_is_fine_when_there_is_none() {
    let (dir, cache_dir, cache) = folder();
    warm(dir.path(), &cache);
    assert!(cache.is_file());
    discard_cache(cache_dir.path(), dir.path()).unwrap();
    assert!(!cache.exists());
    discard_cache(cache_dir.path(), dir.path()).unwrap();
    discard_cache(&cache_dir.path().join("never-made"), dir.path()).unwrap();
}
