//! `safeguard scan --deployments FILE` (a fleet) and `safeguard merge` (the shards'
//! summaries joined): the command line around `crate::fleet`, the progress bar (on
//! standard error, only on a terminal) and the summary table.

use super::{Exit, OutputFormat};
use crate::fleet::{self, FleetOptions, Outcome, SUMMARY_FILE, SUMMARY_KIND, Shard, Summary};
use anyhow::{Context, bail};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Runs a fleet scan from `safeguard scan --deployments`.
pub fn run(args: &super::scan::ScanArgs, file: &Path) -> anyhow::Result<Exit> {
    let content =
        crate::scan::load_content(args.checks_dir.as_deref(), args.profiles_dir.as_deref())
            .context("invalid checks or profiles")?;
    content.profile(&args.profile).map_err(anyhow::Error::msg)?;
    let ids: Vec<&str> = content
        .profiles
        .profiles
        .keys()
        .map(String::as_str)
        .collect();
    let all = fleet::load(file, &ids).map_err(|d| anyhow::anyhow!("invalid fleet file\n{d}"))?;
    let shard = match &args.shard {
        Some(s) => Some(Shard::parse(s).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let deployments = match shard {
        Some(s) => s.select(&all),
        None => all,
    };
    if args.jobs == 0 || args.jobs > 256 {
        bail!("--jobs must be between 1 and 256");
    }
    if let Some(dir) = &args.output_dir {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create --output-dir {}", dir.display()))?;
    }
    if let Some(ca) = &args.ca_file {
        crate::probe::trust::load_roots(Some(ca)).map_err(anyhow::Error::msg)?;
    }
    let advisories = std::sync::Arc::new(super::advisories::resolve(args.advisories.as_deref())?.0);
    let opts = FleetOptions {
        default_profile: args.profile.clone(),
        fail_on: args.fail_on,
        context: crate::probe::ProbeContext {
            ca_file: args.ca_file.clone(),
            timeout: std::time::Duration::from_secs(args.timeout),
            probe_configured_endpoints: true,
            // Fleet-level concurrency is --jobs; keep each deployment's own fan-out small.
            concurrency: 8,
        },
        advisories,
        jobs: args.jobs,
        output_dir: args.output_dir.clone(),
    };
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(deployments.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} deployments {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let outcomes = fleet::run(deployments, &content, &opts, &|o: &Outcome| {
        bar.set_message(format!("{} {}", o.name, o.status));
        bar.inc(1);
    });
    bar.finish_and_clear();
    let summary = Summary {
        kind: SUMMARY_KIND.into(),
        generated_at: crate::evidence::now_rfc3339(),
        shard,
        deployments: outcomes,
    };
    finish(&summary, args.output_dir.as_deref(), &args.output)
}

/// Writes the summary file (with `--output-dir`), prints warnings and the summary, and
/// returns the fleet's exit code.
fn finish(summary: &Summary, dir: Option<&Path>, output: &super::Output) -> anyhow::Result<Exit> {
    if let Some(dir) = dir {
        let path = dir.join(SUMMARY_FILE);
        std::fs::write(&path, serde_json::to_vec_pretty(summary)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    #[allow(clippy::print_stderr)]
    for d in &summary.deployments {
        for m in &d.messages {
            eprintln!("safeguard: {}: {m}", d.name);
        }
    }
    output.write(|out, _color| match output.format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, summary).map_err(std::io::Error::other)?;
            writeln!(out)
        }
        _ => write!(out, "{}", table(summary)),
    })?;
    Ok(match summary.exit_status() {
        1 => Exit::GateFailed,
        3 => Exit::Incomplete,
        _ => Exit::Ok,
    })
}

/// The summary table.
pub fn table(summary: &Summary) -> String {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(vec![
        "deployment",
        "status",
        "version",
        "missing fixes",
        "conformance",
        "failing",
        "errors",
        "url",
    ]);
    for d in &summary.deployments {
        t.add_row(vec![
            d.name.clone(),
            d.status.clone(),
            d.version.clone().unwrap_or_else(|| "-".into()),
            d.missing_security_fixes
                .map(|n| n.to_string())
                .unwrap_or_else(|| "-".into()),
            d.conformance_percent
                .map(|p| format!("{p:.1} %"))
                .unwrap_or_else(|| "-".into()),
            d.failing_findings.to_string(),
            d.error_findings.to_string(),
            d.url.clone(),
        ]);
    }
    let count = |s: &str| summary.deployments.iter().filter(|d| d.status == s).count();
    format!(
        "{t}\n{} deployments: {} ok, {} gate failed, {} incomplete, {} could not be scanned{}\n",
        summary.deployments.len(),
        count("ok"),
        count("gate-failed"),
        count("incomplete"),
        count("error"),
        summary
            .shard
            .map(|s| format!(" (shard {}/{})", s.index, s.count))
            .unwrap_or_default()
    )
}

/// Arguments of `safeguard merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Output directories of the shards (each holds fleet-summary.json), or the summary files.
    #[arg(required = true, value_name = "DIR|FILE")]
    pub inputs: Vec<PathBuf>,
    /// Write the merged fleet-summary.json here.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    #[command(flatten)]
    pub output: super::Output,
}

/// Runs `safeguard merge`.
pub fn merge(args: &MergeArgs) -> anyhow::Result<Exit> {
    let mut deployments: Vec<Outcome> = Vec::new();
    let mut shards = Vec::new();
    for input in &args.inputs {
        let path = if input.is_dir() {
            input.join(SUMMARY_FILE)
        } else {
            input.clone()
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let s: Summary = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!(
                "{}:{}:{}: not a fleet summary: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        if s.kind != SUMMARY_KIND {
            bail!(
                "{}: not a fleet summary (kind {:?})",
                path.display(),
                s.kind
            );
        }
        if let Some(sh) = s.shard {
            shards.push(sh);
        }
        for mut d in s.deployments {
            if deployments.iter().any(|x| x.name == d.name) {
                bail!(
                    "{}: deployment `{}` appears in two shards",
                    path.display(),
                    d.name
                );
            }
            if let (Some(r), Some(dir)) = (&d.report, path.parent()) {
                d.report = Some(dir.join(r).display().to_string());
            }
            deployments.push(d);
        }
    }
    if let Some(n) = shards.first().map(|s| s.count) {
        let mut missing: Vec<usize> = (0..n)
            .filter(|i| !shards.iter().any(|s| s.index == *i))
            .collect();
        missing.dedup();
        if !missing.is_empty() {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("safeguard: warning: shards missing from the merge: {missing:?} of {n}");
            }
        }
    }
    deployments.sort_by(|a, b| a.name.cmp(&b.name));
    let summary = Summary {
        kind: SUMMARY_KIND.into(),
        generated_at: crate::evidence::now_rfc3339(),
        shard: None,
        deployments,
    };
    if let Some(dir) = &args.output_dir {
        std::fs::create_dir_all(dir)?;
    }
    finish(&summary, args.output_dir.as_deref(), &args.output)
}
