//! The command line: arguments, dispatch and exit codes. Protocol details live in the
//! probes; output formats live in `report`. Each subcommand has its own file.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod advisories;
pub mod content;
pub mod fleet;
pub mod ldap;
pub mod report;
pub mod scan;
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
    /// Incomplete: a probe the verdict needed failed (unreachable endpoint, timeout), or
    /// the coverage is below the profile's minimum.
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
  3  incomplete: a probe failed (unreachable endpoint, timeout), or the coverage is below the
     profile's minimum, and the gate did not already fail";

/// safeguard: security posture scanner for self-hosted Mattermost deployments.
#[derive(Debug, Parser)]
#[command(name = "safeguard", version, about, after_help = EXIT_CODES_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a deployment and score it against a profile (HIPAA 164.312 by default).
    Scan(Box<scan::ScanArgs>),
    /// List, lint and explain checks.
    #[command(subcommand)]
    Checks(content::ChecksCommand),
    /// List and show profiles.
    #[command(subcommand)]
    Profiles(content::ProfilesCommand),
    /// Scan one TLS endpoint (protocols, suites, groups, certificate) under a TLS profile.
    Tls(tls::TlsArgs),
    /// Scan one LDAP endpoint (StartTLS, LDAPS, cleartext and anonymous binds).
    Ldap(ldap::LdapArgs),
    /// Re-assess and render a saved JSON report (optionally under another profile).
    Report(report::ReportArgs),
    /// Merge the fleet summaries of several shards (`scan --deployments --shard I/N`).
    Merge(fleet::MergeArgs),
    /// Show or refresh the security advisories server versions are judged against.
    #[command(subcommand)]
    Advisories(advisories::AdvisoriesCommand),
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
        Command::Scan(args) => scan::run(&args),
        Command::Checks(cmd) => content::checks(&cmd),
        Command::Profiles(cmd) => content::profiles(&cmd),
        Command::Tls(args) => tls::run(&args),
        Command::Ldap(args) => ldap::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Advisories(cmd) => advisories::run(&cmd),
        Command::Merge(args) => fleet::merge(&args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(e) => {
            report_error(&e);
            Exit::Usage.into()
        }
    }
}

pub use crate::report::format::Format as OutputFormat;

/// Renders `report` where `output` says and returns the exit code its gate decides: 1
/// when the gate fails, else 3 when some finding is `error` (a probe could not run),
/// else 0. Incomplete runs also say so on standard error.
pub fn emit(
    report: &crate::report::Report,
    output: &Output,
    endpoint_detail: bool,
) -> anyhow::Result<Exit> {
    output.write(|out, color| {
        let opts = crate::report::format::RenderOptions {
            color,
            width: Some(table_width()),
            endpoint_detail,
        };
        crate::report::format::render(report, output.format, opts, out)
    })?;
    Ok(if !report.gate.passed {
        Exit::GateFailed
    } else if report.gate.incomplete {
        let mut reasons: Vec<String> = report.gate.incomplete_reasons.clone();
        let failed: Vec<String> = report
            .evidence
            .attempts
            .iter()
            .filter_map(|a| match &a.outcome {
                crate::evidence::AttemptOutcome::Failed { reason } => Some(reason.clone()),
                _ => None,
            })
            .collect();
        reasons.extend(failed);
        #[allow(clippy::print_stderr)]
        {
            eprintln!("safeguard: incomplete: {}", reasons.join("; "));
        }
        Exit::Incomplete
    } else {
        Exit::Ok
    })
}

/// Where and how a command writes its output.
#[derive(Debug, Clone, clap::Args)]
pub struct Output {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write the output to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

impl Output {
    /// Standard output in table format.
    pub fn stdout() -> Self {
        Self {
            format: OutputFormat::Table,
            output: None,
        }
    }

    /// Runs `render` on the destination. It is told whether to use colour: only on a
    /// terminal, and never when NO_COLOR is set. A closed pipe is not an error.
    pub fn write(
        &self,
        render: impl FnOnce(&mut dyn std::io::Write, bool) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        use std::io::{IsTerminal, Write};
        let result = match &self.output {
            Some(path) => {
                let file = std::fs::File::create(path)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                let mut w = std::io::BufWriter::new(file);
                render(&mut w, false).and_then(|()| w.flush())
            }
            None => {
                let stdout = std::io::stdout();
                let color = stdout.is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                let mut w = std::io::BufWriter::new(stdout.lock());
                render(&mut w, color).and_then(|()| w.flush())
            }
        };
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(anyhow::Error::from),
        }
    }
}

/// The width tables are fitted to: `$COLUMNS` when set, else 160.
pub fn table_width() -> u16 {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|w| *w >= 60)
        .unwrap_or(160)
}

/// Prints a fatal error, with its causes, to standard error.
pub fn report_error(e: &anyhow::Error) {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("safeguard: error: {e:#}");
    }
}
