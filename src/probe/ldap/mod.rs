//! LDAP probe: what a directory port speaks, its root DSE, StartTLS and the certificate it
//! presents (judged by `probe::trust`, reported as the `tls.cert.*` facts of the endpoint),
//! whether it evaluates passwords sent in the clear (the dummy-bind test, under a naming
//! context it knows), whether it allows anonymous binds and what an anonymous session can
//! read, and the TLS probe's enumeration on LDAPS and after StartTLS.
//!
//! A test that cannot be decided (no naming context known) is reported as inconclusive,
//! with the reason, never as a failure of the server. IPv6 literals are connected by
//! address and never handed to TLS as a DNS name.
//!
//! Every network step has a timeout ([`LdapOptions::timeout`]) and a failure in one step is
//! recorded as a [`StepError`] for that endpoint, never a panic; the other steps still run.
//! Facts are emitted only for what was actually observed.
//!
//! What does not belong here: judging the facts (`checks/ldap/*.yaml`), output (`report`).

use crate::catalogue::{family, ldap as cat};
use crate::evidence::{AttemptOutcome, Evidence, Fact, FactMaker, FactValue};
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings};
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub mod ber;
pub mod bind_test;
pub mod codes;
pub mod endpoint;
pub mod root_dse;
pub mod sniff;
pub mod tls_enum;

pub use crate::probe::trust::CertificateReport;
pub use bind_test::{BindOutcome, ReadOutcome};
pub use endpoint::{LdapEndpoint, LdapScheme, LdapUrlError, endpoints_from_config};
pub use root_dse::RootDse;
use root_dse::RootDseRead;
use sniff::Sniff;
pub use tls_enum::TlsEnumeration;

/// The probe id, in provenance and attempts.
pub const ID: &str = "ldap";

/// The registry entry: every LDAP endpoint given, and the configured one when the scan
/// probes configured endpoints.
#[derive(Debug)]
pub struct LdapProbe;

impl super::Probe for LdapProbe {
    fn about(&self) -> &'static super::About {
        const ABOUT: super::About = super::About {
            id: ID,
            description: "LDAP transport security: StartTLS, LDAPS and whether passwords are accepted in the clear",
            phase: super::Phase::Endpoints,
            families: &[family::LDAP, family::TLS],
        };
        &ABOUT
    }
    fn plan(
        &self,
        targets: &[super::Target],
        found: &Evidence,
        ctx: &super::ProbeContext,
    ) -> Vec<super::Job> {
        let mut endpoints: Vec<LdapEndpoint> = targets
            .iter()
            .filter_map(|t| match t {
                super::Target::Ldap(e) => Some(e.clone()),
                _ => None,
            })
            .collect();
        if ctx.probe_configured_endpoints {
            for ep in endpoints_from_config(found) {
                match endpoints.iter_mut().find(|e| e.subject() == ep.subject()) {
                    Some(given) if given.base_dn.is_none() => given.base_dn = ep.base_dn,
                    Some(_) => {}
                    None => endpoints.push(ep),
                }
            }
        }
        endpoints
            .into_iter()
            .map(|ep| {
                let opts = LdapOptions {
                    ca_file: ctx.ca_file.clone(),
                    timeout: ctx.timeout,
                };
                super::Job {
                    probe: ID,
                    subject: Some(ep.subject()),
                    covers: &[family::LDAP],
                    work: Box::pin(async move { Ok(collect(&ep, &opts).await) }),
                }
            })
            .collect()
    }
    fn finish(&self, evidence: &mut Evidence) {
        mark_config_endpoints(evidence);
    }
}

/// How to run the probe.
#[derive(Debug, Clone)]
pub struct LdapOptions {
    /// Extra trust anchors (PEM) for the directory's certificate, besides the web roots.
    pub ca_file: Option<PathBuf>,
    /// The limit for each network step (connect, one request and its answer, a handshake).
    pub timeout: Duration,
}

impl Default for LdapOptions {
    fn default() -> Self {
        Self {
            ca_file: None,
            timeout: Duration::from_secs(5),
        }
    }
}

/// Why an endpoint could not be assessed at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LdapError {
    #[error("{endpoint}: cannot resolve {host:?}: {reason}")]
    Resolve {
        endpoint: String,
        host: String,
        reason: String,
    },
    #[error("{endpoint}: unreachable: {reason}")]
    Unreachable { endpoint: String, reason: String },
    #[error("{endpoint}: does not speak LDAP: {seen}")]
    NotLdap { endpoint: String, seen: String },
    #[error("{0}")]
    Setup(String),
}

/// One step that went wrong for an endpoint that could otherwise be assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepError {
    /// `transport`, `root-dse`, `starttls`, `ldaps`, `cleartext-bind`, `anonymous-bind`, `tls-enumeration`.
    pub step: &'static str,
    pub message: String,
}

/// StartTLS on a plaintext port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartTls {
    /// A TLS session was established after the StartTLS request.
    pub accepted: bool,
    /// The LDAP result code of a refusal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_code: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateReport>,
}

/// The LDAPS session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ldaps {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateReport>,
}

/// The anonymous-bind test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnonymousBind {
    pub allowed: bool,
    /// The channel the bind went over: `plaintext`, `starttls` or `ldaps`.
    pub over: &'static str,
    #[serde(flatten)]
    pub outcome: BindOutcome,
}

