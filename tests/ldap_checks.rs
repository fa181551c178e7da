//! The `checks/ldap/` checks evaluated on evidence from real slapd instances plus
//! Mattermost `LdapSettings` facts: each check seen to pass and to fail, and the config
//! cross-checks applied only to the endpoint the config points to.

mod support;

use safeguard::check::{self, eval};
use safeguard::evidence::{Evidence, FactMaker, FactValue};
use safeguard::probe::ldap::{self, LdapEndpoint, LdapOptions};
use std::collections::BTreeMap;
use std::time::Duration;
use support::slapd::{self, Variant};

/// Deployment-wide config facts as the Mattermost probe would emit them.
fn config(server: &str, port: u16, security: &str, skip_verify: bool) -> Evidence {
    let mk = FactMaker::new("mattermost", None);
    let mut ev = Evidence::default();
    for (k, v) in [
        ("Enable", FactValue::Bool(true)),
        ("EnableSync", FactValue::Bool(false)),
        ("LdapServer", FactValue::Str(server.into())),
        ("LdapPort", FactValue::Int(port.into())),
        ("ConnectionSecurity", FactValue::Str(security.into())),
        ("SkipCertificateVerification", FactValue::Bool(skip_verify)),
    ] {
        ev.insert(mk.fact(
            &format!("mattermost.config.LdapSettings.{k}"),
            v,
            "config.json",
        ));
    }
    ev
}

/// Probes the config's endpoint plus `extra` URLs, the way a scan does, and marks them.
fn scan(mut ev: Evidence, extra: &[String]) -> Evidence {
    let opts = LdapOptions {
        ca_file: Some(support::pki::pki().ca()),
        timeout: Duration::from_secs(5),
    };
    let mut endpoints = ldap::endpoints_from_config(&ev);
    assert_eq!(endpoints.len(), 1, "the config names one endpoint");
    endpoints.extend(extra.iter().map(|u| LdapEndpoint::parse(u).unwrap()));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for ep in &endpoints {
        ev.extend(rt.block_on(ldap::collect(ep, &opts)));
    }
    ldap::mark_config_endpoints(&mut ev);
    ev
}

/// Status of check `id` on `subject`.
fn status(ev: &Evidence, id: &str, subject: &str) -> String {
    let checks = check::load_builtin().expect("checks load");
    let c = checks.get(id).unwrap_or_else(|| panic!("no check {id}"));
    let findings = eval::evaluate(c, &BTreeMap::new(), ev);
    let f = findings
        .iter()
        .find(|f| f.subject.as_deref() == Some(subject))
        .unwrap_or_else(|| panic!("{id}: no finding for {subject}: {findings:?}"));
    f.status.as_str().to_owned()
}

fn expect(ev: &Evidence, subject: &str, want: &[(&str, &str)]) {
    let got: Vec<(String, String)> = want
        .iter()
        .map(|(id, _)| ((*id).to_owned(), status(ev, id, subject)))
        .collect();
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(got, want, "{subject}");
}

#[test]
fn plain_directory_with_cleartext_config() {
    let s = slapd::start(Variant::Plain);
    let other = s.ldaps_url();
    let ev = scan(
        config("127.0.0.1", s.port, "", false),
        std::slice::from_ref(&other),
    );
    expect(
        &ev,
        &s.ldap_url(),
        &[
            ("ldap-cleartext-bind-refused", "fail"),
            ("ldap-starttls-offered", "pass"),
            ("ldap-certificate-valid", "pass"),
            ("ldap-anonymous-bind", "fail"),
            ("ldap-config-starttls-unused", "fail"),
            ("ldap-config-plaintext-on-tls-port", "pass"),
            ("ldap-config-tls-on-plaintext-port", "not-applicable"),
            ("ldap-config-certificate-name", "not-applicable"),
        ],
    );
    // The LDAPS endpoint given on the command line is not the configured one: the config
    // cross-checks do not apply to it, the endpoint checks do.
    expect(
        &ev,
        &other,
        &[
            ("ldap-cleartext-bind-refused", "not-applicable"),
            ("ldap-certificate-valid", "pass"),
            ("ldap-config-starttls-unused", "not-applicable"),
            ("ldap-config-plaintext-on-tls-port", "not-applicable"),
        ],
    );
}

