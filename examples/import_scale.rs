//! Imports at scale (issue "The whole person", "Scale of imports"): every
//! import path timed at two sizes, the wide CSV export, garbage files, and
//! the peak memory of a million small cards. Inputs come from
//! `kith::synth::files` (deterministic).
//!
//! `cargo run --release --example import_scale -- SCENARIO [ARGS] [--runs R]`
//!
//! - `merge N same|distinct`: N cards that all match one person you have
//!   (`distinct`: every card adds its own phone, note, tag, address, UID…).
//! - `qp BYTES CARDS`: a quoted-printable vCard 2.1 file of BYTES bytes.
//! - `vcard N`: N cards of the synthetic network, imported into that network
//!   (every card matches its person by UID: N merges into N people).
//! - `small N`: N small cards into an empty model.
//! - `csv N`: a Google Contacts CSV of N rows into an empty model.
//! - `wide N`: one card with N kept quoted-printable properties.
//! - `group N`: N cards and one group card with all of them as members.
//! - `export ROWS COLUMNS`: `exchange::export::google_csv` of ROWS people
//!   with COLUMNS kept CSV columns each.
//! - `garbage BYTES`: BYTES of noise through `storage::guard::read_import`
//!   (the CLI's and the app's reader, 256 MB cap) and `read_contacts` from a
//!   file in `target/import-scale/` (peak RSS of that alone), then
//!   `read_contacts` of the bytes in memory.
//! - `linear`: each import path at 10k and 100k (or the sizes given in the
//!   issue), with the ratio.
//! - `million N [reference|drop-preview]`: one import of N small cards
//!   (read, preview, to_action, `Document::apply`, in the CLI's order: the
//!   preview lives until the import is applied), with VmHWM and VmRSS from
//!   `/proc/self/status` after each step. `drop-preview` drops the preview
//!   before applying. `reference` builds the same people into a model 10,000
//!   cards at a time instead, so its RSS growth is what the people take in
//!   the model with no import intermediates.
//!
//! Times are medians of R runs (default 5); each step is timed alone.

use kith::document::Document;
use kith::exchange::{ImportPreview, read_contacts};
use kith::model::{Contact, Model, Person};
use kith::synth::files;
use std::time::Instant;

/// The app's allocator, so the figures are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Median of `values` (sorted in place).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A kB figure of `/proc/self/status` (VmHWM, VmRSS), in MB.
fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Medians of one import's steps over `runs` runs, in seconds.
#[derive(Debug, Default)]
struct Steps {
    read: f64,
    build: f64,
    to_action: f64,
    apply: f64,
    people: usize,
}

impl Steps {
    fn total(&self) -> f64 {
        self.build + self.to_action + self.apply
    }
}

/// Time `read_contacts`, `ImportPreview::build` (which reads again, then
/// matches), `to_action` and `Document::apply` on `bytes` against `model`.
fn import(bytes: &[u8], model: &Model, runs: usize) -> anyhow::Result<Steps> {
    let (mut read, mut build, mut to_action, mut apply) = (vec![], vec![], vec![], vec![]);
    let mut people = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let contacts = read_contacts(bytes)?;
        read.push(start.elapsed().as_secs_f64());
        drop(contacts);
        let start = Instant::now();
        let preview = ImportPreview::build("scale", bytes, model)?;
        build.push(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let action = preview.to_action(model);
        to_action.push(start.elapsed().as_secs_f64());
        drop(preview);
        let mut doc = Document::new(model.clone());
        let start = Instant::now();
        doc.apply(action)?;
        apply.push(start.elapsed().as_secs_f64());
        people = doc.model().people.len();
    }
    Ok(Steps {
        read: median(&mut read),
        build: median(&mut build),
        to_action: median(&mut to_action),
        apply: median(&mut apply),
        people,
    })
}

