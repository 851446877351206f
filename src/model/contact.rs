//! The address-book half of a person: labelled e-mails, phones and links,
//! postal addresses, name parts, important dates and relationships.
//!
//! These are plain data; the vCard and CSV mappings live in `exchange`.

use super::PersonId;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What kind of e-mail, phone, link or address a value is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Label {
    /// No label was given.
    #[default]
    Unlabelled,
    /// Home.
    Home,
    /// Work.
    Work,
    /// Mobile phone.
    Mobile,
    /// Fax.
    Fax,
    /// Pager.
    Pager,
    /// Main number of a household or office.
    Main,
    /// Explicitly "other".
    Other,
    /// The user's (or the file's) own word.
    Custom(String),
}

impl Label {
    /// The built-in labels, in menu order.
    pub const BUILT_IN: [Label; 8] = [
        Label::Unlabelled,
        Label::Home,
        Label::Work,
        Label::Mobile,
        Label::Fax,
        Label::Pager,
        Label::Main,
        Label::Other,
    ];

    /// Human label ("" for none).
    pub fn text(&self) -> &str {
        match self {
            Label::Unlabelled => "",
            Label::Home => "home",
            Label::Work => "work",
            Label::Mobile => "mobile",
            Label::Fax => "fax",
            Label::Pager => "pager",
            Label::Main => "main",
            Label::Other => "other",
            Label::Custom(text) => text,
        }
    }

    /// The label a word means (case-insensitive), a custom one otherwise.
    pub fn from_text(text: &str) -> Label {
        let trimmed = text.trim();
        Label::BUILT_IN
            .into_iter()
            .find(|label| label.text().eq_ignore_ascii_case(trimmed))
            .unwrap_or_else(|| match trimmed.to_ascii_lowercase().as_str() {
                "cell" | "cellular" | "mobil" | "handy" | "iphone" => Label::Mobile,
                "personal" | "private" | "privat" => Label::Home,
                "business" | "office" | "company" => Label::Work,
                "" | "none" => Label::Unlabelled,
                _ => Label::Custom(trimmed.to_string()),
            })
    }
}

/// One e-mail address, phone number or link, with its label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Contact {
    /// The address, number or URL as written.
    pub value: String,
    /// Home, work, mobile…
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub label: Label,
    /// Marked as the preferred one of its kind.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub preferred: bool,
}

impl Contact {
    /// An unlabelled value.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            ..Default::default()
        }
    }

    /// A labelled value.
    pub fn labelled(value: impl Into<String>, label: Label) -> Self {
        Self {
            value: value.into(),
            label,
            preferred: false,
        }
    }
}

impl From<&str> for Contact {
    fn from(value: &str) -> Self {
        Contact::new(value)
    }
}

impl From<String> for Contact {
    fn from(value: String) -> Self {
        Contact::new(value)
    }
}

/// A contact equals a text when its value does (labels aside).
impl PartialEq<&str> for Contact {
    fn eq(&self, other: &&str) -> bool {
        self.value == *other
    }
}

/// A contact equals a text when its value does (labels aside).
impl PartialEq<String> for Contact {
    fn eq(&self, other: &String) -> bool {
        self.value == *other
    }
}

/// The primary value of a list: the preferred one, else the first.
pub fn primary(list: &[Contact]) -> Option<&Contact> {
    list.iter().find(|c| c.preferred).or_else(|| list.first())
}

/// Add `item` unless the list has the same value already (case-insensitive);
/// a label or preference the list lacked is taken over. True when added.
pub fn push_contact(list: &mut Vec<Contact>, item: Contact) -> bool {
    if item.value.trim().is_empty() {
        return false;
    }
    if let Some(existing) = list
        .iter_mut()
        .find(|c| c.value.eq_ignore_ascii_case(&item.value))
    {
        if existing.label == Label::Unlabelled {
            existing.label = item.label;
        }
        existing.preferred |= item.preferred;
        return false;
    }
    list.push(item);
    true
}

