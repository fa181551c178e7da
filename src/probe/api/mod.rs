//! Mattermost REST API probe: what a running server says about itself. A configuration
//! source (phase `Sources`) like the config file, giving the same `mattermost.config.*`
//! facts, but as the server resolves them (environment overrides included).
//!
//! Without authentication: `GET /api/v4/system/ping`, `/api/v4/config/client?format=old`
//! and `/api/v4/license/client?format=old` give health, the version (also in every
//! `X-Version-Id` header), the licence and the settings the limited client config
//! exposes. With an admin token, `GET /api/v4/config` gives the effective configuration,
//! masked by the server's `Config.Sanitize()` (server/public/model/config.go). The call is
//! itself recorded in the server's audit log (`getConfig`): the audit trail shows who ran
//! the scan. GET only, always: never `get_server_status=true` (it makes the server write
//! and delete a database row), never a PUT, POST or reload.
//!
//! The server's version is judged here against the advisory data (`crate::advisories`).
//!
//! What does not belong here: the TLS and HTTP hygiene of the same site (`probe::tls`,
//! `probe::http`), judging (`checks/`), reading a config file (`probe::mattermost`).

pub mod client;
pub mod token;
pub mod version;

use super::mattermost::{self, ConfigSources, License};
use crate::advisories::AdvisoryData;
use crate::catalogue::{api as cat, family, mattermost::config_key, settings};
use crate::evidence::{AttemptOutcome, Evidence, FactMaker, FactValue};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

pub use token::{ResolvedToken, Token};

/// The probe id, in provenance and attempts.
pub const ID: &str = "mattermost-api";

/// Why the settings are not assessed without a token.
pub const NEEDS_TOKEN: &str = "needs an admin token with a system-console read permission (set MM_ADMIN_TOKEN, or give --token-env NAME or --token-file PATH)";

/// Mattermost's placeholder for a masked secret: 32 asterisks (`model.FakeSetting`).
pub const FAKE_SETTING: &str = "********************************";

/// Settings `Config.Sanitize()` masks whatever their value (even when empty), so the mask
/// says nothing: they are dropped and the facts needing them stay unknown unless a config
/// file or environment file supplies them. (LDAP bind password, SMTP password, S3 secret
/// and OAuth secrets are masked only when set: there the mask means "set".)
pub const ALWAYS_MASKED: &[&str] = &[
    "SqlSettings.DataSource",
    "SqlSettings.DataSourceReplicas",
    "SqlSettings.DataSourceSearchReplicas",
    "SqlSettings.ReplicaLagSettings",
    "SqlSettings.AtRestEncryptKey",
    "FileSettings.PublicLinkSalt",
    "ElasticsearchSettings.Password",
    "ServiceSettings.SplitKey",
    "CacheSettings.RedisPassword",
];

/// Limited client config keys (all strings) that are settings, with their setting path.
/// Only keys whose value is the effective setting: licence-gated ones (`EnableSaml`,
/// `EnableLdap`, …) are left out, except MFA enforcement, which the server reports as
/// "false" without the MFA licence exactly because it then does not enforce it.
const CLIENT_SETTINGS: &[(&str, &str)] = &[
    ("SiteURL", "ServiceSettings.SiteURL"),
    ("EnableOpenServer", "TeamSettings.EnableOpenServer"),
    ("PasswordMinimumLength", "PasswordSettings.MinimumLength"),
    ("PasswordRequireLowercase", "PasswordSettings.Lowercase"),
    ("PasswordRequireUppercase", "PasswordSettings.Uppercase"),
    ("PasswordRequireNumber", "PasswordSettings.Number"),
    ("PasswordRequireSymbol", "PasswordSettings.Symbol"),
    (
        "EnableMultifactorAuthentication",
        "ServiceSettings.EnableMultifactorAuthentication",
    ),
    (
        "EnforceMultifactorAuthentication",
        "ServiceSettings.EnforceMultifactorAuthentication",
    ),
    ("EnableGuestAccounts", "GuestAccountsSettings.Enable"),
    (
        "GuestAccountsEnforceMultifactorAuthentication",
        "GuestAccountsSettings.EnforceMultifactorAuthentication",
    ),
    (
        "EnableComplianceExport",
        "MessageExportSettings.EnableExport",
    ),
    (
        "EnableSignUpWithEmail",
        "EmailSettings.EnableSignUpWithEmail",
    ),
];

