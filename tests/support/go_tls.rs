//! A Go crypto/tls server configured like Mattermost's own listener (tests/go/mmlistener,
//! after server/channels/app/server.go), built by the test with Debian's `golang-go` into
//! the test's temp dir (standard library only, no network).
#![allow(dead_code)]

use super::{ServerGuard, require_tool};
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// Builds tests/go/mmlistener once per test binary; returns the executable.
pub fn mmlistener() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let go = require_tool("go", "golang-go");
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("go-mmlistener");
        std::fs::create_dir_all(&dir).unwrap();
        let bin = dir.join(format!("mmlistener-{}", std::process::id()));
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/go/mmlistener/main.go");
        let out = Command::new(go)
            .arg("build")
            .arg("-o")
            .arg(&bin)
            .arg(&src)
            .env("GOCACHE", dir.join("cache"))
            .env("GOPATH", dir.join("gopath"))
            .env("GOPROXY", "off")
            .env("GO111MODULE", "off")
            .output()
            .expect("run go build");
        assert!(
            out.status.success(),
            "go build failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        bin
    })
    .clone()
}

/// Starts the listener with the test PKI's leaf `leaf` and extra flags (`-min 1.0`,
/// `-ciphers A,B`); waits for its LISTENING line.
pub fn start(leaf: &str, extra: &[&str]) -> ServerGuard {
    let pki = super::pki::pki();
    let mut cmd = Command::new(mmlistener());
    cmd.arg("-cert")
        .arg(pki.cert(leaf))
        .arg("-key")
        .arg(pki.key(leaf))
        .args(extra);
    super::start_announcing(cmd, "go-mmlistener")
}
