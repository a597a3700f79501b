//! Churn from a [`ChurnRequest`]: subscription, snapshot or activity churn, chosen
//! from the mapped fields.

use chrono::NaiveDate;
use polars::prelude::*;

use crate::accounting;
use crate::calendar::{following_bucket, local_midnight, Every, Window};
use crate::compute::{account, Computed};
use crate::engine;
use crate::error::Result;
use crate::input::fields::{Dataset, CHURN_FIELDS};
use crate::input::preset;
use crate::input::{add_group_columns, Input, Prepare};
use crate::metrics::billing::MrrSource;
use crate::metrics::churn::{self, Keys, Span, SpanSource, END_MS, MRR, ROW_OK, START_MS};
use crate::metrics::{self, record, retention, Grouping};
use crate::request::{ChurnRequest, ChurnView};
use crate::{data_err, usage_err};

mod currency;
mod mode;
mod snapshot;
mod spans;
mod view;

pub(crate) use currency::minor_units;
use currency::{mixed_currencies, reads_currency, switched_currencies, CURRENCY};
pub use mode::Mode;
use snapshot::snapshot;
pub use spans::IN_WINDOW;
use spans::{
    bucket_starts, cut_buckets_warning, exact_repeats, per_customer, scheduled_ends, spans_from,
    stale_spans, Extent,
};

/// At most this many rows of cohorts × ages (a triangle's rows grow with the square of
/// its buckets).
const MAX_COHORT_ROWS: u128 = 5_000_000;

/// Open the request's files (sniffed and mapped once).
pub fn open(req: &ChurnRequest) -> Result<Input> {
    if !req.sources.presets_configured {
        preset::check(&req.sources.presets, &[Dataset::Subscriptions])?;
    }
    Input::open(&req.sources, CHURN_FIELDS, req.scope.tz)
}

/// Whether the subscriptions carry MRR (an `mrr` column, or an amount).
pub fn has_mrr(input: &Input) -> bool {
    input.has("mrr") || input.has("amount")
}

/// Where the subscriptions' MRR comes from: `mrr` as given, else an amount per
/// billing interval; an amount without its interval is an error, never monthly.
fn mrr_source(input: &Input) -> Result<MrrSource> {
    if input.has("mrr") {
        return Ok(MrrSource::Column);
    }
    if !input.has("amount") {
        return Ok(MrrSource::None);
    }
    if !input.has("interval") {
        let file = &input.files[0];
        return Err(data_err!(
            "{}: the amount column '{}' has no billing interval column beside it, so its MRR is unknown (an amount is never taken as monthly); map one with --map interval=COLUMN (values: day, week, month, quarter, year), or map the monthly figure with --map mrr=COLUMN",
            file.source.name,
            input.mapping().get("amount").unwrap_or("amount")
        ));
    }
    Ok(MrrSource::Price {
        quantity: input.has("quantity"),
        count: input.has("interval_count"),
    })
}

/// The metrics, the rejected values, and a line saying which churn was measured.
pub fn compute(req: &ChurnRequest) -> Result<(Computed, String)> {
    let input = open(req)?;
    let (scope, warnings) = req.scope.usable_by(&[&input]);
    let req = ChurnRequest {
        scope,
        ..req.clone()
    };
    let (mut done, note) = compute_on(&input, &req)?;
    done.warnings.splice(0..0, warnings);
    Ok((done, note))
}

/// [`compute`] on files [`open`] already opened.
pub fn compute_on(input: &Input, req: &ChurnRequest) -> Result<(Computed, String)> {
    let (mut computed, note) = compute_view(input, req).map_err(|e| input.locate_failure(e))?;
    let mut warnings = super::input_warnings(input, "subscriptions");
    // Subscriptions without an end: no churn can show, which a column under another
    // name (or a churn flag, which dates win over) would have told.
    let subscriptions = matches!(
        Mode::choose(input, req.inactive_after.is_some()),
        Ok(Mode::Subscriptions)
    );
    if subscriptions && !input.has("end_date") {
        let col = |f: &str| input.mapping().get(f).unwrap_or(f).to_string();
        let flag = match input.has("churned") {
            true => format!(
                "; the churn flag '{}' is not read (a file with start dates is read as subscriptions: snapshot churn from the flag needs a file without them)",
                col("churned")
            ),
            false => String::new(),
        };
        warnings.push(format!(
            "{}: no end date column: every subscription is taken as still running, so none churns{flag}; map the column saying when one ended with --map end_date=COLUMN",
            input.files[0].source.name
        ));
    }
    // Survival shows no MRR; a snapshot or activity has none.
    if subscriptions && !matches!(req.view, ChurnView::Survival { .. }) {
        warnings.extend(minor_units(input));
    }
    warnings.append(&mut computed.warnings);
    computed.warnings = warnings;
    Ok((computed, note))
}

