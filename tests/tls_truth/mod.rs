//! Ground truth for the TLS tests: one `openssl s_client` or `gnutls-cli` handshake per
//! (version, suite) pair, run on a few threads. Shared by the TLS test binaries.
#![allow(dead_code)]

use super::support::require_tool;
use safeguard::probe::tls::{self, TlsAssessment, suites};
use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::Mutex;

pub type Pairs = BTreeSet<(String, String)>;

pub const TLS13_SUITES: [&str; 5] = [
    "TLS_AES_128_GCM_SHA256",
    "TLS_AES_256_GCM_SHA384",
    "TLS_CHACHA20_POLY1305_SHA256",
    "TLS_AES_128_CCM_SHA256",
    "TLS_AES_128_CCM_8_SHA256",
];

/// The handshake floor of an assessment (accepted suites plus one refusal per version)
/// and the most it may use: 1.1 × the floor, plus two order probes per version with two
/// or more suites, the groups' removal chains (groups + 1; FFDHE groups + 1), the
/// fallback-SCSV probe, the validated rustls connection, the Heartbleed, CCS-injection and
/// client-initiated renegotiation tests, and ROBOT's five connections (ten when confirmed)
/// when RSA key exchange is accepted.
pub fn handshake_budget(a: &TlsAssessment) -> (usize, usize) {
    let accepted: usize = tls::Version::ALL
        .iter()
        .map(|v| a.protocols.get(*v).cipher_suites.len())
        .sum();
    let floor = accepted + tls::Version::ALL.len();
    let ordered = tls::Version::ALL
        .iter()
        .filter(|v| a.protocols.get(**v).cipher_suites.len() >= 2)
        .count();
    let ffdhe = if a.ffdhe_groups.is_empty() {
        0
    } else {
        a.ffdhe_groups.len() + 1
    };
    // ROBOT: five connections when RSA key exchange is accepted, ten when confirmed.
    let robot = match tls::robot::plan(&a.protocols) {
        tls::robot::Plan::Run(..) if a.robot == Some(true) => 10,
        tls::robot::Plan::Run(..) => 5,
        _ => 0,
    };
    let limit =
        floor + floor.div_ceil(10) + 2 * ordered + a.groups.len() + ffdhe + 1 + 1 + 1 + 1 + 1 + 1;
    let limit = limit + robot;
    (floor, limit)
}

pub fn found_pairs(a: &TlsAssessment) -> Pairs {
    let mut out = Pairs::new();
    for v in tls::Version::ALL {
        for s in &a.protocols.get(v).cipher_suites {
            out.insert((v.name().to_owned(), s.clone()));
        }
    }
    out
}

/// Runs `jobs` on a few threads; returns the pairs whose job succeeded.
pub fn run_parallel(jobs: Vec<((String, String), Vec<String>, &'static str)>) -> Pairs {
    let queue = Mutex::new(jobs);
    let found = Mutex::new(Pairs::new());
    std::thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| {
                loop {
                    let Some((pair, args, tool)) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let out = Command::new(tool)
                        .args(&args)
                        .stdin(Stdio::null())
                        .output()
                        .expect("run ground-truth client");
                    let text = String::from_utf8_lossy(&out.stdout);
                    let ok = if tool == "openssl" {
                        out.status.success()
                            && text.contains("Cipher is ")
                            && !text.contains("Cipher is (NONE)")
                    } else {
                        text.contains("Handshake was completed")
                    };
                    if ok {
                        found.lock().unwrap().insert(pair);
                    }
                }
            });
        }
    });
    found.into_inner().unwrap()
}

