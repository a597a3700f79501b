//! `cxm drivers` on a hand-made fixture (tests/fixtures/drivers), window January 2025,
//! `--now` 2025-06-01, horizon 90 days (to May 2).
//!
//! Customers with tickets and active on Feb 1: A1–A4 (first reply 1 h; A1's second
//! ticket is unanswered, its median stays 1 h) and B1–B4 (3 h). A1 churns (ends
//! Mar 1), and B1–B3. N1 has no subscription and E1's ended on Jan 20: neither has a
//! churn outcome, so neither is counted. With `--edges 2h`:
//!   [0, 2h): 1 of 4 churned = 25 %; [2h, ∞): 3 of 4 = 75 %; all: 4 of 8.
//! Wilson 95 % (z = 1.959964): 1/4 → [4.5587, 69.9358]; 3/4 → [30.0642, 95.4413];
//! 4/8 → [21.5216, 78.4784] (scipy: norm.ppf(0.975) and the score formula).
//! Relative risk against the best bucket: 0.75 / 0.25 = 3.
//! χ² of [[1, 3], [3, 1]]: expected 2 in every cell, 4 × 1²/2 = 2 on 1 degree of
//! freedom; p = erfc(1) = 0.157299.

use crate::common::{assert_empty, assert_num, fixture, parse_csv, Workdir};

