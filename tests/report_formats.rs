//! Every output format from one scan: SARIF and OSCAL validated against the official
//! schemas (vendored under tests/schemas/, checked offline with Debian's
//! python3-jsonschema), JUnit parsed back, Markdown read, and the HTML page rendered in
//! headless Chromium — its DOM and its printed PDF (pdftotext) — for what it shows.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

fn safeguard() -> Command {
    let mut c = Command::cargo_bin("safeguard").unwrap();
    c.env("NO_COLOR", "1").env("COLUMNS", "100");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `safeguard scan` of the default config into `dir`, every format; returns the exit code.
fn scan_all(dir: &Path, extra: &[&str]) -> i32 {
    let out = safeguard()
        .current_dir(root())
        .args([
            "scan",
            "--mattermost-config",
            "tests/fixtures/mattermost/config-default.json",
            "--output-dir",
        ])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty() || out.status.code() != Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.status.code().unwrap_or(-1)
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Validates `doc` against a vendored schema; panics with the errors.
pub fn assert_schema_valid(schema: &str, doc: &Path) {
    let py = support::require_tool("python3", "python3");
    let probe = std::process::Command::new(&py)
        .args(["-c", "import jsonschema"])
        .status()
        .unwrap();
    assert!(
        probe.success(),
        "python3-jsonschema is not installed: `apt-get install -y python3-jsonschema` \
         (or run scripts/test, which installs it)"
    );
    let out = std::process::Command::new(py)
        .arg(root().join("tests/support/validate_json_schema.py"))
        .arg(root().join("tests/schemas").join(schema))
        .arg(doc)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} is not valid against {schema}:\n{}{}",
        doc.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_format_from_one_scan_of_the_default_config() {
    let dir = support::scratch_dir("formats");
    let out = dir.path().join("out");
    assert_eq!(scan_all(&out, &[]), 1, "the default config fails the gate");
    for f in [
        "safeguard.txt",
        "safeguard.json",
        "safeguard.junit.xml",
        "safeguard.sarif",
        "safeguard.md",
        "safeguard.html",
        "safeguard.oscal.json",
    ] {
        let len = std::fs::metadata(out.join(f)).map(|m| m.len()).unwrap_or(0);
        assert!(len > 500, "{f} is missing or empty");
    }
    let report = json(&out.join("safeguard.json"));
    let failing: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| f["check_id"].as_str().unwrap())
        .collect();
    let findings = report["findings"].as_array().unwrap().len();

    // SARIF: valid, one result per failing finding, rules with security-severity and help,
    // fingerprints, physical locations at the config line.
    assert_schema_valid("sarif-schema-2.1.0.json", &out.join("safeguard.sarif"));
    let sarif = json(&out.join("safeguard.sarif"));
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), failing.len());
    for r in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(r["properties"]["security-severity"].is_string(), "{r}");
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
    }
    let idle = results
        .iter()
        .find(|r| r["ruleId"] == "session-idle-timeout")
        .unwrap();
    let phys = &idle["locations"][0]["physicalLocation"];
    assert_eq!(
        phys["artifactLocation"]["uri"],
        "tests/fixtures/mattermost/config-default.json"
    );
    assert!(phys["region"]["startLine"].as_u64().unwrap() > 1);
    assert_eq!(
        idle["locations"][0]["logicalLocations"][0]["name"],
        "ServiceSettings.SessionIdleTimeoutInMinutes"
    );
    assert!(
        idle["partialFingerprints"]["safeguardFinding/v1"]
            .as_str()
            .unwrap()
            .len()
            == 32
    );

    // OSCAL: valid; one finding per paragraph; an observation per finding.
    assert_schema_valid(
        "oscal_assessment-results_schema.json",
        &out.join("safeguard.oscal.json"),
    );
    let oscal = json(&out.join("safeguard.oscal.json"));
    let result = &oscal["assessment-results"]["results"][0];
    assert_eq!(
        result["findings"].as_array().unwrap().len(),
        report["scores"]["requirements"].as_array().unwrap().len()
    );
    assert_eq!(result["observations"].as_array().unwrap().len(), findings);
    let logoff = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == "hipaa-technical_164.312_a_2_iii")
        .unwrap();
    assert_eq!(logoff["target"]["status"]["state"], "not-satisfied");
    // Nothing is satisfied for want of evidence.
    let na = result["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == "hipaa-technical_164.312_e_2_i")
        .unwrap();
    assert_eq!(na["target"]["status"]["reason"], "other");

    // JUnit: parsed back; failures are the failing findings; nothing erred.
    let xml = std::fs::read_to_string(out.join("safeguard.junit.xml")).unwrap();
    let junit = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    assert_eq!(junit.failures, failing.len());
    assert_eq!(junit.errors, 0);
    let suite = &junit.test_suites[0];
    let names: Vec<String> = suite
        .test_cases
        .iter()
        .map(|t| t.name.as_str().to_owned())
        .collect();
    for c in &failing {
        assert!(names.iter().any(|n| n == c), "{c}");
    }
    assert!(names.iter().any(|n| n.starts_with("manual: ")));
    assert!(suite.test_cases.len() > findings);

    // Markdown: the gate, the paragraphs, every failing check.
    let md = std::fs::read_to_string(out.join("safeguard.md")).unwrap();
    assert!(md.contains("**Gate FAILED"));
    assert!(md.contains("| 164.312(a)(2)(iii) | Automatic logoff | addressable |"));
    for c in &failing {
        assert!(md.contains(&c.replace('_', "\\_")), "{c}");
    }

    // Re-rendering the saved scan gives the same SARIF results (same fingerprints).
    let again = dir.path().join("again.sarif");
    let st = safeguard()
        .current_dir(root())
        .arg("report")
        .arg(out.join("safeguard.json"))
        .args(["--format", "sarif", "--output"])
        .arg(&again)
        .output()
        .unwrap();
    assert_eq!(st.status.code(), Some(1));
    let fp = |v: &Value| -> Vec<Value> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(fp(&json(&again)), fp(&sarif));
}

