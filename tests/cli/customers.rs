//! `cxm customers` on hand-made fixtures (tests/fixtures/customers), window January
//! 2025, `--now` 2025-06-01, horizon 90 days (Feb 1 + 90 d = May 2). Worked by hand:
//!
//! - A: T1 (reply 1 h, resolved 4 h) and T2 (3 h, 24 h, reopened once); T3 is
//!   created Dec 31, outside. Medians 2 h and 14 h; 1 reopened. Surveys: CSAT 5 and 2
//!   (50 %), NPS 6 on Jan 12 then 9 on Jan 15 (last: 9; Feb 2's 0 is outside).
//!   Subscription of 100 running: MRR 100, not churned.
//! - B: T4, replied in 0.5 h, open. Ends Apr 15, inside the horizon: churned.
//! - C: T6 at 23:59:59 on Jan 31, the window's last second. Ends May 3, after May 2:
//!   not churned (just outside the horizon).
//! - D: a survey only (CSAT 4, NPS 10): no subscription, so MRR and churned empty.
//! - E: a subscription that ended Jan 15, inside the window: MRR 0 at the end,
//!   churned empty (not active at the end).
//! - F: a subscription over before the window: no row. G: a ticket, no
//!   subscription. T5 has no customer: left out, with a warning.

use crate::common::{assert_empty, assert_num, fixture, parse_csv, Workdir};

fn run(extra: &[&str]) -> (Vec<std::collections::HashMap<String, String>>, String) {
    let out = run_as("csv", extra);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    (parse_csv(&out.stdout), err)
}

/// `cxm customers` on the three fixture files over January 2025, in `format`.
fn run_as(format: &str, extra: &[&str]) -> std::process::Output {
    Workdir::new()
        .cxm()
        .arg("customers")
        .args(["--tickets", &fixture("customers/tickets.csv")])
        .args(["--surveys", &fixture("customers/surveys.csv")])
        .args(["--subscriptions", &fixture("customers/subscriptions.csv")])
        .args(["--since", "2025-01-01", "--until", "2025-02-01"])
        .args(["--format", format])
        .args(extra)
        .output()
        .unwrap()
}

/// SPEC §11's columns stay when a dataset is not given, empty: with tickets alone,
/// no survey or subscription figure is known (not 0).
#[test]
fn columns_stay_without_surveys_or_subscriptions() {
    let out = Workdir::new()
        .cxm()
        .arg("customers")
        .args(["--tickets", &fixture("customers/tickets.csv")])
        .args(["--since", "2025-01-01", "--until", "2025-02-01", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        crate::common::csv_header(&out.stdout),
        [
            "customer_id",
            "tickets",
            "first_response_median_hours",
            "resolution_median_hours",
            "reopened_tickets",
            "csat_responses",
            "csat_pct",
            "last_nps",
            "mrr",
            "churned"
        ]
    );
    let rows = parse_csv(&out.stdout);
    // A's two tickets in January (T3 is December's), as in the full run.
    assert_eq!(rows[0]["customer_id"], "A");
    assert_eq!(rows[0]["tickets"], "2");
    for column in ["csat_responses", "csat_pct", "last_nps", "mrr", "churned"] {
        for row in &rows {
            assert_empty(row, column);
        }
    }
}

#[test]
fn one_row_per_customer_by_hand() {
    let (rows, err) = run(&["--now", "2025-06-01T00:00:00Z"]);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["A", "B", "C", "D", "E", "G"]);
    assert!(err.contains("without a customer_id"), "{err}");
    let (a, b, c, d, e, g) = (&rows[0], &rows[1], &rows[2], &rows[3], &rows[4], &rows[5]);
    assert_eq!(a["tickets"], "2");
    assert_num(a, "first_response_median_hours", 2.0);
    assert_num(a, "resolution_median_hours", 14.0);
    assert_eq!(a["reopened_tickets"], "1");
    assert_eq!(a["csat_responses"], "2");
    assert_num(a, "csat_pct", 50.0);
    assert_num(a, "last_nps", 9.0);
    assert_num(a, "mrr", 100.0);
    assert_eq!(a["churned"], "false");
    assert_num(b, "first_response_median_hours", 0.5);
    assert_empty(b, "resolution_median_hours");
    assert_eq!(b["churned"], "true");
    assert_eq!(c["tickets"], "1");
    assert_eq!(c["churned"], "false");
    assert_eq!(d["tickets"], "0");
    assert_num(d, "csat_pct", 100.0);
    assert_num(d, "last_nps", 10.0);
    assert_empty(d, "mrr");
    assert_empty(d, "churned");
    assert_num(e, "mrr", 0.0);
    assert_empty(e, "churned");
    assert_eq!(g["tickets"], "1");
    assert_empty(g, "mrr");
}

