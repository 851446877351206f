//! Writes `assets/demo.ron`, the demo network kith opens on the first run.
//!
//! Run: `cargo run --example make_demo`. The output is deterministic.

use chrono::Datelike;
use chrono::NaiveDate;
use kith::model::{
    Address, Consent, Contact, DateKind, ImportantDate, Interaction, InteractionId,
    InteractionKind, Interest, InterestCatalog, IntroAnswer, IntroOffer, Involvement, Label, Me,
    Membership, Model, NeedMet, NeedNoted, OrgEvent, OrgId, OrgKind, Organization, PartialDate,
    Person, PersonId, Relation, RelationKind, RoleSpan, Stage, StageChange,
};
use kith::synth::Rng;

const ANCHOR: (i32, u32, u32) = (2026, 11, 22);

struct Row {
    name: &'static str,
    company: &'static str,
    role: &'static str,
    interests: &'static [&'static str],
    needs: &'static [&'static str],
    stage: Stage,
    orgs: &'static [usize],
    met: &'static str,
    tags: &'static [&'static str],
}

const ORGS: [(&str, OrgKind); 5] = [
    ("Harbor Chamber of Commerce", OrgKind::Chamber),
    ("Tuesday Referral Circle", OrgKind::ReferralClub),
    ("Product Guild", OrgKind::Professional),
    ("Riverside Runners", OrgKind::Community),
    ("Women in Finance Network", OrgKind::Professional),
];

macro_rules! row {
    ($name:expr, $company:expr, $role:expr, [$($i:expr),*], [$($n:expr),*], $stage:ident, [$($o:expr),*], $met:expr, [$($t:expr),*]) => {
        Row { name: $name, company: $company, role: $role, interests: &[$($i),*], needs: &[$($n),*],
              stage: Stage::$stage, orgs: &[$($o),*], met: $met, tags: &[$($t),*] }
    };
}

