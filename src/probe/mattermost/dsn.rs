//! Database connection strings (`SqlSettings.DataSource` and replicas): where they point
//! and how well the connection is protected — without ever keeping the credentials.
//!
//! Postgres URLs and `key=value` strings (lib/pq: `sslmode` absent means `require`) and
//! MySQL DSNs (`user:pass@tcp(host:3306)/db?tls=…`) are understood. Loopback hosts and unix
//! sockets never cross a network and are exempt from transport checks.

/// How a connection is protected in transit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Loopback host or unix socket: no network hop.
    Local,
    /// No TLS, or TLS an attacker can strip (`disable`, `allow`, `prefer`; MySQL without `tls`).
    Cleartext,
    /// TLS without full certificate and host-name verification (`require`, `verify-ca`, `skip-verify`).
    Unverified,
    /// TLS with certificate and host-name verification (`verify-full`, MySQL `tls=true`).
    Verified,
}

/// What a DSN says, credentials removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// `host:port` or the socket path, for messages.
    pub endpoint: String,
    pub transport: Transport,
}

/// Reads a DSN for `driver` (`postgres` or `mysql`); the error says why it cannot be
/// understood (never quoting the DSN, which holds a password).
pub fn classify(driver: &str, dsn: &str) -> Result<Connection, String> {
    classify_opt(driver, dsn).ok_or_else(|| "not a DSN safeguard understands".to_owned())
}

fn classify_opt(driver: &str, dsn: &str) -> Option<Connection> {
    let dsn = dsn.trim();
    if dsn.is_empty() {
        return None;
    }
    if driver == "mysql" || dsn.contains("@tcp(") || dsn.contains("@unix(") {
        return mysql(dsn);
    }
    if let Some(rest) = dsn
        .strip_prefix("postgres://")
        .or_else(|| dsn.strip_prefix("postgresql://"))
    {
        return postgres_url(rest);
    }
    if dsn.contains('=') {
        return postgres_kv(dsn);
    }
    None
}

fn postgres_url(rest: &str) -> Option<Connection> {
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = before_query.split('/').next().unwrap_or("");
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let mut host = hostport.to_owned();
    let mut sslmode: Option<String> = None;
    for pair in query.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "sslmode" => sslmode = Some(percent_decode(v)),
            "host" if host.is_empty() || host.starts_with(':') => host = percent_decode(v),
            _ => {}
        }
    }
    Some(postgres_connection(&host, sslmode.as_deref()))
}

fn postgres_kv(dsn: &str) -> Option<Connection> {
    let mut host = String::new();
    let mut port = String::new();
    let mut sslmode = None;
    for part in dsn.split_whitespace() {
        let (k, v) = part.split_once('=')?;
        let v = v.trim_matches('\'');
        match k {
            "host" => host = v.to_owned(),
            "port" => port = v.to_owned(),
            "sslmode" => sslmode = Some(v.to_owned()),
            _ => {}
        }
    }
    let endpoint = if port.is_empty() {
        host
    } else {
        format!("{host}:{port}")
    };
    Some(postgres_connection(&endpoint, sslmode.as_deref()))
}

fn postgres_connection(endpoint: &str, sslmode: Option<&str>) -> Connection {
    let host = host_part(endpoint);
    let transport = if is_local(host) {
        Transport::Local
    } else {
        match sslmode.unwrap_or("require") {
            "verify-full" => Transport::Verified,
            "require" | "verify-ca" => Transport::Unverified,
            _ => Transport::Cleartext,
        }
    };
    let endpoint = if endpoint.is_empty() {
        "default unix socket".to_owned()
    } else {
        endpoint.to_owned()
    };
    Connection {
        endpoint,
        transport,
    }
}

