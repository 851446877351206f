//! A fast, strict reader for the subset of RON that kith writes.
//!
//! Loading 100,000 person files with the `ron` crate spends most of its time
//! in its character-by-character parser. This reader works on bytes, borrows
//! strings without escapes, and understands only what kith's own writer
//! produces (structs, lists, maps, options, enum variants, strings with the
//! escapes `escape_debug` emits, integers and plain decimals, booleans, `//`
//! comments). Anything else (unknown fields that are not plain values, block comments, raw strings, extensions, hex
//! numbers, characters, bytes, ...) makes it give up, and the caller parses
//! the same text with the `ron` crate, which also produces the error
//! messages with line and column. So the result never depends on which
//! reader ran: a property test checks that whenever this reader accepts a
//! text, `ron` accepts it too and yields the same value.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::borrow::Cow;
use std::fmt;

/// Why the fast reader gave up (never shown to users: `ron` re-parses).
#[derive(Debug)]
pub struct GiveUp(String);

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        GiveUp(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, GiveUp>;

fn give_up<T>(why: &str) -> Result<T> {
    Err(GiveUp(why.to_string()))
}

/// Parse `text` as a `T`, or `None` when the text is outside the fast subset
/// (or invalid): then parse it with `ron`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let value = T::deserialize(&mut reader).ok()?;
    reader.skip_ws().ok()?;
    (reader.pos == reader.bytes.len()).then_some(value)
}

