//! Loading check files: YAML text → validated [`Check`], collecting every problem with its
//! `file:line:column` before giving up, as cargo-deny does with its config.
//!
//! Built-in checks are embedded in the binary (see `build.rs`); a directory given with
//! `--checks-dir` adds checks or overrides built-in ones by id.

use super::predicate::{Op, Operand, OperandValue, Predicate};
use super::{Check, Example, FindingStatus, ParamType, Parameter, Remediation, Severity};
use crate::catalogue;
use crate::diag::{Diagnostic, Pos, Sink};
use crate::evidence::{FactType, FactValue};
use crate::yaml::{self, Node, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Largest check or profile file accepted.
pub const MAX_FILE_BYTES: u64 = 1 << 20;

/// A set of checks by id.
#[derive(Debug, Clone, Default)]
pub struct CheckSet {
    pub checks: BTreeMap<String, Check>,
}

impl CheckSet {
    pub fn get(&self, id: &str) -> Option<&Check> {
        self.checks.get(id)
    }

    /// Adds `other`'s checks, replacing same-id checks (user checks override built-ins).
    pub fn overlay(&mut self, other: Self) {
        self.checks.extend(other.checks);
    }
}

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// The built-in check files, `(path relative to the package, text)`.
pub fn builtin_check_sources() -> &'static [(&'static str, &'static str)] {
    builtin::CHECKS
}

/// The built-in profile files, `(path relative to the package, text)`.
pub fn builtin_profile_sources() -> &'static [(&'static str, &'static str)] {
    builtin::PROFILES
}

/// The built-in report templates (`reports/*.j2`), `(path relative to the package, text)`.
pub fn builtin_templates() -> &'static [(&'static str, &'static str)] {
    builtin::TEMPLATES
}

/// Loads the checks embedded in the binary.
pub fn load_builtin() -> Result<CheckSet, Vec<Diagnostic>> {
    let sources: Vec<(PathBuf, String)> = builtin::CHECKS
        .iter()
        .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
        .collect();
    load_sources(&sources)
}

/// Loads every `*.yaml` under `dir/<domain>/`.
pub fn load_dir(dir: &Path) -> Result<CheckSet, Vec<Diagnostic>> {
    let sources = read_yaml_tree(dir, 2)?;
    load_sources(&sources)
}

/// Reads the `.yaml`/`.yml` files below `dir` (at most `depth` levels), sorted by path.
pub fn read_yaml_tree(dir: &Path, depth: usize) -> Result<Vec<(PathBuf, String)>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let whole = |file: &Path, message: String| Diagnostic {
        file: file.to_path_buf(),
        line: 0,
        column: 0,
        message,
    };
    if !dir.is_dir() {
        return Err(vec![whole(dir, "not a directory (or not readable)".into())]);
    }
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    while let Some((d, level)) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            Err(e) => {
                problems.push(whole(&d, format!("cannot read directory: {e}")));
                continue;
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if level + 1 < depth {
                    stack.push((path, level + 1));
                }
                continue;
            }
            if !matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml")
            ) {
                continue;
            }
            match read_limited(&path) {
                Ok(text) => out.push((path, text)),
                Err(message) => problems.push(whole(&path, message)),
            }
        }
    }
    if problems.is_empty() {
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Reads a text file no larger than [`MAX_FILE_BYTES`].
pub fn read_limited(path: &Path) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "too large ({} bytes; at most {MAX_FILE_BYTES})",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())
}

/// Loads the built-in checks without reading their `examples:` (what a scan needs: the
/// examples are for `checks test`, and parsing them is a fifth of a config scan's time).
pub fn load_builtin_for_scan() -> Result<CheckSet, Vec<Diagnostic>> {
    let sources: Vec<(PathBuf, String)> = builtin::CHECKS
        .iter()
        .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
        .collect();
    load_sources_with(&sources, Examples::Skip)
}

/// [`load_dir`] without reading the checks' `examples:`.
pub fn load_dir_for_scan(dir: &Path) -> Result<CheckSet, Vec<Diagnostic>> {
    let sources = read_yaml_tree(dir, 2)?;
    load_sources_with(&sources, Examples::Skip)
}

