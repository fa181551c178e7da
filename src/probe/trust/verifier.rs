//! The recording verifier: a rustls [`ServerCertVerifier`] that accepts any chain so the
//! handshake finishes and the probe can observe what the server sends. Its name says it
//! is dangerous because it is: a session it accepted proves nothing about the peer. The
//! probes only read over such sessions (a root DSE, a response head) and never send a
//! credential; the chain is judged afterwards by [`super::assess_chain`].
//!
//! Handshake signatures are still verified, so the session is a real one with the holder
//! of the certificate's key. The verifier can also restrict the signature schemes the
//! client offers to one key family ([`KeyFamily`]), which is how a server with several
//! certificates (an ECDSA and an RSA one, say) is made to show each of them.
//!
//! What does not belong here: validation verdicts (`certificate`), connections (probes).

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme, SupportedCipherSuite};
use std::sync::{Arc, Mutex};

/// A captured chain (leaf first) and the stapled OCSP response (empty when none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seen {
    pub chain: Vec<Vec<u8>>,
    pub ocsp: Vec<u8>,
}

/// Where a [`DangerousRecordingVerifier`] leaves what it saw; read it after the handshake.
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<Option<Seen>>>);

impl Recorder {
    /// What the last handshake presented, if it got as far as a certificate.
    pub fn take(&self) -> Option<Seen> {
        self.0.lock().ok().and_then(|mut s| s.take())
    }

    /// A copy of what was seen, leaving it in place.
    pub fn peek(&self) -> Option<Seen> {
        self.0.lock().ok().and_then(|s| s.clone())
    }
}

/// The key families a server certificate may have, told apart by the signature schemes a
/// client offers (TLS 1.3, and TLS 1.2 `signature_algorithms`) and, in TLS 1.2, by the
/// authentication of the cipher suites offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyFamily {
    Rsa,
    Ecdsa,
    Eddsa,
}

impl KeyFamily {
    pub const ALL: [KeyFamily; 3] = [KeyFamily::Rsa, KeyFamily::Ecdsa, KeyFamily::Eddsa];

    /// The family of a certificate key type as [`super::CertificateReport::key_type`]
    /// names it (`RSA`, `EC`, `Ed25519`, `Ed448`).
    pub fn of_key_type(key_type: &str) -> Option<KeyFamily> {
        match key_type {
            "RSA" => Some(KeyFamily::Rsa),
            "EC" => Some(KeyFamily::Ecdsa),
            "Ed25519" | "Ed448" => Some(KeyFamily::Eddsa),
            _ => None,
        }
    }

    /// A short name for notes: `RSA`, `ECDSA`, `EdDSA`.
    pub fn name(self) -> &'static str {
        match self {
            KeyFamily::Rsa => "RSA",
            KeyFamily::Ecdsa => "ECDSA",
            KeyFamily::Eddsa => "EdDSA",
        }
    }

    fn has_scheme(self, s: SignatureScheme) -> bool {
        use SignatureScheme as S;
        match self {
            KeyFamily::Rsa => matches!(
                s,
                S::RSA_PKCS1_SHA1
                    | S::RSA_PKCS1_SHA256
                    | S::RSA_PKCS1_SHA384
                    | S::RSA_PKCS1_SHA512
                    | S::RSA_PSS_SHA256
                    | S::RSA_PSS_SHA384
                    | S::RSA_PSS_SHA512
            ),
            KeyFamily::Ecdsa => matches!(
                s,
                S::ECDSA_SHA1_Legacy
                    | S::ECDSA_NISTP256_SHA256
                    | S::ECDSA_NISTP384_SHA384
                    | S::ECDSA_NISTP521_SHA512
            ),
            KeyFamily::Eddsa => matches!(s, S::ED25519 | S::ED448),
        }
    }

    /// Whether a TLS 1.2 suite authenticates with this family (EdDSA uses the ECDSA
    /// suites, RFC 8422 §5.5). TLS 1.3 suites carry no authentication and always fit.
    fn fits_suite(self, suite: &SupportedCipherSuite) -> bool {
        match suite {
            SupportedCipherSuite::Tls12(s) => s.sign.iter().any(|x| match self {
                KeyFamily::Eddsa => KeyFamily::Ecdsa.has_scheme(*x),
                _ => self.has_scheme(*x),
            }),
            SupportedCipherSuite::Tls13(_) => true,
        }
    }
}

/// Accepts any certificate chain, recording it (and the stapled OCSP response) for the
/// probe to judge afterwards; verifies handshake signatures as usual. Offers every
/// signature scheme the provider verifies, or only one key family's.
#[derive(Debug)]
pub struct DangerousRecordingVerifier {
    provider: Arc<CryptoProvider>,
    only: Option<KeyFamily>,
    recorder: Recorder,
}

impl DangerousRecordingVerifier {
    pub fn new(provider: Arc<CryptoProvider>, only: Option<KeyFamily>) -> Self {
        Self {
            provider,
            only,
            recorder: Recorder::default(),
        }
    }

    /// Where the verifier records what it sees.
    pub fn recorder(&self) -> Recorder {
        self.recorder.clone()
    }
}

impl ServerCertVerifier for DangerousRecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let mut chain = vec![end_entity.as_ref().to_vec()];
        chain.extend(intermediates.iter().map(|c| c.as_ref().to_vec()));
        if let Ok(mut slot) = self.recorder.0.lock() {
            *slot = Some(Seen {
                chain,
                ocsp: ocsp_response.to_vec(),
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
        let all = self
            .provider
            .signature_verification_algorithms
            .supported_schemes();
        match self.only {
            None => all,
            Some(family) => all.into_iter().filter(|s| family.has_scheme(*s)).collect(),
        }
    }
}

/// A rustls client config (TLS 1.2 and 1.3, ring) whose verifier records instead of
/// refusing; with `only`, it offers only that key family's signature schemes and TLS 1.2
/// suites. Read the chain from the returned [`Recorder`] after the handshake.
pub fn recording_config(only: Option<KeyFamily>) -> Result<(Arc<ClientConfig>, Recorder), String> {
    let mut provider = rustls::crypto::ring::default_provider();
    if let Some(family) = only {
        provider.cipher_suites.retain(|s| family.fits_suite(s));
    }
    let provider = Arc::new(provider);
    let verifier = Arc::new(DangerousRecordingVerifier::new(provider.clone(), only));
    let recorder = verifier.recorder();
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("cannot configure TLS: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok((Arc::new(config), recorder))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_offers_only_its_schemes_and_suites() {
        for family in KeyFamily::ALL {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let v = DangerousRecordingVerifier::new(provider, Some(family));
            let schemes = v.supported_verify_schemes();
            assert!(!schemes.is_empty(), "{family:?}");
            assert!(schemes.iter().all(|s| family.has_scheme(*s)), "{family:?}");
            assert!(recording_config(Some(family)).is_ok());
        }
        let provider = rustls::crypto::ring::default_provider();
        let rsa_suites = provider
            .cipher_suites
            .iter()
            .filter(|s| KeyFamily::Rsa.fits_suite(s))
            .count();
        assert!(rsa_suites < provider.cipher_suites.len());
    }
}
