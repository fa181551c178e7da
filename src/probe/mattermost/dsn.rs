//! Database connection strings (`SqlSettings.DataSource`, replicas, a database
//! `MM_CONFIG`): where they point and how the connection is protected, read as the Go
//! drivers the server links read them — without ever keeping the credentials.
//!
//! Grammars (versions from Mattermost's `server/go.mod`):
//! - `github.com/lib/pq` v1.10.9, the `postgres` driver: URLs (`postgres://`,
//!   `postgresql://`) are turned into `key=value` pairs — user, password, host, port,
//!   dbname, then every query parameter — which are *sorted* and applied in order, so of
//!   two `host` values the one that sorts last wins (`url.go` ParseURL, `conn.go`
//!   parseOpts). Defaults: host `localhost`, port 5432, `sslmode` `require` (TLS without
//!   verification); `verify-ca`, `verify-full`, `disable` are the other accepted modes and
//!   anything else (`prefer`, `allow`, upper case) makes the connection fail (`ssl.go`).
//!   A host starting with `/` is a unix socket directory.
//! - `github.com/jackc/pgx` (v5) for comparison: query parameters override the URL's
//!   host, several comma-separated hosts are allowed, `sslmode` defaults to `prefer`
//!   (TLS an attacker can strip) and `allow`/`prefer` are accepted.
//! - `github.com/go-sql-driver/mysql` v1.7.1, the `mysql` driver:
//!   `[user[:password]@][net[(addr)]]/dbname[?param=value&…]`, split at the *last* `/`;
//!   parameters are URL-unescaped; `tls` is a boolean (`1`, `true`, `TRUE`, `True`, `0`,
//!   `false`, `FALSE`, `False`), `skip-verify` or `preferred` in any case, or the name of a
//!   TLS config registered in code; an empty address is `127.0.0.1:3306` over tcp
//!   (`dsn.go` ParseDSN, `normalize`, `utils.go` readBool).
//!
//! Loopback hosts and unix sockets never cross a network and are exempt.

/// How a connection is protected in transit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// Loopback host or unix socket: no network hop.
    Local,
    /// No TLS, or TLS an attacker can strip (pgx `allow`/`prefer`, MySQL `preferred`).
    Cleartext,
    /// TLS without full certificate and host-name verification.
    Unverified,
    /// TLS with certificate and host-name verification.
    Verified,
}

/// What a DSN says, credentials removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    /// `host:port` or the socket path, for messages.
    pub endpoint: String,
    pub transport: Transport,
}

/// The Go driver a DSN is handed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Driver {
    LibPq,
    Pgx,
    Mysql,
}

/// Reads a DSN for the server's `SqlSettings.DriverName` (`postgres` → lib/pq, `mysql`);
/// the error says why it cannot be judged (never quoting the DSN, which holds a password).
pub fn classify(driver_name: &str, dsn: &str) -> Result<Connection, String> {
    let driver = match driver_name {
        "mysql" => Driver::Mysql,
        _ => Driver::LibPq,
    };
    classify_with(driver, dsn)
}

/// Reads a DSN as `driver` reads it.
pub fn classify_with(driver: Driver, dsn: &str) -> Result<Connection, String> {
    match driver {
        Driver::Mysql => mysql(dsn),
        Driver::LibPq | Driver::Pgx => postgres(driver, dsn),
    }
}