/// `churned` reads as 1 (true) or 0 (false) in `--fail-if`: B churned, so
/// `churned==1` breaks on B (exit 4); nobody's is above 1.
#[test]
fn fail_if_reads_churned_as_one_or_zero() {
    let out = run_as(
        "csv",
        &["--now", "2025-06-01T00:00:00Z", "--fail-if", "churned==1"],
    );
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("customer_id=B: churned = true"), "{err}");
    let out = run_as(
        "csv",
        &["--now", "2025-06-01T00:00:00Z", "--fail-if", "churned>1"],
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn churn_is_unknown_until_the_horizon_has_passed() {
    // May 2 is after this --now: nobody's churn is known yet.
    let (rows, err) = run(&["--now", "2025-04-01T00:00:00Z"]);
    assert!(rows.iter().all(|r| r["churned"].is_empty()), "{rows:?}");
    assert!(err.contains("horizon ends after --now"), "{err}");
    // A 30-day horizon (Mar 3) has passed by then: B (to Apr 15) is retained.
    let (rows, _) = run(&["--now", "2025-04-01T00:00:00Z", "--horizon", "30d"]);
    assert_eq!(rows[1]["churned"], "false");
}

/// Without subscriptions no churn is told, whatever the horizon: said when one is
/// given.
#[test]
fn a_horizon_without_subscriptions_is_said_unused() {
    let out = Workdir::new()
        .cxm()
        .arg("customers")
        .args([
            "--tickets",
            &fixture("customers/tickets.csv"),
            "--horizon",
            "30d",
        ])
        .args([
            "--since",
            "2025-01-01",
            "--until",
            "2025-02-01",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    assert!(rows.iter().all(|r| r["churned"].is_empty()), "{rows:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--horizon: no subscriptions in this run"),
        "{err}"
    );
}

#[test]
fn options_that_do_not_apply_are_refused() {
    let w = Workdir::new();
    w.cxm()
        .args([
            "customers",
            "--tickets",
            &fixture("customers/tickets.csv"),
            "--every",
            "month",
        ])
        .assert()
        .code(2);
    // No customers column reads the first-response target.
    w.cxm()
        .args([
            "customers",
            "--tickets",
            &fixture("customers/tickets.csv"),
            "--sla",
            "2h",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("customers: --sla does not apply"));
    // No dataset has a team column.
    w.cxm()
        .args([
            "customers",
            "--tickets",
            &fixture("customers/tickets.csv"),
            "--by",
            "team",
        ])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("--by team"));
    // The options refused are not offered in `--help` either, for both commands.
    for command in ["customers", "drivers"] {
        let out = Workdir::new()
            .cxm()
            .args([command, "--help"])
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        let mut refused = vec![
            "--compare",
            "--every",
            "--events",
            "--schedule",
            "--sla-policy",
            "--rejects",
        ];
        // customers has no SLA column; drivers has one row per bucket.
        refused.push(if command == "customers" {
            "--sla "
        } else {
            "--by "
        });
        for flag in refused {
            assert!(!help.contains(flag), "{command} --help offers {flag}");
        }
        assert!(help.contains("--horizon"), "{help}");
    }
}

/// `--by` on the fixtures of tests/cli/filters.rs: tickets 1 (A, high), 2 (A, low),
/// 3 (B, no priority), 4 (C, urgent), 5 (C, high, unreadable: rejected), 6 (D,
/// urgent); subscriptions A pro 100 running, B basic ends Jan 20, C pro ends Jan 10,
/// D basic 20 running.
#[test]
fn by_splits_the_datasets_that_have_the_column() {
    let run = |by: &str| {
        let out = Workdir::new()
            .cxm()
            .arg("customers")
            .args(["--tickets", &fixture("filters/tickets.csv")])
            .args(["--subscriptions", &fixture("filters/subscriptions.csv")])
            .args(["--since", "2025-01-01", "--until", "2025-02-01"])
            .args([
                "--now",
                "2025-06-01T00:00:00Z",
                "--by",
                by,
                "--format",
                "csv",
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        (parse_csv(&out.stdout), err)
    };
    let (rows, err) = run("priority");
    let got: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [
                r["customer_id"].as_str(),
                r["priority"].as_str(),
                r["tickets"].as_str(),
                r["mrr"].as_str(),
                r["churned"].as_str(),
            ]
        })
        .collect();
    // The subscriptions have no priority: A's MRR is on both of its rows.
    assert_eq!(
        got,
        [
            ["A", "high", "1", "100", "false"],
            ["A", "low", "1", "100", "false"],
            ["B", "", "1", "0", ""],
            ["C", "urgent", "1", "0", ""],
            ["D", "urgent", "1", "20", "false"],
        ]
    );
    assert!(
        err.contains("--by priority: the subscriptions have no such field or column"),
        "{err}"
    );
    // The plan comes from the subscriptions; the tickets' figures are per customer.
    let (rows, _) = run("plan");
    let got: Vec<[&str; 3]> = rows
        .iter()
        .map(|r| {
            [
                r["customer_id"].as_str(),
                r["plan"].as_str(),
                r["tickets"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["A", "pro", "2"],
            ["B", "basic", "1"],
            ["C", "pro", "1"],
            ["D", "basic", "1"]
        ]
    );
}

/// A response with a blank `customer_id` takes its ticket's customer (R2 through T2
/// is C2's); one with its own customer needs no ticket (R3's T9 matches none, and no
/// warning says so); one with neither is left out, named (R4's T8).
/// C1: R1 satisfied (100 %). C2: R2 unsatisfied (1) and R3 satisfied (5): 50 %.
#[test]
fn a_blank_customer_id_takes_its_tickets() {
    let wd = Workdir::new();
    wd.write(
        "tickets.csv",
        b"ticket_id,customer_id,created_at\nT1,C1,2025-01-06T09:00:00Z\nT2,C2,2025-01-06T10:00:00Z\n",
    );
    wd.write(
        "surveys.csv",
        b"response_id,ticket_id,customer_id,submitted_at,csat\nR1,T1,C1,2025-01-07T09:00:00Z,5\nR2,T2,,2025-01-07T09:00:00Z,1\nR3,T9,C2,2025-01-07T09:00:00Z,5\nR4,T8,,2025-01-07T09:00:00Z,5\n",
    );
    let out = wd
        .cxm()
        .args([
            "customers",
            "--tickets",
            "tickets.csv",
            "--surveys",
            "surveys.csv",
        ])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("'T8'") && !err.contains("'T9'"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_num(&rows[0], "csat_responses", 1.0);
    assert_num(&rows[0], "csat_pct", 100.0);
    assert_eq!(rows[1]["customer_id"], "C2");
    assert_num(&rows[1], "csat_responses", 2.0);
    assert_num(&rows[1], "csat_pct", 50.0);
}

/// JSON carries yes/no columns as JSON booleans (a consumer reading `"false"` would
/// take it for true): B churned, A did not, D (no subscription) is unknown.
#[test]
fn json_booleans_are_booleans() {
    let out = Workdir::new()
        .cxm()
        .arg("customers")
        .args(["--tickets", &fixture("customers/tickets.csv")])
        .args(["--surveys", &fixture("customers/surveys.csv")])
        .args(["--subscriptions", &fixture("customers/subscriptions.csv")])
        .args(["--since", "2025-01-01", "--until", "2025-02-01"])
        .args(["--now", "2025-06-01T00:00:00Z", "--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let churned = |id: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["customer_id"] == id)
            .map(|r| r["churned"].clone())
            .unwrap()
    };
    assert_eq!(churned("A"), serde_json::Value::Bool(false));
    assert_eq!(churned("B"), serde_json::Value::Bool(true));
    assert_eq!(churned("D"), serde_json::Value::Null);
}

/// `customers` takes no `--map`, so its hint names the config file's tables; a churn
/// snapshot (no dates) is refused for what it lacks, not for options never given.
#[test]
fn errors_say_what_customers_can_use() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("acct")).unwrap();
    wd.write(
        "acct/tickets.csv",
        b"ticket_id,created_at,acct\nT1,2025-01-05T00:00:00Z,C0\n",
    );
    wd.write(
        "acct/subscriptions.csv",
        b"customer_id,start_date,end_date,mrr\nC0,2024-01-01,,10\n",
    );
    let out = wd
        .cxm()
        .args(["customers", "acct", "--period", "2025-Q1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("[map.tickets]") && !err.contains("--map "),
        "{err}"
    );
    wd.write("snap.csv", b"customer_id,churned\nC0,yes\nC1,no\n");
    let out = wd
        .cxm()
        .args([
            "customers",
            "--subscriptions",
            "snap.csv",
            "--period",
            "2025-Q1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("dated subscriptions") && !err.contains("--movements"),
        "{err}"
    );
    // A folder that is not there cannot be read (3), as a missing file cannot; a
    // file where the folder goes is a usage error (2); neither is called `report`'s.
    for (command, path, code, says) in [
        ("report", "nodir", 3, "nodir: cannot open: no such folder"),
        (
            "customers",
            "nodir",
            3,
            "nodir: cannot open: no such folder",
        ),
        ("drivers", "nodir", 3, "nodir: cannot open: no such folder"),
        (
            "customers",
            "snap.csv",
            2,
            "customers: 'snap.csv' is not a folder",
        ),
    ] {
        let mut cmd = wd.cxm();
        cmd.args([command, path]);
        if command == "drivers" {
            cmd.args(["--outcome", "churn", "--factor", "tickets"]);
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{command} {path}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says) && !err.contains("report"), "{err}");
    }
    // `-` is no folder: stdin goes through the flags that name files (2).
    for command in ["report", "customers"] {
        let out = wd.cxm().args([command, "-"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(err.contains("'-' (stdin) is no folder"), "{err}");
    }
    // With --config, a name that is no folder may be a saved report's, mistyped: a
    // usage error that says so.
    wd.write("cx.toml", b"[reports.weekly]\nperiod = \"last-week\"\n");
    let out = wd
        .cxm()
        .args(["customers", "--config", "cx.toml", "weekyl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'weekyl' is not a folder (nor a report saved in --config: saved: weekly)"),
        "{err}"
    );
}

/// A horizon of nothing would call every customer inactive at the window's end
/// churned: refused as a usage error.
#[test]
fn a_zero_horizon_is_refused() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args(["customers", &fixture("customers"), "--horizon", "0d"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--horizon: must be longer than 0"));
    // `1m` is a minute, meant as a month; a day is the least a horizon is.
    for (horizon, code) in [("1m", 2), ("23h", 2), ("1d", 0)] {
        let out = wd
            .cxm()
            .args(["customers", &fixture("customers"), "--horizon", horizon])
            .args(["--period", "2025-Q1", "--now", "2026-01-01T00:00:00Z", "-q"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{horizon}: {out:?}");
    }
}

/// An NPS score is a whole number: D's last one reads `10` for people, not `10.00`.
#[test]
fn last_nps_is_shown_whole() {
    let out = run_as("markdown", &[]);
    let md = String::from_utf8_lossy(&out.stdout);
    let d = md
        .lines()
        .find(|l| l.starts_with("| D |"))
        .unwrap_or_default();
    let cells: Vec<&str> = d.split('|').map(str::trim).collect();
    // | D | tickets | 1st response | resolution | reopened | csat n | csat % | last nps |
    assert_eq!(cells.get(8), Some(&"10"), "{md}");
}

/// `--by` a ticket column with surveys: each customer's last NPS is the latest of
/// the responses in that group, the responses taking the team of their ticket.
/// Worked by hand: C1's tickets are T1 (billing) and T2 (sales); its responses are
/// R1 (T1, 6 on Jan 7), R2 (T1, 9 on Jan 9), R3 (T2, 3 on Jan 8). C1 billing: 9;
/// C1 sales: 3. C2's one ticket T3 (billing) has R4 (10).
#[test]
fn by_a_ticket_column_keeps_each_groups_last_nps() {
    let wd = Workdir::new();
    wd.write(
        "tickets.csv",
        b"ticket_id,customer_id,team,created_at\nT1,C1,billing,2025-01-06T09:00:00Z\nT2,C1,sales,2025-01-06T10:00:00Z\nT3,C2,billing,2025-01-06T11:00:00Z\n",
    );
    wd.write(
        "surveys.csv",
        b"response_id,ticket_id,submitted_at,nps\nR1,T1,2025-01-07T09:00:00Z,6\nR2,T1,2025-01-09T09:00:00Z,9\nR3,T2,2025-01-08T09:00:00Z,3\nR4,T3,2025-01-08T09:00:00Z,10\n",
    );
    let out = wd
        .cxm()
        .args(["customers", "--tickets", "tickets.csv", "--surveys"])
        .args(["surveys.csv", "--by", "team", "--format", "csv", "-q"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = parse_csv(&out.stdout);
    let got: Vec<[&str; 3]> = rows
        .iter()
        .map(|r| {
            [
                r["customer_id"].as_str(),
                r["team"].as_str(),
                r["last_nps"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["C1", "billing", "9"],
            ["C1", "sales", "3"],
            ["C2", "billing", "10"]
        ]
    );
}

/// A subscription that starts on the window's end is active then (SPEC §5: start ≤
/// d), as `churn` counts it in `customers_end`: C1, with a ticket in June, has its
/// MRR 290 at July 1 and, ended Aug 1 before the horizon's Sep 29, churned. C2's
/// started June 30. H, with only a subscription starting on July 1 and nothing in
/// the window, is no row.
#[test]
fn a_subscription_starting_at_the_windows_end_counts_there() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-06-10T10:00:00Z,C1\nT2,2025-06-10T10:00:00Z,C2\n",
    );
    wd.write(
        "s.csv",
        b"customer_id,plan,start_date,end_date,mrr\n\
C1,basic,2025-07-01,2025-08-01,290\n\
C2,basic,2025-06-30,2025-08-01,100\n\
H,basic,2025-07-01,,50\n",
    );
    let rows = wd.csv_rows(&[
        "customers",
        "--tickets",
        "t.csv",
        "--subscriptions",
        "s.csv",
        "--since",
        "2025-06-01",
        "--until",
        "2025-07-01",
        "--now",
        "2026-01-01T00:00:00Z",
        "-q",
    ]);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["C1", "C2"]);
    assert_num(&rows[0], "mrr", 290.0);
    assert_eq!(rows[0]["churned"], "true");
    assert_num(&rows[1], "mrr", 100.0);
    assert_eq!(rows[1]["churned"], "true");
}

/// A subscription ending the day it starts (a trial canceled at once) was never
/// active, so it makes no customer of a window, whether the window starts before
/// that day or on it, or there is none: A is no row, Z (from January, open) is.
#[test]
fn a_subscription_of_no_length_makes_no_customer() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,plan,start_date,end_date,mrr\nA,basic,2025-03-10,2025-03-10,10\nZ,basic,2025-01-01,,5\n",
    );
    for window in [
        &["--since", "2025-03-01", "--until", "2025-04-01"][..],
        &["--since", "2025-03-10", "--until", "2025-04-01"],
        &["--until", "2025-04-01"],
        &[],
    ] {
        let args = [
            &[
                "customers",
                "--subscriptions",
                "s.csv",
                "--now",
                "2026-01-01T00:00:00Z",
                "-q",
            ][..],
            window,
        ]
        .concat();
        let rows = wd.csv_rows(&args);
        let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
        assert_eq!(ids, ["Z"], "{window:?}");
    }
}

/// `customers` in `wd` on `tickets.csv` (and `surveys.csv` when written), `extra`
/// after: its rows as `columns` of each.
fn rows_of(wd: &Workdir, extra: &[&str], columns: &[&str]) -> Vec<Vec<String>> {
    let mut cmd = wd.cxm();
    cmd.args(["customers", "--tickets", "tickets.csv"]);
    if wd.path("surveys.csv").exists() {
        cmd.args(["--surveys", "surveys.csv"]);
    }
    let out = cmd
        .args(["--now", "2026-01-01T00:00:00Z", "--format", "csv", "-q"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_csv(&out.stdout)
        .iter()
        .map(|r| columns.iter().map(|c| r[*c].clone()).collect())
        .collect()
}

/// `reopened_tickets` counts resolved tickets whose known reopen count is above 0:
/// C1 has T1 (1 reopen) and T2 (blank): 1, not 2 (the share of the known, 100 %,
/// applied to both). C2's one resolved ticket has no count: empty, as its
/// `reopen_pct` is. C3's ticket is open: 0. Without a `reopens` column nothing is
/// known: empty for all; so too without any resolution in the data (which tickets
/// were resolved is not known), reopen counts or not.
#[test]
fn reopened_tickets_counts_only_known_reopens() {
    let wd = Workdir::new();
    wd.write(
        "tickets.csv",
        b"ticket_id,created_at,resolved_at,customer_id,reopens\n\
T1,2025-02-01T00:00:00Z,2025-02-01T05:00:00Z,C1,1\n\
T2,2025-02-02T00:00:00Z,2025-02-02T05:00:00Z,C1,\n\
T3,2025-02-02T00:00:00Z,2025-02-02T05:00:00Z,C2,\n\
T4,2025-02-02T00:00:00Z,,C3,0\n",
    );
    let got = rows_of(&wd, &[], &["customer_id", "reopened_tickets"]);
    assert_eq!(got, [["C1", "1"], ["C2", ""], ["C3", "0"]]);
    wd.write(
        "tickets.csv",
        b"ticket_id,created_at,resolved_at,customer_id\nT1,2025-02-01T00:00:00Z,2025-02-01T05:00:00Z,C1\n",
    );
    let got = rows_of(&wd, &[], &["customer_id", "tickets", "reopened_tickets"]);
    assert_eq!(got, [["C1", "1", ""]]);
    wd.write(
        "tickets.csv",
        b"ticket_id,created_at,customer_id,reopens
T1,2025-02-01T00:00:00Z,C1,1
",
    );
    let got = rows_of(&wd, &[], &["customer_id", "tickets", "reopened_tickets"]);
    assert_eq!(got, [["C1", "1", ""]]);
}

/// With `--by team`, an empty group is one group across the datasets: C1's ticket
/// with a blank team and the CSAT response on it are one row (1 ticket, 1 response,
/// 100 %), not two. An NPS response with no ticket is in the empty group too, and
/// its score is that row's `last_nps` (it was lost).
#[test]
fn an_empty_group_is_one_row_across_datasets() {
    let wd = Workdir::new();
    wd.write(
        "tickets.csv",
        b"ticket_id,created_at,customer_id,team\nT1,2025-02-01T00:00:00Z,C1,\n",
    );
    wd.write(
        "surveys.csv",
        b"response_id,ticket_id,customer_id,submitted_at,survey,score\nR1,T1,,2025-02-03T00:00:00Z,csat,5\n",
    );
    let columns = [
        "customer_id",
        "team",
        "tickets",
        "csat_responses",
        "csat_pct",
    ];
    let got = rows_of(&wd, &["--by", "team"], &columns);
    assert_eq!(got, [["C1", "", "1", "1", "100"]]);
    wd.write(
        "tickets.csv",
        b"ticket_id,created_at,customer_id,team\nT1,2025-02-01T00:00:00Z,C1,a\n",
    );
    wd.write(
        "surveys.csv",
        b"response_id,ticket_id,customer_id,submitted_at,survey,score\nR1,,C1,2025-02-03T00:00:00Z,nps,6\n",
    );
    let got = rows_of(
        &wd,
        &["--by", "team"],
        &["customer_id", "team", "tickets", "last_nps"],
    );
    assert_eq!(got, [["C1", "a", "1", ""], ["C1", "", "0", "6"]]);
}

/// A ticket export with its own CSAT column (Zendesk's `Satisfaction Score`) and no
/// survey file: its ratings are the customers' responses, each its ticket's, as
/// `report` reads them. A has a Good (Support) and a Bad (Billing): 1 of 2 satisfied;
/// B one Good; C none rated. `--by team` splits A by its tickets' groups, and
/// `--where team=Billing` keeps A's Billing ticket and its Bad, and C.
#[test]
fn a_ticket_exports_own_csat_counts_for_its_customers() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/export.csv",
        b"Id,Requester id,Group,Region,Status,Created at,Satisfaction Score\n\
1,A,Support,EU,solved,2025-01-05 10:00:00,Good\n2,A,Billing,US,solved,2025-01-06 10:00:00,Bad\n\
3,B,Support,EU,open,2025-01-07 10:00:00,Good\n4,C,Billing,US,open,2025-01-08 10:00:00,Unoffered\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec![
            "customers",
            "d",
            "--since",
            "2025-01-01",
            "--until",
            "2025-02-01",
            "-q",
        ];
        args.extend(extra);
        wd.csv_rows(&args)
            .iter()
            .map(|r| {
                let team = (r.get("team").or(r.get("Region")))
                    .cloned()
                    .unwrap_or_default();
                let cells = ["customer_id", "tickets", "csat_responses", "csat_pct"];
                let mut row: Vec<String> = cells.iter().map(|c| r[*c].clone()).collect();
                row.insert(1, team);
                row.join(" ")
            })
            .collect::<Vec<String>>()
    };
    assert_eq!(run(&[]), ["A  2 2 50", "B  1 1 100", "C  1 0 "]);
    assert_eq!(
        run(&["--by", "team"]),
        [
            "A Billing 1 1 0",
            "A Support 1 1 100",
            "B Support 1 1 100",
            "C Billing 1 0 "
        ]
    );
    assert_eq!(run(&["--where", "team=Billing"]), ["A  1 1 0", "C  1 0 "]);
    // A raw column asked in another case is named as the file spells it (`Region`),
    // as `tickets --by region` names it.
    assert_eq!(
        run(&["--by", "region"]),
        ["A EU 1 1 100", "A US 1 1 0", "B EU 1 1 100", "C US 1 0 "]
    );
    // From stdin, copied once and read twice from the copy, the same.
    let export = std::fs::read(wd.path("d/export.csv")).unwrap();
    let out = wd
        .cxm()
        .args([
            "customers",
            "--tickets",
            "-",
            "--since",
            "2025-01-01",
            "--until",
            "2025-02-01",
        ])
        .write_stdin(export)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rated: Vec<String> = (parse_csv(&out.stdout).iter())
        .map(|r| {
            format!(
                "{} {} {}",
                r["customer_id"], r["csat_responses"], r["csat_pct"]
            )
        })
        .collect();
    assert_eq!(rated, ["A 2 50", "B 1 100", "C 0 "], "{err}");
    // drivers says how it reads them.
    let out = wd
        .cxm()
        .args(["drivers", "d", "--outcome", "csat", "--factor", "tickets"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the tickets' own 'Satisfaction Score' column"),
        "{err}"
    );
}

/// With `--by plan`, churn is still the customer's: R moves from basic to pro on
/// 1 May and is active on 30 June (the end, 1 April, + 90 days): not churned; Q's
/// basic ends on 1 May with nothing after: churned. The tickets have no resolution
/// (no `resolved_at`), so no reopen is known: `reopened_tickets` is empty for R, who
/// has a ticket, and for Q, who has none.
#[test]
fn a_plan_change_is_not_churn_and_reopens_need_resolutions() {
    let wd = Workdir::new();
    wd.write(
        "subs.csv",
        b"customer_id,start_date,end_date,mrr,plan\n\
R,2024-01-01,2025-05-01,10,basic\nR,2025-05-01,,30,pro\nQ,2024-01-01,2025-05-01,10,basic\n",
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,customer_id,reopens\nT1,2025-02-01 10:00:00,R,1\n",
    );
    let rows = wd.csv_rows(&[
        "customers",
        "--tickets",
        "t.csv",
        "--subscriptions",
        "subs.csv",
        "--since",
        "2025-01-01",
        "--until",
        "2025-04-01",
        "--horizon",
        "90d",
        "--now",
        "2026-01-01T00:00:00Z",
        "--by",
        "plan",
    ]);
    let row = |c: &str| rows.iter().find(|r| r["customer_id"] == c).unwrap();
    assert_eq!(row("R")["plan"], "basic");
    assert_eq!(row("R")["churned"], "false");
    assert_eq!(row("Q")["churned"], "true");
    assert_num(row("R"), "mrr", 10.0);
    assert_eq!(row("R")["reopened_tickets"], "");
    assert_eq!(row("Q")["reopened_tickets"], "");
}

/// The config file's top-level `by` serves every command: `customers` on tickets that
/// lack its column passes it over with a warning (one row for A), as `report` does;
/// `--by` itself must name a column (exit 3).
#[test]
fn a_configured_by_the_data_lacks_is_passed_over() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-03-01T10:00:00Z,A\n",
    );
    wd.write("c.toml", b"by = \"plan\"\n");
    let (out, err) = wd.csv_and_stderr(&[
        "customers",
        "--tickets",
        "t.csv",
        "--config",
        "c.toml",
        "--since",
        "2025-03-01",
        "--until",
        "2025-04-01",
    ]);
    assert!(err.contains("plan"), "{err}");
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["customer_id"], "A");
    assert!(!rows[0].contains_key("plan"), "{rows:?}");
    let out = wd
        .cxm()
        .args(["customers", "--tickets", "t.csv", "--by", "plan"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
}

/// The horizon runs on the clock of `--tz`: 30 days from 1 October in Berlin end at
/// midnight on 31 October (30 days and an hour elapse, the clocks going back on the
/// 26th), when A's subscription ends: A churned; B runs on.
#[test]
fn the_horizon_ends_at_a_local_midnight_across_a_clock_change() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\na,2025-01-01,2025-10-31,10\nb,2025-01-01,,20\n",
    );
    let rows = wd.csv_rows(&[
        "customers",
        "--subscriptions",
        "s.csv",
        "--period",
        "2025-09",
        "--horizon",
        "30d",
        "--tz",
        "Europe/Berlin",
        "--now",
        "2026-01-01T00:00:00Z",
        "-q",
    ]);
    let churned =
        |id: &str| rows.iter().find(|r| r["customer_id"] == id).unwrap()["churned"].clone();
    assert_eq!(churned("a"), "true");
    assert_eq!(churned("b"), "false");
}

/// A customer without tickets has 0 reopened tickets when the tickets count reopens and
/// resolutions, whether or not anyone had a ticket in the window: in February B has
/// one (resolved, reopened once) and A and C none; in March nobody has, and A and C
/// still have 0, not empty.
#[test]
fn no_tickets_is_zero_reopened_whoever_else_had_tickets() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,customer_id,reopens\n\
T1,2025-01-05 09:00:00,2025-01-05 10:00:00,,A,0\n\
T2,2025-02-05 09:00:00,2025-02-05 10:00:00,2025-02-06 10:00:00,B,1\n",
    );
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2024-01-01,,10\nC,2024-01-01,,10\n",
    );
    for (period, b_reopened) in [("2025-02", Some("1")), ("2025-03", None)] {
        let rows = wd.csv_rows(&[
            "customers",
            "--tickets",
            "t.csv",
            "--subscriptions",
            "s.csv",
            "--period",
            period,
            "--now",
            "2026-01-01T00:00:00Z",
            "-q",
        ]);
        let reopened = |id: &str| {
            rows.iter()
                .find(|r| r["customer_id"] == id)
                .map(|r| r["reopened_tickets"].clone())
        };
        assert_eq!(reopened("A").as_deref(), Some("0"), "{period}");
        assert_eq!(reopened("C").as_deref(), Some("0"), "{period}");
        assert_eq!(reopened("B").as_deref(), b_reopened, "{period}");
    }
}

/// Ids pandas wrote as floats (`7.0`: an id column with a gap) meet the same ids
/// written as integers: customer 7's CSAT response (5 of 5) is on its row, with its
/// ticket and subscription, and there is no customer `7.0`; a response naming ticket
/// `2.0` takes ticket 2's team in `surveys --tickets` (its file's `1.5`, no whole
/// float, is no ticket's: the blank group's one response, 3, not satisfied).
#[test]
fn ids_written_as_whole_floats_meet_the_same_ids() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at,customer_id,team\n\
1,2025-02-01T10:00:00Z,2025-02-01T11:00:00Z,7,Billing\n\
2,2025-02-01T10:00:00Z,2025-02-01T11:00:00Z,9,Tech\n",
    );
    wd.write(
        "d/surveys.csv",
        b"response_id,ticket_id,customer_id,submitted_at,survey,score\n\
R1,1.0,7.0,2025-02-02T10:00:00Z,csat,5\nR2,2.0,,2025-02-02T10:00:00Z,csat,1\n\
R3,1.5,,2025-02-02T10:00:00Z,csat,3\n",
    );
    wd.write(
        "d/subscriptions.csv",
        b"customer_id,start_date,end_date,mrr\n7,2024-01-01,,10\n9,2024-01-01,,10\n",
    );
    let rows = wd.csv_rows(&[
        "customers",
        "d",
        "--period",
        "2025-Q1",
        "--now",
        "2026-01-01T00:00:00Z",
        "-q",
    ]);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["7", "9"]);
    let seven = [
        &rows[0]["tickets"],
        &rows[0]["csat_responses"],
        &rows[0]["csat_pct"],
        &rows[0]["mrr"],
    ];
    assert_eq!(seven, ["1", "1", "100", "10"]);
    let rows = wd.csv_rows(&[
        "surveys",
        "d/surveys.csv",
        "--tickets",
        "d/tickets.csv",
        "--by",
        "team",
    ]);
    let teams: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["team"].as_str(), r["csat_pct"].as_str()))
        .collect();
    assert_eq!(teams, [("Billing", "100"), ("Tech", "0"), ("", "0")]);
}

