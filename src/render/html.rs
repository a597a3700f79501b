//! HTML for people (SPEC §12): one self-contained page — inline CSS and SVG, no
//! script, nothing fetched — that a browser and a mail client show alike. Each table
//! as a table; with buckets (a `period` column), a line chart per headline metric
//! over them, one line per group; a cohort triangle shaded by its retention.
//! Numbers are those of the tables and Markdown (2 decimals); the charts draw the
//! values at full precision.

use std::fmt::Write;

use super::chart::{bar_chart, escape, line_chart, Series};
use crate::compute::shape::{DISTRIBUTION, HEATMAP};
use crate::metrics::PERIOD;
use crate::render::{human_cell, human_header, human_rows};
use crate::report::{Cell, Document, Report, Table};

use crate::render::HEADLINES;

const STYLE: &str = "body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#222;margin:24px}\
h1{font-size:22px;margin:0 0 8px}h2{font-size:18px;margin:28px 0 8px}\
ul.meta{color:#555;font-size:13px;padding-left:18px;max-width:1100px}\
ul.warnings{color:#8a4b00;background:#fff6e5;border-left:3px solid #e0a030;font-size:13px;padding:6px 8px 6px 26px;max-width:1100px}\
ul.alerts{color:#8f1d1d;background:#fdecea;border-left:3px solid #d93025;font-size:14px;font-weight:600;padding:6px 8px 6px 26px;max-width:1100px}\
table.cx{border-collapse:collapse;font-size:13px;margin:8px 0 16px}\
table.cx th{background:#f2f4f7;text-align:left;padding:4px 8px;border-bottom:1px solid #ccd}\
table.cx td{padding:3px 8px;border-bottom:1px solid #eee;white-space:nowrap}\
table.cx td.n,table.cx th.n{text-align:right;font-variant-numeric:tabular-nums}\
div.wide{overflow-x:auto;max-width:100%;background:linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/40px 100% no-repeat local,radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.25),rgba(0,0,0,0)) right/14px 100% no-repeat scroll}\
table.cx td:first-child{position:sticky;left:0;background:#fff}\
table.cx td.long{white-space:normal;overflow-wrap:anywhere;max-width:40vw;min-width:min(14em,40vw)}\
table.cx th:first-child{position:sticky;left:0}\
table.cx td.none,p.none{color:#777;font-style:italic}\
table.cx td.better{color:#17753a;font-weight:600}table.cx td.worse{color:#b3261e;font-weight:600}\
p.note{color:#555;font-size:12px;margin:0 0 16px}\
svg.chart{display:inline-block;margin:8px 16px 8px 0;vertical-align:top;max-width:100%;height:auto}\
@media print{div.wide{overflow:visible}table.cx{font-size:9px}table.cx td,table.cx th{white-space:normal;padding:2px 4px}table.cx td.period{white-space:nowrap}h1,h2,h3{break-after:avoid}}";

/// Characters past which a table's first cell is a long name, given room to wrap.
const LONG_NAME: usize = 16;

/// One command's report as a page, `about` (what it covers) and the run's `warnings`
/// under its title.
pub fn report(report: &Report, about: &[String], warnings: &[String]) -> String {
    let mut body = String::new();
    if !report.title.is_empty() {
        let _ = write!(body, "<h1>{}</h1>", escape(&report.title));
    }
    meta(&mut body, about);
    warned(&mut body, warnings);
    section(
        &mut body,
        ("", &report.table),
        &groups_before_period(&report.table),
        None,
        &PageGroups::default(),
    );
    page(&report.title, &body)
}

/// `cxm report`'s document as a page: its header as a list, the run's `warnings`, a
/// heading, charts and a table per section.
pub fn document(doc: &Document, warnings: &[String]) -> String {
    let mut body = format!("<h1>{}</h1>", escape(&doc.title));
    meta(&mut body, &doc.header);
    warned(&mut body, warnings);
    let page_groups = PageGroups::default();
    for s in &doc.sections {
        let _ = write!(body, "<h2>{}</h2>", escape(&s.report.title));
        let before = doc.previous.as_ref().and_then(|p| {
            let section = p.sections.iter().find(|b| b.key == s.key)?;
            Some(Before {
                table: &section.report.table,
                buckets: &p.buckets,
                current: &doc.buckets,
            })
        });
        section(
            &mut body,
            (&s.key, &s.report.table),
            &s.groups,
            before,
            &page_groups,
        );
    }
    page(&doc.title, &body)
}

