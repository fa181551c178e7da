//! Certificates: a real rustls connection captures the chain (including the TLS 1.3
//! chain, which raw hellos cannot read because it is encrypted) and any stapled OCSP
//! response; rustls-webpki validates it against the trust store (Mozilla roots, the
//! system store and an optional private CA file); x509-parser reads the leaf's fields.
//!
//! The capturing verifier never decides whether the connection may proceed on trust
//! grounds: validation is done afterwards, on the captured chain, so that an invalid
//! chain is reported with its reason rather than ending the probe.

use super::connection::Endpoint;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use serde::Serialize;
use sha2::Digest;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
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
    /// The certificate facts, on the maker's subject.
    pub fn facts(
        &self,
        maker: &crate::evidence::FactMaker,
        src: &str,
    ) -> Vec<crate::evidence::Fact> {
        use crate::catalogue::tls as cat;
        use crate::evidence::FactValue::{Bool, Int, Str, StrList};
        let mut out = Vec::new();
        let mut put = |spec: &crate::catalogue::FactSpec, v| out.push(maker.put(spec, v, src));
        put(&cat::CERT_SUBJECT, Str(self.subject.clone()));
        put(&cat::CERT_ISSUER, Str(self.issuer.clone()));
        put(&cat::CERT_NOT_AFTER, Str(self.not_after.clone()));
        put(
            &cat::CERT_SUBJECT_ALT_NAMES,
            StrList(self.subject_alt_names.clone()),
        );
        put(&cat::CERT_SHA256, Str(self.sha256.clone()));
        put(&cat::CERT_KEY_TYPE, Str(self.key_type.clone()));
        put(&cat::CERT_KEY_BITS, Int(self.key_bits.into()));
        put(
            &cat::CERT_SIGNATURE_ALGORITHM,
            Str(self.signature_algorithm.clone()),
        );
        put(&cat::CERT_SIGNATURE_HASH, Str(self.signature_hash.clone()));
        put(&cat::CERT_DAYS_TO_EXPIRY, Int(self.days_to_expiry));
        put(&cat::CERT_LIFETIME_DAYS, Int(self.lifetime_days));
        put(
            &cat::CERT_SAN_PRESENT,
            Bool(!self.subject_alt_names.is_empty()),
        );
        put(&cat::CERT_EKU_SERVER_AUTH, Bool(self.eku_server_auth));
        put(
            &cat::CERT_OCSP_URL_PRESENT,
            Bool(!self.ocsp_urls.is_empty()),
        );
        put(
            &cat::CERT_CA_ISSUERS_PRESENT,
            Bool(!self.ca_issuer_urls.is_empty()),
        );
        put(&cat::CERT_CHAIN_IN_ORDER, Bool(self.chain_in_order));
        if let Some(v) = self.chain_valid {
            put(&cat::CERT_CHAIN_VALID, Bool(v));
        }
        if let Some(v) = self.hostname_match {
            put(&cat::CERT_HOSTNAME_MATCH, Bool(v));
        }
        if let Some(e) = &self.validation_error {
            put(&cat::CERT_VALIDATION_ERROR, Str(e.clone()));
        }
        out
    }
}

/// A chain captured from a live connection.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    pub chain: Vec<Vec<u8>>,
    pub ocsp: Vec<u8>,
    /// The HTTP response head when a request was made over the connection.
    pub http_head: Option<String>,
}

/// The trust store: Mozilla's roots, the system's, and `ca_file` when given.
pub fn load_roots(ca_file: Option<&Path>) -> Result<RootCertStore, String> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let native = rustls_native_certs::load_native_certs();
    let _ = roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| format!("cannot read CA file {}: {e}", path.display()))?;
        let certs: Vec<CertificateDer<'static>> = rustls_pemfile::certs(&mut pem.as_slice())
            .collect::<Result<_, _>>()
            .map_err(|e| format!("cannot parse CA file {}: {e}", path.display()))?;
        if certs.is_empty() {
            return Err(format!(
                "CA file {} holds no PEM certificate",
                path.display()
            ));
        }
        let (added, _) = roots.add_parsable_certificates(certs);
        if added == 0 {
            return Err(format!(
                "CA file {} holds no usable CA certificate",
                path.display()
            ));
        }
    }
    Ok(roots)
}

/// Connects with rustls (TLS 1.2/1.3), captures the chain and stapled OCSP, and, when
/// `http_get` is `(host, path)`, sends one GET and returns the response head.
pub async fn capture(
    ep: &Endpoint,
    name: ServerName<'static>,
    http_get: Option<(&str, &str)>,
) -> Result<Captured, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = Arc::new(CapturingVerifier {
        provider: provider.clone(),
        seen: Mutex::new(None),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let (stream, _permit) = ep.open().await.map_err(|e| e.to_string())?;
    let handshake = tokio::time::timeout(ep.timeout, connector.connect(name, stream)).await;
    let seen = verifier.seen.lock().map(|mut s| s.take()).unwrap_or(None);
    let (chain, ocsp) = match (&handshake, seen) {
        (_, Some(seen)) => seen,
        (Ok(Err(e)), None) => return Err(format!("TLS handshake failed: {e}")),
        (Err(_), None) => {
            return Err(format!(
                "TLS handshake did not finish within {:.1} s",
                ep.timeout.as_secs_f64()
            ));
        }
        (Ok(Ok(_)), None) => return Err("TLS handshake finished without a certificate".into()),
    };
    let mut out = Captured {
        chain,
        ocsp,
        http_head: None,
    };
    if let (Ok(Ok(mut tls)), Some((host, path))) = (handshake, http_get) {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: safeguard\r\nAccept: */*\r\nConnection: close\r\n\r\n"
        );
        let read = async {
            tls.write_all(req.as_bytes()).await?;
            read_head(&mut tls).await
        };
        if let Ok(Ok(head)) = tokio::time::timeout(ep.timeout, read).await {
            out.http_head = Some(head);
        }
    }
    Ok(out)
}

/// Reads an HTTP response head (up to 64 KiB, up to the blank line).
pub async fn read_head<S: AsyncReadExt + Unpin>(s: &mut S) -> std::io::Result<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.truncate(end);
            break;
        }
        if buf.len() > 64 * 1024 {
            break;
        }
        let n = match s.read(&mut chunk).await {
            Ok(n) => n,
            Err(e) if buf.is_empty() => return Err(e),
            Err(_) => 0,
        };
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
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
    let alg = spki.algorithm.algorithm.to_id_string();
    r.key_type = match alg.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => "RSA",
        "1.2.840.10045.2.1" => "EC",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.10040.4.1" => "DSA",
        other => other,
    }
    .to_owned();
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

/// A captured chain (leaf first) and stapled OCSP response.
type Seen = (Vec<Vec<u8>>, Vec<u8>);

/// Accepts any chain (capturing it for later validation) but still checks handshake
/// signatures, so the connection is a real one.
#[derive(Debug)]
struct CapturingVerifier {
    provider: Arc<CryptoProvider>,
    seen: Mutex<Option<Seen>>,
}

impl ServerCertVerifier for CapturingVerifier {
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
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some((chain, ocsp_response.to_vec()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_table_names_hashes() {
        assert_eq!(signature_algorithm("1.2.840.113549.1.1.5").1, "SHA-1");
        assert_eq!(signature_algorithm("1.2.840.10045.4.3.2").1, "SHA-256");
        assert_eq!(signature_algorithm("1.2.3").1, "unknown");
        assert_eq!(ip_string(&[127, 0, 0, 1]), "127.0.0.1");
    }
}
