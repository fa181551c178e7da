//! A Go crypto/tls server configured like Mattermost's own listener (tests/go/mmlistener,
//! after server/channels/app/server.go), built by the test with Debian's `golang-go` into
//! the test's temp dir (standard library only, no network).
#![allow(dead_code)]

use super::{ServerGuard, require_tool};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
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
    let mut child = Command::new(mmlistener())
        .arg("-cert")
        .arg(pki.cert(leaf))
        .arg("-key")
        .arg(pki.key(leaf))
        .args(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn mmlistener");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    let n = reader.read_line(&mut line).unwrap_or(0);
    let port = line
        .trim()
        .strip_prefix("LISTENING ")
        .and_then(|p| p.parse().ok());
    let Some(port) = port.filter(|_| n > 0) else {
        let _ = child.kill();
        let _ = child.wait();
        panic!("mmlistener did not start: {line:?}");
    };
    ServerGuard {
        child,
        port,
        name: "go-mmlistener".to_owned(),
    }
}
