//! Client-initiated renegotiation tried for real: openssl s_server with and without
//! `-client_renegotiation`, Go's crypto/tls configured like Mattermost's listener, nginx,
//! a TLS 1.3-only server (not applicable, no connection), and a fake server that goes
//! silent. Each real server's verdict is cross-checked with `openssl s_client` sending `R`.
mod support;

use safeguard::probe::tls::connection::Endpoint;
use safeguard::probe::tls::renegotiation::{self, Verdict};
use safeguard::probe::tls::{self, TlsAssessment, TlsTarget, Upgrade};
use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::openssl_s_server;
use support::pki::pki;

const TIMEOUT: Duration = Duration::from_secs(3);

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn endpoint(port: u16) -> Endpoint {
    Endpoint::new(
        format!("127.0.0.1:{port}").parse().unwrap(),
        Upgrade::None,
        TIMEOUT,
    )
}

/// The test alone, over one connection.
fn try_renegotiation(port: u16) -> Result<Verdict, String> {
    let ep = endpoint(port);
    let v = rt().block_on(renegotiation::test(&ep, Some("localhost")));
    assert_eq!(ep.handshakes(), 1, "one connection");
    v
}

/// The whole assessment, for the fact as a scan records it.
fn assess(port: u16) -> TlsAssessment {
    let mut t = TlsTarget::new("127.0.0.1", port);
    t.ca_file = Some(pki().ca());
    t.timeout = TIMEOUT;
    rt().block_on(tls::assess(&t)).expect("assessment succeeds")
}

/// Ground truth: `openssl s_client -tls1_2`, then `R` on stdin (s_client's renegotiate
/// command). Some(true): the renegotiation handshake completed; Some(false): refused.
fn s_client_renegotiates(port: u16) -> Option<bool> {
    let mut child = Command::new(support::require_tool("openssl", "openssl"))
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-tls1_2",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        let _ = stdin.write_all(b"R\n");
        // s_server answers a refused renegotiation only after its one-second
        // "read R BLOCK" sleep: leave stdin open well past it.
        std::thread::sleep(Duration::from_millis(3000));
        drop(stdin);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let after = text.split_once("RENEGOTIATING")?.1;
    if after.contains("no renegotiation") || after.contains("alert") {
        Some(false)
    } else if after.contains("verify return") || after.contains("depth=") {
        Some(true)
    } else {
        None
    }
}

fn server_args(extra: &[&'static str]) -> Vec<String> {
    let p = pki();
    let mut v: Vec<String> = vec![
        "-cert".into(),
        p.cert("rsa2048").display().to_string(),
        "-key".into(),
        p.key("rsa2048").display().to_string(),
    ];
    v.extend(extra.iter().map(|s| (*s).to_owned()));
    v
}

fn s_server(name: &str, extra: &[&'static str]) -> support::ServerGuard {
    let args = server_args(extra);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    openssl_s_server(name, &refs)
}

#[test]
fn openssl_with_client_renegotiation_accepts() {
    let s = s_server("reneg-on", &["-tls1_2", "-client_renegotiation"]);
    assert_eq!(
        try_renegotiation(s.port),
        Ok(Verdict::Accepted {
            suite: 0xC02F,
            secure: true
        })
    );
    assert_eq!(s_client_renegotiates(s.port), Some(true), "ground truth");
}

#[test]
fn openssl_by_default_refuses() {
    let s = s_server("reneg-default", &["-tls1_2"]);
    let v = try_renegotiation(s.port);
    assert!(
        matches!(&v, Ok(Verdict::Refused { answer }) if answer.contains("no_renegotiation")),
        "{v:?}"
    );
    assert_eq!(s_client_renegotiates(s.port), Some(false), "ground truth");
}

#[test]
fn whole_assessments_record_the_fact_either_way() {
    let s = s_server("reneg-default-scan", &["-tls1_2"]);
    let a = assess(s.port);
    assert_eq!(a.client_renegotiation, Some(false), "{:#?}", a.notes);
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("renegotiation over TLS 1.2 was refused")),
        "{:#?}",
        a.notes
    );
    let s = s_server("reneg-on-scan", &["-tls1_2", "-client_renegotiation"]);
    let a = assess(s.port);
    assert_eq!(a.client_renegotiation, Some(true), "{:#?}", a.notes);
}

