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

/// Most buckets one report may have (guards against a stray year-1 date with `--every day`).
const MAX_BUCKETS: usize = 100_000;
/// At most this many rows of cohorts × ages (a triangle's rows grow with the square of
/// its buckets).
const MAX_COHORT_ROWS: u128 = 5_000_000;

/// Which churn the data supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Subscriptions,
    Snapshot,
    Activity,
}

impl Mode {
    /// Choose from the mapped fields: `--inactive-after` asks for activity churn;
    /// otherwise subscription dates beat a churn flag (they say when, not only whether).
    pub fn choose(input: &Input, inactive_after: bool) -> Result<Mode> {
        let file = &input.files[0];
        // Spans belong to customers; a snapshot without ids counts each row as one.
        let need_ids = || {
            if input.has("customer_id") {
                Ok(())
            } else {
                Err(crate::input::fields::missing_field(
                    &file.source.name,
                    "customer_id",
                    &file.sniffed.headers,
                ))
            }
        };
        if inactive_after {
            if input.has("event_at") {
                need_ids()?;
                tickets_as_customers(input)?;
                return Ok(Mode::Activity);
            }
            return Err(data_err!(
                "{}: --inactive-after needs an event timestamp column (headers found: {}); map one with --map event_at=COLUMN",
                file.source.name,
                crate::text::headers_shown(&file.sniffed.headers)
            ));
        }
        if input.has("start_date") {
            need_ids()?;
            Ok(Mode::Subscriptions)
        } else if input.has("churned") {
            Ok(Mode::Snapshot)
        } else {
            Err(data_err!(
                "{}: no start_date (subscriptions) or churned flag (snapshot) column (headers found: {}); map one with --map start_date=COLUMN or --map churned=COLUMN, or give --inactive-after for activity churn{}",
                file.source.name,
                crate::text::headers_shown(&file.sniffed.headers),
                input.misfit_note(0)
            ))
        }
    }

