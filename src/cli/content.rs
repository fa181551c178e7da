//! `safeguard checks …` and `safeguard profiles …`: list, show and lint the content.

use super::{Exit, Output};
use crate::profile::DEFAULT_PROFILE;
use crate::scan;
use anyhow::Context;
use clap::Subcommand;
use std::path::{Path, PathBuf};

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
    /// Run the checks' examples (the built-in checks, or DIR/<domain>/<id>.yaml) and
    /// close with `N passed, M failed`; exit 1 when any example disagrees.
    Test {
        /// A directory of check files; without it, the built-in checks.
        dir: Option<PathBuf>,
        /// Profiles to resolve `profile:` in examples (beside the built-in ones).
        #[arg(long, value_name = "DIR")]
        profiles_dir: Option<PathBuf>,
    },
    /// Print the check catalogue (Markdown, as in docs/check-catalogue.md).
    Catalogue,
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
        ChecksCommand::Test { dir, profiles_dir } => {
            return test_examples(dir.as_deref(), profiles_dir.as_deref());
        }
        ChecksCommand::Catalogue => {
            let content = scan::load_content(None, None).context("invalid checks or profiles")?;
            let text = crate::report::listing::catalogue(&content.checks, &content.profiles);
            out.write(|w, _| w.write_all(text.as_bytes()))?;
        }
    }
    Ok(Exit::Ok)
}

/// Runs the examples of the built-in checks, or of the checks in `dir`.
fn test_examples(dir: Option<&Path>, profiles_dir: Option<&Path>) -> anyhow::Result<Exit> {
    let content = scan::load_content(dir, profiles_dir).context("invalid checks or profiles")?;
    let under_test = match dir {
        Some(d) => crate::check::load_dir(d).map_err(crate::diag::Diagnostics)?,
        None => content.checks.clone(),
    };
    let params_for = |check: &crate::check::Check, profile: Option<&str>| {
        let id = profile.unwrap_or(DEFAULT_PROFILE);
        let p = content.profile(id)?;
        Ok(crate::check::examples::check_params(check, &p.parameters))
    };
    let outcomes = crate::check::examples::run(&under_test, &params_for);
    Output::stdout().write(|w, _| crate::check::examples::render(&outcomes, w))?;
    Ok(if outcomes.iter().all(|o| o.passed()) {
        Exit::Ok
    } else {
        Exit::GateFailed
    })
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
