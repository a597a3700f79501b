//! Survey metrics from a [`SurveysRequest`]: CSAT, CES and NPS per group and
//! bucket, optionally attributed through tickets and compared with the previous window.

use std::sync::Arc;

use polars::prelude::*;

use crate::calendar::{bucket_floor, local_midnight, previous_bucket, Window};
use crate::compute::{account, Computed};
use crate::engine;
use crate::error::Result;
use crate::input::fields::{missing_field, Dataset, SURVEY_FIELDS, TICKET_FIELDS};
use crate::input::join::Lookup;
use crate::input::preset;
use crate::input::timestamp::TsFormat;
use crate::input::{GroupColumn, Input, Prepare};
use crate::metrics::surveys::{self, Measure, Scale, Shape, SurveyParams, TICKET_FOUND};
use crate::metrics::{self, Grouping};
use crate::request::SurveysRequest;
use crate::{data_err, usage_err};

mod join;
mod scales;
mod window;

pub use join::check_join;
use join::{group_side, left_out_tickets, Side, TicketSide, NEEDS_TICKET};
pub use scales::{
    default_scale, default_scale_misfit, given_scale, labels_sharing_a_point, unread_layout,
};
use scales::{effort_words_unread, numbers_against_labels, unsampled_misfit};
use window::{compared, compared_span, compared_windows};

/// The other kinds of survey a long-form file holds (counted apart), by name: the
/// first 20.
fn other_kinds(
    input: &Input,
    fields: &[&str],
    raw: &[String],
    prepare: &Prepare,
) -> Result<Vec<String>> {
    let kinds = input
        .scan_prepared(fields, raw, prepare)?
        .filter(col(surveys::OTHER_KIND))
        .select([col("survey").str().strip_chars(lit(NULL)).alias("kind")])
        .unique_stable(None, UniqueKeepStrategy::First)
        .limit(21)
        .collect()?;
    let mut names: Vec<String> = (kinds.column("kind")?.str()?.iter().flatten())
        .map(String::from)
        .collect();
    // The 21st says there are more.
    if names.len() > 20 {
        names.truncate(20);
        names.push("…".to_string());
    }
    Ok(names)
}

/// Open the request's files (sniffed and mapped once): the responses, and the
/// tickets they are attributed to.
pub fn open(req: &SurveysRequest) -> Result<(Input, Option<Input>)> {
    let surveys = open_responses(req)?;
    let tickets = match &req.tickets {
        Some(t) => {
            let tickets = Input::open_with(t, TICKET_FIELDS, req.scope.tz, false)?;
            check_join(&tickets, &surveys)?;
            Some(tickets)
        }
        None => None,
    };
    Ok((surveys, tickets))
}

/// Open the responses alone.
pub fn open_responses(req: &SurveysRequest) -> Result<Input> {
    let readable: &[Dataset] = if req.tickets.is_some() {
        &[Dataset::Surveys, Dataset::Tickets]
    } else {
        &[Dataset::Surveys]
    };
    if !req.sources.presets_configured {
        preset::check(&req.sources.presets, readable)?;
    }
    Input::open(&req.sources, SURVEY_FIELDS, req.scope.tz)
}

/// The metrics (full precision) and the rejected values found.
pub fn compute(req: &SurveysRequest) -> Result<Computed> {
    let (surveys, tickets) = open(req)?;
    let inputs: Vec<&Input> = std::iter::once(&surveys).chain(tickets.as_ref()).collect();
    let (scope, warnings) = req.scope.usable_by(&inputs);
    let req = SurveysRequest {
        scope,
        ..req.clone()
    };
    let mut done = compute_on(&surveys, tickets.as_ref(), &req)?;
    done.warnings.splice(0..0, warnings);
    Ok(done)
}

