//! The OSCAL assessment-results renderer (OSCAL 1.2.1 JSON), for GRC tools.
//!
//! Mapping (see `docs/reports.md`):
//! - `metadata`: the report's title, time, tool version; props for the profile id,
//!   version and digests.
//! - `import-ap`: a back-matter resource describing the profile as the assessment plan.
//! - one `result` for the scan, with `reviewed-controls` = every paragraph of the profile.
//! - `observations`: one per finding (check × subject; method TEST), collected when its
//!   evidence was observed, with the evidence (fact, value, file:line:col) as
//!   `relevant-evidence`; and one per accepted attestation (method EXAMINE).
//! - `findings`: one per paragraph, target `objective-id` (a token made of the profile id
//!   and the paragraph), `satisfied`/pass when met, `not-satisfied`/fail when (partially)
//!   not met, `not-satisfied`/other when not assessed or manual — never satisfied for
//!   want of evidence.
//! - `risks`: one per applied waiver, `deviation-approved` with its expiry as deadline.
//!
//! UUIDs are RFC 4122 version 5 (name-based), derived from the report's time, profile and
//! each item's fingerprint: re-rendering a saved report gives the same document.

use super::{Report, ReportFinding};
use crate::check::FindingStatus;
use crate::profile::RequirementStatus;
use serde_json::{Value, json};
use std::io::{self, Write};

const OSCAL_VERSION: &str = "1.2.1";
const NS: &str = "urn:safeguard:oscal";

struct Ids<'a> {
    seed: &'a str,
}

impl Ids<'_> {
    fn uuid(&self, name: &str) -> String {
        uuid::Uuid::new_v5(
            &uuid::Uuid::NAMESPACE_URL,
            format!("urn:safeguard:{}:{name}", self.seed).as_bytes(),
        )
        .to_string()
    }
}

/// An OSCAL token (NCName) for a paragraph of a profile.
pub fn objective_id(profile: &str, paragraph: &str) -> String {
    let mut out = String::new();
    for c in format!("{profile}_{paragraph}").chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    if out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out
    } else {
        format!("p_{out}")
    }
}

/// A string fit for OSCAL's StringDatatype: one line, trimmed, never empty.
fn s1(s: &str) -> String {
    let t = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() { "-".into() } else { t }
}

fn prop(name: &str, value: &str) -> Value {
    json!({"name": name, "ns": NS, "value": s1(value)})
}

/// A date `YYYY-MM-DD` as the end of that day, UTC.
fn end_of_day(date: &str) -> String {
    format!("{}T23:59:59Z", date.trim())
}

fn collected(report: &Report, f: &ReportFinding) -> String {
    f.finding
        .evidence
        .iter()
        .filter_map(|e| {
            report
                .evidence
                .facts
                .iter()
                .find(|x| {
                    x.key.as_str() == e.key
                        && (x.subject.is_none() || x.subject == f.finding.subject)
                })
                .map(|x| x.provenance.observed_at.clone())
        })
        .max()
        .unwrap_or_else(|| report.generated_at.clone())
}

/// Writes the report as OSCAL assessment-results JSON.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let v = to_value(report);
    serde_json::to_writer_pretty(&mut *out, &v).map_err(io::Error::other)?;
    writeln!(out)
}