fn drivers(extra: &[&str]) -> Vec<std::collections::HashMap<String, String>> {
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let mut args = drivers_args(&tickets, &subscriptions, extra);
    args.push("-q".into());
    Workdir::new().csv_rows(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

/// The fixture's responses and `rows` after them, as `surveys.csv` in `wd`.
fn surveys_with(wd: &Workdir, rows: &str) {
    let mut surveys = std::fs::read_to_string(fixture("drivers/surveys.csv")).unwrap();
    surveys.push_str(rows);
    wd.write("surveys.csv", surveys.as_bytes());
}

/// `drivers` on these files over the fixture's window and horizon, with `extra`.
fn drivers_args(tickets: &str, subscriptions: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "drivers".to_string(),
        "--tickets".into(),
        tickets.into(),
        "--subscriptions".into(),
        subscriptions.into(),
    ];
    args.extend(
        [
            "--since",
            "2025-01-01",
            "--until",
            "2025-02-01",
            "--now",
            "2025-06-01T00:00:00Z",
        ]
        .map(String::from),
    );
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

/// Churn by the median first response, in buckets below and from 2 h.
const CHURN_BY_FIRST_RESPONSE_AT_2H: [&str; 6] = [
    "--outcome",
    "churn",
    "--factor",
    "first_response_median",
    "--edges",
    "2h",
];

#[test]
fn churn_by_first_response_with_edges() {
    let rows = drivers(&CHURN_BY_FIRST_RESPONSE_AT_2H);
    let buckets: Vec<&str> = rows.iter().map(|r| r["bucket"].as_str()).collect();
    assert_eq!(buckets, ["[0, 2)", "[2, ∞)", "all"]);
    let expect = [
        (4, 25.0, 4.5587, 69.9358),
        (4, 75.0, 30.0642, 95.4413),
        (8, 50.0, 21.5216, 78.4784),
    ];
    for (r, e) in rows.iter().zip(expect) {
        assert_eq!(r["customers"], e.0.to_string());
        assert_num(r, "outcome_pct", e.1);
        assert_num(r, "low95", e.2);
        assert_num(r, "high95", e.3);
    }
    assert_num(&rows[0], "relative_risk", 1.0);
    assert_num(&rows[1], "relative_risk", 3.0);
    assert_empty(&rows[0], "p_value");
    assert_num(&rows[2], "p_value", 0.157299);
}

/// A config file's `by` (for the other commands) does not group the customers: A1,
/// with two tickets, is still one customer, and the buckets hold 4 and 4 of 8.
#[test]
fn a_configured_grouping_leaves_one_row_per_customer() {
    let wd = Workdir::new();
    wd.write("c.toml", b"by = [\"ticket_id\"]\n");
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let mut args = drivers_args(&tickets, &subscriptions, &CHURN_BY_FIRST_RESPONSE_AT_2H);
    args.extend(["--config".into(), "c.toml".into(), "-q".into()]);
    let rows = wd.csv_rows(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let got: Vec<[&str; 2]> = rows
        .iter()
        .map(|r| [r["bucket"].as_str(), r["customers"].as_str()])
        .collect();
    assert_eq!(got, [["[0, 2)", "4"], ["[2, ∞)", "4"], ["all", "8"]]);
    assert_num(&rows[2], "p_value", 0.157299);
}

/// `--time-unit` beside a factor that is no duration changes nothing: said.
#[test]
fn a_time_unit_for_a_count_is_said_unused() {
    let wd = Workdir::new();
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let extra = [
        "--outcome",
        "churn",
        "--factor",
        "tickets",
        "--time-unit",
        "minutes",
    ];
    let args = drivers_args(&tickets, &subscriptions, &extra);
    let (_, err) = wd.csv_and_stderr(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        err.contains(
            "--time-unit: the factor tickets is no duration (its unit is tickets), so not used"
        ),
        "{err}"
    );
    let extra = [
        "--outcome",
        "churn",
        "--factor",
        "first_response_median",
        "--time-unit",
        "minutes",
    ];
    let args = drivers_args(&tickets, &subscriptions, &extra);
    let (_, err) = wd.csv_and_stderr(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!err.contains("--time-unit"), "{err}");
}

/// `--scale` changes drivers' figures only where CSAT is read (a CSAT outcome or the
/// `csat_pct` factor): beside churn by tickets it is said unused, CES's always; with
/// `csat_pct` CSAT's is used and not said.
#[test]
fn a_scale_no_figure_reads_is_said_unused() {
    let wd = Workdir::new();
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let run = |factor: &str| {
        let extra = ["--outcome", "churn", "--factor", factor];
        let mut args = drivers_args(&tickets, &subscriptions, &extra);
        args.extend(["--scale", "csat=1-7", "--scale", "ces=7-1"].map(String::from));
        args.extend(["--surveys".into(), fixture("drivers/surveys.csv")]);
        let (_, err) = wd.csv_and_stderr(&args.iter().map(String::as_str).collect::<Vec<_>>());
        err
    };
    let err = run("tickets");
    for measure in ["csat=1-7", "ces=7-1"] {
        let said = format!(
            "--scale {measure}: neither the outcome (churn) nor the factor (tickets) reads"
        );
        assert!(err.contains(&said), "{err}");
    }
    let err = run("csat_pct");
    assert!(!err.contains("--scale csat"), "{err}");
    assert!(err.contains("--scale ces=7-1: neither"), "{err}");
    // NPS's scale beside the NPS outcome is read.
    let mut args = drivers_args(
        &tickets,
        &subscriptions,
        &[
            "--outcome",
            "nps",
            "--factor",
            "tickets",
            "--scale",
            "nps=0-10",
        ],
    );
    args.extend(["--surveys".into(), fixture("drivers/surveys.csv")]);
    let (_, err) = wd.csv_and_stderr(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(!err.contains("--scale nps"), "{err}");
}

/// A bare edge is in `--time-unit`, the unit of the bucket labels: in minutes, `120`
/// is `2h` (the same two buckets of 4 customers, labelled [0, 120) and [120, ∞)).
#[test]
fn bare_edges_are_in_the_time_unit() {
    for edges in ["120", "2h"] {
        let rows = drivers(&[
            "--outcome",
            "churn",
            "--factor",
            "first_response_median",
            "--time-unit",
            "minutes",
            "--edges",
            edges,
        ]);
        let got: Vec<[&str; 2]> = rows
            .iter()
            .map(|r| [r["bucket"].as_str(), r["customers"].as_str()])
            .collect();
        assert_eq!(
            got,
            [["[0, 120)", "4"], ["[120, ∞)", "4"], ["all", "8"]],
            "{edges}"
        );
    }
    // A word that is not a duration: the message says what a bare number is now.
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let extra = ["--outcome", "churn", "--factor", "first_response_median"];
    let mut args = drivers_args(&tickets, &subscriptions, &extra);
    args.extend(["--time-unit", "minutes", "--edges", "30,abc"].map(String::from));
    let out = Workdir::new().cxm().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a number (in --time-unit) or a duration") && !err.contains("is hours"),
        "{err}"
    );
}

/// The fixture's tickets have no `reopens` column: `--factor reopened_tickets` has
/// nothing to bucket, an error (3) as `--factor csat_pct` without responses is, not
/// an `all` row of 0 customers.
#[test]
fn reopened_tickets_without_reopen_counts_is_an_error() {
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let extra = ["--outcome", "churn", "--factor", "reopened_tickets"];
    let args = drivers_args(&tickets, &subscriptions, &extra);
    let out = Workdir::new().cxm().args(&args).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("need a reopens column"), "{err}");
}

#[test]
fn quantile_buckets_and_empty_ones() {
    // Two values (1 h × 4, 3 h × 4) in 2 quantile buckets: the median edge is 2 h.
    let rows = drivers(&[
        "--outcome",
        "churn",
        "--factor",
        "first_response_median",
        "--buckets",
        "2",
    ]);
    let buckets: Vec<&str> = rows.iter().map(|r| r["bucket"].as_str()).collect();
    assert_eq!(buckets, ["[1, 2)", "[2, 3]", "all"]);
    // Edges past every value leave a bucket empty: no figures, not a zero.
    let rows = drivers(&[
        "--outcome",
        "churn",
        "--factor",
        "first_response_median",
        "--edges",
        "2h,4h",
    ]);
    assert_eq!(rows[2]["bucket"], "[4, ∞)");
    assert_eq!(rows[2]["customers"], "0");
    assert_empty(&rows[2], "outcome_pct");
    assert_num(&rows[3], "p_value", 0.157299);
}

#[test]
fn churn_needs_subscriptions() {
    Workdir::new()
        .cxm()
        .args(["drivers", "--tickets", &fixture("drivers/tickets.csv")])
        .args(["--outcome", "churn", "--factor", "tickets"])
        .assert()
        .code(2);
}

/// CSAT as the factor needs the responses: a usage error naming the option.
#[test]
fn a_csat_factor_needs_surveys() {
    Workdir::new()
        .cxm()
        .args(["drivers", "--tickets", &fixture("drivers/tickets.csv")])
        .args(["--subscriptions", &fixture("drivers/subscriptions.csv")])
        .args(["--outcome", "churn", "--factor", "csat_pct"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--factor csat_pct: give --surveys",
        ));
}

// surveys.csv: answers in [Feb 1, May 2) count (R0 on Jan 20 and R6 on Jun 1 do not).
// CSAT, satisfied ≥ 4: fast A1 5, A2 2 → 1 of 2; slow B1 1, B2 2, B3 5 → 1 of 3.
// Wilson 1/2 → [9.4531, 90.5469], 1/3 → [6.1492, 79.2340]. Not satisfied: 0.5 and
// 0.6667, so the relative risk of the slow bucket is 4/3. χ² of [[1, 1], [2, 1]]
// (not satisfied, satisfied): 0.138889 on 1 degree of freedom, p = 0.709388 (scipy).
// NPS: fast 10 and 3 → 0 ± 138.5929, cut to [−100, 100]; slow 9, 9, 0 → 33.3333 ±
// 106.6889: [−73.3556, 100].
#[test]
fn csat_and_nps_after_the_window() {
    let surveys = fixture("drivers/surveys.csv");
    let csat = drivers(&[
        "--surveys",
        &surveys,
        "--outcome",
        "csat",
        "--factor",
        "first_response_median",
        "--edges",
        "2h",
    ]);
    let expect = [
        (2, 50.0, 9.4531, 90.5469),
        (3, 100.0 / 3.0, 6.1492, 79.2340),
    ];
    for (r, e) in csat.iter().zip(expect) {
        assert_eq!(r["customers"], e.0.to_string(), "{r:?}");
        assert_num(r, "outcome_pct", e.1);
        assert_num(r, "low95", e.2);
        assert_num(r, "high95", e.3);
    }
    assert_num(&csat[1], "relative_risk", 4.0 / 3.0);
    assert_num(&csat[2], "p_value", 0.709388);
    let nps = drivers(&[
        "--surveys",
        &surveys,
        "--outcome",
        "nps",
        "--factor",
        "first_response_median",
        "--edges",
        "2h",
    ]);
    assert_num(&nps[0], "outcome_pct", 0.0);
    assert_num(&nps[0], "low95", -100.0);
    assert_num(&nps[0], "high95", 100.0);
    assert_num(&nps[1], "outcome_pct", 100.0 / 3.0);
    assert_num(&nps[1], "low95", 100.0 / 3.0 - 106.6889);
    assert_num(&nps[1], "high95", 100.0);
}

/// Customers who answered more than once in the outcome window (A1 and B2 twice,
/// R7 and R8 below): each response still counts (A1's 5 and 4 both satisfied, so
/// the fast bucket is 2 of 3: 66.6667 %), and a warning says how many customers
/// answered more than once of the 5 with an outcome, as the interval and the χ²
/// test take the responses as independent. Without repeated answers, no warning.
#[test]
fn repeated_answers_of_a_customer_are_said() {
    let wd = Workdir::new();
    surveys_with(
        &wd,
        "R7,2025-02-20 10:00:00,A1,4,10\nR8,2025-03-20 10:00:00,B2,1,0\n",
    );
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let extra = [
        "--surveys",
        "surveys.csv",
        "--outcome",
        "csat",
        "--factor",
        "first_response_median",
        "--edges",
        "2h",
    ];
    let args = drivers_args(&tickets, &subscriptions, &extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (out, err) = wd.csv_and_stderr(&args);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "outcome_pct", 200.0 / 3.0);
    assert!(
        err.contains("2 of 5 customers gave more than one CSAT response in the outcome window"),
        "{err}"
    );
    let extra = extra.map(|a| match a {
        "surveys.csv" => fixture("drivers/surveys.csv"),
        other => other.to_string(),
    });
    let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
    let args = drivers_args(&tickets, &subscriptions, &extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (_, err) = wd.csv_and_stderr(&args);
    assert!(!err.contains("more than one"), "{err}");
    // A customer left out of the buckets (no first response, so no factor value)
    // is not counted among those who answered more than once: C answered three
    // times, A, B and D once each.
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at,customer_id\n\
T1,2025-03-03T10:00:00Z,2025-03-03T11:00:00Z,A\n\
T2,2025-03-04T10:00:00Z,2025-03-04T12:00:00Z,B\n\
T3,2025-03-05T10:00:00Z,,C\n\
T4,2025-03-06T10:00:00Z,2025-03-06T15:00:00Z,D\n",
    );
    wd.write(
        "d/surveys.csv",
        b"response_id,customer_id,submitted_at,csat\n\
R1,A,2025-04-02T10:00:00Z,5\n\
R2,B,2025-04-03T10:00:00Z,2\n\
R3,C,2025-04-04T10:00:00Z,5\n\
R4,C,2025-04-05T10:00:00Z,4\n\
R5,C,2025-04-06T10:00:00Z,1\n\
R6,D,2025-04-06T10:00:00Z,4\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "drivers",
        "d",
        "--period",
        "2025-03",
        "--factor",
        "first_response_median",
        "--outcome",
        "csat",
        "--edges",
        "2h",
        "--now",
        "2026-01-01T00:00:00Z",
    ]);
    let rows = parse_csv(&out);
    let all = rows.iter().find(|r| r["bucket"] == "all").unwrap();
    assert_eq!(all["customers"], "3", "{rows:?}");
    assert!(!err.contains("more than one"), "{err}");
    assert!(err.contains("1 customer has no value"), "{err}");
}

/// A saved report's `by` has no rows in drivers (`--by` is refused): said, not passed
/// over in silence; the buckets are the same as without it.
#[test]
fn a_saved_reports_by_is_said_to_be_passed_over() {
    let wd = Workdir::new();
    let config = format!(
        "[reports.weekly]\ntickets = {:?}\nsubscriptions = {:?}\nby = \"team\"\n",
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv")
    );
    wd.write("c.toml", config.as_bytes());
    let mut args = vec!["drivers", "--config", "c.toml", "weekly"];
    args.extend(["--since", "2025-01-01", "--until", "2025-02-01"]);
    args.extend(["--now", "2025-06-01T00:00:00Z"]);
    args.extend(CHURN_BY_FIRST_RESPONSE_AT_2H);
    let (out, err) = wd.csv_and_stderr(&args);
    assert!(
        err.contains("reports.weekly.by (team) is passed over: drivers has one row per bucket"),
        "{err}"
    );
    let buckets: Vec<String> = parse_csv(&out)
        .iter()
        .map(|r| r["bucket"].clone())
        .collect();
    assert_eq!(buckets, ["[0, 2)", "[2, ∞)", "all"]);
}

/// `--buckets 0` cannot cut anything: a usage error, not one bucket.
#[test]
fn zero_buckets_is_a_usage_error() {
    let out = Workdir::new()
        .cxm()
        .args(["drivers", "--tickets", "t.csv", "--subscriptions", "s.csv"])
        .args(["--factor", "tickets", "--buckets", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 or more"));
}

/// A percentage factor's edge past 100 would leave its top bucket always empty: a
/// usage error naming the factor; 100 itself is an edge (the customers at 100 %).
#[test]
fn a_percentage_edge_past_100_is_a_usage_error() {
    let run = sla_pct_with_edges;
    let out = run("50,120");
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("sla_pct is a percentage, at most 100 (got 120)"),
        "{err}"
    );
    let out = run("50,100");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    // A percentage's last bucket ends at 100, closed, where a duration's runs to ∞.
    let buckets = |out: std::process::Output| -> Vec<String> {
        parse_csv(&out.stdout)
            .iter()
            .map(|r| r["bucket"].clone())
            .collect()
    };
    assert_eq!(buckets(out), ["[0, 50)", "[50, 100)", "[100, 100]", "all"]);
    assert_eq!(buckets(run("50")), ["[0, 50)", "[50, 100]", "all"]);
}

/// Options drivers does not read are refused in its own words; `--sla` is read by the
/// `sla_pct` factor only.
#[test]
fn options_that_do_not_apply_are_refused() {
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let refused = |extra: &[&str], said: &str| {
        let args = drivers_args(&tickets, &subscriptions, extra);
        let out = Workdir::new().cxm().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{extra:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(said), "{extra:?}: {stderr}");
    };
    let by_tickets = ["--outcome", "churn", "--factor", "tickets"];
    refused(
        &[&by_tickets[..], &["--every", "month"]].concat(),
        "drivers: --every does not apply (one row per bucket of the factor)",
    );
    refused(
        &[&by_tickets[..], &["--sla", "2h"]].concat(),
        "drivers: --sla is the target of the sla_pct factor (--factor sla_pct)",
    );
    let by_sla = drivers(&["--outcome", "churn", "--factor", "sla_pct", "--sla", "2h"]);
    // All eight customers active at the window's end have a first-response verdict.
    let all = by_sla.last().unwrap();
    assert_eq!(
        (all["bucket"].as_str(), all["customers"].as_str()),
        ("all", "8")
    );
}

/// A bucket where nobody churned: its rate is 0, so no bucket has a ratio to it.
/// C1, C2 (first reply 1 h) stay; D1 (3 h) churns on Mar 1, D2 stays. `--edges 2h`:
/// [0, 2h) 0 of 2, [2h, ∞) 1 of 2 = 50 %.
#[test]
fn relative_risk_against_no_bad_outcome_is_empty_and_said() {
    let wd = Workdir::new();
    let tickets = wd.write(
        "tickets.csv",
        b"ticket_id,created_at,first_response_at,customer_id\n\
          T1,2025-01-10 09:00:00,2025-01-10 10:00:00,C1\n\
          T2,2025-01-10 09:00:00,2025-01-10 10:00:00,C2\n\
          T3,2025-01-10 09:00:00,2025-01-10 12:00:00,D1\n\
          T4,2025-01-10 09:00:00,2025-01-10 12:00:00,D2\n",
    );
    let subscriptions = wd.write(
        "subscriptions.csv",
        b"customer_id,start_date,end_date,mrr\n\
          C1,2024-06-01,,10\nC2,2024-06-01,,10\nD1,2024-06-01,2025-03-01,10\nD2,2024-06-01,,10\n",
    );
    let args = drivers_args(
        tickets.to_str().unwrap(),
        subscriptions.to_str().unwrap(),
        &CHURN_BY_FIRST_RESPONSE_AT_2H,
    );
    let out = wd
        .cxm()
        .args(&args)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    let buckets: Vec<&str> = rows.iter().map(|r| r["bucket"].as_str()).collect();
    assert_eq!(buckets, ["[0, 2)", "[2, ∞)", "all"]);
    assert_num(&rows[0], "outcome_pct", 0.0);
    assert_num(&rows[1], "outcome_pct", 50.0);
    for r in &rows {
        assert_empty(r, "relative_risk");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("relative_risk left empty: no customer of bucket [0, 2) churned"),
        "{stderr}"
    );
}

/// A CSAT outcome reads neither the subscriptions nor the window's responses: given
/// both, with the churn horizon (Feb 1 + 200 days) past `--now`, nothing is said of
/// churn.
#[test]
fn a_csat_outcome_says_nothing_of_churn() {
    let mut args = drivers_args(
        &fixture("drivers/tickets.csv"),
        &fixture("drivers/subscriptions.csv"),
        &["--surveys", &fixture("drivers/surveys.csv")],
    );
    args.extend(
        [
            "--outcome",
            "csat",
            "--factor",
            "tickets",
            "--horizon",
            "200d",
        ]
        .map(String::from),
    );
    let out = Workdir::new().cxm().args(&args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("churn"), "{err}");
    // Feb 1 + 200 days is Aug 20, after --now (June 1): the responses counted are
    // those given by then, and a warning says so. With 90 days (May 2), none.
    let still_open = "the outcome's window ends after --now (2025-06-01T00:00:00Z)";
    assert!(err.contains(still_open), "{err}");
    args.truncate(args.len() - 2);
    let out = Workdir::new().cxm().args(&args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !err.contains(still_open), "{err}");
}

/// A response after the window that names only its ticket is its ticket's customer's,
/// as in `customers`. A (first responses 0.5 h) gets T3's 5 after the window: 100 %
/// satisfied in [0, 1); B (5 h) gets T4's 1 (by its ticket) and its own 2: 0 % in
/// [1, ∞); 1 of the 3 after-window ratings satisfied overall.
#[test]
fn responses_after_the_window_take_their_tickets_customer() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,customer_id\n\
T1,2025-02-01 10:00:00,2025-02-01 10:30:00,2025-02-01 12:00:00,A\n\
T2,2025-02-02 10:00:00,2025-02-02 15:00:00,2025-02-02 18:00:00,B\n\
T3,2025-04-10 10:00:00,2025-04-10 10:30:00,2025-04-10 12:00:00,A\n\
T4,2025-04-11 10:00:00,2025-04-11 15:00:00,2025-04-11 18:00:00,B\n",
    );
    wd.write(
        "s.csv",
        b"response_id,submitted_at,ticket_id,customer_id,csat\n\
R1,2025-04-10 13:00:00,T3,,5\nR2,2025-04-11 19:00:00,T4,,1\nR3,2025-04-12 19:00:00,T2,B,2\n",
    );
    let rows = wd.csv_rows(&[
        "drivers",
        "--tickets",
        "t.csv",
        "--surveys",
        "s.csv",
        "--outcome",
        "csat",
        "--factor",
        "first_response_median",
        "--edges",
        "1h",
        "--since",
        "2025-01-01",
        "--until",
        "2025-04-01",
        "--now",
        "2026-01-01T00:00:00Z",
    ]);
    let row = |b: &str| rows.iter().find(|r| r["bucket"] == b).unwrap();
    assert_num(row("[0, 1)"), "customers", 1.0);
    assert_num(row("[0, 1)"), "outcome_pct", 100.0);
    assert_num(row("[1, ∞)"), "customers", 1.0);
    assert_num(row("[1, ∞)"), "outcome_pct", 0.0);
    assert_num(row("all"), "outcome_pct", 100.0 / 3.0);
}

