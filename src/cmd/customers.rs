//! `cxm customers`: one row per customer ([`crate::compute::customers`]), from the
//! inputs `report` takes.

use crate::cli::{CustomersArgs, DriversArgs, OutcomeArg, OutputArgs};
use crate::cmd::{Output, Paths};
use crate::compute::customers::compute;
use crate::compute::report::find_files;
use crate::error::Result;
use crate::metrics::surveys::Measure;
use crate::progress::Spinner;
use crate::report::{Report, Table};
use crate::request::{CustomersRequest, DriversRequest, Factor, Outcome};
use crate::usage_err;

pub fn run(a: &CustomersArgs) -> Result<()> {
    let (req, out) = request(a, Rows::Customers)?;
    let output = Output::from_args(&out)?;
    let spinner = Spinner::start("cxm: joining the customers' data".into(), out.quiet);
    check_paths(a, &req, &out, output.format)?;
    let done = compute(&req).map_err(crate::compute::report::config_maps)?;
    drop(spinner);
    // Under --strict, every dataset's rejects (said already otherwise).
    crate::rejects::report(&done.rejected, req.base.rows.strict, out.quiet)?;
    warn(&done.warnings, out.quiet);
    let metrics = done.metrics.drop("sla_pct").unwrap_or(done.metrics);
    let report = Report {
        title: "Customers".into(),
        table: Table::from_frame(&metrics, None)?,
    };
    let found = inputs_of(&req)?;
    let subscribed = found
        .iter()
        .any(|(kind, f)| *kind == "subscriptions" && !f.is_empty());
    if a.horizon.is_some() && !subscribed && !out.quiet {
        crate::say!(
            "cxm: warning: --horizon: no subscriptions in this run, so no customer's churn is told (the churned column is empty)"
        );
    }
    let output = output.covering(&req.base.scope, &by_kind(&found), done.rows_read);
    let unit = req.base.time_unit;
    let out = saved_rules_kept("customers", &a.report, out, &report.table, unit);
    let emitted = output.emit_checked(&report, &out, "customers");
    saved_rules_named(emitted, &a.report, &out)
}

/// The saved report's `fail_if` (none given on the command line) serves `report`'s
/// figures: a rule on one of them this command has no column for is passed over,
/// said, as its other keys are, where a flag's stops the run (as does a rule on no
/// figure of either: a misspelt name, a duration in another unit).
fn saved_rules_kept(
    command: &str,
    a: &crate::cli::ReportArgs,
    mut out: OutputArgs,
    table: &Table,
    unit: crate::metrics::tickets::TimeUnit,
) -> OutputArgs {
    if !a.output.fail_if.is_empty() {
        return out;
    }
    let reports = report_metrics(unit);
    out.fail_if.retain(|expr| {
        let Ok(rule) = crate::threshold::Rule::parse(expr) else {
            return true;
        };
        let named = |c: &String| c.eq_ignore_ascii_case(&rule.metric);
        let known = table.columns.iter().any(named) || !reports.iter().any(named);
        if !known && !out.quiet {
            crate::say!(
                "cxm: warning: the saved report's fail_if '{expr}' is passed over: {command} has no metric '{}' (the rule is for report's figures)",
                rule.metric
            );
        }
        known
    });
    out
}

/// A `--fail-if` rule that cannot be checked, when it came from the saved report (none
/// given on the command line), is said to be its, as `report` says it: the report may
/// have run without its name, the config's only one.
fn saved_rules_named(
    emitted: Result<()>,
    a: &crate::cli::ReportArgs,
    out: &OutputArgs,
) -> Result<()> {
    let saved = a.output.fail_if.is_empty() && !out.fail_if.is_empty();
    emitted.map_err(|e| match (saved, &e) {
        (true, crate::error::CxmError::Usage(_)) => e.also(&format!(
            "the rule is the saved report's fail_if, in {}",
            a.config
                .as_deref()
                .map_or("the config file".into(), crate::text::path_shown)
        )),
        _ => e,
    })
}

