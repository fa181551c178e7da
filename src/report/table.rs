//! The terminal renderer: the report a person reads in one screen. Summary first
//! (profile, targets, gate, scores, paragraph verdicts), then the failing, erroring and
//! warning findings worst first, each with what was observed and the setting that fixes
//! it; passes and not-applicable findings are counted and listed only on request
//! (`--show`); not-assessed findings are grouped by the input that would assess them.
//!
//! It fits the width it is given and never judges: every status comes from the
//! assessment. Colour (ANSI) is the caller's choice — a terminal, and NO_COLOR unset —
//! and the text is the same either way. The other formats carry everything in full.

use super::format::Show;
use super::{Report, ReportFinding};
use crate::check::FindingStatus;
use crate::profile::{ProfileStatus, RequirementStatus};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Options for the table.
#[derive(Debug, Clone, Copy)]
pub struct TableOptions {
    pub color: bool,
    /// Width to fit in; None lets lines be as long as their content.
    pub width: Option<u16>,
    /// Which findings to list one by one.
    pub show: Show,
}

const RED: &str = "\x1b[1;31m";
const YELLOW: &str = "\x1b[1;33m";
const GREEN: &str = "\x1b[1;32m";
const MAGENTA: &str = "\x1b[1;35m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

struct Out<'a> {
    w: &'a mut dyn Write,
    color: bool,
    width: usize,
}

impl Out<'_> {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color && !style.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_owned()
        }
    }

    fn line(&mut self, s: &str) -> io::Result<()> {
        writeln!(self.w, "{s}")
    }

    /// Writes `head` (already painted, `head_len` visible characters) followed by `text`,
    /// wrapped at the width with continuation lines indented by `indent`; at most
    /// `max_lines` lines (the last ends in `…` when cut), unlimited when 0.
    fn wrapped(
        &mut self,
        head: &str,
        head_len: usize,
        text: &str,
        indent: usize,
        max_lines: usize,
    ) -> io::Result<()> {
        let first = self.width.saturating_sub(head_len).max(8);
        let rest = self.width.saturating_sub(indent).max(8);
        let mut lines = wrap(text, first, rest);
        let cut = max_lines > 0 && lines.len() > max_lines;
        if max_lines == 1 && cut {
            // One line: use all of it before the ellipsis.
            lines = vec![text.split_whitespace().collect::<Vec<_>>().join(" ")];
        }
        let n = if cut { max_lines } else { lines.len() };
        for (i, l) in lines.iter().take(n).enumerate() {
            let mut l = l.clone();
            if cut && i + 1 == n {
                let room = if i == 0 { first } else { rest };
                let keep = room.saturating_sub(1);
                if l.chars().count() > keep {
                    l = l.chars().take(keep).collect();
                }
                l.push('…');
            }
            if i == 0 {
                writeln!(self.w, "{head}{l}")?;
            } else {
                writeln!(self.w, "{:indent$}{l}", "")?;
            }
        }
        if lines.is_empty() {
            writeln!(self.w, "{head}")?;
        }
        Ok(())
    }
}

/// Greedy word wrap: the first line `first` characters wide, the others `rest`. A word
/// longer than a line is split.
pub fn wrap(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_len = 0;
    let room = |lines: &Vec<String>| if lines.is_empty() { first } else { rest };
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let r = room(&lines).max(1);
            let need = if cur_len == 0 {
                word.len()
            } else {
                cur_len + 1 + word.len()
            };
            if need <= r {
                if cur_len > 0 {
                    cur.push(' ');
                    cur_len += 1;
                }
                cur.extend(word.iter());
                cur_len += word.len();
                break;
            }
            if cur_len > 0 {
                lines.push(std::mem::take(&mut cur));
                cur_len = 0;
                continue;
            }
            // A word longer than the line: split it.
            let tail = word.split_off(r.min(word.len()));
            lines.push(word.iter().collect());
            word = tail;
            if word.is_empty() {
                break;
            }
        }
    }
    if cur_len > 0 {
        lines.push(cur);
    }
    lines
}

fn status_style(s: FindingStatus) -> &'static str {
    match s {
        FindingStatus::Pass => GREEN,
        FindingStatus::Warn => YELLOW,
        FindingStatus::Fail => RED,
        FindingStatus::Error => MAGENTA,
        FindingStatus::NotAssessed | FindingStatus::NotApplicable => DIM,
    }
}

