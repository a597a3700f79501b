//! A metric as one record: its column name and its [`Value`], written in terms of
//! the per-group [`Partial`]s it is made of. Partials of any part of the data add up
//! (counts, sums) or concatenate (the values behind a quantile), so a dataset's
//! metrics come from one pass over blocks on every core, merged at the end; and
//! since a column and its formula are one record, they cannot drift apart. Records
//! are plain data: polars adds up the partials, each value is worked out here from a
//! group's partials ([`Value::of`]: the one definition of each formula), and another
//! back end can render the same records (a partial is a `count(*) FILTER (WHERE …)`
//! or a `sum`).

use polars::prelude::*;

use super::{quantiles, stats, Grouping};
use crate::cells::with_gaps;
use polars_arrow::bitmap::Bitmap;

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

    /// Whether the partial counts rows (else it adds up values).
    fn is_count(&self) -> bool {
        matches!(self, Partial::Rows | Partial::Count(_))
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

/// A metric's value from its group's merged partials (`P`: a [`Partial`], or where
/// a group's line of partials keeps it, once [`Value::placed`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Value<P = Partial> {
    /// A count as it is.
    Count(P),
    /// One count minus another.
    Difference(P, P),
    /// `sum ÷ n ÷ scale`; empty when `n` is 0.
    Mean { sum: P, n: P, scale: f64 },
    /// `100 × part ÷ whole`; empty when `whole` is 0.
    Pct { part: P, whole: P },
    /// `100 × part ÷ (part + rest)`; empty when both are 0.
    Share { part: P, rest: P },
    /// `100 × (plus − minus) ÷ whole` (a net score such as NPS); empty when `whole` is 0.
    NetPct { plus: P, minus: P, whole: P },
    /// The 95 % margin of error of that net score, in points:
    /// `196 × sqrt((p + m − (p − m)²) ÷ n)` with `p`, `m` the two shares of `n`.
    NetPctMargin95 { plus: P, minus: P, whole: P },
    /// A bound of the Wilson score interval (95 %) of the share `part ÷ whole`, in
    /// percent: `upper` picks the high one. Empty when `whole` is 0.
    Wilson95 { part: P, whole: P, upper: bool },
    /// No value for this data (a mean of labels that are not numbers).
    Empty,
    /// A count the data cannot tell (no field to count from): empty, a count's type.
    UnknownCount,
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
            Value::Empty | Value::UnknownCount => Vec::new(),
        }
    }

    /// Whether the value is a whole number: a count, or one count minus another.
    fn is_whole(&self) -> bool {
        match self {
            Value::Count(p) => p.is_count(),
            Value::Difference(a, b) => a.is_count() && b.is_count(),
            Value::UnknownCount => true,
            _ => false,
        }
    }

    /// The same value, each partial replaced by where `place` says a group's line
    /// of partials keeps it.
    pub fn placed(&self, place: impl Fn(&Partial) -> usize) -> Value<usize> {
        match self {
            Value::Count(p) => Value::Count(place(p)),
            Value::Difference(a, b) => Value::Difference(place(a), place(b)),
            Value::Mean { sum, n, scale } => Value::Mean {
                sum: place(sum),
                n: place(n),
                scale: *scale,
            },
            Value::Pct { part, whole } => Value::Pct {
                part: place(part),
                whole: place(whole),
            },
            Value::Share { part, rest } => Value::Share {
                part: place(part),
                rest: place(rest),
            },
            Value::NetPct { plus, minus, whole } => Value::NetPct {
                plus: place(plus),
                minus: place(minus),
                whole: place(whole),
            },
            Value::NetPctMargin95 { plus, minus, whole } => Value::NetPctMargin95 {
                plus: place(plus),
                minus: place(minus),
                whole: place(whole),
            },
            Value::Wilson95 { part, whole, upper } => Value::Wilson95 {
                part: place(part),
                whole: place(whole),
                upper: *upper,
            },
            Value::Empty => Value::Empty,
            Value::UnknownCount => Value::UnknownCount,
            Value::Quantile { of, q, scale } => Value::Quantile {
                of,
                q: *q,
                scale: *scale,
            },
        }
    }
}

