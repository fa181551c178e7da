//! One chain-and-host-name assessment and one set of certificate facts for every probe.
//!
//! [`assess_chain`] judges a chain a recording verifier captured: rustls-webpki builds it
//! to the trust store (signatures, dates, key usage), rustls' server-name check matches
//! the leaf against the host name or address probed (RFC 6125: subjectAltName only, a
//! `*.` wildcard for one left-most label, IP addresses against IP SANs), and x509-parser
//! reads the leaf's fields. [`served_facts`] turns the certificates an endpoint serves
//! (one per key type) into the `tls.cert.*` facts, each the worst across them, and the
//! `tls.certs.served` list that names every one.
//!
//! What does not belong here: capturing chains (the probes' connections with
//! [`super::recording_config`]) and judging the facts (`checks/`).

use rustls::RootCertStore;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use serde::Serialize;
use sha2::Digest;
use std::sync::Arc;
use x509_parser::prelude::*;

/// What the probe learnt about the certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CertificateReport {
    pub subject: String,
    pub issuer: String,
    /// `RSA`, `EC`, `Ed25519`, `DSA`, or the key algorithm's OID.
    pub key_type: String,
    pub key_bits: u32,
    /// The named curve of an EC key (`P-256`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub curve: Option<String>,
    pub signature_algorithm: String,
    /// `MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`, or `unknown`.
    pub signature_hash: String,
    pub not_before: String,
    pub not_after: String,
    pub days_to_expiry: i64,
    pub lifetime_days: i64,
    pub subject_alt_names: Vec<String>,
    /// Whether the certificate names the host (SNI or address) that was probed.
    pub hostname_match: Option<bool>,
    /// Whether the chain builds to a trusted root with valid signatures and dates.
    pub chain_valid: Option<bool>,
    /// Why validation failed, as rustls-webpki put it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validation_error: Option<String>,
    pub eku_server_auth: bool,
    pub ocsp_urls: Vec<String>,
    pub ca_issuer_urls: Vec<String>,
    pub chain_length: usize,
    /// Each certificate is issued by the next one.
    pub chain_in_order: bool,
    pub sha256: String,
    /// Where the chain came from: `rustls` (a full TLS 1.2/1.3 handshake) or `handshake`
    /// (the raw Certificate message of a legacy-version hello).
    pub source: String,
}

impl CertificateReport {
    /// The certificate facts of an endpoint serving this one certificate.
    pub fn facts(
        &self,
        maker: &crate::evidence::FactMaker,
        src: &str,
    ) -> Vec<crate::evidence::Fact> {
        served_facts(std::slice::from_ref(self), &[], maker, src)
    }

    /// Whether it validates: a trusted chain and the host name or address probed.
    pub fn valid(&self) -> Option<bool> {
        match (self.chain_valid, self.hostname_match) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    }

    /// Names the certificate for messages: `the RSA certificate CN=x, not after …`.
    pub fn label(&self) -> String {
        format!(
            "the {} certificate {}, not after {}",
            self.key_type, self.subject, self.not_after
        )
    }

    /// One line of `tls.certs.served`: key, subject, expiry and the verdict.
    pub fn served_entry(&self) -> String {
        let key = match &self.curve {
            Some(c) => format!("{} {c}", self.key_type),
            None => format!("{} {} bits", self.key_type, self.key_bits),
        };
        let verdict = match (self.chain_valid, self.hostname_match) {
            (Some(true), Some(true)) => "valid".to_owned(),
            (Some(false), _) => format!(
                "chain does not validate: {}",
                self.validation_error.as_deref().unwrap_or("unknown reason")
            ),
            (_, Some(false)) => "not valid for the host name probed".to_owned(),
            _ => "validity unknown".to_owned(),
        };
        format!(
            "{key}, {}, not after {}, SHA-256 {}: {verdict}",
            self.subject, self.not_after, self.sha256
        )
    }

    /// Bits of security of the key (NIST SP 800-57 Part 1 Table 2), to find the weakest.
    fn security_bits(&self) -> u32 {
        match self.key_type.as_str() {
            "RSA" | "DSA" => match self.key_bits {
                b if b >= 15360 => 256,
                b if b >= 7680 => 192,
                b if b >= 3072 => 128,
                b if b >= 2048 => 112,
                b if b >= 1024 => 80,
                _ => 0,
            },
            "EC" => self.key_bits / 2,
            "Ed25519" => 128,
            "Ed448" => 224,
            _ => 0,
        }
    }
}