#[test]
fn several_formats_choose_what_output_dir_writes_and_stdout_takes_one() {
    let dir = support::scratch_dir("formats-some");
    let out = dir.path().join("o");
    scan_all(&out, &["--format", "json,sarif"]);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["safeguard.json", "safeguard.sarif"]);
    let o = safeguard()
        .current_dir(root())
        .args([
            "scan",
            "--mattermost-config",
            "tests/fixtures/mattermost/config-default.json",
            "--format",
            "json,md",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--output-dir"));
}

#[test]
fn a_template_that_fails_names_its_line_and_a_custom_one_is_used() {
    let dir = support::scratch_dir("template");
    let bad = dir.path().join("bad.html.j2");
    std::fs::write(
        &bad,
        "<html>\n<p>{{ report.gate.passed }}</p>\n{% for x in %}\n</html>\n",
    )
    .unwrap();
    let o = safeguard()
        .current_dir(root())
        .args([
            "scan",
            "--mattermost-config",
            "tests/fixtures/mattermost/config-default.json",
            "--format",
            "html",
            "--template",
        ])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.html.j2:3"), "{err}");
    let good = dir.path().join("good.html.j2");
    std::fs::write(
        &good,
        "<p>{{ report.profile.id }} {{ gate_sentence }} <{{ '<script>' }}></p>\n",
    )
    .unwrap();
    let o = safeguard()
        .current_dir(root())
        .args([
            "scan",
            "--mattermost-config",
            "tests/fixtures/mattermost/config-default.json",
            "--format",
            "html",
            "--template",
        ])
        .arg(&good)
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&o.stdout);
    assert!(page.contains("hipaa-technical FAILED"), "{page}");
    assert!(page.contains("&lt;script&gt;"), "escaped: {page}");
}

