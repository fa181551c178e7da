//! Profiles: which checks a regulation or standard needs, per paragraph, with which
//! thresholds; and how findings roll up into paragraph verdicts and scores.
//!
//! What does not belong here: evaluating checks (`check`) or presenting results (`report`).

pub mod load;
pub mod score;

use crate::evidence::FactValue;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use load::{ProfileSet, load_builtin, load_dir};
pub use score::{
    Attestations, DesignationScore, RequirementResult, RequirementStatus, Scores, score, score_with,
};

/// The id of the profile used when none is named.
pub const DEFAULT_PROFILE: &str = "hipaa-technical";

/// Whether the rule a profile encodes is law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProfileStatus {
    InForce,
    Proposed,
}

/// A HIPAA designation (or `rule` for paragraphs of other standards).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Designation {
    Standard,
    Required,
    Addressable,
    Rule,
}

impl Designation {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "standard" => Some(Self::Standard),
            "required" => Some(Self::Required),
            "addressable" => Some(Self::Addressable),
            "rule" => Some(Self::Rule),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Standard => "standard",
            Self::Required => "required",
            Self::Addressable => "addressable",
            Self::Rule => "rule",
        }
    }
}

/// Something a person must attest to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualItem {
    pub id: String,
    pub prompt: String,
}

/// A paragraph of the regulation or standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub id: String,
    pub title: String,
    pub designation: Designation,
    pub checks: Vec<String>,
    pub manual: Vec<ManualItem>,
}

/// A validated profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub title: String,
    pub version: i64,
    pub status: ProfileStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    pub parameters: BTreeMap<String, FactValue>,
    /// Coverage (percent of paragraphs with an automated verdict) below which the gate
    /// says the scan is incomplete rather than passed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_coverage: Option<i64>,
    pub requirements: Vec<Requirement>,
    #[serde(skip)]
    pub source: String,
}

impl Profile {
    /// The same profile judging one kind of endpoint only: the checks that name a fact of
    /// one of `families` (`tls`, `ldap`, …), the paragraphs they serve, and no manual
    /// items (they concern the whole deployment). What `safeguard tls` and `safeguard
    /// ldap` score against.
    pub fn restricted_to_families(
        &self,
        checks: &crate::check::CheckSet,
        families: &[&str],
    ) -> Self {
        let keep = |id: &str| {
            checks.get(id).is_some_and(|c| {
                c.fact_keys()
                    .iter()
                    .any(|k| families.contains(&crate::catalogue::family_of(k)))
            })
        };
        let mut out = self.clone();
        for r in &mut out.requirements {
            r.checks.retain(|c| keep(c));
            r.manual.clear();
        }
        out.requirements.retain(|r| !r.checks.is_empty());
        let scope = format!("Only the checks of {} endpoints.", families.join(" and "));
        out.notice = Some(match &self.notice {
            Some(n) => format!("{} {scope}", n.trim()),
            None => scope,
        });
        out
    }

    /// Every check id the profile uses, each once, in requirement order.
    pub fn check_ids(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.requirements {
            for c in &r.checks {
                if !out.contains(&c.as_str()) {
                    out.push(c);
                }
            }
        }
        out
    }
}
