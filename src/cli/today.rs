//! `kith today`: today's plan in a terminal (short text) or for scripts
//! (one JSON object). Reads the data folder without taking the write lock,
//! so it works while the app has the folder open.

use crate::insight::Insight;
use crate::insight::plan::{Plan, daily_plan, need_in_sentence, short_date};
use crate::storage;
use crate::storage::guard::escape_text;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

/// Parse `--date`: a calendar day written YYYY-MM-DD.
pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a date; write it as YYYY-MM-DD, like 2026-12-02"))
}

/// `kith today`: prints the plan for `date` (default: today) to `out`,
/// problems to `err`; returns the exit code (1, with no plan printed, when
/// some data files did not load: the plan would miss what they hold).
pub fn today(
    dir: &Path,
    date: Option<NaiveDate>,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<i32> {
    let loaded = storage::load_folder(dir)?;
    if !loaded.problems.is_empty() {
        for problem in &loaded.problems {
            writeln!(err, "error: {problem}")?;
        }
        writeln!(
            err,
            "error: {} data file(s) failed to load, so no plan was made (it would miss what they hold); run `kith check`",
            loaded.problems.len()
        )?;
        return Ok(1);
    }
    let today = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let model = &loaded.model;
    let mut insight = Insight::build(model);
    // Declined introductions come back after a year, counted from this day.
    insight.set_today(today);
    let plan = daily_plan(model, &insight, today);
    if json {
        serde_json::to_writer_pretty(&mut *out, &plan)?;
        writeln!(out)?;
    } else {
        write_text(&plan, today, out)?;
    }
    Ok(0)
}

/// Rows of a long section shown as text; `--json` lists them all.
pub const TEXT_ROWS: usize = 10;

/// "  …and 3 more (--json lists them all)" under a section cut at [`TEXT_ROWS`].
fn more(out: &mut dyn Write, total: usize) -> std::io::Result<()> {
    if total > TEXT_ROWS {
        writeln!(
            out,
            "  …and {} more (--json lists them all)",
            total - TEXT_ROWS
        )?;
    }
    Ok(())
}

/// The plan as short text: one heading per section that has something,
/// with its count, then one line per item (at most [`TEXT_ROWS`]).
pub fn write_text(plan: &Plan, today: NaiveDate, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "Plan for {}", today.format("%A %-d %B %Y"))?;
    if plan.is_empty() {
        writeln!(
            out,
            "Your plan is empty: nothing due, no dates coming up, nobody to get back to."
        )?;
        return Ok(());
    }
    let name = |text: &str| escape_text(text);
    if !plan.follow_ups.is_empty() {
        writeln!(out, "\nFollow-ups ({})", plan.follow_ups.len())?;
        for item in plan.follow_ups.iter().take(TEXT_ROWS) {
            let people: Vec<String> = item.people.iter().map(|p| name(&p.name)).collect();
            writeln!(
                out,
                "  {}: {}",
                if people.is_empty() {
                    "someone in the trash".to_string()
                } else {
                    people.join(", ")
                },
                item.reason
            )?;
        }
        more(out, plan.follow_ups.len())?;
    }
    if !plan.dates.is_empty() {
        writeln!(out, "\nComing up ({})", plan.dates.len())?;
        for item in plan.dates.iter().take(TEXT_ROWS) {
            writeln!(
                out,
                "  {} {}: {}",
                short_date(item.date, today),
                name(&item.name),
                escape_text(&item.reason)
            )?;
        }
        more(out, plan.dates.len())?;
    }
    if !plan.re_engage.is_empty() {
        writeln!(out, "\nRe-engage ({})", plan.re_engage.len())?;
        for item in &plan.re_engage {
            writeln!(out, "  {}: {}", name(&item.name), item.reason)?;
        }
    }
    if !plan.introductions.is_empty() {
        writeln!(out, "\nIntroductions ({})", plan.introductions.len())?;
        for item in &plan.introductions {
            writeln!(
                out,
                "  {} and {}: {}",
                name(&item.a.name),
                name(&item.b.name),
                escape_text(&item.reason)
            )?;
        }
    }
    if !plan.can_help.is_empty() {
        writeln!(out, "\nWays to give ({})", plan.can_help.len())?;
        for item in &plan.can_help {
            let helper = match &item.helper {
                Some(helper) => format!("{} could help", name(&helper.name)),
                None => "you can help".to_string(),
            };
            writeln!(
                out,
                "  {} needs {}: {helper} ({})",
                name(&item.name),
                escape_text(&need_in_sentence(&item.need)),
                escape_text(&item.reason)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            parse_day("2026-12-02"),
            Ok(NaiveDate::from_ymd_opt(2026, 12, 2).unwrap())
        );
        for bad in ["2026-13-01", "2026-02-30", "tomorrow", "02/12/2026", ""] {
            let why = parse_day(bad).unwrap_err();
            assert!(why.contains("YYYY-MM-DD"), "{why}");
        }
    }

    #[test]
    fn long_sections_are_cut_with_a_count() {
        use crate::insight::plan::{PlanFollowUp, PlanPerson};
        use crate::model::{InteractionId, PersonId};
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let item = |n: u128| PlanFollowUp {
            interaction: InteractionId(uuid::Uuid::from_u128(n)),
            people: vec![PlanPerson {
                id: PersonId(uuid::Uuid::from_u128(n)),
                name: format!("Person {n}"),
            }],
            due: today,
            overdue: false,
            reason: "after call on 1 Dec, due today".into(),
        };
        let plan = Plan {
            follow_ups: (1..=13).map(item).collect(),
            ..Plan::default()
        };
        let mut out = Vec::new();
        write_text(&plan, today, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\nFollow-ups (13)\n"), "{text}");
        assert!(text.contains("  Person 10: "), "{text}");
        assert!(!text.contains("Person 11"), "{text}");
        assert!(
            text.ends_with("  …and 3 more (--json lists them all)\n"),
            "{text}"
        );
    }

    #[test]
    fn an_empty_plan_is_one_line_under_the_heading() {
        let mut out = Vec::new();
        write_text(
            &Plan::default(),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            &mut out,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.starts_with("Plan for Wednesday 2 December 2026\n"));
    }
}