fn mysql(dsn: &str) -> Option<Connection> {
    let at = dsn.rfind('@')?;
    let rest = &dsn[at + 1..];
    let (net, after) = rest.split_once('(')?;
    let (addr, tail) = after.split_once(')')?;
    let query = tail.split_once('?').map_or("", |(_, q)| q);
    let tls = query
        .split('&')
        .find_map(|p| p.strip_prefix("tls="))
        .unwrap_or("false");
    let transport = if net == "unix" || is_local(host_part(addr)) {
        Transport::Local
    } else {
        match tls {
            "false" | "" => Transport::Cleartext,
            "preferred" => Transport::Cleartext,
            "skip-verify" => Transport::Unverified,
            _ => Transport::Verified,
        }
    };
    Some(Connection {
        endpoint: addr.to_owned(),
        transport,
    })
}

/// The host of `host:port`, `[v6]:port`, or a socket path.
fn host_part(endpoint: &str) -> &str {
    if let Some(rest) = endpoint.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    if endpoint.starts_with('/') {
        return endpoint;
    }
    match endpoint.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !h.contains(':') => h,
        _ => endpoint,
    }
}

/// Loopback names and addresses, unix sockets and the empty host (lib/pq's default socket).
fn is_local(host: &str) -> bool {
    if host.is_empty() || host.starts_with('/') || host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => false,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(driver: &str, dsn: &str) -> Transport {
        classify(driver, dsn).expect("parsed").transport
    }

    #[test]
    fn postgres_transport_by_host_and_sslmode() {
        assert_eq!(
            t("postgres", "postgres://u:p@localhost/db?sslmode=disable"),
            Transport::Local
        );
        assert_eq!(
            t(
                "postgres",
                "postgres://u:p@127.0.0.1:5432/db?sslmode=disable"
            ),
            Transport::Local
        );
        assert_eq!(
            t("postgres", "postgres://u:p@[::1]:5432/db?sslmode=disable"),
            Transport::Local
        );
        assert_eq!(
            t(
                "postgres",
                "postgres://u:p@/db?host=%2Fvar%2Frun%2Fpostgresql&sslmode=disable"
            ),
            Transport::Local
        );
        assert_eq!(
            t(
                "postgres",
                "postgres://u:p@/db?host=/var/run/postgresql&sslmode=disable"
            ),
            Transport::Local
        );
        assert_eq!(
            t(
                "postgres",
                "postgres://u:p@db.example:5432/db?sslmode=disable"
            ),
            Transport::Cleartext
        );
        assert_eq!(
            t(
                "postgres",
                "postgres://u:p@db.example:5432/db?sslmode=prefer"
            ),
            Transport::Cleartext
        );
        assert_eq!(
            t("postgres", "postgres://u:p@db.example:5432/db"),
            Transport::Unverified
        );
        assert_eq!(
            t("postgres", "postgres://u:p@10.0.0.5/db?sslmode=verify-ca"),
            Transport::Unverified
        );
        assert_eq!(
            t(
                "postgres",
                "postgres://u:p@db.example/db?sslmode=verify-full"
            ),
            Transport::Verified
        );
        assert_eq!(
            t(
                "postgres",
                "host=db.example port=5432 user=u password=p sslmode=disable"
            ),
            Transport::Cleartext
        );
        assert_eq!(
            t("postgres", "host=/tmp user=u sslmode=disable"),
            Transport::Local
        );
    }

    #[test]
    fn mysql_transport() {
        assert_eq!(
            t("mysql", "u:p@tcp(db.example:3306)/mm?charset=utf8mb4"),
            Transport::Cleartext
        );
        assert_eq!(
            t("mysql", "u:p@tcp(db.example:3306)/mm?tls=skip-verify"),
            Transport::Unverified
        );
        assert_eq!(
            t("mysql", "u:p@tcp(db.example:3306)/mm?tls=true"),
            Transport::Verified
        );
        assert_eq!(
            t("mysql", "u:p@unix(/run/mysqld.sock)/mm"),
            Transport::Local
        );
    }

    #[test]
    fn endpoints_never_carry_credentials() {
        let c = classify(
            "postgres",
            "postgres://mmuser:hunter2@db.example:5432/db?sslmode=disable",
        )
        .unwrap();
        assert_eq!(c.endpoint, "db.example:5432");
        assert!(classify("postgres", "garbage").is_err());
    }
}
