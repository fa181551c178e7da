//! Scenario and command-line tests of `safeguard scan --mattermost-config`.

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

/// Runs a JSON scan and returns (exit code, report).
fn scan_json(args: &[&str]) -> (i32, Value) {
    let out = safeguard()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

fn status_of(report: &Value, check: &str) -> String {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == check)
        .unwrap_or_else(|| panic!("no finding for {check}"))["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn default_config() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("config-default.json")).unwrap()).unwrap()
}

#[test]
fn default_config_fails_the_hipaa_gate_on_the_known_defaults() {
    let (code, r) = scan_json(&[
        "--mattermost-config",
        fixture("config-default.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    for check in [
        "push-notification-contents",
        "email-notification-contents",
        "auth-mfa-enforced",
        "session-idle-timeout",
        "audit-logging-enabled",
        "push-proxy-server",
    ] {
        assert_eq!(status_of(&r, check), "fail", "{check}");
    }
    // The default DSN points at localhost: exempt.
    assert_eq!(status_of(&r, "database-remote-cleartext"), "pass");
    assert_eq!(r["schema_version"], 2);
    assert_eq!(r["profile"]["id"], "hipaa-technical");
    assert!(
        r["profile"]["checks_digest"]
            .as_str()
            .unwrap()
            .starts_with("sha256:")
    );
    assert_eq!(r["tool"]["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn hardened_config_passes_every_automated_check() {
    let (code, r) = scan_json(&[
        "--mattermost-config",
        fixture("config-hardened.json").to_str().unwrap(),
        "--mattermost-license",
        fixture("license-full.json").to_str().unwrap(),
    ]);
    let bad: Vec<String> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "pass" && f["status"] != "not-applicable")
        // Endpoint checks (TLS, LDAP), host checks (logs, permissions) and what only the
        // live API tells (version, accounts) cannot be judged from a config alone; they
        // say so.
        .filter(|f| {
            let m = f["message"].as_str().unwrap_or("");
            !(f["status"] == "not-assessed"
                && (m.contains("no endpoint was probed")
                    || m.contains("no source of logs facts")
                    || m.contains("no source of host facts")
                    || m.contains("no source of mattermost.api facts")
                    || m.contains("no source of mattermost.advisories facts")))
        })
        .map(|f| format!("{} {} {}", f["check_id"], f["status"], f["message"]))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    // Nothing fails; but a config alone covers a third of the paragraphs, below the
    // profile's minimum coverage, so the gate is incomplete rather than passed.
    assert_eq!(code, 3);
    assert_eq!(r["gate"]["passed"], true);
    assert_eq!(r["gate"]["incomplete"], true);
}

#[test]
fn remote_cleartext_database_fails_but_loopback_and_unix_sockets_do_not() {
    let (_, r) = scan_json(&[
        "--mattermost-config",
        fixture("config-remote-db-cleartext.json").to_str().unwrap(),
    ]);
    assert_eq!(status_of(&r, "database-remote-cleartext"), "fail");
    let (_, r) = scan_json(&[
        "--mattermost-config",
        fixture("config-unix-socket-db.json").to_str().unwrap(),
    ]);
    assert_eq!(status_of(&r, "database-remote-cleartext"), "pass");
}

#[test]
fn replicas_are_judged_too() {
    let dir = support::scratch_dir("replica");
    let mut cfg = default_config();
    cfg["SqlSettings"]["DataSourceReplicas"] =
        serde_json::json!(["postgres://u:pw@replica.example:5432/mm?sslmode=disable"]);
    let p = write(dir.path(), "c.json", &cfg.to_string());
    let (_, r) = scan_json(&["--mattermost-config", p.to_str().unwrap()]);
    assert_eq!(status_of(&r, "database-remote-cleartext"), "fail");
}

#[test]
fn push_contents_follow_the_server_and_the_licence() {
    let dir = support::scratch_dir("push");
    let run = |contents: &str, licence: Option<&str>| {
        let mut cfg = default_config();
        cfg["EmailSettings"]["PushNotificationContents"] = Value::from(contents);
        let p = write(dir.path(), &format!("{contents}.json"), &cfg.to_string());
        let mut args = vec!["--mattermost-config".to_owned(), p.display().to_string()];
        if let Some(l) = licence {
            let lp = write(dir.path(), "licence.json", l);
            args.extend(["--mattermost-license".to_owned(), lp.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        status_of(&scan_json(&args).1, "push-notification-contents")
    };
    assert_eq!(run("full", None), "fail");
    assert_eq!(run("generic", None), "warn");
    assert_eq!(run("generic_no_channel", None), "pass");
    // id_loaded is honoured only with the licence feature: unknown without a licence.
    assert_eq!(run("id_loaded", None), "not-assessed");
    // Without the licence feature the server falls back to generic.
    assert_eq!(
        run(
            "id_loaded",
            Some(r#"{"IsLicensed":"true","IDLoadedPushNotifications":"false"}"#)
        ),
        "warn"
    );
    assert_eq!(run("id_loaded", Some(r#"{"IsLicensed":"false"}"#)), "warn");
    assert_eq!(
        run(
            "id_loaded",
            Some(r#"{"IsLicensed":"true","IDLoadedPushNotifications":"true"}"#)
        ),
        "pass"
    );
}

#[test]
fn nprm_profile_is_stricter_and_labelled_proposed() {
    let cfg = fixture("config-default.json");
    let (_, r) = scan_json(&[
        "--mattermost-config",
        cfg.to_str().unwrap(),
        "--profile",
        "hipaa-2025-nprm",
    ]);
    assert_eq!(r["profile"]["status"], "proposed");
    assert!(
        r["profile"]["notice"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("not law")
    );
    let dir = support::scratch_dir("nprm");
    let mut c = default_config();
    c["EmailSettings"]["PushNotificationContents"] = Value::from("generic");
    let p = write(dir.path(), "c.json", &c.to_string());
    let (_, r) = scan_json(&[
        "--mattermost-config",
        p.to_str().unwrap(),
        "--profile",
        "hipaa-2025-nprm",
    ]);
    assert_eq!(status_of(&r, "push-notification-contents"), "fail");
    let out = safeguard()
        .args([
            "scan",
            "--mattermost-config",
            cfg.to_str().unwrap(),
            "--profile",
            "hipaa-2025-nprm",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("PROPOSED RULE — NOT LAW"));
}

#[test]
fn idle_timeout_only_counts_when_sessions_do_not_extend_with_activity() {
    let dir = support::scratch_dir("idle");
    let mut c = default_config();
    c["ServiceSettings"]["SessionIdleTimeoutInMinutes"] = Value::from(15);
    c["ServiceSettings"]["ExtendSessionLengthWithActivity"] = Value::from(true);
    let p = write(dir.path(), "on.json", &c.to_string());
    assert_eq!(
        status_of(
            &scan_json(&["--mattermost-config", p.to_str().unwrap()]).1,
            "session-idle-timeout"
        ),
        "fail"
    );
    c["ServiceSettings"]["ExtendSessionLengthWithActivity"] = Value::from(false);
    let p = write(dir.path(), "off.json", &c.to_string());
    assert_eq!(
        status_of(
            &scan_json(&["--mattermost-config", p.to_str().unwrap()]).1,
            "session-idle-timeout"
        ),
        "pass"
    );
}

#[test]
fn a_setting_absent_from_an_older_config_is_not_assessed_never_passed() {
    let dir = support::scratch_dir("old");
    let mut c = default_config();
    c["ServiceSettings"]
        .as_object_mut()
        .unwrap()
        .remove("EnableLocalMode");
    c.as_object_mut()
        .unwrap()
        .remove("ExperimentalAuditSettings");
    let p = write(dir.path(), "old.json", &c.to_string());
    let (_, r) = scan_json(&["--mattermost-config", p.to_str().unwrap()]);
    assert_eq!(status_of(&r, "access-local-mode"), "not-assessed");
    assert_eq!(status_of(&r, "audit-logging-enabled"), "not-assessed");
    let msg = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == "access-local-mode")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(msg.contains("ServiceSettings.EnableLocalMode"), "{msg}");
}

#[test]
fn environment_overrides_win_and_are_cited() {
    let dir = support::scratch_dir("env");
    let env = write(
        dir.path(),
        "mattermost.env",
        "# overrides\nMM_EMAILSETTINGS_PUSHNOTIFICATIONCONTENTS=generic_no_channel\nexport MM_SERVICESETTINGS_MAXIMUMLOGINATTEMPTS=\"5\"\nMM_NOT_A_SETTING=1\n",
    );
    let cfg = fixture("config-default.json");
    let (_, r) = scan_json(&[
        "--mattermost-config",
        cfg.to_str().unwrap(),
        "--mattermost-env",
        env.to_str().unwrap(),
    ]);
    assert_eq!(status_of(&r, "push-notification-contents"), "pass");
    let facts = r["evidence"]["facts"].as_array().unwrap();
    let fact = facts
        .iter()
        .find(|f| f["key"] == "mattermost.config.ServiceSettings.MaximumLoginAttempts")
        .unwrap();
    assert_eq!(fact["value"], 5);
    assert!(
        fact["provenance"]["source"]
            .as_str()
            .unwrap()
            .contains("mattermost.env:3:"),
        "{fact}"
    );
    let notes = r["evidence"]["attempts"][0]["notes"].to_string();
    assert!(notes.contains("MM_NOT_A_SETTING"), "{notes}");
}

#[test]
fn facts_cite_file_line_and_column() {
    let cfg = fixture("config-default.json");
    let (_, r) = scan_json(&["--mattermost-config", cfg.to_str().unwrap()]);
    let fact = r["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "mattermost.config.EmailSettings.PushNotificationContents")
        .unwrap()
        .clone();
    let source = fact["provenance"]["source"].as_str().unwrap();
    let (path, rest) = source.rsplit_once(".json:").unwrap();
    assert!(path.ends_with("config-default"));
    let line: usize = rest.split(':').next().unwrap().parse().unwrap();
    let text = std::fs::read_to_string(&cfg).unwrap();
    assert!(
        text.lines()
            .nth(line - 1)
            .unwrap()
            .contains("\"PushNotificationContents\"")
    );
}

#[test]
fn bad_config_files_give_one_clear_line_and_exit_2() {
    let dir = support::scratch_dir("bad");
    let cases: Vec<(PathBuf, &str)> = vec![
        (dir.path().join("missing.json"), "cannot read config file"),
        (
            write(dir.path(), "notjson.json", "{ this is not json"),
            "not valid JSON at line 1",
        ),
        (
            write(dir.path(), "array.json", "[]"),
            "not a Mattermost config",
        ),
        (
            write(dir.path(), "foo.json", r#"{"foo": 1}"#),
            "not a Mattermost config",
        ),
        (
            write(dir.path(), "binary.json", "\u{0}\u{1}\u{2}"),
            "not valid JSON",
        ),
        (dir.path().to_path_buf(), "is a directory"),
    ];
    let big = dir.path().join("big.json");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(9 << 20).unwrap();
    let mut cases = cases;
    cases.push((big, "too large"));
    for (path, expected) in cases {
        let out = safeguard()
            .args(["scan", "--mattermost-config"])
            .arg(&path)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{}: {err}", path.display());
        assert!(err.contains(expected), "{}: {err}", path.display());
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn bad_environment_files_name_line_and_column() {
    let dir = support::scratch_dir("badenv");
    let env = write(
        dir.path(),
        "bad.env",
        "MM_SERVICESETTINGS_MAXIMUMLOGINATTEMPTS=ten\nnot an assignment\n",
    );
    let cfg = fixture("config-default.json");
    let out = safeguard()
        .args([
            "scan",
            "--mattermost-config",
            cfg.to_str().unwrap(),
            "--mattermost-env",
            env.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bad.env:2:1"), "{err}");
    let out = safeguard()
        .args([
            "scan",
            "--mattermost-config",
            cfg.to_str().unwrap(),
            "--mattermost-env",
        ])
        .arg(write(
            dir.path(),
            "bad2.env",
            "MM_SERVICESETTINGS_MAXIMUMLOGINATTEMPTS=ten\n",
        ))
        .output()
        .unwrap();
    // The server ignores a value it cannot parse and keeps the config's: a warning
    // naming the line, not an input error.
    let err = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bad2.env:1:41"), "{err}");
    assert!(err.contains("keeps the config's value"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        vec!["scan"],
        vec![
            "scan",
            "--mattermost-config",
            "x.json",
            "--profile",
            "no-such-profile",
        ],
        vec![
            "scan",
            "--mattermost-config",
            "x.json",
            "--fail-on",
            "urgent",
        ],
        vec!["scan", "--url", "http://plain.example"],
        vec!["no-such-command"],
    ] {
        let out = safeguard().args(&args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let help = safeguard().arg("--help").output().unwrap();
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit codes:"));
    let version = safeguard().arg("--version").output().unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn fail_on_sets_the_gate() {
    let cfg = fixture("config-default.json");
    let out = safeguard()
        .args([
            "scan",
            "--mattermost-config",
            cfg.to_str().unwrap(),
            "--fail-on",
            "critical",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "audit logging off is critical");
    let hardened = fixture("config-hardened.json");
    let out = safeguard()
        .args([
            "scan",
            "--mattermost-config",
            hardened.to_str().unwrap(),
            "--fail-on",
            "info",
        ])
        .output()
        .unwrap();
    // No failing finding even at info; incomplete (3) only for want of host and
    // endpoint evidence, never 1.
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn output_goes_to_a_file_when_asked() {
    let dir = support::scratch_dir("out");
    let path = dir.path().join("report.json");
    let cfg = fixture("config-default.json");
    let out = safeguard()
        .args([
            "scan",
            "--mattermost-config",
            cfg.to_str().unwrap(),
            "--format",
            "json",
            "--output",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let r: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(r["schema_version"], 2);
}

/// A config stuffed with secrets, and an environment file adding more.
fn secret_laden(dir: &Path) -> (PathBuf, PathBuf, Vec<&'static str>) {
    let secrets = vec![
        "DbPassw0rd-primary",
        "DbPassw0rd-replica",
        "DbPassw0rd-search",
        "LdapBindS3cret",
        "AtRestKey-0123456789abcdef0123456789",
        "S3SecretKeyValue",
        "ExportS3SecretKeyValue",
        "SmtpPassw0rd",
        "PublicLinkSalt-0123456789abcdef012345",
        "ElasticPassw0rd",
        "RedisPassw0rd",
        "GitLabClientSecret",
        "GlobalRelaySmtpPassw0rd",
        "EnvOverrideDbPassw0rd",
    ];
    let mut c = default_config();
    c["SqlSettings"]["DataSource"] =
        Value::from("postgres://mmuser:DbPassw0rd-primary@db.example:5432/mm?sslmode=disable");
    c["SqlSettings"]["DataSourceReplicas"] =
        serde_json::json!(["postgres://mmuser:DbPassw0rd-replica@r1.example/mm?sslmode=require"]);
    c["SqlSettings"]["DataSourceSearchReplicas"] =
        serde_json::json!(["postgres://mmuser:DbPassw0rd-search@s1.example/mm"]);
    c["LdapSettings"]["BindPassword"] = Value::from("LdapBindS3cret");
    c["SqlSettings"]["AtRestEncryptKey"] = Value::from("AtRestKey-0123456789abcdef0123456789");
    c["FileSettings"]["AmazonS3SecretAccessKey"] = Value::from("S3SecretKeyValue");
    c["FileSettings"]["ExportAmazonS3SecretAccessKey"] = Value::from("ExportS3SecretKeyValue");
    c["EmailSettings"]["SMTPPassword"] = Value::from("SmtpPassw0rd");
    c["FileSettings"]["PublicLinkSalt"] = Value::from("PublicLinkSalt-0123456789abcdef012345");
    c["ElasticsearchSettings"]["Password"] = Value::from("ElasticPassw0rd");
    c["CacheSettings"]["RedisPassword"] = Value::from("RedisPassw0rd");
    c["GitLabSettings"]["Secret"] = Value::from("GitLabClientSecret");
    c["MessageExportSettings"]["GlobalRelaySettings"]["SMTPPassword"] =
        Value::from("GlobalRelaySmtpPassw0rd");
    let cfg = write(
        dir,
        "secrets.json",
        &serde_json::to_string_pretty(&c).unwrap(),
    );
    let env = write(
        dir,
        "secrets.env",
        "MM_SQLSETTINGS_DATASOURCE=postgres://mmuser:EnvOverrideDbPassw0rd@db2.example:5432/mm?sslmode=disable\n",
    );
    (cfg, env, secrets)
}

#[test]
fn no_secret_appears_in_any_output_format() {
    let dir = support::scratch_dir("secrets");
    let (cfg, env, secrets) = secret_laden(dir.path());
    for format in ["table", "json"] {
        let out = safeguard()
            .args(["scan", "--format", format, "--mattermost-config"])
            .arg(&cfg)
            .arg("--mattermost-env")
            .arg(&env)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        for s in &secrets {
            assert!(!text.contains(s), "{format} output leaks {s}");
        }
        // Still judged: the env override's remote cleartext host is reported, without credentials.
        assert!(text.contains("db2.example:5432"), "{format}");
    }
    // A malformed env value for a secret is reported without echoing it.
    let bad = write(dir.path(), "bad.env", "MM_SQLSETTINGS_DATASOURCE\n");
    let out = safeguard()
        .args(["scan", "--mattermost-config"])
        .arg(&cfg)
        .arg("--mattermost-env")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn broken_check_and_profile_directories_are_rejected_with_places() {
    let dir = support::scratch_dir("content");
    std::fs::create_dir_all(dir.path().join("checks/push")).unwrap();
    write(
        &dir.path().join("checks/push"),
        "bad-check.yaml",
        "title: x\ndomain: push\nseverity: high\nremediation: {summary: s}\nassert: {fact: mattermost.config.ServiceSettings.SiteURL, lt: 3}\nextra: 1\n",
    );
    let out = safeguard()
        .args(["checks", "lint"])
        .arg(dir.path().join("checks"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("bad-check.yaml:5:"), "{err}");
    assert!(
        err.contains("bad-check.yaml:6:1: unknown key `extra`"),
        "{err}"
    );
    // The built-in checks lint clean.
    let out = safeguard()
        .args([
            "checks",
            "lint",
            concat!(env!("CARGO_MANIFEST_DIR"), "/checks"),
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A profile naming a missing check: no scan, exit 2.
    std::fs::create_dir_all(dir.path().join("profiles")).unwrap();
    write(
        &dir.path().join("profiles"),
        "mine.yaml",
        "title: Mine\nversion: 1\nstatus: in-force\nrequirements:\n  - id: R1\n    title: r\n    designation: rule\n    checks: [no-such-check]\n",
    );
    let cfg = fixture("config-default.json");
    let out = safeguard()
        .args([
            "scan",
            "--mattermost-config",
            cfg.to_str().unwrap(),
            "--profile",
            "mine",
            "--profiles-dir",
        ])
        .arg(dir.path().join("profiles"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("mine.yaml:8:14: unknown check `no-such-check`"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn listing_commands_work() {
    let out = safeguard().args(["checks", "list"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("push-notification-contents"));
    let out = safeguard().args(["checks", "facts"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("mattermost.push.effective-contents"));
    let out = safeguard().args(["profiles", "list"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("hipaa-technical") && text.contains("hipaa-2025-nprm"));
    let out = safeguard()
        .args(["profiles", "show", "hipaa-technical"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("164.312(a)(2)(iii)") && text.contains("idle-timeout"),
        "{text}"
    );
    let out = safeguard()
        .args(["profiles", "show", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn table_snapshot() {
    let cfg = "tests/fixtures/mattermost/config-default.json";
    let out = safeguard()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "--mattermost-config", cfg])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!("table_default_config", text);
}

#[test]
fn json_snapshot() {
    let cfg = "tests/fixtures/mattermost/config-hardened.json";
    let out = safeguard()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "scan",
            "--format",
            "json",
            "--mattermost-config",
            cfg,
            "--mattermost-license",
            "tests/fixtures/mattermost/license-full.json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_json_snapshot!("json_hardened_config", report, {
        ".generated_at" => "[time]",
        ".tool.version" => "[version]",
        ".evidence.facts[].provenance.observed_at" => "[time]",
    });
}
