//! Scenario tests of the logs and host probes: `safeguard scan --mattermost-home DIR` and
//! `--logs DIR` over log directories generated here — months of timestamps, rotated and
//! gzipped files, a gap, JSON and plain lines mixed, audit records missing categories and
//! IPs, wrong permissions — and over hostile ones (binary junk, a truncated .gz, a file
//! that is not gzip, non-JSON lines, symlink loops, a missing directory).

use assert_cmd::Command;
use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::{Value, json};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

mod support;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn safeguard() -> Command {
    let mut c = Command::cargo_bin("safeguard").expect("binary");
    c.env("NO_COLOR", "1").env("COLUMNS", "160");
    c
}

fn scan_json(args: &[&str]) -> (i32, Value) {
    let out = safeguard()
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

fn finding<'a>(r: &'a Value, check: &str) -> &'a Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == check)
        .unwrap_or_else(|| panic!("no finding for {check}"))
}

fn status(r: &Value, check: &str) -> String {
    finding(r, check)["status"].as_str().unwrap().to_owned()
}

fn fact<'a>(r: &'a Value, key: &str) -> &'a Value {
    r["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .map(|f| &f["value"])
        .unwrap_or_else(|| panic!("no fact {key}"))
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Mattermost's timestamp: `2006-01-02 15:04:05.000 Z07:00`, here in UTC or +02:00.
fn ts(ms: i64, plus_two: bool) -> String {
    let off = if plus_two { 2 * HOUR } else { 0 };
    let t =
        time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms + off) * 1_000_000).unwrap();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03} {}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond(),
        if plus_two { "+02:00" } else { "Z" }
    )
}

fn server_json(ms: i64, level: &str, msg: &str) -> String {
    json!({"timestamp": ts(ms, false), "level": level, "msg": msg, "caller": "app/server.go:265"})
        .to_string()
}

fn server_plain(ms: i64, level: &str, msg: &str) -> String {
    format!(
        "{level:<5} [{}] {msg:<45} caller=\"app/x.go:1\"",
        ts(ms, true)
    )
}

fn audit(ms: i64, event: &str, status: &str, ip: &str, client: &str) -> String {
    json!({
        "timestamp": ts(ms, false),
        "event_name": event,
        "status": status,
        "actor": {"user_id": "u1", "session_id": "s1", "client": client, "ip_address": ip, "x_forwarded_for": ""},
        "event": {"parameters": {}, "prior_state": {}, "resulting_state": {}, "object_type": ""},
        "meta": {"api_path": "/api/v4/x", "cluster_id": ""},
        "error": {}
    })
    .to_string()
}

fn write_lines(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).unwrap();
}

fn gz_bytes(lines: &[String]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    for l in lines {
        enc.write_all(l.as_bytes()).unwrap();
        enc.write_all(b"\n").unwrap();
    }
    enc.finish().unwrap()
}

fn write_gz(path: &Path, lines: &[String]) {
    std::fs::write(path, gz_bytes(lines)).unwrap();
}

/// lumberjack's backup name for a rotation at `ms` (UTC).
fn rotated(dir: &Path, stem: &str, ms: i64) -> PathBuf {
    let t = ts(ms, false);
    let name = format!("{stem}-{}T{}.log.gz", &t[..10], t[11..23].replace(':', "-"));
    dir.join(name)
}

fn hourly(from: i64, to: i64, mut f: impl FnMut(i64, usize) -> String) -> Vec<String> {
    let mut out = Vec::new();
    let mut t = from;
    let mut i = 0;
    while t < to {
        out.push(f(t, i));
        t += HOUR;
        i += 1;
    }
    out
}

/// An install: config/config.json (the default fixture, with `edit` applied) and logs/.
fn install(tag: &str, edit: impl FnOnce(&mut Value)) -> (tempfile::TempDir, PathBuf) {
    let home = support::scratch_dir(tag);
    let mut cfg: Value = serde_json::from_str(
        &std::fs::read_to_string(support::fixture("mattermost/config-default.json")).unwrap(),
    )
    .unwrap();
    edit(&mut cfg);
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::create_dir_all(home.path().join("logs")).unwrap();
    std::fs::create_dir_all(home.path().join("data")).unwrap();
    let c = home.path().join("config/config.json");
    std::fs::write(&c, serde_json::to_string_pretty(&cfg).unwrap()).unwrap();
    let logs = home.path().join("logs");
    (home, logs)
}

