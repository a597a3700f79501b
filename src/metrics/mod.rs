//! Metric definitions: pure functions over polars `LazyFrame`s and `Expr`s.
//! No clap, no file system, no printing here (SPEC §5 is implemented in the
//! submodules, one per domain; this module holds what they share).

pub mod billing;
pub mod churn;
pub mod events;
pub mod record;
pub mod retention;
pub mod sla;
pub mod stats;
pub mod surveys;
pub mod tickets;

use crate::calendar::{bucket_start, in_window};
use chrono_tz::Tz;
use polars::prelude::*;

use crate::calendar::Every;
use crate::calendar::Window;

/// Name of the bucket column (SPEC §6).
pub const PERIOD: &str = "period";

/// A reason a value or row is rejected, with the field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectRule {
    /// Column name of the boolean flag in the parsed frame.
    pub flag: String,
    pub field: &'static str,
    pub reason: &'static str,
    /// Which measure the value was for, when one field holds several (long-form
    /// survey scores: "csat", "ces", "nps"); empty otherwise.
    pub scope: &'static str,
    /// A warning about a row that is still used (e.g. a response without a matching
    /// ticket), not a reject: `--strict` does not fail on it.
    pub warn_only: bool,
}

impl RejectRule {
    pub fn new(field: &'static str, reason: &'static str) -> RejectRule {
        RejectRule::scoped(field, reason, "")
    }

    /// Where the rule fires: its flag, but not on a ragged row, which is rejected
    /// whole, once, by [`ragged_rule`] (its other values are not judged).
    pub fn fired(&self) -> Expr {
        let flag = col(self.flag.as_str());
        match self.flag == crate::input::RAGGED {
            true => flag,
            false => flag.and(col(crate::input::RAGGED).not()),
        }
    }

    /// A rule for one measure of a shared field.
    pub fn scoped(field: &'static str, reason: &'static str, scope: &'static str) -> RejectRule {
        let slug: String = format!("{scope}_{reason}")
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        RejectRule {
            flag: format!("__rej_{field}_{slug}"),
            field,
            reason,
            scope,
            warn_only: false,
        }
    }

    /// A warning rule (see [`RejectRule::warn_only`]).
    pub fn warning(field: &'static str, reason: &'static str) -> RejectRule {
        RejectRule {
            warn_only: true,
            ..RejectRule::new(field, reason)
        }
    }
}

/// Reject reasons (the wording users see).
pub mod reason {
    pub const MISSING: &str = "missing required value";
    pub const BAD_TIMESTAMP: &str = "unparseable timestamp";
    pub const BAD_NUMBER: &str = "unparseable number";
    pub const BAD_BOOL: &str = "unparseable boolean";
    pub const NEGATIVE: &str = "negative duration";
    pub const NEGATIVE_VALUE: &str = "negative value";
    pub const DURATION_PAST_TIMES: &str =
        "a duration longer than 200 years (the span of the times cxm reads)";
    pub const NOT_WHOLE_INTERVALS: &str = "not a whole number of intervals from 1 to 1000";
    pub const NOT_WHOLE_COUNT: &str = "not a whole count from 0 to a million";
    pub const IMPLAUSIBLE: &str = "implausibly large value";
    pub const UNKNOWN_INTERVAL: &str = "unknown billing interval (day, week, month, quarter, year)";
    pub const OUT_OF_SCALE: &str = "score out of scale";
    pub const BETWEEN_POINTS: &str = "score between the scale's points (not a whole number)";
    pub const UNKNOWN_LABEL: &str = "unknown label";
    pub const NUMBER_ON_LABELS: &str = "a number on the good-bad scale (of labels: good, bad…)";
    pub const UNKNOWN_SURVEY: &str = "unknown survey kind";
    pub const UNKNOWN_ROLE: &str = "unknown author role";
    pub const UNKNOWN_STATUS: &str = "unknown status";
    pub const NO_TICKET: &str = "no matching ticket";
    pub const DURATION_UNREAD: &str =
        "a duration beside an empty time (not read: the file's times are)";
    pub const TIME_UNREAD: &str =
        "a time beside an empty duration (not read: the file's durations are, its times empty in the first rows)";
    pub const RESOLVED_UNTIMED: &str =
        "status resolved without a resolution time (the ticket is counted open)";
    pub const DELETED: &str =
        "a deleted ticket's status (counted as a ticket; --where 'status!=deleted' leaves such rows out)";
    pub const OPEN_WITH_CLOSE: &str =
        "status not resolved beside a close time (the close is not read as a resolution)";
    pub const ENDS_BEFORE_START: &str = "ends before it starts";
    pub const RAGGED: &str = "more fields than the header";
    pub const DUPLICATE_LAST: &str = "repeated id, dropped (the last row of each id is kept)";
    pub const DUPLICATE_FIRST: &str = "repeated id, dropped (the first row of each id is kept)";
}

