//! The closed set of operators a check may use, and how each judges a fact.
//!
//! Operands were type-checked against the fact when the check was loaded, so evaluation
//! here never meets a type it does not expect; should it (a replayed evidence file that
//! lies about a type), the comparison is *unknown*, never true.

use crate::evidence::FactValue;
use regex::Regex;
use std::collections::BTreeMap;
use std::fmt;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    /// A list fact holds every item of the operand (a required set): what is missing,
    /// including a misspelt required item, fails rather than passes.
    ContainsAll,
    Lt,
    Lte,
    Gt,
    Gte,
    Matches,
}

impl Op {
    pub const ALL: [(&'static str, Self); 10] = [
        ("eq", Self::Eq),
        ("ne", Self::Ne),
        ("in", Self::In),
        ("not-in", Self::NotIn),
        ("contains-all", Self::ContainsAll),
        ("lt", Self::Lt),
        ("lte", Self::Lte),
        ("gt", Self::Gt),
        ("gte", Self::Gte),
        ("matches", Self::Matches),
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == s).map(|(_, op)| *op)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, op)| *op == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }

    /// How the operator reads in a message ("expected ≤ 15").
    fn phrase(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "≠",
            Self::In => "one of",
            Self::NotIn => "none of",
            Self::ContainsAll => "to contain all of",
            Self::Lt => "<",
            Self::Lte => "≤",
            Self::Gt => ">",
            Self::Gte => "≥",
            Self::Matches => "to match",
        }
    }
}

/// What a comparison compares against.
#[derive(Debug, Clone)]
pub enum Operand {
    Value(OperandValue),
    /// A check parameter, resolved from the profile (or its default) at evaluation.
    Param(String),
}

/// A literal operand. Lists for `in`/`not-in` hold scalars of the fact's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperandValue {
    Scalar(FactValue),
    List(Vec<FactValue>),
}

impl fmt::Display for OperandValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Scalar(v) => write!(f, "{v}"),
            Self::List(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
        }
    }
}

impl OperandValue {
    /// A parameter value as an operand: list parameters become lists.
    pub fn from_param(v: &FactValue) -> Self {
        match v {
            FactValue::StrList(items) => {
                Self::List(items.iter().cloned().map(FactValue::Str).collect())
            }
            other => Self::Scalar(other.clone()),
        }
    }
}

/// A predicate over facts.
#[derive(Debug, Clone)]
pub enum Predicate {
    Compare {
        fact: String,
        op: Op,
        operand: Operand,
        /// Compiled at load time for `matches`.
        regex: Option<Regex>,
    },
    Exists {
        fact: String,
        expected: bool,
    },
    All(Vec<Predicate>),
    Any(Vec<Predicate>),
    Not(Box<Predicate>),
}

/// Three-valued truth: facts may be absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    /// The facts named were absent.
    Unknown(Vec<String>),
}

/// A truth value with the sentences that explain it.
#[derive(Debug, Clone)]
pub struct Judgement {
    pub truth: Truth,
    /// For a false result: what was observed against what was expected.
    pub reasons: Vec<String>,
    /// The facts that decided the result.
    pub used: Vec<String>,
}

