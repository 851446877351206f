//! Time zones for calendar and mail imports: the user's zone, IANA names,
//! Windows names (Outlook), and the `VTIMEZONE` definitions a calendar carries.

use super::ics::Component;
use super::recur;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use std::sync::OnceLock;

/// The zone whose days interactions are dated in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Zone {
    /// UTC.
    Utc,
    /// An IANA zone.
    Named(chrono_tz::Tz),
    /// The system's zone (chrono's `Local`, which honours `TZ`).
    System,
}

impl Zone {
    /// The system's zone.
    pub fn system() -> Zone {
        Zone::System
    }

    /// The IANA zone of this name.
    pub fn named(name: &str) -> Option<Zone> {
        name.parse::<chrono_tz::Tz>().ok().map(Zone::Named)
    }

    /// The day `instant` falls on in this zone.
    pub fn date_of(&self, instant: DateTime<Utc>) -> NaiveDate {
        self.to_wall(instant).date()
    }

    /// The wall-clock time `instant` shows in this zone.
    pub fn to_wall(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        match self {
            Zone::Utc => instant.naive_utc(),
            Zone::Named(tz) => instant.with_timezone(tz).naive_local(),
            Zone::System => instant.with_timezone(&chrono::Local).naive_local(),
        }
    }

    /// The instant of wall-clock time `wall` in this zone (a floating time
    /// read as the user's): the earlier one when the clock went back and
    /// `wall` happened twice, and when the clock jumped over `wall`, the
    /// offset from before the jump (02:30 on the spring-forward night reads as
    /// 03:30 summer time), as RFC 5545 asks.
    pub fn to_utc(&self, wall: NaiveDateTime) -> DateTime<Utc> {
        match self {
            Zone::Utc => wall.and_utc(),
            Zone::Named(tz) => local_to_utc(tz, wall),
            Zone::System => local_to_utc(&chrono::Local, wall),
        }
    }
}

/// `wall` in `tz`: earliest on ambiguity, the offset before a gap in a gap.
fn local_to_utc<T: TimeZone>(tz: &T, wall: NaiveDateTime) -> DateTime<Utc> {
    if let Some(instant) = tz.from_local_datetime(&wall).earliest() {
        return instant.with_timezone(&Utc);
    }
    // In a gap: a day earlier is before the jump (no zone jumps twice a day).
    let before = wall.checked_sub_signed(TimeDelta::days(1)).unwrap_or(wall);
    let offset = tz.offset_from_utc_datetime(&before).fix().local_minus_utc();
    shift(wall, -i64::from(offset)).and_utc()
}

/// `wall` moved by `seconds`, or `wall` itself at the ends of time.
fn shift(wall: NaiveDateTime, seconds: i64) -> NaiveDateTime {
    wall.checked_add_signed(TimeDelta::seconds(seconds))
        .unwrap_or(wall)
}

/// The IANA zone a `TZID` names, also behind the prefixes some exporters put
/// before it (`/mozilla.org/20050126_1/Europe/Berlin`,
/// `/softwarestudio.org/Olson_20011030_5/America/New_York`,
/// `/freeassociation.sourceforge.net/Tzfile/Europe/Ljubljana`), or the one
/// a Windows zone name maps to (CLDR `windowsZones`: "W. Europe Standard
/// Time" → Europe/Berlin, and Outlook's display names such as "(UTC+01:00)
/// Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"). A bare
/// "(UTC+05:00)" becomes that fixed offset (`Etc/GMT-5`).
pub fn resolve_name(tzid: &str) -> Option<Tz> {
    let name = tzid.trim().trim_matches('"').trim();
    if name.is_empty() || name.len() > 200 {
        return None;
    }
    if let Ok(tz) = name.parse::<Tz>() {
        return Some(tz);
    }
    if let Some(rest) = name.strip_prefix('/') {
        // The longest tail of the path that is a zone name.
        let mut tail = rest;
        loop {
            let tail_name = tail.strip_prefix("SystemV/").unwrap_or(tail);
            if let Ok(tz) = tail_name.parse::<Tz>() {
                return Some(tz);
            }
            match tail.split_once('/') {
                Some((_, next)) => tail = next,
                None => break,
            }
        }
        return None;
    }
    if let Some(tz) = windows_zone(name) {
        return Some(tz);
    }
    // "(UTC+01:00) Amsterdam, Berlin, …", "(GMT-05:00) Eastern Time (US & Canada)".
    let (offset, display) = name.strip_prefix('(')?.split_once(')')?;
    let display = display.trim();
    if !display.is_empty()
        && let Some(tz) = windows_zone(display)
    {
        return Some(tz);
    }
    fixed_offset_zone(offset)
}

