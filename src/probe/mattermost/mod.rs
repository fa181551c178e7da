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