/// A postal address, in the vCard ADR structure.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address {
    /// Home, work, other…
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub label: Label,
    /// Post office box.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub po_box: String,
    /// Extended address (apartment, suite).
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub extended: String,
    /// Street and number.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub street: String,
    /// City or town.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub locality: String,
    /// State, province or region.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub region: String,
    /// Postal code.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub postcode: String,
    /// Country.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub country: String,
    /// Marked as the preferred address.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub preferred: bool,
}

impl Address {
    /// True when every part is empty.
    pub fn is_empty(&self) -> bool {
        self.parts().iter().all(|p| p.trim().is_empty())
    }

    /// The seven ADR components, in vCard order.
    pub fn parts(&self) -> [&str; 7] {
        [
            &self.po_box,
            &self.extended,
            &self.street,
            &self.locality,
            &self.region,
            &self.postcode,
            &self.country,
        ]
    }

    /// The address as lines ("1 Main St", "Springfield IL 62701", "USA").
    pub fn lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for part in [&self.po_box, &self.extended, &self.street] {
            lines.extend(
                part.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from),
            );
        }
        let city = [
            self.postcode.trim(),
            self.locality.trim(),
            self.region.trim(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
        if !city.is_empty() {
            lines.push(city);
        }
        if !self.country.trim().is_empty() {
            lines.push(self.country.trim().to_string());
        }
        lines
    }
}

/// The parts of a name, as address books keep them. The display name
/// (`Person::name`) is kept apart and never re-derived from these.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NameParts {
    /// Honorific prefix ("Dr.").
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub prefix: String,
    /// Given (first) name.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub given: String,
    /// Additional (middle) names.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub additional: String,
    /// Family (last) name.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub family: String,
    /// Honorific suffix ("Jr.").
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub suffix: String,
    /// How the given name is pronounced or read (Japanese yomi).
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub phonetic_given: String,
    /// How the middle name is pronounced.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub phonetic_additional: String,
    /// How the family name is pronounced.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub phonetic_family: String,
}

impl NameParts {
    /// True when no part is set.
    pub fn is_empty(&self) -> bool {
        *self == NameParts::default()
    }

    /// The five N components, in vCard order.
    pub fn n_parts(&self) -> [&str; 5] {
        [
            &self.family,
            &self.given,
            &self.additional,
            &self.prefix,
            &self.suffix,
        ]
    }

    /// The parts joined as a display name ("Dr. Ada King Jr.").
    pub fn joined(&self) -> String {
        [
            &self.prefix,
            &self.given,
            &self.additional,
            &self.family,
            &self.suffix,
        ]
        .into_iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
    }
}

/// A date whose year, or day, may be unknown: a year-less birthday, or "in
/// March 2019". Written as vCard 4 / ISO 8601 reduced text: `2012-06-06`,
/// `--06-06`, `2012-06`, `2012`, `--06`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    /// The year, if known.
    pub year: Option<i32>,
    /// The month 1..=12, if known.
    pub month: Option<u32>,
    /// The day 1..=31, if known (only with a month).
    pub day: Option<u32>,
}

