//! ROBOT, "Return Of Bleichenbacher's Oracle Threat" (Böck, Somorovsky, Young, USENIX
//! Security 2018; CVE-2017-13099 and the vendor CVEs), tested actively but safely. Only
//! when TLS 1.0–1.2 accepted RSA key-exchange suites (TLS_RSA_WITH_*): five connections,
//! one per ClientKeyExchange variant, each offering only those suites; the server's RSA
//! key comes from the leaf certificate of its flight, and a premaster block of the
//! modulus length is encrypted raw (m^e mod n): correctly padded, or broken in one way.
//! Each connection then sends ChangeCipherSpec and a Finished of random bytes (the "full
//! flow") and records the answer: an alert and what ended the connection, a close, a
//! reset, or silence. A patched server answers all five alike; differing answers are a
//! padding oracle, confirmed by a second run of all five (at most ten connections). An
//! inconsistent second run is not judged. Nothing is decrypted, nothing the server sends
//! is kept beyond the answer's shape. What does not belong here: hello writing (`hello`),
//! the choice of which endpoints run it and the facts (`mod.rs`).

use super::Protocols;
use super::connection::Endpoint;
use super::heartbleed::open_flight;
use super::hello;
use super::reader;
use super::suites::{self, Auth, Kex, Suite};
use super::version::Version;
use num_bigint::BigUint;
use rand::Rng;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The premaster secret's length (RFC 5246 §7.4.7.1).
const PREMASTER: usize = 48;
/// Modulus sizes handled, in bytes: 512 to 16384 bits (a larger key is refused, not
/// exponentiated).
const MIN_MODULUS: usize = 64;
const MAX_MODULUS: usize = 2048;
/// The premaster the misplaced separator leaves: 8 bytes short of 48.
const SHORT_PREMASTER: usize = PREMASTER - 8;
/// The random Finished record body (a multiple of every block size, longer than any MAC).
const FINISHED_LEN: usize = 64;

/// The ClientKeyExchange variants, each on its own connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// 00 02 <nonzero padding> 00 <client version, 46 random bytes>.
    Correct,
    /// The first two bytes are 41 17 instead of 00 02.
    WrongFirstBytes,
    /// The 00 separator sits 8 bytes late: the premaster is 40 bytes, not 48.
    MisplacedSeparator,
    /// No 00 byte after the 00 02 header at all.
    NoSeparator,
    /// Correct padding, but the premaster starts with version 02 02.
    WrongVersion,
}

impl Variant {
    pub const ALL: [Variant; 5] = [
        Variant::Correct,
        Variant::WrongFirstBytes,
        Variant::MisplacedSeparator,
        Variant::NoSeparator,
        Variant::WrongVersion,
    ];

    /// A few words for the notes.
    pub fn describe(self) -> &'static str {
        match self {
            Variant::Correct => "correct padding",
            Variant::WrongFirstBytes => "wrong first bytes (41 17)",
            Variant::MisplacedSeparator => "00 separator misplaced (40-byte premaster)",
            Variant::NoSeparator => "no 00 separator",
            Variant::WrongVersion => "wrong premaster version (02 02)",
        }
    }
}

/// Whether a suite uses plain RSA key exchange (the premaster encrypted to the
/// certificate's key): not RSA_PSK (another ClientKeyExchange), not the export suites
/// (a temporary key from ServerKeyExchange).
pub fn is_rsa_kx(s: &Suite) -> bool {
    s.kex == Kex::Rsa && s.auth == Auth::Rsa && !s.export
}

/// Where the test runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The best TLS 1.0–1.2 version that accepted RSA key exchange, and those suites.
    Run(Version, Vec<u16>),
    /// No TLS 1.0–1.2 version accepted an RSA key-exchange suite: no oracle to look for.
    NotApplicable,
    /// Cannot be told: what was seen.
    Unreadable(String),
}

