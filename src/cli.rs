//! Command-line interface: `kith`, `kith --data DIR`, `kith check --data DIR`,
//! `kith today` (in [`today`]), `kith account` (in [`account`]), `kith sync`
//! (in [`sync`]), and calendar, mail and chat imports and `kith sources` (in
//! [`history`]).

use crate::storage;
use crate::storage::guard::{self, shown};
use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub mod account;
pub mod history;
pub mod sync;
pub mod today;

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
    /// Import contacts (vCard, Google/Outlook CSV, LinkedIn Connections.csv),
    /// or interactions from a calendar (.ics file or webcal/https URL), mail
    /// (mbox file or Maildir folder) or chat export (WhatsApp, Telegram,
    /// Signal, LinkedIn messages.csv).
    Import {
        /// The file, folder or calendar URL to import.
        file: PathBuf,
        /// What to do with contacts that match someone you have.
        #[arg(long, value_enum, default_value_t = OnMatch::Merge)]
        on_match: OnMatch,
        /// Show what would happen, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Merge contacts that match someone only by name too (by default
        /// they are added as new people: same-name strangers are common).
        #[arg(long)]
        merge_same_names: bool,
        /// Flags for calendar, mail and chat imports.
        #[command(flatten)]
        history: history::HistoryArgs,
    },
    /// The calendars, mailboxes and chats interactions were imported from:
    /// list them, forget one (its interactions go), or import them again.
    Sources(history::SourcesArgs),
    /// Install a launcher and icon so kith shows in your application menu
    /// (`$XDG_DATA_HOME/applications/kith.desktop`, else
    /// `~/.local/share/...`, and the icon under `icons/hicolor`); the
    /// launcher runs this kith binary. Exits 1 when anything failed.
    InstallDesktop {
        /// Remove what `install-desktop` wrote instead.
        #[arg(long)]
        remove: bool,
    },
    /// Print today's plan: follow-ups due, birthdays and other dates of the
    /// next two weeks, people to re-engage, introductions to make and who
    /// can help whom. Reads the folder without locking it, so it works while
    /// the app is open; exits 1 when some data files did not load.
    Today {
        /// The day to plan for (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = today::parse_day)]
        date: Option<chrono::NaiveDate>,
        /// Print one JSON object (keys follow_ups, dates, re_engage,
        /// introductions, can_help) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Manage the CardDAV/CalDAV accounts this data folder syncs with
    /// (kept on this machine, outside the data folder; no passwords in files).
    Account {
        /// What to do with accounts.
        #[command(subcommand)]
        command: account::AccountCommand,
    },
    /// Two-way sync with every account (or one): people with the address
    /// book, follow-ups and dates to the calendar. Refuses while the app has
    /// the folder open or when data files did not load; exits 1 when any
    /// account failed.
    Sync {
        /// Only this account.
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
        /// Print a JSON array (one object per account) instead of text.
        #[arg(long)]
        json: bool,
    },
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
        /// Export even when some data files did not load (the export then
        /// misses what they hold).
        #[arg(long)]
        allow_partial: bool,
    },
}

/// A writer for standard output or error that a closed pipe cannot stop:
/// once the reader is gone (`kith import … | head -1`), the rest of the
/// output is dropped quietly and the work goes on to its end, so what is
/// written to the data folder never depends on who reads the output.
#[derive(Debug)]
pub struct QuietPipe<W> {
    inner: W,
    closed: bool,
}

impl<W: Write> QuietPipe<W> {
    /// Wrap `inner` (usually `io::stdout()` or `io::stderr()`).
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            closed: false,
        }
    }
}

impl<W: Write> Write for QuietPipe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            other => other,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            other => other,
        }
    }
}

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

/// `kith install-desktop [--remove]`: prints each file written or removed;
/// returns the exit code (1 when anything failed).
pub fn install_desktop(remove: bool, out: &mut dyn Write) -> anyhow::Result<i32> {
    let root = crate::desktop::data_home()
        .ok_or_else(|| anyhow::anyhow!("no home folder found, so no place for a launcher"))?;
    let program = std::env::current_exe()
        .map_err(|e| anyhow::anyhow!("cannot tell where this kith binary is: {e}"))?;
    let report = crate::desktop::install(&root, &program, remove);
    for line in &report.lines {
        writeln!(out, "{line}")?;
    }
    Ok(i32::from(report.failed))
}

