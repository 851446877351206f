//! Event times and recurrence: `DTSTART`/`DTEND` with `TZID`, floating and
//! UTC forms, `RRULE`, `RDATE`, `EXDATE` and `RECURRENCE-ID` overrides,
//! expanded up to today.
//!
//! Rules are expanded in wall-clock time (RFC 5545 defines them in the
//! local time of `DTSTART`: a weekly 09:00 meeting in Berlin stays at 09:00
//! across the change to summer time), then each occurrence becomes an
//! instant through the calendar's [`ZoneTable`]. The expander is kith's own
//! (RFC 5545 3.3.10 with the `BYxxx` expand/limit table, as python-dateutil
//! reads it) so that it is bounded on any input: it walks periods only up to
//! a few days after today, keeps the last [`MAX_OCCURRENCES`] per series and
//! gives up after [`MAX_PERIODS`] periods or [`MAX_WORK`] candidates.

use super::ReadOptions;
use super::ics::{Component, Property};
use super::tz::ZoneTable;
use crate::exchange::Skipped;
use chrono::{
    DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike,
    Utc, Weekday,
};
use std::collections::{BTreeMap, VecDeque};

/// The most occurrences one series gives (more → a problem, the most recent kept).
pub const MAX_OCCURRENCES: usize = 5_000;
/// The most periods (years, months, weeks, days, hours…) one rule is walked
/// through before it is given up on.
pub const MAX_PERIODS: u64 = 500_000;
/// The most days and candidate instances one rule may look at in all (a
/// yearly rule with every hour, minute and second has 31 million a year).
pub const MAX_WORK: usize = 3_000_000;
/// The longest value quoted in a problem.
const QUOTE: usize = 60;

/// One occurrence of an event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence<'a> {
    /// The day it falls on in the user's zone (all-day and floating events:
    /// their own date).
    pub date: NaiveDate,
    /// Its recurrence id as a stable string: "" for an event that does not
    /// recur, else the occurrence's original start as a UTC instant
    /// `YYYYMMDDTHHMMSSZ` (zoned and UTC times), `YYYYMMDDTHHMMSS`
    /// (floating) or `YYYYMMDD` (all-day); the same form an override's
    /// `RECURRENCE-ID` is turned into.
    pub recurrence_id: String,
    /// The component whose properties apply: the master, or the override
    /// for this occurrence.
    pub event: &'a Component,
}

/// What [`expand`] found for one event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion<'a> {
    /// The occurrences up to and including today, by date.
    pub occurrences: Vec<Occurrence<'a>>,
    /// Some occurrence of the event lies after today (a single event next
    /// week, a series that goes on or starts later).
    pub future: bool,
}

/// Every occurrence of the event `uid` up to and including `opts.today`
/// (at most a few thousand per series), from its master `VEVENT` (the one
/// without `RECURRENCE-ID`, if any) and its overrides. Bad dates, rules and
/// unknown zones go to `problems` by line; an unknown zone reads as the
/// user's own zone.
pub fn occurrences<'a>(
    master: Option<&'a Component>,
    overrides: &[&'a Component],
    zones: &ZoneTable,
    opts: &ReadOptions,
    problems: &mut Vec<Skipped>,
) -> Vec<Occurrence<'a>> {
    expand(master, overrides, zones, opts, problems).occurrences
}

/// [`occurrences`], and whether anything of the event lies after today.
pub fn expand<'a>(
    master: Option<&'a Component>,
    overrides: &[&'a Component],
    zones: &ZoneTable,
    opts: &ReadOptions,
    problems: &mut Vec<Skipped>,
) -> Expansion<'a> {
    let mut cx = Context {
        zones,
        opts,
        problems,
        reported: Vec::new(),
    };
    let mut out = Expansion::default();
    // The series' instances by recurrence id (sorted, unique), each with
    // the component that applies.
    let mut instances: BTreeMap<Moment, &'a Component> = BTreeMap::new();
    let mut frame: Option<Frame> = None;
    let recurs = !overrides.is_empty()
        || master.is_some_and(|m| m.get("RRULE").is_some() || m.get("RDATE").is_some());

    if let Some(master) = master
        && let Some(start) = cx.start_of(master)
    {
        let series = cx.series(master, &start);
        out.future |= series.future;
        for moment in series.moments {
            instances.insert(moment, master);
        }
        frame = Some(start.frame);
    }

    for &event in overrides {
        let Some(rid) = event.get("RECURRENCE-ID") else {
            continue;
        };
        let Some(value) = cx.value_of(rid, "RECURRENCE-ID") else {
            continue;
        };
        // The override's original start in the series' frame (its own when
        // there is no master), so it names the instance it replaces.
        let own = value.frame(rid);
        let moment = cx.moment(frame.as_ref().unwrap_or(&own), &value, rid);
        instances.remove(&moment);
        let date = match event.get("DTSTART") {
            Some(start) => match cx.value_of(start, "DTSTART") {
                Some(v) => {
                    let own_frame = v.frame(start);
                    let own = cx.moment(&own_frame, &v, start);
                    cx.date_of(&own)
                }
                None => cx.date_of(&moment),
            },
            None => cx.date_of(&moment),
        };
        if date > opts.today {
            out.future = true;
            continue;
        }
        out.occurrences.push(Occurrence {
            date,
            recurrence_id: moment.id(),
            event,
        });
    }

    for (moment, event) in instances {
        let date = cx.date_of(&moment);
        if date > opts.today {
            out.future = true;
            continue;
        }
        out.occurrences.push(Occurrence {
            date,
            recurrence_id: if recurs { moment.id() } else { String::new() },
            event,
        });
    }
    out.occurrences
        .sort_by(|a, b| (a.date, &a.recurrence_id).cmp(&(b.date, &b.recurrence_id)));
    out
}