/// Hash strength order: MD5, SHA-1, unknown, SHA-224, then stronger.
fn hash_rank(h: &str) -> u8 {
    match h {
        "MD5" => 0,
        "SHA-1" => 1,
        "SHA-224" => 3,
        "SHA-256" => 4,
        "SHA-384" => 5,
        "SHA-512" | "SHAKE256" => 6,
        _ => 2,
    }
}

/// The certificate facts of an endpoint that serves `certs` (the first is the one a client
/// offering every signature scheme gets; the others one per further key type), on the
/// maker's subject. Each `tls.cert.*` verdict fact is the worst across them — fewest days
/// to expiry (with that certificate's not-after), chain valid and host name matching only
/// if every one does, the weakest key (type and bits of the same certificate), the weakest
/// signature hash, the longest lifetime, an extension present only if every one has it —
/// and, when there are several, its provenance names the certificate that decided it.
/// Subject, issuer, names and fingerprint describe the first. `tls.certs.served` lists
/// them all.
///
/// `unreadable` names certificates that were served but could not be read (or key types
/// whose probe could not finish): then only `tls.certs.served` is emitted, never a
/// verdict fact that could pass without them.
pub fn served_facts(
    certs: &[CertificateReport],
    unreadable: &[String],
    maker: &crate::evidence::FactMaker,
    src: &str,
) -> Vec<crate::evidence::Fact> {
    use crate::catalogue::tls as cat;
    use crate::evidence::FactValue::{Bool, Int, Str, StrList};
    let mut out = Vec::new();
    if certs.is_empty() && unreadable.is_empty() {
        return out;
    }
    let mut served: Vec<String> = certs.iter().map(CertificateReport::served_entry).collect();
    served.extend(unreadable.iter().map(|u| format!("unreadable: {u}")));
    out.push(maker.put(&cat::CERTS_SERVED, StrList(served), src));
    if !unreadable.is_empty() || certs.is_empty() {
        return out;
    }
    let several = certs.len() > 1;
    let mut put = |spec: &crate::catalogue::FactSpec, v, by: &CertificateReport| {
        let mut f = maker.put(spec, v, src);
        if several {
            f.provenance.about = Some(by.label());
        }
        out.push(f);
    };
    let first = &certs[0];
    let worst = |key: &dyn Fn(&CertificateReport) -> i64| {
        certs.iter().min_by_key(|c| key(c)).unwrap_or(first)
    };
    // A boolean property: the first certificate where it is false, else the first.
    let failing =
        |p: &dyn Fn(&CertificateReport) -> bool| certs.iter().find(|c| !p(c)).unwrap_or(first);
    put(&cat::CERT_SUBJECT, Str(first.subject.clone()), first);
    put(&cat::CERT_ISSUER, Str(first.issuer.clone()), first);
    put(
        &cat::CERT_SUBJECT_ALT_NAMES,
        StrList(first.subject_alt_names.clone()),
        first,
    );
    put(&cat::CERT_SHA256, Str(first.sha256.clone()), first);

    let expiring = worst(&|c| c.days_to_expiry);
    put(
        &cat::CERT_DAYS_TO_EXPIRY,
        Int(expiring.days_to_expiry),
        expiring,
    );
    put(
        &cat::CERT_NOT_AFTER,
        Str(expiring.not_after.clone()),
        expiring,
    );
    let weakest = worst(&|c| c.security_bits().into());
    put(&cat::CERT_KEY_TYPE, Str(weakest.key_type.clone()), weakest);
    put(&cat::CERT_KEY_BITS, Int(weakest.key_bits.into()), weakest);
    let key_types: Vec<String> = certs.iter().fold(Vec::new(), |mut v, c| {
        if !v.contains(&c.key_type) {
            v.push(c.key_type.clone());
        }
        v
    });
    put(&cat::CERTS_KEY_TYPES, StrList(key_types), first);
    let hash = worst(&|c| hash_rank(&c.signature_hash).into());
    put(
        &cat::CERT_SIGNATURE_ALGORITHM,
        Str(hash.signature_algorithm.clone()),
        hash,
    );
    put(
        &cat::CERT_SIGNATURE_HASH,
        Str(hash.signature_hash.clone()),
        hash,
    );
    let longest = worst(&|c| -c.lifetime_days);
    put(
        &cat::CERT_LIFETIME_DAYS,
        Int(longest.lifetime_days),
        longest,
    );
    for (spec, p) in [
        (
            &cat::CERT_SAN_PRESENT,
            (|c: &CertificateReport| !c.subject_alt_names.is_empty())
                as fn(&CertificateReport) -> bool,
        ),
        (&cat::CERT_EKU_SERVER_AUTH, |c| c.eku_server_auth),
        (&cat::CERT_OCSP_URL_PRESENT, |c| !c.ocsp_urls.is_empty()),
        (&cat::CERT_CA_ISSUERS_PRESENT, |c| {
            !c.ca_issuer_urls.is_empty()
        }),
        (&cat::CERT_CHAIN_IN_ORDER, |c| c.chain_in_order),
    ] {
        let by = failing(&p);
        put(spec, Bool(p(by)), by);
    }
    // Validation verdicts only when every certificate has one.
    if certs.iter().all(|c| c.chain_valid.is_some()) {
        let by = failing(&|c| c.chain_valid == Some(true));
        put(
            &cat::CERT_CHAIN_VALID,
            Bool(by.chain_valid == Some(true)),
            by,
        );
    }
    if certs.iter().all(|c| c.hostname_match.is_some()) {
        let by = failing(&|c| c.hostname_match == Some(true));
        put(
            &cat::CERT_HOSTNAME_MATCH,
            Bool(by.hostname_match == Some(true)),
            by,
        );
    }
    if let Some(by) = certs.iter().find(|c| c.validation_error.is_some()) {
        let e = by.validation_error.clone().unwrap_or_default();
        put(&cat::CERT_VALIDATION_ERROR, Str(e), by);
    }
    out
}

