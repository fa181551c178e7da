//! Waivers, attestations, signed reports, diffs and regression gating, on the command
//! line against the default config fixture.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn safeguard() -> Command {
    let mut c = Command::cargo_bin("safeguard").unwrap();
    c.env("NO_COLOR", "1").env("COLUMNS", "100");
    c
}

fn config() -> PathBuf {
    support::fixture("mattermost/config-default.json")
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Scans the default config to JSON with extra flags; (exit code, report, stderr).
fn scan(cfg: &Path, extra: &[&str]) -> (i32, Value, String) {
    let out = safeguard()
        .args(["scan", "--format", "json", "--mattermost-config"])
        .arg(cfg)
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v, err)
}

fn finding<'a>(r: &'a Value, check: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == check)
        .unwrap()
}

const WAIVERS: &str = "waivers:
  - check: session-length-mobile
    justification: Kiosk tablets are locked by MDM after 5 minutes
    approved_by: Privacy Officer
    expires: \"2999-12-31\"
  - check: audit-logging-enabled
    justification: We would rather not
    approved_by: CTO
    expires: \"2999-12-31\"
  - check: session-length-web
    justification: Old exception
    approved_by: CTO
    expires: \"2020-01-01\"
  - check: access-open-server
    justification: Passes anyway
    approved_by: CTO
    expires: \"2999-01-01\"
";