    /// One line saying what is measured, for stderr and `inspect`.
    pub fn describe(self, input: &Input) -> String {
        // Each file's column where files read a field from different ones.
        let col = |f: &str| {
            let read: Vec<(&str, &str)> = (input.files.iter())
                .map(|file| (file.mapping.get(f).unwrap_or(f), file.source.name.as_str()))
                .collect();
            match read.iter().all(|(c, _)| *c == read[0].0) {
                true => format!("'{}'", read.first().map_or(f, |(c, _)| c)),
                false => (read.iter())
                    .map(|(c, file)| format!("'{c}' in {file}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            }
        };
        match self {
            Mode::Subscriptions => {
                let mut s = format!(
                    "subscription churn from {} to {}",
                    col("start_date"),
                    if input.has("end_date") {
                        col("end_date")
                    } else {
                        "(no end date: every subscription still running)".into()
                    }
                );
                if input.has("churned") {
                    s += &format!(
                        "; the churn flag {} is not used (dates win)",
                        col("churned")
                    );
                }
                s
            }
            Mode::Snapshot if !input.has("customer_id") => format!(
                "snapshot churn from the flag {}; no customer_id column: each row counts as a customer",
                col("churned")
            ),
            Mode::Snapshot => format!("snapshot churn from the flag {}", col("churned")),
            Mode::Activity => format!(
                "activity churn from events in {}, customers by {}",
                col("event_at"),
                col("customer_id")
            ),
        }
    }
}

/// Activity from a known ticket export whose customer column is not the one `cxm
/// tickets` reads as the customer (Help Scout's conversation `id` beside
/// `primaryCustomer.email`), or from a file whose customer column is its tickets' own
/// id: each ticket would be a customer of its own, churned once its one event is old.
/// Refused unless mapped by hand.
fn tickets_as_customers(input: &Input) -> Result<()> {
    for file in &input.files {
        let Some(customer) = file.mapping.get("customer_id") else {
            continue;
        };
        if file.mapping.explicit.contains(&"customer_id") {
            continue;
        }
        // In a file of tickets (a known export's, or told by its headers): their own
        // id, or not the customer column the tickets read. Elsewhere, an `id` beside a
        // `ticket_id` is each row's own (a comment's, a rating's).
        use crate::input::fields::{classify, normalize, Dataset};
        let as_tickets = crate::input::ticket_columns(file);
        let headers = &file.sniffed.headers;
        let known = crate::input::preset::detect(headers, Dataset::Tickets).is_some();
        let tickets = known || classify(headers) == Some(Dataset::Tickets);
        let theirs = as_tickets.get("customer_id");
        let their_id = as_tickets.get("ticket_id");
        let other = known && theirs.is_some_and(|c| c != customer);
        let own_id = tickets && their_id == Some(customer);
        // A ticket's id under any of its names but the bare `id` (a conversation's, a
        // case's) beside it.
        let ticket_names = (crate::input::fields::TICKET_FIELDS.iter())
            .find(|f| f.name == "ticket_id")
            .map_or(&[][..], |f| f.synonyms);
        let names_a_ticket = |h: &String| {
            let n = normalize(h);
            n != "id" && ticket_names.contains(&n.as_str())
        };
        let row_id = normalize(customer) == "id"
            && (their_id.is_some_and(|t| t != customer) || headers.iter().any(names_a_ticket));
        if !(other || own_id || row_id) {
            continue;
        }
        let hint = match theirs {
            Some(c) => format!(
                " (tickets read the customer from '{}': --map customer_id={})",
                crate::text::printable(c),
                crate::text::shell_word(c)
            ),
            None => String::new(),
        };
        let why = if own_id {
            "which a file of tickets holds as their own id (this one is read as tickets): each ticket would be a customer of its own (if its rows are customers, --map customer_id=id says so)"
        } else if other {
            "not the tickets' customer column: each ticket could be a customer of its own"
        } else {
            "each row's own id beside the ticket's (a comment's, a rating's): each row would be a customer of its own"
        };
        return Err(data_err!(
            "{}: activity churn would read the customers from '{}', {why}; give the customer's column with --map customer_id=COLUMN{hint}",
            file.source.name,
            crate::text::printable(customer)
        ));
    }
    Ok(())
}

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
    let (mut computed, note) = compute_view(input, req)?;
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
    // Survival shows no MRR.
    if !matches!(req.view, ChurnView::Survival { .. }) {
        warnings.extend(minor_units(input));
    }
    warnings.append(&mut computed.warnings);
    computed.warnings = warnings;
    Ok((computed, note))
}

/// A warning when the MRR comes from a price named as a JSON field of a billing API
/// (`plan.amount`, `price.unit_amount`): Stripe's API writes a price in the currency's
/// smallest unit (4900 for 49.00), so the MRR would be in cents.
fn minor_units(input: &Input) -> Option<String> {
    if input.has("mrr") || !input.has("amount") {
        return None;
    }
    let column = input.mapping().get("amount")?;
    let lower = column.trim().to_ascii_lowercase();
    let (path, field) = lower.rsplit_once('.')?;
    (!path.is_empty() && field.ends_with("amount")).then(|| {
        format!(
            "the MRR comes from '{column}', a billing API's field: Stripe's API writes a price in the currency's smallest unit (4900 for 49.00), and read so the MRR figures are 100 times the amounts in currency units; map an amount in currency units (--map amount=COLUMN) or a monthly figure (--map mrr=COLUMN)"
        )
    })
}

/// Column of the subscriptions' currency codes as the currency checks read them
/// (trimmed, upper-cased), kept beside the spans.
const CURRENCY: &str = "__currency";

/// Does the run read a currency code beside each subscription's MRR (to warn of
/// amounts in several currencies added up)?
fn reads_currency(input: &Input, mode: Mode, view: &ChurnView) -> bool {
    input.has("currency")
        && has_mrr(input)
        && mode == Mode::Subscriptions
        && !matches!(view, ChurnView::Survival { .. })
}

/// A warning when the subscriptions' MRR adds amounts of several currencies (a
/// `currency` column with more than one code among the subscriptions read) and the
/// rows are not split by it.
fn mixed_currencies(column: &str, spans: &DataFrame) -> Result<Option<String>> {
    let codes = spans.column(CURRENCY)?.as_materialized_series().unique()?;
    let mut all: Vec<&str> = codes
        .str()?
        .iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .collect();
    all.sort();
    if all.len() < 2 {
        return Ok(None);
    }
    Ok(Some(format!(
        "MRR adds amounts in {} currencies ({}, column '{column}') as if they were one: convert them to one currency first, or split the figures with --by currency",
        all.len(),
        all.join(", ")
    )))
}

/// Under `--by currency`, a warning naming the customers billed in several
/// currencies: a customer's MRR is one figure under one currency at a time.
fn switched_currencies(spans: &DataFrame) -> Result<Option<String>> {
    let several = spans
        .clone()
        .lazy()
        .select([col("customer_id"), col(CURRENCY)])
        .filter(
            col(CURRENCY)
                .neq(lit(""))
                .and(col("customer_id").neq(lit(""))),
        )
        .unique(None, UniqueKeepStrategy::Any)
        .group_by([col("customer_id")])
        .agg([len().alias("n")])
        .filter(col("n").gt(lit(1)))
        .sort(["customer_id"], Default::default())
        .collect()?;
    if several.height() == 0 {
        return Ok(None);
    }
    let ids = several.column("customer_id")?.str()?;
    let shown: Vec<&str> = ids.iter().flatten().take(3).collect();
    let more = match several.height() > shown.len() {
        true => ", …",
        false => "",
    };
    Ok(Some(format!(
        "--by currency: {} billed in several currencies ({}{more}): a customer's MRR, all its subscriptions added, counts under the currency of its latest-started one, and its change in a bucket under its currency at the bucket's start, so amounts of two currencies are added or set against each other (a switch from USD to JPY reads as USD expansion); convert the amounts to one currency first",
        match several.height() {
            1 => "1 customer is".to_string(),
            n => format!("{n} customers are"),
        },
        shown.join(", ")
    )))
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
        if scope.every.is_some() || window.since.is_some() || window.until.is_some() {
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
        let computed = snapshot(input, req, &fields, &raw, &grouping)?;
        return Ok((computed, note));
    }

    // One source per file: each file's own timestamp formats.
    let sources: Vec<SpanSource> = if mode == Mode::Activity {
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
        for f in ["start_date", "end_date"]
            .iter()
            .chain(mrr.fields())
            .chain(beside)
        {
            if input.has(f) && !fields.contains(f) {
                fields.push(f);
            }
        }
        input
            .timestamp_formats(&["start_date", "end_date"])?
            .into_iter()
            .map(|formats| {
                Ok(SpanSource::Subscriptions {
                    start: formats
                        .get("start_date")
                        .cloned()
                        .ok_or_else(|| data_err!("no format for start_date"))?,
                    end: formats.get("end_date").cloned(),
                    mrr,
                })
            })
            .collect::<Result<_>>()?
    };
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
            files.join(" + "),
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
            files.join(" + "),
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
        &files.join(", "),
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
    match req.view {
        ChurnView::Buckets { movements } => {
            if movements && !with_mrr {
                // Activity has no MRR to ask for (a usage error); a subscription file
                // without the column is input missing a required column (exit 3).
                return Err(match is_activity {
                    true => usage_err!("--movements needs MRR, which activity churn (--inactive-after) has none of: give subscriptions with an mrr column"),
                    false => data_err!("--movements needs MRR, and no column of the subscriptions holds it: map an mrr column (--map mrr=COLUMN), or an amount and its billing interval"),
                });
            }
            let counts = churn::by_bucket(&spans, &bounds, keys.values.len());
            let columns = churn::Columns {
                mrr: with_mrr,
                movements,
            };
            let seen = churn::groups_seen(&spans, &bounds, keys.values.len());
            computed.metrics = churn::frame(&counts, &seen, &keys, &group_by, &starts, columns)?;
        }
        ChurnView::Cohorts => {
            let last = window.until.map_or(latest, |u| u.timestamp_millis());
            let rows = retention::cohort_rows(&bounds, keys.values.len(), last);
            if rows > MAX_COHORT_ROWS {
                let groups = match keys.values.len() {
                    1 => String::new(),
                    n => format!(", in {n} groups"),
                };
                return Err(data_err!(
                    "the cohort table would hold {rows} rows ({} buckets, each cohort with its ages{groups}): more than {MAX_COHORT_ROWS}; give --since/--until or a coarser --every (a far end date such as 2099-12-31 stretches the range)",
                    starts.len(),
                ));
            }
            let cohorts = retention::cohorts(&spans, &bounds, keys.values.len(), last);
            // The groups the churn table of the range shows.
            let seen = churn::groups_seen(&spans, &bounds, keys.values.len());
            let shown = (seen.iter().enumerate())
                .map(|(k, &s)| {
                    group_by.is_empty() || s || cohorts[k].iter().any(|c| c.customers > 0)
                })
                .collect::<Vec<bool>>();
            computed.metrics =
                retention::cohort_frame(&cohorts, &shown, &keys, &group_by, &starts, with_mrr)?;
        }
        ChurnView::Survival { grace_secs, now } => {
            // By default the data's latest date (SPEC §10): one after the present (a
            // subscription's planned end) would count time not yet lived.
            let present = scope.now.timestamp_millis();
            if now.is_none() && latest > present {
                let shown = |ms: i64| {
                    chrono::DateTime::from_timestamp_millis(ms).map_or(String::new(), |t| {
                        t.with_timezone(&scope.tz)
                            .format("%Y-%m-%d %H:%M %Z")
                            .to_string()
                    })
                };
                computed.warnings.push(format!(
                    "the survival is censored at the data's latest date, {}, after the present ({}): customers still active count as lasting until then; give --now to censor them earlier",
                    shown(latest),
                    shown(present)
                ));
            }
            let now = now.map_or(latest, |n| n.timestamp_millis());
            let grace = crate::calendar::ms_of_secs(grace_secs);
            let from = window.since.map_or(i64::MIN, |s| s.timestamp_millis());
            let to = window.until.map_or(i64::MAX, |u| u.timestamp_millis());
            let (lifetimes, after_now) =
                retention::lifetimes_by_key(&spans, grace, now, from, to, scope.tz);
            if after_now > 0 {
                computed.warnings.push(format!(
                    "{after_now} {} after the censoring moment (--now) and {} left out of the survival",
                    if after_now == 1 { "customer starts" } else { "customers start" },
                    if after_now == 1 { "is" } else { "are" }
                ));
            }
            let (rows, summary) = retention::survival_frames(lifetimes, &keys, &group_by)?;
            computed.metrics = rows;
            computed.summary = Some(summary);
        }
        ChurnView::PerCustomer { horizon_secs } => {
            let end = window.until.unwrap_or(scope.now).timestamp_millis();
            let horizon = crate::calendar::ms_of_secs(horizon_secs);
            let later = crate::calendar::later_on_the_clock(end, horizon, scope.tz);
            let known = later <= scope.now.timestamp_millis();
            if !known {
                computed.warnings.push(format!(
                    "the churn horizon ends after --now ({}): `churned` is left empty",
                    scope.now.format("%Y-%m-%dT%H:%M:%SZ")
                ));
            }
            let from = window.since.map_or(i64::MIN, |s| s.timestamp_millis());
            computed.metrics = per_customer(
                &spans,
                &names,
                (&keys, &group_by),
                (from, end),
                known.then_some(later),
                with_mrr,
            )?;
        }
    }
    Ok((computed, note))
}

/// How many spans repeat an earlier one exactly.
fn exact_repeats(spans: &[Span]) -> usize {
    let mut seen = hashbrown::HashSet::with_capacity(spans.len());
    spans
        .iter()
        .filter(|s| !seen.insert((s.customer, s.key, s.start, s.end, s.mrr.to_bits())))
        .count()
}

/// SPEC §14 "stale data" for spans: a window that none of them is active in, while
/// the files have some, is a warning naming the spans' dates (a cron job must notice
/// a stale export). So is a window starting after the files' latest date: the
/// subscriptions still open are then taken as active through it, and a month of an
/// export a year old reads as a month without churn.
fn stale_spans(
    spans: &[Span],
    extent: &Extent,
    scope: &crate::request::Scope,
    what: &str,
    files: &str,
    activity: bool,
) -> Option<String> {
    let window = &scope.window;
    if window.since.is_none() && window.until.is_none() {
        return None;
    }
    let at = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.with_timezone(&scope.tz).format("%Y-%m-%d").to_string())
    };
    let from = window.since.map_or(i64::MIN, |s| s.timestamp_millis());
    let to = window.until.map_or(i64::MAX, |u| u.timestamp_millis());
    if spans
        .iter()
        .any(|s| s.start < to && s.end.is_none_or(|e| e > from))
    {
        let latest = extent.latest;
        // A window open at its end ends at the latest date: here, before it starts.
        let open_end = match window.until {
            Some(_) => "those still open are taken as active through it",
            None => "the window, open at its end, ends there too (give --until to count those still open through the buckets after it)",
        };
        return (!activity && latest < from).then(|| {
            Some(format!(
                "the {what}' latest date is {} ({files}), before the window ({}) starts: {open_end}; a stale export?",
                at(latest)?,
                scope.describe_window()
            ))
        })?;
    }
    let first = spans.iter().map(|s| s.start).min()?;
    let last = spans
        .iter()
        .map(|s| s.end.unwrap_or(s.start).max(s.start))
        .max()?;
    // Spans on both sides of the window, or only after it: no stale export.
    // (An end is exclusive: one on the window's start is before it.)
    let stale = last <= from;
    Some(format!(
        "the window ({}) holds none of the {what}: they run from {} to {} ({files}){}",
        scope.describe_window(),
        at(first)?,
        at(last)?,
        if stale { "; a stale export?" } else { "" }
    ))
}

