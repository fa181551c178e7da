//! HTTP hygiene probe: what a site URL tells browsers about transport security — the
//! Strict-Transport-Security header on its HTTPS answer and whether plain HTTP on port
//! 80 redirects to https. One GET of the site URL's path over TLS and one over port 80;
//! only response heads are read, nothing is followed.
//!
//! What does not belong here: the TLS enumeration of the same endpoint (`probe::tls`),
//! judging (`checks/tls/tls-hsts.yaml`, `tls-port80-redirect.yaml`).

pub mod hygiene;

pub use hygiene::HttpHygiene;

use super::{About, Job, Phase, Probe, ProbeContext, Target};
use crate::catalogue::{family, http as cat, mattermost as mm};
use crate::evidence::{AttemptOutcome, Evidence, FactMaker, FactValue};
use crate::probe::tls::{Upgrade, certificate, connection};
use std::time::Duration;

/// The probe id, in provenance and attempts.
pub const ID: &str = "http";

/// The registry entry.
#[derive(Debug)]
pub struct HttpProbe;

impl Probe for HttpProbe {
    fn about(&self) -> &'static About {
        const ABOUT: About = About {
            id: ID,
            description: "HTTP hygiene of a site URL: HSTS and the port-80 redirect",
            phase: Phase::Endpoints,
            families: &[family::HTTP],
        };
        &ABOUT
    }
    fn plan(&self, targets: &[Target], found: &Evidence, ctx: &ProbeContext) -> Vec<Job> {
        site_urls(targets, found, ctx)
            .into_iter()
            .map(|url| {
                let timeout = ctx.timeout;
                Job {
                    probe: ID,
                    subject: Some(site_subject(&url)),
                    covers: &[family::HTTP],
                    work: Box::pin(async move { Ok(collect(&url, timeout).await) }),
                }
            })
            .collect()
    }
}

/// The subject of a site URL: its origin, `https://host:port`.
pub fn site_subject(url: &url::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or(443)
    )
}

/// The site URLs of a scan: those given, and the configured https `SiteURL` when the
/// scan probes configured endpoints. One per origin.
pub fn site_urls(targets: &[Target], found: &Evidence, ctx: &ProbeContext) -> Vec<url::Url> {
    let mut urls: Vec<url::Url> = targets
        .iter()
        .filter_map(|t| match t {
            Target::Site(u) => Some(u.clone()),
            _ => None,
        })
        .collect();
    if ctx.probe_configured_endpoints
        && let Some(site) = configured_site_url(found)
        && !urls.iter().any(|u| u.origin() == site.origin())
    {
        urls.push(site);
    }
    urls
}

/// The configured `ServiceSettings.SiteURL`, when it is an https URL.
fn configured_site_url(evidence: &Evidence) -> Option<url::Url> {
    let fact = evidence.lookup(mm::config_key("ServiceSettings.SiteURL"), None)?;
    let FactValue::Str(s) = &fact.value else {
        return None;
    };
    url::Url::parse(s)
        .ok()
        .filter(|u| u.scheme() == "https" && u.host_str().is_some())
}

/// Reads the HTTP hygiene of `url`; never fails (a failure is a failed attempt).
pub async fn collect(url: &url::Url, timeout: Duration) -> Evidence {
    let maker = FactMaker::new(ID, Some(site_subject(url)));
    let mut ev = Evidence::default();
    ev.insert(maker.put(
        &cat::SITE_URL,
        FactValue::Str(url.to_string()),
        url.to_string(),
    ));
    let host = url.host_str().unwrap_or_default().to_owned();
    if url.scheme() != "https" || host.is_empty() {
        ev.attempts.push(maker.attempt(
            AttemptOutcome::Failed {
                reason: format!("site URL {url} is not an https:// URL with a host"),
            },
            &[family::HTTP],
        ));
        return ev;
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let bare = host.trim_matches(['[', ']']).to_owned();
    let (head, port80) = tokio::join!(https_head(url, &bare, port, timeout), async {
        let mut h = HttpHygiene::default();
        hygiene::port80(&mut h, &bare, timeout.min(Duration::from_secs(5))).await;
        h
    });
    let src = url.to_string();
    let mut h = port80;
    let outcome = match head {
        Ok(head) => {
            hygiene::apply_hsts(&mut h, &head);
            AttemptOutcome::Completed
        }
        Err(reason) => AttemptOutcome::Failed {
            reason: format!("{url}: {reason}"),
        },
    };
    for (spec, v) in [
        (&cat::HSTS_MAX_AGE, h.hsts_max_age.map(FactValue::Int)),
        (
            &cat::HSTS_INCLUDE_SUBDOMAINS,
            h.hsts_include_subdomains.map(FactValue::Bool),
        ),
        (&cat::PORT80_OPEN, h.port80_open.map(FactValue::Bool)),
        (
            &cat::PORT80_REDIRECTS_TO_HTTPS,
            h.port80_redirects_to_https.map(FactValue::Bool),
        ),
    ] {
        if let Some(v) = v {
            ev.insert(maker.put(spec, v, src.clone()));
        }
    }
    let mut attempt = maker.attempt(outcome, &[family::HTTP]);
    if let Some(l) = &h.port80_location {
        attempt.notes.push(format!("port 80 redirects to {l}"));
    }
    ev.attempts.push(attempt);
    ev
}

/// The response head of one GET of the site URL over TLS (certificate not required to
/// validate: the TLS probe judges it; HSTS is read either way).
async fn https_head(
    url: &url::Url,
    host: &str,
    port: u16,
    timeout: Duration,
) -> Result<String, String> {
    let addr = tokio::time::timeout(timeout, tokio::net::lookup_host((host, port)))
        .await
        .map_err(|_| format!("cannot resolve {host}: timed out"))?
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .next()
        .ok_or_else(|| format!("cannot resolve {host}: no address"))?;
    let name = rustls::pki_types::ServerName::try_from(host.to_owned())
        .map_err(|e| format!("invalid server name {host}: {e}"))?;
    let ep = connection::Endpoint::new(addr, Upgrade::None, timeout);
    let host_header = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => host.to_owned(),
    };
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let path = if path.is_empty() {
        "/".to_owned()
    } else {
        path
    };
    let captured = certificate::capture(&ep, name, Some((&host_header, &path))).await?;
    captured
        .http_head
        .ok_or_else(|| "no HTTP answer over TLS".to_owned())
}