/// Seen on 15 March, the outcome window is still open: only the responses given by
/// then count (R1–R4; B3's of 1 April is in the future). Fast: A1 5, A2 2 → 1 of 2;
/// slow: B1 1, B2 2 → 0 of 2.
#[test]
fn responses_after_now_are_not_counted() {
    let args = [
        "drivers",
        "--tickets",
        &fixture("drivers/tickets.csv"),
        "--subscriptions",
        &fixture("drivers/subscriptions.csv"),
        "--surveys",
        &fixture("drivers/surveys.csv"),
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-01",
        "--now",
        "2025-03-15T00:00:00Z",
        "--outcome",
        "csat",
        "--factor",
        "first_response_median",
        "--edges",
        "2h",
        "-q",
    ];
    let rows = Workdir::new().csv_rows(&args);
    assert_eq!(rows[0]["customers"], "2", "{rows:?}");
    assert_num(&rows[0], "outcome_pct", 50.0);
    assert_eq!(rows[1]["customers"], "2", "{rows:?}");
    assert_num(&rows[1], "outcome_pct", 0.0);
}

/// A negative edge is refused as cxm's own usage error (not clap's "unexpected
/// argument '-1'").
#[test]
fn a_negative_edge_is_refused_as_such() {
    for edge in ["-1h", "-2"] {
        let args = drivers_args(
            &fixture("drivers/tickets.csv"),
            &fixture("drivers/subscriptions.csv"),
            &[
                "--outcome",
                "churn",
                "--factor",
                "first_response_median",
                "--edges",
                edge,
            ],
        );
        let out = Workdir::new().cxm().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("--edges: give rising values above 0"), "{err}");
    }
    // Edges out of order name what was given; a count takes plain numbers.
    let run = |factor: &str, edges: &str| {
        let args = drivers_args(
            &fixture("drivers/tickets.csv"),
            &fixture("drivers/subscriptions.csv"),
            &["--outcome", "churn", "--factor", factor, "--edges", edges],
        );
        let out = Workdir::new().cxm().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = run("first_response_median", "4h,1h");
    assert!(
        err.contains("rising values above 0, e.g. 1h,4h,24h (got '4h,1h')"),
        "{err}"
    );
    let err = run("tickets", "1h");
    assert!(
        err.contains("--edges: tickets takes plain numbers (its unit is tickets), got '1h'"),
        "{err}"
    );
}

