//! `safeguard report RESULTS.json`: re-assesses a saved scan's evidence — under the
//! profile it was scanned with, or another one (`--profile`) — and renders it. No probe
//! runs: the evidence is all there is.

use super::{Exit, Output};
use crate::check::Severity;
use crate::scan;
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `safeguard report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// A JSON report written by `safeguard scan|tls|ldap --format json`.
    pub results: PathBuf,
    /// Re-score under this profile (default: the one the scan used).
    #[arg(long)]
    pub profile: Option<String>,
    /// Fail the gate (exit 1) on a failing finding of this severity or higher (default:
    /// the scan's).
    #[arg(long, value_name = "SEVERITY", value_parser = super::scan::parse_severity)]
    pub fail_on: Option<Severity>,
    /// Extra or overriding check files: DIR/<domain>/<id>.yaml.
    #[arg(long, value_name = "DIR")]
    pub checks_dir: Option<PathBuf>,
    /// Extra or overriding profiles: DIR/<id>.yaml.
    #[arg(long, value_name = "DIR")]
    pub profiles_dir: Option<PathBuf>,
    #[command(flatten)]
    pub assurance: super::assurance::Assurance,
    #[command(flatten)]
    pub output: Output,
}

/// Runs `safeguard report`.
pub fn run(args: &ReportArgs) -> anyhow::Result<Exit> {
    let text = std::fs::read_to_string(&args.results)
        .with_context(|| format!("cannot read {}", args.results.display()))?;
    let saved = crate::report::read_json(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.results.display()))?;
    let content =
        scan::load_content_for_scan(args.checks_dir.as_deref(), args.profiles_dir.as_deref())
            .context("invalid checks or profiles")?;
    let profile_id = args.profile.as_deref().unwrap_or(&saved.profile.id);
    let mut profile = content
        .profile(profile_id)
        .map_err(anyhow::Error::msg)?
        .clone();
    // A single-endpoint scan was scored on that endpoint's checks only; keep it so.
    if args.profile.is_none()
        && let Some(n) = &saved.profile.notice
        && n.contains("Only the checks of")
    {
        let families: Vec<&str> = ["tls", "ldap"]
            .into_iter()
            .filter(|f| n.contains(&format!("{f} ")))
            .collect();
        profile = profile.restricted_to_families(&content.checks, &families);
    }
    let fail_on = args.fail_on.unwrap_or(saved.gate.fail_on);
    let records = args.assurance.records()?;
    let today = time::OffsetDateTime::now_utc().date();
    let assessment = crate::assess::assess_with_records(
        &profile,
        &content.checks,
        &saved.evidence,
        fail_on,
        &records,
        today,
    );
    let mut report = crate::report::build(
        &profile,
        assessment,
        saved.evidence,
        saved.targets,
        saved.generated_at,
    );
    // The saved scan's input digests stand; this run's waiver and attestation files join.
    report.integrity.inputs = saved.integrity.inputs;
    super::assurance::add_record_digests(&mut report, &args.assurance);
    args.assurance.finish_without_inputs(&mut report)?;
    let detail = report
        .targets
        .iter()
        .all(|t| t.kind == "tls" || t.kind == "ldap");
    super::emit(&report, &args.output, detail)
}
