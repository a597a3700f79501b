//! `--compare previous`: each metric of the previous window beside the current one,
//! the changes of rates and means, and the z-test p-values of the changes.

use super::*;

/// Columns `--compare previous` adds after the metrics: each metric of the previous
/// window (`<metric>_prev`), the changes of the rates and means (`<metric>_delta`),
/// then the two-sided z-test p-values of the CSAT, CES (easy share) and NPS changes and
/// of the CSAT and CES means' changes, and `small_sample`: some measure of the row has fewer than [`SMALL_SAMPLE`]
/// responses on either side.
pub fn comparison_columns() -> Vec<String> {
    let mut cols: Vec<String> = metric_columns()
        .iter()
        .map(|m| format!("{m}_prev"))
        .collect();
    cols.extend(DELTAS.iter().map(|d| format!("{d}_delta")));
    cols.extend(TESTS.iter().map(|(p, _)| p.to_string()));
    cols.push("small_sample".into());
    cols
}

/// Each p-value column and the change it tests (`ces_delta_p`: the easy share's).
pub const TESTS: [(&str, &str); 5] = [
    ("csat_delta_p", "csat_pct"),
    ("ces_delta_p", "ces_easy_pct"),
    ("nps_delta_p", "nps"),
    ("csat_mean_delta_p", "csat_mean"),
    ("ces_mean_delta_p", "ces_mean"),
];

/// Fewer responses than this on either side of a comparison mark it `small_sample`.
pub const SMALL_SAMPLE: f64 = 30.0;

const DELTAS: &[&str] = &["csat_pct", "csat_mean", "ces_mean", "ces_easy_pct", "nps"];
const COUNTS: &[&str] = &[
    "csat_responses",
    "ces_responses",
    "nps_responses",
    "promoters",
    "passives",
    "detractors",
];

/// Join each row of `current` with the row of `previous` for the same group (null
/// keys match null keys), adding [`comparison_columns`] except the p-values. With
/// `every`, `previous` is a frame of buckets: its bucket d joins the current bucket
/// after d, up to `last` (the window's last bucket; none: the data's).
pub fn with_previous(
    current: LazyFrame,
    previous: LazyFrame,
    group_by: &[String],
    every: Option<(Every, Option<chrono::NaiveDate>)>,
) -> LazyFrame {
    let last = every.and_then(|(_, last)| last);
    let every = every.map(|(e, _)| e);
    // The hidden means of squares ride along for the tests of the means.
    let mut metrics = metric_columns();
    metrics.extend(
        SQUARES
            .iter()
            .map(|(_, _, mean_square)| mean_square.to_string()),
    );
    let mut prev_cols: Vec<Expr> = group_by.iter().map(|g| col(g.as_str())).collect();
    if let Some(e) = every {
        prev_cols.push(crate::calendar::next_bucket(col(PERIOD), e).alias(PERIOD));
    }
    prev_cols.extend(
        metrics
            .iter()
            .map(|m| col(m.as_str()).alias(format!("{m}_prev"))),
    );
    let mut keys: Vec<Expr> = group_by.iter().map(|g| col(g.as_str())).collect();
    if every.is_some() {
        keys.push(col(PERIOD));
    }
    const ONE: &str = "__one";
    let (current, previous) = if keys.is_empty() {
        keys.push(col(ONE));
        (
            current.with_column(lit(1i32).alias(ONE)),
            previous.select(prev_cols).with_column(lit(1i32).alias(ONE)),
        )
    } else {
        (current, previous.select(prev_cols))
    };
    // A group (or, with buckets, a bucket) with responses only in the previous
    // window keeps its row (0 now): its fall to nothing is a change to see. With
    // buckets, up to the window's last (the previous one's last bucket, moved on by
    // one, lies past it).
    let whole_groups = every.is_some() || !group_by.is_empty();
    const NOW: &str = "__in_window";
    let joined = current
        .with_column(lit(true).alias(NOW))
        .join_builder()
        .with(previous)
        .how(match whole_groups {
            true => JoinType::Full,
            false => JoinType::Left,
        })
        .coalesce(JoinCoalesce::CoalesceColumns)
        .on(keys.clone())
        .join_nulls(true)
        .maintain_order(MaintainOrderJoin::LeftRight)
        .finish();
    let joined = match (every, last) {
        (None, _) => joined,
        (Some(_), Some(last)) => {
            // Days since 1970-01-01 (`NaiveDate::default()`), as a date column holds.
            let days = (last - chrono::NaiveDate::default()).num_days() as i32;
            joined.filter(col(PERIOD).cast(DataType::Int32).lt_eq(lit(days)))
        }
        (Some(_), None) => {
            let latest = col(PERIOD).filter(col(NOW).is_not_null()).max();
            joined.filter(col(PERIOD).lt_eq(latest))
        }
    };
    let joined = match whole_groups {
        true => joined.sort_by_exprs(keys, SortMultipleOptions::default().with_nulls_last(true)),
        false => joined,
    };
    let mut extra: Vec<Expr> = COUNTS
        .iter()
        .map(|c| {
            col(format!("{c}_prev"))
                .fill_null(lit(0i64))
                .alias(format!("{c}_prev"))
        })
        .collect();
    if whole_groups {
        // Counted as none now where only the previous window has the group (a
        // measure the data lacks stays empty in every row).
        let only_before = col(NOW).is_null();
        extra.extend(COUNTS.iter().map(|c| {
            when(
                only_before
                    .clone()
                    .and(col(format!("{c}_prev")).is_not_null()),
            )
            .then(lit(0i64))
            .otherwise(col(*c))
            .alias(*c)
        }));
    }
    extra.extend(
        DELTAS
            .iter()
            .map(|d| (col(*d) - col(format!("{d}_prev"))).alias(format!("{d}_delta"))),
    );
    for (p, _) in TESTS {
        extra.push(lit(NULL).cast(DataType::Float64).alias(p));
    }
    extra.push(lit(NULL).cast(DataType::Boolean).alias("small_sample"));
    let mut order: Vec<Expr> = group_by.iter().map(|g| col(g.as_str())).collect();
    if every.is_some() {
        order.push(col(PERIOD));
    }
    order.extend(metric_columns().iter().map(|m| col(m.as_str())));
    order.extend(comparison_columns().iter().map(|c| col(c.as_str())));
    for (_, _, mean_square) in SQUARES {
        order.push(col(mean_square));
        order.push(col(format!("{mean_square}_prev")));
    }
    joined.with_columns(extra).select(order)
}

