//! ClientHello writer: the bytes of a hello that looks like a real client's, for any
//! version from SSL 2.0 to TLS 1.3, offering exactly the suites and groups the
//! enumerator asks for.
//!
//! A hello that does not look real gets wrong answers: without FFDHE groups in
//! supported_groups a GnuTLS server silently drops its DHE suites (sslyze's blind spot),
//! and without signature_algorithms a TLS 1.2 server may refuse ECDSA. So every TLS hello
//! carries SNI, supported_groups (EC and FFDHE), ec_point_formats, renegotiation_info,
//! extended_master_secret and status_request; TLS 1.2 and 1.3 add signature_algorithms
//! suited to the version; TLS 1.3 adds supported_versions, psk_key_exchange_modes and a
//! key_share. Hellos are padded (RFC 7685) out of the 256–511 byte range that hangs some
//! old load balancers. What does not belong here: reading replies (`reader`).

use super::groups;
use super::suites::TLS_EMPTY_RENEGOTIATION_INFO_SCSV;
use super::suites::TLS_FALLBACK_SCSV;
use super::version::Version;

/// Extension code points (IANA "TLS ExtensionType Values").
pub mod ext {
    pub const SERVER_NAME: u16 = 0x0000; // RFC 6066
    pub const STATUS_REQUEST: u16 = 0x0005; // RFC 6066 §8
    pub const SUPPORTED_GROUPS: u16 = 0x000A; // RFC 8422, RFC 7919
    pub const EC_POINT_FORMATS: u16 = 0x000B; // RFC 8422
    pub const SIGNATURE_ALGORITHMS: u16 = 0x000D; // RFC 5246, RFC 8446
    pub const PADDING: u16 = 0x0015; // RFC 7685
    pub const ENCRYPT_THEN_MAC: u16 = 0x0016; // RFC 7366
    pub const EXTENDED_MASTER_SECRET: u16 = 0x0017; // RFC 7627
    pub const SESSION_TICKET: u16 = 0x0023; // RFC 5077
    pub const SUPPORTED_VERSIONS: u16 = 0x002B; // RFC 8446
    pub const PSK_KEY_EXCHANGE_MODES: u16 = 0x002D; // RFC 8446
    pub const KEY_SHARE: u16 = 0x0033; // RFC 8446
    pub const RENEGOTIATION_INFO: u16 = 0xFF01; // RFC 5746
}

/// Signature schemes (IANA "TLS SignatureScheme"): what a TLS 1.3 client offers, modern first,
/// SHA-1 last as browsers do (so SHA-1 certificates are still served and can be judged).
#[rustfmt::skip]
const SIGALGS_TLS13: &[u16] = &[
    0x0403, 0x0503, 0x0603, // ecdsa_secp256r1_sha256, secp384r1_sha384, secp521r1_sha512
    0x0807, 0x0808,         // ed25519, ed448
    0x0804, 0x0805, 0x0806, // rsa_pss_rsae_sha256/384/512
    0x0809, 0x080A, 0x080B, // rsa_pss_pss_sha256/384/512
    0x0401, 0x0501, 0x0601, // rsa_pkcs1_sha256/384/512
    0x0203, 0x0201,         // ecdsa_sha1, rsa_pkcs1_sha1
];

/// TLS 1.2 adds the SHA-224 and DSA schemes (RFC 5246 §7.4.1.4.1 hash/signature pairs).
#[rustfmt::skip]
const SIGALGS_TLS12_EXTRA: &[u16] = &[
    0x0303, 0x0301, 0x0302, // ecdsa/rsa/dsa with SHA-224
    0x0402, 0x0502, 0x0602, // dsa with SHA-256/384/512
    0x0202,                 // dsa_sha1
];

