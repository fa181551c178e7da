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
    /// (Enough alone when its MM_CONFIG names a database, as on Helm and operator installs.)
    #[arg(long, value_name = "FILE")]
    pub mattermost_env: Option<PathBuf>,
    /// Whose rules the environment file follows: compose (.env, env_file) or systemd (EnvironmentFile=).
    #[arg(long, value_name = "FORMAT", default_value = "compose", value_parser = parse_env_format)]
    pub mattermost_env_format: crate::probe::mattermost::env_file::Flavour,
    /// The JSON of GET /api/v4/license/client?format=old, to model licence-gated behaviour.
    #[arg(long, value_name = "FILE")]
    pub mattermost_license: Option<PathBuf>,
    /// A Mattermost install directory (config/, logs/, data/): reads config/config.json as
    /// with --mattermost-config, the logs and audit logs the config names, file
    /// permissions, and encryption at rest of the file store and logs.
    #[arg(long, value_name = "DIR")]
    pub mattermost_home: Option<PathBuf>,
    /// Mattermost's log directory (mattermost.log and its rotated, gzipped siblings):
    /// span, gaps, levels and audit coverage. Overrides the one the config names.
    #[arg(long, value_name = "DIR")]
    pub logs: Option<PathBuf>,
    /// The server version (X.Y.Z): settings a version ignores are judged for it.
    #[arg(long, value_name = "X.Y.Z", value_parser = parse_version)]
    pub mattermost_version: Option<crate::probe::mattermost::Version>,
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
    #[arg(long)]
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

/// Parses an environment-file format for clap.
pub fn parse_env_format(s: &str) -> Result<crate::probe::mattermost::env_file::Flavour, String> {
    use crate::probe::mattermost::env_file::Flavour;
    match s {
        "compose" => Ok(Flavour::Compose),
        "systemd" => Ok(Flavour::Systemd),
        _ => Err(format!(
            "`{s}` is not an environment file format; use compose or systemd"
        )),
    }
}

/// Parses a server version for clap.
pub fn parse_version(s: &str) -> Result<crate::probe::mattermost::Version, String> {
    crate::probe::mattermost::Version::parse(s)
        .ok_or_else(|| format!("`{s}` is not a Mattermost version; use X.Y.Z, e.g. 10.5.2"))
}

/// Runs `safeguard scan`.
pub fn run(args: &ScanArgs) -> anyhow::Result<Exit> {
    if args.mattermost_config.is_none()
        && args.mattermost_env.is_none()
        && args.mattermost_home.is_none()
        && args.logs.is_none()
        && args.url.is_empty()
        && args.ldap.is_empty()
    {
        bail!(
            "nothing to scan: give --mattermost-config FILE, --mattermost-env FILE, --mattermost-home DIR, --logs DIR, --url URL or --ldap URL"
        );
    }
    for (flag, dir) in [
        ("--mattermost-home", &args.mattermost_home),
        ("--logs", &args.logs),
    ] {
        if let Some(d) = dir {
            let meta = std::fs::metadata(d)
                .with_context(|| format!("{flag} {}: cannot read the directory", d.display()))?;
            if !meta.is_dir() {
                bail!("{flag} {}: not a directory", d.display());
            }
        }
    }
    // --mattermost-home reads its config/config.json as if given with --mattermost-config.
    let config = args.mattermost_config.clone().or_else(|| {
        args.mattermost_home
            .as_ref()
            .map(|h| h.join("config").join("config.json"))
            .filter(|c| c.is_file())
    });
    if config.is_none() && args.mattermost_env.is_none() && args.probe_configured_endpoints {
        bail!(
            "--probe-configured-endpoints needs a config: give --mattermost-config FILE, --mattermost-env FILE or a --mattermost-home DIR with config/config.json"
        );
    }
    if config.is_none()
        && args.mattermost_env.is_none()
        && (args.mattermost_license.is_some() || args.mattermost_version.is_some())
    {
        bail!(
            "--mattermost-license and --mattermost-version need --mattermost-config or --mattermost-env"
        );
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
    if config.is_some() || args.mattermost_env.is_some() {
        targets.push(Target::MattermostConfig(ConfigSources {
            config: config.clone(),
            env: args.mattermost_env.clone(),
            env_format: args.mattermost_env_format,
            license: args.mattermost_license.clone(),
            version: args.mattermost_version,
        }));
    }
    if let Some(h) = &args.mattermost_home {
        targets.push(Target::MattermostHome(h.clone()));
    }
    if let Some(l) = &args.logs {
        targets.push(Target::Logs(l.clone()));
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
        crate::probe::trust::load_roots(Some(ca)).map_err(anyhow::Error::msg)?;
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
    // Remarks of the probes (ignored environment lines, fallbacks) go to stderr too, so a
    // user sees them whatever the output format.
    for a in &report.evidence.attempts {
        for n in &a.notes {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("note: {n}");
            }
        }
    }
    super::emit(&report, &args.output, false)
}