impl PartialDate {
    /// A whole date.
    pub fn full(date: NaiveDate) -> Self {
        Self {
            year: Some(date.year()),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    /// A checked date from its parts; None for impossible combinations
    /// (a day without a month, 31 April, 29 February of a common year).
    pub fn new(year: Option<i32>, month: Option<u32>, day: Option<u32>) -> Option<Self> {
        if let Some(year) = year
            && !(1..=9999).contains(&year)
        {
            return None;
        }
        match (month, day) {
            (None, Some(_)) | (None, None) if year.is_none() => return None,
            (None, Some(_)) => return None,
            (Some(m), _) if !(1..=12).contains(&m) => return None,
            (Some(m), Some(d)) => {
                // A year-less date is checked against a leap year (29 Feb is a birthday).
                NaiveDate::from_ymd_opt(year.unwrap_or(2000), m, d)?;
            }
            _ => {}
        }
        Some(Self { year, month, day })
    }

    /// The whole date, when year, month and day are all known.
    pub fn as_date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }

    /// Read vCard and ISO forms: `19800322`, `1980-03-22`, `--0322`,
    /// `--03-22`, `--03`, `1980-03`, `1980`, with any time part after `T`
    /// ignored. The year 1604 (Apple's and CardBook's "no year") and 0000
    /// mean the year is unknown.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let date = text.split(['T', 't']).next().unwrap_or_default().trim();
        if !date.is_ascii() {
            return None;
        }
        let number = |s: &str| -> Option<u32> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let (year, month, day) = if let Some(rest) = date.strip_prefix("--") {
            let rest = rest.replace('-', "");
            match rest.len() {
                4 => (None, number(&rest[..2]), number(&rest[2..])),
                2 => (None, number(&rest), None),
                _ => return None,
            }
        } else if date.contains('-') {
            let parts: Vec<&str> = date.split('-').collect();
            match parts.as_slice() {
                [y, m, d] if y.len() == 4 => (number(y), number(m), number(d)),
                [y, m] if y.len() == 4 => (number(y), number(m), None),
                _ => return None,
            }
        } else {
            match date.len() {
                8 => (number(&date[..4]), number(&date[4..6]), number(&date[6..])),
                4 => (number(date), None, None),
                _ => return None,
            }
        };
        let year = year.map(|y| y as i32);
        if year.is_none() && month.is_none() {
            return None;
        }
        // Reject a part that did not parse (number() gave None for a present part).
        let year = match year {
            Some(1604) | Some(0) => None,
            other => other,
        };
        Self::new(year, month, day)
    }

    /// The next day on or after `today` this date comes round (month and
    /// day needed). 29 February falls on 28 February in common years.
    pub fn next_on_or_after(&self, today: NaiveDate) -> Option<NaiveDate> {
        let (month, day) = (self.month?, self.day?);
        let in_year = |year: i32| {
            NaiveDate::from_ymd_opt(year, month, day)
                .or_else(|| NaiveDate::from_ymd_opt(year, month, day.saturating_sub(1)))
        };
        let this_year = in_year(today.year())?;
        if this_year >= today {
            Some(this_year)
        } else {
            in_year(today.year() + 1)
        }
    }

    /// How many years old the date is on `day` (the age on a birthday), when the year is known.
    pub fn years_on(&self, day: NaiveDate) -> Option<i32> {
        let year = self.year?;
        let (month, date) = (self.month.unwrap_or(1), self.day.unwrap_or(1));
        let mut years = day.year() - year;
        if (day.month(), day.day()) < (month, date) {
            years -= 1;
        }
        (years >= 0).then_some(years)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.year, self.month, self.day) {
            (Some(y), Some(m), Some(d)) => write!(f, "{y:04}-{m:02}-{d:02}"),
            (Some(y), Some(m), None) => write!(f, "{y:04}-{m:02}"),
            (Some(y), None, _) => write!(f, "{y:04}"),
            (None, Some(m), Some(d)) => write!(f, "--{m:02}-{d:02}"),
            (None, Some(m), None) => write!(f, "--{m:02}"),
            (None, None, _) => Ok(()),
        }
    }
}

