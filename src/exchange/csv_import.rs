//! CSV contact imports: Google Contacts (legacy and current layouts),
//! Outlook (English and localized: German, French, Spanish, Italian, Dutch,
//! Portuguese), Thunderbird, Yahoo, LinkedIn `Connections.csv` (with its
//! preamble before the header) and other CSVs with recognisable columns.
//!
//! Every column kith has a field for lands in that field (name parts,
//! phonetic names, nicknames, organization and department, job title,
//! labelled e-mails, phones and links, postal addresses, dates, relations,
//! notes and tags); every other non-empty column is kept in `extra` as
//! `("CSV:<header>", value)` so an export can give it back.
//!
//! The reader is our own RFC 4180 reader: comma, semicolon and tab files are
//! told apart by their header line, and a quote that is never closed is
//! reported (with the line it opened on) instead of swallowing the rest of
//! the file.

use super::Skipped;
use crate::model::{
    Address, Contact, DateKind, ImportantDate, Label, PartialDate, Person, Relation, RelationKind,
    push_contact,
};
use std::collections::BTreeMap;

/// The language of a localized Outlook CSV export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutlookLanguage {
    /// German ("Vorname", "Nachname", "E-Mail-Adresse").
    German,
    /// French ("Prénom", "Nom", "Adresse de messagerie").
    French,
    /// Spanish ("Nombre", "Apellidos", "Dirección de correo electrónico 2").
    Spanish,
    /// Italian ("Nome", "Cognome", "Indirizzo posta elettronica").
    Italian,
    /// Dutch ("Voornaam", "Achternaam", "E-mailadres").
    Dutch,
    /// Portuguese, Brazil and Portugal ("Primeiro nome", "Sobrenome", "Endereço de email 2").
    Portuguese,
}

impl OutlookLanguage {
    /// Every language with a header table.
    pub const ALL: [OutlookLanguage; 6] = [
        OutlookLanguage::German,
        OutlookLanguage::French,
        OutlookLanguage::Spanish,
        OutlookLanguage::Italian,
        OutlookLanguage::Dutch,
        OutlookLanguage::Portuguese,
    ];

    fn table(self) -> &'static [(&'static str, P)] {
        match self {
            OutlookLanguage::German => GERMAN,
            OutlookLanguage::French => FRENCH,
            OutlookLanguage::Spanish => SPANISH,
            OutlookLanguage::Italian => ITALIAN,
            OutlookLanguage::Dutch => DUTCH,
            OutlookLanguage::Portuguese => PORTUGUESE,
        }
    }
}

/// Which CSV layout a header belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvLayout {
    /// Google Contacts, legacy ("Name,Given Name,…").
    GoogleLegacy,
    /// Google Contacts, current ("First Name,Middle Name,Last Name,…,E-mail 1 - Value").
    Google,
    /// Outlook in English ("First Name,…,E-mail Address").
    Outlook,
    /// Outlook in another language (the header words are translated).
    OutlookLocalized(OutlookLanguage),
    /// Thunderbird address book ("First Name,Last Name,Display Name,…,Primary Email").
    Thunderbird,
    /// Yahoo Mail contacts ("First,Middle,Last,…,Alternate Email 1").
    Yahoo,
    /// LinkedIn Connections.csv.
    LinkedIn,
    /// Some other CSV with recognisable name/email columns.
    Generic,
}

impl CsvLayout {
    /// Human label.
    pub fn label(self) -> &'static str {
        match self {
            CsvLayout::GoogleLegacy => "Google Contacts CSV (legacy)",
            CsvLayout::Google => "Google Contacts CSV",
            CsvLayout::Outlook => "Outlook CSV",
            CsvLayout::OutlookLocalized(OutlookLanguage::German) => "Outlook CSV (German)",
            CsvLayout::OutlookLocalized(OutlookLanguage::French) => "Outlook CSV (French)",
            CsvLayout::OutlookLocalized(OutlookLanguage::Spanish) => "Outlook CSV (Spanish)",
            CsvLayout::OutlookLocalized(OutlookLanguage::Italian) => "Outlook CSV (Italian)",
            CsvLayout::OutlookLocalized(OutlookLanguage::Dutch) => "Outlook CSV (Dutch)",
            CsvLayout::OutlookLocalized(OutlookLanguage::Portuguese) => "Outlook CSV (Portuguese)",
            CsvLayout::Thunderbird => "Thunderbird address book CSV",
            CsvLayout::Yahoo => "Yahoo contacts CSV",
            CsvLayout::LinkedIn => "LinkedIn Connections.csv",
            CsvLayout::Generic => "CSV",
        }
    }

    /// How the layout writes numeric dates when they are not ISO: US files
    /// put the month first, European Outlook files the day.
    pub fn day_order(self) -> DayOrder {
        match self {
            CsvLayout::OutlookLocalized(_) => DayOrder::DayFirst,
            _ => DayOrder::MonthFirst,
        }
    }
}

/// Which number comes first in a numeric date like `05/04/2023`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayOrder {
    /// US: month, day, year (`05/14/2023`).
    MonthFirst,
    /// Europe: day, month, year (`14.05.2023`, `14/05/2023`).
    DayFirst,
}

/// The reference year for two-digit years in [`read_csv`]; a fixed constant
/// so that reading a file gives the same dates on every day (see
/// [`expand_two_digit_year`]).
pub const TWO_DIGIT_YEAR_REFERENCE: i32 = 2026;

/// A two-digit year `yy` read with a reference year: `yy ≤ (reference % 100)
/// + 10` is in the reference's century, anything larger in the century
/// before. With the reference 2026: `23` is 2023, `36` is 2036, `37` is 1937
/// and `99` is 1999.
pub fn expand_two_digit_year(yy: u32, reference_year: i32) -> i32 {
    let century = reference_year.div_euclid(100) * 100;
    let yy = (yy % 100) as i32;
    if yy <= reference_year.rem_euclid(100) + 10 {
        century + yy
    } else {
        century - 100 + yy
    }
}

/// A header cell as compared: trimmed, without BOM or kith's apostrophe
/// escape, lower case (Unicode, for the localized tables).
fn norm(header: &str) -> String {
    unescape_cell(header.trim().trim_start_matches('\u{feff}').trim())
        .trim()
        .to_lowercase()
}

/// Undo kith's formula escape: a cell that starts with one or more `'`
/// followed by one of `= + - @ tab CR` loses one apostrophe (the export
/// added it, see `export::neutralize_cell`).
pub fn unescape_cell(cell: &str) -> &str {
    let rest = cell.trim_start_matches('\'');
    if rest.len() < cell.len()
        && matches!(
            rest.as_bytes().first(),
            Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
        )
    {
        &cell[1..]
    } else {
        cell
    }
}

// ---------------------------------------------------------------------------
// Column meanings
// ---------------------------------------------------------------------------

/// A label a fixed column gives its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    None,
    Home,
    Work,
    Mobile,
    Fax,
    Pager,
    Main,
    Other,
    Word(&'static str),
}

impl Tag {
    fn label(self) -> Label {
        match self {
            Tag::None => Label::Unlabelled,
            Tag::Home => Label::Home,
            Tag::Work => Label::Work,
            Tag::Mobile => Label::Mobile,
            Tag::Fax => Label::Fax,
            Tag::Pager => Label::Pager,
            Tag::Main => Label::Main,
            Tag::Other => Label::Other,
            Tag::Word(word) => Label::Custom(word.to_string()),
        }
    }
}

/// A part of a name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Prefix,
    Given,
    Additional,
    Family,
    Suffix,
    PhoneticGiven,
    PhoneticAdditional,
    PhoneticFamily,
    /// Legacy Google "Yomi Name": the whole name as read.
    PhoneticFull,
}

/// A part of a postal address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AddrPart {
    Label,
    Formatted,
    /// Street line 1, 2 or 3.
    Street(u8),
    City,
    PoBox,
    Region,
    Postcode,
    Country,
    Extended,
}

/// Which address a column belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    /// A fixed address of the layout (Outlook "Business …", "Home …").
    Fixed(Tag),
    /// Google "Address N - …".
    Numbered(u16),
}

/// Google's numbered column groups ("E-mail 1 - Label", "E-mail 1 - Value").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Group {
    Email,
    Phone,
    Website,
    Event,
    Relation,
}

/// How a tag column separates its tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
    /// Google: ` ::: `, with system labels marked `* `.
    Google,
    /// Outlook categories: `;`.
    Semicolon,
    /// Anything: `;`, `,` or `:::`.
    Any,
}

/// A relation a fixed column names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rel {
    Spouse,
    Children,
    Manager,
    Assistant,
}

/// A part of a date in separate columns (Thunderbird "Birth Year").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ymd {
    Year,
    Month,
    Day,
}

/// What a column means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    FullName,
    Name(Part),
    Nickname(Sep),
    Organization,
    Department(Sep),
    JobTitle,
    JobDescription,
    Notes,
    Tags(Sep),
    /// kith's "Can help with" column.
    CanHelp(Sep),
    Date(DateCol),
    Birth(Ymd),
    Email(Tag, bool),
    Phone(Tag),
    Web(Tag),
    Address(Slot, AddrPart),
    GroupLabel(Group, u16),
    GroupValue(Group, u16),
    Relation(Rel),
    ConnectedOn,
    RowId,
    Keep,
}

/// Which date a date column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateCol {
    Birthday,
    Anniversary,
}

/// An Outlook property: what a (localized) Outlook header means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum P {
    Title,
    First,
    Middle,
    Last,
    Suffix,
    Nick,
    GivenYomi,
    SurnameYomi,
    Company,
    Dept,
    Job,
    Street(A, u8),
    City(A),
    State(A),
    Zip(A),
    Country(A),
    PoBox(A),
    Ph(Tag),
    Mail,
    Web(Tag),
    Bday,
    Anniv,
    Cats,
    Spouse,
    Kids,
    Manager,
    Assistant,
    Notes,
}

/// The three Outlook addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum A {
    Work,
    Home,
    Other,
}

impl A {
    fn tag(self) -> Tag {
        match self {
            A::Work => Tag::Work,
            A::Home => Tag::Home,
            A::Other => Tag::Other,
        }
    }
}

