//! Ticket metrics (SPEC §5 "Tickets").
//!
//! Pure steps: [`parse`] turns the raw string columns of a scan into typed per-ticket
//! values plus one boolean flag per reject rule; [`window_rows`] keeps the tickets in
//! the window; [`partials`] reduces them (or any part of them) to sums and duration
//! lists per group; [`merge`] adds up the parts and reads the quantiles; [`finish`]
//! turns the sums into every metric.
//!
//! | column | definition |
//! |---|---|
//! | `tickets` | tickets created in the window (rows with a valid `ticket_id` and `created_at`) |
//! | `responded` | tickets with a valid, non-negative first response |
//! | `resolved` | tickets with a valid, non-negative resolution |
//! | `open` | `tickets − resolved` |
//! | `first_response_{mean,median,p90}_<unit>` | `first_response_at − created_at` over responded tickets |
//! | `resolution_{mean,median,p90}_<unit>` | `resolved_at − created_at` over resolved tickets |
//! | `fcr_pct` | 100 × resolved tickets resolved on first contact ÷ resolved tickets whose first-contact status is known |
//! | `reopen_pct` | 100 × resolved tickets with `reopens > 0` ÷ resolved tickets with a known reopen count |
//! | `sla_pct` | 100 × responded tickets with first response ≤ `--sla` ÷ responded tickets; with the vendor's own flag mapped (`sla_met`, ServiceNow's `made_sla`), 100 × tickets flagged true ÷ tickets with a known flag |
//! | `replies_per_resolution` | mean `agent_replies` of resolved tickets whose count is known |
//!
//! Quantiles are linear interpolation between closest ranks (numpy's default).
//! First contact is the `fcr` field when mapped, else `agent_replies = 1 and
//! reopens = 0` (only `agent_replies = 1` when there is no reopen count).
//! A rejected value (unparseable, or a negative duration) counts as absent for
//! every metric that uses it; the ticket itself still counts.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono_tz::Tz;
use polars::prelude::*;

mod extras;

pub(crate) use extras::with_extras;
pub use extras::{per_ticket, per_ticket_keys, per_ticket_values, STAMPED};

use super::record::{self, Cond, Metric, Partial, Value};
use super::sla::{self, Policies};
use super::{reason, unparsed, word_flag, Grouping, RejectRule};
use crate::accounting::Categories;
use crate::calendar::{Schedule, Window};
use crate::input::timestamp::TsFormat;

/// Unit of duration columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    Hours,
    Minutes,
    Seconds,
}

impl TimeUnit {
    /// Seconds in one unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::Hours => 3600.0,
            TimeUnit::Minutes => 60.0,
            TimeUnit::Seconds => 1.0,
        }
    }

    /// The column-name suffix (SPEC §6).
    pub fn suffix(self) -> &'static str {
        match self {
            TimeUnit::Hours => "hours",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Seconds => "seconds",
        }
    }
}

/// Which of the rows sharing a ticket_id to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    First,
    Last,
    All,
}

use self::TimeUnit as Unit;

/// Canonical ticket fields the metrics read.
pub const FIELDS: &[&str] = &[
    "ticket_id",
    "created_at",
    "first_response_at",
    "resolved_at",
    "closed_at",
    "first_response_minutes",
    "first_response_hours",
    "resolution_minutes",
    "resolution_hours",
    "agent_replies",
    "reopens",
    "fcr",
    "sla_met",
];

/// Where a duration comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum DurationSource {
    /// A timestamp field, minus `created_at`.
    Since(&'static str, TsFormat),
    /// A numeric field, times this many seconds per unit.
    Column(&'static str, f64),
    /// Not in the data.
    Absent,
}

/// How first contact is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FcrSource {
    /// The `fcr` boolean field.
    Flag,
    /// `agent_replies = 1`, and `reopens = 0` when reopens is mapped.
    Replies {
        with_reopens: bool,
    },
    Absent,
}

/// Everything the ticket metrics need to know about the data and the request.
#[derive(Debug, Clone)]
pub struct TicketParams {
    pub created: TsFormat,
    pub first_response: DurationSource,
    pub resolution: DurationSource,
    /// `closed_at`'s format, read where `resolved_at` is empty (a ticket closed
    /// without a resolution time was resolved then); only beside `resolved_at`.
    pub closed: Option<TsFormat>,
    pub fcr: FcrSource,
    /// The fields of [`FIELDS`] the data maps.
    pub mapped: Vec<&'static str>,
    pub tz: Tz,
    pub grouping: Grouping,
    pub sla_secs: f64,
    pub unit: Unit,
    /// `--schedule`: business-time variants of the durations.
    pub schedule: Option<Arc<Schedule>>,
    /// `--sla-policy`: the policies' verdicts per ticket and their counts. The
    /// tickets' `priority` is read when the data maps it (add it to `mapped`).
    pub sla: Option<Arc<Policies>>,
    /// The rows say, in [`STAMPED`], whether each duration came from
    /// timestamps (an event log's tickets beside the ticket file's own durations):
    /// only those get business time and business-hours verdicts.
    pub stamped_rows: bool,
    /// The policies' rule inputs are read as these classes (none: as texts); see
    /// [`crate::metrics::sla::Policies::rule_classes`].
    pub rule_classes: Option<Vec<crate::input::classes::Class>>,
}

