//! "Who can help whom" benchmarks: the matches on a person page, Today's
//! "Ways to give", the other direction, building the index and keeping it
//! fresh after an edit.
//!
//! Measured on the deterministic synthetic network (a fifth of the people
//! have needs; offers come from can-help-with lists, titles, tags and
//! interests).
//!
//! Run: `cargo bench --bench help` (add `-- 100k` or `-- 10k` to filter).
#![allow(missing_docs)] // criterion_group! generates undocumented items

use criterion::{Criterion, criterion_group, criterion_main};
use kith::action::Action;
use kith::insight::Insight;
use kith::model::PersonId;
use kith::synth::{SynthParams, generate};
use std::hint::black_box;
use std::time::Duration;

fn help_benches(c: &mut Criterion) {
    for people in [10_000usize, 100_000] {
        let params = SynthParams::scale(people);
        let label = format!("{}k", people / 1000);
        let mut model = generate(&params);
        let today = params.today;
        let mut group = c.benchmark_group(format!("help/{label}"));
        group.sample_size(20);
        group.measurement_time(Duration::from_secs(if people > 10_000 { 10 } else { 5 }));
        let mut insight = Insight::build(&model);
        group.bench_function("build_help_index", |b| {
            b.iter(|| insight.rebuild_help(&model))
        });
        // The middle needy person, and the helper of the best way to give.
        let needy: Vec<PersonId> = model
            .people
            .values()
            .filter(|p| !p.needs.is_empty())
            .map(|p| p.id)
            .collect();
        let someone = needy[needy.len() / 2];
        let helper = model
            .people
            .values()
            .find(|p| !p.can_help_with.is_empty() && p.needs.is_empty())
            .map(|p| p.id)
            .unwrap_or_default();
        group.bench_function("helpers_for_one_person", |b| {
            b.iter(|| black_box(insight.helpers_for(&model, someone, today, 10)))
        });
        group.bench_function("can_help_whom_one_person", |b| {
            b.iter(|| black_box(insight.can_help_whom(&model, helper, today, 10)))
        });
        group.bench_function("ways_to_give_top10", |b| {
            b.iter(|| black_box(insight.ways_to_give(&model, today, 10)))
        });
        // One edit (a need added and removed on one person), then the
        // incremental update.
        let mut flip = false;
        group.bench_function("incremental_update_after_need_edit", |b| {
            b.iter(|| {
                let mut person = model.people[&someone].clone();
                flip = !flip;
                if flip {
                    person.needs.push("A bookkeeper for the benchmark".into());
                } else {
                    person
                        .needs
                        .retain(|n| n != "A bookkeeper for the benchmark");
                }
                let applied = model
                    .apply(Action::EditPerson(person))
                    .unwrap_or_else(|e| panic!("{e}"));
                insight.update(&model, &applied.touched);
            })
        });
        group.finish();
    }
}

criterion_group!(benches, help_benches);
criterion_main!(benches);