fn print_steps(what: &str, bytes: usize, steps: &Steps, runs: usize) {
    println!(
        "{what} ({:.1} MB): read {:.3} s, preview {:.3} s, to_action {:.3} s, apply {:.3} s, \
         preview+to_action+apply {:.3} s; {} people after (medians of {runs})",
        bytes as f64 / 1e6,
        steps.read,
        steps.build,
        steps.to_action,
        steps.apply,
        steps.total(),
        steps.people
    );
}

/// One person, Dana, whom every `merge` card matches by e-mail.
fn dana() -> Model {
    let mut model = Model::default();
    let mut dana = Person::new("Dana Whitfield");
    dana.emails.push(Contact::new("dana@example.com"));
    dana.notes = "Met at the harbour.".into();
    model.people.insert(dana.id, dana);
    model
}

/// The synthetic network without interactions, and its vCard export.
fn network(count: usize) -> (Model, Vec<u8>) {
    let params = kith::synth::SynthParams {
        interactions: 0,
        ..kith::synth::SynthParams::scale(count)
    };
    let model = kith::synth::generate(&params);
    let text = kith::exchange::vcard::write_cards(
        model.people.values(),
        kith::exchange::vcard::VcardVersion::V4,
    );
    (model, text.into_bytes())
}

/// A named input, the model it is imported into, and how it is made.
fn scenario(kind: &str, n: usize, extra: &str) -> anyhow::Result<(String, Model, Vec<u8>)> {
    Ok(match kind {
        "merge" => {
            let distinct = extra != "same";
            let text = files::duplicate_vcards(n, "dana@example.com", distinct);
            let what = if distinct { "distinct" } else { "same" };
            (
                format!("merge {n} {what} cards into one person"),
                dana(),
                text.into_bytes(),
            )
        }
        "vcard" => {
            let (model, bytes) = network(n);
            (
                format!("vcard {n} network cards into their network"),
                model,
                bytes,
            )
        }
        "small" => (
            format!("small {n} small cards"),
            Model::default(),
            files::small_vcards(n).into_bytes(),
        ),
        "csv" => (
            format!("csv {n} Google CSV rows"),
            Model::default(),
            files::google_contacts_csv(n).into_bytes(),
        ),
        "qp" => {
            let cards: usize = extra.parse().unwrap_or(1);
            (
                format!("qp {n} bytes in {cards} quoted-printable card(s)"),
                Model::default(),
                files::quoted_printable_vcards(n, cards).into_bytes(),
            )
        }
        "wide" => (
            format!("wide one card with {n} kept quoted-printable properties"),
            Model::default(),
            files::wide_vcard(n).into_bytes(),
        ),
        "group" => (
            format!("group {n} cards and a group card with all {n} as members"),
            Model::default(),
            files::group_vcards(n).into_bytes(),
        ),
        other => anyhow::bail!("unknown import scenario {other}"),
    })
}

fn run_import(kind: &str, n: usize, extra: &str, runs: usize) -> anyhow::Result<Steps> {
    let (what, model, bytes) = scenario(kind, n, extra)?;
    let steps = import(&bytes, &model, runs)?;
    print_steps(&what, bytes.len(), &steps, runs);
    Ok(steps)
}

fn export(rows: usize, columns: usize, runs: usize) -> anyhow::Result<f64> {
    let people = files::kept_column_people(rows, columns);
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let text = kith::exchange::export::google_csv(&people).map_err(anyhow::Error::msg)?;
        times.push(start.elapsed().as_secs_f64());
        size = text.len();
    }
    let time = median(&mut times);
    println!(
        "export google_csv {rows} rows x {columns} kept columns ({:.1} MB): {time:.3} s (median of {runs})",
        size as f64 / 1e6
    );
    Ok(time)
}

