//! Important dates in the person view: birthday, anniversary and labelled
//! dates. The year, the day, or both may be left empty; what is typed stays
//! in a buffer until it is a real date.

use super::style;
use super::widgets::{add_button, in_days, remove_button};
use crate::model::{DateKind, ImportantDate, PartialDate};
use chrono::NaiveDate;
use egui::{Id, RichText, TextEdit, Ui};

/// Month names, January first.
const MONTHS: [&str; 12] = crate::model::MONTH_NAMES;

fn month_name(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i as usize))
        .copied()
        .unwrap_or("?")
}

/// One date as typed.
#[derive(Clone, Debug)]
struct DateRow {
    kind: DateKind,
    day: String,
    month: Option<u32>,
    year: String,
    /// The custom label is being typed.
    naming: bool,
}

impl DateRow {
    fn new(kind: DateKind) -> Self {
        Self {
            kind,
            day: String::new(),
            month: None,
            year: String::new(),
            naming: false,
        }
    }

    fn from_date(date: &ImportantDate) -> Self {
        Self {
            kind: date.kind.clone(),
            day: date.date.day.map(|d| d.to_string()).unwrap_or_default(),
            month: date.date.month,
            year: date.date.year.map(|y| y.to_string()).unwrap_or_default(),
            naming: false,
        }
    }

    /// What the row holds: nothing yet, a date, or why it is not one.
    fn parse(&self) -> Parsed {
        let (day_text, year_text) = (self.day.trim(), self.year.trim());
        if day_text.is_empty() && year_text.is_empty() && self.month.is_none() {
            return Parsed::Empty;
        }
        let day = if day_text.is_empty() {
            None
        } else {
            match day_text.parse::<u32>() {
                Ok(day) if (1..=31).contains(&day) => Some(day),
                _ => return Parsed::Error("The day is a number from 1 to 31.".into()),
            }
        };
        let year = if year_text.is_empty() {
            None
        } else {
            match year_text.parse::<i32>() {
                Ok(year) if year_text.len() == 4 && (1..=9999).contains(&year) => Some(year),
                _ => return Parsed::Error("The year has four digits, like 1980.".into()),
            }
        };
        let unnamed = matches!(&self.kind, DateKind::Custom(label) if label.trim().is_empty());
        match PartialDate::new(year, self.month, day) {
            Some(_) if unnamed => Parsed::Incomplete("Give this date a name.".into()),
            Some(date) => Parsed::Date(date),
            None => match (year, self.month, day) {
                (_, None, Some(_)) => Parsed::Incomplete("Pick the month of this day.".into()),
                (None, None, None) => Parsed::Incomplete("Enter a month or a year.".into()),
                (Some(year), Some(month), Some(day)) => {
                    Parsed::Error(format!("There is no {day} {} {year}.", month_name(month)))
                }
                (None, Some(month), Some(day)) => {
                    Parsed::Error(format!("There is no {day} {}.", month_name(month)))
                }
                _ => Parsed::Error("This is not a date.".into()),
            },
        }
    }

    /// The kind as saved (a custom label trimmed).
    fn saved_kind(&self) -> DateKind {
        match &self.kind {
            DateKind::Custom(label) => DateKind::Custom(label.trim().to_string()),
            other => other.clone(),
        }
    }
}

/// What a row holds.
enum Parsed {
    /// Nothing typed yet.
    Empty,
    /// A real date.
    Date(PartialDate),
    /// Not finished: a hint, not an error.
    Incomplete(String),
    /// An impossible or malformed date.
    Error(String),
}

/// The date rows being edited.
#[derive(Default)]
pub struct DateRows {
    rows: Vec<DateRow>,
    /// Put the cursor in this field on the next frame.
    focus: Option<Id>,
}

impl DateRows {
    /// Show these dates.
    pub fn load(&mut self, dates: &[ImportantDate]) {
        self.rows = dates.iter().map(DateRow::from_date).collect();
    }

    /// The dates the rows make, or None while one is not a date.
    fn dates(&self) -> Option<Vec<ImportantDate>> {
        let mut out = Vec::new();
        for row in &self.rows {
            match row.parse() {
                Parsed::Empty => {}
                Parsed::Date(date) => out.push(ImportantDate {
                    kind: row.saved_kind(),
                    date,
                }),
                Parsed::Incomplete(_) | Parsed::Error(_) => return None,
            }
        }
        Some(out)
    }

    /// True while the rows say something else than `saved` (being typed).
    pub fn is_typing(&self, saved: &[ImportantDate]) -> bool {
        self.dates().as_deref() != Some(saved)
    }
}

