//! `cxm customers` (SPEC §11): one row per customer over the window, joined on
//! `customer_id` from a customer-keyed pass over each dataset given — each file read
//! once:
//!
//! - tickets (`tickets --by customer_id`): `tickets`, the first response and
//!   resolution medians, `reopened_tickets` (resolved tickets reopened at least once,
//!   the count behind `reopen_pct`);
//! - surveys (`surveys --by customer_id`, through the tickets when responses carry
//!   only a ticket id): `csat_responses`, `csat_pct`, `last_nps` (the latest NPS score
//!   in the window);
//! - subscriptions: `mrr` at the window's end and `churned` (for customers active
//!   then: not active at the end + `--horizon`; empty while that moment is after
//!   `--now`).
//!
//! The window's end is `--until` (or the period's end), else `--now`. Rows without a
//! customer are left out and counted in a warning.

use polars::prelude::*;

use crate::compute::report::find_files;
use crate::compute::{self, Computed};
use crate::error::Result;
use crate::input::fields::Dataset;
use crate::input::preset;
use crate::request::{
    ChurnRequest, ChurnView, CustomersRequest, RowHandling, Sources, SurveysRequest, TicketsRequest,
};
use crate::{rejects, usage_err};

/// The customers frame, sorted by customer, and what the reader should know.
pub fn compute(req: &CustomersRequest) -> Result<Computed> {
    let base = &req.base;
    let files = find_files(base, base.quiet)?;
    let all = [Dataset::Tickets, Dataset::Surveys, Dataset::Subscriptions];
    preset::check(&base.read.presets, &all)?;
    let sources = |paths: &[std::path::PathBuf], map: &[(String, String)], dataset| Sources {
        paths: paths.to_vec(),
        map: map.to_vec(),
        presets: preset::reading(&base.read.presets, dataset),
        ..base.read.clone()
    };
    let rows = |_section: &str| RowHandling {
        rejects: None,
        ..base.rows.clone()
    };
    let report =
        |rejected: &[rejects::Rejected]| rejects::report(rejected, base.rows.strict, base.quiet);
    let mut scope = base.scope.clone();
    scope.by = vec!["customer_id".into()];
    scope.every = None;
    let unit = base.time_unit.suffix();
    let mut parts: Vec<DataFrame> = Vec::new();
    let mut warnings = Vec::new();
    let mut rows_read = 0;
    let mut tickets = None;

    if !files.tickets.is_empty() {
        let t = TicketsRequest {
            sources: sources(&files.tickets, &base.maps.tickets, Dataset::Tickets),
            scope: scope.clone(),
            rows: rows("tickets"),
            time_unit: base.time_unit,
            sla_secs: base.sla_secs,
            keep: base.keep,
            schedule: None,
            sla_policies: Vec::new(),
            per_ticket: false,
            events: None,
            statuses: base.statuses.clone(),
        };
        let opened = compute::tickets::open(&t)?;
        if !opened.has("customer_id") {
            return Err(no_customer("tickets", &opened));
        }
        let done = compute::tickets::compute_on(&opened, &t)?;
        report(&done.rejected)?;
        warnings.extend(done.warnings);
        rows_read += done.rows_read;
        let (fr, res) = (
            format!("first_response_median_{unit}"),
            format!("resolution_median_{unit}"),
        );
        parts.push(
            done.metrics
                .lazy()
                .select([
                    col("customer_id"),
                    col("tickets"),
                    col(fr.as_str()),
                    col(res.as_str()),
                    (col("reopen_pct") * col("resolved").cast(DataType::Float64) / lit(100.0))
                        .round(0, RoundMode::HalfToEven)
                        .fill_null(lit(0.0))
                        .cast(DataType::Int64)
                        .alias("reopened_tickets"),
                    // For `cxm drivers --factor sla_pct`; `cxm customers` leaves it out.
                    col("sla_pct"),
                ])
                .collect()?,
        );
        tickets = Some(opened);
    }

    if !files.surveys.is_empty() {
        let s = SurveysRequest {
            sources: sources(&files.surveys, &base.maps.surveys, Dataset::Surveys),
            tickets: None,
            scope: scope.clone(),
            rows: rows("surveys"),
            scales: base.scales.clone(),
            labels: base.labels.clone(),
            compare_previous: false,
            last_nps: true,
        };
        let responses = compute::surveys::open_responses(&s)?;
        // Responses without a customer take their ticket's.
        let via = tickets
            .as_ref()
            .filter(|_| !responses.has("customer_id") && responses.has("ticket_id"));
        if let Some(t) = via {
            compute::surveys::check_join(t, &responses)?;
        } else if !responses.has("customer_id") {
            return Err(no_customer("surveys", &responses));
        }
        let done = compute::surveys::compute_on(&responses, via, &s)?;
        report(&done.rejected)?;
        warnings.extend(done.warnings);
        rows_read += done.rows_read;
        let mut voice = done.metrics.lazy().select([
            col("customer_id"),
            col("csat_responses"),
            col("csat_pct"),
        ]);
        voice = match done.summary {
            Some(last) => voice.join(
                last.lazy(),
                [col("customer_id")],
                [col("customer_id")],
                JoinArgs::new(JoinType::Left),
            ),
            None => voice.with_column(lit(NULL).cast(DataType::Float64).alias("last_nps")),
        };
        parts.push(voice.collect()?);
    }

    if !files.subscriptions.is_empty() {
        let c = ChurnRequest {
            sources: sources(
                &files.subscriptions,
                &base.maps.customers,
                Dataset::Subscriptions,
            ),
            scope: crate::request::Scope {
                by: Vec::new(),
                ..scope.clone()
            },
            rows: rows("churn"),
            inactive_after: None,
            view: ChurnView::PerCustomer {
                horizon_secs: req.horizon_secs,
            },
        };
        let opened = compute::churn::open(&c)?;
        let (done, _) = compute::churn::compute_on(&opened, &c)?;
        report(&done.rejected)?;
        warnings.extend(done.warnings);
        rows_read += done.rows_read;
        parts.push(done.metrics);
    }

    let mut joined = parts
        .into_iter()
        .map(|df| df.lazy())
        .reduce(|a, b| {
            a.join(
                b,
                [col("customer_id")],
                [col("customer_id")],
                JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns),
            )
        })
        .ok_or_else(|| usage_err!("customers: give --tickets, --surveys or --subscriptions"))?
        .collect()?;
    if joined.column("customer_id")?.null_count() > 0 {
        warnings.push("tickets or responses without a customer_id are left out".into());
        joined = joined
            .lazy()
            .filter(col("customer_id").is_not_null())
            .collect()?;
    }
    // Counts are 0, not empty, for a customer a dataset has nothing on.
    let zero: Vec<Expr> = ["tickets", "reopened_tickets", "csat_responses"]
        .iter()
        .filter(|c| joined.column(c).is_ok())
        .map(|c| col(*c).fill_null(lit(0)))
        .collect();
    let metrics = joined
        .lazy()
        .with_columns(zero)
        .sort(["customer_id"], SortMultipleOptions::default())
        .collect()?;
    Ok(Computed {
        metrics,
        rejected: Vec::new(),
        rows_read,
        warnings,
        summary: None,
    })
}

fn no_customer(kind: &str, input: &crate::input::Input) -> crate::error::CxmError {
    crate::input::fields::missing_field(
        &format!("{} ({kind})", input.files[0].source.name),
        "customer_id",
        &input.files[0].sniffed.headers,
    )
}
