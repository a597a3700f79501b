//! Metrics on generated data equal DuckDB's independent computation (the SQL in
//! tests/fixtures/crosscheck, stored with the script that produced each answer) to
//! within 1e-6. Compared at full precision through the library, since the CLI rounds
//! to 4 decimals.

use std::collections::HashMap;

use clap::Parser;
use cxm::cli::{Cli, Command};
use polars::prelude::*;

use crate::common::{fixture, parse_csv, Workdir};

fn command(args: &[&str]) -> Command {
    let mut argv = vec!["cxm"];
    argv.extend_from_slice(args);
    Cli::try_parse_from(argv).unwrap().command
}

/// Every numeric column of `want` (rows keyed by `key`) equals the same row of `df`
/// to within `tolerance`.
fn assert_matches(
    df: &DataFrame,
    want: &[&HashMap<String, String>],
    key: Option<&str>,
    tolerance: f64,
) {
    assert_eq!(
        df.height(),
        want.len(),
        "groups differ; if the sample generator changed, rerun tests/fixtures/crosscheck/make.sh"
    );
    for (i, row) in want.iter().enumerate() {
        if let Some(k) = key {
            let got = df.column(k).unwrap().get(i).unwrap();
            assert_eq!(got, AnyValue::String(row[k].as_str()));
        }
        for (column, value) in row.iter().filter(|(c, _)| {
            Some(c.as_str()) != key && !["team", "period", "cohort"].contains(&c.as_str())
        }) {
            let got = df.column(column).unwrap().cast(&DataType::Float64).unwrap();
            let got = got.f64().unwrap().get(i);
            if value.is_empty() {
                assert_eq!(got, None, "row {i} {column}: the reference is empty");
                continue;
            }
            let got = got.unwrap_or_else(|| panic!("row {i} {column}: cxm has no value"));
            let want: f64 = value.parse().unwrap();
            assert!(
                (got - want).abs() <= tolerance,
                "row {i} {column}: cxm {got} vs the reference {want}"
            );
        }
    }
}

#[test]
fn ticket_metrics_by_team_match_duckdb() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["sample", "--out", "s", "--tickets", "100000", "--seed", "7"])
        .assert()
        .success();
    let tickets = wd.path("s/tickets.csv");
    let Command::Tickets(args) = command(&["tickets", tickets.to_str().unwrap(), "--by", "team"])
    else {
        panic!("not a tickets command")
    };
    let df = cxm::cmd::tickets::compute(&args).unwrap().metrics;
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/tickets_by_team.csv")).unwrap());
    assert_matches(
        &df,
        &expected.iter().collect::<Vec<_>>(),
        Some("team"),
        1e-6,
    );
}

/// Business hours (a split shift on Tuesdays, holidays and a range over New Year, in
/// Europe/Berlin) against business_hours.py: zoneinfo and a list of every open
/// interval of the year, intersected with each ticket's times.
#[test]
fn business_hours_by_team_match_an_independent_reference() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["sample", "--out", "s", "--tickets", "100000", "--seed", "7"])
        .assert()
        .success();
    let tickets = wd.path("s/tickets.csv");
    let hours = fixture("crosscheck/hours.toml");
    let Command::Tickets(args) = command(&[
        "tickets",
        tickets.to_str().unwrap(),
        "--by",
        "team",
        "--config",
        &hours,
        "--schedule",
        "support",
    ]) else {
        panic!("not a tickets command")
    };
    let df = cxm::cmd::tickets::compute(&args).unwrap().metrics;
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/business_by_team.csv")).unwrap());
    assert_eq!(expected[0].len(), 7, "six business columns and the team");
    assert_matches(
        &df,
        &expected.iter().collect::<Vec<_>>(),
        Some("team"),
        1e-6,
    );
}

/// SLA verdicts of two policies (chat and phone on the calendar clock, the rest in
/// business hours by priority) on the same 100,000 tickets, against sla_verdicts.py;
/// with `--schedule` too, the business-hours policy reuses the business durations.
#[test]
fn sla_verdicts_by_team_match_an_independent_reference() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["sample", "--out", "s", "--tickets", "100000", "--seed", "7"])
        .assert()
        .success();
    let tickets = wd.path("s/tickets.csv");
    let hours = fixture("crosscheck/hours.toml");
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/sla_by_team.csv")).unwrap());
    assert_eq!(expected.len(), 5, "five teams");
    for schedule in [&[][..], &["--schedule", "support"]] {
        let args = [
            &[
                "tickets",
                tickets.to_str().unwrap(),
                "--by",
                "team",
                "--config",
                &hours,
                "--sla-policy",
                "fast,standard",
                "--now",
                "2026-01-02T12:00:00Z",
            ][..],
            schedule,
        ]
        .concat();
        let Command::Tickets(args) = command(&args) else {
            panic!("not a tickets command")
        };
        let df = cxm::cmd::tickets::compute(&args).unwrap().metrics;
        assert_matches(&df, &expected.iter().collect::<Vec<_>>(), Some("team"), 0.0);
    }
}

