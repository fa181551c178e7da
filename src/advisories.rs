//! Security updates: a Mattermost server version judged against OSV advisory records (the
//! Go vulnerability database's Mattermost records ship in `checks/data/`; a user refreshes
//! them from any directory or zip of OSV JSON with `safeguard advisories update`).
//!
//! The version ranges need care (see `checks/data/mattermost-advisories.md`): real server
//! releases appear as `X.Y.Z+incompatible` on `github.com/mattermost/mattermost-server`;
//! the `/v5` and `/v6` module paths sometimes carry real releases and sometimes nothing
//! (`introduced: 0` with no fix); `server/v8` uses Go pseudo-versions, with the real
//! releases in `ecosystem_specific.custom_ranges`. Only ranges with at least one real
//! fixed release are used; a module path's ranges apply to its own major versions only.
//! A record no usable range speaks for is not judged, never counted as fixed.
//!
//! What does not belong here: reading the version off a server (`probe::api`), judging
//! the facts (`checks/updates/`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// The advisory data built into the binary.
pub const BUILTIN: &str = include_str!("../checks/data/mattermost-advisories.json");

/// Go module paths of the Mattermost server, with the major versions each can speak for.
const SERVER_PACKAGES: &[(&str, u64, u64)] = &[
    ("github.com/mattermost/mattermost-server", 0, u64::MAX),
    ("github.com/mattermost/mattermost", 0, u64::MAX),
    ("github.com/mattermost/mattermost-server/v5", 5, 5),
    ("github.com/mattermost/mattermost-server/v6", 6, 6),
    ("github.com/mattermost/mattermost/server/v8", 8, u64::MAX),
];

/// A set of advisories with where they came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvisoryData {
    /// Where the records came from (a database snapshot, a path).
    pub source: String,
    /// The date of the data, `YYYY-MM-DD`.
    pub date: String,
    pub license: String,
    #[serde(default)]
    pub attribution: String,
    /// OSV records (only those affecting the server are kept).
    pub records: Vec<Value>,
}

/// One advisory the server's version lacks the fix for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub id: String,
    /// CVE and GHSA ids.
    pub aliases: Vec<String>,
    /// Fixed versions on the server's release line (or the next one up when the line has none).
    pub fixed: Vec<String>,
}

impl Missing {
    /// `GO-2024-2444 (CVE-…, GHSA-…): fixed in 9.11.5`.
    pub fn describe(&self) -> String {
        let ids = if self.aliases.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.aliases.join(", "))
        };
        let fixed = if self.fixed.is_empty() {
            "no fixed release listed".to_owned()
        } else {
            format!("fixed in {}", self.fixed.join(", "))
        };
        format!("{}{ids}: {fixed}", self.id)
    }
}

/// The server's version against the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub missing: Vec<Missing>,
    /// Records with a usable range for the server's major version.
    pub judged: usize,
    /// The newest fixed release in the data.
    pub newest_fix: Option<semver::Version>,
    /// The version is newer than every fixed release in the data.
    pub beyond_data: bool,
}

impl AdvisoryData {
    /// The built-in data.
    pub fn builtin() -> Self {
        serde_json::from_str(BUILTIN).expect("the built-in advisory data is valid JSON")
    }