/// The cleartext-bind test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CleartextBind {
    /// Some(true): the server answered confidentialityRequired (13), or
    /// strongerAuthRequired (8, Active Directory), so it does not evaluate passwords sent in
    /// the clear. Some(false): it evaluated the password (49, or success) for a DN inside a
    /// naming context it holds. None: inconclusive, see `inconclusive`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<bool>,
    /// The naming context the dummy DN was placed under, and where it was learnt.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<KnownBase>,
    /// Why the answer does not decide the question.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inconclusive: Option<String>,
    #[serde(flatten)]
    pub outcome: BindOutcome,
}

/// A naming context known to be held by the server, and how it is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnownBase {
    pub dn: String,
    /// `--ldap-base-dn or LdapSettings.BaseDN`, `root DSE (plaintext)`, `root DSE (starttls)`, …
    pub source: String,
}

/// The anonymous-read test: one bounded search of the naming context by an anonymous
/// session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnonymousRead {
    /// Some(true): an entry came back; Some(false): none did; None: not decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readable: Option<bool>,
    /// The channel: `plaintext`, `starttls` or `ldaps`.
    pub over: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<KnownBase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inconclusive: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<ReadOutcome>,
}

/// Why a test needing a naming context cannot be decided without one.
pub const NO_NAMING_CONTEXT: &str = "no naming context is known: the root DSE is not readable anonymously (nor after StartTLS) and neither --ldap-base-dn nor LdapSettings.BaseDN gives one";

/// Everything learnt about one endpoint. Its JSON form is `safeguard ldap --format json`
/// (see `docs/json-report.md`).
#[derive(Debug, Clone, Serialize)]
pub struct LdapAssessment {
    pub endpoint: String,
    pub scheme: LdapScheme,
    pub host: String,
    pub port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaks_plaintext: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaks_tls: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_dse: Option<RootDse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starttls: Option<StartTls>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ldaps: Option<Ldaps>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cleartext_bind: Option<CleartextBind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anonymous_bind: Option<AnonymousBind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anonymous_read: Option<AnonymousRead>,
    /// The TLS probe's enumeration: after StartTLS for `ldap://`, on the port for `ldaps://`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsEnumeration>,
    /// Steps that could not be completed; empty when the assessment is complete.
    pub errors: Vec<StepError>,
    /// Remarks (a step skipped, and why).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    pub elapsed_ms: u64,
}

impl LdapAssessment {
    fn new(ep: &LdapEndpoint) -> Self {
        Self {
            endpoint: ep.subject(),
            scheme: ep.scheme,
            host: ep.host.clone(),
            port: ep.port,
            speaks_plaintext: None,
            speaks_tls: None,
            root_dse: None,
            starttls: None,
            ldaps: None,
            cleartext_bind: None,
            anonymous_bind: None,
            anonymous_read: None,
            tls: None,
            errors: Vec::new(),
            notes: Vec::new(),
            elapsed_ms: 0,
        }
    }

    fn error(&mut self, step: &'static str, message: impl Into<String>) {
        self.errors.push(StepError {
            step,
            message: message.into(),
        });
    }

    /// The certificate of the endpoint's own TLS channel (LDAPS, or after StartTLS).
    pub fn certificate(&self) -> Option<&CertificateReport> {
        match self.scheme {
            LdapScheme::Ldap => self.starttls.as_ref().and_then(|s| s.certificate.as_ref()),
            LdapScheme::Ldaps => self.ldaps.as_ref().and_then(|s| s.certificate.as_ref()),
        }
    }

    /// Whether the endpoint has a TLS channel to assess: an LDAPS port, or a plaintext
    /// port that accepted StartTLS.
    fn tls_expected(&self) -> bool {
        match self.scheme {
            LdapScheme::Ldaps => true,
            LdapScheme::Ldap => self.starttls.as_ref().is_some_and(|s| s.accepted),
        }
    }

    /// The facts, on the maker's subject: only what was observed.
    pub fn facts(&self, maker: &FactMaker) -> Vec<Fact> {
        let src = &self.endpoint;
        let mut out = vec![
            maker.put(&cat::REACHABLE, FactValue::Bool(true), src.clone()),
            maker.put(
                &cat::SCHEME,
                FactValue::Str(self.scheme.as_str().to_owned()),
                src.clone(),
            ),
        ];
        let mut push = |spec: &crate::catalogue::FactSpec, value: FactValue, what: &str| {
            out.push(maker.put(spec, value, format!("{src} {what}")));
        };
        if let Some(b) = self.speaks_plaintext {
            push(
                &cat::SPEAKS_PLAINTEXT,
                FactValue::Bool(b),
                "plaintext LDAP request",
            );
        }
        if let Some(b) = self.speaks_tls {
            push(&cat::SPEAKS_TLS, FactValue::Bool(b), "TLS ClientHello");
        }
        if let Some(dse) = &self.root_dse {
            let what = format!("root DSE ({})", dse.read_over);
            push(
                &cat::ROOT_DSE_STARTTLS_ADVERTISED,
                FactValue::Bool(dse.starttls_advertised),
                &what,
            );
            push(
                &cat::ROOT_DSE_SASL_MECHANISMS,
                FactValue::StrList(dse.sasl_mechanisms.clone()),
                &what,
            );
            if let Some(v) = &dse.vendor {
                push(&cat::ROOT_DSE_VENDOR, FactValue::Str(v.clone()), &what);
            }
        }
        if let Some(st) = &self.starttls {
            push(
                &cat::STARTTLS_ACCEPTED,
                FactValue::Bool(st.accepted),
                "StartTLS",
            );
            if let Some(rc) = st.result_code {
                push(
                    &cat::STARTTLS_RESULT_CODE,
                    FactValue::Int(rc.into()),
                    "StartTLS",
                );
            }
        }
        if let Some(b) = &self.cleartext_bind {
            let what = match &b.base {
                Some(base) => format!(
                    "dummy simple bind over plaintext under {} ({})",
                    base.dn, base.source
                ),
                None => "dummy simple bind over plaintext (no naming context known)".to_owned(),
            };
            push(
                &cat::CLEARTEXT_BIND_RESULT_CODE,
                FactValue::Int(b.outcome.result_code.into()),
                &what,
            );
            if let Some(refused) = b.refused {
                push(
                    &cat::CLEARTEXT_BIND_REFUSED,
                    FactValue::Bool(refused),
                    &what,
                );
            }
        }
        if let Some(r) = &self.anonymous_read
            && let (Some(readable), Some(base)) = (r.readable, &r.base)
        {
            push(
                &cat::ANONYMOUS_READ_ALLOWED,
                FactValue::Bool(readable),
                &format!(
                    "anonymous subtree search of {} ({}), size limit 1, over {}",
                    base.dn, base.source, r.over
                ),
            );
        }
        if let Some(a) = &self.anonymous_bind {
            push(
                &cat::ANONYMOUS_BIND_ALLOWED,
                FactValue::Bool(a.allowed),
                &format!("anonymous bind ({})", a.over),
            );
        }
        // The certificate of the endpoint's own TLS channel (the LDAPS or StartTLS session
        // the probe read the directory over) is what the `tls.cert.*` facts describe, with
        // the enumeration's view of the same port.
        let mut tls = self.tls.clone();
        match (&mut tls, self.certificate()) {
            (Some(t), Some(c)) => {
                t.0.put_first_certificate(c.clone());
                out.extend(t.facts(maker));
            }
            (Some(t), None) => out.extend(t.facts(maker)),
            (None, Some(c)) => out.extend(c.facts(maker, src)),
            (None, None) => {}
        }
        out
    }
}