#[test]
fn waivers_keep_the_status_refuse_required_paragraphs_and_report_expired_and_unmatched() {
    let dir = support::scratch_dir("waivers");
    let w = write(dir.path(), "waivers.yaml", WAIVERS);
    let (code, r, _) = scan(&config(), &["--waivers", w.to_str().unwrap()]);
    assert_eq!(code, 1, "other failures still fail the gate");
    let states: Vec<(&str, &str)> = r["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["check"].as_str().unwrap(), w["state"].as_str().unwrap()))
        .collect();
    assert_eq!(
        states,
        [
            ("session-length-mobile", "applied"),
            ("audit-logging-enabled", "refused"),
            ("session-length-web", "expired"),
            ("access-open-server", "unmatched"),
        ]
    );
    let refused = &r["waivers"][1]["reason"];
    assert!(
        refused.as_str().unwrap().contains("164.312(b)")
            && refused.as_str().unwrap().contains("required"),
        "{refused}"
    );
    // The waived finding keeps its status, with the waiver beside it.
    let mobile = finding(&r, "session-length-mobile");
    assert_eq!(mobile["status"], "fail");
    assert_eq!(mobile["waiver"]["approved_by"], "Privacy Officer");
    assert!(
        mobile["waiver"]["source"]
            .as_str()
            .unwrap()
            .ends_with("waivers.yaml:2:5")
    );
    // Refused and expired waivers leave their findings unwaived.
    assert!(finding(&r, "audit-logging-enabled").get("waiver").is_none());
    assert!(finding(&r, "session-length-web").get("waiver").is_none());
}

#[test]
fn waiving_every_gating_failure_of_addressable_paragraphs_opens_the_gate() {
    // With --fail-on high only critical/high failures gate; waive the addressable ones.
    let dir = support::scratch_dir("waive-gate");
    let (_, r, _) = scan(&config(), &["--fail-on", "high"]);
    let gating: Vec<(String, Vec<String>)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["status"] == "fail" && (f["severity"] == "high" || f["severity"] == "critical")
        })
        .map(|f| {
            (
                f["check_id"].as_str().unwrap().to_owned(),
                f["requirements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect();
    let addressable: Vec<&(String, Vec<String>)> = gating
        .iter()
        .filter(|(_, reqs)| {
            reqs.iter()
                .all(|p| p == "164.312(a)(2)(iii)" || p == "164.312(e)(2)(ii)")
        })
        .collect();
    assert!(!addressable.is_empty());
    let mut text = String::from("waivers:\n");
    for (c, _) in &addressable {
        text.push_str(&format!(
            "  - check: {c}\n    justification: compensating control\n    approved_by: CISO\n    expires: \"2999-01-01\"\n"
        ));
    }
    let w = write(dir.path(), "w.yaml", &text);
    let (_, r2, _) = scan(
        &config(),
        &["--fail-on", "high", "--waivers", w.to_str().unwrap()],
    );
    for (c, _) in &addressable {
        assert_eq!(finding(&r2, c)["status"], "fail");
        assert!(finding(&r2, c).get("waiver").is_some(), "{c}");
    }
    // Gate passes only if every remaining gating failure was waived.
    let remaining = gating.len() - addressable.len();
    assert_eq!(r2["gate"]["passed"], remaining == 0);
}

#[test]
fn attestations_count_for_their_paragraph() {
    let dir = support::scratch_dir("attest");
    let (_, before, _) = scan(&config(), &[]);
    let para = |r: &Value| -> Value {
        r["scores"]["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "164.312(a)(2)(ii)")
            .unwrap()
            .clone()
    };
    assert_eq!(para(&before)["status"], "manual");
    let a = write(
        dir.path(),
        "a.yaml",
        "attestations:\n  - item: emergency-access-procedure\n    statement: Break-glass accounts are documented and tested quarterly\n    attested_by: Security lead\n    date: \"2026-01-15\"\n    evidence: ISMS-DOC-42\n    expires: \"2999-01-15\"\n  - item: no-such-item\n    statement: x\n    attested_by: Ops\n    date: \"2026-01-15\"\n    evidence: z\n    expires: \"2999-01-15\"\n  - item: backup-encryption\n    statement: old\n    attested_by: Ops\n    date: \"2019-01-15\"\n    evidence: z\n    expires: \"2020-01-15\"\n",
    );
    let (_, after, _) = scan(&config(), &["--attestations", a.to_str().unwrap()]);
    let p = para(&after);
    assert_eq!(p["status"], "met");
    assert_eq!(p["counts"]["attested"], 1);
    assert_eq!(p["manual_pending"].as_array().unwrap().len(), 0);
    let states: Vec<&str> = after["attestations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["accepted", "unmatched", "expired"]);
    // The expired one is still pending.
    let enc = after["scores"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "164.312(a)(2)(iv)")
        .unwrap();
    assert!(
        enc["manual_pending"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "backup-encryption")
    );
}

#[test]
fn bad_record_files_list_every_problem_with_its_place_and_exit_2() {
    let dir = support::scratch_dir("bad-records");
    let w = write(
        dir.path(),
        "w.yaml",
        "waivers:\n  - check: x\n    justification: j\n    expires: 2026-13-01\n  - justification: j\n    approved_by: a\n    expires: \"2027-01-01\"\n    colour: red\n",
    );
    let a = write(dir.path(), "a.yaml", "attestations: {item: x}\n");
    let (code, _, err) = scan(
        &config(),
        &[
            "--waivers",
            w.to_str().unwrap(),
            "--attestations",
            a.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2, "{err}");
    for want in [
        "w.yaml:2:5: missing required key `approved_by`",
        "w.yaml:4:14: `expires` must be a date",
        "w.yaml:5:5: a waiver needs `check` or `paragraph`",
        "w.yaml:8:5: unknown key `colour`",
        "a.yaml:1:15: `attestations` must be a list",
    ] {
        assert!(err.contains(want), "missing `{want}` in:\n{err}");
    }
    let broken = write(dir.path(), "b.yaml", "waivers: [\n");
    let (code, _, err) = scan(&config(), &["--waivers", broken.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("b.yaml:"), "{err}");
}

#[test]
fn signed_reports_verify_and_tampering_is_named() {
    let dir = support::scratch_dir("sign");
    let key = dir.path().join("key");
    let st = safeguard().arg("keygen").arg(&key).output().unwrap();
    assert_eq!(st.status.code(), Some(0));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let public = dir.path().join("key.pub");
    assert!(public.is_file());
    // keygen never overwrites.
    assert_eq!(
        safeguard()
            .arg("keygen")
            .arg(&key)
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    // Scan a copy of the config, so the input can be changed later.
    let cfg = dir.path().join("config.json");
    std::fs::copy(config(), &cfg).unwrap();
    let (_, r, _) = scan(&cfg, &["--sign", key.to_str().unwrap()]);
    assert_eq!(r["signature"]["algorithm"], "ed25519");
    assert!(
        r["integrity"]["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["role"] == "mattermost-config")
    );
    let signed = write(dir.path(), "signed.json", &r.to_string());
    let verify = |report: &Path| {
        let o = safeguard()
            .arg("verify")
            .arg(report)
            .arg("--key")
            .arg(&public)
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let (code, text) = verify(&signed);
    assert_eq!(code, 0, "{text}");
    assert!(text.starts_with("verified"), "{text}");

    // A finding turned from fail to pass.
    let mut t = r.clone();
    let idx = t["findings"]
        .as_array()
        .unwrap()
        .iter()
        .position(|f| f["status"] == "fail")
        .unwrap();
    t["findings"][idx]["status"] = Value::from("pass");
    let (code, text) = verify(&write(dir.path(), "t1.json", &t.to_string()));
    assert_eq!(code, 1);
    assert!(
        text.contains("`findings` was changed after signing"),
        "{text}"
    );

    // The gate flipped and the evidence edited.
    let mut t = r.clone();
    t["gate"]["passed"] = Value::from(true);
    t["evidence"]["facts"][0]["value"] = Value::from("edited");
    let (code, text) = verify(&write(dir.path(), "t2.json", &t.to_string()));
    assert_eq!(code, 1);
    assert!(text.contains("`gate` was changed"), "{text}");
    assert!(text.contains("`evidence` was changed"), "{text}");
    assert!(
        text.contains("does not match its recorded digest"),
        "{text}"
    );

    // The manifest itself rewritten to match: the signature no longer holds.
    let mut t = r.clone();
    t["gate"]["passed"] = Value::from(true);
    let d = safeguard_digest(&t["gate"]);
    t["signature"]["manifest"]["gate"] = Value::from(d);
    let (code, text) = verify(&write(dir.path(), "t3.json", &t.to_string()));
    assert_eq!(code, 1);
    assert!(text.contains("signature does not match"), "{text}");

    // Another key.
    let other = dir.path().join("other");
    safeguard().arg("keygen").arg(&other).output().unwrap();
    let o = safeguard()
        .arg("verify")
        .arg(&signed)
        .arg("--key")
        .arg(dir.path().join("other.pub"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("different key"));

    // The scanned config changed after the scan.
    std::fs::write(&cfg, "{}").unwrap();
    let (code, text) = verify(&signed);
    assert_eq!(code, 1);
    assert!(
        text.contains("config.json") && text.contains("has changed since the scan"),
        "{text}"
    );
}

/// The manifest digest of a JSON value, computed the way safeguard does.
fn safeguard_digest(v: &Value) -> String {
    safeguard::report::sha256(safeguard::report::canonical_json(v).as_bytes())
}

#[test]
fn diff_and_baseline_gate_only_on_regressions() {
    let dir = support::scratch_dir("diff");
    let hardened = support::fixture("mattermost/config-hardened.json");
    let (_, old, _) = scan(&hardened, &[]);
    let oldp = write(dir.path(), "old.json", &old.to_string());
    // A regression: one setting loosened.
    let mut cfg: Value =
        serde_json::from_str(&std::fs::read_to_string(&hardened).unwrap()).unwrap();
    cfg["LogSettings"]["EnableWebhookDebugging"] = Value::from(true);
    let newcfg = write(dir.path(), "config.json", &cfg.to_string());
    let (code, new, _) = scan(&newcfg, &[]);
    assert_eq!(code, 1);
    let newp = write(dir.path(), "new.json", &new.to_string());

    let o = safeguard()
        .arg("diff")
        .arg(&oldp)
        .arg(&newp)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("New failures (1)"), "{text}");
    assert!(text.contains("logging-webhook-debugging"), "{text}");
    assert!(
        text.contains("mattermost.config.LogSettings.EnableWebhookDebugging: false → true"),
        "{text}"
    );
    // Reversed: the failure is fixed.
    let o = safeguard()
        .args(["diff", "--format", "json"])
        .arg(&newp)
        .arg(&oldp)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let d: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(d["fixed"][0]["key"], "logging-webhook-debugging");

    // The default config has many failures; against itself as baseline none is new.
    let (_, base, _) = scan(&config(), &[]);
    let basep = write(dir.path(), "base.json", &base.to_string());
    let (code, r, _) = scan(
        &config(),
        &["--baseline", basep.to_str().unwrap(), "--fail-on-new"],
    );
    assert_eq!(code, 0, "no regression: {}", r["baseline"]);
    assert_eq!(r["baseline"]["new_failures"].as_array().unwrap().len(), 0);
    // Against the hardened baseline every failure is new.
    let (code, r, _) = scan(
        &config(),
        &["--baseline", oldp.to_str().unwrap(), "--fail-on-new"],
    );
    assert_eq!(code, 1);
    assert!(r["baseline"]["new_failures"].as_array().unwrap().len() > 10);
}
