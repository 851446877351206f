//! Network activity over the last year, as plain data for the Activity view:
//! interactions per week split by kind, a day-by-day heatmap, the
//! know -> like -> trust funnel and one swimlane per person you saw.
//!
//! Everything here is a pure function of the model and a day; the view
//! computes it once per model revision and only draws it per frame.

use super::NetworkDepth;
use crate::model::{Interaction, InteractionId, InteractionKind, Model, OrgId, PersonId, Stage};
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// Number of interaction kinds (the length of [`InteractionKind::ALL`]).
pub const KINDS: usize = InteractionKind::ALL.len();

/// Weeks the activity window spans: the current week and the 52 before it.
pub const WINDOW_WEEKS: usize = 53;

/// How many interactions of one day the heatmap keeps to name on hover.
pub const DAY_SAMPLES: usize = 3;

/// The position of `kind` in [`InteractionKind::ALL`].
pub fn kind_index(kind: InteractionKind) -> usize {
    InteractionKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or(KINDS - 1)
}

/// The Monday of the week `date` falls in.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The first day (a Monday) of a window of `weeks` weeks that ends with the
/// week of `today`.
pub fn window_start(today: NaiveDate, weeks: usize) -> NaiveDate {
    let back = weeks.saturating_sub(1) as i64;
    week_start(today) - Duration::weeks(back)
}

/// Interactions per week, counted per kind.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WeeklyKinds {
    /// The Monday of the first week.
    pub first_week: NaiveDate,
    /// Per week, oldest first: counts indexed like [`InteractionKind::ALL`].
    pub counts: Vec<[u32; KINDS]>,
}

impl WeeklyKinds {
    /// The Monday of week `index`.
    pub fn week_start(&self, index: usize) -> NaiveDate {
        self.first_week + Duration::weeks(index as i64)
    }

    /// All interactions of week `index` (0 past the end).
    pub fn total(&self, index: usize) -> u32 {
        self.counts.get(index).map_or(0, |c| c.iter().sum())
    }

    /// The busiest week's total.
    pub fn max_total(&self) -> u32 {
        (0..self.counts.len())
            .map(|i| self.total(i))
            .max()
            .unwrap_or(0)
    }

    /// Counts per kind over the whole window.
    pub fn kind_totals(&self) -> [u32; KINDS] {
        let mut totals = [0; KINDS];
        for week in &self.counts {
            for (total, count) in totals.iter_mut().zip(week) {
                *total += count;
            }
        }
        totals
    }

    /// Every interaction in the window.
    pub fn grand_total(&self) -> u32 {
        self.kind_totals().iter().sum()
    }
}

/// What happened on one day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DayActivity {
    /// Interactions that day.
    pub total: u32,
    /// Counts indexed like [`InteractionKind::ALL`].
    pub kinds: [u32; KINDS],
    /// The first few of the day's interactions (at most [`DAY_SAMPLES`]).
    pub sample: Vec<InteractionId>,
}

/// Interactions per day over whole weeks, for a GitHub-style heatmap
/// (week columns, weekday rows).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Heatmap {
    /// The first day (a Monday).
    pub first_day: NaiveDate,
    /// The last day with data (today); later cells are empty.
    pub last_day: NaiveDate,
    /// Per day from `first_day`, seven a week.
    pub days: Vec<DayActivity>,
    /// The busiest day's total.
    pub max: u32,
}

impl Heatmap {
    /// Number of week columns.
    pub fn weeks(&self) -> usize {
        self.days.len().div_ceil(7)
    }

    /// The date of the cell at `week` and `weekday` (0 = Monday).
    pub fn date(&self, week: usize, weekday: usize) -> NaiveDate {
        self.first_day + Duration::days((week * 7 + weekday) as i64)
    }

    /// The cell at `week` and `weekday`, or None after today.
    pub fn day(&self, week: usize, weekday: usize) -> Option<(NaiveDate, &DayActivity)> {
        let date = self.date(week, weekday);
        if date > self.last_day {
            return None;
        }
        self.days.get(week * 7 + weekday).map(|day| (date, day))
    }

