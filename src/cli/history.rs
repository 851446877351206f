//! `kith import` of calendars, mail and chats (a file, a Maildir folder or
//! a calendar URL), and `kith sources` (list, forget, refresh).
//!
//! `kith import` routes here when its argument is a URL, a folder, or a
//! file [`crate::history::source::detect_path`] recognises; everything else
//! stays the contacts import of [`super::import`], unchanged.

use crate::history::plan::{self, HistoryPreview, UnknownChoice};
use crate::history::source::{self, is_url, shown_url};
use crate::history::tz::Zone;
use crate::history::{HistoryError, HistoryFormat, ReadOptions};
use crate::model::{HistorySource, Model};
use crate::storage::{self, guard, guard::shown};
use chrono::NaiveDate;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The flags of `kith import` that apply to calendar, mail and chat imports only.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct HistoryArgs {
    /// Calendar, mail and chat imports: keep no event titles or mail
    /// subjects (only the day, the people and the kind).
    #[arg(long)]
    pub no_titles: bool,
    /// Calendar, mail and chat imports: the source's name (default: what
    /// the export calls itself, else the file name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Calendar, mail and chat imports: this e-mail address (or phone
    /// number) is yours; added to your profile before the import is
    /// planned. Repeatable.
    #[arg(long, value_name = "ADDRESS")]
    pub me: Vec<String>,
    /// Calendar, mail and chat imports: add everyone offered as "not in
    /// kith" as a new person.
    #[arg(long, conflicts_with = "ignore_unknown")]
    pub add_unknown: bool,
    /// Calendar, mail and chat imports: never offer the people "not in
    /// kith" of this import again.
    #[arg(long)]
    pub ignore_unknown: bool,
    /// The day the import counts as today (events after it are in the future).
    #[arg(long, hide = true, value_name = "YYYY-MM-DD", value_parser = super::today::parse_day)]
    pub today: Option<NaiveDate>,
}

impl HistoryArgs {
    /// True when any history-only flag was given.
    fn any(&self) -> bool {
        self.no_titles
            || self.name.is_some()
            || !self.me.is_empty()
            || self.add_unknown
            || self.ignore_unknown
    }
}

/// `kith sources`: the calendars, mailboxes and chats imported so far.
#[derive(Debug, Clone, clap::Args)]
pub struct SourcesArgs {
    /// Print a JSON array instead of text (for `kith sources` alone).
    #[arg(long)]
    pub json: bool,
    /// What to do (default: list).
    #[command(subcommand)]
    pub command: Option<SourcesCommand>,
}

