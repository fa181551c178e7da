//! TLS probe: hand-written ClientHellos enumerate protocol versions, cipher suites and
//! groups over the whole IANA registry; rustls makes the real connection that captures
//! and validates the certificate chain; the site URL also gets its HTTP hygiene (HSTS,
//! port-80 redirect) checked. The same enumeration runs after an LDAP StartTLS or a
//! PostgreSQL SSLRequest upgrade.
//!
//! Modules: [`suites`], [`groups`] and [`version`] are the protocol tables; [`hello`]
//! writes ClientHellos; [`reader`] reads replies; [`connection`] runs one exchange;
//! [`enumerate`] drives the chains; [`certificate`] and [`http`] do the rest;
//! [`starttls`] upgrades plaintext protocols. What does not belong here: judging
//! (checks in `checks/tls/`) and rendering (`report::tls`).

use super::{FactSpec, ProbeInfo};
use crate::evidence::{AttemptOutcome, Evidence, Fact, FactMaker, FactType, FactValue};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use thiserror::Error;

pub mod certificate;
pub mod connection;
pub mod enumerate;
pub mod groups;
pub mod hello;
pub mod http;
pub mod reader;
pub mod starttls;
pub mod suites;
pub mod version;

pub use certificate::CertificateReport;
pub use http::HttpHygiene;
pub use version::Version;

/// The registry entry.
pub const PROBE: ProbeInfo = ProbeInfo {
    id: "tls",
    description: "TLS protocol, cipher-suite, group and certificate assessment of an endpoint",
    per_endpoint: true,
    facts,
};

/// The default per-endpoint timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// How the connection becomes one that expects a ClientHello.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Upgrade {
    /// Implicit TLS.
    #[default]
    None,
    /// LDAP StartTLS extended operation (RFC 4511 §4.14).
    LdapStartTls,
    /// PostgreSQL SSLRequest.
    PostgresSslRequest,
}

/// What to assess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsTarget {
    pub host: String,
    pub port: u16,
    /// server_name to send; `None` sends the host when it is a name (never an address).
    pub sni: Option<String>,
    pub upgrade: Upgrade,
    /// Extra trust anchors (a private CA), added to the Mozilla and system roots.
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

impl TlsTarget {
    /// `host:port` with defaults: SNI from the host name, no upgrade, no CA file, 10 s.
    pub fn new(host: impl Into<String>, port: u16) -> Self {
        Self {
            host: host.into(),
            port,
            sni: None,
            upgrade: Upgrade::None,
            ca_file: None,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The server name to send and to check the certificate against.
    pub fn effective_sni(&self) -> Option<String> {
        match &self.sni {
            Some(s) => Some(s.clone()),
            None if self
                .host
                .trim_matches(['[', ']'])
                .parse::<std::net::IpAddr>()
                .is_ok() =>
            {
                None
            }
            None => Some(self.host.clone()),
        }
    }

    /// `host:port` (IPv6 addresses bracketed).
    pub fn endpoint(&self) -> String {
        if self.host.contains(':') && !self.host.starts_with('[') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// Why an endpoint could not be assessed. Every message names the endpoint.
#[derive(Debug, Error)]
pub enum TlsError {
    #[error("cannot resolve {host}: {reason}")]
    Resolve { host: String, reason: String },
    #[error("{endpoint}: {reason}")]
    Unreachable { endpoint: String, reason: String },
    #[error(
        "{endpoint}: no protocol version accepted (the server answered every hello with {answer})"
    )]
    NoProtocol { endpoint: String, answer: String },
    #[error("{0}")]
    CaFile(String),
    #[error("{endpoint}: {reason}")]
    BadTarget { endpoint: String, reason: String },
}

/// One protocol version's result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProtocolResult {
    pub accepted: bool,
    /// IANA names; in the server's order when it imposes one.
    pub cipher_suites: Vec<String>,
    /// Whether the server imposes its own order (absent: fewer than two suites, or unclear).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_order: Option<bool>,
    /// Why this version could not be determined (then `accepted` is not evidence).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Results per version, in a fixed order, keyed by version name in JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Protocols {
    #[serde(rename = "SSLv2")]
    pub ssl2: ProtocolResult,
    #[serde(rename = "SSLv3")]
    pub ssl3: ProtocolResult,
    #[serde(rename = "TLSv1.0")]
    pub tls1_0: ProtocolResult,
    #[serde(rename = "TLSv1.1")]
    pub tls1_1: ProtocolResult,
    #[serde(rename = "TLSv1.2")]
    pub tls1_2: ProtocolResult,
    #[serde(rename = "TLSv1.3")]
    pub tls1_3: ProtocolResult,
}

impl Protocols {
    /// The result for `v`.
    pub fn get(&self, v: Version) -> &ProtocolResult {
        match v {
            Version::Ssl2 => &self.ssl2,
            Version::Ssl3 => &self.ssl3,
            Version::Tls10 => &self.tls1_0,
            Version::Tls11 => &self.tls1_1,
            Version::Tls12 => &self.tls1_2,
            Version::Tls13 => &self.tls1_3,
        }
    }

