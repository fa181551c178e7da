//! The configuration as the server reads it: licence-gated behaviour, the audit decision,
//! `MM_CONFIG`, environment files as compose and the server handle them, older keys and
//! wrong types, and the server version. Each case failed (or passed falsely) before the
//! config probe modelled it.

use assert_cmd::Command;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

mod support;

fn safeguard() -> Command {
    let mut c = Command::cargo_bin("safeguard").expect("binary");
    c.env("NO_COLOR", "1").env("COLUMNS", "160");
    c
}

fn fixture(name: &str) -> PathBuf {
    support::fixture(name)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn default_config() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(fixture("mattermost/config-default.json")).unwrap(),
    )
    .unwrap()
}

struct Run {
    code: i32,
    report: Value,
    stdout: String,
    stderr: String,
}

fn scan(args: &[&str]) -> Run {
    let out = safeguard()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Run {
        code: out.status.code().unwrap_or(-1),
        report,
        stdout,
        stderr,
    }
}

fn finding<'a>(r: &'a Value, check: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {r}"))
        .iter()
        .find(|f| f["check_id"] == check)
        .unwrap_or_else(|| panic!("no finding for {check}"))
}

fn status(r: &Value, check: &str) -> String {
    finding(r, check)["status"].as_str().unwrap().to_owned()
}

fn message(r: &Value, check: &str) -> String {
    finding(r, check)["message"].as_str().unwrap().to_owned()
}

fn fact<'a>(r: &'a Value, key: &str) -> Option<&'a Value> {
    r["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
}

/// Writes `cfg` (and a licence, when given) and scans it.
fn scan_config(dir: &Path, name: &str, cfg: &Value, licence: Option<Value>, extra: &[&str]) -> Run {
    let p = write(
        dir,
        &format!("{name}.json"),
        &serde_json::to_string_pretty(cfg).unwrap(),
    );
    let mut args = vec!["--mattermost-config".to_owned(), p.display().to_string()];
    if let Some(l) = licence {
        let lp = write(dir, &format!("{name}-licence.json"), &l.to_string());
        args.extend(["--mattermost-license".to_owned(), lp.display().to_string()]);
    }
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    scan(&args)
}

const NEEDS_LICENCE: &str = "pass --mattermost-license";

#[test]
fn licence_gated_behaviour_is_not_assessed_without_a_licence_and_judged_with_one() {
    let dir = support::scratch_dir("gates");
    let mut cfg = default_config();
    cfg["EmailSettings"]["PushNotificationContents"] = json!("id_loaded");
    cfg["EmailSettings"]["EmailNotificationContentsType"] = json!("generic");
    cfg["ServiceSettings"]["EnableMultifactorAuthentication"] = json!(true);
    cfg["ServiceSettings"]["EnforceMultifactorAuthentication"] = json!(true);
    cfg["GuestAccountsSettings"]["Enable"] = json!(true);
    cfg["GuestAccountsSettings"]["EnforceMultifactorAuthentication"] = json!(true);
    cfg["FileSettings"]["DriverName"] = json!("amazons3");
    cfg["FileSettings"]["AmazonS3SSE"] = json!(true);
    let gated = [
        ("push-notification-contents", "IDLoadedPushNotifications"),
        ("email-notification-contents", "EmailNotificationContents"),
        ("auth-mfa-enforced", "MFA"),
        ("access-guest-mfa", "GuestAccounts"),
        ("storage-s3-sse", "Compliance"),
    ];
    let r = scan_config(dir.path(), "unknown", &cfg, None, &[]).report;
    for (check, feature) in gated {
        assert_eq!(status(&r, check), "not-assessed", "{check}");
        let m = message(&r, check);
        assert!(
            m.contains(feature) && m.contains(NEEDS_LICENCE),
            "{check}: {m}"
        );
    }
    // Known unlicensed: the server's fallbacks.
    let r = scan_config(
        dir.path(),
        "unlicensed",
        &cfg,
        Some(json!({"IsLicensed": "false"})),
        &[],
    )
    .report;
    assert_eq!(status(&r, "push-notification-contents"), "warn");
    assert_eq!(status(&r, "email-notification-contents"), "fail");
    assert_eq!(status(&r, "auth-mfa-enforced"), "fail");
    assert_eq!(status(&r, "access-guest-mfa"), "not-applicable");
    assert_eq!(status(&r, "storage-s3-sse"), "fail");
    // A full licence: all honoured.
    let full: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("mattermost/license-full.json")).unwrap(),
    )
    .unwrap();
    let r = scan_config(dir.path(), "full", &cfg, Some(full), &[]).report;
    for (check, _) in gated {
        assert_eq!(status(&r, check), "pass", "{check}: {}", message(&r, check));
    }
}

