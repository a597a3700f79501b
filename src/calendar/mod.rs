//! The one home for time: `--tz`, `--now`, `--since`, `--until` and `--period`
//! become one [`Window`] of UTC instants; buckets (`--every`) have a start, a
//! next, a previous and a label; and a window or a bucket as a polars expression.
//!
//! Windows are half-open, `[since, until)`, and calendar windows start at local
//! midnight in `--tz` (so a DST change shortens or lengthens a day, never shifts it).

use std::str::FromStr;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone,
    Timelike, Utc,
};
use chrono_tz::Tz;

use polars::prelude::{lit, DataType, Expr, NonExistent, TimeUnit, TimeZone as PlTimeZone};

use crate::error::Result;
use crate::usage_err;

pub mod schedule;

pub use schedule::{Schedule, ScheduleSpec};

/// Time buckets for `--every`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl Every {
    /// The bucket's name, as `--every` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Every::Day => "day",
            Every::Week => "week",
            Every::Month => "month",
            Every::Quarter => "quarter",
            Every::Year => "year",
        }
    }
}

/// A time window of UTC instants; `None` bounds are open.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Window {
    /// Inclusive start.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive end.
    pub until: Option<DateTime<Utc>>,
}

/// A duration as a config file writes it: a text (`"30m"`) or a number of hours
/// (`4`, `1.5`), as the text [`parse_duration_secs`] reads.
pub fn duration_written(v: toml::Value) -> Result<String, String> {
    match v {
        toml::Value::String(s) => Ok(s),
        toml::Value::Integer(n) => Ok(n.to_string()),
        toml::Value::Float(x) => Ok(x.to_string()),
        other => Err(format!(
            "expected a duration (\"30m\", \"4h\", or a number of hours), not {}",
            other.type_str()
        )),
    }
}

/// Parse `90s`, `30m`, `1h`, `1.5h`, `2d` into seconds.
pub fn parse_duration_secs(s: &str) -> Result<f64, String> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num.trim().parse().map_err(|_| {
        format!("expected a duration like 30m, 1h or 4h (a bare number is hours), got '{s}'")
    })?;
    // In any case: `4H` is four hours, as `4h` is.
    let scale = match unit.trim().to_ascii_lowercase().as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" | "" => 3600.0,
        "d" | "day" | "days" => 86400.0,
        other => {
            return Err(format!(
                "unknown duration unit '{other}' in '{s}' (use s, m, h or d)"
            ))
        }
    };
    if !value.is_finite() || value < 0.0 || !(value * scale * 1000.0).is_finite() {
        return Err(format!("duration must be a non-negative number, got '{s}'"));
    }
    // To the millisecond, as durations are: `4.1m` is 246 s, not 4.1 × 60 =
    // 245.99999999999997 s, which a reply after 246 s would miss.
    Ok((value * scale * 1000.0).round() / 1000.0)
}

/// A duration [`parse_duration_secs`] reads, kept as written (whether it names its
/// unit is said of a bare number: hours).
pub fn checked_duration(s: &str) -> Result<String, String> {
    parse_duration_secs(s).map(|_| s.to_string())
}

/// The seconds of a duration [`checked_duration`] let through.
pub fn duration_secs(s: Option<&str>) -> Option<f64> {
    s.and_then(|s| parse_duration_secs(s).ok())
}

/// A duration as [`parse_duration_secs`] reads it: `1h`, `30m`, `90s`, `1.5h`.
pub fn describe_duration(secs: f64) -> String {
    let (value, unit) = match secs {
        s if s >= 3600.0 && (s / 3600.0 * 100.0).fract() == 0.0 => (s / 3600.0, "h"),
        s if s >= 60.0 && (s / 60.0 * 100.0).fract() == 0.0 => (s / 60.0, "m"),
        s => (s, "s"),
    };
    format!("{value}{unit}")
}

/// Half a millisecond, in seconds: a duration within it of a target meets the target.
/// Durations are known to the millisecond, and the seconds of one may be an ulp off
/// (2,300 ms × 0.001 is 2.3000000000000003 s) by the way they are worked out; no
/// duration of whole milliseconds lies in between.
pub const WITHIN_TARGET_SECS: f64 = 0.0005;

/// The instant `span_ms` after `at_ms` (UTC milliseconds): a span of whole days on
/// the clock of `tz`, so that days from a local midnight end at a local midnight,
/// whatever daylight-saving change lies between (7 days and an hour may elapse); any
/// other span in elapsed time (12 hours are 12 hours). A day's clock time that the
/// spring change skips moves on by the gap, as the clocks do (02:30 is 03:30); one
/// that comes twice is its first pass, unless that is before `at_ms`.
pub fn later_on_the_clock(at_ms: i64, span_ms: i64, tz: Tz) -> i64 {
    const DAY_MS: i64 = 86_400_000;
    let elapsed = at_ms.saturating_add(span_ms);
    if span_ms % DAY_MS != 0 {
        return elapsed;
    }
    let Some(at) = DateTime::from_timestamp_millis(at_ms) else {
        return elapsed;
    };
    let local = at.with_timezone(&tz).naive_local();
    let Some(target) = local.checked_add_signed(Duration::milliseconds(span_ms)) else {
        return elapsed;
    };
    match tz.from_local_datetime(&target) {
        LocalResult::Single(t) => t.timestamp_millis(),
        LocalResult::Ambiguous(first, second) => match first.timestamp_millis() {
            t if t >= at_ms => t,
            _ => second.timestamp_millis(),
        },
        LocalResult::None => {
            // Read with the offset in force before the gap (a day earlier).
            let before = target - Duration::days(1);
            let offset = tz.offset_from_utc_datetime(&before).fix().local_minus_utc();
            (target - Duration::seconds(i64::from(offset)))
                .and_utc()
                .timestamp_millis()
        }
    }
}

/// [`parse_duration_secs`] for spans of days (`--horizon`, `--grace`,
/// `--inactive-after`): a bare number is refused, since hours are rarely meant there
/// (`--grace 49` would bridge 49 hours, not days).
pub fn parse_days_duration_secs(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(format!(
            "give the unit: '{t}d' for days, '{t}h' for hours (s, m, h or d)"
        ));
    }
    // The generic message says a bare number is hours, which is not so here.
    parse_duration_secs(s).map_err(|e| match e.starts_with("expected a duration") {
        true => format!("expected a duration like 14d, 30d or 12h, got '{t}'"),
        false => e,
    })
}

/// Seconds as whole milliseconds, rounded half away from zero and saturating: what
/// `(secs * 1000.0).round() as i64` gives (two calls a ticket with SLA policies).
pub fn ms_of_secs(secs: f64) -> i64 {
    crate::cells::rounded_whole(secs * 1000.0)
}

/// Parse an IANA zone name (`UTC`, `Europe/Paris`, …).
pub fn parse_tz(name: &str) -> Result<Tz> {
    zone_named(name).ok_or_else(|| {
        usage_err!(
            "--tz: unknown time zone '{name}' (use an IANA name such as UTC or Europe/Paris)"
        )
    })
}

