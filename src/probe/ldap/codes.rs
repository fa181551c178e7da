//! LDAP protocol constants this probe relies on: result codes (RFC 4511 §4.1.9 and
//! Appendix A), the OIDs it looks for in the root DSE, and the BER tags of the messages
//! it reads raw. One table each, with where the value comes from.
//!
//! Nothing here talks to the network.

/// LDAP result codes (RFC 4511, Appendix A.1/A.2) the probe names in its output.
pub const RESULT_CODES: &[(u32, &str)] = &[
    (0, "success"),
    (1, "operationsError"),
    (2, "protocolError"),
    (3, "timeLimitExceeded"),
    (7, "authMethodNotSupported"),
    (8, "strongerAuthRequired"),
    (13, "confidentialityRequired"),
    (32, "noSuchObject"),
    (34, "invalidDNSyntax"),
    (48, "inappropriateAuthentication"),
    (49, "invalidCredentials"),
    (50, "insufficientAccessRights"),
    (51, "busy"),
    (52, "unavailable"),
    (53, "unwillingToPerform"),
    (80, "other"),
];

/// success (RFC 4511 §4.1.9).
pub const RC_SUCCESS: u32 = 0;
/// confidentialityRequired (RFC 4511 §4.1.9): the server refuses the operation without a
/// protected channel. The answer a hardened server gives to a simple bind in the clear.
pub const RC_CONFIDENTIALITY_REQUIRED: u32 = 13;
/// strongerAuthRequired (RFC 4511 §4.1.9): Active Directory's answer to a simple bind
/// without TLS when LDAP signing is required.
pub const RC_STRONGER_AUTH_REQUIRED: u32 = 8;
/// invalidCredentials (RFC 4511 §4.1.9): the password was evaluated (and was wrong).
pub const RC_INVALID_CREDENTIALS: u32 = 49;

/// The name of a result code, or `"unknown"`.
pub fn result_code_name(rc: u32) -> &'static str {
    RESULT_CODES
        .iter()
        .find(|(code, _)| *code == rc)
        .map_or("unknown", |(_, name)| name)
}

/// StartTLS extended operation (RFC 4511 §4.14.1).
pub const OID_STARTTLS: &str = "1.3.6.1.4.1.1466.20037";
/// Active Directory's LDAP_CAP_ACTIVE_DIRECTORY_OID in `supportedCapabilities` (MS-ADTS 3.1.1.3.4.3).
pub const OID_AD_CAPABILITY: &str = "1.2.840.113556.1.4.800";

/// BER tags (RFC 4511 Appendix B, X.690) of the frames the raw sniffer reads.
pub mod tag {
    /// LDAPMessage ::= SEQUENCE.
    pub const SEQUENCE: u8 = 0x30;
    /// messageID INTEGER.
    pub const INTEGER: u8 = 0x02;
    /// SearchResultEntry ::= [APPLICATION 4].
    pub const SEARCH_RESULT_ENTRY: u8 = 0x64;
    /// SearchResultDone ::= [APPLICATION 5].
    pub const SEARCH_RESULT_DONE: u8 = 0x65;
    /// SearchResultReference ::= [APPLICATION 19].
    pub const SEARCH_RESULT_REFERENCE: u8 = 0x73;
    /// ExtendedResponse ::= [APPLICATION 24] (also the Notice of Disconnection).
    pub const EXTENDED_RESPONSE: u8 = 0x78;
}

/// TLS record content types (RFC 8446 §5.1) that tell a TLS peer apart.
pub mod tls_record {
    /// alert(21)
    pub const ALERT: u8 = 0x15;
    /// handshake(22)
    pub const HANDSHAKE: u8 = 0x16;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_known_codes() {
        assert_eq!(result_code_name(13), "confidentialityRequired");
        assert_eq!(result_code_name(49), "invalidCredentials");
        assert_eq!(result_code_name(4242), "unknown");
    }
}
