//! Mattermost configuration probe: reads a `config.json` as the server writes it (the
//! output of `mmctl config show` has the same shape), applies `MM_*` overrides from an
//! environment file, and models licence-dependent behaviour when a licence is given.
//!
//! Every setting of the catalogue ([`settings::SETTINGS`]) present in the config becomes a
//! fact citing `file:line:column`; secrets are redacted here, before any fact exists.
//! Facts derived from several settings (effective push contents, database transport, …)
//! are declared in `catalogue::mattermost::DERIVED`.

pub mod dsn;
pub mod env_file;
pub mod json_lines;

use crate::catalogue::mattermost::{self as cat, config_key};
use crate::catalogue::{family, settings};
use crate::diag::Diagnostic;
use crate::evidence::{AttemptOutcome, Evidence, FactMaker, FactType, FactValue};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The probe id, in provenance and attempts.
pub const ID: &str = "mattermost-config";

/// The registry entry: reads the config file (with its environment file and licence).
#[derive(Debug)]
pub struct ConfigFileProbe;

impl super::Probe for ConfigFileProbe {
    fn id(&self) -> &'static str {
        ID
    }
    fn description(&self) -> &'static str {
        "Reads a Mattermost config.json (or mmctl config show output) and MM_* environment overrides"
    }
    fn families(&self) -> &'static [&'static str] {
        &[family::MATTERMOST_CONFIG, family::MATTERMOST_DERIVED]
    }
    fn phase(&self) -> super::Phase {
        super::Phase::Sources
    }
    fn plan(
        &self,
        targets: &[super::Target],
        _found: &Evidence,
        _ctx: &super::ProbeContext,
    ) -> Vec<super::Job> {
        targets
            .iter()
            .filter_map(|t| match t {
                super::Target::MattermostConfig(sources) => Some(sources.clone()),
                _ => None,
            })
            .map(|sources| super::Job {
                probe: ID,
                subject: None,
                covers: &[family::MATTERMOST_CONFIG, family::MATTERMOST_DERIVED],
                work: Box::pin(async move { collect(&sources).map_err(super::InputError::from) }),
            })
            .collect()
    }
}

/// Largest config file accepted (a real one is well under 100 KiB).
pub const MAX_CONFIG_BYTES: u64 = 8 << 20;

/// What to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigSources {
    pub config: PathBuf,
    /// An environment file with `MM_*` overrides.
    pub env: Option<PathBuf>,
    /// The JSON of `GET /api/v4/license/client?format=old`.
    pub license: Option<PathBuf>,
}

/// Why the config could not be read: invalid input, reported with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{}", crate::diag::Diagnostics(.0.clone()))]
    Diagnostics(Vec<Diagnostic>),
}