/// The zone of an IANA name, in any case (`utc`, `europe/berlin`): no two names
/// differ in case alone.
pub fn zone_named(name: &str) -> Option<Tz> {
    Tz::from_str(name).ok().or_else(|| {
        (chrono_tz::TZ_VARIANTS.iter())
            .find(|z| z.name().eq_ignore_ascii_case(name))
            .copied()
    })
}

/// The clock: `--now` when given, else the system clock.
pub fn resolve_now(now: Option<&str>) -> Result<DateTime<Utc>> {
    match now {
        None => Ok(Utc::now()),
        Some(s) => instant(s.trim()).ok_or_else(|| {
            usage_err!("--now: expected RFC 3339 like 2025-03-04T09:00:00Z (an offset from -12:00 to +14:00, which may be written +00 or +0545), got '{s}'")
        }),
    }
}

/// The UTC instant of local midnight starting `date` in `tz`. Where midnight does not
/// exist (a DST gap at midnight), the day starts at the first local instant after it.
pub fn local_midnight(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_instant(tz, date.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// A timestamp read without an offset, as naive epoch milliseconds, in `tz`: the
/// earlier instant of an autumn overlap; a time the spring gap skipped is none (no
/// such time was on a clock), unless it is a midnight, which names its day (a date
/// alone, or a spreadsheet's date cell read as `2024-09-08 00:00:00`): the day's
/// first instant, as [`local_midnight`].
pub fn local_time_ms(tz: Tz, naive_ms: i64) -> Option<i64> {
    let wall = DateTime::from_timestamp_millis(naive_ms)?.naive_utc();
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.timestamp_millis()),
        LocalResult::None if naive_ms.rem_euclid(86_400_000) == 0 => {
            Some(local_instant(tz, wall).timestamp_millis())
        }
        LocalResult::None => None,
    }
}

/// The UTC instant of a local wall-clock time in `tz`: the earlier of two in an
/// autumn overlap, and for a time in a spring gap, the first instant after the gap.
pub fn local_instant(tz: Tz, wall: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&wall) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        LocalResult::None => {
            // The gap's end: the first second whose local time is past the wall time.
            // Local time only moves forward across a gap, and offsets lie within
            // -12 h and +14 h, so it is found by halving that span (old zones' gaps
            // are not whole minutes: Kolkata's of 1906 is 8 min 50 s).
            let wall_secs = wall.and_utc().timestamp();
            let local_at =
                |s: i64| DateTime::from_timestamp(s, 0).map(|t| t.with_timezone(&tz).naive_local());
            let (mut before, mut after) = (wall_secs - 15 * 3600, wall_secs + 13 * 3600);
            while after - before > 1 {
                let mid = before + (after - before) / 2;
                match local_at(mid) {
                    Some(local) if local > wall => after = mid,
                    _ => before = mid,
                }
            }
            DateTime::from_timestamp(after, 0).unwrap_or_else(|| Utc.from_utc_datetime(&wall))
        }
    }
}

/// A window as asked for: `--since`/`--until` (`YYYY-MM-DD` or RFC 3339) or a named
/// `--period`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowSpec {
    pub since: Option<String>,
    pub until: Option<String>,
    pub period: Option<String>,
}

/// Resolve `--since/--until/--period` against `now` in `tz`.
pub fn resolve_window(args: &WindowSpec, tz: Tz, now: DateTime<Utc>) -> Result<Window> {
    if let Some(p) = &args.period {
        let today = now.with_timezone(&tz).date_naive();
        // An error names the period as typed.
        let (start, end) = named_period(&period_written(p), today)
            .map_err(|e| named_period(p, today).err().unwrap_or(e))?;
        return Ok(Window {
            since: Some(local_midnight(tz, start)),
            until: Some(local_midnight(tz, end)),
        });
    }
    let since = args
        .since
        .as_deref()
        .map(|s| parse_bound("--since", s, tz))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|s| parse_bound("--until", s, tz))
        .transpose()?;
    if let (Some(a), Some(b)) = (since, until) {
        if b <= a {
            // A wall time the clocks skip is read as the first instant after the
            // gap: two bounds in order on the wall clock may meet there.
            let bounds = [("--since", &args.since), ("--until", &args.until)];
            let walls: Vec<Option<NaiveDateTime>> = (bounds.iter())
                .map(|(_, given)| wall_time(given.as_deref()?))
                .collect();
            let in_order = matches!(walls[..], [Some(a), Some(b)] if a < b);
            let skipped: Vec<String> = (bounds.iter().zip(&walls))
                .filter(|(_, wall)| wall.is_some_and(|w| skipped_wall_time(w, tz)))
                .filter_map(|((flag, given), _)| Some(format!("{flag} {}", given.as_deref()?)))
                .collect();
            let why = match skipped.is_empty() || !in_order {
                true => String::new(),
                false => format!(
                    " ({} in the time the clocks skip in {}, read as the first instant after it)",
                    skipped.join(" and "),
                    tz.name()
                ),
            };
            return Err(usage_err!("--until ({b}) must be after --since ({a}){why}"));
        }
    }
    Ok(Window { since, until })
}

/// A bound's wall-clock time: a date's midnight, or a local date-time (None for an
/// instant with its offset).
fn wall_time(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    (WALL_TIMES.iter())
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
        })
}

/// Does a wall-clock time not exist in `tz` (a spring gap)?
fn skipped_wall_time(wall: NaiveDateTime, tz: Tz) -> bool {
    matches!(tz.from_local_datetime(&wall), LocalResult::None)
}

/// A bound's local date-time forms (no offset: a wall-clock time in `--tz`).
const WALL_TIMES: [&str; 4] = [
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
];

/// A window bound: a date (local midnight in `tz`), a local date-time without an
/// offset (`2025-03-01T12:00`, `2025-03-01 12:00:30`: a wall-clock time in `tz`, as
/// `date +%FT%R` writes it), or an RFC 3339 instant.
fn parse_bound(flag: &str, s: &str, tz: Tz) -> Result<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(local_midnight(tz, d));
    }
    // `24:00`, the end of a day, is the next day's local midnight.
    let (wall_time, next_day) = match end_of_day_as_midnight(s) {
        Some(midnight) => (midnight, true),
        None => (s.to_string(), false),
    };
    let local = (WALL_TIMES.iter()).find_map(|f| NaiveDateTime::parse_from_str(&wall_time, f).ok());
    if let Some(wall) = local {
        let wall = if next_day {
            wall + Duration::days(1)
        } else {
            wall
        };
        return Ok(local_instant(tz, wall));
    }
    instant(s).ok_or_else(|| {
        usage_err!("{flag}: expected YYYY-MM-DD, a local YYYY-MM-DDTHH:MM[:SS] (in --tz) or RFC 3339 (an offset from -12:00 to +14:00, which may be written +00 or +0545), got '{s}'")
    })
}

/// An offset some zone has: from UTC−12:00 to UTC+14:00. `+15:00` is a typo, not a
/// time to move by 15 hours.
pub fn is_zone_offset(secs: i64) -> bool {
    (-12 * 3600..=14 * 3600).contains(&secs)
}

