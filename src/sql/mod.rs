//! `cxm sql`: a command's metrics as one SQL query for a warehouse (SPEC §13), over
//! a table with the canonical column names and typed columns (timestamps, numbers).
//!
//! The query is built from the same metric records the engine runs
//! ([`crate::metrics::record`], [`crate::metrics::churn::bucket_metrics`]); only the
//! reading of the table's columns into the records' inputs (the parse step) is
//! written here, per dataset, and what differs between warehouses lives in
//! [`dialect`].

mod churn;
pub mod dialect;
mod records;
mod surveys;
mod tickets;

pub use dialect::Dialect;

use crate::error::Result;
use crate::metrics::record::Metric;
use crate::metrics::surveys::Scale;
use crate::metrics::tickets::TimeUnit;
use crate::request::Scope;

/// The dataset whose metrics the query computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    Tickets,
    Surveys,
    Churn,
}

impl Dataset {
    /// The command whose columns the query computes.
    pub fn command(self) -> &'static str {
        match self {
            Dataset::Tickets => "tickets",
            Dataset::Surveys => "surveys",
            Dataset::Churn => "churn",
        }
    }

    /// The table read when `--table` is not given.
    pub fn default_table(self) -> &'static str {
        match self {
            Dataset::Tickets => "tickets",
            Dataset::Surveys => "surveys",
            Dataset::Churn => "subscriptions",
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct SqlRequest {
    pub dataset: Dataset,
    pub dialect: Dialect,
    /// The table as the query names it, verbatim: a dotted name, or a dbt reference
    /// (`{{ ref('stg_tickets') }}`).
    pub table: String,
    /// The optional canonical columns the table has (None: the dataset's default).
    pub columns: Option<Vec<String>>,
    pub scope: Scope,
    pub time_unit: TimeUnit,
    pub sla_secs: f64,
    pub csat: Scale,
    pub ces: Scale,
    pub nps: Scale,
    /// `churn --movements`: the MRR movement columns too.
    pub movements: bool,
    /// Status words (built-in and `[statuses]`): a `status` column beside
    /// `closed_at` says which tickets are still open.
    pub statuses: crate::metrics::events::EventWords,
}

/// The query, ending with a newline.
pub fn generate(req: &SqlRequest) -> Result<String> {
    match req.dataset {
        Dataset::Tickets => tickets::query(req),
        Dataset::Surveys => surveys::query(req),
        Dataset::Churn => churn::query(req),
    }
}

/// The optional columns of the table: those given, checked against the dataset's
/// known ones, or the default.
fn optional_columns(req: &SqlRequest, known: &[&str], default: &[&str]) -> Result<Vec<String>> {
    let Some(given) = &req.columns else {
        return Ok(default.iter().map(|c| c.to_string()).collect());
    };
    // `--columns ''`: none of the optional columns.
    let given: Vec<String> = given.iter().filter(|c| !c.is_empty()).cloned().collect();
    for c in &given {
        if !known.contains(&c.as_str()) {
            return Err(crate::usage_err!(
                "--columns: '{c}' is not an optional column of the {} table (known: {})",
                req.dataset.default_table(),
                known.join(", ")
            ));
        }
    }
    Ok(given)
}

/// A timestamp column's epoch milliseconds, NULL before 1900 or from 2100 on
/// (`9999-12-31` for "never"): a rejected value, as the command reads it.
fn plausible_millis(d: Dialect, field: &str) -> String {
    let (first, end) = crate::metrics::tickets::PLAUSIBLE_MS;
    let ms = d.epoch_millis(field);
    format!("CASE WHEN {ms} >= {first} AND {ms} < {end} THEN {ms} END")
}

/// A table of rows with a timestamp, grouped and bucketed, and metric records over
/// them: the shape of the tickets and surveys queries.
struct RecordQuery<'a> {
    req: &'a SqlRequest,
    /// The timestamp that places a row in the window and its bucket.
    at: &'static str,
    /// A condition under which a row without that time counts all the same (a survey
    /// offered and not answered, with neither window nor buckets).
    undated: Option<String>,
    /// Conditions a row needs to count at all (the required fields).
    required: Vec<String>,
    /// A condition on the read columns a row needs to count at all.
    kept_if: Option<String>,
    /// `expression AS name` read from the table's columns (first stage).
    read: Vec<String>,
    /// `expression AS name` of the records' inputs, from the read columns.
    values: Vec<String>,
    metrics: Vec<Metric>,
    /// Metrics left empty unless a condition on facts about the whole table holds
    /// (a survey measure that no row names), with those facts' aggregates.
    presence: Option<Presence>,
    /// A group column read otherwise than as its text (`survey`: the measure's name
    /// however a row spells it), by the column `--by` names.
    keyed_as: Vec<(&'static str, String)>,
    /// Steps of `(expression, name)` worked out once a row before anything reads the
    /// table (a cell's words, then the number they read as, which the expressions of
    /// `read` and `presence` read many times), each step reading the one before:
    /// `cleaned1`, `cleaned2`…, which the others read instead of the table.
    cleaned: Vec<Vec<(String, String)>>,
    /// The table's columns the first of those steps passes on (as identifiers).
    kept: Vec<String>,
}

/// Facts about the whole table, and the metrics each one guards.
struct Presence {
    /// `aggregate AS name` over every row of the table.
    facts: Vec<String>,
    /// A metric's column and the condition on the facts under which it has a value.
    guards: Vec<(String, String)>,
}

impl RecordQuery<'_> {
    fn sql(&self) -> Result<String> {
        let d = self.req.dialect;
        let scope = &self.req.scope;
        let names: Vec<String> = self.metrics.iter().map(|m| m.name.to_string()).collect();
        let group_keys = group_keys(d, &scope.by, &names, scope.every.is_some())?;
        let keys = &group_keys.inner;
        let at = d.ident(self.at);
        let mut read: Vec<String> = keys
            .iter()
            .zip(&scope.by)
            .map(|(k, raw)| {
                let read_as = self.keyed_as.iter().find(|(c, _)| *c == raw.as_str());
                let key = read_as.map_or_else(|| d.group_key(raw), |(_, e)| e.clone());
                format!("{key} AS {k}")
            })
            .collect();
        read.push(format!("{} AS at_ms", d.epoch_millis(&at)));
        if let Some(every) = scope.every {
            read.push(format!(
                "{} AS period_start",
                d.bucket_start(&d.local_date(&at, scope.tz.name()), every)
            ));
        }
        read.extend(self.read.iter().cloned());
        let mut required = self.required.clone();
        // A time the command cannot read (NULL, or an engine's `infinity`) leaves the
        // row out.
        let dated = format!("{} IS NOT NULL", d.epoch_millis(&at));
        required.push(match &self.undated {
            Some(u) => format!("({dated} OR {u})"),
            None => dated,
        });

        let mut partition = keys.clone();
        let mut kept = keys.clone();
        if let Some(every) = scope.every {
            partition.push("period_start".into());
            kept.push(format!(
                "{} AS period",
                d.bucket_label("period_start", every)
            ));
            kept.push("period_start".into());
        }
        kept.extend(self.values.iter().cloned());
        let rendered = records::render(d, &self.metrics, &partition);

        let mut group: Vec<String> = keys.clone();
        let mut out_keys = group_keys.named();
        // Qualified: a bare name could be an output column's (a group column named
        // `period_start`, or `cxm_k0` naming another key).
        let mut order: Vec<String> = (keys.iter())
            .map(|k| d.order_key(&format!("grouped.{k}"), true))
            .collect();
        if scope.every.is_some() {
            group.extend(["period".to_string(), "period_start".to_string()]);
            out_keys.push("period".into());
            order.push("grouped.period_start".into());
        }

        let mut q = String::new();
        q.push_str(&header(self.req));
        q.push_str("WITH ");
        // Worked out once, not again where each reference is (DuckDB and PostgreSQL
        // inline a step into every expression that reads it).
        let once = d.materialized();
        let mut rows = self.req.table.clone();
        for (k, step) in self.cleaned.iter().enumerate() {
            let mut cols = match k {
                0 => self.kept.clone(),
                _ => vec!["*".to_string()],
            };
            cols.extend(step.iter().map(|(e, name)| format!("{e} AS {name}")));
            q.push_str(&format!("cleaned{} AS {once}(\n", k + 1));
            q.push_str(&select_list(&cols));
            q.push_str(&format!("  FROM {rows}\n),\n"));
            rows = format!("cleaned{}", k + 1);
        }
        let parsed_once = match self.cleaned.is_empty() {
            true => "",
            false => once,
        };
        q.push_str(&format!("parsed AS {parsed_once}(\n"));
        q.push_str(&select_list(&read));
        q.push_str(&format!("  FROM {rows}\n"));
        q.push_str(&format!("  WHERE {}\n", required.join("\n    AND ")));
        q.push_str("),\nwindowed AS (\n");
        q.push_str(&select_list(&kept));
        q.push_str("  FROM parsed\n");
        let mut kept_rows = window_filter(self.req);
        kept_rows.extend(self.kept_if.iter().cloned());
        q.push_str(&format!("  WHERE {}\n", kept_rows.join("\n    AND ")));
        q.push_str("),\n");
        let mut source = "windowed";
        if !rendered.window_columns.is_empty() {
            let mut cols = vec!["*".to_string()];
            cols.extend(rendered.window_columns.iter().cloned());
            q.push_str("measured AS (\n");
            q.push_str(&select_list(&cols));
            q.push_str("  FROM windowed\n),\n");
            source = "measured";
        }
        q.push_str("grouped AS (\n");
        let mut grouped_cols = group.clone();
        grouped_cols.extend(rendered.partials.iter().cloned());
        q.push_str(&select_list(&grouped_cols));
        q.push_str(&format!("  FROM {source}\n"));
        if !group.is_empty() {
            q.push_str(&format!("  GROUP BY {}\n", group.join(", ")));
        }
        q.push(')');
        if self.presence.is_none() {
            q.push('\n');
        }
        if let Some(p) = &self.presence {
            q.push_str(",\npresence AS (\n");
            q.push_str(&select_list(&p.facts));
            q.push_str(&format!("  FROM {rows}\n)\n"));
        }
        let mut final_cols = out_keys;
        for (expr, name) in &rendered.metrics {
            // Every condition guarding this metric.
            let guard = self.presence.as_ref().and_then(|p| {
                let conds: Vec<&str> = (p.guards.iter())
                    .filter(|(metric, _)| metric == name)
                    .map(|(_, cond)| cond.as_str())
                    .collect();
                (!conds.is_empty()).then(|| conds.join(" AND "))
            });
            final_cols.push(match guard {
                Some(cond) => format!("CASE WHEN {cond} THEN {expr} END AS {name}"),
                None => format!("{expr} AS {name}"),
            });
        }
        q.push_str(&format!("SELECT\n  {}\n", final_cols.join(",\n  ")));
        q.push_str(if self.presence.is_some() {
            "FROM grouped CROSS JOIN presence\n"
        } else {
            "FROM grouped\n"
        });
        if !order.is_empty() {
            q.push_str(&format!("ORDER BY {}", order.join(", ")));
            q.push('\n');
        }
        Ok(q.trim_end().to_string() + terminator(self.req))
    }
}

