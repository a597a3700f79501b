//! `--fail-if EXPR`: alert rules for cron wrappers. A rule such as `csat_pct<85` is
//! breached by any reported row whose `csat_pct` is a number below 85; a row where the
//! metric has no data does not breach it. A breach exits 4 after the report is written.

use std::fmt;

use crate::error::{CxmError, Result};
use crate::metrics::retention::{COHORT, COHORT_COLUMNS};
use crate::metrics::PERIOD;
use crate::report::{Cell, Row, Table};
use crate::usage_err;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// One parsed `--fail-if` rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub metric: String,
    op: Op,
    pub limit: f64,
    text: String,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Rule {
    /// Parse `METRIC OP NUMBER` (spaces allowed).
    pub fn parse(expr: &str) -> Result<Rule> {
        let bad = || {
            usage_err!(
                "--fail-if '{expr}': expected METRIC OP NUMBER, e.g. 'csat_pct<85' (OP: < <= > >= == !=)"
            )
        };
        let ops = [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<", Op::Lt),
            (">", Op::Gt),
        ];
        let (at, len, op) = ops
            .iter()
            .filter_map(|(s, op)| expr.find(s).map(|i| (i, s.len(), *op)))
            .min_by_key(|(i, len, _)| (*i, usize::MAX - len))
            .ok_or_else(bad)?;
        let metric = expr[..at].trim();
        let limit: f64 = expr[at + len..].trim().parse().map_err(|_| bad())?;
        // `=<`, `=>` or `!<` leave a stray sign on the name: a wrong operator, not
        // an unknown metric.
        if metric.is_empty() || metric.contains(['=', '!', '<', '>']) || !limit.is_finite() {
            return Err(bad());
        }
        Ok(Rule {
            metric: metric.to_string(),
            op,
            limit,
            text: expr.trim().to_string(),
        })
    }

    fn breached_by(&self, x: f64) -> bool {
        match self.op {
            Op::Lt => x < self.limit,
            Op::Le => x <= self.limit,
            Op::Gt => x > self.limit,
            Op::Ge => x >= self.limit,
            Op::Eq => x == self.limit,
            Op::Ne => x != self.limit,
        }
    }
}

