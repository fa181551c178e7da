//! The output formats, behind one enum: every command renders its report through
//! [`render`], so a new format is one variant and one renderer.

use super::Report;
use std::io::{self, Write};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Summary, findings by paragraph, and the endpoint detail, for people.
    Table,
    /// The stable report of `docs/json-report.md`.
    Json,
}

/// How a renderer should present.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// Colour (a terminal, and NO_COLOR unset).
    pub color: bool,
    /// Width to fit tables in; None lets them be as wide as their content.
    pub width: Option<u16>,
    /// Show the endpoint detail (versions, suites, certificate, root DSE) after the findings.
    pub endpoint_detail: bool,
}

/// Writes `report` in `format`.
pub fn render(
    report: &Report,
    format: Format,
    opts: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Json => super::json::render(report, out),
        Format::Table => {
            if opts.endpoint_detail {
                super::detail::render(report, opts.width, out)?;
            }
            super::table::render(
                report,
                super::table::TableOptions {
                    color: opts.color,
                    width: opts.width,
                },
                out,
            )
        }
    }
}
