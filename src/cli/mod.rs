//! The command line: arguments, dispatch and exit codes. Protocol details live in the
//! probes; output formats live in `report`. Each subcommand has its own file.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod advisories;
pub mod assurance;
pub mod content;
pub mod diff;
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
    /// Compare two JSON reports: new failures, fixed findings, changed evidence.
    Diff(diff::DiffArgs),
    /// Check a signed JSON report: its signature, its evidence digest, its input files.
    Verify(assurance::VerifyArgs),
    /// Write an ed25519 key pair for --sign: PATH (private, mode 0600) and PATH.pub.
    Keygen(assurance::KeygenArgs),
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
        Command::Diff(args) => diff::run(&args),
        Command::Verify(args) => assurance::verify(&args),
        Command::Keygen(args) => assurance::keygen(&args),
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
    let template = match &output.template {
        Some(p) => Some((
            p.display().to_string(),
            std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("cannot read --template {}: {e}", p.display()))?,
        )),
        None => None,
    };
    output.write_all(report, |color, width| {
        crate::report::format::RenderOptions {
            color,
            width: Some(width),
            endpoint_detail,
            show: output.show,
            template: template.clone(),
        }
    })?;
    Ok(gate_exit(report))
}

/// The exit code a report's gate decides (saying why on standard error when incomplete).
pub fn gate_exit(report: &crate::report::Report) -> Exit {
    if !report.gate.passed {
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
    }
}

/// Where and how a command writes its output.
#[derive(Debug, Clone, clap::Args)]
pub struct Output {
    /// Output format(s), comma-separated: table, json, junit, sarif, md, html, oscal.
    /// Default: table on standard output; every format with --output-dir.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub format: Vec<OutputFormat>,
    /// Write the output to FILE instead of standard output (one format).
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir")]
    pub output: Option<std::path::PathBuf>,
    /// Write each format to DIR/safeguard.<ext> (created if missing), from the one scan.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<std::path::PathBuf>,
    /// What the table lists besides failing, erroring and warning findings: `all`, or a
    /// comma list of pass, not-assessed, not-applicable, manual.
    #[arg(long, value_name = "WHAT", default_value = "", value_parser = crate::report::format::Show::parse)]
    pub show: crate::report::format::Show,
    /// An HTML template (minijinja) to use instead of the built-in reports/report.html.j2.
    #[arg(long, value_name = "FILE")]
    pub template: Option<std::path::PathBuf>,
}

impl Output {
    /// Standard output in table format.
    pub fn stdout() -> Self {
        Self {
            format: Vec::new(),
            output: None,
            output_dir: None,
            show: crate::report::format::Show::default(),
            template: None,
        }
    }

    /// The formats asked for, with the defaults filled in.
    pub fn formats(&self) -> Vec<OutputFormat> {
        if !self.format.is_empty() {
            let mut f = self.format.clone();
            f.dedup();
            f
        } else if self.output_dir.is_some() {
            OutputFormat::ALL.to_vec()
        } else {
            vec![OutputFormat::Table]
        }
    }

    /// Renders `report` in every format asked for, to its destination. `opts` is told
    /// whether to use colour (only on a terminal, never when NO_COLOR is set) and the
    /// width to fit. A closed pipe is not an error.
    pub fn write_all(
        &self,
        report: &crate::report::Report,
        opts: impl Fn(bool, u16) -> crate::report::format::RenderOptions,
    ) -> anyhow::Result<()> {
        let formats = self.formats();
        if let Some(dir) = &self.output_dir {
            std::fs::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
            for f in formats {
                let path = dir.join(f.file_name());
                let o = opts(false, table_width(false));
                write_file(&path, |w| crate::report::format::render(report, f, &o, w))?;
            }
            return Ok(());
        }
        if formats.len() > 1 {
            anyhow::bail!("several formats need --output-dir DIR");
        }
        let f = formats[0];
        if let Some(path) = &self.output {
            let o = opts(false, table_width(false));
            return write_file(path, |w| crate::report::format::render(report, f, &o, w));
        }
        use std::io::{IsTerminal, Write};
        let stdout = std::io::stdout();
        let tty = stdout.is_terminal();
        let color = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let o = opts(color, table_width(tty));
        let mut w = std::io::BufWriter::new(stdout.lock());
        let result = crate::report::format::render(report, f, &o, &mut w).and_then(|()| w.flush());
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(anyhow::Error::from),
        }
    }

    /// Runs `render` on the destination (a file, or standard output). It is told whether
    /// to use colour. A closed pipe is not an error.
    pub fn write(
        &self,
        render: impl FnOnce(&mut dyn std::io::Write, bool) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        use std::io::{IsTerminal, Write};
        let result = match &self.output {
            Some(path) => return write_file(path, |w| render(w, false)),
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

fn write_file(
    path: &std::path::Path,
    render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Write;
    let file = std::fs::File::create(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    render(&mut w)
        .and_then(|()| w.flush())
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}

/// The width tables are fitted to: the terminal's when writing to one, else `$COLUMNS`
/// when set, else 100.
pub fn table_width(terminal: bool) -> u16 {
    if terminal
        && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
        && w >= 40
    {
        return w;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(100)
}

/// Prints a fatal error, with its causes, to standard error.
pub fn report_error(e: &anyhow::Error) {
    #[allow(clippy::print_stderr)]
    {
        eprintln!("safeguard: error: {e:#}");
    }
}
