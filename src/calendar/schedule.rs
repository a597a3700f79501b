//! Business hours (SPEC §8): a schedule is a zone, weekly open hours per weekday
//! (split shifts too) and whole-day holidays, or 24/7. The business time of an
//! interval is the length of its intersection with the open time.
//!
//! Open hours are local wall-clock times: each day's intervals become instants in the
//! schedule's zone, so a 09:00–17:00 day is 8 h on a DST change day unless the change
//! falls inside it (then 7 h or 9 h). A wall time that does not exist (in the spring
//! gap) is the first instant after it; one that exists twice (in the autumn overlap)
//! is the earlier. Each local day's open instants are computed once (per
//! [`OpenDays`]) with the open time of the days before it, so an interval of any
//! length costs two look-ups.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::error::Result;
use crate::usage_err;

/// A schedule as written in the config file (`[schedules.NAME]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSpec {
    pub tz: Option<String>,
    #[serde(default, deserialize_with = "open_hours")]
    pub mon: Option<Vec<String>>,
    #[serde(default, deserialize_with = "open_hours")]
    pub tue: Option<Vec<String>>,
    #[serde(default, deserialize_with = "open_hours")]
    pub wed: Option<Vec<String>>,
    #[serde(default, deserialize_with = "open_hours")]
    pub thu: Option<Vec<String>>,
    #[serde(default, deserialize_with = "open_hours")]
    pub fri: Option<Vec<String>>,
    #[serde(default, deserialize_with = "open_hours")]
    pub sat: Option<Vec<String>>,
    #[serde(default, deserialize_with = "open_hours")]
    pub sun: Option<Vec<String>>,
    /// Whole local days, `YYYY-MM-DD` or an inclusive range `YYYY-MM-DD..YYYY-MM-DD`
    /// (a TOML date unquoted too).
    #[serde(default, deserialize_with = "holiday_texts")]
    pub holidays: Vec<String>,
    /// Open all the time (no other keys).
    pub always: Option<bool>,
}

/// A day's open hours: a list of intervals, or one interval alone (`"09:00-17:00"`).
fn open_hours<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    let wrong = |kind: &str| {
        serde::de::Error::custom(format!(
            "open hours are a list of intervals ([\"09:00-12:00\", \"13:00-17:00\"]) or one (\"09:00-17:00\"), not {kind}"
        ))
    };
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(Some(vec![s])),
        toml::Value::Array(values) => (values.into_iter())
            .map(|v| match v {
                toml::Value::String(s) => Ok(s),
                other => Err(wrong(&format!("a list holding {}", a_kind(&other)))),
            })
            .collect::<Result<Vec<String>, D::Error>>()
            .map(Some),
        other => Err(wrong(&a_kind(&other))),
    }
}

/// A TOML value's kind, with its article (`an integer`, `a float`).
fn a_kind(value: &toml::Value) -> String {
    match value.type_str() {
        kind @ ("integer" | "array") => format!("an {kind}"),
        kind => format!("a {kind}"),
    }
}

/// Holidays as texts: quoted, or TOML dates (`2025-12-25` unquoted is valid TOML).
fn holiday_texts<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    // One holiday alone too, as a day's open hours may be one interval alone.
    let values = match toml::Value::deserialize(d)? {
        toml::Value::Array(values) => values,
        one => vec![one],
    };
    (values.into_iter())
        .map(|v| match v {
            toml::Value::String(s) => Ok(s),
            toml::Value::Datetime(d) => Ok(d.to_string()),
            other => Err(serde::de::Error::custom(format!(
                "a holiday is a date (\"YYYY-MM-DD\") or a range (\"YYYY-MM-DD..YYYY-MM-DD\"), not {}",
                a_kind(&other)
            ))),
        })
        .collect()
}

/// Open hours, checked and ready for arithmetic.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub tz: Tz,
    /// Per weekday from Monday: open intervals in seconds after local midnight,
    /// `[start, end)`, sorted and disjoint; `end` may be 86,400 (24:00).
    week: [Vec<(u32, u32)>; 7],
    holidays: BTreeSet<NaiveDate>,
    always: bool,
}

