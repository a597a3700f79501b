//! Retention (SPEC §10) on hand-made fixtures (tests/fixtures/retention). Every
//! expected value is worked out below.

use crate::common::{assert_empty, assert_num, csv_rows, fixture, Workdir};
use predicates::prelude::PredicateBooleanExt;

// movements.csv, monthly buckets of 2025-Q1; MRR of each customer at Jan 1 / Feb 1 /
// Mar 1 / Apr 1 (active at d: start ≤ d < end):
//   U  upgrade 10 → 30 on Feb 10 (plan change, back to back)  10  10  30  30
//   W  downgrade 50 → 20 on Jan 20                            50  20  20  20
//   X  churns on Feb 14                                        25  25   -   -
//   Y  gone Dec 20, back Mar 5 (a win-back)                     -   -   -  15
//   Z  plan change on Jan 15, same MRR                         40  40  40  40
//   V  10, plus a concurrent add-on of 5 from Jan 10 to Mar 20 10  15  15  10
//   S  Feb 3 – Feb 25: starts and ends inside February          -   -   -   -
//   N  new on Jan 12                                            -  12  12  12
// January:  start U W X Z V = 135; end 122; new N 12; expansion V 5; contraction W 30;
//           135 + 12 + 5 − 30 = 122. NRR 110/135, GRR 105/135, quick 17/30.
// February: start 122; end 117; X lost 25; U expands 20; S new (counted) with no MRR
//           at Mar 1. 122 + 20 − 25 = 117. NRR 117/122, GRR 97/122, quick 20/25.
// March:    start 117; end 127; Y reactivates 15; V contracts 5. 117 + 15 − 5 = 127.
//           NRR = GRR = 112/117, quick 15/5.
#[test]
fn movements_by_month() {
    let rows = csv_rows(&[
        "churn",
        &fixture("retention/movements.csv"),
        "--movements",
        "--since",
        "2025-01-01",
        "--until",
        "2025-04-01",
        "-q",
    ]);
    assert_eq!(rows.len(), 3);
    #[rustfmt::skip]
    let expect = [
        // start, end, new, react, exp, contr, lost, reactivated, churned, new customers
        (135.0, 122.0, 12.0, 0.0, 5.0, 30.0, 0.0, 0, 0, 1),
        (122.0, 117.0, 0.0, 0.0, 20.0, 0.0, 25.0, 0, 1, 1),
        (117.0, 127.0, 0.0, 15.0, 0.0, 5.0, 0.0, 1, 0, 0),
    ];
    for (r, e) in rows.iter().zip(expect) {
        assert_num(r, "mrr_start", e.0);
        assert_num(r, "mrr_end", e.1);
        assert_num(r, "mrr_new", e.2);
        assert_num(r, "mrr_reactivation", e.3);
        assert_num(r, "mrr_expansion", e.4);
        assert_num(r, "mrr_contraction", e.5);
        assert_num(r, "mrr_lost", e.6);
        assert_eq!(r["reactivated_customers"], e.7.to_string(), "{r:?}");
        assert_eq!(r["churned"], e.8.to_string(), "{r:?}");
        assert_eq!(r["new_customers"], e.9.to_string(), "{r:?}");
        // mrr_churned is lost + contraction, as before.
        assert_num(r, "mrr_churned", e.6 + e.5);
        assert_num(r, "nrr_pct", 100.0 * (e.0 + e.4 - e.5 - e.6) / e.0);
        assert_num(r, "grr_pct", 100.0 * (e.0 - e.5 - e.6) / e.0);
    }
    assert_num(&rows[0], "quick_ratio", 17.0 / 30.0);
    assert_num(&rows[1], "quick_ratio", 20.0 / 25.0);
    assert_num(&rows[2], "quick_ratio", 15.0 / 5.0);
}

