//! A timeline of log timestamps: the oldest and newest entry and the stretches without
//! any, across every file of a log (rotated files, .gz, the live file), in memory that
//! grows with the number of breaks, not the number of lines.
//!
//! Each file is read in order; a jump of more than [`SPLIT_MS`] (forward, or backward
//! such as a clock reset) closes a covered segment. Segments of all files are merged at
//! the end, so a break inside one file that another file covers is no gap.

/// The shortest break that splits a segment (one hour).
pub const SPLIT_MS: i64 = 3_600_000;
/// Segments kept at most; beyond that, further breaks are merged over (noted).
const MAX_SEGMENTS: usize = 500_000;

#[derive(Debug, Default, Clone)]
pub struct Timeline {
    segments: Vec<(i64, i64)>,
    current: Option<(i64, i64)>,
    pub count: u64,
    pub oldest: Option<i64>,
    pub newest: Option<i64>,
    pub saturated: bool,
}

/// A stretch with no entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Gap {
    pub fn hours(&self) -> i64 {
        (self.to_ms - self.from_ms) / 3_600_000
    }
}

impl Timeline {
    /// Adds one timestamp (Unix ms), in file order.
    pub fn push(&mut self, ms: i64) {
        self.count += 1;
        self.oldest = Some(self.oldest.map_or(ms, |o| o.min(ms)));
        self.newest = Some(self.newest.map_or(ms, |n| n.max(ms)));
        match &mut self.current {
            None => self.current = Some((ms, ms)),
            Some((start, end)) => {
                if ms > *end + SPLIT_MS || ms < *end - SPLIT_MS {
                    if self.segments.len() < MAX_SEGMENTS {
                        self.segments.push((*start, *end));
                        self.current = Some((ms, ms));
                    } else {
                        self.saturated = true;
                        *start = (*start).min(ms);
                        *end = (*end).max(ms);
                    }
                } else if ms > *end {
                    *end = ms;
                }
            }
        }
    }

    /// Ends the current file: its last segment is closed.
    pub fn end_file(&mut self) {
        if let Some(seg) = self.current.take() {
            self.segments.push(seg);
        }
    }

    /// Every break longer than [`SPLIT_MS`] between the oldest and newest entry, oldest
    /// first.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut segs = self.segments.clone();
        if let Some(c) = self.current {
            segs.push(c);
        }
        segs.sort_unstable();
        let mut gaps = Vec::new();
        let mut covered_to: Option<i64> = None;
        for (s, e) in segs {
            match covered_to {
                Some(c) if s > c + SPLIT_MS => {
                    gaps.push(Gap {
                        from_ms: c,
                        to_ms: s,
                    });
                    covered_to = Some(e);
                }
                Some(c) => covered_to = Some(c.max(e)),
                None => covered_to = Some(e),
            }
        }
        gaps
    }
}

/// RFC 3339 (UTC, whole seconds) of Unix milliseconds.
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    const H: i64 = 3_600_000;

    #[test]
    fn gaps_across_files() {
        let mut t = Timeline::default();
        // file 2 (newer) read first, then file 1
        for ms in [100 * H, 101 * H, 150 * H] {
            t.push(ms);
        }
        t.end_file();
        for ms in [0, H / 2, 99 * H] {
            t.push(ms);
        }
        t.end_file();
        let gaps = t.gaps();
        assert_eq!(
            gaps,
            vec![
                Gap {
                    from_ms: H / 2,
                    to_ms: 99 * H
                },
                Gap {
                    from_ms: 101 * H,
                    to_ms: 150 * H
                }
            ]
        );
        assert_eq!(t.oldest, Some(0));
        assert_eq!(t.newest, Some(150 * H));
    }

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_714_566_896_789), "2024-05-01T12:34:56Z");
        assert_eq!(super::super::read::days_from_civil(2024, 5, 1), 19844);
    }
}
