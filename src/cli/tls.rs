//! `safeguard tls HOST:PORT`: a scan of one TLS endpoint under a profile
//! (`nist-800-52r2` unless `--profile` says otherwise), with findings, gate and exit codes
//! like `scan`, and the endpoint detail (versions, suites in server order, groups,
//! certificate) in the table.

use super::{Exit, Output};
use crate::catalogue::family;
use crate::check::Severity;
use crate::probe::tls::{TlsTarget, Upgrade};
use crate::probe::{ProbeContext, Target};
use crate::scan::{self, ScanRequest};
use anyhow::{Context, bail};
use std::path::PathBuf;
use std::time::Duration;

/// The profile `safeguard tls` scores against by default.
pub const DEFAULT_TLS_PROFILE: &str = "nist-800-52r2";

/// Arguments of `safeguard tls`.
#[derive(Debug, clap::Args)]
pub struct TlsArgs {
    /// The endpoint, HOST:PORT (`[::1]:443` for IPv6).
    pub target: String,
    /// The server name to send (SNI) and to match the certificate against; default: HOST when it is a name.
    #[arg(long, value_name = "NAME")]
    pub sni: Option<String>,
    /// Upgrade a plaintext connection first: LDAP StartTLS, a PostgreSQL SSLRequest or SMTP STARTTLS.
    #[arg(long, value_enum, value_name = "PROTOCOL")]
    pub starttls: Option<StartTls>,
    /// A PEM file of CA certificates to trust as well (a private CA).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Seconds allowed for each network step.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout: u64,
    /// The profile to score against (`safeguard profiles list`); only its TLS checks apply.
    #[arg(long, default_value = DEFAULT_TLS_PROFILE)]
    pub profile: String,
    /// Fail the gate (exit 1) on a failing finding of this severity or higher.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = super::scan::parse_severity)]
    pub fail_on: Severity,
    #[command(flatten)]
    pub output: Output,
}

/// The StartTLS flavours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StartTls {
    Ldap,
    Postgres,
    Smtp,
}

/// Runs `safeguard tls`.
pub fn run(args: &TlsArgs) -> anyhow::Result<Exit> {
    let (host, port) = parse_host_port(&args.target)?;
    if let Some(ca) = &args.ca_file {
        std::fs::metadata(ca).with_context(|| format!("cannot read --ca-file {}", ca.display()))?;
        crate::probe::trust::load_roots(Some(ca)).map_err(anyhow::Error::msg)?;
    }
    if args.timeout == 0 || args.timeout > 600 {
        bail!("--timeout must be between 1 and 600 seconds");
    }
    let content =
        scan::load_content_for_scan(None, None).context("invalid built-in checks or profiles")?;
    let profile = content
        .profile(&args.profile)
        .map_err(anyhow::Error::msg)?
        .restricted_to_families(&content.checks, &[family::TLS]);
    let mut target = TlsTarget::new(host, port);
    target.sni = args.sni.clone();
    target.ca_file = args.ca_file.clone();
    target.timeout = Duration::from_secs(args.timeout);
    target.upgrade = match args.starttls {
        None => Upgrade::None,
        Some(StartTls::Ldap) => Upgrade::LdapStartTls,
        Some(StartTls::Postgres) => Upgrade::PostgresSslRequest,
        Some(StartTls::Smtp) => Upgrade::SmtpStartTls,
    };
    let request = ScanRequest {
        targets: vec![Target::Tls(target)],
        context: ProbeContext {
            ca_file: args.ca_file.clone(),
            timeout: Duration::from_secs(args.timeout),
            ..ProbeContext::default()
        },
    };
    let report = scan::run(&request, &content, &profile, args.fail_on)?;
    super::emit(&report, &args.output, true)
}

/// Splits `HOST:PORT` (`[v6]:PORT` for IPv6 addresses).
pub fn parse_host_port(s: &str) -> anyhow::Result<(String, u16)> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, p) = rest
            .split_once("]:")
            .with_context(|| format!("`{s}` is not [IPv6]:PORT"))?;
        (h.to_owned(), p)
    } else {
        let (h, p) = s
            .rsplit_once(':')
            .with_context(|| format!("`{s}` is not HOST:PORT"))?;
        if h.contains(':') {
            bail!("`{s}`: write IPv6 addresses as [ADDRESS]:PORT");
        }
        (h.to_owned(), p)
    };
    if host.is_empty() {
        bail!("`{s}` has no host");
    }
    let port: u16 = port
        .parse()
        .with_context(|| format!("`{s}`: `{port}` is not a port number"))?;
    if port == 0 {
        bail!("`{s}`: port 0 is not a port to connect to");
    }
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_forms() {
        assert_eq!(
            parse_host_port("mm.example.com:443").unwrap(),
            ("mm.example.com".into(), 443)
        );
        assert_eq!(parse_host_port("[::1]:8443").unwrap(), ("::1".into(), 8443));
        assert!(parse_host_port("mm.example.com").is_err());
        assert!(parse_host_port("h:x").is_err());
        assert!(parse_host_port(":443").is_err());
        assert!(parse_host_port("::1:443").is_err());
    }
}
