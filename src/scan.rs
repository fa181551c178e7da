//! A scan, end to end: load the checks and profiles, run the registered probes phase by
//! phase over the request's targets (concurrently, each job bounded in time), assess the
//! evidence and package the report. This module only orchestrates: it knows the probe
//! interface, never a particular probe; probes own their protocols, `assess` the
//! verdicts and `report` the presentation.

use crate::assess;
use crate::check::{self, CheckSet, Severity};
use crate::diag::{Diagnostic, Diagnostics};
use crate::evidence::{AttemptOutcome, Evidence, ProbeAttempt};
use crate::probe::{InputError, Job, Phase, ProbeContext, REGISTRY, Target};
use crate::profile::{self, Profile, ProfileSet};
use crate::report::{self, Report, TargetRef};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The checks and profiles in force: built-ins, overlaid by user directories.
#[derive(Debug, Clone)]
pub struct Content {
    pub checks: CheckSet,
    pub profiles: ProfileSet,
}

/// Loads built-in content and the optional user directories, checks' examples included
/// (`checks test`, `checks lint`); every problem is returned.
pub fn load_content(
    checks_dir: Option<&Path>,
    profiles_dir: Option<&Path>,
) -> Result<Content, Diagnostics> {
    load_content_with(checks_dir, profiles_dir, false)
}

/// [`load_content`] for a scan: the checks' examples are not read.
pub fn load_content_for_scan(
    checks_dir: Option<&Path>,
    profiles_dir: Option<&Path>,
) -> Result<Content, Diagnostics> {
    load_content_with(checks_dir, profiles_dir, true)
}

fn load_content_with(
    checks_dir: Option<&Path>,
    profiles_dir: Option<&Path>,
    for_scan: bool,
) -> Result<Content, Diagnostics> {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let builtin = if for_scan {
        check::load_builtin_for_scan()
    } else {
        check::load_builtin()
    };
    let mut checks = builtin.unwrap_or_else(|d| {
        diags.extend(d);
        CheckSet::default()
    });
    if let Some(dir) = checks_dir {
        let user = if for_scan {
            check::load_dir_for_scan(dir)
        } else {
            check::load_dir(dir)
        };
        match user {
            Ok(user) => checks.overlay(user),
            Err(d) => diags.extend(d),
        }
    }
    let mut profiles = profile::load_builtin(&checks).unwrap_or_else(|d| {
        diags.extend(d);
        ProfileSet::default()
    });
    if let Some(dir) = profiles_dir {
        match profile::load_dir(dir, &checks) {
            Ok(user) => profiles.overlay(user),
            Err(d) => diags.extend(d),
        }
    }
    if diags.is_empty() {
        Ok(Content { checks, profiles })
    } else {
        Err(Diagnostics(diags))
    }
}

impl Content {
    /// The profile with `id`, or an error listing the ones there are.
    pub fn profile(&self, id: &str) -> Result<&Profile, String> {
        self.profiles.get(id).ok_or_else(|| {
            let known: Vec<&str> = self.profiles.profiles.keys().map(String::as_str).collect();
            format!(
                "unknown profile `{id}`; known profiles: {}",
                known.join(", ")
            )
        })
    }
}

/// What to scan: the targets and the context every probe shares.
#[derive(Debug, Clone, Default)]
pub struct ScanRequest {
    pub targets: Vec<Target>,
    pub context: ProbeContext,
}

/// Why a scan could not start: invalid input.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Input(#[from] InputError),
    #[error("{0}")]
    Runtime(String),
}