fn compute_view(input: &Input, req: &ChurnRequest) -> Result<(Computed, String)> {
    let (scope, tz, window) = (&req.scope, req.scope.tz, &req.scope.window);
    let mode = Mode::choose(input, req.inactive_after.is_some())?;
    let note = mode.describe(input);
    let groups = input.group_columns(&scope.by)?;
    let group_by: Vec<String> = groups.iter().map(|g| g.name().to_string()).collect();
    // The columns of this view's output: a group may be named like another view's
    // (`--by mrr` beside the buckets, whose MRR columns are `mrr_start` and so on).
    let reserved: Vec<String> = match (mode, &req.view) {
        (Mode::Snapshot, _) => ["customers", "churned", "churn_pct"]
            .map(String::from)
            .to_vec(),
        (_, ChurnView::Buckets { movements }) => churn::metric_columns(churn::Columns {
            mrr: true,
            movements: *movements,
        }),
        (_, ChurnView::Cohorts) => retention::COHORT_COLUMNS.map(String::from).to_vec(),
        (_, ChurnView::Survival { .. }) => retention::SURVIVAL_COLUMNS
            .iter()
            .chain(&retention::LIFETIME_COLUMNS)
            .map(|c| c.to_string())
            .collect(),
        (_, ChurnView::PerCustomer { .. }) => ["mrr", "churned"].map(String::from).to_vec(),
    };
    // Only the buckets have a `period` column (a snapshot has none: `--every` is
    // refused there, for what it is).
    let period = mode != Mode::Snapshot && matches!(req.view, ChurnView::Buckets { .. });
    metrics::check_output_names(&group_by, period, &reserved)?;
    let mut fields: Vec<&str> = Vec::new();
    if input.has("customer_id") {
        fields.push("customer_id");
    }
    let mut raw: Vec<String> = Vec::new();
    add_group_columns(&groups, &mut fields, &mut raw);

    if mode == Mode::Snapshot {
        if let ChurnView::PerCustomer { .. } = req.view {
            return Err(data_err!(
                "{}: a churn-flag snapshot has no dates, so it cannot say who was a customer over the window or churned after it: customers and drivers need dated subscriptions (customer_id, start_date, end_date)",
                input.files[0].source.name
            ));
        }
        if req.view != (ChurnView::Buckets { movements: false }) {
            return Err(usage_err!(
                "a churn-flag snapshot has no dates: --movements, --cohorts and --survival need subscriptions (start_date, end_date) or --inactive-after"
            ));
        }
        // The config file's window and buckets serve its dated files; given on the
        // command line for this file, they are a mistake.
        let configured = |key: &str| scope.dates_configured.contains(&key);
        let windowed = window.since.is_some() || window.until.is_some();
        let window_configured = ["period", "since", "until"].iter().any(|k| configured(k));
        if (scope.every.is_some() && !configured("every")) || (windowed && !window_configured) {
            return Err(usage_err!(
                "a churn-flag snapshot has no dates: --every, --since, --until and --period do not apply"
            ));
        }
        fields.push("churned");
        let grouping = Grouping {
            window: Window::default(),
            every: None,
            tz,
            group_by,
        };
        let mut computed = snapshot(input, req, &fields, &raw, &grouping)?;
        if !scope.dates_configured.is_empty() {
            computed.warnings.push(format!(
                "{} in --config: a churn-flag snapshot has no dates; passed over (its churn is of the whole file)",
                scope.dates_configured.join(", ")
            ));
        }
        return Ok((computed, note));
    }

    // One source per file: each file's own timestamp formats.
    let sources = span_sources(input, mode, req, &mut fields)?;
    let currency = reads_currency(input, mode, &req.view);
    if currency && !fields.contains(&"currency") {
        fields.push("currency");
    }
    let source = sources
        .first()
        .cloned()
        .ok_or_else(|| data_err!("no input"))?;
    let with_mrr = matches!(source, SpanSource::Subscriptions { mrr, .. } if mrr.any());
    let mut rules = churn::span_rules(&source);
    rules.push(metrics::ragged_rule());
    let parse = |i: usize, lf: LazyFrame| churn::parse_spans(lf, &sources[i], tz);
    let prepare = Prepare::each_file(&parse);
    let parsed = input.scan_prepared(&fields, &raw, &prepare)?;
    // A customer's id trimmed: ` A` on one row and `A` on the next are one customer
    // (else a false churn and a false new customer).
    let customer = || {
        col("customer_id")
            .str()
            .strip_chars(lit(NULL))
            .alias("customer_id")
    };
    let mut keep = vec![customer(), col(START_MS), col(END_MS), col(MRR)];
    let code = || {
        col("currency")
            .str()
            .strip_chars(lit(NULL))
            .str()
            .to_uppercase()
    };
    let currency_column = input.mapping().get("currency").unwrap_or("currency");
    let is_currency = |b: &str| b == "currency" || b == currency_column;
    // A group column may be one the spans already keep (`--by customer_id`). A
    // currency is its code, as the currency warnings read it: `usd` is USD.
    keep.extend(group_by.iter().filter(|g| g.as_str() != "customer_id").map(
        |g| match is_currency(g) {
            true => code().alias(g.as_str()),
            false => col(g.as_str()),
        },
    ));
    let split = group_by.iter().any(|b| is_currency(b));
    // Kept beside the spans: the codes of the subscriptions read (rejected rows are
    // in no figure), and, split by currency, each customer's.
    if currency {
        keep.push(code().alias(CURRENCY));
    }
    let categories = churn::span_categories();
    let not_monthly = fields.contains(&"interval") && with_mrr && !input.has("amount");
    let mut also: Vec<Expr> = not_monthly
        .then(|| not_monthly_count(fields.contains(&"interval_count")))
        .into_iter()
        .collect();
    // A blank MRR counts as 0 (a free plan, or a figure not known): `-v` says how many.
    // Where MRR is worked out from an amount (Stripe's), a blank amount.
    let mrr_from = match (input.has("mrr"), input.has("amount")) {
        (true, _) => Some("mrr"),
        (false, true) => Some("amount"),
        (false, false) => None,
    };
    if let Some(from) = mrr_from.filter(|_| mode == Mode::Subscriptions) {
        also.push(
            (col(ROW_OK).and(col(from).is_null()))
                .cast(DataType::UInt64)
                .sum()
                .alias(BLANK_MRR),
        );
    }
    let (spans_df, counts) = collect_two(
        metrics::well_formed(parsed.clone())
            .filter(col(ROW_OK))
            .select(keep),
        counts_with(parsed, &rules, &categories, also),
    )?;
    let (located, rows_read) = account(
        input,
        &req.rows,
        (&counts, None),
        &categories,
        &rules,
        &fields,
        &raw,
        &prepare,
    )?;

    let kept_none = super::kept_none(input, &counts, &fields, &raw)?;
    let currencies = match (currency, split) {
        (true, true) => switched_currencies(&spans_df)?,
        (true, false) => mixed_currencies(currency_column, &spans_df)?,
        (false, _) => None,
    };
    let want_names = matches!(req.view, ChurnView::PerCustomer { .. });
    // An activity's window is no end date a billing system wrote.
    let open_ends = mode != Mode::Activity;
    let (spans, keys, names, open_ended) =
        spans_from(&spans_df, &group_by, want_names, open_ends, tz)?;
    let every = scope.every.unwrap_or(Every::Month);
    let is_activity = mode == Mode::Activity;
    // The data's dates are the export's, whichever rows `--where` keeps: a run
    // `--where plan=P` then has the buckets, cohort ages and survival `--now` of
    // `--by plan`'s group P.
    let all_spans = match input.is_filtered() {
        true => Some(input.with_where_flagged(|| -> Result<Vec<Span>> {
            let all = metrics::well_formed(input.scan_prepared(&fields, &raw, &prepare)?)
                .filter(col(ROW_OK))
                .select([customer(), col(START_MS), col(END_MS), col(MRR)])
                .collect()?;
            Ok(spans_from(&all, &[], false, open_ends, tz)?.0)
        })?),
        false => None,
    };
    let every_span = all_spans.as_deref().unwrap_or(&spans);
    let extent = Extent::of(every_span, is_activity);
    // Survival's rows are months since each customer's start, not buckets.
    let starts = match req.view {
        ChurnView::Survival { .. } => Vec::new(),
        _ => bucket_starts(&extent, window, every, tz)?,
    };
    let mut bounds: Vec<i64> = starts
        .iter()
        .map(|d| local_midnight(tz, *d).timestamp_millis())
        .collect();
    if let Some(last) = starts.last() {
        bounds.push(local_midnight(tz, following_bucket(*last, every)).timestamp_millis());
    }
    let latest = extent.latest;
    let files: Vec<&str> = input.files.iter().map(|f| f.source.name.as_str()).collect();
    let what = if is_activity {
        "activity"
    } else {
        "subscriptions"
    };
    let blanks = (counts.column(BLANK_MRR).ok())
        .and_then(|c| c.u64().ok()?.get(0))
        .unwrap_or(0);
    if blanks > 0 && req.rows.verbose {
        crate::say!(
            "cxm: {}: {blanks} {} a blank MRR, counted at 0",
            crate::text::files_listed(&files, " + "),
            if blanks == 1 {
                "subscription has"
            } else {
                "subscriptions have"
            }
        );
    }
    if open_ended > 0 && req.rows.verbose {
        crate::say!(
            "cxm: {}: {open_ended} end {} from 2100 on (9999-12-31 for \"no end\") read as no end date",
            crate::text::files_listed(&files, " + "),
            if open_ended == 1 { "date" } else { "dates" }
        );
    }
    let mut warnings: Vec<String> = kept_none.into_iter().chain(currencies).collect();
    // Every MRR blank: each MRR figure a 0 that says nothing (an export that lost its
    // amounts), not a free plan here and there.
    if blanks > 0 && blanks as usize >= spans.len() {
        let field = mrr_from.unwrap_or("mrr");
        let column = input.mapping().get(field).unwrap_or(field);
        warnings.push(format!(
            "column '{column}' ({field}) is blank in every subscription read ({blanks}): each MRR figure is 0; map the column that holds the amounts (--map {field}=COLUMN)"
        ));
    }
    warnings.extend(stale_spans(
        every_span,
        &extent,
        scope,
        what,
        &crate::text::files_listed(&files, ", "),
        is_activity,
    ));
    warnings.extend(
        not_monthly
            .then(|| not_monthly_warning(input, &counts))
            .flatten(),
    );
    if matches!(req.view, ChurnView::Buckets { .. } | ChurnView::Cohorts) {
        warnings.extend(cut_buckets_warning(scope, every, &starts));
    }
    // The buckets shown, and the cohorts' ages at their bounds (`customers` and
    // `drivers` leave a churn past --now empty).
    let counted_as = match req.view {
        ChurnView::Buckets { .. } => Some("churned"),
        ChurnView::Cohorts => Some("gone from their cohorts"),
        _ => None,
    };
    if let Some(counted_as) = counted_as {
        let cohorts = matches!(req.view, ChurnView::Cohorts);
        // A cohort's ages are measured at the bounds up to the window's end (else the
        // latest date): later bounds are no age shown.
        let last_age = window.until.map_or(latest, |u| u.timestamp_millis());
        warnings.extend(scheduled_ends(
            &spans,
            &bounds,
            scope,
            (counted_as, cohorts.then_some(last_age), is_activity),
        ));
    }
    let repeats = if is_activity {
        0
    } else {
        exact_repeats(&spans)
    };
    if repeats > 0 {
        let (what, repeat) = match repeats {
            1 => ("subscription", "repeats"),
            _ => ("subscriptions", "repeat"),
        };
        let mut compared = vec!["customer".to_string()];
        compared.extend(group_by.iter().cloned());
        compared.push("dates".to_string());
        if with_mrr {
            compared.push("MRR".to_string());
        }
        let last = compared.pop().unwrap_or_default();
        let fields = format!("{} and {last}", compared.join(", "));
        let doubles = match with_mrr {
            true => "doubles MRR",
            false => "doubles its customers' subscriptions",
        };
        warnings.push(format!(
            "{repeats} {what} {repeat} another exactly ({fields}): each counts (two seats?), but the same export given twice {doubles}"
        ));
    }
    let mut computed = Computed {
        metrics: DataFrame::empty(),
        rejected: located,
        rows_read,
        events_read: None,
        warnings,
        summary: None,
        sla_verdict: None,
        first_responses: None,
    };
    let laid = view::Laid {
        spans: &spans,
        bounds: &bounds,
        starts: &starts,
        keys: &keys,
        names: &names,
        group_by: &group_by,
        latest,
        with_mrr,
        is_activity,
    };
    view::figures(req, &laid, &mut computed)?;
    Ok((computed, note))
}