/// Lines of what a page covers, as a list (none: nothing).
fn meta(body: &mut String, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    body.push_str("<ul class=\"meta\">");
    for line in lines {
        let _ = write!(body, "<li>{}</li>", escape(line));
    }
    body.push_str("</ul>");
}

/// The run's warnings, as lists of their own (none: nothing): the `--fail-if`
/// alerts first, in red (the run failed on them), then the other warnings.
fn warned(body: &mut String, warnings: &[String]) {
    for class in ["alerts", "warnings"] {
        let mut listed = warnings
            .iter()
            .map(|w| (super::warning_label(w), w))
            .filter(|(label, _)| (*label == "alert") == (class == "alerts"))
            .peekable();
        if listed.peek().is_none() {
            continue;
        }
        let _ = write!(body, "<ul class=\"{class}\">");
        for (label, warning) in listed {
            let _ = write!(body, "<li>{label}: {}</li>", escape(warning));
        }
        body.push_str("</ul>");
    }
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title><style>{STYLE}</style></head><body>{body}</body></html>\n",
        escape(title)
    )
}

/// The group columns of a single command's table: the text columns before `period`.
fn groups_before_period(t: &Table) -> Vec<String> {
    match t.columns.iter().position(|c| c == PERIOD) {
        Some(p) => t.columns[..p].to_vec(),
        None => Vec::new(),
    }
}

/// Charts (when the table has buckets, or is the first-response bands), then the
/// table (shaded, for a cohort triangle or the arrivals by weekday and hour).
/// `before`: the same table over the previous window (`report --compare previous`),
/// drawn as one more line, bucket by bucket.
/// The groups the page's charts have drawn so far, in order: a group's colour is its
/// place here.
type PageGroups = std::cell::RefCell<Vec<String>>;

fn section(
    out: &mut String,
    (key, t): (&str, &Table),
    groups: &[String],
    before: Option<Before>,
    page_groups: &PageGroups,
) {
    if let Some(period) = t.columns.iter().position(|c| c == PERIOD) {
        for chart in charts(t, period, groups, before, page_groups) {
            out.push_str(&chart);
        }
    }
    if key == DISTRIBUTION {
        let labels: Vec<String> = t.rows().map(|r| text(r.get(0))).collect();
        let values: Vec<f64> = t.rows().map(|r| number(r.get(1)).unwrap_or(0.0)).collect();
        if let Some(chart) = bar_chart("responded tickets by first response", &labels, &values) {
            out.push_str(&chart);
        }
    }
    // The arrivals of a window without tickets: a grid of zeros says less than this.
    let arrivals = key == HEATMAP;
    if arrivals
        && t.rows()
            .all(|r| r.cells().all(|c| number(c).is_none_or(|v| v == 0.0)))
    {
        out.push_str("<p class=\"none\">No tickets arrived in the window.</p>");
        return;
    }
    table(out, t, arrivals);
}

