//! Host probe: the permissions and ownership of Mattermost's files on the host
//! (`config.json`, server and audit logs, their directories) and whether the directories
//! holding ePHI — the file store, the logs, a local database's data — sit on an encrypted
//! block device ([`mounts`]).
//!
//! It runs when the targets name an install or a log directory (`--mattermost-home`,
//! `--logs`), after the config probe, and finds the files as the logs probe does
//! (`probe::logs::locate`). Encryption is reported per path (the subject
//! `<role>:<path>`); a path whose device cannot be told gets a skipped attempt with the
//! reason, so its check is not assessed, never passed.
//!
//! What does not belong here: reading log contents (`probe::logs`).

pub mod mounts;

use crate::catalogue::family;
use crate::catalogue::host as cat;
use crate::evidence::{AttemptOutcome, Evidence, FactMaker, FactValue};
use crate::probe::logs::discover::{self, Kind};
use crate::probe::logs::locate::Locations;
use mounts::{HostRoot, Verdict};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// The probe id, in provenance and attempts.
pub const ID: &str = "host";

const COVERS: &[&str] = &[family::HOST];

/// Where a local database keeps its data, by the Debian/RHEL packages' defaults.
const DATABASE_DIRS: &[&str] = &["/var/lib/postgresql", "/var/lib/pgsql", "/var/lib/mysql"];

/// The registry entry.
#[derive(Debug)]
pub struct HostProbe;

impl super::Probe for HostProbe {
    fn about(&self) -> &'static super::About {
        const ABOUT: super::About = super::About {
            id: ID,
            description: "Reads permissions of config.json and the log files, and whether the file store, logs and a local database sit on dm-crypt",
            phase: super::Phase::Endpoints,
            families: COVERS,
        };
        &ABOUT
    }
    fn plan(
        &self,
        targets: &[super::Target],
        found: &Evidence,
        _ctx: &super::ProbeContext,
    ) -> Vec<super::Job> {
        let Some(loc) = Locations::resolve(targets, found) else {
            return Vec::new();
        };
        let mut jobs = Vec::new();
        let perm_loc = loc.clone();
        jobs.push(super::Job {
            probe: ID,
            subject: None,
            covers: COVERS,
            work: Box::pin(async move { Ok(permissions(&perm_loc)) }),
        });
        for (subject, path) in storage_paths(&loc) {
            let job_subject = subject.clone();
            jobs.push(super::Job {
                probe: ID,
                subject: Some(subject.clone()),
                covers: COVERS,
                work: Box::pin(async move {
                    Ok(encryption(
                        &job_subject,
                        path.as_deref(),
                        &HostRoot::default(),
                    ))
                }),
            });
        }
        jobs
    }
}

/// The paths whose encryption at rest is assessed: `(subject, path)`; a None path is one
/// that should be assessed but cannot be found.
pub fn storage_paths(loc: &Locations) -> Vec<(String, Option<PathBuf>)> {
    let mut out: Vec<(String, Option<PathBuf>)> = Vec::new();
    let add = |out: &mut Vec<(String, Option<PathBuf>)>, role: &str, p: &Path| {
        let subject = format!("{role}:{}", p.display());
        if !out.iter().any(|(s, _)| *s == subject) {
            out.push((subject, Some(p.to_path_buf())));
        }
    };
    if let Some(fs) = &loc.file_store {
        add(&mut out, "file-store", fs);
    }
    add(&mut out, "logs", &loc.log_dir);
    for a in &loc.audit_logs {
        if let Some(dir) = a
            .parent()
            .filter(|d| *d != loc.log_dir && !d.as_os_str().is_empty())
        {
            add(&mut out, "audit-logs", dir);
        }
    }
    if loc.database_local == Some(true) {
        let dirs: Vec<&str> = DATABASE_DIRS
            .iter()
            .copied()
            .filter(|d| Path::new(d).is_dir())
            .collect();
        if dirs.is_empty() {
            out.push(("database:(data directory not found)".into(), None));
        }
        for d in dirs {
            add(&mut out, "database", Path::new(d));
        }
    }
    out
}

