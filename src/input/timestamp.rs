//! Timestamp formats: detect one on a sample of values, then parse the whole column
//! with that one format in polars (no per-row guessing).
//!
//! Every parsed timestamp becomes UTC epoch milliseconds (`Int64`). Values without an
//! offset are local times in `--tz`; a local time that does not exist there (a DST
//! gap) does not parse. Day/month order is decided for the whole file: when every
//! value reads either way, that is an error, never a guess.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use polars::prelude::*;

/// How a format carries the time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// No offset: a local time in `--tz`.
    Local,
    /// Ends in a literal `Z`: UTC.
    Utc,
    /// A numeric offset (`+02:00`, `+0200`).
    Offset,
    /// A date alone: local midnight in `--tz`.
    DateOnly,
}

/// Which field comes first in a numeric date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Year first, or month names: never ambiguous.
    Unambiguous,
    MonthFirst,
    DayFirst,
}

/// One strftime format and how to read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TsFormat {
    pub pattern: String,
    pub zone: Zone,
    pub order: Order,
    /// The zone the file says its times without an offset are in (Qualtrics'
    /// `"timeZone":"America/Denver"`), over `--tz`.
    pub declared: Option<Tz>,
    /// A `--date-format` of a workbook column holding date cells among other values,
    /// which cxm writes as ISO text: a value written exactly so is read as such a
    /// cell ([`TYPED_CELLS`]), any other by the pattern.
    pub typed: bool,
}

/// How cxm writes a workbook's date cell as text (`2025-01-04 09:00:00`, with
/// `.123` where it has milliseconds), in `--tz`.
const TYPED_CELLS: &str = "%Y-%m-%d %H:%M:%S%.f";

/// Is `v` written exactly as cxm writes a date cell ([`TYPED_CELLS`])? Only such a
/// value of a column mixing cells and typed-in text is read as a cell.
fn cell_text(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let stem = b.len() >= 19
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b' '
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    stem && (b.len() == 19 || b.len() == 23 && b[19] == b'.' && digits(20..23))
}

/// Milliseconds since 1970 (a `--date-format` too), as programs' exports write times:
/// chrono's `%s` then three digits of the second, though chrono itself cannot read it
/// (its `%s` takes every digit).
pub const EPOCH_MS: &str = "%s%3f";

/// Digits of a time in milliseconds since 1970: April 1970 to 2286 (fewer are
/// seconds, or no time a CX export holds).
const EPOCH_MS_DIGITS: std::ops::RangeInclusive<usize> = 11..=13;

const fn f(pattern: &'static str, zone: Zone, order: Order) -> (&'static str, Zone, Order) {
    (pattern, zone, order)
}

use Order::{DayFirst as D, MonthFirst as M, Unambiguous as U};
use Zone::{DateOnly as Day, Local as L, Offset as Off, Utc as Z};

/// Candidates, most specific first. Twins that differ only in day/month order are
/// both listed so that ambiguity can be seen. A 12-hour clock with AM/PM is the US
/// convention (SPEC §4 "US `MM/DD/YYYY hh:mm:ss AM`"): where every value reads both
/// ways it is read month-first, but a value that reads only day-first (`13/01/2025
/// 10:00 AM`) makes the file day-first.
const CANDIDATES: &[(&str, Zone, Order)] = &[
    f("%Y-%m-%dT%H:%M:%S%.fZ", Z, U),
    f("%Y-%m-%d %H:%M:%S%.fZ", Z, U),
    // BigQuery's CSV export: `2025-03-09 10:00:00 UTC`.
    f("%Y-%m-%d %H:%M:%S%.f UTC", Z, U),
    f("%Y-%m-%dT%H:%M:%S%.f%:z", Off, U),
    f("%Y-%m-%dT%H:%M:%S%.f%z", Off, U),
    f("%Y-%m-%d %H:%M:%S%.f%:z", Off, U),
    f("%Y-%m-%d %H:%M:%S%.f%z", Off, U),
    // An offset of hours alone after a space (`12:00:00 +00`, as PostgreSQL's
    // `timestamptz` prints in psql's CSV).
    f("%Y-%m-%d %H:%M:%S%.f%#z", Off, U),
    f("%Y-%m-%dT%H:%M:%S%.f", L, U),
    f("%Y-%m-%d %H:%M:%S%.f", L, U),
    // ISO 8601 to the minute, with its zone: `2025-01-01T10:00Z`, `…T10:00+01:00`.
    f("%Y-%m-%dT%H:%MZ", Z, U),
    f("%Y-%m-%dT%H:%M%:z", Off, U),
    // The same with a space, as a spreadsheet's `yyyy-mm-dd hh:mm` beside an offset.
    f("%Y-%m-%d %H:%MZ", Z, U),
    f("%Y-%m-%d %H:%M UTC", Z, U),
    f("%Y-%m-%d %H:%M%:z", Off, U),
    f("%Y-%m-%dT%H:%M", L, U),
    f("%Y-%m-%d %H:%M", L, U),
    f("%Y/%m/%d %H:%M:%S", L, U),
    f("%Y/%m/%d %H:%M", L, U),
    // Google Forms' CSV download: `2025/03/04 10:15:00 AM GMT+1` (`UTC+3`, `GMT+5:30`,
    // `GMT` alone in some locales), its offset's hours of one digit padded for
    // chrono by [`offset_ms`].
    f("%Y/%m/%d %I:%M:%S %p GMT%#z", Off, U),
    f("%Y/%m/%d %I:%M:%S %p UTC%#z", Off, U),
    f("%Y/%m/%d %I:%M:%S %p", L, U),
    f("%Y-%m-%d", Day, U),
    f("%Y/%m/%d", Day, U),
    f("%a %b %d %H:%M:%S %z %Y", Off, U),
    // Jira's default "complete date/time format": 04/Mar/24 9:00 AM.
    f("%d/%b/%y %I:%M %p", L, U),
    f("%d/%b/%Y %I:%M %p", L, U),
    f("%m/%d/%Y %I:%M:%S %p", L, M),
    f("%d/%m/%Y %I:%M:%S %p", L, D),
    f("%m/%d/%Y %I:%M %p", L, M),
    f("%d/%m/%Y %I:%M %p", L, D),
    f("%m/%d/%Y %H:%M:%S", L, M),
    f("%d/%m/%Y %H:%M:%S", L, D),
    f("%m/%d/%Y %H:%M", L, M),
    f("%d/%m/%Y %H:%M", L, D),
    f("%m/%d/%Y", Day, M),
    f("%d/%m/%Y", Day, D),
    // Two-digit years (`3/1/25 10:00 AM`, as spreadsheets shorten dates): only where
    // the four-digit form does not read, which `%Y` never does for a year below 1000.
    f("%m/%d/%y %I:%M:%S %p", L, M),
    f("%d/%m/%y %I:%M:%S %p", L, D),
    f("%m/%d/%y %I:%M %p", L, M),
    f("%d/%m/%y %I:%M %p", L, D),
    f("%m/%d/%y %H:%M:%S", L, M),
    f("%d/%m/%y %H:%M:%S", L, D),
    f("%m/%d/%y %H:%M", L, M),
    f("%d/%m/%y %H:%M", L, D),
    f("%m/%d/%y", Day, M),
    f("%d/%m/%y", Day, D),
    f("%m-%d-%Y %H:%M:%S", L, M),
    f("%d-%m-%Y %H:%M:%S", L, D),
    f("%m-%d-%Y %H:%M", L, M),
    f("%d-%m-%Y %H:%M", L, D),
    f("%m-%d-%Y", Day, M),
    f("%d-%m-%Y", Day, D),
    // Dots are day-first where the dates tell nothing (see `DOTTED`), month-first
    // where a value reads only so (`03.13.2025`).
    f("%d.%m.%Y %H:%M:%S", L, D),
    f("%m.%d.%Y %H:%M:%S", L, M),
    f("%d.%m.%Y %H:%M", L, D),
    f("%m.%d.%Y %H:%M", L, M),
    f("%d.%m.%Y", Day, D),
    f("%m.%d.%Y", Day, M),
    f("%d.%m.%y %H:%M:%S", L, D),
    f("%m.%d.%y %H:%M:%S", L, M),
    f("%d.%m.%y %H:%M", L, D),
    f("%m.%d.%y %H:%M", L, M),
    f("%d.%m.%y", Day, D),
    f("%m.%d.%y", Day, M),
];

