//! SLA policies (SPEC §8): targets per priority for first response and resolution,
//! counted in a schedule's business time or in calendar time, applying to the tickets
//! their `where` matches.
//!
//! Each ticket gets, per metric, the first listed policy that applies to it, that
//! policy's target for its priority (case-insensitive, else `default`; none: the ticket
//! is not counted), and a verdict:
//!
//! | verdict | when |
//! |---|---|
//! | achieved | the event happened within the target (exactly at it counts) |
//! | breached | it happened later, or has not happened and the target had passed at `--now` |
//! | pending | it has not happened and the target had not passed at `--now` |
//!
//! A ticket whose time for the metric was rejected (unparseable, negative) gets no
//! verdict, like every other metric that uses the value. A business-time policy needs
//! timestamps: a vendor's duration column may already be in its own business hours.

use std::collections::BTreeMap;
use std::sync::Arc;

use polars::prelude::*;
use serde::Deserialize;

use super::record::{Cond, Metric, Partial, Value};
use crate::calendar::schedule::OpenDays;
use crate::calendar::{parse_duration_secs, Schedule};
use crate::error::Result;
use crate::text::same_word;
use crate::usage_err;

/// A policy as written in the config file (`[sla_policies.NAME]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicySpec {
    /// A `[schedules.NAME]`; omitted: calendar time.
    pub schedule: Option<String>,
    /// Priority (or `default`) → duration.
    #[serde(default)]
    pub first_response: BTreeMap<String, String>,
    #[serde(default)]
    pub resolution: BTreeMap<String, String>,
    /// Each answer to the customer after the first response (event logs).
    #[serde(default)]
    pub next_reply: BTreeMap<String, String>,
    /// Field or column → the values it must have (any of them).
    #[serde(default, rename = "where")]
    pub only: BTreeMap<String, Values>,
}

/// One value or a list; a number or a boolean is matched as the text it is written as.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Values {
    // A list first: a single `toml::Value` would take a list too.
    Many(Vec<toml::Value>),
    One(toml::Value),
}

impl Values {
    fn list(&self) -> Vec<String> {
        let text = |v: &toml::Value| match v {
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Float(f) => f.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            toml::Value::Datetime(d) => d.to_string(),
            other => format!("{other:?}"),
        };
        match self {
            Values::One(v) => vec![text(v)],
            Values::Many(v) => v.iter().map(text).collect(),
        }
    }
}

/// The two measured events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaMetric {
    FirstResponse,
    Resolution,
    /// Over an event log's answered and waiting customer runs, not tickets.
    NextReply,
}

impl SlaMetric {
    /// The metrics over tickets.
    pub const ALL: [SlaMetric; 2] = [SlaMetric::FirstResponse, SlaMetric::Resolution];

    pub fn name(self) -> &'static str {
        match self {
            SlaMetric::FirstResponse => "first_response",
            SlaMetric::Resolution => "resolution",
            SlaMetric::NextReply => "next_reply",
        }
    }

    /// The verdict column of the parsed rows.
    pub fn verdict_column(self) -> &'static str {
        match self {
            SlaMetric::FirstResponse => "__sla_first_response",
            SlaMetric::Resolution => "__sla_resolution",
            SlaMetric::NextReply => "__sla_next_reply",
        }
    }

    /// Its place in [`Rule::targets`].
    fn index(self) -> usize {
        match self {
            SlaMetric::FirstResponse => 0,
            SlaMetric::Resolution => 1,
            SlaMetric::NextReply => 2,
        }
    }

    /// The target column (seconds) of the parsed rows.
    pub fn target_column(self) -> &'static str {
        match self {
            SlaMetric::FirstResponse => "__sla_first_response_target_s",
            SlaMetric::Resolution => "__sla_resolution_target_s",
            SlaMetric::NextReply => "__sla_next_reply_target_s",
        }
    }
}