/// Whole-float ids are the integers everywhere: `--where customer_id=7` keeps the
/// `7.0` rows `--by customer_id` shows as `7` (T1, T2: 2 tickets), as the value
/// written, `=7.0`, does; and a column
/// whose sample holds no id (2,100 blank rows first, as pandas writes a column with
/// a long gap) still reads its later `7.0`s as 7, meeting the subscriptions' 7.
#[test]
fn whole_float_ids_are_integers_in_filters_and_past_the_sample() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,customer_id\n\
T1,2025-02-01T10:00:00Z,2025-02-01T11:00:00Z,7.0\n\
T2,2025-02-01T10:00:00Z,2025-02-01T11:00:00Z,7.0\n\
T3,2025-02-01T10:00:00Z,2025-02-01T11:00:00Z,8.0\n",
    );
    // As read or as written: `=7` and `=7.0` keep T1 and T2, `!=` either leaves T3.
    for (condition, tickets) in [
        ("customer_id=7", "2"),
        ("customer_id=7.0", "2"),
        ("customer_id in (7.0, 8)", "3"),
        ("customer_id!=7", "1"),
        ("customer_id!=7.0", "1"),
    ] {
        let rows = wd.csv_rows(&["tickets", "t.csv", "--where", condition]);
        assert_eq!(rows[0]["tickets"], tickets, "{condition}");
    }
    std::fs::create_dir(wd.path("gap")).unwrap();
    let mut tickets = String::from("ticket_id,created_at,customer_id\n");
    for i in 0..2100 {
        tickets.push_str(&format!("B{i},2025-02-01T10:00:00Z,\n"));
    }
    tickets.push_str("L1,2025-02-02T10:00:00Z,7.0\nL2,2025-02-02T11:00:00Z,7.0\n");
    wd.write("gap/tickets.csv", tickets.as_bytes());
    wd.write(
        "gap/subscriptions.csv",
        b"customer_id,start_date,end_date,mrr\n7,2024-01-01,,10\n",
    );
    let run = |extra: &[&str]| {
        let mut args = vec![
            "customers",
            "gap",
            "--period",
            "2025-Q1",
            "--now",
            "2026-01-01T00:00:00Z",
            "-q",
        ];
        args.extend(extra);
        wd.csv_rows(&args)
    };
    let customers =
        |rows: &[std::collections::HashMap<String, String>]| -> Vec<(String, String, String)> {
            rows.iter()
                .map(|r| {
                    (
                        r["customer_id"].clone(),
                        r["tickets"].clone(),
                        r["mrr"].clone(),
                    )
                })
                .collect()
        };
    let seven = vec![("7".to_string(), "2".to_string(), "10".to_string())];
    assert_eq!(customers(&run(&[])), seven);
    // Named as either file writes it, the customer is kept whole, or left out whole.
    let run = |condition: &str| run(&["--where", condition]);
    for condition in [
        "customer_id=7.0",
        "customer_id=7",
        "customer_id in (7.0, 9)",
    ] {
        assert_eq!(customers(&run(condition)), seven, "{condition}");
    }
    for condition in ["customer_id!=7.0", "customer_id!=7"] {
        assert!(run(condition).is_empty(), "{condition}");
    }
}