/// The rule every scan carries: a row with more fields than the header is rejected
/// whole (its flag is [`crate::input::RAGGED`], its value the first extra field).
pub fn ragged_rule() -> RejectRule {
    let mut rule = RejectRule::new(crate::input::EXTRA, reason::RAGGED);
    rule.flag = crate::input::RAGGED.to_string();
    rule
}

/// Drop ragged rows before the metrics (they are counted by [`ragged_rule`]).
pub fn well_formed(lf: LazyFrame) -> LazyFrame {
    lf.filter(col(crate::input::RAGGED).not())
}

/// A string column as a finite number: NaN, infinities and overflowing values such as
/// `1e309` are null (so [`unparsed`] flags them), like any other unusable text.
pub fn finite_number(raw: Expr) -> Expr {
    let x = raw.map(as_numbers, |_, f| {
        Ok(Field::new(f.name().clone(), DataType::Float64))
    });
    when(x.clone().is_finite())
        .then(x)
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// A column's values as floats, as polars casts them. A text column of digits alone
/// (counts, nearly always) is read here in one pass, where polars' float parser was a
/// twentieth of a 10M-ticket run; a column with any other text is cast by polars.
fn as_numbers(c: Column) -> PolarsResult<Column> {
    let Ok(texts) = c.str() else {
        return c.cast(&DataType::Float64);
    };
    let mut values = Vec::with_capacity(texts.len());
    let mut present = Vec::with_capacity(texts.len());
    for v in texts.iter() {
        let x = match v {
            Some(v) => match digits_value(v) {
                Some(x) => x,
                None => return trimmed(texts).cast(&DataType::Float64),
            },
            None => 0.0,
        };
        values.push(x);
        present.push(v.is_some());
    }
    let name = c.name().clone();
    Ok(crate::cells::with_gaps::<Float64Type>(name, values, &present).into_column())
}

/// Texts without the spaces around them (` 1`, `2 `: numbers as typed in a sheet).
fn trimmed(texts: &StringChunked) -> Column {
    match texts.iter().flatten().any(|v| v.trim() != v) {
        true => texts
            .apply_values(|v| v.trim().to_string().into())
            .into_column(),
        false => texts.clone().into_column(),
    }
}

/// The value of a text of 1 to 15 ASCII digits (exact as a float), else `None`.
fn digits_value(text: &str) -> Option<f64> {
    if text.is_empty() || text.len() > 15 {
        return None;
    }
    let mut n: u64 = 0;
    for b in text.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    Some(n as f64)
}

/// `x` where it is zero or more, else null.
/// The most replies or reopens one ticket may count: beyond, the cell holds
/// something else (an id, an amount, a spreadsheet's overflow).
pub const MOST_PER_TICKET: f64 = 1e6;
/// The largest MRR or billed amount one subscription may have: beyond, a misread
/// value (and sums of such would overflow to infinity).
pub const MOST_MONEY: f64 = 1e15;

/// A count of replies or reopens: a whole number from 0 to [`MOST_PER_TICKET`], else
/// null (one pass over the parsed numbers; [`reason::NOT_WHOLE_COUNT`] flags the
/// rest that are not negative).
pub fn count_value(x: Expr) -> Expr {
    x.map(
        |c| {
            let ca = c.f64()?;
            // A count is fine when it is within range and whole; a fold with no early
            // exit lets the compiler vectorise the check.
            let fine = |v: f64| (0.0..=MOST_PER_TICKET).contains(&v) & (v == (v as i64) as f64);
            // Nearly always every count is fine: one pass over the values says so, and
            // the column is kept as it is (a null's slot may trip it: then the slow way).
            let all_fine = ca
                .downcast_iter()
                .all(|a| a.values().iter().fold(true, |all, &v| all & fine(v)));
            if all_fine {
                return Ok(c);
            }
            let out: Float64Chunked = ca.iter().map(|v| v.filter(|&v| fine(v))).collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Float64)),
    )
}

