//! `cxm tickets`: every ticket metric of SPEC §5, grouped and bucketed.

use polars::prelude::*;

use crate::cli::{TicketsArgs, TimeUnit};
use crate::cmd::Output;
use crate::config::Config;
use crate::error::Result;
use crate::input::fields::{Dataset, TICKET_FIELDS};
use crate::input::preset;
use crate::input::{add_group_columns, Input};
use crate::metrics::tickets::{self, FcrSource, TicketParams};
use crate::metrics::{self, Grouping};
use crate::progress::{reading, Spinner};
use crate::rejects;
use crate::report::{Report, Table};
use crate::settings::{parse_tz, resolve_now, resolve_window};

/// Render the metrics of [`compute`].
pub fn run(a: &TicketsArgs) -> Result<()> {
    let a = &resolve(a)?;
    let output = Output::from_args(&a.output)?;
    let spinner = Spinner::start(reading(&a.input.inputs), a.output.quiet);
    let (metrics, rejected) = compute(a)?;
    drop(spinner);
    rejects::report(&rejected, a.input.strict, a.output.quiet)?;
    let report = Report {
        title: "Tickets".into(),
        table: Table::from_frame(&metrics, a.window.every)?,
    };
    output.emit_checked(&report, &a.output, "tickets")
}

/// The arguments with `--config` defaults filled in where the command line is silent.
pub fn resolve(a: &TicketsArgs) -> Result<TicketsArgs> {
    let cfg = Config::load(a.input.config.as_deref())?;
    let mut a = a.clone();
    cfg.fill_window(&mut a.window);
    cfg.fill_presets(&mut a.input);
    Config::fill_map(&cfg.map.tickets, &mut a.input);
    a.time_unit = a.time_unit.or(cfg.time_unit);
    a.sla = a.sla.or(cfg.sla_secs());
    Ok(a)
}

/// The metrics frame (full precision) and the rejected values found.
pub fn compute(a: &TicketsArgs) -> Result<(DataFrame, Vec<rejects::Rejected>)> {
    compute_resolved(&resolve(a)?)
}

/// [`compute`] on arguments [`resolve`] already completed.
pub fn compute_resolved(a: &TicketsArgs) -> Result<(DataFrame, Vec<rejects::Rejected>)> {
    preset::check(&a.input.preset, &[Dataset::Tickets])?;
    let tz = parse_tz(a.window.tz_name())?;
    let window = resolve_window(&a.window, tz, resolve_now(a.window.now.as_deref())?)?;
    let input = Input::open(&a.input, TICKET_FIELDS, tz)?;
    let groups = input.group_columns(&a.window.by)?;

    let formats = input.timestamp_formats(&["created_at", "first_response_at", "resolved_at"])?;
    let created = formats
        .get("created_at")
        .cloned()
        .ok_or_else(|| crate::data_err!("no format for created_at"))?;
    let (first_response, resolution) =
        TicketParams::sources(|f| input.has(f), &input.mapping().explicit, &formats);
    let fcr = if input.has("fcr") {
        FcrSource::Flag
    } else if input.has("agent_replies") {
        FcrSource::Replies {
            with_reopens: input.has("reopens"),
        }
    } else {
        FcrSource::Absent
    };
    let params = TicketParams {
        created,
        first_response,
        resolution,
        fcr,
        has_reopens: input.has("reopens"),
        tz,
        grouping: Grouping {
            window,
            every: a.window.every,
            tz,
            group_by: groups.iter().map(|g| g.name().to_string()).collect(),
        },
        sla_secs: a.sla.unwrap_or(3600.0),
        unit: a.time_unit.unwrap_or(TimeUnit::Hours),
    };

    let mut fields: Vec<&str> = tickets::FIELDS
        .iter()
        .copied()
        .filter(|f| input.has(f))
        .collect();
    let mut raw: Vec<String> = Vec::new();
    add_group_columns(&groups, &mut fields, &mut raw);
    let rules = tickets::reject_rules(&params);
    let parsed = tickets::parse(input.scan(&fields, &raw)?, &params);
    let metrics = tickets::aggregate(parsed.clone(), &params);
    let counts = metrics::reject_counts(parsed, &rules);
    let mut frames = LazyFrame::collect_all_with_engine(
        vec![metrics.logical_plan, counts.logical_plan],
        Engine::Streaming,
        OptFlags::default(),
    )?;
    let counts_df = frames.pop().ok_or_else(|| crate::data_err!("no result"))?;
    let metrics_df = frames.pop().ok_or_else(|| crate::data_err!("no result"))?;

    let fired = rejects::counts(&counts_df, &rules)?;
    let located = if fired.is_empty() {
        Vec::new()
    } else {
        rejects::locate(&input, fired, &fields, &raw, |lf| {
            tickets::parse(lf, &params)
        })?
    };
    Ok((metrics_df, located))
}