impl P {
    fn col(self) -> Col {
        match self {
            P::Title => Col::Name(Part::Prefix),
            P::First => Col::Name(Part::Given),
            P::Middle => Col::Name(Part::Additional),
            P::Last => Col::Name(Part::Family),
            P::Suffix => Col::Name(Part::Suffix),
            P::Nick => Col::Nickname(Sep::Any),
            P::GivenYomi => Col::Name(Part::PhoneticGiven),
            P::SurnameYomi => Col::Name(Part::PhoneticFamily),
            P::Company => Col::Organization,
            P::Dept => Col::Department(Sep::Semicolon),
            P::Job => Col::JobTitle,
            P::Street(a, n) => Col::Address(Slot::Fixed(a.tag()), AddrPart::Street(n)),
            P::City(a) => Col::Address(Slot::Fixed(a.tag()), AddrPart::City),
            P::State(a) => Col::Address(Slot::Fixed(a.tag()), AddrPart::Region),
            P::Zip(a) => Col::Address(Slot::Fixed(a.tag()), AddrPart::Postcode),
            P::Country(a) => Col::Address(Slot::Fixed(a.tag()), AddrPart::Country),
            P::PoBox(a) => Col::Address(Slot::Fixed(a.tag()), AddrPart::PoBox),
            P::Ph(tag) => Col::Phone(tag),
            P::Mail => Col::Email(Tag::None, false),
            P::Web(tag) => Col::Web(tag),
            P::Bday => Col::Date(DateCol::Birthday),
            P::Anniv => Col::Date(DateCol::Anniversary),
            P::Cats => Col::Tags(Sep::Semicolon),
            P::Spouse => Col::Relation(Rel::Spouse),
            P::Kids => Col::Relation(Rel::Children),
            P::Manager => Col::Relation(Rel::Manager),
            P::Assistant => Col::Relation(Rel::Assistant),
            P::Notes => Col::Notes,
        }
    }
}

// Phone labels Outlook has no built-in label for.
const ASSISTANT: Tag = Tag::Word("assistant");
const CALLBACK: Tag = Tag::Word("callback");
const CAR: Tag = Tag::Word("car");
const ISDN: Tag = Tag::Word("ISDN");
const RADIO: Tag = Tag::Word("radio");
const TTY: Tag = Tag::Word("TTY/TDD");
const TELEX: Tag = Tag::Word("telex");

/// Outlook's English header (Outlook 2010–365 and Outlook.com).
const ENGLISH: &[(&str, P)] = &[
    ("Title", P::Title),
    ("First Name", P::First),
    ("Middle Name", P::Middle),
    ("Last Name", P::Last),
    ("Suffix", P::Suffix),
    ("Nickname", P::Nick),
    ("Given Yomi", P::GivenYomi),
    ("Surname Yomi", P::SurnameYomi),
    ("Company", P::Company),
    ("Department", P::Dept),
    ("Job Title", P::Job),
    ("Business Street", P::Street(A::Work, 1)),
    ("Business Street 2", P::Street(A::Work, 2)),
    ("Business Street 3", P::Street(A::Work, 3)),
    ("Business City", P::City(A::Work)),
    ("Business State", P::State(A::Work)),
    ("Business Postal Code", P::Zip(A::Work)),
    ("Business Country/Region", P::Country(A::Work)),
    ("Business Country", P::Country(A::Work)),
    ("Business Address PO Box", P::PoBox(A::Work)),
    ("Home Street", P::Street(A::Home, 1)),
    ("Home Street 2", P::Street(A::Home, 2)),
    ("Home Street 3", P::Street(A::Home, 3)),
    ("Home City", P::City(A::Home)),
    ("Home State", P::State(A::Home)),
    ("Home Postal Code", P::Zip(A::Home)),
    ("Home Country/Region", P::Country(A::Home)),
    ("Home Country", P::Country(A::Home)),
    ("Home Address PO Box", P::PoBox(A::Home)),
    ("Other Street", P::Street(A::Other, 1)),
    ("Other Street 2", P::Street(A::Other, 2)),
    ("Other Street 3", P::Street(A::Other, 3)),
    ("Other City", P::City(A::Other)),
    ("Other State", P::State(A::Other)),
    ("Other Postal Code", P::Zip(A::Other)),
    ("Other Country/Region", P::Country(A::Other)),
    ("Other Country", P::Country(A::Other)),
    ("Other Address PO Box", P::PoBox(A::Other)),
    ("Assistant's Phone", P::Ph(ASSISTANT)),
    ("Business Fax", P::Ph(Tag::Fax)),
    ("Business Phone", P::Ph(Tag::Work)),
    ("Business Phone 2", P::Ph(Tag::Work)),
    ("Callback", P::Ph(CALLBACK)),
    ("Car Phone", P::Ph(CAR)),
    ("Company Main Phone", P::Ph(Tag::Main)),
    ("Home Fax", P::Ph(Tag::Fax)),
    ("Home Phone", P::Ph(Tag::Home)),
    ("Home Phone 2", P::Ph(Tag::Home)),
    ("ISDN", P::Ph(ISDN)),
    ("Mobile Phone", P::Ph(Tag::Mobile)),
    ("Mobile Phone 2", P::Ph(Tag::Mobile)),
    ("Other Fax", P::Ph(Tag::Fax)),
    ("Other Phone", P::Ph(Tag::Other)),
    ("Pager", P::Ph(Tag::Pager)),
    ("Primary Phone", P::Ph(Tag::Main)),
    ("Radio Phone", P::Ph(RADIO)),
    ("TTY/TDD Phone", P::Ph(TTY)),
    ("Telex", P::Ph(TELEX)),
    ("E-mail Address", P::Mail),
    ("E-mail 2 Address", P::Mail),
    ("E-mail 3 Address", P::Mail),
    ("Web Page", P::Web(Tag::Work)),
    ("Personal Web Page", P::Web(Tag::Home)),
    ("Birthday", P::Bday),
    ("Anniversary", P::Anniv),
    ("Categories", P::Cats),
    ("Spouse", P::Spouse),
    ("Children", P::Kids),
    ("Manager's Name", P::Manager),
    ("Assistant's Name", P::Assistant),
    ("Notes", P::Notes),
];

/// German Outlook ("Vorname;Nachname;…"), as Outlook and Exchange write it.
const GERMAN: &[(&str, P)] = &[
    ("Anrede", P::Title),
    ("Vorname", P::First),
    ("Weitere Vornamen", P::Middle),
    ("Nachname", P::Last),
    ("Suffix", P::Suffix),
    ("Vorname Yomi", P::GivenYomi),
    ("Nachname Yomi", P::SurnameYomi),
    ("Firma", P::Company),
    ("Abteilung", P::Dept),
    ("Position", P::Job),
    ("Straße geschäftlich", P::Street(A::Work, 1)),
    ("Straße geschäftlich 2", P::Street(A::Work, 2)),
    ("Straße geschäftlich 3", P::Street(A::Work, 3)),
    ("Ort geschäftlich", P::City(A::Work)),
    ("Region geschäftlich", P::State(A::Work)),
    ("Postleitzahl geschäftlich", P::Zip(A::Work)),
    ("Land/Region geschäftlich", P::Country(A::Work)),
    ("Postfach geschäftlich", P::PoBox(A::Work)),
    ("Straße privat", P::Street(A::Home, 1)),
    ("Straße privat 2", P::Street(A::Home, 2)),
    ("Straße privat 3", P::Street(A::Home, 3)),
    ("Ort privat", P::City(A::Home)),
    ("Bundesland/Kanton privat", P::State(A::Home)),
    ("Postleitzahl privat", P::Zip(A::Home)),
    ("Land/Region privat", P::Country(A::Home)),
    ("Postfach privat", P::PoBox(A::Home)),
    ("Weitere Straße", P::Street(A::Other, 1)),
    ("Weitere Straße 2", P::Street(A::Other, 2)),
    ("Weitere Straße 3", P::Street(A::Other, 3)),
    ("Weiterer Ort", P::City(A::Other)),
    ("Weiteres/r Bundesland/Kanton", P::State(A::Other)),
    ("Weitere Postleitzahl", P::Zip(A::Other)),
    ("Weiteres/e Land/Region", P::Country(A::Other)),
    ("Weiteres Postfach", P::PoBox(A::Other)),
    ("Telefon Assistent", P::Ph(ASSISTANT)),
    ("Fax geschäftlich", P::Ph(Tag::Fax)),
    ("Telefon geschäftlich", P::Ph(Tag::Work)),
    ("Telefon geschäftlich 2", P::Ph(Tag::Work)),
    ("Rückmeldung", P::Ph(CALLBACK)),
    ("Autotelefon", P::Ph(CAR)),
    ("Telefon Firma", P::Ph(Tag::Main)),
    ("Fax privat", P::Ph(Tag::Fax)),
    ("Telefon privat", P::Ph(Tag::Home)),
    ("Telefon privat 2", P::Ph(Tag::Home)),
    ("Telefon (privat)", P::Ph(Tag::Home)),
    ("Telefon (privat 2)", P::Ph(Tag::Home)),
    ("ISDN", P::Ph(ISDN)),
    ("Mobiltelefon", P::Ph(Tag::Mobile)),
    // German Outlook's name for the radio phone column.
    ("Mobiltelefon 2", P::Ph(Tag::Mobile)),
    ("Weiteres Fax", P::Ph(Tag::Fax)),
    ("Weiteres Telefon", P::Ph(Tag::Other)),
    ("Pager", P::Ph(Tag::Pager)),
    ("Haupttelefon", P::Ph(Tag::Main)),
    ("Telefon für Hörbehinderte", P::Ph(TTY)),
    ("Telex", P::Ph(TELEX)),
    ("E-Mail-Adresse", P::Mail),
    ("E-Mail 2: Adresse", P::Mail),
    ("E-Mail 3: Adresse", P::Mail),
    ("Webseite", P::Web(Tag::Work)),
    ("Geburtstag", P::Bday),
    ("Jahrestag", P::Anniv),
    ("Kategorien", P::Cats),
    ("Partner", P::Spouse),
    ("Kinder", P::Kids),
    ("Name des/der Vorgesetzten", P::Manager),
    ("Name Assistent", P::Assistant),
    ("Assistent(in)", P::Assistant),
    ("Notizen", P::Notes),
];

