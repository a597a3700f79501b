//! Ticket metrics from the library API, with a custom metric added to the frame.
//!
//! Computes what `cxm tickets FILE --by team` computes, as a polars `DataFrame`, then
//! adds each team's share of all tickets and prints a CSV.
//!
//!     cargo run --release --example team_share -- sample-data/tickets.csv

use clap::Parser;
use cxm::cli::{Cli, Command, Format};
use cxm::report::{Report, Table};
use polars::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "sample-data/tickets.csv".into());
    let Command::Tickets(args) =
        Cli::try_parse_from(["cxm", "tickets", &path, "--by", "team"])?.command
    else {
        return Err("not a tickets command".into());
    };
    let (metrics, rejected) = cxm::cmd::tickets::compute(&args)?;
    for r in &rejected {
        eprintln!("warning: {r}");
    }
    let with_share = metrics
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