const PEOPLE: [Row; 40] = [
    row!(
        "Dana Whitfield",
        "Harbor Physio",
        "Owner",
        ["Running", "Boston Marathon", "Small business"],
        ["A bookkeeper"],
        Trust,
        [0, 3],
        "Chamber spring mixer",
        ["referral partner"]
    ),
    row!(
        "Raj Patel",
        "Patel Accounting",
        "CPA",
        ["Sailing", "Small business", "Chess"],
        ["Clients in healthcare"],
        Like,
        [0, 1],
        "Tuesday Referral Circle",
        ["referral partner"]
    ),
    row!(
        "Mei Lin",
        "Northwind Labs",
        "Head of Product",
        ["Product management", "Jazz", "Running"],
        ["Senior designer hire"],
        Like,
        [2],
        "Product Guild meetup",
        []
    ),
    row!(
        "Tom Okafor",
        "Okafor Legal",
        "Attorney",
        ["Chess", "History", "Cycling"],
        [],
        Know,
        [0],
        "Chamber breakfast",
        []
    ),
    row!(
        "Sofia Garcia",
        "Blue Door Bakery",
        "Founder",
        ["Baking", "Small business", "Gardening"],
        ["Catering clients"],
        Like,
        [0, 1],
        "Chamber breakfast",
        ["client"]
    ),
    row!(
        "Ethan Brooks",
        "Brooks & Co Realty",
        "Broker",
        ["Golf", "Real estate", "Sailing"],
        ["Relocation leads"],
        Know,
        [1],
        "Tuesday Referral Circle",
        []
    ),
    row!(
        "Priya Nair",
        "Lumen Health",
        "CTO",
        ["AI", "Running", "Boston Marathon"],
        ["Clinical advisors"],
        Trust,
        [2, 3],
        "Riverside Runners long run",
        ["mentor"]
    ),
    row!(
        "Lucas Meyer",
        "Freelance",
        "Photographer",
        ["Photography", "Hiking", "Jazz"],
        ["Corporate clients"],
        Acquaintance,
        [],
        "Gallery opening",
        []
    ),
    row!(
        "Hannah Schultz",
        "Schultz Insurance",
        "Agent",
        ["Golf", "Volunteering", "Small business"],
        [],
        Know,
        [0, 1],
        "Chamber gala",
        []
    ),
    row!(
        "Omar Haddad",
        "Cedar Ventures",
        "Partner",
        ["Investing", "Startups", "Chess"],
        ["Climate deal flow"],
        Like,
        [2],
        "Demo day",
        ["investor"]
    ),
    row!(
        "Grace Kim",
        "Kim Design Studio",
        "Designer",
        ["Design", "Photography", "Yoga"],
        ["Retainer clients"],
        Like,
        [2],
        "Product Guild meetup",
        []
    ),
    row!(
        "Noah Williams",
        "City Council",
        "Council member",
        ["Urban planning", "Cycling", "History"],
        [],
        Acquaintance,
        [0],
        "Chamber gala",
        []
    ),
    row!(
        "Isabella Rossi",
        "Rossi Wines",
        "Sommelier",
        ["Wine", "Cooking", "Travel"],
        ["Event venues"],
        Know,
        [0],
        "Chamber wine tasting",
        []
    ),
    row!(
        "Kwame Mensah",
        "Mensah Builders",
        "Contractor",
        ["Architecture", "Soccer", "Small business"],
        ["An architect"],
        Know,
        [1],
        "Tuesday Referral Circle",
        []
    ),
    row!(
        "Chloe Martin",
        "Northwind Labs",
        "Engineer",
        ["Robotics", "Climbing", "AI"],
        ["Mentor"],
        Acquaintance,
        [2],
        "Product Guild meetup",
        []
    ),
    row!(
        "Daniel Cohen",
        "Cohen Capital",
        "Advisor",
        ["Investing", "Sailing", "History"],
        [],
        Know,
        [4],
        "WiFN panel",
        []
    ),
    row!(
        "Aisha Bello",
        "Bright Path Coaching",
        "Coach",
        ["Leadership", "Yoga", "Running"],
        ["Speaking gigs"],
        Like,
        [3, 4],
        "Riverside Runners 10k",
        []
    ),
    row!(
        "Felix Wagner",
        "Wagner IT",
        "Owner",
        ["Cybersecurity", "Chess", "Cycling"],
        ["Clients with 20+ staff"],
        Know,
        [0, 1],
        "Chamber breakfast",
        []
    ),
    row!(
        "Yuki Tanaka",
        "Tanaka Translation",
        "Translator",
        ["Languages", "Travel", "Film"],
        [],
        Acquaintance,
        [],
        "Coworking space",
        []
    ),
    row!(
        "Olivia Brown",
        "Harbor Bank",
        "Branch manager",
        ["Small business", "Golf", "Volunteering"],
        [],
        Know,
        [0, 4],
        "Chamber breakfast",
        []
    ),
    row!(
        "Mateo Silva",
        "Silva Fitness",
        "Trainer",
        ["Running", "Nutrition", "Soccer"],
        ["Corporate wellness clients"],
        Like,
        [3],
        "Riverside Runners",
        []
    ),
    row!(
        "Fatima Zahra",
        "Open Books Library",
        "Librarian",
        ["Books", "History", "Gardening"],
        [],
        Acquaintance,
        [],
        "Library fundraiser",
        []
    ),
    row!(
        "Ben Carter",
        "Carter Print",
        "Owner",
        ["Printing", "Design", "Baseball"],
        [],
        Know,
        [1],
        "Tuesday Referral Circle",
        []
    ),
    row!(
        "Elena Popescu",
        "Lumen Health",
        "Data scientist",
        ["AI", "Hiking", "Chess"],
        [],
        Acquaintance,
        [2],
        "Product Guild talk",
        []
    ),
    row!(
        "Sam Rivera",
        "Rivera Marketing",
        "Consultant",
        ["Marketing", "Podcasts", "Running"],
        ["Podcast guests"],
        Trust,
        [0, 1, 3],
        "Chamber breakfast",
        ["client"]
    ),
    row!(
        "Julia Novak",
        "Novak HR",
        "HR consultant",
        ["Leadership", "Yoga", "Books"],
        [],
        Know,
        [4],
        "WiFN breakfast",
        []
    ),
    row!(
        "Arjun Mehta",
        "Fresh Start",
        "Founder",
        ["Startups", "Cricket", "AI"],
        ["Seed investors"],
        Like,
        [2],
        "Demo day",
        []
    ),
    row!(
        "Laura Becker",
        "Becker Events",
        "Planner",
        ["Events", "Wine", "Travel"],
        ["Wine suppliers"],
        Know,
        [0],
        "Chamber gala",
        []
    ),
    row!(
        "Victor Dubois",
        "Retired",
        "Former CEO",
        ["Sailing", "Mentoring", "Wine"],
        [],
        Trust,
        [0],
        "Chamber board dinner",
        ["mentor"]
    ),
    row!(
        "Nia Johnson",
        "Harbor Schools",
        "Teacher",
        ["Teaching", "Running", "Poetry"],
        [],
        Acquaintance,
        [3],
        "Riverside Runners",
        []
    ),
    row!(
        "Pedro Alvarez",
        "Alvarez Landscaping",
        "Owner",
        ["Gardening", "Soccer", "Small business"],
        ["Commercial contracts"],
        Know,
        [1],
        "Tuesday Referral Circle",
        []
    ),
    row!(
        "Emma Lindqvist",
        "Product Guild",
        "Organizer",
        ["Product management", "Design", "Climbing"],
        [],
        Like,
        [2],
        "Product Guild meetup",
        []
    ),
    row!(
        "Hiro Sato",
        "Sato Robotics",
        "Founder",
        ["Robotics", "AI", "Startups"],
        ["Pilot customers"],
        Know,
        [2],
        "Demo day",
        []
    ),
    row!(
        "Zara Ahmed",
        "Harbor Bank",
        "Loan officer",
        ["Finance", "Cooking", "Volunteering"],
        [],
        Acquaintance,
        [4],
        "WiFN breakfast",
        []
    ),
    row!(
        "Connor Walsh",
        "Walsh Plumbing",
        "Owner",
        ["Soccer", "Fishing", "Small business"],
        [],
        Acquaintance,
        [1],
        "Tuesday Referral Circle",
        []
    ),
    row!(
        "Leila Haddad",
        "Cedar Ventures",
        "Analyst",
        ["Investing", "Climbing", "Film"],
        [],
        Acquaintance,
        [2],
        "Demo day",
        []
    ),
    row!(
        "Marcus Green",
        "Green Energy Co",
        "Sales director",
        ["Clean energy", "Golf", "Cycling"],
        ["Commercial roofs"],
        Dormant,
        [0],
        "Chamber expo",
        []
    ),
    row!(
        "Ingrid Olsen",
        "Olsen Architects",
        "Architect",
        ["Architecture", "Sailing", "Photography"],
        ["A reliable builder"],
        Know,
        [0],
        "Chamber expo",
        []
    ),
    row!(
        "Ravi Shankar",
        "Shankar Dental",
        "Dentist",
        ["Running", "Boston Marathon", "Jazz"],
        [],
        Acquaintance,
        [3],
        "Riverside Runners 10k",
        []
    ),
    row!(
        "Clara Fischer",
        "Freelance",
        "Copywriter",
        ["Writing", "Poetry", "Podcasts"],
        ["Steady clients"],
        Know,
        [],
        "Coworking space",
        []
    ),
];

