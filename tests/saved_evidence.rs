//! Saved evidence is evidence: the JSON report of a live scan, read back and assessed
//! again, gives exactly the findings, scores and gate of the live run — endpoint facts,
//! failed attempts and all — because evaluation reads only the evidence.

mod support;

use assert_cmd::Command;
use safeguard::assess;
use safeguard::check::Severity;
use support::slapd::{self, Variant};

#[test]
fn a_saved_report_reassesses_to_the_same_findings() {
    let s = slapd::start(Variant::Plain);
    let closed = support::free_port();
    let out = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "scan",
            "--mattermost-config",
            "tests/fixtures/mattermost/config-default.json",
            "--ldap",
            &s.ldap_url(),
            "--ldap",
            &format!("ldap://127.0.0.1:{closed}"),
            "--timeout",
            "2",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let live = safeguard::report::read_json(&text).expect("the report reads back");
    let statuses: Vec<&str> = live
        .findings
        .iter()
        .map(|f| f.finding.status.as_str())
        .collect();
    assert!(statuses.contains(&"error"), "the closed port gives errors");
    assert!(statuses.contains(&"fail"));

    let content = safeguard::scan::load_content(None, None).unwrap();
    let profile = content.profile("hipaa-technical").unwrap();
    let again = assess::assess(profile, &content.checks, &live.evidence, Severity::Low);
    assert_eq!(again.findings, live.findings);
    assert_eq!(again.scores, live.scores);
    assert_eq!(again.gate, live.gate);

    // The same evidence through the `report` command, re-rendered.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("scan.json");
    std::fs::write(&saved, &text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(["report"])
        .arg(&saved)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rerendered = safeguard::report::read_json(&String::from_utf8(out.stdout).unwrap()).unwrap();
    assert_eq!(rerendered.findings, live.findings);
}

#[test]
fn a_report_of_another_schema_is_refused() {
    let err = safeguard::report::read_json(r#"{"schema_version": 99}"#).unwrap_err();
    assert!(err.contains("99"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("scan.json");
    std::fs::write(&saved, r#"{"schema_version": 99}"#).unwrap();
    Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(["report"])
        .arg(&saved)
        .assert()
        .code(2);
}
