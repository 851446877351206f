//! Scale figures on the synthetic network: write a data folder, cold-load
//! it, save after one edit, search per keystroke, and headless frame times
//! of the real app.
//!
//! `cargo run --release --example scale -- 100000`
//! (peak memory: `/usr/bin/time -v target/release/examples/scale 100000`)

use chrono::NaiveDate;
use kith::action::Action;
use kith::app::{Command, KithApp};
use kith::model::{Interaction, InteractionKind};
use kith::search::SearchIndex;
use kith::storage::{Store, load_folder};
use kith::synth::{SynthParams, generate};
use std::time::{Duration, Instant};

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let index = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[index]
}

fn main() -> anyhow::Result<()> {
    let people: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let params = SynthParams::scale(people);
    let mut model = generate(&params);
    // One person with 2,000 interactions for the timeline.
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
    println!(
        "network: {} people, {} interactions",
        model.people.len(),
        model.interactions.len()
    );

    // Write the folder (first save of everything).
    let dir = tempfile::tempdir()?;
    let (mut store, _) = Store::open(dir.path())?;
    let start = Instant::now();
    store.mark_all_dirty(&model);
    let report = store.save(&model);
    println!(
        "first full save: {:?} ({} files)",
        start.elapsed(),
        report.written
    );
    drop(store);

    // Cold load to a usable state: parse everything, build the index and search.
    let mut loads = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let loaded = load_folder(dir.path())?;
        let insight = kith::insight::Insight::build(&loaded.model);
        let search = SearchIndex::build(&loaded.model);
        loads.push(start.elapsed());
        std::hint::black_box((insight, search));
    }
    println!(
        "cold load (parse + index + search), median of 3: {:?}",
        median(&mut loads)
    );

    // Save after one edit.
    let (mut store, loaded) = Store::open(dir.path())?;
    let mut doc = kith::document::Document::new(loaded.model);
    let mut saves = Vec::new();
    for n in 0..21 {
        let mut person = doc.model().people[&busiest].clone();
        person.notes = format!("edit {n}");
        doc.apply(Action::EditPerson(person))?;
        let start = Instant::now();
        store.note_changes(&doc.take_changes(), doc.model());
        let report = store.save(doc.model());
        saves.push(start.elapsed());
        assert_eq!(report.written, 1);
    }
    println!(
        "save after one edit, median of 21: {:?}",
        median(&mut saves)
    );
    drop(store);

    // Search per keystroke over everyone.
    let mut search = SearchIndex::build(doc.model());
    let everyone: Vec<_> = doc.model().people.keys().copied().collect();
    let query = "person 0421 jazz";
    let mut keystrokes = Vec::new();
    for round in 0..5 {
        for end in 1..=query.len() {
            let start = Instant::now();
            let hits = search.search(&query[..end], &everyone, doc.model());
            if round == 0 && end == query.len() {
                println!("  '{query}' finds {} people", hits.len());
            }
            keystrokes.push(start.elapsed());
        }
    }
    println!(
        "search per keystroke: median {:?}, p99 {:?}",
        median(&mut keystrokes),
        percentile(&mut keystrokes, 0.99)
    );

    // Headless frames of the real app, the busiest person open on the timeline.
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let mut app = KithApp::in_memory(doc.model().clone(), today);
    app.push_command(Command::OpenPerson(busiest));
    app.apply_commands();
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1400.0, 900.0),
        )),
        ..Default::default()
    };
    for _ in 0..5 {
        let _ = ctx.run_ui(input(), |ui| app.frame_ui(ui));
    }
    let mut frames = Vec::new();
    for _ in 0..200 {
        let start = Instant::now();
        let _ = ctx.run_ui(input(), |ui| app.frame_ui(ui));
        frames.push(start.elapsed());
    }
    println!(
        "frame CPU time (person with 2,000 interactions open), 200 frames: median {:?}, p99 {:?}",
        median(&mut frames),
        percentile(&mut frames, 0.99)
    );
    Ok(())
}