/// Customers with tickets but no outcome are said: for churn N1 and E1 (no subscription
/// at the window's end); for CSAT the five without a response in [Feb 1, May 2) (A3,
/// A4, B4, N1, E1).
#[test]
fn customers_without_an_outcome_are_said() {
    for (outcome, said) in [
        (
            "churn",
            "2 customers with tickets in the window are no customers at the window's end",
        ),
        (
            "csat",
            "5 customers with tickets in the window gave no CSAT response in the outcome window",
        ),
    ] {
        let mut args = drivers_args(
            &fixture("drivers/tickets.csv"),
            &fixture("drivers/subscriptions.csv"),
            &[
                "--outcome",
                outcome,
                "--factor",
                "first_response_median",
                "--edges",
                "2h",
            ],
        );
        args.extend(["--surveys".into(), fixture("drivers/surveys.csv")]);
        let out = Workdir::new().cxm().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(err.contains(said), "{outcome}: {err}");
    }
}

/// Churn not known yet (the horizon ends after --now) is said as such, not as
/// customers without a subscription: with no customer's churn known, a usage error
/// (exit 2) rather than a table of zeros.
#[test]
fn unknown_churn_is_not_said_to_be_no_subscription() {
    let mut args = drivers_args(
        &fixture("drivers/tickets.csv"),
        &fixture("drivers/subscriptions.csv"),
        &CHURN_BY_FIRST_RESPONSE_AT_2H,
    );
    // The fixture's --now (1 June) replaced by 15 February, before the horizon's end.
    let at = args
        .iter()
        .position(|a| a == "2025-06-01T00:00:00Z")
        .unwrap();
    args[at] = "2025-02-15T00:00:00Z".into();
    let out = Workdir::new().cxm().args(&args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("after --now (2025-02-15 00:00 UTC): no customer's churn is known yet"),
        "{err}"
    );
    assert!(!err.contains("no customers at the window's end"), "{err}");
}

