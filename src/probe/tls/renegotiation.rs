//! Client-initiated renegotiation, tried rather than inferred from renegotiation_info: one
//! extra connection completes a real TLS 1.2 handshake (ECDHE over X25519, P-256 or P-384
//! with AES-GCM), then sends one new ClientHello inside the encrypted channel (RFC 5746:
//! carrying the client's verify_data when the server acknowledged renegotiation_info, none
//! when it did not) and reads the answer. A ServerHello means the server renegotiates on a
//! client's request (a CPU-cost amplifier, CVE-2011-1473 style; with insecure
//! renegotiation also CVE-2009-3555 prefix injection); a no_renegotiation warning, a fatal
//! alert or a close means it refuses; silence is not judged. No application data is ever
//! sent, and the connection is closed right after the answer.
//!
//! rustls cannot renegotiate and the `openssl` crate would need `SSL_renegotiate` through
//! openssl-sys (unsafe), so this is a minimal client written for exactly this exchange,
//! on `ring` (already in the build through rustls) for ECDHE, HMAC (the RFC 5246 PRF),
//! SHA-2 and AES-GCM. The server's certificate and ServerKeyExchange signature are NOT
//! verified: this is a probe that must reach the renegotiation step, not a client that
//! trusts what it talks to, and it sends nothing an impostor could use.
//!
//! What does not belong here: the passive renegotiation_info reading (`enumerate`), hello
//! writing for the enumeration (`hello`).

use super::connection::Endpoint;
use super::hello::{add, ext, put_u16, put_u24, u16_list};
use super::reader::{self, alert};
use super::{TlsAssessment, Unreadable, suites};
use ring::{aead, agreement, digest, hmac};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// Record content types (RFC 5246 §6.2.1).
const CHANGE_CIPHER_SPEC: u8 = 20;
const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const APPLICATION_DATA: u8 = 23;

/// Handshake types (RFC 5246 §7.4, RFC 5077, RFC 6066).
const HELLO_REQUEST: u8 = 0;
const CLIENT_HELLO: u8 = 1;
const SERVER_HELLO: u8 = 2;
const NEW_SESSION_TICKET: u8 = 4;
const SERVER_KEY_EXCHANGE: u8 = 12;
const CERTIFICATE_REQUEST: u8 = 13;
const SERVER_HELLO_DONE: u8 = 14;
const CLIENT_KEY_EXCHANGE: u8 = 16;
const FINISHED: u8 = 20;

/// The no_renegotiation alert (RFC 5246 §7.2.2), always a warning.
const NO_RENEGOTIATION: u8 = 100;
/// TLSCiphertext length limit: 2^14 + 2048 (RFC 5246 §6.2.3).
const MAX_RECORD: usize = 16384 + 2048;
/// Records read after the renegotiation hello before the answer is called unreadable.
const MAX_ANSWER_RECORDS: usize = 32;

/// The suites this client speaks, in offer order: ECDHE with AES-GCM (RFC 5289), which
/// every TLS 1.2 configuration following Mozilla's or NIST's guidance accepts.
pub const SUITES: &[u16] = &[0xC02B, 0xC02F, 0xC02C, 0xC030];
/// The groups it speaks: x25519, secp256r1, secp384r1 (Mattermost's own Go listener
/// offers only the NIST curves P-521, P-384 and P-256).
pub const GROUPS: &[u16] = &[0x001D, 0x0017, 0x0018];
/// signature_algorithms offered (nothing is verified; a broad list keeps servers happy).
#[rustfmt::skip]
const SIGALGS: &[u16] = &[
    0x0403, 0x0503, 0x0603, 0x0807, 0x0804, 0x0805, 0x0806,
    0x0401, 0x0501, 0x0601, 0x0203, 0x0201,
];

/// What the test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The renegotiation ClientHello was answered with a ServerHello.
    Accepted {
        /// The suite of the first handshake.
        suite: u16,
        /// Whether the server had acknowledged renegotiation_info (RFC 5746).
        secure: bool,
    },
    /// It was refused: an alert or a close.
    Refused { answer: String },
}

/// Whether and how the test applies to an assessed endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// TLS 1.2 is accepted with one of [`SUITES`]: try it.
    Run,
    /// Nothing below TLS 1.3 is accepted: there is no renegotiation.
    NotApplicable,
    /// Cannot be tried here (the server needs what this client does not speak): why.
    NotTested(String),
    /// Cannot be told: the enumeration below TLS 1.3 failed; what was seen.
    Unreadable(String),
}

/// How every "this test cannot be made against this server" reason starts, in [`Plan`] and
/// in the errors of [`test`]: such a result is not-assessed with its reason, while any other
/// error is an `error` with what was seen.
pub const NOT_TESTED: &str = "not tested: ";

