//! Record and ServerHello reader: turns the bytes a server sent in answer to one of our
//! hellos into a [`Reply`], or a clear [`ReadError`] when the peer is not speaking TLS.
//!
//! It is a pure function over the bytes received so far ([`read_flight`]), so the network
//! loop only appends and asks again, and arbitrary input can be fed to it in property tests.
//! Records are framed here and handshake messages reassembled across records; the
//! messages themselves are parsed with `tls-parser`. Everything is bounded: a record
//! larger than RFC 8446 §5.1 allows, a handshake message over [`MAX_HANDSHAKE_MESSAGE`]
//! or a flight over [`MAX_FLIGHT`] is an error, not an allocation.

use thiserror::Error;

/// Largest handshake message accepted (a certificate chain of a dozen large certificates
/// fits comfortably; a hostile multi-megabyte chain does not).
pub const MAX_HANDSHAKE_MESSAGE: usize = 128 * 1024;
/// Largest flight (all bytes up to ServerHelloDone) accepted.
pub const MAX_FLIGHT: usize = 256 * 1024;
/// TLSPlaintext/TLSCiphertext length limit: 2^14 + 2048 (RFC 5246 §6.2.3).
const MAX_RECORD: usize = 16384 + 2048;

/// Record content types (RFC 8446 §5.1).
const CHANGE_CIPHER_SPEC: u8 = 20;
const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const APPLICATION_DATA: u8 = 23;

/// Handshake types (RFC 8446 §4, RFC 6066 §8).
const SERVER_HELLO: u8 = 2;
const CERTIFICATE: u8 = 11;
const SERVER_KEY_EXCHANGE: u8 = 12;
const SERVER_HELLO_DONE: u8 = 14;
const CERTIFICATE_STATUS: u8 = 22;

/// The ServerHello.random of a HelloRetryRequest: SHA-256("HelloRetryRequest") (RFC 8446 §4.1.3).
pub const HELLO_RETRY_RANDOM: [u8; 32] = [
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
];

/// Alert descriptions that matter to the enumerator (RFC 8446 §6, RFC 7507).
pub mod alert {
    pub const HANDSHAKE_FAILURE: u8 = 40;
    pub const PROTOCOL_VERSION: u8 = 70;
    pub const INSUFFICIENT_SECURITY: u8 = 71;
    pub const INAPPROPRIATE_FALLBACK: u8 = 86;

    /// The RFC name of an alert description.
    pub fn name(d: u8) -> String {
        let n = match d {
            0 => "close_notify",
            10 => "unexpected_message",
            20 => "bad_record_mac",
            22 => "record_overflow",
            40 => "handshake_failure",
            42 => "bad_certificate",
            47 => "illegal_parameter",
            50 => "decode_error",
            51 => "decrypt_error",
            70 => "protocol_version",
            71 => "insufficient_security",
            80 => "internal_error",
            86 => "inappropriate_fallback",
            90 => "user_canceled",
            109 => "missing_extension",
            110 => "unsupported_extension",
            112 => "unrecognized_name",
            120 => "no_application_protocol",
            _ => return format!("alert {d}"),
        };
        n.to_owned()
    }
}

/// What the server answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A ServerHello (or HelloRetryRequest) and what followed it.
    Hello(Box<ServerFlight>),
    /// An alert before any ServerHello.
    Alert { level: u8, description: u8 },
    /// An SSL 2.0 SERVER-HELLO.
    Ssl2Hello,
    /// The connection closed cleanly before any byte arrived.
    Closed,
}

/// The server's first flight, up to ServerHelloDone (TLS ≤ 1.2) or the ServerHello (1.3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerFlight {
    /// The negotiated version: supported_versions when present, else legacy_version.
    pub version: u16,
    pub cipher: u16,
    pub compression: u8,
    /// A TLS 1.3 HelloRetryRequest rather than a ServerHello.
    pub hello_retry: bool,
    /// Extension types present in the ServerHello, in order.
    pub extensions: Vec<u16>,
    /// The key_share group (TLS 1.3 ServerHello) or selected_group (HelloRetryRequest).
    pub key_share_group: Option<u16>,
    /// DER certificates of the Certificate message (TLS ≤ 1.2), leaf first.
    pub certificates: Vec<Vec<u8>>,
    /// ServerKeyExchange params, raw.
    pub server_key_exchange: Option<Vec<u8>>,
    /// A CertificateStatus (stapled OCSP) message was sent.
    pub stapled_ocsp: bool,
    /// ServerHelloDone was seen.
    pub complete: bool,
}

