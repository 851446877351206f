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
    /// Parse every data file at start, and delete this folder's load cache
    /// (a binary copy of the parsed records in the platform cache folder
    /// that makes large folders open fast).
    #[arg(long)]
    pub no_cache: bool,
    /// What to do (default: open the app).
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Load every file and report problems; exits non-zero if any file fails.
    Check,
    /// Import contacts (vCard, Google/Outlook CSV, LinkedIn Connections.csv).
    Import {
        /// The file to import.
        file: PathBuf,
        /// What to do with contacts that match someone you have.
        #[arg(long, value_enum, default_value_t = OnMatch::Merge)]
        on_match: OnMatch,
        /// Show what would happen, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Reliability harness: edit and save in a loop until killed (used by
    /// the SIGKILL test; writes only to the given folder).
    #[command(hide = true)]
    StressSave,
    /// Export contacts or follow-ups.
    Export {
        /// Output format.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write here (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only people with this tag.
        #[arg(long)]
        tag: Option<String>,
        /// Only people at this stage (acquaintance, know, like, trust, dormant).
        #[arg(long)]
        stage: Option<String>,
    },
}

/// How many people `kith stress-save` rewrites per generation.
#[doc(hidden)]
pub const STRESS_PEOPLE: usize = 20;

/// Choice for matched contacts on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnMatch {
    /// Fold new fields into the existing person.
    Merge,
    /// Add as a separate person.
    KeepBoth,
    /// Leave the existing person alone.
    Skip,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// vCard 4.0 (RFC 6350).
    Vcard,
    /// vCard 3.0 for older clients.
    Vcard3,
    /// Google Contacts CSV.
    Csv,
    /// Newsletter list: only people who said yes.
    Newsletter,
    /// Pending follow-ups as iCalendar VTODOs with alarms.
    Ics,
}

/// The folder to use: `--data` or the platform default.
pub fn data_dir(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.data {
        Some(dir) => Ok(dir.clone()),
        None => storage::default_data_dir()
            .ok_or_else(|| anyhow::anyhow!("no home folder found; pass --data DIR")),
    }
}

/// Where the app keeps the load cache for `data`: None with `--no-cache`
/// (`no_cache`), which also deletes the cache this folder had.
pub fn cache_dir(no_cache: bool, data: &Path) -> anyhow::Result<Option<PathBuf>> {
    let cache_dir = storage::default_cache_dir();
    if !no_cache {
        return Ok(cache_dir);
    }
    if let Some(cache_dir) = cache_dir {
        storage::discard_cache(&cache_dir, data)?;
    }
    Ok(None)
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
    for file in &loaded.sync_conflicts {
        writeln!(
            out,
            "warning: {} is a conflicting copy left by a sync tool; compare it with the original and delete the one you do not want",
            file.display()
        )?;
    }
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

/// `kith import`: returns the exit code.
pub fn import(
    dir: &Path,
    file: &Path,
    on_match: OnMatch,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    use crate::exchange::{ImportPreview, MatchChoice};
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let (mut store, loaded) = storage::Store::open(dir)?;
    if let Some(read_only) = store.read_only() {
        anyhow::bail!("{}", read_only.reason);
    }
    if !loaded.problems.is_empty() {
        writeln!(
            out,
            "warning: {} file(s) in the data folder failed to load; they are left untouched",
            loaded.problems.len()
        )?;
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut preview = match ImportPreview::build(&name, &bytes, &loaded.model) {
        Ok(preview) => preview,
        Err(error) => {
            writeln!(out, "error: {}: {error}", file.display())?;
            return Ok(2);
        }
    };
    preview.choose_all(match on_match {
        OnMatch::Merge => MatchChoice::Merge,
        OnMatch::KeepBoth => MatchChoice::KeepBoth,
        OnMatch::Skip => MatchChoice::Skip,
    });
    writeln!(
        out,
        "{}: {} ({} contacts): {} new, {} matching people you have ({:?}), {} skipped",
        file.display(),
        preview.format.label(),
        preview.incoming.len(),
        preview.new_count(),
        preview.match_count(),
        on_match,
        preview.skipped.len()
    )?;
    for item in preview.incoming.iter().filter(|i| i.matched.is_some()) {
        if let Some((id, reason)) = &item.matched {
            writeln!(
                out,
                "  match: {} -> {} ({})",
                item.person.name,
                loaded.model.person_name(*id),
                reason.label()
            )?;
        }
    }
    for item in &preview.incoming {
        for warning in &item.warnings {
            writeln!(
                out,
                "  note: {} (line {}): {warning}",
                item.person.name, item.line
            )?;
        }
    }
    for skipped in &preview.skipped {
        writeln!(out, "  skipped line {}: {}", skipped.line, skipped.reason)?;
    }
    if dry_run {
        writeln!(out, "dry run: nothing written")?;
        return Ok(0);
    }
    let mut doc = crate::document::Document::new(loaded.model);
    doc.apply(preview.to_action(doc.model()))?;
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    if let Some((path, error)) = report.failed.first() {
        anyhow::bail!("could not save {}: {error}", path.display());
    }
    writeln!(out, "imported: {} files written", report.written)?;
    Ok(0)
}

/// `kith export`: writes to `target` (atomically) or to `out`.
pub fn export(
    dir: &Path,
    format: ExportFormat,
    target: Option<&Path>,
    tag: Option<&str>,
    stage: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    use crate::exchange::{export, vcard};
    let loaded = storage::load_folder(dir)?;
    let model = &loaded.model;
    let stage = match stage {
        Some(text) => Some(
            crate::model::Stage::ALL
                .into_iter()
                .find(|s| s.label().eq_ignore_ascii_case(text))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "unknown stage {text:?}; use acquaintance, know, like, trust or dormant"
                    )
                })?,
        ),
        None => None,
    };
    let people: Vec<&crate::model::Person> = model
        .live_people()
        .filter(|p| tag.is_none_or(|t| p.tags.iter().any(|x| x.eq_ignore_ascii_case(t))))
        .filter(|p| stage.is_none_or(|s| p.stage == s))
        .collect();
    let text = match format {
        ExportFormat::Vcard => vcard::write_cards(people.iter().copied(), vcard::VcardVersion::V4),
        ExportFormat::Vcard3 => vcard::write_cards(people.iter().copied(), vcard::VcardVersion::V3),
        ExportFormat::Csv => {
            export::google_csv(people.iter().copied()).map_err(anyhow::Error::msg)?
        }
        ExportFormat::Newsletter => {
            export::newsletter_csv(people.iter().copied()).map_err(anyhow::Error::msg)?
        }
        ExportFormat::Ics => export::follow_ups_ics(model, None, chrono::Utc::now().naive_utc()),
    };
    match target {
        Some(path) => {
            storage::atomic::write_atomic(path, text.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            eprintln!(
                "wrote {} ({} people considered)",
                path.display(),
                people.len()
            );
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(0)
}

/// `kith stress-save`: rewrite [`STRESS_PEOPLE`] people and a month of
/// interactions, generation after generation, until the process is killed.
/// Each person's notes and tag carry the same generation, so a torn record
/// would show as a mismatch (or fail to parse).
pub fn stress_save(dir: &Path) -> anyhow::Result<i32> {
    use crate::action::Action;
    use crate::model::{Interaction, InteractionKind, Person};
    let (mut store, loaded) = storage::Store::open(dir)?;
    if let Some(read_only) = store.read_only() {
        anyhow::bail!("{}", read_only.reason);
    }
    let mut doc = crate::document::Document::new(loaded.model);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
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
