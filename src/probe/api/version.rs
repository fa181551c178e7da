//! The server's version as the API tells it: the `X-Version-Id` header every API response
//! carries (`<CurrentVersion>.<BuildNumber>.<client config hash>.<licensed>`, read from
//! the right because older servers omit the last fields) and the client config's
//! `Version`/`BuildNumber`. Mattermost's `CurrentVersion` may be the minor's `.0` while
//! `BuildNumber` is the real release tag (server/public/model/version.go and
//! server/channels/web/handlers.go set the header), so a build number that is a release of
//! the same line wins.

/// What the header or client config says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVersion {
    /// `CurrentVersion`, `X.Y.Z`.
    pub current: semver::Version,
    /// `BuildNumber`, when present.
    pub build: Option<String>,
    /// Whether a licence is loaded (the header's last field), when present.
    pub licensed: Option<bool>,
}

impl ServerVersion {
    /// The release the server runs: the build number when it is a release of the same
    /// line at or above `CurrentVersion`, else `CurrentVersion`.
    pub fn release(&self) -> semver::Version {
        self.build
            .as_deref()
            .and_then(parse_xyz)
            .filter(|b| {
                b.major == self.current.major && b.minor == self.current.minor && *b >= self.current
            })
            .unwrap_or_else(|| self.current.clone())
    }
}

/// `X.Y.Z` (numbers only).
pub fn parse_xyz(s: &str) -> Option<semver::Version> {
    let mut it = s.trim().split('.');
    let (a, b, c) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    Some(semver::Version::new(
        a.parse().ok()?,
        b.parse().ok()?,
        c.parse().ok()?,
    ))
}

/// Parses `X-Version-Id`, right to left.
pub fn parse_header(h: &str) -> Option<ServerVersion> {
    let mut parts: Vec<&str> = h.trim().split('.').collect();
    if parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let licensed = match parts.last() {
        Some(&"true") => Some(true),
        Some(&"false") => Some(false),
        _ => None,
    };
    if licensed.is_some() {
        parts.pop();
    }
    if parts.len() > 3
        && parts
            .last()
            .is_some_and(|p| p.len() >= 16 && p.chars().all(|c| c.is_ascii_hexdigit()))
    {
        parts.pop();
    }
    if parts.len() < 3 {
        return None;
    }
    let current = parse_xyz(&parts[..3].join("."))?;
    let build = (parts.len() > 3).then(|| parts[3..].join("."));
    Some(ServerVersion {
        current,
        build,
        licensed,
    })
}

/// From the client config's `Version` and `BuildNumber`.
pub fn from_client_config(version: Option<&str>, build: Option<&str>) -> Option<ServerVersion> {
    Some(ServerVersion {
        current: parse_xyz(version?)?,
        build: build.filter(|b| !b.is_empty()).map(str::to_owned),
        licensed: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_header() {
        let v = parse_header("10.11.0.10.11.1.3f5e0f0c1b2a49d7e6c5b4a392817060.true").unwrap();
        assert_eq!(v.current, semver::Version::new(10, 11, 0));
        assert_eq!(v.build.as_deref(), Some("10.11.1"));
        assert_eq!(v.licensed, Some(true));
        assert_eq!(v.release(), semver::Version::new(10, 11, 1));
    }

    #[test]
    fn older_and_odd_headers() {
        let v = parse_header("5.6.0.5.6.0.0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(
            (v.licensed, v.release()),
            (None, semver::Version::new(5, 6, 0))
        );
        let v = parse_header("9.11.2.dev.0123456789abcdef0123456789abcdef.false").unwrap();
        assert_eq!(v.build.as_deref(), Some("dev"));
        assert_eq!(v.release(), semver::Version::new(9, 11, 2));
        let v = parse_header("7.1.0").unwrap();
        assert_eq!((v.build, v.licensed), (None, None));
        // A CI build number is not a release.
        let v = parse_header("10.5.0.4711.abcdefabcdefabcdefabcdefabcdefab.false").unwrap();
        assert_eq!(v.release(), semver::Version::new(10, 5, 0));
        for bad in ["", "garbage", "1.2", "a.b.c.true", "1..2.3"] {
            assert_eq!(parse_header(bad), None, "{bad}");
        }
    }
}
