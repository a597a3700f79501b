//! `cxm churn`: subscription, snapshot or activity churn, chosen from the mapped fields.

use crate::calendar::Every;
use crate::cli::{ChurnArgs, OutputArgs};
use crate::cmd::{check_paths, rows, scope, sources, Output};
use crate::compute::{self, Computed};
use crate::config::Config;
use crate::error::Result;
use crate::input::records;
use crate::progress::{reading, Spinner};
use crate::rejects;
use crate::render::triangle::triangle;
use crate::render::Format;
use crate::report::{Document, Report, Section, Table};
use crate::request::{ChurnRequest, ChurnView, Scope};
use crate::threshold;

pub fn run(a: &ChurnArgs) -> Result<()> {
    let req = request(a)?;
    let output = Output::from_args(&a.output)?;
    crate::cmd::require_inputs(&a.input)?;
    check_paths(&a.input, &[], &a.output)?;
    let spinner = Spinner::start(reading(&req.sources.paths), a.output.quiet);
    let (done, note) = compute::churn::compute(&req).map_err(|e| {
        crate::cmd::config_maps_named(
            records::explain(e, &a.input.inputs),
            &[Some(&req.sources)],
            &a.input,
        )
    })?;
    drop(spinner);
    // Which kind of churn was chosen is information, not a warning (SPEC §3): -v only.
    if req.rows.verbose {
        crate::say!("cxm: {note}");
    }
    rejects::report(&done.rejected, req.rows.strict, a.output.quiet)?;
    if !a.output.quiet {
        for w in &done.warnings {
            crate::say!("cxm: warning: {w}");
        }
    }
    let output = output.covering(
        &req.scope,
        &[("subscriptions", a.input.inputs.as_slice())],
        done.rows_read,
    );
    let every = req.scope.every.unwrap_or(Every::Month);
    let table = Table::from_frame(&done.metrics, Some(every))?;
    let people = matches!(
        output.format,
        Format::Table | Format::Markdown | Format::Html
    );
    // Rules read every table the view has, in every format: a survival run's median
    // lifetimes too, which CSV does not print.
    let summary = done
        .summary
        .as_ref()
        .map(|s| Table::from_frame(s, None))
        .transpose()?;
    let mut tables = vec![("churn", &table)];
    // A column both tables have is the tidy rows' to a rule: `churned>2` tests each
    // month's churned, not the total of the lifetime table beside them.
    let lifetime = summary.as_ref().map(|s| {
        let mut s = s.clone();
        let shared: Vec<String> = (s.columns.iter())
            .filter(|c| table.columns.contains(c) && !req.scope.by.contains(c))
            .cloned()
            .collect();
        for c in &shared {
            s.drop_column(c);
        }
        s
    });
    if let Some(s) = &lifetime {
        tables.push(("lifetime", s));
    }
    match (req.view, &summary) {
        (ChurnView::Cohorts, _) if people => {
            let report = Report {
                // The ages are buckets of --every: the title says which.
                title: format!("Cohort retention % by age in {}s", every.name()),
                table: triangle(&table),
            };
            check_thresholds(&a.output, &tables, || output.emit(&report))
        }
        (ChurnView::Survival { .. }, Some(summary)) if people || output.format == Format::Json => {
            let section = |key: &str, title: &str, table: &Table| Section {
                key: key.into(),
                report: Report {
                    title: title.into(),
                    table: table.clone(),
                },
                groups: req.scope.by.clone(),
            };
            let doc = Document {
                title: "Survival".into(),
                header: output.about.clone(),
                sections: vec![
                    section("survival", "Survival by month", &table),
                    section("lifetime", "Median lifetime", summary),
                ],
                previous: None,
                buckets: Vec::new(),
                by: Vec::new(),
            };
            check_thresholds(&a.output, &tables, || output.write_document(&doc))
        }
        _ => {
            let report = Report {
                title: "Churn".into(),
                table: table.clone(),
            };
            check_thresholds(&a.output, &tables, || output.emit(&report))
        }
    }
}

/// `--fail-if` over the tidy rows, whatever form people see them in.
fn check_thresholds(
    a: &OutputArgs,
    tables: &[(&str, &Table)],
    write: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let rules = threshold::parse_all(&a.fail_if, tables)?;
    threshold::write_then_enforce(&rules, tables, a.quiet, write)
}

/// The arguments, `--config` filling what the command line leaves unset.
pub fn request(a: &ChurnArgs) -> Result<ChurnRequest> {
    // clap's `requires` lets it pass beside an option that conflicts with --survival.
    if a.grace.is_some() && !a.survival {
        return Err(crate::usage_err!(
            "--grace applies to --survival only (a gap it bridges within a lifetime); --cohorts and --movements count each subscription as it runs"
        ));
    }
    if a.survival && a.window.every_or(None).is_some() {
        return Err(crate::usage_err!(
            "--survival: --every does not apply (its rows are months since each customer's first start)"
        ));
    }
    if !a.survival && a.window.every_given() == Some(None) {
        return Err(crate::usage_err!(
            "--every none: churn is counted per calendar bucket (day, week, month, quarter, year); leave --every out for months"
        ));
    }
    if a.inactive_after.is_some_and(|d| d <= 0.0) {
        return Err(crate::usage_err!(
            "--inactive-after: must be longer than 0 (how long after its last event a customer is still active)"
        ));
    }
    let cfg = Config::load(a.input.config.as_deref())?;
    let scope = scope(&a.window, &cfg)?;
    Ok(ChurnRequest {
        sources: sources(&a.input, &a.window.filters, &cfg, &cfg.map.customers),
        view: view(a, &scope, cfg.now.is_some()),
        scope,
        rows: rows(&a.input, &a.output),
        inactive_after: a.inactive_after,
    })
}

/// Which view of churn the flags ask for.
fn view(a: &ChurnArgs, scope: &Scope, configured_now: bool) -> ChurnView {
    if a.cohorts {
        ChurnView::Cohorts
    } else if a.survival {
        ChurnView::Survival {
            grace_secs: a.grace.unwrap_or(0.0),
            now: (a.window.now.is_some() || configured_now).then_some(scope.now),
        }
    } else {
        ChurnView::Buckets {
            movements: a.movements,
        }
    }
}

/// [`compute::churn::compute`] of a parsed command line.
pub fn compute(a: &ChurnArgs) -> Result<(Computed, String)> {
    compute::churn::compute(&request(a)?)
}
