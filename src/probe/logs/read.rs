//! Streaming reads of log files: lines are split with `memchr` in a fixed, reused buffer,
//! `.gz` files are inflated on the fly, and only the few fields a check needs (timestamp,
//! level, message start; for audit records the event name, status and actor IP) are
//! picked out of each line by byte search, without allocating per line. A whole file is
//! never in memory, so a six-year log directory reads in flat memory.
//!
//! Formats (Mattermost's logr JSON and plain text, and the zap formats of v5): see
//! docs/logs.md. What does not belong here: which files to read (`discover`), what the
//! timestamps add up to (`timeline`), which events matter (`audit`).

use memchr::memmem::Finder;
use std::io::{self, Read};
use std::sync::OnceLock;

/// Size of the read buffer: small enough to stay in the L2 cache (measured faster than
/// 256 KiB with scripts/bench-logs).
const CHUNK: usize = 64 * 1024;
/// A line longer than this is cut: its first `MAX_LINE` bytes are parsed (a long JSON
/// record keeps its timestamp up front), the rest is skipped.
pub const MAX_LINE: usize = 1024 * 1024;

/// Calls `f` with every line of `r` (without the newline). Memory stays within
/// [`MAX_LINE`] plus one chunk, whatever the input. Returns the number of bytes read.
pub fn for_each_line<R: Read>(mut r: R, mut f: impl FnMut(&[u8])) -> io::Result<u64> {
    let mut buf = vec![0u8; CHUNK];
    let mut end = 0usize; // valid bytes are buf[..end]
    let mut skipping = false; // inside the tail of an over-long line
    let mut total = 0u64;
    loop {
        if end == buf.len() {
            if buf.len() < MAX_LINE + CHUNK {
                buf.resize(buf.len() * 2, 0);
            } else {
                // An over-long line: parse its head, drop the rest up to the next newline.
                if !skipping {
                    f(&buf[..MAX_LINE]);
                }
                skipping = true;
                end = 0;
            }
        }
        let n = match r.read(&mut buf[end..]) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // Lines complete before the error still count.
                emit_complete(&buf[..end], &mut skipping, &mut f);
                return Err(e);
            }
        };
        total += n as u64;
        let scan_from = end;
        end += n;
        let mut start = 0usize;
        for nl in memchr::memchr_iter(b'\n', &buf[scan_from..end]) {
            let at = scan_from + nl;
            if skipping {
                skipping = false;
            } else {
                f(&buf[start..at]);
            }
            start = at + 1;
        }
        if start > 0 {
            buf.copy_within(start..end, 0);
            end -= start;
        }
    }
    if end > 0 && !skipping {
        f(&buf[..end]);
    }
    Ok(total)
}

/// On a read error: the complete lines in `data`, which were not handed out yet.
fn emit_complete(data: &[u8], skipping: &mut bool, f: &mut impl FnMut(&[u8])) {
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', data) {
        if *skipping {
            *skipping = false;
        } else {
            f(&data[start..nl]);
        }
        start = nl + 1;
    }
}

/// What one line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// A log line: its time (Unix milliseconds, UTC), its level (as written; may be
    /// empty, e.g. in the audit file whose target drops the level) and where its message
    /// starts (the message and what follows it: only its start is ever judged).
    Log {
        ms: i64,
        level: &'a [u8],
        msg: &'a [u8],
    },
    /// A stack-trace continuation or a blank line: part of the previous line.
    Continuation,
    /// Anything else: not a log line.
    Other,
}

struct Finders {
    timestamp: Finder<'static>,
    level: Finder<'static>,
    msg: Finder<'static>,
    ts: Finder<'static>,
    event_name: Finder<'static>,
    event_flat: Finder<'static>,
    status: Finder<'static>,
    ip: Finder<'static>,
    client: Finder<'static>,
}

