//! Environment files as the service manager or docker compose hands them to the server:
//! `KEY=VALUE` lines, `#` comment lines, an optional `export `, a UTF-8 byte-order mark,
//! single quotes (literal), double quotes (with `\n`, `\"`, `\\`, `\$` escapes), inline
//! ` # comments` after an unquoted value, and `${VAR}` / `$VAR` / `${VAR:-default}` /
//! `${VAR-default}` references to lines above (compose's dotenv rules; `$$` is a `$`).
//! A reference to a variable the file does not define becomes empty, as compose does,
//! and is reported.
//!
//! With [`Flavour::Systemd`] the file is read as systemd's `EnvironmentFile=` reads it
//! (`src/basic/env-file.c`): no `${VAR}` expansion and no inline comments (` #` is part of
//! the value), quotes may open anywhere in a value (shell-like), `\` escapes the next
//! character outside single quotes.
//!
//! How the server then applies `MM_*` variables is `mod.rs`'s business (it follows
//! server/config/environment.go); this module only yields name = value per line.

use crate::diag::{Diagnostic, Pos, Sink};
use std::collections::HashMap;
use std::path::Path;

/// One assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    pub value: String,
    pub line: usize,
    /// Column of the value's first character.
    pub value_column: usize,
    /// Variables referenced but not defined above (taken as empty).
    pub undefined: Vec<String>,
}

/// Whose rules the file follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Flavour {
    /// docker compose `env_file` / `.env` (the official Docker deployment).
    #[default]
    Compose,
    /// systemd `EnvironmentFile=` (the tarball install's `mattermost.service`).
    Systemd,
}

/// Parses an environment file; every malformed line is reported.
pub fn parse(path: &Path, text: &str) -> Result<Vec<Assignment>, Vec<Diagnostic>> {
    parse_as(path, text, Flavour::Compose)
}

/// Parses an environment file with `flavour`'s rules.
pub fn parse_as(
    path: &Path,
    text: &str,
    flavour: Flavour,
) -> Result<Vec<Assignment>, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut sink = Sink::new(path);
    let mut out: Vec<Assignment> = Vec::new();
    let mut defined: HashMap<String, String> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
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
        let pos = |col: usize| Pos {
            line: line_no as u64,
            column: col as u64,
        };
        let Some(eq) = body.find('=') else {
            sink.error(pos(skipped + 1), "expected NAME=VALUE");
            continue;
        };
        let name = body[..eq].trim();
        if name.is_empty()
            || name.starts_with(|c: char| c.is_ascii_digit())
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        {
            sink.error(
                pos(skipped + 1),
                format!(
                    "`{}` is not a valid variable name",
                    name.chars().take(40).collect::<String>()
                ),
            );
            continue;
        }
        let after = &body[eq + 1..];
        let lead = after.len() - after.trim_start().len();
        let value_text = after.trim_start();
        let value_column = skipped + eq + 2 + lead;
        let mut undefined = Vec::new();
        if flavour == Flavour::Systemd {
            match systemd_value(value_text) {
                Some(value) => {
                    out.push(Assignment {
                        name: name.to_owned(),
                        value,
                        line: line_no,
                        value_column,
                        undefined,
                    });
                }
                None => sink.error(pos(value_column), "unterminated quote"),
            }
            continue;
        }
        let value = match value_text.chars().next() {
            Some('\'') => match value_text[1..].find('\'') {
                Some(end) => value_text[1..1 + end].to_owned(),
                None => {
                    sink.error(pos(value_column), "unterminated single quote");
                    continue;
                }
            },
            Some('"') => match double_quoted(&value_text[1..]) {
                Some(inner) => interpolate(&inner, &defined, &mut undefined),
                None => {
                    sink.error(pos(value_column), "unterminated double quote");
                    continue;
                }
            },
            _ => {
                // An unquoted value ends at ` #` (an inline comment) and is trimmed.
                let mut end = value_text.len();
                let bytes = value_text.as_bytes();
                for (j, b) in bytes.iter().enumerate() {
                    if *b == b'#' && j > 0 && bytes[j - 1].is_ascii_whitespace() {
                        end = j;
                        break;
                    }
                }
                interpolate(value_text[..end].trim_end(), &defined, &mut undefined)
            }
        };
        defined.insert(name.to_owned(), value.clone());
        out.push(Assignment {
            name: name.to_owned(),
            value,
            line: line_no,
            value_column,
            undefined,
        });
    }
    if sink.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(sink.diagnostics)
    }
}

/// A value as systemd reads it: quotes may open anywhere, `\` escapes outside single
/// quotes, trailing unquoted whitespace is dropped, nothing is expanded. None when a
/// quote is not closed on the line.
fn systemd_value(s: &str) -> Option<String> {
    let mut out = String::new();
    // Length of `out` up to the last quoted or escaped character (kept even if blank).
    let mut keep = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
                keep = out.len();
            }
            '\'' => {
                loop {
                    match chars.next()? {
                        '\'' => break,
                        other => out.push(other),
                    }
                }
                keep = out.len();
            }
            '"' => {
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => {
                            let n = chars.next()?;
                            if !matches!(n, '"' | '\\' | '`' | '$') {
                                out.push('\\');
                            }
                            out.push(n);
                        }
                        other => out.push(other),
                    }
                }
                keep = out.len();
            }
            other => out.push(other),
        }
    }
    let trimmed = out.trim_end().len().max(keep);
    out.truncate(trimmed);
    Some(out)
}

