//! Fleets: many deployments described in one YAML file, scanned with bounded concurrency,
//! each on its own (one failing never stops the others), one report per deployment plus a
//! fleet summary; `--shard I/N` splits a fleet across machines and `safeguard merge`
//! joins the shards' summaries. Scaling past one machine is left to an engine people
//! already run (a Kubernetes indexed Job, a CI matrix): see `docs/fleet.md`.
//!
//! This module reads the fleet file (every problem at once, each with `file:line:column`)
//! and runs the scans through `crate::scan`; the command line and rendering live in
//! `cli::fleet`. What does not belong here: any protocol (`probe`), judging (`assess`).

use crate::advisories::AdvisoryData;
use crate::check::Severity;
use crate::diag::{Diagnostic, Diagnostics, Sink};
use crate::probe::api::{ApiTarget, token};
use crate::probe::ldap::LdapEndpoint;
use crate::probe::mattermost::ConfigSources;
use crate::probe::{ProbeContext, Target};
use crate::scan::{self, Content, ScanRequest};
use crate::yaml::{self, Node, Value};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// One deployment of the fleet file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub name: String,
    pub url: url::Url,
    pub token_env: Option<String>,
    pub token_file: Option<PathBuf>,
    pub ca_file: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub env: Option<PathBuf>,
    pub ldap: Vec<LdapEndpoint>,
    pub profile: Option<String>,
}

const KEYS: &[&str] = &[
    "name",
    "url",
    "token-env",
    "token-file",
    "ca-file",
    "config",
    "env",
    "ldap",
    "profile",
];

/// Reads a fleet file. Relative paths are relative to the file's directory. Every
/// problem is reported, with its place.
pub fn load(path: &Path, profiles: &[&str]) -> Result<Vec<Deployment>, Diagnostics> {
    let one = |line, column, message: String| {
        Diagnostics(vec![Diagnostic {
            file: path.to_path_buf(),
            line,
            column,
            message,
        }])
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| one(0, 0, format!("cannot read the fleet file: {e}")))?;
    let root = yaml::parse(&text).map_err(|(pos, m)| one(pos.line, pos.column, m))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut sink = Sink::new(path);
    let mut out = Vec::new();
    let list = match root.as_map() {
        Some(m) => {
            for (k, _) in m {
                if k.as_str() != Some("deployments") {
                    sink.error(
                        k.pos,
                        format!("unknown key `{}`; expected `deployments`", key_text(k)),
                    );
                }
            }
            m.iter()
                .find(|(k, _)| k.as_str() == Some("deployments"))
                .map(|(_, v)| v)
        }
        None => None,
    };
    let Some(list) = list else {
        sink.error(
            root.pos,
            "a fleet file is a mapping with a `deployments` list",
        );
        return Err(Diagnostics(sink.diagnostics));
    };
    let Some(items) = list.as_seq() else {
        sink.error(
            list.pos,
            format!("`deployments` must be a list, found {}", list.kind()),
        );
        return Err(Diagnostics(sink.diagnostics));
    };
    if items.is_empty() {
        sink.error(list.pos, "`deployments` is empty");
    }
    let mut seen: Vec<(String, crate::diag::Pos)> = Vec::new();
    for item in items {
        if let Some(d) = deployment(item, base, profiles, &mut sink) {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == d.name) {
                sink.error(
                    item.pos,
                    format!(
                        "deployment name `{}` is used twice (first at line {}); names must be unique",
                        d.name, first.line
                    ),
                );
            } else {
                seen.push((d.name.clone(), item.pos));
                out.push(d);
            }
        }
    }
    if sink.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(sink.diagnostics))
    }
}

fn key_text(k: &Node) -> String {
    k.as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| k.kind().to_owned())
}