/// French Outlook. Its header has two "Titre" columns: the first is the
/// salutation, the second the job title (see [`outlook_cols`]).
const FRENCH: &[(&str, P)] = &[
    ("Titre", P::Job),
    ("Prénom", P::First),
    ("Deuxième prénom", P::Middle),
    ("Nom", P::Last),
    ("Suffixe", P::Suffix),
    ("Prénom Yomi", P::GivenYomi),
    ("Nom Yomi", P::SurnameYomi),
    ("Société", P::Company),
    ("Service", P::Dept),
    ("Rue (bureau)", P::Street(A::Work, 1)),
    ("Rue (bureau) 2", P::Street(A::Work, 2)),
    ("Rue (bureau) 3", P::Street(A::Work, 3)),
    ("Ville (bureau)", P::City(A::Work)),
    ("Dép/Région (bureau)", P::State(A::Work)),
    ("Code postal (bureau)", P::Zip(A::Work)),
    ("Pays/Région (bureau)", P::Country(A::Work)),
    ("B.P. professionnelle", P::PoBox(A::Work)),
    ("Rue (domicile)", P::Street(A::Home, 1)),
    ("Rue (domicile) 2", P::Street(A::Home, 2)),
    ("Rue (domicile) 3", P::Street(A::Home, 3)),
    ("Ville (domicile)", P::City(A::Home)),
    ("Dép/Région (domicile)", P::State(A::Home)),
    ("Code postal (domicile)", P::Zip(A::Home)),
    ("Pays/Région (domicile)", P::Country(A::Home)),
    ("Boîte postale du domicile", P::PoBox(A::Home)),
    ("Rue (autre)", P::Street(A::Other, 1)),
    ("Rue (autre) 2", P::Street(A::Other, 2)),
    ("Rue (autre) 3", P::Street(A::Other, 3)),
    ("Ville (autre)", P::City(A::Other)),
    ("Dép/Région (autre)", P::State(A::Other)),
    ("Code postal (autre)", P::Zip(A::Other)),
    ("Pays/Région (autre)", P::Country(A::Other)),
    ("Autre boîte postale", P::PoBox(A::Other)),
    ("Téléphone de l'assistant(e)", P::Ph(ASSISTANT)),
    ("Télécopie (bureau)", P::Ph(Tag::Fax)),
    ("Téléphone (bureau)", P::Ph(Tag::Work)),
    ("Téléphone 2 (bureau)", P::Ph(Tag::Work)),
    ("Rappel", P::Ph(CALLBACK)),
    ("Téléphone (voiture)", P::Ph(CAR)),
    ("Téléphone société", P::Ph(Tag::Main)),
    ("Télécopie (domicile)", P::Ph(Tag::Fax)),
    ("Téléphone (domicile)", P::Ph(Tag::Home)),
    ("Téléphone 2 (domicile)", P::Ph(Tag::Home)),
    ("RNIS", P::Ph(ISDN)),
    ("Tél. mobile", P::Ph(Tag::Mobile)),
    ("Télécopie (autre)", P::Ph(Tag::Fax)),
    ("Téléphone (autre)", P::Ph(Tag::Other)),
    ("Récepteur de radiomessagerie", P::Ph(Tag::Pager)),
    ("Téléphone principal", P::Ph(Tag::Main)),
    ("Radio téléphone", P::Ph(RADIO)),
    ("Téléphone TDD/TTY", P::Ph(TTY)),
    ("Télex", P::Ph(TELEX)),
    ("Adresse de messagerie", P::Mail),
    ("Adresse de messagerie 2", P::Mail),
    ("Adresse de messagerie 3", P::Mail),
    ("Adresse de courrier", P::Mail),
    ("Adresse de courrier 2", P::Mail),
    ("Adresse de courrier 3", P::Mail),
    ("Page Web", P::Web(Tag::Work)),
    // French Outlook calls the birthday "Anniversaire".
    ("Anniversaire", P::Bday),
    ("Anniversaire de mariage ou fête", P::Anniv),
    ("Catégories", P::Cats),
    ("Conjoint(e)", P::Spouse),
    ("Enfants", P::Kids),
    ("Responsable", P::Manager),
    ("Nom de l'assistant(e)", P::Assistant),
    ("Notes", P::Notes),
];

/// Spanish Outlook (some columns stay in English, as Outlook writes them;
/// the English table covers those). Besides Outlook's own headers a few
/// common Spanish spellings ("Móvil", "Cumpleaños", "Notas").
const SPANISH: &[(&str, P)] = &[
    ("Tratamiento", P::Title),
    ("Nombre", P::First),
    ("Segundo nombre", P::Middle),
    ("Apellidos", P::Last),
    ("Sufijo", P::Suffix),
    ("Yomi especificada", P::GivenYomi),
    ("Apellido Yomi", P::SurnameYomi),
    ("Organización", P::Company),
    ("Departamento", P::Dept),
    ("Puesto", P::Job),
    ("Calle del trabajo", P::Street(A::Work, 1)),
    ("Calle del trabajo 2", P::Street(A::Work, 2)),
    ("Calle del trabajo 3", P::Street(A::Work, 3)),
    ("Ciudad de trabajo", P::City(A::Work)),
    ("Provincia o estado de trabajo", P::State(A::Work)),
    ("Código postal del trabajo", P::Zip(A::Work)),
    ("País o región del trabajo", P::Country(A::Work)),
    (
        "Apartado postal de la dirección del trabajo",
        P::PoBox(A::Work),
    ),
    ("Calle del domicilio", P::Street(A::Home, 1)),
    ("Ciudad del domicilio", P::City(A::Home)),
    ("Estado/provincia del domicilio", P::State(A::Home)),
    ("País o región del domicilio", P::Country(A::Home)),
    (
        "Apartado postal de la dirección personal",
        P::PoBox(A::Home),
    ),
    ("Otra calle", P::Street(A::Other, 1)),
    ("Otra calle 2", P::Street(A::Other, 2)),
    ("Otra calle 3", P::Street(A::Other, 3)),
    ("Otra ciudad", P::City(A::Other)),
    ("Otra provincia o estado", P::State(A::Other)),
    ("Otro código postal", P::Zip(A::Other)),
    ("Otro país o región", P::Country(A::Other)),
    ("Otro apartado postal", P::PoBox(A::Other)),
    ("Teléfono del trabajo", P::Ph(Tag::Work)),
    ("Devolución de llamada", P::Ph(CALLBACK)),
    ("Número de centralita de la organización", P::Ph(Tag::Main)),
    ("Particular", P::Ph(Tag::Home)),
    ("Móvil", P::Ph(Tag::Mobile)),
    ("Otro fax", P::Ph(Tag::Fax)),
    ("Otro teléfono", P::Ph(Tag::Other)),
    ("Teléfono principal", P::Ph(Tag::Main)),
    ("Radioteléfono", P::Ph(RADIO)),
    ("Número de teletipo", P::Ph(TTY)),
    ("Télex", P::Ph(TELEX)),
    ("Dirección de correo electrónico", P::Mail),
    ("Dirección de correo electrónico 2", P::Mail),
    ("Dirección del correo electrónico 3", P::Mail),
    ("Dirección de correo electrónico 3", P::Mail),
    ("Página web", P::Web(Tag::Work)),
    ("Cumpleaños", P::Bday),
    ("Aniversario", P::Anniv),
    ("Categorías", P::Cats),
    ("Cónyuge", P::Spouse),
    ("Hijos", P::Kids),
    ("Nombre del director", P::Manager),
    ("Nombre del asistente", P::Assistant),
    ("Notas", P::Notes),
];

/// Italian Outlook.
const ITALIAN: &[(&str, P)] = &[
    ("Titolo", P::Title),
    ("Nome", P::First),
    ("Secondo nome", P::Middle),
    ("Cognome", P::Last),
    ("Titolo straniero", P::Suffix),
    ("Società", P::Company),
    ("Reparto", P::Dept),
    ("Posizione", P::Job),
    ("Via (uff.)", P::Street(A::Work, 1)),
    ("Via (uff.) 2", P::Street(A::Work, 2)),
    ("Via (uff.) 3", P::Street(A::Work, 3)),
    ("Città (uff.)", P::City(A::Work)),
    ("Provincia (uff.)", P::State(A::Work)),
    ("CAP (uff.)", P::Zip(A::Work)),
    ("Paese (uff.)", P::Country(A::Work)),
    ("Indirizzo (uff.) - Casella postale", P::PoBox(A::Work)),
    ("Via (ab.)", P::Street(A::Home, 1)),
    ("Via (ab.) 2", P::Street(A::Home, 2)),
    ("Via (ab.) 3", P::Street(A::Home, 3)),
    ("Città (ab.)", P::City(A::Home)),
    ("Provincia (ab.)", P::State(A::Home)),
    ("CAP (ab.)", P::Zip(A::Home)),
    ("Paese (ab.)", P::Country(A::Home)),
    ("Indirizzo (ab.) - Casella postale", P::PoBox(A::Home)),
    ("Altra via", P::Street(A::Other, 1)),
    ("Altra via 2", P::Street(A::Other, 2)),
    ("Altra via 3", P::Street(A::Other, 3)),
    ("Altra città", P::City(A::Other)),
    ("Altra provincia", P::State(A::Other)),
    ("Altro CAP", P::Zip(A::Other)),
    ("Altro paese", P::Country(A::Other)),
    ("Altro indirizzo - Casella postale", P::PoBox(A::Other)),
    ("Telefono assistente", P::Ph(ASSISTANT)),
    ("Fax (uff.)", P::Ph(Tag::Fax)),
    ("Ufficio", P::Ph(Tag::Work)),
    ("Ufficio 2", P::Ph(Tag::Work)),
    ("Richiamata automatica", P::Ph(CALLBACK)),
    ("Telefono auto", P::Ph(CAR)),
    ("Telefono principale società", P::Ph(Tag::Main)),
    ("Fax (ab.)", P::Ph(Tag::Fax)),
    ("Abitazione", P::Ph(Tag::Home)),
    ("Abitazione 2", P::Ph(Tag::Home)),
    ("Cellulare", P::Ph(Tag::Mobile)),
    ("Altro fax", P::Ph(Tag::Fax)),
    ("Altro telefono", P::Ph(Tag::Other)),
    ("Cercapersone", P::Ph(Tag::Pager)),
    ("Telefono principale", P::Ph(Tag::Main)),
    ("Radiotelefono", P::Ph(RADIO)),
    ("Telefono TTY/TDD", P::Ph(TTY)),
    ("Indirizzo posta elettronica", P::Mail),
    ("Indirizzo posta elettronica 2", P::Mail),
    ("Indirizzo posta elettronica 3", P::Mail),
    ("Pagina Web", P::Web(Tag::Work)),
    ("Compleanno", P::Bday),
    ("Anniversario", P::Anniv),
    ("Categorie", P::Cats),
    ("Nome coniuge", P::Spouse),
    ("Figli", P::Kids),
    ("Nome manager", P::Manager),
    ("Nome assistente", P::Assistant),
];