/// Decides from the enumeration whether the test can run (no connection is made).
pub fn plan(a: &TlsAssessment) -> Plan {
    let p = &a.protocols;
    if p.tls1_2.accepted {
        let ours: Vec<String> = SUITES.iter().map(|s| suites::name_of(*s)).collect();
        return if p.tls1_2.cipher_suites.iter().any(|n| ours.contains(n)) {
            Plan::Run
        } else {
            Plan::NotTested(format!(
                "{NOT_TESTED}needs ECDHE (X25519, P-256 or P-384) with AES-GCM over TLS 1.2, and the server accepts none of those suites"
            ))
        };
    }
    let below = [&p.tls1_2, &p.tls1_1, &p.tls1_0, &p.ssl3, &p.ssl2];
    if let Some(e) = below.iter().find_map(|r| r.error.clone()) {
        return Plan::Unreadable(e);
    }
    if below.iter().any(|r| r.accepted) {
        return Plan::NotTested(format!(
            "{NOT_TESTED}renegotiation is tried over TLS 1.2 only, and the server accepts TLS 1.0/1.1 or SSL but not TLS 1.2"
        ));
    }
    Plan::NotApplicable
}

/// Runs the test when it applies and records the fact on the assessment: `Some(false)`
/// without a connection for a TLS 1.3-only server, an unreadable entry when it cannot be
/// told.
pub async fn run(ep: &Endpoint, sni: Option<&str>, a: &mut TlsAssessment) {
    let key = crate::catalogue::tls::RENEGOTIATION_CLIENT_INITIATED.key;
    match plan(a) {
        Plan::NotApplicable => a.client_renegotiation = Some(false),
        Plan::NotTested(why) => a.untested.push(Unreadable {
            fact: key,
            seen: format!("client-initiated renegotiation {why}"),
        }),
        Plan::Unreadable(seen) => a.unreadable.push(Unreadable { fact: key, seen }),
        Plan::Run => match test(ep, sni).await {
            Ok(Verdict::Accepted { suite, secure }) => {
                a.client_renegotiation = Some(true);
                a.notes.push(format!(
                    "client-initiated renegotiation: a ClientHello sent after a completed TLS 1.2 handshake ({}) was answered with a ServerHello ({} renegotiation); nothing further was sent",
                    suites::name_of(suite),
                    if secure { "secure, RFC 5746" } else { "INSECURE legacy" }
                ));
            }
            Ok(Verdict::Refused { answer }) => {
                a.client_renegotiation = Some(false);
                a.notes.push(format!(
                    "client-initiated renegotiation over TLS 1.2 was refused with {answer}"
                ));
            }
            Err(seen) if seen.starts_with(NOT_TESTED) => a.untested.push(Unreadable {
                fact: key,
                seen: format!("client-initiated renegotiation {seen}"),
            }),
            Err(seen) => a.unreadable.push(Unreadable {
                fact: key,
                seen: format!("client-initiated renegotiation test: {seen}"),
            }),
        },
    }
}

/// One connection: a full TLS 1.2 handshake, one encrypted renegotiation ClientHello, the
/// answer, close. Err: what was seen when it could not be judged (or "not tested: …").
pub async fn test(ep: &Endpoint, sni: Option<&str>) -> Result<Verdict, String> {
    let secs = ep.timeout.as_secs_f64();
    let deadline = Instant::now() + ep.timeout;
    let (stream, _permit) = tokio::time::timeout_at(deadline, ep.open())
        .await
        .map_err(|_| format!("no connection within {secs:.1} s"))?
        .map_err(|e| e.to_string())?;
    let mut conn = Conn {
        stream,
        buf: Vec::with_capacity(8192),
        secs,
    };
    let result = exchange(&mut conn, ep, sni, deadline).await;
    let _ = tokio::time::timeout(ep.timeout, conn.stream.shutdown()).await;
    result
}

