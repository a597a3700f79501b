//! Every ticket metric by team on 100,000 generated tickets equals DuckDB's
//! independent computation (tests/fixtures/crosscheck/tickets.sql, stored with the
//! script that produced it) to within 1e-6. Compared at full precision through the
//! library, since the CLI rounds to 4 decimals.

use clap::Parser;
use cxm::cli::{Cli, Command};
use polars::prelude::*;

use crate::common::{fixture, parse_csv, Workdir};

#[test]
fn ticket_metrics_by_team_match_duckdb() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["sample", "--out", "s", "--tickets", "100000", "--seed", "7"])
        .assert()
        .success();
    let tickets = wd.path("s/tickets.csv");
    let cli =
        Cli::try_parse_from(["cxm", "tickets", tickets.to_str().unwrap(), "--by", "team"]).unwrap();
    let Command::Tickets(args) = cli.command else {
        panic!("not a tickets command")
    };
    let (df, _rejected) = cxm::cmd::tickets::compute(&args).unwrap();

    let expected = parse_csv(&std::fs::read(fixture("crosscheck/tickets_by_team.csv")).unwrap());
    assert_eq!(
        df.height(),
        expected.len(),
        "groups differ; if the sample generator changed, rerun tests/fixtures/crosscheck/make.sh"
    );
    for (i, want) in expected.iter().enumerate() {
        let team = df.column("team").unwrap().get(i).unwrap();
        assert_eq!(team, AnyValue::String(want["team"].as_str()));
        for (column, value) in want.iter().filter(|(c, _)| c.as_str() != "team") {
            let got = df.column(column).unwrap().cast(&DataType::Float64).unwrap();
            let got = got.f64().unwrap().get(i).unwrap();
            let want: f64 = value.parse().unwrap();
            assert!(
                (got - want).abs() <= 1e-6,
                "{} {column}: cxm {got} vs DuckDB {want}",
                want_team(&df, i)
            );
        }
    }
}

fn want_team(df: &DataFrame, i: usize) -> String {
    df.column("team").unwrap().get(i).unwrap().to_string()
}
