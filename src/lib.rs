//! cxm: customer-experience metrics from raw CSV and Parquet exports.
//!
//! Layout: [`cli`] (arguments) → [`cmd`] (one short module per subcommand: arguments
//! and `--config` merged into a typed [`request`]) → [`compute`] (a dataset's run
//! from its request) → [`engine`] over [`input`] (reading, column mapping), with
//! [`calendar`] (time) and [`metrics`] (each metric one record) → [`report`] →
//! [`render`]; [`sql`] renders the same metric records as warehouse SQL.

pub mod accounting;
pub mod calendar;
pub mod cells;
pub mod cleanup;
pub mod cli;
pub mod cmd;
pub mod compute;
pub mod config;
pub mod engine;
pub mod error;
pub mod input;
pub mod metrics;
pub mod prefetch;
pub mod progress;
pub mod rejects;
pub mod render;
pub mod report;
pub mod request;
pub mod sample;
pub mod sql;
pub mod text;
pub mod threshold;

pub use error::{CxmError, Result};

/// Run a parsed command line.
pub fn run(cli: cli::Cli) -> Result<()> {
    cmd::run(cli)
}