pub fn non_negative(x: Expr) -> Expr {
    when(x.clone().gt_eq(lit(0.0)))
        .then(x)
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// Output columns must have distinct names: `--by team,team`, or a group column
/// named like a metric (`tickets`) or, with `--every`, like `period`, is a usage error
/// rather than a failed computation.
pub fn check_output_names(
    groups: &[String],
    every: bool,
    metrics: &[String],
) -> crate::error::Result<()> {
    for (i, g) in groups.iter().enumerate() {
        if groups[..i].contains(g) {
            return Err(crate::usage_err!("--by names '{g}' twice"));
        }
        if metrics.contains(g) || (every && g == PERIOD) {
            return Err(crate::usage_err!(
                "--by {g}: the report already has a column '{g}'; rename the input column, or map it to a field with --map"
            ));
        }
    }
    Ok(())
}

/// `raw` held something but `parsed` is null.
pub fn unparsed(raw: Expr, parsed: Expr) -> Expr {
    raw.is_not_null().and(parsed.is_null())
}

/// Is the (trimmed, lower-cased) cell `v` one of `words`?
pub fn one_of(v: &Expr, words: &[&str]) -> Expr {
    words
        .iter()
        .map(|w| v.clone().eq(lit(*w)))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false))
}

/// The cell trimmed and lower-cased, for [`one_of`].
pub fn word(raw: Expr) -> Expr {
    raw.str().strip_chars(lit(NULL)).str().to_lowercase()
}

/// Spreadsheet booleans as localised Excel writes them (French, German, Spanish,
/// Portuguese), lower-cased: true, then false.
pub const EXCEL_TRUE: &[&str] = &["vrai", "wahr", "verdadero", "sim", "verdadeiro"];
pub const EXCEL_FALSE: &[&str] = &["faux", "falsch", "falso", "não", "nao"];

/// Yes and no as a tool set to another language exports them (Spanish, Italian,
/// German, Dutch, French; Portuguese's `sim`/`não` are among Excel's), lower-cased:
/// yes, then no. `no` and `n` are English's too.
pub const SPOKEN_YES: &[&str] = &["sí", "si", "sì", "ja", "j", "oui"];
pub const SPOKEN_NO: &[&str] = &["nein", "nee", "non"];

/// True when the trimmed, lower-cased cell is one of `yes`, false when one of `no`,
/// else null.
pub fn word_flag(raw: Expr, yes: &[&str], no: &[&str]) -> Expr {
    let v = word(raw);
    // Each word with its accents written apart too (`si` and U+0301 for `sí`).
    let is = |words: &[&str]| {
        use unicode_normalization::UnicodeNormalization;
        let apart: Vec<String> = (words.iter())
            .filter(|w| !w.is_ascii())
            .map(|w| w.nfd().collect())
            .collect();
        let apart: Vec<&str> = apart.iter().map(String::as_str).collect();
        one_of(&v, &[words, &apart].concat())
    };
    when(is(yes))
        .then(lit(true))
        .when(is(no))
        .then(lit(false))
        .otherwise(lit(NULL).cast(DataType::Boolean))
}

