//! A fast path for the ISO 8601 shapes most exports use.
//!
//! Polars parses a format with `%.f` or `%z` through chrono, which re-reads the
//! format string for every value; on tickets that was a third of the run time. A
//! value of the plain shape `YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}]` plus `Z`, `±HH:MM`,
//! `±HHMM` or `±HH` is read here directly; any other value goes to chrono with the
//! column's format.
//!
//! A column's values are read whatever their suffix, with `T` or a space between
//! date and time, with or without seconds, or as a date alone ([`Shape::parse_any`]):
//! exports that write most times with an offset and some without (or `Z` for some and
//! `+00:00` for others, or some dates without a time) lose no row. A time without an
//! offset is in `--tz`, as everywhere, and a date alone is its local midnight. Detection ([`Shape::parse`])
//! stays strict, so a column's format says what most of its values are.

use chrono::{DateTime, NaiveDateTime};
use chrono_tz::Tz;
use polars::prelude::*;
use polars_arrow::array::Array;

use super::timestamp::{TsFormat, Zone};

/// What follows the seconds (and fraction) in a fast-path value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Suffix {
    /// A literal `Z`.
    Z,
    /// `±HH:MM` (`%:z`) or `±HHMM` (`%z`); a `Z` also reads (the format's UTC twin).
    Offset { colon: bool },
    /// Nothing: a local time.
    None,
    /// A date alone (`%Y-%m-%d`): local midnight.
    Date,
}

/// A format the fast path reads, and how chrono reads it otherwise.
#[derive(Debug, Clone)]
pub struct Shape {
    separator: u8,
    suffix: Suffix,
    format: TsFormat,
    /// The zone of a time written without an offset.
    tz: Tz,
}

impl Shape {
    /// The shape of `format` when it is one of the ISO candidates.
    pub fn of(format: &TsFormat) -> Option<Shape> {
        let p = format.pattern.as_str();
        if p == "%Y-%m-%d" && format.zone == Zone::DateOnly {
            return Some(Shape {
                separator: b'T',
                suffix: Suffix::Date,
                format: format.clone(),
                tz: Tz::UTC,
            });
        }
        // A `--date-format` without the fraction (`%Y-%m-%d %H:%M:%S`) is the same
        // shape: it reads a value with its own offset, or none, as detection's does.
        // And a column of times without seconds (`2025-03-01 10:00`) reads a value
        // with seconds and an offset too.
        let stems = [
            ("%Y-%m-%dT%H:%M:%S%.f", b'T'),
            ("%Y-%m-%d %H:%M:%S%.f", b' '),
            ("%Y-%m-%dT%H:%M:%S", b'T'),
            ("%Y-%m-%d %H:%M:%S", b' '),
            ("%Y-%m-%dT%H:%M", b'T'),
            ("%Y-%m-%d %H:%M", b' '),
        ];
        let (separator, rest) = stems
            .iter()
            .find_map(|(stem, separator)| p.strip_prefix(stem).map(|r| (*separator, r)))?;
        let suffix = match (rest, format.zone) {
            // BigQuery's `10:00:00 UTC` reads as a `Z`.
            ("Z" | " UTC", Zone::Utc) => Suffix::Z,
            ("%:z", Zone::Offset) => Suffix::Offset { colon: true },
            ("%z", Zone::Offset) => Suffix::Offset { colon: false },
            ("", Zone::Local) => Suffix::None,
            _ => return None,
        };
        Some(Shape {
            separator,
            suffix,
            format: format.clone(),
            tz: Tz::UTC,
        })
    }

    /// The shape with times written without an offset read in `tz`.
    pub fn in_zone(self, tz: Tz) -> Shape {
        Shape { tz, ..self }
    }

    /// UTC epoch milliseconds of every value ([`Shape::parse_any`]); null where the
    /// value does not parse.
    pub fn parse_column(&self, values: &StringChunked) -> Int64Chunked {
        // Values and a flag per row, not an option per row: a column with no gap
        // (most `created_at`) then needs no validity at all.
        let (mut ms, mut parsed) = (
            Vec::with_capacity(values.len()),
            Vec::with_capacity(values.len()),
        );
        for array in values.downcast_iter() {
            let valid = array.validity();
            for (row, value) in array.values_iter().enumerate() {
                let read = match valid.is_none_or(|v| v.get_bit(row)) {
                    // Padding (` 2025-03-09T09:00:00Z `) reads as detection read it,
                    // a no-break space as any other.
                    true => self.parse_any(trimmed(value)),
                    false => None,
                };
                ms.push(read.unwrap_or(0));
                parsed.push(read.is_some());
            }
        }
        crate::cells::with_gaps::<Int64Type>(values.name().clone(), ms, &parsed)
    }

