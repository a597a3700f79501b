//! `cxm drivers` (SPEC §11): does service predict the outcome? The customers of
//! [`super::customers`] with tickets in the window, bucketed by a service factor, and
//! per bucket the outcome with its 95% interval, the relative risk against the best
//! bucket, and a closing χ² test of independence.
//!
//! - churn: `churned` as `cxm customers` defines it (customers active at the window's
//!   end; not active at the end + `--horizon`); the rate is churned ÷ customers.
//! - csat: the CSAT responses of the bucket's customers in [end, end + horizon):
//!   satisfied ÷ responses.
//! - nps: their NPS responses in [end, end + horizon): 100 × (promoters − detractors)
//!   ÷ responses, its interval ± `nps_moe95`, within −100 and 100.
//!
//! Rates' intervals are Wilson's. The relative risk is of the bad outcome (churn, a
//! dissatisfied answer, a detractor) against the bucket where it is rarest. The last
//! row, `all`, holds every customer and the χ² p-value (buckets × outcome counts).

use polars::prelude::*;

use crate::compute::{self, customers, Computed};
use crate::error::Result;
use crate::input::fields::Dataset;
use crate::input::preset;
use crate::metrics::stats::{chi_square, chi_square_p, nps_moe95, wilson};
use crate::metrics::surveys::Measure;
use crate::request::{DriversRequest, Factor, Outcome, ReportFiles, RowHandling, SurveysRequest};
use crate::usage_err;

/// One bucket's tallies: customers, and the outcome's counts (churned, stayed) or
/// (satisfied, not) or (promoters, passives, detractors).
#[derive(Debug, Clone, Default)]
struct Tally {
    customers: i64,
    counts: Vec<f64>,
}

/// Does the question read this kind of data (`tickets`, `surveys`,
/// `subscriptions`)? Its page lists those it reads.
pub fn reads(req: &DriversRequest, kind: &str) -> bool {
    match kind {
        "subscriptions" => req.outcome == Outcome::Churn,
        "surveys" => req.outcome != Outcome::Churn || req.factor == Factor::CsatPct,
        _ => true,
    }
}