const ALL_FAMILIES: &[&str] = &[
    family::MATTERMOST_API,
    family::MATTERMOST_ADVISORIES,
    family::MATTERMOST_CONFIG,
    family::MATTERMOST_DERIVED,
];
const CONFIG_FAMILIES: &[&str] = &[family::MATTERMOST_CONFIG, family::MATTERMOST_DERIVED];

/// A deployment's API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiTarget {
    /// The site URL (the API is under `/api/v4/`).
    pub url: url::Url,
    pub token: Option<ResolvedToken>,
    /// Extra trust anchors for this deployment (else the scan's `--ca-file`).
    pub ca_file: Option<PathBuf>,
    /// The advisories the version is judged against.
    pub advisories: Arc<AdvisoryData>,
}

/// The registry entry.
#[derive(Debug)]
pub struct ApiProbe;

impl super::Probe for ApiProbe {
    fn about(&self) -> &'static super::About {
        const ABOUT: super::About = super::About {
            id: ID,
            description: "Reads a running server through its REST API: version, licence, client config and (with an admin token) the effective configuration",
            phase: super::Phase::Sources,
            families: ALL_FAMILIES,
        };
        &ABOUT
    }
    fn plan(
        &self,
        targets: &[super::Target],
        _found: &Evidence,
        ctx: &super::ProbeContext,
    ) -> Vec<super::Job> {
        let file = targets.iter().find_map(|t| match t {
            super::Target::MattermostConfig(s) => Some(s.clone()),
            _ => None,
        });
        targets
            .iter()
            .filter_map(|t| match t {
                super::Target::MattermostApi(a) => Some(a.clone()),
                _ => None,
            })
            .map(|mut target| {
                target.ca_file = target.ca_file.or_else(|| ctx.ca_file.clone());
                let file = file.clone();
                let timeout = ctx.timeout;
                super::Job {
                    probe: ID,
                    subject: None,
                    covers: ALL_FAMILIES,
                    work: Box::pin(
                        async move { Ok(collect(&target, file.as_ref(), timeout).await) },
                    ),
                }
            })
            .collect()
    }
}

/// The API URL of `path` under the site URL (which may have a subpath).
fn api_url(site: &url::Url, path: &str) -> url::Url {
    let mut base = site.clone();
    base.set_query(None);
    base.set_fragment(None);
    if !base.path().ends_with('/') {
        let p = format!("{}/", base.path());
        base.set_path(&p);
    }
    base.join(path).unwrap_or(base)
}

/// Evidence where every family failed for `reason`.
fn failed_all(maker: &FactMaker, reason: String) -> Evidence {
    let mut ev = Evidence::default();
    ev.attempts
        .push(maker.attempt(AttemptOutcome::Failed { reason }, ALL_FAMILIES));
    ev
}

