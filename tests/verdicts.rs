//! Verdicts that hold: scoring that does not overstate, references that cite the right
//! paragraph, and the verdict fixes of issue 9, each against the scanner binary.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

mod support;

fn safeguard() -> Command {
    let mut c = Command::cargo_bin("safeguard").expect("binary");
    c.env("NO_COLOR", "1").env("COLUMNS", "160");
    c
}

fn fixture(name: &str) -> PathBuf {
    support::fixture(&format!("mattermost/{name}"))
}

fn config(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Scans `cfg` (written to a scratch file) and returns (exit code, report).
fn scan(cfg: &Value, extra: &[&str]) -> (i32, Value) {
    let dir = support::scratch_dir("verdicts");
    let p = write(dir.path(), "config.json", &cfg.to_string());
    let out = safeguard()
        .args(["scan", "--format", "json", "--mattermost-config"])
        .arg(&p)
        .args(extra)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

fn finding<'a>(r: &'a Value, check: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == check)
        .unwrap_or_else(|| panic!("no finding for {check}"))
}

fn status(r: &Value, check: &str) -> String {
    finding(r, check)["status"].as_str().unwrap().to_owned()
}

fn paragraph(r: &Value, id: &str) -> String {
    r["scores"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no paragraph {id}"))["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_warn_does_not_make_a_paragraph_met() {
    let dir = support::scratch_dir("warnprof");
    std::fs::write(
        dir.path().join("one.yaml"),
        "title: One\nversion: 1\nstatus: in-force\nrequirements:\n  - id: p\n    title: P\n    designation: addressable\n    checks: [database-remote-unverified]\n",
    )
    .unwrap();
    let mut cfg = config("config-hardened.json");
    cfg["SqlSettings"]["DataSource"] =
        Value::from("postgres://u:pw@db.example:5432/mm?sslmode=require");
    let (_, r) = scan(
        &cfg,
        &[
            "--profiles-dir",
            dir.path().to_str().unwrap(),
            "--profile",
            "one",
        ],
    );
    assert_eq!(status(&r, "database-remote-unverified"), "warn");
    assert_eq!(paragraph(&r, "p"), "partially-met");
}

#[test]
fn pending_manual_items_cap_paragraphs_and_designations_are_scored_apart() {
    let (_, r) = scan(&config("config-hardened.json"), &[]);
    assert_eq!(status(&r, "access-local-mode"), "pass");
    // Local mode off is not unique user identification: its manual item is pending.
    assert_eq!(paragraph(&r, "164.312(a)(2)(i)"), "partially-met");
    let p = r["scores"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "164.312(a)(2)(i)")
        .unwrap();
    assert_eq!(p["manual_pending"][0], "unique-user-identification");
    // An export proves nothing about alteration: (c)(2) rests on its manual item.
    assert_eq!(paragraph(&r, "164.312(c)(2)"), "manual");
    assert!(
        !finding(&r, "compliance-export-enabled")["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "164.312(c)(2)")
    );
    let by = r["scores"]["by_designation"].as_array().unwrap();
    let req = by.iter().find(|d| d["designation"] == "required").unwrap();
    assert_eq!(req["paragraphs"], 4);
    assert!(by.iter().any(|d| d["designation"] == "addressable"));
}

#[test]
fn references_cite_the_right_paragraphs() {
    let checks = safeguard::check::load_builtin().unwrap();
    let refs = |id: &str| checks.get(id).unwrap().references.clone();
    assert!(
        !refs("storage-s3-sse")
            .iter()
            .any(|r| r.contains("164.310(d)(2)(iv)")),
        "164.310(d)(2)(iv) is about copies before equipment moves"
    );
    for id in [
        "integrity-api-post-deletion",
        "integrity-api-user-deletion",
        "integrity-api-channel-deletion",
        "integrity-api-team-deletion",
        "compliance-export-enabled",
    ] {
        assert!(
            !refs(id).iter().any(|r| r.contains("164.312(c)(2)")),
            "{id}: nothing here authenticates ePHI"
        );
    }
}
