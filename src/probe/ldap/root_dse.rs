//! The root DSE (RFC 4512 §5.1): what the server says it supports, read anonymously with
//! one base search. Whether StartTLS is advertised, the SASL mechanisms, and a best guess
//! at the vendor.
//!
//! What does not belong here: acting on what is advertised (the session code tries
//! StartTLS whether or not it is listed).

use super::codes::{OID_AD_CAPABILITY, OID_STARTTLS, RC_SUCCESS, result_code_name};
use ldap3::{Ldap, Scope, SearchEntry};
use serde::Serialize;
use std::collections::HashMap;
use std::time::Duration;

/// The root DSE attributes asked for (operational attributes must be named).
const ATTRIBUTES: &[&str] = &[
    "objectClass",
    "supportedExtension",
    "supportedSASLMechanisms",
    "supportedLDAPVersion",
    "supportedCapabilities",
    "vendorName",
    "vendorVersion",
    "namingContexts",
    "defaultNamingContext",
];

/// What the root DSE says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RootDse {
    /// The channel it was read over: `plaintext`, `starttls` or `ldaps`.
    pub read_over: &'static str,
    /// The StartTLS OID 1.3.6.1.4.1.1466.20037 is in `supportedExtension`.
    pub starttls_advertised: bool,
    pub supported_extensions: Vec<String>,
    pub sasl_mechanisms: Vec<String>,
    pub ldap_versions: Vec<String>,
    /// The naming contexts (suffixes) the server holds; `defaultNamingContext` first.
    pub naming_contexts: Vec<String>,
    /// `vendorName vendorVersion` (RFC 3045), or recognised from other attributes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
}

/// The outcome of reading the root DSE over one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RootDseRead {
    Read(RootDse),
    /// The server answered with a non-zero result code (e.g. 13 under `security ssf=128`).
    Refused {
        result_code: u32,
        message: String,
    },
}

/// Reads the root DSE over `ldap`, within `timeout`.
pub async fn read(
    ldap: &mut Ldap,
    read_over: &'static str,
    timeout: Duration,
) -> Result<RootDseRead, String> {
    let result = ldap
        .with_timeout(timeout)
        .search("", Scope::Base, "(objectClass=*)", ATTRIBUTES)
        .await
        .map_err(|e| format!("root DSE search failed: {e}"))?;
    let ldap3::SearchResult(entries, status) = result;
    if status.rc != RC_SUCCESS {
        return Ok(RootDseRead::Refused {
            result_code: status.rc,
            message: format!(
                "{} ({}) {}",
                status.rc,
                result_code_name(status.rc),
                status.text
            )
            .trim_end()
            .to_owned(),
        });
    }
    let Some(entry) = entries.into_iter().next() else {
        // slapd with `access to * by anonymous auth` (global) answers success and hides
        // the entry: the root DSE is not readable anonymously, which is not a failure.
        return Ok(RootDseRead::Refused {
            result_code: status.rc,
            message: "the server returned no root DSE entry to an anonymous search (access control hides it)".to_owned(),
        });
    };
    let entry = SearchEntry::construct(entry);
    Ok(RootDseRead::Read(from_attrs(&entry.attrs, read_over)))
}

/// Builds a [`RootDse`] from the attributes of the root DSE entry.
pub fn from_attrs(attrs: &HashMap<String, Vec<String>>, read_over: &'static str) -> RootDse {
    let values = |name: &str| -> Vec<String> {
        attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let supported_extensions = values("supportedExtension");
    let object_classes = values("objectClass");
    let capabilities = values("supportedCapabilities");
    let vendor_name = values("vendorName").into_iter().next();
    let vendor_version = values("vendorVersion").into_iter().next();
    let vendor = match (vendor_name, vendor_version) {
        (Some(n), Some(v)) => Some(format!("{n} {v}")),
        (Some(n), None) => Some(n),
        (None, _)
            if object_classes
                .iter()
                .any(|c| c.eq_ignore_ascii_case("OpenLDAProotDSE")) =>
        {
            Some("OpenLDAP".to_owned())
        }
        (None, _) if capabilities.iter().any(|c| c == OID_AD_CAPABILITY) => {
            Some("Microsoft Active Directory".to_owned())
        }
        _ => None,
    };
    RootDse {
        read_over,
        starttls_advertised: supported_extensions.iter().any(|e| e == OID_STARTTLS),
        supported_extensions,
        sasl_mechanisms: values("supportedSASLMechanisms"),
        ldap_versions: values("supportedLDAPVersion"),
        naming_contexts: {
            let mut ncs = values("defaultNamingContext");
            for nc in values("namingContexts") {
                if !ncs.contains(&nc) {
                    ncs.push(nc);
                }
            }
            ncs
        },
        vendor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_starttls_and_vendor() {
        let mut attrs = HashMap::new();
        attrs.insert(
            "objectClass".to_owned(),
            vec!["top".to_owned(), "OpenLDAProotDSE".to_owned()],
        );
        attrs.insert(
            "supportedextension".to_owned(),
            vec![OID_STARTTLS.to_owned()],
        );
        attrs.insert(
            "supportedSASLMechanisms".to_owned(),
            vec!["SCRAM-SHA-256".to_owned()],
        );
        let dse = from_attrs(&attrs, "plaintext");
        assert!(dse.starttls_advertised);
        assert_eq!(dse.vendor.as_deref(), Some("OpenLDAP"));
        assert_eq!(dse.sasl_mechanisms, vec!["SCRAM-SHA-256"]);

        let mut attrs = HashMap::new();
        attrs.insert("vendorName".to_owned(), vec!["389 Project".to_owned()]);
        attrs.insert(
            "vendorVersion".to_owned(),
            vec!["389-Directory/2.4".to_owned()],
        );
        let dse = from_attrs(&attrs, "ldaps");
        assert!(!dse.starttls_advertised);
        assert_eq!(dse.vendor.as_deref(), Some("389 Project 389-Directory/2.4"));
    }
}