impl Predicate {
    pub(crate) fn collect_keys<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Self::Compare { fact, .. } | Self::Exists { fact, .. } => out.push(fact),
            Self::All(ps) | Self::Any(ps) => ps.iter().for_each(|p| p.collect_keys(out)),
            Self::Not(p) => p.collect_keys(out),
        }
    }

    /// Judges the predicate; `lookup` gives a fact's value (None when absent) and
    /// `params` the resolved parameter values.
    pub fn judge(
        &self,
        lookup: &dyn Fn(&str) -> Option<FactValue>,
        params: &BTreeMap<String, FactValue>,
    ) -> Judgement {
        match self {
            Self::Exists { fact, expected } => {
                let present = lookup(fact).is_some();
                let ok = present == *expected;
                Judgement {
                    truth: if ok { Truth::True } else { Truth::False },
                    reasons: if ok {
                        vec![]
                    } else if present {
                        vec![format!("{} is set; expected it absent", short(fact))]
                    } else {
                        vec![format!("{} is absent; expected it set", short(fact))]
                    },
                    used: vec![fact.clone()],
                }
            }
            Self::Compare {
                fact,
                op,
                operand,
                regex,
            } => {
                let Some(value) = lookup(fact) else {
                    return Judgement {
                        truth: Truth::Unknown(vec![fact.clone()]),
                        reasons: vec![],
                        used: vec![fact.clone()],
                    };
                };
                let param_name = match operand {
                    Operand::Param(n) => Some(n.as_str()),
                    Operand::Value(_) => None,
                };
                let operand = match operand {
                    Operand::Value(v) => v.clone(),
                    Operand::Param(name) => match params.get(name) {
                        Some(v) => OperandValue::from_param(v),
                        None => {
                            return Judgement {
                                truth: Truth::Unknown(vec![format!("parameter {name}")]),
                                reasons: vec![],
                                used: vec![fact.clone()],
                            };
                        }
                    },
                };
                let truth = match compare(&value, *op, &operand, regex.as_ref()) {
                    Some(true) => Truth::True,
                    Some(false) => Truth::False,
                    None => Truth::Unknown(vec![fact.clone()]),
                };
                let reasons = if truth == Truth::False {
                    vec![explain_false(fact, &value, *op, &operand, param_name)]
                } else {
                    vec![]
                };
                Judgement {
                    truth,
                    reasons,
                    used: vec![fact.clone()],
                }
            }
            Self::All(ps) => {
                let js: Vec<Judgement> = ps.iter().map(|p| p.judge(lookup, params)).collect();
                combine(js, true)
            }
            Self::Any(ps) => {
                let js: Vec<Judgement> = ps.iter().map(|p| p.judge(lookup, params)).collect();
                combine(js, false)
            }
            Self::Not(p) => {
                let j = p.judge(lookup, params);
                let truth = match j.truth {
                    Truth::True => Truth::False,
                    Truth::False => Truth::True,
                    u @ Truth::Unknown(_) => u,
                };
                let reasons = if truth == Truth::False {
                    vec![format!("not expected: {}", describe_holding(p, lookup))]
                } else {
                    vec![]
                };
                Judgement {
                    truth,
                    reasons,
                    used: j.used,
                }
            }
        }
    }
}

