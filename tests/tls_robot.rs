//! ROBOT (CVE-2017-13099), tested actively: a real openssl s_server with RSA key exchange
//! answers every ClientKeyExchange variant alike (not vulnerable); one with ECDHE only is
//! not applicable and gets no ROBOT connection. The vulnerable and the inconsistent peer
//! are a small proxy written here in front of the same s_server: it passes everything
//! through, except that it answers a ClientKeyExchange after an RSA-only hello itself,
//! after decrypting it with the server's private key, so its answer depends on the
//! padding the way a Bleichenbacher oracle's does.
mod support;

use num_bigint::BigUint;
use safeguard::probe::tls::connection::Endpoint;
use safeguard::probe::tls::robot::{self, Answer, End, Variant, Verdict};
use safeguard::probe::tls::version::Version;
use safeguard::probe::tls::{self, TlsTarget, Upgrade, suites};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use support::openssl_s_server;
use support::pki::pki;

const TIMEOUT: Duration = Duration::from_secs(2);
const BAD_RECORD_MAC: u8 = 20;
const HANDSHAKE_FAILURE: u8 = 40;

/// The RSA suites the s_server offers (with ECDHE beside them, and TLS 1.3).
const RSA_AND_ECDHE: &str = "AES128-SHA:AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256";

fn rsa_server(name: &str, ciphers: &str) -> support::ServerGuard {
    let p = pki();
    openssl_s_server(
        name,
        &[
            "-cert",
            p.cert("rsa2048").to_str().unwrap(),
            "-key",
            p.key("rsa2048").to_str().unwrap(),
            "-cipher",
            ciphers,
        ],
    )
}

/// n and d of the test PKI's rsa2048 key, read from `openssl rsa -text`.
fn private_key() -> (BigUint, BigUint) {
    let out = std::process::Command::new("openssl")
        .args(["rsa", "-noout", "-text", "-in"])
        .arg(pki().key("rsa2048"))
        .output()
        .expect("run openssl rsa");
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| {
        let mut hex = String::new();
        let mut lines = text.lines().skip_while(|l| l.trim() != name).skip(1);
        for l in lines.by_ref() {
            if !l.starts_with(' ') {
                break;
            }
            hex.extend(l.trim().split(':'));
        }
        BigUint::parse_bytes(hex.as_bytes(), 16).unwrap_or_else(|| panic!("{name} in {text}"))
    };
    (field("modulus:"), field("privateExponent:"))
}

/// How the proxy answers a ClientKeyExchange.
#[derive(Clone, Copy)]
enum Peer {
    /// bad_record_mac when the decrypted block starts 00 02, handshake_failure otherwise.
    Oracle,
    /// The first five alternate between the two alerts, whatever the padding; the rest
    /// all get bad_record_mac.
    Inconsistent,
}

/// Reads one record, header included.
fn read_record(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut rec = vec![0u8; 5];
    s.read_exact(&mut rec).ok()?;
    let len = u16::from_be_bytes([rec[3], rec[4]]) as usize;
    rec.resize(5 + len, 0);
    s.read_exact(&mut rec[5..]).ok()?;
    Some(rec)
}

/// Whether a ClientHello record offers RSA key-exchange suites only.
fn rsa_only(hello: &[u8]) -> bool {
    let mut i = 5 + 4 + 2 + 32;
    let Some(&sid) = hello.get(i) else {
        return false;
    };
    i += 1 + sid as usize;
    let Some(l) = hello.get(i..i + 2) else {
        return false;
    };
    let len = u16::from_be_bytes([l[0], l[1]]) as usize;
    hello.get(i + 2..i + 2 + len).is_some_and(|s| {
        !s.is_empty()
            && s.chunks(2).all(|c| {
                suites::by_id(u16::from_be_bytes([c[0], c[1]])).is_some_and(robot::is_rsa_kx)
            })
    })
}

fn proxy(upstream: u16, peer: Peer) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (n, d) = private_key();
    let key = Arc::new((n, d));
    let answered = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for c in l.incoming().flatten() {
            let (key, answered) = (key.clone(), answered.clone());
            std::thread::spawn(move || relay(c, upstream, peer, &key, &answered));
        }
    });
    port
}

