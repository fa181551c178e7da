//! Where the log files, the audit files, the config and the file store of an install are,
//! from the targets (`--logs DIR`, `--mattermost-home DIR`, `--mattermost-config FILE`)
//! and the effective configuration the config probe produced.
//!
//! Mattermost's rules (MM `server/config/logger.go`): the server log is
//! `<LogSettings.FileLocation>/mattermost.log`, and an empty `FileLocation` means the
//! `logs` directory `FindDir` finds next to the install; the audit file is
//! `ExperimentalAuditSettings.FileName` used as given, so a relative name resolves against
//! the server's working directory — taken here to be the install directory (the
//! `WorkingDirectory` of the packaged systemd unit), else the config directory's parent.

use super::discover::{Kind, LogSpec};
use crate::catalogue::mattermost::{self as mm, config_key};
use crate::evidence::{Evidence, FactValue};
use crate::probe::Target;
use std::path::{Path, PathBuf};

/// The paths of one install.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locations {
    /// The directory of `mattermost.log`.
    pub log_dir: PathBuf,
    /// Live audit files: `FileName` and advanced file targets (or `audit.log` in the log
    /// directory when the config is unknown).
    pub audit_logs: Vec<PathBuf>,
    /// Live files of advanced file targets of the server log.
    pub extra_server_logs: Vec<PathBuf>,
    /// Whether a server log should be there: file logging on, or the directory given as
    /// the log directory (None: unknown).
    pub server_expected: Option<bool>,
    /// Whether the config says audit records are written to a file (None: config unknown).
    pub audit_expected: Option<bool>,
    pub config_file: Option<PathBuf>,
    /// The file store directory, for the local driver.
    pub file_store: Option<PathBuf>,
    /// Whether the primary database is on this host (None: unknown).
    pub database_local: Option<bool>,
    pub notes: Vec<String>,
}

fn setting<'a>(found: &'a Evidence, path: &str) -> Option<&'a FactValue> {
    found.lookup(config_key(path), None).map(|f| &f.value)
}

fn str_setting(found: &Evidence, path: &str) -> Option<String> {
    match setting(found, path) {
        Some(FactValue::Str(s)) => Some(s.clone()),
        _ => None,
    }
}

fn bool_setting(found: &Evidence, path: &str) -> Option<bool> {
    match setting(found, path) {
        Some(FactValue::Bool(b)) => Some(*b),
        _ => None,
    }
}

fn list_fact(found: &Evidence, key: &str) -> Vec<String> {
    match found.lookup(key, None).map(|f| &f.value) {
        Some(FactValue::StrList(v)) => v.clone(),
        _ => Vec::new(),
    }
}

/// `p` as the server resolves it from `base`, without `.` components.
fn resolve(base: &Path, p: &str) -> PathBuf {
    let p = Path::new(p);
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    joined.components().collect()
}

