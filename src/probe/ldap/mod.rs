//! LDAP probe: root DSE, StartTLS, the cleartext-bind test and LDAPS.
//! (Work in progress on the `ldap` branch.)

use super::{FactSpec, ProbeInfo};

/// The registry entry.
pub const PROBE: ProbeInfo = ProbeInfo {
    id: "ldap",
    description: "LDAP transport security: StartTLS, LDAPS and whether passwords are accepted in the clear",
    per_endpoint: true,
    facts,
};

fn facts() -> Vec<FactSpec> {
    Vec::new()
}
