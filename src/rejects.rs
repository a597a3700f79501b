//! Rejected values: counting them, finding where the first of each kind is
//! (file, physical line, column, value), reporting on stderr, and `--strict`.
//!
//! Counting happens in the main query (one boolean flag per rule). Where the main
//! pass also noted each rule's first hit in every block ([`first_hits`]), that is
//! the first example; otherwise, when some rule fired, the files are scanned again
//! with row numbers to find it. The row number then becomes the physical line where
//! that record starts (a quoted field may span lines).

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::error::{CxmError, Result};
use crate::input::{Input, Prepare};
use crate::metrics::RejectRule;
use crate::render::guard_formula;

/// A rule that fired, how often, and where first.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub rule: RejectRule,
    pub count: u64,
    pub first: Option<Example>,
    /// How the files were read, when also read for another dataset
    /// ([`Input::read_as`]): the same row may be rejected there too.
    pub read_as: Option<String>,
}

/// Where a rejected value was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub file: String,
    /// The line the record starts on; for a Parquet file, its row number.
    pub line: u64,
    /// `line` is a row number (shown as `file: row N`).
    pub by_row: bool,
    pub column: String,
    pub value: String,
    /// Why the value may be what it is, when that can be told (a local time in a
    /// daylight-saving gap).
    pub hint: Option<String>,
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = &self.rule;
        if let Some(read_as) = &self.read_as {
            write!(f, "{read_as}: ")?;
        }
        let field = if r.scope.is_empty() {
            r.field.to_string()
        } else {
            format!("{} {}", r.scope, r.field)
        };
        if r.warn_only {
            let rows = if self.count == 1 { "row" } else { "rows" };
            write!(f, "{} {rows}: {} for {field}", self.count, r.reason)?;
        } else if r.field == crate::input::EXTRA {
            // The reason already says where: "more fields than the header".
            write!(f, "{} rejected: {}", self.count, r.reason)?;
        } else {
            write!(f, "{} rejected: {} in {field}", self.count, r.reason)?;
        }
        if let Some(e) = &self.first {
            let at = if e.by_row {
                format!("{}: row {}", e.file, e.line)
            } else {
                format!("{}:{}", e.file, e.line)
            };
            // The hint is the first value's own (others may be rejected otherwise).
            let hint = e.hint.as_ref().map_or(String::new(), |h| format!(": {h}"));
            write!(
                f,
                " (first at {at}, column '{}', value '{}'{hint})",
                crate::text::printable(&e.column),
                crate::text::value_shown(&e.value)
            )?;
        }
        // Words a config file can teach: where.
        use crate::metrics::reason;
        let measure = if r.scope.is_empty() { r.field } else { r.scope };
        // A number past a float's range (`1e400`) is no label to teach.
        let number = (self.first.as_ref()).is_some_and(|e| e.value.trim().parse::<f64>().is_ok());
        match r.reason {
            reason::UNKNOWN_LABEL if number => {}
            reason::UNKNOWN_STATUS => {
                write!(f, "; add the word under [statuses] in a --config file")?
            }
            reason::UNKNOWN_ROLE => write!(f, "; add the word under [roles] in a --config file")?,
            reason::UNKNOWN_LABEL => write!(
                f,
                "; give the label its score under [labels.{measure}] in a --config file (or, for an answer that is no score, such as \"Don't know\", --na with the word)"
            )?,
            _ => {}
        }
        Ok(())
    }
}

/// Read the one-row frame of counts.
pub fn counts(df: &DataFrame, rules: &[RejectRule]) -> Result<Vec<(RejectRule, u64)>> {
    let mut out = Vec::new();
    for r in rules {
        let n = df
            .column(r.flag.as_str())?
            .as_materialized_series()
            .sum::<u64>()
            .unwrap_or(0);
        if n > 0 {
            out.push((r.clone(), n));
        }
    }
    Ok(out)
}