/// Where each file's spans come from, its own timestamp formats read: events and the
/// inactivity window, or subscriptions (their columns added to `fields`).
fn span_sources(
    input: &Input,
    mode: Mode,
    req: &ChurnRequest,
    fields: &mut Vec<&'static str>,
) -> Result<Vec<SpanSource>> {
    let sources = if mode == Mode::Activity {
        fields.push("event_at");
        let window_ms = crate::calendar::ms_of_secs(req.inactive_after.unwrap_or(0.0));
        input
            .timestamp_formats(&["event_at"])?
            .into_iter()
            .map(|formats| {
                Ok(SpanSource::Activity {
                    event: formats
                        .get("event_at")
                        .cloned()
                        .ok_or_else(|| data_err!("no format for event_at"))?,
                    window_ms,
                })
            })
            .collect::<Result<_>>()?
    } else {
        let mrr = mrr_source(input)?;
        // An interval beside an MRR column: read, to tell of MRR that may not be monthly.
        let beside: &[&str] = match mrr == MrrSource::Column && input.has("interval") {
            true => &["interval", "interval_count"],
            false => &[],
        };
        for f in ["start_date", "scheduled_start", "end_date"]
            .iter()
            .chain(mrr.fields())
            .chain(beside)
        {
            if input.has(f) && !fields.contains(f) {
                fields.push(f);
            }
        }
        input
            .timestamp_formats(&["start_date", "scheduled_start", "end_date"])?
            .into_iter()
            .map(|formats| {
                Ok(SpanSource::Subscriptions {
                    start: formats
                        .get("start_date")
                        .cloned()
                        .ok_or_else(|| data_err!("no format for start_date"))?,
                    scheduled: formats.get("scheduled_start").cloned(),
                    end: formats.get("end_date").cloned(),
                    mrr,
                })
            })
            .collect::<Result<_>>()?
    };
    Ok(sources)
}