/// What `kith sources` does.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum SourcesCommand {
    /// List every source: id, kind, name, interactions, last import, location.
    List {
        /// Print a JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove every interaction that came only from this source, take the
    /// source off the ones others share, and forget it.
    Forget {
        /// The source's id or name.
        source: String,
        /// Show what would go, remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import again from where each source (or one) was last read: its
    /// file, Maildir folder or URL. Exits 1 when any could not be read.
    Refresh {
        /// Only this source (id or name).
        source: Option<String>,
        /// Show what would happen, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The day the import counts as today (events after it are in the future).
        #[arg(long, hide = true, value_name = "YYYY-MM-DD", value_parser = super::today::parse_day)]
        today: Option<NaiveDate>,
    },
}

/// Where an import reads from.
#[derive(Debug, Clone)]
enum Target {
    /// A file or a Maildir folder.
    Path(PathBuf),
    /// A calendar subscription.
    Url(String),
}

impl Target {
    fn shown(&self) -> String {
        match self {
            Target::Path(p) => shown(p),
            Target::Url(u) => shown_url(u),
        }
    }
}

/// How `kith import FILE` reads its argument.
enum Route {
    /// As interactions.
    History(Target),
    /// As contacts (the existing import).
    Contacts,
}

/// Recognise what `file` is. A symbolic link to a history export is
/// refused (history imports never follow links); a link to anything else
/// stays the contacts import's, which follows the link the user named.
fn route(file: &Path) -> Result<Route, HistoryError> {
    let text = file.to_string_lossy();
    if is_url(&text) && std::fs::symlink_metadata(file).is_err() {
        return Ok(Route::History(Target::Url(text.trim().to_string())));
    }
    let meta = match std::fs::symlink_metadata(file) {
        Ok(meta) => meta,
        Err(e) => {
            return Err(HistoryError::Read(format!(
                "cannot import {}: {}",
                shown(file),
                guard::Refused::from(e)
            )));
        }
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::metadata(file);
        if target.as_ref().is_ok_and(|m| m.is_dir()) {
            return Err(source::detect_path(file)
                .err()
                .unwrap_or(HistoryError::UnknownFormat));
        }
        if target.is_ok_and(|m| m.is_file()) {
            let mut prefix = Vec::new();
            if let Ok(f) = std::fs::File::open(file) {
                let _ = f.take(source::DETECT_PREFIX).read_to_end(&mut prefix);
            }
            if source::detect_bytes(&prefix).is_some() {
                return Err(source::detect_path(file)
                    .err()
                    .unwrap_or(HistoryError::UnknownFormat));
            }
        }
        return Ok(Route::Contacts);
    }
    if meta.is_dir() {
        return Ok(Route::History(Target::Path(export_in(file))));
    }
    if meta.is_file() && source::detect_path(file)?.is_some() {
        return Ok(Route::History(Target::Path(file.to_path_buf())));
    }
    Ok(Route::Contacts)
}

/// The export inside an export folder: the folder itself when it is a
/// Maildir, else Telegram's `result.json`, sigexport's `chat.md` or
/// `data.json`, or LinkedIn's `messages.csv` when the folder holds one (a
/// real file, not a link), else the folder (reported as no Maildir).
fn export_in(folder: &Path) -> PathBuf {
    let real = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
    if real(&folder.join("cur")) || real(&folder.join("new")) {
        return folder.to_path_buf();
    }
    ["result.json", "chat.md", "data.json", "messages.csv"]
        .iter()
        .map(|name| folder.join(name))
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file()))
        .unwrap_or_else(|| folder.to_path_buf())
}

/// `kith import FILE|DIR|URL`: a calendar URL, a Maildir folder or a
/// calendar, mail or chat file is imported as interactions; anything else
/// goes to the contacts import ([`super::import`]). Returns the exit code.
pub fn import(
    dir: &Path,
    file: &Path,
    contacts: (super::OnMatch, bool),
    history: &HistoryArgs,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let (on_match, merge_same_names) = contacts;
    match route(file) {
        Err(error) => {
            writeln!(out, "error: {error}")?;
            Ok(2)
        }
        Ok(Route::Contacts) => {
            if history.any() {
                writeln!(
                    out,
                    "error: --no-titles, --name, --me, --add-unknown and --ignore-unknown are for calendar, mail and chat imports; {} is read as contacts",
                    shown(file)
                )?;
                return Ok(2);
            }
            super::import(dir, file, on_match, merge_same_names, dry_run, out)
        }
        Ok(Route::History(target)) => {
            if merge_same_names {
                writeln!(
                    out,
                    "error: --merge-same-names is for contacts imports; {} is a calendar, mail or chat export",
                    target.shown()
                )?;
                return Ok(2);
            }
            import_history(dir, &target, history, dry_run, None, out)
        }
    }
}

/// Read `target` into a preview-ready harvest: its format, harvest, where
/// it was read from (for "import again") and the name it suggests.
fn read_target(
    target: &Target,
    opts: &ReadOptions,
) -> Result<(HistoryFormat, crate::history::Harvest, String, String), HistoryError> {
    match target {
        Target::Url(url) => {
            let bytes = source::fetch_calendar(url)?;
            if source::detect_bytes(&bytes) != Some(HistoryFormat::Calendar) {
                return Err(HistoryError::Read(format!(
                    "{} did not send a calendar (no BEGIN:VCALENDAR)",
                    shown_url(url)
                )));
            }
            let harvest = source::read_bytes(HistoryFormat::Calendar, &bytes, "", opts)?;
            let name = url_name(url);
            Ok((HistoryFormat::Calendar, harvest, url.clone(), name))
        }
        Target::Path(path) => {
            let format = source::detect_path(path)?.ok_or(HistoryError::UnknownFormat)?;
            let harvest = source::read_path(path, format, opts)?;
            let location = std::path::absolute(path)
                .unwrap_or_else(|_| path.clone())
                .to_string_lossy()
                .into_owned();
            let name = path
                .file_stem()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((format, harvest, location, name))
        }
    }
}