/// The event-log facts and metrics of SPEC §9 by team on 1,054,527 generated events
/// (150,000 tickets, rows shuffled), against DuckDB window functions (events.sql).
#[test]
fn event_log_metrics_by_team_match_duckdb() {
    let wd = Workdir::new();
    wd.cxm()
        .args([
            "sample",
            "--out",
            "s",
            "--tickets",
            "10",
            "--events",
            "150000",
        ])
        .args(["--seed", "7"])
        .assert()
        .success();
    let log = wd.path("s/events.csv");
    let Command::Tickets(args) =
        command(&["tickets", "--events", log.to_str().unwrap(), "--by", "team"])
    else {
        panic!("not a tickets command")
    };
    let done = cxm::cmd::tickets::compute(&args).unwrap();
    assert!(done.rejected.is_empty(), "{:?}", done.rejected);
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/events_by_team.csv")).unwrap());
    assert_eq!(expected[0].len(), 25, "24 metrics and the team");
    assert_matches(
        &done.metrics,
        &expected.iter().collect::<Vec<_>>(),
        Some("team"),
        1e-6,
    );
}

#[test]
fn survey_metrics_overall_and_by_team_match_duckdb() {
    // 220,000 tickets give 108,186 responses (59,038 CSAT, 29,471 CES, 19,677 NPS).
    let wd = Workdir::new();
    wd.cxm()
        .args(["sample", "--out", "s", "--tickets", "220000", "--seed", "7"])
        .assert()
        .success();
    let surveys = wd.path("s/surveys.csv");
    let tickets = wd.path("s/tickets.csv");
    let (surveys, tickets) = (surveys.to_str().unwrap(), tickets.to_str().unwrap());
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/surveys_by_team.csv")).unwrap());
    let (overall, by_team): (Vec<_>, Vec<_>) = expected.iter().partition(|r| r["team"] == "*");

    let Command::Surveys(args) = command(&["surveys", surveys]) else {
        panic!("not a surveys command")
    };
    let done = cxm::cmd::surveys::compute(&args).unwrap();
    let (df, rejected) = (done.metrics, done.rejected);
    assert!(rejected.is_empty(), "{rejected:?}");
    assert_matches(&df, &overall, None, 1e-6);

    let Command::Surveys(args) =
        command(&["surveys", surveys, "--tickets", tickets, "--by", "team"])
    else {
        panic!("not a surveys command")
    };
    let done = cxm::cmd::surveys::compute(&args).unwrap();
    let (df, rejected) = (done.metrics, done.rejected);
    assert!(
        rejected.is_empty(),
        "every response has its ticket: {rejected:?}"
    );
    assert_matches(&df, &by_team, Some("team"), 1e-6);
}

#[test]
fn monthly_subscription_churn_for_a_year_matches_duckdb() {
    // 50,000 customers, 52,743 subscriptions (some customers return).
    let wd = Workdir::new();
    let subs = subscriptions_sample(&wd);
    let Command::Churn(args) = command(&["churn", &subs, "--period", "2025"]) else {
        panic!("not a churn command")
    };
    let (done, _) = cxm::cmd::churn::compute(&args).unwrap();
    let (df, rejected) = (done.metrics, done.rejected);
    assert!(rejected.is_empty(), "{rejected:?}");
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/churn_2025.csv")).unwrap());
    assert_eq!(expected.len(), 12);
    let labels = cxm::report::Table::from_frame(&df, Some(cxm::cli::Every::Month)).unwrap();
    assert_eq!(labels.height(), expected.len());
    for (row, want) in labels.rows().zip(&expected) {
        assert_eq!(row.get(0), cxm::report::Cell::Text(&want["period"]));
    }
    assert_matches(&df, &expected.iter().collect::<Vec<_>>(), None, 1e-9);
}

/// The 50,000-customer subscriptions sample the churn cross-checks share.
fn subscriptions_sample(wd: &Workdir) -> String {
    wd.cxm()
        .args([
            "sample",
            "--out",
            "s",
            "--tickets",
            "1000",
            "--customers",
            "50000",
        ])
        .args(["--seed", "7"])
        .assert()
        .success();
    wd.path("s/subscriptions.csv").display().to_string()
}

fn churn_of(args: &[&str]) -> cxm::compute::Computed {
    let Command::Churn(args) = command(args) else {
        panic!("not a churn command")
    };
    let (done, _) = cxm::cmd::churn::compute(&args).unwrap();
    assert!(done.rejected.is_empty(), "{:?}", done.rejected);
    done
}

#[test]
fn mrr_movements_for_a_year_match_duckdb() {
    let wd = Workdir::new();
    let subs = subscriptions_sample(&wd);
    let done = churn_of(&["churn", &subs, "--period", "2025", "--movements"]);
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/movements_2025.csv")).unwrap());
    assert_eq!(expected.len(), 12);
    assert_matches(
        &done.metrics,
        &expected.iter().collect::<Vec<_>>(),
        None,
        1e-6,
    );
}

