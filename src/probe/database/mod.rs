//! The database hop: the TLS the PostgreSQL server named by the configuration
//! (`SqlSettings.DataSource` and replicas, after `MM_SQLSETTINGS_*` overrides) offers after
//! an SSLRequest, assessed by the TLS probe's enumeration. Runs when the scan probes the
//! endpoints its configuration names (`scan --url`, or `--probe-configured-endpoints`).
//!
//! The hosts are the config probe's `mattermost.sql.remote-postgres-endpoints` (the REST
//! API always masks the DSN, so they come from a config file or `--mattermost-env`); this
//! probe never reads a configuration itself. A host the scanner cannot reach (the database usually sits on a
//! private network) is `not-assessed` with the reason, never an error; loopback hosts and
//! unix sockets are the Mattermost host's own, not the scanner's, and are left out.
//!
//! What does not belong here: judging the DSN's `sslmode` (`probe::mattermost::dsn` and
//! `checks/database/`), the TLS enumeration itself (`probe::tls`).

use super::tls::{self, TlsTarget, Upgrade};
use crate::catalogue::family;
use crate::evidence::{AttemptOutcome, Evidence, FactMaker};
use std::time::Duration;

/// The probe id of the attempts this probe makes itself (the TLS facts are the TLS probe's).
pub const ID: &str = "database-hop";

/// The registry entry.
#[derive(Debug)]
pub struct DatabaseHopProbe;

impl super::Probe for DatabaseHopProbe {
    fn about(&self) -> &'static super::About {
        const ABOUT: super::About = super::About {
            id: ID,
            description: "TLS of the PostgreSQL server the configuration names (SSLRequest, then the TLS enumeration), when reachable",
            phase: super::Phase::Endpoints,
            families: &[family::TLS],
        };
        &ABOUT
    }
    fn plan(
        &self,
        _targets: &[super::Target],
        found: &Evidence,
        ctx: &super::ProbeContext,
    ) -> Vec<super::Job> {
        if !ctx.probe_configured_endpoints {
            return Vec::new();
        }
        database_hops(found)
            .into_iter()
            .map(|(role, host, port)| {
                let mut target = TlsTarget::new(host, port);
                target.upgrade = Upgrade::PostgresSslRequest;
                target.ca_file = ctx.ca_file.clone();
                target.timeout = ctx.timeout;
                let subject = tls::subject_of(&target);
                super::Job {
                    probe: ID,
                    subject: Some(subject.clone()),
                    covers: &[family::TLS],
                    work: Box::pin(async move { Ok(collect(&target, &subject, &role).await) }),
                }
            })
            .collect()
    }
}

/// Assesses the hop when the host is reachable; otherwise a skipped attempt saying why.
pub async fn collect(target: &TlsTarget, subject: &str, role: &str) -> Evidence {
    let addr = (target.host.trim_matches(['[', ']']), target.port);
    let reach = tokio::time::timeout(target.timeout.min(Duration::from_secs(5)), async {
        tokio::net::TcpStream::connect(addr).await
    })
    .await;
    let why = match reach {
        Ok(Ok(_)) => return tls::collect(target, subject).await,
        Ok(Err(e)) => e.to_string(),
        Err(_) => "connection timed out".to_owned(),
    };
    let maker = FactMaker::new(ID, Some(subject.to_owned()));
    let mut ev = Evidence::default();
    ev.attempts.push(maker.attempt(
        AttemptOutcome::Skipped {
            why: format!(
                "the database host {} ({role}) is not reachable from the scanner ({why}); run safeguard where it can reach the database to assess this hop",
                target.endpoint()
            ),
        },
        &[family::TLS],
    ));
    ev
}

/// The remote PostgreSQL hosts the configuration names, as the config probe resolved them
/// (file, environment overrides, replicas): (role, host, port), one per host and port.
pub fn database_hops(found: &Evidence) -> Vec<(String, String, u16)> {
    let key = crate::catalogue::mattermost::SQL_REMOTE_POSTGRES_ENDPOINTS.key;
    let Some(crate::evidence::FactValue::StrList(entries)) =
        found.lookup(key, None).map(|f| &f.value)
    else {
        return Vec::new();
    };
    let mut hops: Vec<(String, String, u16)> = Vec::new();
    for entry in entries {
        // "host:port (role)"
        let (endpoint, role) = entry
            .rsplit_once(" (")
            .map_or((entry.as_str(), ""), |(e, r)| (e, r.trim_end_matches(')')));
        if let Some((host, port)) = split_host_port(endpoint)
            && !hops.iter().any(|(_, h, p)| *h == host && *p == port)
        {
            hops.push((role.to_owned(), host, port));
        }
    }
    hops
}

fn split_host_port(endpoint: &str) -> Option<(String, u16)> {
    if let Some(rest) = endpoint.strip_prefix('[') {
        let (h, after) = rest.split_once(']')?;
        let port = after
            .strip_prefix(':')
            .and_then(|p| p.parse().ok())
            .unwrap_or(5432);
        return Some((h.to_owned(), port));
    }
    match endpoint.rsplit_once(':') {
        Some((h, p)) if !h.contains(':') => Some((h.to_owned(), p.parse().ok()?)),
        _ if !endpoint.is_empty() && !endpoint.starts_with('/') => {
            Some((endpoint.to_owned(), 5432))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::mattermost::ConfigSources;

    #[test]
    fn hosts_from_config_and_env_overrides() {
        let dir = std::env::temp_dir().join(format!("safeguard-dbhop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cfg = dir.join("config.json");
        std::fs::write(
            &cfg,
            r#"{"ServiceSettings":{},"SqlSettings":{"DriverName":"postgres",
            "DataSource":"postgres://u:p@db1.example:5433/mm?sslmode=require",
            "DataSourceReplicas":["postgres://u:p@localhost/mm","postgres://u:p@db2.example/mm"]}}"#,
        )
        .unwrap();
        let mut sources = ConfigSources {
            config: Some(cfg),
            ..ConfigSources::default()
        };
        let hops =
            |s: &ConfigSources| database_hops(&crate::probe::mattermost::collect(s).unwrap());
        assert_eq!(
            hops(&sources),
            vec![
                ("primary".to_owned(), "db1.example".to_owned(), 5433),
                (
                    "DataSourceReplicas[1]".to_owned(),
                    "db2.example".to_owned(),
                    5432
                ),
            ]
        );
        let env = dir.join("mm.env");
        std::fs::write(
            &env,
            "MM_SQLSETTINGS_DATASOURCE=postgres://u:p@db9.example:6432/mm?sslmode=verify-full\n",
        )
        .unwrap();
        sources.env = Some(env);
        assert_eq!(hops(&sources)[0].1, "db9.example");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