fn file_error(path: &Path, message: impl Into<String>) -> ConfigError {
    ConfigError::File {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Reads a file of at most `limit` bytes as UTF-8.
fn read_text(path: &Path, limit: u64, what: &str) -> Result<String, ConfigError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| file_error(path, format!("cannot read {what}: {e}")))?;
    if meta.is_dir() {
        return Err(file_error(path, format!("is a directory, not a {what}")));
    }
    if meta.len() > limit {
        return Err(file_error(
            path,
            format!(
                "{what} is too large ({} bytes; at most {limit})",
                meta.len()
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| file_error(path, format!("cannot read {what}: {e}")))?;
    String::from_utf8(bytes).map_err(|_| file_error(path, format!("{what} is not UTF-8 text")))
}

/// Reads the sources and returns the facts.
pub fn collect(sources: &ConfigSources) -> Result<Evidence, ConfigError> {
    let path = &sources.config;
    let text = read_text(path, MAX_CONFIG_BYTES, "config file")?;
    let mut root = parse_json(path, &text)?;
    let Some(obj) = root.as_object() else {
        return Err(file_error(
            path,
            "not a Mattermost config: the top level is not a JSON object",
        ));
    };
    if !obj.get("ServiceSettings").is_some_and(Value::is_object) {
        return Err(file_error(
            path,
            "not a Mattermost config: no \"ServiceSettings\" object (expected config.json or `mmctl config show` output)",
        ));
    }
    let positions = json_lines::key_positions(&text);
    let mut sources_of: HashMap<String, String> = HashMap::new();
    let mut notes = Vec::new();
    if let Some(env_path) = &sources.env {
        let env_text = read_text(env_path, 1 << 20, "environment file")?;
        let assignments = env_file::parse(env_path, &env_text).map_err(ConfigError::Diagnostics)?;
        apply_overrides(
            &mut root,
            env_path,
            &assignments,
            &mut sources_of,
            &mut notes,
        )?;
    }
    let license = match &sources.license {
        Some(p) => Some(read_license(p)?),
        None => None,
    };

    let maker = FactMaker::new(ID, None);
    let mut evidence = Evidence::default();
    let source_of = |p: &str| -> String {
        if let Some(s) = sources_of.get(p) {
            return s.clone();
        }
        match positions.get(p) {
            Some((l, c)) => format!("{}:{l}:{c}", path.display()),
            None => path.display().to_string(),
        }
    };
    for setting in settings::SETTINGS {
        let Some(raw) = lookup_path(&root, setting.path) else {
            continue;
        };
        let value = if setting.secret {
            match raw {
                Value::String(s) => FactValue::secret(s),
                Value::Null => FactValue::Str(String::new()),
                _ => FactValue::Str(crate::evidence::REDACTED.to_owned()),
            }
        } else {
            match to_fact_value(raw, setting.ty) {
                Some(v) => v,
                None => {
                    notes.push(format!("{} has an unexpected type; ignored", setting.path));
                    continue;
                }
            }
        };
        evidence.insert(maker.fact(config_key(setting.path), value, source_of(setting.path)));
    }
    derive(
        &root,
        license.as_ref(),
        &maker,
        &source_of,
        &mut evidence,
        &mut notes,
    );
    let mut attempt = maker.attempt(
        AttemptOutcome::Completed,
        &[family::MATTERMOST_CONFIG, family::MATTERMOST_DERIVED],
    );
    attempt.notes = notes;
    evidence.attempts.push(attempt);
    Ok(evidence)
}

/// Parses JSON text from `path`; the error names the line and column.
fn parse_json(path: &Path, text: &str) -> Result<Value, ConfigError> {
    serde_json::from_str(text).map_err(|e| {
        file_error(
            path,
            format!(
                "not valid JSON at line {} column {}: {}",
                e.line(),
                e.column(),
                json_error_kind(&e)
            ),
        )
    })
}

/// serde_json's message without its position suffix (the caller prints the position).
fn json_error_kind(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn lookup_path<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |v, seg| v.get(seg))
}

fn to_fact_value(v: &Value, ty: FactType) -> Option<FactValue> {
    match (ty, v) {
        (FactType::Bool, Value::Bool(b)) => Some(FactValue::Bool(*b)),
        (FactType::Int, Value::Number(n)) => n.as_i64().map(FactValue::Int),
        (FactType::Str, Value::String(s)) => Some(FactValue::Str(s.clone())),
        (FactType::Str, Value::Number(n)) => Some(FactValue::Str(n.to_string())),
        (FactType::StrList, Value::Array(items)) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(FactValue::StrList),
        (FactType::StrList, Value::Null) => Some(FactValue::StrList(Vec::new())),
        _ => None,
    }
}

/// Every leaf path of the config's objects (lists are leaves).
fn leaf_paths(v: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Value::Object(map) = v {
        for (k, child) in map {
            let p = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if child.is_object()
                && !k.ends_with("AdvancedLoggingJSON")
                && k != "PluginStates"
                && k != "Plugins"
            {
                leaf_paths(child, &p, out);
            } else {
                out.push(p);
            }
        }
    }
}

/// Applies `MM_*` assignments. Unknown variables are noted; values of the wrong type are
/// errors at the value's line and column (without echoing secret values).
fn apply_overrides(
    root: &mut Value,
    env_path: &Path,
    assignments: &[env_file::Assignment],
    sources_of: &mut HashMap<String, String>,
    notes: &mut Vec<String>,
) -> Result<(), ConfigError> {
    let mut paths = Vec::new();
    leaf_paths(root, "", &mut paths);
    for s in settings::SETTINGS {
        if !paths.iter().any(|p| p == s.path) {
            paths.push(s.path.to_owned());
        }
    }
    let by_var: HashMap<String, String> = paths
        .into_iter()
        .map(|p| (env_file::variable_for(&p), p))
        .collect();
    let mut diags = Vec::new();
    for a in assignments {
        let Some(path) = by_var.get(&a.name) else {
            notes.push(format!(
                "{}:{}: {} matches no setting; ignored",
                env_path.display(),
                a.line,
                a.name
            ));
            continue;
        };
        let current = lookup_path(root, path).cloned();
        let declared = settings::setting(path).map(|s| s.ty);
        let secret = settings::is_secret_path(path);
        let shown = if secret {
            "the value".to_owned()
        } else {
            format!("`{}`", a.value)
        };
        let new_value = match (declared, &current) {
            (Some(FactType::Bool), _) | (None, Some(Value::Bool(_))) => {
                parse_go_bool(&a.value).map(Value::Bool)
            }
            (Some(FactType::Int), _) | (None, Some(Value::Number(_))) => {
                a.value.trim().parse::<i64>().ok().map(Value::from)
            }
            (Some(FactType::StrList), _) | (None, Some(Value::Array(_))) => Some(Value::Array(
                a.value
                    .split_whitespace()
                    .map(|s| Value::String(s.to_owned()))
                    .collect(),
            )),
            _ => Some(Value::String(a.value.clone())),
        };
        let Some(new_value) = new_value else {
            let expected = match (declared, &current) {
                (Some(FactType::Bool), _) | (None, Some(Value::Bool(_))) => "true or false",
                _ => "an integer",
            };
            diags.push(Diagnostic {
                file: env_path.to_path_buf(),
                line: a.line as u64,
                column: a.value_column as u64,
                message: format!(
                    "{}: {shown} is not valid for {path}; expected {expected}",
                    a.name
                ),
            });
            continue;
        };
        set_path(root, path, new_value);
        sources_of.insert(
            path.clone(),
            format!(
                "{}:{}:{} ({})",
                env_path.display(),
                a.line,
                a.value_column,
                a.name
            ),
        );
    }
    if diags.is_empty() {
        Ok(())
    } else {
        Err(ConfigError::Diagnostics(diags))
    }
}

/// Go's strconv.ParseBool, which the server uses for environment values.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn set_path(root: &mut Value, path: &str, value: Value) {
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

/// A licence: feature name → enabled. `IsLicensed: false` means every feature is off.
#[derive(Debug, Clone)]
pub struct License {
    features: HashMap<String, bool>,
    licensed: bool,
}

impl License {
    /// Whether the licence has `feature`.
    pub fn has(&self, feature: &str) -> bool {
        self.licensed && self.features.get(feature).copied().unwrap_or(false)
    }
}

fn read_license(path: &Path) -> Result<License, ConfigError> {
    let text = read_text(path, 1 << 20, "licence file")?;
    let v = parse_json(path, &text)?;
    let Some(obj) = v.as_object().filter(|o| o.contains_key("IsLicensed")) else {
        return Err(file_error(
            path,
            "not a Mattermost licence: expected the JSON of GET /api/v4/license/client?format=old (an object with \"IsLicensed\")",
        ));
    };
    let features: HashMap<String, bool> = obj
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                matches!(v, Value::String(s) if s == "true") || v == &Value::Bool(true),
            )
        })
        .collect();
    let licensed = features.get("IsLicensed").copied().unwrap_or(false);
    Ok(License { features, licensed })
}