    /// One value as the format reads it (naive for a local format): the fast path,
    /// else chrono with the format. What detection counts.
    pub fn parse(&self, value: &str) -> Option<i64> {
        self.fast(value.as_bytes()).or_else(|| self.chrono(value))
    }

    /// One value in UTC, with or without an offset, whichever the format's: a time
    /// without one is in the shape's zone (the earlier of two in a repeated hour, none
    /// in a skipped one).
    #[inline]
    pub fn parse_any(&self, value: &str) -> Option<i64> {
        self.parse_any_once(value).or_else(|| {
            // A leap second in a form the column's own way does not read it (`23:59:60Z`
            // among local times): its `:59`, a second later; for a local time, the
            // next minute on the zone's clock (after an hour repeated, the later one's,
            // as the column's own form reads it), else the instant after.
            let at = leap_second_at(value)?;
            let mut read = value.to_string();
            read.replace_range(at..at + 2, "59");
            let instant = self.parse_any_once(&read)? + 1000;
            let v = value.trim_end();
            let instant_written = v.ends_with(['Z', 'z'])
                || v.to_ascii_uppercase().ends_with(" UTC")
                || crate::calendar::written_offset(v).is_some();
            if instant_written || self.tz == Tz::UTC {
                return Some(instant);
            }
            let wall = self.clone().in_zone(Tz::UTC).parse_any_once(&read)? + 1000;
            Some(self.in_tz(wall).unwrap_or(instant))
        })
    }

    fn parse_any_once(&self, value: &str) -> Option<i64> {
        let b = value.as_bytes();
        if let Some((naive, i)) = self.stem(b, true) {
            let offset_secs = match &b[i..] {
                // A date alone names a day: where its midnight was skipped (Santiago's
                // clocks jump from 00:00 to 01:00), the day's first instant.
                b"" => return self.in_tz(naive),
                // RFC 3339 allows a lower-case `z`; BigQuery writes ` UTC`.
                b"Z" | b"z" => Some(0),
                rest if rest.eq_ignore_ascii_case(b" utc") => Some(0),
                // `10:00:00 +0100`: a space before the offset, as chrono reads it too.
                rest => offset(rest.strip_prefix(b" ").unwrap_or(rest)),
            };
            // Anything else is chrono's to read (or not), as in detection.
            if let Some(offset_secs) = offset_secs {
                return Some(naive - offset_secs * 1000);
            }
        }
        match (self.chrono(value), self.suffix) {
            (Some(ms), Suffix::None | Suffix::Date) => self.in_tz(ms),
            (Some(ms), Suffix::Z | Suffix::Offset { .. }) => Some(ms),
            // A leap second written without an offset among instants (`23:59:60`
            // beside `…Z`): on the zone's clock, as the stem reads any other.
            (None, Suffix::Z | Suffix::Offset { .. }) => {
                let pattern = self.format.pattern.as_str();
                let stem = (pattern.strip_suffix('Z'))
                    .or_else(|| pattern.strip_suffix("%:z"))
                    .or_else(|| pattern.strip_suffix("%z"))?;
                // With a space for the `T`, as the ISO forms read any other time.
                let spaced = stem.replacen("%dT%H", "%d %H", 1);
                let naive = (NaiveDateTime::parse_from_str(value, stem))
                    .or_else(|_| NaiveDateTime::parse_from_str(value, &spaced))
                    .ok()?;
                self.in_tz(naive.and_utc().timestamp_millis())
            }
            (None, _) => None,
        }
    }

    /// Naive epoch milliseconds read in the shape's zone.
    fn in_tz(&self, naive: i64) -> Option<i64> {
        match self.tz {
            Tz::UTC => Some(naive),
            tz => crate::calendar::local_time_ms(tz, naive),
        }
    }