/// Assesses one endpoint. `Err` only when nothing could be learnt (unresolvable,
/// unreachable, not LDAP at all); a failing step otherwise lands in
/// [`LdapAssessment::errors`].
pub async fn assess(ep: &LdapEndpoint, opts: &LdapOptions) -> Result<LdapAssessment, LdapError> {
    let started = Instant::now();
    let t = opts.timeout;
    let roots =
        crate::probe::trust::load_roots(opts.ca_file.as_deref()).map_err(LdapError::Setup)?;
    let addr = resolve(ep, t).await?;
    let (wanted, other) = sniff_port(ep, addr, t).await;
    let mut a = LdapAssessment::new(ep);
    if wanted == Sniff::Speaks {
        // Assess now; a still-running sniff of the other protocol finishes meanwhile.
        let done = match &other {
            OtherSniff::Done(o) => Some(o),
            OtherSniff::Running(_) => None,
        };
        record_sniffs(&mut a, ep.scheme, &wanted, done);
        match ep.scheme {
            LdapScheme::Ldap => assess_plaintext_port(ep, opts, roots, &mut a).await,
            LdapScheme::Ldaps => assess_ldaps_port(ep, opts, roots, &mut a).await,
        }
        if let OtherSniff::Running(pending) = other {
            let other = pending.finish().await;
            record_sniffs(&mut a, ep.scheme, &wanted, Some(&other));
        }
        a.elapsed_ms = elapsed_ms(started);
        return Ok(a);
    }
    let other = match other {
        OtherSniff::Done(o) => o,
        OtherSniff::Running(pending) => pending.finish().await,
    };
    if let (Sniff::Unreachable(reason), Sniff::Unreachable(_)) = (&wanted, &other) {
        return Err(LdapError::Unreachable {
            endpoint: ep.subject(),
            reason: reason.clone(),
        });
    }
    record_sniffs(&mut a, ep.scheme, &wanted, Some(&other));
    let seen = match &wanted {
        Sniff::DoesNot(seen) | Sniff::Unreachable(seen) => seen.clone(),
        Sniff::Speaks => String::new(),
    };
    if other.speaks() != Some(true) {
        return Err(LdapError::NotLdap {
            endpoint: ep.subject(),
            seen,
        });
    }
    let hint = match ep.scheme {
        LdapScheme::Ldap => {
            "the port speaks TLS from the first byte (LDAPS), not plaintext LDAP; use ldaps://"
        }
        LdapScheme::Ldaps => "the port speaks plaintext LDAP, not TLS; use ldap:// (StartTLS)",
    };
    a.error("transport", format!("{hint} ({seen})"));
    a.elapsed_ms = elapsed_ms(started);
    Ok(a)
}

/// Records what the two sniffs found: `wanted` is the URL's protocol, `other` the other one
/// (None while it still runs).
fn record_sniffs(
    a: &mut LdapAssessment,
    scheme: LdapScheme,
    wanted: &Sniff,
    other: Option<&Sniff>,
) {
    let other = other.and_then(Sniff::speaks);
    let (plain, tls) = match scheme {
        LdapScheme::Ldap => (wanted.speaks(), other),
        LdapScheme::Ldaps => (other, wanted.speaks()),
    };
    a.speaks_plaintext = plain;
    a.speaks_tls = tls;
}

/// How long the second sniff may still take once the first found its protocol spoken, when
/// the URL's protocol is the one not (yet) answered.
pub const SNIFF_GRACE: Duration = Duration::from_millis(300);

/// The sniff of the protocol the URL does not name.
enum OtherSniff {
    Done(Sniff),
    /// Still running while the port is assessed: a server that ignores the other protocol
    /// (389-DS says nothing to plaintext on its LDAPS port) costs nothing.
    Running(PendingSniff),
}