    /// The shade of a day with `count` interactions: 0 for none, then 1 to 4
    /// by quarters of the busiest day.
    pub fn level(&self, count: u32) -> usize {
        if count == 0 || self.max == 0 {
            return 0;
        }
        let share = f64::from(count) / f64::from(self.max);
        ((share * 4.0).ceil() as usize).clamp(1, 4)
    }

    /// Days in the window with at least one interaction.
    pub fn active_days(&self) -> usize {
        self.days.iter().filter(|d| d.total > 0).count()
    }
}

/// One interaction on a person's swimlane.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark {
    /// When.
    pub date: NaiveDate,
    /// What.
    pub kind: InteractionKind,
    /// Which interaction.
    pub interaction: InteractionId,
}

/// Everything you did with one person in the window.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    /// Who.
    pub person: PersonId,
    /// The latest mark's day.
    pub last: NaiveDate,
    /// Their interactions, oldest first.
    pub marks: Vec<Mark>,
}

/// The network-wide timeline: one lane per live person you saw in the
/// window, most recent first (then by name).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lanes {
    /// First day of the window.
    pub from: NaiveDate,
    /// Last day of the window (today).
    pub to: NaiveDate,
    /// The lanes.
    pub lanes: Vec<Lane>,
}

/// The weekly counts, heatmap and swimlanes of the `weeks` weeks that end
/// with the week of `today`, in one pass over the interactions.
/// Interactions after today are left out; lanes hold live people only.
pub fn activity(model: &Model, today: NaiveDate, weeks: usize) -> (WeeklyKinds, Heatmap, Lanes) {
    let mut builder = ActivityBuilder::new(today, weeks);
    builder.feed(model, usize::MAX);
    builder.finish(model)
}

/// [`activity`] a slice at a time, so a frame never holds the whole pass
/// over a million interactions: [`ActivityBuilder::feed`] some, draw, feed
/// more, then [`ActivityBuilder::finish`]. Feed it one unchanged model
/// (start a new builder when the model changes).
#[derive(Debug)]
pub struct ActivityBuilder {
    first: NaiveDate,
    today: NaiveDate,
    weekly: WeeklyKinds,
    heatmap: Heatmap,
    /// Each person's lane, or None when they are not live: the model is
    /// asked about a person once, on their first mark.
    lane_of: HashMap<PersonId, Option<u32>>,
    lanes: Vec<Lane>,
    /// The last interaction fed (they are fed in id order).
    after: Option<InteractionId>,
    done: bool,
}

impl ActivityBuilder {
    /// A builder for the `weeks` weeks that end with the week of `today`.
    pub fn new(today: NaiveDate, weeks: usize) -> Self {
        let first = window_start(today, weeks);
        Self {
            first,
            today,
            weekly: WeeklyKinds {
                first_week: first,
                counts: vec![[0; KINDS]; weeks],
            },
            heatmap: Heatmap {
                first_day: first,
                last_day: today,
                days: vec![DayActivity::default(); weeks * 7],
                max: 0,
            },
            lane_of: HashMap::new(),
            lanes: Vec::new(),
            after: None,
            done: false,
        }
    }

    /// An empty builder that counts as fed (what is left after
    /// [`ActivityBuilder::finish`] took one out of a slot).
    pub fn finished(today: NaiveDate) -> Self {
        Self {
            done: true,
            ..Self::new(today, 0)
        }
    }

    /// Whether every interaction was fed.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Feed the next `count` interactions (in id order); true once all are.
    pub fn feed(&mut self, model: &Model, count: usize) -> bool {
        use std::ops::Bound::{Excluded, Unbounded};
        if self.done {
            return true;
        }
        let from = self.after.map_or(Unbounded, Excluded);
        let interactions = model.interactions.range((from, Unbounded)).map(|(_, i)| i);
        for (fed, interaction) in interactions.enumerate() {
            if fed == count {
                return false;
            }
            self.after = Some(interaction.id);
            self.add(model, interaction);
        }
        self.done = true;
        true
    }