fn relay(
    mut c: TcpStream,
    upstream: u16,
    peer: Peer,
    key: &(BigUint, BigUint),
    answered: &AtomicUsize,
) {
    let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
    let Some(hello) = read_record(&mut c) else {
        return;
    };
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    if s.write_all(&hello).is_err() {
        return;
    }
    let (mut from_s, mut to_c) = (s.try_clone().unwrap(), c.try_clone().unwrap());
    let down = std::thread::spawn(move || {
        let _ = std::io::copy(&mut from_s, &mut to_c);
    });
    if rsa_only(&hello) {
        let Some(rec) = read_record(&mut c) else {
            let _ = s.shutdown(Shutdown::Both);
            return;
        };
        if rec[0] == 22 && rec.get(5) == Some(&16) {
            // ClientKeyExchange: decrypt, take ChangeCipherSpec and Finished, answer here.
            let (n, d) = key;
            let k = n.bits().div_ceil(8) as usize;
            let m = BigUint::from_bytes_be(&rec[11..])
                .modpow(d, n)
                .to_bytes_be();
            let padded = m.len() == k - 1 && m[0] == 2;
            let _ = read_record(&mut c);
            let _ = read_record(&mut c);
            let _ = s.shutdown(Shutdown::Both);
            let _ = down.join();
            let i = answered.fetch_add(1, Ordering::SeqCst);
            let alert = match peer {
                Peer::Oracle if padded => BAD_RECORD_MAC,
                Peer::Oracle => HANDSHAKE_FAILURE,
                Peer::Inconsistent if i < 5 && i % 2 == 1 => HANDSHAKE_FAILURE,
                Peer::Inconsistent => BAD_RECORD_MAC,
            };
            let _ = c.write_all(&[21, 3, 3, 0, 2, 2, alert]);
            let _ = c.shutdown(Shutdown::Both);
            return;
        }
        if s.write_all(&rec).is_err() {
            return;
        }
    }
    let _ = std::io::copy(&mut c, &mut s);
    let _ = s.shutdown(Shutdown::Both);
    let _ = down.join();
    let _ = c.shutdown(Shutdown::Both);
}