/// Runs the probes phase by phase and gathers their evidence. Within a phase, jobs run
/// concurrently (at most `context.concurrency` at once), each bounded in time; one that
/// fails, panics or overruns becomes a failed attempt in the evidence, never an error
/// here. Evidence is merged in plan order, so reports are reproducible.
pub fn collect(request: &ScanRequest) -> Result<Evidence, ScanError> {
    let ctx = &request.context;
    let mut evidence = Evidence::default();
    for phase in Phase::ALL {
        let mut jobs: Vec<Job> = Vec::new();
        for probe in REGISTRY.iter().filter(|p| p.about().phase == phase) {
            for job in probe.plan(&request.targets, &evidence, ctx) {
                let duplicate = jobs
                    .iter()
                    .any(|j| j.probe == job.probe && j.subject == job.subject);
                if !duplicate {
                    jobs.push(job);
                }
            }
        }
        if jobs.is_empty() {
            continue;
        }
        // One job needs no worker threads (a config-only scan stays one thread); several
        // run on two workers, the machine size the project plans for.
        let rt = if jobs.len() == 1 {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
        } else {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
        }
        .map_err(|e| ScanError::Runtime(format!("cannot start the network runtime: {e}")))?;
        let found = rt.block_on(run_jobs(jobs, ctx));
        // Do not wait for the connection tasks of a hostile peer to wind down.
        rt.shutdown_timeout(Duration::from_millis(100));
        let found = found?;
        evidence.extend(found);
    }
    for probe in REGISTRY {
        probe.finish(&mut evidence);
    }
    Ok(evidence)
}

/// The longest one job may take before it is reported as failed: its probe bounds each
/// network step by the context's timeout, so this only catches a probe that hangs.
fn job_deadline(ctx: &ProbeContext) -> Duration {
    (ctx.timeout * 12).max(Duration::from_secs(60))
}

async fn run_jobs(jobs: Vec<Job>, ctx: &ProbeContext) -> Result<Evidence, ScanError> {
    let limit = Arc::new(tokio::sync::Semaphore::new(ctx.concurrency.max(1)));
    let deadline = job_deadline(ctx);
    let mut handles = Vec::new();
    for job in jobs {
        let limit = limit.clone();
        let Job {
            probe,
            subject,
            covers,
            work,
        } = job;
        let handle = tokio::spawn(async move {
            let _permit = limit.acquire_owned().await;
            tokio::time::timeout(deadline, work).await
        });
        handles.push((probe, subject, covers, handle));
    }
    let mut out = Evidence::default();
    for (probe, subject, covers, handle) in handles {
        let failed = |reason: String| ProbeAttempt {
            probe: probe.to_owned(),
            subject: subject.clone(),
            outcome: AttemptOutcome::Failed { reason },
            covers: covers.iter().map(|c| (*c).to_owned()).collect(),
            notes: Vec::new(),
        };
        match handle.await {
            Ok(Ok(Ok(ev))) => out.extend(ev),
            Ok(Ok(Err(input))) => return Err(ScanError::Input(input)),
            Ok(Err(_)) => out.attempts.push(failed(format!(
                "did not finish within {} s",
                deadline.as_secs()
            ))),
            // A probe that panicked is a probe that failed, for that subject only.
            Err(e) => out.attempts.push(failed(format!("internal error: {e}"))),
        }
    }
    Ok(out)
}

/// The targets block of the report.
pub fn targets_of(request: &ScanRequest) -> Vec<TargetRef> {
    request
        .targets
        .iter()
        .flat_map(Target::describe)
        .map(|(kind, location)| TargetRef {
            kind: kind.to_owned(),
            location,
        })
        .collect()
}

/// Collects the evidence, assesses it under `profile` and packages the report.
pub fn run(
    request: &ScanRequest,
    content: &Content,
    profile: &Profile,
    fail_on: Severity,
) -> Result<Report, ScanError> {
    run_with_records(
        request,
        content,
        profile,
        fail_on,
        &crate::records::Records::default(),
    )
}

/// [`run`], with waivers and attestations applied (expiry judged on today's date).
pub fn run_with_records(
    request: &ScanRequest,
    content: &Content,
    profile: &Profile,
    fail_on: Severity,
    records: &crate::records::Records,
) -> Result<Report, ScanError> {
    let evidence = collect(request)?;
    let today = time::OffsetDateTime::now_utc().date();
    let assessment =
        assess::assess_with_records(profile, &content.checks, &evidence, fail_on, records, today);
    Ok(report::build(
        profile,
        assessment,
        evidence,
        targets_of(request),
        crate::evidence::now_rfc3339(),
    ))
}