/// The figures `report` has columns for, in `unit`: its tickets' (with business hours,
/// SLA policies and an event log's), its surveys' and its churn's, and their
/// comparisons.
fn report_metrics(unit: crate::metrics::tickets::TimeUnit) -> Vec<String> {
    let extras = crate::metrics::tickets::Extras {
        business: true,
        policies: true,
        ..Default::default()
    };
    let churn = crate::metrics::churn::Columns {
        mrr: true,
        movements: true,
    };
    let mut out = crate::metrics::tickets::metric_columns(unit, extras);
    // An event log's figures, and its next replies' SLA verdicts.
    let log = (crate::metrics::events::reply_metrics(unit, true).into_iter())
        .chain(crate::metrics::events::ticket_metrics(unit, true));
    out.extend(log.map(|m| m.name));
    let next_reply = crate::metrics::sla::SlaMetric::NextReply.name();
    out.extend(
        (crate::metrics::sla::Verdict::ALL.iter())
            .map(|v| format!("sla_{next_reply}_{}", v.word()))
            .chain([format!("sla_{next_reply}_pct")]),
    );
    out.extend(crate::metrics::surveys::metric_columns());
    out.extend(crate::metrics::churn::metric_columns(churn));
    out.extend(["customers", "churned", "churn_pct"].map(String::from));
    out.extend(
        crate::compute::compare::comparison_columns()
            .iter()
            .map(|c| c.to_string()),
    );
    out
}

/// `cxm drivers`.
pub fn run_drivers(a: &DriversArgs) -> Result<()> {
    if a.customers
        .report
        .window
        .by_given()?
        .is_some_and(|b| !b.is_empty())
    {
        return Err(usage_err!(
            "drivers: --by does not apply (one row per bucket of the factor)"
        ));
    }
    let (customers, out) = request(&a.customers, Rows::Buckets(a.factor))?;
    // A saved report's `by` has no rows here either: said, as its other keys are.
    let scope = &customers.base.scope;
    if let (Some(key), false) = (&scope.by_origin, out.quiet || scope.by.is_empty()) {
        crate::say!(
            "cxm: warning: {key} ({}) is passed over: drivers has one row per bucket of the factor",
            scope.by.join(",")
        );
    }
    let factor = a.factor;
    // Only a duration factor is told in a unit of time.
    if a.customers.report.time_unit.is_some() && !factor.is_duration() && !out.quiet {
        crate::say!(
            "cxm: warning: --time-unit: the factor {} is no duration (its unit is {}), so not used",
            factor.name(),
            factor.unit(crate::metrics::tickets::TimeUnit::Hours)
        );
    }
    // CSAT's scale is read by a CSAT outcome or factor, NPS's by the NPS outcome.
    let reads_csat = a.outcome == OutcomeArg::Csat || factor == Factor::CsatPct;
    let reads_nps = a.outcome == OutcomeArg::Nps;
    let outcome = match a.outcome {
        OutcomeArg::Churn => "churn",
        OutcomeArg::Csat => "csat",
        OutcomeArg::Nps => "nps",
    };
    for (measure, scale) in &a.customers.report.scale {
        let read = measure.eq_ignore_ascii_case("csat") && reads_csat
            || measure.eq_ignore_ascii_case("nps") && reads_nps;
        if !read && !out.quiet {
            crate::say!(
                "cxm: warning: --scale {measure}={scale}: neither the outcome ({}) nor the factor ({}) reads {measure} scores, so not used",
                outcome,
                factor.name()
            );
        }
    }
    let scale = customers.base.time_unit.seconds();
    let edges = if a.edges.is_empty() {
        None
    } else {
        let parsed = a
            .edges
            .iter()
            .map(|e| {
                // A bare number is in --time-unit, the unit the buckets are labelled in.
                let bare = !e.chars().any(|c| c.is_ascii_alphabetic());
                if e.trim_start().starts_with('-') {
                    return Err(format!("give rising values above 0, e.g. 1h,4h,24h (got '{e}')"));
                }
                if factor.is_duration() && !bare {
                    crate::calendar::parse_duration_secs(e)
                        .map(|s| s / scale)
                        .map_err(|_| {
                            format!("expected a number (in --time-unit) or a duration like 30m, 1h or 4h, got '{e}'")
                        })
                } else {
                    e.trim().parse::<f64>().map_err(|_| match factor.is_duration() {
                        true => format!("not a number: '{e}'"),
                        false => format!(
                            "{} takes plain numbers (its unit is {}), got '{e}'",
                            factor.name(),
                            factor.unit(crate::metrics::tickets::TimeUnit::Hours)
                        ),
                    })
                }
            })
            .collect::<std::result::Result<Vec<f64>, String>>()
            .map_err(|e| usage_err!("--edges: {e}"))?;
        // NaN compares as nothing: refused by name, not by order.
        if parsed.iter().any(|e| !e.is_finite())
            || parsed.windows(2).any(|w| w[0] >= w[1])
            || parsed.first().is_some_and(|&e| e <= 0.0)
        {
            return Err(usage_err!(
                "--edges: give rising values above 0, e.g. 1h,4h,24h (got '{}')",
                a.edges.join(",")
            ));
        }
        // A share is at most 100: a bucket above a higher edge is always empty.
        let percent = factor.unit(crate::metrics::tickets::TimeUnit::Hours) == "percent";
        if let Some(e) = parsed.iter().find(|&&e| percent && e > 100.0) {
            return Err(usage_err!(
                "--edges: {} is a percentage, at most 100 (got {e})",
                factor.name()
            ));
        }
        Some(parsed)
    };
    let req = DriversRequest {
        customers,
        outcome: match a.outcome {
            OutcomeArg::Churn => Outcome::Churn,
            OutcomeArg::Csat => Outcome::Csat,
            OutcomeArg::Nps => Outcome::Nps,
        },
        factor,
        buckets: a.buckets.unwrap_or(5).max(1),
        edges,
    };
    let output = Output::from_args(&out)?;
    let spinner = Spinner::start("cxm: joining the customers' data".into(), out.quiet);
    check_paths(&a.customers, &req.customers, &out, output.format)?;
    let done =
        crate::compute::drivers::compute(&req).map_err(crate::compute::report::config_maps)?;
    drop(spinner);
    warn(&done.warnings, out.quiet);
    // The outcome and the factor's unit in the title: tables for people have no
    // other place for them, and `outcome %` reads otherwise alike for each outcome.
    let measured = match a.outcome {
        OutcomeArg::Churn => "churned % of customers",
        OutcomeArg::Csat => "satisfied % of CSAT responses (relative risk: not satisfied)",
        OutcomeArg::Nps => "NPS of responses (relative risk: detractors)",
    };
    let report = Report {
        title: format!(
            "Drivers: {measured}, by the customers' {} (buckets in {})",
            factor.name(),
            factor.unit(req.customers.base.time_unit)
        ),
        table: Table::from_frame(&done.metrics, None)?,
    };
    let found: Vec<_> = (inputs_of(&req.customers)?.into_iter())
        .filter(|(kind, _)| crate::compute::drivers::reads(&req, kind))
        .collect();
    let mut output = output.covering(&req.customers.base.scope, &by_kind(&found), done.rows_read);
    let outcome = match a.outcome {
        OutcomeArg::Churn => "churn",
        OutcomeArg::Csat => "satisfied (CSAT)",
        OutcomeArg::Nps => "NPS",
    };
    output.about.push(format!(
        "{outcome} by bucket of the customers' {} (in {})",
        factor.name(),
        factor.unit(req.customers.base.time_unit)
    ));
    let unit = req.customers.base.time_unit;
    let out = saved_rules_kept("drivers", &a.customers.report, out, &report.table, unit);
    let emitted = output.emit_checked(&report, &out, "drivers");
    saved_rules_named(emitted, &a.customers.report, &out)
}

