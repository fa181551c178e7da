//! `safeguard ldap URL`: a scan of one LDAP endpoint (StartTLS, LDAPS, cleartext and
//! anonymous binds, and the TLS of its secure channel) under `hipaa-technical`'s endpoint
//! checks (or `--profile`), with findings, gate and exit codes like `scan`.

use super::{Exit, Output};
use crate::catalogue::family;
use crate::check::Severity;
use crate::probe::ldap::LdapEndpoint;
use crate::probe::{ProbeContext, Target};
use crate::profile::DEFAULT_PROFILE;
use crate::scan::{self, ScanRequest};
use anyhow::Context;
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `safeguard ldap`.
#[derive(Debug, clap::Args)]
pub struct LdapArgs {
    /// The endpoint, ldap://HOST:PORT (plaintext, StartTLS is tried) or ldaps://HOST:PORT.
    pub url: String,
    /// PEM file of CA certificates to trust for the directory's certificate, besides the web roots.
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// A naming context of the directory (dc=example,dc=org): the cleartext-bind and
    /// anonymous-read tests need one when the root DSE is not readable anonymously.
    #[arg(long, value_name = "DN")]
    pub ldap_base_dn: Option<String>,
    /// The profile to score against (`safeguard profiles list`); only its LDAP and TLS checks apply.
    #[arg(long, default_value = DEFAULT_PROFILE)]
    pub profile: String,
    /// Fail the gate (exit 1) on a failing finding of this severity or higher.
    #[arg(long, value_name = "SEVERITY", default_value = "low", value_parser = super::scan::parse_severity)]
    pub fail_on: Severity,
    #[command(flatten)]
    pub output: Output,
    /// Seconds allowed for each network step (connect, each request, each handshake).
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub timeout: f64,
}

/// Runs `safeguard ldap`.
pub fn run(args: &LdapArgs) -> anyhow::Result<Exit> {
    let endpoint = LdapEndpoint::parse(&args.url)?.with_base_dn(args.ldap_base_dn.as_deref());
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 600.0) {
        anyhow::bail!(
            "--timeout must be between 0 and 600 seconds, got {}",
            args.timeout
        );
    }
    if let Some(ca) = &args.ca_file {
        std::fs::metadata(ca).with_context(|| format!("--ca-file {}", ca.display()))?;
        crate::probe::trust::load_roots(Some(ca)).map_err(anyhow::Error::msg)?;
    }
    let content =
        scan::load_content_for_scan(None, None).context("invalid built-in checks or profiles")?;
    let profile = content
        .profile(&args.profile)
        .map_err(anyhow::Error::msg)?
        .restricted_to_families(&content.checks, &[family::LDAP, family::TLS]);
    let request = ScanRequest {
        targets: vec![Target::Ldap(endpoint)],
        context: ProbeContext {
            ca_file: args.ca_file.clone(),
            timeout: Duration::from_secs_f64(args.timeout),
            ..ProbeContext::default()
        },
    };
    let report = scan::run(&request, &content, &profile, args.fail_on)?;
    super::emit(&report, &args.output, true)
}
