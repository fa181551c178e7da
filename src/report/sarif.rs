//! The SARIF 2.1.0 renderer, for code-scanning dashboards (GitHub, GitLab, Azure DevOps).
//!
//! Written with serde_json by hand rather than a generated SARIF model crate: we emit a
//! small, fixed subset of the format, the output is validated against the official
//! OASIS schema in the tests, and the hand-written shape keeps property names and
//! ordering exactly as code-scanning uploaders document them.
//!
//! What goes in: one rule per check that has a finding (stable id = check id, with
//! `security-severity` from the check's severity and the remediation as help), and one
//! result per failing, warning or erroring finding. Passing, not-assessed and
//! not-applicable findings are not results (code scanning would show them as alerts).
//! Each result has a `partialFingerprints` entry (check and subject, so re-uploads do
//! not duplicate alerts), logical locations (the endpoint; the setting), and a physical
//! location: the config file and line the evidence came from, else a stable pseudo-path
//! under `safeguard/` naming the endpoint or the deployment. Waived findings carry a
//! `suppressions` entry; probe errors also become tool execution notifications.

use super::{Report, ReportFinding};
use crate::check::{FindingStatus, Severity};
use serde_json::{Value, json};
use std::io::{self, Write};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// GitHub's `security-severity` scale: critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "0.0",
    }
}

fn level(f: &ReportFinding) -> &'static str {
    match f.finding.status {
        FindingStatus::Fail if f.finding.severity >= Severity::Medium => "error",
        FindingStatus::Fail => "warning",
        FindingStatus::Warn => "warning",
        _ => "note",
    }
}

/// `path:line:col` → (path, line, col), when the source has that shape.
pub fn split_source(src: &str) -> Option<(&str, u64, u64)> {
    let (rest, col) = src.rsplit_once(':')?;
    let (path, line) = rest.rsplit_once(':')?;
    let line: u64 = line.parse().ok()?;
    let col: u64 = col.parse().ok()?;
    (!path.is_empty() && line > 0).then_some((path, line, col.max(1)))
}

/// A relative path as a URI reference (percent-encoding what must be), or a file URI for
/// an absolute path.
fn uri_of(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    if path.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

/// A stable pseudo-path for a finding with no file behind it.
fn pseudo_path(f: &ReportFinding) -> String {
    let clean = |t: &str| -> String {
        t.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    match &f.finding.subject {
        Some(s) => {
            let (scheme, rest) = s.split_once("://").unwrap_or(("endpoint", s));
            format!("safeguard/endpoints/{}/{}", clean(scheme), clean(rest))
        }
        None => "safeguard/deployment".into(),
    }
}

fn location(f: &ReportFinding) -> Value {
    let file = f
        .finding
        .evidence
        .iter()
        .filter_map(|e| e.source.as_deref().and_then(split_source))
        // The setting the fix names, when its fact was read from a file; else the first.
        .min_by_key(|(p, _, _)| p.is_empty());
    let setting_fact = f.remediation.setting.as_ref().and_then(|s| {
        f.finding
            .evidence
            .iter()
            .find(|e| e.key.ends_with(s.as_str()))
            .and_then(|e| e.source.as_deref().and_then(split_source))
    });
    let physical = match setting_fact.or(file) {
        Some((path, line, col)) => json!({
            "artifactLocation": {"uri": uri_of(path)},
            "region": {"startLine": line, "startColumn": col}
        }),
        None => json!({
            "artifactLocation": {"uri": pseudo_path(f), "uriBaseId": "SAFEGUARD"}
        }),
    };
    let mut logical = Vec::new();
    if let Some(s) = &f.finding.subject {
        logical.push(json!({"name": s, "fullyQualifiedName": s, "kind": "resource"}));
    }
    if let Some(s) = &f.remediation.setting {
        logical.push(json!({"name": s, "fullyQualifiedName": s, "kind": "property"}));
    }
    let mut loc = json!({"physicalLocation": physical});
    if !logical.is_empty() {
        loc["logicalLocations"] = Value::Array(logical);
    }
    loc
}

/// Writes the report as SARIF 2.1.0.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let v = to_value(report);
    serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::other)?;
    writeln!(out)
}

