//! Heartbleed (CVE-2014-0160), tested actively but safely: one extra connection offers
//! the heartbeat extension (RFC 6520); only if the server echoes it is one heartbeat
//! request sent, claiming a 64-byte payload while carrying one byte. A patched server
//! discards it (RFC 6520 §4), alerts or closes; a vulnerable one answers with a heartbeat
//! response longer than what was sent. The bytes that come back are counted and dropped,
//! never kept, logged or printed. What does not belong here: hello writing (`hello`) and
//! the derived, passive weaknesses (`mod.rs`).

use super::connection::Endpoint;
use super::hello;
use super::reader::{self, Progress, Reply};
use super::version::Version;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The heartbeat extension (RFC 6520).
pub const EXT_HEARTBEAT: u16 = 0x000F;
/// The heartbeat record content type (RFC 6520 §3).
const HEARTBEAT: u8 = 24;
/// What the request carries: type, payload_length, one payload byte, 16 bytes of padding.
const SENT_PAYLOAD: usize = 1;
const CLAIMED_PAYLOAD: u16 = 64;
const PADDING: usize = 16;

/// What the test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The server did not echo the heartbeat extension: no request was sent.
    NotNegotiated,
    /// The server answered an over-claiming request with a longer heartbeat response.
    Vulnerable { response_len: usize },
    /// The request was discarded, refused or answered within its true size.
    NotVulnerable { answer: String },
}

/// The request record: heartbeat_request(1), payload_length claiming more than is sent.
pub fn request(version: Version) -> Vec<u8> {
    let mut msg = vec![1];
    msg.extend_from_slice(&CLAIMED_PAYLOAD.to_be_bytes());
    msg.extend(std::iter::repeat_n(0x42, SENT_PAYLOAD));
    msg.extend(std::iter::repeat_n(0, PADDING));
    let mut rec = vec![HEARTBEAT];
    rec.extend_from_slice(&version.wire().to_be_bytes());
    rec.extend_from_slice(&(msg.len() as u16).to_be_bytes());
    rec.extend_from_slice(&msg);
    rec
}

/// Adds one extension at the end of a TLS ≤ 1.2 ClientHello record, fixing the record,
/// handshake and extensions lengths. None if the bytes are not such a hello.
pub fn with_extension(rec: &[u8], typ: u16, body: &[u8]) -> Option<Vec<u8>> {
    let add = 4 + body.len();
    // record(5) handshake(4) version(2) random(32)
    let mut p = 5 + 4 + 2 + 32;
    p += 1 + *rec.get(p)? as usize; // session id
    p += 2 + u16::from_be_bytes([*rec.get(p)?, *rec.get(p + 1)?]) as usize; // suites
    p += 1 + *rec.get(p)? as usize; // compression methods
    let ext_len = u16::from_be_bytes([*rec.get(p)?, *rec.get(p + 1)?]) as usize;
    if rec.first() != Some(&22) || rec.get(5) != Some(&1) || p + 2 + ext_len != rec.len() {
        return None;
    }
    let mut out = rec.to_vec();
    out.extend_from_slice(&typ.to_be_bytes());
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(body);
    let rec_len = u16::from_be_bytes([rec[3], rec[4]]) as usize + add;
    out[3..5].copy_from_slice(&(rec_len as u16).to_be_bytes());
    let hs_len = u32::from_be_bytes([0, rec[6], rec[7], rec[8]]) as usize + add;
    out[6..9].copy_from_slice(&(hs_len as u32).to_be_bytes()[1..]);
    out[p..p + 2].copy_from_slice(&((ext_len + add) as u16).to_be_bytes());
    Some(out)
}

/// Runs the test over one connection with `version` (TLS 1.0–1.2) and the suites the
/// server accepted with it. Err: what was seen when the test could not be judged.
pub async fn test(
    ep: &Endpoint,
    version: Version,
    suites: &[u16],
    sni: Option<&str>,
) -> Result<Verdict, String> {
    let plain = hello::legacy_test_hello(version, suites, sni);
    // mode 1: peer_allowed_to_send
    let hello = with_extension(&plain, EXT_HEARTBEAT, &[1])
        .ok_or_else(|| "internal: the hello could not carry the heartbeat extension".to_owned())?;
    let secs = ep.timeout.as_secs_f64();
    let (mut stream, _permit, flight) =
        open_flight(ep, &hello, "the hello with the heartbeat extension").await?;
    if !flight.has_extension(EXT_HEARTBEAT) {
        return Ok(Verdict::NotNegotiated);
    }

    // The server allows heartbeats: send the one over-claiming request and judge the
    // answer by record headers only; bodies are counted and overwritten.
    let req = request(version);
    let sent = req.len() - 5;
    if stream.write_all(&req).await.is_err() {
        return Ok(Verdict::NotVulnerable {
            answer: "the connection closed on the heartbeat request".into(),
        });
    }
    let answer_deadline = tokio::time::Instant::now() + ep.timeout;
    let mut header: Vec<u8> = Vec::with_capacity(5);
    let mut body_left = 0usize;
    let mut current: Option<(u8, usize)> = None;
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        let n = match tokio::time::timeout_at(answer_deadline, stream.read(&mut chunk)).await {
            Err(_) => {
                return Ok(Verdict::NotVulnerable {
                    answer: format!("no answer within {secs:.1} s (the request was discarded)"),
                });
            }
            Ok(Err(_)) | Ok(Ok(0)) => {
                return Ok(Verdict::NotVulnerable {
                    answer: "the connection closed".into(),
                });
            }
            Ok(Ok(n)) => n,
        };
        let mut i = 0;
        while i < n {
            if body_left == 0 && current.is_none() {
                header.push(chunk[i]);
                i += 1;
                if header.len() == 5 {
                    let typ = header[0];
                    let len = u16::from_be_bytes([header[3], header[4]]) as usize;
                    header.clear();
                    match typ {
                        21 => {
                            return Ok(Verdict::NotVulnerable {
                                answer: "an alert".into(),
                            });
                        }
                        HEARTBEAT | 20 | 22 | 23 => {}
                        _ => {
                            return Err("bytes that are not a TLS record".into());
                        }
                    }
                    current = Some((typ, len));
                    body_left = len;
                }
            } else {
                let take = body_left.min(n - i);
                body_left -= take;
                i += take;
            }
            if let Some((typ, len)) = current
                && body_left == 0
            {
                current = None;
                if typ == HEARTBEAT {
                    chunk.fill(0);
                    return Ok(if len > sent {
                        Verdict::Vulnerable { response_len: len }
                    } else {
                        Verdict::NotVulnerable {
                            answer: format!(
                                "a heartbeat response of {len} bytes, no longer than the request"
                            ),
                        }
                    });
                }
            }
        }
        chunk.fill(0);
    }
}

