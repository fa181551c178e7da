//! A stand-in for the Mattermost REST API on 127.0.0.1, over HTTP or HTTPS (the test
//! PKI's certificate), serving the real response shapes: the ping answer, the anonymous
//! client config and licence (`tests/fixtures/mattermost/client-config-old-format.json`),
//! `GET /api/v4/config` as `Config.Sanitize()` masks it (built from
//! `tests/fixtures/mattermost/config-default.json`), 401 without a token, 403 for a
//! non-admin token, and `X-Version-Id` on every answer. Hostile variants (not Mattermost,
//! HTML, redirect loop, huge body, slow) answer every request the same bad way.
//!
//! Every request line is recorded (method and target, and which token it carried — never
//! the token), so a test can prove the scanner sent nothing but the expected GETs.
//! Used by the tests and, through `examples/mm_standin.rs`, by `scripts/bench-api`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const ADMIN_TOKEN: &str = "admintoken-4f1c9e7a2b8d";
pub const USER_TOKEN: &str = "usertoken-93ad10c5e7f2";
pub const FAKE: &str = "********************************";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Mattermost,
    /// A web server that is not Mattermost: 404 with an HTML page.
    NotMattermost,
    /// 200 with HTML for everything.
    Html,
    /// 302 to the same URL, forever.
    RedirectLoop,
    /// 200 with a never-ending JSON-looking body and no length.
    Huge,
    /// Answers after this many seconds.
    Slow(u64),
}

#[derive(Debug, Clone)]
pub struct Options {
    pub behaviour: Behaviour,
    /// `X-Version-Id`; None: the header is stripped (as a proxy can).
    pub version_id: Option<String>,
    /// The client config's `Version` and `BuildNumber`.
    pub version: (String, String),
    pub licensed: bool,
    /// (cert, key) PEM files: serve HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Settings to set in the config before masking: (`Section.Key`, value).
    pub config: Vec<(String, serde_json::Value)>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            behaviour: Behaviour::Mattermost,
            version_id: Some("10.11.0.10.11.1.3f5e0f0c1b2a49d7e6c5b4a392817060.false".to_owned()),
            version: ("10.11.0".to_owned(), "10.11.1".to_owned()),
            licensed: false,
            tls: None,
            config: Vec::new(),
        }
    }
}

pub struct StandIn {
    pub port: u16,
    pub url: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
}

impl StandIn {
    /// The request lines seen so far: `GET /api/v4/system/ping [no-token]`.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mattermost")
}

fn set_path(root: &mut serde_json::Value, path: &str, value: serde_json::Value) {
    let mut cur = root;
    let segs: Vec<&str> = path.split('.').collect();
    for (i, seg) in segs.iter().enumerate() {
        if i + 1 == segs.len() {
            cur[*seg] = value;
            return;
        }
        cur = &mut cur[*seg];
    }
}

/// Mattermost's `Config.Sanitize()` (server/public/model/config.go), applied to JSON.
pub fn sanitize(cfg: &mut serde_json::Value) {
    for always in [
        "SqlSettings.DataSource",
        "SqlSettings.AtRestEncryptKey",
        "FileSettings.PublicLinkSalt",
        "ElasticsearchSettings.Password",
        "ServiceSettings.SplitKey",
        "CacheSettings.RedisPassword",
    ] {
        let (s, k) = always.split_once('.').unwrap();
        if cfg[s].get(k).is_some() {
            cfg[s][k] = FAKE.into();
        }
    }
    for list in ["DataSourceReplicas", "DataSourceSearchReplicas"] {
        if let Some(a) = cfg["SqlSettings"][list].as_array_mut() {
            for v in a {
                *v = FAKE.into();
            }
        }
    }
    for when_set in [
        "LdapSettings.BindPassword",
        "FileSettings.AmazonS3SecretAccessKey",
        "EmailSettings.SMTPPassword",
        "GitLabSettings.Secret",
        "GoogleSettings.Secret",
        "Office365Settings.Secret",
        "OpenIdSettings.Secret",
    ] {
        let (s, k) = when_set.split_once('.').unwrap();
        if cfg[s][k].as_str().is_some_and(|v| !v.is_empty()) {
            cfg[s][k] = FAKE.into();
        }
    }
}

struct Site {
    opts: Options,
    config: String,
    client: String,
    license: String,
}

/// Starts a stand-in; it stops when the returned value is dropped.
pub fn start(opts: Options) -> StandIn {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().unwrap().port();
    let scheme = if opts.tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://127.0.0.1:{port}");
    let mut cfg: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures_dir().join("config-default.json")).unwrap(),
    )
    .unwrap();
    cfg["ServiceSettings"]["SiteURL"] = url.clone().into();
    for (path, v) in &opts.config {
        set_path(&mut cfg, path, v.clone());
    }
    sanitize(&mut cfg);
    let mut client: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures_dir().join("client-config-old-format.json")).unwrap(),
    )
    .unwrap();
    client["Version"] = opts.version.0.clone().into();
    client["BuildNumber"] = opts.version.1.clone().into();
    client["SiteURL"] = url.clone().into();
    let license = if opts.licensed {
        serde_json::json!({"IsLicensed": "true", "MFA": "true", "IDLoadedPushNotifications": "true",
            "EmailNotificationContents": "true", "Compliance": "true", "LDAP": "true", "SkuShortName": "enterprise"})
    } else {
        serde_json::json!({"IsLicensed": "false"})
    };
    let tls = opts
        .tls
        .as_ref()
        .map(|(c, k)| Arc::new(server_config(c, k)));
    let site = Arc::new(Site {
        opts,
        config: cfg.to_string(),
        client: client.to_string(),
        license: license.to_string(),
    });
    let requests = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let (reqs, stopped) = (requests.clone(), stop.clone());
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            let Ok(conn) = conn else { continue };
            let (site, reqs, tls) = (site.clone(), reqs.clone(), tls.clone());
            std::thread::spawn(move || {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
                match tls {
                    Some(cfg) => {
                        let Ok(sc) = rustls::ServerConnection::new(cfg) else {
                            return;
                        };
                        let mut s = rustls::StreamOwned::new(sc, conn);
                        serve(&mut s, &site, &reqs);
                    }
                    None => {
                        let mut c = conn;
                        serve(&mut c, &site, &reqs);
                    }
                }
            });
        }
    });
    StandIn {
        port,
        url,
        requests,
        stop,
    }
}