/// Whether the `examples:` of check files are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Examples {
    Read,
    Skip,
}

/// The text with a top-level `examples:` section blanked out, line for line, so every
/// other key keeps its line and column in diagnostics.
fn without_examples(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.starts_with("examples:") && !text.contains("\nexamples:") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let top_level = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-');
        if top_level {
            inside = line.starts_with("examples:");
        }
        if inside {
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Validates a set of check files; duplicate ids are errors.
pub fn load_sources(sources: &[(PathBuf, String)]) -> Result<CheckSet, Vec<Diagnostic>> {
    load_sources_with(sources, Examples::Read)
}

fn load_sources_with(
    sources: &[(PathBuf, String)],
    examples: Examples,
) -> Result<CheckSet, Vec<Diagnostic>> {
    // Parsing dominates start-up (well over a hundred files); files are independent, so
    // they are parsed on every core, then merged in order so ids and messages are stable.
    let parse_one = |(path, text): &(PathBuf, String)| {
        let mut sink = Sink::new(path);
        let parsed = match examples {
            Examples::Read => parse_check(path, text, &mut sink),
            Examples::Skip => parse_check(path, &without_examples(text), &mut sink).map(|mut c| {
                // The digest covers the file as written, examples included.
                c.text = text.clone();
                c
            }),
        };
        (parsed, sink.diagnostics)
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 4);
    let chunk = sources.len().div_ceil(workers).max(1);
    let parsed: Vec<(Option<Check>, Vec<Diagnostic>)> = if workers == 1 || sources.len() < 16 {
        sources.iter().map(parse_one).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = sources
                .chunks(chunk)
                .map(|part| scope.spawn(move || part.iter().map(parse_one).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        })
    };
    let mut set = CheckSet::default();
    let mut diags = Vec::new();
    let mut first_seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    for ((path, _), (check, found)) in sources.iter().zip(parsed) {
        diags.extend(found);
        let Some(check) = check else {
            continue;
        };
        if let Some(prev) = first_seen.get(&check.id) {
            diags.push(Diagnostic {
                file: path.clone(),
                line: 1,
                column: 1,
                message: format!(
                    "duplicate check id `{}` (also defined in {})",
                    check.id,
                    prev.display()
                ),
            });
        } else {
            first_seen.insert(check.id.clone(), path.clone());
            set.checks.insert(check.id.clone(), check);
        }
    }
    if diags.is_empty() {
        Ok(set)
    } else {
        Err(diags)
    }
}

const CHECK_KEYS: &[&str] = &[
    "title",
    "domain",
    "severity",
    "rationale",
    "remediation",
    "references",
    "parameters",
    "when",
    "assert",
    "warn",
    "licence",
    "versions",
    "examples",
];

/// Parses one check file. Problems go to `sink`; None when there were any.
pub fn parse_check(path: &Path, text: &str, sink: &mut Sink<'_>) -> Option<Check> {
    let before = sink.diagnostics.len();
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    if !is_valid_id(&id) {
        sink.error(
            Pos::default(),
            format!("check id `{id}` (the file name) must be lower-case letters, digits and `-`"),
        );
    }
    let folder = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    let root = match yaml::parse(text) {
        Ok(n) => n,
        Err((pos, msg)) => {
            sink.error(pos, format!("invalid YAML: {msg}"));
            return None;
        }
    };
    let map = Fields::new(&root, CHECK_KEYS, "a check", sink)?;
    let title = map.required_str("title", sink);
    let domain = map.required_str("domain", sink);
    if let Some((d, pos)) = &domain
        && *d != folder
    {
        sink.error(
            *pos,
            format!("domain `{d}` must match the folder the file is in (`{folder}`)"),
        );
    }
    let severity = map.required_str("severity", sink).and_then(|(s, pos)| {
        Severity::parse(&s).or_else(|| {
            sink.error(
                pos,
                format!(
                    "unknown severity `{s}`; expected one of critical, high, medium, low, info"
                ),
            );
            None
        })
    });
    let rationale = map.optional_str("rationale", sink).unwrap_or_default();
    let licence = map.optional_str("licence", sink);
    let versions = map.optional_str("versions", sink);
    let remediation = map
        .get("remediation")
        .and_then(|n| parse_remediation(n, sink));
    if map.get("remediation").is_none() {
        sink.error(root.pos, "missing required key `remediation`");
    }
    let references = map
        .get("references")
        .map(|n| string_list(n, "references", sink))
        .unwrap_or_default();
    let parameters = map
        .get("parameters")
        .map(|n| parse_parameters(n, sink))
        .unwrap_or_default();
    let ctx = PredicateContext {
        params: &parameters,
    };
    let when = map.get("when").and_then(|n| parse_predicate(n, &ctx, sink));
    let assert = map
        .get("assert")
        .and_then(|n| parse_predicate(n, &ctx, sink));
    if map.get("assert").is_none() {
        sink.error(root.pos, "missing required key `assert`");
    }
    let warn = map.get("warn").and_then(|n| parse_predicate(n, &ctx, sink));
    let examples = map
        .get("examples")
        .map(|n| parse_examples(n, sink))
        .unwrap_or_default();
    if sink.diagnostics.len() > before {
        return None;
    }
    Some(Check {
        id,
        title: title?.0,
        domain: domain?.0,
        severity: severity?,
        rationale,
        remediation: remediation?,
        references,
        parameters,
        when,
        assert: assert?,
        warn,
        licence,
        versions,
        examples,
        source: path.display().to_string(),
        text: text.to_owned(),
    })
}

/// Check ids and profile ids: lower-case letters, digits and `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

fn parse_remediation(node: &Node, sink: &mut Sink<'_>) -> Option<Remediation> {
    let map = Fields::new(
        node,
        &["summary", "console", "setting"],
        "`remediation`",
        sink,
    )?;
    let summary = map.required_str("summary", sink);
    let console = map.optional_str("console", sink);
    let setting = map.optional_str("setting", sink);
    Some(Remediation {
        summary: summary?.0,
        console,
        setting,
    })
}

fn parse_parameters(node: &Node, sink: &mut Sink<'_>) -> BTreeMap<String, Parameter> {
    let mut out = BTreeMap::new();
    let Some(entries) = node.as_map() else {
        sink.error(
            node.pos,
            format!("`parameters` must be a mapping, found {}", node.kind()),
        );
        return out;
    };
    for (k, v) in entries {
        let Some(name) = k.as_str() else {
            sink.error(k.pos, "parameter names must be strings");
            continue;
        };
        let Some(fields) = Fields::new(v, &["type", "default", "description"], "a parameter", sink)
        else {
            continue;
        };
        let ty = fields.required_str("type", sink).and_then(|(t, pos)| {
            ParamType::parse(&t).or_else(|| {
                sink.error(
                    pos,
                    format!("unknown parameter type `{t}`; expected bool, int, string or list"),
                );
                None
            })
        });
        let description = fields.optional_str("description", sink).unwrap_or_default();
        let Some(default_node) = fields.get("default") else {
            sink.error(v.pos, format!("parameter `{name}` needs a `default`"));
            continue;
        };
        let Some(ty) = ty else { continue };
        let Some(default) = param_value(default_node, ty, sink) else {
            continue;
        };
        out.insert(
            name.to_owned(),
            Parameter {
                ty,
                default,
                description,
            },
        );
    }
    out
}

/// Reads a parameter value of type `ty` (used for defaults and for profile values).
pub fn param_value(node: &Node, ty: ParamType, sink: &mut Sink<'_>) -> Option<FactValue> {
    let v = match (&node.value, ty) {
        (Value::Bool(b), ParamType::Bool) => Some(FactValue::Bool(*b)),
        (Value::Int(i), ParamType::Int) => Some(FactValue::Int(*i)),
        (Value::Str(s), ParamType::String) => Some(FactValue::Str(s.clone())),
        (Value::Seq(items), ParamType::List) => {
            let mut out = Vec::new();
            for item in items {
                match item.as_str() {
                    Some(s) => out.push(s.to_owned()),
                    None => sink.error(
                        item.pos,
                        format!("expected a string in the list, found {}", item.kind()),
                    ),
                }
            }
            (out.len() == items.len()).then_some(FactValue::StrList(out))
        }
        _ => None,
    };
    if v.is_none() && !matches!((&node.value, ty), (Value::Seq(_), ParamType::List)) {
        sink.error(
            node.pos,
            format!("expected a value of type {ty}, found {}", node.kind()),
        );
    }
    v
}

struct PredicateContext<'a> {
    params: &'a BTreeMap<String, Parameter>,
}

fn parse_predicate(
    node: &Node,
    ctx: &PredicateContext<'_>,
    sink: &mut Sink<'_>,
) -> Option<Predicate> {
    let Some(entries) = node.as_map() else {
        sink.error(
            node.pos,
            format!("a predicate must be a mapping, found {}", node.kind()),
        );
        return None;
    };
    let key_of = |(k, _): &(Node, Node)| k.as_str().unwrap_or_default().to_owned();
    let keys: Vec<String> = entries.iter().map(key_of).collect();
    for combinator in ["all", "any", "not"] {
        if keys.iter().any(|k| k == combinator) {
            if entries.len() != 1 {
                sink.error(
                    node.pos,
                    format!("`{combinator}` must be the only key of its predicate"),
                );
                return None;
            }
            let inner = &entries[0].1;
            return match combinator {
                "not" => parse_predicate(inner, ctx, sink).map(|p| Predicate::Not(Box::new(p))),
                _ => {
                    let Some(items) = inner.as_seq() else {
                        sink.error(
                            inner.pos,
                            format!(
                                "`{combinator}` takes a list of predicates, found {}",
                                inner.kind()
                            ),
                        );
                        return None;
                    };
                    if items.is_empty() {
                        sink.error(
                            inner.pos,
                            format!("`{combinator}` needs at least one predicate"),
                        );
                        return None;
                    }
                    let parsed: Vec<Option<Predicate>> = items
                        .iter()
                        .map(|i| parse_predicate(i, ctx, sink))
                        .collect();
                    let parsed: Option<Vec<Predicate>> = parsed.into_iter().collect();
                    parsed.map(|ps| {
                        if combinator == "all" {
                            Predicate::All(ps)
                        } else {
                            Predicate::Any(ps)
                        }
                    })
                }
            };
        }
    }
    // A comparison: `fact` plus exactly one operator.
    let mut fact: Option<(&str, Pos)> = None;
    let mut ops: Vec<(&str, &Node, Pos)> = Vec::new();
    for (k, v) in entries {
        let Some(name) = k.as_str() else {
            sink.error(k.pos, "predicate keys must be strings");
            continue;
        };
        if name == "fact" {
            match v.as_str() {
                Some(f) => fact = Some((f, v.pos)),
                None => sink.error(
                    v.pos,
                    format!("`fact` must be a fact key, found {}", v.kind()),
                ),
            }
        } else if name == "exists" || Op::parse(name).is_some() {
            ops.push((name, v, k.pos));
        } else {
            sink.error(
                k.pos,
                format!(
                    "unknown operator `{name}`; expected one of eq, ne, in, not-in, contains-all, lt, lte, gt, gte, matches, exists, all, any, not"
                ),
            );
            return None;
        }
    }
    let Some((fact, fact_pos)) = fact else {
        sink.error(node.pos, "a comparison needs a `fact`");
        return None;
    };
    let (op_name, operand, op_pos) = match ops.as_slice() {
        [one] => *one,
        [] => {
            sink.error(node.pos, "a comparison needs one operator (eq, ne, in, not-in, contains-all, lt, lte, gt, gte, matches, exists)");
            return None;
        }
        _ => {
            sink.error(
                node.pos,
                "a comparison takes exactly one operator; combine several with `all`",
            );
            return None;
        }
    };
    let Some(spec) = catalogue::spec(fact) else {
        sink.error(
            fact_pos,
            format!(
                "unknown fact `{fact}`: the fact catalogue has no such key (`safeguard checks facts` lists them)"
            ),
        );
        return None;
    };
    let ty = spec.ty;
    if op_name == "exists" {
        return match operand.value {
            Value::Bool(expected) => Some(Predicate::Exists {
                fact: fact.to_owned(),
                expected,
            }),
            _ => {
                sink.error(
                    operand.pos,
                    format!("`exists` takes true or false, found {}", operand.kind()),
                );
                None
            }
        };
    }
    let op = Op::parse(op_name)?;
    // A parameter operand.
    if let Some(m) = operand.as_map() {
        let Some(name) = (m.len() == 1 && m[0].0.as_str() == Some("param"))
            .then(|| m[0].1.as_str())
            .flatten()
        else {
            sink.error(operand.pos, "an operand mapping must be `{ param: NAME }`");
            return None;
        };
        let Some(param) = ctx.params.get(name) else {
            sink.error(
                operand.pos,
                format!("unknown parameter `{name}`: declare it under `parameters`"),
            );
            return None;
        };
        let fits = match op {
            Op::Eq | Op::Ne => param_fits_fact(param.ty, ty),
            Op::In | Op::NotIn => {
                param.ty == ParamType::List && matches!(ty, FactType::Str | FactType::StrList)
            }
            Op::ContainsAll => param.ty == ParamType::List && ty == FactType::StrList,
            Op::Lt | Op::Lte | Op::Gt | Op::Gte => {
                param.ty == ParamType::Int && matches!(ty, FactType::Int | FactType::StrList)
            }
            Op::Matches => false,
        };
        if !fits {
            sink.error(
                operand.pos,
                format!("parameter `{name}` of type {} cannot be used with `{op_name}` on `{fact}` ({ty})", param.ty),
            );
            return None;
        }
        return Some(Predicate::Compare {
            fact: fact.to_owned(),
            op,
            operand: Operand::Param(name.to_owned()),
            regex: None,
        });
    }
    let mismatch = |sink: &mut Sink<'_>, expected: &str| {
        sink.error(
            operand.pos,
            format!(
                "`{op_name}` on `{fact}` ({ty}) needs {expected}, found {}",
                operand.kind()
            ),
        );
    };
    let scalar_of = |n: &Node| -> Option<FactValue> {
        match (&n.value, ty) {
            (Value::Bool(b), FactType::Bool) => Some(FactValue::Bool(*b)),
            (Value::Int(i), FactType::Int) => Some(FactValue::Int(*i)),
            (Value::Str(s), FactType::Str | FactType::StrList) => Some(FactValue::Str(s.clone())),
            _ => None,
        }
    };
    let scalar_name = match ty {
        FactType::Bool => "a boolean",
        FactType::Int => "an integer",
        FactType::Str | FactType::StrList => "a string",
    };
    let (value, regex) = match op {
        Op::Eq | Op::Ne if ty == FactType::StrList => match operand.as_seq() {
            Some(items) => match items.iter().map(scalar_of).collect::<Option<Vec<_>>>() {
                Some(v) => (OperandValue::List(v), None),
                None => {
                    mismatch(sink, "a list of strings");
                    return None;
                }
            },
            None => {
                mismatch(sink, "a list of strings");
                return None;
            }
        },
        Op::Eq | Op::Ne => match scalar_of(operand) {
            Some(v) => (OperandValue::Scalar(v), None),
            None => {
                mismatch(sink, scalar_name);
                return None;
            }
        },
        Op::ContainsAll if ty != FactType::StrList => {
            sink.error(
                operand.pos,
                format!("`contains-all` needs a list fact; `{fact}` is {ty}"),
            );
            return None;
        }
        Op::In | Op::NotIn | Op::ContainsAll => match operand
            .as_seq()
            .map(|items| items.iter().map(scalar_of).collect::<Option<Vec<_>>>())
        {
            Some(Some(v)) => (OperandValue::List(v), None),
            _ => {
                mismatch(
                    sink,
                    &format!(
                        "a list of {}s",
                        scalar_name
                            .trim_start_matches("a ")
                            .trim_start_matches("an ")
                    ),
                );
                return None;
            }
        },
        Op::Lt | Op::Lte | Op::Gt | Op::Gte => {
            if !matches!(ty, FactType::Int | FactType::StrList) {
                sink.error(
                    op_pos,
                    format!("`{op_name}` compares integers (or list lengths); `{fact}` is a {ty}"),
                );
                return None;
            }
            match operand.value {
                Value::Int(i) => (OperandValue::Scalar(FactValue::Int(i)), None),
                _ => {
                    mismatch(sink, "an integer");
                    return None;
                }
            }
        }
        Op::Matches => {
            if !matches!(ty, FactType::Str | FactType::StrList) {
                sink.error(
                    op_pos,
                    format!(
                        "`matches` applies to strings and lists of strings; `{fact}` is a {ty}"
                    ),
                );
                return None;
            }
            let Some(pattern) = operand.as_str() else {
                mismatch(sink, "a regular expression string");
                return None;
            };
            match regex::Regex::new(pattern) {
                Ok(r) => (
                    OperandValue::Scalar(FactValue::Str(pattern.to_owned())),
                    Some(r),
                ),
                Err(e) => {
                    let first = e.to_string().lines().last().unwrap_or("invalid").to_owned();
                    sink.error(operand.pos, format!("invalid regular expression: {first}"));
                    return None;
                }
            }
        }
    };
    Some(Predicate::Compare {
        fact: fact.to_owned(),
        op,
        operand: Operand::Value(value),
        regex,
    })
}

