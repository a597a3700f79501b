//! Each ticket's facts from its sorted events ([`crate::metrics::events::derive`]),
//! as per-ticket columns the records read.

use polars::prelude::*;

use super::read::{AT_MS, PUBLIC, ROLE, STATUS};
use crate::calendar::schedule::{OpenDays, Schedule};
use crate::error::Result;
use crate::input::filter::Condition;
use crate::input::Input;
use crate::input::FILE_INDEX;
use crate::metrics::events::{
    derive, derive_with, BusinessTimes, Event, Facts, Role, Status, AGENT_WAIT_BUSINESS_S,
    AGENT_WAIT_S, FIRST_RES_BUSINESS_S, FIRST_RES_S, MULTI_TOUCH, ON_HOLD_BUSINESS_S, ON_HOLD_S,
    REQUESTER_WAIT_BUSINESS_S, REQUESTER_WAIT_S, STATIONS, TWO_TOUCH,
};
use crate::text::same_word;

/// The derived facts of every ticket of the log, in ticket-id order, and how many
/// events were of tickets `created` does not hold or has no time for (`None`: every
/// ticket counts).
pub struct Derived {
    pub ids: Vec<String>,
    pub facts: Vec<Facts>,
    pub unknown_events: u64,
    /// Events of tickets the ticket files reject (no creation time): not derived.
    pub rejected_ticket_events: u64,
    /// Events identical to an earlier one in every column read (ticket, time,
    /// author, status, message id…): the same log given twice, or overlapping
    /// exports.
    pub repeated_events: u64,
    /// The facts carry business times (a schedule was given).
    pub business: bool,
}

/// Leave out the copies among a ticket's events (in time order; `ids`: each one's
/// message and event id; `files`: the log file each comes from), instant by instant
/// (the same log given twice, overlapping exports). An event with an id is a copy of
/// an earlier one of its instant with the same id and columns, in whatever order the
/// copies come. Without ids, where a file's events of the instant are the same run of
/// events over again in every column read, one run is kept; events alike but no
/// repeated run (ServiceNow's `Active`, `Awaiting User Info`, `Active` in one minute)
/// are each an event. Across files, an event that an earlier file holds at the instant
/// (as many times) is its copy: two exports overlapping within the instant, one cut
/// before its last events. Counted, a copy of the event that opened a ticket would be
/// a reply at 0 minutes, and copies interleaved a reopen. How many were left out.
fn without_copies<'a>(
    batch: &mut Vec<Event<'a>>,
    ids: &mut Vec<(Option<&'a str>, Option<&'a str>)>,
    files: &mut Vec<u32>,
) -> u64 {
    let total = batch.len();
    let mut keep = vec![true; total];
    let (mut in_order, mut run, mut alike) = (Vec::new(), Vec::new(), Vec::new());
    let mut start = 0;
    while start < total {
        let at = batch[start].at;
        let end = start + batch[start..].iter().take_while(|e| e.at == at).count();
        let same = |i: usize, j: usize| batch[i] == batch[j] && ids[i] == ids[j];
        let has_id = |i: usize| ids[i] != (None, None);
        // Of the events with ids, the first of each id and columns is kept: sorted
        // by them, each after the first of its kind is a copy.
        alike.clear();
        alike.extend((start..end).filter(|&i| has_id(i)));
        alike.sort_by(|&i, &j| (&ids[i], &batch[i], i).cmp(&(&ids[j], &batch[j], j)));
        for k in 1..alike.len() {
            if same(alike[k - 1], alike[k]) {
                keep[alike[k]] = false;
            }
        }
        let plain: Vec<usize> = (start..end).filter(|&i| !has_id(i)).collect();
        // The shortest run a file's events of the instant repeat whole: its length.
        let period = |run: &[usize]| {
            let len = run.len();
            (1..len)
                .filter(|p| len.is_multiple_of(*p))
                .find(|&p| (p..len).all(|j| same(run[j], run[j % p])))
                .unwrap_or(len)
        };
        if plain.iter().all(|&i| files[i] == files[plain[0]]) {
            for &i in &plain[period(&plain)..] {
                keep[i] = false;
            }
            start = end;
            continue;
        }
        // Each file's run, its repeats left out.
        in_order.clear();
        for &i in &plain {
            if !in_order.contains(&files[i]) {
                in_order.push(files[i]);
            }
        }
        for &file in &in_order {
            run.clear();
            run.extend(plain.iter().copied().filter(|&i| files[i] == file));
            for &i in &run[period(&run)..] {
                keep[i] = false;
            }
        }
        // Across files, alike events together, each file's in turn: an event's n-th
        // in its file is a copy where an earlier file holds it n times.
        alike.clear();
        alike.extend(plain.iter().copied().filter(|&i| keep[i]));
        alike.sort_by(|&i, &j| (&batch[i], files[i], i).cmp(&(&batch[j], files[j], j)));
        let (mut held, mut n) = (0, 0);
        for (k, &i) in alike.iter().enumerate() {
            let before = k.checked_sub(1).map(|k| alike[k]);
            match before {
                Some(b) if batch[b] == batch[i] && files[b] != files[i] => {
                    held = held.max(n);
                    n = 0;
                }
                Some(b) if batch[b] == batch[i] => {}
                _ => (held, n) = (0, 0),
            }
            n += 1;
            if n <= held {
                keep[i] = false;
            }
        }
        start = end;
    }
    let mut kept = keep.iter();
    batch.retain(|_| kept.next().copied().unwrap_or(true));
    let mut kept = keep.iter();
    ids.retain(|_| kept.next().copied().unwrap_or(true));
    let mut kept = keep.iter();
    files.retain(|_| kept.next().copied().unwrap_or(true));
    (total - batch.len()) as u64
}

