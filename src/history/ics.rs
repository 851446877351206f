//! iCalendar exports (Google Calendar, Outlook, Apple Calendar, Thunderbird,
//! subscription feeds) read as [`Encounter`]s: each event with attendees kith
//! may know, each occurrence of a recurring one (see [`super::recur`]).

use super::{Harvest, ReadOptions};
use crate::exchange::Skipped;

/// One property line, unfolded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Property {
    /// Name, uppercased (`DTSTART`, `ATTENDEE`, `X-WR-CALNAME`).
    pub name: String,
    /// Parameters: names uppercased, values unquoted (several values stay
    /// comma-joined as written).
    pub params: Vec<(String, String)>,
    /// The raw value after the colon (not unescaped).
    pub value: String,
    /// 1-based line where the property starts.
    pub line: usize,
}

impl Property {
    /// The first value of parameter `name` (uppercase).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A component (`VCALENDAR`, `VEVENT`, `VTIMEZONE`, `STANDARD`, …) with its
/// properties and the components inside it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Component {
    /// Name, uppercased.
    pub name: String,
    /// Its own properties, in order.
    pub properties: Vec<Property>,
    /// Components nested in it.
    pub children: Vec<Component>,
    /// 1-based line of its `BEGIN`.
    pub line: usize,
}

impl Component {
    /// The first property named `name` (uppercase).
    pub fn get(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Every property named `name` (uppercase).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> + 'a {
        self.properties.iter().filter(move |p| p.name == name)
    }
}

/// Parse an iCalendar text into its top-level components (normally one
/// `VCALENDAR`), with lines that could not be read.
pub fn parse_calendar(text: &str) -> (Vec<Component>, Vec<Skipped>) {
    let _ = text;
    (Vec::new(), Vec::new())
}

/// Read the events of an iCalendar export.
pub fn read_calendar(bytes: &[u8], opts: &ReadOptions) -> Harvest {
    let _ = (bytes, opts);
    Harvest::default()
}
