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

mod facts;
mod read;

use std::sync::Arc;

use polars::prelude::*;

use crate::compute::Computed;
use crate::error::Result;
use crate::input::timestamp::TsFormat;
use crate::input::Input;
use crate::input::FILE_INDEX;
use crate::metrics::events::{
    self, AGENT_WAIT_BUSINESS_S, AGENT_WAIT_S, FIRST_RES_BUSINESS_S, FIRST_RES_S, MULTI_TOUCH,
    NEXT_REPLY_S, ON_HOLD_BUSINESS_S, ON_HOLD_S, REQUESTER_WAIT_BUSINESS_S, REQUESTER_WAIT_S,
    STATIONS, TWO_TOUCH,
};
use crate::metrics::events::{NEXT_REPLY_BUSINESS_S, RUN_START_MS};
use crate::metrics::record::{self, Metric};
use crate::metrics::sla::SlaMetric;
use crate::metrics::tickets::DurationSource;
use crate::metrics::tickets::{
    self, TicketParams, CREATED_MS, FIRST_CONTACT, FRT_S, REOPENED, REPLIES, RES_S,
};
use crate::metrics::{reason, Grouping, RejectRule};
use crate::request::TicketsRequest;
use crate::usage_err;
pub use facts::LogTicket;
use facts::{derive_all, facts_frame, Derived, NEXT_REPLY_BUSINESS_MEAN_S, NEXT_REPLY_MEAN_S};
use read::{has_roles, read, Read};
pub use read::{open, private_column, public_word, roles_from_inbound, threaded, yes_no_word};

/// SPEC §14 "stale data" of a log read alone: when the window holds none of its
/// tickets, the warning naming the window and when the tickets were created.
fn stale_log(
    log: &Input,
    derived: &Derived,
    req: &TicketsRequest,
    inside: impl Fn(i64) -> bool,
) -> Option<String> {
    if derived.facts.iter().any(|f| inside(f.created)) {
        return None;
    }
    let created = derived.facts.iter().map(|f| f.created);
    let (from, to) = (created.clone().min()?, created.max()?);
    let at = |ms: i64| -> Option<String> {
        let t = chrono::DateTime::from_timestamp_millis(ms)?.with_timezone(&req.scope.tz);
        Some(t.format("%Y-%m-%d %H:%M").to_string())
    };
    let files: Vec<&str> = log.files.iter().map(|f| f.source.name.as_str()).collect();
    // Tickets on both sides of the window, or only after it: no stale export.
    let stale = (req.scope.window.since).is_some_and(|s| to < s.timestamp_millis());
    Some(format!(
        "the window ({}) holds none of the tickets: tickets run from {} to {} ({}){}",
        req.scope.describe_window(),
        at(from)?,
        at(to)?,
        crate::text::files_listed(&files, ", "),
        if stale { "; a stale export?" } else { "" }
    ))
}

/// The warning for each file of a log of several whose role column is blank
/// throughout (its events are in `events`, by [`FILE_INDEX`]).
fn roleless_files(log: &Input, events: &DataFrame) -> Result<Vec<String>> {
    let per_file = events
        .clone()
        .lazy()
        .group_by([col(FILE_INDEX)])
        .agg([col(read::ROLE).is_not_null().sum().alias("roles")])
        .filter(col("roles").eq(lit(0)))
        .select([col(FILE_INDEX).cast(DataType::UInt32)])
        .collect()?;
    let mut files: Vec<u32> = per_file
        .column(FILE_INDEX)?
        .u32()?
        .iter()
        .flatten()
        .collect();
    files.sort_unstable();
    Ok(files
        .into_iter()
        .filter_map(|i| log.files.get(i as usize))
        .map(|f| {
            format!(
                "--events {}: its role column is blank throughout, beside logs with roles: its tickets keep the ticket files' first responses and replies (without ticket files they read as unanswered, unless another log has their replies)",
                f.source.name
            )
        })
        .collect())
}

/// Column of a ticket row's file among the ticket files (each file's times have
/// their own precision: [`facts::precisions`]).
pub const TICKET_FILE: &str = "__ticket_file";

