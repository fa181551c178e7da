//! Enumeration: which versions, suites and groups a server accepts, found with as few
//! handshakes as the answer allows.
//!
//! Per version: offer every candidate suite of the registry, record the one the server
//! picks, remove it, offer the rest, until the server refuses (see docs/tls.md:
//! A + 1 handshakes per version instead of one per suite). If a server drops a hello that
//! large, the candidates are split into bundles of [`BUNDLE`] and each bundle is chained.
//! Versions run concurrently under the endpoint's connection cap.
//!
//! Order, per version (TLS 1.3 included, each version tested on its own): offers lead
//! with AES-GCM and keep ChaCha20 last, so a server that adapts its order to the client
//! (Go's crypto/tls prefers ChaCha20 for clients that list it first, taking them for
//! clients without AES hardware; OpenSSL's PrioritizeChaCha) shows the order AES-capable
//! clients get. Picks out of offer order prove the server imposes its order; otherwise
//! one permutation decides: the chain's first pick moved last, an AES-GCM suite in front
//! (a rejected one as a decoy when needed), which no client-preference server answers
//! with the moved suite. Where the server imposes its order and accepts ChaCha20 below
//! its first choice, one more hello with ChaCha20 first says whether its choice depends
//! on the offer. At most two handshakes per version beyond the chain.
//! Groups come from TLS 1.3 HelloRetryRequests (no key share sent, so the server must
//! name its choice) or, without TLS 1.3, from ECDHE ServerKeyExchanges; FFDHE groups over
//! TLS ≤ 1.2 from DHE ServerKeyExchanges whose prime is an RFC 7919 group.

use super::connection::{Endpoint, ProbeError};
use super::groups::{self, GroupKind};
use super::hello::{self, Hello, ext};
use super::reader::{Reply, ServerFlight, alert};
use super::suites::{self, Cipher, Kex, Mode, Suite};
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
    /// The server imposes its order, yet picks ChaCha20 when the client lists it first
    /// (None: not tested: no ChaCha20 below the first choice, or client order).
    pub order_depends_on_offer: Option<bool>,
    /// Why the answer could not be determined (the version is then not reported as a fact).
    pub error: Option<String>,
}

/// Everything enumeration learnt.
#[derive(Debug, Clone, Default)]
pub struct Enumeration {
    pub versions: BTreeMap<Version, VersionFinding>,
    pub groups: Vec<u16>,
    /// RFC 7919 FFDHE groups negotiated over TLS ≤ 1.2 DHE, in the server's order.
    pub ffdhe_groups: Vec<u16>,
    pub dhe_min_bits: Option<u32>,
    pub secure_renegotiation: Option<bool>,
    pub extended_master_secret: Option<bool>,
    pub compression: Option<bool>,
    pub ocsp_stapling: Option<bool>,
    pub fallback_scsv: Option<bool>,
    /// Why the fallback-SCSV answer could not be read (the server answered, but not in a
    /// way that says yes or no).
    pub fallback_scsv_unreadable: Option<String>,
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

/// Candidate suites for `v`, in offer order: AES-GCM first (a client with AES hardware,
/// to Go's heuristic), then the rest in registry order, ChaCha20 last so a server's
/// "prioritize ChaCha when the client prefers it" rule never fires.
pub fn candidates(v: Version) -> Vec<u16> {
    let fits = |s: &&Suite| {
        if v == Version::Tls13 {
            s.is_tls13()
        } else {
            !s.is_tls13() && s.min_version() <= v
        }
    };
    let (rest, chacha): (Vec<&Suite>, Vec<&Suite>) = suites::REGISTRY
        .iter()
        .filter(fits)
        .partition(|s| s.cipher != Cipher::ChaCha20Poly1305);
    let (mut first, others): (Vec<&Suite>, Vec<&Suite>) =
        rest.into_iter().partition(|s| is_aes_gcm(s.id));
    // ECDHE (or TLS 1.3) AES-GCM first: those are what Go counts as an AES preference.
    first.sort_by_key(|s| !leads_as_aes(s.id));
    first.extend(others);
    first.extend(chacha);
    first.into_iter().map(|s| s.id).collect()
}

/// An AES-GCM suite.
fn is_aes_gcm(id: u16) -> bool {
    suites::by_id(id).is_some_and(|s| s.cipher == Cipher::Aes && s.mode == Mode::Gcm)
}

/// An AES-GCM suite Go's crypto/tls takes, when listed first, as the sign of a client
/// with AES hardware (its `aesgcmCiphers`: ECDHE or TLS 1.3 AES-GCM).
fn leads_as_aes(id: u16) -> bool {
    suites::by_id(id).is_some_and(|s| is_aes_gcm(id) && (s.is_tls13() || s.kex == Kex::Ecdhe))
}

fn is_chacha(id: u16) -> bool {
    suites::by_id(id).is_some_and(|s| s.cipher == Cipher::ChaCha20Poly1305)
}

/// AES-GCM suites every AES-GCM-aware stack knows (Go's among them), most common first:
/// the decoys an order permutation may lead with.
const AES_GCM_DECOYS: [u16; 6] = [0x1301, 0x1302, 0xC02F, 0xC02B, 0xC030, 0xC02C];

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

