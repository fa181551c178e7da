//! The cluster's gossip hop against real hashicorp/memberlist nodes (tests/go/gossipnode,
//! Debian's memberlist 0.2.2) on 127.0.0.1: a node without a gossip key answers the
//! probe's one plaintext ping with a plaintext ack (compressed, as memberlist and
//! Mattermost default to, or not) and fails `cluster-gossip-plaintext-refused`; a node
//! with a key answers in ciphertext and passes; a closed port is unreachable, and the
//! plaintext question is not assessed with the reason; a configuration naming no node
//! address is not assessed with the reason. Every run is a `safeguard scan` of a
//! config.json with `--probe-configured-endpoints`.

mod support;

use assert_cmd::Command;
use std::time::Duration;

const KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

/// config-default.json with the cluster on, the given node address and gossip port, and
/// every other hop the default config names blanked (loopback only).
fn config(dir: &std::path::Path, address: &str, port: Option<u16>) -> std::path::PathBuf {
    let mut config: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(support::fixture("mattermost/config-default.json")).unwrap(),
    )
    .unwrap();
    config["EmailSettings"]["SMTPServer"] = "".into();
    config["EmailSettings"]["PushNotificationServer"] = "".into();
    config["ElasticsearchSettings"]["ConnectionURL"] = "".into();
    config["ServiceSettings"]["SiteURL"] = "".into();
    let cluster = &mut config["ClusterSettings"];
    cluster["Enable"] = true.into();
    cluster["AdvertiseAddress"] = address.into();
    cluster["OverrideHostname"] = "".into();
    match port {
        Some(p) => cluster["GossipPort"] = p.into(),
        None => {
            if let Some(o) = cluster.as_object_mut() {
                o.remove("GossipPort");
            }
        }
    }
    let path = dir.join("config.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&config).unwrap()).unwrap();
    path
}

fn scan(config: &std::path::Path, format: &str) -> (String, String) {
    let license = support::fixture("mattermost/license-full.json");
    let out = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args([
            "scan",
            "--mattermost-config",
            config.to_str().unwrap(),
            "--mattermost-license",
            license.to_str().unwrap(),
            "--probe-configured-endpoints",
            "--format",
            format,
        ])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(config: &std::path::Path) -> serde_json::Value {
    let (stdout, stderr) = scan(config, "json");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"))
}

fn finding<'a>(v: &'a serde_json::Value, id: &str, subject: Option<&str>) -> &'a serde_json::Value {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check_id"] == id && f["subject"].as_str() == subject)
        .unwrap_or_else(|| panic!("no finding {id} on {subject:?} in {:#}", v["findings"]))
}

fn fact<'a>(v: &'a serde_json::Value, subject: &str, key: &str) -> &'a serde_json::Value {
    v["evidence"]["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["subject"] == subject && f["key"] == key)
        .map(|f| &f["value"])
        .unwrap_or(&serde_json::Value::Null)
}