#[test]
fn quick_ratio_is_empty_without_losses_and_movements_need_mrr() {
    let w = Workdir::new();
    w.write(
        "subs.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,10\nB,2025-01-10,,5\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "subs.csv",
        "--movements",
        "--period",
        "2025-01",
        "-q",
    ]);
    assert_num(&rows[0], "mrr_new", 5.0);
    assert_empty(&rows[0], "quick_ratio");
    w.write(
        "plain.csv",
        b"customer_id,start_date,end_date\nA,2025-01-01,\n",
    );
    w.cxm()
        .args(["churn", "plain.csv", "--movements"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("--movements needs MRR"));
    // A column of MRR blank throughout is said (each MRR figure a 0 that says
    // nothing); one blank among amounts is a free plan, counted at 0 (`-v`).
    w.write(
        "blank.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,\nB,2025-01-05,2025-02-01,\n",
    );
    let (_, err) = w.csv_and_stderr(&["churn", "blank.csv", "--movements", "--period", "2025-01"]);
    assert!(
        err.contains(
            "column 'mrr' (mrr) is blank in every subscription read (2): each MRR figure is 0"
        ),
        "{err}"
    );
    w.write(
        "free.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,\nB,2025-01-05,2025-02-01,5\n",
    );
    let (_, err) = w.csv_and_stderr(&["churn", "free.csv", "--movements", "--period", "2025-01"]);
    assert!(!err.contains("blank"), "{err}");
    // Activity churn has no MRR to map: said so.
    w.write("act.csv", b"customer_id,event_at\nA,2025-01-01\n");
    w.cxm()
        .args(["churn", "act.csv", "--inactive-after", "30d", "--movements"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--movements needs MRR, which activity churn (--inactive-after) has none of",
        ));
}

