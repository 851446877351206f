//! The mail import at scale (issue 17): a deterministic mbox of realistic
//! messages (Received, DKIM and ARC headers, text and HTML bodies, one in
//! ten with a base64 attachment; about 10 KB each) read with
//! `kith::history::mail::read_mbox` over a `File`, and optionally planned
//! against the synthetic 100,000-person network whose e-mails are the
//! correspondents.
//!
//! `cargo run --release --example history_mbox_bench -- MODE [--mb MB] [--runs R]`
//!
//! - `read`: read the mbox R times (default 3); each run's wall time, the
//!   median, messages per second and the peak RSS (VmHWM of
//!   `/proc/self/status`) at the end.
//! - `plan`: read once, then `HistoryPreview::build` against
//!   `kith::synth::generate(SynthParams::scale(100_000))` and `to_action`,
//!   each timed, with VmHWM after each step.
//! - `linear`: `read` at 200 MB and 2,000 MB (or `--mb A,B`), with the ratio.
//!
//! The file is written to `target/history-mbox-bench/<MB>.mbox` by a child
//! process of this example (so its memory never counts) unless it is there
//! with the right size. Same seed, same bytes.

use kith::history::mail::read_mbox;
use kith::history::plan::HistoryPreview;
use kith::history::tz::Zone;
use kith::history::{HistoryFormat, ReadOptions};
use kith::synth::{self, Rng, SynthParams};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

/// How many people of the network you correspond with.
const CORRESPONDENTS: usize = 5_000;
/// Your address in the generated mail.
const ME: &str = "me@kith.example";

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mode = args.first().map(String::as_str).unwrap_or("read");
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let runs: usize = value("--runs").and_then(|v| v.parse().ok()).unwrap_or(3);
    let sizes: Vec<u64> = value("--mb")
        .map(|v| v.split(',').filter_map(|s| s.parse().ok()).collect())
        .unwrap_or_else(|| {
            if mode == "linear" {
                vec![200, 2_000]
            } else {
                vec![2_000]
            }
        });
    match mode {
        "generate" => {
            for &mb in &sizes {
                generate(mb)?;
            }
        }
        "read" => {
            let mb = sizes.first().copied().unwrap_or(2_000);
            read(mb, runs)?;
        }
        "linear" => {
            let mut medians = Vec::new();
            for &mb in &sizes {
                medians.push((mb, read(mb, runs)?));
            }
            if let [(a, ta), (b, tb)] = medians.as_slice() {
                println!(
                    "linear: {b} MB / {a} MB = {:.1}x the bytes, {:.2}x the time",
                    *b as f64 / *a as f64,
                    tb / ta
                );
            }
        }
        "plan" => {
            let mb = sizes.first().copied().unwrap_or(2_000);
            plan(mb)?;
        }
        other => eprintln!("unknown mode {other}: read, plan, linear or generate"),
    }
    Ok(())
}

fn options() -> ReadOptions {
    ReadOptions {
        today: SynthParams::scale(1).today,
        zone: Zone::Utc,
    }
}

