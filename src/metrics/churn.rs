//! Churn and retention (SPEC §5 "Churn").
//!
//! **Subscriptions.** Each subscription is a span [start, end) (end empty = still
//! running). A customer is active at instant d while any of its spans holds d:
//! `start ≤ d < end`. For each bucket [d0, d1):
//!
//! | column | definition |
//! |---|---|
//! | `customers_start` | customers active at d0 |
//! | `churned` | of those, customers not active at d1 |
//! | `churn_pct`, `retention_pct` | 100 × churned ÷ customers_start, and 100 − that (empty when no customers) |
//! | `new_customers` | customers whose first span starts in [d0, d1) |
//! | `customers_end` | customers active at d1 |
//! | `mrr_start` | MRR of the spans active at d0 |
//! | `mrr_churned` | MRR at d0 of churned customers + the drop (never a rise) of retained ones |
//! | `mrr_churn_pct` | 100 × mrr_churned ÷ mrr_start |
//!
//! **MRR movements** (SPEC §10, `--movements`), with m0 and m1 a customer's MRR at d0
//! and d1: `mrr_end` = Σ m1; `mrr_expansion` = Σ max(m1 − m0, 0) and
//! `mrr_contraction` = Σ max(m0 − m1, 0) over customers active at both; `mrr_lost` =
//! Σ m0 of churned customers; of the customers active at d1 and not at d0,
//! `mrr_reactivation` (and `reactivated_customers`) those who had a subscription before
//! d0, `mrr_new` the others. So `mrr_start + mrr_new + mrr_reactivation +
//! mrr_expansion − mrr_contraction − mrr_lost = mrr_end` in every bucket. (A
//! subscription starting exactly at d1 is active at d1: its MRR is new in this bucket
//! and in the next one's `mrr_start`, though `new_customers` counts it in the next.)
//! `nrr_pct`, `grr_pct` and `quick_ratio` follow from these ([`bucket_metrics`]).
//!
//! With `--by`, a customer belongs at each instant to the group of its span active then
//! (the latest-started one when several are; spans sorted by group among those
//! starting together, see `spans_from`): `customers_start`, `churned` and the MRR
//! columns use the group held at d0 (expansion, contraction and lost too),
//! `customers_end`, `mrr_end`, `mrr_new` and reactivation the group at d1,
//! `new_customers` the group of the first span.
//!
//! **Activity.** An event at t keeps its customer active for the window W after it: the
//! customer is active at d when an event falls in (d − W, d], i.e. `t ≤ d < t + W`, so
//! each event is a span [t, t + W) and the same definitions apply (without MRR).
//!
//! **Snapshot.** One row per customer with a churn flag: `customers`, `churned`,
//! `churn_pct` per group ([`snapshot_metrics`]).
//!
//! Spans are few per customer and buckets few per report, so the per-bucket logic is a
//! direct pass over spans sorted by customer ([`by_bucket`]); polars does the loading,
//! parsing and reject counting ([`parse_spans`]).

use std::collections::HashMap;

use chrono::NaiveDate;
use polars::prelude::*;

use super::billing::{self, MrrSource};
use super::record::{Cond, Metric, Partial, Value};
use super::{reason, unparsed, word_flag, RejectRule};
use crate::accounting::Categories;
use crate::input::timestamp::TsFormat;

/// One subscription (or activity span) of a customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub customer: u32,
    /// UTC epoch ms.
    pub start: i64,
    /// UTC epoch ms, exclusive; None while running.
    pub end: Option<i64>,
    pub mrr: f64,
    /// Index of the group key (see [`Keys`]).
    pub key: u32,
}

impl Span {
    pub fn active_at(&self, d: i64) -> bool {
        self.start <= d && self.end.is_none_or(|e| e > d)
    }
}

/// Interned group keys: index → the values of the `--by` columns.
#[derive(Debug, Default, Clone)]
pub struct Keys {
    pub values: Vec<Vec<Option<String>>>,
    index: HashMap<Vec<Option<String>>, u32>,
}

impl Keys {
    pub fn intern(&mut self, key: Vec<Option<String>>) -> u32 {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(key.clone());
        self.index.insert(key, i);
        i
    }
}

