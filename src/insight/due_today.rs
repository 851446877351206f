//! What is due today, for the once-a-day desktop notification: follow-ups
//! due today and birthdays, anniversaries and labelled dates that fall
//! today. Pure: reads the model and the index, returns plain text.

use super::{Insight, upcoming_dates};
use crate::model::{DateKind, Model};
use chrono::NaiveDate;

/// One thing due today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueItem {
    /// One line saying what it is ("Follow up with Ann Lee (Coffee)").
    pub text: String,
}

/// How many items a notification lists before "and N more".
pub const NOTIFY_LINES: usize = 5;

/// Follow-ups due today (not done, with someone not in the trash), then the
/// important dates that fall today, soonest-first order of each.
pub fn due_today(model: &Model, insight: &Insight, today: NaiveDate) -> Vec<DueItem> {
    let mut out = Vec::new();
    for follow_up in insight.follow_ups(model, today, 0).due_today {
        let Some(interaction) = model.interactions.get(&follow_up.interaction) else {
            continue;
        };
        let names: Vec<&str> = interaction
            .people
            .iter()
            .filter(|id| model.people.get(id).is_some_and(|p| !p.deleted))
            .map(|id| model.person_name(*id))
            .collect();
        if names.is_empty() {
            continue;
        }
        // A snoozed follow-up is due on its new day, and says since when.
        let snoozed = interaction
            .snoozed_from
            .map(|first| format!(", snoozed from {}", first.format("%-d %b")))
            .unwrap_or_default();
        out.push(DueItem {
            text: format!(
                "Follow up with {} ({} on {}{snoozed})",
                join_names(&names),
                interaction.kind.label(),
                interaction.date.format("%-d %b")
            ),
        });
    }
    for date in upcoming_dates(model, today, 0) {
        if date.days_to_go != 0 {
            continue;
        }
        let name = model.person_name(date.person);
        let text = match (&date.kind, date.years) {
            (DateKind::Birthday, Some(years)) => format!("{name}'s birthday (turns {years})"),
            (DateKind::Birthday, None) => format!("{name}'s birthday"),
            (DateKind::Anniversary, Some(years)) => {
                format!("{name}'s anniversary ({years} years)")
            }
            (DateKind::Anniversary, None) => format!("{name}'s anniversary"),
            (DateKind::Custom(label), _) => format!("{name}: {label}"),
        };
        out.push(DueItem { text });
    }
    out
}

/// "Ann", "Ann and Bo", "Ann, Bo and Cy".
fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The notification for these items: a summary and a body of at most
/// [`NOTIFY_LINES`] lines (then "and N more"); `None` when nothing is due.
pub fn notification_text(items: &[DueItem]) -> Option<(String, String)> {
    if items.is_empty() {
        return None;
    }
    let summary = if items.len() == 1 {
        "kith: 1 thing for today".to_string()
    } else {
        format!("kith: {} things for today", items.len())
    };
    let mut lines: Vec<String> = items
        .iter()
        .take(NOTIFY_LINES)
        .map(|item| item.text.clone())
        .collect();
    if items.len() > NOTIFY_LINES {
        lines.push(format!("and {} more", items.len() - NOTIFY_LINES));
    }
    Some((summary, lines.join("\n")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::{ImportantDate, Interaction, InteractionKind, PartialDate, Person};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn birthday(year: Option<i32>, month: u32, d: u32) -> ImportantDate {
        ImportantDate {
            kind: DateKind::Birthday,
            date: PartialDate {
                year,
                month: Some(month),
                day: Some(d),
            },
        }
    }

    #[test]
    fn follow_ups_and_dates_of_today_only() {
        let today = day(2026, 11, 22);
        let mut model = Model::default();
        let mut ann = Person::new("Ann Lee");
        ann.dates.push(birthday(Some(1986), 11, 22));
        let mut bo = Person::new("Bo Chen");
        bo.dates.push(birthday(None, 11, 23));
        let mut gone = Person::new("Gone");
        gone.deleted = true;
        gone.dates.push(birthday(None, 11, 22));
        let (ann_id, bo_id, gone_id) = (ann.id, bo.id, gone.id);
        for p in [ann, bo, gone] {
            model.people.insert(p.id, p);
        }
        let mut coffee = Interaction::new(day(2026, 11, 3), InteractionKind::Coffee, vec![bo_id]);
        coffee.follow_up = Some(today);
        let mut done = Interaction::new(day(2026, 11, 4), InteractionKind::Call, vec![ann_id]);
        done.follow_up = Some(today);
        done.follow_up_done = true;
        let mut later = Interaction::new(day(2026, 11, 5), InteractionKind::Call, vec![ann_id]);
        later.follow_up = Some(day(2026, 11, 23));
        let mut trashed = Interaction::new(day(2026, 11, 6), InteractionKind::Call, vec![gone_id]);
        trashed.follow_up = Some(today);
        for i in [coffee, done, later, trashed] {
            model.interactions.insert(i.id, i);
        }
        let insight = Insight::build(&model);
        let items: Vec<String> = due_today(&model, &insight, today)
            .into_iter()
            .map(|i| i.text)
            .collect();
        assert_eq!(
            items,
            [
                "Follow up with Bo Chen (Coffee on 3 Nov)",
                "Ann Lee's birthday (turns 40)"
            ]
        );
        assert!(due_today(&model, &insight, day(2026, 11, 24)).is_empty());
    }

    #[test]
    fn a_snoozed_follow_up_is_due_on_its_new_day() {
        let mut model = Model::default();
        let ann = Person::new("Ann Lee");
        let ann_id = ann.id;
        model.people.insert(ann.id, ann);
        let mut coffee = Interaction::new(day(2026, 11, 12), InteractionKind::Coffee, vec![ann_id]);
        coffee.follow_up = Some(day(2026, 11, 24));
        coffee.snoozed_from = Some(day(2026, 11, 20));
        model.interactions.insert(coffee.id, coffee);
        let insight = Insight::build(&model);
        // Not on the day it was first due, nor the day before the new one.
        assert!(due_today(&model, &insight, day(2026, 11, 20)).is_empty());
        assert!(due_today(&model, &insight, day(2026, 11, 23)).is_empty());
        let items = due_today(&model, &insight, day(2026, 11, 24));
        assert_eq!(
            items,
            [DueItem {
                text: "Follow up with Ann Lee (Coffee on 12 Nov, snoozed from 20 Nov)".into()
            }]
        );
        // Overdue after the first due day only counts from the new day.
        let follow = insight.follow_ups(&model, day(2026, 11, 22), 7);
        assert!(follow.overdue.is_empty());
        assert_eq!(follow.upcoming.len(), 1);
        assert_eq!(follow.upcoming[0].due, day(2026, 11, 24));
    }

    #[test]
    fn notification_lists_five_then_counts_the_rest() {
        assert_eq!(notification_text(&[]), None);
        let items: Vec<DueItem> = (1..=7)
            .map(|n| DueItem {
                text: format!("item {n}"),
            })
            .collect();
        let (summary, body) = notification_text(&items).unwrap();
        assert_eq!(summary, "kith: 7 things for today");
        assert_eq!(body.lines().count(), 6);
        assert!(body.ends_with("and 2 more"));
        let (summary, body) = notification_text(&items[..1]).unwrap();
        assert_eq!(summary, "kith: 1 thing for today");
        assert_eq!(body, "item 1");
    }

    #[test]
    fn names_join_in_english() {
        assert_eq!(join_names(&["A"]), "A");
        assert_eq!(join_names(&["A", "B"]), "A and B");
        assert_eq!(join_names(&["A", "B", "C"]), "A, B and C");
    }
}