/// A line chart per headline metric of the table, over its buckets, a line per group.
fn charts(
    t: &Table,
    period: usize,
    groups: &[String],
    before: Option<Before>,
    page_groups: &PageGroups,
) -> Vec<String> {
    // `--by group` reads the file's `Group`: its column is found in any case.
    let group_at: Vec<usize> = groups
        .iter()
        .filter_map(|g| {
            (t.columns.iter().position(|c| c == g))
                .or_else(|| (t.columns.iter()).position(|c| crate::text::same_in_any_case(c, g)))
        })
        .collect();
    let mut buckets: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut cells: Vec<(usize, usize, usize)> = Vec::new(); // (row, group, bucket)
    for (r, row) in t.rows().enumerate() {
        let label = text(row.get(period));
        let b = match buckets.iter().position(|x| *x == label) {
            Some(b) => b,
            None => {
                buckets.push(label);
                buckets.len() - 1
            }
        };
        // A group without a value is named as the table names it.
        let name: Vec<String> = (group_at.iter())
            .map(|&i| match row.get(i) {
                Cell::Null => "–".to_string(),
                other => text(other),
            })
            .collect();
        let name = if name.is_empty() {
            "all".to_string()
        } else {
            name.join(" · ")
        };
        let g = match names.iter().position(|x| *x == name) {
            Some(g) => g,
            None => {
                names.push(name);
                names.len() - 1
            }
        };
        cells.push((r, g, b));
    }
    // Every bucket from the first to the last, those no row has too: the x axis is
    // time, and a month without tickets is a gap, not squeezed out.
    let mut labels = crate::calendar::timeline(&buckets);
    // One bucket is no line over time, only a dot (beside the previous window's
    // line, whatever its buckets): the table says it.
    if labels.len() < 2 {
        return Vec::new();
    }
    // Beside the previous window: every bucket of the window, and past its last the
    // places of the previous window's further buckets (31 days of January beside
    // February's 28), unlabelled.
    let before = before.filter(|_| group_at.is_empty());
    let aligned = before.is_some_and(|b| b.aligned(&labels));
    if let Some(b) = before.filter(|_| aligned) {
        labels = b.current.to_vec();
        labels.resize(b.current.len().max(b.buckets.len()), String::new());
    }
    let rank: Vec<usize> = buckets
        .iter()
        .map(|b| labels.iter().position(|l| l == b).unwrap_or(0))
        .collect();
    let rows: Vec<_> = t.rows().collect();
    // Each group's size over the table, by its first count column (else its rows):
    // the groups drawn, and their colours, are the same in every chart.
    let size_at = [
        "tickets",
        "csat_responses",
        "nps_responses",
        "ces_responses",
    ]
    .iter()
    .find_map(|c| t.columns.iter().position(|x| x == c));
    let mut weights = vec![0.0; names.len()];
    for &(r, g, _) in &cells {
        weights[g] += size_at.map_or(1.0, |at| number(rows[r].get(at)).unwrap_or(0.0));
    }
    // A group keeps its colour across the page's sections (a team in the tickets'
    // charts and the surveys'): its place among the page's groups, the biggest of
    // each table first, so that those drawn have colours of their own.
    if !group_at.is_empty() {
        let mut by_size: Vec<usize> = (0..names.len()).collect();
        by_size.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]));
        let mut seen = page_groups.borrow_mut();
        for g in by_size {
            if !seen.contains(&names[g]) {
                seen.push(names[g].clone());
            }
        }
    }
    let colours: Vec<Option<usize>> = (names.iter())
        .map(|n| {
            let seen = page_groups.borrow();
            (!group_at.is_empty())
                .then(|| seen.iter().position(|s| s == n))
                .flatten()
        })
        .collect();
    chart_metrics(t)
        .into_iter()
        .filter_map(|metric| {
            let at = t.columns.iter().position(|c| c == metric)?;
            let mut series: Vec<Series> = names
                .iter()
                .zip(&weights)
                .zip(&colours)
                .map(|((n, w), colour)| Series {
                    name: n.clone(),
                    values: vec![None; labels.len()],
                    weight: Some(*w),
                    labels: None,
                    colour: *colour,
                })
                .collect();
            for &(r, g, b) in &cells {
                series[g].values[rank[b]] = number(rows[r].get(at));
            }
            if let Some(b) = before {
                series.push(previous_series(&b, metric, labels.len(), aligned));
            }
            line_chart(&human_header(metric), &labels, &series, metric == "tickets")
        })
        .collect()
}

/// The metrics drawn over the buckets: the headlines, where SLA policies were asked
/// for their attainment (first response, then resolution) in place of the calendar
/// target's `sla_pct`, which the table still gives.
fn chart_metrics(t: &Table) -> Vec<&'static str> {
    const POLICY: [&str; 2] = ["sla_first_response_pct", "sla_resolution_pct"];
    let has_policy = POLICY.iter().any(|p| t.columns.iter().any(|c| c == p));
    HEADLINES
        .iter()
        .flat_map(|&m| match m == "sla_pct" && has_policy {
            true => POLICY.to_vec(),
            false => vec![m],
        })
        .collect()
}

/// A section's table over the previous window, and the buckets of both windows
/// (see [`Document::buckets`]).
#[derive(Clone, Copy)]
struct Before<'a> {
    table: &'a Table,
    buckets: &'a [String],
    current: &'a [String],
}

impl Before<'_> {
    /// Both windows' buckets are known, and the chart's `labels` are among the
    /// current window's.
    fn aligned(&self, labels: &[String]) -> bool {
        !self.current.is_empty()
            && !self.buckets.is_empty()
            && labels.iter().all(|l| self.current.contains(l))
    }
}