    /// Count one interaction.
    fn add(&mut self, model: &Model, interaction: &Interaction) {
        if interaction.date < self.first || interaction.date > self.today {
            return;
        }
        let offset = (interaction.date - self.first).num_days() as usize;
        let kind = kind_index(interaction.kind);
        if let Some(week) = self.weekly.counts.get_mut(offset / 7) {
            week[kind] += 1;
        }
        if let Some(day) = self.heatmap.days.get_mut(offset) {
            day.total += 1;
            day.kinds[kind] += 1;
            if day.sample.len() < DAY_SAMPLES {
                day.sample.push(interaction.id);
            }
        }
        let mark = Mark {
            date: interaction.date,
            kind: interaction.kind,
            interaction: interaction.id,
        };
        let lanes = &mut self.lanes;
        for person in &interaction.people {
            let slot = *self.lane_of.entry(*person).or_insert_with(|| {
                model.people.get(person).filter(|p| !p.deleted)?;
                lanes.push(Lane {
                    person: *person,
                    last: mark.date,
                    marks: Vec::new(),
                });
                Some((lanes.len() - 1) as u32)
            });
            if let Some(lane) = slot.and_then(|slot| lanes.get_mut(slot as usize)) {
                lane.last = lane.last.max(mark.date);
                lane.marks.push(mark);
            }
        }
    }

    /// The weekly counts, heatmap and lanes of what was fed: lanes most
    /// recent first, then by name.
    pub fn finish(self, model: &Model) -> (WeeklyKinds, Heatmap, Lanes) {
        let mut heatmap = self.heatmap;
        heatmap.max = heatmap.days.iter().map(|d| d.total).max().unwrap_or(0);
        let mut lanes = self.lanes;
        for lane in &mut lanes {
            lane.marks.sort_unstable_by_key(|m| (m.date, m.interaction));
            lane.marks.dedup_by_key(|m| m.interaction);
        }
        // Names are looked up once, not in every comparison.
        let mut keyed: Vec<(&str, Lane)> = lanes
            .into_iter()
            .map(|lane| (model.person_name(lane.person), lane))
            .collect();
        keyed.sort_unstable_by(|(a_name, a), (b_name, b)| {
            b.last
                .cmp(&a.last)
                .then_with(|| a_name.cmp(b_name))
                .then(a.person.cmp(&b.person))
        });
        (
            self.weekly,
            heatmap,
            Lanes {
                from: self.first,
                to: self.today,
                lanes: keyed.into_iter().map(|(_, lane)| lane).collect(),
            },
        )
    }
}

/// Which lanes to show: every filter that is set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct LaneFilter {
    /// Members of this organization only.
    pub org: Option<OrgId>,
    /// People with this tag only.
    pub tag: Option<String>,
    /// People at this stage only.
    pub stage: Option<Stage>,
}

impl LaneFilter {
    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.org.is_none() && self.tag.is_none() && self.stage.is_none()
    }
}

/// The indexes of the lanes `filter` lets through, in lane order.
pub fn filter_lanes(model: &Model, lanes: &Lanes, filter: &LaneFilter) -> Vec<usize> {
    lanes
        .lanes
        .iter()
        .enumerate()
        .filter(|(_, lane)| {
            let Some(person) = model.people.get(&lane.person) else {
                return false;
            };
            filter.stage.is_none_or(|stage| person.stage == stage)
                && filter
                    .org
                    .is_none_or(|org| person.memberships.iter().any(|m| m.org == org))
                && filter
                    .tag
                    .as_ref()
                    .is_none_or(|tag| person.tags.iter().any(|t| t == tag))
        })
        .map(|(index, _)| index)
        .collect()
}

/// What the timeline can be filtered by, with how many live people each
/// choice holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FilterChoices {
    /// Organizations by name.
    pub orgs: Vec<(OrgId, String, usize)>,
    /// Tags, alphabetically.
    pub tags: Vec<(String, usize)>,
}