impl Derived {
    /// Keep the tickets whose last group, last assignee and id hold every
    /// condition (each naming one of them, [`LogTicket::of`]); how many events the
    /// tickets left out had.
    pub fn keep_where(&mut self, conditions: &[Condition]) -> u64 {
        if conditions.is_empty() {
            return 0;
        }
        let holds = |id: &str, f: &Facts| {
            conditions.iter().all(|c| {
                let value = match LogTicket::of(c) {
                    Some(LogTicket::Group) => f.last_group.as_deref(),
                    Some(LogTicket::Assignee) => f.last_assignee.as_deref(),
                    Some(LogTicket::Id) => Some(id),
                    None => return false,
                };
                c.holds(value)
            })
        };
        let mut left_out = 0;
        let (ids, facts) = (
            std::mem::take(&mut self.ids),
            std::mem::take(&mut self.facts),
        );
        for (id, f) in ids.into_iter().zip(facts) {
            match holds(&id, &f) {
                true => {
                    self.ids.push(id);
                    self.facts.push(f);
                }
                false => left_out += u64::from(f.events),
            }
        }
        left_out
    }
}

/// What a `--where` condition reads of a ticket of an event log alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LogTicket {
    /// `team` (as `--by` names it) or `group`: its last group.
    Group,
    /// `agent` or `assignee`: its last assignee.
    Assignee,
    Id,
}

impl LogTicket {
    pub fn of(condition: &Condition) -> Option<LogTicket> {
        let named = |words: &[&str]| words.iter().any(|w| same_word(&condition.column, w));
        if named(&["team", "group"]) {
            Some(LogTicket::Group)
        } else if named(&["agent", "assignee"]) {
            Some(LogTicket::Assignee)
        } else if named(&["ticket_id"]) {
            Some(LogTicket::Id)
        } else {
            None
        }
    }
}

