//! Frame times of the network map on the synthetic network (src/synth.rs):
//! the whole app with the Map view shown, each frame drawn and tessellated,
//! the pointer moving over the canvas (hover hit-testing), zoomed out (the
//! whole network) and zoomed in (names and avatars); also while the layout
//! runs on its worker, the graph build and the layout time per iteration.
//!
//! `cargo run --release --example map_frame [people ...]` (default 1000 10000)

use kith::app::{Command, KithApp, View};
use kith::insight::Insight;
use kith::insight::graph::NetworkGraph;
use kith::insight::layout::Layout;
use kith::synth::{SynthParams, generate};
use std::time::{Duration, Instant};

/// The app's allocator, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZE: egui::Vec2 = egui::vec2(1280.0, 800.0);

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let index = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[index]
}

fn input(events: Vec<egui::Event>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, SIZE)),
        events,
        ..Default::default()
    }
}

/// Draw and tessellate one frame, as eframe does.
fn frame(ctx: &egui::Context, app: &mut KithApp, events: Vec<egui::Event>) -> Duration {
    let start = Instant::now();
    let output = ctx.run_ui(input(events), |ui| app.frame_ui(ui));
    let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
    std::hint::black_box(primitives);
    start.elapsed()
}

/// A pointer path over the map's side of the window.
fn pointer(n: usize) -> egui::Pos2 {
    let t = n as f32 * 0.07;
    egui::pos2(760.0 + 300.0 * t.sin(), 480.0 + 200.0 * (t * 1.3).cos())
}

fn measure(ctx: &egui::Context, app: &mut KithApp, label: &str, count: usize) {
    let mut times = Vec::with_capacity(count);
    for n in 0..count {
        times.push(frame(ctx, app, vec![egui::Event::PointerMoved(pointer(n))]));
    }
    let figures = app.ui_state.map.figures();
    let median = percentile(&mut times, 0.5);
    let p90 = percentile(&mut times, 0.9);
    println!(
        "  {label}: median {median:.2?}, p90 {p90:.2?} ({count} frames; drawn: {} people, {} links, {} names)",
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
        let start = Instant::now();
        let graph = NetworkGraph::build(&model, &insight);
        let built = start.elapsed();
        println!(
            "  graph build {built:.2?}: {} people, {} links",
            graph.nodes.len(),
            graph.edges.len()
        );
        let mut layout = Layout::new(graph.nodes.len(), graph.layout_edges(), &[], 1);
        let start = Instant::now();
        let mut steps = 0u32;
        while !layout.is_done() && steps < 50 {
            layout.step();
            steps += 1;
        }
        let per_step = start.elapsed() / steps.max(1);
        let start = Instant::now();
        layout.run(10_000);
        let rest = start.elapsed();
        println!(
            "  layout: {per_step:.2?} per iteration (first {steps}), settled after {} iterations, {:.2?} in all",
            layout.iterations(),
            rest + per_step * steps
        );

        // The app, the Map view shown, laid out at once (in memory).
        let mut app = KithApp::in_memory(model.clone(), params.today);
        app.push_command(Command::Show(View::Map));
        app.apply_commands();
        let ctx = egui::Context::default();
        let start = Instant::now();
        frame(&ctx, &mut app, Vec::new());
        println!(
            "  first frame (graph build and the whole layout, in memory): {:.2?}",
            start.elapsed()
        );
        for n in 0..10 {
            frame(&ctx, &mut app, vec![egui::Event::PointerMoved(pointer(n))]);
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

        // Frames while the layout runs on its worker thread.
        let mut app = KithApp::in_memory(model, params.today);
        app.ui_state.map.set_background_layout(true);
        app.push_command(Command::Show(View::Map));
        app.apply_commands();
        frame(&ctx, &mut app, Vec::new());
        let mut times = Vec::new();
        let start = Instant::now();
        while !app.ui_state.map.layout_done() && times.len() < 2000 {
            times.push(frame(
                &ctx,
                &mut app,
                vec![egui::Event::PointerMoved(pointer(times.len()))],
            ));
        }
        let median = percentile(&mut times, 0.5);
        let p90 = percentile(&mut times, 0.9);
        println!(
            "  while laying out on the worker: median {median:.2?}, p90 {p90:.2?} ({} frames, settled after {:.2?})",
            times.len(),
            start.elapsed()
        );
    }
}
