//! LDAP facts that hold on every server: the cleartext-bind test under a naming context
//! the probe knows (inconclusive, never a fail, without one), anonymous access judged by
//! what an anonymous session reads, IPv6 literals, and an LDAPS port that ignores
//! plaintext (as 389-DS does) costing no timeout.
//!
//! Ground truth for the bind answers is `ldapwhoami` (ldap-utils) with the same DNs.

mod support;

use assert_cmd::Command;
use safeguard::probe::ldap::{self, LdapAssessment, LdapEndpoint, LdapOptions};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};
use support::slapd::{self, Variant};

fn opts(timeout: Duration) -> LdapOptions {
    LdapOptions {
        ca_file: Some(support::pki::pki().ca()),
        timeout,
    }
}

fn assess(ep: LdapEndpoint, timeout: Duration) -> LdapAssessment {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(ldap::assess(&ep, &opts(timeout)))
        .unwrap_or_else(|e| panic!("{ep}: {e}"))
}

fn safeguard() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_safeguard"));
    cmd.env("NO_COLOR", "1").timeout(Duration::from_secs(60));
    cmd
}

fn scan_json(url: &str, extra: &[&str]) -> serde_json::Value {
    let out = safeguard()
        .args(["ldap", url, "--format", "json", "--ca-file"])
        .arg(support::pki::pki().ca())
        .args(extra)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn finding<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == id)
        .unwrap_or_else(|| panic!("no finding {id} in {v:#}"))
}

/// `ldapwhoami -x` with `dn` and a throwaway password over plaintext: the server's
/// result code, as the OpenLDAP client sees it.
fn ldapwhoami_rc(url: &str, dn: &str) -> i32 {
    let tool = support::require_tool("ldapwhoami", "ldap-utils");
    let out = std::process::Command::new(tool)
        .args(["-x", "-H", url, "-D", dn, "-w", "not-a-real-password-0"])
        .output()
        .unwrap();
    out.status.code().unwrap_or(-1)
}

#[test]
fn hidden_root_dse_makes_the_cleartext_test_inconclusive_not_a_failure() {
    let s = slapd::start(Variant::AnonAuth);
    let a = assess(
        LdapEndpoint::parse(&s.ldap_url()).unwrap(),
        Duration::from_secs(5),
    );
    assert!(
        a.errors.iter().all(|e| e.step == "tls-enumeration"),
        "{:?}",
        a.errors
    );
    assert!(a.root_dse.is_none(), "{:?}", a.root_dse);
    let bind = a.cleartext_bind.as_ref().expect("the bind ran");
    assert_eq!(bind.refused, None, "{bind:?}");
    assert_eq!(bind.outcome.result_code, 49);
    assert!(
        bind.inconclusive
            .as_deref()
            .unwrap()
            .contains("no naming context")
    );
    // Ground truth: outside every database slapd says 49, inside it says 13.
    assert_eq!(ldapwhoami_rc(&s.ldap_url(), "cn=x,dc=invalid"), 49);
    assert_eq!(ldapwhoami_rc(&s.ldap_url(), "cn=x,dc=example,dc=org"), 13);
    let read = a.anonymous_read.as_ref().expect("anonymous read judged");
    assert_eq!(read.readable, None);

    // Through the checks: not assessed, with the reason; never a fail.
    let v = scan_json(&s.ldap_url(), &[]);
    let f = finding(&v, "ldap-cleartext-bind-refused");
    assert_eq!(f["status"], "not-assessed", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("inconclusive"),
        "{f:#}"
    );
    let f = finding(&v, "ldap-anonymous-bind");
    assert_eq!(f["status"], "not-assessed", "{f:#}");
}

#[test]
fn a_known_naming_context_decides_both_tests() {
    let s = slapd::start(Variant::AnonAuth);
    let ep = LdapEndpoint::parse(&s.ldap_url())
        .unwrap()
        .with_base_dn(Some("dc=example,dc=org"));
    let a = assess(ep, Duration::from_secs(5));
    let bind = a.cleartext_bind.as_ref().unwrap();
    assert_eq!(bind.refused, Some(true), "{bind:?}");
    assert_eq!(bind.outcome.result_code, 13);
    // The anonymous bind succeeds (slapd's default), but an anonymous session reads nothing.
    assert!(a.anonymous_bind.as_ref().unwrap().allowed);
    let read = a.anonymous_read.as_ref().unwrap();
    assert_eq!(read.readable, Some(false), "{read:?}");
    assert_eq!(read.over, "starttls");

    let v = scan_json(&s.ldap_url(), &["--ldap-base-dn", "dc=example,dc=org"]);
    assert_eq!(finding(&v, "ldap-cleartext-bind-refused")["status"], "pass");
    assert_eq!(finding(&v, "ldap-anonymous-bind")["status"], "pass");
}