fn finders() -> &'static Finders {
    static F: OnceLock<Finders> = OnceLock::new();
    F.get_or_init(|| Finders {
        timestamp: Finder::new(b"\"timestamp\""),
        level: Finder::new(b"\"level\""),
        msg: Finder::new(b"\"msg\""),
        ts: Finder::new(b"\"ts\""),
        event_name: Finder::new(b"\"event_name\""),
        event_flat: Finder::new(b"\"event\""),
        status: Finder::new(b"\"status\""),
        ip: Finder::new(b"\"ip_address\""),
        client: Finder::new(b"\"client\""),
    })
}

/// The offset just past `: ` after a key ending at `at` (JSON allows blanks around the
/// colon; Mattermost writes none).
fn after_colon(line: &[u8], mut at: usize) -> Option<usize> {
    while matches!(line.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    if line.get(at) != Some(&b':') {
        return None;
    }
    at += 1;
    while matches!(line.get(at), Some(b' ' | b'\t')) {
        at += 1;
    }
    Some(at)
}

/// The offset of the value of the first `key` in `within` (a prefix of `line`) whose
/// key is followed by a colon.
fn value_at(line: &[u8], finder: &Finder<'_>, within: usize) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = finder.find(&line[from..within]) {
        let end = from + i + finder.needle().len();
        if let Some(v) = after_colon(line, end) {
            return Some(v);
        }
        from = end;
    }
    None
}

/// How far into a JSON line the header fields are looked for.
const HEAD: usize = 512;

/// Classifies a line and picks out its timestamp, level and message start.
pub fn parse(line: &[u8]) -> Line<'_> {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Some(&first) = line.first() else {
        return Line::Continuation;
    };
    match first {
        b' ' | b'\t' => Line::Continuation,
        b'{' => parse_json(line),
        b'0'..=b'9' => parse_zap_console(line),
        _ => parse_plain(line),
    }
}

/// The JSON string value starting at `from` (just after its opening quote), up to the
/// next unescaped quote. Escapes are left as written.
fn json_str(line: &[u8], from: usize) -> &[u8] {
    let rest = &line[from.min(line.len())..];
    let mut i = 0;
    while let Some(q) = memchr::memchr2(b'"', b'\\', &rest[i..]) {
        let at = i + q;
        if rest[at] == b'\\' {
            i = at + 2;
            if i >= rest.len() {
                return rest;
            }
        } else {
            return &rest[..at];
        }
    }
    rest
}

/// A string field's value: the key's first occurrence within `within` bytes.
fn field<'a>(line: &'a [u8], finder: &Finder<'_>, within: usize) -> Option<&'a [u8]> {
    let v = value_at(line, finder, within.min(line.len()))?;
    (line.get(v) == Some(&b'"')).then(|| json_str(line, v + 1))
}

fn parse_json(line: &[u8]) -> Line<'_> {
    let f = finders();
    const TS_KEY: &[u8] = b"{\"timestamp\":\"";
    let h = line.len().min(HEAD);
    if line.starts_with(TS_KEY)
        && let Some(fast) = logr_fast(line)
    {
        return fast;
    }
    let ms = if line.starts_with(TS_KEY) {
        timestamp(&line[TS_KEY.len()..]).map(|(ms, _)| ms)
    } else if let Some(v) = field(line, &f.timestamp, h) {
        timestamp(v).map(|(ms, _)| ms)
    } else if let Some(v) = value_at(line, &f.ts, h) {
        epoch_seconds(&line[v..])
    } else {
        None
    };
    let Some(ms) = ms else {
        return Line::Other;
    };
    let level = field(line, &f.level, h).unwrap_or(b"");
    let msg = field(line, &f.msg, h).unwrap_or(b"");
    Line::Log { ms, level, msg }
}

