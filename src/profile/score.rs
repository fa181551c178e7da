//! Rolling findings up into paragraph verdicts and scores; see `docs/scoring.md`.
//!
//! Missing evidence is never a pass: a paragraph with an unassessed check is at best
//! "not assessed", never "met".

use super::{Designation, Profile};
use crate::check::{Finding, FindingStatus, Severity};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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
    /// Manual items still awaiting a person's attestation. While any is pending the
    /// paragraph is at most partially met.
    pub manual_pending: Vec<String>,
    /// Manual items a person has attested (see [`Attestations`]); they count as passes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub manual_attested: Vec<String>,
}

impl RequirementResult {
    /// Whether the paragraph still waits for a person's attestation.
    pub fn is_pending(&self) -> bool {
        !self.manual_pending.is_empty()
    }
}

/// The manual items a person has attested, by id. Where attestations come from (a signed
/// file, a report's history) is not this module's concern: they arrive as ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attestations {
    pub attested: BTreeSet<String>,
}

impl Attestations {
    pub fn none() -> Self {
        Self::default()
    }

    /// Attestations for these manual item ids.
    pub fn of<I: IntoIterator<Item = S>, S: Into<String>>(ids: I) -> Self {
        Self {
            attested: ids.into_iter().map(Into::into).collect(),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.attested.contains(id)
    }
}

/// The paragraphs of one designation (required, addressable, standard, rule) by verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignationScore {
    pub designation: Designation,
    pub paragraphs: usize,
    pub met: usize,
    pub partially_met: usize,
    pub not_met: usize,
    /// Not assessed or manual: no automated verdict.
    pub undecided: usize,
    /// Met ÷ (met + partially met + not met), in percent.
    pub conformance_percent: Option<f64>,
}

/// The whole run's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    pub requirements: Vec<RequirementResult>,
    /// Paragraphs by verdict.
    pub requirement_counts: BTreeMap<String, usize>,
    /// Met ÷ (met + partially met + not met), in percent.
    pub conformance_percent: Option<f64>,
    /// The same figures per designation: a required specification (no alternative may
    /// replace it) is never averaged away by addressable ones.
    #[serde(default)]
    pub by_designation: Vec<DesignationScore>,
    /// Paragraphs with an automated verdict ÷ all paragraphs, in percent.
    pub coverage_percent: f64,
    /// Σ weight of passing findings ÷ Σ weight of assessed findings (pass, warn, fail, error), in percent.
    pub weighted_check_score_percent: Option<f64>,
    /// Findings by status.
    pub finding_counts: BTreeMap<String, usize>,
}

/// Scores `findings` under `profile`, with no manual item attested.
pub fn score(profile: &Profile, findings: &[Finding]) -> Scores {
    score_with(profile, findings, &Attestations::none())
}

/// The verdict of one paragraph from its findings and its manual items.
///
/// - a `fail` makes it *not met*, or *partially met* beside a pass or warn;
/// - an unknown finding (error, not assessed) makes it *not assessed*;
/// - a `warn` (a tolerated shortfall) makes it at most *partially met*;
/// - a pending manual item makes it at most *partially met*: the automated part holds,
///   the rest awaits a person;
/// - only passes (and attested manual items) make it *met*.
pub fn paragraph_status(
    statuses: &[FindingStatus],
    manual_total: usize,
    manual_pending: usize,
) -> RequirementStatus {
    let n = |s: FindingStatus| statuses.iter().filter(|x| **x == s).count();
    let passes = n(FindingStatus::Pass) + (manual_total - manual_pending);
    let warns = n(FindingStatus::Warn);
    let fails = n(FindingStatus::Fail);
    let unknown = n(FindingStatus::Error) + n(FindingStatus::NotAssessed);
    if fails > 0 {
        if passes + warns > 0 {
            RequirementStatus::PartiallyMet
        } else {
            RequirementStatus::NotMet
        }
    } else if unknown > 0 {
        RequirementStatus::NotAssessed
    } else if passes + warns == 0 {
        if manual_pending > 0 {
            RequirementStatus::Manual
        } else {
            RequirementStatus::NotAssessed
        }
    } else if warns > 0 || manual_pending > 0 {
        RequirementStatus::PartiallyMet
    } else {
        RequirementStatus::Met
    }
}