pub fn compute(req: &DriversRequest) -> Result<Computed> {
    let base = &req.customers.base;
    let files = compute::report::find_files(base, base.quiet)?;
    if files.tickets.is_empty() {
        return Err(usage_err!("drivers: give --tickets (the service measured)"));
    }
    match req.outcome {
        Outcome::Churn if files.subscriptions.is_empty() => {
            return Err(usage_err!("drivers --outcome churn: give --subscriptions"))
        }
        Outcome::Csat | Outcome::Nps if files.surveys.is_empty() => {
            // A ticket export's own column holds CSAT, not NPS.
            let hint = match req.outcome {
                Outcome::Csat => own_csat_hint(&files.tickets, base),
                _ => String::new(),
            };
            return Err(usage_err!(
                "drivers --outcome csat|nps: give --surveys{hint}"
            ));
        }
        _ => {}
    }
    if req.factor == Factor::CsatPct && files.surveys.is_empty() {
        return Err(usage_err!(
            "drivers --factor csat_pct: give --surveys (the factor is the customers' CSAT in the window){}",
            own_csat_hint(&files.tickets, base)
        ));
    }
    // The customers read from what the question needs: subscriptions for churn,
    // responses in the window for the CSAT factor (the outcomes' responses come after
    // it, read apart): no warning about a dataset that plays no part.
    let mut needed = req.customers.clone();
    needed.base.dir = None;
    needed.embedded_csat = false;
    // The CSAT factor is the only figure read from the responses in the window.
    needed.survey_uses = vec![Measure::Csat];
    // One row per customer, whatever `by` a config file sets for the other commands:
    // grouped, a customer would count once per group.
    needed.base.scope.by.clear();
    needed.base.files = ReportFiles {
        subscriptions: match req.outcome {
            Outcome::Churn => files.subscriptions.clone(),
            _ => Vec::new(),
        },
        surveys: match req.factor {
            Factor::CsatPct => files.surveys.clone(),
            _ => Vec::new(),
        },
        ..files.clone()
    };
    let mut done = customers::compute(&needed)?;
    // Under --strict, the service data's rejects, listed with the outcome responses'.
    let strict_rejects = std::mem::take(&mut done.rejected);
    let base = &req.customers.base;
    if req.outcome == Outcome::Churn {
        crate::rejects::report(&strict_rejects, base.rows.strict, base.quiet)?;
    }
    let unit = base.time_unit.suffix();
    let factor = req.factor.column(unit);
    let mut frame = done
        .metrics
        .clone()
        .lazy()
        .filter(col("tickets").gt(lit(0)));
    // The outcome's counts per customer.
    let outcome_columns: Vec<String> = match req.outcome {
        Outcome::Churn => {
            frame = frame.filter(col("churned").is_not_null()).with_columns([
                col("churned").cast(DataType::Float64).alias("__bad"),
                col("churned").not().cast(DataType::Float64).alias("__good"),
            ]);
            vec!["__bad".into(), "__good".into()]
        }
        Outcome::Csat | Outcome::Nps => {
            let scope = &req.customers.base.scope;
            let end = scope.window.until.unwrap_or(scope.now).timestamp_millis();
            // No response after the window is known yet: said before the responses
            // are read for an empty window (which would warn of a stale export).
            if scope.now.timestamp_millis() <= end {
                return Err(crate::usage_err!(
                    "drivers --outcome {}: --now ({}) is not after the window's end ({}): no response after it is known yet; give an earlier window or a later --now",
                    if req.outcome == Outcome::Csat { "csat" } else { "nps" },
                    local_time(scope.now.timestamp_millis(), scope.tz),
                    local_time(end, scope.tz)
                ));
            }
            let horizon = crate::calendar::ms_of_secs(req.customers.horizon_secs);
            let later = crate::calendar::later_on_the_clock(end, horizon, scope.tz);
            if later > scope.now.timestamp_millis() {
                // As churn's: an outcome window still open holds fewer responses.
                done.warnings.push(format!(
                    "the outcome's window ends after --now ({}): its responses are those given by then",
                    scope.now.format("%Y-%m-%dT%H:%M:%SZ")
                ));
            }
            let (after, rows) = after_window(req, strict_rejects)?;
            // The responses' rows, unless the factor read them already.
            if req.factor != Factor::CsatPct {
                done.rows_read += rows;
            }
            frame = frame.join(
                after.lazy(),
                [col("customer_id")],
                [col("customer_id")],
                JoinArgs::new(JoinType::Inner),
            );
            if req.outcome == Outcome::Csat {
                frame = frame
                    .filter(col("csat_responses_after").gt(lit(0)))
                    .with_columns([(col("csat_responses_after").cast(DataType::Float64)
                        * col("csat_pct_after")
                        / lit(100.0))
                    .round(0, RoundMode::HalfToEven)
                    .alias("__good")])
                    .with_column(
                        (col("csat_responses_after").cast(DataType::Float64) - col("__good"))
                            .alias("__bad"),
                    );
                vec!["__bad".into(), "__good".into()]
            } else {
                frame = frame.filter(col("nps_responses_after").gt(lit(0)));
                vec![
                    "detractors_after".into(),
                    "passives_after".into(),
                    "promoters_after".into(),
                ]
            }
        }
    };
    let all = frame.collect()?;
    // Customers with tickets but no outcome are not bucketed (the quantiles are those
    // of the customers with one): said, as those without a factor value are.
    let tickets = done.metrics.column("tickets")?.cast(&DataType::Int64)?;
    let with_tickets = tickets.i64()?.iter().flatten().filter(|&n| n > 0).count();
    let no_outcome = with_tickets.saturating_sub(all.height());
    // Churn not known yet (its horizon ends after --now) is said by its own warning.
    let churn_unknown = req.outcome == Outcome::Churn && {
        let scope = &req.customers.base.scope;
        let end = scope.window.until.unwrap_or(scope.now).timestamp_millis();
        let horizon = crate::calendar::ms_of_secs(req.customers.horizon_secs);
        crate::calendar::later_on_the_clock(end, horizon, scope.tz) > scope.now.timestamp_millis()
    };
    // No customer's outcome can be known yet: a table of zeros would pass for one.
    if all.height() == 0 {
        let scope = &req.customers.base.scope;
        let local = |ms: i64| local_time(ms, scope.tz);
        let end = scope.window.until.unwrap_or(scope.now).timestamp_millis();
        let now = scope.now.timestamp_millis();
        if churn_unknown {
            let horizon = crate::calendar::ms_of_secs(req.customers.horizon_secs);
            let until = crate::calendar::later_on_the_clock(end, horizon, scope.tz);
            return Err(crate::usage_err!(
                "drivers --outcome churn: the window's end and --horizon reach {}, after --now ({}): no customer's churn is known yet; give an earlier window, a shorter --horizon or a later --now",
                local(until),
                local(now)
            ));
        }
    }
    if no_outcome > 0 && !churn_unknown {
        let filtered = !req.customers.base.read.filters.is_empty();
        let one = no_outcome == 1;
        let why = match req.outcome {
            Outcome::Churn if filtered => match one {
                true => "is no customer at the window's end (no subscription active then of those --where keeps)",
                false => "are no customers at the window's end (no subscription active then of those --where keeps)",
            },
            Outcome::Churn => match one {
                true => "is no customer at the window's end (no subscription active then)",
                false => "are no customers at the window's end (no subscription active then)",
            },
            Outcome::Csat => "gave no CSAT response in the outcome window",
            Outcome::Nps => "gave no NPS response in the outcome window",
        };
        let who = match no_outcome {
            1 => "1 customer with tickets in the window".to_string(),
            n => format!("{n} customers with tickets in the window"),
        };
        done.warnings.push(format!("{who} {why}: left out"));
    }
    let values = all.column(factor.as_str())?.cast(&DataType::Float64)?;
    let values = values.f64()?;
    let without = values.null_count();
    // The interval and the χ² test take each response as a trial of its own: a
    // customer's several answers are not independent, and where many answered more
    // than once both are narrower than a test of customers would give. Counted among
    // the customers bucketed (those with a value for the factor).
    let answers = match req.outcome {
        Outcome::Churn => None,
        Outcome::Csat => Some(("csat_responses_after", "CSAT")),
        Outcome::Nps => Some(("nps_responses_after", "NPS")),
    };
    if let Some((column, measure)) = answers {
        let counts = all.column(column)?.cast(&DataType::Int64)?;
        let bucketed: Vec<Option<i64>> = (counts.i64()?.iter().zip(values.iter()))
            .filter(|(_, v)| v.is_some())
            .map(|(n, _)| n)
            .collect();
        let several = (bucketed.iter())
            .filter(|n| n.is_some_and(|n| n > 1))
            .count();
        if several > 0 {
            done.warnings.push(format!(
                "{several} of {} customers gave more than one {measure} response in the outcome window: outcome_pct, its interval and the p-value count responses, each as independent (narrower than a test of customers)",
                bucketed.len()
            ));
        }
    }
    // As `--factor csat_pct` without responses: a factor the data cannot give.
    if req.factor == Factor::ReopenedTickets && without > 0 && without == values.len() {
        return Err(crate::data_err!(
            "drivers --factor reopened_tickets: no customer's resolved tickets have a reopen count (the tickets need a reopens column, and a resolution: resolved_at or closed_at)"
        ));
    }
    if without > 0 {
        done.warnings.push(format!(
            "{without} {} no value for {factor}: left out",
            if without == 1 {
                "customer has"
            } else {
                "customers have"
            }
        ));
    }
    let mut present: Vec<f64> = values.iter().flatten().collect();
    present.sort_by(f64::total_cmp);
    // A percentage's last bucket ends at 100, closed ([50, 100]), not at ∞.
    let percent = matches!(req.factor, Factor::CsatPct | Factor::SlaPct);
    let edges = match &req.edges {
        Some(e) => {
            let mut e = e.clone();
            e.insert(0, 0.0);
            e.push(if percent { 100.0 } else { f64::INFINITY });
            e
        }
        None => quantile_edges(&present, req.buckets),
    };
    let n_buckets = edges.len().saturating_sub(1);
    let mut tallies = vec![
        Tally {
            customers: 0,
            counts: vec![0.0; outcome_columns.len()],
        };
        n_buckets
    ];
    let counts: Vec<Float64Chunked> = outcome_columns
        .iter()
        .map(|c| {
            Ok(all
                .column(c.as_str())?
                .cast(&DataType::Float64)?
                .f64()?
                .clone())
        })
        .collect::<Result<_>>()?;
    for (row, v) in values.iter().enumerate() {
        let Some(v) = v else { continue };
        let Some(b) = bucket_of(&edges, v) else {
            continue;
        };
        tallies[b].customers += 1;
        for (slot, c) in tallies[b].counts.iter_mut().zip(&counts) {
            *slot += c.get(row).unwrap_or(0.0);
        }
    }
    let (metrics, note) = frame_of(
        req.outcome,
        &edges,
        &tallies,
        req.edges.is_some() && !percent,
    )?;
    done.metrics = metrics;
    done.warnings.extend(note);
    done.summary = None;
    Ok(done)
}

