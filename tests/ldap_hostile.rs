//! The LDAP probe against peers that are not well-behaved LDAP servers: each gives a clear
//! error for that endpoint within the timeout, never a panic or a hang.

mod support;

use safeguard::evidence::{AttemptOutcome, FactValue};
use safeguard::probe::ldap::{self, LdapAssessment, LdapEndpoint, LdapError, LdapOptions};
use std::time::{Duration, Instant};
use support::fake_ldap::{self, Foreign, StartTlsBehaviour};

const TIMEOUT: Duration = Duration::from_millis(700);

fn assess(url: &str) -> (Result<LdapAssessment, LdapError>, Duration) {
    let ep = LdapEndpoint::parse(url).unwrap();
    let opts = LdapOptions {
        ca_file: None,
        timeout: TIMEOUT,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let start = Instant::now();
    let result = rt.block_on(ldap::assess(&ep, &opts));
    let took = start.elapsed();
    rt.shutdown_background();
    (result, took)
}

fn not_ldap(url: &str) -> String {
    let (result, took) = assess(url);
    assert!(took < TIMEOUT * 3, "{url}: took {took:?}");
    match result {
        Err(e @ LdapError::NotLdap { .. }) => e.to_string(),
        other => panic!("{url}: expected NotLdap, got {other:?}"),
    }
}

#[test]
fn http_server() {
    let port = fake_ldap::foreign(Foreign::Http);
    let msg = not_ldap(&format!("ldap://127.0.0.1:{port}"));
    assert!(msg.contains("HTTP/1.1 400 Bad Request"), "{msg}");
    assert!(
        msg.starts_with(&format!("ldap://127.0.0.1:{port}: does not speak LDAP")),
        "{msg}"
    );
}

#[test]
fn garbage() {
    let port = fake_ldap::foreign(Foreign::Garbage);
    let msg = not_ldap(&format!("ldap://127.0.0.1:{port}"));
    assert!(msg.contains("not LDAP (de ad be ef"), "{msg}");
    // The same garbage on an LDAPS URL: not TLS either.
    let msg = not_ldap(&format!("ldaps://127.0.0.1:{port}"));
    assert!(msg.contains("TLS ClientHello"), "{msg}");
}

#[test]
fn silent_server_times_out() {
    let port = fake_ldap::foreign(Foreign::Silent);
    let msg = not_ldap(&format!("ldap://127.0.0.1:{port}"));
    assert!(msg.contains("no answer within 700 ms"), "{msg}");
}

#[test]
fn tls_server_on_a_plaintext_url() {
    let pki = support::pki::pki();
    let cert = pki.cert("rsa2048");
    let key = pki.key("rsa2048");
    let server = support::openssl_s_server(
        "tls",
        &[
            "-cert",
            cert.to_str().unwrap(),
            "-key",
            key.to_str().unwrap(),
        ],
    );
    let (result, took) = assess(&format!("ldap://127.0.0.1:{}", server.port));
    assert!(took < TIMEOUT * 3, "took {took:?}");
    let a = result.expect("an assessment saying the port speaks TLS");
    assert_eq!(a.speaks_tls, Some(true));
    assert_eq!(a.speaks_plaintext, Some(false));
    assert_eq!(a.errors.len(), 1, "{:?}", a.errors);
    assert!(
        a.errors[0].message.contains("use ldaps://"),
        "{:?}",
        a.errors
    );
    // ldaps:// to the same port: TLS works but the thing behind it is not LDAP.
    let (result, took) = assess(&format!("ldaps://127.0.0.1:{}", server.port));
    assert!(took < TIMEOUT * 4, "took {took:?}");
    let a = result.expect("TLS endpoint assessed");
    assert!(!a.errors.is_empty(), "{a:?}");
}

#[test]
fn plaintext_ldap_on_an_ldaps_url() {
    let port = fake_ldap::fake_ldap(StartTlsBehaviour::Refuse);
    let ep = LdapEndpoint::parse(&format!("ldaps://127.0.0.1:{port}")).unwrap();
    let opts = LdapOptions {
        ca_file: None,
        timeout: TIMEOUT,
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ev = rt.block_on(ldap::collect(&ep, &opts));
    let fact = |k: &str| ev.lookup(k, Some(&ep.subject())).map(|f| f.value.clone());
    assert_eq!(fact("ldap.speaks-plaintext"), Some(FactValue::Bool(true)));
    assert_eq!(fact("ldap.speaks-tls"), Some(FactValue::Bool(false)));
    assert_eq!(fact("ldap.scheme"), Some(FactValue::Str("ldaps".into())));
    match &ev.attempts[0].outcome {
        AttemptOutcome::Failed { reason } => assert!(reason.contains("use ldap://"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn starttls_refused() {
    let port = fake_ldap::fake_ldap(StartTlsBehaviour::Refuse);
    let (result, _) = assess(&format!("ldap://127.0.0.1:{port}"));
    let a = result.unwrap();
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    let st = a.starttls.unwrap();
    assert!(!st.accepted);
    assert_eq!(st.result_code, Some(2));
    assert!(a.root_dse.unwrap().starttls_advertised);
    assert_eq!(a.cleartext_bind.unwrap().outcome.result_code, 49);
}

#[test]
fn server_closes_after_starttls() {
    let port = fake_ldap::fake_ldap(StartTlsBehaviour::AcceptThenClose);
    let (result, took) = assess(&format!("ldap://127.0.0.1:{port}"));
    assert!(took < TIMEOUT * 3, "took {took:?}");
    let a = result.unwrap();
    assert!(
        a.starttls.is_none(),
        "no verdict on StartTLS: {:?}",
        a.starttls
    );
    let e = a
        .errors
        .iter()
        .find(|e| e.step == "starttls")
        .expect("starttls error");
    assert!(e.message.starts_with("StartTLS failed"), "{e:?}");
    // The plaintext steps still ran.
    assert_eq!(a.cleartext_bind.unwrap().outcome.result_code, 49);
}

#[test]
fn unresolvable_name() {
    let (result, took) = assess("ldap://no-such-host.invalid:389");
    assert!(took < TIMEOUT * 3, "took {took:?}");
    match result {
        Err(e @ LdapError::Resolve { .. }) => {
            assert!(
                e.to_string()
                    .contains("cannot resolve \"no-such-host.invalid\""),
                "{e}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn closed_port() {
    let port = support::free_port();
    let (result, _) = assess(&format!("ldap://127.0.0.1:{port}"));
    assert!(
        matches!(result, Err(LdapError::Unreachable { .. })),
        "{result:?}"
    );
    let ep = LdapEndpoint::parse(&format!("ldap://127.0.0.1:{port}")).unwrap();
    let ev = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(ldap::collect(
            &ep,
            &LdapOptions {
                ca_file: None,
                timeout: TIMEOUT,
            },
        ));
    assert_eq!(
        ev.lookup("ldap.reachable", Some(&ep.subject()))
            .unwrap()
            .value,
        FactValue::Bool(false)
    );
    assert!(matches!(
        ev.attempts[0].outcome,
        AttemptOutcome::Failed { .. }
    ));
}