impl TicketParams {
    /// The parameters for data that maps the fields `has` says (those mapped with
    /// `--map` among `explicit`), with one file's timestamp `formats`; `None` without
    /// a `created_at` format.
    pub fn new(
        has: impl Fn(&str) -> bool,
        explicit: &[&str],
        formats: &BTreeMap<&'static str, TsFormat>,
        grouping: Grouping,
        sla_secs: f64,
        unit: Unit,
    ) -> Option<TicketParams> {
        let fcr = if has("fcr") {
            FcrSource::Flag
        } else if has("agent_replies") {
            FcrSource::Replies {
                with_reopens: has("reopens"),
            }
        } else {
            FcrSource::Absent
        };
        let (first_response, resolution) = Self::sources(&has, explicit, formats);
        let closed = match resolution {
            DurationSource::Since("resolved_at", _) => formats.get("closed_at").cloned(),
            _ => None,
        };
        Some(TicketParams {
            created: formats.get("created_at")?.clone(),
            first_response,
            resolution,
            closed,
            fcr,
            mapped: FIELDS.iter().copied().filter(|f| has(f)).collect(),
            ..TicketParams::for_rows(grouping, sla_secs, unit)
        })
    }

    /// The parameters for rows already parsed (derived from an event log): no file
    /// to read, every metric over the rows' own columns.
    pub fn for_rows(grouping: Grouping, sla_secs: f64, unit: Unit) -> TicketParams {
        TicketParams {
            created: TsFormat::user("%+"),
            first_response: DurationSource::Absent,
            resolution: DurationSource::Absent,
            closed: None,
            fcr: FcrSource::Flag,
            mapped: Vec::new(),
            tz: grouping.tz,
            grouping,
            sla_secs,
            unit,
            schedule: None,
            sla: None,
            stamped_rows: false,
            rule_classes: None,
        }
    }

    /// Does the data map this field?
    pub fn has(&self, field: &str) -> bool {
        self.mapped.contains(&field)
    }

    /// Choose sources from the mapped fields: an explicitly mapped field wins; otherwise
    /// timestamps beat durations (vendor durations are often business hours).
    pub fn sources(
        has: impl Fn(&str) -> bool,
        explicit: &[&str],
        formats: &BTreeMap<&'static str, TsFormat>,
    ) -> (DurationSource, DurationSource) {
        let pick = |ts: &[&'static str], minutes: &'static str, hours: &'static str| {
            // The first timestamp field the data has.
            let ts_source = ts
                .iter()
                .find_map(|&t| Some(DurationSource::Since(t, formats.get(t)?.clone())));
            let col_source = if has(minutes) {
                Some(DurationSource::Column(minutes, 60.0))
            } else if has(hours) {
                Some(DurationSource::Column(hours, 3600.0))
            } else {
                None
            };
            let duration_explicit = explicit.contains(&minutes) || explicit.contains(&hours);
            match (ts_source, col_source) {
                (Some(_), Some(c))
                    if duration_explicit && !ts.iter().any(|t| explicit.contains(t)) =>
                {
                    c
                }
                (Some(t), _) => t,
                (None, Some(c)) => c,
                (None, None) => DurationSource::Absent,
            }
        };
        (
            pick(
                &["first_response_at"],
                "first_response_minutes",
                "first_response_hours",
            ),
            pick(
                &["resolved_at", "closed_at"],
                "resolution_minutes",
                "resolution_hours",
            ),
        )
    }
}

// Column names of the parsed frame.
pub(crate) const CREATED_MS: &str = "__created_ms";
pub(crate) const FRT_S: &str = "__frt_s";
pub(crate) const RES_S: &str = "__res_s";
const FRT_BUSINESS_S: &str = "__frt_business_s";
const RES_BUSINESS_S: &str = "__res_business_s";
/// Both business durations, as [`business`] computes them.
const BUSINESS: &str = "__business";
pub(crate) const FIRST_CONTACT: &str = "__first_contact";
/// The vendor's own SLA verdict, parsed (`sla_met`).
pub(crate) const SLA_MET: &str = "__sla_met";
pub(crate) const REOPENED: &str = "__reopened";
pub(crate) const REPLIES: &str = "__replies";

/// Flag column of rows dropped as duplicates of another row's ticket_id.
pub const DUPLICATE: &str = "__duplicate";

/// A row's number among all rows in order, as the engine numbers them.
const ORDER: &str = crate::engine::ORDER;

/// A row that can be used: it has an id and a creation time, and is not ragged (a
/// rejected row neither hides a good one nor counts as a repeat).
fn usable() -> Expr {
    col("ticket_id")
        .is_not_null()
        .and(col(CREATED_MS).is_not_null())
        .and(col(crate::input::RAGGED).not())
}

/// Of a block's parsed and numbered rows ([`ORDER`]), the usable ones whose id may
/// repeat (`candidates`: ids whose hash repeats), as `ticket_id` and number.
pub fn candidate_rows(numbered: LazyFrame, candidates: Expr) -> LazyFrame {
    numbered
        .filter(usable().and(candidates))
        .select([col("ticket_id"), col(ORDER).cast(DataType::UInt64)])
}

