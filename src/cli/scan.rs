//! `safeguard scan`: probe a deployment and score it against a profile.

use super::{Exit, Output};
use crate::check::Severity;
use crate::probe::api::{ApiTarget, ResolvedToken, token};
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
    /// The environment variable holding an admin token for GET /api/v4/config (default
    /// MM_ADMIN_TOKEN). Tokens are never accepted on the command line.
    #[arg(long, value_name = "NAME", conflicts_with = "token_file")]
    pub token_env: Option<String>,
    /// A file holding the admin token (keep it mode 600).
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Advisory data to judge the server version against (default: the data written by
    /// `safeguard advisories update`, else the built-in data).
    #[arg(long, value_name = "FILE")]
    pub advisories: Option<PathBuf>,
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
    /// A fleet file: many deployments (name, url, token-env or token-file, ca-file,
    /// config, env, ldap, profile), each scanned and reported on its own.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["url", "ldap", "mattermost_config"])]
    pub deployments: Option<PathBuf>,
    /// Deployments of a fleet scanned at once.
    #[arg(long, value_name = "N", default_value_t = 8, requires = "deployments")]
    pub jobs: usize,
    /// Scan only this machine's share of the fleet: every N-th deployment from I (I counts
    /// from 0, like a Kubernetes indexed Job's JOB_COMPLETION_INDEX).
    #[arg(long, value_name = "I/N", requires = "deployments")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub assurance: super::assurance::Assurance,
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
    if args.timeout == 0 || args.timeout > 600 {
        bail!("--timeout must be between 1 and 600 seconds");
    }
    if let Some(file) = &args.deployments {
        return super::fleet::run(args, file);
    }
    if args.mattermost_config.is_none()
        && args.mattermost_env.is_none()
        && args.mattermost_home.is_none()
        && args.logs.is_none()
        && args.url.is_empty()
        && args.ldap.is_empty()
    {
        bail!(
            "nothing to scan: give --mattermost-config FILE, --mattermost-env FILE, --mattermost-home DIR, --logs DIR, --url URL, --ldap URL or --deployments FILE"
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
    let content =
        scan::load_content_for_scan(args.checks_dir.as_deref(), args.profiles_dir.as_deref())
            .context("invalid checks or profiles")?;
    let profile = content.profile(&args.profile).map_err(anyhow::Error::msg)?;
    let records = args.assurance.records()?;
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
    let token = if urls.is_empty() {
        None
    } else {
        resolve_token(args.token_env.as_deref(), args.token_file.as_deref())?
    };
    let advisories = if urls.is_empty() {
        None
    } else {
        Some(std::sync::Arc::new(
            super::advisories::resolve(args.advisories.as_deref())?.0,
        ))
    };
    for u in &urls {
        targets.push(Target::Site(u.clone()));
        if let Some(adv) = &advisories {
            targets.push(Target::MattermostApi(ApiTarget {
                url: u.clone(),
                token: token.clone(),
                ca_file: None,
                advisories: adv.clone(),
            }));
        }
    }
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
            // A site URL is a whole deployment: probe what its configuration names.
            probe_configured_endpoints: args.probe_configured_endpoints || !args.url.is_empty(),
            ..ProbeContext::default()
        },
    };
    let mut report = scan::run_with_records(&request, &content, profile, args.fail_on, &records)?;
    args.assurance.finish(&mut report)?;
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

/// The admin token: `--token-file`, else `--token-env NAME` (which must be set), else
/// MM_ADMIN_TOKEN when set. Warnings (a token file others can read) go to standard error.
pub fn resolve_token(
    env: Option<&str>,
    file: Option<&std::path::Path>,
) -> anyhow::Result<Option<ResolvedToken>> {
    let resolved = match (env, file) {
        (_, Some(path)) => Some(token::from_file(path).map_err(anyhow::Error::msg)?),
        (Some(name), None) => token::from_env(name, true).map_err(anyhow::Error::msg)?,
        (None, None) => token::from_env(token::DEFAULT_ENV, false).map_err(anyhow::Error::msg)?,
    };
    if let Some(r) = &resolved {
        for w in &r.warnings {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("safeguard: warning: {w}");
            }
        }
    }
    Ok(resolved)
}