struct Reader<'de> {
    text: &'de str,
    bytes: &'de [u8],
    pos: usize,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl<'de> Reader<'de> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skip ASCII whitespace and `//` line comments.
    fn skip_ws(&mut self) -> Result<()> {
        loop {
            match self.peek() {
                Some(b' ' | b'\n' | b'\t' | b'\r') => self.pos += 1,
                Some(b'/') => {
                    if self.bytes.get(self.pos + 1) != Some(&b'/') {
                        return give_up("block comment");
                    }
                    match self.bytes[self.pos..].iter().position(|b| *b == b'\n') {
                        Some(end) => self.pos += end + 1,
                        None => self.pos = self.bytes.len(),
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// The next non-blank byte, not consumed.
    fn peek_token(&mut self) -> Result<u8> {
        self.skip_ws()?;
        match self.peek() {
            Some(b) => Ok(b),
            None => give_up("unexpected end"),
        }
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        if self.peek_token()? == byte {
            self.pos += 1;
            Ok(())
        } else {
            give_up("unexpected character")
        }
    }

    /// `open`, then what `inside` reads, then `close`.
    fn enclosed<T>(
        &mut self,
        open: u8,
        close: u8,
        inside: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        self.expect(open)?;
        let value = inside(self)?;
        self.expect(close)?;
        Ok(value)
    }

    /// A list or tuple: elements between `open` and `close`.
    fn elements<V: Visitor<'de>>(&mut self, open: u8, close: u8, visitor: V) -> Result<V::Value> {
        self.enclosed(open, close, |reader| {
            visitor.visit_seq(Elements { reader, close })
        })
    }

    /// A map (`{key: value}`) or struct fields (`(field: value)`).
    fn entries<V: Visitor<'de>>(
        &mut self,
        open: u8,
        close: u8,
        keys_are_fields: bool,
        visitor: V,
    ) -> Result<V::Value> {
        self.enclosed(open, close, |reader| {
            visitor.visit_map(Entries {
                reader,
                close,
                keys_are_fields,
            })
        })
    }

    /// After an element: a comma, or the closing bracket (left unconsumed).
    fn after_element(&mut self, close: u8) -> Result<()> {
        match self.peek_token()? {
            b',' => {
                self.pos += 1;
                Ok(())
            }
            b if b == close => Ok(()),
            _ => give_up("expected a comma"),
        }
    }

    fn ident(&mut self) -> Result<&'de str> {
        self.skip_ws()?;
        let start = self.pos;
        match self.peek() {
            Some(b) if is_ident_start(b) => self.pos += 1,
            _ => return give_up("expected an identifier"),
        }
        while self.peek().is_some_and(is_ident_char) {
            self.pos += 1;
        }
        // `r#raw` identifiers are for `ron`.
        if self.peek() == Some(b'#') {
            return give_up("raw identifier");
        }
        Ok(&self.text[start..self.pos])
    }

    /// Whether an identifier starts here (without consuming it).
    fn at_ident(&mut self) -> Result<bool> {
        Ok(is_ident_start(self.peek_token()?))
    }

    fn string(&mut self) -> Result<Cow<'de, str>> {
        self.expect(b'"')?;
        let start = self.pos;
        let rest = &self.bytes[start..];
        let Some(end) = rest.iter().position(|b| *b == b'"' || *b == b'\\') else {
            return give_up("unterminated string");
        };
        if rest[end] == b'"' {
            self.pos = start + end + 1;
            return Ok(Cow::Borrowed(&self.text[start..start + end]));
        }
        let mut out = String::with_capacity(end + 16);
        out.push_str(&self.text[start..start + end]);
        self.pos = start + end;
        loop {
            let rest = &self.bytes[self.pos..];
            let Some(end) = rest.iter().position(|b| *b == b'"' || *b == b'\\') else {
                return give_up("unterminated string");
            };
            out.push_str(&self.text[self.pos..self.pos + end]);
            self.pos += end;
            if self.bytes[self.pos] == b'"' {
                self.pos += 1;
                return Ok(Cow::Owned(out));
            }
            // An escape.
            let escaped = match self.bytes.get(self.pos + 1) {
                Some(b'"') => '"',
                Some(b'\'') => '\'',
                Some(b'\\') => '\\',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'0') => '\0',
                Some(b'u') => {
                    if self.bytes.get(self.pos + 2) != Some(&b'{') {
                        return give_up("unicode escape");
                    }
                    let digits_start = self.pos + 3;
                    let Some(len) = self.bytes[digits_start..].iter().position(|b| *b == b'}')
                    else {
                        return give_up("unicode escape");
                    };
                    let digits = &self.text[digits_start..digits_start + len];
                    if digits.is_empty() || digits.len() > 6 {
                        return give_up("unicode escape");
                    }
                    let Some(c) = u32::from_str_radix(digits, 16)
                        .ok()
                        .and_then(char::from_u32)
                    else {
                        return give_up("unicode escape");
                    };
                    out.push(c);
                    self.pos = digits_start + len + 1;
                    continue;
                }
                _ => return give_up("escape"),
            };
            out.push(escaped);
            self.pos += 2;
        }
    }

    /// A number token: optional sign, digits, optional fraction and exponent.
    fn number(&mut self) -> Result<&'de str> {
        self.skip_ws()?;
        let start = self.pos;
        if matches!(self.peek(), Some(b'-' | b'+')) {
            self.pos += 1;
        }
        let digits = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == digits {
            return give_up("expected a number");
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'-' | b'+')) {
                self.pos += 1;
            }
            while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
            }
        }
        // `1_000`, `0x1F`, `1i32`... are for `ron`.
        if self.peek().is_some_and(|b| is_ident_char(b) || b == b'.') {
            return give_up("number suffix");
        }
        Ok(&self.text[start..self.pos])
    }

    fn integer<T: std::str::FromStr>(&mut self) -> Result<T> {
        let token = self.number()?;
        if token.contains(['.', 'e', 'E']) || token.starts_with('+') {
            return give_up("not an integer");
        }
        token.parse().or_else(|_| give_up("integer out of range"))
    }

    fn float(&mut self) -> Result<f64> {
        let token = self.number()?;
        if token.starts_with('+') {
            return give_up("plus sign");
        }
        token.parse().or_else(|_| give_up("bad float"))
    }
}