/// Dates written with dots (`04.03.2025`) are day-first wherever they are written so
/// (Germany, Russia, Scandinavia…): where every date reads both ways, they are read
/// day-first rather than stopping, as slashes and dashes do.
pub fn dotted(pattern: &str) -> bool {
    pattern.starts_with("%d.%m.") || pattern.starts_with("%m.%d.")
}

/// A day-first or month-first format's twin in the other order (`%d.%m.%Y` ↔
/// `%m.%d.%Y`, with dots, slashes or dashes).
pub fn order_twin(format: &TsFormat) -> Option<TsFormat> {
    let p = format.pattern.as_str();
    let (pattern, order) = ['.', '/', '-'].iter().find_map(|sep| {
        let (day, month) = (format!("%d{sep}%m{sep}"), format!("%m{sep}%d{sep}"));
        match (p.strip_prefix(day.as_str()), p.strip_prefix(month.as_str())) {
            (Some(rest), _) => Some((format!("{month}{rest}"), Order::MonthFirst)),
            (_, Some(rest)) => Some((format!("{day}{rest}"), Order::DayFirst)),
            _ => None,
        }
    })?;
    Some(TsFormat {
        pattern,
        order,
        ..format.clone()
    })
}

impl TsFormat {
    /// A user's `--date-format`; its zone is read from the pattern's parsed items
    /// (so `%+`, `%c`, `%T`, `%R` and `%s` are understood as chrono reads them).
    pub fn user(pattern: &str) -> TsFormat {
        use chrono::format::{Fixed, Item, Numeric, StrftimeItems};
        let (mut offset, mut epoch, mut time) = (false, false, false);
        for item in StrftimeItems::new(pattern) {
            match item {
                Item::Fixed(
                    Fixed::TimezoneOffset
                    | Fixed::TimezoneOffsetColon
                    | Fixed::TimezoneOffsetDoubleColon
                    | Fixed::TimezoneOffsetTripleColon
                    | Fixed::TimezoneOffsetColonZ
                    | Fixed::TimezoneOffsetZ
                    | Fixed::RFC2822
                    | Fixed::RFC3339,
                ) => offset = true,
                Item::Numeric(Numeric::Timestamp, _) => epoch = true,
                Item::Numeric(
                    Numeric::Hour | Numeric::Hour12 | Numeric::Minute | Numeric::Second,
                    _,
                ) => time = true,
                _ => {}
            }
        }
        // `%#z` (an offset with or without its minutes) is one of chrono's own items.
        let utc_written = pattern.ends_with('Z') || literal_zone(pattern) == Some(LiteralZone::Utc);
        let zone = if offset || pattern.contains("%#z") {
            Zone::Offset
        } else if epoch || (time && utc_written) {
            // Epoch seconds count from 1970-01-01 00:00 UTC.
            Zone::Utc
        } else if time {
            Zone::Local
        } else {
            Zone::DateOnly
        };
        TsFormat {
            pattern: pattern.to_string(),
            zone,
            order: Order::Unambiguous,
            declared: None,
            typed: false,
        }
    }

    /// The format a file's typed cells are written in ([`TsFormat::typed`]).
    pub fn typed_cells() -> TsFormat {
        TsFormat {
            pattern: TYPED_CELLS.to_string(),
            zone: Zone::Local,
            order: Order::Unambiguous,
            declared: None,
            typed: false,
        }
    }

