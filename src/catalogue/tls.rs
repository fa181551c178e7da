//! TLS facts of one endpoint: whatever speaks TLS there (a site, LDAPS, LDAP after
//! StartTLS, PostgreSQL after SSLRequest) is described with the same keys.

use super::FactSpec;
use crate::evidence::FactType::{Bool, Int, Str, StrList};

pub const PROTOCOLS_ACCEPTED: FactSpec = FactSpec::endpoint(
    "tls.protocols.accepted",
    StrList,
    "Protocol versions the endpoint accepts (SSLv2 … TLSv1.3)",
);
pub const SUITES_ACCEPTED: FactSpec = FactSpec::endpoint(
    "tls.suites.accepted",
    StrList,
    "Cipher suites accepted in any version (IANA names)",
);
pub const SUITES_TLS1_2: FactSpec = FactSpec::endpoint(
    "tls.suites.tls1_2",
    StrList,
    "Cipher suites accepted with TLS 1.2 (IANA names)",
);
pub const SUITES_TLS1_3: FactSpec = FactSpec::endpoint(
    "tls.suites.tls1_3",
    StrList,
    "Cipher suites accepted with TLS 1.3 (IANA names)",
);
pub const SUITES_WEAK: FactSpec = FactSpec::endpoint(
    "tls.suites.weak",
    StrList,
    "Accepted suites that are NULL, EXPORT, anonymous, RC4, RC2, DES, 3DES, IDEA or MD5",
);
pub const SUITES_NOT_FORWARD_SECRET: FactSpec = FactSpec::endpoint(
    "tls.suites.not-forward-secret",
    StrList,
    "Accepted suites without an ephemeral key exchange",
);
pub const SUITES_CBC: FactSpec = FactSpec::endpoint(
    "tls.suites.cbc",
    StrList,
    "Accepted suites using a CBC-mode cipher",
);
pub const SUITES_ANONYMOUS: FactSpec = FactSpec::endpoint(
    "tls.suites.anonymous",
    StrList,
    "Accepted suites without server authentication",
);
pub const SERVER_CIPHER_ORDER: FactSpec = FactSpec::endpoint(
    "tls.server-cipher-order",
    Bool,
    "The server imposes its own suite order (best version)",
);
pub const GROUPS_ACCEPTED: FactSpec = FactSpec::endpoint(
    "tls.groups.accepted",
    StrList,
    "Key-exchange groups accepted (TLS 1.3, else TLS 1.2 ECDHE)",
);
pub const GROUPS_FFDHE: FactSpec = FactSpec::endpoint(
    "tls.groups.ffdhe",
    StrList,
    "RFC 7919 FFDHE groups negotiated with DHE suites over TLS 1.2 or older, in the server's order (absent when no DHE suite is accepted or the server's DH parameters are fixed)",
);
pub const GROUPS_PQ_HYBRID: FactSpec = FactSpec::endpoint(
    "tls.groups.pq-hybrid",
    Bool,
    "The post-quantum hybrid X25519MLKEM768 is accepted",
);
pub const DHE_MIN_BITS: FactSpec = FactSpec::endpoint(
    "tls.dhe.min-bits",
    Int,
    "Smallest DHE modulus (bits) seen; absent when no DHE suite is accepted",
);
pub const SECURE_RENEGOTIATION: FactSpec = FactSpec::endpoint(
    "tls.secure-renegotiation",
    Bool,
    "RFC 5746 renegotiation_info is supported (or TLS 1.3 only)",
);
pub const RENEGOTIATION_CLIENT_INITIATED: FactSpec = FactSpec::endpoint(
    "tls.renegotiation.client-initiated",
    Bool,
    "The server answered a renegotiation ClientHello sent by the client after a completed TLS 1.2 handshake with a ServerHello (tested actively on one connection, no application data sent; false when it refused with an alert or a close, or when no TLS below 1.3 is accepted)",
);
pub const EXTENDED_MASTER_SECRET: FactSpec = FactSpec::endpoint(
    "tls.extended-master-secret",
    Bool,
    "RFC 7627 extended_master_secret is supported (or TLS 1.3 only)",
);
pub const COMPRESSION: FactSpec = FactSpec::endpoint(
    "tls.compression",
    Bool,
    "The server accepts TLS compression (CRIME)",
);
pub const FALLBACK_SCSV: FactSpec = FactSpec::endpoint(
    "tls.fallback-scsv",
    Bool,
    "The server refuses a downgraded hello carrying TLS_FALLBACK_SCSV (RFC 7507)",
);
pub const OCSP_STAPLING: FactSpec = FactSpec::endpoint(
    "tls.ocsp-stapling",
    Bool,
    "The server staples an OCSP response (status_request)",
);
pub const CERT_KEY_TYPE: FactSpec = FactSpec::endpoint(
    "tls.cert.key-type",
    Str,
    "Leaf certificate key type: RSA, EC, Ed25519, DSA",
);
pub const CERT_KEY_BITS: FactSpec = FactSpec::endpoint(
    "tls.cert.key-bits",
    Int,
    "Leaf key size in bits (RSA modulus, EC field)",
);
pub const CERT_SIGNATURE_ALGORITHM: FactSpec = FactSpec::endpoint(
    "tls.cert.signature-algorithm",
    Str,
    "Leaf signature algorithm (sha256WithRSAEncryption, …)",
);
pub const CERT_SIGNATURE_HASH: FactSpec = FactSpec::endpoint(
    "tls.cert.signature-hash",
    Str,
    "Hash of the leaf signature: MD5, SHA-1, SHA-256, SHA-384, SHA-512",
);
pub const CERT_DAYS_TO_EXPIRY: FactSpec = FactSpec::endpoint(
    "tls.cert.days-to-expiry",
    Int,
    "Whole days until the leaf expires (negative once expired)",
);
pub const CERT_LIFETIME_DAYS: FactSpec = FactSpec::endpoint(
    "tls.cert.lifetime-days",
    Int,
    "Leaf validity period in days",
);
pub const CERT_SAN_PRESENT: FactSpec = FactSpec::endpoint(
    "tls.cert.san-present",
    Bool,
    "The leaf has a subjectAltName",
);
pub const CERT_EKU_SERVER_AUTH: FactSpec = FactSpec::endpoint(
    "tls.cert.eku-server-auth",
    Bool,
    "The leaf's extendedKeyUsage includes id-kp-serverAuth",
);
pub const CERT_OCSP_URL_PRESENT: FactSpec = FactSpec::endpoint(
    "tls.cert.ocsp-url-present",
    Bool,
    "The leaf's AIA names an OCSP responder",
);
pub const CERT_CA_ISSUERS_PRESENT: FactSpec = FactSpec::endpoint(
    "tls.cert.ca-issuers-present",
    Bool,
    "The leaf's AIA names the issuer's certificate (caIssuers)",
);
pub const CERT_CHAIN_IN_ORDER: FactSpec = FactSpec::endpoint(
    "tls.cert.chain-in-order",
    Bool,
    "Each certificate sent is issued by the next",
);
pub const CERT_CHAIN_VALID: FactSpec = FactSpec::endpoint(
    "tls.cert.chain-valid",
    Bool,
    "The chain builds to a trusted root with valid signatures and dates",
);
pub const CERT_HOSTNAME_MATCH: FactSpec = FactSpec::endpoint(
    "tls.cert.hostname-match",
    Bool,
    "The leaf is valid for the host name (or address) probed",
);