impl Value<usize> {
    /// One group's value, from its `line` of partials; a quantile's from `quantile`,
    /// the group's quantile `q` of the values (none: no values).
    #[inline]
    pub fn of(&self, line: &[f64], quantile: Option<f64>) -> Option<f64> {
        let at = |k: &usize| line[*k];
        let pct = |part: f64, whole: f64| (whole > 0.0).then(|| 100.0 * part / whole);
        match self {
            Value::Count(p) => Some(at(p)),
            Value::Difference(a, b) => Some(at(a) - at(b)),
            Value::Mean { sum, n, scale } => (at(n) > 0.0).then(|| at(sum) / at(n) / scale),
            Value::Pct { part, whole } => pct(at(part), at(whole)),
            Value::Share { part, rest } => pct(at(part), at(part) + at(rest)),
            Value::NetPct { plus, minus, whole } => pct(at(plus) - at(minus), at(whole)),
            Value::NetPctMargin95 { plus, minus, whole } => {
                let n = at(whole);
                (n > 0.0).then(|| stats::nps_moe95(at(plus) / n, at(minus) / n, n))
            }
            Value::Wilson95 { part, whole, upper } => {
                let (low, high) = stats::wilson(at(part), at(whole))?;
                Some(100.0 * if *upper { high } else { low })
            }
            Value::Empty | Value::UnknownCount => None,
            Value::Quantile { scale, .. } => quantile.map(|x| x / scale),
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

    /// The metric to work out from lines of partials, each partial where `place`
    /// says a line keeps it.
    pub fn placed(&self, place: impl Fn(&Partial) -> usize) -> Placed {
        Placed {
            name: self.name.clone(),
            value: self.value.placed(place),
            whole: self.value.is_whole(),
        }
    }
}

/// A metric to work out from each group's line of partials ([`columns`]).
pub struct Placed {
    pub name: String,
    pub value: Value<usize>,
    /// Its values are whole numbers (an integer column).
    whole: bool,
}

/// Each metric's column over `groups` groups, worked out a group at a time (one pass
/// over the lines, however many metrics): group `i`'s partials are `line(i)`, and
/// the quantile metric `m` reports of it `quantile(m, i)`. Many groups are worked
/// out in ranges on every core, each range into its own part of the columns.
pub fn columns<'a>(
    metrics: &[&Placed],
    groups: usize,
    line: impl Fn(usize) -> &'a [f64] + Sync,
    quantile: impl Fn(usize, usize) -> Option<f64> + Sync,
) -> Vec<Column> {
    let mut out: Vec<Out> = metrics.iter().map(|m| Out::new(m.whole, groups)).collect();
    let range = range_of(groups);
    // Per range, each metric's part.
    let mut ranges: Vec<Vec<Part>> = (0..groups.div_ceil(range)).map(|_| Vec::new()).collect();
    for o in &mut out {
        for (k, part) in o.parts(range).enumerate() {
            ranges[k].push(part);
        }
    }
    let fill = |k: usize, parts: &mut [Part]| {
        let first = k * range;
        for i in first..(first + range).min(groups) {
            let line = line(i);
            for (m, (metric, part)) in metrics.iter().zip(parts.iter_mut()).enumerate() {
                let q = match metric.value {
                    Value::Quantile { .. } => quantile(m, i),
                    _ => None,
                };
                part.set(i - first, metric.value.of(line, q));
            }
        }
    };
    match ranges.len() {
        0 | 1 => ranges.iter_mut().enumerate().for_each(|(k, p)| fill(k, p)),
        _ => std::thread::scope(|s| {
            for (k, parts) in ranges.iter_mut().enumerate() {
                let fill = &fill;
                s.spawn(move || fill(k, parts));
            }
        }),
    }
    let missing: Vec<usize> = (0..metrics.len())
        .map(|m| ranges.iter().map(|parts| parts[m].missing).sum())
        .collect();
    drop(ranges);
    let named = metrics.iter().zip(out).zip(missing);
    named
        .map(|((m, out), missing)| out.column(&m.name, missing))
        .collect()
}

/// Groups a range of [`columns`] works out: all of them below a few hundred
/// thousand, else a share for each core (a whole number of bytes of flags).
fn range_of(groups: usize) -> usize {
    const ONE_CORE: usize = 1 << 17;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match groups < ONE_CORE || cores < 2 {
        true => groups.max(1),
        false => groups.div_ceil(cores).next_multiple_of(8),
    }
}

/// A quantile metric's column from the quantile it reports of each group (`values`,
/// where `present`), worked out in place.
pub fn quantile_column(metric: &Placed, mut values: Vec<f64>, present: &[bool]) -> Column {
    for (x, _) in values.iter_mut().zip(present).filter(|(_, &p)| p) {
        *x = metric.value.of(&[], Some(*x)).unwrap_or(0.0);
    }
    let name = metric.name.as_str().into();
    with_gaps::<Float64Type>(name, values, present).into_column()
}

/// A metric's column being worked out: its values, and its flags of which are there
/// (packed eight to a byte).
struct Out {
    values: OutValues,
    present: Vec<u8>,
}

enum OutValues {
    Whole(Vec<i64>),
    Float(Vec<f64>),
}

/// A range's share of an [`Out`], and how many of its values are missing.
struct Part<'a> {
    values: PartValues<'a>,
    present: &'a mut [u8],
    missing: usize,
}

