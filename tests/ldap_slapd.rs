//! The LDAP probe against real slapd instances, one per variant (see
//! `tests/support/slapd.rs`): the verdicts the issue asks for, per variant.

mod support;

use safeguard::evidence::{AttemptOutcome, FactValue};
use safeguard::probe::ldap::{self, LdapAssessment, LdapEndpoint, LdapError, LdapOptions};
use std::time::Duration;
use support::slapd::{self, Variant};

fn opts() -> LdapOptions {
    LdapOptions {
        ca_file: Some(support::pki::pki().ca()),
        timeout: Duration::from_secs(5),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn assess(url: &str, opts: &LdapOptions) -> Result<LdapAssessment, LdapError> {
    let ep = LdapEndpoint::parse(url).unwrap();
    runtime().block_on(ldap::assess(&ep, opts))
}

fn ok(url: &str) -> LdapAssessment {
    let a = assess(url, &opts()).unwrap_or_else(|e| panic!("{url}: {e}"));
    let real_errors: Vec<_> = a
        .errors
        .iter()
        .filter(|e| e.step != "tls-enumeration")
        .collect();
    assert!(real_errors.is_empty(), "{url}: {:?}", a.errors);
    a
}

fn cleartext_rc(a: &LdapAssessment) -> u32 {
    a.cleartext_bind
        .as_ref()
        .expect("cleartext-bind test ran")
        .outcome
        .result_code
}

#[test]
fn plain_evaluates_passwords_in_the_clear() {
    let s = slapd::start(Variant::Plain);
    let a = ok(&s.ldap_url());
    assert_eq!(a.speaks_plaintext, Some(true));
    assert_eq!(a.speaks_tls, Some(false));
    let dse = a.root_dse.as_ref().expect("root DSE");
    assert!(dse.starttls_advertised);
    assert_eq!(dse.read_over, "plaintext");
    assert_eq!(dse.vendor.as_deref(), Some("OpenLDAP"));
    let st = a.starttls.as_ref().unwrap();
    assert!(st.accepted);
    let cert = st.certificate.as_ref().unwrap();
    assert_eq!(cert.valid(), Some(true), "{cert:?}");
    assert_eq!(cert.hostname_match, Some(true));
    // 49 invalidCredentials: the dummy password was evaluated in the clear.
    assert_eq!(cleartext_rc(&a), 49);
    assert_eq!(a.cleartext_bind.as_ref().unwrap().refused, Some(false));
    let anon = a.anonymous_bind.as_ref().unwrap();
    assert!(anon.allowed);
    assert_eq!(anon.over, "starttls");

    let l = ok(&s.ldaps_url());
    assert_eq!(
        (l.speaks_tls, l.speaks_plaintext),
        (Some(true), Some(false))
    );
    assert!(
        l.ldaps
            .as_ref()
            .unwrap()
            .certificate
            .as_ref()
            .unwrap()
            .valid()
            == Some(true)
    );
    assert!(
        l.cleartext_bind.is_none(),
        "no cleartext test on an LDAPS port"
    );
    assert!(l.anonymous_bind.as_ref().unwrap().allowed);
}

#[test]
fn tlsreq_refuses_cleartext_binds() {
    let s = slapd::start(Variant::TlsReq);
    let a = ok(&s.ldap_url());
    assert_eq!(cleartext_rc(&a), 13);
    assert_eq!(a.cleartext_bind.as_ref().unwrap().refused, Some(true));
    assert!(a.starttls.as_ref().unwrap().accepted);
    assert!(a.root_dse.as_ref().unwrap().starttls_advertised);
    // Anonymous binds carry no password, so security simple_bind=128 does not stop them.
    assert!(a.anonymous_bind.as_ref().unwrap().allowed);
}

#[test]
fn ssfreq_refuses_everything_in_the_clear() {
    let s = slapd::start(Variant::SsfReq);
    let a = ok(&s.ldap_url());
    assert_eq!(cleartext_rc(&a), 13);
    assert_eq!(a.cleartext_bind.as_ref().unwrap().refused, Some(true));
    assert!(a.starttls.as_ref().unwrap().accepted);
    let dse = a
        .root_dse
        .as_ref()
        .expect("root DSE, over plaintext or after StartTLS");
    assert!(dse.starttls_advertised);
    let anon = a.anonymous_bind.as_ref().unwrap();
    assert_eq!(anon.over, "starttls");
}

#[test]
fn notls_offers_no_starttls() {
    let s = slapd::start(Variant::NoTls);
    let a = ok(&s.ldap_url());
    assert!(!a.root_dse.as_ref().unwrap().starttls_advertised);
    let st = a.starttls.as_ref().unwrap();
    assert!(!st.accepted);
    assert_eq!(
        st.result_code,
        Some(2),
        "protocolError: unsupported extended operation"
    );
    assert!(st.certificate.is_none());
    assert_eq!(cleartext_rc(&a), 49);
    let anon = a.anonymous_bind.as_ref().unwrap();
    assert!(anon.allowed);
    assert_eq!(anon.over, "plaintext");
    // Nothing listens on its LDAPS port.
    match assess(&s.ldaps_url(), &opts()) {
        Err(LdapError::Unreachable { reason, .. }) => {
            assert!(reason.contains("refused"), "{reason}")
        }
        other => panic!("expected unreachable, got {other:?}"),
    }
}

#[test]
fn weaktls_allows_cleartext_binds_and_starttls() {
    let s = slapd::start(Variant::WeakTls);
    let a = ok(&s.ldap_url());
    assert_eq!(cleartext_rc(&a), 49);
    assert!(a.starttls.as_ref().unwrap().accepted);
    let l = ok(&s.ldaps_url());
    assert!(
        l.ldaps
            .as_ref()
            .unwrap()
            .certificate
            .as_ref()
            .unwrap()
            .valid()
            == Some(true)
    );
}

#[test]
fn untrusted_certificate_is_reported_not_fatal() {
    let s = slapd::start(Variant::Plain);
    let no_ca = LdapOptions {
        ca_file: None,
        timeout: Duration::from_secs(5),
    };
    let a = assess(&s.ldap_url(), &no_ca).unwrap();
    let cert = a.starttls.as_ref().unwrap().certificate.as_ref().unwrap();
    assert_eq!(cert.valid(), Some(false));
    assert!(
        cert.validation_error
            .as_deref()
            .unwrap_or_default()
            .contains("UnknownIssuer"),
        "{cert:?}"
    );
    assert_eq!(cert.hostname_match, Some(true));
    // The session still ran over the unvalidated TLS (no credential is ever sent).
    assert!(a.anonymous_bind.is_some());
    // `localhost` is in the certificate as well.
    let a = assess(&format!("ldap://localhost:{}", s.port), &opts()).unwrap();
    assert!(
        a.starttls
            .as_ref()
            .unwrap()
            .certificate
            .as_ref()
            .unwrap()
            .valid()
            == Some(true)
    );
}

#[test]
fn certificate_for_another_name_fails_hostname_match() {
    let pki = support::pki::pki();
    let dir = support::scratch_dir("othername");
    let d = dir.path();
    let openssl = support::require_tool("openssl", "openssl");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(&openssl)
            .current_dir(d)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(
        d.join("ext"),
        "subjectAltName=DNS:ldap.example.org\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    run(&[
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "o.key",
    ]);
    run(&[
        "req",
        "-new",
        "-key",
        "o.key",
        "-subj",
        "/CN=ldap.example.org",
        "-out",
        "o.csr",
    ]);
    let ca_key = pki.dir.join("ca.key");
    let ca = pki.ca();
    run(&[
        "x509",
        "-req",
        "-in",
        "o.csr",
        "-CA",
        ca.to_str().unwrap(),
        "-CAkey",
        ca_key.to_str().unwrap(),
        "-CAcreateserial",
        "-CAserial",
        "o.srl",
        "-days",
        "30",
        "-extfile",
        "ext",
        "-out",
        "o.crt",
    ]);
    let s = slapd::start_with_cert(Variant::Plain, &d.join("o.crt"), &d.join("o.key"));
    let a = assess(&s.ldap_url(), &opts()).unwrap();
    let cert = a.starttls.as_ref().unwrap().certificate.as_ref().unwrap();
    assert_eq!(cert.valid(), Some(false), "{cert:?}");
    assert_eq!(cert.hostname_match, Some(false));
    assert!(
        cert.validation_error
            .as_deref()
            .unwrap_or_default()
            .contains("not valid for name"),
        "{cert:?}"
    );
}

#[test]
fn collect_emits_subject_facts() {
    let s = slapd::start(Variant::TlsReq);
    let ep = LdapEndpoint::parse(&s.ldap_url()).unwrap();
    let ev = runtime().block_on(ldap::collect(&ep, &opts()));
    let subject = ep.subject();
    let fact = |k: &str| ev.lookup(k, Some(&subject)).map(|f| f.value.clone());
    assert_eq!(
        fact("ldap.cleartext-bind.refused"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(
        fact("ldap.cleartext-bind.result-code"),
        Some(FactValue::Int(13))
    );
    assert_eq!(fact("ldap.starttls.accepted"), Some(FactValue::Bool(true)));
    assert_eq!(
        fact("ldap.root-dse.starttls-advertised"),
        Some(FactValue::Bool(true))
    );
    assert_eq!(fact("ldap.speaks-plaintext"), Some(FactValue::Bool(true)));
    assert_eq!(fact("ldap.scheme"), Some(FactValue::Str("ldap".into())));
    // The StartTLS channel's certificate is described by the tls.cert.* facts of the
    // LDAP subject; no LDAP-only certificate facts remain.
    assert_eq!(fact("tls.cert.chain-valid"), Some(FactValue::Bool(true)));
    assert_eq!(fact("tls.cert.hostname-match"), Some(FactValue::Bool(true)));
    assert!(
        !ev.facts
            .iter()
            .any(|f| f.key.as_str().starts_with("ldap.") && f.key.as_str().contains("cert")),
        "{:?}",
        ev.facts
    );
    assert!(
        ev.facts
            .iter()
            .all(|f| f.subject.as_deref() == Some(subject.as_str()))
    );
    // One attempt for the LDAP facts and one for the TLS enumeration after StartTLS;
    // then one per TLS fact whose answer was unreadable: GnuTLS closes without an alert
    // on a fallback-SCSV hello (`openssl s_client -starttls ldap -tls1_2 -fallback_scsv`
    // sees the same unexpected EOF), so that fact is an error with what was seen.
    assert_eq!(ev.attempts.len(), 3, "{:?}", ev.attempts);
    assert_eq!(ev.attempts[2].covers, vec!["tls.fallback-scsv".to_owned()]);
    assert!(matches!(
        &ev.attempts[2].outcome,
        AttemptOutcome::Failed { reason } if reason.contains("close without any alert")
    ));
    assert_eq!(ev.attempts[0].covers, vec!["ldap".to_owned()]);
    assert_eq!(ev.attempts[1].covers, vec!["tls".to_owned()]);
    assert!(
        matches!(
            ev.attempts[0].outcome,
            AttemptOutcome::Completed | AttemptOutcome::Failed { .. }
        ),
        "{:?}",
        ev.attempts
    );
}

/// Ground truth for the weaktls fixture with gnutls-cli, suite by suite, on LDAPS and
/// after StartTLS: TLS 1.0 with 3DES and RC4 is accepted; the hardened variant refuses it.
#[test]
fn weaktls_ground_truth_with_gnutls_cli() {
    let weak = slapd::start(Variant::WeakTls);
    let hard = slapd::start(Variant::TlsReq);
    for (name, priority) in GROUND_TRUTH_SUITES {
        for (port, starttls) in [(weak.tls_port, false), (weak.port, true)] {
            assert!(
                gnutls_accepts(port, starttls, priority),
                "weaktls should accept {name} (starttls={starttls})"
            );
        }
        assert!(
            !gnutls_accepts(hard.tls_port, false, priority),
            "tlsreq should refuse {name}"
        );
    }
}

/// (IANA name, GnuTLS priority offering only that suite at that version).
pub const GROUND_TRUTH_SUITES: &[(&str, &str)] = &[
    (
        "TLSv1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        "NONE:+VERS-TLS1.0:+3DES-CBC:+RSA:+SHA1:+COMP-NULL:+SIGN-ALL",
    ),
    (
        "TLSv1.0 TLS_RSA_WITH_RC4_128_SHA",
        "NONE:+VERS-TLS1.0:+ARCFOUR-128:+RSA:+SHA1:+COMP-NULL:+SIGN-ALL",
    ),
    (
        "TLSv1.0 TLS_RSA_WITH_AES_128_CBC_SHA",
        "NONE:+VERS-TLS1.0:+AES-128-CBC:+RSA:+SHA1:+COMP-NULL:+SIGN-ALL",
    ),
];

fn gnutls_accepts(port: u16, starttls: bool, priority: &str) -> bool {
    let cli = support::require_tool("gnutls-cli", "gnutls-bin");
    let mut cmd = std::process::Command::new(cli);
    cmd.args([
        "--insecure",
        "-p",
        &port.to_string(),
        "--priority",
        priority,
    ]);
    if starttls {
        cmd.arg("--starttls-proto=ldap");
    }
    cmd.arg("127.0.0.1").stdin(std::process::Stdio::null());
    let out = cmd.output().expect("run gnutls-cli");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.contains("Handshake was completed")
}
