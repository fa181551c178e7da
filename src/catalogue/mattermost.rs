//! Mattermost facts: every setting of [`super::settings::SETTINGS`] as
//! `mattermost.config.<path>`, and the behaviour derived from several settings (and the
//! licence) that the server really exhibits.

use super::FactSpec;
use super::settings;
use crate::evidence::FactType::{Bool, Int, Str, StrList};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The prefix of every setting fact.
pub const CONFIG_PREFIX: &str = "mattermost.config.";

pub const PUSH_EFFECTIVE_CONTENTS: FactSpec = FactSpec::deployment(
    "mattermost.push.effective-contents",
    Str,
    "push contents the server really sends: id_loaded falls back to generic when the licence is known to lack IDLoadedPushNotifications",
);
pub const EMAIL_EFFECTIVE_CONTENTS: FactSpec = FactSpec::deployment(
    "mattermost.email.effective-contents",
    Str,
    "e-mail contents the server really sends: generic falls back to full when the licence is known to lack EmailNotificationContents",
);
pub const LICENSE_STATE: FactSpec = FactSpec::deployment(
    "mattermost.license.state",
    Str,
    "what is known of the licence: given, unlicensed (IsLicensed false) or unknown (none supplied: licence-gated behaviour is unknown)",
);
pub const SERVER_VERSION: FactSpec = FactSpec::deployment(
    "mattermost.server.version",
    Str,
    "the server version (X.Y.Z), when stated (--mattermost-version) or observed",
);
pub const CONFIG_SOURCE: FactSpec = FactSpec::deployment(
    "mattermost.source.config",
    Str,
    "where the server reads its configuration: file or database (MM_CONFIG with a DSN; that config is not read)",
);
pub const MFA_ENFORCED: FactSpec = FactSpec::deployment(
    "mattermost.mfa.enforced",
    Bool,
    "MFA is really required of e-mail and LDAP accounts: EnableMultifactorAuthentication, EnforceMultifactorAuthentication and the licence's MFA feature (server/channels/app MFARequired)",
);
pub const MFA_GUEST_ENFORCED: FactSpec = FactSpec::deployment(
    "mattermost.mfa.guest-enforced",
    Bool,
    "MFA is really required of guests: MFA enforced for everyone and GuestAccountsSettings.EnforceMultifactorAuthentication",
);
pub const GUESTS_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.guests.active",
    Bool,
    "guest accounts are on: GuestAccountsSettings.Enable and the licence's GuestAccounts feature",
);
pub const S3_SSE_EFFECTIVE: FactSpec = FactSpec::deployment(
    "mattermost.storage.s3-sse",
    Bool,
    "the server asks S3 for server-side encryption: FileSettings.AmazonS3SSE and the licence's Compliance feature (model/config.go ToFileBackendSettings)",
);
pub const AUDIT_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.audit.active",
    Bool,
    "the server writes audit records somewhere: the audit file target, or an advanced target bound to an audit level when the licence has AdvancedLogging (config/logger.go IsAuditLoggingActive)",
);
pub const AUDIT_FILE_MAX_AGE_DAYS: FactSpec = FactSpec::deployment(
    "mattermost.audit.file-max-age-days",
    Int,
    "days after which the audit file target deletes rotated files (0 = never); servers from 6.0 ignore FileMaxAgeDays and never delete",
);
pub const AUDIT_FILE_MAX_BACKUPS: FactSpec = FactSpec::deployment(
    "mattermost.audit.file-max-backups",
    Int,
    "rotated audit files kept (0 = all); servers from 6.0 ignore FileMaxBackups and keep all",
);
pub const COMPLIANCE_EXPORT_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.compliance.export-active",
    Bool,
    "compliance export runs: MessageExportSettings.EnableExport and the licence's MessageExport feature",
);
pub const COMPLIANCE_MONITORING_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.compliance.monitoring-active",
    Bool,
    "compliance reports are available: ComplianceSettings.Enable and the licence's Compliance feature",
);
pub const RETENTION_MESSAGE_DELETION_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.retention.message-deletion-active",
    Bool,
    "the data retention job deletes messages: DataRetentionSettings.EnableMessageDeletion and the licence's DataRetention feature",
);
pub const RETENTION_FILE_DELETION_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.retention.file-deletion-active",
    Bool,
    "the data retention job deletes files: DataRetentionSettings.EnableFileDeletion and the licence's DataRetention feature",
);
pub const LDAP_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.ldap.active",
    Bool,
    "AD/LDAP sign-in is on: LdapSettings.Enable and the licence's LDAP feature",
);
pub const SAML_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.saml.active",
    Bool,
    "SAML sign-in is on: SamlSettings.Enable and the licence's SAML feature",
);
pub const ELASTICSEARCH_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.elasticsearch.active",
    Bool,
    "Elasticsearch indexing is on: ElasticsearchSettings.EnableIndexing and the licence's Elasticsearch feature",
);
pub const CLUSTER_ACTIVE: FactSpec = FactSpec::deployment(
    "mattermost.cluster.active",
    Bool,
    "high-availability clustering is on: ClusterSettings.Enable and the licence's Cluster feature",
);
pub const SQL_REMOTE_CLEARTEXT: FactSpec = FactSpec::deployment(
    "mattermost.sql.remote-cleartext",
    StrList,
    "database connections (primary, replicas, search replicas and replica-lag sources) to a remote host without TLS; loopback hosts and unix sockets are exempt",
);
pub const SQL_REMOTE_POSTGRES_ENDPOINTS: FactSpec = FactSpec::deployment(
    "mattermost.sql.remote-postgres-endpoints",
    StrList,
    "PostgreSQL connections (primary, replicas, replica-lag checks) to a host other than the Mattermost server's own, as `host:port (role)`, after environment overrides: the database hops a scan can probe",
);
pub const SQL_REMOTE_UNVERIFIED: FactSpec = FactSpec::deployment(
    "mattermost.sql.remote-unverified",
    StrList,
    "database connections to a remote host with TLS but without certificate verification (sslmode require/prefer/allow, tls=skip-verify)",
);
pub const RETENTION_MESSAGE_HOURS: FactSpec = FactSpec::deployment(
    "mattermost.retention.message-hours",
    Int,
    "effective message retention in hours (MessageRetentionHours when > 0, else MessageRetentionDays x 24)",
);
pub const RETENTION_FILE_HOURS: FactSpec = FactSpec::deployment(
    "mattermost.retention.file-hours",
    Int,
    "effective file retention in hours (FileRetentionHours when > 0, else FileRetentionDays x 24)",
);
pub const CLUSTER_GOSSIP_ENCRYPTION: FactSpec = FactSpec::deployment(
    "mattermost.cluster.gossip-encryption",
    Bool,
    "gossip encryption on, under either its v10 or v11 key name",
);
pub const AUDIT_ADVANCED_TARGETS: FactSpec = FactSpec::deployment(
    "mattermost.audit.advanced-targets",
    Int,
    "advanced audit targets bound to an audit level (audit-api, audit-content, audit-permissions, audit-cli) that the server loads: counted only when the licence has AdvancedLogging",
);

