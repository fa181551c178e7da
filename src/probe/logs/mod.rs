//! Logs probe: what Mattermost's server log and audit log files on the host really hold —
//! how far back they reach, where they break off, which levels and audit event
//! categories they contain — read as a stream, `.gz` included, in flat memory.
//!
//! It runs in the endpoints phase so that it can follow the effective configuration the
//! config probe produced (`LogSettings.FileLocation`, `ExperimentalAuditSettings.FileName`,
//! advanced-logging file targets) to the files. Where the files are is worked out in
//! [`locate`], shared with the host probe (permissions, encryption at rest).
//!
//! What does not belong here: judging the facts (checks under `checks/logs/`), file
//! permissions and encryption (`probe::host`).

pub mod audit;
pub mod discover;
pub mod locate;
pub mod read;
pub mod timeline;

use crate::catalogue::family;
use crate::catalogue::logs as cat;
use crate::evidence::{AttemptOutcome, Evidence, FactMaker, FactValue};
use discover::{Found, Kind, LogFile};
use locate::Locations;
use read::Line;
use std::fs::File;
use timeline::{Timeline, rfc3339};

/// The probe id, in provenance and attempts.
pub const ID: &str = "logs";

const COVERS: &[&str] = &[family::LOGS];

/// The registry entry.
#[derive(Debug)]
pub struct LogsProbe;

impl super::Probe for LogsProbe {
    fn about(&self) -> &'static super::About {
        const ABOUT: super::About = super::About {
            id: ID,
            description: "Reads Mattermost's server and audit log files (rotated and .gz included): span, gaps, levels, audit event coverage",
            phase: super::Phase::Endpoints,
            families: COVERS,
        };
        &ABOUT
    }
    fn plan(
        &self,
        targets: &[super::Target],
        found: &Evidence,
        _ctx: &super::ProbeContext,
    ) -> Vec<super::Job> {
        let Some(loc) = Locations::resolve(targets, found) else {
            return Vec::new();
        };
        vec![super::Job {
            probe: ID,
            subject: None,
            covers: COVERS,
            work: Box::pin(async move {
                let now = now_ms();
                match tokio::task::spawn_blocking(move || collect(&loc, now)).await {
                    Ok(ev) => Ok(ev),
                    Err(e) => {
                        let mut ev = Evidence::default();
                        ev.attempts.push(FactMaker::new(ID, None).attempt(
                            AttemptOutcome::Failed {
                                reason: format!("internal error: {e}"),
                            },
                            COVERS,
                        ));
                        Ok(ev)
                    }
                }
            }),
        }]
    }
}

/// The current time, Unix milliseconds.
pub fn now_ms() -> i64 {
    let t = time::OffsetDateTime::now_utc();
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// What a level means to the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LevelKind {
    Debug,
    WarnOrError,
    Other,
}

/// A level seen, as first written, with how often.
#[derive(Debug)]
struct LevelSeen {
    name: Vec<u8>,
    kind: LevelKind,
    count: u64,
}

/// What reading one log (all its files) added up to.
#[derive(Debug, Default)]
struct Tally {
    timeline: Timeline,
    non_log: u64,
    levels: Vec<LevelSeen>,
    debug: u64,
    audit_failures: u64,
    categories: u32,
    without_ip: u64,
}

impl Tally {
    /// Counts a level; few distinct levels exist, so the exact byte comparison with the
    /// spelling first seen almost always decides.
    fn level(&mut self, level: &[u8]) -> LevelKind {
        if let Some(e) = self.levels.iter_mut().find(|e| e.name == level) {
            e.count += 1;
            return e.kind;
        }
        if let Some(e) = self
            .levels
            .iter_mut()
            .find(|e| e.name.eq_ignore_ascii_case(level))
        {
            e.count += 1;
            return e.kind;
        }
        let is = |n: &[u8]| level.eq_ignore_ascii_case(n);
        let kind = if is(b"debug") || is(b"trace") {
            LevelKind::Debug
        } else if is(b"warn") || is(b"error") {
            LevelKind::WarnOrError
        } else {
            LevelKind::Other
        };
        if self.levels.len() < 64 {
            self.levels.push(LevelSeen {
                name: level.to_ascii_lowercase(),
                kind,
                count: 1,
            });
        }
        kind
    }

    fn server_line(&mut self, line: &[u8]) {
        match read::parse(line) {
            Line::Log { ms, level, msg } => {
                self.timeline.push(ms);
                if level.is_empty() {
                    return;
                }
                match self.level(level) {
                    LevelKind::Debug => self.debug += 1,
                    LevelKind::WarnOrError if is_audit_failure(msg) => self.audit_failures += 1,
                    _ => {}
                }
            }
            Line::Continuation => {}
            Line::Other => self.non_log += 1,
        }
    }