/// How a series' times are read.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Frame {
    /// All-day (`VALUE=DATE`): dates.
    Day,
    /// Floating: wall-clock times in whatever zone the user is in.
    Floating,
    /// UTC (`Z`).
    Utc,
    /// Wall-clock times in a named zone (`TZID=`).
    Zoned(String),
}

/// A point of a series in its frame; the recurrence id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Moment {
    /// A date (all-day events).
    Day(NaiveDate),
    /// A floating wall-clock time.
    Wall(NaiveDateTime),
    /// An instant.
    At(DateTime<Utc>),
}

impl Moment {
    /// The recurrence id string.
    fn id(&self) -> String {
        match self {
            Moment::Day(d) => d.format("%Y%m%d").to_string(),
            Moment::Wall(w) => w.format("%Y%m%dT%H%M%S").to_string(),
            Moment::At(i) => i.format("%Y%m%dT%H%M%SZ").to_string(),
        }
    }
}

/// A date or date-time value as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// `YYYYMMDD`.
    Date(NaiveDate),
    /// `YYYYMMDDTHHMMSS` (floating, or zoned with a `TZID` parameter).
    Local(NaiveDateTime),
    /// `YYYYMMDDTHHMMSSZ`.
    Utc(NaiveDateTime),
}

impl Value {
    /// Parse one date or date-time value (`20260105`, `20260105T090000`,
    /// `20260105T090000Z`; a leap second reads as :59).
    pub fn parse(text: &str) -> Option<Value> {
        let text = text.trim();
        let (body, utc) = match text.strip_suffix(['Z', 'z']) {
            Some(body) => (body, true),
            None => (text, false),
        };
        let (date, time) = match body.split_once(['T', 't']) {
            Some((d, t)) => (d, Some(t)),
            None => (body, None),
        };
        let date = parse_date(date)?;
        match time {
            // Google writes some all-day RDATEs as `20131210Z`.
            None => Some(Value::Date(date)),
            Some(time) => {
                if time.len() != 6 || !time.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                let n = |r: std::ops::Range<usize>| time.get(r).and_then(|s| s.parse::<u32>().ok());
                let second = n(4..6)?;
                let time = NaiveTime::from_hms_opt(n(0..2)?, n(2..4)?, second.min(59))?;
                let wall = date.and_time(time);
                Some(if utc {
                    Value::Utc(wall)
                } else {
                    Value::Local(wall)
                })
            }
        }
    }

    /// The wall-clock time it writes (a date at midnight).
    pub fn wall(self) -> NaiveDateTime {
        match self {
            Value::Date(d) => d.and_time(NaiveTime::MIN),
            Value::Local(w) | Value::Utc(w) => w,
        }
    }

    /// Its own frame, given the property's `TZID`.
    fn frame(self, property: &Property) -> Frame {
        match self {
            Value::Date(_) => Frame::Day,
            Value::Utc(_) => Frame::Utc,
            Value::Local(_) => match property.param("TZID") {
                Some(tzid) if !tzid.trim().is_empty() => Frame::Zoned(tzid.trim().to_string()),
                _ => Frame::Floating,
            },
        }
    }
}

/// `YYYYMMDD` with a 4-digit year.
fn parse_date(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok());
    NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(4..6)?, n(6..8)?)
}

/// The wall-clock time a date or date-time value writes, ignoring any `Z`
/// (the `DTSTART` of a `VTIMEZONE` observance, which is local).
pub fn parse_wall(text: &str) -> Option<NaiveDateTime> {
    Value::parse(text).map(Value::wall)
}

/// A series' start: its frame and the wall time rules are expanded from.
struct Start {
    frame: Frame,
    wall: NaiveDateTime,
}

/// The points of one series (before overrides).
struct Series {
    moments: Vec<Moment>,
    future: bool,
}