pub const LOG_FILE_TARGETS: FactSpec = FactSpec::deployment(
    "mattermost.logging.file-targets",
    StrList,
    "file names of the file targets in LogSettings.AdvancedLoggingJSON",
);
pub const AUDIT_FILE_TARGETS: FactSpec = FactSpec::deployment(
    "mattermost.audit.file-targets",
    StrList,
    "file names of the file targets in ExperimentalAuditSettings.AdvancedLoggingJSON",
);
pub const LOGGING_OFF_HOST_TARGETS: FactSpec = FactSpec::deployment(
    "mattermost.logging.off-host-targets",
    Int,
    "syslog and tcp targets in LogSettings or ExperimentalAuditSettings AdvancedLoggingJSON: logs shipped off the host",
);
pub const SQL_LOCAL: FactSpec = FactSpec::deployment(
    "mattermost.sql.local",
    Bool,
    "the primary database is on this host (a loopback address or a unix socket)",
);
pub const PUSH_PROXY_ORIGIN: FactSpec = FactSpec::deployment(
    "mattermost.push.proxy-origin",
    Str,
    "origin (scheme://host[:port], default port dropped, lower-case) of EmailSettings.PushNotificationServer, whatever path is written",
);
pub const LOGGING_INSECURE_REMOTE_TARGETS: FactSpec = FactSpec::deployment(
    "mattermost.logging.insecure-remote-targets",
    StrList,
    "syslog and TCP targets of the AdvancedLoggingJSON settings (audit, server, notification) that send to a remote host without TLS or without certificate verification",
);
pub const LOGGING_DEBUG_TARGETS: FactSpec = FactSpec::deployment(
    "mattermost.logging.debug-targets",
    StrList,
    "targets of LogSettings and NotificationLogSettings AdvancedLoggingJSON that record DEBUG or TRACE levels",
);
pub const PLUGINS_ENABLED: FactSpec = FactSpec::deployment(
    "mattermost.plugins.enabled",
    StrList,
    "plugin ids enabled in PluginSettings.PluginStates (empty when plugins are off)",
);

