//! `safeguard tls HOST:PORT`: work in progress on the `tls` branch.

use super::Exit;

/// Arguments of `safeguard tls`.
#[derive(Debug, clap::Args)]
pub struct TlsArgs {
    /// The endpoint, HOST:PORT.
    pub target: String,
}

/// Runs `safeguard tls`.
pub fn run(_args: &TlsArgs) -> anyhow::Result<Exit> {
    anyhow::bail!("not implemented yet")
}
