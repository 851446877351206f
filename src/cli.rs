//! Command-line interface: `kith`, `kith --data DIR`, `kith check --data DIR`.

use crate::storage;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

/// kith: networking the right way (know, like, trust).
#[derive(Debug, Parser)]
#[command(name = "kith", version, about)]
pub struct Cli {
    /// Data folder (default: the platform data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// What to do (default: open the app).
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Load every file and report problems; exits non-zero if any file fails.
    Check,
}

/// The folder to use: `--data` or the platform default.
pub fn data_dir(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.data {
        Some(dir) => Ok(dir.clone()),
        None => storage::default_data_dir()
            .ok_or_else(|| anyhow::anyhow!("no home folder found; pass --data DIR")),
    }
}

/// `kith check`: returns the process exit code (0 = every file loaded).
pub fn check(dir: &Path, out: &mut dyn Write) -> anyhow::Result<i32> {
    let loaded = storage::load_folder(dir)?;
    let model = &loaded.model;
    writeln!(
        out,
        "{}: {} people ({} in trash), {} organizations, {} interactions, {} interests in catalog",
        dir.display(),
        model.live_people().count(),
        model.trashed_people().count(),
        model.orgs.len(),
        model.interactions.len(),
        model.interests.len()
    )?;
    for file in &loaded.unknown_files {
        writeln!(
            out,
            "note: {} is not a kith file; left alone",
            file.display()
        )?;
    }
    let mut dangling = 0;
    for person in model.people.values() {
        if let Some(by) = person.introduced_by
            && !model.people.contains_key(&by)
        {
            dangling += 1;
        }
    }
    if dangling > 0 {
        writeln!(
            out,
            "note: {dangling} person(s) were introduced by someone not in the folder"
        )?;
    }
    for problem in &loaded.problems {
        writeln!(out, "error: {problem}")?;
    }
    if loaded.problems.is_empty() {
        writeln!(out, "ok: every file loaded")?;
        Ok(0)
    } else {
        writeln!(
            out,
            "{} file(s) failed to load; kith will not write over them",
            loaded.problems.len()
        )?;
        Ok(1)
    }
}