/// Chooses the version and suites from what the enumeration found.
pub fn plan(p: &Protocols) -> Plan {
    let tls = [Version::Tls12, Version::Tls11, Version::Tls10];
    let rsa_suites = |v: Version| -> Vec<u16> {
        p.get(v)
            .cipher_suites
            .iter()
            .filter_map(|n| suites::by_name(n))
            .filter(|s| is_rsa_kx(s))
            .map(|s| s.id)
            .collect()
    };
    for v in tls {
        if p.get(v).accepted {
            let ids = rsa_suites(v);
            if !ids.is_empty() {
                return Plan::Run(v, ids);
            }
        }
    }
    if let Some((v, e)) = tls
        .iter()
        .find_map(|v| p.get(*v).error.as_ref().map(|e| (*v, e)))
    {
        return Plan::Unreadable(format!("{}: {e}", v.name()));
    }
    if p.ssl3.accepted && !rsa_suites(Version::Ssl3).is_empty() {
        return Plan::Unreadable(
            "not tested: RSA key exchange is accepted only with SSL 3.0".into(),
        );
    }
    Plan::NotApplicable
}

/// The server's RSA public key, from a DER certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaKey {
    pub n: BigUint,
    pub e: BigUint,
    /// The modulus length in bytes.
    pub len: usize,
}

impl RsaKey {
    /// From the modulus and exponent (big-endian, leading zeros allowed).
    pub fn new(modulus: &[u8], exponent: &[u8]) -> Result<Self, String> {
        let n = BigUint::from_bytes_be(modulus);
        let e = BigUint::from_bytes_be(exponent);
        let len = n.bits().div_ceil(8) as usize;
        if !(MIN_MODULUS..=MAX_MODULUS).contains(&len) {
            return Err(format!(
                "an RSA modulus of {} bits, outside the 512-16384 handled",
                n.bits()
            ));
        }
        if e < BigUint::from(3u8) || e >= n {
            return Err("an RSA public exponent that is not usable".into());
        }
        Ok(Self { n, e, len })
    }

    /// The key of a certificate's SubjectPublicKeyInfo.
    pub fn from_certificate(der: &[u8]) -> Result<Self, String> {
        use x509_parser::prelude::FromDer;
        use x509_parser::public_key::PublicKey;
        let (_, cert) = x509_parser::certificate::X509Certificate::from_der(der)
            .map_err(|_| "the leaf certificate could not be parsed".to_owned())?;
        match cert.public_key().parsed() {
            Ok(PublicKey::RSA(k)) => Self::new(k.modulus, k.exponent),
            Ok(_) => Err("the leaf certificate has no RSA key".into()),
            Err(_) => Err("the leaf certificate's public key could not be parsed".into()),
        }
    }

    /// Raw RSA: `block`^e mod n, left-padded to the modulus length.
    pub fn encrypt(&self, block: &[u8]) -> Vec<u8> {
        let c = BigUint::from_bytes_be(block)
            .modpow(&self.e, &self.n)
            .to_bytes_be();
        let mut out = vec![0u8; self.len.saturating_sub(c.len())];
        out.extend_from_slice(&c);
        out
    }
}

fn nonzero(rng: &mut impl Rng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.random_range(1..=255u8)).collect()
}