struct PendingSniff {
    handle: tokio::task::JoinHandle<Sniff>,
    started: Instant,
    what: &'static str,
    spoken: &'static str,
}

impl PendingSniff {
    /// Its answer, once it has had [`SNIFF_GRACE`] since it started (the assessment that ran
    /// meanwhile usually took longer, so this rarely waits); silence is "does not speak it".
    async fn finish(mut self) -> Sniff {
        let left = SNIFF_GRACE.saturating_sub(self.started.elapsed());
        match tokio::time::timeout(left, &mut self.handle).await {
            Ok(r) => joined(r),
            Err(_) => {
                self.handle.abort();
                Sniff::DoesNot(format!(
                    "no answer to {} within {} while the port answers {}",
                    self.what,
                    show_duration(Duration::from_millis(elapsed_ms(self.started))),
                    self.spoken
                ))
            }
        }
    }
}

fn joined(r: Result<Sniff, tokio::task::JoinError>) -> Sniff {
    r.unwrap_or_else(|e| Sniff::DoesNot(format!("the sniff did not finish: {e}")))
}

/// Sniffs plaintext LDAP and TLS on the port at once and returns (the URL's protocol, the
/// other). When the URL's protocol is spoken the other keeps running ([`OtherSniff::Running`]):
/// nothing waits for a server that simply ignores it. When the other answers first and
/// speaks, the URL's protocol gets [`SNIFF_GRACE`] more, not the whole timeout.
async fn sniff_port(ep: &LdapEndpoint, addr: SocketAddr, t: Duration) -> (Sniff, OtherSniff) {
    let started = Instant::now();
    let host = ep.host.clone();
    let plain = tokio::spawn(sniff::plaintext(addr, t));
    let tls = tokio::spawn(async move { sniff::tls(addr, &host, t).await });
    const PLAIN: (&str, &str) = ("a plaintext LDAP request", "plaintext LDAP");
    const TLS: (&str, &str) = ("a TLS ClientHello", "TLS");
    let (mut wanted, mut other, (w_what, w_proto), (o_what, o_proto)) = match ep.scheme {
        LdapScheme::Ldap => (plain, tls, PLAIN, TLS),
        LdapScheme::Ldaps => (tls, plain, TLS, PLAIN),
    };
    tokio::select! {
        w = &mut wanted => {
            let w = joined(w);
            if w == Sniff::Speaks {
                let pending = PendingSniff { handle: other, started, what: o_what, spoken: w_proto };
                return (w, OtherSniff::Running(pending));
            }
            // Not spoken: whether the port speaks the other protocol makes the error useful.
            let o = match tokio::time::timeout(t, &mut other).await {
                Ok(r) => joined(r),
                Err(_) => {
                    other.abort();
                    Sniff::DoesNot(format!("no answer within {}", show_duration(t)))
                }
            };
            (w, OtherSniff::Done(o))
        }
        o = &mut other => {
            let o = joined(o);
            let grace = if o == Sniff::Speaks { SNIFF_GRACE } else { t };
            let w = match tokio::time::timeout(grace, &mut wanted).await {
                Ok(r) => joined(r),
                Err(_) => {
                    wanted.abort();
                    Sniff::DoesNot(format!(
                        "no answer to {w_what} within {} while the port answers {o_proto}",
                        show_duration(grace)
                    ))
                }
            };
            (w, OtherSniff::Done(o))
        }
    }
}

/// Runs [`assess`] and turns the result into evidence: facts on `ep.subject()` and its
/// attempts. The LDAP attempt covers the `ldap` facts and fails when any LDAP step could
/// not be completed; when TLS was enumerated (LDAPS, or after StartTLS) a second attempt
/// covers the `tls` facts of the same subject, failed when the enumeration failed, so the
/// TLS checks on that endpoint say `error` rather than "not assessed".
pub async fn collect(ep: &LdapEndpoint, opts: &LdapOptions) -> Evidence {
    let maker = FactMaker::new(ID, Some(ep.subject()));
    let mut evidence = Evidence::default();
    match assess(ep, opts).await {
        Ok(a) => {
            for fact in a.facts(&maker) {
                evidence.insert(fact);
            }
            let (tls_errors, ldap_errors): (Vec<&StepError>, Vec<&StepError>) = a
                .errors
                .iter()
                .partition(|e| e.step == TLS_ENUMERATION_STEP);
            let outcome = if ldap_errors.is_empty() {
                AttemptOutcome::Completed
            } else {
                AttemptOutcome::Failed {
                    reason: steps_reason(&a.endpoint, &ldap_errors),
                }
            };
            let mut attempt = maker.attempt(outcome, &[family::LDAP]);
            attempt.notes = a.notes.clone();
            evidence.attempts.push(attempt);
            // Tests that ran but could not decide: an attempt on the one fact, so its
            // checks say not-assessed with the reason (never a fail, never "not run").
            let undecided = [
                (
                    cat::CLEARTEXT_BIND_REFUSED.key,
                    a.cleartext_bind
                        .as_ref()
                        .and_then(|b| b.inconclusive.clone()),
                ),
                (
                    cat::ANONYMOUS_READ_ALLOWED.key,
                    a.anonymous_read
                        .as_ref()
                        .and_then(|r| r.inconclusive.clone()),
                ),
            ];
            for (key, why) in undecided {
                if let Some(why) = why {
                    evidence.attempts.push(maker.attempt(
                        AttemptOutcome::Skipped {
                            why: format!("{}: inconclusive: {why}", a.endpoint),
                        },
                        &[key],
                    ));
                }
            }
            if !tls_errors.is_empty() {
                evidence.attempts.push(maker.attempt(
                    AttemptOutcome::Failed {
                        reason: steps_reason(&a.endpoint, &tls_errors),
                    },
                    &[family::TLS],
                ));
            } else if let Some(t) = &a.tls {
                let mut attempt = maker.attempt(AttemptOutcome::Completed, &[family::TLS]);
                attempt.notes = t.0.notes.clone();
                attempt.notes.push(format!(
                    "{} handshakes in {} ms",
                    t.0.handshakes, t.0.duration_ms
                ));
                evidence.attempts.push(attempt);
                evidence.attempts.extend(t.0.unreadable_attempts(&maker));
                for u in t.0.untested_facts(&maker) {
                    evidence.mark_unknown(u);
                }
            } else if a.tls_expected() && a.certificate().is_none() {
                // The endpoint has a TLS channel (LDAPS, or StartTLS accepted) that could
                // not be assessed: its TLS facts (the certificate among them) are an error
                // on this subject, not "not assessed".
                let reason = if ldap_errors.is_empty() {
                    format!("{}: the TLS channel could not be assessed", a.endpoint)
                } else {
                    steps_reason(&a.endpoint, &ldap_errors)
                };
                evidence
                    .attempts
                    .push(maker.attempt(AttemptOutcome::Failed { reason }, &[family::TLS]));
            }
        }
        Err(e) => {
            if matches!(e, LdapError::Unreachable { .. } | LdapError::Resolve { .. }) {
                evidence.insert(maker.put(&cat::REACHABLE, FactValue::Bool(false), ep.subject()));
            }
            evidence.attempts.push(maker.attempt(
                AttemptOutcome::Failed {
                    reason: e.to_string(),
                },
                &[family::LDAP],
            ));
        }
    }
    evidence
}

