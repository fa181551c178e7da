//! Enumeration: which versions, suites and groups a server accepts, found with as few
//! handshakes as the answer allows.
//!
//! Per version: offer every candidate suite of the registry, record the one the server
//! picks, remove it, offer the rest, until the server refuses (see docs/tls.md:
//! A + 1 handshakes per version instead of one per suite). If a server drops a hello that
//! large, the candidates are split into bundles of [`BUNDLE`] and each bundle is chained.
//! Versions run concurrently under the endpoint's connection cap. Picks out of offer order
//! prove the server imposes its order; otherwise one hello with the accepted suites
//! reversed decides.
//! Groups come from TLS 1.3 HelloRetryRequests (no key share sent, so the server must
//! name its choice) or, without TLS 1.3, from ECDHE ServerKeyExchanges.

use super::connection::{Endpoint, ProbeError};
use super::groups::{self, GroupKind};
use super::hello::{self, Hello, ext};
use super::reader::{Reply, ServerFlight, alert};
use super::suites::{self, Cipher, Kex, Suite};
use super::version::Version;
use std::collections::BTreeMap;

/// Most suites offered in one hello when a server refuses the full list (testssl's limit).
pub const BUNDLE: usize = 128;

/// What one version's chain found.
#[derive(Debug, Clone, Default)]
pub struct VersionFinding {
    pub accepted: bool,
    /// Accepted suites, in the server's order when it imposes one, else as found.
    pub suites: Vec<u16>,
    /// Whether the server imposes its own order (None: fewer than two suites, or unclear).
    pub server_order: Option<bool>,
    /// Why the answer could not be determined (the version is then not reported as a fact).
    pub error: Option<String>,
}

/// Everything enumeration learnt.
#[derive(Debug, Clone, Default)]
pub struct Enumeration {
    pub versions: BTreeMap<Version, VersionFinding>,
    pub groups: Vec<u16>,
    pub dhe_min_bits: Option<u32>,
    pub secure_renegotiation: Option<bool>,
    pub extended_master_secret: Option<bool>,
    pub compression: Option<bool>,
    pub ocsp_stapling: Option<bool>,
    pub fallback_scsv: Option<bool>,
    /// Every distinct chain (leaf first; distinct by leaf) seen in TLS ≤ 1.2 Certificate
    /// messages, newest version first: a server with an RSA and an ECDSA certificate
    /// sends each with the suites it authenticates.
    pub chains: Vec<Vec<Vec<u8>>>,
    pub notes: Vec<String>,
}

/// What a chain collected besides the suites.
#[derive(Debug, Default)]
struct ChainOut {
    finding: VersionFinding,
    flights: Flights,
}

/// The flights of one chain, with the suite each accepted.
type Flights = Vec<(u16, Box<ServerFlight>)>;

/// Candidate suites for `v`, in offer order: registry order, ChaCha20 last so a server's
/// "prioritize ChaCha when the client prefers it" rule never fires.
pub fn candidates(v: Version) -> Vec<u16> {
    let fits = |s: &&Suite| {
        if v == Version::Tls13 {
            s.is_tls13()
        } else {
            !s.is_tls13() && s.min_version() <= v
        }
    };
    let (mut first, chacha): (Vec<&Suite>, Vec<&Suite>) = suites::REGISTRY
        .iter()
        .filter(fits)
        .partition(|s| s.cipher != Cipher::ChaCha20Poly1305);
    first.extend(chacha);
    first.into_iter().map(|s| s.id).collect()
}

fn all_groups() -> Vec<u16> {
    groups::GROUPS.iter().map(|g| g.id).collect()
}

fn hello_for(v: Version, suites: &[u16], groups: &[u16], sni: Option<&str>, scsv: bool) -> Vec<u8> {
    hello::client_hello(&Hello {
        version: Some(v),
        suites,
        groups,
        key_shares: &[groups::X25519],
        sni,
        fallback_scsv: scsv,
    })
}

/// The first hello of an assessment: TLS 1.2 with every candidate. A transport failure
/// here means the endpoint is not usable, and the caller reports that instead of a scan.
pub async fn first_contact(ep: &Endpoint, sni: Option<&str>) -> Result<Reply, ProbeError> {
    let c = candidates(Version::Tls12);
    ep.exchange(
        &hello_for(Version::Tls12, &c, &all_groups(), sni, false),
        false,
    )
    .await
}

