//! Byte-level helpers shared by the importers: charset detection and
//! decoding (UTF-8, UTF-16 with or without BOM, cp1252), quoted-printable.

/// Decode a whole file to text: BOM or NUL-pattern UTF-16, else UTF-8, else cp1252.
pub fn decode_file(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return decode_utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return decode_utf16(rest, false);
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
            return decode_utf16(bytes, true);
        }
        if odd_nuls * 2 > sample && even_nuls == 0 {
            return decode_utf16(bytes, false);
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => decode_cp1252(bytes),
    }
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
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|b| match *b {
            0x80..=0x9F => HIGH[(*b - 0x80) as usize],
            other => other as char,
        })
        .collect()
}

/// Decode bytes in a named charset (UTF-8 default; Latin-1 family via cp1252).
pub fn decode_charset(bytes: &[u8], charset: Option<&str>) -> String {
    let charset = charset.unwrap_or("utf-8").to_ascii_lowercase();
    match charset.as_str() {
        "windows-1252" | "cp1252" | "iso-8859-1" | "iso-8859-15" | "latin1" | "us-ascii" => {
            decode_cp1252(bytes)
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => decode_cp1252(bytes),
        },
    }
}

/// Decode quoted-printable (soft breaks already joined by the unfolder).
pub fn decode_quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
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
