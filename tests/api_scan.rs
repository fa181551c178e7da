//! The REST API probe against the Mattermost stand-in (tests/support/mm_api.rs): what an
//! anonymous scan decides and what it leaves to an admin token, the token's sources and
//! secrecy, masked secrets, the version against the advisories, and that the scanner sends
//! nothing but the expected GETs.
mod support;

use assert_cmd::Command;
use serde_json::Value;
use support::mm_api::{self, ADMIN_TOKEN, Behaviour, Options, USER_TOKEN};
use support::pki::pki;

fn https(opts: Options) -> mm_api::StandIn {
    let p = pki();
    mm_api::start(Options {
        tls: Some((p.cert("rsa2048"), p.key("rsa2048"))),
        ..opts
    })
}

fn scan(url: &str, extra: &[&str], env: &[(&str, &str)]) -> (i32, Value, String) {
    let mut cmd = Command::cargo_bin("safeguard").unwrap();
    cmd.env_remove("MM_ADMIN_TOKEN")
        .args(["scan", "--url", url, "--ca-file"])
        .arg(pki().ca())
        .args(["--format", "json", "--timeout", "5"])
        .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        !stdout.contains(ADMIN_TOKEN) && !stderr.contains(ADMIN_TOKEN),
        "the token leaked"
    );
    assert!(
        !stdout.contains(USER_TOKEN) && !stderr.contains(USER_TOKEN),
        "the token leaked"
    );
    let v = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), v, stderr)
}

fn finding<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == id)
        .unwrap_or_else(|| panic!("no finding {id}"))
}

fn fact<'a>(report: &'a Value, key: &str) -> Option<&'a Value> {
    report["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .map(|f| &f["value"])
}

/// Every request is a GET of an expected path; never get_server_status.
fn only_expected_gets(s: &mm_api::StandIn) {
    let allowed = [
        "GET /api/v4/system/ping ",
        "GET /api/v4/config/client?format=old ",
        "GET /api/v4/license/client?format=old ",
        "GET /api/v4/config ",
        "GET / ",
    ];
    let reqs = s.requests();
    assert!(!reqs.is_empty());
    for r in &reqs {
        assert!(
            allowed.iter().any(|a| r.starts_with(a)),
            "unexpected request {r:?} in {reqs:#?}"
        );
        assert!(!r.contains("get_server_status"), "{r}");
    }
}

#[test]
fn without_a_token_anonymous_facts_decide_and_the_rest_needs_a_token() {
    let s = https(Options::default());
    let (code, r, stderr) = scan(&s.url, &[], &[]);
    assert!(matches!(code, 1 | 3), "{code} {stderr}");
    // Decided from the anonymous client config.
    assert_eq!(finding(&r, "access-open-server")["status"], "pass");
    // MFA enforcement depends on the licence's MFA feature and the full configuration:
    // without a token it is never passed.
    assert_ne!(finding(&r, "auth-mfa-enforced")["status"], "pass");
    assert_eq!(finding(&r, "access-first-signup-admin")["status"], "pass");
    // Everything else is not assessed, with the reason; never a pass.
    for id in [
        "session-idle-timeout",
        "push-notification-contents",
        "logging-sql-trace",
    ] {
        let f = finding(&r, id);
        assert_eq!(f["status"], "not-assessed", "{id}: {f}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("needs an admin token with a system-console read permission"),
            "{id}: {f}"
        );
    }
    // A pass on a setting rests only on what the anonymous client config said.
    for f in r["findings"].as_array().unwrap() {
        if f["status"] != "pass" {
            continue;
        }
        for e in f["evidence"].as_array().unwrap() {
            if e["key"].as_str().unwrap().starts_with("mattermost.config.") {
                let src = e["source"].as_str().unwrap_or("");
                assert!(src.contains("/api/v4/config/client"), "{f}");
            }
        }
    }
    assert_eq!(fact(&r, "mattermost.api.version").unwrap(), "10.11.1");
    assert_eq!(fact(&r, "mattermost.api.licensed").unwrap(), false);
    let adv = finding(&r, "updates-security-advisories");
    assert_eq!(adv["status"], "fail", "{adv}");
    let missing = fact(&r, "mattermost.advisories.missing-fixes").unwrap();
    let text = missing.to_string();
    assert!(
        text.contains("CVE-") && text.contains("GHSA-") && text.contains("fixed in 10.11."),
        "{text}"
    );
    assert_eq!(
        fact(&r, "mattermost.advisories.data-date").unwrap(),
        "2026-12-02"
    );
    only_expected_gets(&s);
    assert!(
        !s.requests()
            .iter()
            .any(|r| r.starts_with("GET /api/v4/config ["))
    );
}