/// A CSAT outcome with `--now` (1 June) before the window's end (1 July): no response
/// after the window is known, so a usage error naming both rather than `all,0`.
#[test]
fn an_outcome_window_after_now_is_refused() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");
    let out = Workdir::new()
        .cxm()
        .args([
            "drivers",
            sample,
            "--since",
            "2025-01-01",
            "--until",
            "2025-07-01",
            "--now",
            "2025-06-01T00:00:00Z",
            "--outcome",
            "csat",
            "--factor",
            "tickets",
            "--buckets",
            "2",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "--now (2025-06-01 00:00 UTC) is not after the window's end (2025-07-01 00:00 UTC)"
        ),
        "{err}"
    );
    // Said alone: no warning of an empty (stale?) window of responses before it.
    assert!(!err.contains("warning"), "{err}");
}

/// `--edges nan` is no edge: a usage error, not a bucket `[0, NaN)` holding everyone.
#[test]
fn a_nan_edge_is_a_usage_error() {
    for edges in ["nan", "1,nan"] {
        let out = sla_pct_with_edges(edges);
        assert_eq!(out.status.code(), Some(2), "{edges}: {out:?}");
    }
}

/// drivers on the fixtures, churn by `sla_pct` bucketed at `edges`.
fn sla_pct_with_edges(edges: &str) -> std::process::Output {
    Workdir::new()
        .cxm()
        .args(["drivers", "--tickets", &fixture("drivers/tickets.csv")])
        .args(["--subscriptions", &fixture("drivers/subscriptions.csv")])
        .args(["--outcome", "churn", "--factor", "sla_pct", "--sla", "1h"])
        .args(["--period", "2025-01", "--now", "2026-01-01T00:00:00Z"])
        .args(["--edges", edges])
        .output()
        .unwrap()
}