/// Facts that model the server's behaviour from several settings.
fn derive(
    root: &Value,
    license: Option<&License>,
    maker: &FactMaker,
    source_of: &dyn Fn(&str) -> String,
    evidence: &mut Evidence,
    notes: &mut Vec<String>,
) {
    let str_at = |p: &str| {
        lookup_path(root, p)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let int_at = |p: &str| lookup_path(root, p).and_then(Value::as_i64);
    let bool_at = |p: &str| lookup_path(root, p).and_then(Value::as_bool);

    if license.is_some() {
        evidence.insert(maker.put(&cat::LICENSE_KNOWN, FactValue::Bool(true), "licence file"));
    }
    // Licence-gated contents: without the feature the server silently sends the fallback.
    let gated = [
        (
            "EmailSettings.PushNotificationContents",
            &cat::PUSH_EFFECTIVE_CONTENTS,
            "id_loaded",
            "IDLoadedPushNotifications",
            "generic",
        ),
        (
            "EmailSettings.EmailNotificationContentsType",
            &cat::EMAIL_EFFECTIVE_CONTENTS,
            "generic",
            "EmailNotificationContents",
            "full",
        ),
    ];
    for (setting, fact, gated_value, feature, fallback) in gated {
        let Some(configured) = str_at(setting) else {
            continue;
        };
        let effective = if configured == gated_value && license.is_some_and(|l| !l.has(feature)) {
            notes.push(format!(
                "{setting} is {gated_value} but the licence lacks {feature}: the server sends {fallback}"
            ));
            fallback.to_owned()
        } else {
            configured
        };
        evidence.insert(maker.put(fact, FactValue::Str(effective), source_of(setting)));
    }
    // Database transport, primary and replicas.
    let driver = str_at("SqlSettings.DriverName").unwrap_or_else(|| "postgres".into());
    let mut dsns: Vec<(String, String)> = Vec::new();
    if let Some(d) = str_at("SqlSettings.DataSource") {
        dsns.push(("primary".into(), d));
    }
    for list in ["DataSourceReplicas", "DataSourceSearchReplicas"] {
        if let Some(items) =
            lookup_path(root, &format!("SqlSettings.{list}")).and_then(Value::as_array)
        {
            for (i, item) in items.iter().enumerate() {
                if let Some(d) = item.as_str() {
                    dsns.push((format!("{list}[{i}]"), d.to_owned()));
                }
            }
        }
    }
    // Replica-lag checks open their own connections (SqlSettings.ReplicaLagSettings[],
    // model/config.go ReplicaLagSettings.DataSource): the same transport rules apply.
    if let Some(items) =
        lookup_path(root, "SqlSettings.ReplicaLagSettings").and_then(Value::as_array)
    {
        for (i, item) in items.iter().enumerate() {
            if let Some(d) = item.get("DataSource").and_then(Value::as_str) {
                dsns.push((format!("ReplicaLagSettings[{i}]"), d.to_owned()));
            }
        }
    }
    let mut cleartext = Vec::new();
    let mut unverified = Vec::new();
    let mut understood = !dsns.is_empty();
    for (role, dsn) in &dsns {
        if role == "primary"
            && let Some(c) = dsn::classify(&driver, dsn)
        {
            evidence.insert(maker.put(
                &cat::SQL_LOCAL,
                FactValue::Bool(c.transport == dsn::Transport::Local),
                source_of("SqlSettings.DataSource"),
            ));
        }
        if dsn.chars().all(|c| c == '*') {
            notes.push(format!("SqlSettings {role} is masked (API or mmctl output): database transport not assessed"));
            understood = false;
            continue;
        }
        match dsn::classify(&driver, dsn) {
            Some(c) => match c.transport {
                dsn::Transport::Cleartext => cleartext.push(format!("{} ({role})", c.endpoint)),
                dsn::Transport::Unverified => unverified.push(format!("{} ({role})", c.endpoint)),
                dsn::Transport::Local | dsn::Transport::Verified => {}
            },
            None => {
                notes.push(format!("SqlSettings {role} is not a DSN safeguard understands: database transport not assessed"));
                understood = false;
            }
        }
    }
    if understood {
        let src = source_of("SqlSettings.DataSource");
        evidence.insert(maker.put(
            &cat::SQL_REMOTE_CLEARTEXT,
            FactValue::StrList(cleartext),
            src.clone(),
        ));
        evidence.insert(maker.put(
            &cat::SQL_REMOTE_UNVERIFIED,
            FactValue::StrList(unverified),
            src,
        ));
    }
    // Retention: Hours wins when > 0.
    for (kind, fact) in [
        ("Message", &cat::RETENTION_MESSAGE_HOURS),
        ("File", &cat::RETENTION_FILE_HOURS),
    ] {
        let hours_path = format!("DataRetentionSettings.{kind}RetentionHours");
        let days_path = format!("DataRetentionSettings.{kind}RetentionDays");
        let (hours, days) = (int_at(&hours_path), int_at(&days_path));
        let effective = match (hours, days) {
            (Some(h), _) if h > 0 => Some((h, hours_path)),
            (_, Some(d)) => Some((d.saturating_mul(24), days_path)),
            _ => None,
        };
        if let Some((h, p)) = effective {
            evidence.insert(maker.put(fact, FactValue::Int(h), source_of(&p)));
        }
    }
    let gossip = [
        "ClusterSettings.EnableGossipEncryption",
        "ClusterSettings.EnableExperimentalGossipEncryption",
    ]
    .into_iter()
    .find_map(|p| bool_at(p).map(|b| (b, p)));
    if let Some((on, p)) = gossip {
        evidence.insert(maker.put(
            &cat::CLUSTER_GOSSIP_ENCRYPTION,
            FactValue::Bool(on),
            source_of(p),
        ));
    }
    advanced_logging_targets(root, maker, source_of, evidence);
    derive_more(root, maker, source_of, evidence);
    if let Some(adv) = lookup_path(root, "ExperimentalAuditSettings.AdvancedLoggingJSON") {
        let targets = match adv {
            Value::Object(m) => m.len(),
            Value::String(s) if !s.trim().is_empty() => serde_json::from_str::<Value>(s)
                .ok()
                .and_then(|v| v.as_object().map(|m| m.len()))
                .unwrap_or(0),
            _ => 0,
        };
        evidence.insert(maker.put(
            &cat::AUDIT_ADVANCED_TARGETS,
            FactValue::Int(i64::try_from(targets).unwrap_or(i64::MAX)),
            source_of("ExperimentalAuditSettings.AdvancedLoggingJSON"),
        ));
    }
}

/// The targets of an `AdvancedLoggingJSON` value: an object, or a string holding one
/// (older releases: `AdvancedLoggingConfig`, a JSON string). A string naming a file is
/// not followed.
fn advanced_targets(v: &Value) -> Vec<(String, Value)> {
    let parsed;
    let obj = match v {
        Value::Object(m) => m,
        Value::String(s) if s.trim_start().starts_with('{') => {
            match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(m)) => {
                    parsed = m;
                    &parsed
                }
                _ => return Vec::new(),
            }
        }
        _ => return Vec::new(),
    };
    obj.iter().map(|(k, t)| (k.clone(), t.clone())).collect()
}

