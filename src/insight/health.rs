//! Relationship health, stage suggestions, re-engagement and network depth.
//! Every score carries the reasons behind it.

use super::index::{Insight, PersonStats};
use crate::model::{InteractionKind, Involvement, Model, OrgId, Person, PersonId, Settings, Stage};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// A suggested stage, with the evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct StageSuggestion {
    /// The stage the evidence points to.
    pub stage: Stage,
    /// Why.
    pub reasons: Vec<String>,
}

/// The health of one relationship.
#[derive(Clone, Debug, PartialEq)]
pub struct Health {
    /// Days since last contact (None = never).
    pub days_quiet: Option<i64>,
    /// Interactions in the last 365 days.
    pub frequency: usize,
    /// Distinct kinds of interaction ever.
    pub variety: usize,
    /// Help given minus help asked.
    pub give_ask_balance: i64,
    /// 0–100 overall score.
    pub score: u32,
    /// Gone quiet far past the person's rhythm.
    pub dormant: bool,
    /// Stage the evidence suggests, if different from the current one.
    pub suggestion: Option<StageSuggestion>,
    /// Plain-language reasons behind the score.
    pub reasons: Vec<String>,
}

/// Someone to get back in touch with.
#[derive(Clone, Debug, PartialEq)]
pub struct ReEngage {
    /// Who.
    pub person: PersonId,
    /// Priority: relationship value × how overdue.
    pub priority: f64,
    /// Days since last contact (None = never).
    pub days_quiet: Option<i64>,
    /// Why they are on the list.
    pub reason: String,
}

/// How deep the network is, stage by stage.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkDepth {
    /// Live people per stage.
    pub per_stage: BTreeMap<Stage, usize>,
    /// Live people.
    pub total: usize,
    /// Acquaintances per trusted contact ("mile wide, inch deep"); None with no trusted contacts.
    pub wide_to_deep: Option<f64>,
    /// A one-line verdict.
    pub verdict: String,
}

/// Your participation in one organization.
#[derive(Clone, Debug, PartialEq)]
pub struct OrgParticipation {
    /// The organization.
    pub org: OrgId,
    /// Past events you attended.
    pub attended: usize,
    /// Past events in total.
    pub past_events: usize,
    /// Your role today.
    pub role_today: Option<Involvement>,
    /// Highest role you ever held.
    pub highest_role: Option<Involvement>,
    /// People in your network who are members.
    pub members_known: usize,
    /// Upcoming events (date, title), soonest first.
    pub upcoming: Vec<(NaiveDate, String)>,
}

/// How often, in words: "every day", "every 3 weeks", "every month",
/// "every 45 days". Months count as 30 days, weeks as 7.
pub fn rhythm_words(days: u32) -> String {
    match days {
        0 | 1 => "every day".to_string(),
        30 => "every month".to_string(),
        7 => "every week".to_string(),
        d if d.is_multiple_of(30) => format!("every {} months", d / 30),
        d if d.is_multiple_of(7) => format!("every {} weeks", d / 7),
        d => format!("every {d} days"),
    }
}

/// Where a rhythm comes from: "(your rhythm)" when set for the person,
/// "(Like default)" when it is the stage's.
fn rhythm_source(own: bool, stage: Stage) -> String {
    if own {
        "(your rhythm)".to_string()
    } else {
        format!("({stage} default)")
    }
}

/// A person's rhythm and where it comes from: "every 3 weeks (your
/// rhythm)", "every month (Like default)".
pub fn rhythm_reason(person: &Person, settings: &Settings) -> String {
    let own = person.rhythm_days.is_some_and(|d| d > 0);
    format!(
        "{} {}",
        rhythm_words(person.rhythm(settings)),
        rhythm_source(own, person.stage)
    )
}

/// Stage the interaction evidence supports, ignoring dormancy.
fn evidence_stage(stats: &PersonStats) -> (Stage, Vec<String>) {
    let one_to_ones = stats.one_to_ones();
    let given = stats.count(InteractionKind::HelpGiven);
    let asked = stats.count(InteractionKind::HelpAsked);
    let mut reasons = Vec::new();
    let stage = if one_to_ones >= 4 && given >= 1 && (asked >= 1 || given >= 2) {
        reasons.push(format!("{one_to_ones} one-to-one meetings"));
        reasons.push(format!("help exchanged ({given} given, {asked} asked)"));
        Stage::Trust
    } else if one_to_ones >= 2 {
        reasons.push(format!(
            "{one_to_ones} one-to-one meetings (coffee or lunch)"
        ));
        Stage::Like
    } else if stats.total() >= 2 {
        reasons.push(format!("{} interactions", stats.total()));
        Stage::Know
    } else {
        Stage::Acquaintance
    };
    (stage, reasons)
}

