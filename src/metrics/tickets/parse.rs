//! Raw ticket cells to typed values: timestamps and durations parsed, counts and
//! flags read, and one reject flag per rule.

use std::sync::Arc;

use polars::prelude::*;

use super::*;
use crate::metrics::events::EventWords;

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
    for durations in [&FIRST_RESPONSE_DURATIONS[..], &RESOLUTION_DURATIONS[..]] {
        for (_, d) in unread_durations(p, durations) {
            rules.push(RejectRule::warning(d, reason::DURATION_UNREAD));
        }
    }
    for (t, _) in unread_times(p) {
        rules.push(RejectRule::warning(t, reason::TIME_UNREAD));
    }
    if p.statuses.is_some() {
        if p.reads_close() {
            rules.push(RejectRule::warning("status", reason::OPEN_WITH_CLOSE));
        }
        if p.resolution != DurationSource::Absent && !p.log_may_resolve {
            rules.push(RejectRule::warning("status", reason::RESOLVED_UNTIMED));
        }
        rules.push(RejectRule::warning("status", reason::DELETED));
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
            rules.push(RejectRule::new(f, reason::DURATION_PAST_TIMES));
        }
        DurationSource::Absent => {}
    }
    rules
}

/// The longest duration a ticket can have: times are read from 1900 to 2099, and a
/// duration column's value past that span (`1e20` minutes) is a corrupt cell, which
/// would make a mean of it.
const MOST_SECS: f64 = 200.0 * 365.25 * 86_400.0;

fn number(raw: Expr) -> Expr {
    crate::metrics::finite_number(raw)
}

/// Parse a yes/no cell: true/false, yes/no, y/n, 1/0, t/f, and localised Excel
/// booleans (VRAI/FAUX, WAHR/FALSCH, …) in any case; else null.
pub fn boolean(raw: Expr) -> Expr {
    let yes = [
        &["true", "yes", "y", "1", "t", "1.0"][..],
        crate::metrics::EXCEL_TRUE,
        crate::metrics::SPOKEN_YES,
    ]
    .concat();
    let no = [
        &["false", "no", "n", "0", "f", "0.0"][..],
        crate::metrics::EXCEL_FALSE,
        crate::metrics::SPOKEN_NO,
    ]
    .concat();
    word_flag(raw, &yes, &no)
}

