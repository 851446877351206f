//! TLS for the DAV client: the system's roots, or exactly one pinned
//! self-signed certificate (by its SHA-256 fingerprint).
//!
//! A pin never means "accept anything": the end-entity certificate must
//! hash to the pin, and the handshake must still be signed by that
//! certificate's key (rustls checks the signatures with ring).

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, OtherError, SignatureScheme};

use super::SyncError;

/// The SHA-256 fingerprint of a DER certificate, as `AA:BB:…` (uppercase).
pub fn fingerprint(der: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, der);
    hex_colons(digest.as_ref())
}

fn hex_colons(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// Parses a SHA-256 fingerprint: 64 hex digits, any case, colons, spaces
/// or dashes allowed between them (`AA:BB:…`, `aabb…`, `SHA256 Fingerprint=AA:…`).
pub fn parse_fingerprint(text: &str) -> Result<[u8; 32], String> {
    let text = text.trim();
    // What `openssl x509 -fingerprint -sha256` prints.
    let text = match text.split_once('=') {
        Some((label, rest)) if label.to_ascii_lowercase().contains("fingerprint") => rest,
        _ => text,
    };
    let hex: String = text
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .collect();
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!(
            "a SHA-256 fingerprint has 64 hex digits (AA:BB:…), not {:?}",
            text.chars().take(120).collect::<String>()
        ));
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        let pair = hex.get(i * 2..i * 2 + 2).unwrap_or("");
        *byte = u8::from_str_radix(pair, 16).map_err(|e| format!("bad fingerprint: {e}"))?;
    }
    Ok(out)
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The rustls configuration for a server: the system's root certificates,
/// or, with `pin`, exactly the certificate with that SHA-256 fingerprint.
pub fn client_config(pin: Option<[u8; 32]>) -> Result<ClientConfig, String> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup failed: {e}"))?;
    let config = match pin {
        Some(pin) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedVerifier {
                pin,
                algorithms: provider.signature_verification_algorithms,
            }))
            .with_no_client_auth(),
        None => {
            let mut roots = rustls::RootCertStore::empty();
            let found = rustls_native_certs::load_native_certs();
            // Certificates the system lists but rustls cannot read are skipped;
            // with none at all every https server fails as "unknown issuer".
            let _ = roots.add_parsable_certificates(found.certs);
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    Ok(config)
}

/// Accepts exactly one end-entity certificate, by its SHA-256.
#[derive(Debug)]
struct PinnedVerifier {
    pin: [u8; 32],
    algorithms: WebPkiSupportedAlgorithms,
}

/// The server showed another certificate than the pinned one.
#[derive(Debug)]
struct PinMismatch {
    seen: String,
    expected: String,
}

impl std::fmt::Display for PinMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the server presented the certificate {}, not the pinned {}; if the server's \
             certificate was renewed, check the new fingerprint and update it in Sync settings",
            self.seen, self.expected
        )
    }
}

impl std::error::Error for PinMismatch {}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let digest = ring::digest::digest(&ring::digest::SHA256, end_entity.as_ref());
        if digest.as_ref() == self.pin.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(PinMismatch {
                    seen: hex_colons(digest.as_ref()),
                    expected: hex_colons(&self.pin),
                })),
            )))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Notes the end-entity certificate's fingerprint and refuses it: used only
/// to show the user what a server presents, never to talk to it.
#[derive(Debug)]
struct Recorder {
    seen: Arc<Mutex<Option<String>>>,
    algorithms: WebPkiSupportedAlgorithms,
}

/// Refusal after recording (the handshake must never complete).
#[derive(Debug)]
struct Recorded;

impl std::fmt::Display for Recorded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("certificate recorded, connection refused")
    }
}

impl std::error::Error for Recorded {}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(fingerprint(end_entity.as_ref()));
        }
        Err(rustls::Error::InvalidCertificate(CertificateError::Other(
            OtherError(Arc::new(Recorded)),
        )))
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// Connects to the https server at `url` and reports the SHA-256
/// fingerprint of the certificate it presents (for "the server presented
/// AA:BB…; trust it?"). Sends no request and no password: the handshake is
/// refused as soon as the certificate is seen.
pub fn peer_fingerprint(url: &str) -> Result<String, SyncError> {
    let provider = provider();
    let seen = Arc::new(Mutex::new(None));
    let config = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| SyncError::Local(format!("TLS setup failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Recorder {
            seen: seen.clone(),
            algorithms: provider.signature_verification_algorithms,
        }))
        .with_no_client_auth();
    let result = super::dav::probe_tls(url, config);
    let recorded = seen.lock().ok().and_then(|s| s.clone());
    match (recorded, result) {
        (Some(fp), _) => Ok(fp),
        (None, Err(e)) => Err(e),
        (None, Ok(server)) => Err(SyncError::Tls {
            server,
            detail:
                "the server presented no certificate (is the address http:// rather than https://?)"
                    .into(),
        }),
    }
}

