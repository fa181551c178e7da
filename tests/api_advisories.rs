//! `safeguard advisories update` from a directory and from a zip of OSV records, `show`,
//! and a scan judging the version against the refreshed data.
mod support;

use assert_cmd::Command;
use std::io::Write;

fn safeguard() -> Command {
    Command::cargo_bin("safeguard").unwrap()
}

#[test]
fn update_from_a_directory_and_a_zip() {
    let dir = support::scratch_dir("advisories");
    let osv = support::fixture("osv");
    std::fs::write(dir.path().join("broken.json"), "{ not json").unwrap();
    let out_file = dir.path().join("data.json");
    let out = safeguard()
        .args(["advisories", "update"])
        .arg(&osv)
        .args(["--date", "2026-11-30", "--output"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote 2 server advisories"));
    let show = safeguard()
        .args(["advisories", "show", "--advisories"])
        .arg(&out_file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains("2026-11-30") && text.contains("records: 2"),
        "{text}"
    );

    // The same records in a zip, plus a broken one: reported, the rest kept.
    let zip_path = dir.path().join("osv.zip");
    {
        let f = std::fs::File::create(&zip_path).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let opts = zip::write::SimpleFileOptions::default();
        for e in std::fs::read_dir(&osv).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                z.start_file(
                    format!("osv/{}", p.file_name().unwrap().to_string_lossy()),
                    opts,
                )
                .unwrap();
                z.write_all(&std::fs::read(&p).unwrap()).unwrap();
            }
        }
        z.start_file("osv/broken.json", opts).unwrap();
        z.write_all(b"{ not json").unwrap();
        z.finish().unwrap();
    }
    let zipped = dir.path().join("zipped.json");
    let out = safeguard()
        .args(["advisories", "update"])
        .arg(&zip_path)
        .arg("--output")
        .arg(&zipped)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.json"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("wrote 2 server advisories"));

    // Not OSV at all: exit 2 with the reason.
    let empty = support::scratch_dir("advisories-empty");
    let out = safeguard()
        .args(["advisories", "update"])
        .arg(empty.path())
        .arg("--output")
        .arg(dir.path().join("x.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no OSV record"));
}

#[test]
fn a_scan_uses_the_refreshed_data() {
    use support::mm_api::{self, Options};
    use support::pki::pki;
    let dir = support::scratch_dir("advisories-scan");
    let data = dir.path().join("data.json");
    let out = safeguard()
        .args(["advisories", "update"])
        .arg(support::fixture("osv"))
        .args(["--date", "2026-11-30", "--output"])
        .arg(&data)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let p = pki();
    let s = mm_api::start(Options {
        tls: Some((p.cert("rsa2048"), p.key("rsa2048"))),
        ..Options::default()
    });
    let out = safeguard()
        .env_remove("MM_ADMIN_TOKEN")
        .args(["scan", "--url", &s.url, "--ca-file"])
        .arg(p.ca())
        .arg("--advisories")
        .arg(&data)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let missing = r["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "mattermost.advisories.missing-fixes")
        .unwrap()["value"]
        .clone();
    // 10.11.1 lacks the 10.11.12 fix of GO-2026-5092.
    let text = missing.to_string();
    assert!(
        text.contains("GO-2026-5092") && text.contains("fixed in 10.11.12"),
        "{text}"
    );
    assert!(!text.contains("GO-2022-0540"), "{text}");
}
