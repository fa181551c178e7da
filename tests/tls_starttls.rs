//! The same enumeration after a StartTLS upgrade: LDAP against a GnuTLS-linked slapd
//! (ground truth with `gnutls-cli --starttls-proto=ldap`), and PostgreSQL's SSLRequest
//! through a small stand-in that answers 'S' and relays to an s_server.
mod support;
mod tls_truth;

use safeguard::probe::tls::{self, TlsTarget, Upgrade};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;
use support::pki::pki;
use support::slapd::{self, Variant};
use tls_truth::{found_pairs, gnutls_truth};

fn assess(port: u16, upgrade: Upgrade) -> Result<tls::TlsAssessment, tls::TlsError> {
    let mut t = TlsTarget::new("127.0.0.1", port);
    t.upgrade = upgrade;
    t.ca_file = Some(pki().ca());
    t.timeout = Duration::from_secs(5);
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(tls::assess(&t))
}

#[test]
fn ldap_starttls_on_gnutls_slapd_matches_ground_truth() {
    let s = slapd::start(Variant::WeakTls);
    let a = assess(s.port, Upgrade::LdapStartTls).expect("assessment after StartTLS");
    let truth = gnutls_truth(s.port, Some("ldap"));
    let found = found_pairs(&a);
    assert_eq!(
        found,
        truth,
        "missing: {:?}\nextra: {:?}",
        truth.difference(&found).collect::<Vec<_>>(),
        found.difference(&truth).collect::<Vec<_>>()
    );
    assert!(found.contains(&("TLSv1.0".into(), "TLS_RSA_WITH_3DES_EDE_CBC_SHA".into())));
    assert!(
        found.iter().any(|(_, s)| s.starts_with("TLS_DHE_RSA_")),
        "DHE via FFDHE groups"
    );
    assert_eq!(a.certificate.expect("certificate").chain_valid, Some(true));
    // LDAPS on the same server: no upgrade, same suites.
    let ldaps = assess(s.tls_port, Upgrade::None).expect("LDAPS assessment");
    assert_eq!(found_pairs(&ldaps), found);
}

#[test]
fn ldap_server_without_starttls_is_a_clear_error() {
    let s = slapd::start(Variant::NoTls);
    let e = assess(s.port, Upgrade::LdapStartTls)
        .unwrap_err()
        .to_string();
    assert!(e.contains("refused StartTLS"), "{e}");
}

/// A PostgreSQL stand-in: reads the 8-byte SSLRequest, answers `answer`, and (for 'S')
/// relays the connection to `backend`.
fn postgres_front(answer: u8, backend: u16) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut req = [0u8; 8];
                if c.read_exact(&mut req).is_err() || req != [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F] {
                    return;
                }
                let _ = c.write_all(&[answer]);
                if answer != b'S' {
                    return;
                }
                let Ok(b) = TcpStream::connect(("127.0.0.1", backend)) else {
                    return;
                };
                let (mut c2, mut b2) = (c.try_clone().unwrap(), b.try_clone().unwrap());
                let t = std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut b2);
                    let _ = b2.shutdown(std::net::Shutdown::Write);
                });
                let (mut b, mut c) = (b, c);
                let _ = std::io::copy(&mut b, &mut c);
                let _ = c.shutdown(std::net::Shutdown::Write);
                let _ = t.join();
            });
        }
    });
    port
}

#[test]
fn postgres_sslrequest_then_enumeration() {
    let p = pki();
    let backend = support::openssl_s_server(
        "pg-backend",
        &[
            "-cert",
            p.cert("rsa2048").to_str().unwrap(),
            "-key",
            p.key("rsa2048").to_str().unwrap(),
            "-min_protocol",
            "TLSv1.2",
        ],
    );
    let direct = assess(backend.port, Upgrade::None).unwrap();
    let port = postgres_front(b'S', backend.port);
    let a = assess(port, Upgrade::PostgresSslRequest).expect("assessment after SSLRequest");
    assert_eq!(found_pairs(&a), found_pairs(&direct));
    assert!(a.protocols.tls1_3.accepted);
    assert_eq!(a.certificate.expect("certificate").chain_valid, Some(true));

    let refusing = postgres_front(b'N', backend.port);
    let e = assess(refusing, Upgrade::PostgresSslRequest)
        .unwrap_err()
        .to_string();
    assert!(e.contains("does not offer SSL"), "{e}");
}