#[test]
fn hardened_directory_with_starttls_config() {
    let s = slapd::start(Variant::TlsReq);
    let ev = scan(config("localhost", s.port, "STARTTLS", false), &[]);
    let subject = format!("ldap://localhost:{}", s.port);
    expect(
        &ev,
        &subject,
        &[
            ("ldap-cleartext-bind-refused", "pass"),
            ("ldap-starttls-offered", "pass"),
            ("ldap-certificate-valid", "pass"),
            ("ldap-config-starttls-unused", "not-applicable"),
            ("ldap-config-plaintext-on-tls-port", "pass"),
            ("ldap-config-certificate-name", "pass"),
            (
                "ldap-config-skip-verification-invalid-cert",
                "not-applicable",
            ),
        ],
    );
}

#[test]
fn tls_configured_on_the_plaintext_port() {
    let s = slapd::start(Variant::TlsReq);
    let ev = scan(config("127.0.0.1", s.port, "TLS", false), &[]);
    let subject = format!("ldaps://127.0.0.1:{}", s.port);
    expect(
        &ev,
        &subject,
        &[
            ("ldap-config-tls-on-plaintext-port", "fail"),
            // Nothing could be learnt over TLS on that port: an error, never a pass.
            ("ldap-certificate-valid", "error"),
            ("ldap-cleartext-bind-refused", "not-applicable"),
        ],
    );
}

#[test]
fn plaintext_configured_on_the_ldaps_port() {
    let s = slapd::start(Variant::Plain);
    let ev = scan(config("127.0.0.1", s.tls_port, "STARTTLS", false), &[]);
    let subject = format!("ldap://127.0.0.1:{}", s.tls_port);
    expect(
        &ev,
        &subject,
        &[("ldap-config-plaintext-on-tls-port", "fail")],
    );
}

#[test]
fn no_starttls_and_skipped_verification_of_a_wrong_certificate() {
    let s = slapd::start(Variant::NoTls);
    let ev = scan(config("127.0.0.1", s.port, "", false), &[]);
    expect(
        &ev,
        &s.ldap_url(),
        &[
            ("ldap-starttls-offered", "fail"),
            ("ldap-certificate-valid", "not-applicable"),
            ("ldap-config-starttls-unused", "pass"),
        ],
    );

    // Untrusted certificate (no --ca-file) with SkipCertificateVerification on.
    let s = slapd::start(Variant::Plain);
    let mut ev = config("127.0.0.1", s.port, "STARTTLS", true);
    let ep = ldap::endpoints_from_config(&ev).remove(0);
    let opts = LdapOptions {
        ca_file: None,
        timeout: Duration::from_secs(5),
    };
    ev.extend(
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(ldap::collect(&ep, &opts)),
    );
    ldap::mark_config_endpoints(&mut ev);
    expect(
        &ev,
        &ep.subject(),
        &[
            ("ldap-certificate-valid", "fail"),
            ("ldap-config-skip-verification-invalid-cert", "fail"),
            ("ldap-config-certificate-name", "pass"),
        ],
    );
}

#[test]
fn tls_checks_judge_the_directory_tls_on_the_same_subject() {
    let weak = slapd::start(Variant::WeakTls);
    let hard = slapd::start(Variant::TlsReq);
    let urls = [
        weak.ldap_url(),
        weak.ldaps_url(),
        hard.ldap_url(),
        hard.ldaps_url(),
    ];
    // Any config: these are endpoint checks.
    let ev = scan(config("127.0.0.1", hard.port, "STARTTLS", false), &urls);
    for url in &urls[..2] {
        expect(
            &ev,
            url,
            &[
                ("tls-protocol-legacy-tls", "fail"),
                ("tls-suites-weak", "fail"),
            ],
        );
    }
    for url in &urls[2..] {
        expect(
            &ev,
            url,
            &[
                ("tls-protocol-legacy-tls", "pass"),
                ("tls-suites-weak", "pass"),
            ],
        );
    }
}
