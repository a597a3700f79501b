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
//! With `--by`, a customer belongs at each instant to the group of its span active then
//! (the latest-started one when several are): `customers_start`, `churned` and the MRR
//! columns use the group held at d0, `customers_end` the group at d1, `new_customers`
//! the group of the first span.
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
    fn active_at(&self, d: i64) -> bool {
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
}

/// The state of one customer at one boundary.
#[derive(Clone, Copy)]
struct State {
    active: bool,
    mrr: f64,
    key: u32,
}

/// Per group key and bucket, the churn counts. `bounds` are the n + 1 bucket boundaries
/// (UTC ms, ascending); `spans` must be sorted by customer. Result: `[key][bucket]`.
pub fn by_bucket(spans: &[Span], bounds: &[i64], n_keys: usize) -> Vec<Vec<Counts>> {
    let n = bounds.len().saturating_sub(1);
    let mut out = vec![vec![Counts::default(); n]; n_keys];
    let mut states: Vec<State> = Vec::with_capacity(bounds.len());
    for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
        states.clear();
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
            states.push(s);
        }
        let first = customer
            .iter()
            .min_by_key(|s| s.start)
            .map(|s| (s.start, s.key));
        for k in 0..n {
            let (s0, s1) = (states[k], states[k + 1]);
            if s0.active {
                let c = &mut out[s0.key as usize][k];
                c.customers_start += 1;
                c.mrr_start += s0.mrr;
                if s1.active {
                    c.mrr_churned += (s0.mrr - s1.mrr).max(0.0);
                } else {
                    c.churned += 1;
                    c.mrr_churned += s0.mrr;
                }
            }
            if s1.active {
                out[s1.key as usize][k].customers_end += 1;
            }
            if let Some((start, key)) = first {
                if bounds[k] <= start && start < bounds[k + 1] {
                    out[key as usize][k].new_customers += 1;
                }
            }
        }
    }
    out
}

/// The metric columns of subscription or activity churn.
pub fn metric_columns(with_mrr: bool) -> Vec<String> {
    let mut cols: Vec<String> = [
        "customers_start",
        "churned",
        "churn_pct",
        "retention_pct",
        "new_customers",
        "customers_end",
    ]
    .map(String::from)
    .to_vec();
    if with_mrr {
        cols.extend(["mrr_start", "mrr_churned", "mrr_churn_pct"].map(String::from));
    }
    cols
}

/// The result frame: group columns, `period` (bucket start dates), then the metrics.
/// Every bucket appears for every group that has any count in the range; without
/// groups every bucket appears.
pub fn frame(
    counts: &[Vec<Counts>],
    keys: &Keys,
    group_by: &[String],
    starts: &[NaiveDate],
    with_mrr: bool,
) -> PolarsResult<DataFrame> {
    let mut order: Vec<usize> = (0..counts.len())
        .filter(|&k| {
            group_by.is_empty()
                || counts[k]
                    .iter()
                    .any(|c| c.customers_start + c.new_customers + c.customers_end > 0)
        })
        .collect();
    // Keys sorted with nulls last, as the other commands sort.
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
    let rows: Vec<(usize, usize)> = order
        .iter()
        .flat_map(|&k| (0..starts.len()).map(move |b| (k, b)))
        .collect();
    let mut columns: Vec<Column> = Vec::new();
    for (i, name) in group_by.iter().enumerate() {
        let values: Vec<Option<&str>> = rows
            .iter()
            .map(|&(k, _)| keys.values[k].get(i).and_then(|v| v.as_deref()))
            .collect();
        columns.push(Column::new(name.as_str().into(), values));
    }
    let epoch = NaiveDate::default();
    let days: Vec<i32> = rows
        .iter()
        .map(|&(_, b)| (starts[b] - epoch).num_days() as i32)
        .collect();
    columns.push(Column::new(super::PERIOD.into(), days).cast(&DataType::Date)?);
    let get = |f: &dyn Fn(&Counts) -> i64| -> Vec<i64> {
        rows.iter().map(|&(k, b)| f(&counts[k][b])).collect()
    };
    let start = get(&|c| c.customers_start);
    let churned = get(&|c| c.churned);
    let churn_pct: Vec<Option<f64>> = start
        .iter()
        .zip(&churned)
        .map(|(&s, &c)| (s > 0).then(|| 100.0 * c as f64 / s as f64))
        .collect();
    let retention: Vec<Option<f64>> = churn_pct.iter().map(|p| p.map(|p| 100.0 - p)).collect();
    columns.push(Column::new("customers_start".into(), start));
    columns.push(Column::new("churned".into(), churned));
    columns.push(Column::new("churn_pct".into(), churn_pct));
    columns.push(Column::new("retention_pct".into(), retention));
    columns.push(Column::new(
        "new_customers".into(),
        get(&|c| c.new_customers),
    ));
    columns.push(Column::new(
        "customers_end".into(),
        get(&|c| c.customers_end),
    ));
    if with_mrr {
        let mrr: Vec<(f64, f64)> = rows
            .iter()
            .map(|&(k, b)| (counts[k][b].mrr_start, counts[k][b].mrr_churned))
            .collect();
        let share: Vec<Option<f64>> = mrr
            .iter()
            .map(|&(s, c)| (s > 0.0).then(|| 100.0 * c / s))
            .collect();
        columns.push(Column::new(
            "mrr_start".into(),
            mrr.iter().map(|m| m.0).collect::<Vec<_>>(),
        ));
        columns.push(Column::new(
            "mrr_churned".into(),
            mrr.iter().map(|m| m.1).collect::<Vec<_>>(),
        ));
        columns.push(Column::new("mrr_churn_pct".into(), share));
    }
    DataFrame::new_infer_height(columns)
}

