//! Sync benchmark against a real Radicale on this machine (the test
//! harness's server, tests/support/radicale.rs): the first sync of N
//! synthetic contacts up (kith → empty server) and down (server → a fresh
//! kith folder), an incremental sync with 10 changes, and a sync with no
//! change; medians of several runs with the HTTP requests each sent.
//!
//! `cargo run --release --example sync_bench -- [--sizes 500,5000] [--runs 3] [--up-runs 1]`
//!
//! Radicale's PUT of a new card reads every card of the collection (it
//! checks that the UID is unique), so the server's own time of a first
//! sync up grows with the square of the contacts; the table gives the
//! server's time (from its log) beside the total, and kith's share is the
//! difference. Each first sync up starts on an empty server (`--up-runs`
//! of them); the down, 10-change and no-change syncs run `--runs` times
//! against the last server filled (down: a fresh kith folder each time).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/support/radicale.rs"]
mod radicale;

use kith::action::Action;
use kith::model::{Contact, Person};
use kith::session::Session;
use kith::storage::sync_store;
use kith::sync::Account;
use kith::sync::run::{SyncReport, sync_blocking};
use kith::synth::{SynthParams, generate};
use radicale::Radicale;
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Folder {
    _dir: tempfile::TempDir,
    state_dir: PathBuf,
    session: Session,
}

fn folder(people: Option<usize>) -> Folder {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut session = Session::open_folder(&data, None);
    session.wait_until_loaded();
    assert!(session.start_empty());
    if let Some(n) = people {
        let mut params = SynthParams::scale(n);
        params.interactions = 0;
        let mut model = generate(&params);
        model.settings.is_demo = false;
        assert!(session.apply(Action::ReplaceAll(Box::new(model))));
    }
    session.save();
    session.flush_changes();
    assert!(session.save_error().is_none());
    let state_dir = sync_store::state_dir_in(&dir.path().join("state"), &data).unwrap();
    Folder {
        _dir: dir,
        state_dir,
        session,
    }
}

/// Seconds Radicale says it spent answering, in its log after `from`.
fn server_time(server: &Radicale, from: usize) -> Duration {
    let log = server.log();
    let secs: f64 = log
        .get(from..)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("response status for"))
        .filter_map(|l| {
            let after = l.split(" in ").nth(1)?;
            after.split(" seconds").next()?.trim().parse::<f64>().ok()
        })
        .sum();
    Duration::from_secs_f64(secs)
}

fn sync(f: &mut Folder, account: &Account) -> (Duration, SyncReport) {
    if std::env::var_os("SYNC_BENCH_PHASES").is_some() {
        let start = Instant::now();
        let state = sync_store::load_state(&f.state_dir, &account.name).unwrap();
        let t0 = start.elapsed();
        let job = kith::sync::run::prepare(&f.session, account, radicale::PASSWORD.into(), state);
        let t1 = start.elapsed();
        let outcome = kith::sync::run::run(job);
        let t2 = start.elapsed();
        let report = kith::sync::run::finish(&mut f.session, outcome, &f.state_dir).unwrap();
        let t3 = start.elapsed();
        eprintln!(
            "    phases: load state {t0:?}, prepare {:?}, run {:?}, finish {:?}",
            t1 - t0,
            t2 - t1,
            t3 - t2
        );
        return (t3, report);
    }
    let start = Instant::now();
    let report = sync_blocking(
        &mut f.session,
        account,
        radicale::PASSWORD.into(),
        &f.state_dir,
    )
    .unwrap_or_else(|e| panic!("sync failed: {e}"));
    (start.elapsed(), report)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    if d >= Duration::from_secs(10) {
        format!("{:.1} s", d.as_secs_f64())
    } else {
        format!("{:.0} ms", d.as_secs_f64() * 1000.0)
    }
}

/// One kind of sync: its times, the server's share of them, its requests.
#[derive(Default)]
struct Measured {
    total: Vec<Duration>,
    server: Vec<Duration>,
    requests: u64,
}