/// Facts derived from several settings, modelling what the server actually does.
pub const DERIVED: &[FactSpec] = &[
    PUSH_EFFECTIVE_CONTENTS,
    EMAIL_EFFECTIVE_CONTENTS,
    LICENSE_STATE,
    SERVER_VERSION,
    CONFIG_SOURCE,
    MFA_ENFORCED,
    MFA_GUEST_ENFORCED,
    GUESTS_ACTIVE,
    S3_SSE_EFFECTIVE,
    AUDIT_ACTIVE,
    AUDIT_FILE_MAX_AGE_DAYS,
    AUDIT_FILE_MAX_BACKUPS,
    COMPLIANCE_EXPORT_ACTIVE,
    COMPLIANCE_MONITORING_ACTIVE,
    RETENTION_MESSAGE_DELETION_ACTIVE,
    RETENTION_FILE_DELETION_ACTIVE,
    LDAP_ACTIVE,
    SAML_ACTIVE,
    ELASTICSEARCH_ACTIVE,
    CLUSTER_ACTIVE,
    SQL_REMOTE_CLEARTEXT,
    SQL_REMOTE_UNVERIFIED,
    SQL_REMOTE_POSTGRES_ENDPOINTS,
    RETENTION_MESSAGE_HOURS,
    RETENTION_FILE_HOURS,
    CLUSTER_GOSSIP_ENCRYPTION,
    AUDIT_ADVANCED_TARGETS,
    LOG_FILE_TARGETS,
    AUDIT_FILE_TARGETS,
    LOGGING_OFF_HOST_TARGETS,
    SQL_LOCAL,
    PUSH_PROXY_ORIGIN,
    LOGGING_INSECURE_REMOTE_TARGETS,
    LOGGING_DEBUG_TARGETS,
    PLUGINS_ENABLED,
];

/// The fact key of a setting path (`ServiceSettings.SiteURL` →
/// `mattermost.config.ServiceSettings.SiteURL`), made once per setting.
pub fn config_key(path: &str) -> &'static str {
    static KEYS: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        settings::SETTINGS
            .iter()
            .map(|s| {
                let key: &'static str =
                    Box::leak(format!("{CONFIG_PREFIX}{}", s.path).into_boxed_str());
                (s.path, key)
            })
            .collect()
    });
    keys.get(path)
        .copied()
        .unwrap_or("mattermost.config.unknown")
}

/// The spec of a setting's fact.
pub fn setting_fact(path: &str) -> Option<&'static FactSpec> {
    super::spec(config_key(path))
}