/// What a TLS failure means, in words the user can act on.
pub fn describe(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => {
            "unknown certificate issuer: if this is your own server with a self-signed \
             certificate, add its SHA-256 fingerprint in Sync settings"
                .into()
        }
        rustls::Error::InvalidCertificate(CertificateError::Expired)
        | rustls::Error::InvalidCertificate(CertificateError::ExpiredContext { .. }) => {
            "the server's certificate has expired".into()
        }
        rustls::Error::InvalidCertificate(CertificateError::NotValidForName)
        | rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext { .. }) => {
            "the server's certificate is for another host name".into()
        }
        rustls::Error::InvalidCertificate(CertificateError::Other(other))
            if other.0.is::<PinMismatch>() || other.0.is::<Recorded>() =>
        {
            other.to_string()
        }
        // What webpki says of a self-signed certificate made as a CA
        // (openssl's default): the same advice as an unknown issuer.
        rustls::Error::InvalidCertificate(CertificateError::Other(other))
            if format!("{other:?}").contains("CaUsedAsEndEntity") =>
        {
            "unknown certificate issuer (the server's certificate signs itself): if this is \
             your own server with a self-signed certificate, add its SHA-256 fingerprint in \
             Sync settings"
                .into()
        }
        rustls::Error::InvalidCertificate(other) => format!(
            "the server's certificate was refused ({other:?}); if this is your own server with a \
             self-signed certificate, add its SHA-256 fingerprint in Sync settings"
        ),
        rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => format!(
            "the server did not answer in TLS (is the address http:// rather than https://?): {error}"
        ),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_is_uppercase_hex_with_colons() {
        // SHA-256 of the empty input.
        assert_eq!(
            fingerprint(b""),
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55"
        );
    }

    #[test]
    fn parse_fingerprint_accepts_any_case_and_separators() {
        let expected = parse_fingerprint(&fingerprint(b"")).unwrap();
        for text in [
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55",
            "  e3 b0 c4 42 98 fc 1c 14 9a fb f4 c8 99 6f b9 24 27 ae 41 e4 64 9b 93 4c a4 95 99 1b 78 52 b8 55 ",
            "sha256 Fingerprint=E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55",
        ] {
            assert_eq!(parse_fingerprint(text).unwrap(), expected, "{text}");
        }
        assert_eq!(expected[0], 0xE3);
        assert_eq!(expected[31], 0x55);
    }

    #[test]
    fn parse_fingerprint_refuses_wrong_lengths_and_digits() {
        assert!(parse_fingerprint("").is_err());
        assert!(parse_fingerprint("AA:BB").is_err());
        // SHA-1 length.
        assert!(
            parse_fingerprint("AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD")
                .is_err()
        );
        // 64 characters, one not hex.
        assert!(
            parse_fingerprint("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                .is_err()
        );
        // Multi-byte characters never panic.
        assert!(
            parse_fingerprint("ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé")
                .is_err()
        );
    }

    #[test]
    fn pinned_verifier_accepts_only_the_pin() {
        let cert = CertificateDer::from(vec![1u8, 2, 3]);
        let pin = parse_fingerprint(&fingerprint(&[1, 2, 3])).unwrap();
        let provider = provider();
        let verifier = PinnedVerifier {
            pin,
            algorithms: provider.signature_verification_algorithms,
        };
        let name = ServerName::try_from("example.org").unwrap();
        assert!(
            verifier
                .verify_server_cert(
                    &cert,
                    &[],
                    &name,
                    &[],
                    UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_800_000_000))
                )
                .is_ok()
        );
        let other = CertificateDer::from(vec![1u8, 2, 4]);
        let err = verifier
            .verify_server_cert(
                &other,
                &[],
                &name,
                &[],
                UnixTime::since_unix_epoch(std::time::Duration::from_secs(1_800_000_000)),
            )
            .unwrap_err();
        let text = describe(&err);
        assert!(text.contains(&fingerprint(&[1, 2, 4])), "{text}");
        assert!(text.contains(&fingerprint(&[1, 2, 3])), "{text}");
    }

    #[test]
    fn unknown_issuer_says_what_to_do() {
        let text = describe(&rustls::Error::InvalidCertificate(
            CertificateError::UnknownIssuer,
        ));
        assert!(text.contains("unknown certificate issuer"));
        assert!(text.contains("fingerprint in Sync settings"));
    }

    proptest::proptest! {
        #[test]
        fn fingerprints_parse_back(der in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..64)) {
            let text = fingerprint(&der);
            let digest = ring::digest::digest(&ring::digest::SHA256, &der);
            let parsed = parse_fingerprint(&text).unwrap();
            proptest::prop_assert_eq!(parsed.as_slice(), digest.as_ref());
            let bare = parse_fingerprint(&text.to_lowercase().replace(':', "")).unwrap();
            proptest::prop_assert_eq!(bare.as_slice(), digest.as_ref());
        }

        #[test]
        fn parse_fingerprint_never_panics(text in "\\PC{0,100}") {
            let _ = parse_fingerprint(&text);
        }
    }
}