/// A name for a calendar URL: its last path segment without `.ics`, else its host.
fn url_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or("");
    let host = rest.split('/').next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let last = rest
        .rsplit('/')
        .next()
        .filter(|s| !s.is_empty() && *s != host)
        .map(|s| s.strip_suffix(".ics").unwrap_or(s));
    last.unwrap_or(host).to_string()
}

/// Your profile with `addresses` added (e-mails lowercased, phones as
/// written); None when it already has them all; an error for something
/// that is neither.
fn me_with(model: &Model, addresses: &[String]) -> Result<Option<crate::model::Me>, String> {
    let mut me = model.me.clone();
    for address in addresses {
        let address = address.trim();
        if address.is_empty() {
            continue;
        }
        if address.contains('@') {
            let email = address.trim_start_matches("mailto:").to_lowercase();
            if !me.emails.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
                me.emails.push(email);
            }
        } else if address.chars().filter(char::is_ascii_digit).count() >= 3 {
            let key = crate::exchange::normalize_phone(address);
            if !me
                .phones
                .iter()
                .any(|p| crate::exchange::normalize_phone(p) == key)
            {
                me.phones.push(address.to_string());
            }
        } else {
            return Err(format!(
                "--me takes your e-mail address or phone number, not {:?}",
                guard::escape_text(address)
            ));
        }
    }
    Ok((me != model.me).then_some(me))
}

/// 1204 → "1,204".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// People listed in the preview (the rest are counted).
const SHOWN_PEOPLE: usize = 50;
/// Problems listed in the preview.
const SHOWN_PROBLEMS: usize = 50;
/// People not in kith listed in the preview.
const SHOWN_UNKNOWN: usize = 20;

/// "  … and 4,980 more people" when a list was cut.
fn more(out: &mut dyn Write, total: usize, shown: usize, what: &str) -> std::io::Result<()> {
    if total > shown {
        writeln!(out, "  … and {} more {what}", thousands(total - shown))?;
    }
    Ok(())
}

/// True when `unknown` is the address proposed as yours.
fn is_owner(unknown: &plan::Unknown, owner: Option<&str>) -> bool {
    owner.is_some_and(|o| {
        unknown
            .email
            .as_deref()
            .is_some_and(|e| e.eq_ignore_ascii_case(o))
    })
}

