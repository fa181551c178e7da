//! The HTML renderer: one self-contained page (inline CSS, no scripts, no external
//! assets) for auditors, which prints cleanly to PDF. The page comes from a minijinja
//! template — `reports/report.html.j2`, embedded in the binary, or the user's own with
//! `--template FILE` — rendered over a context built here: the report itself plus the
//! derived lists every template needs (findings needing action worst first, not-assessed
//! groups, manual items, gate sentence). Escaping is HTML auto-escaping, always on.
//!
//! A template that fails to render is reported with its file and line.

use super::{Report, ReportFinding};
use crate::check::FindingStatus;
use minijinja::{AutoEscape, Environment};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// The built-in template's name.
pub const DEFAULT_TEMPLATE: &str = "reports/report.html.j2";

#[derive(Serialize)]
struct Group {
    what: String,
    how: String,
    checks: Vec<String>,
}

#[derive(Serialize)]
struct Manual {
    paragraph: String,
    item: String,
}

#[derive(Serialize)]
struct Context<'a> {
    report: &'a Report,
    gate_sentence: String,
    actionable: Vec<&'a ReportFinding>,
    passing: Vec<&'a ReportFinding>,
    not_applicable: Vec<&'a ReportFinding>,
    not_assessed: Vec<Group>,
    not_assessed_count: usize,
    manual: Vec<Manual>,
}

/// The text of the built-in template.
pub fn builtin_template() -> &'static str {
    crate::check::load::builtin_templates()
        .iter()
        .find(|(p, _)| *p == DEFAULT_TEMPLATE)
        .map_or("", |(_, t)| t)
}

/// Renders `report` with `template` (name, text), or the built-in one.
pub fn render_to_string(report: &Report, template: Option<(&str, &str)>) -> Result<String, String> {
    let (name, text) = template.unwrap_or((DEFAULT_TEMPLATE, builtin_template()));
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template(name, text)
        .map_err(|e| describe(name, &e))?;
    let tmpl = env.get_template(name).map_err(|e| describe(name, &e))?;
    tmpl.render(context(report)).map_err(|e| describe(name, &e))
}

fn describe(name: &str, e: &minijinja::Error) -> String {
    let mut msg = match e.line() {
        Some(l) => format!("template {name}:{l}: {}", e.kind()),
        None => format!("template {name}: {}", e.kind()),
    };
    if let Some(d) = e.detail() {
        msg.push_str(": ");
        msg.push_str(d);
    }
    msg
}

fn context(report: &Report) -> Context<'_> {
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut na = 0;
    for f in &report.findings {
        if f.finding.status == FindingStatus::NotAssessed {
            na += 1;
            groups
                .entry(super::table::assess_hint(&f.finding.message))
                .or_default()
                .push(f.finding.check_id.clone());
        }
    }
    let by = |s: FindingStatus| {
        report
            .findings
            .iter()
            .filter(|f| f.finding.status == s)
            .collect::<Vec<_>>()
    };
    Context {
        report,
        gate_sentence: super::markdown::gate_sentence(report),
        actionable: super::markdown::actionable(report),
        passing: by(FindingStatus::Pass),
        not_applicable: by(FindingStatus::NotApplicable),
        not_assessed: groups
            .into_iter()
            .map(|((what, how), checks)| Group { what, how, checks })
            .collect(),
        not_assessed_count: na,
        manual: report
            .scores
            .requirements
            .iter()
            .flat_map(|r| {
                r.manual_pending.iter().map(|m| Manual {
                    paragraph: r.id.clone(),
                    item: m.clone(),
                })
            })
            .collect(),
    }
}

/// Writes the report as one HTML page.
pub fn render(
    report: &Report,
    template: Option<(&str, &str)>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let page = render_to_string(report, template).map_err(io::Error::other)?;
    out.write_all(page.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_template_is_embedded() {
        assert!(builtin_template().contains("<html"));
    }
}
