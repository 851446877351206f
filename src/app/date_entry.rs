//! Typed date entry: a text field that reads the dates people type
//! ("2026-11-20", "20.11.2026", "20/11/2026", "20 Nov 2026", "Nov 20",
//! "today", "yesterday"), says the date it read in words or why it is not a
//! date, with a calendar beside it (always six weeks, so nothing in it moves
//! when the month changes) and quick choices (today, yesterday, a week ago).
//!
//! The parser is pure ([`parse_date`], [`format_date`]); the widget keeps
//! what is typed in egui's memory under its id, so callers only hold the
//! date.

use super::style;
use crate::model::MONTH_NAMES;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use egui::{RichText, Sense, Ui};

/// Why typed text is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Nothing typed where a date is required.
    Empty,
    /// Not a way of writing a date that kith reads.
    Unrecognized,
    /// It reads as a date, but that day does not exist ("31 Feb").
    Impossible(String),
}

impl DateError {
    /// The message shown beside the field.
    pub fn message(&self) -> String {
        match self {
            DateError::Empty => "Type a date".into(),
            DateError::Unrecognized => {
                "Not a date: try 20 Nov 2026, 20.11.2026 or yesterday".into()
            }
            DateError::Impossible(why) => why.clone(),
        }
    }
}

/// Quick choices for a date in the past, as days from today.
pub const PAST_CHOICES: &[(&str, i64)] = &[("Today", 0), ("Yesterday", -1), ("A week ago", -7)];
/// Quick choices for a date ahead (a follow-up), as days from today.
pub const AHEAD_CHOICES: &[(&str, i64)] =
    &[("In a week", 7), ("In two weeks", 14), ("In a month", 30)];

/// Short month names, "Jan" to "Dec".
const SHORT_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The date as kith writes it in a field: "20 Nov 2026".
pub fn format_date(date: NaiveDate) -> String {
    format!(
        "{} {} {}",
        date.day(),
        SHORT_MONTHS[date.month0() as usize],
        date.year()
    )
}

/// The date in words with how far it is from today:
/// "Friday 20 November 2026, 2 days ago".
pub fn date_in_words(date: NaiveDate, today: NaiveDate) -> String {
    let days = (today - date).num_days();
    let relative = match days {
        0 => "today".to_string(),
        1 => "yesterday".to_string(),
        -1 => "tomorrow".to_string(),
        d if d > 1 => format!("{d} days ago"),
        d => format!("in {} days", -d),
    };
    format!(
        "{} {} {} {}, {relative}",
        weekday_name(date.weekday()),
        date.day(),
        MONTH_NAMES[date.month0() as usize],
        date.year()
    )
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// The month a word names: a full name or its first three letters or more
/// ("nov", "novem", "november", "sept").
fn month_of(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    MONTH_NAMES
        .iter()
        .position(|name| name.to_lowercase().starts_with(word))
        .map(|i| i as u32 + 1)
}

/// Whether a word names a day of the week ("fri", "friday"); ignored.
fn is_weekday(word: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    word.len() >= 3 && DAYS.iter().any(|d| d.starts_with(word))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|day| NaiveDate::from_ymd_opt(year, month, *day).is_some())
        .unwrap_or(28)
}

/// The date of `year`, `month`, `day`, or why there is none.
fn checked(year: i32, month: u32, day: u32) -> Result<NaiveDate, DateError> {
    if !(1..=12).contains(&month) {
        return Err(DateError::Impossible(format!(
            "There is no month {month}: months go from 1 to 12"
        )));
    }
    if !(1000..=9999).contains(&year) {
        return Err(DateError::Impossible(format!(
            "Write the year with four digits ({year} is out of range)"
        )));
    }
    let name = MONTH_NAMES[month as usize - 1];
    let last = days_in_month(year, month);
    if day == 0 || day > last {
        return Err(DateError::Impossible(format!(
            "No such date: {name} {year} has {last} days"
        )));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::Unrecognized)
}

/// A day and month with no year: the nearest such date to today (a year
/// back, this year or the next), so "Dec 30" typed on 2 January is last
/// December's.
fn nearest(month: u32, day: u32, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let year = today.year();
    let found = [year - 1, year, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - today).num_days().abs());
    match found {
        Some(date) => Ok(date),
        None => checked(year, month, day),
    }
}

