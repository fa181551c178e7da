//! `safeguard diff OLD.json NEW.json`: what changed between two saved scans.

use super::Exit;
use anyhow::Context;
use std::path::PathBuf;

/// Arguments of `safeguard diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier JSON report.
    pub old: PathBuf,
    /// The later JSON report.
    pub new: PathBuf,
    /// `text` for people, `json` for tools.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub format: String,
}

/// Runs `safeguard diff`: exit 1 when NEW has failures OLD did not, else 0.
pub fn run(args: &DiffArgs) -> anyhow::Result<Exit> {
    let read = |p: &PathBuf| -> anyhow::Result<crate::report::Report> {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        crate::report::read_json(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
    };
    let (old, new) = (read(&args.old)?, read(&args.new)?);
    let d = crate::report::diff::diff(&old, &new);
    super::Output::stdout().write(|out, _| {
        if args.format == "json" {
            serde_json::to_writer_pretty(&mut *out, &d).map_err(std::io::Error::other)?;
            writeln!(out)
        } else {
            crate::report::diff::render_text(&d, out)
        }
    })?;
    Ok(if d.new_failures.is_empty() {
        Exit::Ok
    } else {
        Exit::GateFailed
    })
}
