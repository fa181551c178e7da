//! TLS probe: hand-written ClientHellos enumerate protocol versions, cipher suites and
//! groups over the whole IANA registry; rustls makes the real connection that captures
//! and validates the certificate chain. The same enumeration runs after an LDAP StartTLS
//! or a PostgreSQL SSLRequest upgrade. (HTTP hygiene of a site is the `http` probe's.)
//!
//! Modules: [`suites`], [`groups`] and [`version`] are the protocol tables; [`hello`]
//! writes ClientHellos; [`reader`] reads replies; [`connection`] runs one exchange;
//! [`enumerate`] drives the chains; [`certificate`] captures the chain (judged by `probe::trust`);
//! [`starttls`] upgrades plaintext protocols. What does not belong here: judging
//! (checks in `checks/tls/`) and rendering (`report::tls`).

use crate::evidence::{AttemptOutcome, Evidence, Fact, FactMaker, FactValue};
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use thiserror::Error;

pub mod ccs;
pub mod certificate;
pub mod connection;
pub mod enumerate;
pub mod groups;
pub mod heartbleed;
pub mod hello;
pub mod hops;
pub mod ocsp;
pub mod reader;
pub mod renegotiation;
pub mod robot;
pub mod starttls;
pub mod suites;
pub mod version;

pub use certificate::CertificateReport;
pub use version::Version;

/// The probe id, in provenance and attempts.
pub const ID: &str = "tls";

/// The registry entry: every site URL and every bare TLS endpoint of the scan.
#[derive(Debug)]
pub struct TlsProbe;

impl super::Probe for TlsProbe {
    fn about(&self) -> &'static super::About {
        const ABOUT: super::About = super::About {
            id: ID,
            description: "TLS protocol, cipher-suite, group and certificate assessment of an endpoint",
            phase: super::Phase::Endpoints,
            families: &[crate::catalogue::family::TLS],
        };
        &ABOUT
    }
    fn plan(
        &self,
        targets: &[super::Target],
        found: &Evidence,
        ctx: &super::ProbeContext,
    ) -> Vec<super::Job> {
        let mut out: Vec<(String, TlsTarget)> = Vec::new();
        for t in targets {
            if let super::Target::Tls(t) = t {
                let mut t = t.clone();
                t.ca_file = t.ca_file.or_else(|| ctx.ca_file.clone());
                out.push((subject_of(&t), t));
            }
        }
        for url in super::http::site_urls(targets, found, ctx) {
            let mut t = TlsTarget::new(
                url.host_str().unwrap_or_default(),
                url.port_or_known_default().unwrap_or(443),
            );
            t.ca_file = ctx.ca_file.clone();
            t.timeout = ctx.timeout;
            out.push((super::http::site_subject(&url), t));
        }
        if ctx.probe_configured_endpoints {
            for (subject, mut t) in hops::configured_hops(found) {
                if out.iter().any(|(s, _)| *s == subject) {
                    continue;
                }
                t.ca_file = ctx.ca_file.clone();
                t.timeout = ctx.timeout;
                out.push((subject, t));
            }
        }
        out.into_iter()
            .map(|(subject, target)| super::Job {
                probe: ID,
                subject: Some(subject.clone()),
                covers: &[crate::catalogue::family::TLS],
                work: Box::pin(async move { Ok(collect(&target, &subject).await) }),
            })
            .collect()
    }
}

/// The subject of a bare TLS endpoint: `tls://host:port`, or the plaintext protocol's
/// scheme when it is upgraded (`ldap://host:port`, `postgres://host:port`).
pub fn subject_of(t: &TlsTarget) -> String {
    let scheme = match t.upgrade {
        Upgrade::None => "tls",
        Upgrade::LdapStartTls => "ldap",
        Upgrade::PostgresSslRequest => "postgres",
        Upgrade::SmtpStartTls => "smtp",
    };
    format!("{scheme}://{}", t.endpoint())
}

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
    /// SMTP STARTTLS (RFC 3207) after EHLO.
    SmtpStartTls,
}

