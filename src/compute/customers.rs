//! `cxm customers` (SPEC §11): one row per customer over the window, joined on
//! `customer_id` from a customer-keyed pass over each dataset given — each file read
//! once:
//!
//! - tickets (`tickets --by customer_id`): `tickets`, the first response and
//!   resolution medians, `reopened_tickets` (resolved tickets reopened at least once,
//!   the count behind `reopen_pct`; empty when the tickets have no reopen count);
//! - surveys (`surveys --by customer_id`, through the tickets when responses carry
//!   only a ticket id): `csat_responses`, `csat_pct`, `last_nps` (the latest NPS score
//!   in the window);
//! - subscriptions: `mrr` at the window's end and `churned` (for customers active
//!   then: not active at the end + `--horizon`; empty while that moment is after
//!   `--now`). A subscription that starts at the window's end counts there, for a
//!   customer of the window (by a ticket, a response or another subscription).
//!
//! The window's end is `--until` (or the period's end), else `--now`. Rows without a
//! customer are left out and counted in a warning.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::compute::churn::IN_WINDOW;
use crate::compute::report::find_files;
use crate::compute::{self, Computed};
use crate::error::Result;
use crate::input::fields::Dataset;
use crate::input::preset;
use crate::request::{
    ChurnRequest, ChurnView, CustomersRequest, RowHandling, Sources, SurveysRequest, TicketsRequest,
};
use crate::{rejects, usage_err};

/// The customer pass over the ticket files `paths` (read in `scope`): `reopened_tickets`
/// counted, no SLA policies or event log.
pub fn tickets_request(
    base: &crate::request::ReportRequest,
    paths: &[std::path::PathBuf],
    scope: &crate::request::Scope,
) -> TicketsRequest {
    TicketsRequest {
        sources: Sources {
            paths: paths.to_vec(),
            map: base.maps.tickets.clone(),
            presets: preset::reading(&base.read.presets, Dataset::Tickets),
            ..base.read.clone()
        },
        scope: scope.clone(),
        rows: RowHandling {
            rejects: None,
            ..base.rows.clone()
        },
        time_unit: base.time_unit,
        sla_secs: base.sla_secs,
        sla_given: false,
        keep: base.keep,
        schedule: None,
        sla_policies: Vec::new(),
        per_ticket: false,
        events: None,
        statuses: base.statuses.clone(),
        count_reopened: true,
        compare_bases: false,
    }
}