/// The open instants of a run of consecutive local days, one after another, with the
/// open time before each, and per UTC day the first interval still open when the day
/// starts: the business time of any interval is then a difference of two look-ups of
/// a step or two each, however long it is. Filled on demand; tickets share days.
#[derive(Debug, Default)]
pub struct OpenDays {
    /// The day number (days since 1970-01-01) of the first local day covered, and of
    /// the first UTC day in `first_open`.
    first: i64,
    /// Local days covered: `first..first + covered`.
    covered: i64,
    /// Open intervals as UTC milliseconds, ascending and disjoint.
    open: Vec<(i64, i64)>,
    /// Open milliseconds before `open[i]`, from an arbitrary base.
    before: Vec<i64>,
    /// Open milliseconds of all of `open`, from the same base.
    total: i64,
    /// Per UTC day from `first`: the first interval that ends after the day starts.
    first_open: Vec<u32>,
    /// Per UTC day from `first`, once every local day that may be open in it is
    /// covered: its open time as at most [`SLOTS`] intervals, with the open time
    /// before the day (`None`: more intervals, or not yet complete).
    day_open: Vec<Option<DayOpen>>,
}

/// Intervals a UTC day's open time is kept as in a [`DayOpen`]: a day of split
/// shifts in a zone behind UTC, whose local days straddle UTC midnight, has three.
const SLOTS: usize = 3;

/// The open time of a UTC day: the open time before it (as [`OpenDays::before`]
/// counts it), and its open intervals as (start, length), clipped to the day and
/// padded with empty ones. The open time before an instant of the day is then a sum
/// with no branch.
#[derive(Debug, Clone, Copy)]
struct DayOpen {
    before: i64,
    open: [(i64, i64); SLOTS],
}

const MS_A_DAY: i64 = 86_400_000;

/// Days added at least when the run grows to the past.
const GROW_BACK: i64 = 64;

/// A local day's hours lie within a day and a half of its UTC day (zones are at most
/// 14 h from UTC): the local days that may be open around an instant are its UTC day
/// and this many either side.
const AROUND: i64 = 2;

impl OpenDays {
    /// Cache local days `lo..=hi` (days since 1970-01-01).
    #[inline]
    fn cover(&mut self, lo: i64, hi: i64, schedule: &Schedule) {
        if self.covered == 0 || lo < self.first || hi >= self.first + self.covered {
            self.grow(lo, hi, schedule);
        }
    }

    #[inline(never)]
    fn grow(&mut self, lo: i64, hi: i64, schedule: &Schedule) {
        if self.covered == 0 {
            self.first = lo;
        } else if lo < self.first {
            // The earlier days' instants are worked out; the run's are kept.
            let from = lo.min(self.first - GROW_BACK);
            let later = std::mem::replace(
                self,
                OpenDays {
                    first: from,
                    ..OpenDays::default()
                },
            );
            self.extend_to(later.first - 1, schedule);
            for &(start, end) in &later.open {
                self.push_open(start, end);
            }
            self.covered += later.covered;
            self.index();
        }
        self.extend_to(hi, schedule);
    }

    /// Add the local days after the run up to `hi`.
    fn extend_to(&mut self, hi: i64, schedule: &Schedule) {
        while self.first + self.covered <= hi {
            let day = self.first + self.covered;
            for (start, end) in schedule.open_instants(date_of(day)) {
                self.push_open(start, end);
            }
            self.covered += 1;
        }
        self.index();
    }

    fn push_open(&mut self, start: i64, end: i64) {
        // The open time is the union of the days' intervals: a day that begins
        // before the last one ended (a clock set back over midnight) counts the
        // overlap once.
        let start = start.max(self.open.last().map_or(i64::MIN, |&(_, e)| e));
        if end > start {
            self.open.push((start, end));
            self.before.push(self.total);
            self.total += end - start;
        }
    }

