//! Each dataset's metrics from its typed request ([`crate::request`]): open the files
//! once, run the engine, locate the rejects. Commands call these; so may any program.

pub mod churn;
pub mod report;
pub mod surveys;
pub mod tickets;

use polars::prelude::DataFrame;

use crate::rejects::Rejected;

/// What a dataset's pass found.
#[derive(Debug)]
pub struct Computed {
    /// One row per group × bucket, at full precision.
    pub metrics: DataFrame,
    pub rejected: Vec<Rejected>,
    /// Rows read (blank rows aside).
    pub rows_read: u64,
}