fn postgres(driver: Driver, dsn: &str) -> Result<Connection, String> {
    let lower = dsn.get(..13).unwrap_or(dsn).to_ascii_lowercase();
    let pairs = if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        url_pairs(driver, dsn)?
    } else {
        keyword_pairs(dsn)?
    };
    let mut host = "localhost".to_owned();
    let mut port = "5432".to_owned();
    let mut sslmode: Option<String> = None;
    for (k, v) in pairs {
        match k.as_str() {
            "host" => host = v,
            "port" => port = v,
            "sslmode" => sslmode = Some(v),
            _ => {}
        }
    }
    let hosts: Vec<&str> = match driver {
        Driver::Pgx => host.split(',').collect(),
        _ => vec![host.as_str()],
    };
    let all_local = hosts.iter().all(|h| is_local(h));
    let endpoint = hosts
        .iter()
        .map(|h| {
            if h.starts_with('/') {
                format!("{h}/.s.PGSQL.{port}")
            } else if h.is_empty() {
                format!("localhost:{port}")
            } else if h.contains(':') {
                format!("[{h}]:{port}")
            } else {
                format!("{h}:{port}")
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    let mode = sslmode.as_deref().unwrap_or(match driver {
        Driver::Pgx => "prefer",
        _ => "require",
    });
    let transport = match (driver, mode) {
        (_, "disable") => Transport::Cleartext,
        (Driver::Pgx, "allow" | "prefer") => Transport::Cleartext,
        (_, "require" | "verify-ca") => Transport::Unverified,
        (_, "verify-full") => Transport::Verified,
        (_, "") if driver == Driver::LibPq => Transport::Unverified,
        (_, other) => {
            return Err(format!(
                "sslmode `{}` is not accepted by the driver (the server cannot connect with it)",
                other.chars().take(20).collect::<String>()
            ));
        }
    };
    Ok(Connection {
        endpoint,
        transport: if all_local {
            Transport::Local
        } else {
            transport
        },
    })
}

/// The key/value pairs a postgres URL stands for, in the order the driver applies them.
fn url_pairs(driver: Driver, dsn: &str) -> Result<Vec<(String, String)>, String> {
    let dsn = dsn.trim();
    let rest = dsn
        .split_once("://")
        .map(|(_, r)| r)
        .ok_or("not a postgres URL")?;
    let rest = rest.split('#').next().unwrap_or(rest);
    let (before_query, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = before_query.split('/').next().unwrap_or("");
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or("not a valid postgres URL (unclosed [)")?;
        (h.to_owned(), after.strip_prefix(':').map(str::to_owned))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (percent_decode(h), Some(p.to_owned())),
            None => (percent_decode(hostport), None),
        }
    };
    if let Some(p) = &port
        && !p.is_empty()
        && !p.chars().all(|c| c.is_ascii_digit())
    {
        return Err("not a valid postgres URL (bad port)".into());
    }
    let mut authority: Vec<(String, String)> = vec![("host".into(), host)];
    if let Some(p) = port.filter(|p| !p.is_empty()) {
        authority.push(("port".into(), p));
    }
    // Go's url.Query: `&`-separated, `+` is a space, percent-escapes decoded.
    let query: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                percent_decode(&k.replace('+', " ")),
                percent_decode(&v.replace('+', " ")),
            )
        })
        .collect();
    Ok(match driver {
        Driver::LibPq => {
            // url.Values.Get: the first value of each query key.
            let mut seen: Vec<String> = Vec::new();
            let query: Vec<(String, String)> = query
                .into_iter()
                .filter(|(k, _)| {
                    let new = !seen.contains(k);
                    seen.push(k.clone());
                    new
                })
                .collect();
            // ParseURL accrues "k=v" strings (the authority's host even when empty), then
            // sorts them; parseOpts applies them in that order, the last one winning.
            let mut all: Vec<(String, String)> = authority.into_iter().chain(query).collect();
            all.sort_by(|a, b| format!("{}={}", a.0, a.1).cmp(&format!("{}={}", b.0, b.1)));
            all
        }
        _ => {
            let mut all = authority;
            all.retain(|(k, v)| !(k == "host" && v.is_empty()));
            all.extend(query);
            all
        }
    })
}

/// lib/pq's `key=value` grammar: pairs separated by whitespace, optional spaces around
/// `=`, values optionally single-quoted, `\` escaping the next character.
fn keyword_pairs(dsn: &str) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut chars = dsn.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err("not a postgres connection string (expected key=value pairs)".into());
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '\'' => {
                        closed = true;
                        break;
                    }
                    other => value.push(other),
                }
            }
            if !closed {
                return Err("unterminated quoted value in the connection string".into());
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                chars.next();
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        if key.is_empty() {
            return Err("not a postgres connection string (empty key)".into());
        }
        out.push((key, value));
    }
    if out.is_empty() {
        return Err("empty connection string".into());
    }
    Ok(out)
}

