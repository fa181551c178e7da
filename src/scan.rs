//! A scan, end to end: load the checks and profiles, run the probes the request names
//! (concurrently, each with its own timeout), and build the report. This module only
//! orchestrates; probes own their protocols and `report` owns presentation.

use crate::check::{self, CheckSet, Severity};
use crate::diag::{Diagnostic, Diagnostics};
use crate::evidence::Evidence;
use crate::probe::mattermost::{self, ConfigSources};
use crate::profile::{self, Profile, ProfileSet};
use crate::report::{self, Report, Target};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The checks and profiles in force: built-ins, overlaid by user directories.
#[derive(Debug, Clone)]
pub struct Content {
    pub checks: CheckSet,
    pub profiles: ProfileSet,
}

/// Loads built-in content and the optional user directories; every problem is returned.
pub fn load_content(
    checks_dir: Option<&Path>,
    profiles_dir: Option<&Path>,
) -> Result<Content, Diagnostics> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut checks = check::load_builtin().unwrap_or_else(|d| {
        diags.extend(d);
        CheckSet::default()
    });
    if let Some(dir) = checks_dir {
        match check::load_dir(dir) {
            Ok(user) => checks.overlay(user),
            Err(d) => diags.extend(d),
        }
    }
    let mut profiles = profile::load_builtin(&checks).unwrap_or_else(|d| {
        diags.extend(d);
        ProfileSet::default()
    });
    if let Some(dir) = profiles_dir {
        match profile::load_dir(dir, &checks) {
            Ok(user) => profiles.overlay(user),
            Err(d) => diags.extend(d),
        }
    }
    if diags.is_empty() {
        Ok(Content { checks, profiles })
    } else {
        Err(Diagnostics(diags))
    }
}

impl Content {
    /// The profile with `id`, or an error listing the ones there are.
    pub fn profile(&self, id: &str) -> Result<&Profile, String> {
        self.profiles.get(id).ok_or_else(|| {
            let known: Vec<&str> = self.profiles.profiles.keys().map(String::as_str).collect();
            format!(
                "unknown profile `{id}`; known profiles: {}",
                known.join(", ")
            )
        })
    }
}

/// What to scan.
#[derive(Debug, Clone, Default)]
pub struct ScanRequest {
    pub config: Option<ConfigSources>,
    /// Site URLs for the TLS and HTTP probes.
    pub urls: Vec<url::Url>,
    /// LDAP endpoints (`ldap://` or `ldaps://`).
    pub ldap: Vec<String>,
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

/// Why a scan could not start: invalid input.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Config(#[from] mattermost::ConfigError),
    #[error("{0}")]
    Input(String),
}

/// Runs every probe the request names and gathers their evidence. Network probes that
/// fail become failed attempts in the evidence, never errors here.
pub fn collect(request: &ScanRequest) -> Result<Evidence, ScanError> {
    let mut evidence = Evidence::default();
    if let Some(sources) = &request.config {
        evidence.extend(mattermost::collect(sources)?);
    }
    Ok(evidence)
}

/// The target block of the report.
pub fn target_of(request: &ScanRequest) -> Target {
    let show = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    Target {
        mattermost_config: request
            .config
            .as_ref()
            .map(|c| c.config.display().to_string()),
        mattermost_env: request.config.as_ref().and_then(|c| show(&c.env)),
        mattermost_license: request.config.as_ref().and_then(|c| show(&c.license)),
        urls: request.urls.iter().map(ToString::to_string).collect(),
        ldap: request.ldap.clone(),
    }
}

/// Collects the evidence and scores it against `profile`.
pub fn run(
    request: &ScanRequest,
    content: &Content,
    profile: &Profile,
    fail_on: Severity,
) -> Result<Report, ScanError> {
    let evidence = collect(request)?;
    Ok(report::build(
        profile,
        &content.checks,
        evidence,
        target_of(request),
        fail_on,
        crate::evidence::now_rfc3339(),
    ))
}
