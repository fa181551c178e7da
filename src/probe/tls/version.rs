//! Protocol versions: names, wire codes (RFC 6101, 2246, 4346, 5246, 8446; SSL 2.0 from
//! the 1995 Netscape draft) and the fact-key segment for each.

use serde::Serialize;

/// A protocol version the probe can offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Version {
    Ssl2,
    Ssl3,
    Tls10,
    Tls11,
    Tls12,
    Tls13,
}

/// `(version, wire code, report name, fact-key segment)`, oldest first.
const TABLE: [(Version, u16, &str, &str); 6] = [
    (Version::Ssl2, 0x0002, "SSLv2", "ssl2"),
    (Version::Ssl3, 0x0300, "SSLv3", "ssl3"),
    (Version::Tls10, 0x0301, "TLSv1.0", "tls1_0"),
    (Version::Tls11, 0x0302, "TLSv1.1", "tls1_1"),
    (Version::Tls12, 0x0303, "TLSv1.2", "tls1_2"),
    (Version::Tls13, 0x0304, "TLSv1.3", "tls1_3"),
];

impl Version {
    /// Every version, oldest first.
    pub const ALL: [Version; 6] = [
        Version::Ssl2,
        Version::Ssl3,
        Version::Tls10,
        Version::Tls11,
        Version::Tls12,
        Version::Tls13,
    ];

    fn row(self) -> &'static (Version, u16, &'static str, &'static str) {
        &TABLE[self as usize]
    }

    /// The code on the wire (`ProtocolVersion`).
    pub fn wire(self) -> u16 {
        self.row().1
    }

    /// The name used in reports and JSON: `SSLv2` … `TLSv1.3`.
    pub fn name(self) -> &'static str {
        self.row().2
    }

    /// The fact-key segment: `ssl2`, `tls1_0`, …
    pub fn key(self) -> &'static str {
        self.row().3
    }

    /// The version with this wire code.
    pub fn from_wire(code: u16) -> Option<Version> {
        TABLE.iter().find(|r| r.1 == code).map(|r| r.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_match_their_index() {
        for (i, v) in Version::ALL.iter().enumerate() {
            assert_eq!(TABLE[i].0, *v);
            assert_eq!(Version::from_wire(v.wire()), Some(*v));
        }
        assert!(Version::Tls13 > Version::Tls12);
    }
}
