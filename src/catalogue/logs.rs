//! Log facts: what the server log and the audit log files on the host actually hold —
//! how far back they go, where they break off, which levels and audit event categories
//! they contain. Observed by the logs probe (`probe::logs`) from the files themselves,
//! never from the settings (those are `mattermost.config.*`).

use super::FactSpec;
use crate::evidence::FactType::{Bool, Int, Str, StrList};

pub const FILES: FactSpec = FactSpec::deployment(
    "logs.files",
    StrList,
    "log files found and read: the server log, the audit log, notifications.log, and their rotated and .gz siblings",
);
pub const FILES_UNREADABLE: FactSpec = FactSpec::deployment(
    "logs.files.unreadable",
    StrList,
    "log files that could not be read to the end (permission denied, truncated or corrupt .gz, I/O error), with the reason",
);
pub const FILES_UNPARSABLE: FactSpec = FactSpec::deployment(
    "logs.files.unparsable",
    StrList,
    "log files of which not one line was a Mattermost log line (binary junk, another program's output)",
);
pub const SERVER_EXPECTED: FactSpec = FactSpec::deployment(
    "logs.server.expected",
    Bool,
    "a server log should be on disk: LogSettings.EnableFile is on, or the directory was given as the log directory (--logs)",
);
pub const SERVER_PRESENT: FactSpec = FactSpec::deployment(
    "logs.server.present",
    Bool,
    "mattermost.log (or a rotated sibling) holds at least one log line",
);
pub const SERVER_LINES: FactSpec = FactSpec::deployment(
    "logs.server.lines",
    Int,
    "server log lines with a timestamp, over every server log file",
);
pub const SERVER_NON_LOG_LINES: FactSpec = FactSpec::deployment(
    "logs.server.non-log-lines",
    Int,
    "lines in the server log files that are not log lines (counted, not fatal; stack-trace continuations excluded)",
);
pub const SERVER_OLDEST: FactSpec = FactSpec::deployment(
    "logs.server.oldest",
    Str,
    "timestamp of the oldest server log line (RFC 3339, UTC)",
);
pub const SERVER_NEWEST: FactSpec = FactSpec::deployment(
    "logs.server.newest",
    Str,
    "timestamp of the newest server log line (RFC 3339, UTC)",
);
pub const SERVER_SPAN_DAYS: FactSpec = FactSpec::deployment(
    "logs.server.span-days",
    Int,
    "whole days between the oldest and the newest server log line",
);
pub const SERVER_OLDEST_AGE_DAYS: FactSpec = FactSpec::deployment(
    "logs.server.oldest-age-days",
    Int,
    "whole days from the oldest server log line to the time of the scan: how far back the server log goes",
);
pub const SERVER_LONGEST_GAP_HOURS: FactSpec = FactSpec::deployment(
    "logs.server.longest-gap-hours",
    Int,
    "longest stretch, in whole hours, with no server log line between the oldest and the newest",
);
pub const SERVER_GAPS: FactSpec = FactSpec::deployment(
    "logs.server.gaps",
    StrList,
    "the longest stretches (over 24 h, at most 20) with no server log line: start/end (hours)",
);
pub const SERVER_LEVELS: FactSpec = FactSpec::deployment(
    "logs.server.levels",
    StrList,
    "levels present in the server log (lower case: debug, info, warn, error, ...)",
);
pub const SERVER_DEBUG_LINES: FactSpec = FactSpec::deployment(
    "logs.server.debug-lines",
    Int,
    "server log lines at debug or trace level (ePHI and tokens can appear in debug output)",
);
pub const SERVER_AUDIT_FAILURES: FactSpec = FactSpec::deployment(
    "logs.server.audit-failures",
    Int,
    "server log lines saying audit records were dropped or could not be written (\"Audit queue full\", \"Audit Error\")",
);
pub const AUDIT_EXPECTED: FactSpec = FactSpec::deployment(
    "logs.audit.expected",
    Bool,
    "the effective configuration writes an audit file (FileEnabled with a FileName, or an advanced file target): audit records should be on disk",
);
pub const AUDIT_PRESENT: FactSpec = FactSpec::deployment(
    "logs.audit.present",
    Bool,
    "audit log files hold at least one audit record",
);
pub const AUDIT_RECORDS: FactSpec = FactSpec::deployment(
    "logs.audit.records",
    Int,
    "audit records over every audit log file",
);
pub const AUDIT_OLDEST: FactSpec = FactSpec::deployment(
    "logs.audit.oldest",
    Str,
    "timestamp of the oldest audit record (RFC 3339, UTC)",
);
pub const AUDIT_NEWEST: FactSpec = FactSpec::deployment(
    "logs.audit.newest",
    Str,
    "timestamp of the newest audit record (RFC 3339, UTC)",
);
pub const AUDIT_SPAN_DAYS: FactSpec = FactSpec::deployment(
    "logs.audit.span-days",
    Int,
    "whole days between the oldest and the newest audit record",
);
pub const AUDIT_OLDEST_AGE_DAYS: FactSpec = FactSpec::deployment(
    "logs.audit.oldest-age-days",
    Int,
    "whole days from the oldest audit record to the time of the scan: how far back the audit trail goes",
);
pub const AUDIT_LONGEST_GAP_HOURS: FactSpec = FactSpec::deployment(
    "logs.audit.longest-gap-hours",
    Int,
    "longest stretch, in whole hours, with no audit record between the oldest and the newest",
);
pub const AUDIT_GAPS: FactSpec = FactSpec::deployment(
    "logs.audit.gaps",
    StrList,
    "the longest stretches (over 24 h, at most 20) with no audit record: start/end (hours)",
);
pub const AUDIT_CATEGORIES: FactSpec = FactSpec::deployment(
    "logs.audit.categories",
    StrList,
    "audit event categories the records hold (login-success, login-failure, logout, user-created, ...; see docs/logs.md)",
);
pub const AUDIT_CATEGORIES_ABSENT: FactSpec = FactSpec::deployment(
    "logs.audit.categories-absent",
    StrList,
    "audit event categories safeguard knows of which no record was found",
);
pub const AUDIT_WITHOUT_IP: FactSpec = FactSpec::deployment(
    "logs.audit.records-without-ip",
    Int,
    "audit records of API requests with an empty or missing actor IP address (server-side records, which never have one, excluded)",
);
pub const AUDIT_NON_RECORD_LINES: FactSpec = FactSpec::deployment(
    "logs.audit.non-record-lines",
    Int,
    "lines in the audit files that are not audit records",
);
pub const AUDIT_PRUNED_SUSPECTED: FactSpec = FactSpec::deployment(
    "logs.audit.pruned-suspected",
    Bool,
    "the oldest audit record is newer than Mattermost's rotation explains: the server log reaches back further while audit was on, or a configured FileMaxAgeDays cannot explain it (files rotated away or deleted)",
);
pub const SAME_FILESYSTEM_AS_DATA: FactSpec = FactSpec::deployment(
    "logs.same-filesystem-as-data",
    Bool,
    "the log directory and the file store directory are on the same file system",
);