#[test]
fn an_admin_token_reads_the_effective_config_masked() {
    let s = https(Options {
        config: vec![
            ("EmailSettings.SMTPPassword".into(), "smtp-secret".into()),
            ("LdapSettings.BindPassword".into(), "".into()),
            (
                "ServiceSettings.ExtendSessionLengthWithActivity".into(),
                false.into(),
            ),
        ],
        ..Options::default()
    });
    let (code, r, stderr) = scan(&s.url, &[], &[("MM_ADMIN_TOKEN", ADMIN_TOKEN)]);
    assert!(matches!(code, 1 | 3), "{code} {stderr}");
    assert_eq!(fact(&r, "mattermost.api.config-read").unwrap(), true);
    // The mask of a set-only secret means "set"; an empty one stays empty.
    assert_eq!(
        fact(&r, "mattermost.config.EmailSettings.SMTPPassword").unwrap(),
        "<redacted>"
    );
    assert_eq!(
        fact(&r, "mattermost.config.LdapSettings.BindPassword").unwrap(),
        ""
    );
    // Always-masked settings tell nothing: absent, and the DB transport not assessed.
    assert!(fact(&r, "mattermost.config.SqlSettings.DataSource").is_none());
    assert!(fact(&r, "mattermost.config.SqlSettings.AtRestEncryptKey").is_none());
    assert!(fact(&r, "mattermost.config.FileSettings.PublicLinkSalt").is_none());
    assert_eq!(
        finding(&r, "database-remote-cleartext")["status"],
        "not-assessed"
    );
    assert_ne!(
        finding(&r, "session-idle-timeout")["status"],
        "not-assessed"
    );
    let notes = r["evidence"]["attempts"].to_string();
    assert!(notes.contains("audit log"), "{notes}");
    assert!(
        s.requests()
            .contains(&"GET /api/v4/config [admin-token]".to_owned())
    );
    only_expected_gets(&s);
}

#[test]
fn a_non_admin_token_is_an_error_naming_the_permission() {
    let s = https(Options::default());
    let (code, r, _) = scan(
        &s.url,
        &["--token-env", "MY_TOKEN"],
        &[("MY_TOKEN", USER_TOKEN)],
    );
    assert_eq!(
        code, 1,
        "the gate fails on the anonymous findings before incompleteness"
    );
    assert_eq!(r["gate"]["incomplete"], true);
    let f = finding(&r, "session-idle-timeout");
    assert_eq!(f["status"], "error");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("lacks a system-console read permission"),
        "{f}"
    );
    assert!(f["message"].as_str().unwrap().contains("MY_TOKEN"));
}

#[test]
fn a_rejected_token_from_a_world_readable_file_warns_and_errors() {
    let s = https(Options::default());
    let dir = support::scratch_dir("token");
    let path = dir.path().join("token");
    std::fs::write(&path, "not-a-valid-token\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let (code, r, stderr) = scan(&s.url, &["--token-file", path.to_str().unwrap()], &[]);
    assert!(stderr.contains("readable by group or others"), "{stderr}");
    assert_eq!(code, 1);
    assert_eq!(r["gate"]["incomplete"], true);
    let f = finding(&r, "session-idle-timeout");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("rejected (HTTP 401)"),
        "{f}"
    );
    assert!(!stderr.contains("not-a-valid-token") && !r.to_string().contains("not-a-valid-token"));
}

#[test]
fn an_unset_token_variable_is_a_usage_error() {
    let (code, _, stderr) = scan(
        "https://127.0.0.1:9",
        &["--token-env", "SAFEGUARD_NO_SUCH_VAR"],
        &[],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("SAFEGUARD_NO_SUCH_VAR is not set"),
        "{stderr}"
    );
}

#[test]
fn version_unknown_is_not_assessed_and_newer_than_the_data_warns() {
    let s = https(Options {
        version_id: None,
        version: ("".into(), "".into()),
        ..Options::default()
    });
    let (_, r, _) = scan(&s.url, &[], &[]);
    let f = finding(&r, "updates-security-advisories");
    assert_eq!(f["status"], "not-assessed");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("version is unknown"),
        "{f}"
    );
    assert_eq!(
        fact(&r, "mattermost.api.version-header-exposed").unwrap(),
        false
    );

    let s = https(Options {
        version_id: Some("99.1.0.99.1.0.0123456789abcdef0123456789abcdef.false".into()),
        ..Options::default()
    });
    let (_, r, _) = scan(&s.url, &[], &[]);
    assert_eq!(finding(&r, "updates-security-advisories")["status"], "warn");
    assert_eq!(
        fact(&r, "mattermost.advisories.version-beyond-data").unwrap(),
        true
    );
}