pub const CERT_SUBJECT: FactSpec = FactSpec::endpoint(
    "tls.cert.subject",
    Str,
    "Leaf certificate subject (RFC 4514 form)",
);
pub const CERT_ISSUER: FactSpec = FactSpec::endpoint(
    "tls.cert.issuer",
    Str,
    "Leaf certificate issuer (RFC 4514 form)",
);
pub const CERT_NOT_AFTER: FactSpec = FactSpec::endpoint(
    "tls.cert.not-after",
    Str,
    "End of the leaf's validity period (RFC 3339)",
);
pub const CERT_SUBJECT_ALT_NAMES: FactSpec = FactSpec::endpoint(
    "tls.cert.subject-alt-names",
    StrList,
    "DNS names and addresses in the leaf's subjectAltName",
);
pub const CERT_SHA256: FactSpec = FactSpec::endpoint(
    "tls.cert.sha256",
    Str,
    "SHA-256 fingerprint of the leaf certificate",
);
pub const CERTS_SERVED: FactSpec = FactSpec::endpoint(
    "tls.certs.served",
    StrList,
    "Every certificate the endpoint serves (one per key type: RSA, ECDSA, EdDSA): key, subject, not-after, SHA-256 and whether it validates, or why it could not be read",
);
pub const CERTS_KEY_TYPES: FactSpec = FactSpec::endpoint(
    "tls.certs.key-types",
    StrList,
    "The key types of every certificate the endpoint serves (RSA, EC, Ed25519)",
);
pub const CERT_VALIDATION_ERROR: FactSpec = FactSpec::endpoint(
    "tls.cert.validation-error",
    Str,
    "Why the chain did not validate, as rustls-webpki put it",
);

