//! `cxm churn`: subscription, snapshot or activity churn, chosen from the mapped fields.

use crate::calendar::Every;
use crate::cli::ChurnArgs;
use crate::cmd::{check_paths, rows, scope, sources, Output};
use crate::compute::{self, Computed};
use crate::config::Config;
use crate::error::Result;
use crate::input::records;
use crate::progress::{reading, Spinner};
use crate::rejects;
use crate::report::{Report, Table};
use crate::request::ChurnRequest;

pub fn run(a: &ChurnArgs) -> Result<()> {
    let req = request(a)?;
    let output = Output::from_args(&a.output)?;
    crate::cmd::require_inputs(&a.input)?;
    check_paths(&a.input, &[], &a.output)?;
    let spinner = Spinner::start(reading(&req.sources.paths), a.output.quiet);
    let (done, note) =
        compute::churn::compute(&req).map_err(|e| records::explain(e, &a.input.inputs))?;
    drop(spinner);
    // Which kind of churn was chosen is information, not a warning (SPEC §3): -v only.
    if req.rows.verbose {
        eprintln!("cxm: {note}");
    }
    rejects::report(&done.rejected, req.rows.strict, a.output.quiet)?;
    let every = req.scope.every.unwrap_or(Every::Month);
    let report = Report {
        title: "Churn".into(),
        table: Table::from_frame(&done.metrics, Some(every))?,
    };
    output.emit_checked(&report, &a.output, "churn")
}

/// The arguments, `--config` filling what the command line leaves unset.
pub fn request(a: &ChurnArgs) -> Result<ChurnRequest> {
    let cfg = Config::load(a.input.config.as_deref())?;
    Ok(ChurnRequest {
        sources: sources(&a.input, &cfg, &cfg.map.customers),
        scope: scope(&a.window, &cfg)?,
        rows: rows(&a.input, &a.output),
        inactive_after: a.inactive_after,
    })
}

/// [`compute::churn::compute`] of a parsed command line.
pub fn compute(a: &ChurnArgs) -> Result<(Computed, String)> {
    compute::churn::compute(&request(a)?)
}