/// Dutch Outlook.
const DUTCH: &[(&str, P)] = &[
    ("Titel", P::Title),
    ("Voornaam", P::First),
    ("Middelste naam", P::Middle),
    ("Achternaam", P::Last),
    ("Achtervoegsel", P::Suffix),
    ("Bedrijf", P::Company),
    ("Afdeling", P::Dept),
    ("Functie", P::Job),
    ("Werkadres, straat", P::Street(A::Work, 1)),
    ("Werkadres 2, straat", P::Street(A::Work, 2)),
    ("Werkadres 3, straat", P::Street(A::Work, 3)),
    ("Werkadres, plaats", P::City(A::Work)),
    ("Werkadres, provincie", P::State(A::Work)),
    ("Werkadres, postcode", P::Zip(A::Work)),
    ("Land/regio (werk)", P::Country(A::Work)),
    ("Werkadres, postbusnummer", P::PoBox(A::Work)),
    ("Huisadres, straat", P::Street(A::Home, 1)),
    ("Huisadres, straat 2", P::Street(A::Home, 2)),
    ("Huisadres, straat 3", P::Street(A::Home, 3)),
    ("Huisadres, plaats", P::City(A::Home)),
    ("Huisadres, provincie", P::State(A::Home)),
    ("Huisadres, postcode", P::Zip(A::Home)),
    ("Land/regio (thuis)", P::Country(A::Home)),
    ("Huisadres, postbusnummer", P::PoBox(A::Home)),
    ("Ander adres, straat", P::Street(A::Other, 1)),
    ("Ander adres, straat 2", P::Street(A::Other, 2)),
    ("Ander adres, straat 3", P::Street(A::Other, 3)),
    ("Ander adres, plaats", P::City(A::Other)),
    ("Ander adres, provincie", P::State(A::Other)),
    ("Ander adres, postcode", P::Zip(A::Other)),
    ("Land/regio (anders)", P::Country(A::Other)),
    ("Ander adres, postbusnummer", P::PoBox(A::Other)),
    ("Telefoon assistent", P::Ph(ASSISTANT)),
    ("Fax op werk", P::Ph(Tag::Fax)),
    ("Telefoon op werk", P::Ph(Tag::Work)),
    ("Telefoon op werk 2", P::Ph(Tag::Work)),
    ("Terugbellen", P::Ph(CALLBACK)),
    ("Autotelefoon", P::Ph(CAR)),
    ("Hoofdtelefoon bedrijf", P::Ph(Tag::Main)),
    ("Fax thuis", P::Ph(Tag::Fax)),
    ("Telefoon thuis", P::Ph(Tag::Home)),
    ("Telefoon thuis 2", P::Ph(Tag::Home)),
    ("ISDN", P::Ph(ISDN)),
    ("Mobiele telefoon", P::Ph(Tag::Mobile)),
    ("Andere fax", P::Ph(Tag::Fax)),
    ("Andere telefoon", P::Ph(Tag::Other)),
    ("Pager", P::Ph(Tag::Pager)),
    ("Hoofdtelefoon", P::Ph(Tag::Main)),
    ("Radiotelefoon", P::Ph(RADIO)),
    ("Teksttelefoon", P::Ph(TTY)),
    ("Telex", P::Ph(TELEX)),
    ("E-mailadres", P::Mail),
    ("E-mailadres 2", P::Mail),
    ("E-mailadres 3", P::Mail),
    ("Webpagina", P::Web(Tag::Work)),
    ("Verjaardag", P::Bday),
    ("Speciale datum", P::Anniv),
    ("Categorieën", P::Cats),
    // How a file read with the wrong code page spells "Categorieën".
    ("Categorien", P::Cats),
    ("Partner", P::Spouse),
    ("Kinderen", P::Kids),
    ("Naam manager", P::Manager),
    ("Naam assistent", P::Assistant),
    ("Notities", P::Notes),
];

/// Portuguese Outlook, Brazil and Portugal (some Brazilian columns stay in English).
const PORTUGUESE: &[(&str, P)] = &[
    ("Tratamento", P::Title),
    ("Título", P::Title),
    ("Primeiro nome", P::First),
    ("Nome", P::First),
    ("Segundo nome", P::Middle),
    ("Outros nomes/apelidos", P::Middle),
    ("Sobrenome", P::Last),
    ("Apelido", P::Last),
    ("Sufixo", P::Suffix),
    ("Yomi fornecido", P::GivenYomi),
    ("Yomi (sobrenome)", P::SurnameYomi),
    ("Empresa", P::Company),
    ("Departamento", P::Dept),
    ("Cargo", P::Job),
    ("Rua do endereço comercial", P::Street(A::Work, 1)),
    ("Rua do endereço comercial 2", P::Street(A::Work, 2)),
    ("Rua do endereço comercial 3", P::Street(A::Work, 3)),
    ("Cidade do endereço comercial", P::City(A::Work)),
    ("Estado do endereço comercial", P::State(A::Work)),
    ("CEP do endereço comercial", P::Zip(A::Work)),
    ("País/Região da Empresa", P::Country(A::Work)),
    ("Caixa postal do endereço comercial", P::PoBox(A::Work)),
    ("Rua da empresa", P::Street(A::Work, 1)),
    ("Rua da empresa 2", P::Street(A::Work, 2)),
    ("Rua da empresa 3", P::Street(A::Work, 3)),
    ("Localidade da empresa", P::City(A::Work)),
    ("Distrito da empresa", P::State(A::Work)),
    ("Código postal da empresa", P::Zip(A::Work)),
    ("Apartado da empresa", P::PoBox(A::Work)),
    ("Endereço residencial", P::Street(A::Home, 1)),
    ("Endereço residencial 2", P::Street(A::Home, 2)),
    ("Endereço residencial 3", P::Street(A::Home, 3)),
    ("Cidade do endereço residencial", P::City(A::Home)),
    ("Estado", P::State(A::Home)),
    ("CEP do endereço residencial", P::Zip(A::Home)),
    ("País/Região de Residência", P::Country(A::Home)),
    ("Caixa postal do endereço residencial", P::PoBox(A::Home)),
    ("Rua da residência", P::Street(A::Home, 1)),
    ("Rua da residência (2)", P::Street(A::Home, 2)),
    ("Rua da residência (3)", P::Street(A::Home, 3)),
    ("Localidade da residência", P::City(A::Home)),
    ("Distrito da residência", P::State(A::Home)),
    ("Código postal da residência", P::Zip(A::Home)),
    ("País da Residência/Região", P::Country(A::Home)),
    ("Apartado da residência", P::PoBox(A::Home)),
    ("Outro endereço", P::Street(A::Other, 1)),
    ("Outro endereço 2", P::Street(A::Other, 2)),
    ("Outro endereço 3", P::Street(A::Other, 3)),
    ("Cidade", P::City(A::Other)),
    ("Outro Estado", P::State(A::Other)),
    ("CEP", P::Zip(A::Other)),
    ("Outro País/Região", P::Country(A::Other)),
    ("Caixa postal de outro endereço", P::PoBox(A::Other)),
    ("Rua do outro endereço", P::Street(A::Other, 1)),
    ("Rua do outro endereço 2", P::Street(A::Other, 2)),
    ("Rua do outro endereço 3", P::Street(A::Other, 3)),
    ("Localidade do outro endereço", P::City(A::Other)),
    ("Distrito do outro endereço", P::State(A::Other)),
    ("Código postal do outro endereço", P::Zip(A::Other)),
    ("Apartado do outro endereço", P::PoBox(A::Other)),
    ("Telefone do assistente", P::Ph(ASSISTANT)),
    ("Fax comercial", P::Ph(Tag::Fax)),
    ("Telefone comercial", P::Ph(Tag::Work)),
    ("Telefone comercial 2", P::Ph(Tag::Work)),
    ("Retorno de chamada", P::Ph(CALLBACK)),
    ("Telefone do carro", P::Ph(CAR)),
    ("Telefone principal da empresa", P::Ph(Tag::Main)),
    ("Fax residencial", P::Ph(Tag::Fax)),
    ("Telefone residencial", P::Ph(Tag::Home)),
    ("Telefone residencial 2", P::Ph(Tag::Home)),
    ("Telefone celular", P::Ph(Tag::Mobile)),
    ("Fax da empresa", P::Ph(Tag::Fax)),
    ("Telefone da empresa", P::Ph(Tag::Work)),
    ("2º telefone da empresa", P::Ph(Tag::Work)),
    ("Tel. de resposta", P::Ph(CALLBACK)),
    ("Fax da residência", P::Ph(Tag::Fax)),
    ("Telefone da residência", P::Ph(Tag::Home)),
    ("2º telefone da residência", P::Ph(Tag::Home)),
    ("RDIS", P::Ph(ISDN)),
    ("Telemóvel", P::Ph(Tag::Mobile)),
    ("Outro fax", P::Ph(Tag::Fax)),
    ("Outro telefone", P::Ph(Tag::Other)),
    ("Telefone principal", P::Ph(Tag::Main)),
    ("Radiofone", P::Ph(RADIO)),
    ("Radiotelefone", P::Ph(RADIO)),
    ("Telefone TTY/TDD", P::Ph(TTY)),
    ("Endereço de email", P::Mail),
    ("Endereço de email 2", P::Mail),
    ("Endereço de email 3", P::Mail),
    ("Endereço de correio electrónico", P::Mail),
    ("Endereço do correio electrónico 2", P::Mail),
    ("Endereço do correio electrónico 3", P::Mail),
    ("Página da Web", P::Web(Tag::Work)),
    ("Página na Web", P::Web(Tag::Work)),
    ("Data de nascimento", P::Bday),
    ("Aniversário", P::Anniv),
    ("Datas especiais", P::Anniv),
    ("Categorias", P::Cats),
    ("Cônjuge", P::Spouse),
    ("Filhos", P::Kids),
    ("Nome do gerenciador", P::Manager),
    ("Nome do gestor", P::Manager),
    ("Nome do assistente", P::Assistant),
    ("Anotações", P::Notes),
    ("Notas", P::Notes),
];

fn lookup(table: &[(&str, P)], header: &str) -> Option<P> {
    table
        .iter()
        .find(|(name, _)| name.to_lowercase() == header)
        .map(|(_, p)| *p)
}

/// The localized Outlook language of a header: the language with the most
/// header cells that only it has (not English Outlook), at least three.
fn outlook_language(lower: &[String]) -> Option<OutlookLanguage> {
    OutlookLanguage::ALL
        .into_iter()
        .map(|language| {
            let hits = lower
                .iter()
                .filter(|h| lookup(language.table(), h).is_some() && lookup(ENGLISH, h).is_none())
                .count();
            (hits, language)
        })
        .filter(|(hits, _)| *hits >= 3)
        .max_by_key(|(hits, _)| *hits)
        .map(|(_, language)| language)
}

/// Guess the layout from a header row.
pub fn detect_layout(headers: &[String]) -> Option<CsvLayout> {
    let lower: Vec<String> = headers.iter().map(|h| norm(h)).collect();
    let has = |name: &str| lower.iter().any(|h| h == name);
    let google_numbered = lower.iter().any(|h| {
        numbered(h).is_some_and(|(kind, n, _)| {
            n == 1 && matches!(kind, "e-mail" | "phone" | "website" | "address")
        })
    });
    if has("name") && has("given name") && has("family name") {
        Some(CsvLayout::GoogleLegacy)
    } else if has("first name")
        && (google_numbered || has("phonetic first name") || has("organization name"))
    {
        Some(CsvLayout::Google)
    } else if has("connected on") && has("first name") && has("last name") {
        Some(CsvLayout::LinkedIn)
    } else if has("primary email")
        && (has("display name") || has("secondary email") || has("screen name"))
    {
        Some(CsvLayout::Thunderbird)
    } else if has("first") && has("last") && (has("alternate email 1") || has("yahoo phone")) {
        Some(CsvLayout::Yahoo)
    } else if has("first name")
        && (has("e-mail address")
            || has("e-mail 2 address")
            || has("mobile phone")
            || has("business phone"))
    {
        Some(CsvLayout::Outlook)
    } else if let Some(language) = outlook_language(&lower) {
        Some(CsvLayout::OutlookLocalized(language))
    } else if lower.iter().any(|h| {
        matches!(
            h.as_str(),
            "name"
                | "full name"
                | "display name"
                | "email"
                | "e-mail"
                | "email address"
                | "e-mail address"
                | "first name"
        )
    }) {
        Some(CsvLayout::Generic)
    } else {
        None
    }
}