/// The layout logr's JSON formatter always writes (`timestamp`, `level`, `msg` first, no
/// blanks): read in place without searching. None when the line departs from it.
fn logr_fast(line: &[u8]) -> Option<Line<'_>> {
    const LEVEL: &[u8] = b"\",\"level\":\"";
    const MSG: &[u8] = b"\",\"msg\":\"";
    let start = 14;
    let (ms, used) = timestamp(&line[start..])?;
    let at = start + used;
    if !line[at..].starts_with(LEVEL) {
        return None;
    }
    let lv_start = at + LEVEL.len();
    let lv_len = memchr::memchr(b'"', &line[lv_start..])?;
    let level = &line[lv_start..lv_start + lv_len];
    let rest = lv_start + lv_len;
    let msg = if line[rest..].starts_with(MSG) {
        &line[rest + MSG.len()..]
    } else {
        b""
    };
    Some(Line::Log { ms, level, msg })
}

/// logr plain: `info  [2024-05-01 12:34:56.789 Z] message   caller="..." k=v`.
fn parse_plain(line: &[u8]) -> Line<'_> {
    let h = &line[..line.len().min(24)];
    let Some(open) = memchr::memchr(b'[', h) else {
        return Line::Other;
    };
    let level = trim(&line[..open]);
    if level.is_empty()
        || !level
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    {
        return Line::Other;
    }
    let Some((ms, used)) = timestamp(&line[open + 1..]) else {
        return Line::Other;
    };
    let after = open + 1 + used;
    if line.get(after) != Some(&b']') {
        return Line::Other;
    }
    let msg = line.get(after + 2..).unwrap_or(b"");
    Line::Log { ms, level, msg }
}

/// zap console (v5): `2021-07-13T15:35:02.123Z\tinfo\tcaller\tmessage\t{...}`.
fn parse_zap_console(line: &[u8]) -> Line<'_> {
    let Some((ms, used)) = timestamp(line) else {
        return Line::Other;
    };
    let rest = &line[used..];
    let Some(rest) = rest.strip_prefix(b"\t") else {
        return Line::Other;
    };
    let level_end = memchr::memchr(b'\t', rest).unwrap_or(rest.len());
    let level = &rest[..level_end];
    let msg = rest
        .get(level_end + 1..)
        .and_then(|r| memchr::memchr(b'\t', r).and_then(|c| r.get(c + 1..)))
        .unwrap_or(b"");
    Line::Log { ms, level, msg }
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses `YYYY-MM-DD[ T]HH:MM:SS[.fff…][ ]?(Z|±HH:MM|±HHMM)` at the start of `b`:
/// Unix milliseconds (UTC) and the bytes used. A timestamp without a zone is refused
/// (its instant is unknown).
pub fn timestamp(b: &[u8]) -> Option<(i64, usize)> {
    thread_local! {
        /// The last date-hour-minute prefix parsed and its local time in seconds:
        /// consecutive log lines share it, so most lines skip the calendar arithmetic.
        static MINUTE: std::cell::Cell<([u8; 16], i64)> = const { std::cell::Cell::new(([0; 16], i64::MIN)) };
    }
    let key: [u8; 16] = b.get(..16)?.try_into().ok()?;
    let (cached, cached_secs) = MINUTE.with(std::cell::Cell::get);
    let minute_secs = if cached_secs != i64::MIN && cached == key {
        cached_secs
    } else {
        let y = digits(b, 0, 4)?;
        if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b' ' | b'T') || b[13] != b':' {
            return None;
        }
        let mo = digits(b, 5, 2)?;
        let d = digits(b, 8, 2)?;
        let h = digits(b, 11, 2)?;
        let mi = digits(b, 14, 2)?;
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 {
            return None;
        }
        let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60;
        MINUTE.with(|m| m.set((key, secs)));
        secs
    };
    if b.get(16) != Some(&b':') {
        return None;
    }
    let s = digits(b, 17, 2)?;
    if s > 60 {
        return None;
    }
    let mut i = 19;
    let mut frac_ms = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let mut n = 0;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            if n < 3 {
                frac_ms = frac_ms * 10 + i64::from(c - b'0');
            }
            n += 1;
            i += 1;
        }
        if n == 0 {
            return None;
        }
        for _ in n..3 {
            frac_ms *= 10;
        }
    }
    if b.get(i) == Some(&b' ') {
        i += 1;
    }
    let offset_min = match b.get(i) {
        Some(b'Z') => {
            i += 1;
            0
        }
        Some(&sign @ (b'+' | b'-')) => {
            let oh = digits(b, i + 1, 2)?;
            let (om, used) = if b.get(i + 3) == Some(&b':') {
                (digits(b, i + 4, 2)?, 6)
            } else {
                (digits(b, i + 3, 2)?, 5)
            };
            i += used;
            let off = oh * 60 + om;
            if sign == b'-' { -off } else { off }
        }
        _ => return None,
    };
    let secs = minute_secs + s - offset_min * 60;
    Some((secs * 1000 + frac_ms, i))
}