    /// Does one value read as the metric commands read this format's column? An ISO
    /// shape reads each value with its own offset or none ([`super::iso::Shape`]);
    /// other formats, as [`TsFormat::parses`].
    pub fn reads(&self, value: &str) -> bool {
        let own = match super::iso::Shape::of(self) {
            Some(shape) => shape.parse_any(value.trim()).is_some(),
            None => self.parses(value),
        };
        own || self.typed && cell_text(value.trim()) && Self::typed_cells().reads(value)
    }

    /// [`TsFormat::reads`] by the pattern itself, not its [`TsFormat::date_twin`]: a
    /// clock time's format that reads dates alone only does not fit a column.
    pub fn reads_itself(&self, value: &str) -> bool {
        let own = match super::iso::Shape::of(self) {
            Some(shape) => shape.parse_any(value.trim()).is_some(),
            None => self.parses_exactly(value),
        };
        own || self.typed && cell_text(value.trim()) && Self::typed_cells().reads(value)
    }

    /// Is a value that [`TsFormat::reads`] a time from 1900 to 2100, where an epoch
    /// format can say (seconds or milliseconds since 1970)? A value outside is
    /// rejected as the misreading it is (milliseconds read as seconds).
    pub fn plausible(&self, value: &str) -> bool {
        let scale = match self.pattern.as_str() {
            EPOCH_MS => 1,
            // Seconds, perhaps with their fraction (`%s%.f`).
            p if p == "%s" || p.starts_with("%s%.") => 1000,
            _ => return true,
        };
        let (first, end) = crate::metrics::tickets::PLAUSIBLE_MS;
        (value.trim().parse::<f64>().ok())
            .map(|n| n * scale as f64)
            .is_some_and(|ms| (first as f64..end as f64).contains(&ms))
    }

    /// Does one value parse with this format (chrono, the same rules polars applies),
    /// or as its [`TsFormat::date_twin`] (a date alone is its day's first instant)?
    pub fn parses(&self, value: &str) -> bool {
        self.parses_exactly(value) || self.date_twin().is_some_and(|d| d.parses_exactly(value))
    }

    /// A clock time's pattern cut to its date (`%d/%m/%Y %H:%M` → `%d/%m/%Y`): a
    /// spreadsheet writes a time at midnight as its date alone, beside the others'
    /// clock times. ISO shapes read dates alone on their own.
    pub fn date_twin(&self) -> Option<TsFormat> {
        if self.zone != Zone::Local || super::iso::Shape::of(self).is_some() {
            return None;
        }
        let (date, _) =
            (self.pattern.split_once(" %H")).or_else(|| self.pattern.split_once(" %I"))?;
        let known = CANDIDATES
            .iter()
            .any(|&(p, zone, _)| p == date && zone == Zone::DateOnly);
        known.then(|| TsFormat {
            pattern: date.to_string(),
            zone: Zone::DateOnly,
            order: self.order,
            declared: self.declared,
            typed: false,
        })
    }

    /// [`TsFormat::parses`] of this pattern alone.
    fn parses_exactly(&self, value: &str) -> bool {
        let english = match super::months::reads_names(&self.pattern) {
            true => {
                super::months::in_english(value.trim(), super::months::dot_follows(&self.pattern))
            }
            false => None,
        };
        let v = english.as_deref().unwrap_or(value.trim());
        match self.pattern.as_str() {
            EPOCH_MS => {
                return epoch_digits(v, false).is_some_and(|n| EPOCH_MS_DIGITS.contains(&n))
            }
            // Seconds before 1970 are negative (read by the metric commands to 1900).
            // Any number the commands read (`1.7408232e9` too), of the size of one.
            "%s" => {
                return v
                    .parse::<f64>()
                    .is_ok_and(|s| EPOCH_S_MAGNITUDE.contains(&s.abs()))
            }
            _ => {}
        }
        // chrono's `%Y` reads `3/1/25` as the year 25: a year written with fewer
        // than four digits is not `%Y`'s (the `%y` candidates read it).
        let whole = |year: i32| year >= 1000 || !self.pattern.contains("%Y");
        match self.zone {
            Zone::Local | Zone::Utc => {
                NaiveDateTime::parse_from_str(v, &self.pattern).is_ok_and(|t| whole(t.year()))
            }
            // One column may mix `Z` and numeric offsets (`+01:00`).
            Zone::Offset => {
                offset_ms(v, &self.pattern).is_some_and(|(t, _)| whole(t))
                    || self.utc_twin().is_some_and(|t| {
                        NaiveDateTime::parse_from_str(v, &t.pattern).is_ok_and(|t| whole(t.year()))
                    })
            }
            Zone::DateOnly => {
                NaiveDate::parse_from_str(v, &self.pattern).is_ok_and(|d| whole(d.year()))
            }
        }
    }

    /// A polars expression turning the string column `raw` into UTC epoch milliseconds
    /// (null where it does not parse).
    pub fn to_epoch_ms(&self, raw: Expr, tz: Tz) -> Expr {
        let own = self.own_epoch_ms(raw.clone(), tz);
        // A date cell's text first: the column's values are mostly cells, and a
        // pattern that reads ISO text too (`%Y-%d-%m`) would swap their days and
        // months; any other value (`2025-05-01 09:00`) is the pattern's.
        if !self.typed {
            return own;
        }
        let cells = raw.map(
            |c| {
                let out: StringChunked = (c.str()?.iter())
                    .map(|v| v.filter(|v| cell_text(v.trim())))
                    .collect();
                Ok(out.with_name(c.name().clone()).into_column())
            },
            |_, f| Ok(f.clone()),
        );
        Self::typed_cells().own_epoch_ms(cells, tz).fill_null(own)
    }