/// Parse an SLA verdict cell: a yes/no ([`boolean`]), or a helpdesk's words for one
/// (Freshdesk's `Within SLA` and `SLA Violated`; met, achieved, breached…).
pub fn sla_verdict(raw: Expr) -> Expr {
    const MET: &[&str] = &["within sla", "in sla", "sla met", "met", "achieved"];
    const MISSED: &[&str] = &[
        "sla violated",
        "violated",
        "out of sla",
        "sla breached",
        "breached",
        "sla missed",
        "missed",
    ];
    let yes = [
        &["true", "yes", "y", "1", "t", "1.0"][..],
        crate::metrics::EXCEL_TRUE,
        crate::metrics::SPOKEN_YES,
        MET,
    ]
    .concat();
    let no = [
        &["false", "no", "n", "0", "f", "0.0"][..],
        crate::metrics::EXCEL_FALSE,
        crate::metrics::SPOKEN_NO,
        MISSED,
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
            rules.push(
                col(secs)
                    .gt(lit(MOST_SECS))
                    .fill_null(false)
                    .alias(RejectRule::new(f, reason::DURATION_PAST_TIMES).flag),
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
    // A close is read where there is no resolution time (or no such column), unless
    // the status says the ticket is not resolved: a close left from before it was
    // reopened.
    if p.reads_close() {
        let no_resolution = match p.closed {
            Some(_) => col("resolved_at").is_null(),
            None => lit(true),
        };
        let open = match &p.statuses {
            Some(words) => unresolved_status(col("status"), words),
            None => lit(false),
        };
        stage1.push(
            no_resolution
                .clone()
                .and(open.clone().not())
                .alias(CLOSE_READ),
        );
        stage1.push(
            no_resolution
                .and(col("closed_at").is_not_null())
                .and(open)
                .alias(open_with_close_flag()),
        );
    }
    let since_created =
        |ms: Expr| (ms - col("__created_raw_ms")).cast(DataType::Float64) / lit(1000.0);
    let duration = |src: &DurationSource| match src {
        // `closed_at` stands in for an empty `resolved_at` (not for a rejected one).
        DurationSource::Since("resolved_at", _) if p.closed.is_some() => since_created(
            when(col("resolved_at").is_not_null())
                .then(col("__parsed_resolved_at"))
                .when(col(CLOSE_READ))
                .then(col(PARSED_CLOSED))
                .otherwise(lit(NULL).cast(DataType::Int64)),
        ),
        DurationSource::Since("closed_at", _) => since_created(
            when(col(CLOSE_READ))
                .then(col(PARSED_CLOSED))
                .otherwise(lit(NULL).cast(DataType::Int64)),
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
        // Known where both counts are: else one count alone would settle only the
        // tickets that missed first contact (2 replies, or a reopen), and fcr_pct
        // would be over those alone (0 %).
        FcrSource::Replies { with_reopens: true } => {
            when(col(REPLIES).is_null().or(col("__reopens").is_null()))
                .then(lit(NULL).cast(DataType::Boolean))
                .otherwise(col(REPLIES).eq(lit(1.0)).and(col("__reopens").eq(lit(0.0))))
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
            crate::metrics::count_value(col("__replies_n")).alias(REPLIES),
            crate::metrics::count_value(col("__reopens_n")).alias("__reopens"),
        ]);
    // Stage 3: flags, and the values the metrics use.
    let row_ok = col("__created_raw_ms")
        .is_not_null()
        .and(col("ticket_id").is_not_null());
    // A row rejected whole is rejected once, for its first reason.
    let has_id = col("ticket_id").is_not_null();
    let row_flags = [
        col("ticket_id")
            .is_null()
            .alias(RejectRule::new("ticket_id", reason::MISSING).flag),
        col("created_at")
            .is_null()
            .and(has_id.clone())
            .alias(RejectRule::new("created_at", reason::MISSING).flag),
        unparsed(col("created_at"), col("__created_raw_ms"))
            .and(has_id)
            .alias(RejectRule::new("created_at", reason::BAD_TIMESTAMP).flag),
    ];
    let mut flags = Vec::new();
    if let Some(words) = &p.statuses {
        flags.extend(status_flags(p, words));
    }
    flags.extend(unread_duration_flags(p));
    flags.extend(unread_times(p).into_iter().map(|(t, source)| {
        time_given(p, source)
            .not()
            .and(col(t).is_not_null())
            .alias(RejectRule::new(t, reason::TIME_UNREAD).flag)
    }));
    duration_flags(&p.first_response, "__frt_raw_s", &mut flags);
    match p.closed {
        // Each of the two times answers for its own value, `closed_at` only where
        // it is read (`resolved_at` empty).
        Some(_) => {
            let negative = |ms: Expr| ms.lt(col("__created_raw_ms")).fill_null(false);
            let read_closed = col(CLOSE_READ);
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
        // Its value answers where it is read.
        None if p.reads_close() => flags.extend([
            col(CLOSE_READ)
                .and(unparsed(col("closed_at"), col(PARSED_CLOSED)))
                .alias(RejectRule::new("closed_at", reason::BAD_TIMESTAMP).flag),
            col("__res_raw_s")
                .lt(lit(0.0))
                .fill_null(false)
                .alias(RejectRule::new("closed_at", reason::NEGATIVE).flag),
        ]),
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
            unparsed(col("sla_met"), sla_verdict(col("sla_met")))
                .alias(RejectRule::new("sla_met", reason::BAD_BOOL).flag),
        );
    }
    if p.has("agent_replies") {
        flags.extend(count_flags("agent_replies", "__replies_n", REPLIES));
    }
    if p.has("reopens") {
        flags.extend(count_flags("reopens", "__reopens_n", "__reopens"));
    }
    let plausible = |c: &str| {
        when(col(c).gt_eq(lit(0.0)).and(col(c).lt_eq(lit(MOST_SECS))))
            .then(col(c))
            .otherwise(lit(NULL).cast(DataType::Float64))
    };
    let mut values = vec![
        when(row_ok.clone())
            .then(col("__created_raw_ms"))
            .otherwise(lit(NULL).cast(DataType::Int64))
            .alias(CREATED_MS),
        plausible("__frt_raw_s").alias(FRT_S),
        plausible("__res_raw_s").alias(RES_S),
        first_contact.alias(FIRST_CONTACT),
        col("__reopens").gt(lit(0.0)).alias(REOPENED),
    ];
    if p.has("sla_met") {
        values.push(sla_verdict(col("sla_met")).alias(SLA_MET));
    }
    values.extend(row_flags);
    values.extend(flags);
    // The values of a row rejected whole are not read.
    let unread = reject_rules(p)
        .into_iter()
        .filter(is_value_rule)
        .map(|r| {
            col(r.flag.as_str())
                .and(row_ok.clone())
                .alias(r.flag.as_str())
        })
        .collect::<Vec<_>>();
    // The parse's own steps are no output (held beside each row, they would cost an
    // event log's join about 60 bytes a ticket).
    let mut steps = vec![
        "__created_raw_ms".to_string(),
        "__frt_raw_s".into(),
        "__res_raw_s".into(),
        "__replies_n".into(),
        "__reopens_n".into(),
    ];
    for src in [&p.first_response, &p.resolution] {
        if let DurationSource::Since(f, _) = src {
            steps.push("__parsed_".to_string() + f);
        }
    }
    lf.with_columns(values)
        .with_columns(unread)
        .drop(by_name(steps, false, false))
}

/// Is `rule` about a value of a ticket (not the row's id or creation time, without
/// which the row is rejected whole)?
pub fn is_value_rule(rule: &RejectRule) -> bool {
    !matches!(rule.field, "ticket_id" | "created_at")
}

/// `closed_at` parsed, beside `resolved_at`.
const PARSED_CLOSED: &str = "__parsed_closed_at";
/// Where `closed_at` is read as the resolution time.
const CLOSE_READ: &str = "__close_read";

/// The flag of a ticket whose close is not read because its status is not resolved.
fn open_with_close_flag() -> String {
    RejectRule::new("status", reason::OPEN_WITH_CLOSE).flag
}

/// Is the cell of `source` given (for `resolved_at` beside `closed_at`, either)?
fn time_given(p: &TicketParams, source: &DurationSource) -> Expr {
    match source {
        DurationSource::Since(f, _) if *f == "resolved_at" && p.closed.is_some() => {
            col(*f).is_not_null().or(col("closed_at").is_not_null())
        }
        DurationSource::Since(f, _) | DurationSource::Column(f, _) => col(*f).is_not_null(),
        DurationSource::Absent => lit(false),
    }
}

/// The duration fields of a measure (`durations`) the data maps beside the time its
/// source is read from: not read, but where the time is empty, said. With the
/// source, read from times.
fn unread_durations<'a>(
    p: &'a TicketParams,
    durations: &'a [(&'static str, f64)],
) -> Vec<(&'a DurationSource, &'static str)> {
    let source = match durations.first() {
        Some((f, _)) if f.starts_with("first_response") => &p.first_response,
        _ => &p.resolution,
    };
    match source {
        DurationSource::Since(..) => (durations.iter())
            .filter(|(d, _)| p.has(d))
            .map(|(d, _)| (source, *d))
            .collect(),
        _ => Vec::new(),
    }
}

