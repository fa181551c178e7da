//! Evaluating checks against evidence: pure, no I/O.
//!
//! Missing evidence is never a pass: an absent fact makes a predicate unknown, and the
//! finding says whether that is because the setting is absent (not assessed), no probe
//! was asked for it (not assessed), or the attempt meant to provide it failed (error).
//! Only the evidence is read — its facts and its attempts, each attempt saying which fact
//! families it covered — so saved evidence evaluates exactly as a live run does.

use super::predicate::{Judgement, Truth, short};
use super::{Check, Severity};
use crate::catalogue::{self, Scope};
use crate::evidence::{AttemptOutcome, Evidence, FactValue};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The verdict of one check on one subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingStatus {
    Pass,
    Warn,
    Fail,
    Error,
    NotAssessed,
    NotApplicable,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Warn => "warn",
            Self::Fail => "fail",
            Self::Error => "error",
            Self::NotAssessed => "not-assessed",
            Self::NotApplicable => "not-applicable",
        }
    }
}

/// A fact a finding relied on, as observed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceUsed {
    pub key: String,
    /// None when the fact was absent.
    pub value: Option<FactValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One check's verdict on one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub status: FindingStatus,
    pub severity: Severity,
    pub message: String,
    pub evidence: Vec<EvidenceUsed>,
}

/// Evaluates `check` with parameter values `params` over `evidence`: one finding per
/// subject for endpoint checks, one for deployment-wide checks.
pub fn evaluate(
    check: &Check,
    params: &BTreeMap<String, FactValue>,
    evidence: &Evidence,
) -> Vec<Finding> {
    let keys = check.fact_keys();
    let endpoint_keys: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| catalogue::spec(k).is_some_and(|s| s.scope == Scope::Endpoint))
        .collect();
    if endpoint_keys.is_empty() {
        return vec![evaluate_subject(check, params, evidence, None)];
    }
    let families = dedup(
        endpoint_keys
            .iter()
            .map(|k| catalogue::family_of(k))
            .collect(),
    );
    // A check over several families (an LDAP check reading the `tls.cert.*` facts of the
    // directory's TLS channel) is about the subjects of its own domain's family: an LDAP
    // check is not evaluated on a web site because the site has TLS facts.
    let (subject_keys, subject_families): (Vec<&str>, Vec<&str>) =
        if families.len() > 1 && families.contains(&check.domain.as_str()) {
            (
                endpoint_keys
                    .iter()
                    .copied()
                    .filter(|k| catalogue::family_of(k) == check.domain)
                    .collect(),
                vec![check.domain.as_str()],
            )
        } else {
            (endpoint_keys.clone(), families.clone())
        };
    let mut subjects: Vec<String> = evidence
        .subjects_for(&subject_keys)
        .into_iter()
        .map(str::to_owned)
        .collect();
    // Endpoints whose probe failed have no facts, but they must still be reported.
    for s in evidence.subjects_attempted(&subject_families) {
        if !subjects.iter().any(|x| x == s) {
            subjects.push(s.to_owned());
        }
    }
    if subjects.is_empty() {
        // No endpoint to judge, but the deployment may say there is none to have: the
        // check's `when` judged false on deployment facts that are all present (LDAP off,
        // cluster off) makes it not applicable rather than not assessed. A `when` that is
        // false because a fact is absent (`set: true` on an endpoint fact never probed)
        // decides nothing: absence is not evidence.
        if let Some(when) = &check.when {
            let lookup = |key: &str| evidence.lookup(key, None).map(|f| f.value.clone());
            let j = when.judge(&lookup, params);
            let all_present = j.used.iter().all(|k| evidence.lookup(k, None).is_some());
            if j.truth == Truth::False && all_present && !j.used.is_empty() {
                return vec![Finding {
                    check_id: check.id.clone(),
                    subject: None,
                    status: FindingStatus::NotApplicable,
                    severity: check.severity,
                    message: format!("not applicable: {}", j.reasons.join("; ")),
                    evidence: evidence_used(evidence, None, &j.used),
                }];
            }
        }
        // A probe that could not even name its endpoint says why in a subject-less
        // attempt (the cluster is on but no node address is configured).
        let why: Vec<String> = subject_families
            .iter()
            .flat_map(|f| evidence.attempts_covering(f, None))
            .filter_map(|a| match &a.outcome {
                AttemptOutcome::Skipped { why } => {
                    Some(format!("{} probe skipped: {why}", a.probe))
                }
                _ => None,
            })
            .collect();
        return vec![Finding {
            check_id: check.id.clone(),
            subject: None,
            status: FindingStatus::NotAssessed,
            severity: check.severity,
            message: if why.is_empty() {
                format!(
                    "no endpoint was probed for {} facts",
                    subject_families.join(", ")
                )
            } else {
                why.join("; ")
            },
            evidence: vec![],
        }];
    }
    subjects
        .iter()
        .map(|s| evaluate_subject(check, params, evidence, Some(s)))
        .collect()
}

fn dedup(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v.dedup();
    v
}

