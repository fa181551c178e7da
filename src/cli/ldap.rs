//! `safeguard ldap URL`: work in progress on the `ldap` branch.

use super::Exit;

/// Arguments of `safeguard ldap`.
#[derive(Debug, clap::Args)]
pub struct LdapArgs {
    /// The endpoint, ldap://HOST:PORT or ldaps://HOST:PORT.
    pub url: String,
}

/// Runs `safeguard ldap`.
pub fn run(_args: &LdapArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("not implemented yet")
}