/// Churn in buckets reaching past `--now` that comes of ends after it (cancellations
/// scheduled, not yet happened; for activity, windows closing after it, which events
/// not yet in the data may keep open): counted as the data gives it, said. A customer
/// churns in bucket [d0, d1) when active at d0 and not at d1; here, by an end past
/// `--now`.
fn scheduled_ends(
    spans: &[Span],
    bounds: &[i64],
    scope: &crate::request::Scope,
    (counted_as, last_age, activity): (&str, Option<i64>, bool),
) -> Option<String> {
    let cohorts = last_age.is_some();
    let now = scope.now.timestamp_millis();
    let mut churned = 0;
    // Cohorts: a customer of a cohort shown, by its first start, as they are counted.
    let (first, end) = (bounds.first().copied(), bounds.last().copied());
    let shown = |customer: &[Span]| {
        let start = customer.iter().map(|s| s.start).min();
        !cohorts
            || start
                .zip(first.zip(end))
                .is_some_and(|(s, (a, b))| a <= s && s < b)
    };
    for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
        if !shown(customer) {
            continue;
        }
        let active = |t: i64| customer.iter().any(|s| s.active_at(t));
        // Each end past --now, with the first bound at or after it (found by halving:
        // daily buckets over decades are many): the bucket it falls in ends there.
        let ends = customer.iter().filter_map(|s| s.end).filter(|&e| e > now);
        let at_or_after = |e: i64| bounds.partition_point(|&t| t < e);
        let gone = if cohorts {
            // Gone at the first age measured after an end past --now, if shown.
            let shown_age = |t: i64| last_age.is_some_and(|last| t <= last);
            ends.into_iter().any(|e| {
                let k = at_or_after(e);
                bounds.get(k).is_some_and(|&t| shown_age(t) && !active(t))
            })
        } else {
            // Leaves so in some bucket ending after --now (once however often): active
            // at its start, not at its end, with such an end inside it.
            ends.into_iter().any(|e| {
                let k = at_or_after(e);
                k > 0 && k < bounds.len() && active(bounds[k - 1]) && !active(bounds[k])
            })
        };
        churned += usize::from(gone);
    }
    (churned > 0).then(|| {
        let now = scope.now.with_timezone(&scope.tz).format("%Y-%m-%d %H:%M %Z");
        let who = match (churned, activity) {
            (1, false) => "1 customer leaves by a subscription end".to_string(),
            (n, false) => format!("{n} customers leave by subscription ends"),
            (1, true) => "1 customer's activity window closes".to_string(),
            (n, true) => format!("{n} customers' activity windows close"),
        };
        match activity {
            false => format!(
                "{who} after --now ({now}) in the buckets shown: counted as {counted_as} already, as the data schedules it"
            ),
            true => format!(
                "{who} after --now ({now}) in the buckets shown: counted as {counted_as} already, though events after --now, not in the data, may yet keep them active"
            ),
        }
    })
}