/// The mbox of `mb` megabytes, written by a child process when missing.
fn mbox_path(mb: u64) -> std::io::Result<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target/history-mbox-bench")
        .join(format!("{mb}.mbox"));
    let ok = std::fs::metadata(&path).is_ok_and(|m| m.len() >= mb << 20);
    if !ok {
        let exe = std::env::current_exe()?;
        let start = Instant::now();
        let status = std::process::Command::new(exe)
            .args(["generate", "--mb", &mb.to_string()])
            .status()?;
        if !status.success() {
            return Err(std::io::Error::other("generating the mbox failed"));
        }
        eprintln!(
            "generated {} in {:.1} s",
            path.display(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(path)
}

fn read(mb: u64, runs: usize) -> std::io::Result<f64> {
    let path = mbox_path(mb)?;
    let bytes = std::fs::metadata(&path)?.len();
    let mut times = Vec::new();
    let mut kept: Option<kith::history::Harvest> = None;
    for run in 0..runs.max(1) {
        // The previous harvest is dropped before the next read.
        drop(kept.take());
        let start = Instant::now();
        let harvest = read_mbox(File::open(&path)?, &options());
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "read {mb} MB run {}: {seconds:.2} s, {} encounters, {} ignored, {} problems ({:.0} MB/s)",
            run + 1,
            harvest.encounters.len(),
            harvest.ignored.len(),
            harvest.problems.len(),
            bytes as f64 / (1 << 20) as f64 / seconds
        );
        times.push(seconds);
        kept = Some(harvest);
    }
    times.sort_by(f64::total_cmp);
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let messages = kept
        .as_ref()
        .map(|h| h.encounters.len() + h.ignored.len() + h.problems.len())
        .unwrap_or_default();
    println!(
        "read {mb} MB ({bytes} bytes, {messages} messages): median {median:.2} s of {}, {:.0} messages/s, VmHWM {:.1} MB",
        times.len(),
        messages as f64 / median,
        status_mb("VmHWM")
    );
    drop(kept);
    Ok(median)
}

fn plan(mb: u64) -> std::io::Result<()> {
    let path = mbox_path(mb)?;
    let start = Instant::now();
    let harvest = read_mbox(File::open(&path)?, &options());
    step("read_mbox", start);
    let start = Instant::now();
    let mut model = synth::generate(&SynthParams::scale(100_000));
    model.me.emails = vec![ME.to_string()];
    step("synth 100k people", start);
    let start = Instant::now();
    let preview = HistoryPreview::build(
        HistoryFormat::Mbox,
        harvest,
        "bench.mbox",
        Some(path.display().to_string()),
        &model,
        options().today,
    );
    step("HistoryPreview::build", start);
    println!(
        "  rows {}, people {}, already {}, unknown {}, ignored {:?}",
        preview.rows.len(),
        preview.people.len(),
        preview.already,
        preview.unknown.len(),
        preview.ignored
    );
    let start = Instant::now();
    let action = preview.to_action(&model);
    step("to_action", start);
    println!("  action: {}", action.is_some());
    Ok(())
}

fn step(name: &str, start: Instant) {
    println!(
        "{name:>24}: {:7.2} s  VmHWM {:7.1} MB",
        start.elapsed().as_secs_f64(),
        status_mb("VmHWM")
    );
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
        .map_or(0.0, |kb| kb / 1024.0)
}

const WORDS: [&str; 24] = [
    "meeting", "project", "thanks", "tomorrow", "draft", "budget", "coffee", "review", "notes",
    "schedule", "team", "update", "question", "idea", "launch", "design", "call", "travel",
    "proposal", "feedback", "report", "lunch", "invoice", "plan",
];

fn words(rng: &mut Rng, n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(WORDS[rng.below(WORDS.len())]);
    }
    out
}

