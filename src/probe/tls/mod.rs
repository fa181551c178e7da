//! TLS probe: hand-written ClientHellos enumerate protocol versions, cipher suites and
//! groups; rustls makes the validated connection that checks the certificate chain.
//! (Work in progress on the `tls` branch.)

use super::{FactSpec, ProbeInfo};

/// The registry entry.
pub const PROBE: ProbeInfo = ProbeInfo {
    id: "tls",
    description: "TLS protocol, cipher-suite, group and certificate assessment of an endpoint",
    per_endpoint: true,
    facts,
};

fn facts() -> Vec<FactSpec> {
    Vec::new()
}