/// Counts of one group in one bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Counts {
    pub customers_start: i64,
    pub churned: i64,
    pub new_customers: i64,
    pub customers_end: i64,
    pub mrr_start: f64,
    pub mrr_churned: f64,
    pub mrr_end: f64,
    pub mrr_new: f64,
    pub mrr_reactivation: f64,
    pub mrr_expansion: f64,
    pub mrr_contraction: f64,
    pub mrr_lost: f64,
    pub reactivated: i64,
}

/// The state of one customer at one boundary.
#[derive(Debug, Clone, Copy)]
pub struct State {
    pub active: bool,
    /// The MRR of its spans active then.
    pub mrr: f64,
    /// Its group then: that of the latest-started active span.
    pub key: u32,
}

/// A change in a customer's MRR smaller than this is no movement: a quarterly 299.97
/// is 99.99000000000001 a month in floating point, and a move to a monthly 99.99
/// would otherwise contract it by 1e-14 (and make the quick ratio 10^15).
pub const MRR_NOISE: f64 = 1e-6;

/// [`MRR_NOISE`] as SQL writes it.
pub const MRR_NOISE_SQL: &str = "0.000001";

/// A customer's change in MRR from `before` to `after`, 0 within [`MRR_NOISE`].
pub fn mrr_change(before: f64, after: f64) -> f64 {
    match (after - before).abs() < MRR_NOISE {
        true => 0.0,
        false => after - before,
    }
}

/// One customer's state at each of `bounds`, into `out` (cleared first).
pub fn states_at(customer: &[Span], bounds: &[i64], out: &mut Vec<State>) {
    out.clear();
    for &d in bounds {
        let mut s = State {
            active: false,
            mrr: 0.0,
            key: 0,
        };
        let mut latest = i64::MIN;
        for span in customer.iter().filter(|sp| sp.active_at(d)) {
            s.active = true;
            s.mrr += span.mrr;
            if span.start >= latest {
                latest = span.start;
                s.key = span.key;
            }
        }
        out.push(s);
    }
}

/// Per group key and bucket, the churn counts and MRR movements. `bounds` are the
/// n + 1 bucket boundaries (UTC ms, ascending); `spans` must be sorted by customer.
/// Result: `[key][bucket]`.
pub fn by_bucket(spans: &[Span], bounds: &[i64], n_keys: usize) -> Vec<Vec<Counts>> {
    let n = bounds.len().saturating_sub(1);
    let mut out = vec![vec![Counts::default(); n]; n_keys];
    let mut states: Vec<State> = Vec::with_capacity(bounds.len());
    for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
        let first = customer
            .iter()
            .min_by_key(|s| s.start)
            .map(|s| (s.start, s.key));
        // Only the buckets where the customer is active at either end, or new, add
        // anything: those are walked, not all (daily buckets over years, for a
        // customer of a few months).
        let Some((from, to)) = buckets_touched(customer, bounds) else {
            continue;
        };
        states_at(customer, &bounds[from..=to + 1], &mut states);
        for k in from..=to {
            let (s0, s1) = (states[k - from], states[k - from + 1]);
            add_bucket(&mut out, bounds, k, (s0, s1), first);
        }
    }
    out
}

/// What one customer adds to bucket `k`, from its states at the bucket's start and
/// end (`s0`, `s1`) and its first span's start and group.
fn add_bucket(
    out: &mut [Vec<Counts>],
    bounds: &[i64],
    k: usize,
    (s0, s1): (State, State),
    first: Option<(i64, u32)>,
) {
    if s0.active {
        let c = &mut out[s0.key as usize][k];
        c.customers_start += 1;
        c.mrr_start += s0.mrr;
        if s1.active {
            let change = mrr_change(s0.mrr, s1.mrr);
            c.mrr_churned += (-change).max(0.0);
            c.mrr_expansion += change.max(0.0);
            c.mrr_contraction += (-change).max(0.0);
        } else {
            c.churned += 1;
            c.mrr_churned += s0.mrr;
            c.mrr_lost += s0.mrr;
        }
    }
    if s1.active {
        let c = &mut out[s1.key as usize][k];
        c.customers_end += 1;
        c.mrr_end += s1.mrr;
        // Not a customer at d0: back after a gap, or new since d0.
        if !s0.active {
            if first.is_some_and(|(start, _)| start < bounds[k]) {
                c.reactivated += 1;
                c.mrr_reactivation += s1.mrr;
            } else {
                c.mrr_new += s1.mrr;
            }
        }
    }
    let new_here = first.filter(|&(start, _)| bounds[k] <= start && start < bounds[k + 1]);
    if let Some((_, key)) = new_here {
        out[key as usize][k].new_customers += 1;
    }
}

