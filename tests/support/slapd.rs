//! Throwaway OpenLDAP slapd instances on 127.0.0.1, one per variant, for the LDAP probe's
//! tests (after the recipe in the project's research notes, written in Rust):
//!
//! | variant | TLS | plaintext simple bind |
//! |---|---|---|
//! | `Plain` | StartTLS + LDAPS, GnuTLS defaults | allowed |
//! | `TlsReq` | hardened (TLS 1.2/1.3, AEAD) | refused: `security simple_bind=128` |
//! | `SsfReq` | hardened | every operation refused: `security ssf=128` |
//! | `NoTls` | none (no StartTLS, no LDAPS listener) | allowed |
//! | `WeakTls` | TLS 1.0–1.3 with 3DES, RC4 and RSA key exchange | allowed |
//! | `Tls10Only` | TLS 1.0 only (rustls cannot connect) | allowed |
//! | `AnonAuth` | hardened | refused (`simple_bind=128`); anonymous sessions may only bind: `access to * by users read by anonymous auth`, globally too, so the root DSE is hidden |
//!
//! [`start_v6`] listens on `[::1]` instead of 127.0.0.1.
//! slapd runs in the foreground (`-d 0`) so the spawned PID is slapd's; the guard kills it.

use super::pki::pki;
use super::{free_port, require_tool, scratch_dir, wait_for_addr};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Plain,
    TlsReq,
    SsfReq,
    NoTls,
    WeakTls,
    /// Only TLS 1.0 (with 3DES and RC4): a legacy directory rustls cannot talk to.
    Tls10Only,
    /// `tlsreq` with `access to * by users read by anonymous auth` (root DSE included).
    AnonAuth,
}

impl Variant {
    pub fn name(self) -> &'static str {
        match self {
            Self::Plain => "plain",
            Self::TlsReq => "tlsreq",
            Self::SsfReq => "ssfreq",
            Self::NoTls => "notls",
            Self::WeakTls => "weaktls",
            Self::Tls10Only => "tls10only",
            Self::AnonAuth => "anonauth",
        }
    }
}

/// The GnuTLS priority string of the `weaktls` variant: TLS 1.0 and 1.1, 3DES, RC4, RSA
/// key exchange on top of GnuTLS's NORMAL.
pub const WEAK_PRIORITY: &str = "NORMAL:+VERS-TLS1.0:+VERS-TLS1.1:+3DES-CBC:+ARCFOUR-128:+RSA:+SHA1:+MD5:%VERIFY_ALLOW_SIGN_WITH_SHA1";
/// The `tls10only` priority string: TLS 1.0 and nothing newer.
pub const TLS10_ONLY_PRIORITY: &str =
    "NORMAL:-VERS-ALL:+VERS-TLS1.0:+3DES-CBC:+ARCFOUR-128:+RSA:+SHA1:%VERIFY_ALLOW_SIGN_WITH_SHA1";
/// The hardened priority string of `tlsreq` and `ssfreq`.
pub const HARD_PRIORITY: &str = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-RSA:-DHE-RSA:-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305:-MAC-ALL:+AEAD";

/// A running slapd; killed and reaped on drop (the temp dir goes after).
pub struct Slapd {
    pub variant: Variant,
    /// Plaintext LDAP port.
    pub port: u16,
    /// LDAPS port (nothing listens there for `NoTls`).
    pub tls_port: u16,
    /// `127.0.0.1`, or `[::1]` for [`start_v6`].
    pub host: &'static str,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Slapd {
    pub fn ldap_url(&self) -> String {
        format!("ldap://{}:{}", self.host, self.port)
    }
    pub fn ldaps_url(&self) -> String {
        format!("ldaps://{}:{}", self.host, self.tls_port)
    }
}

impl Drop for Slapd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a slapd of `variant` with the test PKI's `rsa2048` leaf.
pub fn start(variant: Variant) -> Slapd {
    let pki = pki();
    start_with_cert(variant, &pki.cert("rsa2048"), &pki.key("rsa2048"))
}

/// Starts a slapd of `variant` on `[::1]` with the test PKI's `rsa2048` leaf.
pub fn start_v6(variant: Variant) -> Slapd {
    let pki = pki();
    start_on(variant, &pki.cert("rsa2048"), &pki.key("rsa2048"), "[::1]")
}

/// Starts a slapd of `variant` serving `cert`/`key`, retrying on a lost port race.
pub fn start_with_cert(variant: Variant, cert: &Path, key: &Path) -> Slapd {
    start_on(variant, cert, key, "127.0.0.1")
}

