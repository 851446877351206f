//! Frame times of the network map on the synthetic network (src/synth.rs):
//! the whole app with the Map view shown, each frame drawn and tessellated,
//! the pointer moving over the canvas (hover hit-testing), zoomed out (the
//! whole network) and zoomed in (names and avatars); also while the layout
//! runs on its worker, the graph build and the layout time per iteration;
//! and as on a folder: the graph built on its job thread while the UI keeps
//! drawing, first and after an edit (the frame times and the longest frame).
//!
//! `cargo run --release --example map_frame [people ...]` (default 1000 10000)
//!
//! Above [`SYNC_MAX`] people the in-memory sections (the whole layout at
//! once on the UI thread) are left out: only the folder-like ones run.
//!
//! The machine is shared, so each figure is given as wall time and as the
//! CPU time of the measuring thread (/proc/thread-self/schedstat), which
//! other processes on the same cores do not inflate.

use kith::action::Action;
use kith::app::{Command, KithApp, View};
use kith::insight::Insight;
use kith::insight::graph::{GraphInput, NetworkGraph};
use kith::insight::layout::Layout;
use kith::synth::{SynthParams, generate};
use std::time::{Duration, Instant};

/// The app's allocator, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZE: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// The largest network laid out at once on the UI thread here.
const SYNC_MAX: usize = 20_000;

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    if times.is_empty() {
        return Duration::ZERO;
    }
    times.sort();
    let index = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[index]
}

/// CPU time this thread has run, in ns (Linux), else None.
fn cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Wall and CPU time of `work`.
fn clock<T>(work: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let cpu = cpu_ns();
    let start = Instant::now();
    let out = work();
    let wall = start.elapsed();
    let cpu = match (cpu, cpu_ns()) {
        (Some(before), Some(after)) => Duration::from_nanos(after.saturating_sub(before)),
        _ => wall,
    };
    (out, wall, cpu)
}

fn input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE)),
        events,
        ..Default::default()
    }
}

/// Draw and tessellate one frame, as eframe does: (wall, CPU) time.
fn frame(ctx: &egui::Context, app: &mut KithApp, events: Vec<egui::Event>) -> (Duration, Duration) {
    let ((), wall, cpu) = clock(|| {
        let output = ctx.run_ui(input(events), |ui| app.frame_ui(ui));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives);
    });
    (wall, cpu)
}

/// A pointer path over the map's side of the window.
fn pointer(n: usize) -> egui::Pos2 {
    let t = n as f32 * 0.07;
    egui::pos2(760.0 + 300.0 * t.sin(), 480.0 + 200.0 * (t * 1.3).cos())
}

fn moved(n: usize) -> Vec<egui::Event> {
    vec![egui::Event::PointerMoved(pointer(n))]
}

/// "wall median .., p90 ..; CPU mean ..". The kernel accounts CPU time in
/// scheduler ticks, so only its mean over many frames is meaningful.
fn summary(wall: &mut [Duration], cpu: &mut [Duration]) -> String {
    let mean = cpu.iter().sum::<Duration>() / (cpu.len().max(1) as u32);
    format!(
        "wall median {:.2?}, p90 {:.2?}; CPU mean {mean:.2?}",
        percentile(wall, 0.5),
        percentile(wall, 0.9),
    )
}