/// The first and last buckets (indexes of `bounds`' buckets) in which one customer's
/// spans can count: active at a bucket's start or end, or the first span starting in
/// it. None when it falls in no bucket.
fn buckets_touched(customer: &[Span], bounds: &[i64]) -> Option<(usize, usize)> {
    let n = bounds.len().checked_sub(1).filter(|&n| n > 0)?;
    let first = customer.iter().map(|s| s.start).min()?;
    // The first bucket whose end it can be active at (a start exactly on a bound is
    // active there), which is the bucket holding the first start or the one before:
    // the first bucket when it starts before them all.
    let from = bounds.partition_point(|&d| d < first).saturating_sub(1);
    // The last bound it can be active at: before its latest end (the last, open-ended).
    let last_bound = match customer.iter().any(|s| s.end.is_none()) {
        true => n,
        false => {
            let end = customer.iter().filter_map(|s| s.end).max()?;
            bounds.partition_point(|&d| d < end).saturating_sub(1)
        }
    };
    // Through the bucket holding the first start too, where it is new (a span of no
    // length starting on a bound is active at no bound).
    let new_in = bounds.partition_point(|&d| d <= first).saturating_sub(1);
    let to = last_bound.min(n - 1).max(new_in.min(n - 1)).max(from);
    (from < n).then_some((from, to))
}

/// One tally of a group in a bucket: a field of [`Counts`], named as its column
/// when it is one (so other back ends, such as the warehouse SQL, can name it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tally {
    CustomersStart,
    Churned,
    NewCustomers,
    CustomersEnd,
    MrrStart,
    MrrChurned,
    MrrEnd,
    MrrNew,
    MrrReactivation,
    MrrExpansion,
    MrrContraction,
    MrrLost,
    Reactivated,
}

impl Tally {
    pub fn of(self, c: &Counts) -> f64 {
        match self {
            Tally::CustomersStart => c.customers_start as f64,
            Tally::Churned => c.churned as f64,
            Tally::NewCustomers => c.new_customers as f64,
            Tally::CustomersEnd => c.customers_end as f64,
            Tally::MrrStart => c.mrr_start,
            Tally::MrrChurned => c.mrr_churned,
            Tally::MrrEnd => c.mrr_end,
            Tally::MrrNew => c.mrr_new,
            Tally::MrrReactivation => c.mrr_reactivation,
            Tally::MrrExpansion => c.mrr_expansion,
            Tally::MrrContraction => c.mrr_contraction,
            Tally::MrrLost => c.mrr_lost,
            Tally::Reactivated => c.reactivated as f64,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Tally::CustomersStart => "customers_start",
            Tally::Churned => "churned",
            Tally::NewCustomers => "new_customers",
            Tally::CustomersEnd => "customers_end",
            Tally::MrrStart => "mrr_start",
            Tally::MrrChurned => "mrr_churned",
            Tally::MrrEnd => "mrr_end",
            Tally::MrrNew => "mrr_new",
            Tally::MrrReactivation => "mrr_reactivation",
            Tally::MrrExpansion => "mrr_expansion",
            Tally::MrrContraction => "mrr_contraction",
            Tally::MrrLost => "mrr_lost",
            Tally::Reactivated => "reactivated_customers",
        }
    }

    /// A count of customers (an integer column), not an amount.
    pub fn is_count(self) -> bool {
        matches!(
            self,
            Tally::CustomersStart
                | Tally::Churned
                | Tally::NewCustomers
                | Tally::CustomersEnd
                | Tally::Reactivated
        )
    }
}

/// One bucket column: its name and how it comes from a group's tallies. Plain data,
/// so that polars' back end and the warehouse SQL read the same records.
pub struct BucketMetric {
    pub name: &'static str,
    pub value: BucketValue,
}

pub enum BucketValue {
    /// A tally as it is.
    Tally(Tally),
    /// `100 × Σ sign·part ÷ whole`; empty when `whole` is 0.
    Pct {
        part: &'static [(f64, Tally)],
        whole: Tally,
    },
    /// `100 − 100 × part ÷ whole`; empty when `whole` is 0.
    RestPct { part: Tally, whole: Tally },
    /// `Σ over ÷ Σ under`; empty when the latter is 0.
    Ratio {
        over: &'static [Tally],
        under: &'static [Tally],
    },
}