fn main() -> std::io::Result<()> {
    let anchor = NaiveDate::from_ymd_opt(ANCHOR.0, ANCHOR.1, ANCHOR.2).unwrap_or_default();
    let days = |n: i64| anchor - chrono::Duration::days(n);
    let mut rng = Rng::new(2026);
    let mut model = Model {
        me: Me {
            name: "Alex Morgan".into(),
            interests: vec![
                "Running".into(),
                "Sailing".into(),
                "Small business".into(),
                "AI".into(),
                "Jazz".into(),
            ],
            offers: vec![
                "Introductions to local business owners".into(),
                "Website reviews".into(),
                "Pitch deck feedback".into(),
                "Pricing advice".into(),
            ],
            notes: "Independent consultant for small businesses.".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let mut catalog = vec![];
    let mut running = Interest::named("Running");
    running
        .aliases
        .insert(kith::model::normalize_interest("jogging"));
    catalog.push(running);
    let mut ai = Interest::named("AI");
    ai.aliases
        .insert(kith::model::normalize_interest("machine learning"));
    catalog.push(ai);
    model.interests = InterestCatalog::from(catalog);

    let mut org_ids = Vec::new();
    for (i, (name, kind)) in ORGS.iter().enumerate() {
        let mut org = Organization::new(*name, *kind);
        org.id = OrgId(rng.uuid());
        org.my_roles.push(RoleSpan {
            role: Involvement::Member,
            since: days(700),
            until: None,
        });
        if i == 0 {
            org.my_roles.push(RoleSpan {
                role: Involvement::Committee,
                since: days(200),
                until: None,
            });
        }
        if i == 1 {
            org.my_roles.push(RoleSpan {
                role: Involvement::Volunteer,
                since: days(400),
                until: Some(days(100)),
            });
        }
        if i == 2 {
            // You hosted the Guild for a year and stepped down: the seeds
            // warn against quitting the group with the role.
            org.my_roles.push(RoleSpan {
                role: Involvement::Leader,
                since: days(460),
                until: Some(days(95)),
            });
        }
        let every = [30, 7, 30, 7, 60][i];
        let mut d = 360;
        while d > -60 {
            let title = [
                "Monthly breakfast",
                "Weekly referral meeting",
                "Product Guild meetup",
                "Saturday long run",
                "Quarterly panel",
            ][i];
            org.events.push(OrgEvent {
                date: days(d),
                title: title.into(),
                attended: d > 0 && rng.below(4) != 0,
            });
            d -= every;
        }
        if i == 2 {
            // Since stepping down: one meetup, then two missed.
            for event in &mut org.events {
                let ago = (anchor - event.date).num_days();
                if (1..95).contains(&ago) {
                    event.attended = ago > 60;
                }
            }
        }
        org.notes = [
            "Second Tuesday breakfast at the harbor hotel.",
            "Members pass referrals every Tuesday at 7:00.",
            "Talks and demos for product people.",
            "Saturday long runs from the boathouse.",
            "Panels and mentoring for women in finance.",
        ][i]
            .into();
        org_ids.push(org.id);
        model.orgs.insert(org.id, org);
    }

    let mut ids: Vec<PersonId> = Vec::new();
    for (i, row) in PEOPLE.iter().enumerate() {
        let id = PersonId(rng.uuid());
        let first = row.name.split(' ').next().unwrap_or("x").to_lowercase();
        let domain = row.company.to_lowercase().replace([' ', '&'], "");
        let mut person = Person {
            id,
            name: row.name.into(),
            organization: row.company.into(),
            role: row.role.into(),
            emails: vec![Contact::labelled(
                format!("{first}@{domain}.example"),
                Label::Work,
            )],
            phones: vec![Contact::labelled(
                format!("+1 617 555 {:04}", 100 + i * 7),
                if i % 3 == 0 {
                    Label::Work
                } else {
                    Label::Mobile
                },
            )],
            interests: row.interests.iter().map(|s| s.to_string()).collect(),
            needs: row.needs.iter().map(|s| s.to_string()).collect(),
            stage: row.stage,
            tags: row.tags.iter().map(|s| s.to_string()).collect(),
            memberships: row
                .orgs
                .iter()
                .map(|o| Membership {
                    org: org_ids[*o],
                    role: "member".into(),
                })
                .collect(),
            ..Default::default()
        };
        let (given, family) = row.name.split_once(' ').unwrap_or((row.name, ""));
        person.name_parts.given = given.into();
        person.name_parts.family = family.rsplit(' ').next().unwrap_or_default().into();
        // Birthdays spread over the year (so some are always coming up), a
        // few without a year, as phones often have them.
        if i % 5 != 4 {
            let day_of_year = (i as u32 * 9 + 3) % 365;
            let date = NaiveDate::from_yo_opt(2001, day_of_year + 1).unwrap_or_default();
            let year = (i % 4 != 1).then_some(1962 + (i as i32 * 7) % 35);
            if let Some(date) = PartialDate::new(year, Some(date.month()), Some(date.day())) {
                person.dates.push(ImportantDate {
                    kind: DateKind::Birthday,
                    date,
                });
            }
        }
        if i % 6 == 2 {
            person.addresses.push(Address {
                label: Label::Work,
                street: format!("{} Harbor Street", 10 + i * 3),
                locality: "Boston".into(),
                region: "MA".into(),
                postcode: "02110".into(),
                country: "USA".into(),
                ..Default::default()
            });
        }
        person.met.place = row.met.into();
        person.met.date = Some(days(330 - (i as i64 * 7) % 300));
        if i > 0 && i % 4 == 0 {
            person.introduced_by = Some(ids[(i * 7 + 3) % i]);
        }
        person.newsletter = match i % 3 {
            0 => Consent::Yes { date: days(200) },
            1 => Consent::NotAsked,
            _ => Consent::No {
                date: Some(days(150)),
            },
        };
        if row.stage >= Stage::Like && row.stage != Stage::Dormant {
            person.stage_history.push(StageChange {
                date: days(250),
                stage: Stage::Know,
            });
            person.stage_history.push(StageChange {
                date: days(120),
                stage: Stage::Like,
            });
            if row.stage == Stage::Trust {
                person.stage_history.push(StageChange {
                    date: days(40),
                    stage: Stage::Trust,
                });
            }
        }
        if i == 0 {
            person.wants = vec!["Financing for a second clinic".into()];
            person.notes = "Ran Boston twice. Prefers early coffee.".into();
            person.nicknames = vec!["Dee".into()];
            person.relations.push(Relation {
                kind: RelationKind::Child,
                person: None,
                name: "Maya".into(),
            });
            if let Some(date) = PartialDate::new(None, Some(9), Some(2)) {
                person.dates.push(ImportantDate {
                    kind: DateKind::Custom("Maya's school start".into()),
                    date,
                });
            }
        }
        // A few couples and a manager, linked both ways through one side.
        if i > 0 && i % 9 == 0 {
            person.relations.push(Relation {
                kind: RelationKind::Spouse,
                person: Some(ids[i - 1]),
                name: PEOPLE[i - 1].name.into(),
            });
        }
        if i > 0 && i % 11 == 0 {
            person.relations.push(Relation {
                kind: RelationKind::Manager,
                person: Some(ids[i / 2]),
                name: PEOPLE[i / 2].name.into(),
            });
        }
        ids.push(id);
        model.people.insert(id, person);
    }

    give_first(&mut model, anchor);

    // A year of interactions: closer relationships see more, and more varied, contact.
    for (i, row) in PEOPLE.iter().enumerate() {
        let count = match row.stage {
            Stage::Trust => 14,
            Stage::Like => 8,
            Stage::Know => 4,
            Stage::Acquaintance => 1,
            Stage::Dormant => 3,
        };
        let quiet = if row.stage == Stage::Dormant {
            200
        } else {
            (i as i64 * 13) % 70
        };
        for n in 0..count {
            let ago = quiet + (n as i64 * 330 / count.max(1) as i64) + rng.below(10) as i64;
            let kind = if n == count - 1 {
                InteractionKind::MetAtEvent
            } else {
                [
                    InteractionKind::Coffee,
                    InteractionKind::Call,
                    InteractionKind::Message,
                    InteractionKind::Lunch,
                    InteractionKind::HelpGiven,
                    InteractionKind::NoteSent,
                    InteractionKind::HelpAsked,
                ][rng.below(7)]
            };
            let mut interaction = Interaction {
                id: InteractionId(rng.uuid()),
                date: days(ago.min(364)),
                kind,
                people: vec![ids[i]],
                note: match kind {
                    InteractionKind::Coffee => "Coffee at the harbor cafe.".into(),
                    InteractionKind::Lunch => {
                        "Lunch; talked about their plans for next year.".into()
                    }
                    InteractionKind::HelpGiven => "Sent them a lead.".into(),
                    InteractionKind::HelpAsked => "Asked for feedback on a proposal.".into(),
                    InteractionKind::NoteSent => "Handwritten thank-you note.".into(),
                    InteractionKind::MetAtEvent => format!("Met at {}.", row.met),
                    _ => String::new(),
                },
                ..Default::default()
            };
            if n == 0 && i % 3 == 0 {
                interaction.follow_up = Some(interaction.date + chrono::Duration::days(21));
            }
            model.interactions.insert(interaction.id, interaction);
        }
    }
    // Two introductions already made: runners training for Boston, and two
    // product people (not pairs who could meet an open need).
    for (a, b, ago) in [(0usize, 6usize, 90i64), (2, 31, 45)] {
        let interaction = Interaction {
            id: InteractionId(rng.uuid()),
            date: days(ago),
            kind: InteractionKind::IntroductionMade,
            people: vec![ids[a], ids[b]],
            note: "Introduced them over email.".into(),
            follow_up: Some(days(ago) + chrono::Duration::days(30)),
            ..Default::default()
        };
        model.interactions.insert(interaction.id, interaction);
    }
    // Follow-ups of more than two weeks ago were done (a few recent ones
    // are still open, so Today looks like a week of real life).
    for interaction in model.interactions.values_mut() {
        if interaction.follow_up.is_some_and(|due| due < days(14)) {
            interaction.follow_up_done = true;
        }
    }
    give_first_interactions(&mut model, anchor, &mut rng);
    let text =
        kith::storage::format::write_snapshot(&model, anchor).map_err(std::io::Error::other)?;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo.ron");
    std::fs::write(&path, text)?;
    println!(
        "wrote {} ({} people, {} organizations, {} interactions)",
        path.display(),
        model.people.len(),
        model.orgs.len(),
        model.interactions.len()
    );
    Ok(())
}

/// The person named `name` (every name in [`PEOPLE`] is unique).
fn person_named(model: &Model, name: &str) -> PersonId {
    model
        .people
        .values()
        .find(|p| p.name == name)
        .map(|p| p.id)
        .unwrap_or_default()
}

/// What people can help with, more needs someone in the network (or you)
/// can meet, when needs were noted, and a per-person rhythm.
fn give_first(model: &mut Model, anchor: NaiveDate) {
    let days = |n: i64| anchor - chrono::Duration::days(n);
    let can_help: [(&str, &[&str]); 21] = [
        ("Raj Patel", &["Bookkeeping", "Tax returns"]),
        ("Tom Okafor", &["Contracts", "Legal advice"]),
        ("Grace Kim", &["Brand design", "Designer referrals"]),
        ("Omar Haddad", &["Seed funding", "Investor introductions"]),
        ("Daniel Cohen", &["Fundraising", "Financial planning"]),
        ("Laura Becker", &["Event venues", "Catering contacts"]),
        (
            "Victor Dubois",
            &["Mentoring", "Podcast guest", "Board advice"],
        ),
        ("Clara Fischer", &["Copywriting", "Website copy"]),
        ("Ingrid Olsen", &["Architecture", "Planning permits"]),
        ("Kwame Mensah", &["Builder", "Renovations"]),
        ("Julia Novak", &["Hiring", "Corporate wellness"]),
        ("Zara Ahmed", &["Small business loans"]),
        ("Hannah Schultz", &["Business insurance"]),
        ("Felix Wagner", &["IT support", "Cybersecurity"]),
        ("Lucas Meyer", &["Photography", "Headshots"]),
        ("Yuki Tanaka", &["Translation"]),
        ("Isabella Rossi", &["Wine pairing", "Wine suppliers"]),
        ("Dana Whitfield", &["Physiotherapy", "Running injuries"]),
        ("Ethan Brooks", &["Office space", "Relocation"]),
        ("Emma Lindqvist", &["Speaking gigs", "Product management"]),
        ("Sam Rivera", &["Marketing", "Podcast production"]),
    ];
    for (name, offers) in can_help {
        let id = person_named(model, name);
        if let Some(person) = model.people.get_mut(&id) {
            person.can_help_with = offers.iter().map(|s| s.to_string()).collect();
        }
    }
    // Needs you can meet yourself (your offers), beside those of the rows.
    let more_needs: [(&str, &str); 3] = [
        ("Arjun Mehta", "Pitch deck feedback"),
        ("Sofia Garcia", "Website review"),
        ("Connor Walsh", "Pricing advice"),
    ];
    for (name, need) in more_needs {
        let id = person_named(model, name);
        if let Some(person) = model.people.get_mut(&id) {
            person.needs.push(need.into());
        }
    }
    // When some needs were noted (fresh ones rank first).
    let noted: [(&str, &str, i64); 8] = [
        ("Dana Whitfield", "A bookkeeper", 6),
        ("Arjun Mehta", "Seed investors", 20),
        ("Arjun Mehta", "Pitch deck feedback", 9),
        ("Mei Lin", "Senior designer hire", 12),
        ("Sam Rivera", "Podcast guests", 30),
        ("Isabella Rossi", "Event venues", 45),
        ("Sofia Garcia", "Website review", 3),
        ("Chloe Martin", "Mentor", 60),
    ];
    for (name, need, ago) in noted {
        let id = person_named(model, name);
        if let Some(person) = model.people.get_mut(&id) {
            person.needs_noted.push(NeedNoted {
                need: need.into(),
                date: days(ago),
            });
        }
    }
    // A mentor you see every two weeks, not every three (Trust's default).
    let victor = person_named(model, "Victor Dubois");
    if let Some(person) = model.people.get_mut(&victor) {
        person.rhythm_days = Some(14);
    }
}

/// Interactions of giving first: a need met through an introduction and
/// one you met yourself, an introduction offered with double opt-in (one
/// side said yes), and a snoozed follow-up.
fn give_first_interactions(model: &mut Model, anchor: NaiveDate, rng: &mut Rng) {
    let days = |n: i64| anchor - chrono::Duration::days(n);
    let kwame = person_named(model, "Kwame Mensah");
    let tom = person_named(model, "Tom Okafor");
    let lucas = person_named(model, "Lucas Meyer");
    let arjun = person_named(model, "Arjun Mehta");
    let omar = person_named(model, "Omar Haddad");
    let sam = person_named(model, "Sam Rivera");

    // Kwame needed a lawyer for his subcontracts; Tom took it on.
    let lawyer = Interaction {
        id: InteractionId(rng.uuid()),
        date: days(42),
        kind: InteractionKind::IntroductionMade,
        people: vec![kwame, tom],
        note: "Introduced Kwame to Tom for his subcontractor agreements.".into(),
        ..Default::default()
    };
    // You reviewed Lucas's portfolio site.
    let review = Interaction {
        id: InteractionId(rng.uuid()),
        date: days(70),
        kind: InteractionKind::HelpGiven,
        people: vec![lucas],
        note: "Reviewed his portfolio site; he moved the contact form up.".into(),
        ..Default::default()
    };
    if let Some(person) = model.people.get_mut(&kwame) {
        person.needs_met.push(NeedMet {
            need: "A lawyer for contracts".into(),
            date: days(30),
            interaction: Some(lawyer.id),
            helper: Some(tom),
        });
    }
    if let Some(person) = model.people.get_mut(&lucas) {
        person.needs_met.push(NeedMet {
            need: "Portfolio website review".into(),
            date: days(70),
            interaction: Some(review.id),
            helper: None,
        });
    }
    // Double opt-in: Arjun said yes, Omar has not answered yet.
    let offer = Interaction {
        id: InteractionId(rng.uuid()),
        date: days(4),
        kind: InteractionKind::IntroductionOffered,
        people: vec![arjun, omar],
        note: "Asked both whether they would like to meet.".into(),
        follow_up: Some(days(-3)),
        intro: Some(IntroOffer {
            reason: "Arjun is raising a seed round for Fresh Start, and Omar is looking for \
                     climate deal flow."
                .into(),
            first: IntroAnswer::Accepted { date: days(2) },
            second: IntroAnswer::Pending,
            made: None,
        }),
        ..Default::default()
    };
    // A follow-up first due five days ago, snoozed to the day after tomorrow.
    let snoozed = Interaction {
        id: InteractionId(rng.uuid()),
        date: days(19),
        kind: InteractionKind::Coffee,
        people: vec![sam],
        note: "Coffee; Sam is lining up podcast guests for the spring season.".into(),
        follow_up: Some(days(-2)),
        snoozed_from: Some(days(5)),
        ..Default::default()
    };
    for interaction in [lawyer, review, offer, snoozed] {
        model.interactions.insert(interaction.id, interaction);
    }
}
