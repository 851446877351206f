//! Kill test: a child process saves in a loop and is killed with SIGKILL at
//! random moments. After every kill the folder loads with no errors and every
//! record is whole (its generation is consistent), never torn.
//! `KITH_KILLS=N` sets the number of kills (default 200).
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support;

use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn stress_saver_child() {
    support::stress::child();
}

#[test]
fn sigkill_while_saving_never_tears_a_record() {
    let kills: usize = std::env::var("KITH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("data");
    let mut rng = kith::synth::Rng::new(7);
    let mut max_generation_seen = 0u64;
    for round in 0..kills {
        let mut child = support::stress::saver(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Let it run for 5 to 60 ms, then kill it mid-flight.
        std::thread::sleep(Duration::from_millis(5 + rng.below(56) as u64));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "round {round}: the saver stopped by itself"
        );
        // The lock must be free again (the kernel drops it with the process).
        let started = Instant::now();
        let loaded = kith::storage::load_folder(&dir).unwrap();
        assert!(
            loaded.problems.is_empty(),
            "round {round}: {:?}",
            loaded.problems
        );
        for person in loaded.model.people.values() {
            assert_eq!(
                person.tags,
                vec![person.notes.clone()],
                "round {round}: torn record {}",
                person.id
            );
            let generation: u64 = person.notes.trim_start_matches("gen ").parse().unwrap();
            max_generation_seen = max_generation_seen.max(generation);
        }
        for interaction in loaded.model.interactions.values() {
            assert!(interaction.note.starts_with("gen "), "round {round}");
        }
        assert!(started.elapsed() < Duration::from_secs(5));
    }
    // Saves really happened between kills (the loop made progress).
    assert!(max_generation_seen > 0);
}
