//! The endpoint detail section of the table: what was observed on each endpoint (protocol
//! versions with their suites in server order, groups, the certificate, the LDAP root DSE
//! and bind tests), read from the report's evidence through the fact catalogue. It only
//! shows facts; it does not judge them (the findings above it do).

use super::Report;
use crate::catalogue::{ldap, tls};
use crate::evidence::{Evidence, FactValue};
use comfy_table::{ContentArrangement, Table, presets};
use std::io::{self, Write};

/// Writes one detail block per endpoint subject that has TLS or LDAP facts.
pub fn render(report: &Report, width: Option<u16>, out: &mut dyn Write) -> io::Result<()> {
    let ev = &report.evidence;
    let mut subjects: Vec<&str> = Vec::new();
    for f in &ev.facts {
        if let Some(s) = f.subject.as_deref()
            && (f.key.namespace() == "tls" || f.key.namespace() == "ldap")
            && !subjects.contains(&s)
        {
            subjects.push(s);
        }
    }
    for s in subjects {
        writeln!(out, "Endpoint {s}")?;
        if has(ev, s, ldap::SCHEME.key) {
            ldap_block(ev, s, width, out)?;
        }
        // The certificate of an LDAP endpoint's TLS channel is in the TLS block too.
        if tls::PROTOCOL_ACCEPTED.iter().any(|p| has(ev, s, p.key))
            || has(ev, s, tls::CERTS_SERVED.key)
        {
            tls_block(ev, s, width, out)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn has(ev: &Evidence, subject: &str, key: &str) -> bool {
    ev.facts
        .iter()
        .any(|f| f.key.as_str() == key && f.subject.as_deref() == Some(subject))
}

fn value<'a>(ev: &'a Evidence, subject: &str, key: &str) -> Option<&'a FactValue> {
    ev.facts
        .iter()
        .find(|f| f.key.as_str() == key && f.subject.as_deref() == Some(subject))
        .map(|f| &f.value)
}

fn show(v: Option<&FactValue>) -> String {
    match v {
        None => "unknown".into(),
        Some(FactValue::Bool(true)) => "yes".into(),
        Some(FactValue::Bool(false)) => "no".into(),
        Some(FactValue::Str(s)) => s.clone(),
        Some(FactValue::Int(i)) => i.to_string(),
        Some(FactValue::StrList(l)) if l.is_empty() => "none".into(),
        Some(FactValue::StrList(l)) => l.join(", "),
    }
}

fn table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.force_no_tty();
    match width {
        Some(w) => {
            t.set_content_arrangement(ContentArrangement::Dynamic);
            t.set_width(w);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t
}

fn tls_block(ev: &Evidence, s: &str, width: Option<u16>, out: &mut dyn Write) -> io::Result<()> {
    let mut t = table(width);
    t.set_header(vec![
        "Protocol",
        "Accepted",
        "Cipher suites (server order when enforced)",
    ]);
    for i in 0..tls::VERSION_NAMES.len() {
        let accepted = value(ev, s, tls::PROTOCOL_ACCEPTED[i].key);
        let mut suites = match value(ev, s, tls::PROTOCOL_SUITES[i].key) {
            Some(FactValue::StrList(l)) => l.clone(),
            _ => Vec::new(),
        };
        match value(ev, s, tls::PROTOCOL_SERVER_ORDER[i].key) {
            Some(FactValue::Bool(true)) => suites.push("(server enforces its order)".into()),
            Some(FactValue::Bool(false)) => suites.push("(client chooses)".into()),
            _ => {}
        }
        t.add_row(vec![
            tls::VERSION_NAMES[i].to_owned(),
            show(accepted),
            suites.join("\n"),
        ]);
    }
    writeln!(out, "{t}")?;
    let mut t = table(width);
    t.set_header(vec!["Property", "Value"]);
    for (label, key) in [
        ("Groups", tls::GROUPS_ACCEPTED.key),
        ("Smallest DHE group (bits)", tls::DHE_MIN_BITS.key),
        ("Secure renegotiation", tls::SECURE_RENEGOTIATION.key),
        ("Extended master secret", tls::EXTENDED_MASTER_SECRET.key),
        ("Compression", tls::COMPRESSION.key),
        ("Fallback SCSV", tls::FALLBACK_SCSV.key),
        ("OCSP stapling", tls::OCSP_STAPLING.key),
        ("Certificate subject", tls::CERT_SUBJECT.key),
        ("Issuer", tls::CERT_ISSUER.key),
        ("Names", tls::CERT_SUBJECT_ALT_NAMES.key),
        ("Key", tls::CERT_KEY_TYPE.key),
        ("Key bits", tls::CERT_KEY_BITS.key),
        ("Signature", tls::CERT_SIGNATURE_ALGORITHM.key),
        ("Not after", tls::CERT_NOT_AFTER.key),
        ("Chain validates", tls::CERT_CHAIN_VALID.key),
        ("Validation error", tls::CERT_VALIDATION_ERROR.key),
        ("Matches the host", tls::CERT_HOSTNAME_MATCH.key),
        ("SHA-256", tls::CERT_SHA256.key),
    ] {
        if let Some(v) = value(ev, s, key) {
            t.add_row(vec![label.to_owned(), show(Some(v))]);
        }
    }
    // With several certificates, each worst-of fact above may describe another one; the
    // list names every certificate served.
    if let Some(FactValue::StrList(served)) = value(ev, s, tls::CERTS_SERVED.key) {
        t.add_row(vec!["Certificates served".to_owned(), served.join("\n")]);
    }
    writeln!(out, "{t}")
}

fn ldap_block(ev: &Evidence, s: &str, width: Option<u16>, out: &mut dyn Write) -> io::Result<()> {
    let mut t = table(width);
    t.set_header(vec!["LDAP", "Observed"]);
    for (label, key) in [
        ("Scheme", ldap::SCHEME.key),
        ("Speaks plaintext LDAP", ldap::SPEAKS_PLAINTEXT.key),
        ("Speaks TLS first", ldap::SPEAKS_TLS.key),
        ("Vendor", ldap::ROOT_DSE_VENDOR.key),
        (
            "StartTLS advertised",
            ldap::ROOT_DSE_STARTTLS_ADVERTISED.key,
        ),
        ("SASL mechanisms", ldap::ROOT_DSE_SASL_MECHANISMS.key),
        ("StartTLS accepted", ldap::STARTTLS_ACCEPTED.key),
        ("StartTLS refusal code", ldap::STARTTLS_RESULT_CODE.key),
        (
            "Dummy bind in the clear: result code",
            ldap::CLEARTEXT_BIND_RESULT_CODE.key,
        ),
        ("Cleartext bind refused", ldap::CLEARTEXT_BIND_REFUSED.key),
        ("Anonymous bind allowed", ldap::ANONYMOUS_BIND_ALLOWED.key),
    ] {
        if let Some(v) = value(ev, s, key) {
            t.add_row(vec![label.to_owned(), show(Some(v))]);
        }
    }
    // With several certificates, each worst-of fact above may describe another one; the
    // list names every certificate served.
    if let Some(FactValue::StrList(served)) = value(ev, s, tls::CERTS_SERVED.key) {
        t.add_row(vec!["Certificates served".to_owned(), served.join("\n")]);
    }
    writeln!(out, "{t}")
}
