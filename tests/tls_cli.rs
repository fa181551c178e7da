//! `safeguard tls` on the command line, and the evidence the TLS and HTTP probes give
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

/// The facts of one subject in a JSON report's evidence.
fn facts_of(v: &serde_json::Value, subject: &str) -> serde_json::Map<String, serde_json::Value> {
    v["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["subject"] == subject)
        .map(|f| (f["key"].as_str().unwrap().to_owned(), f["value"].clone()))
        .collect()
}

#[test]
fn json_output_is_the_report_with_findings_and_endpoint_evidence() {
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
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["profile"]["id"], "nist-800-52r2");
    let code = out.status.code();
    assert_eq!(
        code,
        Some(if v["gate"]["passed"] == true { 0 } else { 1 }),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    let subject = format!("tls://{}", s.addr());
    assert!(findings.iter().all(|f| f["subject"] == subject.as_str()));
    let facts = facts_of(&v, &subject);
    assert_eq!(facts["tls.protocol.tls1_3.accepted"], true);
    assert_eq!(facts["tls.protocol.tls1_0.accepted"], false);
    assert!(
        facts["tls.protocol.tls1_3.suites"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "TLS_AES_256_GCM_SHA384")
    );
    assert!(
        facts["tls.groups.accepted"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g == "x25519")
    );
    assert_eq!(facts["tls.cert.chain-valid"], true);
    let notes = v["evidence"]["attempts"][0]["notes"].to_string();
    assert!(notes.contains("handshakes"), "{notes}");
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
    assert!(matches!(out.status.code(), Some(0 | 1)));
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
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("error") && text.contains("INCOMPLETE"),
        "{text}"
    );
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
    assert_eq!(ev.attempts[0].covers, vec!["tls".to_owned()]);
    for f in &ev.facts {
        let spec = safeguard::catalogue::spec(f.key.as_str())
            .unwrap_or_else(|| panic!("undeclared fact {}", f.key));
        assert_eq!(f.subject.as_deref(), Some(s.addr().as_str()));
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
fn http_probe_reads_the_hygiene_of_the_site_url() {
    let s = modern();
    let url = url::Url::parse(&format!("https://127.0.0.1:{}/", s.port)).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ev = rt.block_on(safeguard::probe::http::collect(
        &url,
        Duration::from_secs(5),
    ));
    let subject = format!("https://127.0.0.1:{}", s.port);
    assert_eq!(ev.attempts[0].subject.as_deref(), Some(subject.as_str()));
    assert_eq!(ev.attempts[0].outcome, AttemptOutcome::Completed);
    assert_eq!(ev.attempts[0].covers, vec!["http".to_owned()]);
    // s_server -www sends no Strict-Transport-Security header.
    assert_eq!(
        ev.lookup("http.hsts.max-age", Some(&subject))
            .map(|f| f.value.clone()),
        Some(FactValue::Int(0))
    );
    assert!(ev.lookup("http.site-url", Some(&subject)).is_some());
}

#[test]
fn a_tls_1_0_server_fails_the_nist_gate() {
    let p = pki();
    let s = openssl_s_server(
        "tls10",
        &[
            "-cert",
            p.cert("rsa2048").to_str().unwrap(),
            "-key",
            p.key("rsa2048").to_str().unwrap(),
            "-tls1",
            "-cipher",
            "DEFAULT:@SECLEVEL=0",
        ],
    );
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
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["gate"]["passed"], false);
    let legacy = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "tls-protocol-legacy-tls")
        .expect("the legacy-TLS finding");
    assert_eq!(legacy["status"], "fail", "{legacy:#}");
    assert!(
        legacy["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r.as_str().unwrap().contains("3.1")),
        "{legacy:#}"
    );
}