fn mysql(dsn: &str) -> Result<Connection, String> {
    let dsn = dsn.trim();
    // ParseDSN: the database name starts after the last '/'.
    let slash = dsn.rfind('/').ok_or("not a MySQL DSN (no `/dbname`)")?;
    let (left, right) = dsn.split_at(slash);
    // user[:password]@ ends at the last '@' before the slash.
    let rest = match left.rfind('@') {
        Some(at) => &left[at + 1..],
        None => left,
    };
    let (net, addr) = match rest.find('(') {
        Some(open) => {
            if !rest.ends_with(')') {
                return Err("not a MySQL DSN (unbalanced address parentheses)".into());
            }
            (&rest[..open], &rest[open + 1..rest.len() - 1])
        }
        None => (rest, ""),
    };
    let net = if net.is_empty() { "tcp" } else { net };
    let addr = match (net, addr) {
        ("tcp", "") => "127.0.0.1:3306".to_owned(),
        ("unix", "") => "/tmp/mysql.sock".to_owned(),
        ("tcp", a) if !has_port(a) => format!("{a}:3306"),
        (_, a) => a.to_owned(),
    };
    let mut tls = "false".to_owned();
    if let Some((_, query)) = right.split_once('?') {
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if k == "tls" {
                tls = percent_decode(v);
            }
        }
    }
    let mode = match tls.as_str() {
        "1" | "true" | "TRUE" | "True" => "true".to_owned(),
        "0" | "false" | "FALSE" | "False" | "" => "false".to_owned(),
        other => other.to_ascii_lowercase(),
    };
    let local = net == "unix" || is_local(host_part(&addr));
    let transport = match mode.as_str() {
        _ if local => Transport::Local,
        "false" => Transport::Cleartext,
        // TLS when the server offers it, plaintext otherwise, and never verified.
        "preferred" => Transport::Cleartext,
        "skip-verify" => Transport::Unverified,
        "true" => Transport::Verified,
        _ => {
            return Err(format!(
                "tls={} names a TLS config registered in the server's code; how it verifies cannot be read from the DSN",
                tls.chars().take(40).collect::<String>()
            ));
        }
    };
    Ok(Connection {
        endpoint: addr,
        transport,
    })
}