/// A year as typed: four digits, or two (the nearest century that keeps it
/// no more than ten years ahead).
fn year_of(text: &str, today: NaiveDate) -> Option<i32> {
    let value: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(value),
        2 => {
            let this = today.year();
            let century = this - this.rem_euclid(100);
            let candidate = century + value;
            Some(if candidate > this + 10 {
                candidate - 100
            } else {
                candidate
            })
        }
        _ => None,
    }
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Read a typed date. `today` resolves "today", "yesterday" and dates
/// written without a year.
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let text = text.trim().to_lowercase();
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    match text.as_str() {
        "today" | "now" => return Ok(today),
        "yesterday" => return Ok(today - Duration::days(1)),
        "tomorrow" => return Ok(today + Duration::days(1)),
        "a week ago" => return Ok(today - Duration::days(7)),
        _ => {}
    }
    if text
        .bytes()
        .all(|b| b.is_ascii_digit() || b"-./".contains(&b))
    {
        return parse_numeric(&text, today);
    }
    parse_words(&text, today)
}

/// "2026-11-20", "20.11.2026", "20/11/2026", "20.11.26", "20.11." and
/// "11/20/2026" when the order can only be month first.
fn parse_numeric(text: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let separator = text
        .chars()
        .find(|c| "-./".contains(*c))
        .ok_or(DateError::Unrecognized)?;
    let parts: Vec<&str> = text
        .trim_end_matches(separator)
        .split(separator)
        .map(str::trim)
        .collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 => {
            let year = year_of(y, today).ok_or(DateError::Unrecognized)?;
            let month = number(m).ok_or(DateError::Unrecognized)?;
            let day = number(d).ok_or(DateError::Unrecognized)?;
            checked(year, month, day)
        }
        [a, b, y] if separator != '-' || y.len() == 4 => {
            let year = year_of(y, today).ok_or(DateError::Unrecognized)?;
            let (day, month) = day_month(a, b)?;
            checked(year, month, day)
        }
        [a, b] if separator != '-' => {
            let (day, month) = day_month(a, b)?;
            nearest(month, day, today)
        }
        _ => Err(DateError::Unrecognized),
    }
}

/// Day first, unless only month first makes sense ("11/20").
fn day_month(a: &str, b: &str) -> Result<(u32, u32), DateError> {
    let a = number(a)
        .filter(|_| a.len() <= 2)
        .ok_or(DateError::Unrecognized)?;
    let b = number(b)
        .filter(|_| b.len() <= 2)
        .ok_or(DateError::Unrecognized)?;
    if b > 12 && a <= 12 && b <= 31 {
        Ok((b, a))
    } else {
        Ok((a, b))
    }
}

/// "20 Nov 2026", "20 November", "Nov 20", "November 20, 2026",
/// "Fri 20 Nov 2026", "20th of November".
fn parse_words(text: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let mut month = None;
    let mut numbers: Vec<&str> = Vec::new();
    for word in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        let word = word.trim_end_matches('.');
        if word == "of" || is_weekday(word) && month_of(word).is_none() {
            continue;
        }
        let digits = word
            .strip_suffix("st")
            .or_else(|| word.strip_suffix("nd"))
            .or_else(|| word.strip_suffix("rd"))
            .or_else(|| word.strip_suffix("th"))
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or(word);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            numbers.push(digits);
        } else if let Some(m) = month_of(word).filter(|_| month.is_none()) {
            month = Some(m);
        } else {
            return Err(DateError::Unrecognized);
        }
    }
    let month = month.ok_or(DateError::Unrecognized)?;
    match numbers.as_slice() {
        [day] if day.len() <= 2 => nearest(month, number(day).unwrap_or(0), today),
        [day, year] if day.len() <= 2 && year.len() == 4 => {
            let year = year_of(year, today).ok_or(DateError::Unrecognized)?;
            checked(year, month, number(day).unwrap_or(0))
        }
        _ => Err(DateError::Unrecognized),
    }
}

/// What a date entry says after drawing.
pub struct DateEntryOutput {
    /// The date was changed: picked, chosen, or typed and the field left.
    pub changed: bool,
    /// Why the text in the field is not a date, while it is not one
    /// (callers keep Save disabled meanwhile).
    pub error: Option<String>,
}

/// What a date entry keeps between frames.
#[derive(Clone, Default)]
struct Memory {
    text: String,
    /// The date the text was last written from or read as.
    shown: Option<Option<NaiveDate>>,
    error: Option<DateError>,
    /// The month the calendar shows (year, month).
    month: Option<(i32, u32)>,
    /// The date when typing began (the change is told when it ends).
    before_edit: Option<Option<NaiveDate>>,
}

/// A typed date field with its calendar and quick choices.
pub struct DateEntry<'a> {
    id_salt: egui::Id,
    date: &'a mut Option<NaiveDate>,
    today: NaiveDate,
    optional: bool,
    label: Option<egui::Id>,
    choices: &'a [(&'a str, i64)],
}