#[test]
fn every_format_from_a_tls_endpoint() {
    let p = support::pki::pki();
    let s = support::openssl_s_server(
        "formats-tls",
        &[
            "-cert",
            p.cert("rsa2048").to_str().unwrap(),
            "-key",
            p.key("rsa2048").to_str().unwrap(),
        ],
    );
    let dir = support::scratch_dir("formats-tls");
    let out = dir.path().join("out");
    let o = safeguard()
        .args(["tls", &s.addr(), "--ca-file", p.ca().to_str().unwrap()])
        .arg("--output-dir")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_schema_valid("sarif-schema-2.1.0.json", &out.join("safeguard.sarif"));
    assert_schema_valid(
        "oscal_assessment-results_schema.json",
        &out.join("safeguard.oscal.json"),
    );
    let sarif = json(&out.join("safeguard.sarif"));
    for r in sarif["runs"][0]["results"].as_array().unwrap() {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(
            uri.starts_with("safeguard/endpoints/tls/127.0.0.1_"),
            "{uri}"
        );
        assert_eq!(r["locations"][0]["logicalLocations"][0]["kind"], "resource");
    }
    let xml = std::fs::read_to_string(out.join("safeguard.junit.xml")).unwrap();
    let junit = quick_junit::Report::deserialize_from_str(&xml).unwrap();
    assert!(junit.tests > 10);
    let html = std::fs::read_to_string(out.join("safeguard.html")).unwrap();
    assert!(html.contains(&s.addr()) || html.contains("127.0.0.1"));
    for f in ["safeguard.txt", "safeguard.md", "safeguard.json"] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

/// Runs a command, killing it after `limit`; returns its stdout.
fn run_with_timeout(mut cmd: std::process::Command, limit: Duration) -> Vec<u8> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut stdout, &mut buf);
        buf
    });
    let start = Instant::now();
    loop {
        if let Some(_st) = child.try_wait().unwrap() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish in {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap()
}

fn chromium(profile: &Path) -> std::process::Command {
    let bin = support::require_tool("chromium", "chromium");
    let mut c = std::process::Command::new(bin);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn the_html_page_shows_the_report_in_chromium_and_prints_to_pdf() {
    let dir = support::scratch_dir("html");
    let out = dir.path().join("out");
    // With a waiver and an attestation, so their sections have content.
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "waivers:\n  - check: session-length-mobile\n    justification: Kiosk tablets are locked by MDM after 5 minutes\n    approved_by: Privacy Officer\n    expires: \"2999-12-31\"\n",
    )
    .unwrap();
    let attestations = dir.path().join("attest.yaml");
    std::fs::write(
        &attestations,
        "attestations:\n  - item: emergency-access-procedure\n    statement: Break-glass accounts are documented and tested quarterly\n    attested_by: Security lead\n    date: \"2026-01-15\"\n    evidence: ISMS-DOC-42\n    expires: \"2999-01-15\"\n",
    )
    .unwrap();
    scan_all(
        &out,
        &[
            "--format",
            "html",
            "--waivers",
            waivers.to_str().unwrap(),
            "--attestations",
            attestations.to_str().unwrap(),
        ],
    );
    let page = out.join("safeguard.html");
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: no external assets.
    for bad in ["<script", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(bad), "external or active content: {bad}");
    }
    let url = format!("file://{}", page.display());
    let mut dump = chromium(&dir.path().join("profile1"));
    dump.arg("--dump-dom").arg(&url);
    let dom = String::from_utf8(run_with_timeout(dump, Duration::from_secs(90))).unwrap();
    assert!(dom.contains("Gate FAILED"), "{dom}");
    for want in [
        "164.312(a)(2)(iii)",
        "Automatic logoff",
        "session-idle-timeout",
        "ServiceSettings.SessionIdleTimeoutInMinutes",
        "Kiosk tablets are locked by MDM",
        "Break-glass accounts are documented",
        "Evidence digest",
        "sha256:",
    ] {
        assert!(dom.contains(want), "the page does not show {want}");
    }
    let pdf = dir.path().join("report.pdf");
    let mut print = chromium(&dir.path().join("profile2"));
    print
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&url);
    run_with_timeout(print, Duration::from_secs(90));
    assert!(std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0) > 10_000);
    let pdftotext = support::require_tool("pdftotext", "poppler-utils");
    let text = std::process::Command::new(pdftotext)
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    for want in [
        "Gate FAILED",
        "Paragraphs",
        "Findings needing action",
        "audit-logging-enabled",
        "Waivers and attestations",
        "Scan metadata",
    ] {
        assert!(text.contains(want), "the printed PDF lacks {want}:\n{text}");
    }
    // Several A4 pages, not one endless page.
    assert!(text.matches('\u{c}').count() >= 2, "page breaks");
}
