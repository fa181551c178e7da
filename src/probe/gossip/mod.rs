//! The cluster's gossip hop: whether the gossip port of the node the configuration names
//! is reachable from the scanner, and whether it answers unencrypted gossip. Runs with
//! `--probe-configured-endpoints` (or `scan --url`) when the config probe found the
//! cluster active (`mattermost.cluster.active`); one subject, `gossip://host:port`.
//!
//! Mattermost's high-availability cluster gossips with hashicorp/memberlist on
//! `ClusterSettings.GossipPort` (TCP and UDP, default 8074: server/public/model/config.go
//! `ClusterSettings.SetDefaults`). The cluster implementation is enterprise code that is
//! not public, so how it maps the settings onto memberlist cannot be cited; the node
//! address here is the one the configuration names for the other nodes to reach:
//! `ClusterSettings.AdvertiseAddress`, else `ClusterSettings.OverrideHostname` (both
//! default "" in config.go). With neither — or with the cluster off, or its licence not
//! given — there is nothing to probe and a subject-less attempt is skipped with the reason
//! (the checks say not-assessed with it, never pass).
//!
//! The port never speaks TLS, so the TLS enumeration does not apply. The probe makes one
//! TCP connection and sends one plaintext memberlist ping with an empty node name
//! (`wire`), then reads the first answer, bounded in size and time: a plaintext ack means
//! the node accepts and answers unencrypted gossip. It never joins, never pushes or pulls
//! state, never sends a second message; UDP is not probed.
//!
//! What does not belong here: what the configuration says about gossip encryption
//! (`probe::mattermost::derive`, `checks/cluster/cluster-gossip-encryption.yaml`), TLS.

pub mod wire;

use crate::catalogue::{cluster as cat, family, mattermost::config_key};
use crate::evidence::{AttemptOutcome, Evidence, FactMaker, FactValue};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The probe id.
pub const ID: &str = "gossip";

/// memberlist's port in Mattermost when `ClusterSettings.GossipPort` is absent
/// (server/public/model/config.go).
pub const DEFAULT_GOSSIP_PORT: u16 = 8074;

/// The longest the probe waits for each network step, whatever the scan's timeout.
const STEP_LIMIT: Duration = Duration::from_secs(5);

/// The registry entry.
#[derive(Debug)]
pub struct GossipProbe;

impl super::Probe for GossipProbe {
    fn about(&self) -> &'static super::About {
        const ABOUT: super::About = super::About {
            id: ID,
            description: "the cluster's gossip port (memberlist) the configuration names: reachable, and whether it answers one plaintext ping",
            phase: super::Phase::Endpoints,
            families: &[family::CLUSTER],
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
        let timeout = ctx.timeout.min(STEP_LIMIT);
        match gossip_hop(found) {
            Hop::NotClustered => Vec::new(),
            Hop::Skip(why) => vec![super::Job {
                probe: ID,
                subject: None,
                covers: &[family::CLUSTER],
                work: Box::pin(async move {
                    let mut ev = Evidence::default();
                    ev.attempts.push(
                        FactMaker::new(ID, None)
                            .attempt(AttemptOutcome::Skipped { why }, &[family::CLUSTER]),
                    );
                    Ok(ev)
                }),
            }],
            Hop::Node { host, port } => {
                let subject = subject_of(&host, port);
                vec![super::Job {
                    probe: ID,
                    subject: Some(subject.clone()),
                    covers: &[family::CLUSTER],
                    work: Box::pin(
                        async move { Ok(collect(&host, port, &subject, timeout).await) },
                    ),
                }]
            }
        }
    }
}

/// `gossip://host:port`, IPv6 hosts in brackets.
pub fn subject_of(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("gossip://[{host}]:{port}")
    } else {
        format!("gossip://{host}:{port}")
    }
}

/// What the configuration says about the node's gossip port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hop {
    /// No configuration says anything about a cluster: nothing to probe, nothing to say.
    NotClustered,
    /// Nothing to probe, and why: the cluster is off, whether it runs is unknown, or it is
    /// on and the configuration names no address to reach.
    Skip(String),
    Node {
        host: String,
        port: u16,
    },
}

fn setting<'a>(found: &'a Evidence, path: &str) -> Option<&'a FactValue> {
    found.lookup(config_key(path), None).map(|f| &f.value)
}