impl<'a> DateEntry<'a> {
    /// An entry for `date`, which must be set; `id_salt` tells this entry
    /// from others (key it by person where it edits a person's date).
    pub fn new(
        id_salt: impl std::hash::Hash + std::fmt::Debug,
        date: &'a mut Option<NaiveDate>,
        today: NaiveDate,
    ) -> Self {
        Self {
            id_salt: egui::Id::unique(id_salt),
            date,
            today,
            optional: false,
            label: None,
            choices: PAST_CHOICES,
        }
    }

    /// An empty field is allowed and clears the date.
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Link the field to its caption (for screen readers and tests).
    pub fn labelled_by(mut self, label: egui::Id) -> Self {
        self.label = Some(label);
        self
    }

    /// The quick-choice buttons (name, days from today).
    pub fn choices(mut self, choices: &'a [(&'a str, i64)]) -> Self {
        self.choices = choices;
        self
    }

    /// Draw the entry.
    pub fn show(self, ui: &mut Ui) -> DateEntryOutput {
        let id = ui.make_persistent_id(self.id_salt);
        let field_id = id.with("field");
        let mut memory: Memory = ui.data(|d| d.get_temp(id)).unwrap_or_default();
        let focused = ui.memory(|m| m.has_focus(field_id));
        // Written again from the date whenever the date changed elsewhere.
        if !focused && memory.shown != Some(*self.date) {
            memory.text = self.date.map(format_date).unwrap_or_default();
            memory.shown = Some(*self.date);
            memory.error = None;
        }
        let mut changed = false;
        ui.horizontal_wrapped(|ui| {
            let mut field = ui.add(
                egui::TextEdit::singleline(&mut memory.text)
                    .id(field_id)
                    .hint_text(if self.optional { "none" } else { "date" })
                    .desired_width(style::DATE_FIELD_WIDTH),
            );
            if let Some(label) = self.label {
                field = field.labelled_by(label);
            }
            if field.changed() {
                match parse_date(&memory.text, self.today) {
                    Ok(date) => {
                        memory.error = None;
                        *self.date = Some(date);
                    }
                    Err(DateError::Empty) if self.optional => {
                        memory.error = None;
                        *self.date = None;
                    }
                    Err(error) => memory.error = Some(error),
                }
                memory.shown = Some(*self.date);
            }
            if field.gained_focus() {
                memory.before_edit = Some(*self.date);
            }
            // Typing is one change, told when it ends (not per keystroke).
            if field.lost_focus()
                && let Some(before) = memory.before_edit.take()
            {
                changed |= before != *self.date;
            }
            if field.lost_focus() && memory.error.is_none() {
                // Written the way kith writes dates once typing is done.
                memory.text = self.date.map(format_date).unwrap_or_default();
            }
            if let Some(picked) = calendar_button(ui, id, &mut memory, *self.date, self.today) {
                changed |= *self.date != Some(picked);
                *self.date = Some(picked);
            }
            for (name, days) in self.choices {
                let date = self.today + Duration::days(*days);
                let chosen = *self.date == Some(date) && memory.error.is_none();
                if ui
                    .selectable_label(chosen, *name)
                    .on_hover_text(format_date(date))
                    .clicked()
                {
                    changed |= *self.date != Some(date);
                    *self.date = Some(date);
                    memory.error = None;
                    memory.text = format_date(date);
                    memory.shown = Some(*self.date);
                }
            }
        });
        let field_focused = ui.memory(|m| m.has_focus(field_id));
        // What the field holds, in words, or why it is no date. An unknown
        // way of writing waits until typing stops; an impossible day shows
        // at once.
        match &memory.error {
            Some(error @ DateError::Impossible(_)) => {
                ui.label(RichText::new(error.message()).color(style::error_color(ui)));
            }
            Some(error) if !field_focused => {
                ui.label(RichText::new(error.message()).color(style::error_color(ui)));
            }
            Some(_) => {
                ui.weak("e.g. 20 Nov 2026, 20.11.2026, Nov 20, yesterday");
            }
            None => match *self.date {
                Some(date) => {
                    ui.weak(date_in_words(date, self.today));
                }
                // Always a line here, so nothing below moves when a date
                // is typed.
                None if field_focused => {
                    ui.weak("e.g. 20 Nov 2026, 20.11.2026, Nov 20, yesterday");
                }
                None => {
                    ui.weak("Not set");
                }
            },
        }
        let error = memory.error.as_ref().map(DateError::message);
        ui.data_mut(|d| d.insert_temp(id, memory));
        DateEntryOutput { changed, error }
    }
}