/// A Windows zone name or Outlook display name, exactly or ignoring case.
fn windows_zone(name: &str) -> Option<Tz> {
    if let Ok(at) = WINDOWS_ZONES.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes())) {
        return WINDOWS_ZONES.get(at).map(|(_, tz)| *tz);
    }
    WINDOWS_ZONES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, tz)| *tz)
}

/// `UTC+01:00`, `GMT -05.00`, `UTC` → the `Etc/GMT∓h` zone (whole hours only).
fn fixed_offset_zone(text: &str) -> Option<Tz> {
    let text = text.trim();
    let upper = text.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))?
        .trim();
    if rest.is_empty() {
        return Some(Tz::Etc__GMT);
    }
    let (sign, digits) = match rest.split_at_checked(1)? {
        ("+", d) => (1, d.trim()),
        ("-", d) => (-1, d.trim()),
        _ => return None,
    };
    let (hours, minutes) = match digits.split_once([':', '.']) {
        Some((h, m)) => (h, m),
        None => (digits, "00"),
    };
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    if minutes != 0 || !(0..=14).contains(&hours) {
        return None;
    }
    // Etc/GMT signs are POSIX: Etc/GMT-5 is five hours east of UTC.
    let name = match sign * hours {
        0 => "Etc/GMT".to_string(),
        h if h > 0 => format!("Etc/GMT-{h}"),
        h => format!("Etc/GMT+{}", -h),
    };
    name.parse().ok()
}

/// The most transitions kept from one `STANDARD`/`DAYLIGHT` rule.
const MAX_TRANSITIONS: usize = 1_000;
/// The most `VTIMEZONE`s one calendar may define.
const MAX_ZONES: usize = 1_000;
/// Observances are expanded up to this year (events after it are the future).
const LAST_YEAR: i32 = 2200;

/// A change of offset in a `VTIMEZONE`: at `utc` (seconds since 1970) the
/// offset goes from `from` to `to` (seconds east of UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Transition {
    utc: i64,
    from: i32,
    to: i32,
}

/// One `VTIMEZONE`, its transitions worked out the first time it is used.
#[derive(Clone, Debug, Default)]
struct Defined {
    tzid: String,
    component: Component,
    transitions: OnceLock<Vec<Transition>>,
}

/// The zones a calendar defines (`VTIMEZONE`) or names (IANA, Windows).
#[derive(Clone, Debug, Default)]
pub struct ZoneTable {
    defined: Vec<Defined>,
}

impl ZoneTable {
    /// The zones of one `VCALENDAR`.
    pub fn of_calendar(calendar: &Component) -> ZoneTable {
        ZoneTable {
            defined: calendar
                .children
                .iter()
                .filter(|c| c.name == "VTIMEZONE")
                .filter_map(|c| {
                    let tzid = c.get("TZID")?.value.trim().to_string();
                    Some(Defined {
                        tzid,
                        component: c.clone(),
                        transitions: OnceLock::new(),
                    })
                })
                .take(MAX_ZONES)
                .collect(),
        }
    }

    /// The instant of wall-clock time `wall` in zone `tzid`, or None when
    /// the zone is unknown. A `VTIMEZONE` of the calendar with that `TZID`
    /// wins (its `STANDARD`/`DAYLIGHT` rules give the offset in force at
    /// `wall`), then an IANA or Windows name ([`resolve_name`]). A `wall`
    /// that happened twice is the earlier instant; one the clock jumped over
    /// reads with the offset from before the jump.
    pub fn to_utc(&self, tzid: &str, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
        if let Some(transitions) = self.transitions(tzid) {
            return Some(defined_to_utc(transitions, wall));
        }
        resolve_name(tzid).map(|tz| local_to_utc(&tz, wall))
    }

    /// The wall-clock time `instant` shows in zone `tzid`, or None when the
    /// zone is unknown.
    pub fn to_wall(&self, tzid: &str, instant: DateTime<Utc>) -> Option<NaiveDateTime> {
        if let Some(transitions) = self.transitions(tzid) {
            let offset = offset_at(transitions, instant.timestamp());
            return Some(shift(instant.naive_utc(), i64::from(offset)));
        }
        resolve_name(tzid).map(|tz| instant.with_timezone(&tz).naive_local())
    }

