//! Reading an event log: each file's events parsed (time, role, visibility, status
//! as codes; a flag per reject rule), the usable ones sorted by ticket and time, a
//! threaded log's messages gathered into conversations.

use std::collections::HashMap;
use std::sync::Arc;

use polars::prelude::*;

use crate::accounting::Categories;
use crate::compute::account;
use crate::data_err;
use crate::error::Result;
use crate::input::fields::{Dataset, EVENT_FIELDS};
use crate::input::{Input, Prepare, FILE_INDEX, ROW_INDEX};
use crate::metrics::events::{EventWords, Role, Status};
use crate::metrics::tickets;
use crate::metrics::{reason, RejectRule};
use crate::rejects::Rejected;
use crate::request::{RowHandling, TicketsRequest};

// Columns of the parsed events.
pub const AT_MS: &str = "__at_ms";
pub const ROLE: &str = "__role";
pub const PUBLIC: &str = "__public";
pub const STATUS: &str = "__status";
const VALID: &str = "__valid";

/// Open the event files.
pub fn open(req: &TicketsRequest) -> Result<Option<Input>> {
    let Some(sources) = &req.events else {
        return Ok(None);
    };
    // Beside ticket files, event columns are mapped in the config file: `--map` is
    // for the ticket files. A log alone takes `--map`.
    let alone = req.sources.paths.is_empty();
    let log = Input::open(sources, EVENT_FIELDS, req.scope.tz).map_err(|e| match e {
        crate::error::CxmError::Data(m) if !alone => {
            crate::error::CxmError::Data(crate::compute::report::map_hints_of(&m, None))
        }
        other => other,
    })?;
    // A ticket export maps onto an event log's fields (`created_at` as the event's
    // time, its status): read as one, each ticket would be resolved when created.
    // Unless the event time was mapped by hand.
    let at_mapped = sources.map.iter().any(|(field, _)| field == "at");
    for file in log.files.iter().filter(|_| !at_mapped) {
        let headers = &file.sniffed.headers;
        let kind = crate::input::fields::classify(headers).filter(|k| match k {
            crate::input::fields::Dataset::Events => false,
            crate::input::fields::Dataset::Tickets => crate::input::fields::ticket_export(headers),
            _ => true,
        });
        if let Some(kind) = kind {
            let way = match (sources.given_by_kind, kind) {
                (true, _) => format!("give it as {}", kind.given_as()),
                (false, crate::input::fields::Dataset::Tickets) => {
                    "give it as a ticket FILE: cxm tickets FILE --events LOG".to_string()
                }
                (false, _) => format!("it is read as {}", kind.describe()),
            };
            return Err(data_err!(
                "{}: its headers say it holds {}, not an event log (one row per event: ticket_id, at, and author_role or status); {way}",
                file.source.name,
                kind.noun()
            ));
        }
    }
    if !log.has("ticket_id") && !threaded(&log) {
        return Err(data_err!(
            "{}: an event log needs a ticket_id column, or message_id, in_reply_to and inbound (a threaded log); map them with [map.events] in --config",
            log.files[0].source.name
        ));
    }
    Ok(Some(log))
}

/// Does the log say who wrote each event (roles, or `inbound`)?
pub fn has_roles(log: &Input) -> bool {
    log.has("author_role") || log.has("inbound")
}

/// Are the roles read from `inbound` (true: the customer's; false: an agent's): a
/// threaded log's, and a log of tickets' without `author_role` (Freshdesk's
/// conversations write `incoming`).
pub fn roles_from_inbound(log: &Input) -> bool {
    threaded(log) || (!log.has("author_role") && log.has("inbound"))
}

/// Is visibility read from a `private` column (Freshdesk's, `internal`), the other
/// way round from `public`: only where the log has no `public`.
pub fn private_column(log: &Input) -> bool {
    !log.has("public") && log.has("private")
}

/// A threaded log: messages and the messages they reply to, no ticket ids.
pub fn threaded(log: &Input) -> bool {
    !log.has("ticket_id")
        && ["message_id", "in_reply_to", "inbound"]
            .iter()
            .all(|f| log.has(f))
}

/// Column of a threaded log's messages: how many replies down from its
/// conversation's first message each is, which orders messages of one second (a
/// reply after what it replies to, whatever the file's order).
const DEPTH: &str = "__depth";

