//! Named groups for key exchange: the IANA "TLS Supported Groups" registry
//! (RFC 8422, RFC 7919, RFC 8446 §4.2.7, draft-ietf-tls-ecdhe-mlkem for the hybrids).
//!
//! Only the groups a server may plausibly accept are listed; enumeration offers all of them.

/// The family of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// Elliptic curve (ECDHE).
    Ec,
    /// Finite field (DHE, RFC 7919).
    Ff,
    /// Post-quantum hybrid (ML-KEM plus an elliptic curve).
    Hybrid,
}

/// One named group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Group {
    pub id: u16,
    /// The IANA description (`secp256r1`, `x25519`, `ffdhe2048`, `X25519MLKEM768`).
    pub name: &'static str,
    pub kind: GroupKind,
    /// Field or modulus size in bits (for hybrids: the classical part).
    pub bits: u16,
}

const fn g(id: u16, name: &'static str, kind: GroupKind, bits: u16) -> Group {
    Group {
        id,
        name,
        kind,
        bits,
    }
}

/// The groups offered, in the order offered (hybrids and modern curves first).
#[rustfmt::skip]
pub static GROUPS: &[Group] = &[
    g(0x11EC, "X25519MLKEM768", GroupKind::Hybrid, 255),
    g(0x11EB, "SecP256r1MLKEM768", GroupKind::Hybrid, 256),
    g(0x11ED, "SecP384r1MLKEM1024", GroupKind::Hybrid, 384),
    g(0x001D, "x25519", GroupKind::Ec, 255),
    g(0x0017, "secp256r1", GroupKind::Ec, 256),
    g(0x0018, "secp384r1", GroupKind::Ec, 384),
    g(0x0019, "secp521r1", GroupKind::Ec, 521),
    g(0x001E, "x448", GroupKind::Ec, 448),
    g(0x001A, "brainpoolP256r1", GroupKind::Ec, 256),
    g(0x001B, "brainpoolP384r1", GroupKind::Ec, 384),
    g(0x001C, "brainpoolP512r1", GroupKind::Ec, 512),
    g(0x001F, "brainpoolP256r1tls13", GroupKind::Ec, 256),
    g(0x0020, "brainpoolP384r1tls13", GroupKind::Ec, 384),
    g(0x0021, "brainpoolP512r1tls13", GroupKind::Ec, 512),
    g(0x0016, "secp256k1", GroupKind::Ec, 256),
    g(0x0015, "secp224r1", GroupKind::Ec, 224),
    g(0x0014, "secp224k1", GroupKind::Ec, 224),
    g(0x0013, "secp192r1", GroupKind::Ec, 192),
    g(0x0012, "secp192k1", GroupKind::Ec, 192),
    g(0x0029, "curveSM2", GroupKind::Ec, 256),
    g(0x0100, "ffdhe2048", GroupKind::Ff, 2048),
    g(0x0101, "ffdhe3072", GroupKind::Ff, 3072),
    g(0x0102, "ffdhe4096", GroupKind::Ff, 4096),
    g(0x0103, "ffdhe6144", GroupKind::Ff, 6144),
    g(0x0104, "ffdhe8192", GroupKind::Ff, 8192),
];

/// The group with this code point.
pub fn by_id(id: u16) -> Option<&'static Group> {
    GROUPS.iter().find(|g| g.id == id)
}

/// The name of a code point, or `0xABCD` when not in the table.
pub fn name_of(id: u16) -> String {
    by_id(id).map_or_else(|| format!("0x{id:04X}"), |g| g.name.to_owned())
}

/// x25519: the one group whose key share can be random bytes (any 32 bytes are a valid
/// public key, RFC 7748 §5), so it is the share every TLS 1.3 hello carries.
pub const X25519: u16 = 0x001D;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn code_points_and_names_are_unique() {
        let ids: HashSet<_> = GROUPS.iter().map(|g| g.id).collect();
        let names: HashSet<_> = GROUPS.iter().map(|g| g.name).collect();
        assert_eq!(ids.len(), GROUPS.len());
        assert_eq!(names.len(), GROUPS.len());
    }
}
