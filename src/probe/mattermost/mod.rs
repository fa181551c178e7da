//! Mattermost configuration probe: reads the configuration the way the server resolves
//! it — `MM_CONFIG` (a file, or a database whose stored config is then reported as not
//! read), the `config.json` (or `mmctl config show` output), and the `MM_*` environment
//! overrides of an environment file — then hands the result to [`derive`], which turns it
//! into facts with the licence and the version.
//!
//! Every fact cites where it came from: `file:line:column` in the config, or the env
//! file's line. Secrets are redacted before any fact exists.
//!
//! What does not belong here: the meaning of settings and the behaviour derived from them
//! (`derive.rs`), DSN grammar (`dsn.rs`), env-file syntax (`env_file.rs`).

pub mod derive;
pub mod dsn;
pub mod env_file;
pub mod json_lines;
pub mod licence;
pub mod version;

pub use derive::{ConfigFacts, Interpretation, config_evidence};
pub use licence::Licence;
pub use version::Version;

use crate::catalogue::mattermost as cat;
use crate::catalogue::{family, settings};
use crate::diag::Diagnostic;
use crate::evidence::{AttemptOutcome, Evidence, FactMaker, FactType, FactValue};
use derive::{lookup_path, set_path};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The probe id, in provenance and attempts.
pub const ID: &str = "mattermost-config";

/// The registry entry: reads the config file (with its environment file and licence).
#[derive(Debug)]
pub struct ConfigFileProbe;