#[test]
fn ldap_saml_and_compliance_need_their_features() {
    let dir = support::scratch_dir("ldapgate");
    let mut cfg = default_config();
    cfg["LdapSettings"]["Enable"] = json!(true);
    cfg["LdapSettings"]["ConnectionSecurity"] = json!("");
    cfg["MessageExportSettings"]["EnableExport"] = json!(true);
    let r = scan_config(dir.path(), "u", &cfg, None, &[]).report;
    assert_eq!(
        status(&r, "ldap-config-connection-security"),
        "not-assessed"
    );
    assert!(message(&r, "ldap-config-connection-security").contains("LDAP"));
    assert_eq!(status(&r, "compliance-export-enabled"), "not-assessed");
    let r = scan_config(
        dir.path(),
        "n",
        &cfg,
        Some(json!({"IsLicensed": "false"})),
        &[],
    )
    .report;
    assert_eq!(
        status(&r, "ldap-config-connection-security"),
        "not-applicable"
    );
    assert_eq!(status(&r, "compliance-export-enabled"), "fail");
    let r = scan_config(
        dir.path(),
        "l",
        &cfg,
        Some(json!({"IsLicensed": "true", "LDAP": "true", "MessageExport": "true"})),
        &[],
    )
    .report;
    assert_eq!(status(&r, "ldap-config-connection-security"), "fail");
    assert_eq!(status(&r, "compliance-export-enabled"), "pass");
}

#[test]
fn audit_logging_is_decided_as_the_server_decides() {
    let dir = support::scratch_dir("audit");
    let licensed = json!({"IsLicensed": "true", "AdvancedLogging": "true"});
    let mut cfg = default_config();
    // A console target at INFO is not an audit target, licensed or not.
    cfg["ExperimentalAuditSettings"]["AdvancedLoggingJSON"] = json!({"console": {"type": "console", "format": "json", "levels": [{"id": 4, "name": "info"}]}});
    let r = scan_config(dir.path(), "console", &cfg, Some(licensed.clone()), &[]).report;
    assert_eq!(status(&r, "audit-logging-enabled"), "fail");
    // An audit target counts only with the AdvancedLogging feature.
    cfg["ExperimentalAuditSettings"]["AdvancedLoggingJSON"] = json!({"audit": {"type": "file", "format": "json",
        "levels": [{"id": 100, "name": "audit-api"}, {"id": 102, "name": "audit-permissions"}],
        "options": {"filename": "audit.log"}}});
    assert_eq!(
        status(
            &scan_config(dir.path(), "a1", &cfg, Some(licensed.clone()), &[]).report,
            "audit-logging-enabled"
        ),
        "pass"
    );
    assert_eq!(
        status(
            &scan_config(
                dir.path(),
                "a2",
                &cfg,
                Some(json!({"IsLicensed": "false"})),
                &[]
            )
            .report,
            "audit-logging-enabled"
        ),
        "fail"
    );
    let r = scan_config(dir.path(), "a3", &cfg, None, &[]).report;
    assert_eq!(status(&r, "audit-logging-enabled"), "not-assessed");
    assert!(message(&r, "audit-logging-enabled").contains("AdvancedLogging"));
    // AdvancedLoggingJSON may name a JSON file, read beside the config.
    write(
        dir.path(),
        "audit-targets.json",
        &cfg["ExperimentalAuditSettings"]["AdvancedLoggingJSON"].to_string(),
    );
    cfg["ExperimentalAuditSettings"]["AdvancedLoggingJSON"] = json!("audit-targets.json");
    assert_eq!(
        status(
            &scan_config(dir.path(), "a4", &cfg, Some(licensed.clone()), &[]).report,
            "audit-logging-enabled"
        ),
        "pass"
    );
    cfg["ExperimentalAuditSettings"]["AdvancedLoggingJSON"] = json!("missing-file.json");
    assert_eq!(
        status(
            &scan_config(dir.path(), "a5", &cfg, Some(licensed), &[]).report,
            "audit-logging-enabled"
        ),
        "not-assessed"
    );
    // The audit file target needs no licence.
    let mut cfg = default_config();
    cfg["ExperimentalAuditSettings"]["FileEnabled"] = json!(true);
    cfg["ExperimentalAuditSettings"]["FileName"] = json!("/var/log/mattermost/audit.log");
    assert_eq!(
        status(
            &scan_config(dir.path(), "f", &cfg, None, &[]).report,
            "audit-logging-enabled"
        ),
        "pass"
    );
}

