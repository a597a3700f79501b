//! The merged table as the result: one row per group, its keys, then each metric
//! worked out from the group's line of counts and sums ([`record::columns`]) or from
//! its quantiles (on threads of their own when the groups are many), sorted by keys.

use polars::prelude::*;

use super::groups::Merged;
use super::keys::{decode, sorted_order, KeyValues};
use super::table::Layout;
use super::values::{many_values, Found, Values, FEW_GROUPS};
use crate::error::{CxmError, Result};
use crate::metrics::record::{self, Partial, Placed, Value};
use crate::metrics::sort_by_keys;

/// One row per group of the merged table, sorted by keys: its keys, then each
/// metric's value.
pub(super) fn frame(mut all: Merged, layout: &Layout) -> Result<DataFrame> {
    all.forget_index();

    let values = std::mem::take(&mut all.main.values);
    let groups = all.len();
    let keys = decode(&all, layout);
    let sorted = sorted_order(&keys);
    let is_sorted = sorted.is_some();
    let order = sorted.unwrap_or_else(|| (0..groups as u32).collect());
    let of_sums: Vec<&Placed> = layout
        .metrics
        .iter()
        .filter(|m| !matches!(m.value, Value::Quantile { .. }))
        .collect();
    // The quantiles are worked out on threads of their own (when the groups are
    // many) while the keys and the metrics of counts and sums are laid out here.
    let ((mut keyed, by_sums), mut by_values) = with_quantiles(values, layout, &order, || {
        let mut columns: Vec<Column> = Vec::new();
        for (name, values) in layout.keys.iter().zip(keys) {
            let mut column = match values {
                KeyValues::Text(v) => {
                    let each = order.iter().map(|&g| v[g as usize]);
                    StringChunked::from_iter_options(name.into(), each).into_series()
                }
                KeyValues::Date(v) => {
                    let each = order.iter().map(|&g| v[g as usize]);
                    Int32Chunked::from_iter_options(name.into(), each)
                        .into_date()
                        .into_series()
                }
            };
            if is_sorted {
                column.set_sorted_flag(polars::series::IsSorted::Ascending);
            }
            columns.push(column.into_column());
        }
        let stride = layout.stride;
        let line = |i: usize| all.line(order[i], stride);
        let by_sums = record::columns(&of_sums, groups, line, |_, _| None);
        (columns, by_sums)
    })?;
    drop(all);
    // Back in the metrics' order.
    let mut by_sums = by_sums.into_iter();
    for (m, placed) in layout.metrics.iter().enumerate() {
        let next = match placed.value {
            Value::Quantile { .. } => {
                let at = by_values.iter().position(|(of, _)| *of == m);
                at.map(|at| by_values.swap_remove(at).1)
            }
            _ => by_sums.next(),
        };
        keyed.push(next.ok_or_else(|| CxmError::Internal(format!("no {}", placed.name)))?);
    }
    let frame = DataFrame::new_infer_height(keyed)?;
    Ok(sort_by_keys(frame.lazy(), &layout.keys).collect()?)
}

/// Every value of the quantile partial of column `of`, of all groups (none if no
/// metric keeps its values).
pub(super) fn all_values(all: &Merged, layout: &Layout, of: &str) -> Vec<f64> {
    let mut kept = (layout.partials.iter()).filter_map(|p| match p {
        Partial::Values(column) => Some(*column),
        _ => None,
    });
    match kept.position(|column| column == of) {
        Some(i) => all.main.values.get(i).map(Values::all).unwrap_or_default(),
        None => Vec::new(),
    }
}

/// The quantile metrics' columns, each with its place among the metrics, beside what
/// `meanwhile` returns. When the groups are many each quantile partial's metrics are
/// worked out on a thread of its own, `meanwhile` on this one: with hundreds of
/// thousands of groups, putting millions of values in their groups is most of this
/// step.
fn with_quantiles<T>(
    values: Vec<Values>,
    layout: &Layout,
    order: &[u32],
    meanwhile: impl FnOnce() -> T,
) -> Result<(T, Vec<(usize, Column)>)> {
    let of: Vec<&'static str> = layout
        .partials
        .iter()
        .filter_map(|p| match p {
            Partial::Values(of) => Some(*of),
            _ => None,
        })
        .collect();
    let found = |v: Values, of: &'static str| quantile_columns(layout, v, of, order);
    if order.len() <= FEW_GROUPS && !many_values(&values) {
        let found = values
            .into_iter()
            .zip(of)
            .flat_map(|(v, of)| found(v, of))
            .collect();
        return Ok((meanwhile(), found));
    }
    std::thread::scope(|s| {
        let running: Vec<_> = values
            .into_iter()
            .zip(of)
            .map(|(v, of)| s.spawn(move || found(v, of)))
            .collect();
        let mine = meanwhile();
        let mut found = Vec::new();
        for r in running {
            let columns = r
                .join()
                .map_err(|_| CxmError::Internal("a quantile thread panicked".into()))?;
            found.extend(columns);
        }
        Ok((mine, found))
    })
}

/// The columns of the metrics that report quantiles of `of`, from its `values`,
/// each with its place among the metrics.
fn quantile_columns(
    layout: &Layout,
    values: Values,
    of: &str,
    order: &[u32],
) -> Vec<(usize, Column)> {
    let qs = layout.quantiles_of(of);
    let mut found: Vec<Option<Found>> = values.quantiles(order, qs).into_iter().map(Some).collect();
    let reporting: Vec<(usize, usize)> = (layout.metrics.iter().enumerate())
        .filter_map(|(m, placed)| match placed.value {
            Value::Quantile { of: o, q, .. } if o == of => {
                Some((m, qs.iter().position(|x| *x == q)?))
            }
            _ => None,
        })
        .collect();
    let mut columns = Vec::new();
    for (r, &(m, k)) in reporting.iter().enumerate() {
        // The last metric of a quantile takes its values; any other, a copy.
        let again = reporting[r + 1..].iter().any(|&(_, later)| later == k);
        let taken = match again {
            true => found[k].clone(),
            false => found[k].take(),
        };
        if let Some(Found { values, present }) = taken {
            columns.push((
                m,
                record::quantile_column(&layout.metrics[m], values, &present),
            ));
        }
    }
    columns
}
