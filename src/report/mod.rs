//! The report: one serde model, for every command, that every renderer reads, so JSON,
//! the table and later formats can never disagree. Renderers are pure functions writing
//! to a `Write`, chosen by [`format::Format`]; they never judge — colour and emphasis come
//! from the statuses the assessment decided. The report imports no probe.
//!
//! The JSON wire format is documented in `docs/json-report.md`; bump
//! [`SCHEMA_VERSION`] on any incompatible change.

pub mod detail;
pub mod diff;
pub mod format;
pub mod html;
pub mod integrity;
pub mod json;
pub mod junit;
pub mod listing;
pub mod markdown;
pub mod oscal;
pub mod sarif;
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
    /// Digests of what the report was made from.
    #[serde(default)]
    pub integrity: Integrity,
    /// The comparison with a previous report (`--baseline`), when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineRef>,
    /// The ed25519 signature over the canonical report (`--sign`), when signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

/// SHA-256 digests of everything a report was made from, so an auditor can check later
/// that the inputs and the evidence are the ones scanned (`safeguard verify`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Integrity {
    /// Files read: config, environment file, licence, logs, waivers, attestations.
    #[serde(default)]
    pub inputs: Vec<InputDigest>,
    /// `sha256:` of the profile as loaded (its canonical JSON).
    #[serde(default)]
    pub profile_digest: String,
    /// `sha256:` of the canonical JSON of the `evidence` block.
    #[serde(default)]
    pub evidence_digest: String,
}

/// One input file and its digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputDigest {
    /// What it was read as: `mattermost-config`, `mattermost-env`, `license`, `log`,
    /// `waivers`, `attestations`, `evidence-source`.
    pub role: String,
    pub path: String,
    /// `sha256:<hex>`.
    pub sha256: String,
}

/// An ed25519 signature over a manifest: the `sha256:` of the canonical JSON of every
/// other top-level member of the report. Verifying the manifest's signature, then each
/// digest, tells which part of a report was changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// `ed25519`.
    pub algorithm: String,
    /// The signer's public key, base64 of its 32 bytes.
    pub public_key: String,
    /// Top-level member → `sha256:` of its canonical JSON.
    pub manifest: BTreeMap<String, String>,
    /// base64 of the 64-byte signature over the manifest's canonical JSON.
    pub value: String,
}

/// The previous report a scan was compared with (`--baseline`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineRef {
    pub path: String,
    pub generated_at: String,
    /// `check@subject` failing now and not in the baseline.
    pub new_failures: Vec<String>,
    /// `check@subject` failing in the baseline and not now.
    pub fixed: Vec<String>,
    /// The gate judged only the new failures (`--fail-on-new`).
    pub gate_on_new_only: bool,
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(bytes);
    let mut s = String::with_capacity(71);
    s.push_str("sha256:");
    for b in d.iter() {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Canonical JSON: object keys sorted, no insignificant white space. What digests and
/// signatures are computed over, so re-serialising a report does not change them.
pub fn canonical_json(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let parts: Vec<String> = keys
                .into_iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        serde_json::to_string(k).unwrap_or_default(),
                        canonical_json(&m[k])
                    )
                })
                .collect();
            format!("{{{}}}", parts.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical_json).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// `sha256:` of the canonical JSON of any serialisable value.
pub fn digest_of<T: Serialize>(value: &T) -> String {
    let v = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    sha256(canonical_json(&v).as_bytes())
}

/// A stable identity for a finding: its check and subject. SARIF's partial fingerprint,
/// OSCAL's UUIDs and `safeguard diff` key on it.
pub fn fingerprint(f: &ReportFinding) -> String {
    let key = format!(
        "{}\u{0}{}",
        f.finding.check_id,
        f.finding.subject.as_deref().unwrap_or("")
    );
    sha256(key.as_bytes())["sha256:".len()..][..32].to_owned()
}

/// Packages an assessment with what it was made from.
pub fn build(
    profile: &Profile,
    assessment: Assessment,
    evidence: Evidence,
    targets: Vec<TargetRef>,
    generated_at: String,
) -> Report {
    let evidence_digest = digest_of(&evidence);
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
        integrity: Integrity {
            inputs: Vec::new(),
            profile_digest: digest_of(profile),
            evidence_digest,
        },
        baseline: None,
        signature: None,
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