/// What reading one event needs.
struct Context<'z, 'p> {
    zones: &'z ZoneTable,
    opts: &'z ReadOptions,
    problems: &'p mut Vec<Skipped>,
    /// Unknown zones already reported.
    reported: Vec<String>,
}

impl Context<'_, '_> {
    fn problem(&mut self, line: usize, reason: String) {
        self.problems.push(Skipped { line, reason });
    }

    /// A date or date-time property's first value, or a problem.
    fn value_of(&mut self, property: &Property, what: &str) -> Option<Value> {
        let first = property.value.split(',').next().unwrap_or("");
        let value = Value::parse(first);
        if value.is_none() {
            self.problem(
                property.line,
                format!(
                    "invalid {what} '{}' on line {}",
                    quote(&property.value),
                    property.line
                ),
            );
        }
        value
    }

    /// The series start of `event`, or None (with a problem) when it has none.
    fn start_of(&mut self, event: &Component) -> Option<Start> {
        let Some(property) = event.get("DTSTART") else {
            self.problem(
                event.line,
                format!("no DTSTART in the event on line {}", event.line),
            );
            return None;
        };
        let value = self.value_of(property, "DTSTART")?;
        let frame = value.frame(property);
        if let Frame::Zoned(tzid) = &frame {
            self.check_zone(tzid, property.line);
        }
        Some(Start {
            frame,
            wall: value.wall(),
        })
    }

    /// Report an unknown zone once per event.
    fn check_zone(&mut self, tzid: &str, line: usize) {
        if !self.zones.knows(tzid) && !self.reported.iter().any(|t| t == tzid) {
            self.reported.push(tzid.to_string());
            self.problem(
                line,
                format!(
                    "unknown time zone '{}' on line {line}: its times are read in your own zone",
                    quote(tzid)
                ),
            );
        }
    }

    /// The instant of `wall` in `frame` (floating and dates: the user's zone).
    fn instant(&self, frame: &Frame, wall: NaiveDateTime) -> DateTime<Utc> {
        match frame {
            Frame::Utc => wall.and_utc(),
            Frame::Zoned(tzid) => self
                .zones
                .to_utc(tzid, wall)
                .unwrap_or_else(|| self.opts.zone.to_utc(wall)),
            Frame::Day | Frame::Floating => self.opts.zone.to_utc(wall),
        }
    }

    /// The wall time `instant` shows in `frame`.
    fn wall(&self, frame: &Frame, instant: DateTime<Utc>) -> NaiveDateTime {
        match frame {
            Frame::Utc => instant.naive_utc(),
            Frame::Zoned(tzid) => self
                .zones
                .to_wall(tzid, instant)
                .unwrap_or_else(|| self.opts.zone.to_wall(instant)),
            Frame::Day | Frame::Floating => self.opts.zone.to_wall(instant),
        }
    }

    /// The instant a value of `property` names, when it names one.
    fn value_instant(&mut self, value: &Value, property: &Property) -> Option<DateTime<Utc>> {
        match value {
            Value::Utc(w) => Some(w.and_utc()),
            Value::Date(_) => None,
            Value::Local(w) => match value.frame(property) {
                Frame::Zoned(tzid) => {
                    self.check_zone(&tzid, property.line);
                    Some(self.instant(&Frame::Zoned(tzid), *w))
                }
                _ => None,
            },
        }
    }

    /// `value` of `property` as a point in `frame`.
    fn moment(&mut self, frame: &Frame, value: &Value, property: &Property) -> Moment {
        if *frame == Frame::Day {
            // An all-day series' day as written (Outlook names it as local
            // midnight in its own zone), the same for every viewer.
            return Moment::Day(value.wall().date());
        }
        let instant = self.value_instant(value, property);
        match frame {
            Frame::Day => Moment::Day(value.wall().date()),
            Frame::Floating => Moment::Wall(match instant {
                Some(i) => self.opts.zone.to_wall(i),
                None => value.wall(),
            }),
            Frame::Utc | Frame::Zoned(_) => {
                Moment::At(instant.unwrap_or_else(|| self.instant(frame, value.wall())))
            }
        }
    }

    /// The day a point falls on for the user.
    fn date_of(&self, moment: &Moment) -> NaiveDate {
        match moment {
            Moment::Day(d) => *d,
            Moment::Wall(w) => w.date(),
            Moment::At(i) => self.opts.zone.date_of(*i),
        }
    }

    /// A wall time of the series as a point.
    fn point(&self, start: &Start, wall: NaiveDateTime) -> Moment {
        match &start.frame {
            Frame::Day => Moment::Day(wall.date()),
            Frame::Floating => Moment::Wall(wall),
            frame => Moment::At(self.instant(frame, wall)),
        }
    }

