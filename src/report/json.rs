//! The JSON renderer: the report model as pretty JSON (`docs/json-report.md`).

use super::Report;
use std::io::{self, Write};

/// Writes `report` as JSON followed by a newline.
pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report).map_err(io::Error::other)?;
    writeln!(out)
}