/// File targets (their `options.filename`) and off-host targets (`syslog`, `tcp`) of the
/// advanced logging configurations; logr's target types per MM `server/config/logger.go`
/// and logr `config/config.go`.
fn advanced_logging_targets(
    root: &Value,
    maker: &FactMaker,
    source_of: &dyn Fn(&str) -> String,
    evidence: &mut Evidence,
) {
    let mut off_host = 0i64;
    let mut seen_any = false;
    for (path, fact) in [
        ("LogSettings.AdvancedLoggingJSON", &cat::LOG_FILE_TARGETS),
        (
            "ExperimentalAuditSettings.AdvancedLoggingJSON",
            &cat::AUDIT_FILE_TARGETS,
        ),
    ] {
        let Some(v) = lookup_path(root, path) else {
            continue;
        };
        seen_any = true;
        let mut files = Vec::new();
        for (_, target) in advanced_targets(v) {
            match target.get("type").and_then(Value::as_str) {
                Some("file") => {
                    if let Some(f) = target
                        .get("options")
                        .and_then(|o| o.get("filename"))
                        .and_then(Value::as_str)
                    {
                        files.push(f.to_owned());
                    }
                }
                Some("syslog") | Some("tcp") => off_host += 1,
                _ => {}
            }
        }
        evidence.insert(maker.put(fact, FactValue::StrList(files), source_of(path)));
    }
    if seen_any {
        evidence.insert(maker.put(
            &cat::LOGGING_OFF_HOST_TARGETS,
            FactValue::Int(off_host),
            source_of("LogSettings.AdvancedLoggingJSON"),
        ));
    }
}