/// `100 × part ÷ whole`, null when `whole` is zero.
pub fn pct(part: Expr, whole: Expr) -> Expr {
    when(whole.clone().gt(lit(0)))
        .then(lit(100.0) * part.cast(DataType::Float64) / whole.cast(DataType::Float64))
        .otherwise(lit(NULL).cast(DataType::Float64))
}

/// Quantiles by linear interpolation between closest ranks (numpy's default): the `q`
/// quantile of `n` sorted values is at rank `(n − 1)·q`. Two steps, because polars'
/// own median and quantile make the streaming engine collect the whole frame before
/// grouping, and because a part of the data gives only part of a group's values:
/// [`quantiles::gather`] each group's values per part, then [`Grouping::merge`] reads
/// each group's quantiles from all its parts' lists at once, by selection
/// ([`quantiles::of`]), without sorting or concatenating them.
pub mod quantiles {
    use polars::prelude::*;

    /// The name of the list [`gather()`] makes of `values`.
    pub fn list(values: &str) -> String {
        format!("__{values}_list")
    }

    /// The column [`super::Grouping::merge`] writes the `q` quantile of `values` to.
    pub fn column(values: &str, q: f64) -> String {
        format!("__{values}_q{q}")
    }

    /// The aggregation: the group's values (not the nulls) as a list.
    pub fn gather(values: &str) -> Expr {
        col(values).drop_nulls().implode(false).alias(list(values))
    }

    /// For each group (the rows of `lists` that `groups` lists), the `qs` quantiles of
    /// the values of its rows' lists: one vector per quantile, one entry per group.
    /// Both lists are read through their offsets, so no group costs an allocation:
    /// the time is linear in values plus groups, however many groups there are.
    pub fn of_groups(
        lists: &ListChunked,
        groups: &ListChunked,
        qs: &[f64],
    ) -> PolarsResult<Vec<Vec<Option<f64>>>> {
        let mut out = vec![Vec::with_capacity(groups.len()); qs.len()];
        // The parts' lists are read in their own chunks (one per part): copying them
        // into one would double the memory the durations take.
        let arrays: Vec<&LargeListArray> = lists.downcast_iter().collect();
        let inner: Vec<Series> = arrays
            .iter()
            .map(|a| Series::try_from((PlSmallStr::EMPTY, a.values().clone())))
            .collect::<PolarsResult<_>>()?;
        let values: Vec<&[f64]> = inner
            .iter()
            .map(|s| s.f64()?.cont_slice())
            .collect::<PolarsResult<_>>()?;
        let mut starts = Vec::with_capacity(arrays.len());
        let mut rows_before = 0;
        for a in &arrays {
            starts.push(rows_before);
            rows_before += a.len();
        }
        let groups = groups.rechunk();
        let members = groups.downcast_iter().next();
        let inner_rows = groups.get_inner();
        let rows = inner_rows.idx()?.cont_slice().ok();
        let mut buffer: Vec<f64> = Vec::new();
        for g in 0..groups.len() {
            buffer.clear();
            if let (Some(members), Some(rows)) = (members, rows) {
                let (start, end) = members.offsets().start_end(g);
                if members.validity().is_none_or(|v| v.get_bit(g)) {
                    for &row in &rows[start..end] {
                        let row = row as usize;
                        if row >= rows_before {
                            continue;
                        }
                        let c = starts.partition_point(|&s| s <= row) - 1;
                        let (part, local) = (arrays[c], row - starts[c]);
                        if part.validity().is_none_or(|v| v.get_bit(local)) {
                            let (a, b) = part.offsets().start_end(local);
                            buffer.extend_from_slice(&values[c][a..b]);
                        }
                    }
                }
            }
            for (found, q) in out.iter_mut().zip(of_each(&mut buffer, qs)) {
                found.push(q);
            }
        }
        Ok(out)
    }

