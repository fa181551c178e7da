//! Probes: the only code that reads files or talks to the network.
//!
//! Each probe turns what it reads into [`Fact`](crate::evidence::Fact)s and one
//! [`ProbeAttempt`](crate::evidence::ProbeAttempt) per subject. Every probe declares the
//! facts it can provide, with their types, in one registry ([`REGISTRY`]): the check
//! loader type-checks every check against it, and a corpus test proves that every fact a
//! check names is provided by some probe.
//!
//! What does not belong here: judging facts (`check`), scoring (`profile`), output (`report`).

use crate::evidence::FactType;

pub mod ldap;
pub mod mattermost;
pub mod tls;

/// A fact a probe may emit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactSpec {
    /// The dotted key.
    pub key: &'static str,
    pub ty: FactType,
    /// One line saying what the fact means, for `safeguard checks facts` and the docs.
    pub doc: &'static str,
}

impl FactSpec {
    /// Shorthand for the static tables.
    pub const fn new(key: &'static str, ty: FactType, doc: &'static str) -> Self {
        Self { key, ty, doc }
    }
}

/// What the registry knows of a probe.
#[derive(Debug, Clone, Copy)]
pub struct ProbeInfo {
    /// Stable id, used in provenance and attempts.
    pub id: &'static str,
    pub description: &'static str,
    /// Whether its facts describe an endpoint (one subject per endpoint) rather than the
    /// deployment as a whole.
    pub per_endpoint: bool,
    pub facts: fn() -> Vec<FactSpec>,
}

/// Every probe safeguard has.
pub const REGISTRY: &[ProbeInfo] = &[mattermost::PROBE, tls::PROBE, ldap::PROBE];

/// The declared spec of a fact key, and the probe that provides it.
pub fn fact_spec(key: &str) -> Option<(FactSpec, &'static ProbeInfo)> {
    REGISTRY.iter().find_map(|probe| {
        (probe.facts)()
            .into_iter()
            .find(|spec| spec.key == key)
            .map(|spec| (spec, probe))
    })
}

/// Every fact spec of every probe, with its probe id.
pub fn all_fact_specs() -> Vec<(FactSpec, &'static str)> {
    REGISTRY
        .iter()
        .flat_map(|p| (p.facts)().into_iter().map(move |s| (s, p.id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::FactKey;
    use std::collections::HashSet;

    #[test]
    fn probe_ids_and_fact_keys_are_unique_and_well_formed() {
        let mut ids = HashSet::new();
        for p in REGISTRY {
            assert!(ids.insert(p.id), "duplicate probe id {}", p.id);
        }
        let mut keys = HashSet::new();
        for (spec, probe) in all_fact_specs() {
            assert!(
                FactKey::is_well_formed(spec.key),
                "{probe}: malformed key {}",
                spec.key
            );
            assert!(
                keys.insert(spec.key),
                "{probe}: fact {} declared twice",
                spec.key
            );
            assert!(
                !spec.doc.is_empty(),
                "{probe}: fact {} has no doc",
                spec.key
            );
        }
    }
}
