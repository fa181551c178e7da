//! Evidence: the typed facts probes observe, where each came from, and how probes fared.
//!
//! A probe is the only code that touches the network or the disk; everything it learns
//! becomes a [`Fact`] here. Facts are plain data (serializable, replayable), so checks,
//! scoring and renderers never need a network. Secrets are redacted *when a fact is made*
//! ([`redact`], [`FactValue::secret`]): nothing downstream can leak what never got in.
//!
//! What does not belong here: how facts are judged (that is `check`), or which keys exist
//! and what they mean (that is `catalogue`).

use crate::catalogue::FactSpec;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The placeholder written wherever a secret was removed.
pub const REDACTED: &str = "<redacted>";

/// A dotted, namespaced fact key such as `mattermost.config.EmailSettings.PushNotificationContents`
/// or `tls.protocol.tls1_0.accepted`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FactKey(String);

impl FactKey {
    /// Makes a key; keys are dotted segments of ASCII letters, digits, `_` and `-`.
    pub fn new(key: impl Into<String>) -> Self {
        let key = key.into();
        debug_assert!(Self::is_well_formed(&key), "malformed fact key {key:?}");
        Self(key)
    }

    /// True when `key` is non-empty dotted segments of `[A-Za-z0-9_-]`.
    pub fn is_well_formed(key: &str) -> bool {
        !key.is_empty()
            && key.split('.').all(|seg| {
                !seg.is_empty()
                    && seg
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            })
    }

    /// The key as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first segment: the namespace that says which probe family provides it.
    pub fn namespace(&self) -> &str {
        self.0.split('.').next().unwrap_or_default()
    }
}

impl fmt::Display for FactKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The type of a fact, declared by the probe that provides it and checked against every
/// operator that uses it when a check is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactType {
    Bool,
    Int,
    Str,
    /// A list of strings (suite names, host names, …).
    StrList,
}

impl fmt::Display for FactType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bool => "bool",
            Self::Int => "int",
            Self::Str => "string",
            Self::StrList => "list of strings",
        })
    }
}

/// An observed value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FactValue {
    Bool(bool),
    Int(i64),
    Str(String),
    StrList(Vec<String>),
}

impl FactValue {
    /// The value's type.
    pub fn fact_type(&self) -> FactType {
        match self {
            Self::Bool(_) => FactType::Bool,
            Self::Int(_) => FactType::Int,
            Self::Str(_) => FactType::Str,
            Self::StrList(_) => FactType::StrList,
        }
    }

    /// A secret string: whatever it held, only whether it was set survives.
    pub fn secret(raw: &str) -> Self {
        Self::Str(redact(raw))
    }
}

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bool(b) => write!(f, "{b}"),
            Self::Int(i) => write!(f, "{i}"),
            Self::Str(s) => write!(f, "{s:?}"),
            Self::StrList(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
        }
    }
}

/// Redacts a secret: an empty secret stays empty (so "is it set?" can still be judged),
/// anything else becomes [`REDACTED`].
pub fn redact(raw: &str) -> String {
    if raw.is_empty() {
        String::new()
    } else {
        REDACTED.to_owned()
    }
}

/// Where a fact came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The id of the probe that observed it (a key of the probe registry).
    pub probe: String,
    /// What was read: `path/config.json:123:5`, `tls://127.0.0.1:443`, a URL, …
    pub source: String,
    /// When it was observed (RFC 3339, UTC).
    pub observed_at: String,
    /// Which part of the subject the value describes, when the subject has several of
    /// them: the certificate that decided a worst-of certificate fact on an endpoint that
    /// serves several. Failure messages name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
}

/// One observation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub key: FactKey,
    /// The endpoint this fact describes (`127.0.0.1:636`, `https://mm.example.com`), or
    /// `None` for deployment-wide facts such as configuration settings. Checks over
    /// endpoint facts are evaluated once per subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub value: FactValue,
    pub provenance: Provenance,
}

/// How a probe run ended. Modelled on sslyze's scan-command attempts: an unreachable
/// server is itself evidence, not a crash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum AttemptOutcome {
    Completed,
    Failed { reason: String },
    Skipped { why: String },
}