/// The SARIF log as a JSON value.
pub fn to_value(report: &Report) -> Value {
    let results_of: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.finding.status,
                FindingStatus::Fail | FindingStatus::Warn | FindingStatus::Error
            )
        })
        .collect();
    // Rules: every check with a finding, so the rule set is stable between runs.
    let mut rule_ids: Vec<&str> = Vec::new();
    let mut rules = Vec::new();
    for f in &report.findings {
        let id = f.finding.check_id.as_str();
        if rule_ids.contains(&id) {
            continue;
        }
        rule_ids.push(id);
        let r = &f.remediation;
        let mut help = r.summary.clone();
        let mut md = format!("**Fix:** {}", r.summary);
        if let Some(s) = &r.setting {
            help.push_str(&format!(" Setting: {s}."));
            md.push_str(&format!("\n\n**Setting:** `{s}`"));
        }
        if let Some(c) = &r.console {
            help.push_str(&format!(" System Console: {c}."));
            md.push_str(&format!("\n\n**System Console:** {c}"));
        }
        if !f.requirements.is_empty() {
            md.push_str(&format!(
                "\n\n**{}:** {}",
                report.profile.title,
                f.requirements.join(", ")
            ));
        }
        let mut tags = vec!["security".to_owned(), "configuration".to_owned()];
        tags.extend(f.requirements.iter().cloned());
        rules.push(json!({
            "id": id,
            "name": id,
            "shortDescription": {"text": f.title},
            "fullDescription": {"text": f.title},
            "help": {"text": help, "markdown": md},
            "defaultConfiguration": {
                "level": if f.finding.severity >= Severity::Medium { "error" } else { "warning" }
            },
            "properties": {
                "security-severity": security_severity(f.finding.severity),
                "severity": f.finding.severity.as_str(),
                "precision": "very-high",
                "tags": tags,
                "references": f.references,
            }
        }));
    }
    let mut notifications = Vec::new();
    let mut results = Vec::new();
    for f in results_of {
        let idx = rule_ids
            .iter()
            .position(|r| *r == f.finding.check_id)
            .unwrap_or(0);
        let mut text = f.finding.message.clone();
        if f.finding.status != FindingStatus::Error {
            text.push_str(&format!(" — Fix: {}", f.remediation.summary));
        }
        let mut res = json!({
            "ruleId": f.finding.check_id,
            "ruleIndex": idx,
            "level": level(f),
            "kind": "fail",
            "message": {"text": text},
            "locations": [location(f)],
            "partialFingerprints": {"safeguardFinding/v1": super::fingerprint(f)},
            "properties": {
                "status": f.finding.status.as_str(),
                "severity": f.finding.severity.as_str(),
                "paragraphs": f.requirements,
            }
        });
        if let Some(w) = &f.waiver {
            res["suppressions"] = json!([{
                "kind": "external",
                "status": "accepted",
                "justification": format!(
                    "{} (approved by {}, expires {}; {})",
                    w.justification, w.approved_by, w.expires, w.source
                )
            }]);
        }
        if f.finding.status == FindingStatus::Error {
            notifications.push(json!({
                "level": "error",
                "message": {"text": format!("{}: {}", f.finding.check_id, f.finding.message)},
                "descriptor": {"id": f.finding.check_id, "index": idx}
            }));
        }
        results.push(res);
    }
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": report.tool.name,
                "version": report.tool.version,
                "semanticVersion": report.tool.version,
                "rules": rules,
            }},
            "automationDetails": {"id": format!("safeguard/{}/", report.profile.id)},
            "originalUriBaseIds": {
                "SAFEGUARD": {"uri": "safeguard:/", "description": {"text": "Pseudo-paths for findings with no file behind them (endpoints, the deployment)."}}
            },
            "invocations": [{
                "executionSuccessful": !report.gate.incomplete,
                "endTimeUtc": report.generated_at,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": {
                "profile": {"id": report.profile.id, "version": report.profile.version},
                "gate": {"passed": report.gate.passed, "fail_on": report.gate.fail_on.as_str()},
            }
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_split_into_file_line_column() {
        assert_eq!(
            split_source("tests/x/config.json:50:9"),
            Some(("tests/x/config.json", 50, 9))
        );
        assert_eq!(split_source("GET https://h/"), None);
        assert_eq!(uri_of("a b/c.json"), "a%20b/c.json");
        assert_eq!(uri_of("/etc/mm.json"), "file:///etc/mm.json");
    }
}