/// A ticket's standing against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Achieved = 0,
    Breached = 1,
    Pending = 2,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Achieved, Verdict::Breached, Verdict::Pending];

    pub fn word(self) -> &'static str {
        match self {
            Verdict::Achieved => "achieved",
            Verdict::Breached => "breached",
            Verdict::Pending => "pending",
        }
    }

    /// The verdict of an event `elapsed` after creation (`None`: not yet), with
    /// `elapsed_now` the time since creation at `--now`; both in the policy's clock.
    pub fn of(target: f64, elapsed: Option<f64>, elapsed_now: impl FnOnce() -> f64) -> Verdict {
        match elapsed {
            Some(e) if e <= target => Verdict::Achieved,
            Some(_) => Verdict::Breached,
            None if elapsed_now() > target => Verdict::Breached,
            None => Verdict::Pending,
        }
    }
}

/// Targets of one metric: per lowercased priority, and the default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Targets {
    by_priority: Vec<(String, f64)>,
    default: Option<f64>,
}

impl Targets {
    fn parse(key: &str, spec: &BTreeMap<String, String>) -> Result<Targets> {
        let mut targets = Targets::default();
        for (priority, text) in spec {
            let secs =
                parse_duration_secs(text).map_err(|e| usage_err!("{key}.{priority}: {e}"))?;
            let priority = priority.trim().to_lowercase();
            if priority == "default" {
                targets.default = Some(secs);
            } else if targets.by_priority.iter().any(|(p, _)| *p == priority) {
                return Err(usage_err!(
                    "{key}: priority '{priority}' is given twice (priorities match in any case)"
                ));
            } else {
                targets.by_priority.push((priority, secs));
            }
        }
        Ok(targets)
    }

    /// The target of a ticket of this priority, in seconds of the policy's clock.
    pub fn of(&self, priority: Option<&str>) -> Option<f64> {
        priority
            .and_then(|p| {
                let p = p.trim();
                self.by_priority
                    .iter()
                    .find(|(name, _)| same_word(p, name))
                    .map(|&(_, secs)| secs)
            })
            .or(self.default)
    }

    /// Does any target depend on the priority?
    fn by_priority(&self) -> bool {
        !self.by_priority.is_empty()
    }

    /// No target at all?
    pub fn is_empty(&self) -> bool {
        self.by_priority.is_empty() && self.default.is_none()
    }
}

/// A checked policy.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaPolicy {
    pub name: String,
    /// Business hours; `None`: calendar time.
    pub clock: Option<Arc<Schedule>>,
    pub first_response: Targets,
    pub resolution: Targets,
    pub next_reply: Targets,
    /// Field or column → lowercased values it must be one of.
    pub only: Vec<(String, Vec<String>)>,
}

impl SlaPolicy {
    /// Check a written policy; `schedule` finds a `[schedules.NAME]`. Errors name
    /// `sla_policies.NAME` and the key.
    pub fn parse(
        name: &str,
        spec: &SlaPolicySpec,
        schedule: impl Fn(&str) -> Result<Schedule>,
    ) -> Result<SlaPolicy> {
        let key = |k: &str| format!("sla_policies.{name}.{k}");
        let clock = match &spec.schedule {
            Some(s) => Some(Arc::new(
                schedule(s).map_err(|e| usage_err!("{}: {e}", key("schedule")))?,
            )),
            None => None,
        };
        let first_response = Targets::parse(&key("first_response"), &spec.first_response)?;
        let resolution = Targets::parse(&key("resolution"), &spec.resolution)?;
        let next_reply = Targets::parse(&key("next_reply"), &spec.next_reply)?;
        if first_response.is_empty() && resolution.is_empty() && next_reply.is_empty() {
            return Err(usage_err!(
                "sla_policies.{name}: no targets (give first_response or resolution, e.g. {{ urgent = \"1h\", default = \"8h\" }})"
            ));
        }
        let mut only = Vec::new();
        for (field, values) in &spec.only {
            let values: Vec<String> = values
                .list()
                .iter()
                .map(|v| v.trim().to_lowercase())
                .collect();
            if values.is_empty() {
                return Err(usage_err!("{}: no values", key(&format!("where.{field}"))));
            }
            only.push((field.clone(), values));
        }
        Ok(SlaPolicy {
            name: name.to_string(),
            clock,
            first_response,
            resolution,
            next_reply,
            only,
        })
    }

    pub fn targets(&self, metric: SlaMetric) -> &Targets {
        match metric {
            SlaMetric::FirstResponse => &self.first_response,
            SlaMetric::Resolution => &self.resolution,
            SlaMetric::NextReply => &self.next_reply,
        }
    }
}