/// Judges a chain (leaf first) for `name`.
pub fn assess_chain(
    chain: &[Vec<u8>],
    name: &ServerName<'static>,
    roots: &Arc<RootCertStore>,
    source: &str,
) -> Option<CertificateReport> {
    let (_, leaf) = X509Certificate::from_der(chain.first()?).ok()?;
    let mut r = CertificateReport {
        source: source.to_owned(),
        chain_length: chain.len(),
        ..Default::default()
    };
    r.subject = leaf.subject().to_string();
    r.issuer = leaf.issuer().to_string();
    let spki = leaf.public_key();
    r.key_type = key_type_name(&spki.algorithm.algorithm.to_id_string()).to_owned();
    r.key_bits = spki.parsed().map(|k| k.key_size() as u32).unwrap_or(0);
    if r.key_type == "EC" {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.as_oid().ok())
            .map(|o| o.to_id_string());
        r.curve = curve.map(|c| curve_name(&c).to_owned());
        if let Some(bits) = r.curve.as_deref().and_then(curve_bits) {
            r.key_bits = bits;
        }
    }
    let sig = leaf.signature_algorithm.algorithm.to_id_string();
    let (sig_name, hash) = signature_algorithm(&sig);
    r.signature_algorithm = sig_name.to_owned();
    r.signature_hash = hash.to_owned();
    let v = leaf.validity();
    let now = ::time::OffsetDateTime::now_utc().unix_timestamp();
    r.not_before = v
        .not_before
        .to_datetime()
        .format(&::time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    r.not_after = v
        .not_after
        .to_datetime()
        .format(&::time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    r.days_to_expiry = (v.not_after.timestamp() - now).div_euclid(86_400);
    r.lifetime_days = (v.not_after.timestamp() - v.not_before.timestamp()).div_euclid(86_400);
    if let Ok(Some(san)) = leaf.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                GeneralName::DNSName(d) => r.subject_alt_names.push((*d).to_owned()),
                GeneralName::IPAddress(ip) => r.subject_alt_names.push(ip_string(ip)),
                _ => {}
            }
        }
    }
    r.eku_server_auth = matches!(leaf.extended_key_usage(), Ok(Some(e)) if e.value.server_auth);
    for ext in leaf.extensions() {
        if let ParsedExtension::AuthorityInfoAccess(aia) = ext.parsed_extension() {
            for d in &aia.accessdescs {
                if let GeneralName::URI(u) = &d.access_location {
                    if d.access_method == x509_parser::oid_registry::OID_PKIX_ACCESS_DESCRIPTOR_OCSP
                    {
                        r.ocsp_urls.push((*u).to_owned());
                    } else if d.access_method
                        == x509_parser::oid_registry::OID_PKIX_ACCESS_DESCRIPTOR_CA_ISSUERS
                    {
                        r.ca_issuer_urls.push((*u).to_owned());
                    }
                }
            }
        }
    }
    let parsed: Vec<X509Certificate<'_>> = chain
        .iter()
        .filter_map(|c| X509Certificate::from_der(c).ok().map(|(_, c)| c))
        .collect();
    r.chain_in_order = parsed.len() == chain.len()
        && parsed
            .windows(2)
            .all(|w| w[0].issuer().as_raw() == w[1].subject().as_raw());
    r.sha256 = sha2::Sha256::digest(&chain[0])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();

    let ders: Vec<CertificateDer<'static>> = chain
        .iter()
        .map(|c| CertificateDer::from(c.clone()))
        .collect();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    if let Ok(verifier) =
        rustls::client::WebPkiServerVerifier::builder_with_provider(roots.clone(), provider).build()
    {
        match verifier.verify_server_cert(&ders[0], &ders[1..], name, &[], UnixTime::now()) {
            Ok(_) => {
                r.chain_valid = Some(true);
                r.hostname_match = Some(true);
            }
            Err(e) => {
                let name_only = matches!(
                    e,
                    rustls::Error::InvalidCertificate(
                        rustls::CertificateError::NotValidForName
                            | rustls::CertificateError::NotValidForNameContext { .. }
                    )
                );
                r.chain_valid = Some(name_only);
                r.validation_error = Some(e.to_string());
            }
        }
    }
    if r.hostname_match.is_none() {
        r.hostname_match = rustls::server::ParsedCertificate::try_from(&ders[0])
            .ok()
            .map(|p| rustls::client::verify_server_name(&p, name).is_ok());
    }
    Some(r)
}