impl Upgrade {
    /// `none`, `ldap-start-tls`, `postgres-ssl-request`, `smtp-start-tls` (as in the JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::LdapStartTls => "ldap-start-tls",
            Self::PostgresSslRequest => "postgres-ssl-request",
            Self::SmtpStartTls => "smtp-start-tls",
        }
    }
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
    /// The plaintext protocol does not offer the upgrade (an SMTP server without STARTTLS).
    #[error("{endpoint}: {reason}")]
    UpgradeNotOffered {
        endpoint: String,
        upgrade: Upgrade,
        reason: String,
    },
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
    /// The server imposes its order but picks ChaCha20 when the client lists it first:
    /// `cipher_suites` is the order clients leading with AES-GCM get.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_depends_on_offer: Option<bool>,
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
    /// RFC 7919 FFDHE groups negotiated over TLS ≤ 1.2 DHE, in the server's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ffdhe_groups: Vec<String>,
    /// Smallest finite-field DH modulus seen in a DHE ServerKeyExchange.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dhe_min_bits: Option<u32>,
    pub secure_renegotiation: Option<bool>,
    pub extended_master_secret: Option<bool>,
    pub compression: Option<bool>,
    pub fallback_scsv: Option<bool>,
    pub ocsp_stapling: Option<bool>,
    /// Heartbleed (CVE-2014-0160), tested on one extra connection (see `heartbleed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbleed: Option<bool>,
    /// CCS injection (CVE-2014-0224), tested on one extra connection (see `ccs`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ccs_injection: Option<bool>,
    /// Client-initiated renegotiation accepted, tried on one extra connection (see
    /// `renegotiation`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_renegotiation: Option<bool>,
    /// ROBOT (CVE-2017-13099), tested on five or ten extra connections (see `robot`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub robot: Option<bool>,
    /// The stapled OCSP response, verified (signature, certificate, status, freshness).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ocsp_staple: Option<ocsp::StapleCheck>,
    /// Facts whose test ran but whose answer could not be read, with what was seen: their
    /// checks say `error` with it, not "not assessed".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable: Vec<Unreadable>,
    /// Facts this probe cannot test on this server (the server needs something the test
    /// does not speak, say a client certificate), with why: their checks say `not-assessed`
    /// with it. Nothing failed, so it is not an `error` that would read as "could not scan".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub untested: Vec<Unreadable>,
    /// The certificate a client offering every signature scheme gets.
    pub certificate: Option<CertificateReport>,
    /// The other certificates the endpoint serves, one per further key type (a dual
    /// RSA + ECDSA set-up), found by offering one key family's signature schemes at a time.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub more_certificates: Vec<CertificateReport>,
    /// Certificates that were served but could not be read, or key types for which it
    /// could not be told whether the server has one; then no certificate verdict is given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unreadable_certificates: Vec<String>,
    /// Connections (handshakes) the assessment used.
    pub handshakes: usize,
    pub duration_ms: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A fact the assessment tried to establish and could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// The fact key.
    pub fact: &'static str,
    /// What was seen instead of an answer.
    pub seen: String,
}

impl TlsAssessment {
    /// One failed attempt per unreadable fact (covering that key alone), so each check that
    /// needs it says `error` with what was seen.
    pub fn unreadable_attempts(&self, maker: &FactMaker) -> Vec<crate::evidence::ProbeAttempt> {
        self.unreadable
            .iter()
            .map(|u| {
                maker.attempt(
                    AttemptOutcome::Failed {
                        reason: format!("{}: {}", self.target, u.seen),
                    },
                    &[u.fact],
                )
            })
            .collect()
    }

    /// The facts it could not test, as unknown facts with why (see [`Self::untested`]).
    pub fn untested_facts(&self, maker: &FactMaker) -> Vec<crate::evidence::UnknownFact> {
        self.untested
            .iter()
            .filter_map(|u| {
                crate::catalogue::spec(u.fact).map(|spec| maker.unknown(spec, u.seen.clone()))
            })
            .collect()
    }

    /// Accepted (version, suite) pairs matching `pred`, as "TLSv1.0 SUITE".
    fn pairs_where(&self, pred: impl Fn(Version, &suites::Suite) -> bool) -> Vec<String> {
        let mut out = Vec::new();
        for v in Version::ALL {
            for name in &self.protocols.get(v).cipher_suites {
                if suites::by_name(name).is_some_and(|s| pred(v, s)) {
                    out.push(format!("{} {name}", v.name()));
                }
            }
        }
        out
    }