/// `--sla-policy`: the policies in the order given, and the clock they are judged at.
#[derive(Debug, Clone)]
pub struct Policies {
    pub list: Vec<SlaPolicy>,
    /// `--now`, UTC milliseconds.
    pub now_ms: i64,
}

/// Parsed-frame column of each row's rule: the policy that applies and its
/// priority's place among the policies' priority names, as one number (null: no
/// policy applies); see [`Policies::rules`]. Priorities are matched once a ticket.
pub const RULE: &str = "__sla_rule";

impl Policies {
    /// The fields and columns the policies' `where` reads, each once.
    pub fn where_columns(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (field, _) in self.list.iter().flat_map(|p| &p.only) {
            if !out.contains(field) {
                out.push(field.clone());
            }
        }
        out
    }

    /// Does any target depend on the priority?
    pub fn by_priority(&self) -> bool {
        self.list.iter().any(|p| {
            p.first_response.by_priority()
                || p.resolution.by_priority()
                || p.next_reply.by_priority()
        })
    }

    /// For each policy's conditions in order, the index of its column in `columns`
    /// (the [`Policies::where_columns`]).
    fn condition_columns(&self, columns: &[String]) -> Vec<Vec<usize>> {
        self.list
            .iter()
            .map(|p| {
                p.only
                    .iter()
                    .map(|(field, _)| columns.iter().position(|c| c == field).unwrap_or(0))
                    .collect()
            })
            .collect()
    }

    /// The index of the first policy whose `where` holds for a ticket, given its
    /// values of [`Policies::where_columns`]; `at[p]` holds, for policy p's
    /// conditions in order, the index of each one's column.
    fn applying(&self, at: &[Vec<usize>], values: &[Option<&str>]) -> Option<u32> {
        self.list
            .iter()
            .zip(at)
            .position(|(p, at)| {
                p.only
                    .iter()
                    .zip(at)
                    .all(|((_, allowed), &i)| match values[i] {
                        Some(v) => allowed.iter().any(|a| same_word(v.trim(), a)),
                        None => false,
                    })
            })
            .map(|i| i as u32)
    }

