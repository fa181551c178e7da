//! The catalogue of Mattermost settings safeguard reads: JSON path, type, and whether the
//! value is a secret. One row per setting; each becomes the fact
//! `mattermost.config.<path>` when the setting is present in the config.
//!
//! Names, types and defaults follow Mattermost's `server/public/model/config.go` (v10.x,
//! with v11 renames noted). Secrets follow Mattermost's own `Config.Sanitize()` list plus
//! the extra keys it forgets (export S3 key, client keys, API keys).

use crate::evidence::FactType;

/// One setting of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The dotted JSON path, e.g. `ServiceSettings.SiteURL`.
    pub path: &'static str,
    pub ty: FactType,
    /// Redacted when the fact is made: only whether it is set survives.
    pub secret: bool,
    pub doc: &'static str,
}

const fn s(path: &'static str, ty: FactType, doc: &'static str) -> Setting {
    Setting {
        path,
        ty,
        secret: false,
        doc,
    }
}

const fn secret(path: &'static str, doc: &'static str) -> Setting {
    Setting {
        path,
        ty: FactType::Str,
        secret: true,
        doc,
    }
}

use FactType::{Bool, Int, Str, StrList};

/// Every setting safeguard turns into a fact.
pub const SETTINGS: &[Setting] = &[
    // ServiceSettings: web server and TLS
    s("ServiceSettings.SiteURL", Str, "public URL of the site"),
    s(
        "ServiceSettings.ListenAddress",
        Str,
        "address the server listens on",
    ),
    s(
        "ServiceSettings.ConnectionSecurity",
        Str,
        "\"\" (plain HTTP, TLS at a proxy) or \"TLS\" (Mattermost terminates TLS)",
    ),
    s(
        "ServiceSettings.TLSMinVer",
        Str,
        "minimum TLS version when Mattermost terminates TLS",
    ),
    s(
        "ServiceSettings.TLSOverwriteCiphers",
        StrList,
        "cipher suites (Go names) when Mattermost terminates TLS; empty = Go defaults",
    ),
    s(
        "ServiceSettings.TLSStrictTransport",
        Bool,
        "send the HSTS header",
    ),
    s(
        "ServiceSettings.TLSStrictTransportMaxAge",
        Int,
        "HSTS max-age in seconds",
    ),
    s(
        "ServiceSettings.Forward80To443",
        Bool,
        "redirect port 80 to 443",
    ),
    s(
        "ServiceSettings.TrustedProxyIPHeader",
        StrList,
        "headers carrying the client IP behind a proxy",
    ),
    s(
        "ServiceSettings.EnableInsecureOutgoingConnections",
        Bool,
        "skip TLS verification on outgoing HTTPS",
    ),
    s(
        "ServiceSettings.EnableLocalMode",
        Bool,
        "unauthenticated admin API on a unix socket",
    ),
    s("ServiceSettings.EnableDeveloper", Bool, "developer mode"),
    s("ServiceSettings.EnableTesting", Bool, "testing commands"),
    s(
        "ServiceSettings.AllowCorsFrom",
        Str,
        "allowed cross-origin request origins",
    ),
    s(
        "ServiceSettings.ExperimentalEnableHardenedMode",
        Bool,
        "hardened mode",
    ),
    // ServiceSettings: authentication and sessions
    s(
        "ServiceSettings.MaximumLoginAttempts",
        Int,
        "failed logins before an account is locked",
    ),
    s(
        "ServiceSettings.EnableMultifactorAuthentication",
        Bool,
        "users may enrol in MFA",
    ),
    s(
        "ServiceSettings.EnforceMultifactorAuthentication",
        Bool,
        "MFA is mandatory (licensed)",
    ),
    s(
        "ServiceSettings.ExtendSessionLengthWithActivity",
        Bool,
        "activity extends sessions (disables the idle timeout)",
    ),
    s(
        "ServiceSettings.SessionIdleTimeoutInMinutes",
        Int,
        "idle timeout for web/desktop sessions (0 = off)",
    ),
    s(
        "ServiceSettings.SessionLengthWebInHours",
        Int,
        "web/desktop session lifetime",
    ),
    s(
        "ServiceSettings.SessionLengthMobileInHours",
        Int,
        "mobile session lifetime",
    ),
    s(
        "ServiceSettings.SessionLengthSSOInHours",
        Int,
        "SSO session lifetime",
    ),
    s(
        "ServiceSettings.TerminateSessionsOnPasswordChange",
        Bool,
        "revoke other sessions on password change",
    ),
    s(
        "ServiceSettings.EnableUserAccessTokens",
        Bool,
        "personal access tokens (bypass MFA and idle timeout)",
    ),
    s(
        "ServiceSettings.EnableAPIPostDeletion",
        Bool,
        "permanent post deletion via the API",
    ),
    s(
        "ServiceSettings.EnableAPIUserDeletion",
        Bool,
        "permanent user deletion via the API",
    ),
    s(
        "ServiceSettings.EnableAPIChannelDeletion",
        Bool,
        "permanent channel deletion via the API",
    ),
    s(
        "ServiceSettings.EnableAPITeamDeletion",
        Bool,
        "permanent team deletion via the API",
    ),
    s(
        "ServiceSettings.EnableIncomingWebhooks",
        Bool,
        "incoming webhooks",
    ),
    s(
        "ServiceSettings.EnableOutgoingWebhooks",
        Bool,
        "outgoing webhooks",
    ),
    s(
        "ServiceSettings.EnableCommands",
        Bool,
        "custom slash commands",
    ),
    s(
        "ServiceSettings.EnableOAuthServiceProvider",
        Bool,
        "Mattermost as an OAuth 2.0 provider",
    ),
    s(
        "ServiceSettings.EnablePostUsernameOverride",
        Bool,
        "integrations may override display names",
    ),
    secret("ServiceSettings.SplitKey", "feature-flag service key"),
    secret("ServiceSettings.GiphySdkKey", "Giphy API key"),
    secret("ServiceSettings.GoogleDeveloperKey", "Google API key"),
    // TeamSettings, GuestAccountsSettings, PrivacySettings
    s(
        "TeamSettings.EnableOpenServer",
        Bool,
        "anyone may sign up without an invitation",
    ),
    s(
        "TeamSettings.EnableUserCreation",
        Bool,
        "account creation allowed",
    ),
    s(
        "TeamSettings.RestrictCreationToDomains",
        Str,
        "e-mail domains allowed to sign up",
    ),
    s("GuestAccountsSettings.Enable", Bool, "guest accounts"),
    s(
        "GuestAccountsSettings.EnforceMultifactorAuthentication",
        Bool,
        "MFA mandatory for guests",
    ),
    s(
        "GuestAccountsSettings.RestrictCreationToDomains",
        Str,
        "guest e-mail domains",
    ),
    s(
        "PrivacySettings.ShowEmailAddress",
        Bool,
        "show e-mail addresses to other users",
    ),
    s(
        "PrivacySettings.ShowFullName",
        Bool,
        "show full names to other users",
    ),
    // PasswordSettings
    s(
        "PasswordSettings.MinimumLength",
        Int,
        "minimum password length",
    ),
    s(
        "PasswordSettings.Lowercase",
        Bool,
        "password needs a lower-case letter",
    ),
    s(
        "PasswordSettings.Uppercase",
        Bool,
        "password needs an upper-case letter",
    ),
    s("PasswordSettings.Number", Bool, "password needs a digit"),
    s("PasswordSettings.Symbol", Bool, "password needs a symbol"),
    // EmailSettings: notifications and SMTP
    s(
        "EmailSettings.SendPushNotifications",
        Bool,
        "mobile push notifications on",
    ),
    s(
        "EmailSettings.PushNotificationServer",
        Str,
        "push proxy URL",
    ),
    s(
        "EmailSettings.PushNotificationContents",
        Str,
        "push contents: full, generic, generic_no_channel, id_loaded (as configured)",
    ),
    s(
        "EmailSettings.SendEmailNotifications",
        Bool,
        "e-mail notifications on",
    ),
    s(
        "EmailSettings.EmailNotificationContentsType",
        Str,
        "e-mail notification contents: full or generic (as configured)",
    ),
    s(
        "EmailSettings.UseChannelInEmailNotifications",
        Bool,
        "channel name in e-mail subjects",
    ),
    s("EmailSettings.SMTPServer", Str, "SMTP host"),
    s("EmailSettings.SMTPPort", Str, "SMTP port"),
    s(
        "EmailSettings.ConnectionSecurity",
        Str,
        "SMTP transport security: \"\", TLS or STARTTLS",
    ),
    s(
        "EmailSettings.SkipServerCertificateVerification",
        Bool,
        "skip SMTP certificate verification",
    ),
    s("EmailSettings.EnableSMTPAuth", Bool, "SMTP authentication"),
    secret("EmailSettings.SMTPPassword", "SMTP password"),
    s(
        "EmailSettings.EnableSignInWithEmail",
        Bool,
        "password sign-in with e-mail",
    ),
    s(
        "EmailSettings.EnableSignInWithUsername",
        Bool,
        "password sign-in with user name",
    ),
    s(
        "EmailSettings.RequireEmailVerification",
        Bool,
        "e-mail verification before sign-in",
    ),
    // LdapSettings
    s("LdapSettings.Enable", Bool, "AD/LDAP sign-in"),
    s("LdapSettings.EnableSync", Bool, "AD/LDAP synchronisation"),
    s("LdapSettings.LdapServer", Str, "AD/LDAP host"),
    s("LdapSettings.LdapPort", Int, "AD/LDAP port"),
    s(
        "LdapSettings.ConnectionSecurity",
        Str,
        "AD/LDAP transport security: \"\", TLS (LDAPS) or STARTTLS",
    ),
    s(
        "LdapSettings.SkipCertificateVerification",
        Bool,
        "skip AD/LDAP certificate verification",
    ),
    s(
        "LdapSettings.BaseDN",
        Str,
        "AD/LDAP base DN: where Mattermost searches for users",
    ),
    s("LdapSettings.BindUsername", Str, "bind DN"),
    secret("LdapSettings.BindPassword", "bind password"),
    secret("LdapSettings.PrivateKeyFile", "client private key file"),
    s(
        "LdapSettings.MaximumLoginAttempts",
        Int,
        "failed AD/LDAP logins before lock-out",
    ),
    // SamlSettings and OAuth providers
    s("SamlSettings.Enable", Bool, "SAML sign-in"),
    s("SamlSettings.Verify", Bool, "verify the IdP signature"),
    s("SamlSettings.Encrypt", Bool, "encrypted assertions"),
    s("SamlSettings.SignRequest", Bool, "sign AuthnRequests"),
    s(
        "SamlSettings.SignatureAlgorithm",
        Str,
        "RSAwithSHA1, RSAwithSHA256 or RSAwithSHA512",
    ),
    secret(
        "SamlSettings.PrivateKeyFile",
        "SAML service-provider key file",
    ),
    secret("GitLabSettings.Secret", "GitLab OAuth secret"),
    secret("GoogleSettings.Secret", "Google OAuth secret"),
    secret("Office365Settings.Secret", "Office 365 OAuth secret"),
    secret("OpenIdSettings.Secret", "OpenID Connect secret"),
    // LogSettings and audit
    s("LogSettings.EnableConsole", Bool, "console logging"),
    s("LogSettings.ConsoleLevel", Str, "console log level"),
    s("LogSettings.EnableFile", Bool, "file logging"),
    s("LogSettings.FileLevel", Str, "file log level"),
    s("LogSettings.FileLocation", Str, "log directory"),
    s(
        "LogSettings.FileJson",
        Bool,
        "server log file in JSON (else plain text)",
    ),
    s(
        "LogSettings.EnableWebhookDebugging",
        Bool,
        "log incoming webhook bodies",
    ),
    s(
        "LogSettings.EnableDiagnostics",
        Bool,
        "telemetry to Mattermost",
    ),
    s(
        "ExperimentalAuditSettings.FileEnabled",
        Bool,
        "JSON audit log file",
    ),
    s(
        "ExperimentalAuditSettings.FileName",
        Str,
        "audit log file name",
    ),
    s(
        "ExperimentalAuditSettings.FileMaxAgeDays",
        Int,
        "audit files older than this are deleted (0 = never)",
    ),
    s(
        "ExperimentalAuditSettings.FileMaxBackups",
        Int,
        "rotated audit files kept (0 = all)",
    ),
    s(
        "ExperimentalAuditSettings.FileMaxSizeMB",
        Int,
        "audit file size before rotation",
    ),
    secret(
        "ExperimentalAuditSettings.Certificate",
        "audit target certificate",
    ),
    // SqlSettings
    s("SqlSettings.DriverName", Str, "postgres or mysql"),
    secret("SqlSettings.DataSource", "database DSN (credentials)"),
    secret(
        "SqlSettings.AtRestEncryptKey",
        "key for a few encrypted DB fields",
    ),
    s("SqlSettings.Trace", Bool, "log SQL statements"),
    // FileSettings
    s("FileSettings.DriverName", Str, "local or amazons3"),
    s(
        "FileSettings.Directory",
        Str,
        "file store directory for the local driver",
    ),
    s(
        "FileSettings.EnablePublicLink",
        Bool,
        "unauthenticated public file links",
    ),
    secret("FileSettings.PublicLinkSalt", "public link salt"),
    s(
        "FileSettings.AmazonS3SSL",
        Bool,
        "HTTPS to the object store",
    ),
    s(
        "FileSettings.AmazonS3SSE",
        Bool,
        "server-side encryption in the object store",
    ),
    s(
        "FileSettings.AmazonS3Endpoint",
        Str,
        "object store endpoint",
    ),
    secret(
        "FileSettings.AmazonS3SecretAccessKey",
        "object store secret key",
    ),
    secret(
        "FileSettings.ExportAmazonS3SecretAccessKey",
        "export object store secret key",
    ),
    secret("FileSettings.AzureAccessKey", "Azure storage key"),
    secret(
        "FileSettings.ExportAzureAccessKey",
        "Azure export storage key",
    ),
    // Retention, compliance, export
    s(
        "DataRetentionSettings.EnableMessageDeletion",
        Bool,
        "delete messages after the retention window",
    ),
    s(
        "DataRetentionSettings.EnableFileDeletion",
        Bool,
        "delete files after the retention window",
    ),
    s(
        "DataRetentionSettings.MessageRetentionDays",
        Int,
        "message retention in days (deprecated)",
    ),
    s(
        "DataRetentionSettings.MessageRetentionHours",
        Int,
        "message retention in hours (wins when > 0)",
    ),
    s(
        "DataRetentionSettings.FileRetentionDays",
        Int,
        "file retention in days (deprecated)",
    ),
    s(
        "DataRetentionSettings.FileRetentionHours",
        Int,
        "file retention in hours (wins when > 0)",
    ),
    s("ComplianceSettings.Enable", Bool, "compliance reports"),
    s(
        "ComplianceSettings.EnableDaily",
        Bool,
        "daily compliance report",
    ),
    s(
        "MessageExportSettings.EnableExport",
        Bool,
        "scheduled compliance export",
    ),
    s(
        "MessageExportSettings.ExportFormat",
        Str,
        "compliance export format",
    ),
    secret(
        "MessageExportSettings.GlobalRelaySettings.SMTPPassword",
        "Global Relay SMTP password",
    ),
    // Search, cluster, cache, metrics
    s(
        "ElasticsearchSettings.ConnectionURL",
        Str,
        "search backend URL",
    ),
    s(
        "ElasticsearchSettings.EnableIndexing",
        Bool,
        "search indexing on",
    ),
    s(
        "ElasticsearchSettings.SkipTLSVerification",
        Bool,
        "skip search backend TLS verification",
    ),
    secret("ElasticsearchSettings.Password", "search backend password"),
    secret(
        "ElasticsearchSettings.ClientKey",
        "search backend client key",
    ),
    s("ClusterSettings.Enable", Bool, "high-availability cluster"),
    s(
        "ClusterSettings.AdvertiseAddress",
        Str,
        "address the node advertises to the other nodes for gossip",
    ),
    s(
        "ClusterSettings.OverrideHostname",
        Str,
        "hostname the node is known by in the cluster",
    ),
    s(
        "ClusterSettings.GossipPort",
        Int,
        "gossip port, TCP and UDP (default 8074)",
    ),
    s(
        "ClusterSettings.EnableExperimentalGossipEncryption",
        Bool,
        "gossip encryption (v10 name)",
    ),
    s(
        "ClusterSettings.EnableGossipEncryption",
        Bool,
        "gossip encryption (v11 name)",
    ),
    secret("CacheSettings.RedisPassword", "Redis password"),
    s("MetricsSettings.Enable", Bool, "Prometheus metrics"),
    s(
        "MetricsSettings.ListenAddress",
        Str,
        "metrics listen address",
    ),
    s("RateLimitSettings.Enable", Bool, "API rate limiting"),
    // Plugins, mobile
    s("PluginSettings.Enable", Bool, "plugins"),
    s("PluginSettings.EnableUploads", Bool, "plugin uploads"),
    s(
        "PluginSettings.RequirePluginSignature",
        Bool,
        "only signed plugins load",
    ),
    s(
        "NativeAppSettings.MobilePreventScreenCapture",
        Bool,
        "mobile screen-capture prevention",
    ),
    s(
        "NativeAppSettings.MobileJailbreakProtection",
        Bool,
        "mobile jailbreak protection",
    ),
    s(
        "NativeAppSettings.MobileEnableBiometrics",
        Bool,
        "mobile biometric app lock",
    ),
    // Added for the verdicts issue (checks of CORS, SSO endpoints, notification logs,
    // sign-up and the dedicated export store).
    s(
        "ServiceSettings.CorsAllowCredentials",
        Bool,
        "cross-origin requests may carry the user's cookies",
    ),
    s(
        "EmailSettings.EnableSignUpWithEmail",
        Bool,
        "sign-up with e-mail and password",
    ),
    s("SamlSettings.IdpURL", Str, "SAML identity provider SSO URL"),
    s(
        "SamlSettings.IdpMetadataURL",
        Str,
        "SAML identity provider metadata URL",
    ),
    s("OpenIdSettings.Enable", Bool, "OpenID Connect sign-in"),
    s(
        "OpenIdSettings.DiscoveryEndpoint",
        Str,
        "OpenID Connect discovery document URL",
    ),
    s("GitLabSettings.Enable", Bool, "GitLab sign-in"),
    s(
        "GitLabSettings.AuthEndpoint",
        Str,
        "GitLab OAuth authorisation URL",
    ),
    s(
        "GitLabSettings.TokenEndpoint",
        Str,
        "GitLab OAuth token URL",
    ),
    s("GitLabSettings.UserAPIEndpoint", Str, "GitLab user API URL"),
    s(
        "NotificationLogSettings.EnableConsole",
        Bool,
        "notification log to the console (before v11)",
    ),
    s(
        "NotificationLogSettings.ConsoleLevel",
        Str,
        "notification console log level (before v11)",
    ),
    s(
        "NotificationLogSettings.EnableFile",
        Bool,
        "notifications.log file (before v11)",
    ),
    s(
        "NotificationLogSettings.FileLevel",
        Str,
        "notifications.log level (before v11)",
    ),
    s(
        "FileSettings.DedicatedExportStore",
        Bool,
        "compliance exports go to their own store",
    ),
    s(
        "FileSettings.ExportDriverName",
        Str,
        "dedicated export store: local or amazons3",
    ),
    s(
        "FileSettings.ExportAmazonS3SSL",
        Bool,
        "HTTPS to the dedicated export object store",
    ),
    s(
        "FileSettings.ExportAmazonS3SSE",
        Bool,
        "server-side encryption in the dedicated export object store",
    ),
];