    /// The `qs` quantiles of `values` (reordered in the process), as [`of`] gives
    /// each: from the lowest up, each found among the values above the last one.
    pub fn of_each(values: &mut [f64], qs: &[f64]) -> Vec<Option<f64>> {
        let mut out = vec![None; qs.len()];
        of_each_by(values, qs, f64::total_cmp, |x| x, &mut out);
        out
    }

    /// [`of_each`] for values of any type ordered by `cmp`, read as `as_f64`
    /// (an order-keeping, exact conversion), into `out` (one per quantile): with a
    /// million groups, nothing is allocated per group.
    pub fn of_each_by<T: Copy>(
        values: &mut [T],
        qs: &[f64],
        cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Copy,
        as_f64: impl Fn(T) -> f64,
        out: &mut [Option<f64>],
    ) {
        out.fill(None);
        let Some(last) = values.len().checked_sub(1) else {
            return;
        };
        if last == 0 {
            out.fill(Some(as_f64(values[0])));
            return;
        }
        let ascending = qs.is_sorted_by(|a, b| a <= b);
        let order: Vec<usize> = match ascending {
            true => Vec::new(),
            false => {
                let mut order: Vec<usize> = (0..qs.len()).collect();
                order.sort_by(|&a, &b| qs[a].total_cmp(&qs[b]));
                order
            }
        };
        let nth = |k: usize| if ascending { k } else { order[k] };
        // `values[..start]` are in place: none above what follows them.
        let mut start = 0;
        for i in (0..qs.len()).map(nth) {
            let rank = last as f64 * qs[i];
            let below = (rank.floor() as usize).min(last);
            if below >= start {
                values[start..].select_nth_unstable_by(below - start, cmp);
                start = below + 1;
            }
            let low = values[below];
            let above = values[below + 1..].iter().copied().min_by(cmp);
            let (low, high) = (as_f64(low), above.map_or(as_f64(low), &as_f64));
            out[i] = Some(low + (high - low) * (rank - below as f64));
        }
    }

    /// The `q` quantile of `values` (reordered in the process), `None` when empty.
    pub fn of(values: &mut [f64], q: f64) -> Option<f64> {
        let last = values.len().checked_sub(1)?;
        let rank = last as f64 * q;
        let below = (rank.floor() as usize).min(last);
        let (_, &mut low, above) = values.select_nth_unstable_by(below, f64::total_cmp);
        let high = above.iter().copied().min_by(f64::total_cmp).unwrap_or(low);
        Some(low + (high - low) * (rank - below as f64))
    }

    /// [`of`] values already sorted (by `f64::total_cmp`): read, not selected.
    pub fn of_sorted(sorted: &[f64], q: f64) -> Option<f64> {
        let last = sorted.len().checked_sub(1)?;
        let rank = last as f64 * q;
        let below = (rank.floor() as usize).min(last);
        let low = sorted[below];
        let high = sorted.get(below + 1).copied().unwrap_or(low);
        Some(low + (high - low) * (rank - below as f64))
    }
}

/// How rows are grouped into report rows: the window filter on a timestamp, the
/// optional bucket, and the group columns.
#[derive(Debug, Clone)]
pub struct Grouping {
    pub window: Window,
    pub every: Option<Every>,
    pub tz: Tz,
    /// Group columns, as named in the scanned frame.
    pub group_by: Vec<String>,
}

