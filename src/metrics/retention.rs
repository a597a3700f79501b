//! Retention views over subscription spans (SPEC §10), beside the per-bucket churn
//! counts of [`super::churn`] (whose MRR movement columns are in
//! [`super::churn::by_bucket`]).
//!
//! **Cohorts.** A customer's cohort is the bucket holding its first start; its group
//! that of its first span. At age k ≥ 0 the cohort is looked at the end of its k-th
//! bucket (the start of bucket cohort + k + 1): `active` customers, their `mrr`, and
//! `mrr_start` the cohort's MRR at age 0. Ages run while that moment is ≤ the last
//! moment measured (the window's end, else the data's latest date). A bucket where no
//! customer started is a cohort of 0 customers, so the triangle keeps its rows.
//!
//! **Survival** (Kaplan–Meier). A customer's lifetime runs from its first start to the
//! first moment it has no active subscription, gaps up to the grace bridged; a customer
//! still active at `now` is censored there. At each distinct lifetime t with n at risk
//! (lifetime ≥ t) and d ending, S ← S × (1 − d/n); Greenwood's sum V ← V + d/(n(n − d)).
//! The 95% band is the log(−log) one: S^exp(±1.96 √V / ln S) (as `lifelines`). The row
//! for month m gives S at m × 30.4375 days; `churned` and `censored` count lifetimes in
//! ((m − 1) × 30.4375, m × 30.4375] (m = 0: lifetimes of 0), `at_risk` those entering
//! that interval (all for m = 0), so each row's `at_risk` is the previous one's less
//! its `churned` and `censored`. The median lifetime is the first t with S(t) ≤ 0.5.

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use polars::prelude::*;

use super::churn::{date_column, group_columns, sorted_keys, states_at, Keys, Span, State};

/// The cohort column (bucket start dates, labelled like `period`).
pub const COHORT: &str = "cohort";
/// The columns of `--cohorts` after the group columns (the MRR ones need MRR).
pub const COHORT_COLUMNS: [&str; 8] = [
    COHORT,
    "age",
    "customers",
    "active",
    "retention_pct",
    "mrr_start",
    "mrr",
    "net_mrr_retention_pct",
];
/// The columns of `--survival` after the group columns.
pub const SURVIVAL_COLUMNS: [&str; 7] = [
    "month",
    "at_risk",
    "churned",
    "censored",
    "survival_pct",
    "survival_low95",
    "survival_high95",
];
/// The summary of `--survival` after the group columns.
pub const LIFETIME_COLUMNS: [&str; 3] = ["customers", "churned", "median_lifetime_months"];

/// Days per month for survival rows (a Julian year / 12).
pub const DAYS_PER_MONTH: f64 = 30.4375;
const DAY_MS: f64 = 86_400_000.0;
/// The normal quantile of a two-sided 95% band.
const Z95: f64 = 1.959_963_984_540_054;

/// One cohort at one age.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CohortCell {
    pub active: i64,
    pub mrr: f64,
}

/// One cohort of one group: its size and its cells by age.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cohort {
    pub customers: i64,
    pub ages: Vec<CohortCell>,
}

/// Cohorts per group key and cohort bucket. `bounds` are the n + 1 bucket boundaries;
/// `last` the last moment measured (UTC ms): age k is kept while `bounds[c + k + 1] ≤
/// last`. Customers whose first start is outside the buckets are left out. Result:
/// `[key][bucket]`, every bucket present for every key.
/// The rows [`cohorts`] gives: per group, each cohort's ages up to `last`, m(m+1)/2
/// for the m bucket ends reached by then (the square of the buckets, where the
/// buckets alone grow linearly).
pub fn cohort_rows(bounds: &[i64], n_keys: usize, last: i64) -> u128 {
    let ends = bounds.iter().skip(1).filter(|&&b| b <= last).count() as u128;
    n_keys as u128 * ends * (ends + 1) / 2
}