#[test]
fn cohorts_for_a_year_match_duckdb() {
    let wd = Workdir::new();
    let subs = subscriptions_sample(&wd);
    let done = churn_of(&["churn", &subs, "--period", "2025", "--cohorts"]);
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/cohorts_2025.csv")).unwrap());
    // 12 cohorts, ages while the moment is ≤ 2026-01-01: 12 + 11 + … + 1.
    assert_eq!(expected.len(), 78);
    let labels =
        cxm::report::Table::from_frame(&done.metrics, Some(cxm::cli::Every::Month)).unwrap();
    for (row, want) in labels.rows().zip(&expected) {
        assert_eq!(row.get(0), cxm::report::Cell::Text(&want["cohort"]));
    }
    assert_matches(
        &done.metrics,
        &expected.iter().collect::<Vec<_>>(),
        None,
        1e-6,
    );
}

#[test]
fn survival_by_plan_matches_lifelines() {
    let wd = Workdir::new();
    let subs = subscriptions_sample(&wd);
    let done = churn_of(&[
        "churn",
        &subs,
        "--survival",
        "--by",
        "plan",
        "--now",
        "2026-01-01T00:00:00Z",
    ]);
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/survival_by_plan.csv")).unwrap());
    let (medians, rows): (Vec<_>, Vec<_>) = expected.iter().partition(|r| r["month"] == "median");
    assert_matches(&done.metrics, &rows, Some("plan"), 1e-6);
    let summary = done.summary.expect("a lifetime summary");
    let got = summary
        .column("median_lifetime_months")
        .unwrap()
        .f64()
        .unwrap()
        .clone();
    assert_eq!(got.len(), medians.len());
    for (g, want) in got.iter().zip(&medians) {
        let want: f64 = want["survival_pct"].parse().unwrap();
        assert!(
            (g.unwrap() - want).abs() < 1e-9,
            "median {g:?} vs lifelines {want}"
        );
    }
}

/// 1M tickets of 5,000 customers, their surveys and subscriptions (seed 7), in a
/// scratch folder, and the window and clock of the customers cross-checks.
fn customers_sample(wd: &Workdir) -> (String, [&'static str; 6]) {
    wd.cxm()
        .args(["sample", "--out", "s", "--tickets", "1000000"])
        .args(["--customers", "5000", "--seed", "7"])
        .assert()
        .success();
    let window = [
        "--since",
        "2025-01-01",
        "--until",
        "2025-07-01",
        "--now",
        "2026-01-01T00:00:00Z",
    ];
    (wd.path("s").display().to_string(), window)
}

/// `cxm customers` on 1M tickets of 5,000 customers (their surveys and
/// subscriptions) against customers.sql, for the first half of 2025 and a 90-day
/// horizon.
#[test]
fn customers_match_duckdb() {
    let wd = Workdir::new();
    let (dir, window) = customers_sample(&wd);
    let mut argv = vec!["customers", dir.as_str()];
    argv.extend(window);
    let Command::Customers(args) = command(&argv) else {
        panic!("not a customers command")
    };
    let (req, _) =
        cxm::cmd::customers::request(&args, cxm::cmd::customers::Rows::Customers).unwrap();
    let done = cxm::compute::customers::compute(&req).unwrap();
    let expected = parse_csv(&std::fs::read(fixture("crosscheck/customers_2025h1.csv")).unwrap());
    assert_eq!(expected.len(), 5000);
    let df = done.metrics.drop("sla_pct").unwrap();
    assert_matches(
        &df,
        &expected.iter().collect::<Vec<_>>(),
        Some("customer_id"),
        1e-6,
    );
}

/// `cxm drivers` on the same sample against drivers.py (numpy quantiles, scipy's
/// Wilson interval and χ² test) over DuckDB's customers: in quartiles and at edges.
#[test]
fn drivers_match_numpy_and_scipy() {
    let wd = Workdir::new();
    let (dir, window) = customers_sample(&wd);
    for (extra, reference) in [
        (&["--buckets", "4"][..], "crosscheck/drivers_quartiles.csv"),
        (&["--edges", "30m,1h"][..], "crosscheck/drivers_edges.csv"),
    ] {
        let mut args = vec!["drivers", dir.as_str()];
        args.extend(window);
        args.extend(["--outcome", "churn", "--factor", "first_response_median"]);
        args.extend_from_slice(extra);
        let Command::Drivers(a) = command(&args) else {
            panic!("not a drivers command")
        };
        let (customers, _) = cxm::cmd::customers::request(
            &a.customers,
            cxm::cmd::customers::Rows::Buckets(a.factor),
        )
        .unwrap();
        let req = cxm::request::DriversRequest {
            customers,
            outcome: cxm::request::Outcome::Churn,
            factor: a.factor,
            buckets: a.buckets.unwrap_or(5),
            edges: (!a.edges.is_empty()).then(|| vec![0.5, 1.0]),
        };
        let done = cxm::compute::drivers::compute(&req).unwrap();
        let expected = parse_csv(&std::fs::read(fixture(reference)).unwrap());
        assert_matches(
            &done.metrics,
            &expected.iter().collect::<Vec<_>>(),
            None,
            1e-6,
        );
    }
}