/// [`compute`] on files already opened: the responses, and the tickets (which
/// [`check_join`] accepted) when the request attributes them.
pub fn compute_on(
    input: &Input,
    tickets: Option<&Input>,
    req: &SurveysRequest,
) -> Result<Computed> {
    let scope = &req.scope;
    let (tz, window) = (scope.tz, &scope.window);
    let shape = shape(input)?;
    // A measure the caller does not read (`drivers --outcome nps`'s CSAT), where it
    // says so, is not parsed: none of its scores is rejected.
    let measures: Vec<Measure> = (Measure::ALL.iter().copied())
        .filter(|m| !req.only_uses || req.uses.contains(m))
        .filter(|m| shape == Shape::Long || input.has(m.name()))
        .collect();
    let scale = |m: Measure| scales::scale_of(input, shape, req, m);
    if let Some((k, _)) = req
        .scales
        .iter()
        .find(|(k, _)| !Measure::ALL.iter().any(|m| m.name() == k))
    {
        return Err(usage_err!(
            "--scale {k}=…: unknown measure (csat, ces, nps)"
        ));
    }
    // Every scale given is checked before any measure's data: a usage error first.
    for m in Measure::ALL {
        for (_, name) in req.scales.iter().filter(|(k, _)| k == m.name()) {
            if Scale::parse(m, name).is_none() {
                return Err(usage_err!(
                    "--scale {}={name}: unknown scale (known: {})",
                    m.name(),
                    Scale::names(m)
                ));
            }
        }
    }

    // Each file's own submitted_at format (all files map the same fields).
    let submitted_by_file: Vec<Option<TsFormat>> = input
        .timestamp_formats(&["submitted_at"])?
        .into_iter()
        .map(|f| f.get("submitted_at").cloned())
        .collect();
    let submitted = submitted_by_file.first().cloned().flatten();
    if submitted.is_none()
        && (window.since.is_some() || window.until.is_some() || scope.every.is_some())
    {
        return Err(data_err!(
            "{}: no submitted_at column, so responses cannot be placed in a window or bucket (headers found: {}); map one with --map submitted_at=COLUMN",
            input.files[0].source.name,
            crate::text::headers_shown(&input.files[0].sniffed.headers)
        ));
    }

    let sides: Vec<Side> = scope
        .by
        .iter()
        .map(|name| group_side(name, input, tickets))
        .collect::<Result<_>>()?;
    let group_by: Vec<String> = sides
        .iter()
        .map(|s| match s {
            Side::Surveys(g) | Side::Tickets(g) | Side::Either(g, _) => g.name().to_string(),
        })
        .collect();
    metrics::check_output_names(&group_by, scope.every.is_some(), &surveys::metric_columns())?;
    let params = SurveyParams {
        shape,
        measures,
        csat: scale(Measure::Csat)?,
        ces: scale(Measure::Ces)?,
        nps: scale(Measure::Nps)?,
        submitted,
        tz,
        grouping: Grouping {
            window: window.clone(),
            every: scope.every,
            tz,
            group_by: group_by.clone(),
        },
        kind_header: None,
    };

    // Columns read from each side.
    let mut fields: Vec<&str> = ["submitted_at", "survey", "score", "csat", "ces", "nps"]
        .into_iter()
        .filter(|f| input.has(f))
        .collect();
    // Also without tickets: a row with only its ticket's id is a response without a
    // score, not a blank line.
    if tickets.is_some() || input.has("ticket_id") {
        fields.push("ticket_id");
    }
    // Read to say whether a response is on two rows (see `repeats` below).
    if input.has("response_id") {
        fields.push("response_id");
    }
    let mut raw = Vec::new();
    let TicketSide {
        fields: ticket_fields,
        raw: ticket_raw,
        fills,
    } = join::plan(&sides, &mut fields, &mut raw);
    let first_row = req.keep == crate::metrics::tickets::Keep::First;
    let lookup = join::lookup(input, tickets, req, (&ticket_fields, &ticket_raw))?;
    let repeated_tickets = lookup.as_ref().map_or(0, |l| l.repeated);
    let left_out = match (tickets, lookup.as_deref()) {
        (Some(t), Some(l)) => left_out_tickets(t, l),
        _ => None,
    };
    let ticket_columns: Vec<String> = ticket_fields
        .iter()
        .map(|f| f.to_string())
        .chain(ticket_raw.iter().cloned())
        .collect();
    let per_file: Vec<SurveyParams> = (submitted_by_file.into_iter())
        .zip(&input.files)
        .map(|(submitted, file)| SurveyParams {
            submitted,
            kind_header: file.mapping.get("survey").map(str::to_string),
            ..params.clone()
        })
        .collect();
    // With --compare the previous window's rows are used too: "outside" is outside
    // both.
    // So too in `report --compare previous`, whose comparison's run reads them.
    let span = match (req.compare_previous, req.rows.used_since) {
        (true, _) => compared_span(window, &params, scope.period.as_deref()),
        (false, Some(since)) => Some(Window {
            since: Some(since),
            until: window.until,
        }),
        (false, None) => Some(window.clone()),
    };
    let placed = span.as_ref().filter(|_| params.submitted.is_some());
    let current = (req.rows.used_since.is_some() || req.compare_previous)
        .then_some(window)
        .filter(|_| params.submitted.is_some());
    let parse = |i: usize, lf: LazyFrame| surveys::parse(lf, &per_file[i]);
    let join_tickets = |parsed: LazyFrame| -> LazyFrame {
        let Some(lookup) = &lookup else {
            return parsed;
        };
        const SLOT: &str = "__ticket_slot";
        let mut joined = vec![col(SLOT).is_not_null().alias(TICKET_FOUND)];
        // A response needs its ticket for a column only the tickets have, or one its
        // own cell leaves blank.
        let mut needs = Vec::new();
        for (j, (name, fill)) in ticket_columns.iter().zip(&fills).enumerate() {
            let value = lookup.column(col(SLOT), j);
            match fill {
                None => {
                    needs.push(lit(true));
                    joined.push(value.alias(name.as_str()));
                }
                Some(own) => {
                    needs.push(col(own.as_str()).is_null());
                    joined.push(
                        when(col(own.as_str()).is_null())
                            .then(value)
                            .otherwise(col(own.as_str()))
                            .alias(own.as_str()),
                    );
                }
            }
        }
        let needs = needs
            .into_iter()
            .reduce(|a, b| a.or(b))
            .unwrap_or(lit(true));
        let found = parsed
            .with_column(lookup.slot(col("ticket_id")).alias(SLOT))
            .with_column(needs.alias(NEEDS_TICKET))
            .with_columns(joined);
        // Only responses the report uses are looked for.
        let inside = placed.map_or(lit(true), |w| {
            crate::calendar::in_window(col(surveys::SUBMITTED_MS), w)
        });
        surveys::no_ticket_flag(found, col(NEEDS_TICKET).and(inside))
    };
    let prepare = Prepare {
        file: &parse,
        all: &join_tickets,
    };
    let mut rules = surveys::reject_rules(&params);
    rules.push(metrics::ragged_rule());
    if tickets.is_some() {
        rules.push(surveys::no_ticket_rule());
    }

    let mut categories = surveys::categories(&rules, placed, current, params.shape);
    // Where other measures are not read (`drivers`), a row of their scores alone
    // holds none of the measure read, not no score.
    if req.only_uses {
        if let Some((_, label)) = categories.empty.as_mut() {
            *label = "without a score of the measure read";
        }
    }
    let mut count_exprs = metrics::reject_count_exprs(&rules);
    count_exprs.extend(categories.exprs());
    count_exprs.extend(surveys::measure_counts(&params));
    // The latest NPS score of each group, gathered from the same blocks.
    let want_latest = req.last_nps && !req.compare_previous && params.submitted.is_some();
    let latest = latest::Latest::default();
    // A response on two rows (overlapping exports) would count twice: said, not merged.
    let repeats = input
        .has("response_id")
        .then(super::tickets::RepeatCheck::new);
    // Only the rows the table counts can be counted twice: those with a score that
    // counts (or a survey offered), of the window (and of the previous one, compared).
    // Placed by time (a window or buckets), an undated row is in no group.
    let by_time = surveys::places_by_time(&params);
    let counted = |lf: LazyFrame| {
        let lf = lf.filter(surveys::counted());
        match placed.filter(|_| by_time) {
            Some(w) => lf.filter(
                col(surveys::SUBMITTED_MS)
                    .is_not_null()
                    .and(crate::calendar::in_window(col(surveys::SUBMITTED_MS), w)),
            ),
            None => lf,
        }
    };
    // Where each rule first fires, noted in the pass.
    let firsts = crate::rejects::first_hits(input, &rules);
    let response_rows = |lf: LazyFrame| {
        counted(metrics::well_formed(lf))
            .select([response_hash(params.shape).drop_nulls().alias("id")])
    };
    let seen = |df: DataFrame| -> Result<()> {
        if let Some(repeats) = &repeats {
            repeats.add(df.column("id")?.u64()?);
        }
        Ok(())
    };
    let nps_rows = |lf: LazyFrame| latest::rows(metrics::well_formed(lf), &params);
    let add_latest = |block: DataFrame| latest.add(&block);
    let mut hooks: Vec<engine::Hook> = Vec::new();
    if want_latest {
        hooks.push((&nps_rows, &add_latest));
    }
    if repeats.is_some() {
        hooks.push((&response_rows, &seen));
    }
    // Compared, both windows' rows are grouped in the one pass, told apart by a key.
    let compared_windows = match req.compare_previous {
        true => Some(compared_windows(window, &params, scope.period.as_deref())?),
        false => None,
    };
    let (records, grouping) = match compared_windows {
        Some(_) => (
            surveys::compared_metrics(&params),
            surveys::compared_grouping(&params),
        ),
        None => (surveys::metrics(&params), params.grouping.clone()),
    };
    let rows = |lf: LazyFrame| match &compared_windows {
        Some((now, before)) => {
            surveys::compared_rows(metrics::well_formed(lf), &params, now, before.as_ref())
        }
        None => surveys::window_rows(metrics::well_formed(lf), &params),
    };
    let pass = engine::Pass {
        fields: &fields,
        raw: &raw,
        prepare: &prepare,
        rows: &rows,
        metrics: &records,
        grouping: &grouping,
        counts: &count_exprs,
        also: &hooks,
        numbered: None,
        classes: &[],
        keep: None,
        firsts: Some(&firsts),
        values_of: None,
    };
    let ran = engine::run_counted(input, &pass)?;
    let (counts_df, first_hits) = (ran.counts, Some(ran.firsts));
    let mut metrics_df = match req.compare_previous {
        true => compared(ran.metrics, &params, window)?.collect()?,
        false => ran.metrics,
    };
    if req.compare_previous {
        metrics_df = surveys::add_p_values(metrics_df)?;
    }
    // A long-form file without a row names no measure, but holds none of any: zeros
    // (a header alone gives zeros, for a rule such as `csat_responses<1`).
    let header_alone = input.files.iter().all(|f| f.sniffed.sample.is_empty());
    let present = match params.shape == Shape::Long && header_alone {
        true => surveys::Measure::ALL.to_vec(),
        false => surveys::present_measures(&counts_df),
    };
    let metrics_df = surveys::blank_absent(metrics_df, &present)?;
    let metrics_df = surveys::blank_response_rate(metrics_df, &counts_df)?;
    let undated = surveys::undated_offered_warning(&counts_df, &params);

    let (rejected, rows_read) = account(
        input,
        &req.rows,
        (&counts_df, first_hits.as_deref()),
        &categories,
        &rules,
        &fields,
        &raw,
        &prepare,
    )?;
    // Kinds of survey cxm does not measure: listed under -v; when they are more than
    // three rows in four (a tool's kinds in another language; an export of several
    // surveys, eNPS beside CSAT, is not warned of), a warning, as their scores are
    // in no figure.
    let other_rows = crate::accounting::rows_other(&counts_df);
    let mostly_other = other_rows > 0 && 4 * other_rows > 3 * rows_read;
    let mut other_warning = None;
    if params.shape == Shape::Long && (req.rows.verbose || mostly_other) {
        let names = other_kinds(input, &fields, &raw, &prepare)?;
        let files: Vec<&str> = input.files.iter().map(|f| f.source.name.as_str()).collect();
        let files = crate::text::files_listed(&files, " + ");
        if req.rows.verbose && !names.is_empty() {
            crate::say!(
                "cxm: {files}: other kinds of survey, counted apart: {}",
                names.join(", ")
            );
        }
        if mostly_other {
            let shown: Vec<String> = (names.iter())
                .map(|n| match n.as_str() {
                    "…" => "…".to_string(),
                    n => format!("'{}'", crate::text::value_shown(n)),
                })
                .collect();
            other_warning = Some(format!(
                "{files}: {other_rows} of the {rows_read} rows read name a kind of survey other than CSAT, CES or NPS ({}), counted apart: their scores are in no figure; where they are those measures under other names, name them csat, ces or nps in the survey column (or Customer Satisfaction, Customer Effort, Net Promoter)",
                shown.join(", ")
            ));
        }
    }
    if req.rows.verbose {
        // A scale other than the measure's default (reversed, longer, of labels).
        let other: Vec<String> = (params.measures.iter())
            .map(|&m| (m, params.scale(m)))
            .filter(|(m, s)| s.name != Scale::default_for(*m, &[]).name)
            .map(|(m, s)| format!("{} on the {} scale", m.name(), s.name))
            .collect();
        if !other.is_empty() {
            let files: Vec<&str> = input.files.iter().map(|f| f.source.name.as_str()).collect();
            crate::say!(
                "cxm: {}: {}",
                crate::text::files_listed(&files, " + "),
                other.join(", ")
            );
        }
    }
    let unsampled = unsampled_misfit(input, req, &params, &counts_df, &rejected);
    let mut warnings = super::input_warnings(input, "responses");
    warnings.extend(numbers_against_labels(input, &params));
    let scales: Vec<(Measure, &Scale)> = params
        .measures
        .iter()
        .map(|&m| (m, params.scale(m)))
        .collect();
    warnings.extend(labels_sharing_a_point(input, params.shape, &scales));
    warnings.extend(unread_layout(input, params.shape));
    warnings.extend(super::kept_none(input, &counts_df, &fields, &raw)?);
    warnings.extend(unsampled);
    warnings.extend(effort_words_unread(input, req, &params, &rejected));
    warnings.extend(tickets.map(super::source_notes).unwrap_or_default());
    warnings.extend(undated);
    warnings.extend(other_warning);
    warnings.extend(left_out);
    if repeated_tickets > 0 {
        let (rows, repeat) = match repeated_tickets {
            1 => ("row repeats", "an earlier row"),
            _ => ("rows repeat", "earlier rows"),
        };
        warnings.push(format!(
            "{repeated_tickets} ticket {rows} the ticket_id of {repeat} that responses name: the {} row of each id gives its responses' groups",
            if first_row { "first" } else { "last" }
        ));
    }
    // Compared, the counts span both windows: the window's own rows are the table's
    // (a weekly cron job comparing against a stale export).
    let empty = match req.compare_previous {
        false => crate::accounting::all_outside(&counts_df),
        true => no_responses(&metrics_df)?,
    };
    if params.submitted.is_some() {
        let stale = super::stale_warning(
            empty,
            input,
            &fields,
            &raw,
            // Each response prepared on its own (its ticket looked up).
            (&prepare, true),
            surveys::SUBMITTED_MS,
            "responses",
            &req.scope,
        )?;
        // A window holding no responses has no row to be cut.
        match stale {
            Some(said) => warnings.push(said),
            None => {
                warnings.extend(super::cut_buckets_warning(&req.scope));
                let counts = ["csat_responses", "ces_responses", "nps_responses"];
                let edges =
                    super::empty_edges_warning(&req.scope, &metrics_df, &counts, "responses");
                warnings.extend(edges);
            }
        }
    }
    let repeated = repeats
        .map(super::tickets::RepeatCheck::repeated)
        .transpose()?
        .unwrap_or_default();
    if !repeated.is_empty() {
        let ids = match repeated.len() {
            1 => "response id is",
            _ => "response ids are",
        };
        let what = match params.shape {
            Shape::Long => "on more than one row for the same survey",
            Shape::Wide => "on more than one row",
        };
        warnings.push(format!(
            "{} {ids} {what}: each row is counted (the same responses exported twice? de-duplicate to count each once)",
            repeated.len()
        ));
    }
    if req.last_nps && params.submitted.is_none() {
        warnings.push(
            "no submitted_at column: the last NPS of each customer is unknown (left empty)".into(),
        );
    }
    Ok(Computed {
        metrics: metrics_df,
        rejected,
        rows_read,
        events_read: None,
        warnings,
        summary: want_latest
            .then(|| latest.frame(&params.grouping.group_by))
            .transpose()?,
        sla_verdict: None,
        first_responses: None,
    })
}