    /// The named weaknesses, each with the (version, suite) pairs that cause it; derived
    /// from what was enumerated, nothing sent for them.
    pub fn weaknesses(&self) -> Vec<(&'static crate::catalogue::FactSpec, Vec<String>)> {
        use crate::catalogue::tls as cat;
        use suites::{Cipher, Kex, Mac};
        let block64 = |s: &suites::Suite| {
            matches!(
                s.cipher,
                Cipher::TripleDes | Cipher::Des | Cipher::Idea | Cipher::Rc2
            )
        };
        let weak_dh = self.dhe_min_bits.is_some_and(|b| b <= 1024);
        let legacy = |v: Version| v != Version::Tls13;
        vec![
            (&cat::WEAKNESS_SWEET32, self.pairs_where(|_, s| block64(s))),
            (
                &cat::WEAKNESS_RC4,
                self.pairs_where(|_, s| s.cipher == Cipher::Rc4),
            ),
            (
                &cat::WEAKNESS_FREAK,
                self.pairs_where(|_, s| s.export && s.kex == Kex::Rsa),
            ),
            (
                &cat::WEAKNESS_LOGJAM,
                self.pairs_where(|_, s| {
                    (s.export && matches!(s.kex, Kex::Dhe | Kex::Dh))
                        || (weak_dh && s.kex == Kex::Dhe)
                }),
            ),
            (
                &cat::WEAKNESS_POODLE,
                self.pairs_where(|v, s| v == Version::Ssl3 && s.is_cbc()),
            ),
            (
                &cat::WEAKNESS_BEAST,
                self.pairs_where(|v, s| matches!(v, Version::Ssl3 | Version::Tls10) && s.is_cbc()),
            ),
            (
                &cat::WEAKNESS_DROWN,
                if self.protocols.ssl2.accepted {
                    vec![Version::Ssl2.name().to_owned()]
                } else {
                    Vec::new()
                },
            ),
            (
                &cat::WEAKNESS_LUCKY13,
                self.pairs_where(|v, s| legacy(v) && s.is_cbc() && s.mac != Mac::Null),
            ),
            (
                &cat::WEAKNESS_NULL_ANONYMOUS,
                self.pairs_where(|_, s| s.cipher == Cipher::Null || s.is_anonymous()),
            ),
        ]
    }