impl Insight {
    /// Health of one relationship as of `today`.
    pub fn health(&self, model: &Model, id: PersonId, today: NaiveDate) -> Health {
        let stats = self.stats(id);
        let person = model.people.get(&id);
        let stage = person.map(|p| p.stage).unwrap_or_default();
        let cadence = i64::from(
            person
                .map_or_else(
                    || model.settings.cadence(stage),
                    |p| p.rhythm(&model.settings),
                )
                .max(1),
        );
        let rhythm = person.map_or_else(
            || {
                format!(
                    "{} {}",
                    rhythm_words(cadence as u32),
                    rhythm_source(false, stage)
                )
            },
            |p| rhythm_reason(p, &model.settings),
        );
        let days_quiet = stats.days_since_contact(today);
        let year_ago = today - chrono::Duration::days(365);
        let frequency = stats
            .interactions
            .iter()
            .filter(|(d, _)| *d > year_ago && *d <= today)
            .count();
        let variety = stats.kind_counts.iter().filter(|c| **c > 0).count();
        let balance = stats.give_ask_balance();
        let mut reasons = Vec::new();

        let recency = match days_quiet {
            None => {
                reasons.push("no interactions recorded yet".to_string());
                0.0
            }
            Some(days) if days <= cadence => {
                reasons.push(format!("in touch {days} days ago, keeping to {rhythm}"));
                1.0
            }
            Some(days) => {
                reasons.push(format!("quiet for {days} days, aiming for {rhythm}"));
                (cadence as f64 / days as f64).clamp(0.0, 1.0)
            }
        };
        let frequency_score = (frequency as f64 / 12.0).min(1.0);
        if frequency > 0 {
            reasons.push(format!("{frequency} interactions in the last year"));
        }
        let variety_score = (variety as f64 / 4.0).min(1.0);
        if variety > 1 {
            reasons.push(format!("{variety} kinds of interaction"));
        }
        let balance_score = match balance {
            b if b > 0 => {
                reasons.push(format!("you have given {b} more times than you asked"));
                1.0
            }
            0 => 0.6,
            b => {
                reasons.push(format!(
                    "you asked {} more times than you gave: give first",
                    -b
                ));
                0.2
            }
        };
        let score = (100.0
            * (0.4 * recency + 0.25 * frequency_score + 0.15 * variety_score + 0.2 * balance_score))
            .round() as u32;

        let dormant =
            stage != Stage::Acquaintance && days_quiet.is_some_and(|d| d > (2 * cadence).max(180));
        let (evidence, mut why) = evidence_stage(stats);
        let suggestion = if dormant && stage != Stage::Dormant {
            Some(StageSuggestion {
                stage: Stage::Dormant,
                reasons: vec![format!(
                    "no contact for {} days, more than twice the rhythm: {rhythm}",
                    days_quiet.unwrap_or_default()
                )],
            })
        } else if stage == Stage::Dormant && days_quiet.is_some_and(|d| d <= cadence) {
            why.insert(0, "back in touch recently".into());
            Some(StageSuggestion {
                stage: evidence.max(Stage::Know),
                reasons: why,
            })
        } else if stage != Stage::Dormant && evidence > stage {
            Some(StageSuggestion {
                stage: evidence,
                reasons: why,
            })
        } else {
            None
        };
        Health {
            days_quiet,
            frequency,
            variety,
            give_ask_balance: balance,
            score,
            dormant,
            suggestion,
            reasons,
        }
    }

