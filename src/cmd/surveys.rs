//! `cxm surveys`: CSAT, CES and NPS per group and bucket, optionally attributed
//! through tickets and compared with the previous window.

use crate::cli::SurveysArgs;
use crate::cmd::{check_paths, rows, scope, sources, Output};
use crate::compute::{self, Computed};
use crate::config::Config;
use crate::error::Result;
use crate::input::fields::SURVEY_FIELDS;
use crate::input::records;
use crate::progress::{reading, Spinner};
use crate::rejects;
use crate::report::{Report, Table};
use crate::request::{Sources, SurveysRequest};

pub fn run(a: &SurveysArgs) -> Result<()> {
    let req = request(a)?;
    let output = Output::from_args(&a.output)?;
    crate::cmd::require_inputs(&a.input)?;
    check_paths(&a.input, &a.tickets, &a.output)?;
    let spinner = Spinner::start(reading(&req.sources.paths), a.output.quiet);
    let done = compute::surveys::compute(&req).map_err(|e| {
        crate::cmd::config_maps_named(
            records::explain(e, &a.input.inputs),
            &[Some(&req.sources), req.tickets.as_ref()],
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
    let report = Report {
        title: "Surveys".into(),
        table: Table::from_frame(&done.metrics, req.scope.every)?,
    };
    let output = output.covering(
        &req.scope,
        &[
            ("responses", a.input.inputs.as_slice()),
            ("tickets", a.tickets.as_slice()),
        ],
        done.rows_read,
    );
    let output = match req.compare_previous {
        true => output.also(compared_with(&req.scope)),
        false => output,
    };
    output.emit_checked(&report, &a.output, "surveys")
}

/// What `--compare previous` sets beside the window, for the page's header: the
/// columns ending `_prev` are the previous window's, or each bucket's before it.
fn compared_with(scope: &crate::request::Scope) -> String {
    if scope.every.is_some() {
        return "compared: each bucket with the one before it (columns ending _prev)".into();
    }
    match scope.previous() {
        Ok(previous) => format!(
            "compared with: {} (columns ending _prev)",
            previous.describe_window()
        ),
        Err(_) => String::new(),
    }
}

/// The arguments, `--config` filling what the command line leaves unset. With
/// `--tickets`, `--map` pairs of survey fields map the responses and the rest map the
/// tickets (with the config's ticket mappings).
pub fn request(a: &SurveysArgs) -> Result<SurveysRequest> {
    let cfg = Config::load(a.input.config.as_deref())?;
    let mut sources = sources(&a.input, &a.window.filters, &cfg, &cfg.map.surveys);
    let tickets = (!a.tickets.is_empty()).then(|| {
        let is_survey_field = |f: &str| SURVEY_FIELDS.iter().any(|s| s.name == f);
        let (survey_map, mut ticket_map): (Vec<_>, Vec<_>) =
            sources.map.drain(..).partition(|(f, _)| is_survey_field(f));
        sources.map = survey_map;
        for (field, column) in &cfg.map.tickets {
            if !ticket_map.iter().any(|(f, _)| f == field) {
                ticket_map.push((field.clone(), column.clone()));
            }
        }
        Sources {
            paths: a.tickets.clone(),
            map: ticket_map,
            presets: sources.presets.clone(),
            na: sources.na.clone(),
            // The reading options serve the ticket files too, as in `report`.
            date_format: sources.date_format.clone(),
            delimiter: sources.delimiter,
            encoding: sources.encoding,
            sheet: sources.sheet.clone(),
            ..Sources::default()
        }
    });
    crate::cmd::one_scale_each(&a.scale)?;
    let mut scales = a.scale.clone();
    for (measure, scale) in [("csat", &cfg.scale.csat), ("ces", &cfg.scale.ces)] {
        if let Some(s) = scale {
            if !scales.iter().any(|(m, _)| m == measure) {
                scales.push((measure.to_string(), s.clone()));
            }
        }
    }
    Ok(SurveysRequest {
        sources,
        tickets,
        scope: scope(&a.window, &cfg)?,
        rows: rows(&a.input, &a.output),
        scales,
        labels: cfg.labels.clone(),
        compare_previous: a.compare.is_some(),
        last_nps: false,
        keep: crate::metrics::tickets::Keep::Last,
        uses: Vec::new(),
        only_uses: false,
    })
}

/// [`compute::surveys::compute`] of a parsed command line.
pub fn compute(a: &SurveysArgs) -> Result<Computed> {
    compute::surveys::compute(&request(a)?)
}
