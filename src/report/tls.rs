//! Renderers of `safeguard tls`: a table for people and the JSON documented in
//! `docs/json-report.md` ("`safeguard tls` JSON"). Pure functions over a
//! [`TlsAssessment`]; colour only when the caller says so.

use crate::probe::tls::{TlsAssessment, Version, suites};
use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};
use std::io::{self, Write};

/// Writes the assessment as pretty JSON followed by a newline.
pub fn render_json(a: &TlsAssessment, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, a)?;
    writeln!(out)
}

/// Writes the assessment as tables: protocols and suites, then properties, then the certificate.
pub fn render_table(a: &TlsAssessment, color: bool, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "TLS assessment of {} ({})", a.target, a.address)?;
    if let Some(sni) = &a.sni {
        writeln!(out, "server name: {sni}")?;
    }
    writeln!(out)?;
    let mut t = table(color);
    t.set_header(vec![
        "Protocol",
        "Accepted",
        "Cipher suites (server order when enforced)",
    ]);
    for v in Version::ALL {
        let p = a.protocols.get(v);
        let bad = matches!(
            v,
            Version::Ssl2 | Version::Ssl3 | Version::Tls10 | Version::Tls11
        );
        let accepted = match (&p.error, p.accepted) {
            (Some(e), _) => format!("unknown: {e}"),
            (None, true) => "yes".to_owned(),
            (None, false) => "no".to_owned(),
        };
        let c = if p.accepted && bad {
            Color::Red
        } else if p.accepted {
            Color::Green
        } else {
            Color::Reset
        };
        let mut names: Vec<String> = p
            .cipher_suites
            .iter()
            .map(|n| match suites::by_name(n) {
                Some(s) if s.is_weak() => format!("{n}  (weak)"),
                Some(s) if !s.is_forward_secret() => format!("{n}  (no forward secrecy)"),
                _ => n.clone(),
            })
            .collect();
        if let Some(o) = p.server_order {
            names.push(if o {
                "(server enforces its order)".into()
            } else {
                "(client chooses)".into()
            });
        }
        t.add_row(vec![
            Cell::new(v.name()),
            cell(&accepted, c, color),
            Cell::new(names.join("\n")),
        ]);
    }
    writeln!(out, "{t}")?;

    let yes_no = |b: Option<bool>| {
        b.map_or("unknown".to_owned(), |b| {
            if b { "yes".into() } else { "no".into() }
        })
    };
    let mut t = table(color);
    t.set_header(vec!["Property", "Value"]);
    t.add_row(vec![
        "Groups".to_owned(),
        if a.groups.is_empty() {
            "none found".into()
        } else {
            a.groups.join(", ")
        },
    ]);
    t.add_row(vec![
        "DHE minimum modulus".to_owned(),
        a.dhe_min_bits
            .map_or("no DHE".into(), |b| format!("{b} bits")),
    ]);
    t.add_row(vec![
        "Secure renegotiation".to_owned(),
        yes_no(a.secure_renegotiation),
    ]);
    t.add_row(vec![
        "Extended master secret".to_owned(),
        yes_no(a.extended_master_secret),
    ]);
    t.add_row(vec!["Compression".to_owned(), yes_no(a.compression)]);
    t.add_row(vec![
        "Fallback SCSV honoured".to_owned(),
        yes_no(a.fallback_scsv),
    ]);
    t.add_row(vec!["OCSP stapling".to_owned(), yes_no(a.ocsp_stapling)]);
    if let Some(h) = &a.http {
        t.add_row(vec![
            "HSTS max-age".to_owned(),
            h.hsts_max_age.map_or("unknown".into(), |m| m.to_string()),
        ]);
        t.add_row(vec![
            "Port 80 redirects to https".to_owned(),
            yes_no(h.port80_redirects_to_https),
        ]);
    }
    writeln!(out, "{t}")?;

    if let Some(c) = &a.certificate {
        let mut t = table(color);
        t.set_header(vec!["Certificate", "Value"]);
        let key = match &c.curve {
            Some(curve) => format!("{} {} ({curve})", c.key_type, c.key_bits),
            None => format!("{} {}", c.key_type, c.key_bits),
        };
        let rows = [
            ("Subject", c.subject.clone()),
            ("Issuer", c.issuer.clone()),
            ("Key", key),
            (
                "Signature",
                format!("{} ({})", c.signature_algorithm, c.signature_hash),
            ),
            (
                "Valid until",
                format!("{} ({} days)", c.not_after, c.days_to_expiry),
            ),
            ("Names", c.subject_alt_names.join(", ")),
            ("Host name matches", yes_no(c.hostname_match)),
            (
                "Chain valid",
                match (&c.chain_valid, &c.validation_error) {
                    (Some(true), _) => "yes".to_owned(),
                    (_, Some(e)) => format!("no: {e}"),
                    _ => "unknown".to_owned(),
                },
            ),
            (
                "Chain",
                format!(
                    "{} certificate(s), {}",
                    c.chain_length,
                    if c.chain_in_order {
                        "in order"
                    } else {
                        "out of order"
                    }
                ),
            ),
            ("EKU serverAuth", yes_no(Some(c.eku_server_auth))),
            (
                "OCSP responder",
                if c.ocsp_urls.is_empty() {
                    "none".into()
                } else {
                    c.ocsp_urls.join(", ")
                },
            ),
            ("SHA-256", c.sha256.clone()),
        ];
        for (k, v) in rows {
            t.add_row(vec![k.to_owned(), v]);
        }
        writeln!(out, "{t}")?;
    }
    for n in &a.notes {
        writeln!(out, "note: {n}")?;
    }
    writeln!(out, "{} handshakes, {} ms", a.handshakes, a.duration_ms)
}

fn table(color: bool) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Disabled);
    t.force_no_tty();
    if color {
        t.enforce_styling();
    }
    t
}

fn cell(text: &str, c: Color, color: bool) -> Cell {
    let cell = Cell::new(text);
    if color && c != Color::Reset {
        cell.fg(c).add_attribute(Attribute::Bold)
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_the_documented_keys() {
        let mut a = TlsAssessment::default();
        a.protocols.tls1_2.accepted = true;
        a.protocols.tls1_2.cipher_suites = vec!["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into()];
        let mut buf = Vec::new();
        render_json(&a, &mut buf).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        for k in ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"] {
            assert!(v["protocols"][k]["accepted"].is_boolean(), "{k}");
        }
        assert_eq!(
            v["protocols"]["TLSv1.2"]["cipher_suites"][0],
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        );
        assert!(v["groups"].is_array() && v["handshakes"].is_number());
        let mut text = Vec::new();
        render_table(&a, false, &mut text).unwrap();
        assert!(String::from_utf8(text).unwrap().contains("TLSv1.2"));
    }
}