/// Why a comparison is false, from the comparison that decided. A list judged against a
/// list (`in`: every item allowed; `not-in`: no item forbidden) names only the offending
/// items, never the whole list and the whole allow-list.
fn explain_false(
    fact: &str,
    value: &FactValue,
    op: Op,
    operand: &OperandValue,
    param: Option<&str>,
) -> String {
    if let (FactValue::StrList(items), OperandValue::List(os), Op::ContainsAll) =
        (value, operand, op)
    {
        let missing: Vec<String> = os
            .iter()
            .filter(|o| !matches!(o, FactValue::Str(s) if items.contains(s)))
            .map(|o| match o {
                FactValue::Str(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        let list = match param {
            Some(p) => format!("`{p}`"),
            None => "the list".to_owned(),
        };
        return format!(
            "{} lacks {} of {} in {list}: {}",
            short(fact),
            missing.len(),
            os.len(),
            missing.join(", ")
        );
    }
    if let (FactValue::StrList(items), OperandValue::List(os), Op::In | Op::NotIn) =
        (value, operand, op)
    {
        let listed = |i: &String| os.contains(&FactValue::Str(i.clone()));
        let offenders: Vec<&str> = items
            .iter()
            .filter(|i| if op == Op::In { !listed(i) } else { listed(i) })
            .map(String::as_str)
            .collect();
        let list = match param {
            Some(p) => format!("`{p}`"),
            None => "the list".to_owned(),
        };
        let what = if op == Op::In {
            format!("not in {list}")
        } else {
            format!("forbidden by {list}")
        };
        return format!(
            "{} has {} of {} {what}: {}",
            short(fact),
            offenders.len(),
            items.len(),
            offenders.join(", ")
        );
    }
    format!(
        "{} is {value}; expected {} {operand}",
        short(fact),
        op.phrase()
    )
}

/// Kleene conjunction (`all == true`) or disjunction.
fn combine(js: Vec<Judgement>, all: bool) -> Judgement {
    let mut used = Vec::new();
    let mut missing = Vec::new();
    let mut reasons = Vec::new();
    let (mut any_true, mut any_false) = (false, false);
    for j in js {
        used.extend(j.used);
        match j.truth {
            Truth::True => any_true = true,
            Truth::False => {
                any_false = true;
                reasons.extend(j.reasons);
            }
            Truth::Unknown(m) => missing.extend(m),
        }
    }
    let truth = if all {
        if any_false {
            Truth::False
        } else if !missing.is_empty() {
            Truth::Unknown(missing)
        } else {
            Truth::True
        }
    } else if any_true {
        Truth::True
    } else if !missing.is_empty() {
        Truth::Unknown(missing)
    } else {
        Truth::False
    };
    let reasons = match (&truth, all) {
        (Truth::False, false) if reasons.len() > 1 => vec![reasons.join(" and ")],
        (Truth::False, _) => reasons,
        _ => vec![],
    };
    Judgement {
        truth,
        reasons,
        used,
    }
}

/// Says what a (true) predicate found, for `not` failures.
fn describe_holding(p: &Predicate, lookup: &dyn Fn(&str) -> Option<FactValue>) -> String {
    match p {
        Predicate::Compare {
            fact, op, operand, ..
        } => {
            let value = lookup(fact).map(|v| v.to_string()).unwrap_or_default();
            let operand = match operand {
                Operand::Value(v) => v.to_string(),
                Operand::Param(n) => format!("parameter {n}"),
            };
            format!("{} is {value} ({} {operand})", short(fact), op.name())
        }
        Predicate::Exists { fact, expected } => {
            format!(
                "{} {}",
                short(fact),
                if *expected { "is set" } else { "is absent" }
            )
        }
        Predicate::All(ps) | Predicate::Any(ps) => ps
            .iter()
            .map(|p| describe_holding(p, lookup))
            .collect::<Vec<_>>()
            .join("; "),
        Predicate::Not(inner) => format!("not ({})", describe_holding(inner, lookup)),
    }
}

/// A fact key as a reader knows it: config settings by their config path.
pub fn short(fact: &str) -> &str {
    fact.strip_prefix("mattermost.config.").unwrap_or(fact)
}

/// Applies one operator. None when the types do not fit (never true).
pub fn compare(
    value: &FactValue,
    op: Op,
    operand: &OperandValue,
    regex: Option<&Regex>,
) -> Option<bool> {
    use FactValue as V;
    use OperandValue as O;
    match (op, value, operand) {
        (Op::Eq, v, O::Scalar(o)) => Some(v == o),
        (Op::Ne, v, O::Scalar(o)) => Some(v != o),
        (Op::Eq, V::StrList(items), O::List(os)) => Some(list_eq(items, os)),
        (Op::Ne, V::StrList(items), O::List(os)) => Some(!list_eq(items, os)),
        (Op::In, V::StrList(items), O::List(os)) => {
            Some(items.iter().all(|i| os.contains(&V::Str(i.clone()))))
        }
        (Op::NotIn, V::StrList(items), O::List(os)) => {
            Some(!items.iter().any(|i| os.contains(&V::Str(i.clone()))))
        }
        (Op::ContainsAll, V::StrList(items), O::List(os)) => Some(
            os.iter()
                .all(|o| matches!(o, V::Str(s) if items.contains(s))),
        ),
        (Op::In, v, O::List(os)) => Some(os.contains(v)),
        (Op::NotIn, v, O::List(os)) => Some(!os.contains(v)),
        (Op::Lt | Op::Lte | Op::Gt | Op::Gte, v, O::Scalar(V::Int(o))) => {
            let n = match v {
                V::Int(n) => *n,
                V::StrList(items) => i64::try_from(items.len()).ok()?,
                _ => return None,
            };
            Some(match op {
                Op::Lt => n < *o,
                Op::Lte => n <= *o,
                Op::Gt => n > *o,
                _ => n >= *o,
            })
        }
        (Op::Matches, V::Str(s), _) => regex.map(|r| r.is_match(s)),
        (Op::Matches, V::StrList(items), _) => regex.map(|r| items.iter().any(|s| r.is_match(s))),
        _ => None,
    }
}

fn list_eq(items: &[String], os: &[FactValue]) -> bool {
    items.len() == os.len()
        && items
            .iter()
            .zip(os)
            .all(|(i, o)| matches!(o, FactValue::Str(s) if s == i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use FactValue::{Bool, Int, Str, StrList};

    fn list(items: &[&str]) -> FactValue {
        StrList(items.iter().map(|s| (*s).to_owned()).collect())
    }
    fn scalars(items: &[FactValue]) -> OperandValue {
        OperandValue::List(items.to_vec())
    }
    fn strs(items: &[&str]) -> OperandValue {
        OperandValue::List(items.iter().map(|s| Str((*s).to_owned())).collect())
    }
    fn one(v: FactValue) -> OperandValue {
        OperandValue::Scalar(v)
    }

    /// (value, op, operand, expected). None = the types do not fit: never true.
    #[test]
    fn operator_table() {
        let cases: Vec<(FactValue, Op, OperandValue, Option<bool>)> = vec![
            (Bool(true), Op::Eq, one(Bool(true)), Some(true)),
            (Bool(true), Op::Eq, one(Bool(false)), Some(false)),
            (Bool(true), Op::Ne, one(Bool(false)), Some(true)),
            (Int(15), Op::Eq, one(Int(15)), Some(true)),
            (
                Str("full".into()),
                Op::Ne,
                one(Str("generic".into())),
                Some(true),
            ),
            (Int(15), Op::Lte, one(Int(15)), Some(true)),
            (Int(16), Op::Lte, one(Int(15)), Some(false)),
            (Int(14), Op::Lt, one(Int(15)), Some(true)),
            (Int(15), Op::Lt, one(Int(15)), Some(false)),
            (Int(15), Op::Gte, one(Int(15)), Some(true)),
            (Int(14), Op::Gte, one(Int(15)), Some(false)),
            (Int(16), Op::Gt, one(Int(15)), Some(true)),
            (Int(-1), Op::Gt, one(Int(0)), Some(false)),
            (
                Str("generic".into()),
                Op::In,
                strs(&["generic", "id_loaded"]),
                Some(true),
            ),
            (
                Str("full".into()),
                Op::In,
                strs(&["generic", "id_loaded"]),
                Some(false),
            ),
            (
                Str("full".into()),
                Op::NotIn,
                strs(&["generic"]),
                Some(true),
            ),
            (Int(3), Op::In, scalars(&[Int(1), Int(3)]), Some(true)),
            (Bool(false), Op::NotIn, scalars(&[Bool(true)]), Some(true)),
            // Lists: in = subset, not-in = disjoint, comparisons on length, eq element-wise.
            (
                list(&["a", "b"]),
                Op::In,
                strs(&["a", "b", "c"]),
                Some(true),
            ),
            (
                list(&["a", "d"]),
                Op::In,
                strs(&["a", "b", "c"]),
                Some(false),
            ),
            (list(&[]), Op::In, strs(&["a"]), Some(true)),
            (list(&["x", "y"]), Op::NotIn, strs(&["a", "b"]), Some(true)),
            (list(&["x", "a"]), Op::NotIn, strs(&["a", "b"]), Some(false)),
            // contains-all: a required set; a missing (or misspelt) item fails.
            (
                list(&["a", "b", "c"]),
                Op::ContainsAll,
                strs(&["a", "b"]),
                Some(true),
            ),
            (
                list(&["a", "c"]),
                Op::ContainsAll,
                strs(&["a", "b"]),
                Some(false),
            ),
            (
                list(&["a", "b"]),
                Op::ContainsAll,
                strs(&["a", "bb"]),
                Some(false),
            ),
            (list(&[]), Op::Lte, one(Int(0)), Some(true)),
            (list(&["a"]), Op::Lte, one(Int(0)), Some(false)),
            (list(&["a", "b"]), Op::Gt, one(Int(1)), Some(true)),
            (list(&["a", "b"]), Op::Eq, strs(&["a", "b"]), Some(true)),
            (list(&["b", "a"]), Op::Eq, strs(&["a", "b"]), Some(false)),
            (list(&[]), Op::Eq, strs(&[]), Some(true)),
            (list(&["a"]), Op::Ne, strs(&[]), Some(true)),
            // Mismatched types are never true.
            (Str("15".into()), Op::Lte, one(Int(15)), None),
            (Bool(true), Op::Gt, one(Int(0)), None),
            (Int(1), Op::Matches, one(Str("1".into())), None),
        ];
        for (value, op, operand, expected) in cases {
            let got = compare(&value, op, &operand, None);
            assert_eq!(got, expected, "{value} {} {operand}", op.name());
        }
    }

    #[test]
    fn matches_on_strings_and_lists() {
        let r = Regex::new("(?i)^https://").unwrap();
        let pat = one(Str("(?i)^https://".into()));
        assert_eq!(
            compare(&Str("HTTPS://x".into()), Op::Matches, &pat, Some(&r)),
            Some(true)
        );
        assert_eq!(
            compare(&Str("http://x".into()), Op::Matches, &pat, Some(&r)),
            Some(false)
        );
        assert_eq!(
            compare(
                &list(&["http://a", "https://b"]),
                Op::Matches,
                &pat,
                Some(&r)
            ),
            Some(true)
        );
        assert_eq!(
            compare(&list(&[]), Op::Matches, &pat, Some(&r)),
            Some(false)
        );
    }

    fn cmp(fact: &str, op: Op, v: FactValue) -> Predicate {
        Predicate::Compare {
            fact: fact.into(),
            op,
            operand: Operand::Value(one(v)),
            regex: None,
        }
    }

    #[test]
    fn three_valued_logic() {
        let facts = |k: &str| match k {
            "t" => Some(Bool(true)),
            "f" => Some(Bool(false)),
            _ => None,
        };
        let params = BTreeMap::new();
        let t = || cmp("t", Op::Eq, Bool(true));
        let f = || cmp("f", Op::Eq, Bool(true));
        let u = || cmp("missing", Op::Eq, Bool(true));
        let truth = |p: Predicate| p.judge(&facts, &params).truth;
        assert_eq!(truth(Predicate::All(vec![t(), t()])), Truth::True);
        assert_eq!(truth(Predicate::All(vec![t(), f(), u()])), Truth::False);
        assert_eq!(
            truth(Predicate::All(vec![t(), u()])),
            Truth::Unknown(vec!["missing".into()])
        );
        assert_eq!(truth(Predicate::Any(vec![f(), t(), u()])), Truth::True);
        assert_eq!(
            truth(Predicate::Any(vec![f(), u()])),
            Truth::Unknown(vec!["missing".into()])
        );
        assert_eq!(truth(Predicate::Any(vec![f(), f()])), Truth::False);
        assert_eq!(truth(Predicate::Not(Box::new(f()))), Truth::True);
        assert_eq!(
            truth(Predicate::Not(Box::new(u()))),
            Truth::Unknown(vec!["missing".into()])
        );
        let exists = |k: &str, e: bool| Predicate::Exists {
            fact: k.into(),
            expected: e,
        };
        assert_eq!(truth(exists("t", true)), Truth::True);
        assert_eq!(truth(exists("missing", false)), Truth::True);
        assert_eq!(truth(exists("missing", true)), Truth::False);
    }

    #[test]
    fn params_resolve_and_missing_params_are_unknown() {
        let facts = |_: &str| Some(Int(20));
        let p = Predicate::Compare {
            fact: "x".into(),
            op: Op::Lte,
            operand: Operand::Param("max".into()),
            regex: None,
        };
        let mut params = BTreeMap::new();
        assert!(matches!(p.judge(&facts, &params).truth, Truth::Unknown(_)));
        params.insert("max".into(), Int(30));
        assert_eq!(p.judge(&facts, &params).truth, Truth::True);
        params.insert("max".into(), Int(15));
        let j = p.judge(&facts, &params);
        assert_eq!(j.truth, Truth::False);
        assert_eq!(j.reasons, vec!["x is 20; expected ≤ 15".to_owned()]);
    }

    #[test]
    fn list_subset_failures_name_only_the_offenders() {
        let facts = |_: &str| Some(list(&["A", "B", "RC4", "C", "DES"]));
        let mut params = BTreeMap::new();
        params.insert(
            "allowed".to_owned(),
            list(&["A", "B", "C", "D", "E", "F", "G"]),
        );
        let p = Predicate::Compare {
            fact: "tls.suites.accepted".into(),
            op: Op::In,
            operand: Operand::Param("allowed".into()),
            regex: None,
        };
        let j = p.judge(&facts, &params);
        assert_eq!(j.truth, Truth::False);
        assert_eq!(
            j.reasons,
            vec!["tls.suites.accepted has 2 of 5 not in `allowed`: RC4, DES".to_owned()]
        );
        let p = Predicate::Compare {
            fact: "x".into(),
            op: Op::NotIn,
            operand: Operand::Value(strs(&["RC4", "NULL"])),
            regex: None,
        };
        let j = p.judge(&facts, &params);
        assert_eq!(
            j.reasons,
            vec!["x has 1 of 5 forbidden by the list: RC4".to_owned()]
        );
    }
}