    /// `first_open` for the UTC days of the covered local days. When UTC day `d` is
    /// indexed, every interval ending by its start is known (local days after `d`
    /// start later), and an interval added later ends later: entries stay right as
    /// the run grows.
    fn index(&mut self) {
        let mut i = self.first_open.last().map_or(0, |&i| i as usize);
        while (self.first_open.len() as i64) < self.covered {
            let day_start = (self.first + self.first_open.len() as i64) * MS_A_DAY;
            while self.open.get(i).is_some_and(|&(_, end)| end <= day_start) {
                i += 1;
            }
            self.first_open.push(i as u32);
        }
        // A UTC day is complete once the local days up to `AROUND` after it are in.
        let complete = (self.covered - AROUND).max(0) as usize;
        while self.day_open.len() < complete {
            let d = self.day_open.len();
            let day = self.day_open_of(d);
            self.day_open.push(day);
        }
    }

    /// [`DayOpen`] of UTC day `d` (from `first`), when its intervals fit.
    fn day_open_of(&self, d: usize) -> Option<DayOpen> {
        if d < AROUND as usize {
            // The local days before the run, which may be open in it, are not in.
            return None;
        }
        let day_start = (self.first + d as i64) * MS_A_DAY;
        let day_end = day_start + MS_A_DAY;
        let first = *self.first_open.get(d)? as usize;
        let mut open = [(day_start, 0); SLOTS];
        let mut slots = open.iter_mut();
        for &(start, end) in self
            .open
            .get(first..)?
            .iter()
            .take_while(|(s, _)| *s < day_end)
        {
            let (start, end) = (start.max(day_start), end.min(day_end));
            *slots.next()? = (start, end - start);
        }
        Some(DayOpen {
            before: self.before_from_intervals(day_start, d),
            open,
        })
    }

    /// Open milliseconds before instant `t` (from the run's base); the days around it
    /// must be covered.
    #[inline]
    fn before(&self, t: i64) -> i64 {
        self.before_in(t, day_of(t))
    }

    /// [`OpenDays::before`] for `t` in UTC day `day` (days since 1970-01-01).
    #[inline(always)]
    fn before_in(&self, t: i64, day: i64) -> i64 {
        let d = (day - self.first) as usize;
        match self.day_open.get(d) {
            Some(Some(day)) => {
                // Written out: an iterator's sum was a call a look-up.
                let [a, b, c] = day.open;
                // Not `clamp`, which checks its bounds (lengths are never negative).
                let open = |(start, len): (i64, i64)| (t - start).max(0).min(len);
                day.before + open(a) + open(b) + open(c)
            }
            _ => self.before_from_intervals(t, d),
        }
    }

    /// [`OpenDays::before_in`] from the intervals, for UTC day `d` (from `first`).
    #[inline(never)]
    fn before_from_intervals(&self, t: i64, d: usize) -> i64 {
        let first = self.first_open[d] as usize;
        // The intervals that end within the day, counted rather than searched (ends
        // ascend): a search's end was mispredicted at most look-ups.
        let next = self
            .first_open
            .get(d + 1)
            .map_or(self.open.len(), |&i| i as usize);
        let ended = self.open[first..next]
            .iter()
            .filter(|(_, end)| *end <= t)
            .count();
        match self.open.get(first + ended) {
            Some(&(start, _)) => self.before[first + ended] + (t - start).max(0),
            None => self.total,
        }
    }
}

/// The UTC day (days since 1970-01-01) of an instant in UTC milliseconds: after 1970
/// an unsigned division, which costs less than a signed one rounded down.
#[inline]
fn day_of(t: i64) -> i64 {
    match u64::try_from(t) {
        Ok(t) => (t / MS_A_DAY as u64) as i64,
        Err(_) => t.div_euclid(MS_A_DAY),
    }
}

/// The date of a day number (days since 1970-01-01).
fn date_of(day: i64) -> NaiveDate {
    i32::try_from(day)
        .ok()
        .and_then(|d| d.checked_add(EPOCH_CE))
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or_default()
}

/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const EPOCH_CE: i32 = 719_163;

/// Longest holiday range accepted (a typo such as `2025..2052` is an error, not a
/// decade of closed days).
const MAX_HOLIDAY_DAYS: i64 = 366;