impl BucketValue {
    /// The value from one group's tallies in one bucket.
    pub fn of(&self, c: &Counts) -> Option<f64> {
        let pct = |part: f64, whole: f64| (whole > 0.0).then(|| 100.0 * part / whole);
        match self {
            BucketValue::Tally(t) => Some(t.of(c)),
            BucketValue::Pct { part, whole } => {
                pct(part.iter().map(|(s, t)| s * t.of(c)).sum(), whole.of(c))
            }
            BucketValue::RestPct { part, whole } => pct(part.of(c), whole.of(c)).map(|p| 100.0 - p),
            BucketValue::Ratio { over, under } => {
                let sum = |ts: &[Tally]| ts.iter().map(|t| t.of(c)).sum::<f64>();
                let under = sum(under);
                (under > 0.0).then(|| sum(over) / under)
            }
        }
    }
}

/// Which columns a churn table carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Columns {
    pub mrr: bool,
    /// The MRR movements of SPEC §10 (needs `mrr`).
    pub movements: bool,
}

/// The bucket metrics, one record each, in output order.
pub fn bucket_metrics(columns: Columns) -> Vec<BucketMetric> {
    use BucketValue::{Pct, Ratio, RestPct};
    use Tally::*;
    let m = |name, value| BucketMetric { name, value };
    let tally = |t: Tally| BucketMetric {
        name: t.name(),
        value: BucketValue::Tally(t),
    };
    let mut out = vec![
        tally(CustomersStart),
        tally(Churned),
        m(
            "churn_pct",
            Pct {
                part: &[(1.0, Churned)],
                whole: CustomersStart,
            },
        ),
        m(
            "retention_pct",
            RestPct {
                part: Churned,
                whole: CustomersStart,
            },
        ),
        tally(NewCustomers),
        tally(CustomersEnd),
    ];
    if columns.mrr {
        out.extend([
            tally(MrrStart),
            tally(MrrChurned),
            m(
                "mrr_churn_pct",
                Pct {
                    part: &[(1.0, MrrChurned)],
                    whole: MrrStart,
                },
            ),
        ]);
    }
    if columns.mrr && columns.movements {
        out.extend([
            tally(MrrEnd),
            tally(MrrNew),
            tally(MrrReactivation),
            tally(MrrExpansion),
            tally(MrrContraction),
            tally(MrrLost),
            tally(Reactivated),
            m(
                "nrr_pct",
                Pct {
                    part: &[
                        (1.0, MrrStart),
                        (1.0, MrrExpansion),
                        (-1.0, MrrContraction),
                        (-1.0, MrrLost),
                    ],
                    whole: MrrStart,
                },
            ),
            m(
                "grr_pct",
                Pct {
                    part: &[(1.0, MrrStart), (-1.0, MrrContraction), (-1.0, MrrLost)],
                    whole: MrrStart,
                },
            ),
            m(
                "quick_ratio",
                Ratio {
                    over: &[MrrNew, MrrExpansion, MrrReactivation],
                    under: &[MrrContraction, MrrLost],
                },
            ),
        ]);
    }
    out
}

/// The metric columns of subscription or activity churn.
pub fn metric_columns(columns: Columns) -> Vec<String> {
    bucket_metrics(columns)
        .iter()
        .map(|m| m.name.to_string())
        .collect()
}

/// Group keys in output order: sorted, nulls last, as the other commands sort.
pub fn sorted_keys(keys: &Keys, wanted: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut order: Vec<usize> = wanted.collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (&keys.values[a], &keys.values[b]);
        ka.iter()
            .zip(kb)
            .map(|(x, y)| match (x, y) {
                (None, None) => std::cmp::Ordering::Equal,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
                (Some(x), Some(y)) => x.cmp(y),
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    order
}

/// The group columns of `rows` (key index per row).
pub fn group_columns(keys: &Keys, group_by: &[String], rows: &[usize]) -> Vec<Column> {
    group_by
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let values: Vec<Option<&str>> = rows
                .iter()
                .map(|&k| keys.values[k].get(i).and_then(|v| v.as_deref()))
                .collect();
            Column::new(name.as_str().into(), values)
        })
        .collect()
}