/// Every log fact.
pub const FACTS: &[FactSpec] = &[
    FILES,
    FILES_UNREADABLE,
    FILES_UNPARSABLE,
    SERVER_EXPECTED,
    SERVER_PRESENT,
    SERVER_LINES,
    SERVER_NON_LOG_LINES,
    SERVER_OLDEST,
    SERVER_NEWEST,
    SERVER_SPAN_DAYS,
    SERVER_OLDEST_AGE_DAYS,
    SERVER_LONGEST_GAP_HOURS,
    SERVER_GAPS,
    SERVER_LEVELS,
    SERVER_DEBUG_LINES,
    SERVER_AUDIT_FAILURES,
    AUDIT_EXPECTED,
    AUDIT_PRESENT,
    AUDIT_RECORDS,
    AUDIT_OLDEST,
    AUDIT_NEWEST,
    AUDIT_SPAN_DAYS,
    AUDIT_OLDEST_AGE_DAYS,
    AUDIT_LONGEST_GAP_HOURS,
    AUDIT_GAPS,
    AUDIT_CATEGORIES,
    AUDIT_CATEGORIES_ABSENT,
    AUDIT_WITHOUT_IP,
    AUDIT_NON_RECORD_LINES,
    AUDIT_PRUNED_SUSPECTED,
    SAME_FILESYSTEM_AS_DATA,
];
