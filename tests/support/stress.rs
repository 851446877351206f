//! The saver the SIGKILL and disk-full tests kill: it edits and saves in a
//! loop until it is stopped. It lives in the tests only (no release build
//! has it), runs as the test binary itself (`saver`), and only ever touches
//! a data folder it created: the first run makes the folder, with a marker
//! file, in one rename; a later run refuses any folder without the marker.

use kith::action::Action;
use kith::model::{Interaction, InteractionKind, Person};
use std::path::{Path, PathBuf};
use std::process::Command;

/// How many people each generation rewrites.
pub const STRESS_PEOPLE: usize = 20;
/// The marker file of a folder the saver made.
const MARKER: &str = ".kith-stress-harness";
/// The environment variable that turns the child test into the saver.
const DATA_VAR: &str = "KITH_STRESS_DATA";

/// A command that runs the saver on `data` (which must not exist yet, or be
/// a folder an earlier saver made). The calling test binary must define
/// `#[test] fn stress_saver_child() { support::stress::child(); }`.
pub fn saver(data: &Path) -> Command {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([
            "--exact",
            "stress_saver_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DATA_VAR, data);
    command
}

/// The saver's body, when the environment asks for it; a no-op otherwise
/// (so the test passes when the suite runs it). Exits the process with 1
/// and the reason on standard error when a save fails.
pub fn child() {
    let Some(data) = std::env::var_os(DATA_VAR).map(PathBuf::from) else {
        return;
    };
    if let Err(error) = prepare(&data).and_then(|()| save_forever(&data)) {
        eprintln!("{error:#}");
        std::process::exit(1);
    }
}

/// Make the data folder (folder and marker appear in one rename), or check
/// that the one there was made by the saver.
fn prepare(data: &Path) -> anyhow::Result<()> {
    if data.exists() {
        anyhow::ensure!(
            std::fs::symlink_metadata(data.join(MARKER)).is_ok_and(|m| m.is_file()),
            "refusing {}: the stress saver did not create it",
            data.display()
        );
        return Ok(());
    }
    let making = data.with_extension("creating");
    let _ = std::fs::remove_dir_all(&making);
    std::fs::create_dir(&making)?;
    std::fs::write(making.join(MARKER), b"made by the kith stress saver\n")?;
    std::fs::rename(&making, data)?;
    Ok(())
}

/// Rewrite [`STRESS_PEOPLE`] people and a month of interactions, generation
/// after generation. Each person's notes and tag carry the same generation,
/// so a torn record shows as a mismatch (or fails to parse).
fn save_forever(dir: &Path) -> anyhow::Result<()> {
    let (mut store, loaded) = kith::storage::Store::open(dir)?;
    if let Some(read_only) = store.read_only() {
        anyhow::bail!("{}", read_only.reason);
    }
    let mut doc = kith::document::Document::new(loaded.model);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    if doc.model().people.len() < STRESS_PEOPLE {
        for n in 0..STRESS_PEOPLE {
            let mut person = Person::new(format!("Stress {n}"));
            person.notes = "gen 0".into();
            person.tags = vec!["gen 0".into()];
            let id = person.id;
            doc.apply(Action::AddPerson(person))?;
            let mut interaction = Interaction::new(date, InteractionKind::Call, vec![id]);
            interaction.note = "gen 0".into();
            doc.apply(Action::AddInteraction(interaction))?;
        }
    }
    let mut generation: u64 = 0;
    loop {
        generation += 1;
        let people: Vec<Person> = doc.model().people.values().cloned().collect();
        for mut person in people {
            person.notes = format!("gen {generation}");
            person.tags = vec![format!("gen {generation}")];
            doc.apply(Action::EditPerson(person))?;
        }
        let interactions: Vec<Interaction> = doc.model().interactions.values().cloned().collect();
        for mut interaction in interactions {
            interaction.note = format!("gen {generation}");
            doc.apply(Action::EditInteraction(interaction))?;
        }
        store.note_changes(&doc.take_changes(), doc.model());
        let report = store.save(doc.model());
        if let Some((path, error)) = report.failed.first() {
            anyhow::bail!("could not save {}: {error}", path.display());
        }
    }
}