/// The node's gossip address, as the config probe's facts give it.
pub fn gossip_hop(found: &Evidence) -> Hop {
    let active = crate::catalogue::mattermost::CLUSTER_ACTIVE.key;
    match found.lookup(active, None).map(|f| &f.value) {
        Some(FactValue::Bool(true)) => {}
        Some(_) => {
            return Hop::Skip(
                "the cluster is not active (ClusterSettings.Enable is off, or the licence has no Cluster feature): there is no gossip port to probe".to_owned(),
            );
        }
        None => {
            return match setting(found, "ClusterSettings.Enable") {
                Some(FactValue::Bool(true)) => Hop::Skip(
                    "ClusterSettings.Enable is on, but whether the cluster runs depends on the licence's Cluster feature: give --mattermost-license to probe the gossip port".to_owned(),
                ),
                _ => Hop::NotClustered,
            };
        }
    }
    let port = match setting(found, "ClusterSettings.GossipPort") {
        None => DEFAULT_GOSSIP_PORT,
        Some(FactValue::Int(p)) => match u16::try_from(*p) {
            Ok(p) if p > 0 => p,
            _ => {
                return Hop::Skip(format!(
                    "ClusterSettings.GossipPort is {p}, not a TCP port: there is no gossip port to probe"
                ));
            }
        },
        Some(other) => {
            return Hop::Skip(format!(
                "ClusterSettings.GossipPort is {other:?}, not a number"
            ));
        }
    };
    for path in [
        "ClusterSettings.AdvertiseAddress",
        "ClusterSettings.OverrideHostname",
    ] {
        if let Some(FactValue::Str(s)) = setting(found, path) {
            let host = s.trim().trim_start_matches('[').trim_end_matches(']');
            if !host.is_empty() {
                return Hop::Node {
                    host: host.to_owned(),
                    port,
                };
            }
        }
    }
    Hop::Skip(format!(
        "the cluster is on but the configuration names no node address (ClusterSettings.AdvertiseAddress and OverrideHostname are empty), so the gossip port ({port}) cannot be located; set AdvertiseAddress, or check each node's port {port} by hand"
    ))
}

