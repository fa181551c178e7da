//! A real hashicorp/memberlist node on 127.0.0.1 (tests/go/gossipnode), built by the test
//! with Debian's `golang-go` against Debian's `golang-github-hashicorp-memberlist-dev`
//! (GOPATH=/usr/share/gocode, no modules, no network).
#![allow(dead_code)]

use super::{ServerGuard, require_tool};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Where Debian's Go library packages install their sources.
const GOCODE: &str = "/usr/share/gocode";

/// Builds tests/go/gossipnode once per test binary; returns the executable.
pub fn gossipnode() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let go = require_tool("go", "golang-go");
        assert!(
            Path::new(GOCODE)
                .join("src/github.com/hashicorp/memberlist/memberlist.go")
                .is_file(),
            "hashicorp/memberlist is not installed: this test needs it. Install it with \
             `apt-get install -y golang-github-hashicorp-memberlist-dev` (or run scripts/test, \
             which installs it)."
        );
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("go-gossipnode");
        std::fs::create_dir_all(&dir).unwrap();
        let bin = dir.join(format!("gossipnode-{}", std::process::id()));
        let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/go/gossipnode/main.go");
        let out = Command::new(go)
            .arg("build")
            .arg("-o")
            .arg(&bin)
            .arg(&src)
            .env("GOCACHE", dir.join("cache"))
            .env("GOPATH", GOCODE)
            .env("GOPROXY", "off")
            .env("GO111MODULE", "off")
            .env("GOFLAGS", "")
            .output()
            .expect("run go build");
        assert!(
            out.status.success(),
            "go build of tests/go/gossipnode failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        bin
    })
    .clone()
}

/// Starts a node (`key`: a hex gossip key, or none for plaintext gossip; `compress`:
/// memberlist's EnableCompression) and waits for its LISTENING line.
pub fn start(key: Option<&str>, compress: bool) -> ServerGuard {
    start_with(key, compress, &[])
}

/// [`start`] with extra flags (`-verify-outgoing=false`).
pub fn start_with(key: Option<&str>, compress: bool, extra: &[&str]) -> ServerGuard {
    let mut cmd = Command::new(gossipnode());
    cmd.args(extra);
    if let Some(k) = key {
        cmd.arg("-key").arg(k);
    }
    cmd.arg(format!("-compress={compress}"));
    super::start_announcing(cmd, "go-gossipnode")
}