/// A Google numbered header, "e-mail 2 - value" → ("e-mail", 2, "value").
fn numbered(header: &str) -> Option<(&str, u16, &str)> {
    let (head, part) = header.split_once(" - ")?;
    let (kind, n) = head.rsplit_once(' ')?;
    let n: u16 = n.parse().ok()?;
    Some((kind.trim(), n, part.trim()))
}

/// The meaning of every column of a header, for a layout.
fn columns(layout: CsvLayout, lower: &[String]) -> Vec<Col> {
    match layout {
        CsvLayout::Google | CsvLayout::GoogleLegacy => {
            lower.iter().map(|h| google_col(h)).collect()
        }
        CsvLayout::Outlook => outlook_cols(None, lower),
        CsvLayout::OutlookLocalized(language) => outlook_cols(Some(language), lower),
        CsvLayout::Thunderbird => lower.iter().map(|h| thunderbird_col(h)).collect(),
        CsvLayout::Yahoo => lower.iter().map(|h| yahoo_col(h)).collect(),
        CsvLayout::LinkedIn => lower.iter().map(|h| linkedin_col(h)).collect(),
        CsvLayout::Generic => lower.iter().map(|h| generic_col(h)).collect(),
    }
}

fn google_col(h: &str) -> Col {
    match h {
        "name" => Col::FullName,
        "first name" | "given name" => Col::Name(Part::Given),
        "middle name" | "additional name" => Col::Name(Part::Additional),
        "last name" | "family name" => Col::Name(Part::Family),
        "name prefix" => Col::Name(Part::Prefix),
        "name suffix" => Col::Name(Part::Suffix),
        "phonetic first name" | "given name yomi" => Col::Name(Part::PhoneticGiven),
        "phonetic middle name" | "additional name yomi" => Col::Name(Part::PhoneticAdditional),
        "phonetic last name" | "family name yomi" => Col::Name(Part::PhoneticFamily),
        "yomi name" => Col::Name(Part::PhoneticFull),
        "nickname" => Col::Nickname(Sep::Google),
        "organization name" | "organization 1 - name" => Col::Organization,
        "organization title" | "organization 1 - title" => Col::JobTitle,
        "organization department" | "organization 1 - department" => Col::Department(Sep::Google),
        "organization 1 - job description" => Col::JobDescription,
        "birthday" => Col::Date(DateCol::Birthday),
        "notes" => Col::Notes,
        "labels" | "group membership" => Col::Tags(Sep::Google),
        "can help with" => Col::CanHelp(Sep::Google),
        _ => match numbered(h) {
            Some((kind, n, part)) => {
                let group = match kind {
                    "e-mail" => Some(Group::Email),
                    "phone" => Some(Group::Phone),
                    "website" => Some(Group::Website),
                    "event" => Some(Group::Event),
                    "relation" => Some(Group::Relation),
                    _ => None,
                };
                match (group, kind, part) {
                    (Some(group), _, "label" | "type") => Col::GroupLabel(group, n),
                    (Some(group), _, "value") => Col::GroupValue(group, n),
                    (None, "address", part) => {
                        let part = match part {
                            "label" | "type" => Some(AddrPart::Label),
                            "formatted" => Some(AddrPart::Formatted),
                            "street" => Some(AddrPart::Street(1)),
                            "city" => Some(AddrPart::City),
                            "po box" => Some(AddrPart::PoBox),
                            "region" => Some(AddrPart::Region),
                            "postal code" => Some(AddrPart::Postcode),
                            "country" => Some(AddrPart::Country),
                            "extended address" => Some(AddrPart::Extended),
                            _ => None,
                        };
                        part.map_or(Col::Keep, |part| Col::Address(Slot::Numbered(n), part))
                    }
                    _ => Col::Keep,
                }
            }
            None => Col::Keep,
        },
    }
}

/// Outlook columns, through the language's table and then the English one.
/// The first of two French "Titre" columns is the salutation.
fn outlook_cols(language: Option<OutlookLanguage>, lower: &[String]) -> Vec<Col> {
    let titre_twice = language == Some(OutlookLanguage::French)
        && lower.iter().filter(|h| h.as_str() == "titre").count() > 1;
    let mut seen_titre = false;
    lower
        .iter()
        .map(|h| {
            if titre_twice && h == "titre" && !seen_titre {
                seen_titre = true;
                return Col::Name(Part::Prefix);
            }
            language
                .and_then(|l| lookup(l.table(), h))
                .or_else(|| lookup(ENGLISH, h))
                .map_or(Col::Keep, P::col)
        })
        .collect()
}

fn thunderbird_col(h: &str) -> Col {
    let home = Slot::Fixed(Tag::Home);
    let work = Slot::Fixed(Tag::Work);
    match h {
        "first name" => Col::Name(Part::Given),
        "last name" => Col::Name(Part::Family),
        "display name" => Col::FullName,
        "nickname" => Col::Nickname(Sep::Any),
        "primary email" => Col::Email(Tag::None, true),
        "secondary email" => Col::Email(Tag::None, false),
        "work phone" => Col::Phone(Tag::Work),
        "home phone" => Col::Phone(Tag::Home),
        "fax number" => Col::Phone(Tag::Fax),
        "pager number" => Col::Phone(Tag::Pager),
        "mobile number" => Col::Phone(Tag::Mobile),
        "home address" => Col::Address(home, AddrPart::Street(1)),
        "home address 2" | "home address2" => Col::Address(home, AddrPart::Street(2)),
        "home city" => Col::Address(home, AddrPart::City),
        "home state" | "home county" => Col::Address(home, AddrPart::Region),
        "home zipcode" | "home zip" | "home post code" | "home postcode" => {
            Col::Address(home, AddrPart::Postcode)
        }
        "home country" => Col::Address(home, AddrPart::Country),
        "work address" => Col::Address(work, AddrPart::Street(1)),
        "work address 2" | "work address2" => Col::Address(work, AddrPart::Street(2)),
        "work city" => Col::Address(work, AddrPart::City),
        "work state" | "work county" => Col::Address(work, AddrPart::Region),
        "work zipcode" | "work zip" | "work post code" | "work postcode" => {
            Col::Address(work, AddrPart::Postcode)
        }
        "work country" => Col::Address(work, AddrPart::Country),
        "job title" => Col::JobTitle,
        "department" => Col::Department(Sep::Semicolon),
        "organization" | "organisation" => Col::Organization,
        "web page 1" => Col::Web(Tag::Work),
        "web page 2" => Col::Web(Tag::Home),
        "birth year" => Col::Birth(Ymd::Year),
        "birth month" => Col::Birth(Ymd::Month),
        "birth day" => Col::Birth(Ymd::Day),
        "notes" => Col::Notes,
        _ => Col::Keep,
    }
}

fn yahoo_col(h: &str) -> Col {
    let home = Slot::Fixed(Tag::Home);
    let work = Slot::Fixed(Tag::Work);
    match h {
        "first" => Col::Name(Part::Given),
        "middle" => Col::Name(Part::Additional),
        "last" => Col::Name(Part::Family),
        "nickname" => Col::Nickname(Sep::Any),
        "email" | "alternate email 1" | "alternate email 2" => Col::Email(Tag::None, false),
        "category" => Col::Tags(Sep::Any),
        "home" => Col::Phone(Tag::Home),
        "work" => Col::Phone(Tag::Work),
        "pager" => Col::Phone(Tag::Pager),
        "fax" => Col::Phone(Tag::Fax),
        "mobile" => Col::Phone(Tag::Mobile),
        "other" => Col::Phone(Tag::Other),
        "yahoo phone" => Col::Phone(Tag::Word("Yahoo")),
        "primary" => Col::Phone(Tag::Main),
        "personal website" => Col::Web(Tag::Home),
        "business website" => Col::Web(Tag::Work),
        "title" => Col::JobTitle,
        "company" => Col::Organization,
        "work address" => Col::Address(work, AddrPart::Street(1)),
        "work city" => Col::Address(work, AddrPart::City),
        "work state" => Col::Address(work, AddrPart::Region),
        "work zip" => Col::Address(work, AddrPart::Postcode),
        "work country" => Col::Address(work, AddrPart::Country),
        "home address" => Col::Address(home, AddrPart::Street(1)),
        "home city" => Col::Address(home, AddrPart::City),
        "home state" => Col::Address(home, AddrPart::Region),
        "home zip" => Col::Address(home, AddrPart::Postcode),
        "home country" => Col::Address(home, AddrPart::Country),
        "birthday" => Col::Date(DateCol::Birthday),
        "anniversary" => Col::Date(DateCol::Anniversary),
        "comments" => Col::Notes,
        _ => Col::Keep,
    }
}

fn linkedin_col(h: &str) -> Col {
    match h {
        "first name" => Col::Name(Part::Given),
        "last name" => Col::Name(Part::Family),
        "url" => Col::Web(Tag::Word("LinkedIn")),
        "email address" => Col::Email(Tag::None, false),
        "company" => Col::Organization,
        "position" => Col::JobTitle,
        "connected on" => Col::ConnectedOn,
        _ => Col::Keep,
    }
}

fn generic_col(h: &str) -> Col {
    let none = Slot::Fixed(Tag::None);
    match h {
        "name" | "full name" | "fullname" | "display name" => Col::FullName,
        "first name" | "firstname" | "given name" | "first" => Col::Name(Part::Given),
        "middle name" | "additional name" | "middle" => Col::Name(Part::Additional),
        "last name" | "lastname" | "surname" | "family name" | "last" => Col::Name(Part::Family),
        "prefix" | "name prefix" | "salutation" => Col::Name(Part::Prefix),
        "suffix" | "name suffix" => Col::Name(Part::Suffix),
        "nickname" => Col::Nickname(Sep::Any),
        "company" | "organization" | "organisation" | "employer" => Col::Organization,
        "department" => Col::Department(Sep::Semicolon),
        "title" | "job title" | "position" | "role" => Col::JobTitle,
        "notes" | "note" | "comments" => Col::Notes,
        "tags" | "labels" | "categories" | "groups" => Col::Tags(Sep::Any),
        "can help with" | "can help" => Col::CanHelp(Sep::Any),
        "birthday" | "birth date" | "date of birth" | "birthdate" | "dob" => {
            Col::Date(DateCol::Birthday)
        }
        "anniversary" => Col::Date(DateCol::Anniversary),
        "website" | "web page" | "web site" | "url" | "homepage" => Col::Web(Tag::None),
        "address" | "street" => Col::Address(none, AddrPart::Street(1)),
        "city" | "town" => Col::Address(none, AddrPart::City),
        "state" | "region" | "province" => Col::Address(none, AddrPart::Region),
        "zip" | "zip code" | "postal code" | "postcode" => Col::Address(none, AddrPart::Postcode),
        "country" => Col::Address(none, AddrPart::Country),
        "id" | "uid" | "contact id" => Col::RowId,
        "mobile" | "mobile phone" | "cell" | "cell phone" => Col::Phone(Tag::Mobile),
        "work phone" | "business phone" => Col::Phone(Tag::Work),
        "home phone" => Col::Phone(Tag::Home),
        "fax" => Col::Phone(Tag::Fax),
        "work email" | "work e-mail" => Col::Email(Tag::Work, false),
        "home email" | "home e-mail" | "personal email" => Col::Email(Tag::Home, false),
        _ if (h.contains("e-mail") || h.contains("email"))
            && !h.contains("type")
            && !h.contains("display") =>
        {
            Col::Email(Tag::None, false)
        }
        // "phonetic …" is a name, not a phone.
        _ if (h.contains("phone") && !h.contains("phonetic")) || h == "telephone" || h == "tel" => {
            Col::Phone(Tag::None)
        }
        _ => Col::Keep,
    }
}

