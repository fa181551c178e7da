//! The little raw BER this probe needs to tell whether a port speaks plaintext LDAP at
//! all, before handing it to ldap3: one fixed request, and a reader that frames and
//! classifies the first reply. Everything else (root DSE, binds, StartTLS) goes through
//! ldap3.
//!
//! What does not belong here: a general BER codec.

use super::codes::tag;

/// A root DSE search (RFC 4512 §5.1) as message 1: base "", scope baseObject, filter
/// `(objectClass=*)`, attribute `supportedLDAPVersion`. Any LDAP server answers it, even
/// one that refuses it (with a SearchResultDone carrying a result code).
pub fn root_dse_probe_request() -> Vec<u8> {
    let attr = b"supportedLDAPVersion";
    let mut search = Vec::new();
    search.extend([0x04, 0x00]); // baseObject ""
    search.extend([0x0a, 0x01, 0x00]); // scope baseObject
    search.extend([0x0a, 0x01, 0x00]); // derefAliases never
    search.extend([0x02, 0x01, 0x00]); // sizeLimit 0
    search.extend([0x02, 0x01, 0x00]); // timeLimit 0
    search.extend([0x01, 0x01, 0x00]); // typesOnly FALSE
    search.push(0x87); // filter: present [7]
    search.push(11);
    search.extend(b"objectClass");
    search.push(0x30); // attributes
    search.push((attr.len() + 2) as u8);
    search.push(0x04);
    search.push(attr.len() as u8);
    search.extend(attr);
    let mut op = vec![0x63, search.len() as u8];
    op.extend(search);
    let mut msg = vec![0x02, 0x01, 0x01]; // messageID 1
    msg.extend(op);
    let mut out = vec![tag::SEQUENCE, msg.len() as u8];
    out.extend(msg);
    out
}

/// What the first bytes of a reply say about the peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A well-formed LDAPMessage: `op` is the protocolOp tag, `result_code` the resultCode
    /// of an LDAPResult-shaped op (SearchResultDone, ExtendedResponse) when present.
    Ldap { op: u8, result_code: Option<u32> },
    /// Not enough bytes yet.
    Incomplete,
    /// Something else, described for a person ("an HTTP response", "a TLS record", bytes).
    Other(String),
}

/// Classifies `buf`, the bytes received so far.
pub fn classify(buf: &[u8]) -> Reply {
    let Some(&first) = buf.first() else {
        return Reply::Incomplete;
    };
    if first != tag::SEQUENCE {
        return Reply::Other(describe_foreign(buf));
    }
    let Some((len, hdr)) = length(&buf[1..]) else {
        return if buf.len() < 6 {
            Reply::Incomplete
        } else {
            Reply::Other(describe_foreign(buf))
        };
    };
    let body_start = 1 + hdr;
    if len > 1 << 20 {
        return Reply::Other(format!("a BER frame announcing {len} bytes (not LDAP?)"));
    }
    if buf.len() < body_start + len {
        return Reply::Incomplete;
    }
    let body = &buf[body_start..body_start + len];
    // messageID INTEGER
    let Some((id_len, id_hdr)) = body.get(1..).and_then(length) else {
        return Reply::Other(describe_foreign(buf));
    };
    if body.first() != Some(&tag::INTEGER) || id_len == 0 || id_len > 4 {
        return Reply::Other(describe_foreign(buf));
    }
    let op_at = 1 + id_hdr + id_len;
    let Some(&op) = body.get(op_at) else {
        return Reply::Other(describe_foreign(buf));
    };
    if op & 0x60 != 0x60 {
        return Reply::Other(describe_foreign(buf));
    }
    let result_code = match op {
        tag::SEARCH_RESULT_DONE | tag::EXTENDED_RESPONSE => body
            .get(op_at + 1..)
            .and_then(length)
            .and_then(|(_, h)| body.get(op_at + 1 + h..))
            .and_then(|rest| match rest {
                [0x0a, n @ 1..=4, ..] => rest
                    .get(2..2 + *n as usize)
                    .map(|b| b.iter().fold(0u32, |acc, x| acc << 8 | u32::from(*x))),
                _ => None,
            }),
        _ => None,
    };
    Reply::Ldap { op, result_code }
}

/// A BER definite length at the start of `b`: (length, bytes used by the length).
fn length(b: &[u8]) -> Option<(usize, usize)> {
    let first = *b.first()?;
    if first < 0x80 {
        return Some((usize::from(first), 1));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 || b.len() < 1 + n {
        return None;
    }
    let len = b[1..=n]
        .iter()
        .fold(0usize, |acc, x| acc << 8 | usize::from(*x));
    Some((len, 1 + n))
}

/// Says what a non-LDAP reply looks like.
pub fn describe_foreign(buf: &[u8]) -> String {
    use super::codes::tls_record;
    if buf.starts_with(b"HTTP/") {
        let line = buf.split(|b| *b == b'\n').next().unwrap_or_default();
        let line = String::from_utf8_lossy(line);
        return format!("an HTTP response ({:?})", line.trim());
    }
    if buf.len() >= 2
        && (buf[0] == tls_record::HANDSHAKE || buf[0] == tls_record::ALERT)
        && buf[1] == 0x03
    {
        return "a TLS record (the port speaks TLS: is it an LDAPS port?)".to_owned();
    }
    if buf.starts_with(b"SSH-") {
        return "an SSH banner".to_owned();
    }
    let shown: Vec<String> = buf.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "bytes that are not LDAP ({}{})",
        shown.join(" "),
        if buf.len() > 16 { " …" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn request_is_well_framed() {
        let req = root_dse_probe_request();
        assert_eq!(req[0], 0x30);
        assert_eq!(usize::from(req[1]), req.len() - 2);
        // Our own request frames as LDAP (op = SearchRequest).
        assert_eq!(
            classify(&req),
            Reply::Ldap {
                op: 0x63,
                result_code: None
            }
        );
    }

    #[test]
    fn reads_results_and_foreign_replies() {
        // SearchResultDone, rc 13, from slapd with security ssf=128.
        let done = [
            0x30, 0x0c, 0x02, 0x01, 0x01, 0x65, 0x07, 0x0a, 0x01, 0x0d, 0x04, 0x00, 0x04, 0x00,
        ];
        assert_eq!(
            classify(&done),
            Reply::Ldap {
                op: 0x65,
                result_code: Some(13)
            }
        );
        assert_eq!(classify(&done[..5]), Reply::Incomplete);
        assert!(
            matches!(classify(b"HTTP/1.1 400 Bad Request\r\n"), Reply::Other(s) if s.contains("HTTP"))
        );
        assert!(
            matches!(classify(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]), Reply::Other(s) if s.contains("TLS"))
        );
        assert!(matches!(
            classify(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0]),
            Reply::Other(_)
        ));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = classify(&bytes);
        }
    }
}
