//! HTTP hygiene of the site URL: the Strict-Transport-Security header (RFC 6797) on the
//! HTTPS answer, and whether plain HTTP on port 80, when open, redirects to https.
//! Only response heads are read; nothing is followed.

use serde::Serialize;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// What the HTTP checks found. `None` means "could not be determined".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct HttpHygiene {
    /// The Strict-Transport-Security header, verbatim.
    pub hsts_header: Option<String>,
    /// max-age in seconds; 0 when the header is absent (but an HTTPS answer arrived).
    pub hsts_max_age: Option<i64>,
    pub hsts_include_subdomains: Option<bool>,
    pub port80_open: Option<bool>,
    pub port80_redirects_to_https: Option<bool>,
    pub port80_location: Option<String>,
}

/// Reads HSTS from an HTTPS response head.
pub fn apply_hsts(h: &mut HttpHygiene, head: &str) {
    let value = header(head, "strict-transport-security");
    h.hsts_max_age = Some(value.as_deref().and_then(max_age).unwrap_or(0));
    h.hsts_include_subdomains = Some(value.as_deref().is_some_and(|v| {
        v.split(';')
            .any(|d| d.trim().eq_ignore_ascii_case("includeSubDomains"))
    }));
    h.hsts_header = value;
}

/// Checks port 80 of `host`: closed (refused), or open and redirecting to https.
pub async fn port80(h: &mut HttpHygiene, host: &str, timeout: Duration) {
    let connect = tokio::time::timeout(timeout, TcpStream::connect((host, 80))).await;
    let mut stream = match connect {
        Ok(Ok(s)) => s,
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            h.port80_open = Some(false);
            return;
        }
        // Filtered or unreachable: we cannot tell; report nothing rather than guess.
        _ => return,
    };
    h.port80_open = Some(true);
    let host_header = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_owned()
    };
    let req = format!(
        "GET / HTTP/1.1\r\nHost: {host_header}\r\nUser-Agent: safeguard\r\nConnection: close\r\n\r\n"
    );
    let read = async {
        stream.write_all(req.as_bytes()).await?;
        crate::probe::tls::certificate::read_head(&mut stream).await
    };
    if let Ok(Ok(head)) = tokio::time::timeout(timeout, read).await {
        let status = status_code(&head);
        let location = header(&head, "location");
        let redirects = matches!(status, Some(301 | 302 | 303 | 307 | 308))
            && location
                .as_deref()
                .is_some_and(|l| l.to_ascii_lowercase().starts_with("https://"));
        h.port80_redirects_to_https = Some(redirects);
        h.port80_location = location;
    }
}

/// The status code of a response head.
pub fn status_code(head: &str) -> Option<u16> {
    let line = head.lines().next()?;
    let mut parts = line.split_whitespace();
    parts.next().filter(|p| p.starts_with("HTTP/"))?;
    parts.next()?.parse().ok()
}

/// The first value of header `name` (case-insensitive).
pub fn header(head: &str, name: &str) -> Option<String> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().to_owned())
    })
}

fn max_age(v: &str) -> Option<i64> {
    v.split(';').find_map(|d| {
        let (k, val) = d.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| val.trim().trim_matches('"').parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsts_is_parsed() {
        let mut h = HttpHygiene::default();
        apply_hsts(
            &mut h,
            "HTTP/1.1 200 OK\r\nStrict-Transport-Security: max-age=\"63072000\"; includeSubDomains\r\n",
        );
        assert_eq!(h.hsts_max_age, Some(63_072_000));
        assert_eq!(h.hsts_include_subdomains, Some(true));
        let mut h = HttpHygiene::default();
        apply_hsts(&mut h, "HTTP/1.0 200 ok\r\nContent-Type: text/html\r\n");
        assert_eq!(h.hsts_max_age, Some(0));
        assert_eq!(
            status_code("HTTP/1.1 301 Moved\r\nLocation: https://x/"),
            Some(301)
        );
        assert_eq!(
            header("HTTP/1.1 301 Moved\r\nLOCATION: https://x/", "location").as_deref(),
            Some("https://x/")
        );
    }
}