fn audit_on(cfg: &mut Value) {
    cfg["ExperimentalAuditSettings"]["FileEnabled"] = json!(true);
    cfg["ExperimentalAuditSettings"]["FileName"] = json!("logs/audit.log");
}

fn chmod(p: &Path, mode: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn chmod_all(dir: &Path, mode: u32) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_type().unwrap().is_file() {
            chmod(&e.path(), mode);
        }
    }
}

#[test]
fn months_of_rotated_mixed_logs_with_a_gap_and_thin_audit_records() {
    let (home, logs) = install("logs-months", audit_on);
    let now = now_ms();
    let base = (now - 200 * DAY) / HOUR * HOUR;
    // Server log: three rotated .gz files of JSON lines, a 15-day gap, then the live file
    // mixing JSON and plain lines, debug lines, a stack trace and two junk lines.
    for (from, to) in [(0, 30), (30, 60), (75, 120)] {
        let lines = hourly(base + from * DAY, base + to * DAY, |t, _| {
            server_json(t, "info", "job ran")
        });
        write_gz(&rotated(&logs, "mattermost", base + to * DAY), &lines);
    }
    let mut live = hourly(base + 120 * DAY, now - DAY, |t, i| match i % 4 {
        0 => server_plain(t, "info", "plain line"),
        1 => server_json(t, "debug", "SELECT * FROM Posts"),
        _ => server_json(t, "warn", "slow request"),
    });
    live.push("  goroutine 1 [running]:".into());
    live.push("this is not a log line".into());
    live.push("{\"json\":\"but no timestamp\"}".into());
    live.push(server_json(
        now - DAY + HOUR,
        "error",
        "Audit queue full, dropping record.",
    ));
    write_lines(&logs.join("mattermost.log"), &live);
    // Audit log: starts 100 days after the server log; no roles, membership or user
    // updates; five request records without an IP; server-side records never have one.
    let events = [
        ("login", "success"),
        ("login", "fail"),
        ("logout", "success"),
        ("createUser", "success"),
        ("updateConfig", "success"),
    ];
    let rec = |t: i64, i: usize| {
        let (e, s) = events[i % events.len()];
        audit(t, e, s, "10.0.0.5", "Mozilla/5.0")
    };
    write_gz(
        &rotated(&logs, "audit", base + 150 * DAY),
        &hourly(base + 100 * DAY, base + 150 * DAY, rec),
    );
    let mut audit_live = hourly(base + 150 * DAY, now - DAY, rec);
    for k in 0..5 {
        audit_live.push(audit(now - DAY + k, "login", "success", "", "Mozilla/5.0"));
    }
    for k in 0..3 {
        audit_live.push(audit(
            now - DAY + 10 + k,
            "updateConfig",
            "success",
            "",
            "server 10.5.0-abc",
        ));
    }
    write_lines(&logs.join("audit.log"), &audit_live);
    chmod_all(&logs, 0o600);
    chmod(&logs, 0o700);
    chmod(&home.path().join("config/config.json"), 0o600);
    chmod(&logs.join("audit.log"), 0o644);

    let (code, r) = scan_json(&["--mattermost-home", home.path().to_str().unwrap()]);
    assert_eq!(code, 1, "the gate fails");
    assert_eq!(fact(&r, "logs.files").as_array().unwrap().len(), 6);
    assert_eq!(
        fact(&r, "logs.server.oldest").as_str().unwrap()[..13],
        ts(base, false)[..13].replace(' ', "T")
    );
    assert_eq!(fact(&r, "logs.server.span-days"), 199);
    assert_eq!(fact(&r, "logs.server.longest-gap-hours"), 15 * 24 + 1);
    assert_eq!(fact(&r, "logs.server.gaps").as_array().unwrap().len(), 1);
    assert_eq!(
        fact(&r, "logs.server.levels"),
        &json!(["debug", "error", "info", "warn"])
    );
    assert_eq!(fact(&r, "logs.server.non-log-lines"), 2);
    assert_eq!(fact(&r, "logs.server.audit-failures"), 1);
    assert!(fact(&r, "logs.server.debug-lines").as_i64().unwrap() > 400);
    assert_eq!(
        fact(&r, "logs.audit.categories"),
        &json!([
            "login-success",
            "login-failure",
            "logout",
            "user-created",
            "config-changes"
        ])
    );
    assert_eq!(fact(&r, "logs.audit.records-without-ip"), 5);
    assert_eq!(fact(&r, "logs.audit.pruned-suspected"), true);
    assert_eq!(fact(&r, "logs.audit.expected"), true);
    assert_eq!(fact(&r, "logs.files.unreadable"), &json!([]));

    assert_eq!(status(&r, "logs-audit-configured-not-happening"), "pass");
    assert_eq!(status(&r, "logs-server-log-present"), "pass");
    assert_eq!(status(&r, "logs-files-readable"), "pass");
    assert_eq!(status(&r, "logs-server-debug"), "fail");
    assert_eq!(status(&r, "logs-server-gaps"), "warn");
    assert_eq!(status(&r, "logs-audit-failures"), "fail");
    assert_eq!(status(&r, "logs-audit-coverage"), "fail");
    let msg = finding(&r, "logs-audit-coverage")["message"]
        .as_str()
        .unwrap();
    assert!(
        msg.contains("roles-permissions") && msg.contains("membership"),
        "{msg}"
    );
    assert_eq!(status(&r, "logs-audit-actor-ip"), "fail");
    assert_eq!(status(&r, "logs-audit-retention"), "fail");
    assert_eq!(status(&r, "logs-audit-pruned"), "warn");
    assert_eq!(status(&r, "logs-audit-gaps"), "pass");
    assert_eq!(status(&r, "logs-off-host"), "warn");
    assert_eq!(status(&r, "host-file-permissions"), "fail");
    let exposed = fact(&r, "host.files.group-or-other-access")
        .as_array()
        .unwrap();
    assert_eq!(exposed.len(), 1);
    assert!(exposed[0].as_str().unwrap().contains("audit.log (0644)"));
    assert_eq!(status(&r, "host-log-dir-world-writable"), "pass");
    assert_eq!(status(&r, "host-log-symlinks"), "pass");
    // Encryption at rest: per path, and never a pass without a dm-crypt fact.
    let enc: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["check_id"] == "host-encryption-at-rest")
        .collect();
    // The file store and the logs (and a local database's data, when the host has one).
    assert!(enc.len() >= 2, "{enc:#?}");
    for f in enc {
        let s = f["status"].as_str().unwrap();
        assert!(s == "fail" || s == "not-assessed" || s == "pass", "{f}");
        if s == "pass" {
            let v = f["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["key"] == "host.storage.encrypted")
                .unwrap();
            assert_eq!(v["value"], true);
        }
        let subject = f["subject"].as_str().unwrap();
        assert!(
            ["file-store:", "logs:", "database:"]
                .iter()
                .any(|p| subject.starts_with(p)),
            "{subject}"
        );
    }
}

