//! LinkedIn's `messages.csv` (Settings → Data privacy → Get a copy of your
//! data): `CONVERSATION ID, CONVERSATION TITLE, FROM, SENDER PROFILE URL,
//! TO, RECIPIENT PROFILE URLS, DATE, SUBJECT, CONTENT, FOLDER, …`, columns
//! found by name. DATE is UTC ("2024-01-05 21:10:03 UTC") and becomes a day
//! in the user's zone. Parties are the sender and the recipients, profile
//! URLs as handles (`https://www.linkedin.com/in/<slug>`); FOLDER "SPAM" is
//! ignored ("spam"), and so are drafts (FOLDER "DRAFT" or IS MESSAGE DRAFT
//! "Yes": "draft") and sponsored messages (CONVERSATION TITLE "Sponsored":
//! "sponsored"); FOLDER "SENT" marks the sender as you.

use super::{DayBook, Party, chat_key, clean, identity};
use crate::exchange::Skipped;
use crate::history::{Harvest, Ignored, ReadOptions};
use chrono::{DateTime, NaiveDateTime, Utc};
use std::collections::{HashMap, HashSet};

/// True when the first line is a LinkedIn messages header.
pub(super) fn looks_like(text: &str) -> bool {
    let Some(first) = text.lines().find(|l| !l.trim().is_empty()) else {
        return false;
    };
    let upper = first.to_uppercase();
    let cells: Vec<String> = upper
        .split(',')
        .map(|c| c.trim().trim_matches('"').trim().to_string())
        .collect();
    let has = |name: &str| cells.iter().any(|c| c == name);
    has("CONVERSATION ID") && has("FROM") && has("DATE")
}

/// A LinkedIn profile URL in one form: lowercase, https, www, no query,
/// no trailing slash. Other text is kept trimmed and lowercased.
pub(super) fn profile_url(url: &str) -> String {
    let url = url.trim().to_lowercase();
    let url = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    match url.find("linkedin.com/") {
        Some(at) => format!("https://www.{}", url.get(at..).unwrap_or("")),
        None => url.to_string(),
    }
}

/// The instant of a DATE cell.
fn instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let bare = text
        .strip_suffix(" UTC")
        .or_else(|| text.strip_suffix(" GMT"))
        .unwrap_or(text);
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(bare, format) {
            return Some(t.and_utc());
        }
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The parties of a list of names and a list of profile URLs.
fn parties(names: &str, urls: &str) -> Vec<Party> {
    let urls: Vec<String> = urls
        .split([',', ';'])
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(profile_url)
        .collect();
    let mut names: Vec<String> = names
        .split(';')
        .map(clean)
        .filter(|n| !n.is_empty())
        .collect();
    if names.len() == 1 && urls.len() > 1 {
        names = names
            .iter()
            .flat_map(|n| n.split(','))
            .map(clean)
            .filter(|n| !n.is_empty())
            .collect();
    }
    if names.len() == urls.len() {
        names
            .into_iter()
            .zip(urls)
            .map(|(name, url)| Party {
                name,
                handle: Some(url),
                ..Party::default()
            })
            .collect()
    } else if names.is_empty() {
        urls.into_iter()
            .map(|url| Party {
                handle: Some(url),
                ..Party::default()
            })
            .collect()
    } else {
        names
            .into_iter()
            .map(|name| Party {
                name,
                ..Party::default()
            })
            .collect()
    }
}

/// One message row.
struct Row {
    line: usize,
    conversation: String,
    instant: DateTime<Utc>,
    parties: Vec<Party>,
}

/// Reads `messages.csv` (see the module doc).
pub(super) fn read(bytes: &[u8], opts: &ReadOptions) -> Harvest {
    let mut harvest = Harvest::default();
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(bytes);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_uppercase()).collect(),
        Err(error) => {
            harvest.problems.push(Skipped {
                line: 1,
                reason: format!("cannot read the CSV header: {error}"),
            });
            return harvest;
        }
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(from), Some(date)) = (column("FROM"), column("DATE")) else {
        harvest.problems.push(Skipped {
            line: 1,
            reason: "not LinkedIn's messages.csv: no FROM or DATE column".into(),
        });
        return harvest;
    };
    let id = column("CONVERSATION ID");
    let title = column("CONVERSATION TITLE");
    let sender_url = column("SENDER PROFILE URL");
    let to = column("TO");
    let to_urls = column("RECIPIENT PROFILE URLS");
    let folder = column("FOLDER");
    let mut rows: Vec<Row> = Vec::new();
    let mut titles: HashMap<String, String> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error.position().map_or(index + 2, |p| p.line() as usize);
                harvest.problems.push(Skipped {
                    line,
                    reason: format!("not a CSV row: {error}"),
                });
                continue;
            }
        };
        let line = record.position().map_or(index + 2, |p| p.line() as usize);
        let cell = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("").trim();
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let box_name = cell(folder).to_uppercase();
        let draft = column("IS MESSAGE DRAFT").is_some_and(|_| {
            matches!(
                cell(column("IS MESSAGE DRAFT")).to_lowercase().as_str(),
                "yes" | "true"
            )
        });
        let skip = if box_name == "SPAM" {
            Some("spam")
        } else if draft || box_name == "DRAFT" {
            Some("draft")
        } else if cell(title).eq_ignore_ascii_case("sponsored") || box_name.contains("SPONSORED") {
            Some("sponsored")
        } else {
            None
        };
        if let Some(reason) = skip {
            harvest.ignored.push(Ignored {
                line,
                reason: reason.into(),
            });
            continue;
        }
        let Some(when) = instant(cell(Some(date))) else {
            harvest.problems.push(Skipped {
                line,
                reason: format!(
                    "DATE is not a date: \"{}\"",
                    crate::storage::guard::escape_text(
                        &cell(Some(date)).chars().take(40).collect::<String>()
                    )
                ),
            });
            continue;
        };
        let mut senders = parties(cell(Some(from)), cell(sender_url));
        if senders.is_empty() {
            harvest.problems.push(Skipped {
                line,
                reason: "message without a sender (FROM)".into(),
            });
            continue;
        }
        for sender in &mut senders {
            sender.sender = true;
            sender.me = box_name == "SENT";
        }
        let recipients = parties(cell(to), cell(to_urls));
        let conversation = match cell(id) {
            "" => chat_key(cell(title)),
            id => id.to_string(),
        };
        if !cell(title).is_empty() {
            titles
                .entry(conversation.clone())
                .or_insert_with(|| clean(cell(title)));
        }
        let mut all = senders;
        all.extend(recipients);
        rows.push(Row {
            line,
            conversation,
            instant: when,
            parties: all,
        });
    }
    // How many people each conversation has.
    let mut people: HashMap<&str, HashSet<String>> = HashMap::new();
    for row in &rows {
        let set = people.entry(row.conversation.as_str()).or_default();
        for party in row.parties.iter().filter(|p| !p.me) {
            set.insert(identity(party));
        }
    }
    let crowds: HashMap<String, usize> = people
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.len().max(2)))
        .collect();
    if titles.len() == 1 {
        harvest.suggested_name = titles.into_values().next().unwrap_or_default();
    }
    let mut book = DayBook::new("linkedin");
    for row in rows {
        let crowd = crowds.get(&row.conversation).copied().unwrap_or(0);
        let day = opts.zone.date_of(row.instant);
        for party in row.parties {
            book.add(&row.conversation, day, row.line, party, crowd);
        }
    }
    book.finish(opts, &mut harvest);
    harvest
}
