//! Every fixture server's accepted (version, suite) set, found by `assess`, must equal the
//! ground truth this test establishes itself: one `openssl s_client` (or `gnutls-cli`)
//! handshake per (version, suite) pair. Certificates come from the test PKI.
mod support;

mod tls_truth;

use safeguard::probe::tls::{self, TlsAssessment, TlsTarget};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::pki::pki;
use support::{ServerGuard, openssl_s_server, require_tool};
use tls_truth::{found_pairs, gnutls_truth, openssl_truth};

fn assess(port: u16) -> TlsAssessment {
    let mut t = TlsTarget::new("127.0.0.1", port);
    t.ca_file = Some(pki().ca());
    t.timeout = Duration::from_secs(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(tls::assess(&t)).expect("assessment succeeds")
}

fn check_against_truth(name: &str, server: &ServerGuard) -> TlsAssessment {
    let a = assess(server.port);
    let truth = openssl_truth(server.port);
    let found = found_pairs(&a);
    assert_eq!(
        found,
        truth,
        "{name}: found (left) differs from s_client ground truth (right)\nmissing: {:?}\nextra: {:?}",
        truth.difference(&found).collect::<Vec<_>>(),
        found.difference(&truth).collect::<Vec<_>>()
    );
    assert!(
        !a.protocols.ssl2.accepted && !a.protocols.ssl3.accepted,
        "{name}: no SSL here"
    );
    a
}

/// The (version, suite) pairs of one named weakness (`tls.weakness.<name>`).
fn weakness(a: &TlsAssessment, name: &str) -> Vec<String> {
    let key = format!("tls.weakness.{name}");
    a.weaknesses()
        .into_iter()
        .find(|(spec, _)| spec.key == key)
        .map(|(_, pairs)| pairs)
        .unwrap_or_else(|| panic!("no weakness {name}"))
}

fn path(p: std::path::PathBuf) -> String {
    p.to_string_lossy().into_owned()
}

#[test]
fn modern_fixture_matches_ground_truth() {
    let p = pki();
    let s = openssl_s_server(
        "modern",
        &[
            "-cert",
            &path(p.cert("rsa2048")),
            "-key",
            &path(p.key("rsa2048")),
            "-min_protocol",
            "TLSv1.2",
            "-serverpref",
            "-cipher",
            "ECDHE+AESGCM:ECDHE+CHACHA20",
            "-ciphersuites",
            "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256",
        ],
    );
    let a = check_against_truth("modern", &s);
    assert_eq!(a.protocols.tls1_2.server_order, Some(true));
    assert_eq!(
        a.protocols.tls1_2.cipher_suites[0],
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"
    );
    assert_eq!(
        a.protocols.tls1_3.cipher_suites[0],
        "TLS_AES_256_GCM_SHA384"
    );
    assert!(a.groups.contains(&"x25519".to_owned()) && a.groups.contains(&"secp256r1".to_owned()));
    assert_eq!(a.dhe_min_bits, None);
    assert_eq!(a.secure_renegotiation, Some(true));
    assert_eq!(a.extended_master_secret, Some(true));
    assert_eq!(a.compression, Some(false));
    assert_eq!(a.fallback_scsv, Some(true));
    let c = a.certificate.as_ref().expect("certificate");
    assert_eq!(
        (c.key_type.as_str(), c.key_bits, c.signature_hash.as_str()),
        ("RSA", 2048, "SHA-256")
    );
    assert_eq!(
        (c.chain_valid, c.hostname_match, c.eku_server_auth),
        (Some(true), Some(true), true)
    );
    assert_eq!(c.ocsp_urls, vec!["http://127.0.0.1:9/ocsp".to_owned()]);
    // No named weakness on a modern server.
    for none in [
        "logjam",
        "beast",
        "lucky13",
        "null-anonymous",
        "sweet32",
        "rc4",
        "drown",
    ] {
        assert_eq!(weakness(&a, none), Vec::<String>::new(), "{none}");
    }
    let (floor, limit) = tls_truth::handshake_budget(&a);
    assert!(
        a.handshakes <= limit,
        "{} handshakes, floor {floor}, limit {limit}",
        a.handshakes
    );
}

#[test]
fn legacy_fixture_matches_ground_truth() {
    let p = pki();
    let s = openssl_s_server(
        "legacy",
        &[
            "-cert",
            &path(p.cert("rsa2048")),
            "-key",
            &path(p.key("rsa2048")),
            "-min_protocol",
            "TLSv1",
            "-cipher",
            "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
            "-dhparam",
            &path(p.dir.join("dh1024.pem")),
        ],
    );
    let a = check_against_truth("legacy", &s);
    assert!(a.protocols.tls1_0.accepted && a.protocols.tls1_1.accepted);
    assert_eq!(a.dhe_min_bits, Some(1024));
    assert_eq!(a.protocols.tls1_2.server_order, Some(false));
    // Named weaknesses, derived from the ground-truth-checked pairs.
    let logjam = weakness(&a, "logjam");
    assert!(logjam.contains(&"TLSv1.2 TLS_DHE_RSA_WITH_AES_128_GCM_SHA256".to_owned()));
    assert!(logjam.iter().all(|p| p.contains("_DHE_")), "{logjam:?}");
    assert!(weakness(&a, "beast").contains(&"TLSv1.0 TLS_RSA_WITH_AES_128_CBC_SHA".to_owned()));
    assert!(
        weakness(&a, "beast")
            .iter()
            .all(|p| p.starts_with("TLSv1.0 "))
    );
    assert!(
        weakness(&a, "lucky13").contains(&"TLSv1.2 TLS_RSA_WITH_AES_128_CBC_SHA256".to_owned())
    );
    assert!(
        weakness(&a, "null-anonymous")
            .iter()
            .any(|p| p.contains("_anon_"))
    );
    for none in ["drown", "poodle", "sweet32", "rc4", "freak"] {
        assert_eq!(weakness(&a, none), Vec::<String>::new(), "{none}");
    }
    let (floor, limit) = tls_truth::handshake_budget(&a);
    assert!(
        a.handshakes <= limit,
        "{} handshakes, floor {floor}, limit {limit}",
        a.handshakes
    );
}

#[test]
fn rsa1024_leaf_matches_ground_truth_and_reports_the_small_key() {
    let p = pki();
    let s = openssl_s_server(
        "rsa1024",
        &[
            "-cert",
            &path(p.cert("rsa1024")),
            "-key",
            &path(p.key("rsa1024")),
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
        ],
    );
    let a = check_against_truth("rsa1024", &s);
    let c = a.certificate.expect("certificate");
    assert_eq!((c.key_type.as_str(), c.key_bits), ("RSA", 1024));
}

#[test]
fn ecdsa_leaf_matches_ground_truth() {
    let p = pki();
    let s = openssl_s_server(
        "ecdsa",
        &[
            "-cert",
            &path(p.cert("ecdsa-p256")),
            "-key",
            &path(p.key("ecdsa-p256")),
        ],
    );
    let a = check_against_truth("ecdsa", &s);
    let c = a.certificate.expect("certificate");
    assert_eq!(
        (c.key_type.as_str(), c.key_bits, c.curve.as_deref()),
        ("EC", 256, Some("P-256"))
    );
    assert!(
        a.protocols
            .tls1_2
            .cipher_suites
            .iter()
            .all(|s| s.contains("ECDSA") || !s.contains("RSA"))
    );
}

#[test]
fn expired_leaf_matches_ground_truth_and_fails_validation() {
    let p = pki();
    let s = openssl_s_server(
        "expired",
        &[
            "-cert",
            &path(p.cert("expired")),
            "-key",
            &path(p.key("expired")),
        ],
    );
    let a = check_against_truth("expired", &s);
    let c = a.certificate.expect("certificate");
    assert!(c.days_to_expiry < 0);
    assert_eq!(c.chain_valid, Some(false));
    assert!(
        c.validation_error
            .unwrap_or_default()
            .to_lowercase()
            .contains("expired")
    );
}

#[test]
fn sha1_leaf_matches_ground_truth_and_reports_sha1() {
    let p = pki();
    let s = openssl_s_server(
        "sha1",
        &[
            "-cert",
            &path(p.cert("sha1")),
            "-key",
            &path(p.key("sha1")),
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
        ],
    );
    let a = check_against_truth("sha1", &s);
    assert_eq!(a.certificate.expect("certificate").signature_hash, "SHA-1");
}

#[test]
fn tls13_only_fixture_matches_ground_truth_and_its_chain_comes_through_rustls() {
    let p = pki();
    let s = openssl_s_server(
        "tls13",
        &[
            "-cert",
            &path(p.cert("rsa2048")),
            "-key",
            &path(p.key("rsa2048")),
            "-tls1_3",
            "-ciphersuites",
            "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256",
        ],
    );
    let a = check_against_truth("tls13", &s);
    assert!(!a.protocols.tls1_2.accepted && a.protocols.tls1_3.accepted);
    assert_eq!(a.protocols.tls1_3.cipher_suites.len(), 4);
    let c = a.certificate.as_ref().expect("certificate through rustls");
    assert_eq!(c.source, "rustls");
    assert_eq!(a.secure_renegotiation, Some(true));
    assert_eq!(a.fallback_scsv, None);
}

/// gnutls-serv has no listen-address option: it binds the wildcard address. We only
/// ever connect to 127.0.0.1, and the port is a fresh free one.
fn gnutls_server(priority: &str) -> ServerGuard {
    let bin = require_tool("gnutls-serv", "gnutls-bin");
    let p = pki();
    for _ in 0..5 {
        let port = support::free_port();
        let child = Command::new(&bin)
            .args([
                "--port",
                &port.to_string(),
                "--x509certfile",
                &path(p.cert("rsa2048")),
            ])
            .args([
                "--x509keyfile",
                &path(p.key("rsa2048")),
                "--priority",
                priority,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn gnutls-serv");
        let guard = ServerGuard {
            child,
            port,
            name: "gnutls".into(),
        };
        if support::wait_for_port(port, Duration::from_secs(5)) {
            return guard;
        }
    }
    panic!("gnutls-serv did not start listening");
}

#[test]
fn gnutls_fixture_with_3des_rc4_and_tls10_matches_ground_truth() {
    let s =
        gnutls_server("NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+3DES-CBC:+ARCFOUR-128:+RSA:+SHA1:+MD5");
    let a = assess(s.port);
    let truth = gnutls_truth(s.port, None);
    let found = found_pairs(&a);
    assert_eq!(
        found,
        truth,
        "gnutls: found (left) differs from gnutls-cli ground truth (right)\nmissing: {:?}\nextra: {:?}",
        truth.difference(&found).collect::<Vec<_>>(),
        found.difference(&truth).collect::<Vec<_>>()
    );
    assert!(found.contains(&("TLSv1.0".into(), "TLS_RSA_WITH_3DES_EDE_CBC_SHA".into())));
    assert!(found.contains(&("TLSv1.0".into(), "TLS_RSA_WITH_RC4_128_SHA".into())));
    // The DHE suites sslyze misses: found because the hello offers FFDHE groups.
    assert!(found.iter().any(|(_, s)| s.starts_with("TLS_DHE_RSA_")));
    assert!(a.dhe_min_bits.is_some_and(|b| b >= 2048));
    assert!(weakness(&a, "sweet32").contains(&"TLSv1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA".to_owned()));
    assert!(weakness(&a, "rc4").contains(&"TLSv1.0 TLS_RSA_WITH_RC4_128_SHA".to_owned()));
    assert!(weakness(&a, "rc4").iter().all(|p| p.contains("_RC4_")));
    assert_eq!(weakness(&a, "logjam"), Vec::<String>::new());
    assert_eq!(weakness(&a, "freak"), Vec::<String>::new());
}
