//! The JUnit XML renderer, for CI test reports (GitLab, Jenkins): a `<testsuites>` root,
//! one suite for the profile, one testcase per check and subject, and one per manual
//! item. Elements mean what they mean in JUnit: `failure` for a failing finding, `error`
//! for a check a probe could not run (never `skipped`), `skipped` for not-assessed,
//! not-applicable, waived and unattested manual items, each with its reason. Warnings
//! pass, with the warning in system-out. XML escaping is quick-junit's.

use super::Report;
use crate::check::FindingStatus;
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};

/// Writes the report as JUnit XML.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = quick_junit::Report::new(format!("safeguard {}", report.profile.id));
    let mut suite = TestSuite::new(format!("{} v{}", report.profile.id, report.profile.version));
    suite.add_property(Property::new("profile", report.profile.title.as_str()));
    suite.add_property(Property::new(
        "gate",
        super::markdown::gate_sentence(report),
    ));
    suite.add_property(Property::new("generated_at", report.generated_at.as_str()));
    for t in &report.targets {
        suite.add_property(Property::new(
            format!("target.{}", t.kind),
            t.location.as_str(),
        ));
    }
    for f in &report.findings {
        let ff = &f.finding;
        let name = match &ff.subject {
            Some(s) => format!("{} @ {s}", ff.check_id),
            None => ff.check_id.clone(),
        };
        let fix = match &f.remediation.setting {
            Some(s) => format!("Fix: {} ({s})", f.remediation.summary),
            None => format!("Fix: {}", f.remediation.summary),
        };
        let evidence: Vec<String> = ff
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "{} = {}{}",
                    e.key,
                    e.value
                        .as_ref()
                        .map_or("absent".to_owned(), ToString::to_string),
                    e.source
                        .as_deref()
                        .map(|s| format!(" ({s})"))
                        .unwrap_or_default()
                )
            })
            .collect();
        let detail = format!(
            "{}\n{}\nParagraphs: {}\n{}",
            ff.message,
            fix,
            f.requirements.join(", "),
            evidence.join("\n")
        );
        let status = match (ff.status, &f.waiver) {
            (FindingStatus::Fail | FindingStatus::Warn, Some(w)) => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("{} — {}", ff.status.as_str(), w.describe()));
                s.set_description(detail.clone());
                s
            }
            (FindingStatus::Fail, None) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                s.set_message(ff.message.as_str());
                s.set_type(ff.severity.as_str());
                s.set_description(detail.clone());
                s
            }
            (FindingStatus::Error, _) => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                s.set_message(ff.message.as_str());
                s.set_type("probe-error");
                s.set_description(detail.clone());
                s
            }
            (FindingStatus::NotAssessed | FindingStatus::NotApplicable, _) => {
                let mut s = TestCaseStatus::skipped();
                s.set_message(format!("{}: {}", ff.status.as_str(), ff.message));
                s
            }
            (FindingStatus::Pass | FindingStatus::Warn, _) => TestCaseStatus::success(),
        };
        let mut tc = TestCase::new(name, status);
        tc.set_classname(
            f.requirements
                .first()
                .cloned()
                .unwrap_or_else(|| report.profile.id.clone()),
        );
        tc.add_property(Property::new("severity", ff.severity.as_str()));
        tc.add_property(Property::new("status", ff.status.as_str()));
        if ff.status == FindingStatus::Warn {
            tc.set_system_out(format!("warning: {detail}"));
        }
        suite.add_test_case(tc);
    }
    for r in &report.scores.requirements {
        for m in &r.manual_pending {
            let mut s = TestCaseStatus::skipped();
            s.set_message("manual item: awaiting a person's attestation (--attestations)");
            let mut tc = TestCase::new(format!("manual: {m}"), s);
            tc.set_classname(r.id.as_str());
            suite.add_test_case(tc);
        }
    }
    for a in report.attestations.iter().filter(|a| a.accepted()) {
        let t = &a.attestation;
        let mut tc = TestCase::new(format!("manual: {}", t.item), TestCaseStatus::success());
        tc.set_system_out(format!(
            "attested by {} on {} (expires {}): {} — evidence: {}",
            t.attested_by, t.date, t.expires, t.statement, t.evidence
        ));
        suite.add_test_case(tc);
    }
    junit.add_test_suite(suite);
    junit.serialize(&mut *out).map_err(io::Error::other)?;
    writeln!(out)
}