/// Parse every rule and check each names a column of at least one table (a typo
/// would otherwise never fire).
pub fn parse_all(exprs: &[String], tables: &[(&str, &Table)]) -> Result<Vec<Rule>> {
    let mut rules: Vec<Rule> = Vec::new();
    for expr in exprs {
        let mut rule = Rule::parse(expr)?;
        // `CSAT_PCT<85` names `csat_pct`, as `--by` and `--where` take any case.
        let columns = || tables.iter().flat_map(|(_, t)| t.columns.iter());
        if !columns().any(|c| *c == rule.metric) {
            if let Some(c) = columns().find(|c| c.eq_ignore_ascii_case(&rule.metric)) {
                rule.metric = c.clone();
            }
        }
        // The same rule twice is one rule (a saved report's and a flag's).
        let same = |r: &Rule| r.metric == rule.metric && r.op == rule.op && r.limit == rule.limit;
        if !rules.iter().any(same) {
            rules.push(rule);
        }
    }
    for rule in &rules {
        let column = |t: &Table| t.columns.iter().position(|c| *c == rule.metric);
        let holding: Vec<(&Table, usize)> = tables
            .iter()
            .filter_map(|(_, t)| column(t).map(|i| (*t, i)))
            .collect();
        if !holding.is_empty() && holding.iter().all(|(t, i)| is_key(t, *i)) {
            return Err(usage_err!(
                "--fail-if '{rule}': '{}' is a group column, not a metric",
                rule.metric
            ));
        }
        if holding.is_empty() {
            // The metrics: not the group columns, nor `period`.
            let mut known: Vec<&str> = Vec::new();
            for (_, t) in tables {
                for (i, c) in t.columns.iter().enumerate() {
                    if !is_key(t, i) && !known.contains(&c.as_str()) {
                        known.push(c);
                    }
                }
            }
            // A comparison's column, asked of `surveys` or `report` (the commands
            // with `--compare`) without the comparison (whose columns, when it was
            // asked for, are among the known ones, or a `compare` section), in this
            // command's naming or the other's.
            let names: Vec<&str> = tables.iter().map(|(n, _)| *n).collect();
            let (own, other): (&[&str], &[&str]) = match names.as_slice() {
                ["surveys"] => (SURVEYS_COMPARED, REPORT_COMPARED),
                _ if names.len() > 1 => (REPORT_COMPARED, SURVEYS_COMPARED),
                _ => (&[], &[]),
            };
            let metric = rule.metric.to_lowercase();
            let comparison =
                |name: &str, suffixes: &[&str]| suffixes.iter().any(|s| name.ends_with(s));
            let compared = (comparison(&metric, own) || comparison(&metric, other))
                && !known.iter().any(|c| comparison(c, own))
                && !names.contains(&"compare");
            // A measure shown but not compared (not a headline, or churn over a
            // rolling window): the ones compared are named.
            let stem = (own.iter().chain(other))
                .find_map(|s| metric.strip_suffix(s))
                .filter(|stem| known.contains(stem));
            // The metrics with the asked column (`_delta`: the rates and means).
            let asked = own.iter().find(|s| metric.ends_with(*s)).or(own.first());
            let compared_here: Vec<&str> = (known.iter())
                .filter_map(|c| asked.and_then(|s| c.strip_suffix(s)))
                .collect();
            // The columns this command's comparison can have, for a name to point to.
            let possible = match names.as_slice() {
                ["surveys"] => crate::metrics::surveys::comparison_columns(),
                _ if names.len() > 1 => crate::compute::compare::comparison_columns(),
                _ => Vec::new(),
            };
            // `report` flags each headline's sample, `surveys` one per row.
            let flags: Vec<&str> = (known.iter())
                .filter(|c| c.ends_with("_small_sample"))
                .copied()
                .collect();
            let renamed = other_naming(&metric, &known)
                .map(str::to_string)
                .or_else(|| {
                    let named = other_names(&metric).into_iter();
                    named.filter(|c| possible.contains(c)).find(|_| compared)
                });
            let hint = match (compared, stem, renamed) {
                (true, _, Some(named)) => {
                    format!(
                        "; the compared columns come with --compare previous (this one as {named})"
                    )
                }
                (false, _, Some(named)) => format!("; here it is named {named}"),
                (true, _, None) => {
                    // A figure this command's comparison leaves out is no matter of
                    // the flag: the ones it compares are named.
                    let stems: Vec<&str> = (possible.iter())
                        .filter_map(|c| own.first().and_then(|s| c.strip_suffix(s)))
                        .collect();
                    // A p-value names its measure (`csat_delta_p`), not a figure.
                    let tested = (crate::metrics::surveys::TESTS.iter())
                        .find(|(p, _)| *p == metric)
                        .map(|(_, of)| *of);
                    let asked_stem = tested
                        .or_else(|| (own.iter().chain(other)).find_map(|s| metric.strip_suffix(s)))
                        .filter(|stem| !stem.is_empty() && !stems.contains(stem))
                        .filter(|_| !possible.contains(&metric));
                    match asked_stem {
                        Some(stem) => format!(
                            "; {stem} is not among the figures --compare previous compares here ({})",
                            stems.join(", ")
                        ),
                        None => "; the compared columns come with --compare previous".to_string(),
                    }
                }
                _ if metric == "small_sample" && !flags.is_empty() => {
                    format!("; here each headline has its own: {}", flags.join(", "))
                }
                (false, Some(stem), None) => format!(
                    "; {stem} is not compared in this run (compared: {})",
                    compared_here.join(", ")
                ),
                (false, None, None) => String::new(),
            };
            return Err(usage_err!(
                "--fail-if '{rule}': no metric '{}' in this report (columns: {}){hint}",
                rule.metric,
                known.join(", ")
            ));
        }
    }
    Ok(rules)
}