    /// Reads data written by [`AdvisoryData::save`] (or the built-in file's format).
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read advisory data {}: {e}", path.display()))?;
        serde_json::from_str(&text).map_err(|e| {
            format!(
                "{}:{}:{}: not safeguard advisory data: {e}",
                path.display(),
                e.line(),
                e.column()
            )
        })
    }

    /// Writes the data as pretty JSON.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let text = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n")
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Builds data from a directory (searched recursively) or a zip of OSV JSON records,
    /// keeping the records that affect the server. Every unreadable record is reported.
    pub fn from_osv(path: &Path, date: &str) -> Result<(Self, Vec<String>), String> {
        let mut texts: Vec<(String, String)> = Vec::new();
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if meta.is_dir() {
            collect_dir(path, &mut texts)?;
        } else {
            collect_zip(path, &mut texts)?;
        }
        let mut problems = Vec::new();
        let mut records = Vec::new();
        for (name, text) in texts {
            match serde_json::from_str::<Value>(&text) {
                Ok(v) if v.get("id").is_some_and(Value::is_string) => {
                    if affects_server(&v) {
                        records.push(slim(&v));
                    }
                }
                Ok(_) => problems.push(format!("{name}: not an OSV record (no \"id\")")),
                Err(e) => problems.push(format!("{name}:{}:{}: {e}", e.line(), e.column())),
            }
        }
        records.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        if records.is_empty() {
            return Err(format!(
                "{}: no OSV record affecting the Mattermost server was found",
                path.display()
            ));
        }
        Ok((
            Self {
                source: format!("OSV records from {}", path.display()),
                date: date.to_owned(),
                license: "as published by the source (the Go vulnerability database: CC-BY-4.0)"
                    .to_owned(),
                attribution: String::new(),
                records,
            },
            problems,
        ))
    }

    /// Age of the data in whole days on `today` (`YYYY-MM-DD`), when both dates parse.
    pub fn age_days(&self, today: time::Date) -> Option<i64> {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let d = time::Date::parse(&self.date, &fmt).ok()?;
        Some((today - d).whole_days())
    }

    /// Judges `version` (`X.Y.Z`) against every record.
    pub fn judge(&self, version: &semver::Version) -> Verdict {
        let mut missing = Vec::new();
        let mut judged = 0;
        let mut newest_fix: Option<semver::Version> = None;
        for rec in &self.records {
            let intervals = server_intervals(rec);
            for iv in &intervals {
                for f in iv.fixed.iter() {
                    if newest_fix.as_ref().is_none_or(|n| f > n) {
                        newest_fix = Some(f.clone());
                    }
                }
            }
            let applicable: Vec<&Interval> = intervals
                .iter()
                .filter(|i| (i.min_major..=i.max_major).contains(&version.major))
                .collect();
            if applicable.is_empty() {
                continue;
            }
            let fixes_all: Vec<&semver::Version> =
                applicable.iter().flat_map(|i| i.fixed.iter()).collect();
            let min_introduced = applicable
                .iter()
                .flat_map(|i| i.spans.iter().map(|(lo, _)| lo))
                .min();
            let max_fixed = fixes_all.iter().copied().max();
            let line_has_fix = fixes_all
                .iter()
                .any(|f| f.major == version.major && f.minor == version.minor);
            let affected = if line_has_fix {
                // A release line the record lists: its ranges are exact.
                applicable.iter().any(|i| i.contains(version))
            } else if min_introduced.is_some_and(|lo| version >= lo)
                && max_fixed.is_some_and(|hi| version < hi)
            {
                // A line inside the vulnerable span that got no fix of its own (its
                // support had ended): the records only list supported lines, so OSV's
                // gap between ranges would read as "not affected". It is not.
                true
            } else if min_introduced.is_some_and(|lo| version < lo) {
                // Older than every line the record lists: it cannot say.
                continue;
            } else {
                applicable.iter().any(|i| i.contains(version))
            };
            judged += 1;
            if !affected {
                continue;
            }
            let mut fixes: Vec<semver::Version> = applicable
                .iter()
                .flat_map(|i| i.fixed.iter().cloned())
                .collect();
            fixes.sort();
            fixes.dedup();
            let line: Vec<String> = fixes
                .iter()
                .filter(|f| f.major == version.major && f.minor == version.minor && f > &version)
                .map(ToString::to_string)
                .collect();
            let fixed = if line.is_empty() {
                fixes
                    .iter()
                    .find(|f| *f > version)
                    .map(|f| vec![f.to_string()])
                    .unwrap_or_default()
            } else {
                line
            };
            let aliases = rec["aliases"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            missing.push(Missing {
                id: rec["id"].as_str().unwrap_or("?").to_owned(),
                aliases,
                fixed,
            });
        }
        let beyond_data = newest_fix.as_ref().is_some_and(|n| version > n);
        Verdict {
            missing,
            judged,
            newest_fix,
            beyond_data,
        }
    }
}

/// `[introduced, fixed)` pairs of one range, with the majors its module path speaks for.
#[derive(Debug, Clone)]
struct Interval {
    /// (introduced, fixed or None = unbounded).
    spans: Vec<(semver::Version, Option<semver::Version>)>,
    fixed: Vec<semver::Version>,
    min_major: u64,
    max_major: u64,
}

impl Interval {
    fn contains(&self, v: &semver::Version) -> bool {
        self.spans
            .iter()
            .any(|(lo, hi)| v >= lo && hi.as_ref().is_none_or(|h| v < h))
    }
}

/// Parses an OSV event version as a release: `0`, `X.Y.Z`, `X.Y.Z-rc1`, with
/// `+incompatible` dropped. Go pseudo-versions (`X.Y.Z-YYYYMMDDhhmmss-hash`) are not
/// releases and give `None`.
pub fn parse_release(s: &str) -> Option<semver::Version> {
    let s = s.trim().trim_start_matches('v');
    if s == "0" {
        return Some(semver::Version::new(0, 0, 0));
    }
    let s = s.split('+').next().unwrap_or(s);
    let v = semver::Version::parse(s).ok()?;
    let pseudo = v
        .pre
        .as_str()
        .split(['.', '-'])
        .any(|part| part.len() >= 14 && part.chars().all(|c| c.is_ascii_digit()));
    if pseudo { None } else { Some(v) }
}