/// `tls.protocol.<version>.accepted`, in the order SSLv2, SSLv3, TLS 1.0, 1.1, 1.2, 1.3.
pub const PROTOCOL_ACCEPTED: [FactSpec; 6] = [
    protocol("tls.protocol.ssl2.accepted"),
    protocol("tls.protocol.ssl3.accepted"),
    protocol("tls.protocol.tls1_0.accepted"),
    protocol("tls.protocol.tls1_1.accepted"),
    protocol("tls.protocol.tls1_2.accepted"),
    protocol("tls.protocol.tls1_3.accepted"),
];

/// `tls.protocol.<version>.suites`: the suites accepted with one version, in the server's
/// order when it imposes one (the endpoint detail of a report).
pub const PROTOCOL_SUITES: [FactSpec; 6] = [
    suites("tls.protocol.ssl2.suites"),
    suites("tls.protocol.ssl3.suites"),
    suites("tls.protocol.tls1_0.suites"),
    suites("tls.protocol.tls1_1.suites"),
    suites("tls.protocol.tls1_2.suites"),
    suites("tls.protocol.tls1_3.suites"),
];

/// `tls.protocol.<version>.server-order`: whether the server imposes its suite order.
pub const PROTOCOL_SERVER_ORDER: [FactSpec; 6] = [
    order("tls.protocol.ssl2.server-order"),
    order("tls.protocol.ssl3.server-order"),
    order("tls.protocol.tls1_0.server-order"),
    order("tls.protocol.tls1_1.server-order"),
    order("tls.protocol.tls1_2.server-order"),
    order("tls.protocol.tls1_3.server-order"),
];

/// `tls.protocol.<version>.order-depends-on-offer`: the server imposes its order, yet
/// picks ChaCha20 when the client lists it first (Go's crypto/tls and OpenSSL's
/// PrioritizeChaCha favour clients that seem to lack AES hardware).
pub const PROTOCOL_ORDER_DEPENDS_ON_OFFER: [FactSpec; 6] = [
    adapts("tls.protocol.ssl2.order-depends-on-offer"),
    adapts("tls.protocol.ssl3.order-depends-on-offer"),
    adapts("tls.protocol.tls1_0.order-depends-on-offer"),
    adapts("tls.protocol.tls1_1.order-depends-on-offer"),
    adapts("tls.protocol.tls1_2.order-depends-on-offer"),
    adapts("tls.protocol.tls1_3.order-depends-on-offer"),
];

const fn adapts(key: &'static str) -> FactSpec {
    FactSpec::endpoint(
        key,
        Bool,
        "The server imposes its suite order with this version, but picks ChaCha20 when the client lists it first (its order as reported is the one clients leading with AES-GCM get)",
    )
}

