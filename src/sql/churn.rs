//! The subscription churn query: each customer's state at each bucket's bounds (the
//! logic of [`crate::metrics::churn::by_bucket`]), its tallies per group and bucket,
//! then the bucket metric records of [`crate::metrics::churn::bucket_metrics`].
//!
//! The table: `customer_id`, `start_date` and `end_date` (dates; an empty end is a
//! running subscription) and by default `mrr` (a number). Dates are local dates in
//! `--tz`, as the command reads a date without a time. The buckets come from the
//! window, which is needed: they are listed in the query.

use chrono::Duration;

use crate::calendar::{self, Every};
use crate::error::Result;
use crate::metrics::churn::{bucket_metrics, BucketValue, Columns, Tally, MRR_NOISE_SQL};

use super::dialect::Dialect;
use super::{group_keys, header, optional_columns, select_list, terminator, SqlRequest};

const KNOWN: &[&str] = &["mrr"];
const DEFAULT: &[&str] = &["mrr"];

/// Most buckets a query lists.
const MAX_BUCKETS: usize = 1000;

pub fn query(req: &SqlRequest) -> Result<String> {
    let d = req.dialect;
    let scope = &req.scope;
    let with_mrr = optional_columns(req, KNOWN, DEFAULT)?
        .iter()
        .any(|c| c == "mrr");
    let (Some(since), Some(until)) = (scope.window.since, scope.window.until) else {
        return Err(crate::usage_err!(
            "cxm sql churn lists its buckets in the query: give --since and --until, or --period"
        ));
    };
    if req.movements && !with_mrr {
        return Err(crate::usage_err!(
            "--movements needs MRR: the table's mrr column (--columns mrr)"
        ));
    }
    let every = scope.every.unwrap_or(Every::Month);
    let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&scope.tz).date_naive();
    let starts = calendar::bucket_starts_between(
        local(since),
        local(until - Duration::milliseconds(1)),
        every,
        MAX_BUCKETS,
    )
    .ok_or_else(|| {
        crate::usage_err!(
            "the window holds more than {MAX_BUCKETS} buckets: give a coarser --every"
        )
    })?;
    let metrics = bucket_metrics(Columns {
        mrr: with_mrr,
        movements: req.movements,
    });
    let names: Vec<String> = metrics.iter().map(|m| m.name.to_string()).collect();
    let group_keys = group_keys(d, &scope.by, &names, true)?;
    let keys = &group_keys.inner;

    let mut q = header(req);
    // The buckets: label, first day, first day of the next.
    let rows: Vec<String> = starts
        .iter()
        .map(|&s| {
            let next = calendar::following_bucket(s, every);
            format!(
                "SELECT {} AS period, {} AS d0, {} AS d1",
                d.string(&calendar::bucket_label(s, every)),
                d.date(s),
                d.date(next)
            )
        })
        .collect();
    q.push_str("WITH buckets AS (\n  ");
    q.push_str(&rows.join("\n  UNION ALL "));
    q.push_str("\n),\n");

    // The spans, as the command keeps them: a row with a rejected value is left out.
    let mut span_cols = vec![
        format!("{} AS customer_id", d.id_key("customer_id")),
        "start_date AS s".to_string(),
        // An end from 2100 on is "never" (`9999-12-31`), as the command reads it.
        format!(
            "CASE WHEN end_date < {} THEN end_date END AS e",
            d.date(chrono::NaiveDate::from_ymd_opt(2100, 1, 1).unwrap_or_default())
        ),
        if with_mrr {
            format!("COALESCE({}, 0) AS mrr", d.float_or_null("mrr"))
        } else {
            "0 AS mrr".to_string()
        },
    ];
    span_cols.extend(
        keys.iter()
            .zip(&scope.by)
            .map(|(k, raw)| match raw.as_str() {
                "customer_id" => format!("{} AS {k}", d.id_key(raw)),
                _ => format!("{} AS {k}", d.group_key(raw)),
            }),
    );
    // Dates from 1900 on (a start before 2100), as the command reads them.
    let day = |y| d.date(chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default());
    let mut kept = vec![
        format!("{} IS NOT NULL", d.group_key("customer_id")),
        "start_date IS NOT NULL".to_string(),
        format!("start_date >= {} AND start_date < {}", day(1900), day(2100)),
        format!("(end_date IS NULL OR end_date >= {})", day(1900)),
        "(end_date IS NULL OR end_date >= start_date)".to_string(),
    ];
    // `infinity` dates are rows the command rejects (their text is no date).
    kept.extend(d.finite("start_date"));
    kept.extend(
        d.finite("end_date")
            .map(|f| format!("(end_date IS NULL OR {f})")),
    );
    if with_mrr {
        let mrr = d.float_or_null("mrr");
        kept.push(format!(
            "({mrr} IS NULL OR ({mrr} >= 0 AND {mrr} <= {}))",
            d.number(crate::metrics::MOST_MONEY)
        ));
    }
    q.push_str("spans AS (\n");
    q.push_str(&select_list(&span_cols));
    q.push_str(&format!("  FROM {}\n", req.table));
    q.push_str(&format!("  WHERE {}\n),\n", kept.join("\n    AND ")));

    // Each span against each bucket: active at d0, at d1; a customer's group at a
    // bound is that of its latest-started span active then, and its first span's.
    let active =
        |bound: &str| format!("(sp.s <= b.{bound} AND (sp.e IS NULL OR sp.e > b.{bound}))");
    let mut marked = vec![
        "b.period".to_string(),
        "b.d0".to_string(),
        "b.d1".to_string(),
        "sp.customer_id".to_string(),
        "sp.s".to_string(),
        "sp.mrr".to_string(),
        format!("{} AS at0", active("d0")),
        format!("{} AS at1", active("d1")),
    ];
    // Spans starting the same day are ordered by their group as groups sort in the
    // output (byte order, blanks last), as the command orders them: at a bound, the
    // one whose group sorts last; the first span, the one whose group sorts first.
    // The whole key orders each key column, so that a customer's columns come from
    // one span.
    let sort_keys: Vec<(String, String)> = keys
        .iter()
        .map(|k| {
            let blank = format!("CASE WHEN sp.{k} IS NULL THEN 1 ELSE 0 END");
            let value = if d == Dialect::Postgres {
                format!("sp.{k} COLLATE \"C\"")
            } else {
                format!("sp.{k}")
            };
            (blank, value)
        })
        .collect();
    let ascending: Vec<String> = sort_keys
        .iter()
        .map(|(blank, value)| format!("{blank}, {value}"))
        .collect();
    let descending: Vec<String> = sort_keys
        .iter()
        .map(|(blank, value)| format!("{blank} DESC, {value} DESC"))
        .collect();
    for k in keys {
        let latest_active = |bound: &str| {
            format!(
                "CASE WHEN {} THEN 1 ELSE 0 END DESC, sp.s DESC, {}",
                active(bound),
                descending.join(", ")
            )
        };
        for (suffix, order) in [
            ("0", latest_active("d0")),
            ("1", latest_active("d1")),
            ("_first", format!("sp.s, {}", ascending.join(", "))),
        ] {
            marked.push(format!(
                "FIRST_VALUE(sp.{k}) OVER (PARTITION BY b.period, sp.customer_id ORDER BY {order} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS {}",
                suffixed(k, suffix)
            ));
        }
    }
    q.push_str("marked AS (\n");
    q.push_str(&select_list(&marked));
    q.push_str("  FROM buckets AS b CROSS JOIN spans AS sp\n),\n");

    // Each customer's state in each bucket.
    let mut state_keys = vec![
        "period".to_string(),
        "d0".to_string(),
        "d1".to_string(),
        "customer_id".to_string(),
    ];
    for k in keys {
        for suffix in ["0", "1", "_first"] {
            state_keys.push(suffixed(k, suffix));
        }
    }
    let mut states = state_keys.clone();
    states.extend([
        "MAX(CASE WHEN at0 THEN 1 ELSE 0 END) AS active0".to_string(),
        "MAX(CASE WHEN at1 THEN 1 ELSE 0 END) AS active1".to_string(),
        "SUM(CASE WHEN at0 THEN mrr ELSE 0 END) AS mrr0".to_string(),
        "SUM(CASE WHEN at1 THEN mrr ELSE 0 END) AS mrr1".to_string(),
        "MIN(s) AS first_start".to_string(),
    ]);
    q.push_str("states AS (\n");
    q.push_str(&select_list(&states));
    q.push_str("  FROM marked\n");
    q.push_str(&format!("  GROUP BY {}\n),\n", state_keys.join(", ")));

    // What each customer adds to its group's tallies: at d0 (in its group then), at
    // d1 (its group then), and as a new customer (its first span's group).
    // A change within the command's noise is none (`metrics::churn::mrr_change`).
    let change =
        format!("CASE WHEN ABS(mrr1 - mrr0) < {MRR_NOISE_SQL} THEN 0 ELSE mrr1 - mrr0 END");
    let owned = |adds: &[(Tally, &str)]| -> Vec<(Tally, String)> {
        adds.iter()
            .map(|(t, e)| (*t, e.replace("{change}", &change)))
            .collect()
    };
    let roles: [Role; 3] = [
        Role {
            suffix: "0",
            when: "active0 = 1",
            adds: owned(&[
                (Tally::CustomersStart, "1"),
                (Tally::Churned, "CASE WHEN active1 = 1 THEN 0 ELSE 1 END"),
                (Tally::MrrStart, "mrr0"),
                (
                    Tally::MrrChurned,
                    "CASE WHEN active1 = 1 THEN GREATEST(-({change}), 0) ELSE mrr0 END",
                ),
                (
                    Tally::MrrExpansion,
                    "CASE WHEN active1 = 1 THEN GREATEST({change}, 0) ELSE 0 END",
                ),
                (
                    Tally::MrrContraction,
                    "CASE WHEN active1 = 1 THEN GREATEST(-({change}), 0) ELSE 0 END",
                ),
                (Tally::MrrLost, "CASE WHEN active1 = 1 THEN 0 ELSE mrr0 END"),
            ]),
        },
        Role {
            suffix: "1",
            when: "active1 = 1",
            adds: owned(&[
                (Tally::CustomersEnd, "1"),
                (Tally::MrrEnd, "mrr1"),
                (
                    Tally::Reactivated,
                    "CASE WHEN active0 = 0 AND first_start < d0 THEN 1 ELSE 0 END",
                ),
                (
                    Tally::MrrReactivation,
                    "CASE WHEN active0 = 0 AND first_start < d0 THEN mrr1 ELSE 0 END",
                ),
                (
                    Tally::MrrNew,
                    "CASE WHEN active0 = 0 AND first_start >= d0 THEN mrr1 ELSE 0 END",
                ),
            ]),
        },
        Role {
            suffix: "_first",
            when: "first_start >= d0 AND first_start < d1",
            adds: owned(&[(Tally::NewCustomers, "1")]),
        },
    ];
    let all = ALL_TALLIES;
    let mut parts = Vec::new();
    for Role { suffix, when, adds } in &roles {
        let mut cols: Vec<String> = keys
            .iter()
            .map(|k| format!("{} AS {k}", suffixed(k, suffix)))
            .collect();
        cols.push("period".into());
        for t in all {
            let add = adds
                .iter()
                .find(|(x, _)| x == t)
                .map_or("0", |(_, e)| e.as_str());
            cols.push(format!("{add} AS {}", t.name()));
        }
        parts.push(format!(
            "{}  FROM states\n  WHERE {when}\n",
            select_list(&cols)
        ));
    }
    // A zero row for every group seen in the range (a subscription active within its
    // buckets, one adding no count too, or a count) and bucket: each group shows
    // every bucket.
    let mut zero: Vec<String> = keys.iter().map(|k| format!("g.{k}")).collect();
    zero.push("b.period".into());
    zero.extend(all.iter().map(|t| format!("0 AS {}", t.name())));
    let groups_from = if keys.is_empty() {
        "  FROM buckets AS b\n".to_string()
    } else {
        "  FROM (SELECT DISTINCT {K} FROM (SELECT {K} FROM spans WHERE s <= (SELECT MAX(d1) FROM buckets) AND (e IS NULL OR (e > (SELECT MIN(d0) FROM buckets) AND e > s)) UNION ALL SELECT {K} FROM contributions) AS seen) AS g CROSS JOIN buckets AS b\n"
            .replace("{K}", &keys.join(", "))
    };
    q.push_str("contributions AS (\n");
    q.push_str(&parts.join("  UNION ALL\n"));
    q.push_str("),\nfilled AS (\n  SELECT * FROM contributions\n  UNION ALL\n");
    q.push_str(&select_list(&zero));
    q.push_str(&groups_from);
    q.push_str("),\ntallies AS (\n");
    let mut group: Vec<String> = keys.to_vec();
    group.push("period".into());
    let mut sums = group.clone();
    sums.extend(all.iter().map(|t| format!("SUM({n}) AS {n}", n = t.name())));
    q.push_str(&select_list(&sums));
    q.push_str("  FROM filled\n");
    q.push_str(&format!("  GROUP BY {}\n)\n", group.join(", ")));

    let mut out = group_keys.named();
    out.push("period".into());
    for m in metrics {
        out.push(format!("{} AS {}", value(d, &m.value), d.ident(m.name)));
    }
    q.push_str(&format!("SELECT\n  {}\n", out.join(",\n  ")));
    q.push_str("FROM tallies\n");
    // Qualified: a bare name could be an output column's (`cxm_k0` naming another key).
    let mut order: Vec<String> = (keys.iter())
        .map(|k| d.order_key(&format!("tallies.{k}"), true))
        .collect();
    order.push("tallies.period".into());
    q.push_str(&format!("ORDER BY {}", order.join(", ")));
    q.push_str(terminator(req));
    Ok(q)
}

