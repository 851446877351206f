//! Frame time of the Activity view on the synthetic network: the first
//! frame (which computes the charts, heatmap and timeline once for the
//! model revision), then the median and p99 of the frames after it, still,
//! with the pointer moving over the charts and lanes, and with the timeline
//! filtered by a stage, at three window sizes.
//!
//! `cargo run --release --example activity_frame -- 100000`
//! (`KITH_FRAMES=N` draws N frames per figure; 200 by default).

use chrono::NaiveDate;
use kith::app::{Command, KithApp, View};
use kith::synth::{SynthParams, generate};
use std::time::{Duration, Instant};

/// The app's allocator, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Frames drawn before any figure is taken.
const WARM_UP: usize = 5;

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort();
    let index = ((times.len() as f64 - 1.0) * p).round() as usize;
    times[index]
}

/// One frame's input: the window size and, when given, where the pointer is.
fn input(size: egui::Vec2, pointer: Option<egui::Pos2>) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
        events: pointer
            .map(|p| vec![egui::Event::PointerMoved(p)])
            .unwrap_or_default(),
        ..Default::default()
    }
}

/// Draw `count` frames after the warm-up; `pointer` says where the pointer
/// is in frame `n` (None: not over the window).
fn frames(
    ctx: &egui::Context,
    app: &mut KithApp,
    size: egui::Vec2,
    label: &str,
    pointer: impl Fn(usize) -> Option<egui::Pos2>,
) {
    for n in 0..WARM_UP {
        let _ = ctx.run_ui(input(size, pointer(n)), |ui| app.frame_ui(ui));
    }
    let count = std::env::var("KITH_FRAMES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200usize)
        .max(50);
    let mut times = Vec::with_capacity(count);
    for n in 0..count {
        let input = input(size, pointer(n + WARM_UP));
        let start = Instant::now();
        let _ = ctx.run_ui(input, |ui| app.frame_ui(ui));
        times.push(start.elapsed());
    }
    println!(
        "  {label}: median {:?}, p99 {:?} ({count} frames)",
        median(&mut times),
        percentile(&mut times, 0.99)
    );
}

/// Time each part of the per-revision computation on its own (the view
/// computes them together; for apps on a folder a slice per frame).
fn parts(model: &kith::model::Model, today: NaiveDate) {
    use kith::insight::activity;
    let time = |label: &str, f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        println!("  {label}: {:?}", start.elapsed());
    };
    println!("per-revision parts:");
    time("activity (weekly, heatmap, lanes)", &mut || {
        std::hint::black_box(activity::activity(model, today, activity::WINDOW_WEEKS));
    });
    time("filter choices", &mut || {
        std::hint::black_box(activity::filter_choices(model));
    });
    time("network depth + funnel", &mut || {
        std::hint::black_box(activity::funnel(&kith::insight::network_depth(model)));
    });
    time("org participation", &mut || {
        std::hint::black_box(kith::insight::org_participation(model, today));
    });
    let start = Instant::now();
    let insight = kith::insight::Insight::build(model);
    println!("  (insight index built in {:?})", start.elapsed());
    time("gone quiet", &mut || {
        std::hint::black_box(insight.re_engage(model, today, 15));
    });
    time("top introducers", &mut || {
        std::hint::black_box(insight.top_introducers(5));
    });
}

/// Frames after an edit as an app on a folder draws them: the activity is
/// counted a slice per frame (and the introductions on a worker), the
/// frames meanwhile show the previous result. Prints the first frame after each
/// edit, the slowest frame until the new result is in, and how long that
/// took.
fn after_edits(app: &mut KithApp, today: NaiveDate) {
    use kith::action::Action;
    use kith::model::{Interaction, InteractionKind};
    app.set_background_introductions(true);
    app.ui_state.activity.set_sliced(true);
    let size = egui::vec2(1400.0, 900.0);
    let ctx = egui::Context::default();
    for _ in 0..WARM_UP {
        let _ = ctx.run_ui(input(size, None), |ui| app.frame_ui(ui));
    }
    println!("after an edit (counted a slice per frame, window 1400x900):");
    let Some(person) = app.session().model().live_people().next().map(|p| p.id) else {
        return;
    };
    for edit in 0..5 {
        let interaction = Interaction::new(today, InteractionKind::Coffee, vec![person]);
        app.push_command(Command::Apply(Action::AddInteraction(interaction)));
        // The app applies commands after drawing a frame: the next frame
        // is the first after the edit.
        app.apply_commands();
        let start = Instant::now();
        let mut first = None;
        let mut slowest = Duration::ZERO;
        let mut count = 0;
        loop {
            let frame = Instant::now();
            let _ = ctx.run_ui(input(size, None), |ui| app.frame_ui(ui));
            let took = frame.elapsed();
            first.get_or_insert(took);
            slowest = slowest.max(took);
            count += 1;
            if !app.ui_state.activity.is_computing() {
                break;
            }
            std::thread::sleep(Duration::from_millis(16));
        }
        println!(
            "  edit {edit}: first frame {:?}, slowest of {count} frames {slowest:?}, new charts after {:?}",
            first.unwrap_or_default(),
            start.elapsed()
        );
    }
    app.wait_for_candidates();
    frames(&ctx, app, size, "after the edits, still", |_| None);
}

fn main() -> anyhow::Result<()> {
    let people: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let params = SynthParams::scale(people);
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or(params.today);
    let start = Instant::now();
    let model = generate(&params);
    println!(
        "network: {} people, {} interactions (generated in {:?})",
        model.people.len(),
        model.interactions.len(),
        start.elapsed()
    );
    parts(&model, today);
    let mut app = KithApp::in_memory(model, today);
    app.push_command(Command::Show(View::Activity));
    app.apply_commands();
    // The last window is tall enough that every section is on screen at
    // once, with some 60 lanes of the timeline drawn.
    for (width, height) in [
        (1400.0, 900.0),
        (800.0, 600.0),
        (2560.0, 1440.0),
        (1400.0, 2600.0),
    ] {
        let size = egui::vec2(width, height);
        // A fresh context: the first frame lays everything out anew.
        let ctx = egui::Context::default();
        println!("window {width}x{height}:");
        let start = Instant::now();
        let _ = ctx.run_ui(input(size, None), |ui| app.frame_ui(ui));
        println!(
            "  first frame (cached per revision afterwards): {:?}",
            start.elapsed()
        );
        frames(&ctx, &mut app, size, "still", |_| None);
        // The pointer sweeps across the middle of the window, over the
        // charts, the heatmap and the lanes in turn.
        frames(&ctx, &mut app, size, "pointer moving", |n| {
            let t = (n % 40) as f32 / 40.0;
            Some(egui::pos2(
                width * (0.3 + 0.6 * t),
                height * (0.2 + 0.7 * t),
            ))
        });
    }
    // Filter the timeline to one stage: the first frame filters 100k lanes
    // once, the frames after it reuse the result.
    let size = egui::vec2(1400.0, 2600.0);
    let ctx = egui::Context::default();
    let _ = ctx.run_ui(input(size, None), |ui| app.frame_ui(ui));
    app.ui_state
        .activity
        .filter_lanes_by_stage(Some(kith::model::Stage::Trust));
    let start = Instant::now();
    let _ = ctx.run_ui(input(size, None), |ui| app.frame_ui(ui));
    println!(
        "timeline filtered to Trust: first frame {:?}",
        start.elapsed()
    );
    frames(&ctx, &mut app, size, "filtered, still", |_| None);
    app.ui_state.activity.filter_lanes_by_stage(None);
    after_edits(&mut app, today);
    Ok(())
}
