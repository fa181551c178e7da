//! The licence as evidence, in three states: given (the JSON of
//! `GET /api/v4/license/client?format=old`), known unlicensed (`"IsLicensed": "false"`),
//! and unknown (no licence was supplied). The server gates many behaviours on a licence
//! feature; when the licence is unknown, so is every behaviour that depends on it.
//!
//! A feature the given licence file does not list is unknown too, not absent: the client
//! licence of some server versions omits features (e.g. `AdvancedLogging`; see
//! `server/public/model/license.go` / `GetClientLicense`).
//!
//! What does not belong here: which behaviours depend on which feature (that is
//! `derive.rs`, next to the behaviour it models).

use serde_json::Value;
use std::collections::HashMap;

/// What is known about the licence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Licence {
    /// No licence was supplied: every licence-gated behaviour is unknown.
    #[default]
    Unknown,
    /// The server has no licence (`IsLicensed` false): every feature is off.
    Unlicensed,
    /// A licence with these features (name → enabled).
    Given(HashMap<String, bool>),
}

/// The answer for one feature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feature {
    On,
    Off,
    /// Unknown, with the reason a finding shows.
    Unknown(String),
}

impl Licence {
    /// Reads the client licence JSON (`IsLicensed` plus one `"true"`/`"false"` string per
    /// feature). None when the value is not a licence.
    pub fn from_json(v: &Value) -> Option<Self> {
        let obj = v.as_object()?;
        let truthy = |v: &Value| {
            matches!(v, Value::String(s) if s.eq_ignore_ascii_case("true"))
                || v == &Value::Bool(true)
        };
        let licensed = truthy(obj.get("IsLicensed")?);
        if !licensed {
            return Some(Self::Unlicensed);
        }
        Some(Self::Given(
            obj.iter()
                .filter(|(k, _)| k.as_str() != "IsLicensed")
                .filter(|(_, v)| v.is_string() || v.is_boolean())
                .map(|(k, v)| (k.clone(), truthy(v)))
                .collect(),
        ))
    }

    /// Whether the server has `feature`, or why that is unknown.
    pub fn feature(&self, feature: &str) -> Feature {
        match self {
            Self::Unknown => Feature::Unknown(format!(
                "depends on the licence's {feature} feature: pass --mattermost-license"
            )),
            Self::Unlicensed => Feature::Off,
            Self::Given(f) => match f.get(feature) {
                Some(true) => Feature::On,
                Some(false) => Feature::Off,
                None => Feature::Unknown(format!(
                    "depends on the licence's {feature} feature, which the licence file does not list"
                )),
            },
        }
    }

    /// `given`, `unlicensed` or `unknown`, for the `mattermost.license.state` fact.
    pub fn state(&self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::Unlicensed => "unlicensed",
            Self::Given(_) => "given",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_states() {
        let unknown = Licence::Unknown;
        assert!(
            matches!(unknown.feature("MFA"), Feature::Unknown(r) if r.contains("--mattermost-license"))
        );
        let off = Licence::from_json(&serde_json::json!({"IsLicensed": "false"})).unwrap();
        assert_eq!(off, Licence::Unlicensed);
        assert_eq!(off.feature("MFA"), Feature::Off);
        let on = Licence::from_json(
            &serde_json::json!({"IsLicensed": "true", "MFA": "true", "SAML": "false"}),
        )
        .unwrap();
        assert_eq!(on.feature("MFA"), Feature::On);
        assert_eq!(on.feature("SAML"), Feature::Off);
        assert!(matches!(on.feature("AdvancedLogging"), Feature::Unknown(_)));
        assert!(Licence::from_json(&serde_json::json!({"x": 1})).is_none());
    }
}