/// Each warning once: one file read as tickets and as responses (a ticket export's
/// own CSAT) is warned of once.
fn warn(warnings: &[String], quiet: bool) {
    if !quiet {
        let mut said = std::collections::HashSet::new();
        // No `--map` here: a hint to use one names the config file's tables.
        let warnings = warnings
            .iter()
            .map(|w| crate::compute::report::map_hints_of(w, None));
        for w in warnings.filter(|w| said.insert(w.clone())) {
            crate::say!("cxm: warning: {w}");
        }
    }
}

/// What a saved report or a folder gives that `customers` and `drivers` do not read
/// (their flags are refused): said, not passed over in silence. Their service
/// figures come from the ticket files alone, in calendar time.
fn passed_over(command: &str, base: &crate::request::ReportRequest) -> Result<()> {
    let saved = [
        (!base.files.events.is_empty(), "events"),
        (base.schedule.is_some(), "schedule"),
        (!base.sla_policies.is_empty(), "sla_policy"),
    ];
    for (_, key) in saved.iter().filter(|(given, _)| *given) {
        crate::say!(
            "cxm: warning: the saved report's {key} is passed over: {command} does not read it (its service figures come from the ticket files, in calendar time)"
        );
    }
    if base.files.events.is_empty() && base.dir.is_some() {
        let logs = find_files(base, true)?.events;
        if !logs.is_empty() {
            let names: Vec<String> = logs.iter().map(|p| crate::text::path_shown(p)).collect();
            crate::say!(
                "cxm: warning: {}: an event log, which {command} does not read (its service figures come from the ticket files)",
                crate::text::files_listed(&names, ", ")
            );
        }
    }
    Ok(())
}

/// The inputs `customers` found, by kind.
fn inputs_of(req: &CustomersRequest) -> Result<Vec<(&'static str, Vec<std::path::PathBuf>)>> {
    let files = find_files(&req.base, true)?;
    Ok(vec![
        ("tickets", files.tickets),
        ("surveys", files.surveys),
        ("subscriptions", files.subscriptions),
    ])
}