pub fn cohorts(spans: &[Span], bounds: &[i64], n_keys: usize, last: i64) -> Vec<Vec<Cohort>> {
    let n = bounds.len().saturating_sub(1);
    let ages_of = |c: usize| (c + 1..=n).take_while(|&b| bounds[b] <= last).count();
    // Every group has every bucket: one with no start in the window keeps its rows.
    let empty: Vec<Cohort> = (0..n)
        .map(|b| Cohort {
            customers: 0,
            ages: vec![CohortCell::default(); ages_of(b)],
        })
        .collect();
    let mut out: Vec<Vec<Cohort>> = vec![empty; n_keys];
    let mut states: Vec<State> = Vec::with_capacity(bounds.len());
    for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
        let Some(first) = customer.iter().min_by_key(|s| s.start) else {
            continue;
        };
        // The cohort bucket: the last boundary ≤ the first start.
        let c = bounds.partition_point(|&b| b <= first.start);
        if c == 0 || c > n {
            continue;
        }
        let c = c - 1;
        let cohort = &mut out[first.key as usize][c];
        cohort.customers += 1;
        let ages = cohort.ages.len();
        states_at(customer, &bounds[c + 1..c + 1 + ages], &mut states);
        for (cell, s) in cohort.ages.iter_mut().zip(&states) {
            if s.active {
                cell.active += 1;
                cell.mrr += s.mrr;
            }
        }
    }
    out
}

/// A customer's lifetime in days and whether it ended (false: censored at `now`).
/// `spans` are one customer's, sorted by start; `None` when it starts after `now`.
/// A gap is measured on the clock of `tz` (a week between two dates is 7 days, also
/// across a daylight-saving change), the lifetime in elapsed time.
pub fn lifetime(spans: &[Span], grace_ms: i64, now: i64, tz: Tz) -> Option<(f64, bool)> {
    let first = spans.first()?.start;
    if first > now {
        return None;
    }
    let bridged = |end: i64| crate::calendar::later_on_the_clock(end, grace_ms, tz);
    // The end of the covered stretch from the first start; None: open-ended.
    let mut end = spans[0].end;
    for s in &spans[1..] {
        match end {
            None => break,
            Some(e) if s.start <= bridged(e) => {
                end = s.end.map(|x| x.max(e));
            }
            Some(_) => break,
        }
    }
    Some(match end {
        Some(e) if e <= now => ((e - first) as f64 / DAY_MS, true),
        _ => ((now - first) as f64 / DAY_MS, false),
    })
}

/// One row of a survival table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalRow {
    pub month: i64,
    pub at_risk: i64,
    pub churned: i64,
    pub censored: i64,
    /// Percentages; the band is None where it is undefined (S = 0).
    pub survival: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Kaplan–Meier over `(days, ended)` lifetimes: the rows by month and the median