/// The time fields passed over for a measure's durations ([`TicketParams::unread_times`]),
/// each with the source read instead.
fn unread_times(p: &TicketParams) -> Vec<(&'static str, &DurationSource)> {
    (p.unread_times.iter())
        .map(|&t| match t {
            "first_response_at" => (t, &p.first_response),
            _ => (t, &p.resolution),
        })
        .filter(|(_, source)| matches!(source, DurationSource::Column(..)))
        .collect()
}

/// The flags of a duration given where its time is empty (not read: the file's
/// times are), per [`unread_durations`].
fn unread_duration_flags(p: &TicketParams) -> Vec<Expr> {
    [&FIRST_RESPONSE_DURATIONS[..], &RESOLUTION_DURATIONS[..]]
        .into_iter()
        .flat_map(|durations| unread_durations(p, durations))
        .map(|(source, d)| {
            time_given(p, source)
                .not()
                .and(col(d).is_not_null())
                .alias(RejectRule::new(d, reason::DURATION_UNREAD).flag)
        })
        .collect()
}

/// The flags of what a ticket's status says against its other cells: resolved
/// without a resolution time (no cell to give one; an unreadable one is rejected as
/// such), or deleted (Zendesk's API and Fivetran keep deleted tickets so).
fn status_flags(p: &TicketParams, words: &Arc<EventWords>) -> Vec<Expr> {
    // A duration left unread beside an empty time, or a time beside an empty
    // duration, is warned of as such.
    let unread_durations = unread_durations(p, &RESOLUTION_DURATIONS).into_iter();
    let unread_times = (unread_times(p).into_iter()).filter(|(t, _)| *t != "first_response_at");
    let timed = match &p.resolution {
        DurationSource::Absent => None,
        _ => Some(
            (unread_durations.map(|(_, d)| d))
                .chain(unread_times.map(|(t, _)| t))
                .fold(time_given(p, &p.resolution), |any, f| {
                    any.or(col(f).is_not_null())
                }),
        ),
    };
    let verdict = status_verdict(col("status"), timed.clone().unwrap_or(lit(true)), words);
    let mut flags = vec![verdict
        .clone()
        .eq(lit(DELETED_STATUS))
        .fill_null(false)
        .alias(RejectRule::new("status", reason::DELETED).flag)];
    if timed.is_some() {
        flags.push(
            verdict
                .eq(lit(UNTIMED_RESOLUTION))
                .fill_null(false)
                .alias(RejectRule::new("status", reason::RESOLVED_UNTIMED).flag),
        );
    }
    flags
}