impl Schedule {
    /// Check a written schedule; errors name `schedules.NAME` and the key.
    pub fn parse(name: &str, spec: &ScheduleSpec) -> Result<Schedule> {
        let key = |k: &str| format!("schedules.{}.{k}", crate::config::key_name(name));
        let days = [
            ("mon", &spec.mon),
            ("tue", &spec.tue),
            ("wed", &spec.wed),
            ("thu", &spec.thu),
            ("fri", &spec.fri),
            ("sat", &spec.sat),
            ("sun", &spec.sun),
        ];
        let always = spec.always.unwrap_or(false);
        // SPEC §8: `always = true` takes no other keys (a zone would say nothing).
        if always
            && (days.iter().any(|(_, d)| d.is_some())
                || !spec.holidays.is_empty()
                || spec.tz.is_some())
        {
            return Err(usage_err!(
                "{}: a 24/7 schedule takes no other keys (no tz, weekdays or holidays)",
                key("always")
            ));
        }
        let tz = match spec.tz.as_deref() {
            Some(z) => super::zone_named(z).ok_or_else(|| {
                usage_err!("{}: unknown time zone '{z}' (use an IANA name)", key("tz"))
            })?,
            None if always => Tz::UTC,
            None => {
                return Err(usage_err!(
                    "{}: missing (the zone the hours are in)",
                    key("tz")
                ))
            }
        };
        let mut week: [Vec<(u32, u32)>; 7] = Default::default();
        for (i, (day, hours)) in days.iter().enumerate() {
            let mut read: Vec<((u32, u32), &String)> = Vec::new();
            for text in hours.iter().flatten() {
                let parsed = interval(text).ok_or_else(|| {
                    usage_err!(
                        "{}: '{text}' is not an interval like \"09:00-17:00\" (start before end, 00:00 to 24:00)",
                        key(day)
                    )
                })?;
                read.push((parsed, text));
            }
            read.sort_unstable();
            if let Some(w) = read.windows(2).find(|w| w[1].0 .0 < w[0].0 .1) {
                return Err(usage_err!(
                    "{}: the intervals '{}' and '{}' overlap",
                    key(day),
                    w[0].1,
                    w[1].1
                ));
            }
            week[i] = read.into_iter().map(|(parsed, _)| parsed).collect();
        }
        if !always && week.iter().all(Vec::is_empty) {
            return Err(usage_err!(
                "schedules.{}: no open hours (give mon … sun intervals, or always = true)",
                crate::config::key_name(name)
            ));
        }
        let mut holidays = BTreeSet::new();
        for text in &spec.holidays {
            let bad = || {
                usage_err!(
                    "{}: '{text}' is not a date (YYYY-MM-DD) or an inclusive range of at most {MAX_HOLIDAY_DAYS} days (YYYY-MM-DD..YYYY-MM-DD)",
                    key("holidays")
                )
            };
            let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
            let (first, last) = match text.split_once("..") {
                Some((a, b)) => (date(a).ok_or_else(bad)?, date(b).ok_or_else(bad)?),
                None => {
                    let d = date(text).ok_or_else(bad)?;
                    (d, d)
                }
            };
            let days = (last - first).num_days();
            if days < 0 {
                return Err(usage_err!(
                    "{}: '{text}' ends before it starts (a range is FIRST..LAST, both included)",
                    key("holidays")
                ));
            }
            if days >= MAX_HOLIDAY_DAYS {
                return Err(bad());
            }
            holidays.extend(first.iter_days().take(days as usize + 1));
        }
        Ok(Schedule {
            tz,
            week,
            holidays,
            always,
        })
    }

    /// Business seconds in `[a, b]`: its overlap with the open hours; 0 when `b`
    /// is not after `a`.
    pub fn business_seconds(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
        self.business_seconds_with(a, b, &mut OpenDays::default())
    }

    /// [`Schedule::business_seconds`], each local day's open instants computed once
    /// in `days` (zone conversions cost more than the rest; tickets share days).
    pub fn business_seconds_with(
        &self,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
        days: &mut OpenDays,
    ) -> f64 {
        self.business_ms(a.timestamp_millis(), b.timestamp_millis(), days) as f64 / 1000.0
    }

