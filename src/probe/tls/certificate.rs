//! Capturing certificates over the TLS probe's own connections: a real rustls handshake
//! (TLS 1.2/1.3; the TLS 1.3 chain is encrypted, so raw hellos cannot read it) with the
//! trust module's recording verifier, which keeps the chain and stapled OCSP response for
//! [`crate::probe::trust::assess_chain`] to judge. A handshake may offer every signature
//! scheme, or only one key family's, so that a server with several certificates shows
//! each ([`capture_families`]).
//!
//! What does not belong here: the trust store, the verifier and the verdicts
//! (`probe::trust`).

use super::connection::Endpoint;
use crate::probe::trust::{self, KeyFamily};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub use crate::probe::trust::CertificateReport;

/// A chain captured from a live connection.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    pub chain: Vec<Vec<u8>>,
    pub ocsp: Vec<u8>,
    /// The HTTP response head when a request was made over the connection.
    pub http_head: Option<String>,
}

/// Why a capture got no certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureError {
    /// The server ended the handshake (an alert, a close or a reset) before sending a
    /// certificate: with a restricted offer, it has no certificate for that key family.
    Refused(String),
    /// No answer in time, or no connection: nothing can be said.
    Unknown(String),
}

impl std::fmt::Display for CaptureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(m) | Self::Unknown(m) => f.write_str(m),
        }
    }
}

/// Connects with rustls (TLS 1.2/1.3), captures the chain and stapled OCSP, and, when
/// `http_get` is `(host, path)`, sends one GET and returns the response head.
pub async fn capture(
    ep: &Endpoint,
    name: ServerName<'static>,
    http_get: Option<(&str, &str)>,
) -> Result<Captured, String> {
    capture_offering(ep, name, http_get, None)
        .await
        .map_err(|e| e.to_string())
}

/// [`capture`], offering only `only`'s signature schemes and TLS 1.2 suites when given.
pub async fn capture_offering(
    ep: &Endpoint,
    name: ServerName<'static>,
    http_get: Option<(&str, &str)>,
    only: Option<KeyFamily>,
) -> Result<Captured, CaptureError> {
    let (config, recorder) = trust::recording_config(only).map_err(CaptureError::Unknown)?;
    let connector = tokio_rustls::TlsConnector::from(config);
    let (stream, _permit) = ep
        .open()
        .await
        .map_err(|e| CaptureError::Unknown(e.to_string()))?;
    let handshake = tokio::time::timeout(ep.timeout, connector.connect(name, stream)).await;
    let seen = recorder.take();
    let seen = match (&handshake, seen) {
        (_, Some(seen)) => seen,
        (Ok(Err(e)), None) => {
            return Err(CaptureError::Refused(format!("TLS handshake failed: {e}")));
        }
        (Err(_), None) => {
            return Err(CaptureError::Unknown(format!(
                "TLS handshake did not finish within {:.1} s",
                ep.timeout.as_secs_f64()
            )));
        }
        (Ok(Ok(_)), None) => {
            return Err(CaptureError::Unknown(
                "TLS handshake finished without a certificate".into(),
            ));
        }
    };
    let mut out = Captured {
        chain: seen.chain,
        ocsp: seen.ocsp,
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

/// Offers each of `families` alone (its signature schemes and TLS 1.2 suites), in
/// handshakes run together: a server with a certificate of that family answers with it,
/// one without refuses the handshake ([`CaptureError::Refused`]).
pub async fn capture_families(
    ep: &Endpoint,
    name: ServerName<'static>,
    families: &[KeyFamily],
) -> Vec<(KeyFamily, Result<Captured, CaptureError>)> {
    let tries = families
        .iter()
        .map(|f| capture_offering(ep, name.clone(), None, Some(*f)));
    let results = super::enumerate::join_all(tries).await;
    families.iter().copied().zip(results).collect()
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