    /// Whether `tzid` names a zone this calendar defines or kith knows.
    pub fn knows(&self, tzid: &str) -> bool {
        self.transitions(tzid).is_some() || resolve_name(tzid).is_some()
    }

    /// The transitions of the usable `VTIMEZONE` named `tzid`.
    fn transitions(&self, tzid: &str) -> Option<&[Transition]> {
        let tzid = tzid.trim();
        self.defined
            .iter()
            .filter(|d| d.tzid == tzid)
            .map(|d| d.transitions.get_or_init(|| transitions_of(&d.component)))
            .find(|t| !t.is_empty())
            .map(Vec::as_slice)
    }
}

/// Every transition a `VTIMEZONE` defines, sorted by instant.
fn transitions_of(zone: &Component) -> Vec<Transition> {
    let mut all = Vec::new();
    for observance in zone
        .children
        .iter()
        .filter(|c| c.name == "STANDARD" || c.name == "DAYLIGHT")
    {
        let Some(from) = observance
            .get("TZOFFSETFROM")
            .and_then(|p| parse_offset(&p.value))
        else {
            continue;
        };
        let Some(to) = observance
            .get("TZOFFSETTO")
            .and_then(|p| parse_offset(&p.value))
        else {
            continue;
        };
        let Some(start) = observance
            .get("DTSTART")
            .and_then(|p| recur::parse_wall(&p.value))
        else {
            continue;
        };
        let mut onsets = vec![start];
        let end = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31)
            .and_then(|d| d.and_hms_opt(23, 59, 59))
            .unwrap_or(NaiveDateTime::MAX);
        for rule in observance.all("RRULE") {
            if let Ok(rule) = recur::Rule::parse(&rule.value) {
                // UNTIL is UTC: on the wall it reads with the offset before the change.
                let rule = rule.until_in_wall(|utc| shift(utc, i64::from(from)));
                let (found, _) = rule.expand(start, end, MAX_TRANSITIONS);
                onsets.extend(found);
            }
        }
        for rdate in observance.all("RDATE") {
            for value in rdate.value.split(',') {
                let value = value.split('/').next().unwrap_or(value);
                if let Some(wall) = recur::parse_wall(value) {
                    // A UTC RDATE is already an instant; put it on the wall.
                    let wall = if value.trim().ends_with(['Z', 'z']) {
                        shift(wall, i64::from(from))
                    } else {
                        wall
                    };
                    onsets.push(wall);
                }
            }
        }
        onsets.truncate(MAX_TRANSITIONS * 2);
        all.extend(onsets.into_iter().map(|onset| Transition {
            utc: onset.and_utc().timestamp() - i64::from(from),
            from,
            to,
        }));
    }
    all.sort_by_key(|t| t.utc);
    all.dedup_by_key(|t| t.utc);
    all
}

/// `+0100`, `-0500`, `+053000` (also with a colon) as seconds east of UTC.
fn parse_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    let (sign, digits) = match text.split_at_checked(1)? {
        ("+", d) => (1, d),
        ("-", d) => (-1, d),
        _ => return None,
    };
    let digits: String = digits.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !matches!(digits.len(), 4 | 6) {
        return None;
    }
    let part = |range: std::ops::Range<usize>| -> Option<i32> { digits.get(range)?.parse().ok() };
    let hours = part(0..2)?;
    let minutes = part(2..4)?;
    let seconds = if digits.len() == 6 { part(4..6)? } else { 0 };
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60 + seconds))
}

/// The offset of the period `index` (0 = before the first transition).
fn period_offset(transitions: &[Transition], index: usize) -> i32 {
    match index.checked_sub(1) {
        None => transitions.first().map_or(0, |t| t.from),
        Some(i) => transitions.get(i).map_or(0, |t| t.to),
    }
}

/// The offset in force at `utc` seconds.
fn offset_at(transitions: &[Transition], utc: i64) -> i32 {
    period_offset(transitions, transitions.partition_point(|t| t.utc <= utc))
}