/// The step name of the TLS enumeration on the endpoint's TLS channel.
pub const TLS_ENUMERATION_STEP: &str = "tls-enumeration";

fn steps_reason(endpoint: &str, steps: &[&StepError]) -> String {
    let steps: Vec<String> = steps
        .iter()
        .map(|e| format!("{}: {}", e.step, e.message))
        .collect();
    format!("{endpoint}: {}", steps.join("; "))
}

/// Marks every LDAP subject in `evidence` with `ldap.configured`: true for the endpoint
/// Mattermost's own `LdapSettings` point to ([`endpoints_from_config`]), false for the
/// others (given with `--ldap`). The cross-checks with the configuration apply only where
/// it is true; without this call they are not assessed (never passed). Call it once after
/// all LDAP evidence is in.
pub fn mark_config_endpoints(evidence: &mut Evidence) {
    let configured: Vec<String> = endpoints_from_config(evidence)
        .iter()
        .map(LdapEndpoint::subject)
        .collect();
    let mut subjects: Vec<String> = Vec::new();
    for f in &evidence.facts {
        if f.key.namespace() == "ldap"
            && let Some(s) = &f.subject
            && !subjects.contains(s)
        {
            subjects.push(s.clone());
        }
    }
    for a in &evidence.attempts {
        if a.probe == ID
            && let Some(s) = &a.subject
            && !subjects.contains(s)
        {
            subjects.push(s.clone());
        }
    }
    for s in subjects {
        let maker = FactMaker::new(ID, Some(s.clone()));
        let is_configured = configured.contains(&s);
        evidence.insert(maker.put(
            &cat::CONFIGURED,
            FactValue::Bool(is_configured),
            "LdapSettings.LdapServer/LdapPort/ConnectionSecurity",
        ));
    }
}

/// One line naming the endpoint and every failed step.
pub fn failure_reason(a: &LdapAssessment) -> String {
    let steps: Vec<String> = a
        .errors
        .iter()
        .map(|e| format!("{}: {}", e.step, e.message))
        .collect();
    format!("{}: {}", a.endpoint, steps.join("; "))
}

/// "3 s", "500 ms".
pub(crate) fn show_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

fn elapsed_ms(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

async fn resolve(ep: &LdapEndpoint, t: Duration) -> Result<SocketAddr, LdapError> {
    let err = |reason: String| LdapError::Resolve {
        endpoint: ep.subject(),
        host: ep.host.clone(),
        reason,
    };
    let addrs = tokio::time::timeout(t, tokio::net::lookup_host(ep.authority()))
        .await
        .map_err(|_| err(format!("no answer within {}", show_duration(t))))?
        .map_err(|e| err(e.to_string()))?;
    let mut addrs: Vec<SocketAddr> = addrs.collect();
    // Prefer IPv4 as most directories listen there; either works.
    addrs.sort_by_key(|a| !a.is_ipv4());
    addrs
        .into_iter()
        .next()
        .ok_or_else(|| err("the name has no address".to_owned()))
}

/// Judges the chain the recording verifier saw on an LDAPS or StartTLS session, for the
/// host the endpoint was given as (a name or an address).
fn certificate_of(
    recorder: &crate::probe::trust::Recorder,
    host: &str,
    roots: &Arc<rustls::RootCertStore>,
) -> Option<CertificateReport> {
    let seen = recorder.peek()?;
    let name =
        rustls::pki_types::ServerName::try_from(host.trim_matches(['[', ']']).to_owned()).ok()?;
    crate::probe::trust::assess_chain(&seen.chain, &name, roots, "ldap")
}

/// What one ldap3 session over one channel found.
#[derive(Default)]
struct Session {
    root_dse: Option<Result<RootDseRead, String>>,
    anonymous: Option<Result<BindOutcome, String>>,
    cleartext: Option<Result<CleartextBind, String>>,
    read: Option<Result<AnonymousRead, String>>,
}

/// The name ldap3 is given instead of an IPv6 literal (it would hand `[::1]` to rustls as
/// a DNS name, which fails). The socket is connected by address beforehand and SNI is
/// off; the certificate is judged by `probe::trust` against the address itself.
const IPV6_PLACEHOLDER: &str = "ipv6-literal.invalid";

/// Opens an ldap3 connection (`scheme` ldap or ldaps; StartTLS is in `settings`) with a
/// timeout on the connect (and handshake), and drives it.
async fn connect(
    ep: &LdapEndpoint,
    scheme: &str,
    settings: LdapConnSettings,
    t: Duration,
) -> Result<Ldap, ldap3::LdapError> {
    let (url, settings) = if ep.is_ipv6_literal() {
        let stream = tokio::time::timeout(t, tokio::net::TcpStream::connect(ep.authority()))
            .await
            .map_err(|_| {
                std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("no connection within {}", show_duration(t)),
                )
            })??;
        let stream = stream.into_std()?;
        (
            format!("{scheme}://{IPV6_PLACEHOLDER}:{}", ep.port),
            settings.set_std_stream(ldap3::StdStream::Tcp(stream)),
        )
    } else {
        (format!("{scheme}://{}", ep.authority()), settings)
    };
    let (conn, ldap) = LdapConnAsync::with_settings(settings, &url).await?;
    ldap3::drive!(conn);
    Ok(ldap)
}