/// The notes of the gossip probe's completed attempt on `subject`.
fn notes(v: &serde_json::Value, subject: &str) -> String {
    v["evidence"]["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["probe"] == "gossip" && a["subject"] == subject)
        .flat_map(|a| a["notes"].as_array().cloned().unwrap_or_default())
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_node_without_a_gossip_key_answers_plaintext_and_fails() {
    for compress in [true, false] {
        let node = support::gossip_node::start(None, compress);
        let dir = support::scratch_dir("gossip-plain");
        let cfg = config(dir.path(), "127.0.0.1", Some(node.port));
        let v = json(&cfg);
        let subject = format!("gossip://127.0.0.1:{}", node.port);
        assert_eq!(fact(&v, &subject, "cluster.gossip.reachable"), true);
        assert_eq!(
            fact(&v, &subject, "cluster.gossip.answers-plaintext"),
            true,
            "{}",
            notes(&v, &subject)
        );
        let n = notes(&v, &subject);
        assert!(n.contains("plaintext ack"), "{n}");
        assert_eq!(compress, n.contains("(compressed)"), "{n}");
        let f = finding(&v, "cluster-gossip-plaintext-refused", Some(&subject));
        assert_eq!(f["status"], "fail", "{f:#}");
        assert_eq!(f["severity"], "high");
        // The configuration check is a separate, deployment-wide finding.
        assert_eq!(
            finding(&v, "cluster-gossip-encryption", None)["status"],
            "fail"
        );
    }
}

#[test]
fn a_node_with_a_gossip_key_answers_only_in_ciphertext_and_passes() {
    for compress in [true, false] {
        let node = support::gossip_node::start(Some(KEY), compress);
        let dir = support::scratch_dir("gossip-keyed");
        let cfg = config(dir.path(), "127.0.0.1", Some(node.port));
        let v = json(&cfg);
        let subject = format!("gossip://127.0.0.1:{}", node.port);
        assert_eq!(fact(&v, &subject, "cluster.gossip.reachable"), true);
        assert_eq!(
            fact(&v, &subject, "cluster.gossip.answers-plaintext"),
            false,
            "{}",
            notes(&v, &subject)
        );
        let n = notes(&v, &subject);
        assert!(n.contains("encrypted message"), "{n}");
        assert_eq!(
            finding(&v, "cluster-gossip-plaintext-refused", Some(&subject))["status"],
            "pass"
        );
    }
}

#[test]
fn a_closed_port_is_unreachable_and_the_plaintext_question_not_assessed() {
    let port = support::free_port();
    let dir = support::scratch_dir("gossip-closed");
    let cfg = config(dir.path(), "127.0.0.1", Some(port));
    let v = json(&cfg);
    let subject = format!("gossip://127.0.0.1:{port}");
    assert_eq!(fact(&v, &subject, "cluster.gossip.reachable"), false);
    assert!(fact(&v, &subject, "cluster.gossip.answers-plaintext").is_null());
    assert!(notes(&v, &subject).to_lowercase().contains("refused"));
    let f = finding(&v, "cluster-gossip-plaintext-refused", Some(&subject));
    assert_eq!(f["status"], "not-assessed", "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("not reachable"),
        "{f:#}"
    );
}

#[test]
fn a_cluster_without_a_node_address_is_not_assessed_with_the_reason() {
    let dir = support::scratch_dir("gossip-unnamed");
    let cfg = config(dir.path(), "", None);
    let v = json(&cfg);
    {
        let f = finding(&v, "cluster-gossip-plaintext-refused", None);
        assert_eq!(f["status"], "not-assessed", "{f:#}");
        let m = f["message"].as_str().unwrap();
        assert!(m.contains("AdvertiseAddress") && m.contains("8074"), "{m}");
    }
    assert!(
        !v["evidence"]["facts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["key"]
                .as_str()
                .unwrap_or("")
                .starts_with("cluster.gossip.")),
        "no gossip fact without an address"
    );
}

#[test]
fn the_table_shows_the_gossip_subject_and_its_finding() {
    let node = support::gossip_node::start(None, true);
    let dir = support::scratch_dir("gossip-table");
    let cfg = config(dir.path(), "127.0.0.1", Some(node.port));
    let (out, err) = scan(&cfg, "table");
    let subject = format!("gossip://127.0.0.1:{}", node.port);
    assert!(out.contains(&subject), "{out}\n{err}");
    assert!(out.contains("cluster-gossip-plaintext-refused"), "{out}");
}

#[test]
fn a_keyed_node_that_refuses_in_plaintext_passes() {
    // GossipVerifyOutgoing off: the refusal ("encryption is configured but remote state is
    // not encrypted") comes back as a plaintext errResp; the ping was still not answered.
    let node = support::gossip_node::start_with(Some(KEY), false, &["-verify-outgoing=false"]);
    let dir = support::scratch_dir("gossip-refusing");
    let cfg = config(dir.path(), "127.0.0.1", Some(node.port));
    let v = json(&cfg);
    let subject = format!("gossip://127.0.0.1:{}", node.port);
    assert_eq!(
        fact(&v, &subject, "cluster.gossip.answers-plaintext"),
        false
    );
    let n = notes(&v, &subject);
    assert!(
        n.contains("refused the plaintext ping") && n.contains("not encrypted"),
        "{n}"
    );
    assert_eq!(
        finding(&v, "cluster-gossip-plaintext-refused", Some(&subject))["status"],
        "pass"
    );
}

/// A TCP listener on 127.0.0.1 that reads what it is sent and then does `answer` with
/// the connection: say nothing, close, or send bytes that are not memberlist.
fn fake_port(answer: &'static [u8], close: bool) -> u16 {
    use std::io::{Read, Write};
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut c in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut buf = [0u8; 64];
                let _ = c.read(&mut buf);
                let _ = c.write_all(answer);
                if !close {
                    std::thread::sleep(Duration::from_secs(30));
                }
            });
        }
    });
    port
}