    /// The priority names the policies' targets give (lowercased), each once.
    fn priority_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in &self.list {
            for m in [
                SlaMetric::FirstResponse,
                SlaMetric::Resolution,
                SlaMetric::NextReply,
            ] {
                for (name, _) in &p.targets(m).by_priority {
                    if !out.contains(name) {
                        out.push(name.clone());
                    }
                }
            }
        }
        out
    }

    /// Every [`RULE`]: rule `policy × (names + 1) + class` is policy `policy` for a
    /// ticket whose priority is `names[class]` (class `names`: none of them), with
    /// that policy's target for the priority, per metric.
    fn rules(&self) -> Vec<Rule> {
        let names = self.priority_names();
        let classes = names.iter().map(|n| Some(n.as_str())).chain([None]);
        let mut out = Vec::new();
        for (policy, p) in self.list.iter().enumerate() {
            for priority in classes.clone() {
                out.push(Rule {
                    policy,
                    targets: [
                        SlaMetric::FirstResponse,
                        SlaMetric::Resolution,
                        SlaMetric::NextReply,
                    ]
                    .map(|m| p.targets(m).of(priority)),
                });
            }
        }
        out
    }

    /// [`RULE`] from the [`Policies::where_columns`] of the rows and their
    /// `priority` (`None`: the data has none). The priority names are matched once a
    /// ticket, for every metric.
    pub fn rule_expr(self: &Arc<Self>, priority: Option<Expr>) -> Expr {
        let names = self.priority_names();
        let none = names.len();
        let mut columns: Vec<Expr> = self
            .where_columns()
            .iter()
            .map(|c| col(c.as_str()))
            .collect();
        let wheres = columns.len();
        match priority {
            Some(priority) if self.by_priority() => columns.push(priority.cast(DataType::String)),
            _ if wheres == 0 => return lit(none as u32).alias(RULE),
            _ => {}
        }
        let me = Arc::clone(self);
        let at = self.condition_columns(&self.where_columns());
        let inputs: Vec<Expr> = columns
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.alias(format!("c{i}")))
            .collect();
        as_struct(inputs)
            .map(
                move |c| {
                    let fields = c.struct_()?.fields_as_series();
                    let cols: Vec<StringChunked> = fields
                        .iter()
                        .map(|s| Ok(s.str()?.rechunk().into_owned()))
                        .collect::<PolarsResult<_>>()?;
                    let arrays: Vec<_> = cols.iter().map(|c| c.downcast_as_array()).collect();
                    let has_nulls: Vec<bool> = cols.iter().map(|c| c.null_count() > 0).collect();
                    let work_out = |row: usize| {
                        let values: Vec<Option<&str>> = arrays.iter().map(|a| a.get(row)).collect();
                        let policy = if wheres == 0 {
                            0
                        } else {
                            me.applying(&at, &values[..wheres])? as usize
                        };
                        let class = match values.get(wheres) {
                            Some(Some(p)) => {
                                let p = p.trim();
                                names.iter().position(|n| same_word(p, n)).unwrap_or(none)
                            }
                            _ => none,
                        };
                        Some((policy * (none + 1) + class) as u32)
                    };
                    // Rules worked out in this block, by the row's values: a short
                    // text's view holds the text itself (equal views, equal texts),
                    // each column's first few such values are numbered, and the rule
                    // of each combination of numbers is kept.
                    let cached = arrays.len() <= CACHED_COLUMNS;
                    let mut numbered: Vec<Vec<u128>> = vec![Vec::new(); arrays.len()];
                    let mut known: Vec<Option<Option<u32>>> = if cached {
                        vec![None; NUMBERED.pow(arrays.len() as u32)]
                    } else {
                        Vec::new()
                    };
                    let (n, mut out, mut present) = (c.len(), Vec::new(), Vec::new());
                    out.reserve(n);
                    present.reserve(n);
                    for row in 0..n {
                        let mut slot = Some(0);
                        for ((a, &nulls), numbers) in
                            arrays.iter().zip(&has_nulls).zip(numbered.iter_mut())
                        {
                            let Some(at) = slot.filter(|_| cached) else {
                                break;
                            };
                            let view = if nulls && a.get(row).is_none() {
                                u128::MAX
                            } else if a.views()[row].length <= SHORT_TEXT {
                                a.views()[row].as_u128()
                            } else {
                                slot = None;
                                break;
                            };
                            let number = match numbers.iter().position(|&v| v == view) {
                                Some(number) => Some(number),
                                None if numbers.len() < NUMBERED => {
                                    numbers.push(view);
                                    Some(numbers.len() - 1)
                                }
                                None => None,
                            };
                            slot = number.map(|number| at * NUMBERED + number);
                        }
                        let rule = match slot.filter(|_| cached) {
                            Some(slot) => *known[slot].get_or_insert_with(|| work_out(row)),
                            None => work_out(row),
                        };
                        out.push(rule.unwrap_or(0));
                        present.push(rule.is_some());
                    }
                    Ok(with_gaps::<UInt32Type>(c.name().clone(), out, &present).into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::UInt32)),
            )
            .alias(RULE)
    }

    /// Each row's target for `metric` in seconds of its policy's clock (null: not
    /// counted), from [`RULE`].
    pub fn target_expr(&self, metric: SlaMetric) -> Expr {
        let rules = self.rules();
        col(RULE)
            .map(
                move |c| {
                    let out: Float64Chunked = c
                        .u32()?
                        .iter()
                        .map(|r| rules.get(r? as usize)?.target(metric))
                        .collect();
                    Ok(out.with_name(c.name().clone()).into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::Float64)),
            )
            .alias(metric.target_column())
    }

    /// Each row's verdict (0 achieved, 1 breached, 2 pending, null: not counted),
    /// from [`RULE`].
    ///
    /// `created` is the creation instant (ms), `calendar` the event's calendar seconds
    /// after it (null: not happened), `rejected` whether the event's time was rejected.
    /// `business`, when given, holds the event's business seconds in `schedule` (no
    /// need to count them again for a policy on the same hours). `timestamps`: the
    /// event comes from a timestamp (only then can business time be counted).
    pub fn verdict_expr(
        self: &Arc<Self>,
        metric: SlaMetric,
        created: Expr,
        calendar: Expr,
        rejected: Expr,
        business: Option<(Expr, Arc<Schedule>)>,
        timestamps: bool,
    ) -> Expr {
        let me = Arc::clone(self);
        let rules = self.rules();
        let (business, shared) = match business {
            Some((e, s)) => (e, Some(s)),
            None => (lit(NULL).cast(DataType::Float64), None),
        };
        // Per policy: is its clock the `business` column's?
        let reuse: Vec<bool> = me
            .list
            .iter()
            .map(|p| match (&p.clock, &shared) {
                (Some(clock), Some(shared)) => **clock == **shared,
                _ => false,
            })
            .collect();
        let inputs = vec![
            created.alias("a"),
            calendar.alias("b"),
            rejected.alias("c"),
            col(RULE).cast(DataType::UInt32).alias("d"),
            business.alias("e"),
        ];
        as_struct(inputs)
            .map(
                move |c| {
                    let f = c.struct_()?.fields_as_series();
                    let created = f[0].i64()?.rechunk();
                    let calendar = f[1].f64()?.rechunk();
                    let rejected = f[2].bool()?.rechunk();
                    let rule = f[3].u32()?.rechunk();
                    let business = f[4].f64()?.rechunk();
                    let (created, calendar) =
                        (created.downcast_as_array(), calendar.downcast_as_array());
                    let (rejected, rule) = (rejected.downcast_as_array(), rule.downcast_as_array());
                    let business = business.downcast_as_array();
                    let mut days: Vec<OpenDays> =
                        me.list.iter().map(|_| OpenDays::default()).collect();
                    let n = c.len();
                    let (mut out, mut counted) = (vec![0u8; n], vec![false; n]);
                    for i in 0..n {
                        if rejected.get(i).unwrap_or(false) {
                            continue;
                        }
                        let (Some(created), Some(rule)) = (created.get(i), rule.get(i)) else {
                            continue;
                        };
                        let Some(rule) = rules.get(rule as usize) else {
                            continue;
                        };
                        let Some(target) = rule.target(metric) else {
                            continue;
                        };
                        let event = calendar.get(i);
                        let verdict = match &me.list[rule.policy].clock {
                            None => {
                                Verdict::of(target, event, || (me.now_ms - created) as f64 / 1000.0)
                            }
                            Some(_) if !timestamps => continue,
                            Some(clock) => {
                                let days = &mut days[rule.policy];
                                let mut since =
                                    |to: i64| clock.business_ms(created, to, days) as f64 / 1000.0;
                                let elapsed = match event {
                                    Some(_) if reuse[rule.policy] => business.get(i),
                                    Some(secs) => Some(since(
                                        created.saturating_add((secs * 1000.0).round() as i64),
                                    )),
                                    None => None,
                                };
                                Verdict::of(target, elapsed, || since(me.now_ms))
                            }
                        };
                        out[i] = verdict as u8;
                        counted[i] = true;
                    }
                    Ok(with_gaps::<UInt8Type>(c.name().clone(), out, &counted).into_column())
                },
                |_, f| Ok(Field::new(f.name().clone(), DataType::UInt8)),
            )
            .alias(metric.verdict_column())
    }

    /// The name of each row's policy (null: none applies), from [`RULE`].
    pub fn name_expr(&self) -> Expr {
        let names: Vec<String> = self.list.iter().map(|p| p.name.clone()).collect();
        let rules = self.rules();
        col(RULE).map(
            move |c| {
                let out: StringChunked = c
                    .u32()?
                    .iter()
                    .map(|r| {
                        let rule = rules.get(r? as usize)?;
                        names.get(rule.policy).map(String::as_str)
                    })
                    .collect();
                Ok(out.with_name(c.name().clone()).into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::String)),
        )
    }
}

