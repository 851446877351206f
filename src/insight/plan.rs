//! The daily plan (what `kith today` prints) and the weekly plan (Today's
//! "This week's plan"), plus your participation in your groups and the
//! advice to stay active after leaving a leader or committee role.
//!
//! Pure: reads the model and the insight, returns plain serialisable values
//! that name people by id and name, each with the reason it is there.

use super::index::{Candidate, Insight};
use super::{HelpMatch, Helper, upcoming_dates};
use crate::model::{
    InteractionId, InteractionKind, Involvement, Model, OrgId, Organization, PersonId,
};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// Days ahead the plan looks for birthdays and other dates.
pub const PLAN_DATE_DAYS: u32 = 14;
/// People to re-engage in the daily plan.
pub const PLAN_RE_ENGAGE: usize = 5;
/// Introductions in the daily plan.
pub const PLAN_INTRODUCTIONS: usize = 3;
/// Ways to give in the daily plan.
pub const PLAN_CAN_HELP: usize = 5;
/// Past meetings a group's participation is counted over.
pub const PARTICIPATION_WINDOW: usize = 10;
/// Days after leaving a role during which kith advises staying active.
const ROLE_ADVICE_DAYS: i64 = 365;

/// A person named in a plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanPerson {
    /// Their id.
    pub id: PersonId,
    /// Their name.
    pub name: String,
}

impl PlanPerson {
    fn of(model: &Model, id: PersonId) -> Self {
        Self {
            id,
            name: model.person_name(id).to_string(),
        }
    }
}

/// A follow-up that is due today or overdue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanFollowUp {
    /// The interaction it belongs to.
    pub interaction: InteractionId,
    /// Everyone in that interaction (not in the trash).
    pub people: Vec<PlanPerson>,
    /// When it is due.
    pub due: NaiveDate,
    /// Due before today.
    pub overdue: bool,
    /// "after coffee on 3 Nov 2026, 5 days overdue".
    pub reason: String,
}

/// A birthday, anniversary or other date coming up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanDate {
    /// Whose date it is.
    pub id: PersonId,
    /// Their name.
    pub name: String,
    /// The day it falls on.
    pub date: NaiveDate,
    /// "Birthday", "Anniversary" or the date's own label.
    pub kind: String,
    /// Days until then (0 = today).
    pub days_to_go: i64,
    /// "birthday, turns 46, in 3 days".
    pub reason: String,
}

/// Someone to get back in touch with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanReEngage {
    /// Who.
    pub id: PersonId,
    /// Their name.
    pub name: String,
    /// Days since the last contact.
    pub days_quiet: Option<i64>,
    /// "Like · quiet 45 days (aim: every 30 days)".
    pub reason: String,
}

/// Two people who should meet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanIntroduction {
    /// One side.
    pub a: PlanPerson,
    /// The other side.
    pub b: PlanPerson,
    /// What they share ("both into running").
    pub reason: String,
}

/// A need someone can meet: a person in your network, or you.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanHelp {
    /// Who has the need.
    pub id: PersonId,
    /// Their name.
    pub name: String,
    /// The need as written.
    pub need: String,
    /// Who can help (None: you can).
    pub helper: Option<PlanPerson>,
    /// Why the helper fits ("Bookkeeper at Eriksson & Co").
    pub reason: String,
}

/// Today's plan: what `kith today` prints.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Plan {
    /// Overdue follow-ups (oldest first), then those due today.
    pub follow_ups: Vec<PlanFollowUp>,
    /// Birthdays and other dates in the next [`PLAN_DATE_DAYS`] days.
    pub dates: Vec<PlanDate>,
    /// People to re-engage, most valuable and most overdue first.
    pub re_engage: Vec<PlanReEngage>,
    /// The best introductions you could make.
    pub introductions: Vec<PlanIntroduction>,
    /// Who can help whom (your own offers first).
    pub can_help: Vec<PlanHelp>,
}

