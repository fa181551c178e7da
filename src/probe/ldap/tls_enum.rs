//! The bridge to the TLS probe: protocol, suite, group and certificate enumeration on an
//! LDAPS port, or after StartTLS on a plaintext port. Kept to this one file so the LDAP
//! probe depends on the TLS probe's API in one place.
//!
//! What does not belong here: the enumeration itself (`probe::tls`).

use crate::evidence::{Fact, FactMaker};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// Whether this build has the TLS probe's enumeration. While it is missing, the LDAP probe
/// says so in a note instead of pretending to have enumerated.
pub const AVAILABLE: bool = false;

/// The TLS probe's assessment of one TLS channel.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct TlsEnumeration(serde_json::Value);

impl TlsEnumeration {
    /// The `tls.*` facts, on the maker's subject.
    pub fn facts(&self, _maker: &FactMaker) -> Vec<Fact> {
        Vec::new()
    }
}

/// Enumerates TLS on `host:port`, after StartTLS when `starttls`.
pub async fn enumerate(
    _host: &str,
    _port: u16,
    _starttls: bool,
    _ca_file: Option<PathBuf>,
    _timeout: Duration,
) -> Result<TlsEnumeration, String> {
    Err("TLS enumeration is not available in this build".to_owned())
}
