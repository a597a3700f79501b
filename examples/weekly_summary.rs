//! A weekly CX summary from the library: last week's key numbers next to the week
//! before, as a Markdown e-mail body. Shows `cxm::compute::report::compute`, which gives
//! the same sections as `cxm report`, as plain tables.
//!
//!     cargo run --release --example weekly_summary -- sample-data 2025-12-10T09:00:00Z
//!
//! The second argument is the clock (default: now); weeks are ISO weeks in UTC.

use chrono::{DateTime, Datelike, Duration, Utc};
use clap::Parser;
use cxm::cli::{Cli, Command};
use cxm::report::{Cell, Document};

/// (section, metric, label) of each number in the summary.
const KEY_NUMBERS: &[(&str, &str, &str)] = &[
    ("tickets", "tickets", "Tickets"),
    (
        "tickets",
        "first_response_median_hours",
        "Median first response (h)",
    ),
    ("tickets", "sla_pct", "First response within SLA (%)"),
    ("surveys", "csat_pct", "CSAT (%)"),
    ("surveys", "nps", "NPS"),
    ("churn", "churn_pct", "Customer churn (%)"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "sample-data".into());
    let now: DateTime<Utc> = match args.next() {
        Some(s) => DateTime::parse_from_rfc3339(&s)?.with_timezone(&Utc),
        None => Utc::now(),
    };
    let monday = now.date_naive() - Duration::days(now.weekday().num_days_from_monday() as i64);
    let week = |d: chrono::NaiveDate| d.format("%G-W%V").to_string();
    let (last, before) = (
        week(monday - Duration::days(7)),
        week(monday - Duration::days(14)),
    );
    let this = numbers(&report(&dir, &last)?);
    let prev = numbers(&report(&dir, &before)?);

    println!("## CX summary, week {last}\n");
    println!("| | {last} | {before} | change |\n|:---|---:|---:|---:|");
    for ((label, a), (_, b)) in this.iter().zip(&prev) {
        let change = match (a, b) {
            (Some(a), Some(b)) => format!("{:+.1}", a - b),
            _ => "–".into(),
        };
        println!("| {label} | {} | {} | {change} |", show(*a), show(*b));
    }
    Ok(())
}

/// `cxm report DIR --period WEEK -q`, computed in-process.
fn report(dir: &str, period: &str) -> Result<Document, Box<dyn std::error::Error>> {
    let cli = Cli::try_parse_from(["cxm", "report", dir, "--period", period, "-q"])?;
    let Command::Report(args) = cli.command else {
        return Err("not a report command".into());
    };
    let (request, _output) = cxm::cmd::report::request(&args, "report")?;
    Ok(cxm::compute::report::compute(&request)?)
}

/// The key numbers of an ungrouped report (first row of each section).
fn numbers(doc: &Document) -> Vec<(&'static str, Option<f64>)> {
    KEY_NUMBERS
        .iter()
        .map(|(section, metric, label)| {
            let value = doc
                .sections
                .iter()
                .find(|s| s.key == *section)
                .and_then(|s| {
                    let t = &s.report.table;
                    let i = t.columns.iter().position(|c| c == metric)?;
                    match t.rows().next()?.get(i) {
                        Cell::Int(n) => Some(n as f64),
                        Cell::Float(x) => Some(x),
                        _ => None,
                    }
                });
            (*label, value)
        })
        .collect()
}

fn show(v: Option<f64>) -> String {
    match v {
        Some(x) if x.fract() == 0.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.1}"),
        None => "–".into(),
    }
}