/// Each group's latest NPS score: the response with the greatest `submitted_at`
/// (at the same instant, the higher score, so that the answer does not depend on
/// which thread read which block).
mod latest {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use polars::prelude::*;

    use crate::error::Result;
    use crate::metrics::surveys::{Measure, SurveyParams, SUBMITTED_MS};

    /// The column of group column `i` among a block's rows.
    fn key(i: usize) -> String {
        format!("__key{i}")
    }

    /// The window's NPS responses: each group column (as text), the time, the score.
    pub fn rows(parsed: LazyFrame, p: &SurveyParams) -> LazyFrame {
        let nps = Measure::Nps.value_column();
        let window_rows =
            p.grouping
                .rows(parsed, Some(col(SUBMITTED_MS)), Some(&[nps, SUBMITTED_MS]));
        let mut columns: Vec<Expr> = p
            .grouping
            .group_by
            .iter()
            .enumerate()
            .map(|(i, g)| col(g.as_str()).cast(DataType::String).alias(key(i)))
            .collect();
        columns.extend([col(SUBMITTED_MS), col(nps)]);
        window_rows.filter(col(nps).is_not_null()).select(columns)
    }

    /// A group's values of its group columns.
    type Key = Vec<Option<String>>;

    /// Per group, its latest NPS response: when (ms) and the score.
    #[derive(Default)]
    pub struct Latest {
        by_key: Mutex<HashMap<Key, (i64, f64)>>,
    }