impl Measured {
    fn time(&mut self, server: &Radicale, f: &mut Folder, account: &Account) -> SyncReport {
        let mark = server.log().len();
        let (t, r) = sync(f, account);
        self.total.push(t);
        self.server.push(server_time(server, mark));
        self.requests = r.requests;
        r
    }

    fn cell(&self) -> String {
        let total = median(self.total.clone());
        let server = median(self.server.clone());
        format!(
            "{} ({} Radicale, {} kith) · {} req",
            ms(total),
            ms(server),
            ms(total.saturating_sub(server)),
            self.requests
        )
    }

    fn kith(&self) -> Duration {
        let own: Vec<Duration> = self
            .total
            .iter()
            .zip(&self.server)
            .map(|(t, s)| t.saturating_sub(*s))
            .collect();
        median(own)
    }
}

fn account_of(server: &Radicale) -> Account {
    let mut account = Account::new("bench", server.url(), radicale::USER);
    account.addressbook = Some(server.addressbook_url());
    account
}

/// up, down, 10 changes, no change.
fn one_size(n: usize, runs: usize, up_runs: usize) -> [Measured; 4] {
    let mut m: [Measured; 4] = Default::default();
    let mut last = None;
    for run in 0..up_runs.max(1) {
        let server = Radicale::start();
        let account = account_of(&server);
        let mut up = folder(Some(n));
        let people = up.session.model().live_people().count();
        let r = m[0].time(&server, &mut up, &account);
        assert_eq!(r.pushed.added, people, "{r:?}");
        assert_eq!(server.cards().len(), people);
        eprintln!("  {n}: first sync up {} of {}", run + 1, up_runs.max(1));
        last = Some((server, up, people));
    }
    let Some((server, mut up, people)) = last else {
        return m;
    };
    let account = account_of(&server);
    for run in 0..runs {
        let mut down = folder(None);
        let r = m[1].time(&server, &mut down, &account);
        assert_eq!(r.pulled.added, people, "{r:?}");

        let ids: Vec<_> = up
            .session
            .model()
            .live_people()
            .take(10)
            .map(|p| p.id)
            .collect();
        for id in ids {
            let mut p: Person = up.session.model().people[&id].clone();
            p.phones.push(Contact::new(format!("+1 555 01{run:02}")));
            assert!(up.session.apply(Action::EditPerson(p)));
        }
        up.session.save();
        let r = m[2].time(&server, &mut up, &account);
        assert_eq!(r.pushed.updated, 10, "{r:?}");

        let r = m[3].time(&server, &mut up, &account);
        assert_eq!(r.pushed, Default::default(), "{r:?}");
        assert_eq!(r.pulled, Default::default(), "{r:?}");
        eprintln!(
            "  {n}: down, 10 changes, no change: run {} of {runs}",
            run + 1
        );
    }
    m
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let sizes: Vec<usize> = value("--sizes")
        .unwrap_or_else(|| "500,5000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("--sizes 500,5000"))
        .collect();
    let runs: usize = value("--runs").map_or(3, |r| r.parse().expect("--runs N"));
    let up_runs: usize = value("--up-runs").map_or(1, |r| r.parse().expect("--up-runs N"));
    radicale::ensure_venv();
    let mut rows = Vec::new();
    for &n in &sizes {
        rows.push((n, one_size(n, runs, up_runs)));
    }
    println!("| contacts | first sync up | first sync down | 10 changes | no change |");
    println!("|---:|---|---|---|---|");
    for (n, m) in &rows {
        println!(
            "| {n} | {} | {} | {} | {} |",
            m[0].cell(),
            m[1].cell(),
            m[2].cell(),
            m[3].cell()
        );
    }
    if let (Some((a, ma)), Some((b, mb))) = (rows.first(), rows.last())
        && a != b
    {
        let ratio = *b as f64 / *a as f64;
        for (i, what) in ["first sync up", "first sync down"].iter().enumerate() {
            println!(
                "\n{what}, kith's share: {b} vs {a} contacts = {:.2}x the time for {ratio:.0}x the contacts",
                ma[i].kith().as_secs_f64().max(1e-9).recip() * mb[i].kith().as_secs_f64()
            );
        }
    }
}
