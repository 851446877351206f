//! Scale benchmarks with criterion on the deterministic synthetic network:
//! search per keystroke and cold load of a data folder (with and without
//! the load cache).
//!
//! Run: `cargo bench --bench scale` (add `-- search` or `-- load` to filter).
//! The folder for the load benchmark is written once to
//! `target/bench-data/<N>` and reused. Whole-app figures (first usable
//! frame, frame times, peak memory) come from `examples/scale.rs`.
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kith::search::SearchIndex;
use kith::storage::{Store, load_folder, load_folder_cached};
use kith::synth::{SynthParams, generate};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

/// The app's allocator, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Keystrokes of one query, from one letter (matches nearly everyone) to
/// the whole query (a few people).
const KEYSTROKES: [&str; 5] = ["p", "pe", "person 0", "person 04", "person 0421 jazz"];

fn search_benches(c: &mut Criterion) {
    let model = generate(&SynthParams::scale(100_000));
    let mut group = c.benchmark_group("search/100k");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("build", |b| {
        b.iter_with_large_drop(|| SearchIndex::build(&model))
    });
    let mut index = SearchIndex::build(&model);
    for query in KEYSTROKES {
        // Each run is a fresh keystroke: the last word is matched again.
        group.bench_with_input(BenchmarkId::new("keystroke", query), &query, |b, q| {
            b.iter(|| black_box(index.search(q)))
        });
    }
    group.finish();
}

/// A data folder of `people`, written on first use.
fn folder(people: usize) -> PathBuf {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let dir = base.join(people.to_string());
    let done = base.join(format!("{people}.complete"));
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        let model = generate(&SynthParams::scale(people));
        let Ok((mut store, _)) = Store::open(&dir) else {
            panic!("cannot create {}", dir.display());
        };
        store.mark_all_dirty(&model);
        assert!(store.save(&model).is_complete());
        drop(store);
        std::fs::write(&done, b"").unwrap_or_default();
    }
    dir
}

fn load_benches(c: &mut Criterion) {
    let dir = folder(10_000);
    let mut group = c.benchmark_group("load/10k");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("load_folder", |b| {
        b.iter_with_large_drop(|| load_folder(&dir).map(|loaded| loaded.model.people.len()))
    });
    // Every later start: each record from the load cache. Files written
    // just now are re-read until they settle, so the cache is made twice.
    let cache = kith::storage::cache_file(&dir.join("../cache"), &dir);
    for _ in 0..2 {
        if let Ok(Some(refresh)) = load_folder_cached(&dir, Some(&cache)).map(|l| l.cache_refresh) {
            refresh.write().unwrap_or_default();
            std::thread::sleep(kith::storage::CACHE_SETTLE);
        }
    }
    group.bench_function("load_folder_cached", |b| {
        b.iter_with_large_drop(|| {
            load_folder_cached(&dir, Some(&cache)).map(|loaded| loaded.model.people.len())
        })
    });
    group.finish();
}

criterion_group!(benches, search_benches, load_benches);
criterion_main!(benches);
