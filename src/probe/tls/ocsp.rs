//! The stapled OCSP response, verified (RFC 6960): its signature, by the certificate's
//! issuer or by a responder the issuer delegated to (id-kp-OCSPSigning); that it speaks
//! of the served certificate (CertID serial and issuer key hash); its status; and its
//! freshness (thisUpdate ≤ now ≤ nextUpdate). A staple that is present but fails any of
//! these is no better than none: clients that require it hard-fail.
//!
//! The DER walk is a small reader of its own (a handful of SEQUENCEs); signatures are
//! verified with rustls' ring provider's WebPKI algorithms, chosen by the response's
//! AlgorithmIdentifier and the signer key's. What does not belong here: fetching OCSP
//! from the responder (the probe only reads what the server sends), the certificate
//! chain itself (`certificate`).

use rustls::RootCertStore;
use rustls::pki_types::SignatureVerificationAlgorithm;
use serde::Serialize;

/// What the staple says, once verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StapleCheck {
    /// Signature, match, status good and freshness all hold.
    pub valid: bool,
    /// `good`, `revoked` or `unknown`; None when no response matched the certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<&'static str>,
    /// Why it is not valid.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
}

/// One DER element: tag, contents, and the whole encoding.
#[derive(Clone, Copy)]
struct Tlv<'a> {
    tag: u8,
    body: &'a [u8],
    raw: &'a [u8],
}

/// Reads one element off the front of `b`.
fn tlv(b: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let tag = *b.first()?;
    let first = *b.get(1)?;
    let (len, head) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 {
            return None;
        }
        let mut len = 0usize;
        for i in 0..n {
            len = (len << 8) | usize::from(*b.get(2 + i)?);
        }
        (len, 2 + n)
    };
    let end = head.checked_add(len)?;
    let raw = b.get(..end)?;
    Some((
        Tlv {
            tag,
            body: &raw[head..],
            raw,
        },
        &b[end..],
    ))
}

/// Every element of a constructed body.
fn items(mut b: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (t, rest) = tlv(b)?;
        out.push(t);
        b = rest;
    }
    Some(out)
}

/// A GeneralizedTime (`YYYYMMDDHHMMSSZ`) as Unix seconds.
fn generalized_time(t: Tlv<'_>) -> Option<i64> {
    if t.tag != 0x18 {
        return None;
    }
    let s = std::str::from_utf8(t.body).ok()?;
    let s = s.strip_suffix('Z')?;
    let s = s.split('.').next()?;
    if s.len() != 14 {
        return None;
    }
    let n = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let date = time::Date::from_calendar_date(
        i32::try_from(n(0..4)?).ok()?,
        time::Month::try_from(u8::try_from(n(4..6)?).ok()?).ok()?,
        u8::try_from(n(6..8)?).ok()?,
    )
    .ok()?;
    let t = time::Time::from_hms(
        u8::try_from(n(8..10)?).ok()?,
        u8::try_from(n(10..12)?).ok()?,
        u8::try_from(n(12..14)?).ok()?,
    )
    .ok()?;
    Some(
        time::PrimitiveDateTime::new(date, t)
            .assume_utc()
            .unix_timestamp(),
    )
}

/// The subjectPublicKeyInfo of a certificate: (algorithm contents, key bits).
fn spki_of(cert_der: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (_, cert) = x509_parser::parse_x509_certificate(cert_der).ok()?;
    let spki = cert.public_key();
    let (alg, _) = tlv(spki.raw)?;
    let parts = items(alg.body)?;
    let alg_id = parts.first()?.body.to_vec();
    Some((alg_id, spki.subject_public_key.data.to_vec()))
}

/// Verifies `signature` over `message` with the key (`key_alg`, `key`), trying the
/// provider's algorithms whose identifiers match.
fn verify(sig_alg: &[u8], key_alg: &[u8], key: &[u8], message: &[u8], signature: &[u8]) -> bool {
    let provider = rustls::crypto::ring::default_provider();
    provider
        .signature_verification_algorithms
        .all
        .iter()
        .filter(|a| {
            a.signature_alg_id().as_ref() == sig_alg && a.public_key_alg_id().as_ref() == key_alg
        })
        .any(|a: &&dyn SignatureVerificationAlgorithm| {
            a.verify_signature(key, message, signature).is_ok()
        })
}