/// Hostile servers over plain HTTP, through the probe itself: each is a failed attempt
/// with a clear reason, quickly, and nothing panics.
#[test]
fn hostile_servers_fail_cleanly() {
    use safeguard::advisories::AdvisoryData;
    use safeguard::evidence::AttemptOutcome;
    use safeguard::probe::api::{ApiTarget, collect};
    use std::sync::Arc;
    use std::time::{Duration, Instant};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let data = Arc::new(AdvisoryData::builtin());
    for (b, expect) in [
        (Behaviour::NotMattermost, "answered HTTP 404"),
        (Behaviour::Html, "text/html instead of JSON"),
        (Behaviour::RedirectLoop, "redirect"),
        (Behaviour::Huge, "larger than 4 MiB"),
        (Behaviour::Slow(4), "timed out"),
    ] {
        let s = mm_api::start(Options {
            behaviour: b,
            ..Options::default()
        });
        let target = ApiTarget {
            url: url::Url::parse(&s.url).unwrap(),
            token: None,
            ca_file: None,
            advisories: data.clone(),
        };
        let start = Instant::now();
        let ev = rt.block_on(collect(&target, None, Duration::from_secs(1)));
        assert!(
            start.elapsed() < Duration::from_secs(4),
            "{b:?} took {:?}",
            start.elapsed()
        );
        let reason = ev
            .attempts
            .iter()
            .find_map(|a| match &a.outcome {
                AttemptOutcome::Failed { reason } => Some(reason.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{b:?}: no failed attempt: {ev:?}"));
        assert!(reason.contains(expect), "{b:?}: {reason}");
        assert!(ev.facts.is_empty(), "{b:?}");
    }
}

/// The plain-HTTP stand-in through the probe: the anonymous facts and the three GETs.
#[test]
fn http_stand_in_anonymous_read() {
    use safeguard::advisories::AdvisoryData;
    use safeguard::probe::api::{ApiTarget, collect};
    use std::sync::Arc;
    let s = mm_api::start(Options {
        licensed: true,
        ..Options::default()
    });
    let rt = tokio::runtime::Runtime::new().unwrap();
    let target = ApiTarget {
        url: url::Url::parse(&s.url).unwrap(),
        token: None,
        ca_file: None,
        advisories: Arc::new(AdvisoryData::builtin()),
    };
    let ev = rt.block_on(collect(&target, None, std::time::Duration::from_secs(5)));
    let get = |k: &str| {
        ev.facts
            .iter()
            .find(|f| f.key.as_str() == k)
            .map(|f| f.value.clone())
    };
    assert_eq!(
        get("mattermost.api.licensed"),
        Some(safeguard::evidence::FactValue::Bool(true))
    );
    assert!(
        format!("{:?}", get("mattermost.api.license-features"))
            .contains("IDLoadedPushNotifications")
    );
    assert_eq!(
        s.requests(),
        vec![
            "GET /api/v4/system/ping [no-token]",
            "GET /api/v4/config/client?format=old [no-token]",
            "GET /api/v4/license/client?format=old [no-token]",
        ]
    );
}

/// A web server that is not Mattermost, through the command line: the TLS and HTTP
/// findings stand, everything the API would give is `error` with the reason, exit 3 or 1.
#[test]
fn a_site_that_is_not_mattermost_is_an_error_not_a_pass() {
    let s = https(Options {
        behaviour: Behaviour::NotMattermost,
        ..Options::default()
    });
    let (code, r, stderr) = scan(&s.url, &[], &[]);
    assert!(matches!(code, 1 | 3), "{code}: {stderr}");
    assert_eq!(r["gate"]["incomplete"], true);
    for id in [
        "updates-security-advisories",
        "access-open-server",
        "session-idle-timeout",
    ] {
        let f = finding(&r, id);
        assert_eq!(f["status"], "error", "{id}: {f}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("does not look like a Mattermost server"),
            "{id}: {f}"
        );
    }
    assert_eq!(finding(&r, "tls-protocol-ssl")["status"], "pass");
}