impl super::Probe for ConfigFileProbe {
    fn about(&self) -> &'static super::About {
        const ABOUT: super::About = super::About {
            id: ID,
            description: "Reads a Mattermost config.json (or mmctl config show output) and MM_* environment overrides",
            phase: super::Phase::Sources,
            families: &[family::MATTERMOST_CONFIG, family::MATTERMOST_DERIVED],
        };
        &ABOUT
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
    /// The config file; None when only the environment file is given (a Helm or
    /// operator install whose configuration is in the database).
    pub config: Option<PathBuf>,
    /// An environment file with `MM_*` overrides.
    pub env: Option<PathBuf>,
    /// Whose rules the environment file follows (compose or systemd).
    pub env_format: env_file::Flavour,
    /// The JSON of `GET /api/v4/license/client?format=old`.
    pub license: Option<PathBuf>,
    /// The server version, when the user stated it.
    pub version: Option<Version>,
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
    let maker = FactMaker::new(ID, None);
    let mut notes = Vec::new();
    // The environment first: it may say where the configuration really is.
    let assignments = match &sources.env {
        Some(env_path) => {
            let env_text = read_text(env_path, 1 << 20, "environment file")?;
            let lines = env_file::parse_as(env_path, &env_text, sources.env_format)
                .map_err(ConfigError::Diagnostics)?;
            if sources.env_format == env_file::Flavour::Compose
                && let Ok(other) =
                    env_file::parse_as(env_path, &env_text, env_file::Flavour::Systemd)
            {
                for (a, b) in lines.iter().zip(&other) {
                    if a.name.to_ascii_uppercase().starts_with("MM_") && a.value != b.value {
                        notes.push(format!(
                            "{}:{}: {} reads differently under systemd's EnvironmentFile rules (no ${{VAR}}, no inline comments); read as compose — pass --mattermost-env-format systemd if systemd reads this file",
                            env_path.display(),
                            a.line,
                            a.name
                        ));
                    }
                }
            }
            lines
        }
        None => Vec::new(),
    };
    let env_path = sources.env.as_deref().unwrap_or(Path::new("environment"));
    let cite = |a: &env_file::Assignment| {
        format!(
            "{}:{}:{} ({})",
            env_path.display(),
            a.line,
            a.value_column,
            a.name
        )
    };
    // server/config/environment.go GetEnvironment: names are upper-cased; the last
    // assignment of a name wins.
    let mut mm: Vec<&env_file::Assignment> = Vec::new();
    for a in &assignments {
        let upper = a.name.to_ascii_uppercase();
        if !upper.starts_with("MM_") {
            continue;
        }
        mm.retain(|b| b.name.to_ascii_uppercase() != upper);
        mm.push(a);
        for u in &a.undefined {
            notes.push(format!(
                "{}:{}: ${{{u}}} is not defined in the file; compose passes it empty unless the shell defines it",
                env_path.display(),
                a.line
            ));
        }
    }
    let mm_config = mm
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case("MM_CONFIG"))
        .copied();
    let store = match mm_config {
        Some(a) => classify_store(&a.value, cite(a)),
        None => Store::File(sources.config.clone().unwrap_or_default()),
    };

    let licence = match &sources.license {
        Some(p) => read_license(p)?,
        None => Licence::Unknown,
    };
    let mut evidence = Evidence::default();
    // What to read: a file, or nothing (the configuration is elsewhere: only the
    // environment's settings are known).
    let given = sources.config.as_deref();
    let shown_given =
        given.map_or_else(|| "no config file".to_owned(), |g| g.display().to_string());
    let read: Result<PathBuf, String> = match (&store, mm_config) {
        (Store::File(_), None) => given.map(Path::to_path_buf).ok_or_else(|| {
            "no config file was given (--mattermost-config): only the environment file was read"
                .to_owned()
        }),
        (Store::File(p), Some(a)) => {
            if given.is_some_and(|g| same_file(p, g)) {
                Ok(given.map(Path::to_path_buf).unwrap_or_else(|| p.clone()))
            } else if p.is_absolute() && p.is_file() {
                notes.push(format!(
                    "{}: MM_CONFIG names {}: the server reads that file, not {shown_given}",
                    cite(a),
                    p.display()
                ));
                Ok(p.clone())
            } else {
                Err(format!(
                    "the server reads {} (MM_CONFIG at {}), which was not given",
                    p.display(),
                    cite(a)
                ))
            }
        }
        (Store::Database { driver, cited, .. }, _) => {
            notes.push(format!(
                "{cited}: MM_CONFIG stores the configuration in a {driver} database: {shown_given} is not what the server reads, and the stored configuration was not read"
            ));
            evidence.insert(maker.put(
                &cat::CONFIG_SOURCE,
                FactValue::Str("database".into()),
                cited.clone(),
            ));
            Err(format!(
                "the configuration is stored in the database named by MM_CONFIG ({cited}), which safeguard does not read"
            ))
        }
    };
    let partial = read.is_err();
    let (mut root, positions, config_path, outcome) = match read {
        Ok(p) => {
            let text = read_text(&p, MAX_CONFIG_BYTES, "config file")?;
            let root = parse_json(&p, &text)?;
            check_shape(&p, &root)?;
            let positions = json_lines::key_positions(&text);
            evidence.insert(maker.put(
                &cat::CONFIG_SOURCE,
                FactValue::Str("file".into()),
                p.display().to_string(),
            ));
            (root, positions, Some(p), AttemptOutcome::Completed)
        }
        Err(why) => (
            Value::Object(Default::default()),
            HashMap::new(),
            None,
            AttemptOutcome::Skipped { why },
        ),
    };
    let config_path_shown = config_path.as_deref().unwrap_or(env_path).to_path_buf();
    // Types are judged on the file as the server unmarshals it, before the environment.
    let type_errors = derive::type_errors(&root);
    let mut sources_of: HashMap<String, String> = HashMap::new();
    let additional = apply_overrides(&mut root, env_path, &mm, &mut sources_of, &mut notes);
    let how = Interpretation {
        licence,
        version: sources.version,
        config_dir: config_path.as_deref().and_then(Path::parent),
        additional_audit_json: additional,
    };
    let source_of = |p: &str| -> String {
        if let Some(s) = sources_of.get(p) {
            return s.clone();
        }
        match positions.get(p) {
            Some((l, c)) => format!("{}:{l}:{c}", config_path_shown.display()),
            None => config_path_shown.display().to_string(),
        }
    };
    if !type_errors.is_empty() {
        let file = config_path.clone().unwrap_or_default();
        let diags = type_errors
            .iter()
            .map(|(path, expected)| {
                let (line, column) = positions.get(path).copied().unwrap_or((0, 0));
                Diagnostic {
                    file: file.clone(),
                    line: line as u64,
                    column: column as u64,
                    message: format!(
                        "{path} must be {expected}: the server refuses to start with this config"
                    ),
                }
            })
            .collect();
        return Err(ConfigError::Diagnostics(diags));
    }
    let facts = config_evidence(&root, &source_of, &how, &maker);
    notes.extend(facts.notes);
    let mut facts_evidence = facts.evidence;
    if partial {
        // Settings set in the environment are what the server uses; behaviour derived
        // from several settings is not, since the rest of them are in the unread
        // database: those facts are dropped (their checks say the config was not read).
        let keep = [
            cat::LICENSE_STATE.key,
            cat::SERVER_VERSION.key,
            cat::SQL_REMOTE_CLEARTEXT.key,
            cat::SQL_REMOTE_UNVERIFIED.key,
        ];
        facts_evidence.facts.retain(|f| {
            f.key.as_str().starts_with(cat::CONFIG_PREFIX) || keep.contains(&f.key.as_str())
        });
        facts_evidence
            .unknown
            .retain(|u| keep.contains(&u.key.as_str()));
        evidence.extend(facts_evidence);
        if let Store::Database { driver, dsn, cited } = &store {
            database_store_facts(&maker, &mut evidence, driver, dsn, cited);
        }
    } else {
        evidence.extend(facts_evidence);
    }
    let mut attempt = maker.attempt(
        outcome,
        &[family::MATTERMOST_CONFIG, family::MATTERMOST_DERIVED],
    );
    attempt.notes = notes;
    evidence.attempts.push(attempt);
    Ok(evidence)
}