/// The plaintext block of `variant` for a modulus of `len` bytes (at least 64), with
/// `client_version` (the ClientHello's) in the premaster.
pub fn block(variant: Variant, len: usize, client_version: u16, rng: &mut impl Rng) -> Vec<u8> {
    let mut premaster = client_version.to_be_bytes().to_vec();
    let mut rest = vec![0u8; PREMASTER - 2];
    rng.fill(&mut rest[..]);
    premaster.extend_from_slice(&rest);
    let head: [u8; 2] = match variant {
        Variant::WrongFirstBytes => [0x41, 0x17],
        _ => [0x00, 0x02],
    };
    let mut b = head.to_vec();
    match variant {
        Variant::Correct | Variant::WrongFirstBytes | Variant::WrongVersion => {
            b.extend(nonzero(rng, len - 3 - PREMASTER));
            b.push(0);
            if variant == Variant::WrongVersion {
                premaster[..2].copy_from_slice(&[0x02, 0x02]);
            }
            b.extend_from_slice(&premaster);
        }
        Variant::MisplacedSeparator => {
            b.extend(nonzero(rng, len - 3 - SHORT_PREMASTER));
            b.push(0);
            b.extend_from_slice(&premaster[..SHORT_PREMASTER]);
        }
        Variant::NoSeparator => {
            b.extend(nonzero(rng, len - 3 - PREMASTER));
            b.push(rng.random_range(1..=255u8));
            b.extend_from_slice(&premaster[..2]);
            b.extend(nonzero(rng, PREMASTER - 2));
        }
    }
    premaster.fill(0);
    b
}

/// ClientKeyExchange (the encrypted premaster, RFC 5246 §7.4.7.1), ChangeCipherSpec and a
/// Finished record of random bytes, as records of `record_version`.
pub fn key_exchange_flight(encrypted: &[u8], record_version: u16, rng: &mut impl Rng) -> Vec<u8> {
    let v = record_version.to_be_bytes();
    let body_len = 2 + encrypted.len();
    let mut msg = vec![16];
    msg.extend_from_slice(&(body_len as u32).to_be_bytes()[1..]);
    msg.extend_from_slice(&(encrypted.len() as u16).to_be_bytes());
    msg.extend_from_slice(encrypted);
    let mut out = vec![22, v[0], v[1]];
    out.extend_from_slice(&(msg.len() as u16).to_be_bytes());
    out.extend_from_slice(&msg);
    out.extend_from_slice(&[20, v[0], v[1], 0, 1, 1]);
    let mut finished = [0u8; FINISHED_LEN];
    rng.fill(&mut finished[..]);
    out.extend_from_slice(&[22, v[0], v[1], 0, FINISHED_LEN as u8]);
    out.extend_from_slice(&finished);
    out
}

/// How a connection ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Closed,
    Reset,
    /// Still open when the timeout ran out.
    Silence,
}

/// What the server answered one variant with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A plaintext alert, then how the connection ended.
    Alert {
        level: u8,
        description: u8,
        then: End,
    },
    /// No alert, only the end.
    End(End),
    /// A record that is not a 2-byte alert (its content type and length).
    Record { typ: u8, len: usize },
}

impl Answer {
    /// The answer in words.
    pub fn describe(&self) -> String {
        let end = |e: End| match e {
            End::Closed => "a close",
            End::Reset => "a reset",
            End::Silence => "no close within the timeout",
        };
        match self {
            Answer::Alert {
                level,
                description,
                then,
            } => format!(
                "a{} {} alert then {}",
                if *level == 1 { " warning" } else { "" },
                reader::alert::name(*description),
                end(*then)
            ),
            Answer::End(End::Silence) => "no answer within the timeout".into(),
            Answer::End(e) => format!("{} without an alert", end(*e)),
            Answer::Record { typ, len } => format!("a record of type {typ} ({len} bytes)"),
        }
    }
}

/// What the test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every variant got the same answer.
    NotVulnerable { suite: u16, answer: Answer },
    /// The answers differ by variant, the same way on two runs: a padding oracle.
    Vulnerable {
        suite: u16,
        answers: Vec<(Variant, Answer)>,
    },
}

/// Whether the answers are not all the same.
pub fn differ(answers: &[Answer]) -> bool {
    answers.windows(2).any(|w| w[0] != w[1])
}

/// Judges two runs of the variants (in [`Variant::ALL`] order). The first run differed;
/// the oracle stands if the second gave every variant the same answer again. Err: the
/// runs disagree, with what was seen.
pub fn confirm(suite: u16, first: &[Answer], second: &[Answer]) -> Result<Verdict, String> {
    if first == second {
        return Ok(Verdict::Vulnerable {
            suite,
            answers: Variant::ALL.iter().copied().zip(first.to_vec()).collect(),
        });
    }
    Err(format!(
        "inconsistent answers with {}: the ClientKeyExchange variants got {} on a first run and {} on a second; not judged",
        suites::name_of(suite),
        list(first),
        list(second)
    ))
}