/// The calendar button and its popup; returns the day clicked.
fn calendar_button(
    ui: &mut Ui,
    id: egui::Id,
    memory: &mut Memory,
    date: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let size = egui::vec2(style::ICON_SIZE, style::ICON_SIZE) + ui.spacing().button_padding * 2.0;
    let (rect, button) = ui.allocate_exact_size(size, Sense::click());
    button.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, "Pick a date"));
    let button = button.on_hover_text("Pick a date");
    if ui.is_rect_visible(rect) {
        let visuals = ui.style().interact(&button);
        ui.painter()
            .rect_filled(rect, visuals.corner_radius, visuals.weak_bg_fill);
        paint_calendar_icon(
            ui,
            rect.shrink(ui.spacing().button_padding.y + 1.0),
            visuals.fg_stroke.color,
        );
    }
    let popup_id = id.with("calendar");
    if button.clicked() {
        let shown = date.unwrap_or(today);
        memory.month = Some((shown.year(), shown.month()));
    }
    let mut picked = None;
    if egui::Popup::is_id_open(ui.ctx(), popup_id) && ui.input(|i| i.key_pressed(egui::Key::Escape))
    {
        egui::Popup::close_id(ui.ctx(), popup_id);
    }
    egui::Popup::from_toggle_button_response(&button)
        .id(popup_id)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| {
            let (year, month) = memory
                .month
                .unwrap_or_else(|| (date.unwrap_or(today).year(), date.unwrap_or(today).month()));
            if let Some(day) = calendar_ui(ui, year, month, date, today, memory) {
                picked = Some(day);
            }
        });
    if picked.is_some() {
        egui::Popup::close_id(ui.ctx(), popup_id);
        memory.error = None;
        memory.text = picked.map(format_date).unwrap_or_default();
        memory.shown = Some(picked);
    }
    picked
}

/// One month as six full weeks (the same size for every month, so the
/// arrows and days never move under the pointer).
fn calendar_ui(
    ui: &mut Ui,
    year: i32,
    month: u32,
    selected: Option<NaiveDate>,
    today: NaiveDate,
    memory: &mut Memory,
) -> Option<NaiveDate> {
    let mut picked = None;
    let cell = egui::vec2(style::CALENDAR_CELL, style::CALENDAR_CELL);
    ui.spacing_mut().item_spacing = egui::vec2(style::CALENDAR_GAP, style::CALENDAR_GAP);
    let width = 7.0 * cell.x + 6.0 * style::CALENDAR_GAP;
    ui.set_width(width);
    ui.horizontal(|ui| {
        if ui
            .add_sized(cell, egui::Button::new("<"))
            .on_hover_text("Previous month")
            .clicked()
        {
            memory.month = Some(if month == 1 {
                (year - 1, 12)
            } else {
                (year, month - 1)
            });
        }
        let title = format!("{} {year}", MONTH_NAMES[month as usize - 1]);
        ui.add_sized(
            egui::vec2(width - 2.0 * (cell.x + style::CALENDAR_GAP), cell.y),
            egui::Label::new(RichText::new(title).strong()),
        );
        if ui
            .add_sized(cell, egui::Button::new(">"))
            .on_hover_text("Next month")
            .clicked()
        {
            memory.month = Some(if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            });
        }
    });
    ui.horizontal(|ui| {
        for name in ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"] {
            ui.add_sized(cell, egui::Label::new(RichText::new(name).weak()));
        }
    });
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(today);
    let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    for week in 0..6 {
        ui.horizontal(|ui| {
            for weekday in 0..7 {
                let day = start + Duration::days(week * 7 + weekday);
                let mut text = RichText::new(day.day().to_string());
                if day.month() != month {
                    text = text.weak();
                }
                if day == today {
                    text = text.strong().underline();
                }
                let button = egui::Button::selectable(selected == Some(day), text);
                let response = ui
                    .add_sized(cell, button)
                    .on_hover_text(date_in_words(day, today));
                if response.clicked() {
                    picked = Some(day);
                }
            }
        });
    }
    picked
}