/// The client config for a session on `ep`: SNI off for an IPv6 literal (there is no
/// name to send).
fn session_config(
    ep: &LdapEndpoint,
    config: Arc<rustls::ClientConfig>,
) -> Arc<rustls::ClientConfig> {
    if ep.is_ipv6_literal() {
        let mut c = Arc::unwrap_or_clone(config);
        c.enable_sni = false;
        Arc::new(c)
    } else {
        config
    }
}

/// The steps on an open session: root DSE; then (on plaintext only) the cleartext-bind
/// test under a naming context it knows (`known`, the session's own root DSE, or
/// `fallback` read over another channel); then the anonymous bind; then the anonymous
/// read of that naming context. Each with its own timeout.
async fn run_session(
    ldap: &mut Ldap,
    over: &'static str,
    known: Option<&KnownBase>,
    fallback: Option<&KnownBase>,
    t: Duration,
) -> Session {
    let mut s = Session {
        root_dse: Some(root_dse::read(ldap, over, t).await),
        ..Session::default()
    };
    let own = match &s.root_dse {
        Some(Ok(RootDseRead::Read(dse))) => dse.naming_contexts.first().map(|dn| KnownBase {
            dn: dn.clone(),
            source: format!("root DSE ({over})"),
        }),
        _ => None,
    };
    let base = known.cloned().or(own).or_else(|| fallback.cloned());
    if over == "plaintext" {
        let dn = base.as_ref().map(|b| b.dn.as_str());
        s.cleartext = Some(
            bind_test::cleartext_bind(ldap, dn, t)
                .await
                .map(|outcome| judge_cleartext(outcome, base.clone())),
        );
    }
    s.anonymous = Some(bind_test::anonymous_bind(ldap, t).await);
    s.read = Some(match &base {
        Some(b) => bind_test::anonymous_read(ldap, &b.dn, t)
            .await
            .map(|outcome| AnonymousRead {
                readable: Some(outcome.readable),
                over,
                base: Some(b.clone()),
                inconclusive: None,
                outcome: Some(outcome),
            }),
        None => Ok(AnonymousRead {
            readable: None,
            over,
            base: None,
            inconclusive: Some(NO_NAMING_CONTEXT.to_owned()),
            outcome: None,
        }),
    });
    let _ = tokio::time::timeout(t, ldap.unbind()).await;
    s
}

/// What the dummy bind's answer proves. A refusal for confidentiality (13, 8) proves it
/// wherever the DN was placed; success proves a password was evaluated. Anything else
/// (49 above all) proves something only for a DN inside a naming context the server
/// holds: slapd answers 49 for a DN outside every database before it looks at
/// `security simple_bind`.
fn judge_cleartext(outcome: BindOutcome, base: Option<KnownBase>) -> CleartextBind {
    let (refused, inconclusive) = if outcome.refused_for_confidentiality() {
        (Some(true), None)
    } else if base.is_some() || outcome.succeeded() {
        (Some(false), None)
    } else {
        (
            None,
            Some(format!(
                "{NO_NAMING_CONTEXT}; the dummy DN had to be placed outside every naming context, where a {} ({}) answer comes before the server's rule for cleartext binds",
                outcome.result_code, outcome.result
            )),
        )
    };
    CleartextBind {
        refused,
        base,
        inconclusive,
        outcome,
    }
}

fn tls_settings(t: Duration, config: Arc<rustls::ClientConfig>) -> LdapConnSettings {
    LdapConnSettings::new()
        .set_conn_timeout(t)
        .set_config(config)
}

/// The naming context given for the endpoint (`--ldap-base-dn`, `LdapSettings.BaseDN`).
fn explicit_base(ep: &LdapEndpoint) -> Option<KnownBase> {
    ep.base_dn.as_ref().map(|dn| KnownBase {
        dn: dn.clone(),
        source: "--ldap-base-dn or LdapSettings.BaseDN".to_owned(),
    })
}

