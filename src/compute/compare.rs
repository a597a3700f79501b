//! `cxm report --compare previous` (SPEC §12): the headline figures of the whole
//! window beside those of the previous one (the calendar period before a named one,
//! else the window of equal length just before), their changes, two-sided p-values
//! and `small_sample` (fewer than 30 on either side), as the report's first section. The figures are the report's own,
//! ungrouped: the sections computed again over each window without `--by` and
//! buckets when the report has them.

use crate::calendar::{bucket_label, period_unit, previous_window};
use crate::error::Result;
use crate::metrics::surveys::{nps_difference_p, two_proportion_p, SMALL_SAMPLE};
use crate::report::{Cell, Document, Report, Section, Table, Value};
use crate::request::ReportRequest;

/// How a change of a headline is tested.
#[derive(Clone, Copy)]
enum Test {
    /// Not tested (a count, a median).
    None,
    /// A share of `n` (the named column): a pooled two-proportion z-test.
    Share(&'static str),
    /// NPS: a z-test of the difference of two net scores.
    Nps,
}

/// (section, metric, test) of each headline, in order; `{unit}` is the time unit.
const HEADLINES: &[(&str, &str, Test)] = &[
    ("tickets", "tickets", Test::None),
    ("tickets", "first_response_median_{unit}", Test::None),
    ("tickets", "sla_pct", Test::Share("responded")),
    ("surveys", "csat_pct", Test::Share("csat_responses")),
    ("surveys", "nps", Test::Nps),
    ("churn", "churn_pct", Test::Share("customers_start")),
];

/// The comparison section, computed with `compute` (the report's own computation).
pub fn section(
    req: &ReportRequest,
    doc: &Document,
    compute: impl Fn(&ReportRequest) -> Result<Document>,
) -> Result<(Section, String)> {
    let totals = |window, period: Option<String>| -> Result<Document> {
        let mut r = req.clone();
        r.scope.window = window;
        r.scope.period = period;
        r.scope.by = Vec::new();
        r.scope.every = None;
        r.rows.rejects = None;
        r.quiet = true;
        r.ticket_shape = false;
        compute(&r)
    };
    let current = if req.scope.by.is_empty() && req.scope.every.is_none() {
        doc.clone()
    } else {
        totals(req.scope.window.clone(), req.scope.period.clone())?
    };
    let before = previous_window(&req.scope.window, req.scope.period.as_deref(), req.scope.tz)?;
    // A calendar period's predecessor is named as one (`2025-Q3`), so that its churn
    // is bucketed by the same unit as the current one's.
    let label = req
        .scope
        .period
        .as_deref()
        .and_then(period_unit)
        .zip(before.since)
        .map(|(unit, since)| bucket_label(since.with_timezone(&req.scope.tz).date_naive(), unit));
    let mut shown = req.scope.clone();
    shown.window = before.clone();
    shown.period = label.clone();
    let previous = totals(before, label)?;
    let unit = req.time_unit.suffix();
    let mut rows = Vec::new();
    let mut not_compared = Vec::new();
    for &(section, metric, test) in HEADLINES {
        let metric = metric.replace("{unit}", unit);
        let (Some(a), Some(b)) = (
            figure(&current, section, &metric),
            figure(&previous, section, &metric),
        ) else {
            // A window that is no calendar period holds several churn buckets: no one
            // figure to compare, which is said rather than left out without a word.
            if not_one_bucket(section, &current, &previous) {
                not_compared.push(metric.clone());
            }
            continue;
        };
        // Churn is bucketed by calendar unit: only a named period's bucket is the
        // window itself (a 5-day window sits inside its month's bucket).
        if section == "churn" && req.scope.period.is_none() {
            not_compared.push(metric.clone());
            continue;
        }
        // Fewer than 30 on either side: a change too thin to read (SPEC §14).
        let base = match test {
            Test::None => None,
            Test::Share(n) => Some(n),
            Test::Nps => Some("nps_responses"),
        };
        let small = base.and_then(|n| {
            let (n1, n2) = (
                figure(&current, section, n)?,
                figure(&previous, section, n)?,
            );
            Some(n1 < SMALL_SAMPLE || n2 < SMALL_SAMPLE)
        });
        let p = match test {
            Test::None => None,
            Test::Share(n) => {
                let (n1, n2) = (figure(&current, section, n), figure(&previous, section, n));
                n1.zip(n2).and_then(|(n1, n2)| {
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
        let number = |x: f64| match matches!(test, Test::None) && metric == "tickets" {
            true => Value::Int(x as i64),
            false => Value::Float(x),
        };
        rows.push(vec![
            Value::Text(metric.clone()),
            number(a),
            number(b),
            number(a - b),
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
    let mut said = format!("previous: {}", shown.describe_window());
    if !not_compared.is_empty() {
        said.push_str(&format!(
            "; not compared: {} (counted by calendar bucket, which only a --period window is)",
            not_compared.join(", ")
        ));
    }
    Ok((section, said))
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