/// The page lists the files the question reads, and their rows: churn by first
/// response reads sample-data's 5,000 tickets and 533 subscriptions (5,533 rows), not
/// its surveys; CSAT after it reads the tickets and 2,500 responses (7,500); churn by
/// CSAT reads all three (8,033).
#[test]
fn the_page_names_the_files_the_question_reads() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data");
    let page = |outcome: &str, factor: &str| {
        let out = Workdir::new()
            .cxm()
            .args([
                "drivers",
                sample,
                "--until",
                "2025-07-01",
                "--outcome",
                outcome,
            ])
            .args(["--factor", factor, "--format", "html", "-q"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let churn = page("churn", "first_response_median");
    assert!(churn.contains("5533 rows read"), "{churn}");
    assert!(churn.contains("subscriptions: ") && !churn.contains("surveys: "));
    let csat = page("csat", "first_response_median");
    assert!(csat.contains("7500 rows read"), "{csat}");
    assert!(csat.contains("surveys: ") && !csat.contains("subscriptions: "));
    let both = page("churn", "csat_pct");
    assert!(both.contains("8033 rows read"), "{both}");
}

/// The outcome's responses are read as any survey file is: one submitted in year
/// 9999 is a rejected value, and said so, as with `--factor csat_pct`.
#[test]
fn the_outcomes_rejected_responses_are_said() {
    let wd = Workdir::new();
    surveys_with(&wd, "R9,9999-12-31 00:00:00,B1,5,10\n");
    let out = wd
        .cxm()
        .args(["drivers", "--tickets", &fixture("drivers/tickets.csv")])
        .args([
            "--surveys",
            "surveys.csv",
            "--since",
            "2025-01-01",
            "--until",
            "2025-02-01",
        ])
        .args([
            "--now",
            "2025-06-01T00:00:00Z",
            "--outcome",
            "csat",
            "--factor",
            "tickets",
        ])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("1 rejected: unparseable timestamp in submitted_at")
            && err.contains("the year 9999 is outside"),
        "{err}"
    );
}

/// A survey column off every scale stops `drivers` only where its question reads it:
/// a 0–10 CSAT column (0, 8, 9, 10, 7 off 1–5) does not stop an NPS outcome. A1
/// (first reply 1 h) answers 10 after the window, B1 (3 h) 0: with `--edges 2h`, one
/// customer each side, NPS 100 below 2 h and −100 from it. A CSAT outcome stops.
#[test]
fn an_unread_measure_off_its_scale_does_not_stop() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,customer_id,csat,nps\n\
r1,2025-02-10T10:00:00Z,A1,0,10\n\
r2,2025-02-11T10:00:00Z,B1,8,0\n\
r3,2025-02-12T10:00:00Z,X1,9,\n\
r4,2025-02-13T10:00:00Z,X2,10,\n\
r5,2025-02-14T10:00:00Z,X3,7,\n",
    );
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let surveys = wd.path("s.csv");
    let args = |outcome: &str| {
        let mut args = drivers_args(
            &tickets,
            &subscriptions,
            &[
                "--outcome",
                outcome,
                "--factor",
                "first_response_median",
                "--edges",
                "2h",
            ],
        );
        args.extend([
            "--surveys".to_string(),
            surveys.to_string_lossy().into_owned(),
        ]);
        args
    };
    let nps = args("nps");
    let rows = wd.csv_rows(&nps.iter().map(String::as_str).collect::<Vec<_>>());
    let bucket = |b: &str| {
        rows.iter()
            .find(|r| r["bucket"].starts_with(b))
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        bucket("[0").get("customers").map(String::as_str),
        Some("1"),
        "{rows:?}"
    );
    assert_num(&bucket("[0"), "outcome_pct", 100.0);
    assert_num(&bucket("[2"), "outcome_pct", -100.0);
    let csat = args("csat");
    wd.cxm()
        .args(&csat)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "fall outside the default CSAT scale 1-5",
        ));
}

