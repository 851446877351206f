//! A deterministic synthetic network for benchmarks and scale tests:
//! Zipf-distributed interests, organizations, introductions, and interactions
//! spread over years. Same parameters, same network, on every machine.

use crate::model::{
    Consent, Interaction, InteractionId, InteractionKind, Interest, InterestCatalog, Me,
    Membership, Model, OrgEvent, OrgId, OrgKind, Organization, Person, PersonId, Stage,
};
use chrono::NaiveDate;
use uuid::Uuid;

/// SplitMix64: tiny, fast, and good enough for test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A deterministic UUID.
    pub fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(
            (u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())).to_be_bytes(),
        )
        .into_uuid()
    }
}

/// Samples ranks 0..n with probability ∝ 1/(rank+1)^s.
#[derive(Clone, Debug)]
pub struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    /// A Zipf distribution over `n` ranks with exponent `s`.
    pub fn new(n: usize, s: f64) -> Self {
        let mut cdf = Vec::with_capacity(n);
        let mut total = 0.0;
        for rank in 0..n {
            total += 1.0 / ((rank + 1) as f64).powf(s);
            cdf.push(total);
        }
        for value in &mut cdf {
            *value /= total;
        }
        Self { cdf }
    }

    /// Draw one rank.
    pub fn sample(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        self.cdf
            .partition_point(|c| *c < u)
            .min(self.cdf.len().saturating_sub(1))
    }
}

/// Shape of a synthetic network.
#[derive(Clone, Debug)]
pub struct SynthParams {
    /// Number of people.
    pub people: usize,
    /// Number of interactions.
    pub interactions: usize,
    /// Size of the interest vocabulary.
    pub interests: usize,
    /// Number of organizations.
    pub organizations: usize,
    /// Years the interactions span, ending at `today`.
    pub years: u32,
    /// Last day of the data.
    pub today: NaiveDate,
    /// Seed.
    pub seed: u64,
}

impl SynthParams {
    /// The benchmark shape: `people` people with 10 interactions each.
    pub fn scale(people: usize) -> Self {
        Self {
            people,
            interactions: people * 10,
            interests: 5_000,
            organizations: (people / 500).max(5),
            years: 5,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default(),
            seed: 42,
        }
    }
}

const WORDS: [&str; 40] = [
    "running",
    "jazz",
    "sailing",
    "chess",
    "startups",
    "design",
    "marketing",
    "finance",
    "hiking",
    "cooking",
    "photography",
    "climbing",
    "poetry",
    "robotics",
    "gardening",
    "yoga",
    "cycling",
    "film",
    "wine",
    "coffee",
    "history",
    "golf",
    "tennis",
    "music",
    "theatre",
    "travel",
    "books",
    "ai",
    "law",
    "health",
    "teaching",
    "architecture",
    "fashion",
    "soccer",
    "rowing",
    "painting",
    "podcasts",
    "volunteering",
    "investing",
    "real estate",
];

