//! The few bytes of hashicorp/memberlist's stream protocol the gossip probe speaks: one
//! plaintext ping out, and a reading of the first message that comes back. Pure — no
//! I/O — so every answer a peer could send is tested without a network.
//!
//! Wire format, from hashicorp/memberlist `net.go` (checked at commit 1b4c746 and in the
//! 0.2.2 Debian ships): a TCP stream message is one `messageType` byte followed by the
//! msgpack encoding of its struct, with no length prefix (`readStream` reads the type
//! byte, then hands the rest of the stream to a msgpack decoder). The types are an iota:
//! pingMsg 0, indirectPingMsg 1, ackRespMsg 2, … compressMsg 9, encryptMsg 10,
//! nackRespMsg 11, hasCrcMsg 12, errMsg 13; 244 (hasLabelMsg) prefixes a labelled
//! stream. Structs go through hashicorp/go-msgpack's `MsgpackHandle` (util.go `encode`),
//! which writes a struct as a map keyed by field name; `ping` is {SeqNo uint32, Node
//! string, SourceAddr/SourcePort/SourceNode omitempty}, `ackResp` {SeqNo, Payload},
//! `errResp` {Error}, `compress` {Algo (0: LZW), Buf} where Buf is Go's compress/lzw, LSB
//! first, 8-bit literals (util.go `compressPayload`). An encrypted message is encryptMsg,
//! a 4-byte big-endian length and the AES-GCM ciphertext (`encryptLocalState`).
//!
//! `handleConn` answers a stream ping whose Node is empty or its own name with an ack,
//! sent through `rawSendMsgStream` (compressed when EnableCompression, then encrypted when
//! a keyring is set and GossipVerifyOutgoing). With a keyring and GossipVerifyIncoming
//! (memberlist's default), `readStream` rejects a plaintext stream and the node answers
//! with an errResp — encrypted as well. Either way it then closes the connection.
//!
//! What does not belong here: sockets and timeouts (`super`), any message beyond the one
//! ping: the probe never joins, never pushes or pulls state.

use weezl::{BitOrder, LzwStatus, decode::Decoder};

/// memberlist's message types this module names (net.go `messageType`).
pub const PING_MSG: u8 = 0;
pub const ACK_RESP_MSG: u8 = 2;
pub const COMPRESS_MSG: u8 = 9;
pub const ENCRYPT_MSG: u8 = 10;
pub const ERR_MSG: u8 = 13;
pub const HAS_LABEL_MSG: u8 = 244;

/// The most the probe reads of an answer, and the most a compressed answer may expand to.
/// An ack is a few dozen bytes.
pub const MAX_ANSWER: usize = 64 * 1024;

/// The ping: pingMsg, then the msgpack map {"SeqNo": seq, "Node": ""}. An empty Node
/// claims no node name; memberlist acks it (`p.Node != "" && p.Node != m.config.Name` is
/// the only refusal).
pub fn ping(seq: u32) -> Vec<u8> {
    let mut out = vec![PING_MSG, 0x82];
    put_str(&mut out, "SeqNo");
    put_uint(&mut out, seq);
    put_str(&mut out, "Node");
    put_str(&mut out, "");
    out
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    // fixstr (fixraw in the old spec go-msgpack writes): every string here is < 32 bytes.
    debug_assert!(s.len() < 32);
    out.push(0xa0 | s.len() as u8);
    out.extend_from_slice(s.as_bytes());
}

fn put_uint(out: &mut Vec<u8>, v: u32) {
    // The shortest form, as go-msgpack writes it (any form decodes into a uint32).
    if v < 0x80 {
        out.push(v as u8);
    } else if v <= 0xff {
        out.extend_from_slice(&[0xcc, v as u8]);
    } else if v <= 0xffff {
        out.push(0xcd);
        out.extend_from_slice(&(v as u16).to_be_bytes());
    } else {
        out.push(0xce);
        out.extend_from_slice(&v.to_be_bytes());
    }
}