async fn exchange(
    conn: &mut Conn,
    ep: &Endpoint,
    sni: Option<&str>,
    deadline: Instant,
) -> Result<Verdict, String> {
    // Flight 1: ClientHello → ServerHello … ServerHelloDone.
    let client_random: [u8; 32] = rand::random();
    let hello = client_hello(&client_random, sni, Some(&[]));
    let mut transcript: Vec<u8> = hello.clone();
    conn.write(&record(HANDSHAKE, 0x0301, &hello)).await?;
    let mut hs = Handshake::default();
    let mut server: Option<ServerHello> = None;
    let mut share: Option<(u16, Vec<u8>)> = None;
    loop {
        let msg = match hs.next()? {
            Some(m) => m,
            None => match conn
                .record(deadline, "the answer to the ClientHello")
                .await?
            {
                (HANDSHAKE, body) => {
                    hs.push(&body)?;
                    continue;
                }
                (ALERT, body) => {
                    let d = body.get(1).copied().unwrap_or(0);
                    return Err(if server.is_none() {
                        format!(
                            "{NOT_TESTED}the TLS 1.2 hello this test can make (ECDHE over X25519, P-256 or P-384 with AES-GCM) got a {} alert",
                            alert::name(d)
                        )
                    } else {
                        format!("the first handshake got a {} alert", alert::name(d))
                    });
                }
                (typ, _) => return Err(format!("a record of type {typ} during the handshake")),
            },
        };
        transcript_push(&mut transcript, &msg)?;
        let body = &msg[4..];
        match (msg[0], &server) {
            (SERVER_HELLO, None) => server = Some(ServerHello::parse(body)?),
            (_, None) => {
                return Err(format!(
                    "handshake message type {} where a ServerHello was expected",
                    msg[0]
                ));
            }
            (SERVER_KEY_EXCHANGE, Some(_)) => share = Some(ecdhe_params(body)?),
            (CERTIFICATE_REQUEST, Some(_)) => {
                return Err(format!(
                    "{NOT_TESTED}the server asks for a client certificate, which this test does not have"
                ));
            }
            (SERVER_HELLO_DONE, Some(_)) => break,
            // Certificate, CertificateStatus: kept in the transcript, not verified.
            _ => {}
        }
    }
    let server = server.ok_or("no ServerHello")?;
    let (group, point) = share.ok_or_else(|| {
        "the server sent no ECDHE ServerKeyExchange for an ECDHE suite".to_owned()
    })?;
    let suite = Suite::of(server.suite).ok_or("internal: unknown suite")?;

    // Flight 2: ClientKeyExchange, ChangeCipherSpec, Finished.
    let (public, premaster) = agree(group, &point)?;
    let mut cke = vec![CLIENT_KEY_EXCHANGE];
    put_u24(&mut cke, public.len() + 1);
    cke.push(public.len() as u8);
    cke.extend_from_slice(&public);
    transcript_push(&mut transcript, &cke)?;
    let master = if server.extended_master_secret {
        // RFC 7627 §4: the session hash runs through ClientKeyExchange.
        let session_hash = suite.hash.digest(&transcript);
        prf(
            suite.hash,
            &premaster,
            b"extended master secret",
            &session_hash,
            48,
        )
    } else {
        let seed = [&client_random[..], &server.random[..]].concat();
        prf(suite.hash, &premaster, b"master secret", &seed, 48)
    };
    let k = suite.key_len;
    let seed = [&server.random[..], &client_random[..]].concat();
    let block = prf(suite.hash, &master, b"key expansion", &seed, 2 * k + 8);
    let mut to_server = Protection::new(suite.aead, &block[..k], &block[2 * k..2 * k + 4])?;
    let mut from_server = Protection::new(suite.aead, &block[k..2 * k], &block[2 * k + 4..])?;
    let client_vd = prf(
        suite.hash,
        &master,
        b"client finished",
        &suite.hash.digest(&transcript),
        12,
    );
    let mut finished = vec![FINISHED, 0, 0, 12];
    finished.extend_from_slice(&client_vd);
    transcript_push(&mut transcript, &finished)?;
    let mut flight = record(HANDSHAKE, 0x0303, &cke);
    flight.extend_from_slice(&[CHANGE_CIPHER_SPEC, 3, 3, 0, 1, 1]);
    flight.extend_from_slice(&to_server.seal(HANDSHAKE, &finished)?);
    conn.write(&flight).await?;

    // The server's ChangeCipherSpec and Finished.
    let deadline = Instant::now() + ep.timeout;
    let mut encrypted = false;
    let mut hs = Handshake::default();
    loop {
        let msg = match hs.next()? {
            Some(m) => m,
            None => match conn
                .record(deadline, "the server's ChangeCipherSpec and Finished")
                .await?
            {
                (CHANGE_CIPHER_SPEC, body) if !encrypted && body == [1] => {
                    encrypted = true;
                    continue;
                }
                (HANDSHAKE, body) => {
                    let plain = if encrypted {
                        from_server.open(HANDSHAKE, &body)?
                    } else {
                        body
                    };
                    hs.push(&plain)?;
                    continue;
                }
                (ALERT, body) => {
                    let plain = if encrypted {
                        from_server.open(ALERT, &body)?
                    } else {
                        body
                    };
                    let d = plain.get(1).copied().unwrap_or(0);
                    return Err(format!(
                        "the first handshake was not completed: the server sent a {} alert after the client's Finished",
                        alert::name(d)
                    ));
                }
                (typ, _) => {
                    return Err(format!(
                        "a record of type {typ} instead of the server's Finished"
                    ));
                }
            },
        };
        match msg[0] {
            NEW_SESSION_TICKET if !encrypted => transcript_push(&mut transcript, &msg)?,
            FINISHED if encrypted => {
                let expected = prf(
                    suite.hash,
                    &master,
                    b"server finished",
                    &suite.hash.digest(&transcript),
                    12,
                );
                if msg[4..] != expected[..] {
                    return Err("the server's Finished did not verify".into());
                }
                break;
            }
            t => {
                return Err(format!(
                    "handshake message type {t} where the server's Finished was expected"
                ));
            }
        }
    }
    drop(transcript);

    // The renegotiation ClientHello, encrypted: RFC 5746 §3.5 puts the client's
    // verify_data in renegotiation_info when the server supports it; a legacy server gets
    // none (the insecure renegotiation of CVE-2009-3555).
    let reneg_random: [u8; 32] = rand::random();
    let ri = server.renegotiation_info.then_some(&client_vd[..]);
    let hello = client_hello(&reneg_random, sni, ri);
    conn.write(&to_server.seal(HANDSHAKE, &hello)?).await?;

    let deadline = Instant::now() + ep.timeout;
    let mut hs = Handshake::default();
    for _ in 0..MAX_ANSWER_RECORDS {
        while let Some(msg) = hs.next()? {
            match msg[0] {
                SERVER_HELLO => {
                    return Ok(Verdict::Accepted {
                        suite: suite.id,
                        secure: server.renegotiation_info,
                    });
                }
                HELLO_REQUEST | NEW_SESSION_TICKET => {}
                t => {
                    return Err(format!(
                        "handshake message type {t} instead of a ServerHello or an alert after the renegotiation hello"
                    ));
                }
            }
        }
        let (typ, body) = match conn.answer(deadline).await? {
            Some(r) => r,
            None => {
                return Ok(Verdict::Refused {
                    answer: "a closed connection".into(),
                });
            }
        };
        match typ {
            HANDSHAKE => {
                let plain = from_server.open(HANDSHAKE, &body)?;
                hs.push(&plain)?;
            }
            ALERT => {
                let plain = from_server.open(ALERT, &body)?;
                let (level, d) = match plain[..] {
                    [level, d] => (level, d),
                    _ => return Err("an alert that is not 2 bytes".into()),
                };
                if level == 2 || d == NO_RENEGOTIATION || d == 0 {
                    let kind = if level == 2 { "fatal" } else { "warning" };
                    let name = if d == NO_RENEGOTIATION {
                        "no_renegotiation".to_owned()
                    } else {
                        alert::name(d)
                    };
                    return Ok(Verdict::Refused {
                        answer: format!("a {kind} {name} alert"),
                    });
                }
                // Another warning: keep reading for the answer.
            }
            // Application data the server sends on its own is skipped, never read.
            APPLICATION_DATA => {
                from_server.open(APPLICATION_DATA, &body)?.fill(0);
            }
            t => {
                return Err(format!(
                    "a record of type {t} after the renegotiation hello"
                ));
            }
        }
    }
    Err(format!(
        "no ServerHello or alert in the first {MAX_ANSWER_RECORDS} records after the renegotiation hello"
    ))
}