/// A small calendar: a frame with a bar on top and two rings.
fn paint_calendar_icon(ui: &Ui, rect: egui::Rect, color: egui::Color32) {
    let painter = ui.painter();
    let stroke = egui::Stroke::new(style::CALENDAR_ICON_STROKE, color);
    let body = egui::Rect::from_min_max(rect.min + egui::vec2(0.0, rect.height() * 0.15), rect.max);
    painter.rect_stroke(
        body,
        style::CALENDAR_ICON_RADIUS,
        stroke,
        egui::StrokeKind::Inside,
    );
    let bar_y = body.min.y + body.height() * 0.3;
    painter.line_segment(
        [egui::pos2(body.min.x, bar_y), egui::pos2(body.max.x, bar_y)],
        stroke,
    );
    for x in [0.3, 0.7] {
        let x = rect.min.x + rect.width() * x;
        painter.line_segment(
            [egui::pos2(x, rect.min.y), egui::pos2(x, body.min.y + 2.0)],
            stroke,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn reads_every_documented_way_of_writing_a_date() {
        let want = d(2026, 11, 20);
        for text in [
            "2026-11-20",
            "20.11.2026",
            "20/11/2026",
            "20 Nov 2026",
            "20 november 2026",
            "Nov 20",
            "November 20, 2026",
            "Fri 20 Nov 2026",
            "Friday 20 November 2026",
            "20th of November",
            "20.11.",
            "20.11.26",
            "11/20/2026",
            " 20 NOV 2026 ",
        ] {
            assert_eq!(parse_date(text, today()), Ok(want), "{text}");
        }
        assert_eq!(parse_date("today", today()), Ok(today()));
        assert_eq!(parse_date("Yesterday", today()), Ok(d(2026, 11, 21)));
        assert_eq!(parse_date("tomorrow", today()), Ok(d(2026, 11, 23)));
    }

    #[test]
    fn impossible_dates_are_named_not_guessed() {
        for text in [
            "31 Feb",
            "31 Feb 2026",
            "2026-02-30",
            "30.02.2026",
            "29 Feb 2026",
            "32.1.2026",
        ] {
            match parse_date(text, today()) {
                Err(DateError::Impossible(why)) => assert!(why.contains("days"), "{text}: {why}"),
                other => panic!("{text}: {other:?}"),
            }
        }
        assert!(matches!(
            parse_date("2026-13-01", today()),
            Err(DateError::Impossible(_))
        ));
        assert_eq!(parse_date("29 Feb 2028", today()), Ok(d(2028, 2, 29)));
        assert_eq!(
            parse_date("next tuesday", today()),
            Err(DateError::Unrecognized)
        );
        assert_eq!(parse_date("", today()), Err(DateError::Empty));
        assert_eq!(parse_date("2026", today()), Err(DateError::Unrecognized));
    }

    #[test]
    fn a_date_without_a_year_is_the_nearest_one() {
        let new_year = d(2027, 1, 2);
        assert_eq!(parse_date("Dec 30", new_year), Ok(d(2026, 12, 30)));
        assert_eq!(parse_date("5 Jan", d(2026, 12, 20)), Ok(d(2027, 1, 5)));
    }

    #[test]
    fn words_say_the_day_and_how_far_it_is() {
        assert_eq!(
            date_in_words(d(2026, 11, 20), today()),
            "Friday 20 November 2026, 2 days ago"
        );
        assert_eq!(
            date_in_words(today(), today()),
            "Sunday 22 November 2026, today"
        );
        assert_eq!(format_date(d(2026, 1, 5)), "5 Jan 2026");
    }

    proptest! {
        #[test]
        fn formatted_dates_read_back(days in 0i64..(365 * 400), today_days in 0i64..(365 * 200)) {
            let date = d(1900, 1, 1) + Duration::days(days);
            let today = d(1900, 1, 1) + Duration::days(today_days);
            let words = date_in_words(date, today);
            let (words, _) = words.rsplit_once(", ").unwrap_or((&words, ""));
            for text in [
                format_date(date),
                date.format("%Y-%m-%d").to_string(),
                date.format("%d.%m.%Y").to_string(),
                date.format("%d/%m/%Y").to_string(),
                date.format("%B %e, %Y").to_string(),
                words.to_string(),
            ] {
                prop_assert_eq!(parse_date(&text, today), Ok(date), "{}", text);
            }
        }

        #[test]
        fn any_text_is_a_date_or_a_reason(text in ".{0,24}") {
            let _ = parse_date(&text, today());
        }

        #[test]
        fn a_day_and_month_read_within_a_year(days in 0i64..(365 * 3)) {
            let date = today() - Duration::days(365) + Duration::days(days);
            let text = format!("{} {}", date.day(), SHORT_MONTHS[date.month0() as usize]);
            let read = parse_date(&text, today());
            // Feb 29 may have no neighbour year; otherwise the same day and month, near today.
            if let Ok(read) = read {
                prop_assert_eq!((read.day(), read.month()), (date.day(), date.month()));
                prop_assert!((read - today()).num_days().abs() <= 366);
            } else {
                prop_assert_eq!((date.day(), date.month()), (29, 2));
            }
        }
    }
}