/// The columns of a comparison in `report` (`csat_pct_previous`, …) and in
/// `surveys` (`csat_pct_prev`, …), by their endings.
const REPORT_COMPARED: &[&str] = &["_previous", "_change", "_p_value", "_small_sample"];
const SURVEYS_COMPARED: &[&str] = &["_prev", "_delta", "_delta_p", "small_sample"];

/// A comparison's column as the other naming writes it, where this report has it:
/// `report` writes `csat_pct_previous`, `csat_pct_change` and `csat_pct_p_value`;
/// `surveys` `csat_pct_prev`, `csat_pct_delta` and `csat_delta_p` (a rule copied
/// from one to the other).
fn other_naming<'a>(metric: &str, known: &[&'a str]) -> Option<&'a str> {
    let candidates = other_names(metric);
    (known.iter())
        .find(|k| candidates.iter().any(|c| c == *k))
        .copied()
}

/// The names `metric` may have in the other naming ([`other_naming`]).
fn other_names(metric: &str) -> Vec<String> {
    let mut names: Vec<String> = [
        ("_previous", "_prev"),
        ("_prev", "_previous"),
        ("_change", "_delta"),
        ("_delta", "_change"),
    ]
    .iter()
    .filter_map(|(from, to)| metric.strip_suffix(from).map(|stem| format!("{stem}{to}")))
    .collect();
    // A p-value of the metric its test is of: `surveys` tests CSAT's and NPS's
    // headlines and CES's easy share.
    let tests = crate::metrics::surveys::TESTS;
    if let Some(stem) = metric.strip_suffix("_p_value") {
        names.extend(
            (tests.iter())
                .filter(|(_, of)| *of == stem)
                .map(|(p, _)| p.to_string()),
        );
    }
    if metric.ends_with("_small_sample") {
        names.push("small_sample".to_string());
    }
    if let Some((_, of)) = tests.iter().find(|(p, _)| *p == metric) {
        names.push(format!("{of}_p_value"));
    }
    names
}

/// The breaches, one line per rule that any row breaks, naming the first such row.
pub fn breaches(rules: &[Rule], tables: &[(&str, &Table)]) -> Vec<String> {
    let mut out = Vec::new();
    for rule in rules {
        let mut hits: Vec<String> = Vec::new();
        for (section, table) in tables {
            let Some(i) = table.columns.iter().position(|c| *c == rule.metric) else {
                continue;
            };
            // A window with no rows at all (grouped, nothing to group) counts none:
            // `tickets<1` is how a cron job catches a stale export.
            if table.is_empty() && table.is_count(i) && rule.breached_by(0.0) {
                hits.push(
                    format!("{section}: {} = 0 (no rows)", rule.metric)
                        .trim()
                        .to_string(),
                );
            }
            for row in table.rows() {
                // The value as CSV and JSON report it (4 decimals), so that a rule
                // written from a report's figure fires exactly as that figure says.
                let x = match row.get(i) {
                    Cell::Int(v) => v as f64,
                    Cell::Float(v) => crate::render::rounded(v, 4),
                    // A yes/no column (`churned`): 1 for yes, 0 for no.
                    Cell::Bool(b) => f64::from(u8::from(b)),
                    _ => continue,
                };
                if rule.breached_by(x) {
                    hits.push(describe_row(section, table, row, i));
                }
            }
        }
        if let Some(first) = hits.first() {
            let more = match hits.len() {
                1 => String::new(),
                2 => " (and 1 more row)".to_string(),
                n => format!(" (and {} more rows)", n - 1),
            };
            out.push(format!("--fail-if '{rule}' breached: {first}{more}"));
        }
    }
    out
}

