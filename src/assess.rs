//! The assessment stage: profile, checks, evidence and time in; findings, paragraph
//! scores and the gate out. Pure — no I/O — so a saved report's evidence re-assessed here
//! gives the same verdicts as the live run, and waivers and attestations have one place
//! to plug in.
//!
//! What does not belong here: collecting evidence (`probe`, `scan`), packaging and
//! rendering (`report`).

use crate::check::{CheckSet, Finding, FindingStatus, Remediation, Severity};
use crate::evidence::{Evidence, FactValue};
use crate::profile::{Attestations, Profile, Scores};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The gate: does any failure reach `fail_on`, and was enough assessed to say so?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gate {
    pub fail_on: Severity,
    pub passed: bool,
    /// The scan is incomplete: some finding is `error` (a probe could not run), or the
    /// coverage is below the profile's minimum. Exit 3 unless the gate already failed.
    pub incomplete: bool,
    /// Why the scan is incomplete, one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomplete_reasons: Vec<String>,
    /// The profile's minimum coverage, in percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_coverage_percent: Option<f64>,
    /// Evidence no probe was asked for, and how to supply it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing_evidence: Vec<MissingEvidence>,
}

/// A kind of evidence the run lacked, the checks left unassessed for want of it, and
/// what would supply it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingEvidence {
    /// The fact families (`tls`, `http`, `ldap`, `mattermost.config`, `mattermost`).
    pub families: Vec<String>,
    /// Checks not assessed for want of it.
    pub checks: Vec<String>,
    /// The flag or input that provides it.
    pub supply: String,
}

/// What supplies the facts of a family (the scan command's inputs).
pub fn supply_hint(family: &str) -> &'static str {
    match family {
        "mattermost.config" | "mattermost" => {
            "--mattermost-config FILE (config.json or `mmctl config show` output; --mattermost-license FILE for licence-gated behaviour)"
        }
        "tls" | "http" => {
            "--url https://HOST (or --probe-configured-endpoints with a config whose SiteURL is https)"
        }
        "ldap" => {
            "--ldap ldap://HOST:PORT (or --probe-configured-endpoints with a config that enables AD/LDAP)"
        }
        "logs" | "host" => {
            "--logs DIR (Mattermost's log directory) or --mattermost-home DIR (an install: config/, logs/, data/)"
        }
        _ => "a probe that provides these facts",
    }
}

/// A finding with what a reader needs beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub title: String,
    /// The profile's paragraphs this check serves.
    pub requirements: Vec<String>,
    pub references: Vec<String>,
    pub remediation: Remediation,
}

/// Everything the assessment decides.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub findings: Vec<AssessedFinding>,
    pub scores: Scores,
    pub gate: Gate,
    /// Every parameter value in force (profile values over check defaults).
    pub parameters: BTreeMap<String, FactValue>,
    /// `sha256:` of the check files the profile used, sorted by id.
    pub checks_digest: String,
}

/// Evaluates the profile's checks over `evidence` and scores them.
pub fn assess(
    profile: &Profile,
    checks: &CheckSet,
    evidence: &Evidence,
    fail_on: Severity,
) -> Assessment {
    assess_attested(profile, checks, evidence, fail_on, &Attestations::none())
}

/// [`assess`], counting the manual items a person has attested.
pub fn assess_attested(
    profile: &Profile,
    checks: &CheckSet,
    evidence: &Evidence,
    fail_on: Severity,
    attestations: &Attestations,
) -> Assessment {
    let params = effective_parameters(profile, checks);
    let mut findings = Vec::new();
    for id in profile.check_ids() {
        let Some(check) = checks.get(id) else {
            continue;
        };
        for f in crate::check::evaluate(check, &params, evidence) {
            let requirements = profile
                .requirements
                .iter()
                .filter(|r| r.checks.iter().any(|c| c == id))
                .map(|r| r.id.clone())
                .collect();
            findings.push(AssessedFinding {
                finding: f,
                title: check.title.clone(),
                requirements,
                references: check.references.clone(),
                remediation: check.remediation.clone(),
            });
        }
    }
    let plain: Vec<Finding> = findings.iter().map(|f| f.finding.clone()).collect();
    let scores = crate::profile::score_with(profile, &plain, attestations);
    let mut incomplete_reasons = Vec::new();
    let errors = plain
        .iter()
        .filter(|f| f.status == FindingStatus::Error)
        .count();
    if errors > 0 {
        incomplete_reasons.push(format!(
            "{errors} finding(s) in error: a probe could not run"
        ));
    }
    let min_coverage_percent = profile.min_coverage.map(|m| m as f64);
    if let Some(min) = min_coverage_percent
        && scores.coverage_percent < min
    {
        incomplete_reasons.push(format!(
            "coverage {:.1}% is below the profile's minimum of {min:.0}%",
            scores.coverage_percent
        ));
    }
    let gate = Gate {
        fail_on,
        passed: !crate::profile::score::gate_fails(&plain, fail_on),
        incomplete: !incomplete_reasons.is_empty(),
        incomplete_reasons,
        min_coverage_percent,
        missing_evidence: missing_evidence(checks, evidence, &plain),
    };
    Assessment {
        findings,
        scores,
        gate,
        parameters: params,
        checks_digest: checks_digest(profile, checks),
    }
}

/// The fact families no attempt covered, with the not-assessed checks that needed them.
fn missing_evidence(
    checks: &CheckSet,
    evidence: &Evidence,
    findings: &[Finding],
) -> Vec<MissingEvidence> {
    // Grouped by what supplies them: one line per flag.
    let mut by_supply: BTreeMap<&'static str, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for f in findings {
        if f.status != FindingStatus::NotAssessed {
            continue;
        }
        let Some(check) = checks.get(&f.check_id) else {
            continue;
        };
        for key in check.fact_keys() {
            let family = crate::catalogue::family_of(key);
            let attempted = evidence
                .attempts
                .iter()
                .any(|a| a.covers.iter().any(|c| c == family));
            if attempted {
                continue;
            }
            let (families, ids) = by_supply.entry(supply_hint(family)).or_default();
            if !families.iter().any(|x| x == family) {
                families.push(family.to_owned());
            }
            if !ids.contains(&f.check_id) {
                ids.push(f.check_id.clone());
            }
        }
    }
    by_supply
        .into_iter()
        .map(|(supply, (mut families, checks))| {
            families.sort();
            MissingEvidence {
                families,
                checks,
                supply: supply.to_owned(),
            }
        })
        .collect()
}

/// The parameter values in force for a profile: check defaults, overridden by the profile.
pub fn effective_parameters(profile: &Profile, checks: &CheckSet) -> BTreeMap<String, FactValue> {
    let mut out = BTreeMap::new();
    for id in profile.check_ids() {
        if let Some(c) = checks.get(id) {
            for (name, p) in &c.parameters {
                out.entry(name.clone()).or_insert_with(|| p.default.clone());
            }
        }
    }
    for (k, v) in &profile.parameters {
        out.insert(k.clone(), v.clone());
    }
    out
}

/// `sha256:<hex>` over the profile's check files, sorted by id.
pub fn checks_digest(profile: &Profile, checks: &CheckSet) -> String {
    let mut ids = profile.check_ids();
    ids.sort_unstable();
    let mut h = Sha256::new();
    for id in ids {
        if let Some(c) = checks.get(id) {
            h.update(id.as_bytes());
            h.update([0]);
            h.update(c.text.as_bytes());
            h.update([0]);
        }
    }
    let digest = h.finalize();
    let mut hex = String::with_capacity(71);
    hex.push_str("sha256:");
    for b in digest.iter() {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}