#[test]
fn audit_rotation_settings_are_judged_for_the_version_that_reads_them() {
    let dir = support::scratch_dir("rotation");
    let mut cfg = default_config();
    cfg["ExperimentalAuditSettings"]["FileEnabled"] = json!(true);
    cfg["ExperimentalAuditSettings"]["FileName"] = json!("audit.log");
    cfg["ExperimentalAuditSettings"]["FileMaxAgeDays"] = json!(30);
    let r = scan_config(dir.path(), "v0", &cfg, None, &[]).report;
    assert_eq!(status(&r, "audit-file-max-age"), "not-assessed");
    assert!(message(&r, "audit-file-max-age").contains("--mattermost-version"));
    // Servers from 6.0 ignore it and never delete audit files.
    let r = scan_config(
        dir.path(),
        "v10",
        &cfg,
        None,
        &["--mattermost-version", "10.5.2"],
    )
    .report;
    assert_eq!(status(&r, "audit-file-max-age"), "pass");
    assert_eq!(
        fact(&r, "mattermost.server.version").unwrap()["value"],
        "10.5.2"
    );
    let r = scan_config(
        dir.path(),
        "v5",
        &cfg,
        None,
        &["--mattermost-version", "5.37.0"],
    )
    .report;
    assert_eq!(status(&r, "audit-file-max-age"), "fail");
    let bad = scan_config(
        dir.path(),
        "vx",
        &cfg,
        None,
        &["--mattermost-version", "ten"],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn helm_style_mm_config_database_is_not_judged_from_the_file_beside_it() {
    let dir = support::scratch_dir("helm");
    let env = write(
        dir.path(),
        "mattermost.env",
        "MM_CONFIG=mysql://user:s3cretpw@tcp(db.mattermost.svc:3306)/mattermost\n",
    );
    let run = scan(&[
        "--mattermost-config",
        fixture("mattermost/config-default.json").to_str().unwrap(),
        "--mattermost-env",
        env.to_str().unwrap(),
    ]);
    let r = &run.report;
    // The config store's own connection is in clear: a known failure, citing the env line.
    assert_eq!(
        status(r, "database-remote-cleartext"),
        "fail",
        "{}",
        message(r, "database-remote-cleartext")
    );
    let f = fact(r, "mattermost.sql.remote-cleartext").unwrap();
    assert!(
        f["provenance"]["source"]
            .as_str()
            .unwrap()
            .contains("mattermost.env:1:"),
        "{f}"
    );
    assert!(
        f["value"].to_string().contains("db.mattermost.svc:3306"),
        "{f}"
    );
    // Nothing else is judged from the config.json that the server does not read.
    assert_eq!(status(r, "session-idle-timeout"), "not-assessed");
    assert!(
        message(r, "session-idle-timeout").contains("MM_CONFIG"),
        "{}",
        message(r, "session-idle-timeout")
    );
    assert_eq!(
        fact(r, "mattermost.source.config").unwrap()["value"],
        "database"
    );
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains("s3cretpw") && !run.stderr.contains("s3cretpw"));
    // With TLS the stored DataSource (unread) decides: not assessed, never a pass.
    let env = write(
        dir.path(),
        "tls.env",
        "MM_CONFIG=mysql://user:s3cretpw@tcp(db.mattermost.svc:3306)/mattermost?tls=true\n",
    );
    let run = scan(&[
        "--mattermost-config",
        fixture("mattermost/config-default.json").to_str().unwrap(),
        "--mattermost-env",
        env.to_str().unwrap(),
    ]);
    assert_eq!(
        status(&run.report, "database-remote-cleartext"),
        "not-assessed"
    );
    assert!(message(&run.report, "database-remote-cleartext").contains("not read"));
    // Even when the environment also sets a verified DataSource: the stored replicas and
    // the rest of the stored config stay unread.
    let env = write(
        dir.path(),
        "both.env",
        "MM_CONFIG=postgres://u:s3cretpw@db.example/mm?sslmode=verify-full\nMM_SQLSETTINGS_DATASOURCE=postgres://u:s3cretpw@db.example/mm?sslmode=verify-full\nMM_EXPERIMENTALAUDITSETTINGS_FILEENABLED=false\n",
    );
    let run = scan(&[
        "--mattermost-config",
        fixture("mattermost/config-default.json").to_str().unwrap(),
        "--mattermost-env",
        env.to_str().unwrap(),
    ]);
    assert_eq!(
        status(&run.report, "database-remote-cleartext"),
        "not-assessed"
    );
    assert_eq!(status(&run.report, "audit-logging-enabled"), "not-assessed");
    assert!(!run.stdout.contains("s3cretpw") && !run.stderr.contains("s3cretpw"));
}

#[test]
fn the_official_docker_env_file_is_read_as_compose_passes_it() {
    let env = fixture("mattermost-docker/env.example");
    let run = scan(&[
        "--mattermost-config",
        fixture("mattermost/config-default.json").to_str().unwrap(),
        "--mattermost-env",
        env.to_str().unwrap(),
    ]);
    let r = &run.report;
    let site = fact(r, "mattermost.config.ServiceSettings.SiteURL").unwrap();
    assert_eq!(site["value"], "https://mm.example.com");
    assert!(
        site["provenance"]["source"]
            .as_str()
            .unwrap()
            .contains("env.example:"),
        "{site}"
    );
    // postgres://…@postgres:5432/…?sslmode=disable: the compose service, in clear.
    assert_eq!(status(r, "database-remote-cleartext"), "fail");
    let db = fact(r, "mattermost.sql.remote-cleartext").unwrap();
    assert!(db["value"].to_string().contains("postgres:5432"), "{db}");
    assert!(
        db["provenance"]["source"]
            .as_str()
            .unwrap()
            .contains("env.example:"),
        "{db}"
    );
    assert!(!run.stdout.contains("mmuser_password") && !run.stderr.contains("mmuser_password"));
    assert_eq!(status(r, "transport-site-url-https"), "pass");
    assert!(
        run.stderr.contains("reads differently under systemd"),
        "{}",
        run.stderr
    );
    // The same file read as a systemd EnvironmentFile: no expansion.
    let run = scan(&[
        "--mattermost-config",
        fixture("mattermost/config-default.json").to_str().unwrap(),
        "--mattermost-env",
        env.to_str().unwrap(),
        "--mattermost-env-format",
        "systemd",
    ]);
    let site = fact(&run.report, "mattermost.config.ServiceSettings.SiteURL").unwrap();
    assert_eq!(site["value"], "https://${DOMAIN}");
}

#[test]
fn environment_values_follow_the_server_rules() {
    let dir = support::scratch_dir("envrules");
    let env = write(
        dir.path(),
        "mm.env",
        "\u{feff}# lower-case names are upper-cased by the server\nmm_servicesettings_maximumloginattempts=5 # inline comment\nMM_SERVICESETTINGS_ENABLEDEVELOPER=yes\nMM_SQLSETTINGS_DATASOURCEREPLICAS=\"postgres://u:pw@replica.example:5432/mm?sslmode=disable\"\n",
    );
    let run = scan(&[
        "--mattermost-config",
        fixture("mattermost/config-default.json").to_str().unwrap(),
        "--mattermost-env",
        env.to_str().unwrap(),
    ]);
    let r = &run.report;
    assert_ne!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        fact(r, "mattermost.config.ServiceSettings.MaximumLoginAttempts").unwrap()["value"],
        5
    );
    // `yes` is not a Go bool: the server keeps the file's value, and we say which line.
    assert!(
        run.stderr.contains("mm.env:3:36") && run.stderr.contains("keeps the config's value"),
        "{}",
        run.stderr
    );
    assert_eq!(
        fact(r, "mattermost.config.ServiceSettings.EnableDeveloper").unwrap()["value"],
        false
    );
    // The replica override is cited at its env line.
    assert_eq!(status(r, "database-remote-cleartext"), "fail");
    let db = fact(r, "mattermost.sql.remote-cleartext").unwrap();
    assert!(
        db["provenance"]["source"]
            .as_str()
            .unwrap()
            .contains("mm.env:4:"),
        "{db}"
    );
}

