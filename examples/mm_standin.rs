//! A Mattermost API stand-in for benchmarks (`scripts/bench-api`): serves `--count N`
//! stand-in deployments over HTTPS on 127.0.0.1 (the same code as the tests'
//! `tests/support/mm_api.rs`), prints one URL per line, and serves until killed.
//!
//! Usage: mm_standin --cert PEM --key PEM [--count N] [--ldap HOST:PORT]

#[path = "../tests/support/mm_api.rs"]
mod mm_api;

use std::io::Write;
use std::path::PathBuf;

#[allow(clippy::print_stdout)]
fn main() {
    let mut args = std::env::args().skip(1);
    let (mut cert, mut key, mut count, mut ldap) = (None, None, 1usize, None::<String>);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cert" => cert = args.next().map(PathBuf::from),
            "--key" => key = args.next().map(PathBuf::from),
            "--count" => count = args.next().and_then(|n| n.parse().ok()).unwrap_or(1),
            "--ldap" => ldap = args.next(),
            other => panic!("unknown argument {other}"),
        }
    }
    let tls = Some((cert.expect("--cert"), key.expect("--key")));
    let mut config = Vec::new();
    if let Some(hp) = ldap {
        let (h, p) = hp.rsplit_once(':').expect("--ldap HOST:PORT");
        config.push(("LdapSettings.Enable".to_owned(), serde_json::json!(true)));
        config.push(("LdapSettings.LdapServer".to_owned(), serde_json::json!(h)));
        config.push((
            "LdapSettings.LdapPort".to_owned(),
            serde_json::json!(p.parse::<u16>().expect("port")),
        ));
        config.push((
            "LdapSettings.ConnectionSecurity".to_owned(),
            serde_json::json!("STARTTLS"),
        ));
    }
    let mut keep = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for _ in 0..count {
        let s = mm_api::start(mm_api::Options {
            tls: tls.clone(),
            config: config.clone(),
            ..mm_api::Options::default()
        });
        let _ = writeln!(out, "{}", s.url);
        keep.push(s);
    }
    let _ = out.flush();
    drop(out);
    loop {
        std::thread::park();
    }
}
