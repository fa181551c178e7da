//! Every fixture server's accepted (version, suite) set, found by `assess`, must equal the
//! ground truth this test establishes itself: one `openssl s_client` (or `gnutls-cli`)
//! handshake per (version, suite) pair. Certificates come from the test PKI.
mod support;

use safeguard::probe::tls::{self, TlsAssessment, TlsTarget, suites};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;
use support::pki::pki;
use support::{ServerGuard, openssl_s_server, require_tool};

type Pairs = BTreeSet<(String, String)>;

const TLS13_SUITES: [&str; 5] = [
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_CCM_SHA256",
    "TLS_AES_128_CCM_8_SHA256",
];

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

fn found_pairs(a: &TlsAssessment) -> Pairs {
    let mut out = Pairs::new();
    for v in tls::Version::ALL {
        for s in &a.protocols.get(v).cipher_suites {
            out.insert((v.name().to_owned(), s.clone()));
        }
    }
    out
}

/// Runs `jobs` on a few threads; returns the pairs whose job succeeded.
fn run_parallel(jobs: Vec<((String, String), Vec<String>, &'static str)>) -> Pairs {
    let queue = Mutex::new(jobs);
    let found = Mutex::new(Pairs::new());
    std::thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| {
                loop {
                    let Some((pair, args, tool)) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let out = Command::new(tool)
                        .args(&args)
                        .stdin(Stdio::null())
                        .output()
                        .expect("run ground-truth client");
                    let text = String::from_utf8_lossy(&out.stdout);
                    let ok = if tool == "openssl" {
                        out.status.success()
                            && text.contains("Cipher is ")
                            && !text.contains("Cipher is (NONE)")
                    } else {
                        text.contains("Handshake was completed")
                    };
                    if ok {
                        found.lock().unwrap().insert(pair);
                    }
                }
            });
        }
    });
    found.into_inner().unwrap()
}