fn has_port(addr: &str) -> bool {
    if let Some(rest) = addr.strip_prefix('[') {
        return rest.contains("]:");
    }
    matches!(addr.rsplit_once(':'), Some((h, p)) if !h.contains(':') && !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
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

/// Loopback names and addresses, unix sockets and the empty host.
fn is_local(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
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
    use super::Transport::{Cleartext as C, Local as L, Unverified as U, Verified as V};
    use super::*;

    /// (DSN, expected transport or None for "cannot be judged", expected endpoint).
    type Case = (&'static str, Option<Transport>, &'static str);

    fn run(driver: Driver, cases: &[Case]) {
        for (dsn, want, endpoint) in cases {
            let got = classify_with(driver, dsn);
            match (want, &got) {
                (Some(t), Ok(c)) => {
                    assert_eq!(c.transport, *t, "{driver:?} {dsn}");
                    if !endpoint.is_empty() {
                        assert_eq!(c.endpoint, *endpoint, "{driver:?} {dsn}");
                    }
                    assert!(
                        !c.endpoint.contains("pw"),
                        "credentials leaked: {}",
                        c.endpoint
                    );
                }
                (None, Err(e)) => assert!(!e.contains("pw"), "{e}"),
                _ => panic!("{driver:?} {dsn}: expected {want:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn lib_pq() {
        run(
            Driver::LibPq,
            &[
                // sslmode absent: require (TLS, no verification).
                (
                    "postgres://u:pw@db.example:5432/mm",
                    Some(U),
                    "db.example:5432",
                ),
                (
                    "postgresql://u:pw@db.example/mm",
                    Some(U),
                    "db.example:5432",
                ),
                ("postgres://u:pw@db.example/mm?sslmode=disable", Some(C), ""),
                (
                    "postgres://u:pw@db.example/mm?sslmode=verify-ca",
                    Some(U),
                    "",
                ),
                (
                    "postgres://u:pw@db.example/mm?sslmode=verify-full",
                    Some(V),
                    "",
                ),
                // lib/pq refuses prefer, allow and upper case: the server cannot connect.
                ("postgres://u:pw@db.example/mm?sslmode=prefer", None, ""),
                ("postgres://u:pw@db.example/mm?sslmode=allow", None, ""),
                ("postgres://u:pw@db.example/mm?sslmode=DISABLE", None, ""),
                ("postgres://u:pw@localhost/mm?sslmode=disable", Some(L), ""),
                (
                    "postgres://u:pw@127.0.0.1:5432/mm?sslmode=disable",
                    Some(L),
                    "",
                ),
                ("postgres://u:pw@[::1]:5432/mm?sslmode=disable", Some(L), ""),
                // Empty host: the default, localhost.
                ("postgres://u:pw@/mm?sslmode=disable", Some(L), ""),
                // An empty authority host sorts first: the query's host wins.
                (
                    "postgres://u:pw@/mm?host=/var/run/postgresql&sslmode=disable",
                    Some(L),
                    "/var/run/postgresql/.s.PGSQL.5432",
                ),
                (
                    "postgres://u:pw@/mm?host=%2Fvar%2Frun%2Fpostgresql&sslmode=disable",
                    Some(L),
                    "",
                ),
                // Both set: the pair that sorts last wins ("host=db…" after "host=/…").
                (
                    "postgres://u:pw@db.example/mm?host=/tmp&sslmode=disable",
                    Some(C),
                    "db.example:5432",
                ),
                (
                    "postgres://u:pw@localhost/mm?host=remote.example&sslmode=disable",
                    Some(C),
                    "remote.example:5432",
                ),
                (
                    "postgres://u:pw@db.example/mm?sslmode=disable&port=6432",
                    Some(C),
                    "db.example:6432",
                ),
                // Keyword form.
                (
                    "host=db.example port=5432 user=u password=pw sslmode=disable",
                    Some(C),
                    "db.example:5432",
                ),
                ("host = db.example sslmode = verify-full", Some(V), ""),
                (
                    "host='db.example' password='p w\\'x' sslmode='disable'",
                    Some(C),
                    "",
                ),
                ("host=/tmp user=u sslmode=disable", Some(L), ""),
                (
                    "user=u password=pw dbname=mm sslmode=disable",
                    Some(L),
                    "localhost:5432",
                ),
                ("dbname=mm", Some(L), ""),
                ("garbage", None, ""),
                ("host='unterminated", None, ""),
            ],
        );
    }

    #[test]
    fn pgx() {
        run(
            Driver::Pgx,
            &[
                // pgx defaults to prefer: TLS an attacker can strip.
                ("postgres://u:pw@db.example:5432/mm", Some(C), ""),
                ("postgres://u:pw@db.example/mm?sslmode=allow", Some(C), ""),
                ("postgres://u:pw@db.example/mm?sslmode=require", Some(U), ""),
                (
                    "postgres://u:pw@db.example/mm?sslmode=verify-full",
                    Some(V),
                    "",
                ),
                // Query parameters override the URL's host.
                (
                    "postgres://u:pw@db.example/mm?host=/var/run/postgresql&sslmode=disable",
                    Some(L),
                    "",
                ),
                (
                    "postgres://u:pw@localhost/mm?host=remote.example&sslmode=disable",
                    Some(C),
                    "",
                ),
                (
                    "host=a.example,b.example sslmode=verify-full",
                    Some(V),
                    "a.example:5432,b.example:5432",
                ),
                ("host=localhost,b.example sslmode=disable", Some(C), ""),
            ],
        );
    }

    #[test]
    fn go_sql_driver_mysql() {
        run(
            Driver::Mysql,
            &[
                (
                    "u:pw@tcp(db.example:3306)/mm?charset=utf8mb4",
                    Some(C),
                    "db.example:3306",
                ),
                ("u:pw@tcp(db.example)/mm", Some(C), "db.example:3306"),
                ("u:pw@tcp(db.example:3306)/mm?tls=skip-verify", Some(U), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=SKIP-VERIFY", Some(U), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=preferred", Some(C), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=Preferred", Some(C), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=true", Some(V), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=1", Some(V), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=True", Some(V), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=0", Some(C), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=FALSE", Some(C), ""),
                ("u:pw@tcp(db.example:3306)/mm?tls=False", Some(C), ""),
                (
                    "u:pw@tcp(db.example:3306)/mm?charset=utf8&tls=%74rue",
                    Some(V),
                    "",
                ),
                // A custom registered TLS config: cannot be judged from the DSN.
                ("u:pw@tcp(db.example:3306)/mm?tls=custom-ca", None, ""),
                ("u:pw@unix(/run/mysqld/mysqld.sock)/mm", Some(L), ""),
                // Empty address: 127.0.0.1:3306.
                ("u:pw@/mm", Some(L), "127.0.0.1:3306"),
                ("u:pw@tcp/mm", Some(L), "127.0.0.1:3306"),
                // The password may hold '@' and '/': the last '/' and '@' split.
                (
                    "u:p@ss/w@tcp(db.example:3306)/mm",
                    Some(C),
                    "db.example:3306",
                ),
                ("u:pw@tcp([::1]:3306)/mm", Some(L), ""),
                ("no slash here", None, ""),
            ],
        );
    }

    #[test]
    fn server_driver_names() {
        assert_eq!(
            classify("postgres", "postgres://u:pw@h/mm")
                .unwrap()
                .transport,
            U
        );
        assert_eq!(
            classify("mysql", "u:pw@tcp(h:3306)/mm").unwrap().transport,
            C
        );
    }
}