#[test]
fn older_keys_are_migrated_and_wrong_types_refused() {
    let dir = support::scratch_dir("older");
    let mut cfg = default_config();
    let ss = cfg["ServiceSettings"].as_object_mut().unwrap();
    ss.remove("SessionLengthWebInHours");
    ss.insert("SessionLengthWebInDays".into(), json!(1));
    let r = scan_config(dir.path(), "old", &cfg, None, &[]).report;
    assert_eq!(
        status(&r, "session-length-web"),
        "pass",
        "{}",
        message(&r, "session-length-web")
    );
    let f = fact(
        &r,
        "mattermost.config.ServiceSettings.SessionLengthWebInHours",
    )
    .unwrap();
    assert_eq!(f["value"], 24);
    assert!(
        f["provenance"]["source"]
            .as_str()
            .unwrap()
            .contains("SessionLengthWebInDays"),
        "{f}"
    );

    let text = std::fs::read_to_string(fixture("mattermost/config-default.json"))
        .unwrap()
        .replacen(
            "\"EnableOpenServer\": false",
            "\"EnableOpenServer\": \"true\"",
            1,
        );
    assert!(text.contains("\"EnableOpenServer\": \"true\""));
    let p = write(dir.path(), "typed.json", &text);
    let line = text
        .lines()
        .position(|l| l.contains("\"EnableOpenServer\""))
        .unwrap()
        + 1;
    let run = scan(&["--mattermost-config", p.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("typed.json:{line}:")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("EnableOpenServer"), "{}", run.stderr);
    // An environment override does not save it: the file is decoded first.
    let env = write(
        dir.path(),
        "fix.env",
        "MM_TEAMSETTINGS_ENABLEOPENSERVER=false\n",
    );
    let run = scan(&[
        "--mattermost-config",
        p.to_str().unwrap(),
        "--mattermost-env",
        env.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn an_environment_file_alone_is_enough_for_a_helm_install() {
    let dir = support::scratch_dir("helmonly");
    let env = write(
        dir.path(),
        "helm.env",
        "MM_CONFIG=mysql://mmuser:s3cretpw@tcp(mysql.mattermost:3306)/mattermost?charset=utf8mb4\nMM_SERVICESETTINGS_SITEURL=https://chat.example.org\n",
    );
    let run = scan(&["--mattermost-env", env.to_str().unwrap()]);
    let r = &run.report;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(status(r, "database-remote-cleartext"), "fail");
    assert_eq!(status(r, "transport-site-url-https"), "pass");
    assert_eq!(status(r, "push-notification-contents"), "not-assessed");
    assert!(!run.stdout.contains("s3cretpw") && !run.stderr.contains("s3cretpw"));
    // Without MM_CONFIG and without a config file, only the environment is known.
    let env = write(
        dir.path(),
        "plain.env",
        "MM_SERVICESETTINGS_ENABLEDEVELOPER=true\n",
    );
    let run = scan(&["--mattermost-env", env.to_str().unwrap()]);
    assert_eq!(status(&run.report, "hardening-developer-mode"), "fail");
    assert_eq!(status(&run.report, "session-idle-timeout"), "not-assessed");
    assert!(message(&run.report, "session-idle-timeout").contains("no config file"));
}
