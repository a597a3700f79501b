//! What `--schedule`, `--sla-policy` and `--per-ticket` add to the ticket rows:
//! business durations, SLA verdicts, and the per-ticket view.

use std::sync::Arc;

use chrono::DateTime;
use polars::prelude::*;

use super::*;
use crate::calendar::schedule::OpenDays;
use crate::calendar::Schedule;
use crate::cells::{cells, with_gaps};
use crate::metrics::sla::{self, ClassMatch, Event, Judge, RuleMatch, SlaMetric};

/// The business durations (`--schedule`) and the SLA rules and verdicts
/// (`--sla-policy`) of the tickets in the window, worked out in one pass over each
/// block's rows ([`Added::block`]).
pub(crate) fn with_extras(rows: LazyFrame, p: &TicketParams) -> LazyFrame {
    if p.schedule.is_none() && p.sla.is_none() {
        return rows;
    }
    let added = Added::new(p);
    let fields = added.fields();
    let output: Vec<Field> = fields
        .iter()
        .map(|(name, dtype)| Field::new((*name).into(), dtype.clone()))
        .collect();
    let rows = rows.with_column(
        as_struct(added.inputs(p))
            .map(
                move |c| added.block(c),
                move |_, f| {
                    Ok(Field::new(
                        f.name().clone(),
                        DataType::Struct(output.clone()),
                    ))
                },
            )
            .alias(BUSINESS),
    );
    let mut columns: Vec<Expr> = fields
        .iter()
        .map(|&(name, _)| col(BUSINESS).struct_().field_by_name(name))
        .collect();
    if p.sla.is_some() {
        // Over an event log's replies, not tickets (its reply rows judge it).
        columns.push(
            lit(NULL)
                .cast(DataType::UInt8)
                .alias(SlaMetric::NextReply.verdict_column()),
        );
    }
    rows.with_columns(columns)
}

/// Per row, did its first response and its resolution come from timestamps? (Read
/// when [`TicketParams::stamped_rows`].)
pub const STAMPED: [&str; 2] = ["__frt_stamped", "__res_stamped"];

/// How the rows' rules are found.
enum Rules {
    /// From their columns.
    Each(RuleMatch),
    /// From the classes of their columns ([`TicketParams::rule_classes`]).
    Classes(ClassMatch),
    /// Every row has this one (no `where`, no priority read).
    Every(u32),
}

/// What [`with_extras`] adds to a block's rows.
struct Added {
    schedule: Option<Arc<Schedule>>,
    /// With policies: what finds each row's rule (none: every row has this one),
    /// and what judges it.
    sla: Option<(Rules, Judge)>,
    /// Per metric: is it known from a timestamp (only then is there business time),
    /// or known at all?
    timestamps: [bool; 2],
    known: [bool; 2],
    /// The rows carry [`STAMPED`] (the last two inputs).
    stamped_rows: bool,
}

impl Added {
    fn new(p: &TicketParams) -> Added {
        let sources = [&p.first_response, &p.resolution];
        Added {
            schedule: p.schedule.clone(),
            sla: p.sla.as_ref().map(|policies| {
                let rules = match (
                    &p.rule_classes,
                    policies.rule_inputs(priority(p)).is_empty(),
                ) {
                    (_, true) => Rules::Every(policies.rule_of_all()),
                    (Some(classes), false) => Rules::Classes(policies.class_match(classes)),
                    (None, false) => Rules::Each(policies.rule_match()),
                };
                (rules, Judge::new(policies, p.schedule.as_deref()))
            }),
            timestamps: sources.map(|s| matches!(s, DurationSource::Since(..))),
            known: sources.map(|s| !matches!(s, DurationSource::Absent)),
            stamped_rows: p.stamped_rows,
        }
    }

