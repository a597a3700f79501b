//! Each dataset's metrics from its typed request ([`crate::request`]): open the files
//! once, run the engine, locate the rejects. Commands call these; so may any program.

pub mod churn;
pub mod compare;
pub mod customers;
pub mod drivers;
pub mod events;
pub mod inspect;
pub mod report;
pub mod shape;
pub mod surveys;
pub mod tickets;

use polars::prelude::*;

use crate::accounting::{self, Categories};
use crate::error::Result;
use crate::input::{Input, Prepare};
use crate::metrics::RejectRule;
use crate::rejects::{self, Rejected};
use crate::request::RowHandling;

/// What a dataset's pass found.
#[derive(Debug)]
pub struct Computed {
    /// One row per group × bucket, at full precision.
    pub metrics: DataFrame,
    pub rejected: Vec<Rejected>,
    /// Rows read (blank rows aside).
    pub rows_read: u64,
    /// Events read from `--events` beside ticket files (blank rows aside), for
    /// `report`'s header.
    pub events_read: Option<u64>,
    /// What the user should know about the figures (printed unless `--quiet`).
    pub warnings: Vec<String>,
    /// A per-group summary shown beside the rows in table, Markdown and JSON output
    /// (survival's median lifetimes).
    pub summary: Option<DataFrame>,
    /// The column whose own verdicts give `sla_pct` (ServiceNow's `made_sla`), where
    /// one is read: no target of `--sla` is.
    pub sla_verdict: Option<String>,
    /// The first responses of the window's responded tickets, in no particular
    /// order, when asked for ([`crate::request::TicketsRequest::compare_bases`]):
    /// what `report --compare previous` tests the median on.
    pub first_responses: Option<Vec<f64>>,
}

/// What reading the files left aside (a sheet's cells without a column name), files
/// of a header alone, and the files of a folder passed over (one each).
pub(crate) fn source_notes(input: &Input) -> Vec<String> {
    let mut notes = Vec::new();
    for file in &input.files {
        notes.extend(file.source.note.clone());
        notes.extend(file.source.skipped_beside.iter().cloned());
        notes.extend(file.order_assumed());
    }
    notes
}

/// What the files say of themselves before any metric: the `--where` conditions
/// they could not apply (a section of `report`, a dataset of `customers` that lacks
/// the column), and ids a spreadsheet mangled.
fn input_warnings(input: &Input, what: &str) -> Vec<String> {
    let mut out: Vec<String> = input
        .filters_skipped
        .iter()
        .map(|c| format!("--where {}: the {what} have no such field or column, so they are not filtered by it", crate::text::condition_shown(c)))
        .collect();
    out.extend(source_notes(input));
    out.extend(input.unfitting_presets());
    out.extend(input.mangled_ids());
    out.extend(input.decimal_marks_differ());
    out
}

/// The `--where` conditions these files apply.
pub(crate) fn filters_applied(input: &Input) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (c, _) in input.files.iter().flat_map(|f| &f.filter.tests) {
        if !out.contains(&c.text) {
            out.push(c.text.clone());
        }
    }
    out
}

/// Fail when some `--where` condition applied to none of the datasets read (a
/// misspelt column would otherwise filter nothing, with warnings only).
pub(crate) fn check_filters_applied(
    filters: &[crate::input::filter::Condition],
    applied: &[String],
) -> Result<()> {
    match filters.iter().find(|c| !applied.contains(&c.text)) {
        Some(c) => Err(crate::data_err!(
            "--where {}: none of the data read has a field or column '{}'",
            crate::text::condition_shown(&c.text),
            c.column
        )),
        None => Ok(()),
    }
}