/// Print the preview as the user needs it to decide.
fn print_preview(
    label: &str,
    preview: &HistoryPreview,
    model: &Model,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let new = preview.rows.iter().filter(|r| r.extends.is_none()).count();
    let extending = preview.rows.len() - new;
    writeln!(
        out,
        "{label}: {} \"{}\": {} with {} ({} new, {} adding to existing), {} already in kith",
        preview.format.label(),
        guard::escape_text(&preview.source.name),
        plural(preview.rows.len(), "interaction", "interactions"),
        plural(preview.people.len(), "person", "people"),
        thousands(new),
        thousands(extending),
        thousands(preview.already)
    )?;
    for person in preview.people.iter().take(SHOWN_PEOPLE) {
        let mut counts = format!("{} new", thousands(person.new));
        if person.extended > 0 {
            counts.push_str(&format!(
                ", {} adding to existing",
                thousands(person.extended)
            ));
        }
        writeln!(
            out,
            "  {} ({}): {counts}, last {}",
            guard::escape_text(&person.name),
            guard::escape_text(&person.how.label()),
            person.last
        )?;
    }
    for (reason, count) in &preview.ignored {
        writeln!(
            out,
            "  left out: {} ({})",
            thousands(*count),
            guard::escape_text(reason)
        )?;
    }
    let mail = matches!(preview.format, HistoryFormat::Mbox | HistoryFormat::Maildir);
    more(out, preview.people.len(), SHOWN_PEOPLE, "people")?;
    for problem in preview.problems.iter().take(SHOWN_PROBLEMS) {
        let place = if mail {
            format!("in message {}", problem.line)
        } else {
            format!("at line {}", problem.line)
        };
        writeln!(
            out,
            "  problem {place}: {}",
            guard::escape_text(&problem.reason)
        )?;
    }
    more(out, preview.problems.len(), SHOWN_PROBLEMS, "problems")?;
    let owner = preview.owner.as_ref().map(|o| o.address.to_lowercase());
    let offered: Vec<_> = preview
        .unknown
        .iter()
        .filter(|u| !is_owner(u, owner.as_deref()))
        .collect();
    for unknown in offered.iter().take(SHOWN_UNKNOWN) {
        let mut who = guard::escape_text(unknown.name.trim());
        let address = unknown.email.as_deref().or(unknown.phone.as_deref());
        if let Some(address) = address {
            let address = guard::escape_text(address);
            who = if who.is_empty() {
                address
            } else {
                format!("{who} <{address}>")
            };
        }
        if who.is_empty() {
            who = guard::escape_text(&unknown.key);
        }
        let times = plural(unknown.count, "interaction", "interactions");
        match unknown.choice {
            UnknownChoice::Add => writeln!(out, "  adding to kith: {who} ({times})")?,
            UnknownChoice::Ignore => {
                writeln!(out, "  not offered again: {who} ({times})")?;
            }
            UnknownChoice::MergeInto(id) => writeln!(
                out,
                "  adding to {}: {who} ({times})",
                guard::escape_text(model.person_name(id))
            )?,
            UnknownChoice::Leave => writeln!(
                out,
                "  not in kith: {who} ({times}) — add with --add-unknown, ignore with --ignore-unknown"
            )?,
        }
    }
    more(out, offered.len(), SHOWN_UNKNOWN, "people not in kith")?;
    for ambiguous in &preview.ambiguous {
        let names: Vec<String> = ambiguous
            .candidates
            .iter()
            .map(|id| guard::escape_text(model.person_name(*id)))
            .collect();
        writeln!(
            out,
            "  left out: \"{}\" could be {} ({}); pick in the app",
            guard::escape_text(&ambiguous.name),
            names.join(" or "),
            plural(ambiguous.count, "interaction", "interactions")
        )?;
    }
    for closing in &preview.closes {
        writeln!(
            out,
            "  follow-up done: {}",
            guard::escape_text(&closing.text)
        )?;
    }
    if let Some(owner) = &preview.owner
        && !owner.accepted
    {
        let address = guard::escape_text(&owner.address);
        writeln!(
            out,
            "  your address looks like {address} ({}); confirm with --me {address}",
            plural(owner.count, "message", "messages")
        )?;
    }
    Ok(())
}

/// Write what `doc` changed; prints the outcome. Returns the exit code.
fn save(
    store: &mut storage::Store,
    doc: &mut crate::document::Document,
    done: &str,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    store.note_changes(&doc.take_changes(), doc.model());
    let report = store.save(doc.model());
    if !report.is_complete() {
        let not_written = report.failed.len() + report.blocked.len() + report.changed_on_disk.len();
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
            "incomplete: {} files written, {not_written} not written; nothing was lost, run it again once fixed",
            report.written
        )?;
        return Ok(1);
    }
    writeln!(out, "{done} ({})", plural(report.written, "file", "files"))?;
    Ok(0)
}