/// Each customer's survey counts in [end, end + horizon), suffixed `_after`.
/// For a ticket export with its own CSAT column: how drivers reads it.
fn own_csat_hint(tickets: &[std::path::PathBuf], base: &crate::request::ReportRequest) -> String {
    let own = tickets.first().and_then(|path| {
        let src = crate::input::source::open_file_with(
            path,
            base.read.encoding,
            None,
            base.read.delimiter,
        )
        .ok()?;
        let sniffed = crate::input::source::sniff(&src, base.read.delimiter, 1).ok()?;
        compute::report::embedded_csat_column(&sniffed.headers).cloned()
    });
    match own {
        Some(column) => format!(
            "; the tickets' own '{column}' column is read as responses when the export is given as --surveys too"
        ),
        None => String::new(),
    }
}

fn after_window(
    req: &DriversRequest,
    mut rejected: Vec<crate::rejects::Rejected>,
) -> Result<(DataFrame, u64)> {
    let base = &req.customers.base;
    let files = compute::report::find_files(base, true)?;
    let end = base.scope.window.until.unwrap_or(base.scope.now);
    let horizon = crate::calendar::ms_of_secs(req.customers.horizon_secs);
    let later_ms =
        crate::calendar::later_on_the_clock(end.timestamp_millis(), horizon, base.scope.tz);
    // Responses given by --now, as the warning says: a newer export rerun with the
    // same --now gives the same figures.
    let later = chrono::DateTime::from_timestamp_millis(later_ms)
        .unwrap_or(end)
        .min(base.scope.now.max(end));
    let mut scope = base.scope.clone();
    scope.window = crate::calendar::Window {
        since: Some(end),
        until: Some(later),
    };
    scope.by = vec!["customer_id".into()];
    scope.every = None;
    let s = SurveysRequest {
        sources: crate::request::Sources {
            paths: files.surveys.clone(),
            map: base.maps.surveys.clone(),
            presets: preset::reading(&base.read.presets, Dataset::Surveys),
            ..base.read.clone()
        },
        tickets: None,
        scope,
        rows: RowHandling {
            rejects: None,
            ..base.rows.clone()
        },
        scales: base.scales.clone(),
        labels: base.labels.clone(),
        compare_previous: false,
        last_nps: false,
        keep: base.keep,
        // The outcome's measure alone is read after the window.
        uses: match req.outcome {
            Outcome::Nps => vec![Measure::Nps],
            _ => vec![Measure::Csat],
        },
        only_uses: true,
    };
    let responses = compute::surveys::open_responses(&s)?;
    // Wide responses without the outcome's column hold none of its scores: an error,
    // not customers who gave no response.
    let measure = s.uses[0];
    let long = responses.has("survey") && responses.has("score");
    // Long form: a row naming the measure (read once, the survey column alone).
    let names_it = |_: usize, block: LazyFrame| -> Result<bool> {
        let named =
            crate::metrics::one_of(&crate::metrics::word(col("survey")), measure.survey_names());
        let found = block.select([named.any(true).alias("named")]).collect()?;
        Ok(found.column("named")?.bool()?.get(0).unwrap_or(false))
    };
    let lacks = match long {
        true => !(responses.map_blocks(&["survey"], &[], names_it)?)
            .into_iter()
            .any(|named| named),
        false => !responses.has(measure.name()),
    };
    if lacks {
        let file = &responses.files[0];
        return Err(crate::data_err!(
            "drivers --outcome {}: the surveys have no {} scores ({}: {}; headers found: {}); map its column with --map {}=COLUMN",
            measure.name(),
            measure.name().to_uppercase(),
            file.source.name,
            match long {
                true => format!("no row's survey names {}", measure.name()),
                false => format!("no '{}' column, nor survey and score columns", measure.name()),
            },
            crate::text::headers_shown(&file.sniffed.headers),
            measure.name()
        ));
    }
    // Responses without a customer take their ticket's, as in `customers`: through
    // all the tickets, of any time and `--where` aside.
    let tickets = match files.tickets.is_empty() || !responses.has("ticket_id") {
        true => None,
        false => {
            let mut t = compute::customers::tickets_request(base, &files.tickets, &s.scope);
            t.sources.filters.clear();
            let opened = compute::tickets::open(&t)?;
            compute::surveys::check_join(&opened, &responses)?;
            Some(opened)
        }
    };
    if tickets.is_none() && !responses.has("customer_id") {
        return Err(crate::input::fields::missing_field(
            &responses.files[0].source.name,
            "customer_id",
            &responses.files[0].sniffed.headers,
        ));
    }
    let done = compute::surveys::compute_on(&responses, tickets.as_ref(), &s)?;
    // The responses' rejected values and warnings are said, as the other datasets'
    // (under --strict, listed with theirs).
    // Read for the factor too (`--factor csat_pct`): each reject once.
    for r in &done.rejected {
        if !rejected.contains(r) {
            rejected.push(r.clone());
        }
    }
    crate::rejects::report(&rejected, base.rows.strict, base.quiet)?;
    if !base.quiet {
        for w in &done.warnings {
            // The responses' window here is the outcome's, after the one given: no
            // response in it is no sign of an old export.
            let w = match w.strip_prefix("the window (") {
                Some(rest) => format!(
                    "the outcome window ({}",
                    rest.replace(
                        "; a stale export?",
                        "; give an earlier --until or a shorter --horizon"
                    )
                ),
                None => w.clone(),
            };
            // No `--map` here: a hint to use one names the config file's tables.
            let w = crate::compute::report::map_hints_of(&w, None);
            crate::say!("cxm: warning: {w}");
        }
    }
    let mut out = done.metrics.select([
        "customer_id",
        "csat_responses",
        "csat_pct",
        "nps_responses",
        "promoters",
        "passives",
        "detractors",
    ])?;
    for name in [
        "csat_responses",
        "csat_pct",
        "nps_responses",
        "promoters",
        "passives",
        "detractors",
    ] {
        out.rename(name, format!("{name}_after").into())?;
    }
    Ok((out, done.rows_read))
}