/// Opens one connection, sends `hello` and reads the server flight up to ServerHelloDone,
/// all within the endpoint's timeout. Err: what was seen instead, for the unreadable note.
pub(super) async fn open_flight<'a>(
    ep: &'a Endpoint,
    hello: &[u8],
    what: &str,
) -> Result<
    (
        tokio::net::TcpStream,
        tokio::sync::SemaphorePermit<'a>,
        Box<reader::ServerFlight>,
    ),
    String,
> {
    let secs = ep.timeout.as_secs_f64();
    let deadline = tokio::time::Instant::now() + ep.timeout;
    let (mut stream, permit) = tokio::time::timeout_at(deadline, ep.open())
        .await
        .map_err(|_| format!("no connection within {secs:.1} s"))?
        .map_err(|e| e.to_string())?;
    let flight = tokio::time::timeout_at(deadline, async {
        stream
            .write_all(hello)
            .await
            .map_err(|e| format!("sending the hello failed: {e}"))?;
        let mut buf: Vec<u8> = Vec::with_capacity(8192);
        let mut chunk = vec![0u8; 16 * 1024];
        loop {
            let n = stream.read(&mut chunk).await.unwrap_or(0);
            buf.extend_from_slice(&chunk[..n]);
            match reader::read_flight(&buf, false, n == 0) {
                Ok(Progress::Done(Reply::Hello(f))) if f.complete => return Ok(f),
                Ok(Progress::Done(Reply::Alert { description, .. })) => {
                    return Err(format!(
                        "{what} got a {} alert",
                        reader::alert::name(description)
                    ));
                }
                Ok(Progress::Done(_)) => {
                    return Err(format!("{what} got no complete server flight"));
                }
                Ok(Progress::NeedMore) if n == 0 => {
                    return Err("the connection closed before ServerHelloDone".into());
                }
                Ok(Progress::NeedMore) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
    })
    .await
    .map_err(|_| format!("no server flight within {secs:.1} s"))??;
    Ok((stream, permit, flight))
}

#[cfg(test)]
mod tests {
    use super::hello::Hello;
    use super::*;

    #[test]
    fn the_extension_is_appended_and_every_length_still_parses() {
        let plain = hello::client_hello(&Hello {
            version: Some(Version::Tls12),
            suites: &[0xC02F],
            groups: &[0x001D],
            key_shares: &[],
            sni: Some("mm.example.com"),
            fallback_scsv: false,
        });
        let b = with_extension(&plain, EXT_HEARTBEAT, &[1]).expect("a TLS 1.2 hello");
        assert_eq!(b.len(), plain.len() + 5);
        let (_, msg) = tls_parser::parse_tls_plaintext(&b).expect("parses");
        match &msg.msg[0] {
            tls_parser::TlsMessage::Handshake(tls_parser::TlsMessageHandshake::ClientHello(ch)) => {
                let exts = ch.ext.expect("extensions");
                assert!(exts.ends_with(&[0x00, 0x0F, 0x00, 0x01, 0x01]));
            }
            other => panic!("not a ClientHello: {other:?}"),
        }
        assert!(with_extension(&b[..20], EXT_HEARTBEAT, &[1]).is_none());
    }

    #[test]
    fn the_request_claims_more_than_it_carries() {
        let r = request(Version::Tls12);
        assert_eq!(r[0], 24);
        assert_eq!(u16::from_be_bytes([r[3], r[4]]) as usize, r.len() - 5);
        assert_eq!(r[5], 1);
        assert_eq!(u16::from_be_bytes([r[6], r[7]]), 64);
        assert_eq!(r.len() - 5, 3 + 1 + 16);
    }
}