/// What the answer to the ping says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// More bytes are needed to tell.
    Incomplete,
    /// A plaintext ack carrying our sequence number (`compressed`: inside a compressMsg).
    PlaintextAck { compressed: bool },
    /// An encrypted message: the node wants the keyring.
    Encrypted { len: usize },
    /// A plaintext errResp: the node refused the plaintext ping (encryption on, outgoing
    /// verification off).
    Refused { error: String },
    /// Something that is not a readable memberlist answer to this ping.
    Unreadable { why: String },
}

/// Reads the answer so far. `complete` says the peer closed the stream (no more bytes).
pub fn read_answer(buf: &[u8], seq: u32, complete: bool) -> Answer {
    let Some(&first) = buf.first() else {
        return Answer::Incomplete;
    };
    let rest = &buf[1..];
    match first {
        ENCRYPT_MSG => {
            // The 4-byte length is enough to say it is encrypted; it is reported, not read.
            if rest.len() < 4 {
                return if complete {
                    Answer::Encrypted { len: rest.len() }
                } else {
                    Answer::Incomplete
                };
            }
            let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
            Answer::Encrypted { len }
        }
        ACK_RESP_MSG | ERR_MSG | COMPRESS_MSG => match value(rest) {
            Decoded::Incomplete if !complete => Answer::Incomplete,
            Decoded::Incomplete => Answer::Unreadable {
                why: format!(
                    "the answer (message type {first}) ends before its body does ({} bytes)",
                    buf.len()
                ),
            },
            Decoded::Bad(why) => Answer::Unreadable {
                why: format!("message type {first} with an unreadable body: {why}"),
            },
            Decoded::Value(v) => read_message(first, &v, seq, false),
        },
        other => Answer::Unreadable {
            why: format!(
                "the first byte 0x{other:02x} is not a memberlist answer to a ping (ack 2, compressed 9, encrypted 10, error 13)"
            ),
        },
    }
}

fn read_message(kind: u8, v: &rmpv::Value, seq: u32, inner: bool) -> Answer {
    match kind {
        ACK_RESP_MSG => match field(v, "SeqNo").and_then(rmpv::Value::as_u64) {
            Some(s) if s == u64::from(seq) => Answer::PlaintextAck { compressed: inner },
            Some(s) => Answer::Unreadable {
                why: format!("an ack for sequence number {s}, not the ping's {seq}"),
            },
            None => Answer::Unreadable {
                why: "an ack without a sequence number".to_owned(),
            },
        },
        ERR_MSG => Answer::Refused {
            error: field(v, "Error")
                .and_then(rmpv::Value::as_str)
                .unwrap_or("(no error text)")
                .chars()
                .take(200)
                .collect(),
        },
        COMPRESS_MSG if !inner => {
            let algo = field(v, "Algo").and_then(rmpv::Value::as_u64);
            let data = field(v, "Buf").and_then(|b| match b {
                rmpv::Value::Binary(d) => Some(d.as_slice()),
                rmpv::Value::String(s) => Some(s.as_bytes()),
                _ => None,
            });
            let (Some(0), Some(data)) = (algo, data) else {
                return Answer::Unreadable {
                    why: format!(
                        "a compressed message with algorithm {algo:?} (only LZW, 0, exists)"
                    ),
                };
            };
            let plain = match lzw(data) {
                Ok(p) => p,
                Err(why) => {
                    return Answer::Unreadable {
                        why: format!("a compressed message that does not decompress: {why}"),
                    };
                }
            };
            let Some((&kind, body)) = plain.split_first() else {
                return Answer::Unreadable {
                    why: "an empty compressed message".to_owned(),
                };
            };
            match value(body) {
                Decoded::Value(v) if matches!(kind, ACK_RESP_MSG | ERR_MSG) => {
                    read_message(kind, &v, seq, true)
                }
                Decoded::Value(_) => Answer::Unreadable {
                    why: format!("a compressed message of type {kind}, not an ack"),
                },
                Decoded::Incomplete => Answer::Unreadable {
                    why: "a compressed message whose body is cut short".to_owned(),
                },
                Decoded::Bad(why) => Answer::Unreadable {
                    why: format!("a compressed message with an unreadable body: {why}"),
                },
            }
        }
        _ => Answer::Unreadable {
            why: format!("message type {kind} inside a compressed message"),
        },
    }
}

