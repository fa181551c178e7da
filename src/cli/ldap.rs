//! `safeguard ldap URL`: assess one LDAP endpoint (StartTLS, LDAPS, cleartext binds) and
//! print what was found.

use super::{Exit, Output, OutputFormat};
use crate::probe::ldap::{self, LdapEndpoint, LdapOptions};
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
    #[command(flatten)]
    pub output: Output,
    /// Seconds allowed for each network step (connect, each request, each handshake).
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub timeout: f64,
}

/// Runs `safeguard ldap`: exit 0 when the endpoint was fully assessed, 3 when it (or a
/// step) could not be, 2 for a bad URL or options.
pub fn run(args: &LdapArgs) -> anyhow::Result<Exit> {
    let endpoint = LdapEndpoint::parse(&args.url)?;
    if !(args.timeout.is_finite() && args.timeout > 0.0 && args.timeout <= 3600.0) {
        anyhow::bail!(
            "--timeout must be between 0 and 3600 seconds, got {}",
            args.timeout
        );
    }
    if let Some(ca) = &args.ca_file {
        std::fs::metadata(ca).with_context(|| format!("--ca-file {}", ca.display()))?;
    }
    let opts = LdapOptions {
        ca_file: args.ca_file.clone(),
        timeout: Duration::from_secs_f64(args.timeout),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let result = runtime.block_on(ldap::assess(&endpoint, &opts));
    // Do not wait for ldap3's connection tasks of a hostile peer to wind down.
    runtime.shutdown_timeout(Duration::from_millis(100));
    let assessment = match result {
        Ok(a) => a,
        Err(ldap::LdapError::Setup(msg)) => anyhow::bail!(msg),
        Err(e) => {
            warn(&format!("safeguard: {e}"));
            return Ok(Exit::Incomplete);
        }
    };
    args.output.write(|out, colour| match args.output.format {
        OutputFormat::Json => crate::report::ldap::json(&assessment, out),
        OutputFormat::Table => crate::report::ldap::table(&assessment, colour, out),
    })?;
    if assessment.errors.is_empty() {
        Ok(Exit::Ok)
    } else {
        warn(&format!(
            "safeguard: incomplete: {}",
            ldap::failure_reason(&assessment)
        ));
        Ok(Exit::Incomplete)
    }
}

fn warn(line: &str) {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("{line}");
    }
}