impl Grouping {
    /// The key columns of the result: the group columns, then `period`.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = self.group_by.clone();
        if self.every.is_some() {
            keys.push(PERIOD.to_string());
        }
        keys
    }

    /// Keep rows whose `epoch_ms` (UTC ms, null for a rejected row) is in the window,
    /// compute `aggs` per group and bucket, and order columns and rows: keys first,
    /// then `metrics`; sorted by keys, nulls last. `epoch_ms = None` means the data
    /// has no timestamp: every row counts.
    pub fn aggregate(
        &self,
        lf: LazyFrame,
        epoch_ms: Option<Expr>,
        aggs: Vec<Expr>,
        metrics: &[String],
    ) -> LazyFrame {
        self.aggregate_then(lf, epoch_ms, aggs, Vec::new(), metrics)
    }

    /// [`Grouping::aggregate`], with `finish` stages of columns computed from the
    /// aggregates (one `with_columns` each) before the metrics are selected.
    pub fn aggregate_then(
        &self,
        lf: LazyFrame,
        epoch_ms: Option<Expr>,
        aggs: Vec<Expr>,
        finish: Vec<Vec<Expr>>,
        metrics: &[String],
    ) -> LazyFrame {
        self.groups(self.rows(lf, epoch_ms, None), aggs, finish, metrics)
    }

    /// The row half of [`Grouping::aggregate_then`]: the rows in the window, with their
    /// [`PERIOD`] when bucketed; only the keys and `inputs` when these are given.
    pub fn rows(
        &self,
        lf: LazyFrame,
        epoch_ms: Option<Expr>,
        inputs: Option<&[&str]>,
    ) -> LazyFrame {
        let lf = match &epoch_ms {
            Some(ts) => lf.filter(in_window(ts.clone(), &self.window)),
            None => lf,
        };
        let lf = match (self.every, epoch_ms) {
            (Some(every), Some(ts)) => {
                lf.with_column(bucket_start(ts, every, self.tz).alias(PERIOD))
            }
            _ => lf,
        };
        match inputs {
            Some(inputs) => {
                let keep = self
                    .keys()
                    .into_iter()
                    .chain(inputs.iter().map(|c| c.to_string()));
                lf.select(keep.map(|c| col(c.as_str())).collect::<Vec<_>>())
            }
            None => lf,
        }
    }

    /// The group half of [`Grouping::aggregate_then`], over [`Grouping::rows`].
    pub fn groups(
        &self,
        rows: LazyFrame,
        aggs: Vec<Expr>,
        finish: Vec<Vec<Expr>>,
        metrics: &[String],
    ) -> LazyFrame {
        let keys = self.keys();
        let grouped = if keys.is_empty() {
            rows.select(aggs)
        } else {
            rows.group_by(keys.iter().map(|k| col(k.as_str())).collect::<Vec<_>>())
                .agg(aggs)
        };
        let grouped = finish
            .into_iter()
            .fold(grouped, |lf, stage| lf.with_columns(stage));
        let mut order: Vec<Expr> = keys.iter().map(|k| col(k.as_str())).collect();
        order.extend(metrics.iter().map(|n| col(n.as_str())));
        sort_by_keys(grouped.select(order), &keys)
    }

    /// Keys of [`Grouping::partials`]: the group keys, or one constant when there are
    /// none (so that partials of several parts still merge by group).
    fn partial_keys(&self) -> Vec<Expr> {
        let keys = self.keys();
        if keys.is_empty() {
            return vec![col(ALL)];
        }
        keys.iter().map(|k| col(k.as_str())).collect()
    }

    /// One row per group of `rows` (unsorted) with `aggs`: partial results that
    /// [`Grouping::merge`] combines across parts of the data.
    pub fn partials(&self, rows: LazyFrame, aggs: Vec<Expr>) -> LazyFrame {
        let rows = if self.keys().is_empty() {
            rows.with_column(lit(true).alias(ALL))
        } else {
            rows
        };
        rows.group_by(self.partial_keys()).agg(aggs)
    }

    /// Several parts' [`Grouping::partials`] (or one part's), one row per group: the
    /// `sums` columns added up, and for each `(values, qs)` of `quantiles`, the
    /// quantiles of the values the parts [`quantiles::gather`]ed, in the columns
    /// [`quantiles::column`] names. Without keys, one row even when there is no part.
    pub fn merge(
        &self,
        parts: DataFrame,
        sums: &[&str],
        quantiles: &[(&str, &[f64])],
    ) -> PolarsResult<DataFrame> {
        let aggs: Vec<Expr> = sums
            .iter()
            .map(|c| col(*c).sum())
            .chain([col(PART).implode(false)])
            .collect();
        let numbered = parts.clone().lazy().with_row_index(PART, None);
        let merged = if self.keys().is_empty() {
            numbered.select(aggs)
        } else {
            numbered.group_by(self.partial_keys()).agg(aggs)
        }
        .collect()?;
        let groups = merged.column(PART)?.list()?.clone();
        // Each list in its own thread: a group's values are copied once, then selected.
        let found: Vec<PolarsResult<Vec<Column>>> = std::thread::scope(|s| {
            let handles: Vec<_> = quantiles
                .iter()
                .map(|&(values, qs)| {
                    let (parts, groups) = (&parts, &groups);
                    s.spawn(move || -> PolarsResult<Vec<Column>> {
                        let lists = parts.column(&quantiles::list(values))?.list()?;
                        let found = quantiles::of_groups(lists, groups, qs)?;
                        Ok(qs
                            .iter()
                            .zip(found)
                            .map(|(&q, v)| {
                                Float64Chunked::from_iter_options(
                                    quantiles::column(values, q).into(),
                                    v.into_iter(),
                                )
                                .into_column()
                            })
                            .collect())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(polars_err!(ComputeError: "a quantile thread panicked"))
                    })
                })
                .collect()
        });
        let mut columns = Vec::new();
        for f in found {
            columns.extend(f?);
        }
        merged.drop(PART)?.hstack(&columns)
    }
}

