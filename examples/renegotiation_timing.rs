//! Times the client-initiated renegotiation test alone (`scripts/bench-renegotiation`):
//! runs it RUNS times in a row against HOST:PORT and prints the verdict, the median and
//! the slowest run in milliseconds, and the connections used. A benchmark helper, not a
//! test.
//!
//! Usage: renegotiation_timing HOST:PORT [RUNS]

use safeguard::probe::tls::Upgrade;
use safeguard::probe::tls::connection::Endpoint;
use safeguard::probe::tls::renegotiation;
use std::time::{Duration, Instant};

#[allow(clippy::print_stdout)]
fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().expect("HOST:PORT");
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(20);
    let ep = Endpoint::new(
        addr.parse().expect("an IP:PORT"),
        Upgrade::None,
        Duration::from_secs(10),
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut times = Vec::with_capacity(runs);
    let mut verdict = String::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let v = rt.block_on(renegotiation::test(&ep, None));
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        verdict = match v {
            Ok(renegotiation::Verdict::Accepted { .. }) => "accepted".into(),
            Ok(renegotiation::Verdict::Refused { answer }) => format!("refused ({answer})"),
            Err(seen) => format!("unreadable ({seen})"),
        };
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{verdict}\tmedian {:.2} ms\tmax {:.2} ms\t{} connections for {} runs",
        times[times.len() / 2],
        times[times.len() - 1],
        ep.handshakes(),
        times.len()
    );
}