macro_rules! integer_methods {
    ($($method:ident => $visit:ident: $ty:ty),* $(,)?) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
                visitor.$visit(self.integer::<$ty>()?)
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_token()? {
            b'"' => match self.string()? {
                Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
                Cow::Owned(s) => visitor.visit_string(s),
            },
            b'[' => self.deserialize_seq(visitor),
            b'{' => self.deserialize_map(visitor),
            b'-' | b'0'..=b'9' => {
                let token = self.number()?;
                if token.contains(['.', 'e', 'E']) {
                    visitor.visit_f64(token.parse().or_else(|_| give_up("bad float"))?)
                } else if token.starts_with('-') {
                    visitor.visit_i64(token.parse().or_else(|_| give_up("bad integer"))?)
                } else {
                    visitor.visit_u64(token.parse().or_else(|_| give_up("bad integer"))?)
                }
            }
            _ => {
                let start = self.pos;
                match self.ident()? {
                    "true" => visitor.visit_bool(true),
                    "false" => visitor.visit_bool(false),
                    "None" => visitor.visit_none(),
                    _ => {
                        self.pos = start;
                        give_up("ambiguous value")
                    }
                }
            }
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.ident()? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => give_up("expected a boolean"),
        }
    }

    integer_methods! {
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f32(self.float()? as f32)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_f64(self.float()?)
    }

    fn deserialize_char<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        give_up("characters are for ron")
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        give_up("bytes are for ron")
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value> {
        give_up("bytes are for ron")
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.ident()? {
            "None" => visitor.visit_none(),
            "Some" => self.enclosed(b'(', b')', |reader| visitor.visit_some(reader)),
            _ => give_up("expected an option"),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.enclosed(b'(', b')', |_| Ok(()))?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        // `ron` writes `(value)`; a bare value would be ambiguous here.
        if self.at_ident()? {
            return give_up("named newtype");
        }
        self.enclosed(b'(', b')', |reader| visitor.visit_newtype_struct(reader))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.elements(b'[', b']', visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.elements(b'(', b')', visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        if self.at_ident()? {
            return give_up("named tuple struct");
        }
        self.deserialize_tuple(len, visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.entries(b'{', b'}', false, visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // Struct names (`Person(...)`) are optional in RON; kith does not
        // write them, and `ron` checks them when someone does.
        if self.at_ident()? {
            return give_up("named struct");
        }
        self.entries(b'(', b')', true, visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_enum(Variant { reader: self })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_borrowed_str(self.ident()?)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        // Fields a file type does not keep (like `format`, read beforehand)
        // are skipped when they are plain numbers, strings or booleans; any
        // other shape (say, an unknown field from another kith version) is
        // for `ron` to judge.
        match self.peek_token()? {
            b'"' => {
                self.string()?;
            }
            b'-' | b'0'..=b'9' => {
                self.number()?;
            }
            _ => match self.ident()? {
                "true" | "false" => {}
                _ => return give_up("unknown field"),
            },
        }
        visitor.visit_unit()
    }
}

/// List or tuple elements up to `close`.
struct Elements<'a, 'de> {
    reader: &'a mut Reader<'de>,
    close: u8,
}

impl<'de> SeqAccess<'de> for Elements<'_, 'de> {
    type Error = GiveUp;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.reader.peek_token()? == self.close {
            return Ok(None);
        }
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_element(self.close)?;
        Ok(Some(value))
    }
}

/// Map entries (`{key: value}`) or struct fields (`(field: value)`).
struct Entries<'a, 'de> {
    reader: &'a mut Reader<'de>,
    close: u8,
    keys_are_fields: bool,
}

impl<'de> MapAccess<'de> for Entries<'_, 'de> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.reader.peek_token()? == self.close {
            return Ok(None);
        }
        let key = if self.keys_are_fields {
            let field = self.reader.ident()?;
            seed.deserialize(field.into_deserializer())?
        } else {
            seed.deserialize(&mut *self.reader)?
        };
        self.reader.expect(b':')?;
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let value = seed.deserialize(&mut *self.reader)?;
        self.reader.after_element(self.close)?;
        Ok(value)
    }
}

/// An enum variant: `Name`, `Name(value)`, `Name(a, b)` or `Name(field: value)`.
struct Variant<'a, 'de> {
    reader: &'a mut Reader<'de>,
}

impl<'a, 'de> EnumAccess<'de> for Variant<'a, 'de> {
    type Error = GiveUp;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        let name = self.reader.ident()?;
        let value = seed.deserialize(name.into_deserializer())?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, 'de> {
    type Error = GiveUp;

    fn unit_variant(self) -> Result<()> {
        // `Name()` or `Name(...)` after a unit variant is for `ron` to judge.
        match self.reader.skip_ws().map(|()| self.reader.peek()) {
            Ok(Some(b'(')) => give_up("unit variant with parentheses"),
            _ => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        self.reader
            .enclosed(b'(', b')', |reader| seed.deserialize(reader))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.reader.elements(b'(', b')', visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.reader.entries(b'(', b')', true, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Interaction, InterestCatalog, Me, Organization, Person, Settings};
    use crate::storage::format;
    use proptest::prelude::*;
    use serde::Deserialize;

    // Like the loader's file types, these skip `format` (read beforehand).
    #[derive(Debug, PartialEq, Deserialize)]
    struct PersonFile {
        person: Person,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct OrgFile {
        organization: Organization,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct MonthFile {
        interactions: Vec<Interaction>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct MeFile {
        me: Me,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct SettingsFile {
        settings: Settings,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct InterestsFile {
        interests: InterestCatalog,
    }

    /// The fast reader accepts `text` and agrees with `ron`.
    fn agrees<T: DeserializeOwned + PartialEq + fmt::Debug>(text: &str) {
        let fast: Option<T> = from_str(text);
        let slow: T = ron::from_str(text).expect("ron parses what kith wrote");
        assert_eq!(fast.as_ref(), Some(&slow), "{text}");
    }

    /// Whenever the fast reader accepts a text, `ron` accepts it with the same value.
    fn never_more_lenient<T: DeserializeOwned + PartialEq + fmt::Debug>(text: &str) {
        if let Some(fast) = from_str::<T>(text) {
            let slow: std::result::Result<T, _> = ron::from_str(text);
            assert_eq!(slow.as_ref().ok(), Some(&fast), "{text}");
        }
    }

    fn network() -> crate::model::Model {
        let mut model = crate::synth::generate(&crate::synth::SynthParams::scale(200));
        let demo =
            format::demo_model(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()).unwrap();
        model.people.extend(demo.people);
        model.orgs.extend(demo.orgs);
        model.interactions.extend(demo.interactions);
        model
    }

    #[test]
    fn reads_everything_kith_writes_exactly_like_ron() {
        let model = network();
        for person in model.people.values() {
            agrees::<PersonFile>(&format::write_person(person).unwrap());
        }
        for org in model.orgs.values() {
            agrees::<OrgFile>(&format::write_org(org).unwrap());
        }
        let month: Vec<&Interaction> = model.interactions.values().take(500).collect();
        agrees::<MonthFile>(&format::write_month(month).unwrap());
        agrees::<MeFile>(&format::write_me(&model.me).unwrap());
        agrees::<SettingsFile>(&format::write_settings(&model.settings).unwrap());
        agrees::<InterestsFile>(&format::write_interests(&model.interests).unwrap());
    }

    #[test]
    fn leaves_the_rest_of_ron_to_ron() {
        let person = Person::new("Dana");
        let text = format::write_person(&person).unwrap();
        let variants = [
            text.replacen("person: (", "person: /* block */ (", 1),
            text.replacen("person: (", "person: Person(", 1),
            text.replacen("\"Dana\"", "r#\"Dana\"#", 1),
            format!("#![enable(implicit_some)]\n{text}"),
        ];
        for variant in &variants {
            assert!(from_str::<PersonFile>(variant).is_none(), "{variant}");
            // ...and the loader still reads them, through ron.
            assert_eq!(format::read_person(variant).unwrap(), person, "{variant}");
        }
        assert!(from_str::<PersonFile>(&text.replacen("format: 4", "format: 0x4", 1)).is_none());
        // Comments are fine for both; unknown fields go to ron.
        let commented = text.replacen("person: (", "// who\n    person: (", 1);
        agrees::<PersonFile>(&commented);
        let plain = text.replacen("person: (", "person: (\n  shoe_size: 44,", 1);
        agrees::<PersonFile>(&plain);
        let unknown = text.replacen("person: (", "person: (\n  shoe_sizes: [44],", 1);
        assert!(from_str::<PersonFile>(&unknown).is_none());
        assert_eq!(format::read_person(&unknown).unwrap(), person);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_text_round_trips(name in any::<String>(), notes in "(\\PC|[\"\\\\\\n\\t\\r\\u{0}\\u{200b}\\u{301}])*", tag in any::<String>()) {
            let mut person = Person::new(name);
            person.notes = notes;
            person.tags = vec![tag];
            let text = format::write_person(&person).unwrap();
            let fast: Option<PersonFile> = from_str(&text);
            prop_assert_eq!(fast.map(|f| f.person), Some(person));
        }

        #[test]
        fn damaged_text_is_never_read_differently(seed in any::<u64>(), edits in 1usize..4) {
            let model = crate::synth::generate(&crate::synth::SynthParams::scale(20));
            let mut rng = crate::synth::Rng::new(seed);
            let person = model.people.values().nth(rng.below(model.people.len())).unwrap();
            let mut bytes = format::write_person(person).unwrap().into_bytes();
            const SIGNIFICANT: &[u8] = b"()[]{},:\"\\/ \n-.0123456789eSomeNonetruefalse_#r'u";
            for _ in 0..edits {
                if bytes.is_empty() {
                    break;
                }
                let at = rng.below(bytes.len());
                match rng.below(4) {
                    0 => bytes[at] = SIGNIFICANT[rng.below(SIGNIFICANT.len())],
                    1 => bytes.insert(at, SIGNIFICANT[rng.below(SIGNIFICANT.len())]),
                    2 => { bytes.remove(at); }
                    _ => bytes.truncate(at),
                }
            }
            if let Ok(text) = String::from_utf8(bytes) {
                never_more_lenient::<PersonFile>(&text);
            }
        }
    }
}