/// lifetime in months (None while S stays above 0.5).
pub fn survival(mut lifetimes: Vec<(f64, bool)>) -> (Vec<SurvivalRow>, Option<f64>) {
    lifetimes.sort_by(|a, b| a.0.total_cmp(&b.0));
    // The step function: (time, S after it, Greenwood sum after it) at each event time.
    let mut steps: Vec<(f64, f64, f64)> = Vec::new();
    let (mut s, mut v) = (1.0_f64, 0.0_f64);
    let mut median = None;
    let total = lifetimes.len();
    let mut i = 0;
    while i < total {
        let t = lifetimes[i].0;
        let at_risk = (total - i) as f64;
        let mut j = i;
        let mut ended = 0.0;
        while j < total && lifetimes[j].0 == t {
            if lifetimes[j].1 {
                ended += 1.0;
            }
            j += 1;
        }
        if ended > 0.0 {
            s *= 1.0 - ended / at_risk;
            v += if at_risk > ended {
                ended / (at_risk * (at_risk - ended))
            } else {
                f64::INFINITY
            };
            steps.push((t, s, v));
            // S is a product of many factors: exactly one half (0.8 × 7/8 × 6/7 × 5/6)
            // comes out a rounding above it, which is still the median.
            if median.is_none() && s <= 0.5 * (1.0 + 1e-9) {
                median = Some(t / DAYS_PER_MONTH);
            }
        }
        i = j;
    }
    let longest = lifetimes.last().map_or(0.0, |l| l.0);
    let months = (longest / DAYS_PER_MONTH).ceil().max(0.0) as i64;
    let mut rows = Vec::with_capacity(months as usize + 1);
    let (mut next, mut step) = (0usize, None::<(f64, f64, f64)>);
    for m in 0..=months {
        let t = m as f64 * DAYS_PER_MONTH;
        let from = if m == 0 {
            0
        } else {
            lifetimes.partition_point(|l| l.0 <= (m - 1) as f64 * DAYS_PER_MONTH)
        };
        let to = lifetimes.partition_point(|l| l.0 <= t);
        let ended = lifetimes[from..to].iter().filter(|l| l.1).count() as i64;
        while next < steps.len() && steps[next].0 <= t {
            step = Some(steps[next]);
            next += 1;
        }
        let (surv, low, high) = match step {
            None => (1.0, Some(1.0), Some(1.0)),
            Some((_, s, v)) => {
                let (low, high) = band(s, v);
                (s, low, high)
            }
        };
        rows.push(SurvivalRow {
            month: m,
            at_risk: (total - from) as i64,
            churned: ended,
            censored: (to - from) as i64 - ended,
            survival: 100.0 * surv,
            low: low.map(|x| 100.0 * x),
            high: high.map(|x| 100.0 * x),
        });
    }
    (rows, median)
}

/// The log(−log) 95% band of S with Greenwood sum V.
fn band(s: f64, v: f64) -> (Option<f64>, Option<f64>) {
    if s <= 0.0 || !v.is_finite() {
        return (None, None);
    }
    if s >= 1.0 {
        return (Some(1.0), Some(1.0));
    }
    let ln = s.ln();
    let spread = Z95 * v.sqrt() / ln;
    (Some(s.powf((-spread).exp())), Some(s.powf(spread.exp())))
}

/// Survival per group key: lifetimes of the customers whose first start is in
/// `[from, to)` (UTC ms), each in the group of its first span. `spans` sorted by
/// customer, then start. Also the count of customers starting after `now`.
pub fn lifetimes_by_key(
    spans: &[Span],
    grace_ms: i64,
    now: i64,
    from: i64,
    to: i64,
    tz: Tz,
) -> (HashMap<u32, Vec<(f64, bool)>>, usize) {
    let mut out: HashMap<u32, Vec<(f64, bool)>> = HashMap::new();
    let mut after_now = 0;
    for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
        let first = &customer[0];
        if first.start < from || first.start >= to {
            continue;
        }
        match lifetime(customer, grace_ms, now, tz) {
            Some(l) => out.entry(first.key).or_default().push(l),
            None => after_now += 1,
        }
    }
    (out, after_now)
}

fn pct(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| 100.0 * part / whole)
}

