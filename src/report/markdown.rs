//! The Markdown renderer: the whole report for pull requests and wikis — summary,
//! paragraph verdicts, every finding that needs action with its evidence and fix,
//! not-assessed groups, passes folded away, waivers, attestations and the scan's
//! metadata. Plain GitHub-flavoured Markdown; no HTML beyond `<details>`.

use super::table::assess_hint;
use super::{Report, ReportFinding};
use crate::check::FindingStatus;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Escapes text for a table cell or a line of prose.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Inline code, safe for any content (and inside a table cell).
fn code(s: &str) -> String {
    let s = s.replace(['\n', '\r'], " ").replace('|', "\\|");
    if s.contains('`') {
        format!("`` {s} ``")
    } else {
        format!("`{s}`")
    }
}

/// The gate's verdict in one sentence.
pub fn gate_sentence(report: &Report) -> String {
    let g = &report.gate;
    if !g.passed {
        format!(
            "FAILED: a failing finding is at or above severity {}",
            g.fail_on
        )
    } else if g.incomplete {
        "INCOMPLETE: a probe could not run; see the error findings".into()
    } else {
        format!(
            "passed: no failing finding at or above severity {}",
            g.fail_on
        )
    }
}

/// Findings that need action (fail, error, warn), worst first.
pub fn actionable(report: &Report) -> Vec<&ReportFinding> {
    let rank = |s: FindingStatus| match s {
        FindingStatus::Fail => 0,
        FindingStatus::Error => 1,
        FindingStatus::Warn => 2,
        _ => 3,
    };
    let mut v: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| rank(f.finding.status) < 3)
        .collect();
    v.sort_by(|a, b| {
        rank(a.finding.status)
            .cmp(&rank(b.finding.status))
            .then(b.finding.severity.cmp(&a.finding.severity))
    });
    v
}

/// Writes the report as Markdown.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.profile;
    writeln!(out, "# safeguard report: {}", esc(&p.title))?;
    writeln!(out)?;
    if p.status == crate::profile::ProfileStatus::Proposed {
        writeln!(out, "> **PROPOSED RULE — NOT LAW.**")?;
        writeln!(out)?;
    }
    writeln!(out, "**Gate {}**", esc(&gate_sentence(report)))?;
    writeln!(out)?;
    let s = &report.scores;
    let pct = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{v:.1}%"));
    writeln!(
        out,
        "Conformance {} · coverage {:.1}% · weighted check score {}",
        pct(s.conformance_percent),
        s.coverage_percent,
        pct(s.weighted_check_score_percent)
    )?;
    writeln!(out)?;
    writeln!(out, "| | |")?;
    writeln!(out, "|---|---|")?;
    writeln!(
        out,
        "| Profile | {} v{} ({}) |",
        code(&p.id),
        p.version,
        esc(&p.title)
    )?;
    for t in &report.targets {
        writeln!(out, "| Target | {} {} |", esc(&t.kind), code(&t.location))?;
    }
    writeln!(out, "| Generated | {} |", esc(&report.generated_at))?;
    writeln!(
        out,
        "| Tool | {} {} |",
        esc(&report.tool.name),
        esc(&report.tool.version)
    )?;
    writeln!(out)?;

    writeln!(out, "## Paragraphs")?;
    writeln!(out)?;
    writeln!(
        out,
        "| Paragraph | Title | Designation | Verdict | Findings |"
    )?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in &s.requirements {
        let mut counts: Vec<String> = r.counts.iter().map(|(k, v)| format!("{v} {k}")).collect();
        if !r.manual_pending.is_empty() {
            counts.push(format!("{} manual pending", r.manual_pending.len()));
        }
        writeln!(
            out,
            "| {} | {} | {} | **{}** | {} |",
            esc(&r.id),
            esc(&r.title),
            r.designation.as_str(),
            r.status.as_str(),
            counts.join(", ")
        )?;
    }
    writeln!(out)?;

    let act = actionable(report);
    writeln!(out, "## Findings needing action ({})", act.len())?;
    writeln!(out)?;
    if act.is_empty() {
        writeln!(out, "None.")?;
        writeln!(out)?;
    }
    for f in act {
        finding(f, out)?;
    }

    let na: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.finding.status == FindingStatus::NotAssessed)
        .collect();
    if !na.is_empty() {
        writeln!(out, "## Not assessed ({})", na.len())?;
        writeln!(out)?;
        let mut groups: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
        for f in &na {
            groups
                .entry(assess_hint(&f.finding.message))
                .or_default()
                .push(&f.finding.check_id);
        }
        for ((what, how), ids) in groups {
            writeln!(
                out,
                "- {} {what} checks — {}: {}",
                ids.len(),
                esc(&how),
                ids.iter().map(|i| code(i)).collect::<Vec<_>>().join(", ")
            )?;
        }
        writeln!(out)?;
    }

    let manual: Vec<(&str, &String)> = s
        .requirements
        .iter()
        .flat_map(|r| r.manual_pending.iter().map(move |m| (r.id.as_str(), m)))
        .collect();
    if !manual.is_empty() {
        writeln!(
            out,
            "## Manual items awaiting attestation ({})",
            manual.len()
        )?;
        writeln!(out)?;
        for (para, m) in manual {
            writeln!(out, "- {} ({})", code(m), esc(para))?;
        }
        writeln!(out)?;
    }

    records(report, out)?;

    for (st, title) in [
        (FindingStatus::Pass, "Passing"),
        (FindingStatus::NotApplicable, "Not applicable"),
    ] {
        let list: Vec<&ReportFinding> = report
            .findings
            .iter()
            .filter(|f| f.finding.status == st)
            .collect();
        if list.is_empty() {
            continue;
        }
        writeln!(out, "<details><summary>{title} ({})</summary>", list.len())?;
        writeln!(out)?;
        for f in list {
            writeln!(
                out,
                "- {}{} — {}",
                code(&f.finding.check_id),
                f.finding
                    .subject
                    .as_deref()
                    .map(|s| format!(" @ {}", code(s)))
                    .unwrap_or_default(),
                esc(&f.finding.message)
            )?;
        }
        writeln!(out)?;
        writeln!(out, "</details>")?;
        writeln!(out)?;
    }

    writeln!(out, "## Scan metadata")?;
    writeln!(out)?;
    writeln!(out, "| | |")?;
    writeln!(out, "|---|---|")?;
    writeln!(out, "| Checks digest | {} |", code(&p.checks_digest))?;
    writeln!(
        out,
        "| Profile digest | {} |",
        code(&report.integrity.profile_digest)
    )?;
    writeln!(
        out,
        "| Evidence digest | {} |",
        code(&report.integrity.evidence_digest)
    )?;
    for i in &report.integrity.inputs {
        writeln!(
            out,
            "| Input ({}) | {} {} |",
            esc(&i.role),
            code(&i.path),
            code(&i.sha256)
        )?;
    }
    if let Some(sig) = &report.signature {
        writeln!(
            out,
            "| Signature | {} by key {} |",
            esc(&sig.algorithm),
            code(&sig.public_key)
        )?;
    }
    writeln!(out)?;
    if let Some(n) = &p.notice {
        writeln!(out, "> {}", esc(n.trim()))?;
    }
    Ok(())
}