    /// [`TsFormat::to_epoch_ms`] by this format alone.
    fn own_epoch_ms(&self, raw: Expr, tz: Tz) -> Expr {
        let tz = self.declared.unwrap_or(tz);
        // Month names in another language, as English ones.
        let raw = match super::months::reads_names(&self.pattern) {
            true => {
                let keep_dot = super::months::dot_follows(&self.pattern);
                raw.map(
                    move |c| {
                        let values = c.str()?;
                        use super::months::in_english;
                        // An English export (the most) is left as it is, uncopied.
                        if !(values.iter().flatten()).any(|v| in_english(v, keep_dot).is_some()) {
                            return Ok(c);
                        }
                        let out: StringChunked = (values.iter())
                            .map(|v| v.map(|v| in_english(v, keep_dot).unwrap_or(v.into())))
                            .collect();
                        Ok(out.with_name(c.name().clone()).into_column())
                    },
                    |_, f| Ok(f.clone()),
                )
            }
            false => raw,
        };
        // Epochs as numbers: whole (`1740823200000`) or as pandas writes an integer
        // column with gaps (`1740823200000.0`).
        let number = || {
            raw.clone()
                .str()
                .strip_chars(lit(NULL))
                .cast(DataType::Float64)
        };
        if self.pattern == EPOCH_MS {
            // A whole number of 11 to 13 digits, else null, a rejected value (seconds
            // among milliseconds would read as January 1970).
            let ms = number();
            let whole = ms.clone().cast(DataType::Int64);
            let sized = (ms.clone().gt_eq(lit(1e10)))
                .and(ms.clone().lt(lit(1e13)))
                .and(whole.clone().cast(DataType::Float64).eq(ms));
            return when(sized)
                .then(whole)
                .otherwise(lit(NULL).cast(DataType::Int64));
        }
        if self.pattern == "%s" {
            // Seconds of 9 or 10 whole digits, a fraction to the millisecond; else null,
            // a rejected value (`0`, a placeholder for never, would read as 1970).
            let seconds = number();
            let (lo, hi) = (EPOCH_S_MAGNITUDE.start, EPOCH_S_MAGNITUDE.end);
            let after = (seconds.clone().gt_eq(lit(lo))).and(seconds.clone().lt(lit(hi)));
            let before = (seconds.clone().lt_eq(lit(-lo))).and(seconds.clone().gt(lit(-hi)));
            let sized = after.or(before);
            return when(sized)
                .then((seconds * lit(1000.0)).cast(DataType::Int64))
                .otherwise(lit(NULL).cast(DataType::Int64));
        }
        let opts = StrptimeOptions {
            format: Some(self.pattern.as_str().into()),
            strict: false,
            exact: true,
            cache: false,
        };
        if let Some(shape) = super::iso::Shape::of(self) {
            // Every value in UTC, each read with its own offset or in `tz`.
            let shape = shape.in_zone(tz);
            return raw.map(
                move |c| Ok(shape.parse_column(c.str()?).into_column()),
                |_, f| Ok(Field::new(f.name().clone(), DataType::Int64)),
            );
        }
        // Padding reads as detection read it.
        let raw = raw.str().strip_chars(lit(NULL));
        let parsed = match self.zone {
            // Read here rather than by polars, whose chrono reads any offset up to
            // ±23:59: one past every zone's (`+15:00`) is no time.
            Zone::Offset => {
                let pattern = self.pattern.clone();
                let ms = raw.clone().map(
                    move |c| {
                        let out: Int64Chunked = (c.str()?.iter())
                            .map(|v| offset_ms(v?, &pattern).map(|(_, ms)| ms))
                            .collect();
                        Ok(out.with_name(c.name().clone()).into_column())
                    },
                    |_, f| Ok(Field::new(f.name().clone(), DataType::Int64)),
                );
                return match self.utc_twin() {
                    Some(twin) => ms.fill_null(twin.to_epoch_ms(raw, tz)),
                    None => ms,
                };
            }
            Zone::Utc => raw.clone().str().to_datetime(
                Some(polars::prelude::TimeUnit::Milliseconds),
                None,
                opts,
                lit("raise"),
            ),
            Zone::Local => raw.clone().str().to_datetime(
                Some(polars::prelude::TimeUnit::Milliseconds),
                None,
                opts,
                lit("raise"),
            ),
            // A date names a day: its first instant in `tz` (midnight, or the end of
            // a summer-time jump at midnight).
            Zone::DateOnly if tz == Tz::UTC => raw.clone().str().to_date(opts).cast(
                DataType::Datetime(polars::prelude::TimeUnit::Milliseconds, None),
            ),
            Zone::DateOnly => {
                let days = raw.clone().str().to_date(opts).cast(DataType::Int32);
                return days.map(
                    move |c| {
                        let mut last: Option<(i32, i64)> = None;
                        let out: Int64Chunked = (c.i32()?.iter())
                            .map(|day| {
                                let day = day?;
                                if let Some((_, ms)) = last.filter(|(d, _)| *d == day) {
                                    return Some(ms);
                                }
                                let date = DateTime::from_timestamp(i64::from(day) * 86_400, 0)?
                                    .date_naive();
                                let ms =
                                    crate::calendar::local_midnight(tz, date).timestamp_millis();
                                last = Some((day, ms));
                                Some(ms)
                            })
                            .collect();
                        Ok(out.with_name(c.name().clone()).into_column())
                    },
                    |_, f| Ok(Field::new(f.name().clone(), DataType::Int64)),
                );
            }
        };
        let mut ms = parsed
            .dt()
            .timestamp(polars::prelude::TimeUnit::Milliseconds);
        if self.zone == Zone::Local && tz != Tz::UTC {
            // Wall-clock times in `tz` (a skipped midnight being its day's first instant).
            ms = ms.map(
                move |c| {
                    let out: Int64Chunked = (c.i64()?.iter())
                        .map(|naive| crate::calendar::local_time_ms(tz, naive?))
                        .collect();
                    Ok(out.with_name(c.name().clone()).into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::Int64)),
            );
        }
        match (self.utc_twin(), self.date_twin()) {
            (Some(twin), _) if self.zone == Zone::Offset => ms.fill_null(twin.to_epoch_ms(raw, tz)),
            (_, Some(date)) => dates_at_midnight(ms, raw, &date.pattern, tz),
            _ => ms,
        }
    }