/// The tidy cohort rows: group columns, then [`COHORT_COLUMNS`] (without the MRR ones
/// when `with_mrr` is false), by group, cohort and age. A cohort none of whose ages
/// has come yet (the window ends inside its bucket) has one row, of age 0, with its
/// customers and nothing measured. Only the groups `shown` have rows.
pub fn cohort_frame(
    cohorts: &[Vec<Cohort>],
    shown: &[bool],
    keys: &Keys,
    group_by: &[String],
    starts: &[NaiveDate],
    with_mrr: bool,
) -> PolarsResult<DataFrame> {
    let order = sorted_keys(
        keys,
        (0..cohorts.len()).filter(|&k| !cohorts[k].is_empty() && shown.get(k) == Some(&true)),
    );
    // (key, cohort, age measured)
    let rows: Vec<(usize, usize, Option<usize>)> = order
        .iter()
        .flat_map(|&k| {
            cohorts[k].iter().enumerate().flat_map(move |(c, cohort)| {
                let ages: Vec<Option<usize>> = match cohort.ages.len() {
                    0 => vec![None],
                    n => (0..n).map(Some).collect(),
                };
                ages.into_iter().map(move |a| (k, c, a))
            })
        })
        .collect();
    let row_keys: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let mut out = group_columns(keys, group_by, &row_keys);
    out.push(date_column(
        COHORT,
        rows.iter().map(|&(_, c, _)| starts[c]),
    )?);
    type Row = (usize, usize, Option<usize>);
    let cohort = |&(k, c, _): &Row| &cohorts[k][c];
    let cell = |&(k, c, a): &Row| a.map(|a| cohorts[k][c].ages[a]);
    out.push(Column::new(
        "age".into(),
        rows.iter()
            .map(|r| r.2.unwrap_or(0) as i64)
            .collect::<Vec<_>>(),
    ));
    out.push(Column::new(
        "customers".into(),
        rows.iter().map(|r| cohort(r).customers).collect::<Vec<_>>(),
    ));
    out.push(Column::new(
        "active".into(),
        rows.iter()
            .map(|r| cell(r).map(|c| c.active))
            .collect::<Vec<_>>(),
    ));
    out.push(Column::new(
        "retention_pct".into(),
        rows.iter()
            .map(|r| pct(cell(r)?.active as f64, cohort(r).customers as f64))
            .collect::<Vec<_>>(),
    ));
    if with_mrr {
        let start = |r: &Row| cohort(r).ages.first().map(|a| a.mrr);
        out.push(Column::new(
            "mrr_start".into(),
            rows.iter().map(start).collect::<Vec<_>>(),
        ));
        out.push(Column::new(
            "mrr".into(),
            rows.iter()
                .map(|r| cell(r).map(|c| c.mrr))
                .collect::<Vec<_>>(),
        ));
        out.push(Column::new(
            "net_mrr_retention_pct".into(),
            rows.iter()
                .map(|r| pct(cell(r)?.mrr, start(r)?))
                .collect::<Vec<_>>(),
        ));
    }
    DataFrame::new_infer_height(out)
}