/// Bucket start dates as a Date column.
pub fn date_column(name: &str, dates: impl Iterator<Item = NaiveDate>) -> PolarsResult<Column> {
    let epoch = NaiveDate::default();
    let days: Vec<i32> = dates.map(|d| (d - epoch).num_days() as i32).collect();
    Column::new(name.into(), days).cast(&DataType::Date)
}

/// Which of `n_keys` groups have a subscription active within the buckets' `bounds`
/// (one that starts and ends inside a bucket too, though it adds no count there).
/// [`frame`] shows these and the groups with a count.
pub fn groups_seen(spans: &[Span], bounds: &[i64], n_keys: usize) -> Vec<bool> {
    let mut seen = vec![false; n_keys];
    if let (Some(&first), Some(&last)) = (bounds.first(), bounds.last()) {
        // Active at some instant from the first bound to the last (a start on the
        // last counts in its `customers_end`); a subscription ending as it starts is
        // never active.
        for s in spans
            .iter()
            .filter(|s| s.start <= last && s.end.is_none_or(|e| e > first && e > s.start))
        {
            if let Some(k) = seen.get_mut(s.key as usize) {
                *k = true;
            }
        }
    }
    seen
}

/// The result frame: group columns, `period` (bucket start dates), then the metrics.
/// Every bucket appears for every group `seen` in the range (see [`groups_seen`]);
/// without groups every bucket appears.
pub fn frame(
    counts: &[Vec<Counts>],
    seen: &[bool],
    keys: &Keys,
    group_by: &[String],
    starts: &[NaiveDate],
    columns: Columns,
) -> PolarsResult<DataFrame> {
    let order = sorted_keys(
        keys,
        (0..counts.len()).filter(|&k| {
            group_by.is_empty()
                || seen.get(k).copied().unwrap_or(false)
                || counts[k]
                    .iter()
                    .any(|c| c.customers_start + c.new_customers + c.customers_end > 0)
        }),
    );
    let rows: Vec<(usize, usize)> = order
        .iter()
        .flat_map(|&k| (0..starts.len()).map(move |b| (k, b)))
        .collect();
    let row_keys: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let mut out = group_columns(keys, group_by, &row_keys);
    out.push(date_column(
        super::PERIOD,
        rows.iter().map(|&(_, b)| starts[b]),
    )?);
    for metric in bucket_metrics(columns) {
        let cells = rows.iter().map(|&(k, b)| &counts[k][b]);
        out.push(match metric.value {
            BucketValue::Tally(t) if t.is_count() => Column::new(
                metric.name.into(),
                cells.map(|c| t.of(c) as i64).collect::<Vec<_>>(),
            ),
            value => Column::new(
                metric.name.into(),
                cells.map(|c| value.of(c)).collect::<Vec<_>>(),
            ),
        });
    }
    DataFrame::new_infer_height(out)
}

/// Where spans come from.
#[derive(Debug, Clone)]
pub enum SpanSource {
    /// `start_date` .. `end_date` (formats of each), with `mrr` when mapped.
    Subscriptions {
        start: TsFormat,
        /// `scheduled_start`'s, when mapped: read where `start_date` is blank.
        scheduled: Option<TsFormat>,
        end: Option<TsFormat>,
        mrr: MrrSource,
    },
    /// `event_at` .. `event_at` + window (ms).
    Activity { event: TsFormat, window_ms: i64 },
}

// Columns of the parsed frame.
pub const START_MS: &str = "__start_ms";
pub const END_MS: &str = "__end_ms";
pub const MRR: &str = "__mrr";
pub const ROW_OK: &str = "__row_ok";

/// The reject rules [`parse_spans`] adds flags for.
pub fn span_rules(src: &SpanSource) -> Vec<RejectRule> {
    let mut rules = vec![RejectRule::new("customer_id", reason::MISSING)];
    match src {
        SpanSource::Subscriptions {
            end,
            mrr,
            scheduled,
            ..
        } => {
            rules.push(RejectRule::new("start_date", reason::MISSING));
            rules.push(RejectRule::new("start_date", reason::BAD_TIMESTAMP));
            if scheduled.is_some() {
                rules.push(RejectRule::new("scheduled_start", reason::BAD_TIMESTAMP));
            }
            if end.is_some() {
                rules.push(RejectRule::new("end_date", reason::BAD_TIMESTAMP));
                rules.push(RejectRule::new("end_date", reason::ENDS_BEFORE_START));
            }
            rules.extend(billing::rules(*mrr));
        }
        SpanSource::Activity { .. } => {
            rules.push(RejectRule::new("event_at", reason::MISSING));
            rules.push(RejectRule::new("event_at", reason::BAD_TIMESTAMP));
        }
    }
    rules
}

