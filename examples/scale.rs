//! Scale figures on the synthetic network: cold load of a real data folder
//! (parts and the whole app), save after one edit, search per keystroke, and
//! headless frame times of the real app.
//!
//! `cargo run --release --example scale -- 100000 [load|save|search|frames|app|read]`
//!
//! The data folder is written once to `target/scale-data/<N>` and reused
//! (the first save of 100k people takes minutes because every file is
//! fsynced). `app` only opens the folder the way the app does and draws
//! frames, for peak memory:
//! `/usr/bin/time -v target/release/examples/scale 100000 app`.

use chrono::NaiveDate;
use kith::action::Action;
use kith::app::{Command, KithApp, View};
use kith::model::{Interaction, InteractionKind, Model, Person, PersonId};
use kith::search::SearchIndex;
use kith::storage::{Store, load_folder, load_folder_cached};
use kith::synth::{SynthParams, generate};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The app's allocator, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let index = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[index]
}

/// The synthetic network plus one person with 2,000 interactions.
fn network(people: usize) -> anyhow::Result<(Model, PersonId)> {
    let params = SynthParams::scale(people);
    let mut model = generate(&params);
    let busiest = *model
        .people
        .keys()
        .nth(people / 2)
        .ok_or_else(|| anyhow::anyhow!("empty network"))?;
    let mut rng = kith::synth::Rng::new(9);
    for n in 0..2000 {
        let date = params.today - chrono::Duration::days(rng.below(5 * 365) as i64);
        let mut interaction = Interaction::new(date, InteractionKind::ALL[n % 10], vec![busiest]);
        interaction.note = format!("interaction {n}");
        model.interactions.insert(interaction.id, interaction);
    }
    Ok((model, busiest))
}

/// The data folder for `people` (written on first use), and the person with
/// 2,000 interactions. The network is generated only to write the folder, so
/// the figures of later runs are not skewed by it.
fn data_folder(people: usize) -> anyhow::Result<(PathBuf, PersonId)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/scale-data");
    let dir = base.join(people.to_string());
    let done = base.join(format!("{people}.complete"));
    if done.exists() {
        // The busiest person is the middle one in id order, as generated.
        let mut ids: Vec<uuid::Uuid> = std::fs::read_dir(dir.join("people"))?
            .filter_map(|entry| {
                let name = entry.ok()?.file_name();
                uuid::Uuid::parse_str(name.to_str()?.strip_suffix(".ron")?).ok()
            })
            .collect();
        ids.sort_unstable();
        let busiest = ids
            .get(people / 2)
            .ok_or_else(|| anyhow::anyhow!("{} is missing people", dir.display()))?;
        return Ok((dir, PersonId(*busiest)));
    }
    let (model, busiest) = network(people)?;
    println!(
        "network: {} people, {} interactions",
        model.people.len(),
        model.interactions.len()
    );
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let (mut store, _) = Store::open(&dir)?;
    let start = Instant::now();
    store.mark_all_dirty(&model);
    let report = store.save(&model);
    println!(
        "first full save: {:?} ({} files)",
        start.elapsed(),
        report.written
    );
    drop(store);
    std::fs::write(&done, b"")?;
    Ok((dir, busiest))
}

fn screen() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        ..Default::default()
    }
}

/// Where the scale runs keep their load caches (not the user's cache folder).
fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/scale-data/cache")
}

