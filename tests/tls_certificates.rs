//! Every certificate an endpoint serves is judged: nginx with a valid ECDSA certificate
//! and an expired RSA one on the same port (two `ssl_certificate` lines, a common
//! dual-certificate set-up). A client offering ECDSA gets the valid one; one offering
//! only RSA gets the expired one. The certificate checks must see both.

mod support;

use assert_cmd::Command;
use support::nginx;
use support::pki::pki;

/// `safeguard tls` on the endpoint: the JSON report and the exit code.
fn scan(port: u16) -> (serde_json::Value, Option<i32>) {
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .args([
            "tls",
            &format!("127.0.0.1:{port}"),
            "--format",
            "json",
            "--ca-file",
            pki().ca().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (v, out.status.code())
}

fn finding<'a>(v: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == id)
        .unwrap_or_else(|| panic!("no finding for {id}"))
}

fn fact<'a>(v: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    v["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .map(|f| &f["value"])
        .unwrap_or_else(|| panic!("no fact {key}"))
}

fn served(v: &serde_json::Value) -> Vec<String> {
    fact(v, "tls.certs.served")
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn an_expired_rsa_certificate_beside_a_valid_ecdsa_one_fails_and_is_named() {
    let p = pki();
    for protocols in ["TLSv1.2 TLSv1.3", "TLSv1.2", "TLSv1.3"] {
        let n = nginx::start(
            &[
                (&p.cert("ecdsa-p256"), &p.key("ecdsa-p256")),
                (&p.cert("expired"), &p.key("expired")),
            ],
            protocols,
        );
        let (v, code) = scan(n.port());
        let served = served(&v);
        assert_eq!(served.len(), 2, "{protocols}: {served:?}");
        assert!(
            served
                .iter()
                .any(|s| s.starts_with("EC P-256") && s.ends_with(": valid")),
            "{protocols}: {served:?}"
        );
        assert!(
            served
                .iter()
                .any(|s| s.starts_with("RSA 2048 bits") && s.contains("chain does not validate")),
            "{protocols}: {served:?}"
        );
        let expiry = finding(&v, "tls-cert-expiry");
        assert_eq!(expiry["status"], "fail", "{protocols}: {expiry}");
        let message = expiry["message"].as_str().unwrap();
        assert!(
            message.contains("RSA certificate") && message.contains("2021-01-01"),
            "{protocols}: the message names the expired RSA certificate: {message}"
        );
        let chain = finding(&v, "tls-cert-chain-valid");
        assert_eq!(chain["status"], "fail", "{protocols}: {chain}");
        assert!(
            chain["message"]
                .as_str()
                .unwrap()
                .contains("RSA certificate")
        );
        assert_eq!(code, Some(1), "{protocols}: the gate fails");
    }
}

#[test]
fn two_valid_certificates_pass() {
    let p = pki();
    let n = nginx::start(
        &[
            (&p.cert("ecdsa-p256"), &p.key("ecdsa-p256")),
            (&p.cert("rsa2048"), &p.key("rsa2048")),
        ],
        "TLSv1.2 TLSv1.3",
    );
    let (v, _) = scan(n.port());
    let served = served(&v);
    assert_eq!(served.len(), 2, "{served:?}");
    assert!(served.iter().all(|s| s.ends_with(": valid")), "{served:?}");
    for id in [
        "tls-cert-expiry",
        "tls-cert-chain-valid",
        "tls-cert-hostname",
    ] {
        assert_eq!(finding(&v, id)["status"], "pass", "{id}");
    }
    assert_eq!(
        fact(&v, "tls.certs.key-types"),
        &serde_json::json!(["EC", "RSA"])
    );
}

#[test]
fn a_single_certificate_is_one_entry() {
    let p = pki();
    let n = nginx::start(
        &[(&p.cert("rsa2048"), &p.key("rsa2048"))],
        "TLSv1.2 TLSv1.3",
    );
    let (v, _) = scan(n.port());
    assert_eq!(served(&v).len(), 1, "{:?}", served(&v));
    assert_eq!(finding(&v, "tls-cert-expiry")["status"], "pass");
    assert_eq!(fact(&v, "tls.cert.key-type"), "RSA");
}