/// Connects to the gossip port, sends one plaintext ping and reads the first answer.
pub async fn collect(host: &str, port: u16, subject: &str, timeout: Duration) -> Evidence {
    let maker = FactMaker::new(ID, Some(subject.to_owned()));
    let mut ev = Evidence::default();
    let started = Instant::now();
    let endpoint = subject.trim_start_matches("gossip://").to_owned();

    // Resolution failing is an error on the hop (the checks say error), not "unreachable".
    let addrs: Vec<std::net::SocketAddr> =
        match tokio::time::timeout(timeout, tokio::net::lookup_host((host, port))).await {
            Ok(Ok(a)) => a.collect(),
            Ok(Err(e)) => {
                ev.attempts.push(maker.attempt(
                    AttemptOutcome::Failed {
                        reason: format!("cannot resolve {host}: {e}"),
                    },
                    &[family::CLUSTER],
                ));
                return ev;
            }
            Err(_) => {
                ev.attempts.push(maker.attempt(
                    AttemptOutcome::Failed {
                        reason: format!("resolving {host} timed out after {timeout:?}"),
                    },
                    &[family::CLUSTER],
                ));
                return ev;
            }
        };
    if addrs.is_empty() {
        ev.attempts.push(maker.attempt(
            AttemptOutcome::Failed {
                reason: format!("{host} resolves to no address"),
            },
            &[family::CLUSTER],
        ));
        return ev;
    }

    let mut notes = Vec::new();
    let mut stream = None;
    // At most four addresses, so a name with many unreachable ones stays within bounds.
    for addr in addrs.iter().take(4) {
        match tokio::time::timeout(timeout, tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(s)) => {
                stream = Some(s);
                break;
            }
            Ok(Err(e)) => notes.push(format!("connecting to {addr}: {e}")),
            Err(_) => notes.push(format!("connecting to {addr}: timed out after {timeout:?}")),
        }
    }
    let source = format!("TCP connect to {endpoint}");
    let Some(mut stream) = stream else {
        ev.insert(maker.put(&cat::GOSSIP_REACHABLE, FactValue::Bool(false), source));
        let mut attempt = maker.attempt(AttemptOutcome::Completed, &[family::CLUSTER]);
        attempt.notes = notes.clone();
        ev.attempts.push(attempt);
        ev.attempts.push(maker.attempt(
            AttemptOutcome::Skipped {
                why: format!(
                    "the gossip port {endpoint} is not reachable from the scanner ({}); run safeguard on the cluster network to tell whether it answers plaintext gossip",
                    notes.join("; ")
                ),
            },
            &[cat::GOSSIP_ANSWERS_PLAINTEXT.key],
        ));
        return ev;
    };
    ev.insert(maker.put(&cat::GOSSIP_REACHABLE, FactValue::Bool(true), source));

    let seq: u32 = rand::random();
    let (outcome, elapsed) = ping(&mut stream, seq, timeout).await;
    drop(stream);
    notes.push(format!(
        "one plaintext ping (sequence number {seq}, no node name) answered in {:.1} ms",
        elapsed.as_secs_f64() * 1000.0
    ));
    let source = format!("one plaintext memberlist ping to {endpoint}");
    let plaintext = match outcome {
        Pinged::Answer(wire::Answer::PlaintextAck { compressed }) => {
            notes.push(format!(
                "answered with a plaintext ack{}: the node accepts and answers unencrypted gossip",
                if compressed { " (compressed)" } else { "" }
            ));
            Some(true)
        }
        Pinged::Answer(wire::Answer::Encrypted { len }) => {
            notes.push(format!(
                "answered with an encrypted message ({len} bytes of ciphertext): the node requires the gossip key"
            ));
            Some(false)
        }
        Pinged::Answer(wire::Answer::Refused { error }) => {
            notes.push(format!(
                "refused the plaintext ping with a plaintext error: {error}"
            ));
            Some(false)
        }
        Pinged::Closed => {
            notes.push("closed the connection without answering the plaintext ping".to_owned());
            Some(false)
        }
        Pinged::Silent => {
            notes.push(format!(
                "no answer to the plaintext ping within {timeout:?}"
            ));
            Some(false)
        }
        Pinged::Answer(wire::Answer::Unreadable { why }) => {
            ev.attempts.push(maker.attempt(
                AttemptOutcome::Skipped {
                    why: format!(
                        "{endpoint} answered the ping with something safeguard cannot read as memberlist ({why}); is {port} the gossip port?"
                    ),
                },
                &[cat::GOSSIP_ANSWERS_PLAINTEXT.key],
            ));
            None
        }
        Pinged::Answer(wire::Answer::Incomplete) => None,
        Pinged::SendFailed(e) => {
            ev.attempts.push(maker.attempt(
                AttemptOutcome::Skipped {
                    why: format!(
                        "{endpoint} accepted the connection but the ping could not be sent: {e}"
                    ),
                },
                &[cat::GOSSIP_ANSWERS_PLAINTEXT.key],
            ));
            None
        }
    };
    if let Some(p) = plaintext {
        ev.insert(maker.put(&cat::GOSSIP_ANSWERS_PLAINTEXT, FactValue::Bool(p), source));
    }
    notes.push(format!(
        "gossip hop assessed in {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    ));
    let mut attempt = maker.attempt(AttemptOutcome::Completed, &[family::CLUSTER]);
    attempt.notes = notes;
    ev.attempts.push(attempt);
    ev
}

/// How the ping went.
enum Pinged {
    Answer(wire::Answer),
    /// The peer closed without a byte.
    Closed,
    /// No byte within the timeout.
    Silent,
    SendFailed(String),
}

/// Sends the ping and reads until the answer can be told, the peer closes, the timeout
/// passes, or [`wire::MAX_ANSWER`] bytes have come.
async fn ping(
    stream: &mut tokio::net::TcpStream,
    seq: u32,
    timeout: Duration,
) -> (Pinged, Duration) {
    let started = Instant::now();
    match tokio::time::timeout(timeout, stream.write_all(&wire::ping(seq))).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return (Pinged::SendFailed(e.to_string()), started.elapsed()),
        Err(_) => {
            return (
                Pinged::SendFailed(format!("timed out after {timeout:?}")),
                started.elapsed(),
            );
        }
    }
    let deadline = tokio::time::Instant::now() + timeout;
    let mut buf: Vec<u8> = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let read = tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await;
        let complete = match read {
            Ok(Ok(0)) | Ok(Err(_)) => true,
            Ok(Ok(n)) => {
                let room = wire::MAX_ANSWER - buf.len();
                buf.extend_from_slice(&chunk[..n.min(room)]);
                buf.len() >= wire::MAX_ANSWER
            }
            Err(_) if buf.is_empty() => return (Pinged::Silent, started.elapsed()),
            Err(_) => true,
        };
        if complete && buf.is_empty() {
            return (Pinged::Closed, started.elapsed());
        }
        match wire::read_answer(&buf, seq, complete) {
            wire::Answer::Incomplete if !complete => continue,
            wire::Answer::Incomplete => {
                return (
                    Pinged::Answer(wire::Answer::Unreadable {
                        why: format!("{} bytes that end mid-message", buf.len()),
                    }),
                    started.elapsed(),
                );
            }
            answer => return (Pinged::Answer(answer), started.elapsed()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::mattermost::ConfigSources;

    fn hop(config: &str, licensed: bool) -> Hop {
        let dir = std::env::temp_dir().join(format!(
            "safeguard-gossip-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let cfg = dir.join("config.json");
        std::fs::write(&cfg, config).unwrap();
        let sources = ConfigSources {
            config: Some(cfg),
            license: licensed.then(|| {
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/fixtures/mattermost/license-full.json")
            }),
            ..ConfigSources::default()
        };
        let ev = crate::probe::mattermost::collect(&sources).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        gossip_hop(&ev)
    }

    #[test]
    fn the_node_address_and_port_come_from_the_cluster_settings() {
        let node = |host: &str, port| Hop::Node {
            host: host.to_owned(),
            port,
        };
        assert_eq!(
            hop(
                r#"{"ServiceSettings":{},"ClusterSettings":{"Enable":true,"AdvertiseAddress":"10.0.0.5","OverrideHostname":"mm1.example"}}"#,
                true
            ),
            node("10.0.0.5", 8074)
        );
        assert_eq!(
            hop(
                r#"{"ServiceSettings":{},"ClusterSettings":{"Enable":true,"AdvertiseAddress":" ","OverrideHostname":"mm1.example","GossipPort":9074}}"#,
                true
            ),
            node("mm1.example", 9074)
        );
        assert_eq!(
            hop(
                r#"{"ServiceSettings":{},"ClusterSettings":{"Enable":true,"AdvertiseAddress":"[fd00::5]"}}"#,
                true
            ),
            node("fd00::5", 8074)
        );
        assert!(matches!(
            hop(r#"{"ServiceSettings":{},"ClusterSettings":{"Enable":true}}"#, true),
            Hop::Skip(why) if why.contains("AdvertiseAddress") && why.contains("8074")
        ));
        assert!(matches!(
            hop(
                r#"{"ServiceSettings":{},"ClusterSettings":{"Enable":true,"AdvertiseAddress":"10.0.0.5","GossipPort":70000}}"#,
                true
            ),
            Hop::Skip(why) if why.contains("70000")
        ));
        // Off, or on without a licence that has Cluster (whether it runs is unknown):
        // nothing is probed, and the reason is said.
        assert!(matches!(
            hop(
                r#"{"ServiceSettings":{},"ClusterSettings":{"Enable":false,"AdvertiseAddress":"10.0.0.5"}}"#,
                true
            ),
            Hop::Skip(why) if why.contains("not active")
        ));
        assert!(matches!(
            hop(
                r#"{"ServiceSettings":{},"ClusterSettings":{"Enable":true,"AdvertiseAddress":"10.0.0.5"}}"#,
                false
            ),
            Hop::Skip(why) if why.contains("--mattermost-license")
        ));
        assert_eq!(hop(r#"{"ServiceSettings":{}}"#, true), Hop::NotClustered);
    }

    #[tokio::test]
    async fn a_name_that_cannot_resolve_is_a_failed_attempt() {
        // A NUL byte fails in the resolver's own argument check: no query leaves the host.
        let ev = collect("no\0such", 8074, "gossip://x:8074", Duration::from_secs(2)).await;
        assert!(ev.facts.is_empty());
        assert!(matches!(
            &ev.attempts[..],
            [a] if matches!(&a.outcome, AttemptOutcome::Failed { reason } if reason.contains("cannot resolve"))
        ));
    }

    #[tokio::test]
    async fn a_flood_is_read_to_the_bound_and_not_judged() {
        use tokio::io::AsyncWriteExt;
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        tokio::spawn(async move {
            let (mut c, _) = l.accept().await.unwrap();
            // An ack whose body claims a 4 GiB binary, then endless bytes.
            let _ = c
                .write_all(&[wire::ACK_RESP_MSG, 0xc6, 0xff, 0xff, 0xff, 0xff])
                .await;
            let junk = vec![0u8; 16 * 1024];
            for _ in 0..64 {
                if c.write_all(&junk).await.is_err() {
                    break;
                }
            }
        });
        let subject = subject_of("127.0.0.1", port);
        let ev = collect("127.0.0.1", port, &subject, Duration::from_secs(5)).await;
        let plaintext = ev.lookup(cat::GOSSIP_ANSWERS_PLAINTEXT.key, Some(&subject));
        assert!(plaintext.is_none(), "{ev:?}");
        assert!(ev.attempts.iter().any(|a| matches!(
            &a.outcome,
            AttemptOutcome::Skipped { why } if why.contains("cannot read as memberlist")
        )));
    }

    #[test]
    fn subjects() {
        assert_eq!(subject_of("10.0.0.5", 8074), "gossip://10.0.0.5:8074");
        assert_eq!(subject_of("::1", 8074), "gossip://[::1]:8074");
    }
}
