//! From a parsed Mattermost configuration (as the server resolved it: file plus
//! environment) to facts: every setting of the catalogue, read as the server reads it
//! (older keys migrated, wrong JSON types refused), and the behaviour the server derives
//! from several settings, the licence and the version.
//!
//! [`config_evidence`] is the one entry point; the config-file probe and the REST API
//! probe both call it with their own "where did this come from" callback. Every derived
//! fact names, in a comment, the server code it models. A behaviour that depends on an
//! unknown licence feature or version becomes an *unknown* fact with the reason, never a
//! guess.
//!
//! What does not belong here: reading files or the environment (that is `mod.rs` and
//! `env_file.rs`), parsing DSNs (`dsn.rs`).

use super::dsn;
use super::licence::{Feature, Licence};
use super::version::Version;
use crate::catalogue::mattermost::{self as cat, config_key};
use crate::catalogue::{FactSpec, settings};
use crate::evidence::{Evidence, FactMaker, FactType, FactValue};
use serde_json::Value;
use std::path::Path;

/// What the facts are interpreted with.
#[derive(Debug, Clone, Default)]
pub struct Interpretation<'a> {
    pub licence: Licence,
    pub version: Option<Version>,
    /// Where a relative `AdvancedLoggingJSON` file path is read from (the config file's
    /// directory). None: such a path is not read and the audit verdict is unknown.
    pub config_dir: Option<&'a Path>,
    /// Extra audit targets from `MM_EXPERIMENTALAUDITSETTINGS_ADDITIONAL` (newest servers
    /// append them whatever the licence; `server/channels/app/audit.go` configureAudit).
    pub additional_audit_json: Option<(String, String)>,
}

/// The facts, the problems, and remarks for the user.
#[derive(Debug, Default)]
pub struct ConfigFacts {
    pub evidence: Evidence,
    pub notes: Vec<String>,
    /// Settings whose JSON type the server refuses (it would not start): the path and
    /// what was expected.
    pub type_errors: Vec<(String, &'static str)>,
}

/// Turns a parsed config into facts. `source_of` says where a setting path came from
/// (`file:line:column`, `env-file:line (MM_…)`, an API URL).
pub fn config_evidence(
    root: &Value,
    source_of: &dyn Fn(&str) -> String,
    how: &Interpretation<'_>,
    maker: &FactMaker,
) -> ConfigFacts {
    let mut out = ConfigFacts::default();
    let migrated = migrate(root, &mut out.notes);
    let root = &migrated.root;
    let source_of = |p: &str| -> String {
        match migrated.from.iter().find(|(to, _)| to == p) {
            Some((_, from)) => format!("{} (migrated from {from})", source_of(from)),
            None => source_of(p),
        }
    };
    for setting in settings::SETTINGS {
        let Some(raw) = lookup_path(root, setting.path) else {
            continue;
        };
        if raw.is_null() {
            // The server keeps its default for null; which default depends on the version.
            continue;
        }
        let value = if setting.secret {
            match raw {
                Value::String(s) => FactValue::secret(s),
                _ => {
                    out.type_errors.push((setting.path.to_owned(), "a string"));
                    continue;
                }
            }
        } else {
            match to_fact_value(raw, setting.ty) {
                Some(v) => v,
                None => {
                    out.type_errors
                        .push((setting.path.to_owned(), expected(setting.ty)));
                    continue;
                }
            }
        };
        out.evidence
            .insert(maker.fact(config_key(setting.path), value, source_of(setting.path)));
    }
    let mut d = Deriver {
        root,
        how,
        maker,
        source_of: &source_of,
        out: &mut out,
    };
    d.all();
    out
}

/// The settings of `root` whose JSON type the server's decoder refuses (it would not
/// start), with what it expects.
pub fn type_errors(root: &Value) -> Vec<(String, &'static str)> {
    settings::SETTINGS
        .iter()
        .filter_map(|s| {
            let raw = lookup_path(root, s.path).filter(|v| !v.is_null())?;
            let ok = if s.secret {
                raw.is_string()
            } else {
                to_fact_value(raw, s.ty).is_some()
            };
            (!ok).then(|| {
                (
                    s.path.to_owned(),
                    if s.secret { "a string" } else { expected(s.ty) },
                )
            })
        })
        .collect()
}

/// What the server's JSON decoder expects for a setting type.
fn expected(ty: FactType) -> &'static str {
    match ty {
        FactType::Bool => "true or false (not a string)",
        FactType::Int => "a whole number (not a string)",
        FactType::Str => "a string",
        FactType::StrList => "a list of strings",
    }
}

