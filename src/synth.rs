//! A deterministic synthetic network for benchmarks and scale tests:
//! Zipf-distributed interests, organizations, introductions, and interactions
//! spread over years. Same parameters, same network, on every machine.

use crate::model::{
    Consent, Interaction, InteractionId, InteractionKind, Interest, InterestCatalog, Me,
    Membership, Model, OrgEvent, OrgId, OrgKind, Organization, Person, PersonId, Stage,
};
use chrono::NaiveDate;
use uuid::Uuid;

/// The kinds synthetic interactions take.
const RECORDED_KINDS: [InteractionKind; 10] = [
    InteractionKind::MetAtEvent,
    InteractionKind::Coffee,
    InteractionKind::Lunch,
    InteractionKind::Call,
    InteractionKind::Message,
    InteractionKind::NoteSent,
    InteractionKind::HelpGiven,
    InteractionKind::HelpAsked,
    InteractionKind::IntroductionMade,
    InteractionKind::Other,
];
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

/// Needs people have (matched against offers by "who can help").
const NEEDS: [&str; 20] = [
    "A bookkeeper",
    "Seed investors",
    "A lawyer for a lease",
    "A web developer",
    "Clients in healthcare",
    "A photographer for headshots",
    "A designer for our logo",
    "A mentor",
    "A venue for 80 people",
    "A translator",
    "A recruiter",
    "Marketing help",
    "A real estate agent",
    "A caterer",
    "An architect",
    "A copywriter",
    "A new job",
    "Advice on taxes",
    "A good contractor",
    "Someone in public relations",
];

/// What people say they can help with.
const OFFERS: [&str; 20] = [
    "Bookkeeping",
    "Investing",
    "Legal advice",
    "Web development",
    "Photography",
    "Design",
    "Mentoring",
    "Event space",
    "Translation",
    "Recruiting",
    "Marketing",
    "Real estate",
    "Catering",
    "Architecture",
    "Copywriting",
    "Hiring",
    "Coaching",
    "Taxes",
    "Renovation",
    "Press contacts",
];

/// Further job titles, so roles meet needs too.
const TITLES: [&str; 16] = [
    "Accountant",
    "CPA",
    "Attorney",
    "Software engineer",
    "Photographer",
    "Graphic designer",
    "Angel investor",
    "Realtor",
    "Recruiter",
    "Copywriter",
    "Architect",
    "Chef",
    "Translator",
    "Executive coach",
    "Publicist",
    "Builder",
];

/// Give a synthetic person needs, wants, offers and titles ("who can help"
/// data), from its own generator so the rest of the network stays the same.
fn add_help_data(person: &mut Person, rng: &mut Rng, today: NaiveDate, earlier: &[PersonId]) {
    if rng.below(3) == 0 {
        person
            .other_titles
            .push(TITLES[rng.below(TITLES.len())].into());
    }
    for _ in 0..[0, 0, 1, 2][rng.below(4)] {
        let offer = OFFERS[rng.below(OFFERS.len())];
        if !person.can_help_with.iter().any(|o| o == offer) {
            person.can_help_with.push(offer.into());
        }
    }
    if rng.below(5) == 0 {
        for _ in 0..1 + rng.below(2) {
            let need = NEEDS[rng.below(NEEDS.len())];
            if person.needs.iter().any(|n| n == need) {
                continue;
            }
            person.needs.push(need.into());
            if rng.below(2) == 0 {
                person.needs_noted.push(crate::model::NeedNoted {
                    need: need.into(),
                    date: today - chrono::Duration::days(rng.below(400) as i64),
                });
            }
        }
    }
    if rng.below(10) == 0 {
        person.wants.push(NEEDS[rng.below(NEEDS.len())].into());
    }
    if rng.below(20) == 0 && !earlier.is_empty() {
        person.needs_met.push(crate::model::NeedMet {
            need: NEEDS[rng.below(NEEDS.len())].into(),
            date: today - chrono::Duration::days(rng.below(700) as i64),
            interaction: None,
            helper: Some(earlier[rng.below(earlier.len())]),
        });
    }
}

