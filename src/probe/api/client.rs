//! The HTTP client of the API probe: reqwest over rustls with the ring provider and the
//! trust store every probe uses, GET only, a timeout on every request, a cap on every
//! body, and redirects followed only within the same origin (never carrying the token
//! elsewhere) and never in a loop.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Largest response body read (a full config is well under 1 MiB).
pub const MAX_BODY: usize = 4 << 20;
/// Redirects followed within one origin.
const MAX_REDIRECTS: usize = 5;

/// The trust store: the one the TLS probe uses (Mozilla and system roots plus `--ca-file`).
/// One call, so moving the loader is a one-line change.
pub fn trust_roots(ca_file: Option<&Path>) -> Result<Arc<rustls::RootCertStore>, String> {
    crate::probe::trust::load_roots(ca_file)
}

/// A client for one deployment.
pub fn build(ca_file: Option<&Path>, timeout: Duration) -> Result<reqwest::Client, String> {
    let roots = trust_roots(ca_file)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS setup: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let policy = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            return attempt.error(format!(
                "more than {MAX_REDIRECTS} redirects (a redirect loop?)"
            ));
        }
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .redirect(policy)
        .timeout(timeout)
        .connect_timeout(timeout)
        .no_proxy()
        .user_agent(concat!("safeguard/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

/// One answer: status, the headers that matter, and the (capped) body.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub version_id: Option<String>,
    pub location: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON, or why it is not.
    pub fn json(&self) -> Result<serde_json::Value, String> {
        serde_json::from_slice(&self.body).map_err(|_| {
            let head: String = String::from_utf8_lossy(&self.body[..self.body.len().min(60)])
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            format!(
                "answered {} with {} instead of JSON (starts {head:?})",
                self.status,
                if self.content_type.is_empty() {
                    "no content type"
                } else {
                    &self.content_type
                }
            )
        })
    }
}

/// GET `url`, with `Authorization: Bearer` when `bearer` is given. The error never
/// contains the token (reqwest's errors name the URL, not the headers).
pub async fn get(
    client: &reqwest::Client,
    url: &url::Url,
    bearer: Option<&str>,
) -> Result<Answer, String> {
    let mut req = client.get(url.clone());
    if let Some(t) = bearer {
        req = req.bearer_auth(t);
    }
    let mut resp = req.send().await.map_err(|e| describe(&e))?;
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let status = resp.status().as_u16();
    let content_type = header("content-type").unwrap_or_default();
    let version_id = header("x-version-id");
    let location = header("location");
    if resp.content_length().is_some_and(|l| l > MAX_BODY as u64) {
        return Err(format!(
            "answered with a body larger than {} MiB; not read",
            MAX_BODY >> 20
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| describe(&e))? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(format!(
                "answered with a body larger than {} MiB; reading stopped",
                MAX_BODY >> 20
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Answer {
        status,
        content_type,
        version_id,
        location,
        body,
    })
}

/// A reqwest error in one line, with its causes (never a header).
fn describe(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    let mut s = if e.is_timeout() {
        "timed out".to_owned()
    } else if e.is_redirect() {
        "redirect error".to_owned()
    } else if e.is_connect() {
        "cannot connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut cause = e.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !s.contains(&text) {
            s.push_str(": ");
            s.push_str(&text);
        }
        cause = c.source();
    }
    s
}