    /// Records the facts left unread by a version whose answer could not be determined.
    fn mark_version_errors(&mut self) {
        use crate::catalogue::tls as cat;
        let mut errors = Vec::new();
        for (i, v) in Version::ALL.iter().enumerate() {
            if let Some(e) = &self.protocols.get(*v).error {
                errors.push(format!("{}: {e}", v.name()));
                self.unreadable.push(Unreadable {
                    fact: cat::PROTOCOL_ACCEPTED[i].key,
                    seen: format!("{}: {e}", v.name()),
                });
            }
        }
        if errors.is_empty() {
            return;
        }
        let seen = errors.join("; ");
        for spec in [
            &cat::PROTOCOLS_ACCEPTED,
            &cat::SUITES_ACCEPTED,
            &cat::SUITES_WEAK,
            &cat::SUITES_NOT_FORWARD_SECRET,
            &cat::SUITES_CBC,
            &cat::SUITES_ANONYMOUS,
            &cat::SUITES_TLS1_2,
            &cat::SUITES_TLS1_3,
        ] {
            self.unreadable.push(Unreadable {
                fact: spec.key,
                seen: seen.clone(),
            });
        }
        for (spec, _) in self.weaknesses() {
            self.unreadable.push(Unreadable {
                fact: spec.key,
                seen: seen.clone(),
            });
        }
    }

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
    pub fn facts(&self, maker: &FactMaker) -> Vec<Fact> {
        use crate::catalogue::tls as cat;
        let src = format!("tls://{}", self.target);
        let mut out: Vec<Fact> = Vec::new();
        let mut put = |spec: &crate::catalogue::FactSpec, value: FactValue| {
            out.push(maker.put(spec, value, src.clone()))
        };
        put(
            &cat::UPGRADE,
            FactValue::Str(self.upgrade.as_str().to_owned()),
        );
        if self.upgrade != Upgrade::None {
            put(&cat::STARTTLS_OFFERED, FactValue::Bool(true));
        }
        let mut accepted = Vec::new();
        let mut all_determined = true;
        for (i, v) in Version::ALL.iter().enumerate() {
            let p = self.protocols.get(*v);
            if p.error.is_some() {
                all_determined = false;
                continue;
            }
            put(&cat::PROTOCOL_ACCEPTED[i], FactValue::Bool(p.accepted));
            if p.accepted {
                accepted.push(v.name().to_owned());
                put(
                    &cat::PROTOCOL_SUITES[i],
                    FactValue::StrList(p.cipher_suites.clone()),
                );
                if let Some(order) = p.server_order {
                    put(&cat::PROTOCOL_SERVER_ORDER[i], FactValue::Bool(order));
                }
                if let Some(adapts) = p.order_depends_on_offer {
                    put(
                        &cat::PROTOCOL_ORDER_DEPENDS_ON_OFFER[i],
                        FactValue::Bool(adapts),
                    );
                }
            }
        }
        if all_determined {
            put(&cat::PROTOCOLS_ACCEPTED, FactValue::StrList(accepted));
            put(
                &cat::SUITES_ACCEPTED,
                FactValue::StrList(self.accepted_suites()),
            );
            put(
                &cat::SUITES_WEAK,
                FactValue::StrList(self.suites_where(|s| s.is_weak())),
            );
            put(
                &cat::SUITES_NOT_FORWARD_SECRET,
                FactValue::StrList(self.suites_where(|s| !s.is_forward_secret())),
            );
            put(
                &cat::SUITES_CBC,
                FactValue::StrList(self.suites_where(|s| s.is_cbc())),
            );
            put(
                &cat::SUITES_ANONYMOUS,
                FactValue::StrList(self.suites_where(|s| s.is_anonymous())),
            );
            for (spec, pairs) in self.weaknesses() {
                put(spec, FactValue::StrList(pairs));
            }
            put(
                &cat::SUITES_TLS1_2,
                FactValue::StrList(self.protocols.tls1_2.cipher_suites.clone()),
            );
            put(
                &cat::SUITES_TLS1_3,
                FactValue::StrList(self.protocols.tls1_3.cipher_suites.clone()),
            );
        }
        let best = Version::ALL
            .iter()
            .rev()
            .map(|v| self.protocols.get(*v))
            .find(|p| p.accepted);
        if let Some(v) = self.heartbleed {
            put(&cat::WEAKNESS_HEARTBLEED, FactValue::Bool(v));
        }
        if let Some(v) = self.ccs_injection {
            put(&cat::WEAKNESS_CCS_INJECTION, FactValue::Bool(v));
        }
        if let Some(v) = self.client_renegotiation {
            put(&cat::RENEGOTIATION_CLIENT_INITIATED, FactValue::Bool(v));
        }
        if let Some(v) = self.robot {
            put(&cat::WEAKNESS_ROBOT, FactValue::Bool(v));
        }
        if let Some(order) = best.and_then(|p| p.server_order) {
            put(&cat::SERVER_CIPHER_ORDER, FactValue::Bool(order));
        }
        if !self.groups.is_empty() {
            put(
                &cat::GROUPS_ACCEPTED,
                FactValue::StrList(self.groups.clone()),
            );
            put(
                &cat::GROUPS_PQ_HYBRID,
                FactValue::Bool(self.groups.iter().any(|g| g == "X25519MLKEM768")),
            );
        }
        if !self.ffdhe_groups.is_empty() {
            put(
                &cat::GROUPS_FFDHE,
                FactValue::StrList(self.ffdhe_groups.clone()),
            );
        }
        if let Some(bits) = self.dhe_min_bits {
            put(&cat::DHE_MIN_BITS, FactValue::Int(bits.into()));
        }
        for (spec, v) in [
            (&cat::SECURE_RENEGOTIATION, self.secure_renegotiation),
            (&cat::EXTENDED_MASTER_SECRET, self.extended_master_secret),
            (&cat::COMPRESSION, self.compression),
            (&cat::FALLBACK_SCSV, self.fallback_scsv),
            (&cat::OCSP_STAPLING, self.ocsp_stapling),
        ] {
            if let Some(b) = v {
                put(spec, FactValue::Bool(b));
            }
        }
        if let Some(o) = &self.ocsp_staple {
            put(&cat::OCSP_STAPLE_VALID, FactValue::Bool(o.valid));
            if let Some(status) = o.status {
                put(&cat::OCSP_STAPLE_STATUS, FactValue::Str(status.to_owned()));
            }
        }
        let served: Vec<CertificateReport> = self.served_certificates().cloned().collect();
        out.extend(crate::probe::trust::served_facts(
            &served,
            &self.unreadable_certificates,
            maker,
            &src,
        ));
        out
    }

    /// Every certificate served: the default one first.
    pub fn served_certificates(&self) -> impl Iterator<Item = &CertificateReport> {
        self.certificate.iter().chain(self.more_certificates.iter())
    }

