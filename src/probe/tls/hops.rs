//! Every TLS hop the Mattermost configuration names, as TLS targets of their own (with
//! `--probe-configured-endpoints`): the SMTP server (STARTTLS, or implicit TLS when
//! `EmailSettings.ConnectionSecurity` is TLS), the Elasticsearch/OpenSearch URL, the S3
//! endpoint, and the push proxy. Each becomes its own subject (`smtp://host:port`,
//! `smtps://host:port`, `https://host:port`) and is enumerated and judged like the site.
//!
//! Settings as Mattermost reads them (server/public/model/config.go): EmailSettings
//! SMTPServer, SMTPPort (a string), ConnectionSecurity ("", "TLS", "STARTTLS");
//! ElasticsearchSettings.ConnectionURL; FileSettings DriverName "amazons3",
//! AmazonS3Endpoint (host[:port], default s3.amazonaws.com) and AmazonS3SSL;
//! EmailSettings.PushNotificationServer.
//!
//! Not here: the cluster's gossip port (memberlist's own encryption, not TLS: `probe::gossip`)
//! and hops that are plaintext by configuration (the config checks judge those). Nothing
//! here touches the network.

use super::{TlsTarget, Upgrade};
use crate::evidence::{Evidence, FactValue};

fn setting<'a>(found: &'a Evidence, key: &str) -> Option<&'a FactValue> {
    found
        .lookup(&format!("mattermost.config.{key}"), None)
        .map(|f| &f.value)
}

fn text<'a>(found: &'a Evidence, key: &str) -> Option<&'a str> {
    match setting(found, key) {
        Some(FactValue::Str(s)) if !s.trim().is_empty() => Some(s.trim()),
        _ => None,
    }
}

/// `host` and `port` of an https URL; None for any other scheme.
fn https(url: &str) -> Option<(String, u16)> {
    let u = url::Url::parse(url).ok()?;
    if u.scheme() != "https" {
        return None;
    }
    let host = match u.host()? {
        url::Host::Domain(d) => d.to_owned(),
        url::Host::Ipv4(ip) => ip.to_string(),
        url::Host::Ipv6(ip) => ip.to_string(),
    };
    Some((host, u.port_or_known_default().unwrap_or(443)))
}

fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// The hops, as (subject, target). `timeout` and `ca_file` are the caller's to set.
pub fn configured_hops(found: &Evidence) -> Vec<(String, TlsTarget)> {
    let mut out: Vec<(String, TlsTarget)> = Vec::new();
    let mut push = |subject: String, host: &str, port: u16, upgrade: Upgrade| {
        if out.iter().any(|(s, _)| *s == subject) {
            return;
        }
        let mut t = TlsTarget::new(host, port);
        t.upgrade = upgrade;
        out.push((subject, t));
    };
    if let Some(server) = text(found, "EmailSettings.SMTPServer") {
        let implicit = text(found, "EmailSettings.ConnectionSecurity")
            .is_some_and(|s| s.eq_ignore_ascii_case("TLS"));
        let port = text(found, "EmailSettings.SMTPPort")
            .and_then(|p| p.parse::<u16>().ok())
            .filter(|p| *p != 0)
            .unwrap_or(if implicit { 465 } else { 25 });
        let host = server.trim_matches(['[', ']']);
        if implicit {
            push(
                format!("smtps://{}", authority(host, port)),
                host,
                port,
                Upgrade::None,
            );
        } else {
            // STARTTLS, or none configured: whether the server offers STARTTLS at all is
            // itself a finding.
            push(
                format!("smtp://{}", authority(host, port)),
                host,
                port,
                Upgrade::SmtpStartTls,
            );
        }
    }
    let mut web = |url: &str| {
        if let Some((host, port)) = https(url) {
            push(
                format!("https://{}", authority(&host, port)),
                &host,
                port,
                Upgrade::None,
            );
        }
    };
    if let Some(u) = text(found, "ElasticsearchSettings.ConnectionURL") {
        web(u);
    }
    if let Some(u) = text(found, "EmailSettings.PushNotificationServer") {
        web(u);
    }
    let s3 = text(found, "FileSettings.DriverName").is_some_and(|d| d == "amazons3");
    let s3_tls = matches!(
        setting(found, "FileSettings.AmazonS3SSL"),
        Some(FactValue::Bool(true))
    );
    if s3 && s3_tls {
        let endpoint = text(found, "FileSettings.AmazonS3Endpoint").unwrap_or("s3.amazonaws.com");
        web(&format!("https://{endpoint}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::FactMaker;

    fn config(pairs: &[(&str, FactValue)]) -> Evidence {
        let mk = FactMaker::new("mattermost", None);
        let mut ev = Evidence::default();
        for (k, v) in pairs {
            ev.insert(mk.fact(&format!("mattermost.config.{k}"), v.clone(), "config.json"));
        }
        ev
    }

    #[test]
    fn every_hop_is_its_own_subject() {
        let s = |v: &str| FactValue::Str(v.into());
        let ev = config(&[
            ("EmailSettings.SMTPServer", s("mail.example.org")),
            ("EmailSettings.SMTPPort", s("587")),
            ("EmailSettings.ConnectionSecurity", s("STARTTLS")),
            (
                "ElasticsearchSettings.ConnectionURL",
                s("https://es.example.org:9200"),
            ),
            (
                "EmailSettings.PushNotificationServer",
                s("https://push.example.org"),
            ),
            ("FileSettings.DriverName", s("amazons3")),
            ("FileSettings.AmazonS3SSL", FactValue::Bool(true)),
            ("FileSettings.AmazonS3Endpoint", s("minio.example.org:9000")),
        ]);
        let hops = configured_hops(&ev);
        let subjects: Vec<&str> = hops.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            subjects,
            vec![
                "smtp://mail.example.org:587",
                "https://es.example.org:9200",
                "https://push.example.org:443",
                "https://minio.example.org:9000",
            ]
        );
        assert_eq!(hops[0].1.upgrade, Upgrade::SmtpStartTls);
        let ev = config(&[
            ("EmailSettings.SMTPServer", s("::1")),
            ("EmailSettings.SMTPPort", s("")),
            ("EmailSettings.ConnectionSecurity", s("TLS")),
            ("ElasticsearchSettings.ConnectionURL", s("http://es:9200")),
        ]);
        let hops = configured_hops(&ev);
        assert_eq!(hops.len(), 1);
        assert_eq!(hops[0].0, "smtps://[::1]:465");
        assert_eq!(hops[0].1.upgrade, Upgrade::None);
        assert!(configured_hops(&Evidence::default()).is_empty());
    }
}