impl Plan {
    /// Nothing to do today.
    pub fn is_empty(&self) -> bool {
        self.follow_ups.is_empty()
            && self.dates.is_empty()
            && self.re_engage.is_empty()
            && self.introductions.is_empty()
            && self.can_help.is_empty()
    }
}

/// "3 Nov", or "3 Nov 2025" outside `today`'s year.
pub fn short_date(date: NaiveDate, today: NaiveDate) -> String {
    if date.year() == today.year() {
        date.format("%-d %b").to_string()
    } else {
        date.format("%-d %b %Y").to_string()
    }
}

/// A need as it reads inside a sentence: "A bookkeeper" becomes "a
/// bookkeeper"; a word in capitals ("AI advice", "CPA") is left alone.
pub fn need_in_sentence(need: &str) -> String {
    let mut chars = need.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(need.chars().skip(1)).collect()
        }
        (Some(first), None) => first.to_lowercase().collect(),
        _ => need.to_string(),
    }
}

/// "today", "tomorrow", "in 3 days".
fn in_days(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    }
}

/// Today's plan as of `today`: overdue and due follow-ups, the dates of the
/// next two weeks, people to re-engage, the best introductions (computed now
/// if the insight has not kept them: up to a few tenths of a second at 100k
/// people) and who can help whom.
pub fn daily_plan(model: &Model, insight: &Insight, today: NaiveDate) -> Plan {
    let follow = insight.follow_ups(model, today, 0);
    let follow_ups = follow
        .overdue
        .iter()
        .chain(&follow.due_today)
        .filter_map(|item| {
            let interaction = model.interactions.get(&item.interaction)?;
            let late = (today - item.due).num_days();
            let when = match late {
                0 => "due today".to_string(),
                1 => "1 day overdue".to_string(),
                n => format!("{n} days overdue"),
            };
            Some(PlanFollowUp {
                interaction: interaction.id,
                people: interaction
                    .people
                    .iter()
                    .filter(|p| model.people.get(p).is_some_and(|p| !p.deleted))
                    .map(|p| PlanPerson::of(model, *p))
                    .collect(),
                due: item.due,
                overdue: late > 0,
                reason: format!(
                    "after {} on {}, {when}",
                    InteractionKind::after_phrase(interaction.kind),
                    short_date(interaction.date, today)
                ),
            })
        })
        .collect();
    let dates = upcoming_dates(model, today, PLAN_DATE_DAYS)
        .into_iter()
        .map(|item| {
            let years = match (&item.kind, item.years) {
                (crate::model::DateKind::Birthday, Some(years)) => format!(", turns {years}"),
                (_, Some(1)) => ", 1 year".to_string(),
                (_, Some(years)) => format!(", {years} years"),
                (_, None) => String::new(),
            };
            PlanDate {
                id: item.person,
                name: model.person_name(item.person).to_string(),
                date: item.on,
                kind: item.kind.label().to_string(),
                days_to_go: item.days_to_go,
                reason: format!(
                    "{}{years}, {}",
                    item.kind.label().to_lowercase(),
                    in_days(item.days_to_go)
                ),
            }
        })
        .collect();
    let re_engage = insight
        .re_engage(model, today, PLAN_RE_ENGAGE)
        .into_iter()
        .map(|entry| PlanReEngage {
            id: entry.person,
            name: model.person_name(entry.person).to_string(),
            days_quiet: entry.days_quiet,
            reason: entry.reason,
        })
        .collect();
    let introductions = introductions(model, insight.top_candidates(PLAN_INTRODUCTIONS));
    let can_help = ways_to_give(model, insight, today, PLAN_CAN_HELP);
    Plan {
        follow_ups,
        dates,
        re_engage,
        introductions,
        can_help,
    }
}

/// The best `limit` ways to give (see [`Insight::ways_to_give`]).
fn ways_to_give(model: &Model, insight: &Insight, today: NaiveDate, limit: usize) -> Vec<PlanHelp> {
    insight
        .ways_to_give(model, today, limit)
        .into_iter()
        .map(|found| plan_help(model, found))
        .collect()
}