/// Survival without `--now` is censored at the data's latest date (SPEC §10); when
/// that date is after the present (a planned end in 2099), a warning says so, and
/// `--now` silences it.
#[test]
fn survival_censored_after_the_present_is_warned_of() {
    let w = Workdir::new();
    w.write(
        "subs.csv",
        b"customer_id,start_date,end_date\nA,2025-01-01,2025-03-01\nB,2025-01-01,2099-06-30\n",
    );
    let out = w
        .cxm()
        .args(["churn", "subs.csv", "--survival"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the survival is censored at the data's latest date, 2099-06-30 00:00 UTC, after the present"),
        "{err}"
    );
    let out = w
        .cxm()
        .args([
            "churn",
            "subs.csv",
            "--survival",
            "--now",
            "2025-06-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

// Cohorts of movements.csv from 2024-09 to 2025-03, measured to Apr 1 (the window's
// end): by first start, Y Sep, X Oct, W Nov, U Z V Dec, N Jan, S Feb, nobody in March.
//   Dec (U Z V): MRR at Jan 1 10+40+10 = 60, Feb 1 10+40+15 = 65, Mar 1 30+40+15 = 85,
//                Apr 1 30+40+10 = 80; all three active throughout.
//   Sep (Y):     active at Oct 1, Nov 1, Dec 1; not Jan 1, Feb 1, Mar 1; again Apr 1.
//   Feb (S):     gone by Mar 1: age 0 retention 0, its net MRR retention empty (0 → 0).
//   Mar:         0 customers: one row at age 0, retention empty.
#[test]
fn cohorts_by_hand() {
    let movements = fixture("retention/movements.csv");
    let run = [
        "churn",
        movements.as_str(),
        "--cohorts",
        "--since",
        "2024-09-01",
        "--until",
        "2025-04-01",
        "-q",
    ];
    let rows = csv_rows(&run);
    let of = |cohort: &str| -> Vec<_> { rows.iter().filter(|r| r["cohort"] == cohort).collect() };
    let dec = of("2024-12");
    assert_eq!(dec.len(), 4, "ages 0..3: Jan 1 to Apr 1");
    for (r, mrr) in dec.iter().zip([60.0, 65.0, 85.0, 80.0]) {
        assert_eq!(r["customers"], "3");
        assert_eq!(r["active"], "3");
        assert_num(r, "retention_pct", 100.0);
        assert_num(r, "mrr_start", 60.0);
        assert_num(r, "mrr", mrr);
        assert_num(r, "net_mrr_retention_pct", 100.0 * mrr / 60.0);
    }
    let sep: Vec<&str> = of("2024-09").iter().map(|r| r["active"].as_str()).collect();
    assert_eq!(sep, ["1", "1", "1", "0", "0", "0", "1"]);
    let feb = of("2025-02");
    assert_eq!(feb.len(), 2);
    assert_num(feb[0], "retention_pct", 0.0);
    assert_empty(feb[0], "net_mrr_retention_pct");
    let mar = of("2025-03");
    assert_eq!(mar.len(), 1);
    assert_eq!(mar[0]["customers"], "0");
    assert_empty(mar[0], "retention_pct");
    let ages: Vec<&str> = of("2025-01").iter().map(|r| r["age"].as_str()).collect();
    assert_eq!(ages, ["0", "1", "2"]);
    // A cohort's age names its row: no metric for a rule. A breach names both: the
    // September cohort is at 0 active first at age 3 (Jan 1).
    let args = [&run[..], &["--format", "csv", "--fail-if"]].concat();
    let w = crate::common::Workdir::new();
    let out = w.cxm().args(&args).arg("age>0").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("'age' is a group column"), "{err}");
    let out = w.cxm().args(&args).arg("active<1").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("cohort=2024-09 age=3: active = 0"), "{err}");
}

/// A window where nobody started still has its cohorts, of 0 customers (2030's
/// January at ages 0 and 1, February at 0); with `--by plan`, a plan none of whose
/// customers started in the window keeps its rows too (`team`, whose only customer Z
/// started in December 2024, in 2025-Q1: three cohorts, 3 + 2 + 1 ages).
#[test]
fn cohorts_of_nobody_keep_their_rows() {
    let rows = csv_rows(&[
        "churn",
        &fixture("retention/movements.csv"),
        "--cohorts",
        "--since",
        "2030-01-01",
        "--until",
        "2030-03-01",
        "-q",
    ]);
    let cells: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["cohort"].as_str(),
                r["age"].as_str(),
                r["customers"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("2030-01", "0", "0"),
            ("2030-01", "1", "0"),
            ("2030-02", "0", "0")
        ]
    );
    let rows = csv_rows(&[
        "churn",
        &fixture("retention/movements.csv"),
        "--cohorts",
        "--by",
        "plan",
        "--period",
        "2025-Q1",
        "-q",
    ]);
    let team: Vec<_> = rows.iter().filter(|r| r["plan"] == "team").collect();
    assert_eq!(team.len(), 6, "{rows:?}");
    assert!(team.iter().all(|r| r["customers"] == "0"), "{team:?}");
}

/// The cohorts' groups are the churn table's: a plan with no subscription active in
/// the window (B's `ent`, May to June, against January–February), or only one that
/// ends as it starts (A's same-day `ent`), has no rows; a one-day `ent` has.
#[test]
fn cohorts_show_the_groups_of_the_range() {
    let wd = Workdir::new();
    wd.write(
        "win.csv",
        b"customer_id,plan,start_date,end_date,mrr\nA,basic,2025-01-01,,10\nB,ent,2025-05-10,2025-06-20,10\n",
    );
    let plans = |file: &str, extra: &[&str]| -> Vec<(String, String, String)> {
        let mut args = vec!["churn", file, "--cohorts", "--by", "plan", "-q"];
        args.extend(extra);
        wd.csv_rows(&args)
            .iter()
            .map(|r| (r["plan"].clone(), r["cohort"].clone(), r["age"].clone()))
            .collect()
    };
    let row = |p: &str, c: &str, a: &str| (p.to_string(), c.to_string(), a.to_string());
    // January's cohort looked at on Feb 1 and Mar 1, February's on Mar 1.
    assert_eq!(
        plans(
            "win.csv",
            &["--since", "2025-01-01", "--until", "2025-03-01"]
        ),
        [
            row("basic", "2025-01", "0"),
            row("basic", "2025-01", "1"),
            row("basic", "2025-02", "0")
        ]
    );
    // Without a window the range runs to June: `ent` is in it.
    let all = plans("win.csv", &[]);
    assert!(all.iter().any(|r| r.0 == "ent"), "{all:?}");
    for (end, shown) in [("2025-02-10", false), ("2025-02-11", true)] {
        wd.write(
            "zl.csv",
            format!("customer_id,plan,start_date,end_date,mrr\nA,basic,2025-01-01,,10\nA,ent,2025-02-10,{end},10\n").as_bytes(),
        );
        let rows = plans("zl.csv", &["--until", "2025-04-01"]);
        assert_eq!(rows.iter().any(|r| r.0 == "ent"), shown, "{end}: {rows:?}");
        assert_eq!(
            rows.iter().filter(|r| r.0 == "basic").count(),
            6,
            "{end}: {rows:?}"
        );
    }
}

/// A window ending inside a bucket (2025-01-01 to 2025-02-15): January's cohort (N,
/// new on Jan 12, 12 a month) is looked at on Feb 1; February's (S, from Feb 3) has
/// no age yet, but is there with its one customer and nothing measured, not left out.
#[test]
fn a_cohort_whose_first_age_has_not_come_keeps_its_row() {
    let rows = csv_rows(&[
        "churn",
        &fixture("retention/movements.csv"),
        "--cohorts",
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-15",
        "-q",
    ]);
    assert_eq!(rows.len(), 2, "{rows:?}");
    let (jan, feb) = (&rows[0], &rows[1]);
    assert_eq!(
        (
            jan["cohort"].as_str(),
            jan["age"].as_str(),
            jan["customers"].as_str()
        ),
        ("2025-01", "0", "1")
    );
    assert_eq!((jan["active"].as_str(), jan["mrr"].as_str()), ("1", "12"));
    assert_num(jan, "retention_pct", 100.0);
    assert_eq!(
        (
            feb["cohort"].as_str(),
            feb["age"].as_str(),
            feb["customers"].as_str()
        ),
        ("2025-02", "0", "1")
    );
    for column in [
        "active",
        "retention_pct",
        "mrr_start",
        "mrr",
        "net_mrr_retention_pct",
    ] {
        assert_empty(feb, column);
    }
}

#[test]
fn cohort_table_is_a_triangle() {
    let out = Workdir::new()
        .cxm()
        .args(["churn", &fixture("retention/movements.csv"), "--cohorts"])
        .args([
            "--since",
            "2024-12-01",
            "--until",
            "2025-04-01",
            "--format",
            "table",
        ])
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    // Dec: 4 ages; Jan (N): 3; Feb (S): 2 at 0 %; Mar: 1, empty (no customers).
    let line = |cohort: &str| {
        text.lines()
            .find(|l| l.contains(cohort))
            .unwrap_or_else(|| panic!("no {cohort} in\n{text}"))
            .to_string()
    };
    assert_eq!(line("2024-12").matches("100.00").count(), 4, "{text}");
    assert_eq!(line("2025-01").matches("100.00").count(), 3, "{text}");
    assert_eq!(line("2025-02").matches(" 0.00").count(), 2, "{text}");
    assert!(text.contains("customers"), "{text}");
}

// survival.csv censored at 2025-02-20, grace 0: lifetimes a 10 E, b 10 E (a tie),
// c 20 C (Jan 31 → now), d 40 E, e 50 C (still running), f 4 E (Jan 1–5, then a gap).
// Without f (its own test below) the table is: t=10 n=5 d=2 → S 0.6, V 2/15;
// t=40 n=2 d=1 → S 0.3, V 2/15 + 1/2. With f (4 days, first): t=4 n=6 d=1 → 5/6;
// t=10 n=5 d=2 → 5/6 × 3/5 = 0.5; t=40 n=2 d=1 → 0.25.
/// A folder with survival.csv less customer f, as `s.csv`.
fn without_f() -> Workdir {
    let w = Workdir::new();
    let src = std::fs::read_to_string(fixture("retention/survival.csv")).unwrap();
    let kept: String = src
        .lines()
        .filter(|l| !l.starts_with("f,"))
        .map(|l| format!("{l}\n"))
        .collect();
    w.write("s.csv", kept.as_bytes());
    w
}

/// `churn s.csv --survival` censored at 2025-02-20, with `extra`.
fn survival(w: &Workdir, extra: &[&str]) -> std::process::Output {
    w.cxm()
        .args([
            "churn",
            "s.csv",
            "--survival",
            "--now",
            "2025-02-20T00:00:00Z",
        ])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn survival_with_ties_and_censoring() {
    let w = without_f();
    let rows = w.csv_rows(&[
        "churn",
        "s.csv",
        "--survival",
        "--now",
        "2025-02-20T00:00:00Z",
        "-q",
    ]);
    assert_eq!(rows.len(), 3, "months 0, 1, 2 (50 days ≤ 60.875)");
    let counts: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["at_risk"].as_str(),
                r["churned"].as_str(),
                r["censored"].as_str(),
            )
        })
        .collect();
    assert_eq!(counts, [("5", "0", "0"), ("5", "2", "1"), ("2", "1", "1")]);
    assert_num(&rows[0], "survival_pct", 100.0);
    assert_num(&rows[1], "survival_pct", 60.0);
    assert_num(&rows[2], "survival_pct", 30.0);
    // 0.6^exp(∓1.959964 √(2/15) / ln 0.6) and 0.3^exp(∓1.959964 √(19/30) / ln 0.3),
    // worked with a calculator (and lifelines: tests/fixtures/crosscheck/survival.py).
    assert_num(&rows[1], "survival_low95", 12.573018);
    assert_num(&rows[1], "survival_high95", 88.175641);
    assert_num(&rows[2], "survival_low95", 1.230153);
    assert_num(&rows[2], "survival_high95", 71.921802);
    // The median lifetime (S first ≤ 0.5 at 40 days) is in the JSON summary.
    let out = survival(&w, &["-q", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let median = v["lifetime"][0]["median_lifetime_months"].as_f64().unwrap();
    assert!((median - 40.0 / 30.4375).abs() < 1e-4, "{v}");
    assert_eq!(v["lifetime"][0]["customers"], 5);
    assert_eq!(v["survival"].as_array().map(Vec::len), Some(3));
    // A rule reads the median lifetime (40 / 30.4375 = 1.3142 months) in CSV too,
    // which prints only the curve.
    for format in ["csv", "table"] {
        let fires = |rule: &str| {
            survival(&w, &["-q", "--format", format, "--fail-if", rule])
                .status
                .code()
        };
        assert_eq!(fires("median_lifetime_months<1.32"), Some(4), "{format}");
        assert_eq!(fires("median_lifetime_months<1.31"), Some(0), "{format}");
        // `churned` is each month's (0, 2, 1), not the lifetime table's total of 3,
        // which had a rule fire on a row no CSV shows.
        assert_eq!(fires("churned>2"), Some(0), "{format}");
        let out = survival(&w, &["-q", "--format", format, "--fail-if", "churned>1"]);
        assert_eq!(out.status.code(), Some(4), "{format}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("month=1: churned = 2") && !err.contains("more row"),
            "{err}"
        );
    }
}

/// Survival has no buckets: `--every` is refused, and subscriptions spanning
/// more than a century (the first date read, and a placeholder end) need no window:
/// A runs 1900–9999 (no end), B starts in 2025 and is open, so neither churns and both
/// are at risk in month 0. A start in the year 1 is a misread date, rejected as a
/// ticket's time is.
#[test]
fn survival_takes_no_buckets() {
    let w = without_f();
    let out = survival(&w, &["--every", "week"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--every does not apply"));
    w.write(
        "long.csv",
        b"customer_id,start_date,end_date\nA,1900-01-01,9999-12-31\nB,2025-01-01,\nC,0001-01-01,\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "long.csv",
        "--survival",
        "--now",
        "2025-02-20T00:00:00Z",
        "-q",
    ]);
    assert_eq!(rows[0]["at_risk"], "2");
    assert!(rows.iter().all(|r| r["churned"] == "0"));
    let out = w
        .cxm()
        .args([
            "churn",
            "long.csv",
            "--survival",
            "--now",
            "2025-02-20T00:00:00Z",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the year 1 is outside 1900–2099"), "{err}");
}

#[test]
fn grace_bridges_short_gaps() {
    let args = |grace: &str| {
        let mut a = vec![
            "churn".to_string(),
            fixture("retention/survival.csv"),
            "--survival".into(),
            "--now".into(),
            "2025-02-20T00:00:00Z".into(),
            "-q".into(),
        ];
        if !grace.is_empty() {
            a.extend(["--grace".to_string(), grace.to_string()]);
        }
        a
    };
    let run = |grace: &str| {
        let a = args(grace);
        csv_rows(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // No grace: f ends at 4 days; S = 5/6 × 3/5 = 0.5 at 10 days, 0.25 at 40.
    let rows = run("");
    assert_num(&rows[1], "survival_pct", 50.0);
    assert_num(&rows[2], "survival_pct", 25.0);
    // A 3-day grace bridges f's gap (Jan 5 → Jan 8): f lasts to Jan 20, 19 days.
    // t=10 n=6 d=2 → 4/6; t=19 n=4 d=1 → 0.5; t=40 n=2 d=1 → 0.25.
    let rows = run("3d");
    assert_num(&rows[1], "survival_pct", 50.0);
    assert_eq!(rows[1]["churned"], "3");
    let rows = run("2d");
    assert_eq!(rows[1]["churned"], "3", "4 days in f ends at day 4 still");
    // Beside --cohorts or --movements, which conflict with --survival, it is refused
    // as it is alone (it was taken without a word and changed nothing).
    for mode in [&["--cohorts"][..], &["--movements"], &["--every", "month"]] {
        let mut a = vec!["churn", "x.csv"];
        a.extend(mode);
        a.extend(["--grace", "30d"]);
        Workdir::new().cxm().args(&a).assert().code(2).stderr(
            predicates::str::contains("--grace").and(predicates::str::contains("--survival")),
        );
    }
}

/// A week between two dates is within `--grace 7d` in Berlin too, where the clocks go
/// back on 26 October (7 days and 1 hour elapse): the customer lives from 1 September
/// to 1 December, 91 days and the hour, 91.041667 ÷ 30.4375 = 2.9911 months, rather
/// than ending on 20 October (49 days).
#[test]
fn a_weeks_gap_is_within_a_weeks_grace_across_a_clock_change() {
    let w = Workdir::new();
    w.write(
        "gap.csv",
        b"customer_id,start_date,end_date\na,2025-09-01,2025-10-20\na,2025-10-27,2025-12-01\n",
    );
    let out = w
        .cxm()
        .args(["churn", "gap.csv", "--survival", "--grace", "7d"])
        .args(["--tz", "Europe/Berlin", "--now", "2026-01-01T00:00:00Z"])
        .args(["--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let median = doc.to_string();
    assert!(
        median.contains("\"median_lifetime_months\":2.9911"),
        "{median}"
    );
}

/// Stripe's `(UTC)` times are UTC whatever `--tz`: cus_A starting 2025-02-01 03:00
/// UTC started on Jan 31, 22:00 in New York, so it is new in January and active on
/// Feb 1 (New York midnight is 05:00 UTC): MRR 10 + 30 = 40 there.
#[test]
fn stripe_times_are_utc_whatever_tz() {
    let w = Workdir::new();
    w.write(
        "stripe.csv",
        b"id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start (UTC),Current Period Start (UTC),Canceled At (UTC),Ended At (UTC)\n\
          sub_1,cus_A,p,1,usd,month,30.00,active,2025-02-01 03:00,2025-02-01 03:00,,\n\
          sub_2,cus_B,p,1,usd,month,10.00,active,2025-01-10 00:00,2025-01-10 00:00,,\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "stripe.csv",
        "--movements",
        "--since",
        "2025-01-01",
        "--until",
        "2025-03-01",
        "--tz",
        "America/New_York",
        "-q",
    ]);
    assert_eq!(rows[0]["new_customers"], "2");
    assert_eq!(rows[1]["new_customers"], "0");
    assert_num(&rows[1], "mrr_start", 40.0);
}

// stripe_subscriptions.csv (a Stripe Billing export): MRR = Amount × Quantity per
// Interval. cus_A 50 (monthly) + 5 × 2 = 10 from Feb 10 (a second subscription);
// cus_B 3 × 1200 / 12 = 300; cus_C 2 × 20 = 40, ended Mar 15; cus_D weekly 7 →
// 7 × 30.4375 / 7 = 30.4375; cus_F's "fortnight" is no interval: rejected;
// cus_G 50, cancellation asked Feb 20, ended Mar 15 (Ended At, not Canceled At).
// Feb 1: 50 + 300 + 40 + 30.4375 + 50 = 470.4375; Mar 1: + 10 = 480.4375;
// Apr 1: − 40 − 50 = 390.4375 (C and G lost in March).
#[test]
fn stripe_export_gives_monthly_mrr() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args([
            "churn",
            &fixture("retention/stripe_subscriptions.csv"),
            "--movements",
        ])
        .args([
            "--since",
            "2025-02-01",
            "--until",
            "2025-04-01",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown billing interval"), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert_num(&rows[0], "mrr_start", 470.4375);
    assert_eq!(rows[0]["churned"], "0", "G runs to its Ended At");
    assert_num(&rows[0], "mrr_expansion", 10.0);
    assert_num(&rows[1], "mrr_start", 480.4375);
    assert_num(&rows[1], "mrr_lost", 90.0);
    assert_num(&rows[1], "mrr_end", 390.4375);
    assert_eq!(rows[1]["churned"], "2");
    assert!(!err.contains("blank"), "{err}");
    // Its amounts blanked: every MRR a 0 that says nothing, warned of.
    let export = std::fs::read_to_string(fixture("retention/stripe_subscriptions.csv")).unwrap();
    let mut lines = export.lines();
    let header = lines.next().unwrap();
    let at = header.split(',').position(|h| h == "Amount").unwrap();
    let mut blanked = format!("{header}\n");
    for line in lines {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[at] = "";
        blanked += &format!("{}\n", cells.join(","));
    }
    w.write("blank.csv", blanked.as_bytes());
    let (_, err) = w.csv_and_stderr(&["churn", "blank.csv", "--movements"]);
    assert!(
        err.contains("column 'Amount' (amount) is blank in every subscription read (6)"),
        "{err}"
    );
}

#[test]
fn an_amount_without_an_interval_is_never_monthly() {
    let w = Workdir::new();
    w.write(
        "subs.csv",
        b"customer_id,start_date,end_date,amount\nA,2025-01-01,,1200\n",
    );
    w.cxm()
        .args(["churn", "subs.csv"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("never taken as monthly"));
}

// chargebee_subscriptions.csv (Chargebee's Subscriptions.csv): its own monthly
// `subscriptions.mrr`. Feb 1: cust_1 98 + cust_2 150 = 248; cust_2 cancelled Feb 20
// (lost 150), cust_3 new on Feb 5 (49): Mar 1 = 98 + 49 = 147.
#[test]
fn chargebee_export_is_detected_and_read() {
    let w = Workdir::new();
    let path = fixture("retention/chargebee_subscriptions.csv");
    let rows = w.csv_rows(&["churn", &path, "--movements", "--period", "2025-02", "-q"]);
    assert_num(&rows[0], "mrr_start", 248.0);
    assert_num(&rows[0], "mrr_lost", 150.0);
    assert_num(&rows[0], "mrr_new", 49.0);
    assert_num(&rows[0], "mrr_end", 147.0);
    for (file, preset) in [
        (path.as_str(), "chargebee"),
        (&fixture("retention/stripe_subscriptions.csv"), "stripe"),
    ] {
        let out = w.cxm().args(["inspect", file]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("subscriptions"), "{text}");
        assert!(text.contains(preset), "{text}");
    }
}

// `report` carries the movements in its churn section (movements.csv, January 2025:
// mrr_end 122, expansion 5, contraction 30; see movements_by_month).
#[test]
fn report_carries_the_movements() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("data")).unwrap();
    std::fs::copy(
        fixture("retention/movements.csv"),
        w.path("data/subscriptions.csv"),
    )
    .unwrap();
    let rows = w.csv_rows(&["report", "data", "--period", "2025-01", "-q"]);
    let value = |metric: &str| -> f64 {
        let r = rows
            .iter()
            .find(|r| r["section"] == "churn" && r["metric"] == metric)
            .unwrap_or_else(|| panic!("no {metric} in {rows:?}"));
        r["value"].parse().unwrap()
    };
    assert_eq!(value("mrr_end"), 122.0);
    assert_eq!(value("mrr_expansion"), 5.0);
    assert_eq!(value("mrr_contraction"), 30.0);
    assert!((value("nrr_pct") - 100.0 * 110.0 / 135.0).abs() < 1e-4);
}

/// A survival row is named by its month in a `--fail-if` breach: without f, S is 100,
/// 60 and 30 % at months 0, 1, 2, so `survival_pct<50` is breached at month 2.
#[test]
fn a_survival_breach_names_its_month() {
    let w = without_f();
    let out = survival(&w, &["--fail-if", "survival_pct<50", "-q"]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("churn month=2: survival_pct = 30"), "{err}");
}

/// `"1,200"` is twelve hundred in a US export and 1.2 with a decimal comma: in a
/// comma-separated file, with no decimal comma elsewhere in the column, it is the
/// thousands (never 1.2, MRR off a thousandfold): 1,200 + 2,500 + 15,000 + 450.
#[test]
fn a_comma_before_three_digits_is_thousands_not_a_decimal() {
    let w = Workdir::new();
    w.write(
        "dec.csv",
        b"customer_id,start_date,end_date,mrr\n\
          A,2025-01-01,,\"1,200\"\n\
          B,2025-01-01,,\"2,500\"\n\
          C,2025-01-01,,\"15,000\"\n\
          D,2025-01-01,,450\n",
    );
    let out = w
        .cxm()
        .args(["churn", "dec.csv", "--movements", "--format", "csv"])
        .args(["--since", "2025-01-01", "--until", "2025-02-01"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("rejected"), "{err}");
    let rows = crate::common::parse_csv(&out.stdout);
    assert_num(&rows[0], "mrr_end", 19_150.0);
}

/// MRR in several currencies (100 USD + 100 EUR + 10,000 JPY) is not one figure:
/// a warning names the codes and the column; `--by currency` splits them, silently.
#[test]
fn mixed_currencies_are_said() {
    let w = Workdir::new();
    w.write(
        "cur.csv",
        b"customer_id,start_date,end_date,mrr,currency\n\
          A,2025-01-01,,100,USD\nB,2025-01-01,,100,eur\nC,2025-01-01,,10000,JPY\n\
          D,2025-01-01,,50,USD\nE,2025-01-01,,25, usd\n",
    );
    let run = |extra: &[&str]| {
        w.cxm()
            .args(["churn", "cur.csv", "--format", "csv"])
            .args(["--since", "2025-01-01", "--until", "2025-02-01"])
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("3 currencies (EUR, JPY, USD, column 'currency')"),
        "{err}"
    );
    let out = run(&["--by", "currency"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("currencies"), "{err}");
    // Split by the column as the file spells it, too.
    let spelled = String::from_utf8_lossy(&run(&["--by", "CURRENCY"]).stderr).into_owned();
    assert!(!spelled.contains("currencies"), "{spelled}");
    let rows = crate::common::parse_csv(&out.stdout);
    // ` usd` is USD, as the warning counted it: A 100 + D 50 + E 25.
    let usd = rows.iter().find(|r| r["currency"] == "USD").unwrap();
    assert_num(usd, "mrr_start", 175.0);
    let codes: Vec<&str> = rows.iter().map(|r| r["currency"].as_str()).collect();
    assert_eq!(codes, ["EUR", "JPY", "USD"]);
}

/// A cohort table grows with the square of its buckets: a `2099-12-31` end makes
/// 3,914 weeks from the week of 2025-01-01 (Monday 2024-12-30) to that of 2099-12-31,
/// of which 3,913 bucket ends are reached, so 3,913 × 3,914 ÷ 2 = 7,657,741 rows. The
/// run stops at once rather than exhaust memory; a window makes it small again
/// (monthly cohorts 2025-01 to 2025-05 with 5, 4, 3, 2 and 1 ages: 15 rows).
#[test]
fn a_cohort_table_too_large_to_hold_is_an_error() {
    let wd = Workdir::new();
    wd.write(
        "far.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,2099-12-31,10\nB,2025-01-10,2025-03-01,5\n",
    );
    wd.cxm()
        .args(["churn", "far.csv", "--cohorts", "--every", "week"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains(
            "the cohort table would hold 7657741 rows (3914 buckets, each cohort with its ages): more than 5000000",
        ));
    let rows = wd.csv_rows(&["churn", "far.csv", "--cohorts", "--until", "2025-06-01"]);
    assert_eq!(rows.len(), 15);
}

// A quarterly 299.97 is 99.99 a month, as is the monthly plan it moves to: no
// contraction (in floating point 299.97 / 3 is 99.99000000000001, and the quick
// ratio was 50 ÷ 1.4e-14). A plan split into 19.99 + 9.99 from one of 29.98 is no
// change either. February: A 99.99 → 99.99, B new at 50, C 29.98 → 29.98:
// start 129.97, end 179.97, new 50, no expansion, contraction or loss.
#[test]
fn an_mrr_equal_in_currency_units_is_no_movement() {
    let w = Workdir::new();
    w.write(
        "subs.csv",
        b"customer_id,start_date,end_date,amount,interval\n\
A,2025-01-01,2025-02-10,299.97,quarter\n\
A,2025-02-10,,99.99,month\n\
B,2025-02-15,,50,month\n\
C,2025-01-01,2025-02-05,29.98,month\n\
C,2025-02-05,,19.99,month\n\
C,2025-02-05,,9.99,month\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "subs.csv",
        "--movements",
        "--period",
        "2025-02",
        "-q",
    ]);
    assert_eq!(rows.len(), 1);
    assert_num(&rows[0], "mrr_start", 129.97);
    assert_num(&rows[0], "mrr_end", 179.97);
    assert_num(&rows[0], "mrr_new", 50.0);
    assert_num(&rows[0], "mrr_contraction", 0.0);
    assert_num(&rows[0], "mrr_expansion", 0.0);
    assert_num(&rows[0], "nrr_pct", 100.0);
    assert_empty(&rows[0], "quick_ratio");
    // Amounts are kept as they are: 2.00014999 prints as 2.0001 (not 2.00015, then
    // 2.0002, as a figure rounded twice would).
    w.write(
        "fine.csv",
        b"customer_id,start_date,end_date,mrr\nC1,2025-01-10,,2.00014999\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "fine.csv",
        "--movements",
        "--period",
        "2025-02",
        "-q",
    ]);
    assert_eq!(rows[0]["mrr_start"], "2.0001");
}

// Under --by currency, a customer moving from USD to JPY is one figure under one
// currency at a time: said.
#[test]
fn a_customer_in_several_currencies_is_warned_of_under_by_currency() {
    let w = Workdir::new();
    w.write(
        "subs.csv",
        b"customer_id,start_date,end_date,mrr,currency\n\
A,2025-01-01,2025-02-15,100,USD\n\
A,2025-02-15,,10000,JPY\n\
B,2025-01-01,,50,USD\n",
    );
    w.cxm()
        .args([
            "churn", "subs.csv", "--by", "currency", "--period", "2025-02",
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "--by currency: 1 customer is billed in several currencies (A)",
        ));
    // One currency a customer: nothing to say.
    w.write(
        "one.csv",
        b"customer_id,start_date,end_date,mrr,currency\nA,2025-01-01,,100,USD\nB,2025-01-01,,50,JPY\n",
    );
    w.cxm()
        .args([
            "churn", "one.csv", "--by", "currency", "--period", "2025-02",
        ])
        .assert()
        .success()
        .stderr(predicates::str::contains("several currencies").not());
}
