//! The Mattermost server version as evidence (`--mattermost-version X.Y.Z` now, the REST
//! API later): some settings are read only by some versions, so a verdict on them needs
//! the version, and says so when it is unknown.

use std::fmt;

/// A server version, `major.minor.patch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    /// Parses `X.Y.Z` or `X.Y` (an optional leading `v`, and anything after a `-` or `+`
    /// such as `-rc1`, are accepted).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix('v').unwrap_or(s);
        let core = s.split(['-', '+']).next().unwrap_or("");
        let mut parts = core.split('.');
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        let patch = match parts.next() {
            Some(p) => p.parse().ok()?,
            None => 0,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Self {
            major,
            minor,
            patch,
        })
    }

    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_release_strings() {
        assert_eq!(Version::parse("10.5.2"), Some(Version::new(10, 5, 2)));
        assert_eq!(Version::parse("v9.11"), Some(Version::new(9, 11, 0)));
        assert_eq!(Version::parse("7.8.0-rc1"), Some(Version::new(7, 8, 0)));
        assert!(Version::parse("ten").is_none());
        assert!(Version::parse("1.2.3.4").is_none());
        assert!(Version::new(5, 37, 0) < Version::new(6, 0, 0));
    }
}
