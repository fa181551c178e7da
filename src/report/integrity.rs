//! Signing and verifying reports (ed25519, ed25519-dalek).
//!
//! A signature covers a manifest — the `sha256:` of the canonical JSON (sorted keys, no
//! white space; [`super::canonical_json`]) of every top-level member of the report but
//! the signature itself — so verifying tells not only *that* a report was changed but
//! *which part*: the findings, the gate, the evidence, a member added or removed. The
//! evidence digest recorded at scan time is checked against the evidence too, and every
//! input file still present is re-hashed and compared.
//!
//! Keys are PKCS#8 / SPKI PEM files (`safeguard keygen`), readable by OpenSSL. Reading
//! key and input files is the caller's.

use super::{Report, Signature, canonical_json, sha256};
use base64::Engine;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde_json::Value;
use std::collections::BTreeMap;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// A new key pair as (private PKCS#8 PEM, public SPKI PEM).
pub fn generate_pem() -> Result<(String, String), String> {
    let mut seed = [0u8; 32];
    rand::Rng::fill(&mut rand::rng(), &mut seed[..]);
    let key = SigningKey::from_bytes(&seed);
    seed.fill(0);
    let private = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the key: {e}"))?
        .to_string();
    let public = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| format!("cannot encode the public key: {e}"))?;
    Ok((private, public))
}

/// Reads a private key (PKCS#8 PEM).
pub fn load_signing_key(pem: &str) -> Result<SigningKey, String> {
    SigningKey::from_pkcs8_pem(pem)
        .map_err(|e| format!("not an ed25519 private key (PKCS#8 PEM): {e}"))
}

/// Reads a public key (SPKI PEM).
pub fn load_verifying_key(pem: &str) -> Result<VerifyingKey, String> {
    VerifyingKey::from_public_key_pem(pem)
        .map_err(|e| format!("not an ed25519 public key (PEM): {e}"))
}

/// The manifest of a report's JSON: member → digest, all but `signature`.
fn manifest_of(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| k.as_str() != "signature")
                .map(|(k, v)| (k.clone(), sha256(canonical_json(v).as_bytes())))
                .collect()
        })
        .unwrap_or_default()
}

fn manifest_bytes(m: &BTreeMap<String, String>) -> Vec<u8> {
    let v = serde_json::to_value(m).unwrap_or(Value::Null);
    canonical_json(&v).into_bytes()
}

/// Signs `report` in place.
pub fn sign(report: &mut Report, key: &SigningKey) {
    report.signature = None;
    let v = serde_json::to_value(&*report).unwrap_or(Value::Null);
    let manifest = manifest_of(&v);
    let sig = key.sign(&manifest_bytes(&manifest));
    report.signature = Some(Signature {
        algorithm: "ed25519".into(),
        public_key: B64.encode(key.verifying_key().as_bytes()),
        manifest,
        value: B64.encode(sig.to_bytes()),
    });
}

/// What verifying found.
#[derive(Debug, Default)]
pub struct Verification {
    /// Each change or failure, named.
    pub problems: Vec<String>,
    /// Things worth knowing that are not failures.
    pub notes: Vec<String>,
    pub inputs_checked: usize,
}

/// Verifies a signed report's text with `key`; `read` gives an input file's bytes now
/// (None when it is not there). Err only when the text is not a report.
pub fn verify(
    text: &str,
    key: &VerifyingKey,
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Result<Verification, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if v.get("schema_version").is_none() {
        return Err("not a safeguard report: no schema_version".into());
    }
    let mut out = Verification::default();
    let Some(sig) = v.get("signature") else {
        out.problems
            .push("the report is not signed (no `signature` block)".into());
        return Ok(out);
    };
    let sig: Signature = match serde_json::from_value(sig.clone()) {
        Ok(s) => s,
        Err(e) => {
            out.problems
                .push(format!("the signature block is malformed: {e}"));
            return Ok(out);
        }
    };
    if sig.algorithm != "ed25519" {
        out.problems
            .push(format!("unknown signature algorithm `{}`", sig.algorithm));
        return Ok(out);
    }
    if B64.decode(&sig.public_key).ok().as_deref() != Some(key.as_bytes().as_slice()) {
        out.problems
            .push("the report was signed with a different key than the one given".into());
    }
    let signature = B64
        .decode(&sig.value)
        .ok()
        .and_then(|b| <[u8; 64]>::try_from(b.as_slice()).ok())
        .map(|b| ed25519_dalek::Signature::from_bytes(&b));
    match signature {
        None => out
            .problems
            .push("the signature value is not 64 bytes of base64".into()),
        Some(s) => {
            if key
                .verify_strict(&manifest_bytes(&sig.manifest), &s)
                .is_err()
            {
                out.problems.push(
                    "the signature does not match the signed manifest: the manifest or the \
                     signature was altered, or another key signed it"
                        .into(),
                );
            }
        }
    }
    // Which members changed since signing.
    let now = manifest_of(&v);
    for (k, d) in &sig.manifest {
        match now.get(k) {
            None => out
                .problems
                .push(format!("`{k}` was removed after signing")),
            Some(x) if x != d => out
                .problems
                .push(format!("`{k}` was changed after signing")),
            Some(_) => {}
        }
    }
    for k in now.keys() {
        if !sig.manifest.contains_key(k) {
            out.problems.push(format!("`{k}` was added after signing"));
        }
    }
    // The evidence against its recorded digest.
    let recorded = v["integrity"]["evidence_digest"].as_str().unwrap_or("");
    if !recorded.is_empty() {
        let actual = sha256(canonical_json(&v["evidence"]).as_bytes());
        if actual != recorded {
            out.problems.push(format!(
                "the evidence does not match its recorded digest ({recorded}; now {actual})"
            ));
        }
    }
    // Input files still present.
    if let Some(inputs) = v["integrity"]["inputs"].as_array() {
        for i in inputs {
            let (Some(path), Some(want)) = (i["path"].as_str(), i["sha256"].as_str()) else {
                continue;
            };
            match read(path) {
                Some(bytes) => {
                    out.inputs_checked += 1;
                    let got = sha256(&bytes);
                    if got != want {
                        out.problems.push(format!(
                            "input {path} ({}) has changed since the scan: {want} then, {got} now",
                            i["role"].as_str().unwrap_or("input")
                        ));
                    }
                }
                None => out.notes.push(format!(
                    "input {path} is not here; its digest was not checked"
                )),
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_pem() {
        let (private, public) = generate_pem().unwrap();
        assert!(private.contains("BEGIN PRIVATE KEY"));
        assert!(public.contains("BEGIN PUBLIC KEY"));
        let k = load_signing_key(&private).unwrap();
        let p = load_verifying_key(&public).unwrap();
        assert_eq!(k.verifying_key(), p);
        assert!(load_signing_key(&public).is_err());
    }
}