/// With a `schedule`, each ticket's business times too.
/// `created`: each ticket's creation time in the ticket files, with the precision
/// its file gives times to ([`precisions`]).
pub fn derive_all(
    events: &DataFrame,
    created: Option<&super::Created>,
    schedule: Option<&Schedule>,
) -> Result<Derived> {
    let mut days = OpenDays::default();
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
    // A threaded log's messages are told apart by their ids, other events by theirs.
    let (message, event_id) = (text("message_id")?, text("event_id")?);
    let id_at = |i: usize| {
        (
            message.as_ref().and_then(|c| c.get(i)),
            event_id.as_ref().and_then(|c| c.get(i)),
        )
    };
    let mut ids_of: Vec<(Option<&str>, Option<&str>)> = Vec::new();
    // Which file each event comes from (none: one file).
    let file_of = match events.column(FILE_INDEX) {
        Ok(c) => Some(c.cast(&DataType::UInt32)?.u32()?.clone()),
        Err(_) => None,
    };
    let mut files_of: Vec<u32> = Vec::new();
    let mut out = Derived {
        ids: Vec::new(),
        facts: Vec::new(),
        unknown_events: 0,
        rejected_ticket_events: 0,
        repeated_events: 0,
        business: schedule.is_some(),
    };
    let n = events.height();
    let mut start = 0;
    let mut batch: Vec<Event> = Vec::new();
    while start < n {
        let id = ids.get(start).unwrap_or_default();
        let mut end = start;
        batch.clear();
        ids_of.clear();
        files_of.clear();
        while end < n && ids.get(end) == Some(id) {
            let event = Event {
                at: at.get(end).unwrap_or_default(),
                role: role.get(end).and_then(Role::from_code),
                public: public.get(end).unwrap_or(true),
                status: status.get(end).and_then(Status::from_code),
                assignee: assignee.as_ref().and_then(|c| c.get(end)),
                group: group.as_ref().and_then(|c| c.get(end)),
            };
            batch.push(event);
            ids_of.push(id_at(end));
            files_of.push(file_of.as_ref().and_then(|f| f.get(end)).unwrap_or(0));
            end += 1;
        }
        out.repeated_events += without_copies(&mut batch, &mut ids_of, &mut files_of);
        // The log alone: every ticket, created at its first event. Beside ticket
        // files: theirs, created when they say (none: a rejected row).
        let known = match created {
            None => Some(None),
            Some(map) => map.get(id).copied(),
        };
        match known {
            Some(None) if created.is_some() => out.rejected_ticket_events += batch.len() as u64,
            Some(created) => {
                let (created, within) = (created.map(|c| c.0), created.map_or(1, |c| c.1));
                out.ids.push(id.to_string());
                out.facts.push(match schedule {
                    Some(s) => derive_with(
                        &batch,
                        (created, within),
                        Some(&mut |from, to| s.business_ms(from, to, &mut days)),
                    ),
                    None => derive(&batch, created, within),
                });
            }
            None => out.unknown_events += batch.len() as u64,
        }
        start = end;
    }
    Ok(out)
}

/// How finely each of `files` ticket files gives creation times (UTC ms), from its
/// `(file, time)`s: in milliseconds, a minute where every time is a whole minute
/// (`09:00`, as Zendesk exports them), a second where every one is a whole second,
/// else a millisecond; [`DAY`] where every time starts its day in `tz` (a file of
/// dates). Judged of a file's times together: one `:00` among times to the second is
/// not a time to the minute, and another file's seconds do not make a file of
/// minutes one.
pub fn precisions(
    times: impl Iterator<Item = (usize, i64)>,
    files: usize,
    tz: chrono_tz::Tz,
) -> Vec<i64> {
    let mut within = vec![DAY; files];
    // [`DAY`] is the coarsest, though the least number.
    let finer = |w: i64, precision: i64| match w {
        DAY => precision,
        w => w.min(precision),
    };
    for (file, c) in times {
        let Some(w) = within.get_mut(file) else {
            continue;
        };
        if c % 1000 != 0 {
            *w = 1;
        } else if c % 60_000 != 0 {
            *w = finer(*w, 1000);
        } else if day_end(c, tz).is_none() {
            *w = finer(*w, 60_000);
        }
    }
    within
}

/// A file of dates' precision ([`precisions`]): each time's own day, as long as the
/// day is in `tz` ([`day_end`]).
pub const DAY: i64 = -1;

/// Where `c`'s day ends in `tz` (the next day's first instant), if `c` starts its day
/// (a date: its midnight, or the first instant of a day whose midnight the clocks
/// skipped).
pub fn day_end(c: i64, tz: chrono_tz::Tz) -> Option<i64> {
    let date = chrono::DateTime::from_timestamp_millis(c)?
        .with_timezone(&tz)
        .date_naive();
    let start = crate::calendar::local_midnight(tz, date).timestamp_millis();
    let next = crate::calendar::local_midnight(tz, date.succ_opt()?).timestamp_millis();
    (start == c).then_some(next)
}