async fn assess_plaintext_port(
    ep: &LdapEndpoint,
    opts: &LdapOptions,
    roots: Arc<rustls::RootCertStore>,
    a: &mut LdapAssessment,
) {
    let t = opts.timeout;
    let known = explicit_base(ep);

    // StartTLS first: a server that refuses everything in the clear (`security ssf=128`)
    // still tells its naming context over TLS, and the dummy bind needs it.
    let secured = async {
        let (config, recorder) = crate::probe::trust::recording_config(None)?;
        let config = session_config(ep, config);
        let outcome = connect(ep, "ldap", tls_settings(t, config).set_starttls(true), t).await;
        let mut starttls = StartTls {
            accepted: false,
            result_code: None,
            message: None,
            certificate: None,
        };
        match outcome {
            Ok(mut ldap) => {
                starttls.accepted = true;
                starttls.certificate = certificate_of(&recorder, &ep.host, &roots);
                let session = run_session(&mut ldap, "starttls", known.as_ref(), None, t).await;
                Ok((starttls, Some(session)))
            }
            Err(ldap3::LdapError::LdapResult { result }) => {
                starttls.result_code = Some(result.rc);
                starttls.message = Some(
                    format!(
                        "{} ({}) {}",
                        result.rc,
                        codes::result_code_name(result.rc),
                        result.text
                    )
                    .trim_end()
                    .to_owned(),
                );
                Ok((starttls, None))
            }
            Err(e) => Err(format!("StartTLS failed: {e}")),
        }
    }
    .await;
    let secured_nc = secured
        .as_ref()
        .ok()
        .and_then(|(_, s)| s.as_ref())
        .and_then(|s| match &s.root_dse {
            Some(Ok(RootDseRead::Read(dse))) => dse.naming_contexts.first().map(|dn| KnownBase {
                dn: dn.clone(),
                source: "root DSE (starttls)".to_owned(),
            }),
            _ => None,
        });
    // Enumerate unless the server refused StartTLS with an LDAP result: when our own
    // rustls session failed (a TLS 1.0-only directory, say), the raw-hello enumeration
    // still shows what the server speaks.
    let enumerate = match &secured {
        Ok((st, _)) => st.accepted,
        Err(_) => true,
    };

    let plain = async {
        let mut ldap = connect(ep, "ldap", LdapConnSettings::new().set_conn_timeout(t), t)
            .await
            .map_err(|e| format!("plaintext LDAP session: {e}"))?;
        Ok::<_, String>(
            run_session(
                &mut ldap,
                "plaintext",
                known.as_ref(),
                secured_nc.as_ref(),
                t,
            )
            .await,
        )
    };
    let enumeration = async {
        if enumerate {
            Some(tls_enum::enumerate(&ep.host, ep.port, true, opts.ca_file.clone(), t).await)
        } else {
            None
        }
    };
    let (plain, enumeration) = tokio::join!(plain, enumeration);

    let plain_session = match plain {
        Ok(s) => Some(s),
        Err(e) => {
            a.error("transport", e);
            None
        }
    };
    let tls_session = match secured {
        Ok((starttls, session)) => {
            a.starttls = Some(starttls);
            session
        }
        Err(e) => {
            a.error("starttls", e);
            None
        }
    };
    match enumeration {
        Some(Ok(e)) => a.tls = Some(e),
        Some(Err(e)) => a.error(TLS_ENUMERATION_STEP, e),
        None => {}
    }
    merge_sessions(a, plain_session, tls_session);
}

async fn assess_ldaps_port(
    ep: &LdapEndpoint,
    opts: &LdapOptions,
    roots: Arc<rustls::RootCertStore>,
    a: &mut LdapAssessment,
) {
    let t = opts.timeout;
    let known = explicit_base(ep);
    let session = async {
        let (config, recorder) = crate::probe::trust::recording_config(None)?;
        let config = session_config(ep, config);
        let mut ldap = connect(ep, "ldaps", tls_settings(t, config), t)
            .await
            .map_err(|e| format!("LDAPS session: {e}"))?;
        let certificate = certificate_of(&recorder, &ep.host, &roots);
        Ok::<_, String>((
            certificate,
            run_session(&mut ldap, "ldaps", known.as_ref(), None, t).await,
        ))
    };
    let enumeration = tls_enum::enumerate(&ep.host, ep.port, false, opts.ca_file.clone(), t);
    let (session, enumeration) = tokio::join!(session, enumeration);
    let mut tls_session = None;
    match session {
        Ok((certificate, s)) => {
            a.ldaps = Some(Ldaps { certificate });
            tls_session = Some(s);
        }
        Err(e) => a.error("ldaps", e),
    }
    match enumeration {
        Ok(e) => a.tls = Some(e),
        Err(e) => a.error(TLS_ENUMERATION_STEP, e),
    }
    merge_sessions(a, None, tls_session);
}