enum Decoded {
    Value(rmpv::Value),
    Incomplete,
    Bad(String),
}

/// One msgpack value from the front of `buf` (bounded: `buf` is at most [`MAX_ANSWER`],
/// nesting at most 16 deep).
fn value(buf: &[u8]) -> Decoded {
    let mut rd = buf;
    match rmpv::decode::read_value_with_max_depth(&mut rd, 16) {
        Ok(v) => Decoded::Value(v),
        Err(e) if is_eof(&e) => Decoded::Incomplete,
        Err(e) => Decoded::Bad(e.to_string()),
    }
}

fn is_eof(e: &rmpv::decode::Error) -> bool {
    match e {
        rmpv::decode::Error::InvalidMarkerRead(io) | rmpv::decode::Error::InvalidDataRead(io) => {
            io.kind() == std::io::ErrorKind::UnexpectedEof
        }
        _ => false,
    }
}

/// The value under string key `name` of a msgpack map.
fn field<'a>(v: &'a rmpv::Value, name: &str) -> Option<&'a rmpv::Value> {
    v.as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(name))
        .map(|(_, v)| v)
}

/// Go's compress/lzw (LSB first, 8-bit literals), output bounded by [`MAX_ANSWER`].
fn lzw(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut dec = Decoder::new(BitOrder::Lsb, 8);
    let mut out = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut input = data;
    loop {
        let r = dec.decode_bytes(input, &mut chunk);
        input = &input[r.consumed_in..];
        out.extend_from_slice(&chunk[..r.consumed_out]);
        if out.len() > MAX_ANSWER {
            return Err(format!("expands beyond {MAX_ANSWER} bytes"));
        }
        match r.status {
            Ok(LzwStatus::Done) => return Ok(out),
            Ok(LzwStatus::Ok) => {}
            Ok(LzwStatus::NoProgress) => {
                return Err("the data ends without an end code".to_owned());
            }
            Err(e) => return Err(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msgpack(v: &rmpv::Value) -> Vec<u8> {
        let mut out = Vec::new();
        rmpv::encode::write_value(&mut out, v).unwrap();
        out
    }

    fn map(entries: Vec<(&str, rmpv::Value)>) -> rmpv::Value {
        rmpv::Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| (rmpv::Value::from(k), v))
                .collect(),
        )
    }

    fn ack(seq: u32) -> Vec<u8> {
        let mut m = vec![ACK_RESP_MSG];
        m.extend(msgpack(&map(vec![
            ("SeqNo", rmpv::Value::from(seq)),
            ("Payload", rmpv::Value::Nil),
        ])));
        m
    }

    fn compressed(inner: &[u8]) -> Vec<u8> {
        let data = weezl::encode::Encoder::new(BitOrder::Lsb, 8)
            .encode(inner)
            .unwrap();
        let mut m = vec![COMPRESS_MSG];
        m.extend(msgpack(&map(vec![
            ("Algo", rmpv::Value::from(0)),
            ("Buf", rmpv::Value::Binary(data)),
        ])));
        m
    }

    #[test]
    fn the_ping_is_the_msgpack_map_go_msgpack_writes() {
        let p = ping(7);
        assert_eq!(
            p,
            [
                &[0u8, 0x82, 0xa5][..],
                b"SeqNo",
                &[7, 0xa4],
                b"Node",
                &[0xa0]
            ]
            .concat()
        );
        // It decodes as the map memberlist expects, for every width of the number.
        for seq in [0, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, u32::MAX] {
            let p = ping(seq);
            let Decoded::Value(v) = value(&p[1..]) else {
                panic!("ping {seq} does not decode")
            };
            assert_eq!(
                field(&v, "SeqNo").and_then(rmpv::Value::as_u64),
                Some(seq.into())
            );
            assert_eq!(field(&v, "Node").and_then(rmpv::Value::as_str), Some(""));
        }
    }

    #[test]
    fn answers() {
        assert_eq!(
            read_answer(&ack(1234), 1234, false),
            Answer::PlaintextAck { compressed: false }
        );
        assert_eq!(
            read_answer(&compressed(&ack(99_999)), 99_999, true),
            Answer::PlaintextAck { compressed: true }
        );
        assert!(matches!(
            read_answer(&ack(5), 6, true),
            Answer::Unreadable { .. }
        ));
        assert_eq!(
            read_answer(&[ENCRYPT_MSG, 0, 0, 0, 40, 1, 2, 3], 1, false),
            Answer::Encrypted { len: 40 }
        );
        let mut err = vec![ERR_MSG];
        err.extend(msgpack(&map(vec![(
            "Error",
            rmpv::Value::from("Encryption is configured but remote state is not encrypted"),
        )])));
        assert!(matches!(
            read_answer(&err, 1, true),
            Answer::Refused { error } if error.contains("not encrypted")
        ));
        assert!(matches!(
            read_answer(&compressed(&err), 1, true),
            Answer::Refused { .. }
        ));
        assert!(matches!(
            read_answer(b"HTTP/1.1 400 Bad Request\r\n", 1, true),
            Answer::Unreadable { .. }
        ));
    }

    #[test]
    fn partial_answers_wait_for_more_and_truncated_ones_are_unreadable() {
        let a = ack(300);
        for n in 0..a.len() {
            assert_eq!(read_answer(&a[..n], 300, false), Answer::Incomplete, "{n}");
            if n > 0 {
                assert!(matches!(
                    read_answer(&a[..n], 300, true),
                    Answer::Unreadable { .. }
                ));
            }
        }
        assert_eq!(read_answer(&[ENCRYPT_MSG, 0], 1, false), Answer::Incomplete);
    }

    #[test]
    fn hostile_answers_do_not_panic_or_balloon() {
        // Declared lengths far beyond the buffer.
        for bytes in [
            &[ACK_RESP_MSG, 0xdf, 0xff, 0xff, 0xff, 0xff][..],
            &[ACK_RESP_MSG, 0xc6, 0xff, 0xff, 0xff, 0xff, 1],
            &[
                COMPRESS_MSG,
                0x82,
                0xa4,
                b'A',
                b'l',
                b'g',
                b'o',
                0,
                0xa3,
                b'B',
                b'u',
                b'f',
                0xc4,
                3,
                1,
                2,
                3,
            ],
            &[ERR_MSG, 0xc1],
        ] {
            let _ = read_answer(bytes, 1, true);
            let _ = read_answer(bytes, 1, false);
        }
        // Deep nesting stops at the depth limit.
        let mut deep = vec![ACK_RESP_MSG];
        deep.extend(std::iter::repeat_n(0x91u8, 10_000));
        assert!(matches!(
            read_answer(&deep, 1, true),
            Answer::Unreadable { .. }
        ));
        // A compression bomb stops at the bound.
        let bomb = compressed(&[ACK_RESP_MSG; 200_000]);
        assert!(
            matches!(read_answer(&bomb, 1, true), Answer::Unreadable { why } if why.contains("expands"))
        );
        // Every prefix and every single-byte change of a real answer.
        let good = compressed(&ack(77));
        for i in 0..good.len() {
            let _ = read_answer(&good[..i], 77, true);
            for b in [0u8, 0xff, 0x80] {
                let mut m = good.clone();
                m[i] = b;
                let _ = read_answer(&m, 77, true);
            }
        }
    }
}
