//! The report model and its renderers: pure functions from values to bytes written to a
//! `&mut dyn Write`. Renderers never probe, and never decide a verdict.

pub mod ldap;

/// Whether to colour output written to standard output: only on a terminal, and never
/// when `NO_COLOR` is set (https://no-color.org).
pub fn colour_stdout() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}