/// The key type of a DER certificate (`RSA`, `EC`, `Ed25519`, …), None if unparseable.
pub fn key_type_of(der: &[u8]) -> Option<String> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    Some(key_type_name(&cert.public_key().algorithm.algorithm.to_id_string()).to_owned())
}

/// Public key algorithms by OID (RFC 3279, 5480, 8410).
fn key_type_name(oid: &str) -> &str {
    match oid {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => "RSA",
        "1.2.840.10045.2.1" => "EC",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.10040.4.1" => "DSA",
        other => other,
    }
}

/// Signature algorithms by OID (RFC 3279, 4055, 5758, 8410): `(name, hash)`.
fn signature_algorithm(oid: &str) -> (&str, &'static str) {
    match oid {
        "1.2.840.113549.1.1.4" => ("md5WithRSAEncryption", "MD5"),
        "1.2.840.113549.1.1.5" => ("sha1WithRSAEncryption", "SHA-1"),
        "1.2.840.113549.1.1.14" => ("sha224WithRSAEncryption", "SHA-224"),
        "1.2.840.113549.1.1.11" => ("sha256WithRSAEncryption", "SHA-256"),
        "1.2.840.113549.1.1.12" => ("sha384WithRSAEncryption", "SHA-384"),
        "1.2.840.113549.1.1.13" => ("sha512WithRSAEncryption", "SHA-512"),
        "1.2.840.113549.1.1.10" => ("RSASSA-PSS", "unknown"),
        "1.2.840.10045.4.1" => ("ecdsa-with-SHA1", "SHA-1"),
        "1.2.840.10045.4.3.1" => ("ecdsa-with-SHA224", "SHA-224"),
        "1.2.840.10045.4.3.2" => ("ecdsa-with-SHA256", "SHA-256"),
        "1.2.840.10045.4.3.3" => ("ecdsa-with-SHA384", "SHA-384"),
        "1.2.840.10045.4.3.4" => ("ecdsa-with-SHA512", "SHA-512"),
        "1.3.101.112" => ("Ed25519", "SHA-512"),
        "1.3.101.113" => ("Ed448", "SHAKE256"),
        "1.2.840.10040.4.3" => ("dsa-with-sha1", "SHA-1"),
        "2.16.840.1.101.3.4.3.2" => ("dsa-with-sha256", "SHA-256"),
        other => (other, "unknown"),
    }
}

/// Named curves by OID (RFC 5480, RFC 5639).
fn curve_name(oid: &str) -> &str {
    match oid {
        "1.2.840.10045.3.1.7" => "P-256",
        "1.3.132.0.34" => "P-384",
        "1.3.132.0.35" => "P-521",
        "1.3.132.0.10" => "secp256k1",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        "1.3.36.3.3.2.8.1.1.13" => "brainpoolP512r1",
        other => other,
    }
}