    fn audit_line(&mut self, line: &[u8]) {
        let ms = match read::parse(line) {
            Line::Log { ms, .. } => ms,
            Line::Continuation => return,
            Line::Other => {
                self.non_log += 1;
                return;
            }
        };
        let Some(rec) = read::audit_fields(line) else {
            self.non_log += 1;
            return;
        };
        self.timeline.push(ms);
        self.categories |= audit::categorize(rec.event, rec.status);
        if !rec.server_side && rec.ip.is_none_or(|ip| ip.is_empty()) {
            self.without_ip += 1;
        }
    }
}

/// Messages Mattermost logs when audit records are lost (MM `server/channels/app/audit.go`,
/// `server/channels/audit/audit.go`).
fn is_audit_failure(msg: &[u8]) -> bool {
    msg.starts_with(b"Audit queue full")
        || msg.starts_with(b"Audit Error")
        || msg.starts_with(b"Auditing error")
        || msg.starts_with(b"Audit logging queue full")
}

/// Reads one file into `tally`: the log lines it held, or why it could not be read to
/// the end (what was read before still counts).
fn read_file(f: &LogFile, tally: &mut Tally) -> Result<u64, String> {
    let file = File::open(&f.path).map_err(|e| format!("cannot open: {e}"))?;
    let before = tally.timeline.count;
    let audit = f.kind == Kind::Audit;
    let mut on_line = |line: &[u8]| {
        if audit {
            tally.audit_line(line)
        } else {
            tally.server_line(line)
        }
    };
    let result = if f.gz {
        read::for_each_line(flate2::read::MultiGzDecoder::new(file), &mut on_line)
    } else {
        read::for_each_line(file, &mut on_line)
    };
    tally.timeline.end_file();
    let logged = tally.timeline.count;
    match result {
        Ok(_) => Ok(logged - before),
        Err(e) => {
            let what = if f.gz {
                match e.kind() {
                    std::io::ErrorKind::UnexpectedEof => {
                        "truncated gzip (unexpected end of file)".to_owned()
                    }
                    _ => format!("corrupt gzip: {e}"),
                }
            } else {
                format!("read error: {e}")
            };
            Err(what)
        }
    }
}