fn deployment(item: &Node, base: &Path, profiles: &[&str], sink: &mut Sink) -> Option<Deployment> {
    let Some(map) = item.as_map() else {
        sink.error(
            item.pos,
            format!("a deployment is a mapping, found {}", item.kind()),
        );
        return None;
    };
    let before = sink.diagnostics.len();
    let get = |key: &str| {
        map.iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    };
    for (k, _) in map {
        if !k.as_str().is_some_and(|s| KEYS.contains(&s)) {
            sink.error(
                k.pos,
                format!(
                    "unknown key `{}`; known keys: {}",
                    key_text(k),
                    KEYS.join(", ")
                ),
            );
        }
    }
    let string = |key: &str, sink: &mut Sink| -> Option<(String, crate::diag::Pos)> {
        let v = get(key)?;
        match &v.value {
            Value::Str(s) if !s.trim().is_empty() => Some((s.trim().to_owned(), v.pos)),
            _ => {
                sink.error(
                    v.pos,
                    format!("`{key}` must be a non-empty string, found {}", v.kind()),
                );
                None
            }
        }
    };
    let name = string("name", sink);
    if get("name").is_none() {
        sink.error(item.pos, "a deployment needs a `name`");
    }
    if let Some((n, pos)) = &name
        && !n
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        sink.error(*pos, format!("name `{n}` may hold only letters, digits, `-`, `_` and `.` (it names the report file)"));
    }
    let url = match string("url", sink) {
        Some((u, pos)) => match url::Url::parse(&u) {
            Ok(parsed) if parsed.scheme() == "https" && parsed.host_str().is_some() => Some(parsed),
            _ => {
                sink.error(pos, format!("url `{u}` must be https://HOST[:PORT]"));
                None
            }
        },
        None => {
            if get("url").is_none() {
                sink.error(item.pos, "a deployment needs a `url`");
            }
            None
        }
    };
    let token_env = string("token-env", sink).map(|(s, _)| s);
    let token_file = string("token-file", sink).map(|(s, _)| base.join(s));
    if let (Some(_), Some((_, v))) = (
        &token_env,
        map.iter().find(|(k, _)| k.as_str() == Some("token-file")),
    ) {
        sink.error(v.pos, "give `token-env` or `token-file`, not both");
    }
    let ca_file = string("ca-file", sink).map(|(s, _)| base.join(s));
    let config = string("config", sink).map(|(s, _)| base.join(s));
    let env = string("env", sink).map(|(s, _)| base.join(s));
    if let (Some(v), None) = (get("env"), &config) {
        sink.error(
            v.pos,
            "`env` needs `config` (the overrides apply to a config file)",
        );
    }
    let mut ldap = Vec::new();
    if let Some(v) = get("ldap") {
        let nodes: Vec<&Node> = match &v.value {
            Value::Seq(s) => s.iter().collect(),
            Value::Str(_) => vec![v],
            _ => {
                sink.error(
                    v.pos,
                    format!("`ldap` must be a URL or a list of URLs, found {}", v.kind()),
                );
                Vec::new()
            }
        };
        for n in nodes {
            match n.as_str().map(LdapEndpoint::parse) {
                Some(Ok(ep)) => ldap.push(ep),
                Some(Err(e)) => sink.error(n.pos, format!("ldap: {e}")),
                None => sink.error(
                    n.pos,
                    format!("an LDAP URL is a string, found {}", n.kind()),
                ),
            }
        }
    }
    let profile = string("profile", sink).and_then(|(p, pos)| {
        if profiles.contains(&p.as_str()) {
            Some(p)
        } else {
            sink.error(
                pos,
                format!(
                    "unknown profile `{p}`; known profiles: {}",
                    profiles.join(", ")
                ),
            );
            None
        }
    });
    if sink.diagnostics.len() > before {
        return None;
    }
    Some(Deployment {
        name: name?.0,
        url: url?,
        token_env,
        token_file,
        ca_file,
        config,
        env,
        ldap,
        profile,
    })
}

/// `I/N`: this machine's share of the fleet; I counts from 0 (as a Kubernetes indexed
/// Job's JOB_COMPLETION_INDEX does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    pub fn parse(s: &str) -> Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("--shard `{s}` is not I/N"))?;
        let (index, count): (usize, usize) = (
            i.trim()
                .parse()
                .map_err(|_| format!("--shard `{s}`: `{i}` is not a number"))?,
            n.trim()
                .parse()
                .map_err(|_| format!("--shard `{s}`: `{n}` is not a number"))?,
        );
        if count == 0 || index >= count {
            return Err(format!("--shard `{s}`: need 0 <= I < N (I counts from 0)"));
        }
        Ok(Self { index, count })
    }

    /// The deployments of this shard: every N-th, starting at I, in file order.
    pub fn select<T: Clone>(&self, all: &[T]) -> Vec<T> {
        all.iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index)
            .map(|(_, d)| d.clone())
            .collect()
    }
}