const DELETED_STATUS: u8 = 1;
const UNTIMED_RESOLUTION: u8 = 2;

/// Per ticket: [`DELETED_STATUS`], [`UNTIMED_RESOLUTION`] (a resolved status where
/// `timed` is false), else 0; the words are looked up only where they can matter.
fn status_verdict(status: Expr, timed: Expr, words: &Arc<EventWords>) -> Expr {
    let words = Arc::clone(words);
    as_struct(vec![status.alias("s"), timed.alias("t")]).map(
        move |c| {
            let fields = c.struct_()?.fields_as_series();
            let (statuses, timed) = (fields[0].str()?, fields[1].bool()?);
            // A status column holds a few words over and over: each is looked up once.
            let mut seen: Vec<(&str, bool)> = Vec::new();
            let mut resolved = |s| match seen.iter().find(|(w, _)| *w == s) {
                Some(&(_, r)) => r,
                None => {
                    let r = words.parse(s).is_some_and(|w| w.is_resolved());
                    if seen.len() < 32 {
                        seen.push((s, r));
                    }
                    r
                }
            };
            let out: UInt8Chunked = statuses
                .iter()
                .zip(timed.iter())
                .map(|(s, timed)| {
                    let s = s?.trim();
                    let code = if s.eq_ignore_ascii_case("deleted") {
                        DELETED_STATUS
                    } else if timed == Some(false) && resolved(s) {
                        UNTIMED_RESOLUTION
                    } else {
                        0
                    };
                    Some(code)
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::UInt8)),
    )
}

/// A status cell that reads as not resolved (new, open, pending, hold); false for
/// resolved, unknown or empty ones.
fn unresolved_status(raw: Expr, words: &Arc<EventWords>) -> Expr {
    let words = Arc::clone(words);
    raw.map(
        move |c| {
            let out: BooleanChunked = c
                .str()?
                .iter()
                .map(|v| {
                    Some(
                        v.and_then(|w| words.parse(w))
                            .is_some_and(|s| !s.is_resolved()),
                    )
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    )
}

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
        // A finite number whose seconds overflow (`1e305` hours) is a duration past
        // any span, rejected as such, not an unparseable number.
        return match x.is_finite() {
            true => Some((x * scale).clamp(f64::MIN, f64::MAX)),
            false => None,
        };
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
