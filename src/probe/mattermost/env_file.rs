//! `MM_<SECTION>_<KEY>` overrides from an environment file, applied the way the
//! Mattermost server applies its process environment: the variable name is `MM_` plus the
//! setting's path segments in upper case joined by `_`, and the value is parsed as the
//! setting's type (lists are space-separated). Overrides win over `config.json`.
//!
//! The file format is the systemd `EnvironmentFile`/docker `--env-file` one: `KEY=VALUE`
//! lines, `#` comments, optional `export `, optional single or double quotes.

use crate::diag::{Diagnostic, Pos, Sink};
use std::path::Path;

/// One `MM_*` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: String,
    pub line: usize,
    /// Column of the value's first character.
    pub value_column: usize,
}

/// Parses an environment file; every malformed line is reported.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Assignment>, Vec<Diagnostic>> {
    let mut sink = Sink::new(path);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let (body, skipped) = match trimmed.strip_prefix("export ") {
            Some(rest) => (
                rest.trim_start(),
                indent + (trimmed.len() - rest.trim_start().len()),
            ),
            None => (trimmed, indent),
        };
        let Some(eq) = body.find('=') else {
            sink.error(
                Pos {
                    line: line_no as u64,
                    column: (skipped + 1) as u64,
                },
                "expected NAME=VALUE",
            );
            continue;
        };
        let name = body[..eq].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            sink.error(
                Pos {
                    line: line_no as u64,
                    column: (skipped + 1) as u64,
                },
                format!(
                    "`{}` is not a valid variable name",
                    name.chars().take(40).collect::<String>()
                ),
            );
            continue;
        }
        let mut value = body[eq + 1..].trim_end();
        let value_column = skipped + eq + 2;
        for q in ['"', '\''] {
            if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
                value = &value[1..value.len() - 1];
            }
        }
        if name.starts_with("MM_") {
            out.push(Assignment {
                name: name.to_owned(),
                value: value.to_owned(),
                line: line_no,
                value_column,
            });
        }
    }
    if sink.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(sink.diagnostics)
    }
}

/// The variable name that overrides a setting path.
pub fn variable_for(path: &str) -> String {
    format!("MM_{}", path.replace('.', "_").to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_assignments_and_reports_bad_lines() {
        let text = "# comment\nexport MM_SERVICESETTINGS_SITEURL=\"https://x\"\n\nPATH=/bin\nMM_A_B='1'\nbroken line\n";
        let err = parse(Path::new("mm.env"), text).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, 6);
        let ok = parse(
            Path::new("mm.env"),
            "export MM_SERVICESETTINGS_SITEURL=\"https://x\"\nMM_A_B='1'\n",
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].value, "https://x");
        assert_eq!(ok[0].value_column, 35);
        assert_eq!(ok[1].value, "1");
    }

    #[test]
    fn variable_names_follow_the_server() {
        assert_eq!(
            variable_for("EmailSettings.PushNotificationContents"),
            "MM_EMAILSETTINGS_PUSHNOTIFICATIONCONTENTS"
        );
    }
}
