//! Hostile and broken peers for the LDAP probe: a tiny LDAP responder with scripted
//! misbehaviour, and non-LDAP servers (HTTP, garbage, silence). Each listens on a free
//! 127.0.0.1 port in a background thread that lives as long as the test binary.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// How the fake LDAP server treats an extended request (StartTLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartTlsBehaviour {
    /// Answers protocolError (2), as a server without StartTLS does.
    Refuse,
    /// Answers success, then closes the connection instead of a TLS handshake.
    AcceptThenClose,
}

/// What a non-LDAP server does with a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Foreign {
    /// Reads the request and answers `HTTP/1.1 400 Bad Request`.
    Http,
    /// Sends bytes that are not BER, then closes.
    Garbage,
    /// Accepts and never says anything.
    Silent,
}

/// Starts a scripted LDAP responder that answers every bind with invalidCredentials (49,
/// so it evaluates passwords sent in the clear); returns its port.
pub fn fake_ldap(starttls: StartTlsBehaviour) -> u16 {
    fake_ldap_answering_binds(starttls, 49)
}

/// Starts a scripted LDAP responder that answers every bind with `bind_rc` (13,
/// confidentialityRequired, for a directory that refuses passwords in the clear).
pub fn fake_ldap_answering_binds(starttls: StartTlsBehaviour, bind_rc: u8) -> u16 {
    serve(move |stream| ldap_conversation(stream, starttls, bind_rc))
}

/// Starts a non-LDAP server; returns its port.
pub fn foreign(kind: Foreign) -> u16 {
    serve(move |mut stream| match kind {
        Foreign::Http => {
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(
                b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
        }
        Foreign::Garbage => {
            let _ =
                stream.write_all(b"\xde\xad\xbe\xef garbage \x00\x01\x02\x03 not ldap at all\r\n");
        }
        Foreign::Silent => {
            std::thread::sleep(Duration::from_secs(30));
        }
    })
}

fn serve(handler: impl Fn(TcpStream) + Send + Sync + Copy + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || handler(stream));
        }
    });
    port
}

fn ldap_conversation(mut stream: TcpStream, starttls: StartTlsBehaviour, bind_rc: u8) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    while let Some((id, op)) = read_message(&mut stream) {
        let reply = match op {
            // BindRequest -> BindResponse with the scripted result code
            0x60 => result(id, 0x61, bind_rc),
            // SearchRequest -> root DSE entry advertising StartTLS, then done
            0x63 => {
                let mut r = root_dse_entry(id);
                r.extend(result(id, 0x65, 0));
                r
            }
            // ExtendedRequest (StartTLS)
            0x77 => match starttls {
                StartTlsBehaviour::Refuse => result(id, 0x78, 2),
                StartTlsBehaviour::AcceptThenClose => {
                    let _ = stream.write_all(&result(id, 0x78, 0));
                    return;
                }
            },
            // UnbindRequest
            0x42 => return,
            _ => return,
        };
        if stream.write_all(&reply).is_err() {
            return;
        }
    }
}

/// Reads one LDAPMessage: (messageID, protocolOp tag).
fn read_message(stream: &mut TcpStream) -> Option<(u8, u8)> {
    let mut hdr = [0u8; 2];
    stream.read_exact(&mut hdr).ok()?;
    if hdr[0] != 0x30 {
        return None;
    }
    let len = if hdr[1] < 0x80 {
        usize::from(hdr[1])
    } else {
        let n = usize::from(hdr[1] & 0x7f);
        let mut b = vec![0u8; n];
        stream.read_exact(&mut b).ok()?;
        b.iter().fold(0usize, |a, x| a << 8 | usize::from(*x))
    };
    let mut body = vec![0u8; len];
    stream.read_exact(&mut body).ok()?;
    // INTEGER id (short), then the op tag.
    let id_len = usize::from(*body.get(1)?);
    let id = *body.get(1 + id_len)?;
    let op = *body.get(2 + id_len)?;
    Some((id, op))
}

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        out.extend([0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend(content);
    out
}

fn message(id: u8, op: Vec<u8>) -> Vec<u8> {
    let mut body = tlv(0x02, &[id]);
    body.extend(op);
    tlv(0x30, &body)
}

fn result(id: u8, op_tag: u8, rc: u8) -> Vec<u8> {
    let mut r = tlv(0x0a, &[rc]);
    r.extend(tlv(0x04, b""));
    r.extend(tlv(0x04, b""));
    message(id, tlv(op_tag, &r))
}

fn root_dse_entry(id: u8) -> Vec<u8> {
    let attr = |name: &str, value: &str| {
        let mut a = tlv(0x04, name.as_bytes());
        a.extend(tlv(0x31, &tlv(0x04, value.as_bytes())));
        tlv(0x30, &a)
    };
    let mut attrs = attr("supportedExtension", "1.3.6.1.4.1.1466.20037");
    attrs.extend(attr("supportedLDAPVersion", "3"));
    let mut entry = tlv(0x04, b"");
    entry.extend(tlv(0x30, &attrs));
    message(id, tlv(0x64, &entry))
}