/// Where the server's configuration lives (server/config/store.go NewStoreFromDSN: a
/// `mysql://`, `postgres://` or `postgresql://` DSN is a database store, anything else a
/// file path).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Store {
    File(PathBuf),
    Database {
        driver: &'static str,
        dsn: String,
        /// The env line that says so.
        cited: String,
    },
}

fn classify_store(value: &str, cited: String) -> Store {
    let v = value.trim();
    // config.IsDatabaseDSN compares the prefixes case-sensitively.
    if v.starts_with("mysql://") {
        // The MySQL driver gets the DSN without its scheme.
        Store::Database {
            driver: "mysql",
            dsn: v.get("mysql://".len()..).unwrap_or_default().to_owned(),
            cited,
        }
    } else if v.starts_with("postgres://") || v.starts_with("postgresql://") {
        Store::Database {
            driver: "postgres",
            dsn: v.to_owned(),
            cited,
        }
    } else {
        Store::File(PathBuf::from(v.strip_prefix("file://").unwrap_or(v)))
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b || (a.is_relative() && a.file_name() == b.file_name()),
    }
}

/// The database facts when the configuration is in the database: the config store's own
/// connection is known; the stored DataSource and replicas are not.
fn database_store_facts(
    maker: &FactMaker,
    evidence: &mut Evidence,
    driver: &str,
    dsn: &str,
    cited: &str,
) {
    let unread = "the DataSource and replicas of the configuration stored in the database (MM_CONFIG) were not read";
    match dsn::classify(driver, dsn) {
        Ok(c) => {
            let item = format!("{} (MM_CONFIG)", c.endpoint);
            let spec = match c.transport {
                dsn::Transport::Cleartext => Some(&cat::SQL_REMOTE_CLEARTEXT),
                dsn::Transport::Unverified => Some(&cat::SQL_REMOTE_UNVERIFIED),
                _ => None,
            };
            for s in [&cat::SQL_REMOTE_CLEARTEXT, &cat::SQL_REMOTE_UNVERIFIED] {
                let mut list = match evidence.lookup(s.key, None).map(|f| f.value.clone()) {
                    Some(FactValue::StrList(l)) => l,
                    _ => Vec::new(),
                };
                if spec == Some(s) {
                    list.push(item.clone());
                    evidence.insert(maker.put(s, FactValue::StrList(list), cited.to_owned()));
                } else if list.is_empty() {
                    // Nothing known to be wrong, but the stored replicas are unread.
                    evidence.mark_unknown(maker.unknown(s, unread));
                }
            }
        }
        Err(why) => {
            for s in [&cat::SQL_REMOTE_CLEARTEXT, &cat::SQL_REMOTE_UNVERIFIED] {
                let known_bad = matches!(
                    evidence.lookup(s.key, None).map(|f| &f.value),
                    Some(FactValue::StrList(l)) if !l.is_empty()
                );
                if !known_bad {
                    evidence.mark_unknown(maker.unknown(s, format!("MM_CONFIG: {why}")));
                }
            }
        }
    }
}