fn garbage(len: usize, runs: usize) -> anyhow::Result<()> {
    let dir = std::path::Path::new("target/import-scale");
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("garbage-{len}"));
    if std::fs::metadata(&path).map(|m| m.len() as usize).ok() != Some(len) {
        // Written in 64 MB blocks, so that the writer's memory stays small.
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
        let mut left = len;
        let mut seed = 7;
        while left > 0 {
            let block = files::garbage(left.min(64 << 20), seed);
            std::io::Write::write_all(&mut file, &block)?;
            left -= block.len();
            seed += 1;
        }
        std::io::Write::flush(&mut file)?;
    }
    let before = status_mb("VmHWM");
    let mut times = Vec::new();
    let mut outcome = String::new();
    for _ in 0..runs {
        let start = Instant::now();
        outcome =
            match kith::storage::guard::read_import(&path, kith::storage::guard::IMPORT_FILE_CAP) {
                Ok(bytes) => match read_contacts(&bytes) {
                    Ok(_) => "imported (!)".into(),
                    Err(e) => format!("read, then refused: {e}"),
                },
                Err(e) => format!("refused before reading: {e}"),
            };
        times.push(start.elapsed().as_secs_f64());
    }
    println!(
        "garbage {:.0} MB file: read_import + read_contacts {:.3} s (median of {runs}), \
         peak RSS {:.0} MB (was {before:.0} MB before): {outcome}",
        len as f64 / 1e6,
        median(&mut times),
        status_mb("VmHWM")
    );
    if len > kith::storage::guard::IMPORT_FILE_CAP as usize {
        return Ok(());
    }
    let bytes = std::fs::read(&path)?;
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let result = read_contacts(&bytes);
        times.push(start.elapsed().as_secs_f64());
        if let Ok((_, incoming, _)) = result {
            anyhow::bail!("garbage read as {} contacts", incoming.len());
        }
    }
    println!(
        "garbage {:.0} MB in memory: read_contacts refuses in {:.3} s (median of {runs})",
        len as f64 / 1e6,
        median(&mut times)
    );
    Ok(())
}

fn memory_line(step: &str, start: Instant) {
    println!(
        "{step:>28}: {:7.2} s  VmRSS {:7.1} MB  VmHWM {:7.1} MB",
        start.elapsed().as_secs_f64(),
        status_mb("VmRSS"),
        status_mb("VmHWM")
    );
}

fn million(count: usize, reference: bool, drop_preview: bool) -> anyhow::Result<()> {
    let start = Instant::now();
    memory_line("start", start);
    println!(
        "sizes: Person {} B, Incoming {} B, Action {} B, Touched {} B, Card {} B, Property {} B",
        std::mem::size_of::<Person>(),
        std::mem::size_of::<kith::exchange::Incoming>(),
        std::mem::size_of::<kith::action::Action>(),
        std::mem::size_of::<kith::action::Touched>(),
        std::mem::size_of::<kith::exchange::vcard::Card>(),
        std::mem::size_of::<kith::exchange::vcard::Property>()
    );
    let empty_rss = status_mb("VmRSS");
    let text = files::small_vcards(count).into_bytes();
    println!(
        "{count} small cards, {:.1} MB of vCard",
        text.len() as f64 / 1e6
    );
    memory_line("file in memory", start);
    let base_rss = status_mb("VmRSS");
    if reference {
        // The same people, 10,000 cards at a time: no import intermediate
        // ever holds more than 10,000 of them.
        let mut model = Model::default();
        let mut begin = 0;
        while begin < text.len() {
            let end = (begin + 10_000 * 33).min(text.len());
            let (_, incoming, _) = read_contacts(&text[begin..end])?;
            for item in incoming {
                model.people.insert(item.person.id, item.person);
            }
            begin = end;
        }
        memory_line("reference model built", start);
        println!(
            "people in the model (RSS growth with the file already in memory): {:.1} MB for {} people",
            status_mb("VmRSS") - base_rss,
            model.people.len()
        );
        return Ok(());
    }
    let model = Model::default();
    let preview = ImportPreview::build("million.vcf", &text, &model)?;
    memory_line("read + preview", start);
    let action = preview.to_action(&model);
    memory_line("to_action", start);
    let mut doc = Document::new(model);
    if drop_preview {
        drop(preview);
        memory_line("preview dropped", start);
        doc.apply(action)?;
        memory_line("Document::apply", start);
    } else {
        // As the CLI does it: the preview lives until the import is applied.
        doc.apply(action)?;
        memory_line("Document::apply", start);
        drop(preview);
        memory_line("preview dropped", start);
    }
    let changes = doc.take_changes();
    println!(
        "{} people, {} changes",
        doc.model().people.len(),
        changes.len()
    );
    drop(changes);
    drop(text);
    std::thread::sleep(std::time::Duration::from_millis(200));
    memory_line("file and changes dropped", start);
    println!(
        "peak RSS {:.1} MB; RSS growth from the start with only the document left: {:.1} MB",
        status_mb("VmHWM"),
        status_mb("VmRSS") - empty_rss
    );
    Ok(())
}