/// The previous window's values of `metric` at the chart's `places`: its k-th
/// bucket beside the current window's k-th when `aligned` (the chart's places are
/// the window's buckets), else its k-th row at the k-th place.
fn previous_series(before: &Before, metric: &str, places: usize, aligned: bool) -> Series {
    let prev = before.table;
    let mut values = vec![None; places];
    let mut own = vec![String::new(); places];
    if let (Some(p), Some(at)) = (
        prev.columns.iter().position(|c| c == PERIOD),
        prev.columns.iter().position(|c| c == metric),
    ) {
        let mut rows: Vec<(String, Option<f64>)> = prev
            .rows()
            .map(|r| (text(r.get(p)), number(r.get(at))))
            .collect();
        if aligned {
            for (label, v) in rows {
                let k = before.buckets.iter().position(|b| *b == label);
                if let Some(k) = k.filter(|&k| k < places) {
                    (values[k], own[k]) = (v, label);
                }
            }
        } else {
            rows.sort_by(|a, b| a.0.cmp(&b.0));
            for ((slot, name), (label, v)) in values.iter_mut().zip(&mut own).zip(rows) {
                (*slot, *name) = (v, label);
            }
        }
    }
    Series {
        name: "previous period".into(),
        values,
        weight: Some(f64::INFINITY),
        labels: Some(own),
        colour: None,
    }
}