/// Marks the rows of [`per_customer`] whose subscriptions overlap the window; the
/// others are customers whose subscription starts at its end.
pub const IN_WINDOW: &str = "__subscribed_in_window";

/// `customer_id, mrr, churned` for the customers with a subscription in [from, end)
/// or active at `end` (one that starts at `end` is a customer then, as `churn`'s
/// `customers_end` counts it): MRR at `end`; churned, for those active then, whether
/// they are not at `later` (None: not yet known).
/// With group columns, one row per customer and group: the customer's subscriptions
/// in that group alone. Without MRR in the data (`with_mrr`), its column is empty.
fn per_customer(
    spans: &[Span],
    names: &[String],
    (keys, group_by): (&Keys, &[String]),
    (from, end): (i64, i64),
    later: Option<i64>,
    with_mrr: bool,
) -> Result<DataFrame> {
    let (mut ids, mut mrr, mut churned) = (Vec::new(), Vec::new(), Vec::new());
    let mut in_window = Vec::new();
    let mut groups: Vec<u32> = Vec::new();
    let mut key_order: Vec<u32> = Vec::new();
    for customer in spans.chunk_by(|a, b| a.customer == b.customer) {
        key_order.clear();
        for s in customer {
            if !key_order.contains(&s.key) {
                key_order.push(s.key);
            }
        }
        for &key in &key_order {
            let own = || customer.iter().filter(move |s| s.key == key);
            // A subscription ending the day it starts was never active: it overlaps
            // no window, however wide.
            let overlaps =
                own().any(|s| s.start < end && s.end.is_none_or(|e| e > from.max(s.start)));
            let at_end: Vec<&Span> = own().filter(|s| s.active_at(end)).collect();
            if !overlaps && at_end.is_empty() {
                continue;
            }
            in_window.push(overlaps);
            ids.push(names[customer[0].customer as usize].as_str());
            groups.push(key);
            mrr.push(with_mrr.then(|| at_end.iter().map(|s| s.mrr).sum::<f64>()));
            // Churn is the customer's, as `churn --by` counts it: moving to another
            // plan (group) is not leaving.
            churned.push(match later {
                Some(t) if !at_end.is_empty() => Some(!customer.iter().any(|s| s.active_at(t))),
                _ => None,
            });
        }
    }
    let mut columns = vec![Column::new("customer_id".into(), ids)];
    for (j, name) in group_by.iter().enumerate() {
        let values: Vec<Option<&str>> = groups
            .iter()
            .map(|&k| keys.values[k as usize][j].as_deref())
            .collect();
        columns.push(Column::new(name.as_str().into(), values));
    }
    columns.push(Column::new("mrr".into(), mrr));
    columns.push(Column::new("churned".into(), churned));
    columns.push(Column::new(IN_WINDOW.into(), in_window));
    Ok(DataFrame::new_infer_height(columns)?)
}