/// Bucket edges at the quantiles k/n of the sorted values (linear interpolation),
/// repeated edges merged; the last bucket closed at the maximum.
fn quantile_edges(sorted: &[f64], n: usize) -> Vec<f64> {
    let Some(&max) = sorted.last() else {
        return Vec::new();
    };
    // No more buckets than values: between two values, quantiles would cut as many
    // empty buckets as asked for (a million of them, and memory to match).
    let n = n.min(sorted.len());
    let mut edges = vec![sorted[0]];
    for k in 1..n.max(1) {
        if let Some(q) = crate::metrics::quantiles::of_sorted(sorted, k as f64 / n as f64) {
            let last = *edges.last().unwrap_or(&f64::NEG_INFINITY);
            // A quantile at the minimum (most values there) splits them from the rest
            // at the next value; one at the maximum, the rest from them (the last
            // bucket closed on the maximum alone, [max, max]). Other repeats merge.
            let edge = match q > last {
                true => Some(q),
                false if edges.len() == 1 => sorted.iter().copied().find(|&v| v > last),
                false => None,
            };
            if let Some(edge) = edge.filter(|&e| e > last && e <= max) {
                edges.push(edge);
            }
        }
    }
    // The last bucket is closed: the maximum falls in it.
    edges.push(max);
    if edges.len() == 1 {
        edges.push(max);
    }
    // A bucket no value falls in (an interpolated edge just below a repeated value,
    // [2.8, 3) among whole numbers) merges into the one before it.
    let last = edges.len() - 2;
    let holds_a_value = |b: usize| {
        let first_at_or_above = sorted.partition_point(|&v| v < edges[b]);
        (sorted.get(first_at_or_above)).is_some_and(|&v| v < edges[b + 1] || b == last)
    };
    let kept: Vec<usize> = (1..=last).filter(|&b| holds_a_value(b)).collect();
    let mut merged = vec![edges[0]];
    merged.extend(kept.iter().map(|&b| edges[b]));
    merged.push(max);
    merged
}