    /// The same format with a literal `Z` for UTC instead of a numeric offset.
    fn utc_twin(&self) -> Option<TsFormat> {
        let stem = self
            .pattern
            .strip_suffix("%:z")
            .or_else(|| self.pattern.strip_suffix("%z"))?;
        Some(TsFormat {
            pattern: format!("{stem}Z"),
            zone: Zone::Utc,
            order: self.order,
            declared: None,
            typed: false,
        })
    }
}

/// `ms`, with each value it lacks whose text is a date alone (`pattern`) read as the
/// first instant of that day in `tz`: parsed only where the clock time's format read
/// nothing, so a column without dates alone is not read twice.
fn dates_at_midnight(ms: Expr, raw: Expr, pattern: &str, tz: Tz) -> Expr {
    let pattern = pattern.to_string();
    // The struct, and so the result, is named as `ms` is.
    as_struct(vec![ms, raw.alias("__date_alone")]).map(
        move |c| {
            let fields = c.struct_()?.fields_as_series();
            let (ms, raw) = (fields[0].i64()?, fields[1].str()?);
            let out: Int64Chunked = (ms.iter().zip(raw.iter()))
                .map(|(ms, raw)| {
                    ms.or_else(|| {
                        let date = NaiveDate::parse_from_str(raw?.trim(), &pattern).ok()?;
                        // `%Y` reads `3/1/25` as the year 25, which the `%y` form reads.
                        let whole = date.year() >= 1000 || !pattern.contains("%Y");
                        whole.then(|| crate::calendar::local_midnight(tz, date).timestamp_millis())
                    })
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Int64)),
    )
}

/// What detection concluded for one column's sample.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// No non-empty values to look at.
    Empty,
    /// These formats parse the most values, best first (several only for day/month twins).
    Formats(Vec<TsFormat>, usize),
    /// No candidate parses even one value.
    Unknown,
}

/// Find the formats that parse the most of `sample`'s non-empty values.
pub fn detect(sample: &[&str]) -> Detected {
    // Blank, `null` and `NULL` are missing values (as the scan reads them), not dates.
    let values: Vec<&str> = sample
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty() && *v != "null" && *v != "NULL")
        .collect();
    if values.is_empty() {
        return Detected::Empty;
    }
    // A column whose sampled times are all ISO 8601's end of a day (`24:00`) is told
    // by the same format as midnight's, which chrono reads.
    let midnights: Vec<String> = (values.iter())
        .map(|v| crate::calendar::end_of_day_as_midnight(v).unwrap_or_else(|| v.to_string()))
        .collect();
    let values: Vec<&str> = midnights.iter().map(String::as_str).collect();
    // Whole seconds since 1970 (Delighted's `created_at`): 9 or 10 digits is 1973
    // to 2286, and no other format reads a bare integer; 11 to 13 digits are
    // milliseconds (1970 to 2286; as seconds, past the year 5000). A stray text among
    // them is a bad value, not another format.
    let digits = |range: std::ops::RangeInclusive<usize>, fraction: bool| {
        (values.iter())
            .filter(|v| epoch_digits(v, fraction).is_some_and(|n| range.contains(&n)))
            .count()
    };
    let (epochs, epoch_ms) = (digits(9..=10, true), digits(EPOCH_MS_DIGITS, false));
    let epoch = match epoch_ms > epochs {
        true => (TsFormat::user(EPOCH_MS), epoch_ms),
        false => (TsFormat::user("%s"), epochs),
    };
    let (epoch, epochs) = epoch;
    // `0` beside epochs is a placeholder for never (most tickets unresolved): a
    // rejected value of the epoch column, not evidence of another format.
    let placeholders = (values.iter())
        .filter(|v| v.trim().parse::<f64>() == Ok(0.0))
        .count();
    if epochs > 0 && epochs + placeholders == values.len() {
        return Detected::Formats(vec![epoch], epochs);
    }
    let formats: Vec<TsFormat> = (CANDIDATES.iter())
        .map(|&(pattern, zone, order)| TsFormat {
            pattern: pattern.to_string(),
            zone,
            order,
            declared: None,
            typed: false,
        })
        .collect();
    let hits = candidate_hits(&formats, &values);
    let mut best: Vec<TsFormat> = Vec::new();
    let mut best_hits = 0;
    for (fmt, hits) in formats.into_iter().zip(hits) {
        let order = fmt.order;
        // No later candidate can beat one that reads every value, nor tie with an
        // unambiguous one.
        if best_hits == values.len() && best.iter().any(|b| b.order == Order::Unambiguous) {
            break;
        }
        if hits > best_hits {
            best_hits = hits;
            best = vec![fmt];
        } else if hits == best_hits && hits > 0 && order != Order::Unambiguous {
            // Keep a day/month twin of the leader; other ties keep the more specific first.
            if best.iter().all(|b| b.order != order)
                && best.iter().all(|b| b.order != Order::Unambiguous)
            {
                best.push(fmt);
            }
        }
    }
    // At least half the values epoch seconds (one among texts no format reads is no
    // evidence; a stray text beside one is).
    if epochs > best_hits && epochs * 2 >= values.len() {
        Detected::Formats(vec![epoch], epochs)
    } else if best_hits == 0 {
        Detected::Unknown
    } else {
        Detected::Formats(best, best_hits)
    }
}