/// `SELECT` and one column per line.
fn select_list(cols: &[String]) -> String {
    format!("  SELECT\n    {}\n", cols.join(",\n    "))
}

/// The group columns: each read from the table by its name, carried through the query
/// as `cxm_k0`, `cxm_k1`… (so no `--by` name meets one of the query's own), and named
/// as given in the result.
struct Keys {
    /// The names inside the query.
    inner: Vec<String>,
    /// The table's column each is read from, and the result's column, as identifiers.
    outer: Vec<String>,
}

impl Keys {
    /// `cxm_k0 AS team`: each key under its result name.
    fn named(&self) -> Vec<String> {
        self.inner
            .iter()
            .zip(&self.outer)
            .map(|(i, o)| format!("{i} AS {o}"))
            .collect()
    }
}

/// The `--by` columns of a query whose result has the columns `metrics` (and `period`
/// with buckets): refused as the command refuses them when two result columns would
/// share a name.
fn group_keys(d: Dialect, by: &[String], metrics: &[String], every: bool) -> Result<Keys> {
    if let Some(b) = by.iter().find(|b| b.trim().is_empty()) {
        return Err(crate::usage_err!("--by: an empty column name ('{b}')"));
    }
    // The command's advice (`--map`) is no option here: the table's column is renamed.
    crate::metrics::check_output_names(by, every, metrics).map_err(|e| {
        let said = e.to_string().replace(
            "rename the input column, or map it to a field with --map",
            "rename the column in the table (or in a view of it)",
        );
        crate::usage_err!("{said}")
    })?;
    // Names the command keeps apart that the warehouse takes for one (`user` and
    // `USER` in Snowflake, `Team` and `team` in BigQuery).
    let mut taken: Vec<(String, &str)> = (metrics.iter().map(String::as_str))
        .chain(every.then_some(crate::metrics::PERIOD))
        .map(|m| (d.resolved(m), m))
        .collect();
    for b in by {
        let name = d.resolved(b);
        if let Some((_, other)) = taken.iter().find(|(t, _)| *t == name) {
            return Err(crate::usage_err!(
                "--by {b}: in {} the result would have two columns named '{name}' (with '{other}'); rename the column in the table",
                d.name()
            ));
        }
        taken.push((name, b));
    }
    Ok(Keys {
        inner: (0..by.len()).map(|i| format!("cxm_k{i}")).collect(),
        outer: by.iter().map(|b| d.ident(b)).collect(),
    })
}