/// Find the first example of each fired rule, and write every rejected row to the
/// `rejects` file when one was asked for. `prepare` rebuilds the flags over a scan.
pub fn locate(
    input: &Input,
    rejects: Option<&std::path::Path>,
    fired: Vec<(RejectRule, u64)>,
    fields: &[&str],
    columns: &[String],
    prepare: &Prepare,
) -> Result<Vec<Rejected>> {
    if let Some(path) = rejects {
        let rules: Vec<&RejectRule> = fired
            .iter()
            .map(|(r, _)| r)
            .filter(|r| !r.warn_only)
            .collect();
        let bytes = rejected_rows(input, &rules, fields, columns, prepare)?;
        crate::render::stage(path, bytes);
    }
    // All files at once, so that a rule comparing rows (a ticket id repeated in a later
    // file) finds its first example where the main pass saw it; every rule in one scan.
    if fired.is_empty() {
        return Ok(Vec::new());
    }
    let (file_index, row_index) = (crate::input::FILE_INDEX, crate::input::ROW_INDEX);
    let firsts: Vec<Expr> = fired
        .iter()
        .enumerate()
        .flat_map(|(k, (rule, _))| {
            let hit = |e: Expr| e.filter(rule.fired()).first();
            [
                hit(col(file_index)).alias(format!("file{k}")),
                hit(col(row_index)).alias(format!("row{k}")),
                hit(col(input.written_column(rule.field)).cast(DataType::String))
                    .alias(format!("value{k}")),
            ]
        })
        .collect();
    // Only rows some fired rule flags are kept from the scan (streamed), so that the
    // first hits are looked for among them alone.
    let flagged = fired
        .iter()
        .map(|(rule, _)| rule.fired().fill_null(false))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    let mut names: Vec<String> = vec![
        file_index.into(),
        row_index.into(),
        crate::input::RAGGED.into(),
    ];
    for (rule, _) in &fired {
        for c in [rule.flag.clone(), input.written_column(rule.field)] {
            if !names.contains(&c) {
                names.push(c);
            }
        }
    }
    let keep: Vec<Expr> = names.iter().map(|c| col(c.as_str())).collect();
    let plan = input
        .scan_numbered(fields, columns, prepare)?
        .filter(flagged)
        .select(keep)
        .logical_plan;
    let rows =
        LazyFrame::collect_all_with_engine(vec![plan], Engine::Streaming, OptFlags::default())?
            .pop()
            .ok_or_else(|| crate::data_err!("no result"))?;
    let hits = rows.lazy().select(firsts).collect()?;
    let mut out = Vec::new();
    for (k, (rule, count)) in fired.into_iter().enumerate() {
        let index = |name: String| -> Result<Option<u64>> {
            Ok(hits.column(&name)?.get(0)?.extract::<u64>())
        };
        let mut first = None;
        if let (Some(i), Some(row)) = (index(format!("file{k}"))?, index(format!("row{k}"))?) {
            let value = text_of(hits.column(&format!("value{k}"))?.get(0)?);
            first = Some(example(input, &rule, i as usize, row, value)?);
        }
        out.push(Rejected::of(input, rule, count, first));
    }
    Ok(out)
}

impl Rejected {
    fn of(input: &Input, rule: RejectRule, count: u64, first: Option<Example>) -> Rejected {
        Rejected {
            rule,
            count,
            first,
            read_as: input.read_as.clone(),
        }
    }
}

/// A cell's text (empty for null).
fn text_of(v: AnyValue) -> String {
    match v {
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        _ => String::new(),
    }
}

/// Why an id matches none: a whole number written as a decimal (`101.0`, as a
/// spreadsheet or pandas re-saves a column of numbers) is not the id `101`, unless
/// the file's ids were `read_as_integers` (then no ticket has the id `101`).
fn decimal_id(value: &str, read_as_integers: bool) -> Option<String> {
    let (whole, zeros) = value.trim().split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(whole) && digits(zeros) && zeros.bytes().all(|b| b == b'0')).then(|| match read_as_integers {
        true => format!("read as the id '{whole}', which no ticket has"),
        false => format!("an id written as a decimal, which is not the id '{whole}': re-saved by a spreadsheet or pandas? Write the ids as they were"),
    })
}

/// Where `rule` first fired: record `row` (from 0) of file `i`, holding `value`.
fn example(input: &Input, rule: &RejectRule, i: usize, row: u64, value: String) -> Result<Example> {
    let file = &input.files[i];
    Ok(Example {
        file: file.source.name.clone(),
        line: input.location(i, row)?,
        by_row: input.by_row(i),
        column: file
            .mapping
            .get(rule.field)
            .unwrap_or(rule.field)
            .to_string(),
        hint: match rule.reason {
            crate::metrics::reason::BAD_TIMESTAMP => {
                let read = input.timestamp_pattern(i, rule.field);
                let (pattern, tz) = read.map_or((None, input.tz), |(p, z)| (Some(p), z));
                why_unread(&value, pattern.as_deref(), tz)
            }
            crate::metrics::reason::NO_TICKET => {
                decimal_id(&value, file.float_ids.contains(&"ticket_id"))
            }
            _ => None,
        },
        value,
    })
}

