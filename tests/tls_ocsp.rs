//! The stapled OCSP response verified: `openssl ocsp` makes responses for the test PKI's
//! leaf (good, revoked, and good but signed by a stranger), `openssl s_server
//! -status_file` staples each, and the probe's verdict must match `openssl ocsp -verify`'s.

mod support;

use safeguard::probe::tls::{self, TlsAssessment, TlsTarget};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use support::openssl_s_server;
use support::pki::pki;

fn assess(port: u16) -> TlsAssessment {
    let mut t = TlsTarget::new("localhost", port);
    t.ca_file = Some(pki().ca());
    t.timeout = Duration::from_secs(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(tls::assess(&t)).expect("assessment succeeds")
}

fn openssl(args: &[&str]) -> std::process::Output {
    let out = Command::new(support::require_tool("openssl", "openssl"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// An OCSP response for the `rsa2048` leaf with status `flag` (V good, R revoked), signed
/// by `signer` (`ca`, or a stranger's self-signed certificate).
fn response(dir: &Path, flag: &str, stranger: bool) -> std::path::PathBuf {
    let p = pki();
    let serial = String::from_utf8(
        openssl(&["x509", "-in", &s(&p.cert("rsa2048")), "-noout", "-serial"]).stdout,
    )
    .unwrap();
    let serial = serial.trim().trim_start_matches("serial=");
    let revoked = if flag == "R" { "250101000000Z" } else { "" };
    let index = dir.join(format!("index-{flag}-{stranger}.txt"));
    std::fs::write(
        &index,
        format!("{flag}\t351231235959Z\t{revoked}\t{serial}\tunknown\t/CN=localhost\n"),
    )
    .unwrap();
    let (rsigner, rkey) = if stranger {
        let key = dir.join("stranger.key");
        let crt = dir.join("stranger.crt");
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            &s(&key),
            "-out",
            &s(&crt),
            "-days",
            "30",
            "-subj",
            "/CN=stranger",
        ]);
        (crt, key)
    } else {
        (p.ca(), p.dir.join("ca.key"))
    };
    let out = dir.join(format!("resp-{flag}-{stranger}.der"));
    openssl(&[
        "ocsp",
        "-index",
        &s(&index),
        "-rsigner",
        &s(&rsigner),
        "-rkey",
        &s(&rkey),
        "-CA",
        &s(&p.ca()),
        "-issuer",
        &s(&p.ca()),
        "-cert",
        &s(&p.cert("rsa2048")),
        "-respout",
        &s(&out),
        "-ndays",
        "1",
    ]);
    out
}

/// `openssl ocsp -verify`'s view: (signature verifies, status text).
fn openssl_verdict(resp: &Path) -> (bool, String) {
    let p = pki();
    let out = Command::new("openssl")
        .args([
            "ocsp",
            "-respin",
            &s(resp),
            "-CAfile",
            &s(&p.ca()),
            "-issuer",
            &s(&p.ca()),
            "-cert",
            &s(&p.cert("rsa2048")),
            "-no_nonce",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let status = if text.contains(": good") {
        "good"
    } else if text.contains(": revoked") {
        "revoked"
    } else {
        "?"
    };
    (text.contains("Response verify OK"), status.to_owned())
}

fn stapling_server(resp: &Path) -> support::ServerGuard {
    let p = pki();
    openssl_s_server(
        "stapling",
        &[
            "-cert",
            &s(&p.cert("rsa2048")),
            "-key",
            &s(&p.key("rsa2048")),
            "-status_file",
            &s(resp),
        ],
    )
}

#[test]
fn stapled_responses_are_verified_like_openssl_does() {
    let dir = support::scratch_dir("ocsp");
    for (flag, stranger, valid, status) in [
        ("V", false, true, "good"),
        ("R", false, false, "revoked"),
        ("V", true, false, "good"),
    ] {
        let resp = response(dir.path(), flag, stranger);
        let (verifies, truth_status) = openssl_verdict(&resp);
        assert_eq!(verifies, !stranger, "ground truth for {flag}/{stranger}");
        assert_eq!(truth_status, status);
        let server = stapling_server(&resp);
        let a = assess(server.port);
        assert_eq!(a.ocsp_stapling, Some(true));
        let staple = a.ocsp_staple.as_ref().expect("staple verified");
        assert_eq!(staple.valid, valid, "{flag}/{stranger}: {staple:?}");
        assert_eq!(staple.status, Some(status), "{staple:?}");
        if stranger {
            assert!(
                staple.problems.iter().any(|p| p.contains("signature")),
                "{staple:?}"
            );
        }
    }
}