fn evaluate_subject(
    check: &Check,
    params: &BTreeMap<String, FactValue>,
    evidence: &Evidence,
    subject: Option<&str>,
) -> Finding {
    let lookup = |key: &str| evidence.lookup(key, subject).map(|f| f.value.clone());
    let mut finding = Finding {
        check_id: check.id.clone(),
        subject: subject.map(str::to_owned),
        status: FindingStatus::Pass,
        severity: check.severity,
        message: String::new(),
        evidence: Vec::new(),
    };
    let mut used: Vec<String> = Vec::new();
    if let Some(when) = &check.when {
        let j = when.judge(&lookup, params);
        used.extend(j.used.iter().cloned());
        match j.truth {
            Truth::False => {
                finding.status = FindingStatus::NotApplicable;
                finding.message = format!("not applicable: {}", j.reasons.join("; "));
                finding.evidence = evidence_used(evidence, subject, &used);
                return finding;
            }
            Truth::Unknown(missing) => {
                unknown(&mut finding, evidence, subject, &missing);
                finding.evidence = evidence_used(evidence, subject, &used);
                return finding;
            }
            Truth::True => {}
        }
    }
    let j: Judgement = check.assert.judge(&lookup, params);
    used.extend(j.used.iter().cloned());
    match j.truth {
        Truth::True => {
            finding.status = FindingStatus::Pass;
            finding.message = describe_pass(&j.used, &lookup);
        }
        Truth::Unknown(missing) => unknown(&mut finding, evidence, subject, &missing),
        Truth::False => {
            let warned = check.warn.as_ref().map(|w| {
                let wj = w.judge(&lookup, params);
                used.extend(wj.used);
                wj.truth == Truth::True
            });
            finding.status = if warned == Some(true) {
                FindingStatus::Warn
            } else {
                FindingStatus::Fail
            };
            finding.message = j
                .reasons
                .iter()
                .map(|r| name_what_decided(r, &j.used, evidence, subject))
                .collect::<Vec<_>>()
                .join("; ");
        }
    }
    finding.evidence = evidence_used(evidence, subject, &used);
    finding
}

/// Appends to a failure reason what the facts it names describe, when their provenance
/// says (`about`): on an endpoint serving several certificates, the one at fault.
fn name_what_decided(
    reason: &str,
    used: &[String],
    evidence: &Evidence,
    subject: Option<&str>,
) -> String {
    let mut abouts: Vec<&str> = Vec::new();
    for k in used {
        if let Some(about) = evidence
            .lookup(k, subject)
            .and_then(|f| f.provenance.about.as_deref())
            && reason.contains(short(k))
            && !abouts.contains(&about)
        {
            abouts.push(about);
        }
    }
    if abouts.is_empty() {
        reason.to_owned()
    } else {
        format!("{reason} ({})", abouts.join("; "))
    }
}

/// Sets the status and message for absent facts: error when an attempt meant to provide
/// them failed, not assessed otherwise (with what would have provided them).
fn unknown(finding: &mut Finding, evidence: &Evidence, subject: Option<&str>, missing: &[String]) {
    let mut failed = Vec::new();
    let mut not_run = Vec::new();
    let mut absent = Vec::new();
    for key in missing {
        // A probe said why this fact cannot be known (licence, version, unread source).
        if let Some(reason) = evidence.unknown_reason(key, subject) {
            not_run.push(format!("{}: {reason}", short(key)));
            continue;
        }
        let Some(spec) = catalogue::spec(key) else {
            absent.push(short(key).to_owned());
            continue;
        };
        let family = spec.family();
        // Deployment-wide facts come from deployment-wide attempts, whatever the subject.
        let on = match spec.scope {
            Scope::Deployment => None,
            Scope::Endpoint => subject,
        };
        // An attempt on the fact itself (a test that ran but could not decide, or whose
        // answer was unreadable) speaks for it before the family's attempts do.
        let own: Vec<_> = evidence.attempts_covering(key, on).collect();
        let attempts: Vec<_> = if own.is_empty() {
            evidence.attempts_covering(family, on).collect()
        } else {
            own
        };
        let mut completed = false;
        for a in &attempts {
            match &a.outcome {
                AttemptOutcome::Failed { reason } => {
                    failed.push(format!("{} probe failed: {reason}", a.probe))
                }
                AttemptOutcome::Skipped { why } => {
                    not_run.push(format!("{} probe skipped: {why}", a.probe))
                }
                AttemptOutcome::Completed => completed = true,
            }
        }
        if attempts.is_empty() {
            not_run.push(match on {
                Some(s) => format!("no probe was asked for {family} facts on {s}"),
                None => format!("no source of {family} facts was given"),
            });
        } else if completed {
            absent.push(short(key).to_owned());
        }
    }
    let dedup_all = |v: &mut Vec<String>| {
        let mut seen = Vec::new();
        v.retain(|x| {
            let new = !seen.contains(x);
            seen.push(x.clone());
            new
        });
    };
    dedup_all(&mut failed);
    dedup_all(&mut not_run);
    dedup_all(&mut absent);
    if !failed.is_empty() {
        finding.status = FindingStatus::Error;
        finding.message = failed.join("; ");
    } else {
        finding.status = FindingStatus::NotAssessed;
        let mut parts = not_run;
        if !absent.is_empty() {
            parts.push(format!(
                "{} not in the evidence (a setting absent from an older server's config, or not observable)",
                absent.join(", ")
            ));
        }
        finding.message = parts.join("; ");
    }
}

fn describe_pass(used: &[String], lookup: &dyn Fn(&str) -> Option<FactValue>) -> String {
    let mut seen = Vec::new();
    for k in used {
        if !seen.contains(k) {
            seen.push(k.clone());
        }
    }
    seen.iter()
        .filter_map(|k| lookup(k).map(|v| format!("{} is {v}", short(k))))
        .collect::<Vec<_>>()
        .join("; ")
}

fn evidence_used(evidence: &Evidence, subject: Option<&str>, keys: &[String]) -> Vec<EvidenceUsed> {
    let mut out: Vec<EvidenceUsed> = Vec::new();
    for k in keys {
        if out.iter().any(|e| &e.key == k) {
            continue;
        }
        let fact = evidence.lookup(k, subject);
        out.push(EvidenceUsed {
            key: k.clone(),
            value: fact.map(|f| f.value.clone()),
            source: fact.map(|f| f.provenance.source.clone()),
        });
    }
    out
}
