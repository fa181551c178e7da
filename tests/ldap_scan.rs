//! `safeguard scan` with the LDAP probe: the endpoint the config names is probed and the
//! config cross-checks apply to it, not to other `--ldap` endpoints.

mod support;

use support::slapd::{self, Variant};

#[test]
fn scan_cross_checks_the_configured_directory_only() {
    let s = slapd::start(Variant::Plain);
    let dir = support::scratch_dir("ldap-scan");
    let mut cfg: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(support::fixture("mattermost/config-default.json")).unwrap(),
    )
    .unwrap();
    cfg["LdapSettings"]["Enable"] = true.into();
    cfg["LdapSettings"]["LdapServer"] = "127.0.0.1".into();
    cfg["LdapSettings"]["LdapPort"] = s.port.into();
    cfg["LdapSettings"]["ConnectionSecurity"] = "".into();
    let path = dir.path().join("config.json");
    std::fs::write(&path, cfg.to_string()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(["scan", "--mattermost-config"])
        .arg(&path)
        .args([
            "--probe-configured-endpoints",
            "--ldap",
            &s.ldaps_url(),
            "--format",
            "json",
            "--ca-file",
        ])
        .arg(support::pki::pki().ca())
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let status = |id: &str, subject: &str| -> String {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["check_id"] == id && f["subject"] == subject)
            .unwrap_or_else(|| panic!("no {id} finding for {subject}"))["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let configured = s.ldap_url();
    assert_eq!(status("ldap-config-starttls-unused", &configured), "fail");
    assert_eq!(
        status("ldap-config-plaintext-on-tls-port", &configured),
        "pass"
    );
    assert_eq!(status("ldap-cleartext-bind-refused", &configured), "fail");
    assert_eq!(
        status("ldap-config-starttls-unused", &s.ldaps_url()),
        "not-applicable"
    );
    assert_eq!(status("ldap-certificate-valid", &s.ldaps_url()), "pass");
    assert_eq!(out.status.code(), Some(1), "the gate fails");
}
