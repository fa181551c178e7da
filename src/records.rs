//! Waivers and attestations: the people-made records that sit beside the automated
//! findings. A waiver documents an accepted exception for a failing or warning finding
//! (it never changes the finding's status; the gate stops counting it); an attestation
//! is a person's signed-off statement for a manual item of the profile, which then
//! counts in its paragraph's verdict.
//!
//! This module parses the YAML files (every problem with file:line:column, all at once)
//! and decides which records apply — expiry, HIPAA designation, matching — as pure
//! functions of the text, the profile and the date. Reading the files is the caller's;
//! scoring is `assess`.

use crate::check::load::Fields;
use crate::diag::{Diagnostic, Pos, Sink};
use crate::profile::{Designation, Profile};
use crate::yaml::{self, Node};
use serde::{Deserialize, Serialize};
use std::path::Path;
use time::Date;
use time::macros::format_description;

/// One waiver as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiver {
    /// Where it is written: `FILE:LINE:COLUMN`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub justification: String,
    pub approved_by: String,
    /// `YYYY-MM-DD`; the waiver applies up to and including this day.
    pub expires: String,
}

/// Whether a waiver took effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum WaiverState {
    /// It applies to the findings listed in `matched`.
    Applied,
    /// Past its expiry date: the findings count as they are.
    Expired,
    /// Not allowed (e.g. a required HIPAA specification), with the reason.
    Refused { reason: String },
    /// No failing or warning finding matched it.
    Unmatched,
}

impl WaiverState {
    pub fn applies(&self) -> bool {
        matches!(self, Self::Applied)
    }
}

/// A waiver with what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaiverRecord {
    #[serde(flatten)]
    pub waiver: Waiver,
    #[serde(flatten)]
    pub state: WaiverState,
    /// `check@subject` of the findings it matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<String>,
}

/// The waiver attached to a finding it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingWaiver {
    pub source: String,
    pub justification: String,
    pub approved_by: String,
    pub expires: String,
}

impl FindingWaiver {
    /// Attached waivers always apply (expired or refused ones are not attached).
    pub fn applies(&self) -> bool {
        true
    }

    pub fn describe(&self) -> String {
        format!(
            "waived until {} by {}: {}",
            self.expires, self.approved_by, self.justification
        )
    }
}

/// One attestation as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    pub source: String,
    /// The profile's manual item id.
    pub item: String,
    pub statement: String,
    pub attested_by: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Where the supporting evidence is (a document, a ticket, a URL).
    pub evidence: String,
    /// `YYYY-MM-DD`.
    pub expires: String,
}

/// Whether an attestation took effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "kebab-case")]
pub enum AttestationState {
    /// The item counts as attested in `paragraphs`.
    Accepted {
        paragraphs: Vec<String>,
    },
    Expired,
    /// The profile has no manual item of that id.
    Unmatched,
}

/// An attestation with what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttestationRecord {
    #[serde(flatten)]
    pub attestation: Attestation,
    #[serde(flatten)]
    pub state: AttestationState,
}

impl AttestationRecord {
    pub fn accepted(&self) -> bool {
        matches!(self.state, AttestationState::Accepted { .. })
    }
}

/// The records given to one assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    pub waivers: Vec<Waiver>,
    pub attestations: Vec<Attestation>,
}

fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s.trim(), format_description!("[year]-[month]-[day]")).ok()
}

fn place(file: &Path, pos: Pos) -> String {
    format!("{}:{}:{}", file.display(), pos.line, pos.column)
}

/// Reads the top-level list `key:` of a records file.
fn entries<'a>(root: &'a Node, key: &str, sink: &mut Sink<'_>) -> Vec<&'a Node> {
    let Some(fields) = Fields::new(root, &[key], "the file", sink) else {
        return Vec::new();
    };
    match fields.get(key) {
        None => {
            sink.error(root.pos, format!("missing the top-level `{key}:` list"));
            Vec::new()
        }
        Some(n) => match n.as_seq() {
            Some(items) => items.iter().collect(),
            None => {
                sink.error(n.pos, format!("`{key}` must be a list, found {}", n.kind()));
                Vec::new()
            }
        },
    }
}

