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
//! | `responded` | tickets with a valid, non-negative first response (empty when the data has none at all) |
//! | `resolved` | tickets with a valid, non-negative resolution (empty when the data has none at all) |
//! | `open` | `tickets − resolved` (empty when `resolved` is) |
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

use polars::prelude::*;

mod duplicates;
mod extras;
mod params;
mod parse;

pub use duplicates::{
    candidate_rows, duplicate_rule, kept_only, mark_duplicates, Kept, DUPLICATE, STALE_LEFT_OUT,
};
pub(crate) use extras::with_extras;
pub use extras::{
    first_contact_flag, per_ticket, per_ticket_facts, per_ticket_keys, per_ticket_values,
    trimmed_id, whole, STAMPED,
};
pub use params::{
    is_duration_field, sourced, DurationSource, FcrSource, Keep, TicketParams, TimeUnit, FIELDS,
    FIRST_RESPONSE_DURATIONS, RESOLUTION_DURATIONS,
};
pub use parse::{
    boolean, is_value_rule, parse, plausible, reads_as_duration, reject_rules, sla_verdict,
    source_rules, PLAUSIBLE_MS,
};

use super::record::{self, Cond, Metric, Partial, Value};
use super::sla;
use super::{reason, unparsed, word_flag, Grouping, RejectRule};
use crate::accounting::Categories;
use crate::calendar::Window;

use self::TimeUnit as Unit;

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

/// `--verbose`: a row is used when it has an id and a creation time in the window
/// (or from `used_since` on, the window before it compared) and is not a dropped
/// duplicate.
pub fn categories(
    window: &Window,
    used_since: Option<chrono::DateTime<chrono::Utc>>,
) -> Categories {
    let valid = col(CREATED_MS).is_not_null();
    let kept = valid.clone().and(col(DUPLICATE).not());
    let in_window = |w: &Window| crate::calendar::in_window(col(CREATED_MS), w);
    let span = Window {
        since: used_since.or(window.since),
        until: window.until,
    };
    let inside = in_window(&span);
    Categories {
        current: used_since.map(|_| kept.clone().and(in_window(window))),
        used: kept.clone().and(inside.clone()),
        rejected: valid.clone().not(),
        duplicates: Some(valid.and(col(DUPLICATE))),
        empty: None,
        outside: Some(kept.and(inside.not())),
        other: None,
    }
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
    /// The data has no first response, or no resolution, at all: how many tickets
    /// were answered, or resolved (and so are open), is not known, rather than none.
    pub unknown: [bool; 2],
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
        match extras.unknown[0] {
            true => Metric::new("responded", Value::UnknownCount),
            false => Metric::new("responded", Value::Count(responded.clone())),
        },
        match extras.unknown[1] {
            true => Metric::new("resolved", Value::UnknownCount),
            false => Metric::new("resolved", Value::Count(resolved.clone())),
        },
        match extras.unknown[1] {
            true => Metric::new("open", Value::UnknownCount),
            false => Metric::new("open", Value::Difference(Partial::Rows, resolved.clone())),
        },
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
                    part: Partial::Count(Cond::AtMost(
                        FRT_S,
                        sla_secs + crate::calendar::WITHIN_TARGET_SECS,
                    )),
                    whole: responded,
                },
            )
        },
    ]);
    // The policies' columns follow the single target's.
    if extras.policies {
        out.extend(sla::metrics(extras.unknown));
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

/// The tickets `sla_pct` is a share of (those with a known vendor flag, else the
/// responded ones): the base of its test in `--compare previous`.
pub const SLA_TICKETS: &str = "sla_tickets";

/// The count of [`SLA_TICKETS`].
pub fn sla_tickets(extras: Extras) -> Metric {
    let base = match extras.vendor_sla {
        true => Cond::NotNull(SLA_MET),
        false => Cond::NotNull(FRT_S),
    };
    Metric::new(SLA_TICKETS, Value::Count(Partial::Count(base)))
}

/// The tickets created before `--now` (`now_ms`): the count `report --compare
/// previous` tests, a window still running weighed by its time up to now.
pub const TICKETS_BY_NOW: &str = "tickets_by_now";

/// The counts `report --compare previous` tests on, beside the metrics:
/// [`SLA_TICKETS`] and [`TICKETS_BY_NOW`].
pub fn compare_bases(extras: Extras, now_ms: i64) -> [Metric; 2] {
    // Milliseconds are whole: before now is at most a millisecond before.
    let before_now = Cond::AtMost(CREATED_MS, (now_ms - 1) as f64);
    [
        sla_tickets(extras),
        Metric::new(TICKETS_BY_NOW, Value::Count(Partial::Count(before_now))),
    ]
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
            // Rows of an event log's tickets beside the ticket file's own durations:
            // only those have business time, so its count is its own.
            from_timestamps: [&self.first_response, &self.resolution]
                .map(|s| matches!(s, DurationSource::Since(..)) && !self.stamped_rows),
            vendor_sla: self.has("sla_met"),
            unknown: [&self.first_response, &self.resolution].map(|s| *s == DurationSource::Absent),
        }
    }
}

/// The tickets in the window, with their group keys and the values the metrics read.
/// With `--schedule`, the business durations are computed here, for the tickets in
/// the window only.
pub fn window_rows(parsed: LazyFrame, p: &TicketParams, metrics: &[Metric]) -> LazyFrame {
    let inputs = record::inputs_of(metrics);
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
    use chrono_tz::Tz;

    use super::*;
    use crate::calendar::Window;
    use crate::input::timestamp::TsFormat;

    fn params(group_by: &[&str]) -> TicketParams {
        TicketParams {
            created: TsFormat::user("%Y-%m-%d"),
            // The rows below carry both durations.
            first_response: DurationSource::Since("first_response_at", TsFormat::user("%+")),
            resolution: DurationSource::Since("resolved_at", TsFormat::user("%+")),
            closed: None,
            statuses: None,
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
            log_may_resolve: false,
            unread_times: Vec::new(),
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