/// What a customer in one role adds to its group's tallies: its group then (the key
/// column's suffix), when it has the role, and the tallies it adds to (others: 0).
struct Role {
    suffix: &'static str,
    when: &'static str,
    adds: Vec<(Tally, String)>,
}

const ALL_TALLIES: &[Tally] = &[
    Tally::CustomersStart,
    Tally::Churned,
    Tally::NewCustomers,
    Tally::CustomersEnd,
    Tally::MrrStart,
    Tally::MrrChurned,
    Tally::MrrEnd,
    Tally::MrrNew,
    Tally::MrrReactivation,
    Tally::MrrExpansion,
    Tally::MrrContraction,
    Tally::MrrLost,
    Tally::Reactivated,
];

/// A group key's column at a bound: `cxm_k0_0`, `cxm_k0_1`, `cxm_k0_first`.
fn suffixed(key: &str, suffix: &str) -> String {
    format!("{key}_{}", suffix.trim_start_matches('_'))
}

/// A bucket metric record over the tallies.
fn value(d: Dialect, v: &BucketValue) -> String {
    let tally = |t: &Tally| {
        if t.is_count() {
            t.name().to_string()
        } else {
            d.float(t.name())
        }
    };
    let pct = |part: String, whole: &Tally| {
        format!(
            "CASE WHEN {w} > 0 THEN 100 * ({part}) / {} END",
            d.float(t_name(whole)),
            w = whole.name()
        )
    };
    match v {
        BucketValue::Tally(t) => tally(t),
        BucketValue::Pct { part, whole } => pct(signed_sum(d, part), whole),
        BucketValue::RestPct { part, whole } => format!(
            "CASE WHEN {w} > 0 THEN 100 - 100 * {} / {} END",
            d.float(part.name()),
            d.float(whole.name()),
            w = whole.name()
        ),
        BucketValue::Ratio { over, under } => {
            let sum = |ts: &[Tally]| {
                ts.iter()
                    .map(|t| d.float(t.name()))
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            format!(
                "CASE WHEN {u} > 0 THEN ({}) / ({u}) END",
                sum(over),
                u = sum(under)
            )
        }
    }
}

fn t_name(t: &Tally) -> &'static str {
    t.name()
}

fn signed_sum(d: Dialect, part: &[(f64, Tally)]) -> String {
    let mut out = String::new();
    for (i, (sign, t)) in part.iter().enumerate() {
        let term = d.float(t.name());
        match (i, *sign < 0.0) {
            (0, false) => out.push_str(&term),
            (0, true) => out.push_str(&format!("-{term}")),
            (_, false) => out.push_str(&format!(" + {term}")),
            (_, true) => out.push_str(&format!(" - {term}")),
        }
    }
    out
}