#[test]
fn mattermost_go_listener_refuses() {
    let s = support::go_tls::start("rsa2048", &[]);
    let v = try_renegotiation(s.port);
    // Go's crypto/tls server answers any post-handshake handshake message that is not a
    // HelloRequest with a fatal unexpected_message (conn.go, handleRenegotiation).
    assert!(
        matches!(&v, Ok(Verdict::Refused { answer }) if answer.contains("unexpected_message")),
        "{v:?}"
    );
    assert_eq!(s_client_renegotiates(s.port), Some(false), "ground truth");
}

#[test]
fn nginx_refuses() {
    let p = pki();
    let n = support::nginx::start(
        &[(&p.cert("rsa2048"), &p.key("rsa2048"))],
        "TLSv1.2 TLSv1.3",
    );
    let v = try_renegotiation(n.port());
    // nginx sets SSL_OP_NO_RENEGOTIATION on every connection (older builds closed it).
    assert!(
        matches!(&v, Ok(Verdict::Refused { answer }) if answer.contains("no_renegotiation")),
        "{v:?}"
    );
    assert_eq!(s_client_renegotiates(n.port()), Some(false), "ground truth");
}

#[test]
fn tls13_only_is_false_without_a_connection() {
    let s = s_server("reneg-tls13", &["-tls1_3"]);
    let a = assess(s.port);
    assert_eq!(a.client_renegotiation, Some(false));
    let mut b = a.clone();
    b.client_renegotiation = None;
    let ep = endpoint(s.port);
    rt().block_on(renegotiation::run(&ep, None, &mut b));
    assert_eq!(b.client_renegotiation, Some(false));
    assert_eq!(
        ep.handshakes(),
        0,
        "no connection for a TLS 1.3-only server"
    );
}

/// How the rustls-based fake behaves once its TLS 1.2 handshake is complete.
#[derive(Clone, Copy)]
enum After {
    /// Reads nothing more: the renegotiation hello gets no answer.
    Silent,
    /// Keeps reading (rustls refuses renegotiation with a no_renegotiation warning).
    Reads,
}

/// A TLS 1.2 server (rustls) that completes real handshakes, then behaves as `after`.
fn rustls_server(after: After) -> u16 {
    let p = pki();
    let certs: Vec<_> = rustls_pemfile::certs(&mut BufReader::new(
        std::fs::File::open(p.cert("rsa2048")).unwrap(),
    ))
    .collect::<Result<_, _>>()
    .unwrap();
    let key = rustls_pemfile::private_key(&mut BufReader::new(
        std::fs::File::open(p.key("rsa2048")).unwrap(),
    ))
    .unwrap()
    .unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_protocol_versions(&[&rustls::version::TLS12])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap(),
    );
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in l.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || serve_rustls(tcp, config, after));
        }
    });
    port
}

fn serve_rustls(mut tcp: TcpStream, config: Arc<rustls::ServerConfig>, after: After) {
    let _ = tcp.set_read_timeout(Some(TIMEOUT * 3));
    let Ok(mut conn) = rustls::ServerConnection::new(config) else {
        return;
    };
    while conn.is_handshaking() {
        if conn.complete_io(&mut tcp).is_err() {
            return;
        }
    }
    match after {
        After::Silent => std::thread::sleep(TIMEOUT + Duration::from_secs(1)),
        After::Reads => {
            let mut s = rustls::Stream::new(&mut conn, &mut tcp);
            let mut buf = [0u8; 64];
            while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
        }
    }
}

#[test]
fn silence_after_the_renegotiation_hello_is_not_judged() {
    let start = Instant::now();
    let v = try_renegotiation(rustls_server(After::Silent));
    assert!(
        matches!(&v, Err(seen) if seen.contains("not judged")),
        "{v:?}"
    );
    assert!(start.elapsed() < TIMEOUT * 2, "one timeout, not more");
}

#[test]
fn rustls_refuses_with_no_renegotiation() {
    let v = try_renegotiation(rustls_server(After::Reads));
    assert!(
        matches!(&v, Ok(Verdict::Refused { answer }) if answer.contains("no_renegotiation")),
        "{v:?}"
    );
}

/// A peer that takes the hello and says nothing.
fn mute() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                std::thread::sleep(TIMEOUT + Duration::from_secs(1));
            });
        }
    });
    port
}