/// The row to keep of each repeated id (by its number), by id.
#[derive(Debug, Default)]
pub struct Kept(std::collections::HashMap<String, u64>);

impl Kept {
    /// From every block's [`candidate_rows`]: the ids with more than one usable row,
    /// each with its last row's number (its first with `Keep::First`).
    pub fn from_blocks(frames: &[DataFrame], keep: Keep) -> PolarsResult<Kept> {
        let mut seen: std::collections::HashMap<String, (u64, u32)> =
            std::collections::HashMap::new();
        for frame in frames {
            let ids = frame.column("ticket_id")?.str()?;
            let order = frame.column(ORDER)?.u64()?;
            for (id, at) in ids.iter().zip(order.iter()) {
                let (Some(id), Some(at)) = (id, at) else {
                    continue;
                };
                match seen.get_mut(id) {
                    Some((chosen, n)) => {
                        *n += 1;
                        let later = at > *chosen;
                        if later != (keep == Keep::First) {
                            *chosen = at;
                        }
                    }
                    None => {
                        seen.insert(id.to_string(), (at, 1));
                    }
                }
            }
        }
        Ok(Kept(
            seen.into_iter()
                .filter(|(_, (_, n))| *n > 1)
                .map(|(id, (at, _))| (id, at))
                .collect(),
        ))
    }
}