/// The OSCAL document as a JSON value.
pub fn to_value(report: &Report) -> Value {
    let p = &report.profile;
    let seed = format!(
        "{}:{}:{}",
        report.generated_at, p.id, report.integrity.evidence_digest
    );
    let ids = Ids { seed: &seed };
    let plan_uuid = ids.uuid("assessment-plan");

    let mut observations = Vec::new();
    let mut obs_of: Vec<(String, String)> = Vec::new(); // (fingerprint, uuid)
    for f in &report.findings {
        let fp = super::fingerprint(f);
        let uuid = ids.uuid(&format!("observation:{fp}"));
        obs_of.push((fp, uuid.clone()));
        let mut evidence: Vec<Value> = f
            .finding
            .evidence
            .iter()
            .map(|e| {
                let v = e
                    .value
                    .as_ref()
                    .map_or("absent".to_owned(), ToString::to_string);
                let mut ev = json!({
                    "description": format!("{} = {}", e.key, v),
                });
                if let Some(src) = &e.source {
                    ev["props"] = json!([prop("source", src)]);
                }
                ev
            })
            .collect();
        if evidence.is_empty() {
            evidence.push(json!({"description": f.finding.message}));
        }
        let mut props = vec![
            prop("check-id", &f.finding.check_id),
            prop("status", f.finding.status.as_str()),
            prop("severity", f.finding.severity.as_str()),
        ];
        if let Some(s) = &f.finding.subject {
            props.push(prop("subject", s));
        }
        let mut o = json!({
            "uuid": uuid,
            "title": s1(&format!(
                "{}{}",
                f.finding.check_id,
                f.finding.subject.as_deref().map(|s| format!(" @ {s}")).unwrap_or_default()
            )),
            "description": format!("{} — {}", f.title, f.finding.message),
            "props": props,
            "methods": ["TEST"],
            "types": ["finding"],
            "relevant-evidence": evidence,
            "collected": collected(report, f),
        });
        if f.finding.status != FindingStatus::Pass {
            o["remarks"] = json!(format!("Fix: {}", f.remediation.summary));
        }
        observations.push(o);
    }
    let mut attested_obs: Vec<(String, String)> = Vec::new(); // (paragraph, uuid)
    for a in report.attestations.iter().filter(|a| a.accepted()) {
        let t = &a.attestation;
        let uuid = ids.uuid(&format!("attestation:{}:{}", t.item, t.source));
        if let crate::records::AttestationState::Accepted { paragraphs } = &a.state {
            for para in paragraphs {
                attested_obs.push((para.clone(), uuid.clone()));
            }
        }
        observations.push(json!({
            "uuid": uuid,
            "title": s1(&format!("attestation: {}", t.item)),
            "description": t.statement,
            "props": [
                prop("manual-item", &t.item),
                prop("attested-by", &t.attested_by),
                prop("source", &t.source),
            ],
            "methods": ["EXAMINE"],
            "relevant-evidence": [{"description": t.evidence}],
            "collected": format!("{}T00:00:00Z", t.date),
            "expires": end_of_day(&t.expires),
        }));
    }

    let mut risks = Vec::new();
    let mut risk_of: Vec<(String, String)> = Vec::new(); // (fingerprint, risk uuid)
    for (i, w) in report.waivers.iter().enumerate() {
        if !w.state.applies() {
            continue;
        }
        let uuid = ids.uuid(&format!("risk:{i}:{}", w.waiver.source));
        let covered: Vec<&ReportFinding> = report
            .findings
            .iter()
            .filter(|f| {
                f.waiver
                    .as_ref()
                    .is_some_and(|fw| fw.source == w.waiver.source)
            })
            .collect();
        let related: Vec<Value> = covered
            .iter()
            .filter_map(|f| {
                let fp = super::fingerprint(f);
                risk_of.push((fp.clone(), uuid.clone()));
                obs_of
                    .iter()
                    .find(|(x, _)| *x == fp)
                    .map(|(_, u)| json!({"observation-uuid": u}))
            })
            .collect();
        let mut r = json!({
            "uuid": uuid,
            "title": s1(&format!("Waived: {}", w.matched.join(", "))),
            "description": format!(
                "A documented exception approved by {} ({}).",
                w.waiver.approved_by, w.waiver.source
            ),
            "statement": w.waiver.justification,
            "props": [prop("approved-by", &w.waiver.approved_by)],
            "status": "deviation-approved",
            "deadline": end_of_day(&w.waiver.expires),
        });
        if !related.is_empty() {
            r["related-observations"] = Value::Array(related);
        }
        risks.push(r);
    }

    let mut findings = Vec::new();
    for r in &report.scores.requirements {
        let mine: Vec<&ReportFinding> = report
            .findings
            .iter()
            .filter(|f| f.requirements.contains(&r.id))
            .collect();
        let (state, reason) = match r.status {
            RequirementStatus::Met => ("satisfied", "pass"),
            RequirementStatus::NotMet | RequirementStatus::PartiallyMet => {
                ("not-satisfied", "fail")
            }
            RequirementStatus::NotAssessed | RequirementStatus::Manual => {
                ("not-satisfied", "other")
            }
        };
        let mut related: Vec<Value> = mine
            .iter()
            .filter_map(|f| {
                let fp = super::fingerprint(f);
                obs_of
                    .iter()
                    .find(|(x, _)| *x == fp)
                    .map(|(_, u)| json!({"observation-uuid": u}))
            })
            .collect();
        related.extend(
            attested_obs
                .iter()
                .filter(|(para, _)| *para == r.id)
                .map(|(_, u)| json!({"observation-uuid": u})),
        );
        let mut risks_here: Vec<Value> = Vec::new();
        for f in &mine {
            let fp = super::fingerprint(f);
            for (x, u) in &risk_of {
                let v = json!({"risk-uuid": u});
                if *x == fp && !risks_here.contains(&v) {
                    risks_here.push(v);
                }
            }
        }
        let counts: Vec<String> = r.counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
        let mut desc = format!(
            "{} {} ({}): {}. Findings: {}.",
            r.id,
            r.title,
            r.designation.as_str(),
            r.status.as_str(),
            if counts.is_empty() {
                "none".to_owned()
            } else {
                counts.join(", ")
            }
        );
        if !r.manual_pending.is_empty() {
            desc.push_str(&format!(
                " Manual items awaiting attestation: {}.",
                r.manual_pending.join(", ")
            ));
        }
        let mut f = json!({
            "uuid": ids.uuid(&format!("finding:{}", r.id)),
            "title": s1(&format!("{} {}", r.id, r.title)),
            "description": desc,
            "props": [
                prop("paragraph", &r.id),
                prop("designation", r.designation.as_str()),
                prop("verdict", r.status.as_str()),
            ],
            "target": {
                "type": "objective-id",
                "target-id": objective_id(&p.id, &r.id),
                "title": s1(&format!("{} {}", r.id, r.title)),
                "status": {"state": state, "reason": reason},
            },
        });
        if !related.is_empty() {
            f["related-observations"] = Value::Array(related);
        }
        if !risks_here.is_empty() {
            f["related-risks"] = Value::Array(risks_here);
        }
        findings.push(f);
    }

    let mut meta_props = vec![
        prop("profile-id", &p.id),
        prop("profile-version", &p.version.to_string()),
        prop("checks-digest", &p.checks_digest),
        prop("gate", super::markdown::gate_sentence(report).as_str()),
    ];
    if !report.integrity.profile_digest.is_empty() {
        meta_props.push(prop("profile-digest", &report.integrity.profile_digest));
    }
    if !report.integrity.evidence_digest.is_empty() {
        meta_props.push(prop("evidence-digest", &report.integrity.evidence_digest));
    }
    for t in &report.targets {
        meta_props.push(json!({"name": "target", "ns": NS, "class": s1(&t.kind).replace(' ', "-"), "value": s1(&t.location)}));
    }
    for i in &report.integrity.inputs {
        meta_props.push(json!({"name": "input-digest", "ns": NS, "class": s1(&i.role).replace(' ', "-"), "value": s1(&format!("{} {}", i.sha256, i.path))}));
    }

    let mut result = json!({
        "uuid": ids.uuid("result"),
        "title": s1(&format!("safeguard scan under {} v{}", p.id, p.version)),
        "description": format!(
            "Automated configuration and network assessment of a Mattermost deployment against {}. {}",
            p.title,
            p.notice.as_deref().unwrap_or("").trim()
        ),
        "start": report.generated_at,
        "end": report.generated_at,
        "reviewed-controls": {
            "control-selections": [{
                "description": format!("Every paragraph of the profile {} v{}.", p.id, p.version),
                "include-all": {}
            }]
        },
    });
    if !observations.is_empty() {
        result["observations"] = Value::Array(observations);
    }
    if !risks.is_empty() {
        result["risks"] = Value::Array(risks);
    }
    if !findings.is_empty() {
        result["findings"] = Value::Array(findings);
    }

    json!({
        "assessment-results": {
            "uuid": ids.uuid("assessment-results"),
            "metadata": {
                "title": s1(&format!("safeguard assessment: {}", p.title)),
                "last-modified": report.generated_at,
                "version": s1(&format!("{} {}", report.tool.name, report.tool.version)),
                "oscal-version": OSCAL_VERSION,
                "props": meta_props,
            },
            "import-ap": {"href": format!("#{plan_uuid}")},
            "results": [result],
            "back-matter": {
                "resources": [{
                    "uuid": plan_uuid,
                    "title": s1(&format!("Assessment plan: safeguard profile {} v{}", p.id, p.version)),
                    "description": format!(
                        "The checks and paragraphs of the safeguard profile {} (version {}); checks digest {}.",
                        p.id, p.version, p.checks_digest
                    ),
                }]
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objective_ids_are_tokens() {
        assert_eq!(
            objective_id("hipaa-technical", "164.312(a)(2)(iii)"),
            "hipaa-technical_164.312_a_2_iii"
        );
        assert_eq!(objective_id("1x", "y"), "p_1x_y");
    }
}
