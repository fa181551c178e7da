//! The report: one serde model that every renderer reads, so JSON, the table and later
//! formats can never disagree. Renderers are pure functions writing to a `Write`.
//!
//! The JSON wire format is documented in `docs/json-report.md`; bump
//! [`SCHEMA_VERSION`] on any incompatible change.

pub mod json;
pub mod ldap;
pub mod listing;
pub mod table;
pub mod tls;

use crate::check::{CheckSet, Finding, Remediation, Severity};
use crate::evidence::{Evidence, FactValue};
use crate::profile::{Profile, ProfileStatus, Scores};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Version of the JSON report format.
pub const SCHEMA_VERSION: u32 = 1;

/// The tool that made the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn this() -> Self {
        Self {
            name: "safeguard".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// The profile a report was scored against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileRef {
    pub id: String,
    pub version: i64,
    pub title: String,
    pub status: ProfileStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// `sha256:` of the check files the profile used, sorted by id.
    pub checks_digest: String,
    /// Every parameter value in force (profile values over check defaults).
    pub parameters: BTreeMap<String, FactValue>,
}

/// What was scanned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mattermost_config: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mattermost_env: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mattermost_license: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ldap: Vec<String>,
}

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
pub struct ReportFinding {
    #[serde(flatten)]
    pub finding: Finding,
    pub title: String,
    /// The profile's paragraphs this check serves.
    pub requirements: Vec<String>,
    pub references: Vec<String>,
    pub remediation: Remediation,
}

/// A complete scan report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub generated_at: String,
    pub profile: ProfileRef,
    pub target: Target,
    pub gate: Gate,
    pub scores: Scores,
    pub findings: Vec<ReportFinding>,
    pub evidence: Evidence,
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

/// Builds the report: evaluates the profile's checks over `evidence` and scores them.
pub fn build(
    profile: &Profile,
    checks: &CheckSet,
    evidence: Evidence,
    target: Target,
    fail_on: Severity,
    generated_at: String,
) -> Report {
    let params = effective_parameters(profile, checks);
    let mut findings = Vec::new();
    for id in profile.check_ids() {
        let Some(check) = checks.get(id) else {
            continue;
        };
        for f in crate::check::evaluate(check, &params, &evidence) {
            let requirements = profile
                .requirements
                .iter()
                .filter(|r| r.checks.iter().any(|c| c == id))
                .map(|r| r.id.clone())
                .collect();
            findings.push(ReportFinding {
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
        incomplete: plain
            .iter()
            .any(|f| f.status == crate::check::FindingStatus::Error),
    };
    Report {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        generated_at,
        profile: ProfileRef {
            id: profile.id.clone(),
            version: profile.version,
            title: profile.title.clone(),
            status: profile.status,
            notice: profile.notice.clone(),
            basis: profile.basis.clone(),
            checks_digest: checks_digest(profile, checks),
            parameters: params,
        },
        target,
        gate,
        scores,
        findings,
        evidence,
    }
}