/// Add the [`DUPLICATE`] flag: a usable row of a repeated id that is not its kept
/// row. The rows are numbered ([`ORDER`]); `None`: no id repeats.
/// `filter(not DUPLICATE)` then drops the repeats.
pub fn mark_duplicates(lf: LazyFrame, kept: Option<&Arc<Kept>>) -> LazyFrame {
    let Some(kept) = kept else {
        return lf.with_column(lit(false).alias(DUPLICATE));
    };
    let kept = Arc::clone(kept);
    let repeat = as_struct(vec![
        col("ticket_id"),
        col(ORDER).cast(DataType::UInt64),
        usable().alias("__usable"),
    ])
    .map(
        move |c| {
            let f = c.struct_()?.fields_as_series();
            let (ids, order, usable) = (f[0].str()?, f[1].u64()?, f[2].bool()?);
            let out: BooleanChunked = ids
                .iter()
                .zip(order.iter())
                .zip(usable.iter())
                .map(|((id, at), usable)| {
                    let chosen = id.and_then(|id| kept.0.get(id));
                    Some(usable == Some(true) && chosen.is_some_and(|c| Some(*c) != at))
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    );
    lf.with_column(repeat.alias(DUPLICATE))
        .drop(by_name([ORDER], true, false))
}

/// `--verbose`: a row is used when it has an id and a creation time in the window
/// and is not a dropped duplicate.
pub fn categories(window: &Window) -> Categories {
    let valid = col(CREATED_MS).is_not_null();
    let kept = valid.clone().and(col(DUPLICATE).not());
    let inside = crate::calendar::in_window(col(CREATED_MS), window);
    Categories {
        used: kept.clone().and(inside.clone()),
        rejected: valid.clone().not(),
        duplicates: Some(valid.and(col(DUPLICATE))),
        empty: None,
        outside: Some(kept.and(inside.not())),
        other: None,
    }
}

/// The warning rule counting duplicates (not a reject: `--strict` does not fail on it).
pub fn duplicate_rule(keep: Keep) -> Option<RejectRule> {
    let reason = match keep {
        Keep::All => return None,
        Keep::Last => reason::DUPLICATE_LAST,
        Keep::First => reason::DUPLICATE_FIRST,
    };
    let mut rule = RejectRule::warning("ticket_id", reason);
    rule.flag = DUPLICATE.to_string();
    Some(rule)
}

/// The reject rules [`parse`] adds flags for, given the data's fields.
pub fn reject_rules(p: &TicketParams) -> Vec<RejectRule> {
    let mut rules = vec![
        RejectRule::new("ticket_id", reason::MISSING),
        RejectRule::new("created_at", reason::MISSING),
        RejectRule::new("created_at", reason::BAD_TIMESTAMP),
    ];
    for src in [&p.first_response, &p.resolution] {
        rules.extend(source_rules(src, p));
    }
    if p.fcr == FcrSource::Flag {
        rules.push(RejectRule::new("fcr", reason::BAD_BOOL));
    }
    if p.has("sla_met") {
        rules.push(RejectRule::new("sla_met", reason::BAD_BOOL));
    }
    for count in ["agent_replies", "reopens"] {
        if p.has(count) {
            rules.extend(count_rules(count));
        }
    }
    rules
}

/// The reject rules of a duration's source (with `closed_at` beside `resolved_at`).
pub fn source_rules(source: &DurationSource, p: &TicketParams) -> Vec<RejectRule> {
    let mut rules = Vec::new();
    match source {
        DurationSource::Since(f, _) => {
            rules.push(RejectRule::new(f, reason::BAD_TIMESTAMP));
            rules.push(RejectRule::new(f, reason::NEGATIVE));
            if *f == "resolved_at" && p.closed.is_some() {
                rules.push(RejectRule::new("closed_at", reason::BAD_TIMESTAMP));
                rules.push(RejectRule::new("closed_at", reason::NEGATIVE));
            }
        }
        DurationSource::Column(f, _) => {
            rules.push(RejectRule::new(f, reason::BAD_NUMBER));
            rules.push(RejectRule::new(f, reason::NEGATIVE));
        }
        DurationSource::Absent => {}
    }
    rules
}

fn number(raw: Expr) -> Expr {
    super::finite_number(raw)
}

/// Parse a yes/no cell: true/false, yes/no, y/n, 1/0, t/f, and localised Excel
/// booleans (VRAI/FAUX, WAHR/FALSCH, …) in any case; else null.
pub fn boolean(raw: Expr) -> Expr {
    let yes = [
        &["true", "yes", "y", "1", "t", "1.0"][..],
        super::EXCEL_TRUE,
    ]
    .concat();
    let no = [
        &["false", "no", "n", "0", "f", "0.0"][..],
        super::EXCEL_FALSE,
    ]
    .concat();
    word_flag(raw, &yes, &no)
}

fn duration_flags(src: &DurationSource, secs: &str, rules: &mut Vec<Expr>) {
    let raw_parsed = |f: &'static str| -> Expr {
        match src {
            DurationSource::Since(_, _) => col("__parsed_".to_string() + f),
            _ => col(secs),
        }
    };
    match src {
        DurationSource::Since(f, _) => {
            rules.push(
                unparsed(col(*f), raw_parsed(f))
                    .alias(RejectRule::new(f, reason::BAD_TIMESTAMP).flag),
            );
            rules.push(
                col(secs)
                    .lt(lit(0.0))
                    .fill_null(false)
                    .alias(RejectRule::new(f, reason::NEGATIVE).flag),
            );
        }
        DurationSource::Column(f, _) => {
            rules.push(
                unparsed(col(*f), col(secs)).alias(RejectRule::new(f, reason::BAD_NUMBER).flag),
            );
            rules.push(
                col(secs)
                    .lt(lit(0.0))
                    .fill_null(false)
                    .alias(RejectRule::new(f, reason::NEGATIVE).flag),
            );
        }
        DurationSource::Absent => {}
    }
}

/// The flags of a count column (`raw`, parsed as `number`, kept as `value`): not a
/// finite number, below zero, or no whole count one ticket can have (`0.5`, 10^23).
fn count_flags(raw: &'static str, number: &str, value: &str) -> [Expr; 3] {
    let flag = |e: Expr, why| e.fill_null(false).alias(RejectRule::new(raw, why).flag);
    [
        unparsed(col(raw), col(number)).alias(RejectRule::new(raw, reason::BAD_NUMBER).flag),
        flag(col(number).lt(lit(0.0)), reason::NEGATIVE_VALUE),
        flag(
            col(value).is_null().and(col(number).gt_eq(lit(0.0))),
            reason::NOT_WHOLE_COUNT,
        ),
    ]
}

/// The reject rules of a count column, beside [`count_flags`].
fn count_rules(raw: &'static str) -> [RejectRule; 3] {
    [
        reason::BAD_NUMBER,
        reason::NEGATIVE_VALUE,
        reason::NOT_WHOLE_COUNT,
    ]
    .map(|why| RejectRule::new(raw, why))
}

/// Raw string columns → typed per-ticket values and reject flags.
///
/// Output columns: the group columns, `__created_ms` (null when the row is rejected),
/// `__frt_s`/`__res_s` (seconds, null when absent or rejected), `__first_contact`,
/// `__reopened`, and one boolean column per [`reject_rules`] entry.
pub fn parse(lf: LazyFrame, p: &TicketParams) -> LazyFrame {
    let created = plausible(p.created.to_epoch_ms(col("created_at"), p.tz));
    // Stage 1: parse each source column once.
    let mut stage1 = vec![created.alias("__created_raw_ms")];
    for src in [&p.first_response, &p.resolution] {
        if let DurationSource::Since(f, fmt) = src {
            stage1
                .push(plausible(fmt.to_epoch_ms(col(*f), p.tz)).alias("__parsed_".to_string() + f));
        }
    }
    if let Some(fmt) = &p.closed {
        stage1.push(plausible(fmt.to_epoch_ms(col("closed_at"), p.tz)).alias(PARSED_CLOSED));
    }
    let since_created =
        |ms: Expr| (ms - col("__created_raw_ms")).cast(DataType::Float64) / lit(1000.0);
    let duration = |src: &DurationSource| match src {
        // `closed_at` stands in for an empty `resolved_at` (not for a rejected one).
        DurationSource::Since("resolved_at", _) if p.closed.is_some() => since_created(
            when(col("resolved_at").is_not_null())
                .then(col("__parsed_resolved_at"))
                .otherwise(col(PARSED_CLOSED)),
        ),
        DurationSource::Since(f, _) => since_created(col("__parsed_".to_string() + f)),
        DurationSource::Column(f, scale) => duration_secs(col(*f), *scale),
        DurationSource::Absent => lit(NULL).cast(DataType::Float64),
    };
    let lf = lf.with_columns(stage1);
    // Stage 2: durations, first contact, reopens.
    let replies_raw = if p.has("agent_replies") {
        number(col("agent_replies"))
    } else {
        lit(NULL).cast(DataType::Float64)
    };
    let reopens_raw = if p.has("reopens") {
        number(col("reopens"))
    } else {
        lit(NULL).cast(DataType::Float64)
    };
    let first_contact = match p.fcr {
        FcrSource::Flag => boolean(col("fcr")),
        FcrSource::Replies { with_reopens: true } => {
            col(REPLIES).eq(lit(1.0)).and(col("__reopens").eq(lit(0.0)))
        }
        FcrSource::Replies {
            with_reopens: false,
        } => col(REPLIES).eq(lit(1.0)),
        FcrSource::Absent => lit(NULL).cast(DataType::Boolean),
    };
    let lf = lf
        .with_columns([
            duration(&p.first_response).alias("__frt_raw_s"),
            duration(&p.resolution).alias("__res_raw_s"),
            replies_raw.alias("__replies_n"),
            reopens_raw.alias("__reopens_n"),
        ])
        .with_columns([
            super::count_value(col("__replies_n")).alias(REPLIES),
            super::count_value(col("__reopens_n")).alias("__reopens"),
        ]);
    // Stage 3: flags, and the values the metrics use.
    let row_ok = col("__created_raw_ms")
        .is_not_null()
        .and(col("ticket_id").is_not_null());
    let mut flags = vec![
        col("ticket_id")
            .is_null()
            .alias(RejectRule::new("ticket_id", reason::MISSING).flag),
        col("created_at")
            .is_null()
            .alias(RejectRule::new("created_at", reason::MISSING).flag),
        unparsed(col("created_at"), col("__created_raw_ms"))
            .alias(RejectRule::new("created_at", reason::BAD_TIMESTAMP).flag),
    ];
    duration_flags(&p.first_response, "__frt_raw_s", &mut flags);
    match p.closed {
        // Each of the two times answers for its own value, `closed_at` only where
        // it is read (`resolved_at` empty).
        Some(_) => {
            let negative = |ms: Expr| ms.lt(col("__created_raw_ms")).fill_null(false);
            let read_closed = col("resolved_at").is_null();
            flags.extend([
                unparsed(col("resolved_at"), col("__parsed_resolved_at"))
                    .alias(RejectRule::new("resolved_at", reason::BAD_TIMESTAMP).flag),
                negative(col("__parsed_resolved_at"))
                    .alias(RejectRule::new("resolved_at", reason::NEGATIVE).flag),
                read_closed
                    .clone()
                    .and(unparsed(col("closed_at"), col(PARSED_CLOSED)))
                    .alias(RejectRule::new("closed_at", reason::BAD_TIMESTAMP).flag),
                read_closed
                    .and(negative(col(PARSED_CLOSED)))
                    .alias(RejectRule::new("closed_at", reason::NEGATIVE).flag),
            ]);
        }
        None => duration_flags(&p.resolution, "__res_raw_s", &mut flags),
    }
    if p.fcr == FcrSource::Flag {
        flags.push(
            unparsed(col("fcr"), boolean(col("fcr")))
                .alias(RejectRule::new("fcr", reason::BAD_BOOL).flag),
        );
    }
    if p.has("sla_met") {
        flags.push(
            unparsed(col("sla_met"), boolean(col("sla_met")))
                .alias(RejectRule::new("sla_met", reason::BAD_BOOL).flag),
        );
    }
    if p.has("agent_replies") {
        flags.extend(count_flags("agent_replies", "__replies_n", REPLIES));
    }
    if p.has("reopens") {
        flags.extend(count_flags("reopens", "__reopens_n", "__reopens"));
    }
    let non_negative = |c: &str| {
        when(col(c).gt_eq(lit(0.0)))
            .then(col(c))
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let mut values = vec![
        when(row_ok.clone())
            .then(col("__created_raw_ms"))
            .otherwise(lit(NULL).cast(DataType::Int64))
            .alias(CREATED_MS),
        non_negative("__frt_raw_s").alias(FRT_S),
        non_negative("__res_raw_s").alias(RES_S),
        first_contact.alias(FIRST_CONTACT),
        col("__reopens").gt(lit(0.0)).alias(REOPENED),
    ];
    if p.has("sla_met") {
        values.push(boolean(col("sla_met")).alias(SLA_MET));
    }
    values.extend(flags);
    lf.with_columns(values)
}

/// `closed_at` parsed, beside `resolved_at`.
const PARSED_CLOSED: &str = "__parsed_closed_at";

/// First and last instants a ticket's time may have (1900-01-01 and 2100-01-01 UTC):
/// outside them a value is misread (epoch milliseconds read as seconds, a year typed
/// wrong, `9999-12-31` standing for "never"), and is rejected as unparseable rather
/// than turned into a duration of centuries. The zone database's daylight-saving
/// rules end with 2099: a later local time would be an hour off.
pub const PLAUSIBLE_MS: (i64, i64) = (-2_208_988_800_000, 4_102_444_800_000);

pub fn plausible(ms: Expr) -> Expr {
    let (first, end) = PLAUSIBLE_MS;
    when(ms.clone().gt_eq(lit(first)).and(ms.clone().lt(lit(end))))
        .then(ms)
        .otherwise(lit(NULL).cast(DataType::Int64))
}

/// A duration column's cells in seconds: a number of the column's unit (`scale`
/// seconds each), or a clock duration `H:MM` / `H:MM:SS` (Freshdesk's
/// `First response time (in hrs)`), whatever the unit; else null.
fn duration_secs(raw: Expr, scale: f64) -> Expr {
    raw.map(
        move |c| {
            let out: Float64Chunked = c
                .str()?
                .iter()
                .map(|v| v.and_then(|text| duration_cell(text, scale)))
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Float64)),
    )
}

/// Does a duration column's cell read (a number of its unit, or a clock)?
pub fn reads_as_duration(text: &str) -> bool {
    duration_cell(text, 1.0).is_some()
}

fn duration_cell(text: &str, scale: f64) -> Option<f64> {
    let text = text.trim();
    if let Ok(x) = text.parse::<f64>() {
        return Some(x * scale).filter(|s| s.is_finite());
    }
    let (sign, clock) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text),
    };
    // Seconds may carry a fraction (`0:59:59.999`, a pandas timedelta's clock).
    let (clock, fraction) = match clock.split_once('.') {
        Some((c, f)) if clock.matches(':').count() == 2 => (c, Some(f)),
        _ => (clock, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || !parts.iter().all(|p| digits(p))
        || fraction.is_some_and(|f| !digits(f))
    {
        return None;
    }
    let n: Vec<f64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    if n[1..].iter().any(|&x| x >= 60.0) {
        return None;
    }
    let part = fraction.map_or(0.0, |f| format!("0.{f}").parse().unwrap_or(0.0));
    let secs = n[0] * 3600.0 + n[1] * 60.0 + n.get(2).copied().unwrap_or(0.0) + part;
    Some(sign * secs)
}

/// Which optional columns a run adds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extras {
    /// `--schedule`: the business-time durations.
    pub business: bool,
    /// `--sla-policy`: the policies' verdict counts.
    pub policies: bool,
    /// Whether first response and resolution come from timestamps: then a business
    /// duration exists exactly when the calendar one does, and shares its count.
    pub from_timestamps: [bool; 2],
    /// The vendor's own SLA flag is mapped (`sla_met`): `sla_pct` is its share of
    /// true among tickets with a known flag.
    pub vendor_sla: bool,
}

/// Every ticket metric in SPEC §6 order, one record each: the column and how it is
/// computed (`sla_secs` is the first-response target).
pub fn metrics(unit: Unit, sla_secs: f64, extras: Extras) -> Vec<Metric> {
    let business = extras.business;
    let (u, scale) = (unit.suffix(), unit.seconds());
    let responded = Partial::Count(Cond::NotNull(FRT_S));
    let resolved = Partial::Count(Cond::NotNull(RES_S));
    let count_of = |shared: bool, calendar: &Partial, column| {
        if shared {
            calendar.clone()
        } else {
            Partial::Count(Cond::NotNull(column))
        }
    };
    let [frt_shared, res_shared] = extras.from_timestamps;
    let with_business = count_of(frt_shared, &responded, FRT_BUSINESS_S);
    let resolved_business = count_of(res_shared, &resolved, RES_BUSINESS_S);
    let durations = [
        ("first_response", FRT_S, &responded),
        ("resolution", RES_S, &resolved),
        ("first_response_business", FRT_BUSINESS_S, &with_business),
        ("resolution_business", RES_BUSINESS_S, &resolved_business),
    ];
    let of_resolved = |c: Cond| Partial::Count(Cond::both(Cond::NotNull(RES_S), c));
    let mut out = vec![
        Metric::new("tickets", Value::Count(Partial::Rows)),
        Metric::new("responded", Value::Count(responded.clone())),
        Metric::new("resolved", Value::Count(resolved.clone())),
        Metric::new("open", Value::Difference(Partial::Rows, resolved.clone())),
    ];
    // The business-time variants follow the calendar ones (SPEC §8).
    for &(name, values, n) in &durations[..if business { 4 } else { 2 }] {
        let sum = Partial::Sum(values, None);
        let n = n.clone();
        out.push(Metric::new(
            format!("{name}_mean_{u}"),
            Value::Mean { sum, n, scale },
        ));
        for (label, q) in [("median", 0.5), ("p90", 0.9)] {
            let of = values;
            out.push(Metric::new(
                format!("{name}_{label}_{u}"),
                Value::Quantile { of, q, scale },
            ));
        }
    }
    out.extend([
        Metric::new(
            "fcr_pct",
            Value::Pct {
                part: of_resolved(Cond::IsTrue(FIRST_CONTACT)),
                whole: of_resolved(Cond::NotNull(FIRST_CONTACT)),
            },
        ),
        Metric::new(
            "reopen_pct",
            Value::Pct {
                part: of_resolved(Cond::IsTrue(REOPENED)),
                whole: of_resolved(Cond::NotNull(REOPENED)),
            },
        ),
        if extras.vendor_sla {
            Metric::new(
                "sla_pct",
                Value::Pct {
                    part: Partial::Count(Cond::IsTrue(SLA_MET)),
                    whole: Partial::Count(Cond::NotNull(SLA_MET)),
                },
            )
        } else {
            Metric::new(
                "sla_pct",
                Value::Pct {
                    part: Partial::Count(Cond::AtMost(FRT_S, sla_secs)),
                    whole: responded,
                },
            )
        },
    ]);
    // The policies' columns follow the single target's.
    if extras.policies {
        out.extend(sla::metrics());
    }
    out.extend([Metric::new(
        "replies_per_resolution",
        Value::Mean {
            sum: Partial::Sum(REPLIES, Some(Cond::NotNull(RES_S))),
            n: of_resolved(Cond::NotNull(REPLIES)),
            scale: 1.0,
        },
    )]);
    out
}

/// Resolved tickets reopened at least once: the part of `reopen_pct` (for `cxm
/// customers`).
pub fn reopened_tickets() -> Metric {
    let of_resolved = Cond::both(Cond::NotNull(RES_S), Cond::IsTrue(REOPENED));
    Metric::new(
        "reopened_tickets",
        Value::Count(Partial::Count(of_resolved)),
    )
}

/// The metric columns in SPEC §6 order, for a time unit.
pub fn metric_columns(unit: Unit, extras: Extras) -> Vec<String> {
    metrics(unit, 0.0, extras)
        .into_iter()
        .map(|m| m.name)
        .collect()
}

impl TicketParams {
    pub fn metrics(&self) -> Vec<Metric> {
        metrics(self.unit, self.sla_secs, self.extras())
    }

    pub fn extras(&self) -> Extras {
        Extras {
            business: self.schedule.is_some(),
            policies: self.sla.is_some(),
            from_timestamps: [&self.first_response, &self.resolution]
                .map(|s| matches!(s, DurationSource::Since(..))),
            vendor_sla: self.has("sla_met"),
        }
    }
}

/// The tickets in the window, with their group keys and the values the metrics read.
/// With `--schedule`, the business durations are computed here, for the tickets in
/// the window only.
pub fn window_rows(parsed: LazyFrame, p: &TicketParams) -> LazyFrame {
    let inputs = record::inputs_of(&p.metrics());
    let rows = p.grouping.rows(parsed, Some(col(CREATED_MS)), None);
    let rows = with_extras(rows, p);
    let keep = p
        .grouping
        .keys()
        .into_iter()
        .chain(inputs.iter().map(|c| c.to_string()));
    rows.select(keep.map(|c| col(c.as_str())).collect::<Vec<_>>())
}

/// Per group of [`window_rows`]: the partials of every metric. The partials of
/// several parts of the data combine by [`merge`].
pub fn partials(rows: LazyFrame, p: &TicketParams) -> LazyFrame {
    record::partials(rows, &p.metrics(), &p.grouping)
}

/// Several parts' [`partials`] (or one part's) as one row per group.
pub fn merge(parts: DataFrame, p: &TicketParams) -> PolarsResult<DataFrame> {
    record::merge(parts, &p.metrics(), &p.grouping)
}

/// Every ticket metric from the [`merge`]d partials of all the data, sorted by group
/// keys then period.
pub fn finish(merged: DataFrame, p: &TicketParams) -> PolarsResult<LazyFrame> {
    record::finish(merged, &p.metrics(), &p.grouping)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Window;

    fn params(group_by: &[&str]) -> TicketParams {
        TicketParams {
            created: TsFormat::user("%Y-%m-%d"),
            first_response: DurationSource::Absent,
            resolution: DurationSource::Absent,
            closed: None,
            fcr: FcrSource::Absent,
            mapped: Vec::new(),
            tz: Tz::UTC,
            grouping: Grouping {
                window: Window {
                    since: None,
                    until: None,
                },
                every: None,
                tz: Tz::UTC,
                group_by: group_by.iter().map(|g| g.to_string()).collect(),
            },
            sla_secs: 100.0,
            unit: Unit::Seconds,
            schedule: None,
            sla: None,
            stamped_rows: false,
            rule_classes: None,
        }
    }

    /// Tickets of the window (as [`window_rows`] gives them), rows `range` of five.
    fn rows(range: std::ops::Range<usize>) -> LazyFrame {
        let df = df!(
            "team" => ["a", "a", "a", "a", "b"],
            FRT_S => [Some(60.0), Some(120.0), None, Some(30.0), Some(10.0)],
            RES_S => [Some(3600.0), None, Some(7200.0), Some(1800.0), None],
            FIRST_CONTACT => [Some(true), Some(false), None, Some(false), Some(true)],
            REOPENED => [Some(false), None, Some(true), Some(false), None],
            REPLIES => [Some(1.0), Some(3.0), Some(2.0), None, Some(5.0)],
        )
        .unwrap_or_default();
        df.slice(range.start as i64, range.len()).lazy()
    }

    fn metrics_of(parts: LazyFrame, p: &TicketParams) -> DataFrame {
        let merged = merge(parts.collect().unwrap(), p).unwrap();
        finish(merged, p).unwrap().collect().unwrap()
    }

    fn metrics_in_one_part(p: &TicketParams) -> DataFrame {
        metrics_of(partials(rows(0..5), p), p)
    }

    /// Three parts (the last one empty), merged.
    fn metrics_in_parts(p: &TicketParams) -> DataFrame {
        let parts = [0..2, 2..5, 5..5].map(|r| partials(rows(r), p));
        metrics_of(concat(parts, UnionArgs::default()).unwrap(), p)
    }

    fn column(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
        let c = df.column(name).unwrap().cast(&DataType::Float64).unwrap();
        c.f64().unwrap().iter().collect()
    }

    fn assert_close(got: Vec<Option<f64>>, want: &[Option<f64>], what: &str) {
        assert_eq!(got.len(), want.len(), "{what}");
        for (g, w) in got.iter().zip(want) {
            match (g, w) {
                (Some(g), Some(w)) => assert!((g - w).abs() < 1e-9, "{what}: {g} vs {w}"),
                _ => assert_eq!(g, w, "{what}"),
            }
        }
    }

    #[test]
    fn duration_cells_are_numbers_of_the_unit_or_clock_durations() {
        assert_eq!(duration_cell("1.5", 3600.0), Some(5400.0));
        assert_eq!(duration_cell(" 90 ", 60.0), Some(5400.0));
        // H:MM:SS is a clock duration whatever the column's unit.
        assert_eq!(duration_cell("00:20:00", 3600.0), Some(1200.0));
        assert_eq!(duration_cell("26:05:09", 60.0), Some(93_909.0));
        assert_eq!(duration_cell("1:30", 3600.0), Some(5400.0));
        assert_eq!(duration_cell("-00:05:00", 3600.0), Some(-300.0));
        // Seconds with a fraction, as a pandas timedelta's clock has them.
        assert_eq!(duration_cell("0:00:00.500", 60.0), Some(0.5));
        assert_eq!(duration_cell("0:59:59.25", 60.0), Some(3599.25));
        for bad in [
            "",
            "1:60:00",
            "1:2:3:4",
            "a:00",
            "1e309",
            "NaN",
            "12:",
            ":30",
            "1:30.5",
            "0:00:00.",
            "0:00:00.x",
        ] {
            assert_eq!(duration_cell(bad, 3600.0), None, "{bad}");
        }
    }

    /// Worked by hand. Team a: responses 60, 120, 30 s (one missing), resolutions
    /// 3600, 7200, 1800 s; first contact known on two resolved tickets (one yes),
    /// reopens known on three (one yes); two responses within the 100 s SLA; replies
    /// known on two resolved tickets (1 and 2). Team b: one ticket answered in 10 s,
    /// unresolved.
    #[test]
    fn metrics_by_team_are_the_same_from_merged_parts() {
        let p = params(&["team"]);
        for df in [metrics_in_one_part(&p), metrics_in_parts(&p)] {
            let teams: Vec<Option<&str>> =
                df.column("team").unwrap().str().unwrap().iter().collect();
            assert_eq!(teams, [Some("a"), Some("b")]);
            let s = |v: f64| Some(v);
            let want: [(&str, [Option<f64>; 2]); 14] = [
                ("tickets", [s(4.0), s(1.0)]),
                ("responded", [s(3.0), s(1.0)]),
                ("resolved", [s(3.0), s(0.0)]),
                ("open", [s(1.0), s(1.0)]),
                ("first_response_mean_seconds", [s(70.0), s(10.0)]),
                ("first_response_median_seconds", [s(60.0), s(10.0)]),
                ("first_response_p90_seconds", [s(108.0), s(10.0)]),
                ("resolution_mean_seconds", [s(4200.0), None]),
                ("resolution_median_seconds", [s(3600.0), None]),
                ("resolution_p90_seconds", [s(6480.0), None]),
                ("fcr_pct", [s(50.0), None]),
                ("reopen_pct", [s(100.0 / 3.0), None]),
                ("sla_pct", [s(200.0 / 3.0), s(100.0)]),
                ("replies_per_resolution", [s(1.5), None]),
            ];
            for (name, values) in want {
                assert_close(column(&df, name), &values, name);
            }
        }
    }

    /// Worked by hand: all five tickets as one group; responses 10, 30, 60, 120 s.
    #[test]
    fn metrics_without_groups_are_the_same_from_merged_parts() {
        let p = params(&[]);
        for df in [metrics_in_one_part(&p), metrics_in_parts(&p)] {
            let s = |v: f64| Some(v);
            let want = [
                ("tickets", s(5.0)),
                ("responded", s(4.0)),
                ("resolved", s(3.0)),
                ("open", s(2.0)),
                ("first_response_mean_seconds", s(55.0)),
                ("first_response_median_seconds", s(45.0)),
                ("first_response_p90_seconds", s(102.0)),
                ("resolution_p90_seconds", s(6480.0)),
                ("fcr_pct", s(50.0)),
                ("sla_pct", s(75.0)),
                ("replies_per_resolution", s(1.5)),
            ];
            for (name, value) in want {
                assert_close(column(&df, name), &[value], name);
            }
        }
        // No ticket at all: one row of zeros and nulls.
        let empty = metrics_of(partials(rows(0..0), &p), &p);
        assert_close(column(&empty, "tickets"), &[Some(0.0)], "tickets");
        assert_close(
            column(&empty, "first_response_median_seconds"),
            &[None],
            "median",
        );
    }
}
