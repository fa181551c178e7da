//! `safeguard ldap` end to end: one endpoint scanned under `hipaa-technical`'s endpoint
//! checks, with findings, gate and exit codes like `scan`, and the endpoint detail in the
//! table.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use support::slapd::{self, Variant};

fn safeguard() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_safeguard"));
    cmd.env("NO_COLOR", "1")
        .env("COLUMNS", "160")
        .timeout(std::time::Duration::from_secs(60));
    cmd
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn finding<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == id)
        .unwrap_or_else(|| panic!("no finding {id} in {v:#}"))
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
fn a_directory_that_refuses_cleartext_passwords_passes_that_check() {
    let s = slapd::start(Variant::TlsReq);
    let ca = support::pki::pki().ca();
    let out = safeguard()
        .args(["ldap", &s.ldap_url(), "--format", "json", "--ca-file"])
        .arg(&ca)
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["profile"]["id"], "hipaa-technical");
    assert_eq!(v["targets"][0]["kind"], "ldap");
    let expected = if v["gate"]["passed"] == true { 0 } else { 1 };
    assert_eq!(out.status.code(), Some(expected));
    assert_eq!(finding(&v, "ldap-cleartext-bind-refused")["status"], "pass");
    let subject = s.ldap_url();
    assert_eq!(fact(&v, &subject, "ldap.cleartext-bind.result-code"), 13);
    assert_eq!(fact(&v, &subject, "ldap.starttls.accepted"), true);
    assert_eq!(fact(&v, &subject, "tls.protocol.tls1_0.accepted"), false);
    // Only endpoint checks: no configuration setting is judged.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["subject"] == subject.as_str()),
        "{v:#}"
    );

    safeguard()
        .args(["ldap", &s.ldaps_url(), "--ca-file"])
        .arg(&ca)
        .assert()
        .stdout(predicate::str::contains(format!(
            "Endpoint {}",
            s.ldaps_url()
        )))
        .stdout(predicate::str::contains("TLSv1.3"))
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn a_directory_that_accepts_cleartext_passwords_fails_the_gate() {
    let s = slapd::start(Variant::Plain);
    let out = safeguard()
        .args(["ldap", &s.ldap_url(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    assert_eq!(finding(&v, "ldap-cleartext-bind-refused")["status"], "fail");
    assert_eq!(v["gate"]["passed"], false);

    safeguard()
        .args(["ldap", &s.ldap_url()])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ldap-cleartext-bind-refused"))
        .stdout(predicate::str::contains("Cleartext bind refused"))
        .stdout(predicate::str::contains("Gate FAILED"));
}

#[test]
fn bad_urls_are_usage_errors() {
    for url in [
        "http://127.0.0.1:389",
        "127.0.0.1:389",
        "ldap://h/dc=example,dc=org",
        "ldap://",
    ] {
        safeguard()
            .args(["ldap", url])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("safeguard: error:"));
    }
    safeguard()
        .args(["ldap", "ldap://127.0.0.1:389", "--timeout", "0"])
        .assert()
        .code(2);
    safeguard()
        .args([
            "ldap",
            "ldap://127.0.0.1:389",
            "--ca-file",
            "/nonexistent/ca.pem",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/nonexistent/ca.pem"));
    safeguard()
        .args(["ldap", "ldap://127.0.0.1:389", "--profile", "no-such"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown profile"));
}

#[test]
fn unreachable_and_hostile_endpoints_are_incomplete() {
    let closed = support::free_port();
    let http = support::fake_ldap::foreign(support::fake_ldap::Foreign::Http);
    for (url, says) in [
        (format!("ldap://127.0.0.1:{closed}"), "unreachable"),
        (format!("ldap://127.0.0.1:{http}"), "does not speak LDAP"),
        ("ldap://no-such-host.invalid".to_owned(), "cannot resolve"),
    ] {
        let out = safeguard()
            .args(["ldap", &url, "--timeout", "1", "--format", "json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{url}");
        let err = String::from_utf8(out.stderr.clone()).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&url) && err.contains(says), "{err}");
        let v = json_of(&out);
        assert_eq!(
            finding(&v, "ldap-cleartext-bind-refused")["status"],
            "error"
        );
    }
}

/// The directory accepts StartTLS and then closes: the TLS enumeration on that endpoint
/// fails, so every TLS check on it is `error` (not "not assessed"), and the run is
/// incomplete (exit 3) — the directory itself refuses cleartext binds, so nothing fails.
#[test]
fn a_failed_tls_enumeration_makes_the_tls_checks_errors_and_exits_3() {
    let port = support::fake_ldap::fake_ldap_answering_binds(
        support::fake_ldap::StartTlsBehaviour::AcceptThenClose,
        13,
    );
    let url = format!("ldap://127.0.0.1:{port}");
    let out = safeguard()
        .args(["scan", "--ldap", &url, "--timeout", "2", "--format", "json"])
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(out.status.code(), Some(3), "{v:#}");
    let tls: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["check_id"].as_str().unwrap().starts_with("tls-") && f["subject"] == url.as_str()
        })
        .collect();
    assert!(!tls.is_empty(), "no TLS finding on {url}: {v:#}");
    for f in tls {
        assert_eq!(f["status"], "error", "{f:#}");
        assert!(
            f["message"].as_str().unwrap().contains("tls-enumeration"),
            "{f:#}"
        );
    }
    safeguard()
        .args(["ldap", &url, "--timeout", "2"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("INCOMPLETE"))
        .stderr(predicate::str::contains("safeguard: incomplete:"));
}