/// Ground truth with `openssl s_client`: every suite OpenSSL has, on every version it
/// can speak, one handshake per pair (a version refused with every suite offered is
/// refused with each, so its pairs are skipped after one handshake).
pub fn openssl_truth(port: u16) -> Pairs {
    require_tool("openssl", "openssl");
    let listing = Command::new("openssl")
        .args(["ciphers", "-V", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"])
        .output()
        .expect("openssl ciphers");
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let connect = format!("127.0.0.1:{port}");
    let version_ok = |flag: &str, extra: &[&str]| {
        let mut args = vec!["s_client", "-connect", &connect, flag];
        args.extend_from_slice(extra);
        let out = Command::new("openssl")
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        out.status.success() && text.contains("Cipher is ") && !text.contains("Cipher is (NONE)")
    };
    let mut jobs = Vec::new();
    for (flag, name) in [
        ("-tls1", "TLSv1.0"),
        ("-tls1_1", "TLSv1.1"),
        ("-tls1_2", "TLSv1.2"),
    ] {
        if !version_ok(flag, &["-cipher", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"]) {
            continue;
        }
        for line in listing.lines() {
            let cols: Vec<&str> = line.split_whitespace().collect();
            // 0xC0,0x2F - ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 Kx=... ...
            if cols.len() < 4 || cols[3] == "TLSv1.3" || (cols[3] == "TLSv1.2" && name != "TLSv1.2")
            {
                continue;
            }
            let code = cols[0].replace("0x", "").replace(',', "");
            let id = u16::from_str_radix(&code, 16).unwrap();
            let args = [
                "s_client",
                "-connect",
                &connect,
                flag,
                "-cipher",
                &format!("{}:@SECLEVEL=0", cols[2]),
            ]
            .map(String::from)
            .to_vec();
            jobs.push(((name.to_owned(), suites::name_of(id)), args, "openssl"));
        }
    }
    if version_ok("-tls1_3", &[]) {
        for s in TLS13_SUITES {
            let args = [
                "s_client",
                "-connect",
                &connect,
                "-tls1_3",
                "-ciphersuites",
                s,
            ]
            .map(String::from)
            .to_vec();
            jobs.push((("TLSv1.3".to_owned(), s.to_owned()), args, "openssl"));
        }
    }
    run_parallel(jobs)
}

/// Ground truth with `gnutls-cli`, one handshake per (version, suite) of the suites
/// gnutls-cli lists for a broad priority string.
pub fn gnutls_truth(port: u16, starttls: Option<&str>) -> Pairs {
    let cli = require_tool("gnutls-cli", "gnutls-bin");
    let listing = Command::new(&cli)
        .args(["-l", "--priority", "NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+3DES-CBC:+ARCFOUR-128:+RSA:+DHE-RSA:+SHA1:+MD5:+CAMELLIA-128-CBC:+CAMELLIA-256-CBC:+AES-128-CCM-8:+AES-256-CCM-8"])
        .output()
        .expect("gnutls-cli -l");
    let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
    let mut jobs = Vec::new();
    for line in listing.lines() {
        // TLS_ECDHE_RSA_AES_128_GCM_SHA256   0xc0, 0x2f   TLS1.2
        let Some((name, rest)) = line.split_once('\t') else {
            continue;
        };
        let Some((code, min)) = rest.split_once('\t') else {
            continue;
        };
        let code = code.replace("0x", "").replace([',', ' '], "");
        let Ok(id) = u16::from_str_radix(&code, 16) else {
            continue;
        };
        let name = name.trim();
        let iana = suites::name_of(id);
        let Some(suite) = suites::by_id(id) else {
            continue;
        };
        let cipher = gnutls_cipher(name);
        let versions: &[&str] = match min.trim() {
            "TLS1.3" => &["TLS1.3"],
            "TLS1.2" => &["TLS1.2"],
            _ => &["TLS1.0", "TLS1.1", "TLS1.2"],
        };
        for v in versions {
            let prio = if *v == "TLS1.3" {
                format!("NONE:+VERS-TLS1.3:+{cipher}:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-ALL")
            } else {
                let kx = gnutls_kx(name);
                let mac = if suite.is_aead() {
                    "AEAD".to_owned()
                } else {
                    name.rsplit('_').next().unwrap().to_owned()
                };
                format!("NONE:+VERS-{v}:+{cipher}:+{kx}:+{mac}:+COMP-NULL:+SIGN-ALL:+GROUP-ALL")
            };
            let mut args = [
                "--insecure",
                "-p",
                &port.to_string(),
                "127.0.0.1",
                "--priority",
                &prio,
            ]
            .map(String::from)
            .to_vec();
            if let Some(proto) = starttls {
                args.push(format!("--starttls-proto={proto}"));
            }
            let vname = format!("TLSv{}", &v[3..]);
            jobs.push(((vname, iana.clone()), args, "gnutls-cli"));
        }
    }
    run_parallel(jobs)
}

pub fn gnutls_kx(name: &str) -> &'static str {
    for (p, kx) in [
        ("TLS_ECDHE_ECDSA_", "ECDHE-ECDSA"),
        ("TLS_ECDHE_RSA_", "ECDHE-RSA"),
        ("TLS_DHE_RSA_", "DHE-RSA"),
        ("TLS_DHE_DSS_", "DHE-DSS"),
        ("TLS_RSA_", "RSA"),
    ] {
        if name.starts_with(p) {
            return kx;
        }
    }
    panic!("unknown gnutls key exchange in {name}")
}

pub fn gnutls_cipher(name: &str) -> &'static str {
    for (p, c) in [
        ("AES_128_GCM", "AES-128-GCM"),
        ("AES_256_GCM", "AES-256-GCM"),
        ("AES_128_CCM_8", "AES-128-CCM-8"),
        ("AES_256_CCM_8", "AES-256-CCM-8"),
        ("AES_128_CCM", "AES-128-CCM"),
        ("AES_256_CCM", "AES-256-CCM"),
        ("AES_128_CBC", "AES-128-CBC"),
        ("AES_256_CBC", "AES-256-CBC"),
        ("CHACHA20_POLY1305", "CHACHA20-POLY1305"),
        ("3DES_EDE_CBC", "3DES-CBC"),
        ("ARCFOUR_128", "ARCFOUR-128"),
        ("CAMELLIA_128_CBC", "CAMELLIA-128-CBC"),
        ("CAMELLIA_256_CBC", "CAMELLIA-256-CBC"),
        ("CAMELLIA_128_GCM", "CAMELLIA-128-GCM"),
        ("CAMELLIA_256_GCM", "CAMELLIA-256-GCM"),
    ] {
        if name.contains(p) {
            return c;
        }
    }
    panic!("unknown gnutls cipher in {name}")
}
