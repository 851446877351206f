//! Insight engine benchmarks.
//!
//! Measured on the deterministic synthetic network.
//!
//! Run: `cargo bench --bench insight` (add `-- 100k` or `-- 10k` to filter).
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kith::action::Action;
use kith::insight::Insight;
use kith::synth::{SynthParams, generate};
use std::hint::black_box;
use std::time::Duration;

fn insight_benches(c: &mut Criterion) {
    for people in [10_000usize, 100_000] {
        let params = SynthParams::scale(people);
        let label = format!("{}k", people / 1000);
        let mut model = generate(&params);
        let today = params.today;
        let mut group = c.benchmark_group(format!("insight/{label}"));
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(if people > 10_000 { 20 } else { 5 }));
        // The previous index is freed outside the timed region: a build is
        // the time until a usable index exists.
        group.bench_function("full_index_build", |b| {
            b.iter_with_large_drop(|| Insight::build(&model))
        });
        let insight = Insight::build(&model);
        let someone = *model
            .people
            .keys()
            .nth(people / 2)
            .unwrap_or(&kith::model::PersonId::default());
        group.bench_function("top50_for_one_person", |b| {
            b.iter(|| black_box(insight.candidates_for(someone, 50)))
        });
        group.bench_function("network_top100", |b| {
            b.iter(|| black_box(insight.top_candidates(100)))
        });
        group.bench_function("follow_ups_and_re_engage", |b| {
            b.iter(|| {
                black_box(insight.follow_ups(&model, today, 14));
                black_box(insight.re_engage(&model, today, 50))
            })
        });
        // One edit (toggle an interest on one person), then the incremental update.
        let mut insight = insight;
        let mut flip = false;
        group.bench_function(
            BenchmarkId::new("incremental_update_after_edit", &label),
            |b| {
                b.iter(|| {
                    let mut person = model.people[&someone].clone();
                    flip = !flip;
                    if flip {
                        person.interests.push("benchmark interest".into());
                    } else {
                        person.interests.retain(|i| i != "benchmark interest");
                    }
                    let applied = model
                        .apply(Action::EditPerson(person))
                        .unwrap_or_else(|e| panic!("{e}"));
                    insight.update(&model, &applied.touched);
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, insight_benches);
criterion_main!(benches);
