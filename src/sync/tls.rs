//! TLS for the DAV client: the system's roots, or exactly one pinned
//! self-signed certificate.

/// The SHA-256 fingerprint of a DER certificate, as `AA:BB:…` (uppercase).
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    digest
        .as_ref()
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Parses a SHA-256 fingerprint: 64 hex digits, any case, colons or spaces allowed.
pub fn parse_fingerprint(text: &str) -> Result<[u8; 32], String> {
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .collect();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "a SHA-256 fingerprint has 64 hex digits (AA:BB:…); got {:?}",
            text.chars().take(100).collect::<String>()
        ));
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16)
            .map_err(|e| format!("bad fingerprint: {e}"))?;
    }
    Ok(out)
}
