//! The gate states its coverage: a scan that assessed less than the profile's minimum is
//! INCOMPLETE (exit 3), never "passed", and the table says which evidence is missing and
//! which flag would supply it.
mod support;

use assert_cmd::Command;
use support::openssl_s_server;
use support::pki::pki;

#[test]
fn url_alone_under_hipaa_is_incomplete_not_passed() {
    let p = pki();
    let s = openssl_s_server(
        "modern",
        &[
            "-cert",
            p.cert("rsa2048").to_str().unwrap(),
            "-key",
            p.key("rsa2048").to_str().unwrap(),
            "-min_protocol",
            "TLSv1.2",
        ],
    );
    let url = format!("https://127.0.0.1:{}", s.port);
    // --fail-on critical: what the endpoint gets wrong (no HSTS from s_server) does not
    // fail the gate, so only coverage decides.
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .env("NO_COLOR", "1")
        .env("COLUMNS", "200")
        .args(["scan", "--url", &url, "--ca-file"])
        .arg(p.ca())
        .args(["--fail-on", "critical"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{text}");
    assert!(!text.contains("Gate passed"), "{text}");
    assert!(
        text.contains("Gate INCOMPLETE: coverage ")
            && text.contains("% is below the profile's minimum of 50%"),
        "{text}"
    );
    assert!(text.contains("Missing evidence:"), "{text}");
    assert!(
        text.contains("mattermost, mattermost.config facts")
            && text.contains("--mattermost-config FILE"),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("below the profile's minimum"), "{stderr}");

    // The same evidence in JSON carries the reason and the missing evidence.
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .args(["scan", "--url", &url, "--ca-file"])
        .arg(p.ca())
        .args(["--fail-on", "critical", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["gate"]["incomplete"], true);
    assert_eq!(v["gate"]["min_coverage_percent"], 50.0);
    let missing = v["gate"]["missing_evidence"].as_array().unwrap();
    assert!(
        missing.iter().any(|m| m["families"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "mattermost.config")),
        "{missing:?}"
    );
}

#[test]
fn a_profile_without_a_minimum_and_a_bad_minimum() {
    let dir = support::scratch_dir("mincov");
    let prof = |v: &str| {
        format!(
            "title: T\nversion: 1\nstatus: in-force\nmin-coverage: {v}\nrequirements:\n  - id: x\n    title: X\n    designation: rule\n    checks: [access-local-mode]\n"
        )
    };
    std::fs::write(dir.path().join("mine.yaml"), prof("101")).unwrap();
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .args(["profiles", "list", "--profiles-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mine.yaml:4:15: `min-coverage` must be a percentage"),
        "{err}"
    );
}