/// `kith check`: returns the process exit code (0 = every file loaded).
pub fn check(dir: &Path, out: &mut dyn Write) -> anyhow::Result<i32> {
    let loaded = storage::load_folder(dir)?;
    let model = &loaded.model;
    writeln!(
        out,
        "{}: {} people ({} in trash), {} organizations, {} interactions, {} interests in catalog",
        shown(dir),
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
            shown(file)
        )?;
    }
    for file in &loaded.unknown_files {
        writeln!(out, "note: {} is not a kith file; left alone", shown(file))?;
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
    merge_same_names: bool,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    use crate::exchange::{ImportPreview, MatchChoice};
    let bytes = guard::read_import(file, guard::IMPORT_FILE_CAP)
        .map_err(|e| anyhow::anyhow!("cannot import {}: {e}", shown(file)))?;
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
            writeln!(out, "error: {}: {error}", shown(file))?;
            return Ok(2);
        }
    };
    let choice = match on_match {
        OnMatch::Merge => MatchChoice::Merge,
        OnMatch::KeepBoth => MatchChoice::KeepBoth,
        OnMatch::Skip => MatchChoice::Skip,
    };
    preview.choose_all_but_names(choice, merge_same_names);
    writeln!(
        out,
        "{}: {} ({} contacts): {} new, {} matching people you have ({:?}), {} skipped",
        shown(file),
        preview.format.label(),
        preview.incoming.len(),
        preview.new_count(),
        preview.match_count(),
        on_match,
        preview.skipped.len()
    )?;
    for (index, item) in preview.incoming.iter().enumerate() {
        let Some((_, reason)) = &item.matched else {
            continue;
        };
        let target = preview.match_name(index, &loaded.model).unwrap_or_default();
        let what = match item.choice {
            MatchChoice::Merge => "merge",
            MatchChoice::KeepBoth => "keep both",
            MatchChoice::Skip => "skip",
        };
        writeln!(
            out,
            "  match: {} -> {} ({}): {what}",
            guard::escape_text(&item.person.name),
            guard::escape_text(&target),
            reason.label()
        )?;
        for change in preview.changes(index, &loaded.model) {
            writeln!(
                out,
                "    {}: {} -> {}",
                change.field,
                guard::escape_text(if change.old.is_empty() {
                    "(none)"
                } else {
                    &change.old
                }),
                guard::escape_text(&change.new)
            )?;
        }
    }
    for item in &preview.incoming {
        if item.choice == MatchChoice::Merge
            && let Some(note) = item.merge_note(&loaded.model)
        {
            writeln!(
                out,
                "  note: {} (line {}): {note}",
                guard::escape_text(&item.person.name),
                item.line
            )?;
        }
        for warning in &item.warnings {
            writeln!(
                out,
                "  note: {} (line {}): {}",
                guard::escape_text(&item.person.name),
                item.line,
                guard::escape_text(&warning.to_string())
            )?;
        }
    }
    for skipped in &preview.skipped {
        writeln!(
            out,
            "  skipped line {}: {}",
            skipped.line,
            guard::escape_text(&skipped.reason.to_string())
        )?;
    }
    if dry_run {
        writeln!(out, "dry run: nothing written")?;
        return Ok(0);
    }
    let photos = preview.photos_to_save(|id| store.photo(id).is_ok_and(|p| p.is_some()));
    let mut doc = crate::document::Document::new(loaded.model);
    let action = preview.to_action(doc.model());
    // The preview is not needed any more: give its memory back before the
    // model grows (a million-card import peaks at 1.7x the people's size
    // this way, 2.3x with the preview still alive).
    drop(preview);
    doc.apply(action)?;
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    let mut photos_failed = 0;
    for (id, bytes) in &photos {
        if let Err(why) = store.save_photo(*id, bytes) {
            writeln!(
                out,
                "error: could not write the photo of {}: {why}",
                guard::escape_text(doc.model().person_name(*id))
            )?;
            photos_failed += 1;
        }
    }
    if !report.is_complete() || photos_failed > 0 {
        let not_written = report.failed.len()
            + report.blocked.len()
            + report.changed_on_disk.len()
            + photos_failed;
        for (path, error) in &report.failed {
            writeln!(out, "error: could not write {}: {error}", shown(path))?;
        }
        for path in &report.blocked {
            writeln!(
                out,
                "error: did not write {}: the file on disk failed to load, and kith never writes over it",
                shown(path)
            )?;
        }
        for path in &report.changed_on_disk {
            writeln!(
                out,
                "error: did not write {}: another program changed it while kith ran",
                shown(path)
            )?;
        }
        writeln!(
            out,
            "import incomplete: {} files written, {not_written} not written",
            report.written + photos.len() - photos_failed
        )?;
        return Ok(1);
    }
    writeln!(
        out,
        "imported: {} files written",
        report.written + photos.len()
    )?;
    Ok(0)
}