fn plan_help(model: &Model, found: HelpMatch) -> PlanHelp {
    PlanHelp {
        id: found.needy,
        name: model.person_name(found.needy).to_string(),
        need: found.need,
        helper: match found.helper {
            Helper::Person(id) => Some(PlanPerson::of(model, id)),
            Helper::Me => None,
        },
        reason: found.why,
    }
}

/// Candidates as plan rows. The index already leaves out pairs you
/// introduced, offered to (still open) or saw declined in the last year
/// (see [`Insight::set_today`]).
fn introductions(model: &Model, candidates: Vec<Candidate>) -> Vec<PlanIntroduction> {
    candidates
        .into_iter()
        .map(|c| PlanIntroduction {
            a: PlanPerson::of(model, c.a),
            b: PlanPerson::of(model, c.b),
            reason: c.reason(),
        })
        .collect()
}

/// Your attendance over a group's last meetings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Participation {
    /// Meetings you went to.
    pub attended: usize,
    /// Meetings counted (the last [`PARTICIPATION_WINDOW`] before today).
    pub meetings: usize,
}

impl Participation {
    /// "3 of the last 10 meetings", "the last meeting", "no meetings yet".
    pub fn label(&self) -> String {
        match (self.attended, self.meetings) {
            (_, 0) => "no past meetings recorded".to_string(),
            (1, 1) => "went to the last meeting".to_string(),
            (0, 1) => "missed the last meeting".to_string(),
            (attended, meetings) => format!("{attended} of the last {meetings} meetings"),
        }
    }
}

/// Your attendance over `org`'s last [`PARTICIPATION_WINDOW`] meetings
/// before `today`.
pub fn participation(org: &Organization, today: NaiveDate) -> Participation {
    let mut past: Vec<(NaiveDate, bool)> = org
        .events
        .iter()
        .filter(|e| e.date < today)
        .map(|e| (e.date, e.attended))
        .collect();
    past.sort_by_key(|(date, _)| std::cmp::Reverse(*date));
    past.truncate(PARTICIPATION_WINDOW);
    Participation {
        attended: past.iter().filter(|(_, went)| *went).count(),
        meetings: past.len(),
    }
}

/// A leader or committee role of yours that ended, and how often you have
/// shown up since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleEnded {
    /// The group.
    pub org: OrgId,
    /// Its name.
    pub org_name: String,
    /// The role you left.
    pub role: Involvement,
    /// Its last day.
    pub until: NaiveDate,
    /// Meetings since then that you went to.
    pub attended_since: usize,
    /// Meetings since then.
    pub meetings_since: usize,
    /// Fewer than half the meetings since (or none held yet).
    pub low: bool,
    /// "since you left the committee on 30 Jun: 1 of 5 meetings".
    pub since_text: String,
}

impl RoleEnded {
    /// What kith says where the role was ended: a nudge to stay active
    /// while attendance since is low, else a word that you still show up.
    pub fn advice(&self) -> String {
        let mut since = self.since_text.clone();
        if let Some(first) = since.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        if self.low {
            format!(
                "Stay active in {}: showing up after leaving a role keeps the trust you built there. {since}.",
                self.org_name
            )
        } else {
            format!("{since}. You still show up: that is what people remember.")
        }
    }
}

