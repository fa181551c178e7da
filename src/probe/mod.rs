//! Probes: the only code that reads files or talks to the network.
//!
//! Every probe implements [`Probe`]: given the scan's [`Target`]s and what earlier phases
//! found, it plans [`Job`]s (one per subject); each job returns [`Evidence`]: facts made
//! through the catalogue's declarations, and attempts that say which fact families the
//! job was meant to provide and how it ended. The scan runner (`crate::scan`) runs the
//! phases in order — configuration sources first, then the endpoints, including those
//! derived from the configuration — with a shared [`ProbeContext`].
//!
//! Adding a probe: its own folder under `src/probe/`, its facts in `src/catalogue/`, one
//! line in [`REGISTRY`]. Nothing else grows a field.
//!
//! What does not belong here: judging facts (`check`), scoring (`profile`, `assess`),
//! output (`report`). No probe imports those layers.

use crate::evidence::Evidence;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::time::Duration;

pub mod api;
pub mod database;
pub mod gossip;
pub mod host;
pub mod http;
pub mod ldap;
pub mod logs;
pub mod mattermost;
pub mod tls;
pub mod trust;

/// Every probe safeguard has, in the order their evidence is merged.
pub static REGISTRY: &[&dyn Probe] = &[
    &mattermost::ConfigFileProbe,
    &api::ApiProbe,
    &tls::TlsProbe,
    &http::HttpProbe,
    &ldap::LdapProbe,
    &logs::LogsProbe,
    &host::HostProbe,
    &database::DatabaseHopProbe,
    &gossip::GossipProbe,
];

/// When a probe runs. Later phases see the evidence of earlier ones, which is how an
/// endpoint named in the configuration gets probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Configuration sources: the config file (and, later, the REST API).
    Sources,
    /// Endpoints: the ones given, and the ones the sources name.
    Endpoints,
}

impl Phase {
    pub const ALL: [Phase; 2] = [Phase::Sources, Phase::Endpoints];
}

/// Something the user asked to scan. The report lists each as `kind` and `location`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A Mattermost `config.json` (or `mmctl config show` output) with its environment
    /// file and licence.
    MattermostConfig(mattermost::ConfigSources),
    /// A site URL: the TLS of its host and port, and its HTTP hygiene.
    Site(url::Url),
    /// A bare TLS endpoint (`safeguard tls`).
    Tls(tls::TlsTarget),
    /// An LDAP endpoint.
    Ldap(ldap::LdapEndpoint),
    /// Mattermost's log directory (`mattermost.log` and its rotated siblings).
    Logs(PathBuf),
    /// A Mattermost install directory (`config/`, `logs/`, `data/`).
    MattermostHome(PathBuf),
    /// A running server's REST API (the site URL it serves).
    MattermostApi(api::ApiTarget),
}

impl Target {
    /// A short kind and where it is, for the report's target block.
    pub fn describe(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::MattermostConfig(c) => {
                let mut v = Vec::new();
                if let Some(f) = &c.config {
                    v.push(("mattermost-config", f.display().to_string()));
                }
                if let Some(e) = &c.env {
                    v.push(("mattermost-env", e.display().to_string()));
                }
                if let Some(l) = &c.license {
                    v.push(("mattermost-license", l.display().to_string()));
                }
                if let Some(ver) = &c.version {
                    v.push(("mattermost-version", ver.to_string()));
                }
                v
            }
            Self::Site(u) => vec![("site", u.to_string())],
            Self::Tls(t) => vec![("tls", tls::subject_of(t))],
            Self::Ldap(e) => vec![("ldap", e.subject())],
            Self::Logs(p) => vec![("logs", p.display().to_string())],
            Self::MattermostHome(p) => vec![("mattermost-home", p.display().to_string())],
            Self::MattermostApi(a) => vec![("mattermost-api", a.url.to_string())],
        }
    }
}

/// What every probe of a scan shares.
#[derive(Debug, Clone)]
pub struct ProbeContext {
    /// Extra trust anchors (a private CA), added to the Mozilla and system roots.
    pub ca_file: Option<PathBuf>,
    /// The limit for each network step.
    pub timeout: Duration,
    /// Probe the endpoints the configuration names, not only those given.
    pub probe_configured_endpoints: bool,
    /// How many jobs may run at once.
    pub concurrency: usize,
}

impl Default for ProbeContext {
    fn default() -> Self {
        Self {
            ca_file: None,
            timeout: Duration::from_secs(10),
            probe_configured_endpoints: false,
            concurrency: 16,
        }
    }
}

/// Invalid input: the scan cannot start (exit 2). A network failure is never this: it is
/// a failed attempt in the evidence.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error(transparent)]
    Config(#[from] mattermost::ConfigError),
    #[error("{0}")]
    Invalid(String),
}

/// The work of one job.
pub type Work = Pin<Box<dyn Future<Output = Result<Evidence, InputError>> + Send + 'static>>;

/// One unit of probing: a probe on one subject.
pub struct Job {
    pub probe: &'static str,
    /// The subject (`None` for deployment-wide sources).
    pub subject: Option<String>,
    /// The fact families the job is meant to provide; a job that panics or overruns its
    /// time becomes a failed attempt covering them.
    pub covers: &'static [&'static str],
    pub work: Work,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job")
            .field("probe", &self.probe)
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// What the registry knows of a probe.
#[derive(Debug, Clone, Copy)]
pub struct About {
    /// Stable id, used in provenance and attempts.
    pub id: &'static str,
    /// One line for the docs.
    pub description: &'static str,
    pub phase: Phase,
    /// The fact families (`catalogue::family`) its jobs provide.
    pub families: &'static [&'static str],
}

/// A probe.
pub trait Probe: Sync {
    /// Its id, description, phase and fact families.
    fn about(&self) -> &'static About;
    /// The jobs for this scan, from the targets and what earlier phases found.
    fn plan(&self, targets: &[Target], found: &Evidence, ctx: &ProbeContext) -> Vec<Job>;
    /// Cross-probe facts once every phase has run (say, which LDAP endpoint is the
    /// configured one).
    fn finish(&self, _evidence: &mut Evidence) {}
}

/// Whether some registered probe provides facts of `family`.
pub fn provides(family: &str) -> bool {
    REGISTRY
        .iter()
        .any(|p| p.about().families.contains(&family))
}
