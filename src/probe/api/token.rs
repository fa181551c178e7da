//! The admin token: from an environment variable (`MM_ADMIN_TOKEN`, or the one
//! `--token-env` names) or a file (`--token-file`), never from the command line. The
//! value lives only in [`Token`], whose `Debug` prints nothing of it and which has no
//! `Display` and no serialization, so no log, report or error can carry it.

use std::path::Path;

/// The environment variable read when no other source is named.
pub const DEFAULT_ENV: &str = "MM_ADMIN_TOKEN";

/// A bearer token. Only [`Token::expose`] reads it, for the Authorization header.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl Token {
    /// The value, for the Authorization header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Where the token came from, for messages (never the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedToken {
    pub token: Token,
    pub origin: String,
    /// Warnings to show the user (a token file others can read).
    pub warnings: Vec<String>,
}

fn clean(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty() && !t.contains(char::is_whitespace)).then(|| t.to_owned())
}

/// From `name`. `explicit`: the user named the variable, so unset is an error; the
/// default variable unset just means no token.
pub fn from_env(name: &str, explicit: bool) -> Result<Option<ResolvedToken>, String> {
    match std::env::var(name) {
        Ok(v) => match clean(&v) {
            Some(t) => Ok(Some(ResolvedToken {
                token: Token(t),
                origin: format!("environment variable {name}"),
                warnings: Vec::new(),
            })),
            None if explicit => Err(format!(
                "environment variable {name} is empty or not a token"
            )),
            None => Ok(None),
        },
        Err(_) if explicit => Err(format!("environment variable {name} is not set")),
        Err(_) => Ok(None),
    }
}

/// From a file holding the token (surrounding whitespace ignored). A file readable by
/// group or others gives a warning.
pub fn from_file(path: &Path) -> Result<ResolvedToken, String> {
    let meta = std::fs::metadata(path)
        .map_err(|e| format!("cannot read token file {}: {e}", path.display()))?;
    if !meta.is_file() || meta.len() > 64 << 10 {
        return Err(format!(
            "token file {} is not a small regular file",
            path.display()
        ));
    }
    let mut warnings = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            warnings.push(format!(
                "token file {} is readable by group or others (mode {mode:03o}); run chmod 600 on it",
                path.display()
            ));
        }
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read token file {}: {e}", path.display()))?;
    let token = clean(&text).ok_or_else(|| {
        format!(
            "token file {} is empty or holds more than one word",
            path.display()
        )
    })?;
    Ok(ResolvedToken {
        token: Token(token),
        origin: format!("token file {}", path.display()),
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let t = Token("s3cr3t-value".into());
        assert_eq!(format!("{t:?}"), "Token(<redacted>)");
        let r = ResolvedToken {
            token: t,
            origin: "x".into(),
            warnings: vec![],
        };
        assert!(!format!("{r:?}").contains("s3cr3t"));
    }
}