/// The row-number column [`Grouping::merge`] uses to find a group's parts.
const PART: &str = "__part";

/// The constant group key of [`Grouping::partials`] when there are no keys.
const ALL: &str = "__all";

/// One row: how many times each reject rule fired.
pub fn reject_counts(parsed: LazyFrame, rules: &[RejectRule]) -> LazyFrame {
    parsed.select(reject_count_exprs(rules))
}

/// One `sum` per rule flag, named after the flag.
pub fn reject_count_exprs(rules: &[RejectRule]) -> Vec<Expr> {
    rules
        .iter()
        .map(|r| count_true(r.fired()).alias(r.flag.as_str()))
        .collect()
}

/// How many rows a boolean holds for (null: not counted), as a `UInt64`. Summed as
/// booleans, then cast: a cast first wrote 8 bytes a row (120 ms for 20M rows, against
/// under a millisecond).
pub fn count_true(condition: Expr) -> Expr {
    condition.sum().cast(DataType::UInt64)
}

/// Sort a grouped result by its keys (nulls last), then by period.
pub fn sort_by_keys(lf: LazyFrame, keys: &[String]) -> LazyFrame {
    if keys.is_empty() {
        return lf;
    }
    // The rows are distinct groups, so no two compare equal and a stable sort would
    // buy nothing: the unstable one is faster on many groups.
    let opts = SortMultipleOptions::default().with_nulls_last(true);
    lf.sort(keys.iter().map(|k| k.as_str()).collect::<Vec<_>>(), opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read off sorted values, a quantile is the one selection finds, at every q,
    /// with ties and a single value.
    #[test]
    fn quantiles_of_sorted_values_are_those_selected() {
        let lists: [&[f64]; 4] = [
            &[7.0],
            &[1.0, 1.0, 2.0],
            &[5.0, 3.0, 9.0, 1.0, 4.0, 4.0],
            &[],
        ];
        for list in lists {
            let mut sorted = list.to_vec();
            sorted.sort_by(f64::total_cmp);
            for k in 0..=20 {
                let q = k as f64 / 20.0;
                let mut copy = list.to_vec();
                assert_eq!(
                    quantiles::of_sorted(&sorted, q),
                    quantiles::of(&mut copy, q),
                    "{list:?} {q}"
                );
            }
        }
    }
    use proptest::prelude::*;

    /// Texts of digits alone are read as their numbers; a column with any other
    /// text is read as polars casts it, nulls and unusable texts empty. By hand.
    #[test]
    fn numbers_of_digits_and_of_other_texts() {
        let read = |cells: &[Option<&str>]| -> Vec<Option<f64>> {
            let df = df!("x" => cells).unwrap();
            let out = df
                .lazy()
                .select([finite_number(col("x"))])
                .collect()
                .unwrap();
            out.column("x").unwrap().f64().unwrap().iter().collect()
        };
        let digits = [Some("0"), Some("007"), None, Some("123456789012345")];
        let want = [Some(0.0), Some(7.0), None, Some(123456789012345.0)];
        assert_eq!(read(&digits), want);
        let mixed = [
            Some("2"),
            Some("2.5"),
            Some("1e3"),
            Some(""),
            Some("x"),
            Some("inf"),
        ];
        let want = [Some(2.0), Some(2.5), Some(1000.0), None, None, None];
        assert_eq!(read(&mixed), want);
        // Too long to be exact as a float of digits: cast, as polars reads it.
        assert_eq!(
            read(&[Some("1234567890123456789")]),
            [Some(1.2345678901234568e18)]
        );
    }

    proptest! {
        /// Several quantiles found one above the other are what sorting all the values
        /// and interpolating between closest ranks gives, in any order of `qs`.
        #[test]
        fn each_quantile_is_the_sorted_values_at_its_rank(
            values in proptest::collection::vec(-1e6f64..1e6, 1..200),
            few in proptest::collection::vec(0usize..4, 0..60),
            qs in proptest::collection::vec(0.0f64..=1.0, 1..5),
        ) {
            // Repeated values too.
            let mut values = values;
            values.extend(few.iter().map(|&k| k as f64));
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let last = sorted.len() - 1;
            let got = quantiles::of_each(&mut values, &qs);
            for (q, got) in qs.iter().zip(got) {
                let rank = last as f64 * q;
                let below = rank.floor() as usize;
                let high = sorted[(below + 1).min(last)];
                let want = sorted[below] + (high - sorted[below]) * (rank - below as f64);
                prop_assert_eq!(got, Some(want), "q {}", q);
            }
        }
    }

    /// Worked by hand: group a holds 1, 3, 2, 10 (and a null): sorted 1 2 3 10, the
    /// median at rank 1.5 is 2.5, p90 at rank 2.7 is 3 + 0.7 × 7 = 7.9; b holds 5 alone;
    /// c holds no value. The values are gathered in two parts, in either engine.
    #[test]
    fn quantiles_by_group_from_parts() {
        let df = df!(
            "g" => ["a", "a", "b", "a", "c", "a", "a"],
            "v" => [Some(1.0), None, Some(5.0), Some(3.0), None, Some(2.0), Some(10.0)],
        )
        .unwrap();
        let grouping = Grouping {
            window: Window {
                since: None,
                until: None,
            },
            every: None,
            tz: Tz::UTC,
            group_by: vec!["g".into()],
        };
        for engine in [Engine::InMemory, Engine::Streaming] {
            let mut parts = df.slice(0, 3);
            for (offset, len) in [(0, 3), (3, 4)] {
                let part = grouping
                    .partials(df.slice(offset, len).lazy(), vec![quantiles::gather("v")])
                    .collect_with_engine(engine)
                    .unwrap()
                    .unwrap_single();
                if offset == 0 {
                    parts = part;
                } else {
                    parts.vstack_mut(&part).unwrap();
                }
            }
            let merged = grouping
                .merge(parts, &[], &[("v", &[0.5, 0.9])])
                .unwrap()
                .sort(["g"], Default::default())
                .unwrap();
            let get = |q: f64| -> Vec<Option<f64>> {
                let c = merged.column(&quantiles::column("v", q)).unwrap();
                c.f64().unwrap().iter().collect()
            };
            assert_eq!(get(0.5), [Some(2.5), Some(5.0), None]);
            let p90 = get(0.9);
            assert!((p90[0].unwrap() - 7.9).abs() < 1e-12, "{p90:?}");
            assert_eq!(p90[1..], [Some(5.0), None]);
        }
    }
}