/// Raw string columns → span bounds (UTC ms), MRR, `__row_ok` and reject flags. A row
/// with any rejected value is left out whole (`__row_ok` false); a blank MRR is 0.
pub fn parse_spans(lf: LazyFrame, src: &SpanSource, tz: chrono_tz::Tz) -> LazyFrame {
    let mut flags = vec![col("customer_id")
        .is_null()
        .alias(RejectRule::new("customer_id", reason::MISSING).flag)];
    let mut ok = col("customer_id").is_not_null();
    let lf = match src {
        SpanSource::Subscriptions {
            start,
            scheduled,
            end,
            mrr,
        } => {
            // Dates from 1900 to 2099 on the clock of `tz`: outside them a date is
            // misread (epoch milliseconds read as seconds, a year typed wrong) and
            // rejected as unparseable, as a ticket's time is; an end from 2100 on
            // stands for "never", read so later.
            let day = |y| chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
            let first = crate::calendar::local_midnight(tz, day(1900)).timestamp_millis();
            let end_of_range = crate::calendar::local_midnight(tz, day(2100)).timestamp_millis();
            let in_range = |ms: Expr, upper: Option<i64>| {
                let ok = ms.clone().gt_eq(lit(first));
                let ok = match upper {
                    Some(u) => ok.and(ms.clone().lt(lit(u))),
                    None => ok,
                };
                when(ok).then(ms).otherwise(lit(NULL).cast(DataType::Int64))
            };
            let start_ms = in_range(start.to_epoch_ms(col("start_date"), tz), Some(end_of_range));
            // A blank start gives way to the scheduled one, row by row.
            let (start_ms, missing) = match scheduled {
                Some(f) => {
                    let at = in_range(
                        f.to_epoch_ms(col("scheduled_start"), tz),
                        Some(end_of_range),
                    );
                    let instead = col("start_date").is_null();
                    flags.push(
                        instead
                            .clone()
                            .and(unparsed(col("scheduled_start"), at.clone()))
                            .alias(RejectRule::new("scheduled_start", reason::BAD_TIMESTAMP).flag),
                    );
                    (
                        when(instead.clone()).then(at).otherwise(start_ms),
                        instead.and(col("scheduled_start").is_null()),
                    )
                }
                None => (start_ms, col("start_date").is_null()),
            };
            let mut parsed = vec![start_ms.alias(START_MS)];
            parsed.push(match end {
                Some(f) => in_range(f.to_epoch_ms(col("end_date"), tz), None).alias(END_MS),
                None => lit(NULL).cast(DataType::Int64).alias(END_MS),
            });
            let (mrr_expr, mrr_flags, mrr_ok) = billing::parse(*mrr, MRR);
            parsed.push(mrr_expr);
            flags.extend(mrr_flags);
            ok = ok.and(mrr_ok);
            flags.push(missing.alias(RejectRule::new("start_date", reason::MISSING).flag));
            flags.push(
                unparsed(col("start_date"), col(START_MS))
                    .alias(RejectRule::new("start_date", reason::BAD_TIMESTAMP).flag),
            );
            ok = ok.and(col(START_MS).is_not_null());
            if end.is_some() {
                let bad_end = unparsed(col("end_date"), col(END_MS));
                let before = col(END_MS).lt(col(START_MS)).fill_null(false);
                flags.push(
                    bad_end
                        .clone()
                        .alias(RejectRule::new("end_date", reason::BAD_TIMESTAMP).flag),
                );
                flags.push(
                    before
                        .clone()
                        .alias(RejectRule::new("end_date", reason::ENDS_BEFORE_START).flag),
                );
                ok = ok.and(bad_end.not()).and(before.not());
            }
            lf.with_columns(parsed)
        }
        SpanSource::Activity { event, window_ms } => {
            // An event's time from 1900 to 2099 (UTC), as a ticket's.
            let t = super::tickets::plausible(event.to_epoch_ms(col("event_at"), tz));
            flags.push(
                col("event_at")
                    .is_null()
                    .alias(RejectRule::new("event_at", reason::MISSING).flag),
            );
            flags.push(
                unparsed(col("event_at"), col(START_MS))
                    .alias(RejectRule::new("event_at", reason::BAD_TIMESTAMP).flag),
            );
            ok = ok.and(col(START_MS).is_not_null());
            // On the clock of `tz`: 30 days after a date is that date 30 days on, also
            // across a daylight-saving change.
            let window_ms = *window_ms;
            let end = col(START_MS).map(
                move |c| {
                    let ends: Int64Chunked = (c.i64()?.iter())
                        .map(|t| t.map(|t| crate::calendar::later_on_the_clock(t, window_ms, tz)))
                        .collect();
                    Ok(ends.with_name(c.name().clone()).into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::Int64)),
            );
            lf.with_columns([t.clone().alias(START_MS)])
                .with_columns([end.alias(END_MS), lit(0.0).alias(MRR)])
        }
    };
    flags.push(ok.alias(ROW_OK));
    lf.with_columns(flags)
}