    /// People who were close and have gone quiet, most valuable and most
    /// overdue first. Only Know, Like, Trust and Dormant relationships qualify.
    pub fn re_engage(&self, model: &Model, today: NaiveDate, limit: usize) -> Vec<ReEngage> {
        let cadence_of: Vec<f64> = Stage::ALL
            .iter()
            .map(|s| f64::from(model.settings.cadence(*s).max(1)))
            .collect();
        // Score everyone cheaply first; build the reason strings for the winners only.
        let mut scored: Vec<(f64, PersonId, Stage, i64)> = Vec::new();
        for (id, stage, own_rhythm, stats) in self.live_ids() {
            if stage == Stage::Acquaintance {
                continue;
            }
            // The person's own rhythm wins over the stage's default.
            let cadence = if own_rhythm > 0 {
                f64::from(own_rhythm)
            } else {
                cadence_of[stage as usize]
            };
            let Some(days) = stats.days_since_contact(today) else {
                continue;
            };
            if (days as f64) <= cadence {
                continue;
            }
            let value = f64::from(stage.weight())
                + 0.5 * f64::from(stats.one_to_ones().min(10)) / 10.0
                + if stats.give_ask_balance() < 0 {
                    0.5
                } else {
                    0.0
                };
            scored.push((value * (days as f64 / cadence), id, stage, days));
        }
        let better = |a: &(f64, PersonId, Stage, i64), b: &(f64, PersonId, Stage, i64)| {
            b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
        };
        if scored.len() > limit && limit > 0 {
            scored.select_nth_unstable_by(limit - 1, better);
            scored.truncate(limit);
        }
        scored.sort_by(better);
        scored.truncate(limit);
        scored
            .into_iter()
            .map(|(priority, person, stage, days)| {
                let rhythm = match model.people.get(&person) {
                    Some(p) => rhythm_reason(p, &model.settings),
                    None => format!(
                        "{} {}",
                        rhythm_words(cadence_of[stage as usize] as u32),
                        rhythm_source(false, stage)
                    ),
                };
                ReEngage {
                    person,
                    priority,
                    days_quiet: Some(days),
                    reason: format!("{stage} · quiet {days} days · aim {rhythm}"),
                }
            })
            .collect()
    }
}

/// Stage counts and the "mile wide, inch deep" ratio.
pub fn network_depth(model: &Model) -> NetworkDepth {
    let mut per_stage: BTreeMap<Stage, usize> = Stage::ALL.iter().map(|s| (*s, 0)).collect();
    let mut total = 0;
    for person in model.live_people() {
        *per_stage.entry(person.stage).or_default() += 1;
        total += 1;
    }
    let wide = per_stage[&Stage::Acquaintance] + per_stage[&Stage::Know];
    let deep = per_stage[&Stage::Trust];
    let wide_to_deep = (deep > 0).then(|| wide as f64 / deep as f64);
    let verdict = match wide_to_deep {
        _ if total == 0 => "No one yet: start with the people you already know.".to_string(),
        None => format!("{wide} people you know of, nobody you trust yet: pick two for coffee."),
        Some(ratio) if ratio > 10.0 => format!(
            "Mile wide, inch deep: {ratio:.0} acquaintances per trusted contact. Go deeper with a few."
        ),
        Some(ratio) => format!("{ratio:.1} acquaintances per trusted contact: good depth."),
    };
    NetworkDepth {
        per_stage,
        total,
        wide_to_deep,
        verdict,
    }
}