fn endpoint(port: u16) -> Endpoint {
    Endpoint::new(
        format!("127.0.0.1:{port}").parse().unwrap(),
        Upgrade::None,
        TIMEOUT,
    )
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The test alone, offering TLS_RSA_WITH_AES_128_CBC_SHA with TLS 1.2; the connections used.
fn run(port: u16) -> (Result<Verdict, String>, usize) {
    let ep = endpoint(port);
    let v = runtime().block_on(robot::test(&ep, Version::Tls12, &[0x002F], None));
    (v, ep.handshakes())
}

fn alert(description: u8) -> Answer {
    Answer::Alert {
        level: 2,
        description,
        then: End::Closed,
    }
}

#[test]
fn openssl_s_server_with_rsa_key_exchange_answers_every_variant_alike() {
    let s = rsa_server("robot-rsa", RSA_AND_ECDHE);
    let (v, handshakes) = run(s.port);
    assert_eq!(
        v,
        Ok(Verdict::NotVulnerable {
            suite: 0x002F,
            answer: alert(BAD_RECORD_MAC)
        })
    );
    assert_eq!(handshakes, 5, "one connection per variant");

    let mut t = TlsTarget::new("127.0.0.1", s.port);
    t.timeout = TIMEOUT;
    let a = runtime().block_on(tls::assess(&t)).expect("assessed");
    assert_eq!(a.robot, Some(false), "{:?}", a.unreadable);
    let note = a.notes.iter().find(|n| n.starts_with("ROBOT")).unwrap();
    assert!(
        note.contains("5 ClientKeyExchange variants with TLSv1.2 TLS_RSA_WITH_")
            && note.contains("all got a bad_record_mac alert then a close"),
        "{note}"
    );
}

#[test]
fn ecdhe_only_is_not_applicable_and_costs_no_connection() {
    let s = rsa_server("robot-ecdhe", "ECDHE-RSA-AES128-GCM-SHA256");
    let mut t = TlsTarget::new("127.0.0.1", s.port);
    t.timeout = TIMEOUT;
    let a = runtime().block_on(tls::assess(&t)).expect("assessed");
    assert_eq!(a.robot, Some(false), "{:?}", a.unreadable);
    assert_eq!(robot::plan(&a.protocols), robot::Plan::NotApplicable);
    assert!(
        a.notes
            .iter()
            .any(|n| n.contains("ROBOT: not applicable, no RSA key exchange")),
        "{:?}",
        a.notes
    );
}

#[test]
fn a_padding_oracle_is_robot_confirmed_on_a_second_run() {
    let s = rsa_server("robot-oracle", RSA_AND_ECDHE);
    let (v, handshakes) = run(proxy(s.port, Peer::Oracle));
    let Ok(Verdict::Vulnerable { suite, answers }) = v else {
        panic!("expected vulnerable, got {v:?}");
    };
    assert_eq!(suite, 0x002F);
    assert_eq!(handshakes, 10, "five variants, run twice");
    for (variant, answer) in answers {
        let want = if variant == Variant::WrongFirstBytes {
            HANDSHAKE_FAILURE
        } else {
            BAD_RECORD_MAC
        };
        assert_eq!(answer, alert(want), "{variant:?}");
    }
}

/// The `tls-vuln-robot` finding of `safeguard tls` on `port`.
fn finding(port: u16) -> (serde_json::Value, serde_json::Value) {
    let target = format!("127.0.0.1:{port}");
    let v = support::safeguard_json(["tls", &target, "--format", "json", "--timeout", "2"]);
    (support::finding_of(&v, "tls-vuln-robot").clone(), v)
}

#[test]
fn the_oracle_fails_the_check_with_the_suite_and_the_answers_in_the_note() {
    let s = rsa_server("robot-oracle-cli", RSA_AND_ECDHE);
    let (f, v) = finding(proxy(s.port, Peer::Oracle));
    assert_eq!(f["status"], "fail", "{f:#}");
    assert_eq!(f["severity"], "high");
    let all = v.to_string();
    assert!(
        all.contains("ROBOT: with TLSv1.2 TLS_RSA_WITH_")
            && all.contains("wrong first bytes (41 17): a handshake_failure alert then a close")
            && all.contains("correct padding: a bad_record_mac alert then a close"),
        "{all}"
    );
}

#[test]
fn inconsistent_answers_are_an_error_with_what_was_seen_never_a_pass() {
    let s = rsa_server("robot-inconsistent", RSA_AND_ECDHE);
    let (f, _) = finding(proxy(s.port, Peer::Inconsistent));
    assert_eq!(f["status"], "error", "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(m.contains("inconsistent answers"), "{m}");
}

/// Go's crypto/tls configured like Mattermost's own listener: its default list holds
/// TLS_RSA_WITH_AES_128_GCM_SHA256 and TLS_RSA_WITH_AES_256_GCM_SHA384
/// (server/channels/app/server.go), so ROBOT runs, and Go answers every variant alike.
#[test]
fn mattermost_s_own_listener_offers_rsa_key_exchange_and_is_no_oracle() {
    let s = support::go_tls::start("rsa2048", &[]);
    let mut t = TlsTarget::new("127.0.0.1", s.port);
    t.timeout = TIMEOUT;
    let a = runtime().block_on(tls::assess(&t)).expect("assessed");
    assert!(
        matches!(robot::plan(&a.protocols), robot::Plan::Run(Version::Tls12, ref s) if s.contains(&0x009C)),
        "{:?}",
        a.protocols.tls1_2
    );
    assert_eq!(a.robot, Some(false), "{:?}", a.unreadable);
    let note = a.notes.iter().find(|n| n.starts_with("ROBOT")).unwrap();
    assert!(note.contains("all got"), "{note}");
}