    fn get_mut(&mut self, v: Version) -> &mut ProtocolResult {
        match v {
            Version::Ssl2 => &mut self.ssl2,
            Version::Ssl3 => &mut self.ssl3,
            Version::Tls10 => &mut self.tls1_0,
            Version::Tls11 => &mut self.tls1_1,
            Version::Tls12 => &mut self.tls1_2,
            Version::Tls13 => &mut self.tls1_3,
        }
    }
}

/// The assessment of one endpoint: the JSON of `safeguard tls` (see `docs/json-report.md`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TlsAssessment {
    /// `host:port` as given.
    pub target: String,
    /// The address connected to.
    pub address: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sni: Option<String>,
    pub upgrade: Upgrade,
    pub protocols: Protocols,
    /// Groups accepted (TLS 1.3 HelloRetryRequest or TLS 1.2 ECDHE), by IANA name.
    pub groups: Vec<String>,
    /// Smallest finite-field DH modulus seen in a DHE ServerKeyExchange.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dhe_min_bits: Option<u32>,
    pub secure_renegotiation: Option<bool>,
    pub extended_master_secret: Option<bool>,
    pub compression: Option<bool>,
    pub fallback_scsv: Option<bool>,
    pub ocsp_stapling: Option<bool>,
    pub certificate: Option<CertificateReport>,
    /// Present only for the site URL (`collect_site`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpHygiene>,
    /// Connections (handshakes) the assessment used.
    pub handshakes: usize,
    pub duration_ms: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl TlsAssessment {
    /// Accepted suites of every version, IANA names, without duplicates.
    pub fn accepted_suites(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in Version::ALL {
            for s in &self.protocols.get(v).cipher_suites {
                if !out.contains(s) {
                    out.push(s.clone());
                }
            }
        }
        out
    }

    fn suites_where(&self, pred: impl Fn(&suites::Suite) -> bool) -> Vec<String> {
        self.accepted_suites()
            .into_iter()
            .filter(|n| suites::by_name(n).is_some_and(&pred))
            .collect()
    }

    /// The facts this assessment establishes (nothing that was not determined).
    pub fn facts(&self, maker: &crate::evidence::FactMaker) -> Vec<crate::evidence::Fact> {
        let src = format!("tls://{}", self.target);
        let mut out: Vec<Fact> = Vec::new();
        let mut put = |key: &str, value: FactValue| out.push(maker.fact(key, value, src.clone()));
        let mut accepted = Vec::new();
        let mut all_determined = true;
        for v in Version::ALL {
            let p = self.protocols.get(v);
            if p.error.is_some() {
                all_determined = false;
                continue;
            }
            put(
                &format!("tls.protocol.{}.accepted", v.key()),
                FactValue::Bool(p.accepted),
            );
            if p.accepted {
                accepted.push(v.name().to_owned());
            }
        }
        if all_determined {
            put("tls.protocols.accepted", FactValue::StrList(accepted));
            put(
                "tls.suites.accepted",
                FactValue::StrList(self.accepted_suites()),
            );
            put(
                "tls.suites.weak",
                FactValue::StrList(self.suites_where(|s| s.is_weak())),
            );
            put(
                "tls.suites.not-forward-secret",
                FactValue::StrList(self.suites_where(|s| !s.is_forward_secret())),
            );
            put(
                "tls.suites.cbc",
                FactValue::StrList(self.suites_where(|s| s.is_cbc())),
            );
            put(
                "tls.suites.anonymous",
                FactValue::StrList(self.suites_where(|s| s.is_anonymous())),
            );
            put(
                "tls.suites.tls1_2",
                FactValue::StrList(self.protocols.tls1_2.cipher_suites.clone()),
            );
            put(
                "tls.suites.tls1_3",
                FactValue::StrList(self.protocols.tls1_3.cipher_suites.clone()),
            );
        }
        let best = Version::ALL
            .iter()
            .rev()
            .map(|v| self.protocols.get(*v))
            .find(|p| p.accepted);
        if let Some(order) = best.and_then(|p| p.server_order) {
            put("tls.server-cipher-order", FactValue::Bool(order));
        }
        if !self.groups.is_empty() {
            put(
                "tls.groups.accepted",
                FactValue::StrList(self.groups.clone()),
            );
            put(
                "tls.groups.pq-hybrid",
                FactValue::Bool(self.groups.iter().any(|g| g == "X25519MLKEM768")),
            );
        }
        if let Some(bits) = self.dhe_min_bits {
            put("tls.dhe.min-bits", FactValue::Int(bits.into()));
        }
        for (key, v) in [
            ("tls.secure-renegotiation", self.secure_renegotiation),
            ("tls.extended-master-secret", self.extended_master_secret),
            ("tls.compression", self.compression),
            ("tls.fallback-scsv", self.fallback_scsv),
            ("tls.ocsp-stapling", self.ocsp_stapling),
        ] {
            if let Some(b) = v {
                put(key, FactValue::Bool(b));
            }
        }
        if let Some(c) = &self.certificate {
            put("tls.cert.key-type", FactValue::Str(c.key_type.clone()));
            put("tls.cert.key-bits", FactValue::Int(c.key_bits.into()));
            put(
                "tls.cert.signature-algorithm",
                FactValue::Str(c.signature_algorithm.clone()),
            );
            put(
                "tls.cert.signature-hash",
                FactValue::Str(c.signature_hash.clone()),
            );
            put("tls.cert.days-to-expiry", FactValue::Int(c.days_to_expiry));
            put("tls.cert.lifetime-days", FactValue::Int(c.lifetime_days));
            put(
                "tls.cert.san-present",
                FactValue::Bool(!c.subject_alt_names.is_empty()),
            );
            put(
                "tls.cert.eku-server-auth",
                FactValue::Bool(c.eku_server_auth),
            );
            put(
                "tls.cert.ocsp-url-present",
                FactValue::Bool(!c.ocsp_urls.is_empty()),
            );
            put(
                "tls.cert.ca-issuers-present",
                FactValue::Bool(!c.ca_issuer_urls.is_empty()),
            );
            put("tls.cert.chain-in-order", FactValue::Bool(c.chain_in_order));
            if let Some(v) = c.chain_valid {
                put("tls.cert.chain-valid", FactValue::Bool(v));
            }
            if let Some(v) = c.hostname_match {
                put("tls.cert.hostname-match", FactValue::Bool(v));
            }
        }
        if let Some(h) = &self.http {
            if let Some(age) = h.hsts_max_age {
                put("http.hsts.max-age", FactValue::Int(age));
            }
            if let Some(b) = h.hsts_include_subdomains {
                put("http.hsts.include-subdomains", FactValue::Bool(b));
            }
            if let Some(b) = h.port80_open {
                put("http.port80.open", FactValue::Bool(b));
            }
            if let Some(b) = h.port80_redirects_to_https {
                put("http.port80.redirects-to-https", FactValue::Bool(b));
            }
        }
        out
    }
}

/// Assesses one endpoint: enumeration, certificate, and the derived properties.
pub async fn assess(target: &TlsTarget) -> Result<TlsAssessment, TlsError> {
    assess_with(target, None).await
}

async fn assess_with(
    target: &TlsTarget,
    http_get: Option<(&str, &str)>,
) -> Result<TlsAssessment, TlsError> {
    let started = Instant::now();
    let endpoint = target.endpoint();
    let roots =
        Arc::new(certificate::load_roots(target.ca_file.as_deref()).map_err(TlsError::CaFile)?);
    let host = target.host.trim_matches(['[', ']']).to_owned();
    let addr = tokio::time::timeout(
        target.timeout,
        tokio::net::lookup_host((host.as_str(), target.port)),
    )
    .await
    .map_err(|_| TlsError::Resolve {
        host: host.clone(),
        reason: "timed out".into(),
    })?
    .map_err(|e| TlsError::Resolve {
        host: host.clone(),
        reason: e.to_string(),
    })?
    .next()
    .ok_or_else(|| TlsError::Resolve {
        host: host.clone(),
        reason: "no address".into(),
    })?;
    let sni = target.effective_sni();
    let server_name =
        rustls::pki_types::ServerName::try_from(sni.clone().unwrap_or_else(|| host.clone()))
            .map_err(|e| TlsError::BadTarget {
                endpoint: endpoint.clone(),
                reason: format!("invalid server name: {e}"),
            })?;
    let ep = connection::Endpoint::new(addr, target.upgrade, target.timeout);

    // One hello first: a dead, silent or non-TLS endpoint is reported now, in one timeout.
    let seed = match enumerate::first_contact(&ep, sni.as_deref()).await {
        Ok(r) => Some(r),
        Err(e) if e.is_refusal() => None,
        Err(e) => {
            return Err(TlsError::Unreachable {
                endpoint,
                reason: e.to_string(),
            });
        }
    };
    let first_answer = match &seed {
        Some(reader::Reply::Alert { description, .. }) => {
            format!("a {} alert", reader::alert::name(*description))
        }
        Some(reader::Reply::Closed) => "a closed connection".to_owned(),
        _ => "a reset".to_owned(),
    };
    let (found, captured) = tokio::join!(
        enumerate::enumerate(&ep, sni.as_deref(), seed),
        certificate::capture(&ep, server_name.clone(), http_get)
    );

    let mut a = TlsAssessment {
        target: endpoint.clone(),
        address: addr.to_string(),
        sni: sni.clone(),
        upgrade: target.upgrade,
        ..Default::default()
    };
    for (v, f) in &found.versions {
        let p = a.protocols.get_mut(*v);
        p.accepted = f.accepted;
        p.cipher_suites = f.suites.iter().map(|s| suites::name_of(*s)).collect();
        p.server_order = f.server_order;
        p.error = f.error.clone();
    }
    if !Version::ALL.iter().any(|v| a.protocols.get(*v).accepted) {
        let reason = Version::ALL
            .iter()
            .find_map(|v| a.protocols.get(*v).error.clone());
        return Err(match reason {
            Some(reason) => TlsError::Unreachable { endpoint, reason },
            None => TlsError::NoProtocol {
                endpoint,
                answer: first_answer,
            },
        });
    }
    a.groups = found.groups.iter().map(|g| groups::name_of(*g)).collect();
    a.dhe_min_bits = found.dhe_min_bits;
    a.secure_renegotiation = found.secure_renegotiation;
    a.extended_master_secret = found.extended_master_secret;
    a.compression = found.compression;
    a.fallback_scsv = found.fallback_scsv;
    a.ocsp_stapling = found.ocsp_stapling;
    a.notes = found.notes;
    match captured {
        Ok(c) => {
            if !c.ocsp.is_empty() {
                a.ocsp_stapling = Some(true);
            } else if a.ocsp_stapling.is_none() {
                a.ocsp_stapling = Some(false);
            }
            a.certificate = certificate::assess_chain(&c.chain, &server_name, &roots, "rustls");
            if let Some(head) = c.http_head {
                let mut h = HttpHygiene::default();
                http::apply_hsts(&mut h, &head);
                a.http = Some(h);
            }
        }
        Err(e) => {
            if !found.chain.is_empty() {
                a.certificate =
                    certificate::assess_chain(&found.chain, &server_name, &roots, "handshake");
            }
            a.notes.push(format!("validated connection: {e}"));
        }
    }
    a.handshakes = ep.handshakes();
    a.duration_ms = started.elapsed().as_millis() as u64;
    Ok(a)
}

/// Never fails: a failure becomes a ProbeAttempt Failed{reason}; success gives facts + a
/// Completed attempt. `subject` is the fact subject.
pub async fn collect(target: &TlsTarget, subject: &str) -> Evidence {
    let maker = FactMaker::new(PROBE.id, Some(subject.to_owned()));
    evidence_of(&maker, assess(target).await)
}

fn evidence_of(maker: &FactMaker, result: Result<TlsAssessment, TlsError>) -> Evidence {
    let mut ev = Evidence::default();
    match result {
        Ok(a) => {
            for f in a.facts(maker) {
                ev.insert(f);
            }
            let mut attempt = maker.attempt(AttemptOutcome::Completed);
            attempt.notes = a.notes.clone();
            attempt.notes.push(format!(
                "{} handshakes in {} ms",
                a.handshakes, a.duration_ms
            ));
            ev.attempts.push(attempt);
        }
        Err(e) => ev.attempts.push(maker.attempt(AttemptOutcome::Failed {
            reason: e.to_string(),
        })),
    }
    ev
}

/// For `scan --url`: TLS assessment of the site URL's host:port plus HTTP hygiene (HSTS,
/// port-80 redirect), subject = the URL's origin, e.g. "https://mm.example.com:443".
pub async fn collect_site(url: &url::Url, ca_file: Option<&Path>, timeout: Duration) -> Evidence {
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let subject = format!("{}://{}:{}", url.scheme(), host, port);
    let maker = FactMaker::new(PROBE.id, Some(subject));
    let site_fact = maker.fact(
        "http.site-url",
        FactValue::Str(url.to_string()),
        url.to_string(),
    );
    if url.scheme() != "https" || host.is_empty() {
        let mut ev = Evidence::default();
        ev.attempts.push(maker.attempt(AttemptOutcome::Failed {
            reason: format!(
                "site URL {url} is not an https:// URL with a host, so there is no TLS to assess"
            ),
        }));
        return ev;
    }
    let mut target = TlsTarget::new(host.clone(), port);
    target.ca_file = ca_file.map(Path::to_path_buf);
    target.timeout = timeout;
    let host_header = if port == 443 {
        host.clone()
    } else {
        format!("{host}:{port}")
    };
    let path = if url.path().is_empty() {
        "/"
    } else {
        url.path()
    };
    let (result, port80) = tokio::join!(assess_with(&target, Some((&host_header, path))), async {
        let mut h = HttpHygiene::default();
        http::port80(
            &mut h,
            host.trim_matches(['[', ']']),
            timeout.min(Duration::from_secs(5)),
        )
        .await;
        h
    });
    let result = result.map(|mut a| {
        let mut h = a.http.take().unwrap_or_default();
        h.port80_open = port80.port80_open;
        h.port80_redirects_to_https = port80.port80_redirects_to_https;
        h.port80_location = port80.port80_location;
        a.http = Some(h);
        a
    });
    let mut ev = evidence_of(&maker, result);
    // Marks the subject as a site URL (so HTTP checks apply to it, and report an error
    // rather than not-applicable when its probe failed).
    ev.insert(site_fact);
    ev
}

fn facts() -> Vec<FactSpec> {
    use FactType::{Bool, Int, Str, StrList};
    let mut v = vec![
        FactSpec::new(
            "tls.protocols.accepted",
            StrList,
            "Protocol versions the endpoint accepts (SSLv2 … TLSv1.3)",
        ),
        FactSpec::new(
            "tls.suites.accepted",
            StrList,
            "Cipher suites accepted in any version (IANA names)",
        ),
        FactSpec::new(
            "tls.suites.tls1_2",
            StrList,
            "Cipher suites accepted with TLS 1.2 (IANA names)",
        ),
        FactSpec::new(
            "tls.suites.tls1_3",
            StrList,
            "Cipher suites accepted with TLS 1.3 (IANA names)",
        ),
        FactSpec::new(
            "tls.suites.weak",
            StrList,
            "Accepted suites that are NULL, EXPORT, anonymous, RC4, RC2, DES, 3DES, IDEA or MD5",
        ),
        FactSpec::new(
            "tls.suites.not-forward-secret",
            StrList,
            "Accepted suites without an ephemeral key exchange",
        ),
        FactSpec::new(
            "tls.suites.cbc",
            StrList,
            "Accepted suites using a CBC-mode cipher",
        ),
        FactSpec::new(
            "tls.suites.anonymous",
            StrList,
            "Accepted suites without server authentication",
        ),
        FactSpec::new(
            "tls.server-cipher-order",
            Bool,
            "The server imposes its own suite order (best version)",
        ),
        FactSpec::new(
            "tls.groups.accepted",
            StrList,
            "Key-exchange groups accepted (TLS 1.3, else TLS 1.2 ECDHE)",
        ),
        FactSpec::new(
            "tls.groups.pq-hybrid",
            Bool,
            "The post-quantum hybrid X25519MLKEM768 is accepted",
        ),
        FactSpec::new(
            "tls.dhe.min-bits",
            Int,
            "Smallest DHE modulus (bits) seen; absent when no DHE suite is accepted",
        ),
        FactSpec::new(
            "tls.secure-renegotiation",
            Bool,
            "RFC 5746 renegotiation_info is supported (or TLS 1.3 only)",
        ),
        FactSpec::new(
            "tls.extended-master-secret",
            Bool,
            "RFC 7627 extended_master_secret is supported (or TLS 1.3 only)",
        ),
        FactSpec::new(
            "tls.compression",
            Bool,
            "The server accepts TLS compression (CRIME)",
        ),
        FactSpec::new(
            "tls.fallback-scsv",
            Bool,
            "The server refuses a downgraded hello carrying TLS_FALLBACK_SCSV (RFC 7507)",
        ),
        FactSpec::new(
            "tls.ocsp-stapling",
            Bool,
            "The server staples an OCSP response (status_request)",
        ),
        FactSpec::new(
            "tls.cert.key-type",
            Str,
            "Leaf certificate key type: RSA, EC, Ed25519, DSA",
        ),
        FactSpec::new(
            "tls.cert.key-bits",
            Int,
            "Leaf key size in bits (RSA modulus, EC field)",
        ),
        FactSpec::new(
            "tls.cert.signature-algorithm",
            Str,
            "Leaf signature algorithm (sha256WithRSAEncryption, …)",
        ),
        FactSpec::new(
            "tls.cert.signature-hash",
            Str,
            "Hash of the leaf signature: MD5, SHA-1, SHA-256, SHA-384, SHA-512",
        ),
        FactSpec::new(
            "tls.cert.days-to-expiry",
            Int,
            "Whole days until the leaf expires (negative once expired)",
        ),
        FactSpec::new(
            "tls.cert.lifetime-days",
            Int,
            "Leaf validity period in days",
        ),
        FactSpec::new(
            "tls.cert.san-present",
            Bool,
            "The leaf has a subjectAltName",
        ),
        FactSpec::new(
            "tls.cert.eku-server-auth",
            Bool,
            "The leaf's extendedKeyUsage includes id-kp-serverAuth",
        ),
        FactSpec::new(
            "tls.cert.ocsp-url-present",
            Bool,
            "The leaf's AIA names an OCSP responder",
        ),
        FactSpec::new(
            "tls.cert.ca-issuers-present",
            Bool,
            "The leaf's AIA names the issuer's certificate (caIssuers)",
        ),
        FactSpec::new(
            "tls.cert.chain-in-order",
            Bool,
            "Each certificate sent is issued by the next",
        ),
        FactSpec::new(
            "tls.cert.chain-valid",
            Bool,
            "The chain builds to a trusted root with valid signatures and dates",
        ),
        FactSpec::new(
            "tls.cert.hostname-match",
            Bool,
            "The leaf is valid for the host name (or address) probed",
        ),
        FactSpec::new(
            "http.site-url",
            Str,
            "The site URL this subject was probed as (present only for site URLs)",
        ),
        FactSpec::new(
            "http.hsts.max-age",
            Int,
            "Strict-Transport-Security max-age of the site URL (0 when absent)",
        ),
        FactSpec::new(
            "http.hsts.include-subdomains",
            Bool,
            "The HSTS header has includeSubDomains",
        ),
        FactSpec::new(
            "http.port80.open",
            Bool,
            "Port 80 of the site host accepts connections",
        ),
        FactSpec::new(
            "http.port80.redirects-to-https",
            Bool,
            "Plain HTTP on port 80 redirects to an https:// URL",
        ),
    ];
    for key in [
        "tls.protocol.ssl2.accepted",
        "tls.protocol.ssl3.accepted",
        "tls.protocol.tls1_0.accepted",
        "tls.protocol.tls1_1.accepted",
        "tls.protocol.tls1_2.accepted",
        "tls.protocol.tls1_3.accepted",
    ] {
        v.push(FactSpec::new(
            key,
            Bool,
            "Whether the endpoint accepts this protocol version",
        ));
    }
    v
}