    impl Latest {
        pub fn add(&self, block: &DataFrame) -> Result<()> {
            let keys: Vec<&StringChunked> = (0..)
                .map_while(|i| block.column(&key(i)).ok())
                .map(|c| c.str())
                .collect::<PolarsResult<_>>()?;
            let at = block.column(SUBMITTED_MS)?.cast(&DataType::Int64)?;
            let scores = block
                .column(Measure::Nps.value_column())?
                .cast(&DataType::Float64)?;
            let mut map = self.by_key.lock().unwrap_or_else(|p| p.into_inner());
            let rows = at.i64()?.iter().zip(scores.f64()?.iter()).enumerate();
            for (row, (t, x)) in rows {
                let (Some(t), Some(x)) = (t, x) else { continue };
                let k = keys
                    .iter()
                    .map(|c| c.get(row).map(str::to_string))
                    .collect();
                let entry = map.entry(k).or_insert((t, x));
                if (t, x) > *entry {
                    *entry = (t, x);
                }
            }
            Ok(())
        }

        /// The group columns, then `last_nps`.
        pub fn frame(&self, group_by: &[String]) -> PolarsResult<DataFrame> {
            let map = self.by_key.lock().unwrap_or_else(|p| p.into_inner());
            let mut columns: Vec<Column> = group_by
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    let values: Vec<Option<&str>> = map
                        .keys()
                        .map(|k| k.get(i).and_then(|v| v.as_deref()))
                        .collect();
                    Column::new(name.as_str().into(), values)
                })
                .collect();
            // An NPS score is a whole number from 0 to 10 (others are rejected): shown
            // as one (`9`, not `9.00`).
            let scores: Vec<i64> = map.values().map(|v| v.1 as i64).collect();
            columns.push(Column::new("last_nps".into(), scores));
            DataFrame::new_infer_height(columns)
        }
    }
}

