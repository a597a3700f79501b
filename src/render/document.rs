//! `cxm report` output: a [`Document`] of sections in every format.
//!
//! - table: the header lines, then one titled table per section;
//! - markdown: a `#` title, the header as a list, a `##` heading and table per section;
//! - csv: tidy, one row per value: `section,<group columns>,period,metric,value`, the
//!   group columns being the union over sections (empty where a section lacks one);
//! - json: one object with a key per section, each an array of row objects;
//! - ndjson: one row object per line, with `section` first.

use crate::metrics::PERIOD;
use crate::render::Format;
use crate::render::{csv::guard_formula, json, machine_cell, markdown, table};
use crate::report::{Cell, Document, Report, Section};

/// `doc` in `format`; an HTML page and a Markdown document also show `warnings`
/// (those said on stderr).
pub fn render(doc: &Document, format: Format, width: u16, warnings: &[String]) -> Vec<u8> {
    match format {
        Format::Table => text(doc, width).into_bytes(),
        Format::Markdown => (md(doc) + &markdown::warnings(warnings, "##")).into_bytes(),
        Format::Csv => tidy_csv(doc),
        Format::Json => json_object(doc).into_bytes(),
        Format::Ndjson => ndjson(doc).into_bytes(),
        Format::Html => super::html::document(doc, warnings).into_bytes(),
    }
}

fn text(doc: &Document, width: u16) -> String {
    let mut out = format!("{}\n", crate::text::printable(&doc.title));
    // The lines name the files read: made safe to print, as the cells are.
    for line in &doc.header {
        out.push_str(&format!("  {}\n", crate::text::printable(line)));
    }
    for s in &doc.sections {
        out.push('\n');
        out.push_str(&table::render(&s.report, width));
    }
    out
}

fn md(doc: &Document) -> String {
    let mut out = format!("# {}\n\n", doc.title);
    for line in &doc.header {
        out.push_str(&format!("- {}\n", markdown::escape_item(line)));
    }
    for s in &doc.sections {
        out.push_str(&format!("\n## {}\n\n", markdown::escape(&s.report.title)));
        out.push_str(&markdown::render(&Report {
            title: String::new(),
            table: s.report.table.clone(),
        }));
    }
    out
}

/// The group columns of all sections, in order of first appearance.
/// The group columns of all sections, in `--by`'s order (a section has only those
/// its data has), then any other in the order the sections give them.
fn all_groups(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for g in doc.sections.iter().flat_map(|s| s.groups.iter()) {
        if !out.contains(g) {
            out.push(g.clone());
        }
    }
    let place = |g: &String| doc.by.iter().position(|b| b == g).unwrap_or(usize::MAX);
    // A stable sort: groups `--by` does not name keep their order, after the others.
    out.sort_by_key(place);
    out
}

fn is_metric(s: &Section, column: &str) -> bool {
    column != PERIOD && !s.groups.iter().any(|g| g == column)
}

/// The section of `--compare previous`: one row per headline.
const COMPARE: &str = "compare";

fn tidy_csv(doc: &Document) -> Vec<u8> {
    // The compare section's rows are headlines, not groups: its values are named
    // after them (`csat_pct`, `csat_pct_previous`, …), so the columns stay SPEC §6's.
    let compare = doc.sections.iter().filter(|s| s.key == COMPARE);
    let others = Document {
        by: doc.by.clone(),
        sections: doc
            .sections
            .iter()
            .filter(|s| s.key != COMPARE)
            .cloned()
            .collect(),
        ..Document::default()
    };
    let groups = all_groups(&others);
    let mut header = vec!["section".to_string()];
    header.extend(groups.iter().cloned());
    header.extend(["period", "metric", "value"].map(String::from));
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    let _ = w.write_record(header.iter().map(|h| guard_formula(h)));
    for s in compare {
        let t = &s.report.table;
        let Some(headline) = t.columns.iter().position(|c| c == "headline") else {
            continue;
        };
        for row in t.rows() {
            let name = cell(row.get(headline));
            for (i, c) in t.columns.iter().enumerate().filter(|(i, _)| *i != headline) {
                let mut rec = vec![s.key.clone()];
                rec.extend(groups.iter().map(|_| String::new()));
                rec.push(String::new());
                rec.push(crate::compute::compare::named(&name, c));
                rec.push(cell(row.get(i)));
                let _ = w.write_record(&rec);
            }
        }
    }
    for s in others.sections.iter() {
        let t = &s.report.table;
        let at = |name: &str| t.columns.iter().position(|c| c == name);
        for row in t.rows() {
            let cell = |i: Option<usize>| i.map_or(String::new(), |i| cell(row.get(i)));
            let mut keys = vec![s.key.clone()];
            keys.extend(groups.iter().map(|g| cell(at(g))));
            keys.push(cell(at(PERIOD)));
            for (i, c) in t.columns.iter().enumerate() {
                if is_metric(s, c) {
                    let mut rec = keys.clone();
                    rec.push(c.clone());
                    rec.push(cell(Some(i)));
                    let _ = w.write_record(&rec);
                }
            }
        }
    }
    w.into_inner().unwrap_or_default()
}