/// A connection and the bytes read from it but not yet framed.
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    secs: f64,
}

impl Conn {
    async fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        let t = std::time::Duration::from_secs_f64(self.secs);
        match tokio::time::timeout(t, self.stream.write_all(bytes)).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("sending failed: {e}")),
            Err(_) => Err(format!("sending took over {:.1} s", self.secs)),
        }
    }

    /// The next record (type, body) by `deadline`; a close or silence is an error naming
    /// `waiting_for`.
    async fn record(
        &mut self,
        deadline: Instant,
        waiting_for: &str,
    ) -> Result<(u8, Vec<u8>), String> {
        match self.next(deadline).await? {
            Next::Record(t, b) => Ok((t, b)),
            Next::Closed => Err(format!(
                "the connection closed while waiting for {waiting_for}"
            )),
            Next::Silent(seen) => Err(format!(
                "nothing within {:.1} s while waiting for {waiting_for}{seen}",
                self.secs
            )),
        }
    }

    /// The next record after the renegotiation hello; None: closed (a refusal).
    async fn answer(&mut self, deadline: Instant) -> Result<Option<(u8, Vec<u8>)>, String> {
        match self.next(deadline).await? {
            Next::Record(t, b) => Ok(Some((t, b))),
            Next::Closed => Ok(None),
            Next::Silent(seen) => Err(format!(
                "no answer within {:.1} s to a renegotiation ClientHello sent after a completed TLS 1.2 handshake{seen}: neither refused nor accepted, not judged",
                self.secs
            )),
        }
    }

    async fn next(&mut self, deadline: Instant) -> Result<Next, String> {
        let mut chunk = [0u8; 4096];
        loop {
            if self.buf.len() >= 5 {
                let typ = self.buf[0];
                if !(CHANGE_CIPHER_SPEC..=APPLICATION_DATA).contains(&typ) || self.buf[1] != 3 {
                    return Err(format!(
                        "bytes that are not a TLS record (first bytes: {})",
                        hex_prefix(&self.buf)
                    ));
                }
                let len = u16::from_be_bytes([self.buf[3], self.buf[4]]) as usize;
                if len > MAX_RECORD {
                    return Err(format!(
                        "a record of {len} bytes, over 2^14+2048 (RFC 5246 §6.2.3)"
                    ));
                }
                if self.buf.len() >= 5 + len {
                    let body = self.buf[5..5 + len].to_vec();
                    self.buf.drain(..5 + len);
                    return Ok(Next::Record(typ, body));
                }
            }
            let n = match tokio::time::timeout_at(deadline, self.stream.read(&mut chunk)).await {
                Err(_) => {
                    let seen = if self.buf.is_empty() {
                        String::new()
                    } else {
                        format!(" ({} bytes of an incomplete record)", self.buf.len())
                    };
                    return Ok(Next::Silent(seen));
                }
                Ok(Err(_)) | Ok(Ok(0)) => return Ok(Next::Closed),
                Ok(Ok(n)) => n,
            };
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }
}

