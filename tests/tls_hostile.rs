//! Hostile and broken peers: each gives a clear error for that endpoint within the
//! timeout, and nothing panics. The peers are small servers written here.
mod support;

use safeguard::probe::tls::{self, TlsTarget};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(2);

/// A server on 127.0.0.1 that runs `handle` on every connection, each in its own thread.
fn hostile(handle: fn(TcpStream)) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || handle(s));
        }
    });
    port
}

fn assess_err(host: &str, port: u16) -> String {
    let mut t = TlsTarget::new(host, port);
    t.timeout = TIMEOUT;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let start = Instant::now();
    let r = rt.block_on(tls::assess(&t));
    let took = start.elapsed();
    assert!(took < TIMEOUT * 2 + Duration::from_secs(1), "took {took:?}");
    match r {
        Ok(a) => panic!("expected an error, got {a:?}"),
        Err(e) => e.to_string(),
    }
}

fn read_hello(s: &mut TcpStream) {
    let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
    let mut buf = [0u8; 4096];
    let _ = s.read(&mut buf);
}

fn server_hello_record() -> Vec<u8> {
    let mut body = vec![0x03, 0x03];
    body.extend([0x11; 32]);
    body.extend([0, 0xC0, 0x2F, 0, 0, 0]);
    let mut hs = vec![2, 0, 0, body.len() as u8];
    hs.extend(body);
    let mut rec = vec![22, 3, 3, 0, hs.len() as u8];
    rec.extend(hs);
    rec
}

#[test]
fn closed_port() {
    let port = support::free_port();
    let e = assess_err("127.0.0.1", port);
    assert!(
        e.contains("cannot connect") && e.contains(&port.to_string()),
        "{e}"
    );
}

#[test]
fn reset() {
    let port = hostile(|mut s| {
        // Unread data at close makes the kernel send RST.
        std::thread::sleep(Duration::from_millis(50));
        let _ = s.write(&[]);
        drop(s);
    });
    let e = assess_err("127.0.0.1", port);
    assert!(
        e.contains("reset") || e.contains("no protocol version"),
        "{e}"
    );
}

#[test]
fn accepts_and_never_answers() {
    let port = hostile(|mut s| {
        read_hello(&mut s);
        std::thread::sleep(Duration::from_secs(6));
    });
    let e = assess_err("127.0.0.1", port);
    assert!(e.contains("no answer") && e.contains("2.0 s"), "{e}");
}

#[test]
fn garbage() {
    let port = hostile(|mut s| {
        read_hello(&mut s);
        let _ = s.write_all(b"\x00\x01\x02\x03 this is not TLS at all");
    });
    let e = assess_err("127.0.0.1", port);
    assert!(e.contains("not TLS"), "{e}");
}

#[test]
fn truncated_record() {
    let port = hostile(|mut s| {
        read_hello(&mut s);
        let _ = s.write_all(&[22, 3, 3, 0, 80, 2, 0, 0, 70, 3, 3]);
    });
    let e = assess_err("127.0.0.1", port);
    assert!(e.contains("truncated"), "{e}");
}

#[test]
fn alert_to_everything() {
    let port = hostile(|mut s| {
        read_hello(&mut s);
        let _ = s.write_all(&[21, 3, 3, 0, 2, 2, 40]);
    });
    let e = assess_err("127.0.0.1", port);
    assert!(
        e.contains("no protocol version accepted") && e.contains("handshake_failure"),
        "{e}"
    );
}

#[test]
fn oversized_certificate_chain() {
    let port = hostile(|mut s| {
        read_hello(&mut s);
        let mut out = server_hello_record();
        // A Certificate message announcing 8 MiB, then as much of it as fits in a record.
        let mut frag = vec![11, 0x80, 0, 0];
        frag.extend(vec![0x30; 16000]);
        out.extend([22, 3, 3]);
        out.extend((frag.len() as u16).to_be_bytes());
        out.extend(frag);
        let _ = s.write_all(&out);
        std::thread::sleep(Duration::from_millis(500));
    });
    let e = assess_err("127.0.0.1", port);
    assert!(
        e.contains("certificate chain of 8388608 bytes exceeds"),
        "{e}"
    );
}

#[test]
fn plain_http_on_the_tls_port() {
    let port = hostile(|mut s| {
        read_hello(&mut s);
        let _ = s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
    });
    let e = assess_err("127.0.0.1", port);
    assert!(e.contains("plain HTTP"), "{e}");
}

#[test]
fn name_that_does_not_resolve() {
    let e = assess_err("no-such-host.invalid", 443);
    assert!(e.contains("cannot resolve no-such-host.invalid"), "{e}");
}

#[test]
fn collect_turns_a_failure_into_a_failed_attempt() {
    let port = support::free_port();
    let mut t = TlsTarget::new("127.0.0.1", port);
    t.timeout = TIMEOUT;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ev = rt.block_on(tls::collect(&t, "127.0.0.1:1"));
    assert!(ev.facts.is_empty());
    assert_eq!(ev.attempts.len(), 1);
    assert!(
        matches!(&ev.attempts[0].outcome, safeguard::evidence::AttemptOutcome::Failed { reason } if reason.contains("cannot connect"))
    );
}