/// The offset a date-time is written with (`+15:00`, `-0530`, `+05` after its
/// time), in seconds east of UTC, in a zone's range or not; none without one (a date
/// alone ends in `-03` too: no time, no offset).
pub fn written_offset(value: &str) -> Option<i64> {
    let v = value.trim();
    if let Some(secs) = offset_after_zone_name(v) {
        return Some(secs);
    }
    let at = v.rfind(['+', '-'])?;
    let (time, offset) = v.split_at(at);
    // Right after a time of day (`10:00`, `10:00:00.5`), perhaps a space between: in
    // `02:30 30-03-2025` the `-2025` is a year.
    let clock = time.trim_end();
    let clock = match clock.rsplit_once('.') {
        Some((whole, fraction))
            if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) =>
        {
            whole
        }
        _ => clock,
    };
    let after_time = clock.len() >= 3
        && clock.as_bytes()[clock.len() - 3] == b':'
        && clock.as_bytes()[clock.len() - 2..]
            .iter()
            .all(u8::is_ascii_digit);
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    let well_formed = after_time
        && offset.len() <= 6
        && matches!(digits.len(), 2 | 4)
        && digits.bytes().all(|b| b.is_ascii_digit());
    if !well_formed {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = match &digits[2..] {
        "" => 0,
        m => m.parse().ok()?,
    };
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    Some(sign * (hours * 3600 + minutes * 60))
}

/// An offset written after `GMT` or `UTC` as Google Forms writes it (`10:15:00 AM
/// GMT+1`, `GMT-3:30`: hours of one or two digits), in seconds east of UTC.
fn offset_after_zone_name(v: &str) -> Option<i64> {
    let at = v.rfind(['+', '-'])?;
    let (head, offset) = v.split_at(at);
    // `get`: the four bytes before the sign may cut a character of other text.
    let named = (head.len() >= 4 && head.get(head.len() - 4..).is_some())
        .then(|| head[head.len() - 4..].to_ascii_uppercase())
        .is_some_and(|name| name == " GMT" || name == " UTC");
    if !named {
        return None;
    }
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let written = &offset[1..];
    let (hours, minutes) = match written.split_once(':') {
        Some((h, m)) if digits(h, 1..=2) && digits(m, 2..=2) => (h, m),
        None if digits(written, 1..=2) => (written, "0"),
        // `GMT+0530`: hours and minutes of two digits each.
        None if digits(written, 4..=4) => written.split_at(2),
        _ => return None,
    };
    let secs = hours.parse::<i64>().ok()? * 3600 + minutes.parse::<i64>().ok()? * 60;
    Some(if offset.starts_with('-') { -secs } else { secs })
}

/// `value` with its written offset ([`written_offset`]) made zero, in the same form
/// (`+15:00` → `+00:00`, `+1500` → `+0000`, `+15` → `+00`): does the rest read?
pub fn with_zero_offset(value: &str) -> Option<String> {
    written_offset(value)?;
    let v = value.trim();
    let at = v.rfind(['+', '-'])?;
    let zeroed: String = v[at + 1..]
        .chars()
        .map(|c| if c.is_ascii_digit() { '0' } else { c })
        .collect();
    Some(format!("{}+{zeroed}", &v[..at]))
}

/// An instant with its offset: RFC 3339, or with the offset written as data columns
/// write it too (`+00`, `+0545`, a space before the time).
/// `2025-03-03 24:00[:00][…]` (with `T` too), ISO 8601's end of a day, as that day's
/// midnight `2025-03-03 00:00[:00][…]`: the same form, a day early. None for a value
/// of another time.
pub fn end_of_day_as_midnight(v: &str) -> Option<String> {
    let b = v.as_bytes();
    // An ISO date (other forms read no hour 24).
    let iso_date = b.len() >= 16 && b[4] == b'-' && b[7] == b'-';
    if !iso_date || !matches!(b[10], b'T' | b't' | b' ') || &b[11..16] != b"24:00" {
        return None;
    }
    // Then only zero seconds and a zero fraction, before an offset or the end.
    let rest = v.get(16..)?;
    let rest = rest.strip_prefix(":00").unwrap_or(rest);
    let rest = match rest.strip_prefix('.') {
        Some(fraction) => {
            let zeros = fraction.bytes().take_while(|&d| d == b'0').count();
            (zeros > 0).then(|| &fraction[zeros..])?
        }
        None => rest,
    };
    // What the ISO forms read after a time: nothing, `Z`, an offset (perhaps after a
    // space), ` UTC`.
    let offset = |r: &str| r.starts_with(['+', '-']);
    let suffix = rest.is_empty()
        || rest.eq_ignore_ascii_case("z")
        || rest.eq_ignore_ascii_case(" utc")
        || offset(rest)
        || rest.strip_prefix(' ').is_some_and(offset);
    suffix.then(|| format!("{}00{}", &v[..11], &v[13..]))
}

/// An instant with its offset (RFC 3339 and its near forms); `24:00` is the next
/// day's midnight.
fn instant(s: &str) -> Option<DateTime<Utc>> {
    if let Some(midnight) = end_of_day_as_midnight(s) {
        return instant_of_the_clock(&midnight).map(|t| t + Duration::days(1));
    }
    instant_of_the_clock(s)
}

fn instant_of_the_clock(s: &str) -> Option<DateTime<Utc>> {
    let with_offset = || {
        [
            "%Y-%m-%dT%H:%M:%S%.f%#z",
            "%Y-%m-%d %H:%M:%S%.f%#z",
            "%Y-%m-%dT%H:%M%#z",
            "%Y-%m-%d %H:%M%#z",
        ]
        .iter()
        .find_map(|f| DateTime::parse_from_str(s, f).ok())
    };
    // An offset past every zone's (`+15:00`) is a typo, as in the data.
    let real =
        |d: &DateTime<chrono::FixedOffset>| is_zone_offset(d.offset().local_minus_utc().into());
    // A leap second (`23:59:60`, which chrono keeps within the second before) is
    // the next minute, as in the data.
    let leap_as_next = |d: DateTime<Utc>| match d.nanosecond().checked_sub(1_000_000_000) {
        Some(fraction) => d
            .with_nanosecond(fraction)
            .map(|d| d + Duration::seconds(1)),
        None => Some(d),
    };
    (DateTime::parse_from_rfc3339(s).ok())
        .or_else(with_offset)
        .filter(real)
        .and_then(|d| leap_as_next(d.with_timezone(&Utc)))
}

fn first_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

fn add_months(d: NaiveDate, months: i32) -> Option<NaiveDate> {
    let total = d.year() * 12 + d.month0() as i32 + months;
    first_of_month(total.div_euclid(12), total.rem_euclid(12) as u32 + 1)
}