#[test]
fn audit_configured_but_not_happening_and_file_logging_to_a_missing_directory() {
    let (home, _) = install("logs-not-happening", |cfg| {
        audit_on(cfg);
        cfg["LogSettings"]["FileLocation"] = json!("var/missing");
    });
    let (code, r) = scan_json(&["--mattermost-home", home.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(fact(&r, "logs.audit.expected"), true);
    assert_eq!(fact(&r, "logs.audit.present"), false);
    assert_eq!(status(&r, "logs-audit-configured-not-happening"), "fail");
    assert_eq!(status(&r, "logs-server-log-present"), "fail");
    // Nothing to judge is never a pass.
    for check in [
        "logs-audit-coverage",
        "logs-audit-retention",
        "logs-audit-actor-ip",
    ] {
        assert_eq!(status(&r, check), "not-applicable", "{check}");
    }
    assert_eq!(status(&r, "logs-server-debug"), "not-applicable");
}

#[test]
fn hostile_log_directory_is_reported_never_passed() {
    let dir = support::scratch_dir("logs-hostile");
    let logs = dir.path();
    // Binary junk under the live name: NULs, no newline for 3 MiB (longer than a line may be).
    let mut junk = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..3 * 1024 * 1024 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let b = (x >> 16) as u8;
        junk.push(if b == b'\n' { 0 } else { b });
    }
    std::fs::write(logs.join("mattermost.log"), &junk).unwrap();
    // A truncated .gz: the first half of a real one.
    let now = now_ms();
    let lines = hourly(now - 40 * DAY, now - 10 * DAY, |t, _| {
        server_json(t, "info", "x")
    });
    let gz = gz_bytes(&lines);
    std::fs::write(
        rotated(logs, "mattermost", now - 10 * DAY),
        &gz[..gz.len() / 2],
    )
    .unwrap();
    // A .gz that is not gzip.
    std::fs::write(
        rotated(logs, "mattermost", now - 5 * DAY),
        b"plain text, not gzip\n",
    )
    .unwrap();
    // An audit file of lines that are not JSON.
    std::fs::write(logs.join("audit.log"), "login ok\nlogout ok\n\u{0}\u{1}\n").unwrap();
    // A symlink loop under a rotated name, and a link leaving the directory.
    let looped = logs.join("mattermost-2024-03-01T00-00-00.000.log");
    std::os::unix::fs::symlink(&looped, &looped).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", logs.join("notifications.log")).unwrap();
    // A directory under a log's name.
    std::fs::create_dir(logs.join("mattermost.log.1")).unwrap();
    chmod(logs, 0o777);

    let (code, r) = scan_json(&["--logs", logs.to_str().unwrap()]);
    assert_eq!(code, 1);
    let unreadable = fact(&r, "logs.files.unreadable").to_string();
    assert!(unreadable.contains("truncated gzip"), "{unreadable}");
    assert!(unreadable.contains("corrupt gzip"), "{unreadable}");
    let unparsable = fact(&r, "logs.files.unparsable").to_string();
    assert!(unparsable.contains("mattermost.log\""), "{unparsable}");
    assert!(unparsable.contains("audit.log"), "{unparsable}");
    assert_eq!(status(&r, "logs-files-readable"), "fail");
    // What the truncated file held before the damage still counts.
    assert_eq!(fact(&r, "logs.server.present"), true);
    assert!(fact(&r, "logs.server.lines").as_i64().unwrap() > 10);
    assert_eq!(fact(&r, "logs.audit.present"), false);
    let links = fact(&r, "host.symlinks.leaving-directory")
        .as_array()
        .unwrap();
    assert_eq!(links.len(), 2, "{links:?}");
    assert_eq!(status(&r, "host-log-symlinks"), "fail");
    assert_eq!(status(&r, "host-log-dir-world-writable"), "fail");
}

#[test]
fn junk_directory_and_missing_directory() {
    let dir = support::scratch_dir("logs-junk");
    std::fs::write(dir.path().join("core.1234"), [0u8, 159, 146, 150]).unwrap();
    std::fs::write(dir.path().join("data.bin"), vec![0xffu8; 4096]).unwrap();
    let (code, r) = scan_json(&["--logs", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(fact(&r, "logs.server.present"), false);
    assert_eq!(status(&r, "logs-server-log-present"), "fail");

    let missing = dir.path().join("does-not-exist");
    let out = safeguard()
        .args(["scan", "--logs", missing.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does-not-exist"), "{err}");
}

#[test]
fn unreadable_files_and_foreign_owners() {
    let (home, logs) = install("logs-perms", |_| {});
    let now = now_ms();
    write_lines(
        &logs.join("mattermost.log"),
        &hourly(now - 3 * DAY, now, |t, _| server_json(t, "info", "x")),
    );
    let other = rotated(&logs, "mattermost", now - 3 * DAY);
    write_gz(
        &other,
        &hourly(now - 6 * DAY, now - 3 * DAY, |t, _| {
            server_json(t, "info", "x")
        }),
    );
    chmod_all(&logs, 0o600);
    chmod(&home.path().join("config/config.json"), 0o600);
    chmod(&other, 0o000);
    let root = std::fs::File::open(&other).is_ok();
    if root {
        // Root reads anything: make a foreign owner instead.
        std::os::unix::fs::chown(&other, Some(65534), Some(65534)).unwrap();
    }
    let (_, r) = scan_json(&["--mattermost-home", home.path().to_str().unwrap()]);
    if root {
        assert_eq!(status(&r, "host-file-ownership"), "fail");
        let foreign = fact(&r, "host.files.not-owned-by-service-user").to_string();
        assert!(foreign.contains("65534"), "{foreign}");
    } else {
        let unreadable = fact(&r, "logs.files.unreadable").to_string();
        assert!(unreadable.contains("ermission denied"), "{unreadable}");
        assert_eq!(status(&r, "logs-files-readable"), "fail");
    }
    assert_eq!(status(&r, "host-file-permissions"), "pass");
}
