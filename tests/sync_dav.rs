//! The DAV client (`kith::sync::dav`) against a real Radicale on
//! 127.0.0.1 (tests/support/radicale.rs): discovery, listing, multiget,
//! PUT/DELETE with ETags and their 412s, sync-collection tokens; and the
//! failures a user meets: wrong password, TLS to a plain-HTTP port, a
//! self-signed certificate with and without its pinned fingerprint, a
//! server that never answers, nothing listening.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "support/radicale.rs"]
mod radicale;

use kith::sync::SyncError;
use kith::sync::dav::{DavClient, Deleted, Kind, Put};
use kith::sync::tls;
use radicale::Radicale;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn card(uid: &str, name: &str) -> String {
    format!("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nN:{name};;;;\r\nEND:VCARD\r\n")
}

fn client(server: &Radicale) -> DavClient {
    DavClient::connect(&server.url(), server.user(), server.password(), None).unwrap()
}

#[test]
fn discovery_finds_the_address_book_and_the_calendar() {
    let server = Radicale::start();
    let dav = client(&server);
    let found = dav.discover().unwrap();
    assert_eq!(found.addressbooks.len(), 1, "{found:?}");
    let book = &found.addressbooks[0];
    assert_eq!(book.url, server.addressbook_url());
    assert_eq!(book.name, "Contacts");
    assert!(book.supports_sync);
    assert_eq!(found.calendars.len(), 1, "{found:?}");
    let cal = &found.calendars[0];
    assert_eq!(cal.url, server.calendar_url());
    assert!(cal.components.contains(&"VTODO".to_string()), "{cal:?}");
    assert!(cal.components.contains(&"VEVENT".to_string()), "{cal:?}");
    assert!(dav.requests() >= 3);

    // Typing the address book's own URL finds it too.
    let typed = DavClient::connect(
        &server.addressbook_url(),
        server.user(),
        server.password(),
        None,
    )
    .unwrap();
    let again = typed.discover().unwrap();
    assert!(
        again
            .addressbooks
            .iter()
            .any(|b| b.url == server.addressbook_url()),
        "{again:?}"
    );
}

#[test]
fn wrong_password_is_named_as_such() {
    let server = Radicale::start();
    let dav = DavClient::connect(&server.url(), server.user(), "wrong", None).unwrap();
    let err = dav.discover().unwrap_err();
    assert!(matches!(err, SyncError::Unauthorized { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains(&format!("127.0.0.1:{}", server.port()))
    );
    let err = dav.list(&server.addressbook_url()).unwrap_err();
    assert!(matches!(err, SyncError::Unauthorized { .. }), "{err:?}");
}

#[test]
fn put_list_fetch_delete_with_etags() {
    let server = Radicale::start();
    let dav = client(&server);
    let book = server.addressbook_url();
    let href = dav.href_for(&book, "p-1.vcf");
    assert_eq!(href, "/alice/contacts/p-1.vcf");

    // Create, then a second create of the same href is refused (412).
    let Put::Done { etag: first } = dav
        .put(&href, &card("u1", "Ann"), Kind::Contact, None)
        .unwrap()
    else {
        panic!("create refused")
    };
    assert_eq!(
        dav.put(&href, &card("u1", "Ann"), Kind::Contact, None)
            .unwrap(),
        Put::PreconditionFailed
    );
    let listed = dav.list(&book).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].href, href);
    let etag = listed[0].etag.clone();
    if let Some(first) = first {
        assert_eq!(first, etag);
    }

    // Update with a stale ETag: 412; with the right one: done, new ETag.
    assert_eq!(
        dav.put(
            &href,
            &card("u1", "Ann B"),
            Kind::Contact,
            Some("\"stale\"")
        )
        .unwrap(),
        Put::PreconditionFailed
    );
    let Put::Done { .. } = dav
        .put(&href, &card("u1", "Ann B"), Kind::Contact, Some(&etag))
        .unwrap()
    else {
        panic!("update refused")
    };
    let newer = dav.list(&book).unwrap()[0].etag.clone();
    assert_ne!(newer, etag);

    // Multiget: the missing href is left out.
    let fetched = dav
        .fetch(
            &book,
            &[href.clone(), "/alice/contacts/missing.vcf".to_string()],
            Kind::Contact,
        )
        .unwrap();
    assert_eq!(fetched.len(), 1);
    assert_eq!(fetched[0].href, href);
    assert_eq!(fetched[0].etag, newer);
    assert!(fetched[0].data.contains("FN:Ann B"), "{}", fetched[0].data);

    // Delete: stale ETag refused, right one done, then gone.
    assert_eq!(
        dav.delete(&href, &etag).unwrap(),
        Deleted::PreconditionFailed
    );
    assert_eq!(dav.delete(&href, &newer).unwrap(), Deleted::Done);
    assert_eq!(dav.delete(&href, &newer).unwrap(), Deleted::Gone);
    assert!(dav.list(&book).unwrap().is_empty());
    assert!(server.cards().is_empty());
}