    /// DTSTART, the RRULE's instances and the RDATEs, less the EXDATEs, up
    /// to a few days after today (the caller drops those after today).
    fn series(&mut self, master: &Component, start: &Start) -> Series {
        let mut walls = vec![start.wall];
        let mut future = false;
        let mut capped: Option<usize> = None;
        let end = self
            .opts
            .today
            .checked_add_days(Days::new(3))
            .map_or(NaiveDateTime::MAX, |d| d.and_time(NaiveTime::MIN));
        let uid = master.get("UID").map_or("", |p| p.value.as_str());
        for property in master.all("RRULE") {
            let rule = match Rule::parse(&property.value) {
                Ok(rule) => rule,
                Err(why) => {
                    self.problem(
                        property.line,
                        format!(
                            "invalid RRULE '{}' on line {}: {why}; the event counts once",
                            quote(&property.value),
                            property.line
                        ),
                    );
                    continue;
                }
            };
            let rule = rule.until_in_wall(|utc| match start.frame {
                // A UTC UNTIL on an all-day series (Outlook: local midnight
                // of the last day in the organiser's zone) ends on the day
                // it is in zones from UTC-12 to UTC+12, for every viewer.
                Frame::Day => utc.checked_add_signed(TimeDelta::hours(12)).unwrap_or(utc),
                _ => self.wall(&start.frame, utc.and_utc()),
            });
            // Room for EXDATEs: the last MAX_OCCURRENCES are kept after them.
            let (found, stop) = rule.expand(start.wall, end, MAX_OCCURRENCES * 4);
            walls.extend(found);
            match stop {
                Stop::Window => future = true,
                Stop::Done => {}
                Stop::Cap => {
                    future = true;
                    capped = Some(property.line);
                }
                Stop::Periods => self.problem(
                    property.line,
                    format!(
                        "series '{}' on line {} stopped: its rule '{}' repeats too often to follow up to today",
                        quote(uid),
                        property.line,
                        quote(&property.value)
                    ),
                ),
            }
        }
        let mut moments: Vec<Moment> = walls.into_iter().map(|w| self.point(start, w)).collect();
        moments.sort();
        moments.dedup();

        for property in master.all("RDATE") {
            for text in property.value.split(',').take(MAX_OCCURRENCES) {
                // A PERIOD (start/end or start/duration) starts at its start.
                let text = text.split('/').next().unwrap_or(text);
                match Value::parse(text) {
                    Some(value) => {
                        let moment = self.moment(&start.frame, &value, property);
                        moments.push(moment);
                    }
                    None => self.problem(
                        property.line,
                        format!("invalid RDATE '{}' on line {}", quote(text), property.line),
                    ),
                }
            }
        }

        for property in master.all("EXDATE") {
            for text in property.value.split(',') {
                let Some(value) = Value::parse(text) else {
                    self.problem(
                        property.line,
                        format!("invalid EXDATE '{}' on line {}", quote(text), property.line),
                    );
                    continue;
                };
                match (value, &start.frame) {
                    // A date excludes that day's occurrence of a timed series.
                    (Value::Date(day), Frame::Floating | Frame::Utc | Frame::Zoned(_)) => {
                        let frame = start.frame.clone();
                        moments.retain(|m| self.day_in(&frame, m) != day);
                    }
                    _ => {
                        let gone = self.moment(&start.frame, &value, property);
                        moments.retain(|m| *m != gone);
                    }
                }
            }
        }
        moments.sort();
        moments.dedup();
        // Only what happened counts, and of that the most recent matter most
        // (last contact, follow-ups): the last MAX_OCCURRENCES up to today.
        let today = self.opts.today;
        let before = moments.len();
        moments.retain(|m| self.date_of(m) <= today);
        future |= moments.len() < before;
        if let Some(extra) = moments
            .len()
            .checked_sub(MAX_OCCURRENCES)
            .filter(|n| *n > 0)
        {
            moments.drain(..extra);
            capped = capped.or(Some(master.line));
        }
        if let Some(line) = capped {
            self.problem(
                line,
                format!(
                    "series '{}' on line {line} stopped after {MAX_OCCURRENCES} occurrences: the last {MAX_OCCURRENCES} up to today are read",
                    quote(uid)
                ),
            );
        }
        Series { moments, future }
    }

    /// The wall date of a point in `frame`.
    fn day_in(&self, frame: &Frame, moment: &Moment) -> NaiveDate {
        match moment {
            Moment::Day(d) => *d,
            Moment::Wall(w) => w.date(),
            Moment::At(i) => self.wall(frame, *i).date(),
        }
    }
}

/// `text` cut to a short, char-safe quote.
fn quote(text: &str) -> String {
    let mut out: String = text.chars().take(QUOTE).collect();
    if text.chars().nth(QUOTE).is_some() {
        out.push('…');
    }
    out
}