/// A ticket's mean next reply (seconds), over its answered runs.
pub const NEXT_REPLY_MEAN_S: &str = "__next_reply_mean_s";
pub const NEXT_REPLY_BUSINESS_MEAN_S: &str = "__next_reply_business_mean_s";

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The facts as per-ticket columns the records read; `roles`: does the log say who
/// wrote its events?
pub fn facts_frame(d: &Derived, log: &Input, roles: bool) -> Result<DataFrame> {
    let statuses = log.has("status");
    let f = &d.facts;
    let opt = |keep: bool, v: Option<f64>| if keep { v } else { None };
    let float = |name: &str, values: Vec<Option<f64>>| Column::new(name.into(), values);
    let flag = |name: &str, values: Vec<Option<bool>>| Column::new(name.into(), values);
    let mut columns = vec![
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
            "__event_frt_early",
            f.iter()
                .map(|x| roles.then_some(x.early_response))
                .collect(),
        ),
        flag(
            "__event_res_early",
            f.iter()
                .map(|x| statuses.then_some(x.early_resolution))
                .collect(),
        ),
        flag(
            "__event_first_contact",
            f.iter()
                // Known where the replies are: a reopen settling it alone would
                // make fcr_pct, of a log without roles, that of the reopened (0 %).
                .map(|x| match (statuses && x.resolved, roles && x.has_role) {
                    (true, true) => Some(x.agent_replies == 1 && x.reopens == 0),
                    _ => None,
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
                .map(|x| (roles && x.has_role).then_some(f64::from(x.agent_replies)))
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
                .map(|x| (roles && x.has_role && x.resolved).then_some(x.agent_replies == 2))
                .collect(),
        ),
        flag(
            MULTI_TOUCH,
            f.iter()
                .map(|x| (roles && x.has_role && x.resolved).then_some(x.agent_replies >= 3))
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
            NEXT_REPLY_MEAN_S,
            f.iter().map(|x| mean(&x.next_replies)).collect(),
        ),
        flag(
            "__event_has_role",
            f.iter().map(|x| Some(roles && x.has_role)).collect(),
        ),
        flag(
            "__event_has_status",
            f.iter().map(|x| Some(statuses && x.has_status)).collect(),
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
    // Business times (`--schedule`), where their calendar ones are known.
    if d.business {
        fn waits(x: &Facts) -> Option<&BusinessTimes> {
            x.business.as_ref().filter(|_| x.has_status)
        }
        let of = |pick: fn(&Facts) -> Option<f64>| f.iter().map(pick).collect::<Vec<_>>();
        columns.extend([
            float(
                REQUESTER_WAIT_BUSINESS_S,
                of(|x| Some(waits(x)?.requester_wait)),
            ),
            float(AGENT_WAIT_BUSINESS_S, of(|x| Some(waits(x)?.agent_wait))),
            float(ON_HOLD_BUSINESS_S, of(|x| Some(waits(x)?.on_hold))),
            float(
                NEXT_REPLY_BUSINESS_MEAN_S,
                f.iter()
                    .map(|x| mean(&x.business.as_ref()?.next_replies))
                    .collect(),
            ),
            float(
                FIRST_RES_BUSINESS_S,
                f.iter()
                    .map(|x| opt(statuses, x.business.as_ref()?.first_resolution))
                    .collect(),
            ),
        ]);
    }
    Ok(DataFrame::new_infer_height(columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2025-03-28 00:00 UTC, in milliseconds.
    const DAY_28: i64 = 1_743_120_000_000;

    /// A file's precision is its finest time's, in whatever order its times come: a
    /// time to the second beside a whole minute is a file to the second (the minute
    /// first or last), whole minutes beside a midnight are minutes, midnights alone
    /// are days, and a millisecond makes a file of milliseconds.
    #[test]
    fn a_file_is_as_fine_as_its_finest_time_in_any_order() {
        let at = |h: i64, m: i64, s: i64| DAY_28 + ((h * 60 + m) * 60 + s) * 1000;
        let utc = chrono_tz::Tz::UTC;
        let of = |times: &[i64]| precisions(times.iter().map(|&c| (0, c)), 1, utc)[0];
        for times in [[at(8, 55, 13), at(9, 0, 0)], [at(9, 0, 0), at(8, 55, 13)]] {
            assert_eq!(of(&times), 1000);
        }
        for times in [[at(0, 0, 0), at(9, 0, 0)], [at(9, 0, 0), at(0, 0, 0)]] {
            assert_eq!(of(&times), 60_000);
        }
        assert_eq!(of(&[at(0, 0, 0), DAY_28 + 86_400_000]), DAY);
        assert_eq!(of(&[at(0, 0, 0), at(9, 0, 0) + 5, at(9, 0, 1)]), 1);
        // Each file on its own: a second in the first leaves the second of minutes.
        let two = precisions([(0, at(9, 0, 13)), (1, at(9, 0, 0))].into_iter(), 2, utc);
        assert_eq!(two, [1000, 60_000]);
    }
}