    /// The struct's inputs: created, each metric's calendar seconds and whether its
    /// time was rejected, then the rule's columns.
    fn inputs(&self, p: &TicketParams) -> Vec<Expr> {
        let mut out = vec![col(CREATED_MS)];
        for (source, secs) in [(&p.first_response, FRT_S), (&p.resolution, RES_S)] {
            if *source == DurationSource::Absent {
                out.push(lit(NULL).cast(DataType::Float64));
                out.push(lit(false));
                continue;
            }
            out.push(col(secs));
            out.push(
                super::source_rules(source, p)
                    .into_iter()
                    .map(|rule| col(rule.flag))
                    .reduce(|a, b| a.or(b))
                    .unwrap_or(lit(false)),
            );
        }
        if let Some(policies) = &p.sla {
            let inputs = policies.rule_inputs(priority(p));
            match (&p.rule_classes, inputs.is_empty()) {
                (Some(classes), false) => out.extend(classes.iter().map(|c| col(c.name.as_str()))),
                _ => out.extend(inputs),
            }
        }
        if self.stamped_rows {
            out.extend(STAMPED.map(|c| col(c).fill_null(lit(false))));
        }
        out.into_iter()
            .enumerate()
            .map(|(i, e)| e.alias(format!("i{i}")))
            .collect()
    }

    /// The struct's fields, in the order [`Added::block`] makes them.
    fn fields(&self) -> Vec<(&'static str, DataType)> {
        let mut out = Vec::new();
        if self.schedule.is_some() {
            out.push((FRT_BUSINESS_S, DataType::Float64));
            out.push((RES_BUSINESS_S, DataType::Float64));
        }
        if self.sla.is_some() {
            out.push((sla::RULE, DataType::UInt32));
            for m in SlaMetric::ALL {
                out.push((m.verdict_column(), DataType::UInt8));
            }
        }
        out
    }