/// The organizations and tags of the live people.
pub fn filter_choices(model: &Model) -> FilterChoices {
    let mut members: HashMap<OrgId, usize> = HashMap::new();
    let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
    for person in model.live_people() {
        for membership in &person.memberships {
            *members.entry(membership.org).or_default() += 1;
        }
        for tag in &person.tags {
            *tags.entry(tag.as_str()).or_default() += 1;
        }
    }
    let mut orgs: Vec<(OrgId, String, usize)> = model
        .orgs
        .values()
        .map(|org| {
            let count = members.get(&org.id).copied().unwrap_or(0);
            (org.id, org.name.clone(), count)
        })
        .collect();
    orgs.sort_by(|a, b| {
        a.1.to_lowercase()
            .cmp(&b.1.to_lowercase())
            .then(a.0.cmp(&b.0))
    });
    FilterChoices {
        orgs,
        tags: tags
            .into_iter()
            .map(|(tag, count)| (tag.to_string(), count))
            .collect(),
    }
}

/// One step of the know -> like -> trust funnel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FunnelStep {
    /// The stage.
    pub stage: Stage,
    /// People who reached it (at this stage or a deeper one).
    pub people: usize,
    /// Their share of the whole network (0 to 1).
    pub of_network: f64,
    /// Their share of the step before (None for the first step).
    pub of_previous: Option<f64>,
}

/// How far relationships get: know, then like, then trust.
#[derive(Clone, Debug, PartialEq)]
pub struct Funnel {
    /// Know, Like, Trust.
    pub steps: [FunnelStep; 3],
    /// Live people.
    pub total: usize,
    /// Acquaintances (not yet in the funnel).
    pub acquaintances: usize,
    /// Dormant people (out of it for now).
    pub dormant: usize,
}