// ---------------------------------------------------------------------------
// Reading records
// ---------------------------------------------------------------------------

/// A row as read: the line it starts on and its cells.
struct RawRow {
    line: usize,
    cells: Vec<String>,
}

/// Why a row could not be read.
enum Broken {
    /// A quote that opened on `open` is never closed (`lines` lines to the end).
    ToEnd { open: usize, lines: usize },
    /// A quote that opened on `open` runs `lines` lines, more than plausible.
    TooLong { open: usize, lines: usize },
    /// A quote that opened on `open` runs `lines` lines, over `row`, which looks like a row of its own.
    OverRow {
        open: usize,
        lines: usize,
        row: usize,
    },
}

impl Broken {
    fn open(&self) -> usize {
        match self {
            Broken::ToEnd { open, .. }
            | Broken::TooLong { open, .. }
            | Broken::OverRow { open, .. } => *open,
        }
    }

    fn skipped(&self) -> Skipped {
        let open = self.open();
        let reason = match self {
            Broken::ToEnd { lines, .. } => format!(
                "a quote opened on line {open} is never closed (it runs {lines} line{} to the end of the file); the row was skipped and reading went on from line {}",
                if *lines == 1 { "" } else { "s" },
                open + 1
            ),
            Broken::TooLong { lines, .. } => format!(
                "a quote opened on line {open} runs {lines} lines, more than a cell plausibly holds; the row was skipped and reading went on from line {}",
                open + 1
            ),
            Broken::OverRow { lines, row, .. } => format!(
                "a quote opened on line {open} runs {lines} lines and swallows line {row}, which looks like a row of its own; the row was skipped and reading went on from line {}",
                open + 1
            ),
        };
        Skipped { line: open, reason }
    }
}

/// A quoted cell that spans more lines than this (or twice the header's
/// columns, whichever is more) is taken for a quote that was never closed.
const MIN_QUOTE_LINE_LIMIT: usize = 50;

/// Only headers with at least this many columns use the "looks like a
/// fresh row" test: with few columns an ordinary line of a note can have
/// as many commas as a row.
const FRESH_ROW_MIN_COLUMNS: usize = 5;

/// An RFC 4180 reader over text: quotes, doubled quotes, CRLF/LF/CR line
/// breaks inside quotes, blank lines skipped, 1-based line numbers.
struct Reader<'a> {
    text: &'a str,
    delim: u8,
    /// Byte offset where each line starts (line n at `starts[n - 1]`).
    starts: Vec<usize>,
    pos: usize,
    line: usize,
    /// The header's column count, once known (0 before).
    columns: usize,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, delim: u8) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 2;
                    starts.push(i);
                }
                b'\r' | b'\n' => {
                    i += 1;
                    starts.push(i);
                }
                _ => i += 1,
            }
        }
        let pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
        Self {
            text,
            delim,
            starts,
            pos,
            line: 1,
            columns: 0,
        }
    }

    /// Consume a line break at `pos`, if there is one.
    fn newline(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        match bytes.get(self.pos) {
            Some(b'\r') => {
                self.pos += if bytes.get(self.pos + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                self.line += 1;
                true
            }
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                true
            }
            _ => false,
        }
    }

    /// Go on reading from the start of `line` (after a broken row).
    fn restart_at(&mut self, line: usize) {
        self.pos = self
            .starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        self.line = line;
    }

    /// The text of one physical line, without its break.
    fn line_text(&self, line: usize) -> &'a str {
        let start = self
            .starts
            .get(line - 1)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len())
            .max(start);
        self.text[start..end].trim_end_matches(['\r', '\n'])
    }

    /// True when a physical line, read alone, is a complete row with the
    /// header's number of columns (quotes only around whole cells).
    fn looks_like_row(&self, line: usize) -> bool {
        let bytes = self.line_text(line).as_bytes();
        let mut fields = 1;
        let mut i = 0;
        while i <= bytes.len() {
            if bytes.get(i) == Some(&b'"') {
                // A quoted cell must close on this line and end the cell.
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return false,
                        Some(b'"') if bytes.get(i + 1) == Some(&b'"') => i += 2,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
                match bytes.get(i) {
                    None => break,
                    Some(b) if *b == self.delim => {
                        fields += 1;
                        i += 1;
                    }
                    Some(_) => return false,
                }
            } else {
                loop {
                    match bytes.get(i) {
                        None => return fields == self.columns,
                        Some(b'"') => return false,
                        Some(b) if *b == self.delim => {
                            fields += 1;
                            i += 1;
                            break;
                        }
                        Some(_) => i += 1,
                    }
                }
            }
        }
        fields == self.columns
    }

    /// The next row; `Ok(None)` at the end of the text.
    fn next_row(&mut self) -> Result<Option<RawRow>, Broken> {
        let bytes = self.text.as_bytes();
        while self.newline() {}
        if self.pos >= bytes.len() {
            return Ok(None);
        }
        let start_line = self.line;
        let mut cells = Vec::new();
        loop {
            let mut cell = String::new();
            if bytes.get(self.pos) == Some(&b'"') {
                let open = self.line;
                self.pos += 1;
                let mut closed = false;
                loop {
                    let from = self.pos;
                    while self.pos < bytes.len() && !matches!(bytes[self.pos], b'"' | b'\r' | b'\n')
                    {
                        self.pos += 1;
                    }
                    cell.push_str(&self.text[from..self.pos]);
                    match bytes.get(self.pos) {
                        None => break,
                        Some(b'"') if bytes.get(self.pos + 1) == Some(&b'"') => {
                            cell.push('"');
                            self.pos += 2;
                        }
                        Some(b'"') => {
                            self.pos += 1;
                            closed = true;
                            break;
                        }
                        Some(_) => {
                            let from = self.pos;
                            self.newline();
                            cell.push_str(&self.text[from..self.pos]);
                        }
                    }
                }
                if !closed {
                    // A line break at the very end starts no line of its own.
                    let last = if self.text.ends_with(['\r', '\n']) {
                        self.line - 1
                    } else {
                        self.line
                    };
                    let lines = last.max(open) - open + 1;
                    return Err(Broken::ToEnd { open, lines });
                }
                let lines = self.line - open + 1;
                if self.line > open && self.columns > 0 {
                    if lines > (self.columns * 2).max(MIN_QUOTE_LINE_LIMIT) {
                        return Err(Broken::TooLong { open, lines });
                    }
                    if self.columns >= FRESH_ROW_MIN_COLUMNS
                        && let Some(row) = (open + 1..=self.line).find(|l| self.looks_like_row(*l))
                    {
                        return Err(Broken::OverRow { open, lines, row });
                    }
                }
            }
            // Unquoted text (or what follows a closing quote) up to the delimiter.
            let from = self.pos;
            while self.pos < bytes.len()
                && bytes[self.pos] != self.delim
                && !matches!(bytes[self.pos], b'\r' | b'\n')
            {
                self.pos += 1;
            }
            cell.push_str(&self.text[from..self.pos]);
            cells.push(cell);
            if self.pos < bytes.len() && bytes[self.pos] == self.delim {
                self.pos += 1;
                continue;
            }
            self.newline();
            return Ok(Some(RawRow {
                line: start_line,
                cells,
            }));
        }
    }

    /// The next row, a broken row's report, or None at the end. After a
    /// broken row reading goes on from the line after its quote opened.
    fn next_item(&mut self) -> Option<Result<RawRow, Skipped>> {
        match self.next_row() {
            Ok(row) => row.map(Ok),
            Err(broken) => {
                self.restart_at(broken.open() + 1);
                Some(Err(broken.skipped()))
            }
        }
    }
}

/// The header row found in a text: the delimiter, its cells and layout, and
/// a reader positioned after it.
struct Header<'a> {
    reader: Reader<'a>,
    cells: Vec<String>,
    layout: CsvLayout,
}

/// Find the header row (LinkedIn puts a "Notes:" preamble before it) and
/// the delimiter: each of comma, semicolon and tab is tried on the first 20
/// rows, and the one whose header row has the most cells (delimiters
/// outside quotes) wins.
fn find_header(text: &str) -> Option<Header<'_>> {
    let mut best: Option<Header<'_>> = None;
    for delim in [b',', b';', b'\t'] {
        let mut reader = Reader::new(text, delim);
        for _ in 0..20 {
            let Some(row) = reader.next_item() else { break };
            let Ok(row) = row else { continue };
            let cells: Vec<String> = row.cells;
            if cells.len() < 2 {
                continue;
            }
            if let Some(layout) = detect_layout(&cells) {
                if best.as_ref().is_none_or(|b| cells.len() > b.cells.len()) {
                    reader.columns = cells.len();
                    best = Some(Header {
                        reader,
                        cells,
                        layout,
                    });
                }
                break;
            }
        }
    }
    best
}

/// True when the text looks like a contacts CSV we can read.
pub fn looks_like_csv(text: &str) -> bool {
    find_header(text).is_some()
}

// ---------------------------------------------------------------------------
// Cells to fields
// ---------------------------------------------------------------------------

/// What reading a date cell gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateCell {
    /// Nothing, or Outlook's empty date (`0/0/00`, `0.0.00`).
    Empty,
    /// A date.
    Date(PartialDate),
    /// Something that is not a date (kept as it is).
    Unreadable,
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_name(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (0..12)
        .find(|&i| word == MONTHS[i] || word == full[i] || (word == "sept" && i == 8))
        .map(|i| i as u32 + 1)
}

/// A year as written: four digits as they are, two digits through
/// [`expand_two_digit_year`].
fn year_of(text: &str, reference_year: i32) -> Option<i32> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match text.len() {
        4 => text.parse().ok(),
        2 => text
            .parse()
            .ok()
            .map(|yy| expand_two_digit_year(yy, reference_year)),
        _ => None,
    }
}