impl PartialDate {
    /// The date for people: "22 March 1980", "22 March", "March 2019", "2019".
    pub fn human(&self) -> String {
        let month = self
            .month
            .and_then(|m| MONTH_NAMES.get(m as usize - 1))
            .copied();
        let mut parts = Vec::new();
        if let Some(day) = self.day {
            parts.push(day.to_string());
        }
        if let Some(month) = month {
            parts.push(month.to_string());
        }
        if let Some(year) = self.year {
            parts.push(year.to_string());
        }
        parts.join(" ")
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        // Stored dates are never the 1604 sentinel; read them exactly.
        PartialDate::parse_stored(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a date: {text:?}")))
    }
}

impl PartialDate {
    /// Parse the stored form written by `Display` (no sentinel years).
    fn parse_stored(text: &str) -> Option<Self> {
        if let Some(rest) = text.strip_prefix("--") {
            let mut parts = rest.split('-');
            let month = parts.next()?.parse().ok()?;
            let day = parts.next().map(str::parse).transpose().ok()?;
            return Self::new(None, Some(month), day);
        }
        let mut parts = text.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next().map(str::parse).transpose().ok()?;
        let day = parts.next().map(str::parse).transpose().ok()?;
        Self::new(Some(year), month, day)
    }
}

/// Month names, January first (for dates shown to people).
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Which important date this is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DateKind {
    /// Birthday.
    Birthday,
    /// Wedding or other anniversary.
    Anniversary,
    /// A date with the user's own label ("kids' school start").
    Custom(String),
}

impl DateKind {
    /// Human label.
    pub fn label(&self) -> &str {
        match self {
            DateKind::Birthday => "Birthday",
            DateKind::Anniversary => "Anniversary",
            DateKind::Custom(label) => label,
        }
    }
}

/// A date worth remembering about someone.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ImportantDate {
    /// Birthday, anniversary, or a labelled date.
    pub kind: DateKind,
    /// The date (year optional).
    pub date: PartialDate,
}

/// How one person is related to another.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RelationKind {
    /// Husband or wife.
    Spouse,
    /// Partner.
    Partner,
    /// Their parent.
    Parent,
    /// Their child.
    Child,
    /// Their brother or sister.
    Sibling,
    /// A friend of theirs.
    Friend,
    /// A colleague.
    Colleague,
    /// Their manager.
    Manager,
    /// Someone who reports to them.
    Report,
    /// Their assistant.
    Assistant,
    /// Someone they assist.
    AssistantOf,
    /// Any other relation, in the user's words ("godmother").
    Custom(String),
}

impl RelationKind {
    /// The built-in kinds, in menu order.
    pub const BUILT_IN: [RelationKind; 11] = [
        RelationKind::Spouse,
        RelationKind::Partner,
        RelationKind::Parent,
        RelationKind::Child,
        RelationKind::Sibling,
        RelationKind::Friend,
        RelationKind::Colleague,
        RelationKind::Manager,
        RelationKind::Report,
        RelationKind::Assistant,
        RelationKind::AssistantOf,
    ];

    /// Human label ("spouse", "assistant of").
    pub fn label(&self) -> &str {
        match self {
            RelationKind::Spouse => "spouse",
            RelationKind::Partner => "partner",
            RelationKind::Parent => "parent",
            RelationKind::Child => "child",
            RelationKind::Sibling => "sibling",
            RelationKind::Friend => "friend",
            RelationKind::Colleague => "colleague",
            RelationKind::Manager => "manager",
            RelationKind::Report => "reports to them",
            RelationKind::Assistant => "assistant",
            RelationKind::AssistantOf => "assists",
            RelationKind::Custom(label) => label,
        }
    }

    /// The relation seen from the other side: Dana's child has Dana as parent.
    pub fn inverse(&self) -> RelationKind {
        match self {
            RelationKind::Parent => RelationKind::Child,
            RelationKind::Child => RelationKind::Parent,
            RelationKind::Manager => RelationKind::Report,
            RelationKind::Report => RelationKind::Manager,
            RelationKind::Assistant => RelationKind::AssistantOf,
            RelationKind::AssistantOf => RelationKind::Assistant,
            other => other.clone(),
        }
    }

    /// The kind a vCard `RELATED;TYPE=` word or an Apple / CSV label means.
    pub fn from_word(word: &str) -> RelationKind {
        let word = word.trim();
        let plain = word
            .trim_start_matches("_$!<")
            .trim_end_matches(">!$_")
            .to_ascii_lowercase();
        match plain.as_str() {
            "spouse" | "husband" | "wife" => RelationKind::Spouse,
            "partner" | "sweetheart" | "domestic partner" => RelationKind::Partner,
            "parent" | "mother" | "father" => RelationKind::Parent,
            "child" | "son" | "daughter" => RelationKind::Child,
            "sibling" | "brother" | "sister" => RelationKind::Sibling,
            "friend" => RelationKind::Friend,
            "colleague" | "co-worker" | "coworker" => RelationKind::Colleague,
            "manager" | "boss" | "supervisor" => RelationKind::Manager,
            "report" | "reports to them" | "direct report" | "subordinate" => RelationKind::Report,
            "assistant" => RelationKind::Assistant,
            "assists" | "assistant of" => RelationKind::AssistantOf,
            "" => RelationKind::Custom("related".into()),
            _ => RelationKind::Custom(plain.trim().to_string()),
        }
    }
}