#[test]
fn silence_after_the_first_hello_is_an_error_not_a_pass() {
    let v = try_renegotiation(mute());
    assert!(
        matches!(&v, Err(seen) if seen.contains("waiting for the answer to the ClientHello")),
        "{v:?}"
    );
}

#[test]
fn the_check_says_error_with_what_was_seen_for_a_silent_server() {
    let port = rustls_server(After::Silent);
    let ca = pki().ca().display().to_string();
    let target = format!("127.0.0.1:{port}");
    let v = support::safeguard_json([
        "tls",
        &target,
        "--format",
        "json",
        "--timeout",
        "3",
        "--ca-file",
        &ca,
    ]);
    let f = support::finding_of(&v, "tls-renegotiation-client-initiated");
    assert_eq!(f["status"], "error", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("not judged"),
        "{f:#}"
    );
}

#[test]
fn a_server_asking_for_a_client_certificate_is_not_tested() {
    let s = s_server("reneg-client-cert", &["-tls1_2", "-verify", "1"]);
    let v = try_renegotiation(s.port);
    assert!(
        matches!(&v, Err(seen) if seen.starts_with("not tested") && seen.contains("client certificate")),
        "{v:?}"
    );
}

#[test]
fn tls12_without_our_suites_or_groups_is_not_tested_never_a_pass() {
    // Only RSA key exchange: the plan says "not tested" without a connection.
    let s = s_server("reneg-rsa-kx", &["-tls1_2", "-cipher", "AES128-GCM-SHA256"]);
    let a = assess(s.port);
    assert_eq!(a.client_renegotiation, None);
    let u = a
        .untested
        .iter()
        .find(|u| u.fact == "tls.renegotiation.client-initiated")
        .expect("an untested entry");
    assert!(u.seen.contains("not tested"), "{}", u.seen);
    assert!(
        !a.unreadable
            .iter()
            .any(|u| u.fact == "tls.renegotiation.client-initiated"),
        "not an error: {:?}",
        a.unreadable
    );
    // The check says not-assessed with the reason: neither a pass nor an error that would
    // read as "could not scan".
    let ca = pki().ca().display().to_string();
    let target = format!("127.0.0.1:{}", s.port);
    let v = support::safeguard_json(["tls", &target, "--format", "json", "--ca-file", &ca]);
    let f = support::finding_of(&v, "tls-renegotiation-client-initiated");
    assert_eq!(f["status"], "not-assessed", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("needs ECDHE"),
        "{f:#}"
    );
    // ECDHE only over P-521, which this test does not speak: the server refuses the hello.
    let s = s_server("reneg-p521", &["-tls1_2", "-groups", "P-521"]);
    let v = try_renegotiation(s.port);
    assert!(
        matches!(&v, Err(seen) if seen.starts_with("not tested") && seen.contains("got a handshake_failure alert")),
        "{v:?}"
    );
}

#[test]
fn every_suite_and_group_this_client_speaks_completes_the_handshake() {
    let p = pki();
    let (ec_cert, ec_key) = (
        p.cert("ecdsa-p256").display().to_string(),
        p.key("ecdsa-p256").display().to_string(),
    );
    let cases: [(&str, &str, Option<&str>, u16); 4] = [
        ("ECDHE-RSA-AES256-GCM-SHA384", "X25519", None, 0xC030),
        ("ECDHE-RSA-AES128-GCM-SHA256", "P-256", None, 0xC02F),
        (
            "ECDHE-ECDSA-AES256-GCM-SHA384",
            "P-384",
            Some("ecdsa"),
            0xC02C,
        ),
        (
            "ECDHE-ECDSA-AES128-GCM-SHA256",
            "X25519",
            Some("ecdsa"),
            0xC02B,
        ),
    ];
    for (cipher, group, ecdsa, id) in cases {
        let mut args: Vec<String> = if ecdsa.is_some() {
            vec![
                "-cert".into(),
                ec_cert.clone(),
                "-key".into(),
                ec_key.clone(),
            ]
        } else {
            server_args(&[])
        };
        for a in [
            "-tls1_2",
            "-client_renegotiation",
            "-cipher",
            cipher,
            "-groups",
            group,
        ] {
            args.push(a.to_owned());
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let s = openssl_s_server(cipher, &refs);
        assert_eq!(
            try_renegotiation(s.port),
            Ok(Verdict::Accepted {
                suite: id,
                secure: true
            }),
            "{cipher} over {group}"
        );
    }
}