fn cell(v: Cell) -> String {
    match v {
        Cell::Text(t) => guard_formula(t),
        other => machine_cell(other),
    }
}

fn json_object(doc: &Document) -> String {
    let parts: Vec<String> = doc
        .sections
        .iter()
        .map(|s| {
            let t = &s.report.table;
            let rows: Vec<String> = t
                .rows()
                .map(|r| format!("    {}", json::object(&t.columns, r.cells())))
                .collect();
            let body = if rows.is_empty() {
                "[]".to_string()
            } else {
                format!("[\n{}\n  ]", rows.join(",\n"))
            };
            format!("  {}: {body}", serde_json::Value::String(s.key.clone()))
        })
        .collect();
    if parts.is_empty() {
        return "{}\n".to_string();
    }
    format!("{{\n{}\n}}\n", parts.join(",\n"))
}

fn ndjson(doc: &Document) -> String {
    let mut out = String::new();
    for s in &doc.sections {
        let t = &s.report.table;
        let mut columns = vec!["section".to_string()];
        columns.extend(t.columns.iter().cloned());
        for r in t.rows() {
            let row = std::iter::once(Cell::Text(&s.key)).chain(r.cells());
            out.push_str(&json::object(&columns, row));
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Table;
    use crate::report::Value;

    fn doc() -> Document {
        let section =
            |key: &str, groups: &[&str], columns: &[&str], rows: Vec<Vec<Value>>| Section {
                key: key.into(),
                report: Report {
                    title: key.into(),
                    table: Table::new(columns.iter().map(|c| c.to_string()).collect(), rows),
                },
                groups: groups.iter().map(|g| g.to_string()).collect(),
            };
        Document {
            title: "CX report".into(),
            header: vec!["window: all".into()],
            sections: vec![
                section(
                    "tickets",
                    &["team"],
                    &["team", "tickets", "sla_pct"],
                    vec![vec![Value::Text("A".into()), Value::Int(2), Value::Null]],
                ),
                section(
                    "churn",
                    &[],
                    &["period", "churn_pct"],
                    vec![vec![Value::Text("2025-03".into()), Value::Float(12.5)]],
                ),
            ],
            previous: None,
            buckets: Vec::new(),
            by: Vec::new(),
        }
    }

    #[test]
    fn tidy_csv_has_one_row_per_value() {
        let out = String::from_utf8(tidy_csv(&doc())).unwrap();
        assert_eq!(
            out,
            "section,team,period,metric,value\n\
             tickets,A,,tickets,2\n\
             tickets,A,,sla_pct,\n\
             churn,,2025-03,churn_pct,12.5\n"
        );
    }

    /// Groups some sections lack keep `--by`'s order: `plan` (the churn section's
    /// alone) first, `region` before `team` though the first section has `team` alone.
    #[test]
    fn groups_keep_their_order_across_sections() {
        let section = |groups: &[&str]| Section {
            key: "s".into(),
            report: Report::default(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        };
        let doc = Document {
            sections: vec![
                section(&["team"]),
                section(&["region", "team"]),
                section(&["plan"]),
                section(&["region", "team", "tier"]),
            ],
            by: ["plan", "region", "team"].map(String::from).to_vec(),
            ..Document::default()
        };
        assert_eq!(all_groups(&doc), ["plan", "region", "team", "tier"]);
    }

    #[test]
    fn json_has_a_key_per_section() {
        let out = json_object(&doc());
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["tickets"][0]["tickets"], 2);
        assert_eq!(v["churn"][0]["churn_pct"], 12.5);
        let nd = ndjson(&doc());
        assert!(nd.starts_with("{\"section\":\"tickets\",\"team\":\"A\""));
        assert_eq!(nd.lines().count(), 2);
    }
}