/// Per block of a pass ([`crate::engine::Pass::firsts`]), where each rule first
/// fires among the block's rows (`hits`: the row's number in its block and its value
/// as written), looked for only in a block whose counts of the rules (`flags`, as
/// [`crate::metrics::reject_count_exprs`] names them) are not all 0: most blocks
/// have none.
/// A block whose rules fired only where an earlier block's did is not looked in
/// either (`found`: per flag, the first block known to hold a hit).
pub struct Firsts {
    pub hits: Vec<Expr>,
    pub flags: Vec<String>,
    found: Vec<std::sync::atomic::AtomicUsize>,
}

/// The [`Firsts`] of `rules`.
pub fn first_hits(input: &Input, rules: &[RejectRule]) -> Firsts {
    Firsts {
        hits: hit_exprs(input, rules),
        flags: rules.iter().map(|r| r.flag.clone()).collect(),
        found: rules
            .iter()
            .map(|_| std::sync::atomic::AtomicUsize::new(usize::MAX))
            .collect(),
    }
}

fn hit_exprs(input: &Input, rules: &[RejectRule]) -> Vec<Expr> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for rule in rules {
        if seen.contains(&rule.flag.as_str()) {
            continue;
        }
        seen.push(&rule.flag);
        let hit = |e: Expr| e.filter(rule.fired().fill_null(false)).first();
        let written = col(input.written_column(rule.field)).cast(DataType::String);
        out.push(hit(col(crate::input::ROW_INDEX)).alias(first_row(rule)));
        out.push(hit(written).alias(first_value(rule)));
    }
    out
}

/// Block `block`'s first hits (blocks numbered in file order), when its counts say a
/// rule fired among its `rows` that no earlier block is known to hold a hit of.
pub fn block_hits(
    counts: &DataFrame,
    rows: LazyFrame,
    f: &Firsts,
    block: usize,
) -> Result<Option<DataFrame>> {
    use std::sync::atomic::Ordering;
    let count = |flag: &String| -> Result<u64> {
        Ok(match counts.column(flag) {
            Ok(c) => c.cast(&DataType::UInt64)?.u64()?.get(0).unwrap_or(0),
            // Not counted in this pass: looked for.
            Err(_) => 1,
        })
    };
    let fired = f.flags.iter().map(count).collect::<Result<Vec<u64>>>()?;
    let new =
        (fired.iter().zip(&f.found)).any(|(&n, at)| n > 0 && at.load(Ordering::Relaxed) > block);
    if !new {
        return Ok(None);
    }
    for (&n, at) in fired.iter().zip(&f.found) {
        if n > 0 {
            at.fetch_min(block, Ordering::Relaxed);
        }
    }
    Ok(Some(rows.select(f.hits.clone()).collect()?))
}

fn first_row(rule: &RejectRule) -> String {
    format!("{}__first_row", rule.flag)
}

fn first_value(rule: &RejectRule) -> String {
    format!("{}__first_value", rule.flag)
}

/// [`locate`] from a pass's [`first_hits`]: the files are not read again (but for
/// the lines before each first hit, to tell its line).
pub fn locate_firsts(
    input: &Input,
    fired: Vec<(RejectRule, u64)>,
    firsts: &[crate::engine::BlockFirsts],
) -> Result<Vec<Rejected>> {
    let mut out = Vec::new();
    for (rule, count) in fired {
        let mut first = None;
        for block in firsts {
            let Ok(rows) = block.frame.column(&first_row(&rule)) else {
                continue;
            };
            let Some(row) = rows.get(0)?.extract::<u64>() else {
                continue;
            };
            let value = text_of(block.frame.column(&first_value(&rule))?.get(0)?);
            let record = input.record_index(block.file, block.block, row)?;
            first = Some(example(input, &rule, block.file, record, value)?);
            break;
        }
        out.push(Rejected::of(input, rule, count, first));
    }
    Ok(out)
}