/// How many of `values` each candidate reads, exactly where it may lead: one that
/// reads fewer than the best found is left at what it read by then. The candidates
/// are tried by how many of the first values they read, so the leader comes first and
/// the rest stop at their first few misses (a column of US dates is not read 2,000
/// times by each of sixty formats).
fn candidate_hits(formats: &[TsFormat], values: &[&str]) -> Vec<usize> {
    // The ISO shapes through their fast path, which reads what chrono reads. A clock
    // time's format reads dates alone beside its own values, not instead of them (a
    // column of dates alone is the date's format).
    let shapes: Vec<Option<super::iso::Shape>> =
        formats.iter().map(super::iso::Shape::of).collect();
    let twins: Vec<Option<TsFormat>> = formats.iter().map(TsFormat::date_twin).collect();
    // Read by the candidate, and by its pattern itself.
    let read = |k: usize, v: &str| -> (bool, bool) {
        match &shapes[k] {
            Some(shape) => {
                let hit = shape.parse(v).is_some();
                (hit, hit)
            }
            None if formats[k].parses_exactly(v) => (true, true),
            None => (
                twins[k].as_ref().is_some_and(|t| t.parses_exactly(v)),
                false,
            ),
        }
    };
    let prefix = &values[..values.len().min(32)];
    let mut order: Vec<(usize, usize)> = (0..formats.len())
        .map(|k| (k, prefix.iter().filter(|v| read(k, v).0).count()))
        .collect();
    order.sort_by_key(|b| std::cmp::Reverse(b.1));
    let mut hits = vec![0; formats.len()];
    let mut best = 0;
    for (k, _) in order {
        // A clock time's pattern that reads none of the values itself is no
        // candidate, whatever its dates alone read (found as cheaply as before them).
        if shapes[k].is_none() && !values.iter().any(|v| formats[k].parses_exactly(v)) {
            continue;
        }
        // More misses than this leave it below the best: it cannot lead.
        let most_misses = values.len() - best;
        let (mut hit, mut own, mut missed) = (0, 0, 0);
        for v in values {
            let (h, o) = read(k, v);
            hit += usize::from(h);
            own += usize::from(o);
            missed += usize::from(!h);
            if missed > most_misses {
                break;
            }
        }
        hits[k] = if own == 0 { 0 } else { hit };
        if missed <= most_misses {
            best = best.max(hits[k]);
        }
    }
    hits
}

/// The digits before the point of an epoch written as a number: `1740823200`, or
/// `1740823200000.0` as pandas writes integers beside gaps; with `fraction`, any
/// digits after the point (seconds to the millisecond), else zeros only.
/// Seconds since 1970 as an epoch column writes them: 9 or 10 whole digits, either
/// side of 1970 (1900 to 2099 is what the metric commands read).
const EPOCH_S_MAGNITUDE: std::ops::Range<f64> = 1e8..1e10;

fn epoch_digits(v: &str, fraction: bool) -> Option<usize> {
    let (whole, after) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let after_ok = match fraction {
        true => digits(after),
        false => after.bytes().all(|b| b == b'0'),
    };
    (!whole.is_empty() && digits(whole) && after_ok).then_some(whole.len())
}

/// For a whole file, pick the day/month order from several columns' detections.
/// Returns the chosen order, or `None` when every column reads either way.
pub fn decide_order(detections: &[&Detected]) -> Option<Order> {
    let mut month_first = false;
    let mut day_first = false;
    let mut any_numeric = false;
    for d in detections {
        if let Detected::Formats(fmts, _) = d {
            let orders: Vec<Order> = fmts.iter().map(|f| f.order).collect();
            if orders.contains(&Order::Unambiguous) {
                continue;
            }
            any_numeric = true;
            // Dots are day-first evidence where the sample reads them only so; read
            // both ways or only month-first in the sample, the whole file decides (one
            // stray `01.13.` first among German dates must not turn them all, nor a
            // US file whose first dates are all ambiguous read day-first).
            if fmts.iter().all(|f| dotted(&f.pattern)) {
                match orders.as_slice() {
                    [Order::DayFirst] => day_first = true,
                    _ => return None,
                }
                continue;
            }
            // A 12-hour clock is month-first evidence where the sample reads it only
            // so; else the whole file decides, month-first unless far more values
            // read only day-first (one stray `13/01` among US dates must not turn
            // them all).
            if fmts.iter().all(|f| f.pattern.contains("%p")) {
                match orders.as_slice() {
                    [Order::MonthFirst] => month_first = true,
                    _ => return None,
                }
                continue;
            }
            match (
                orders.contains(&Order::MonthFirst),
                orders.contains(&Order::DayFirst),
            ) {
                (true, false) => month_first = true,
                (false, true) => day_first = true,
                _ => {}
            }
        }
    }
    match (any_numeric, month_first, day_first) {
        (false, _, _) => Some(Order::Unambiguous),
        (true, true, false) => Some(Order::MonthFirst),
        (true, false, true) => Some(Order::DayFirst),
        _ => None,
    }
}

/// A zone a `--date-format` writes as text rather than reads (`… UTC %Y`,
/// `%H:%M:%S +0000`, `PST`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiteralZone {
    /// `UTC`, `GMT` or a zero offset: the times are UTC.
    Utc,
    /// Another zone's name or offset, which a pattern cannot apply.
    Other(String),
}

/// Zones' abbreviations a pattern may hold as text (the two-letter US ones in
/// capitals only: `at` is a word).
const ZONE_NAMES: &[&str] = &[
    "PST", "PDT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "AKST", "AKDT", "HST", "CET", "CEST",
    "EET", "EEST", "WET", "WEST", "BST", "IST", "JST", "KST", "AEST", "AEDT", "ACST", "ACDT",
    "AWST", "NZST", "NZDT", "MSK", "SGT", "HKT", "BRT", "ART", "MEZ", "MESZ", "WIB",
];
const US_SHORT: &[&str] = &["ET", "PT", "CT", "MT"];

/// The zone `pattern` writes as literal text, if any (see [`LiteralZone`]): another
/// zone anywhere wins over UTC's names (`GMT+0100` is an hour east).
pub fn literal_zone(pattern: &str) -> Option<LiteralZone> {
    use chrono::format::{Item, StrftimeItems};
    let text: String = StrftimeItems::new(pattern)
        .map(|item| match item {
            Item::Literal(t) => t.to_string(),
            Item::OwnedLiteral(t) => t.to_string(),
            _ => " ".to_string(),
        })
        .collect();
    let words = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | ':' | '/' | '_')));
    let mut found = None;
    for word in words.filter(|w| !w.is_empty()) {
        // `GMT+0000`, `UTC-5`, `.000+0000`: a name and an offset joined.
        let (name, offset) = match word.find(['+', '-']) {
            Some(at) => word.split_at(at),
            None => (word, ""),
        };
        let upper = name.to_ascii_uppercase();
        let zone = if ["UTC", "GMT", "UT"].contains(&upper.as_str()) {
            Some(LiteralZone::Utc)
        } else if ZONE_NAMES.contains(&upper.as_str())
            || US_SHORT.contains(&name)
            || (name.contains('/') && name.parse::<Tz>().is_ok())
        {
            Some(LiteralZone::Other(word.to_string()))
        } else {
            None
        };
        let hours = written_hours(offset).map(|zero| match zero {
            true => LiteralZone::Utc,
            false => LiteralZone::Other(word.to_string()),
        });
        for z in [zone, hours].into_iter().flatten() {
            match z {
                LiteralZone::Other(_) => return Some(z),
                LiteralZone::Utc => found = Some(LiteralZone::Utc),
            }
        }
    }
    found
}