/// Rules that probably do not test what they say: one whose metric has no value in
/// any row (a rule that cannot fire), and a percentage compared with a fraction
/// (`csat_pct<0.85`, where 85 was meant).
pub fn warnings(rules: &[Rule], tables: &[(&str, &Table)]) -> Vec<String> {
    let mut out = Vec::new();
    for rule in rules {
        let mut values = 0usize;
        let mut counted = false;
        for (_, table) in tables {
            let Some(i) = table.columns.iter().position(|c| *c == rule.metric) else {
                continue;
            };
            counted |= table.is_empty() && table.is_count(i);
            values += table
                .rows()
                .filter(|row| matches!(row.get(i), Cell::Int(_) | Cell::Float(_) | Cell::Bool(_)))
                .count();
        }
        if values == 0 && !counted {
            out.push(format!(
                "--fail-if '{rule}': {} has no value in any row of this report, so the rule tested nothing",
                rule.metric
            ));
        }
        let fraction = rule.limit > 0.0 && rule.limit < 1.0;
        if is_percentage(&rule.metric) && fraction {
            out.push(format!(
                "--fail-if '{rule}': {} is a percentage (0 to 100), so {} is under 1 %; for {} % write {}",
                rule.metric,
                rule.limit,
                crate::render::rounded(rule.limit * 100.0, 4),
                crate::render::rounded(rule.limit * 100.0, 4)
            ));
        }
    }
    out
}

/// A column of percentages (0 to 100): a share, its value in the previous window, or
/// a share's confidence bound (not a change, whose points may well be under 1).
fn is_percentage(metric: &str) -> bool {
    let stem = ["_prev", "_previous", "_after"]
        .iter()
        .find_map(|s| metric.strip_suffix(s))
        .unwrap_or(metric);
    let bound = ["csat_", "survival_"].iter().any(|m| stem.starts_with(m))
        && (stem.ends_with("_low95") || stem.ends_with("_high95"));
    stem.ends_with("_pct") || bound
}

/// A column naming a row rather than measuring it: a group (text), the bucket, a
/// cohort's age, a survival curve's month.
fn is_key(table: &Table, i: usize) -> bool {
    let c = table.columns[i].as_str();
    table.is_text(i)
        || c == PERIOD
        || c == crate::metrics::retention::SURVIVAL_COLUMNS[0]
        || (c == COHORT_COLUMNS[1] && table.columns.iter().any(|c| c == COHORT))
}