/// Two-sided p-value of a standard normal statistic.
fn two_sided(z: f64) -> f64 {
    libm::erfc(z.abs() / std::f64::consts::SQRT_2)
}

/// Two-proportion z-test (pooled) of `s1` successes in `n1` against `s2` in `n2`.
/// None when a sample is empty; 1 when both samples are all successes or all failures.
pub fn two_proportion_p(s1: f64, n1: f64, s2: f64, n2: f64) -> Option<f64> {
    if n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let pooled = (s1 + s2) / (n1 + n2);
    let se = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    if se == 0.0 {
        return Some(1.0);
    }
    Some(two_sided((s1 / n1 - s2 / n2) / se))
}

/// z-test of the difference of two NPS: each NPS (as a share) has variance
/// ((p + d) − (p − d)²) ÷ n, the same variance `nps_moe95` uses.
/// None when a sample is empty. With zero variance on both sides (each all promoters,
/// passives or detractors), 1 if the scores are equal; else the variance is the two
/// samples' pooled, as under the test's hypothesis that they share one distribution
/// (the pooled test of the proportions does the same), so a delta shown has its p.
pub fn nps_difference_p(
    (p1, d1, n1): (f64, f64, f64),
    (p2, d2, n2): (f64, f64, f64),
) -> Option<f64> {
    if n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let variance = |p: f64, d: f64, n: f64| {
        let (ps, ds) = (p / n, d / n);
        ((ps + ds) - (ps - ds).powi(2)).max(0.0) / n
    };
    let diff = (p1 - d1) / n1 - (p2 - d2) / n2;
    let se = (variance(p1, d1, n1) + variance(p2, d2, n2)).sqrt();
    if se == 0.0 {
        if diff == 0.0 {
            return Some(1.0);
        }
        let n = n1 + n2;
        let pooled = variance(p1 + p2, d1 + d2, n) * n;
        let se = (pooled * (1.0 / n1 + 1.0 / n2)).sqrt();
        return (se > 0.0).then(|| two_sided(diff / se));
    }
    Some(two_sided(diff / se))
}

/// z-test of the difference of two means, each side `(mean, mean of squares, n)`,
/// weighed by each side's sample variance (n − 1). None when a sample is empty.
/// Where a side has one score (no spread of its own) or neither side's scores vary,
/// the variance is the two samples' pooled, as under the test's hypothesis that they
/// share one distribution (as [`nps_difference_p`] does): equal means give 1.
pub fn mean_difference_p(
    (m1, q1, n1): (f64, f64, f64),
    (m2, q2, n2): (f64, f64, f64),
) -> Option<f64> {
    if n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let sample_variance = |m: f64, q: f64, n: f64| (q - m * m).max(0.0) * n / (n - 1.0);
    let diff = m1 - m2;
    if n1 >= 2.0 && n2 >= 2.0 {
        let se = (sample_variance(m1, q1, n1) / n1 + sample_variance(m2, q2, n2) / n2).sqrt();
        if se > 0.0 {
            return Some(two_sided(diff / se));
        }
    }
    if diff == 0.0 {
        return Some(1.0);
    }
    let n = n1 + n2;
    let (m, q) = ((m1 * n1 + m2 * n2) / n, (q1 * n1 + q2 * n2) / n);
    let se = (sample_variance(m, q, n) * (1.0 / n1 + 1.0 / n2)).sqrt();
    (se > 0.0).then(|| two_sided(diff / se))
}