/// The conversation of each message of a threaded log: the id of the inbound
/// message, replying to nothing, at the root of its reply tree; `None` when the
/// tree's root is not in the log or is not inbound (an announcement, not a
/// conversation), or the replies loop. Ids are compared as [`message_key`]s. Also
/// each message's depth in its tree ([`DEPTH`]).
fn roots(
    ids: &StringChunked,
    parents: &StringChunked,
    inbound: &BooleanChunked,
) -> (Vec<Option<usize>>, Vec<u32>) {
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| Some((message_key(id?), i)))
        .collect();
    let mut root: Vec<Option<Option<usize>>> = vec![None; ids.len()];
    let mut depth = vec![0u32; ids.len()];
    let mut on_path = vec![false; ids.len()];
    let mut path = Vec::new();
    for start in 0..ids.len() {
        path.clear();
        let mut at = Some(start);
        // The depth of the message the walk stopped above (a known one's, else -1:
        // the path's last message is its tree's first).
        let mut below = None;
        let found = loop {
            let Some(i) = at else { break None };
            if let Some(known) = root[i] {
                below = Some(depth[i]);
                break known;
            }
            if on_path[i] {
                break None;
            }
            on_path[i] = true;
            path.push(i);
            match parents.get(i).map(message_key).filter(|p| !p.is_empty()) {
                None => break (inbound.get(i) == Some(true)).then_some(i),
                Some(parent) => match index.get(parent) {
                    Some(&p) => at = Some(p),
                    None => break None,
                },
            }
        };
        let first = below.map_or(0, |d| d + 1);
        for (d, &i) in (first..).zip(path.iter().rev()) {
            root[i] = Some(found);
            on_path[i] = false;
            depth[i] = d;
        }
    }
    (root.into_iter().map(Option::flatten).collect(), depth)
}

/// The messages timed before a message they reply to, directly or down a chain of
/// replies (the conversation's first among them, `roots`): no reply comes before what
/// it answers, and one that seems to (a clock's error, a bad row) would move the
/// conversation's start and its first response. `depth`: each message's in its tree.
fn early_replies(
    (ids, parents): (&StringChunked, &StringChunked),
    times: &Int64Chunked,
    (roots, depth): (&[Option<usize>], &[u32]),
) -> Vec<bool> {
    let index: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .filter_map(|(i, id)| Some((message_key(id?), i)))
        .collect();
    // The latest time above each message, worked out from the roots down.
    let mut by_depth: Vec<usize> = (0..ids.len()).filter(|&i| roots[i].is_some()).collect();
    by_depth.sort_by_key(|&i| depth[i]);
    let mut latest_above: Vec<Option<i64>> = vec![None; ids.len()];
    for &i in &by_depth {
        let parent = parents.get(i).and_then(|p| index.get(message_key(p)));
        latest_above[i] = parent.and_then(|&p| latest_above[p].max(times.get(p)));
    }
    (0..ids.len())
        .map(|i| match (times.get(i), latest_above[i]) {
            (Some(at), Some(above)) => roots[i].is_some() && at < above,
            _ => false,
        })
        .collect()
}

/// A message id as compared: trimmed, and a whole number written as a float (`4.0`,
/// as a spreadsheet or pandas writes an id column that has blanks) as the number.
fn message_key(id: &str) -> &str {
    let id = id.trim();
    match id.split_once('.') {
        Some((whole, zeros))
            if !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0') =>
        {
            whole
        }
        _ => id,
    }
}