    /// Makes `c` the first certificate (the one another probe's own session got, say the
    /// LDAP probe's StartTLS session), keeping every other one served.
    pub fn put_first_certificate(&mut self, c: CertificateReport) {
        if let Some(old) = self.certificate.take()
            && old.sha256 != c.sha256
        {
            self.more_certificates.insert(0, old);
        }
        self.more_certificates.retain(|m| m.sha256 != c.sha256);
        self.certificate = Some(c);
    }
}

/// Assesses one endpoint: enumeration, certificate, and the derived properties.
pub async fn assess(target: &TlsTarget) -> Result<TlsAssessment, TlsError> {
    let started = Instant::now();
    let endpoint = target.endpoint();
    let roots =
        crate::probe::trust::load_roots(target.ca_file.as_deref()).map_err(TlsError::CaFile)?;
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
        Err(
            e @ connection::ProbeError::Upgrade {
                source: starttls::UpgradeError::SmtpNoStartTls(_),
                ..
            },
        ) => {
            return Err(TlsError::UpgradeNotOffered {
                endpoint,
                upgrade: target.upgrade,
                reason: e.to_string(),
            });
        }
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
        certificate::capture(&ep, server_name.clone(), None)
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
        p.order_depends_on_offer = f.order_depends_on_offer;
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
    a.ffdhe_groups = found
        .ffdhe_groups
        .iter()
        .map(|g| groups::name_of(*g))
        .collect();
    a.dhe_min_bits = found.dhe_min_bits;
    a.secure_renegotiation = found.secure_renegotiation;
    a.extended_master_secret = found.extended_master_secret;
    a.compression = found.compression;
    a.fallback_scsv = found.fallback_scsv;
    if let Some(seen) = &found.fallback_scsv_unreadable {
        a.unreadable.push(Unreadable {
            fact: crate::catalogue::tls::FALLBACK_SCSV.key,
            seen: seen.clone(),
        });
    }
    a.mark_version_errors();
    a.ocsp_stapling = found.ocsp_stapling;
    a.notes = found.notes.clone();
    let served = served_certificates(&ep, &server_name, &found, captured, &a.protocols).await;
    if let Some(stapled) = served.stapled {
        if stapled {
            a.ocsp_stapling = Some(true);
        } else if a.ocsp_stapling.is_none() {
            a.ocsp_stapling = Some(false);
        }
    }
    if let Some((response, chain)) = &served.staple {
        match ocsp::verify_staple(
            response,
            chain,
            &roots,
            time::OffsetDateTime::now_utc().unix_timestamp(),
        ) {
            Ok(check) => a.ocsp_staple = Some(check),
            Err(seen) => a.unreadable.push(Unreadable {
                fact: crate::catalogue::tls::OCSP_STAPLE_VALID.key,
                seen,
            }),
        }
    }
    for (chain, source) in &served.chains {
        match crate::probe::trust::assess_chain(chain, &server_name, &roots, source) {
            Some(r) if a.certificate.is_none() => a.certificate = Some(r),
            Some(r) => a.more_certificates.push(r),
            None => a.unreadable_certificates.push(format!(
                "a certificate served ({} bytes, {source}) could not be parsed",
                chain.first().map_or(0, Vec::len)
            )),
        }
    }
    a.unreadable_certificates.extend(served.unknown);
    let robot_plan = robot::plan(&a.protocols);
    let ((), robot) = tokio::join!(
        async {
            heartbleed_test(&ep, sni.as_deref(), &found, &mut a).await;
            ccs_test(&ep, sni.as_deref(), &found, &mut a).await;
            renegotiation::run(&ep, sni.as_deref(), &mut a).await;
        },
        robot_test(&ep, sni.as_deref(), robot_plan)
    );
    match robot {
        Ok((vulnerable, note)) => {
            a.robot = Some(vulnerable);
            a.notes.push(note);
        }
        Err(seen) => a.unreadable.push(Unreadable {
            fact: crate::catalogue::tls::WEAKNESS_ROBOT.key,
            seen,
        }),
    }
    a.notes.extend(served.notes);
    a.handshakes = ep.handshakes();
    a.duration_ms = started.elapsed().as_millis() as u64;
    Ok(a)
}

