//! LDAP endpoints: parsing `ldap://HOST:PORT` / `ldaps://HOST:PORT`, and deriving the
//! endpoint Mattermost itself would use from its `LdapSettings`.
//!
//! Nothing here touches the network.

use crate::evidence::{Evidence, FactValue};
use serde::Serialize;
use std::fmt;

/// How a client reaches the directory on a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LdapScheme {
    /// Plaintext LDAP (optionally upgraded with StartTLS), port 389 by default.
    Ldap,
    /// LDAP over TLS from the first byte, port 636 by default.
    Ldaps,
}

impl LdapScheme {
    /// `ldap` or `ldaps`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ldap => "ldap",
            Self::Ldaps => "ldaps",
        }
    }

    /// The IANA port.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Ldap => 389,
            Self::Ldaps => 636,
        }
    }
}

/// One LDAP endpoint to assess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LdapEndpoint {
    pub scheme: LdapScheme,
    /// A DNS name or an IP address (IPv6 without brackets).
    pub host: String,
    pub port: u16,
    /// A naming context known to exist on the server (`--ldap-base-dn`, or
    /// `LdapSettings.BaseDN` for the configured endpoint). The cleartext-bind and
    /// anonymous-read tests use it before any the root DSE names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_dn: Option<String>,
}

/// Why an LDAP URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LdapUrlError {
    #[error("{url:?} is not a URL: {reason}; expected ldap://HOST:PORT or ldaps://HOST:PORT")]
    Malformed { url: String, reason: String },
    #[error("{url:?} has scheme {scheme:?}; expected ldap:// or ldaps://")]
    Scheme { url: String, scheme: String },
    #[error("{url:?} has no host; expected ldap://HOST:PORT or ldaps://HOST:PORT")]
    NoHost { url: String },
    #[error(
        "{url:?} has a path, query, or credentials; give only ldap://HOST:PORT or ldaps://HOST:PORT"
    )]
    Extra { url: String },
}

impl LdapEndpoint {
    /// Parses `ldap://HOST[:PORT]` or `ldaps://HOST[:PORT]` (default ports 389 and 636). A
    /// trailing `/` is allowed; a DN, attributes, or user info are not, since nothing here
    /// would use them.
    pub fn parse(url: &str) -> Result<Self, LdapUrlError> {
        let parsed = url::Url::parse(url.trim()).map_err(|e| LdapUrlError::Malformed {
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
        let scheme = match parsed.scheme() {
            "ldap" => LdapScheme::Ldap,
            "ldaps" => LdapScheme::Ldaps,
            other => {
                return Err(LdapUrlError::Scheme {
                    url: url.to_owned(),
                    scheme: other.to_owned(),
                });
            }
        };
        let host = match parsed.host() {
            Some(url::Host::Domain(d)) if !d.is_empty() => d.to_owned(),
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            _ => {
                return Err(LdapUrlError::NoHost {
                    url: url.to_owned(),
                });
            }
        };
        if !matches!(parsed.path(), "" | "/")
            || parsed.query().is_some()
            || parsed.fragment().is_some()
            || !parsed.username().is_empty()
            || parsed.password().is_some()
        {
            return Err(LdapUrlError::Extra {
                url: url.to_owned(),
            });
        }
        let port = parsed.port().unwrap_or_else(|| scheme.default_port());
        Ok(Self {
            scheme,
            host,
            port,
            base_dn: None,
        })
    }

    /// The same endpoint with a known naming context (ignored when blank).
    pub fn with_base_dn(mut self, base_dn: Option<&str>) -> Self {
        self.base_dn = base_dn
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_owned);
        self
    }

    /// Whether the host is an IPv6 literal (`::1`), which must never be handed to TLS as
    /// a DNS name.
    pub fn is_ipv6_literal(&self) -> bool {
        self.host.parse::<std::net::Ipv6Addr>().is_ok()
    }

    /// The subject facts about this endpoint carry: `ldap://host:port`, `ldaps://[::1]:636`.
    pub fn subject(&self) -> String {
        self.to_string()
    }

    /// `host:port` for connecting (IPv6 in brackets).
    pub fn authority(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for LdapEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.authority())
    }
}

const CONFIG: &str = "mattermost.config.LdapSettings.";

