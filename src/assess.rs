//! The assessment stage: profile, checks, evidence and time in; findings, paragraph
//! scores and the gate out. Pure — no I/O — so a saved report's evidence re-assessed here
//! gives the same verdicts as the live run, and waivers and attestations have one place
//! to plug in.
//!
//! What does not belong here: collecting evidence (`probe`, `scan`), packaging and
//! rendering (`report`).

use crate::check::{CheckSet, Finding, FindingStatus, Remediation, Severity};
use crate::evidence::{Evidence, FactValue};
use crate::profile::{Profile, Scores};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The gate: does any failure reach `fail_on`?
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gate {
    pub fail_on: Severity,
    pub passed: bool,
    /// Some finding is `error`: a probe could not run, so the scan is incomplete.
    pub incomplete: bool,
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
    let scores = crate::profile::score(profile, &plain);
    let gate = Gate {
        fail_on,
        passed: !crate::profile::score::gate_fails(&plain, fail_on),
        incomplete: plain.iter().any(|f| f.status == FindingStatus::Error),
    };
    Assessment {
        findings,
        scores,
        gate,
        parameters: params,
        checks_digest: checks_digest(profile, checks),
    }
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
