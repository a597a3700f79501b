//! Ticket metrics from the library API, with a custom metric added to the frame.
//!
//! Computes what `cxm tickets FILE --by team` computes, from a typed request, as a
//! polars `DataFrame`, then adds each team's share of all tickets and prints a CSV.
//!
//!     cargo run --release --example team_share -- sample-data/tickets.csv

use cxm::calendar::WindowSpec;
use cxm::metrics::tickets::{Keep, TimeUnit};
use cxm::render::Format;
use cxm::report::{Report, Table};
use cxm::request::{RowHandling, Scope, Sources, TicketsRequest};
use polars::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample-data/tickets.csv".into());
    let request = TicketsRequest {
        sources: Sources {
            paths: vec![path.into()],
            ..Sources::default()
        },
        scope: Scope::resolve(
            &WindowSpec::default(),
            "UTC",
            None,
            vec!["team".into()],
            None,
        )?,
        rows: RowHandling::default(),
        time_unit: TimeUnit::Hours,
        sla_secs: 3600.0,
        sla_given: false,
        keep: Keep::Last,
        schedule: None,
        sla_policies: Vec::new(),
        per_ticket: false,
        events: None,
        statuses: Default::default(),
        count_reopened: false,
        compare_bases: false,
    };
    let done = cxm::compute::tickets::compute(&request)?;
    for r in &done.rejected {
        eprintln!("warning: {r}");
    }
    let with_share = done
        .metrics
        .lazy()
        .select([
            col("team"),
            col("tickets"),
            (lit(100.0) * col("tickets").cast(DataType::Float64)
                / col("tickets").sum().cast(DataType::Float64))
            .alias("share_pct"),
            col("sla_pct"),
        ])
        .collect()?;
    let report = Report {
        title: "Share of tickets by team".into(),
        table: Table::from_frame(&with_share, None)?,
    };
    print!(
        "{}",
        String::from_utf8(cxm::render::render(&report, Format::Csv, 100))?
    );
    Ok(())
}
