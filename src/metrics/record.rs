//! A metric as one record: its column name and its [`Value`], written in terms of
//! the per-group [`Partial`]s it is made of. Partials of any part of the data add up
//! (counts, sums) or concatenate (the values behind a quantile), so a dataset's
//! metrics come from one pass over blocks on every core, merged at the end; and
//! since a column and its formula are one record, they cannot drift apart. Records
//! are plain data: polars evaluates them here, and another back end can render the
//! same records (a partial is a `count(*) FILTER (WHERE …)` or a `sum`).

use polars::prelude::*;

use super::{pct, quantiles, Grouping};

/// A condition on the columns of a dataset's parsed rows.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// The column has a value.
    NotNull(&'static str),
    /// The (boolean) column is true.
    IsTrue(&'static str),
    /// The column's value is at most this.
    AtMost(&'static str, f64),
    /// The column's value is at least this.
    AtLeast(&'static str, f64),
    /// The column's value is this.
    Equals(&'static str, f64),
    Both(Box<Cond>, Box<Cond>),
}

impl Cond {
    pub fn both(a: Cond, b: Cond) -> Cond {
        Cond::Both(Box::new(a), Box::new(b))
    }

    /// True, false, or null (unknown: not counted).
    fn expr(&self) -> Expr {
        match self {
            Cond::NotNull(c) => col(*c).is_not_null(),
            Cond::IsTrue(c) => col(*c),
            Cond::AtMost(c, x) => col(*c).lt_eq(lit(*x)),
            Cond::AtLeast(c, x) => col(*c).gt_eq(lit(*x)),
            Cond::Equals(c, x) => col(*c).cast(DataType::Float64).eq(lit(*x)),
            Cond::Both(a, b) => a.expr().and(b.expr()),
        }
    }

    fn columns(&self, out: &mut Vec<&'static str>) {
        match self {
            Cond::NotNull(c)
            | Cond::IsTrue(c)
            | Cond::AtMost(c, _)
            | Cond::AtLeast(c, _)
            | Cond::Equals(c, _) => out.push(c),
            Cond::Both(a, b) => {
                a.columns(out);
                b.columns(out);
            }
        }
    }
}

/// A per-group aggregate of the rows in the window that parts of the data combine.
#[derive(Debug, Clone, PartialEq)]
pub enum Partial {
    /// The rows.
    Rows,
    /// The rows where the condition holds.
    Count(Cond),
    /// The sum of a column's values (over the rows where the condition holds).
    Sum(&'static str, Option<Cond>),
    /// A column's values, kept for exact quantiles.
    Values(&'static str),
}

impl Partial {
    /// The partial's column: the same definition always gets the same name, so two
    /// metrics that need one partial share it.
    pub fn name(&self) -> String {
        match self {
            Partial::Values(c) => quantiles::list(c),
            other => format!("__partial {other:?}"),
        }
    }

    /// The aggregation over one part's rows of a group.
    fn expr(&self) -> Expr {
        let counted = |e: Expr| e.cast(DataType::Int64).alias(self.name());
        match self {
            Partial::Rows => counted(len()),
            Partial::Count(c) => counted(c.expr().sum()),
            Partial::Sum(c, None) => col(*c).sum().alias(self.name()),
            Partial::Sum(c, Some(only)) => when(only.expr())
                .then(col(*c))
                .otherwise(lit(NULL).cast(DataType::Float64))
                .sum()
                .alias(self.name()),
            Partial::Values(c) => quantiles::gather(c),
        }
    }

    /// What one row adds to the partial, for accumulating row by row: a count's
    /// condition as a boolean, true adding 1 (an unknown condition counts 0, false), as
    /// floats: a sum's value where its
    /// condition holds (else 0), a quantile's value (null: none). `Rows` adds one for
    /// every row and needs no column.
    pub fn contribution(&self) -> Option<Expr> {
        let value = |c: &'static str| col(c).cast(DataType::Float64);
        match self {
            Partial::Rows => None,
            Partial::Count(c) => Some(c.expr().fill_null(lit(false))),
            Partial::Sum(c, None) => Some(value(c).fill_null(lit(0.0))),
            Partial::Sum(c, Some(only)) => Some(
                when(only.expr().fill_null(lit(false)))
                    .then(value(c).fill_null(lit(0.0)))
                    .otherwise(lit(0.0)),
            ),
            Partial::Values(c) => Some(value(c)),
        }
    }

    fn columns(&self, out: &mut Vec<&'static str>) {
        match self {
            Partial::Rows => {}
            Partial::Count(c) => c.columns(out),
            Partial::Sum(c, only) => {
                out.push(c);
                if let Some(only) = only {
                    only.columns(out);
                }
            }
            Partial::Values(c) => out.push(c),
        }
    }
}

/// A metric's value from its group's merged partials.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A count as it is.
    Count(Partial),
    /// One count minus another.
    Difference(Partial, Partial),
    /// `sum ÷ n ÷ scale`; empty when `n` is 0.
    Mean {
        sum: Partial,
        n: Partial,
        scale: f64,
    },
    /// `100 × part ÷ whole`; empty when `whole` is 0.
    Pct { part: Partial, whole: Partial },
    /// `100 × part ÷ (part + rest)`; empty when both are 0.
    Share { part: Partial, rest: Partial },
    /// `100 × (plus − minus) ÷ whole` (a net score such as NPS); empty when `whole` is 0.
    NetPct {
        plus: Partial,
        minus: Partial,
        whole: Partial,
    },
    /// The 95 % margin of error of that net score, in points:
    /// `196 × sqrt((p + m − (p − m)²) ÷ n)` with `p`, `m` the two shares of `n`.
    NetPctMargin95 {
        plus: Partial,
        minus: Partial,
        whole: Partial,
    },
    /// A bound of the Wilson score interval (95 %) of the share `part ÷ whole`, in
    /// percent: `upper` picks the high one. Empty when `whole` is 0.
    Wilson95 {
        part: Partial,
        whole: Partial,
        upper: bool,
    },
    /// No value for this data (a mean of labels that are not numbers).
    Empty,
    /// The `q` quantile of a column's values (linear between closest ranks) ÷ scale.
    Quantile {
        of: &'static str,
        q: f64,
        scale: f64,
    },
}

impl Value {
    fn partials(&self) -> Vec<Partial> {
        match self {
            Value::Count(p) => vec![p.clone()],
            Value::Difference(a, b) => vec![a.clone(), b.clone()],
            Value::Mean { sum, n, .. } => vec![sum.clone(), n.clone()],
            Value::Pct { part, whole } | Value::Wilson95 { part, whole, .. } => {
                vec![part.clone(), whole.clone()]
            }
            Value::Share { part, rest } => vec![part.clone(), rest.clone()],
            Value::Quantile { of, .. } => vec![Partial::Values(of)],
            Value::NetPct { plus, minus, whole } | Value::NetPctMargin95 { plus, minus, whole } => {
                vec![plus.clone(), minus.clone(), whole.clone()]
            }
            Value::Empty => Vec::new(),
        }
    }

    fn expr(&self) -> Expr {
        let c = |p: &Partial| col(p.name());
        match self {
            Value::Count(p) => c(p),
            Value::Difference(a, b) => c(a) - c(b),
            Value::Mean { sum, n, scale } => when(c(n).gt(lit(0)))
                .then(c(sum) / c(n).cast(DataType::Float64) / lit(*scale))
                .otherwise(lit(NULL).cast(DataType::Float64)),
            Value::Pct { part, whole } => pct(c(part), c(whole)),
            Value::Share { part, rest } => pct(c(part), c(part) + c(rest)),
            Value::Quantile { of, q, scale } => col(quantiles::column(of, *q)) / lit(*scale),
            Value::NetPct { plus, minus, whole } => pct(c(plus) - c(minus), c(whole)),
            Value::NetPctMargin95 { plus, minus, whole } => {
                let n = c(whole).cast(DataType::Float64);
                let (p, m) = (c(plus) / n.clone(), c(minus) / n.clone());
                let spread = (p.clone() + m.clone()) - (p - m).pow(2);
                when(c(whole).gt(lit(0)))
                    .then(lit(196.0) * spread.clip_min(lit(0.0)).sqrt() / n.sqrt())
                    .otherwise(lit(NULL).cast(DataType::Float64))
            }
            Value::Wilson95 { part, whole, upper } => {
                // As crate::metrics::stats::wilson, column-wise.
                let z2 = crate::metrics::stats::Z95 * crate::metrics::stats::Z95;
                let n = c(whole).cast(DataType::Float64);
                let p = c(part).cast(DataType::Float64) / n.clone();
                let denominator = lit(1.0) + lit(z2) / n.clone();
                let center = (p.clone() + lit(z2 / 2.0) / n.clone()) / denominator.clone();
                let half = lit(crate::metrics::stats::Z95) / denominator
                    * (p.clone() * (lit(1.0) - p) / n.clone() + lit(z2 / 4.0) / (n.clone() * n))
                        .sqrt();
                let bound = if *upper {
                    (center + half).clip_max(lit(1.0))
                } else {
                    (center - half).clip_min(lit(0.0))
                };
                when(c(whole).gt(lit(0)))
                    .then(lit(100.0) * bound)
                    .otherwise(lit(NULL).cast(DataType::Float64))
            }
            Value::Empty => lit(NULL).cast(DataType::Float64),
        }
    }
}

/// One output column.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub name: String,
    pub value: Value,
}

impl Metric {
    pub fn new(name: impl Into<String>, value: Value) -> Metric {
        Metric {
            name: name.into(),
            value,
        }
    }
}

/// The distinct partials of `metrics`, in first-use order.
pub fn partials_of(metrics: &[Metric]) -> Vec<Partial> {
    let mut out: Vec<Partial> = Vec::new();
    for p in metrics.iter().flat_map(|m| m.value.partials()) {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// Each column whose quantiles `metrics` report, with the quantiles.
pub fn quantiles_of(metrics: &[Metric]) -> Vec<(&'static str, Vec<f64>)> {
    let mut wanted: Vec<(&'static str, Vec<f64>)> = Vec::new();
    for m in metrics {
        if let Value::Quantile { of, q, .. } = &m.value {
            match wanted.iter_mut().find(|(c, _)| c == of) {
                Some((_, qs)) if !qs.contains(q) => qs.push(*q),
                Some(_) => {}
                None => wanted.push((of, vec![*q])),
            }
        }
    }
    wanted
}

/// The parsed columns the partials of `metrics` read.
pub fn inputs_of(metrics: &[Metric]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for p in partials_of(metrics) {
        p.columns(&mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Per group of `rows` (the window's rows, with their keys): every partial of
/// `metrics`. Parts' results combine by [`merge`].
pub fn partials(rows: LazyFrame, metrics: &[Metric], grouping: &Grouping) -> LazyFrame {
    let aggs = partials_of(metrics).iter().map(Partial::expr).collect();
    grouping.partials(rows, aggs)
}

/// Several parts' [`partials`] as one row per group: counts and sums added up, and
/// the quantiles read from all the values.
pub fn merge(parts: DataFrame, metrics: &[Metric], grouping: &Grouping) -> PolarsResult<DataFrame> {
    let partials = partials_of(metrics);
    let sums: Vec<String> = partials
        .iter()
        .filter(|p| !matches!(p, Partial::Values(_)))
        .map(Partial::name)
        .collect();
    let wanted = quantiles_of(metrics);
    let sums: Vec<&str> = sums.iter().map(String::as_str).collect();
    let quantiles: Vec<(&str, &[f64])> = wanted.iter().map(|(c, qs)| (*c, &qs[..])).collect();
    grouping.merge(parts, &sums, &quantiles)
}

/// The keys and every metric's column, in order, from [`merge`]d partials, sorted by
/// keys.
pub fn finish(merged: DataFrame, metrics: &[Metric], grouping: &Grouping) -> LazyFrame {
    let columns = metrics
        .iter()
        .map(|m| m.value.expr().alias(m.name.as_str()))
        .collect();
    grouping.finish(merged, columns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Window;

    fn grouping() -> Grouping {
        Grouping {
            window: Window::default(),
            every: None,
            tz: chrono_tz::Tz::UTC,
            group_by: vec!["g".into()],
        }
    }

    /// Two metrics that share a partial compute it once, and a record's value comes
    /// out under its own name. Worked by hand: group a has x = 1, 3, null; b has 10.
    #[test]
    fn shared_partials_once_and_values_by_hand() {
        let n = Partial::Count(Cond::NotNull("x"));
        let metrics = [
            Metric::new("n", Value::Count(n.clone())),
            Metric::new(
                "mean",
                Value::Mean {
                    sum: Partial::Sum("x", None),
                    n: n.clone(),
                    scale: 1.0,
                },
            ),
            Metric::new(
                "small_pct",
                Value::Pct {
                    part: Partial::Count(Cond::AtMost("x", 2.0)),
                    whole: n,
                },
            ),
            Metric::new(
                "median",
                Value::Quantile {
                    of: "x",
                    q: 0.5,
                    scale: 1.0,
                },
            ),
        ];
        assert_eq!(partials_of(&metrics).len(), 4);
        assert_eq!(inputs_of(&metrics), ["x"]);
        let df = df!(
            "g" => ["a", "a", "a", "b"],
            "x" => [Some(1.0), Some(3.0), None, Some(10.0)],
        )
        .unwrap();
        let g = grouping();
        // Two parts, merged.
        let parts = [df.slice(0, 2), df.slice(2, 2)]
            .map(|part| partials(part.lazy(), &metrics, &g).collect().unwrap());
        let mut stacked = parts[0].clone();
        stacked.vstack_mut(&parts[1]).unwrap();
        let merged = merge(stacked, &metrics, &g).unwrap();
        let out = finish(merged, &metrics, &g).collect().unwrap();
        let f = |c: &str| -> Vec<Option<f64>> {
            let c = out.column(c).unwrap().cast(&DataType::Float64).unwrap();
            c.f64().unwrap().iter().collect()
        };
        assert_eq!(f("n"), [Some(2.0), Some(1.0)]);
        assert_eq!(f("mean"), [Some(2.0), Some(10.0)]);
        assert_eq!(f("small_pct"), [Some(50.0), Some(0.0)]);
        assert_eq!(f("median"), [Some(2.0), Some(10.0)]);
    }
}