enum Next {
    Record(u8, Vec<u8>),
    Closed,
    /// Nothing complete arrived by the deadline; what was seen (may be empty).
    Silent(String),
}

fn hex_prefix(b: &[u8]) -> String {
    let parts: Vec<String> = b.iter().take(8).map(|x| format!("{x:02x}")).collect();
    parts.join(" ")
}

/// Handshake messages reassembled across records, bounded.
#[derive(Default)]
struct Handshake {
    bytes: Vec<u8>,
}

impl Handshake {
    fn push(&mut self, fragment: &[u8]) -> Result<(), String> {
        if self.bytes.len() + fragment.len() > reader::MAX_FLIGHT {
            return Err(format!(
                "handshake messages over the {}-byte limit",
                reader::MAX_FLIGHT
            ));
        }
        self.bytes.extend_from_slice(fragment);
        Ok(())
    }

    /// The next whole message, header included.
    fn next(&mut self) -> Result<Option<Vec<u8>>, String> {
        if self.bytes.len() < 4 {
            return Ok(None);
        }
        let len = u32::from_be_bytes([0, self.bytes[1], self.bytes[2], self.bytes[3]]) as usize;
        if len > reader::MAX_HANDSHAKE_MESSAGE {
            return Err(format!(
                "a handshake message of {len} bytes, over the {}-byte limit",
                reader::MAX_HANDSHAKE_MESSAGE
            ));
        }
        if self.bytes.len() < 4 + len {
            return Ok(None);
        }
        Ok(Some(self.bytes.drain(..4 + len).collect()))
    }
}

fn transcript_push(t: &mut Vec<u8>, msg: &[u8]) -> Result<(), String> {
    if t.len() + msg.len() > reader::MAX_FLIGHT + 4096 {
        return Err("the handshake is over the size limit".into());
    }
    t.extend_from_slice(msg);
    Ok(())
}

/// What the ServerHello settled.
#[derive(Debug)]
struct ServerHello {
    random: [u8; 32],
    suite: u16,
    renegotiation_info: bool,
    extended_master_secret: bool,
}

impl ServerHello {
    fn parse(body: &[u8]) -> Result<Self, String> {
        let bad = || "a malformed ServerHello".to_owned();
        let mut c = Cursor(body);
        let version = c.u16().ok_or_else(bad)?;
        let random: [u8; 32] = c.take(32).and_then(|r| r.try_into().ok()).ok_or_else(bad)?;
        let sid = c.u8().ok_or_else(bad)? as usize;
        c.take(sid).ok_or_else(bad)?;
        let suite = c.u16().ok_or_else(bad)?;
        let compression = c.u8().ok_or_else(bad)?;
        if version != 0x0303 {
            return Err(format!(
                "{NOT_TESTED}the server answered a TLS 1.2 hello with version 0x{version:04x}"
            ));
        }
        if Suite::of(suite).is_none() {
            return Err(format!(
                "the server chose {}, which was not offered",
                suites::name_of(suite)
            ));
        }
        if compression != 0 {
            return Err("the server chose compression, which was not offered".into());
        }
        let mut hello = ServerHello {
            random,
            suite,
            renegotiation_info: false,
            extended_master_secret: false,
        };
        if c.0.is_empty() {
            return Ok(hello);
        }
        let exts_len = c.u16().ok_or_else(bad)? as usize;
        let mut exts = Cursor(c.take(exts_len).ok_or_else(bad)?);
        while !exts.0.is_empty() {
            let typ = exts.u16().ok_or_else(bad)?;
            let len = exts.u16().ok_or_else(bad)? as usize;
            let data = exts.take(len).ok_or_else(bad)?;
            match typ {
                ext::RENEGOTIATION_INFO => {
                    if data != [0] {
                        return Err("a non-empty renegotiation_info on the first handshake".into());
                    }
                    hello.renegotiation_info = true;
                }
                ext::EXTENDED_MASTER_SECRET => hello.extended_master_secret = true,
                _ => {}
            }
        }
        Ok(hello)
    }
}

/// The (group, point) of an ECDHE ServerKeyExchange (RFC 8422 §5.4); the signature that
/// follows is not verified.
fn ecdhe_params(body: &[u8]) -> Result<(u16, Vec<u8>), String> {
    let bad = || "a malformed ServerKeyExchange".to_owned();
    let mut c = Cursor(body);
    if c.u8().ok_or_else(bad)? != 3 {
        return Err("a ServerKeyExchange without a named curve".into());
    }
    let group = c.u16().ok_or_else(bad)?;
    let len = c.u8().ok_or_else(bad)? as usize;
    let point = c.take(len).ok_or_else(bad)?.to_vec();
    if !GROUPS.contains(&group) {
        return Err(format!(
            "the server chose the group {}, which was not offered",
            super::groups::name_of(group)
        ));
    }
    Ok((group, point))
}