/// Survival rows per group ([`SURVIVAL_COLUMNS`]) and the per-group summary
/// ([`LIFETIME_COLUMNS`]).
pub fn survival_frames(
    lifetimes: HashMap<u32, Vec<(f64, bool)>>,
    keys: &Keys,
    group_by: &[String],
) -> PolarsResult<(DataFrame, DataFrame)> {
    let order = sorted_keys(keys, lifetimes.keys().map(|&k| k as usize));
    let mut rows: Vec<(usize, SurvivalRow)> = Vec::new();
    let mut summary: Vec<(usize, i64, i64, Option<f64>)> = Vec::new();
    let mut lifetimes = lifetimes;
    for k in order {
        let l = lifetimes.remove(&(k as u32)).unwrap_or_default();
        let (n, ended) = (l.len() as i64, l.iter().filter(|x| x.1).count() as i64);
        let (table, median) = survival(l);
        rows.extend(table.into_iter().map(|r| (k, r)));
        summary.push((k, n, ended, median));
    }
    let row_keys: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let mut out = group_columns(keys, group_by, &row_keys);
    let int = |name: &str, f: fn(&SurvivalRow) -> i64| {
        Column::new(
            name.into(),
            rows.iter().map(|r| f(&r.1)).collect::<Vec<_>>(),
        )
    };
    let float = |name: &str, f: fn(&SurvivalRow) -> Option<f64>| {
        Column::new(
            name.into(),
            rows.iter().map(|r| f(&r.1)).collect::<Vec<_>>(),
        )
    };
    out.extend([
        int("month", |r| r.month),
        int("at_risk", |r| r.at_risk),
        int("churned", |r| r.churned),
        int("censored", |r| r.censored),
        float("survival_pct", |r| Some(r.survival)),
        float("survival_low95", |r| r.low),
        float("survival_high95", |r| r.high),
    ]);
    let summary_keys: Vec<usize> = summary.iter().map(|s| s.0).collect();
    let mut sum = group_columns(keys, group_by, &summary_keys);
    sum.extend([
        Column::new(
            "customers".into(),
            summary.iter().map(|s| s.1).collect::<Vec<_>>(),
        ),
        Column::new(
            "churned".into(),
            summary.iter().map(|s| s.2).collect::<Vec<_>>(),
        ),
        Column::new(
            "median_lifetime_months".into(),
            summary.iter().map(|s| s.3).collect::<Vec<_>>(),
        ),
    ]);
    Ok((
        DataFrame::new_infer_height(out)?,
        DataFrame::new_infer_height(sum)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: i64 = 86_400_000;

    fn span(customer: u32, start: i64, end: Option<i64>, mrr: f64) -> Span {
        Span {
            customer,
            start: start * D,
            end: end.map(|e| e * D),
            mrr,
            key: 0,
        }
    }

    #[test]
    fn lifetimes_bridge_gaps_up_to_the_grace() {
        let s = [span(0, 0, Some(10), 1.0), span(0, 13, Some(20), 1.0)];
        assert_eq!(lifetime(&s, 0, 100 * D, Tz::UTC), Some((10.0, true)));
        assert_eq!(lifetime(&s, 3 * D, 100 * D, Tz::UTC), Some((20.0, true)));
        // Still running at now: censored at now.
        let open = [span(0, 5, None, 1.0)];
        assert_eq!(lifetime(&open, 0, 15 * D, Tz::UTC), Some((10.0, false)));
        // Ends after now: censored.
        let later = [span(0, 5, Some(30), 1.0)];
        assert_eq!(lifetime(&later, 0, 15 * D, Tz::UTC), Some((10.0, false)));
        assert_eq!(lifetime(&later, 0, 4 * D, Tz::UTC), None);
        // Seven days between two Berlin midnights across the autumn change (20 to 27
        // October 2025) are 7 days and 1 hour of elapsed time: within a week's grace.
        let berlin_midnight = |day: i64| (day * D) - 2 * 3_600_000;
        let oct20 = 20_381; // 2025-10-20 as days since 1970
        let gap = [
            Span {
                end: Some(berlin_midnight(oct20)),
                ..span(0, 0, None, 1.0)
            },
            Span {
                start: berlin_midnight(oct20 + 7) + 3_600_000,
                end: Some(berlin_midnight(oct20 + 30) + 3_600_000),
                ..span(0, 0, None, 1.0)
            },
        ];
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let (days, ended) = lifetime(&gap, 7 * D, 60_000 * D, berlin).unwrap();
        assert!(ended);
        assert!((days - (oct20 + 30) as f64).abs() < 0.1, "{days}");
        assert!(lifetime(&gap, 7 * D, 60_000 * D, Tz::UTC).unwrap().0 < 20_400.0);
        // A day after 02:30 on the eve of the spring change (29 March 2025, Berlin) is
        // 02:30 on the 30th, which the clocks skip: 03:30, 24 hours on, when the next
        // subscription starts. Bridged.
        let hour = 3_600_000;
        let mar29 = 20_176; // 2025-03-29 as days since 1970
        let spring = [
            Span {
                end: Some(mar29 * D + hour + hour / 2), // 02:30 CET
                ..span(0, 0, None, 1.0)
            },
            Span {
                start: (mar29 + 1) * D + hour + hour / 2, // 03:30 CEST
                end: Some((mar29 + 40) * D),
                ..span(0, 0, None, 1.0)
            },
        ];
        let (days, _) = lifetime(&spring, D, 60_000 * D, berlin).unwrap();
        assert_eq!(days, (mar29 + 40) as f64);
    }

    #[test]
    fn kaplan_meier_by_hand() {
        // Lifetimes (days): 10 ended, 10 ended, 20 censored, 40 ended, 50 censored.
        // t=10: n=5, d=2 → S = 0.6, V = 2/(5·3) = 2/15.
        // t=40: n=2, d=1 → S = 0.3, V = 2/15 + 1/(2·1) = 19/30.
        let l = vec![
            (10.0, true),
            (20.0, false),
            (10.0, true),
            (40.0, true),
            (50.0, false),
        ];
        let (rows, median) = survival(l);
        assert_eq!(rows.len(), 3); // months 0, 1 (30.4375 d), 2 (60.875 d)
        assert_eq!(
            (rows[0].at_risk, rows[0].churned, rows[0].censored),
            (5, 0, 0)
        );
        assert_eq!(rows[0].survival, 100.0);
        assert_eq!(
            (rows[1].at_risk, rows[1].churned, rows[1].censored),
            (5, 2, 1)
        );
        assert!((rows[1].survival - 60.0).abs() < 1e-12);
        assert_eq!(
            (rows[2].at_risk, rows[2].churned, rows[2].censored),
            (2, 1, 1)
        );
        assert!((rows[2].survival - 30.0).abs() < 1e-12);
        // Band at S = 0.6, V = 2/15: 0.6^exp(∓1.96 √V / ln 0.6).
        let spread = Z95 * (2.0f64 / 15.0).sqrt() / 0.6f64.ln();
        let low = 100.0 * 0.6f64.powf((-spread).exp());
        assert!((rows[1].low.unwrap_or(0.0) - low).abs() < 1e-9);
        assert!(rows[1].low < Some(60.0) && rows[1].high > Some(60.0));
        // S first ≤ 0.5 at t = 40 days.
        assert!((median.unwrap_or(0.0) - 40.0 / DAYS_PER_MONTH).abs() < 1e-12);
    }

    /// S reaches exactly one half at day 4 (10 customers: 2 end on day 1, one each on
    /// days 2, 3 and 4, five still running at day 4: 0.8 × 7/8 × 6/7 × 5/6 = 1/2),
    /// which floats compute a rounding above it: the median is day 4, not a later
    /// ending (day 45 here).
    #[test]
    fn survival_exactly_one_half_is_the_median() {
        let mut l = vec![
            (1.0, true),
            (1.0, true),
            (2.0, true),
            (3.0, true),
            (4.0, true),
        ];
        l.extend([(4.0, false); 4]);
        l.push((45.0, true));
        let (_, median) = survival(l);
        assert!(
            (median.unwrap_or(0.0) - 4.0 / DAYS_PER_MONTH).abs() < 1e-12,
            "{median:?}"
        );
    }

    #[test]
    fn cohorts_by_hand() {
        // Buckets [0,10), [10,20), [20,30); measured to day 25.
        let bounds = [0, 10 * D, 20 * D, 30 * D];
        let spans = vec![
            span(0, 2, Some(15), 5.0), // cohort 0: active at 10, gone at 20
            span(1, 3, None, 7.0),     // cohort 0: active throughout
            span(2, 12, None, 4.0),    // cohort 1
        ];
        let c = cohorts(&spans, &bounds, 1, 25 * D);
        // Cohort 0: ages at 10 and 20 (30 > 25).
        assert_eq!(c[0][0].customers, 2);
        assert_eq!(c[0][0].ages.len(), 2);
        assert_eq!(
            c[0][0].ages[0],
            CohortCell {
                active: 2,
                mrr: 12.0
            }
        );
        assert_eq!(
            c[0][0].ages[1],
            CohortCell {
                active: 1,
                mrr: 7.0
            }
        );
        assert_eq!(c[0][1].customers, 1);
        assert_eq!(
            c[0][1].ages,
            vec![CohortCell {
                active: 1,
                mrr: 4.0
            }]
        );
        // The last bucket: an empty cohort with no age yet.
        assert_eq!(c[0][2], Cohort::default());
    }
}