fn finding(f: &ReportFinding, out: &mut dyn Write) -> io::Result<()> {
    let st = f.finding.status.as_str().to_uppercase();
    writeln!(
        out,
        "### {st} · {} · {}{}",
        f.finding.severity,
        esc(&f.finding.check_id),
        f.finding
            .subject
            .as_deref()
            .map(|s| format!(" @ {}", esc(s)))
            .unwrap_or_default()
    )?;
    writeln!(out)?;
    writeln!(out, "{}", esc(&f.title))?;
    writeln!(out)?;
    writeln!(out, "- **Observed:** {}", esc(&f.finding.message))?;
    let r = &f.remediation;
    writeln!(out, "- **Fix:** {}", esc(&r.summary))?;
    if let Some(s) = &r.setting {
        writeln!(out, "- **Setting:** {}", code(s))?;
    }
    if let Some(c) = &r.console {
        writeln!(out, "- **System Console:** {}", esc(c))?;
    }
    writeln!(out, "- **Paragraphs:** {}", esc(&f.requirements.join(", ")))?;
    if !f.references.is_empty() {
        writeln!(out, "- **References:** {}", esc(&f.references.join("; ")))?;
    }
    if let Some(w) = &f.waiver {
        writeln!(
            out,
            "- **Waived** until {} by {}: {} ({})",
            esc(&w.expires),
            esc(&w.approved_by),
            esc(&w.justification),
            code(&w.source)
        )?;
    }
    if !f.finding.evidence.is_empty() {
        writeln!(out, "- **Evidence:**")?;
        for e in &f.finding.evidence {
            let v = e
                .value
                .as_ref()
                .map_or("absent".to_owned(), ToString::to_string);
            writeln!(
                out,
                "  - {} = {}{}",
                code(&e.key),
                code(&v),
                e.source
                    .as_deref()
                    .map(|s| format!(" ({})", code(s)))
                    .unwrap_or_default()
            )?;
        }
    }
    writeln!(out)
}

fn records(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    if !report.waivers.is_empty() {
        writeln!(out, "## Waivers")?;
        writeln!(out)?;
        writeln!(
            out,
            "| Scope | Approved by | Expires | State | Justification | Source |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|")?;
        for w in &report.waivers {
            let scope = [
                w.waiver.check.as_deref().map(|c| format!("check {c}")),
                w.waiver
                    .paragraph
                    .as_deref()
                    .map(|p| format!("paragraph {p}")),
                w.waiver.subject.as_deref().map(|s| format!("@ {s}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
            let state = match &w.state {
                crate::records::WaiverState::Applied => {
                    format!("applied to {}", w.matched.join(", "))
                }
                crate::records::WaiverState::Expired => "EXPIRED — not applied".into(),
                crate::records::WaiverState::Refused { reason } => {
                    format!("REFUSED — {reason}")
                }
                crate::records::WaiverState::Unmatched => {
                    "UNMATCHED — no failing or warning finding".into()
                }
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                esc(&scope),
                esc(&w.waiver.approved_by),
                esc(&w.waiver.expires),
                esc(&state),
                esc(&w.waiver.justification),
                code(&w.waiver.source)
            )?;
        }
        writeln!(out)?;
    }
    if !report.attestations.is_empty() {
        writeln!(out, "## Attestations")?;
        writeln!(out)?;
        writeln!(
            out,
            "| Item | Statement | Attested by | Date | Expires | Evidence | State |"
        )?;
        writeln!(out, "|---|---|---|---|---|---|---|")?;
        for a in &report.attestations {
            let t = &a.attestation;
            let state = match &a.state {
                crate::records::AttestationState::Accepted { paragraphs } => {
                    format!("accepted for {}", paragraphs.join(", "))
                }
                crate::records::AttestationState::Expired => "EXPIRED — not counted".into(),
                crate::records::AttestationState::Unmatched => {
                    "UNMATCHED — no such manual item in this profile".into()
                }
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                code(&t.item),
                esc(&t.statement),
                esc(&t.attested_by),
                esc(&t.date),
                esc(&t.expires),
                esc(&t.evidence),
                esc(&state)
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