/// Reads the API of `target`; never fails (a failure is a failed attempt). `file`: the
/// config file of the same scan, to report where it disagrees with the server.
pub async fn collect(
    target: &ApiTarget,
    file: Option<&ConfigSources>,
    timeout: Duration,
) -> Evidence {
    let maker = FactMaker::new(ID, None);
    let site = &target.url;
    let client = match client::build(target.ca_file.as_deref(), timeout) {
        Ok(c) => c,
        Err(e) => return failed_all(&maker, e),
    };
    let mut notes: Vec<String> = Vec::new();
    let mut ev = Evidence::default();

    // 1. Ping: is this a Mattermost API at all?
    let ping_url = api_url(site, "api/v4/system/ping");
    let ping = match client::get(&client, &ping_url, None).await {
        Ok(a) => a,
        Err(e) => return failed_all(&maker, format!("GET {ping_url}: {e}")),
    };
    let not_mm = |why: String| {
        format!("{site} does not look like a Mattermost server: GET /api/v4/system/ping {why}")
    };
    if ping.status != 200 {
        let whither = ping
            .location
            .as_deref()
            .map(|l| format!(" (redirect to {l})"))
            .unwrap_or_default();
        return failed_all(
            &maker,
            not_mm(format!("answered HTTP {}{whither}", ping.status)),
        );
    }
    let ping_json = match ping.json() {
        Ok(v) => v,
        Err(e) => return failed_all(&maker, not_mm(e)),
    };
    let Some(status) = ping_json.get("status").and_then(Value::as_str) else {
        return failed_all(&maker, not_mm("answered JSON without a \"status\"".into()));
    };
    let ping_src = format!("GET {ping_url}");
    ev.insert(maker.put(
        &cat::PING_STATUS,
        FactValue::Str(status.to_owned()),
        ping_src.clone(),
    ));

    // 2. Client config and licence, anonymously.
    let cc_url = api_url(site, "api/v4/config/client?format=old");
    let client_config = match client::get(&client, &cc_url, None).await {
        Ok(a) if a.status == 200 => match a.json() {
            Ok(Value::Object(m)) => Some((m, a.version_id)),
            Ok(_) => {
                notes.push(format!("GET {cc_url}: not a JSON object; ignored"));
                None
            }
            Err(e) => {
                notes.push(format!("GET {cc_url}: {e}"));
                None
            }
        },
        Ok(a) => {
            notes.push(format!("GET {cc_url}: HTTP {}", a.status));
            None
        }
        Err(e) => {
            notes.push(format!("GET {cc_url}: {e}"));
            None
        }
    };
    let lic_url = api_url(site, "api/v4/license/client?format=old");
    let license_json = match client::get(&client, &lic_url, None).await {
        Ok(a) if a.status == 200 => a
            .json()
            .map_err(|e| notes.push(format!("GET {lic_url}: {e}")))
            .ok(),
        Ok(a) => {
            notes.push(format!("GET {lic_url}: HTTP {}", a.status));
            None
        }
        Err(e) => {
            notes.push(format!("GET {lic_url}: {e}"));
            None
        }
    };
    let license = license_json.as_ref().and_then(License::from_json);
    let lic_src = format!("GET {lic_url}");
    if let (Some(l), Some(Value::Object(m))) = (&license, &license_json) {
        let licensed = m
            .get("IsLicensed")
            .is_some_and(|v| v == "true" || v == &Value::Bool(true));
        ev.insert(maker.put(&cat::LICENSED, FactValue::Bool(licensed), lic_src.clone()));
        let mut features: Vec<String> = m
            .keys()
            .filter(|k| !matches!(k.as_str(), "IsLicensed" | "IsTrial" | "IsGovSku"))
            .filter(|k| l.feature(k) == mattermost::licence::Feature::On)
            .cloned()
            .collect();
        features.sort();
        ev.insert(maker.put(
            &cat::LICENSE_FEATURES,
            FactValue::StrList(features),
            lic_src.clone(),
        ));
    } else if license_json.is_some() {
        notes.push(format!(
            "GET {lic_url}: not a licence (no IsLicensed); licence unknown"
        ));
    }

    // 3. The version: the header, else the client config.
    let header = ping
        .version_id
        .clone()
        .or_else(|| client_config.as_ref().and_then(|(_, h)| h.clone()));
    ev.insert(maker.put(
        &cat::VERSION_HEADER_EXPOSED,
        FactValue::Bool(header.is_some()),
        ping_src.clone(),
    ));
    let cc_str = |k: &str| {
        client_config
            .as_ref()
            .and_then(|(m, _)| m.get(k))
            .and_then(Value::as_str)
    };
    let from_header = header.as_deref().and_then(version::parse_header);
    if header.is_some() && from_header.is_none() {
        notes.push(format!(
            "X-Version-Id {:?} is not in a known format",
            header.unwrap_or_default()
        ));
    }
    let server_version = from_header
        .map(|v| (v, format!("X-Version-Id header of {ping_src}")))
        .or_else(|| {
            version::from_client_config(cc_str("Version"), cc_str("BuildNumber"))
                .map(|v| (v, format!("GET {cc_url} (Version, BuildNumber)")))
        });
    if let Some((v, src)) = &server_version {
        ev.insert(maker.put(
            &cat::VERSION,
            FactValue::Str(v.release().to_string()),
            src.clone(),
        ));
        if let Some(b) = &v.build {
            ev.insert(maker.put(&cat::BUILD, FactValue::Str(b.clone()), src.clone()));
        }
    }

    // 4. Settings the anonymous client config exposes.
    if let Some((m, _)) = &client_config {
        for (key, path) in CLIENT_SETTINGS {
            let (Some(Value::String(raw)), Some(setting)) = (m.get(*key), settings::setting(path))
            else {
                continue;
            };
            let value = match setting.ty {
                crate::evidence::FactType::Bool => match raw.as_str() {
                    "true" => Some(FactValue::Bool(true)),
                    "false" => Some(FactValue::Bool(false)),
                    _ => None,
                },
                crate::evidence::FactType::Int => raw.parse().ok().map(FactValue::Int),
                crate::evidence::FactType::Str => Some(FactValue::Str(raw.clone())),
                crate::evidence::FactType::StrList => None,
            };
            if let Some(v) = value {
                ev.insert(maker.fact(config_key(path), v, format!("GET {cc_url} ({key})")));
            }
        }
        if let Some(n) = m.get("NoAccounts").and_then(Value::as_str) {
            ev.insert(maker.put(
                &cat::NO_ACCOUNTS,
                FactValue::Bool(n == "true"),
                format!("GET {cc_url} (NoAccounts)"),
            ));
        }
    }

    // 5. The effective configuration, with the admin token.
    let config_attempt = read_config(
        &client,
        site,
        target.token.as_ref(),
        license.as_ref(),
        file,
        &maker,
        &mut ev,
    )
    .await;
    ev.attempts.push(config_attempt);

    // 6. Security updates.
    let advisories_attempt = judge_advisories(
        &target.advisories,
        server_version.as_ref().map(|(v, _)| v.release()),
        &maker,
        &mut ev,
    );
    ev.attempts.push(advisories_attempt);

    let mut attempt = maker.attempt(AttemptOutcome::Completed, &[family::MATTERMOST_API]);
    attempt.notes = notes;
    ev.attempts.push(attempt);
    ev
}

