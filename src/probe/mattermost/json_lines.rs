//! Where each key of a JSON document is, so facts from `config.json` can cite
//! `file:line:column`. serde_json keeps no positions; this small scanner walks text that
//! serde_json has already accepted and records the position of every object key by its
//! dotted path (`ServiceSettings.SiteURL`; list elements appear as `[]`).

use std::collections::HashMap;

/// Line and column (1-based) of a key.
pub type Position = (usize, usize);

/// Positions of every object key, by dotted path. The input must be valid JSON.
pub fn key_positions(text: &str) -> HashMap<String, Position> {
    let mut out = HashMap::new();
    // For each open container: Some(path prefix) for an object, None for an array.
    let mut stack: Vec<(bool, String)> = Vec::new();
    let mut pending_key: Option<String> = None;
    let mut expect_key = false;
    let (mut line, mut col) = (1usize, 0usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
            col = 0;
            continue;
        }
        col += 1;
        match c {
            '{' | '[' => {
                let prefix = child_prefix(&stack, pending_key.take());
                stack.push((c == '{', prefix));
                expect_key = c == '{';
            }
            '}' | ']' => {
                stack.pop();
                expect_key = false;
            }
            ',' => expect_key = stack.last().is_some_and(|(is_obj, _)| *is_obj),
            '"' => {
                let (start_line, start_col) = (line, col);
                let mut s = String::new();
                while let Some(d) = chars.next() {
                    col += 1;
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                col += 1;
                                s.push(match e {
                                    'n' => '\n',
                                    't' => '\t',
                                    other => other,
                                });
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            col = 0;
                        }
                        other => s.push(other),
                    }
                }
                if expect_key {
                    let path = match stack.last() {
                        Some((_, prefix)) if !prefix.is_empty() => format!("{prefix}.{s}"),
                        _ => s.clone(),
                    };
                    out.entry(path).or_insert((start_line, start_col));
                    pending_key = Some(s);
                    expect_key = false;
                }
            }
            _ => {}
        }
    }
    out
}

fn child_prefix(stack: &[(bool, String)], key: Option<String>) -> String {
    let parent = stack.last().map(|(_, p)| p.as_str()).unwrap_or("");
    let seg = match (stack.last(), key) {
        (Some((true, _)), Some(k)) => k,
        (Some((false, _)), _) => "[]".to_owned(),
        _ => String::new(),
    };
    match (parent.is_empty(), seg.is_empty()) {
        (_, true) => parent.to_owned(),
        (true, false) => seg,
        (false, false) => format!("{parent}.{seg}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_with_lines() {
        let text = "{\n  \"A\": {\n    \"B\": 1,\n    \"C\": [\"x\", {\"D\": \"y\\\"\"}]\n  },\n  \"E\": true\n}";
        let pos = key_positions(text);
        assert_eq!(pos["A"], (2, 3));
        assert_eq!(pos["A.B"], (3, 5));
        assert_eq!(pos["A.C"], (4, 5));
        assert_eq!(pos["A.C.[].D"].0, 4);
        assert_eq!(pos["E"], (6, 3));
    }
}