    /// Business milliseconds in `[from, to]` (UTC milliseconds).
    #[inline]
    pub fn business_ms(&self, from: i64, to: i64, days: &mut OpenDays) -> i64 {
        if to <= from {
            return 0;
        }
        if self.always {
            return to - from;
        }
        days.cover(day_of(from) - AROUND, day_of(to) + AROUND, self);
        days.before(to) - days.before(from)
    }

    /// [`Schedule::business_ms`] from one start to each of two ends (`None`: none),
    /// the start looked up once.
    #[inline]
    pub fn business_ms_since(
        &self,
        from: i64,
        ends: [Option<i64>; 2],
        days: &mut OpenDays,
    ) -> [Option<i64>; 2] {
        let [a, b] = ends;
        if self.always {
            return [
                a.map(|end| (end - from).max(0)),
                b.map(|end| (end - from).max(0)),
            ];
        }
        let first = day_of(from);
        let (day_a, day_b) = (a.map_or(first, day_of), b.map_or(first, day_of));
        days.cover(first - AROUND, first.max(day_a).max(day_b) + AROUND, self);
        let start = days.before_in(from, first);
        // Each written out: a closure for both was a call an end.
        let to_a = a.map(|end| match end <= from {
            true => 0,
            false => days.before_in(end, day_a) - start,
        });
        let to_b = b.map(|end| match end <= from {
            true => 0,
            false => days.before_in(end, day_b) - start,
        });
        [to_a, to_b]
    }

    /// A local day's open intervals as UTC milliseconds (none on a holiday).
    fn open_instants(&self, day: NaiveDate) -> Vec<(i64, i64)> {
        if self.holidays.contains(&day) {
            return Vec::new();
        }
        self.week[day.weekday().num_days_from_monday() as usize]
            .iter()
            .map(|&(start, end)| {
                let instant = |secs| self.instant(day, secs).timestamp_millis();
                (instant(start), instant(end))
            })
            // An interval inside a DST gap is empty.
            .filter(|(start, end)| end > start)
            .collect()
    }

    /// The instant of `secs` after local midnight of `day` (86,400: the next
    /// midnight), as the module documents for gaps and overlaps.
    fn instant(&self, day: NaiveDate, secs: u32) -> DateTime<Utc> {
        let (day, secs) = if secs >= 86_400 {
            (day.succ_opt().unwrap_or(day), secs - 86_400)
        } else {
            (day, secs)
        };
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or_default();
        super::local_instant(self.tz, day.and_time(time))
    }
}

