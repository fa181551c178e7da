//! SMTP STARTTLS (RFC 3207) and the hops the configuration names: a small SMTP front
//! written here (greeting, EHLO, STARTTLS, then the socket handed to an `openssl s_server`
//! behind it) is enumerated like any TLS endpoint; without STARTTLS in its EHLO reply the
//! hop fails `tls-starttls-offered`. Ground truth: `openssl s_client` per suite on the
//! TLS server itself, and one `s_client -starttls smtp` handshake through the front.

mod support;
mod tls_truth;

use assert_cmd::Command;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;
use support::openssl_s_server;
use support::pki::pki;
use tls_truth::openssl_truth;

/// An SMTP server on 127.0.0.1 that offers STARTTLS (or not) and, after `220`, pipes the
/// connection to the TLS server on `upstream`.
fn smtp_front(upstream: u16, offer_starttls: bool) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming().flatten() {
            std::thread::spawn(move || serve(c, upstream, offer_starttls));
        }
    });
    port
}

fn serve(mut c: TcpStream, upstream: u16, offer_starttls: bool) {
    let _ = c.set_read_timeout(Some(Duration::from_secs(20)));
    if c.write_all(b"220 mail.test ESMTP ready\r\n").is_err() {
        return;
    }
    let mut reader = BufReader::new(c.try_clone().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let cmd = line.trim().to_ascii_uppercase();
        if cmd.starts_with("EHLO") {
            let mut reply = String::from("250-mail.test\r\n250-SIZE 10240000\r\n");
            if offer_starttls {
                reply.push_str("250-STARTTLS\r\n");
            }
            reply.push_str("250 8BITMIME\r\n");
            if c.write_all(reply.as_bytes()).is_err() {
                return;
            }
        } else if cmd == "STARTTLS" && offer_starttls {
            if c.write_all(b"220 2.0.0 Ready to start TLS\r\n").is_err() {
                return;
            }
            break;
        } else if cmd == "QUIT" {
            let _ = c.write_all(b"221 bye\r\n");
            return;
        } else if c.write_all(b"502 5.5.2 not here\r\n").is_err() {
            return;
        }
    }
    let Ok(s) = TcpStream::connect(("127.0.0.1", upstream)) else {
        return;
    };
    let (mut c2, mut s2) = (c.try_clone().unwrap(), s.try_clone().unwrap());
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut s2, &mut c2);
        let _ = c2.shutdown(std::net::Shutdown::Both);
    });
    let mut s = s;
    // Anything the reader buffered (nothing, in a well-behaved client) goes first.
    let _ = s.write_all(reader.buffer());
    let _ = std::io::copy(&mut c, &mut s);
    let _ = s.shutdown(std::net::Shutdown::Both);
}

fn tls_server() -> support::ServerGuard {
    let p = pki();
    let cert = p.cert("rsa2048").to_string_lossy().into_owned();
    let key = p.key("rsa2048").to_string_lossy().into_owned();
    openssl_s_server(
        "smtp-backend",
        &[
            "-cert",
            &cert,
            "-key",
            &key,
            "-min_protocol",
            "TLSv1.2",
            "-cipher",
            "ECDHE+AESGCM:AES256-SHA",
        ],
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn finding<'a>(v: &'a serde_json::Value, id: &str, subject: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == id && f["subject"] == subject)
        .unwrap_or_else(|| panic!("no finding {id} on {subject} in {v:#}"))
}

fn fact<'a>(v: &'a serde_json::Value, subject: &str, key: &str) -> &'a serde_json::Value {
    v["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["subject"] == subject && f["key"] == key)
        .map(|f| &f["value"])
        .unwrap_or(&serde_json::Value::Null)
}

#[test]
fn smtp_starttls_is_enumerated_like_any_tls_endpoint() {
    let backend = tls_server();
    let port = smtp_front(backend.port, true);
    let ca = pki().ca().to_string_lossy().into_owned();
    let target = format!("127.0.0.1:{port}");
    let v = json(&[
        "tls",
        &target,
        "--starttls",
        "smtp",
        "--format",
        "json",
        "--ca-file",
        &ca,
        "--profile",
        "hipaa-technical",
    ]);
    let subject = format!("smtp://{target}");
    assert_eq!(fact(&v, &subject, "tls.upgrade"), "smtp-start-tls");
    assert_eq!(fact(&v, &subject, "tls.starttls.offered"), true);
    assert_eq!(
        finding(&v, "tls-starttls-offered", &subject)["status"],
        "pass"
    );
    // The suites found through STARTTLS are the TLS server's, per s_client on it directly.
    let truth = openssl_truth(backend.port);
    let mut found = std::collections::BTreeSet::new();
    for (key, name) in [
        ("tls.protocol.tls1_2.suites", "TLSv1.2"),
        ("tls.protocol.tls1_3.suites", "TLSv1.3"),
    ] {
        for s in fact(&v, &subject, key).as_array().into_iter().flatten() {
            found.insert((name.to_owned(), s.as_str().unwrap().to_owned()));
        }
    }
    assert_eq!(found, truth);
    // And the SMTP dialogue is one openssl speaks too.
    let out = std::process::Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            &target,
            "-starttls",
            "smtp",
            "-brief",
        ])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("CONNECTION ESTABLISHED"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_mail_server_without_starttls_fails_that_check_and_errors_the_rest() {
    let backend = tls_server();
    let port = smtp_front(backend.port, false);
    let target = format!("127.0.0.1:{port}");
    let v = json(&[
        "tls",
        &target,
        "--starttls",
        "smtp",
        "--format",
        "json",
        "--profile",
        "hipaa-technical",
    ]);
    let subject = format!("smtp://{target}");
    assert_eq!(fact(&v, &subject, "tls.starttls.offered"), false);
    assert_eq!(
        finding(&v, "tls-starttls-offered", &subject)["status"],
        "fail"
    );
    let f = finding(&v, "tls-protocol-ssl", &subject);
    assert_eq!(f["status"], "error", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("does not offer STARTTLS")
    );
}

#[test]
fn the_configured_smtp_hop_is_its_own_subject() {
    let backend = tls_server();
    let port = smtp_front(backend.port, true);
    let mut config: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(support::fixture("mattermost/config-default.json")).unwrap(),
    )
    .unwrap();
    // Loopback only: every other hop the default config names is blanked.
    config["EmailSettings"]["SMTPServer"] = "127.0.0.1".into();
    config["EmailSettings"]["SMTPPort"] = port.to_string().into();
    config["EmailSettings"]["ConnectionSecurity"] = "STARTTLS".into();
    config["EmailSettings"]["PushNotificationServer"] = "".into();
    config["ElasticsearchSettings"]["ConnectionURL"] = "".into();
    config["ServiceSettings"]["SiteURL"] = "".into();
    let dir = support::scratch_dir("smtp-hop");
    let path = dir.path().join("config.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&config).unwrap()).unwrap();
    let ca = pki().ca().to_string_lossy().into_owned();
    let v = json(&[
        "scan",
        "--mattermost-config",
        path.to_str().unwrap(),
        "--probe-configured-endpoints",
        "--ca-file",
        &ca,
        "--format",
        "json",
    ]);
    let subject = format!("smtp://127.0.0.1:{port}");
    assert_eq!(
        finding(&v, "tls-starttls-offered", &subject)["status"],
        "pass"
    );
    assert_eq!(finding(&v, "tls-protocol-ssl", &subject)["status"], "pass");
    assert_eq!(
        finding(&v, "tls-cert-chain-valid", &subject)["status"],
        "pass"
    );
}
