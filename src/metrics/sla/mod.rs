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
use crate::calendar::{parse_duration_secs, Schedule};
use crate::error::Result;
use crate::text::{same_in_any_case, same_word};
use crate::usage_err;

mod rows;
pub use rows::RULE;
pub(crate) use rows::{ClassMatch, Event, Judge, RuleMatch};

/// A policy as written in the config file (`[sla_policies.NAME]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaPolicySpec {
    /// A `[schedules.NAME]`; omitted: calendar time.
    pub schedule: Option<String>,
    /// Priority (or `default`) → duration (`"4h"`, or `4`: hours, as `sla` takes it).
    #[serde(default, deserialize_with = "durations")]
    pub first_response: BTreeMap<String, String>,
    #[serde(default, deserialize_with = "durations")]
    pub resolution: BTreeMap<String, String>,
    /// Each answer to the customer after the first response (event logs).
    #[serde(default, deserialize_with = "durations")]
    pub next_reply: BTreeMap<String, String>,
    /// Field or column → the values it must have (any of them).
    #[serde(default, rename = "where")]
    pub only: BTreeMap<String, Values>,
}

fn durations<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> std::result::Result<BTreeMap<String, String>, D::Error> {
    BTreeMap::<String, toml::Value>::deserialize(d)?
        .into_iter()
        .map(|(k, v)| Ok((k, crate::calendar::duration_written(v)?)))
        .collect::<std::result::Result<_, String>>()
        .map_err(serde::de::Error::custom)
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
    #[inline]
    pub fn of(target: f64, elapsed: Option<f64>, elapsed_now: impl FnOnce() -> f64) -> Verdict {
        let target = target + crate::calendar::WITHIN_TARGET_SECS;
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
    /// Each priority key as written (trimmed, in its case), in `by_priority`'s order.
    written: Vec<String>,
}

impl Targets {
    fn parse(key: &str, spec: &BTreeMap<String, String>) -> Result<Targets> {
        let mut targets = Targets::default();
        for (priority, text) in spec {
            let secs =
                parse_duration_secs(text).map_err(|e| usage_err!("{key}.{priority}: {e}"))?;
            let written = priority.trim().to_string();
            let priority = crate::text::folded(&written);
            if priority == "default" && targets.default.is_some() {
                return Err(usage_err!(
                    "{key}: 'default' is given twice (keys match in any case)"
                ));
            } else if priority == "default" {
                targets.default = Some(secs);
            } else if targets.by_priority.iter().any(|(p, _)| *p == priority) {
                return Err(usage_err!(
                    "{key}: priority '{priority}' is given twice (priorities match in any case)"
                ));
            } else {
                targets.by_priority.push((priority, secs));
                targets.written.push(written);
            }
        }
        // Two keys naming the blank priority by the markers every run reads (`""`
        // and `N/A`) are refused here, where the config's line is known; an `--na`
        // marker's, when the files are read.
        let defaults = crate::input::missing::Markers::new(&[]);
        targets.with_markers_blank(key, &|v| defaults.is_missing(v))?;
        Ok(targets)
    }

    /// The target of a ticket of this priority, in seconds of the policy's clock
    /// (`None`: a priority no key names). A blank priority is a `""` key's, as
    /// `where` reads `""` as blank.
    pub fn of(&self, priority: Option<&str>) -> Option<f64> {
        priority
            .and_then(|p| {
                (self.by_priority.iter())
                    .find(|(name, _)| same_word(p.trim(), name))
                    .map(|&(_, secs)| secs)
            })
            .or(self.default)
    }

    /// Is there a `default` target, for every priority no key names?
    pub fn has_default(&self) -> bool {
        self.default.is_some()
    }

    /// The targets with each priority key that marks a missing value (`N/A`, as
    /// `missing` tells) read as the blank it is in the cells: a `""` key. Two keys
    /// naming the blank priority (`""` and `"N/A"`) are one given twice (`key`).
    fn with_markers_blank(&self, key: &str, missing: &dyn Fn(&str) -> bool) -> Result<Targets> {
        let mut out = self.clone();
        let blanks: Vec<&String> = (self.written.iter())
            .filter(|w| w.is_empty() || missing(w))
            .collect();
        if let [first, second, ..] = blanks[..] {
            return Err(usage_err!(
                "{key}: '{first}' and '{second}' both name a blank priority (a missing value): give one"
            ));
        }
        for ((name, _), written) in out.by_priority.iter_mut().zip(&self.written) {
            if missing(written) {
                name.clear();
            }
        }
        Ok(out)
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
    /// Field or column → values it must be one of (trimmed, in their case: a
    /// missing value's marker has one; compared in any case).
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
        let key = |k: &str| format!("sla_policies.{}.{k}", crate::config::key_name(name));
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
                "sla_policies.{}: no targets (give first_response or resolution, e.g. {{ urgent = \"1h\", default = \"8h\" }})",
                crate::config::key_name(name)
            ));
        }
        let mut only: Vec<(String, Vec<String>)> = Vec::new();
        for (field, values) in &spec.only {
            let values: Vec<String> = values.list().iter().map(|v| v.trim().to_string()).collect();
            if values.is_empty() {
                return Err(usage_err!("{}: no values", key(&format!("where.{field}"))));
            }
            // Columns are named in any case: two spellings of one would be an AND of
            // both lists, which is not what either says.
            if let Some((other, _)) = only.iter().find(|(f, _)| same_in_any_case(f, field)) {
                return Err(usage_err!(
                    "{}: '{other}' and '{field}' name one column (columns match in any case): give it once",
                    key("where")
                ));
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

    /// The policy with each `where` value and priority key that marks a missing
    /// value (`N/A`, as `missing` tells) read as the blank it is in the cells, as
    /// `--where` reads it.
    pub fn with_markers_blank(&self, missing: &dyn Fn(&str) -> bool) -> Result<SlaPolicy> {
        let mut out = self.clone();
        for (_, values) in out.only.iter_mut() {
            for value in values.iter_mut().filter(|v| missing(v)) {
                value.clear();
            }
        }
        let key = |k: &str| format!("sla_policies.{}.{k}", crate::config::key_name(&self.name));
        out.first_response =
            (self.first_response).with_markers_blank(&key("first_response"), missing)?;
        out.resolution = (self.resolution).with_markers_blank(&key("resolution"), missing)?;
        out.next_reply = (self.next_reply).with_markers_blank(&key("next_reply"), missing)?;
        Ok(out)
    }
}

/// `--sla-policy`: the policies in the order given, and the clock they are judged at.
#[derive(Debug, Clone)]
pub struct Policies {
    pub list: Vec<SlaPolicy>,
    /// `--now`, UTC milliseconds.
    pub now_ms: i64,
}

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
                        Some(v) => allowed.iter().any(|a| same_in_any_case(v.trim(), a)),
                        // A missing value is the empty string, as for `--where`.
                        None => allowed.iter().any(|a| a.trim().is_empty()),
                    })
            })
            .map(|i| i as u32)
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
/// `unknown`: the data has no first response, or no resolution, at all (see
/// `tickets::Extras::unknown`): how many tickets met that target is not known, rather
/// than none.
pub fn metrics(unknown: [bool; 2]) -> Vec<Metric> {
    (SlaMetric::ALL.iter().zip(unknown))
        .flat_map(|(&m, unknown)| verdicts(m, unknown))
        .collect()
}