fn server_package(name: &str) -> Option<(u64, u64)> {
    SERVER_PACKAGES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, lo, hi)| (*lo, *hi))
}

fn affects_server(rec: &Value) -> bool {
    rec["affected"].as_array().is_some_and(|a| {
        a.iter().any(|e| {
            e["package"]["name"]
                .as_str()
                .and_then(server_package)
                .is_some()
        })
    })
}

/// The record with only what matching and reporting need.
fn slim(rec: &Value) -> Value {
    let affected: Vec<Value> = rec["affected"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|e| {
                    e["package"]["name"]
                        .as_str()
                        .and_then(server_package)
                        .is_some()
                })
                .map(|e| {
                    let mut out = serde_json::json!({
                        "package": e["package"].clone(),
                        "ranges": e["ranges"].clone(),
                    });
                    if let Some(cr) = e
                        .get("ecosystem_specific")
                        .and_then(|x| x.get("custom_ranges"))
                    {
                        out["ecosystem_specific"] =
                            serde_json::json!({ "custom_ranges": cr.clone() });
                    }
                    out
                })
                .collect()
        })
        .unwrap_or_default();
    serde_json::json!({
        "id": rec["id"].clone(),
        "aliases": rec.get("aliases").cloned().unwrap_or(Value::Array(vec![])),
        "summary": rec.get("summary").cloned().unwrap_or(Value::Null),
        "modified": rec.get("modified").cloned().unwrap_or(Value::Null),
        "affected": affected,
    })
}

/// Every usable range of the record's server entries.
fn server_intervals(rec: &Value) -> Vec<Interval> {
    let mut out = Vec::new();
    let Some(affected) = rec["affected"].as_array() else {
        return out;
    };
    for e in affected {
        let Some((min_major, max_major)) = e["package"]["name"].as_str().and_then(server_package)
        else {
            continue;
        };
        let ranges = e["ranges"].as_array().into_iter().flatten().chain(
            e["ecosystem_specific"]["custom_ranges"]
                .as_array()
                .into_iter()
                .flatten(),
        );
        for r in ranges {
            if let Some(iv) = interval(r, min_major, max_major) {
                out.push(iv);
            }
        }
    }
    out
}

fn interval(range: &Value, min_major: u64, max_major: u64) -> Option<Interval> {
    let events = range["events"].as_array()?;
    let mut spans = Vec::new();
    let mut fixed = Vec::new();
    let mut open: Option<semver::Version> = None;
    for ev in events {
        if let Some(i) = ev["introduced"].as_str() {
            open = Some(parse_release(i)?);
        } else if let Some(f) = ev["fixed"].as_str() {
            let f = parse_release(f)?;
            let lo = open.take()?;
            spans.push((lo, Some(f.clone())));
            fixed.push(f);
        } else if ev.get("last_affected").is_some() || ev.get("limit").is_some() {
            // Not used by the Go database's server records; a range that needs them is
            // not one this reader can speak for.
            return None;
        }
    }
    if fixed.is_empty() {
        // `introduced` with no fix says nothing about which release fixed it.
        return None;
    }
    if let Some(lo) = open {
        spans.push((lo, None));
    }
    Some(Interval {
        spans,
        fixed,
        min_major,
        max_major,
    })
}

fn collect_dir(dir: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_dir(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "json") {
            let meta = std::fs::metadata(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            if meta.len() > MAX_RECORD_BYTES {
                return Err(format!("{}: larger than an OSV record can be", p.display()));
            }
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            out.push((p.display().to_string(), text));
        }
    }
    Ok(())
}

/// Largest single record accepted.
const MAX_RECORD_BYTES: u64 = 4 << 20;
/// Largest total of uncompressed records read from a zip.
const MAX_ZIP_TOTAL: u64 = 512 << 20;

