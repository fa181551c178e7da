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

#[test]
fn loopback_ldap_without_tls_is_a_tunnel_to_confirm_not_a_fail() {
    let mut cfg = config("config-hardened.json");
    cfg["LdapSettings"]["LdapServer"] = Value::from("127.0.0.1");
    cfg["LdapSettings"]["ConnectionSecurity"] = Value::from("");
    // AD/LDAP sign-in needs the licence's LDAP feature: give the full licence.
    let licence = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mattermost/license-full.json"
    );
    let with_licence = ["--mattermost-license", licence];
    let (_, r) = scan(&cfg, &with_licence);
    assert_eq!(
        status(&r, "ldap-config-connection-security"),
        "not-applicable"
    );
    let pending: Vec<String> = r["scores"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["manual_pending"].as_array().unwrap().clone())
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert!(
        pending.iter().any(|m| m == "ldap-loopback-tunnel"),
        "{pending:?}"
    );
    cfg["LdapSettings"]["LdapServer"] = Value::from("ldap.example.org");
    let (_, r) = scan(&cfg, &with_licence);
    assert_eq!(status(&r, "ldap-config-connection-security"), "fail");
}

#[test]
fn tls_min_versions_the_server_accepts_do_not_fail() {
    let mut cfg = config("config-hardened.json");
    for (v, want) in [
        ("1.3", "pass"),
        ("", "pass"),
        ("1.2", "pass"),
        ("1.1", "fail"),
        ("1.0", "fail"),
    ] {
        cfg["ServiceSettings"]["TLSMinVer"] = Value::from(v);
        let (_, r) = scan(&cfg, &[]);
        assert_eq!(
            status(&r, "transport-native-tls-min-version"),
            want,
            "TLSMinVer {v:?}"
        );
    }
}

#[test]
fn smtp_is_judged_by_the_server_not_by_notifications() {
    let mut cfg = config("config-hardened.json");
    cfg["EmailSettings"]["SMTPServer"] = Value::from("");
    cfg["EmailSettings"]["ConnectionSecurity"] = Value::from("");
    let (_, r) = scan(&cfg, &[]);
    assert_eq!(
        status(&r, "smtp-connection-security"),
        "not-applicable",
        "no mail at all"
    );
    cfg["EmailSettings"]["SMTPServer"] = Value::from("smtp.example.org");
    cfg["EmailSettings"]["SendEmailNotifications"] = Value::from(false);
    let (_, r) = scan(&cfg, &[]);
    assert_eq!(
        status(&r, "smtp-connection-security"),
        "fail",
        "password-reset mail still goes out"
    );
}

#[test]
fn the_push_proxy_is_judged_by_its_origin() {
    let mut cfg = config("config-hardened.json");
    for (url, want) in [
        ("https://push-test.mattermost.com:443/", "fail"),
        ("https://PUSH-TEST.mattermost.com/api/v1", "fail"),
        ("https://push.mattermost.com/", "pass"),
        ("http://push.example.org:8066", "fail"),
    ] {
        cfg["EmailSettings"]["PushNotificationServer"] = Value::from(url);
        let (_, r) = scan(&cfg, &[]);
        assert_eq!(status(&r, "push-proxy-server"), want, "{url}");
    }
}