enum PartValues<'a> {
    Whole(&'a mut [i64]),
    Float(&'a mut [f64]),
}

impl Out {
    fn new(whole: bool, groups: usize) -> Out {
        let values = match whole {
            true => OutValues::Whole(vec![0; groups]),
            false => OutValues::Float(vec![0.0; groups]),
        };
        Out {
            values,
            present: vec![0; groups.div_ceil(8)],
        }
    }

    /// Its parts of `range` values each (a multiple of 8, or all of them).
    fn parts(&mut self, range: usize) -> impl Iterator<Item = Part<'_>> {
        let values: Vec<PartValues> = match &mut self.values {
            OutValues::Whole(v) => v.chunks_mut(range).map(PartValues::Whole).collect(),
            OutValues::Float(v) => v.chunks_mut(range).map(PartValues::Float).collect(),
        };
        let flags = self.present.chunks_mut(range.div_ceil(8));
        values.into_iter().zip(flags).map(|(values, present)| Part {
            values,
            present,
            missing: 0,
        })
    }

    fn column(self, name: &str, missing: usize) -> Column {
        let len = match &self.values {
            OutValues::Whole(v) => v.len(),
            OutValues::Float(v) => v.len(),
        };
        let validity = (missing > 0).then(|| Bitmap::from_u8_vec(self.present, len));
        let name = name.into();
        match self.values {
            OutValues::Whole(v) => Int64Chunked::from_vec_validity(name, v, validity).into_column(),
            OutValues::Float(v) => {
                Float64Chunked::from_vec_validity(name, v, validity).into_column()
            }
        }
    }
}

