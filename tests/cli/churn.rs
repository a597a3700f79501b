//! Churn on hand-made fixtures (tests/fixtures/churn). Every expected value is worked
//! out below.

use crate::common::{assert_empty, assert_num, csv_rows, fixture, parse_csv, Workdir};

/// Subscription dates are read from 1900 to 2099, as ticket times are: a start in 1850
/// or in 2150, an end in 1850 (each a misread date) are rejected with their years; an
/// end from 2100 on is "no end", as before. Activity churn rejects an event in 2100
/// UTC (`2099-12-31 20:00` in New York). Counted by hand: A and E remain, E
/// never ends, so one customer of two churns (A, by 2025-03-01).
#[test]
fn dates_out_of_range_are_rejected_with_their_years() {
    let w = Workdir::new();
    w.write(
        "subs.csv",
        b"customer_id,start_date,end_date\nA,2025-01-01,2025-02-15\nB,1850-01-01,2025-02-15\nC,2150-01-01,\nD,2025-01-01,1850-01-01\nE,2025-01-01,9999-12-31\n",
    );
    let out = w
        .cxm()
        .args([
            "churn",
            "subs.csv",
            "--period",
            "2025-02",
            "--rejects",
            "r.csv",
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
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["customers_start"], "2");
    assert_eq!(rows[0]["churned"], "1");
    let rejects = parse_csv(&std::fs::read(w.path("r.csv")).unwrap());
    let reasons: Vec<(&str, &str)> = rejects
        .iter()
        .map(|r| (r["customer_id"].as_str(), r["reason"].as_str()))
        .collect();
    let year = |y: &str| {
        format!("unparseable timestamp: the year {y} is outside 1900–2099, where a time is taken as misread (a placeholder such as 9999-12-31, or epoch milliseconds read as seconds)")
    };
    assert_eq!(
        reasons,
        [
            ("B", year("1850").as_str()),
            ("C", year("2150").as_str()),
            ("D", year("1850").as_str()),
        ]
    );
    w.write(
        "act.csv",
        b"customer_id,event_at\nA,2025-01-10 10:00\nB,2099-12-31 20:00\n",
    );
    let out = w
        .cxm()
        .args([
            "churn",
            "act.csv",
            "--inactive-after",
            "30d",
            "--tz",
            "America/New_York",
        ])
        .args(["--rejects", "r.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rejects = parse_csv(&std::fs::read(w.path("r.csv")).unwrap());
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["customer_id"], "B");
    assert!(
        rejects[0]["reason"].contains("in UTC, the year 2100"),
        "{:?}",
        rejects[0]
    );
    // An event whose 30 days reach 2100 has no end date to be read as "no end".
    w.write("late.csv", b"customer_id,event_at\nA,2099-12-20 10:00\n");
    let out = w
        .cxm()
        .args([
            "churn",
            "late.csv",
            "--inactive-after",
            "30d",
            "-v",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && !err.contains("end date"), "{err}");
    // Dates in range in UTC, not on the clock of --tz: 1900-01-01 07:00 UTC is 23:00
    // the evening before in Los Angeles (UTC−8); 4102444799 s is 2099-12-31 23:59:59
    // UTC, 2100-01-01 08:59:59 in Tokyo (UTC+9).
    for (file, body, extra, tz, year) in [
        (
            "la.csv",
            &b"customer_id,start_date\na,1900-01-01T07:00:00Z\nb,2025-01-01\n"[..],
            None,
            "America/Los_Angeles",
            "1899",
        ),
        (
            "tokyo.csv",
            &b"customer_id,start_date\na,4102444799\nb,1735689600\n"[..],
            Some("%s"),
            "Asia/Tokyo",
            "2100",
        ),
    ] {
        w.write(file, body);
        let mut cmd = w.cxm();
        cmd.args([
            "churn",
            file,
            "--tz",
            tz,
            "--rejects",
            "r.csv",
            "--format",
            "csv",
        ]);
        if let Some(format) = extra {
            cmd.args(["--date-format", format]);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rejects = parse_csv(&std::fs::read(w.path("r.csv")).unwrap());
        assert_eq!(rejects.len(), 1, "{file}");
        assert_eq!(rejects[0]["customer_id"], "a");
        assert!(
            rejects[0]["reason"].contains(&format!(
                "on the clock of {tz}, the year {year} is outside 1900–2099"
            )),
            "{:?}",
            rejects[0]
        );
    }
}

// subscriptions.csv, monthly buckets of 2025-Q1; boundaries Jan 1, Feb 1, Mar 1, Apr 1.
// Active at d: start ≤ d < end (state at Jan 1 / Feb 1 / Mar 1 / Apr 1, with MRR):
//   A  ends exactly on Jan 1                 →  -   -   -   -   never active at d0
//   B  ends exactly on Feb 1                 →  20  -   -   -   churned in January
//   C  two overlapping spans (to Feb 15; from Feb 10)
//                                            →  30  30  30  30  never churned
//   D  back to back at Feb 1                 →  40  40  40  40  never churned
//   E  ends Jan 20, returns Feb 10           →  50  -   50  50  churned in Jan, back in Feb
//   F  100 until Mar 1, then 60 (back to back) → 100 100 60  60 downsell of 40 in Feb
//   G  starts Jan 15                         →  -   70  70  70  new in January
//   H  Mar 5 – Mar 20                        →  -   -   -   -   new in March, never at a boundary
// January:  start B C D E F = 5 (MRR 240); churned B, E = 2 → 40 %; new G; end C D F G = 4;
//           MRR churned 20 + 50 = 70 → 29.1667 %
// February: start C D F G = 4 (MRR 240); churned 0; new 0; end C D E F G = 5;
//           MRR churned = F's downsell 40 → 16.6667 %
// March:    start C D E F G = 5 (MRR 30+40+50+60+70 = 250); churned 0; new H; end 5
/// Samoa skipped 30 December 2011 crossing the date line: a day of churn buckets in
/// Pacific/Apia has no row for it (it had one of no length, 2 customers at its start
/// and end). A starts on the 30th, read as the first instant after the gap, the
/// 31st's midnight, as B's 31st is: both start the 31st's bucket, counted at its
/// start and new in it (as a subscription starting a day's midnight is); none on
/// the 29th.
#[test]
fn a_day_the_zone_never_had_is_no_bucket() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2011-12-30,,10\nB,2011-12-31,,20\n",
    );
    let rows = wd.csv_rows(&[
        "churn",
        "s.csv",
        "--tz",
        "Pacific/Apia",
        "--every",
        "day",
        "--since",
        "2011-12-29",
        "--until",
        "2012-01-01",
        "-q",
    ]);
    let got: Vec<(&str, &str, &str)> = (rows.iter())
        .map(|r| {
            (
                r["period"].as_str(),
                r["customers_start"].as_str(),
                r["new_customers"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("2011-12-29", "0", "0"), ("2011-12-31", "2", "2")]);
}

#[test]
fn subscription_churn_by_month() {
    let rows = csv_rows(&[
        "churn",
        &fixture("churn/subscriptions.csv"),
        "--since",
        "2025-01-01",
        "--until",
        "2025-04-01",
        "-q",
    ]);
    let periods: Vec<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(periods, ["2025-01", "2025-02", "2025-03"]);
    let expect = [
        // start, churned, churn %, new, end, mrr start, mrr churned, mrr churn %
        (5, 2, 40.0, 1, 4, 240.0, 70.0, 70.0 / 2.4),
        (4, 0, 0.0, 0, 5, 240.0, 40.0, 40.0 / 2.4),
        (5, 0, 0.0, 1, 5, 250.0, 0.0, 0.0),
    ];
    for (r, e) in rows.iter().zip(expect) {
        assert_eq!(r["customers_start"], e.0.to_string(), "{r:?}");
        assert_eq!(r["churned"], e.1.to_string(), "{r:?}");
        assert_num(r, "churn_pct", e.2);
        assert_num(r, "retention_pct", 100.0 - e.2);
        assert_eq!(r["new_customers"], e.3.to_string(), "{r:?}");
        assert_eq!(r["customers_end"], e.4.to_string(), "{r:?}");
        assert_num(r, "mrr_start", e.5);
        assert_num(r, "mrr_churned", e.6);
        assert_num(r, "mrr_churn_pct", e.7);
    }
}

// By the plan held at d0 (customers_end: the plan held at d1; new: the first plan):
//   Jan basic: B D E (20+40+50 = 110), churned B E (70); end D; new none
//       pro:   C F (130); new G; end C F G
//   Feb basic: D (40); end D F(basic from Mar 1)   pro: C F G (200), F's downsell 40; end C E G
//   Mar basic: D F (100); new H; end D F            pro: C E G (150); end C E G
#[test]
fn subscription_churn_by_plan() {
    let rows = csv_rows(&[
        "churn",
        &fixture("churn/subscriptions.csv"),
        "--period",
        "2025-Q1",
        "--by",
        "plan",
        "-q",
    ]);
    let got: Vec<(String, String, String, String, String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["plan"].clone(),
                r["period"].clone(),
                r["customers_start"].clone(),
                r["churned"].clone(),
                r["new_customers"].clone(),
                r["customers_end"].clone(),
                format!("{}/{}", r["mrr_start"], r["mrr_churned"]),
            )
        })
        .collect();
    let want = [
        ("basic", "2025-01", "3", "2", "0", "1", "110/70"),
        ("basic", "2025-02", "1", "0", "0", "2", "40/0"),
        ("basic", "2025-03", "2", "0", "1", "2", "100/0"),
        ("pro", "2025-01", "2", "0", "1", "3", "130/0"),
        ("pro", "2025-02", "3", "0", "0", "3", "200/40"),
        ("pro", "2025-03", "3", "0", "0", "3", "150/0"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|w| {
            (
                w.0.to_string(),
                w.1.to_string(),
                w.2.to_string(),
                w.3.to_string(),
                w.4.to_string(),
                w.5.to_string(),
                w.6.to_string(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_num(&rows[0], "churn_pct", 200.0 / 3.0);
    assert_num(&rows[0], "mrr_churn_pct", 7000.0 / 110.0);
}

/// A group may be named like a column of another view: `--by mrr` beside the
/// buckets (whose MRR columns are `mrr_start` and so on), not beside the cohorts
/// (which have an `mrr` column). By hand, January 2025: c1 (MRR 10) starts on the
/// 5th and is gone by February, so it is new and in neither count; c2 (MRR 5) runs
/// from January 1st through: at the start and the end, not churned.
#[test]
fn a_group_named_like_another_views_column() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\n\
          c1,2025-01-05,2025-01-10,10\n\
          c1,2025-01-12,2025-01-20,10\n\
          c2,2024-06-01,2024-07-01,5\n\
          c2,2025-01-01,,5\n",
    );
    let rows = wd.csv_rows(&["churn", "s.csv", "--period", "2025-01", "--by", "mrr"]);
    assert_eq!(rows.len(), 2);
    let (ten, five) = (&rows[0], &rows[1]);
    assert_eq!((ten["mrr"].as_str(), five["mrr"].as_str()), ("10", "5"));
    assert_eq!(ten["customers_start"], "0");
    assert_eq!(ten["new_customers"], "1");
    assert_eq!(ten["customers_end"], "0");
    assert_eq!(five["customers_start"], "1");
    assert_eq!(five["churned"], "0");
    assert_eq!(five["customers_end"], "1");
    assert_num(five, "mrr_start", 5.0);
    let out = wd
        .cxm()
        .args(["churn", "s.csv", "--cohorts", "--by", "mrr"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already has a column 'mrr'"));
    // Nor is `period` taken where the view has none (cohorts, survival), as the
    // buckets have.
    wd.write(
        "p.csv",
        b"customer_id,start_date,end_date,period\nc1,2025-01-05,,a\nc2,2025-01-01,2025-02-15,b\n",
    );
    for view in ["--cohorts", "--survival"] {
        let rows = wd.csv_rows(&["churn", "p.csv", view, "--by", "period", "-q"]);
        assert_eq!(rows[0]["period"], "a", "{view}");
    }
    let out = wd
        .cxm()
        .args(["churn", "p.csv", "--by", "period"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn empty_buckets_have_empty_percentages() {
    // Before any subscription: no customers, so no churn rate (not 0, not an error).
    let rows = csv_rows(&[
        "churn",
        &fixture("churn/subscriptions.csv"),
        "--since",
        "2023-01-01",
        "--until",
        "2023-03-01",
        "-q",
    ]);
    assert_eq!(rows.len(), 2);
    for r in &rows {
        assert_eq!(r["customers_start"], "0");
        assert_eq!(r["customers_end"], "0");
        assert_empty(r, "churn_pct");
        assert_empty(r, "retention_pct");
        assert_empty(r, "mrr_churn_pct");
    }
}

#[test]
fn end_date_wins_over_a_churn_flag() {
    // Same subscriptions plus a `churned` column: dates decide, the flag is ignored and
    // stderr says so.
    let wd = Workdir::new();
    let run = |f: &str, verbose: bool| {
        wd.cxm()
            .args([
                "churn",
                &fixture(f),
                "--period",
                "2025-Q1",
                "--format",
                "csv",
            ])
            .args(verbose.then_some("-v"))
            .output()
            .unwrap()
    };
    let plain = run("churn/subscriptions.csv", false);
    let flagged = run("churn/subscriptions_with_flag.csv", false);
    assert!(flagged.status.success());
    assert_eq!(plain.stdout, flagged.stdout);
    // The kind chosen is information: on stderr with -v only (SPEC §3).
    assert!(
        flagged.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&flagged.stderr)
    );
    let err = String::from_utf8(run("churn/subscriptions_with_flag.csv", true).stderr).unwrap();
    assert!(
        err.contains("subscription churn from 'start_date' to 'end_date'")
            && err.contains("the churn flag 'churned' is not used"),
        "{err}"
    );
}

/// An MRR column named with its currency or a qualifier is the MRR: A's 12.5 and
/// B's 7.5 are February's MRR at its start, 20, whichever the header.
#[test]
fn mrr_headers_with_a_currency_are_read() {
    let wd = Workdir::new();
    for header in ["MRR (USD)", "mrr_eur", "Current MRR", "MRR Amount"] {
        wd.write(
            "s.csv",
            format!("Customer,Subscription Start Date,Cancellation Date,{header}\nA,2025-01-01,,12.5\nB,2025-01-03,,7.5\n")
                .as_bytes(),
        );
        let rows = wd.csv_rows(&["churn", "s.csv", "--period", "2025-02"]);
        assert_num(&rows[0], "mrr_start", 20.0);
    }
}

/// A group seen in the range has its rows though nothing is counted in it: A's `pro`
/// subscription starts and ends inside January (A's first subscription is `basic`,
/// so it is no new customer of `pro`), and `pro` still has its three months, all 0,
/// churn % empty. A window after it (March) shows `basic`, and `late`, whose only
/// subscription starts on the window's end.
#[test]
fn a_group_seen_in_the_range_keeps_its_rows() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,plan,start_date,end_date,mrr\nA,basic,2025-01-01,,10\nA,pro,2025-01-10,2025-01-20,30\nB,basic,2025-01-05,2025-03-01,10\nW,late,2025-04-01,,20\nX,x,2025-03-01,2025-03-01,10\nZ,z,2025-04-01,2025-04-01,5\n",
    );
    let now = "--now=2027-01-01T00:00:00Z";
    let rows = wd.csv_rows(&[
        "churn",
        "s.csv",
        "--by",
        "plan",
        "--until",
        "2025-04-01",
        now,
    ]);
    let pro: Vec<_> = rows.iter().filter(|r| r["plan"] == "pro").collect();
    let periods: Vec<&str> = pro.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(periods, ["2025-01", "2025-02", "2025-03"]);
    for r in pro {
        assert_eq!(
            (r["customers_start"].as_str(), r["customers_end"].as_str()),
            ("0", "0")
        );
        assert_empty(r, "churn_pct");
    }
    // W starts on the window's end, active at March's end: `late` has its three
    // months too, March's customers_end 1.
    let late: Vec<&str> = (rows.iter().filter(|r| r["plan"] == "late"))
        .map(|r| r["customers_end"].as_str())
        .collect();
    assert_eq!(late, ["0", "0", "1"]);
    // X's subscription ends as it starts (never active), on 1 March: a new customer
    // of March all the same, so `x` has its rows. Z's, the same on the window's end,
    // counts nothing there: no `z` rows.
    let x: Vec<&str> = (rows.iter().filter(|r| r["plan"] == "x"))
        .map(|r| r["new_customers"].as_str())
        .collect();
    assert_eq!(x, ["0", "0", "1"]);
    assert!(rows.iter().all(|r| r["plan"] != "z"));
    let rows = wd.csv_rows(&[
        "churn",
        "s.csv",
        "--by",
        "plan",
        "--since",
        "2025-03-01",
        "--until",
        "2025-04-01",
        now,
    ]);
    let plans: Vec<&str> = rows.iter().map(|r| r["plan"].as_str()).collect();
    assert_eq!(plans, ["basic", "late", "x"]);
}

/// A blank churn flag (a checkbox left unset: "no", or not known?) is not guessed:
/// the row is rejected, said on stderr with its place, and fatal under `--strict`.
/// Of 6 customers, 2 flagged yes and 4 blank: 2 of 2 known churned.
#[test]
fn a_blank_churn_flag_is_said_not_dropped() {
    let wd = Workdir::new();
    wd.write(
        "snap.csv",
        b"customer_id,plan,churned\nC1,basic,yes\nC2,basic,\nC3,pro,\nC4,pro,yes\nC5,basic,\nC6,pro,\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "snap.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["customers"], "2");
    assert_eq!(rows[0]["churned"], "2");
    assert!(
        err.contains("4 rejected: missing required value in churned (first at snap.csv:3"),
        "{err}"
    );
    wd.cxm()
        .args(["churn", "snap.csv", "--strict"])
        .assert()
        .code(3);
}

// snapshot.csv by Contract (flags: Yes, no, TRUE | 0, Churned, n | Active, false, maybe):
//   Month-to-month 2 of 3 churned; One year 1 of 3; Two year 0 of 2 ("maybe" rejected).
#[test]
fn snapshot_churn_with_mixed_flag_spellings() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "churn",
            &fixture("churn/snapshot.csv"),
            "--by",
            "Contract",
            "--format",
            "csv",
            "-v",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["Contract"].as_str(),
                r["customers"].as_str(),
                r["churned"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Month-to-month", "3", "2"),
            ("One year", "3", "1"),
            ("Two year", "2", "0")
        ]
    );
    assert_num(&rows[0], "churn_pct", 200.0 / 3.0);
    assert_num(&rows[1], "churn_pct", 100.0 / 3.0);
    assert_num(&rows[2], "churn_pct", 0.0);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("snapshot churn from the flag 'Churn'"),
        "{err}"
    );
    assert!(
        err.contains("1 rejected: unparseable boolean in churned")
            && err.contains("snapshot.csv:9"),
        "{err}"
    );
    // Overall: 3 of 8.
    let all = csv_rows(&["churn", &fixture("churn/snapshot.csv"), "-q"]);
    assert_eq!(all[0]["customers"], "8");
    assert_num(&all[0], "churn_pct", 37.5);
    // A snapshot has no dates.
    wd.cxm()
        .args(["churn", &fixture("churn/snapshot.csv"), "--every", "month"])
        .assert()
        .code(2);
}

/// The config file's `every` and window serve its dated files: a snapshot passes
/// them over with a warning (its churn is the whole file's, 3 of 8 as above), where
/// the same given on the command line is refused.
#[test]
fn a_snapshot_passes_over_the_config_window() {
    let wd = Workdir::new();
    wd.write("c.toml", b"every = \"week\"\nperiod = \"2025-Q1\"\n");
    let snapshot = fixture("churn/snapshot.csv");
    let (out, err) = wd.csv_and_stderr(&["churn", &snapshot, "--config", "c.toml"]);
    let rows = parse_csv(&out);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0]["customers"].as_str(), rows[0]["churned"].as_str()),
        ("8", "3")
    );
    assert!(
        err.contains("every, period in --config: a churn-flag snapshot has no dates; passed over"),
        "{err}"
    );
    // A flag beside the config's is the command line's mistake.
    for flag in [["--every", "month"], ["--period", "2025-Q2"]] {
        (wd.cxm()
            .args(["churn", &snapshot, "--config", "c.toml"])
            .args(flag))
        .assert()
        .code(2);
    }
}

/// Activity churn from a Zendesk ticket export reads its columns by their own names:
/// `--by team` and `--where channel=…` are refused, naming the tickets' columns
/// (`Group`, `Via`), which then group. Support: A on 1 April and 20 May, C on 5
/// April; Claims: B on 3 April. With 30 days: April has two new in Support, one in
/// Claims; by 1 June, C (5 April) and B (3 April) are gone, A (20 May) is not: May
/// churns 1 of 2 in Support, 1 of 1 in Claims. A Help Scout export, whose `id` is the
/// conversation's, is refused too: each conversation would be a customer.
#[test]
fn activity_churn_of_a_ticket_export_names_its_columns() {
    let wd = Workdir::new();
    wd.write(
        "zd.csv",
        b"Id,Requester id,Group,Via,Created at,Solved at\n1,A,Support,Mail,2023-04-01 10:00,2023-04-02 10:00\n2,B,Claims,Mail,2023-04-03 10:00,\n3,A,Support,Mail,2023-05-20 10:00,\n4,C,Support,Web,2023-04-05 10:00,\n",
    );
    // The error of an activity churn run over `file` that must stop (exit 3).
    let refused = |file: &str, extra: &[&str]| {
        let out = (wd.cxm())
            .args(["churn", file, "--inactive-after", "30d"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{file} {extra:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = refused("zd.csv", &["--by", "team"]);
    assert!(
        err.contains("the tickets' team is 'Group' here (--by Group)"),
        "{err}"
    );
    let err = refused("zd.csv", &["--where", "channel=Web"]);
    assert!(err.contains("the tickets' channel is 'Via' here"), "{err}");
    let rows = wd.csv_rows(&[
        "churn",
        "zd.csv",
        "--inactive-after",
        "30d",
        "--by",
        "Group",
    ]);
    let got: Vec<(String, String, String)> = (rows.iter())
        .map(|r| {
            let counts = [
                "customers_start",
                "churned",
                "new_customers",
                "customers_end",
            ];
            (
                r["Group"].clone(),
                r["period"].clone(),
                counts.map(|c| r[c].clone()).join(" "),
            )
        })
        .collect();
    let row = |g: &str, p: &str, c: &str| (g.to_string(), p.to_string(), c.to_string());
    assert_eq!(
        got,
        [
            row("Claims", "2023-04", "0 0 1 1"),
            row("Claims", "2023-05", "1 1 0 0"),
            row("Support", "2023-04", "0 0 2 2"),
            row("Support", "2023-05", "2 1 0 1"),
        ]
    );
    wd.write(
        "hs.csv",
        b"id,number,status,mailboxId,assignee.email,primaryCustomer.email,createdAt,closedAt,source.type\n9001,1,closed,13,a@o.x,carla@acme.x,2024-01-04T09:00:00Z,2024-01-04T13:00:00Z,email\n9002,2,closed,13,a@o.x,carla@acme.x,2024-02-04T09:00:00Z,2024-02-04T13:00:00Z,email\n",
    );
    let err = refused("hs.csv", &[]);
    assert!(
        err.contains("--map customer_id=primaryCustomer.email"),
        "{err}"
    );
    // A ticket file without a customer column, read by its ids, is refused too, and
    // so is a file of comments whose `id` sits beside their ticket's; an ordinary log
    // of events (an `id` beside an account) is not, nor a users table of an `id`.
    wd.write(
        "cm.csv",
        b"id,ticket_id,created_at,body\nC1,T1,2025-01-05T00:00:00Z,x\nC2,T1,2025-01-06T00:00:00Z,y\n",
    );
    let err = refused("cm.csv", &[]);
    assert!(
        err.contains("each row's own id beside the ticket's"),
        "{err}"
    );
    // So is one beside a conversation's id (a log of messages).
    wd.write(
        "parts.csv",
        b"id,conversation_id,created_at,author_role\nM1,C1,2025-01-05T00:00:00Z,customer\nM2,C1,2025-01-06T00:00:00Z,agent\n",
    );
    let err = refused("parts.csv", &[]);
    assert!(
        err.contains("each row's own id beside the ticket's"),
        "{err}"
    );
    wd.write(
        "users.csv",
        b"id,email,last_login_at\n1111,a@x.com,2025-01-05 10:00\n2222,b@x.com,2025-02-05 10:00\n",
    );
    let rows = wd.csv_rows(&[
        "churn",
        "users.csv",
        "--inactive-after",
        "30d",
        "--map",
        "event_at=last_login_at",
    ]);
    assert_eq!(rows[0]["new_customers"], "1");
    wd.write(
        "ids.csv",
        b"ID,Subject,Group,Created at\n1,a,a,2025-01-05 10:00\n2,b,b,2025-02-05 10:00\n",
    );
    let err = refused("ids.csv", &[]);
    assert!(
        err.contains("'ID', which a file of tickets holds as their own id"),
        "{err}"
    );
    wd.write(
        "ev.csv",
        b"id,account_id,contact_id,created_at,event\nE1,A1,P1,2025-01-05T00:00:00Z,login\nE2,A2,P2,2025-01-10T00:00:00Z,login\n",
    );
    let rows = wd.csv_rows(&["churn", "ev.csv", "--inactive-after", "30d"]);
    assert_eq!(rows[0]["new_customers"], "2");
    // Mapped so, one customer: new in January, still there in February.
    let rows = wd.csv_rows(&[
        "churn",
        "hs.csv",
        "--inactive-after",
        "60d",
        "--map",
        "customer_id=primaryCustomer.email",
    ]);
    let ends: Vec<&str> = rows.iter().map(|r| r["customers_end"].as_str()).collect();
    assert_eq!(ends, ["1", "1"]);
}

// events.csv with --inactive-after 30d: active at d when an event is in (d − 30d, d].
//   A Jan 10, Feb 20; B Jan 25; C Feb 5, Feb 28; D Mar 31 23:59:59; E unparseable.
//   Jan 1: none. Feb 1: A B. Mar 1: A (Feb 20) C. Apr 1: D.
//   Jan: start 0 (empty rate), new A B, end 2. Feb: start 2, churned B (50 %), new C,
//   end 2. Mar: start 2, churned A C (100 %), new D, end 1.
#[test]
fn activity_churn() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "churn",
            &fixture("churn/events.csv"),
            "--inactive-after",
            "30d",
            "--period",
            "2025-Q1",
            "--format",
            "csv",
            "-v",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    let got: Vec<[&str; 5]> = rows
        .iter()
        .map(|r| {
            [
                r["period"].as_str(),
                r["customers_start"].as_str(),
                r["churned"].as_str(),
                r["new_customers"].as_str(),
                r["customers_end"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["2025-01", "0", "0", "2", "2"],
            ["2025-02", "2", "1", "1", "2"],
            ["2025-03", "2", "2", "1", "1"]
        ]
    );
    assert_empty(&rows[0], "churn_pct");
    assert_num(&rows[1], "churn_pct", 50.0);
    assert_num(&rows[2], "churn_pct", 100.0);
    assert!(!rows[0].contains_key("mrr_start"));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("activity churn from events in 'created_at', customers by 'customer_id'"),
        "{err}"
    );
    assert!(err.contains("events.csv:8"), "{err}");
}

#[test]
fn every_output_format() {
    let wd = Workdir::new();
    let args = [
        "churn",
        &fixture("churn/subscriptions.csv"),
        "--period",
        "2025-01",
        "-q",
        "--format",
    ];
    let run = |f: &str| {
        let out = wd.cxm().args(args).arg(f).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json[0]["period"].as_str(), Some("2025-01"));
    assert_eq!(json[0]["customers_start"].as_i64(), Some(5));
    assert_eq!(json[0]["churn_pct"].as_f64(), Some(40.0));
    let nd = run("ndjson");
    assert_eq!(nd.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(nd.trim()).unwrap();
    assert_eq!(v["mrr_churn_pct"].as_f64(), Some(29.1667));
    let md = run("markdown");
    assert!(md.contains("| 2025-01 | 5 | 2 |"), "{md}");
    let table = run("table");
    assert!(
        table.contains("Churn") && table.contains("2025-01"),
        "{table}"
    );
    let csv = parse_csv(run("csv").as_bytes());
    assert_eq!(csv[0]["churned"], "2");
}

#[test]
fn inspect_says_which_churn() {
    let wd = Workdir::new();
    let run = |f: &str| {
        let out = wd.cxm().args(["inspect", &fixture(f)]).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let subs = run("churn/subscriptions_with_flag.csv");
    assert!(
        subs.contains("data: subscriptions (cxm churn); subscription churn from 'start_date' to 'end_date'; the churn flag 'churned' is not used"),
        "{subs}"
    );
    let snap = run("churn/snapshot.csv");
    assert!(
        snap.contains(
            "data: a churn-flag snapshot (cxm churn); snapshot churn from the flag 'Churn'"
        ),
        "{snap}"
    );
    assert!(run("surveys/long.csv").contains("data: survey responses (cxm surveys)"));
}

/// The French Excel re-save of a churn snapshot, unedited: `;`-separated, `VRAI`/`FAUX`
/// flags and no customer id, so each row is a customer. Counted with Python's csv
/// module: 667 rows, 95 `VRAI`; by `International plan`: No 614 rows, 76 churned;
/// Yes 53, 19.
#[test]
fn french_excel_snapshot_without_ids() {
    let path = fixture("real/orange_churn_bigml20_fr.csv");
    let w = Workdir::new();
    let out = w
        .cxm()
        .args(["churn", &path, "-v", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("each row counts as a customer"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["customers"], "667");
    assert_eq!(rows[0]["churned"], "95");
    let rows = csv_rows(&["churn", &path, "--by", "International plan", "-q"]);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["International plan"].as_str(),
                r["customers"].as_str(),
                r["churned"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("No", "614", "76"), ("Yes", "53", "19")]);
}

/// Subscriptions still need their customers.
#[test]
fn subscriptions_without_customer_ids_are_an_error() {
    let w = Workdir::new();
    w.write("s.csv", b"start_date,end_date\n2025-01-01,\n");
    w.cxm()
        .args(["churn", "s.csv"])
        .assert()
        .code(3)
        .stderr(predicates::str::contains("customer_id"));
}

/// `--by customer_id` (a column the spans already keep) gives one group per customer.
/// By hand, 2025-Q1 monthly: A runs from January 1 (a customer at each start); B
/// from January 15 to February 10 (new in January, churned in February).
#[test]
fn by_customer_id() {
    let w = Workdir::new();
    w.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,10\nB,2025-01-15,2025-02-10,20\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "s.csv",
        "--by",
        "customer_id",
        "--period",
        "2025-Q1",
    ]);
    let at = |c: &str, p: &str| {
        rows.iter()
            .find(|r| r["customer_id"] == c && r["period"] == p)
            .unwrap_or_else(|| panic!("no row {c} {p}"))
    };
    assert_num(at("A", "2025-01"), "customers_start", 1.0);
    assert_num(at("B", "2025-01"), "new_customers", 1.0);
    assert_num(at("B", "2025-01"), "customers_end", 1.0);
    assert_num(at("B", "2025-02"), "churned", 1.0);
    assert_num(at("B", "2025-03"), "customers_start", 0.0);
}

/// A French spreadsheet's MRR (`;`, decimal commas, `.` or a space between
/// thousands): `1.200` is twelve hundred, not 1.2. A subscription starting on a
/// month's first day is active at its start: `mrr_start` is 1,200 (A) in January,
/// 1,200 + 29.50 (B) + 1,200.50 (C) = 2,430 in February, 2,430 + 1,200 (D) + 99 (E)
/// = 3,729 in March. `inspect` says how the column reads.
#[test]
fn decimal_comma_amounts_read_as_written() {
    let wd = Workdir::new();
    wd.write(
        "fr.csv",
        "customer_id;start_date;end_date;mrr\n\
         A;01/01/2025;;1.200\n\
         B;15/01/2025;;29,50\n\
         C;01/02/2025;;1.200,50\n\
         D;13/02/2025;;1 200,00\n\
         E;01/03/2025;;99\n"
            .as_bytes(),
    );
    let rows = wd.csv_rows(&["churn", "fr.csv", "--strict"]);
    let month = |p: &str| rows.iter().find(|r| r["period"] == p).unwrap();
    assert_num(month("2025-01"), "mrr_start", 1200.0);
    assert_num(month("2025-02"), "mrr_start", 2430.0);
    assert_num(month("2025-03"), "mrr_start", 3729.0);
    let out = wd.cxm().args(["inspect", "fr.csv"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("number (decimal comma)"));
}

/// Past the sampled rows of a decimal-comma column, a value written with a decimal
/// point alone (`1.20`) is rejected and located: read as 1.2 it sat beside `1.200`
/// read as twelve hundred. `mrr_start` is 29.50 + 0 × 2,000 + 1,200 + 1.25 =
/// 1,230.75.
#[test]
fn a_decimal_point_in_a_column_of_decimal_commas_is_rejected() {
    let wd = Workdir::new();
    let mut csv = String::from("customer_id,start_date,end_date,mrr\nA,2025-01-01,,\"29,50\"\n");
    for i in 0..2000 {
        csv.push_str(&format!("X{i},2025-01-01,,0\n"));
    }
    csv.push_str("B,2025-01-01,,1.20\nC,2025-01-01,,1.200\n");
    // A sign, an exponent or a point without digits after it is no decimal comma
    // either; `+1,20` is one.
    csv.push_str(
        "E,2025-01-01,,+1.20\nF,2025-01-01,,1.5e2\nG,2025-01-01,,1.\nH,2025-01-01,,\"+1,25\"\n",
    );
    wd.write("dc.csv", csv.as_bytes());
    let out = wd
        .cxm()
        .args([
            "churn",
            "dc.csv",
            "--until",
            "2025-02-01",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_num(&parse_csv(&out.stdout)[0], "mrr_start", 1230.75);
    assert!(
        err.contains("4 rejected: unparseable number in mrr (first at dc.csv:2003, column 'mrr', value '1.20')"),
        "{err}"
    );
    // Two files, one of commas and one of points: each read as it writes, said so.
    wd.write(
        "f1.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,\"29,50\"\nB,2025-01-01,,1.200\n",
    );
    wd.write(
        "f2.csv",
        b"customer_id,start_date,end_date,mrr\nC,2025-01-01,,1.20\nD,2025-01-01,,1.200\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "f1.csv", "f2.csv", "--until", "2025-02-01"]);
    // 29.50 + 1,200 from the first, 1.2 + 1.2 from the second.
    assert_num(&parse_csv(&out)[0], "mrr_start", 1231.9);
    assert!(
        err.contains("mrr: f1.csv writes decimal commas and f2.csv decimal points: each file is read as it writes"),
        "{err}"
    );
}

/// A snapshot whose customer ids repeat (A twice, C with two flags, one written ` C`:
/// ids are compared trimmed): each row counts, and a warning says that 2 ids repeat;
/// a clean snapshot has no warning.
#[test]
fn repeated_snapshot_ids_are_said() {
    let wd = Workdir::new();
    wd.write(
        "snap.csv",
        b"customer_id,Contract,Churn\nA,m,Yes\nA,m,Yes\nB,m,No\nC,y,No\n C,y,Yes\n",
    );
    wd.write("clean.csv", b"customer_id,Churn\nA,Yes\nB,No\nC,No\n");
    let run = |f: &str| {
        wd.cxm()
            .args(["churn", f, "--format", "csv"])
            .output()
            .unwrap()
    };
    let out = run("snap.csv");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("2 customer ids are on more than one row"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    assert_eq!(
        (rows[0]["customers"].as_str(), rows[0]["churned"].as_str()),
        ("5", "3")
    );
    let out = run("clean.csv");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Monthly snapshots in one file repeat every id across months, none within a
/// month: `--by snapshot_date` says nothing (Jan: a, b, none churned; Feb: a, b, b
/// churned: 50 %), the file as one snapshot says that 2 ids repeat, and an id twice
/// in one month is said as 1 id.
#[test]
fn snapshot_ids_repeat_within_a_group_only() {
    let wd = Workdir::new();
    wd.write(
        "months.csv",
        b"customer_id,snapshot_date,churned\n\
          a,2025-01-31,0\nb,2025-01-31,0\na,2025-02-28,0\nb,2025-02-28,1\n",
    );
    let run = |args: &[&str]| wd.cxm().arg("churn").args(args).output().unwrap();
    let out = run(&["months.csv", "--by", "snapshot_date"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("more than one row"), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 2);
    assert_num(&rows[1], "churn_pct", 50.0);
    let out = run(&["months.csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2 customer ids are on more than one row"),
        "{err}"
    );
    wd.write(
        "twice.csv",
        b"customer_id,snapshot_date,churned\na,2025-01-31,0\na,2025-01-31,1\n",
    );
    let out = run(&["twice.csv", "--by", "snapshot_date"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 customer id is on more than one row of a group"),
        "{err}"
    );
    // A rejected row (an unknown flag) repeats no id: a is counted once.
    wd.write("rejected.csv", b"customer_id,churned\na,1\na,maybe\nb,0\n");
    let out = run(&["rejected.csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("more than one row"), "{err}");
    assert!(err.contains("1 rejected"), "{err}");
}

/// A window no subscription is active in, while the file has some (A: 10 January to
/// 10 February 2025, B: 1 May to 15 June): a warning naming their dates; a window
/// they are active in has none.
#[test]
fn a_window_without_subscriptions_is_a_stale_warning() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-10,2025-02-10,10\nB,2025-05-01,2025-06-15,20\n",
    );
    let run = |period: &str| {
        wd.cxm()
            .args(["churn", "s.csv", "--period", period, "--format", "csv"])
            .output()
            .unwrap()
    };
    let out = run("2025-Q3");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("holds none of the subscriptions: they run from 2025-01-10 to 2025-06-15"),
        "{err}"
    );
    assert!(run("2025-Q2").stderr.is_empty());
}

/// An export whose latest date (B's end, 2025-06-01) is before the window: C and A,
/// still open, are taken as active through it, so November 2026 shows 2 customers
/// and no churn; a warning names the latest date. A window holding that date has none.
#[test]
fn a_window_after_the_latest_date_is_a_stale_warning() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2024-11-15,,10\nB,2025-01-15,2025-06-01,20\nC,2025-02-01,,5\n",
    );
    let run = |period: &str| {
        wd.cxm()
            .args(["churn", "s.csv", "--period", period, "--format", "csv"])
            .output()
            .unwrap()
    };
    let out = run("2026-11");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("the subscriptions' latest date is 2025-06-01 (s.csv), before the window"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 1);
    assert_num(&rows[0], "customers_start", 2.0);
    assert_num(&rows[0], "churned", 0.0);
    let out = run("2025-05");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A bucket reaching past `--now` (March, seen on the 10th) holds A's end on the 20th,
/// a cancellation scheduled: counted as churn (1 of 2), as the data gives it, and said.
/// Seen on 1 April, the end has happened: no warning.
#[test]
fn ends_after_now_in_the_buckets_shown_are_said() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,2025-03-20,10\nB,2025-01-01,,20\n",
    );
    let run =
        |now: &str| wd.csv_and_stderr(&["churn", "s.csv", "--period", "2025-03", "--now", now]);
    let (out, err) = run("2025-03-10T00:00:00Z");
    assert!(
        err.contains(
            "1 customer leaves by a subscription end after --now (2025-03-10 00:00 UTC) in the buckets shown: counted as churned already"
        ),
        "{err}"
    );
    let rows = parse_csv(&out);
    assert_num(&rows[0], "churned", 1.0);
    let (_, err) = run("2025-04-01T00:00:00Z");
    assert!(err.is_empty(), "{err}");
    // The cohort triangle's ages past --now too: A, of January's cohort, is gone at
    // age 2 (1 April) by its end on the 20th.
    let (_, err) = wd.csv_and_stderr(&[
        "churn",
        "s.csv",
        "--cohorts",
        "--period",
        "2025-Q1",
        "--now",
        "2025-03-10T00:00:00Z",
    ]);
    assert!(err.contains("1 customer leaves by a subscription end after --now (2025-03-10 00:00 UTC) in the buckets shown: counted as gone from their cohorts already"), "{err}");
    // A window ending on 8 March measures ages on 1 February and 1 March alone, A
    // active at both: no age shown counts its end, and nothing is said of it.
    let (_, err) = wd.csv_and_stderr(&[
        "churn",
        "s.csv",
        "--cohorts",
        "--since",
        "2025-01-01",
        "--until",
        "2025-03-08",
        "--now",
        "2025-03-10T00:00:00Z",
    ]);
    assert!(!err.contains("leaves by"), "{err}");
    // Cohorts count the customers of the cohorts shown, as the triangle does: E starts
    // on 2 March and ends on the 25th, gone at age 0 (1 April); A's cohort (January)
    // is not shown for March alone.
    wd.write(
        "c.csv",
        b"customer_id,start_date,end_date
A,2025-01-01,2025-03-20
E,2025-03-02,2025-03-25
",
    );
    let cohorts = |period: &str| {
        let args = [
            "churn",
            "c.csv",
            "--cohorts",
            "--period",
            period,
            "--now",
            "2025-03-10T00:00:00Z",
        ];
        wd.csv_and_stderr(&args).1
    };
    assert!(
        cohorts("2025-03").contains("1 customer leaves by a subscription end"),
        "{}",
        cohorts("2025-03")
    );
    assert!(
        cohorts("2025-Q1").contains("2 customers leave by subscription ends"),
        "{}",
        cohorts("2025-Q1")
    );
    // Ends that are no churn are not said: A moves to another plan on the 20th, C
    // starts and ends inside March (new, in neither count), D ends on 1 March (not a
    // customer at the bucket's start).
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,2025-03-20,10\nA,2025-03-20,,20\n\
C,2025-03-12,2025-03-20,5\nD,2025-01-01,2025-03-01,5\n",
    );
    let (out, err) = run("2025-02-15T00:00:00Z");
    assert!(err.is_empty(), "{err}");
    assert_num(&parse_csv(&out)[0], "churned", 0.0);
    // One customer leaving twice after --now (in February, back in April, gone in
    // May) is one customer: churned in both months, said once.
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date\na,2025-01-01,2025-02-10\na,2025-04-01,2025-05-10\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "s.csv", "--now", "2025-01-15T00:00:00Z"]);
    assert!(
        err.contains("1 customer leaves by a subscription end after --now"),
        "{err}"
    );
    let churned: Vec<String> = parse_csv(&out)
        .iter()
        .map(|r| r["churned"].clone())
        .collect();
    assert_eq!(churned, ["0", "1", "0", "0", "1"]);
}

/// An end date from 2100 on is "never" (billing systems write 9999-12-31): A runs on,
/// so the buckets stop at the data's latest real date (B's end, 10 March 2025) and
/// only B churns; `-v` counts the one end date so read. Survival: B's lifetime of 54
/// days (15 January to 10 March) ends S at 1/2 there, A is censored:
/// median 54 ÷ 30.4375 = 1.7741 months.
#[test]
fn an_end_date_from_2100_on_is_no_end() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,9999-12-31,10\nB,2025-01-15,2025-03-10,20\n",
    );
    let out = wd
        .cxm()
        .args(["churn", "s.csv", "--format", "csv", "-v"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "s.csv: 1 end date from 2100 on (9999-12-31 for \"no end\") read as no end date"
        ),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    let periods: Vec<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(periods, ["2025-01", "2025-02", "2025-03"]);
    let churned: f64 = rows
        .iter()
        .map(|r| r["churned"].parse::<f64>().unwrap())
        .sum();
    assert_eq!(churned, 1.0);
    let out = wd
        .cxm()
        .args(["churn", "s.csv", "--survival", "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lifetime = &v["lifetime"][0];
    assert_eq!(lifetime["churned"].as_f64(), Some(1.0));
    let median = lifetime["median_lifetime_months"].as_f64().unwrap();
    assert!((median - 54.0 / 30.4375).abs() < 1e-4, "{median}");
    // 2100-01-01 itself, read as a local date east of UTC (15:00 UTC the day before
    // in Tokyo): no end there too.
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,2100-01-01,10\nB,2025-01-15,2025-03-10,20\n",
    );
    let rows = wd.csv_rows(&["churn", "s.csv", "--tz", "Asia/Tokyo"]);
    let periods: Vec<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    assert_eq!(periods, ["2025-01", "2025-02", "2025-03"]);
}

/// An MRR column beside a billing interval that says `year` on one row and every 3
/// months on another: taken as monthly, as given (1,200 + 100 + 300), with a warning
/// counting the two and telling how to read them as prices per interval; so read,
/// 1,200 a year and 300 a quarter are 100 a month each (100 + 100 + 100).
#[test]
fn mrr_beside_a_yearly_interval_is_warned_of() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr,interval,interval_count\n\
A,2025-01-01,,1200,year,\nB,2025-01-01,,100,Monthly,1\nC,2025-01-01,,300,month,3\n",
    );
    let run = |extra: &[&str]| {
        let out = wd
            .cxm()
            .args(["churn", "s.csv", "--until", "2025-02-01", "--format", "csv"])
            .args(extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        (parse_csv(&out.stdout), err)
    };
    let (rows, err) = run(&[]);
    assert!(
        err.contains("2 subscriptions bill by an interval other than a month ('interval') beside the MRR column 'mrr'"),
        "{err}"
    );
    assert!(err.contains("--map amount=mrr"), "{err}");
    assert_num(&rows[0], "mrr_start", 1600.0);
    let (rows, err) = run(&["--map", "amount=mrr"]);
    assert!(err.is_empty(), "{err}");
    assert_num(&rows[0], "mrr_start", 300.0);
}

/// One subscription given twice, without MRR: the warning counts one and names what
/// was compared, MRR not among it.
#[test]
fn a_repeat_without_mrr_is_said_as_one() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date\nA,2025-01-01,\nA,2025-01-01,\n",
    );
    let (_, err) = wd.csv_and_stderr(&["churn", "s.csv", "--period", "2025-01"]);
    assert!(
        err.contains("1 subscription repeats another exactly (customer and dates)"),
        "{err}"
    );
    assert!(!err.contains("MRR"), "{err}");
}

/// The same subscriptions in two files (a file given twice is refused): each row
/// still counts (MRR doubles, as two seats would), and a warning says 2
/// subscriptions repeat another exactly.
#[test]
fn exactly_repeated_subscriptions_are_said() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-10,2025-02-10,10\nB,2025-01-01,,20\n",
    );
    wd.write("s2.csv", &std::fs::read(wd.path("s.csv")).unwrap());
    let out = wd
        .cxm()
        .args([
            "churn",
            "s.csv",
            "s2.csv",
            "--until",
            "2025-03-01",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("2 subscriptions repeat another exactly"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    let feb = rows.iter().find(|r| r["period"] == "2025-02").unwrap();
    // A (twice) and B (twice) active on 1 February: 2 × (10 + 20).
    assert_num(feb, "mrr_start", 60.0);
    let once = wd
        .cxm()
        .args(["churn", "s.csv", "--until", "2025-03-01", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        once.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&once.stderr)
    );
}

/// A subscription of no length starting on a bucket's first day (B, 1 March) is a new
/// customer of March, though active at no bucket bound: March has A at its start and
/// end, and one new customer.
#[test]
fn a_subscription_of_no_length_on_a_bound_is_new() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-10,,10\nB,2025-03-01,2025-03-01,20\n",
    );
    let out = wd
        .cxm()
        .args(["churn", "s.csv", "--every", "month", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = crate::common::parse_csv(&out.stdout);
    let march = rows.iter().find(|r| r["period"] == "2025-03").unwrap();
    assert_eq!(march["new_customers"], "1");
    assert_eq!(march["customers_start"], "1");
    assert_eq!(march["customers_end"], "1");
}

/// `--where` chooses the rows counted, not the export's dates: `--where plan=pro`
/// has the buckets (2025-01 to 2025-12, the file's last date being b's end),
/// cohort ages and survival censoring (a is censored at 2025-12-31, not at its own
/// start) of `--by plan`'s pro group, and a window inside the file's dates is no
/// stale export.
#[test]
fn where_keeps_the_exports_dates() {
    let wd = Workdir::new();
    wd.write(
        "subs.csv",
        b"customer_id,start_date,end_date,mrr,plan\n\
          a,2025-01-01,,10,pro\n\
          b,2025-01-01,2025-12-31,10,basic\n",
    );
    let run = |args: &[&str]| {
        let out = wd.cxm().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        (
            parse_csv(&out.stdout),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let (rows, _) = run(&["churn", "subs.csv", "--where", "plan=pro"]);
    let periods: Vec<&str> = rows.iter().map(|r| r["period"].as_str()).collect();
    let months: Vec<String> = (1..=12).map(|m| format!("2025-{m:02}")).collect();
    assert_eq!(periods, months);
    for view in [&[][..], &["--cohorts"][..], &["--survival"][..]] {
        let mut filtered = vec!["churn", "subs.csv", "--where", "plan=pro"];
        filtered.extend(view);
        let mut grouped = vec!["churn", "subs.csv", "--by", "plan"];
        grouped.extend(view);
        let (mut mine, _) = run(&filtered);
        let (theirs, _) = run(&grouped);
        let mut pro: Vec<_> = theirs.into_iter().filter(|r| r["plan"] == "pro").collect();
        pro.iter_mut().for_each(|r| {
            r.remove("plan");
        });
        mine.iter_mut().for_each(|r| {
            r.remove("plan");
        });
        assert!(!mine.is_empty(), "{view:?}");
        assert_eq!(mine, pro, "{view:?}");
    }
    // Survival: a, still active, is censored at the file's last date: 364 days, in
    // (11, 12] months of 30.4375 days, so month 12 counts it censored.
    let (rows, _) = run(&["churn", "subs.csv", "--where", "plan=pro", "--survival"]);
    let last = rows.last().unwrap();
    assert_eq!(
        (last["month"].as_str(), last["censored"].as_str()),
        ("12", "1")
    );
    let (_, err) = run(&[
        "churn", "subs.csv", "--where", "plan=pro", "--period", "2025-06",
    ]);
    assert!(!err.contains("stale"), "{err}");
    // The file ends in 2025 (b's end): a window in 2026 is past it, whatever is kept.
    let (_, err) = run(&[
        "churn",
        "subs.csv",
        "--where",
        "plan=basic",
        "--period",
        "2026-01",
    ]);
    assert!(err.contains("stale"), "{err}");
    // A window none of the rows kept is active in (a, basic, ended in March 2024),
    // while another row of the file is (b, pro, through June 2025): not stale.
    wd.write(
        "ended.csv",
        b"customer_id,start_date,end_date,mrr,plan\n\
          a,2024-01-01,2024-03-01,10,basic\n\
          b,2024-01-01,2025-06-01,20,pro\n",
    );
    let (_, err) = run(&[
        "churn",
        "ended.csv",
        "--where",
        "plan=basic",
        "--period",
        "2025-01",
    ]);
    assert!(!err.contains("stale"), "{err}");
}

/// `inspect` names both marks a column of amounts carries, as the commands read
/// them: `$1,200.00` has thousands commas and a currency sign; `$5` a sign alone.
#[test]
fn inspect_names_thousands_commas_and_currency_signs() {
    let wd = Workdir::new();
    wd.write(
        "both.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,\"$1,200.00\"\nB,2025-01-05,,$5.00\n",
    );
    wd.write(
        "signs.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,$12.00\nB,2025-01-05,,$5.00\n",
    );
    let kind = |file: &str| {
        let out = wd
            .cxm()
            .args(["inspect", file, "--format", "json"])
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let columns = doc["columns"].as_array().unwrap().clone();
        let mrr = columns.iter().find(|c| c["column"] == "mrr").unwrap();
        mrr["type"].as_str().unwrap().to_string()
    };
    assert_eq!(
        kind("both.csv"),
        "number (thousands commas, currency signs)"
    );
    assert_eq!(kind("signs.csv"), "number (currency signs)");
}

/// Amounts as US exports write them: a quoted `"1,200"` (thousands commas) and
/// currency signs. February: a (1,200) and b (20, ends Feb 15) are there at its
/// start; b churns; c (5.25) is new. MRR at the start 1,220, churned 20 (1.6393 %).
/// In a semicolon-separated file `1,200` may be 1.2 written with a decimal comma:
/// it stays unreadable there, rejected and located.
#[test]
fn amounts_with_thousands_commas_and_currency_signs_are_read() {
    let wd = Workdir::new();
    for (name, rows) in [
        (
            "plain.csv",
            "a,2025-01-05,,\"1,200\"\nb,2025-01-10,2025-02-15,20.00\nc,2025-02-03,,5.25\n",
        ),
        (
            "signs.csv",
            "a,2025-01-05,,\"$1,200.00\"\nb,2025-01-10,2025-02-15,$20\nc,2025-02-03,,5.25 $\n",
        ),
    ] {
        wd.write(
            name,
            format!("customer_id,start_date,end_date,mrr\n{rows}").as_bytes(),
        );
        let out = wd
            .cxm()
            .args(["churn", name, "--every", "month", "--since", "2025-02-01"])
            .args(["--until", "2025-03-01", "--format", "csv"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        assert!(out.stderr.is_empty(), "{name}: {out:?}");
        let rows = parse_csv(&out.stdout);
        assert_num(&rows[0], "customers_start", 2.0);
        assert_num(&rows[0], "churned", 1.0);
        assert_num(&rows[0], "new_customers", 1.0);
        assert_num(&rows[0], "mrr_start", 1220.0);
        assert_num(&rows[0], "mrr_churned", 20.0);
        assert_num(&rows[0], "mrr_churn_pct", 100.0 * 20.0 / 1220.0);
    }
    wd.write(
        "semi.csv",
        b"customer_id;start_date;end_date;mrr\na;2025-01-05;;1,200\nb;2025-01-10;2025-02-15;20\n",
    );
    let out = wd
        .cxm()
        .args([
            "churn",
            "semi.csv",
            "--every",
            "month",
            "--since",
            "2025-02-01",
        ])
        .args(["--until", "2025-03-01", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 rejected: unparseable number in mrr (first at semi.csv:2, column 'mrr', value '1,200')"),
        "{err}"
    );
}

/// Thousands commas are read only where the sample shows them: a column whose first
/// 2,000 amounts are `$10` (currency signs) does not read a later `"1,200"` as twelve
/// hundred; it is rejected. 2,000 customers at $10 from January, and one at `"1,200"`:
/// MRR at February's start 20,000, one value rejected.
#[test]
fn thousands_commas_past_the_sample_are_not_read_on_a_currency_sign() {
    let wd = Workdir::new();
    let mut text = String::from("customer_id,start_date,end_date,mrr\n");
    for i in 0..2000 {
        text.push_str(&format!("c{i},2025-01-05,,$10\n"));
    }
    text.push_str("late,2025-01-05,,\"1,200\"\n");
    wd.write("late.csv", text.as_bytes());
    let out = wd
        .cxm()
        .args([
            "churn",
            "late.csv",
            "--every",
            "month",
            "--since",
            "2025-02-01",
        ])
        .args(["--until", "2025-03-01", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 rejected: unparseable number in mrr") && err.contains("'1,200'"),
        "{err}"
    );
    assert_num(&parse_csv(&out.stdout)[0], "mrr_start", 20_000.0);
}

/// A customer active within no time of its last event is active never: refused, as a
/// zero `--horizon` is.
#[test]
fn a_zero_inactive_after_is_refused() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "churn",
            concat!(env!("CARGO_MANIFEST_DIR"), "/sample-data/tickets.csv"),
            "--inactive-after",
            "0d",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--inactive-after: must be longer than 0")
    );
}

/// A churn flag written `Exited` (the word of the bank dataset's column) reads as
/// churned: 2 of the 3 customers.
#[test]
fn exited_reads_as_churned() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,status\nA,Exited\nB,Stayed\nC,exited\n",
    );
    let rows = csv_rows(&[
        "churn",
        wd.path("s.csv").to_str().unwrap(),
        "--map",
        "churned=status",
        "-q",
    ]);
    assert_eq!(
        (rows[0]["customers"].as_str(), rows[0]["churned"].as_str()),
        ("3", "2")
    );
}

/// A blank MRR (or `NaN`) counts as 0, and `-v` says how many: B and C of four, D's
/// `abc` being rejected; MRR at the start of February is A's 10 alone.
#[test]
fn blank_mrr_is_counted_at_zero_and_said() {
    let w = Workdir::new();
    w.write(
        "blank.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,10\nB,2025-01-01,,\nC,2025-01-01,,NaN\nD,2025-01-01,,abc\n",
    );
    let out = w
        .cxm()
        .args([
            "churn",
            "blank.csv",
            "--period",
            "2025-02",
            "-v",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("blank.csv: 2 subscriptions have a blank MRR, counted at 0"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["customers_start"], "3");
    assert_num(&rows[0], "mrr_start", 10.0);
}

/// Activity churn in buckets ending after --now comes of windows closing after it,
/// which events not yet in the data may keep open: said. By hand (30-day windows,
/// --now April 1): A's window from March 20 closes April 19 (churn in April), B's from
/// April 20 closes May 20 (churn in May), both after --now; B's first window closed
/// March 3, before it.
#[test]
fn activity_churn_after_now_is_said() {
    let w = Workdir::new();
    w.write(
        "late.csv",
        b"customer_id,event_at\nA,2025-03-20\nB,2025-02-01\nB,2025-04-20\n",
    );
    let out = w
        .cxm()
        .args([
            "churn",
            "late.csv",
            "--inactive-after",
            "30d",
            "--since",
            "2025-03-01",
        ])
        .args([
            "--until",
            "2025-06-01",
            "--now",
            "2025-04-01T00:00:00Z",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2 customers' activity windows close after --now (2025-04-01 00:00 UTC) in the buckets shown: counted as churned already"),
        "{err}"
    );
    let churned: Vec<String> = parse_csv(&out.stdout)
        .iter()
        .map(|r| r["churned"].clone())
        .collect();
    assert_eq!(churned, ["1", "1", "1"]);
}

/// A customer's id is read trimmed: ` A` (February 10 on) and `A` (to February 15) are
/// one customer, who does not churn in February; `C\t` is C. Worked by hand (monthly,
/// January to March): January starts with A and B (Jan 1), A, B and C (Jan 5) are new;
/// February starts with A, B, C (MRR 10 + 5 + 7), C churns on the 20th (7); March
/// starts with A and B (10 + 5). The id of spaces alone is no id: its row is rejected.
#[test]
fn customer_ids_are_read_trimmed() {
    let w = Workdir::new();
    let (out, err) = w.csv_and_stderr(&[
        "churn",
        &fixture("sql/padded_subscriptions.csv"),
        "--since",
        "2025-01-01",
        "--until",
        "2025-04-01",
    ]);
    let rows = parse_csv(&out);
    let expect = [
        // start, churned, new, end, mrr start, mrr churned
        (2, 0, 3, 3, 15.0, 0.0),
        (3, 1, 0, 2, 22.0, 7.0),
        (2, 0, 0, 2, 15.0, 0.0),
    ];
    assert_eq!(rows.len(), 3);
    for (r, e) in rows.iter().zip(expect) {
        assert_eq!(r["customers_start"], e.0.to_string(), "{r:?}");
        assert_eq!(r["churned"], e.1.to_string(), "{r:?}");
        assert_eq!(r["new_customers"], e.2.to_string(), "{r:?}");
        assert_eq!(r["customers_end"], e.3.to_string(), "{r:?}");
        assert_num(r, "mrr_start", e.4);
        assert_num(r, "mrr_churned", e.5);
    }
    assert!(
        err.contains("1 rejected: missing required value in customer_id"),
        "{err}"
    );
}

/// A window starting or ending inside a month is said: churn counts those months whole
/// (the customers at each month's start and end), beyond the window. A quarter's
/// window, on months' bounds, is not.
#[test]
fn a_window_cutting_a_bucket_is_said() {
    let w = Workdir::new();
    let file = fixture("churn/subscriptions.csv");
    let (_, err) = w.csv_and_stderr(&[
        "churn",
        &file,
        "--since",
        "2025-01-15",
        "--until",
        "2025-02-15",
    ]);
    assert!(
        err.contains("starts or ends inside 2025-01 and 2025-02, which churn counts whole, from the month's start to its end"),
        "{err}"
    );
    let (_, err) = w.csv_and_stderr(&["churn", &file, "--period", "2025-Q1"]);
    assert!(!err.contains("counts whole"), "{err}");
}

/// A price named as a billing API's JSON field (`plan.amount`, Stripe's, in cents) is
/// warned of: the MRR would be 100 times the amounts in currency units. By hand, as
/// read at February's start: sub_1 4,900 × 1, sub_2 9,900 × 2 and sub_3's yearly
/// 120,000 ÷ 12 = 10,000 (from 4 January): 34,700. A dashboard export's `Amount` is
/// not warned of.
#[test]
fn a_price_in_an_api_field_is_said_to_be_in_cents() {
    let wd = Workdir::new();
    let (out, err) = wd.csv_and_stderr(&[
        "churn",
        &fixture("churn/stripe_api_subscriptions.csv"),
        "--since",
        "2025-02-01",
        "--until",
        "2025-03-01",
    ]);
    assert!(
        err.contains("the MRR comes from 'plan.amount', a billing API's field")
            && err.contains("100 times the amounts in currency units"),
        "{err}"
    );
    assert_eq!(parse_csv(&out)[0]["mrr_start"], "34700", "{err}");
    wd.write(
        "dash.csv",
        b"id,Customer ID,Plan,Amount,Interval,Start (UTC),Ended At (UTC),Current Period Start (UTC)\n\
sub_1,cus_A,basic,49.00,month,2025-01-01 00:00,,2025-02-01 00:00\n",
    );
    let (_, err) = wd.csv_and_stderr(&["churn", "dash.csv"]);
    assert!(!err.contains("billing API"), "{err}");
}

/// An interval count that is no whole number of periods (1.5 months, 0, a million
/// days) is a misread cell, rejected: only A's 100 a month and B's 300 a quarter (100 a month)
/// count, 200 in all.
#[test]
fn an_interval_count_of_part_of_a_period_is_rejected() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,amount,interval,interval_count\n\
A,2025-01-01,,100,month,1\nB,2025-01-01,,300,month,3\n\
C,2025-01-01,,150,month,1.5\nD,2025-01-01,,100,month,0\nE,2025-01-01,,100,day,1000000\n",
    );
    let (out, err) = wd.csv_and_stderr(&[
        "churn",
        "s.csv",
        "--movements",
        "--period",
        "2025-01",
        "--rejects",
        "r.csv",
    ]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "mrr_end", 200.0);
    assert!(
        err.contains("3 rejected: not a whole number of intervals"),
        "{err}"
    );
    let rejects = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert_eq!(
        rejects.matches("not a whole number of intervals").count(),
        3,
        "{rejects}"
    );
    assert!(
        rejects.contains(",1.5,") && rejects.contains(",0,"),
        "{rejects}"
    );
}

/// Billing exports whose columns were not all read:
/// - a Stripe API subscription flattened to CSV: `plan.interval_count` 3 makes 27,000
///   a quarter 9,000 a month, so MRR is 4,900 + 9,000 = 13,900 (it was read monthly:
///   31,900);
/// - a Recurly export: `canceled_at` is when a cancellation was asked for, `expires_at`
///   when the subscription stops: u3 churns in March (1 of 3), not February, and the
///   annual u2 not before January 2026;
/// - a Stripe dashboard export of chosen columns, without `Current Period Start`: still
///   Stripe's (its `Ended At (UTC)` the end), so in March cus_C (3 × 49) ends: 1 of 2
///   churned, 147 of 196 MRR.
#[test]
fn billing_columns_past_the_first_read() {
    let wd = Workdir::new();
    wd.write(
        "api.csv",
        b"id,customer,status,start_date,canceled_at,ended_at,quantity,plan.amount,plan.currency,plan.interval,plan.interval_count\n\
          sub_1,cus_A,active,1736499600,,,1,4900,usd,month,1\n\
          sub_2,cus_B,active,1736942400,,,1,27000,usd,month,3\n",
    );
    let rows = wd.csv_rows(&["churn", "api.csv", "--movements", "--period", "2025-01"]);
    assert_num(&rows[0], "mrr_end", 13900.0);
    wd.write(
        "recurly.csv",
        b"uuid,account_code,plan_code,state,activated_at,canceled_at,expires_at\n\
          u1,acct1,basic,active,2025-01-10T09:00:00Z,,\n\
          u2,acct2,pro-y,canceled,2025-01-15T12:00:00Z,2025-02-20T10:00:00Z,2026-01-15T12:00:00Z\n\
          u3,acct3,basic,expired,2025-01-20T08:00:00Z,2025-02-25T10:00:00Z,2025-03-20T08:00:00Z\n",
    );
    let rows = wd.csv_rows(&[
        "churn",
        "recurly.csv",
        "--map",
        "customer_id=account_code",
        "--since",
        "2025-02-01",
        "--until",
        "2025-04-01",
        "--every",
        "month",
    ]);
    let churned: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["period"].as_str(), r["churned"].as_str()))
        .collect();
    assert_eq!(churned, [("2025-02", "0"), ("2025-03", "1")]);
    wd.write(
        "stripe.csv",
        b"id,Customer ID,Plan,Quantity,Interval,Amount,Start (UTC),Canceled At (UTC),Ended At (UTC)\n\
          sub_1,cus_A,basic,1,month,49.00,2025-01-10 09:00,,\n\
          sub_3,cus_C,basic,3,month,49.00,2025-01-20 08:00,2025-02-25 10:00,2025-03-20 08:00\n",
    );
    let rows = wd.csv_rows(&["churn", "stripe.csv", "--period", "2025-03"]);
    assert_eq!(rows[0]["customers_start"], "2");
    assert_eq!(rows[0]["churned"], "1");
    assert_num(&rows[0], "mrr_start", 196.0);
    assert_num(&rows[0], "mrr_churned", 147.0);
}

/// End dates under other common names are read: A from 1 January to 1 February, B
/// still running: January starts with 2, A churns (not active on 1 February), 50 %.
/// Of a cancellation asked for on 20 January and a churn on 1 March, the churn is
/// the end: A is active on 1 February, not on 1 March, so it churns in February (B
/// keeps March's row). Without an end date
/// column nothing can churn, and that is said, a churn flag beside it too. An empty
/// end date column gives way to another that holds dates.
#[test]
fn end_dates_under_other_names_and_none() {
    let wd = Workdir::new();
    for name in [
        "cancel_date",
        "termination_date",
        "Date Cancelled",
        "churned_at",
    ] {
        wd.write(
            "s.csv",
            format!(
                "customer_id,start_date,{name},mrr\nA,2025-01-01,2025-02-01,10\nB,2025-01-01,,10\n"
            )
            .as_bytes(),
        );
        let rows = wd.csv_rows(&["churn", "s.csv"]);
        assert_eq!(rows[0]["period"], "2025-01", "{name}");
        assert_eq!(rows[0]["churned"], "1", "{name}");
        assert_num(&rows[0], "churn_pct", 50.0);
    }
    wd.write(
        "c.csv",
        b"customer_id,start_date,canceled_at,churn_date,mrr\nA,2025-01-01,2025-01-20,2025-03-01,10\nB,2025-01-01,,,10\n",
    );
    let rows = wd.csv_rows(&["churn", "c.csv"]);
    let churned: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["period"].as_str(), r["churned"].as_str()))
        .collect();
    assert_eq!(
        churned,
        [("2025-01", "0"), ("2025-02", "1"), ("2025-03", "0")]
    );
    // A churn date column left blank (`NULL` too) gives way to the cancellation
    // dates beside it: A churns in March (1 of 2), C in April (1 of 2 left).
    wd.write(
        "b.csv",
        b"customer_id,start_date,churn_date,canceled_at,mrr\nA,2025-01-01,,2025-03-05,10\nB,2025-01-01,NULL,,10\nC,2025-02-01,,2025-04-10,10\n",
    );
    // Each bucket's period, customers at its start and churned.
    let churned = |files: &[&str]| -> Vec<(String, String, String)> {
        let mut args = vec!["churn"];
        args.extend(files);
        args.extend(["--na", "NULL"]);
        (wd.csv_rows(&args).into_iter())
            .map(|r| {
                (
                    r["period"].clone(),
                    r["customers_start"].clone(),
                    r["churned"].clone(),
                )
            })
            .collect()
    };
    let row = |p: &str, s: &str, c: &str| (p.to_string(), s.to_string(), c.to_string());
    assert_eq!(
        churned(&["b.csv"]),
        [
            row("2025-01", "2", "0"),
            row("2025-02", "3", "0"),
            row("2025-03", "3", "1"),
            row("2025-04", "2", "1")
        ]
    );
    // Each file judged on its own: b.csv's churn dates, d.csv's cancellations (D
    // churns in February, 1 of 4 then).
    wd.write(
        "d.csv",
        b"customer_id,start_date,churn_date,canceled_at,mrr\nD,2025-01-01,,2025-02-10,10\n",
    );
    assert_eq!(
        churned(&["b.csv", "d.csv"]),
        [
            row("2025-01", "3", "0"),
            row("2025-02", "4", "1"),
            row("2025-03", "3", "1"),
            row("2025-04", "2", "1")
        ]
    );
    // -v names each file's end date column where they differ.
    wd.write(
        "e.csv",
        b"customer_id,start_date,churn_date,canceled_at,mrr\nE,2025-01-01,2025-02-15,,10\n",
    );
    let (_, err) = wd.csv_and_stderr(&["churn", "d.csv", "e.csv", "-v"]);
    assert!(
        err.contains("to 'canceled_at' in d.csv, 'churn_date' in e.csv"),
        "{err}"
    );
    wd.write(
        "f.csv",
        b"customer_id,start_date,churned,mrr\nA,2025-01-01,Yes,10\nB,2025-01-01,No,10\n",
    );
    let (_, err) = wd.csv_and_stderr(&["churn", "f.csv"]);
    assert!(
        err.contains("no end date column: every subscription is taken as still running"),
        "{err}"
    );
    assert!(
        err.contains("the churn flag 'churned' is not read"),
        "{err}"
    );
    // A window open at its end, starting after the file's latest date, ends there:
    // no bucket, and the warning says the window ends there rather than that open
    // ones count through it.
    wd.write(
        "o.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,10\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "o.csv", "--since", "2025-06-01"]);
    assert!(parse_csv(&out).is_empty());
    assert!(err.contains("ends there too (give --until"), "{err}");
    // Starting inside a week no bucket shows: no week is counted whole.
    let (out, err) =
        wd.csv_and_stderr(&["churn", "o.csv", "--since", "2025-06-04", "--every", "week"]);
    assert!(parse_csv(&out).is_empty());
    assert!(!err.contains("counts whole"), "{err}");
}

/// A subscription's end column that records when it stopped (Stripe's `Ended At
/// (UTC)`, an API export's `ended_at`) is blank while it runs, and stays the end
/// column though every sampled row is blank: `Canceled At` beside it is when a
/// cancellation was asked for, the subscription running to its period's end. A
/// asked on 10 March to cancel at its period's end (5 April): both customers are
/// active through March, no churn. In 2,100 rows, the first 2,000 running (200 of
/// them with a cancellation asked for) and the last 100 ended on 5 March: 100 of
/// 2,100 churn in March, none in February (the ends past the sample are read).
#[test]
fn a_blank_ended_at_is_a_running_subscription_whatever_canceled_at_says() {
    let w = Workdir::new();
    let header = "id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start (UTC),Current Period End (UTC),Canceled At (UTC),Cancel At Period End,Ended At (UTC)\n";
    w.write(
        "stripe.csv",
        format!(
            "{header}sub_1,cus_A,pro,1,usd,month,100.00,active,2025-01-05 10:00,2025-04-05 10:00,2025-03-10 09:00,true,\n\
             sub_2,cus_B,pro,1,usd,month,100.00,active,2025-01-07 10:00,2025-04-07 10:00,,false,\n"
        )
        .as_bytes(),
    );
    let rows = w.csv_rows(&["churn", "stripe.csv", "--until", "2025-04-01"]);
    let march = rows.iter().find(|r| r["period"] == "2025-03").unwrap();
    assert_eq!(march["customers_start"], "2");
    assert_eq!(march["churned"], "0");
    let mut api = String::from("customer,start_date,canceled_at,ended_at,mrr\n");
    let mut many = String::from(header);
    for i in 0..2100 {
        let asked = if i % 10 == 0 { "2025-03-10 09:00" } else { "" };
        let (asked, ended) = match i < 2000 {
            true => (asked, ""),
            false => ("2025-02-10 09:00", "2025-03-05 10:00"),
        };
        many.push_str(&format!(
            "sub_{i},cus_{i},pro,1,usd,month,10.00,active,2025-01-05 10:00,2025-04-05 10:00,{asked},false,{ended}\n"
        ));
        api.push_str(&format!("c{i},2025-01-05,{asked},{ended},10\n"));
    }
    w.write("many.csv", many.as_bytes());
    w.write("api.csv", api.as_bytes());
    for file in ["many.csv", "api.csv"] {
        let rows = w.csv_rows(&[
            "churn",
            file,
            "--since",
            "2025-02-01",
            "--until",
            "2025-04-01",
        ]);
        let got: Vec<(&str, &str, &str)> = (rows.iter())
            .map(|r| {
                (
                    r["period"].as_str(),
                    r["churned"].as_str(),
                    r["customers_end"].as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [("2025-02", "0", "2100"), ("2025-03", "100", "2000")],
            "{file}"
        );
    }
}

/// Chargebee's API fields name the interval `billing_period_unit` and count its units
/// in `billing_period`: 300 every 3 months and 1,200 every 12 months are 100 a month
/// each, beside 100 a month that ends on 20 February. February starts at 300 of MRR
/// and loses 100 (33.3333 %), ending at 200.
#[test]
fn billing_period_counts_the_units_of_billing_period_unit() {
    let w = Workdir::new();
    w.write(
        "cb.csv",
        b"id,customer_id,status,started_at,cancelled_at,plan_amount,billing_period,billing_period_unit\n\
          sub_1,cust_1,active,2025-01-03 09:00:00,,300.00,3,month\n\
          sub_2,cust_2,active,2025-01-04 09:00:00,,1200.00,12,month\n\
          sub_3,cust_3,cancelled,2025-01-05 09:00:00,2025-02-20 09:00:00,100.00,1,month\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "cb.csv",
        "--movements",
        "--since",
        "2025-02-01",
        "--until",
        "2025-03-01",
    ]);
    assert_num(&rows[0], "mrr_start", 300.0);
    assert_num(&rows[0], "mrr_churned", 100.0);
    assert_num(&rows[0], "mrr_churn_pct", 100.0 / 3.0);
    assert_num(&rows[0], "mrr_end", 200.0);
    // A `billing_period` of words is no count: each amount is per month, 400 in all.
    w.write(
        "words.csv",
        b"customer_id,amount,billing_period,billing_period_unit,start_date\n\
          c1,300,Quarterly,month,2025-01-03\nc2,100,Monthly,month,2025-01-04\n",
    );
    let rows = w.csv_rows(&["churn", "words.csv", "--movements", "--until", "2025-02-01"]);
    assert_num(&rows[0], "mrr_end", 400.0);
    // Counts written as pandas writes whole floats are counts: 300 ÷ 3 + 100 ÷ 1.
    w.write(
        "floats.csv",
        b"customer_id,amount,billing_period,billing_period_unit,start_date\n\
          c1,300,3.0,month,2025-01-03\nc2,100,1.0,month,2025-01-04\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "floats.csv",
        "--movements",
        "--until",
        "2025-02-01",
    ]);
    assert_num(&rows[0], "mrr_end", 200.0);
}

/// Chargebee leaves `subscriptions.started_at` blank for a subscription yet to start
/// and writes when it will in `subscriptions.start_date`: such a row starts then (it
/// was rejected as missing its start). c1 (100) runs from January; c2 (200) from
/// January to 15 February; c3 (300) is to start on 10 March. March: 1 customer at
/// the start (c1), 1 new (c3), 2 at the end, MRR 100 → 400. A row with neither
/// start is still rejected, and a scheduled start that is no date too.
#[test]
fn chargebee_future_subscription_starts_on_its_start_date() {
    let w = Workdir::new();
    w.write(
        "Subscriptions.csv",
        b"subscriptions.id,customers.id,subscriptions.status,subscriptions.plan_id,subscriptions.started_at,subscriptions.start_date,subscriptions.cancelled_at,subscriptions.mrr\n\
          s1,c1,active,basic,2025-01-10 09:00:00,,,100\n\
          s2,c2,cancelled,basic,2025-01-05 09:00:00,,2025-02-15 10:00:00,200\n\
          s3,c3,future,pro,,2025-03-10 00:00:00,,300\n\
          s4,c4,future,pro,,,,50\n\
          s5,c5,future,pro,,not a date,,70\n",
    );
    let args = [
        "churn",
        "Subscriptions.csv",
        "--movements",
        "--since",
        "2025-03-01",
        "--until",
        "2025-04-01",
    ];
    let (out, err) = w.csv_and_stderr(&args);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "customers_start", 1.0);
    assert_num(&rows[0], "new_customers", 1.0);
    assert_num(&rows[0], "customers_end", 2.0);
    assert_num(&rows[0], "mrr_start", 100.0);
    assert_num(&rows[0], "mrr_end", 400.0);
    assert!(
        err.contains(
            "1 rejected: missing required value in start_date (first at Subscriptions.csv:5"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "1 rejected: unparseable timestamp in scheduled_start (first at Subscriptions.csv:6"
        ),
        "{err}"
    );
    assert!(w
        .accounting(&args)
        .contains("5 rows read = 3 used + 2 rejected"));
    // Where `started_at` is missing, `start_date` is the start, and not read twice.
    w.write(
        "old.csv",
        b"subscriptions.id,customers.id,subscriptions.status,subscriptions.start_date,subscriptions.mrr\n\
          s1,c1,active,2025-01-10,100\ns3,c3,future,2025-03-10,300\n",
    );
    let rows = w.csv_rows(&[
        "churn",
        "old.csv",
        "--movements",
        "--since",
        "2025-03-01",
        "--until",
        "2025-04-01",
    ]);
    assert_num(&rows[0], "new_customers", 1.0);
    assert_num(&rows[0], "mrr_end", 400.0);
    // A `started_at` blank in every sampled row (2,000 subscriptions yet to start) is
    // still the start: the one started later is not rejected, in either order; so
    // too a file of future subscriptions alone beside one of running ones, and with
    // `--map start_date=` naming the column. March: c0 (10) at the start, 2,000 new.
    let header = "subscriptions.id,customers.id,subscriptions.status,subscriptions.plan_id,subscriptions.started_at,subscriptions.start_date,subscriptions.cancelled_at,subscriptions.mrr\n";
    let future: String = (1..=2000)
        .map(|i| format!("s{i},c{i},future,pro,,2025-03-10 00:00:00,,10\n"))
        .collect();
    let running = "s0,c0,active,pro,2025-01-10 00:00:00,,,10\n";
    w.write("late.csv", format!("{header}{future}{running}").as_bytes());
    w.write("early.csv", format!("{header}{running}{future}").as_bytes());
    w.write("running.csv", format!("{header}{running}").as_bytes());
    w.write("future.csv", format!("{header}{future}").as_bytes());
    let march = [
        "--movements",
        "--since",
        "2025-03-01",
        "--until",
        "2025-04-01",
    ];
    let started = ["--map", "start_date=subscriptions.started_at"];
    for files in [
        vec!["late.csv"],
        vec!["early.csv"],
        vec!["running.csv", "future.csv"],
        [vec!["late.csv"], started.to_vec()].concat(),
    ] {
        let args = [vec!["churn"], files.clone(), march.to_vec()].concat();
        let rows = w.csv_rows(&args);
        assert_num(&rows[0], "customers_start", 1.0);
        assert_num(&rows[0], "new_customers", 2000.0);
        assert_num(&rows[0], "mrr_end", 20_010.0);
    }
    // Without `subscriptions.start_date`, a blank `started_at` gives way to
    // `activated_at`, as the preset lists it: c1 and c2 start in February.
    w.write(
        "activated.csv",
        b"subscriptions.id,customers.id,subscriptions.status,subscriptions.started_at,subscriptions.activated_at,subscriptions.mrr\n\
          s1,c1,active,,2025-02-10 00:00:00,10\ns2,c2,active,,2025-02-15 00:00:00,20\n",
    );
    let rows = w.csv_rows(&["churn", "activated.csv", "--period", "2025-02"]);
    assert_num(&rows[0], "new_customers", 2.0);
    // `inspect` judges a scheduled start only where the start is blank.
    w.write(
        "ins.csv",
        format!("{header}s1,c1,active,basic,2025-01-10 09:00:00,soon,,100\ns2,c2,future,basic,,2025-03-10 00:00:00,,100\n").as_bytes(),
    );
    let out = w.cxm().args(["inspect", "ins.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("'soon'"), "{text}");
    assert!(text.contains("scheduled_start"), "{text}");
}

/// Amounts past 2^53 ten-thousandths keep their own digits: 134,450,807,687,990 was
/// printed 134450807687989.98 (rounding by scaling, past a float's precision), and
/// 30,686,924,035,250.2 as …250.203; tables show the same digits.
#[test]
fn large_amounts_keep_their_digits() {
    let wd = Workdir::new();
    for (mrr, csv, table) in [
        ("134450807687990", "134450807687990", "134,450,807,687,990"),
        (
            "30686924035250.2",
            "30686924035250.2",
            "30,686,924,035,250.20",
        ),
    ] {
        wd.write(
            "m.csv",
            format!("customer_id,plan,start_date,end_date,mrr\nC1,pro,2025-01-05,,{mrr}\n")
                .as_bytes(),
        );
        let args = [
            "churn",
            "m.csv",
            "--movements",
            "--now",
            "2025-02-01T00:00:00Z",
            "-q",
        ];
        let rows = wd.csv_rows(&args);
        assert_eq!(rows[0]["mrr_end"], csv, "{rows:?}");
        let out = wd
            .cxm()
            .args(args)
            .args(["--format", "markdown"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(table), "{text}");
    }
}

/// Subscriptions beside survey responses given to `churn` as one folder: the message
/// names the file of another kind and what to do with it, and no advice about two
/// helpdesks' layouts or `--map`, which cannot help.
#[test]
fn a_file_of_another_kind_beside_subscriptions_gets_its_own_advice() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/subscriptions.csv",
        b"customer_id,plan,start_date,end_date,mrr\nC1,pro,2025-01-01,,10\n",
    );
    wd.write(
        "d/surveys.csv",
        b"response_id,customer_id,submitted_at,survey,score\nR1,C1,2025-01-02T00:00:00Z,csat,5\n",
    );
    let out = wd
        .cxm()
        .args(["churn", "d", "--now", "2025-02-01T00:00:00Z"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("its headers say it holds survey responses (cxm surveys)"),
        "{err}"
    );
    assert!(
        !err.contains("two helpdesks") && !err.contains("--map"),
        "{err}"
    );
}

/// Yes and no as tools set to Spanish, German, Dutch or French export them: 2 of 4
/// customers churned (50 %), and the tickets' SLA verdicts and first contact read
/// alike: 3 of 4 met (75 %), 2 of 3 resolved on first contact (66.67 %). `Sí` was
/// rejected, leaving the no answers alone (0 %); so was `Sí` with its accent written
/// apart.
#[test]
fn yes_and_no_in_other_languages() {
    let wd = Workdir::new();
    for (yes, no) in [
        ("Sí", "No"),
        ("Ja", "Nein"),
        ("J", "N"),
        ("ja", "nee"),
        ("Oui", "Non"),
        // Accents written apart, as macOS writes them.
        ("Si\u{301}", "No"),
        ("Sim", "Na\u{303}o"),
    ] {
        wd.write(
            "snap.csv",
            format!("customer_id,churned\nC1,{yes}\nC2,{no}\nC3,{yes}\nC4,{no}\n").as_bytes(),
        );
        let (out, err) = wd.csv_and_stderr(&["churn", "snap.csv"]);
        assert!(!err.contains("rejected"), "{yes}/{no}: {err}");
        let rows = parse_csv(&out);
        assert_num(&rows[0], "churn_pct", 50.0);
        wd.write(
            "t.csv",
            format!(
                "ticket_id,created_at,resolved_at,made_sla,fcr\n\
                 1,2025-01-03 14:30,2025-01-03 15:30,{yes},{yes}\n\
                 2,2025-01-03 09:00,2025-01-03 11:00,{yes},{yes}\n\
                 3,2025-01-05 10:00,2025-01-05 12:00,{yes},{no}\n\
                 4,2025-01-05 11:00,,{no},\n"
            )
            .as_bytes(),
        );
        let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv"]);
        assert!(!err.contains("rejected"), "{yes}/{no}: {err}");
        let rows = parse_csv(&out);
        assert_num(&rows[0], "sla_pct", 75.0);
        assert_num(&rows[0], "fcr_pct", 200.0 / 3.0);
    }
}

/// A German export (`;`) whose MRR writes thousands with dots: `1.234.567` can only
/// be thousands, so the column's `1.200` is twelve hundred too: 1,200 + 990 +
/// 1,234,567 = 1,236,757 at the start of January (`1.200` was 1.2, and `1.234.567`
/// rejected).
#[test]
fn dots_that_can_only_be_thousands_read_the_column_so() {
    let wd = Workdir::new();
    wd.write(
        "mrr.csv",
        b"customer_id;start_date;end_date;mrr\nC1;2025-01-01;;1.200\nC2;2025-01-01;;990\nC3;2025-01-01;2025-01-15;1.234.567\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "mrr.csv", "--period", "2025-01"]);
    assert!(!err.contains("rejected"), "{err}");
    let rows = parse_csv(&out);
    assert_num(&rows[0], "mrr_start", 1_236_757.0);
    // No thousands group follows a lone 0: `0.125` is a point decimal, so the
    // column is read with a point (it was 125 beside the thousands).
    wd.write(
        "zero.csv",
        b"customer_id,start_date,end_date,mrr\nc1,2025-01-01,,1.234.567\nc2,2025-01-01,,0.125\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "zero.csv", "--period", "2025-01"]);
    assert!(
        err.contains("1 rejected: unparseable number in mrr"),
        "{err}"
    );
    let rows = parse_csv(&out);
    assert_num(&rows[0], "mrr_start", 0.125);
}