/// Reads `examples:`, a list of `{expect, facts?, config?, profile?, note?}`; every fact
/// key must be in the catalogue and every value of the fact's type.
fn parse_examples(node: &Node, sink: &mut Sink<'_>) -> Vec<Example> {
    let Some(items) = node.as_seq() else {
        sink.error(
            node.pos,
            format!("`examples` must be a list, found {}", node.kind()),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let Some(f) = Fields::new(
            item,
            &["expect", "facts", "config", "profile", "note"],
            "an example",
            sink,
        ) else {
            continue;
        };
        let expect = f.required_str("expect", sink).and_then(|(e, pos)| {
            let status = [
                FindingStatus::Pass,
                FindingStatus::Warn,
                FindingStatus::Fail,
                FindingStatus::NotApplicable,
                FindingStatus::NotAssessed,
            ]
            .into_iter()
            .find(|s| s.as_str() == e);
            if status.is_none() {
                sink.error(
                    pos,
                    format!("unknown status `{e}`; expected pass, warn, fail, not-applicable or not-assessed"),
                );
            }
            status
        });
        let profile = f.optional_str("profile", sink);
        let note = f.optional_str("note", sink);
        let mut facts = Vec::new();
        for (section, prefix) in [
            ("facts", ""),
            ("config", catalogue::mattermost::CONFIG_PREFIX),
        ] {
            let Some(m) = f.get(section) else { continue };
            let Some(entries) = m.as_map() else {
                sink.error(
                    m.pos,
                    format!(
                        "`{section}` must be a mapping of fact to value, found {}",
                        m.kind()
                    ),
                );
                continue;
            };
            for (k, v) in entries {
                let Some(name) = k.as_str() else {
                    sink.error(k.pos, "fact keys must be strings");
                    continue;
                };
                let key = format!("{prefix}{name}");
                let Some(spec) = catalogue::spec(&key) else {
                    sink.error(
                        k.pos,
                        if section == "config" {
                            format!("unknown setting `{name}`: the settings catalogue has no such path")
                        } else {
                            format!("unknown fact `{name}`: the fact catalogue has no such key (`safeguard checks facts` lists them)")
                        },
                    );
                    continue;
                };
                let value = match (&v.value, spec.ty) {
                    (Value::Bool(b), FactType::Bool) => Some(FactValue::Bool(*b)),
                    (Value::Int(i), FactType::Int) => Some(FactValue::Int(*i)),
                    (Value::Str(s), FactType::Str) => Some(FactValue::Str(s.clone())),
                    (Value::Seq(items), FactType::StrList) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .map(FactValue::StrList),
                    _ => None,
                };
                match value {
                    Some(v) => {
                        if facts.iter().any(|(k, _)| *k == key) {
                            sink.error(k.pos, format!("fact `{key}` given twice"));
                        }
                        facts.push((key, v));
                    }
                    None => sink.error(
                        v.pos,
                        format!(
                            "`{key}` takes a value of type {}, found {}",
                            spec.ty,
                            v.kind()
                        ),
                    ),
                }
            }
        }
        if let Some(expect) = expect {
            out.push(Example {
                facts,
                expect,
                profile,
                note,
                line: item.pos.line,
            });
        }
    }
    out
}

fn param_fits_fact(p: ParamType, f: FactType) -> bool {
    matches!(
        (p, f),
        (ParamType::Bool, FactType::Bool)
            | (ParamType::Int, FactType::Int)
            | (ParamType::String, FactType::Str)
            | (ParamType::List, FactType::StrList)
    )
}

/// A list of strings.
pub fn string_list(node: &Node, what: &str, sink: &mut Sink<'_>) -> Vec<String> {
    let Some(items) = node.as_seq() else {
        sink.error(
            node.pos,
            format!("`{what}` must be a list of strings, found {}", node.kind()),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|i| match i.as_str() {
            Some(s) => Some(s.to_owned()),
            None => {
                sink.error(
                    i.pos,
                    format!("expected a string in `{what}`, found {}", i.kind()),
                );
                None
            }
        })
        .collect()
}

/// The keys of a YAML mapping, checked against the allowed set.
pub struct Fields<'a> {
    entries: &'a [(Node, Node)],
}

impl<'a> Fields<'a> {
    /// Reads `node` as a mapping whose keys are all in `allowed`; reports the rest.
    pub fn new(node: &'a Node, allowed: &[&str], what: &str, sink: &mut Sink<'_>) -> Option<Self> {
        let Some(entries) = node.as_map() else {
            sink.error(
                node.pos,
                format!("{what} must be a mapping, found {}", node.kind()),
            );
            return None;
        };
        let mut seen: Vec<&str> = Vec::new();
        for (k, _) in entries {
            match k.as_str() {
                Some(name) if allowed.contains(&name) => {
                    if seen.contains(&name) {
                        sink.error(k.pos, format!("key `{name}` given twice"));
                    }
                    seen.push(name);
                }
                Some(name) => sink.error(
                    k.pos,
                    format!(
                        "unknown key `{name}` in {what}; expected one of: {}",
                        allowed.join(", ")
                    ),
                ),
                None => sink.error(k.pos, "keys must be strings"),
            }
        }
        Some(Self { entries })
    }

    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }

    /// A required string, with its position.
    pub fn required_str(&self, key: &str, sink: &mut Sink<'_>) -> Option<(String, Pos)> {
        match self.get(key) {
            Some(n) => match n.as_str() {
                Some(s) if !s.trim().is_empty() => Some((s.to_owned(), n.pos)),
                Some(_) => {
                    sink.error(n.pos, format!("`{key}` must not be empty"));
                    None
                }
                None => {
                    sink.error(
                        n.pos,
                        format!("`{key}` must be a string, found {}", n.kind()),
                    );
                    None
                }
            },
            None => {
                let pos = self.entries.first().map(|(k, _)| k.pos).unwrap_or_default();
                sink.error(pos, format!("missing required key `{key}`"));
                None
            }
        }
    }

    pub fn optional_str(&self, key: &str, sink: &mut Sink<'_>) -> Option<String> {
        let n = self.get(key)?;
        match n.as_str() {
            Some(s) => Some(s.to_owned()),
            None => {
                sink.error(
                    n.pos,
                    format!("`{key}` must be a string, found {}", n.kind()),
                );
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_blanked_line_for_line() {
        let text = "title: T\nexamples:\n  - expect: pass\n    facts: {a: 1}\nwhen:\n  x: 1\n";
        let lean = without_examples(text);
        assert_eq!(lean, "title: T\n\n\n\nwhen:\n  x: 1\n");
        assert_eq!(without_examples("title: T\n"), "title: T\n");
    }

    fn diagnostics(rel: &str, text: &str) -> Vec<String> {
        let path = PathBuf::from(rel);
        match load_sources(&[(path, text.to_owned())]) {
            Ok(_) => vec![],
            Err(d) => d.iter().map(ToString::to_string).collect(),
        }
    }

    const GOOD: &str = "title: T\ndomain: push\nseverity: high\nremediation: {summary: S}\n\
        assert: {fact: mattermost.config.EmailSettings.SendPushNotifications, eq: true}\n";

    #[test]
    fn a_good_check_loads() {
        assert_eq!(
            diagnostics("checks/push/good.yaml", GOOD),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = "title: T\ndomain: push\nseverity: urgent\ncolour: red\nremediation: {summary: S}\n\
            parameters:\n  max: {type: int, default: \"ten\"}\n\
            assert:\n  all:\n    - {fact: mattermost.config.ServiceSettings.MaximumLoginAttempts, lte: \"10\"}\n\
            \x20   - {fact: no.such.fact, eq: true}\n\
            \x20   - {fact: mattermost.config.ServiceSettings.SiteURL, startswith: x}\n\
            \x20   - {fact: mattermost.config.ServiceSettings.SiteURL, matches: '('}\n\
            \x20   - {fact: mattermost.config.ServiceSettings.SiteURL, gt: 3}\n\
            \x20   - {fact: mattermost.config.ServiceSettings.SiteURL, eq: {param: nope}}\n";
        let d = diagnostics("checks/push/bad.yaml", text);
        let want = [
            "checks/push/bad.yaml:3:11: unknown severity `urgent`",
            "checks/push/bad.yaml:4:1: unknown key `colour`",
            "checks/push/bad.yaml:7:",
            "checks/push/bad.yaml:10:",
            "checks/push/bad.yaml:11:",
            "unknown fact `no.such.fact`",
            "unknown operator `startswith`",
            "invalid regular expression",
            "`gt` compares integers",
            "unknown parameter `nope`",
        ];
        for w in want {
            assert!(d.iter().any(|m| m.contains(w)), "missing {w:?} in {d:#?}");
        }
        assert!(d.len() >= 9, "{d:#?}");
    }

    #[test]
    fn domain_must_match_folder_and_ids_must_be_unique() {
        let d = diagnostics("checks/email/good.yaml", GOOD);
        assert!(d[0].contains("must match the folder"), "{d:?}");
        let sources = vec![
            (PathBuf::from("a/push/same.yaml"), GOOD.to_owned()),
            (PathBuf::from("b/push/same.yaml"), GOOD.to_owned()),
        ];
        let d = load_sources(&sources).unwrap_err();
        assert!(
            d[0].to_string().contains("duplicate check id `same`"),
            "{d:?}"
        );
    }

    #[test]
    fn examples_are_type_checked_with_their_place() {
        let text = format!(
            "{GOOD}examples:\n  - expect: pass\n    config: {{EmailSettings.SendPushNotifications: true}}\n\
             \x20 - expect: maybe\n    config: {{EmailSettings.SendPushNotifications: \"yes\"}}\n\
             \x20 - expect: fail\n    facts: {{no.such.fact: 1}}\n    colour: red\n"
        );
        let d = diagnostics("checks/push/ex.yaml", &text);
        let want = [
            "checks/push/ex.yaml:9:13: unknown status `maybe`",
            "checks/push/ex.yaml:10:51: `mattermost.config.EmailSettings.SendPushNotifications` takes a value of type bool, found a string",
            "checks/push/ex.yaml:12:13: unknown fact `no.such.fact`",
            "checks/push/ex.yaml:13:5: unknown key `colour` in an example",
        ];
        for w in want {
            assert!(
                d.iter().any(|m| m.starts_with(w)),
                "missing {w:?} in {d:#?}"
            );
        }
        let set = load_sources(&[(
            PathBuf::from("checks/push/ok.yaml"),
            format!("{GOOD}examples:\n  - {{expect: pass, config: {{EmailSettings.SendPushNotifications: true}}}}\n"),
        )])
        .unwrap();
        let ex = &set.get("ok").unwrap().examples[0];
        assert_eq!(ex.expect, FindingStatus::Pass);
        assert_eq!(
            ex.facts,
            vec![(
                "mattermost.config.EmailSettings.SendPushNotifications".to_owned(),
                FactValue::Bool(true)
            )]
        );
    }

    #[test]
    fn yaml_syntax_errors_have_a_place() {
        let d = diagnostics("checks/push/x.yaml", "title: [unclosed\n");
        assert!(d[0].starts_with("checks/push/x.yaml:"), "{d:?}");
        assert!(d[0].contains("invalid YAML"), "{d:?}");
    }
}
