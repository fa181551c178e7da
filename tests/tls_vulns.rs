//! Active vulnerability tests (Heartbleed, CCS injection): a real openssl s_server comes out not
//! vulnerable, and small fake servers written here play the vulnerable and the patched
//! peer, so the verdicts are proven without an old OpenSSL.
mod support;

use safeguard::probe::tls::ccs;
use safeguard::probe::tls::connection::Endpoint;
use safeguard::probe::tls::heartbleed::{self, Verdict};
use safeguard::probe::tls::version::Version;
use safeguard::probe::tls::{self, TlsTarget, Upgrade};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};
use support::openssl_s_server;
use support::pki::pki;

const TIMEOUT: Duration = Duration::from_secs(2);

/// How the fake server treats the heartbeat.
#[derive(Clone, Copy)]
enum Peer {
    /// Echoes the extension and answers with as many bytes as the request claims.
    Vulnerable,
    /// Echoes the extension and discards the over-claiming request (RFC 6520 §4).
    Discards,
    /// Echoes the extension and alerts.
    Alerts,
    /// Does not echo the extension.
    NoHeartbeat,
    /// Takes the early ChangeCipherSpec and fails to decrypt what follows.
    CcsAccepted,
    /// Says nothing after the early ChangeCipherSpec.
    CcsSilent,
}

fn fake(peer: Peer) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || serve(s, peer));
        }
    });
    port
}

/// Reads one whole TLS record (header and body).
fn read_record(s: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    let mut h = [0u8; 5];
    s.read_exact(&mut h).ok()?;
    let mut body = vec![0u8; u16::from_be_bytes([h[3], h[4]]) as usize];
    s.read_exact(&mut body).ok()?;
    Some((h[0], body))
}

fn flight(heartbeat: bool) -> Vec<u8> {
    let mut exts: Vec<u8> = vec![0xFF, 0x01, 0x00, 0x01, 0x00]; // renegotiation_info
    if heartbeat {
        exts.extend([0x00, 0x0F, 0x00, 0x01, 0x01]);
    }
    let mut body = vec![0x03, 0x03];
    body.extend([0x11; 32]);
    body.extend([0, 0xC0, 0x2F, 0]); // no session id, suite, null compression
    body.extend((exts.len() as u16).to_be_bytes());
    body.extend(exts);
    let mut hs = vec![2, 0, 0, body.len() as u8];
    hs.extend(body);
    hs.extend([14, 0, 0, 0]); // ServerHelloDone
    let mut rec = vec![22, 3, 3, 0, hs.len() as u8];
    rec.extend(hs);
    rec
}

fn serve(mut s: TcpStream, peer: Peer) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(3)));
    let Some((22, _hello)) = read_record(&mut s) else {
        return;
    };
    let _ = s.write_all(&flight(!matches!(peer, Peer::NoHeartbeat)));
    let Some((typ, req)) = read_record(&mut s) else {
        return;
    };
    if typ == 20 {
        match peer {
            Peer::CcsAccepted => {
                let _ = read_record(&mut s);
                let _ = s.write_all(&[21, 3, 3, 0, 2, 2, 20]); // bad_record_mac
            }
            Peer::CcsSilent => std::thread::sleep(TIMEOUT + Duration::from_secs(1)),
            _ => {
                let _ = s.write_all(&[21, 3, 3, 0, 2, 2, 10]); // unexpected_message
            }
        }
        std::thread::sleep(Duration::from_millis(300));
        return;
    }
    if typ != 24 {
        return;
    }
    let claimed = u16::from_be_bytes([req[1], req[2]]) as usize;
    match peer {
        Peer::Vulnerable => {
            // type, length, "memory" as long as claimed, 16 bytes of padding
            let mut msg = vec![2];
            msg.extend((claimed as u16).to_be_bytes());
            msg.extend(std::iter::repeat_n(0xAA, claimed + 16));
            let mut rec = vec![24, 3, 3];
            rec.extend((msg.len() as u16).to_be_bytes());
            rec.extend(msg);
            let _ = s.write_all(&rec);
            std::thread::sleep(Duration::from_millis(500));
        }
        Peer::Discards => std::thread::sleep(TIMEOUT + Duration::from_secs(1)),
        Peer::Alerts => {
            let _ = s.write_all(&[21, 3, 3, 0, 2, 2, 10]);
        }
        _ => {}
    }
}

