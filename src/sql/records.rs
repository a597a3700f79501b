//! The metric records of [`crate::metrics::record`] as SQL: a [`Partial`] becomes an
//! aggregate over a group's rows (`COUNT(*) FILTER (WHERE …)`, `SUM`, an exact
//! quantile), a [`Value`] an expression over the partials. This is the second
//! rendering of the same records polars evaluates, so a metric's SQL cannot drift
//! from its definition.

use crate::metrics::record::{self, Cond, Metric, Partial, Value};
use crate::metrics::stats::Z95;

use super::dialect::Dialect;

/// A parsed column's name in the query: the record's column without its leading
/// underscores (`__frt_s` → `frt_s`).
pub fn column(parsed: &str) -> String {
    parsed.trim_start_matches('_').to_string()
}

fn cond(d: Dialect, c: &Cond) -> String {
    let n = |x: &f64| d.number(*x);
    match c {
        Cond::NotNull(c) => format!("{} IS NOT NULL", column(c)),
        Cond::IsTrue(c) => column(c),
        Cond::AtMost(c, x) => format!("{} <= {}", column(c), n(x)),
        Cond::AtLeast(c, x) => format!("{} >= {}", column(c), n(x)),
        Cond::Equals(c, x) => format!("{} = {}", column(c), n(x)),
        Cond::Both(a, b) => format!("({}) AND ({})", cond(d, a), cond(d, b)),
    }
}

/// The query's pieces for a list of metrics.
pub struct Rendered {
    /// `expression AS name` of each partial, for the grouped select.
    pub partials: Vec<String>,
    /// `expression AS name` of each window quantile (dialects without the aggregate
    /// form), for the rows' select, partitioned by the group keys.
    pub window_columns: Vec<String>,
    /// Each metric's expression over the partials and its column name, in order.
    pub metrics: Vec<(String, String)>,
}

fn quantile_name(of: &str, q: f64) -> String {
    format!("q{}_{}", (q * 100.0).round() as i64, column(of))
}

/// Render `metrics` for a dialect; `partition` are the group keys (and the bucket)
/// as the rows name them.
pub fn render(d: Dialect, metrics: &[Metric], partition: &[String]) -> Rendered {
    let partials = record::partials_of(metrics);
    // Quantiles are named apart; the other partials p1, p2, … in first-use order.
    let summed: Vec<&Partial> = partials
        .iter()
        .filter(|p| !matches!(p, Partial::Values(_)))
        .collect();
    let name = |p: &Partial| -> String {
        let i = summed.iter().position(|x| *x == p).unwrap_or(0);
        format!("p{}", i + 1)
    };
    let mut out = Rendered {
        partials: Vec::new(),
        window_columns: Vec::new(),
        metrics: Vec::new(),
    };
    for p in &partials {
        let agg = match p {
            Partial::Rows => "COUNT(*)".to_string(),
            Partial::Count(c) => d.count_if(&cond(d, c)),
            // An empty sum is 0, as polars has it.
            Partial::Sum(c, None) => format!("COALESCE(SUM({}), 0)", column(c)),
            Partial::Sum(c, Some(only)) => format!(
                "COALESCE(SUM(CASE WHEN {} THEN {} END), 0)",
                cond(d, only),
                column(c)
            ),
            // Quantiles are their own columns, below.
            Partial::Values(_) => continue,
        };
        out.partials.push(format!("{agg} AS {}", name(p)));
    }
    for (of, qs) in record::quantiles_of(metrics) {
        for q in qs {
            let alias = quantile_name(of, q);
            match d.quantile(&column(of), q) {
                Some(agg) => out.partials.push(format!("{agg} AS {alias}")),
                None => {
                    let over = d.quantile_over(&column(of), q, partition);
                    out.window_columns.push(format!("{over} AS {alias}"));
                    out.partials
                        .push(format!("{} AS {alias}", d.any_value(&alias)));
                }
            }
        }
    }
    for m in metrics {
        let expr = value(d, &m.value, &name);
        out.metrics.push((expr, d.ident(&m.name)));
    }
    out
}

/// `100 × part ÷ whole`, empty when `whole` is 0.
fn pct(d: Dialect, part: &str, whole: &str) -> String {
    format!(
        "CASE WHEN {whole} > 0 THEN 100 * {} / {} END",
        d.float(part),
        d.float(whole)
    )
}

fn value(d: Dialect, v: &Value, name: &dyn Fn(&Partial) -> String) -> String {
    match v {
        Value::Count(p) => name(p),
        Value::Difference(a, b) => format!("{} - {}", name(a), name(b)),
        Value::Mean { sum, n, scale } => format!(
            "CASE WHEN {n} > 0 THEN {} / {n} / {} END",
            d.float(&name(sum)),
            d.number(*scale),
            n = name(n)
        ),
        Value::Pct { part, whole } => pct(d, &name(part), &name(whole)),
        Value::Share { part, rest } => pct(
            d,
            &name(part),
            &format!("({} + {})", name(part), name(rest)),
        ),
        Value::NetPct { plus, minus, whole } => pct(
            d,
            &format!("({} - {})", name(plus), name(minus)),
            &name(whole),
        ),
        Value::NetPctMargin95 { plus, minus, whole } => {
            let n = d.float(&name(whole));
            let (p, m) = (
                format!("({} / {n})", name(plus)),
                format!("({} / {n})", name(minus)),
            );
            format!(
                "CASE WHEN {w} > 0 THEN 196 * SQRT(GREATEST(({p} + {m}) - ({p} - {m}) * ({p} - {m}), 0)) / SQRT({n}) END",
                w = name(whole)
            )
        }
        Value::Wilson95 { part, whole, upper } => {
            // As crate::metrics::stats::wilson.
            let z = d.number(Z95);
            let z2 = d.number(Z95 * Z95);
            let n = d.float(&name(whole));
            let p = format!("({} / {n})", d.float(&name(part)));
            let denominator = format!("(1 + {z2} / {n})");
            let center = format!("(({p} + {z2} / 2 / {n}) / {denominator})");
            let half = format!(
                "({z} / {denominator} * SQRT({p} * (1 - {p}) / {n} + {z2} / 4 / ({n} * {n})))"
            );
            let bound = if *upper {
                format!("LEAST({center} + {half}, 1)")
            } else {
                format!("GREATEST({center} - {half}, 0)")
            };
            format!("CASE WHEN {} > 0 THEN 100 * {bound} END", name(whole))
        }
        Value::Empty => d.null_float(),
        Value::UnknownCount => d.null_count(),
        Value::Quantile { of, q, scale } => {
            format!("{} / {}", quantile_name(of, *q), d.number(*scale))
        }
    }
}