fn small_number(text: &str) -> Option<u32> {
    (!text.is_empty() && text.len() <= 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Read a date cell: ISO and vCard forms (`1980-03-22`, `--03-22`,
/// `19800322`), numeric dates in the file's `order` (`05/14/2023`,
/// `14.05.2023`, `14/05/23`; a year first is always year-month-day), dates
/// with an English month name (`14 May 23`, `12 Mar 2021`, `May 14, 2023`,
/// `14-May-23`), and year-less `14.05.` / `05/14`. Two-digit years go
/// through [`expand_two_digit_year`] with `reference_year`. When a numeric
/// date is impossible in the file's order but possible in the other
/// (`14/05/2023` in a US file), the other is used. A time after the date is
/// ignored.
pub fn read_date(text: &str, order: DayOrder, reference_year: i32) -> DateCell {
    let text = text.trim();
    if text.is_empty() {
        return DateCell::Empty;
    }
    // Outlook writes an empty date as zeros: 0/0/00, 0.0.00, 00.00.0000.
    if text
        .bytes()
        .all(|b| matches!(b, b'0' | b'/' | b'.' | b'-' | b' '))
    {
        return DateCell::Empty;
    }
    // PartialDate::parse slices bytes; only give it ASCII.
    if text.is_ascii()
        && let Some(date) = PartialDate::parse(text)
    {
        return DateCell::Date(date);
    }
    let first = text.split_whitespace().next().unwrap_or(text);
    let date_part = if first.contains(['/', '.']) && !first.chars().any(char::is_alphabetic) {
        first
    } else {
        text
    };
    let tokens: Vec<&str> = date_part
        .split([' ', '-', ',', '.', '/'])
        .filter(|t| !t.is_empty())
        .collect();
    let month_at = tokens.iter().position(|t| month_name(t).is_some());
    if let Some(at) = month_at {
        let month = tokens.get(at).and_then(|t| month_name(t));
        let numbers: Vec<&str> = tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, t)| *t)
            .collect();
        let (day, year) = match numbers.as_slice() {
            [d] if d.len() <= 2 => (small_number(d), None),
            [y] if y.len() == 4 => (None, year_of(y, reference_year)),
            [a, b] if a.len() == 4 => (small_number(b), year_of(a, reference_year)),
            [a, b] => (small_number(a), year_of(b, reference_year)),
            _ => return DateCell::Unreadable,
        };
        if numbers.len() == 2 && year.is_none() {
            return DateCell::Unreadable;
        }
        if numbers
            .iter()
            .any(|n| !n.bytes().all(|b| b.is_ascii_digit()))
        {
            return DateCell::Unreadable;
        }
        return PartialDate::new(year, month, day).map_or(DateCell::Unreadable, DateCell::Date);
    }
    if !date_part
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'/' | b'.' | b'-'))
    {
        return DateCell::Unreadable;
    }
    let parts: Vec<&str> = date_part.split(['/', '.', '-']).collect();
    let parts: Vec<&str> = match parts.as_slice() {
        // "14.05." has an empty part after the last dot.
        [rest @ .., ""] if !rest.is_empty() => rest.to_vec(),
        _ => parts,
    };
    let in_order = |a: &str, b: &str, year: Option<i32>, order: DayOrder| {
        let (m, d) = match order {
            DayOrder::MonthFirst => (a, b),
            DayOrder::DayFirst => (b, a),
        };
        PartialDate::new(year, Some(small_number(m)?), Some(small_number(d)?))
    };
    let other = match order {
        DayOrder::MonthFirst => DayOrder::DayFirst,
        DayOrder::DayFirst => DayOrder::MonthFirst,
    };
    let date = match parts.as_slice() {
        [y, m, d] if y.len() == 4 => year_of(y, reference_year)
            .and_then(|y| PartialDate::new(Some(y), small_number(m), small_number(d))),
        [a, b, y] => year_of(y, reference_year).and_then(|year| {
            in_order(a, b, Some(year), order).or_else(|| in_order(a, b, Some(year), other))
        }),
        [a, b] => in_order(a, b, None, order).or_else(|| in_order(a, b, None, other)),
        _ => None,
    };
    date.map_or(DateCell::Unreadable, DateCell::Date)
}

/// Google's multi-value cells: `a ::: b`.
fn split_google(value: &str) -> impl Iterator<Item = &str> {
    value.split(":::").map(str::trim).filter(|s| !s.is_empty())
}

