//! Each file's timestamp formats, from its sampled values (and, when the sample
//! cannot tell day from month, from a scan of the whole column).

use super::*;
use crate::text::{printable, value_shown};

/// How many times as many values must read only one day/month order as only the
/// other for it to win (in the sample, ten at least); fewer leave the other's values
/// in doubt rather than strays.
const FIRM_IN_SAMPLE: usize = 10;

/// Does `a` values reading only one day/month order against `b` reading only the
/// other tell it firmly: ten at least, and ten times as many?
fn firm(a: usize, b: usize) -> bool {
    a >= FIRM_IN_SAMPLE && a >= FIRM_IN_SAMPLE * b
}

/// A column's month-first and day-first formats: those detected, or the twin of the
/// one order detected; `None` for a format without a day/month order.
fn order_pair(d: &Detected) -> Option<(TsFormat, TsFormat)> {
    let Detected::Formats(fmts, _) = d else {
        return None;
    };
    let of = |order: Order| fmts.iter().find(|t| t.order == order).cloned();
    let twin = || fmts.first().and_then(timestamp::order_twin);
    match (of(Order::MonthFirst), of(Order::DayFirst)) {
        (Some(m), Some(d)) => Some((m, d)),
        (Some(m), None) => Some((m, twin()?)),
        (None, Some(d)) => Some((twin()?, d)),
        (None, None) => None,
    }
}