fn collect_zip(path: &Path, out: &mut Vec<(String, String)>) -> Result<(), String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| format!("{}: not a directory or a zip archive: {e}", path.display()))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| format!("{}: entry {i}: {e}", path.display()))?;
        let entry_name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| format!("entry {i}"));
        if !entry.is_file() || !entry_name.ends_with(".json") {
            continue;
        }
        let name = format!("{}!{entry_name}", path.display());
        let mut text = String::new();
        let read = (&mut entry)
            .take(MAX_RECORD_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| format!("{name}: {e}"))?;
        if read as u64 > MAX_RECORD_BYTES {
            return Err(format!("{name}: larger than an OSV record can be"));
        }
        total += read as u64;
        if total > MAX_ZIP_TOTAL {
            return Err(format!(
                "{}: more data than an OSV export holds",
                path.display()
            ));
        }
        out.push((name, text));
    }
    Ok(())
}

/// Where `safeguard advisories update` writes by default and scans look first:
/// `$XDG_DATA_HOME/safeguard/mattermost-advisories.json` (else `~/.local/share/…`).
pub fn user_data_path() -> Option<std::path::PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| std::path::PathBuf::from(h).join(".local/share"))
        })?;
    Some(base.join("safeguard/mattermost-advisories.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> semver::Version {
        semver::Version::parse(s).unwrap()
    }

    #[test]
    fn releases_and_pseudo_versions() {
        assert_eq!(parse_release("9.4.0+incompatible"), Some(v("9.4.0")));
        assert_eq!(parse_release("0"), Some(v("0.0.0")));
        assert_eq!(
            parse_release("11.3.0-rc1+incompatible"),
            Some(v("11.3.0-rc1"))
        );
        assert_eq!(parse_release("8.0.0-20250721062209-4952acea88ce"), None);
        assert_eq!(parse_release("1.41.1-0.20260316224925-705f54a81841"), None);
    }

    fn rec(affected: Value) -> AdvisoryData {
        AdvisoryData {
            source: "t".into(),
            date: "2026-01-01".into(),
            license: "x".into(),
            attribution: String::new(),
            records: vec![serde_json::json!({
                "id": "GO-1", "aliases": ["CVE-1", "GHSA-1"], "affected": affected
            })],
        }
    }

    #[test]
    fn ranges_by_release_line() {
        let d = rec(serde_json::json!([{
            "package": {"name": "github.com/mattermost/mattermost-server"},
            "ranges": [{"type": "SEMVER", "events": [
                {"introduced": "0"}, {"fixed": "9.11.5+incompatible"},
                {"introduced": "10.0.0"}, {"fixed": "10.5.2+incompatible"},
                {"introduced": "10.6.0"}, {"fixed": "10.6.3+incompatible"}]}]
        }]));
        let j = d.judge(&v("10.5.1"));
        assert_eq!(j.missing.len(), 1);
        assert_eq!(j.missing[0].fixed, vec!["10.5.2"]);
        assert!(j.missing[0].describe().contains("CVE-1, GHSA-1"));
        assert!(d.judge(&v("10.5.2")).missing.is_empty());
        assert!(d.judge(&v("9.11.5")).missing.is_empty());
        // A line inside the vulnerable span that no range lists: affected.
        assert_eq!(d.judge(&v("9.12.0")).missing[0].fixed, vec!["10.5.2"]);
        let j = d.judge(&v("10.4.0"));
        assert_eq!(
            j.missing[0].fixed,
            vec!["10.5.2"],
            "no fix on 10.4: the next one up"
        );
        // 10.7 is newer than every fix of the record.
        assert!(d.judge(&v("10.7.0")).missing.is_empty());
        assert!(d.judge(&v("12.0.0")).beyond_data);
    }

    #[test]
    fn module_paths_speak_for_their_majors_and_no_fix_is_not_judged() {
        let d = rec(serde_json::json!([
            {"package": {"name": "github.com/mattermost/mattermost-server"},
             "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]},
            {"package": {"name": "github.com/mattermost/mattermost-server/v6"},
             "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "6.3.9"}]}]},
            {"package": {"name": "github.com/mattermost/mattermost/server/v8"},
             "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}],
             "ecosystem_specific": {"custom_ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "8.1.7"}]}]}}
        ]));
        assert_eq!(d.judge(&v("6.3.0")).missing.len(), 1);
        let five = d.judge(&v("5.37.0"));
        assert_eq!(
            (five.missing.len(), five.judged),
            (0, 0),
            "nothing speaks for 5.x"
        );
        assert_eq!(d.judge(&v("8.1.6")).missing.len(), 1);
        assert!(d.judge(&v("8.1.7")).missing.is_empty());
    }

    #[test]
    fn builtin_data_loads_and_judges() {
        let d = AdvisoryData::builtin();
        assert!(d.records.len() > 200);
        let old = d.judge(&v("9.0.0"));
        assert!(old.missing.len() > 10, "{}", old.missing.len());
        assert!(!old.beyond_data);
    }
}
