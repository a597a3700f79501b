//! What `--schedule`, `--sla-policy` and `--per-ticket` add to the ticket rows:
//! business durations, SLA verdicts, and the per-ticket view.

use std::sync::Arc;

use chrono::DateTime;
use polars::prelude::*;

use super::*;
use crate::calendar::schedule::OpenDays;
use crate::calendar::Schedule;
use crate::cells::{cells, with_gaps};
use crate::metrics::reason;
use crate::metrics::sla::{self, SlaMetric};
use crate::metrics::RejectRule;

/// The business seconds of each ticket's `[created, created + calendar seconds]`
/// for its first response and its resolution, as a struct of two fields (the start
/// is looked up once for both). Only timestamps give business time: a vendor's
/// duration column may already be in its own business hours, so with one the field
/// is empty.
pub(super) fn business(p: &TicketParams, schedule: &Arc<Schedule>) -> Expr {
    let secs = |source: &DurationSource, calendar: &str| match source {
        DurationSource::Since(..) => col(calendar),
        _ => lit(NULL).cast(DataType::Float64),
    };
    let schedule = Arc::clone(schedule);
    let inputs = vec![
        col(CREATED_MS),
        secs(&p.first_response, FRT_S).alias("f"),
        secs(&p.resolution, RES_S).alias("r"),
    ];
    as_struct(inputs).map(
        move |c| {
            let fields = c.struct_()?.fields_as_series();
            let (created, frt, res) = (
                fields[0].i64()?.rechunk(),
                fields[1].f64()?.rechunk(),
                fields[2].f64()?.rechunk(),
            );
            let (created, frt, res) = (cells(&created), cells(&frt), cells(&res));
            let mut days = OpenDays::default();
            let n = c.len();
            let (mut frt_out, mut res_out) = (vec![0.0; n], vec![0.0; n]);
            let (mut frt_has, mut res_has) = (vec![false; n], vec![false; n]);
            let end = |start: i64, secs: Option<f64>| {
                secs.map(|s| start.saturating_add((s * 1000.0).round() as i64))
            };
            for row in 0..n {
                let Some(start) = created(row) else {
                    continue;
                };
                let ends = [end(start, frt(row)), end(start, res(row))];
                let [f, r] = schedule.business_ms_since(start, ends, &mut days);
                if let Some(ms) = f {
                    (frt_out[row], frt_has[row]) = (ms as f64 / 1000.0, true);
                }
                if let Some(ms) = r {
                    (res_out[row], res_has[row]) = (ms as f64 / 1000.0, true);
                }
            }
            let frt = with_gaps::<Float64Type>(FRT_BUSINESS_S.into(), frt_out, &frt_has);
            let res = with_gaps::<Float64Type>(RES_BUSINESS_S.into(), res_out, &res_has);
            let both = StructChunked::from_series(
                c.name().clone(),
                c.len(),
                [frt.into_series(), res.into_series()].iter(),
            )?;
            Ok(both.into_column())
        },
        |_, f| {
            Ok(Field::new(
                f.name().clone(),
                DataType::Struct(vec![
                    Field::new(FRT_BUSINESS_S.into(), DataType::Float64),
                    Field::new(RES_BUSINESS_S.into(), DataType::Float64),
                ]),
            ))
        },
    )
}

/// The business durations (`--schedule`) and the SLA verdicts (`--sla-policy`) of
/// the tickets in the window.
pub(crate) fn with_extras(rows: LazyFrame, p: &TicketParams) -> LazyFrame {
    let rows = match &p.schedule {
        Some(schedule) => rows
            .with_columns([business(p, schedule).alias(BUSINESS)])
            .with_columns([
                col(BUSINESS).struct_().field_by_name(FRT_BUSINESS_S),
                col(BUSINESS).struct_().field_by_name(RES_BUSINESS_S),
            ]),
        None => rows,
    };
    let Some(policies) = &p.sla else {
        return rows;
    };
    let rows = rows.with_column(policies.rule_expr(priority(p)));
    rows.with_columns(SlaMetric::ALL.map(|m| {
        let (source, calendar, business) = match m {
            SlaMetric::FirstResponse => (&p.first_response, FRT_S, FRT_BUSINESS_S),
            SlaMetric::Resolution => (&p.resolution, RES_S, RES_BUSINESS_S),
            // Over an event log's replies, not tickets (its reply rows judge it).
            SlaMetric::NextReply => {
                return lit(NULL).cast(DataType::UInt8).alias(m.verdict_column())
            }
        };
        let rejected = match source {
            DurationSource::Absent => {
                return lit(NULL).cast(DataType::UInt8).alias(m.verdict_column())
            }
            DurationSource::Since(f, _) => {
                [reason::BAD_TIMESTAMP, reason::NEGATIVE].map(|r| (*f, r))
            }
            DurationSource::Column(f, _) => [reason::BAD_NUMBER, reason::NEGATIVE].map(|r| (*f, r)),
        }
        .into_iter()
        .map(|(f, r)| col(RejectRule::new(f, r).flag))
        .reduce(|a, b| a.or(b))
        .unwrap_or(lit(false));
        policies.verdict_expr(
            m,
            col(CREATED_MS),
            col(calendar),
            rejected,
            p.schedule.as_ref().map(|s| (col(business), Arc::clone(s))),
            matches!(source, DurationSource::Since(..)),
        )
    }))
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
    let mut out = vec![col("ticket_id")];
    out.extend(per_ticket_keys(p).iter().map(|k| col(k.as_str())));
    out.extend(
        per_ticket_values(p)
            .into_iter()
            .map(|(name, e)| e.alias(name)),
    );
    rows.select(out)
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
