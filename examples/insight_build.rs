//! Build the insight index once on a synthetic network (for profilers).
//!
//! `cargo run --release --example insight_build -- 10000`

use std::time::Instant;

fn main() {
    let people: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    let model = kith::synth::generate(&kith::synth::SynthParams::scale(people));
    let start = Instant::now();
    let insight = kith::insight::Insight::build(&model);
    println!(
        "built index of {} people in {:?}",
        insight.live_people(),
        start.elapsed()
    );
}