/// [`metrics`] for these metrics, known or not.
pub fn metrics_of(which: &[SlaMetric], unknown: bool) -> Vec<Metric> {
    which.iter().flat_map(|&m| verdicts(m, unknown)).collect()
}

/// A target's counts of each verdict, and its share achieved.
fn verdicts(m: SlaMetric, unknown: bool) -> Vec<Metric> {
    let v = m.verdict_column();
    let is = |verdict: Verdict| Partial::Count(Cond::Equals(v, verdict as u8 as f64));
    let mut out: Vec<Metric> = (Verdict::ALL.iter())
        .map(|&verdict| {
            let value = match unknown {
                true => Value::UnknownCount,
                false => Value::Count(is(verdict)),
            };
            Metric::new(format!("sla_{}_{}", m.name(), verdict.word()), value)
        })
        .collect();
    out.push(Metric::new(
        format!("sla_{}_pct", m.name()),
        Value::Share {
            part: is(Verdict::Achieved),
            rest: is(Verdict::Breached),
        },
    ));
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
        // A `""` key is the blank priority's, before default.
        let blank = policy(r#"first_response = { "" = "10m", default = "1h" }"#).unwrap();
        let frt = blank.targets(SlaMetric::FirstResponse);
        assert_eq!(frt.of(Some("  ")), Some(600.0));
        assert_eq!(frt.of(Some("high")), Some(3600.0));
        assert_eq!(frt.of(None), Some(3600.0));
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
        // A bare number is hours, as the top-level `sla` reads it.
        let hours = policy(r#"first_response = { urgent = 4, default = 1.5 }"#).unwrap();
        let targets = hours.targets(SlaMetric::FirstResponse);
        assert_eq!(targets.of(Some("Urgent")), Some(4.0 * 3600.0));
        assert_eq!(targets.of(Some("low")), Some(1.5 * 3600.0));
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
        // `Default` beside `default` would leave one of them unread.
        let err = policy(r#"first_response = { default = "1h", Default = "2h" }"#).unwrap_err();
        assert!(
            err.to_string().contains("'default' is given twice"),
            "{err}"
        );
        // So would a column named twice in `where` (an AND of both lists).
        let twice = r#"where = { channel = ["email"], Channel = ["N/A"] }
            first_response = { default = "1h" }"#;
        let err = policy(twice).unwrap_err();
        assert!(
            err.to_string()
                .contains("sla_policies.p.where: 'Channel' and 'channel' name one column"),
            "{err}"
        );
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