/// Heartbleed over one extra connection with the best accepted version of TLS 1.0–1.2
/// (TLS 1.3 and SSL 3.0 carry no heartbeat extension).
async fn heartbleed_test(
    ep: &connection::Endpoint,
    sni: Option<&str>,
    found: &enumerate::Enumeration,
    a: &mut TlsAssessment,
) {
    let key = crate::catalogue::tls::WEAKNESS_HEARTBLEED.key;
    let (version, suites) = match legacy_target(a, found) {
        LegacyTarget::Run(version, suites) => (version, suites),
        LegacyTarget::NotApplicable => {
            a.heartbleed = Some(false);
            return;
        }
        LegacyTarget::Unreadable(seen) => {
            a.unreadable.push(Unreadable { fact: key, seen });
            return;
        }
    };
    match heartbleed::test(ep, version, &suites, sni).await {
        Ok(heartbleed::Verdict::NotNegotiated) => a.heartbleed = Some(false),
        Ok(heartbleed::Verdict::NotVulnerable { answer }) => {
            a.heartbleed = Some(false);
            a.notes.push(format!(
                "heartbeat: the over-claiming request with {} got {answer}",
                version.name()
            ));
        }
        Ok(heartbleed::Verdict::Vulnerable { response_len }) => {
            a.heartbleed = Some(true);
            a.notes.push(format!(
                "Heartbleed: a heartbeat request carrying 1 byte and claiming 64 got a response of {response_len} bytes with {} (the bytes were discarded)",
                version.name()
            ));
        }
        Err(seen) => a.unreadable.push(Unreadable {
            fact: key,
            seen: format!("heartbeat test with {}: {seen}", version.name()),
        }),
    }
}

/// Where an active test of a TLS 1.0–1.2 flaw (Heartbleed, CCS injection) runs.
enum LegacyTarget {
    /// The best accepted version of TLS 1.0–1.2, with the suites it took.
    Run(Version, Vec<u16>),
    /// No TLS 1.0–1.2 and no SSL accepted: the flaw cannot be there.
    NotApplicable,
    /// Cannot be told: what was seen instead.
    Unreadable(String),
}

fn legacy_target(a: &TlsAssessment, found: &enumerate::Enumeration) -> LegacyTarget {
    let tls_versions = [Version::Tls12, Version::Tls11, Version::Tls10];
    let Some(version) = tls_versions
        .iter()
        .find(|v| a.protocols.get(**v).accepted)
        .copied()
    else {
        return if let Some(seen) = tls_versions
            .iter()
            .find_map(|v| a.protocols.get(*v).error.clone())
        {
            LegacyTarget::Unreadable(seen)
        } else if a.protocols.ssl3.accepted || a.protocols.ssl2.accepted {
            LegacyTarget::Unreadable("not tested: only SSL is accepted below TLS 1.3".into())
        } else {
            LegacyTarget::NotApplicable
        };
    };
    let suites = found
        .versions
        .get(&version)
        .map(|f| f.suites.clone())
        .unwrap_or_default();
    LegacyTarget::Run(version, suites)
}

/// CCS injection over one extra connection with the best accepted version of TLS 1.0–1.2
/// (TLS 1.3 servers ignore a compatibility ChangeCipherSpec; SSL 3.0 is not tested).
async fn ccs_test(
    ep: &connection::Endpoint,
    sni: Option<&str>,
    found: &enumerate::Enumeration,
    a: &mut TlsAssessment,
) {
    let key = crate::catalogue::tls::WEAKNESS_CCS_INJECTION.key;
    let (version, suites) = match legacy_target(a, found) {
        LegacyTarget::Run(version, suites) => (version, suites),
        LegacyTarget::NotApplicable => {
            a.ccs_injection = Some(false);
            return;
        }
        LegacyTarget::Unreadable(seen) => {
            a.unreadable.push(Unreadable { fact: key, seen });
            return;
        }
    };
    match ccs::test(ep, version, &suites, sni).await {
        Ok(ccs::Verdict::NotVulnerable { .. }) => a.ccs_injection = Some(false),
        Ok(ccs::Verdict::Vulnerable { alert }) => {
            a.ccs_injection = Some(true);
            a.notes.push(format!(
                "CCS injection: an early ChangeCipherSpec with {} was accepted (the next record got a {} alert)",
                version.name(),
                reader::alert::name(alert)
            ));
        }
        Err(seen) => a.unreadable.push(Unreadable {
            fact: key,
            seen: format!("CCS injection test with {}: {seen}", version.name()),
        }),
    }
}

