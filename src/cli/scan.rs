//! `safeguard scan`: probe a deployment and score it against a profile.

use super::{Exit, Output};
use crate::check::Severity;
use crate::probe::ldap::LdapEndpoint;
use crate::probe::mattermost::ConfigSources;
use crate::probe::{ProbeContext, Target};
use crate::profile::DEFAULT_PROFILE;
use crate::scan::{self, ScanRequest};
use anyhow::{Context, bail};
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `safeguard scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// A Mattermost config.json (or the output of `mmctl config show`).
    #[arg(long, value_name = "FILE")]
    pub mattermost_config: Option<PathBuf>,
    /// An environment file whose MM_<SECTION>_<KEY> lines override the config, as the server applies them.
    #[arg(long, value_name = "FILE", requires = "mattermost_config")]
    pub mattermost_env: Option<PathBuf>,
    /// The JSON of GET /api/v4/license/client?format=old, to model licence-gated behaviour.
    #[arg(long, value_name = "FILE", requires = "mattermost_config")]
    pub mattermost_license: Option<PathBuf>,
    /// The site URL (https://HOST[:PORT]): TLS and HTTP checks. Repeatable.
    #[arg(long, value_name = "URL")]
    pub url: Vec<String>,
    /// An LDAP endpoint, ldap://HOST:PORT or ldaps://HOST:PORT. Repeatable.
    #[arg(long, value_name = "URL")]
    pub ldap: Vec<String>,
    /// A naming context of the --ldap directories (dc=example,dc=org): the cleartext-bind
    /// and anonymous-read tests need one when the root DSE is not readable anonymously.
    #[arg(long, value_name = "DN", requires = "ldap")]
    pub ldap_base_dn: Option<String>,
    /// Also probe the endpoints the config names: its https SiteURL and, when LDAP is
    /// enabled, its LDAP server. Without it a config scan does no network I/O.
    #[arg(long, requires = "mattermost_config")]
    pub probe_configured_endpoints: bool,
    /// A PEM file of CA certificates to trust (a private CA).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Seconds allowed for each endpoint.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout: u64,
    /// The profile to score against (`safeguard profiles list`).
    #[arg(long, default_value = DEFAULT_PROFILE)]
    pub profile: String,
    /// Fail the gate (exit 1) on a failing finding of this severity or higher.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = parse_severity)]
    pub fail_on: Severity,
    /// Extra or overriding check files: DIR/<domain>/<id>.yaml.
    #[arg(long, value_name = "DIR")]
    pub checks_dir: Option<PathBuf>,
    /// Extra or overriding profiles: DIR/<id>.yaml.
    #[arg(long, value_name = "DIR")]
    pub profiles_dir: Option<PathBuf>,
    #[command(flatten)]
    pub output: Output,
}

/// Parses a severity name for clap.
pub fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("`{s}` is not a severity; use critical, high, medium, low or info"))
}

/// Runs `safeguard scan`.
pub fn run(args: &ScanArgs) -> anyhow::Result<Exit> {
    if args.mattermost_config.is_none() && args.url.is_empty() && args.ldap.is_empty() {
        bail!("nothing to scan: give --mattermost-config FILE, --url URL or --ldap URL");
    }
    if args.timeout == 0 || args.timeout > 600 {
        bail!("--timeout must be between 1 and 600 seconds");
    }
    let content = scan::load_content(args.checks_dir.as_deref(), args.profiles_dir.as_deref())
        .context("invalid checks or profiles")?;
    let profile = content.profile(&args.profile).map_err(anyhow::Error::msg)?;
    let mut urls = Vec::new();
    for u in &args.url {
        let parsed = url::Url::parse(u).with_context(|| format!("--url `{u}` is not a URL"))?;
        if parsed.scheme() != "https" || parsed.host_str().is_none() {
            bail!("--url `{u}` must be https://HOST[:PORT]");
        }
        urls.push(parsed);
    }
    let mut targets = Vec::new();
    if let Some(c) = &args.mattermost_config {
        targets.push(Target::MattermostConfig(ConfigSources {
            config: c.clone(),
            env: args.mattermost_env.clone(),
            license: args.mattermost_license.clone(),
        }));
    }
    targets.extend(urls.into_iter().map(Target::Site));
    for u in &args.ldap {
        let ep = LdapEndpoint::parse(u)
            .with_context(|| format!("--ldap `{u}`"))?
            .with_base_dn(args.ldap_base_dn.as_deref());
        targets.push(Target::Ldap(ep));
    }
    if let Some(ca) = &args.ca_file {
        std::fs::metadata(ca).with_context(|| format!("cannot read --ca-file {}", ca.display()))?;
        crate::probe::tls::certificate::load_roots(Some(ca)).map_err(anyhow::Error::msg)?;
    }
    let request = ScanRequest {
        targets,
        context: ProbeContext {
            ca_file: args.ca_file.clone(),
            timeout: Duration::from_secs(args.timeout),
            probe_configured_endpoints: args.probe_configured_endpoints,
            ..ProbeContext::default()
        },
    };
    let report = scan::run(&request, &content, profile, args.fail_on)?;
    super::emit(&report, &args.output, false)
}