/// An offset written as text (`+0000`, `-05:00`, `+1`): whether it is zero; none
/// for other text.
fn written_hours(offset: &str) -> Option<bool> {
    let digits: String = offset
        .strip_prefix(['+', '-'])?
        .chars()
        .filter(|c| *c != ':')
        .collect();
    let offset = matches!(digits.len(), 1 | 2 | 4) && digits.bytes().all(|b| b.is_ascii_digit());
    offset.then(|| digits.bytes().all(|b| b == b'0'))
}

/// A time with its offset read by `pattern`: its year and UTC epoch milliseconds;
/// none where it does not parse or its offset is past every zone's (−12:00 to
/// +14:00).
fn offset_ms(value: &str, pattern: &str) -> Option<(i32, i64)> {
    // Only where the pattern puts the offset after the zone's name (`GMT%#z`): a
    // pattern ending in a literal ` GMT` after its `%z` reads the value as it is.
    let value = match pattern.contains("GMT%") || pattern.contains("UTC%") {
        true => zone_offset_padded(value),
        false => std::borrow::Cow::Borrowed(value),
    };
    let t = DateTime::parse_from_str(&value, pattern).ok()?;
    crate::calendar::is_zone_offset(t.offset().local_minus_utc().into())
        .then(|| (t.year(), t.timestamp_millis()))
}