fn curve_bits(name: &str) -> Option<u32> {
    match name {
        "P-256" | "secp256k1" | "brainpoolP256r1" => Some(256),
        "P-384" | "brainpoolP384r1" => Some(384),
        "P-521" => Some(521),
        "brainpoolP512r1" => Some(512),
        _ => None,
    }
}

fn ip_string(b: &[u8]) -> String {
    match b.len() {
        4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => b.iter().map(|x| format!("{x:02x}")).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(key_type: &str, bits: u32, days: i64, valid: bool) -> CertificateReport {
        CertificateReport {
            subject: format!("CN={key_type}"),
            key_type: key_type.into(),
            key_bits: bits,
            signature_hash: "SHA-256".into(),
            not_after: format!("in {days} days"),
            days_to_expiry: days,
            lifetime_days: 90,
            subject_alt_names: vec!["localhost".into()],
            chain_valid: Some(valid),
            hostname_match: Some(true),
            validation_error: (!valid).then(|| "expired".to_owned()),
            eku_server_auth: true,
            sha256: format!("{key_type}{bits}"),
            ..Default::default()
        }
    }

    fn facts_of(
        certs: &[CertificateReport],
        unreadable: &[String],
    ) -> std::collections::BTreeMap<String, crate::evidence::Fact> {
        let maker = crate::evidence::FactMaker::new("tls", Some("tls://h:443".into()));
        served_facts(certs, unreadable, &maker, "tls://h:443")
            .into_iter()
            .map(|f| (f.key.as_str().to_owned(), f))
            .collect()
    }

    #[test]
    fn each_certificate_fact_is_the_worst_and_names_its_certificate() {
        use crate::evidence::FactValue::{Bool, Int, Str, StrList};
        let ec = cert("EC", 256, 200, true);
        let rsa = cert("RSA", 2048, -10, false);
        let f = facts_of(&[ec.clone(), rsa.clone()], &[]);
        assert_eq!(f["tls.cert.days-to-expiry"].value, Int(-10));
        assert_eq!(
            f["tls.cert.days-to-expiry"].provenance.about.as_deref(),
            Some(rsa.label().as_str())
        );
        assert_eq!(f["tls.cert.not-after"].value, Str("in -10 days".into()));
        assert_eq!(f["tls.cert.chain-valid"].value, Bool(false));
        assert_eq!(f["tls.cert.hostname-match"].value, Bool(true));
        // RSA 2048 (112 bits of security) is weaker than P-256 (128).
        assert_eq!(f["tls.cert.key-type"].value, Str("RSA".into()));
        assert_eq!(f["tls.cert.key-bits"].value, Int(2048));
        assert_eq!(
            f["tls.certs.key-types"].value,
            StrList(vec!["EC".into(), "RSA".into()])
        );
        // Descriptive facts are the default (first) certificate's.
        assert_eq!(f["tls.cert.subject"].value, Str("CN=EC".into()));
        let StrList(served) = &f["tls.certs.served"].value else {
            panic!("served is a list");
        };
        assert_eq!(served.len(), 2);
        assert!(
            served[1].contains("chain does not validate: expired"),
            "{served:?}"
        );
        // One certificate: the facts carry no `about`.
        let one = facts_of(&[ec], &[]);
        assert!(one.values().all(|f| f.provenance.about.is_none()));
        assert_eq!(one["tls.cert.days-to-expiry"].value, Int(200));
    }

    #[test]
    fn an_unreadable_certificate_withholds_every_verdict() {
        let f = facts_of(
            &[cert("EC", 256, 200, true)],
            &["whether the server has an RSA certificate could not be told".into()],
        );
        assert_eq!(f.len(), 1, "{:?}", f.keys());
        assert!(f.contains_key("tls.certs.served"));
        assert!(facts_of(&[], &[]).is_empty());
    }

    #[test]
    fn signature_table_names_hashes() {
        assert_eq!(signature_algorithm("1.2.840.113549.1.1.5").1, "SHA-1");
        assert_eq!(signature_algorithm("1.2.840.10045.4.3.2").1, "SHA-256");
        assert_eq!(signature_algorithm("1.2.3").1, "unknown");
        assert_eq!(ip_string(&[127, 0, 0, 1]), "127.0.0.1");
    }
}