fn start_on(variant: Variant, cert: &Path, key: &Path, host: &'static str) -> Slapd {
    let slapd = require_tool("slapd", "slapd");
    let slapadd = require_tool("slapadd", "slapd");
    let mut last_err = String::new();
    for _ in 0..5 {
        let dir = scratch_dir(&format!("slapd-{}", variant.name()));
        let (port, tls_port) = (free_port(), free_port());
        if port == tls_port {
            continue;
        }
        write_config(dir.path(), variant, cert, key);
        let out = Command::new(&slapadd)
            .args(["-q", "-f"])
            .arg(dir.path().join("slapd.conf"))
            .arg("-l")
            .arg(dir.path().join("base.ldif"))
            .output()
            .expect("run slapadd");
        assert!(
            out.status.success(),
            "slapadd failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut urls = format!("ldap://{host}:{port}/");
        if variant != Variant::NoTls {
            urls.push_str(&format!(" ldaps://{host}:{tls_port}/"));
        }
        let mut child = Command::new(&slapd)
            .arg("-f")
            .arg(dir.path().join("slapd.conf"))
            .args(["-h", &urls, "-d", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn slapd");
        let ip: std::net::IpAddr = host
            .trim_matches(|c| c == '[' || c == ']')
            .parse()
            .expect("host is an address");
        let up = wait_for_addr((ip, port).into(), Duration::from_secs(10))
            && (variant == Variant::NoTls
                || wait_for_addr((ip, tls_port).into(), Duration::from_secs(10)));
        if up && child.try_wait().ok().flatten().is_none() {
            // Keep the stderr pipe drained so slapd never blocks on it.
            if let Some(mut err) = child.stderr.take() {
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut err, &mut std::io::sink());
                });
            }
            return Slapd {
                variant,
                port,
                tls_port,
                host,
                child,
                _dir: dir,
            };
        }
        let _ = child.kill();
        let out = child.wait_with_output().ok();
        last_err = out
            .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
            .unwrap_or_default();
    }
    panic!("slapd ({}) did not start: {last_err}", variant.name());
}

fn write_config(dir: &Path, variant: Variant, cert: &Path, key: &Path) {
    let pki = pki();
    std::fs::create_dir_all(dir.join("db")).unwrap();
    for (from, to) in [
        (pki.ca(), "ca.crt"),
        (cert.to_path_buf(), "server.crt"),
        (key.to_path_buf(), "server.key"),
    ] {
        std::fs::copy(from, dir.join(to)).unwrap();
    }
    let d = dir.display();
    let mut conf = format!(
        "include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile  {d}/slapd.pid
argsfile {d}/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
"
    );
    if variant != Variant::NoTls {
        conf.push_str(&format!(
            "TLSCACertificateFile  {d}/ca.crt\nTLSCertificateFile    {d}/server.crt\nTLSCertificateKeyFile {d}/server.key\n"
        ));
    }
    match variant {
        Variant::Tls10Only => conf.push_str(&format!(
            "TLSProtocolMin 3.1\nTLSCipherSuite {TLS10_ONLY_PRIORITY}\n"
        )),
        Variant::WeakTls => conf.push_str(&format!(
            "TLSProtocolMin 3.1\nTLSCipherSuite {WEAK_PRIORITY}\n"
        )),
        Variant::TlsReq | Variant::SsfReq | Variant::AnonAuth => conf.push_str(&format!(
            "TLSProtocolMin 3.3\nTLSCipherSuite {HARD_PRIORITY}\n"
        )),
        _ => {}
    }
    match variant {
        Variant::TlsReq => conf.push_str("security simple_bind=128\n"),
        Variant::AnonAuth => {
            conf.push_str("security simple_bind=128\naccess to * by users read by anonymous auth\n")
        }
        Variant::SsfReq => conf.push_str("security ssf=128\n"),
        _ => {}
    }
    conf.push_str(&format!(
        "database mdb
maxsize  10485760
suffix   \"dc=example,dc=org\"
rootdn   \"cn=admin,dc=example,dc=org\"
rootpw   secret
directory {d}/db
{}
",
        if variant == Variant::AnonAuth {
            "access to * by users read by anonymous auth"
        } else {
            "access to attrs=userPassword by self write by anonymous auth by * none\naccess to * by * read"
        }
    ));
    std::fs::write(dir.join("slapd.conf"), conf).unwrap();
    std::fs::write(
        dir.join("base.ldif"),
        "dn: dc=example,dc=org
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: uid=alice,dc=example,dc=org
objectClass: inetOrgPerson
uid: alice
cn: Alice
sn: Example
userPassword: alicepw
",
    )
    .unwrap();
}