/// The most recent leader or committee role of yours in `org` that has
/// ended (by `today`), unless you hold such a role there again.
pub fn role_ended(org: &Organization, today: NaiveDate) -> Option<RoleEnded> {
    if org
        .role_on(today)
        .is_some_and(|role| role >= Involvement::Committee)
    {
        return None;
    }
    let span = org
        .my_roles
        .iter()
        .filter(|span| span.role >= Involvement::Committee)
        .filter_map(|span| span.until.filter(|until| *until < today).map(|u| (u, span)))
        .max_by_key(|(until, span)| (*until, span.role))?;
    let (until, span) = span;
    let since: Vec<bool> = org
        .events
        .iter()
        .filter(|e| e.date > until && e.date < today)
        .map(|e| e.attended)
        .collect();
    let attended_since = since.iter().filter(|went| **went).count();
    let meetings_since = since.len();
    let left = match span.role {
        Involvement::Leader => "stepped down as leader",
        _ => "left the committee",
    };
    let tally = match meetings_since {
        0 => "no meetings yet".to_string(),
        n => format!("{attended_since} of {n} meetings"),
    };
    Some(RoleEnded {
        org: org.id,
        org_name: org.name.clone(),
        role: span.role,
        until,
        attended_since,
        meetings_since,
        low: attended_since * 2 < meetings_since || meetings_since == 0,
        since_text: format!("since you {left} on {}: {tally}", short_date(until, today)),
    })
}

/// One group event to show up at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanEvent {
    /// The group.
    pub org: OrgId,
    /// Its name.
    pub org_name: String,
    /// The event's day.
    pub date: NaiveDate,
    /// Its title.
    pub title: String,
    /// Your attendance over the group's last meetings.
    pub participation: Participation,
    /// Set when you left a leader or committee role there and have shown up
    /// little since: the reason to go.
    pub role_ended: Option<RoleEnded>,
}

/// The week's plan: one of each, so it can be done.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct WeeklyPlan {
    /// One person to re-engage.
    pub re_engage: Option<PlanReEngage>,
    /// One way to give.
    pub give: Option<PlanHelp>,
    /// One introduction to make.
    pub introduction: Option<PlanIntroduction>,
    /// True while the introductions are still being computed in the
    /// background (the plan is made again when they arrive).
    pub introductions_pending: bool,
    /// One group event to show up at.
    pub event: Option<PlanEvent>,
}

impl WeeklyPlan {
    /// Nothing to suggest this week.
    pub fn is_empty(&self) -> bool {
        self.re_engage.is_none()
            && self.give.is_none()
            && self.introduction.is_none()
            && !self.introductions_pending
            && self.event.is_none()
    }
}

/// Days ahead the weekly plan looks for a group event.
const EVENT_DAYS: i64 = 30;

/// The week's plan as of `today`: never blocks on the introductions (they
/// are taken only if the insight has them; see [`Insight::candidates_job`]).
pub fn weekly_plan(model: &Model, insight: &Insight, today: NaiveDate) -> WeeklyPlan {
    let re_engage = insight
        .re_engage(model, today, 1)
        .into_iter()
        .next()
        .map(|entry| PlanReEngage {
            id: entry.person,
            name: model.person_name(entry.person).to_string(),
            days_quiet: entry.days_quiet,
            reason: entry.reason,
        });
    let give = ways_to_give(model, insight, today, 1).into_iter().next();
    let ready = insight.top_candidates_ready(1);
    let introductions_pending = ready.is_none();
    let introduction = introductions(model, ready.unwrap_or_default())
        .into_iter()
        .next();
    WeeklyPlan {
        re_engage,
        give,
        introduction,
        introductions_pending,
        event: group_event(model, today),
    }
}