/// Column of the counts: used rows whose billing interval, beside an MRR column, is
/// not a month.
const NOT_MONTHLY: &str = "__not_monthly";
const BLANK_MRR: &str = "__blank_mrr";

/// (With `interval_count`, a count other than 1 is not a month either: 3 months.)
fn not_monthly_count(with_count: bool) -> Expr {
    let monthly = crate::metrics::billing::months_per_interval(col("interval")).eq(lit(1.0));
    let mut not_monthly = col("interval")
        .is_not_null()
        .and(monthly.fill_null(false).not());
    if with_count {
        let count = col("interval_count")
            .str()
            .strip_chars(lit(NULL))
            .strict_cast(DataType::Float64);
        not_monthly = not_monthly.or(count.neq(lit(1.0)).fill_null(false));
    }
    let flagged = col(ROW_OK).and(not_monthly);
    flagged.cast(DataType::UInt64).sum().alias(NOT_MONTHLY)
}

/// An MRR column beside a billing interval that is not a month on some rows: the
/// figure is taken as monthly, as its name says, but may be the price per interval.
fn not_monthly_warning(input: &Input, counts: &DataFrame) -> Option<String> {
    let n = counts.column(NOT_MONTHLY).ok()?.u64().ok()?.get(0)?;
    let mapping = input.mapping();
    let (mrr, interval) = (mapping.get("mrr")?, mapping.get("interval")?);
    let subscriptions = if n == 1 {
        "subscription bills"
    } else {
        "subscriptions bill"
    };
    (n > 0).then(|| format!(
        "{n} {subscriptions} by an interval other than a month ('{interval}') beside the MRR column '{mrr}': their '{mrr}' is taken as monthly, as given; if it is the price of each interval, read it so with --map amount={mrr} (cxm divides it by the interval)"
    ))
}

/// The count of each rule's flag and the `--verbose` categories, in one select.
fn counts_with(
    parsed: LazyFrame,
    rules: &[metrics::RejectRule],
    categories: &accounting::Categories,
    also: Vec<Expr>,
) -> LazyFrame {
    let mut exprs = metrics::reject_count_exprs(rules);
    exprs.extend(categories.exprs());
    exprs.extend(also);
    parsed.select(exprs)
}

fn collect_two(a: LazyFrame, b: LazyFrame) -> Result<(DataFrame, DataFrame)> {
    let mut frames = LazyFrame::collect_all_with_engine(
        vec![a.logical_plan, b.logical_plan],
        Engine::Streaming,
        OptFlags::default(),
    )?;
    match (frames.pop(), frames.pop()) {
        (Some(b), Some(a)) => Ok((a, b)),
        _ => Err(data_err!("no result")),
    }
}
