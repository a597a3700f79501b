//! `cxm report --compare previous` (SPEC §12): the headline figures of the whole
//! window beside those of the previous one (the calendar period before a named one,
//! else the window of equal length just before), their changes, two-sided p-values
//! and `small_sample` (fewer than 30 on either side), as the report's first section. The figures are the report's own,
//! ungrouped: the sections computed again over each window without `--by` and
//! buckets when the report has them.

use polars::prelude::{DataFrame, Float64Chunked, IntoColumn};

use crate::calendar::period_unit;
use crate::error::Result;
use crate::metrics::stats::{count_change_p, median_test_p};
use crate::metrics::surveys::{nps_difference_p, two_proportion_p, SMALL_SAMPLE};
use crate::metrics::tickets::TICKETS_BY_NOW;
use crate::report::{Cell, Document, Report, Section, Table, Value};
use crate::request::ReportRequest;

/// How a change of a headline is tested.
#[derive(Clone, Copy)]
enum Test {
    /// A count over each window: the exact test of two Poisson rates, the windows'
    /// lengths apart.
    Count,
    /// A median of the tickets' first responses: Mood's median test.
    Median,
    /// A share of `n` (the named column): a pooled two-proportion z-test.
    Share(&'static str),
    /// NPS: a z-test of the difference of two net scores.
    Nps,
}

/// (section, metric, test) of each headline, in order; `{unit}` is the time unit.
const HEADLINES: &[(&str, &str, Test)] = &[
    ("tickets", "tickets", Test::Count),
    ("tickets", "first_response_median_{unit}", Test::Median),
    (
        "tickets",
        "sla_pct",
        Test::Share(crate::metrics::tickets::SLA_TICKETS),
    ),
    ("surveys", "csat_pct", Test::Share("csat_responses")),
    ("surveys", "nps", Test::Nps),
    ("churn", "churn_pct", Test::Share("customers_start")),
];

/// The hidden section of a window's responded tickets' first responses (in seconds,
/// in no order), for the test of the median's change: never shown.
pub const FIRST_RESPONSES: &str = "first_responses";

/// [`FIRST_RESPONSES`] of these values.
pub fn first_responses(values: Vec<f64>) -> Result<Section> {
    let column = Float64Chunked::from_vec("first_response".into(), values).into_column();
    let table = Table::from_frame(&DataFrame::new_infer_height(vec![column])?, None)?;
    Ok(Section {
        key: FIRST_RESPONSES.into(),
        report: Report {
            title: String::new(),
            table,
        },
        groups: Vec::new(),
    })
}

/// The [`FIRST_RESPONSES`] of a document.
fn first_responses_of(doc: &Document) -> Vec<f64> {
    let found = doc.sections.iter().find(|s| s.key == FIRST_RESPONSES);
    (found.iter())
        .flat_map(|s| s.report.table.rows())
        .filter_map(|row| match row.get(0) {
            Cell::Float(v) => Some(v),
            _ => None,
        })
        .collect()
}

/// The comparison section, computed with `compute` (the report's own computation).
pub fn section(
    req: &ReportRequest,
    doc: &Document,
    compute: impl Fn(&ReportRequest) -> Result<Document>,
) -> Result<(Section, String)> {
    let totals_of = |mut r: ReportRequest, window, period: Option<String>| -> Result<Document> {
        r.scope.window = window;
        r.scope.period = period;
        r.scope.by = Vec::new();
        r.scope.every = None;
        r.rows.rejects = None;
        // The rows were accounted for by the report's own run (`-v` once).
        r.rows.verbose = false;
        r.quiet = true;
        r.ticket_shape = false;
        compute(&r)
    };
    let current = if req.scope.by.is_empty() && req.scope.every.is_none() {
        doc.clone()
    } else {
        totals_of(
            req.clone(),
            req.scope.window.clone(),
            req.scope.period.clone(),
        )?
    };
    let shown = req.scope.previous()?;
    let previous = totals_of(req.clone(), shown.window.clone(), shown.period.clone())?;
    let unit = req.time_unit.suffix();
    let mut rows = Vec::new();
    let mut not_compared = Vec::new();
    for &(section, metric, test) in HEADLINES {
        let metric = metric.replace("{unit}", unit);
        // A headline the data has, on either side; one side without a value (no
        // responses in a week) shows as empty, not as a missing row.
        if !reported(&current, section, &metric) && !reported(&previous, section, &metric) {
            continue;
        }
        if section == "churn" {
            // A snapshot has no dates: the same figure on both sides, not a change.
            let dated = |d: &Document| reported(d, section, "customers_start");
            if !dated(&current) && !dated(&previous) {
                not_compared.push((metric.clone(), SNAPSHOT));
                continue;
            }
            // Churn is bucketed by calendar unit: only a named period's bucket is the
            // window itself (a 5-day window sits inside its month's bucket, and a
            // longer one holds several buckets).
            let calendar = req.scope.period.as_deref().and_then(period_unit).is_some();
            if !calendar || not_one_bucket(section, &current, &previous) {
                not_compared.push((metric.clone(), BUCKETS));
                continue;
            }
        }
        let (a, b) = (
            figure(&current, section, &metric),
            figure(&previous, section, &metric),
        );
        // Fewer than 30 on either side: a change too thin to read (SPEC §14). With no
        // value on either side there is no change to read: no flag either.
        let base = match test {
            Test::Count => "tickets",
            Test::Median => "responded",
            Test::Share(n) => n,
            Test::Nps => "nps_responses",
        };
        let small = a.or(b).and_then(|_| {
            let (n1, n2) = (
                figure(&current, section, base)?,
                figure(&previous, section, base)?,
            );
            Some(n1 < SMALL_SAMPLE || n2 < SMALL_SAMPLE)
        });
        let p = match test {
            Test::Count => {
                // A window still running (`this-month`) is weighed by its time up to
                // now, and its tickets then (a file replayed with an earlier --now has
                // later ones).
                let now = req.scope.now.timestamp_millis();
                let part = |w: &crate::calendar::Window, d: &Document| -> Option<(f64, f64)> {
                    let since = w.since?.timestamp_millis();
                    let until = w.until?.timestamp_millis().min(now);
                    let n = figure(d, section, TICKETS_BY_NOW)?;
                    Some((n, (until - since) as f64))
                };
                let parts = part(&req.scope.window, &current).zip(part(&shown.window, &previous));
                a.zip(b)
                    .and(parts)
                    .and_then(|((n1, t1), (n2, t2))| count_change_p(n1, t1, n2, t2))
            }
            Test::Median => {
                let (x, y) = (first_responses_of(&current), first_responses_of(&previous));
                a.zip(b).and_then(|_| median_test_p(&x, &y))
            }
            Test::Share(n) => {
                let (n1, n2) = (figure(&current, section, n), figure(&previous, section, n));
                a.zip(b).zip(n1.zip(n2)).and_then(|((a, b), (n1, n2))| {
                    // Successes back from the percentage: exact, as pct = 100 × s ÷ n.
                    two_proportion_p((a * n1 / 100.0).round(), n1, (b * n2 / 100.0).round(), n2)
                })
            }
            Test::Nps => {
                let side = |d: &Document| {
                    Some((
                        figure(d, section, "promoters")?,
                        figure(d, section, "detractors")?,
                        figure(d, section, "nps_responses")?,
                    ))
                };
                side(&current)
                    .zip(side(&previous))
                    .and_then(|(x, y)| nps_difference_p(x, y))
            }
        };
        // A count stays a count.
        let number = |x: Option<f64>| match x {
            None => Value::Null,
            Some(x) if matches!(test, Test::Count) => Value::Int(x as i64),
            Some(x) => Value::Float(x),
        };
        rows.push(vec![
            Value::Text(metric.clone()),
            number(a),
            number(b),
            number(a.zip(b).map(|(a, b)| a - b)),
            p.map_or(Value::Null, Value::Float),
            small.map_or(Value::Null, Value::Bool),
        ]);
    }
    let columns = [
        "headline",
        "value",
        "previous",
        "change",
        "p_value",
        "small_sample",
    ]
    .map(String::from)
    .to_vec();
    let section = Section {
        key: "compare".into(),
        report: Report {
            title: "Compared with the previous period".into(),
            table: Table::new(columns, rows),
        },
        groups: vec!["headline".into()],
    };
    // A previous window the data does not reach: every change is from nothing.
    for (section, counts, what) in [
        ("tickets", &["tickets"][..], "tickets"),
        (
            "surveys",
            &["csat_responses", "ces_responses", "nps_responses"][..],
            // Summed over the measures: a response of three scores counts three.
            "survey scores (CSAT, CES and NPS counted apart)",
        ),
    ] {
        let total =
            |d: &Document| -> f64 { (counts.iter()).filter_map(|c| figure(d, section, c)).sum() };
        let now_and_then = (total(&current), total(&previous));
        if !req.quiet && now_and_then.0 > 0.0 && now_and_then.1 == 0.0 {
            crate::say!(
                "cxm: warning: the previous window ({}) holds none of the {what}, where this one holds {}: its changes are from nothing (does the data reach back that far?)",
                shown.describe_window(),
                now_and_then.0
            );
        }
    }
    let mut said = format!("previous: {}", shown.describe_window());
    let unstarted = (req.scope.window.since).is_some_and(|s| s >= req.scope.now);
    if unstarted && reported(&current, "tickets", "tickets") {
        said.push_str("; not tested: tickets (the window starts at or after --now: no time to weigh its count by)");
    }
    for (metric, why) in not_compared {
        said.push_str(&format!("; not compared: {metric} ({why})"));
    }
    Ok((section, said))
}

/// Why churn is not compared.
const BUCKETS: &str =
    "counted by calendar bucket, which only a calendar --period (a month, a quarter…) is";
const SNAPSHOT: &str = "a churn-flag snapshot has no dates, so no previous window";

/// Does `section` of `doc` report `metric` (a column, whatever its value)?
fn reported(doc: &Document, section: &str, metric: &str) -> bool {
    doc.sections
        .iter()
        .find(|s| s.key == section)
        .is_some_and(|s| s.report.table.columns.iter().any(|c| c == metric))
}

/// Every column the comparison can name for `--fail-if` (`csat_pct_change`…), in
/// any time unit: what a rule may ask of it.
pub fn comparison_columns() -> Vec<String> {
    let units = ["hours", "minutes", "seconds"];
    let headlines = HEADLINES
        .iter()
        .flat_map(|(_, metric, _)| units.map(|unit| metric.replace("{unit}", unit)));
    let mut names: Vec<String> = Vec::new();
    for h in headlines {
        for name in ["previous", "change", "p_value", "small_sample"].map(|c| named(&h, c)) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// A compare value's name in the tidy CSV and for `--fail-if`: the headline's own
/// (`csat_pct`), else the headline and the column (`csat_pct_previous`).
pub fn named(headline: &str, column: &str) -> String {
    match column {
        "value" => headline.to_string(),
        other => format!("{headline}_{other}"),
    }
}

/// The compare table as `--fail-if` reads it: one row whose columns are the values
/// named as in the tidy CSV (`csat_pct_change`), the headlines' own values left to
/// their sections (a rule on `csat_pct` is not said twice).
pub fn for_rules(table: &Table) -> Table {
    let Some(headline) = table.columns.iter().position(|c| c == "headline") else {
        return table.clone();
    };
    let (mut columns, mut row) = (Vec::new(), Vec::new());
    for r in table.rows() {
        let name = match r.get(headline) {
            Cell::Text(t) => t.to_string(),
            _ => continue,
        };
        for (i, c) in table.columns.iter().enumerate() {
            if i != headline && c != "value" {
                columns.push(named(&name, c));
                row.push(r.get(i).to_value());
            }
        }
    }
    Table::new(columns, vec![row])
}

/// Does either side's `section` hold several rows (buckets), so no one figure?
fn not_one_bucket(section: &str, current: &Document, previous: &Document) -> bool {
    let rows = |d: &Document| {
        let s = d.sections.iter().find(|s| s.key == section);
        s.map_or(0, |s| s.report.table.height())
    };
    rows(current) > 1 || rows(previous) > 1
}

/// The value of `metric` in the first (only) row of a section; None when the section
/// is missing, has no such column, no value, or more than one row.
fn figure(doc: &Document, section: &str, metric: &str) -> Option<f64> {
    let t = &doc.sections.iter().find(|s| s.key == section)?.report.table;
    if t.height() != 1 {
        return None;
    }
    let i = t.columns.iter().position(|c| c == metric)?;
    match t.rows().next()?.get(i) {
        Cell::Int(n) => Some(n as f64),
        Cell::Float(x) if x.is_finite() => Some(x),
        _ => None,
    }
}
