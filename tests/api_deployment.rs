//! `safeguard scan --url` on a whole local deployment: the Mattermost stand-in behind
//! HTTPS with the test CA, the LDAP server its configuration names (a real slapd), the
//! database hop the config file names (unreachable here: not assessed with the reason),
//! and the config file, which disagrees with the server on one setting (the API wins and
//! the disagreement is reported).
mod support;

use assert_cmd::Command;
use serde_json::{Value, json};
use support::mm_api::{self, ADMIN_TOKEN, Options};
use support::pki::pki;
use support::slapd::{self, Variant};

#[test]
fn whole_deployment_scan() {
    let p = pki();
    let ldap = slapd::start(Variant::Plain);
    let site = mm_api::start(Options {
        tls: Some((p.cert("rsa2048"), p.key("rsa2048"))),
        config: vec![
            ("LdapSettings.Enable".into(), json!(true)),
            ("LdapSettings.LdapServer".into(), json!("127.0.0.1")),
            ("LdapSettings.LdapPort".into(), json!(ldap.port)),
            ("LdapSettings.ConnectionSecurity".into(), json!("STARTTLS")),
            ("ServiceSettings.EnableDeveloper".into(), json!(false)),
        ],
        ..Options::default()
    });
    let dir = support::scratch_dir("deployment");
    let mut cfg: Value = serde_json::from_str(
        &std::fs::read_to_string(support::fixture("mattermost/config-default.json")).unwrap(),
    )
    .unwrap();
    cfg["SqlSettings"]["DataSource"] =
        json!("postgres://mmuser:pw@db.invalid:5432/mattermost?sslmode=verify-full");
    cfg["ServiceSettings"]["EnableDeveloper"] = json!(true);
    cfg["ServiceSettings"]["SiteURL"] = json!(site.url);
    let cfg_path = dir.path().join("config.json");
    std::fs::write(&cfg_path, cfg.to_string()).unwrap();

    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .env("MM_ADMIN_TOKEN", ADMIN_TOKEN)
        .args(["scan", "--url", &site.url, "--ca-file"])
        .arg(p.ca())
        .arg("--mattermost-config")
        .arg(&cfg_path)
        .args(["--format", "json", "--timeout", "5"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(ADMIN_TOKEN));
    let r: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let findings = r["findings"].as_array().unwrap();
    let on = |id: &str, subject: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| {
                f["check_id"] == id && f["subject"].as_str().unwrap_or("").starts_with(subject)
            })
            .map(|f| f["status"].as_str().unwrap().to_owned())
            .collect()
    };
    // TLS and HTTP hygiene of the site.
    let site_subject = format!("https://127.0.0.1:{}", site.port);
    assert_eq!(on("tls-protocol-ssl", &site_subject), vec!["pass"]);
    assert_eq!(on("tls-hsts", &site_subject).len(), 1);
    // The LDAP server the API's configuration names was probed.
    let ldap_subject = format!("ldap://127.0.0.1:{}", ldap.port);
    assert_eq!(
        on("ldap-starttls-offered", &ldap_subject),
        vec!["pass"],
        "{findings:#?}"
    );
    // The database hop: named by the file, unreachable, not assessed with the reason.
    let db: Vec<&Value> = findings
        .iter()
        .filter(|f| f["subject"] == "postgres://db.invalid:5432")
        .collect();
    assert!(!db.is_empty(), "no finding on the database hop");
    for f in &db {
        assert_eq!(f["status"], "not-assessed", "{f}");
        assert!(
            f["message"]
                .as_str()
                .unwrap()
                .contains("not reachable from the scanner"),
            "{f}"
        );
    }
    // The API wins over the file, and says so.
    let fact = |k: &str| {
        r["evidence"]["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == k)
            .cloned()
            .unwrap_or_else(|| panic!("no fact {k}"))
    };
    let dev = fact("mattermost.config.ServiceSettings.EnableDeveloper");
    assert_eq!(dev["value"], false);
    assert_eq!(dev["provenance"]["probe"], "mattermost-api");
    assert!(
        fact("mattermost.api.config-disagreements")["value"]
            .to_string()
            .contains("ServiceSettings.EnableDeveloper")
    );
    // The DSN from the file still gives the database transport facts.
    assert_eq!(on("database-remote-cleartext", ""), vec!["pass"]);
    let reqs = site.requests();
    assert!(reqs.iter().all(|r| r.starts_with("GET ")), "{reqs:?}");
}