/// `value` with an offset after `GMT` or `UTC` whose hours are one digit (`GMT+1`,
/// `UTC-3:30`) given two, and such a name ending the value alone given `+00`, as
/// chrono's `%#z` reads them; any other value as it is.
fn zone_offset_padded(value: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let Some(at) = value.rfind("GMT").or_else(|| value.rfind("UTC")) else {
        return Cow::Borrowed(value);
    };
    let (head, tail) = value.split_at(at + 3);
    let b = tail.as_bytes();
    match b {
        [] => Cow::Owned(format!("{value}+00")),
        [sign @ (b'+' | b'-'), hour, rest @ ..]
            if hour.is_ascii_digit() && !rest.first().is_some_and(u8::is_ascii_digit) =>
        {
            Cow::Owned(format!("{head}{}0{}", *sign as char, &tail[1..]))
        }
        _ => Cow::Borrowed(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Google Forms' times (`2025/03/04 10:15:00 AM GMT+1`): the offset's one-digit
    /// hours, its minutes and the zone's name alone read; two digits as they are.
    #[test]
    fn google_forms_offsets_read() {
        let gmt = TsFormat::user("%Y/%m/%d %I:%M:%S %p GMT%#z");
        let utc = TsFormat::user("%Y/%m/%d %I:%M:%S %p UTC%#z");
        // 2025-03-04 09:15 UTC is 1741079700 s.
        let base = 1_741_079_700_000;
        for (format, value, ms) in [
            (&gmt, "2025/03/04 10:15:00 AM GMT+1", base),
            (&gmt, "2025/03/04 10:15:00 AM GMT+01", base),
            (&gmt, "2025/03/04 2:45:00 PM GMT+5:30", base),
            (&gmt, "2025/03/04 4:15:00 AM GMT-5", base),
            (&gmt, "2025/03/04 9:15:00 AM GMT", base),
            (&utc, "2025/03/04 12:15:00 PM UTC+3", base),
        ] {
            assert_eq!(
                offset_ms(value, &format.pattern).map(|(_, ms)| ms),
                Some(ms),
                "{value}"
            );
        }
        for bad in [
            "2025/03/04 10:15:00 AM GMT+",
            "2025/03/04 10:15:00 AM GMT+15",
            "2025/03/04 13:15:00 PM GMT+1",
        ] {
            assert_eq!(offset_ms(bad, &gmt.pattern), None, "{bad}");
        }
        // A literal zone name after the offset is the pattern's own text, not padded.
        let tail = TsFormat::user("%Y-%m-%d %H:%M:%S %z GMT");
        let at = offset_ms("2025-03-04 10:15:00 +0100 GMT", &tail.pattern);
        assert_eq!(at.map(|(_, ms)| ms), Some(base));
    }

    /// Zones written as text: UTC's names and a zero offset are UTC; another zone's
    /// name or offset is one a pattern cannot apply.
    #[test]
    fn only_a_cells_own_text_is_read_as_a_cell() {
        assert!(cell_text("2025-01-04 09:00:00"));
        assert!(cell_text("2025-01-04 09:00:00.125"));
        for other in [
            "2025-01-04 09:00",
            "2025-01-04T09:00:00",
            "2025-01-04",
            "2025-01-04 09:00:00+0200",
            "2025-01-04 09:00:00.5",
        ] {
            assert!(!cell_text(other), "{other}");
        }
    }

    #[test]
    fn zones_written_into_a_pattern() {
        assert_eq!(
            literal_zone("%a %b %d %H:%M:%S UTC %Y"),
            Some(LiteralZone::Utc)
        );
        assert_eq!(
            literal_zone("%Y-%m-%d %H:%M:%S gmt"),
            Some(LiteralZone::Utc)
        );
        assert_eq!(
            literal_zone("%Y-%m-%d %H:%M:%S +00:00"),
            Some(LiteralZone::Utc)
        );
        assert_eq!(
            literal_zone("%Y-%m-%d %H:%M PST"),
            Some(LiteralZone::Other("PST".into()))
        );
        assert_eq!(
            literal_zone("%Y-%m-%d %H:%M +0100"),
            Some(LiteralZone::Other("+0100".into()))
        );
        assert_eq!(literal_zone("%Y-%m-%dT%H:%M:%S%z"), None);
        assert_eq!(literal_zone("%d/%m/%Y at %H:%M"), None);
        assert_eq!(
            literal_zone("%a %b %d %Y %H:%M:%S GMT+0000 (Coordinated Universal Time)"),
            Some(LiteralZone::Utc)
        );
        assert_eq!(
            literal_zone("%Y-%m-%dT%H:%M:%S.000+0000"),
            Some(LiteralZone::Utc)
        );
        for other in [
            "%Y-%m-%d %H:%M:%S GMT+0100",
            "%Y-%m-%d %H:%M UTC-5",
            "%d.%m.%Y %H:%M MEZ",
            "%m/%d/%Y %I:%M %p ET",
            "%Y-%m-%d %H:%M Europe/Berlin",
        ] {
            assert!(
                matches!(literal_zone(other), Some(LiteralZone::Other(_))),
                "{other}"
            );
        }
        assert_eq!(literal_zone("%d-%m-%Y %H:%M"), None);
        // A date alone with a zone's name is a day, as before.
        assert_eq!(TsFormat::user("%Y-%m-%d GMT").zone, Zone::DateOnly);
        assert_eq!(TsFormat::user("%Y-%m-%d %H:%M GMT").zone, Zone::Utc);
    }

    fn first(sample: &[&str]) -> TsFormat {
        match detect(sample) {
            Detected::Formats(f, _) => f[0].clone(),
            other => panic!("no format: {other:?}"),
        }
    }

    /// A clock time's format reads dates alone too, as its day's first instant; a
    /// column of dates alone keeps the date's format.
    #[test]
    fn dates_alone_beside_clock_times() {
        let mixed = first(&["08/09/2024", "07/09/2024 23:59", "13/01/2025 00:00"]);
        assert_eq!(mixed.pattern, "%d/%m/%Y %H:%M");
        assert!(mixed.parses("08/09/2024") && mixed.parses("07/09/2024 23:59"));
        let mostly_dates = first(&["01/03/2025", "02/03/2025", "03/03/2025", "04/03/2025 10:15"]);
        assert_eq!(mostly_dates.pattern, "%m/%d/%Y %H:%M");
        assert_eq!(first(&["01/03/2025", "02/03/2025"]).zone, Zone::DateOnly);
        assert!(!first(&["2025-03-01"]).parses("01/03/2025"));
    }

    #[test]
    fn iso_variants() {
        assert_eq!(first(&["2025-03-04T09:15:00Z"]).zone, Zone::Utc);
        assert_eq!(first(&["2025-03-04T09:15:00.250Z"]).zone, Zone::Utc);
        assert_eq!(first(&["2025-03-04T09:15:00+02:00"]).zone, Zone::Offset);
        assert_eq!(
            first(&["2025-03-04 09:15:00"]).pattern,
            "%Y-%m-%d %H:%M:%S%.f"
        );
        assert_eq!(first(&["2025-03-04 09:15"]).pattern, "%Y-%m-%d %H:%M");
        assert_eq!(first(&["2025-03-04"]).zone, Zone::DateOnly);
        assert_eq!(
            first(&["Tue Oct 31 22:10:47 +0000 2017"]).zone,
            Zone::Offset
        );
    }

    #[test]
    fn us_twelve_hour_clock_is_month_first() {
        // NYC 311: every date of the file is the 1st: the sample cannot tell, and the
        // whole file's scan reads a 12-hour clock read both ways throughout as the US
        // form (tests/cli: `nyc_311_real_export`).
        let d = detect(&["05/01/2022 12:00:03 AM", "05/01/2022 01:07:46 PM"]);
        assert_eq!(decide_order(&[&d]), None);
        // A value only day-first reads leaves it to the whole file too, where far
        // more values must read only day-first (a stray `13/01` among US dates).
        let d = detect(&["05/01/2022 12:00:03 AM", "13/01/2022 01:07:46 PM"]);
        assert_eq!(decide_order(&[&d]), None);
        let d = detect(&["05/13/2022 12:00:03 AM"]);
        assert_eq!(decide_order(&[&d]), Some(Order::MonthFirst));
    }

    #[test]
    fn day_month_ambiguity_is_reported_not_guessed() {
        let d = detect(&["01/02/2025", "03/04/2025"]);
        assert_eq!(decide_order(&[&d]), None);
        // Another column of the same file settles it: 25 cannot be a month.
        let other = detect(&["25/02/2025 10:00"]);
        assert_eq!(decide_order(&[&d, &other]), Some(Order::DayFirst));
    }

    /// A two-digit year is read as `%y` (2025), never as `%Y` (the year 25), also
    /// when a year-first pattern would take `3/10/25` as the year 3.
    #[test]
    fn two_digit_years_are_this_century() {
        let us = first(&["3/1/25 10:00 AM", "3/14/25 9:15 PM"]);
        assert_eq!(us.pattern, "%m/%d/%y %I:%M %p");
        assert_eq!(first(&["3/10/25", "1/15/24"]).pattern, "%m/%d/%y");
        assert_eq!(first(&["3/10/2025"]).pattern, "%m/%d/%Y");
        assert_eq!(first(&["14.03.25"]).pattern, "%d.%m.%y");
        assert_eq!(first(&["14.03.25 10:00:30"]).pattern, "%d.%m.%y %H:%M:%S");
        let d = detect(&["01/02/25"]);
        assert_eq!(decide_order(&[&d]), None);
    }

    #[test]
    fn garbage_is_unknown() {
        assert_eq!(detect(&["soon", "later"]), Detected::Unknown);
        assert_eq!(detect(&["", "  "]), Detected::Empty);
    }
}
