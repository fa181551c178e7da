//! Trust: the one place where safeguard decides what a certificate is worth, shared by
//! every probe that speaks TLS (the TLS probe, LDAPS and StartTLS in the LDAP probe, and
//! any REST client). It holds
//!
//! - the trust store ([`load_roots`]): Mozilla's roots (webpki-roots), the system's
//!   roots and an optional `--ca-file`, loaded once per CA file and shared;
//! - the recording verifier ([`DangerousRecordingVerifier`]): it lets a handshake finish
//!   whatever certificate the server sends, so the probe can read the chain and the
//!   stapled OCSP response and say *why* it is bad. It is only ever used for read-only
//!   probing: no credential or secret is sent over a session it accepted;
//! - the assessment ([`assess_chain`]): rustls-webpki validation of the chain against
//!   the store, RFC 6125 host-name / address matching, and the certificate's fields;
//! - the certificate facts ([`CertificateReport::facts`], [`served_facts`]): the
//!   `tls.cert.*` and `tls.certs.*` facts, whichever probe observed the certificate.
//!
//! What does not belong here: opening connections (each probe does, with its own
//! transport), protocol enumeration (`probe::tls`), and judging facts (`checks/`).

pub mod certificate;
pub mod verifier;

pub use certificate::{CertificateReport, assess_chain, served_facts};
pub use verifier::{DangerousRecordingVerifier, KeyFamily, Recorder, Seen, recording_config};

use rustls::RootCertStore;
use rustls::pki_types::CertificateDer;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// The trust store: Mozilla's roots, the system's, and `ca_file` when given. Loaded once
/// per CA file for the life of the process (a scan probes many endpoints with one store).
pub fn load_roots(ca_file: Option<&Path>) -> Result<Arc<RootCertStore>, String> {
    static CACHE: OnceLock<Mutex<HashMap<Option<PathBuf>, Arc<RootCertStore>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = ca_file.map(Path::to_path_buf);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(found);
    }
    let roots = Arc::new(build_roots(ca_file)?);
    if let Ok(mut c) = cache.lock() {
        c.insert(key, roots.clone());
    }
    Ok(roots)
}

fn build_roots(ca_file: Option<&Path>) -> Result<RootCertStore, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_ca_file_is_an_error() {
        assert!(load_roots(Some(Path::new("/nonexistent/ca.pem"))).is_err());
        let a = load_roots(None).unwrap();
        let b = load_roots(None).unwrap();
        assert!(Arc::ptr_eq(&a, &b), "the store is loaded once");
    }
}
