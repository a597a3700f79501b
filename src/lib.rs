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
pub mod panics;
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
    use render::{commit_staged, discard_staged};
    let ran = cmd::run(cli);
    // `--rejects` is written once the report is: also when the data stopped the run
    // (`--strict`, exit 3) or a `--fail-if` rule broke (exit 4), for the post-mortem;
    // not when writing the report failed, nor for a usage error.
    match &ran {
        Ok(()) | Err(error::CxmError::Data(_) | error::CxmError::Threshold(_)) => commit_staged()?,
        Err(_) => discard_staged(),
    }
    ran
}
