//! cxm: customer-experience metrics from raw CSV exports.
//!
//! Layout: [`cli`] (arguments) → [`cmd`] (one module per subcommand) →
//! [`calendar`], [`input`] (loading and column mapping), [`metrics`] (pure
//! `LazyFrame` definitions) → [`report`] → [`render`].

pub mod accounting;
pub mod calendar;
pub mod cleanup;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod engine;
pub mod error;
pub mod input;
pub mod metrics;
pub mod progress;
pub mod rejects;
pub mod render;
pub mod report;
pub mod sample;
pub mod text;
pub mod threshold;

pub use error::{CxmError, Result};

/// Run a parsed command line.
pub fn run(cli: cli::Cli) -> Result<()> {
    cmd::run(cli)
}