fn generate(mb: u64) -> std::io::Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/history-mbox-bench");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{mb}.mbox"));
    let partial = dir.join(format!("{mb}.mbox.partial"));
    let model = synth::generate(&SynthParams::scale(100_000));
    let people: Vec<(String, String)> = model
        .live_people()
        .filter_map(|p| p.emails.first().map(|e| (p.name.clone(), e.value.clone())))
        .take(CORRESPONDENTS)
        .collect();
    drop(model);
    let mut rng = Rng::new(17);
    let zipf = synth::Zipf::new(people.len().max(1), 1.1);
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&partial)?);
    let target = mb << 20;
    let end = SynthParams::scale(1)
        .today
        .and_hms_opt(12, 0, 0)
        .unwrap_or_default();
    let span = 5 * 365 * 86_400i64;
    let mut written: u64 = 0;
    let mut i: u64 = 0;
    let base64_line =
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\n";
    while written < target {
        let at = end.and_utc().timestamp() - span + (i as i64 * 791) % span;
        let when = chrono::DateTime::from_timestamp(at, 0).unwrap_or_default();
        let (name, email) = &people[zipf.sample(&mut rng).min(people.len() - 1)];
        let sent = rng.below(10) < 4;
        let (from, to) = if sent {
            (format!("Me <{ME}>"), format!("\"{name}\" <{email}>"))
        } else {
            (format!("\"{name}\" <{email}>"), format!("Me <{ME}>"))
        };
        let mut m = String::with_capacity(16 << 10);
        m.push_str(&format!(
            "From {}@xxx {}\n",
            1_700_000_000_000u64 + i,
            when.format("%a %b %d %H:%M:%S +0000 %Y")
        ));
        m.push_str(&format!(
            "X-GM-THRID: {}\nX-Gmail-Labels: {}\n",
            1_600_000_000_000u64 + i / 3,
            if sent { "Sent" } else { "Inbox,Opened" }
        ));
        m.push_str(&format!("Delivered-To: {ME}\n"));
        for hop in 0..4 {
            m.push_str(&format!(
                "Received: from mail-{hop}.example.net (mail-{hop}.example.net [10.{}.{}.{hop}])\n        by mx.kith.example with ESMTPS id {i:x}{hop}\n        for <{ME}>; {}\n",
                i % 250,
                (i / 250) % 250,
                when.to_rfc2822()
            ));
        }
        m.push_str("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=20230601;\n        h=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;\n        bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\n");
        for _ in 0..6 {
            m.push_str("        b=bG9yZW1pcHN1bWRvbG9yc2l0YW1ldGNvbnNlY3RldHVyYWRpcGlzY2luZ2VsaXRzZWRkb2VpdXNtb2R0ZW1wb3I=\n");
        }
        m.push_str("ARC-Seal: i=1; a=rsa-sha256; t=1700000000; cv=none; d=google.com; s=arc-20160816;\n        b=ZXhhbXBsZWFyY3NlYWxzaWduYXR1cmVleGFtcGxlYXJjc2VhbHNpZ25hdHVyZWV4YW1wbGVhcmNzZWFs\n");
        m.push_str("Authentication-Results: mx.kith.example; dkim=pass header.i=@example.net; spf=pass smtp.mailfrom=example.net; dmarc=pass (p=NONE)\n");
        m.push_str(&format!("MIME-Version: 1.0\nDate: {}\n", when.to_rfc2822()));
        m.push_str(&format!("Message-ID: <bench-{i}@mail.example.net>\n"));
        m.push_str(&format!("From: {from}\nTo: {to}\n"));
        if rng.below(5) == 0 {
            let (cc_name, cc) = &people[rng.below(people.len())];
            m.push_str(&format!("Cc: \"{cc_name}\" <{cc}>\n"));
        }
        let count = 3 + rng.below(5);
        let subject = words(&mut rng, count);
        if rng.below(8) == 0 {
            m.push_str("Subject: =?UTF-8?Q?Caf=C3=A9_?= ");
            m.push_str(&subject);
            m.push('\n');
        } else {
            m.push_str(&format!("Subject: Re: {subject}\n"));
        }
        match rng.below(40) {
            0 => m.push_str("List-Id: <team.lists.example.net>\nPrecedence: list\n"),
            1 => m.push_str("Precedence: bulk\n"),
            2 => m.push_str("Auto-Submitted: auto-replied\n"),
            _ => {}
        }
        let boundary = format!("b{i:x}");
        m.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"{boundary}\"\n\n--{boundary}\nContent-Type: text/plain; charset=UTF-8\n\n"
        ));
        for _ in 0..30 {
            m.push_str(&words(&mut rng, 10));
            m.push('\n');
        }
        m.push_str(&format!(
            "\n>From the notes of the last call:\n\n--{boundary}\nContent-Type: text/html; charset=UTF-8\n\n"
        ));
        for _ in 0..35 {
            m.push_str("<p>");
            m.push_str(&words(&mut rng, 10));
            m.push_str("</p>\n");
        }
        if rng.below(10) == 0 {
            m.push_str(&format!(
                "\n--{boundary}\nContent-Type: application/pdf; name=\"notes.pdf\"\nContent-Transfer-Encoding: base64\n\n"
            ));
            for _ in 0..260 {
                m.push_str(base64_line);
            }
        }
        m.push_str(&format!("\n--{boundary}--\n\n"));
        out.write_all(m.as_bytes())?;
        written += m.len() as u64;
        i += 1;
    }
    out.flush()?;
    drop(out);
    std::fs::rename(&partial, &path)?;
    println!("{i} messages, {written} bytes");
    Ok(())
}
