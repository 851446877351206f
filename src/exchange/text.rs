//! Byte-level helpers shared by the importers: charset detection and
//! decoding (UTF-8, UTF-16 with or without BOM, every charset encoding_rs
//! knows by its label), quoted-printable.

/// The charset for 8-bit text that declares none and is not valid UTF-8:
/// windows-1252, what Outlook and older Windows tools write (a superset of
/// ISO-8859-1 in every printable position).
pub const FALLBACK_CHARSET: &str = "windows-1252";

/// The text of a UTF-16 file (with a BOM, or without one when every other
/// byte of the start is NUL); None for anything else.
pub fn utf16_text(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Some(decode_utf16(rest, true));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Some(decode_utf16(rest, false));
    }
    if bytes.len() >= 4 {
        let even_nuls = bytes
            .iter()
            .step_by(2)
            .take(64)
            .filter(|b| **b == 0)
            .count();
        let odd_nuls = bytes
            .iter()
            .skip(1)
            .step_by(2)
            .take(64)
            .filter(|b| **b == 0)
            .count();
        let sample = bytes.len().min(128) / 2;
        if even_nuls * 2 > sample && odd_nuls == 0 {
            return Some(decode_utf16(bytes, true));
        }
        if odd_nuls * 2 > sample && even_nuls == 0 {
            return Some(decode_utf16(bytes, false));
        }
    }
    None
}

/// Decode a whole file to text: a UTF-8 or UTF-16 BOM, NUL-pattern UTF-16,
/// else UTF-8 when the bytes are valid UTF-8, else [`FALLBACK_CHARSET`].
pub fn decode_file(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return decode_value(rest, None, FALLBACK_CHARSET);
    }
    if let Some(text) = utf16_text(bytes) {
        return text;
    }
    decode_value(bytes, None, FALLBACK_CHARSET)
}

fn decode_utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|pair| {
        if big_endian {
            u16::from_be_bytes([pair[0], pair[1]])
        } else {
            u16::from_le_bytes([pair[0], pair[1]])
        }
    });
    char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect()
}

/// Windows-1252: Latin-1 plus typographic characters in 0x80–0x9F.
pub fn decode_cp1252(bytes: &[u8]) -> String {
    encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// Decode one value. A `declared` charset (any WHATWG label: `SHIFT_JIS`,
/// `ISO-2022-JP`, `GB18030`, `Big5`, `EUC-KR`, `KOI8-R`, `ISO-8859-x`,
/// `windows-125x`…) is used as declared, except that a value declared
/// UTF-8 whose bytes are not UTF-8 falls back. With none, valid UTF-8 is
/// UTF-8, and anything else is read in `fallback`.
pub fn decode_value(bytes: &[u8], declared: Option<&str>, fallback: &str) -> String {
    if bytes.is_ascii() && !declared.is_some_and(is_seven_bit_charset) {
        // ASCII reads the same in every charset but the 7-bit ones.
        return String::from_utf8_lossy(bytes).into_owned();
    }
    if let Some(encoding) =
        declared.and_then(|l| encoding_rs::Encoding::for_label(l.trim().as_bytes()))
        && encoding != encoding_rs::UTF_8
    {
        return encoding.decode_without_bom_handling(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            let encoding = encoding_rs::Encoding::for_label(fallback.as_bytes())
                .filter(|e| *e != encoding_rs::UTF_8)
                .unwrap_or(encoding_rs::WINDOWS_1252);
            encoding.decode_without_bom_handling(bytes).0.into_owned()
        }
    }
}

/// ISO-2022-JP and UTF-7-like charsets write non-ASCII text in ASCII bytes.
fn is_seven_bit_charset(label: &str) -> bool {
    let label = label.trim().to_ascii_lowercase();
    label.starts_with("iso-2022") || label == "csiso2022jp"
}

/// Decode quoted-printable (soft breaks already joined by the unfolder).
pub fn decode_quoted_printable(text: &(impl AsRef<[u8]> + ?Sized)) -> Vec<u8> {
    let bytes = text.as_ref();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = |b: u8| (b as char).to_digit(16);
            match (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                _ => {
                    // A stray '=' (or a soft break at the very end): drop it.
                    i += 1;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// True when `text` is valid base64 (whitespace ignored).
pub fn is_valid_base64(text: &str) -> bool {
    let cleaned: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    if cleaned.is_empty() || !cleaned.len().is_multiple_of(4) {
        return false;
    }
    let padding = cleaned.iter().rev().take_while(|b| **b == b'=').count();
    padding <= 2
        && cleaned[..cleaned.len() - padding]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_encodings() {
        assert_eq!(decode_file("Zoë".as_bytes()), "Zoë");
        assert_eq!(decode_file(&[0x44, 0x6F, 0xEB]), "Doë");
        let utf16be: Vec<u8> = "BEGIN:VCARD"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(decode_file(&utf16be), "BEGIN:VCARD");
        let utf16le: Vec<u8> = "BEGIN:VCARD"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(decode_file(&utf16le), "BEGIN:VCARD");
        assert_eq!(decode_cp1252(&[0x93, 0x41, 0x94]), "“A”");
    }

    #[test]
    fn declared_charsets_of_real_phones() {
        let cases: [(&str, &str); 9] = [
            ("Shift_JIS", "ロイド 安藤"),
            ("EUC-JP", "ロイド 安藤"),
            ("ISO-2022-JP", "ロイド 安藤"),
            ("GB18030", "张伟"),
            ("Big5", "陳大文"),
            ("EUC-KR", "김민준"),
            ("KOI8-R", "Иван Петров"),
            ("ISO-8859-2", "Łódź Żółć"),
            ("windows-1251", "Иван"),
        ];
        for (label, text) in cases {
            let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).unwrap();
            let (bytes, _, lossy) = encoding.encode(text);
            assert!(!lossy, "{label}");
            assert_eq!(
                decode_value(&bytes, Some(label), FALLBACK_CHARSET),
                text,
                "{label}"
            );
        }
        // Undeclared: UTF-8 if valid, else the fallback.
        assert_eq!(
            decode_value("Zoë".as_bytes(), None, FALLBACK_CHARSET),
            "Zoë"
        );
        assert_eq!(
            decode_value(&[0x44, 0x6F, 0xEB], None, FALLBACK_CHARSET),
            "Doë"
        );
        // Declared UTF-8 that is not UTF-8 falls back rather than losing letters.
        assert_eq!(
            decode_value(&[0x44, 0x6F, 0xEB], Some("UTF-8"), FALLBACK_CHARSET),
            "Doë"
        );
    }

    #[test]
    fn quoted_printable() {
        assert_eq!(decode_quoted_printable("=C3=91=20x"), "Ñ x".as_bytes());
        assert_eq!(decode_quoted_printable("a=0D=0Ab"), b"a\r\nb");
        assert_eq!(decode_quoted_printable("bad=ZZ"), b"badZZ");
    }

    #[test]
    fn base64_validation() {
        assert!(is_valid_base64("QUJD\n REVG"));
        assert!(!is_valid_base64("QUJ"));
        assert!(!is_valid_base64("QU*D"));
    }
}