/// How one deployment's scan ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    pub name: String,
    pub url: String,
    /// `ok`, `gate-failed`, `incomplete` (a probe failed) or `error` (could not scan).
    pub status: String,
    pub profile: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conformance_percent: Option<f64>,
    pub failing_findings: usize,
    pub error_findings: usize,
    /// The server version the API reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Advisories whose fix the server lacks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_security_fixes: Option<usize>,
    /// Why it could not be scanned, or the warnings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<String>,
    /// The report file, relative to the output directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<String>,
    pub seconds: f64,
}

/// The fleet summary written beside the reports (`fleet-summary.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub kind: String,
    pub generated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    pub deployments: Vec<Outcome>,
}

pub const SUMMARY_FILE: &str = "fleet-summary.json";
pub const SUMMARY_KIND: &str = "safeguard-fleet-summary/1";

impl Summary {
    /// The exit status: 1 when a gate failed, else 3 when a deployment could not be
    /// (fully) scanned, else 0.
    pub fn exit_status(&self) -> u8 {
        if self.deployments.iter().any(|d| d.status == "gate-failed") {
            1
        } else if self
            .deployments
            .iter()
            .any(|d| d.status == "error" || d.status == "incomplete")
        {
            3
        } else {
            0
        }
    }
}

/// What every deployment's scan shares.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    pub default_profile: String,
    pub fail_on: Severity,
    pub context: ProbeContext,
    pub advisories: Arc<AdvisoryData>,
    pub jobs: usize,
    /// Where reports go (None: no files).
    pub output_dir: Option<PathBuf>,
}

/// Scans `deployments`, at most `opts.jobs` at once; `progress` is called after each.
pub fn run(
    deployments: Vec<Deployment>,
    content: &Content,
    opts: &FleetOptions,
    progress: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    let n = deployments.len();
    let queue: Mutex<VecDeque<(usize, Deployment)>> =
        Mutex::new(deployments.into_iter().enumerate().collect());
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; n]);
    std::thread::scope(|scope| {
        for _ in 0..opts.jobs.clamp(1, n.max(1)) {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
                    let Some((i, d)) = next else { break };
                    let name = d.name.clone();
                    let url = d.url.to_string();
                    let start = std::time::Instant::now();
                    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        scan_one(&d, content, opts)
                    }))
                    .unwrap_or_else(|_| Outcome {
                        name,
                        url,
                        status: "error".into(),
                        profile: String::new(),
                        conformance_percent: None,
                        failing_findings: 0,
                        error_findings: 0,
                        version: None,
                        missing_security_fixes: None,
                        messages: vec!["internal error while scanning this deployment".into()],
                        report: None,
                        seconds: start.elapsed().as_secs_f64(),
                    });
                    progress(&outcome);
                    if let Ok(mut r) = results.lock() {
                        r[i] = Some(outcome);
                    }
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect()
}