fn requirement_style(s: RequirementStatus) -> &'static str {
    match s {
        RequirementStatus::Met => GREEN,
        RequirementStatus::PartiallyMet => YELLOW,
        RequirementStatus::NotMet => RED,
        RequirementStatus::NotAssessed | RequirementStatus::Manual => DIM,
    }
}

/// Order of the findings list: fail, error, warn, then the rest; most severe first.
fn rank(s: FindingStatus) -> u8 {
    match s {
        FindingStatus::Fail => 0,
        FindingStatus::Error => 1,
        FindingStatus::Warn => 2,
        FindingStatus::Pass => 3,
        FindingStatus::NotAssessed => 4,
        FindingStatus::NotApplicable => 5,
    }
}

/// The label a finding is listed under: STATUS, or `WAIVED` beside it.
fn status_label(f: &ReportFinding) -> String {
    f.finding.status.as_str().to_uppercase()
}

/// What would assess a not-assessed finding, from the family its message names ("no
/// endpoint was probed for tls facts") — a hint about inputs, not a verdict.
pub fn assess_hint(message: &str) -> (String, String) {
    // "no endpoint was probed for tls, http facts" / "no source of logs facts was given" /
    // "no probe was asked for ldap facts on …"
    let family = [" for ", "no source of "].iter().find_map(|lead| {
        message
            .split_once(lead)
            .and_then(|(_, rest)| rest.split_once(" facts"))
            .map(|(f, _)| f.trim().to_owned())
    });
    match family.as_deref() {
        Some(f) if f.contains("tls") || f.contains("http") => (
            "TLS/HTTP endpoint".into(),
            "add --url https://HOST (or --probe-configured-endpoints)".into(),
        ),
        Some("ldap") => (
            "LDAP endpoint".into(),
            "add --ldap ldap://HOST:PORT (or --probe-configured-endpoints)".into(),
        ),
        Some("cluster") => (
            "cluster gossip".into(),
            "add --probe-configured-endpoints".into(),
        ),
        Some(f) if f.contains("logs") || f.contains("host") => (
            "log and host".into(),
            "add --logs DIR or --mattermost-home DIR".into(),
        ),
        Some(f) if f.contains("mattermost.api") || f.contains("mattermost.advisories") => (
            "live server".into(),
            "add --url https://HOST (the REST API and its version)".into(),
        ),
        Some(f) if f.starts_with("mattermost") => (
            "configuration".into(),
            "add --mattermost-config FILE".into(),
        ),
        Some(f) => (f.to_owned(), format!("supply {f} evidence")),
        None => ("other".into(), message.to_owned()),
    }
}