/// Tickets and responses without a customer are counted in the warning that leaves
/// them out: T2 and T3 have no customer, nor have the responses r1–r4 (no ticket): a
/// CSAT, two NPS and a CES one. c1's NPS response is its last NPS.
#[test]
fn rows_without_a_customer_are_counted() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-03-01T10:00:00Z,c1\nT2,2025-03-02T10:00:00Z,\nT3,2025-03-02T11:00:00Z,\n",
    );
    wd.write(
        "d/surveys.csv",
        b"response_id,submitted_at,survey,score,customer_id\n\
r1,2025-03-05T00:00:00Z,csat,5,\nr2,2025-03-05T00:00:00Z,nps,9,\n\
r3,2025-03-06T00:00:00Z,nps,3,\nr4,2025-03-06T00:00:00Z,ces,4,\n\
r5,2025-03-07T00:00:00Z,nps,10,c1\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "customers",
        "d",
        "--period",
        "2025-03",
        "--now",
        "2026-01-01T00:00:00Z",
    ]);
    assert!(
        err.contains(
            "2 tickets, 1 CSAT response, 2 NPS responses and 1 CES response without a customer_id"
        ),
        "{err}"
    );
    let rows = crate::common::parse_csv(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["last_nps"], "10");
    assert_eq!(
        (rows[0]["customer_id"].as_str(), rows[0]["tickets"].as_str()),
        ("c1", "1")
    );
}

