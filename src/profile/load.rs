//! Loading profile files and validating them against the checks they name.

use super::{Designation, ManualItem, Profile, ProfileStatus, Requirement};
use crate::check::CheckSet;
use crate::check::load::{Fields, is_valid_id, param_value, read_yaml_tree, string_list};
use crate::diag::{Diagnostic, Pos, Sink};
use crate::yaml;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Profiles by id.
#[derive(Debug, Clone, Default)]
pub struct ProfileSet {
    pub profiles: BTreeMap<String, Profile>,
}

impl ProfileSet {
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.profiles.get(id)
    }

    pub fn overlay(&mut self, other: Self) {
        self.profiles.extend(other.profiles);
    }
}

/// Loads the built-in profiles, validated against `checks`.
pub fn load_builtin(checks: &CheckSet) -> Result<ProfileSet, Vec<Diagnostic>> {
    let sources: Vec<(PathBuf, String)> = crate::check::load::builtin_profile_sources()
        .iter()
        .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
        .collect();
    load_sources(&sources, checks)
}

/// Loads every `*.yaml` in `dir`, validated against `checks`.
pub fn load_dir(dir: &Path, checks: &CheckSet) -> Result<ProfileSet, Vec<Diagnostic>> {
    let sources = read_yaml_tree(dir, 1)?;
    load_sources(&sources, checks)
}

/// Validates profile files.
pub fn load_sources(
    sources: &[(PathBuf, String)],
    checks: &CheckSet,
) -> Result<ProfileSet, Vec<Diagnostic>> {
    let mut set = ProfileSet::default();
    let mut diags = Vec::new();
    for (path, text) in sources {
        let mut sink = Sink::new(path);
        if let Some(p) = parse_profile(path, text, checks, &mut sink) {
            set.profiles.insert(p.id.clone(), p);
        }
        diags.extend(sink.diagnostics);
    }
    if diags.is_empty() {
        Ok(set)
    } else {
        Err(diags)
    }
}

const PROFILE_KEYS: &[&str] = &[
    "title",
    "version",
    "status",
    "notice",
    "basis",
    "parameters",
    "min-coverage",
    "requirements",
];

/// Parses one profile; problems go to `sink`.
pub fn parse_profile(
    path: &Path,
    text: &str,
    checks: &CheckSet,
    sink: &mut Sink<'_>,
) -> Option<Profile> {
    let before = sink.diagnostics.len();
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    if !is_valid_id(&id) {
        sink.error(
            Pos::default(),
            format!("profile id `{id}` (the file name) must be lower-case letters, digits and `-`"),
        );
    }
    let root = match yaml::parse(text) {
        Ok(n) => n,
        Err((pos, msg)) => {
            sink.error(pos, format!("invalid YAML: {msg}"));
            return None;
        }
    };
    let fields = Fields::new(&root, PROFILE_KEYS, "a profile", sink)?;
    let title = fields.required_str("title", sink);
    let version = match fields.get("version") {
        Some(n) => match n.value {
            yaml::Value::Int(v) if v > 0 => Some(v),
            _ => {
                sink.error(
                    n.pos,
                    format!("`version` must be a positive integer, found {}", n.kind()),
                );
                None
            }
        },
        None => {
            sink.error(root.pos, "missing required key `version`");
            None
        }
    };
    let status = fields
        .required_str("status", sink)
        .and_then(|(s, pos)| match s.as_str() {
            "in-force" => Some(ProfileStatus::InForce),
            "proposed" => Some(ProfileStatus::Proposed),
            _ => {
                sink.error(
                    pos,
                    format!("unknown status `{s}`; expected in-force or proposed"),
                );
                None
            }
        });
    let min_coverage = match fields.get("min-coverage") {
        None => None,
        Some(n) => match n.value {
            yaml::Value::Int(v) if (0..=100).contains(&v) => Some(v),
            _ => {
                sink.error(
                    n.pos,
                    format!(
                        "`min-coverage` must be a percentage, an integer from 0 to 100, found {}",
                        n.kind()
                    ),
                );
                None
            }
        },
    };
    let notice = fields.optional_str("notice", sink);
    let basis = fields.optional_str("basis", sink);
    if status == Some(ProfileStatus::Proposed) && notice.is_none() {
        sink.error(
            root.pos,
            "a proposed profile needs a `notice` saying it is not law",
        );
    }
    // Parameters: each must be declared by some check the profile uses, with its type.
    let mut parameters = BTreeMap::new();
    let mut param_nodes = Vec::new();
    if let Some(node) = fields.get("parameters") {
        match node.as_map() {
            Some(entries) => param_nodes.extend(entries.iter()),
            None => sink.error(
                node.pos,
                format!("`parameters` must be a mapping, found {}", node.kind()),
            ),
        }
    }
    let mut requirements = Vec::new();
    let mut used_checks: Vec<String> = Vec::new();
    match fields.get("requirements") {
        Some(node) => match node.as_seq() {
            Some(items) if !items.is_empty() => {
                let mut seen_ids: Vec<String> = Vec::new();
                for item in items {
                    if let Some(r) = parse_requirement(item, checks, sink) {
                        if seen_ids.contains(&r.id) {
                            sink.error(item.pos, format!("requirement `{}` listed twice", r.id));
                        }
                        seen_ids.push(r.id.clone());
                        used_checks.extend(r.checks.iter().cloned());
                        requirements.push(r);
                    }
                }
            }
            _ => sink.error(node.pos, "`requirements` must be a non-empty list"),
        },
        None => sink.error(root.pos, "missing required key `requirements`"),
    }
    for (k, v) in param_nodes {
        let Some(name) = k.as_str() else {
            sink.error(k.pos, "parameter names must be strings");
            continue;
        };
        let declared = used_checks
            .iter()
            .filter_map(|c| checks.get(c))
            .find_map(|c| c.parameters.get(name).map(|p| p.ty))
            .or_else(|| {
                checks
                    .checks
                    .values()
                    .find_map(|c| c.parameters.get(name).map(|p| p.ty))
            });
        let Some(ty) = declared else {
            sink.error(
                k.pos,
                format!("unknown parameter `{name}`: no check declares it"),
            );
            continue;
        };
        if let Some(value) = param_value(v, ty, sink) {
            parameters.insert(name.to_owned(), value);
        }
    }
    if sink.diagnostics.len() > before {
        return None;
    }
    Some(Profile {
        id,
        title: title?.0,
        version: version?,
        status: status?,
        notice,
        basis,
        parameters,
        min_coverage,
        requirements,
        source: path.display().to_string(),
    })
}