/// ROBOT over five extra connections (ten when the answers differ), with the best TLS
/// 1.0–1.2 version that accepted RSA key exchange; it runs beside Heartbleed and CCS.
/// Ok: the verdict and its note; Err: what was seen when it could not be judged.
async fn robot_test(
    ep: &connection::Endpoint,
    sni: Option<&str>,
    plan: robot::Plan,
) -> Result<(bool, String), String> {
    let (version, rsa_suites) = match plan {
        robot::Plan::Run(version, rsa_suites) => (version, rsa_suites),
        robot::Plan::NotApplicable => {
            return Ok((
                false,
                "ROBOT: not applicable, no RSA key exchange accepted with TLS 1.0-1.2".into(),
            ));
        }
        robot::Plan::Unreadable(seen) => return Err(format!("ROBOT: {seen}")),
    };
    match robot::test(ep, version, &rsa_suites, sni).await {
        Ok(robot::Verdict::NotVulnerable { suite, answer }) => Ok((
            false,
            format!(
                "ROBOT: {} ClientKeyExchange variants with {} {} all got {}",
                robot::Variant::ALL.len(),
                version.name(),
                suites::name_of(suite),
                answer.describe()
            ),
        )),
        Ok(robot::Verdict::Vulnerable { suite, answers }) => {
            let answers: Vec<robot::Answer> = answers.into_iter().map(|(_, a)| a).collect();
            Ok((
                true,
                format!(
                    "ROBOT: with {} {} the ClientKeyExchange variants got different answers, the same on two runs: {}",
                    version.name(),
                    suites::name_of(suite),
                    robot::list(&answers)
                ),
            ))
        }
        Err(seen) => Err(format!("ROBOT test with {}: {seen}", version.name())),
    }
}

