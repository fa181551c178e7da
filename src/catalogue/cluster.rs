//! Cluster facts observed on the wire: what the gossip port of a high-availability node
//! (hashicorp/memberlist on `ClusterSettings.GossipPort`) does when the scanner connects
//! and sends one plaintext ping. Observed by the gossip probe (`probe::gossip`), one
//! subject per node address the configuration names (`gossip://host:port`).
//!
//! What the configuration says about the cluster (`mattermost.cluster.*`) is derived from
//! the settings and lives in `catalogue::mattermost`, not here.

use super::FactSpec;
use crate::evidence::FactType::Bool;

pub const GOSSIP_REACHABLE: FactSpec = FactSpec::endpoint(
    "cluster.gossip.reachable",
    Bool,
    "the gossip port accepted a TCP connection from where the scanner runs (refused or timed out: false, the reason in the attempt's notes)",
);
pub const GOSSIP_ANSWERS_PLAINTEXT: FactSpec = FactSpec::endpoint(
    "cluster.gossip.answers-plaintext",
    Bool,
    "the gossip port answered one unencrypted memberlist ping with an unencrypted ack (false: an encrypted answer, a refusal, a close or silence)",
);

pub const FACTS: &[FactSpec] = &[GOSSIP_REACHABLE, GOSSIP_ANSWERS_PLAINTEXT];
