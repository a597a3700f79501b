//! The shape of the tickets in the window, for the HTML output (SPEC §12): how long
//! first responses took, in bands, and when tickets arrive, by weekday and hour of
//! the day in `--tz`. Read from the per-ticket view of the same request, so each
//! ticket counts as it does in the ticket metrics.

use chrono::{DateTime, Datelike, Timelike};

use crate::compute::tickets;
use crate::error::Result;
use crate::report::{Section, Table, Value};
use crate::request::TicketsRequest;

/// First-response bands: label and upper bound in seconds, inclusive (exactly 1 h is
/// `0–1h`, as a 1 h SLA target counts it met; the last is open).
const BANDS: &[(&str, f64)] = &[
    ("0–1h", 3600.0),
    ("1–4h", 4.0 * 3600.0),
    ("4–8h", 8.0 * 3600.0),
    ("8–24h", 24.0 * 3600.0),
    (">24h", f64::INFINITY),
];

/// Section keys, which the HTML output draws as a bar chart and a heatmap.
pub const DISTRIBUTION: &str = "first_response_distribution";
pub const HEATMAP: &str = "tickets_by_weekday_hour";

/// The two sections: responded tickets per first-response band, and tickets per
/// weekday (rows, Monday first) and hour (columns `0`…`23`).
pub fn sections(req: &TicketsRequest) -> Result<Vec<Section>> {
    let df = per_ticket(req)?;
    let created = df.column("created_at")?.str()?.clone();
    let unit = req.time_unit;
    let frt = first_response(&df, req)?;
    let mut bands = vec![0i64; BANDS.len()];
    let mut grid = vec![[0i64; 24]; 7];
    for (at, first) in created.iter().zip(frt.iter()) {
        if let Some(t) = at.and_then(|a| DateTime::parse_from_rfc3339(a).ok()) {
            let local = t.with_timezone(&req.scope.tz);
            grid[local.weekday().num_days_from_monday() as usize][local.hour() as usize] += 1;
        }
        // To the millisecond, so a whole hour given in another unit is that hour.
        if let Some(secs) = first.map(|f| (f * unit.seconds() * 1000.0).round() / 1000.0) {
            if let Some(b) = BANDS.iter().position(|(_, upper)| secs <= *upper) {
                bands[b] += 1;
            }
        }
    }
    let distribution = Table::new(
        vec!["first_response".into(), "tickets".into()],
        BANDS
            .iter()
            .zip(&bands)
            .map(|((label, _), n)| vec![Value::Text(label.to_string()), Value::Int(*n)])
            .collect(),
    );
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut columns = vec!["weekday".to_string()];
    columns.extend((0..24).map(|h| format!("{h}")));
    let heat = Table::new(
        columns,
        days.iter()
            .zip(&grid)
            .map(|(day, hours)| {
                let mut row = vec![Value::Text(day.to_string())];
                row.extend(hours.iter().map(|n| Value::Int(*n)));
                row
            })
            .collect(),
    );
    let mut out = Vec::new();
    // No first response at all (none in the data, or none yet): no bands to draw, where
    // zeros would read as "none answered in any band".
    if frt.null_count() < frt.len() {
        out.push(section(
            DISTRIBUTION,
            "First responses",
            distribution,
            "first_response",
        ));
    }
    out.push(section(
        HEATMAP,
        &format!("Tickets by weekday and hour ({})", req.scope.tz.name()),
        heat,
        "weekday",
    ));
    Ok(out)
}

fn section(key: &str, title: &str, table: Table, group: &str) -> Section {
    Section {
        key: key.into(),
        report: crate::report::Report {
            title: title.into(),
            table,
        },
        groups: vec![group.into()],
    }
}

/// The per-ticket view of the request, ungrouped, its rows said by the request's own
/// run.
fn per_ticket(req: &TicketsRequest) -> Result<polars::prelude::DataFrame> {
    let mut r = req.clone();
    r.per_ticket = true;
    r.scope.by = Vec::new();
    r.scope.every = None;
    r.rows.rejects = None;
    r.rows.verbose = false;
    Ok(tickets::compute(&r)?.metrics)
}

fn first_response(
    df: &polars::prelude::DataFrame,
    req: &TicketsRequest,
) -> Result<polars::prelude::Float64Chunked> {
    let frt = df
        .column(&format!("first_response_{}", req.time_unit.suffix()))?
        .cast(&polars::prelude::DataType::Float64)?;
    Ok(frt.f64()?.clone())
}