/// One relationship: to a person in kith, or just a name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Relation {
    /// How they are related.
    pub kind: RelationKind,
    /// The person in kith, when linked.
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub person: Option<PersonId>,
    /// The name as written (kept even when linked, for exports).
    #[serde(default, skip_serializing_if = "super::leave_out_default")]
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn partial_dates_read_every_vcard_form() {
        let full = PartialDate::new(Some(1980), Some(3), Some(22)).unwrap();
        for text in [
            "19800322",
            "1980-03-22",
            "1980-03-22T00:00:00Z",
            " 1980-03-22 ",
        ] {
            assert_eq!(PartialDate::parse(text), Some(full), "{text}");
        }
        let yearless = PartialDate::new(None, Some(3), Some(22)).unwrap();
        for text in ["--0322", "--03-22", "16040322", "1604-03-22", "0000-03-22"] {
            assert_eq!(PartialDate::parse(text), Some(yearless), "{text}");
        }
        assert_eq!(
            PartialDate::parse("2019-03"),
            PartialDate::new(Some(2019), Some(3), None)
        );
        assert_eq!(
            PartialDate::parse("2019"),
            PartialDate::new(Some(2019), None, None)
        );
        assert_eq!(
            PartialDate::parse("--03"),
            PartialDate::new(None, Some(3), None)
        );
        for bad in ["", "1980-13-01", "1980-02-30", "--1301", "hello", "12"] {
            assert_eq!(PartialDate::parse(bad), None, "{bad}");
        }
        // A year-less 29 February is a real birthday.
        assert!(PartialDate::parse("--0229").is_some());
    }

    #[test]
    fn partial_dates_round_trip_through_their_text() {
        for text in [
            "1980-03-22",
            "--03-22",
            "2019-03",
            "2019",
            "--03",
            "0001-01-01",
        ] {
            let date = PartialDate::parse_stored(text).unwrap();
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn next_birthday_and_age() {
        let birthday = PartialDate::parse("1980-03-22").unwrap();
        assert_eq!(
            birthday.next_on_or_after(day(2026, 3, 1)),
            Some(day(2026, 3, 22))
        );
        assert_eq!(
            birthday.next_on_or_after(day(2026, 3, 23)),
            Some(day(2027, 3, 22))
        );
        assert_eq!(birthday.years_on(day(2026, 3, 22)), Some(46));
        assert_eq!(birthday.years_on(day(2026, 3, 21)), Some(45));
        let leap = PartialDate::parse("--0229").unwrap();
        assert_eq!(
            leap.next_on_or_after(day(2026, 1, 1)),
            Some(day(2026, 2, 28))
        );
        assert_eq!(
            leap.next_on_or_after(day(2028, 1, 1)),
            Some(day(2028, 2, 29))
        );
        assert_eq!(leap.years_on(day(2026, 1, 1)), None);
    }

    #[test]
    fn relations_have_inverses() {
        for kind in RelationKind::BUILT_IN {
            assert_eq!(kind.inverse().inverse(), kind);
        }
        assert_eq!(RelationKind::Parent.inverse(), RelationKind::Child);
        assert_eq!(
            RelationKind::from_word("_$!<Mother>!$_"),
            RelationKind::Parent
        );
        assert_eq!(
            RelationKind::from_word("godmother"),
            RelationKind::Custom("godmother".into())
        );
    }

    #[test]
    fn labels_read_common_words() {
        assert_eq!(Label::from_text("CELL"), Label::Mobile);
        assert_eq!(Label::from_text("Work"), Label::Work);
        assert_eq!(Label::from_text("kids"), Label::Custom("kids".into()));
    }
}
