//! The report: one serde model, for every command, that every renderer reads, so JSON,
//! the table and later formats can never disagree. Renderers are pure functions writing
//! to a `Write`, chosen by [`format::Format`]; they never judge — colour and emphasis come
//! from the statuses the assessment decided. The report imports no probe.
//!
//! The JSON wire format is documented in `docs/json-report.md`; bump
//! [`SCHEMA_VERSION`] on any incompatible change.

pub mod detail;
pub mod format;
pub mod json;
pub mod listing;
pub mod table;

use crate::assess::Assessment;
pub use crate::assess::{AssessedFinding as ReportFinding, Gate};
use crate::evidence::{Evidence, FactValue};
use crate::profile::{Profile, ProfileStatus, Scores};
use crate::records::{AttestationRecord, WaiverRecord};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the JSON report format. 2: one format for every command (`targets` list,
/// attempts with `covers`).
pub const SCHEMA_VERSION: u32 = 2;

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

/// One thing that was scanned: `kind` (`mattermost-config`, `site`, `tls`, `ldap`, …) and
/// where it is (a path, a URL, an endpoint).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetRef {
    pub kind: String,
    pub location: String,
}

/// A complete scan report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema_version: u32,
    pub tool: Tool,
    pub generated_at: String,
    pub profile: ProfileRef,
    pub targets: Vec<TargetRef>,
    pub gate: Gate,
    pub scores: Scores,
    pub findings: Vec<ReportFinding>,
    pub evidence: Evidence,
    /// Waivers given to the assessment, with what became of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waivers: Vec<WaiverRecord>,
    /// Attestations given to the assessment, with what became of each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attestations: Vec<AttestationRecord>,
}

/// Packages an assessment with what it was made from.
pub fn build(
    profile: &Profile,
    assessment: Assessment,
    evidence: Evidence,
    targets: Vec<TargetRef>,
    generated_at: String,
) -> Report {
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
            checks_digest: assessment.checks_digest,
            parameters: assessment.parameters,
        },
        targets,
        gate: assessment.gate,
        scores: assessment.scores,
        findings: assessment.findings,
        evidence,
        waivers: assessment.waivers,
        attestations: assessment.attestations,
    }
}

/// Reads a saved JSON report, refusing one of a schema this build does not know.
pub fn read_json(text: &str) -> Result<Report, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not a JSON report: {e}"))?;
    match v.get("schema_version").and_then(serde_json::Value::as_u64) {
        Some(n) if n == u64::from(SCHEMA_VERSION) => {}
        Some(n) => {
            return Err(format!(
                "report schema version {n}; this safeguard reads version {SCHEMA_VERSION}"
            ));
        }
        None => return Err("not a safeguard report: no schema_version".into()),
    }
    serde_json::from_value(v).map_err(|e| format!("not a safeguard report: {e}"))
}