/// What `kith export` was asked for.
#[derive(Debug, Clone, Copy)]
pub struct ExportRequest<'a> {
    /// Output format.
    pub format: ExportFormat,
    /// Write here (None: standard output).
    pub target: Option<&'a Path>,
    /// Only people with this tag.
    pub tag: Option<&'a str>,
    /// Only people at this stage.
    pub stage: Option<&'a str>,
    /// Export even when some data files did not load.
    pub allow_partial: bool,
}

/// `kith export`: writes to the request's target (atomically) or to `out`;
/// warnings and the summary go to `err`. Returns the exit code: 1, with
/// nothing written, when some data files did not load (unless the request
/// allows a partial export).
pub fn export(
    dir: &Path,
    request: ExportRequest<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let ExportRequest {
        format,
        target,
        tag,
        stage,
        allow_partial,
    } = request;
    use crate::exchange::{export, vcard};
    let loaded = storage::load_folder(dir)?;
    let model = &loaded.model;
    if !loaded.problems.is_empty() {
        for problem in &loaded.problems {
            writeln!(err, "warning: {problem}")?;
        }
        writeln!(
            err,
            "warning: {} data file(s) did not load, so the export would miss what they hold",
            loaded.problems.len()
        )?;
        if !allow_partial {
            writeln!(
                err,
                "error: nothing exported; run `kith check`, or pass --allow-partial to export what loaded"
            )?;
            return Ok(1);
        }
    }
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
    // Stored photos go into vCard exports; one that cannot be read is named.
    let mut photos = std::collections::HashMap::new();
    if matches!(format, ExportFormat::Vcard | ExportFormat::Vcard3) {
        for person in &people {
            match storage::photos::read_photo(dir, person.id) {
                Ok(Some(bytes)) => {
                    photos.insert(person.id, bytes);
                }
                Ok(None) => {}
                Err(why) => writeln!(err, "warning: photo left out: {why}")?,
            }
        }
    }
    let photo = |person: &crate::model::Person| photos.get(&person.id).cloned();
    let text = match format {
        ExportFormat::Vcard => {
            vcard::write_cards_with(people.iter().copied(), vcard::VcardVersion::V4, photo)
        }
        ExportFormat::Vcard3 => {
            vcard::write_cards_with(people.iter().copied(), vcard::VcardVersion::V3, photo)
        }
        ExportFormat::Csv => {
            export::google_csv(people.iter().copied()).map_err(anyhow::Error::msg)?
        }
        ExportFormat::Newsletter => {
            export::newsletter_csv(people.iter().copied(), &loaded.consent_held())
                .map_err(anyhow::Error::msg)?
        }
        ExportFormat::Ics => export::follow_ups_ics(model, None, chrono::Utc::now().naive_utc()),
    };
    match target {
        Some(path) => {
            storage::atomic::write_export(path, text.as_bytes())
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", shown(path)))?;
            writeln!(
                err,
                "wrote {} ({} people considered)",
                shown(path),
                people.len()
            )?;
        }
        None => out.write_all(text.as_bytes())?,
    }
    Ok(0)
}