/// Without `--until` the window ends at `--now` for every dataset: with `--now`
/// 2025-02-01, A's March ticket and Z's (only) ticket are after it, so A has 1
/// ticket and Z no row; Y's subscription starts after it and has none either. They
/// used to be counted (the tickets' window stayed open).
#[test]
fn the_window_ends_at_now_for_tickets_too() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,customer_id\n\
          T1,2025-01-10 09:00,2025-01-10 10:00,A\n\
          T2,2025-03-10 09:00,2025-03-10 10:00,A\n\
          T3,2025-03-10 09:00,2025-03-10 10:00,Z\n",
    );
    wd.write(
        "u.csv",
        b"customer_id,start_date,end_date,mrr\nA,2024-01-01,2025-02-15,10\nY,2025-03-01,,7\n",
    );
    let out = wd
        .cxm()
        .args([
            "customers",
            "--tickets",
            "t.csv",
            "--subscriptions",
            "u.csv",
        ])
        .args(["--since", "2025-01-01", "--now", "2025-02-01T00:00:00Z"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = crate::common::parse_csv(&out.stdout);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["A"]);
    assert_eq!(rows[0]["tickets"], "1");
    assert_eq!(rows[0]["mrr"], "10");
    // A window that would end (at --now) before it starts is a usage error, as
    // --until before --since is.
    let out = wd
        .cxm()
        .args([
            "customers",
            "--tickets",
            "t.csv",
            "--subscriptions",
            "u.csv",
        ])
        .args(["--since", "2025-03-01", "--now", "2025-02-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--since is not before --now"));
}

