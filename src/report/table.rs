//! The terminal renderer: findings grouped by regulation paragraph, with status, severity,
//! the observed value and a one-line remediation. Colour is the caller's choice (a
//! terminal, and NO_COLOR unset); the text is the same either way.

use super::{Report, ReportFinding};
use crate::check::FindingStatus;
use crate::profile::{ProfileStatus, RequirementStatus};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};
use std::io::{self, Write};

/// Options for the table.
#[derive(Debug, Clone, Copy)]
pub struct TableOptions {
    pub color: bool,
    /// Width to fit the table in; None lets it be as wide as its content.
    pub width: Option<u16>,
}

/// Writes the report as a readable table.
pub fn render(report: &Report, opts: TableOptions, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.profile;
    writeln!(
        out,
        "safeguard {} — {} (profile {} v{})",
        report.tool.version, p.title, p.id, p.version
    )?;
    if p.status == ProfileStatus::Proposed {
        writeln!(out, "PROPOSED RULE — NOT LAW.")?;
    }
    if let Some(n) = &p.notice {
        writeln!(out, "{}", n.trim())?;
    }
    for t in &report.targets {
        writeln!(out, "{}: {}", t.kind, t.location)?;
    }
    writeln!(out)?;

    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED);
    match opts.width {
        Some(w) => {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(w);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    // Colour is decided by the caller (terminal, NO_COLOR), never by comfy-table itself.
    table.force_no_tty();
    if opts.color {
        table.enforce_styling();
    }
    table.set_header(vec![
        "Paragraph",
        "Status",
        "Severity",
        "Check",
        "Observed",
        "Remediation",
    ]);
    let mut not_applicable = 0;
    for req in &report.scores.requirements {
        let mine: Vec<&ReportFinding> = report
            .findings
            .iter()
            .filter(|f| f.requirements.contains(&req.id))
            .collect();
        not_applicable += mine
            .iter()
            .filter(|f| f.finding.status == FindingStatus::NotApplicable)
            .count();
        let verdict = format!(
            "{} {}\n[{}] {}",
            req.id,
            req.title,
            req.designation.as_str(),
            req.status.as_str().to_uppercase()
        );
        let mut first = true;
        let shown: Vec<&&ReportFinding> = mine
            .iter()
            .filter(|f| f.finding.status != FindingStatus::NotApplicable)
            .collect();
        for f in &shown {
            let para = if first {
                cell(&verdict, requirement_color(req.status), opts.color)
            } else {
                Cell::new("")
            };
            first = false;
            let subject = f
                .finding
                .subject
                .as_deref()
                .map(|s| format!("\n@ {s}"))
                .unwrap_or_default();
            table.add_row(vec![
                para,
                cell(
                    f.finding.status.as_str(),
                    status_color(f.finding.status),
                    opts.color,
                ),
                Cell::new(f.finding.severity.as_str()),
                Cell::new(format!("{}{subject}", f.finding.check_id)),
                Cell::new(&f.finding.message),
                Cell::new(if matches!(f.finding.status, FindingStatus::Pass) {
                    ""
                } else {
                    f.remediation.summary.as_str()
                }),
            ]);
        }
        if shown.is_empty() {
            let what = if req.manual_pending.is_empty() {
                "no automated check".to_owned()
            } else {
                format!("attest: {}", req.manual_pending.join(", "))
            };
            table.add_row(vec![
                cell(&verdict, requirement_color(req.status), opts.color),
                Cell::new(""),
                Cell::new(""),
                Cell::new(""),
                Cell::new(what),
                Cell::new(""),
            ]);
        } else if !req.manual_pending.is_empty() {
            table.add_row(vec![
                Cell::new(""),
                Cell::new("manual"),
                Cell::new(""),
                Cell::new(""),
                Cell::new(format!("attest: {}", req.manual_pending.join(", "))),
                Cell::new(""),
            ]);
        }
    }
    writeln!(out, "{table}")?;
    writeln!(out)?;
    let s = &report.scores;
    let counts = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, v)| format!("{v} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "Paragraphs: {}", counts(&s.requirement_counts))?;
    writeln!(out, "Findings:   {}", counts(&s.finding_counts))?;
    if not_applicable > 0 {
        writeln!(
            out,
            "            (not-applicable findings are not listed above)"
        )?;
    }
    let pct = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{v:.1}%"));
    writeln!(
        out,
        "Conformance {} · coverage {:.1}% · weighted check score {} (see docs/scoring.md)",
        pct(s.conformance_percent),
        s.coverage_percent,
        pct(s.weighted_check_score_percent)
    )?;
    let by: Vec<String> = s
        .by_designation
        .iter()
        .map(|d| {
            format!(
                "{} {} of {} met ({} partially, {} not met, {} undecided)",
                d.designation.as_str(),
                d.met,
                d.paragraphs,
                d.partially_met,
                d.not_met,
                d.undecided
            )
        })
        .collect();
    if !by.is_empty() {
        writeln!(out, "By designation: {}", by.join(" · "))?;
    }
    let gate = &report.gate;
    if !gate.missing_evidence.is_empty() {
        writeln!(out, "Missing evidence:")?;
        for m in &gate.missing_evidence {
            writeln!(
                out,
                "  {} facts ({} check{} not assessed): supply with {}",
                m.families.join(", "),
                m.checks.len(),
                if m.checks.len() == 1 { "" } else { "s" },
                m.supply
            )?;
        }
    }
    let verdict = if !gate.passed {
        format!(
            "FAILED: a failing finding is at or above severity {}",
            gate.fail_on
        )
    } else if gate.incomplete {
        format!("INCOMPLETE: {}", gate.incomplete_reasons.join("; "))
    } else {
        format!(
            "passed: no failing finding at or above severity {}",
            gate.fail_on
        )
    };
    writeln!(out, "Gate {verdict}")?;
    Ok(())
}

fn cell(text: &str, color: Color, use_color: bool) -> Cell {
    let c = Cell::new(text);
    if use_color {
        c.fg(color).add_attribute(Attribute::Bold)
    } else {
        c
    }
}

fn status_color(s: FindingStatus) -> Color {
    match s {
        FindingStatus::Pass => Color::Green,
        FindingStatus::Warn => Color::Yellow,
        FindingStatus::Fail => Color::Red,
        FindingStatus::Error => Color::Magenta,
        FindingStatus::NotAssessed | FindingStatus::NotApplicable => Color::Grey,
    }
}

fn requirement_color(s: RequirementStatus) -> Color {
    match s {
        RequirementStatus::Met => Color::Green,
        RequirementStatus::PartiallyMet => Color::Yellow,
        RequirementStatus::NotMet => Color::Red,
        RequirementStatus::NotAssessed | RequirementStatus::Manual => Color::Grey,
    }
}
