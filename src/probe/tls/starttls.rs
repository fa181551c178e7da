//! StartTLS upgrades: the plaintext exchange that turns a connection into one that expects
//! a ClientHello. LDAP's StartTLS extended operation (RFC 4511 §4.14, OID
//! 1.3.6.1.4.1.1466.20037) and PostgreSQL's SSLRequest (protocol docs §55.2.10, code
//! 80877103), and SMTP's STARTTLS (RFC 3207: greeting, EHLO, the STARTTLS keyword in the
//! EHLO reply, then `STARTTLS` answered with 220). The enumerator runs the same hellos
//! after any of them. Nothing else is sent: no MAIL, no AUTH.

use super::Upgrade;
use thiserror::Error;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Why the upgrade did not happen.
#[derive(Debug, Error)]
pub enum UpgradeError {
    #[error("the LDAP server refused StartTLS: resultCode {code} ({name})")]
    LdapRefused { code: u8, name: &'static str },
    #[error("the LDAP server's StartTLS answer is not an LDAP ExtendedResponse")]
    LdapMalformed,
    #[error("the PostgreSQL server does not offer SSL (answered 'N' to SSLRequest)")]
    PostgresNoSsl,
    #[error("not a PostgreSQL server: answered {0:#04x} to SSLRequest")]
    PostgresUnexpected(u8),
    #[error("the SMTP server does not offer STARTTLS (its EHLO reply lists: {0})")]
    SmtpNoStartTls(String),
    #[error("the SMTP server refused {step}: {reply}")]
    SmtpRefused { step: &'static str, reply: String },
    #[error("not an SMTP server: {0}")]
    SmtpUnexpected(String),
    #[error("the server closed the connection during the StartTLS exchange")]
    Closed,
    #[error("StartTLS exchange failed: {0}")]
    Io(#[from] std::io::Error),
}

/// LDAPMessage { messageID 1, extendedReq [APPLICATION 23] { requestName [0] "1.3.6.1.4.1.1466.20037" } }.
const LDAP_STARTTLS_REQUEST: &[u8] = b"\x30\x1d\x02\x01\x01\x77\x18\x80\x161.3.6.1.4.1.1466.20037";
/// Int32 length 8, Int32 80877103 (RFC-less: PostgreSQL protocol "SSLRequest").
const POSTGRES_SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F];
/// Largest LDAP response read while waiting for the ExtendedResponse.
const MAX_LDAP_RESPONSE: usize = 16 * 1024;
/// Largest SMTP reply read (greeting, EHLO reply, STARTTLS reply).
const MAX_SMTP_REPLY: usize = 16 * 1024;
/// The EHLO name: a reserved name (RFC 2606), so no real host is claimed.
const SMTP_EHLO: &[u8] = b"EHLO safeguard.invalid\r\n";

/// Performs the upgrade on a fresh connection.
pub async fn upgrade(stream: &mut TcpStream, how: &Upgrade) -> Result<(), UpgradeError> {
    match how {
        Upgrade::None => Ok(()),
        Upgrade::LdapStartTls => ldap(stream).await,
        Upgrade::PostgresSslRequest => postgres(stream).await,
        Upgrade::SmtpStartTls => smtp(stream).await,
    }
}

/// One SMTP reply: its code and its lines' texts (RFC 5321 §4.2: `NNN-text` continues,
/// `NNN text` ends).
#[derive(Debug, PartialEq, Eq)]
struct SmtpReply {
    code: u16,
    lines: Vec<String>,
}

impl SmtpReply {
    fn show(&self) -> String {
        format!("{} {}", self.code, self.lines.join(" / "))
    }
}

/// Parses a complete reply from `buf`; None while it is incomplete.
fn smtp_reply(buf: &[u8]) -> Option<Result<SmtpReply, UpgradeError>> {
    let mut lines = Vec::new();
    let mut rest = buf;
    loop {
        let end = rest.windows(2).position(|w| w == b"\r\n")?;
        let line = &rest[..end];
        rest = &rest[end + 2..];
        let text = String::from_utf8_lossy(line).into_owned();
        let parsed = line
            .get(..3)
            .and_then(|c| std::str::from_utf8(c).ok())
            .and_then(|c| c.parse::<u16>().ok());
        let Some(c) = parsed else {
            let shown: String = text.chars().take(60).collect();
            return Some(Err(UpgradeError::SmtpUnexpected(format!(
                "it sent {shown:?}"
            ))));
        };
        lines.push(text.get(4..).unwrap_or_default().to_owned());
        if line.get(3) != Some(&b'-') {
            return Some(Ok(SmtpReply { code: c, lines }));
        }
    }
}

async fn read_smtp(stream: &mut TcpStream) -> Result<SmtpReply, UpgradeError> {
    let mut buf = Vec::with_capacity(256);
    let mut chunk = [0u8; 1024];
    loop {
        if let Some(r) = smtp_reply(&buf) {
            return r;
        }
        if buf.len() > MAX_SMTP_REPLY {
            return Err(UpgradeError::SmtpUnexpected("a reply over 16 KiB".into()));
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(UpgradeError::Closed);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

async fn smtp(stream: &mut TcpStream) -> Result<(), UpgradeError> {
    let greeting = read_smtp(stream).await?;
    if greeting.code != 220 {
        return Err(UpgradeError::SmtpRefused {
            step: "the session",
            reply: greeting.show(),
        });
    }
    stream.write_all(SMTP_EHLO).await?;
    let ehlo = read_smtp(stream).await?;
    if ehlo.code != 250 {
        return Err(UpgradeError::SmtpRefused {
            step: "EHLO",
            reply: ehlo.show(),
        });
    }
    // The first line is the server's name; the keywords follow.
    let keywords: Vec<&str> = ehlo
        .lines
        .iter()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    if !keywords.iter().any(|k| k.eq_ignore_ascii_case("STARTTLS")) {
        return Err(UpgradeError::SmtpNoStartTls(if keywords.is_empty() {
            "nothing".to_owned()
        } else {
            keywords.join(", ")
        }));
    }
    stream.write_all(b"STARTTLS\r\n").await?;
    let reply = read_smtp(stream).await?;
    if reply.code != 220 {
        return Err(UpgradeError::SmtpRefused {
            step: "STARTTLS",
            reply: reply.show(),
        });
    }
    Ok(())
}

async fn postgres(stream: &mut TcpStream) -> Result<(), UpgradeError> {
    stream.write_all(&POSTGRES_SSL_REQUEST).await?;
    let mut b = [0u8; 1];
    if stream.read(&mut b).await? == 0 {
        return Err(UpgradeError::Closed);
    }
    match b[0] {
        b'S' => Ok(()),
        b'N' => Err(UpgradeError::PostgresNoSsl),
        other => Err(UpgradeError::PostgresUnexpected(other)),
    }
}

async fn ldap(stream: &mut TcpStream) -> Result<(), UpgradeError> {
    stream.write_all(LDAP_STARTTLS_REQUEST).await?;
    let mut buf = Vec::with_capacity(128);
    let mut chunk = [0u8; 1024];
    loop {
        if let Some((msg, _)) = ber_element(&buf) {
            return ldap_result(msg);
        }
        if buf.len() > MAX_LDAP_RESPONSE {
            return Err(UpgradeError::LdapMalformed);
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(UpgradeError::Closed);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The resultCode of an LDAPMessage carrying an ExtendedResponse ([APPLICATION 24]).
fn ldap_result(msg: Tlv<'_>) -> Result<(), UpgradeError> {
    let (tag, body) = msg;
    if tag != 0x30 {
        return Err(UpgradeError::LdapMalformed);
    }
    let (id, rest) = ber_element(body).ok_or(UpgradeError::LdapMalformed)?;
    if id.0 != 0x02 {
        return Err(UpgradeError::LdapMalformed);
    }
    let ((op, resp), _) = ber_element(rest).ok_or(UpgradeError::LdapMalformed)?;
    if op != 0x78 {
        return Err(UpgradeError::LdapMalformed);
    }
    let ((t, code), _) = ber_element(resp).ok_or(UpgradeError::LdapMalformed)?;
    if t != 0x0A || code.len() != 1 {
        return Err(UpgradeError::LdapMalformed);
    }
    match code[0] {
        0 => Ok(()),
        c => Err(UpgradeError::LdapRefused {
            code: c,
            name: ldap_result_name(c),
        }),
    }
}

/// LDAP result codes (RFC 4511 Appendix A) a StartTLS can meet.
fn ldap_result_name(code: u8) -> &'static str {
    match code {
        1 => "operationsError",
        2 => "protocolError",
        3 => "timeLimitExceeded",
        13 => "confidentialityRequired",
        51 => "busy",
        52 => "unavailable",
        53 => "unwillingToPerform",
        80 => "other",
        _ => "unknown",
    }
}

/// A BER element: `(tag, contents)`.
type Tlv<'a> = (u8, &'a [u8]);

/// One BER element `(tag, contents)` and what follows it, or None when incomplete.
fn ber_element(b: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)? as usize;
    let (len, hdr) = if first < 0x80 {
        (first, 2)
    } else {
        let n = first & 0x7F;
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | *b.get(2 + i)? as usize;
        }
        (len, 2 + n)
    };
    let end = hdr.checked_add(len)?;
    if b.len() < end {
        return None;
    }
    Some(((tag, &b[hdr..end]), &b[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_replies() {
        let r = smtp_reply(b"250-mail.example\r\n250-SIZE 1000\r\n250 STARTTLS\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(r.code, 250);
        assert_eq!(r.lines, vec!["mail.example", "SIZE 1000", "STARTTLS"]);
        assert!(smtp_reply(b"250-mail.example\r\n250-SIZE").is_none());
        assert!(smtp_reply(b"220 ready\r\n").unwrap().is_ok());
        assert!(matches!(
            smtp_reply(b"HTTP/1.1 400 Bad Request\r\n"),
            Some(Err(UpgradeError::SmtpUnexpected(_)))
        ));
    }

    #[test]
    fn starttls_request_lengths_add_up() {
        assert_eq!(LDAP_STARTTLS_REQUEST.len(), 2 + 0x1d);
        let ((tag, body), rest) = ber_element(LDAP_STARTTLS_REQUEST).unwrap();
        assert_eq!((tag, rest.len()), (0x30, 0));
        assert_eq!(body.len(), 0x1d);
    }

    #[test]
    fn ldap_results_are_read() {
        let ok = b"\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x00\x04\x00\x04\x00";
        assert!(ldap_result(ber_element(ok).unwrap().0).is_ok());
        let refused = b"\x30\x0c\x02\x01\x01\x78\x07\x0a\x01\x35\x04\x00\x04\x00";
        assert!(matches!(
            ldap_result(ber_element(refused).unwrap().0),
            Err(UpgradeError::LdapRefused { code: 53, .. })
        ));
        assert!(ber_element(b"\x30\x84\xff\xff").is_none());
    }
}