/// Why a value that reads as a time was rejected as an unparseable timestamp, when
/// it does: a year outside those read, or a local time the clocks skipped.
pub(crate) fn why_unread(value: &str, pattern: Option<&str>, tz: chrono_tz::Tz) -> Option<String> {
    let outside = |year: i32| !(1900..2100).contains(&year);
    let why = |year: i64, read: &str| {
        format!(
            "{read}the year {year} is outside 1900–2099, where a time is taken as misread (a placeholder such as 9999-12-31, or epoch milliseconds read as seconds)"
        )
    };
    let value = value.trim();
    if crate::calendar::written_offset(value).is_some_and(|s| !crate::calendar::is_zone_offset(s)) {
        return Some("its offset is past every zone's (-12:00 to +14:00)".to_string());
    }
    // Ticket times are kept from 1900 to 2099 in UTC, subscription dates on the clock
    // of `tz`: a time at either end may fall outside in one of them only.
    let on_a_clock = |t: chrono::DateTime<chrono::Utc>, utc: &str| {
        use chrono::Datelike;
        let local = t.with_timezone(&tz).year();
        match (outside(t.year()), outside(local)) {
            (true, _) => Some(why(t.year().into(), utc)),
            (false, true) => Some(why(local.into(), &format!("on the clock of {tz}, "))),
            _ => None,
        }
    };
    if let Some(ms) = epoch_ms(value, pattern) {
        return match chrono::DateTime::from_timestamp_millis(ms as i64) {
            Some(t) if ms.abs() < 8e15 => on_a_clock(t, ""),
            // Past chrono's years: near enough to name as far off (none past an i64's).
            _ => {
                let year = (1970.0 + ms / 31_556_952_000.0).floor();
                (year.abs() < 9e18).then(|| why(year as i64, ""))
            }
        };
    }
    match year_written(value, pattern) {
        Some(year) if outside(year) => Some(why(year.into(), "")),
        Some(1900 | 2099) => (instant(value, pattern, tz).and_then(|t| on_a_clock(t, "in UTC, ")))
            .or_else(|| skipped_local_time(value, pattern, tz)),
        _ => skipped_local_time(value, pattern, tz),
    }
}

/// An epoch value in a column of epoch seconds or milliseconds, in milliseconds
/// (`None` in another column, or for a value not in the column's shape).
fn epoch_ms(value: &str, pattern: Option<&str>) -> Option<f64> {
    let number: f64 = value.parse().ok().filter(|n: &f64| n.is_finite())?;
    match pattern? {
        crate::input::timestamp::EPOCH_MS => Some(number),
        p if p == "%s" || p.starts_with("%s%.") => Some(number * 1000.0),
        _ => None,
    }
}