/// SPEC §14 "stale data": when the window holds none of the rows (`empty`: the
/// caller's count says none is used, and no row's time falls in the window, blank or
/// rejected ones included) while the files have rows elsewhere, a warning naming the
/// window and the rows' date range (by `ms`, the parsed time column of the prepared
/// rows), so that a cron job notices a stale export. `blockwise`: each row is
/// prepared on its own, so the rows are read block by block.
#[allow(clippy::too_many_arguments)]
fn stale_warning(
    empty: bool,
    input: &Input,
    fields: &[&str],
    raw: &[String],
    (prepare, blockwise): (&Prepare, bool),
    ms: &str,
    what: &str,
    scope: &crate::request::Scope,
) -> Result<Option<String>> {
    if !empty {
        return Ok(None);
    }
    let time = || col(ms).cast(DataType::Int64);
    let mut inside = time().is_not_null();
    if let Some(since) = scope.window.since {
        inside = inside.and(time().gt_eq(lit(since.timestamp_millis())));
    }
    if let Some(until) = scope.window.until {
        inside = inside.and(time().lt(lit(until.timestamp_millis())));
    }
    let range_of = |lf: LazyFrame| {
        lf.select([
            col(ms).cast(DataType::Int64).min().alias("from"),
            col(ms).cast(DataType::Int64).max().alias("to"),
            inside.clone().cast(DataType::UInt64).sum().alias("inside"),
        ])
    };
    // Block by block on every core where each row is prepared on its own: a whole
    // scan holds every row's prepared columns at once (an empty window cost 2.5
    // times a full one's time and 4 times its memory). Rows marked against all the
    // others (repeated ids, `--keep`) are prepared in one scan, as the pass did.
    let range = match blockwise {
        true => {
            let per_block = input.map_blocks(fields, raw, |i, lf| {
                Ok(range_of((prepare.all)((prepare.file)(i, lf)))
                    .collect()?
                    .lazy())
            })?;
            concat(per_block, UnionArgs::default())?
                .select([col("from").min(), col("to").max(), col("inside").sum()])
                .collect()?
        }
        false => range_of(input.scan_prepared(fields, raw, prepare)?).collect()?,
    };
    let rows_inside = (range.column("inside").ok())
        .and_then(|c| c.cast(&DataType::Int64).ok())
        .and_then(|c| c.i64().ok().and_then(|c| c.get(0)))
        .unwrap_or(0);
    if rows_inside > 0 {
        return Ok(None);
    }
    let ms_of = |name: &str| -> Option<i64> {
        range
            .column(name)
            .ok()?
            .cast(&DataType::Int64)
            .ok()?
            .i64()
            .ok()?
            .get(0)
    };
    let at = |ms: i64| -> Option<String> {
        let t = chrono::DateTime::from_timestamp_millis(ms)?.with_timezone(&scope.tz);
        Some(t.format("%Y-%m-%d %H:%M").to_string())
    };
    let (Some(first), Some(last)) = (ms_of("from"), ms_of("to")) else {
        return Ok(None);
    };
    let (Some(from), Some(to)) = (at(first), at(last)) else {
        return Ok(None);
    };
    // Rows on both sides of the window: a gap in the data, no stale export.
    let stale = scope
        .window
        .since
        .is_some_and(|s| last < s.timestamp_millis());
    let window = scope.describe_window();
    let files: Vec<&str> = input.files.iter().map(|f| f.source.name.as_str()).collect();
    Ok(Some(format!(
        "the window ({window}) holds none of the {what}: {} run from {from} to {to} ({}){}",
        what,
        crate::text::files_listed(&files, ", "),
        if stale { "; a stale export?" } else { "" }
    )))
}

/// A window starting or ending inside a bucket (`--period 2025-Q2 --every week`: the
/// quarter starts on a Tuesday): said, since that bucket's row holds only the window's
/// part of it, and reads as a quiet week (churn says its own: it counts them whole).
/// Worded alike for tickets and responses: `report` says it once.
pub(crate) fn cut_buckets_warning(scope: &crate::request::Scope) -> Option<String> {
    let every = scope.every?;
    let cut = crate::calendar::cut_buckets(&scope.window, every, scope.tz);
    let unit = every.name();
    let those = match cut.len() {
        0 => return None,
        1 => format!("its row counts only the window's part of the {unit}"),
        _ => format!("their rows count only the window's part of each {unit}"),
    };
    Some(format!(
        "the window ({}) starts or ends inside {}: {those}, not the whole {unit}",
        scope.describe_window(),
        cut.join(" and ")
    ))
}