/// The inside of a double-quoted value (after the opening quote), escapes resolved except
/// `\$`, which is kept as a marker for `interpolate`. None without a closing quote.
fn double_quoted(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '$' => out.push_str("$$"),
                other => out.push(other),
            },
            other => out.push(other),
        }
    }
    None
}

/// Replaces `${VAR}`, `$VAR`, `${VAR:-default}`, `${VAR-default}` and `$$`.
fn interpolate(s: &str, vars: &HashMap<String, String>, undefined: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner_start) = after.strip_prefix('{') {
            let Some(close) = inner_start.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let expr = &inner_start[..close];
            let (name, default) = if let Some((n, d)) = expr.split_once(":-") {
                (n, Some((d, true)))
            } else if let Some((n, d)) = expr.split_once('-') {
                (n, Some((d, false)))
            } else {
                (expr, None)
            };
            match (vars.get(name), default) {
                (Some(v), Some((d, true))) if v.is_empty() => out.push_str(d),
                (Some(v), _) => out.push_str(v),
                (None, Some((d, _))) => out.push_str(d),
                (None, None) => {
                    if !undefined.iter().any(|u| u == name) {
                        undefined.push(name.to_owned());
                    }
                }
            }
            rest = &inner_start[close + 1..];
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if n == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            let name = &after[..n];
            match vars.get(name) {
                Some(v) => out.push_str(v),
                None => {
                    if !undefined.iter().any(|u| u == name) {
                        undefined.push(name.to_owned());
                    }
                }
            }
            rest = &after[n..];
        }
    }
    out.push_str(rest);
    out
}

/// The variable name that overrides a setting path (server/config/environment.go:
/// `MM_` and the path's segments upper-cased, joined by `_`).
pub fn variable_for(path: &str) -> String {
    format!("MM_{}", path.replace('.', "_").to_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Vec<Assignment> {
        parse(Path::new("mm.env"), text).unwrap()
    }

    #[test]
    fn reads_assignments_and_reports_bad_lines() {
        let text = "# comment\nexport MM_SERVICESETTINGS_SITEURL=\"https://x\"\n\nPATH=/bin\nMM_A_B='1'\nbroken line\n";
        let err = parse(Path::new("mm.env"), text).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].line, 6);
        let ok = ok("export MM_SERVICESETTINGS_SITEURL=\"https://x\"\nMM_A_B='1'\n");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].value, "https://x");
        assert_eq!(ok[0].value_column, 35);
        assert_eq!(ok[1].value, "1");
    }

    #[test]
    fn compose_rules_for_references_comments_quotes_and_bom() {
        let a = ok(
            "\u{feff}DOMAIN=mm.example.com\r\nMM_SERVICESETTINGS_SITEURL=https://${DOMAIN}\nX=$DOMAIN/a # a comment\nY='${DOMAIN}' trailing\nZ=\"a\\\"b ${DOMAIN}\"\nW=${NOPE:-dflt}\nV=${MISSING}x\nU=a#b\nT=$$HOME\n",
        );
        let get = |n: &str| a.iter().find(|x| x.name == n).unwrap();
        assert_eq!(get("DOMAIN").value, "mm.example.com");
        assert_eq!(
            get("MM_SERVICESETTINGS_SITEURL").value,
            "https://mm.example.com"
        );
        assert_eq!(get("X").value, "mm.example.com/a");
        assert_eq!(get("Y").value, "${DOMAIN}");
        assert_eq!(get("Z").value, "a\"b mm.example.com");
        assert_eq!(get("W").value, "dflt");
        assert_eq!(get("V").value, "x");
        assert_eq!(get("V").undefined, vec!["MISSING".to_owned()]);
        assert_eq!(get("U").value, "a#b");
        assert_eq!(get("T").value, "$HOME");
    }

    #[test]
    fn systemd_rules_differ_from_compose() {
        let text = "DOMAIN=x\nA=https://${DOMAIN} # not a comment\nB=\"quoted \\\"q\\\"\"  \nC=pre'lit $x'post\nD=a\\ \n";
        let a = parse_as(Path::new("s.env"), text, Flavour::Systemd).unwrap();
        let get = |n: &str| a.iter().find(|x| x.name == n).unwrap().value.clone();
        assert_eq!(get("A"), "https://${DOMAIN} # not a comment");
        assert_eq!(get("B"), "quoted \"q\"");
        assert_eq!(get("C"), "prelit $xpost");
        assert_eq!(get("D"), "a ");
        let c = parse_as(Path::new("c.env"), text, Flavour::Compose).unwrap();
        assert_eq!(c.iter().find(|x| x.name == "A").unwrap().value, "https://x");
    }

    #[test]
    fn variable_names_follow_the_server() {
        assert_eq!(
            variable_for("EmailSettings.PushNotificationContents"),
            "MM_EMAILSETTINGS_PUSHNOTIFICATIONCONTENTS"
        );
    }
}