/// The customers frame, sorted by customer, and what the reader should know.
pub fn compute(req: &CustomersRequest) -> Result<Computed> {
    let base = &req.base;
    let files = find_files(base, base.quiet)?;
    let kinds = [Dataset::Tickets, Dataset::Surveys, Dataset::Subscriptions];
    preset::check(&base.read.presets, &kinds)?;
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
    // Under --strict every dataset's rejects are listed together once all are read
    // (the first dataset's alone stopped the run): returned in `rejected`.
    let strict_rejects = std::cell::RefCell::new(Vec::<rejects::Rejected>::new());
    let report = |rejected: &[rejects::Rejected]| -> Result<()> {
        match base.rows.strict {
            true => {
                strict_rejects.borrow_mut().extend(rejected.iter().cloned());
                Ok(())
            }
            false => rejects::report(rejected, false, base.quiet),
        }
    };
    let by = base.scope.by.clone();
    let mut scope = base.scope.clone();
    scope.every = None;
    // The window ends at `--until`, else at `--now`, for every dataset alike: a ticket
    // or response after `--now` (a rerun as of an earlier day) is not in it.
    if scope.window.until.is_none() {
        if scope.window.since.is_some_and(|s| s >= scope.now) {
            return Err(usage_err!(
                "--since is not before --now ({}), where the window ends without --until: give --until, or an earlier --since",
                scope.now.format("%Y-%m-%dT%H:%M:%SZ")
            ));
        }
        scope.window.until = Some(scope.now);
    }
    // The `--by` columns a dataset has split its rows; the customer's key comes last.
    let keyed = |usable: &[String]| -> Vec<String> {
        let mut keys = usable.to_vec();
        keys.push("customer_id".into());
        keys
    };
    let lacks = std::cell::RefCell::new(Vec::<String>::new());
    let spelled = std::cell::RefCell::new(BTreeMap::<String, String>::new());
    let usable = |has: &dyn Fn(&str) -> bool, what: &str, figures: &str| -> Vec<String> {
        let (kept, lacking): (Vec<String>, Vec<String>) = by.iter().cloned().partition(|b| has(b));
        for b in lacking {
            lacks.borrow_mut().push(format!(
                "--by {b}: the {what} have no such field or column, so each of a customer's rows carries its customer-wide {figures}"
            ));
        }
        kept
    };
    let unit = base.time_unit.suffix();
    // Each dataset's frame and the columns it is keyed by.
    let mut parts: Vec<(DataFrame, Vec<String>)> = Vec::new();
    let mut warnings = Vec::new();
    let mut rows_read = 0;
    let mut tickets = None;
    let mut applied: Vec<String> = Vec::new();
    // Whether the tickets count reopens: only then is a customer without tickets
    // known to have 0 reopened.
    let mut reopens_known = false;

    if !files.tickets.is_empty() {
        let t = tickets_request(base, &files.tickets, &scope);
        let opened = compute::tickets::open(&t)?;
        applied.extend(compute::filters_applied(&opened));
        if !opened.has("customer_id") {
            return Err(no_customer("tickets", &opened));
        }
        for b in &by {
            // Only some ticket files with it, or spelled differently: an error.
            opened.has_usable_column(b)?;
        }
        let keys = keyed(&usable(
            &|b| opened.has_column(b),
            "tickets",
            "service figures",
        ));
        let mut t = t;
        t.scope.by = keys.clone();
        let done = compute::tickets::compute_on(&opened, &t)?;
        // Without any resolution known (`resolved` empty), nor is a reopen.
        let resolved = done.metrics.column("resolved")?;
        // No ticket in the window: known from the columns, as it would be from them.
        let durations = crate::metrics::tickets::RESOLUTION_DURATIONS.map(|(f, _)| f);
        let mut resolution = ["resolved_at", "closed_at"].iter().chain(&durations);
        let resolutions_known = match resolved.len() {
            0 => resolution.any(|f| opened.has(f)),
            n => resolved.null_count() < n,
        };
        reopens_known = opened.has("reopens") && resolutions_known;
        report(&done.rejected)?;
        warnings.extend(done.warnings);
        rows_read += done.rows_read;
        let (fr, res) = (
            format!("first_response_median_{unit}"),
            format!("resolution_median_{unit}"),
        );
        let mut columns: Vec<Expr> = keys.iter().map(|k| col(k.as_str())).collect();
        columns.extend([
            col("tickets"),
            col(fr.as_str()),
            col(res.as_str()),
            // Empty without a reopen count in the data, without any resolution in
            // it (`resolved` unknown), or when none of the customer's resolved
            // tickets has one: nothing is known.
            match opened.has("reopens") {
                true => when(
                    (col("resolved").is_null())
                        .or(col("resolved").gt(lit(0)).and(col("reopen_pct").is_null())),
                )
                .then(lit(NULL))
                .otherwise(col("reopened_tickets"))
                .cast(DataType::Int64)
                .alias("reopened_tickets"),
                false => lit(NULL).cast(DataType::Int64).alias("reopened_tickets"),
            },
            // For `cxm drivers --factor sla_pct`; `cxm customers` leaves it out.
            col("sla_pct"),
        ]);
        let metrics = as_asked(done.metrics, &keys, &spelled)?;
        parts.push((metrics.lazy().select(columns).collect()?, keys));
        // Responses are attributed through all the tickets, `--where` aside: they
        // cannot apply a ticket column's condition, and are not filtered by it.
        tickets = Some(match opened.is_filtered() && !files.surveys.is_empty() {
            true => {
                let mut all = t.clone();
                all.sources.filters.clear();
                compute::tickets::open(&all)?
            }
            false => opened,
        });
    }

    // The responses: the survey files, else a ticket export's own CSAT column (as
    // `report` reads it).
    let survey_sources = match files.surveys.is_empty() {
        false => Some((
            sources(&files.surveys, &base.maps.surveys, Dataset::Surveys),
            None,
        )),
        true if !req.embedded_csat => None,
        true => {
            let said = std::cell::RefCell::new(Vec::new());
            let embedded = tickets.as_ref().and_then(|t| {
                let warn = |w: String| said.borrow_mut().push(w);
                compute::report::embedded_responses(t, &files.tickets, &base.read, &warn)
            });
            warnings.extend(said.take());
            embedded.map(|(column, s)| (s, Some(compute::report::own_csat_read_as(&column))))
        }
    };
    if let Some((survey_sources, read_as)) = survey_sources {
        let s = SurveysRequest {
            sources: survey_sources,
            tickets: None,
            scope: scope.clone(),
            rows: rows("surveys"),
            scales: base.scales.clone(),
            labels: base.labels.clone(),
            compare_previous: false,
            last_nps: true,
            keep: base.keep,
            uses: req.survey_uses.clone(),
            only_uses: false,
        };
        let mut responses = compute::surveys::open_responses(&s)?;
        responses.read_as = read_as;
        applied.extend(compute::filters_applied(&responses));
        // Responses without a customer (no column, or a blank cell) take their
        // ticket's.
        let via = tickets.as_ref().filter(|_| responses.has("ticket_id"));
        if let Some(t) = via {
            compute::surveys::check_join(t, &responses)?;
        } else if !responses.has("customer_id") {
            return Err(no_customer("surveys", &responses));
        }
        for b in &by {
            responses.has_usable_column(b)?;
        }
        let has = |b: &str| responses.has_column(b) || via.is_some_and(|t| t.has_column(b));
        let keys = keyed(&usable(&has, "responses", "survey figures"));
        let mut s = s;
        s.scope.by = keys.clone();
        let done = compute::surveys::compute_on(&responses, via, &s)?;
        report(&done.rejected)?;
        warnings.extend(done.warnings);
        rows_read += done.rows_read;
        let on: Vec<Expr> = keys.iter().map(|k| col(k.as_str())).collect();
        let mut columns = on.clone();
        columns.extend([col("csat_responses"), col("csat_pct")]);
        // A group with a scored response in the window: one who responded (an NPS or
        // CES alone leaves `csat_responses` at 0; a survey offered, not answered, is
        // no response).
        let answered = ["csat_responses", "ces_responses", "nps_responses"]
            .iter()
            .filter(|c| done.metrics.column(c).is_ok())
            .fold(lit(false), |any, c| {
                any.or(col(*c)
                    .cast(DataType::Float64)
                    .fill_null(lit(0.0))
                    .gt(lit(0.0)))
            });
        columns.push(answered.alias(RESPONDED));
        // Counted only for the responses of no customer (said, then left out).
        for (c, private) in [
            ("nps_responses", NPS_ANSWERS),
            ("ces_responses", CES_ANSWERS),
        ] {
            if done.metrics.column(c).is_ok() {
                columns.push(col(c).alias(private));
            }
        }
        // A group of surveys offered and not answered is no row of its own: with
        // `--by team`, a customer's team it only had an unanswered survey about.
        let mut voice = as_asked(done.metrics, &keys, &spelled)?
            .lazy()
            .select(columns)
            .filter(col(RESPONDED));
        let summary = done
            .summary
            .map(|s| as_asked(s, &keys, &spelled))
            .transpose()?;
        voice = match summary {
            // An empty group (a response without a ticket, a blank `--by` cell) is
            // a key like any other.
            Some(last) => voice.join(
                last.lazy(),
                &on,
                &on,
                JoinArgs {
                    nulls_equal: true,
                    ..JoinArgs::new(JoinType::Left)
                },
            ),
            None => voice.with_column(lit(NULL).cast(DataType::Int64).alias("last_nps")),
        };
        parts.push((voice.collect()?, keys));
    }

    if !files.subscriptions.is_empty() {
        let c = ChurnRequest {
            sources: sources(
                &files.subscriptions,
                &base.maps.customers,
                Dataset::Subscriptions,
            ),
            scope: scope.clone(),
            rows: rows("churn"),
            inactive_after: None,
            view: ChurnView::PerCustomer {
                horizon_secs: req.horizon_secs,
            },
        };
        let opened = compute::churn::open(&c)?;
        applied.extend(compute::filters_applied(&opened));
        for b in &by {
            opened.has_usable_column(b)?;
        }
        let groups = usable(
            &|b| opened.has_column(b),
            "subscriptions",
            "mrr and churned",
        );
        let mut c = c;
        c.scope.by = groups.clone();
        let (done, _) = compute::churn::compute_on(&opened, &c)?;
        report(&done.rejected)?;
        warnings.extend(done.warnings);
        rows_read += done.rows_read;
        let keys = keyed(&groups);
        parts.push((as_asked(done.metrics, &keys, &spelled)?, keys));
    }
    // The config file's top-level `by` serves other files too: passed over (warned
    // of above), as `report` passes it over.
    let unknown = by
        .iter()
        .find(|b| !parts.iter().any(|(_, keys)| keys.contains(b)));
    if let Some(b) = unknown.filter(|_| !base.scope.by_configured) {
        return Err(crate::data_err!(
            "{}: none of the customers' data has such a field or column",
            base.scope.by_named(b)
        ));
    }
    let by: Vec<String> = (by.iter())
        .filter(|b| parts.iter().any(|(_, keys)| keys.contains(b)))
        .cloned()
        .collect();
    warnings.extend(lacks.into_inner());

    compute::check_filters_applied(&base.read.filters, &applied)?;
    let (mut joined, values) = join_parts(parts)?;
    if joined.column("customer_id")?.null_count() > 0 {
        // How many of each, from the group of no customer.
        let orphans = joined
            .clone()
            .lazy()
            .filter(col("customer_id").is_null())
            .collect()?;
        let count = |c: &str| -> u64 {
            (orphans.column(c).ok())
                .and_then(|c| c.cast(&DataType::Float64).ok())
                .and_then(|c| c.f64().ok().map(|f| f.sum().unwrap_or(0.0) as u64))
                .unwrap_or(0)
        };
        let said: Vec<String> = [
            ("tickets", "ticket", "tickets"),
            ("csat_responses", "CSAT response", "CSAT responses"),
            (NPS_ANSWERS, "NPS response", "NPS responses"),
            (CES_ANSWERS, "CES response", "CES responses"),
        ]
        .iter()
        .map(|(c, one, many)| (count(c), one, many))
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        let what = match said.split_last() {
            None => "tickets or responses".to_string(),
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
        warnings.push(format!(
            "{what} without a customer_id (blank, or of no ticket that names one) left out"
        ));
        joined = joined
            .lazy()
            .filter(col("customer_id").is_not_null())
            .collect()?;
    }
    // A customer whose subscription starts at the window's end has its `mrr` and
    // `churned` on its row, but is a customer only with a ticket, a response or a
    // subscription in the window: then each of its rows is kept (with `--by plan`,
    // the plan it moved to on the end, whose MRR the customer has there).
    {
        let seen = ["tickets", RESPONDED, IN_WINDOW]
            .iter()
            .filter(|c| joined.column(c).is_ok())
            .fold(lit(false), |any, c| match *c {
                "tickets" => any.or(col(*c).is_not_null()),
                _ => any.or(col(*c).fill_null(lit(false))),
            });
        let marked = joined
            .clone()
            .lazy()
            .select([col("customer_id"), seen.alias("__seen")])
            .collect()?;
        let ids = marked.column("customer_id")?.cast(&DataType::String)?;
        let ids = ids.str()?;
        let seen = marked.column("__seen")?.bool()?;
        let customers: std::collections::HashSet<&str> = (ids.iter().zip(seen.iter()))
            .filter(|(_, s)| s.unwrap_or(false))
            .filter_map(|(id, _)| id)
            .collect();
        let keep: BooleanChunked = ids
            .iter()
            .map(|id| Some(id.is_some_and(|id| customers.contains(id))))
            .collect();
        joined = joined.filter(&keep)?;
    }
    // Counts are 0, not empty, for a customer a dataset has nothing on.
    // (`reopened_tickets` stays empty for a customer with tickets whose reopens are
    // unknown.)
    let zero: Vec<Expr> = ["tickets", "reopened_tickets", "csat_responses"]
        .iter()
        .filter(|c| joined.column(c).is_ok())
        .filter(|c| **c != "reopened_tickets" || reopens_known)
        .map(|c| match *c {
            "reopened_tickets" => when(col("tickets").is_null())
                .then(lit(0))
                .otherwise(col(*c))
                .cast(DataType::Int64)
                .alias(*c),
            _ => col(*c).fill_null(lit(0)).cast(DataType::Int64),
        })
        .collect();
    let mut order = vec!["customer_id".to_string()];
    order.extend(by.iter().cloned());
    let mut columns: Vec<Expr> = order.iter().map(|c| col(c.as_str())).collect();
    // SPEC §11's columns whatever the data given: a dataset not given leaves its
    // columns empty (not 0: nothing is known), so a reader of the output always finds them.
    let whole = DataType::Int64;
    let spec = [
        ("tickets".to_string(), whole.clone()),
        (format!("first_response_median_{unit}"), DataType::Float64),
        (format!("resolution_median_{unit}"), DataType::Float64),
        ("reopened_tickets".to_string(), whole.clone()),
        ("csat_responses".to_string(), whole.clone()),
        ("csat_pct".to_string(), DataType::Float64),
        ("last_nps".to_string(), whole),
        ("mrr".to_string(), DataType::Float64),
        ("churned".to_string(), DataType::Boolean),
    ];
    for (name, kind) in &spec {
        columns.push(match values.contains(name) {
            true => col(name.as_str()),
            false => lit(NULL).cast(kind.clone()).alias(name.as_str()),
        });
    }
    // Others (`sla_pct`, for `cxm drivers`) after them.
    columns.extend(
        (values.iter())
            .filter(|v| !spec.iter().any(|(name, _)| name == *v))
            .map(|c| col(c.as_str())),
    );
    let mut metrics = joined
        .lazy()
        .with_columns(zero)
        .select(columns)
        .sort(order, SortMultipleOptions::default().with_nulls_last(true))
        .collect()?;
    for (asked, own) in spelled.into_inner() {
        if asked != own && metrics.column(&asked).is_ok() && metrics.column(&own).is_err() {
            metrics.rename(&asked, own.as_str().into())?;
        }
    }
    Ok(Computed {
        metrics,
        // Under --strict, every dataset's rejects, for the caller to stop on (with
        // those of any data it reads after); otherwise said already.
        rejected: strict_rejects.into_inner(),
        rows_read,
        events_read: None,
        warnings,
        summary: None,
        sla_verdict: None,
        first_responses: None,
    })
}

/// Marks the rows of the survey part: a customer who responded in the window.
const RESPONDED: &str = "__responded";
const NPS_ANSWERS: &str = "__nps_responses";
const CES_ANSWERS: &str = "__ces_responses";

/// The datasets' frames joined: those split by more `--by` columns first, each
/// joined on the key columns both have (always `customer_id`), so a dataset without
/// a column gives its customer-wide figures to each of the customer's rows.
/// Also the datasets' own columns, in the order the datasets came.
fn join_parts(mut parts: Vec<(DataFrame, Vec<String>)>) -> Result<(DataFrame, Vec<String>)> {
    let mut values: Vec<String> = Vec::new();
    for (df, keys) in &parts {
        for name in df.get_column_names() {
            if !keys.iter().any(|k| k == name.as_str())
                && ![IN_WINDOW, RESPONDED, NPS_ANSWERS, CES_ANSWERS].contains(&name.as_str())
            {
                values.push(name.to_string());
            }
        }
    }
    parts.sort_by_key(|(_, keys)| std::cmp::Reverse(keys.len()));
    let mut parts = parts.into_iter();
    let (first, mut keys) = parts
        .next()
        .ok_or_else(|| usage_err!("customers: give --tickets, --surveys or --subscriptions"))?;
    let mut joined = first.lazy();
    for (df, own) in parts {
        let on: Vec<Expr> = own
            .iter()
            .filter(|k| keys.contains(k))
            .map(|k| col(k.as_str()))
            .collect();
        joined = joined.join(
            df.lazy(),
            &on,
            &on,
            JoinArgs {
                // A customer's empty group in one dataset is its empty group in
                // another: one row, not two.
                nulls_equal: true,
                ..JoinArgs::new(JoinType::Full).with_coalesce(JoinCoalesce::CoalesceColumns)
            },
        );
        for k in own {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    Ok((joined.collect()?, values))
}

fn no_customer(kind: &str, input: &crate::input::Input) -> crate::error::CxmError {
    crate::input::fields::missing_field(
        &format!("{} ({kind})", input.files[0].source.name),
        "customer_id",
        &input.files[0].sniffed.headers,
    )
}

/// A dataset's group columns named as `--by` asked (`region` for the file's `Region`:
/// each dataset names a raw column as its file spells it), so the datasets join.
/// The first dataset's spelling of each key is noted in `spelled`: the output names
/// the column as that dataset's own command does (`team` for `--by TEAM`, `Region`
/// for a tickets file's `Region`).
fn as_asked(
    mut df: DataFrame,
    keys: &[String],
    spelled: &std::cell::RefCell<BTreeMap<String, String>>,
) -> Result<DataFrame> {
    for key in keys {
        let names: Vec<String> = (df.get_column_names().iter())
            .map(|c| c.to_string())
            .collect();
        let found = (names.iter().find(|c| *c == key))
            .or_else(|| (names.iter()).find(|c| crate::text::same_in_any_case(c, key)))
            .cloned();
        let Some(found) = found else {
            continue;
        };
        spelled
            .borrow_mut()
            .entry(key.clone())
            .or_insert(found.clone());
        if found != *key {
            df.rename(&found, key.as_str().into())?;
        }
    }
    Ok(df)
}
