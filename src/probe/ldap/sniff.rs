//! What a port speaks, found out cheaply before anything else: plaintext LDAP (a root DSE
//! search answered with an LDAPMessage), TLS (a ClientHello answered with a TLS record),
//! both, or neither. This is what tells an LDAPS port configured as plaintext (and the
//! reverse) apart, and what turns an HTTP server, garbage or silence into a clear error
//! instead of a confused ldap3 session.
//!
//! What does not belong here: judging the TLS that is spoken (the TLS probe does that).

use super::ber::{self, Reply};
use super::codes::tls_record;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The answer to one sniff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniff {
    /// The port speaks the protocol.
    Speaks,
    /// It answered, closed, or stayed silent in a way that is not the protocol; says what.
    DoesNot(String),
    /// Could not connect at all.
    Unreachable(String),
}

impl Sniff {
    /// Whether the port speaks it, if the port could be reached.
    pub fn speaks(&self) -> Option<bool> {
        match self {
            Self::Speaks => Some(true),
            Self::DoesNot(_) => Some(false),
            Self::Unreachable(_) => None,
        }
    }
}

/// Sends a root DSE search in the clear and reads the first reply.
pub async fn plaintext(addr: SocketAddr, timeout: Duration) -> Sniff {
    let request = ber::root_dse_probe_request();
    exchange(addr, &request, timeout, |buf| match ber::classify(buf) {
        Reply::Ldap { .. } => Some(Sniff::Speaks),
        Reply::Incomplete => None,
        Reply::Other(what) => Some(Sniff::DoesNot(format!("it answered with {what}"))),
    })
    .await
}

/// Sends a TLS 1.2 ClientHello offering every legacy suite (written by the TLS probe's
/// hello writer, so a TLS 1.0-only server answers too) and reads the first record header.
/// Any handshake or alert record counts: a server that refuses our offer still speaks TLS.
pub async fn tls(addr: SocketAddr, host: &str, timeout: Duration) -> Sniff {
    use crate::probe::tls::{enumerate::candidates, hello, version::Version};
    let suites = candidates(Version::Tls12);
    // x25519, secp256r1, secp384r1, ffdhe2048 (IANA TLS Supported Groups).
    let groups = [0x001d, 0x0017, 0x0018, 0x0100];
    let sni = host.parse::<std::net::IpAddr>().is_err().then_some(host);
    let hello = hello::client_hello(&hello::Hello {
        version: Some(Version::Tls12),
        suites: &suites,
        groups: &groups,
        key_shares: &[],
        sni,
        fallback_scsv: false,
    });
    exchange(addr, &hello, timeout, |buf| {
        if buf.len() < 2 {
            return None;
        }
        if (buf[0] == tls_record::HANDSHAKE || buf[0] == tls_record::ALERT) && buf[1] == 0x03 {
            Some(Sniff::Speaks)
        } else {
            Some(Sniff::DoesNot(format!(
                "it answered a TLS ClientHello with {}",
                ber::describe_foreign(buf)
            )))
        }
    })
    .await
}

/// Connects, writes `request`, and feeds what arrives to `judge` until it decides, the
/// peer closes, or `timeout` (for the whole exchange) runs out.
async fn exchange(
    addr: SocketAddr,
    request: &[u8],
    timeout: Duration,
    judge: impl Fn(&[u8]) -> Option<Sniff>,
) -> Sniff {
    let run = async {
        let mut stream = match TcpStream::connect(addr).await {
            Ok(s) => s,
            Err(e) => return Sniff::Unreachable(format!("cannot connect to {addr}: {e}")),
        };
        if let Err(e) = stream.write_all(request).await {
            return Sniff::DoesNot(format!("the connection broke while sending: {e}"));
        }
        let mut buf = Vec::with_capacity(512);
        let mut chunk = [0u8; 1024];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) => {
                    return Sniff::DoesNot(if buf.is_empty() {
                        "it closed the connection without answering".to_owned()
                    } else {
                        format!(
                            "it closed the connection after {}",
                            ber::describe_foreign(&buf)
                        )
                    });
                }
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(verdict) = judge(&buf) {
                        return verdict;
                    }
                    if buf.len() > 64 * 1024 {
                        return Sniff::DoesNot(format!("it sent {}", ber::describe_foreign(&buf)));
                    }
                }
                Err(e) => {
                    return Sniff::DoesNot(format!("the connection broke while reading: {e}"));
                }
            }
        }
    };
    match tokio::time::timeout(timeout, run).await {
        Ok(verdict) => verdict,
        Err(_) => Sniff::DoesNot(format!(
            "no answer within {}",
            super::show_duration(timeout)
        )),
    }
}