    fn chrono(&self, value: &str) -> Option<i64> {
        let pattern = self.format.pattern.as_str();
        let naive = |pattern: &str| {
            NaiveDateTime::parse_from_str(value, pattern)
                .ok()
                .map(|n| n.and_utc().timestamp_millis())
        };
        match self.suffix {
            Suffix::Offset { .. } => DateTime::parse_from_str(value, pattern)
                .ok()
                .filter(|d| crate::calendar::is_zone_offset(d.offset().local_minus_utc().into()))
                .map(|d| d.timestamp_millis())
                .or_else(|| {
                    let stem = pattern.trim_end_matches("%:z").trim_end_matches("%z");
                    naive(&format!("{stem}Z"))
                }),
            Suffix::Z | Suffix::None => naive(pattern),
            Suffix::Date => chrono::NaiveDate::parse_from_str(value, pattern)
                .ok()
                .map(|d| {
                    d.and_time(chrono::NaiveTime::MIN)
                        .and_utc()
                        .timestamp_millis()
                }),
        }
    }

    /// A value read strictly as the format says (naive for a local format).
    fn fast(&self, b: &[u8]) -> Option<i64> {
        let (naive, i) = self.stem(b, false)?;
        let offset_secs: i64 = match (self.suffix, &b[i..]) {
            (Suffix::Z | Suffix::Offset { .. }, b"Z") | (Suffix::None | Suffix::Date, b"") => 0,
            // The format's own form, or hours alone (`+00`, as PostgreSQL writes UTC).
            (Suffix::Offset { colon }, rest)
                if rest.len() == 3 || rest.len() == 5 + usize::from(colon) =>
            {
                offset(rest)?
            }
            _ => return None,
        };
        Some(naive - offset_secs * 1000)
    }

    /// The date, time and fraction of a plain-shape value as naive epoch
    /// milliseconds, and where its suffix starts; `either_separator`: `T` or a space
    /// between date and time, whichever the format's.
    #[inline(always)]
    fn stem(&self, b: &[u8], either_separator: bool) -> Option<(i64, usize)> {
        if b.len() < 19 || b[16] != b':' {
            return self.short_stem(b, either_separator);
        }
        if (self.suffix == Suffix::Date && !either_separator)
            || b[4] != b'-'
            || b[7] != b'-'
            || !(b[10] == self.separator || either_separator && matches!(b[10], b'T' | b't' | b' '))
            || b[13] != b':'
        {
            return None;
        }
        // The digit at each place (above 9 when it is not a digit). All are checked at
        // once: a digit plus 6 is below 16, so the OR of them all is too.
        let d = |i: usize| u32::from(b[i].wrapping_sub(b'0'));
        let six = |i: usize| d(i) + 6;
        let any = six(0) | six(1) | six(2) | six(3) | six(5) | six(6) | six(8) | six(9);
        if any | six(11) | six(12) | six(14) | six(15) | six(17) | six(18) >= 16 {
            return None;
        }
        let year = (d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)) as i32;
        let (month, day) = (d(5) * 10 + d(6), d(8) * 10 + d(9));
        let (hour, minute, second) = (d(11) * 10 + d(12), d(14) * 10 + d(15), d(17) * 10 + d(18));
        // ISO 8601's `24:00:00`, the end of a day, is the next day's midnight (as
        // PostgreSQL and DuckDB read it); other hours past 23 are no time.
        let end_of_day = hour == 24 && minute == 0 && second == 0;
        if (hour > 23 && !end_of_day) || minute > 59 || second > 59 {
            return None; // chrono decides (a leap second, say)
        }
        let mut i = 19;
        let mut nanos = 0;
        if b.get(i) == Some(&b'.') {
            let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            nanos = digits(&b[i + 1..i + 1 + n])? * 10u32.pow(9 - n as u32);
            i += 1 + n;
        }
        if end_of_day && nanos > 0 {
            return None;
        }
        let days = days_since_epoch(year, month, day)?;
        let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
        Some((secs * 1000 + i64::from(nanos / 1_000_000), i))
    }

    /// [`Shape::stem`] of the shorter forms: a date alone (a date-only format's own
    /// form, else only when any form is read) and, when any form is read, a time
    /// without seconds (`YYYY-MM-DD[T ]HH:MM`).
    #[inline(never)]
    fn short_stem(&self, b: &[u8], any_form: bool) -> Option<(i64, usize)> {
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let d = |i: usize| u32::from(b[i].wrapping_sub(b'0'));
        let six = |i: usize| d(i) + 6;
        if six(0) | six(1) | six(2) | six(3) | six(5) | six(6) | six(8) | six(9) >= 16 {
            return None;
        }
        let year = (d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)) as i32;
        let days = days_since_epoch(year, d(5) * 10 + d(6), d(8) * 10 + d(9))?;
        let midnight = days * 86_400_000;
        if b.len() == 10 {
            return (any_form || self.suffix == Suffix::Date).then_some((midnight, 10));
        }
        if !any_form || b.len() < 16 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' {
            return None;
        }
        if six(11) | six(12) | six(14) | six(15) >= 16 {
            return None;
        }
        let (hour, minute) = (d(11) * 10 + d(12), d(14) * 10 + d(15));
        if (hour > 23 && (hour, minute) != (24, 0)) || minute > 59 {
            return None;
        }
        Some((midnight + i64::from(hour * 3600 + minute * 60) * 1000, 16))
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (`None` if the
/// date does not exist): what chrono's `NaiveDate` gives, in a few integer steps
/// (Howard Hinnant's `days_from_civil`), as dates are most of a timestamp's parse.
#[inline(always)]
fn days_since_epoch(year: i32, month: u32, day: u32) -> Option<i64> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month {
        return None;
    }
    // Years counted from March, so that the leap day ends a year, and from 400 years
    // before year 0, so that every count is positive (the calendar repeats every 400
    // years, 146,097 days).
    let y = i64::from(year) - i64::from(month <= 2) + 400;
    let month_from_march = i64::from((month + 9) % 12);
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    Some(y * 365 + y / 4 - y / 100 + y / 400 + day_of_year - 719_468 - 146_097)
}

