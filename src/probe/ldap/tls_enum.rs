//! The bridge to the TLS probe: protocol, suite, group and certificate enumeration on an
//! LDAPS port, or after StartTLS on a plaintext port. Kept to this one file so the LDAP
//! probe depends on the TLS probe's API in one place.
//!
//! What does not belong here: the enumeration itself (`probe::tls`).

use crate::evidence::{Fact, FactMaker};
use crate::probe::tls::{self, TlsAssessment, TlsTarget, Upgrade};
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// The TLS probe's assessment of one TLS channel.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct TlsEnumeration(pub TlsAssessment);

impl TlsEnumeration {
    /// The `tls.*` facts, on the maker's subject.
    pub fn facts(&self, maker: &FactMaker) -> Vec<Fact> {
        self.0.facts(maker)
    }
}

/// Enumerates TLS on `host:port`, after StartTLS when `starttls`.
pub async fn enumerate(
    host: &str,
    port: u16,
    starttls: bool,
    ca_file: Option<PathBuf>,
    timeout: Duration,
) -> Result<TlsEnumeration, String> {
    let mut target = TlsTarget::new(host, port);
    target.upgrade = if starttls {
        Upgrade::LdapStartTls
    } else {
        Upgrade::None
    };
    target.ca_file = ca_file;
    target.timeout = timeout;
    tls::assess(&target)
        .await
        .map(TlsEnumeration)
        .map_err(|e| e.to_string())
}