/// Build the network. Deterministic for equal parameters.
pub fn generate(params: &SynthParams) -> Model {
    let mut rng = Rng::new(params.seed);
    let mut model = Model::default();
    let interest_names: Vec<String> = (0..params.interests)
        .map(|i| {
            if i < WORDS.len() {
                WORDS[i].to_string()
            } else {
                format!("{} topic {}", WORDS[i % WORDS.len()], i)
            }
        })
        .collect();
    let mut catalog = Vec::new();
    for name in interest_names.iter().take(WORDS.len()) {
        catalog.push(Interest::named(name));
    }
    model.interests = InterestCatalog::from(catalog);
    model.me = Me {
        name: "Synthetic Me".into(),
        interests: interest_names.iter().take(5).cloned().collect(),
        ..Default::default()
    };
    let start = params.today - chrono::Duration::days(365 * i64::from(params.years));
    let span_days = (params.today - start).num_days().max(1) as usize;

    let mut org_ids = Vec::new();
    for i in 0..params.organizations {
        let mut org = Organization::new(format!("Organization {i}"), OrgKind::ALL[i % 5]);
        org.id = OrgId(rng.uuid());
        for month in 0..12 {
            org.events.push(OrgEvent {
                date: params.today - chrono::Duration::days(30 * month),
                title: "Monthly meeting".into(),
                attended: rng.below(2) == 0,
            });
        }
        org_ids.push(org.id);
        model.orgs.insert(org.id, org);
    }

    let interest_zipf = Zipf::new(params.interests, 1.0);
    let org_zipf = Zipf::new(params.organizations.max(1), 1.1);
    let mut ids = Vec::with_capacity(params.people);
    for i in 0..params.people {
        let id = PersonId(rng.uuid());
        let mut person = Person {
            id,
            name: format!("Person {i:06} {}", WORDS[i % WORDS.len()]),
            organization: format!("Company {}", rng.below(params.people / 10 + 1)),
            role: ["Founder", "Engineer", "Designer", "Director", "Consultant"][rng.below(5)]
                .into(),
            emails: vec![crate::model::Contact::new(format!("person{i}@example.com"))],
            ..Default::default()
        };
        let interest_count = 1 + rng.below(8);
        for _ in 0..interest_count {
            person
                .interests
                .push(interest_names[interest_zipf.sample(&mut rng)].clone());
        }
        person.interests.sort();
        person.interests.dedup();
        if rng.below(3) == 0 && !org_ids.is_empty() {
            person.memberships.push(Membership {
                org: org_ids[org_zipf.sample(&mut rng)],
                role: "member".into(),
            });
        }
        if rng.below(5) == 0 {
            person
                .tags
                .push(["client", "mentor", "investor", "press"][rng.below(4)].into());
        }
        if i > 0 && rng.below(4) == 0 {
            person.introduced_by = Some(ids[rng.below(ids.len())]);
        }
        person.stage = Stage::ALL[rng.below(5)];
        person.newsletter = match rng.below(3) {
            0 => Consent::Yes { date: start },
            1 => Consent::No { date: None },
            _ => Consent::NotAsked,
        };
        person.met.date = Some(start + chrono::Duration::days(rng.below(span_days) as i64));
        ids.push(id);
        model.people.insert(id, person);
    }
    if ids.is_empty() {
        return model;
    }
    // Interactions: activity is skewed, some people see you far more often.
    let people_zipf = Zipf::new(ids.len(), 0.6);
    for _ in 0..params.interactions {
        let date = start + chrono::Duration::days(rng.below(span_days) as i64);
        let kind = InteractionKind::ALL[rng.below(InteractionKind::ALL.len())];
        let mut people = vec![ids[people_zipf.sample(&mut rng)]];
        if rng.below(10) == 0 {
            let other = ids[rng.below(ids.len())];
            if other != people[0] {
                people.push(other);
            }
        }
        let mut interaction = Interaction {
            id: InteractionId(rng.uuid()),
            date,
            kind,
            people,
            ..Default::default()
        };
        if rng.below(20) == 0 {
            interaction.follow_up = Some(date + chrono::Duration::days(14));
            interaction.follow_up_done = date + chrono::Duration::days(30) < params.today;
        }
        model.interactions.insert(interaction.id, interaction);
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let params = SynthParams {
            interactions: 500,
            ..SynthParams::scale(100)
        };
        let a = generate(&params);
        let b = generate(&params);
        assert_eq!(a, b);
        assert_eq!(a.people.len(), 100);
        assert_eq!(a.interactions.len(), 500);
    }

    #[test]
    fn zipf_prefers_low_ranks() {
        let zipf = Zipf::new(100, 1.0);
        let mut rng = Rng::new(1);
        let mut counts = [0usize; 100];
        for _ in 0..10_000 {
            counts[zipf.sample(&mut rng)] += 1;
        }
        assert!(counts[0] > counts[10] && counts[10] > counts[90]);
    }
}
