//! Finding the log files: the live file of each log (`mattermost.log`, the audit file,
//! `notifications.log`, advanced-logging file targets) and its rotated siblings —
//! lumberjack's `<stem>-<UTC time>.log[.gz]` (MM `server/config/logger.go` hands rotation
//! to logr's lumberjack target) and logrotate's `<name>.1`, `<name>.2.gz`,
//! `<name>-20240501.gz`. Symbolic links are never followed: one that leaves its
//! directory (or loops) is reported; one inside it is skipped, since its target is read
//! under its own name.
//!
//! What does not belong here: reading the files (`read`).

use std::path::{Path, PathBuf};

/// Which log a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Server,
    Audit,
    Notifications,
}

/// One log: where its live file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSpec {
    pub kind: Kind,
    pub dir: PathBuf,
    /// File name without the extension (`mattermost`).
    pub stem: String,
    /// The extension with its dot (`.log`), or empty.
    pub ext: String,
}

impl LogSpec {
    /// The log whose live file is `path`.
    pub fn for_file(kind: Kind, path: &Path) -> Option<Self> {
        let name = path.file_name()?.to_str()?;
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let (stem, ext) = match name.rfind('.') {
            Some(i) if i > 0 => (&name[..i], &name[i..]),
            _ => (name, ""),
        };
        Some(Self {
            kind,
            dir,
            stem: stem.to_owned(),
            ext: ext.to_owned(),
        })
    }

    /// Whether `name` is this log's live file or one of its rotated siblings; for a
    /// rotated one, whether it is gzipped.
    fn matches(&self, name: &str) -> Option<Match> {
        let live = format!("{}{}", self.stem, self.ext);
        if name == live {
            return Some(Match {
                live: true,
                gz: false,
            });
        }
        let gz = name.ends_with(".gz");
        let base = name.strip_suffix(".gz").unwrap_or(name);
        // lumberjack: <stem>-2006-01-02T15-04-05.000<ext>
        if let Some(rest) = base.strip_prefix(&format!("{}-", self.stem))
            && let Some(ts) = rest.strip_suffix(self.ext.as_str())
            && is_lumberjack_time(ts)
        {
            return Some(Match { live: false, gz });
        }
        // logrotate: <live>.1, <live>-20240501, <live>.1.gz
        if let Some(rest) = base.strip_prefix(live.as_str())
            && rest.len() > 1
            && matches!(rest.as_bytes()[0], b'.' | b'-')
            && rest[1..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
            && rest[1..].bytes().any(|b| b.is_ascii_digit())
        {
            return Some(Match { live: false, gz });
        }
        if gz && base == live {
            return Some(Match { live: false, gz });
        }
        None
    }
}

struct Match {
    live: bool,
    gz: bool,
}

fn is_lumberjack_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 23
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 | 13 | 16 => *c == b'-',
            10 => *c == b'T',
            19 => *c == b'.',
            _ => c.is_ascii_digit(),
        })
}

/// A log file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    pub path: PathBuf,
    pub kind: Kind,
    pub gz: bool,
    /// The file the server writes now (not a rotated copy).
    pub live: bool,
    pub len: u64,
}

/// What discovery found.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub files: Vec<LogFile>,
    /// Symbolic links leaving their directory or looping: `link -> target (why)`.
    pub symlinks: Vec<String>,
    /// Directories that could not be listed: `dir: why`.
    pub problems: Vec<String>,
    /// The directories listed.
    pub dirs: Vec<PathBuf>,
}

/// Lists the directories of `specs` once each and collects their files.
pub fn discover(specs: &[LogSpec]) -> Found {
    let mut found = Found::default();
    let mut dirs: Vec<&Path> = Vec::new();
    for s in specs {
        if !dirs.contains(&s.dir.as_path()) {
            dirs.push(&s.dir);
        }
    }
    for dir in dirs {
        let in_dir: Vec<&LogSpec> = specs.iter().filter(|s| s.dir == dir).collect();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                found
                    .problems
                    .push(format!("{}: cannot list the directory: {e}", dir.display()));
                continue;
            }
        };
        found.dirs.push(dir.to_path_buf());
        let real_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        let mut files = Vec::new();
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            let path = entry.path();
            if ft.is_symlink() {
                let target = std::fs::read_link(&path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_else(|_| "?".into());
                match std::fs::canonicalize(&path) {
                    Err(e) => found.symlinks.push(format!(
                        "{} -> {target} (loops or dangles: {e}; not followed)",
                        path.display()
                    )),
                    Ok(real) if !real.starts_with(&real_dir) => found.symlinks.push(format!(
                        "{} -> {} (leaves {}; not followed)",
                        path.display(),
                        real.display(),
                        dir.display()
                    )),
                    Ok(_) => {}
                }
                continue;
            }
            if !ft.is_file() {
                continue;
            }
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            for spec in &in_dir {
                if let Some(m) = spec.matches(&name) {
                    let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
                    files.push(LogFile {
                        path: path.clone(),
                        kind: spec.kind,
                        gz: m.gz,
                        live: m.live,
                        len,
                    });
                    break;
                }
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        found.files.extend(files);
    }
    found.symlinks.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let s = LogSpec::for_file(Kind::Server, Path::new("/l/mattermost.log")).unwrap();
        assert!(s.matches("mattermost.log").unwrap().live);
        assert!(
            s.matches("mattermost-2024-05-01T12-34-56.789.log.gz")
                .unwrap()
                .gz
        );
        assert!(
            !s.matches("mattermost-2024-05-01T12-34-56.789.log")
                .unwrap()
                .gz
        );
        assert!(s.matches("mattermost.log.1").is_some());
        assert!(s.matches("mattermost.log.2.gz").is_some());
        assert!(s.matches("mattermost.log-20240501.gz").is_some());
        assert!(s.matches("mattermost.log.bak").is_none());
        assert!(s.matches("mattermost-x.log").is_none());
        assert!(s.matches("notifications.log").is_none());
        let a = LogSpec::for_file(Kind::Audit, Path::new("audit")).unwrap();
        assert_eq!((a.stem.as_str(), a.ext.as_str()), ("audit", ""));
        assert!(a.matches("audit-2024-05-01T12-34-56.789.gz").is_some());
    }
}
