//! The engine: a dataset's rows read a block at a time on every core
//! ([`Input::map_blocks`]), made ready by the dataset's own steps; each block's rows
//! add to the partials of its metric records ([`crate::metrics::record`]) in the
//! reading worker's table ([`table`]), and give one row of counts (reject flags,
//! `--verbose` categories); the tables are then merged and the records finished. Any
//! dataset whose metrics are records runs through [`run`].

mod groups;
mod index;
mod keys;
mod result;
pub mod table;
mod values;

use polars::prelude::*;

use crate::error::Result;
use crate::input::classes::Class;
use crate::input::{Input, Prepare};
use crate::metrics::record::Metric;
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
    /// Also per block, each hook's frame of the prepared rows handed to its `seen`
    /// (id hashes, to learn whether any id repeats; the latest NPS scores).
    pub also: &'a [Hook<'a>],
    /// Number the rows in order across all blocks ([`ORDER`], added before the
    /// dataset's steps) from these offsets of each block's first row (see
    /// [`Ran::offsets`]): for steps that compare rows across blocks (repeated ids).
    pub numbered: Option<&'a [u64]>,
    /// Fields and columns read as classes of their values (see [`crate::input::classes`]).
    pub classes: &'a [Class],
    /// Of the prepared rows, those the metrics and counts see (none: all); the hooks
    /// and the rows' numbering see them all.
    pub keep: Option<Expr>,
    /// One-row firsts of each block's kept rows, over [`crate::input::ROW_INDEX`] (a
    /// row's number in its block): where each reject rule first fired
    /// ([`crate::rejects::first_hits`]), found in this pass rather than by reading
    /// the files again.
    pub firsts: Option<&'a crate::rejects::Firsts>,
    /// Keep the values of the quantile partial of this column ([`Ran::values`]).
    pub values_of: Option<&'static str>,
}

/// Column of a row's number among all the rows of all the files, in order, when a
/// pass is [`Pass::numbered`].
pub const ORDER: &str = "__order";

/// A pass's results.
pub struct Ran {
    /// Keys, then each record's column, sorted by keys.
    pub metrics: DataFrame,
    /// The one-row sums of [`Pass::counts`].
    pub counts: DataFrame,
    /// How many rows each block had, in order.
    pub block_rows: Vec<u64>,
    /// Each block's [`Pass::firsts`], in order (none without them).
    pub firsts: Vec<BlockFirsts>,
    /// The values of [`Pass::values_of`], all groups', in no particular order.
    pub values: Option<Vec<f64>>,
}

/// A block's [`Pass::firsts`]: its file, its place among that file's blocks, and the
/// one-row frame.
pub struct BlockFirsts {
    pub file: usize,
    pub block: usize,
    pub frame: DataFrame,
}

impl Ran {
    /// The number of each block's first row among all rows: what [`Pass::numbered`]
    /// takes.
    pub fn offsets(&self) -> Vec<u64> {
        let mut at = 0;
        self.block_rows
            .iter()
            .map(|n| {
                let first = at;
                at += n;
                first
            })
            .collect()
    }
}

/// Each block's firsts (by its file, in file and block order) with its place among
/// its file's blocks, counted from the file's first.
pub fn block_firsts(blocks: Vec<(usize, Option<DataFrame>)>) -> Vec<BlockFirsts> {
    let mut out = Vec::new();
    let (mut file, mut block) = (usize::MAX, 0);
    for (i, frame) in blocks {
        (file, block) = match i == file {
            true => (i, block + 1),
            false => (i, 0),
        };
        if let Some(frame) = frame {
            out.push(BlockFirsts { file, block, frame });
        }
    }
    out
}

/// Number a block's rows from `first`.
pub fn numbered(block: LazyFrame, first: u64) -> LazyFrame {
    block
        .with_row_index(ORDER, None)
        .with_column((col(ORDER).cast(DataType::UInt64) + lit(first)).alias(ORDER))
}

/// Column of each block's row count among its counts.
const BLOCK_ROWS: &str = "__block_rows";

/// A step from prepared rows to a frame.
pub type Step<'a> = dyn Fn(LazyFrame) -> LazyFrame + Sync + 'a;