/// An ephemeral key pair for `group`, the public key to send and the shared secret.
fn agree(group: u16, peer: &[u8]) -> Result<(Vec<u8>, Vec<u8>), String> {
    let alg = match group {
        0x001D => &agreement::X25519,
        0x0017 => &agreement::ECDH_P256,
        0x0018 => &agreement::ECDH_P384,
        _ => return Err("internal: unsupported group".into()),
    };
    let rng = ring::rand::SystemRandom::new();
    let private = agreement::EphemeralPrivateKey::generate(alg, &rng)
        .map_err(|_| "internal: no ephemeral key".to_owned())?;
    let public = private
        .compute_public_key()
        .map_err(|_| "internal: no public key".to_owned())?
        .as_ref()
        .to_vec();
    let shared = agreement::agree_ephemeral(
        private,
        &agreement::UnparsedPublicKey::new(alg, peer),
        |k| k.to_vec(),
    )
    .map_err(|_| "the server's ECDHE public key is invalid".to_owned())?;
    Ok((public, shared))
}

/// A ClientHello handshake message (no record header) offering [`SUITES`] and [`GROUPS`],
/// null compression, and renegotiation_info carrying `renegotiation_info` when Some.
fn client_hello(
    random: &[u8; 32],
    sni: Option<&str>,
    renegotiation_info: Option<&[u8]>,
) -> Vec<u8> {
    let mut body = Vec::with_capacity(256);
    put_u16(&mut body, 0x0303);
    body.extend_from_slice(random);
    body.push(0); // no session id: no resumption
    put_u16(&mut body, (SUITES.len() * 2) as u16);
    for s in SUITES {
        put_u16(&mut body, *s);
    }
    body.extend_from_slice(&[1, 0]); // null compression only
    let mut exts = Vec::with_capacity(128);
    if let Some(name) = sni {
        let mut list = vec![0]; // host_name
        put_u16(&mut list, name.len() as u16);
        list.extend_from_slice(name.as_bytes());
        let mut b = Vec::new();
        put_u16(&mut b, list.len() as u16);
        b.extend_from_slice(&list);
        add(&mut exts, ext::SERVER_NAME, &b);
    }
    add(&mut exts, ext::SUPPORTED_GROUPS, &u16_list(GROUPS));
    add(&mut exts, ext::EC_POINT_FORMATS, &[1, 0]);
    add(&mut exts, ext::SIGNATURE_ALGORITHMS, &u16_list(SIGALGS));
    add(&mut exts, ext::EXTENDED_MASTER_SECRET, &[]);
    if let Some(ri) = renegotiation_info {
        let mut b = vec![ri.len() as u8];
        b.extend_from_slice(ri);
        add(&mut exts, ext::RENEGOTIATION_INFO, &b);
    }
    put_u16(&mut body, exts.len() as u16);
    body.extend_from_slice(&exts);
    let mut msg = vec![CLIENT_HELLO];
    put_u24(&mut msg, body.len());
    msg.extend_from_slice(&body);
    msg
}

fn record(typ: u8, version: u16, payload: &[u8]) -> Vec<u8> {
    let mut r = vec![typ];
    put_u16(&mut r, version);
    put_u16(&mut r, payload.len() as u16);
    r.extend_from_slice(payload);
    r
}

/// A bounds-checked reader over a peer's bytes.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
}

/// The PRF hash of a suite (RFC 5246 §5; RFC 5289 for the SHA-384 suites).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    Sha256,
    Sha384,
}

impl Hash {
    fn hmac(self) -> hmac::Algorithm {
        match self {
            Hash::Sha256 => hmac::HMAC_SHA256,
            Hash::Sha384 => hmac::HMAC_SHA384,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        let alg = match self {
            Hash::Sha256 => &digest::SHA256,
            Hash::Sha384 => &digest::SHA384,
        };
        digest::digest(alg, data).as_ref().to_vec()
    }
}

/// One of [`SUITES`]: its AEAD, key length and PRF hash.
#[derive(Clone, Copy)]
struct Suite {
    id: u16,
    aead: &'static aead::Algorithm,
    key_len: usize,
    hash: Hash,
}

impl Suite {
    fn of(id: u16) -> Option<Suite> {
        let (aead, key_len, hash) = match id {
            0xC02B | 0xC02F => (&aead::AES_128_GCM, 16, Hash::Sha256),
            0xC02C | 0xC030 => (&aead::AES_256_GCM, 32, Hash::Sha384),
            _ => return None,
        };
        Some(Suite {
            id,
            aead,
            key_len,
            hash,
        })
    }
}

/// The TLS 1.2 PRF (RFC 5246 §5): P_hash(secret, label ‖ seed), `len` bytes.
fn prf(hash: Hash, secret: &[u8], label: &[u8], seed: &[u8], len: usize) -> Vec<u8> {
    let key = hmac::Key::new(hash.hmac(), secret);
    let label_seed = [label, seed].concat();
    let mut out = Vec::with_capacity(len + 48);
    // A(1) = HMAC(secret, label ‖ seed); A(i) = HMAC(secret, A(i-1)).
    let mut a = hmac::sign(&key, &label_seed);
    while out.len() < len {
        let mut ctx = hmac::Context::with_key(&key);
        ctx.update(a.as_ref());
        ctx.update(&label_seed);
        out.extend_from_slice(ctx.sign().as_ref());
        a = hmac::sign(&key, a.as_ref());
    }
    out.truncate(len);
    out
}

/// One direction of AES-GCM record protection (RFC 5288 §3): the nonce is the 4-byte
/// implicit salt from the key block and an 8-byte explicit part sent in the record (here
/// the sequence number); the additional data is seq ‖ type ‖ version ‖ plaintext length.
struct Protection {
    key: aead::LessSafeKey,
    salt: [u8; 4],
    seq: u64,
}

impl Protection {
    fn new(alg: &'static aead::Algorithm, key: &[u8], salt: &[u8]) -> Result<Self, String> {
        let key = aead::UnboundKey::new(alg, key).map_err(|_| "internal: bad key length")?;
        Ok(Protection {
            key: aead::LessSafeKey::new(key),
            salt: salt.try_into().map_err(|_| "internal: bad salt length")?,
            seq: 0,
        })
    }