#[test]
fn names_with_spaces_stay_one_resource() {
    let server = Radicale::start();
    let dav = client(&server);
    let book = server.addressbook_url();
    let href = dav.href_for(&book, "Jane Doe+1.vcf");
    let Put::Done { .. } = dav
        .put(&href, &card("u2", "Jane"), Kind::Contact, None)
        .unwrap()
    else {
        panic!("create refused")
    };
    let listed = dav.list(&book).unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].href, href);
    let fetched = dav
        .fetch(&book, std::slice::from_ref(&href), Kind::Contact)
        .unwrap();
    assert_eq!(fetched.len(), 1);
    let changes = dav.sync_collection(&book, None).unwrap();
    assert_eq!(changes.changed[0].href, href);
}

#[test]
fn sync_collection_tokens_round_trip() {
    let server = Radicale::start();
    let dav = client(&server);
    let book = server.addressbook_url();
    for i in 0..3 {
        let href = dav.href_for(&book, &format!("c{i}.vcf"));
        dav.put(&href, &card(&format!("c{i}"), "C"), Kind::Contact, None)
            .unwrap();
    }
    let first = dav.sync_collection(&book, None).unwrap();
    assert!(first.supported && !first.invalid_token);
    assert_eq!(first.changed.len(), 3);
    assert!(first.removed.is_empty());
    let token = first.token.clone().expect("a token");

    // Nothing changed: one request, nothing in it.
    let before = dav.requests();
    let none = dav.sync_collection(&book, Some(&token)).unwrap();
    assert_eq!(dav.requests() - before, 1);
    assert!(
        none.changed.is_empty() && none.removed.is_empty(),
        "{none:?}"
    );
    let token = none.token.unwrap_or(token);

    // One changed on the server ("the phone"), one deleted.
    let listed = dav.list(&book).unwrap();
    let c0 = listed.iter().find(|l| l.href.ends_with("c0.vcf")).unwrap();
    let c1 = listed.iter().find(|l| l.href.ends_with("c1.vcf")).unwrap();
    dav.put(
        &c0.href,
        &card("c0", "Changed"),
        Kind::Contact,
        Some(&c0.etag),
    )
    .unwrap();
    assert_eq!(dav.delete(&c1.href, &c1.etag).unwrap(), Deleted::Done);
    let delta = dav.sync_collection(&book, Some(&token)).unwrap();
    assert_eq!(delta.changed.len(), 1, "{delta:?}");
    assert_eq!(delta.changed[0].href, c0.href);
    assert_eq!(delta.removed, vec![c1.href.clone()]);
    assert_ne!(delta.token.as_deref(), Some(token.as_str()));

    // A token the server never gave: the caller must list in full.
    let bogus = dav
        .sync_collection(&book, Some("http://radicale.org/ns/sync/0000"))
        .unwrap();
    assert!(bogus.supported && bogus.invalid_token, "{bogus:?}");

    // The collection's tag moves with its content.
    let tag = dav.collection_tag(&book).unwrap().expect("a ctag");
    assert_eq!(
        dav.collection_tag(&book).unwrap().as_deref(),
        Some(tag.as_str())
    );
    let c2 = dav.href_for(&book, "c2.vcf");
    let etag = dav
        .list(&book)
        .unwrap()
        .into_iter()
        .find(|l| l.href == c2)
        .unwrap()
        .etag;
    dav.delete(&c2, &etag).unwrap();
    assert_ne!(dav.collection_tag(&book).unwrap(), Some(tag));
}

#[test]
fn multiget_goes_in_batches_of_a_hundred() {
    let server = Radicale::start();
    let dav = client(&server);
    let book = server.addressbook_url();
    let mut hrefs = Vec::new();
    for i in 0..230 {
        let href = dav.href_for(&book, &format!("m{i}.vcf"));
        dav.put(
            &href,
            &card(&format!("m{i}"), &format!("M {i}")),
            Kind::Contact,
            None,
        )
        .unwrap();
        hrefs.push(href);
    }
    let before = dav.requests();
    let fetched = dav.fetch(&book, &hrefs, Kind::Contact).unwrap();
    assert_eq!(dav.requests() - before, 3);
    assert_eq!(fetched.len(), 230);
    assert!(fetched.iter().all(|f| hrefs.contains(&f.href)));
}