fn scan_one(d: &Deployment, content: &Content, opts: &FleetOptions) -> Outcome {
    let start = std::time::Instant::now();
    let profile_id = d
        .profile
        .clone()
        .unwrap_or_else(|| opts.default_profile.clone());
    let mut out = Outcome {
        name: d.name.clone(),
        url: d.url.to_string(),
        status: "error".into(),
        profile: profile_id.clone(),
        conformance_percent: None,
        failing_findings: 0,
        error_findings: 0,
        version: None,
        missing_security_fixes: None,
        messages: Vec::new(),
        report: None,
        seconds: 0.0,
    };
    let result = (|| -> Result<crate::report::Report, String> {
        let token = match (&d.token_env, &d.token_file) {
            (_, Some(f)) => Some(token::from_file(f)?),
            (Some(name), None) => token::from_env(name, true)?,
            (None, None) => token::from_env(token::DEFAULT_ENV, false)?,
        };
        if let Some(t) = &token {
            out.messages.extend(t.warnings.iter().cloned());
        }
        if let Some(ca) = &d.ca_file {
            crate::probe::trust::load_roots(Some(ca))?;
        }
        let mut targets = Vec::new();
        if let Some(config) = &d.config {
            targets.push(Target::MattermostConfig(ConfigSources {
                config: Some(config.clone()),
                env: d.env.clone(),
                license: None,
                ..ConfigSources::default()
            }));
        }
        targets.push(Target::Site(d.url.clone()));
        targets.push(Target::MattermostApi(ApiTarget {
            url: d.url.clone(),
            token,
            ca_file: d.ca_file.clone(),
            advisories: opts.advisories.clone(),
        }));
        targets.extend(d.ldap.iter().cloned().map(Target::Ldap));
        let mut context = opts.context.clone();
        if d.ca_file.is_some() {
            context.ca_file = d.ca_file.clone();
        }
        context.probe_configured_endpoints = true;
        let profile = content.profile(&profile_id)?;
        scan::run(
            &ScanRequest { targets, context },
            content,
            profile,
            opts.fail_on,
        )
        .map_err(|e| e.to_string())
    })();
    out.seconds = start.elapsed().as_secs_f64();
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            out.messages.push(e);
            return out;
        }
    };
    out.status = if !report.gate.passed {
        "gate-failed"
    } else if report.gate.incomplete {
        "incomplete"
    } else {
        "ok"
    }
    .into();
    out.conformance_percent = report.scores.conformance_percent;
    out.failing_findings = report
        .findings
        .iter()
        .filter(|f| f.finding.status == crate::check::FindingStatus::Fail)
        .count();
    out.error_findings = report
        .findings
        .iter()
        .filter(|f| f.finding.status == crate::check::FindingStatus::Error)
        .count();
    let fact = |k: &str| report.evidence.facts.iter().find(|f| f.key.as_str() == k);
    if let Some(f) = fact(crate::catalogue::api::VERSION.key) {
        out.version = Some(match &f.value {
            crate::evidence::FactValue::Str(s) => s.clone(),
            v => v.to_string(),
        });
    }
    if let Some(crate::evidence::FactValue::StrList(l)) =
        fact(crate::catalogue::api::MISSING_FIXES.key).map(|f| &f.value)
    {
        out.missing_security_fixes = Some(l.len());
    }
    if let Some(dir) = &opts.output_dir {
        let file = format!("{}.json", d.name);
        let written = serde_json::to_vec_pretty(&report)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                std::fs::write(dir.join(&file), bytes)
                    .map_err(|e| format!("cannot write {}: {e}", dir.join(&file).display()))
            });
        match written {
            Ok(()) => out.report = Some(file),
            Err(e) => {
                out.messages.push(e);
                out.status = "error".into();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_fleet() {
        let all: Vec<usize> = (0..10).collect();
        let mut union = Vec::new();
        for i in 0..3 {
            union.extend(Shard { index: i, count: 3 }.select(&all));
        }
        union.sort();
        assert_eq!(union, all);
        assert!(Shard::parse("3/3").is_err());
        assert!(Shard::parse("0/0").is_err());
        assert_eq!(Shard::parse("1/4"), Ok(Shard { index: 1, count: 4 }));
    }

    #[test]
    fn every_problem_of_a_fleet_file_at_once() {
        let dir = std::env::temp_dir().join(format!("safeguard-fleet-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("fleet.yaml");
        std::fs::write(
            &p,
            "deployments:\n  - name: a\n    url: http://x\n    colour: red\n  - url: https://b.example\n  - name: a\n    url: https://c.example\n    profile: nope\n    token-env: X\n    token-file: t\n  - name: d\n    url: https://d.example\n    ldap: [ftp://x]\n",
        )
        .unwrap();
        let err = load(&p, &["hipaa-technical"]).unwrap_err().to_string();
        for want in [
            "fleet.yaml:3:10: url `http://x` must be https",
            "fleet.yaml:4:5: unknown key `colour`",
            "fleet.yaml:5:5: a deployment needs a `name`",
            "fleet.yaml:8:14: unknown profile `nope`",
            "not both",
            "fleet.yaml:13:12: ldap:",
        ] {
            assert!(err.contains(want), "missing {want:?} in\n{err}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