/// Parse a churn flag: yes/no, true/false, 1/0, y/n, t/f, churned/active, and
/// localised Excel booleans (VRAI/FAUX, WAHR/FALSCH, …), in any case.
pub fn churn_flag(raw: Expr) -> Expr {
    let yes = [
        &[
            "yes",
            "y",
            "true",
            "t",
            "1",
            "1.0",
            "churned",
            "churn",
            "exited",
            "lost",
            "cancelled",
            "canceled",
        ][..],
        super::EXCEL_TRUE,
        super::SPOKEN_YES,
    ]
    .concat();
    let no = [
        &[
            "no", "n", "false", "f", "0", "0.0", "active", "retained", "stayed", "current",
        ][..],
        super::EXCEL_FALSE,
        super::SPOKEN_NO,
    ]
    .concat();
    word_flag(raw, &yes, &no)
}

const CHURNED: &str = "__churned";

/// `--verbose` for spans: a row is used unless a rule rejected it.
pub fn span_categories() -> Categories {
    Categories {
        used: col(ROW_OK),
        rejected: col(ROW_OK).not(),
        duplicates: None,
        empty: None,
        outside: None,
        other: None,
        current: None,
    }
}

/// `--verbose` for a snapshot: used with a known flag, else rejected (a bad or blank
/// flag, no customer).
pub fn snapshot_categories() -> Categories {
    let used = col(CHURNED).is_not_null();
    Categories {
        used: used.clone(),
        rejected: used.not(),
        duplicates: None,
        empty: None,
        outside: None,
        other: None,
        current: None,
    }
}

/// The reject rules of snapshot churn (with ids: a row without one is rejected). A
/// blank flag is rejected too: no export's "no" is a blank cell for certain (a
/// checkbox left unset may be either), so it is said and counted, not guessed.
pub fn snapshot_rules(ids: bool) -> Vec<RejectRule> {
    let mut rules = vec![
        RejectRule::new("churned", reason::MISSING),
        RejectRule::new("churned", reason::BAD_BOOL),
    ];
    if ids {
        rules.insert(0, RejectRule::new("customer_id", reason::MISSING));
    }
    rules
}

/// Snapshot churn: parse the flag, then `customers, churned, churn_pct` per group.
/// Rows with a missing customer (when the snapshot has ids) or an unknown flag are
/// rejected and left out; without ids each row is a customer.
pub fn snapshot_parse(lf: LazyFrame, ids: bool) -> LazyFrame {
    let flag = churn_flag(col("churned"));
    let mut columns = vec![
        (col("churned").is_null()).alias(RejectRule::new("churned", reason::MISSING).flag),
        unparsed(col("churned"), flag.clone())
            .alias(RejectRule::new("churned", reason::BAD_BOOL).flag),
    ];
    if ids {
        columns.push(
            col("customer_id")
                .is_null()
                .alias(RejectRule::new("customer_id", reason::MISSING).flag),
        );
        columns.push(
            when(col("customer_id").is_not_null())
                .then(flag)
                .otherwise(lit(NULL).cast(DataType::Boolean))
                .alias(CHURNED),
        );
    } else {
        columns.push(flag.alias(CHURNED));
    }
    lf.with_columns(columns)
}