/// The bucket of `v`: edges[i] ≤ v < edges[i + 1], the last bucket closed.
fn bucket_of(edges: &[f64], v: f64) -> Option<usize> {
    let n = edges.len().checked_sub(1)?;
    if n == 0 || v < edges[0] {
        return None;
    }
    let i = edges.partition_point(|&e| e <= v);
    Some(i.saturating_sub(1).min(n - 1))
}

/// Each bucket's label, `[low, high)` (the last closed unless `open_top`).
fn labels(edges: &[f64], open_top: bool) -> Vec<String> {
    // 4 decimals, or as many more as tell every two edges apart (`--edges
    // 0.00005,0.00015` made `[0.0001, 0.0001)`); told once for all the labels.
    let apart = |d: i32| {
        (edges.windows(2)).all(|w| {
            w[0] == w[1] || crate::render::number(w[0], d) != crate::render::number(w[1], d)
        })
    };
    // Past 15, each edge's shortest digits, which tell any two floats apart.
    let places = (4..=15).find(|&d| apart(d));
    let f = |x: f64| match (x.is_infinite(), places) {
        (true, _) => "∞".to_string(),
        (false, Some(d)) => crate::render::number(x, d),
        (false, None) => format!("{x}"),
    };
    (0..edges.len().saturating_sub(1))
        .map(|b| {
            let last = b + 2 == edges.len();
            let close = if last && !open_top { "]" } else { ")" };
            format!("[{}, {}{close}", f(edges[b]), f(edges[b + 1]))
        })
        .collect()
}