/// SSL 2.0 cipher specs (three bytes each), for the detection-only SSLv2 hello.
#[rustfmt::skip]
const SSL2_CIPHER_SPECS: &[[u8; 3]] = &[
    [0x01, 0x00, 0x80], // SSL_CK_RC4_128_WITH_MD5
    [0x02, 0x00, 0x80], // SSL_CK_RC4_128_EXPORT40_WITH_MD5
    [0x03, 0x00, 0x80], // SSL_CK_RC2_128_CBC_WITH_MD5
    [0x04, 0x00, 0x80], // SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5
    [0x05, 0x00, 0x80], // SSL_CK_IDEA_128_CBC_WITH_MD5
    [0x06, 0x00, 0x40], // SSL_CK_DES_64_CBC_WITH_MD5
    [0x07, 0x00, 0xC0], // SSL_CK_DES_192_EDE3_CBC_WITH_MD5
];

/// What to put in one ClientHello.
#[derive(Debug, Clone, Default)]
pub struct Hello<'a> {
    /// The highest version offered (TLS 1.3 offers only 1.3 in supported_versions).
    pub version: Option<Version>,
    /// Cipher suites, in offer order.
    pub suites: &'a [u16],
    /// supported_groups, in offer order.
    pub groups: &'a [u16],
    /// Groups to send a key share for (TLS 1.3; only x25519 shares are generated, so
    /// anything else is left to a HelloRetryRequest).
    pub key_shares: &'a [u16],
    /// server_name (never an IP address, RFC 6066 §3).
    pub sni: Option<&'a str>,
    /// Add TLS_FALLBACK_SCSV (RFC 7507): "this is a downgraded retry".
    pub fallback_scsv: bool,
}

/// The hello of the active tests on TLS 1.0–1.2 (Heartbleed, CCS injection, ROBOT):
/// `version`, the given suites, every group, no key share, no fallback SCSV.
pub fn legacy_test_hello(version: Version, suites: &[u16], sni: Option<&str>) -> Vec<u8> {
    let all_groups: Vec<u16> = groups::GROUPS.iter().map(|g| g.id).collect();
    client_hello(&Hello {
        version: Some(version),
        suites,
        groups: &all_groups,
        key_shares: &[],
        sni,
        fallback_scsv: false,
    })
}