/// `"HH:MM-HH:MM"` as seconds after midnight; `24:00` ends a day. The hour may have
/// one digit (`9:00`), the minutes two (`9:5` could be 09:05 or 09:50).
fn interval(text: &str) -> Option<(u32, u32)> {
    let (a, b) = text.split_once('-')?;
    let time = |s: &str| -> Option<u32> {
        let (h, m) = s.trim().split_once(':')?;
        let digits = |d: &str, len: std::ops::RangeInclusive<usize>| {
            len.contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(h, 1..=2) || !digits(m, 2..=2) {
            return None;
        }
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 3600 + m * 60)
    };
    let (start, end) = (time(a)?, time(b)?);
    (start < end).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(toml_text: &str) -> Result<Schedule> {
        let spec: ScheduleSpec = toml::from_str(toml_text).expect("a schedule table");
        Schedule::parse("s", &spec)
    }

    fn at(t: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc)
    }

    /// SPEC §8's example. Berlin is UTC+1 in winter, UTC+2 in summer.
    const SUPPORT: &str = r#"
        tz = "Europe/Berlin"
        mon = ["09:00-17:00"]
        tue = ["09:00-12:30", "13:30-17:00"]
        wed = ["09:00-17:00"]
        thu = ["09:00-17:00"]
        fri = ["09:00-15:00"]
        holidays = ["2025-12-25", "2025-12-26", "2025-12-31..2026-01-01"]
    "#;

    fn support(a: &str, b: &str) -> f64 {
        schedule(SUPPORT).unwrap().business_seconds(at(a), at(b))
    }

    #[test]
    fn weekends_split_shifts_and_closed_hours() {
        // Fri 14:00 → Mon 10:00 local: Fri 14–15 and Mon 9–10.
        assert_eq!(
            support("2025-01-10T13:00:00Z", "2025-01-13T09:00:00Z"),
            7200.0
        );
        // Tue 12:00 → 14:00 local: 12:00–12:30 and 13:30–14:00 (lunch closed).
        assert_eq!(
            support("2025-01-14T11:00:00Z", "2025-01-14T13:00:00Z"),
            3600.0
        );
        // Created before opening, resolved after closing: the whole day, 8 h.
        assert_eq!(
            support("2025-01-15T06:00:00Z", "2025-01-15T18:00:00Z"),
            28800.0
        );
        // Created after closing: nothing until Thu 09:00, then half an hour.
        assert_eq!(
            support("2025-01-15T17:00:00Z", "2025-01-16T08:30:00Z"),
            1800.0
        );
        // Within one minute.
        assert_eq!(
            support("2025-01-15T09:00:00Z", "2025-01-15T09:00:40Z"),
            40.0
        );
        // A multi-week span: 2 weeks of 8+7+8+8+6 = 37 h each.
        assert_eq!(
            support("2025-01-13T00:00:00Z", "2025-01-27T00:00:00Z"),
            2.0 * 37.0 * 3600.0
        );
        // Backwards or empty: nothing.
        assert_eq!(support("2025-01-15T10:00:00Z", "2025-01-15T09:00:00Z"), 0.0);
    }

    /// The shared, growing run of days (grown to the past and to the future, in any
    /// order) gives what summing each day's open intervals one by one gives, in zones
    /// with DST changes, ahead of and behind UTC.
    #[test]
    fn days_of_instants_round_down_on_both_sides_of_1970() {
        let day = MS_A_DAY;
        for (t, want) in [
            (0, 0),
            (day - 1, 0),
            (day, 1),
            (-1, -1),
            (-day, -1),
            (-day - 1, -2),
            (i64::MAX, i64::MAX / day),
            (i64::MIN, i64::MIN.div_euclid(day)),
        ] {
            assert_eq!(day_of(t), want, "{t}");
        }
    }

    #[test]
    fn one_run_of_days_serves_intervals_in_any_order() {
        let schedules = [
            SUPPORT,
            r#"tz = "Europe/Berlin"
            sun = ["01:00-04:00"]
            sat = ["00:00-02:30", "22:00-24:00"]"#,
            r#"tz = "America/New_York"
            sun = ["00:00-24:00"]
            mon = ["09:00-17:00"]"#,
            r#"tz = "Pacific/Kiritimati"
            mon = ["00:00-24:00"]
            wed = ["08:00-09:00", "10:00-11:00", "23:00-24:00"]"#,
            r#"tz = "Pacific/Pago_Pago"
            thu = ["00:00-01:00", "23:00-24:00"]
            holidays = ["2025-06-05"]"#,
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n) as i64
        };
        for text in schedules {
            let s = schedule(text).unwrap();
            let direct = |a: i64, b: i64| -> i64 {
                let mut total = 0;
                for day in a.div_euclid(MS_A_DAY) - 2..=b.div_euclid(MS_A_DAY) + 2 {
                    for (start, end) in s.open_instants(date_of(day)) {
                        total += (end.min(b) - start.max(a)).max(0);
                    }
                }
                total
            };
            let mut days = OpenDays::default();
            // Anywhere in 2024–2026, up to 400 days long; some ends on the minute.
            let base = at("2024-01-01T00:00:00Z").timestamp_millis();
            for k in 0..3000 {
                let a = base + next(3 * 365) * MS_A_DAY + next(MS_A_DAY as u64);
                let mut b = a + next(400 * MS_A_DAY as u64);
                if k % 3 == 0 {
                    b -= b.rem_euclid(60_000);
                }
                assert_eq!(
                    s.business_ms(a, b, &mut days),
                    direct(a, b),
                    "{text}: {a}..{b}"
                );
            }
        }
    }

    #[test]
    fn holidays_and_ranges_across_new_year() {
        // Thu 25 and Fri 26 are holidays, then the weekend: Mon 29 09–10 only.
        assert_eq!(
            support("2025-12-25T09:00:00Z", "2025-12-29T09:00:00Z"),
            3600.0
        );
        // Tue 30 16–17; Wed 31 and Thu 1 (a range) closed; Fri 2 09–10.
        assert_eq!(
            support("2025-12-30T15:00:00Z", "2026-01-02T09:00:00Z"),
            7200.0
        );
    }

    /// A holiday may be written as a TOML date, unquoted: Monday 2025-01-13 closed,
    /// so Friday 14:00 → Tuesday 10:00 (Berlin) counts Fri 14–15 and Tue 09–10.
    #[test]
    fn a_holiday_written_as_a_toml_date() {
        let unquoted = r#"tz = "Europe/Berlin"
            mon = ["09:00-17:00"]
            tue = ["09:00-17:00"]
            fri = ["09:00-15:00"]
            holidays = [2025-01-13]"#;
        let s = schedule(unquoted).unwrap();
        let secs = s.business_seconds(at("2025-01-10T13:00:00Z"), at("2025-01-14T09:00:00Z"));
        assert_eq!(secs, 7200.0);
        // One holiday alone, quoted or not, as a day's hours may be one interval.
        for alone in ["2025-01-13", r#""2025-01-13""#] {
            let s = schedule(&unquoted.replace("[2025-01-13]", alone)).unwrap();
            let secs = s.business_seconds(at("2025-01-10T13:00:00Z"), at("2025-01-14T09:00:00Z"));
            assert_eq!(secs, 7200.0, "{alone}");
        }
        let reversed = schedule(&unquoted.replace("[2025-01-13]", r#"["2026-01-02..2025-12-31"]"#));
        let err = reversed.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("ends before it starts"), "{err}");
    }

    /// A schedule that cannot be meant names what is wrong: the two overlapping
    /// intervals (not the first and last of the day), a 24/7 schedule with a zone.
    #[test]
    fn bad_schedules_name_their_values() {
        let overlap = r#"tz = "UTC"
            mon = ["09:00-10:00", "11:30-11:45", "11:00-12:00"]"#;
        let err = schedule(overlap)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("'11:00-12:00' and '11:30-11:45' overlap"),
            "{err}"
        );
        let err = schedule("always = true\ntz = \"UTC\"")
            .err()
            .map(|e| e.to_string());
        assert!(err.unwrap_or_default().contains("no other keys"));
    }

    /// One interval may be written alone, for a list of one: the same hours (Fri 14–15
    /// and Mon 9–10, Berlin); a number is named as what it is.
    #[test]
    fn one_interval_written_alone() {
        let alone = SUPPORT
            .replace(r#"mon = ["09:00-17:00"]"#, r#"mon = "09:00-17:00""#)
            .replace(r#"fri = ["09:00-15:00"]"#, r#"fri = "09:00-15:00""#);
        assert_ne!(alone, SUPPORT);
        let s = schedule(&alone).unwrap();
        let secs = s.business_seconds(at("2025-01-10T13:00:00Z"), at("2025-01-13T09:00:00Z"));
        assert_eq!(secs, 7200.0);
        let err = toml::from_str::<ScheduleSpec>("tz = \"UTC\"\nmon = 9")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("or one (\"09:00-17:00\"), not an integer"),
            "{err}"
        );
    }

    #[test]
    fn minutes_have_two_digits() {
        assert_eq!(interval("9:00 - 17:30"), Some((9 * 3600, 17 * 3600 + 1800)));
        assert_eq!(interval("09:00-24:00"), Some((9 * 3600, 24 * 3600)));
        // 09:05 or 09:50? Neither is guessed; nor a sign or three digits.
        for bad in [
            "9:5-17:00",
            "09:00-17:0",
            "+9:00-17:00",
            "009:00-17:00",
            "09:000-17:00",
        ] {
            assert_eq!(interval(bad), None, "{bad}");
        }
    }

    #[test]
    fn open_all_the_time() {
        let s = schedule("always = true").unwrap();
        // Fri 13:00 → Mon 09:00 UTC: 68 hours, weekend included.
        let got = s.business_seconds(at("2025-01-10T13:00:00Z"), at("2025-01-13T09:00:00Z"));
        assert_eq!(got, 68.0 * 3600.0);
    }

    #[test]
    fn hours_are_wall_clock_across_dst_changes() {
        // Berlin, Sunday hours 01:00–04:00. 2025-03-30 skips 02:00–03:00: 01:00 CET
        // (00:00Z) to 04:00 CEST (02:00Z) is 2 h; a week earlier, 3 h.
        let b = schedule(
            r#"tz = "Europe/Berlin"
            sun = ["01:00-04:00"]"#,
        )
        .unwrap();
        let sunday = |a: &str, z: &str| b.business_seconds(at(a), at(z));
        assert_eq!(
            sunday("2025-03-29T12:00:00Z", "2025-03-31T12:00:00Z"),
            7200.0
        );
        assert_eq!(
            sunday("2025-03-22T12:00:00Z", "2025-03-24T12:00:00Z"),
            10800.0
        );
        // 2025-10-26 repeats 02:00–03:00: 01:00 CEST (23:00Z the day before) to
        // 04:00 CET (03:00Z) is 4 h.
        assert_eq!(
            sunday("2025-10-25T12:00:00Z", "2025-10-27T12:00:00Z"),
            14400.0
        );
        // New York, Sundays open all day and 09:00–17:00 on Mondays. 2025-03-09 has
        // 23 hours, 2025-11-02 has 25; a 09:00–17:00 day around them stays 8 h.
        let ny = schedule(
            r#"tz = "America/New_York"
            sun = ["00:00-24:00"]
            mon = ["09:00-17:00"]"#,
        )
        .unwrap();
        let span = |a: &str, z: &str| ny.business_seconds(at(a), at(z));
        assert_eq!(
            span("2025-03-09T00:00:00Z", "2025-03-10T04:00:00Z"),
            23.0 * 3600.0
        );
        assert_eq!(
            span("2025-11-02T00:00:00Z", "2025-11-03T05:00:00Z"),
            25.0 * 3600.0
        );
        // Mon 2025-03-10 09:00–17:00 EDT is 13:00Z–21:00Z.
        assert_eq!(
            span("2025-03-10T05:00:00Z", "2025-03-11T05:00:00Z"),
            8.0 * 3600.0
        );
    }

    #[test]
    fn a_zone_ahead_of_utc_opens_the_previous_utc_day() {
        // Tokyo is UTC+9: Monday 09:00–17:00 there is 00:00Z–08:00Z. Sun 20:00Z is
        // Mon 05:00 local; Mon 02:00Z is Mon 11:00 local: 2 h open.
        let s = schedule(
            r#"tz = "Asia/Tokyo"
            mon = ["09:00-17:00"]"#,
        )
        .unwrap();
        let got = s.business_seconds(at("2025-01-12T20:00:00Z"), at("2025-01-13T02:00:00Z"));
        assert_eq!(got, 7200.0);
    }

    #[test]
    fn bad_schedules_are_usage_errors_naming_the_key() {
        let err = |t: &str| schedule(t).unwrap_err().to_string();
        assert!(err(r#"tz = "Europe/Berlin"
            mon = ["17:00-09:00"]"#)
        .contains("schedules.s.mon"));
        assert!(err(r#"tz = "Europe/Berlin"
            mon = ["09:00-13:00", "12:00-17:00"]"#)
        .contains("overlap"));
        assert!(err(r#"mon = ["09:00-17:00"]"#).contains("schedules.s.tz"));
        assert!(err(r#"tz = "Mars/Olympus"
            mon = ["09:00-17:00"]"#)
        .contains("unknown time zone"));
        assert!(err(r#"always = true
            mon = ["09:00-17:00"]"#)
        .contains("24/7"));
        assert!(err(r#"tz = "UTC"
            mon = ["09:00-17:00"]
            holidays = ["2025-01-01..2035-01-01"]"#)
        .contains("schedules.s.holidays"));
        assert!(err(r#"tz = "UTC""#).contains("no open hours"));
        assert!(matches!(
            schedule(
                r#"tz = "UTC"
                mon = ["25:00-26:00"]"#
            ),
            Err(crate::error::CxmError::Usage(_))
        ));
    }
}
