//! The command line: arguments, dispatch and exit codes. Protocol details live in the
//! probes; output formats live in `report`. Each subcommand has its own file.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod ldap;
pub mod tls;

/// How a run ended, as the process exit code. Documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The gate holds.
    Ok = 0,
    /// The gate fails: findings at or above `--fail-on`.
    GateFailed = 1,
    /// Usage error or invalid input (bad flags, unreadable or invalid files).
    Usage = 2,
    /// Could not scan: a probe the verdict needed failed (unreachable endpoint, timeout).
    Incomplete = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

const EXIT_CODES_HELP: &str = "Exit codes:
  0  the gate holds (no finding at or above --fail-on)
  1  the gate fails
  2  usage error or invalid input (bad flags, unreadable or invalid files)
  3  could not scan: a probe failed (unreachable endpoint, timeout) and the gate did not already fail";

/// safeguard: security posture scanner for self-hosted Mattermost deployments.
#[derive(Debug, Parser)]
#[command(name = "safeguard", version, about, after_help = EXIT_CODES_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess a TLS endpoint: protocols, cipher suites, groups, certificate.
    Tls(tls::TlsArgs),
    /// Assess an LDAP endpoint: StartTLS, LDAPS, cleartext binds.
    Ldap(ldap::LdapArgs),
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Ok
            };
            let _ = e.print();
            return code.into();
        }
    };
    let result = match cli.command {
        Command::Tls(args) => tls::run(&args),
        Command::Ldap(args) => ldap::run(&args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            report_error(&e);
            Exit::Usage.into()
        }
    }
}

/// Prints a fatal error, with its causes, to standard error.
pub fn report_error(e: &anyhow::Error) {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("safeguard: error: {e:#}");
    }
}