/// A hash of each row's response id and, in long form, its survey (the rows of one
/// response there are its surveys, one each).
fn response_hash(shape: Shape) -> Expr {
    let id = super::tickets::trimmed_id_hash(col("response_id"));
    if shape != Shape::Long {
        return id;
    }
    let survey = super::tickets::id_hash(col("survey").cast(DataType::String));
    as_struct(vec![id.alias("a"), survey.alias("b")]).map(
        |c| {
            let f = c.struct_()?.fields_as_series();
            let (a, b) = (f[0].u64()?, f[1].u64()?);
            let mixed: UInt64Chunked = a
                .iter()
                .zip(b.iter())
                .map(|(a, b)| Some(a?.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ b.unwrap_or(0)))
                .collect();
            Ok(mixed.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::UInt64)),
    )
}

/// Long form needs `survey` and `score`; wide form any of `csat`, `ces`, `nps`. A
/// file with both is read in long form, but where a measure's column is mapped with
/// `--map`, or no sampled `survey` cell names a measure (`Post-ticket`: the kind of
/// a survey whose scores are in their own columns).
pub(crate) fn shape(input: &Input) -> Result<Shape> {
    let wide = Measure::ALL.iter().any(|m| input.has(m.name()));
    if input.has("survey") && input.has("score") {
        let mapped = (input.files.iter()).any(|f| {
            Measure::ALL
                .iter()
                .any(|m| f.mapping.explicit.contains(&m.name()))
        });
        let names_a_measure = input.files.iter().any(|f| {
            let column = f.mapping.get("survey").unwrap_or("survey");
            let Some(at) = f.sniffed.headers.iter().position(|h| h == column) else {
                return false;
            };
            (f.sniffed.rows()).any(|r| {
                r.get(at)
                    .is_some_and(|c| Measure::ALL.iter().any(|m| m.is_named_by(c)))
            })
        });
        return Ok(match wide && (mapped || !names_a_measure) {
            true => Shape::Wide,
            false => Shape::Long,
        });
    }
    if wide {
        return Ok(Shape::Wide);
    }
    let file = &input.files[0];
    let hint = if input.has("score") {
        "a score column but no survey column naming csat/ces/nps per row: map the score to its measure, e.g. --map csat=COLUMN, or the kind with --map survey=COLUMN"
    } else {
        "expected survey + score columns (long form) or csat, ces, nps columns (wide form); map them with e.g. --map nps=COLUMN"
    };
    Err(data_err!(
        "{}: no survey scores found: {hint} (headers found: {}){}",
        file.source.name,
        crate::text::headers_shown(&file.sniffed.headers),
        input.misfit_note(0)
    ))
}

/// Does the table count no response in any measure (in the window itself, not the
/// previous one of `--compare`)?
fn no_responses(metrics: &DataFrame) -> Result<bool> {
    for name in ["csat_responses", "ces_responses", "nps_responses"] {
        if let Ok(c) = metrics.column(name) {
            let n = c.cast(&DataType::Float64)?;
            if n.f64()?.iter().flatten().any(|x| x > 0.0) {
                return Ok(false);
            }
        }
    }
    Ok(true)
}