/// The record bytes of a ClientHello.
pub fn client_hello(h: &Hello<'_>) -> Vec<u8> {
    let version = h.version.unwrap_or(Version::Tls12);
    if version == Version::Ssl2 {
        return sslv2_client_hello();
    }
    let tls13 = version == Version::Tls13;
    let legacy_version = if tls13 {
        Version::Tls12.wire()
    } else {
        version.wire()
    };

    let mut body = Vec::with_capacity(1024);
    put_u16(&mut body, legacy_version);
    body.extend_from_slice(&rand::random::<[u8; 32]>());
    if tls13 {
        // A session id makes the hello look like a middlebox-compatible client (RFC 8446 D.4).
        body.push(32);
        body.extend_from_slice(&rand::random::<[u8; 32]>());
    } else {
        body.push(0);
    }
    let mut suites: Vec<u16> = h.suites.to_vec();
    if version == Version::Ssl3 {
        suites.push(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    }
    if h.fallback_scsv {
        suites.push(TLS_FALLBACK_SCSV);
    }
    put_u16(&mut body, (suites.len() * 2) as u16);
    for s in &suites {
        put_u16(&mut body, *s);
    }
    if tls13 {
        body.extend_from_slice(&[1, 0]); // null only (RFC 8446 §4.1.2)
    } else {
        body.extend_from_slice(&[2, 1, 0]); // DEFLATE, null: a server that picks DEFLATE allows CRIME
    }
    if version != Version::Ssl3 {
        let exts = extensions(h, version, body.len());
        put_u16(&mut body, exts.len() as u16);
        body.extend_from_slice(&exts);
    }

    let mut hs = Vec::with_capacity(body.len() + 4);
    hs.push(1); // client_hello
    put_u24(&mut hs, body.len());
    hs.extend_from_slice(&body);

    let mut rec = Vec::with_capacity(hs.len() + 5);
    rec.push(22); // handshake
    put_u16(
        &mut rec,
        if version == Version::Ssl3 {
            0x0300
        } else {
            0x0301
        },
    );
    put_u16(&mut rec, hs.len() as u16);
    rec.extend_from_slice(&hs);
    rec
}

/// An SSL 2.0 CLIENT-HELLO offering every SSL 2.0 cipher spec: detection only.
pub fn sslv2_client_hello() -> Vec<u8> {
    let challenge = rand::random::<[u8; 16]>();
    let mut msg = vec![1]; // CLIENT-HELLO
    put_u16(&mut msg, Version::Ssl2.wire());
    put_u16(&mut msg, (SSL2_CIPHER_SPECS.len() * 3) as u16);
    put_u16(&mut msg, 0); // session id length
    put_u16(&mut msg, challenge.len() as u16);
    for spec in SSL2_CIPHER_SPECS {
        msg.extend_from_slice(spec);
    }
    msg.extend_from_slice(&challenge);
    let mut rec = Vec::with_capacity(msg.len() + 2);
    put_u16(&mut rec, 0x8000 | msg.len() as u16);
    rec.extend_from_slice(&msg);
    rec
}

fn extensions(h: &Hello<'_>, version: Version, body_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    if let Some(name) = h.sni {
        let mut list = Vec::new();
        list.push(0); // host_name
        put_u16(&mut list, name.len() as u16);
        list.extend_from_slice(name.as_bytes());
        let mut b = Vec::new();
        put_u16(&mut b, list.len() as u16);
        b.extend_from_slice(&list);
        add(&mut out, ext::SERVER_NAME, &b);
    }
    add(&mut out, ext::EXTENDED_MASTER_SECRET, &[]);
    add(&mut out, ext::RENEGOTIATION_INFO, &[0]);
    add(&mut out, ext::SUPPORTED_GROUPS, &u16_list(h.groups));
    add(&mut out, ext::EC_POINT_FORMATS, &[1, 0]); // uncompressed
    add(&mut out, ext::SESSION_TICKET, &[]);
    add(&mut out, ext::STATUS_REQUEST, &[1, 0, 0, 0, 0]); // ocsp, no responder ids, no extensions
    if version >= Version::Tls12 {
        let mut algs = SIGALGS_TLS13.to_vec();
        if version == Version::Tls12 {
            algs.extend_from_slice(SIGALGS_TLS12_EXTRA);
        }
        add(&mut out, ext::SIGNATURE_ALGORITHMS, &u16_list(&algs));
    }
    if version <= Version::Tls12 {
        add(&mut out, ext::ENCRYPT_THEN_MAC, &[]);
    }
    if version == Version::Tls13 {
        add(&mut out, ext::SUPPORTED_VERSIONS, &[2, 0x03, 0x04]);
        add(&mut out, ext::PSK_KEY_EXCHANGE_MODES, &[1, 1]); // psk_dhe_ke
        let mut shares = Vec::new();
        for &group in h.key_shares {
            if group == groups::X25519 {
                put_u16(&mut shares, group);
                put_u16(&mut shares, 32);
                shares.extend_from_slice(&rand::random::<[u8; 32]>());
            }
        }
        let mut b = Vec::new();
        put_u16(&mut b, shares.len() as u16);
        b.extend_from_slice(&shares);
        add(&mut out, ext::KEY_SHARE, &b);
    }
    // RFC 7685 §4 / BoringSSL: a handshake message of 256..=511 bytes is padded to 512.
    let unpadded = 4 + body_len + 2 + out.len();
    if (256..512).contains(&unpadded) {
        let missing = 512 - unpadded;
        let pad = if missing >= 5 { missing - 4 } else { 1 };
        add(&mut out, ext::PADDING, &vec![0; pad]);
    }
    out
}

pub(super) fn add(out: &mut Vec<u8>, typ: u16, body: &[u8]) {
    put_u16(out, typ);
    put_u16(out, body.len() as u16);
    out.extend_from_slice(body);
}