/// Endpoints implied by Mattermost config facts (`mattermost.config.LdapSettings.Enable`
/// or `.EnableSync`, `.LdapServer`, `.LdapPort`, `.ConnectionSecurity`, and `.BaseDN` as
/// the endpoint's known naming context) when LDAP is
/// enabled: `TLS` means LDAPS, anything else plaintext LDAP on the configured port (on
/// which StartTLS is then tried). Empty when LDAP is off or no server is set.
pub fn endpoints_from_config(evidence: &Evidence) -> Vec<LdapEndpoint> {
    let value = |key: &str| {
        evidence
            .lookup(&format!("{CONFIG}{key}"), None)
            .map(|f| &f.value)
    };
    let on = |key: &str| matches!(value(key), Some(FactValue::Bool(true)));
    if !on("Enable") && !on("EnableSync") {
        return Vec::new();
    }
    let Some(FactValue::Str(server)) = value("LdapServer") else {
        return Vec::new();
    };
    let server = server.trim();
    if server.is_empty() {
        return Vec::new();
    }
    let scheme = match value("ConnectionSecurity") {
        Some(FactValue::Str(s)) if s.eq_ignore_ascii_case("TLS") => LdapScheme::Ldaps,
        _ => LdapScheme::Ldap,
    };
    let port = match value("LdapPort") {
        Some(FactValue::Int(p)) => u16::try_from(*p).ok().filter(|p| *p != 0),
        _ => None,
    }
    .unwrap_or_else(|| scheme.default_port());
    // Someone may have written a URL or host:port into LdapServer; take its host.
    let host = if server.contains("://") {
        match LdapEndpoint::parse(server) {
            Ok(ep) => ep.host,
            Err(_) => return Vec::new(),
        }
    } else {
        server
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned()
    };
    let base_dn = match value("BaseDN") {
        Some(FactValue::Str(b)) => Some(b.as_str()),
        _ => None,
    };
    vec![
        LdapEndpoint {
            scheme,
            host,
            port,
            base_dn: None,
        }
        .with_base_dn(base_dn),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::FactMaker;

    #[test]
    fn parses_schemes_and_default_ports() {
        let ep = LdapEndpoint::parse("ldap://dir.example.org").unwrap();
        assert_eq!(
            (ep.scheme, ep.host.as_str(), ep.port),
            (LdapScheme::Ldap, "dir.example.org", 389)
        );
        let ep = LdapEndpoint::parse("ldaps://10.0.0.1:1636/").unwrap();
        assert_eq!((ep.scheme, ep.port), (LdapScheme::Ldaps, 1636));
        assert_eq!(ep.subject(), "ldaps://10.0.0.1:1636");
        let ep = LdapEndpoint::parse("ldap://[::1]:3389").unwrap();
        assert_eq!(ep.host, "::1");
        assert!(ep.is_ipv6_literal());
        assert_eq!(ep.subject(), "ldap://[::1]:3389");
        assert!(
            !LdapEndpoint::parse("ldap://dir.example.org")
                .unwrap()
                .is_ipv6_literal()
        );
    }

    #[test]
    fn refuses_other_urls() {
        assert!(matches!(
            LdapEndpoint::parse("http://x"),
            Err(LdapUrlError::Scheme { .. })
        ));
        assert!(LdapEndpoint::parse("dir.example.org:389").is_err());
        assert!(matches!(
            LdapEndpoint::parse("ldap://"),
            Err(LdapUrlError::NoHost { .. })
        ));
        assert!(matches!(
            LdapEndpoint::parse("ldap://h/dc=example,dc=org"),
            Err(LdapUrlError::Extra { .. })
        ));
        assert!(matches!(
            LdapEndpoint::parse("ldap://h:99999"),
            Err(LdapUrlError::Malformed { .. })
        ));
    }

    fn config(pairs: &[(&str, FactValue)]) -> Evidence {
        let mk = FactMaker::new("mattermost", None);
        let mut ev = Evidence::default();
        for (k, v) in pairs {
            ev.insert(mk.fact(&format!("{CONFIG}{k}"), v.clone(), "config.json"));
        }
        ev
    }

    #[test]
    fn config_endpoints() {
        let s = |v: &str| FactValue::Str(v.into());
        assert!(
            endpoints_from_config(&config(&[
                ("Enable", FactValue::Bool(false)),
                ("LdapServer", s("d"))
            ]))
            .is_empty()
        );
        assert!(
            endpoints_from_config(&config(&[
                ("Enable", FactValue::Bool(true)),
                ("LdapServer", s(""))
            ]))
            .is_empty()
        );
        let eps = endpoints_from_config(&config(&[
            ("Enable", FactValue::Bool(true)),
            ("LdapServer", s("dir.example.org")),
            ("LdapPort", FactValue::Int(389)),
            ("ConnectionSecurity", s("STARTTLS")),
            ("BaseDN", s(" dc=example,dc=org ")),
        ]));
        assert_eq!(
            eps,
            vec![
                LdapEndpoint::parse("ldap://dir.example.org:389")
                    .unwrap()
                    .with_base_dn(Some("dc=example,dc=org"))
            ]
        );
        assert_eq!(eps[0].base_dn.as_deref(), Some("dc=example,dc=org"));
        let eps = endpoints_from_config(&config(&[
            ("EnableSync", FactValue::Bool(true)),
            ("LdapServer", s("dir.example.org")),
            ("ConnectionSecurity", s("TLS")),
        ]));
        assert_eq!(
            eps,
            vec![LdapEndpoint::parse("ldaps://dir.example.org:636").unwrap()]
        );
    }
}