fn split_tags(value: &str, sep: Sep) -> Vec<String> {
    let parts: Vec<&str> = match sep {
        Sep::Google => value.split(":::").collect(),
        Sep::Semicolon => value.split(';').collect(),
        Sep::Any => value
            .split(":::")
            .flat_map(|p| p.split([';', ',']))
            .collect(),
    };
    parts
        .into_iter()
        .map(str::trim)
        .map(|t| match sep {
            // "* myContacts", "* starred": Google marks its system labels.
            Sep::Google => t.trim_start_matches('*').trim(),
            _ => t,
        })
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

/// A Google label cell: `* Home` is the primary home one.
fn google_label(cell: &str) -> (Label, bool) {
    let cell = cell.trim();
    let (preferred, text) = match cell.strip_prefix('*') {
        Some(rest) => (true, rest.trim()),
        None => (false, cell),
    };
    (csv_label(text), preferred)
}

/// A label word as CSV files write it ("Home Fax", "Work Fax" are faxes).
fn csv_label(text: &str) -> Label {
    match text.trim().to_lowercase().as_str() {
        "fax" | "home fax" | "work fax" | "business fax" | "other fax" => Label::Fax,
        "" => Label::Unlabelled,
        _ => Label::from_text(text),
    }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    let item = item.trim();
    if !item.is_empty() && !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

fn push_relation(person: &mut Person, kind: RelationKind, name: &str) {
    let name = name.trim();
    if name.is_empty() {
        return;
    }
    let relation = Relation {
        kind,
        person: None,
        name: name.to_string(),
    };
    if !person.relations.contains(&relation) {
        person.relations.push(relation);
    }
}

fn push_date(person: &mut Person, kind: DateKind, date: PartialDate) {
    let item = ImportantDate { kind, date };
    if !person.dates.contains(&item) {
        person.dates.push(item);
    }
}

/// A postal address being put together from its columns.
#[derive(Default)]
struct AddressParts {
    label: Option<(Label, bool)>,
    formatted: String,
    streets: BTreeMap<u8, String>,
    address: Address,
}

impl AddressParts {
    fn finish(self, fallback: Label) -> Option<Address> {
        let mut address = self.address;
        let (label, preferred) = self.label.unwrap_or((fallback, false));
        address.label = label;
        address.preferred = preferred;
        address.street = self
            .streets
            .into_values()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if address.is_empty() && !self.formatted.is_empty() {
            // Only the formatted text: keep it whole as the street.
            address.street = self.formatted;
        }
        (!address.is_empty()).then_some(address)
    }
}

/// The options a file is read with.
struct Context {
    order: DayOrder,
    reference_year: i32,
}

/// Build a person from one row's cells.
fn row_to_person(cols: &[Col], headers: &[String], cells: &[String], ctx: &Context) -> Person {
    let mut person = Person::new("");
    let mut full_name = String::new();
    let mut phonetic_full = String::new();
    let mut groups: BTreeMap<(Group, u16), (Option<String>, Option<String>)> = BTreeMap::new();
    let mut addresses: Vec<(Slot, AddressParts)> = Vec::new();
    let mut birth: [Option<String>; 3] = [None, None, None];
    let keep = |person: &mut Person, i: usize, value: &str| {
        let header = headers.get(i).map(String::as_str).unwrap_or_default();
        person.extra.push((
            format!("CSV:{}", unescape_cell(header.trim())),
            value.to_string(),
        ));
    };
    for (i, col) in cols.iter().enumerate() {
        let Some(raw) = cells.get(i) else { break };
        let value = unescape_cell(raw.trim());
        if value.is_empty() {
            continue;
        }
        let n = &mut person.name_parts;
        match *col {
            Col::FullName => {
                if full_name.is_empty() {
                    full_name = value.to_string();
                }
            }
            Col::Name(part) => {
                let slot = match part {
                    Part::Prefix => &mut n.prefix,
                    Part::Given => &mut n.given,
                    Part::Additional => &mut n.additional,
                    Part::Family => &mut n.family,
                    Part::Suffix => &mut n.suffix,
                    Part::PhoneticGiven => &mut n.phonetic_given,
                    Part::PhoneticAdditional => &mut n.phonetic_additional,
                    Part::PhoneticFamily => &mut n.phonetic_family,
                    Part::PhoneticFull => &mut phonetic_full,
                };
                if slot.is_empty() {
                    *slot = value.to_string();
                }
            }
            Col::Nickname(sep) => {
                for nick in split_tags(value, sep) {
                    push_unique(&mut person.nicknames, &nick);
                }
            }
            Col::Organization => {
                if person.organization.is_empty() {
                    person.organization = value.to_string();
                } else {
                    keep(&mut person, i, value);
                }
            }
            Col::Department(sep) => {
                let units: Vec<String> = match sep {
                    Sep::Google => split_google(value).map(String::from).collect(),
                    _ => vec![value.to_string()],
                };
                for unit in units {
                    push_unique(&mut person.org_units, &unit);
                }
            }
            Col::JobTitle => {
                if person.role.is_empty() {
                    person.role = value.to_string();
                } else {
                    push_unique(&mut person.other_titles, value);
                }
            }
            Col::JobDescription => push_unique(&mut person.functions, value),
            Col::Notes => {
                if !person.notes.is_empty() {
                    person.notes.push_str("\n\n");
                }
                person.notes.push_str(value);
            }
            Col::CanHelp(sep) => {
                let items: Vec<String> = match sep {
                    Sep::Google => split_google(value).map(String::from).collect(),
                    _ => split_tags(value, sep),
                };
                for item in items {
                    push_unique(&mut person.can_help_with, &item);
                }
            }
            Col::Tags(sep) => {
                for tag in split_tags(value, sep) {
                    if !matches!(tag.as_str(), "myContacts" | "My Contacts") {
                        push_unique(&mut person.tags, &tag);
                    }
                }
            }
            Col::Date(which) => match read_date(value, ctx.order, ctx.reference_year) {
                DateCell::Date(date) => {
                    let kind = match which {
                        DateCol::Birthday => DateKind::Birthday,
                        DateCol::Anniversary => DateKind::Anniversary,
                    };
                    push_date(&mut person, kind, date);
                }
                DateCell::Empty => {}
                DateCell::Unreadable => keep(&mut person, i, value),
            },
            Col::Birth(part) => {
                let at = match part {
                    Ymd::Year => 0,
                    Ymd::Month => 1,
                    Ymd::Day => 2,
                };
                birth[at] = Some(value.to_string());
            }
            Col::Email(tag, preferred) => {
                for email in split_google(value) {
                    push_contact(
                        &mut person.emails,
                        Contact {
                            value: email.to_string(),
                            label: tag.label(),
                            preferred,
                        },
                    );
                }
            }
            Col::Phone(tag) => {
                for phone in split_google(value) {
                    push_contact(&mut person.phones, Contact::labelled(phone, tag.label()));
                }
            }
            Col::Web(tag) => {
                for link in split_google(value) {
                    push_contact(&mut person.links, Contact::labelled(link, tag.label()));
                }
            }
            Col::Address(slot, part) => {
                let at = match addresses.iter().position(|(s, _)| *s == slot) {
                    Some(at) => at,
                    None => {
                        addresses.push((slot, AddressParts::default()));
                        addresses.len() - 1
                    }
                };
                let parts = &mut addresses[at].1;
                let a = &mut parts.address;
                let target = match part {
                    AddrPart::Label => {
                        parts.label = Some(google_label(value));
                        continue;
                    }
                    AddrPart::Formatted => &mut parts.formatted,
                    AddrPart::Street(line) => parts.streets.entry(line).or_default(),
                    AddrPart::City => &mut a.locality,
                    AddrPart::PoBox => &mut a.po_box,
                    AddrPart::Region => &mut a.region,
                    AddrPart::Postcode => &mut a.postcode,
                    AddrPart::Country => &mut a.country,
                    AddrPart::Extended => &mut a.extended,
                };
                *target = value.to_string();
            }
            Col::GroupLabel(group, number) => {
                groups.entry((group, number)).or_default().0 = Some(value.to_string());
            }
            Col::GroupValue(group, number) => {
                groups.entry((group, number)).or_default().1 = Some(value.to_string());
            }
            Col::Relation(rel) => match rel {
                Rel::Spouse => push_relation(&mut person, RelationKind::Spouse, value),
                Rel::Manager => push_relation(&mut person, RelationKind::Manager, value),
                Rel::Assistant => push_relation(&mut person, RelationKind::Assistant, value),
                Rel::Children => {
                    for child in value.split([',', ';']) {
                        push_relation(&mut person, RelationKind::Child, child);
                    }
                }
            },
            Col::ConnectedOn => match read_date(value, ctx.order, ctx.reference_year) {
                DateCell::Date(date) if date.as_date().is_some() => {
                    person.met.date = date.as_date();
                    person.met.place = "LinkedIn".into();
                }
                _ => keep(&mut person, i, value),
            },
            Col::RowId => {
                let id = format!("csv:{value}");
                if !person.source_ids.contains(&id) {
                    person.source_ids.push(id);
                }
            }
            Col::Keep => keep(&mut person, i, value),
        }
    }
    // Google's numbered groups, in number order.
    for ((group, _), (label, value)) in groups {
        let Some(value) = value else {
            continue;
        };
        let raw = label.as_deref().unwrap_or_default().trim();
        let (preferred, raw_label) = match raw.strip_prefix('*') {
            Some(rest) => (true, rest.trim().to_string()),
            None => (false, raw.to_string()),
        };
        let label = csv_label(&raw_label);
        for (k, item) in split_google(&value).enumerate() {
            let contact = Contact {
                value: item.to_string(),
                label: label.clone(),
                preferred: preferred && k == 0,
            };
            match group {
                Group::Email => {
                    push_contact(&mut person.emails, contact);
                }
                Group::Phone => {
                    push_contact(&mut person.phones, contact);
                }
                Group::Website => {
                    push_contact(&mut person.links, contact);
                }
                Group::Event => {
                    let kind = match raw_label.to_lowercase().as_str() {
                        "birthday" => DateKind::Birthday,
                        "anniversary" => DateKind::Anniversary,
                        "" => DateKind::Custom("Other".into()),
                        _ => DateKind::Custom(raw_label.clone()),
                    };
                    match read_date(item, ctx.order, ctx.reference_year) {
                        DateCell::Date(date) => push_date(&mut person, kind, date),
                        DateCell::Empty => {}
                        DateCell::Unreadable => person
                            .extra
                            .push((format!("CSV:Event ({})", kind.label()), item.to_string())),
                    }
                }
                Group::Relation => {
                    push_relation(&mut person, RelationKind::from_word(&raw_label), item);
                }
            }
        }
    }
    for (slot, parts) in addresses {
        let fallback = match slot {
            Slot::Fixed(tag) => tag.label(),
            Slot::Numbered(_) => Label::Unlabelled,
        };
        if let Some(address) = parts.finish(fallback)
            && !person.addresses.contains(&address)
        {
            person.addresses.push(address);
        }
    }
    // Thunderbird's birthday in three columns.
    if birth.iter().any(Option::is_some) {
        let number = |s: &Option<String>| s.as_deref().and_then(|s| s.trim().parse::<u32>().ok());
        let year = number(&birth[0]).map(|y| y as i32).filter(|y| *y > 0);
        match PartialDate::new(year, number(&birth[1]), number(&birth[2])) {
            Some(date) => push_date(&mut person, DateKind::Birthday, date),
            None => {
                for (i, col) in cols.iter().enumerate() {
                    if matches!(col, Col::Birth(_))
                        && let Some(value) = cells.get(i).map(|c| unescape_cell(c.trim()))
                        && !value.is_empty()
                    {
                        keep(&mut person, i, value);
                    }
                }
            }
        }
    }
    // Legacy Google "Yomi Name": the parts when there are none, else kept.
    if !phonetic_full.is_empty() {
        let n = &mut person.name_parts;
        let parts_empty = n.phonetic_given.is_empty()
            && n.phonetic_additional.is_empty()
            && n.phonetic_family.is_empty();
        let words: Vec<&str> = phonetic_full.split_whitespace().collect();
        match words.as_slice() {
            // Yomi is Japanese: family name first.
            [family, given] if parts_empty => {
                n.phonetic_family = family.to_string();
                n.phonetic_given = given.to_string();
            }
            [one] if parts_empty => n.phonetic_family = one.to_string(),
            _ => {
                let joined = [&n.phonetic_family, &n.phonetic_given]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(" ");
                if joined != phonetic_full {
                    person
                        .extra
                        .push(("CSV:Yomi Name".into(), phonetic_full.clone()));
                }
            }
        }
    }
    person.name = if full_name.is_empty() {
        person.name_parts.joined()
    } else {
        full_name
    };
    person
}

/// What [`read_csv`] returns: the layout, people with their line, and skipped rows.
pub type CsvContents = (CsvLayout, Vec<(usize, Person)>, Vec<Skipped>);

/// Read every contact row with two-digit years read against
/// [`TWO_DIGIT_YEAR_REFERENCE`]; see [`CsvContents`] and [`read_csv_with`].
pub fn read_csv(text: &str) -> Result<CsvContents, String> {
    read_csv_with(text, TWO_DIGIT_YEAR_REFERENCE)
}

/// Read every contact row, two-digit years read against `reference_year`
/// (see [`expand_two_digit_year`]). A row with no name, e-mail, phone or
/// company is skipped, and so is a row whose quote is never closed (the
/// rest of the file is still read).
pub fn read_csv_with(text: &str, reference_year: i32) -> Result<CsvContents, String> {
    let Header {
        mut reader,
        cells: headers,
        layout,
    } = find_header(text).ok_or(
        "no contacts header row found (expected Google, Outlook, Thunderbird, Yahoo or LinkedIn columns)",
    )?;
    let headers: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let lower: Vec<String> = headers.iter().map(|h| norm(h)).collect();
    let cols = columns(layout, &lower);
    let ctx = Context {
        order: layout.day_order(),
        reference_year,
    };
    let mut people = Vec::new();
    let mut skipped = Vec::new();
    while let Some(row) = reader.next_item() {
        let row = match row {
            Ok(row) => row,
            Err(skip) => {
                skipped.push(skip);
                continue;
            }
        };
        let mut person = row_to_person(&cols, &headers, &row.cells, &ctx);
        if person.name.is_empty() {
            if let Some(email) = person.emails.first() {
                person.name = email.value.clone();
            } else if !person.organization.is_empty() {
                person.name = person.organization.clone();
            } else if let Some(phone) = person.phones.first() {
                person.name = phone.value.clone();
            } else {
                skipped.push(Skipped {
                    line: row.line,
                    reason: "row has no name, e-mail, phone or company".into(),
                });
                continue;
            }
        }
        people.push((row.line, person));
    }
    Ok((layout, people, skipped))
}

/// Move the CSV columns a format-2 import kept in `extra` (`CSV:Birthday`,
/// `CSV:Home Street`, `CSV:Nickname`…) into their fields: the migration's
/// half for CSV imports. The layout read is the one of Google, Outlook,
/// Thunderbird and Yahoo that knows the most of the kept headers; what
/// none knows stays kept, in its order. Dates of a format-2 import were
/// kept as the file wrote them, read here month first (US), as kith's own
/// CSV reader read them then.
pub fn lift_kept_columns(person: &mut Person) {
    let original = std::mem::take(&mut person.extra);
    let (kept, others): (Vec<_>, Vec<_>) = original
        .iter()
        .cloned()
        .partition(|(key, _)| key.starts_with("CSV:"));
    person.extra = others;
    if kept.is_empty() {
        person.extra = original;
        return;
    }
    let headers: Vec<String> = kept
        .iter()
        .map(|(key, _)| key.trim_start_matches("CSV:").to_string())
        .collect();
    let cells: Vec<String> = kept.iter().map(|(_, value)| value.clone()).collect();
    let lower: Vec<String> = headers.iter().map(|h| norm(h)).collect();
    let known = |cols: &[Col]| cols.iter().filter(|c| !matches!(c, Col::Keep)).count();
    let Some(cols) = [
        CsvLayout::Google,
        CsvLayout::Outlook,
        CsvLayout::Thunderbird,
        CsvLayout::Yahoo,
    ]
    .into_iter()
    .map(|layout| columns(layout, &lower))
    .max_by_key(|cols| known(cols))
    .filter(|cols| known(cols) > 0) else {
        person.extra = original;
        return;
    };
    let ctx = Context {
        order: DayOrder::MonthFirst,
        reference_year: TWO_DIGIT_YEAR_REFERENCE,
    };
    let mut lifted = row_to_person(&cols, &headers, &cells, &ctx);
    lifted.id = person.id;
    let name = person.name.clone();
    *person = crate::action::merge_person_fields(person, &lifted);
    person.name = name;
    person.extra.sort_by_key(|pair| {
        original
            .iter()
            .position(|o| o == pair)
            .unwrap_or(usize::MAX)
    });
}

#[cfg(test)]
mod lift_tests {
    use super::*;
    use crate::model::{DateKind, PartialDate};

    #[test]
    fn kept_csv_columns_move_to_their_fields() {
        let mut person = Person::new("Ann Lee");
        person.extra = vec![
            ("X-KEPT".into(), "vcard".into()),
            ("CSV:Birthday".into(), "1980-01-02".into()),
            ("CSV:Nickname".into(), "Annie".into()),
            ("CSV:Address 1 - City".into(), "Boston".into()),
            ("CSV:Custom Field 1 - Value".into(), "blue".into()),
        ];
        lift_kept_columns(&mut person);
        assert_eq!(person.name, "Ann Lee");
        assert_eq!(
            person.dates[0],
            crate::model::ImportantDate {
                kind: DateKind::Birthday,
                date: PartialDate::new(Some(1980), Some(1), Some(2)).unwrap()
            }
        );
        assert_eq!(person.nicknames, vec!["Annie"]);
        assert_eq!(person.addresses[0].locality, "Boston");
        assert_eq!(
            person.extra,
            vec![
                ("X-KEPT".to_string(), "vcard".to_string()),
                ("CSV:Custom Field 1 - Value".to_string(), "blue".to_string())
            ]
        );
    }
}