fn parse_requirement(
    node: &yaml::Node,
    checks: &CheckSet,
    sink: &mut Sink<'_>,
) -> Option<Requirement> {
    let fields = Fields::new(
        node,
        &["id", "title", "designation", "checks", "manual"],
        "a requirement",
        sink,
    )?;
    let id = fields.required_str("id", sink);
    let title = fields.required_str("title", sink);
    let designation = fields.required_str("designation", sink).and_then(|(d, pos)| {
        Designation::parse(&d).or_else(|| {
            sink.error(pos, format!("unknown designation `{d}`; expected standard, required, addressable or rule"));
            None
        })
    });
    let mut check_ids = Vec::new();
    if let Some(list) = fields.get("checks") {
        let items = list.as_seq().unwrap_or_default();
        let ids = string_list(list, "checks", sink);
        for (i, c) in ids.into_iter().enumerate() {
            let pos = items.get(i).map(|n| n.pos).unwrap_or(list.pos);
            if checks.get(&c).is_none() {
                sink.error(
                    pos,
                    format!("unknown check `{c}`: no check file has that id"),
                );
            } else if check_ids.contains(&c) {
                sink.error(pos, format!("check `{c}` listed twice in this requirement"));
            } else {
                check_ids.push(c);
            }
        }
    }
    let mut manual = Vec::new();
    if let Some(list) = fields.get("manual") {
        match list.as_seq() {
            Some(items) => {
                for item in items {
                    let Some(f) = Fields::new(item, &["id", "prompt"], "a manual item", sink)
                    else {
                        continue;
                    };
                    if let (Some(mid), Some(prompt)) =
                        (f.required_str("id", sink), f.required_str("prompt", sink))
                    {
                        manual.push(ManualItem {
                            id: mid.0,
                            prompt: prompt.0,
                        });
                    }
                }
            }
            None => sink.error(list.pos, "`manual` must be a list"),
        }
    }
    if fields.get("checks").is_none() && fields.get("manual").is_none() {
        sink.error(node.pos, "a requirement needs `checks`, `manual`, or both");
    }
    Some(Requirement {
        id: id?.0,
        title: title?.0,
        designation: designation?,
        checks: check_ids,
        manual,
    })
}