/// Display names of the versions, in the order of the per-version arrays.
pub const VERSION_NAMES: [&str; 6] = ["SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3"];

const fn suites(key: &'static str) -> FactSpec {
    FactSpec::endpoint(
        key,
        StrList,
        "Cipher suites accepted with this version, in the server's order when it imposes one",
    )
}

const fn order(key: &'static str) -> FactSpec {
    FactSpec::endpoint(
        key,
        Bool,
        "Whether the server imposes its own suite order with this version",
    )
}

const fn protocol(key: &'static str) -> FactSpec {
    FactSpec::endpoint(
        key,
        Bool,
        "Whether the endpoint accepts this protocol version",
    )
}

/// The TLS facts but the per-version ones.
/// Named weaknesses, derived from the accepted versions and suites ("TLSv1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA").
pub const WEAKNESS_SWEET32: FactSpec = FactSpec::endpoint(
    "tls.weakness.sweet32",
    StrList,
    "Accepted (version, suite) pairs with a 64-bit block cipher (3DES, DES, IDEA, RC2): SWEET32, CVE-2016-2183",
);
pub const WEAKNESS_RC4: FactSpec = FactSpec::endpoint(
    "tls.weakness.rc4",
    StrList,
    "Accepted (version, suite) pairs with RC4: CVE-2013-2566, CVE-2015-2808 (RFC 7465 forbids them)",
);
pub const WEAKNESS_FREAK: FactSpec = FactSpec::endpoint(
    "tls.weakness.freak",
    StrList,
    "Accepted (version, suite) pairs with export-grade RSA key exchange: FREAK, CVE-2015-0204",
);
pub const WEAKNESS_LOGJAM: FactSpec = FactSpec::endpoint(
    "tls.weakness.logjam",
    StrList,
    "Accepted (version, suite) pairs with export-grade DH, or DHE with a group of 1024 bits or fewer: Logjam, CVE-2015-4000",
);
pub const WEAKNESS_POODLE: FactSpec = FactSpec::endpoint(
    "tls.weakness.poodle",
    StrList,
    "Accepted SSLv3 CBC suites: POODLE, CVE-2014-3566",
);
pub const WEAKNESS_BEAST: FactSpec = FactSpec::endpoint(
    "tls.weakness.beast",
    StrList,
    "Accepted CBC suites with SSLv3 or TLS 1.0 (predictable IVs): BEAST, CVE-2011-3389",
);
pub const WEAKNESS_DROWN: FactSpec = FactSpec::endpoint(
    "tls.weakness.drown",
    StrList,
    "SSLv2 accepted on this endpoint (['SSLv2'] or []): DROWN, CVE-2016-0800",
);
pub const WEAKNESS_LUCKY13: FactSpec = FactSpec::endpoint(
    "tls.weakness.lucky13",
    StrList,
    "Accepted (version, suite) pairs with CBC and HMAC (MAC-then-encrypt, padding-oracle prone): Lucky Thirteen, CVE-2013-0169",
);
pub const WEAKNESS_NULL_ANONYMOUS: FactSpec = FactSpec::endpoint(
    "tls.weakness.null-anonymous",
    StrList,
    "Accepted (version, suite) pairs with no encryption (NULL) or no server authentication (anonymous DH/ECDH)",
);
pub const WEAKNESS_HEARTBLEED: FactSpec = FactSpec::endpoint(
    "tls.weakness.heartbleed",
    Bool,
    "The server answered a heartbeat request claiming more payload than it carried with a longer heartbeat response: Heartbleed, CVE-2014-0160 (tested actively on one connection; false when the heartbeat extension is not negotiated or no TLS 1.0-1.2 is accepted)",
);
pub const WEAKNESS_CCS_INJECTION: FactSpec = FactSpec::endpoint(
    "tls.weakness.ccs-injection",
    Bool,
    "The server accepted a ChangeCipherSpec sent before any key exchange (the next record failed to decrypt with bad_record_mac or decryption_failed): CCS injection, CVE-2014-0224 (tested actively on one connection; absent when the server stayed silent)",
);
pub const WEAKNESS_ROBOT: FactSpec = FactSpec::endpoint(
    "tls.weakness.robot",
    Bool,
    "The server's answers to RSA ClientKeyExchange messages differ with the PKCS#1 v1.5 padding of the encrypted premaster, the same way on two runs: a Bleichenbacher padding oracle, ROBOT, CVE-2017-13099 and the vendor CVEs (tested actively on five connections, ten when the answers differ; false when no TLS 1.0-1.2 RSA key-exchange suite is accepted)",
);