/// "[correct padding: X; wrong first bytes (41 17): Y; …]".
pub fn list(answers: &[Answer]) -> String {
    let parts: Vec<String> = Variant::ALL
        .iter()
        .zip(answers)
        .map(|(v, a)| format!("{}: {}", v.describe(), a.describe()))
        .collect();
    format!("[{}]", parts.join("; "))
}

/// Runs the test with `version` (TLS 1.0–1.2) offering only `suites` (RSA key exchange):
/// five connections, five more when the answers differ. Err: what was seen when the test
/// could not be judged.
pub async fn test(
    ep: &Endpoint,
    version: Version,
    suites: &[u16],
    sni: Option<&str>,
) -> Result<Verdict, String> {
    let hello = hello::legacy_test_hello(version, suites, sni);
    let (suite, first) = run(ep, version, &hello).await?;
    if !differ(&first) {
        return Ok(Verdict::NotVulnerable {
            suite,
            answer: first[0].clone(),
        });
    }
    let (_, second) = run(ep, version, &hello).await?;
    confirm(suite, &first, &second)
}

/// One run: every variant on its own connection, concurrently (under the endpoint's cap).
async fn run(ep: &Endpoint, version: Version, hello: &[u8]) -> Result<(u16, Vec<Answer>), String> {
    let [a, b, c, d, e] = Variant::ALL;
    let r = tokio::join!(
        one(ep, version, hello, a),
        one(ep, version, hello, b),
        one(ep, version, hello, c),
        one(ep, version, hello, d),
        one(ep, version, hello, e),
    );
    let mut suite = None;
    let mut answers = Vec::with_capacity(5);
    for x in [r.0, r.1, r.2, r.3, r.4] {
        let (s, answer) = x?;
        suite.get_or_insert(s);
        answers.push(answer);
    }
    Ok((suite.unwrap_or_default(), answers))
}

/// One connection: hello, the server's flight, the variant's key exchange, the answer.
async fn one(
    ep: &Endpoint,
    version: Version,
    hello: &[u8],
    variant: Variant,
) -> Result<(u16, Answer), String> {
    let (mut stream, _permit, flight) =
        open_flight(ep, hello, "the hello offering RSA key exchange").await?;
    let suite = flight.cipher;
    if !suites::by_id(suite).is_some_and(is_rsa_kx) {
        return Err(format!(
            "the server chose {}, not an RSA key-exchange suite that was offered",
            suites::name_of(suite)
        ));
    }
    if !(0x0301..=version.wire()).contains(&flight.version) {
        return Err(format!(
            "the server chose version 0x{:04x} for a {} hello",
            flight.version,
            version.name()
        ));
    }
    let leaf = flight
        .certificates
        .first()
        .ok_or_else(|| "the server sent no certificate with RSA key exchange".to_owned())?;
    let key = RsaKey::from_certificate(leaf)?;
    let bytes = {
        let mut rng = rand::rng();
        let mut b = block(variant, key.len, version.wire(), &mut rng);
        let encrypted = key.encrypt(&b);
        b.fill(0);
        key_exchange_flight(&encrypted, flight.version, &mut rng)
    };
    if stream.write_all(&bytes).await.is_err() {
        return Ok((suite, Answer::End(End::Reset)));
    }
    Ok((suite, answer(&mut stream, ep.timeout).await))
}