/// Ground truth with `openssl s_client`: every suite OpenSSL has, on every version it
/// can speak, one handshake per pair (a version refused with every suite offered is
/// refused with each, so its pairs are skipped after one handshake).
fn openssl_truth(port: u16) -> Pairs {
    require_tool("openssl", "openssl");
    let listing = Command::new("openssl")
        .args(["ciphers", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"])
        .output()
        .expect("openssl ciphers");
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let connect = format!("127.0.0.1:{port}");
    let version_ok = |flag: &str, extra: &[&str]| {
        let mut args = vec!["s_client", "-connect", &connect, flag];
        args.extend_from_slice(extra);
        let out = Command::new("openssl")
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        out.status.success() && text.contains("Cipher is ") && !text.contains("Cipher is (NONE)")
    };
    let mut jobs = Vec::new();
    for (flag, name) in [
        ("-tls1", "TLSv1.0"),
        ("-tls1_1", "TLSv1.1"),
        ("-tls1_2", "TLSv1.2"),
    ] {
        if !version_ok(flag, &["-cipher", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"]) {
            continue;
        }
        for line in listing.lines() {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // 0xC0,0x2F - ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 Kx=... ...
            if cols.len() < 4 || cols[3] == "TLSv1.3" || (cols[3] == "TLSv1.2" && name != "TLSv1.2")
            {
                continue;
            }
            let code = cols[0].replace("0x", "").replace(',', "");
            let id = u16::from_str_radix(&code, 16).unwrap();
            let args = [
                "s_client",
                "-connect",
                &connect,
                flag,
                "-cipher",
                &format!("{}:@SECLEVEL=0", cols[2]),
            ]
            .map(String::from)
            .to_vec();
            jobs.push(((name.to_owned(), suites::name_of(id)), args, "openssl"));
        }
    }
    if version_ok("-tls1_3", &[]) {
        for s in TLS13_SUITES {
            let args = [
                "s_client",
                "-connect",
                &connect,
                "-tls1_3",
                "-ciphersuites",
                s,
            ]
            .map(String::from)
            .to_vec();
            jobs.push((("TLSv1.3".to_owned(), s.to_owned()), args, "openssl"));
        }
    }
    run_parallel(jobs)
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
    // Handshake budget of the issue: accepted suites + 2 per version + 10.
    let accepted = found_pairs(&a).len();
    assert!(
        a.handshakes <= accepted + 2 * 6 + 10,
        "{} handshakes for {accepted} suites",
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
    let accepted = found_pairs(&a).len();
    assert!(
        a.handshakes <= accepted + 2 * 6 + 10,
        "{} handshakes for {accepted} suites",
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

/// Ground truth with `gnutls-cli`, one handshake per (version, suite) of the suites
/// gnutls-cli lists for a broad priority string.
fn gnutls_truth(port: u16) -> Pairs {
    let cli = require_tool("gnutls-cli", "gnutls-bin");
    let listing = Command::new(&cli)
        .args(["-l", "--priority", "NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+3DES-CBC:+ARCFOUR-128:+RSA:+DHE-RSA:+SHA1:+MD5:+CAMELLIA-128-CBC:+CAMELLIA-256-CBC:+AES-128-CCM-8:+AES-256-CCM-8"])
        .output()
        .expect("gnutls-cli -l");
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let mut jobs = Vec::new();
    for line in listing.lines() {
        // TLS_ECDHE_RSA_AES_128_GCM_SHA256   0xc0, 0x2f   TLS1.2
        let Some((name, rest)) = line.split_once('\t') else {
            continue;
        };
        let Some((code, min)) = rest.split_once('\t') else {
            continue;
        };
        let code = code.replace("0x", "").replace([',', ' '], "");
        let Ok(id) = u16::from_str_radix(&code, 16) else {
            continue;
        };
        let name = name.trim();
        let iana = suites::name_of(id);
        let Some(suite) = suites::by_id(id) else {
            continue;
        };
        let cipher = gnutls_cipher(name);
        let versions: &[&str] = match min.trim() {
            "TLS1.3" => &["TLS1.3"],
            "TLS1.2" => &["TLS1.2"],
            _ => &["TLS1.0", "TLS1.1", "TLS1.2"],
        };
        for v in versions {
            let prio = if *v == "TLS1.3" {
                format!("NONE:+VERS-TLS1.3:+{cipher}:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL")
            } else {
                let kx = gnutls_kx(name);
                let mac = if suite.is_aead() {
                    "AEAD".to_owned()
                } else {
                    name.rsplit('_').next().unwrap().to_owned()
                };
                format!("NONE:+VERS-{v}:+{cipher}:+{kx}:+{mac}:+COMP-NULL:+SIGN-ALL:+GROUP-ALL")
            };
            let args = [
                "--insecure",
                "-p",
                &port.to_string(),
                "127.0.0.1",
                "--priority",
                &prio,
            ]
            .map(String::from)
            .to_vec();
            let vname = format!("TLSv{}", &v[3..]);
            jobs.push(((vname, iana.clone()), args, "gnutls-cli"));
        }
    }
    run_parallel(jobs)
}

fn gnutls_kx(name: &str) -> &'static str {
    for (p, kx) in [
        ("TLS_ECDHE_ECDSA_", "ECDHE-ECDSA"),
        ("TLS_ECDHE_RSA_", "ECDHE-RSA"),
        ("TLS_DHE_RSA_", "DHE-RSA"),
        ("TLS_DHE_DSS_", "DHE-DSS"),
        ("TLS_RSA_", "RSA"),
    ] {
        if name.starts_with(p) {
            return kx;
        }
    }
    panic!("unknown gnutls key exchange in {name}")
}

fn gnutls_cipher(name: &str) -> &'static str {
    for (p, c) in [
        ("AES_128_GCM", "AES-128-GCM"),
        ("AES_256_GCM", "AES-256-GCM"),
        ("AES_128_CCM_8", "AES-128-CCM-8"),
        ("AES_256_CCM_8", "AES-256-CCM-8"),
        ("AES_128_CCM", "AES-128-CCM"),
        ("AES_256_CCM", "AES-256-CCM"),
        ("AES_128_CBC", "AES-128-CBC"),
        ("AES_256_CBC", "AES-256-CBC"),
        ("CHACHA20_POLY1305", "CHACHA20-POLY1305"),
        ("3DES_EDE_CBC", "3DES-CBC"),
        ("ARCFOUR_128", "ARCFOUR-128"),
        ("CAMELLIA_128_CBC", "CAMELLIA-128-CBC"),
        ("CAMELLIA_256_CBC", "CAMELLIA-256-CBC"),
        ("CAMELLIA_128_GCM", "CAMELLIA-128-GCM"),
        ("CAMELLIA_256_GCM", "CAMELLIA-256-GCM"),
    ] {
        if name.contains(p) {
            return c;
        }
    }
    panic!("unknown gnutls cipher in {name}")
}

#[test]
fn gnutls_fixture_with_3des_rc4_and_tls10_matches_ground_truth() {
    let s =
        gnutls_server("NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+3DES-CBC:+ARCFOUR-128:+RSA:+SHA1:+MD5");
    let a = assess(s.port);
    let truth = gnutls_truth(s.port);
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
}