/// With `--by plan`, a customer of the window (its basic plan runs up to the end)
/// that moves to pro on the window's end has a pro row with its MRR there (120, not
/// churned), as its row without `--by` has; L, whose only subscription starts on the
/// end, is no customer of the window.
#[test]
fn a_move_to_another_plan_on_the_windows_end_has_its_row() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/subscriptions.csv",
        b"customer_id,plan,start_date,end_date,mrr\nK,basic,2025-01-01,2025-04-01,50\nK,pro,2025-04-01,,120\nL,pro,2025-04-01,,70\n",
    );
    let out = wd
        .cxm()
        .args(["customers", "d", "--period", "2025-03", "--by", "plan"])
        .args(["--now", "2026-01-01T00:00:00Z", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = crate::common::parse_csv(&out.stdout);
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["customer_id"].as_str(),
                r["plan"].as_str(),
                r["mrr"].as_str(),
                r["churned"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("K", "basic", "0", ""), ("K", "pro", "120", "false")]);
}

/// A survey offered and not answered (`Offered`, `Not Offered`, `n/a`) is no
/// response: N, C and X, whose only subscriptions start on the window's end, are no
/// customers of the window; F, who answered 4, is.
#[test]
fn a_survey_not_answered_makes_no_customer() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,customer_id,csat\nR1,2025-01-15 10:00,N,Offered\nR2,2025-01-16 10:00,C,Not Offered\nR3,2025-01-16 10:00,X,n/a\nR4,2025-01-17 10:00,F,4\n",
    );
    wd.write(
        "subs.csv",
        b"customer_id,plan,start_date,end_date,mrr\nN,p,2025-02-01,,10\nC,p,2025-02-01,,20\nX,p,2025-02-01,,30\nF,p,2025-02-01,,40\n",
    );
    let out = wd
        .cxm()
        .args([
            "customers",
            "--surveys",
            "s.csv",
            "--subscriptions",
            "subs.csv",
        ])
        .args(["--since", "2025-01-01", "--until", "2025-02-01"])
        .args(["--now", "2025-06-01T00:00:00Z", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["customer_id"].as_str(), r["mrr"].as_str()))
        .collect();
    assert_eq!(got, [("F", "40")]);
    // Without subscriptions, the same: F alone.
    let out = wd
        .cxm()
        .args(["customers", "--surveys", "s.csv"])
        .args(["--since", "2025-01-01", "--until", "2025-02-01"])
        .args(["--now", "2025-06-01T00:00:00Z", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["F"]);
}

