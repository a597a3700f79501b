//! `cxm tickets`: every ticket metric of SPEC §5, grouped and bucketed.

use crate::calendar::duration_secs as sla_secs;
use crate::cli::TicketsArgs;
use crate::cmd::{check_paths, rows, scope, sources, Output};
use crate::compute::{self, Computed};
use crate::config::Config;
use crate::error::Result;
use crate::input::records;
use crate::metrics::events::EventWords;
use crate::metrics::tickets::{Keep, TimeUnit};
use crate::progress::{reading, Spinner};
use crate::rejects;
use crate::report::{Report, Table};
use crate::request::{Sources, TicketsRequest};

pub fn run(a: &TicketsArgs) -> Result<()> {
    if a.input.inputs.is_empty() && a.events.is_empty() {
        return Err(crate::usage_err!(
            "give the ticket FILEs to read (or --events FILE for an event log alone)"
        ));
    }
    let req = request(a)?;
    if !a.output.quiet {
        let cfg = Config::load(a.input.config.as_deref())?;
        let sla = a.sla.as_deref().or(cfg.sla.as_deref());
        crate::cmd::warn_sla_in_hours(sla, req.time_unit);
    }
    let output = Output::from_args(&a.output)?;
    check_paths(&a.input, &a.events, &a.output)?;
    let spinner = Spinner::start(reading(&req.sources.paths), a.output.quiet);
    let done = compute::tickets::compute(&req).map_err(|e| {
        crate::cmd::config_maps_named(
            records::explain(e, &a.input.inputs),
            &[Some(&req.sources), req.events.as_ref()],
            &a.input,
        )
    })?;
    drop(spinner);
    rejects::report(&done.rejected, req.rows.strict, a.output.quiet)?;
    if !a.output.quiet {
        for w in &done.warnings {
            crate::say!("cxm: warning: {w}");
        }
    }
    let output = output
        .covering(
            &req.scope,
            &[
                ("tickets", a.input.inputs.as_slice()),
                ("events", a.events.as_slice()),
            ],
            done.rows_read,
        )
        .also(match req.per_ticket {
            false => crate::request::sla_line(
                req.sla_secs,
                done.sla_verdict.as_deref(),
                &req.sla_policies,
            ),
            // Its rows have no sla_pct: the policies' verdicts alone.
            true => crate::request::policies_line(&req.sla_policies),
        });
    let report = Report {
        title: "Tickets".into(),
        table: Table::from_frame(&done.metrics, req.scope.every)?,
    };
    if output.format != crate::render::Format::Html || req.per_ticket {
        return output.emit_checked(&report, &a.output, "tickets");
    }
    // The page for people: the metrics, then the response bands and arrival hours.
    let tables = [("tickets", &report.table)];
    let rules = crate::threshold::parse_all(&a.output.fail_if, &tables)?;
    let mut sections = vec![crate::report::Section {
        key: "tickets".into(),
        groups: req.scope.by.clone(),
        report: report.clone(),
    }];
    // The tickets are the files' or, with a log alone, the log's.
    if !req.sources.paths.is_empty() || req.events.is_some() {
        sections.extend(compute::shape::sections(&req)?);
    }
    let doc = crate::report::Document {
        title: "Tickets".into(),
        header: output.about.clone(),
        sections,
        previous: None,
        buckets: Vec::new(),
        by: Vec::new(),
    };
    crate::threshold::write_then_enforce(&rules, &tables, a.output.quiet, || {
        output.write_document(&doc)
    })
}

/// The arguments, `--config` filling what the command line leaves unset.
pub fn request(a: &TicketsArgs) -> Result<TicketsRequest> {
    // The per-ticket table has no column for it (the config file's is a default
    // for the grouped runs).
    if a.per_ticket && a.sla.is_some() {
        return Err(crate::usage_err!(
            "--per-ticket: --sla does not apply (the single target gives the grouped sla_pct; each ticket's verdicts come with --sla-policy)"
        ));
    }
    let cfg = Config::load(a.input.config.as_deref())?;
    Ok(TicketsRequest {
        sources: sources(&a.input, &a.window.filters, &cfg, &cfg.map.tickets),
        scope: scope(&a.window, &cfg)?,
        rows: rows(&a.input, &a.output),
        time_unit: a.time_unit.or(cfg.time_unit).unwrap_or(TimeUnit::Hours),
        sla_secs: sla_secs(a.sla.as_deref())
            .or(cfg.sla_secs())
            .unwrap_or(3600.0),
        sla_given: a.sla.is_some() || cfg.sla_secs().is_some(),
        keep: a.keep.unwrap_or(Keep::Last),
        schedule: a.schedule.as_deref().map(|n| cfg.schedule(n)).transpose()?,
        sla_policies: cfg.sla_policies(&a.sla_policy)?,
        per_ticket: a.per_ticket,
        events: (!a.events.is_empty()).then(|| Sources {
            paths: a.events.clone(),
            map: events_map(a, &cfg),
            presets: Vec::new(),
            date_format: a.input.date_format.clone(),
            // With the log alone, the file options are the log's (as `--map`).
            delimiter: a
                .input
                .inputs
                .is_empty()
                .then_some(a.input.delimiter)
                .flatten(),
            sheet: a
                .input
                .inputs
                .is_empty()
                .then(|| a.input.sheet.clone())
                .flatten(),
            encoding: a.input.encoding,
            na: crate::cmd::na(&a.input.na, &cfg),
            ..Sources::default()
        }),
        statuses: EventWords::new(&cfg.statuses)
            .and_then(|w| w.with_roles(&cfg.roles))
            .map_err(|e| crate::usage_err!("{e}"))?,
        count_reopened: false,
        compare_bases: false,
    })
}

/// The event log's `[map.events]`; with the log alone, `--map` names the log's
/// fields (and wins), as it names the ticket files' otherwise.
fn events_map(a: &TicketsArgs, cfg: &Config) -> Vec<(String, String)> {
    let mut map = match a.input.inputs.is_empty() {
        true => a.input.map.clone(),
        false => Vec::new(),
    };
    for (field, column) in &cfg.map.events {
        if !map.iter().any(|(f, _)| f == field) {
            map.push((field.clone(), column.clone()));
        }
    }
    map
}

/// [`compute::tickets::compute`] of a parsed command line.
pub fn compute(a: &TicketsArgs) -> Result<Computed> {
    compute::tickets::compute(&request(a)?)
}
