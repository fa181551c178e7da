//! Embeds the built-in checks and profiles in the binary, so `safeguard` runs anywhere
//! without a data directory beside it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn yaml_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if depth > 1 {
                yaml_files(&path, depth - 1, out);
            }
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
}

fn table(name: &str, root: &Path, rel: &str, depth: usize, code: &mut String) {
    let dir = root.join(rel);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    yaml_files(&dir, depth, &mut files);
    files.sort();
    let _ = writeln!(code, "pub static {name}: &[(&str, &str)] = &[");
    for f in files {
        println!("cargo:rerun-if-changed={}", f.display());
        let relative = f
            .strip_prefix(root)
            .unwrap_or(&f)
            .to_string_lossy()
            .replace('\\', "/");
        let _ = writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            f.display().to_string()
        );
    }
    let _ = writeln!(code, "];");
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let mut code = String::new();
    table("CHECKS", &root, "checks", 2, &mut code);
    table("PROFILES", &root, "profiles", 1, &mut code);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin.rs");
    std::fs::write(out, code).expect("write builtin.rs");
}