/// The longest text a string view holds in itself (polars' inline views).
const SHORT_TEXT: u32 = 12;

/// Values numbered per column and block, and columns at most, for remembering the
/// rules of their combinations (16³ of them at most).
const NUMBERED: usize = 16;
const CACHED_COLUMNS: usize = 3;

/// A column of `values`, null where `present` is false (built without a per-row
/// option).
pub(crate) fn with_gaps<T: PolarsNumericType>(
    name: PlSmallStr,
    values: Vec<T::Native>,
    present: &[bool],
) -> ChunkedArray<T> {
    if present.iter().all(|&p| p) {
        return ChunkedArray::from_vec(name, values);
    }
    let present = BooleanChunked::from_slice(PlSmallStr::EMPTY, present);
    let validity = present.downcast_as_array().values().clone();
    ChunkedArray::from_vec_validity(name, values, Some(validity))
}

/// What a [`RULE`] stands for.
#[derive(Debug, Clone, Copy)]
struct Rule {
    /// Index into [`Policies::list`].
    policy: usize,
    /// Per metric in [`SlaMetric::index`] order: the target, seconds (none: not counted).
    targets: [Option<f64>; 3],
}

impl Rule {
    fn target(&self, metric: SlaMetric) -> Option<f64> {
        self.targets[metric.index()]
    }
}

