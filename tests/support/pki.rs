//! A throwaway test PKI made with the `openssl` command line: a CA and the leaf
//! certificates the TLS and LDAP fixtures need. Generated once per test binary.

use super::require_tool;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The generated files. Every leaf has `<name>.crt` and `<name>.key`.
pub struct TestPki {
    pub dir: PathBuf,
    _keep: tempfile::TempDir,
}

impl TestPki {
    pub fn ca(&self) -> PathBuf {
        self.dir.join("ca.crt")
    }
    pub fn cert(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.crt"))
    }
    pub fn key(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.key"))
    }
}

/// The shared PKI: `ca`, and leaves `rsa2048`, `rsa1024`, `ecdsa-p256`, `sha1`, `expired`,
/// all for `localhost` and 127.0.0.1, plus `dh1024.pem` DH parameters.
pub fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(generate)
}

fn run(dir: &Path, args: &[&str]) {
    let openssl = require_tool("openssl", "openssl");
    let out = Command::new(openssl)
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run openssl");
    assert!(
        out.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

const LEAF_EXT: &str = "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
authorityInfoAccess=OCSP;URI:http://127.0.0.1:9/ocsp,caIssuers;URI:http://127.0.0.1:9/ca.crt
";

fn generate() -> TestPki {
    let keep = super::scratch_dir("pki");
    let dir = keep.path().to_path_buf();
    std::fs::write(dir.join("leaf.ext"), LEAF_EXT).unwrap();
    run(
        &dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
            "-days",
            "3650",
            "-subj",
            "/CN=safeguard test CA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    let leaf = |name: &str, genpkey: &[&str], digest: &str| {
        let key = format!("{name}.key");
        let csr = format!("{name}.csr");
        let crt = format!("{name}.crt");
        let mut args = vec!["genpkey"];
        args.extend_from_slice(genpkey);
        args.extend_from_slice(&["-out", &key]);
        run(&dir, &args);
        run(
            &dir,
            &[
                "req",
                "-new",
                "-key",
                &key,
                "-subj",
                "/CN=localhost",
                "-out",
                &csr,
            ],
        );
        run(
            &dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                digest,
                "-days",
                "825",
                "-extfile",
                "leaf.ext",
                "-out",
                &crt,
            ],
        );
    };
    leaf(
        "rsa2048",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        "-sha256",
    );
    leaf(
        "rsa1024",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
        "-sha256",
    );
    leaf(
        "ecdsa-p256",
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        "-sha256",
    );
    leaf(
        "sha1",
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        "-sha1",
    );
    // Expired: `openssl x509` cannot back-date, `openssl ca` can.
    run(
        &dir,
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "expired.key",
        ],
    );
    run(
        &dir,
        &[
            "req",
            "-new",
            "-key",
            "expired.key",
            "-subj",
            "/CN=localhost",
            "-out",
            "expired.csr",
        ],
    );
    std::fs::create_dir_all(dir.join("ca-db")).unwrap();
    std::fs::write(dir.join("ca-db/index.txt"), "").unwrap();
    std::fs::write(dir.join("ca-db/serial"), "1000\n").unwrap();
    let cnf = format!(
        "[ ca ]\ndefault_ca = testca\n[ testca ]\ndir = {d}\ndatabase = $dir/ca-db/index.txt\n\
         new_certs_dir = $dir/ca-db\nserial = $dir/ca-db/serial\ncertificate = $dir/ca.crt\n\
         private_key = $dir/ca.key\ndefault_md = sha256\npolicy = policy_any\nunique_subject = no\n\
         copy_extensions = none\n[ policy_any ]\ncommonName = supplied\n[ leaf_ext ]\n{ext}",
        d = dir.display(),
        ext = LEAF_EXT
    );
    std::fs::write(dir.join("ca.cnf"), cnf).unwrap();
    run(
        &dir,
        &[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-extensions",
            "leaf_ext",
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20210101000000Z",
            "-in",
            "expired.csr",
            "-out",
            "expired.crt",
        ],
    );
    run(&dir, &["dhparam", "-out", "dh1024.pem", "1024"]);
    TestPki { dir, _keep: keep }
}