/// Sort keys of the events of one instant by their ids, where every one of them is a
/// number (else none: file order, not id-less events moved before numbered ones):
/// the number, then (ids past a double's 15 digits, a snowflake's 19) the digits by
/// their count and text.
fn numeric_ids() -> Result<[Expr; 3]> {
    let text = || col("event_id").str().strip_chars(lit(NULL));
    let number = || text().cast(DataType::Float64);
    let all_numbers = number()
        .is_not_null()
        .all(false)
        .over([col("ticket_id"), col(AT_MS)])?;
    let only = |key: Expr| when(all_numbers.clone()).then(key).otherwise(lit(NULL));
    Ok([only(number()), only(text().str().len_bytes()), only(text())])
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
    if roles_from_inbound(log) {
        out.push(RejectRule::new("inbound", reason::BAD_BOOL));
    }
    out.push(crate::metrics::ragged_rule());
    // A threaded log's roles come from `inbound`: its `author_role` is not read.
    if log.has("author_role") && !threaded(log) {
        out.push(RejectRule::new("author_role", reason::UNKNOWN_ROLE));
    }
    if log.has("public") {
        out.push(RejectRule::new("public", reason::BAD_BOOL));
    }
    if private_column(log) {
        out.push(RejectRule::new("private", reason::BAD_BOOL));
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
/// A yes/no word of a log (`true`, `yes`, `1`…, any case), or `None`.
pub fn yes_no_word(v: &str) -> Option<bool> {
    let v = v.trim();
    let is = |words: &[&str]| words.iter().any(|w| v.eq_ignore_ascii_case(w));
    if is(&["true", "yes", "y", "1", "t", "1.0"]) {
        Some(true)
    } else if is(&["false", "no", "n", "0", "f", "0.0"]) {
        Some(false)
    } else {
        None
    }
}

fn yes_no(raw: Expr) -> Expr {
    raw.map(
        |c| {
            let out: BooleanChunked = c.str()?.iter().map(|v| yes_no_word(v?)).collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    )
}

/// An event's `public` cell: yes/no, or the visibility words helpdesks export
/// (`public`; `private`, `internal`, `internal note`).
fn visibility(raw: Expr) -> Expr {
    raw.map(
        |c| {
            let out: BooleanChunked = (c.str()?.iter()).map(|v| public_word(v?)).collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
    )
}

/// A `public` cell: yes or no, or `public` against `private`, `internal` and
/// `internal note` (`_` or `-` for a space, as in status words).
pub fn public_word(v: &str) -> Option<bool> {
    yes_no_word(v).or_else(|| {
        let v = v.trim().replace(['_', '-'], " ");
        let is = |w: &str| v.eq_ignore_ascii_case(w);
        match () {
            _ if is("public") => Some(true),
            _ if is("private") || is("internal") || is("internal note") => Some(false),
            _ => None,
        }
    })
}

/// Parse one file's events: the time, the role, visibility and status as codes, a
/// flag per rule, and whether the event can be used.
fn parse(
    lf: LazyFrame,
    log: &Input,
    format: &crate::input::timestamp::TsFormat,
    tz: chrono_tz::Tz,
    statuses: &Arc<EventWords>,
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
    if roles_from_inbound(log) {
        // From the customer, or an answer to them: all public.
        if threaded(log) {
            values.push(yes_no(col("inbound")).alias("__inbound"));
        }
        let (customer, agent) = (Role::Customer.code(), Role::Agent.code());
        // An unreadable `inbound` is no one's: the message joins its thread, as no
        // message of either side.
        let inbound = yes_no(col("inbound"));
        values.push(
            when(inbound.clone().eq(lit(true)))
                .then(lit(customer))
                .when(inbound.eq(lit(false)))
                .then(lit(agent))
                .otherwise(lit(NULL))
                .cast(DataType::UInt8)
                .alias(ROLE),
        );
        flags.push(
            crate::metrics::unparsed(col("inbound"), yes_no(col("inbound")))
                .alias(flag("inbound", reason::BAD_BOOL)),
        );
    } else if log.has("author_role") {
        let words = Arc::clone(statuses);
        values.push(coded(col("author_role"), move |w| words.role(w).map(Role::code)).alias(ROLE));
    } else {
        values.push(lit(NULL).cast(DataType::UInt8).alias(ROLE));
    }
    if log.has("public") {
        values.push(visibility(col("public")).alias(PUBLIC));
    } else if private_column(log) {
        values.push(yes_no(col("private")).not().alias(PUBLIC));
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
    if log.has("author_role") && !threaded(log) {
        flags.push(
            crate::metrics::unparsed(col("author_role"), col(ROLE))
                .alias(flag("author_role", reason::UNKNOWN_ROLE)),
        );
    }
    // A blank cell (spaces too) is public, not a bad value.
    for visible in ["public", "private"] {
        let read = match visible {
            "public" => log.has("public"),
            _ => private_column(log),
        };
        if read {
            flags.push(
                col(visible)
                    .str()
                    .strip_chars(lit(NULL))
                    .neq(lit(""))
                    .and(col(PUBLIC).is_null())
                    .fill_null(lit(false))
                    .alias(flag(visible, reason::BAD_BOOL)),
            );
        }
    }
    if log.has("status") {
        flags.push(
            crate::metrics::unparsed(col("status"), col(STATUS))
                .alias(flag("status", reason::UNKNOWN_STATUS)),
        );
    }
    let mut lf = lf.with_columns(flags);
    // An event without its ticket or time cannot be placed: it is rejected whole. Any
    // other unreadable value counts as absent, as in a ticket file, and the event still
    // counts: an unknown status changes no status, an unknown role (a threaded log's
    // `inbound`, or visibility, which says whether it is a reply) makes it no message.
    let placed = [
        flag(id, reason::MISSING),
        flag("at", reason::MISSING),
        flag("at", reason::BAD_TIMESTAMP),
    ];
    let unplaced = placed
        .iter()
        .filter(|name| rules(log).iter().any(|r| r.flag == **name))
        .map(|n| col(n.as_str()))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
    let visibility = match (log.has("public"), private_column(log)) {
        (true, _) => Some("public"),
        (false, true) => Some("private"),
        _ => None,
    };
    if let Some(visible) = visibility {
        let unknown = col(flag(visible, reason::BAD_BOOL).as_str());
        lf = lf.with_column(
            when(unknown)
                .then(lit(NULL).cast(DataType::UInt8))
                .otherwise(col(ROLE))
                .alias(ROLE),
        );
    }
    lf.with_column(
        unplaced
            .not()
            .and(col(crate::input::RAGGED).not())
            .alias(VALID),
    )
}

/// The usable events of the log, sorted by ticket, time and file order (a threaded
/// log's messages by conversation), with the rejected rows found and located.
pub struct Read {
    pub events: DataFrame,
    pub rejected: Vec<Rejected>,
    pub rows_read: u64,
    pub warnings: Vec<String>,
    /// A threaded log's usable messages that belong to no conversation.
    pub orphans: u64,
}

pub fn read(log: &Input, req: &TicketsRequest, rows: &RowHandling) -> Result<Read> {
    let tz = req.scope.tz;
    // A log of a ticket export's preset (`--preset servicenow`, or ServiceNow's audit
    // log by its signature) reads its status codes as that preset does
    // (`incident_state` 6: solved).
    let asked = (req.sources.presets.iter())
        .filter_map(|name| crate::input::preset::find(name))
        .find(|p| p.dataset == Dataset::Tickets && !p.statuses.is_empty());
    let statuses: Vec<Arc<EventWords>> = (log.files.iter())
        .map(|f| {
            let export = asked
                .or_else(|| crate::input::preset::detect(&f.sniffed.headers, Dataset::Tickets));
            Arc::new(
                req.statuses
                    .with_defaults(export.map_or(&[][..], |p| p.statuses)),
            )
        })
        .collect();
    let formats = log.timestamp_formats(&["at"])?;
    let per_file = |i: usize, lf: LazyFrame| -> LazyFrame {
        match (formats.get(i).and_then(|f| f.get("at")), statuses.get(i)) {
            (Some(format), Some(statuses)) => parse(lf, log, format, tz, statuses),
            _ => lf.with_column(lit(false).alias(VALID)),
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
        "private",
        "status",
        "assignee",
        "group",
        "event_id",
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
        other: None,
        current: None,
    };
    let mut counts = crate::metrics::reject_count_exprs(&rules);
    counts.extend(categories.exprs());
    let threads = threaded(log);
    let id_columns: &[&str] = if threads {
        &["message_id", "in_reply_to", "__inbound"]
    } else {
        &["ticket_id"]
    };
    // Ids compared trimmed (` T1 ` is the ticket file's `T1`).
    let keep: Vec<Expr> = id_columns
        .iter()
        .map(|c| match *c {
            "__inbound" => col(*c),
            id => col(id).str().strip_chars(lit(NULL)).alias(id),
        })
        .chain([AT_MS, ROLE, PUBLIC, STATUS].iter().map(|c| col(*c)))
        .chain(
            ["assignee", "group", "event_id"]
                .iter()
                .filter(|f| log.has(f))
                .map(|f| col(*f)),
        )
        .collect();
    // Read by the block reader on every core: each block's usable events and its
    // counts. Blocks come back in file order, so a row number over them all is the
    // file order that breaks ties in time.
    // Where each rule first fires, noted block by block (the log is not read again
    // to name a bad row).
    let firsts = crate::rejects::first_hits(log, &rules);
    let parts = log.map_blocks_classified(&fields, &[], (&[], true), |i, k, block| {
        let parsed = per_file(i, block);
        let mut frames = LazyFrame::collect_all_with_engine(
            vec![
                parsed
                    .clone()
                    .filter(col(VALID))
                    .select(keep.clone())
                    .with_column(lit(i as u32).alias(FILE_INDEX))
                    .logical_plan,
                parsed.clone().select(counts.clone()).logical_plan,
            ],
            Engine::InMemory,
            OptFlags::default(),
        )?;
        let counts = frames.pop().ok_or_else(|| data_err!("no result"))?;
        let valid = frames.pop().ok_or_else(|| data_err!("no result"))?;
        let hits = crate::rejects::block_hits(&counts, parsed, &firsts, k)?;
        Ok((valid, counts, (i, hits)))
    })?;
    let mut valid = Vec::with_capacity(parts.len());
    let mut counts = Vec::with_capacity(parts.len());
    let mut firsts_of = Vec::with_capacity(parts.len());
    for (v, c, f) in parts {
        valid.push(v);
        counts.push(c);
        firsts_of.push(f);
    }
    let first_hits = crate::engine::block_firsts(firsts_of);
    let stack = |frames: Vec<DataFrame>| -> Result<LazyFrame> {
        Ok(concat(
            frames.into_iter().map(|f| f.lazy()).collect::<Vec<_>>(),
            UnionArgs {
                parallel: false,
                rechunk: false,
                ..Default::default()
            },
        )?)
    };
    let counts_df = stack(counts)?.sum().collect()?;
    // A ticket's events together, in time order: by the id's hash first (comparing
    // numbers, not strings), the id itself only where two hashes are equal. Events of
    // one instant by their ids where these are numbers (ServiceNow's update counter:
    // an export listed newest first keeps New before Closed), else in file order.
    let mut order = vec![
        crate::compute::tickets::id_hash(col("ticket_id")),
        col("ticket_id"),
        col(AT_MS),
    ];
    if log.has("event_id") {
        order.extend(numeric_ids()?);
    }
    order.push(col(ROW_INDEX));
    let valid = stack(valid)?.with_row_index(ROW_INDEX, None);
    let mut events_df = if threads {
        valid.collect()?
    } else {
        valid
            .sort_by_exprs(order.clone(), SortMultipleOptions::default())
            .collect()?
    };
    let mut warnings = crate::compute::source_notes(log);
    let mut orphans = 0;
    if threads {
        // Each message joins the conversation of its reply tree's inbound root.
        let ids = events_df.column("message_id")?.str()?;
        let parents = events_df.column("in_reply_to")?.str()?;
        let (root, depth) = roots(ids, parents, events_df.column("__inbound")?.bool()?);
        let early = early_replies(
            (ids, parents),
            events_df.column(AT_MS)?.i64()?,
            (&root, &depth),
        );
        let conversation: Vec<Option<String>> = (root.iter().zip(&early))
            .map(|(r, &early)| {
                (r.filter(|_| !early))
                    .and_then(|i| ids.get(i))
                    .map(|id| message_key(id).to_string())
            })
            .collect();
        let early = (root.iter().zip(&early))
            .filter(|(r, &early)| r.is_some() && early)
            .count();
        if early > 0 {
            warnings.push(format!(
                "--events: {} timed before a message up {} reply chain (the one {} answers, or one before it; a clock's error?): left out, as no reply comes before what it answers",
                match early {
                    1 => "1 message is".to_string(),
                    n => format!("{n} messages are"),
                },
                if early == 1 { "its" } else { "their" },
                if early == 1 { "it" } else { "each" }
            ));
        }
        let outside = conversation.iter().filter(|c| c.is_none()).count() - early;
        orphans = (outside + early) as u64;
        if outside > 0 {
            warnings.push(format!(
                "--events: {} to no conversation (their thread starts with a message not in the log, or not from a customer) and {} left out",
                match outside {
                    1 => "1 message belongs".to_string(),
                    n => format!("{n} messages belong"),
                },
                if outside == 1 { "was" } else { "were" }
            ));
        }
        events_df.with_column(Column::new("ticket_id".into(), conversation))?;
        events_df.with_column(Column::new(DEPTH.into(), depth))?;
        // A reply of the same second after what it replies to.
        let mut order = order;
        order.insert(order.len() - 1, col(DEPTH));
        events_df = events_df
            .lazy()
            .filter(col("ticket_id").is_not_null())
            .sort_by_exprs(order, SortMultipleOptions::default())
            .collect()?;
    }
    let (rejected, rows_read) = account(
        log,
        rows,
        (&counts_df, Some(&first_hits)),
        &categories,
        &rules,
        &fields,
        &[],
        &prepare,
    )?;
    Ok(Read {
        events: events_df,
        rejected,
        rows_read,
        warnings,
        orphans,
    })
}
