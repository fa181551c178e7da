//! `safeguard checks …` and `safeguard profiles …`: list, show and lint the content.

use super::{Exit, Output};
use crate::scan;
use anyhow::Context;
use clap::Subcommand;
use std::path::PathBuf;

/// `safeguard checks` subcommands.
#[derive(Debug, Subcommand)]
pub enum ChecksCommand {
    /// List the checks (built-in, plus --checks-dir).
    List {
        #[arg(long, value_name = "DIR")]
        checks_dir: Option<PathBuf>,
    },
    /// Validate a directory of check files (DIR/<domain>/<id>.yaml); every problem is listed.
    Lint {
        /// The directory to check.
        dir: PathBuf,
    },
    /// List every fact the probes provide, with its type.
    Facts,
}

/// `safeguard profiles` subcommands.
#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// List the profiles.
    List {
        #[arg(long, value_name = "DIR")]
        profiles_dir: Option<PathBuf>,
    },
    /// Show a profile: paragraphs, checks, manual items, parameters.
    Show {
        id: String,
        #[arg(long, value_name = "DIR")]
        profiles_dir: Option<PathBuf>,
    },
}

/// Runs `safeguard checks …`.
pub fn checks(cmd: &ChecksCommand) -> anyhow::Result<Exit> {
    let out = Output::stdout();
    match cmd {
        ChecksCommand::List { checks_dir } => {
            let content = scan::load_content(checks_dir.as_deref(), None)
                .context("invalid checks or profiles")?;
            out.write(|w, _| crate::report::listing::checks(&content.checks, w))?;
        }
        ChecksCommand::Lint { dir } => {
            let set = crate::check::load_dir(dir).map_err(crate::diag::Diagnostics)?;
            out.write(|w, _| {
                writeln!(
                    w,
                    "{}: {} checks, no problems",
                    dir.display(),
                    set.checks.len()
                )
            })?;
        }
        ChecksCommand::Facts => out.write(|w, _| crate::report::listing::facts(w))?,
    }
    Ok(Exit::Ok)
}

/// Runs `safeguard profiles …`.
pub fn profiles(cmd: &ProfilesCommand) -> anyhow::Result<Exit> {
    let out = Output::stdout();
    match cmd {
        ProfilesCommand::List { profiles_dir } => {
            let content = scan::load_content(None, profiles_dir.as_deref())
                .context("invalid checks or profiles")?;
            out.write(|w, _| crate::report::listing::profiles(&content.profiles, w))?;
        }
        ProfilesCommand::Show { id, profiles_dir } => {
            let content = scan::load_content(None, profiles_dir.as_deref())
                .context("invalid checks or profiles")?;
            let p = content.profile(id).map_err(anyhow::Error::msg)?;
            out.write(|w, _| crate::report::listing::profile(p, &content.checks, w))?;
        }
    }
    Ok(Exit::Ok)
}