/// The important dates: a row each (kind, day, month, year), what they
/// mean today, and an inline note for one that is not a date yet. Writes
/// `dates` and returns true when they are all real dates again after a change.
pub fn dates_ui(
    ui: &mut Ui,
    rows: &mut DateRows,
    dates: &mut Vec<ImportantDate>,
    today: NaiveDate,
) -> bool {
    let mut changed = false;
    let mut remove = None;
    let focus = &mut rows.focus;
    for (index, row) in rows.rows.iter_mut().enumerate() {
        let parsed = row.parse();
        ui.horizontal(|ui| {
            changed |= kind_picker(ui, index, row, focus);
            let name = row.kind.label().trim().to_string();
            let name = if name.is_empty() { "Date".into() } else { name };
            let day_id = Id::unique(("date_day", index));
            let day = ui
                .add(
                    TextEdit::singleline(&mut row.day)
                        .id(day_id)
                        .hint_text("day")
                        .char_limit(2)
                        .align(egui::Align2::CENTER_CENTER)
                        .desired_width(style::DAY_WIDTH),
                )
                .accessible_name(format!("{name} day"));
            if *focus == Some(day_id) {
                day.request_focus();
                *focus = None;
            }
            changed |= day.lost_focus();
            let before = row.month;
            egui::ComboBox::from_id_salt(("date_month", index))
                .selected_text(row.month.map(month_name).unwrap_or("month"))
                .width(style::MONTH_WIDTH)
                .height(style::MENU_HEIGHT)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut row.month, None, "no month");
                    for (i, month) in MONTHS.iter().enumerate() {
                        ui.selectable_value(&mut row.month, Some(i as u32 + 1), *month);
                    }
                })
                .response
                .accessible_name(format!("{name} month"));
            changed |= row.month != before;
            let year = ui
                .add(
                    TextEdit::singleline(&mut row.year)
                        .hint_text("year")
                        .char_limit(4)
                        .align(egui::Align2::CENTER_CENTER)
                        .desired_width(style::YEAR_WIDTH),
                )
                .accessible_name(format!("{name} year"));
            changed |= year.lost_focus();
            if remove_button(ui, &format!("Remove {}", name.to_lowercase())).clicked() {
                remove = Some(index);
            }
            if let Parsed::Date(date) = &parsed {
                let meaning = describe(&row.kind, date, today);
                if !meaning.is_empty() {
                    ui.add(egui::Label::new(RichText::new(meaning).weak()).wrap());
                }
            }
        });
        match &parsed {
            Parsed::Error(message) => note(ui, message, style::error_color(ui)),
            Parsed::Incomplete(message) => note(ui, message, ui.visuals().weak_text_color()),
            Parsed::Empty | Parsed::Date(_) => {}
        }
    }
    if let Some(index) = remove {
        rows.rows.remove(index);
        changed = true;
    }
    if add_button(ui, "Add date").clicked() {
        // Birthday first, then anniversary, then a date to name.
        let has = |kind: &DateKind| rows.rows.iter().any(|r| &r.kind == kind);
        let kind = if !has(&DateKind::Birthday) {
            DateKind::Birthday
        } else if !has(&DateKind::Anniversary) {
            DateKind::Anniversary
        } else {
            DateKind::Custom(String::new())
        };
        let mut row = DateRow::new(kind);
        row.naming = matches!(row.kind, DateKind::Custom(_));
        rows.rows.push(row);
        let index = rows.rows.len() - 1;
        rows.focus = Some(if rows.rows[index].naming {
            kind_id(index)
        } else {
            Id::unique(("date_day", index))
        });
    }
    if changed && let Some(new) = rows.dates() {
        let differs = new != *dates;
        *dates = new;
        return differs;
    }
    false
}

/// A note under a row, aligned with its fields.
fn note(ui: &mut Ui, message: &str, color: egui::Color32) {
    ui.horizontal(|ui| {
        ui.add_space(style::CAPTION_WIDTH + ui.spacing().item_spacing.x);
        ui.label(RichText::new(message).color(color));
    });
}

fn kind_id(index: usize) -> Id {
    Id::unique(("date_kind_name", index))
}

/// The kind menu (Birthday, Anniversary, a named date), or the field for
/// the name while it is typed. True when the kind changed.
fn kind_picker(ui: &mut Ui, index: usize, row: &mut DateRow, focus: &mut Option<Id>) -> bool {
    let width = style::CAPTION_WIDTH;
    if row.naming
        && let DateKind::Custom(label) = &mut row.kind
    {
        let response = ui
            .add(
                TextEdit::singleline(label)
                    .id(kind_id(index))
                    .hint_text("e.g. Name day")
                    .desired_width(width),
            )
            .accessible_name("Date name");
        if *focus == Some(kind_id(index)) {
            response.request_focus();
            *focus = None;
        }
        if response.lost_focus() {
            row.naming = false;
            return true;
        }
        return false;
    }
    let before = row.kind.clone();
    let mut name_it = false;
    let shown = match row.kind.label().trim() {
        "" => "Unnamed date",
        label => label,
    }
    .to_string();
    egui::ComboBox::from_id_salt(("date_kind", index))
        .selected_text(shown)
        .width(width - ui.spacing().item_spacing.x)
        .truncate()
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut row.kind, DateKind::Birthday, "Birthday");
            ui.selectable_value(&mut row.kind, DateKind::Anniversary, "Anniversary");
            ui.separator();
            let custom = matches!(row.kind, DateKind::Custom(_));
            if ui.selectable_label(custom, "Other date…").clicked() {
                name_it = true;
            }
        })
        .response
        .accessible_name("Date kind");
    if name_it {
        if !matches!(row.kind, DateKind::Custom(_)) {
            row.kind = DateKind::Custom(String::new());
        }
        row.naming = true;
        *focus = Some(kind_id(index));
    }
    row.kind != before
}

