//! Rolling findings up into paragraph verdicts and scores; see `docs/scoring.md`.
//!
//! Missing evidence is never a pass: a paragraph with an unassessed check is at best
//! "not assessed", never "met".

use super::{Designation, Profile};
use crate::check::{Finding, FindingStatus, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A paragraph's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequirementStatus {
    Met,
    PartiallyMet,
    NotMet,
    NotAssessed,
    Manual,
}

impl RequirementStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::PartiallyMet => "partially met",
            Self::NotMet => "not met",
            Self::NotAssessed => "not assessed",
            Self::Manual => "manual",
        }
    }
}

/// One paragraph's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementResult {
    pub id: String,
    pub title: String,
    pub designation: Designation,
    pub status: RequirementStatus,
    /// Findings by status, for this paragraph's checks.
    pub counts: BTreeMap<String, usize>,
    /// Manual items still awaiting a person's attestation.
    pub manual_pending: Vec<String>,
}

/// The whole run's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub requirements: Vec<RequirementResult>,
    /// Paragraphs by verdict.
    pub requirement_counts: BTreeMap<String, usize>,
    /// Met ÷ (met + partially met + not met), in percent.
    pub conformance_percent: Option<f64>,
    /// Paragraphs with an automated verdict ÷ all paragraphs, in percent.
    pub coverage_percent: f64,
    /// Σ weight of passing findings ÷ Σ weight of assessed findings (pass, warn, fail, error), in percent.
    pub weighted_check_score_percent: Option<f64>,
    /// Findings by status.
    pub finding_counts: BTreeMap<String, usize>,
}

/// Scores `findings` under `profile`.
pub fn score(profile: &Profile, findings: &[Finding]) -> Scores {
    let mut requirements = Vec::new();
    for req in &profile.requirements {
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| req.checks.contains(&f.check_id))
            .collect();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for f in &mine {
            *counts.entry(f.status.as_str().to_owned()).or_default() += 1;
        }
        let n = |s: FindingStatus| mine.iter().filter(|f| f.status == s).count();
        let passes = n(FindingStatus::Pass) + n(FindingStatus::Warn);
        let fails = n(FindingStatus::Fail);
        let unknown = n(FindingStatus::Error) + n(FindingStatus::NotAssessed);
        let status = if fails > 0 && passes > 0 {
            RequirementStatus::PartiallyMet
        } else if fails > 0 {
            RequirementStatus::NotMet
        } else if unknown > 0 {
            RequirementStatus::NotAssessed
        } else if passes > 0 {
            RequirementStatus::Met
        } else if !req.manual.is_empty() {
            RequirementStatus::Manual
        } else {
            RequirementStatus::NotAssessed
        };
        requirements.push(RequirementResult {
            id: req.id.clone(),
            title: req.title.clone(),
            designation: req.designation,
            status,
            counts,
            manual_pending: req.manual.iter().map(|m| m.id.clone()).collect(),
        });
    }
    let mut requirement_counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in &requirements {
        *requirement_counts
            .entry(r.status.as_str().to_owned())
            .or_default() += 1;
    }
    let rc = |s: RequirementStatus| requirements.iter().filter(|r| r.status == s).count();
    let decided = rc(RequirementStatus::Met)
        + rc(RequirementStatus::PartiallyMet)
        + rc(RequirementStatus::NotMet);
    let conformance_percent = (decided > 0).then(|| percent(rc(RequirementStatus::Met), decided));
    let coverage_percent = percent(decided, requirements.len().max(1));
    let mut finding_counts: BTreeMap<String, usize> = BTreeMap::new();
    let (mut got, mut possible) = (0u64, 0u64);
    for f in findings {
        *finding_counts
            .entry(f.status.as_str().to_owned())
            .or_default() += 1;
        let w = u64::from(f.severity.weight());
        match f.status {
            FindingStatus::Pass => {
                got += w;
                possible += w;
            }
            FindingStatus::Warn | FindingStatus::Fail | FindingStatus::Error => possible += w,
            FindingStatus::NotAssessed | FindingStatus::NotApplicable => {}
        }
    }
    let weighted_check_score_percent =
        (possible > 0).then(|| round1(got as f64 * 100.0 / possible as f64));
    Scores {
        requirements,
        requirement_counts,
        conformance_percent,
        coverage_percent,
        weighted_check_score_percent,
        finding_counts,
    }
}

fn percent(n: usize, d: usize) -> f64 {
    round1(n as f64 * 100.0 / d as f64)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Whether the gate fails: a `fail` finding at or above `threshold`. (Findings in
/// `error` — a probe could not run — make the scan incomplete instead; see `Exit`.)
pub fn gate_fails(findings: &[Finding], threshold: Severity) -> bool {
    findings
        .iter()
        .any(|f| f.status == FindingStatus::Fail && f.severity >= threshold)
}
