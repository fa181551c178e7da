//! Checks: validated check definitions and their evaluation against evidence.
//!
//! A check file is parsed once into a [`Check`] (see [`load`]); from then on it cannot
//! hold an unknown operator, a type mismatch or a bad regex. Evaluation ([`eval`]) is pure:
//! evidence in, findings out. What does not belong here: which checks a regulation needs
//! and with which thresholds (that is `profile`), and presentation (`report`).

pub mod eval;
pub mod examples;
pub mod load;
pub mod predicate;

use crate::evidence::FactValue;
use predicate::Predicate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub use eval::{Finding, FindingStatus, evaluate};
pub use load::{CheckSet, load_builtin, load_dir};

/// How much a failure matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Self; 5] = [
        Self::Info,
        Self::Low,
        Self::Medium,
        Self::High,
        Self::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The weight of a check of this severity in the weighted score.
    pub fn weight(self) -> u32 {
        match self {
            Self::Info => 0,
            Self::Low => 1,
            Self::Medium => 3,
            Self::High => 6,
            Self::Critical => 10,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to change when the check fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remediation {
    /// One line, shown in the table.
    pub summary: String,
    /// Where in the System Console, when the setting has a Console field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub console: Option<String>,
    /// The config key, e.g. `EmailSettings.PushNotificationContents`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
}

/// The type of a check parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParamType {
    Bool,
    Int,
    String,
    /// A list of strings.
    List,
}

impl ParamType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "bool" => Some(Self::Bool),
            "int" => Some(Self::Int),
            "string" => Some(Self::String),
            "list" => Some(Self::List),
            _ => None,
        }
    }

    /// Whether `v` is a value of this type.
    pub fn admits(self, v: &FactValue) -> bool {
        matches!(
            (self, v),
            (Self::Bool, FactValue::Bool(_))
                | (Self::Int, FactValue::Int(_))
                | (Self::String, FactValue::Str(_))
                | (Self::List, FactValue::StrList(_))
        )
    }
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Bool => "bool",
            Self::Int => "int",
            Self::String => "string",
            Self::List => "list",
        })
    }
}

/// A threshold a profile may set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parameter {
    #[serde(rename = "type")]
    pub ty: ParamType,
    pub default: FactValue,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// A validated check.
#[derive(Debug, Clone)]
pub struct Check {
    pub id: String,
    pub title: String,
    pub domain: String,
    pub severity: Severity,
    pub rationale: String,
    pub remediation: Remediation,
    pub references: Vec<String>,
    pub parameters: BTreeMap<String, Parameter>,
    pub when: Option<Predicate>,
    pub assert: Predicate,
    pub warn: Option<Predicate>,
    /// The licence (edition or feature) the setting needs to take effect, when it does.
    pub licence: Option<String>,
    /// Server versions the check depends on (renamed keys, changed behaviour).
    pub versions: Option<String>,
    /// Minimal evidence and the verdict it must give: the check's own proof.
    pub examples: Vec<Example>,
    /// Where it was loaded from (`checks/push/push-contents.yaml` or a user path).
    pub source: String,
    /// The file's text, for the digest of the checks a report used.
    pub text: String,
}

/// A minimal set of facts and the status the check must give on them.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Facts by key (config settings already expanded to `mattermost.config.<path>`).
    pub facts: Vec<(String, FactValue)>,
    pub expect: FindingStatus,
    /// The profile whose parameters apply; None = the default profile.
    pub profile: Option<String>,
    /// One line saying what the example shows.
    pub note: Option<String>,
    /// Line of the example in the check file.
    pub line: u64,
}

impl Check {
    /// Every fact key the check reads.
    pub fn fact_keys(&self) -> Vec<&str> {
        let mut keys = Vec::new();
        for p in [self.when.as_ref(), Some(&self.assert), self.warn.as_ref()]
            .into_iter()
            .flatten()
        {
            p.collect_keys(&mut keys);
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}