fn date_field(
    fields: &Fields<'_>,
    key: &str,
    required: bool,
    sink: &mut Sink<'_>,
) -> Option<String> {
    let n = fields.get(key);
    let got = if required {
        fields.required_str(key, sink)
    } else {
        n.and_then(|n| fields.optional_str(key, sink).map(|s| (s, n.pos)))
    };
    let (s, pos) = got?;
    if parse_date(&s).is_none() {
        sink.error(
            pos,
            format!("`{key}` must be a date YYYY-MM-DD, found `{s}`"),
        );
        return None;
    }
    Some(s.trim().to_owned())
}

fn parse_text(text: &str, sink: &mut Sink<'_>) -> Option<Node> {
    match yaml::parse(text) {
        Ok(n) => Some(n),
        Err((pos, msg)) => {
            sink.error(pos, format!("invalid YAML: {msg}"));
            None
        }
    }
}

const WAIVER_KEYS: &[&str] = &[
    "check",
    "paragraph",
    "subject",
    "justification",
    "approved_by",
    "expires",
];

/// Parses a waivers file: `waivers:` a list of {check | paragraph, subject?,
/// justification, approved_by, expires}. Every problem is returned, with its place.
pub fn parse_waivers(file: &Path, text: &str) -> Result<Vec<Waiver>, Vec<Diagnostic>> {
    let mut sink = Sink::new(file);
    let mut out = Vec::new();
    if let Some(root) = parse_text(text, &mut sink) {
        for item in entries(&root, "waivers", &mut sink) {
            let before = sink.diagnostics.len();
            let Some(f) = Fields::new(item, WAIVER_KEYS, "a waiver", &mut sink) else {
                continue;
            };
            let check = f.optional_str("check", &mut sink);
            let paragraph = f.optional_str("paragraph", &mut sink);
            if check.is_none() && paragraph.is_none() {
                sink.error(item.pos, "a waiver needs `check` or `paragraph`");
            }
            let subject = f.optional_str("subject", &mut sink);
            let justification = f.required_str("justification", &mut sink);
            let approved_by = f.required_str("approved_by", &mut sink);
            let expires = date_field(&f, "expires", true, &mut sink);
            if sink.diagnostics.len() > before {
                continue;
            }
            if let (Some(j), Some(a), Some(e)) = (justification, approved_by, expires) {
                out.push(Waiver {
                    source: place(file, item.pos),
                    check,
                    paragraph,
                    subject,
                    justification: j.0,
                    approved_by: a.0,
                    expires: e,
                });
            }
        }
    }
    if sink.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(sink.diagnostics)
    }
}

const ATTESTATION_KEYS: &[&str] = &[
    "item",
    "statement",
    "attested_by",
    "date",
    "evidence",
    "expires",
];

/// Parses an attestations file: `attestations:` a list of {item, statement, attested_by,
/// date, evidence, expires}.
pub fn parse_attestations(file: &Path, text: &str) -> Result<Vec<Attestation>, Vec<Diagnostic>> {
    let mut sink = Sink::new(file);
    let mut out = Vec::new();
    if let Some(root) = parse_text(text, &mut sink) {
        for item in entries(&root, "attestations", &mut sink) {
            let before = sink.diagnostics.len();
            let Some(f) = Fields::new(item, ATTESTATION_KEYS, "an attestation", &mut sink) else {
                continue;
            };
            let id = f.required_str("item", &mut sink);
            let statement = f.required_str("statement", &mut sink);
            let by = f.required_str("attested_by", &mut sink);
            let date = date_field(&f, "date", true, &mut sink);
            let evidence = f.required_str("evidence", &mut sink);
            let expires = date_field(&f, "expires", true, &mut sink);
            if let (Some(d), Some(e)) = (&date, &expires)
                && parse_date(e) < parse_date(d)
                && let Some(n) = f.get("expires")
            {
                sink.error(n.pos, format!("`expires` ({e}) is before `date` ({d})"));
            }
            if sink.diagnostics.len() > before {
                continue;
            }
            if let (Some(i), Some(s), Some(b), Some(d), Some(ev), Some(e)) =
                (id, statement, by, date, evidence, expires)
            {
                out.push(Attestation {
                    source: place(file, item.pos),
                    item: i.0,
                    statement: s.0,
                    attested_by: b.0,
                    date: d,
                    evidence: ev.0,
                    expires: e,
                });
            }
        }
    }
    if sink.diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(sink.diagnostics)
    }
}