#[test]
fn anonymous_reads_fail_where_anyone_can_list_the_directory() {
    let s = slapd::start(Variant::Plain);
    let a = assess(
        LdapEndpoint::parse(&s.ldap_url()).unwrap(),
        Duration::from_secs(5),
    );
    let read = a.anonymous_read.as_ref().unwrap();
    assert_eq!(read.readable, Some(true), "{read:?}");
    assert_eq!(read.base.as_ref().unwrap().dn, "dc=example,dc=org");
    let bind = a.cleartext_bind.as_ref().unwrap();
    assert_eq!(bind.refused, Some(false));
    let v = scan_json(&s.ldap_url(), &[]);
    assert_eq!(finding(&v, "ldap-anonymous-bind")["status"], "fail");
    assert_eq!(finding(&v, "ldap-cleartext-bind-refused")["status"], "fail");
}

#[test]
fn ipv6_literals_for_starttls_and_ldaps() {
    let s = slapd::start_v6(Variant::TlsReq);
    assert!(s.ldap_url().starts_with("ldap://[::1]:"));
    let a = assess(
        LdapEndpoint::parse(&s.ldap_url()).unwrap(),
        Duration::from_secs(5),
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    let st = a.starttls.as_ref().unwrap();
    assert!(st.accepted);
    let cert = st.certificate.as_ref().unwrap();
    assert_eq!(cert.valid(), Some(true), "{cert:?}");
    assert_eq!(cert.hostname_match, Some(true));
    assert_eq!(a.cleartext_bind.as_ref().unwrap().refused, Some(true));
    assert!(a.tls.is_some());

    let l = assess(
        LdapEndpoint::parse(&s.ldaps_url()).unwrap(),
        Duration::from_secs(5),
    );
    assert!(l.errors.is_empty(), "{:?}", l.errors);
    assert_eq!(l.speaks_tls, Some(true));
    let cert = l.ldaps.as_ref().unwrap().certificate.as_ref().unwrap();
    assert_eq!(cert.valid(), Some(true), "{cert:?}");
    assert!(l.root_dse.is_some());
}

/// A port that forwards TLS (and SSL 2.0 hellos) to slapd's LDAPS port and says nothing
/// to a plaintext LDAP message (first byte 0x30, a BER SEQUENCE), as 389-DS does on its
/// LDAPS port. Runs until the test process ends.
fn silent_to_plaintext(ldaps_port: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut first = [0u8; 1];
                if client.peek(&mut first).ok() != Some(1) || first[0] == 0x30 {
                    // Hold the connection open, answer nothing.
                    let mut sink = [0u8; 512];
                    let mut c = client;
                    while matches!(c.read(&mut sink), Ok(n) if n > 0) {}
                    return;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", ldaps_port)) else {
                    return;
                };
                let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut s2, &mut c2);
                    let _ = c2.flush();
                    let _ = c2.shutdown(std::net::Shutdown::Both);
                });
                let (mut c, mut s) = (client, server);
                let _ = std::io::copy(&mut c, &mut s);
                let _ = s.shutdown(std::net::Shutdown::Both);
            });
        }
    });
    port
}

#[test]
fn ldaps_on_a_port_that_ignores_plaintext_costs_no_timeout() {
    let s = slapd::start(Variant::Plain);
    let port = silent_to_plaintext(s.tls_port);
    let timeout = Duration::from_secs(5);
    let started = Instant::now();
    let a = assess(
        LdapEndpoint::parse(&format!("ldaps://127.0.0.1:{port}")).unwrap(),
        timeout,
    );
    let took = started.elapsed();
    assert_eq!(a.speaks_tls, Some(true));
    assert_eq!(a.speaks_plaintext, Some(false));
    assert!(a.ldaps.is_some(), "{:?}", a.errors);
    // Functional, not a benchmark: the plaintext sniff did not wait out the timeout.
    assert!(took < timeout, "took {took:?}");
}