pub(super) fn u16_list(items: &[u16]) -> Vec<u8> {
    let mut b = Vec::with_capacity(items.len() * 2 + 2);
    put_u16(&mut b, (items.len() * 2) as u16);
    for i in items {
        put_u16(&mut b, *i);
    }
    b
}

pub(super) fn put_u16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_be_bytes());
}

pub(super) fn put_u24(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u32).to_be_bytes()[1..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello(version: Version, suites: &[u16]) -> Vec<u8> {
        client_hello(&Hello {
            version: Some(version),
            suites,
            groups: &[0x001D, 0x0017, 0x0100],
            key_shares: &[groups::X25519],
            sni: Some("mm.example.com"),
            fallback_scsv: false,
        })
    }

    #[test]
    fn tls12_hello_has_record_and_handshake_framing() {
        let b = hello(Version::Tls12, &[0xC02F, 0x009E]);
        assert_eq!(b[0], 22);
        assert_eq!(u16::from_be_bytes([b[1], b[2]]), 0x0301);
        assert_eq!(u16::from_be_bytes([b[3], b[4]]) as usize, b.len() - 5);
        assert_eq!(b[5], 1);
        let hs_len = u32::from_be_bytes([0, b[6], b[7], b[8]]) as usize;
        assert_eq!(hs_len, b.len() - 9);
        assert_eq!(u16::from_be_bytes([b[9], b[10]]), 0x0303);
        // Parses as a ClientHello with the offered suites.
        let (_, msg) = tls_parser::parse_tls_plaintext(&b).expect("parses");
        match &msg.msg[0] {
            tls_parser::TlsMessage::Handshake(tls_parser::TlsMessageHandshake::ClientHello(ch)) => {
                let ids: Vec<u16> = ch.ciphers.iter().map(|c| c.0).collect();
                assert_eq!(ids, vec![0xC02F, 0x009E]);
            }
            other => panic!("not a ClientHello: {other:?}"),
        }
    }

    #[test]
    fn hellos_avoid_the_256_to_511_byte_range() {
        for n in 1..200 {
            let suites: Vec<u16> = (0..n).collect();
            let b = hello(Version::Tls12, &suites);
            let hs = b.len() - 5;
            assert!(
                !(256..512).contains(&hs),
                "{n} suites gave a {hs}-byte hello"
            );
        }
    }

    #[test]
    fn tls13_hello_offers_only_tls13_and_an_x25519_share() {
        let b = hello(Version::Tls13, &[0x1301]);
        let needle = [0x00, 0x2B, 0x00, 0x03, 0x02, 0x03, 0x04];
        assert!(b.windows(needle.len()).any(|w| w == needle));
        let share = [0x00, 0x33, 0x00, 0x26, 0x00, 0x24, 0x00, 0x1D, 0x00, 0x20];
        assert!(b.windows(share.len()).any(|w| w == share));
    }

    #[test]
    fn sslv3_hello_has_no_extensions_and_the_renegotiation_scsv() {
        let b = hello(Version::Ssl3, &[0x002F]);
        assert_eq!(u16::from_be_bytes([b[1], b[2]]), 0x0300);
        // body: version(2) random(32) sid(1) suites(2+4) compression(3) and nothing else
        assert_eq!(b.len(), 5 + 4 + 2 + 32 + 1 + 2 + 4 + 3);
        assert_eq!(&b[b.len() - 7..b.len() - 3], &[0x00, 0x2F, 0x00, 0xFF]);
    }

    #[test]
    fn sslv2_hello_shape() {
        let b = sslv2_client_hello();
        assert_eq!(b[0] & 0x80, 0x80);
        assert_eq!(((b[0] as usize & 0x7F) << 8) | b[1] as usize, b.len() - 2);
        assert_eq!(b[2], 1);
        assert_eq!(&b[3..5], &[0x00, 0x02]);
    }
}