/// A verdict column as words (null: not counted).
pub fn verdict_words(verdict: Expr) -> Expr {
    let is = |v: Verdict| verdict.clone().eq(lit(v as u8));
    when(is(Verdict::Achieved))
        .then(lit(Verdict::Achieved.word()))
        .when(is(Verdict::Breached))
        .then(lit(Verdict::Breached.word()))
        .when(is(Verdict::Pending))
        .then(lit(Verdict::Pending.word()))
        .otherwise(lit(NULL).cast(DataType::String))
}

/// The SLA columns of SPEC §8 for each metric: achieved, breached, pending counts and
/// `pct` = 100 × achieved ÷ (achieved + breached).
pub fn metrics() -> Vec<Metric> {
    metrics_of(&SlaMetric::ALL)
}

/// [`metrics`] for these metrics.
pub fn metrics_of(which: &[SlaMetric]) -> Vec<Metric> {
    let mut out = Vec::new();
    for &m in which {
        let v = m.verdict_column();
        let is = |verdict: Verdict| Partial::Count(Cond::Equals(v, verdict as u8 as f64));
        for verdict in Verdict::ALL {
            out.push(Metric::new(
                format!("sla_{}_{}", m.name(), verdict.word()),
                Value::Count(is(verdict)),
            ));
        }
        out.push(Metric::new(
            format!("sla_{}_pct", m.name()),
            Value::Share {
                part: is(Verdict::Achieved),
                rest: is(Verdict::Breached),
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(text: &str) -> Result<SlaPolicy> {
        let spec: SlaPolicySpec = toml::from_str(text).expect("a policy table");
        SlaPolicy::parse("p", &spec, |name| Err(usage_err!("no schedule {name}")))
    }

    #[test]
    fn targets_by_priority_in_any_case_else_default() {
        let p = policy(
            r#"first_response = { Urgent = "1h", normal = "30m", default = "2d" }
               resolution = { low = "90s" }"#,
        )
        .unwrap();
        let frt = p.targets(SlaMetric::FirstResponse);
        assert_eq!(frt.of(Some("urgent")), Some(3600.0));
        assert_eq!(frt.of(Some(" URGENT ")), Some(3600.0));
        assert_eq!(frt.of(Some("Normal")), Some(1800.0));
        assert_eq!(frt.of(Some("high")), Some(172_800.0));
        assert_eq!(frt.of(None), Some(172_800.0));
        let res = p.targets(SlaMetric::Resolution);
        assert_eq!(res.of(Some("LOW")), Some(90.0));
        assert_eq!(res.of(Some("urgent")), None);
        assert_eq!(res.of(None), None);
    }

    #[test]
    fn verdicts_at_the_edges() {
        let now = || 100.0;
        assert_eq!(Verdict::of(60.0, Some(60.0), now), Verdict::Achieved);
        assert_eq!(Verdict::of(60.0, Some(60.001), now), Verdict::Breached);
        assert_eq!(Verdict::of(60.0, None, now), Verdict::Breached);
        assert_eq!(Verdict::of(100.0, None, now), Verdict::Pending);
        assert_eq!(Verdict::of(101.0, None, now), Verdict::Pending);
    }

    #[test]
    fn a_policy_without_targets_or_with_a_bad_one_is_an_error() {
        let err = policy(r#"where = { channel = ["chat"] }"#).unwrap_err();
        assert!(err.to_string().contains("no targets"), "{err}");
        let err = policy(r#"first_response = { urgent = "soon" }"#).unwrap_err();
        assert!(
            err.to_string()
                .contains("sla_policies.p.first_response.urgent"),
            "{err}"
        );
        let err = policy(
            r#"schedule = "office"
            first_response = { urgent = "1h" }"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("sla_policies.p.schedule"), "{err}");
    }

    /// Rules are remembered per block by the rows' values; texts too long to be
    /// remembered, nulls, values in any case and more distinct values than are
    /// numbered must all come out as if each row were matched on its own.
    #[test]
    fn each_rows_policy_and_target_whatever_its_values() {
        let fast = SlaPolicy {
            name: "fast".into(),
            ..policy(
                r#"first_response = { default = "15m" }
                       where = { channel = ["chat", "phone"] }"#,
            )
            .unwrap()
        };
        let standard = SlaPolicy {
            name: "standard".into(),
            ..policy(r#"first_response = { urgent = "1h", normal = "4h", default = "1d" }"#)
                .unwrap()
        };
        let policies = Arc::new(Policies {
            list: vec![fast, standard],
            now_ms: 0,
        });
        // (channel, priority, policy, first-response target in seconds), by hand.
        let mut rows: Vec<(Option<String>, Option<&str>, &str, f64)> = vec![
            (Some("Chat".into()), Some("urgent"), "fast", 900.0),
            (Some("email".into()), Some("URGENT "), "standard", 3600.0),
            (None, Some("normal"), "standard", 14400.0),
            (
                Some("a channel longer than twelve".into()),
                Some("low"),
                "standard",
                86400.0,
            ),
            (Some("phone".into()), None, "fast", 900.0),
        ];
        for i in 0..40 {
            rows.push((Some(format!("c{i}")), Some("Normal"), "standard", 14400.0));
        }
        rows.push((Some("CHAT".into()), Some("normal"), "fast", 900.0));
        rows.push((
            Some("email".into()),
            Some("a priority longer than twelve"),
            "standard",
            86400.0,
        ));
        let frame = df!(
            "channel" => rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            "priority" => rows.iter().map(|r| r.1).collect::<Vec<_>>(),
        )
        .unwrap();
        let out = frame
            .lazy()
            .with_column(policies.rule_expr(Some(col("priority"))))
            .select([
                policies.name_expr().alias("policy"),
                policies
                    .target_expr(SlaMetric::FirstResponse)
                    .alias("target"),
            ])
            .collect()
            .unwrap();
        let names: Vec<Option<&str>> = out
            .column("policy")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        let targets: Vec<Option<f64>> = out
            .column("target")
            .unwrap()
            .f64()
            .unwrap()
            .iter()
            .collect();
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(
                (names[i], targets[i]),
                (Some(row.2), Some(row.3)),
                "row {i}: {row:?}"
            );
        }
    }

    #[test]
    fn the_first_policy_whose_where_holds_applies() {
        let chat = SlaPolicy {
            name: "chat".into(),
            ..policy(
                r#"first_response = { default = "1h" }
                   where = { channel = ["Chat", "phone"], team = "a" }"#,
            )
            .unwrap()
        };
        let all = policy(r#"first_response = { default = "8h" }"#).unwrap();
        let policies = Policies {
            list: vec![chat, all],
            now_ms: 0,
        };
        let names = policies.where_columns();
        assert_eq!(names, ["channel", "team"]);
        let columns = policies.condition_columns(&names);
        assert_eq!(
            policies.applying(&columns, &[Some("CHAT"), Some("a")]),
            Some(0)
        );
        assert_eq!(
            policies.applying(&columns, &[Some("phone"), Some("b")]),
            Some(1)
        );
        assert_eq!(policies.applying(&columns, &[None, Some("a")]), Some(1));
        let only_chat = Policies {
            list: policies.list[..1].to_vec(),
            now_ms: 0,
        };
        let columns = only_chat.condition_columns(&names);
        assert_eq!(
            only_chat.applying(&columns, &[Some("email"), Some("a")]),
            None
        );
    }
}