fn endpoint(port: u16) -> Endpoint {
    Endpoint::new(
        format!("127.0.0.1:{port}").parse().unwrap(),
        Upgrade::None,
        TIMEOUT,
    )
}

fn run_ccs(port: u16) -> Result<ccs::Verdict, String> {
    let ep = endpoint(port);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let v = rt.block_on(ccs::test(&ep, Version::Tls12, &[0xC02F], None));
    assert_eq!(ep.handshakes(), 1, "one connection per test");
    v
}

#[test]
fn ccs_accepted_early_is_ccs_injection() {
    assert_eq!(
        run_ccs(fake(Peer::CcsAccepted)),
        Ok(ccs::Verdict::Vulnerable { alert: 20 })
    );
}

#[test]
fn ccs_refused_with_unexpected_message_is_not_vulnerable() {
    assert!(matches!(
        run_ccs(fake(Peer::Alerts)),
        Ok(ccs::Verdict::NotVulnerable { .. })
    ));
}

#[test]
fn silence_after_an_early_ccs_is_not_judged() {
    let r = run_ccs(fake(Peer::CcsSilent));
    assert!(
        matches!(&r, Err(seen) if seen.contains("not judged")),
        "{r:?}"
    );
}

fn run(port: u16) -> Result<Verdict, String> {
    let ep = Endpoint::new(
        format!("127.0.0.1:{port}").parse().unwrap(),
        Upgrade::None,
        TIMEOUT,
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let start = Instant::now();
    let v = rt.block_on(heartbleed::test(&ep, Version::Tls12, &[0xC02F], None));
    assert!(start.elapsed() < TIMEOUT * 2 + Duration::from_secs(1));
    assert_eq!(ep.handshakes(), 1, "one connection per test");
    v
}

#[test]
fn an_oversized_heartbeat_response_is_heartbleed_and_only_its_length_is_kept() {
    match run(fake(Peer::Vulnerable)) {
        Ok(Verdict::Vulnerable { response_len }) => assert_eq!(response_len, 3 + 64 + 16),
        other => panic!("expected vulnerable, got {other:?}"),
    }
}

#[test]
fn a_discarded_request_is_not_vulnerable() {
    match run(fake(Peer::Discards)) {
        Ok(Verdict::NotVulnerable { answer }) => assert!(answer.contains("no answer"), "{answer}"),
        other => panic!("expected not vulnerable, got {other:?}"),
    }
}

#[test]
fn an_alert_is_not_vulnerable() {
    match run(fake(Peer::Alerts)) {
        Ok(Verdict::NotVulnerable { answer }) => assert!(answer.contains("alert"), "{answer}"),
        other => panic!("expected not vulnerable, got {other:?}"),
    }
}

#[test]
fn without_the_extension_no_request_is_sent() {
    assert_eq!(run(fake(Peer::NoHeartbeat)), Ok(Verdict::NotNegotiated));
}

#[test]
fn openssl_s_server_is_not_vulnerable() {
    let p = pki();
    let s = openssl_s_server(
        "heartbleed",
        &[
            "-cert",
            p.cert("rsa2048").to_str().unwrap(),
            "-key",
            p.key("rsa2048").to_str().unwrap(),
        ],
    );
    let mut t = TlsTarget::new("127.0.0.1", s.port);
    t.timeout = TIMEOUT;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let a = rt.block_on(tls::assess(&t)).expect("assessed");
    assert_eq!(a.heartbleed, Some(false), "{:?}", a.unreadable);
    assert_eq!(a.ccs_injection, Some(false), "{:?}", a.unreadable);
}