/// `GET /api/v4/config` and its facts; returns the attempt covering the settings.
async fn read_config(
    client: &reqwest::Client,
    site: &url::Url,
    token: Option<&ResolvedToken>,
    license: Option<&License>,
    file: Option<&ConfigSources>,
    maker: &FactMaker,
    ev: &mut Evidence,
) -> crate::evidence::ProbeAttempt {
    let Some(token) = token else {
        return maker.attempt(
            AttemptOutcome::Skipped {
                why: NEEDS_TOKEN.to_owned(),
            },
            CONFIG_FAMILIES,
        );
    };
    let url = api_url(site, "api/v4/config");
    let failed = |reason: String| maker.attempt(AttemptOutcome::Failed { reason }, CONFIG_FAMILIES);
    let answer = match client::get(client, &url, Some(token.token.expose())).await {
        Ok(a) => a,
        Err(e) => return failed(format!("GET {url}: {e}")),
    };
    match answer.status {
        200 => {}
        401 => {
            return failed(format!(
                "GET {url}: the token from {} was rejected (HTTP 401): expired or revoked, or personal access tokens are off",
                token.origin
            ));
        }
        403 => {
            return failed(format!(
                "GET {url}: the token from {} is valid but its user lacks a system-console read permission (HTTP 403)",
                token.origin
            ));
        }
        s => return failed(format!("GET {url}: HTTP {s}")),
    }
    let mut root = match answer.json() {
        Ok(v) if v.get("ServiceSettings").is_some_and(Value::is_object) => v,
        Ok(_) => {
            return failed(format!(
                "GET {url}: the answer is not a Mattermost configuration (no ServiceSettings)"
            ));
        }
        Err(e) => return failed(format!("GET {url}: {e}")),
    };
    let mut notes = vec![format!(
        "read with the token from {}; the server records this read in its audit log (getConfig)",
        token.origin
    )];
    let mut masked = Vec::new();
    for path in ALWAYS_MASKED {
        if remove_path(&mut root, path) {
            masked.push(*path);
        }
    }
    if !masked.is_empty() {
        notes.push(format!(
            "the server masks {} whatever their value: facts needing them come only from a config file or --mattermost-env",
            masked.join(", ")
        ));
    }
    let hidden = remove_nulls(&mut root);
    if hidden > 0 {
        notes.push(format!(
            "{hidden} settings came back null: the token's role may not read them (sysconsole_read_* permissions); they are not assessed"
        ));
    }
    let src = format!("GET {url}");
    let source_of = |p: &str| format!("{src} ({p})");
    let mut config_notes = Vec::new();
    let facts = mattermost::facts_from_config(&root, license, maker, &source_of, &mut config_notes);
    notes.extend(config_notes);
    if let Some(sources) = file {
        compare_with_file(sources, &facts, maker, ev, &mut notes);
    }
    for f in facts.facts {
        ev.insert(f);
    }
    ev.insert(maker.put(&cat::CONFIG_READ, FactValue::Bool(true), src));
    let mut attempt = maker.attempt(AttemptOutcome::Completed, CONFIG_FAMILIES);
    attempt.notes = notes;
    attempt
}