/// Buckets at a window's edges with no rows (`--since 2025-12-01 --until 2026-02-02
/// --every week` over data ending on 31 December): said, since the table just ends, and
/// its last row, holding part of its days, reads as a collapse. A bucket counts when
/// a row of it has one of `counts` above 0. The end of a window still running (after
/// `--now`) is no edge; a window holding none of the rows has its own warning. Days
/// are left out, and a run of the window's cut buckets alone: a weekend or a holiday
/// without tickets is no sign of missing data. A window open at either end has no
/// edge buckets to judge.
pub(crate) fn empty_edges_warning(
    scope: &crate::request::Scope,
    metrics: &DataFrame,
    counts: &[&str],
    what: &str,
) -> Option<String> {
    let every = scope.every.filter(|e| *e != crate::calendar::Every::Day)?;
    let labels = crate::calendar::window_buckets(&scope.window, every, scope.tz);
    // The bucket's first day (a date) in the figures, its label in what is shown.
    let periods = metrics.column(crate::metrics::PERIOD).ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let periods: Vec<Option<String>> = match periods.dtype() {
        DataType::Date => (periods.cast(&DataType::Int32).ok()?.i32().ok()?.iter())
            .map(|d| {
                let day = epoch.checked_add_signed(chrono::Duration::days(i64::from(d?)))?;
                Some(crate::calendar::bucket_label(day, every))
            })
            .collect(),
        _ => (periods.cast(&DataType::String).ok()?.str().ok()?.iter())
            .map(|p| p.map(str::to_string))
            .collect(),
    };
    let mut present = std::collections::HashSet::new();
    for name in counts {
        let Some(values) =
            (metrics.column(name).ok()).and_then(|c| c.cast(&DataType::Float64).ok())
        else {
            continue;
        };
        let Ok(values) = values.f64() else { continue };
        for (period, n) in periods.iter().zip(values.iter()) {
            if let (Some(p), Some(n)) = (period, n) {
                if n > 0.0 {
                    present.insert(p.to_string());
                }
            }
        }
    }
    if present.is_empty() {
        return None;
    }
    let unit = every.name();
    let run = |side: &[String]| -> Option<String> {
        match side {
            [] => None,
            [one] => Some(format!("{unit} ({one}) holds")),
            [first, .., last] => Some(format!("{} {unit}s ({first} to {last}) hold", side.len())),
        }
    };
    let lead = labels.iter().take_while(|l| !present.contains(*l)).count();
    if lead == labels.len() {
        return None;
    }
    let ended = scope.window.until.is_some_and(|u| u <= scope.now);
    let trail = match ended {
        true => labels
            .iter()
            .rev()
            .take_while(|l| !present.contains(*l))
            .count(),
        false => 0,
    };
    // Only a run holding a whole bucket: a week the window cuts to its weekend
    // (`--period 2025-11 --every week`, November starting on a Saturday) is empty
    // every such month, with no data missing.
    let cut = crate::calendar::cut_buckets(&scope.window, every, scope.tz);
    let whole = |side: &[String]| side.iter().any(|l| !cut.contains(l));
    let lead = if whole(&labels[..lead]) { lead } else { 0 };
    let trail = if whole(&labels[labels.len() - trail..]) {
        trail
    } else {
        0
    };
    let mut said = Vec::new();
    if let Some(first) = run(&labels[..lead]) {
        said.push(format!(
            "the window's first {first} no {what}: does the data start after the window does? Its first {unit} with {what}, {}, may then hold only part of its days",
            labels[lead]
        ));
    }
    if let Some(last) = run(&labels[labels.len() - trail..]) {
        said.push(format!(
            "the window's last {last} no {what}: does the data end before the window does? Its last {unit} with {what}, {}, may then hold only part of its days",
            labels[labels.len() - trail - 1]
        ));
    }
    (!said.is_empty()).then(|| said.join("; "))
}

/// A warning when `--where` left out every row the files hold (a misspelt value
/// would otherwise read as a week without tickets): counted only then.
pub(crate) fn kept_none(
    input: &Input,
    counts: &DataFrame,
    fields: &[&str],
    raw: &[String],
) -> Result<Option<String>> {
    if accounting::rows_kept(counts) > 0 || !input.is_filtered() {
        return Ok(None);
    }
    // Counted as `-v` counts them: a dropped repeat of an id is not among them.
    let left_out = accounting::left_out(counts, input.count_filtered(fields, raw)?);
    if left_out == 0 {
        return Ok(None);
    }
    let files: Vec<&str> = input.files.iter().map(|f| f.source.name.as_str()).collect();
    let conditions = filters_applied(input)
        .iter()
        .map(|c| format!("--where {}", crate::text::condition_shown(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = if left_out == 1 { "row" } else { "rows" };
    // Rows that match, left out with their ticket, whose kept row does not.
    let stale = (counts.column(accounting::STALE_LEFT_OUT).ok())
        .and_then(|c| c.as_materialized_series().sum::<u64>().ok())
        .unwrap_or(0);
    let why = match stale {
        0 => "a misspelt value?".to_string(),
        1 => "the 1 row that matches is another row of a ticket whose kept row (--keep) does not"
            .to_string(),
        n => format!(
            "the {n} rows that match are other rows of tickets whose kept rows (--keep) do not"
        ),
    };
    Ok(Some(format!(
        "{conditions}: no row of {} is kept ({left_out} {rows} left out by it; {why})",
        crate::text::files_listed(&files, ", ")
    )))
}

/// Where a pass's rows went: `-v`'s accounting printed, each fired rule located (and
/// `--rejects` written), and the rows read. Each rule's first hit is the pass's own
/// (`firsts`) when it noted them and no `--rejects` file wants every rejected row;
/// otherwise `fields`, `raw` and `prepare` rebuild the pass's rows for locating.
#[allow(clippy::too_many_arguments)]
fn account(
    input: &Input,
    rows: &RowHandling,
    (counts, firsts): (&DataFrame, Option<&[crate::engine::BlockFirsts]>),
    categories: &Categories,
    rules: &[RejectRule],
    fields: &[&str],
    raw: &[String],
    prepare: &Prepare,
) -> Result<(Vec<Rejected>, u64)> {
    if rows.verbose {
        let filtered = accounting::left_out(counts, input.count_filtered(fields, raw)?);
        accounting::print(input, &categories.read(counts, input, filtered)?);
    }
    let fired = rejects::counts(counts, rules)?;
    let rejected = match firsts.filter(|_| rows.rejects.is_none()) {
        Some(firsts) => rejects::locate_firsts(input, fired, firsts)?,
        None => rejects::locate(input, rows.rejects.as_deref(), fired, fields, raw, prepare)?,
    };
    Ok((rejected, accounting::rows_read(counts)))
}
