//! `safeguard ldap` end to end: exit codes, the one-line error, table and JSON output.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use support::slapd::{self, Variant};

fn safeguard() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_safeguard"));
    cmd.env("NO_COLOR", "1")
        .timeout(std::time::Duration::from_secs(30));
    cmd
}

#[test]
fn assesses_a_directory_as_json_and_table() {
    let s = slapd::start(Variant::TlsReq);
    let ca = support::pki::pki().ca();
    let out = safeguard()
        .args(["ldap", &s.ldap_url(), "--format", "json", "--ca-file"])
        .arg(&ca)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).expect("JSON");
    assert_eq!(v["endpoint"], s.ldap_url());
    assert_eq!(v["scheme"], "ldap");
    assert_eq!(v["cleartext_bind"]["result_code"], 13);
    assert_eq!(v["cleartext_bind"]["refused"], true);
    assert_eq!(v["starttls"]["accepted"], true);
    assert_eq!(v["starttls"]["certificate"]["valid"], true);
    assert_eq!(v["tls"]["upgrade"], "ldap-start-tls");
    assert_eq!(v["tls"]["protocols"]["TLSv1.0"]["accepted"], false);
    assert_eq!(v["errors"], serde_json::json!([]));

    safeguard()
        .args(["ldap", &s.ldaps_url(), "--ca-file"])
        .arg(&ca)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("certificate (LDAPS)"))
        .stdout(predicate::str::contains("not tested (LDAPS port)"))
        .stdout(predicate::str::contains("\x1b[").not());
}

#[test]
fn cleartext_binds_show_in_the_table() {
    let s = slapd::start(Variant::Plain);
    safeguard()
        .args(["ldap", &s.ldap_url()])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "evaluated: passwords are accepted in the clear (rc 49 invalidCredentials)",
        ))
        // Without --ca-file the test CA is unknown: reported, not fatal.
        .stdout(predicate::str::contains("NOT valid"));
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
            .assert()
            .code(3)
            .stdout("")
            .get_output()
            .stderr
            .clone();
        let err = String::from_utf8(out).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(&url) && err.contains(says), "{err}");
    }
}

#[test]
fn a_failed_step_is_incomplete_with_output() {
    let port =
        support::fake_ldap::fake_ldap(support::fake_ldap::StartTlsBehaviour::AcceptThenClose);
    safeguard()
        .args([
            "ldap",
            &format!("ldap://127.0.0.1:{port}"),
            "--timeout",
            "1",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("error (starttls)"))
        .stderr(
            predicate::str::contains("safeguard: incomplete:")
                .and(predicate::str::contains("StartTLS failed")),
        );
}