/// One probe run against one subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeAttempt {
    pub probe: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(flatten)]
    pub outcome: AttemptOutcome,
    /// The fact families (`tls`, `http`, `ldap`, `mattermost.config`, …; see
    /// `catalogue::family`) this attempt was meant to provide on its subject. Evaluation
    /// reads them to tell a fact that a failed attempt should have given (error) from one
    /// nobody was asked for (not assessed). An entry may also be one fact key: the attempt
    /// then speaks for that fact alone (a test that could not decide, or whose answer was
    /// unreadable), ahead of the family's attempts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<String>,
    /// Remarks a user should see (ignored unknown environment variables, fallbacks, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A fact a probe knows it cannot know, and why: the behaviour depends on a licence
/// feature and no licence was given, on a server version nobody stated, or on a source
/// (the config stored in a database) that was not read. Evaluation reports the reason
/// instead of a generic "absent", so the finding tells the user what to supply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownFact {
    pub key: FactKey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub reason: String,
}

/// Everything the probes of one scan produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub facts: Vec<Fact>,
    pub attempts: Vec<ProbeAttempt>,
    /// Facts known to be unknown, with the reason (see [`UnknownFact`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownFact>,
}

impl Evidence {
    /// Adds a fact, replacing an earlier one with the same key and subject (and any
    /// record that it was unknown).
    pub fn insert(&mut self, fact: Fact) {
        self.unknown
            .retain(|u| !(u.key == fact.key && u.subject == fact.subject));
        if let Some(old) = self
            .facts
            .iter_mut()
            .find(|f| f.key == fact.key && f.subject == fact.subject)
        {
            *old = fact;
        } else {
            self.facts.push(fact);
        }
    }

    /// Merges another probe's evidence into this one.
    pub fn extend(&mut self, other: Self) {
        for fact in other.facts {
            self.insert(fact);
        }
        self.attempts.extend(other.attempts);
        for u in other.unknown {
            self.mark_unknown(u);
        }
    }

    /// Records that a fact is unknown and why; a fact observed for the same key and
    /// subject is removed (an unknown is never silently shadowed by a stale value).
    pub fn mark_unknown(&mut self, u: UnknownFact) {
        self.facts
            .retain(|f| !(f.key == u.key && f.subject == u.subject));
        if let Some(old) = self
            .unknown
            .iter_mut()
            .find(|x| x.key == u.key && x.subject == u.subject)
        {
            *old = u;
        } else {
            self.unknown.push(u);
        }
    }

    /// Why `key` is unknown on `subject` (or deployment-wide), when a probe said so.
    pub fn unknown_reason(&self, key: &str, subject: Option<&str>) -> Option<&str> {
        self.unknown
            .iter()
            .find(|u| u.key.as_str() == key && u.subject.as_deref() == subject)
            .or_else(|| {
                self.unknown
                    .iter()
                    .find(|u| u.key.as_str() == key && u.subject.is_none())
            })
            .map(|u| u.reason.as_str())
    }

    /// The fact for `key` about `subject`; a deployment-wide fact (no subject) answers for
    /// every subject.
    pub fn lookup(&self, key: &str, subject: Option<&str>) -> Option<&Fact> {
        self.facts
            .iter()
            .find(|f| f.key.as_str() == key && f.subject.as_deref() == subject)
            .or_else(|| {
                self.facts
                    .iter()
                    .find(|f| f.key.as_str() == key && f.subject.is_none())
            })
    }

    /// The attempts on `subject` (None: deployment-wide attempts) that were meant to
    /// provide `family`.
    pub fn attempts_covering<'a>(
        &'a self,
        family: &'a str,
        subject: Option<&'a str>,
    ) -> impl Iterator<Item = &'a ProbeAttempt> + 'a {
        self.attempts.iter().filter(move |a| {
            a.subject.as_deref() == subject && a.covers.iter().any(|c| c == family)
        })
    }

    /// Every subject with an attempt meant to provide one of `families`, in first-seen
    /// order (an endpoint whose probe failed has no facts, but must still be judged).
    pub fn subjects_attempted<'a>(&'a self, families: &[&str]) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for a in &self.attempts {
            if let Some(s) = a.subject.as_deref()
                && a.covers.iter().any(|c| families.contains(&c.as_str()))
                && !out.contains(&s)
            {
                out.push(s);
            }
        }
        out
    }

    /// Every subject that has a fact for one of `keys`, in first-seen order.
    pub fn subjects_for<'a>(&'a self, keys: &[&str]) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        for f in &self.facts {
            if let Some(s) = f.subject.as_deref()
                && keys.contains(&f.key.as_str())
                && !out.contains(&s)
            {
                out.push(s);
            }
        }
        out
    }
}

