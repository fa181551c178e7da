//! The one-screen table: what a person sees first, and what it leaves out.

use assert_cmd::Command;
use serde_json::Value;

mod support;

fn scan(columns: &str, extra: &[&str]) -> (i32, String) {
    let cfg = support::fixture("mattermost/config-default.json");
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .env("NO_COLOR", "1")
        .env("COLUMNS", columns)
        .arg("scan")
        .arg("--mattermost-config")
        .arg(&cfg)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

fn failing_checks() -> Vec<String> {
    let cfg = support::fixture("mattermost/config-default.json");
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .args(["scan", "--format", "json", "--mattermost-config"])
        .arg(&cfg)
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| f["check_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn default_config_fits_one_screen_with_the_gate_and_every_failure() {
    let (code, text) = scan("100", &[]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 60, "{} lines:\n{text}", lines.len());
    for l in &lines {
        assert!(l.chars().count() <= 100, "too wide: {l}");
    }
    // Summary first: the gate is in the first lines, before any finding.
    let gate = lines
        .iter()
        .position(|l| l.starts_with("Gate FAILED"))
        .unwrap();
    assert!(gate < 6, "{text}");
    assert!(text.contains("164.312(a)(2)(iii)") && text.contains("PARTIALLY MET"));
    let failing = failing_checks();
    assert!(failing.len() >= 10);
    for c in failing {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("FAIL ") && l.contains(&format!(" {c} "))),
            "{c} not listed:\n{text}"
        );
    }
    // Passes are counted, not listed; not-assessed checks are grouped by the input that
    // would assess them.
    assert!(!text.contains("PASS "));
    assert!(
        text.contains("Not listed:   ") && text.contains(" pass, "),
        "{text}"
    );
    assert!(
        text.contains("TLS/HTTP endpoint checks — add --url"),
        "{text}"
    );
    assert!(text.contains("LDAP endpoint checks — add --ldap"), "{text}");
    // The fix names the setting when the sentence does not.
    assert!(
        text.contains("push-notification-contents → EmailSettings.PushNotificationContents:"),
        "{text}"
    );
    assert!(!text.contains('\u{1b}'), "no colour without a terminal");
}

#[test]
fn show_all_lists_passes_and_not_assessed_and_wide_terminals_get_full_text() {
    let (_, text) = scan("200", &["--show", "all"]);
    assert!(text.contains("PASS "), "{text}");
    assert!(text.contains("NOT-ASSESSED"), "{text}");
    assert!(text.contains("NOT-APPLICABLE"), "{text}");
    assert!(text.contains("Manual items awaiting attestation"), "{text}");
    // Full messages, with the expectation, at this width.
    assert!(text.contains("expected ≤ 15"), "{text}");
    let (_, some) = scan("100", &["--show", "pass"]);
    assert!(some.contains("PASS ") && !some.contains("NOT-APPLICABLE"));
}

#[test]
fn narrow_terminals_are_respected_and_bad_show_values_refused() {
    let (_, text) = scan("60", &[]);
    for l in text.lines() {
        assert!(l.chars().count() <= 60, "too wide: {l}");
    }
    let (code, _) = scan("100", &["--show", "everything"]);
    assert_eq!(code, 2);
}