/// An AdvancedLoggingJSON value as the server reads it: an object, or a string holding
/// one (older configs). None when absent, empty or unreadable.
fn logging_targets(v: &Value) -> Option<serde_json::Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m.clone()),
        Value::String(s) if !s.trim().is_empty() => serde_json::from_str::<Value>(s)
            .ok()
            .and_then(|v| v.as_object().cloned()),
        _ => None,
    }
}

/// A key of an mlog target object, matched case-insensitively (`Options` or `options`).
fn get_ci<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

fn is_loopback_host(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Derived facts of the verdicts issue: the push proxy's origin, insecure remote log
/// targets, DEBUG log targets and enabled plugins.
fn derive_more(
    root: &Value,
    maker: &FactMaker,
    source_of: &dyn Fn(&str) -> String,
    evidence: &mut Evidence,
) {
    // The push proxy by origin: the server posts to <PushNotificationServer>/api/v1/send_push
    // (server/channels/app/notification_push.go), so only scheme, host and port matter.
    let push = "EmailSettings.PushNotificationServer";
    if let Some(raw) = lookup_path(root, push).and_then(Value::as_str) {
        let origin = match url::Url::parse(raw.trim()) {
            Ok(u) if u.host_str().is_some() => u.origin().ascii_serialization(),
            _ => raw.trim().to_ascii_lowercase(),
        };
        evidence.insert(maker.put(
            &cat::PUSH_PROXY_ORIGIN,
            FactValue::Str(origin),
            source_of(push),
        ));
    }
    // Remote log targets (mlog syslog and tcp targets: options ip, port, tls, insecure).
    let sections = [
        ("audit", "ExperimentalAuditSettings.AdvancedLoggingJSON"),
        ("server", "LogSettings.AdvancedLoggingJSON"),
        (
            "notification",
            "NotificationLogSettings.AdvancedLoggingJSON",
        ),
    ];
    let mut insecure = Vec::new();
    let mut debug = Vec::new();
    let mut seen_any = false;
    let mut debug_seen = false;
    for (label, path) in sections {
        let Some(targets) = lookup_path(root, path).and_then(logging_targets) else {
            if lookup_path(root, path).is_some() {
                seen_any = true;
                debug_seen |= label != "audit";
            }
            continue;
        };
        seen_any = true;
        debug_seen |= label != "audit";
        for (name, t) in &targets {
            let ty = get_ci(t, "type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_ascii_lowercase();
            if ty == "syslog" || ty == "tcp" {
                let opts = get_ci(t, "options");
                let opt = |k: &str| opts.and_then(|o| get_ci(o, k));
                let host = opt("ip")
                    .or_else(|| opt("host"))
                    .and_then(Value::as_str)
                    .unwrap_or("localhost");
                let tls = opt("tls").and_then(Value::as_bool).unwrap_or(false);
                let skip = opt("insecure").and_then(Value::as_bool).unwrap_or(false);
                if !is_loopback_host(host) && (!tls || skip) {
                    let why = if tls {
                        "TLS without certificate verification"
                    } else {
                        "no TLS"
                    };
                    insecure.push(format!("{label}:{name} ({ty} to {host}, {why})"));
                }
            }
            if label != "audit" {
                let levels = get_ci(t, "levels")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let noisy = levels.iter().any(|l| {
                    let id = get_ci(l, "id").and_then(Value::as_i64);
                    let name = get_ci(l, "name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_ascii_lowercase();
                    matches!(id, Some(5 | 6 | 303 | 304))
                        || name.contains("debug")
                        || name.contains("trace")
                });
                if noisy {
                    debug.push(format!("{label}:{name}"));
                }
            }
        }
    }
    if seen_any {
        evidence.insert(maker.put(
            &cat::LOGGING_INSECURE_REMOTE_TARGETS,
            FactValue::StrList(insecure),
            source_of("ExperimentalAuditSettings.AdvancedLoggingJSON"),
        ));
    }
    if debug_seen {
        evidence.insert(maker.put(
            &cat::LOGGING_DEBUG_TARGETS,
            FactValue::StrList(debug),
            source_of("LogSettings.AdvancedLoggingJSON"),
        ));
    }
    // Enabled plugins: PluginStates.<id>.Enable, none when plugins are off.
    let plugins_on = lookup_path(root, "PluginSettings.Enable").and_then(Value::as_bool);
    let states = lookup_path(root, "PluginSettings.PluginStates").and_then(Value::as_object);
    if let (Some(on), Some(states)) = (plugins_on, states) {
        let mut ids: Vec<String> = if on {
            states
                .iter()
                .filter(|(_, st)| get_ci(st, "enable").and_then(Value::as_bool) == Some(true))
                .map(|(id, _)| id.clone())
                .collect()
        } else {
            Vec::new()
        };
        ids.sort();
        evidence.insert(maker.put(
            &cat::PLUGINS_ENABLED,
            FactValue::StrList(ids),
            source_of("PluginSettings.PluginStates"),
        ));
    }
}