/// Reads every log file the locations lead to and returns the facts.
pub fn collect(loc: &Locations, now: i64) -> Evidence {
    let maker = FactMaker::new(ID, None);
    let mut ev = Evidence::default();
    let mut notes = loc.notes.clone();
    let found: Found = discover::discover(&loc.specs());
    notes.extend(found.problems.iter().cloned());
    let src = loc.log_dir.display().to_string();
    let put = |ev: &mut Evidence, spec: &crate::catalogue::FactSpec, v: FactValue| {
        ev.insert(maker.put(spec, v, src.clone()));
    };

    let mut server = Tally::default();
    let mut audit_t = Tally::default();
    let mut unreadable = Vec::new();
    let mut unparsable = Vec::new();
    let mut listed = Vec::new();
    let mut audit_files = 0usize;
    let mut server_files = 0usize;
    for f in &found.files {
        listed.push(f.path.display().to_string());
        let tally = match f.kind {
            Kind::Server => {
                server_files += 1;
                &mut server
            }
            Kind::Audit => {
                audit_files += 1;
                &mut audit_t
            }
            // Delivery diagnostics, not access audit: listed (and their permissions
            // checked by the host probe), not read.
            Kind::Notifications => continue,
        };
        match read_file(f, tally) {
            Ok(0) if f.len > 0 => unparsable.push(f.path.display().to_string()),
            Ok(_) => {}
            Err(why) => unreadable.push(format!("{}: {why}", f.path.display())),
        }
    }
    // With no file found there is nothing to call readable: those facts stay absent.
    if !listed.is_empty() {
        put(
            &mut ev,
            &cat::FILES_UNREADABLE,
            FactValue::StrList(unreadable),
        );
        put(
            &mut ev,
            &cat::FILES_UNPARSABLE,
            FactValue::StrList(unparsable),
        );
    }
    put(&mut ev, &cat::FILES, FactValue::StrList(listed));

    // Server log.
    if let Some(expected) = loc.server_expected {
        put(&mut ev, &cat::SERVER_EXPECTED, FactValue::Bool(expected));
    }
    put(
        &mut ev,
        &cat::SERVER_PRESENT,
        FactValue::Bool(server.timeline.count > 0),
    );
    if server_files > 0 {
        put(&mut ev, &cat::SERVER_LINES, int(server.timeline.count));
        put(&mut ev, &cat::SERVER_NON_LOG_LINES, int(server.non_log));
        put(&mut ev, &cat::SERVER_DEBUG_LINES, int(server.debug));
        put(
            &mut ev,
            &cat::SERVER_AUDIT_FAILURES,
            int(server.audit_failures),
        );
        let mut levels: Vec<String> = server
            .levels
            .iter()
            .map(|l| String::from_utf8_lossy(&l.name).into_owned())
            .collect();
        levels.sort();
        put(&mut ev, &cat::SERVER_LEVELS, FactValue::StrList(levels));
        span_facts(
            &mut ev,
            &put,
            &server.timeline,
            now,
            [
                &cat::SERVER_OLDEST,
                &cat::SERVER_NEWEST,
                &cat::SERVER_SPAN_DAYS,
                &cat::SERVER_OLDEST_AGE_DAYS,
                &cat::SERVER_LONGEST_GAP_HOURS,
                &cat::SERVER_GAPS,
            ],
        );
        if server.timeline.saturated {
            notes.push("server log: too many breaks to list; later ones merged".into());
        }
    } else {
        notes.push(format!(
            "no server log (mattermost.log or a rotated sibling) in {}",
            loc.log_dir.display()
        ));
    }

    // Audit log.
    if let Some(expected) = loc.audit_expected {
        put(&mut ev, &cat::AUDIT_EXPECTED, FactValue::Bool(expected));
    }
    let records = audit_t.timeline.count;
    put(&mut ev, &cat::AUDIT_PRESENT, FactValue::Bool(records > 0));
    if audit_files > 0 {
        put(&mut ev, &cat::AUDIT_RECORDS, int(records));
        put(&mut ev, &cat::AUDIT_NON_RECORD_LINES, int(audit_t.non_log));
    } else {
        notes.push(format!(
            "no audit log file found ({})",
            loc.audit_logs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if records > 0 {
        let (present, absent) = audit::split(audit_t.categories);
        put(&mut ev, &cat::AUDIT_CATEGORIES, FactValue::StrList(present));
        put(
            &mut ev,
            &cat::AUDIT_CATEGORIES_ABSENT,
            FactValue::StrList(absent),
        );
        put(&mut ev, &cat::AUDIT_WITHOUT_IP, int(audit_t.without_ip));
        span_facts(
            &mut ev,
            &put,
            &audit_t.timeline,
            now,
            [
                &cat::AUDIT_OLDEST,
                &cat::AUDIT_NEWEST,
                &cat::AUDIT_SPAN_DAYS,
                &cat::AUDIT_OLDEST_AGE_DAYS,
                &cat::AUDIT_LONGEST_GAP_HOURS,
                &cat::AUDIT_GAPS,
            ],
        );
        // Mattermost's own rotation never deletes (max_age 0, max_backups 0 in
        // `makeFileOptions`, MM server/config/logger.go), so with the server log
        // reaching back further than the audit log, older audit files were removed — or
        // audit logging was turned on later, which the operator can confirm.
        if let (Some(s_old), Some(a_old)) = (server.timeline.oldest, audit_t.timeline.oldest) {
            let pruned = a_old - s_old > 86_400_000;
            put(
                &mut ev,
                &cat::AUDIT_PRUNED_SUSPECTED,
                FactValue::Bool(pruned),
            );
        }
    }
    if let Some(same) = loc.same_filesystem_as_data() {
        put(
            &mut ev,
            &cat::SAME_FILESYSTEM_AS_DATA,
            FactValue::Bool(same),
        );
    }

    let mut attempt = maker.attempt(AttemptOutcome::Completed, COVERS);
    attempt.notes = notes;
    ev.attempts.push(attempt);
    ev
}

fn int(n: u64) -> FactValue {
    FactValue::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Oldest, newest, span, age, longest gap and the longest gaps of a timeline.
fn span_facts(
    ev: &mut Evidence,
    put: &dyn Fn(&mut Evidence, &crate::catalogue::FactSpec, FactValue),
    t: &Timeline,
    now: i64,
    specs: [&crate::catalogue::FactSpec; 6],
) {
    let (Some(old), Some(new)) = (t.oldest, t.newest) else {
        return;
    };
    const DAY: i64 = 86_400_000;
    put(ev, specs[0], FactValue::Str(rfc3339(old)));
    put(ev, specs[1], FactValue::Str(rfc3339(new)));
    put(ev, specs[2], FactValue::Int((new - old) / DAY));
    put(ev, specs[3], FactValue::Int((now - old).max(0) / DAY));
    let mut gaps = t.gaps();
    put(
        ev,
        specs[4],
        FactValue::Int(gaps.iter().map(timeline::Gap::hours).max().unwrap_or(0)),
    );
    gaps.retain(|g| g.hours() >= 24);
    gaps.sort_by_key(|g| std::cmp::Reverse(g.to_ms - g.from_ms));
    gaps.truncate(20);
    gaps.sort_by_key(|g| g.from_ms);
    put(
        ev,
        specs[5],
        FactValue::StrList(
            gaps.iter()
                .map(|g| {
                    format!(
                        "{}/{} ({} h)",
                        rfc3339(g.from_ms),
                        rfc3339(g.to_ms),
                        g.hours()
                    )
                })
                .collect(),
        ),
    );
}