/// `FREQ`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Freq {
    /// `YEARLY`.
    Yearly,
    /// `MONTHLY`.
    Monthly,
    /// `WEEKLY`.
    Weekly,
    /// `DAILY`.
    Daily,
    /// `HOURLY`.
    Hourly,
    /// `MINUTELY`.
    Minutely,
    /// `SECONDLY`.
    Secondly,
}

/// `UNTIL` as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Until {
    /// A date: up to the end of that day.
    Day(NaiveDate),
    /// A wall-clock time (floating, or already converted from UTC).
    Wall(NaiveDateTime),
    /// A UTC time not yet put on the series' wall.
    Utc(NaiveDateTime),
}

/// Why [`Rule::expand`] stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// `COUNT` or `UNTIL` reached (or the rule gives no more).
    Done,
    /// The window's end reached: the series goes on after it.
    Window,
    /// More instances than asked for: the last ones were kept.
    Cap,
    /// [`MAX_PERIODS`] periods walked through.
    Periods,
}

/// A parsed `RRULE` (RFC 5545 3.3.10).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    freq: Freq,
    interval: u32,
    count: Option<u32>,
    until: Option<Until>,
    by_second: Vec<u32>,
    by_minute: Vec<u32>,
    by_hour: Vec<u32>,
    by_day: Vec<(Option<i32>, Weekday)>,
    by_month_day: Vec<i32>,
    by_year_day: Vec<i32>,
    by_week_no: Vec<i32>,
    by_month: Vec<u32>,
    by_set_pos: Vec<i32>,
    wkst: Weekday,
}

