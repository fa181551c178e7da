//! Running a check's examples: each example is a minimal set of facts and the status the
//! check must give on them under a profile's parameters. `safeguard checks test` and the
//! corpus test run them, so a check whose verdicts drift from what its author meant
//! fails CI. Pure: the caller supplies the parameter values (from the profiles).
//!
//! What does not belong here: loading (`load`), choosing profiles (`cli`), scoring.

use super::{Check, CheckSet, Example, FindingStatus};
use crate::catalogue::{self, Scope};
use crate::evidence::{AttemptOutcome, Evidence, FactMaker, FactValue};
use std::collections::BTreeMap;

/// The subject endpoint facts of an example are about.
pub const EXAMPLE_SUBJECT: &str = "example.invalid:443";

/// The outcome of one example (or of a check without any).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleOutcome {
    pub check_id: String,
    /// 1-based index of the example in its check; 0 when the check has no examples.
    pub index: usize,
    /// `file:line` of the example.
    pub place: String,
    pub expected: Option<FindingStatus>,
    pub got: Option<FindingStatus>,
    /// The finding's message, or why the example could not run.
    pub message: String,
    pub note: Option<String>,
}

impl ExampleOutcome {
    pub fn passed(&self) -> bool {
        self.expected.is_some() && self.expected == self.got
    }
}

/// Parameter values for a check under a profile id (None = the default profile); Err
/// when the profile does not exist.
pub type ParamsFor<'a> =
    dyn Fn(&Check, Option<&str>) -> Result<BTreeMap<String, FactValue>, String> + 'a;

/// The evidence an example stands for: its facts, and completed attempts covering every
/// family on the deployment and on [`EXAMPLE_SUBJECT`], so that a fact the example leaves
/// out is *absent*, never *not probed*.
pub fn example_evidence(example: &Example) -> Evidence {
    let mut ev = Evidence::default();
    let deployment = FactMaker::new("example", None);
    let endpoint = FactMaker::new("example", Some(EXAMPLE_SUBJECT.to_owned()));
    for (key, value) in &example.facts {
        let on_endpoint = catalogue::spec(key).is_some_and(|s| s.scope == Scope::Endpoint);
        let maker = if on_endpoint { &endpoint } else { &deployment };
        ev.insert(maker.fact(key, value.clone(), "example"));
    }
    let families: Vec<&str> =
        catalogue::all()
            .iter()
            .map(|s| s.family())
            .fold(Vec::new(), |mut v, f| {
                if !v.contains(&f) {
                    v.push(f);
                }
                v
            });
    ev.attempts
        .push(deployment.attempt(AttemptOutcome::Completed, &families));
    ev.attempts
        .push(endpoint.attempt(AttemptOutcome::Completed, &families));
    ev
}

/// Runs every example of every check in `checks`, in id order. A check without examples
/// is one failed outcome: it cannot prove itself.
pub fn run(checks: &CheckSet, params_for: &ParamsFor<'_>) -> Vec<ExampleOutcome> {
    let mut out = Vec::new();
    for check in checks.checks.values() {
        if check.examples.is_empty() {
            out.push(ExampleOutcome {
                check_id: check.id.clone(),
                index: 0,
                place: check.source.clone(),
                expected: None,
                got: None,
                message: "no examples: add `examples:` with at least one pass and one fail".into(),
                note: None,
            });
            continue;
        }
        for (i, ex) in check.examples.iter().enumerate() {
            out.push(run_one(check, i + 1, ex, params_for));
        }
    }
    out
}

fn run_one(
    check: &Check,
    index: usize,
    ex: &Example,
    params_for: &ParamsFor<'_>,
) -> ExampleOutcome {
    let mut o = ExampleOutcome {
        check_id: check.id.clone(),
        index,
        place: format!("{}:{}", check.source, ex.line),
        expected: Some(ex.expect),
        got: None,
        message: String::new(),
        note: ex.note.clone(),
    };
    let params = match params_for(check, ex.profile.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            o.message = e;
            return o;
        }
    };
    let evidence = example_evidence(ex);
    let findings = super::evaluate(check, &params, &evidence);
    // Endpoint checks judge the example's one subject; deployment checks give one finding.
    let f = findings
        .iter()
        .find(|f| f.subject.as_deref() == Some(EXAMPLE_SUBJECT))
        .or_else(|| findings.first());
    if let Some(f) = f {
        o.got = Some(f.status);
        o.message = f.message.clone();
    } else {
        o.message = "the check gave no finding".into();
    }
    o
}

/// The parameter values a check uses under a profile: its defaults, overridden by the
/// profile's values for the parameters it declares.
pub fn check_params(
    check: &Check,
    profile_values: &BTreeMap<String, FactValue>,
) -> BTreeMap<String, FactValue> {
    check
        .parameters
        .iter()
        .map(|(name, p)| {
            (
                name.clone(),
                profile_values
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| p.default.clone()),
            )
        })
        .collect()
}

/// Writes the outcomes, one line each, and the closing `N passed, M failed` line.
pub fn render(outcomes: &[ExampleOutcome], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let status = |s: Option<FindingStatus>| s.map_or("-", FindingStatus::as_str);
    for o in outcomes {
        let label = if o.index == 0 {
            o.check_id.clone()
        } else {
            format!("{} #{}", o.check_id, o.index)
        };
        if o.passed() {
            writeln!(out, "ok    {label}: {}", status(o.got))?;
        } else if o.expected.is_none() {
            writeln!(out, "FAIL  {label} ({}): {}", o.place, o.message)?;
        } else {
            writeln!(
                out,
                "FAIL  {label} ({}): expected {}, got {} — {}",
                o.place,
                status(o.expected),
                status(o.got),
                o.message
            )?;
        }
    }
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    writeln!(out, "{passed} passed, {} failed", outcomes.len() - passed)
}