/// Open the data folder for writing (or, for a dry run, at least reading).
fn open_store(
    dir: &Path,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<(storage::Store, storage::Loaded)> {
    let (store, loaded) = storage::Store::open(dir)?;
    if let Some(read_only) = store.read_only()
        && !dry_run
    {
        anyhow::bail!("{}", read_only.reason);
    }
    if !loaded.problems.is_empty() {
        writeln!(
            out,
            "warning: {} file(s) in the data folder failed to load; they are left untouched",
            loaded.problems.len()
        )?;
    }
    Ok((store, loaded))
}

/// Import one export as interactions: read, plan, print, write. `keep`
/// is the source being refreshed (its id, name and titles switch stay).
fn import_history(
    dir: &Path,
    target: &Target,
    args: &HistoryArgs,
    dry_run: bool,
    keep: Option<&HistorySource>,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let today = args
        .today
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let opts = ReadOptions {
        today,
        zone: Zone::system(),
    };
    let label = target.shown();
    let (format, harvest, location, file_name) = match read_target(target, &opts) {
        Ok(read) => read,
        Err(error) => {
            writeln!(out, "error: {label}: {error}")?;
            return Ok(2);
        }
    };
    let (mut store, loaded) = open_store(dir, dry_run, out)?;
    let mut doc = crate::document::Document::new(loaded.model);
    let me = match me_with(doc.model(), &args.me) {
        Ok(me) => me,
        Err(why) => {
            writeln!(out, "error: {why}")?;
            return Ok(2);
        }
    };
    let me_changed = me.is_some();
    if let Some(me) = me {
        doc.apply(crate::action::Action::SetMe(me))?;
    }
    // The export's own name (X-WR-CALNAME, the chat) wins over the file's;
    // a source imported before (same name or same location) keeps its id,
    // name and titles switch unless told otherwise.
    let mut preview = HistoryPreview::build(
        format,
        harvest,
        &file_name,
        Some(location),
        doc.model(),
        today,
    );
    let known = doc
        .model()
        .settings
        .history
        .sources
        .iter()
        .any(|s| s.id == preview.source.id);
    if let Some(source) = keep {
        preview.source.id = source.id.clone();
        preview.source.name = source.name.clone();
        preview.source.titles = source.titles;
    }
    if let Some(name) = args
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if !known && keep.is_none() {
            preview.source.id = plan::source_id(format.kind(), name);
        }
        preview.source.name = name.to_string();
    }
    if args.no_titles {
        preview.source.titles = false;
    }
    let owner = preview.owner.as_ref().map(|o| o.address.to_lowercase());
    for unknown in &mut preview.unknown {
        if is_owner(unknown, owner.as_deref()) {
            // The proposed owner is you, not someone to add.
            continue;
        }
        if args.add_unknown {
            unknown.choice = UnknownChoice::Add;
        } else if args.ignore_unknown {
            unknown.choice = UnknownChoice::Ignore;
        }
    }
    preview.refresh(doc.model());
    print_preview(&label, &preview, doc.model(), out)?;
    if dry_run {
        writeln!(out, "dry run: nothing written")?;
        return Ok(0);
    }
    let action = preview.to_action(doc.model());
    let Some(action) = action else {
        if me_changed {
            return save(
                &mut store,
                &mut doc,
                "saved your addresses; no interactions to import",
                out,
            );
        }
        if preview.already > 0 {
            writeln!(out, "nothing new: every interaction is already in kith")?;
        } else {
            writeln!(
                out,
                "nothing to import: no interactions with people in kith"
            )?;
        }
        return Ok(0);
    };
    let rows = preview.rows.len();
    let closes = preview.closes.len();
    let added = preview
        .people
        .iter()
        .filter(|p| p.how == plan::MatchHow::Added)
        .count();
    drop(preview);
    doc.apply(action)?;
    let mut done = format!(
        "imported: {} written",
        plural(rows, "interaction", "interactions")
    );
    if added > 0 {
        done.push_str(&format!(", {} added", plural(added, "person", "people")));
    }
    if closes > 0 {
        done.push_str(&format!(
            ", {} done",
            plural(closes, "follow-up", "follow-ups")
        ));
    }
    save(&mut store, &mut doc, &done, out)
}

