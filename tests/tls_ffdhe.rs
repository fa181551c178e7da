//! FFDHE groups over TLS 1.2 (RFC 7919): a gnutls-serv that negotiates them is enumerated
//! group by group, in its order, and each group is confirmed with one `gnutls-cli`
//! handshake offering only that group; a server with fixed DH parameters (openssl
//! s_server -dhparam) lists none and says why.

mod support;

use safeguard::probe::tls::{self, TlsAssessment, TlsTarget};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::pki::pki;
use support::{ServerGuard, openssl_s_server, require_tool};

fn assess(port: u16) -> TlsAssessment {
    let mut t = TlsTarget::new("127.0.0.1", port);
    t.ca_file = Some(pki().ca());
    t.timeout = Duration::from_secs(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(tls::assess(&t)).expect("assessment succeeds")
}

/// gnutls-serv binds the wildcard address (it has no listen-address option); only
/// 127.0.0.1 is ever connected to.
fn gnutls_server(priority: &str) -> ServerGuard {
    let bin = require_tool("gnutls-serv", "gnutls-bin");
    let p = pki();
    for _ in 0..5 {
        let port = support::free_port();
        let child = Command::new(&bin)
            .args(["--port", &port.to_string(), "--x509certfile"])
            .arg(p.cert("rsa2048"))
            .arg("--x509keyfile")
            .arg(p.key("rsa2048"))
            .args(["--priority", priority])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn gnutls-serv");
        let guard = ServerGuard {
            child,
            port,
            name: "gnutls".into(),
        };
        if support::wait_for_port(port, Duration::from_secs(5)) {
            return guard;
        }
    }
    panic!("gnutls-serv did not start listening");
}

/// Whether `gnutls-cli` completes a TLS 1.2 DHE handshake offering only `group`.
fn gnutls_negotiates(port: u16, group: &str) -> bool {
    let cli = require_tool("gnutls-cli", "gnutls-bin");
    let out = Command::new(cli)
        .args([
            "--insecure",
            "--port",
            &port.to_string(),
            "--priority",
            &format!("NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+DHE-RSA:-GROUP-ALL:+GROUP-{group}"),
            "127.0.0.1",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).contains(&format!("(DHE-{group})"))
}

#[test]
fn ffdhe_groups_over_tls12_match_gnutls_cli() {
    let s = gnutls_server("NORMAL:-VERS-TLS1.3");
    let a = assess(s.port);
    assert!(!a.ffdhe_groups.is_empty(), "{:?}", a.notes);
    for (name, cli) in [
        ("ffdhe2048", "FFDHE2048"),
        ("ffdhe3072", "FFDHE3072"),
        ("ffdhe4096", "FFDHE4096"),
        ("ffdhe6144", "FFDHE6144"),
        ("ffdhe8192", "FFDHE8192"),
    ] {
        assert_eq!(
            a.ffdhe_groups.contains(&name.to_owned()),
            gnutls_negotiates(s.port, cli),
            "{name}: found {:?}",
            a.ffdhe_groups
        );
    }
}

#[test]
fn fixed_dh_parameters_list_no_ffdhe_group_and_say_why() {
    let p = pki();
    let s = openssl_s_server(
        "dhe-fixed",
        &[
            "-cert",
            &p.cert("rsa2048").to_string_lossy(),
            "-key",
            &p.key("rsa2048").to_string_lossy(),
            "-max_protocol",
            "TLSv1.2",
            "-cipher",
            "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0",
            "-dhparam",
            &p.dir.join("dh1024.pem").to_string_lossy(),
        ],
    );
    let a = assess(s.port);
    assert_eq!(a.dhe_min_bits, Some(1024));
    assert!(a.ffdhe_groups.is_empty());
    assert!(
        a.notes.iter().any(|n| n.contains("not an RFC 7919 group")),
        "{:?}",
        a.notes
    );
}