impl ServerFlight {
    /// Whether the ServerHello carried this extension type.
    pub fn has_extension(&self, typ: u16) -> bool {
        self.extensions.contains(&typ)
    }

    /// Finite-field DH modulus size from a DHE ServerKeyExchange (RFC 5246 §7.4.3).
    pub fn dh_bits(&self) -> Option<u32> {
        let ske = self.server_key_exchange.as_deref()?;
        let (_, params) = tls_parser::parse_dh_params(ske).ok()?;
        let p = params.dh_p;
        let lead = p.iter().position(|&b| b != 0)?;
        let first = p[lead];
        Some(((p.len() - lead - 1) * 8) as u32 + (8 - first.leading_zeros()))
    }

    /// The RFC 7919 group of a DHE ServerKeyExchange, when its prime is one: the ffdhe
    /// primes are all ones in their top and bottom 64 bits with the binary expansion of e
    /// (0xADF85458A2BB4A9A…) right below the top, and their size names the group. (RFC 3526
    /// MODP primes carry pi there instead; other primes neither.) None for any other prime.
    pub fn ffdhe_group(&self) -> Option<u16> {
        const E_PREFIX: [u8; 8] = [0xAD, 0xF8, 0x54, 0x58, 0xA2, 0xBB, 0x4A, 0x9A];
        let ske = self.server_key_exchange.as_deref()?;
        let (_, params) = tls_parser::parse_dh_params(ske).ok()?;
        let p = params.dh_p;
        let lead = p.iter().position(|&b| b != 0)?;
        let p = &p[lead..];
        if p.len() < 24
            || p[..8] != [0xFF; 8]
            || p[8..16] != E_PREFIX
            || p[p.len() - 8..] != [0xFF; 8]
        {
            return None;
        }
        match p.len() * 8 {
            2048 => Some(0x0100),
            3072 => Some(0x0101),
            4096 => Some(0x0102),
            6144 => Some(0x0103),
            8192 => Some(0x0104),
            _ => None,
        }
    }

    /// The named curve of an ECDHE ServerKeyExchange (RFC 8422 §5.4: curve_type 3 = named_curve).
    pub fn ecdh_group(&self) -> Option<u16> {
        match self.server_key_exchange.as_deref()? {
            [3, hi, lo, ..] => Some(u16::from_be_bytes([*hi, *lo])),
            _ => None,
        }
    }
}

/// Why the bytes are not an acceptable answer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReadError {
    #[error("the peer answered with plain HTTP, not TLS (is this an http:// port?)")]
    PlainHttp,
    #[error("the peer sent bytes that are not TLS (first bytes: {first})")]
    NotTls { first: String },
    #[error("{what} of {size} bytes exceeds the {limit}-byte limit")]
    TooLarge {
        what: &'static str,
        size: usize,
        limit: usize,
    },
    #[error("malformed TLS reply: {0}")]
    Malformed(String),
    #[error("the connection closed in the middle of a TLS record (truncated reply)")]
    Truncated,
}

/// Where reading stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// More bytes are needed.
    NeedMore,
    Done(Reply),
}