#[cfg(test)]
fn label(edges: &[f64], b: usize, open_top: bool) -> String {
    labels(edges, open_top).swap_remove(b)
}

/// The rows: one per bucket, then `all` with the p-value; and why `relative_risk` is
/// empty when the rarest bad outcome is none at all.
fn frame_of(
    outcome: Outcome,
    edges: &[f64],
    tallies: &[Tally],
    open_top: bool,
) -> Result<(DataFrame, Option<String>)> {
    // (rate, low, high) in %, and the share of the bad outcome.
    let figures = |t: &Tally| -> (Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
        let n: f64 = t.counts.iter().sum();
        if n <= 0.0 {
            return (None, None, None, None);
        }
        match outcome {
            Outcome::Churn => {
                let (lo, hi) = wilson(t.counts[0], n).unwrap_or((0.0, 0.0));
                let rate = t.counts[0] / n;
                (
                    Some(100.0 * rate),
                    Some(100.0 * lo),
                    Some(100.0 * hi),
                    Some(rate),
                )
            }
            Outcome::Csat => {
                let (lo, hi) = wilson(t.counts[1], n).unwrap_or((0.0, 0.0));
                let rate = t.counts[1] / n;
                (
                    Some(100.0 * rate),
                    Some(100.0 * lo),
                    Some(100.0 * hi),
                    Some(1.0 - rate),
                )
            }
            Outcome::Nps => {
                let (d, p) = (t.counts[0] / n, t.counts[2] / n);
                let nps = 100.0 * (p - d);
                let moe = nps_moe95(p, d, n);
                // An NPS is between −100 and 100: so is its interval.
                let (lo, hi) = ((nps - moe).max(-100.0), (nps + moe).min(100.0));
                (Some(nps), Some(lo), Some(hi), Some(d))
            }
        }
    };
    let rows: Vec<_> = tallies.iter().map(figures).collect();
    let best = rows
        .iter()
        .filter_map(|r| r.3)
        .fold(f64::INFINITY, f64::min);
    let mut total = Tally {
        customers: tallies.iter().map(|t| t.customers).sum(),
        counts: vec![0.0; tallies.first().map_or(0, |t| t.counts.len())],
    };
    for t in tallies {
        for (a, b) in total.counts.iter_mut().zip(&t.counts) {
            *a += b;
        }
    }
    let overall = figures(&total);
    let table: Vec<Vec<f64>> = tallies.iter().map(|t| t.counts.clone()).collect();
    let p_value = chi_square(&table).map(|(x2, df)| chi_square_p(x2, df));
    let mut labels: Vec<String> = labels(edges, open_top);
    labels.truncate(tallies.len());
    labels.push("all".into());
    let mut customers: Vec<i64> = tallies.iter().map(|t| t.customers).collect();
    customers.push(total.customers);
    let mut pct: Vec<Option<f64>> = rows.iter().map(|r| r.0).collect();
    pct.push(overall.0);
    let mut low: Vec<Option<f64>> = rows.iter().map(|r| r.1).collect();
    low.push(overall.1);
    let mut high: Vec<Option<f64>> = rows.iter().map(|r| r.2).collect();
    high.push(overall.2);
    // A rate of 0 has no ratio: every relative risk is left empty, and said why.
    let note = rows.iter().position(|r| r.3 == Some(0.0)).map(|b| {
        let bad = match outcome {
            Outcome::Churn => "churned",
            Outcome::Csat => "was not satisfied",
            Outcome::Nps => "was a detractor",
        };
        format!(
            "relative_risk left empty: no customer of bucket {} {bad}, and a rate of 0 has no ratio",
            labels[b]
        )
    });
    let mut risk: Vec<Option<f64>> = rows
        .iter()
        .map(|r| {
            r.3.filter(|_| best > 0.0 && best.is_finite())
                .map(|s| s / best)
        })
        .collect();
    risk.push(None);
    let mut p: Vec<Option<f64>> = vec![None; tallies.len()];
    p.push(p_value);
    let frame = DataFrame::new_infer_height(vec![
        Column::new("bucket".into(), labels),
        Column::new("customers".into(), customers),
        Column::new("outcome_pct".into(), pct),
        Column::new("low95".into(), low),
        Column::new("high95".into(), high),
        Column::new("relative_risk".into(), risk),
        Column::new("p_value".into(), p),
    ])?;
    Ok((frame, note))
}

