//! The cleartext-bind test and the anonymous-bind test.
//!
//! The cleartext-bind test sends a simple bind over plaintext with a made-up DN
//! (`cn=safeguard-cleartext-bind-probe-<random>` under the server's own naming context, so
//! the server routes it to the database whose security rules apply; slapd answers 49 for
//! a DN outside every database before it looks at `security simple_bind`) and a fresh
//! random password. The only secret that crosses the wire is that throwaway password, so
//! nothing real can leak. What matters is the *answer*: a server that refuses credentials
//! in the clear answers 13 (confidentialityRequired; Active Directory with LDAP signing
//! required answers 8, strongerAuthRequired) before looking at them; a server that answers
//! 49 (invalidCredentials), or success, evaluated a password sent in the clear, and would
//! take a real user's password the same way. Never pass a real credential here.
//!
//! The anonymous-read test asks what an anonymous session can *read*: one subtree search
//! of a naming context the probe knows, size limit 1, no attributes (`1.1`). Whether an
//! anonymous *bind* succeeds says little: Active Directory's default accepts the bind and
//! refuses every search ("operation unavailable without authentication"), and 389-DS may
//! limit anonymous access to the root DSE. At most one entry name is returned, and it is
//! not kept.
//!
//! What does not belong here: binds with real credentials (the probe has none).

use super::codes::{
    RC_CONFIDENTIALITY_REQUIRED, RC_STRONGER_AUTH_REQUIRED, RC_SUCCESS, result_code_name,
};
use ldap3::{Ldap, Scope, SearchOptions};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde::Serialize;
use std::time::Duration;

/// The answer to one bind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BindOutcome {
    pub result_code: u32,
    /// The result code's name (RFC 4511).
    pub result: &'static str,
    /// The server's diagnostic message.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

impl BindOutcome {
    /// The server refused the bind because the channel is not protected: rc 13
    /// (confidentialityRequired), or 8 (strongerAuthRequired, Active Directory's answer
    /// when LDAP signing is required).
    pub fn refused_for_confidentiality(&self) -> bool {
        self.result_code == RC_CONFIDENTIALITY_REQUIRED
            || self.result_code == RC_STRONGER_AUTH_REQUIRED
    }

    /// The bind succeeded.
    pub fn succeeded(&self) -> bool {
        self.result_code == RC_SUCCESS
    }
}

/// The dummy DN the cleartext-bind test uses: under `base` (the server's naming context,
/// or the reserved `dc=invalid` of RFC 2606 when it is unknown), with a random tag so a
/// directory's logs show which scan sent it.
pub fn dummy_dn(base: Option<&str>) -> String {
    format!(
        "cn=safeguard-cleartext-bind-probe-{},{}",
        random_string(8).to_lowercase(),
        base.filter(|b| !b.is_empty()).unwrap_or("dc=invalid")
    )
}

/// Simple bind with [`dummy_dn`] and a fresh random password, within `timeout`. Call it
/// only on a plaintext connection: it is the plaintext answer that is being tested.
pub async fn cleartext_bind(
    ldap: &mut Ldap,
    base: Option<&str>,
    timeout: Duration,
) -> Result<BindOutcome, String> {
    let password = random_string(24);
    bind(ldap, &dummy_dn(base), &password, timeout)
        .await
        .map_err(|e| format!("cleartext-bind test failed: {e}"))
}

/// Anonymous simple bind (empty DN, empty password; RFC 4513 §5.1.1), within `timeout`.
pub async fn anonymous_bind(ldap: &mut Ldap, timeout: Duration) -> Result<BindOutcome, String> {
    bind(ldap, "", "", timeout)
        .await
        .map_err(|e| format!("anonymous-bind test failed: {e}"))
}

/// What an anonymous session could read under a naming context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadOutcome {
    /// At least one entry came back.
    pub readable: bool,
    /// The search's result code (0 success, 4 sizeLimitExceeded, 1 operationsError for
    /// Active Directory's "bind required", 50 insufficientAccessRights, 32 noSuchObject).
    pub result_code: u32,
    pub result: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
}

/// One subtree search of `base` with size limit 1 and no attributes, within `timeout`,
/// on a session that is not bound (anonymous).
pub async fn anonymous_read(
    ldap: &mut Ldap,
    base: &str,
    timeout: Duration,
) -> Result<ReadOutcome, String> {
    let ldap3::SearchResult(entries, status) = ldap
        .with_search_options(SearchOptions::new().sizelimit(1))
        .with_timeout(timeout)
        .search(base, Scope::Subtree, "(objectClass=*)", vec!["1.1"])
        .await
        .map_err(|e| format!("anonymous-read test failed: {e}"))?;
    let readable = entries.iter().any(|e| !e.is_ref() && !e.is_intermediate());
    Ok(ReadOutcome {
        readable,
        result_code: status.rc,
        result: result_code_name(status.rc),
        message: status.text,
    })
}

async fn bind(
    ldap: &mut Ldap,
    dn: &str,
    password: &str,
    timeout: Duration,
) -> Result<BindOutcome, ldap3::LdapError> {
    let result = ldap.with_timeout(timeout).simple_bind(dn, password).await?;
    Ok(BindOutcome {
        result_code: result.rc,
        result: result_code_name(result.rc),
        message: result.text,
    })
}

fn random_string(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dummy_dns_are_invalid_and_fresh() {
        let a = dummy_dn(None);
        assert!(a.ends_with(",dc=invalid"));
        assert_ne!(a, dummy_dn(None));
        assert!(dummy_dn(Some("dc=example,dc=org")).ends_with(",dc=example,dc=org"));
        assert_eq!(random_string(24).len(), 24);
    }
}