/// What a date means today: "age 45 · turns 46 in 9 days", "18 years in 3
/// days", "tomorrow".
pub fn describe(kind: &DateKind, date: &PartialDate, today: NaiveDate) -> String {
    let exact = date.day.is_some() && date.month.is_some();
    let about = if exact { "" } else { "about " };
    let years_now = date.years_on(today);
    let next = date.next_on_or_after(today);
    // The years the next occurrence completes.
    let turns = next
        .zip(date.year)
        .map(|(next, year)| chrono::Datelike::year(&next) - year)
        .filter(|years| *years > 0);
    let years_text = |years: i32| match years {
        1 => "1 year".to_string(),
        _ => format!("{years} years"),
    };
    let mut parts = Vec::new();
    match kind {
        DateKind::Birthday => {
            if let Some(years) = years_now {
                parts.push(format!("age {about}{years}"));
            }
            if let Some(next) = next {
                let when = in_days((next - today).num_days());
                parts.push(match turns {
                    Some(years) => format!("turns {years} {when}"),
                    None => when,
                });
            }
        }
        _ => match (next, turns) {
            (Some(next), Some(years)) => {
                parts.push(format!(
                    "{} {}",
                    years_text(years),
                    in_days((next - today).num_days())
                ));
            }
            (Some(next), None) => parts.push(in_days((next - today).num_days())),
            (None, _) => {
                if let Some(years) = years_now.filter(|y| *y > 0) {
                    parts.push(format!("{about}{}", years_text(years)));
                }
            }
        },
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn row(day: &str, month: Option<u32>, year: &str) -> DateRow {
        DateRow {
            day: day.into(),
            month,
            year: year.into(),
            ..DateRow::new(DateKind::Birthday)
        }
    }

    #[test]
    fn rows_allow_an_unknown_year_or_day() {
        assert!(matches!(row("", None, "").parse(), Parsed::Empty));
        assert!(matches!(
            row("3", Some(12), "").parse(),
            Parsed::Date(d) if d == PartialDate::new(None, Some(12), Some(3)).unwrap()
        ));
        assert!(matches!(row("", Some(3), "2019").parse(), Parsed::Date(_)));
        assert!(matches!(row("", None, "2019").parse(), Parsed::Date(_)));
        assert!(matches!(row("29", Some(2), "").parse(), Parsed::Date(_)));
    }

    #[test]
    fn impossible_dates_are_errors_and_unfinished_ones_hints() {
        assert!(
            matches!(row("31", Some(4), "").parse(), Parsed::Error(m) if m == "There is no 31 April.")
        );
        assert!(matches!(
            row("29", Some(2), "2023").parse(),
            Parsed::Error(_)
        ));
        assert!(matches!(row("40", Some(1), "").parse(), Parsed::Error(_)));
        assert!(matches!(row("1", Some(1), "80").parse(), Parsed::Error(_)));
        assert!(matches!(row("3", None, "").parse(), Parsed::Incomplete(_)));
        let mut unnamed = row("3", Some(1), "");
        unnamed.kind = DateKind::Custom(" ".into());
        assert!(matches!(unnamed.parse(), Parsed::Incomplete(_)));
    }

    #[test]
    fn describes_age_and_the_next_occurrence() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let born = PartialDate::new(Some(1980), Some(12), Some(1)).unwrap();
        assert_eq!(
            describe(&DateKind::Birthday, &born, today),
            "age 45 · turns 46 in 9 days"
        );
        let yearless = PartialDate::new(None, Some(11), Some(23)).unwrap();
        assert_eq!(describe(&DateKind::Birthday, &yearless, today), "tomorrow");
        let wedding = PartialDate::new(Some(2010), Some(11), Some(22)).unwrap();
        assert_eq!(
            describe(&DateKind::Anniversary, &wedding, today),
            "16 years today"
        );
        let later = PartialDate::new(Some(2008), Some(12), Some(14)).unwrap();
        assert_eq!(
            describe(&DateKind::Anniversary, &later, today),
            "18 years in 22 days"
        );
        let started = PartialDate::new(Some(2019), Some(3), None).unwrap();
        assert_eq!(
            describe(&DateKind::Custom("Joined".into()), &started, today),
            "about 7 years"
        );
        let vague = PartialDate::new(Some(1980), None, None).unwrap();
        assert_eq!(describe(&DateKind::Birthday, &vague, today), "age about 46");
    }
}