fn by_kind<'a>(
    found: &'a [(&'static str, Vec<std::path::PathBuf>)],
) -> Vec<(&'static str, &'a [std::path::PathBuf])> {
    found
        .iter()
        .map(|(kind, paths)| (*kind, paths.as_slice()))
        .collect()
}

fn check_paths(
    a: &CustomersArgs,
    req: &CustomersRequest,
    out: &OutputArgs,
    format: crate::render::Format,
) -> Result<()> {
    let files = find_files(&req.base, true)?;
    let inputs = [files.tickets, files.surveys, files.subscriptions].concat();
    if !out.quiet {
        super::warn_unused_sheet(req.base.read.sheet.as_deref(), &inputs);
    }
    Paths {
        inputs: &inputs,
        config: a.report.config.as_deref(),
        outputs: &[("-o", out.output.as_deref())],
    }
    .check()?;
    // A CSV or JSON table of its own is told from data by its columns; a Markdown or
    // terminal table is not, and would stop the next run.
    let untold = [
        crate::render::Format::Markdown,
        crate::render::Format::Table,
    ];
    if let (Some(dir), Some(written)) = (&req.base.dir, &out.output) {
        if untold.contains(&format) {
            super::refuse_read_back("-o", written, dir)?;
        }
    }
    Ok(())
}

/// What a command's rows are: customers, or buckets of a drivers factor.
#[derive(Clone, Copy)]
pub enum Rows {
    Customers,
    Buckets(Factor),
}

/// The request and output options of `cxm customers` (and `drivers`).
pub fn request(a: &CustomersArgs, of: Rows) -> Result<(CustomersRequest, OutputArgs)> {
    let r = &a.report;
    let (command, rows) = match of {
        Rows::Customers => ("customers", "one row per customer over the window"),
        Rows::Buckets(_) => ("drivers", "one row per bucket of the factor"),
    };
    // The first-response target is read only for drivers' `sla_pct` factor.
    let sla_unused = !matches!(of, Rows::Buckets(Factor::SlaPct));
    if r.sla.is_some() && matches!(of, Rows::Buckets(_)) && sla_unused {
        return Err(usage_err!(
            "drivers: --sla is the target of the sla_pct factor (--factor sla_pct)"
        ));
    }
    for (given, flag) in [
        (r.sla.is_some() && sla_unused, "--sla"),
        (!r.events.is_empty(), "--events"),
        (r.schedule.is_some(), "--schedule"),
        (!r.sla_policy.is_empty(), "--sla-policy"),
        (r.rejects.is_some(), "--rejects"),
        (r.window.every_or(None).is_some(), "--every"),
        (r.compare.is_some(), "--compare"),
    ] {
        if given {
            return Err(usage_err!("{command}: {flag} does not apply ({rows})"));
        }
    }
    if a.horizon.is_some_and(|h| h <= 0.0) {
        return Err(usage_err!(
            "--horizon: must be longer than 0 (how long after the window a customer must stay away to have churned)"
        ));
    }
    // `1m` is a minute, not a month: no subscription ends that finely.
    if a.horizon.is_some_and(|h| h < 86_400.0) {
        return Err(usage_err!(
            "--horizon: shorter than a day, where churn is told in days (a month is 30d; m is minutes)"
        ));
    }
    let (mut base, out) = crate::cmd::report::request(r, command)?;
    // One customer's rows are one group, whatever spaces a spreadsheet left around
    // its id.
    base.read.ids_trimmed = true;
    crate::cmd::report::check_dir(command, &base, r.config.as_deref())?;
    if !out.quiet {
        passed_over(command, &base)?;
    }
    let req = CustomersRequest {
        base,
        horizon_secs: a.horizon.unwrap_or(90.0 * 86_400.0),
        embedded_csat: true,
        // Its columns read CSAT and NPS.
        survey_uses: vec![Measure::Csat, Measure::Nps],
    };
    Ok((req, out))
}

#[cfg(test)]
mod tests {
    use super::report_metrics;
    use crate::metrics::tickets::TimeUnit;

    /// A saved rule passed over is one on a figure the report has: its tickets',
    /// an event log's and its SLA verdicts, its surveys' and churn's, in the unit
    /// the report is in.
    #[test]
    fn the_reports_figures_are_known() {
        let names = report_metrics(TimeUnit::Hours);
        for figure in [
            "sla_pct",
            "first_response_median_hours",
            "next_reply_median_hours",
            "multi_touch_pct",
            "sla_next_reply_pct",
            "sla_next_reply_breached",
            "csat_pct",
            "nps",
            "churn_pct",
            "mrr_churn_pct",
        ] {
            assert!(names.iter().any(|n| n == figure), "{figure}: {names:?}");
        }
        assert!(!names.iter().any(|n| n == "first_response_median_minutes"));
    }
}