/// Fill the p-values and `small_sample` of a [`with_previous`] result, and drop the
/// hidden columns the tests read.
pub fn add_p_values(mut df: DataFrame) -> PolarsResult<DataFrame> {
    let f = |name: &str| -> PolarsResult<Vec<Option<f64>>> {
        Ok(df
            .column(name)?
            .cast(&DataType::Float64)?
            .f64()?
            .iter()
            .collect())
    };
    let (csat_n, csat_pct, csat_n0, csat_pct0) = (
        f("csat_responses")?,
        f("csat_pct")?,
        f("csat_responses_prev")?,
        f("csat_pct_prev")?,
    );
    // Successes back from the percentage: exact, as pct = 100 × s ÷ n.
    let share_p =
        |n: &[Option<f64>], pct: &[Option<f64>], n0: &[Option<f64>], pct0: &[Option<f64>]| {
            (0..n.len())
                .map(|i| {
                    let (n1, n2) = (n[i]?, n0[i]?);
                    let s1 = (pct[i]? * n1 / 100.0).round();
                    let s2 = (pct0[i]? * n2 / 100.0).round();
                    two_proportion_p(s1, n1, s2, n2)
                })
                .collect::<Vec<Option<f64>>>()
        };
    let csat = share_p(&csat_n, &csat_pct, &csat_n0, &csat_pct0);
    let (ces_n, ces_easy, ces_n0, ces_easy0) = (
        f("ces_responses")?,
        f("ces_easy_pct")?,
        f("ces_responses_prev")?,
        f("ces_easy_pct_prev")?,
    );
    let ces = share_p(&ces_n, &ces_easy, &ces_n0, &ces_easy0);
    let cols = [
        "promoters",
        "detractors",
        "nps_responses",
        "promoters_prev",
        "detractors_prev",
        "nps_responses_prev",
    ]
    .map(f);
    let [p1, d1, n1, p2, d2, n2] = cols;
    let (p1, d1, n1, p2, d2, n2) = (p1?, d1?, n1?, p2?, d2?, n2?);
    let nps: Vec<Option<f64>> = (0..df.height())
        .map(|i| nps_difference_p((p1[i]?, d1[i]?, n1[i]?), (p2[i]?, d2[i]?, n2[i]?)))
        .collect();
    // The means' tests, from each side's mean of squares.
    let mut means = Vec::new();
    for ((measure, _, mean_square), p) in SQUARES
        .iter()
        .zip(["csat_mean_delta_p", "ces_mean_delta_p"])
    {
        let (n1, n2) = (
            f(&format!("{}_responses", measure.name()))?,
            f(&format!("{}_responses_prev", measure.name()))?,
        );
        let mean = format!("{}_mean", measure.name());
        let (m1, m2) = (f(&mean)?, f(&format!("{mean}_prev"))?);
        let (q1, q2) = (f(mean_square)?, f(&format!("{mean_square}_prev"))?);
        let tested: Vec<Option<f64>> = (0..df.height())
            .map(|i| mean_difference_p((m1[i]?, q1[i]?, n1[i]?), (m2[i]?, q2[i]?, n2[i]?)))
            .collect();
        means.push(Column::new(p.into(), tested));
    }
    // Small: a measure answered on either side has fewer responses on one of them.
    let small: Vec<Option<bool>> = (0..df.height())
        .map(|i| {
            let sides = [
                (csat_n[i], csat_n0[i]),
                (ces_n[i], ces_n0[i]),
                (n1[i], n2[i]),
            ];
            let measured: Vec<(f64, f64)> = sides
                .iter()
                .map(|(a, b)| (a.unwrap_or(0.0), b.unwrap_or(0.0)))
                .filter(|(a, b)| *a > 0.0 || *b > 0.0)
                .collect();
            (!measured.is_empty()).then(|| {
                measured
                    .iter()
                    .any(|(a, b)| *a < SMALL_SAMPLE || *b < SMALL_SAMPLE)
            })
        })
        .collect();
    df.with_column(Column::new("csat_delta_p".into(), csat))?;
    df.with_column(Column::new("ces_delta_p".into(), ces))?;
    df.with_column(Column::new("nps_delta_p".into(), nps))?;
    for tested in means {
        df.with_column(tested)?;
    }
    for (_, _, mean_square) in SQUARES {
        df = df.drop_many([mean_square.to_string(), format!("{mean_square}_prev")]);
    }
    df.with_column(Column::new("small_sample".into(), small))?;
    Ok(df)
}