/// Reports the settings where the config file says something else than the server.
fn compare_with_file(
    sources: &ConfigSources,
    api: &Evidence,
    maker: &FactMaker,
    ev: &mut Evidence,
    notes: &mut Vec<String>,
) {
    let Ok(file) = mattermost::collect(sources) else {
        // The config probe reports why the file cannot be read.
        return;
    };
    let mut differ = Vec::new();
    for f in &file.facts {
        let Some(path) = f
            .key
            .as_str()
            .strip_prefix(crate::catalogue::mattermost::CONFIG_PREFIX)
        else {
            continue;
        };
        if settings::is_secret_path(path) {
            continue;
        }
        if let Some(a) = api.facts.iter().find(|a| a.key == f.key)
            && a.value != f.value
        {
            notes.push(format!(
                "{path}: the config file says {} ({}), the server {} — the server's value is used (an environment override or an unsaved file?)",
                f.value, f.provenance.source, a.value
            ));
            differ.push(path.to_owned());
        }
    }
    ev.insert(maker.put(
        &cat::CONFIG_DISAGREEMENTS,
        FactValue::StrList(differ),
        format!(
            "{} against GET /api/v4/config",
            sources.config.as_deref().map_or_else(
                || "the environment file".to_owned(),
                |c| c.display().to_string()
            )
        ),
    ));
}

fn remove_path(root: &mut Value, path: &str) -> bool {
    let (parent, leaf) = match path.rsplit_once('.') {
        Some(x) => x,
        None => return false,
    };
    let mut cur = root;
    for seg in parent.split('.') {
        match cur.get_mut(seg) {
            Some(v) => cur = v,
            None => return false,
        }
    }
    cur.as_object_mut().and_then(|m| m.remove(leaf)).is_some()
}

/// Removes null leaves (settings the token may not read); returns how many.
fn remove_nulls(v: &mut Value) -> usize {
    let Value::Object(map) = v else { return 0 };
    let before = map.len();
    map.retain(|_, child| !child.is_null());
    let mut n = before - map.len();
    for child in map.values_mut() {
        n += remove_nulls(child);
    }
    n
}

/// The version against the advisories; returns the attempt covering them.
fn judge_advisories(
    data: &AdvisoryData,
    version: Option<semver::Version>,
    maker: &FactMaker,
    ev: &mut Evidence,
) -> crate::evidence::ProbeAttempt {
    let Some(version) = version else {
        return maker.attempt(
            AttemptOutcome::Skipped {
                why: "the server's version is unknown (no X-Version-Id header and no Version in the client config)".to_owned(),
            },
            &[family::MATTERMOST_ADVISORIES],
        );
    };
    let verdict = data.judge(&version);
    let src = format!("{} ({}, {})", data.source, data.date, data.license);
    ev.insert(maker.put(
        &cat::MISSING_FIXES,
        FactValue::StrList(verdict.missing.iter().map(|m| m.describe()).collect()),
        src.clone(),
    ));
    ev.insert(maker.put(
        &cat::JUDGED,
        FactValue::Int(i64::try_from(verdict.judged).unwrap_or(i64::MAX)),
        src.clone(),
    ));
    ev.insert(maker.put(
        &cat::DATA_DATE,
        FactValue::Str(data.date.clone()),
        src.clone(),
    ));
    let age = data.age_days(time::OffsetDateTime::now_utc().date());
    if let Some(age) = age {
        ev.insert(maker.put(&cat::DATA_AGE_DAYS, FactValue::Int(age), src.clone()));
    }
    ev.insert(maker.put(
        &cat::VERSION_BEYOND_DATA,
        FactValue::Bool(verdict.beyond_data),
        src,
    ));
    let mut attempt = maker.attempt(AttemptOutcome::Completed, &[family::MATTERMOST_ADVISORIES]);
    attempt.notes.push(format!(
        "version {version} against {} advisories of {} (data of {}{}): {} missing fixes, {} records speak for this version",
        data.records.len(),
        data.source,
        data.date,
        age.map(|a| format!(", {a} days old")).unwrap_or_default(),
        verdict.missing.len(),
        verdict.judged
    ));
    if verdict.beyond_data {
        attempt.notes.push(format!(
            "version {version} is newer than the newest fix in the data ({}): refresh the data with `safeguard advisories update`",
            verdict.newest_fix.map(|v| v.to_string()).unwrap_or_default()
        ));
    }
    attempt
}