/// Reads the answer within `timeout`: the first record's shape and how the connection
/// ended. Bytes are looked at for their header and alert only.
async fn answer(stream: &mut tokio::net::TcpStream, timeout: std::time::Duration) -> Answer {
    let deadline = tokio::time::Instant::now() + timeout;
    let mut head: Vec<u8> = Vec::with_capacity(7);
    let mut alert: Option<(u8, u8)> = None;
    let mut chunk = [0u8; 4096];
    loop {
        let end = match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => Some(End::Silence),
            Ok(Ok(0)) => Some(End::Closed),
            Ok(Err(_)) => Some(End::Reset),
            Ok(Ok(n)) => {
                if alert.is_none() {
                    let want = 7 - head.len();
                    head.extend_from_slice(&chunk[..n.min(want)]);
                }
                chunk.fill(0);
                None
            }
        };
        if alert.is_none() && head.len() >= 5 {
            let typ = head[0];
            let len = u16::from_be_bytes([head[3], head[4]]) as usize;
            if typ != 21 || len != 2 {
                return Answer::Record { typ, len };
            }
            if head.len() >= 7 {
                alert = Some((head[5], head[6]));
            }
        }
        if let Some(end) = end {
            return match alert {
                Some((level, description)) => Answer::Alert {
                    level,
                    description,
                    then: end,
                },
                None => Answer::End(end),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn rng() -> rand::rngs::StdRng {
        rand::rngs::StdRng::seed_from_u64(7)
    }

    /// The index of the first 00 after the 2-byte header, if any.
    fn separator(b: &[u8]) -> Option<usize> {
        b[2..].iter().position(|&x| x == 0).map(|i| i + 2)
    }

    #[test]
    fn every_variant_is_the_modulus_length_and_broken_in_its_own_way() {
        for len in [64, 128, 256, 512] {
            for v in Variant::ALL {
                let b = block(v, len, 0x0303, &mut rng());
                assert_eq!(b.len(), len, "{v:?}");
                match v {
                    Variant::Correct => {
                        assert_eq!(&b[..2], &[0, 2]);
                        assert_eq!(separator(&b), Some(len - 49));
                        assert_eq!(&b[len - 48..len - 46], &[3, 3]);
                        assert!(len - 49 - 2 >= 8, "at least 8 bytes of padding");
                    }
                    Variant::WrongFirstBytes => {
                        assert_eq!(&b[..2], &[0x41, 0x17]);
                        assert_eq!(separator(&b), Some(len - 49));
                        assert_eq!(&b[len - 48..len - 46], &[3, 3]);
                    }
                    Variant::MisplacedSeparator => {
                        assert_eq!(&b[..2], &[0, 2]);
                        assert_eq!(separator(&b), Some(len - 41), "a 40-byte premaster");
                        assert_eq!(&b[len - 40..len - 38], &[3, 3]);
                    }
                    Variant::NoSeparator => {
                        assert_eq!(&b[..2], &[0, 2]);
                        assert_eq!(separator(&b), None);
                    }
                    Variant::WrongVersion => {
                        assert_eq!(&b[..2], &[0, 2]);
                        assert_eq!(separator(&b), Some(len - 49));
                        assert_eq!(&b[len - 48..len - 46], &[2, 2]);
                    }
                }
            }
        }
        let b = block(Variant::Correct, 128, 0x0301, &mut rng());
        assert_eq!(&b[128 - 48..128 - 46], &[3, 1], "the hello's version");
    }

    #[test]
    fn raw_encryption_is_textbook_rsa_left_padded() {
        // n = 61 * 53 = 3233 is below the handled sizes; build a key by hand.
        let key = RsaKey {
            n: BigUint::from(3233u32),
            e: BigUint::from(17u32),
            len: 2,
        };
        assert_eq!(key.encrypt(&[0, 65]), vec![0x0A, 0xE6]); // 65^17 mod 3233 = 2790
        assert_eq!(key.encrypt(&[0, 1]), vec![0, 1]);
        let small = [0x80u8; 32];
        assert!(RsaKey::new(&small, &[1, 0, 1]).is_err(), "256-bit modulus");
        let mut big = vec![0u8];
        big.extend([0xC5u8; 128]);
        let k = RsaKey::new(&big, &[1, 0, 1]).expect("1024-bit");
        assert_eq!(k.len, 128);
        assert!(RsaKey::new(&big, &[1]).is_err(), "e = 1");
    }

    #[test]
    fn the_key_exchange_flight_frames_three_records() {
        let enc = vec![0xAB; 256];
        let f = key_exchange_flight(&enc, 0x0303, &mut rng());
        assert_eq!(&f[..5], &[22, 3, 3, 0x01, 0x06]); // 4 + 2 + 256
        assert_eq!(&f[5..11], &[16, 0, 1, 2, 1, 0]);
        let ccs = 5 + 262;
        assert_eq!(&f[ccs..ccs + 6], &[20, 3, 3, 0, 1, 1]);
        assert_eq!(&f[ccs + 6..ccs + 11], &[22, 3, 3, 0, 64]);
        assert_eq!(f.len(), ccs + 11 + 64);
    }

    fn alert(d: u8, then: End) -> Answer {
        Answer::Alert {
            level: 2,
            description: d,
            then,
        }
    }

    #[test]
    fn the_oracle_is_differing_answers_seen_twice() {
        let same = vec![alert(20, End::Closed); 5];
        assert!(!differ(&same));
        let mut oracle = same.clone();
        oracle[1] = alert(40, End::Closed);
        assert!(differ(&oracle));
        let mut closes = same.clone();
        closes[3] = Answer::End(End::Closed);
        assert!(
            differ(&closes),
            "an alert then a close differs from a bare close"
        );
        let mut lingers = same.clone();
        lingers[2] = alert(20, End::Silence);
        assert!(
            differ(&lingers),
            "an alert left open differs from an alert and a close"
        );

        match confirm(0x002F, &oracle, &oracle) {
            Ok(Verdict::Vulnerable { suite, answers }) => {
                assert_eq!(suite, 0x002F);
                assert_eq!(
                    answers[1],
                    (Variant::WrongFirstBytes, alert(40, End::Closed))
                );
            }
            other => panic!("{other:?}"),
        }
        let seen = confirm(0x002F, &oracle, &same).expect_err("not judged");
        assert!(seen.contains("inconsistent answers"), "{seen}");
        assert!(seen.contains("wrong first bytes (41 17): a handshake_failure alert then a close"));
        assert!(confirm(0x002F, &oracle, &closes).is_err());
    }

    fn protocols(v: Version, names: &[&str]) -> Protocols {
        let mut p = Protocols::default();
        let r = p.get_mut(v);
        r.accepted = true;
        r.cipher_suites = names.iter().map(|s| s.to_string()).collect();
        p
    }

    #[test]
    fn only_plain_rsa_key_exchange_with_tls_1_0_to_1_2_runs() {
        let p = protocols(
            Version::Tls12,
            &[
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_PSK_WITH_AES_128_CBC_SHA",
                "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA",
            ],
        );
        assert_eq!(plan(&p), Plan::Run(Version::Tls12, vec![0x002F]));
        let ecdhe = protocols(Version::Tls12, &["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]);
        assert_eq!(plan(&ecdhe), Plan::NotApplicable);
        let mut tls13 = protocols(Version::Tls13, &["TLS_AES_128_GCM_SHA256"]);
        assert_eq!(plan(&tls13), Plan::NotApplicable);
        tls13.tls1_1.error = Some("no answer".into());
        assert!(matches!(plan(&tls13), Plan::Unreadable(s) if s.contains("TLSv1.1")));
        let ssl3 = protocols(Version::Ssl3, &["TLS_RSA_WITH_3DES_EDE_CBC_SHA"]);
        assert!(matches!(plan(&ssl3), Plan::Unreadable(s) if s.contains("SSL 3.0")));
        let old = protocols(Version::Tls10, &["TLS_RSA_WITH_RC4_128_SHA"]);
        assert_eq!(plan(&old), Plan::Run(Version::Tls10, vec![0x0005]));
    }
}