fn check_shape(path: &Path, root: &Value) -> Result<(), ConfigError> {
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
    Ok(())
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

/// Applies `MM_*` assignments as server/config/environment.go `applyEnvKey` does: the
/// name, upper-cased, is matched against the settings' upper-cased paths; strings are
/// taken as they are, booleans through Go's `strconv.ParseBool`, integers through
/// `strconv.ParseInt(v, 10, 0)`, lists split on single spaces, raw JSON kept as text. A
/// value the server cannot parse leaves the file's value in place: a note names the line.
/// Returns `MM_EXPERIMENTALAUDITSETTINGS_ADDITIONAL` (value, citation) when set.
fn apply_overrides(
    root: &mut Value,
    env_path: &Path,
    assignments: &[&env_file::Assignment],
    sources_of: &mut HashMap<String, String>,
    notes: &mut Vec<String>,
) -> Option<(String, String)> {
    let mut paths = Vec::new();
    leaf_paths(root, "", &mut paths);
    for s in settings::SETTINGS {
        if !paths.iter().any(|p| p == s.path) {
            paths.push(s.path.to_owned());
        }
    }
    for extra in [
        "ExperimentalAuditSettings.AdvancedLoggingJSON",
        "ExperimentalAuditSettings.AdvancedLoggingConfig",
    ] {
        if !paths.iter().any(|p| p == extra) {
            paths.push(extra.to_owned());
        }
    }
    let by_var: HashMap<String, String> = paths
        .into_iter()
        .map(|p| (env_file::variable_for(&p), p))
        .collect();
    let mut additional = None;
    for a in assignments {
        let upper = a.name.to_ascii_uppercase();
        let cited = format!(
            "{}:{}:{} ({})",
            env_path.display(),
            a.line,
            a.value_column,
            a.name
        );
        if upper == "MM_CONFIG" {
            continue;
        }
        if upper == "MM_EXPERIMENTALAUDITSETTINGS_ADDITIONAL" {
            additional = Some((a.value.clone(), cited));
            continue;
        }
        let Some(path) = by_var.get(&upper) else {
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
        let (new_value, expected) = match (declared, &current) {
            (Some(FactType::Bool), _) | (None, Some(Value::Bool(_))) => {
                (parse_go_bool(&a.value).map(Value::Bool), "true or false")
            }
            (Some(FactType::Int), _) | (None, Some(Value::Number(_))) => (
                a.value.parse::<i64>().ok().map(Value::from),
                "a whole number",
            ),
            (Some(FactType::StrList), _) | (None, Some(Value::Array(_))) => (
                Some(Value::Array(
                    a.value
                        .split(' ')
                        .map(|s| Value::String(s.to_owned()))
                        .collect(),
                )),
                "",
            ),
            _ => (Some(Value::String(a.value.clone())), ""),
        };
        let Some(new_value) = new_value else {
            notes.push(format!(
                "{}:{}:{}: {}: {shown} is not {expected}; the server ignores it and keeps the config's value of {path}",
                env_path.display(),
                a.line,
                a.value_column,
                a.name
            ));
            continue;
        };
        set_path(root, path, new_value);
        sources_of.insert(path.clone(), cited);
    }
    additional
}

/// Go's strconv.ParseBool, which the server uses for environment values.
fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn read_license(path: &Path) -> Result<Licence, ConfigError> {
    let text = read_text(path, 1 << 20, "licence file")?;
    let v = parse_json(path, &text)?;
    Licence::from_json(&v).ok_or_else(|| {
        file_error(
            path,
            "not a Mattermost licence: expected the JSON of GET /api/v4/license/client?format=old (an object with \"IsLicensed\")",
        )
    })
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
pub(super) fn advanced_logging_targets(
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
pub(super) fn derive_more(
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

/// The licence under the name the API probe uses.
pub use licence::Licence as License;

/// Turns a parsed Mattermost config from another source than a file (the REST API's
/// `GET /api/v4/config`) into setting facts and the facts derived from them, made by
/// `maker`, each citing `source_of(setting path)`, so a setting means the same fact
/// whatever its source. Secrets are redacted here; values of a type the server refuses
/// are left out with a note.
pub fn facts_from_config(
    root: &Value,
    licence: Option<&Licence>,
    maker: &FactMaker,
    source_of: &dyn Fn(&str) -> String,
    notes: &mut Vec<String>,
) -> Evidence {
    let how = derive::Interpretation {
        licence: licence.cloned().unwrap_or_default(),
        version: None,
        config_dir: None,
        additional_audit_json: None,
    };
    let out = derive::config_evidence(root, source_of, &how, maker);
    notes.extend(out.notes);
    for (path, expected) in out.type_errors {
        notes.push(format!("{path} is not {expected}: left out"));
    }
    out.evidence
}