/// A respondent of NPS alone (no CSAT column, so no CSAT count) whose only
/// subscription starts on the window's end is a customer of the window by its
/// response: F has its NPS 9 and that subscription's MRR 90, not churned.
#[test]
fn an_nps_respondent_with_a_subscription_from_the_end_is_a_customer() {
    let wd = Workdir::new();
    wd.write(
        "nps.csv",
        b"response_id,submitted_at,customer_id,nps\nS2,2025-03-02 10:00,F,9\nS3,2025-03-03 10:00,B,3\n",
    );
    wd.write(
        "subs.csv",
        b"customer_id,plan,start_date,end_date,mrr\nF,pro,2025-04-01,,90\nB,pro,2025-02-01,,50\n",
    );
    let out = wd
        .cxm()
        .args([
            "customers",
            "--surveys",
            "nps.csv",
            "--subscriptions",
            "subs.csv",
        ])
        .args(["--since", "2025-01-01", "--until", "2025-04-01"])
        .args(["--now", "2026-01-01T00:00:00Z", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    let got: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["customer_id"].as_str(),
                r["last_nps"].as_str(),
                r["mrr"].as_str(),
                r["churned"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("B", "3", "50", "false"), ("F", "9", "90", "false")]);
}

/// With `--by team`, a team a customer only had an unanswered survey about (R3,
/// offered, on red's ticket T2 of January) and the empty group of a blank response
/// (R1) make no rows: A has one row, blue, of its ticket T1 in the window.
#[test]
fn an_unanswered_survey_makes_no_group_row() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at,customer_id,team\nT1,2025-02-10 10:00:00,2025-02-10 11:00:00,A,blue\nT2,2025-01-10 10:00:00,2025-01-10 11:00:00,A,red\nT3,2025-01-10 10:00:00,2025-01-10 11:00:00,B,red\n",
    );
    wd.write(
        "d/surveys.csv",
        b"response_id,ticket_id,customer_id,submitted_at,csat,nps\nR1,,A,2025-02-12 10:00:00,,\nR2,,C,2025-02-12 10:00:00,,\nR3,T2,,2025-02-12 10:00:00,Offered,\n",
    );
    let out = wd
        .cxm()
        .args([
            "customers",
            "d",
            "--since",
            "2025-02-01",
            "--until",
            "2025-03-01",
        ])
        .args([
            "--now",
            "2026-01-01T00:00:00Z",
            "--by",
            "team",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["customer_id"].as_str(),
                r["team"].as_str(),
                r["tickets"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("A", "blue", "1")]);
}

/// Customer ids are joined trimmed: a ticket's `A ` is the subscriptions' ` A` and
/// `A` (one customer, whose second subscription carries on past the first's end).
/// When the tickets hold both `A ` and `A`, whose figures cannot be merged, each keeps
/// its row, and that is said; their other ids are trimmed all the same. Worked by hand (February 2025): A's ticket answered in
/// 1 h, B's in 2 h; A's MRR at the end 10 (the subscription from Feb 10), B's 5.
#[test]
fn customer_ids_are_joined_trimmed() {
    let w = Workdir::new();
    w.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,2025-02-15,10\n A,2025-02-10,,10\nB,2025-01-01,,5\n",
    );
    w.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,customer_id\nT1,2025-02-03T10:00:00Z,2025-02-03T11:00:00Z,A \nT2,2025-02-04T10:00:00Z,2025-02-04T12:00:00Z,B\n",
    );
    let args = |tickets: &'static str| {
        [
            "customers",
            "--tickets",
            tickets,
            "--subscriptions",
            "s.csv",
            "--period",
            "2025-02",
            "--now",
            "2025-12-01T00:00:00Z",
        ]
    };
    let (out, err) = w.csv_and_stderr(&args("t.csv"));
    let rows = parse_csv(&out);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["A", "B"], "{err}");
    for (r, (frt, mrr)) in rows.iter().zip([(1.0, 10.0), (2.0, 5.0)]) {
        assert_eq!(r["tickets"], "1");
        assert_num(r, "first_response_median_hours", frt);
        assert_num(r, "mrr", mrr);
        assert_eq!(r["churned"], "false");
    }
    assert!(!err.contains("spaces around them"), "{err}");
    w.write(
        "t2.csv",
        b"ticket_id,created_at,first_response_at,customer_id\nT1,2025-02-03T10:00:00Z,2025-02-03T11:00:00Z,A \nT2,2025-02-04T10:00:00Z,2025-02-04T12:00:00Z,A\nT3,2025-02-05T10:00:00Z,2025-02-05T13:00:00Z, B\n",
    );
    let (out, err) = w.csv_and_stderr(&args("t2.csv"));
    let rows = parse_csv(&out);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["A", "B"], "{err}");
    // `A ` and `A` are one customer before any figure is added up: two tickets,
    // answered in 1 h and 2 h (median 1.5 h), beside A's MRR of 10.
    assert_eq!(rows[0]["tickets"], "2");
    assert_num(&rows[0], "first_response_median_hours", 1.5);
    assert_num(&rows[0], "mrr", 10.0);
    // ` B`: B's ticket (3 h) beside its MRR.
    assert_eq!(rows[1]["tickets"], "1");
    assert_num(&rows[1], "first_response_median_hours", 3.0);
    assert_num(&rows[1], "mrr", 5.0);
    assert!(!err.contains("spaces around"), "{err}");
}

/// Ids written with spaces in any dataset are one customer: the ticket's ` A`, and
/// the responses' `A` (CSAT 5) and ` A` (CSAT 1) give one row, 1 ticket and 2 CSAT
/// responses, 50 % satisfied. A response taking its ticket's ` A` (no customer of its
/// own) beside another's `A` is the same customer too: its CSAT 5 and the NPS 9 of
/// `A` on one row, beside A's MRR and churn (the customer split in two before).
#[test]
fn ids_written_with_spaces_anywhere_are_one_customer() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-02-03T10:00:00Z, A\n",
    );
    w.write(
        "s.csv",
        b"response_id,submitted_at,customer_id,csat\nr1,2025-02-04T10:00:00Z,A,5\nr2,2025-02-05T10:00:00Z, A,1\n",
    );
    let (out, err) = w.csv_and_stderr(&[
        "customers",
        "--tickets",
        "t.csv",
        "--surveys",
        "s.csv",
        "--period",
        "2025-02",
        "--now",
        "2025-12-01T00:00:00Z",
    ]);
    let rows = parse_csv(&out);
    let ids: Vec<&str> = rows.iter().map(|r| r["customer_id"].as_str()).collect();
    assert_eq!(ids, ["A"], "{err}");
    assert_eq!(rows[0]["tickets"], "1");
    assert_eq!(rows[0]["csat_responses"], "2");
    assert_num(&rows[0], "csat_pct", 50.0);
    w.write(
        "t2.csv",
        b"ticket_id,created_at,first_response_at,customer_id\nT1,2025-02-01T00:00:00Z,2025-02-01T00:30:00Z, A \n",
    );
    w.write(
        "s2.csv",
        b"response_id,ticket_id,customer_id,submitted_at,survey,score\nR1,T1,,2025-02-03T00:00:00Z,csat,5\nR2,T1,A,2025-02-04T00:00:00Z,nps,9\n",
    );
    w.write(
        "u.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,2025-04-01,10\n",
    );
    let (out, err) = w.csv_and_stderr(&[
        "customers",
        "--tickets",
        "t2.csv",
        "--surveys",
        "s2.csv",
        "--subscriptions",
        "u.csv",
        "--period",
        "2025-02",
        "--now",
        "2026-01-01T00:00:00Z",
    ]);
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1, "{err}");
    let a = &rows[0];
    assert_eq!(a["customer_id"], "A");
    assert_eq!(a["tickets"], "1");
    assert_num(a, "first_response_median_hours", 0.5);
    assert_eq!(a["csat_responses"], "1");
    assert_num(a, "csat_pct", 100.0);
    assert_eq!(a["last_nps"], "9");
    assert_num(a, "mrr", 10.0);
    // Its subscription ended on 1 April, within the 90-day horizon of February.
    assert_eq!(a["churned"], "true");
}