/// The encryption facts (or the skipped attempt) for one path.
pub fn encryption(subject: &str, path: Option<&Path>, root: &HostRoot) -> Evidence {
    let maker = FactMaker::new(ID, Some(subject.to_owned()));
    let mut ev = Evidence::default();
    let verdict = match path {
        Some(p) => mounts::assess(p, root),
        None => Verdict::Unknown(format!(
            "the database runs on this host but its data directory is not in any of {}",
            DATABASE_DIRS.join(", ")
        )),
    };
    let (encrypted, chain) = match verdict {
        Verdict::Encrypted(c) => (true, c),
        Verdict::Plain(c) => (false, c),
        Verdict::Unknown(why) => {
            ev.attempts
                .push(maker.attempt(AttemptOutcome::Skipped { why }, COVERS));
            return ev;
        }
    };
    let src = root.mountinfo.display().to_string();
    ev.insert(maker.put(
        &cat::STORAGE_ENCRYPTED,
        FactValue::Bool(encrypted),
        src.clone(),
    ));
    ev.insert(maker.put(&cat::STORAGE_DEVICE, FactValue::Str(chain), src));
    ev.attempts
        .push(maker.attempt(AttemptOutcome::Completed, COVERS));
    ev
}

/// The name of a uid from /etc/passwd, when listed.
fn user_name(uid: u32) -> Option<String> {
    let text = std::fs::read_to_string("/etc/passwd").ok()?;
    text.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        let id: u32 = f.nth(1)?.parse().ok()?;
        (id == uid).then(|| name.to_owned())
    })
}

fn who(uid: u32) -> String {
    match user_name(uid) {
        Some(n) => format!("{uid} ({n})"),
        None => uid.to_string(),
    }
}

/// Permission and ownership facts of the config and log files.
pub fn permissions(loc: &Locations) -> Evidence {
    let maker = FactMaker::new(ID, None);
    let mut ev = Evidence::default();
    let mut notes = Vec::new();
    let found = discover::discover(&loc.specs());
    notes.extend(found.problems.iter().cloned());
    let mut files: Vec<PathBuf> = Vec::new();
    if let Some(c) = &loc.config_file {
        files.push(c.clone());
    }
    files.extend(found.files.iter().map(|f| f.path.clone()));
    let live_server = found
        .files
        .iter()
        .find(|f| f.kind == Kind::Server && f.live)
        .map(|f| f.path.clone());
    let owner_source = live_server.clone().or_else(|| loc.config_file.clone());
    let service_uid = owner_source
        .as_ref()
        .and_then(|p| std::fs::symlink_metadata(p).ok())
        .map(|m| m.uid());

    let mut checked = 0i64;
    let mut exposed = Vec::new();
    let mut foreign = Vec::new();
    for f in &files {
        let meta = match std::fs::symlink_metadata(f) {
            Ok(m) => m,
            Err(e) => {
                notes.push(format!("{}: {e}", f.display()));
                continue;
            }
        };
        checked += 1;
        let mode = meta.mode() & 0o7777;
        if mode & 0o077 != 0 {
            exposed.push(format!("{} ({mode:04o})", f.display()));
        }
        if let Some(uid) = service_uid
            && meta.uid() != uid
        {
            foreign.push(format!("{} ({})", f.display(), who(meta.uid())));
        }
    }
    let dirs: Vec<PathBuf> = found.dirs.clone();
    let mut world_writable = Vec::new();
    for d in &dirs {
        if let Ok(m) = std::fs::metadata(d)
            && m.mode() & 0o002 != 0
        {
            world_writable.push(format!("{} ({:04o})", d.display(), m.mode() & 0o7777));
        }
    }
    let src = loc.log_dir.display().to_string();
    ev.insert(maker.put(&cat::FILES_CHECKED, FactValue::Int(checked), src.clone()));
    ev.insert(maker.put(
        &cat::FILES_EXPOSED,
        FactValue::StrList(exposed),
        src.clone(),
    ));
    // Nothing listed is nothing judged: without a readable directory these facts stay
    // absent (not assessed), never an empty list that would pass.
    if !dirs.is_empty() {
        ev.insert(maker.put(
            &cat::DIRS_WORLD_WRITABLE,
            FactValue::StrList(world_writable),
            src.clone(),
        ));
    }
    if !found.dirs.is_empty() {
        ev.insert(maker.put(
            &cat::SYMLINKS_LEAVING,
            FactValue::StrList(found.symlinks.clone()),
            src.clone(),
        ));
    }
    if let (Some(uid), Some(from)) = (service_uid, owner_source) {
        ev.insert(maker.put(
            &cat::SERVICE_USER,
            FactValue::Str(who(uid)),
            from.display().to_string(),
        ));
        ev.insert(maker.put(
            &cat::FILES_NOT_SERVICE_OWNED,
            FactValue::StrList(foreign),
            src,
        ));
    } else {
        notes.push("the service user is unknown (no live mattermost.log and no config.json): ownership not assessed".into());
    }
    let mut attempt = maker.attempt(AttemptOutcome::Completed, COVERS);
    attempt.notes = notes;
    ev.attempts.push(attempt);
    ev
}
