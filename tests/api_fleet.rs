//! Fleets: `safeguard scan --deployments` over stand-in deployments (one failing never
//! stops the others), one report each plus the summary, shards and `safeguard merge`,
//! and fleet-file errors with `file:line:column`, all at once, exit 2.
mod support;

use assert_cmd::Command;
use serde_json::Value;
use support::mm_api::{self, ADMIN_TOKEN, Options};
use support::pki::pki;

fn safeguard() -> Command {
    let mut c = Command::cargo_bin("safeguard").unwrap();
    c.env_remove("MM_ADMIN_TOKEN");
    c
}

#[test]
fn a_fleet_with_failures_scans_everyone_and_merges_shards() {
    let p = pki();
    let tls = || Options {
        tls: Some((p.cert("rsa2048"), p.key("rsa2048"))),
        ..Options::default()
    };
    let (a, b) = (mm_api::start(tls()), mm_api::start(tls()));
    let dir = support::scratch_dir("fleet");
    let fleet = dir.path().join("fleet.yaml");
    std::fs::write(
        &fleet,
        format!(
            "deployments:
  - name: alpha
    url: {}
    token-env: FLEET_ALPHA_TOKEN
    ca-file: {}
  - name: beta
    url: {}
    ca-file: {}
    profile: mozilla-intermediate
  - name: gone
    url: https://127.0.0.1:1
  - name: no-token
    url: {}
    token-env: FLEET_UNSET_TOKEN_VARIABLE
",
            a.url,
            p.ca().display(),
            b.url,
            p.ca().display(),
            a.url
        ),
    )
    .unwrap();
    let out_dir = dir.path().join("out");
    let out = safeguard()
        .env("FLEET_ALPHA_TOKEN", ADMIN_TOKEN)
        .args(["scan", "--deployments"])
        .arg(&fleet)
        .args(["--jobs", "3", "--timeout", "3", "--output-dir"])
        .arg(&out_dir)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stdout.contains(ADMIN_TOKEN) && !stderr.contains(ADMIN_TOKEN));
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stdout.contains("4 deployments"), "{stdout}");
    assert!(
        stderr.contains("FLEET_UNSET_TOKEN_VARIABLE is not set"),
        "{stderr}"
    );
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("fleet-summary.json")).unwrap())
            .unwrap();
    let status = |n: &str| {
        summary["deployments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == n)
            .unwrap_or_else(|| panic!("{n} missing"))
            .clone()
    };
    assert_eq!(status("alpha")["status"], "gate-failed");
    assert_eq!(status("alpha")["version"], "10.11.1");
    assert_eq!(status("beta")["profile"], "mozilla-intermediate");
    assert_eq!(status("gone")["status"], "incomplete");
    assert_eq!(status("no-token")["status"], "error");
    let alpha: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("alpha.json")).unwrap())
            .unwrap();
    assert!(
        alpha["evidence"]
            .to_string()
            .contains("mattermost.api.config-read")
    );
    assert!(!out_dir.join("no-token.json").exists());

    // Shards cover the fleet once; merge joins them.
    let mut dirs = Vec::new();
    for i in 0..2 {
        let d = dir.path().join(format!("shard{i}"));
        let out = safeguard()
            .args(["scan", "--deployments"])
            .arg(&fleet)
            .args([
                "--timeout",
                "3",
                "--shard",
                &format!("{i}/2"),
                "--output-dir",
            ])
            .arg(&d)
            .output()
            .unwrap();
        assert!(matches!(out.status.code(), Some(1 | 3)));
        dirs.push(d);
    }
    let merged = safeguard()
        .arg("merge")
        .args(&dirs)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let m: Value = serde_json::from_slice(&merged.stdout).unwrap();
    let names: Vec<&str> = m["deployments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["alpha", "beta", "gone", "no-token"]);
    assert_eq!(merged.status.code(), Some(1));
}

#[test]
fn fleet_file_errors_are_all_reported_with_their_place() {
    let dir = support::scratch_dir("fleet-bad");
    let fleet = dir.path().join("fleet.yaml");
    std::fs::write(
        &fleet,
        "deployments:\n  - name: a\n    url: chat.example.org\n  - name: b\n    url: https://b.example\n    jobs: 3\n",
    )
    .unwrap();
    let out = safeguard()
        .args(["scan", "--deployments"])
        .arg(&fleet)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fleet.yaml:3:10: url `chat.example.org` must be https"),
        "{err}"
    );
    assert!(err.contains("fleet.yaml:6:5: unknown key `jobs`"), "{err}");
    std::fs::write(&fleet, "deployments: [\n").unwrap();
    let out = safeguard()
        .args(["scan", "--deployments"])
        .arg(&fleet)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fleet.yaml:"));
}