/// Attendance and roles per organization, as of `today`.
pub fn org_participation(model: &Model, today: NaiveDate) -> Vec<OrgParticipation> {
    let mut members: BTreeMap<OrgId, usize> = BTreeMap::new();
    for person in model.live_people() {
        for membership in &person.memberships {
            *members.entry(membership.org).or_default() += 1;
        }
    }
    let mut out: Vec<OrgParticipation> = model
        .orgs
        .values()
        .map(|org| {
            let past: Vec<_> = org.events.iter().filter(|e| e.date < today).collect();
            let mut upcoming: Vec<(NaiveDate, String)> = org
                .events
                .iter()
                .filter(|e| e.date >= today)
                .map(|e| (e.date, e.title.clone()))
                .collect();
            upcoming.sort();
            OrgParticipation {
                org: org.id,
                attended: past.iter().filter(|e| e.attended).count(),
                past_events: past.len(),
                role_today: org.role_on(today),
                highest_role: org.my_roles.iter().map(|r| r.role).max(),
                members_known: members.get(&org.id).copied().unwrap_or(0),
                upcoming,
            }
        })
        .collect();
    out.sort_by(|a, b| b.attended.cmp(&a.attended).then(a.org.cmp(&b.org)));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::action::Action;
    use crate::model::Interaction;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    /// Two Like people (stage default: every 30 days), last called 20 and
    /// 40 days before 22 Nov.
    fn two_friends() -> (Model, PersonId, PersonId) {
        let mut model = Model::default();
        let mut recent = Person::new("Recent");
        recent.stage = Stage::Like;
        let mut quiet = Person::new("Quiet");
        quiet.stage = Stage::Like;
        let (recent_id, quiet_id) = (recent.id, quiet.id);
        for p in [recent, quiet] {
            model.people.insert(p.id, p);
        }
        for (id, on) in [(recent_id, day(11, 2)), (quiet_id, day(10, 13))] {
            let i = Interaction::new(on, InteractionKind::Call, vec![id]);
            model.interactions.insert(i.id, i);
        }
        (model, recent_id, quiet_id)
    }

    fn with_rhythm(model: &mut Model, insight: &mut Insight, id: PersonId, days: Option<u32>) {
        let mut person = model.people[&id].clone();
        person.rhythm_days = days;
        let applied = model.apply(Action::EditPerson(person)).unwrap();
        insight.update(model, &applied.touched);
    }

    #[test]
    fn rhythms_read_in_words() {
        assert_eq!(rhythm_words(1), "every day");
        assert_eq!(rhythm_words(7), "every week");
        assert_eq!(rhythm_words(14), "every 2 weeks");
        assert_eq!(rhythm_words(21), "every 3 weeks");
        assert_eq!(rhythm_words(30), "every month");
        assert_eq!(rhythm_words(90), "every 3 months");
        assert_eq!(rhythm_words(45), "every 45 days");
    }

    #[test]
    fn the_persons_rhythm_overrides_the_stage_default() {
        let (mut model, recent, quiet) = two_friends();
        let mut insight = Insight::build(&model);
        let today = day(11, 22);
        // Stage default: only the one quiet for 40 days is due.
        let list = insight.re_engage(&model, today, 10);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].person, quiet);
        assert_eq!(
            list[0].reason,
            "Like · quiet 40 days · aim every month (Like default)"
        );
        let health = insight.health(&model, recent, today);
        assert!(
            health
                .reasons
                .contains(&"in touch 20 days ago, keeping to every month (Like default)".into()),
            "{:?}",
            health.reasons
        );

        // Every 2 weeks for the recent one: now due, and first (20/14 > 40/30).
        with_rhythm(&mut model, &mut insight, recent, Some(14));
        let list = insight.re_engage(&model, today, 10);
        let order: Vec<PersonId> = list.iter().map(|r| r.person).collect();
        assert_eq!(order, [recent, quiet]);
        assert_eq!(
            list[0].reason,
            "Like · quiet 20 days · aim every 2 weeks (your rhythm)"
        );
        let health = insight.health(&model, recent, today);
        assert!(
            health
                .reasons
                .contains(&"quiet for 20 days, aiming for every 2 weeks (your rhythm)".into()),
            "{:?}",
            health.reasons
        );
        // The incremental index agrees with a fresh build.
        assert_eq!(Insight::build(&model).re_engage(&model, today, 10), list);

        // Every quarter for the quiet one: off the list.
        with_rhythm(&mut model, &mut insight, quiet, Some(90));
        let list = insight.re_engage(&model, today, 10);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].person, recent);

        // Back to the stage default.
        with_rhythm(&mut model, &mut insight, quiet, None);
        with_rhythm(&mut model, &mut insight, recent, None);
        let list = insight.re_engage(&model, today, 10);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].person, quiet);
    }

    #[test]
    fn dormancy_follows_the_persons_rhythm() {
        let (mut model, _, quiet) = two_friends();
        let mut insight = Insight::build(&model);
        // 200 days quiet: past 180 and twice the default (30), so dormant.
        let later = day(11, 22) + chrono::Duration::days(160);
        assert!(insight.health(&model, quiet, later).dormant);
        // Once a year is their rhythm: 200 days is not dormant.
        with_rhythm(&mut model, &mut insight, quiet, Some(360));
        let health = insight.health(&model, quiet, later);
        assert!(!health.dormant);
        assert!(
            health.reasons[0].contains("every 12 months (your rhythm)"),
            "{:?}",
            health.reasons
        );
    }
}
