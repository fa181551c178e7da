//! Output of `safeguard ldap`: a table for people, JSON for programs (the JSON is the
//! serde form of [`LdapAssessment`], documented in `docs/json-report.md`).

use crate::probe::ldap::{CertCheck, LdapAssessment, LdapScheme};
use std::io::{self, Write};

/// Writes the assessment as pretty JSON followed by a newline.
pub fn json(a: &LdapAssessment, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, a)?;
    writeln!(out)
}

#[derive(Clone, Copy)]
enum Tone {
    Good,
    Bad,
    Plain,
}

/// Writes a two-column table of what was found; `colour` adds ANSI colours to verdicts.
pub fn table(a: &LdapAssessment, colour: bool, out: &mut dyn Write) -> io::Result<()> {
    let mut rows: Vec<(String, String, Tone)> = Vec::new();
    let mut row = |k: &str, v: String, tone: Tone| rows.push((k.to_owned(), v, tone));
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    if let Some(b) = a.speaks_plaintext {
        row("speaks plaintext LDAP", yes_no(b), Tone::Plain);
    }
    if let Some(b) = a.speaks_tls {
        row("speaks TLS (LDAPS)", yes_no(b), Tone::Plain);
    }
    if let Some(dse) = &a.root_dse {
        row(
            "StartTLS advertised",
            yes_no(dse.starttls_advertised),
            if dse.starttls_advertised {
                Tone::Good
            } else {
                Tone::Bad
            },
        );
        let mechs = if dse.sasl_mechanisms.is_empty() {
            "(none)".to_owned()
        } else {
            dse.sasl_mechanisms.join(", ")
        };
        row("SASL mechanisms", mechs, Tone::Plain);
        if let Some(v) = &dse.vendor {
            row("vendor", v.clone(), Tone::Plain);
        }
    }
    if let Some(st) = &a.starttls {
        let v = match (&st.message, st.accepted) {
            (_, true) => "accepted".to_owned(),
            (Some(m), false) => format!("refused: {m}"),
            (None, false) => "refused".to_owned(),
        };
        row(
            "StartTLS",
            v,
            if st.accepted { Tone::Good } else { Tone::Bad },
        );
        if let Some(c) = &st.certificate {
            cert_rows(c, "certificate (StartTLS)", &mut row);
        }
    }
    if let Some(c) = a.ldaps.as_ref().and_then(|l| l.certificate.as_ref()) {
        cert_rows(c, "certificate (LDAPS)", &mut row);
    }
    if let Some(b) = &a.cleartext_bind {
        let v = format!(
            "{} (rc {} {})",
            if b.refused {
                "refused"
            } else {
                "evaluated: passwords are accepted in the clear"
            },
            b.outcome.result_code,
            b.outcome.result
        );
        row(
            "cleartext simple bind",
            v,
            if b.refused { Tone::Good } else { Tone::Bad },
        );
    } else if a.scheme == LdapScheme::Ldaps {
        row(
            "cleartext simple bind",
            "not tested (LDAPS port)".to_owned(),
            Tone::Plain,
        );
    }
    if let Some(b) = &a.anonymous_bind {
        let v = format!(
            "{} over {} (rc {} {})",
            if b.allowed { "allowed" } else { "refused" },
            b.over,
            b.outcome.result_code,
            b.outcome.result
        );
        row("anonymous bind", v, Tone::Plain);
    }
    if let Some(t) = &a.tls {
        let json = serde_json::to_value(t).unwrap_or_default();
        if let Some(protocols) = json.get("protocols").and_then(|p| p.as_object()) {
            for (name, p) in protocols {
                let accepted = p.get("accepted").and_then(|v| v.as_bool()).unwrap_or(false);
                let suites: Vec<&str> = p
                    .get("cipher_suites")
                    .and_then(|s| s.as_array())
                    .map(|s| {
                        s.iter()
                            .filter_map(|x| {
                                x.as_str()
                                    .or_else(|| x.get("name").and_then(|n| n.as_str()))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let v = if accepted {
                    format!("accepted: {}", suites.join(", "))
                } else {
                    "refused".to_owned()
                };
                row(&format!("TLS {name}"), v, Tone::Plain);
            }
        }
    }
    for e in &a.errors {
        row(&format!("error ({})", e.step), e.message.clone(), Tone::Bad);
    }
    for n in &a.notes {
        row("note", n.clone(), Tone::Plain);
    }

    writeln!(out, "{}  ({} ms)", a.endpoint, a.elapsed_ms)?;
    let width = rows
        .iter()
        .map(|(k, _, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    for (k, v, tone) in rows {
        let v = match (colour, tone) {
            (true, Tone::Good) => format!("\x1b[32m{v}\x1b[0m"),
            (true, Tone::Bad) => format!("\x1b[31m{v}\x1b[0m"),
            _ => v,
        };
        writeln!(out, "  {k:<width$}  {v}")?;
    }
    Ok(())
}

fn cert_rows(c: &CertCheck, label: &str, row: &mut impl FnMut(&str, String, Tone)) {
    let v = match &c.error {
        None => "valid".to_owned(),
        Some(e) => format!("NOT valid: {e}"),
    };
    row(label, v, if c.valid { Tone::Good } else { Tone::Bad });
    if let Some(m) = c.hostname_match {
        row(
            "  matches host name",
            if m { "yes" } else { "no" }.to_owned(),
            if m { Tone::Good } else { Tone::Bad },
        );
    }
    if let Some(s) = &c.subject {
        row("  subject", s.clone(), Tone::Plain);
    }
    if let Some(s) = &c.not_after {
        row("  not after", s.clone(), Tone::Plain);
    }
}
