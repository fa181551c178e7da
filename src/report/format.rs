//! The output formats, behind one enum: every command renders its report through
//! [`render`], so a new format is one variant and one renderer file.

use super::Report;
use crate::check::FindingStatus;
use std::io::{self, Write};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Summary, paragraph verdicts and the failing findings, for people, in one screen.
    Table,
    /// The stable report of `docs/json-report.md`.
    Json,
    /// JUnit XML for CI test reports (GitLab, Jenkins).
    Junit,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// Markdown, for pull requests and wikis.
    Md,
    /// One self-contained HTML page for auditors (prints to PDF).
    Html,
    /// OSCAL 1.2.1 assessment-results JSON for GRC tools.
    Oscal,
}

impl Format {
    /// Every format, in the order `--output-dir` writes them.
    pub const ALL: &[Self] = &[
        Self::Table,
        Self::Json,
        Self::Junit,
        Self::Sarif,
        Self::Md,
        Self::Html,
        Self::Oscal,
    ];

    /// The file name `--output-dir` writes this format to.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Table => "safeguard.txt",
            Self::Json => "safeguard.json",
            Self::Junit => "safeguard.junit.xml",
            Self::Sarif => "safeguard.sarif",
            Self::Md => "safeguard.md",
            Self::Html => "safeguard.html",
            Self::Oscal => "safeguard.oscal.json",
        }
    }
}

/// Which findings the table lists one by one (the others are counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Show {
    pub fail: bool,
    pub warn: bool,
    pub error: bool,
    pub pass: bool,
    pub not_assessed: bool,
    pub not_applicable: bool,
    pub manual: bool,
}

impl Default for Show {
    /// Failing, erroring and warning findings.
    fn default() -> Self {
        Self {
            fail: true,
            warn: true,
            error: true,
            pass: false,
            not_assessed: false,
            not_applicable: false,
            manual: false,
        }
    }
}

impl Show {
    /// Everything.
    pub fn all() -> Self {
        Self {
            fail: true,
            warn: true,
            error: true,
            pass: true,
            not_assessed: true,
            not_applicable: true,
            manual: true,
        }
    }

    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    pub fn includes(&self, s: FindingStatus) -> bool {
        match s {
            FindingStatus::Fail => self.fail,
            FindingStatus::Warn => self.warn,
            FindingStatus::Error => self.error,
            FindingStatus::Pass => self.pass,
            FindingStatus::NotAssessed => self.not_assessed,
            FindingStatus::NotApplicable => self.not_applicable,
        }
    }

    /// Parses `--show`: `all`, or a comma list of fail, warn, error, pass,
    /// not-assessed, not-applicable, manual — added to the default failing ones.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut show = Self::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "all" => show = Self::all(),
                "fail" | "warn" | "error" => {}
                "pass" => show.pass = true,
                "not-assessed" => show.not_assessed = true,
                "not-applicable" => show.not_applicable = true,
                "manual" => show.manual = true,
                other => {
                    return Err(format!(
                        "`{other}` is not something to show; use all, pass, not-assessed, \
                         not-applicable or manual"
                    ));
                }
            }
        }
        Ok(show)
    }
}

/// How a renderer should present.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Colour (a terminal, and NO_COLOR unset).
    pub color: bool,
    /// Width to fit tables in; None lets them be as wide as their content.
    pub width: Option<u16>,
    /// Show the endpoint detail (versions, suites, certificate, root DSE) after the findings.
    pub endpoint_detail: bool,
    /// Which findings the table lists.
    pub show: Show,
    /// An HTML template replacing the built-in one (its path and text).
    pub template: Option<(String, String)>,
}

/// Writes `report` in `format`.
pub fn render(
    report: &Report,
    format: Format,
    opts: &RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => super::json::render(report, out),
        Format::Junit => super::junit::render(report, out),
        Format::Sarif => super::sarif::render(report, out),
        Format::Md => super::markdown::render(report, out),
        Format::Oscal => super::oscal::render(report, out),
        Format::Html => super::html::render(
            report,
            opts.template
                .as_ref()
                .map(|(n, t)| (n.as_str(), t.as_str())),
            out,
        ),
        Format::Table => {
            super::table::render(
                report,
                super::table::TableOptions {
                    color: opts.color,
                    width: opts.width,
                    show: opts.show,
                },
                out,
            )?;
            if opts.endpoint_detail {
                writeln!(out)?;
                super::detail::render(report, opts.width, out)?;
            }
            Ok(())
        }
    }
}