#[test]
fn a_missing_collection_is_named() {
    let server = Radicale::start();
    let dav = client(&server);
    let url = format!("{}alice/nothing/", server.url());
    let err = dav.list(&url).unwrap_err();
    assert!(matches!(err, SyncError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("alice/nothing"), "{err}");
}

#[test]
fn calendar_objects_round_trip() {
    let server = Radicale::start();
    let dav = client(&server);
    let cal = server.calendar_url();
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kith//test//EN\r\nBEGIN:VTODO\r\nUID:kith-follow-up-1\r\nDTSTAMP:20260101T000000Z\r\nDUE;VALUE=DATE:20260105\r\nSUMMARY:Follow up with Ann\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
    let href = dav.href_for(&cal, "kith-follow-up-1.ics");
    assert!(matches!(
        dav.put(&href, ics, Kind::Calendar, None).unwrap(),
        Put::Done { .. }
    ));
    let fetched = dav
        .fetch(&cal, std::slice::from_ref(&href), Kind::Calendar)
        .unwrap();
    assert_eq!(fetched.len(), 1);
    assert!(fetched[0].data.contains("SUMMARY:Follow up with Ann"));
    let changes = dav.sync_collection(&cal, None).unwrap();
    assert_eq!(changes.changed.len(), 1);
}

#[test]
fn tls_to_a_plain_http_port_says_so() {
    let server = Radicale::start();
    let url = format!("https://127.0.0.1:{}/", server.port());
    let dav = DavClient::connect(&url, server.user(), server.password(), None).unwrap();
    let err = dav.discover().unwrap_err();
    let SyncError::Tls { detail, .. } = &err else {
        panic!("expected a TLS error, got {err:?}")
    };
    assert!(detail.contains("http://"), "{detail}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accept and hold the connection, never answering.
    std::thread::spawn(move || {
        let held = listener.accept();
        std::thread::sleep(Duration::from_secs(5));
        drop(held);
    });
    let mut dav = DavClient::connect(&format!("http://127.0.0.1:{port}/"), "u", "p", None).unwrap();
    dav.set_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let err = dav.list("/c/").unwrap_err();
    assert!(matches!(err, SyncError::Timeout { .. }), "{err:?}");
    assert!(err.is_transient());
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(dav.requests(), 1);
}

#[test]
fn nothing_listening_is_unreachable() {
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dav = DavClient::connect(&format!("http://127.0.0.1:{port}/"), "u", "p", None).unwrap();
    let err = dav.list("/c/").unwrap_err();
    assert!(matches!(err, SyncError::Unreachable { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&format!("127.0.0.1:{port}")),
        "{err}"
    );
}

/// A self-signed certificate for 127.0.0.1 (a CA certificate used as its
/// own end entity, as `openssl req -x509` makes them), valid 2000–2999 so
/// the test never depends on the clock.
const TEST_CERT: &str = "MIIBTzCB9qADAgECAhQqbE3kIm3Dz42vIyMFXl5Zw6m/hDAKBggqhkjOPQQDAjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwIBcNMDAwMTAxMDAwMDAwWhgPMjk5OTEyMzEwMDAwMDBaMBQxEjAQBgNVBAMMCTEyNy4wLjAuMTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABF51cPtwh34y6ICqrrkBVJ3tk+cvPukIAZde7Zsrtah55JcrFugO/C3rbN2YJ4CAhOh+TLQfP5W5gYmW69TU0KajJDAiMA8GA1UdEQQIMAaHBH8AAAEwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiBSHee1sZknzz/csRsY3e2rG7KRHgIvfwlLG0hKNKlK6AIhAOwQbSpCOtqp08wnyzRxRo11uSjpaDnOJPpOjovVrlcO";
/// Its P-256 key (PKCS#8). A test key for 127.0.0.1 only, published here.
const TEST_KEY: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgHUpBRVz+kAK8OHkzkJE+XbkWpN+T2eQjuB1y6JfT3gehRANCAARedXD7cId+MuiAqq65AVSd7ZPnLz7pCAGXXu2bK7WoeeSXKxboDvwt62zdmCeAgITofky0Hz+VuYGJluvU1NCm";

/// The test certificate and key, DER.
fn self_signed() -> (Vec<u8>, Vec<u8>) {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    (
        b64.decode(TEST_CERT).unwrap(),
        b64.decode(TEST_KEY).unwrap(),
    )
}

/// A TLS server on 127.0.0.1 answering every request with a one-card
/// multistatus. Returns its port.
fn tls_server(cert: Vec<u8>, key: Vec<u8>) -> u16 {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from(cert)],
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
    )
    .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(tcp) = stream else { continue };
            let config = config.clone();
            std::thread::spawn(move || {
                let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
                let conn = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(conn, tcp);
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let body = r#"<?xml version="1.0"?><multistatus xmlns="DAV:"><response><href>/c/</href><propstat><prop><resourcetype><collection/></resourcetype></prop><status>HTTP/1.1 200 OK</status></propstat></response><response><href>/c/a.vcf</href><propstat><prop><getetag>"1"</getetag></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>"#;
                let answer = format!(
                    "HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes());
                let _ = tls.flush();
                tls.conn.send_close_notify();
                let _ = tls.flush();
            });
        }
    });
    port
}

