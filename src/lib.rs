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
    input::record_limit_setting()?;
    let rejects = rejects_path(&cli);
    if rejects.is_some() {
        render::hold_renames();
    }
    let ran = cmd::run(cli);
    input::excel::forget_copies();
    input::source::forget_streams();
    // `--rejects` is written once the report is: also when the data stopped the run
    // (`--strict`, exit 3) or a `--fail-if` rule broke (exit 4), for the post-mortem;
    // not when writing the report failed, nor for a usage error.
    match &ran {
        Ok(()) => commit_staged()?,
        // A rejects file that cannot be written fails the run (exit 1); the rules
        // it broke are said all the same.
        Err(error::CxmError::Threshold(breaches)) => {
            if let Err(e) = commit_staged() {
                say!("cxm: error: {breaches}");
                return Err(e);
            }
        }
        Err(error::CxmError::Data(_)) => {
            // Stopped before any row was judged (a file that cannot be read): no
            // rejected row, rather than the last run's left in place, where that is
            // what the path holds.
            if let Some(path) = rejects.filter(|p| !render::is_staged(p) && rejects_or_nothing(p)) {
                render::stage(&path, REJECTS_HEADER.to_vec());
            }
            commit_staged()?
        }
        Err(_) => discard_staged(),
    }
    ran
}

const REJECTS_HEADER: &[u8] = b"file,line,reason,column,value\n";

/// Is there nothing at `path` (in a folder that exists), or a rejects file?
fn rejects_or_nothing(path: &std::path::Path) -> bool {
    use std::io::Read;
    let Ok(file) = std::fs::File::open(path) else {
        return path
            .parent()
            .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
    };
    let fixed = &REJECTS_HEADER[..REJECTS_HEADER.len() - 1];
    let mut head = Vec::new();
    let read = file.take(fixed.len() as u64 + 1).read_to_end(&mut head);
    read.is_ok()
        && head.starts_with(fixed)
        && matches!(head.get(fixed.len()), Some(b',' | b'\n' | b'\r'))
}

/// The `--rejects` file the command line names.
fn rejects_path(cli: &cli::Cli) -> Option<std::path::PathBuf> {
    match &cli.command {
        cli::Command::Tickets(a) => a.input.rejects.clone(),
        cli::Command::Surveys(a) => a.input.rejects.clone(),
        cli::Command::Churn(a) => a.input.rejects.clone(),
        cli::Command::Report(a) => a.rejects.clone(),
        _ => None,
    }
}
