//! Blocks' partials folded into one table of groups as they arrive: memory follows
//! the groups and the values behind their quantiles, not blocks × groups (a group
//! seen in every block is one row here, not one per block). The result is the frame
//! [`super::record::merge`] would give: keys, the partials that add up, and the
//! quantiles the records ask for.

use std::fmt::Write;

use polars::prelude::*;

use super::record::{partials_of, Metric, Partial, Value};
use super::{quantiles, Grouping};

/// A key cell: a string, or a bucket's date (days since 1970).
#[derive(Clone)]
enum Cell {
    Text(Option<String>),
    Date(Option<i32>),
}

pub struct Folded {
    keys: Vec<String>,
    /// The bucket key (`period` with `--every`), a date.
    bucket: Option<usize>,
    /// The partials that add up, with whether they count (Int64) or sum (Float64).
    sums: Vec<(String, bool)>,
    /// The value lists, and the quantiles wanted of each.
    lists: Vec<(&'static str, Vec<f64>)>,
    index: PlHashMap<String, u32>,
    cells: Vec<Vec<Cell>>,
    totals: Vec<f64>,
    values: Vec<Vec<f64>>,
}

impl Folded {
    pub fn new(metrics: &[Metric], grouping: &Grouping) -> Folded {
        let partials = partials_of(metrics);
        let sums = partials
            .iter()
            .filter(|p| !matches!(p, Partial::Values(_)))
            .map(|p| (p.name(), !matches!(p, Partial::Sum(..))))
            .collect();
        let mut lists: Vec<(&'static str, Vec<f64>)> = Vec::new();
        for m in metrics {
            if let Value::Quantile { of, q, .. } = &m.value {
                match lists.iter_mut().find(|(c, _)| c == of) {
                    Some((_, qs)) if !qs.contains(q) => qs.push(*q),
                    Some(_) => {}
                    None => lists.push((of, vec![*q])),
                }
            }
        }
        let keys = grouping.keys();
        let bucket = grouping
            .every
            .and_then(|_| keys.iter().position(|k| k == super::PERIOD));
        let mut folded = Folded {
            keys,
            bucket,
            sums,
            lists,
            index: PlHashMap::default(),
            cells: Vec::new(),
            totals: Vec::new(),
            values: Vec::new(),
        };
        if folded.keys.is_empty() {
            // One row even without data.
            folded.group("", Vec::new);
        }
        folded
    }

    fn group(&mut self, key: &str, cells: impl FnOnce() -> Vec<Cell>) -> usize {
        if let Some(&g) = self.index.get(key) {
            return g as usize;
        }
        let g = self.cells.len();
        self.index.insert(key.to_string(), g as u32);
        self.cells.push(cells());
        self.totals
            .extend(std::iter::repeat_n(0.0, self.sums.len()));
        self.values
            .extend(std::iter::repeat_with(Vec::new).take(self.lists.len()));
        g
    }

    /// Fold one part's [`super::record::partials`] in.
    pub fn add(&mut self, part: &DataFrame) -> PolarsResult<()> {
        let keys: Vec<Column> = self
            .keys
            .iter()
            .map(|k| part.column(k).cloned())
            .collect::<PolarsResult<_>>()?;
        // Every column as a plain vector once per block: reading a chunked array by
        // row looks up its chunk each time.
        let sums: Vec<Vec<f64>> = self
            .sums
            .iter()
            .map(|(n, _)| {
                let c = part.column(n)?.cast(&DataType::Float64)?;
                Ok(c.f64()?.iter().map(|v| v.unwrap_or(0.0)).collect())
            })
            .collect::<PolarsResult<_>>()?;
        // Each block's lists in one chunk, read through their offsets.
        let lists: Vec<ListChunked> = self
            .lists
            .iter()
            .map(|(c, _)| {
                Ok(part
                    .column(&quantiles::list(c))?
                    .list()?
                    .rechunk()
                    .into_owned())
            })
            .collect::<PolarsResult<_>>()?;
        let inner: Vec<Series> = lists.iter().map(|l| l.get_inner()).collect();
        let flat: Vec<&[f64]> = inner
            .iter()
            .map(|s| s.f64()?.cont_slice())
            .collect::<PolarsResult<_>>()?;
        let arrays: Vec<&LargeListArray> = lists
            .iter()
            .map(|l| {
                l.downcast_iter()
                    .next()
                    .ok_or_else(|| polars_err!(ComputeError: "an empty list column"))
            })
            .collect::<PolarsResult<_>>()?;
        let date_columns: Vec<Option<Column>> = keys
            .iter()
            .map(|c| {
                (c.dtype() == &DataType::Date)
                    .then(|| c.cast(&DataType::Int32).ok())
                    .flatten()
            })
            .collect();
        let texts: Vec<Option<Vec<Option<&str>>>> = keys
            .iter()
            .map(|c| c.str().ok().map(|t| t.iter().collect()))
            .collect();
        let dates: Vec<Option<Vec<Option<i32>>>> = date_columns
            .iter()
            .map(|c| {
                c.as_ref()
                    .and_then(|c| c.i32().ok())
                    .map(|d| d.iter().collect())
            })
            .collect();
        let cell = |k: usize, row: usize| match (&texts[k], &dates[k]) {
            (Some(t), _) => Cell::Text(t[row].map(str::to_string)),
            (None, Some(d)) => Cell::Date(d[row]),
            _ => Cell::Text(None),
        };
        let mut key = String::new();
        for row in 0..part.height() {
            key.clear();
            if let [Some(t)] = &texts[..] {
                // One text key: the value itself, after a mark that tells it from null.
                match t[row] {
                    Some(v) => {
                        key.push('s');
                        key.push_str(v);
                    }
                    None => key.push('n'),
                }
            } else {
                self.compound_key(&mut key, &texts, &dates, row);
            }
            let g = match self.index.get(key.as_str()) {
                Some(&g) => g as usize,
                None => self.group(&key, || (0..keys.len()).map(|k| cell(k, row)).collect()),
            };
            let width = self.sums.len();
            for (j, s) in sums.iter().enumerate() {
                self.totals[g * width + j] += s[row];
            }
            let width = self.lists.len();
            for j in 0..lists.len() {
                let array = arrays[j];
                if row < array.len() && array.validity().is_none_or(|v| v.get_bit(row)) {
                    let (a, b) = array.offsets().start_end(row);
                    self.values[g * width + j].extend_from_slice(&flat[j][a..b]);
                }
            }
        }
        Ok(())
    }

    /// The key of a row with several key columns (or a bucket).
    fn compound_key(
        &self,
        key: &mut String,
        texts: &[Option<Vec<Option<&str>>>],
        dates: &[Option<Vec<Option<i32>>>],
        row: usize,
    ) {
        for k in 0..texts.len() {
            // A length before each value keeps keys apart ("a|b" + "c" ≠ "a" + "b|c").
            let written = match (&texts[k], &dates[k]) {
                (Some(t), _) => t[row].map(|s| write!(key, "s{}:{s}", s.len())),
                (None, Some(d)) => d[row].map(|d| write!(key, "d{d};")),
                _ => None,
            };
            if written.is_none() {
                key.push_str("n;");
            }
        }
    }

    /// Fold another table (of the same records) into this one.
    pub fn absorb(&mut self, other: Folded) {
        let (sums, lists) = (self.sums.len(), self.lists.len());
        let mut values = other.values.into_iter();
        let mut totals = other.totals.chunks(sums.max(1));
        // Groups in the other table's order of first sight.
        let mut order: Vec<(&String, u32)> = other.index.iter().map(|(k, &g)| (k, g)).collect();
        order.sort_unstable_by_key(|(_, g)| *g);
        for ((key, _), cells) in order.into_iter().zip(other.cells) {
            let g = match self.index.get(key.as_str()) {
                Some(&g) => g as usize,
                None => self.group(key, || cells),
            };
            if sums > 0 {
                if let Some(t) = totals.next() {
                    for (j, v) in t.iter().enumerate() {
                        self.totals[g * sums + j] += v;
                    }
                }
            }
            for j in 0..lists {
                if let Some(v) = values.next() {
                    self.values[g * lists + j].extend(v);
                }
            }
        }
    }

    /// Keys, then each partial that adds up, then each quantile wanted.
    pub fn merged(mut self) -> PolarsResult<DataFrame> {
        let n = self.cells.len();
        let mut columns: Vec<Column> = Vec::new();
        for (k, name) in self.keys.iter().enumerate() {
            let column = if self.bucket == Some(k) {
                let days: Int32Chunked = self
                    .cells
                    .iter()
                    .map(|c| match &c[k] {
                        Cell::Date(d) => *d,
                        Cell::Text(_) => None,
                    })
                    .collect();
                days.with_name(name.as_str().into())
                    .into_column()
                    .cast(&DataType::Date)?
            } else {
                let texts: StringChunked = self
                    .cells
                    .iter()
                    .map(|c| match &c[k] {
                        Cell::Text(t) => t.as_deref(),
                        Cell::Date(_) => None,
                    })
                    .collect();
                texts.with_name(name.as_str().into()).into_column()
            };
            columns.push(column);
        }
        let width = self.sums.len();
        for (j, (name, counts)) in self.sums.iter().enumerate() {
            let totals = (0..n).map(|g| self.totals[g * width + j]);
            columns.push(if *counts {
                Column::new(
                    name.as_str().into(),
                    totals.map(|t| t as i64).collect::<Vec<_>>(),
                )
            } else {
                Column::new(name.as_str().into(), totals.collect::<Vec<_>>())
            });
        }
        let width = self.lists.len();
        for (j, (of, qs)) in self.lists.iter().enumerate() {
            let mut found = vec![Vec::with_capacity(n); qs.len()];
            for g in 0..n {
                let values = &mut self.values[g * width + j];
                for (f, q) in found.iter_mut().zip(qs) {
                    f.push(quantiles::of(values, *q));
                }
            }
            for (f, q) in found.into_iter().zip(qs) {
                columns.push(
                    Float64Chunked::from_iter_options(
                        quantiles::column(of, *q).into(),
                        f.into_iter(),
                    )
                    .into_column(),
                );
            }
        }
        DataFrame::new_infer_height(columns)
    }
}