/// Per value of a column of numeric dates read by `format` or its day/month twin
/// (`03/20/2025 10:00`): 1 where it reads only month-first (its second number past
/// 12), 2 only day-first (its first), else 0, told by the two numbers and a year
/// after them, without parsing the whole date (the whole-file count reads every
/// value: a parse of each, both ways, took seconds a million rows). `None` for a
/// format not of that shape.
fn one_way(raw: Expr, format: &TsFormat) -> Option<Expr> {
    let sep = ['/', '-', '.'].into_iter().find(|s| {
        let p = &format.pattern;
        p.starts_with(&format!("%m{s}%d{s}")) || p.starts_with(&format!("%d{s}%m{s}"))
    })?;
    let month_first = format.pattern.starts_with("%m");
    let code = move |v: &str| one_way_code(v, sep, month_first);
    Some(raw.map(
        move |c| {
            let out: UInt8Chunked = c.str()?.iter().map(|v| Some(code(v?))).collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| {
            Ok(polars::prelude::Field::new(
                f.name().clone(),
                DataType::UInt8,
            ))
        },
    ))
}

/// [`one_way`] of one value `v`, its date's numbers apart by `sep`, the month's
/// first where `month_first`.
fn one_way_code(v: &str, sep: char, month_first: bool) -> u8 {
    let mut parts = v.trim().splitn(3, sep);
    let number = |p: Option<&str>| -> Option<u32> {
        let p = p?;
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (Some(a), Some(b)) = (number(parts.next()), number(parts.next())) else {
        return 0;
    };
    // A year of two or four digits, then the end or the time.
    let rest = parts.next().unwrap_or("");
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let after = rest.as_bytes().get(digits).copied();
    if !matches!(digits, 2 | 4) || after.is_some_and(|c| c != b' ' && c != b'T') {
        return 0;
    }
    let (month, day) = if month_first { (a, b) } else { (b, a) };
    let real = |m: u32, d: u32| (1..=12).contains(&m) && (1..=31).contains(&d);
    match (real(month, day), real(day, month)) {
        (true, false) if month_first => 1,
        (true, false) => 2,
        (false, true) if month_first => 2,
        (false, true) => 1,
        _ => 0,
    }
}

/// Does a column's name say its times are UTC (`Submit Date (UTC)`, `created_utc`)?
fn named_utc(column: &str) -> bool {
    let name = column.trim().to_ascii_lowercase();
    ["(utc)", "[utc]", "(gmt)"].iter().any(|m| name.contains(m))
        || [" utc", "_utc", "-utc", ".utc"]
            .iter()
            .any(|e| name.ends_with(e))
}

/// Are `filled` unreadable values among `sampled` rows a few strays (a `pending` among
/// blanks) rather than a column in an unknown format: at most half the rows filled,
/// and at most two of them or a twentieth of the rows?
fn few_unreadable(filled: usize, sampled: usize) -> bool {
    filled * 2 <= sampled && (filled <= 2 || filled * 20 <= sampled)
}

impl Input {
    /// For each file, the timestamp format of each mapped timestamp field among
    /// `wanted`. Each file is read on its own: concatenated exports from two systems
    /// may write dates differently.
    pub fn timestamp_formats(&self, wanted: &[&str]) -> Result<Vec<Formats>> {
        let each: Vec<Result<Formats>> = (0..self.files.len())
            .map(|i| self.file_timestamp_formats(i, wanted, None))
            .collect();
        // A file of one row cannot show a format: its unreadable value, where another
        // file reads the column, is a stray of that format (a day's export among
        // others), rejected as in one file. Where no file reads it, the stop stands.
        let read = each.iter().find_map(|r| r.as_ref().ok()).cloned();
        let each: Vec<Result<Formats>> = (each.into_iter().enumerate())
            .map(|(i, formats)| match (formats, &read) {
                (Err(e), Some(others)) if self.files[i].sniffed.rows().count() == 1 => self
                    .file_timestamp_formats(i, wanted, Some(others))
                    .map_err(|_| e),
                (formats, _) => formats,
            })
            .collect();
        self.orders_told_by_the_others(each.into_iter().collect::<Result<_>>()?)
    }

    /// A file whose every date reads both ways, taken month-first for its 12-hour
    /// clock, is read day-first where the run's other files that tell an order all
    /// tell that one (a UK export of the 1st to the 12th beside one of the 20th).
    fn orders_told_by_the_others(&self, mut each: Vec<Formats>) -> Result<Vec<Formats>> {
        let taken = |i: usize| {
            self.files[i].order_assumed().is_some() || self.files[i].order_undecided().is_some()
        };
        let told = |i: usize, order: Order| !taken(i) && each[i].values().any(|f| f.order == order);
        let day_first: Vec<usize> = (0..each.len())
            .filter(|&i| told(i, Order::DayFirst))
            .collect();
        let month_first: Vec<usize> = (0..each.len())
            .filter(|&i| told(i, Order::MonthFirst))
            .collect();
        // A file whose dates told nothing, beside none that tells one order alone:
        // its stop stands. Beside files telling month-first, it is read so, said.
        let by_month = month_first.first().filter(|_| day_first.is_empty());
        for file in &self.files {
            let Some(stop) = file.order_undecided() else {
                continue;
            };
            if let Some(&by) = by_month {
                file.order_told(Some(format!(
                    "{}: every date reads both as month-first and as day-first: read month-first, as {} writes its dates",
                    file.source.name, self.files[by].source.name
                )));
            } else if day_first.is_empty() || !month_first.is_empty() {
                return Err(data_err!("{stop}"));
            }
        }
        let Some(&by) = day_first.first().filter(|_| month_first.is_empty()) else {
            return Ok(each);
        };
        for (i, formats) in each.iter_mut().enumerate() {
            if !taken(i) {
                continue;
            }
            for f in formats.values_mut() {
                if let Some(twin) = (f.order == Order::MonthFirst)
                    .then(|| timestamp::order_twin(f))
                    .flatten()
                {
                    *f = twin;
                }
            }
            self.files[i].order_told(Some(format!(
                "{}: every date reads both as month-first and as day-first: read day-first, as {} writes its dates",
                self.files[i].source.name, self.files[by].source.name
            )));
        }
        Ok(each)
    }

    /// [`Input::timestamp_formats`] of each file on its own: None for a file whose
    /// formats cannot be told (for a step that can do without them).
    pub fn timestamp_formats_each(&self, wanted: &[&str]) -> Vec<Option<Formats>> {
        (0..self.files.len())
            .map(|i| self.file_timestamp_formats(i, wanted, None).ok())
            .collect()
    }

    /// The zone file `i` names for field `f`'s times without an offset, read by
    /// `format`: a column's own (Qualtrics' import ids, for its dates too), or its
    /// footer's (Zammad's `Timezone: …`, for times: a date alone is the day it
    /// names in `--tz`, as the buckets are).
    fn declared_zone(&self, i: usize, f: &str, format: &TsFormat) -> Option<Tz> {
        let file = &self.files[i];
        let column = file.mapping.get(f).unwrap_or(f);
        let zone = (file.declared_zones.iter())
            .find(|(c, _)| c == column)
            .map(|(_, z)| *z);
        match format.zone {
            timestamp::Zone::Local => zone,
            timestamp::Zone::DateOnly if file.source.footer_zone.is_none() => zone,
            _ => None,
        }
    }

    /// The pattern file `i`'s timestamp field `field` is read with, if it is one.
    pub fn timestamp_pattern(&self, i: usize, field: &str) -> Option<(String, Tz)> {
        let formats = self.file_timestamp_formats(i, &[field], None).ok()?;
        let format = formats.get(field)?;
        Some((format.pattern.clone(), format.declared.unwrap_or(self.tz)))
    }

    /// [`Input::timestamp_formats`] of file `i`.
    /// `others`: the formats another file of the input reads, for the unreadable
    /// columns of a file of one row.
    fn file_timestamp_formats(
        &self,
        i: usize,
        wanted: &[&str],
        others: Option<&Formats>,
    ) -> Result<Formats> {
        let mut out = BTreeMap::new();
        let ts_fields: Vec<&'static str> = self
            .fields
            .iter()
            .filter(|f| f.kind == Kind::Timestamp && wanted.contains(&f.name) && self.has(f.name))
            .map(|f| f.name)
            .collect();
        if let Some(user) = &self.date_format {
            // A workbook's date cells and a Parquet file's timestamps are instants,
            // which cxm writes as ISO text, and the pattern is for dates written as
            // text: a column of such cells alone is read as without it (one that
            // reads their ISO text too, `%Y-%d-%m`, would swap their days and
            // months), and in a workbook column holding some, a value the pattern
            // does not read is read as a cell's text.
            let source = &self.files[i].source;
            let typed: Vec<(String, bool)> = match source.format {
                FileFormat::Parquet => (parquet::time_columns(source)?.into_iter())
                    .map(|c| (c, true))
                    .collect(),
                FileFormat::Csv => source.typed_dates.clone(),
            };
            let typed_of = |f: &str| {
                let column = self.files[i].mapping.get(f).unwrap_or(f);
                typed.iter().find(|(c, _)| c == column).map(|(_, all)| *all)
            };
            let format_of = |f: &str| TsFormat {
                typed: typed_of(f) == Some(false),
                ..TsFormat::user(user)
            };
            // As the column will be read: an ISO shape reads each value with its own
            // offset, or none.
            // (By the pattern itself: one that reads the dates alone of a column of
            // clock times, and none of its times, does not fit it.)
            let formats: Vec<(&str, TsFormat)> =
                ts_fields.iter().map(|&f| (f, format_of(f))).collect();
            let format_of = |f: &str| {
                (formats.iter())
                    .find(|(g, _)| *g == f)
                    .map_or_else(|| TsFormat::user(user), |(_, t)| t.clone())
            };
            let reads = |f: &str, v: &str| {
                (formats.iter())
                    .find(|(g, _)| *g == f)
                    .is_some_and(|(_, t)| t.reads_itself(v) && t.plausible(v))
            };
            let samples: Vec<(&'static str, Vec<String>)> = ts_fields
                .iter()
                .map(|&f| (f, self.file_sample(i, f)))
                .collect();
            let some_read = (samples.iter())
                .any(|(f, values)| values.iter().any(|v| !v.trim().is_empty() && reads(f, v)));
            for (f, values) in &samples {
                let f = *f;
                let format = format_of(f);
                let reads = |v: &str| reads(f, v);
                if typed_of(f) == Some(true) {
                    let refs: Vec<&str> = values.iter().map(String::as_str).collect();
                    let detected = match timestamp::detect(&refs) {
                        Detected::Formats(fmts, _) => {
                            fmts.into_iter().find(|t| t.order == Order::Unambiguous)
                        }
                        _ => None,
                    };
                    out.insert(f, detected.unwrap_or_else(TsFormat::typed_cells));
                    continue;
                }
                // A format that reads none of the sampled values would reject every
                // row, and report zeros: the same stop as when nothing is detected,
                // and the same leave for a few stray values beside dates that read.
                let filled: Vec<&str> = values
                    .iter()
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .collect();
                let stray = some_read && few_unreadable(filled.len(), values.len());
                if let Some(example) =
                    (filled.first()).filter(|_| !stray && !filled.iter().any(|v| reads(v)))
                {
                    // Epoch milliseconds read as seconds fall past the year 5000.
                    let seconds = user == "%s" || user.starts_with("%s%.");
                    // The whole part's digits: 11 to 13 are milliseconds; more, a finer
                    // unit no format reads.
                    let digits = example.split('.').next().map_or(0, |w| w.trim().len());
                    // Offsets no zone has (`+15`), on every value the pattern reads once
                    // its offset is a real one: the data's fault, not the pattern's.
                    let past_zones = filled.iter().all(|v| {
                        (crate::calendar::written_offset(v))
                            .is_some_and(|secs| !crate::calendar::is_zone_offset(secs))
                            && crate::calendar::with_zero_offset(v).is_some_and(|z| reads(&z))
                    });
                    let hint = match (seconds, digits) {
                        (true, 11..=13) => " (milliseconds since 1970? give --date-format '%s%3f')",
                        (true, 14..) => " (a number past milliseconds since 1970: cxm reads seconds, '%s', and milliseconds, '%s%3f')",
                        _ if past_zones => " (its offset is past every zone's, -12:00 to +14:00: a time written with it is no time)",
                        _ => "",
                    };
                    return Err(data_err!(
                        "{}: column '{}' ({f}): --date-format '{user}' reads none of its values, e.g. '{}'{hint}",
                        self.files[i].source.name,
                        printable(self.files[i].mapping.get(f).unwrap_or(f)),
                        value_shown(example),
                    ));
                }
                let mut format = format.clone();
                format.declared = self.declared_zone(i, f, &format);
                out.insert(f, format);
            }
            return Ok(out);
        }
        let mut detected: Vec<(&'static str, Detected)> = Vec::new();
        // Columns no format reads, with their sampled values.
        let mut unread: Vec<(&'static str, Vec<String>)> = Vec::new();
        for &f in &ts_fields {
            let mut values = self.file_sample(i, f);
            // A column blank in the sample (no ticket resolved in a newest-first
            // export's first rows) is told by its first values past it.
            if values.iter().all(|v| v.trim().is_empty()) {
                let file = &self.files[i];
                let name = file.mapping.get(f);
                let k = name.and_then(|n| file.sniffed.headers.iter().position(|h| h == n));
                if let Some(k) = k.filter(|&k| !file.past_sample(k).is_empty()) {
                    values = file.past_sample(k).to_vec();
                }
            }
            let refs: Vec<&str> = values.iter().map(String::as_str).collect();
            match timestamp::detect(&refs) {
                Detected::Unknown => unread.push((f, values)),
                d => detected.push((f, d)),
            }
        }
        let some_read = detected
            .iter()
            .any(|(_, d)| matches!(d, Detected::Formats(..)));
        for (f, values) in unread {
            // A few unreadable values in a column otherwise blank in the sample (a
            // `pending` where no ticket was answered yet), beside columns that read,
            // are bad values rejected row by row, not a format nobody knows: the
            // column is read as the file's other dates are.
            let filled = values.iter().filter(|v| !v.trim().is_empty()).count();
            if some_read && few_unreadable(filled, values.len()) {
                detected.push((f, Detected::Empty));
                continue;
            }
            if let Some(format) = others.and_then(|o| o.get(f)) {
                detected.push((f, Detected::Formats(vec![format.clone()], 0)));
                continue;
            }
            return Err(self.no_format_fits(i, f, &values));
        }
        // Day/month order is a property of the file: every date-like column has a say,
        // and two columns it reads that say the opposite are an error, not two orders.
        self.check_one_order(i, &detected)?;
        // Other date columns vote on the day/month order only where a column read is
        // in doubt: a file of ISO times has no order to decide (and a file of
        // thousands of columns is not detected column by column for nothing).
        let in_doubt = detected.iter().any(|(_, d)| match d {
            Detected::Formats(fmts, _) => !fmts.iter().any(|t| t.order == Order::Unambiguous),
            _ => false,
        });
        let others = match in_doubt {
            true => self.other_date_columns(i, &ts_fields),
            false => Vec::new(),
        };
        // The read columns' sample decides where it tells the order firmly, all its
        // columns' values together; where it tells it faintly (one stray `13/01`
        // among dates of the first twelve days) or not at all, the whole file does,
        // unread columns only breaking a tie there.
        let votes: Vec<&Detected> = detected.iter().map(|(_, d)| d).collect();
        let (month_only, day_only) = (detected.iter())
            .filter_map(|(f, d)| self.only_one_way(i, f, d))
            .fold((0, 0), |(m, d), (m1, d1)| (m + m1, d + d1));
        let order = match timestamp::decide_order(&votes) {
            Some(Order::Unambiguous) => Order::Unambiguous,
            Some(Order::MonthFirst) if firm(month_only, day_only) => Order::MonthFirst,
            Some(Order::DayFirst) if firm(day_only, month_only) => Order::DayFirst,
            _ => self.order_from_full_scan(i, &detected, &others)?,
        };
        let mut empty = Vec::new();
        for (f, d) in detected {
            match d {
                Detected::Formats(fmts, _) => {
                    // A dotted column read one way in the sample takes its twin
                    // where the whole file decided the other.
                    let twin =
                        (fmts.first().and_then(timestamp::order_twin)).filter(|t| t.order == order);
                    let mut chosen = (fmts.iter())
                        .find(|t| t.order == order || t.order == Order::Unambiguous)
                        .cloned()
                        .or(twin)
                        .unwrap_or_else(|| fmts[0].clone());
                    // Times the export writes in UTC, without saying so, or saying so
                    // in the column's name (`Submit Date (UTC)`).
                    let file = &self.files[i];
                    let column = file.mapping.get(f).unwrap_or(f);
                    if chosen.zone == timestamp::Zone::Local
                        && (file.preset.is_some_and(|(p, _)| p.times_utc) || named_utc(column))
                    {
                        chosen.zone = timestamp::Zone::Utc;
                    }
                    // Or in a zone it names for the column (Qualtrics).
                    chosen.declared = self.declared_zone(i, f, &chosen);
                    out.insert(f, chosen);
                }
                _ => empty.push(f),
            }
        }
        // A column empty in the sample (no ticket resolved yet in a newest-first
        // export) is most likely written as the file's other dates are.
        let sibling = out.values().next().cloned();
        for f in empty {
            let format = sibling.clone();
            out.insert(
                f,
                format.unwrap_or_else(|| TsFormat::user("%Y-%m-%dT%H:%M:%S%.fZ")),
            );
        }
        Ok(out)
    }

    /// The error for file `i`'s timestamp field `f`, whose sampled `values` no known
    /// format reads (or a quote never closed, when a value runs over lines).
    fn no_format_fits(&self, i: usize, f: &str, values: &[String]) -> CxmError {
        let example = values
            .iter()
            .find(|v| !v.trim().is_empty())
            .map_or("", String::as_str);
        let source = &self.files[i].source;
        if example.contains('\n') {
            // The earliest cause: a quote left open may be closed by a later field's.
            let sniffed = &self.files[i].sniffed;
            let delimiter = sniffed.delimiter;
            if let Some(cause) = records::read_problem(
                &source.path,
                &source.name,
                delimiter,
                &sniffed.headers,
                source.line_offset,
            ) {
                return data_err!("{cause}");
            }
        }
        // Days since 1899-12-30 (1930 to 2099): Excel's dates in cells not formatted as
        // dates, which no strftime pattern reads.
        let serial = |v: &str| {
            v.trim()
                .parse::<f64>()
                .is_ok_and(|d| (10_959.0..73_051.0).contains(&d))
        };
        // An offset no zone has (`+15:00`), where a real one would be read: no
        // format reads it.
        let past_zones = (crate::calendar::written_offset(example))
            .filter(|&secs| !crate::calendar::is_zone_offset(secs))
            .and_then(|_| crate::calendar::with_zero_offset(example))
            .filter(|zeroed| {
                matches!(
                    crate::input::timestamp::detect(&[zeroed.as_str()]),
                    crate::input::timestamp::Detected::Formats(..)
                )
            });
        let way = match values.iter().filter(|v| !v.trim().is_empty()).all(|v| serial(v)) {
            true => "they look like Excel's date serials (days since 1899-12-30) in cells not formatted as dates: format the column as dates (or as text dates) in Excel and save again".to_string(),
            false if past_zones.is_some() => "its offset is past every zone's (-12:00 to +14:00): a time written with it is no time (a typo in the export?)".to_string(),
            false => "give --date-format".to_string(),
        };
        data_err!(
            "{}: column '{}' ({f}): no known timestamp format fits values like '{}'; {way}",
            source.name,
            printable(self.files[i].mapping.get(f).unwrap_or(f)),
            value_shown(example),
        )
    }

    /// Sample values of a mapped field in file `i`.
    pub(super) fn file_sample(&self, i: usize, field: &str) -> Vec<String> {
        self.file_sample_where(i, field, None)
    }

    /// [`Input::file_sample`] of the sampled rows whose cell of another field
    /// (`rows`: the field and a test of its cell) passes.
    pub(super) fn file_sample_where(
        &self,
        i: usize,
        field: &str,
        rows: Option<super::RowTest>,
    ) -> Vec<String> {
        let file = &self.files[i];
        let column = |field: &str| {
            let name = file.mapping.get(field)?;
            file.sniffed.headers.iter().position(|h| h == name)
        };
        let Some(k) = column(field) else {
            return Vec::new();
        };
        let by = match rows {
            Some((other, keep)) => match column(other) {
                Some(at) => Some((at, keep)),
                None => return Vec::new(),
            },
            None => None,
        };
        // A marker reads as a blank cell, as it will when the rows are parsed.
        file.sniffed
            .rows()
            .filter(|r| by.is_none_or(|(at, keep)| r.get(at).is_some_and(keep)))
            .filter_map(|r| r.get(k))
            .map(|v| match file.markers.is_missing(v) {
                true => String::new(),
                false => v.to_string(),
            })
            .collect()
    }

    /// Detections for the unmapped columns of file `i` that look like numeric dates.
    fn other_date_columns(&self, i: usize, mapped: &[&str]) -> Vec<Detected> {
        let file = &self.files[i];
        let mapped_cols: Vec<&str> = mapped.iter().filter_map(|f| file.mapping.get(f)).collect();
        let mut out = Vec::new();
        for (k, h) in file.sniffed.headers.iter().enumerate() {
            if mapped_cols.contains(&h.as_str()) {
                continue;
            }
            let values: Vec<&str> = file.sniffed.rows().filter_map(|r| r.get(k)).collect();
            if values
                .iter()
                .any(|v| v.contains('/') || v.contains('-') || v.contains('.'))
            {
                if let d @ Detected::Formats(..) = timestamp::detect(&values) {
                    out.push(d);
                }
            }
        }
        out
    }

    /// The sample could not tell day/month order: count, over every row of file `i`,
    /// the values that read only one way.
    fn order_from_full_scan(
        &self,
        i: usize,
        detected: &[(&'static str, Detected)],
        unread: &[Detected],
    ) -> Result<Order> {
        let mut exprs = Vec::new();
        let mut example = String::new();
        let mut patterns = String::new();
        // Each read column's day-first pattern: one `--date-format` reads them only if
        // they are one.
        let mut day_first: Vec<String> = Vec::new();
        // A format read one way only in the sample is counted both ways too.
        let twins = order_pair;
        // A column empty in the sample is read as the file's other dates are (see
        // below), so its later values have a say too.
        let first_twins = detected.iter().find_map(|(_, d)| twins(d));
        // An unread date column with a four-digit year has a say: read one way only,
        // as one value of that order; dotted and read day-first or both ways, as a
        // file written day-first. One with a short year says nothing (a version
        // number, `2.4.11` or `2.13.1`, reads as a date).
        fn dated(d: &Detected) -> Option<&Vec<TsFormat>> {
            match d {
                Detected::Formats(fmts, _) if fmts.iter().all(|t| t.pattern.contains("%Y")) => {
                    Some(fmts)
                }
                _ => None,
            }
        }
        let unread_only = |order: Order| {
            (unread.iter().filter_map(dated)).any(|fmts| fmts.iter().all(|t| t.order == order))
        };
        let mut dotted = unread.iter().filter_map(dated).any(|fmts| {
            fmts.iter().all(|t| timestamp::dotted(&t.pattern))
                && fmts.iter().any(|t| t.order == Order::DayFirst)
        });
        // A 12-hour clock (in a read column or another) is the US form where nothing
        // tells the order, and where far more values read only month-first.
        let twelve = |d: &Detected| match d {
            Detected::Formats(fmts, _) => fmts.iter().all(|t| t.pattern.contains("%p")),
            _ => false,
        };
        let twelve_hour = detected.iter().any(|(_, d)| twelve(d)) || unread.iter().any(twelve);
        for (f, d) in detected {
            let pair = match d {
                Detected::Empty => first_twins.clone(),
                d => twins(d),
            };
            dotted |= pair
                .as_ref()
                .is_some_and(|(_, d)| timestamp::dotted(&d.pattern));
            if let Some((m, dd)) = pair {
                if *d != Detected::Empty && !day_first.contains(&dd.pattern) {
                    day_first.push(dd.pattern.clone());
                }
                let (month_only, day_only) = match one_way(col(*f), &m) {
                    Some(code) => (code.clone().eq(lit(1u8)), code.eq(lit(2u8))),
                    None => {
                        let pm = m.to_epoch_ms(col(*f), Tz::UTC);
                        let pd = dd.to_epoch_ms(col(*f), Tz::UTC);
                        let month_only = pm.clone().is_not_null().and(pd.clone().is_null());
                        (month_only, pd.is_not_null().and(pm.is_null()))
                    }
                };
                exprs.push(month_only.clone().sum().alias(format!("m_{f}")));
                exprs.push(day_only.clone().sum().alias(format!("d_{f}")));
                // A value of each reading, for a file that mixes them.
                let first = |only: Expr| col(*f).filter(only).first().cast(DataType::String);
                let row = |only: Expr| col(ROW_INDEX).filter(only).first();
                exprs.push(row(month_only.clone()).alias(format!("rm_{f}")));
                exprs.push(row(day_only.clone()).alias(format!("rd_{f}")));
                exprs.push(first(month_only).alias(format!("xm_{f}")));
                exprs.push(first(day_only).alias(format!("xd_{f}")));
                if example.is_empty() && *d != Detected::Empty {
                    example = format!(
                        "{} like '{}'",
                        printable(self.files[i].mapping.get(f).unwrap_or(f)),
                        value_shown(&self.example_value(i, f, (&m, &dd)))
                    );
                    // The two readings of this column's own shape (a date alone too).
                    patterns = format!("'{}' or '{}'", dd.pattern, m.pattern);
                }
            }
        }
        if exprs.is_empty() {
            // Only columns cxm does not read are ambiguous: nothing to decide.
            return Ok(Order::Unambiguous);
        }
        let fields: Vec<&str> = detected.iter().map(|(f, _)| *f).collect();
        // A ragged row is rejected whole: its dates have no say.
        let counts = self
            .scan_file(i, &fields, &[], true)?
            .filter(col(super::RAGGED).not())
            .select(exprs)
            .collect()?;
        let total = |prefix: &str| -> u64 {
            counts
                .columns()
                .iter()
                .filter(|c| c.name().starts_with(prefix))
                .filter_map(|c| c.as_materialized_series().sum::<u64>().ok())
                .sum()
        };
        // Unread columns break a tie only: the read values outweigh them.
        let (m, d) = (total("m_"), total("d_"));
        let (m, d) = match (m, d) {
            (0, 0) => (
                u64::from(unread_only(Order::MonthFirst)),
                u64::from(unread_only(Order::DayFirst)),
            ),
            read => read,
        };
        // A value of one reading and the record holding it, from the first column
        // that has one.
        let shown = |order: char| -> Option<(String, u64)> {
            fields.iter().find_map(|f| {
                let value = counts
                    .column(&format!("x{order}_{f}"))
                    .ok()?
                    .str()
                    .ok()?
                    .get(0)?;
                let row = counts.column(&format!("r{order}_{f}")).ok()?;
                let row = row.cast(&DataType::UInt64).ok()?.u64().ok()?.get(0)?;
                Some((value_shown(value), row))
            })
        };
        let far_more = |a: u64, b: u64| a >= FIRM_IN_SAMPLE as u64 * b;
        match (m > 0, d > 0) {
            (true, false) => Ok(Order::MonthFirst),
            (false, true) => Ok(Order::DayFirst),
            // Dots read both ways throughout are day-first; a 12-hour clock read both
            // ways throughout is the US form.
            (false, false) if dotted => Ok(Order::DayFirst),
            (false, false) if twelve_hour => {
                let fix = match day_first.as_slice() {
                    [one] => format!("give --date-format '{one}'"),
                    // `--date-format` is one pattern for every column.
                    several => format!(
                        "its date columns are written in {} shapes ({}), which no one --date-format reads: save its dates as ISO 8601 (2024-03-04 09:00)",
                        several.len(),
                        several.iter().map(|p| format!("'{p}'")).collect::<Vec<_>>().join(", ")
                    ),
                };
                self.files[i].assume_order(format!(
                    "{}: every date (e.g. {example}) reads both as month-first and as day-first: read month-first, as dates beside a 12-hour clock with AM/PM are written in the US; if the export writes the day first, {fix}",
                    self.files[i].source.name
                ));
                Ok(Order::MonthFirst)
            }
            // Where both orders show, the one far more values read wins, the others
            // rejected one by one (a stray `01.13.2025` among German dates, or
            // `13/01` among US ones).
            (true, true) if far_more(m, d) => Ok(Order::MonthFirst),
            (true, true) if far_more(d, m) => Ok(Order::DayFirst),
            (true, true) => {
                // An example where a value stands behind the count (not a 12-hour
                // clock's say, nor an unread column's).
                let example = |order: char| -> Result<String> {
                    let Some((value, row)) = shown(order) else {
                        return Ok(String::new());
                    };
                    let place = match self.by_row(i) {
                        true => "row",
                        false => "line",
                    };
                    Ok(format!(
                        " (e.g. {place} {}: '{value}')",
                        self.location(i, row)?
                    ))
                };
                let values = |n: u64| if n == 1 { "value reads" } else { "values read" };
                Err(data_err!(
                    "{}: the dates mix day/month orders: {m} {} only month-first{} and {d} only day-first{}; \
                     give --date-format, e.g. {patterns}, and fix the others",
                    self.files[i].source.name,
                    values(m),
                    example('m')?,
                    example('d')?,
                ))
            }
            _ => {
                let stop = format!(
                    "{}: day/month order is ambiguous: every date (e.g. {example}) reads both as day-first and as month-first; \
                     give --date-format, e.g. {patterns}",
                    self.files[i].source.name
                );
                // Beside other files, theirs may tell it (a UK folder of daily exports:
                // the 1st to the 12th beside the 13th on): decided with them.
                if self.files.len() > 1 {
                    self.files[i].leave_order_undecided(stop);
                    return Ok(Order::MonthFirst);
                }
                Err(data_err!("{stop}"))
            }
        }
    }

    /// How many of file `i`'s sampled values of column `f` read only month-first, and
    /// how many only day-first; `None` for a column with no day/month order.
    fn only_one_way(&self, i: usize, f: &str, detected: &Detected) -> Option<(usize, usize)> {
        let (m, d) = order_pair(detected)?;
        let values = self.file_sample(i, f);
        let only = |a: &TsFormat, b: &TsFormat| {
            (values.iter())
                .filter(|v| a.reads(v) && !b.reads(v))
                .count()
        };
        Some((only(&m, &d), only(&d, &m)))
    }

    /// Stop when one read column of file `i` reads only day-first and another only
    /// month-first: the same date would be read two ways in one row.
    fn check_one_order(&self, i: usize, detected: &[(&'static str, Detected)]) -> Result<()> {
        // Dots read month-first in the sample alone are left to the whole file, and so
        // is a column that tells its order faintly (a stray among another's dates).
        let firmly = |f: &str, d: &Detected, order: Order| {
            self.only_one_way(i, f, d)
                .is_some_and(|(m, d)| match order {
                    Order::MonthFirst => firm(m, d),
                    _ => firm(d, m),
                })
        };
        let only = |order: Order| {
            detected.iter().find_map(|(f, d)| match d {
                Detected::Formats(fmts, _)
                    if fmts.iter().all(|t| t.order == order)
                        && !(order == Order::MonthFirst && timestamp::dotted(&fmts[0].pattern))
                        && firmly(f, d, order) =>
                {
                    Some((*f, &fmts[0]))
                }
                _ => None,
            })
        };
        let (Some((day, day_format)), Some((month, month_format))) =
            (only(Order::DayFirst), only(Order::MonthFirst))
        else {
            return Ok(());
        };
        // The value that reads one way only (not the first, which may read both).
        let proof = |f: &str, format: &TsFormat, twin: &TsFormat| {
            let values = self.file_sample(i, f);
            let shown = (values.iter())
                .find(|v| format.reads(v) && !twin.reads(v))
                .or_else(|| values.iter().find(|v| !v.trim().is_empty()))
                .map(|v| value_shown(v))
                .unwrap_or_default();
            let column = printable(self.files[i].mapping.get(f).unwrap_or(f));
            format!(
                "'{column}' ({f}) reads only {} (e.g. '{shown}')",
                format.pattern
            )
        };
        Err(data_err!(
            "{}: the dates mix day/month orders: column {} and column {}; give --date-format and fix the others",
            self.files[i].source.name,
            proof(day, day_format, month_format),
            proof(month, month_format, day_format),
        ))
    }

    /// A sampled value of the column that reads both ways (not an ISO date beside
    /// them), else its first.
    fn example_value(&self, i: usize, field: &str, (m, d): (&TsFormat, &TsFormat)) -> String {
        let mut sample = self.file_sample(i, field);
        // A column blank in the sample: its values past it.
        if sample.iter().all(|v| v.trim().is_empty()) {
            let file = &self.files[i];
            let name = file.mapping.get(field);
            if let Some(k) = name.and_then(|n| file.sniffed.headers.iter().position(|h| h == n)) {
                sample = file.past_sample(k).to_vec();
            }
        }
        let filled = || sample.iter().find(|v| !v.trim().is_empty());
        (sample.iter())
            .find(|v| m.reads(v.trim()) && d.reads(v.trim()))
            .or_else(filled)
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::one_way_code;

    /// A date's two numbers tell its order: the second past 12 only month-first, the
    /// first only day-first, both up to 12 either way; a year of two or four digits
    /// after them, then the end or the time, or it is no date.
    #[test]
    fn values_read_one_way_by_their_numbers() {
        let month_first = [
            ("03/20/2025 10:00", 1),
            ("20/03/2025 10:00", 2),
            ("03/04/2025", 0),
            (" 3/20/25 9:00 AM", 1),
            ("03/20/2025T10:00", 1),
            ("13/13/2025", 0),
            ("03/32/2025", 0),
            ("03/20/202", 0),
            ("03/20/2025x", 0),
            ("003/20/2025", 0),
            ("", 0),
        ];
        for (v, code) in month_first {
            assert_eq!(one_way_code(v, '/', true), code, "{v}");
        }
        // Read day-first, the same values answer alike: 1 is still month-first only.
        assert_eq!(one_way_code("20.03.2025", '.', false), 2);
        assert_eq!(one_way_code("03.20.2025", '.', false), 1);
        assert_eq!(one_way_code("03-20-2025", '/', true), 0);
    }
}