/// The ticket metrics and the event-log ones, from the log and, when given, the
/// ticket files' rows (`tickets`: their parsed, kept rows with their group columns
/// and [`TICKET_FILE`]).
pub fn compute_on(
    log: &Input,
    tickets: Option<(LazyFrame, &TicketParams)>,
    req: &TicketsRequest,
    grouping: &Grouping,
) -> Result<Computed> {
    if tickets.is_some() && req.keep == crate::metrics::tickets::Keep::All {
        return Err(usage_err!(
            "--events with --keep all: an event log needs one row per ticket in the ticket files (--keep last or first)"
        ));
    }
    let Read {
        events: events_df,
        rejected,
        rows_read,
        mut warnings,
        orphans,
    } = read_beside_tickets(log, req, tickets.is_some())?;
    // Its ids as a spreadsheet mangles them (`1.23457E+17`, a workbook's 18 digits).
    warnings.extend(log.mangled_ids());
    // A role column blank throughout names no customer and no agent: the log is read
    // as one without roles (no ticket read as unanswered, which it does not say).
    // (A role not known is rejected, and said so: no role is then blank.)
    let unknown_roles = (rejected.iter()).any(|r| {
        r.rule.reason == reason::UNKNOWN_ROLE || (r.rule.field == "inbound" && !threaded(log))
    });
    // The column the roles are read from: `author_role`, or `inbound` without it.
    let role_field = match log.has("author_role") {
        true => "author_role",
        false => "inbound",
    };
    let blank_roles = has_roles(log)
        && !threaded(log)
        && !unknown_roles
        && events_df.height() > 0
        && events_df
            .column(read::ROLE)
            .is_ok_and(|c| c.null_count() == c.len());
    if blank_roles {
        let column = log.mapping().get(role_field).unwrap_or(role_field);
        warnings.push(format!(
            "the event log's '{column}' column is blank throughout: it says of no event whether a customer or an agent wrote it, so it is read as a log without roles (its first responses and replies are not known); map the column that holds the roles with --map author_role=COLUMN"
        ));
    }
    // Nor roles nor statuses: the log tells nothing of responses, replies, waits or
    // resolutions (a conversation export whose columns have other names).
    if !has_roles(log) && !log.has("status") {
        warnings.push(format!(
            "the event log ({}) has neither an author_role (or inbound) nor a status column: it tells no first response, reply, wait or resolution; map the columns that hold them with --map author_role=COLUMN and --map status=COLUMN",
            crate::text::files_listed(
                &log.files.iter().map(|f| f.source.name.as_str()).collect::<Vec<_>>(),
                " + "
            )
        ));
    }
    let roles = has_roles(log) && !blank_roles;
    // Several logs, one of them without a role written: its tickets keep the ticket
    // files' replies (a ticket whose events name no role does), and alone read as
    // unanswered unless another log has their replies. Said, naming it.
    if roles && !threaded(log) && !unknown_roles && log.files.len() > 1 {
        warnings.extend(roleless_files(log, &events_df)?);
    }

    // The tickets: the ticket files' rows, else the log's.
    let ticket_rows = match &tickets {
        Some((rows, _)) => Some(rows.clone().collect()?),
        None => None,
    };
    let created: Option<Created> = match &ticket_rows {
        Some(df) => {
            // Only the tickets the log names are looked up.
            let named: hashbrown::HashSet<&str> = (events_df.column("ticket_id")?.str()?.iter())
                .flatten()
                .map(str::trim)
                .collect();
            let ids = df.column("ticket_id")?.str()?;
            let created = df.column(CREATED_MS)?.i64()?;
            let files: Vec<usize> = match df.column(TICKET_FILE) {
                Ok(c) => (c.cast(&DataType::Int64)?.i64()?.iter())
                    .map(|f| f.unwrap_or(0).max(0) as usize)
                    .collect(),
                Err(_) => vec![0; df.height()],
            };
            let count = files.iter().max().map_or(0, |m| m + 1);
            let times = files.iter().copied().zip(created.iter());
            let times = times.filter_map(|(f, c)| Some((f, c?)));
            let within = facts::precisions(times, count, req.scope.tz);
            // An id's readable row gives its time; its rejected rows (a repeat with
            // an unreadable time, a ragged row) do not take it away.
            let mut map = Created::new();
            for ((id, c), &f) in ids.iter().zip(created.iter()).zip(&files) {
                let Some(id) = id.map(str::trim).filter(|id| named.contains(id)) else {
                    continue;
                };
                let precision = within.get(f).copied().unwrap_or(1);
                let at = c.map(|c| match precision {
                    // A date: the rest of its day, however long.
                    facts::DAY => (c, facts::day_end(c, req.scope.tz).map_or(1, |end| end - c)),
                    _ => (c, precision),
                });
                let entry = map.entry(id.to_string()).or_insert(at);
                if entry.is_none() {
                    *entry = at;
                }
            }
            Some(map)
        }
        None => None,
    };
    let mut derived = derive_all(&events_df, created.as_ref(), req.schedule.as_ref())?;
    // The log alone: `--where` keeps tickets by what the log says of them.
    let where_events = match tickets.is_none() {
        true => {
            // A missing value's marker given as a value is the blank, as in a file.
            let blanked: Vec<_> = (req.sources.filters.iter())
                .map(|c| c.with_markers_blank(&log.markers))
                .collect();
            derived.keep_where(&blanked)
        }
        false => 0,
    };
    if where_events > 0 && derived.facts.is_empty() {
        let conditions: Vec<String> = (req.sources.filters.iter())
            .map(|c| format!("--where {}", crate::text::condition_shown(&c.text)))
            .collect();
        warnings.push(format!(
            "{}: no ticket of the event log is kept (a misspelt value?)",
            conditions.join(", ")
        ));
    }
    // With --where, the ticket files' rows are those it kept.
    let not_in = match req.sources.filters.is_empty() {
        true => "not in the ticket files",
        false => "not in the ticket files or left out by --where",
    };
    if derived.unknown_events > 0 {
        let said = match derived.unknown_events {
            1 => format!("1 event of a ticket {not_in} was left out"),
            n => format!("{n} events of tickets {not_in} were left out"),
        };
        warnings.push(format!("--events: {said}"));
    }
    // A log that names few of the files' tickets and is mostly of other tickets is
    // probably another system's (a folder holding two exports), whose history would
    // override the few tickets it shares ids with. Not under --where (the events of
    // the tickets it left out are "other tickets"), nor when the log names none of
    // them (the warning above says all its events were left out).
    if let Some(df) = ticket_rows
        .as_ref()
        .filter(|_| req.sources.filters.is_empty())
    {
        let named = derived.ids.len();
        let used = (events_df.height() as u64)
            .saturating_sub(derived.unknown_events + derived.repeated_events);
        if named > 0 && derived.unknown_events > used && named * 2 < distinct_ids(df)? {
            warnings.push(format!(
                "--events: the log holds events of only {named} of the {} tickets in the ticket files, and most of its events ({}) are of other tickets: from the same system? {} times come from the log",
                distinct_ids(df)?,
                derived.unknown_events,
                if named == 1 { "That ticket's".to_string() } else { format!("Those {named} tickets'") }
            ));
        }
    }
    if derived.repeated_events > 0 {
        warnings.push(format!(
            "--events: {} in every column read (the same log given twice, or overlapping exports?); {} left out",
            match derived.repeated_events {
                1 => "1 event repeats an earlier one".to_string(),
                n => format!("{n} events repeat an earlier one"),
            },
            if derived.repeated_events == 1 { "it is" } else { "they are" }
        ));
    }
    // The window holds tickets by creation time.
    let window = &grouping.window;
    let inside = |ms: i64| {
        window.since.is_none_or(|s| ms >= s.timestamp_millis())
            && window.until.is_none_or(|u| ms < u.timestamp_millis())
    };
    if tickets.is_none() {
        // A window holding no tickets has no row to be cut.
        match stale_log(log, &derived, req, inside) {
            Some(said) => warnings.push(said),
            None if req.per_ticket => {}
            None => warnings.extend(crate::compute::cut_buckets_warning(&req.scope)),
        }
    }
    if req.rows.verbose {
        // Where the usable events went. Compared (`report --compare previous`), the
        // tickets of the window before are used too.
        let from = req.rows.used_since.or(window.since);
        let used = |ms: i64| {
            from.is_none_or(|s| ms >= s.timestamp_millis())
                && window.until.is_none_or(|u| ms < u.timestamp_millis())
        };
        let (mut kept, mut outside) = (0u64, 0u64);
        for f in &derived.facts {
            if used(f.created) {
                kept += u64::from(f.events);
            } else {
                outside += u64::from(f.events);
            }
        }
        let names: Vec<&str> = log.files.iter().map(|f| f.source.name.as_str()).collect();
        let mut parts = vec![
            match req.rows.used_since {
                Some(_) => format!("{kept} of tickets in the window or the one compared"),
                None => format!("{kept} of tickets in the window"),
            },
            format!("{outside} of tickets outside it"),
        ];
        if created.is_some() {
            parts.push(format!(
                "{} of tickets the ticket files reject",
                derived.rejected_ticket_events
            ));
            parts.push(format!("{} of tickets {not_in}", derived.unknown_events));
        }
        if orphans > 0 {
            parts.push(format!("{orphans} in no conversation or left out of one"));
        }
        let repeats = derived.repeated_events;
        if repeats > 0 {
            parts.push(format!("{repeats} repeats left out"));
        }
        if where_events > 0 {
            parts.push(format!("{where_events} of tickets --where leaves out"));
        }
        crate::say!(
            "cxm: {}: {} usable events = {}",
            crate::text::files_listed(&names, " + "),
            kept + outside
                + derived.rejected_ticket_events
                + derived.unknown_events
                + orphans
                + repeats
                + where_events,
            parts.join(" + ")
        );
    }
    let early: u64 = derived
        .facts
        .iter()
        .map(|f| u64::from(f.before_creation))
        .sum();
    let negative = derived
        .facts
        .iter()
        .filter(|f| f.early_response || f.early_resolution)
        .count();
    if negative > 0 {
        let who = match negative {
            1 => "1 ticket was answered or solved only before its".to_string(),
            n => format!("{n} tickets were answered or solved only before their"),
        };
        warnings.push(format!(
            "--events: {who} creation time in the ticket files: those are negative durations, not counted (SLA verdicts too)"
        ));
    }
    if early > 0 {
        let (what, it) = match early {
            1 => (
                "1 event comes before its".to_string(),
                "it counts for the status history, and a status it sets",
            ),
            n => (
                format!("{n} events come before their"),
                "they count for the status history, and a status they set",
            ),
        };
        warnings.push(format!(
            "--events: {what} ticket's creation time in the ticket files: {it} counts from the creation time on"
        ));
    }
    let facts = facts_frame(&derived, log, roles)?.lazy();
    // A ticket the log covers takes the log's facts where the log has them (an empty
    // one too: a ticket reopened and not solved again is unresolved); any other keeps
    // the ticket file's, as does a ticket whose events say nothing of its status.
    let covered = || col("__event_created_ms").is_not_null();
    let has_status = || col("__event_has_status").fill_null(lit(false));
    // Roles likewise: a ticket whose events all have a blank or unknown role keeps the
    // file's first response and replies.
    let has_role = || col("__event_has_role").fill_null(lit(false));
    let pick_when = |known: Expr, event: &str, own: &str| {
        when(known).then(col(event)).otherwise(col(own)).alias(own)
    };
    let rows = match ticket_rows {
        Some(df) => {
            let joined = df.lazy().with_column(ticket_key()).join(
                facts.clone(),
                [col(TICKET_KEY)],
                [col("ticket_id")],
                JoinArgs::new(JoinType::Left),
            );
            let statuses = log.has("status");
            // The log's creating event within the file's minute or day is the
            // ticket's creation (a rejected row's unreadable time stays unread).
            let refined = col(CREATED_MS)
                .is_not_null()
                .and(col("__event_created_ms").is_not_null());
            let mut cols = vec![when(refined)
                .then(col("__event_created_ms"))
                .otherwise(col(CREATED_MS))
                .alias(CREATED_MS)];
            if roles {
                cols.push(pick_when(has_role(), "__event_frt_s", FRT_S));
                cols.push(pick_when(has_role(), "__event_replies", REPLIES));
            }
            if statuses {
                cols.push(pick_when(has_status(), "__event_res_s", RES_S));
                cols.push(pick_when(has_status(), "__event_reopened", REOPENED));
            }
            // Which durations now come from timestamps: the log's, and the ticket
            // file's own unless it is a vendor's duration column. A ticket the log
            // has no reply or status of, in a file without the time, has none: not
            // happened, in business time as in calendar time (it is counted open).
            let own = |source: &DurationSource| !matches!(source, DurationSource::Column(..));
            let (own_frt, own_res) = tickets.as_ref().map_or((false, false), |(_, p)| {
                (own(&p.first_response), own(&p.resolution))
            });
            let [frt_stamped, res_stamped] = tickets::STAMPED;
            cols.push(has_role().or(lit(own_frt)).alias(frt_stamped));
            cols.push(has_status().or(lit(own_res)).alias(res_stamped));
            // First contact from whichever replies and reopens the ticket now has:
            // unknown while either is (one settling it alone would make fcr_pct that
            // of the tickets that missed it), but a file without a reopen count
            // (Freshdesk) counts none. The file's own `fcr` flag stands.
            let params = tickets.as_ref().map(|(_, p)| p);
            let flagged = params.is_some_and(|p| p.fcr == tickets::FcrSource::Flag);
            let counted_reopens = params.is_some_and(|p| p.mapped.contains(&"reopens"));
            let reopens_unknown = match counted_reopens {
                true => col(REOPENED).is_null(),
                false => lit(false),
            };
            let first_contact = when(col(REPLIES).is_null().or(reopens_unknown))
                .then(lit(NULL).cast(DataType::Boolean))
                .when(col(REOPENED).eq(lit(true)))
                .then(lit(false))
                .otherwise(
                    col(RES_S)
                        .is_not_null()
                        .and(col(REPLIES).eq(lit(1.0)))
                        .and(col(REOPENED).fill_null(lit(false)).not()),
                );
            let joined = joined.with_columns(cols);
            match flagged {
                true => joined,
                false => joined.with_column(
                    when(covered())
                        .then(first_contact)
                        .otherwise(col(FIRST_CONTACT))
                        .alias(FIRST_CONTACT),
                ),
            }
        }
        None => facts.with_columns([
            col("ticket_id").alias(TICKET_KEY),
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
    // Touches of the resolved tickets whose replies are known.
    let touches = |at_least: f64, exactly: bool| {
        let replies = if exactly {
            col(REPLIES).eq(lit(at_least))
        } else {
            col(REPLIES).gt_eq(lit(at_least))
        };
        when(col(RES_S).is_not_null())
            .then(replies)
            .otherwise(lit(NULL).cast(DataType::Boolean))
    };
    let rows = rows.with_columns([
        touches(2.0, true).alias(TWO_TOUCH),
        touches(3.0, false).alias(MULTI_TOUCH),
    ]);
    // A status column whose every word is unknown (rejected, and said) tells no
    // resolution: the log is read as one without statuses (it counted every ticket
    // open).
    let statuses_read = log.has("status") && derived.facts.iter().any(|f| f.has_status);
    let params = event_params(
        match &tickets {
            Some((_, p)) => (*p).clone(),
            None => TicketParams {
                schedule: req.schedule.clone().map(std::sync::Arc::new),
                sla: policies_read_in(log, req)?,
                ..TicketParams::for_rows(grouping.clone(), req.sla_secs, req.time_unit)
            },
        },
        tickets.is_none(),
        (roles, statuses_read),
    )?;
    warnings.extend(unknown_verdicts(&params, roles));
    // The durations the log gives come from timestamps: business time and SLA
    // verdicts can be worked out from them; rows without a flag column get one.
    let rows = event_flags(rows, &tickets);
    if let Some((_, files)) = &tickets {
        let window = &grouping.window;
        warnings.extend(untimed_under_business(
            &rows,
            files,
            window.since,
            window.until,
        )?);
    }
    let mut ticket_metrics: Vec<Metric> = params
        .metrics()
        .into_iter()
        .chain(events::ticket_metrics(req.time_unit, derived.business))
        .collect();
    // The counts a caller asked for beside the metrics, as the ticket files' pass adds
    // them (`--compare previous` tests `sla_pct` on `sla_tickets`).
    if req.count_reopened {
        ticket_metrics.push(crate::metrics::tickets::reopened_tickets());
    }
    if req.compare_bases {
        let now_ms = req.scope.now.timestamp_millis();
        ticket_metrics.extend(tickets::compare_bases(params.extras(), now_ms));
    }
    if req.per_ticket {
        return Ok(Computed {
            metrics: per_ticket(rows, &params)?,
            rejected,
            rows_read,
            events_read: None,
            warnings,
            summary: None,
            sla_verdict: None,
            first_responses: None,
        });
    }
    let main = metrics_of(rows.clone(), &ticket_metrics, grouping, Some(&params))?;
    let first_responses = match req.wants_first_responses() {
        true => Some(first_responses(rows.clone(), &params)?),
        false => None,
    };
    // Next replies are over replies: one row per answered run, with its ticket's keys.
    let reply_rows = reply_verdicts(replies(&derived, rows)?, &params);
    let mut reply_metrics = events::reply_metrics(req.time_unit, params.schedule.is_some());
    let reply_names: Vec<String> = reply_metrics.iter().map(|m| m.name.clone()).collect();
    if params.sla.is_some() {
        // A log without roles tells no replies: how many met the target is not known.
        let unknown = !roles;
        reply_metrics.extend(crate::metrics::sla::metrics_of(
            &[SlaMetric::NextReply],
            unknown,
        ));
    }
    // A group column named like one of the log's columns (`--by next_reply_mean_hours`)
    // is a usage error, as one named like a ticket metric is, not a failed join.
    let log_columns: Vec<String> = (ticket_metrics.iter().chain(&reply_metrics))
        .map(|m| m.name.clone())
        .collect();
    crate::metrics::check_output_names(&grouping.group_by, grouping.every.is_some(), &log_columns)?;
    let replies = metrics_of(reply_rows, &reply_metrics, grouping, None)?;
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
    // A group without a reply run has none judged: its verdict counts are 0, as a
    // group's with runs and no target, unless replies are not known at all.
    let mut joined = joined;
    if params.sla.is_some() && roles && !keys.is_empty() {
        let counts: Vec<Expr> = ["achieved", "breached", "pending"]
            .iter()
            .map(|v| format!("sla_{}_{v}", SlaMetric::NextReply.name()))
            .filter(|c| joined.column(c).is_ok())
            .map(|c| col(c.as_str()).fill_null(lit(0)))
            .collect();
        joined = joined.lazy().with_columns(counts).collect()?;
    }
    let verdict_names: Vec<String> = (reply_metrics.iter())
        .map(|m| m.name.clone())
        .filter(|n| !reply_names.contains(n))
        .collect();
    let joined = next_replies_first(joined, &keys, &reply_names, &verdict_names)?;
    Ok(Computed {
        metrics: joined,
        rejected,
        rows_read,
        events_read: None,
        warnings,
        summary: None,
        sla_verdict: None,
        first_responses,
    })
}

/// The log's columns in SPEC §9's order: the next-reply figures (`replies`, over
/// replies, worked out apart and joined last) first, before `requester_wait_*`; their
/// SLA verdicts (`verdicts`) beside the other policies' (else last). The group
/// columns (`keys`, and `period`) stay first whatever their names.
fn next_replies_first(
    frame: DataFrame,
    keys: &[String],
    replies: &[String],
    verdicts: &[String],
) -> Result<DataFrame> {
    let names: Vec<String> = (frame.get_column_names().iter())
        .map(|n| n.to_string())
        .collect();
    let metric = |n: &String| !keys.contains(n) && n != "period";
    let Some(at) = (names.iter()).position(|n| metric(n) && n.starts_with("requester_wait_"))
    else {
        return Ok(frame);
    };
    let moved = |n: &&String| !replies.contains(n) && !verdicts.contains(n);
    let before: Vec<&String> = names[..at].iter().filter(moved).collect();
    let verdicts_at = (before.iter()).rposition(|n| metric(n) && n.starts_with("sla_"));
    let in_frame =
        |list: &[String]| -> Vec<&String> { names.iter().filter(|n| list.contains(n)).collect() };
    let mut order: Vec<&String> = Vec::with_capacity(names.len());
    for (i, n) in before.iter().enumerate() {
        order.push(n);
        if Some(i) == verdicts_at {
            order.extend(in_frame(verdicts));
        }
    }
    order.extend(in_frame(replies));
    order.extend(names[at..].iter().filter(moved));
    if verdicts_at.is_none() {
        order.extend(in_frame(verdicts));
    }
    Ok(frame.select(order.iter().map(|n| n.as_str()))?)
}

/// Beside an event log, a business-hours policy judges the tickets the log times; a
/// ticket it gives no time for has only the ticket files' duration (a vendor's
/// column), which such a policy cannot judge: said with how many, in the window (not
/// the one compared), of the tickets whose policy is such a one with a target for
/// them. `params` are the ticket files' own.
fn untimed_under_business(
    rows: &LazyFrame,
    params: &TicketParams,
    since: Option<chrono::DateTime<chrono::Utc>>,
    until: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<Vec<String>> {
    let Some(policies) = &params.sla else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let [frt_stamped, res_stamped] = tickets::STAMPED;
    for (m, source, stamped) in [
        (
            SlaMetric::FirstResponse,
            &params.first_response,
            frt_stamped,
        ),
        (SlaMetric::Resolution, &params.resolution, res_stamped),
    ] {
        let DurationSource::Column(f, _) = source else {
            continue;
        };
        let business =
            (policies.list.iter()).any(|p| p.clock.is_some() && !p.targets(m).is_empty());
        if !business {
            continue;
        }
        let business = policies.business_target_expr(m);
        let mut untimed = col(stamped).fill_null(lit(false)).not().and(business);
        if let Some(s) = since {
            untimed = untimed.and(col(CREATED_MS).gt_eq(lit(s.timestamp_millis())));
        }
        if let Some(u) = until {
            untimed = untimed.and(col(CREATED_MS).lt(lit(u.timestamp_millis())));
        }
        let priority = params.has("priority").then(|| col("priority"));
        let counted = (rows.clone())
            .with_column(policies.rule_expr(priority))
            .filter(untimed)
            .select([len().alias("n")])
            .collect()?;
        let n = counted.column("n")?.u32()?.get(0).unwrap_or(0);
        let (who, they) = match n {
            0 => continue,
            1 => ("1 ticket".to_string(), "it is"),
            n => (format!("{n} tickets"), "they are"),
        };
        out.push(format!(
            "--sla-policy: sla_{}_*: {who} the event log gives no time for (the ticket files give at most {f}, a vendor's duration that may already be in its own hours): a business-hours policy needs timestamps, so under such a policy {they} not counted",
            m.name()
        ));
    }
    Ok(out)
}

/// The policies' metrics the data has no time for at all (a log without roles tells no
/// reply, one without statuses no resolution, unless the ticket files do): their
/// verdict counts are empty, and said so, whether the tickets are counted or listed.
fn unknown_verdicts(params: &TicketParams, roles: bool) -> Vec<String> {
    let Some(policies) = &params.sla else {
        return Vec::new();
    };
    let targets = |m: SlaMetric| policies.list.iter().any(|p| !p.targets(m).is_empty());
    let [frt, res] = params.extras().unknown;
    let mut out: Vec<String> = [
        (SlaMetric::FirstResponse, frt, "roles"),
        (SlaMetric::Resolution, res, "statuses"),
    ]
    .into_iter()
    .filter(|&(m, unknown, _)| unknown && targets(m))
    .map(|(m, _, lacks)| {
        format!(
            "--sla-policy: sla_{}_*: the data has no time for it (an event log without {lacks}), so no ticket is judged",
            m.name()
        )
    })
    .collect();
    if !roles && targets(SlaMetric::NextReply) {
        out.push(format!(
            "--sla-policy: sla_{}_*: the event log has no roles, so no reply is known",
            SlaMetric::NextReply.name()
        ));
    }
    out
}

/// Each ticket's creation time in the ticket files and its precision, by trimmed id.
pub type Created = hashbrown::HashMap<String, Option<(i64, i64)>>;

/// How many tickets the ticket files' rows are: their distinct trimmed ids.
fn distinct_ids(rows: &DataFrame) -> Result<usize> {
    let n = (rows.clone().lazy())
        .select([ticket_key().drop_nulls().n_unique().cast(DataType::UInt64)])
        .collect()?;
    Ok(n.column(TICKET_KEY)?.u64()?.get(0).unwrap_or(0) as usize)
}

/// A ticket's id as the log's facts hold it: trimmed.
const TICKET_KEY: &str = "__ticket_key";

fn ticket_key() -> Expr {
    col("ticket_id")
        .str()
        .strip_chars(lit(NULL))
        .alias(TICKET_KEY)
}

/// [`read`] the log. Beside ticket files that wrote `--rejects`, the log's rejected
/// rows are written apart and the two files merged into it.
fn read_beside_tickets(log: &Input, req: &TicketsRequest, with_tickets: bool) -> Result<Read> {
    let target = match &req.rows.rejects {
        Some(path) if with_tickets => path.clone(),
        _ => return read(log, req, &req.rows),
    };
    let scratch = crate::cleanup::temp_dir(".cxm-rejects-")
        .map_err(|e| crate::error::CxmError::Internal(format!("scratch directory: {e}")))?;
    let part = scratch.path().join("events.csv");
    let rows = crate::request::RowHandling {
        rejects: Some(part.clone()),
        ..req.rows.clone()
    };
    let done = read(log, req, &rows);
    let parts: Vec<std::path::PathBuf> = [target.clone(), part]
        .into_iter()
        .filter(|p| crate::render::is_staged(p) || p.exists())
        .collect();
    crate::rejects::merge(&parts, &target)?;
    done
}

/// The ticket parameters for rows the log fed: where the log gives a duration, it
/// comes from timestamps (so business time and SLA verdicts apply to it).
fn event_params(
    mut p: TicketParams,
    alone: bool,
    (roles, statuses): (bool, bool),
) -> Result<TicketParams> {
    let stamped = |field: &'static str| DurationSource::Since(field, TsFormat::user("%+"));
    // Beside ticket files, some rows' durations may be the files' own (a vendor's
    // duration column): each row says which ([`tickets::STAMPED`]).
    p.stamped_rows = !alone;
    // The rows' resolution is read already (the ticket files' `closed_at` fallback
    // included); the SLA verdicts see the resolution's own flags.
    p.closed = None;
    if roles {
        p.first_response = stamped("first_response_at");
    }
    if statuses {
        p.resolution = stamped("resolved_at");
    }
    if let Some(policies) = &p.sla {
        if let Some(other) = policies
            .where_columns()
            .iter()
            .find(|c| alone && !["team", "agent"].contains(&c.as_str()))
        {
            return Err(usage_err!(
                "--sla-policy: `where` reads '{other}', which an event log alone does not give (team and agent only); give the ticket files"
            ));
        }
    }
    Ok(p)
}

/// `--sla-policy`'s policies for a log read alone: a `where` value or priority key
/// that marks a missing value is the blank it is in the log, as `--where` reads it.
fn policies_read_in(
    log: &Input,
    req: &TicketsRequest,
) -> Result<Option<std::sync::Arc<crate::metrics::sla::Policies>>> {
    let Some(policies) = crate::compute::tickets::policies(req) else {
        return Ok(None);
    };
    let missing = |v: &str| log.is_missing(v);
    let mut list = (policies.list.iter())
        .map(|p| p.with_markers_blank(&missing))
        .collect::<Result<Vec<_>>>()?;
    // `team` and `agent` in any case, as `--where` names them.
    for (name, _) in list.iter_mut().flat_map(|p| p.only.iter_mut()) {
        if let Some(field) = ["team", "agent"]
            .iter()
            .find(|f| f.eq_ignore_ascii_case(name))
        {
            *name = field.to_string();
        }
    }
    Ok(Some(std::sync::Arc::new(crate::metrics::sla::Policies {
        list,
        now_ms: policies.now_ms,
    })))
}

/// The reject flags of timestamp durations that the SLA verdicts read. Where the log
/// gives a ticket's time, the log's say: a time before the ticket's creation (a
/// clock skew between log and ticket file) is a negative duration, not counted, as
/// in a ticket file. Elsewhere the ticket file's own stand (false for rows whose
/// file had none).
fn event_flags(rows: LazyFrame, tickets: &Option<(LazyFrame, &TicketParams)>) -> LazyFrame {
    let own = |field: &str| {
        tickets.as_ref().is_some_and(|(_, p)| {
            [&p.first_response, &p.resolution]
                .iter()
                .any(|s| matches!(s, DurationSource::Since(f, _) if *f == field))
        })
    };
    let from_log = [
        (
            "first_response_at",
            col("__event_has_role").fill_null(lit(false)),
            "__event_frt_early",
        ),
        (
            "resolved_at",
            col("__event_has_status").fill_null(lit(false)),
            "__event_res_early",
        ),
    ];
    let mut flags = Vec::new();
    for (field, known, early) in from_log {
        for why in [reason::BAD_TIMESTAMP, reason::NEGATIVE] {
            let name = RejectRule::new(field, why).flag;
            let logged = match why {
                reason::NEGATIVE => col(early).fill_null(lit(false)),
                _ => lit(false),
            };
            let otherwise = if own(field) {
                col(name.as_str())
            } else {
                lit(false)
            };
            // A ticket file's resolution read from `closed_at` answers for it here.
            let closed = tickets.as_ref().is_some_and(|(_, p)| p.closed.is_some());
            let otherwise = match field == "resolved_at" && closed {
                true => otherwise.or(col(RejectRule::new("closed_at", why).flag)),
                false => otherwise,
            };
            flags.push(
                when(known.clone())
                    .then(logged)
                    .otherwise(otherwise)
                    .alias(name),
            );
        }
    }
    rows.with_columns(flags)
}

/// `--per-ticket` with a log: the ticket columns of [`tickets::per_ticket_values`],
/// then each ticket's event-log facts, in ticket-id order.
fn per_ticket(rows: LazyFrame, p: &TicketParams) -> Result<DataFrame> {
    let (u, scale) = (p.unit.suffix(), p.unit.seconds());
    let windowed = tickets::with_extras(p.grouping.rows(rows, Some(col(CREATED_MS)), None), p);
    let mut out = vec![tickets::trimmed_id()];
    out.extend(tickets::per_ticket_keys(p).iter().map(|k| col(k.as_str())));
    out.extend(
        tickets::per_ticket_values(p)
            .into_iter()
            .map(|(name, e)| e.alias(name)),
    );
    let mut durations = vec![
        ("first_resolution", FIRST_RES_S),
        ("requester_wait", REQUESTER_WAIT_S),
        ("agent_wait", AGENT_WAIT_S),
        ("on_hold", ON_HOLD_S),
        ("next_reply_mean", NEXT_REPLY_MEAN_S),
    ];
    if p.schedule.is_some() {
        durations.extend([
            ("first_resolution_business", FIRST_RES_BUSINESS_S),
            ("requester_wait_business", REQUESTER_WAIT_BUSINESS_S),
            ("agent_wait_business", AGENT_WAIT_BUSINESS_S),
            ("on_hold_business", ON_HOLD_BUSINESS_S),
            ("next_reply_business_mean", NEXT_REPLY_BUSINESS_MEAN_S),
        ]);
    }
    for (name, column) in durations {
        out.push((col(column) / lit(scale)).alias(format!("{name}_{u}")));
    }
    let mut facts = vec![
        ("next_replies", tickets::whole(col("__next_replies"))),
        ("agent_replies", tickets::whole(col(REPLIES))),
        // The log's count where it has the ticket's statuses, else the file's (as
        // the grouped reopen_pct reads them).
        (
            "reopens",
            tickets::whole(
                when(col("__event_has_status").fill_null(lit(false)))
                    .then(col("__event_reopens"))
                    .otherwise(if p.has("reopens") {
                        col("__reopens")
                    } else {
                        lit(NULL).cast(DataType::Float64)
                    }),
            ),
        ),
        ("fcr", tickets::first_contact_flag()),
        ("assignee_stations", col(STATIONS)),
    ];
    // The export's own verdict, which `sla_pct` reads whatever the log says.
    if p.has("sla_met") {
        facts.push(("sla_met", col(tickets::SLA_MET)));
    }
    out.extend(tickets::per_ticket_facts(p, facts));
    Ok(windowed
        .select(out)
        .sort(["ticket_id"], SortMultipleOptions::default())
        .collect()?)
}

/// The first responses of the window's responded tickets, in seconds: the values
/// of the metrics' median.
fn first_responses(rows: LazyFrame, p: &TicketParams) -> Result<Vec<f64>> {
    let windowed = tickets::with_extras(p.grouping.rows(rows, Some(col(CREATED_MS)), None), p);
    let found = (windowed.select([col(FRT_S).cast(DataType::Float64)]))
        .drop_nulls(None)
        .collect()?;
    Ok(found.column(FRT_S)?.f64()?.into_no_null_iter().collect())
}

/// The records over rows, grouped (the window by creation time).
fn metrics_of(
    rows: LazyFrame,
    metrics: &[Metric],
    grouping: &Grouping,
    extras: Option<&TicketParams>,
) -> Result<DataFrame> {
    let inputs = record::inputs_of(metrics);
    let windowed = grouping.rows(rows, Some(col(CREATED_MS)), None);
    let windowed = match extras {
        Some(p) => tickets::with_extras(windowed, p),
        None => windowed,
    };
    let keep: Vec<Expr> = grouping
        .keys()
        .iter()
        .map(|k| col(k.as_str()))
        .chain(inputs.iter().map(|c| col(*c)))
        .collect();
    let partials = record::partials(windowed.select(keep), metrics, grouping).collect()?;
    let merged = record::merge(partials, metrics, grouping)?;
    Ok(record::finish(merged, metrics, grouping)?.collect()?)
}

/// One row per customer run after the first response: when it began, and its wait
/// for the answer (none yet: empty) in calendar and, with a schedule, business time,
/// with its ticket's columns.
fn replies(d: &Derived, tickets: LazyFrame) -> Result<LazyFrame> {
    let (mut ids, mut starts, mut waits, mut open) = (vec![], vec![], vec![], vec![]);
    for (id, f) in d.ids.iter().zip(&d.facts) {
        let business = f.business.as_ref().map(|b| &b.next_replies[..]);
        for (i, (&start, &wait)) in f.run_starts.iter().zip(&f.next_replies).enumerate() {
            ids.push(id.clone());
            starts.push(start);
            waits.push(Some(wait));
            open.push(business.and_then(|b| b.get(i).copied()));
        }
        if let Some(start) = f.open_run {
            ids.push(id.clone());
            starts.push(start);
            waits.push(None);
            open.push(None);
        }
    }
    let mut columns = vec![
        Column::new(TICKET_KEY.into(), ids),
        Column::new(RUN_START_MS.into(), starts),
        Column::new(NEXT_REPLY_S.into(), waits),
    ];
    if d.business {
        columns.push(Column::new(NEXT_REPLY_BUSINESS_S.into(), open));
    }
    let runs = DataFrame::new_infer_height(columns)?;
    Ok(runs.lazy().join(
        tickets,
        [col(TICKET_KEY)],
        [col(TICKET_KEY)],
        JoinArgs::new(JoinType::Inner),
    ))
}

/// The runs' verdicts against the policies' `next_reply` targets (`--sla-policy`),
/// timed from each run's start.
fn reply_verdicts(runs: LazyFrame, p: &TicketParams) -> LazyFrame {
    let Some(policies) = &p.sla else {
        return runs;
    };
    let priority = p.has("priority").then(|| col("priority"));
    runs.with_column(policies.rule_expr(priority)).with_column(
        policies.verdict_expr(
            SlaMetric::NextReply,
            col(RUN_START_MS),
            col(NEXT_REPLY_S),
            lit(false),
            p.schedule
                .as_ref()
                .map(|s| (col(NEXT_REPLY_BUSINESS_S), Arc::clone(s))),
            true,
        ),
    )
}