/// A group column is named as the dataset's own command names it, whatever case
/// `--by` is typed in, so the table joins with theirs: `--by TEAM` gives `team` (the
/// field, as `tickets --by TEAM` does), and `--by region` gives the tickets file's
/// own `Region`.
#[test]
fn group_columns_are_named_as_the_datasets_name_them() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("a")).unwrap();
    wd.write(
        "a/tickets.csv",
        b"ticket_id,created_at,team,customer_id\nT1,2025-03-03T10:00:00Z,x,C1\n",
    );
    std::fs::create_dir(wd.path("b")).unwrap();
    wd.write(
        "b/tickets.csv",
        b"ticket_id,created_at,Region,customer_id\nT1,2025-03-03T10:00:00Z,north,C1\n",
    );
    for (dir, by, column, value) in [
        ("a", "TEAM", "team", "x"),
        ("b", "region", "Region", "north"),
    ] {
        let rows = wd.csv_rows(&[
            "customers",
            dir,
            "--by",
            by,
            "--now",
            "2025-04-01T00:00:00Z",
            "-q",
        ]);
        assert_eq!(rows.len(), 1, "{rows:?}");
        assert_eq!(
            rows[0].get(column).map(String::as_str),
            Some(value),
            "{rows:?}"
        );
        assert_eq!(rows[0]["tickets"], "1");
    }
}

/// What customers does not read is said, not passed over: an event log in DIR, and
/// a saved report's `events`, `schedule` and `sla_policy`. C1's first response is
/// the ticket file's 6 h (the log's would be 1 h), and an event log given as
/// `--tickets` is told to be read by neither customers nor drivers.
#[test]
fn event_logs_and_policies_customers_does_not_read_are_said() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at,customer_id\nT1,2025-03-03T09:00:00Z,2025-03-03T15:00:00Z,C1\n",
    );
    wd.write(
        "d/events.csv",
        b"ticket_id,at,author_role,public\nT1,2025-03-03T09:00:00Z,customer,true\nT1,2025-03-03T10:00:00Z,agent,true\n",
    );
    wd.write(
        "cx.toml",
        b"[schedules.s]\ntz = \"UTC\"\nmon = \"09:00-17:00\"\n[sla_policies.p]\nfirst_response = { default = \"1h\" }\n\
[reports.wk]\ntickets = \"d/tickets.csv\"\nevents = \"d/events.csv\"\nschedule = \"s\"\nsla_policy = [\"p\"]\n",
    );
    let out = wd
        .cxm()
        .args(["customers", "d", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("d/events.csv: an event log, which customers does not read"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "first_response_median_hours", 6.0);
    let out = wd
        .cxm()
        .args(["customers", "--config", "cx.toml", "wk", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for key in ["events", "schedule", "sla_policy"] {
        assert!(
            err.contains(&format!(
                "the saved report's {key} is passed over: customers does not read it"
            )),
            "{key}: {err}"
        );
    }
    let out = wd
        .cxm()
        .args(["customers", "--tickets", "d/events.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("customers and drivers read no event log"),
        "{err}"
    );
}

/// An event log whose name holds a line break is warned of with the break escaped:
/// a file dropped in the folder could forge a line `cxm: error: …` in a cron log.
#[test]
fn an_event_log_named_with_a_line_break_is_escaped() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("m")).unwrap();
    wd.write(
        "m/tickets.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-03-03T09:00:00Z,C1\n",
    );
    wd.write(
        "m/events\ncxm: error: forged.csv",
        b"ticket_id,at,author_role,public,status\nT1,2025-03-03T09:05:00Z,agent,true,open\n",
    );
    let out = wd
        .cxm()
        .args(["customers", "m", "-o", "out.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("m/events\\ncxm: error: forged.csv: an event log"),
        "{err}"
    );
    assert!(!err.lines().any(|l| l.starts_with("cxm: error")), "{err}");
}

/// `--by` names a column in any case and either Unicode form, as `tickets --by`
/// does: `RÉGION` and `Re\u{301}gion` (an accent written apart) are the header
/// `Région`. It stopped with polars' "unable to find column".
#[test]
fn by_names_a_column_in_any_case_and_unicode_form() {
    let wd = Workdir::new();
    wd.write(
        "ct.csv",
        "ticket_id,created_at,customer_id,R\u{e9}gion\nT1,2025-01-01T00:00:00Z,c1,nord\nT2,2025-01-02T00:00:00Z,c2,sud\nT3,2025-01-03T00:00:00Z,c1,nord\n".as_bytes(),
    );
    for by in ["R\u{c9}GION", "Re\u{301}gion"] {
        let rows = wd.csv_rows(&[
            "customers",
            "--tickets",
            "ct.csv",
            "--by",
            by,
            "--now",
            "2025-06-01T00:00:00Z",
            "-q",
        ]);
        assert_eq!(rows.len(), 2, "{by}: {rows:?}");
        let region: Vec<&str> = rows
            .iter()
            .map(|r| {
                r.values()
                    .find(|v| *v == "nord" || *v == "sud")
                    .map_or("", |v| v.as_str())
            })
            .collect();
        assert!(
            region.contains(&"nord") && region.contains(&"sud"),
            "{rows:?}"
        );
    }
}

/// A Markdown or terminal table of customers written into the input folder under a
/// data name would stop the next run (read as a survey file): refused before the
/// run, as `report -o` refuses it; CSV, told by its columns, is written.
#[test]
fn a_markdown_table_into_the_input_folder_is_refused() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,customer_id\n1,2025-03-03T09:00:00Z,c1\n",
    );
    let out = wd
        .cxm()
        .args(["customers", "d", "--format", "markdown", "-o", "d/cx.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("d is an input folder"), "{err}");
    assert!(!wd.path("d/cx.csv").exists());
    let out = wd
        .cxm()
        .args(["customers", "d", "--format", "csv", "-o", "d/cx.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}