#[test]
fn a_self_signed_certificate_needs_its_pinned_fingerprint() {
    let (cert, key) = self_signed();
    let expected = tls::fingerprint(&cert);
    let port = tls_server(cert, key);
    let url = format!("https://127.0.0.1:{port}/");

    // Unknown issuer, with what to do.
    let dav = DavClient::connect(&url, "u", "p", None).unwrap();
    let err = dav.list("/c/").unwrap_err();
    let SyncError::Tls { detail, .. } = &err else {
        panic!("expected a TLS error, got {err:?}")
    };
    assert!(detail.contains("unknown certificate issuer"), "{detail}");
    assert!(detail.contains("fingerprint"), "{detail}");

    // The settings page can show what the server presents.
    assert_eq!(tls::peer_fingerprint(&url).unwrap(), expected);

    // Pinned (lowercase, no colons is fine): it works.
    let pin = expected.replace(':', "").to_lowercase();
    let dav = DavClient::connect(&url, "u", "p", Some(&pin)).unwrap();
    let listed = dav.list("/c/").unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].href, "/c/a.vcf");

    // Another pin: refused, naming what was seen and what was expected.
    let wrong = tls::fingerprint(b"another certificate");
    let dav = DavClient::connect(&url, "u", "p", Some(&wrong)).unwrap();
    let err = dav.list("/c/").unwrap_err();
    let SyncError::Tls { detail, .. } = &err else {
        panic!("expected a TLS error, got {err:?}")
    };
    assert!(detail.contains(&expected), "{detail}");
    assert!(detail.contains(&wrong), "{detail}");
}

/// A plain-HTTP server on 127.0.0.1 that answers every request with
/// `answer` (given the request line). Reads each request whole first.
fn http_server(answer: impl Fn(&str) -> Vec<u8> + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut tcp) = stream else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                let head_end = loop {
                    if let Some(at) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                        break at + 4;
                    }
                    match tcp.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                };
                let head = String::from_utf8_lossy(&seen[..head_end]).into_owned();
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())
                            .flatten()
                    })
                    .unwrap_or(0);
                while seen.len() < head_end + length {
                    match tcp.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                let line = head.lines().next().unwrap_or("").to_string();
                let _ = tcp.write_all(&answer(&line));
                let _ = tcp.flush();
            });
        }
    });
    port
}

#[test]
fn discovery_follows_the_well_known_redirect_to_another_server() {
    let server = Radicale::start();
    let target = format!("http://127.0.0.1:{}/", server.port());
    let port = http_server(move |line| {
        if line.contains("/.well-known/") {
            format!(
                "HTTP/1.1 301 Moved Permanently\r\nLocation: {target}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            .into_bytes()
        } else {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    });
    let dav = DavClient::connect(
        &format!("http://127.0.0.1:{port}/"),
        server.user(),
        server.password(),
        None,
    )
    .unwrap();
    let found = dav.discover().unwrap();
    assert_eq!(
        found
            .addressbooks
            .iter()
            .map(|c| c.url.clone())
            .collect::<Vec<_>>(),
        vec![server.addressbook_url()]
    );
    assert_eq!(found.calendars.len(), 1);
    // Later paths go to the server the collections live on.
    assert!(dav.list(&server.addressbook_url()).unwrap().is_empty());
    let href = dav.href_for(&server.addressbook_url(), "r.vcf");
    assert!(matches!(
        dav.put(&href, &card("r", "R"), Kind::Contact, None)
            .unwrap(),
        Put::Done { .. }
    ));
    assert_eq!(server.cards().len(), 1);
}

#[test]
fn an_answer_over_the_cap_is_refused_not_read() {
    let big = 16 * 1024 * 1024 + 1024;
    let port = http_server(move |_| {
        let mut answer = format!(
            "HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\nContent-Length: {big}\r\nConnection: close\r\n\r\n"
        )
        .into_bytes();
        answer.resize(answer.len() + big, b' ');
        answer
    });
    let dav = DavClient::connect(&format!("http://127.0.0.1:{port}/"), "u", "p", None).unwrap();
    let err = dav.list("/c/").unwrap_err();
    let SyncError::BadResponse { detail, .. } = &err else {
        panic!("expected a refused answer, got {err:?}")
    };
    assert!(detail.contains("16 MiB"), "{detail}");
}
