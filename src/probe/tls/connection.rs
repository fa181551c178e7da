//! One probe connection: connect, upgrade (StartTLS), send a hello, read the reply, all
//! under one deadline and the per-host connection cap. Every connection is counted, so the
//! report can say how many handshakes a scan cost.

use super::Upgrade;
use super::reader::{self, Progress, ReadError, Reply};
use super::starttls::{self, UpgradeError};
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use thiserror::Error;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, SemaphorePermit};

/// Connections in flight per host (sslyze uses 5; s_server-style servers serialise anyway).
pub const MAX_CONNECTIONS_PER_HOST: usize = 4;

/// Why one exchange failed. Messages leave out the address: callers prefix the endpoint.
#[derive(Debug, Error)]
pub enum ProbeError {
    #[error("cannot connect: {source}")]
    Connect {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("no answer within {secs:.1} s")]
    Timeout { addr: SocketAddr, secs: f64 },
    #[error("the peer reset the connection")]
    Reset { addr: SocketAddr },
    #[error("{source}")]
    Read { addr: SocketAddr, source: ReadError },
    #[error("{source}")]
    Upgrade {
        addr: SocketAddr,
        source: UpgradeError,
    },
    #[error("{source}")]
    Io {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

impl ProbeError {
    /// The peer refused this hello at the transport level (reset), which servers do
    /// instead of an alert for versions or hellos they do not handle.
    pub fn is_refusal(&self) -> bool {
        matches!(self, ProbeError::Reset { .. })
    }
}

/// The endpoint being probed, shared by every connection of one assessment.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub addr: SocketAddr,
    pub upgrade: Upgrade,
    pub timeout: Duration,
    limit: Arc<Semaphore>,
    handshakes: Arc<AtomicUsize>,
}

impl Endpoint {
    pub fn new(addr: SocketAddr, upgrade: Upgrade, timeout: Duration) -> Self {
        Self {
            addr,
            upgrade,
            timeout,
            limit: Arc::new(Semaphore::new(MAX_CONNECTIONS_PER_HOST)),
            handshakes: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Connections opened so far.
    pub fn handshakes(&self) -> usize {
        self.handshakes.load(Ordering::Relaxed)
    }

    fn timeout_error(&self) -> ProbeError {
        ProbeError::Timeout {
            addr: self.addr,
            secs: self.timeout.as_secs_f64(),
        }
    }

    /// A connected, upgraded stream and the permit that holds its slot under the cap.
    pub async fn open(&self) -> Result<(TcpStream, SemaphorePermit<'_>), ProbeError> {
        let permit = self
            .limit
            .acquire()
            .await
            .map_err(|_| self.timeout_error())?;
        self.handshakes.fetch_add(1, Ordering::Relaxed);
        let addr = self.addr;
        let mut stream = tokio::time::timeout(self.timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| self.timeout_error())?
            .map_err(|source| ProbeError::Connect { addr, source })?;
        let _ = stream.set_nodelay(true);
        tokio::time::timeout(self.timeout, starttls::upgrade(&mut stream, &self.upgrade))
            .await
            .map_err(|_| self.timeout_error())?
            .map_err(|source| ProbeError::Upgrade { addr, source })?;
        Ok((stream, permit))
    }

    /// Sends one hello and reads the reply (within the timeout, counted against the cap).
    pub async fn exchange(&self, hello: &[u8], sslv2: bool) -> Result<Reply, ProbeError> {
        let deadline = tokio::time::Instant::now() + self.timeout;
        let (mut stream, _permit) = tokio::time::timeout_at(deadline, self.open())
            .await
            .map_err(|_| self.timeout_error())??;
        let addr = self.addr;
        tokio::time::timeout_at(deadline, async {
            stream
                .write_all(hello)
                .await
                .map_err(|e| io_error(addr, e))?;
            let mut buf: Vec<u8> = Vec::with_capacity(8192);
            let mut chunk = vec![0u8; 16 * 1024];
            loop {
                let n = match stream.read(&mut chunk).await {
                    Ok(n) => n,
                    Err(e) if buf.is_empty() => return Err(io_error(addr, e)),
                    // A reset after a partial reply: judge what arrived as if closed.
                    Err(_) => 0,
                };
                buf.extend_from_slice(&chunk[..n]);
                match reader::read_flight(&buf, sslv2, n == 0) {
                    Ok(Progress::Done(reply)) => return Ok(reply),
                    Ok(Progress::NeedMore) if n == 0 => return Ok(Reply::Closed),
                    Ok(Progress::NeedMore) => {}
                    Err(source) => return Err(ProbeError::Read { addr, source }),
                }
            }
        })
        .await
        .map_err(|_| self.timeout_error())?
    }
}

fn io_error(addr: SocketAddr, e: std::io::Error) -> ProbeError {
    match e.kind() {
        std::io::ErrorKind::ConnectionReset
        | std::io::ErrorKind::ConnectionAborted
        | std::io::ErrorKind::BrokenPipe => ProbeError::Reset { addr },
        _ => ProbeError::Io { addr, source: e },
    }
}
