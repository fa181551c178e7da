//! Mattermost configuration probe (work in progress).

pub mod settings;

use super::{FactSpec, ProbeInfo};
use crate::evidence::FactType;

/// The registry entry.
pub const PROBE: ProbeInfo = ProbeInfo {
    id: "mattermost-config",
    description: "Reads a Mattermost config.json (or mmctl config show output) and MM_* environment overrides",
    per_endpoint: false,
    facts,
};

/// Facts derived from several settings, modelling what the server actually does.
pub const DERIVED_FACTS: &[FactSpec] = &[
    FactSpec::new(
        "mattermost.push.effective-contents",
        FactType::Str,
        "push contents the server really sends: id_loaded falls back to generic when the licence is known to lack IDLoadedPushNotifications",
    ),
    FactSpec::new(
        "mattermost.email.effective-contents",
        FactType::Str,
        "e-mail contents the server really sends: generic falls back to full when the licence is known to lack EmailNotificationContents",
    ),
    FactSpec::new(
        "mattermost.license.known",
        FactType::Bool,
        "a licence file was given, so licence-gated behaviour is modelled",
    ),
    FactSpec::new(
        "mattermost.sql.remote-cleartext",
        FactType::StrList,
        "database connections (primary and replicas) to a remote host without TLS; loopback hosts and unix sockets are exempt",
    ),
    FactSpec::new(
        "mattermost.sql.remote-unverified",
        FactType::StrList,
        "database connections to a remote host with TLS but without certificate verification (sslmode require/prefer/allow, tls=skip-verify)",
    ),
    FactSpec::new(
        "mattermost.retention.message-hours",
        FactType::Int,
        "effective message retention in hours (MessageRetentionHours when > 0, else MessageRetentionDays x 24)",
    ),
    FactSpec::new(
        "mattermost.retention.file-hours",
        FactType::Int,
        "effective file retention in hours (FileRetentionHours when > 0, else FileRetentionDays x 24)",
    ),
    FactSpec::new(
        "mattermost.cluster.gossip-encryption",
        FactType::Bool,
        "gossip encryption on, under either its v10 or v11 key name",
    ),
    FactSpec::new(
        "mattermost.audit.advanced-targets",
        FactType::Int,
        "targets in ExperimentalAuditSettings.AdvancedLoggingJSON",
    ),
];

fn facts() -> Vec<FactSpec> {
    let mut out: Vec<FactSpec> = settings::SETTINGS
        .iter()
        .map(|s| FactSpec {
            key: config_key(s.path),
            ty: s.ty,
            doc: s.doc,
        })
        .collect();
    out.extend_from_slice(DERIVED_FACTS);
    out
}

/// The fact key of a setting path. Leaked once per setting: the catalogue is static.
fn config_key(path: &'static str) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<HashMap<&'static str, &'static str>>> = OnceLock::new();
    let map = KEYS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut map = map.lock().unwrap_or_else(|e| e.into_inner());
    map.entry(path)
        .or_insert_with(|| Box::leak(format!("mattermost.config.{path}").into_boxed_str()))
}