pub(crate) fn lookup_path<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |v, seg| v.get(seg))
}

/// The value as the server's `encoding/json` decodes it into the setting's Go type;
/// None when it would refuse it.
fn to_fact_value(v: &Value, ty: FactType) -> Option<FactValue> {
    match (ty, v) {
        (FactType::Bool, Value::Bool(b)) => Some(FactValue::Bool(*b)),
        (FactType::Int, Value::Number(n)) => n.as_i64().map(FactValue::Int),
        (FactType::Str, Value::String(s)) => Some(FactValue::Str(s.clone())),
        (FactType::StrList, Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(FactValue::StrList),
        _ => None,
    }
}

/// A config with the server's migrations of older keys applied, and which new key came
/// from which old one.
struct Migrated {
    root: Value,
    from: Vec<(String, String)>,
}

/// The migrations the server applies when it loads an older config (model/config.go
/// `SetDefaults`): a missing `*InHours` session length is the `*InDays` value × 24.
fn migrate(root: &Value, notes: &mut Vec<String>) -> Migrated {
    let mut m = Migrated {
        root: root.clone(),
        from: Vec::new(),
    };
    for kind in ["Web", "Mobile", "SSO"] {
        let hours = format!("ServiceSettings.SessionLength{kind}InHours");
        let days = format!("ServiceSettings.SessionLength{kind}InDays");
        if lookup_path(root, &hours).is_some_and(|v| !v.is_null()) {
            continue;
        }
        if let Some(d) = lookup_path(root, &days).and_then(Value::as_i64) {
            set_path(&mut m.root, &hours, Value::from(d.saturating_mul(24)));
            m.from.push((hours.clone(), days.clone()));
            notes.push(format!(
                "{days} = {d}: the server reads it as {hours} = {} (model/config.go SetDefaults)",
                d.saturating_mul(24)
            ));
        }
    }
    m
}

pub(crate) fn set_path(root: &mut Value, path: &str, value: Value) {
    let mut cur = root;
    let segs: Vec<&str> = path.split('.').collect();
    for (i, seg) in segs.iter().enumerate() {
        let Some(obj) = cur.as_object_mut() else {
            return;
        };
        if i + 1 == segs.len() {
            obj.insert((*seg).to_owned(), value);
            return;
        }
        cur = obj
            .entry((*seg).to_owned())
            .or_insert_with(|| Value::Object(Default::default()));
    }
}

/// A value, or why it is unknown.
type Known<T> = Result<T, String>;

struct Deriver<'a, 'b> {
    root: &'a Value,
    how: &'a Interpretation<'a>,
    maker: &'a FactMaker,
    source_of: &'a dyn Fn(&str) -> String,
    out: &'b mut ConfigFacts,
}

impl Deriver<'_, '_> {
    fn str_at(&self, p: &str) -> Option<String> {
        lookup_path(self.root, p)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }
    fn int_at(&self, p: &str) -> Option<i64> {
        lookup_path(self.root, p).and_then(Value::as_i64)
    }
    fn bool_at(&self, p: &str) -> Option<bool> {
        lookup_path(self.root, p).and_then(Value::as_bool)
    }

    fn put(&mut self, spec: &FactSpec, value: Known<FactValue>, source: &str) {
        match value {
            Ok(v) => self
                .out
                .evidence
                .insert(self.maker.put(spec, v, (self.source_of)(source))),
            Err(reason) => self
                .out
                .evidence
                .mark_unknown(self.maker.unknown(spec, reason)),
        }
    }

    fn feature(&self, name: &str) -> Known<bool> {
        match self.how.licence.feature(name) {
            Feature::On => Ok(true),
            Feature::Off => Ok(false),
            Feature::Unknown(r) => Err(r),
        }
    }

    /// `setting && licence has feature`: false whatever the licence when the setting is
    /// off; unknown when it is on and the feature is unknown. None when the setting is
    /// absent.
    fn gated(&self, setting: &str, feature: &str) -> Option<Known<bool>> {
        let on = self.bool_at(setting)?;
        Some(if on { self.feature(feature) } else { Ok(false) })
    }

    fn gate(&mut self, spec: &FactSpec, setting: &str, feature: &str) {
        if let Some(v) = self.gated(setting, feature) {
            self.put(spec, v.map(FactValue::Bool), setting);
        }
    }

    fn all(&mut self) {
        let state = self.how.licence.state();
        self.out.evidence.insert(self.maker.put(
            &cat::LICENSE_STATE,
            FactValue::Str(state.to_owned()),
            match state {
                "unknown" => "no licence supplied",
                _ => "licence",
            },
        ));
        if let Some(v) = self.how.version {
            self.out.evidence.insert(self.maker.put(
                &cat::SERVER_VERSION,
                FactValue::Str(v.to_string()),
                "--mattermost-version",
            ));
        }
        self.contents();
        self.mfa();
        // Features the server only runs with the licence feature.
        // LDAP, SAML, Elasticsearch, cluster, guests: the enterprise interfaces run only
        // with the feature, and server/config/client.go exposes EnableLdap / EnableSaml /
        // EnableCompliance … to clients only when the licence has it.
        self.gate(&cat::LDAP_ACTIVE, "LdapSettings.Enable", "LDAP");
        self.gate(&cat::SAML_ACTIVE, "SamlSettings.Enable", "SAML");
        self.gate(
            &cat::ELASTICSEARCH_ACTIVE,
            "ElasticsearchSettings.EnableIndexing",
            "Elasticsearch",
        );
        self.gate(&cat::CLUSTER_ACTIVE, "ClusterSettings.Enable", "Cluster");
        self.gate(
            &cat::GUESTS_ACTIVE,
            "GuestAccountsSettings.Enable",
            "GuestAccounts",
        );
        // Message export and compliance reports: enterprise jobs started only with the
        // MessageExport / Compliance features (server/channels/app/server.go initJobs).
        self.gate(
            &cat::COMPLIANCE_EXPORT_ACTIVE,
            "MessageExportSettings.EnableExport",
            "MessageExport",
        );
        self.gate(
            &cat::COMPLIANCE_MONITORING_ACTIVE,
            "ComplianceSettings.Enable",
            "Compliance",
        );
        // The data retention job runs only with the DataRetention feature.
        self.gate(
            &cat::RETENTION_MESSAGE_DELETION_ACTIVE,
            "DataRetentionSettings.EnableMessageDeletion",
            "DataRetention",
        );
        self.gate(
            &cat::RETENTION_FILE_DELETION_ACTIVE,
            "DataRetentionSettings.EnableFileDeletion",
            "DataRetention",
        );
        // S3 SSE: model/config.go FileSettings.ToFileBackendSettings passes
        // `AmazonS3SSE && enableComplianceFeature` to the file store.
        self.gate(
            &cat::S3_SSE_EFFECTIVE,
            "FileSettings.AmazonS3SSE",
            "Compliance",
        );
        self.database();
        self.retention();
        self.gossip();
        self.audit();
        super::advanced_logging_targets(
            self.root,
            self.maker,
            self.source_of,
            &mut self.out.evidence,
        );
        super::derive_more(
            self.root,
            self.maker,
            self.source_of,
            &mut self.out.evidence,
        );
    }

    /// Push and e-mail contents, as the server decides what to send.
    fn contents(&mut self) {
        // server/channels/app/notification_push.go: id_loaded is honoured only with the
        // IDLoadedPushNotifications feature; otherwise the message is built as generic.
        if let Some(configured) = self.str_at("EmailSettings.PushNotificationContents") {
            let v = if configured == "id_loaded" {
                self.feature("IDLoadedPushNotifications").map(|on| {
                    if on {
                        configured.clone()
                    } else {
                        self.out.notes.push("PushNotificationContents is id_loaded but the licence lacks IDLoadedPushNotifications: the server sends generic".into());
                        "generic".to_owned()
                    }
                })
            } else {
                Ok(configured)
            };
            self.put(
                &cat::PUSH_EFFECTIVE_CONTENTS,
                v.map(FactValue::Str),
                "EmailSettings.PushNotificationContents",
            );
        }
        // server/channels/app/notification_email.go: the contents type is `full` unless
        // the licence has EmailNotificationContents, then the configured value.
        if let Some(configured) = self.str_at("EmailSettings.EmailNotificationContentsType") {
            let v = if configured == "full" {
                Ok(configured)
            } else {
                self.feature("EmailNotificationContents").map(|on| {
                    if on {
                        configured.clone()
                    } else {
                        self.out.notes.push(format!("EmailNotificationContentsType is {configured} but the licence lacks EmailNotificationContents: the server sends full contents"));
                        "full".to_owned()
                    }
                })
            };
            self.put(
                &cat::EMAIL_EFFECTIVE_CONTENTS,
                v.map(FactValue::Str),
                "EmailSettings.EmailNotificationContentsType",
            );
        }
    }

    /// server/channels/app (MFARequired; web/context.go in older servers): MFA is
    /// required only with the MFA licence feature, EnableMultifactorAuthentication and
    /// EnforceMultifactorAuthentication; guests additionally need
    /// GuestAccountsSettings.EnforceMultifactorAuthentication.
    fn mfa(&mut self) {
        let enable = self.bool_at("ServiceSettings.EnableMultifactorAuthentication");
        let enforce = self.bool_at("ServiceSettings.EnforceMultifactorAuthentication");
        let (Some(enable), Some(enforce)) = (enable, enforce) else {
            return;
        };
        let enforced = if enable && enforce {
            self.feature("MFA")
        } else {
            Ok(false)
        };
        let src = if enable {
            "ServiceSettings.EnforceMultifactorAuthentication"
        } else {
            "ServiceSettings.EnableMultifactorAuthentication"
        };
        self.put(
            &cat::MFA_ENFORCED,
            enforced.clone().map(FactValue::Bool),
            src,
        );
        if let Some(guest) = self.bool_at("GuestAccountsSettings.EnforceMultifactorAuthentication")
        {
            let v = match (&enforced, guest) {
                (_, false) | (Ok(false), _) => Ok(false),
                (Ok(true), true) => Ok(true),
                (Err(r), true) => Err(r.clone()),
            };
            self.put(
                &cat::MFA_GUEST_ENFORCED,
                v.map(FactValue::Bool),
                "GuestAccountsSettings.EnforceMultifactorAuthentication",
            );
        }
    }

    /// Database transport, primary and replicas.
    fn database(&mut self) {
        let driver = self
            .str_at("SqlSettings.DriverName")
            .unwrap_or_else(|| "postgres".into());
        let mut dsns: Vec<(String, String, String)> = Vec::new();
        if let Some(d) = self.str_at("SqlSettings.DataSource") {
            dsns.push(("primary".into(), d, "SqlSettings.DataSource".into()));
        }
        for list in ["DataSourceReplicas", "DataSourceSearchReplicas"] {
            let path = format!("SqlSettings.{list}");
            if let Some(items) = lookup_path(self.root, &path).and_then(Value::as_array) {
                for (i, item) in items.iter().enumerate() {
                    if let Some(d) = item.as_str() {
                        dsns.push((format!("{list}[{i}]"), d.to_owned(), path.clone()));
                    }
                }
            }
        }
        // Replica-lag checks open their own connections (SqlSettings.ReplicaLagSettings[],
        // model/config.go ReplicaLagSettings.DataSource): the same transport rules apply.
        let lag = "SqlSettings.ReplicaLagSettings";
        if let Some(items) = lookup_path(self.root, lag).and_then(Value::as_array) {
            for (i, item) in items.iter().enumerate() {
                if let Some(d) = item.get("DataSource").and_then(Value::as_str) {
                    dsns.push((
                        format!("ReplicaLagSettings[{i}]"),
                        d.to_owned(),
                        lag.to_owned(),
                    ));
                }
            }
        }
        if dsns.is_empty() {
            return;
        }
        let mut cleartext = Vec::new();
        let mut unverified = Vec::new();
        let mut remote_postgres = Vec::new();
        let mut unknown: Option<String> = None;
        let mut sources: Vec<String> = Vec::new();
        for (role, dsn, path) in &dsns {
            let src = (self.source_of)(path);
            if !sources.contains(&src) {
                sources.push(src);
            }
            if !dsn.is_empty() && dsn.chars().all(|c| c == '*') {
                unknown = Some(format!(
                    "SqlSettings {role} is masked (API or mmctl output): database transport not readable"
                ));
                continue;
            }
            match dsn::classify(&driver, dsn) {
                Ok(c) if c.transport != dsn::Transport::Local && driver != "mysql" => {
                    remote_postgres.push(format!("{} ({role})", c.endpoint));
                    match c.transport {
                        dsn::Transport::Cleartext => {
                            cleartext.push(format!("{} ({role})", c.endpoint))
                        }
                        dsn::Transport::Unverified => {
                            unverified.push(format!("{} ({role})", c.endpoint))
                        }
                        dsn::Transport::Local | dsn::Transport::Verified => {}
                    }
                }
                Ok(c) => match c.transport {
                    dsn::Transport::Cleartext => cleartext.push(format!("{} ({role})", c.endpoint)),
                    dsn::Transport::Unverified => {
                        unverified.push(format!("{} ({role})", c.endpoint))
                    }
                    dsn::Transport::Local | dsn::Transport::Verified => {}
                },
                Err(why) => {
                    unknown = Some(format!("SqlSettings {role}: {why}"));
                }
            }
        }
        let source = sources.join("; ");
        if !remote_postgres.is_empty() {
            self.out.evidence.insert(self.maker.put(
                &cat::SQL_REMOTE_POSTGRES_ENDPOINTS,
                FactValue::StrList(remote_postgres),
                source.clone(),
            ));
        }
        // Cleartext anywhere is a known failure even if another DSN is unreadable.
        let value = |list: Vec<String>| match (&unknown, list.is_empty()) {
            (Some(r), true) => Err(r.clone()),
            _ => Ok(FactValue::StrList(list)),
        };
        let (c, u) = (value(cleartext), value(unverified));
        for (spec, v) in [
            (&cat::SQL_REMOTE_CLEARTEXT, c),
            (&cat::SQL_REMOTE_UNVERIFIED, u),
        ] {
            match v {
                Ok(v) => self
                    .out
                    .evidence
                    .insert(self.maker.put(spec, v, source.clone())),
                Err(r) => self.out.evidence.mark_unknown(self.maker.unknown(spec, r)),
            }
        }
    }

    /// Retention: model/config.go DataRetentionSettings — `*RetentionHours` wins when > 0,
    /// else `*RetentionDays` × 24.
    fn retention(&mut self) {
        for (kind, fact) in [
            ("Message", &cat::RETENTION_MESSAGE_HOURS),
            ("File", &cat::RETENTION_FILE_HOURS),
        ] {
            let hours_path = format!("DataRetentionSettings.{kind}RetentionHours");
            let days_path = format!("DataRetentionSettings.{kind}RetentionDays");
            let (hours, days) = (self.int_at(&hours_path), self.int_at(&days_path));
            let effective = match (hours, days) {
                (Some(h), _) if h > 0 => Some((h, hours_path)),
                (_, Some(d)) => Some((d.saturating_mul(24), days_path)),
                _ => None,
            };
            if let Some((h, p)) = effective {
                self.put(fact, Ok(FactValue::Int(h)), &p);
            }
        }
    }

    /// Gossip encryption under its v11 (`EnableGossipEncryption`) or v10
    /// (`EnableExperimentalGossipEncryption`) name.
    fn gossip(&mut self) {
        let gossip = [
            "ClusterSettings.EnableGossipEncryption",
            "ClusterSettings.EnableExperimentalGossipEncryption",
        ]
        .into_iter()
        .find_map(|p| self.bool_at(p).map(|b| (b, p)));
        if let Some((on, p)) = gossip {
            self.put(&cat::CLUSTER_GOSSIP_ENCRYPTION, Ok(FactValue::Bool(on)), p);
        }
    }

    /// The audit decision of server/config/logger.go `IsAuditLoggingActive` and
    /// server/channels/app/audit.go `configureAudit`: the audit file target counts
    /// whatever the licence; advanced targets are loaded only when the licence has
    /// AdvancedLogging, and count only when bound to an audit level (IDs 100–103:
    /// audit-api, audit-content, audit-permissions, audit-cli;
    /// server/public/shared/mlog/levels.go). `AdvancedLoggingJSON` may hold the JSON or a
    /// path to a JSON file (config.NewLogConfigSrc).
    fn audit(&mut self) {
        let file_enabled = self.bool_at("ExperimentalAuditSettings.FileEnabled");
        let json_path = "ExperimentalAuditSettings.AdvancedLoggingJSON";
        let old_path = "ExperimentalAuditSettings.AdvancedLoggingConfig";
        let json = lookup_path(self.root, json_path);
        let old = self.str_at(old_path).filter(|s| !s.trim().is_empty());
        // Which advanced config the server reads, and from which key.
        let advanced: Option<Result<(Value, &str), Unloadable>> = match json {
            Some(v) if !is_empty_json(v) => Some(self.advanced_source(v).map(|v| (v, json_path))),
            // Older servers have only AdvancedLoggingConfig (a path or JSON string).
            None => old.map(|s| {
                self.advanced_source(&Value::String(s))
                    .map(|v| (v, old_path))
            }),
            // Both keys, the new one empty: servers that know both may or may not fall back.
            Some(_) => old.map(|_| {
                Err(Unloadable::NotRead(format!(
                    "{old_path} is set and {json_path} is empty: whether the server reads the older key depends on its version"
                )))
            }),
        };
        let mut audit_levels: Known<i64> = Ok(0);
        let mut src = "ExperimentalAuditSettings.FileEnabled";
        // An advanced config the server cannot load makes configureAudit return before
        // any target is configured: no audit at all, not even the file target.
        let mut broken: Option<Known<String>> = None;
        if let Some(a) = advanced {
            match a {
                Ok((cfg, key)) => {
                    src = key;
                    let n = audit_targets(&cfg);
                    if n > 0 {
                        audit_levels = self
                            .feature("AdvancedLogging")
                            .map(|on| if on { n } else { 0 });
                    }
                }
                Err(Unloadable::NotRead(why)) => audit_levels = Err(why),
                Err(Unloadable::Invalid(why)) => {
                    src = json_path;
                    match self.how.licence.feature("AdvancedLogging") {
                        Feature::On => broken = Some(Ok(why)),
                        Feature::Off => {}
                        Feature::Unknown(r) => broken = Some(Err(format!("{why}; {r}"))),
                    }
                }
            }
        }
        // MM_EXPERIMENTALAUDITSETTINGS_ADDITIONAL: appended whatever the licence (newest
        // servers; older ones ignore it, so it only counts when the version is known new).
        let mut additional: Known<i64> = Ok(0);
        if let Some((text, where_)) = &self.how.additional_audit_json {
            let n = serde_json::from_str::<Value>(text)
                .map(|v| audit_targets(&v))
                .unwrap_or(0);
            if n > 0 {
                additional = Err(format!(
                    "{where_} adds audit targets, which only the newest servers read: depends on the server version"
                ));
            }
        }
        self.put(
            &cat::AUDIT_ADVANCED_TARGETS,
            audit_levels.clone().map(FactValue::Int),
            src,
        );
        let active: Option<Known<bool>> = match (file_enabled, broken) {
            (_, Some(Ok(why))) => {
                self.out.notes.push(format!(
                    "{why}: the server configures no audit target at all (server/channels/app/audit.go configureAudit)"
                ));
                Some(Ok(false))
            }
            (_, Some(Err(r))) => Some(Err(r)),
            (Some(true), None) => Some(Ok(true)),
            (Some(false) | None, None) => match (&audit_levels, &additional) {
                (Ok(n), _) if *n > 0 => Some(Ok(true)),
                (Err(r), _) | (_, Err(r)) => Some(Err(r.clone())),
                (Ok(_), Ok(_)) if file_enabled.is_some() => Some(Ok(false)),
                _ => None,
            },
        };
        if let Some(a) = active {
            let src = if file_enabled == Some(true) {
                "ExperimentalAuditSettings.FileEnabled"
            } else {
                src
            };
            self.put(&cat::AUDIT_ACTIVE, a.map(FactValue::Bool), src);
        }
        // Rotation: servers from 6.0 build the audit file target with fixed options
        // (config/logger.go makeFileOptions: 100 MB, no age limit, no backup limit) and
        // ignore FileMaxAgeDays / FileMaxBackups / FileMaxSizeMB; 5.x honoured them.
        for (key, spec) in [
            ("FileMaxAgeDays", &cat::AUDIT_FILE_MAX_AGE_DAYS),
            ("FileMaxBackups", &cat::AUDIT_FILE_MAX_BACKUPS),
        ] {
            let path = format!("ExperimentalAuditSettings.{key}");
            let Some(configured) = self.int_at(&path) else {
                continue;
            };
            let v = match self.how.version {
                _ if configured == 0 => Ok(0),
                Some(v) if v >= Version::new(6, 0, 0) => Ok(0),
                Some(_) => Ok(configured),
                None => Err(format!(
                    "{path} = {configured} is honoured only by servers before 6.0 (later ones never delete audit files): depends on the server version: pass --mattermost-version"
                )),
            };
            self.put(spec, v.map(FactValue::Int), &path);
        }
    }

    /// The advanced logging config a value stands for: inline JSON (an object, or a
    /// string holding JSON), or a path to a JSON file read relative to the config.
    fn advanced_source(&mut self, v: &Value) -> Result<Value, Unloadable> {
        match v {
            Value::Object(_) => Ok(v.clone()),
            Value::String(s) => {
                let t = s.trim();
                // config.NewLogConfigSrc: a JSON map is the config, anything else a path.
                if let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(t) {
                    return Ok(v);
                }
                if t.starts_with('{') {
                    return Err(Unloadable::Invalid(
                        "the advanced audit logging JSON is not a valid JSON object".into(),
                    ));
                }
                let Some(dir) = self.how.config_dir else {
                    return Err(Unloadable::NotRead(format!(
                        "the advanced logging config is the file {t}, which was not read"
                    )));
                };
                let p = dir.join(t);
                let text = std::fs::metadata(&p)
                    .ok()
                    .filter(|m| m.is_file() && m.len() <= 1 << 20)
                    .and_then(|_| std::fs::read_to_string(&p).ok())
                    .ok_or_else(|| {
                        Unloadable::NotRead(format!(
                            "the advanced logging config is the file {}, which cannot be read here",
                            p.display()
                        ))
                    })?;
                self.out
                    .notes
                    .push(format!("advanced audit logging read from {}", p.display()));
                match serde_json::from_str::<Value>(&text) {
                    Ok(v @ Value::Object(_)) => Ok(v),
                    _ => Err(Unloadable::Invalid(format!(
                        "{} is not a JSON object of log targets",
                        p.display()
                    ))),
                }
            }
            _ => Ok(Value::Object(Default::default())),
        }
    }
}

/// Why an advanced logging config is not known.
enum Unloadable {
    /// The server would fail to load it (and then configures no audit target).
    Invalid(String),
    /// Safeguard could not read it (a file elsewhere, a config in the database).
    NotRead(String),
}

/// The `utils.IsEmptyJSON` of the server: null, `{}`, `""`, or blank.
fn is_empty_json(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        Value::String(s) => {
            let t = s.trim();
            t.is_empty() || t == "{}" || t == "null"
        }
        _ => false,
    }
}

