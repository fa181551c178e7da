//! Comparing two reports (`safeguard diff OLD.json NEW.json`, `--baseline`): new
//! failures, fixed findings, other status changes, and changed evidence. Findings are
//! keyed by check and subject (the same identity as SARIF's fingerprints), facts by key
//! and subject. Pure; the caller reads the files.

use super::Report;
use crate::check::{FindingStatus, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// One finding's change.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// `check` or `check@subject`.
    pub key: String,
    pub severity: Severity,
    /// The status before, None when the finding is new.
    pub before: Option<FindingStatus>,
    /// The status now, None when the finding is gone.
    pub after: Option<FindingStatus>,
    pub message: String,
    /// Covered by an applied waiver now.
    pub waived: bool,
}

/// One fact's change.
#[derive(Debug, Clone, Serialize)]
pub struct FactChange {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The differences between two reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Diff {
    pub old_generated_at: String,
    pub new_generated_at: String,
    /// Failing now, not failing before (or not there).
    pub new_failures: Vec<Change>,
    /// Failing before, not failing now.
    pub fixed: Vec<Change>,
    /// Other status changes (e.g. pass → not-assessed, warn → pass).
    pub changed: Vec<Change>,
    /// Evidence facts whose value changed, appeared or disappeared.
    pub evidence: Vec<FactChange>,
    /// Notes: different profile, different check content.
    pub notes: Vec<String>,
}

fn key_of(f: &super::ReportFinding) -> String {
    match &f.finding.subject {
        Some(s) => format!("{}@{s}", f.finding.check_id),
        None => f.finding.check_id.clone(),
    }
}

/// Compares `old` with `new`.
pub fn diff(old: &Report, new: &Report) -> Diff {
    let mut d = Diff {
        old_generated_at: old.generated_at.clone(),
        new_generated_at: new.generated_at.clone(),
        ..Diff::default()
    };
    if old.profile.id != new.profile.id || old.profile.version != new.profile.version {
        d.notes.push(format!(
            "profiles differ: {} v{} then, {} v{} now",
            old.profile.id, old.profile.version, new.profile.id, new.profile.version
        ));
    }
    if old.profile.checks_digest != new.profile.checks_digest {
        d.notes
            .push("the check content differs between the two scans".into());
    }
    let before: BTreeMap<String, &super::ReportFinding> =
        old.findings.iter().map(|f| (key_of(f), f)).collect();
    let after: BTreeMap<String, &super::ReportFinding> =
        new.findings.iter().map(|f| (key_of(f), f)).collect();
    for (k, n) in &after {
        let o = before.get(k);
        let was = o.map(|f| f.finding.status);
        let now = n.finding.status;
        if was == Some(now) {
            continue;
        }
        let c = Change {
            key: k.clone(),
            severity: n.finding.severity,
            before: was,
            after: Some(now),
            message: n.finding.message.clone(),
            waived: n.waiver.is_some(),
        };
        if now == FindingStatus::Fail {
            d.new_failures.push(c);
        } else if was == Some(FindingStatus::Fail) {
            d.fixed.push(c);
        } else {
            d.changed.push(c);
        }
    }
    for (k, o) in &before {
        if !after.contains_key(k) {
            let c = Change {
                key: k.clone(),
                severity: o.finding.severity,
                before: Some(o.finding.status),
                after: None,
                message: "no longer assessed under this profile".into(),
                waived: false,
            };
            if o.finding.status == FindingStatus::Fail {
                d.fixed.push(c);
            } else {
                d.changed.push(c);
            }
        }
    }
    let by_sev = |a: &Change, b: &Change| b.severity.cmp(&a.severity).then(a.key.cmp(&b.key));
    d.new_failures.sort_by(by_sev);
    d.fixed.sort_by(by_sev);
    d.changed.sort_by(by_sev);
    let facts = |r: &Report| -> BTreeMap<(String, Option<String>), String> {
        r.evidence
            .facts
            .iter()
            .map(|f| {
                (
                    (f.key.as_str().to_owned(), f.subject.clone()),
                    f.value.to_string(),
                )
            })
            .collect()
    };
    let (fo, fnew) = (facts(old), facts(new));
    for (k, v) in &fnew {
        let was = fo.get(k);
        if was != Some(v) {
            d.evidence.push(FactChange {
                key: k.0.clone(),
                subject: k.1.clone(),
                before: was.cloned(),
                after: Some(v.clone()),
            });
        }
    }
    for (k, v) in &fo {
        if !fnew.contains_key(k) {
            d.evidence.push(FactChange {
                key: k.0.clone(),
                subject: k.1.clone(),
                before: Some(v.clone()),
                after: None,
            });
        }
    }
    d
}

fn st(s: Option<FindingStatus>) -> &'static str {
    s.map_or("absent", FindingStatus::as_str)
}

/// Writes a diff for people.
pub fn render_text(d: &Diff, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "safeguard diff: {} → {}",
        d.old_generated_at, d.new_generated_at
    )?;
    for n in &d.notes {
        writeln!(out, "note: {n}")?;
    }
    for (title, list) in [
        ("New failures", &d.new_failures),
        ("Fixed", &d.fixed),
        ("Other status changes", &d.changed),
    ] {
        writeln!(out, "\n{title} ({})", list.len())?;
        for c in list {
            writeln!(
                out,
                "  {:8} {}  {} → {}{}  {}",
                c.severity.as_str(),
                c.key,
                st(c.before),
                st(c.after),
                if c.waived { " (waived)" } else { "" },
                c.message
            )?;
        }
    }
    writeln!(out, "\nChanged evidence ({})", d.evidence.len())?;
    for e in &d.evidence {
        writeln!(
            out,
            "  {}{}: {} → {}",
            e.key,
            e.subject
                .as_deref()
                .map(|s| format!(" @ {s}"))
                .unwrap_or_default(),
            e.before.as_deref().unwrap_or("absent"),
            e.after.as_deref().unwrap_or("absent")
        )?;
    }
    Ok(())
}