/// Paths whose values are secret wherever they appear, beyond the catalogue (lists of
/// DSNs, nested credential blobs). Matched on the dotted path, `[]` for any list element.
pub const SECRET_PATHS: &[&str] = &[
    "SqlSettings.DataSourceReplicas[]",
    "SqlSettings.DataSourceSearchReplicas[]",
    "SqlSettings.ReplicaLagSettings[].DataSource",
];

/// Looks a setting up by its path.
pub fn setting(path: &str) -> Option<&'static Setting> {
    SETTINGS.iter().find(|s| s.path == path)
}

/// Whether a dotted path names a secret (catalogue secrets, [`SECRET_PATHS`], or any key
/// whose name says it holds a credential).
pub fn is_secret_path(path: &str) -> bool {
    if setting(path).is_some_and(|s| s.secret) || SECRET_PATHS.contains(&path) {
        return true;
    }
    let last = path.rsplit('.').next().unwrap_or(path).to_ascii_lowercase();
    [
        "password",
        "secret",
        "privatekey",
        "apikey",
        "accesskey",
        "token",
        "salt",
        "datasource",
        "clientkey",
        "splitkey",
    ]
    .iter()
    .any(|w| last.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for s in SETTINGS {
            assert!(seen.insert(s.path), "duplicate {}", s.path);
        }
    }

    #[test]
    fn credential_names_are_secret() {
        assert!(is_secret_path("SqlSettings.DataSource"));
        assert!(is_secret_path("LdapSettings.BindPassword"));
        assert!(is_secret_path("SqlSettings.DataSourceReplicas[]"));
        assert!(is_secret_path("PluginSettings.Plugins.x.apitoken"));
        assert!(!is_secret_path("ServiceSettings.SiteURL"));
    }
}