/// Each row's customer id hash (`id`) combined with its groups' (`group0`, …): equal
/// for two rows of one customer in one group. Null where the id is.
fn ids_in_groups(df: &DataFrame) -> Result<UInt64Chunked> {
    let id = df.column("id")?.u64()?;
    let groups: Vec<&UInt64Chunked> = (df.columns().iter().skip(1))
        .map(|c| c.u64())
        .collect::<PolarsResult<_>>()?;
    Ok((0..df.height())
        .map(|row| {
            let id = id.get(row)?;
            Some(groups.iter().fold(id, |h, g| {
                // A blank group is a value of its own.
                let g = g.get(row).unwrap_or(0x9E37_79B9_7F4A_7C15);
                (h ^ g.rotate_left(29)).wrapping_mul(0x0100_0000_01b3)
            }))
        })
        .collect())
}

/// The data's first start and latest date (UTC ms): the last start or end; for
/// activity, the last event. No first and a latest of 0 without spans.
struct Extent {
    first: Option<i64>,
    latest: i64,
}

impl Extent {
    fn of(spans: &[Span], activity: bool) -> Extent {
        let latest = spans
            .iter()
            .map(|s| match (activity, s.end) {
                (false, Some(e)) => e.max(s.start),
                _ => s.start,
            })
            .max()
            .unwrap_or(0);
        Extent {
            first: spans.iter().map(|s| s.start).min(),
            latest,
        }
    }
}

