//! nginx (Debian package nginx-light) serving TLS on 127.0.0.1 with the certificates a
//! test chooses: one or several `ssl_certificate` pairs on the same port, as a
//! dual-certificate (ECDSA + RSA) deployment has. Runs in the foreground as a single
//! process (`daemon off; master_process off;`), so the PID we spawn is the server's.

use super::{ServerGuard, free_port, require_tool, scratch_dir, wait_for_port};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// A running nginx and the scratch directory holding its configuration and logs.
pub struct Nginx {
    pub server: ServerGuard,
    _dir: tempfile::TempDir,
}

impl Nginx {
    pub fn port(&self) -> u16 {
        self.server.port
    }
}

/// Starts nginx with every `(certificate, key)` pair on one TLS port, offering
/// `protocols` (nginx `ssl_protocols` syntax, e.g. `TLSv1.2 TLSv1.3`).
pub fn start(pairs: &[(&Path, &Path)], protocols: &str) -> Nginx {
    let nginx = require_tool("nginx", "nginx-light");
    let dir = scratch_dir("nginx");
    let d = dir.path();
    let mut certs = String::new();
    for (crt, key) in pairs {
        certs.push_str(&format!(
            "    ssl_certificate {};\n    ssl_certificate_key {};\n",
            crt.display(),
            key.display()
        ));
    }
    for attempt in 0..5 {
        let port = free_port();
        let conf = format!(
            "daemon off;\nmaster_process off;\nworker_processes 1;\n\
             error_log {d}/error.log warn;\npid {d}/nginx.pid;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n  access_log off;\n\
               client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
               fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n\
               scgi_temp_path {d}/scgi;\n\
               server {{\n    listen 127.0.0.1:{port} ssl;\n    server_name localhost;\n\
             {certs}    ssl_protocols {protocols};\n\
                 location / {{ return 200 \"ok\\n\"; }}\n  }}\n}}\n",
            d = d.display()
        );
        let conf_path = d.join("nginx.conf");
        std::fs::write(&conf_path, conf).expect("write nginx.conf");
        let mut child = Command::new(&nginx)
            .arg("-p")
            .arg(d)
            .arg("-e")
            .arg(d.join("error.log"))
            .arg("-c")
            .arg(&conf_path)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn nginx");
        if wait_for_port(port, Duration::from_secs(10)) {
            return Nginx {
                server: ServerGuard {
                    child,
                    port,
                    name: "nginx".into(),
                },
                _dir: dir,
            };
        }
        let _ = child.kill();
        let out = child.wait_with_output().ok();
        let log = std::fs::read_to_string(d.join("error.log")).unwrap_or_default();
        let err = out
            .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
            .unwrap_or_default();
        if attempt == 4 || !log.contains("Address already in use") {
            panic!("nginx did not start: {err}{log}");
        }
    }
    unreachable!("nginx start attempts exhausted")
}