/// `--outcome nps` on responses with no NPS column (CSAT alone) is an error naming
/// what is missing, not a table of no customers who "gave no NPS response".
#[test]
fn an_outcome_without_its_scores_is_an_error() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    w.write(
        "d/tickets.csv",
        b"ticket_id,customer_id,created_at,resolved_at\nT1,C1,2025-01-05 10:00,2025-01-05 12:00\nT2,C2,2025-01-06 10:00,2025-01-06 11:00\n",
    );
    w.write(
        "d/surveys.csv",
        b"response_id,customer_id,submitted_at,csat\nR1,C1,2025-02-03 10:00,5\nR2,C2,2025-02-04 10:00,2\n",
    );
    w.cxm()
        .args(["drivers", "d", "--outcome", "nps", "--factor", "tickets"])
        .args(["--since", "2025-01-01", "--until", "2025-02-01", "--horizon", "30d"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "drivers --outcome nps: the surveys have no NPS scores (d/surveys.csv: no 'nps' column, nor survey and score columns",
        ));
    // Long form, no row of which names NPS: the same.
    w.write(
        "d/surveys.csv",
        b"response_id,customer_id,submitted_at,survey,score
R1,C1,2025-02-03 10:00,csat,5
R2,C2,2025-02-04 10:00,CSAT,2
",
    );
    w.cxm()
        .args(["drivers", "d", "--outcome", "nps", "--factor", "tickets"])
        .args([
            "--since",
            "2025-01-01",
            "--until",
            "2025-02-01",
            "--horizon",
            "30d",
        ])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "the surveys have no NPS scores (d/surveys.csv: no row's survey names nps",
        ));
    // A row naming it (` Net Promoter Score `, in any case): read, C1 a promoter.
    w.write(
        "d/surveys.csv",
        b"response_id,customer_id,submitted_at,survey,score
R1,C1,2025-02-03 10:00, Net Promoter Score ,10
R2,C2,2025-02-04 10:00,csat,2
",
    );
    let rows = w.csv_rows(&[
        "drivers",
        "d",
        "--outcome",
        "nps",
        "--factor",
        "tickets",
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-01",
        "--horizon",
        "30d",
        "-q",
    ]);
    let all = rows.iter().find(|r| r["bucket"] == "all").unwrap();
    assert_eq!(all["customers"], "1");
}