/// The funnel of a network's depth.
pub fn funnel(depth: &NetworkDepth) -> Funnel {
    let at = |stage: Stage| depth.per_stage.get(&stage).copied().unwrap_or(0);
    let reached = [
        at(Stage::Know) + at(Stage::Like) + at(Stage::Trust),
        at(Stage::Like) + at(Stage::Trust),
        at(Stage::Trust),
    ];
    let share = |part: usize, whole: usize| {
        if whole == 0 {
            0.0
        } else {
            part as f64 / whole as f64
        }
    };
    let stages = [Stage::Know, Stage::Like, Stage::Trust];
    let steps = std::array::from_fn(|i| FunnelStep {
        stage: stages[i],
        people: reached[i],
        of_network: share(reached[i], depth.total),
        of_previous: (i > 0).then(|| share(reached[i], reached[i - 1])),
    });
    Funnel {
        steps,
        total: depth.total,
        acquaintances: at(Stage::Acquaintance),
        dormant: at(Stage::Dormant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::insight::network_depth;
    use crate::model::{Interaction, Membership, OrgKind, Organization, Person};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Sunday 22 November 2026.
    fn today() -> NaiveDate {
        day(2026, 11, 22)
    }

    fn person(model: &mut Model, name: &str, stage: Stage) -> PersonId {
        let mut person = Person::new(name);
        person.stage = stage;
        let id = person.id;
        model.people.insert(id, person);
        id
    }

    fn meet(model: &mut Model, date: NaiveDate, kind: InteractionKind, people: Vec<PersonId>) {
        let interaction = Interaction::new(date, kind, people);
        model.interactions.insert(interaction.id, interaction);
    }

    #[test]
    fn weeks_start_on_monday_and_end_with_this_week() {
        assert_eq!(week_start(today()), day(2026, 11, 16));
        assert_eq!(week_start(day(2026, 11, 16)), day(2026, 11, 16));
        assert_eq!(window_start(today(), 1), day(2026, 11, 16));
        assert_eq!(window_start(today(), 53), day(2025, 11, 17));
    }

    #[test]
    fn weekly_counts_split_by_kind_and_skip_the_future_and_the_old() {
        let mut model = Model::default();
        let a = person(&mut model, "Ann", Stage::Know);
        meet(&mut model, today(), InteractionKind::Coffee, vec![a]);
        meet(
            &mut model,
            day(2026, 11, 16),
            InteractionKind::Call,
            vec![a],
        );
        meet(
            &mut model,
            day(2026, 11, 15),
            InteractionKind::Call,
            vec![a],
        );
        meet(
            &mut model,
            day(2026, 11, 23),
            InteractionKind::Call,
            vec![a],
        );
        meet(
            &mut model,
            day(2025, 11, 16),
            InteractionKind::Call,
            vec![a],
        );
        let (weekly, heatmap, _) = activity(&model, today(), WINDOW_WEEKS);
        assert_eq!(weekly.counts.len(), WINDOW_WEEKS);
        let last = WINDOW_WEEKS - 1;
        assert_eq!(weekly.week_start(last), day(2026, 11, 16));
        assert_eq!(weekly.counts[last][kind_index(InteractionKind::Coffee)], 1);
        assert_eq!(weekly.counts[last][kind_index(InteractionKind::Call)], 1);
        assert_eq!(weekly.total(last - 1), 1);
        assert_eq!(weekly.grand_total(), 3);
        assert_eq!(weekly.max_total(), 2);
        assert_eq!(heatmap.max, 1);
        assert_eq!(heatmap.active_days(), 3);
    }

    #[test]
    fn heatmap_cells_are_weekday_rows_and_end_today() {
        let mut model = Model::default();
        let a = person(&mut model, "Ann", Stage::Know);
        for _ in 0..4 {
            meet(
                &mut model,
                day(2026, 11, 18),
                InteractionKind::Lunch,
                vec![a],
            );
        }
        meet(
            &mut model,
            day(2026, 11, 17),
            InteractionKind::Message,
            vec![a],
        );
        let (_, heatmap, _) = activity(&model, today(), WINDOW_WEEKS);
        assert_eq!(heatmap.weeks(), WINDOW_WEEKS);
        let week = WINDOW_WEEKS - 1;
        let (date, wednesday) = heatmap.day(week, 2).unwrap();
        assert_eq!(date, day(2026, 11, 18));
        assert_eq!(wednesday.total, 4);
        assert_eq!(wednesday.sample.len(), DAY_SAMPLES);
        assert_eq!(wednesday.kinds[kind_index(InteractionKind::Lunch)], 4);
        assert_eq!(heatmap.level(4), 4);
        assert_eq!(heatmap.level(1), 1);
        assert_eq!(heatmap.level(0), 0);
        assert!(heatmap.day(week, 6).is_some(), "today (Sunday) is a cell");
        let mut later = model.clone();
        later.interactions.clear();
        let (_, midweek, _) = activity(&later, day(2026, 11, 19), WINDOW_WEEKS);
        assert!(midweek.day(week, 4).is_none(), "no cells after today");
    }

    #[test]
    fn lanes_hold_live_people_most_recent_first() {
        let mut model = Model::default();
        let ann = person(&mut model, "Ann", Stage::Know);
        let bob = person(&mut model, "Bob", Stage::Trust);
        let cy = person(&mut model, "Cy", Stage::Like);
        let gone = person(&mut model, "Gone", Stage::Like);
        if let Some(p) = model.people.get_mut(&gone) {
            p.deleted = true;
        }
        meet(
            &mut model,
            day(2026, 3, 1),
            InteractionKind::Coffee,
            vec![ann],
        );
        meet(
            &mut model,
            day(2026, 10, 1),
            InteractionKind::Call,
            vec![bob, ann],
        );
        meet(
            &mut model,
            day(2026, 11, 1),
            InteractionKind::Lunch,
            vec![cy, gone],
        );
        meet(
            &mut model,
            day(2020, 1, 1),
            InteractionKind::Lunch,
            vec![bob],
        );
        let (_, _, lanes) = activity(&model, today(), WINDOW_WEEKS);
        let order: Vec<PersonId> = lanes.lanes.iter().map(|l| l.person).collect();
        // Ann and Bob share their last day: by name.
        assert_eq!(order, vec![cy, ann, bob]);
        let ann_lane = &lanes.lanes[1];
        assert_eq!(ann_lane.marks.len(), 2);
        assert!(ann_lane.marks[0].date < ann_lane.marks[1].date);
        assert_eq!(ann_lane.last, day(2026, 10, 1));
    }

    #[test]
    fn filters_combine_stage_org_and_tag() {
        let mut model = Model::default();
        let org = Organization::new("Rowing club", OrgKind::Community);
        let org_id = org.id;
        model.orgs.insert(org.id, org);
        let ann = person(&mut model, "Ann", Stage::Know);
        let bob = person(&mut model, "Bob", Stage::Trust);
        if let Some(p) = model.people.get_mut(&bob) {
            p.memberships.push(Membership {
                org: org_id,
                role: "member".into(),
            });
            p.tags.push("mentor".into());
        }
        meet(
            &mut model,
            day(2026, 10, 1),
            InteractionKind::Call,
            vec![ann, bob],
        );
        let (_, _, lanes) = activity(&model, today(), WINDOW_WEEKS);
        let shown = |filter: LaneFilter| -> Vec<PersonId> {
            filter_lanes(&model, &lanes, &filter)
                .into_iter()
                .map(|i| lanes.lanes[i].person)
                .collect()
        };
        assert_eq!(shown(LaneFilter::default()).len(), 2);
        let trust = LaneFilter {
            stage: Some(Stage::Trust),
            ..LaneFilter::default()
        };
        assert_eq!(shown(trust), vec![bob]);
        let club = LaneFilter {
            org: Some(org_id),
            ..LaneFilter::default()
        };
        assert_eq!(shown(club), vec![bob]);
        let mentor_who_knows = LaneFilter {
            tag: Some("mentor".into()),
            stage: Some(Stage::Know),
            ..LaneFilter::default()
        };
        assert!(shown(mentor_who_knows).is_empty());
        let choices = filter_choices(&model);
        assert_eq!(choices.orgs, vec![(org_id, "Rowing club".to_string(), 1)]);
        assert_eq!(choices.tags, vec![("mentor".to_string(), 1)]);
    }

    #[test]
    fn fed_a_slice_at_a_time_the_builder_gives_the_same_activity() {
        let mut model = Model::default();
        let ann = person(&mut model, "Ann", Stage::Know);
        let bob = person(&mut model, "Bob", Stage::Trust);
        let gone = person(&mut model, "Gone", Stage::Like);
        if let Some(p) = model.people.get_mut(&gone) {
            p.deleted = true;
        }
        for n in 0..20 {
            let people = if n % 3 == 0 {
                vec![ann, gone]
            } else {
                vec![bob, ann]
            };
            meet(
                &mut model,
                day(2026, 1 + n % 11, 1 + n),
                InteractionKind::Call,
                people,
            );
        }
        meet(
            &mut model,
            day(2020, 1, 1),
            InteractionKind::Lunch,
            vec![ann],
        );
        let mut builder = ActivityBuilder::new(today(), WINDOW_WEEKS);
        let mut slices = 0;
        while !builder.feed(&model, 3) {
            slices += 1;
        }
        assert!(builder.is_done());
        assert_eq!(slices, 6, "21 interactions, 3 at a time");
        assert_eq!(
            builder.finish(&model),
            activity(&model, today(), WINDOW_WEEKS)
        );
    }

    #[test]
    fn funnel_counts_people_who_reached_each_stage() {
        let mut model = Model::default();
        for (stage, n) in [
            (Stage::Acquaintance, 10),
            (Stage::Know, 6),
            (Stage::Like, 3),
            (Stage::Trust, 1),
            (Stage::Dormant, 2),
        ] {
            for i in 0..n {
                person(&mut model, &format!("{stage} {i}"), stage);
            }
        }
        let funnel = funnel(&network_depth(&model));
        assert_eq!(funnel.total, 22);
        let people: Vec<usize> = funnel.steps.iter().map(|s| s.people).collect();
        assert_eq!(people, vec![10, 4, 1]);
        assert_eq!(funnel.steps[0].of_previous, None);
        assert_eq!(funnel.steps[1].of_previous, Some(0.4));
        assert_eq!(funnel.steps[2].of_previous, Some(0.25));
        assert!((funnel.steps[0].of_network - 10.0 / 22.0).abs() < 1e-9);
        assert_eq!(funnel.acquaintances, 10);
        assert_eq!(funnel.dormant, 2);
        let empty = super::funnel(&network_depth(&Model::default()));
        assert_eq!(empty.steps[2].of_network, 0.0);
        assert_eq!(empty.steps[1].of_previous, Some(0.0));
    }
}