/// Whether a record dated to expire on `expires` has expired on `today`.
pub fn expired(expires: &str, today: Date) -> bool {
    parse_date(expires).is_none_or(|e| e < today)
}

/// Today's date from an RFC 3339 time stamp (the report's `generated_at`), else the
/// current UTC date.
pub fn date_of(stamp: &str) -> Date {
    stamp
        .get(..10)
        .and_then(parse_date)
        .unwrap_or_else(|| time::OffsetDateTime::now_utc().date())
}

/// Why a waiver may not apply to the paragraphs `paragraphs` of `profile`: HIPAA lets
/// only addressable implementation specifications be met by a documented alternative;
/// required specifications and standards may not be waived.
pub fn refusal(profile: &Profile, paragraphs: &[String]) -> Option<String> {
    for p in paragraphs {
        if let Some(r) = profile.requirements.iter().find(|r| &r.id == p) {
            match r.designation {
                Designation::Required | Designation::Standard => {
                    return Some(format!(
                        "{} ({}) is a {} {}; only addressable specifications may be waived \
                         (45 CFR 164.306(d))",
                        r.id,
                        r.title,
                        r.designation.as_str(),
                        if r.designation == Designation::Standard {
                            "standard"
                        } else {
                            "implementation specification"
                        }
                    ));
                }
                Designation::Addressable | Designation::Rule => {}
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_has_a_place() {
        let text = "waivers:\n  - check: x\n    justification: j\n    expires: 2026-13-01\n  - subject: s\n    justification: j\n    approved_by: a\n    expires: 2027-01-01\n    extra: 1\n";
        let errs: Vec<String> = parse_waivers(Path::new("w.yaml"), text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        let all = errs.join("\n");
        assert!(all.contains("w.yaml:2:"), "{all}");
        assert!(all.contains("missing required key `approved_by`"), "{all}");
        assert!(
            all.contains("w.yaml:4:14: `expires` must be a date"),
            "{all}"
        );
        assert!(all.contains("w.yaml:9:5: unknown key `extra`"), "{all}");
        assert!(all.contains("needs `check` or `paragraph`"), "{all}");
    }

    #[test]
    fn good_files_parse() {
        let w = parse_waivers(
            Path::new("w.yaml"),
            "waivers:\n  - check: session-length-web\n    justification: kiosk\n    approved_by: CISO\n    expires: \"2027-01-31\"\n",
        )
        .unwrap();
        assert_eq!(w[0].source, "w.yaml:2:5");
        assert_eq!(w[0].expires, "2027-01-31");
        let a = parse_attestations(
            Path::new("a.yaml"),
            "attestations:\n  - item: backup-encryption\n    statement: Backups are encrypted with AES-256.\n    attested_by: Ops lead\n    date: 2026-11-01\n    evidence: DOC-12\n    expires: 2027-11-01\n",
        )
        .unwrap();
        assert_eq!(a[0].item, "backup-encryption");
    }

    #[test]
    fn expiry_is_inclusive() {
        let d = parse_date("2026-12-02").unwrap();
        assert!(!expired("2026-12-02", d));
        assert!(expired("2026-12-01", d));
    }
}
