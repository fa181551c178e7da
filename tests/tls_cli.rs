//! `safeguard tls` on the command line, and the evidence `collect`/`collect_site` give
//! the scan, against a real s_server.
mod support;

use assert_cmd::Command;
use safeguard::evidence::{AttemptOutcome, FactValue};
use safeguard::probe::tls::{self, TlsTarget};
use std::time::Duration;
use support::openssl_s_server;
use support::pki::pki;

fn modern() -> support::ServerGuard {
    let p = pki();
    openssl_s_server(
        "modern",
        &[
            "-cert",
            p.cert("rsa2048").to_str().unwrap(),
            "-key",
            p.key("rsa2048").to_str().unwrap(),
            "-min_protocol",
            "TLSv1.2",
        ],
    )
}

#[test]
fn json_output_has_the_documented_shape() {
    let s = modern();
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .args([
            "tls",
            &s.addr(),
            "--format",
            "json",
            "--ca-file",
            pki().ca().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"] {
        assert!(v["protocols"][k]["accepted"].is_boolean(), "{k}");
        assert!(v["protocols"][k]["cipher_suites"].is_array(), "{k}");
    }
    assert_eq!(v["protocols"]["TLSv1.3"]["accepted"], true);
    assert_eq!(v["protocols"]["TLSv1.0"]["accepted"], false);
    assert!(
        v["groups"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == "x25519")
    );
    assert_eq!(v["certificate"]["chain_valid"], true);
    assert!(v["handshakes"].as_u64().unwrap() > 5);
}

#[test]
fn table_output_names_versions_and_suites() {
    let s = modern();
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(["tls", &s.addr()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("TLSv1.3") && text.contains("TLS_AES_256_GCM_SHA384"),
        "{text}"
    );
    assert!(
        !text.contains("\u{1b}["),
        "no colour when NO_COLOR is set or not a terminal"
    );
}

#[test]
fn unreachable_endpoint_exits_3_with_one_line() {
    let port = support::free_port();
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .args(["tls", &format!("127.0.0.1:{port}")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_input_exits_2() {
    for args in [
        vec!["tls", "no-port"],
        vec!["tls", "127.0.0.1:443", "--ca-file", "/nonexistent/ca.pem"],
    ] {
        let out = Command::cargo_bin("safeguard")
            .unwrap()
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn collect_gives_registered_facts_and_a_completed_attempt() {
    let s = modern();
    let mut t = TlsTarget::new("127.0.0.1", s.port);
    t.ca_file = Some(pki().ca());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ev = rt.block_on(tls::collect(&t, &s.addr()));
    assert_eq!(ev.attempts[0].outcome, AttemptOutcome::Completed);
    let declared: Vec<&str> = (tls::PROBE.facts)().iter().map(|f| f.key).collect();
    for f in &ev.facts {
        assert!(
            declared.contains(&f.key.as_str()),
            "undeclared fact {}",
            f.key
        );
        assert_eq!(f.subject.as_deref(), Some(s.addr().as_str()));
        let spec = (tls::PROBE.facts)()
            .into_iter()
            .find(|s| s.key == f.key.as_str())
            .unwrap();
        assert_eq!(spec.ty, f.value.fact_type(), "{}", f.key);
    }
    let get = |k: &str| ev.lookup(k, Some(&s.addr())).map(|f| f.value.clone());
    assert_eq!(
        get("tls.protocol.tls1_0.accepted"),
        Some(FactValue::Bool(false))
    );
    assert_eq!(
        get("tls.protocol.tls1_3.accepted"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(get("tls.cert.chain-valid"), Some(FactValue::Bool(true)));
    assert_eq!(get("tls.cert.key-bits"), Some(FactValue::Int(2048)));
    // OpenSSL picks a DH group as strong as the 2048-bit key.
    assert_eq!(get("tls.dhe.min-bits"), Some(FactValue::Int(2048)));
}

#[test]
fn collect_site_adds_http_hygiene_for_the_site_url() {
    let s = modern();
    let url = url::Url::parse(&format!("https://127.0.0.1:{}/", s.port)).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ev = rt.block_on(tls::collect_site(
        &url,
        Some(&pki().ca()),
        Duration::from_secs(5),
    ));
    let subject = format!("https://127.0.0.1:{}", s.port);
    assert_eq!(ev.attempts[0].subject.as_deref(), Some(subject.as_str()));
    assert_eq!(ev.attempts[0].outcome, AttemptOutcome::Completed);
    // s_server -www sends no Strict-Transport-Security header.
    assert_eq!(
        ev.lookup("http.hsts.max-age", Some(&subject))
            .map(|f| f.value.clone()),
        Some(FactValue::Int(0))
    );
    assert!(
        ev.lookup("tls.protocols.accepted", Some(&subject))
            .is_some()
    );
}
