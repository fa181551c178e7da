//! `safeguard tls HOST:PORT`: enumerate and judge one TLS endpoint and print the
//! assessment (a reporting command: no profile, no gate).

use super::{Exit, Output, OutputFormat};
use crate::probe::tls::{self, TlsTarget, Upgrade};
use anyhow::{Context, bail};
use std::path::PathBuf;
use std::time::Duration;

/// Arguments of `safeguard tls`.
#[derive(Debug, clap::Args)]
pub struct TlsArgs {
    /// The endpoint, HOST:PORT (`[::1]:443` for IPv6).
    pub target: String,
    /// The server name to send (SNI) and to match the certificate against; default: HOST when it is a name.
    #[arg(long, value_name = "NAME")]
    pub sni: Option<String>,
    /// Upgrade a plaintext connection first: LDAP StartTLS or a PostgreSQL SSLRequest.
    #[arg(long, value_enum, value_name = "PROTOCOL")]
    pub starttls: Option<StartTls>,
    /// A PEM file of CA certificates to trust as well (a private CA).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Seconds allowed for the endpoint.
    #[arg(long, value_name = "SECONDS", default_value_t = 10)]
    pub timeout: u64,
    #[command(flatten)]
    pub output: Output,
}

/// The StartTLS flavours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StartTls {
    Ldap,
    Postgres,
}

/// Runs `safeguard tls`.
pub fn run(args: &TlsArgs) -> anyhow::Result<Exit> {
    let (host, port) = parse_host_port(&args.target)?;
    if let Some(ca) = &args.ca_file {
        std::fs::metadata(ca).with_context(|| format!("cannot read --ca-file {}", ca.display()))?;
        tls::certificate::load_roots(Some(ca)).map_err(anyhow::Error::msg)?;
    }
    if args.timeout == 0 {
        bail!("--timeout must be at least 1 second");
    }
    let mut target = TlsTarget::new(host, port);
    target.sni = args.sni.clone();
    target.ca_file = args.ca_file.clone();
    target.timeout = Duration::from_secs(args.timeout);
    target.upgrade = match args.starttls {
        None => Upgrade::None,
        Some(StartTls::Ldap) => Upgrade::LdapStartTls,
        Some(StartTls::Postgres) => Upgrade::PostgresSslRequest,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    match runtime.block_on(tls::assess(&target)) {
        Ok(a) => {
            args.output.write(|out, color| match args.output.format {
                OutputFormat::Json => crate::report::tls::render_json(&a, out),
                OutputFormat::Table => crate::report::tls::render_table(&a, color, out),
            })?;
            Ok(Exit::Ok)
        }
        Err(tls::TlsError::CaFile(e)) => bail!(e),
        Err(e) => {
            super::report_error(&anyhow::anyhow!(e));
            Ok(Exit::Incomplete)
        }
    }
}

/// Splits `HOST:PORT` (`[v6]:PORT` for IPv6 addresses).
pub fn parse_host_port(s: &str) -> anyhow::Result<(String, u16)> {
    let (host, port) = if let Some(rest) = s.strip_prefix('[') {
        let (h, p) = rest
            .split_once("]:")
            .with_context(|| format!("`{s}` is not [IPv6]:PORT"))?;
        (h.to_owned(), p)
    } else {
        let (h, p) = s
            .rsplit_once(':')
            .with_context(|| format!("`{s}` is not HOST:PORT"))?;
        if h.contains(':') {
            bail!("`{s}`: write IPv6 addresses as [ADDRESS]:PORT");
        }
        (h.to_owned(), p)
    };
    if host.is_empty() {
        bail!("`{s}` has no host");
    }
    let port: u16 = port
        .parse()
        .with_context(|| format!("`{s}`: `{port}` is not a port number"))?;
    if port == 0 {
        bail!("`{s}`: port 0 is not a port to connect to");
    }
    Ok((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_port_forms() {
        assert_eq!(
            parse_host_port("mm.example.com:443").unwrap(),
            ("mm.example.com".into(), 443)
        );
        assert_eq!(parse_host_port("[::1]:8443").unwrap(), ("::1".into(), 8443));
        assert!(parse_host_port("mm.example.com").is_err());
        assert!(parse_host_port("h:x").is_err());
        assert!(parse_host_port(":443").is_err());
        assert!(parse_host_port("::1:443").is_err());
    }
}