fn measure(ctx: &egui::Context, app: &mut KithApp, label: &str, count: usize) {
    let (mut wall, mut cpu) = (Vec::with_capacity(count), Vec::with_capacity(count));
    for n in 0..count {
        let (w, c) = frame(ctx, app, moved(n));
        wall.push(w);
        cpu.push(c);
    }
    let figures = app.ui_state.map.figures();
    println!(
        "  {label}: {} ({count} frames; drawn: {} people, {} links, {} names)",
        summary(&mut wall, &mut cpu),
        figures.nodes,
        figures.edges.iter().sum::<usize>(),
        figures.labels
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![1_000, 10_000]
    } else {
        sizes
    };
    for people in sizes {
        let params = SynthParams::scale(people);
        let model = generate(&params);
        println!("{people} people:");

        let insight = Insight::build(&model);
        let (input, gather_wall, gather_cpu) = clock(|| GraphInput::gather(&model, &insight));
        let (graph, wall, cpu) = clock(|| NetworkGraph::from_input(input));
        println!(
            "  graph build: copying its input (UI thread) wall {gather_wall:.2?}, CPU {gather_cpu:.2?}; \
             the build (job thread) wall {wall:.2?}, CPU {cpu:.2?} ({} people, {} links)",
            graph.nodes.len(),
            graph.edges.len()
        );
        if people > SYNC_MAX {
            folder_like(&model, params.today);
            continue;
        }
        let mut layout = Layout::new(graph.nodes.len(), graph.layout_edges(), &[], 1);
        let (mut step_wall, mut step_cpu) = (Vec::new(), Vec::new());
        while !layout.is_done() && step_wall.len() < 60 {
            let (_, w, c) = clock(|| layout.step());
            step_wall.push(w);
            step_cpu.push(c);
        }
        let ((), rest_wall, rest_cpu) = clock(|| layout.run(10_000));
        let all_cpu = step_cpu.iter().sum::<Duration>() + rest_cpu;
        let all_wall = step_wall.iter().sum::<Duration>() + rest_wall;
        println!(
            "  layout per iteration (first {}): {}; settled after {} iterations, CPU {all_cpu:.2?} (wall {all_wall:.2?}) in all",
            step_wall.len(),
            summary(&mut step_wall, &mut step_cpu),
            layout.iterations(),
        );

        // The app, the Map view shown, laid out at once (in memory).
        let mut app = KithApp::in_memory(model.clone(), params.today);
        app.push_command(Command::Show(View::Map));
        app.apply_commands();
        let ctx = egui::Context::default();
        let (wall, cpu) = frame(&ctx, &mut app, Vec::new());
        println!(
            "  first frame (graph build and the whole layout at once, in memory): wall {wall:.2?}, CPU {cpu:.2?}"
        );
        for n in 0..10 {
            frame(&ctx, &mut app, moved(n));
        }
        measure(&ctx, &mut app, "whole network", 300);
        // Zoom in around the middle of the map: names and avatars show.
        let middle = egui::pos2(760.0, 480.0);
        frame(
            &ctx,
            &mut app,
            vec![
                egui::Event::PointerMoved(middle),
                egui::Event::Zoom(if people > 5000 { 12.0 } else { 4.0 }),
            ],
        );
        measure(&ctx, &mut app, "zoomed in", 300);
        // For reference: the same app on the Today view.
        app.push_command(Command::Show(View::Today));
        app.apply_commands();
        for n in 0..5 {
            frame(&ctx, &mut app, moved(n));
        }
        let (mut wall, mut cpu) = (Vec::new(), Vec::new());
        for n in 0..200 {
            let (w, c) = frame(&ctx, &mut app, moved(n));
            wall.push(w);
            cpu.push(c);
        }
        println!(
            "  for reference, the Today view: {}",
            summary(&mut wall, &mut cpu)
        );

        folder_like(&model, params.today);
    }
}

/// Frames until `done` (at most `limit`): "wall median .., p90 ..; CPU
/// mean ..; longest ..", the frame count and the time taken.
fn frames_until(
    ctx: &egui::Context,
    app: &mut KithApp,
    limit: usize,
    done: impl Fn(&KithApp) -> bool,
) -> (String, usize, Duration) {
    let (mut wall, mut cpu) = (Vec::new(), Vec::new());
    let start = Instant::now();
    while !done(app) && wall.len() < limit {
        let (w, c) = frame(ctx, app, moved(wall.len()));
        wall.push(w);
        cpu.push(c);
        // About 60 frames a second, as a window would ask for.
        std::thread::sleep(Duration::from_millis(16).saturating_sub(w));
    }
    let longest = wall.iter().max().copied().unwrap_or_default();
    let frames = wall.len();
    (
        format!("{}; longest {longest:.2?}", summary(&mut wall, &mut cpu)),
        frames,
        start.elapsed(),
    )
}

/// As an app on a folder: the graph built on a job thread, the layout on
/// its worker, the UI thread drawing all along; then an edit rebuilds it.
fn folder_like(model: &kith::model::Model, today: chrono::NaiveDate) {
    let ctx = egui::Context::default();
    let mut app = KithApp::in_memory(model.clone(), today);
    app.ui_state.map.set_background_layout(true);
    app.push_command(Command::Show(View::Map));
    app.apply_commands();
    let (first, _) = frame(&ctx, &mut app, Vec::new());
    println!(
        "  as on a folder, first frame (copies the graph's input, starts its build): wall {first:.2?}"
    );
    let (text, frames, took) =
        frames_until(&ctx, &mut app, 100_000, |app| !app.ui_state.map.building());
    println!(
        "  while the graph builds on its thread (UI thread): {text} ({frames} frames, built after {took:.2?})"
    );
    let (text, frames, took) =
        frames_until(&ctx, &mut app, 3_000, |app| app.ui_state.map.layout_done());
    println!("  while laying out on the worker (UI thread): {text} ({frames} frames, {took:.2?})");
    // An edit: someone moves to another employer (a new shape).
    let Some(mut person) = app.session().model().live_people().nth(7).cloned() else {
        return;
    };
    person.organization = "Map Frame Benchmark Ltd".into();
    app.push_command(Command::Apply(Action::EditPerson(person)));
    app.apply_commands();
    let (edited, _) = frame(&ctx, &mut app, moved(0));
    println!(
        "  first frame after an edit (copies the graph's input, starts its build): wall {edited:.2?}"
    );
    let (text, frames, took) =
        frames_until(&ctx, &mut app, 100_000, |app| !app.ui_state.map.building());
    println!(
        "  after an edit, while the graph rebuilds (UI thread): {text} ({frames} frames, rebuilt after {took:.2?})"
    );
    let (text, frames, took) =
        frames_until(&ctx, &mut app, 3_000, |app| app.ui_state.map.layout_done());
    println!(
        "  then while the layout settles again (UI thread): {text} ({frames} frames, {took:.2?})"
    );
}