/// The group event to show up at: within the next month, a group whose
/// leader or committee role you left and have attended little since comes
/// first, then the soonest event (ties by title and group name).
pub fn group_event(model: &Model, today: NaiveDate) -> Option<PlanEvent> {
    let horizon = today + chrono::Duration::days(EVENT_DAYS);
    model
        .orgs
        .values()
        .filter_map(|org| {
            let next = org
                .events
                .iter()
                .filter(|e| e.date >= today && e.date <= horizon)
                .min_by(|a, b| (a.date, &a.title).cmp(&(b.date, &b.title)))?;
            let ended = role_ended(org, today)
                .filter(|ended| ended.low && (today - ended.until).num_days() <= ROLE_ADVICE_DAYS);
            Some(PlanEvent {
                org: org.id,
                org_name: org.name.clone(),
                date: next.date,
                title: next.title.clone(),
                participation: participation(org, today),
                role_ended: ended,
            })
        })
        .min_by(|a, b| {
            (a.role_ended.is_none(), a.date, &a.title, &a.org_name).cmp(&(
                b.role_ended.is_none(),
                b.date,
                &b.title,
                &b.org_name,
            ))
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::{
        DateKind, ImportantDate, Interaction, IntroAnswer, IntroOffer, OrgEvent, OrgKind,
        PartialDate, Person, RoleSpan, Stage,
    };
    use uuid::Uuid;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn person(n: u128, name: &str, interests: &[&str]) -> Person {
        let mut p = Person::new(name);
        p.id = PersonId(Uuid::from_u128(n));
        p.interests = interests.iter().map(|s| s.to_string()).collect();
        p
    }

    fn event(date: NaiveDate, attended: bool) -> OrgEvent {
        OrgEvent {
            date,
            title: "Breakfast".into(),
            attended,
        }
    }

    fn add(model: &mut Model, interaction: Interaction) {
        model.interactions.insert(interaction.id, interaction);
    }

    #[test]
    fn needs_read_inside_a_sentence() {
        assert_eq!(need_in_sentence("A bookkeeper"), "a bookkeeper");
        assert_eq!(need_in_sentence("Website review"), "website review");
        assert_eq!(need_in_sentence("AI advice"), "AI advice");
        assert_eq!(need_in_sentence("CPA"), "CPA");
        assert_eq!(need_in_sentence("Ärzte"), "ärzte");
        assert_eq!(need_in_sentence("seed investors"), "seed investors");
        assert_eq!(need_in_sentence(""), "");
    }

    #[test]
    fn empty_model_has_an_empty_plan() {
        let model = Model::default();
        let insight = Insight::build(&model);
        let plan = daily_plan(&model, &insight, day(12, 2));
        assert!(plan.is_empty());
        let weekly = weekly_plan(&model, &insight, day(12, 2));
        assert!(weekly.event.is_none() && weekly.re_engage.is_none());
    }

    #[test]
    fn daily_plan_lists_follow_ups_dates_re_engage_and_introductions() {
        let today = day(12, 2);
        let mut model = Model::default();
        let mut dana = person(1, "Dana", &["running", "sailing"]);
        dana.stage = Stage::Like;
        dana.dates.push(ImportantDate {
            kind: DateKind::Birthday,
            date: PartialDate::full(NaiveDate::from_ymd_opt(1980, 12, 5).unwrap()),
        });
        let raj = person(2, "Raj", &["running", "sailing"]);
        let sam = person(3, "Sam", &[]);
        for p in [dana.clone(), raj.clone(), sam.clone()] {
            model.people.insert(p.id, p);
        }
        let mut coffee = Interaction::new(day(9, 1), InteractionKind::Coffee, vec![dana.id]);
        coffee.follow_up = Some(day(11, 27));
        add(&mut model, coffee);
        let mut call = Interaction::new(day(11, 30), InteractionKind::Call, vec![sam.id]);
        call.follow_up = Some(today);
        add(&mut model, call);
        let mut later = Interaction::new(day(11, 30), InteractionKind::Call, vec![sam.id]);
        later.follow_up = Some(day(12, 20));
        add(&mut model, later);
        let insight = Insight::build(&model);
        let plan = daily_plan(&model, &insight, today);

        assert_eq!(plan.follow_ups.len(), 2, "{:?}", plan.follow_ups);
        assert!(plan.follow_ups[0].overdue);
        assert_eq!(plan.follow_ups[0].people[0].name, "Dana");
        assert_eq!(
            plan.follow_ups[0].reason,
            "after coffee on 1 Sep, 5 days overdue"
        );
        assert!(!plan.follow_ups[1].overdue);
        assert_eq!(
            plan.follow_ups[1].reason,
            "after a call on 30 Nov, due today"
        );

        assert_eq!(plan.dates.len(), 1);
        assert_eq!(plan.dates[0].reason, "birthday, turns 46, in 3 days");

        assert_eq!(plan.re_engage.len(), 1);
        assert_eq!(plan.re_engage[0].name, "Dana");

        assert_eq!(plan.introductions.len(), 1);
        let pair = &plan.introductions[0];
        assert_eq!(
            (pair.a.name.as_str(), pair.b.name.as_str()),
            ("Dana", "Raj")
        );
        assert!(pair.reason.contains("running"), "{}", pair.reason);
    }

    #[test]
    fn ways_to_give_name_the_needy_and_the_helper() {
        let today = day(12, 2);
        let mut maria = person(1, "Maria", &[]);
        maria.needs = vec!["A bookkeeper".into()];
        let mut jonas = person(2, "Jonas", &[]);
        jonas.can_help_with = vec!["Bookkeeping".into()];
        let mut model = Model::default();
        for p in [maria, jonas] {
            model.people.insert(p.id, p);
        }
        let insight = Insight::build(&model);
        let plan = daily_plan(&model, &insight, today);
        let give = plan.can_help.first().unwrap();
        assert_eq!(
            (give.name.as_str(), give.need.as_str()),
            ("Maria", "A bookkeeper")
        );
        assert_eq!(give.helper.as_ref().unwrap().name, "Jonas");
        assert!(!give.reason.is_empty());
        let weekly = weekly_plan(&model, &insight, today);
        assert_eq!(weekly.give.as_ref(), Some(give));
    }

    #[test]
    fn introduced_offered_and_recently_declined_pairs_are_left_out() {
        let today = day(12, 2);
        let a = person(1, "A", &["chess"]);
        let b = person(2, "B", &["chess"]);
        let base = {
            let mut model = Model::default();
            model.people.insert(a.id, a.clone());
            model.people.insert(b.id, b.clone());
            model
        };
        let suggested = |model: &Model| {
            let mut insight = Insight::build(model);
            insight.set_today(today);
            !daily_plan(model, &insight, today).introductions.is_empty()
        };
        assert!(suggested(&base));

        let offer = |answer: IntroAnswer| {
            let mut model = base.clone();
            let mut offered = Interaction::new(
                day(6, 1),
                InteractionKind::IntroductionOffered,
                vec![a.id, b.id],
            );
            offered.intro = Some(IntroOffer {
                reason: "chess".into(),
                first: IntroAnswer::Accepted { date: day(6, 2) },
                second: answer,
                made: None,
            });
            add(&mut model, offered);
            model
        };
        assert!(!suggested(&offer(IntroAnswer::Pending)), "an open offer");
        assert!(
            !suggested(&offer(IntroAnswer::Declined { date: day(6, 3) })),
            "declined this year"
        );
        let mut old = base.clone();
        let mut offered = Interaction::new(
            day(1, 1),
            InteractionKind::IntroductionOffered,
            vec![a.id, b.id],
        );
        offered.intro = Some(IntroOffer {
            reason: "chess".into(),
            first: IntroAnswer::Declined {
                date: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
            },
            ..Default::default()
        });
        add(&mut old, offered);
        assert!(suggested(&old), "declined more than a year ago");
        let mut made = base.clone();
        add(
            &mut made,
            Interaction::new(
                day(3, 1),
                InteractionKind::IntroductionMade,
                vec![a.id, b.id],
            ),
        );
        assert!(!suggested(&made), "already introduced");
    }

    #[test]
    fn participation_counts_the_last_ten_past_meetings() {
        let today = day(12, 2);
        let mut org = Organization::new("Chamber", OrgKind::Chamber);
        // 12 past meetings, the oldest two attended (outside the window),
        // then 3 of the last 10; one upcoming.
        for month in 1..=12u32 {
            let date = day(month, 1);
            let attended = month <= 2 || [5, 8, 11].contains(&month);
            org.events.push(event(date, attended));
        }
        org.events.push(event(day(12, 10), false));
        let p = participation(&org, today);
        assert_eq!(
            p,
            Participation {
                attended: 3,
                meetings: 10
            }
        );
        assert_eq!(p.label(), "3 of the last 10 meetings");
        assert_eq!(
            participation(&Organization::new("New", OrgKind::Community), today).label(),
            "no past meetings recorded"
        );
    }

    #[test]
    fn leaving_the_committee_counts_attendance_since() {
        let today = day(12, 2);
        let mut org = Organization::new("Rotary", OrgKind::Community);
        org.my_roles = vec![
            RoleSpan {
                role: Involvement::Committee,
                since: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
                until: Some(day(6, 30)),
            },
            RoleSpan {
                role: Involvement::Member,
                since: day(7, 1),
                until: None,
            },
        ];
        org.events = vec![
            event(day(6, 15), true),
            event(day(7, 15), true),
            event(day(8, 15), false),
            event(day(9, 15), false),
            event(day(10, 15), false),
            event(day(11, 15), false),
            event(day(12, 9), false),
        ];
        let ended = role_ended(&org, today).unwrap();
        assert_eq!((ended.attended_since, ended.meetings_since), (1, 5));
        assert!(ended.low);
        assert_eq!(
            ended.since_text,
            "since you left the committee on 30 Jun: 1 of 5 meetings"
        );
        assert_eq!(
            ended.advice(),
            "Stay active in Rotary: showing up after leaving a role keeps the trust you built there. Since you left the committee on 30 Jun: 1 of 5 meetings."
        );

        // Back on the committee: no advice.
        let mut again = org.clone();
        again.my_roles.push(RoleSpan {
            role: Involvement::Committee,
            since: day(11, 1),
            until: None,
        });
        assert!(role_ended(&again, today).is_none());

        // A member role ending is no reason for advice.
        let mut member = org.clone();
        member.my_roles.remove(0);
        member.my_roles[0].until = Some(day(10, 1));
        assert!(role_ended(&member, today).is_none());

        // The weekly plan sends you to this group before a sooner one.
        let mut model = Model::default();
        let mut other = Organization::new("Book club", OrgKind::Community);
        other.events = vec![event(day(12, 3), false)];
        for o in [org.clone(), other] {
            model.orgs.insert(o.id, o);
        }
        let chosen = group_event(&model, today).unwrap();
        assert_eq!(chosen.org_name, "Rotary");
        assert_eq!(chosen.date, day(12, 9));
        assert!(chosen.role_ended.is_some());

        // Showing up since (4 of 5) ends the nudge: the soonest event wins.
        for e in &mut model
            .orgs
            .values_mut()
            .find(|o| o.name == "Rotary")
            .unwrap()
            .events
        {
            if e.date > day(7, 1) && e.date < day(11, 1) {
                e.attended = true;
            }
        }
        let chosen = group_event(&model, today).unwrap();
        assert_eq!(chosen.org_name, "Book club");
        assert!(chosen.role_ended.is_none());
        let rotary = model.orgs.values().find(|o| o.name == "Rotary").unwrap();
        let ended = role_ended(rotary, today).unwrap();
        assert!(!ended.low);
        assert!(
            ended
                .advice()
                .ends_with("4 of 5 meetings. You still show up: that is what people remember.")
        );
    }

    #[test]
    fn stepping_down_as_leader_reads_so() {
        let today = day(12, 2);
        let mut org = Organization::new("Club", OrgKind::Community);
        org.my_roles = vec![RoleSpan {
            role: Involvement::Leader,
            since: NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
            until: Some(day(11, 30)),
        }];
        let ended = role_ended(&org, today).unwrap();
        assert_eq!(
            ended.since_text,
            "since you stepped down as leader on 30 Nov: no meetings yet"
        );
        assert!(ended.low);
    }
}