impl Part<'_> {
    /// Value `i` of the range.
    #[inline]
    fn set(&mut self, i: usize, value: Option<f64>) {
        match &mut self.values {
            PartValues::Whole(v) => v[i] = value.map_or(0, |x| x as i64),
            PartValues::Float(v) => v[i] = value.unwrap_or(0.0),
        }
        match value {
            Some(_) => self.present[i / 8] |= 1 << (i % 8),
            None => self.missing += 1,
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
pub fn finish(
    merged: DataFrame,
    metrics: &[Metric],
    grouping: &Grouping,
) -> PolarsResult<LazyFrame> {
    let sums: Vec<Partial> = partials_of(metrics)
        .into_iter()
        .filter(|p| !matches!(p, Partial::Values(_)))
        .collect();
    let groups = merged.height();
    // Each group's sums side by side, as the engine keeps them.
    let mut lines = vec![0.0; groups * sums.len()];
    for (k, partial) in sums.iter().enumerate() {
        let column = merged.column(&partial.name())?.cast(&DataType::Float64)?;
        // A sum of nothing is 0 in polars: there are no nulls here.
        for (i, x) in column.f64()?.iter().enumerate() {
            lines[i * sums.len() + k] = x.unwrap_or(0.0);
        }
    }
    let placed: Vec<Placed> = metrics
        .iter()
        .map(|m| m.placed(|p| sums.iter().position(|s| s == p).unwrap_or(usize::MAX)))
        .collect();
    let quantiles = metrics
        .iter()
        .map(|m| match m.value {
            Value::Quantile { of, q, .. } => {
                let column = merged.column(&quantiles::column(of, q))?;
                Ok(Some(column.f64()?.rechunk().into_owned()))
            }
            _ => Ok(None),
        })
        .collect::<PolarsResult<Vec<Option<Float64Chunked>>>>()?;
    let stride = sums.len();
    let mut columns: Vec<Column> = grouping
        .keys()
        .iter()
        .map(|k| merged.column(k.as_str()).cloned())
        .collect::<PolarsResult<_>>()?;
    let placed: Vec<&Placed> = placed.iter().collect();
    columns.extend(self::columns(
        &placed,
        groups,
        |i| &lines[i * stride..][..stride],
        |m, i| quantiles[m].as_ref().and_then(|q| q.get(i)),
    ));
    let frame = DataFrame::new_infer_height(columns)?;
    Ok(super::sort_by_keys(frame.lazy(), &grouping.keys()))
}

/// One group's row of every metric's column over no rows: counts 0, the rest blank,
/// as [`finish`] gives a group without a row.
pub fn over_nothing(metrics: &[Metric]) -> PolarsResult<DataFrame> {
    let sums: Vec<Partial> = partials_of(metrics)
        .into_iter()
        .filter(|p| !matches!(p, Partial::Values(_)))
        .collect();
    let placed: Vec<Placed> = metrics
        .iter()
        .map(|m| m.placed(|p| sums.iter().position(|s| s == p).unwrap_or(usize::MAX)))
        .collect();
    let placed: Vec<&Placed> = placed.iter().collect();
    let line = vec![0.0; sums.len()];
    let columns = self::columns(&placed, 1, |_| &line[..], |_, _| None);
    DataFrame::new_infer_height(columns)
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

    /// Each kind of value on one line of partials, worked by hand: 3 promoters and 1
    /// detractor of 4 (a whole of 4, 6 the rest), a sum of 10 over 4.
    /// Past one core's range of groups, the columns are worked out in ranges: each
    /// group's value (and gap) lands in its own place, at every range boundary.
    #[test]
    fn many_groups_are_worked_out_in_their_places() {
        let placed = |value: Value<usize>, whole: bool| Placed {
            name: "m".into(),
            value,
            whole,
        };
        let mean = placed(
            Value::Mean {
                sum: 0,
                n: 1,
                scale: 1.0,
            },
            false,
        );
        let count = placed(Value::Count(1), true);
        for groups in [0, 1, 9, (1 << 17) - 1, (1 << 17) + 13, 300_007] {
            // Group g: a count of g % 5 and a sum of 3g, so its mean is 3g ÷ (g % 5),
            // none where g % 5 is 0.
            let lines: Vec<f64> = (0..groups)
                .flat_map(|g| [3.0 * g as f64, (g % 5) as f64])
                .collect();
            let got = columns(
                &[&mean, &count],
                groups,
                |g| &lines[g * 2..][..2],
                |_, _| None,
            );
            let means: Vec<Option<f64>> = got[0].f64().unwrap().iter().collect();
            let counts: Vec<Option<i64>> = got[1].i64().unwrap().iter().collect();
            assert_eq!(means.len(), groups);
            for g in 0..groups {
                let n = g % 5;
                let want = (n > 0).then(|| 3.0 * g as f64 / n as f64);
                assert_eq!(means[g], want, "{groups} groups, group {g}");
                assert_eq!(counts[g], Some(n as i64), "{groups} groups, group {g}");
            }
        }
    }

    #[test]
    fn each_value_of_a_line_by_hand() {
        let line = [3.0, 1.0, 4.0, 10.0, 6.0, 0.0];
        let of = |v: Value<usize>| v.of(&line, Some(7.0));
        assert_eq!(of(Value::Count(2)), Some(4.0));
        assert_eq!(of(Value::Difference(0, 1)), Some(2.0));
        let mean = |n| Value::Mean {
            sum: 3,
            n,
            scale: 2.0,
        };
        assert_eq!(of(mean(2)), Some(1.25));
        assert_eq!(of(mean(5)), None);
        assert_eq!(of(Value::Pct { part: 0, whole: 2 }), Some(75.0));
        assert_eq!(of(Value::Pct { part: 0, whole: 5 }), None);
        assert_eq!(of(Value::Share { part: 2, rest: 4 }), Some(40.0));
        let (plus, minus) = (0, 1);
        assert_eq!(
            of(Value::NetPct {
                plus,
                minus,
                whole: 2
            }),
            Some(50.0)
        );
        // p = 0.75, m = 0.25: 196 × √((1 − 0.25) ÷ 4) = 196 × √0.1875.
        let margin = of(Value::NetPctMargin95 {
            plus,
            minus,
            whole: 2,
        })
        .unwrap();
        assert!((margin - 196.0 * 0.1875f64.sqrt()).abs() < 1e-9, "{margin}");
        // Wilson, 3 of 4 (z = 1.96): center 0.6057, half-width 0.3116.
        let wilson = |upper| {
            of(Value::Wilson95 {
                part: 0,
                whole: 2,
                upper,
            })
            .unwrap()
        };
        assert!((wilson(false) - 30.06).abs() < 0.01, "{}", wilson(false));
        assert!((wilson(true) - 95.44).abs() < 0.01, "{}", wilson(true));
        assert_eq!(
            of(Value::Wilson95 {
                part: 0,
                whole: 5,
                upper: true
            }),
            None
        );
        assert_eq!(of(Value::Empty), None);
        let quantile = Value::Quantile {
            of: "x",
            q: 0.5,
            scale: 2.0,
        };
        assert_eq!(of(quantile.clone()), Some(3.5));
        assert_eq!(quantile.of(&line, None), None);
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
        let out = finish(merged, &metrics, &g).unwrap().collect().unwrap();
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