/// Writes the report as a one-screen summary.
pub fn render(report: &Report, opts: TableOptions, out: &mut dyn Write) -> io::Result<()> {
    let width = opts.width.map_or(usize::MAX / 4, usize::from);
    let mut o = Out {
        w: out,
        color: opts.color,
        width,
    };
    let p = &report.profile;
    let title = format!(
        "safeguard {} · {} v{} · {}",
        report.tool.version, p.id, p.version, p.title
    );
    o.wrapped(&o.paint(BOLD, ""), 0, &title, 2, 0)?;
    if p.status == ProfileStatus::Proposed {
        let s = o.paint(RED, "PROPOSED RULE — NOT LAW.");
        o.line(&s)?;
    }
    for t in &report.targets {
        o.wrapped("Target   ", 9, &format!("{} {}", t.kind, t.location), 9, 0)?;
    }
    gate_line(&mut o, report)?;
    let s = &report.scores;
    let counts = status_counts(report);
    o.wrapped("Findings ", 9, &counts, 9, 0)?;
    let pct = |v: Option<f64>| v.map_or("n/a".to_owned(), |v| format!("{v:.1}%"));
    o.wrapped(
        "Scores   ",
        9,
        &format!(
            "conformance {} · coverage {:.1}% · weighted check score {} (docs/scoring.md)",
            pct(s.conformance_percent),
            s.coverage_percent,
            pct(s.weighted_check_score_percent)
        ),
        9,
        0,
    )?;
    let by: Vec<String> = s
        .by_designation
        .iter()
        .map(|d| {
            format!(
                "{} {}/{} met ({} partially, {} not met, {} undecided)",
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
        o.wrapped("By kind  ", 9, &by.join(" · "), 9, 0)?;
    }
    if !report.waivers.is_empty() || !report.attestations.is_empty() {
        let applied = report.waivers.iter().filter(|w| w.state.applies()).count();
        let other = report.waivers.len() - applied;
        o.wrapped(
            "Records  ",
            9,
            &format!(
                "{applied} waiver(s) applied{} · {} attestation(s)",
                if other > 0 {
                    format!(", {other} not applied (expired, refused or unmatched)")
                } else {
                    String::new()
                },
                report.attestations.len()
            ),
            9,
            0,
        )?;
    }
    o.line("")?;

    paragraphs(&mut o, report)?;

    let mut listed: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| opts.show.includes(f.finding.status) || f.waiver.is_some() && opts.show.fail)
        .filter(|f| f.finding.status != FindingStatus::NotAssessed || opts.show.not_assessed)
        .collect();
    listed.sort_by(|a, b| {
        rank(a.finding.status)
            .cmp(&rank(b.finding.status))
            .then(b.finding.severity.cmp(&a.finding.severity))
    });
    if !listed.is_empty() {
        let heading = if opts.show.is_default() {
            "Failing, erroring and warning findings, worst first"
        } else {
            "Findings, worst first"
        };
        let h = o.paint(BOLD, heading);
        o.line(&h)?;
        // A long list is condensed to one line of observation and one of fix per
        // finding, so the whole report stays on one screen; the other formats carry the
        // full text.
        let max = if opts.width.is_none() {
            0
        } else if listed.len() > 20 && o.width < 160 {
            // Many findings on a narrow screen: one line each (check and fix); `--show`
            // with a wider terminal or the other formats carry the observation.
            ONE_LINE
        } else if listed.len() > 12 && o.width < 160 {
            1
        } else {
            2
        };
        for f in listed {
            finding(&mut o, f, opts.show.is_default(), max)?;
        }
        o.line("")?;
    }

    // Grouped not-assessed findings, unless listed one by one.
    let not_assessed: Vec<&ReportFinding> = report
        .findings
        .iter()
        .filter(|f| f.finding.status == FindingStatus::NotAssessed)
        .collect();
    if !not_assessed.is_empty() && !opts.show.not_assessed {
        let mut groups: BTreeMap<(String, String), usize> = BTreeMap::new();
        for f in &not_assessed {
            *groups.entry(assess_hint(&f.finding.message)).or_default() += 1;
        }
        for ((what, how), n) in groups {
            let noun = if n == 1 { "check" } else { "checks" };
            o.wrapped(
                "Not assessed: ",
                14,
                &format!("{n} {what} {noun} — {how}"),
                4,
                0,
            )?;
        }
    }
    let manual: usize = report
        .scores
        .requirements
        .iter()
        .map(|r| r.manual_pending.len())
        .sum();
    if manual > 0 && !opts.show.manual {
        o.wrapped(
            "Manual:       ",
            14,
            &format!(
                "{manual} items await a person's attestation — --attestations FILE \
                 (list them: --show manual)"
            ),
            4,
            0,
        )?;
    }
    if opts.show.manual {
        o.line("")?;
        let h = o.paint(BOLD, "Manual items awaiting attestation");
        o.line(&h)?;
        for r in &report.scores.requirements {
            if !r.manual_pending.is_empty() {
                o.wrapped(
                    "  ",
                    2,
                    &format!("{}: {}", r.id, r.manual_pending.join(", ")),
                    4,
                    0,
                )?;
            }
        }
    }
    let hidden: Vec<String> = [
        (FindingStatus::Pass, opts.show.pass),
        (FindingStatus::NotApplicable, opts.show.not_applicable),
    ]
    .into_iter()
    .filter(|(_, shown)| !shown)
    .filter_map(|(st, _)| {
        let n = report
            .findings
            .iter()
            .filter(|f| f.finding.status == st)
            .count();
        (n > 0).then(|| format!("{n} {}", st.as_str()))
    })
    .collect();
    if !hidden.is_empty() {
        o.wrapped(
            "Not listed:   ",
            14,
            &format!(
                "{} (--show all, or --show pass,not-applicable)",
                hidden.join(", ")
            ),
            4,
            0,
        )?;
    }
    if let Some(n) = &p.notice {
        // The notice's first sentence; every other format carries it whole.
        let n = n.trim();
        // A sentence ends at ". " before a capital ("SP 800-52 Rev. 2" does not end one).
        let end = n
            .match_indices(". ")
            .find(|(i, _)| n[i + 2..].chars().next().is_some_and(char::is_uppercase))
            .map(|(i, _)| i);
        let first = end.map_or(n, |i| &n[..=i]);
        o.wrapped("", 0, first, 0, 0)?;
    }
    Ok(())
}

fn gate_line(o: &mut Out<'_>, report: &Report) -> io::Result<()> {
    let gate = &report.gate;
    let failing = report
        .findings
        .iter()
        .filter(|f| {
            f.finding.status == FindingStatus::Fail
                && f.finding.severity >= gate.fail_on
                && f.waiver.as_ref().is_none_or(|w| !w.applies())
        })
        .count();
    let (style, text) = if !gate.passed {
        (
            RED,
            format!(
                "Gate FAILED: {failing} failing finding(s) at or above severity {} (exit 1)",
                gate.fail_on
            ),
        )
    } else if gate.incomplete {
        (
            MAGENTA,
            format!(
                "Gate INCOMPLETE: {} (exit 3)",
                if gate.incomplete_reasons.is_empty() {
                    "a probe could not run; see the error findings".to_owned()
                } else {
                    gate.incomplete_reasons.join("; ")
                }
            ),
        )
    } else {
        (
            GREEN,
            format!(
                "Gate passed: no failing finding at or above severity {}",
                gate.fail_on
            ),
        )
    };
    let (head, rest) = text.split_at(text.find(':').map_or(0, |i| i + 1));
    let head_len = head.chars().count() + 1;
    let painted = format!("{} ", o.paint(style, head));
    o.wrapped(&painted, head_len, rest.trim(), 5, 0)
}

fn status_counts(report: &Report) -> String {
    let order = [
        FindingStatus::Fail,
        FindingStatus::Error,
        FindingStatus::Warn,
        FindingStatus::Pass,
        FindingStatus::NotAssessed,
        FindingStatus::NotApplicable,
    ];
    let mut parts = Vec::new();
    for st in order {
        let n = report
            .findings
            .iter()
            .filter(|f| f.finding.status == st)
            .count();
        if n > 0 {
            parts.push(format!("{n} {}", st.as_str()));
        }
    }
    let waived = report
        .findings
        .iter()
        .filter(|f| f.waiver.as_ref().is_some_and(|w| w.applies()))
        .count();
    if waived > 0 {
        parts.push(format!("{waived} waived"));
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(" · ")
    }
}

fn paragraphs(o: &mut Out<'_>, report: &Report) -> io::Result<()> {
    let reqs = &report.scores.requirements;
    if reqs.is_empty() {
        return Ok(());
    }
    let id_w = reqs.iter().map(|r| r.id.chars().count()).max().unwrap_or(0);
    let verdict_w = 13;
    let des_w = reqs
        .iter()
        .map(|r| r.designation.as_str().len())
        .max()
        .unwrap_or(0);
    // id, verdict, designation, counts; the title takes what is left.
    for r in reqs {
        let mut counts: Vec<String> = r
            .counts
            .iter()
            .filter(|(k, _)| k.as_str() != "not-applicable" && k.as_str() != "not-assessed")
            .map(|(k, v)| format!("{v} {k}"))
            .collect();
        if !r.manual_pending.is_empty() {
            counts.push(format!("{} manual", r.manual_pending.len()));
        }
        let counts = counts.join(", ");
        let fixed = id_w + 1 + verdict_w + 1 + des_w + 2;
        let title_w = o
            .width
            .saturating_sub(fixed + counts.chars().count() + 1)
            .clamp(12, 34);
        let mut title: String = r.title.chars().take(title_w).collect();
        if r.title.chars().count() > title_w {
            title.pop();
            title.push('…');
        }
        let verdict = format!("{:verdict_w$}", r.status.as_str().to_uppercase());
        let verdict = o.paint(requirement_style(r.status), &verdict);
        if o.width < fixed + 30 {
            // Narrow: the title and counts wrap under the verdict.
            let head = format!("{:id_w$} {verdict} ", r.id);
            let text = format!("[{}] {} — {counts}", r.designation.as_str(), r.title);
            o.wrapped(&head, id_w + verdict_w + 2, &text, 4, 0)?;
            continue;
        }
        let line = format!(
            "{:id_w$} {verdict} {:des_w$}  {:title_w$} {counts}",
            r.id,
            r.designation.as_str(),
            title,
        );
        o.line(line.trim_end())?;
    }
    Ok(())
}

/// `max` for one line per finding: the check and its fix, no observation line.
const ONE_LINE: usize = usize::MAX;

fn finding(o: &mut Out<'_>, f: &ReportFinding, fix_line: bool, max: usize) -> io::Result<()> {
    let st = f.finding.status;
    if max == ONE_LINE {
        return one_line(o, f);
    }
    let label = format!("{:5}", status_label(f));
    let sev = format!("{:8}", f.finding.severity.as_str());
    let mut id = f.finding.check_id.clone();
    if let Some(s) = &f.finding.subject {
        id.push_str(" @ ");
        id.push_str(s);
    }
    let head_len = label.chars().count() + 1 + sev.len() + 1 + id.chars().count() + 2;
    let head = format!("{} {sev} {}  ", o.paint(status_style(st), &label), id);
    let observed = if max == 1 {
        condensed(&f.finding.message)
    } else {
        f.finding.message.clone()
    };
    o.wrapped(&head, head_len, &observed, 6, max)?;
    let shows_fix = fix_line
        || matches!(
            st,
            FindingStatus::Fail | FindingStatus::Warn | FindingStatus::Error
        );
    if let Some(w) = &f.waiver {
        let text = w.describe();
        let head = o.paint(YELLOW, "      ≈ ");
        return o.wrapped(&head, 8, &text, 8, max);
    }
    if shows_fix && st != FindingStatus::Pass && !f.remediation.summary.is_empty() {
        let mut fix = String::new();
        if let Some(setting) = &f.remediation.setting
            && !f.remediation.summary.contains(setting.as_str())
            && !f.finding.message.contains(setting.as_str())
        {
            fix.push_str(setting);
            fix.push_str(": ");
        }
        fix.push_str(&f.remediation.summary);
        o.wrapped("      → ", 8, &fix, 8, max)?;
    }
    Ok(())
}

/// One line: status, severity, check (and subject), then the setting that fixes it.
fn one_line(o: &mut Out<'_>, f: &ReportFinding) -> io::Result<()> {
    let st = f.finding.status;
    let label = format!("{:5}", status_label(f));
    let sev = format!("{:8}", f.finding.severity.as_str());
    let mut id = f.finding.check_id.clone();
    if let Some(s) = &f.finding.subject {
        id.push_str(" @ ");
        id.push_str(s);
    }
    let fix = match &f.remediation.setting {
        Some(setting) if !f.remediation.summary.contains(setting.as_str()) => {
            format!("{setting}: {}", f.remediation.summary)
        }
        _ => f.remediation.summary.clone(),
    };
    let head_len = label.chars().count() + 1 + sev.len() + 1 + id.chars().count() + 3;
    let head = format!("{} {sev} {} → ", o.paint(status_style(st), &label), id);
    o.wrapped(&head, head_len, &fix, 6, 1)
}

/// A finding's message without its "expected …" clauses (the fix line says what is
/// wanted): the condensed observation.
pub fn condensed(message: &str) -> String {
    static EXPECTED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"; expected .*?(?:( and )|(; )|$)|\s\(matches "(?:[^"\\]|\\.)*"\)"#)
            .expect("valid regex")
    });
    EXPECTED
        .replace_all(message, |c: &regex::Captures<'_>| {
            if c.get(1).is_some() {
                " and ".to_owned()
            } else if c.get(2).is_some() {
                "; ".to_owned()
            } else {
                String::new()
            }
        })
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_respects_widths_and_splits_long_words() {
        assert_eq!(wrap("a bb ccc", 4, 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4, 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4, 4), Vec::<String>::new());
        assert_eq!(wrap("aa bb cc", 2, 5), vec!["aa", "bb cc"]);
    }

    #[test]
    fn condensed_drops_the_expectations() {
        assert_eq!(
            condensed("A is true; expected = false; B is 43200; expected ≤ 15"),
            "A is true; B is 43200"
        );
        assert_eq!(
            condensed("A is false; expected = true and b is 0; expected > 0"),
            "A is false and b is 0"
        );
        assert_eq!(
            condensed(r#"not expected: L is "DEBUG" (matches "(?i)^\\s*(debug)$")"#),
            r#"not expected: L is "DEBUG""#
        );
    }

    #[test]
    fn not_assessed_hints_name_the_input() {
        assert!(
            assess_hint("no endpoint was probed for tls facts")
                .1
                .contains("--url")
        );
        assert!(
            assess_hint("no endpoint was probed for ldap facts")
                .1
                .contains("--ldap")
        );
    }
}