/// A comma list of integers in `range` (0 refused when `nonzero`).
fn int_list(value: &str, range: std::ops::RangeInclusive<i32>, nonzero: bool) -> Option<Vec<i32>> {
    let mut out = Vec::new();
    for part in value.split(',') {
        let n: i32 = part.trim().trim_start_matches('+').parse().ok()?;
        let abs_ok = if nonzero {
            n != 0 && range.contains(&n.abs())
        } else {
            range.contains(&n)
        };
        if !abs_ok {
            return None;
        }
        out.push(n);
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

/// `MO`…`SU`.
fn weekday(text: &str) -> Option<Weekday> {
    Some(match text.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

impl Rule {
    /// Parse an `RRULE` value (`FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE`), or
    /// say what is wrong with it.
    pub fn parse(text: &str) -> Result<Rule, String> {
        let mut rule = Rule {
            freq: Freq::Daily,
            interval: 1,
            count: None,
            until: None,
            by_second: Vec::new(),
            by_minute: Vec::new(),
            by_hour: Vec::new(),
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            wkst: Weekday::Mon,
        };
        let mut freq = None;
        let text = text.trim();
        let text = text.strip_prefix("RRULE:").unwrap_or(text);
        for part in text.split(';').filter(|p| !p.trim().is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("'{}' has no '='", quote(part)))?;
            let name = name.trim().to_ascii_uppercase();
            let value = value.trim();
            let bad = || format!("bad {name} '{}'", quote(value));
            let positive = |range| {
                int_list(value, range, false)
                    .map(|v| {
                        v.into_iter()
                            .filter_map(|n| u32::try_from(n).ok())
                            .collect()
                    })
                    .ok_or_else(bad)
            };
            match name.as_str() {
                "FREQ" => {
                    freq = Some(match value.to_ascii_uppercase().as_str() {
                        "YEARLY" => Freq::Yearly,
                        "MONTHLY" => Freq::Monthly,
                        "WEEKLY" => Freq::Weekly,
                        "DAILY" => Freq::Daily,
                        "HOURLY" => Freq::Hourly,
                        "MINUTELY" => Freq::Minutely,
                        "SECONDLY" => Freq::Secondly,
                        _ => return Err(bad()),
                    })
                }
                "INTERVAL" => {
                    rule.interval = value.parse().ok().filter(|n| *n > 0).ok_or_else(bad)?
                }
                "COUNT" => rule.count = Some(value.parse().ok().ok_or_else(bad)?),
                "UNTIL" => {
                    rule.until = Some(match Value::parse(value).ok_or_else(bad)? {
                        Value::Date(d) => Until::Day(d),
                        Value::Local(w) => Until::Wall(w),
                        Value::Utc(w) => Until::Utc(w),
                    })
                }
                "BYSECOND" => rule.by_second = positive(0..=60)?,
                "BYMINUTE" => rule.by_minute = positive(0..=59)?,
                "BYHOUR" => rule.by_hour = positive(0..=23)?,
                "BYMONTH" => rule.by_month = positive(1..=12)?,
                "BYMONTHDAY" => {
                    rule.by_month_day = int_list(value, 1..=31, true).ok_or_else(bad)?
                }
                "BYYEARDAY" => rule.by_year_day = int_list(value, 1..=366, true).ok_or_else(bad)?,
                "BYWEEKNO" => rule.by_week_no = int_list(value, 1..=53, true).ok_or_else(bad)?,
                "BYSETPOS" => rule.by_set_pos = int_list(value, 1..=366, true).ok_or_else(bad)?,
                "WKST" => rule.wkst = weekday(value).ok_or_else(bad)?,
                "BYDAY" => {
                    for day in value.split(',') {
                        let day = day.trim();
                        let split = day.len().saturating_sub(2);
                        let (ordinal, name) = day.split_at_checked(split).ok_or_else(bad)?;
                        let wd = weekday(name).ok_or_else(bad)?;
                        let ordinal = if ordinal.is_empty() {
                            None
                        } else {
                            let n: i32 = ordinal
                                .trim_start_matches('+')
                                .parse()
                                .ok()
                                .filter(|n: &i32| *n != 0 && n.abs() <= 53)
                                .ok_or_else(bad)?;
                            Some(n)
                        };
                        if !rule.by_day.contains(&(ordinal, wd)) {
                            rule.by_day.push((ordinal, wd));
                        }
                    }
                }
                // Extensions (X-NAME) and parts kith does not need.
                _ => {}
            }
        }
        rule.freq = freq.ok_or_else(|| "no FREQ".to_string())?;
        Ok(rule)
    }

    /// This rule with a UTC `UNTIL` put on the series' wall clock by `to_wall`.
    pub fn until_in_wall(mut self, to_wall: impl Fn(NaiveDateTime) -> NaiveDateTime) -> Rule {
        if let Some(Until::Utc(w)) = self.until {
            self.until = Some(Until::Wall(to_wall(w)));
        }
        self
    }

    /// The rule's instances from `start` (as wall-clock times), up to and
    /// including `end`, and why it stopped; when there are more than `cap`,
    /// the last `cap` (the most recent matter most). `start` itself is among
    /// them only when the rule gives it.
    pub fn expand(
        &self,
        start: NaiveDateTime,
        end: NaiveDateTime,
        cap: usize,
    ) -> (Vec<NaiveDateTime>, Stop) {
        let until = match self.until {
            None => None,
            Some(Until::Day(d)) => Some(
                d.and_hms_opt(23, 59, 59)
                    .unwrap_or(d.and_time(NaiveTime::MIN)),
            ),
            Some(Until::Wall(w) | Until::Utc(w)) => Some(w),
        };
        let limits = self.with_defaults(start);
        let mut found = VecDeque::new();
        let mut dropped = false;
        let mut left = self.count;
        if left == Some(0) || cap == 0 {
            return (Vec::new(), Stop::Done);
        }
        let mut period: u64 = 0;
        let mut work: usize = 0;
        let stop = 'periods: loop {
            if period >= MAX_PERIODS {
                break 'periods Stop::Periods;
            }
            let Some((first, days)) = limits.period(start, period) else {
                break 'periods Stop::Window;
            };
            if first > end {
                break 'periods Stop::Window;
            }
            if until.is_some_and(|u| first > u) {
                break 'periods Stop::Done;
            }
            let budget = MAX_WORK.saturating_sub(work);
            let Some(mut set) = limits.candidates(&days, first, budget) else {
                break 'periods Stop::Periods;
            };
            work = work
                .saturating_add(days.len().max(1))
                .saturating_add(set.len());
            if work >= MAX_WORK {
                break 'periods Stop::Periods;
            }
            if !limits.by_set_pos.is_empty() {
                set = pick(&set, &limits.by_set_pos);
            }
            for at in set {
                if at < start {
                    continue;
                }
                if until.is_some_and(|u| at > u) {
                    break 'periods Stop::Done;
                }
                if at > end {
                    break 'periods Stop::Window;
                }
                found.push_back(at);
                if found.len() > cap {
                    found.pop_front();
                    dropped = true;
                }
                if let Some(n) = left.as_mut() {
                    *n -= 1;
                    if *n == 0 {
                        break 'periods Stop::Done;
                    }
                }
            }
            period += 1;
        };
        let found = Vec::from(found);
        if dropped && stop != Stop::Periods {
            (found, Stop::Cap)
        } else {
            (found, stop)
        }
    }

    /// The rule with the parts `DTSTART` fills in (RFC 5545: a monthly rule
    /// without a day repeats on DTSTART's day, and so on).
    fn with_defaults(&self, start: NaiveDateTime) -> Rule {
        let mut rule = self.clone();
        if rule.by_week_no.is_empty()
            && rule.by_year_day.is_empty()
            && rule.by_month_day.is_empty()
            && rule.by_day.is_empty()
        {
            match rule.freq {
                Freq::Yearly => {
                    if rule.by_month.is_empty() {
                        rule.by_month = vec![start.month()];
                    }
                    rule.by_month_day = vec![i32::try_from(start.day()).unwrap_or(1)];
                }
                Freq::Monthly => rule.by_month_day = vec![i32::try_from(start.day()).unwrap_or(1)],
                Freq::Weekly => rule.by_day = vec![(None, start.weekday())],
                _ => {}
            }
        }
        if rule.by_hour.is_empty() && rule.freq < Freq::Hourly {
            rule.by_hour = vec![start.hour()];
        }
        if rule.by_minute.is_empty() && rule.freq < Freq::Minutely {
            rule.by_minute = vec![start.minute()];
        }
        if rule.by_second.is_empty() && rule.freq < Freq::Secondly {
            rule.by_second = vec![start.second()];
        }
        rule
    }

    /// Period `index` (counted in intervals from the one holding `start`):
    /// its first instant and its days.
    fn period(&self, start: NaiveDateTime, index: u64) -> Option<(NaiveDateTime, Vec<NaiveDate>)> {
        let steps = index.checked_mul(u64::from(self.interval))?;
        let day = start.date();
        match self.freq {
            Freq::Yearly => {
                let year = i64::from(day.year()).checked_add(i64::try_from(steps).ok()?)?;
                let year = i32::try_from(year).ok()?;
                let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
                let next = NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?;
                Some((
                    first.and_time(NaiveTime::MIN),
                    first.iter_days().take_while(|d| *d < next).collect(),
                ))
            }
            Freq::Monthly => {
                let first = day
                    .with_day(1)?
                    .checked_add_months(Months::new(u32::try_from(steps).ok()?))?;
                let next = first.checked_add_months(Months::new(1))?;
                Some((
                    first.and_time(NaiveTime::MIN),
                    first.iter_days().take_while(|d| *d < next).collect(),
                ))
            }
            Freq::Weekly => {
                let back = (7 + day.weekday().num_days_from_monday()
                    - self.wkst.num_days_from_monday())
                    % 7;
                let first = day
                    .checked_sub_days(Days::new(u64::from(back)))?
                    .checked_add_days(Days::new(steps.checked_mul(7)?))?;
                Some((
                    first.and_time(NaiveTime::MIN),
                    first.iter_days().take(7).collect(),
                ))
            }
            Freq::Daily => {
                let first = day.checked_add_days(Days::new(steps))?;
                Some((first.and_time(NaiveTime::MIN), vec![first]))
            }
            Freq::Hourly | Freq::Minutely | Freq::Secondly => {
                let (unit, base) = match self.freq {
                    Freq::Hourly => (3600, start.with_minute(0)?.with_second(0)?),
                    Freq::Minutely => (60, start.with_second(0)?),
                    _ => (1, start),
                };
                let seconds = i64::try_from(steps).ok()?.checked_mul(unit)?;
                let first = base.checked_add_signed(TimeDelta::try_seconds(seconds)?)?;
                Some((first, vec![first.date()]))
            }
        }
    }

    /// The period's instances (sorted, unique) before `BYSETPOS`, or None
    /// when there would be more than `budget`.
    fn candidates(
        &self,
        days: &[NaiveDate],
        first: NaiveDateTime,
        budget: usize,
    ) -> Option<Vec<NaiveDateTime>> {
        let times: Vec<NaiveTime> = match self.freq {
            Freq::Hourly | Freq::Minutely | Freq::Secondly => {
                let (h, m, s) = (first.hour(), first.minute(), first.second());
                if !self.by_hour.is_empty() && !self.by_hour.contains(&h) {
                    return Some(Vec::new());
                }
                let minutes = if self.freq == Freq::Hourly {
                    self.by_minute.clone()
                } else if self.by_minute.is_empty() || self.by_minute.contains(&m) {
                    vec![m]
                } else {
                    return Some(Vec::new());
                };
                let seconds = if self.freq == Freq::Secondly {
                    if self.by_second.is_empty() || self.by_second.contains(&s) {
                        vec![s]
                    } else {
                        return Some(Vec::new());
                    }
                } else {
                    self.by_second.clone()
                };
                product(&[h], &minutes, &seconds)
            }
            _ => product(&self.by_hour, &self.by_minute, &self.by_second),
        };
        let mut out = Vec::new();
        for day in days.iter().filter(|d| self.day_matches(**d)) {
            if out.len().saturating_add(times.len()) > budget {
                return None;
            }
            for time in &times {
                out.push(day.and_time(*time));
            }
        }
        out.sort();
        out.dedup();
        Some(out)
    }

    /// Whether `day` passes the day-level `BYxxx` parts.
    fn day_matches(&self, day: NaiveDate) -> bool {
        if !self.by_month.is_empty() && !self.by_month.contains(&day.month()) {
            return false;
        }
        if !self.by_month_day.is_empty() {
            let length = month_length(day);
            let d = i32::try_from(day.day()).unwrap_or(0);
            if !self
                .by_month_day
                .iter()
                .any(|&n| n == d || n == d - length - 1)
            {
                return false;
            }
        }
        if !self.by_year_day.is_empty() {
            let length = year_length(day.year());
            let d = i32::try_from(day.ordinal()).unwrap_or(0);
            if !self
                .by_year_day
                .iter()
                .any(|&n| n == d || n == d - length - 1)
            {
                return false;
            }
        }
        if !self.by_week_no.is_empty() && self.freq == Freq::Yearly && !self.week_matches(day) {
            return false;
        }
        if !self.by_day.is_empty() {
            // Ordinals count in the month (monthly, or yearly by month), else the year.
            let in_month = self.freq == Freq::Monthly
                || (self.freq == Freq::Yearly && !self.by_month.is_empty());
            let ordinal_scope = matches!(self.freq, Freq::Monthly | Freq::Yearly);
            let (index, length) = if in_month {
                (day.day(), u32::try_from(month_length(day)).unwrap_or(31))
            } else {
                (
                    day.ordinal(),
                    u32::try_from(year_length(day.year())).unwrap_or(366),
                )
            };
            let from_start = i32::try_from((index - 1) / 7 + 1).unwrap_or(0);
            let from_end = -i32::try_from((length - index) / 7 + 1).unwrap_or(0);
            let hit = self.by_day.iter().any(|(ordinal, wd)| {
                *wd == day.weekday()
                    && match ordinal {
                        Some(n) if ordinal_scope => *n == from_start || *n == from_end,
                        _ => true,
                    }
            });
            if !hit {
                return false;
            }
        }
        true
    }

    /// Whether `day` is in one of the `BYWEEKNO` weeks of its year (weeks
    /// start on `WKST`; week 1 is the first with at least four days of the year).
    fn week_matches(&self, day: NaiveDate) -> bool {
        let year = day.year();
        let (Some(this), Some(next)) = (self.week_one(year), self.week_one(year + 1)) else {
            return false;
        };
        let weeks_in = |from: NaiveDate, to: NaiveDate| {
            i32::try_from((to - from).num_days() / 7).unwrap_or(52)
        };
        let (number, total) = if day >= next {
            let Some(after) = self.week_one(year + 2) else {
                return false;
            };
            (1, weeks_in(next, after))
        } else if day < this {
            let Some(before) = self.week_one(year - 1) else {
                return false;
            };
            let total = weeks_in(before, this);
            (total, total)
        } else {
            (
                i32::try_from((day - this).num_days() / 7 + 1).unwrap_or(0),
                weeks_in(this, next),
            )
        };
        self.by_week_no
            .iter()
            .any(|&n| n == number || n == number - total - 1)
    }

    /// The first day of week 1 of `year`.
    fn week_one(&self, year: i32) -> Option<NaiveDate> {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let back =
            (7 + jan1.weekday().num_days_from_monday() - self.wkst.num_days_from_monday()) % 7;
        let start = jan1.checked_sub_days(Days::new(u64::from(back)))?;
        if 7 - back >= 4 {
            Some(start)
        } else {
            start.checked_add_days(Days::new(7))
        }
    }
}

/// Every time of the given hours, minutes and seconds, sorted.
fn product(hours: &[u32], minutes: &[u32], seconds: &[u32]) -> Vec<NaiveTime> {
    let mut out = Vec::new();
    for &h in hours {
        for &m in minutes {
            for &s in seconds {
                if let Some(t) = NaiveTime::from_hms_opt(h, m, s.min(59)) {
                    out.push(t);
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The `BYSETPOS` picks of a period's sorted set.
fn pick(set: &[NaiveDateTime], positions: &[i32]) -> Vec<NaiveDateTime> {
    let length = i64::try_from(set.len()).unwrap_or(0);
    let mut out: Vec<NaiveDateTime> = positions
        .iter()
        .filter_map(|&p| {
            let p = i64::from(p);
            let index = if p > 0 { p - 1 } else { length + p };
            usize::try_from(index)
                .ok()
                .and_then(|i| set.get(i))
                .copied()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Days in `day`'s month.
fn month_length(day: NaiveDate) -> i32 {
    let first = day.with_day(1);
    let next = first.and_then(|f| f.checked_add_months(Months::new(1)));
    match (first, next) {
        (Some(f), Some(n)) => i32::try_from((n - f).num_days()).unwrap_or(31),
        _ => 31,
    }
}

/// Days in `year`.
fn year_length(year: i32) -> i32 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    }
}

#[cfg(test)]
#[path = "recur_tests.rs"]
mod tests;