/// Where spans come from.
#[derive(Debug, Clone)]
pub enum SpanSource {
    /// `start_date` .. `end_date` (formats of each), with `mrr` when mapped.
    Subscriptions {
        start: TsFormat,
        end: Option<TsFormat>,
        mrr: bool,
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
        SpanSource::Subscriptions { end, mrr, .. } => {
            rules.push(RejectRule::new("start_date", reason::MISSING));
            rules.push(RejectRule::new("start_date", reason::BAD_TIMESTAMP));
            if end.is_some() {
                rules.push(RejectRule::new("end_date", reason::BAD_TIMESTAMP));
                rules.push(RejectRule::new("end_date", reason::ENDS_BEFORE_START));
            }
            if *mrr {
                rules.push(RejectRule::new("mrr", reason::BAD_NUMBER));
                rules.push(RejectRule::new("mrr", reason::NEGATIVE_VALUE));
            }
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
        SpanSource::Subscriptions { start, end, mrr } => {
            let mut parsed = vec![start.to_epoch_ms(col("start_date"), tz).alias(START_MS)];
            parsed.push(match end {
                Some(f) => f.to_epoch_ms(col("end_date"), tz).alias(END_MS),
                None => lit(NULL).cast(DataType::Int64).alias(END_MS),
            });
            parsed.push(if *mrr {
                super::finite_number(col("mrr")).alias(MRR)
            } else {
                lit(0.0).alias(MRR)
            });
            flags.push(
                col("start_date")
                    .is_null()
                    .alias(RejectRule::new("start_date", reason::MISSING).flag),
            );
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
            if *mrr {
                let bad = unparsed(col("mrr"), col(MRR));
                let negative = col(MRR).lt(lit(0.0)).fill_null(false);
                flags.push(
                    bad.clone()
                        .alias(RejectRule::new("mrr", reason::BAD_NUMBER).flag),
                );
                flags.push(
                    negative
                        .clone()
                        .alias(RejectRule::new("mrr", reason::NEGATIVE_VALUE).flag),
                );
                ok = ok.and(bad.not()).and(negative.not());
            }
            lf.with_columns(parsed)
        }
        SpanSource::Activity { event, window_ms } => {
            let t = event.to_epoch_ms(col("event_at"), tz);
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
            lf.with_columns([t.clone().alias(START_MS)]).with_columns([
                (col(START_MS) + lit(*window_ms)).alias(END_MS),
                lit(0.0).alias(MRR),
            ])
        }
    };
    flags.push(ok.alias(ROW_OK));
    lf.with_columns(flags)
}

/// Parse a churn flag: yes/no, true/false, 1/0, y/n, t/f, churned/active (any case).
pub fn churn_flag(raw: Expr) -> Expr {
    word_flag(
        raw,
        &[
            "yes",
            "y",
            "true",
            "t",
            "1",
            "1.0",
            "churned",
            "churn",
            "lost",
            "cancelled",
            "canceled",
        ],
        &[
            "no", "n", "false", "f", "0", "0.0", "active", "retained", "stayed", "current",
        ],
    )
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
    }
}

/// `--verbose` for a snapshot: used with a known flag, rejected with a bad one or no
/// customer, else (a blank flag) not counted.
pub fn snapshot_categories() -> Categories {
    let used = col(CHURNED).is_not_null();
    let flagged = snapshot_rules()
        .iter()
        .map(|r| col(r.flag.as_str()))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    Categories {
        used: used.clone(),
        rejected: used.clone().not().and(flagged.clone()),
        duplicates: None,
        empty: Some((used.not().and(flagged.not()), "without a churn flag")),
        outside: None,
    }
}

/// The reject rule of snapshot churn.
pub fn snapshot_rules() -> Vec<RejectRule> {
    vec![
        RejectRule::new("customer_id", reason::MISSING),
        RejectRule::new("churned", reason::BAD_BOOL),
    ]
}

/// Snapshot churn: parse the flag, then `customers, churned, churn_pct` per group.
/// Rows with a missing customer or an unknown flag are rejected and left out.
pub fn snapshot_parse(lf: LazyFrame) -> LazyFrame {
    let flag = churn_flag(col("churned"));
    lf.with_columns([
        when(col("customer_id").is_not_null())
            .then(flag.clone())
            .otherwise(lit(NULL).cast(DataType::Boolean))
            .alias(CHURNED),
        col("customer_id")
            .is_null()
            .alias(RejectRule::new("customer_id", reason::MISSING).flag),
        unparsed(col("churned"), flag).alias(RejectRule::new("churned", reason::BAD_BOOL).flag),
    ])
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

    fn span(customer: u32, start: i64, end: Option<i64>, mrr: f64) -> Span {
        Span {
            customer,
            start,
            end,
            mrr,
            key: 0,
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
