//! Mattermost configuration probe (work in progress).

use super::{FactSpec, ProbeInfo};

/// The registry entry.
pub const PROBE: ProbeInfo = ProbeInfo {
    id: "mattermost-config",
    description: "Reads a Mattermost config.json (or mmctl config show output) and MM_* environment overrides",
    per_endpoint: false,
    facts,
};

fn facts() -> Vec<FactSpec> {
    Vec::new()
}