    /// A block's business durations, rules and verdicts, a row at a time.
    #[inline(never)]
    fn block(&self, c: Column) -> PolarsResult<Column> {
        let f = c.struct_()?.fields_as_series();
        let n = c.len();
        let created = f[0].i64()?.rechunk();
        let created = cells(&created);
        let secs = [f[1].f64()?.rechunk(), f[3].f64()?.rechunk()];
        let secs = [cells(&secs[0]), cells(&secs[1])];
        let rejected = [f[2].bool()?.rechunk(), f[4].bool()?.rechunk()];
        // Most blocks have no rejected time: then no row needs looking at.
        let any_rejected = [rejected[0].any(), rejected[1].any()];
        let rejected = [0, 1].map(|m| {
            let a = rejected[m].downcast_as_array();
            move |row: usize| a.get(row).unwrap_or(false)
        });
        // Whether a row's duration came from timestamps: per row when the rows say.
        let texts_end = f.len() - if self.stamped_rows { 2 } else { 0 };
        let stamps = match self.stamped_rows {
            true => Some([
                f[texts_end].bool()?.rechunk(),
                f[texts_end + 1].bool()?.rechunk(),
            ]),
            false => None,
        };
        let stamp_arrays = stamps
            .as_ref()
            .map(|s| [s[0].downcast_as_array(), s[1].downcast_as_array()]);
        let stamped = |m: usize, row: usize| {
            self.timestamps[m]
                && stamp_arrays
                    .as_ref()
                    .is_none_or(|a| a[m].get(row).unwrap_or(false))
        };
        let mut columns = Vec::new();

        let mut business = [vec![0.0; n], vec![0.0; n]];
        let mut has_business = [vec![false; n], vec![false; n]];
        if let Some(schedule) = &self.schedule {
            let mut days = OpenDays::default();
            let [frt, res] = &mut business;
            let [has_frt, has_res] = &mut has_business;
            let outs = frt.iter_mut().zip(res.iter_mut());
            let has = has_frt.iter_mut().zip(has_res.iter_mut());
            for (row, ((frt, res), (has_frt, has_res))) in outs.zip(has).enumerate() {
                let Some(start) = created(row) else {
                    continue;
                };
                // Each written out: a closure for both was a call a row.
                let since = |secs: f64| start.saturating_add(crate::calendar::ms_of_secs(secs));
                let frt_end = secs[0](row).filter(|_| stamped(0, row)).map(since);
                let res_end = secs[1](row).filter(|_| stamped(1, row)).map(since);
                let [f, r] = schedule.business_ms_since(start, [frt_end, res_end], &mut days);
                if let Some(ms) = f {
                    (*frt, *has_frt) = (ms as f64 / 1000.0, true);
                }
                if let Some(ms) = r {
                    (*res, *has_res) = (ms as f64 / 1000.0, true);
                }
            }
        }

        if let Some((matching, judge)) = &self.sla {
            let inputs = &f[5..texts_end];
            let (rules, has_rule) = match matching {
                Rules::Each(matching) => {
                    let texts: Vec<StringChunked> = inputs
                        .iter()
                        .map(|s| Ok(s.str()?.rechunk().into_owned()))
                        .collect::<PolarsResult<_>>()?;
                    matching.rules(&texts, n)
                }
                Rules::Classes(matching) => {
                    let classes: Vec<UInt32Chunked> = inputs
                        .iter()
                        .map(|s| Ok(s.u32()?.rechunk().into_owned()))
                        .collect::<PolarsResult<_>>()?;
                    matching.rules(&classes, n)
                }
                Rules::Every(rule) => (vec![*rule; n], vec![true; n]),
            };
            let mut days = judge.days();
            let mut judged_columns = Vec::new();
            // A metric at a time: each loop reads its own columns only.
            for (m, metric) in SlaMetric::ALL.into_iter().enumerate() {
                let plan = judge.plan(metric);
                let (mut verdicts, mut judged) = (vec![0u8; n], vec![false; n]);
                let (secs, rejected) = (&secs[m], &rejected[m]);
                let outs = verdicts.iter_mut().zip(judged.iter_mut());
                let rows = rules.iter().zip(&has_rule);
                let business = business[m].iter().zip(&has_business[m]);
                let each = outs.zip(rows).zip(business).enumerate();
                for (row, (((verdict, judged), (&rule, &has_rule)), (&business, &has))) in each {
                    if !self.known[m] || !has_rule || (any_rejected[m] && rejected(row)) {
                        continue;
                    }
                    let Some(created) = created(row) else {
                        continue;
                    };
                    let event = Event {
                        calendar: secs(row),
                        business: has.then_some(business),
                        timestamps: stamped(m, row),
                    };
                    let planned = plan.get(rule as usize).copied().flatten();
                    let quick = judge.quick_verdict(planned, created, event);
                    let verdict_of =
                        quick.or_else(|| judge.verdict(metric, rule, created, event, &mut days));
                    if let Some(v) = verdict_of {
                        (*verdict, *judged) = (v as u8, true);
                    }
                }
                let name = metric.verdict_column().into();
                judged_columns.push(with_gaps::<UInt8Type>(name, verdicts, &judged).into_series());
            }
            columns.push(with_gaps::<UInt32Type>(sla::RULE.into(), rules, &has_rule).into_series());
            columns.extend(judged_columns);
        }
        if self.schedule.is_some() {
            let [frt, res] = business;
            let frt = with_gaps::<Float64Type>(FRT_BUSINESS_S.into(), frt, &has_business[0]);
            let res = with_gaps::<Float64Type>(RES_BUSINESS_S.into(), res, &has_business[1]);
            columns.splice(0..0, [frt.into_series(), res.into_series()]);
        }
        let out = StructChunked::from_series(c.name().clone(), n, columns.iter())?;
        Ok(out.into_column())
    }
}

/// The tickets' priority, if the data has one.
fn priority(p: &TicketParams) -> Option<Expr> {
    p.has("priority").then(|| col("priority"))
}

/// `--per-ticket` (SPEC §8): one row per ticket in the window, in file order:
/// `ticket_id`, the group columns, `created_at` (RFC 3339, UTC), the durations in
/// `unit` (calendar, then business with `--schedule`), and with `--sla-policy` the
/// policy, each metric's target and verdict.
pub fn per_ticket(parsed: LazyFrame, p: &TicketParams) -> LazyFrame {
    let rows = with_extras(p.grouping.rows(parsed, Some(col(CREATED_MS)), None), p);
    let mut out = vec![trimmed_id()];
    out.extend(per_ticket_keys(p).iter().map(|k| col(k.as_str())));
    out.extend(
        per_ticket_values(p)
            .into_iter()
            .map(|(name, e)| e.alias(name)),
    );
    // What the counts and rates of the groups read, where the file has it, so that
    // each can be reconciled row by row.
    let mut facts = Vec::new();
    if p.has("agent_replies") {
        facts.push(("agent_replies", whole(col(REPLIES))));
    }
    if p.has("reopens") {
        facts.push(("reopens", whole(col("__reopens"))));
    }
    if p.fcr != FcrSource::Absent {
        facts.push(("fcr", first_contact_flag()));
    }
    if p.has("sla_met") {
        facts.push(("sla_met", col(SLA_MET)));
    }
    out.extend(per_ticket_facts(p, facts));
    rows.select(out)
}