impl Locations {
    /// The locations, when the targets name logs or an install; None otherwise.
    pub fn resolve(targets: &[Target], found: &Evidence) -> Option<Self> {
        let mut logs_arg = None;
        let mut home = None;
        let mut config_file = None;
        for t in targets {
            match t {
                Target::Logs(p) => logs_arg = Some(p.clone()),
                Target::MattermostHome(p) => home = Some(p.clone()),
                Target::MattermostConfig(c) => config_file = c.config.clone(),
                _ => {}
            }
        }
        if logs_arg.is_none() && home.is_none() {
            return None;
        }
        let mut notes = Vec::new();
        let base = home
            .clone()
            .or_else(|| {
                config_file
                    .as_ref()
                    .and_then(|c| c.parent())
                    .and_then(Path::parent)
                    .map(|p| {
                        if p.as_os_str().is_empty() {
                            PathBuf::from(".")
                        } else {
                            p.to_path_buf()
                        }
                    })
            })
            .or_else(|| {
                logs_arg
                    .as_ref()
                    .and_then(|l| l.parent())
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| PathBuf::from("."));
        let location = str_setting(found, "LogSettings.FileLocation").filter(|s| !s.is_empty());
        let log_dir = match (&logs_arg, &location) {
            (Some(l), _) => l.clone(),
            (None, Some(loc)) => resolve(&base, loc),
            (None, None) => resolve(&base, "logs"),
        };
        let server_expected = match (bool_setting(found, "LogSettings.EnableFile"), &logs_arg) {
            (Some(true), _) | (_, Some(_)) => Some(true),
            (Some(false), None) => Some(false),
            (None, None) => None,
        };
        let file_enabled = bool_setting(found, "ExperimentalAuditSettings.FileEnabled");
        let file_name = str_setting(found, "ExperimentalAuditSettings.FileName");
        let audit_targets = list_fact(found, mm::AUDIT_FILE_TARGETS.key);
        let mut audit_logs = Vec::new();
        if file_enabled == Some(true) {
            match file_name.as_deref() {
                Some(n) if !n.is_empty() => audit_logs.push(resolve(&base, n)),
                _ => notes.push(
                    "ExperimentalAuditSettings.FileEnabled is true but FileName is empty: the server writes no audit file".into(),
                ),
            }
        }
        audit_logs.extend(audit_targets.iter().map(|t| resolve(&base, t)));
        let audit_expected = file_enabled.map(|_| !audit_logs.is_empty());
        if file_enabled.is_none() {
            // Config unknown: look for the name the docs and sample configs use.
            audit_logs.push(log_dir.join("audit.log"));
            notes.push(format!(
                "no configuration: the audit log is looked for as {}",
                log_dir.join("audit.log").display()
            ));
        }
        let extra_server_logs = list_fact(found, mm::LOG_FILE_TARGETS.key)
            .iter()
            .map(|t| resolve(&base, t))
            .collect();
        let driver = str_setting(found, "FileSettings.DriverName");
        let file_store = match driver.as_deref() {
            Some("local") | None => match str_setting(found, "FileSettings.Directory") {
                Some(d) if !d.is_empty() => Some(resolve(&base, &d)),
                // model/config.go: FileSettingsDefaultDirectory = "./data/"
                _ if driver.is_some() || home.is_some() => Some(resolve(&base, "data")),
                _ => None,
            },
            Some(_) => None,
        };
        let database_local = match found.lookup(mm::SQL_LOCAL.key, None).map(|f| &f.value) {
            Some(FactValue::Bool(b)) => Some(*b),
            _ => None,
        };
        if config_file.is_none()
            && let Some(h) = &home
        {
            let c = h.join("config").join("config.json");
            if c.exists() {
                config_file = Some(c);
            }
        }
        Some(Self {
            log_dir,
            audit_logs,
            extra_server_logs,
            server_expected,
            audit_expected,
            config_file,
            file_store,
            database_local,
            notes,
        })
    }

    /// The logs to look for.
    pub fn specs(&self) -> Vec<LogSpec> {
        let mut out = Vec::new();
        for (kind, path) in [
            (Kind::Server, self.log_dir.join("mattermost.log")),
            (Kind::Notifications, self.log_dir.join("notifications.log")),
        ]
        .into_iter()
        .chain(
            self.extra_server_logs
                .iter()
                .map(|p| (Kind::Server, p.clone())),
        )
        .chain(self.audit_logs.iter().map(|p| (Kind::Audit, p.clone())))
        {
            if let Some(s) = LogSpec::for_file(kind, &path)
                && !out
                    .iter()
                    .any(|o: &LogSpec| o.dir == s.dir && o.stem == s.stem && o.ext == s.ext)
            {
                out.push(s);
            }
        }
        out
    }

    /// Whether the log directory and the file store share a file system (None when either
    /// cannot be read).
    pub fn same_filesystem_as_data(&self) -> Option<bool> {
        use std::os::unix::fs::MetadataExt;
        let store = self.file_store.as_ref()?;
        let a = std::fs::metadata(&self.log_dir).ok()?;
        let b = std::fs::metadata(store).ok()?;
        Some(a.dev() == b.dev())
    }
}
