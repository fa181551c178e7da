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
        "cluster" => {
            "--probe-configured-endpoints with a config (and licence) whose cluster is on and names ClusterSettings.AdvertiseAddress"
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
    /// The waiver covering this finding, beside its unchanged status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<crate::records::FindingWaiver>,
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
    /// Every waiver given, with what became of it.
    pub waivers: Vec<crate::records::WaiverRecord>,
    /// Every attestation given, with what became of it.
    pub attestations: Vec<crate::records::AttestationRecord>,
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
                waiver: None,
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
        waivers: Vec::new(),
        attestations: Vec::new(),
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

/// [`assess`], then the people-made records: attestations count for their manual items
/// (the paragraph is scored with them) and waivers cover failing or warning findings
/// (the status stays; the gate stops counting them). `today` decides expiry.
pub fn assess_with_records(
    profile: &Profile,
    checks: &CheckSet,
    evidence: &Evidence,
    fail_on: Severity,
    records: &crate::records::Records,
    today: time::Date,
) -> Assessment {
    let mut a = assess(profile, checks, evidence, fail_on);
    apply_records(&mut a, profile, records, today);
    a
}

/// The waiver and attestation step of [`assess_with_records`].
pub fn apply_records(
    a: &mut Assessment,
    profile: &Profile,
    records: &crate::records::Records,
    today: time::Date,
) {
    use crate::records::{
        AttestationRecord, AttestationState, FindingWaiver, WaiverRecord, WaiverState, expired,
        refusal,
    };
    // Attestations: the profile's manual items a person vouched for.
    let mut attested: Vec<String> = Vec::new();
    for at in &records.attestations {
        let paragraphs: Vec<String> = profile
            .requirements
            .iter()
            .filter(|r| r.manual.iter().any(|m| m.id == at.item))
            .map(|r| r.id.clone())
            .collect();
        let state = if paragraphs.is_empty() {
            AttestationState::Unmatched
        } else if expired(&at.expires, today) {
            AttestationState::Expired
        } else {
            attested.push(at.item.clone());
            AttestationState::Accepted { paragraphs }
        };
        a.attestations.push(AttestationRecord {
            attestation: at.clone(),
            state,
        });
    }
    if !attested.is_empty() {
        // Score with each attested item standing as a passing, weightless finding of its
        // paragraph, through the profile scorer itself.
        let mut scored = profile.clone();
        let mut plain: Vec<Finding> = a.findings.iter().map(|f| f.finding.clone()).collect();
        for r in &mut scored.requirements {
            r.manual.retain(|m| {
                if attested.contains(&m.id) {
                    let id = format!("attested:{}", m.id);
                    r.checks.push(id.clone());
                    plain.push(Finding {
                        check_id: id,
                        subject: None,
                        status: FindingStatus::Pass,
                        severity: Severity::Info,
                        message: "attested".into(),
                        evidence: Vec::new(),
                    });
                    false
                } else {
                    true
                }
            });
        }
        let mut scores = crate::profile::score(&scored, &plain);
        for r in &mut scores.requirements {
            let n = r.manual_pending.len().abs_diff(
                profile
                    .requirements
                    .iter()
                    .find(|p| p.id == r.id)
                    .map_or(0, |p| p.manual.len()),
            );
            if n > 0 {
                if let Some(p) = r.counts.get_mut("pass") {
                    *p -= n.min(*p);
                    if *p == 0 {
                        r.counts.remove("pass");
                    }
                }
                r.counts.insert("attested".into(), n);
            }
        }
        scores.finding_counts = a.scores.finding_counts.clone();
        scores.weighted_check_score_percent = a.scores.weighted_check_score_percent;
        a.scores = scores;
    }
    // Waivers.
    for w in &records.waivers {
        let in_scope = |f: &AssessedFinding| {
            w.check.as_ref().is_none_or(|c| &f.finding.check_id == c)
                && w.paragraph
                    .as_ref()
                    .is_none_or(|p| f.requirements.contains(p))
                && w.subject
                    .as_ref()
                    .is_none_or(|s| f.finding.subject.as_ref() == Some(s))
                && matches!(f.finding.status, FindingStatus::Fail | FindingStatus::Warn)
        };
        let matched: Vec<usize> = (0..a.findings.len())
            .filter(|&i| in_scope(&a.findings[i]))
            .collect();
        let mut paragraphs: Vec<String> = w.paragraph.iter().cloned().collect();
        for &i in &matched {
            for r in &a.findings[i].requirements {
                if !paragraphs.contains(r) {
                    paragraphs.push(r.clone());
                }
            }
        }
        let state = if expired(&w.expires, today) {
            WaiverState::Expired
        } else if let Some(reason) = refusal(profile, &paragraphs) {
            WaiverState::Refused { reason }
        } else if matched.is_empty() {
            WaiverState::Unmatched
        } else {
            WaiverState::Applied
        };
        let names = matched
            .iter()
            .map(|&i| {
                let f = &a.findings[i].finding;
                match &f.subject {
                    Some(s) => format!("{}@{s}", f.check_id),
                    None => f.check_id.clone(),
                }
            })
            .collect();
        if state.applies() {
            for &i in &matched {
                a.findings[i].waiver.get_or_insert_with(|| FindingWaiver {
                    source: w.source.clone(),
                    justification: w.justification.clone(),
                    approved_by: w.approved_by.clone(),
                    expires: w.expires.clone(),
                });
            }
        }
        a.waivers.push(WaiverRecord {
            waiver: w.clone(),
            state,
            matched: names,
        });
    }
    let unwaived: Vec<Finding> = a
        .findings
        .iter()
        .filter(|f| f.waiver.is_none())
        .map(|f| f.finding.clone())
        .collect();
    a.gate.passed = !crate::profile::score::gate_fails(&unwaived, a.gate.fail_on);
}