/// A count as a whole number (shown `3`, not `3.00`, in tables for people).
pub fn whole(count: Expr) -> Expr {
    count.cast(DataType::Int64)
}

/// Per-ticket columns after the durations, named; one a `--by` column already names
/// (`--by reopens`) is left to it, not written twice.
pub fn per_ticket_facts(p: &TicketParams, facts: Vec<(&str, Expr)>) -> Vec<Expr> {
    let keys = per_ticket_keys(p);
    (facts.into_iter())
        .filter(|(name, _)| !keys.iter().any(|k| k == name))
        .map(|(name, e)| e.alias(name))
        .collect()
}

/// First contact as `fcr_pct` reads it, for a resolved ticket alone (the rate is of
/// resolved tickets): empty for one still open, whatever its counts. Named and
/// written as the `fcr` field (true/false), so a table of these rows reads back with
/// the same figures, and `--fail-if` takes it as a yes/no value.
pub fn first_contact_flag() -> Expr {
    when(col(RES_S).is_null())
        .then(lit(NULL).cast(DataType::Boolean))
        .otherwise(col(FIRST_CONTACT))
        .alias("fcr")
}

/// Each row's ticket id as the tickets are told apart (` T2 ` is `T2`), for a view of
/// one row a ticket to be joined on.
pub fn trimmed_id() -> Expr {
    col("ticket_id")
        .str()
        .strip_chars(lit(NULL))
        .alias("ticket_id")
}

/// The group columns of [`per_ticket`]: the `--by` columns and the bucket, less
/// `ticket_id` and `created_at` (each row has its own).
pub fn per_ticket_keys(p: &TicketParams) -> Vec<String> {
    p.grouping
        .keys()
        .into_iter()
        .filter(|k| k != "ticket_id" && k != "created_at")
        .collect()
}

/// The columns of [`per_ticket`] after its keys, and how each is computed.
pub fn per_ticket_values(p: &TicketParams) -> Vec<(String, Expr)> {
    let (u, scale) = (p.unit.suffix(), p.unit.seconds());
    let mut out = vec![("created_at".to_string(), rfc3339(col(CREATED_MS)))];
    let mut durations = vec![("first_response", FRT_S), ("resolution", RES_S)];
    if p.schedule.is_some() {
        durations.extend([
            ("first_response_business", FRT_BUSINESS_S),
            ("resolution_business", RES_BUSINESS_S),
        ]);
    }
    for (name, secs) in durations {
        out.push((format!("{name}_{u}"), col(secs) / lit(scale)));
    }
    if let Some(policies) = &p.sla {
        out.push(("sla_policy".to_string(), policies.name_expr()));
        for m in SlaMetric::ALL {
            let name = m.name();
            out.push((
                format!("sla_{name}_target_{u}"),
                policies.target_expr(m) / lit(scale),
            ));
            out.push((
                format!("sla_{name}"),
                sla::verdict_words(col(m.verdict_column())),
            ));
        }
    }
    out
}

/// UTC milliseconds as RFC 3339 (`2025-01-06T09:00:00Z`; fractions only when there
/// are some).
fn rfc3339(ms: Expr) -> Expr {
    ms.map(
        |c| {
            let out: StringChunked = c
                .i64()?
                .iter()
                .map(|ms| {
                    ms.and_then(DateTime::from_timestamp_millis)
                        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
                })
                .collect();
            Ok(out.with_name(c.name().clone()).into_column())
        },
        |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
    )
}