/// Targets bound to one of the four audit levels (IDs 100–103), as logr matches levels by
/// ID (names are accepted too).
fn audit_targets(cfg: &Value) -> i64 {
    const NAMES: [&str; 4] = [
        "audit-api",
        "audit-content",
        "audit-permissions",
        "audit-cli",
    ];
    let Some(targets) = cfg.as_object() else {
        return 0;
    };
    let n = targets
        .values()
        .filter(|t| {
            t.get("levels")
                .and_then(Value::as_array)
                .is_some_and(|levels| {
                    levels.iter().any(|l| {
                        l.get("id")
                            .and_then(Value::as_i64)
                            .is_some_and(|id| (100..=103).contains(&id))
                            || (l.get("id").is_none()
                                && l.get("name")
                                    .and_then(Value::as_str)
                                    .is_some_and(|n| NAMES.contains(&n)))
                    })
                })
        })
        .count();
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts(cfg: Value, licence: Licence, version: Option<Version>) -> ConfigFacts {
        let how = Interpretation {
            licence,
            version,
            ..Default::default()
        };
        config_evidence(
            &cfg,
            &|p| format!("c.json ({p})"),
            &how,
            &FactMaker::new("t", None),
        )
    }

    fn full_licence() -> Licence {
        Licence::from_json(&json!({"IsLicensed": "true", "AdvancedLogging": "true", "MFA": "true"}))
            .unwrap()
    }

    #[test]
    fn audit_counts_only_licensed_targets_with_an_audit_level() {
        let console_info = json!({"ExperimentalAuditSettings": {"FileEnabled": false,
            "AdvancedLoggingJSON": {"c": {"type": "console", "levels": [{"id": 4, "name": "info"}]}}}});
        let f = facts(console_info, full_licence(), None);
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_ACTIVE.key, None)
                .unwrap()
                .value,
            FactValue::Bool(false)
        );
        let audit = json!({"ExperimentalAuditSettings": {"FileEnabled": false,
            "AdvancedLoggingJSON": "{\"a\": {\"type\": \"file\", \"levels\": [{\"id\": 100, \"name\": \"audit-api\"}]}}"}});
        let f = facts(audit.clone(), full_licence(), None);
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_ACTIVE.key, None)
                .unwrap()
                .value,
            FactValue::Bool(true)
        );
        let f = facts(audit.clone(), Licence::Unlicensed, None);
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_ACTIVE.key, None)
                .unwrap()
                .value,
            FactValue::Bool(false)
        );
        let f = facts(audit, Licence::Unknown, None);
        assert!(f.evidence.lookup(cat::AUDIT_ACTIVE.key, None).is_none());
        assert!(
            f.evidence
                .unknown_reason(cat::AUDIT_ACTIVE.key, None)
                .unwrap()
                .contains("AdvancedLogging")
        );
        // An advanced config the server cannot load: with AdvancedLogging, no audit at all.
        let broken = json!({"ExperimentalAuditSettings": {"FileEnabled": true, "AdvancedLoggingJSON": "{not json"}});
        let f = facts(broken.clone(), full_licence(), None);
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_ACTIVE.key, None)
                .unwrap()
                .value,
            FactValue::Bool(false)
        );
        let f = facts(broken, Licence::Unlicensed, None);
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_ACTIVE.key, None)
                .unwrap()
                .value,
            FactValue::Bool(true)
        );
        // The audit file target needs no licence.
        let file =
            json!({"ExperimentalAuditSettings": {"FileEnabled": true, "AdvancedLoggingJSON": {}}});
        let f = facts(file, Licence::Unknown, None);
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_ACTIVE.key, None)
                .unwrap()
                .value,
            FactValue::Bool(true)
        );
    }

    #[test]
    fn audit_rotation_depends_on_the_version() {
        let cfg = json!({"ExperimentalAuditSettings": {"FileEnabled": true, "FileMaxAgeDays": 7, "FileMaxBackups": 0}});
        let f = facts(cfg.clone(), Licence::Unknown, None);
        assert!(
            f.evidence
                .unknown_reason(cat::AUDIT_FILE_MAX_AGE_DAYS.key, None)
                .unwrap()
                .contains("--mattermost-version")
        );
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_FILE_MAX_BACKUPS.key, None)
                .unwrap()
                .value,
            FactValue::Int(0)
        );
        let f = facts(cfg.clone(), Licence::Unknown, Some(Version::new(10, 5, 0)));
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_FILE_MAX_AGE_DAYS.key, None)
                .unwrap()
                .value,
            FactValue::Int(0)
        );
        let f = facts(cfg, Licence::Unknown, Some(Version::new(5, 37, 0)));
        assert_eq!(
            f.evidence
                .lookup(cat::AUDIT_FILE_MAX_AGE_DAYS.key, None)
                .unwrap()
                .value,
            FactValue::Int(7)
        );
    }

    #[test]
    fn licence_gates_are_unknown_without_a_licence() {
        let cfg = json!({"ServiceSettings": {"EnableMultifactorAuthentication": true, "EnforceMultifactorAuthentication": true},
            "FileSettings": {"AmazonS3SSE": true}, "LdapSettings": {"Enable": false}});
        let f = facts(cfg.clone(), Licence::Unknown, None);
        assert!(
            f.evidence
                .unknown_reason(cat::MFA_ENFORCED.key, None)
                .unwrap()
                .contains("MFA")
        );
        assert!(
            f.evidence
                .unknown_reason(cat::S3_SSE_EFFECTIVE.key, None)
                .unwrap()
                .contains("Compliance")
        );
        assert_eq!(
            f.evidence.lookup(cat::LDAP_ACTIVE.key, None).unwrap().value,
            FactValue::Bool(false)
        );
        let f = facts(cfg, full_licence(), None);
        assert_eq!(
            f.evidence
                .lookup(cat::MFA_ENFORCED.key, None)
                .unwrap()
                .value,
            FactValue::Bool(true)
        );
        // The full licence fixture lists no Compliance: still unknown, with that reason.
        assert!(
            f.evidence
                .unknown_reason(cat::S3_SSE_EFFECTIVE.key, None)
                .unwrap()
                .contains("does not list")
        );
    }

    #[test]
    fn older_session_lengths_are_migrated_and_wrong_types_refused() {
        let cfg = json!({"ServiceSettings": {"SessionLengthWebInDays": 30, "EnableDeveloper": "true"},
            "EmailSettings": {"SMTPPort": 587},
            "TeamSettings": {"EnableOpenServer": "true"}});
        let f = facts(cfg, Licence::Unknown, None);
        let web = f
            .evidence
            .lookup(
                "mattermost.config.ServiceSettings.SessionLengthWebInHours",
                None,
            )
            .unwrap();
        assert_eq!(web.value, FactValue::Int(720));
        assert!(
            web.provenance.source.contains("SessionLengthWebInDays"),
            "{}",
            web.provenance.source
        );
        let paths: Vec<&str> = f.type_errors.iter().map(|(p, _)| p.as_str()).collect();
        assert!(
            paths.contains(&"TeamSettings.EnableOpenServer"),
            "{paths:?}"
        );
        assert!(
            paths.contains(&"ServiceSettings.EnableDeveloper"),
            "{paths:?}"
        );
        // Go's encoding/json puts no number into a string field.
        assert!(paths.contains(&"EmailSettings.SMTPPort"), "{paths:?}");
    }
}