/// Open the folder as the app does (with the load cache in `cache`, or none:
/// a first start); time until the first frame that shows data.
fn app_cold_load(dir: &Path, cache: Option<PathBuf>) -> (KithApp, Duration) {
    let ctx = egui::Context::default();
    let start = Instant::now();
    let mut app = KithApp::open_folder_with_cache(dir, cache);
    loop {
        let frame = Instant::now();
        let _ = ctx.run_ui(screen(), |ui| app.frame_ui(ui));
        if !app.is_loading() {
            if std::env::var_os("KITH_VERBOSE").is_some() {
                println!(
                    "  loader done after {:?}; the first frame with data took {:?}",
                    frame - start,
                    frame.elapsed()
                );
            }
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    (app, start.elapsed())
}

fn frames(app: &mut KithApp, label: &str, mut before_frame: impl FnMut(&mut KithApp, usize)) {
    let ctx = egui::Context::default();
    for n in 0..5 {
        before_frame(app, n);
        let _ = ctx.run_ui(screen(), |ui| app.frame_ui(ui));
    }
    // KITH_FRAMES=N draws more frames (to profile them).
    let count = std::env::var("KITH_FRAMES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200);
    let mut times = Vec::new();
    for n in 0..count {
        before_frame(app, n + 5);
        let start = Instant::now();
        let _ = ctx.run_ui(screen(), |ui| app.frame_ui(ui));
        times.push(start.elapsed());
    }
    println!(
        "frame CPU time ({label}), {count} frames: median {:?}, p99 {:?}",
        median(&mut times),
        percentile(&mut times, 0.99)
    );
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let people: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let only = args.next();
    let wants = |part: &str| only.as_deref().is_none_or(|o| o == part);
    let (dir, busiest) = data_folder(people)?;

    // The load cache as the previous start left it (the folder is unchanged
    // since, so every record comes from the cache).
    // Files written less than SETTLE ago are parsed again (their times could
    // still hide a change), so a folder written just now takes two rounds.
    let cache = kith::storage::cache_file(&cache_dir(), &dir);
    for _ in 0..2 {
        if let Some(refresh) = load_folder_cached(&dir, Some(&cache))?.cache_refresh {
            refresh.write()?;
            std::thread::sleep(kith::storage::CACHE_SETTLE);
        }
    }

    if only.as_deref() == Some("read") {
        // The folder read alone, from the load cache (to profile it).
        let mut reads = Vec::new();
        for _ in 0..5 {
            let start = Instant::now();
            let loaded = load_folder_cached(&dir, Some(&cache))?;
            reads.push(start.elapsed());
            std::hint::black_box(loaded);
        }
        println!(
            "read with the load cache, median of 5: {:?}",
            median(&mut reads)
        );
        return Ok(());
    }

    if only.as_deref() == Some("app") {
        // KITH_CACHE=empty: a first start (every file parsed, then the
        // cache written); KITH_CACHE=off: no cache at all.
        let empty = tempfile::tempdir()?;
        let cache = match std::env::var("KITH_CACHE").as_deref() {
            Ok("off") => None,
            Ok("empty") => Some(empty.path().to_path_buf()),
            _ => Some(cache_dir()),
        };
        let (mut app, load) = app_cold_load(&dir, cache);
        println!("app cold load to first usable frame: {load:?}");
        app.push_command(Command::OpenPerson(busiest));
        app.apply_commands();
        app.ui_state.people.scroll_to_row = Some(people / 2);
        frames(&mut app, "app", |_, _| {});
        app.shutdown();
        drop(empty);
        return Ok(());
    }

    if wants("load") {
        let (mut parse, mut index, mut search, mut total) = (vec![], vec![], vec![], vec![]);
        let (mut cached_parse, mut cached_total) = (vec![], vec![]);
        for _ in 0..3 {
            let start = Instant::now();
            let loaded = load_folder_cached(&dir, Some(&cache))?;
            cached_parse.push(start.elapsed());
            assert!(loaded.cache_refresh.is_none(), "the cache is up to date");
            drop(loaded);
            let (mut app, load) = app_cold_load(&dir, Some(cache_dir()));
            cached_total.push(load);
            app.wait_for_backup();
            drop(app);

            let start = Instant::now();
            let loaded = load_folder(&dir)?;
            parse.push(start.elapsed());
            let t = Instant::now();
            let insight = kith::insight::Insight::build(&loaded.model);
            index.push(t.elapsed());
            let t = Instant::now();
            let found = SearchIndex::build(&loaded.model);
            search.push(t.elapsed());
            std::hint::black_box((insight, found));
            drop(loaded);
            let (mut app, load) = app_cold_load(&dir, None);
            total.push(load);
            // Today's backup runs after the first frame; let it finish.
            app.wait_for_backup();
            drop(app);
        }
        println!(
            "cold load with the load cache (every later start), median of 3: read {:?}; \
             whole app to first usable frame {:?}",
            median(&mut cached_parse),
            median(&mut cached_total)
        );
        println!(
            "cold load without it (first start), median of 3: parse {:?}, insight index {:?}, \
             search index {:?}; whole app to first usable frame {:?}",
            median(&mut parse),
            median(&mut index),
            median(&mut search),
            median(&mut total)
        );
    }

    let (mut store, loaded) = Store::open(&dir)?;
    let mut doc = kith::document::Document::new(loaded.model);
    if wants("save") {
        let mut saves = Vec::new();
        let original = doc.model().people[&busiest].clone();
        for n in 0..21 {
            let mut person = original.clone();
            person.notes = format!("edit {n}");
            doc.apply(Action::EditPerson(person))?;
            let start = Instant::now();
            store.note_changes(&doc.take_changes(), doc.model());
            let report = store.save(doc.model());
            saves.push(start.elapsed());
            assert_eq!(report.written, 1);
        }
        // Leave the folder as it was.
        doc.apply(Action::EditPerson(original))?;
        store.note_changes(&doc.take_changes(), doc.model());
        store.save(doc.model());
        println!(
            "save after one edit, median of 21: {:?}",
            median(&mut saves)
        );
    }
    drop(store);

    let query = "person 0421 jazz";
    if wants("search") {
        let mut search = SearchIndex::build(doc.model());
        let mut keystrokes = Vec::new();
        for round in 0..5 {
            for end in 1..=query.len() {
                let start = Instant::now();
                let hits = search.search(&query[..end]);
                keystrokes.push(start.elapsed());
                if round == 0 && std::env::var_os("KITH_VERBOSE").is_some() {
                    println!(
                        "  {:?}: {:?}, {} hits",
                        &query[..end],
                        start.elapsed(),
                        hits.len()
                    );
                }
                if round == 0 && end == query.len() {
                    println!("  '{query}' finds {} people", hits.len());
                }
            }
        }
        println!(
            "search per keystroke (index only): median {:?}, p99 {:?}",
            median(&mut keystrokes),
            percentile(&mut keystrokes, 0.99)
        );
    }

    if wants("frames") {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        let mut app = KithApp::in_memory(doc.model().clone(), today);
        drop(doc);
        app.push_command(Command::OpenPerson(busiest));
        app.apply_commands();
        app.ui_state.people.scroll_to_row = Some(people / 2);
        frames(
            &mut app,
            "list scrolled to the middle, person with 2,000 interactions open",
            |_, _| {},
        );
        // Typing: one more letter of the query every frame, cleared at the end.
        let letters: Vec<char> = query.chars().collect();
        frames(
            &mut app,
            "typing a search query, a letter per frame",
            |app, n| {
                let typed = n % (letters.len() + 1);
                app.ui_state.people.query = letters[..typed].iter().collect();
            },
        );
        // One edit, then the frame that shows it on Today (which shows the
        // best introductions): a note leaves the introductions as they are,
        // a new interest makes them be computed again.
        app.ui_state.people.query.clear();
        for view in View::ALL {
            app.push_command(Command::Show(view));
            app.apply_commands();
            frames(&mut app, &format!("{view:?} view"), |_, _| {});
        }
        app.push_command(Command::Show(View::Today));
        app.apply_commands();
        for (label, edit) in [
            (
                "a note",
                (|p: &mut Person, n| p.notes = format!("note {n}")) as fn(&mut Person, usize),
            ),
            ("an interest", |p: &mut Person, n| {
                p.interests.push(format!("interest {n}"))
            }),
        ] {
            let ctx = egui::Context::default();
            let _ = ctx.run_ui(screen(), |ui| app.frame_ui(ui));
            let mut times = Vec::new();
            for n in 0..9 {
                let mut person = app.model().people[&busiest].clone();
                edit(&mut person, n);
                let start = Instant::now();
                app.push_command(Command::Apply(Action::EditPerson(person)));
                app.apply_commands();
                let _ = ctx.run_ui(screen(), |ui| app.frame_ui(ui));
                times.push(start.elapsed());
            }
            println!(
                "edit {label}, then the next frame on Today, median of 9: {:?}",
                median(&mut times)
            );
        }
        // The same with the introductions computed in the background, as the
        // app on a folder does: the frame after the edit only starts the job.
        app.set_background_introductions(true);
        let ctx = egui::Context::default();
        let (mut frames_after, mut until_ready) = (Vec::new(), Vec::new());
        for n in 0..9 {
            let mut person = app.model().people[&busiest].clone();
            person.interests.push(format!("background interest {n}"));
            let start = Instant::now();
            app.push_command(Command::Apply(Action::EditPerson(person)));
            app.apply_commands();
            let _ = ctx.run_ui(screen(), |ui| app.frame_ui(ui));
            frames_after.push(start.elapsed());
            app.wait_for_candidates();
            until_ready.push(start.elapsed());
            let _ = ctx.run_ui(screen(), |ui| app.frame_ui(ui));
        }
        println!(
            "edit an interest with the introductions in the background, median of 9: \
             next frame {:?}, introductions ready after {:?}",
            median(&mut frames_after),
            median(&mut until_ready)
        );
    }
    Ok(())
}