    // Server order, every version on its own (see the module doc).
    let mut order_jobs: Vec<(Version, Vec<u16>)> = Vec::new();
    for (v, f) in out.versions.iter_mut() {
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
        } else {
            order_jobs.push((*v, f.suites.clone()));
        }
    }
    let orders = join_all(order_jobs.iter().map(|(v, s)| server_order(ep, *v, s, sni))).await;
    for ((v, _), order) in order_jobs.iter().zip(orders) {
        if let Some(f) = out.versions.get_mut(v) {
            f.server_order = order;
        }
    }
    let chacha_jobs: Vec<(Version, Vec<u16>)> = out
        .versions
        .iter()
        .filter(|(_, f)| {
            f.server_order == Some(true) && f.suites.iter().skip(1).any(|s| is_chacha(*s))
        })
        .map(|(v, f)| (*v, f.suites.clone()))
        .collect();
    let adapts = join_all(
        chacha_jobs
            .iter()
            .map(|(v, s)| chacha_first(ep, *v, s, sni)),
    )
    .await;
    for ((v, _), a) in chacha_jobs.iter().zip(adapts) {
        if let Some(f) = out.versions.get_mut(v) {
            f.order_depends_on_offer = a;
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

    let (groups, ffdhe, fallback) = tokio::join!(
        enumerate_groups(ep, &out, &all_flights, sni),
        enumerate_ffdhe(ep, &all_flights, sni),
        fallback_scsv(ep, &out, sni)
    );
    out.groups = groups;
    out.ffdhe_groups = ffdhe.0;
    out.notes.extend(ffdhe.1);
    match fallback {
        Ok(answer) => out.fallback_scsv = answer,
        Err(seen) => out.fallback_scsv_unreadable = Some(seen),
    }
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

/// The permutation that decides the order when the chain's picks followed the offer:
/// the first pick moved last, AES-GCM suites leading the rest, and a rejected AES-GCM
/// decoy in front when no accepted one can lead (so an AES-heuristic server keeps its
/// AES order). A client-order server answers with the first accepted suite of it; a
/// server-order server with the moved suite.
pub fn order_permutation(found: &[u16]) -> Vec<u16> {
    let Some((first, rest)) = found.split_first() else {
        return Vec::new();
    };
    let (mut out, others): (Vec<u16>, Vec<u16>) = rest.iter().partition(|s| leads_as_aes(**s));
    let tls13 = |id: u16| suites::by_id(id).is_some_and(Suite::is_tls13);
    if out.is_empty()
        && others.iter().any(|s| is_chacha(*s))
        && let Some(decoy) = AES_GCM_DECOYS
            .iter()
            .find(|d| !found.contains(d) && tls13(**d) == tls13(*first))
    {
        out.push(*decoy);
    }
    out.extend(others);
    out.push(*first);
    out
}

/// Offers [`order_permutation`]: the chain's first pick again means the server imposes
/// its order (and the chain order is that order); the first accepted suite of the
/// permutation means the client's order is followed.
async fn server_order(ep: &Endpoint, v: Version, found: &[u16], sni: Option<&str>) -> Option<bool> {
    let offer = order_permutation(found);
    let client_pick = offer.iter().find(|s| found.contains(s)).copied();
    match ep
        .exchange(&hello_for(v, &offer, &all_groups(), sni, false), false)
        .await
    {
        Ok(Reply::Hello(f)) if f.cipher == found[0] => Some(true),
        Ok(Reply::Hello(f)) if Some(f.cipher) == client_pick => Some(false),
        _ => None,
    }
}

/// Offers the server's order with its ChaCha20 suite moved first: ChaCha20 chosen means the
/// server's choice depends on the offer (it prefers ChaCha20 for clients that do).
///
/// One probe is enough for Go, the server this exists for: crypto/tls (Go's
/// `src/crypto/tls/cipher_suites.go`, `aesgcmPreferred` and
/// `cipherSuitesPreferenceOrderNoAES`) switches to its "no AES hardware" order when the
/// client's first known suite is not AES-GCM, and that order differs from the default only
/// in putting the ChaCha20 suites ahead of AES-GCM. A server with no ChaCha20 suite
/// accepted therefore has one order whatever the offer, and is not probed.
async fn chacha_first(ep: &Endpoint, v: Version, order: &[u16], sni: Option<&str>) -> Option<bool> {
    let chacha = *order.iter().find(|s| is_chacha(**s))?;
    let mut offer = vec![chacha];
    offer.extend(order.iter().filter(|s| **s != chacha));
    match ep
        .exchange(&hello_for(v, &offer, &all_groups(), sni, false), false)
        .await
    {
        Ok(Reply::Hello(f)) if f.cipher == chacha => Some(true),
        Ok(Reply::Hello(f)) if f.cipher == order[0] => Some(false),
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

/// FFDHE groups over TLS ≤ 1.2 (RFC 7919): DHE suites offered with only the remaining
/// FFDHE groups, the group read back from the ServerKeyExchange prime, removed, repeated.
/// A server whose prime follows no offered group does not negotiate RFC 7919 groups (its
/// DH parameters are fixed): said in a note, and nothing is listed.
async fn enumerate_ffdhe(
    ep: &Endpoint,
    flights: &[(Version, Flights)],
    sni: Option<&str>,
) -> (Vec<u16>, Option<String>) {
    let Some((v, dhe, first_prime)) = flights.iter().rev().find_map(|(v, fl)| {
        let dhe: Vec<(u16, &ServerFlight)> = fl
            .iter()
            .filter(|(s, _)| suites::by_id(*s).is_some_and(|s| s.kex == Kex::Dhe))
            .map(|(s, f)| (*s, f.as_ref()))
            .collect();
        let first = dhe.first().map(|(_, f)| f.ffdhe_group());
        (*v != Version::Tls13 && !dhe.is_empty()).then(|| {
            (
                *v,
                dhe.iter().map(|(s, _)| *s).collect::<Vec<u16>>(),
                first.flatten(),
            )
        })
    }) else {
        return (Vec::new(), None);
    };
    let mut remaining: Vec<u16> = groups::GROUPS
        .iter()
        .filter(|g| g.kind == GroupKind::Ff)
        .map(|g| g.id)
        .collect();
    if first_prime.is_none() {
        return (
            Vec::new(),
            Some(format!(
                "{}: the DHE prime is not an RFC 7919 group although ffdhe groups were offered: the server's DH parameters are fixed, not negotiated",
                v.name()
            )),
        );
    }
    let mut found = Vec::new();
    while !remaining.is_empty() {
        match ep
            .exchange(&hello_for(v, &dhe, &remaining, sni, false), false)
            .await
        {
            Ok(Reply::Hello(f)) => match f.ffdhe_group() {
                Some(g) if remaining.contains(&g) => {
                    found.push(g);
                    remaining.retain(|x| *x != g);
                }
                _ => break,
            },
            _ => break,
        }
    }
    (found, None)
}

/// RFC 7507: a hello below the server's best version, carrying TLS_FALLBACK_SCSV, must be
/// refused with inappropriate_fallback. `Ok(None)`: not applicable (one version only);
/// `Err`: the answer says neither yes nor no (another alert, a close without an alert —
/// Samba as an AD DC does that —, a broken connection), with what was seen.
async fn fallback_scsv(
    ep: &Endpoint,
    e: &Enumeration,
    sni: Option<&str>,
) -> Result<Option<bool>, String> {
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
        return Ok(None);
    }
    let below = accepted[accepted.len() - 2];
    let Some(found) = e.versions.get(&below) else {
        return Ok(None);
    };
    let what = format!(
        "a {} hello carrying TLS_FALLBACK_SCSV was answered with",
        below.name()
    );
    match ep
        .exchange(
            &hello_for(below, &found.suites, &all_groups(), sni, true),
            false,
        )
        .await
    {
        Ok(Reply::Alert { description, .. }) if description == alert::INAPPROPRIATE_FALLBACK => {
            Ok(Some(true))
        }
        Ok(Reply::Hello(_)) => Ok(Some(false)),
        Ok(Reply::Alert { description, .. }) => Err(format!(
            "{what} a {} alert, not inappropriate_fallback",
            alert::name(description)
        )),
        Ok(Reply::Closed) => Err(format!("{what} a close without any alert")),
        Ok(Reply::Ssl2Hello) => Err(format!("{what} an SSL 2.0 hello")),
        Err(err) => Err(format!("{what} {err}")),
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
        // AES-GCM leads (Go takes the first suite it knows as the client's preference).
        assert!(leads_as_aes(t12[0]) && leads_as_aes(candidates(Version::Tls13)[0]));
    }

    #[test]
    fn permutations_cannot_be_mistaken_for_a_client_preference() {
        // Go's TLS 1.3 order; the moved suite goes last, an AES-GCM suite leads.
        assert_eq!(
            order_permutation(&[0x1301, 0x1302, 0x1303]),
            vec![0x1302, 0x1303, 0x1301]
        );
        // Only ChaCha20 could lead: a rejected AES-GCM decoy keeps Go on its AES order.
        assert_eq!(
            order_permutation(&[0x1301, 0x1303]),
            vec![0x1302, 0x1303, 0x1301]
        );
        // TLS 1.2 decoys are TLS 1.2 suites.
        assert_eq!(
            order_permutation(&[0xC02F, 0xCCA8]),
            vec![0xC02B, 0xCCA8, 0xC02F]
        );
        // No ChaCha20 in front: no decoy.
        assert_eq!(order_permutation(&[0x002F, 0x0035]), vec![0x0035, 0x002F]);
    }
}
