//! CCS injection (CVE-2014-0224), tested actively on one extra connection: right after the
//! server's flight (ServerHelloDone) two ChangeCipherSpec records are sent, before any key
//! exchange. A patched server refuses the first with an unexpected_message alert or closes;
//! a vulnerable OpenSSL (before 0.9.8za / 1.0.0m / 1.0.1h) accepts it, switches to keys
//! derived from an empty master secret, and fails to decrypt the second
//! (bad_record_mac or decryption_failed). Silence is neither and is not judged. What does
//! not belong here: hello writing (`hello`), the passive weaknesses (`mod.rs`).

use super::connection::Endpoint;
use super::heartbleed::open_flight;
use super::hello;
use super::version::Version;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The early ChangeCipherSpec was accepted: the next record failed to decrypt.
    Vulnerable { alert: u8 },
    /// The early ChangeCipherSpec was refused (an alert or a close).
    NotVulnerable { answer: String },
}

/// One ChangeCipherSpec record with `version`.
pub fn change_cipher_spec(version: Version) -> Vec<u8> {
    let mut rec = vec![20];
    rec.extend_from_slice(&version.wire().to_be_bytes());
    rec.extend_from_slice(&[0, 1, 1]);
    rec
}

/// Runs the test with `version` (TLS 1.0–1.2) and the suites the server accepted with it.
/// Err: what was seen when the answer could not be judged (silence among them).
pub async fn test(
    ep: &Endpoint,
    version: Version,
    suites: &[u16],
    sni: Option<&str>,
) -> Result<Verdict, String> {
    let hello = hello::legacy_test_hello(version, suites, sni);
    let (mut stream, _permit, _flight) = open_flight(ep, &hello, "the hello").await?;
    let ccs = change_cipher_spec(version);
    let mut both = ccs.clone();
    both.extend_from_slice(&ccs);
    if stream.write_all(&both).await.is_err() {
        return Ok(Verdict::NotVulnerable {
            answer: "the connection closed on the early ChangeCipherSpec".into(),
        });
    }
    let secs = ep.timeout.as_secs_f64();
    let deadline = tokio::time::Instant::now() + ep.timeout;
    let mut buf: Vec<u8> = Vec::with_capacity(64);
    let mut chunk = [0u8; 1024];
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => {
                return Err(format!(
                    "no answer within {secs:.1} s to an early ChangeCipherSpec: neither refused nor shown accepted, not judged"
                ));
            }
            Ok(Err(_)) | Ok(Ok(0)) => {
                return Ok(Verdict::NotVulnerable {
                    answer: "a closed connection".into(),
                });
            }
            Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
        }
        if buf.len() < 5 {
            continue;
        }
        if buf[0] != 21 {
            return Err(format!(
                "a record of type {} instead of an alert after an early ChangeCipherSpec",
                buf[0]
            ));
        }
        // A plaintext alert is 2 bytes; a longer one is encrypted, which a server only
        // sends after accepting the ChangeCipherSpec.
        let len = u16::from_be_bytes([buf[3], buf[4]]) as usize;
        if len != 2 {
            return Err(format!(
                "an alert record of {len} bytes (encrypted?) after an early ChangeCipherSpec: not judged"
            ));
        }
        if buf.len() < 7 {
            continue;
        }
        let description = buf[6];
        return Ok(match description {
            20 | 21 => Verdict::Vulnerable { alert: description },
            _ => Verdict::NotVulnerable {
                answer: format!("a {} alert", super::reader::alert::name(description)),
            },
        });
    }
}