fn linear(runs: usize) -> anyhow::Result<()> {
    let mut ratios = Vec::new();
    for (kind, small, extra) in [
        ("merge", 10_000, "distinct"),
        ("merge", 10_000, "same"),
        ("small", 10_000, ""),
        ("vcard", 10_000, ""),
        ("csv", 10_000, ""),
        ("qp", 2_100_000, "1"),
        ("qp", 2_100_000, "1000"),
        ("wide", 2_000, ""),
        ("group", 1_000, ""),
    ] {
        let a = run_import(kind, small, extra, runs)?;
        let b = run_import(kind, small * 10, extra, runs)?;
        ratios.push(format!(
            "{kind} {extra} {small} -> {}: preview+to_action+apply {:.3} s -> {:.3} s = {:.1}x \
             (read {:.1}x, preview {:.1}x, to_action {:.1}x, apply {:.1}x)",
            small * 10,
            a.total(),
            b.total(),
            b.total() / a.total(),
            b.read / a.read,
            b.build / a.build,
            b.to_action / a.to_action,
            b.apply / a.apply
        ));
    }
    let a = export(20, 10_000, runs)?;
    let b = export(200, 10_000, runs)?;
    ratios.push(format!(
        "export 20 -> 200 rows x 10,000 columns: {a:.3} s -> {b:.3} s = {:.1}x",
        b / a
    ));
    println!("\nratios at 10x:");
    for line in ratios {
        println!("  {line}");
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 5;
    if let Some(at) = args.iter().position(|a| a == "--runs") {
        runs = args
            .get(at + 1)
            .and_then(|r| r.parse().ok())
            .ok_or_else(|| anyhow::anyhow!("--runs needs a number"))?;
        args.drain(at..at + 2);
    }
    let number = |i: usize, default: usize| -> usize {
        args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default)
    };
    let word = |i: usize| args.get(i).cloned().unwrap_or_default();
    match args.first().map(String::as_str) {
        Some(kind @ ("merge" | "vcard" | "small" | "csv" | "qp" | "wide" | "group")) => {
            let default = if kind == "qp" { 2_100_000 } else { 10_000 };
            run_import(kind, number(1, default), &word(2), runs)?;
        }
        Some("export") => {
            export(number(1, 200), number(2, 10_000), runs)?;
        }
        Some("garbage") => garbage(number(1, 200_000_000), runs)?,
        Some("million") => million(
            number(1, 1_000_000),
            word(2) == "reference",
            word(2) == "drop-preview",
        )?,
        Some("linear") => linear(runs)?,
        _ => anyhow::bail!(
            "usage: import_scale merge N same|distinct | qp BYTES CARDS | vcard N | small N | \
             csv N | export ROWS COLUMNS | garbage BYTES | million N [reference|drop-preview] | linear [--runs R]"
        ),
    }
    Ok(())
}
