//! The engine: a dataset's rows read a block at a time on every core
//! ([`Input::map_blocks`]), made ready by the dataset's own steps; each block's rows
//! add to the partials of its metric records ([`crate::metrics::record`]) in the
//! reading worker's table ([`table`]), and give one row of counts (reject flags,
//! `--verbose` categories); the tables are then merged and the records finished. Any
//! dataset whose metrics are records runs through [`run`].

pub mod table;

use polars::prelude::*;

use crate::error::Result;
use crate::input::{Input, Prepare};
use crate::metrics::record::{self, Metric};
use crate::metrics::Grouping;

/// What one pass computes.
pub struct Pass<'a> {
    /// The columns read: canonical fields and raw columns.
    pub fields: &'a [&'a str],
    pub raw: &'a [String],
    pub prepare: &'a Prepare<'a>,
    /// From prepared rows, the rows the metrics use, with their keys and the columns
    /// the records read.
    pub rows: &'a Step<'a>,
    pub metrics: &'a [Metric],
    pub grouping: &'a Grouping,
    /// One-row sums over all prepared rows.
    pub counts: &'a [Expr],
    /// Also per block: a frame of the prepared rows handed to `seen` (the ticket
    /// dataset's id hashes, to learn whether any id repeats).
    pub also: Option<(&'a Step<'a>, &'a Seen<'a>)>,
}

/// A step from prepared rows to a frame.
pub type Step<'a> = dyn Fn(LazyFrame) -> LazyFrame + Sync + 'a;

/// What takes a block's [`Pass::also`] frame.
pub type Seen<'a> = dyn Fn(DataFrame) -> Result<()> + Sync + 'a;

/// The metrics (keys, then each record's column, sorted by keys) and the counts.
pub fn run(input: &Input, pass: &Pass) -> Result<(DataFrame, DataFrame)> {
    let tables = table::Tables::new(table::Layout::new(pass.metrics, pass.grouping));
    let counts = input.map_blocks(pass.fields, pass.raw, |i, block| {
        let prepared = (pass.prepare.all)((pass.prepare.file)(i, block));
        let rows = tables.layout().contributions((pass.rows)(prepared.clone()));
        let mut plans = vec![
            rows.logical_plan,
            prepared.clone().select(pass.counts).logical_plan,
        ];
        if let Some((also, _)) = &pass.also {
            plans.push(also(prepared).logical_plan);
        }
        let mut frames =
            LazyFrame::collect_all_with_engine(plans, Engine::InMemory, OptFlags::default())?;
        if let Some((_, seen)) = &pass.also {
            if let Some(frame) = frames.pop() {
                seen(frame)?;
            }
        }
        let counts = frames.pop().ok_or_else(|| crate::data_err!("no result"))?;
        let rows = frames.pop().ok_or_else(|| crate::data_err!("no result"))?;
        tables.add(&rows)?;
        Ok(counts.lazy())
    })?;
    let counts = stacked(counts)?.sum().collect()?;
    let merged = tables.finish()?;
    let metrics = record::finish(merged, pass.metrics, pass.grouping).collect()?;
    Ok((metrics, counts))
}

/// [`run`] over all the input as one scan on polars' streaming engine: for steps
/// that compare rows across blocks (marking duplicate ids).
pub fn run_whole(input: &Input, pass: &Pass) -> Result<(DataFrame, DataFrame)> {
    let prepared = input.scan_prepared(pass.fields, pass.raw, pass.prepare)?;
    let mut frames = LazyFrame::collect_all_with_engine(
        plans(prepared, pass),
        Engine::Streaming,
        OptFlags::default(),
    )?;
    let counts = frames.pop().ok_or_else(|| crate::data_err!("no result"))?;
    let partials = frames.pop().ok_or_else(|| crate::data_err!("no result"))?;
    Ok((finish(partials, pass)?, counts))
}

/// A part's two results: the partials of its groups, and its counts.
fn plans(prepared: LazyFrame, pass: &Pass) -> Vec<DslPlan> {
    let rows = (pass.rows)(prepared.clone());
    let partials = record::partials(rows, pass.metrics, pass.grouping);
    vec![
        partials.logical_plan,
        prepared.select(pass.counts).logical_plan,
    ]
}

fn finish(partials: DataFrame, pass: &Pass) -> Result<DataFrame> {
    let merged = record::merge(partials, pass.metrics, pass.grouping)?;
    Ok(record::finish(merged, pass.metrics, pass.grouping).collect()?)
}

fn stacked(frames: Vec<LazyFrame>) -> Result<LazyFrame> {
    Ok(concat(
        frames,
        UnionArgs {
            parallel: false,
            rechunk: false,
            ..Default::default()
        },
    )?)
}