/// Reads the reply from the bytes received so far. `sslv2` says the hello was SSL 2.0;
/// `eof` that the peer has closed (so a partial reply is final).
pub fn read_flight(bytes: &[u8], sslv2: bool, eof: bool) -> Result<Progress, ReadError> {
    if bytes.is_empty() {
        return Ok(if eof {
            Progress::Done(Reply::Closed)
        } else {
            Progress::NeedMore
        });
    }
    if sslv2 && bytes[0] & 0x80 != 0 {
        // SSL 2.0 record: 2-byte header with the high bit set, then SERVER-HELLO (4).
        return match bytes.get(2) {
            None if eof => Err(ReadError::Truncated),
            None => Ok(Progress::NeedMore),
            Some(4) => Ok(Progress::Done(Reply::Ssl2Hello)),
            Some(t) => Err(ReadError::Malformed(format!(
                "SSLv2 message type {t} instead of SERVER-HELLO"
            ))),
        };
    }
    if !(CHANGE_CIPHER_SPEC..=APPLICATION_DATA).contains(&bytes[0]) {
        if !eof && bytes.len() < 4 && b"HTTP".starts_with(bytes) {
            return Ok(Progress::NeedMore);
        }
        return Err(not_tls(bytes));
    }

    let mut pos = 0;
    let mut hs: Vec<u8> = Vec::new();
    let mut hs_pos = 0;
    let mut flight: Option<ServerFlight> = None;
    loop {
        let rest = &bytes[pos..];
        if rest.len() < 5 {
            if !rest.is_empty() && !(CHANGE_CIPHER_SPEC..=APPLICATION_DATA).contains(&rest[0]) {
                return Err(not_tls(rest));
            }
            return at_end(flight, eof, !rest.is_empty() || hs_pos < hs.len());
        }
        let typ = rest[0];
        if !(CHANGE_CIPHER_SPEC..=APPLICATION_DATA).contains(&typ) || rest[1] != 3 {
            return Err(not_tls(rest));
        }
        let len = u16::from_be_bytes([rest[3], rest[4]]) as usize;
        if len > MAX_RECORD {
            return Err(ReadError::Malformed(format!(
                "record of {len} bytes exceeds 2^14+2048 (RFC 5246 §6.2.3)"
            )));
        }
        if pos + 5 + len > MAX_FLIGHT {
            return Err(ReadError::TooLarge {
                what: "server flight",
                size: pos + 5 + len,
                limit: MAX_FLIGHT,
            });
        }
        if rest.len() < 5 + len {
            return at_end(flight, eof, true);
        }
        let frag = &rest[5..5 + len];
        pos += 5 + len;
        match typ {
            ALERT => {
                if frag.len() < 2 {
                    return Err(ReadError::Malformed(
                        "alert record shorter than 2 bytes".into(),
                    ));
                }
                return Ok(Progress::Done(match flight {
                    Some(f) => Reply::Hello(Box::new(f)),
                    None => Reply::Alert {
                        level: frag[0],
                        description: frag[1],
                    },
                }));
            }
            HANDSHAKE => {
                hs.extend_from_slice(frag);
                while hs.len() - hs_pos >= 4 {
                    let t = hs[hs_pos];
                    let l = u32::from_be_bytes([0, hs[hs_pos + 1], hs[hs_pos + 2], hs[hs_pos + 3]])
                        as usize;
                    if l > MAX_HANDSHAKE_MESSAGE {
                        return Err(ReadError::TooLarge {
                            what: if t == CERTIFICATE {
                                "certificate chain"
                            } else {
                                "handshake message"
                            },
                            size: l,
                            limit: MAX_HANDSHAKE_MESSAGE,
                        });
                    }
                    if hs.len() - hs_pos < 4 + l {
                        break;
                    }
                    let msg = &hs[hs_pos..hs_pos + 4 + l];
                    hs_pos += 4 + l;
                    match flight.as_mut() {
                        None => {
                            if t != SERVER_HELLO {
                                return Err(ReadError::Malformed(format!(
                                    "handshake message type {t} where a ServerHello was expected"
                                )));
                            }
                            let f = server_hello(&msg[4..])?;
                            let done = f.hello_retry || f.version == 0x0304;
                            flight = Some(f);
                            if done {
                                return Ok(Progress::Done(Reply::Hello(Box::new(
                                    flight.take().unwrap_or_default(),
                                ))));
                            }
                        }
                        Some(f) => match t {
                            CERTIFICATE => {
                                if let Ok((
                                    _,
                                    tls_parser::TlsMessage::Handshake(
                                        tls_parser::TlsMessageHandshake::Certificate(c),
                                    ),
                                )) = tls_parser::parse_tls_message_handshake(msg)
                                {
                                    f.certificates =
                                        c.cert_chain.iter().map(|c| c.data.to_vec()).collect();
                                } else {
                                    return Err(ReadError::Malformed(
                                        "unparsable Certificate message".into(),
                                    ));
                                }
                            }
                            SERVER_KEY_EXCHANGE => f.server_key_exchange = Some(msg[4..].to_vec()),
                            CERTIFICATE_STATUS => f.stapled_ocsp = true,
                            SERVER_HELLO_DONE => {
                                f.complete = true;
                                return Ok(Progress::Done(Reply::Hello(Box::new(
                                    flight.take().unwrap_or_default(),
                                ))));
                            }
                            _ => {}
                        },
                    }
                }
            }
            // A ChangeCipherSpec or encrypted data after the ServerHello ends the plaintext part
            // (session resumption, or TLS 1.3 middlebox compatibility).
            _ => {
                return match flight {
                    Some(f) => Ok(Progress::Done(Reply::Hello(Box::new(f)))),
                    None => Err(ReadError::Malformed(format!(
                        "record type {typ} before the ServerHello"
                    ))),
                };
            }
        }
    }
}