pub const OCSP_STAPLE_VALID: FactSpec = FactSpec::endpoint(
    "tls.ocsp-staple.valid",
    Bool,
    "The stapled OCSP response verifies: signed by the issuer (or a responder it delegated to), for the served certificate, status good, and fresh (thisUpdate <= now <= nextUpdate)",
);
pub const OCSP_STAPLE_STATUS: FactSpec = FactSpec::endpoint(
    "tls.ocsp-staple.status",
    Str,
    "The certificate's status in the stapled OCSP response: good, revoked or unknown",
);
pub const UPGRADE: FactSpec = FactSpec::endpoint(
    "tls.upgrade",
    Str,
    "How the connection reaches TLS: none (TLS from the first byte), ldap-start-tls, postgres-ssl-request or smtp-start-tls",
);
pub const STARTTLS_OFFERED: FactSpec = FactSpec::endpoint(
    "tls.starttls.offered",
    Bool,
    "The plaintext protocol offers the upgrade to TLS and it works (SMTP: STARTTLS listed in the EHLO reply and accepted)",
);

pub const FACTS: &[FactSpec] = &[
    UPGRADE,
    STARTTLS_OFFERED,
    OCSP_STAPLE_VALID,
    OCSP_STAPLE_STATUS,
    PROTOCOLS_ACCEPTED,
    SUITES_ACCEPTED,
    SUITES_TLS1_2,
    SUITES_TLS1_3,
    SUITES_WEAK,
    SUITES_NOT_FORWARD_SECRET,
    SUITES_CBC,
    SUITES_ANONYMOUS,
    WEAKNESS_SWEET32,
    WEAKNESS_RC4,
    WEAKNESS_FREAK,
    WEAKNESS_LOGJAM,
    WEAKNESS_POODLE,
    WEAKNESS_BEAST,
    WEAKNESS_DROWN,
    WEAKNESS_LUCKY13,
    WEAKNESS_NULL_ANONYMOUS,
    WEAKNESS_HEARTBLEED,
    WEAKNESS_CCS_INJECTION,
    WEAKNESS_ROBOT,
    SERVER_CIPHER_ORDER,
    GROUPS_ACCEPTED,
    GROUPS_FFDHE,
    GROUPS_PQ_HYBRID,
    DHE_MIN_BITS,
    SECURE_RENEGOTIATION,
    RENEGOTIATION_CLIENT_INITIATED,
    EXTENDED_MASTER_SECRET,
    COMPRESSION,
    FALLBACK_SCSV,
    OCSP_STAPLING,
    CERT_KEY_TYPE,
    CERT_KEY_BITS,
    CERT_SIGNATURE_ALGORITHM,
    CERT_SIGNATURE_HASH,
    CERT_DAYS_TO_EXPIRY,
    CERT_LIFETIME_DAYS,
    CERT_SAN_PRESENT,
    CERT_EKU_SERVER_AUTH,
    CERT_OCSP_URL_PRESENT,
    CERT_CA_ISSUERS_PRESENT,
    CERT_CHAIN_IN_ORDER,
    CERT_CHAIN_VALID,
    CERT_HOSTNAME_MATCH,
    CERT_SUBJECT,
    CERT_ISSUER,
    CERT_NOT_AFTER,
    CERT_SUBJECT_ALT_NAMES,
    CERT_SHA256,
    CERT_VALIDATION_ERROR,
    CERTS_SERVED,
    CERTS_KEY_TYPES,
];
