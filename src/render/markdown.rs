//! Markdown: a heading and a pipe table, ready to paste into a wiki or an email.

use crate::render::{human_header, human_rows};
use crate::report::Report;

fn escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report) -> String {
    let t = &report.table;
    let mut out = String::new();
    if !report.title.is_empty() {
        out.push_str(&format!("### {}\n\n", escape(&report.title)));
    }
    let numeric: Vec<bool> = (0..t.columns.len()).map(|i| t.is_numeric(i)).collect();
    let header: Vec<String> = t.columns.iter().map(|c| escape(&human_header(c))).collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let align: Vec<&str> = numeric
        .iter()
        .map(|&n| if n { "---:" } else { ":---" })
        .collect();
    out.push_str(&format!("|{}|\n", align.join("|")));
    for row in human_rows(t) {
        let cells: Vec<String> = row.iter().map(|v| escape(v)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}