    fn aad(&self, typ: u8, len: usize) -> aead::Aad<[u8; 13]> {
        let mut a = [0u8; 13];
        a[..8].copy_from_slice(&self.seq.to_be_bytes());
        a[8] = typ;
        a[9..11].copy_from_slice(&[3, 3]);
        a[11..].copy_from_slice(&(len as u16).to_be_bytes());
        aead::Aad::from(a)
    }

    fn nonce(&self, explicit: [u8; 8]) -> aead::Nonce {
        let mut n = [0u8; 12];
        n[..4].copy_from_slice(&self.salt);
        n[4..].copy_from_slice(&explicit);
        aead::Nonce::assume_unique_for_key(n)
    }

    /// The whole record carrying `plain` as `typ`.
    fn seal(&mut self, typ: u8, plain: &[u8]) -> Result<Vec<u8>, String> {
        let explicit = self.seq.to_be_bytes();
        let mut data = plain.to_vec();
        self.key
            .seal_in_place_append_tag(self.nonce(explicit), self.aad(typ, plain.len()), &mut data)
            .map_err(|_| "internal: sealing failed")?;
        let mut frag = explicit.to_vec();
        frag.extend_from_slice(&data);
        self.seq += 1;
        Ok(record(typ, 0x0303, &frag))
    }