/// The local dates `[start, end)` of a named period, relative to `today`.
pub fn named_period(p: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate)> {
    let bad = || {
        match out_of_range(p) {
        Some(why) => usage_err!("--period: no period '{p}': {why}"),
        None => usage_err!(
            "--period: unknown period '{p}' (use today, yesterday, this-week, last-week, this-month, \
             last-month, this-quarter, last-quarter, last-7d, last-30d, 2025-03, 2025-W09, 2025-Q1 or 2025)"
        ),
    }
    };
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let month = first_of_month(today.year(), today.month()).ok_or_else(bad)?;
    let quarter = first_of_month(today.year(), today.month0() / 3 * 3 + 1).ok_or_else(bad)?;
    let span = |a: Option<NaiveDate>, b: Option<NaiveDate>| a.zip(b).ok_or_else(bad);
    match p {
        "today" => Ok((today, today + Duration::days(1))),
        "yesterday" => Ok((today - Duration::days(1), today)),
        "this-week" => Ok((monday, monday + Duration::days(7))),
        "last-week" => Ok((monday - Duration::days(7), monday)),
        "this-month" => span(Some(month), add_months(month, 1)),
        "last-month" => span(add_months(month, -1), Some(month)),
        "this-quarter" => span(Some(quarter), add_months(quarter, 3)),
        "last-quarter" => span(add_months(quarter, -3), Some(quarter)),
        "last-7d" => Ok((today - Duration::days(7), today)),
        "last-30d" => Ok((today - Duration::days(30), today)),
        _ => explicit_period(p).ok_or_else(bad),
    }
}

/// The window `--compare previous` sets beside `window`: for a calendar period
/// (`2026-Q1`, `last-month`), the calendar period before it (Q4, not the 90 days
/// before); for a rolling one or a `--since/--until` window, the window of equal
/// length just before: as many whole local days when it is whole days (a
/// daylight-saving change in either window moves no bound off midnight), else as
/// much time. A window open at either end has none.
pub fn previous_window(window: &Window, period: Option<&str>, tz: Tz) -> Result<Window> {
    let (Some(since), Some(until)) = (window.since, window.until) else {
        return Err(usage_err!(
            "--compare previous needs a bounded window: give --period, or --since and --until"
        ));
    };
    let start = match period.and_then(period_unit) {
        Some(unit) => {
            let first = bucket_floor(since.with_timezone(&tz).date_naive(), unit);
            local_midnight(tz, previous_bucket(first, unit))
        }
        None => {
            let day = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
            let (first, end) = (day(since), day(until));
            if local_midnight(tz, first) == since && local_midnight(tz, end) == until {
                local_midnight(tz, first - (end - first))
            } else {
                since - (until - since)
            }
        }
    };
    Ok(Window {
        since: Some(start),
        until: Some(since),
    })
}

/// The calendar unit a named period spans (`last-week` → week), if it is one.
pub fn period_unit(p: &str) -> Option<Every> {
    match p {
        "today" | "yesterday" => Some(Every::Day),
        "this-week" | "last-week" => Some(Every::Week),
        "this-month" | "last-month" => Some(Every::Month),
        "this-quarter" | "last-quarter" => Some(Every::Quarter),
        "last-7d" | "last-30d" => None,
        _ => match p.split_once('-') {
            None if p.len() == 4 => Some(Every::Year),
            Some((_, r)) if r.starts_with('Q') => Some(Every::Quarter),
            Some((_, r)) if r.starts_with('W') => Some(Every::Week),
            Some((_, r)) if r.len() == 2 => Some(Every::Month),
            // A day's label (`2025-03-18`): the day before `yesterday`, compared.
            Some((_, r)) if r.len() == 5 && r.as_bytes()[2] == b'-' => Some(Every::Day),
            _ => None,
        },
    }
}

/// Why a period written in an explicit period's shape (`2025-W53`, `2025-13`,
/// `2025-Q5`) names none, if it is in such a shape.
fn out_of_range(p: &str) -> Option<String> {
    let (year, rest) = p.split_once('-')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let year: i32 = year
        .parse()
        .ok()
        .filter(|&y: &i32| y > 0 && year.len() == 4 && all_digits(year))?;
    let number = |digits: &str| {
        (digits.parse::<u32>().ok()).filter(|_| digits.len() <= 2 && all_digits(digits))
    };
    if let Some(w) = rest.strip_prefix('W').and_then(number) {
        let last = NaiveDate::from_ymd_opt(year, 12, 28)?.iso_week().week();
        return Some(format!(
            "ISO year {year} has weeks W01 to W{last}, not W{w:02}"
        ));
    }
    if rest.strip_prefix('Q').and_then(number).is_some() {
        return Some("quarters run from Q1 to Q4".into());
    }
    if rest.len() == 2 && number(rest).is_some() {
        return Some("months run from 01 to 12".into());
    }
    if NaiveDate::parse_from_str(p, "%Y-%m-%d").is_ok() {
        return Some(format!(
            "a day is a window of its own: --since {p} --until the next day (or today, yesterday)"
        ));
    }
    None
}

/// A period as typed, in any case (`Last-Week`, `2025-q1`, `2025-w09`), a month
/// of one digit too (`2025-3`): in the form [`named_period`] reads.
pub fn period_written(p: &str) -> String {
    const NAMED: [&str; 10] = [
        "today",
        "yesterday",
        "this-week",
        "last-week",
        "this-month",
        "last-month",
        "this-quarter",
        "last-quarter",
        "last-7d",
        "last-30d",
    ];
    let t = p.trim();
    let lower = t.to_ascii_lowercase();
    if NAMED.contains(&lower.as_str()) {
        return lower;
    }
    match t.split_once('-') {
        Some((year, m)) if m.len() == 1 && m.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{year}-0{m}")
        }
        Some((year, rest)) => format!("{year}-{}", rest.to_ascii_uppercase()),
        None => t.to_string(),
    }
}

/// A period as its bucket is labelled (`2025-W9` is `2025-W09`, `2025-Q01` is
/// `2025-Q1`, `2025-q1` too); a named one (`last-week`) as given.
pub fn canonical_period(p: &str) -> String {
    let p = &period_written(p);
    match (explicit_period(p), period_unit(p)) {
        (Some((start, _)), Some(unit)) => bucket_label(start, unit),
        _ => p.to_string(),
    }
}

/// `2025`, `2025-03`, `2025-Q1`, `2025-W09`.
fn explicit_period(p: &str) -> Option<(NaiveDate, NaiveDate)> {
    let (year, rest) = match p.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (p, None),
    };
    // Digits only: `parse` would take a sign (`2025-W+1`, `+025`).
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let number = rest.map(|r| r.trim_start_matches(['Q', 'W']));
    let odd_number = number.is_some_and(|n| !digits(n) || n.len() > 2);
    if year.len() != 4 || !digits(year) || odd_number || year == "0000" {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    match rest {
        None => Some((first_of_month(year, 1)?, first_of_month(year + 1, 1)?)),
        Some(r) if r.starts_with('Q') => {
            let q: u32 = r[1..].parse().ok().filter(|q| (1..=4).contains(q))?;
            let start = first_of_month(year, (q - 1) * 3 + 1)?;
            Some((start, add_months(start, 3)?))
        }
        Some(r) if r.starts_with('W') => {
            let w: u32 = r[1..].parse().ok()?;
            let start = NaiveDate::from_isoywd_opt(year, w, chrono::Weekday::Mon)?;
            Some((start, start + Duration::days(7)))
        }
        Some(r) if r.len() == 2 => {
            let m: u32 = r.parse().ok()?;
            let start = first_of_month(year, m)?;
            Some((start, add_months(start, 1)?))
        }
        _ => None,
    }
}