/// The current time as RFC 3339 (UTC, whole seconds).
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// A small builder so probes make facts in one line each.
#[derive(Debug, Clone)]
pub struct FactMaker {
    probe: String,
    subject: Option<String>,
    observed_at: String,
}

impl FactMaker {
    /// Facts from `probe` about `subject` (None for deployment-wide facts), stamped now.
    pub fn new(probe: &str, subject: Option<String>) -> Self {
        Self {
            probe: probe.to_owned(),
            subject,
            observed_at: now_rfc3339(),
        }
    }

    /// Makes a fact with the given source location.
    pub fn fact(&self, key: &str, value: FactValue, source: impl Into<String>) -> Fact {
        Fact {
            key: FactKey::new(key),
            subject: self.subject.clone(),
            value,
            provenance: Provenance {
                probe: self.probe.clone(),
                source: source.into(),
                observed_at: self.observed_at.clone(),
                about: None,
            },
        }
    }

    /// Makes a fact declared in the catalogue: the key comes from its declaration, so a
    /// probe never spells a key, and the value must have the declared type.
    pub fn put(&self, spec: &FactSpec, value: FactValue, source: impl Into<String>) -> Fact {
        debug_assert_eq!(
            value.fact_type(),
            spec.ty,
            "fact {} made with the wrong type",
            spec.key
        );
        self.fact(spec.key, value, source)
    }

    /// A fact declared in the catalogue that is unknown, and why.
    pub fn unknown(&self, spec: &FactSpec, reason: impl Into<String>) -> UnknownFact {
        UnknownFact {
            key: FactKey::new(spec.key),
            subject: self.subject.clone(),
            reason: reason.into(),
        }
    }

    /// An attempt of this probe on this subject, covering the fact `families`.
    pub fn attempt(&self, outcome: AttemptOutcome, families: &[&str]) -> ProbeAttempt {
        ProbeAttempt {
            probe: self.probe.clone(),
            subject: self.subject.clone(),
            outcome,
            covers: families.iter().map(|f| (*f).to_owned()).collect(),
            notes: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_dotted_segments() {
        assert!(FactKey::is_well_formed("tls.protocol.tls1_0.accepted"));
        assert!(FactKey::is_well_formed(
            "mattermost.config.EmailSettings.PushNotificationContents"
        ));
        assert!(!FactKey::is_well_formed(""));
        assert!(!FactKey::is_well_formed("a..b"));
        assert!(!FactKey::is_well_formed("a.b c"));
    }

    #[test]
    fn redaction_keeps_only_whether_set() {
        assert_eq!(redact(""), "");
        assert_eq!(redact("hunter2"), REDACTED);
        assert_eq!(FactValue::secret("x"), FactValue::Str(REDACTED.into()));
    }

    #[test]
    fn subject_facts_shadow_global_ones() {
        let mk = FactMaker::new("p", None);
        let mk2 = FactMaker::new("p", Some("h:1".into()));
        let mut ev = Evidence::default();
        ev.insert(mk.fact("a.b", FactValue::Int(1), "f"));
        ev.insert(mk2.fact("a.b", FactValue::Int(2), "f"));
        assert_eq!(
            ev.lookup("a.b", Some("h:1")).unwrap().value,
            FactValue::Int(2)
        );
        assert_eq!(
            ev.lookup("a.b", Some("h:2")).unwrap().value,
            FactValue::Int(1)
        );
        assert_eq!(ev.subjects_for(&["a.b"]), vec!["h:1"]);
    }
}
