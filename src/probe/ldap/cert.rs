//! Certificate validation for the probe's own TLS sessions (LDAPS and after StartTLS).
//!
//! rustls must finish the handshake even when the certificate does not validate, or the
//! probe could not read the root DSE over TLS nor say *why* the certificate is bad. So the
//! session uses a [`RecordingVerifier`]: it runs the real webpki verification (system-wide
//! web roots plus `--ca-file`), records the verdict and the chain, and lets the handshake
//! proceed. Handshake signatures are still verified. The probe never sends a credential
//! over such a session, so accepting an unvalidated peer costs nothing.
//!
//! What does not belong here: protocol and suite enumeration (the TLS probe does that).

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::Serialize;
use std::net::IpAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// What the probe learnt about the certificate a TLS session presented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertCheck {
    /// The chain validates to a trusted root (web roots plus `--ca-file`) for the host name.
    pub valid: bool,
    /// Why it does not, as rustls says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The leaf's subjectAltName covers the host the endpoint was given as (RFC 6125; the
    /// CN is ignored, as modern clients do). None if the leaf could not be parsed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname_match: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_after: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub subject_alt_names: Vec<String>,
}

/// Trust anchors: the same store the TLS probe uses (Mozilla's roots, the system's, and
/// `ca_file`), so every probe judges certificates by one policy.
pub fn root_store(ca_file: Option<&Path>) -> Result<RootCertStore, String> {
    crate::probe::tls::certificate::load_roots(ca_file)
}

/// A client config whose verifier records instead of refusing; read the outcome from the
/// returned [`Recorder`] after the handshake.
pub fn recording_config(
    roots: Arc<RootCertStore>,
) -> Result<(Arc<ClientConfig>, Recorder), String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
        .build()
        .map_err(|e| format!("cannot build the certificate verifier: {e}"))?;
    let recorder = Recorder::default();
    let verifier = RecordingVerifier {
        inner,
        provider: provider.clone(),
        recorder: recorder.clone(),
    };
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot configure TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok((Arc::new(config), recorder))
}

/// Where a [`RecordingVerifier`] leaves what it saw.
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Option<Seen>>>);

#[derive(Debug, Clone)]
struct Seen {
    leaf: Vec<u8>,
    verdict: Result<(), String>,
}

impl Recorder {
    /// The certificate check for `host`, once a handshake presented a certificate.
    pub fn check(&self, host: &str) -> Option<CertCheck> {
        let seen = self.0.lock().ok()?.clone()?;
        let mut check = CertCheck {
            valid: seen.verdict.is_ok(),
            error: seen.verdict.err(),
            hostname_match: None,
            subject: None,
            issuer: None,
            not_after: None,
            subject_alt_names: Vec::new(),
        };
        if let Ok((_, cert)) = x509_parser::parse_x509_certificate(&seen.leaf) {
            check.subject = Some(cert.subject().to_string());
            check.issuer = Some(cert.issuer().to_string());
            check.not_after = cert
                .validity()
                .not_after
                .to_datetime()
                .format(&time::format_description::well_known::Rfc3339)
                .ok();
            let mut names = Vec::new();
            if let Ok(Some(san)) = cert.subject_alternative_name() {
                for name in &san.value.general_names {
                    match name {
                        x509_parser::extensions::GeneralName::DNSName(d) => {
                            names.push(SanName::Dns((*d).to_owned()));
                        }
                        x509_parser::extensions::GeneralName::IPAddress(b) => {
                            if let Some(ip) = ip_from_bytes(b) {
                                names.push(SanName::Ip(ip));
                            }
                        }
                        _ => {}
                    }
                }
            }
            check.hostname_match = Some(names_cover(&names, host));
            check.subject_alt_names = names.iter().map(SanName::to_string).collect();
        }
        Some(check)
    }
}

#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    provider: Arc<CryptoProvider>,
    recorder: Recorder,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self
            .inner
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            .map(|_| ())
            .map_err(|e| e.to_string());
        if let Ok(mut slot) = self.recorder.0.lock() {
            *slot = Some(Seen {
                leaf: end_entity.as_ref().to_vec(),
                verdict,
            });
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum SanName {
    Dns(String),
    Ip(IpAddr),
}

impl std::fmt::Display for SanName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Dns(d) => write!(f, "DNS:{d}"),
            Self::Ip(ip) => write!(f, "IP:{ip}"),
        }
    }
}

fn ip_from_bytes(b: &[u8]) -> Option<IpAddr> {
    match b.len() {
        4 => <[u8; 4]>::try_from(b).ok().map(IpAddr::from),
        16 => <[u8; 16]>::try_from(b).ok().map(IpAddr::from),
        _ => None,
    }
}

/// RFC 6125 §6.4: an IP host matches an IP SAN; a DNS host matches a DNS SAN exactly
/// (case-insensitively) or a `*.` wildcard standing for exactly one left-most label.
fn names_cover(names: &[SanName], host: &str) -> bool {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return names.contains(&SanName::Ip(ip));
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    names.iter().any(|n| match n {
        SanName::Dns(pattern) => {
            let pattern = pattern.trim_end_matches('.').to_ascii_lowercase();
            match pattern.strip_prefix("*.") {
                Some(suffix) => host
                    .split_once('.')
                    .is_some_and(|(label, rest)| !label.is_empty() && rest == suffix),
                None => pattern == host,
            }
        }
        SanName::Ip(_) => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostname_matching() {
        let names = vec![
            SanName::Dns("ldap.example.org".into()),
            SanName::Dns("*.dir.example.org".into()),
            SanName::Ip("127.0.0.1".parse().unwrap()),
        ];
        assert!(names_cover(&names, "LDAP.example.org"));
        assert!(names_cover(&names, "a.dir.example.org"));
        assert!(!names_cover(&names, "a.b.dir.example.org"));
        assert!(!names_cover(&names, "dir.example.org"));
        assert!(names_cover(&names, "127.0.0.1"));
        assert!(!names_cover(&names, "127.0.0.2"));
        assert!(!names_cover(&names, "example.org"));
    }

    #[test]
    fn missing_ca_file_is_an_error() {
        assert!(root_store(Some(Path::new("/nonexistent/ca.pem"))).is_err());
        assert!(root_store(None).is_ok());
    }
}