/// Rows whose instant (UTC epoch ms) falls in the window.
pub fn in_window(epoch_ms: Expr, window: &Window) -> Expr {
    let mut keep = epoch_ms.clone().is_not_null();
    if let Some(s) = window.since {
        keep = keep.and(epoch_ms.clone().gt_eq(lit(s.timestamp_millis())));
    }
    if let Some(u) = window.until {
        keep = keep.and(epoch_ms.lt(lit(u.timestamp_millis())));
    }
    keep
}

/// The local start date of the bucket holding each instant (UTC epoch ms), in `tz`.
pub fn bucket_start(epoch_ms: Expr, every: Every, tz: Tz) -> Expr {
    let utc = epoch_ms.cast(DataType::Datetime(TimeUnit::Milliseconds, None));
    let local = if tz == Tz::UTC {
        utc
    } else {
        // SAFETY of the name: chrono-tz accepted it, and polars uses the same database.
        let zone = unsafe { PlTimeZone::new_unchecked(tz.name()) };
        utc.dt()
            .replace_time_zone(Some(PlTimeZone::UTC), lit("raise"), NonExistent::Raise)
            .dt()
            .convert_time_zone(zone)
    };
    let date = local.dt().date();
    match every {
        Every::Day => date,
        Every::Week => date.dt().truncate(lit("1w")),
        Every::Month => date.dt().truncate(lit("1mo")),
        Every::Quarter => date.dt().truncate(lit("1q")),
        Every::Year => date.dt().truncate(lit("1y")),
    }
}

/// The start of the bucket holding local date `d` (chrono twin of [`bucket_start`]).
pub fn bucket_floor(d: NaiveDate, every: Every) -> NaiveDate {
    let first_of = |month0: u32| NaiveDate::from_ymd_opt(d.year(), month0 + 1, 1).unwrap_or(d);
    match every {
        Every::Day => d,
        Every::Week => d - chrono::Days::new(u64::from(d.weekday().num_days_from_monday())),
        Every::Month => first_of(d.month0()),
        Every::Quarter => first_of(d.month0() / 3 * 3),
        Every::Year => first_of(0),
    }
}

/// The start of the bucket after the one starting on `start`.
pub fn following_bucket(start: NaiveDate, every: Every) -> NaiveDate {
    let months = |n| {
        start
            .checked_add_months(chrono::Months::new(n))
            .unwrap_or(start)
    };
    match every {
        Every::Day => start + chrono::Days::new(1),
        Every::Week => start + chrono::Days::new(7),
        Every::Month => months(1),
        Every::Quarter => months(3),
        Every::Year => months(12),
    }
}

/// The starts of the buckets from the one holding local date `first` to the one
/// holding `last`; None past `limit` buckets.
pub fn bucket_starts_between(
    first: NaiveDate,
    last: NaiveDate,
    every: Every,
    limit: usize,
) -> Option<Vec<NaiveDate>> {
    let mut d = bucket_floor(first, every);
    let mut out = Vec::new();
    while d <= last {
        out.push(d);
        if out.len() > limit {
            return None;
        }
        d = following_bucket(d, every);
    }
    Some(out)
}

/// The labels of every bucket of a window from its start to its end, in `tz`; none
/// for a window open at either end (or of more than ten thousand buckets).
pub fn window_buckets(window: &Window, every: Every, tz: Tz) -> Vec<String> {
    let (Some(since), Some(until)) = (window.since, window.until) else {
        return Vec::new();
    };
    if until <= since {
        return Vec::new();
    }
    let local = |t: DateTime<Utc>| t.with_timezone(&tz).date_naive();
    let last = local(until - chrono::Duration::milliseconds(1));
    let starts = bucket_starts_between(local(since), last, every, 10_000);
    let labels = starts.unwrap_or_default().into_iter();
    labels.map(|d| bucket_label(d, every)).collect()
}