/// Build the network. Deterministic for equal parameters.
pub fn generate(params: &SynthParams) -> Model {
    let mut rng = Rng::new(params.seed);
    let mut help_rng = Rng::new(params.seed ^ 0x4845_4c50);
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
        offers: vec![
            "Mentoring founders".into(),
            "Introductions to investors".into(),
        ],
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
        add_help_data(&mut person, &mut help_rng, params.today, &ids);
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
        // The ten kinds there were before offered introductions (which carry
        // answers the generator does not make), so the networks behind
        // earlier benchmark figures stay the same.
        let kind = RECORDED_KINDS[rng.below(RECORDED_KINDS.len())];
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

/// Import-scale files (`examples/import_scale.rs`): deterministic vCard,
/// CSV and garbage inputs, written as text so the whole reader is measured.
pub mod files {
    use super::Rng;
    use crate::model::Person;
    use std::fmt::Write as _;

    /// `count` minimal vCards of exactly 33 bytes each for `count` below a
    /// million (`BEGIN:VCARD`, `FN:P000123`, `END:VCARD`, LF line ends):
    /// 33 MB at a million.
    pub fn small_vcards(count: usize) -> String {
        let mut out = String::with_capacity(count * 33);
        for i in 0..count {
            let _ = write!(out, "BEGIN:VCARD\nFN:P{i:06}\nEND:VCARD\n");
        }
        out
    }

    /// `count` vCard 3.0 cards that are all one person (the same e-mail,
    /// `email`): with `distinct`, each card adds its own phone, note,
    /// nickname, tag, address, kept property and UID, so the merged person
    /// grows with every card; without, every card is the same.
    pub fn duplicate_vcards(count: usize, email: &str, distinct: bool) -> String {
        let mut out = String::with_capacity(count * 400);
        for i in 0..count {
            let n = if distinct { i } else { 0 };
            let _ = write!(
                out,
                "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Whitfield\r\nN:Whitfield;Dana;;;\r\n\
                 EMAIL;TYPE=work:{email}\r\nTEL;TYPE=cell:+1 617 {:03} {:04}\r\n\
                 NICKNAME:Dee {n}\r\nCATEGORIES:list {n}\r\n\
                 ADR;TYPE=home:;;{n} Main St;Springfield;IL;62701;USA\r\n\
                 NOTE:Met at event {n}\\, talked about sailing\r\n\
                 X-CUSTOM-FIELD:value {n}\r\nUID:urn:uuid:dana-{n}\r\nEND:VCARD\r\n",
                n / 10_000 % 1000,
                n % 10_000,
            );
        }
        out
    }

    /// Quoted-printable text of `text`, every line soft-broken at 76 bytes.
    fn quoted_printable(text: &str, out: &mut String) {
        let mut line = 0;
        for byte in text.bytes() {
            let plain = byte.is_ascii_graphic() && byte != b'=';
            let width = if plain { 1 } else { 3 };
            if line + width > 75 {
                out.push_str("=\r\n");
                line = 0;
            }
            if plain {
                out.push(char::from(byte));
            } else {
                let _ = write!(out, "={byte:02X}");
            }
            line += width;
        }
    }

    /// A vCard 2.1 file of about `bytes` bytes over `cards` cards, each
    /// with one UTF-8 quoted-printable NOTE, soft-broken every 76 bytes
    /// (one card: one note of the whole size, as a pasted document gives).
    pub fn quoted_printable_vcards(bytes: usize, cards: usize) -> String {
        let cards = cards.max(1);
        let per_card = bytes / cards;
        let sentence = "Zoë met Ana at the café in Málaga; they talked sailing. ";
        // One sentence is 57 bytes of text and about 90 once encoded.
        let repeats = (per_card / 90).max(1);
        let mut out = String::with_capacity(bytes + cards * 200);
        for i in 0..cards {
            let _ = write!(
                out,
                "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Person;{i};;;\r\nFN:Person {i}\r\n\
                 NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
            );
            quoted_printable(&sentence.repeat(repeats), &mut out);
            out.push_str("\r\nEND:VCARD\r\n");
        }
        out
    }

    /// One vCard 2.1 card with `properties` quoted-printable properties kith
    /// has no field for (`X-CUSTOM-N`), all kept in `extra`.
    pub fn wide_vcard(properties: usize) -> String {
        let mut out = String::from("BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Wide Card\r\n");
        for i in 0..properties {
            let _ = write!(out, "X-CUSTOM-{i};ENCODING=QUOTED-PRINTABLE:");
            quoted_printable(&format!("café {i} in Málaga"), &mut out);
            out.push_str("\r\n");
        }
        out.push_str("END:VCARD\r\n");
        out
    }

    /// `count` small vCard 4.0 cards and one group card (`KIND:group`)
    /// that has every one of them as a member, by UID.
    pub fn group_vcards(count: usize) -> String {
        let mut out = String::with_capacity(count * 120);
        for i in 0..count {
            let _ = write!(
                out,
                "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Member {i}\r\nUID:urn:uuid:member-{i}\r\nEND:VCARD\r\n"
            );
        }
        out.push_str("BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Everyone\r\n");
        for i in 0..count {
            let _ = write!(out, "MEMBER:urn:uuid:member-{i}\r\n");
        }
        out.push_str("END:VCARD\r\n");
        out
    }

    /// A Google Contacts CSV (current layout) with `rows` people, each with
    /// an e-mail, a phone, a label and one column kith keeps as is.
    pub fn google_contacts_csv(rows: usize) -> String {
        let mut out = String::from(
            "First Name,Middle Name,Last Name,Organization Name,Organization Title,Notes,\
             Labels,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Birthday\r\n",
        );
        for i in 0..rows {
            let _ = write!(
                out,
                "Person,,{i:06},Company {},Engineer,\"Met at event {i}, talked jazz\",\
                 * myContacts ::: list {},* Other,person{i}@example.com,Mobile,+1 617 {:03} {:04},\
                 1980-03-{:02}\r\n",
                i % 997,
                i % 13,
                i / 10_000 % 1000,
                i % 10_000,
                1 + i % 28,
            );
        }
        out
    }

    /// `rows` people, each with `columns` kept CSV columns (`CSV:Column N`
    /// extras): what importing a very wide CSV leaves, for the export.
    pub fn kept_column_people(rows: usize, columns: usize) -> Vec<Person> {
        (0..rows)
            .map(|row| {
                let mut person = Person::new(format!("Person {row}"));
                person.extra = (0..columns)
                    .map(|c| (format!("CSV:Column {c}"), format!("r{row}c{c}")))
                    .collect();
                person
            })
            .collect()
    }

    /// `len` bytes of deterministic noise (neither a vCard nor a CSV).
    pub fn garbage(len: usize, seed: u64) -> Vec<u8> {
        let mut rng = Rng::new(seed);
        let mut out = Vec::with_capacity(len + 8);
        while out.len() < len {
            out.extend_from_slice(&rng.next_u64().to_le_bytes());
        }
        out.truncate(len);
        out
    }
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
    fn synthetic_people_have_needs_someone_can_meet() {
        let params = SynthParams {
            interactions: 100,
            ..SynthParams::scale(2000)
        };
        let model = generate(&params);
        let needy = model
            .people
            .values()
            .filter(|p| !p.needs.is_empty())
            .count();
        assert!((200..800).contains(&needy), "{needy}");
        assert!(model.people.values().any(|p| !p.can_help_with.is_empty()));
        let insight = crate::insight::Insight::build(&model);
        let ways = insight.ways_to_give(&model, params.today, 10);
        assert_eq!(ways.len(), 10);
        let someone = ways[9].needy;
        assert!(
            !insight
                .helpers_for(&model, someone, params.today, 5)
                .is_empty()
        );
    }

    #[test]
    fn import_files_have_their_documented_shape() {
        assert_eq!(files::small_vcards(1000).len(), 33_000);
        let (_, cards, _) =
            crate::exchange::read_contacts(files::small_vcards(3).as_bytes()).expect("small cards");
        assert_eq!(cards.len(), 3);
        let same = files::duplicate_vcards(3, "dana@example.com", false);
        let (_, cards, skipped) = crate::exchange::read_contacts(same.as_bytes()).expect("same");
        assert_eq!((cards.len(), skipped.len()), (3, 0));
        assert_eq!(cards[0].person.emails[0].value, "dana@example.com");
        let qp = files::quoted_printable_vcards(10_000, 1);
        let (_, cards, skipped) = crate::exchange::read_contacts(qp.as_bytes()).expect("qp");
        assert_eq!((cards.len(), skipped.len()), (1, 0), "{skipped:?}");
        assert!(cards[0].person.notes.starts_with("Zoë met Ana at the café"));
        // Every row is its own person (no two share an e-mail or phone).
        let csv = files::google_contacts_csv(20_001);
        let (_, cards, skipped) = crate::exchange::read_contacts(csv.as_bytes()).expect("csv");
        let preview = crate::exchange::ImportPreview::from_parts(
            "csv",
            crate::exchange::ImportFormat::Vcard,
            cards,
            skipped,
            &Model::default(),
        );
        assert_eq!(preview.new_count(), 20_001);
        let csv = files::google_contacts_csv(5);
        let (_, cards, skipped) = crate::exchange::read_contacts(csv.as_bytes()).expect("csv");
        assert_eq!((cards.len(), skipped.len()), (5, 0));
        let (_, cards, _) =
            crate::exchange::read_contacts(files::wide_vcard(5).as_bytes()).expect("wide");
        assert_eq!(cards[0].person.extra.len(), 5);
        assert_eq!(cards[0].person.extra[4].1, "café 4 in Málaga");
        let (_, cards, _) =
            crate::exchange::read_contacts(files::group_vcards(3).as_bytes()).expect("group");
        assert_eq!(cards.len(), 3);
        assert!(cards.iter().all(|c| c.person.tags == ["Everyone"]));
        assert_eq!(files::garbage(10, 1), files::garbage(10, 1));
        assert!(crate::exchange::read_contacts(&files::garbage(100_000, 1)).is_err());
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
