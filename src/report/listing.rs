//! Plain-text listings for `checks list`, `checks facts`, `profiles list` and
//! `profiles show`.

use crate::check::CheckSet;
use crate::profile::{Profile, ProfileSet, ProfileStatus};
use std::io::{self, Write};

/// One line per check: id, domain, severity, title.
pub fn checks(set: &CheckSet, out: &mut dyn Write) -> io::Result<()> {
    let w = set.checks.keys().map(String::len).max().unwrap_or(0);
    for c in set.checks.values() {
        writeln!(
            out,
            "{:w$}  {:12} {:8}  {}",
            c.id,
            c.domain,
            c.severity.as_str(),
            c.title
        )?;
    }
    writeln!(out, "{} checks", set.checks.len())
}

/// One line per fact of the catalogue.
pub fn facts(out: &mut dyn Write) -> io::Result<()> {
    let specs = crate::catalogue::all();
    let w = specs.iter().map(|s| s.key.len()).max().unwrap_or(0);
    for s in specs {
        let scope = match s.scope {
            crate::catalogue::Scope::Deployment => "deployment",
            crate::catalogue::Scope::Endpoint => "endpoint",
        };
        writeln!(
            out,
            "{:w$}  {:15} {:10} {}",
            s.key,
            s.ty.to_string(),
            scope,
            s.doc
        )?;
    }
    writeln!(out, "{} facts", specs.len())
}

/// One line per profile.
pub fn profiles(set: &ProfileSet, out: &mut dyn Write) -> io::Result<()> {
    for p in set.profiles.values() {
        let status = if p.status == ProfileStatus::Proposed {
            "  [PROPOSED — not law]"
        } else {
            ""
        };
        writeln!(out, "{:22} v{:<3} {}{status}", p.id, p.version, p.title)?;
    }
    Ok(())
}

/// A profile in full: paragraphs, their checks, manual items and parameters.
pub fn profile(p: &Profile, checks: &CheckSet, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{} (v{}) — {}", p.id, p.version, p.title)?;
    if p.status == ProfileStatus::Proposed {
        writeln!(out, "PROPOSED RULE — NOT LAW.")?;
    }
    if let Some(b) = &p.basis {
        writeln!(out, "basis: {b}")?;
    }
    if let Some(n) = &p.notice {
        writeln!(out, "{}", n.trim())?;
    }
    writeln!(out)?;
    for r in &p.requirements {
        writeln!(out, "{} {} [{}]", r.id, r.title, r.designation.as_str())?;
        for c in &r.checks {
            let (sev, title) = checks
                .get(c)
                .map(|c| (c.severity.as_str(), c.title.as_str()))
                .unwrap_or(("?", "?"));
            writeln!(out, "    check  {c} ({sev}): {title}")?;
        }
        for m in &r.manual {
            writeln!(out, "    manual {}: {}", m.id, m.prompt)?;
        }
    }
    let params = crate::assess::effective_parameters(p, checks);
    if !params.is_empty() {
        writeln!(out, "\nparameters:")?;
        for (k, v) in params {
            let set_here = if p.parameters.contains_key(&k) {
                ""
            } else {
                " (check default)"
            };
            writeln!(out, "    {k} = {v}{set_here}")?;
        }
    }
    Ok(())
}
