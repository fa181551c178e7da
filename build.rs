//! Embeds the built-in checks, profiles and report templates in the binary, so `safeguard` runs anywhere
//! without a data directory beside it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files_with(dir: &Path, depth: usize, exts: &[&str], out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if depth > 1 {
                files_with(&path, depth - 1, exts, out);
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(path);
        }
    }
}

fn table(name: &str, root: &Path, rel: &str, depth: usize, code: &mut String) {
    table_of(name, root, rel, depth, &["yaml", "yml"], code);
}

fn table_of(name: &str, root: &Path, rel: &str, depth: usize, exts: &[&str], code: &mut String) {
    let dir = root.join(rel);
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files = Vec::new();
    files_with(&dir, depth, exts, &mut files);
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
    table_of("TEMPLATES", &root, "reports", 1, &["j2"], &mut code);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("builtin.rs");
    std::fs::write(out, code).expect("write builtin.rs");
}
