//! `cxm customers`: one row per customer ([`crate::compute::customers`]), from the
//! inputs `report` takes.

use crate::cli::CustomersArgs;
use crate::cmd::{Output, Paths};
use crate::compute::customers::compute;
use crate::compute::report::find_files;
use crate::error::Result;
use crate::progress::Spinner;
use crate::report::{Report, Table};
use crate::request::CustomersRequest;
use crate::usage_err;

pub fn run(a: &CustomersArgs) -> Result<()> {
    let r = &a.report;
    for (given, flag) in [
        (!r.events.is_empty(), "--events"),
        (r.schedule.is_some(), "--schedule"),
        (!r.sla_policy.is_empty(), "--sla-policy"),
        (r.rejects.is_some(), "--rejects"),
        (!r.window.by.is_empty(), "--by"),
        (r.window.every.is_some(), "--every"),
    ] {
        if given {
            return Err(usage_err!(
                "customers: {flag} does not apply (one row per customer over the window)"
            ));
        }
    }
    let (base, out) = crate::cmd::report::request(r)?;
    let req = CustomersRequest {
        base,
        horizon_secs: a.horizon.unwrap_or(90.0 * 86_400.0),
    };
    let output = Output::from_args(&out)?;
    let spinner = Spinner::start("cxm: joining the customers' data".into(), out.quiet);
    let files = find_files(&req.base, true)?;
    let inputs = [files.tickets, files.surveys, files.subscriptions].concat();
    Paths {
        inputs: &inputs,
        config: r.config.as_deref(),
        outputs: &[("-o", out.output.as_deref())],
    }
    .check()?;
    let done = compute(&req)?;
    drop(spinner);
    if !out.quiet {
        for w in &done.warnings {
            eprintln!("cxm: warning: {w}");
        }
    }
    let report = Report {
        title: "Customers".into(),
        table: Table::from_frame(&done.metrics, None)?,
    };
    output.emit_checked(&report, &out, "customers")
}