/// Runs the whole enumeration. `seed` is the reply to [`first_contact`], reused as the
/// first step of the TLS 1.2 chain.
pub async fn enumerate(ep: &Endpoint, sni: Option<&str>, seed: Option<Reply>) -> Enumeration {
    let (v2, v3, v10, v11, v12, v13) = tokio::join!(
        sslv2(ep),
        version_chain(ep, Version::Ssl3, sni, None),
        version_chain(ep, Version::Tls10, sni, None),
        version_chain(ep, Version::Tls11, sni, None),
        version_chain(ep, Version::Tls12, sni, seed),
        version_chain(ep, Version::Tls13, sni, None),
    );
    let mut out = Enumeration::default();
    out.versions.insert(Version::Ssl2, v2);
    let mut all_flights: Vec<(Version, Flights)> = Vec::new();
    for (v, c) in [
        (Version::Ssl3, v3),
        (Version::Tls10, v10),
        (Version::Tls11, v11),
        (Version::Tls12, v12),
        (Version::Tls13, v13),
    ] {
        out.versions.insert(v, c.finding);
        all_flights.push((v, c.flights));
    }

    // Server order. A chain whose picks are not in our offer order proves the server
    // imposes its own (a client-order server always takes the first acceptable suite
    // offered). Otherwise one reversed hello decides, for TLS 1.3 and for the best legacy
    // version; older legacy versions share that answer (servers set order once for
    // TLS ≤ 1.2), which keeps the handshake count at A + 2 per version + 10.
    let mut order_jobs: Vec<(Version, Vec<u16>)> = Vec::new();
    let mut best_legacy: Option<Version> = None;
    for (v, f) in out.versions.iter_mut().rev() {
        if f.suites.len() < 2 {
            continue;
        }
        let offer = candidates(*v);
        let positions: Vec<usize> = f
            .suites
            .iter()
            .filter_map(|s| offer.iter().position(|o| o == s))
            .collect();
        if positions.windows(2).any(|w| w[0] > w[1]) {
            f.server_order = Some(true);
        } else if *v == Version::Tls13 || best_legacy.is_none() {
            if *v != Version::Tls13 {
                best_legacy = Some(*v);
            }
            order_jobs.push((*v, f.suites.clone()));
        }
    }
    let orders = join_all(order_jobs.iter().map(|(v, s)| server_order(ep, *v, s, sni))).await;
    for ((v, _), order) in order_jobs.iter().zip(orders) {
        if let Some(f) = out.versions.get_mut(v) {
            f.server_order = order;
        }
    }
    if let Some(best) = best_legacy {
        let shared = out.versions.get(&best).and_then(|f| f.server_order);
        for (v, f) in out.versions.iter_mut() {
            if *v != Version::Tls13 && *v != best && f.suites.len() >= 2 && f.server_order.is_none()
            {
                f.server_order = shared;
            }
        }
    }

    // Properties of the TLS ≤ 1.2 handshakes.
    for (v, flights) in all_flights.iter().rev() {
        if *v == Version::Tls13 || flights.is_empty() {
            continue;
        }
        let first = &flights[0].1;
        if out.secure_renegotiation.is_none() {
            out.secure_renegotiation = Some(first.has_extension(ext::RENEGOTIATION_INFO));
            out.extended_master_secret = Some(first.has_extension(ext::EXTENDED_MASTER_SECRET));
            out.ocsp_stapling =
                Some(first.stapled_ocsp || first.has_extension(ext::STATUS_REQUEST));
        }
        for (_, f) in flights {
            if let Some(leaf) = f.certificates.first()
                && !out.chains.iter().any(|c| c.first() == Some(leaf))
            {
                out.chains.push(f.certificates.clone());
            }
        }
        for (suite, f) in flights {
            if f.compression != 0 {
                out.compression = Some(true);
            }
            if suites::by_id(*suite).is_some_and(|s| s.kex == Kex::Dhe)
                && let Some(bits) = f.dh_bits()
            {
                out.dhe_min_bits = Some(out.dhe_min_bits.map_or(bits, |b| b.min(bits)));
            }
        }
    }
    let any_legacy = all_flights
        .iter()
        .any(|(v, f)| *v != Version::Tls13 && !f.is_empty());
    if any_legacy && out.compression.is_none() {
        out.compression = Some(false);
    }
    let tls13 = out
        .versions
        .get(&Version::Tls13)
        .is_some_and(|f| f.accepted);
    if tls13 && !any_legacy {
        // TLS 1.3 has no renegotiation, always binds the session hash and forbids
        // compression (RFC 8446 §4.1.2, §7.1): these hold by construction.
        out.secure_renegotiation = Some(true);
        out.extended_master_secret = Some(true);
        out.compression = Some(false);
    }

    let (groups, fallback) = tokio::join!(
        enumerate_groups(ep, &out, &all_flights, sni),
        fallback_scsv(ep, &out, sni)
    );
    out.groups = groups;
    out.fallback_scsv = fallback;
    out
}