/// Scores `findings` under `profile`; attested manual items count as passes.
pub fn score_with(profile: &Profile, findings: &[Finding], attestations: &Attestations) -> Scores {
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
        let (attested, pending): (Vec<String>, Vec<String>) = req
            .manual
            .iter()
            .map(|m| m.id.clone())
            .partition(|id| attestations.contains(id));
        let statuses: Vec<FindingStatus> = mine.iter().map(|f| f.status).collect();
        let status = paragraph_status(&statuses, req.manual.len(), pending.len());
        requirements.push(RequirementResult {
            id: req.id.clone(),
            title: req.title.clone(),
            designation: req.designation,
            status,
            counts,
            manual_pending: pending,
            manual_attested: attested,
        });
    }
    let mut requirement_counts: BTreeMap<String, usize> = BTreeMap::new();
    for r in &requirements {
        *requirement_counts
            .entry(r.status.as_str().to_owned())
            .or_default() += 1;
    }
    let all: Vec<&RequirementResult> = requirements.iter().collect();
    let overall = tally(Designation::Rule, &all);
    let conformance_percent = overall.conformance_percent;
    let decided = overall.met + overall.partially_met + overall.not_met;
    let coverage_percent = percent(decided, requirements.len().max(1));
    let mut by_designation = Vec::new();
    for d in [
        Designation::Required,
        Designation::Addressable,
        Designation::Standard,
        Designation::Rule,
    ] {
        let of: Vec<&RequirementResult> =
            requirements.iter().filter(|r| r.designation == d).collect();
        if !of.is_empty() {
            by_designation.push(tally(d, &of));
        }
    }
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
        by_designation,
        coverage_percent,
        weighted_check_score_percent,
        finding_counts,
    }
}

fn tally(designation: Designation, rs: &[&RequirementResult]) -> DesignationScore {
    let c = |s: RequirementStatus| rs.iter().filter(|r| r.status == s).count();
    let (met, partially_met, not_met) = (
        c(RequirementStatus::Met),
        c(RequirementStatus::PartiallyMet),
        c(RequirementStatus::NotMet),
    );
    let decided = met + partially_met + not_met;
    DesignationScore {
        designation,
        paragraphs: rs.len(),
        met,
        partially_met,
        not_met,
        undecided: rs.len() - decided,
        conformance_percent: (decided > 0).then(|| percent(met, decided)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use FindingStatus::{Error, Fail, NotApplicable, NotAssessed, Pass, Warn};
    use RequirementStatus as R;

    #[test]
    fn paragraph_table() {
        // (findings, manual items, of which pending, verdict)
        let cases: &[(&[FindingStatus], usize, usize, RequirementStatus)] = &[
            (&[Pass, Pass], 0, 0, R::Met),
            // A warn is a tolerated shortfall, never "met".
            (&[Pass, Warn], 0, 0, R::PartiallyMet),
            (&[Warn], 0, 0, R::PartiallyMet),
            (&[Pass, Fail], 0, 0, R::PartiallyMet),
            (&[Warn, Fail], 0, 0, R::PartiallyMet),
            (&[Fail], 0, 0, R::NotMet),
            (&[Pass, NotAssessed], 0, 0, R::NotAssessed),
            (&[Pass, Error], 1, 1, R::NotAssessed),
            // A pending manual item caps the paragraph at partially met…
            (&[Pass], 1, 1, R::PartiallyMet),
            (&[Pass], 2, 1, R::PartiallyMet),
            // …until it is attested.
            (&[Pass], 1, 0, R::Met),
            (&[NotApplicable], 1, 1, R::Manual),
            (&[], 1, 0, R::Met),
            (&[], 0, 0, R::NotAssessed),
            (&[Fail], 1, 0, R::PartiallyMet),
        ];
        for (statuses, total, pending, want) in cases {
            assert_eq!(
                paragraph_status(statuses, *total, *pending),
                *want,
                "{statuses:?} manual {total} pending {pending}"
            );
        }
    }
}

#[cfg(test)]
mod attestation_tests {
    use super::*;
    use crate::check::{Finding, Severity};
    use crate::profile::{ManualItem, Profile, ProfileStatus, Requirement};

    fn profile() -> Profile {
        Profile {
            id: "p".into(),
            title: "P".into(),
            version: 1,
            status: ProfileStatus::InForce,
            notice: None,
            basis: None,
            parameters: Default::default(),
            min_coverage: None,
            requirements: vec![Requirement {
                id: "164.312(a)(2)(i)".into(),
                title: "Unique user identification".into(),
                designation: Designation::Required,
                checks: vec!["access-local-mode".into()],
                manual: vec![ManualItem {
                    id: "unique-user-identification".into(),
                    prompt: "Every person has their own account.".into(),
                }],
            }],
            source: String::new(),
        }
    }

    #[test]
    fn an_attested_manual_item_counts() {
        let findings = vec![Finding {
            check_id: "access-local-mode".into(),
            subject: None,
            status: FindingStatus::Pass,
            severity: Severity::High,
            message: String::new(),
            evidence: vec![],
        }];
        let s = score(&profile(), &findings);
        let r = &s.requirements[0];
        assert_eq!(r.status, RequirementStatus::PartiallyMet);
        assert!(r.is_pending());
        let s = score_with(
            &profile(),
            &findings,
            &Attestations::of(["unique-user-identification"]),
        );
        let r = &s.requirements[0];
        assert_eq!(r.status, RequirementStatus::Met);
        assert_eq!(r.manual_attested, vec!["unique-user-identification"]);
        assert!(r.manual_pending.is_empty());
        assert_eq!(s.by_designation[0].designation, Designation::Required);
        assert_eq!(s.by_designation[0].met, 1);
    }
}