fn at_end(flight: Option<ServerFlight>, eof: bool, partial: bool) -> Result<Progress, ReadError> {
    if !eof {
        return Ok(Progress::NeedMore);
    }
    match flight {
        Some(f) => Ok(Progress::Done(Reply::Hello(Box::new(f)))),
        None if partial => Err(ReadError::Truncated),
        None => Ok(Progress::Done(Reply::Closed)),
    }
}

fn not_tls(bytes: &[u8]) -> ReadError {
    if bytes.starts_with(b"HTTP/") || bytes.starts_with(b"HTTP") {
        return ReadError::PlainHttp;
    }
    let first: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    ReadError::NotTls {
        first: first.join(" "),
    }
}

fn server_hello(body: &[u8]) -> Result<ServerFlight, ReadError> {
    let (_, sh) = tls_parser::parse_tls_handshake_server_hello(body)
        .map_err(|_| ReadError::Malformed("unparsable ServerHello".into()))?;
    let mut f = ServerFlight {
        version: sh.version.0,
        cipher: sh.cipher.0,
        compression: sh.compression.0,
        hello_retry: sh.random == HELLO_RETRY_RANDOM,
        ..ServerFlight::default()
    };
    let mut ext = sh.ext.unwrap_or_default();
    while ext.len() >= 4 {
        let typ = u16::from_be_bytes([ext[0], ext[1]]);
        let len = u16::from_be_bytes([ext[2], ext[3]]) as usize;
        if ext.len() < 4 + len {
            return Err(ReadError::Malformed(
                "ServerHello extension runs past its end".into(),
            ));
        }
        let data = &ext[4..4 + len];
        f.extensions.push(typ);
        match typ {
            super::hello::ext::SUPPORTED_VERSIONS if data.len() == 2 => {
                f.version = u16::from_be_bytes([data[0], data[1]]);
            }
            super::hello::ext::KEY_SHARE if data.len() >= 2 => {
                f.key_share_group = Some(u16::from_be_bytes([data[0], data[1]]));
            }
            _ => {}
        }
        ext = &ext[4 + len..];
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(typ: u8, body: &[u8]) -> Vec<u8> {
        let mut r = vec![typ, 3, 3];
        r.extend((body.len() as u16).to_be_bytes());
        r.extend(body);
        r
    }

    fn handshake(typ: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![typ];
        m.extend(&(body.len() as u32).to_be_bytes()[1..]);
        m.extend(body);
        m
    }

    fn server_hello_body(version: u16, cipher: u16, random: [u8; 32], exts: &[u8]) -> Vec<u8> {
        let mut b = version.to_be_bytes().to_vec();
        b.extend(random);
        b.push(0);
        b.extend(cipher.to_be_bytes());
        b.push(0);
        b.extend((exts.len() as u16).to_be_bytes());
        b.extend(exts);
        b
    }

    #[test]
    fn tls12_flight_split_across_records() {
        let sh = handshake(
            2,
            &server_hello_body(
                0x0303,
                0xC02F,
                [7; 32],
                &[0xFF, 0x01, 0, 1, 0, 0, 0x17, 0, 0],
            ),
        );
        let ske = handshake(12, &[3, 0, 0x17, 1, 4]);
        let done = handshake(14, &[]);
        let mut all = sh.clone();
        all.extend(&ske);
        all.extend(&done);
        let (a, b) = all.split_at(10);
        let mut bytes = record(22, a);
        assert_eq!(read_flight(&bytes, false, false), Ok(Progress::NeedMore));
        bytes.extend(record(22, b));
        let Ok(Progress::Done(Reply::Hello(f))) = read_flight(&bytes, false, false) else {
            panic!()
        };
        assert_eq!(f.cipher, 0xC02F);
        assert!(f.complete);
        assert!(f.has_extension(0xFF01) && f.has_extension(0x0017));
        assert_eq!(f.ecdh_group(), Some(0x0017));
    }

    #[test]
    fn tls13_hello_retry_request_names_the_group() {
        let exts = [0x00, 0x2B, 0, 2, 3, 4, 0x00, 0x33, 0, 2, 0x00, 0x17];
        let sh = handshake(
            2,
            &server_hello_body(0x0303, 0x1302, HELLO_RETRY_RANDOM, &exts),
        );
        let Ok(Progress::Done(Reply::Hello(f))) = read_flight(&record(22, &sh), false, false)
        else {
            panic!()
        };
        assert!(f.hello_retry);
        assert_eq!(
            (f.version, f.cipher, f.key_share_group),
            (0x0304, 0x1302, Some(0x0017))
        );
    }

    #[test]
    fn alerts_http_garbage_truncation_and_oversize() {
        assert_eq!(
            read_flight(&record(21, &[2, 40]), false, false),
            Ok(Progress::Done(Reply::Alert {
                level: 2,
                description: 40
            }))
        );
        assert_eq!(
            read_flight(b"HTTP/1.1 400 Bad Request\r\n", false, false),
            Err(ReadError::PlainHttp)
        );
        assert!(matches!(
            read_flight(b"\x00garbage", false, false),
            Err(ReadError::NotTls { .. })
        ));
        assert_eq!(
            read_flight(&[22, 3, 3, 0, 50, 2], false, true),
            Err(ReadError::Truncated)
        );
        assert_eq!(
            read_flight(&[], false, true),
            Ok(Progress::Done(Reply::Closed))
        );
        let huge = [22, 3, 3, 0, 4, 11, 0x10, 0, 0];
        assert!(matches!(
            read_flight(&huge, false, false),
            Err(ReadError::TooLarge { .. })
        ));
    }

    #[test]
    fn ffdhe_primes_are_recognised_by_shape_and_size() {
        let prime = |len: usize, second: [u8; 8]| {
            let mut p = vec![0xFF; 8];
            p.extend(second);
            p.resize(len - 8, 0x5A);
            p.extend([0xFF; 8]);
            let mut ske = vec![(len >> 8) as u8, len as u8];
            ske.extend(p);
            ske.extend([0, 1, 2, 0, 1, 5]);
            ServerFlight {
                server_key_exchange: Some(ske),
                ..Default::default()
            }
        };
        let e = [0xAD, 0xF8, 0x54, 0x58, 0xA2, 0xBB, 0x4A, 0x9A];
        let pi = [0xC9, 0x0F, 0xDA, 0xA2, 0x21, 0x68, 0xC2, 0x34];
        assert_eq!(prime(256, e).ffdhe_group(), Some(0x0100));
        assert_eq!(prime(384, e).ffdhe_group(), Some(0x0101));
        assert_eq!(prime(256, pi).ffdhe_group(), None, "RFC 3526 MODP");
        assert_eq!(prime(128, e).ffdhe_group(), None, "no 1024-bit ffdhe group");
    }

    #[test]
    fn dh_bits_counts_the_modulus() {
        let mut ske = vec![0, 129, 0];
        ske.extend([0xFF; 128]);
        ske.extend([0, 1, 2, 0, 1, 5]);
        let f = ServerFlight {
            server_key_exchange: Some(ske),
            ..Default::default()
        };
        assert_eq!(f.dh_bits(), Some(1024));
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096), v2 in any::<bool>(), eof in any::<bool>()) {
            let _ = read_flight(&bytes, v2, eof);
        }

        #[test]
        fn arbitrary_handshake_records_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048), typ in 0u8..30, eof in any::<bool>()) {
            let mut bytes = record(22, &handshake(2, &server_hello_body(0x0303, 0x002F, [1; 32], &[])));
            bytes.extend(record(22, &handshake(typ, &body)));
            let _ = read_flight(&bytes, false, eof);
            let f = ServerFlight { server_key_exchange: Some(body.clone()), ..Default::default() };
            let _ = (f.dh_bits(), f.ecdh_group());
        }
    }
}