/// Responses all before the outcome window (`--until 2025-03-01`, 30 days on; the
/// last response is on February 4): the warning names the outcome window and what
/// to change, not a stale export.
#[test]
fn an_empty_outcome_window_is_named_as_such() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    w.write(
        "d/tickets.csv",
        b"ticket_id,customer_id,created_at,resolved_at\nT1,C1,2025-01-05 10:00,2025-01-05 12:00\n",
    );
    w.write(
        "d/surveys.csv",
        b"response_id,customer_id,submitted_at,csat\nR1,C1,2025-02-03 10:00,5\nR2,C1,2025-02-04 10:00,2\n",
    );
    let out = w
        .cxm()
        .args(["drivers", "d", "--outcome", "csat", "--factor", "tickets"])
        .args([
            "--since",
            "2025-01-01",
            "--until",
            "2025-03-01",
            "--horizon",
            "30d",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the outcome window (2025-03-01 00:00 to 2025-03-31 00:00 (end excluded), UTC) holds none of the responses"),
        "{err}"
    );
    assert!(
        err.contains("give an earlier --until or a shorter --horizon"),
        "{err}"
    );
    assert!(!err.contains("stale"), "{err}");
}

/// A measure the outcome does not read is not read at all: CSAT scores on 1–10 beside
/// NPS are no rejects of `--outcome nps` (under `--strict` either), and a row of CSAT
/// alone holds no score of the measure read. A promotes (10, 9: its last is 9), B
/// detracts (3): NPS 0 over 2 customers.
#[test]
fn a_measure_the_outcome_does_not_read_is_not_judged() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-02-01T10:00:00Z,A\nT2,2025-02-01T10:00:00Z,B\n",
    );
    wd.write(
        "s.csv",
        b"response_id,customer_id,submitted_at,csat,nps\nR1,A,2025-04-02T00:00:00Z,10,10\nR2,A,2025-04-03T00:00:00Z,8,9\nR3,B,2025-04-02T00:00:00Z,9,3\nR4,B,2025-04-03T00:00:00Z,7,3\nR5,B,2025-04-04T00:00:00Z,6,\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "drivers",
        "--tickets",
        "t.csv",
        "--surveys",
        "s.csv",
        "--period",
        "2025-Q1",
        "--now",
        "2026-01-01T00:00:00Z",
        "--horizon",
        "30d",
        "--outcome",
        "nps",
        "--factor",
        "tickets",
        "--strict",
        "-v",
    ]);
    assert!(!err.contains("rejected:"), "{err}");
    // R5 holds a CSAT score alone: none of the measure read, said so.
    assert!(
        err.contains("1 without a score of the measure read"),
        "{err}"
    );
    let rows = parse_csv(&out);
    let all = rows
        .iter()
        .find(|r| r["bucket"] == "all")
        .expect("an all row");
    assert_eq!(all["customers"], "2");
    assert_num(all, "outcome_pct", 0.0);
}

/// `drivers --outcome csat --strict` lists the outcome responses' rejects beside the
/// service data's (the tickets' alone stopped the run).
#[test]
fn strict_drivers_lists_the_outcome_responses_rejects_too() {
    let wd = Workdir::new();
    wd.write(
        "dt.csv",
        b"ticket_id,customer_id,created_at\n1,c1,2025-01-01T10:00:00Z\n2,c2,bad\n",
    );
    wd.write(
        "ds.csv",
        b"response_id,customer_id,submitted_at,csat\n1,c1,2025-02-10T10:00:00Z,5\n2,c2,bad,4\n",
    );
    // stderr of a strict run with this factor, which stops (exit 3).
    let stops = |factor: &str| {
        let out = wd
            .cxm()
            .args(["drivers", "--tickets", "dt.csv", "--surveys", "ds.csv"])
            .args(["--outcome", "csat", "--factor", factor])
            .args(["--since", "2025-01-01", "--until", "2025-02-01"])
            .args(["--now", "2026-01-01T00:00:00Z", "--strict"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(3), "{err}");
        err
    };
    let err = stops("tickets");
    assert!(
        err.contains("--strict: 2 kind(s) of rejected values"),
        "{err}"
    );
    assert!(
        err.contains("dt.csv:3") && err.contains("ds.csv:3"),
        "{err}"
    );
    // The responses read for the factor too: each reject once.
    let err = stops("csat_pct");
    assert_eq!(err.matches("ds.csv:3").count(), 1, "{err}");
}

/// A table for people names the outcome and the factor's unit in its title: its
/// `outcome %` is churned customers for one outcome, satisfied responses for another.
#[test]
fn a_table_for_people_names_the_outcome_and_the_unit() {
    let wd = Workdir::new();
    let (tickets, subscriptions) = (
        fixture("drivers/tickets.csv"),
        fixture("drivers/subscriptions.csv"),
    );
    let extra = [
        "--outcome",
        "churn",
        "--factor",
        "first_response_median",
        "--format",
        "markdown",
    ];
    let args = drivers_args(&tickets, &subscriptions, &extra);
    let out = wd.cxm().args(&args).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("Drivers: churned % of customers, by the customers' first\\_response\\_median (buckets in hours)"),
        "{md}"
    );
}
