//! `safeguard scan --url` includes the TLS findings, mapped to 164.312(e), and the
//! TLS-specific profiles judge the same evidence.
mod support;

use assert_cmd::Command;
use support::openssl_s_server;
use support::pki::pki;

fn findings(url: &str, profile: &str) -> Vec<serde_json::Value> {
    let out = Command::cargo_bin("safeguard")
        .unwrap()
        .args([
            "scan",
            "--url",
            url,
            "--ca-file",
            pki().ca().to_str().unwrap(),
            "--profile",
            profile,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "the legacy fixture fails the gate: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"].as_array().unwrap().clone()
}

fn status<'a>(fs: &'a [serde_json::Value], id: &str) -> (&'a str, Vec<String>) {
    let f = fs
        .iter()
        .find(|f| f["check_id"] == id)
        .unwrap_or_else(|| panic!("no finding for {id}"));
    let reqs = f["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_owned())
        .collect();
    (f["status"].as_str().unwrap(), reqs)
}

#[test]
fn legacy_site_fails_the_hipaa_transmission_checks() {
    let p = pki();
    let s = openssl_s_server(
        "legacy",
        &[
            "-cert",
            p.cert("rsa2048").to_str().unwrap(),
            "-key",
            p.key("rsa2048").to_str().unwrap(),
            "-min_protocol",
            "TLSv1",
            "-cipher",
            "ALL:COMPLEMENTOFALL:@SECLEVEL=0",
            "-dhparam",
            p.dir.join("dh1024.pem").to_str().unwrap(),
        ],
    );
    let url = format!("https://127.0.0.1:{}", s.port);
    let fs = findings(&url, "hipaa-technical");
    let (st, reqs) = status(&fs, "tls-protocol-legacy-tls");
    assert_eq!(st, "fail");
    assert!(
        reqs.contains(&"164.312(e)(1)".to_owned())
            && reqs.contains(&"164.312(e)(2)(ii)".to_owned()),
        "{reqs:?}"
    );
    assert_eq!(status(&fs, "tls-suites-weak").0, "fail");
    assert_eq!(status(&fs, "tls-dhe-min-bits").0, "fail");
    assert_eq!(status(&fs, "tls-cert-chain-valid").0, "pass");
    assert_eq!(status(&fs, "tls-hsts").0, "fail");
    assert!(
        status(&fs, "tls-compression")
            .1
            .contains(&"164.312(e)(2)(i)".to_owned())
    );

    let nist = findings(&url, "nist-800-52r2");
    let (st, reqs) = status(&nist, "tls-suites-allowlist");
    assert_eq!((st, reqs), ("fail", vec!["§3.3.1".to_owned()]));
    assert_eq!(status(&nist, "tls-protocol-tls13").0, "pass");
    let modern = findings(&url, "mozilla-modern");
    assert_eq!(status(&modern, "tls-protocols-allowed").0, "fail");
    assert_eq!(
        status(&modern, "tls-cert-key-strength").0,
        "fail",
        "modern wants ECDSA"
    );
}