/// What takes a block's [`Pass::also`] frame.
pub type Seen<'a> = dyn Fn(DataFrame) -> Result<()> + Sync + 'a;

/// A [`Pass::also`] step and what takes its frame.
pub type Hook<'a> = (&'a Step<'a>, &'a Seen<'a>);

/// The metrics (keys, then each record's column, sorted by keys) and the counts.
pub fn run(input: &Input, pass: &Pass) -> Result<(DataFrame, DataFrame)> {
    let ran = run_counted(input, pass)?;
    Ok((ran.metrics, ran.counts))
}

/// [`run`], with each block's row count.
pub fn run_counted(input: &Input, pass: &Pass) -> Result<Ran> {
    let tables = table::Tables::new(table::Layout::new(pass.metrics, pass.grouping));
    let mut counts_of_block: Vec<Expr> = pass.counts.to_vec();
    let block_rows = len().cast(DataType::UInt64).alias(BLOCK_ROWS);
    if pass.keep.is_none() {
        counts_of_block.push(block_rows.clone());
    }
    let each_block = |i: usize,
                      k: usize,
                      block: LazyFrame|
     -> Result<(DataFrame, Option<DataFrame>, usize)> {
        let block = match pass.numbered {
            Some(offsets) => {
                let first = offsets.get(k).copied().ok_or_else(|| {
                    crate::error::CxmError::Internal(format!("block {k} was not in the first pass"))
                })?;
                numbered(block, first)
            }
            None => block,
        };
        let prepared = (pass.prepare.all)((pass.prepare.file)(i, block));
        // With hooks the block is prepared once, for all: left to polars to share
        // between the plans, it was at times prepared twice (surveys: 40 % more time).
        let prepared = match pass.also.is_empty() && pass.keep.is_none() {
            true => prepared,
            false => prepared.collect()?.lazy(),
        };
        let kept = match &pass.keep {
            Some(keep) => prepared.clone().filter(keep.clone()),
            None => prepared.clone(),
        };
        let rows = tables.layout().contributions((pass.rows)(kept.clone()));
        let plans = vec![
            rows.logical_plan,
            kept.clone().select(counts_of_block.clone()).logical_plan,
        ];
        for (also, seen) in pass.also {
            seen(also(prepared.clone()).collect()?)?;
        }
        let mut frames =
            LazyFrame::collect_all_with_engine(plans, Engine::InMemory, OptFlags::default())?;
        let mut counts = frames.pop().ok_or_else(|| crate::data_err!("no result"))?;
        // Where rules fired, the block's first hits (its rows prepared again: few
        // blocks have any).
        let firsts = match pass.firsts {
            Some(f) => crate::rejects::block_hits(&counts, kept, f, k)?,
            None => None,
        };
        // The rows kept or not, for the numbering.
        if pass.keep.is_some() {
            let all = prepared.select([block_rows.clone()]).collect()?;
            counts.with_column(all.column(BLOCK_ROWS)?.clone())?;
        }
        let rows = frames.pop().ok_or_else(|| crate::data_err!("no result"))?;
        tables.add(&rows)?;
        Ok((counts, firsts, i))
    };
    let located = pass.firsts.is_some();
    let ran =
        input.map_blocks_classified(pass.fields, pass.raw, (pass.classes, located), each_block)?;
    let mut counts = Vec::with_capacity(ran.len());
    let mut firsts_of = Vec::with_capacity(ran.len());
    for (c, f, i) in ran {
        counts.push(c);
        firsts_of.push((i, f));
    }
    let firsts = block_firsts(firsts_of);
    let block_rows = counts
        .iter()
        .map(|c| Ok(c.column(BLOCK_ROWS)?.u64()?.get(0).unwrap_or(0)))
        .collect::<Result<Vec<u64>>>()?;
    let counts = stacked(counts.into_iter().map(|c| c.lazy()).collect())?
        .sum()
        .drop(by_name([BLOCK_ROWS], true, false))
        .collect()?;
    let (metrics, values) = tables.finish_keeping(pass.values_of)?;
    Ok(Ran {
        metrics,
        counts,
        block_rows,
        firsts,
        values,
    })
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