/// The query's end: a semicolon, except in a dbt model (a table given as a Jinja
/// reference), which dbt wraps in its own statement.
fn terminator(req: &SqlRequest) -> &'static str {
    if req.table.contains("{{") {
        "\n"
    } else {
        ";\n"
    }
}

/// The window as conditions on `at_ms` (UTC epoch milliseconds): the bounds are computed
/// here, in `--tz`, exactly as the command computes them.
fn window_filter(req: &SqlRequest) -> Vec<String> {
    let w = &req.scope.window;
    let mut out = Vec::new();
    if let Some(s) = w.since {
        out.push(format!("at_ms >= {}", s.timestamp_millis()));
    }
    if let Some(u) = w.until {
        out.push(format!("at_ms < {}", u.timestamp_millis()));
    }
    if out.is_empty() {
        out.push("TRUE".into());
    }
    out
}

/// The query's opening comment: what it computes, over what, and the window.
fn header(req: &SqlRequest) -> String {
    let by = if req.scope.by.is_empty() {
        String::new()
    } else {
        format!(" by {}", req.scope.by.join(", "))
    };
    let every = req
        .scope
        .every
        .map(|e| format!(" every {}", e.name()))
        .unwrap_or_default();
    let line = format!(
        "cxm {}{by}{every}, {}: window {}",
        req.dataset.command(),
        req.dialect.name(),
        req.scope.describe_window()
    );
    // A comment to the line's end: a line break in a name would end it (and a line
    // separator or direction mark is no text for people either).
    format!("-- {}\n", line.replace(crate::text::unprintable, " "))
}