/// Runs a handful of futures concurrently on this task (no spawning, so they may borrow).
pub(crate) async fn join_all<F: std::future::Future>(
    futs: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futs.map(Box::pin).collect();
    let mut results: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, slot) in pinned.iter_mut().zip(results.iter_mut()) {
            if slot.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *slot = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    results.into_iter().flatten().collect()
}

async fn sslv2(ep: &Endpoint) -> VersionFinding {
    match ep.exchange(&hello::sslv2_client_hello(), true).await {
        Ok(Reply::Ssl2Hello) => VersionFinding {
            accepted: true,
            ..Default::default()
        },
        Ok(_) => VersionFinding::default(),
        // Servers that do not speak SSL 2.0 often answer its odd framing with garbage,
        // a reset or silence: all mean "not accepted" here.
        Err(ProbeError::Read { .. } | ProbeError::Reset { .. } | ProbeError::Timeout { .. }) => {
            VersionFinding::default()
        }
        Err(e) => VersionFinding {
            error: Some(e.to_string()),
            ..Default::default()
        },
    }
}

async fn version_chain(
    ep: &Endpoint,
    v: Version,
    sni: Option<&str>,
    seed: Option<Reply>,
) -> ChainOut {
    let cands = candidates(v);
    let first = match seed {
        Some(r) => Ok(r),
        None => {
            ep.exchange(&hello_for(v, &cands, &all_groups(), sni, false), false)
                .await
        }
    };
    let dropped = match &first {
        Ok(Reply::Closed) => true,
        Err(e) => e.is_refusal(),
        _ => false,
    };
    if dropped && cands.len() > BUNDLE {
        // The server drops a hello this large: chain each bundle on its own.
        let mut out = ChainOut::default();
        for bundle in cands.chunks(BUNDLE) {
            let part = chain(ep, v, bundle.to_vec(), sni, None).await;
            out.finding.accepted |= part.finding.accepted;
            out.finding.suites.extend(part.finding.suites);
            if out.finding.error.is_none() {
                out.finding.error = part.finding.error;
            }
            out.flights.extend(part.flights);
        }
        if out.finding.accepted {
            out.finding.error = None;
        }
        return out;
    }
    chain(ep, v, cands, sni, Some(first)).await
}

/// Offer, record, remove, repeat.
async fn chain(
    ep: &Endpoint,
    v: Version,
    mut remaining: Vec<u16>,
    sni: Option<&str>,
    mut first: Option<Result<Reply, ProbeError>>,
) -> ChainOut {
    let mut out = ChainOut::default();
    let groups = all_groups();
    while !remaining.is_empty() {
        let reply = match first.take() {
            Some(r) => r,
            None => {
                ep.exchange(&hello_for(v, &remaining, &groups, sni, false), false)
                    .await
            }
        };
        match reply {
            Ok(Reply::Hello(f)) => {
                if Version::from_wire(f.version) != Some(v) {
                    break; // the server negotiated another version: this one is not accepted
                }
                if !remaining.contains(&f.cipher) {
                    // Not offered (or already removed): a broken server; stop this chain.
                    break;
                }
                out.finding.accepted = true;
                out.finding.suites.push(f.cipher);
                remaining.retain(|s| *s != f.cipher);
                out.flights.push((f.cipher, f));
            }
            Ok(_) => break,
            Err(e) if e.is_refusal() => break,
            Err(e) => {
                if !out.finding.accepted {
                    out.finding.error = Some(e.to_string());
                }
                break;
            }
        }
    }
    out
}

