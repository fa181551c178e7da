//! The fact catalogue: every fact key safeguard knows, its type, its scope (deployment-wide
//! or per endpoint) and what it means — declared once, apart from the probes.
//!
//! Probes emit facts *through* these declarations ([`FactSpec`] constants and the settings
//! table), so a key is never spelled twice; checks are type-checked against them when they
//! are loaded. Several probes may provide the same fact (TLS facts come from the TLS probe
//! on a site and from the LDAP probe on LDAPS; `mattermost.config.*` from the config file
//! and, later, the REST API): which probe did is recorded in each fact's provenance and in
//! the attempts of the evidence, never here.
//!
//! What does not belong here: how a fact is observed (`probe`), how it is judged (`check`).

use crate::evidence::FactType;
use std::collections::HashMap;
use std::sync::OnceLock;

pub mod api;
pub mod cluster;
pub mod host;
pub mod http;
pub mod ldap;
pub mod logs;
pub mod mattermost;
pub mod settings;
pub mod tls;

/// Whether a fact describes the deployment as a whole or one endpoint of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Configuration settings and what is derived from them: no subject.
    Deployment,
    /// Observed on one endpoint (`https://host:443`, `ldap://host:389`): checks over such
    /// facts are evaluated once per endpoint.
    Endpoint,
}

/// A fact safeguard knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactSpec {
    /// The dotted key.
    pub key: &'static str,
    pub ty: FactType,
    pub scope: Scope,
    /// One line saying what the fact means, for `safeguard checks facts` and the docs.
    pub doc: &'static str,
}

impl FactSpec {
    /// A deployment-wide fact.
    pub const fn deployment(key: &'static str, ty: FactType, doc: &'static str) -> Self {
        Self {
            key,
            ty,
            scope: Scope::Deployment,
            doc,
        }
    }

    /// A per-endpoint fact.
    pub const fn endpoint(key: &'static str, ty: FactType, doc: &'static str) -> Self {
        Self {
            key,
            ty,
            scope: Scope::Endpoint,
            doc,
        }
    }

    /// The family the fact belongs to (its first segment, or `mattermost.config` for
    /// settings): what a probe attempt says it covers.
    pub fn family(&self) -> &'static str {
        family_of(self.key)
    }
}

/// The families of facts. A probe attempt lists the families it was meant to provide, so
/// that evaluation can tell "the probe that should have said failed" (error) from "no
/// probe was asked" (not assessed) by reading the evidence alone.
pub mod family {
    pub const TLS: &str = "tls";
    pub const HTTP: &str = "http";
    pub const LDAP: &str = "ldap";
    /// Settings as the server resolves them (`mattermost.config.<Section>.<Key>`).
    pub const MATTERMOST_CONFIG: &str = "mattermost.config";
    /// Behaviour derived from several settings, the licence and the version.
    pub const MATTERMOST_DERIVED: &str = "mattermost";
    /// What the log and audit files on the host hold.
    pub const LOGS: &str = "logs";
    /// Permissions and encryption at rest of the Mattermost files on the host.
    pub const HOST: &str = "host";
    /// What the REST API alone tells: version, licence, API/file disagreements.
    pub const MATTERMOST_API: &str = "mattermost.api";
    /// The server's version judged against the security advisories.
    pub const MATTERMOST_ADVISORIES: &str = "mattermost.advisories";
    /// What a cluster node's gossip port does on the wire.
    pub const CLUSTER: &str = "cluster";
}

/// The family of any key: `mattermost.config` for settings, else the first segment.
pub fn family_of(key: &str) -> &'static str {
    if key.starts_with("mattermost.config.") {
        return family::MATTERMOST_CONFIG;
    }
    if key.starts_with("mattermost.api.") {
        return family::MATTERMOST_API;
    }
    if key.starts_with("mattermost.advisories.") {
        return family::MATTERMOST_ADVISORIES;
    }
    match key.split('.').next().unwrap_or_default() {
        "tls" => family::TLS,
        "http" => family::HTTP,
        "ldap" => family::LDAP,
        "mattermost" => family::MATTERMOST_DERIVED,
        "logs" => family::LOGS,
        "host" => family::HOST,
        "cluster" => family::CLUSTER,
        _ => "",
    }
}

/// Every fact, in catalogue order: TLS, HTTP, LDAP, Mattermost settings, derived facts,
/// logs, host, API, cluster.
pub fn all() -> &'static [FactSpec] {
    static ALL: OnceLock<Vec<FactSpec>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<FactSpec> = Vec::new();
        v.extend_from_slice(tls::FACTS);
        v.extend_from_slice(&tls::PROTOCOL_ACCEPTED);
        v.extend_from_slice(&tls::PROTOCOL_SUITES);
        v.extend_from_slice(&tls::PROTOCOL_SERVER_ORDER);
        v.extend_from_slice(&tls::PROTOCOL_ORDER_DEPENDS_ON_OFFER);
        v.extend_from_slice(http::FACTS);
        v.extend_from_slice(ldap::FACTS);
        v.extend(settings::SETTINGS.iter().map(|s| FactSpec {
            key: mattermost::config_key(s.path),
            ty: s.ty,
            scope: Scope::Deployment,
            doc: s.doc,
        }));
        v.extend_from_slice(mattermost::DERIVED);
        v.extend_from_slice(logs::FACTS);
        v.extend_from_slice(host::FACTS);
        v.extend_from_slice(api::FACTS);
        v.extend_from_slice(api::ADVISORY_FACTS);
        v.extend_from_slice(cluster::FACTS);
        v
    })
}

/// The spec of `key`, if the catalogue has it.
pub fn spec(key: &str) -> Option<&'static FactSpec> {
    static INDEX: OnceLock<HashMap<&'static str, &'static FactSpec>> = OnceLock::new();
    INDEX
        .get_or_init(|| all().iter().map(|s| (s.key, s)).collect())
        .get(key)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::FactKey;
    use std::collections::HashSet;

    #[test]
    fn keys_are_unique_well_formed_documented_and_in_a_family() {
        let mut keys = HashSet::new();
        for s in all() {
            assert!(FactKey::is_well_formed(s.key), "malformed key {}", s.key);
            assert!(keys.insert(s.key), "fact {} declared twice", s.key);
            assert!(!s.doc.is_empty(), "fact {} has no doc", s.key);
            assert!(!s.family().is_empty(), "fact {} has no family", s.key);
            assert_eq!(spec(s.key), Some(s));
        }
    }

    #[test]
    fn families() {
        assert_eq!(
            family_of("mattermost.config.X.Y"),
            family::MATTERMOST_CONFIG
        );
        assert_eq!(
            family_of("mattermost.push.effective-contents"),
            family::MATTERMOST_DERIVED
        );
        assert_eq!(family_of("tls.cert.key-bits"), family::TLS);
    }
}