/// The instant `value` stands for, read as its column reads a time in `tz` (an
/// offset written in the value wins).
fn instant(
    value: &str,
    pattern: Option<&str>,
    tz: chrono_tz::Tz,
) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone};
    // `24:00`: the next day's midnight on the clock it is written on.
    let midnight = crate::calendar::end_of_day_as_midnight(value);
    let days = chrono::Days::new(u64::from(midnight.is_some()));
    let value = midnight.as_deref().unwrap_or(value);
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(value) {
        return Some(t.checked_add_days(days)?.with_timezone(&chrono::Utc));
    }
    let iso = pattern.is_none_or(|p| p.starts_with("%Y-%m-%d"));
    let mut patterns = pattern.into_iter().chain(
        (PATTERNS.into_iter())
            .chain(["%Y-%m-%d"])
            .filter(|p| iso && p.starts_with("%Y")),
    );
    let local = patterns.find_map(|p| {
        (NaiveDateTime::parse_from_str(value, p).ok()).or_else(|| {
            NaiveDate::parse_from_str(value, p)
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
    })?;
    let utc = tz
        .from_local_datetime(&local.checked_add_days(days)?)
        .earliest()?;
    Some(utc.with_timezone(&chrono::Utc))
}

/// The column's own pattern first (`10.03.2024 02:30`, `03/10/2024 02:30 AM`), then
/// the ISO forms its reader also takes.
const PATTERNS: [&str; 6] = [
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
];

/// The year of `value` read as its column reads a time: by the column's own pattern
/// (also as a date alone), and in an ISO column as RFC 3339 or the other ISO forms.
/// A value in another shape than its column's was rejected for that, whatever its
/// year; a year not written with four digits (`25`) is a shape of its own.
pub(crate) fn year_written(value: &str, pattern: Option<&str>) -> Option<i32> {
    use chrono::{Datelike, NaiveDate, NaiveDateTime};
    // `24:00` is written on its day (the next day's midnight is the instant's).
    let midnight = crate::calendar::end_of_day_as_midnight(value);
    let value = midnight.as_deref().unwrap_or(value);
    let iso = pattern.is_none_or(|p| p.starts_with("%Y-%m-%d"));
    let rfc3339 = (chrono::DateTime::parse_from_rfc3339(value).ok()).map(|t| t.year());
    let mut patterns = pattern.into_iter().chain(
        (PATTERNS.into_iter())
            .chain(["%Y-%m-%d"])
            .filter(|p| iso && p.starts_with("%Y")),
    );
    let year = rfc3339.filter(|_| iso).or_else(|| {
        patterns.find_map(|p| {
            (NaiveDateTime::parse_from_str(value, p).map(|t| t.year()))
                .or_else(|_| NaiveDate::parse_from_str(value, p).map(|d| d.year()))
                .ok()
        })
    })?;
    value.contains(&format!("{year:04}")).then_some(year)
}

/// A date-time written without an offset that `tz` never showed: the clocks
/// skipped it when summer time began (`2025-03-30 02:30` in Berlin). Read as an
/// unparseable timestamp, like any time that is not one; this says why.
fn skipped_local_time(value: &str, pattern: Option<&str>, tz: chrono_tz::Tz) -> Option<String> {
    use chrono::Datelike;
    use chrono::{NaiveDateTime, TimeZone};
    let value = value.trim();
    // An instant (`Z`, an offset) is no local time; a year outside 1900–2100 is
    // rejected for that (its clocks' jumps then were not summer time).
    // An offset ends the value: `+02`, `-0500`, `+05:30` (not ` - 02:30`, a
    // format's separator).
    let offset = value.rfind(['+', '-']).is_some_and(|at| {
        let (before, tail) = (&value[..at], &value[at + 1..]);
        // Right after a time of day (`…02:30`, `…02:30:00.5`).
        let after_time = before.rsplit_once(':').is_some_and(|(_, s)| {
            s.len() >= 2 && s.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        });
        after_time
            && matches!(tail.len(), 2 | 4 | 5)
            && tail.bytes().all(|b| b.is_ascii_digit() || b == b':')
            && tail.bytes().take(2).all(|b| b.is_ascii_digit())
    });
    if chrono::DateTime::parse_from_rfc3339(value).is_ok() || value.ends_with(['Z', 'z']) || offset
    {
        return None;
    }
    // The column's own pattern, also without its seconds; in an ISO column the other
    // ISO forms, and the US ones only where the column's shape is not known. A value
    // in another shape than its column's was rejected for that.
    let own = pattern.map(|p| p.replace(":%S", ""));
    let iso = pattern.is_none_or(|p| p.starts_with("%Y-%m-%d"));
    let mut patterns = (pattern.into_iter()).chain(own.as_deref()).chain(
        PATTERNS
            .into_iter()
            .filter(|p| iso && (pattern.is_none() || p.starts_with("%Y"))),
    );
    let local = patterns
        .find_map(|p| NaiveDateTime::parse_from_str(value, p).ok())
        .filter(|t| (1900..=2100).contains(&t.year()))?;
    tz.from_local_datetime(&local)
        .earliest()
        .is_none()
        .then(|| format!("a local time {tz} never showed (its clocks were put forward past it)"))
}

/// `--rejects`: one CSV row per rejected value, `file,line,reason,column,value`, then
/// the record's own fields under the union of the files' headers.
fn rejected_rows(
    input: &Input,
    rules: &[&RejectRule],
    fields: &[&str],
    columns: &[String],
    prepare: &Prepare,
) -> Result<Vec<u8>> {
    let (headers, places) = union_of_headers(input.files.iter().map(|f| &f.sniffed.headers[..]));
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut head: Vec<String> = ["file", "line", "reason", "column", "value"]
        .map(String::from)
        .to_vec();
    head.extend(headers.iter().map(|h| guard_formula(h)));
    write_record(&mut w, &head)?;
    if rules.is_empty() {
        return w
            .into_inner()
            .map_err(|e| CxmError::Internal(e.to_string()));
    }
    let any = rules
        .iter()
        .map(|r| r.fired())
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    let mut wanted: Vec<String> = rules
        .iter()
        .map(|r| input.written_column(r.field))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    // All files in one scan, numbered as the main pass numbered them: a rule comparing
    // rows (an id repeated in another file) flags the rows it flagged there.
    let mut select = vec![col(crate::input::FILE_INDEX), col(crate::input::ROW_INDEX)];
    select.extend(rules.iter().map(|r| r.fired().alias(r.flag.as_str())));
    select.extend(wanted.iter().map(|f| col(f.as_str())));
    let plan = (input.scan_numbered(fields, columns, prepare)?)
        .filter(any.clone())
        .select(select)
        .logical_plan;
    let all_hits =
        LazyFrame::collect_all_with_engine(vec![plan], Engine::Streaming, OptFlags::default())?
            .pop()
            .ok_or_else(|| crate::data_err!("no result"))?;
    for (i, file) in input.files.iter().enumerate() {
        let hits = all_hits
            .clone()
            .lazy()
            .filter(col(crate::input::FILE_INDEX).eq(lit(i as u32)))
            .collect()?;
        // Record index → the rules it broke, with the value.
        let mut by_row: BTreeMap<u64, Vec<(&RejectRule, String)>> = BTreeMap::new();
        let rows = hits
            .column(crate::input::ROW_INDEX)?
            .cast(&DataType::UInt64)?;
        let rows = rows.u64()?;
        for rule in rules {
            let flags = hits.column(rule.flag.as_str())?.bool()?.clone();
            let values = hits
                .column(&input.written_column(rule.field))?
                .cast(&DataType::String)?;
            let values = values.str()?;
            for ((row, flag), value) in rows.iter().zip(flags.iter()).zip(values.iter()) {
                if let (Some(row), Some(true)) = (row, flag) {
                    by_row
                        .entry(row)
                        .or_default()
                        .push((rule, value.unwrap_or("").to_string()));
                }
            }
        }
        if by_row.is_empty() {
            continue;
        }
        let at = &places[i];
        // Each timestamp rule's column format, to say which values a DST gap skipped.
        let patterns: Vec<(&str, Option<(String, chrono_tz::Tz)>)> = (rules.iter())
            .filter(|r| r.reason == crate::metrics::reason::BAD_TIMESTAMP)
            .map(|r| (r.field, input.timestamp_pattern(i, r.field)))
            .collect();
        let wanted: std::collections::BTreeSet<u64> = by_row.keys().copied().collect();
        let mut failed: Option<CxmError> = None;
        input.visit_records(i, &wanted, |index, line, cells| {
            let Some(broken) = by_row.get(&index) else {
                return;
            };
            let mut own = vec![String::new(); headers.len()];
            for (k, cell) in cells.iter().enumerate() {
                if let Some(&j) = at.get(k) {
                    own[j] = guard_formula(cell);
                }
            }
            for (rule, value) in broken {
                let column = file.mapping.get(rule.field).unwrap_or(rule.field);
                let reason = match rule.reason == crate::metrics::reason::BAD_TIMESTAMP {
                    true => {
                        let read = patterns.iter().find(|(f, _)| *f == rule.field);
                        let read = read.and_then(|(_, p)| p.as_ref());
                        let pattern = read.map(|(p, _)| p.as_str());
                        let tz = read.map_or(input.tz, |(_, z)| *z);
                        match why_unread(value, pattern, tz) {
                            Some(why) => format!("{}: {why}", rule.reason),
                            None => rule.reason.to_string(),
                        }
                    }
                    false => rule.reason.to_string(),
                };
                let mut rec = vec![
                    file.source.name.clone(),
                    line.to_string(),
                    reason,
                    column.to_string(),
                    guard_formula(value),
                ];
                rec.extend(own.iter().cloned());
                if let Err(e) = write_record(&mut w, &rec) {
                    failed.get_or_insert(e);
                }
            }
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
    }
    w.into_inner()
        .map_err(|e| CxmError::Internal(e.to_string()))
}

/// Merge `--rejects` files written by several commands into one at `out`: the five
/// fixed columns, then the union of the parts' own columns (blank where a part lacks one).
pub fn merge(parts: &[std::path::PathBuf], out: &std::path::Path) -> Result<()> {
    const FIXED: usize = 5;
    let fail = |p: &std::path::Path, e: csv::Error| {
        CxmError::Internal(format!("cannot read {}: {e}", p.display()))
    };
    let mut head: Vec<String> = ["file", "line", "reason", "column", "value"]
        .map(String::from)
        .to_vec();
    let mut readers = Vec::new();
    for p in parts {
        // A part this run wrote is held, not yet on disk.
        let mut r = match crate::render::take_staged(p) {
            Some(bytes) => csv::Reader::from_reader(
                Box::new(std::io::Cursor::new(bytes)) as Box<dyn std::io::Read>
            ),
            None => csv::Reader::from_reader(Box::new(
                std::fs::File::open(p).map_err(|e| fail(p, e.into()))?,
            ) as Box<dyn std::io::Read>),
        };
        let own: Vec<String> = r
            .headers()
            .map_err(|e| fail(p, e))?
            .iter()
            .skip(FIXED)
            .map(String::from)
            .collect();
        readers.push((p, r, own));
    }
    let (own_columns, places) = union_of_headers(readers.iter().map(|(_, _, own)| &own[..]));
    head.extend(own_columns);
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    write_record(&mut w, &head)?;
    // A ticket export's own CSAT is read twice (tickets, then responses): a row both
    // readings reject for one reason in one column is listed once, as it is one row
    // to fix.
    let mut listed: std::collections::HashSet<Vec<String>> = std::collections::HashSet::new();
    for ((p, mut r, _), at) in readers.into_iter().zip(places) {
        for rec in r.records() {
            let rec = rec.map_err(|e| fail(p, e))?;
            let mut row = vec![String::new(); head.len()];
            for (k, cell) in rec.iter().enumerate() {
                let j = if k < FIXED {
                    Some(k)
                } else {
                    at.get(k - FIXED).map(|j| j + FIXED)
                };
                if let Some(j) = j {
                    row[j] = cell.to_string();
                }
            }
            if listed.contains(&row) {
                continue;
            }
            write_record(&mut w, &row)?;
            listed.insert(row);
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CxmError::Internal(e.to_string()))?;
    crate::render::stage(out, bytes);
    Ok(())
}

/// The columns of several files' headers, each file's in its order, and where each
/// file's columns are among them. A name a file has twice (two unnamed columns) is
/// two columns, the n-th of a file's the n-th of the union's, so no cell is lost.
fn union_of_headers<'a>(
    files: impl Iterator<Item = &'a [String]>,
) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut union: Vec<String> = Vec::new();
    let mut places = Vec::new();
    for headers in files {
        let mut at = Vec::with_capacity(headers.len());
        for (k, h) in headers.iter().enumerate() {
            let before = headers[..k].iter().filter(|x| *x == h).count();
            let mut same = union.iter().enumerate().filter(|(_, x)| *x == h);
            match same.nth(before) {
                Some((j, _)) => at.push(j),
                None => {
                    at.push(union.len());
                    union.push(h.clone());
                }
            }
        }
        places.push(at);
    }
    (union, places)
}

fn write_record(w: &mut csv::Writer<Vec<u8>>, rec: &[String]) -> Result<()> {
    w.write_record(rec)
        .map_err(|e| CxmError::Internal(e.to_string()))
}

/// Warn on stderr (unless quiet), or fail under `--strict` when a reject (not a mere
/// warning) fired.
pub fn report(rejected: &[Rejected], strict: bool, quiet: bool) -> Result<()> {
    let rejects: Vec<&Rejected> = rejected.iter().filter(|r| !r.rule.warn_only).collect();
    if strict && !rejects.is_empty() {
        // Every kind, located (there are as many as the rules, a few dozen at most).
        let lines: Vec<String> = rejects.iter().map(|r| format!("  {r}")).collect();
        return Err(CxmError::Data(format!(
            "--strict: {} kind(s) of rejected values:\n{}",
            rejects.len(),
            lines.join("\n")
        )));
    }
    if !quiet {
        for r in rejected {
            crate::say!("cxm: warning: {r}");
        }
    }
    Ok(())
}
