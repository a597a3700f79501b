//! The policies' columns on a block of ticket rows: each row's rule (its policy and
//! its priority's target), each metric's verdict, and the per-ticket view's policy
//! name and targets. A block is worked on as arrays, a row at a time, by named steps
//! ([`RuleMatch`], [`Judge`]).

use std::sync::Arc;

use polars::prelude::*;

use super::{Policies, SlaMetric, Verdict};
use crate::calendar::schedule::OpenDays;
use crate::calendar::Schedule;
use crate::cells::{cells, with_gaps};
use crate::text::same_word;

/// Parsed-frame column of each row's rule: the policy that applies and its
/// priority's place among the policies' priority names, as one number (null: no
/// policy applies); see [`Policies::rules`]. Priorities are matched once a ticket.
pub const RULE: &str = "__sla_rule";

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

/// The longest text a string view holds in itself (polars' inline views).
const SHORT_TEXT: u32 = 12;

/// Values numbered per column and block, and columns at most, for remembering the
/// rules of their combinations (16³ of them at most).
const NUMBERED: usize = 16;
const CACHED_COLUMNS: usize = 3;

impl Policies {
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
        let mut columns: Vec<Expr> = self
            .where_columns()
            .iter()
            .map(|c| col(c.as_str()))
            .collect();
        let wheres = columns.len();
        match priority {
            Some(priority) if self.by_priority() => columns.push(priority.cast(DataType::String)),
            _ if wheres == 0 => return lit(names.len() as u32).alias(RULE),
            _ => {}
        }
        let matching = RuleMatch {
            policies: Arc::clone(self),
            at: self.condition_columns(&self.where_columns()),
            wheres,
            names,
        };
        let inputs: Vec<Expr> = columns
            .into_iter()
            .enumerate()
            .map(|(i, c)| c.alias(format!("c{i}")))
            .collect();
        as_struct(inputs)
            .map(
                move |c| matching.block(c),
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
        let (business, shared) = match business {
            Some((e, s)) => (e, Some(s)),
            None => (lit(NULL).cast(DataType::Float64), None),
        };
        let judge = Judge {
            policies: Arc::clone(self),
            rules: self.rules(),
            metric,
            reuse: self
                .list
                .iter()
                .map(|p| match (&p.clock, &shared) {
                    (Some(clock), Some(shared)) => **clock == **shared,
                    _ => false,
                })
                .collect(),
            timestamps,
        };
        let inputs = vec![
            created.alias("a"),
            calendar.alias("b"),
            rejected.alias("c"),
            col(RULE).cast(DataType::UInt32).alias("d"),
            business.alias("e"),
        ];
        as_struct(inputs)
            .map(
                move |c| judge.block(c),
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

/// Finds each row's [`RULE`] from its `where` values and priority.
struct RuleMatch {
    policies: Arc<Policies>,
    /// For each policy's conditions, the index of its column among the inputs.
    at: Vec<Vec<usize>>,
    /// Inputs that are `where` columns (the priority, if read, comes after them).
    wheres: usize,
    /// The priority names (rule classes), lowercased.
    names: Vec<String>,
}

impl RuleMatch {
    /// The rule of a row from its input values.
    fn rule_of(&self, values: &[Option<&str>]) -> Option<u32> {
        let none = self.names.len();
        let policy = if self.wheres == 0 {
            0
        } else {
            self.policies.applying(&self.at, &values[..self.wheres])? as usize
        };
        let class = match values.get(self.wheres) {
            Some(Some(p)) => {
                let p = p.trim();
                self.names
                    .iter()
                    .position(|n| same_word(p, n))
                    .unwrap_or(none)
            }
            _ => none,
        };
        Some((policy * (none + 1) + class) as u32)
    }

    /// The rules of a block's rows (a struct of the input columns). Rules worked out
    /// are remembered by the row's values: a short text's view holds the text itself
    /// (equal views, equal texts), each column's first few such values are numbered,
    /// and the rule of each combination of numbers is kept.
    #[inline(never)]
    fn block(&self, c: Column) -> PolarsResult<Column> {
        let fields = c.struct_()?.fields_as_series();
        let cols: Vec<StringChunked> = fields
            .iter()
            .map(|s| Ok(s.str()?.rechunk().into_owned()))
            .collect::<PolarsResult<_>>()?;
        let arrays: Vec<_> = cols.iter().map(|c| c.downcast_as_array()).collect();
        let views: Vec<_> = arrays.iter().map(|a| a.views().as_slice()).collect();
        let has_nulls: Vec<bool> = cols.iter().map(|c| c.null_count() > 0).collect();
        let work_out = |row: usize| {
            let values: Vec<Option<&str>> = arrays.iter().map(|a| a.get(row)).collect();
            self.rule_of(&values)
        };
        let cached = arrays.len() <= CACHED_COLUMNS;
        let mut numbered: Vec<Vec<u128>> = vec![Vec::new(); arrays.len()];
        let mut known: Vec<Option<Option<u32>>> = if cached {
            vec![None; NUMBERED.pow(arrays.len() as u32)]
        } else {
            Vec::new()
        };
        let n = c.len();
        let (mut out, mut present) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for row in 0..n {
            let mut slot = Some(0);
            let columns = arrays.iter().zip(&views).zip(&has_nulls);
            for (((a, views), &nulls), numbers) in columns.zip(numbered.iter_mut()) {
                let Some(at) = slot.filter(|_| cached) else {
                    break;
                };
                let view = if nulls && a.get(row).is_none() {
                    u128::MAX
                } else if views[row].length <= SHORT_TEXT {
                    views[row].as_u128()
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
    }
}

/// Judges each row against its rule's target for one metric.
struct Judge {
    policies: Arc<Policies>,
    rules: Vec<Rule>,
    metric: SlaMetric,
    /// Per policy: is its clock the schedule the `business` input was counted in?
    reuse: Vec<bool>,
    /// The event comes from a timestamp (only then can business time be counted).
    timestamps: bool,
}

impl Judge {
    /// The verdicts of a block's rows (a struct of created, calendar, rejected, rule
    /// and business).
    #[inline(never)]
    fn block(&self, c: Column) -> PolarsResult<Column> {
        let f = c.struct_()?.fields_as_series();
        let (created, calendar) = (f[0].i64()?.rechunk(), f[1].f64()?.rechunk());
        let (rejected, rule) = (f[2].bool()?.rechunk(), f[3].u32()?.rechunk());
        let business = f[4].f64()?.rechunk();
        let (created, calendar) = (cells(&created), cells(&calendar));
        let (rule, business) = (cells(&rule), cells(&business));
        let rejected = rejected.downcast_as_array();
        let list = &self.policies.list;
        let mut days: Vec<OpenDays> = list.iter().map(|_| OpenDays::default()).collect();
        let n = c.len();
        let (mut out, mut counted) = (vec![0u8; n], vec![false; n]);
        for i in 0..n {
            if rejected.get(i).unwrap_or(false) {
                continue;
            }
            let (Some(created), Some(rule)) = (created(i), rule(i)) else {
                continue;
            };
            let Some(rule) = self.rules.get(rule as usize) else {
                continue;
            };
            let Some(target) = rule.target(self.metric) else {
                continue;
            };
            let event = calendar(i);
            let verdict = match &list[rule.policy].clock {
                None => Verdict::of(target, event, || {
                    (self.policies.now_ms - created) as f64 / 1000.0
                }),
                Some(_) if !self.timestamps => continue,
                Some(clock) => {
                    let days = &mut days[rule.policy];
                    let mut since = |to: i64| clock.business_ms(created, to, days) as f64 / 1000.0;
                    let elapsed = match event {
                        Some(_) if self.reuse[rule.policy] => business(i),
                        Some(secs) => Some(since(
                            created.saturating_add((secs * 1000.0).round() as i64),
                        )),
                        None => None,
                    };
                    Verdict::of(target, elapsed, || since(self.policies.now_ms))
                }
            };
            out[i] = verdict as u8;
            counted[i] = true;
        }
        Ok(with_gaps::<UInt8Type>(c.name().clone(), out, &counted).into_column())
    }
}