fn table(out: &mut String, t: &Table, arrivals: bool) {
    if t.height() == 1
        && t.columns.len() > ONE_ROW_WIDE
        && (0..t.columns.len()).all(|i| !t.is_text(i))
    {
        return one_row(out, t);
    }
    let numeric: Vec<bool> = (0..t.columns.len()).map(|i| t.is_numeric(i)).collect();
    // A cohort triangle: the age columns (`0`, `1`, …) shaded by retention; the
    // arrivals: the hour columns by their share of the busiest hour.
    let triangle = t.columns.iter().any(|c| c == "customers");
    let heat: Vec<bool> = t
        .columns
        .iter()
        .map(|c| (triangle || arrivals) && !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let busiest = match arrivals {
        true => t
            .rows()
            .flat_map(|r| (1..t.columns.len()).filter_map(move |i| number(r.get(i))))
            .fold(0.0, f64::max)
            .max(1.0),
        false => 100.0,
    };
    // A table wider than the page scrolls in its own box, its first column kept in
    // view; a shadow at the box's right edge shows there is more (`div.wide`: it
    // scrolls away with the table's end).
    out.push_str("<div class=\"wide\"><table class=\"cx\"><thead><tr>");
    for (c, n) in super::human_headers(t).iter().zip(&numeric) {
        let class = if *n { " class=\"n\"" } else { "" };
        let _ = write!(out, "<th{class}>{}</th>", escape(c));
    }
    out.push_str("</tr></thead><tbody>");
    // Compared changes, each with its arrow and, where the test tells it from noise,
    // its colour: the compare section's (its metric named in the row) and
    // `surveys --compare`'s `…_delta` columns.
    let at = |name: &str| t.columns.iter().position(|c| c == name);
    // Each change column's p-value column, if any.
    let changes: Vec<Option<Option<usize>>> = (t.columns.iter())
        .map(|c| match (c.as_str(), at("headline")) {
            ("change", Some(_)) => Some(at("p_value")),
            (c, _) => c.strip_suffix("_delta").map(|of| {
                let tests = crate::metrics::surveys::TESTS;
                tests
                    .iter()
                    .find(|(_, m)| *m == of)
                    .and_then(|(p, _)| at(p))
            }),
        })
        .collect();
    let headline = at("headline");
    for (row, shown) in t.rows().zip(human_rows(t)) {
        out.push_str("<tr>");
        for (i, (cell, text)) in row.cells().zip(&shown).enumerate() {
            if let Some(p) = changes[i] {
                let metric = match headline {
                    Some(h) if t.columns[i] == "change" => self::text(row.get(h)),
                    _ => t.columns[i].trim_end_matches("_delta").to_string(),
                };
                let p = p.and_then(|p| number(row.get(p)));
                let small = small_sample(t, row, &metric);
                let (arrow, class) = change_mark(&metric, number(cell), p, small);
                let _ = write!(out, "<td class=\"n{class}\">{}{arrow}</td>", escape(text));
                continue;
            }
            // A long first cell (a group's name) gets room to wrap at its spaces
            // rather than be squeezed to a few letters a line.
            let class = match (numeric[i], i == 0 && text.chars().count() > LONG_NAME) {
                (true, _) => " class=\"n\"",
                (false, true) => " class=\"long\"",
                // A bucket's label (`2025-W03`) is never broken at its hyphen, even
                // in print, where other cells wrap.
                _ if matches!(t.columns[i].as_str(), "period" | "cohort") => " class=\"period\"",
                _ => "",
            };
            let style = match (heat[i], number(cell)) {
                (true, Some(v)) => format!(" style=\"background:{}\"", shade(100.0 * v / busiest)),
                _ => String::new(),
            };
            let _ = write!(
                out,
                "<td{class}{style}>{}</td>",
                super::spaces_kept(escape(text))
            );
        }
        out.push_str("</tr>");
    }
    if t.height() == 0 {
        let _ = write!(
            out,
            "<tr><td colspan=\"{}\" class=\"none\">no rows</td></tr>",
            t.columns.len().max(1)
        );
    }
    out.push_str("</tbody></table></div>");
    if changes.iter().any(Option::is_some) {
        out.push_str(CHANGE_NOTE);
    }
}

/// What a change's arrow and colour say.
const CHANGE_NOTE: &str = "<p class=\"note\">▲ ▼ which way a figure moved; green for better, red for worse where its p-value is below 0.05 and neither side is a small sample (a move the test tells from noise); uncoloured otherwise, or where no test applies.</p>";

/// Is `metric`'s comparison in this row of small samples? Its own measure's
/// responses on each side where the table has them (`surveys --compare` flags a row
/// whose any measure is small: 5 NPS answers beside 100 of CSAT), else the row's
/// `small_sample` (the compare section's, one a headline).
fn small_sample(t: &Table, row: crate::report::Row, metric: &str) -> bool {
    let at = |name: &str| t.columns.iter().position(|c| c == name);
    let measure = metric.split('_').next().unwrap_or(metric);
    let counts = at(&format!("{measure}_responses")).zip(at(&format!("{measure}_responses_prev")));
    match counts {
        Some((now, before)) => [now, before]
            .iter()
            .any(|&i| number(row.get(i)).is_none_or(|n| n < crate::metrics::surveys::SMALL_SAMPLE)),
        None => at("small_sample").is_some_and(|i| matches!(row.get(i), Cell::Bool(true))),
    }
}

/// A compared change's arrow (by its direction, as shown to 2 decimals) and its
/// class and title: `better` or `worse` where `metric` has a better way to move and
/// the change is significant (p < 0.05, and no `small` sample, where the test's
/// approximation is rough); none for noise or an untested figure.
fn change_mark(
    metric: &str,
    change: Option<f64>,
    p: Option<f64>,
    small: bool,
) -> (&'static str, &'static str) {
    let Some(change) = change.map(|c| super::rounded(c, 2)).filter(|c| *c != 0.0) else {
        return ("", "");
    };
    let arrow = if change > 0.0 { " ▲" } else { " ▼" };
    let significant = !small && p.is_some_and(|p| p < 0.05);
    let class = match super::rise_is_better(metric) {
        Some(rise) if significant && (change > 0.0) == rise => {
            r#" better" title="better, p < 0.05"#
        }
        Some(_) if significant => r#" worse" title="worse, p < 0.05"#,
        _ => "",
    };
    (arrow, class)
}

/// Columns past which a table of one row (no groups, no buckets) is laid out down
/// the page: a figure a row, not a row wider than the page (and cut in print).
const ONE_ROW_WIDE: usize = 12;

/// A table of one row, a figure a row. Compared (`surveys --compare previous`): each
/// figure beside its previous window's value and its change, then the tests.
fn one_row(out: &mut String, t: &Table) {
    let headers = super::human_headers(t);
    let shown = human_rows(t).into_iter().next().unwrap_or_default();
    let at = |name: &str| t.columns.iter().position(|c| c == name);
    let cell = |i: Option<usize>| i.and_then(|i| shown.get(i)).map_or("", String::as_str);
    let compared = t.columns.iter().any(|c| c.ends_with("_prev"));
    let tests = crate::metrics::surveys::TESTS;
    let tested = |c: &str| {
        tests
            .iter()
            .find(|(_, of)| *of == c)
            .and_then(|(p, _)| at(p))
    };
    let twin = |c: &str| {
        ["_prev", "_delta"].iter().any(|s| c.ends_with(s)) || tests.iter().any(|(p, _)| *p == c)
    };
    out.push_str(
        r#"<div class="wide"><table class="cx"><thead><tr><th>metric</th><th class="n">value</th>"#,
    );
    if compared {
        out.push_str(
            r#"<th class="n">previous</th><th class="n">change</th><th class="n">p-value</th>"#,
        );
    }
    out.push_str("</tr></thead><tbody>");
    for (i, c) in t.columns.iter().enumerate() {
        if compared && twin(c) {
            continue;
        }
        let _ = write!(
            out,
            r#"<tr><td>{}</td><td class="n">{}</td>"#,
            escape(&headers[i]),
            escape(cell(Some(i)))
        );
        if compared {
            let delta = at(&format!("{c}_delta"));
            let value = |i: Option<usize>| i.and_then(|i| number(t.row(0).get(i)));
            let small = small_sample(t, t.row(0), c);
            let (arrow, class) = change_mark(c, value(delta), value(tested(c)), small);
            let _ = write!(
                out,
                r#"<td class="n">{}</td><td class="n{class}">{}{arrow}</td><td class="n">{}</td>"#,
                escape(cell(at(&format!("{c}_prev")))),
                escape(cell(delta)),
                escape(cell(tested(c)))
            );
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    if compared {
        out.push_str(CHANGE_NOTE);
    }
}

/// A retention % as a background: white at 0, full blue at 100.
fn shade(pct: f64) -> String {
    let t = (pct / 100.0).clamp(0.0, 1.0);
    let mix = |from: f64, to: f64| (from + (to - from) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(255.0, 99.0),
        mix(255.0, 155.0),
        mix(255.0, 220.0)
    )
}

fn number(c: Cell) -> Option<f64> {
    match c {
        Cell::Int(i) => Some(i as f64),
        Cell::Float(f) if f.is_finite() => Some(f),
        _ => None,
    }
}

fn text(c: Cell) -> String {
    match c {
        Cell::Text(t) => t.to_string(),
        Cell::Null => String::new(),
        other => human_cell(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Value;

    #[test]
    fn buckets_give_a_chart_per_headline_and_a_line_per_group() {
        let columns = ["team", "period", "tickets", "sla_pct"]
            .map(String::from)
            .to_vec();
        let rows = vec![
            vec![
                Value::Text("a".into()),
                Value::Text("2025-01".into()),
                Value::Int(3),
                Value::Float(50.0),
            ],
            vec![
                Value::Text("a".into()),
                Value::Text("2025-02".into()),
                Value::Int(4),
                Value::Null,
            ],
            vec![
                Value::Text("b".into()),
                Value::Text("2025-02".into()),
                Value::Int(1),
                Value::Float(100.0),
            ],
        ];
        let page = report(
            &Report {
                title: "Tickets".into(),
                table: Table::new(columns, rows),
            },
            &[],
            &[],
        );
        assert_eq!(page.matches("<svg class=\"chart\"").count(), 2);
        // tickets: a has both months; b only February, a single point.
        assert!(page.contains("<circle"), "{page}");
        for external in ["<script", "src=", "href=", "url("] {
            assert!(!page.contains(external), "{external}");
        }
        assert_eq!(page.matches("<tr>").count(), 4);
    }

    /// One row of many figures is laid out a figure a row; compared, each beside its
    /// previous value, its change and the p-value that tests it.
    /// Arrows by the direction shown; colours by the better way where the test says
    /// the move is no noise.
    #[test]
    fn changes_are_marked_by_direction_and_colour() {
        let worse = r#" worse" title="worse, p < 0.05"#;
        let better = r#" better" title="better, p < 0.05"#;
        for (metric, change, p, small, expected) in [
            ("csat_pct", Some(-43.0), Some(0.001), false, (" ▼", worse)),
            ("nps", Some(61.0), Some(0.001), false, (" ▲", better)),
            ("churn_pct", Some(-2.0), Some(0.01), false, (" ▼", better)),
            ("churn_pct", Some(0.86), Some(0.67), false, (" ▲", "")),
            ("csat_pct", Some(-43.0), Some(0.001), true, (" ▼", "")),
            (
                "first_response_median_hours",
                Some(0.06),
                None,
                false,
                (" ▲", ""),
            ),
            ("tickets", Some(120.0), Some(0.001), false, (" ▲", "")),
            ("tickets", Some(0.0), None, false, ("", "")),
            ("csat_pct", Some(0.004), Some(0.001), false, ("", "")),
            ("csat_pct", None, None, false, ("", "")),
        ] {
            assert_eq!(
                change_mark(metric, change, p, small),
                expected,
                "{metric} {change:?}"
            );
        }
    }

    #[test]
    fn one_row_of_many_figures_runs_down_the_page() {
        let mut columns: Vec<String> = [
            "csat_pct",
            "csat_pct_prev",
            "csat_pct_delta",
            "csat_delta_p",
        ]
        .map(String::from)
        .to_vec();
        let mut row = vec![
            Value::Float(66.15),
            Value::Float(66.46),
            Value::Float(-0.31),
            Value::Float(0.93),
        ];
        for k in 0..10 {
            columns.push(format!("n{k}"));
            row.push(Value::Int(k));
        }
        let page = report(
            &Report {
                title: "Surveys".into(),
                table: Table::new(columns, vec![row]),
            },
            &[],
            &[],
        );
        let want = r#"<tr><td>csat %</td><td class="n">66.15</td><td class="n">66.46</td><td class="n">-0.31 ▼</td><td class="n">0.9300</td></tr>"#;
        assert!(page.contains(want), "{page}");
        assert!(
            page.contains(r#"<tr><td>n9</td><td class="n">9</td>"#),
            "{page}"
        );
        assert!(!page.contains("csat % prev"), "{page}");
    }

    /// A group without a value is named `–` in the legend and the tooltips, as in the
    /// table, not left blank.
    #[test]
    fn a_group_without_a_value_is_named() {
        let columns = ["team", "period", "tickets"].map(String::from).to_vec();
        let row = |team: Value, period: &str, n: i64| {
            vec![team, Value::Text(period.into()), Value::Int(n)]
        };
        let rows = vec![
            row(Value::Null, "2025-01", 1),
            row(Value::Null, "2025-02", 2),
            row(Value::Text("a".into()), "2025-01", 3),
            row(Value::Text("a".into()), "2025-02", 4),
        ];
        let page = report(
            &Report {
                title: "Tickets".into(),
                table: Table::new(columns, rows),
            },
            &[],
            &[],
        );
        assert!(page.contains("<title>–: 2025-01: 1</title>"), "{page}");
        assert!(!page.contains("<title>: "), "{page}");
    }

    /// February beside January, day by day: January's k-th day at February's k-th
    /// place, its 29th to 31st past February's end (31 places in all, 28 labelled),
    /// and February's first days without tickets keep their places. On the 520-wide
    /// chart (56 left, 160 right margin) place k is at x = 56 + 304 × k ÷ 30. A
    /// January point's tooltip names its own day.
    #[test]
    fn the_previous_window_lines_up_bucket_by_bucket() {
        let table = |rows: &[(&str, i64)]| {
            let columns = ["period", "tickets"].map(String::from).to_vec();
            let rows = rows
                .iter()
                .map(|(p, n)| vec![Value::Text(p.to_string()), Value::Int(*n)])
                .collect();
            Table::new(columns, rows)
        };
        let days = |month: u32, last: u32| -> Vec<String> {
            (1..=last)
                .map(|d| format!("2025-{month:02}-{d:02}"))
                .collect()
        };
        let now = table(&[("2025-02-03", 5), ("2025-02-04", 6)]);
        let then = table(&[("2025-01-01", 1), ("2025-01-15", 15), ("2025-01-31", 31)]);
        let (feb, jan) = (days(2, 28), days(1, 31));
        let before = Before {
            table: &then,
            buckets: &jan,
            current: &feb,
        };
        let charts = charts(&now, 0, &[], Some(before), &PageGroups::default());
        assert_eq!(charts.len(), 1);
        let chart = &charts[0];
        let x = |k: f64| format!("{:.1}", 56.0 + 304.0 * k / 30.0);
        // January's three days, each alone: dots at places 0, 14 and 30.
        for k in [0.0, 14.0, 30.0] {
            assert!(
                chart.contains(&format!("<circle cx=\"{}\"", x(k))),
                "{k}: {chart}"
            );
        }
        // February's 3rd and 4th: a line at places 2 and 3.
        let points = chart.split("points=\"").nth(1).unwrap();
        let xs: Vec<&str> = points[..points.find('"').unwrap()]
            .split(' ')
            .map(|p| p.split(',').next().unwrap())
            .collect();
        assert_eq!(xs, [x(2.0), x(3.0)], "{chart}");
        // The last label is February's last day, at its place.
        assert!(
            chart.contains(&format!("<text x=\"{}\"", x(27.0))),
            "{chart}"
        );
        assert!(chart.contains(">2025-02-28<"), "{chart}");
        assert!(
            chart.contains("<title>previous period: 2025-01-31: 31</title>"),
            "{chart}"
        );
    }

    /// Eleven teams: the seven with the most tickets are drawn in every chart, in the
    /// same colours, whatever each chart's own values. Team gK has K + 1 tickets in
    /// each of two months, and an SLA % that falls as K rises (the small teams' sums
    /// are the largest there).
    #[test]
    fn every_chart_draws_the_same_groups_in_the_same_colours() {
        let columns = ["team", "period", "tickets", "sla_pct"]
            .map(String::from)
            .to_vec();
        let mut rows = Vec::new();
        for k in 0..11 {
            for month in ["2025-01", "2025-02"] {
                rows.push(vec![
                    Value::Text(format!("g{k:02}")),
                    Value::Text(month.into()),
                    Value::Int(k + 1),
                    Value::Float(100.0 - 5.0 * k as f64),
                ]);
            }
        }
        let page = report(
            &Report {
                title: "Tickets".into(),
                table: Table::new(columns, rows),
            },
            &[],
            &[],
        );
        let charts: Vec<&str> = page.split("<svg class=\"chart\"").skip(1).collect();
        assert_eq!(charts.len(), 2);
        // Each legend entry: its colour, then the group's name.
        let legend = |svg: &str| -> Vec<(String, String)> {
            svg.split("<rect x=")
                .skip(1)
                .filter_map(|entry| {
                    let colour = entry.split("fill=\"").nth(1)?.split('"').next()?;
                    let name = entry.split("<title>").nth(1)?.split('<').next()?;
                    Some((colour.to_string(), name.to_string()))
                })
                .collect()
        };
        let (tickets, sla) = (legend(charts[0]), legend(charts[1]));
        let names: Vec<&str> = tickets.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["g04", "g05", "g06", "g07", "g08", "g09", "g10"]);
        assert_eq!(tickets, sla);
    }

    /// A group has one colour on the whole page: south, drawn second in the tickets'
    /// charts (fewer tickets than north), is alone in the surveys' and keeps its
    /// colour there.
    #[test]
    fn a_group_keeps_its_colour_across_sections() {
        let table = |figures: [&str; 2], rows: &[(&str, i64)]| {
            let mut columns = vec!["team".to_string(), "period".to_string()];
            columns.extend(figures.map(String::from));
            let mut out = Vec::new();
            for (team, n) in rows {
                for month in ["2025-01", "2025-02"] {
                    out.push(vec![
                        Value::Text(team.to_string()),
                        Value::Text(month.into()),
                        Value::Int(*n),
                        Value::Float(50.0),
                    ]);
                }
            }
            Table::new(columns, out)
        };
        let section = |key: &str, table: Table| crate::report::Section {
            key: key.into(),
            report: Report {
                title: key.into(),
                table,
            },
            groups: vec!["team".into()],
        };
        let doc = Document {
            title: "Report".into(),
            sections: vec![
                section(
                    "tickets",
                    table(["tickets", "sla_pct"], &[("north", 5), ("south", 2)]),
                ),
                section(
                    "surveys",
                    table(["csat_responses", "csat_pct"], &[("south", 3)]),
                ),
            ],
            ..Default::default()
        };
        let page = document(&doc, &[]);
        let colour_of = |svg: &str, name: &str| -> Option<String> {
            (svg.split("<rect x=").skip(1)).find_map(|entry| {
                let colour = entry.split("fill=\"").nth(1)?.split('"').next()?;
                let named = entry.split("<title>").nth(1)?.split('<').next()?;
                (named == name).then(|| colour.to_string())
            })
        };
        let charts: Vec<&str> = page.split("<svg class=\"chart\"").skip(1).collect();
        let south: Vec<Option<String>> = charts.iter().map(|c| colour_of(c, "south")).collect();
        assert_eq!(south.len(), 3, "{page}");
        assert!(south[0].is_some());
        assert!(south.iter().all(|c| *c == south[0]), "{south:?}");
        assert_ne!(colour_of(charts[0], "north"), south[0]);
    }

    #[test]
    fn a_triangle_is_shaded_by_retention() {
        let columns = ["cohort", "customers", "0", "1"].map(String::from).to_vec();
        let rows = vec![vec![
            Value::Text("2025-01".into()),
            Value::Int(10),
            Value::Float(100.0),
            Value::Float(0.0),
        ]];
        let mut out = String::new();
        table(&mut out, &Table::new(columns, rows), false);
        assert!(out.contains("background:#639bdc"), "{out}");
        assert!(out.contains("background:#ffffff"), "{out}");
    }
}
