//! What makes a report something an auditor can rely on, on the command line: waivers
//! and attestations (`--waivers`, `--attestations`), digests of every input file, the
//! ed25519 signature (`--sign`, `safeguard keygen`, `safeguard verify`), and gating on
//! regressions only (`--baseline OLD.json --fail-on-new`).
//!
//! The judging is elsewhere (`records`, `assess`, `report::integrity`); this file reads
//! files and keys and wires them to the report.

use super::Exit;
use crate::records::Records;
use crate::report::integrity;
use crate::report::{InputDigest, Report};
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};

/// Flags shared by `scan` and `report`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Assurance {
    /// Documented exceptions: YAML with a top-level `waivers:` list (check or paragraph,
    /// optional subject, justification, approved_by, expires).
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Attestations of manual items: YAML with a top-level `attestations:` list (item,
    /// statement, attested_by, date, evidence, expires).
    #[arg(long, value_name = "FILE")]
    pub attestations: Option<PathBuf>,
    /// Sign the report with this ed25519 private key (PKCS#8 PEM, from `safeguard keygen`).
    #[arg(long, value_name = "KEYFILE")]
    pub sign: Option<PathBuf>,
    /// A previous JSON report: the gate can judge regressions against it (--fail-on-new).
    #[arg(long, value_name = "OLD.json")]
    pub baseline: Option<PathBuf>,
    /// Fail the gate only on failing findings that the baseline did not have.
    #[arg(long, requires = "baseline")]
    pub fail_on_new: bool,
}

fn read(path: &Path, what: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {what} {}", path.display()))
}

impl Assurance {
    /// Reads and parses the waiver and attestation files; every problem, with its place.
    pub fn records(&self) -> anyhow::Result<Records> {
        let mut records = Records::default();
        let mut problems: Vec<String> = Vec::new();
        if let Some(p) = &self.waivers {
            match crate::records::parse_waivers(p, &read(p, "--waivers")?) {
                Ok(w) => records.waivers = w,
                Err(d) => problems.extend(d.iter().map(ToString::to_string)),
            }
        }
        if let Some(p) = &self.attestations {
            match crate::records::parse_attestations(p, &read(p, "--attestations")?) {
                Ok(a) => records.attestations = a,
                Err(d) => problems.extend(d.iter().map(ToString::to_string)),
            }
        }
        if !problems.is_empty() {
            bail!(
                "{} problem{} found:\n  {}",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                problems.join("\n  ")
            );
        }
        Ok(records)
    }

    /// After assessment: input digests, regression gating, signature.
    pub fn finish(&self, report: &mut Report) -> anyhow::Result<()> {
        add_input_digests(report, self);
        self.finish_without_inputs(report)
    }

    /// [`Self::finish`] for a re-assessed saved report, whose input digests are the scan's.
    pub fn finish_without_inputs(&self, report: &mut Report) -> anyhow::Result<()> {
        if let Some(b) = &self.baseline {
            let old = crate::report::read_json(&read(b, "--baseline")?)
                .map_err(|e| anyhow::anyhow!("{}: {e}", b.display()))?;
            let d = crate::report::diff::diff(&old, report);
            let new_failing: Vec<String> = d
                .new_failures
                .iter()
                .filter(|c| c.severity >= report.gate.fail_on && !c.waived)
                .map(|c| c.key.clone())
                .collect();
            report.baseline = Some(crate::report::BaselineRef {
                path: b.display().to_string(),
                generated_at: old.generated_at.clone(),
                new_failures: d.new_failures.iter().map(|c| c.key.clone()).collect(),
                fixed: d.fixed.iter().map(|c| c.key.clone()).collect(),
                gate_on_new_only: self.fail_on_new,
            });
            if self.fail_on_new {
                report.gate.passed = new_failing.is_empty();
            }
        }
        if let Some(k) = &self.sign {
            let key = integrity::load_signing_key(&read(k, "--sign key")?)
                .map_err(|e| anyhow::anyhow!("{}: {e}", k.display()))?;
            integrity::sign(report, &key);
        }
        Ok(())
    }
}

