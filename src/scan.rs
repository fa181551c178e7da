//! A scan, end to end: load the checks and profiles, run the probes the request names
//! (concurrently, each with its own timeout), and build the report. This module only
//! orchestrates; probes own their protocols and `report` owns presentation.

use crate::check::{self, CheckSet, Severity};
use crate::diag::{Diagnostic, Diagnostics};
use crate::evidence::Evidence;
use crate::probe::mattermost::{self, ConfigSources};
use crate::probe::{ldap, tls};
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
    /// Also probe the endpoints the configuration names (the https SiteURL, the LDAP
    /// server when LDAP is enabled). Off by default: a config audit stays offline.
    pub probe_configured_endpoints: bool,
}

/// Why a scan could not start: invalid input.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Config(#[from] mattermost::ConfigError),
    #[error("{0}")]
    Input(String),
}

/// Runs every probe the request names and gathers their evidence. Network probes run
/// concurrently, each bounded by the request's timeout; one that fails becomes a failed
/// attempt in the evidence, never an error here. Evidence is merged in request order, so
/// reports are reproducible.
pub fn collect(request: &ScanRequest) -> Result<Evidence, ScanError> {
    let mut evidence = Evidence::default();
    if let Some(sources) = &request.config {
        evidence.extend(mattermost::collect(sources)?);
    }
    let mut urls = request.urls.clone();
    let mut ldap_endpoints = Vec::new();
    for u in &request.ldap {
        let ep = ldap::LdapEndpoint::parse(u)
            .map_err(|e| ScanError::Input(format!("--ldap `{u}`: {e}")))?;
        ldap_endpoints.push(ep);
    }
    if request.probe_configured_endpoints {
        if let Some(site) = configured_site_url(&evidence)
            && !urls.iter().any(|u| u.origin() == site.origin())
        {
            urls.push(site);
        }
        for ep in ldap::endpoints_from_config(&evidence) {
            if !ldap_endpoints.iter().any(|e| e.subject() == ep.subject()) {
                ldap_endpoints.push(ep);
            }
        }
    }
    if urls.is_empty() && ldap_endpoints.is_empty() {
        return Ok(evidence);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ScanError::Input(format!("cannot start the network runtime: {e}")))?;
    let network = runtime.block_on(async {
        let mut jobs: Vec<(String, &'static str, tokio::task::JoinHandle<Evidence>)> = Vec::new();
        for url in urls {
            let ca = request.ca_file.clone();
            let timeout = request.timeout;
            // The subject the probe itself uses: scheme://host:port.
            let subject = format!(
                "{}://{}:{}",
                url.scheme(),
                url.host_str().unwrap_or_default(),
                url.port_or_known_default().unwrap_or(443)
            );
            jobs.push((
                subject,
                tls::PROBE.id,
                tokio::spawn(async move { tls::collect_site(&url, ca.as_deref(), timeout).await }),
            ));
        }
        for ep in ldap_endpoints {
            let opts = ldap::LdapOptions {
                ca_file: request.ca_file.clone(),
                timeout: request.timeout,
            };
            jobs.push((
                ep.subject(),
                ldap::PROBE.id,
                tokio::spawn(async move { ldap::collect(&ep, &opts).await }),
            ));
        }
        let mut out = Evidence::default();
        for (subject, probe, job) in jobs {
            match job.await {
                Ok(ev) => out.extend(ev),
                // A probe that panicked is a probe that failed, for that endpoint only.
                Err(e) => out.attempts.push(crate::evidence::ProbeAttempt {
                    probe: probe.to_owned(),
                    subject: Some(subject),
                    outcome: crate::evidence::AttemptOutcome::Failed {
                        reason: format!("internal error: {e}"),
                    },
                    notes: Vec::new(),
                }),
            }
        }
        out
    });
    evidence.extend(network);
    // Tell the configured LDAP endpoint from --ldap ones, for the config cross-checks.
    ldap::mark_config_endpoints(&mut evidence);
    Ok(evidence)
}

/// The configured `ServiceSettings.SiteURL`, when it is an https URL.
fn configured_site_url(evidence: &Evidence) -> Option<url::Url> {
    let fact = evidence.lookup("mattermost.config.ServiceSettings.SiteURL", None)?;
    let crate::evidence::FactValue::Str(s) = &fact.value else {
        return None;
    };
    url::Url::parse(s)
        .ok()
        .filter(|u| u.scheme() == "https" && u.host_str().is_some())
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