/// The buckets of `every` that the window's bounds fall inside (a window from
/// February 15 cuts 2025-02), as labels, the first bucket's before the last's: a bound
/// on a bucket's first instant cuts none.
pub fn cut_buckets(window: &Window, every: Every, tz: Tz) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in [window.since, window.until].into_iter().flatten() {
        let start = bucket_floor(t.with_timezone(&tz).date_naive(), every);
        if local_midnight(tz, start) == t {
            continue;
        }
        let label = bucket_label(start, every);
        if !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

/// The start of the bucket before the one starting on `start`.
pub fn previous_bucket(start: NaiveDate, every: Every) -> NaiveDate {
    bucket_floor(start - chrono::Days::new(1), every)
}

/// The bucket a label names (`2025-03-04`, `2025-W09`, `2025-03`, `2025-Q1`,
/// `2025`): its start and unit.
pub fn parse_bucket_label(label: &str) -> Option<(NaiveDate, Every)> {
    if let Ok(day) = NaiveDate::parse_from_str(label, "%Y-%m-%d") {
        return Some((day, Every::Day));
    }
    let (start, _) = explicit_period(label)?;
    Some((start, period_unit(label)?))
}

/// Every bucket label from the earliest of `labels` to the latest, the ones no row
/// has included, so a chart or sparkline spaces its points by time; `labels`
/// themselves, sorted, when they are not all buckets of one unit or span too many.
pub fn timeline(labels: &[String]) -> Vec<String> {
    const MOST: usize = 10_000;
    let mut sorted: Vec<String> = labels.to_vec();
    sorted.sort();
    sorted.dedup();
    let parsed: Option<Vec<(NaiveDate, Every)>> =
        sorted.iter().map(|l| parse_bucket_label(l)).collect();
    let filled = parsed.and_then(|buckets| {
        let every = buckets.first()?.1;
        if buckets.iter().any(|b| b.1 != every) {
            return None;
        }
        let first = buckets.iter().map(|b| b.0).min()?;
        let last = buckets.iter().map(|b| b.0).max()?;
        let starts = bucket_starts_between(first, last, every, MOST)?;
        let all: Vec<String> = starts.into_iter().map(|d| bucket_label(d, every)).collect();
        sorted.iter().all(|l| all.contains(l)).then_some(all)
    });
    filled.unwrap_or(sorted)
}

/// A Date literal.
pub fn date_lit(d: NaiveDate) -> Expr {
    let days = (d - NaiveDate::default()).num_days();
    lit(days as i32).cast(DataType::Date)
}

/// The label of a bucket starting on `start` (SPEC §3): `2025-03-04`, `2025-W09`,
/// `2025-03`, `2025-Q1`, `2025`.
pub fn bucket_label(start: NaiveDate, every: Every) -> String {
    match every {
        Every::Day => start.format("%Y-%m-%d").to_string(),
        Every::Week => {
            let w = start.iso_week();
            format!("{}-W{:02}", w.year(), w.week())
        }
        Every::Month => start.format("%Y-%m").to_string(),
        Every::Quarter => format!("{}-Q{}", start.year(), start.month0() / 3 + 1),
        Every::Year => format!("{}", start.year()),
    }
}

/// The start of the bucket after the one starting at `period` (a Date).
pub fn next_bucket(period: Expr, every: Every) -> Expr {
    // A jump that always lands inside the next bucket, then back to its start.
    let days = match every {
        Every::Day => 1,
        Every::Week => 7,
        Every::Month => 31,
        Every::Quarter => 92,
        Every::Year => 366,
    };
    let moved = (period.cast(DataType::Int32) + lit(days)).cast(DataType::Date);
    match every {
        Every::Day | Every::Week => moved,
        Every::Month => moved.dt().truncate(lit("1mo")),
        Every::Quarter => moved.dt().truncate(lit("1q")),
        Every::Year => moved.dt().truncate(lit("1y")),
    }
}

#[cfg(test)]
mod tests {
    /// A bound cuts the bucket it falls inside, on the clock of the zone; one on a
    /// bucket's first instant cuts none.
    /// An instant's offset as data columns write it: `+00`, `+0545`, `+05:45`.
    #[test]
    fn instants_take_the_offsets_data_takes() {
        let at = |s: &str| instant(s).map(|t| t.to_rfc3339());
        let utc = Some("2024-09-08T04:00:00+00:00".to_string());
        assert_eq!(at("2024-09-08T04:00:00+00"), utc);
        assert_eq!(at("2024-09-08T04:00:00Z"), utc);
        assert_eq!(at("2024-09-08T09:45:00+0545"), utc);
        assert_eq!(at("2024-09-08 09:45:00+05:45"), utc);
        assert_eq!(at("2024-09-08 09:45+0545"), utc);
        assert_eq!(at("2024-09-08T04:00"), None);
        // ISO 8601's end of a day, the next midnight; no later time of hour 24.
        let midnight = Some("2024-09-09T00:00:00+00:00".to_string());
        assert_eq!(at("2024-09-08T24:00:00Z"), midnight);
        assert_eq!(at("2024-09-08T24:00Z"), midnight);
        assert_eq!(at("2024-09-08 24:00:00.000+00:00"), midnight);
        assert_eq!(
            at("2024-09-08T24:00:00-04:00"),
            Some("2024-09-09T04:00:00+00:00".to_string())
        );
        for later in [
            "2024-09-08T24:00:01Z",
            "2024-09-08T24:01Z",
            "2024-09-08T24:00:00.5Z",
        ] {
            assert_eq!(at(later), None, "{later}");
        }
        // Only ISO dates, and suffixes the ISO forms read: no dotted or slash date, no
        // ` Z` (which the data's ISO forms do not read either).
        for other in [
            "13.03.2025 24:00",
            "2025/03/03 24:00",
            "2025-03-03 24:00:00 Z",
        ] {
            assert_eq!(end_of_day_as_midnight(other), None, "{other}");
        }
        assert!(end_of_day_as_midnight("2025-03-03 24:00:00 UTC").is_some());
        assert!(end_of_day_as_midnight("2025-03-03 24:00 +0100").is_some());
        // A local bound: the next day's local midnight (New York, before its clocks
        // go forward on 2025-03-09: 05:00 UTC).
        let tz: Tz = "America/New_York".parse().unwrap();
        let bound = parse_bound("--until", "2025-03-08T24:00", tz).map(|t| t.to_rfc3339());
        assert_eq!(bound.ok(), Some("2025-03-09T05:00:00+00:00".to_string()));
    }

    /// Two bounds in Santiago's skipped hour (2024-09-08, 00:00 to 01:00) are both
    /// its end, 04:00 UTC: the error says why.
    /// The offset after a time, in any of its forms; none after a date alone.
    #[test]
    fn written_offsets_are_read_in_any_form() {
        for (value, secs) in [
            ("2025-03-01T10:00:00+15:00", Some(15 * 3600)),
            ("2025-03-01 10:00:00 -0530", Some(-(5 * 3600 + 30 * 60))),
            ("01/03/2025 10:00+05", Some(5 * 3600)),
            ("2025-03-01T10:00:00Z", None),
            ("2025-03-01", None),
            ("2025-03-01T10:00:00.5", None),
            ("02:30 30-03-2025", None),
            ("2025-03-01T10:00:00.123-0500", Some(-5 * 3600)),
            ("2025/03/04 10:15:00 AM GMT+1", Some(3600)),
            (
                "2025/03/04 10:15:00 AM GMT-3:30",
                Some(-(3 * 3600 + 30 * 60)),
            ),
            ("2025/03/04 10:15:00 AM UTC+15", Some(15 * 3600)),
            ("2025/03/04 10:15:00 AM GMT+", None),
            ("2025/03/04 10:15:00 AM GMT+0530", Some(5 * 3600 + 30 * 60)),
            ("2025/03/04 10:15:00 AM GMT+1500", Some(15 * 3600)),
            ("2025/03/04 10:15:00 AM GMT+123", None),
        ] {
            assert_eq!(written_offset(value), secs, "{value}");
        }
        assert!(is_zone_offset(14 * 3600) && is_zone_offset(-12 * 3600));
        assert!(!is_zone_offset(14 * 3600 + 60) && !is_zone_offset(-12 * 3600 - 60));
    }

    #[test]
    fn bounds_in_a_gap_are_named_when_they_meet() {
        let tz: Tz = "America/Santiago".parse().unwrap_or(Tz::UTC);
        let spec = WindowSpec {
            since: Some("2024-09-08T00:30".into()),
            until: Some("2024-09-08T00:45".into()),
            period: None,
        };
        let err = resolve_window(&spec, tz, Utc::now())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("--since 2024-09-08T00:30 and --until 2024-09-08T00:45 in the time the clocks skip in America/Santiago"),
            "{err}"
        );
        // Bounds out of order on the wall clock: the gap is not why.
        let spec = WindowSpec {
            since: Some("2024-09-09".into()),
            until: Some("2024-09-08".into()),
            period: None,
        };
        let err = resolve_window(&spec, tz, Utc::now())
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(!err.contains("skip"), "{err}");
    }

    #[test]
    fn bounds_inside_buckets_cut_them() {
        use chrono::TimeZone;
        let at = |y, m, d, h| Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single();
        let window = |since, until| Window { since, until };
        let utc = chrono_tz::UTC;
        let mid = window(at(2025, 1, 15, 0), at(2025, 2, 15, 0));
        assert_eq!(cut_buckets(&mid, Every::Month, utc), ["2025-01", "2025-02"]);
        let whole = window(at(2025, 1, 1, 0), at(2025, 3, 1, 0));
        assert!(cut_buckets(&whole, Every::Month, utc).is_empty());
        assert!(cut_buckets(&whole, Every::Quarter, utc) == ["2025-Q1"]);
        // February 2025 runs Saturday to Friday: weeks 5 and 9 are cut.
        let february = window(at(2025, 2, 1, 0), at(2025, 3, 1, 0));
        assert_eq!(
            cut_buckets(&february, Every::Week, utc),
            ["2025-W05", "2025-W09"]
        );
        // New York's midnight of January 1 is 05:00 UTC: whole there, cut in UTC.
        let new_york = window(at(2025, 1, 1, 5), None);
        assert!(cut_buckets(&new_york, Every::Month, chrono_tz::America::New_York).is_empty());
        assert_eq!(cut_buckets(&new_york, Every::Month, utc), ["2025-01"]);
        // Within one bucket: named once.
        let inside = window(at(2025, 1, 10, 0), at(2025, 1, 20, 0));
        assert_eq!(cut_buckets(&inside, Every::Month, utc), ["2025-01"]);
    }

    /// A wall time in a gap is the gap's end, to the second: Paris's of 2025 (02:00
    /// to 03:00 CEST, from 01:00Z) whatever the seconds asked, and Kolkata's of
    /// 1906-01-01 (+05:21:10 to +05:30: 00:00 to 00:08:50 never happened; its end is
    /// 1905-12-31T18:38:50Z). Outside gaps, the offset applies (the earlier of two).
    #[test]
    fn a_wall_time_in_a_gap_is_its_end() {
        let at = |tz: &str, wall: &str| {
            let tz: chrono_tz::Tz = tz.parse().unwrap();
            let wall = chrono::NaiveDateTime::parse_from_str(wall, "%Y-%m-%d %H:%M:%S").unwrap();
            super::local_instant(tz, wall).to_rfc3339()
        };
        assert_eq!(
            at("Europe/Paris", "2025-03-30 02:30:30"),
            "2025-03-30T01:00:00+00:00"
        );
        assert_eq!(
            at("Europe/Paris", "2025-03-30 02:00:00"),
            "2025-03-30T01:00:00+00:00"
        );
        assert_eq!(
            at("Asia/Kolkata", "1906-01-01 00:05:00"),
            "1905-12-31T18:38:50+00:00"
        );
        assert_eq!(
            at("Asia/Kolkata", "1906-01-01 00:08:49"),
            "1905-12-31T18:38:50+00:00"
        );
        assert_eq!(
            at("Asia/Kolkata", "1906-01-01 00:08:50"),
            "1905-12-31T18:38:50+00:00"
        );
        assert_eq!(
            at("Europe/Paris", "2025-10-26 02:30:00"),
            "2025-10-26T00:30:00+00:00"
        );
        assert_eq!(
            at("Europe/Paris", "2025-03-30 03:00:00"),
            "2025-03-30T01:00:00+00:00"
        );
    }

    /// Zone names are taken in any case; an unknown one is none.
    #[test]
    fn zones_in_any_case() {
        use chrono_tz::Tz;
        assert_eq!(super::zone_named("utc"), Some(Tz::UTC));
        assert_eq!(super::zone_named("europe/berlin"), Some(Tz::Europe__Berlin));
        assert_eq!(
            super::zone_named("AMERICA/ARGENTINA/BUENOS_AIRES"),
            Some(Tz::America__Argentina__Buenos_Aires)
        );
        assert_eq!(super::zone_named("Mars/Olympus"), None);
    }

    /// Spans on Berlin's clock (UTC milliseconds of RFC 3339 times): across the
    /// autumn change a day is 25 hours; 30 minutes from either pass of the repeated
    /// hour stay 30 minutes (not whole days: elapsed time); a day from 02:30 before the
    /// spring gap is 03:30, 24 hours.
    #[test]
    fn spans_on_the_clock() {
        let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
        let ms = |t: &str| {
            chrono::DateTime::parse_from_rfc3339(t)
                .unwrap()
                .timestamp_millis()
        };
        let (minute, day) = (60_000, 86_400_000);
        let later = |t: &str, span: i64| super::later_on_the_clock(ms(t), span, berlin);
        assert_eq!(
            later("2025-10-25T22:00:00Z", day),
            ms("2025-10-26T23:00:00Z")
        );
        assert_eq!(
            later("2025-10-26T00:10:00Z", 30 * minute),
            ms("2025-10-26T00:40:00Z")
        );
        assert_eq!(
            later("2025-10-26T01:10:00Z", 30 * minute),
            ms("2025-10-26T01:40:00Z")
        );
        assert_eq!(
            later("2025-03-29T01:30:00Z", day),
            ms("2025-03-30T01:30:00Z")
        );
        assert_eq!(
            later("2025-06-01T10:00:00Z", 90 * minute),
            ms("2025-06-01T11:30:00Z")
        );
        // Not whole days: elapsed, across the spring gap too.
        assert_eq!(
            later("2025-03-30T00:50:00Z", 90 * minute),
            ms("2025-03-30T02:20:00Z")
        );
        // Havana's repeated hour holds midnight: 305 days from a midnight end at the
        // first one, as `--until 2025-11-02` does.
        let havana: chrono_tz::Tz = "America/Havana".parse().unwrap();
        assert_eq!(
            super::later_on_the_clock(ms("2025-01-01T05:00:00Z"), 305 * day, havana),
            ms("2025-11-02T04:00:00Z")
        );
    }

    #[test]
    fn a_period_out_of_range_says_why() {
        let why = |p: &str| {
            let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
            super::named_period(p, today).unwrap_err().to_string()
        };
        // 2025 ends on a Wednesday: 52 ISO weeks; 2026 ends on a Thursday: 53.
        assert!(why("2025-W53").contains("ISO year 2025 has weeks W01 to W52, not W53"));
        assert!(super::named_period(
            "2026-W53",
            chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
        )
        .is_ok());
        assert!(why("2025-W00").contains("not W00"));
        assert!(why("2025-13").contains("months run from 01 to 12"));
        assert!(why("2025-Q5").contains("quarters run from Q1 to Q4"));
        assert!(why("2025-02-03").contains("--since 2025-02-03"));
        assert!(why("2025-02-30").contains("unknown period"));
        assert!(why("soon").contains("unknown period"));
        assert_eq!(super::canonical_period("2025-W9"), "2025-W09");
        assert_eq!(super::canonical_period("2025-Q01"), "2025-Q1");
        assert_eq!(super::canonical_period("last-week"), "last-week");
        assert_eq!(super::canonical_period("Last-Week"), "last-week");
        assert_eq!(super::canonical_period("2025-q1"), "2025-Q1");
        assert_eq!(super::canonical_period("2025-w09"), "2025-W09");
        assert_eq!(super::canonical_period("2025-3"), "2025-03");
        assert_eq!(super::canonical_period(" 2025 "), "2025");
        for odd in [
            "2025-W+1",
            "2025-+1",
            "2025-Q+1",
            "+025-01",
            "0000-01",
            "2025-W009",
        ] {
            assert!(why(odd).contains("unknown period"), "{odd}");
        }
    }

    #[test]
    fn a_timeline_holds_the_buckets_no_row_has() {
        let labels = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            timeline(&labels(&["2025-03", "2025-01", "2025-04"])),
            labels(&["2025-01", "2025-02", "2025-03", "2025-04"])
        );
        assert_eq!(
            timeline(&labels(&["2025-W01", "2024-W51"])),
            labels(&["2024-W51", "2024-W52", "2025-W01"])
        );
        assert_eq!(
            timeline(&labels(&["2025-Q4", "2026-Q2"])),
            labels(&["2025-Q4", "2026-Q1", "2026-Q2"])
        );
        assert_eq!(
            timeline(&labels(&["2024-02-28", "2024-03-01"])),
            labels(&["2024-02-28", "2024-02-29", "2024-03-01"])
        );
        // Not buckets of one unit: as they are, sorted.
        assert_eq!(timeline(&labels(&["b", "a"])), labels(&["a", "b"]));
        assert_eq!(
            timeline(&labels(&["2025", "2025-03"])),
            labels(&["2025", "2025-03"])
        );
    }

    use super::*;

    /// `--now` at a leap second is the next minute, as a time in the data is: today
    /// at `2016-12-31T23:59:60Z` is 2017-01-01.
    #[test]
    fn a_leap_second_now_is_the_next_minute() {
        let now = resolve_now(Some("2016-12-31T23:59:60Z")).unwrap();
        assert_eq!(now.to_rfc3339(), "2017-01-01T00:00:00+00:00");
        let half = resolve_now(Some("2016-12-31T23:59:60.5Z")).unwrap();
        assert_eq!(half.to_rfc3339(), "2017-01-01T00:00:00.500+00:00");
        let plain = resolve_now(Some("2016-12-31T23:59:59Z")).unwrap();
        assert_eq!(plain.to_rfc3339(), "2016-12-31T23:59:59+00:00");
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn relative_periods_around_a_wednesday() {
        // 2025-03-05 is a Wednesday.
        let today = d("2025-03-05");
        assert_eq!(
            named_period("today", today).unwrap(),
            (d("2025-03-05"), d("2025-03-06"))
        );
        assert_eq!(
            named_period("yesterday", today).unwrap(),
            (d("2025-03-04"), d("2025-03-05"))
        );
        assert_eq!(
            named_period("this-week", today).unwrap(),
            (d("2025-03-03"), d("2025-03-10"))
        );
        assert_eq!(
            named_period("last-week", today).unwrap(),
            (d("2025-02-24"), d("2025-03-03"))
        );
        assert_eq!(
            named_period("this-month", today).unwrap(),
            (d("2025-03-01"), d("2025-04-01"))
        );
        assert_eq!(
            named_period("last-month", today).unwrap(),
            (d("2025-02-01"), d("2025-03-01"))
        );
        assert_eq!(
            named_period("this-quarter", today).unwrap(),
            (d("2025-01-01"), d("2025-04-01"))
        );
        assert_eq!(
            named_period("last-quarter", today).unwrap(),
            (d("2024-10-01"), d("2025-01-01"))
        );
        assert_eq!(
            named_period("last-7d", today).unwrap(),
            (d("2025-02-26"), d("2025-03-05"))
        );
        assert_eq!(
            named_period("last-30d", today).unwrap(),
            (d("2025-02-03"), d("2025-03-05"))
        );
    }

    #[test]
    fn last_month_in_january_wraps_the_year() {
        assert_eq!(
            named_period("last-month", d("2025-01-15")).unwrap(),
            (d("2024-12-01"), d("2025-01-01"))
        );
    }

    #[test]
    fn explicit_periods() {
        let any = d("2000-01-01");
        assert_eq!(
            named_period("2025", any).unwrap(),
            (d("2025-01-01"), d("2026-01-01"))
        );
        assert_eq!(
            named_period("2025-03", any).unwrap(),
            (d("2025-03-01"), d("2025-04-01"))
        );
        assert_eq!(
            named_period("2025-Q4", any).unwrap(),
            (d("2025-10-01"), d("2026-01-01"))
        );
        // ISO week 1 of 2025 starts on Monday 2024-12-30.
        assert_eq!(
            named_period("2025-W01", any).unwrap(),
            (d("2024-12-30"), d("2025-01-06"))
        );
        assert!(named_period("2025-13", any).is_err());
        assert!(named_period("2025-Q5", any).is_err());
        assert!(named_period("fortnight", any).is_err());
    }

    #[test]
    fn previous_whole_days_across_a_daylight_saving_change() {
        let ny = parse_tz("America/New_York").unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // 30 days holding the clocks' change back on 2 November (30 days and an hour
        // long): the 30 whole days before, from midnight.
        let window = Window {
            since: Some(local_midnight(ny, day(2025, 10, 6))),
            until: Some(local_midnight(ny, day(2025, 11, 5))),
        };
        let previous = previous_window(&window, None, ny).unwrap();
        assert_eq!(previous.since, Some(local_midnight(ny, day(2025, 9, 6))));
        assert_eq!(previous.until, window.since);
        // A window of hours keeps its length.
        let since = local_midnight(ny, day(2025, 11, 2)) + Duration::hours(5);
        let hours = Window {
            since: Some(since),
            until: Some(since + Duration::hours(6)),
        };
        let previous = previous_window(&hours, None, ny).unwrap();
        assert_eq!(previous.since, Some(since - Duration::hours(6)));
    }

    #[test]
    fn local_midnight_in_a_zone() {
        let tz = parse_tz("America/New_York").unwrap();
        // EST is UTC-5 in January.
        assert_eq!(
            local_midnight(tz, d("2025-01-10")).to_rfc3339(),
            "2025-01-10T05:00:00+00:00"
        );
        // EDT is UTC-4 in July.
        assert_eq!(
            local_midnight(tz, d("2025-07-10")).to_rfc3339(),
            "2025-07-10T04:00:00+00:00"
        );
        assert!(parse_tz("Mars/Olympus").is_err());
    }

    #[test]
    fn labels() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(bucket_label(d("2025-03-04"), Every::Day), "2025-03-04");
        assert_eq!(bucket_label(d("2024-12-30"), Every::Week), "2025-W01");
        assert_eq!(bucket_label(d("2025-02-24"), Every::Week), "2025-W09");
        assert_eq!(bucket_label(d("2025-03-01"), Every::Month), "2025-03");
        assert_eq!(bucket_label(d("2025-10-01"), Every::Quarter), "2025-Q4");
        assert_eq!(bucket_label(d("2025-01-01"), Every::Year), "2025");
    }

    #[test]
    fn bucket_floors() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(bucket_floor(d("2025-01-01"), Every::Week), d("2024-12-30"));
        assert_eq!(
            bucket_floor(d("2025-08-17"), Every::Quarter),
            d("2025-07-01")
        );
        assert_eq!(
            previous_bucket(d("2025-03-01"), Every::Month),
            d("2025-02-01")
        );
        assert_eq!(
            previous_bucket(d("2025-01-01"), Every::Quarter),
            d("2024-10-01")
        );
        assert_eq!(
            previous_bucket(d("2024-12-30"), Every::Week),
            d("2024-12-23")
        );
        assert_eq!(
            previous_bucket(d("2025-01-01"), Every::Year),
            d("2024-01-01")
        );
    }
}