/// The instant of `wall` in a defined zone: earliest on ambiguity, the
/// offset before the change in a gap.
fn defined_to_utc(transitions: &[Transition], wall: NaiveDateTime) -> DateTime<Utc> {
    let w = wall.and_utc().timestamp();
    let at = transitions.partition_point(|t| t.utc <= w);
    let first = at.saturating_sub(2);
    let last = (at + 2).min(transitions.len());
    let mut best: Option<i64> = None;
    for period in first..=last {
        let instant = w - i64::from(period_offset(transitions, period));
        let starts = period
            .checked_sub(1)
            .and_then(|i| transitions.get(i))
            .is_none_or(|t| instant >= t.utc);
        let ends = transitions.get(period).is_none_or(|t| instant < t.utc);
        if starts && ends {
            best = Some(best.map_or(instant, |b| b.min(instant)));
        }
    }
    let instant = best.unwrap_or_else(|| {
        // In a gap: the offset from before the change.
        transitions
            .get(first..last)
            .unwrap_or_default()
            .iter()
            .find(|t| w - i64::from(t.from) >= t.utc && w - i64::from(t.to) < t.utc)
            .map_or(w - i64::from(period_offset(transitions, at)), |t| {
                w - i64::from(t.from)
            })
    });
    DateTime::from_timestamp(instant, 0).unwrap_or_else(|| wall.and_utc())
}

#[cfg(test)]
#[path = "tz_tests.rs"]
pub(crate) mod tests;

