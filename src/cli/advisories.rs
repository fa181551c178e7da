//! `safeguard advisories`: show the advisory data a scan judges server versions against,
//! and refresh it from any directory or zip of OSV records (no code change, no release).

use super::Exit;
use crate::advisories::{self, AdvisoryData};
use anyhow::bail;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum AdvisoriesCommand {
    /// Builds advisory data from a directory (searched recursively) or zip of OSV JSON
    /// records, keeping those that affect the Mattermost server.
    Update {
        /// A directory or .zip of OSV records (for instance an export of the Go
        /// vulnerability database).
        path: PathBuf,
        /// Where to write; default $XDG_DATA_HOME/safeguard/mattermost-advisories.json,
        /// which scans use instead of the built-in data.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The date the records were exported (YYYY-MM-DD); default today.
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
    },
    /// Shows which advisory data a scan uses: source, date, licence, number of records.
    Show {
        /// Advisory data to show instead of the default.
        #[arg(long, value_name = "FILE")]
        advisories: Option<PathBuf>,
    },
}

/// The advisory data a scan uses: `--advisories FILE`, else the user's refreshed data
/// when present, else the built-in data.
pub fn resolve(explicit: Option<&std::path::Path>) -> anyhow::Result<(AdvisoryData, String)> {
    if let Some(p) = explicit {
        return Ok((
            AdvisoryData::load(p).map_err(anyhow::Error::msg)?,
            p.display().to_string(),
        ));
    }
    if let Some(p) = advisories::user_data_path().filter(|p| p.is_file()) {
        return Ok((
            AdvisoryData::load(&p).map_err(anyhow::Error::msg)?,
            p.display().to_string(),
        ));
    }
    Ok((AdvisoryData::builtin(), "built-in".to_owned()))
}

fn today() -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc()
        .date()
        .format(&fmt)
        .unwrap_or_default()
}

#[allow(clippy::print_stdout, clippy::print_stderr)]
pub fn run(cmd: &AdvisoriesCommand) -> anyhow::Result<Exit> {
    match cmd {
        AdvisoriesCommand::Update { path, output, date } => {
            let date = date.clone().unwrap_or_else(today);
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            if time::Date::parse(&date, &fmt).is_err() {
                bail!("--date `{date}` is not YYYY-MM-DD");
            }
            let (data, problems) =
                AdvisoryData::from_osv(path, &date).map_err(anyhow::Error::msg)?;
            for p in &problems {
                eprintln!("safeguard: warning: skipped {p}");
            }
            let out = match output {
                Some(o) => o.clone(),
                None => advisories::user_data_path().ok_or_else(|| {
                    anyhow::anyhow!("neither XDG_DATA_HOME nor HOME is set: give --output FILE")
                })?,
            };
            data.save(&out).map_err(anyhow::Error::msg)?;
            println!(
                "wrote {} server advisories (data of {date}) to {}",
                data.records.len(),
                out.display()
            );
            Ok(Exit::Ok)
        }
        AdvisoriesCommand::Show { advisories } => {
            let (data, from) = resolve(advisories.as_deref())?;
            println!("advisory data: {from}");
            println!("source:  {}", data.source);
            println!("date:    {}", data.date);
            println!("licence: {}", data.license);
            if !data.attribution.is_empty() {
                println!("credit:  {}", data.attribution);
            }
            println!("records: {}", data.records.len());
            Ok(Exit::Ok)
        }
    }
}
