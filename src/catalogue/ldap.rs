//! LDAP facts of one directory endpoint. The TLS facts of its LDAPS port or StartTLS
//! channel, its certificate among them (`tls.cert.*`), are the `tls.*` facts on the same
//! subject.

use super::FactSpec;
use crate::evidence::FactType::{Bool, Int, Str, StrList};

pub const REACHABLE: FactSpec = FactSpec::endpoint(
    "ldap.reachable",
    Bool,
    "A TCP connection to the LDAP endpoint could be made",
);
pub const SCHEME: FactSpec = FactSpec::endpoint(
    "ldap.scheme",
    Str,
    "How the endpoint was given: ldap (plaintext, StartTLS) or ldaps",
);
pub const SPEAKS_PLAINTEXT: FactSpec = FactSpec::endpoint(
    "ldap.speaks-plaintext",
    Bool,
    "The port answers a plaintext LDAP request",
);
pub const SPEAKS_TLS: FactSpec = FactSpec::endpoint(
    "ldap.speaks-tls",
    Bool,
    "The port answers a TLS ClientHello (an LDAPS port)",
);
pub const ROOT_DSE_STARTTLS_ADVERTISED: FactSpec = FactSpec::endpoint(
    "ldap.root-dse.starttls-advertised",
    Bool,
    "The root DSE lists the StartTLS extended operation (1.3.6.1.4.1.1466.20037) in supportedExtension",
);
pub const ROOT_DSE_SASL_MECHANISMS: FactSpec = FactSpec::endpoint(
    "ldap.root-dse.sasl-mechanisms",
    StrList,
    "supportedSASLMechanisms of the root DSE",
);
pub const ROOT_DSE_VENDOR: FactSpec = FactSpec::endpoint(
    "ldap.root-dse.vendor",
    Str,
    "The directory vendor, from vendorName/vendorVersion or recognised root DSE attributes",
);
pub const STARTTLS_ACCEPTED: FactSpec = FactSpec::endpoint(
    "ldap.starttls.accepted",
    Bool,
    "A StartTLS request on the plaintext port led to a TLS session",
);
pub const STARTTLS_RESULT_CODE: FactSpec = FactSpec::endpoint(
    "ldap.starttls.result-code",
    Int,
    "The LDAP result code with which StartTLS was refused",
);
pub const CLEARTEXT_BIND_RESULT_CODE: FactSpec = FactSpec::endpoint(
    "ldap.cleartext-bind.result-code",
    Int,
    "The result code of a simple bind with a dummy DN and random password sent over plaintext",
);
pub const CLEARTEXT_BIND_REFUSED: FactSpec = FactSpec::endpoint(
    "ldap.cleartext-bind.refused",
    Bool,
    "The server refused that plaintext bind with confidentialityRequired (13) or strongerAuthRequired (8) instead of evaluating the password",
);
pub const ANONYMOUS_BIND_ALLOWED: FactSpec = FactSpec::endpoint(
    "ldap.anonymous-bind.allowed",
    Bool,
    "An anonymous simple bind (empty DN and password) succeeds (over TLS when the port offers it)",
);
pub const ANONYMOUS_READ_ALLOWED: FactSpec = FactSpec::endpoint(
    "ldap.anonymous-read.allowed",
    Bool,
    "An anonymous session reads at least one entry in a subtree search (size limit 1) of a naming context the probe knows (--ldap-base-dn, LdapSettings.BaseDN or the root DSE)",
);
pub const CONFIGURED: FactSpec = FactSpec::endpoint(
    "ldap.configured",
    Bool,
    "The endpoint is the one Mattermost's LdapSettings (LdapServer, LdapPort, ConnectionSecurity) point to",
);

pub const FACTS: &[FactSpec] = &[
    REACHABLE,
    SCHEME,
    SPEAKS_PLAINTEXT,
    SPEAKS_TLS,
    ROOT_DSE_STARTTLS_ADVERTISED,
    ROOT_DSE_SASL_MECHANISMS,
    ROOT_DSE_VENDOR,
    STARTTLS_ACCEPTED,
    STARTTLS_RESULT_CODE,
    CLEARTEXT_BIND_RESULT_CODE,
    CLEARTEXT_BIND_REFUSED,
    ANONYMOUS_BIND_ALLOWED,
    ANONYMOUS_READ_ALLOWED,
    CONFIGURED,
];
