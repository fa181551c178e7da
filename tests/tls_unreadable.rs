//! A fact whose test ran but whose answer could not be read is `error` with what was
//! seen, not "the probe did not run": the fallback-SCSV test against a server that closes
//! without an alert (Samba as an AD DC does this), here an `openssl s_server` behind a
//! small proxy that drops every hello carrying TLS_FALLBACK_SCSV.

mod support;

use assert_cmd::Command;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::time::Duration;
use support::openssl_s_server;
use support::pki::pki;

/// Whether a TLS record holding a ClientHello lists TLS_FALLBACK_SCSV (0x5600).
fn offers_fallback_scsv(rec: &[u8]) -> bool {
    // record header 5, handshake header 4, version 2, random 32
    let mut i = 5 + 4 + 2 + 32;
    let Some(&sid) = rec.get(i) else { return false };
    i += 1 + usize::from(sid);
    let Some(len) = rec.get(i..i + 2) else {
        return false;
    };
    let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
    i += 2;
    rec.get(i..i + len)
        .is_some_and(|s| s.chunks(2).any(|c| c == [0x56, 0x00]))
}

/// A proxy to `upstream` that closes, without a byte, every connection whose hello
/// offers the fallback SCSV.
fn scsv_dropper(upstream: u16) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut head = vec![0u8; 5];
                let mut c = client;
                if c.read_exact(&mut head).is_err() {
                    return;
                }
                let len = usize::from(u16::from_be_bytes([head[3], head[4]]));
                let mut body = vec![0u8; len];
                if c.read_exact(&mut body).is_err() {
                    return;
                }
                head.extend_from_slice(&body);
                if head[0] == 0x16 && offers_fallback_scsv(&head) {
                    return; // close without an alert
                }
                let Ok(mut s) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    return;
                };
                use std::io::Write;
                if s.write_all(&head).is_err() {
                    return;
                }
                let (mut c2, mut s2) = (c.try_clone().unwrap(), s.try_clone().unwrap());
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut s2, &mut c2);
                    let _ = c2.shutdown(std::net::Shutdown::Both);
                });
                let _ = std::io::copy(&mut c, &mut s);
                let _ = s.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    port
}

#[test]
fn fallback_scsv_closed_without_an_alert_is_an_error_with_what_was_seen() {
    let p = pki();
    let cert = p.cert("rsa2048").to_string_lossy().into_owned();
    let key = p.key("rsa2048").to_string_lossy().into_owned();
    let s = openssl_s_server(
        "tls12-13",
        &["-cert", &cert, "-key", &key, "-min_protocol", "TLSv1.2"],
    );
    let port = scsv_dropper(s.port);
    let out = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args([
            "tls",
            &format!("127.0.0.1:{port}"),
            "--format",
            "json",
            "--ca-file",
        ])
        .arg(p.ca())
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "tls-fallback-scsv")
        .unwrap_or_else(|| panic!("no tls-fallback-scsv finding: {v:#}"));
    assert_eq!(f["status"], "error", "{f:#}");
    let m = f["message"].as_str().unwrap();
    assert!(m.contains("close without any alert"), "{m}");
    // Ground truth: s_client with -fallback_scsv through the proxy gets no handshake,
    // and straight to the server gets inappropriate_fallback.
    let st = std::process::Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-tls1_2",
            "-fallback_scsv",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&st.stdout).contains("Cipher is ECDHE"));
    let st = std::process::Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &format!("127.0.0.1:{}", s.port),
            "-tls1_2",
            "-fallback_scsv",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&st.stderr).contains("inappropriate fallback"));
    // Everything else about the endpoint still holds.
    let other = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "tls-protocol-tls13")
        .unwrap();
    assert_eq!(other["status"], "pass", "{other:#}");
}