impl Factor {
    /// The `cxm customers` column the factor reads.
    pub fn column(self, unit: &str) -> String {
        match self {
            Factor::FirstResponseMedian => format!("first_response_median_{unit}"),
            Factor::ResolutionMedian => format!("resolution_median_{unit}"),
            Factor::Tickets => "tickets".into(),
            Factor::ReopenedTickets => "reopened_tickets".into(),
            Factor::CsatPct => "csat_pct".into(),
            Factor::SlaPct => "sla_pct".into(),
        }
    }
}

/// An instant as a local time of `tz`, for messages.
fn local_time(ms: i64, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_buckets_merge_repeated_edges() {
        // 1..=10 in 5 buckets: edges at 1, 2.8, 4.6, 6.4, 8.2, 10.
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let e = quantile_edges(&v, 5);
        assert_eq!(e.len(), 6);
        assert!((e[1] - 2.8).abs() < 1e-12);
        assert_eq!(bucket_of(&e, 1.0), Some(0));
        assert_eq!(bucket_of(&e, 2.8), Some(1));
        assert_eq!(bucket_of(&e, 10.0), Some(4));
        // Mostly 1s: the repeated quantile edges merge into one bucket [1, 2).
        let e = quantile_edges(&[1.0, 1.0, 1.0, 1.0, 2.0, 3.0], 4);
        assert_eq!(e[0], 1.0);
        assert!(e.windows(2).all(|w| w[0] < w[1]), "{e:?}");
        // Median at the maximum (1, 1, 3, 3, 3 in 2): [1, 3) and [3, 3], not one bucket.
        let e = quantile_edges(&[1.0, 1.0, 3.0, 3.0, 3.0], 2);
        assert_eq!(e, [1.0, 3.0, 3.0]);
        assert_eq!(bucket_of(&e, 1.0), Some(0));
        assert_eq!(bucket_of(&e, 3.0), Some(1));
        assert_eq!(label(&e, 0, false), "[1, 3)");
        assert_eq!(label(&e, 1, false), "[3, 3]");
        // Edges 4 decimals do not tell apart get as many more as do.
        let close = [0.0, 0.00005, 0.00015, 1.0];
        assert_eq!(label(&close, 1, false), "[0.00005, 0.00015)");
        assert_eq!(label(&close, 2, false), "[0.00015, 1]");
        let closest = [0.0, 1.0, 1.0000000000000002];
        assert_eq!(label(&closest, 1, false), "[1, 1.0000000000000002]");
        // Median at the minimum (1, 1, 1, 1, 3 in 2): [1, 3) and [3, 3] too.
        assert_eq!(
            quantile_edges(&[1.0, 1.0, 1.0, 1.0, 3.0], 2),
            [1.0, 3.0, 3.0]
        );
        // 80 zeros and 1 to 20 in 5: the zeros apart, [0, 1); the later quantiles (0,
        // 0, and 0.2 between the 80th and 81st values) merge into [1, 20].
        let mut zeros = vec![0.0; 80];
        zeros.extend((1..=20).map(f64::from));
        assert_eq!(quantile_edges(&zeros, 5), [0.0, 1.0, 20.0]);
        // Whole numbers, most of them 3 (1, 2, then 3 × 8, in 5): the quantiles are
        // 2.8 (between the 2nd and 3rd values, 0.8 of the way) and 3; [2.8, 3) would
        // hold no value, and merges into [1, 3), which holds 1 and 2.
        let mut threes = vec![1.0, 2.0];
        threes.extend([3.0; 8]);
        let e = quantile_edges(&threes, 5);
        assert_eq!(e, [1.0, 3.0, 3.0]);
        assert_eq!(bucket_of(&e, 2.0), Some(0));
        assert_eq!(bucket_of(&e, 3.0), Some(1));
        // All values alike: one bucket.
        assert_eq!(quantile_edges(&[2.0, 2.0], 4), [2.0, 2.0]);
        // More buckets than values: as many as the values, 1 and 3 in two.
        assert_eq!(quantile_edges(&[1.0, 3.0], 1 << 32), [1.0, 2.0, 3.0]);
    }
}