/// Windows zone names (CLDR `windowsZones.xml`, territory 001) and the
/// display names Outlook writes as `TZID`s, sorted by bytes for a binary
/// search. Taken from the table in calcard 0.3.14
/// (`src/common/timezone.rs`, Stalwart Labs, Apache-2.0 OR MIT).
static WINDOWS_ZONES: &[(&str, Tz)] = &[
    ("AUS Central", Tz::Australia__Darwin),
    ("AUS Central Standard Time", Tz::Australia__Darwin),
    ("AUS Eastern", Tz::Australia__Sydney),
    ("AUS Eastern Standard Time", Tz::Australia__Sydney),
    ("Abu Dhabi, Muscat", Tz::Asia__Muscat),
    ("Adelaide, Central Australia", Tz::Australia__Adelaide),
    ("Afghanistan", Tz::Asia__Kabul),
    ("Afghanistan Standard Time", Tz::Asia__Kabul),
    ("Alaska", Tz::America__Anchorage),
    ("Alaskan", Tz::America__Anchorage),
    ("Alaskan Standard Time", Tz::America__Anchorage),
    ("Aleutian Standard Time", Tz::America__Adak),
    ("Almaty, Novosibirsk, North Central Asia", Tz::Asia__Almaty),
    ("Altai Standard Time", Tz::Asia__Barnaul),
    (
        "Amsterdam, Berlin, Bern, Rom, Stockholm, Wien",
        Tz::Europe__Berlin,
    ),
    (
        "Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
        Tz::Europe__Berlin,
    ),
    ("Arab", Tz::Asia__Kuwait),
    ("Arab Standard Time", Tz::Asia__Riyadh),
    ("Arab, Kuwait, Riyadh", Tz::Asia__Kuwait),
    ("Arabian", Tz::Asia__Muscat),
    ("Arabian Standard Time", Tz::Asia__Dubai),
    ("Arabic", Tz::Asia__Baghdad),
    ("Arabic Standard Time", Tz::Asia__Baghdad),
    ("Argentina", Tz::America__Argentina__Buenos_Aires),
    ("Argentina Standard Time", Tz::America__Buenos_Aires),
    ("Arizona", Tz::America__Phoenix),
    ("Armenian", Tz::Asia__Yerevan),
    ("Astana, Dhaka", Tz::Asia__Dhaka),
    ("Astrakhan Standard Time", Tz::Europe__Astrakhan),
    ("Athens, Istanbul, Minsk", Tz::Europe__Athens),
    ("Atlantic", Tz::America__Halifax),
    ("Atlantic Standard Time", Tz::America__Halifax),
    ("Atlantic Time (Canada)", Tz::America__Halifax),
    ("Auckland, Wellington", Tz::Pacific__Auckland),
    ("Aus Central W. Standard Time", Tz::Australia__Eucla),
    ("Azerbaijan Standard Time", Tz::Asia__Baku),
    ("Azerbijan", Tz::Asia__Baku),
    ("Azores", Tz::Atlantic__Azores),
    ("Azores Standard Time", Tz::Atlantic__Azores),
    ("Baghdad", Tz::Asia__Baghdad),
    ("Bahia Standard Time", Tz::America__Bahia),
    ("Baku, Tbilisi, Yerevan", Tz::Asia__Baku),
    ("Bangkok, Hanoi, Jakarta", Tz::Asia__Bangkok),
    ("Bangladesh Standard Time", Tz::Asia__Dhaka),
    (
        "Beijing, Chongqing, Hong Kong SAR, Urumqi",
        Tz::Asia__Shanghai,
    ),
    ("Belarus Standard Time", Tz::Europe__Minsk),
    (
        "Belgrade, Pozsony, Budapest, Ljubljana, Prague",
        Tz::Europe__Prague,
    ),
    ("Bogota, Lima, Quito", Tz::America__Bogota),
    ("Bougainville Standard Time", Tz::Pacific__Bougainville),
    ("Brasilia", Tz::America__Sao_Paulo),
    ("Brisbane, East Australia", Tz::Australia__Brisbane),
    ("Brussels, Copenhagen, Madrid, Paris", Tz::Europe__Paris),
    ("Bucharest", Tz::Europe__Bucharest),
    ("Buenos Aires", Tz::America__Argentina__Buenos_Aires),
    ("Cairo", Tz::Africa__Cairo),
    ("Canada Central", Tz::America__Edmonton),
    ("Canada Central Standard Time", Tz::America__Regina),
    ("Canberra, Melbourne, Sydney", Tz::Australia__Sydney),
    ("Canberra, Melbourne, Sydney, Hobart", Tz::Australia__Sydney),
    ("Cape Verde", Tz::Atlantic__Cape_Verde),
    ("Cape Verde Is.", Tz::Atlantic__Cape_Verde),
    ("Cape Verde Standard Time", Tz::Atlantic__Cape_Verde),
    ("Caracas, La Paz", Tz::America__Caracas),
    ("Casablanca, Monrovia", Tz::Africa__Casablanca),
    ("Caucasus", Tz::Asia__Yerevan),
    ("Caucasus Standard Time", Tz::Asia__Yerevan),
    ("Cen. Australia", Tz::Australia__Adelaide),
    ("Cen. Australia Standard Time", Tz::Australia__Adelaide),
    ("Central", Tz::America__Chicago),
    ("Central America", Tz::America__Guatemala),
    ("Central America Standard Time", Tz::America__Guatemala),
    ("Central Asia", Tz::Asia__Dhaka),
    ("Central Asia Standard Time", Tz::Asia__Almaty),
    ("Central Brazilian", Tz::America__Manaus),
    ("Central Brazilian Standard Time", Tz::America__Cuiaba),
    ("Central Europe", Tz::Europe__Prague),
    ("Central Europe Standard Time", Tz::Europe__Budapest),
    ("Central European", Tz::Europe__Sarajevo),
    ("Central European Standard Time", Tz::Europe__Warsaw),
    ("Central Pacific", Tz::Asia__Magadan),
    ("Central Pacific Standard Time", Tz::Pacific__Guadalcanal),
    ("Central Standard Time", Tz::America__Chicago),
    ("Central Standard Time (Mexico)", Tz::America__Mexico_City),
    ("Central Time (US & Canada)", Tz::America__Chicago),
    ("Central Time (US and Canada)", Tz::America__Chicago),
    ("Chatham Islands Standard Time", Tz::Pacific__Chatham),
    ("China", Tz::Asia__Shanghai),
    ("China Standard Time", Tz::Asia__Shanghai),
    ("Cuba Standard Time", Tz::America__Havana),
    ("Darwin", Tz::Australia__Darwin),
    ("Dateline", Tz::Etc__GMTMinus12),
    ("Dateline Standard Time", Tz::Etc__GMTPlus12),
    ("E. Africa", Tz::Africa__Nairobi),
    ("E. Africa Standard Time", Tz::Africa__Nairobi),
    ("E. Australia", Tz::Australia__Brisbane),
    ("E. Australia Standard Time", Tz::Australia__Brisbane),
    ("E. Europe", Tz::Europe__Minsk),
    ("E. Europe Standard Time", Tz::Europe__Chisinau),
    ("E. South America", Tz::America__Belem),
    ("E. South America Standard Time", Tz::America__Sao_Paulo),
    ("East Africa, Nairobi", Tz::Africa__Nairobi),
    ("Easter Island Standard Time", Tz::Pacific__Easter),
    ("Eastern", Tz::America__New_York),
    ("Eastern Standard Time", Tz::America__New_York),
    ("Eastern Standard Time (Mexico)", Tz::America__Cancun),
    ("Eastern Time (US & Canada)", Tz::America__New_York),
    ("Eastern Time (US and Canada)", Tz::America__New_York),
    ("Egypt", Tz::Africa__Cairo),
    ("Egypt Standard Time", Tz::Africa__Cairo),
    ("Ekaterinburg", Tz::Asia__Yekaterinburg),
    ("Ekaterinburg Standard Time", Tz::Asia__Yekaterinburg),
    ("Eniwetok, Kwajalein, Dateline Time", Tz::Pacific__Kwajalein),
    ("FLE", Tz::Europe__Helsinki),
    ("FLE Standard Time", Tz::Europe__Kiev),
    ("Fiji", Tz::Pacific__Fiji),
    ("Fiji Islands, Kamchatka, Marshall Is.", Tz::Pacific__Fiji),
    ("Fiji Standard Time", Tz::Pacific__Fiji),
    ("GMT Standard Time", Tz::Europe__London),
    ("GTB", Tz::Europe__Athens),
    ("GTB Standard Time", Tz::Europe__Bucharest),
    ("Georgian", Tz::Asia__Tbilisi),
    ("Georgian Standard Time", Tz::Asia__Tbilisi),
    ("Greenland", Tz::America__Godthab),
    ("Greenland Standard Time", Tz::America__Godthab),
    ("Greenwich", Tz::Atlantic__Reykjavik),
    (
        "Greenwich Mean Time: Dublin, Edinburgh, Lisbon, London",
        Tz::Europe__Lisbon,
    ),
    (
        "Greenwich Mean Time; Dublin, Edinburgh, London",
        Tz::Europe__London,
    ),
    ("Greenwich Standard Time", Tz::Atlantic__Reykjavik),
    ("Guam, Port Moresby", Tz::Pacific__Guam),
    ("Haiti Standard Time", Tz::America__PortauPrince),
    ("Harare, Pretoria", Tz::Africa__Harare),
    ("Hawaii", Tz::Pacific__Honolulu),
    ("Hawaiian", Tz::Pacific__Honolulu),
    ("Hawaiian Standard Time", Tz::Pacific__Honolulu),
    ("Helsinki, Riga, Tallinn", Tz::Europe__Helsinki),
    ("Hobart, Tasmania", Tz::Australia__Hobart),
    ("India", Tz::Asia__Calcutta),
    ("India Standard Time", Tz::Asia__Calcutta),
    ("Indiana (East)", Tz::America__Indiana__Indianapolis),
    ("Iran", Tz::Asia__Tehran),
    ("Iran Standard Time", Tz::Asia__Tehran),
    ("Irkutsk, Ulaan Bataar", Tz::Asia__Irkutsk),
    ("Islamabad, Karachi, Tashkent", Tz::Asia__Karachi),
    ("Israel", Tz::Asia__Jerusalem),
    ("Israel Standard Time", Tz::Asia__Jerusalem),
    ("Israel, Jerusalem Standard Time", Tz::Asia__Jerusalem),
    ("Japan", Tz::Asia__Tokyo),
    ("Jordan", Tz::Asia__Amman),
    ("Jordan Standard Time", Tz::Asia__Amman),
    ("Kabul", Tz::Asia__Kabul),
    ("Kaliningrad Standard Time", Tz::Europe__Kaliningrad),
    ("Kathmandu, Nepal", Tz::Asia__Kathmandu),
    (
        "Kolkata, Chennai, Mumbai, New Delhi, India Standard Time",
        Tz::Asia__Calcutta,
    ),
    ("Korea", Tz::Asia__Seoul),
    ("Korea Standard Time", Tz::Asia__Seoul),
    ("Krasnoyarsk", Tz::Asia__Krasnoyarsk),
    ("Kuala Lumpur, Singapore", Tz::Asia__Singapore),
    ("Libya Standard Time", Tz::Africa__Tripoli),
    ("Line Islands Standard Time", Tz::Pacific__Kiritimati),
    ("Lord Howe Standard Time", Tz::Australia__Lord_Howe),
    ("Magadan Standard Time", Tz::Asia__Magadan),
    ("Magadan, Solomon Is., New Caledonia", Tz::Asia__Magadan),
    ("Magallanes Standard Time", Tz::America__Punta_Arenas),
    ("Marquesas Standard Time", Tz::Pacific__Marquesas),
    ("Mauritius", Tz::Indian__Mauritius),
    ("Mauritius Standard Time", Tz::Indian__Mauritius),
    ("Mexico", Tz::America__Mexico_City),
    ("Mexico City, Tegucigalpa", Tz::America__Mexico_City),
    ("Mexico Standard Time 2", Tz::America__Chihuahua),
    ("Mid-Atlantic", Tz::America__Noronha),
    ("Middle East", Tz::Asia__Beirut),
    ("Middle East Standard Time", Tz::Asia__Beirut),
    ("Midway Island, Samoa", Tz::Pacific__Midway),
    ("Montevideo", Tz::America__Montevideo),
    ("Montevideo Standard Time", Tz::America__Montevideo),
    ("Morocco", Tz::Africa__Casablanca),
    ("Morocco Standard Time", Tz::Africa__Casablanca),
    ("Moscow, St. Petersburg, Volgograd", Tz::Europe__Moscow),
    ("Mountain", Tz::America__Denver),
    ("Mountain Standard Time", Tz::America__Denver),
    ("Mountain Standard Time (Mexico)", Tz::America__Chihuahua),
    ("Mountain Time (US & Canada)", Tz::America__Denver),
    ("Mountain Time (US and Canada)", Tz::America__Denver),
    ("Myanmar", Tz::Asia__Rangoon),
    ("Myanmar Standard Time", Tz::Asia__Rangoon),
    ("N. Central Asia", Tz::Asia__Almaty),
    ("N. Central Asia Standard Time", Tz::Asia__Novosibirsk),
    ("Namibia", Tz::Africa__Windhoek),
    ("Namibia Standard Time", Tz::Africa__Windhoek),
    ("Nepal", Tz::Asia__Kathmandu),
    ("Nepal Standard Time", Tz::Asia__Katmandu),
    ("New Zealand", Tz::Pacific__Auckland),
    ("New Zealand Standard Time", Tz::Pacific__Auckland),
    ("Newfoundland", Tz::America__St_Johns),
    ("Newfoundland Standard Time", Tz::America__St_Johns),
    ("Norfolk Standard Time", Tz::Pacific__Norfolk),
    ("North Asia", Tz::Asia__Krasnoyarsk),
    ("North Asia East", Tz::Asia__Irkutsk),
    ("North Asia East Standard Time", Tz::Asia__Irkutsk),
    ("North Asia Standard Time", Tz::Asia__Krasnoyarsk),
    ("North Korea Standard Time", Tz::Asia__Pyongyang),
    ("Nuku'alofa, Tonga", Tz::Pacific__Tongatapu),
    ("Omsk Standard Time", Tz::Asia__Omsk),
    ("Osaka, Sapporo, Tokyo", Tz::Asia__Tokyo),
    ("Pacific", Tz::America__Los_Angeles),
    ("Pacific SA", Tz::America__Santiago),
    ("Pacific SA Standard Time", Tz::America__Santiago),
    ("Pacific Standard Time", Tz::America__Los_Angeles),
    ("Pacific Standard Time (Mexico)", Tz::America__Tijuana),
    ("Pacific Time (US & Canada)", Tz::America__Los_Angeles),
    (
        "Pacific Time (US & Canada); Tijuana",
        Tz::America__Los_Angeles,
    ),
    ("Pacific Time (US and Canada)", Tz::America__Los_Angeles),
    (
        "Pacific Time (US and Canada); Tijuana",
        Tz::America__Los_Angeles,
    ),
    ("Pakistan", Tz::Asia__Karachi),
    ("Pakistan Standard Time", Tz::Asia__Karachi),
    ("Paraguay Standard Time", Tz::America__Asuncion),
    ("Paris, Madrid, Brussels, Copenhagen", Tz::Europe__Paris),
    ("Perth, Western Australia", Tz::Australia__Perth),
    ("Prague, Central Europe", Tz::Europe__Prague),
    ("Qyzylorda Standard Time", Tz::Asia__Qyzylorda),
    ("Rangoon", Tz::Asia__Rangoon),
    ("Romance", Tz::Europe__Paris),
    ("Romance Standard Time", Tz::Europe__Paris),
    ("Russia Time Zone 10", Tz::Asia__Srednekolymsk),
    ("Russia Time Zone 11", Tz::Asia__Kamchatka),
    ("Russia Time Zone 3", Tz::Europe__Samara),
    ("Russian", Tz::Europe__Moscow),
    ("Russian Standard Time", Tz::Europe__Moscow),
    ("SA Eastern", Tz::America__Belem),
    ("SA Eastern Standard Time", Tz::America__Cayenne),
    ("SA Pacific", Tz::America__Bogota),
    ("SA Pacific Standard Time", Tz::America__Bogota),
    ("SA Western", Tz::America__La_Paz),
    ("SA Western Standard Time", Tz::America__La_Paz),
    ("SE Asia", Tz::Asia__Bangkok),
    ("SE Asia Standard Time", Tz::Asia__Bangkok),
    ("Saint Pierre Standard Time", Tz::America__Miquelon),
    ("Sakhalin Standard Time", Tz::Asia__Sakhalin),
    ("Samoa", Tz::Pacific__Apia),
    ("Samoa Standard Time", Tz::Pacific__Apia),
    ("Santiago", Tz::America__Santiago),
    ("Sao Tome Standard Time", Tz::Africa__Sao_Tome),
    (
        "Sarajevo, Skopje, Sofija, Vilnius, Warsaw, Zagreb",
        Tz::Europe__Sarajevo,
    ),
    ("Saratov Standard Time", Tz::Europe__Saratov),
    ("Saskatchewan", Tz::America__Edmonton),
    ("Seoul, Korea Standard time", Tz::Asia__Seoul),
    ("Singapore", Tz::Asia__Singapore),
    ("Singapore Standard Time", Tz::Asia__Singapore),
    ("South Africa", Tz::Africa__Harare),
    ("South Africa Standard Time", Tz::Africa__Johannesburg),
    ("Sri Jayawardenepura, Sri Lanka", Tz::Asia__Colombo),
    ("Sri Lanka", Tz::Asia__Colombo),
    ("Sri Lanka Standard Time", Tz::Asia__Colombo),
    ("Sudan Standard Time", Tz::Africa__Khartoum),
    ("Syria Standard Time", Tz::Asia__Damascus),
    ("Taipei", Tz::Asia__Taipei),
    ("Taipei Standard Time", Tz::Asia__Taipei),
    ("Tasmania", Tz::Australia__Hobart),
    ("Tasmania Standard Time", Tz::Australia__Hobart),
    ("Tehran", Tz::Asia__Tehran),
    ("Tocantins Standard Time", Tz::America__Araguaina),
    ("Tokyo", Tz::Asia__Tokyo),
    ("Tokyo Standard Time", Tz::Asia__Tokyo),
    ("Tomsk Standard Time", Tz::Asia__Tomsk),
    ("Tonga", Tz::Pacific__Tongatapu),
    ("Tonga Standard Time", Tz::Pacific__Tongatapu),
    ("Transbaikal Standard Time", Tz::Asia__Chita),
    ("Turkey Standard Time", Tz::Europe__Istanbul),
    ("Turks And Caicos Standard Time", Tz::America__Grand_Turk),
    ("US Eastern", Tz::America__Indiana__Indianapolis),
    ("US Eastern Standard Time", Tz::America__Indianapolis),
    ("US Mountain", Tz::America__Phoenix),
    ("US Mountain Standard Time", Tz::America__Phoenix),
    ("UTC", Tz::Etc__GMT),
    ("UTC+12", Tz::Etc__GMTMinus12),
    ("UTC+13", Tz::Etc__GMTMinus13),
    ("UTC-02", Tz::Etc__GMTPlus2),
    ("UTC-08", Tz::Etc__GMTPlus8),
    ("UTC-09", Tz::Etc__GMTPlus9),
    ("UTC-11", Tz::Etc__GMTPlus11),
    ("Ulaanbaatar Standard Time", Tz::Asia__Ulaanbaatar),
    ("Universal Coordinated Time", Tz::UTC),
    ("Venezuela", Tz::America__Caracas),
    ("Venezuela Standard Time", Tz::America__Caracas),
    ("Vladivostok", Tz::Asia__Vladivostok),
    ("Vladivostok Standard Time", Tz::Asia__Vladivostok),
    ("Volgograd Standard Time", Tz::Europe__Volgograd),
    ("W. Australia", Tz::Australia__Perth),
    ("W. Australia Standard Time", Tz::Australia__Perth),
    ("W. Central Africa", Tz::Africa__Lagos),
    ("W. Central Africa Standard Time", Tz::Africa__Lagos),
    ("W. Europe", Tz::Europe__Amsterdam),
    ("W. Europe Standard Time", Tz::Europe__Berlin),
    ("W. Mongolia Standard Time", Tz::Asia__Hovd),
    ("West Asia", Tz::Asia__Tashkent),
    ("West Asia Standard Time", Tz::Asia__Tashkent),
    ("West Bank Standard Time", Tz::Asia__Hebron),
    ("West Central Africa", Tz::Africa__Luanda),
    ("West Pacific", Tz::Pacific__Guam),
    ("West Pacific Standard Time", Tz::Pacific__Port_Moresby),
    ("Yakutsk", Tz::Asia__Yakutsk),
    ("Yakutsk Standard Time", Tz::Asia__Yakutsk),
    ("Yukon Standard Time", Tz::America__Whitehorse),
];