/// Snapshot churn's metrics, one record each: rows with a known churn flag.
pub fn snapshot_metrics() -> Vec<Metric> {
    let churned = Partial::Count(Cond::IsTrue(CHURNED));
    vec![
        Metric::new("customers", Value::Count(Partial::Rows)),
        Metric::new("churned", Value::Count(churned.clone())),
        Metric::new(
            "churn_pct",
            Value::Pct {
                part: churned,
                whole: Partial::Rows,
            },
        ),
    ]
}

/// The rows snapshot churn counts: well-formed, with a known flag.
pub fn snapshot_rows(parsed: LazyFrame) -> LazyFrame {
    parsed.filter(col(CHURNED).is_not_null())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_noise_is_the_commands() {
        assert_eq!(MRR_NOISE_SQL.parse::<f64>().ok(), Some(MRR_NOISE));
        assert_eq!(mrr_change(299.97 / 3.0, 99.99), 0.0);
        assert_eq!(mrr_change(10.0, 10.5), 0.5);
    }

    fn span(customer: u32, start: i64, end: Option<i64>, mrr: f64) -> Span {
        Span {
            customer,
            start,
            end,
            mrr,
            key: 0,
        }
    }

    /// Every bucket walked for every customer, as the definition reads: what
    /// [`by_bucket`], walking only the buckets a customer touches, must equal.
    fn by_every_bucket(spans: &[Span], bounds: &[i64], n_keys: usize) -> Vec<Vec<Counts>> {
        let n = bounds.len().saturating_sub(1);
        let mut out = vec![vec![Counts::default(); n]; n_keys];
        let mut states: Vec<State> = Vec::new();
        for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
            states_at(customer, bounds, &mut states);
            let first = customer
                .iter()
                .min_by_key(|s| s.start)
                .map(|s| (s.start, s.key));
            for k in 0..n {
                add_bucket(&mut out, bounds, k, (states[k], states[k + 1]), first);
            }
        }
        out
    }

    proptest::proptest! {
        /// Walking only the buckets a customer touches gives every count and sum the
        /// walk of every bucket gives, with starts and ends on, between, before and
        /// after the bounds, spans of no length, gaps, overlaps and open ends, in two
        /// groups.
        #[test]
        fn only_the_buckets_touched_add_up_the_same(
            customers in proptest::collection::vec(
                proptest::collection::vec((0i64..12, proptest::option::of(0i64..8), 1u8..50, 0u32..2), 1..4),
                0..30,
            ),
        ) {
            let bounds = [2, 4, 6, 8, 10];
            let mut spans = Vec::new();
            for (c, list) in customers.iter().enumerate() {
                for &(start, length, mrr, key) in list {
                    spans.push(Span {
                        customer: c as u32,
                        start,
                        end: length.map(|l| start + l),
                        mrr: f64::from(mrr) / 7.0,
                        key,
                    });
                }
            }
            proptest::prop_assert_eq!(by_bucket(&spans, &bounds, 2), by_every_bucket(&spans, &bounds, 2));
        }
    }

    #[test]
    fn boundaries_are_half_open() {
        // Buckets [10, 20), [20, 30).
        let bounds = [10, 20, 30];
        let spans = vec![
            span(0, 0, Some(10), 1.0), // ends exactly at d0 of bucket 0: never active
            span(1, 0, Some(20), 2.0), // ends exactly at d1 of bucket 0: churned there
            span(2, 0, Some(15), 3.0), // B: back to back with the next span
            span(2, 15, None, 4.0),
            span(3, 12, Some(25), 5.0), // new in bucket 0, churned in bucket 1
        ];
        let c = by_bucket(&spans, &bounds, 1);
        assert_eq!(c[0][0].customers_start, 2); // customers 1 and 2
        assert_eq!(c[0][0].churned, 1); // customer 1
        assert_eq!(c[0][0].new_customers, 1); // customer 3
        assert_eq!(c[0][0].customers_end, 2); // customers 2 and 3
        assert_eq!(c[0][0].mrr_start, 5.0); // 2 + 3
                                            // Customer 1 churned (2); customer 2 went 3 → 4, no downsell.
        assert_eq!(c[0][0].mrr_churned, 2.0);
        assert_eq!(c[0][1].customers_start, 2);
        assert_eq!(c[0][1].churned, 1);
        assert_eq!(c[0][1].customers_end, 1);
    }
}