/// `±HH:MM`, `±HHMM` or `±HH` in seconds east of UTC.
fn offset(b: &[u8]) -> Option<i64> {
    let (sign, rest) = match b.split_first()? {
        (b'+', r) => (1, r),
        (b'-', r) => (-1, r),
        _ => return None,
    };
    let (h, m) = match rest {
        [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?),
        [h1, h2] => (digits(&[*h1, *h2])?, 0),
        _ => return None,
    };
    if m > 59 {
        return None;
    }
    Some(sign * i64::from(h * 3600 + m * 60)).filter(|&secs| crate::calendar::is_zone_offset(secs))
}

/// The value of an all-digit ASCII slice (at most 9 digits).
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// `value` without blanks at either end: ASCII ones at once, Unicode ones (a no-break
/// space, and the vertical tab, which `trim_ascii` leaves) only where an end is past
/// ASCII or a vertical tab.
#[inline]
fn trimmed(value: &str) -> &str {
    let v = value.trim_ascii();
    let wide = |b: Option<&u8>| b.is_some_and(|b| !b.is_ascii() || *b == b'\x0b');
    match wide(v.as_bytes().first()) || wide(v.as_bytes().last()) {
        true => v.trim(),
        false => v,
    }
}

/// Where the seconds of a leap second (`hh:mm:60`) start in `value`, if it has one:
/// after a clock's minutes, before its end, a fraction, an offset or a zone.
fn leap_second_at(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    let at = value.find(":60")? + 1;
    let clock = at >= 6
        && b[at - 1] == b':'
        && b[at - 2].is_ascii_digit()
        && b[at - 3].is_ascii_digit()
        && b[at - 4] == b':';
    let ends = b
        .get(at + 2)
        .is_none_or(|c| matches!(c, b'.' | b'Z' | b'z' | b'+' | b'-' | b' '));
    (clock && ends).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leap_seconds_are_found_only_in_a_clocks_seconds() {
        assert_eq!(leap_second_at("2016-12-31 23:59:60"), Some(17));
        assert_eq!(leap_second_at("2016-12-31T23:59:60.5Z"), Some(17));
        assert_eq!(leap_second_at("2016-12-31 23:59:60 UTC"), Some(17));
        assert_eq!(leap_second_at("2016-12-31 23:60:00"), None); // minutes
        assert_eq!(leap_second_at("2016-12-31 23:59:605"), None);
        assert_eq!(leap_second_at(":60"), None);
    }
    use crate::input::timestamp::Order;
    use chrono::{Datelike, NaiveDate};
    use proptest::prelude::*;

    proptest! {
        /// Every year, month and day a fast-path value can spell (valid or not) gives
        /// chrono's day count, or nothing where chrono has no such date.
        #[test]
        fn day_counts_are_chronos(year in 0i32..=9999, month in 0u32..=13, day in 0u32..=32) {
            let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).map(|e| e.num_days_from_ce());
            let chrono = NaiveDate::from_ymd_opt(year, month, day)
                .and_then(|d| Some(i64::from(d.num_days_from_ce() - epoch?)));
            prop_assert_eq!(days_since_epoch(year, month, day), chrono);
        }
    }

    fn shape(pattern: &str, zone: Zone) -> Shape {
        let format = TsFormat {
            pattern: pattern.into(),
            zone,
            order: Order::Unambiguous,
            declared: None,
            typed: false,
        };
        Shape::of(&format).unwrap_or_else(|| panic!("{pattern} has no shape"))
    }

    /// 2025-03-04T09:15:00Z, worked out: 20151 days since 1970-01-01 (55 years, 14 of
    /// them leap days, plus 31 + 28 + 3 days into 2025) × 86400 s + 9 h 15 min.
    const MS: i64 = (20151 * 86_400 + 9 * 3600 + 15 * 60) * 1000;

    #[test]
    fn fast_path_values() {
        let z = shape("%Y-%m-%dT%H:%M:%S%.fZ", Zone::Utc);
        assert_eq!(z.fast(b"2025-03-04T09:15:00Z"), Some(MS));
        assert_eq!(z.fast(b"2025-03-04T09:15:00.250Z"), Some(MS + 250));
        assert_eq!(z.fast(b"2025-03-04T09:15:00.123456789Z"), Some(MS + 123));
        let off = shape("%Y-%m-%dT%H:%M:%S%.f%:z", Zone::Offset);
        assert_eq!(off.fast(b"2025-03-04T11:15:00+02:00"), Some(MS));
        assert_eq!(off.fast(b"2025-03-04T04:45:00-04:30"), Some(MS));
        assert_eq!(off.fast(b"2025-03-04T09:15:00Z"), Some(MS));
        let local = shape("%Y-%m-%d %H:%M:%S%.f", Zone::Local);
        assert_eq!(local.fast(b"2025-03-04 09:15:00"), Some(MS));
        // Not the plain shape: left to chrono.
        assert_eq!(z.fast(b"2025-02-30T09:15:00Z"), None);
        assert_eq!(z.fast(b"2025-03-04T09:15:00"), None);
        assert_eq!(z.fast(b"2025-03-04T09:15:00.Z"), None);
        assert_eq!(off.fast(b"2025-03-04T11:15:00+0200"), None);
        // ISO 8601's end of a day, 24:00, is the next midnight (20152 days); no other
        // time of hour 24 is.
        let next = 20152 * 86_400_000;
        assert_eq!(z.fast(b"2025-03-04T24:00:00Z"), Some(next));
        assert_eq!(
            off.fast(b"2025-03-04T24:00:00+01:00"),
            Some(next - 3_600_000)
        );
        assert_eq!(local.fast(b"2025-03-04 24:00:00"), Some(next));
        assert_eq!(local.parse_any("2025-03-04 24:00"), Some(next));
        assert_eq!(
            z.parse_any("2025-02-28T24:00:00Z"),
            Some(next - 4 * 86_400_000)
        );
        for value in [
            "2025-03-04T24:00:01Z",
            "2025-03-04T24:01:00Z",
            "2025-03-04T24:00:00.5Z",
        ] {
            assert_eq!(z.parse(value), None, "{value}");
        }
        assert_eq!(local.parse_any("2025-03-04 24:30"), None);
    }

    /// Offsets run from −12:00 to +14:00 (Kiribati): one past them is no time.
    #[test]
    fn offsets_past_every_zone_do_not_read() {
        let off = shape("%Y-%m-%dT%H:%M:%S%.f%:z", Zone::Offset);
        // 23:15 at +14:00 and 21:15 at −12:00 are both 09:15 UTC.
        assert_eq!(off.parse_any("2025-03-04T23:15:00+14:00"), Some(MS));
        assert_eq!(
            off.parse_any("2025-03-04T21:15:00-12:00")
                .map(|t| t - 86_400_000),
            Some(MS)
        );
        for value in [
            "2025-03-04T23:15:00+15:00",
            "2025-03-04T23:15:00+1401",
            "2025-03-04T21:15:00-12:30",
            "2025-03-04T23:15:00 +15",
        ] {
            assert_eq!(off.parse(value), None, "{value}");
            assert_eq!(off.parse_any(value), None, "{value}");
        }
    }

    /// A space before the offset reads as chrono reads it in detection: 10:15 at
    /// +01:00 is 09:15 UTC, in either offset form and with `T`.
    #[test]
    fn a_space_before_the_offset_reads() {
        for (pattern, value) in [
            ("%Y-%m-%d %H:%M:%S%.f%:z", "2025-03-04 10:15:00 +0100"),
            ("%Y-%m-%d %H:%M:%S%.f%:z", "2025-03-04 10:15:00 +01:00"),
            ("%Y-%m-%dT%H:%M:%S%.f%z", "2025-03-04T04:15:00 -05:00"),
        ] {
            let s = shape(pattern, Zone::Offset);
            assert_eq!(s.parse(value), Some(MS), "{value}");
            assert_eq!(s.parse_any(value), Some(MS), "{value}");
        }
    }

    /// A column reads the other UTC spellings of its values: BigQuery's ` UTC` among
    /// `Z`s and the reverse (09:15 UTC either way), and RFC 3339's lower-case `t` and
    /// `z`. Detection (`parse`) stays with the column's own form.
    #[test]
    fn other_utc_spellings_read() {
        let z = shape("%Y-%m-%dT%H:%M:%S%.fZ", Zone::Utc);
        let bigquery = shape("%Y-%m-%d %H:%M:%S%.f UTC", Zone::Utc);
        for s in [&z, &bigquery] {
            for value in [
                "2025-03-04T09:15:00Z",
                "2025-03-04 09:15:00 UTC",
                "2025-03-04t09:15:00z",
                "2025-03-04 09:15:00 utc",
                "2025-03-04T09:15:00+00:00",
                "2025-03-04 10:15:00 +01:00",
            ] {
                assert_eq!(s.parse_any(value), Some(MS), "{value}");
            }
        }
        assert_eq!(bigquery.parse("2025-03-04 09:15:00 UTC"), Some(MS));
        assert_eq!(z.parse("2025-03-04 09:15:00 UTC"), None);
        assert_eq!(z.parse("2025-03-04t09:15:00z"), None);
    }

    /// Whatever the fast path reads, chrono reads the same; and `parse` agrees with
    /// chrono on values the fast path leaves alone.
    #[test]
    fn agrees_with_chrono() {
        let cases = [
            ("%Y-%m-%dT%H:%M:%S%.fZ", Zone::Utc),
            ("%Y-%m-%d %H:%M:%S%.fZ", Zone::Utc),
            ("%Y-%m-%dT%H:%M:%S%.f%:z", Zone::Offset),
            ("%Y-%m-%dT%H:%M:%S%.f%z", Zone::Offset),
            ("%Y-%m-%d %H:%M:%S%.f", Zone::Local),
            ("%Y-%m-%dT%H:%M:%S%.f", Zone::Local),
        ];
        let values = [
            "2025-03-04T09:15:00Z",
            "2025-03-04 09:15:00Z",
            "2024-02-29T23:59:59.999Z",
            "2023-02-29T10:00:00Z",
            "2025-03-04T09:15:00+02:00",
            "2025-03-04T09:15:00-0930",
            "2025-03-04T09:15:00.5+05:45",
            "2025-03-04 09:15:00",
            "2025-03-04T09:15:00",
            "2025-03-04T09:15:00.1234567890Z",
            "2025-13-04T09:15:00Z",
            "1969-12-31T23:59:59.5Z",
            " 2025-03-04T09:15:00Z",
            "2025-03-04T09:15Z",
            "2025-3-4T09:15:00Z",
            "",
        ];
        for (pattern, zone) in cases {
            let s = shape(pattern, zone);
            for v in values {
                if let Some(ms) = s.fast(v.as_bytes()) {
                    assert_eq!(Some(ms), s.chrono(v), "{pattern} on {v}");
                }
                assert_eq!(s.parse(v), s.chrono(v), "{pattern} on {v}");
            }
        }
    }

    /// Any suffix and either separator read in a column of any ISO format, each value
    /// with its own offset; a time without one in the zone given.
    #[test]
    fn mixed_values_each_read_with_their_own_offset() {
        let utc_ms = |y, mo, d, h, mi| {
            let date = NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_opt(h, mi, 0));
            date.map(|t| t.and_utc().timestamp_millis())
        };
        for (pattern, zone) in [
            ("%Y-%m-%dT%H:%M:%S%.fZ", Zone::Utc),
            ("%Y-%m-%d %H:%M:%S%.f%:z", Zone::Offset),
            ("%Y-%m-%d %H:%M:%S%.f", Zone::Local),
            ("%Y-%m-%d %H:%M", Zone::Local),
            ("%Y-%m-%dT%H:%M", Zone::Local),
        ] {
            let s = shape(pattern, zone);
            for v in [
                "2025-03-04T09:15:00Z",
                "2025-03-04 09:15:00Z",
                "2025-03-04 11:15:00+02:00",
                "2025-03-04T11:15:00+0200",
                "2025-03-04T04:45:00-04:30",
                "2025-03-04 09:15:00+00",
                "2025-03-04 09:15:00",
                "2025-03-04T09:15:00",
                "2025-03-04 09:15",
                "2025-03-04T11:15+02:00",
            ] {
                assert_eq!(s.parse_any(v), Some(MS), "{pattern} on {v}");
            }
            // A date alone is midnight, 9 h 15 min before.
            let midnight = MS - (9 * 3600 + 15 * 60) * 1000;
            assert_eq!(s.parse_any("2025-03-04"), Some(midnight), "{pattern}");
            assert_eq!(s.parse("2025-03-04"), None, "{pattern}: strict");
            assert_eq!(s.parse_any("2025-03-04X09:15:00Z"), None);
            assert_eq!(s.parse_any("2025-03-04T09:15:00+2"), None);
            // Berlin is UTC+1 on 4 March; New York skips 02:00-03:00 on 9 March and
            // repeats 01:00-02:00 on 2 November (EDT, UTC-4, first).
            let berlin = s.clone().in_zone(chrono_tz::Europe::Berlin);
            assert_eq!(berlin.parse_any("2025-03-04 10:15:00"), Some(MS));
            assert_eq!(berlin.parse_any("2025-03-04T09:15:00Z"), Some(MS));
            let new_york = s.clone().in_zone(chrono_tz::America::New_York);
            assert_eq!(new_york.parse_any("2025-03-09 02:30:00"), None);
            assert_eq!(
                new_york.parse_any("2025-03-09 03:30:00"),
                utc_ms(2025, 3, 9, 7, 30)
            );
            assert_eq!(
                new_york.parse_any("2025-11-02 01:30:00"),
                utc_ms(2025, 11, 2, 5, 30)
            );
        }
        // Detection stays strict: hours alone (as PostgreSQL writes UTC) are an offset
        // form, a missing offset is not.
        let off = shape("%Y-%m-%d %H:%M:%S%.f%:z", Zone::Offset);
        assert_eq!(off.parse("2025-03-04 09:15:00+00"), Some(MS));
        assert_eq!(off.parse("2025-03-04 09:15:00"), None);
        let z = shape("%Y-%m-%dT%H:%M:%S%.fZ", Zone::Utc);
        assert_eq!(z.parse("2025-03-04T09:15:00+00:00"), None);
        // A date-only column reads its dates strictly, and any ISO time when reading.
        let day = shape("%Y-%m-%d", Zone::DateOnly);
        let midnight = MS - (9 * 3600 + 15 * 60) * 1000;
        assert_eq!(day.parse("2025-03-04"), Some(midnight));
        assert_eq!(day.parse("2025-03-04T09:15:00Z"), None);
        assert_eq!(day.parse_any("2025-03-04T09:15:00Z"), Some(MS));
        assert_eq!(day.parse_any("2025-03-04 11:15+02"), Some(MS));
        let berlin = day.in_zone(chrono_tz::Europe::Berlin);
        assert_eq!(berlin.parse_any("2025-03-04"), Some(midnight - 3_600_000));
        assert_eq!(berlin.parse_any("2025-02-30"), None);
    }
}
