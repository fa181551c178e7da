//! Shared harness for integration tests that start real servers on 127.0.0.1.
//!
//! Servers run in the foreground so the PID we spawn is the server's PID; a
//! [`ServerGuard`] stops it when dropped. A missing tool is a test *failure* naming the
//! Debian package to install: no test may pass because a server was missing.
#![allow(dead_code)]

pub mod fake_ldap;
pub mod go_tls;
pub mod gossip_node;
pub mod mm_api;
pub mod nginx;
pub mod pki;
pub mod slapd;

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Panics (fails the test) unless `tool` is on PATH, naming the package that provides it.
pub fn require_tool(tool: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in
        std::env::split_paths(&path).chain([PathBuf::from("/usr/sbin"), PathBuf::from("/sbin")])
    {
        let candidate = dir.join(tool);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!(
        "`{tool}` is not installed: this test needs it. Install it with \
         `apt-get install -y {package}` (or run scripts/test, which installs it)."
    );
}

/// A free TCP port on 127.0.0.1 (bound, read, released; callers retry on a lost race).
pub fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local addr").port()
}

/// Polls until something accepts TCP connections on 127.0.0.1:`port`.
pub fn wait_for_port(port: u16, timeout: Duration) -> bool {
    wait_for_addr(([127, 0, 0, 1], port).into(), timeout)
}

/// Polls until something accepts TCP connections on `addr` (IPv4 or IPv6).
pub fn wait_for_addr(addr: SocketAddr, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

/// A server process we started; killed and reaped on drop.
pub struct ServerGuard {
    pub child: Child,
    pub port: u16,
    pub name: String,
}

impl ServerGuard {
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for ServerGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `openssl s_server` on a port it picks itself, waiting for its `ACCEPT` line.
/// `args` are the extra s_server arguments (cert, key, protocol and cipher options).
pub fn openssl_s_server(name: &str, args: &[&str]) -> ServerGuard {
    let openssl = require_tool("openssl", "openssl");
    let mut child = Command::new(openssl)
        .args(["s_server", "-accept", "127.0.0.1:0", "-www"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn openssl s_server");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    let port = loop {
        line.clear();
        let n = reader.read_line(&mut line).unwrap_or(0);
        if n == 0 {
            let _ = child.kill();
            let out = child.wait_with_output().ok();
            let err = out
                .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                .unwrap_or_default();
            panic!("openssl s_server ({name}) exited before listening: {err}");
        }
        if let Some(rest) = line.trim().strip_prefix("ACCEPT ") {
            let port = rest
                .rsplit(':')
                .next()
                .and_then(|p| p.parse().ok())
                .expect("port in ACCEPT line");
            break port;
        }
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        while reader.read_line(&mut sink).map(|n| n > 0).unwrap_or(false) {
            sink.clear();
        }
    });
    ServerGuard {
        child,
        port,
        name: name.to_owned(),
    }
}

/// A scratch directory removed on drop.
pub fn scratch_dir(tag: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("safeguard-{tag}-"))
        .tempdir()
        .expect("tempdir")
}

/// Path of a file under `tests/fixtures`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// Runs the safeguard binary with `args` (give it `--format json`) and parses its report;
/// a report that is not JSON fails the test with what the binary said on stderr.
pub fn safeguard_json<I, S>(args: I) -> serde_json::Value
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = assert_cmd::Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("safeguard runs");
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
}

/// The first finding of `check_id` in a JSON report.
pub fn finding_of<'a>(report: &'a serde_json::Value, check_id: &str) -> &'a serde_json::Value {
    report["findings"]
        .as_array()
        .expect("a findings array")
        .iter()
        .find(|f| f["check_id"] == check_id)
        .unwrap_or_else(|| panic!("no {check_id} finding: {report:#}"))
}

/// Starts a test program of ours that picks its own port and prints `LISTENING <port>` as
/// its first line once it listens (tests/go/*), and guards it as `name`.
pub fn start_announcing(mut cmd: Command, name: &str) -> ServerGuard {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn {name}: {e}"));
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
        panic!("{name} did not start: {line:?}");
    };
    assert!(
        wait_for_port(port, Duration::from_secs(5)),
        "{name} is not listening on {port}"
    );
    ServerGuard {
        child,
        port,
        name: name.to_owned(),
    }
}