/// Offers the accepted suites reversed: the same winner as the chain's first means the
/// server imposes its order (and the chain order is that order).
async fn server_order(ep: &Endpoint, v: Version, found: &[u16], sni: Option<&str>) -> Option<bool> {
    let reversed: Vec<u16> = found.iter().rev().copied().collect();
    match ep
        .exchange(&hello_for(v, &reversed, &all_groups(), sni, false), false)
        .await
    {
        Ok(Reply::Hello(f)) if f.cipher == found[0] => Some(true),
        Ok(Reply::Hello(f)) if Some(&f.cipher) == found.last() => Some(false),
        _ => None,
    }
}

async fn enumerate_groups(
    ep: &Endpoint,
    e: &Enumeration,
    flights: &[(Version, Flights)],
    sni: Option<&str>,
) -> Vec<u16> {
    let mut found = Vec::new();
    if let Some(t13) = e.versions.get(&Version::Tls13).filter(|f| f.accepted) {
        let mut remaining = all_groups();
        while !remaining.is_empty() {
            let h = hello::client_hello(&Hello {
                version: Some(Version::Tls13),
                suites: &t13.suites,
                groups: &remaining,
                key_shares: &[],
                sni,
                fallback_scsv: false,
            });
            match ep.exchange(&h, false).await {
                Ok(Reply::Hello(f)) => match f.key_share_group {
                    Some(g) if remaining.contains(&g) => {
                        found.push(g);
                        remaining.retain(|x| *x != g);
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        return found;
    }
    // No TLS 1.3: remove curves one by one from ECDHE handshakes of the best version.
    let Some((v, ecdhe)) = flights.iter().rev().find_map(|(v, fl)| {
        let s: Vec<u16> = fl
            .iter()
            .filter(|(s, _)| suites::by_id(*s).is_some_and(|s| s.kex == Kex::Ecdhe))
            .map(|(s, _)| *s)
            .collect();
        (!s.is_empty()).then_some((*v, s))
    }) else {
        return found;
    };
    let mut remaining: Vec<u16> = groups::GROUPS
        .iter()
        .filter(|g| g.kind == GroupKind::Ec)
        .map(|g| g.id)
        .collect();
    while !remaining.is_empty() {
        match ep
            .exchange(&hello_for(v, &ecdhe, &remaining, sni, false), false)
            .await
        {
            Ok(Reply::Hello(f)) => match f.ecdh_group() {
                Some(g) if remaining.contains(&g) => {
                    found.push(g);
                    remaining.retain(|x| *x != g);
                }
                _ => break,
            },
            _ => break,
        }
    }
    found
}

/// RFC 7507: a hello below the server's best version, carrying TLS_FALLBACK_SCSV, must be
/// refused with inappropriate_fallback.
async fn fallback_scsv(ep: &Endpoint, e: &Enumeration, sni: Option<&str>) -> Option<bool> {
    let accepted: Vec<Version> = [
        Version::Tls10,
        Version::Tls11,
        Version::Tls12,
        Version::Tls13,
    ]
    .into_iter()
    .filter(|v| e.versions.get(v).is_some_and(|f| f.accepted))
    .collect();
    if accepted.len() < 2 {
        return None;
    }
    let below = accepted[accepted.len() - 2];
    let suites = &e.versions.get(&below)?.suites;
    match ep
        .exchange(&hello_for(below, suites, &all_groups(), sni, true), false)
        .await
    {
        Ok(Reply::Alert { description, .. }) if description == alert::INAPPROPRIATE_FALLBACK => {
            Some(true)
        }
        Ok(Reply::Hello(_)) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_match_their_version() {
        let t13 = candidates(Version::Tls13);
        assert!(t13.contains(&0x1301) && t13.iter().all(|s| suites::by_id(*s).unwrap().is_tls13()));
        let t10 = candidates(Version::Tls10);
        assert!(t10.contains(&0x002F) && !t10.contains(&0xC02F) && !t10.contains(&0x1301));
        let t12 = candidates(Version::Tls12);
        assert!(t12.len() > 300);
        // ChaCha20 suites come last.
        let first_chacha = t12
            .iter()
            .position(|s| suites::by_id(*s).unwrap().cipher == Cipher::ChaCha20Poly1305)
            .unwrap();
        assert!(
            t12[first_chacha..]
                .iter()
                .all(|s| suites::by_id(*s).unwrap().cipher == Cipher::ChaCha20Poly1305)
        );
    }
}
