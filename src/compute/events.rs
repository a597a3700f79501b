//! `cxm tickets --events`: each ticket's facts derived from its events
//! ([`crate::metrics::events`]), then the ticket metrics and the event-log ones
//! through the same records.
//!
//! With ticket files, they define the tickets (an event of another ticket is ignored,
//! with a warning) and give the creation time and the `--by` columns; without them,
//! the tickets are those of the log, `team` is a ticket's last group and `agent` its
//! last assignee. The log's times replace the ticket file's where it has them: roles
//! give the first response, agent replies and first contact; statuses the
//! resolutions and reopens.

use std::collections::HashMap;
use std::sync::Arc;

use polars::prelude::*;

use crate::accounting::Categories;
use crate::compute::{account, Computed};
use crate::error::Result;
use crate::input::fields::EVENT_FIELDS;
use crate::input::{Input, Prepare, FILE_INDEX, ROW_INDEX};
use crate::metrics::events::{
    self, derive, Event, Facts, Role, Status, StatusWords, AGENT_WAIT_S, FIRST_RES_S, MULTI_TOUCH,
    NEXT_REPLY_S, ON_HOLD_S, REQUESTER_WAIT_S, STATIONS, TWO_TOUCH,
};
use crate::metrics::record::{self, Metric};
use crate::metrics::tickets::{
    self, TicketParams, CREATED_MS, FIRST_CONTACT, FRT_S, REOPENED, REPLIES, RES_S,
};
use crate::metrics::{reason, Grouping, RejectRule};
use crate::request::TicketsRequest;
use crate::{data_err, usage_err};

// Columns of the parsed events.
const AT_MS: &str = "__at_ms";
const ROLE: &str = "__role";
const PUBLIC: &str = "__public";
const STATUS: &str = "__status";
const VALID: &str = "__valid";

/// Open the event files.
pub fn open(req: &TicketsRequest) -> Result<Option<Input>> {
    let Some(sources) = &req.events else {
        return Ok(None);
    };
    let log = Input::open(sources, EVENT_FIELDS, req.scope.tz)?;
    if !log.has("ticket_id") && !threaded(&log) {
        return Err(data_err!(
            "{}: an event log needs a ticket_id column, or message_id, in_reply_to and inbound (a threaded log); map them with [map.events] in --config",
            log.files[0].source.name
        ));
    }
    Ok(Some(log))
}

/// Does the log say who wrote each event (roles, or a threaded log's `inbound`)?
fn has_roles(log: &Input) -> bool {
    log.has("author_role") || threaded(log)
}

/// A threaded log: messages and the messages they reply to, no ticket ids.
fn threaded(log: &Input) -> bool {
    !log.has("ticket_id")
        && ["message_id", "in_reply_to", "inbound"]
            .iter()
            .all(|f| log.has(f))
}

/// The conversation of each message of a threaded log: the id of the inbound
/// message, replying to nothing, at the root of its reply tree; `None` when the
/// tree's root is not in the log or is not inbound (an announcement, not a
/// conversation), or the replies loop.
fn roots(
    ids: &StringChunked,
    parents: &StringChunked,
    inbound: &BooleanChunked,
) -> Vec<Option<String>> {
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| Some((id?, i)))
        .collect();
    let mut root: Vec<Option<Option<usize>>> = vec![None; ids.len()];
    for start in 0..ids.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        let found = loop {
            let Some(i) = at else { break None };
            if let Some(known) = root[i] {
                break known;
            }
            if path.contains(&i) || path.len() > ids.len() {
                break None;
            }
            path.push(i);
            match parents.get(i).map(str::trim).filter(|p| !p.is_empty()) {
                None => break (inbound.get(i) == Some(true)).then_some(i),
                Some(parent) => at = index.get(parent).copied().or(Some(usize::MAX)),
            }
            if at == Some(usize::MAX) {
                break None;
            }
        };
        for i in path {
            root[i] = Some(found);
        }
    }
    root.into_iter()
        .map(|r| r.flatten().and_then(|i| ids.get(i)).map(str::to_string))
        .collect()
}