/// Combines what the plaintext and the protected session saw: the root DSE from whichever
/// could read it (plaintext first, as that is what a client sees before StartTLS), the
/// anonymous bind from the protected channel when there is one (a server may refuse
/// everything in the clear), the cleartext-bind test from plaintext.
fn merge_sessions(a: &mut LdapAssessment, plain: Option<Session>, secured: Option<Session>) {
    let mut dse_refusal = None;
    for s in [&plain, &secured].into_iter().flatten() {
        match &s.root_dse {
            Some(Ok(RootDseRead::Read(dse))) if a.root_dse.is_none() => {
                a.root_dse = Some(dse.clone())
            }
            Some(Ok(RootDseRead::Refused { message, .. })) => dse_refusal = Some(message.clone()),
            Some(Err(e)) => a.error("root-dse", e.clone()),
            _ => {}
        }
    }
    if a.root_dse.is_none()
        && let Some(m) = dse_refusal
    {
        a.notes.push(format!("the root DSE could not be read: {m}"));
    }
    if let Some(plain) = &plain {
        match &plain.cleartext {
            Some(Ok(bind)) => a.cleartext_bind = Some(bind.clone()),
            Some(Err(e)) => a.error("cleartext-bind", e.clone()),
            None => {}
        }
    }
    let secured_over = match a.scheme {
        LdapScheme::Ldap => "starttls",
        LdapScheme::Ldaps => "ldaps",
    };
    let candidates = [
        (secured.as_ref(), secured_over),
        (plain.as_ref(), "plaintext"),
    ];
    for (session, over) in candidates {
        match session.and_then(|s| s.anonymous.as_ref()) {
            Some(Ok(outcome)) => {
                a.anonymous_bind = Some(AnonymousBind {
                    allowed: outcome.succeeded(),
                    over,
                    outcome: outcome.clone(),
                });
                break;
            }
            Some(Err(e)) => a.error("anonymous-bind", e.clone()),
            None => {}
        }
    }
    // What an anonymous session can read: a decided answer from the protected channel
    // first, then from plaintext, else the first undecided one (with its reason).
    let mut reads: Vec<&AnonymousRead> = Vec::new();
    let mut read_errors: Vec<String> = Vec::new();
    for s in [secured.as_ref(), plain.as_ref()].into_iter().flatten() {
        match &s.read {
            Some(Ok(r)) => reads.push(r),
            Some(Err(e)) => read_errors.push(e.clone()),
            None => {}
        }
    }
    a.anonymous_read = reads
        .iter()
        .find(|r| r.readable.is_some())
        .or(reads.first())
        .map(|r| (*r).clone());
    if a.anonymous_read.as_ref().and_then(|r| r.readable).is_none() {
        for e in read_errors {
            a.error("anonymous-read", e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declares_every_fact_it_emits() {
        let declared: Vec<&str> = crate::catalogue::all().iter().map(|f| f.key).collect();
        let ep = LdapEndpoint::parse("ldap://127.0.0.1:389").unwrap();
        let mut a = LdapAssessment::new(&ep);
        a.speaks_plaintext = Some(true);
        a.speaks_tls = Some(false);
        a.root_dse = Some(root_dse::from_attrs(&Default::default(), "plaintext"));
        let cert = CertificateReport {
            key_type: "EC".into(),
            chain_valid: Some(true),
            hostname_match: Some(true),
            ..Default::default()
        };
        a.starttls = Some(StartTls {
            accepted: true,
            result_code: Some(0),
            message: None,
            certificate: Some(cert.clone()),
        });
        a.ldaps = Some(Ldaps {
            certificate: Some(cert),
        });
        let outcome = BindOutcome {
            result_code: 13,
            result: "confidentialityRequired",
            message: String::new(),
        };
        a.cleartext_bind = Some(CleartextBind {
            refused: Some(true),
            base: Some(KnownBase {
                dn: "dc=example,dc=org".into(),
                source: "root DSE (plaintext)".into(),
            }),
            inconclusive: None,
            outcome: outcome.clone(),
        });
        a.anonymous_read = Some(AnonymousRead {
            readable: Some(false),
            over: "starttls",
            base: Some(KnownBase {
                dn: "dc=example,dc=org".into(),
                source: "root DSE (plaintext)".into(),
            }),
            inconclusive: None,
            outcome: None,
        });
        a.anonymous_bind = Some(AnonymousBind {
            allowed: false,
            over: "starttls",
            outcome,
        });
        let maker = FactMaker::new("ldap", Some(ep.subject()));
        let mut ev = Evidence::default();
        for fact in a.facts(&maker) {
            ev.insert(fact.clone());
            assert!(
                declared.contains(&fact.key.as_str()),
                "undeclared fact {}",
                fact.key
            );
            let spec = crate::catalogue::spec(fact.key.as_str()).unwrap();
            assert_eq!(spec.ty, fact.value.fact_type(), "{}", fact.key);
            assert_eq!(fact.subject.as_deref(), Some("ldap://127.0.0.1:389"));
        }
        mark_config_endpoints(&mut ev);
        let configured = ev
            .lookup("ldap.configured", Some("ldap://127.0.0.1:389"))
            .unwrap();
        assert_eq!(configured.value, FactValue::Bool(false));
        assert!(declared.contains(&configured.key.as_str()));
    }

    #[test]
    fn marks_the_configured_endpoint() {
        let cfg = FactMaker::new("mattermost", None);
        let mut ev = Evidence::default();
        for (k, v) in [
            ("Enable", FactValue::Bool(true)),
            ("LdapServer", FactValue::Str("127.0.0.1".into())),
            ("LdapPort", FactValue::Int(389)),
            ("ConnectionSecurity", FactValue::Str("STARTTLS".into())),
        ] {
            ev.insert(cfg.fact(
                &format!("mattermost.config.LdapSettings.{k}"),
                v,
                "config.json",
            ));
        }
        for subject in ["ldap://127.0.0.1:389", "ldaps://other:636"] {
            let mk = FactMaker::new("ldap", Some(subject.into()));
            ev.attempts
                .push(mk.attempt(AttemptOutcome::Completed, &[family::LDAP]));
        }
        mark_config_endpoints(&mut ev);
        let v = |s: &str| {
            ev.lookup("ldap.configured", Some(s))
                .map(|f| f.value.clone())
        };
        assert_eq!(v("ldap://127.0.0.1:389"), Some(FactValue::Bool(true)));
        assert_eq!(v("ldaps://other:636"), Some(FactValue::Bool(false)));
    }
}
