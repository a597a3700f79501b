//! Each dataset's metrics from its typed request ([`crate::request`]): open the files
//! once, run the engine, locate the rejects. Commands call these; so may any program.

pub mod churn;
pub mod customers;
pub mod drivers;
pub mod events;
pub mod report;
pub mod surveys;
pub mod tickets;

use polars::prelude::DataFrame;

use crate::accounting::{self, Categories};
use crate::error::Result;
use crate::input::{Input, Prepare};
use crate::metrics::RejectRule;
use crate::rejects::{self, Rejected};
use crate::request::RowHandling;

/// What a dataset's pass found.
#[derive(Debug)]
pub struct Computed {
    /// One row per group × bucket, at full precision.
    pub metrics: DataFrame,
    pub rejected: Vec<Rejected>,
    /// Rows read (blank rows aside).
    pub rows_read: u64,
    /// What the user should know about the figures (printed unless `--quiet`).
    pub warnings: Vec<String>,
    /// A per-group summary shown beside the rows in table, Markdown and JSON output
    /// (survival's median lifetimes).
    pub summary: Option<DataFrame>,
}

/// Where a pass's rows went: `-v`'s accounting printed, each fired rule located (and
/// `--rejects` written), and the rows read. `fields`, `raw` and `prepare` rebuild the
/// pass's rows for locating.
#[allow(clippy::too_many_arguments)]
fn account(
    input: &Input,
    rows: &RowHandling,
    counts: &DataFrame,
    categories: &Categories,
    rules: &[RejectRule],
    fields: &[&str],
    raw: &[String],
    prepare: &Prepare,
) -> Result<(Vec<Rejected>, u64)> {
    if rows.verbose {
        accounting::print(input, &categories.read(counts, input)?);
    }
    let fired = rejects::counts(counts, rules)?;
    let rejected = rejects::locate(input, rows.rejects.as_deref(), fired, fields, raw, prepare)?;
    Ok((rejected, accounting::rows_read(counts)))
}
