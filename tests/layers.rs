//! The layering rule of `docs/architecture.md`, enforced: the judging and presenting
//! layers (check, profile, assess, report) import no probe, and probes import none of
//! them. Both sides meet only in the fact catalogue and the evidence.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn offenders(layer: &[&str], forbidden: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for l in layer {
        let p = src.join(l);
        if p.is_dir() {
            rust_files(&p, &mut files);
        } else {
            files.push(p.with_extension("rs"));
        }
    }
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for m in forbidden {
                if line.contains(&format!("crate::{m}::"))
                    || line.contains(&format!("crate::{m};"))
                    || line.contains(&format!("crate::{m}}}"))
                    || line.contains(&format!("crate::{{{m}"))
                {
                    bad.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
                }
            }
        }
    }
    bad
}

#[test]
fn judging_and_presenting_layers_import_no_probe() {
    let bad = offenders(
        &["check", "profile", "assess", "records", "report"],
        &["probe", "scan", "cli"],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn probes_import_no_judging_or_presenting_layer() {
    let bad = offenders(
        &["probe", "catalogue", "evidence"],
        &[
            "check", "profile", "assess", "records", "report", "scan", "cli",
        ],
    );
    assert!(bad.is_empty(), "{bad:#?}");
}