/// id-kp-OCSPSigning (1.3.6.1.5.5.7.3.9).
const OCSP_SIGNING: &str = "1.3.6.1.5.5.7.3.9";

/// Verifies the staple `response` for `chain[0]` at `now` (Unix seconds). The issuer is
/// `chain[1]`, or a trust anchor of `roots` with the leaf's issuer name. `Err` when the
/// bytes are not an OCSP response (what was seen).
pub fn verify_staple(
    response: &[u8],
    chain: &[Vec<u8>],
    roots: &RootCertStore,
    now: i64,
) -> Result<StapleCheck, String> {
    let bad = |what: &str| format!("the stapled OCSP response is malformed: {what}");
    let (outer, _) = tlv(response).ok_or_else(|| bad("not DER"))?;
    let outer = items(outer.body).ok_or_else(|| bad("OCSPResponse"))?;
    let status = outer.first().ok_or_else(|| bad("no responseStatus"))?;
    if status.tag != 0x0A || status.body != [0] {
        return Ok(StapleCheck {
            valid: false,
            status: None,
            problems: vec![format!(
                "responseStatus {} (not successful)",
                status.body.first().copied().unwrap_or(255)
            )],
        });
    }
    let bytes = outer.get(1).ok_or_else(|| bad("no responseBytes"))?;
    let (rb, _) = tlv(bytes.body).ok_or_else(|| bad("responseBytes"))?;
    let rb = items(rb.body).ok_or_else(|| bad("responseBytes"))?;
    let basic = rb.get(1).ok_or_else(|| bad("no response"))?;
    let (basic, _) = tlv(basic.body).ok_or_else(|| bad("BasicOCSPResponse"))?;
    let parts = items(basic.body).ok_or_else(|| bad("BasicOCSPResponse"))?;
    let (tbs, sig_alg, sig) = match parts.as_slice() {
        [tbs, alg, sig, ..] => (*tbs, *alg, *sig),
        _ => return Err(bad("BasicOCSPResponse fields")),
    };
    let sig_bits = sig.body.get(1..).ok_or_else(|| bad("signature"))?;
    let delegated: Vec<Vec<u8>> = parts
        .get(3)
        .and_then(|c| tlv(c.body))
        .and_then(|(seq, _)| items(seq.body))
        .map(|cs| cs.iter().map(|c| c.raw.to_vec()).collect())
        .unwrap_or_default();

    let leaf = chain
        .first()
        .ok_or_else(|| bad("no certificate to check"))?;
    let (_, leaf_cert) =
        x509_parser::parse_x509_certificate(leaf).map_err(|e| format!("leaf: {e}"))?;
    let issuer_key: Option<(Vec<u8>, Vec<u8>)> =
        chain.get(1).and_then(|c| spki_of(c)).or_else(|| {
            let name = leaf_cert.issuer().as_raw();
            let (name, _) = tlv(name)?;
            let ta = roots
                .roots
                .iter()
                .find(|ta| ta.subject.as_ref() == name.body)?;
            let spki = items(ta.subject_public_key_info.as_ref())?;
            // The anchor keeps the SubjectPublicKeyInfo's contents: the AlgorithmIdentifier
            // (whose contents are what the algorithms match) and the key's BIT STRING.
            let alg = spki.first()?.body.to_vec();
            Some((alg, spki.get(1)?.body.get(1..)?.to_vec()))
        });
    let mut problems = Vec::new();
    let sig_alg_contents = sig_alg.body;
    let signed = match &issuer_key {
        None => {
            problems.push("the issuer certificate is not available to verify the signature".into());
            false
        }
        Some((alg, key)) if verify(sig_alg_contents, alg, key, tbs.raw, sig_bits) => true,
        Some((alg, key)) => delegated.iter().any(|d| {
            // A delegated responder: signed by the issuer, allowed to sign OCSP, and the
            // response signed by it.
            let Ok((_, dc)) = x509_parser::parse_x509_certificate(d) else {
                return false;
            };
            let eku_ok = dc.extended_key_usage().ok().flatten().is_some_and(|e| {
                e.value.ocsp_signing
                    || e.value
                        .other
                        .iter()
                        .any(|o| o.to_id_string() == OCSP_SIGNING)
            });
            let Some((d_tbs, d_alg, d_sig)) = tlv(d).and_then(|(c, _)| {
                let p = items(c.body)?;
                Some((p.first()?.raw, p.get(1)?.body, p.get(2)?.body.get(1..)?))
            }) else {
                return false;
            };
            let Some((r_alg, r_key)) = spki_of(d) else {
                return false;
            };
            eku_ok
                && verify(d_alg, alg, key, d_tbs, d_sig)
                && verify(sig_alg_contents, &r_alg, &r_key, tbs.raw, sig_bits)
        }),
    };
    if issuer_key.is_some() && !signed {
        problems
            .push("its signature does not verify under the issuer or a delegated responder".into());
    }

    // ResponseData: [0] version?, responderID, producedAt, responses, [1] extensions?
    let fields = items(tbs.body).ok_or_else(|| bad("ResponseData"))?;
    let fields: Vec<Tlv<'_>> = fields.into_iter().filter(|f| f.tag != 0xA0).collect();
    let responses = fields.get(2).ok_or_else(|| bad("no responses"))?;
    let responses = items(responses.body).ok_or_else(|| bad("responses"))?;
    let serial = leaf_cert.tbs_certificate.raw_serial();
    let mut status = None;
    for r in responses {
        let Some(f) = items(r.body) else { continue };
        let (Some(cert_id), Some(cs), Some(this)) = (f.first(), f.get(1), f.get(2)) else {
            continue;
        };
        let Some(id) = items(cert_id.body) else {
            continue;
        };
        let Some(sn) = id.get(3) else { continue };
        if sn
            .body
            .iter()
            .skip_while(|b| **b == 0)
            .ne(serial.iter().skip_while(|b| **b == 0))
        {
            continue;
        }
        status = Some(match cs.tag {
            0x80 => "good",
            0xA1 => "revoked",
            _ => "unknown",
        });
        match generalized_time(*this) {
            Some(t) if t <= now + 300 => {}
            Some(_) => problems.push("thisUpdate is in the future".into()),
            None => problems.push("thisUpdate is unreadable".into()),
        }
        let next = f
            .get(3)
            .filter(|t| t.tag == 0xA0)
            .and_then(|t| tlv(t.body))
            .and_then(|(t, _)| generalized_time(t));
        if let Some(n) = next
            && n < now
        {
            problems.push("nextUpdate has passed: the response is stale".into());
        }
        break;
    }
    match status {
        None => problems.push("no response in it is for the served certificate".into()),
        Some("good") => {}
        Some(s) => problems.push(format!("the certificate's status is {s}")),
    }
    Ok(StapleCheck {
        valid: problems.is_empty(),
        status,
        problems,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let roots = RootCertStore::empty();
        assert!(verify_staple(b"", &[], &roots, 0).is_err());
        assert!(verify_staple(&[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF], &[], &roots, 0).is_err());
        assert!(verify_staple(&[0x30, 0x03, 0x0A, 0x01, 0x00], &[], &roots, 0).is_err());
        // An unsuccessful responseStatus is a decided answer: not valid.
        let r = verify_staple(&[0x30, 0x03, 0x0A, 0x01, 0x06], &[], &roots, 0).unwrap();
        assert!(!r.valid);
    }

    #[test]
    fn generalized_times() {
        let (t, _) = tlv(b"\x18\x0f20250102030405Z").unwrap();
        assert_eq!(generalized_time(t), Some(1_735_787_045));
    }
}