fn scan_timeout(config: &std::path::Path, secs: &str) -> serde_json::Value {
    let license = support::fixture("mattermost/license-full.json");
    let out = Command::new(env!("CARGO_BIN_EXE_safeguard"))
        .args([
            "scan",
            "--mattermost-config",
            config.to_str().unwrap(),
            "--mattermost-license",
            license.to_str().unwrap(),
            "--probe-configured-endpoints",
            "--timeout",
            secs,
            "--format",
            "json",
        ])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn silence_a_close_and_a_foreign_answer() {
    let dir = support::scratch_dir("gossip-fakes");
    for (answer, close, expect, note) in [
        (&b""[..], false, Some(false), "no answer"),
        (&b""[..], true, Some(false), "closed the connection"),
        (&b"HTTP/1.1 400 Bad Request\r\n\r\n"[..], true, None, ""),
    ] {
        let port = fake_port(answer, close);
        let cfg = config(dir.path(), "127.0.0.1", Some(port));
        let v = scan_timeout(&cfg, "1");
        let subject = format!("gossip://127.0.0.1:{port}");
        let got = fact(&v, &subject, "cluster.gossip.answers-plaintext");
        let f = finding(&v, "cluster-gossip-plaintext-refused", Some(&subject));
        match expect {
            Some(b) => {
                assert_eq!(got, b, "{f:#}");
                assert!(
                    notes(&v, &subject).contains(note),
                    "{}",
                    notes(&v, &subject)
                );
                assert_eq!(f["status"], "pass");
            }
            None => {
                // Not memberlist: neither pass nor fail.
                assert!(got.is_null());
                assert_eq!(f["status"], "not-assessed", "{f:#}");
                assert!(
                    f["message"].as_str().unwrap().contains("gossip port"),
                    "{f:#}"
                );
            }
        }
    }
}

#[test]
fn a_cluster_that_is_off_is_not_probed_and_its_checks_do_not_apply() {
    let dir = support::scratch_dir("gossip-off");
    let cfg = config(dir.path(), "127.0.0.1", Some(support::free_port()));
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&cfg).unwrap()).unwrap();
    c["ClusterSettings"]["Enable"] = false.into();
    std::fs::write(&cfg, serde_json::to_vec(&c).unwrap()).unwrap();
    let v = json(&cfg);
    // The deployment says there is no cluster: not applicable, with the reason.
    let f = finding(&v, "cluster-gossip-plaintext-refused", None);
    assert_eq!(f["status"], "not-applicable", "{f:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("cluster.active is false"),
        "{f:#}"
    );
    assert!(!v["evidence"]["facts"].as_array().unwrap().iter().any(|f| {
        f["key"]
            .as_str()
            .unwrap_or("")
            .starts_with("cluster.gossip.")
    }),);
}