/// The chains an endpoint serves, default first, with where each came from.
struct ServedChains {
    chains: Vec<(Vec<Vec<u8>>, &'static str)>,
    /// Whether the default rustls handshake got a stapled OCSP response (None: no such
    /// handshake).
    stapled: Option<bool>,
    /// The stapled OCSP response and the chain it came with, to verify.
    staple: Option<(Vec<u8>, Vec<Vec<u8>>)>,
    /// Key families whose certificate could not be looked for, and why.
    unknown: Vec<String>,
    notes: Vec<String>,
}

/// Every certificate served: the default rustls chain, the distinct chains of the raw
/// TLS ≤ 1.2 flights (one per suite authentication the server accepted), and, for each
/// key family the server may hold but no chain showed, a rustls handshake offering only
/// that family. A family is possible unless a complete TLS ≤ 1.2 enumeration accepted no
/// suite authenticating with it (RSA suites for RSA; ECDSA suites for ECDSA and EdDSA); a
/// TLS 1.3-only server makes every family possible.
async fn served_certificates(
    ep: &connection::Endpoint,
    name: &rustls::pki_types::ServerName<'static>,
    found: &enumerate::Enumeration,
    captured: Result<certificate::Captured, String>,
    protocols: &Protocols,
) -> ServedChains {
    use crate::probe::trust::KeyFamily;
    let mut out = ServedChains {
        chains: Vec::new(),
        stapled: None,
        staple: None,
        unknown: Vec::new(),
        notes: Vec::new(),
    };
    let rustls_ok = match captured {
        Ok(c) => {
            out.stapled = Some(!c.ocsp.is_empty());
            if !c.ocsp.is_empty() {
                out.staple = Some((c.ocsp.clone(), c.chain.clone()));
            }
            out.chains.push((c.chain, "rustls"));
            true
        }
        Err(e) => {
            out.notes.push(format!("validated connection: {e}"));
            false
        }
    };
    let add = |chains: &mut Vec<(Vec<Vec<u8>>, &'static str)>, chain: Vec<Vec<u8>>, src| {
        if !chain.is_empty() && !chains.iter().any(|(c, _)| c.first() == chain.first()) {
            chains.push((chain, src));
        }
    };
    for chain in &found.chains {
        add(&mut out.chains, chain.clone(), "handshake");
    }
    let seen: Vec<KeyFamily> = out
        .chains
        .iter()
        .filter_map(|(c, _)| c.first())
        .filter_map(|leaf| crate::probe::trust::certificate::key_type_of(leaf))
        .filter_map(|t| KeyFamily::of_key_type(&t))
        .collect();
    let legacy = [
        Version::Ssl3,
        Version::Tls10,
        Version::Tls11,
        Version::Tls12,
    ];
    let determined = legacy.iter().all(|v| protocols.get(*v).error.is_none());
    let auths: Vec<suites::Auth> = legacy
        .iter()
        .flat_map(|v| protocols.get(*v).cipher_suites.iter())
        .filter_map(|n| suites::by_name(n))
        .map(|s| s.auth)
        .collect();
    let possible = |f: KeyFamily| {
        if !determined || auths.is_empty() {
            return true;
        }
        match f {
            KeyFamily::Rsa => auths.contains(&suites::Auth::Rsa),
            KeyFamily::Ecdsa | KeyFamily::Eddsa => auths.contains(&suites::Auth::Ecdsa),
        }
    };
    let wanted: Vec<KeyFamily> = KeyFamily::ALL
        .into_iter()
        .filter(|f| possible(*f) && !seen.contains(f))
        .collect();
    if wanted.is_empty() {
        return out;
    }
    if !rustls_ok {
        if !out.chains.is_empty() {
            out.notes.push(format!(
                "certificates of other key types ({}) were not looked for: no TLS 1.2/1.3 handshake succeeded",
                wanted.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
            ));
        }
        return out;
    }
    for (family, r) in certificate::capture_families(ep, name.clone(), &wanted).await {
        match r {
            Ok(c) => add(&mut out.chains, c.chain, "rustls"),
            Err(certificate::CaptureError::Refused(_)) => {}
            Err(certificate::CaptureError::Unknown(reason)) => out.unknown.push(format!(
                "whether the server has an {} certificate could not be told: {reason}",
                family.name()
            )),
        }
    }
    out
}

/// Never fails: a failure becomes a failed attempt covering the TLS facts of `subject`;
/// success gives the facts and a completed attempt.
pub async fn collect(target: &TlsTarget, subject: &str) -> Evidence {
    let maker = FactMaker::new(ID, Some(subject.to_owned()));
    evidence_of(&maker, assess(target).await)
}

/// The evidence of an assessment (or of its failure), on the maker's subject.
pub fn evidence_of(maker: &FactMaker, result: Result<TlsAssessment, TlsError>) -> Evidence {
    use crate::catalogue::family;
    let mut ev = Evidence::default();
    match result {
        Ok(a) => {
            for f in a.facts(maker) {
                ev.insert(f);
            }
            let mut attempt = maker.attempt(AttemptOutcome::Completed, &[family::TLS]);
            attempt.notes = a.notes.clone();
            attempt.notes.push(format!(
                "{} handshakes in {} ms",
                a.handshakes, a.duration_ms
            ));
            ev.attempts.push(attempt);
            ev.attempts.extend(a.unreadable_attempts(maker));
            for u in a.untested_facts(maker) {
                ev.mark_unknown(u);
            }
        }
        Err(TlsError::UpgradeNotOffered {
            endpoint,
            upgrade,
            reason,
        }) => {
            use crate::catalogue::tls as cat;
            let src = format!("tls://{endpoint}");
            ev.insert(maker.put(&cat::UPGRADE, FactValue::Str(upgrade.as_str().into()), &src));
            ev.insert(maker.put(&cat::STARTTLS_OFFERED, FactValue::Bool(false), &src));
            ev.attempts.push(maker.attempt(
                AttemptOutcome::Failed {
                    reason: format!("{endpoint}: {reason}"),
                },
                &[family::TLS],
            ));
        }
        Err(e) => ev.attempts.push(maker.attempt(
            AttemptOutcome::Failed {
                reason: e.to_string(),
            },
            &[family::TLS],
        )),
    }
    ev
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(sha: &str) -> CertificateReport {
        CertificateReport {
            sha256: sha.into(),
            ..Default::default()
        }
    }

    #[test]
    fn another_probes_certificate_goes_first_and_none_is_lost_or_doubled() {
        let mut a = TlsAssessment {
            certificate: Some(cert("ec")),
            more_certificates: vec![cert("rsa")],
            ..Default::default()
        };
        a.put_first_certificate(cert("ec"));
        let shas = |a: &TlsAssessment| {
            a.served_certificates()
                .map(|c| c.sha256.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(shas(&a), ["ec", "rsa"]);
        a.put_first_certificate(cert("rsa"));
        assert_eq!(shas(&a), ["rsa", "ec"]);
        a.put_first_certificate(cert("other"));
        assert_eq!(shas(&a), ["other", "rsa", "ec"]);
    }
}
