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
use crate::input::classes::{Class, Classify};
use crate::text::{same_in_any_case, same_word};

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

/// Values remembered by their views' hashes, per column and block.
const RECENT: usize = 64;

/// No view: a length no short text has (a null is `u128::MAX`).
const NO_VIEW: u128 = u128::MAX - 1;

/// Where a view is remembered among [`RECENT`].
#[inline]
fn recent_slot(view: u128) -> usize {
    let folded = (view as u64) ^ ((view >> 64) as u64);
    (folded.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % RECENT
}

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

    /// The columns a row's rule is found from ([`Policies::rule_match`]): the
    /// [`Policies::where_columns`], then the `priority` when the targets depend on it
    /// (`None`: the data has none). None at all: every row has the same rule, the
    /// first policy for a priority none of them names.
    pub(crate) fn rule_inputs(&self, priority: Option<Expr>) -> Vec<Expr> {
        let mut columns: Vec<Expr> = self
            .where_columns()
            .iter()
            .map(|c| col(c.as_str()))
            .collect();
        if let Some(priority) = priority.filter(|_| self.by_priority()) {
            columns.push(priority.cast(DataType::String));
        }
        columns
    }

    /// The rule of every row when [`Policies::rule_inputs`] reads no column.
    pub(crate) fn rule_of_all(&self) -> u32 {
        self.priority_names().len() as u32
    }

    /// What finds the rules of rows from their [`Policies::where_columns`], then
    /// their priority when read.
    pub(crate) fn rule_match(self: &Arc<Self>) -> RuleMatch {
        RuleMatch {
            policies: Arc::clone(self),
            at: self.condition_columns(&self.where_columns()),
            wheres: self.where_columns().len(),
            names: self.priority_names(),
        }
    }

    /// [`RULE`] from the [`Policies::where_columns`] of the rows and their
    /// `priority` (`None`: the data has none). The priority names are matched once a
    /// ticket, for every metric.
    pub fn rule_expr(self: &Arc<Self>, priority: Option<Expr>) -> Expr {
        let columns = self.rule_inputs(priority);
        if columns.is_empty() {
            return lit(self.rule_of_all()).alias(RULE);
        }
        let matching = self.rule_match();
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
        let judge = JudgeColumn {
            judge: Judge::new(self, shared.as_deref()),
            metric,
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

    /// Whether each row's policy judges `metric` in business hours (a target for it
    /// on a schedule's clock), from [`RULE`].
    pub fn business_target_expr(&self, metric: SlaMetric) -> Expr {
        let business: Vec<bool> = (self.rules().iter())
            .map(|r| r.target(metric).is_some() && self.list[r.policy].clock.is_some())
            .collect();
        // A rule for every row is a literal, of whatever integer type.
        col(RULE).cast(DataType::UInt32).map(
            move |c| {
                let out: BooleanChunked = (c.u32()?.iter())
                    .map(|r| Some(r.is_some_and(|r| business.get(r as usize) == Some(&true))))
                    .collect();
                Ok(out.with_name(c.name().clone()).into_column())
            },
            |_, f| Ok(Field::new(f.name().clone(), DataType::Boolean)),
        )
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
pub(crate) struct RuleMatch {
    policies: Arc<Policies>,
    /// For each policy's conditions, the index of its column among the inputs.
    at: Vec<Vec<usize>>,
    /// Inputs that are `where` columns (the priority, if read, comes after them).
    wheres: usize,
    /// The priority names (rule classes), lowercased.
    names: Vec<String>,
}

/// A [`RuleMatch`] input's text column.
type Texts = <StringType as PolarsDataType>::Array;

/// A row whose values are not remembered (a long text, or too many values).
const UNCACHED: u16 = u16::MAX;

impl RuleMatch {
    /// The rule of a row from its input values.
    fn rule_of(&self, values: &[Option<&str>]) -> Option<u32> {
        let none = self.names.len();
        let policy = if self.wheres == 0 {
            0
        } else {
            self.policies.applying(&self.at, &values[..self.wheres])? as usize
        };
        // A blank priority (null) is a `""` name's, when a target names it.
        let class = match values.get(self.wheres) {
            Some(p) => {
                let p = p.map_or("", str::trim);
                self.names
                    .iter()
                    .position(|n| same_word(p, n))
                    .unwrap_or(none)
            }
            None => none,
        };
        Some((policy * (none + 1) + class) as u32)
    }

    /// The rules of a block's rows (a struct of the input columns).
    #[inline(never)]
    fn block(&self, c: Column) -> PolarsResult<Column> {
        let fields = c.struct_()?.fields_as_series();
        let cols: Vec<StringChunked> = fields
            .iter()
            .map(|s| Ok(s.str()?.rechunk().into_owned()))
            .collect::<PolarsResult<_>>()?;
        let (out, present) = self.rules(&cols, c.len());
        Ok(with_gaps::<UInt32Type>(c.name().clone(), out, &present).into_column())
    }

    /// The rules of `rows` rows from their input columns (one chunk each): each
    /// rule, and whether there is one. Rules worked out are remembered by the row's
    /// values: a short text's view holds the text itself (equal views, equal texts),
    /// each column's first few such values are numbered, and the rule of each
    /// combination of numbers is kept.
    pub(crate) fn rules(&self, columns: &[StringChunked], rows: usize) -> (Vec<u32>, Vec<bool>) {
        let arrays: Vec<&Texts> = columns.iter().map(|c| c.downcast_as_array()).collect();
        let work_out = |row: usize| {
            let values: Vec<Option<&str>> = arrays.iter().map(|a| a.get(row)).collect();
            self.rule_of(&values)
        };
        // Each row's combination of numbers, a column at a time.
        let mut slots = vec![
            if arrays.len() <= CACHED_COLUMNS {
                0
            } else {
                UNCACHED
            };
            rows
        ];
        for (a, c) in arrays.iter().zip(columns) {
            if arrays.len() > CACHED_COLUMNS {
                break;
            }
            let views = a.views().as_slice();
            let nulls = c.null_count() > 0;
            let mut numbered: Vec<u128> = Vec::with_capacity(NUMBERED);
            // Each value's number, found again by its view's hash: searching the
            // numbered values mispredicted where the search ends at most rows.
            let mut recent = [(NO_VIEW, 0u16); RECENT];
            for (row, slot) in slots.iter_mut().enumerate() {
                if *slot == UNCACHED {
                    continue;
                }
                let view = if nulls && a.get(row).is_none() {
                    u128::MAX
                } else if views[row].length <= SHORT_TEXT {
                    views[row].as_u128()
                } else {
                    *slot = UNCACHED;
                    continue;
                };
                let at = recent_slot(view);
                let number = match recent[at] {
                    (seen, number) if seen == view => number,
                    _ => {
                        let number = match numbered.iter().position(|&v| v == view) {
                            Some(number) => number,
                            None if numbered.len() < NUMBERED => {
                                numbered.push(view);
                                numbered.len() - 1
                            }
                            None => {
                                *slot = UNCACHED;
                                continue;
                            }
                        } as u16;
                        recent[at] = (view, number);
                        number
                    }
                };
                *slot = *slot * NUMBERED as u16 + number;
            }
        }
        let mut known: Vec<Option<Option<u32>>> = vec![None; NUMBERED.pow(arrays.len() as u32)];
        let (mut out, mut present) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
        for (row, &slot) in slots.iter().enumerate() {
            let rule = match known.get_mut(slot as usize).filter(|_| slot != UNCACHED) {
                Some(known) => *known.get_or_insert_with(|| work_out(row)),
                None => work_out(row),
            };
            out.push(rule.unwrap_or(0));
            present.push(rule.is_some());
        }
        (out, present)
    }
}

/// The first columns a table of every combination of rule-input classes is kept for
/// (more: each row's rule is worked out from its classes).
const CLASS_TABLE: usize = 1 << 12;

impl Policies {
    /// [`Policies::rule_inputs`] read as classes of their values
    /// ([`crate::input::classes`]): per `where` column, a bit for each condition on it
    /// the value meets; then, when `priority`, the priority's place among the
    /// priority names (their count: none of them). Each class's column is named
    /// `__rule_input_N`. `None` when a column has more conditions than a class has
    /// bits.
    pub(crate) fn rule_classes(&self, priority: bool) -> Option<Vec<Class>> {
        let columns = self.where_columns();
        let at = self.condition_columns(&columns);
        let mut out = Vec::new();
        for (j, column) in columns.iter().enumerate() {
            // The allowed values of each condition on this column, in policy order.
            let conditions: Vec<Vec<String>> = self
                .list
                .iter()
                .zip(&at)
                .flat_map(|(p, at)| p.only.iter().zip(at))
                .filter(|(_, &i)| i == j)
                .map(|((_, allowed), _)| allowed.clone())
                .collect();
            if conditions.len() > 32 {
                return None;
            }
            let of = move |v: Option<&str>| {
                let meets = |allowed: &Vec<String>| match v {
                    Some(v) => allowed.iter().any(|a| same_in_any_case(v.trim(), a)),
                    // A missing value is the empty string, as for `--where`.
                    None => allowed.iter().any(|a| a.trim().is_empty()),
                };
                let bits = conditions.iter().enumerate();
                bits.fold(0u32, |b, (k, allowed)| b | u32::from(meets(allowed)) << k)
            };
            out.push((column.clone(), Arc::new(of) as Arc<Classify>));
        }
        if priority && self.by_priority() {
            let names = self.priority_names();
            let of = move |v: Option<&str>| {
                let p = v.map_or("", str::trim);
                let place = names.iter().position(|n| same_word(p, n));
                place.unwrap_or(names.len()) as u32
            };
            out.push(("priority".to_string(), Arc::new(of) as Arc<Classify>));
        }
        let classes = out
            .into_iter()
            .enumerate()
            .map(|(i, (read, of))| Class {
                read,
                name: format!("__rule_input_{i}"),
                of,
            })
            .collect();
        Some(classes)
    }

    /// What finds each row's [`RULE`] from the classes of [`Policies::rule_classes`].
    pub(crate) fn class_match(&self, classes: &[Class]) -> ClassMatch {
        let columns = self.where_columns();
        let at = self.condition_columns(&columns);
        // Each condition's column and bit, as `rule_classes` numbers them.
        let mut bits_used = vec![0u32; columns.len()];
        let conditions: Vec<Vec<(usize, u32)>> = at
            .iter()
            .map(|at| {
                at.iter()
                    .map(|&j| {
                        let bit = bits_used[j];
                        bits_used[j] += 1;
                        (j, bit)
                    })
                    .collect()
            })
            .collect();
        let none = self.priority_names().len() as u32;
        let mut matching = ClassMatch {
            conditions,
            priority: (classes.len() > columns.len()).then_some(columns.len()),
            none,
            missing: classes.iter().map(|c| (c.of)(None)).collect(),
            strides: Vec::new(),
            table: Vec::new(),
        };
        // Every combination of classes, when they are few: a row's rule is then one
        // look-up.
        let sizes: Vec<usize> = bits_used
            .iter()
            .map(|&b| 1usize << b)
            .chain(matching.priority.map(|_| none as usize + 1))
            .collect();
        let combinations = sizes.iter().try_fold(1usize, |n, &s| n.checked_mul(s));
        if let Some(combinations) = combinations.filter(|&n| n <= CLASS_TABLE) {
            let mut stride = 1;
            for size in &sizes {
                matching.strides.push(stride);
                stride *= size;
            }
            matching.table = (0..combinations)
                .map(|index| {
                    let classes: Vec<u32> = sizes
                        .iter()
                        .zip(&matching.strides)
                        .map(|(&size, &stride)| ((index / stride) % size) as u32)
                        .collect();
                    matching.rule_of(&classes)
                })
                .collect();
        }
        matching
    }
}

/// Finds each row's [`RULE`] from the classes of its rule inputs
/// ([`Policies::rule_classes`]).
pub(crate) struct ClassMatch {
    /// Per policy, its conditions' columns and bits.
    conditions: Vec<Vec<(usize, u32)>>,
    /// The column of the priority's class, if read.
    priority: Option<usize>,
    /// The priority class of none of the names.
    none: u32,
    /// Per column, the class of a missing value.
    missing: Vec<u32>,
    /// The rule of each combination of classes, at `Σ class × stride` (empty: too
    /// many combinations).
    strides: Vec<usize>,
    table: Vec<Option<u32>>,
}

impl ClassMatch {
    /// The rule of a row whose columns have these classes.
    fn rule_of(&self, classes: &[u32]) -> Option<u32> {
        let meets = |&(j, bit): &(usize, u32)| classes[j] >> bit & 1 == 1;
        let policy = self.conditions.iter().position(|c| c.iter().all(meets))? as u32;
        let class = self
            .priority
            .map_or(self.none, |j| classes[j].min(self.none));
        Some(policy * (self.none + 1) + class)
    }

    /// The rules of `rows` rows from their class columns (one chunk each): each
    /// rule, and whether there is one.
    pub(crate) fn rules(&self, columns: &[UInt32Chunked], rows: usize) -> (Vec<u32>, Vec<bool>) {
        let (mut out, mut present) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
        let mut add = |rule: Option<u32>| {
            out.push(rule.unwrap_or(0));
            present.push(rule.is_some());
        };
        if self.table.is_empty() {
            let each: Vec<_> = columns.iter().map(cells).collect();
            let mut classes = vec![0u32; each.len()];
            for row in 0..rows {
                for (j, c) in classes.iter_mut().enumerate() {
                    *c = each[j](row).unwrap_or(self.missing[j]);
                }
                add(self.rule_of(&classes));
            }
            return (out, present);
        }
        // Each row's place in the table, a column at a time.
        let mut at = vec![0usize; rows];
        for (j, column) in columns.iter().enumerate() {
            let stride = self.strides[j];
            let array = column.downcast_as_array();
            let values = array.values().as_slice();
            let missing = self.missing[j] as usize * stride;
            match array.validity().filter(|v| v.unset_bits() > 0) {
                None => {
                    for (at, &class) in at.iter_mut().zip(values) {
                        *at += class as usize * stride;
                    }
                }
                Some(valid) => {
                    for (row, (at, &class)) in at.iter_mut().zip(values).enumerate() {
                        *at += match valid.get_bit(row) {
                            true => class as usize * stride,
                            false => missing,
                        };
                    }
                }
            }
        }
        let rule = |at: &usize| self.table.get(*at).copied().flatten();
        let out = at.iter().map(|at| rule(at).unwrap_or(0)).collect();
        let present = at.iter().map(|at| rule(at).is_some()).collect();
        (out, present)
    }
}

/// Judges rows against their rule's targets.
pub(crate) struct Judge {
    policies: Arc<Policies>,
    rules: Vec<Rule>,
    /// Per policy: is its clock the schedule the rows' business time was counted in
    /// (no need to count it again)?
    reuse: Vec<bool>,
}

/// An event a row is judged on.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event {
    /// Calendar seconds after creation (`None`: not happened).
    pub calendar: Option<f64>,
    /// Business seconds after creation in the shared schedule, when counted.
    pub business: Option<f64>,
    /// It comes from a timestamp (only then can business time be counted).
    pub timestamps: bool,
}

impl Judge {
    /// `shared`: the schedule the rows' business time is counted in, if any.
    pub(crate) fn new(policies: &Arc<Policies>, shared: Option<&Schedule>) -> Judge {
        Judge {
            policies: Arc::clone(policies),
            rules: policies.rules(),
            reuse: policies
                .list
                .iter()
                .map(|p| match (&p.clock, shared) {
                    (Some(clock), Some(shared)) => **clock == *shared,
                    _ => false,
                })
                .collect(),
        }
    }

    /// A run of open days per policy, for [`Judge::verdict`].
    pub(crate) fn days(&self) -> Vec<OpenDays> {
        self.policies
            .list
            .iter()
            .map(|_| OpenDays::default())
            .collect()
    }

    /// Per rule, how [`Judge::quick_verdict`] judges its rows on `metric`: its target,
    /// in calendar time (`true`) or in the business time already counted (the shared
    /// schedule); `None` for a rule without a target or judged in another schedule.
    pub(crate) fn plan(&self, metric: SlaMetric) -> Vec<Option<(bool, f64)>> {
        let plan = |rule: &Rule| {
            let target = rule.target(metric)?;
            match &self.policies.list[rule.policy].clock {
                None => Some((true, target)),
                Some(_) if self.reuse[rule.policy] => Some((false, target)),
                Some(_) => None,
            }
        };
        self.rules.iter().map(plan).collect()
    }

    /// [`Judge::verdict`] without its look-ups, for a rule `plan`ned ([`Judge::plan`])
    /// and an event that has happened: `None` when the row needs [`Judge::verdict`]
    /// (another schedule, no target, or a ticket still waiting).
    #[inline]
    pub(crate) fn quick_verdict(
        &self,
        plan: Option<(bool, f64)>,
        created: i64,
        event: Event,
    ) -> Option<Verdict> {
        let (calendar, target) = plan?;
        let elapsed = match calendar {
            true => event.calendar,
            false => event
                .calendar
                .and(event.business)
                .filter(|_| event.timestamps),
        };
        match elapsed {
            Some(e) => Some(Verdict::of(target, Some(e), || 0.0)),
            None if calendar => {
                let now = self.policies.now_ms;
                Some(Verdict::of(target, None, || {
                    (now - created) as f64 / 1000.0
                }))
            }
            None => None,
        }
    }

    /// The verdict on a row created at `created` (UTC ms) with rule `rule`, for
    /// `metric` (`None`: not counted).
    #[inline]
    pub(crate) fn verdict(
        &self,
        metric: SlaMetric,
        rule: u32,
        created: i64,
        event: Event,
        days: &mut [OpenDays],
    ) -> Option<Verdict> {
        let rule = self.rules.get(rule as usize)?;
        let target = rule.target(metric)?;
        let now = self.policies.now_ms;
        Some(match &self.policies.list[rule.policy].clock {
            None => Verdict::of(target, event.calendar, || (now - created) as f64 / 1000.0),
            Some(_) if !event.timestamps => return None,
            Some(clock) => {
                let days = &mut days[rule.policy];
                let mut since = |to: i64| clock.business_ms(created, to, days) as f64 / 1000.0;
                let elapsed = match event.calendar {
                    Some(_) if self.reuse[rule.policy] => event.business,
                    Some(secs) => Some(since(
                        created.saturating_add(crate::calendar::ms_of_secs(secs)),
                    )),
                    None => None,
                };
                Verdict::of(target, elapsed, || since(now))
            }
        })
    }
}

/// [`Judge`]s one metric of a block's rows, as a column.
struct JudgeColumn {
    judge: Judge,
    metric: SlaMetric,
    timestamps: bool,
}

impl JudgeColumn {
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
        let mut days = self.judge.days();
        let n = c.len();
        let (mut out, mut counted) = (vec![0u8; n], vec![false; n]);
        for i in 0..n {
            if rejected.get(i).unwrap_or(false) {
                continue;
            }
            let (Some(created), Some(rule)) = (created(i), rule(i)) else {
                continue;
            };
            let event = Event {
                calendar: calendar(i),
                business: business(i),
                timestamps: self.timestamps,
            };
            if let Some(v) = self
                .judge
                .verdict(self.metric, rule, created, event, &mut days)
            {
                out[i] = v as u8;
                counted[i] = true;
            }
        }
        Ok(with_gaps::<UInt8Type>(c.name().clone(), out, &counted).into_column())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{SlaPolicy, SlaPolicySpec};
    use super::*;

    /// Wherever the quick verdict gives one, it is the verdict's: for policies in
    /// calendar time, in the shared schedule and in another one, every priority,
    /// events that happened (within and past their targets) or not, with and without
    /// business time and timestamps.
    #[test]
    fn quick_verdicts_are_the_verdicts() {
        use crate::calendar::schedule::ScheduleSpec;
        let schedule = |hours: &str| {
            let text = format!("tz = \"UTC\"\nmon = [\"{hours}\"]\ntue = [\"{hours}\"]");
            let spec: ScheduleSpec = toml::from_str(&text).expect("a schedule table");
            Schedule::parse("s", &spec)
        };
        let with_clock = |name: &str, hours: &'static str, text: &str| {
            let spec: SlaPolicySpec = toml::from_str(text).expect("a policy table");
            SlaPolicy::parse(name, &spec, move |_| schedule(hours)).unwrap()
        };
        let calendar = with_clock(
            "calendar",
            "09:00-17:00",
            r#"first_response = { urgent = "1h" }"#,
        );
        let shared = with_clock(
            "shared",
            "09:00-17:00",
            r#"schedule = "s"
               first_response = { urgent = "30m", default = "2h" }"#,
        );
        let other = with_clock(
            "other",
            "10:00-12:00",
            r#"schedule = "s"
               first_response = { default = "1h" }"#,
        );
        // Monday 2025-01-06 08:00 UTC, `--now` on Wednesday.
        let created = 1_736_150_400_000;
        let policies = Arc::new(Policies {
            list: vec![calendar, shared, other],
            now_ms: created + 2 * 86_400_000,
        });
        let shared_clock = schedule("09:00-17:00").unwrap();
        let judge = Judge::new(&policies, Some(&shared_clock));
        let mut quick = 0;
        for (rule, _) in judge.rules.iter().enumerate() {
            let plan = judge.plan(SlaMetric::FirstResponse)[rule];
            for calendar_secs in [None, Some(600.0), Some(5_400.0), Some(30_000.0)] {
                for business in [None, Some(0.0), Some(1_700.0), Some(9_000.0)] {
                    for timestamps in [true, false] {
                        let event = Event {
                            calendar: calendar_secs,
                            business,
                            timestamps,
                        };
                        let Some(v) = judge.quick_verdict(plan, created, event) else {
                            continue;
                        };
                        quick += 1;
                        let mut days = judge.days();
                        let full = judge.verdict(
                            SlaMetric::FirstResponse,
                            rule as u32,
                            created,
                            event,
                            &mut days,
                        );
                        assert_eq!(Some(v), full, "rule {rule} {event:?}");
                    }
                }
            }
        }
        assert!(quick > 40, "{quick} quick verdicts");
    }

    /// A row's rule from the classes of its values is the rule from its texts
    /// ([`RuleMatch`]), for `where` values in any case and spacing, missing ones (which
    /// a condition listing "" takes), and priorities named or not; four worked by hand.
    #[test]
    fn classes_give_the_rules_of_the_texts() {
        let policy = |name: &str, text: &str| {
            let spec: SlaPolicySpec = toml::from_str(text).expect("a policy table");
            SlaPolicy::parse(name, &spec, |_| unreachable!("no schedule")).unwrap()
        };
        let policies = Arc::new(Policies {
            list: vec![
                policy(
                    "fast",
                    r#"first_response = { default = "15m" }
                       where = { channel = ["chat", "phone"] }"#,
                ),
                policy(
                    "team",
                    r#"first_response = { urgent = "1h" }
                       where = { channel = "email", team = ["billing", ""] }"#,
                ),
                policy("rest", r#"first_response = { urgent = "2h", low = "1d" }"#),
            ],
            now_ms: 0,
        });
        // Inputs: channel, team, priority; names urgent, low (none: 2); 3 classes a policy.
        let classes = policies.rule_classes(true).expect("few conditions");
        assert_eq!(classes.len(), 3);
        let matching = policies.class_match(&classes);
        let texts = policies.rule_match();
        let class_rule = |values: &[Option<&str>]| {
            let c: Vec<u32> = classes
                .iter()
                .zip(values)
                .map(|(c, v)| (c.of)(*v))
                .collect();
            matching.rule_of(&c)
        };
        let by_hand = [
            ([Some("Chat"), Some("billing"), Some("URGENT")], Some(0)),
            ([Some("email"), None, Some(" low ")], Some(4)),
            ([Some("email"), Some("support"), Some("urgent")], Some(6)),
            ([None, None, None], Some(8)),
        ];
        for (values, rule) in by_hand {
            assert_eq!(class_rule(&values), rule, "{values:?}");
            assert_eq!(texts.rule_of(&values), rule, "{values:?}");
        }
        let channels = [
            Some("chat"),
            Some(" PHONE"),
            Some("email"),
            Some("web"),
            None,
        ];
        let teams = [
            Some("billing"),
            Some("Billing "),
            Some("support"),
            Some(""),
            None,
        ];
        let priorities = [Some("urgent"), Some("Low"), Some("normal"), None];
        let mut rows: Vec<[Option<&str>; 3]> = Vec::new();
        for c in channels {
            for t in teams {
                for p in priorities {
                    rows.push([c, t, p]);
                }
            }
        }
        // The same rules a row at a time and a block at a time (nulls as missing).
        let columns: Vec<UInt32Chunked> = (0..3)
            .map(|j| {
                let each = rows.iter().map(|r| r[j].map(|v| (classes[j].of)(Some(v))));
                UInt32Chunked::from_iter_options("c".into(), each)
            })
            .collect();
        let (block, present) = matching.rules(&columns, rows.len());
        for (i, values) in rows.iter().enumerate() {
            let want = texts.rule_of(values);
            assert_eq!(class_rule(values), want, "{values:?}");
            assert_eq!(present[i].then_some(block[i]), want, "{values:?}");
        }
    }
}