#[test]
fn replica_lag_data_sources_are_judged_like_the_primary() {
    let mut cfg = config("config-hardened.json");
    cfg["SqlSettings"]["ReplicaLagSettings"] = serde_json::json!([{
        "DataSource": "postgres://u:pw@replica.example.org:5432/mm?sslmode=disable",
        "QueryAbsoluteLag": "", "QueryTimeLag": ""
    }]);
    let (_, r) = scan(&cfg, &[]);
    assert_eq!(status(&r, "database-remote-cleartext"), "fail");
    let msg = finding(&r, "database-remote-cleartext")["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(msg.contains("ReplicaLagSettings[0]"), "{msg}");
}

#[test]
fn suites_allowlist_failures_name_only_the_offenders() {
    use safeguard::check::{Example, FindingStatus, examples};
    use safeguard::evidence::FactValue;
    let checks = safeguard::check::load_builtin().unwrap();
    let check = checks.get("tls-suites-allowlist").unwrap();
    let accepted: Vec<String> = [
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256",
    ]
    .map(str::to_owned)
    .to_vec();
    let ex = Example {
        facts: vec![("tls.suites.accepted".into(), FactValue::StrList(accepted))],
        expect: FindingStatus::Fail,
        profile: None,
        note: None,
        line: 0,
    };
    let params = examples::check_params(check, &Default::default());
    let f = safeguard::check::evaluate(check, &params, &examples::example_evidence(&ex));
    assert_eq!(f[0].status, FindingStatus::Fail);
    assert_eq!(
        f[0].message,
        "tls.suites.accepted has 2 of 6 not in `tls-suites-allowed`: TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_ARIA_128_GCM_SHA256"
    );
}

#[test]
fn new_checks_read_the_config_as_the_server_does() {
    let mut cfg = config("config-hardened.json");
    // A remote syslog audit target without TLS, a DEBUG server target, the AI plugin.
    cfg["ExperimentalAuditSettings"]["AdvancedLoggingJSON"] = serde_json::json!({
        "siem": {"type": "syslog", "format": "json",
                 "levels": [{"id": 100, "name": "audit-api"}],
                 "options": {"ip": "10.0.0.5", "port": 514, "tls": false}},
        "local": {"type": "tcp", "format": "json",
                  "levels": [{"id": 100, "name": "audit-api"}],
                  "options": {"ip": "127.0.0.1", "port": 5140, "tls": false}}
    });
    cfg["LogSettings"]["AdvancedLoggingJSON"] = Value::from(
        r#"{"everything": {"type": "file", "levels": [{"id": 5, "name": "debug"}], "options": {"filename": "/var/log/mm.log"}}}"#,
    );
    cfg["PluginSettings"]["PluginStates"]["mattermost-ai"]["Enable"] = Value::from(true);
    cfg["MetricsSettings"]["Enable"] = Value::from(true);
    cfg["MetricsSettings"]["ListenAddress"] = Value::from(":8067");
    cfg["ServiceSettings"]["AllowCorsFrom"] = Value::from("*");
    cfg["ServiceSettings"]["CorsAllowCredentials"] = Value::from(true);
    let (code, r) = scan(&cfg, &[]);
    assert_eq!(code, 1);
    for (id, want) in [
        ("audit-remote-targets-tls", "fail"),
        ("logging-advanced-debug", "fail"),
        ("plugins-content-egress", "fail"),
        ("hardening-metrics-listener", "fail"),
        ("access-cors-wildcard", "fail"),
        ("hardening-api-rate-limit", "pass"),
    ] {
        assert_eq!(status(&r, id), want, "{id}: {}", finding(&r, id)["message"]);
    }
    let msg = finding(&r, "audit-remote-targets-tls")["message"].to_string();
    assert!(
        msg.contains("audit:siem (syslog to 10.0.0.5, no TLS)") && !msg.contains("local"),
        "{msg}"
    );
    let msg = finding(&r, "plugins-content-egress")["message"].to_string();
    assert!(
        msg.contains("forbidden by `plugins-content-egress`: mattermost-ai"),
        "{msg}"
    );
}

#[test]
fn the_default_config_fails_the_new_checks_and_the_hardened_one_passes_them() {
    let (code, r) = scan(&config("config-default.json"), &[]);
    assert_eq!(code, 1);
    for id in [
        "hardening-api-rate-limit",
        "access-email-verification",
        "access-signup-domains",
        "plugins-content-egress",
        "logging-notification-level",
    ] {
        assert_eq!(status(&r, id), "fail", "{id}");
    }
    for profile in ["hipaa-technical", "hipaa-2025-nprm"] {
        let (_, r) = scan(&config("config-hardened.json"), &["--profile", profile]);
        let failing: Vec<String> = r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["status"] == "fail" || f["status"] == "warn")
            .map(|f| format!("{} {}", f["check_id"], f["message"]))
            .collect();
        assert!(failing.is_empty(), "{profile}: {failing:#?}");
    }
}

#[test]
fn the_hardened_config_with_a_full_licence_has_no_failing_finding() {
    let dir = support::scratch_dir("licence");
    let licence = write(
        dir.path(),
        "licence.json",
        r#"{"IsLicensed":"true","IDLoadedPushNotifications":"true","EmailNotificationContents":"true",
            "Compliance":"true","MessageExport":"true","Cluster":"true","Metrics":"true","MFA":"true",
            "LDAP":"true","SAML":"true","DataRetention":"true","AdvancedLogging":"true",
            "GuestAccounts":"true","OpenId":"true"}"#,
    );
    let (code, r) = scan(
        &config("config-hardened.json"),
        &["--mattermost-license", licence.to_str().unwrap()],
    );
    let bad: Vec<String> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| ["fail", "warn", "error"].contains(&f["status"].as_str().unwrap()))
        .map(|f| format!("{} {} {}", f["check_id"], f["status"], f["message"]))
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
    assert_eq!(code, 0);
}
