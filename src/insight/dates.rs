//! Birthdays, anniversaries and other important dates coming up soon.
//!
//! Pure: reads the model, returns plain values for the Today view.

use crate::model::{DateKind, Model, PersonId};
use chrono::{Datelike, NaiveDate};

/// One important date that comes round within the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upcoming {
    /// Whose date it is.
    pub person: PersonId,
    /// Birthday, anniversary or a labelled date.
    pub kind: DateKind,
    /// The day it falls on next (29 February on 28 February in common years).
    pub on: NaiveDate,
    /// Days from today until `on` (0 = today).
    pub days_to_go: i64,
    /// How many years it will be on that day (the age they turn), when the year is known.
    pub years: Option<i32>,
}

/// Every important date of the people not in the trash that comes round in
/// the next `days` days (today included), soonest first; ties by name.
///
/// Dates without a day (a month or a year only) have no next occurrence
/// and are left out.
pub fn upcoming_dates(model: &Model, today: NaiveDate, days: u32) -> Vec<Upcoming> {
    let mut out: Vec<(Upcoming, &str)> = Vec::new();
    for person in model.live_people() {
        for date in &person.dates {
            let Some(on) = date.date.next_on_or_after(today) else {
                continue;
            };
            let days_to_go = (on - today).num_days();
            if days_to_go > i64::from(days) {
                continue;
            }
            // The years this occurrence completes: on a 28 February standing
            // in for the 29th, someone born in 2000 turns 27 in 2027.
            let years = date
                .date
                .year
                .map(|year| on.year() - year)
                .filter(|years| *years > 0);
            out.push((
                Upcoming {
                    person: person.id,
                    kind: date.kind.clone(),
                    on,
                    days_to_go,
                    years,
                },
                person.name.as_str(),
            ));
        }
    }
    out.sort_by(|(a, a_name), (b, b_name)| {
        a.on.cmp(&b.on)
            .then_with(|| a_name.cmp(b_name))
            .then_with(|| a.person.cmp(&b.person))
            .then_with(|| a.kind.cmp(&b.kind))
    });
    out.into_iter().map(|(upcoming, _)| upcoming).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::{ImportantDate, PartialDate, Person};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn date(kind: DateKind, y: Option<i32>, m: u32, d: Option<u32>) -> ImportantDate {
        ImportantDate {
            kind,
            date: PartialDate::new(y, Some(m), d).unwrap(),
        }
    }

    fn model_with(people: Vec<Person>) -> Model {
        let mut model = Model::default();
        for person in people {
            model.people.insert(person.id, person);
        }
        model
    }

    #[test]
    fn lists_dates_in_the_window_soonest_first_with_years() {
        let mut ada = Person::new("Ada");
        ada.dates = vec![
            date(DateKind::Birthday, Some(1980), 12, Some(1)),
            date(DateKind::Anniversary, Some(2010), 11, Some(25)),
        ];
        let mut ben = Person::new("Ben");
        ben.dates = vec![
            date(DateKind::Birthday, None, 11, Some(22)),
            // Outside the window.
            date(DateKind::Custom("Name day".into()), None, 1, Some(15)),
        ];
        let model = model_with(vec![ada.clone(), ben.clone()]);
        let got = upcoming_dates(&model, day(2026, 11, 22), 30);
        let summary: Vec<_> = got
            .iter()
            .map(|u| (u.person, u.kind.clone(), u.on, u.days_to_go, u.years))
            .collect();
        assert_eq!(
            summary,
            vec![
                (ben.id, DateKind::Birthday, day(2026, 11, 22), 0, None),
                (
                    ada.id,
                    DateKind::Anniversary,
                    day(2026, 11, 25),
                    3,
                    Some(16)
                ),
                (ada.id, DateKind::Birthday, day(2026, 12, 1), 9, Some(46)),
            ]
        );
    }

    #[test]
    fn the_window_wraps_into_next_year_and_ends_on_its_last_day() {
        let mut ada = Person::new("Ada");
        ada.dates = vec![
            date(DateKind::Birthday, Some(1990), 1, Some(3)),
            date(DateKind::Custom("School starts".into()), None, 1, Some(4)),
        ];
        let model = model_with(vec![ada]);
        let got = upcoming_dates(&model, day(2026, 12, 20), 14);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].on, day(2027, 1, 3));
        assert_eq!(got[0].days_to_go, 14);
        assert_eq!(got[0].years, Some(37));
    }

    #[test]
    fn leap_day_falls_on_28_february_in_common_years() {
        let mut ada = Person::new("Ada");
        ada.dates = vec![date(DateKind::Birthday, Some(2000), 2, Some(29))];
        let model = model_with(vec![ada]);
        let common = upcoming_dates(&model, day(2027, 2, 20), 30);
        assert_eq!(common[0].on, day(2027, 2, 28));
        assert_eq!(common[0].years, Some(27));
        let leap = upcoming_dates(&model, day(2028, 2, 20), 30);
        assert_eq!(leap[0].on, day(2028, 2, 29));
        assert_eq!(leap[0].years, Some(28));
    }

    #[test]
    fn leaves_out_the_trash_and_dates_without_a_day() {
        let mut gone = Person::new("Gone");
        gone.deleted = true;
        gone.dates = vec![date(DateKind::Birthday, None, 11, Some(23))];
        let mut vague = Person::new("Vague");
        vague.dates = vec![
            date(DateKind::Birthday, Some(1970), 11, None),
            ImportantDate {
                kind: DateKind::Anniversary,
                date: PartialDate::new(Some(2001), None, None).unwrap(),
            },
        ];
        let model = model_with(vec![gone, vague]);
        assert!(upcoming_dates(&model, day(2026, 11, 22), 30).is_empty());
    }

    #[test]
    fn ties_on_one_day_are_ordered_by_name() {
        let mut zoe = Person::new("Zoe");
        zoe.dates = vec![date(DateKind::Birthday, None, 11, Some(30))];
        let mut abe = Person::new("Abe");
        abe.dates = vec![date(DateKind::Birthday, None, 11, Some(30))];
        let model = model_with(vec![zoe.clone(), abe.clone()]);
        let got: Vec<_> = upcoming_dates(&model, day(2026, 11, 22), 30)
            .into_iter()
            .map(|u| u.person)
            .collect();
        assert_eq!(got, vec![abe.id, zoe.id]);
    }
}