/// The reject rules of the events.
fn rules(log: &Input) -> Vec<RejectRule> {
    let id = if threaded(log) {
        "message_id"
    } else {
        "ticket_id"
    };
    let mut out = vec![
        RejectRule::new(id, reason::MISSING),
        RejectRule::new("at", reason::MISSING),
        RejectRule::new("at", reason::BAD_TIMESTAMP),
    ];
    if threaded(log) {
        out.push(RejectRule::new("inbound", reason::BAD_BOOL));
    }
    if log.has("author_role") {
        out.push(RejectRule::new("author_role", reason::UNKNOWN_ROLE));
    }
    if log.has("public") {
        out.push(RejectRule::new("public", reason::BAD_BOOL));
    }
    if log.has("status") {
        out.push(RejectRule::new("status", reason::UNKNOWN_STATUS));
    }
    out
}

/// A text column mapped through `word` to a code; null for a blank cell or an
/// unknown word (the flag tells the two apart).
fn coded(raw: Expr, word: impl Fn(&str) -> Option<u8> + Send + Sync + 'static) -> Expr {
    raw.map(
        move |c| {
            let out: UInt8Chunked = c.str()?.iter().map(|v| v.and_then(&word)).collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::UInt8)),
    )
}

/// A yes/no cell (true/false, yes/no, y/n, 1/0, t/f in any case; blank: public),
/// without lowercasing a copy of each.
fn yes_no(raw: Expr) -> Expr {
    raw.map(
        |c| {
            let out: BooleanChunked = c
                .str()?
                .iter()
                .map(|v| {
                    let v = v?.trim();
                    let is = |words: &[&str]| words.iter().any(|w| v.eq_ignore_ascii_case(w));
                    if is(&["true", "yes", "y", "1", "t", "1.0"]) {
                        Some(true)
                    } else if is(&["false", "no", "n", "0", "f", "0.0"]) {
                        Some(false)
                    } else {
                        None
                    }
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    )
}

/// Parse one file's events: the time, the role, visibility and status as codes, a
/// flag per rule, and whether the event can be used.
fn parse(
    lf: LazyFrame,
    log: &Input,
    format: &crate::input::timestamp::TsFormat,
    tz: chrono_tz::Tz,
    statuses: &Arc<StatusWords>,
) -> LazyFrame {
    let at = tickets::plausible(format.to_epoch_ms(col("at"), tz));
    let mut values = vec![at.alias(AT_MS)];
    let flag = |field: &'static str, why: &'static str| RejectRule::new(field, why).flag;
    let id = if threaded(log) {
        "message_id"
    } else {
        "ticket_id"
    };
    let mut flags = vec![
        col(id).is_null().alias(flag(id, reason::MISSING)),
        col("at").is_null().alias(flag("at", reason::MISSING)),
    ];
    if threaded(log) {
        // From the customer, or an answer to them: all public.
        values.push(yes_no(col("inbound")).alias("__inbound"));
        let (customer, agent) = (Role::Customer.code(), Role::Agent.code());
        values.push(
            when(yes_no(col("inbound")))
                .then(lit(customer))
                .otherwise(lit(agent))
                .cast(DataType::UInt8)
                .alias(ROLE),
        );
        flags.push(
            crate::metrics::unparsed(col("inbound"), yes_no(col("inbound")))
                .alias(flag("inbound", reason::BAD_BOOL)),
        );
    } else if log.has("author_role") {
        values.push(coded(col("author_role"), |w| Role::parse(w).map(Role::code)).alias(ROLE));
    } else {
        values.push(lit(NULL).cast(DataType::UInt8).alias(ROLE));
    }
    if log.has("public") {
        values.push(yes_no(col("public")).alias(PUBLIC));
    } else {
        values.push(lit(true).alias(PUBLIC));
    }
    if log.has("status") {
        let words = Arc::clone(statuses);
        values.push(coded(col("status"), move |w| words.parse(w).map(Status::code)).alias(STATUS));
    } else {
        values.push(lit(NULL).cast(DataType::UInt8).alias(STATUS));
    }
    let lf = lf.with_columns(values);
    flags.push(
        crate::metrics::unparsed(col("at"), col(AT_MS)).alias(flag("at", reason::BAD_TIMESTAMP)),
    );
    if log.has("author_role") {
        flags.push(
            crate::metrics::unparsed(col("author_role"), col(ROLE))
                .alias(flag("author_role", reason::UNKNOWN_ROLE)),
        );
    }
    if log.has("public") {
        flags.push(
            crate::metrics::unparsed(col("public"), col(PUBLIC))
                .alias(flag("public", reason::BAD_BOOL)),
        );
    }
    if log.has("status") {
        flags.push(
            crate::metrics::unparsed(col("status"), col(STATUS))
                .alias(flag("status", reason::UNKNOWN_STATUS)),
        );
    }
    let names: Vec<String> = rules(log).into_iter().map(|r| r.flag).collect();
    let lf = lf.with_columns(flags);
    let any_flag = names
        .iter()
        .map(|n| col(n.as_str()))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    lf.with_column(
        any_flag
            .not()
            .and(col(crate::input::RAGGED).not())
            .alias(VALID),
    )
}

/// The derived facts of every ticket of the log, in ticket-id order, and how many
/// events were of tickets `known` does not hold (`None`: every ticket counts).
struct Derived {
    ids: Vec<String>,
    facts: Vec<Facts>,
    unknown_events: u64,
}

fn derive_all(
    events: &DataFrame,
    created: Option<&HashMap<String, Option<i64>>>,
) -> Result<Derived> {
    let ids = events.column("ticket_id")?.str()?.clone();
    let at = events.column(AT_MS)?.i64()?.clone();
    let role = events.column(ROLE)?.u8()?.clone();
    let public = events.column(PUBLIC)?.bool()?.clone();
    let status = events.column(STATUS)?.u8()?.clone();
    let text = |name: &str| -> Result<Option<StringChunked>> {
        Ok(match events.column(name) {
            Ok(c) => Some(c.str()?.clone()),
            Err(_) => None,
        })
    };
    let (assignee, group) = (text("assignee")?, text("group")?);
    let mut out = Derived {
        ids: Vec::new(),
        facts: Vec::new(),
        unknown_events: 0,
    };
    let n = events.height();
    let mut start = 0;
    let mut batch: Vec<Event> = Vec::new();
    while start < n {
        let id = ids.get(start).unwrap_or_default();
        let mut end = start;
        batch.clear();
        while end < n && ids.get(end) == Some(id) {
            batch.push(Event {
                at: at.get(end).unwrap_or_default(),
                role: role.get(end).and_then(Role::from_code),
                public: public.get(end).unwrap_or(true),
                status: status.get(end).and_then(Status::from_code),
                assignee: assignee.as_ref().and_then(|c| c.get(end)),
                group: group.as_ref().and_then(|c| c.get(end)),
            });
            end += 1;
        }
        let known = match created {
            None => Some(None),
            Some(map) => map.get(id).copied(),
        };
        match known {
            Some(created) => {
                out.ids.push(id.to_string());
                out.facts.push(derive(&batch, created));
            }
            None => out.unknown_events += batch.len() as u64,
        }
        start = end;
    }
    Ok(out)
}

/// The facts as per-ticket columns the records read.
fn facts_frame(d: &Derived, log: &Input) -> Result<DataFrame> {
    let roles = has_roles(log);
    let statuses = log.has("status");
    let f = &d.facts;
    let opt = |keep: bool, v: Option<f64>| if keep { v } else { None };
    let float = |name: &str, values: Vec<Option<f64>>| Column::new(name.into(), values);
    let flag = |name: &str, values: Vec<Option<bool>>| Column::new(name.into(), values);
    let columns = vec![
        Column::new("ticket_id".into(), d.ids.clone()),
        Column::new(
            "__event_created_ms".into(),
            f.iter().map(|x| x.created).collect::<Vec<i64>>(),
        ),
        float(
            "__event_frt_s",
            f.iter().map(|x| opt(roles, x.first_response)).collect(),
        ),
        float(
            "__event_res_s",
            f.iter().map(|x| opt(statuses, x.resolution)).collect(),
        ),
        flag(
            "__event_first_contact",
            f.iter()
                .map(|x| {
                    (roles && statuses && x.resolved)
                        .then_some(x.agent_replies == 1 && x.reopens == 0)
                })
                .collect(),
        ),
        flag(
            "__event_reopened",
            f.iter()
                .map(|x| statuses.then_some(x.reopens > 0))
                .collect(),
        ),
        float(
            "__event_replies",
            f.iter()
                .map(|x| roles.then_some(f64::from(x.agent_replies)))
                .collect(),
        ),
        float(
            FIRST_RES_S,
            f.iter()
                .map(|x| opt(statuses, x.first_resolution))
                .collect(),
        ),
        float(
            REQUESTER_WAIT_S,
            f.iter()
                .map(|x| x.has_status.then_some(x.requester_wait))
                .collect(),
        ),
        float(
            AGENT_WAIT_S,
            f.iter()
                .map(|x| x.has_status.then_some(x.agent_wait))
                .collect(),
        ),
        float(
            ON_HOLD_S,
            f.iter()
                .map(|x| x.has_status.then_some(x.on_hold))
                .collect(),
        ),
        flag(
            TWO_TOUCH,
            f.iter()
                .map(|x| (roles && x.resolved).then_some(x.agent_replies == 2))
                .collect(),
        ),
        flag(
            MULTI_TOUCH,
            f.iter()
                .map(|x| (roles && x.resolved).then_some(x.agent_replies >= 3))
                .collect(),
        ),
        float(
            STATIONS,
            f.iter()
                .map(|x| log.has("assignee").then_some(f64::from(x.stations)))
                .collect(),
        ),
        float(
            "__next_replies",
            f.iter()
                .map(|x| roles.then_some(x.next_replies.len() as f64))
                .collect(),
        ),
        float(
            "__next_reply_mean_s",
            f.iter()
                .map(|x| {
                    let n = x.next_replies.len();
                    (n > 0).then(|| x.next_replies.iter().sum::<f64>() / n as f64)
                })
                .collect(),
        ),
        float(
            "__event_reopens",
            f.iter()
                .map(|x| statuses.then_some(f64::from(x.reopens)))
                .collect(),
        ),
        Column::new(
            "__event_team".into(),
            f.iter()
                .map(|x| x.last_group.clone())
                .collect::<Vec<Option<String>>>(),
        ),
        Column::new(
            "__event_agent".into(),
            f.iter()
                .map(|x| x.last_assignee.clone())
                .collect::<Vec<Option<String>>>(),
        ),
    ];
    Ok(DataFrame::new_infer_height(columns)?)
}

/// The ticket metrics and the event-log ones, from the log and, when given, the
/// ticket files' rows (`tickets`: their parsed, kept rows with their group columns).
pub fn compute_on(
    log: &Input,
    tickets: Option<(LazyFrame, &TicketParams)>,
    req: &TicketsRequest,
    grouping: &Grouping,
) -> Result<Computed> {
    if req.schedule.is_some() || !req.sla_policies.is_empty() {
        return Err(usage_err!(
            "--events does not take --schedule or --sla-policy yet"
        ));
    }
    let tz = req.scope.tz;
    let statuses = Arc::new(req.statuses.clone());
    let formats = log.timestamp_formats(&["at"])?;
    let per_file = |i: usize, lf: LazyFrame| -> LazyFrame {
        match formats.get(i).and_then(|f| f.get("at")) {
            Some(format) => parse(lf, log, format, tz, &statuses),
            None => lf.with_column(lit(false).alias(VALID)),
        }
    };
    let prepare = Prepare::each_file(&per_file);
    let mut fields: Vec<&str> = vec!["at"];
    for f in [
        "ticket_id",
        "message_id",
        "in_reply_to",
        "inbound",
        "author_role",
        "public",
        "status",
        "assignee",
        "group",
    ] {
        if log.has(f) {
            fields.push(f);
        }
    }
    let rules = rules(log);
    let categories = Categories {
        used: col(VALID),
        rejected: col(VALID).not(),
        duplicates: None,
        empty: None,
        outside: None,
    };
    let mut counts = crate::metrics::reject_count_exprs(&rules);
    counts.extend(categories.exprs());
    let scan = log.scan_numbered(&fields, &[], &prepare)?;
    let threads = threaded(log);
    let id_columns: &[&str] = if threads {
        &["message_id", "in_reply_to", "__inbound"]
    } else {
        &["ticket_id"]
    };
    let keep: Vec<Expr> = id_columns
        .iter()
        .chain([AT_MS, ROLE, PUBLIC, STATUS, FILE_INDEX, ROW_INDEX].iter())
        .map(|c| col(*c))
        .chain(
            ["assignee", "group"]
                .iter()
                .filter(|f| log.has(f))
                .map(|f| col(*f)),
        )
        .collect();
    let order = [
        col("ticket_id"),
        col(AT_MS),
        col(FILE_INDEX),
        col(ROW_INDEX),
    ];
    let valid = scan.clone().filter(col(VALID)).select(keep);
    let valid = if threads {
        valid
    } else {
        valid.sort_by_exprs(order.clone(), SortMultipleOptions::default())
    };
    let mut frames = LazyFrame::collect_all_with_engine(
        vec![valid.logical_plan, scan.select(counts).logical_plan],
        Engine::Auto,
        OptFlags::default(),
    )?;
    let counts_df = frames.pop().ok_or_else(|| data_err!("no result"))?;
    let mut events_df = frames.pop().ok_or_else(|| data_err!("no result"))?;
    let mut warnings = Vec::new();
    if threads {
        // Each message joins the conversation of its reply tree's inbound root.
        let conversation = roots(
            events_df.column("message_id")?.str()?,
            events_df.column("in_reply_to")?.str()?,
            events_df.column("__inbound")?.bool()?,
        );
        let outside = conversation.iter().filter(|c| c.is_none()).count();
        if outside > 0 {
            warnings.push(format!(
                "--events: {outside} messages belong to no conversation (their thread starts with a message not in the log, or not from a customer) and were left out"
            ));
        }
        events_df.with_column(Column::new("ticket_id".into(), conversation))?;
        events_df = events_df
            .lazy()
            .filter(col("ticket_id").is_not_null())
            .sort_by_exprs(order, SortMultipleOptions::default())
            .collect()?;
    }
    let (rejected, rows_read) = account(
        log,
        &req.rows,
        &counts_df,
        &categories,
        &rules,
        &fields,
        &[],
        &prepare,
    )?;

    // The tickets: the ticket files' rows, else the log's.
    let ticket_rows = match &tickets {
        Some((rows, _)) => Some(rows.clone().collect()?),
        None => None,
    };
    let created: Option<HashMap<String, Option<i64>>> = match &ticket_rows {
        Some(df) => {
            let ids = df.column("ticket_id")?.str()?;
            let created = df.column(CREATED_MS)?.i64()?;
            Some(
                ids.iter()
                    .zip(created.iter())
                    .filter_map(|(id, c)| Some((id?.to_string(), c)))
                    .collect(),
            )
        }
        None => None,
    };
    let derived = derive_all(&events_df, created.as_ref())?;
    if derived.unknown_events > 0 {
        warnings.push(format!(
            "--events: {} events of tickets not in the ticket files were left out",
            derived.unknown_events
        ));
    }
    let facts = facts_frame(&derived, log)?.lazy();
    let pick = |event: &str, own: &str| {
        when(col(event).is_not_null())
            .then(col(event))
            .otherwise(col(own))
            .alias(own)
    };
    let rows = match ticket_rows {
        Some(df) => {
            let joined = df.lazy().join(
                facts.clone(),
                [col("ticket_id")],
                [col("ticket_id")],
                JoinArgs::new(JoinType::Left),
            );
            let roles = has_roles(log);
            let statuses = log.has("status");
            let mut cols = vec![];
            if roles {
                cols.push(pick("__event_frt_s", FRT_S));
                cols.push(col("__event_replies").alias(REPLIES));
            }
            if statuses {
                cols.push(pick("__event_res_s", RES_S));
                cols.push(col("__event_reopened").alias(REOPENED));
            }
            if roles && statuses {
                cols.push(col("__event_first_contact").alias(FIRST_CONTACT));
            }
            joined.with_columns(cols)
        }
        None => facts.with_columns([
            col("__event_created_ms").alias(CREATED_MS),
            col("__event_frt_s").alias(FRT_S),
            col("__event_res_s").alias(RES_S),
            col("__event_first_contact").alias(FIRST_CONTACT),
            col("__event_reopened").alias(REOPENED),
            col("__event_replies").alias(REPLIES),
            col("__event_team").alias("team"),
            col("__event_agent").alias("agent"),
        ]),
    };
    let params = match &tickets {
        Some((_, p)) => (*p).clone(),
        None => TicketParams::for_rows(grouping.clone(), req.sla_secs, req.time_unit),
    };
    let ticket_metrics: Vec<Metric> = params
        .metrics()
        .into_iter()
        .chain(events::ticket_metrics(req.time_unit))
        .collect();
    if req.per_ticket {
        return Ok(Computed {
            metrics: per_ticket(rows, &params)?,
            rejected,
            rows_read,
            warnings,
        });
    }
    let main = metrics_of(rows.clone(), &ticket_metrics, grouping)?;
    // Next replies are over replies: one row per answered run, with its ticket's keys.
    let reply_rows = replies(&derived, rows, grouping)?;
    let reply_metrics = events::reply_metrics(req.time_unit);
    let replies = metrics_of(reply_rows, &reply_metrics, grouping)?;
    let keys = grouping.keys();
    let joined = if keys.is_empty() {
        main.hstack(replies.columns())?
    } else {
        let on: Vec<Expr> = keys.iter().map(|k| col(k.as_str())).collect();
        main.lazy()
            .join(
                replies.lazy(),
                on.clone(),
                on,
                JoinArgs {
                    nulls_equal: true,
                    maintain_order: MaintainOrderJoin::Left,
                    ..JoinArgs::new(JoinType::Left)
                },
            )
            .collect()?
    };
    Ok(Computed {
        metrics: joined,
        rejected,
        rows_read,
        warnings,
    })
}

/// `--per-ticket` with a log: the ticket columns of [`tickets::per_ticket_values`],
/// then each ticket's event-log facts, in ticket-id order.
fn per_ticket(rows: LazyFrame, p: &TicketParams) -> Result<DataFrame> {
    let (u, scale) = (p.unit.suffix(), p.unit.seconds());
    let windowed = p.grouping.rows(rows, Some(col(CREATED_MS)), None);
    let mut out = vec![col("ticket_id")];
    out.extend(tickets::per_ticket_keys(p).iter().map(|k| col(k.as_str())));
    out.extend(
        tickets::per_ticket_values(p)
            .into_iter()
            .map(|(name, e)| e.alias(name)),
    );
    for (name, column) in [
        ("first_resolution", FIRST_RES_S),
        ("requester_wait", REQUESTER_WAIT_S),
        ("agent_wait", AGENT_WAIT_S),
        ("on_hold", ON_HOLD_S),
        ("next_reply_mean", "__next_reply_mean_s"),
    ] {
        out.push((col(column) / lit(scale)).alias(format!("{name}_{u}")));
    }
    out.extend([
        col("__next_replies").alias("next_replies"),
        col(REPLIES).alias("agent_replies"),
        col("__event_reopens").alias("reopens"),
        col(STATIONS).alias("assignee_stations"),
    ]);
    Ok(windowed
        .select(out)
        .sort(["ticket_id"], SortMultipleOptions::default())
        .collect()?)
}

/// The records over rows, grouped (the window by creation time).
fn metrics_of(rows: LazyFrame, metrics: &[Metric], grouping: &Grouping) -> Result<DataFrame> {
    let inputs = record::inputs_of(metrics);
    let windowed = grouping.rows(rows, Some(col(CREATED_MS)), None);
    let keep: Vec<Expr> = grouping
        .keys()
        .iter()
        .map(|k| col(k.as_str()))
        .chain(inputs.iter().map(|c| col(*c)))
        .collect();
    let partials = record::partials(windowed.select(keep), metrics, grouping).collect()?;
    let merged = record::merge(partials, metrics, grouping)?;
    Ok(record::finish(merged, metrics, grouping).collect()?)
}

/// One row per answered run: its wait, and its ticket's creation time and columns.
fn replies(d: &Derived, tickets: LazyFrame, grouping: &Grouping) -> Result<LazyFrame> {
    let (mut ids, mut waits) = (Vec::new(), Vec::new());
    for (id, f) in d.ids.iter().zip(&d.facts) {
        for &w in &f.next_replies {
            ids.push(id.clone());
            waits.push(w);
        }
    }
    let waits = DataFrame::new_infer_height(vec![
        Column::new("ticket_id".into(), ids),
        Column::new(NEXT_REPLY_S.into(), waits),
    ])?;
    let ticket_columns: Vec<Expr> = std::iter::once(col("ticket_id"))
        .chain(std::iter::once(col(CREATED_MS)))
        .chain(grouping.group_by.iter().map(|g| col(g.as_str())))
        .collect();
    Ok(waits.lazy().join(
        tickets.select(ticket_columns),
        [col("ticket_id")],
        [col("ticket_id")],
        JoinArgs::new(JoinType::Inner),
    ))
}