/// `section team=Billing period=2025-W09: csat_pct = 80.5`.
/// `value` in double quotes, its quotes and backslashes escaped and control
/// characters written as escapes; any other character as it is (`"Équipe A"`).
fn quoted(value: &str) -> String {
    let mut out = String::from('"');
    for ch in value.chars() {
        match ch {
            '"' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A row of `--per-ticket` is named by its ticket: its id, group columns and
/// creation time, the columns up to `created_at` (its policy and verdicts after them
/// are figures, not names). None for other tables.
fn per_ticket_identity(table: &Table) -> Option<usize> {
    let first = table.columns.first().map(String::as_str);
    (first == Some("ticket_id"))
        .then(|| table.columns.iter().position(|c| c == "created_at"))
        .flatten()
}

fn describe_row(section: &str, table: &Table, row: Row, metric: usize) -> String {
    let ticket = per_ticket_identity(table);
    let keys: Vec<String> = table
        .columns
        .iter()
        .zip(row.cells())
        .enumerate()
        .filter(|(i, (_, v))| match ticket {
            Some(end) => *i <= end,
            None => matches!(v, Cell::Text(_)) || is_key(table, *i),
        })
        .map(|(_, cv)| cv)
        .map(|(c, v)| {
            let value = crate::render::machine_cell(v);
            // In quotes where it would not read as one value: the rows of no team
            // (`team=""`), a name with a space, an `=` (`team="=cmd"`), a colon, a
            // quote or a backslash (as `--where` reads a value back).
            let plain = !value.is_empty()
                && !(value.chars()).any(|ch| {
                    ch.is_whitespace()
                        || ch.is_control()
                        || matches!(ch, '=' | '"' | '\'' | ':' | '\\')
                });
            match plain {
                true => format!("{c}={value}"),
                false => format!("{c}={}", quoted(&value)),
            }
        })
        .collect();
    let mut s = section.to_string();
    if !keys.is_empty() {
        s = format!("{s} {}", keys.join(" "));
    }
    format!(
        "{}: {} = {}",
        s.trim(),
        table.columns[metric],
        crate::render::machine_cell(row.get(metric))
    )
}

/// `write` the report, then [`enforce`] the rules. The breaches are known before it
/// is written, so an HTML page (mailed by cron) shows them among its warnings.
pub fn write_then_enforce(
    rules: &[Rule],
    tables: &[(&str, &Table)],
    quiet: bool,
    write: impl FnOnce() -> Result<()>,
) -> Result<()> {
    // A rule that tested nothing is said before the page is written, to be on it.
    if !quiet {
        for w in warnings(rules, tables) {
            crate::say!("cxm: warning: {w}");
        }
    }
    for breach in breaches(rules, tables) {
        crate::error::keep_warning(&format!("cxm: warning: {breach}"));
    }
    write()?;
    enforce(rules, tables)
}

/// Exit 4 (after the report was written) when any rule is breached. Every breach is
/// part of the error, one line each, so `--quiet` still names them.
fn enforce(rules: &[Rule], tables: &[(&str, &Table)]) -> Result<()> {
    let found = breaches(rules, tables);
    if found.is_empty() {
        return Ok(());
    }
    Err(CxmError::Threshold(found.join("\ncxm: error: ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Value;

    fn table() -> Table {
        Table::new(
            vec!["team".into(), "csat_pct".into(), "tickets".into()],
            vec![
                vec![Value::Text("A".into()), Value::Float(90.0), Value::Int(3)],
                vec![Value::Text("B".into()), Value::Float(80.5), Value::Int(5)],
                vec![Value::Text("C".into()), Value::Null, Value::Int(0)],
            ],
        )
    }

    /// A breaching row of no group names its key `""`; one whose key would not read
    /// as one value is quoted.
    #[test]
    fn a_blank_group_is_named_blank() {
        let breach = |team: &str| {
            let t = Table::new(
                vec!["team".into(), "tickets".into()],
                vec![vec![Value::Text(team.into()), Value::Int(4)]],
            );
            let tables = [("tickets", &t)];
            let rules = parse_all(&["tickets>3".into()], &tables).unwrap();
            breaches(&rules, &tables).join("\n")
        };
        let line = |shown: &str| {
            format!("--fail-if 'tickets>3' breached: tickets team={shown}: tickets = 4")
        };
        assert_eq!(breach(""), line("\"\""));
        assert_eq!(breach("=cmd"), line("\"=cmd\""));
        assert_eq!(breach("Team A"), line("\"Team A\""));
        assert_eq!(breach("say \"hi\""), line("\"say \\\"hi\\\"\""));
        assert_eq!(breach("Équipe"), line("Équipe"));
        // Decomposed, with a space: quoted, each character as it is.
        assert_eq!(breach("E\u{301}quipe A"), line("\"E\u{301}quipe A\""));
        assert_eq!(breach("a\tb\u{1}"), line("\"a\\tb\\u{1}\""));
        // A quote or backslash anywhere is quoted, as `--where` reads a value back.
        assert_eq!(breach("'x'"), line(r#""'x'""#));
        assert_eq!(breach(r"a\b"), line(r#""a\\b""#));
    }

    /// Shares, their previous window's value and their bounds are percentages; a
    /// change (in points), a count and NPS are not.
    #[test]
    fn percentages_are_told_by_name() {
        for yes in [
            "csat_pct",
            "csat_pct_prev",
            "ces_easy_pct_previous",
            "csat_pct_after",
            "csat_low95",
            "csat_low95_prev",
            "survival_high95",
        ] {
            assert!(is_percentage(yes), "{yes}");
        }
        for no in [
            "csat_pct_delta",
            "csat_pct_change",
            "nps",
            "nps_moe95",
            "tickets",
            "pct",
        ] {
            assert!(!is_percentage(no), "{no}");
        }
    }

    /// A rule written with `report`'s names finds `surveys`' columns, and back.
    #[test]
    fn the_other_commands_names_are_pointed_to() {
        let surveys = [
            "csat_pct",
            "csat_pct_prev",
            "csat_pct_delta",
            "csat_delta_p",
        ];
        let report = [
            "csat_pct",
            "csat_pct_previous",
            "csat_pct_change",
            "csat_pct_p_value",
        ];
        for (asked, known, named) in [
            ("csat_pct_change", &surveys, "csat_pct_delta"),
            ("csat_pct_previous", &surveys, "csat_pct_prev"),
            ("csat_pct_p_value", &surveys, "csat_delta_p"),
            ("csat_pct_delta", &report, "csat_pct_change"),
            ("csat_pct_prev", &report, "csat_pct_previous"),
            ("csat_delta_p", &report, "csat_pct_p_value"),
        ] {
            assert_eq!(other_naming(asked, known), Some(named), "{asked}");
        }
        assert_eq!(other_naming("nps_change", &surveys), None);
        // A p-value only of what its test is of: CSAT's is of the satisfied share.
        assert_eq!(other_naming("csat_mean_p_value", &surveys), None);
        let ces = ["ces_easy_pct", "ces_delta_p"];
        assert_eq!(
            other_naming("ces_easy_pct_p_value", &ces),
            Some("ces_delta_p")
        );
        let flagged = ["csat_pct", "small_sample"];
        assert_eq!(
            other_naming("csat_pct_small_sample", &flagged),
            Some("small_sample")
        );
        assert_eq!(other_naming("csat_pct", &surveys), None);
    }

    #[test]
    fn rules_parse_with_or_without_spaces() {
        let r = Rule::parse(" csat_pct <= 85.5 ").unwrap();
        assert_eq!(
            (r.metric.as_str(), r.op, r.limit),
            ("csat_pct", Op::Le, 85.5)
        );
        assert_eq!(Rule::parse("nps>-10").unwrap().limit, -10.0);
        assert_eq!(Rule::parse("x!=0").unwrap().op, Op::Ne);
        assert!(Rule::parse("csat_pct 85").is_err());
        assert!(Rule::parse("<85").is_err());
        assert!(Rule::parse("csat_pct<high").is_err());
        // A reversed operator is a malformed rule, not a metric named `sla_pct =`.
        for reversed in ["sla_pct =< 50", "sla_pct=>50", "sla_pct !< 50"] {
            let e = Rule::parse(reversed).map(|_| ()).unwrap_err().to_string();
            assert!(e.contains("expected METRIC OP NUMBER"), "{reversed}: {e}");
        }
    }

    /// A per-ticket row is named by its id, groups and creation time, not by the
    /// policy and verdict texts after them.
    #[test]
    fn a_tickets_row_is_named_by_the_ticket() {
        let t = Table::new(
            [
                "ticket_id",
                "team",
                "created_at",
                "resolution_hours",
                "sla_policy",
                "sla_resolution",
            ]
            .map(String::from)
            .to_vec(),
            vec![vec![
                Value::Text("T2".into()),
                Value::Text("a".into()),
                Value::Text("2025-03-01T10:00:00Z".into()),
                Value::Float(25.0),
                Value::Text("std".into()),
                Value::Text("breached".into()),
            ]],
        );
        let tables = [("tickets", &t)];
        let rules = parse_all(&["resolution_hours>20".into()], &tables).unwrap();
        assert_eq!(
            breaches(&rules, &tables),
            ["--fail-if 'resolution_hours>20' breached: tickets ticket_id=T2 team=a created_at=\"2025-03-01T10:00:00Z\": resolution_hours = 25"]
        );
    }

    #[test]
    fn breaches_name_the_row_and_skip_missing_values() {
        let t = table();
        let tables = [("surveys", &t)];
        let rules = parse_all(&["csat_pct<85".into(), "tickets>=3".into()], &tables).unwrap();
        let found = breaches(&rules, &tables);
        assert_eq!(
            found,
            vec![
                "--fail-if 'csat_pct<85' breached: surveys team=B: csat_pct = 80.5".to_string(),
                "--fail-if 'tickets>=3' breached: surveys team=A: tickets = 3 (and 1 more row)"
                    .to_string(),
            ]
        );
        let rules = parse_all(&["csat_pct<80".into()], &tables).unwrap();
        assert!(breaches(&rules, &tables).is_empty());
        assert!(parse_all(&["csat<80".into()], &tables).is_err());
    }

    /// Any case names the column; a rule given twice is one; the metric list of an
    /// unknown name holds no group column; a fraction against a percentage and a
    /// metric with no value anywhere are warned of.
    #[test]
    fn rules_in_any_case_once_each_with_warnings() {
        let t = table();
        let tables = [("surveys", &t)];
        let rules = parse_all(
            &[
                "CSAT_PCT<85".into(),
                "csat_pct < 85".into(),
                "csat_pct<0.85".into(),
            ],
            &tables,
        )
        .unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0].metric, "csat_pct");
        let unknown = parse_all(&["nps<0".into()], &tables)
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("(columns: csat_pct, tickets)"),
            "{unknown}"
        );
        let said = warnings(&rules, &tables);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(
            said[0].contains("so 0.85 is under 1 %; for 85 % write 85"),
            "{said:?}"
        );
        let empty = Table::new(
            vec!["team".into(), "sla_pct".into()],
            vec![vec![Value::Text("A".into()), Value::Null]],
        );
        let tables = [("tickets", &empty)];
        let rules = parse_all(&["sla_pct<90".into()], &tables).unwrap();
        let said = warnings(&rules, &tables);
        assert!(
            said.len() == 1 && said[0].contains("tested nothing"),
            "{said:?}"
        );
    }

    /// 200 / 3 = 66.666…, reported as 66.6667: `< 66.6667` must not fire (the figure
    /// shown is not below it), `<= 66.6667` and `== 66.6667` must.
    #[test]
    fn rules_compare_the_reported_value() {
        let t = Table::new(
            vec!["csat_pct".into()],
            vec![vec![Value::Float(200.0 / 3.0)]],
        );
        let tables = [("surveys", &t)];
        let fired = |rule: &str| {
            !breaches(&parse_all(&[rule.into()], &tables).unwrap(), &tables).is_empty()
        };
        assert!(!fired("csat_pct<66.6667"));
        assert!(fired("csat_pct<=66.6667"));
        assert!(fired("csat_pct==66.6667"));
        assert!(!fired("csat_pct>66.6667"));
    }

    /// A grouped window with no rows counts none: `tickets<1` fires (`tickets==0`
    /// too), a rule on a rate has nothing to check; a rule on a group column is a
    /// usage error, as it could never fire.
    #[test]
    fn an_empty_grouped_table_counts_none() {
        use polars::prelude::*;
        let df = df!(
            "team" => Vec::<String>::new(),
            "tickets" => Vec::<u32>::new(),
            "csat_pct" => Vec::<f64>::new(),
        )
        .unwrap();
        let t = Table::from_frame(&df, None).unwrap();
        let tables = [("tickets", &t)];
        let fired = |rule: &str| breaches(&parse_all(&[rule.into()], &tables).unwrap(), &tables);
        assert_eq!(
            fired("tickets<1"),
            vec!["--fail-if 'tickets<1' breached: tickets: tickets = 0 (no rows)".to_string()]
        );
        assert_eq!(fired("tickets==0").len(), 1);
        assert!(fired("tickets>0").is_empty());
        assert!(fired("csat_pct<85").is_empty());
        let full = table();
        let err = parse_all(&["team<1".into()], &[("tickets", &full)]).unwrap_err();
        assert!(err.to_string().contains("group column"), "{err}");
    }
}