/// The source `wanted` names: its id, else its name (case-insensitive, unique).
fn find_source<'a>(model: &'a Model, wanted: &str) -> Result<&'a HistorySource, String> {
    let sources = &model.settings.history.sources;
    if let Some(source) = sources.iter().find(|s| s.id == wanted.trim()) {
        return Ok(source);
    }
    let named: Vec<&HistorySource> = sources
        .iter()
        .filter(|s| s.name.trim().eq_ignore_ascii_case(wanted.trim()))
        .collect();
    match named.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "no source with the id or name {:?}; `kith sources list` shows them",
            guard::escape_text(wanted)
        )),
        several => Err(format!(
            "{} sources are called {:?}; name one by its id: {}",
            several.len(),
            guard::escape_text(wanted),
            several
                .iter()
                .map(|s| guard::escape_text(&s.id))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Interactions that came from `id`: only from it, and shared with other sources.
fn counts(model: &Model, id: &str) -> (usize, usize) {
    let mut only = 0;
    let mut shared = 0;
    for interaction in model.interactions.values() {
        if let Some(origin) = &interaction.origin
            && origin.sources.iter().any(|s| s == id)
        {
            if origin.sources.len() == 1 {
                only += 1;
            } else {
                shared += 1;
            }
        }
    }
    (only, shared)
}

/// `kith sources [list|forget|refresh]`: returns the exit code.
pub fn sources(
    dir: &Path,
    args: SourcesArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    match args.command {
        None => list(dir, args.json, out, err),
        Some(SourcesCommand::List { json }) => list(dir, json || args.json, out, err),
        Some(SourcesCommand::Forget { source, dry_run }) => forget(dir, &source, dry_run, out),
        Some(SourcesCommand::Refresh {
            source,
            dry_run,
            today,
        }) => refresh(dir, source.as_deref(), dry_run, today, out),
    }
}

fn list(dir: &Path, json: bool, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<i32> {
    let loaded = storage::load_folder(dir)?;
    for problem in &loaded.problems {
        writeln!(err, "warning: {problem}")?;
    }
    let model = &loaded.model;
    let sources = &model.settings.history.sources;
    if json {
        let items: Vec<serde_json::Value> = sources
            .iter()
            .map(|s| {
                let (only, shared) = counts(model, &s.id);
                serde_json::json!({
                    "id": s.id,
                    "kind": format!("{:?}", s.kind).to_lowercase(),
                    "name": s.name,
                    "location": s.location,
                    "titles": s.titles,
                    "imported": s.imported.map(|d| d.to_string()),
                    "interactions": only + shared,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&items)?)?;
    } else if sources.is_empty() {
        writeln!(
            out,
            "no sources yet: `kith import FILE|FOLDER|URL` reads a calendar, mail or chat export"
        )?;
    } else {
        for s in sources {
            let (only, shared) = counts(model, &s.id);
            let imported = s
                .imported
                .map(|d| format!(", last imported {d}"))
                .unwrap_or_default();
            let titles = if s.titles { "" } else { ", no titles" };
            writeln!(
                out,
                "{}  {}  \"{}\": {}{imported}{titles}",
                guard::escape_text(&s.id),
                s.kind.label(),
                guard::escape_text(&s.name),
                plural(only + shared, "interaction", "interactions"),
            )?;
            if let Some(location) = &s.location {
                let shown = if is_url(location) {
                    shown_url(location)
                } else {
                    guard::escape_text(location)
                };
                writeln!(out, "    from {shown}")?;
            }
        }
    }
    Ok(i32::from(!loaded.problems.is_empty()))
}

fn forget(dir: &Path, wanted: &str, dry_run: bool, out: &mut dyn Write) -> anyhow::Result<i32> {
    let (mut store, loaded) = open_store(dir, dry_run, out)?;
    let model = &loaded.model;
    let source = match find_source(model, wanted) {
        Ok(source) => source.clone(),
        Err(why) => {
            writeln!(out, "error: {why}")?;
            return Ok(1);
        }
    };
    let (only, shared) = counts(model, &source.id);
    let mut what = format!(
        "\"{}\" ({}): {} removed",
        guard::escape_text(&source.name),
        guard::escape_text(&source.id),
        plural(only, "interaction", "interactions"),
    );
    if shared > 0 {
        what.push_str(&format!(
            ", {} kept (other sources have {})",
            thousands(shared),
            if shared == 1 { "it" } else { "them" }
        ));
    }
    let Some(action) = plan::forget_source(model, &source.id) else {
        writeln!(
            out,
            "error: nothing to forget for {}",
            guard::escape_text(&source.name)
        )?;
        return Ok(1);
    };
    if dry_run {
        writeln!(out, "would forget {what}")?;
        writeln!(out, "dry run: nothing written")?;
        return Ok(0);
    }
    let mut doc = crate::document::Document::new(loaded.model);
    doc.apply(action)?;
    save(&mut store, &mut doc, &format!("forgot {what}"), out)
}

fn refresh(
    dir: &Path,
    wanted: Option<&str>,
    dry_run: bool,
    today: Option<NaiveDate>,
    out: &mut dyn Write,
) -> anyhow::Result<i32> {
    let loaded = storage::load_folder(dir)?;
    let model = &loaded.model;
    let chosen: Vec<HistorySource> = match wanted {
        Some(wanted) => match find_source(model, wanted) {
            Ok(source) => vec![source.clone()],
            Err(why) => {
                writeln!(out, "error: {why}")?;
                return Ok(1);
            }
        },
        None => model.settings.history.sources.clone(),
    };
    drop(loaded);
    if chosen.is_empty() {
        writeln!(out, "no sources to refresh")?;
        return Ok(0);
    }
    let mut code = 0;
    for source in &chosen {
        let name = guard::escape_text(&source.name);
        let Some(location) = source.location.as_deref().map(str::trim) else {
            writeln!(
                out,
                "error: \"{name}\" has no file, folder or URL to import again from"
            )?;
            code = 1;
            continue;
        };
        let target = if is_url(location) {
            Target::Url(location.to_string())
        } else {
            let path = PathBuf::from(location);
            if std::fs::symlink_metadata(&path).is_err() {
                writeln!(
                    out,
                    "error: \"{name}\": {} is missing; import it again from where it is now",
                    guard::escape_text(location)
                )?;
                code = 1;
                continue;
            }
            Target::Path(path)
        };
        let args = HistoryArgs {
            today,
            ..HistoryArgs::default()
        };
        let result = import_history(dir, &target, &args, dry_run, Some(source), out)?;
        if result != 0 {
            code = 1;
        }
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_with_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(plural(1, "person", "people"), "1 person");
        assert_eq!(plural(2, "person", "people"), "2 people");
    }

    #[test]
    fn calendar_urls_are_named_after_their_file_or_host() {
        assert_eq!(url_name("webcal://example.com/cals/Work.ics"), "Work");
        assert_eq!(url_name("https://me:pw@example.com/"), "example.com");
        assert_eq!(url_name("https://example.com"), "example.com");
        assert_eq!(url_name("https://example.com/a/basic.ics?key=1"), "basic");
    }

    #[test]
    fn your_addresses_are_added_once() {
        let mut model = Model::default();
        model.me.emails.push("me@x.org".into());
        assert_eq!(me_with(&model, &["ME@x.org".into()]), Ok(None));
        let me = me_with(&model, &["work@x.org".into(), "+1 555 0100".into()])
            .ok()
            .flatten()
            .unwrap_or_default();
        assert_eq!(me.emails, vec!["me@x.org", "work@x.org"]);
        assert_eq!(me.phones, vec!["+1 555 0100"]);
        model.me = me;
        assert_eq!(
            me_with(&model, &["+1 (555) 0100".into(), " ".into()]),
            Ok(None)
        );
        assert!(me_with(&model, &["Sam Carter".into()]).is_err());
    }
}