fn server_config(cert: &Path, key: &Path) -> rustls::ServerConfig {
    let certs = rustls_pemfile::certs(&mut std::fs::read(cert).unwrap().as_slice())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls_pemfile::private_key(&mut std::fs::read(key).unwrap().as_slice())
        .unwrap()
        .unwrap();
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap()
}

/// Serves requests on one connection (keep-alive) until it closes.
fn serve<S: Read + Write>(s: &mut S, site: &Site, reqs: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(s);
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            continue;
        }
        let mut auth = "no-token";
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let lower = h.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("authorization:") {
                let v = v.trim();
                auth = if v == format!("bearer {}", ADMIN_TOKEN.to_ascii_lowercase()) {
                    "admin-token"
                } else if v == format!("bearer {}", USER_TOKEN.to_ascii_lowercase()) {
                    "user-token"
                } else {
                    "other-token"
                };
            }
            if let Some(v) = lower.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap_or(0);
            }
        }
        if len > 0 {
            let mut body = vec![0u8; len.min(1 << 20)];
            let _ = reader.read_exact(&mut body);
        }
        let mut parts = line.split(' ');
        let method = parts.next().unwrap_or("").to_owned();
        let target = parts.next().unwrap_or("").to_owned();
        reqs.lock()
            .unwrap()
            .push(format!("{method} {target} [{auth}]"));
        let out = reader.get_mut();
        if !respond(out, site, &method, &target, auth) {
            return;
        }
    }
}

/// Writes one answer; false when the connection must close.
fn respond<W: Write>(w: &mut W, site: &Site, method: &str, target: &str, auth: &str) -> bool {
    let version = site
        .opts
        .version_id
        .as_ref()
        .map(|v| format!("X-Version-Id: {v}\r\n"))
        .unwrap_or_default();
    let send = |w: &mut W, status: &str, ctype: &str, extra: &str, body: &str| {
        let head = format!(
            "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n{extra}\r\n",
            body.len()
        );
        w.write_all(head.as_bytes()).is_ok()
            && w.write_all(body.as_bytes()).is_ok()
            && w.flush().is_ok()
    };
    match site.opts.behaviour {
        Behaviour::NotMattermost => {
            return send(
                w,
                "404 Not Found",
                "text/html",
                "",
                "<html><body><h1>Not Found</h1></body></html>",
            );
        }
        Behaviour::Html => {
            return send(
                w,
                "200 OK",
                "text/html",
                "",
                "<!doctype html><html><body>Welcome to nginx!</body></html>",
            );
        }
        Behaviour::RedirectLoop => {
            return send(
                w,
                "302 Found",
                "text/html",
                &format!("Location: {target}\r\n"),
                "",
            );
        }
        Behaviour::Huge => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n[";
            if w.write_all(head.as_bytes()).is_err() {
                return false;
            }
            let chunk = vec![b' '; 64 << 10];
            for _ in 0..(64 << 20) / chunk.len() {
                if w.write_all(&chunk).is_err() {
                    return false;
                }
            }
            return false;
        }
        Behaviour::Slow(secs) => {
            std::thread::sleep(Duration::from_secs(secs));
        }
        Behaviour::Mattermost => {}
    }
    let json = "application/json";
    if method != "GET" {
        return send(
            w,
            "405 Method Not Allowed",
            json,
            &version,
            r#"{"status_code":405}"#,
        );
    }
    let error = |id: &str, code: u16| {
        format!(
            r#"{{"id":"{id}","message":"","detailed_error":"","request_id":"x","status_code":{code}}}"#
        )
    };
    match target {
        "/api/v4/system/ping" => send(
            w,
            "200 OK",
            json,
            &version,
            r#"{"ActiveSearchBackend":"database","AndroidLatestVersion":"","AndroidMinVersion":"","IosLatestVersion":"","IosMinVersion":"","status":"OK"}"#,
        ),
        "/api/v4/config/client?format=old" => send(w, "200 OK", json, &version, &site.client),
        "/api/v4/license/client?format=old" => send(w, "200 OK", json, &version, &site.license),
        "/api/v4/config" => match auth {
            "admin-token" => send(w, "200 OK", json, &version, &site.config),
            "user-token" => send(
                w,
                "403 Forbidden",
                json,
                &version,
                &error("api.context.permissions.app_error", 403),
            ),
            _ => send(
                w,
                "401 Unauthorized",
                json,
                &version,
                &error("api.context.session_expired.app_error", 401),
            ),
        },
        _ => send(
            w,
            "404 Not Found",
            json,
            &version,
            &error("api.context.404.app_error", 404),
        ),
    }
}
