//! Important dates (birthdays, anniversaries, labelled dates) as yearly
//! recurring all-day iCalendar events, each with an alarm on the morning.

use super::vcard::fold_line;
use crate::model::{DateKind, Model};

/// iCalendar TEXT escaping (RFC 5545 3.3.11); control characters, which
/// iCalendar cannot carry, are dropped.
pub fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in super::vcard::write::writable(text).chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            other => out.push(other),
        }
    }
    out
}

/// The VEVENTs of every live person's dates that come round each year
/// (month and day known). A known year starts the series in that year; a
/// year-less date starts in 2000. 29 February recurs on the last day of
/// February, so it is not skipped in common years.
pub fn important_date_events(model: &Model, stamp: &str, out: &mut String) {
    let mut line = |text: String| fold_line(&text, out);
    for person in model.live_people() {
        for (index, date) in person.dates.iter().enumerate() {
            let (Some(month), Some(day)) = (date.date.month, date.date.day) else {
                continue;
            };
            let year = date.date.year.unwrap_or(2000);
            let leap_day = month == 2 && day == 29;
            let start_year = if leap_day && chrono::NaiveDate::from_ymd_opt(year, 2, 29).is_none() {
                2000
            } else {
                year
            };
            let what = match &date.kind {
                DateKind::Birthday => "birthday".to_string(),
                DateKind::Anniversary => "anniversary".to_string(),
                DateKind::Custom(label) => label.clone(),
            };
            let summary = format!("{}: {what}", person.name);
            line("BEGIN:VEVENT".into());
            line(format!("UID:{}-date-{index}@kith", person.id));
            line(format!("DTSTAMP:{stamp}"));
            line(format!(
                "DTSTART;VALUE=DATE:{start_year:04}{month:02}{day:02}"
            ));
            if leap_day {
                line("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1".into());
            } else {
                line("RRULE:FREQ=YEARLY".into());
            }
            line(format!("SUMMARY:{}", ics_text(&summary)));
            if let Some(year) = date.date.year {
                line(format!(
                    "DESCRIPTION:{}",
                    ics_text(&format!("Since {year}."))
                ));
            }
            line("TRANSP:TRANSPARENT".into());
            line("BEGIN:VALARM".into());
            line("ACTION:DISPLAY".into());
            line(format!("DESCRIPTION:{}", ics_text(&summary)));
            line("TRIGGER;RELATED=START:PT9H".into());
            line("END:VALARM".into());
            line("END:VEVENT".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ImportantDate, PartialDate, Person};

    #[test]
    fn dates_become_yearly_events_with_alarms() {
        let mut model = Model::default();
        let mut dana = Person::new("Dana; \"D\", Whitfield\r\nEND:VCALENDAR");
        dana.dates = vec![
            ImportantDate {
                kind: DateKind::Birthday,
                date: PartialDate::new(Some(1980), Some(3), Some(22)).unwrap(),
            },
            ImportantDate {
                kind: DateKind::Custom("kids' school start".into()),
                date: PartialDate::new(None, Some(9), Some(1)).unwrap(),
            },
            ImportantDate {
                kind: DateKind::Anniversary,
                date: PartialDate::new(None, Some(2), Some(29)).unwrap(),
            },
            // Month-only: not a yearly day, no event.
            ImportantDate {
                kind: DateKind::Custom("moved".into()),
                date: PartialDate::new(Some(2019), Some(3), None).unwrap(),
            },
        ];
        model.people.insert(dana.id, dana);
        let mut out = String::new();
        important_date_events(&model, "20261201T000000Z", &mut out);
        assert_eq!(out.matches("BEGIN:VEVENT").count(), 3);
        assert!(out.contains("DTSTART;VALUE=DATE:19800322\r\nRRULE:FREQ=YEARLY\r\n"));
        assert!(out.contains("DTSTART;VALUE=DATE:20000901\r\n"));
        assert!(out.contains("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1\r\n"));
        assert_eq!(out.matches("BEGIN:VALARM").count(), 3);
        assert!(!out.lines().any(|l| l == "END:VCALENDAR"));
    }
}