    /// The plaintext of a record body of type `typ`.
    fn open(&mut self, typ: u8, body: &[u8]) -> Result<Vec<u8>, String> {
        let tag = self.key.algorithm().tag_len();
        if body.len() < 8 + tag {
            return Err(format!(
                "an encrypted record of {} bytes, too short for AES-GCM",
                body.len()
            ));
        }
        let mut explicit = [0u8; 8];
        explicit.copy_from_slice(&body[..8]);
        let mut data = body[8..].to_vec();
        let plain_len = data.len() - tag;
        let plain = self
            .key
            .open_in_place(self.nonce(explicit), self.aad(typ, plain_len), &mut data)
            .map_err(|_| "a record from the server did not decrypt (bad_record_mac)".to_owned())?
            .to_vec();
        self.seq += 1;
        Ok(plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn arbitrary_peer_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = ServerHello::parse(&bytes);
            let _ = ecdhe_params(&bytes);
            let mut h = Handshake::default();
            if h.push(&bytes).is_ok() {
                while let Ok(Some(m)) = h.next() {
                    prop_assert!(m.len() >= 4);
                }
            }
            let s = Suite::of(0xC02F).unwrap();
            let mut p = Protection::new(s.aead, &[1; 16], &[0; 4]).unwrap();
            prop_assert!(p.open(HANDSHAKE, &bytes).is_err());
        }
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// The TLS 1.2 PRF test vector circulated on the IETF TLS list (P_SHA256, 100 bytes).
    #[test]
    fn prf_sha256_matches_the_published_vector() {
        let out = prf(
            Hash::Sha256,
            &hex("9bbe436ba940f017b17652849a71db35"),
            b"test label",
            &hex("a0ba9f936cda311827a6f796ffd5198c"),
            100,
        );
        assert_eq!(
            out,
            hex(concat!(
                "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a",
                "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab",
                "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701",
                "87347b66"
            ))
        );
        // Shorter outputs are prefixes; SHA-384 is a different function.
        let short = prf(Hash::Sha256, b"k", b"l", b"s", 12);
        assert_eq!(short, prf(Hash::Sha256, b"k", b"l", b"s", 40)[..12]);
        assert_ne!(
            prf(Hash::Sha384, b"k", b"l", b"s", 12),
            short,
            "P_SHA384 differs"
        );
    }

    #[test]
    fn sealed_records_open_with_the_same_keys_in_sequence_and_not_otherwise() {
        for id in SUITES {
            let s = Suite::of(*id).unwrap();
            let key = vec![7u8; s.key_len];
            let mut a = Protection::new(s.aead, &key, &[1, 2, 3, 4]).unwrap();
            let mut b = Protection::new(s.aead, &key, &[1, 2, 3, 4]).unwrap();
            for (typ, msg) in [(HANDSHAKE, &b"hello"[..]), (ALERT, &[1, 100][..])] {
                let rec = a.seal(typ, msg).unwrap();
                assert_eq!(rec[0], typ);
                assert_eq!(&rec[1..3], &[3, 3]);
                assert_eq!(u16::from_be_bytes([rec[3], rec[4]]) as usize, rec.len() - 5);
                assert_eq!(rec.len(), 5 + 8 + msg.len() + 16);
                assert_eq!(b.open(typ, &rec[5..]).unwrap(), msg);
            }
            // Wrong type (AAD), wrong sequence, tampering, truncation: all refused.
            let rec = a.seal(HANDSHAKE, b"x").unwrap();
            assert!(b.open(ALERT, &rec[5..]).is_err());
            let mut c = Protection::new(s.aead, &key, &[1, 2, 3, 4]).unwrap();
            assert!(c.open(HANDSHAKE, &rec[5..]).is_err(), "sequence 0 ≠ 2");
            let mut tampered = rec[5..].to_vec();
            tampered[9] ^= 1;
            let mut d = Protection::new(s.aead, &key, &[1, 2, 3, 4]).unwrap();
            d.seq = 2;
            assert!(d.open(HANDSHAKE, &tampered).is_err());
            assert!(d.open(HANDSHAKE, &rec[5..10]).is_err());
        }
    }

    #[test]
    fn the_hello_parses_and_carries_renegotiation_info() {
        let vd = [9u8; 12];
        let msg = client_hello(&[5; 32], Some("mm.example.com"), Some(&vd));
        let rec = record(HANDSHAKE, 0x0301, &msg);
        let (_, parsed) = tls_parser::parse_tls_plaintext(&rec).expect("parses");
        match &parsed.msg[0] {
            tls_parser::TlsMessage::Handshake(tls_parser::TlsMessageHandshake::ClientHello(ch)) => {
                let ids: Vec<u16> = ch.ciphers.iter().map(|c| c.0).collect();
                assert_eq!(ids, SUITES);
                let exts = ch.ext.expect("extensions");
                let mut ri = vec![0xFF, 0x01, 0x00, 13, 12];
                ri.extend(vd);
                assert!(exts.ends_with(&ri));
            }
            other => panic!("not a ClientHello: {other:?}"),
        }
        let first = client_hello(&[5; 32], None, Some(&[]));
        assert!(first.ends_with(&[0xFF, 0x01, 0x00, 0x01, 0x00]));
        let legacy = client_hello(&[5; 32], None, None);
        assert!(!legacy.windows(2).any(|w| w == [0xFF, 0x01]));
    }

    #[test]
    fn server_hellos_are_read_defensively() {
        let mut body = vec![3, 3];
        body.extend([1; 32]);
        body.extend([0, 0xC0, 0x2F, 0]);
        body.extend([0, 9, 0xFF, 0x01, 0, 1, 0, 0x00, 0x17, 0, 0]);
        let sh = ServerHello::parse(&body).unwrap();
        assert_eq!(sh.suite, 0xC02F);
        assert!(sh.renegotiation_info && sh.extended_master_secret);
        for cut in 0..body.len() - 1 {
            let _ = ServerHello::parse(&body[..cut]);
        }
        let mut other = body.clone();
        other[36] = 0x9C; // TLS_RSA_WITH_AES_128_GCM_SHA256: not offered
        assert!(ServerHello::parse(&other).is_err());
        assert!(ecdhe_params(&[3, 0, 0x1D, 32]).is_err());
        assert_eq!(
            ecdhe_params(&[3, 0, 0x1D, 1, 7, 0xAA]).unwrap(),
            (0x1D, vec![7])
        );
        assert!(
            ecdhe_params(&[3, 0, 0x19, 1, 7]).is_err(),
            "P-521 not offered"
        );
        let mut h = Handshake::default();
        h.push(&[14, 0]).unwrap();
        assert_eq!(h.next().unwrap(), None);
        h.push(&[0, 0, 2, 0xFF]).unwrap();
        assert_eq!(h.next().unwrap(), Some(vec![14, 0, 0, 0]));
        assert_eq!(h.next().unwrap(), None);
        assert!(
            Handshake {
                bytes: vec![11, 0x10, 0, 0]
            }
            .next()
            .is_err()
        );
    }

    #[test]
    fn tls13_only_is_not_applicable_and_tls12_without_our_suites_is_not_tested() {
        let mut a = TlsAssessment::default();
        a.protocols.tls1_3.accepted = true;
        assert_eq!(plan(&a), Plan::NotApplicable);
        a.protocols.tls1_2.accepted = true;
        a.protocols.tls1_2.cipher_suites = vec!["TLS_RSA_WITH_AES_128_GCM_SHA256".into()];
        assert!(matches!(plan(&a), Plan::NotTested(s) if s.contains("not tested")));
        a.protocols
            .tls1_2
            .cipher_suites
            .push("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256".into());
        assert_eq!(plan(&a), Plan::Run);
        let mut b = TlsAssessment::default();
        b.protocols.tls1_0.accepted = true;
        assert!(matches!(plan(&b), Plan::NotTested(_)));
    }
}