/// zap's `ts`: Unix seconds as a JSON number with a fraction.
fn epoch_seconds(b: &[u8]) -> Option<i64> {
    let mut i = 0;
    let mut secs = 0i64;
    while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
        secs = secs.checked_mul(10)?.checked_add(i64::from(c - b'0'))?;
        i += 1;
        if i > 12 {
            return None;
        }
    }
    if i < 9 {
        return None;
    }
    let mut ms = 0i64;
    if b.get(i) == Some(&b'.') {
        for k in 0..3 {
            ms = ms * 10
                + b.get(i + 1 + k)
                    .filter(|c| c.is_ascii_digit())
                    .map_or(0, |c| i64::from(c - b'0'));
        }
    }
    Some(secs * 1000 + ms)
}

/// The fields of an audit record a check needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditFields<'a> {
    /// `event_name` (v7+) or the flat `event` string (v5.22–v6).
    pub event: &'a [u8],
    pub status: &'a [u8],
    /// `actor.ip_address` (or the flat `ip_address`); None when absent.
    pub ip: Option<&'a [u8]>,
    /// A record the server made itself (app layer, CLI): its client is `server <build>`
    /// and it never has an IP address (MM `server/channels/app/audit.go`).
    pub server_side: bool,
}

/// Picks the audit fields out of a JSON line, or None when it is not an audit record.
/// The actor object comes before `event` and `meta` in every schema, so the first
/// `ip_address` and `client` keys are the actor's.
pub fn audit_fields(line: &[u8]) -> Option<AuditFields<'_>> {
    if line.first() != Some(&b'{') {
        return None;
    }
    let f = finders();
    let all = line.len();
    let event = field(line, &f.event_name, all).or_else(|| field(line, &f.event_flat, all))?;
    if event.is_empty() {
        return None;
    }
    let status = field(line, &f.status, all).unwrap_or(b"");
    let ip = field(line, &f.ip, all);
    let server_side = field(line, &f.client, all).is_some_and(|c| c.starts_with(b"server "));
    Some(AuditFields {
        event,
        status,
        ip,
        server_side,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(s: &str) -> i64 {
        timestamp(s.as_bytes()).unwrap().0
    }

    #[test]
    fn timestamps_with_zones() {
        assert_eq!(ms("1970-01-01 00:00:00.000 Z"), 0);
        assert_eq!(
            ms("2024-05-01 14:34:56.789 +02:00"),
            ms("2024-05-01 12:34:56.789 Z")
        );
        assert_eq!(
            ms("2021-07-13T15:35:02.123Z"),
            ms("2021-07-13 15:35:02.123 Z")
        );
        assert_eq!(
            ms("2021-07-13T15:35:02.123-0300"),
            ms("2021-07-13 18:35:02.123 Z")
        );
        assert_eq!(
            ms("2024-02-29 00:00:00 Z") - ms("2024-02-28 00:00:00 Z"),
            86_400_000
        );
        assert!(timestamp(b"2024-05-01 12:34:56.789").is_none());
        assert!(timestamp(b"2024-13-01 12:34:56 Z").is_none());
        assert!(timestamp(b"garbage").is_none());
    }

    #[test]
    fn formats() {
        let j = br#"{"timestamp":"2024-05-01 12:34:56.789 Z","level":"info","msg":"Server is initializing...","caller":"app/server.go:265"}"#;
        let Line::Log { level, msg, .. } = parse(j) else {
            panic!("not a log line")
        };
        assert_eq!(level, b"info");
        assert!(msg.starts_with(b"Server is initializing...\""));
        let p = b"debug [2024-05-01 12:34:56.789 Z] Audit queue full, dropping record.   caller=\"a.go:1\"";
        assert!(matches!(
            parse(p),
            Line::Log {
                level: b"debug",
                ..
            }
        ));
        let z =
            br#"{"level":"warn","ts":1626201302.123456,"caller":"app/server.go:265","msg":"x"}"#;
        assert_eq!(
            parse(z),
            Line::Log {
                ms: 1_626_201_302_123,
                level: b"warn",
                msg: b"x"
            }
        );
        let zc = b"2021-07-13T15:35:02.123Z\terror\tapp/x.go:1\tboom\t{}";
        assert!(matches!(
            parse(zc),
            Line::Log {
                level: b"error",
                msg: b"boom\t{}",
                ..
            }
        ));
        assert_eq!(parse(b"  goroutine 1 [running]:"), Line::Continuation);
        assert_eq!(parse(b"hello world"), Line::Other);
        assert_eq!(parse(b"{\"not\":\"a log\"}"), Line::Other);
        assert_eq!(parse(&[0xff, 0x00, 0x12, b'[']), Line::Other);
    }

    #[test]
    fn audit_schemas() {
        let new = br#"{"timestamp":"2024-05-01 12:40:11.512 Z","event_name":"login","status":"fail","actor":{"user_id":"","session_id":"","client":"Mozilla","ip_address":"10.0.0.5","x_forwarded_for":""},"event":{"parameters":{}},"meta":{},"error":{}}"#;
        let a = audit_fields(new).unwrap();
        assert_eq!(
            (a.event, a.status, a.ip),
            (&b"login"[..], &b"fail"[..], Some(&b"10.0.0.5"[..]))
        );
        let old = br#"{"timestamp":"2021-07-13 15:35:02.123 -03:00","event":"Logout","status":"success","user_id":"u","ip_address":"","client":"server 5.37"}"#;
        let a = audit_fields(old).unwrap();
        assert_eq!(a.event, b"Logout");
        assert!(a.server_side);
        assert!(
            audit_fields(br#"{"timestamp":"2024-05-01 12:34:56.789 Z","level":"info","msg":"x"}"#)
                .is_none()
        );
        // blanks around the colon, as other JSON writers put them
        let spaced = br#"{"timestamp": "2024-05-01 12:34:56.789 Z", "event_name": "logout", "status": "success", "actor": {"ip_address": "1.2.3.4"}}"#;
        assert!(matches!(parse(spaced), Line::Log { .. }));
        assert_eq!(audit_fields(spaced).unwrap().ip, Some(&b"1.2.3.4"[..]));
    }

    #[test]
    fn lines_across_chunks_and_overlong() {
        let mut data = Vec::new();
        for i in 0..100_000 {
            data.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        data.extend_from_slice(&vec![b'x'; MAX_LINE * 3]);
        data.extend_from_slice(b"\nlast");
        let mut n = 0;
        let mut long = 0;
        let mut last = Vec::new();
        for_each_line(&data[..], |l| {
            n += 1;
            if l.len() == MAX_LINE {
                long += 1;
            }
            last = l.to_vec();
        })
        .unwrap();
        assert_eq!(n, 100_002);
        assert_eq!(long, 1);
        assert_eq!(last, b"last");
    }
}
