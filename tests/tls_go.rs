//! Server order on Go's crypto/tls configured exactly like Mattermost's own listener
//! (tests/go/mmlistener): Go imposes its order on TLS 1.2 and TLS 1.3 alike, but prefers
//! ChaCha20 for a client that lists it first (its AES-hardware heuristic). The order
//! reported must be Go's AES order, TLS 1.3 included, with the offer dependence said;
//! every fact is compared with `openssl s_client` handshakes.

mod support;
mod tls_truth;

use safeguard::probe::tls::{self, TlsAssessment, TlsTarget};
use std::process::{Command, Stdio};
use std::time::Duration;
use support::go_tls;
use tls_truth::{found_pairs, handshake_budget, openssl_truth};

fn assess(port: u16) -> TlsAssessment {
    let mut t = TlsTarget::new("127.0.0.1", port);
    t.ca_file = Some(support::pki::pki().ca());
    t.timeout = Duration::from_secs(10);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(tls::assess(&t)).expect("assessment succeeds")
}

/// The suite `openssl s_client` negotiates with this offer (OpenSSL names).
fn openssl_pick(port: u16, args: &[&str]) -> String {
    let out = Command::new(support::require_tool("openssl", "openssl"))
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}")])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Cipher    : "))
        .unwrap_or_else(|| panic!("no cipher in s_client output: {text}"))
        .trim()
        .to_owned()
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn mattermost_listener_order_is_gos_aes_order_with_the_offer_dependence_said() {
    let s = go_tls::start("rsa2048", &[]);
    let a = assess(s.port);
    let truth = openssl_truth(s.port);
    assert_eq!(
        found_pairs(&a),
        truth,
        "suites differ from s_client ground truth"
    );

    let t12 = &a.protocols.tls1_2;
    assert_eq!(
        t12.cipher_suites,
        names(&[
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384",
        ])
    );
    assert_eq!(t12.server_order, Some(true));
    assert_eq!(
        t12.order_depends_on_offer, None,
        "no ChaCha20 in TLS 1.2 here"
    );
    let t13 = &a.protocols.tls1_3;
    assert_eq!(
        t13.cipher_suites,
        names(&[
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
        ])
    );
    assert_eq!(t13.server_order, Some(true), "Go imposes its TLS 1.3 order");
    assert_eq!(t13.order_depends_on_offer, Some(true));
    assert!(!a.protocols.tls1_0.accepted && !a.protocols.tls1_1.accepted);

    // Ground truth for the order facts, one handshake each.
    let p = s.port;
    assert_eq!(
        openssl_pick(
            p,
            &[
                "-tls1_3",
                "-ciphersuites",
                "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256"
            ]
        ),
        "TLS_AES_128_GCM_SHA256",
        "server order in TLS 1.3"
    );
    assert_eq!(
        openssl_pick(
            p,
            &[
                "-tls1_3",
                "-ciphersuites",
                "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"
            ]
        ),
        "TLS_CHACHA20_POLY1305_SHA256",
        "ChaCha20 first in the offer wins: the order depends on the offer"
    );
    assert_eq!(
        openssl_pick(
            p,
            &[
                "-tls1_2",
                "-cipher",
                "AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256"
            ]
        ),
        "ECDHE-RSA-AES128-GCM-SHA256",
        "server order in TLS 1.2"
    );

    let (floor, limit) = handshake_budget(&a);
    assert!(
        a.handshakes <= limit,
        "{} handshakes, floor {floor}, limit {limit}",
        a.handshakes
    );
}

#[test]
fn chacha_in_the_tls12_list_is_reported_after_aes_with_the_dependence() {
    let s = go_tls::start(
        "rsa2048",
        &[
            "-min",
            "1.0",
            "-ciphers",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        ],
    );
    let a = assess(s.port);
    assert_eq!(found_pairs(&a), openssl_truth(s.port));
    let t12 = &a.protocols.tls1_2;
    assert_eq!(
        t12.cipher_suites,
        names(&[
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        ])
    );
    assert_eq!(t12.server_order, Some(true));
    assert_eq!(t12.order_depends_on_offer, Some(true));
    // TLS 1.0: two CBC suites, Go's order, tested on its own (not copied from TLS 1.2).
    let t10 = &a.protocols.tls1_0;
    assert_eq!(
        t10.cipher_suites,
        names(&[
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        ])
    );
    assert_eq!(t10.server_order, Some(true));
    assert_eq!(
        openssl_pick(
            s.port,
            &[
                "-tls1",
                "-cipher",
                "ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:@SECLEVEL=0"
            ]
        ),
        "ECDHE-RSA-AES128-SHA"
    );
    assert_eq!(
        openssl_pick(
            s.port,
            &[
                "-tls1_2",
                "-cipher",
                "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256"
            ]
        ),
        "ECDHE-RSA-CHACHA20-POLY1305"
    );
    let (floor, limit) = handshake_budget(&a);
    assert!(
        a.handshakes <= limit,
        "{} > {limit} (floor {floor})",
        a.handshakes
    );
}