/// Snapshot churn, through the engine: its metrics are records.
fn snapshot(
    input: &Input,
    req: &ChurnRequest,
    fields: &[&str],
    raw: &[String],
    grouping: &Grouping,
) -> Result<Computed> {
    let ids = input.has("customer_id");
    let mut rules = churn::snapshot_rules(ids);
    rules.push(metrics::ragged_rule());
    let parse = |_: usize, lf: LazyFrame| churn::snapshot_parse(lf, ids);
    let prepare = Prepare::each_file(&parse);
    let records = churn::snapshot_metrics();
    let inputs = record::inputs_of(&records);
    let rows = |lf: LazyFrame| {
        grouping.rows(
            churn::snapshot_rows(metrics::well_formed(lf)),
            None,
            Some(&inputs),
        )
    };
    let categories = churn::snapshot_categories();
    let mut counts = metrics::reject_count_exprs(&rules);
    counts.extend(categories.exprs());
    // A snapshot has a row a customer: ids on several rows of a group are said, not
    // merged (monthly snapshots in one file, `--by snapshot_date`, repeat none).
    let repeats = ids.then(super::tickets::RepeatCheck::new);
    // Only the rows counted: a rejected row's id repeats nothing.
    let counted = categories.used.clone().and(col(crate::input::RAGGED).not());
    let id_rows = |lf: LazyFrame| {
        let lf = lf.filter(counted.clone());
        // Ids compared trimmed, as subscriptions read them.
        let id = col("customer_id").str().strip_chars(lit(NULL));
        let mut hashes = vec![super::tickets::id_hash(id).alias("id")];
        for (i, g) in grouping.group_by.iter().enumerate() {
            let text = col(g.as_str()).cast(DataType::String);
            hashes.push(super::tickets::id_hash(text).alias(format!("group{i}")));
        }
        lf.select(hashes)
    };
    let seen = |df: DataFrame| -> Result<()> {
        if let Some(repeats) = &repeats {
            repeats.add(&ids_in_groups(&df)?);
        }
        Ok(())
    };
    let hooks: [engine::Hook; 1] = [(&id_rows, &seen)];
    let pass = engine::Pass {
        fields,
        raw,
        prepare: &prepare,
        rows: &rows,
        metrics: &records,
        grouping,
        counts: &counts,
        also: if repeats.is_some() { &hooks } else { &[] },
        numbered: None,
        classes: &[],
        keep: None,
        firsts: None,
        values_of: None,
    };
    let (df, counts) = engine::run(input, &pass)?;
    let repeated = repeats
        .map(super::tickets::RepeatCheck::repeated)
        .transpose()?
        .unwrap_or_default();
    let mut warnings = Vec::new();
    if !repeated.is_empty() {
        let ids = match repeated.len() {
            1 => "1 customer id is".to_string(),
            n => format!("{n} customer ids are"),
        };
        let of_a_group = match grouping.group_by.is_empty() {
            true => "",
            false => " of a group",
        };
        warnings.push(format!(
            "{ids} on more than one row{of_a_group}: each row counts as a customer (a snapshot has one row a customer; de-duplicate the export to count each once)"
        ));
    }
    let (rejected, rows_read) = account(
        input,
        &req.rows,
        (&counts, None),
        &categories,
        &rules,
        fields,
        raw,
        &prepare,
    )?;
    warnings.extend(super::kept_none(input, &counts, fields, raw)?);
    Ok(Computed {
        metrics: df,
        rejected,
        rows_read,
        events_read: None,
        warnings,
        summary: None,
        sla_verdict: None,
        first_responses: None,
    })
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

/// Typed spans sorted by customer, the interned group keys (index 0 always exists),
/// (when asked) the customers' ids by number, and how many end dates were read as no
/// end: from 2100 on, as billing systems write "never" (`9999-12-31`); taken as a
/// date, it would churn the customer in 9999 and stretch the buckets to it
/// (`open_ends`: subscriptions' end dates, not an activity's windows).
fn spans_from(
    df: &DataFrame,
    group_by: &[String],
    want_names: bool,
    open_ends: bool,
    tz: chrono_tz::Tz,
) -> Result<(Vec<Span>, Keys, Vec<String>, usize)> {
    let customer = df.column("customer_id")?.str()?.rechunk();
    let start = df.column(START_MS)?.i64()?.rechunk();
    let end = df.column(END_MS)?.i64()?.rechunk();
    let mrr = df.column(MRR)?.cast(&DataType::Float64)?;
    let mrr = mrr.f64()?.rechunk();
    let group_cols = group_by
        .iter()
        .map(|g| Ok(df.column(g.as_str())?.str()?.rechunk().into_owned()))
        .collect::<Result<Vec<_>>>()?;
    let mut keys = Keys::default();
    if group_by.is_empty() {
        keys.intern(Vec::new());
    }
    let mut ids: hashbrown::HashMap<&str, u32> = hashbrown::HashMap::new();
    // Group values as borrowed from the frame → their key index.
    let mut seen: hashbrown::HashMap<Vec<Option<&str>>, u32> = hashbrown::HashMap::new();
    let mut groups: Vec<_> = group_cols.iter().map(|g| g.iter()).collect();
    let mut key_values: Vec<Option<&str>> = Vec::with_capacity(group_by.len());
    let mut spans = Vec::with_capacity(df.height());
    let mut open_ended = 0;
    let open_end_from = local_midnight(tz, OPEN_END_FROM).timestamp_millis();
    let rows = customer
        .iter()
        .zip(start.iter())
        .zip(end.iter())
        .zip(mrr.iter());
    for (((c, s), e), m) in rows {
        key_values.clear();
        key_values.extend(groups.iter_mut().map(|g| g.next().flatten()));
        let (Some(c), Some(s)) = (c, s) else {
            continue;
        };
        let next = ids.len() as u32;
        let id = *ids.entry(c).or_insert(next);
        let key = match seen.get(key_values.as_slice()) {
            Some(&k) => k,
            None if group_by.is_empty() => 0,
            None => {
                let k = keys.intern(key_values.iter().map(|v| v.map(str::to_string)).collect());
                seen.insert(key_values.clone(), k);
                k
            }
        };
        let never = open_ends && e.is_some_and(|e| e >= open_end_from);
        open_ended += usize::from(never);
        spans.push(Span {
            customer: id,
            start: s,
            end: e.filter(|_| !never),
            mrr: m.unwrap_or(0.0),
            key,
        });
    }
    // Spans starting together are ordered by their group as the output sorts groups
    // (blanks last): the latest-started span at a bound is then the one whose group
    // sorts last, and the first span the one whose group sorts first, not file order
    // (and as the warehouse SQL orders them).
    let mut rank = vec![0u32; keys.values.len()];
    for (position, k) in churn::sorted_keys(&keys, 0..keys.values.len())
        .into_iter()
        .enumerate()
    {
        rank[k] = position as u32;
    }
    spans.sort_by_key(|s| (s.customer, s.start, rank[s.key as usize]));
    let mut names = Vec::new();
    if want_names {
        names = vec![String::new(); ids.len()];
        for (name, id) in ids {
            names[id as usize] = name.to_string();
        }
    }
    Ok((spans, keys, names, open_ended))
}

/// An end from this day on is read as no end: its local midnight in `tz`, as a date
/// is read (in Tokyo, 2100-01-01 is 15:00 UTC the day before).
const OPEN_END_FROM: chrono::NaiveDate = match chrono::NaiveDate::from_ymd_opt(2100, 1, 1) {
    Some(d) => d,
    None => chrono::NaiveDate::MAX,
};

/// The buckets to report: those overlapping the window, or without one, from the bucket
/// of the earliest start to the bucket of the latest date in the data (start or end;
/// for activity, the latest event).
fn bucket_starts(
    extent: &Extent,
    window: &Window,
    every: Every,
    tz: chrono_tz::Tz,
) -> Result<Vec<NaiveDate>> {
    let local = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&tz).date_naive())
    };
    let first = match window.since {
        Some(s) => Some(s.with_timezone(&tz).date_naive()),
        None => extent.first.and_then(local),
    };
    let last = match window.until {
        Some(u) => local(u.timestamp_millis() - 1),
        None if extent.first.is_none() => None,
        None => local(extent.latest),
    };
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Vec::new());
    };
    crate::calendar::bucket_starts_between(first, last, every, MAX_BUCKETS).ok_or_else(|| {
        data_err!(
            "the data spans more than {MAX_BUCKETS} buckets ({first} to {last}); give --since/--until or a coarser --every"
        )
    })
}

/// A window starting or ending inside a bucket it shows (`--since 2025-01-15`,
/// monthly): said, since churn counts that bucket whole (its customers at its start
/// and at its end), beyond the window.
fn cut_buckets_warning(
    scope: &crate::request::Scope,
    every: Every,
    shown: &[NaiveDate],
) -> Option<String> {
    let shown: Vec<String> = (shown.iter())
        .map(|d| crate::calendar::bucket_label(*d, every))
        .collect();
    let mut cut = crate::calendar::cut_buckets(&scope.window, every, scope.tz);
    cut.retain(|label| shown.contains(label));
    if cut.is_empty() {
        return None;
    }
    let unit = every.name();
    Some(format!(
        "the window ({}) starts or ends inside {}, which churn counts whole, from the {unit}'s start to its end: beyond the window",
        scope.describe_window(),
        cut.join(" and ")
    ))
}