/// Digests of every file the report was made from: its targets that are files, every
/// file its evidence cites (`FILE:LINE:COL`), and the waiver and attestation files.
pub fn add_input_digests(report: &mut Report, a: &Assurance) {
    let mut seen: Vec<(String, String)> = Vec::new();
    for t in &report.targets {
        if Path::new(&t.location).is_file() {
            seen.push((t.kind.clone(), t.location.clone()));
        }
    }
    for f in &report.evidence.facts {
        if let Some((path, _, _)) = crate::report::sarif::split_source(&f.provenance.source)
            && Path::new(path).is_file()
            && !seen.iter().any(|(_, p)| p == path)
        {
            seen.push(("evidence-source".into(), path.to_owned()));
        }
    }
    for (role, path) in seen {
        push_digest(report, &role, &path);
    }
    add_record_digests(report, a);
}

/// Digests of the waiver and attestation files given.
pub fn add_record_digests(report: &mut Report, a: &Assurance) {
    for (role, p) in [("waivers", &a.waivers), ("attestations", &a.attestations)] {
        if let Some(p) = p {
            push_digest(report, role, &p.display().to_string());
        }
    }
}

fn push_digest(report: &mut Report, role: &str, path: &str) {
    if let Ok(bytes) = std::fs::read(path) {
        report.integrity.inputs.push(InputDigest {
            role: role.to_owned(),
            path: path.to_owned(),
            sha256: crate::report::sha256(&bytes),
        });
    }
}

/// Arguments of `safeguard keygen`.
#[derive(Debug, clap::Args)]
pub struct KeygenArgs {
    /// Where to write the private key (mode 0600); the public key goes to PATH.pub.
    pub path: PathBuf,
}

/// Runs `safeguard keygen`.
pub fn keygen(args: &KeygenArgs) -> anyhow::Result<Exit> {
    let pubpath = PathBuf::from(format!("{}.pub", args.path.display()));
    for p in [&args.path, &pubpath] {
        if p.exists() {
            bail!("{} exists; not overwriting a key", p.display());
        }
    }
    let (private_pem, public_pem) = integrity::generate_pem().map_err(anyhow::Error::msg)?;
    write_private(&args.path, private_pem.as_bytes())?;
    std::fs::write(&pubpath, public_pem)
        .with_context(|| format!("cannot write {}", pubpath.display()))?;
    #[allow(clippy::print_stdout)]
    {
        println!(
            "wrote {} (private, mode 0600) and {}",
            args.path.display(),
            pubpath.display()
        );
    }
    Ok(Exit::Ok)
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Arguments of `safeguard verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// A signed JSON report.
    pub report: PathBuf,
    /// The signer's public key (PEM, `PATH.pub` from `safeguard keygen`).
    #[arg(long, value_name = "PUBKEY")]
    pub key: PathBuf,
}

/// Runs `safeguard verify`: exit 0 when the signature holds and nothing changed, 1 when
/// something was changed (each named), 2 when the files cannot be read.
pub fn verify(args: &VerifyArgs) -> anyhow::Result<Exit> {
    let text = read(&args.report, "report")?;
    let key = integrity::load_verifying_key(&read(&args.key, "--key")?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.key.display()))?;
    let outcome = integrity::verify(&text, &key, &|p| std::fs::read(p).ok())
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.report.display()))?;
    #[allow(clippy::print_stdout)]
    {
        for n in &outcome.notes {
            println!("note: {n}");
        }
        if outcome.problems.is_empty() {
            println!(
                "verified: {} is signed by this key and unchanged; {} input file(s) match",
                args.report.display(),
                outcome.inputs_checked
            );
            return Ok(Exit::Ok);
        }
        println!("NOT VERIFIED: {}", args.report.display());
        for p in &outcome.problems {
            println!("  - {p}");
        }
    }
    Ok(Exit::GateFailed)
}
