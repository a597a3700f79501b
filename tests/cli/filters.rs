//! `--where` (SPEC §14) on hand-made fixtures (tests/fixtures/filters). The tickets:
//!
//! | id | channel   | priority | Region | subject        | first reply | resolved |
//! |----|-----------|----------|--------|----------------|-------------|----------|
//! | 1  | Email     | high     | EU     | Refund request | 1 h         | 3 h      |
//! | 2  | email     | low      | EU     | Login issue    | 0.5 h       | –        |
//! | 3  | chat      | (blank)  | US     | refund again   | 4 h         | 24 h     |
//! | 4  | CHAT      | urgent   | us     | Password       | 0.1 h       | 1 h      |
//! | 5  | phone     | high     | EU     | Broken         | (created_at unreadable) |
//! | 6  | ` email ` | urgent   | APAC   | Re: refund     | 2 h         | 6 h      |
//!
//! Surveys: r1 A email 5, r2 B chat 2, r3 D Email 4, r4 C chat 1 (CSAT 1–5, 4–5
//! satisfied). Subscriptions: A pro 100 running, B basic 20 ends Jan 20, C pro 100
//! ends Jan 10, D basic 20 running.

use crate::common::{assert_num, fixture, parse_csv, Workdir};

fn tickets(filters: &[&str]) -> (Vec<std::collections::HashMap<String, String>>, String) {
    let mut args = vec!["tickets".to_string(), fixture("filters/tickets.csv")];
    for f in filters {
        args.push("--where".into());
        args.push(f.to_string());
    }
    let out = Workdir::new()
        .cxm()
        .args(&args)
        .args(["--format", "csv", "-v"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    (parse_csv(&out.stdout), err)
}

#[test]
fn equality_ignores_case_and_spaces_and_skips_before_parsing() {
    // 1, 2, 6: row 5's unreadable date is left out, not rejected.
    let (rows, err) = tickets(&["channel=email"]);
    assert_eq!(rows[0]["tickets"], "3");
    assert_num(&rows[0], "first_response_median_hours", 1.0);
    assert!(err.contains("3 rows read = 3 used + 0 rejected"), "{err}");
    assert!(err.contains("3 rows left out by --where"), "{err}");
}

/// A value no row holds leaves out all six rows: said (a misspelt value reads as a
/// week without tickets otherwise), not under a condition that keeps one.
#[test]
fn a_condition_no_row_holds_is_said() {
    let (rows, err) = tickets(&["channel=emial"]);
    assert_eq!(rows[0]["tickets"], "0");
    assert!(
        err.contains("--where channel=emial: no row of")
            && err.contains("is kept (6 rows left out by it"),
        "{err}"
    );
    let (_, err) = tickets(&["channel=phone"]);
    assert!(!err.contains("is kept"), "{err}");
    // A list of thousands of values is shown by its first characters.
    let ids: Vec<String> = (0..2000).map(|i| format!("X{i:05}")).collect();
    let (_, err) = tickets(&[&format!("channel in ({})", ids.join(","))]);
    assert!(
        err.contains("--where channel in (X00000,X00001,")
            && err.contains("… (13892 more characters): no row of"),
        "{err}"
    );
    assert!(err.len() < 600, "{err}");
    // A stale row of a repeated id is dropped as a repeat, and counts as kept by
    // none: T1 moved from billing to tech, so team=billing keeps no row (T2's is
    // left out by it, T1's old row dropped as a repeat).
    let wd = Workdir::new();
    wd.write(
        "dup.csv",
        b"ticket_id,created_at,team\nT1,2025-01-01T09:00:00Z,billing\nT2,2025-02-01T09:00:00Z,tech\nT1,2025-01-01T09:00:00Z,tech\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "dup.csv",
            "--where",
            "team=billing",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--where team=billing: no row of dup.csv is kept"),
        "{err}"
    );
}

#[test]
fn not_equal_keeps_blank_values_and_rejects_still_count() {
    // 1, 3 (blank priority), 4, 5 (rejected), 6.
    let (rows, err) = tickets(&["priority!=low"]);
    assert_eq!(rows[0]["tickets"], "4");
    assert_num(&rows[0], "first_response_median_hours", 1.5);
    assert!(err.contains("5 rows read = 4 used + 1 rejected"), "{err}");
    assert!(err.contains("1 row left out by --where"), "{err}");
}

#[test]
fn conditions_all_hold_and_raw_columns_match_in_any_case() {
    // chat or phone (3, 4, 5), in the US (3, 4): 'region' reads the column 'Region'.
    let (rows, err) = tickets(&["channel in (chat, 'PHONE')", "region=us"]);
    assert_eq!(rows[0]["tickets"], "2");
    assert_num(&rows[0], "first_response_median_hours", 2.05);
    assert!(err.contains("2 rows read = 2 used + 0 rejected"), "{err}");
    assert!(err.contains("4 rows left out by --where"), "{err}");
}

#[test]
fn regular_expressions_search_the_value_as_written() {
    let (rows, _) = tickets(&["subject~^Re"]);
    assert_eq!(rows[0]["tickets"], "2"); // 1 and 6, not "refund again"
    assert_num(&rows[0], "first_response_median_hours", 1.5);
    let (rows, _) = tickets(&["subject~(?i)refund"]);
    assert_eq!(rows[0]["tickets"], "3"); // 1, 3, 6
}

#[test]
fn filters_combine_with_groups() {
    let (rows, _) = tickets(&["region in (eu, apac)", "priority!=low"]);
    // 1, 5 (rejected) and 6: by priority, high has 1, urgent has 6.
    let wd = Workdir::new();
    let by = wd.csv_rows(&[
        "tickets",
        &fixture("filters/tickets.csv"),
        "--where",
        "region in (eu, apac)",
        "--where",
        "priority!=low",
        "--by",
        "priority",
    ]);
    assert_eq!(rows[0]["tickets"], "2");
    let got: Vec<(&str, &str)> = by
        .iter()
        .map(|r| (r["priority"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(got, [("high", "1"), ("urgent", "1")]);
}

#[test]
fn an_unknown_column_or_a_malformed_condition_is_an_error() {
    let out = Workdir::new()
        .cxm()
        .args([
            "tickets",
            &fixture("filters/tickets.csv"),
            "--where",
            "team=a",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--where team=a") && err.contains("Region"),
        "{err}"
    );
    for bad in ["channel", "channel in email", "subject~(", "=email"] {
        let out = Workdir::new()
            .cxm()
            .args(["tickets", &fixture("filters/tickets.csv"), "--where", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
}

/// An unknown column tested against a list of 3,000 ids: the error quotes the
/// list's start, so that the column it names and the headers found are read (they
/// came after 21,000 characters of list, past where a message is cut).
#[test]
fn an_unknown_column_is_named_after_a_long_list() {
    let ids: Vec<String> = (0..3000).map(|i| format!("C{i:05}")).collect();
    let condition = format!("nope in ({})", ids.join(","));
    let out = Workdir::new()
        .cxm()
        .args(["tickets", &fixture("filters/tickets.csv"), "--where"])
        .arg(&condition)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--where nope in (C00000,C00001,")
            && err.contains("no field or column 'nope'")
            && err.contains("Region"),
        "{err}"
    );
    assert!(err.len() < 1000, "{} characters", err.len());
    // A list written without its parentheses, and a pattern left open, are refused
    // (exit 2) quoting their start, not 14 KB of ids twice.
    for (condition, joined) in [
        (format!("customer_id in {}", ids.join(",")), false),
        (format!("customer_id~({}", ids.join("|")), false),
        (format!("customer_id in {}", ids.join(",")), true),
    ] {
        let wd = Workdir::new();
        let mut cxm = wd.cxm();
        cxm.args(["tickets", &fixture("filters/tickets.csv")]);
        match joined {
            true => cxm.arg(format!("--where={condition}")),
            false => cxm.arg("--where").arg(&condition),
        };
        let out = cxm.output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--where") && err.contains("C00000"), "{err}");
        assert!(err.len() < 1000, "{} characters", err.len());
    }
}

#[test]
fn surveys_and_churn_filter_their_own_rows() {
    let rows = Workdir::new().csv_rows(&[
        "surveys",
        &fixture("filters/surveys.csv"),
        "--where",
        "channel!=chat",
    ]);
    // r1 (5) and r3 (4).
    assert_eq!(rows[0]["csat_responses"], "2");
    assert_num(&rows[0], "csat_pct", 100.0);
    let rows = Workdir::new().csv_rows(&[
        "churn",
        &fixture("filters/subscriptions.csv"),
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-01",
        "--where",
        "plan=PRO",
    ]);
    // A and C; C ends on Jan 10.
    assert_eq!(rows[0]["customers_start"], "2");
    assert_eq!(rows[0]["churned"], "1");
    assert_num(&rows[0], "mrr_churned", 100.0);
}

fn report(filter: &str) -> std::process::Output {
    Workdir::new()
        .cxm()
        .arg("report")
        .args(["--tickets", &fixture("filters/tickets.csv")])
        .args(["--surveys", &fixture("filters/surveys.csv")])
        .args(["--subscriptions", &fixture("filters/subscriptions.csv")])
        .args(["--since", "2025-01-01", "--until", "2025-02-01"])
        .args(["--where", filter, "--format", "csv"])
        .output()
        .unwrap()
}

/// `section,metric` → value of a report's long CSV.
fn value(rows: &[std::collections::HashMap<String, String>], section: &str, metric: &str) -> f64 {
    rows.iter()
        .find(|r| r["section"] == section && r["metric"] == metric)
        .and_then(|r| r["value"].parse().ok())
        .unwrap_or_else(|| panic!("no {section} {metric}"))
}

#[test]
fn report_filters_each_section_that_has_the_column() {
    let out = report("channel=email");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(value(&rows, "tickets", "tickets"), 3.0);
    assert_eq!(value(&rows, "surveys", "csat_responses"), 2.0);
    // The subscriptions have no channel: all four, with a warning.
    assert_eq!(value(&rows, "churn", "customers_start"), 4.0);
    assert!(
        err.contains("--where channel=email: the subscriptions have no such field or column"),
        "{err}"
    );
    let out = report("plan=pro");
    let rows = parse_csv(&out.stdout);
    assert_eq!(value(&rows, "tickets", "tickets"), 5.0);
    assert_eq!(value(&rows, "churn", "customers_start"), 2.0);
    let out = report("nosuch=1");
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nosuch"));
}

#[test]
fn customers_take_the_filter_where_their_data_has_it() {
    let rows = Workdir::new().csv_rows(&[
        "customers",
        "--tickets",
        &fixture("filters/tickets.csv"),
        "--surveys",
        &fixture("filters/surveys.csv"),
        "--subscriptions",
        &fixture("filters/subscriptions.csv"),
        "--since",
        "2025-01-01",
        "--until",
        "2025-02-01",
        "--now",
        "2025-06-01T00:00:00Z",
        "--where",
        "channel=email",
    ]);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["customer_id"].as_str(),
                r["tickets"].as_str(),
                r["csat_responses"].as_str(),
            )
        })
        .collect();
    // Email tickets: A (1, 2), D (6); email responses: A, D; B and C from their
    // subscriptions only.
    assert_eq!(
        got,
        [
            ("A", "2", "1"),
            ("B", "0", "0"),
            ("C", "0", "0"),
            ("D", "1", "1")
        ]
    );
}

#[test]
fn parquet_columns_of_any_type_are_compared_as_text() {
    use polars::prelude::*;
    let wd = Workdir::new();
    let mut df = LazyCsvReader::new(PlRefPath::new(fixture("filters/tickets.csv")))
        .finish()
        .unwrap()
        .collect()
        .unwrap();
    // ticket_id is read as an integer column.
    assert!(df.column("ticket_id").unwrap().dtype().is_integer());
    let path = wd.path("tickets.parquet");
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut df)
        .unwrap();
    let rows = wd.csv_rows(&[
        "tickets",
        path.to_str().unwrap(),
        "--where",
        "ticket_id in (1, 6)",
    ]);
    assert_eq!(rows[0]["tickets"], "2");
    assert_num(&rows[0], "first_response_median_hours", 1.5);
}

/// A saved report keeps its conditions (`where = [...]`); the command line's replace them.
#[test]
fn saved_reports_carry_their_filters() {
    let w = Workdir::new();
    let tickets = fixture("filters/tickets.csv");
    w.write(
        "cx.toml",
        format!(
            "[reports.email]\ntickets = \"{tickets}\"\nwhere = [\"channel=email\"]\nformat = \"csv\"\n"
        )
        .as_bytes(),
    );
    let run = |extra: &[&str]| {
        let out = w
            .cxm()
            .args(["report", "--config", "cx.toml", "email"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        value(&parse_csv(&out.stdout), "tickets", "tickets")
    };
    assert_eq!(run(&[]), 3.0);
    // chat: 3 and 4.
    assert_eq!(run(&["--where", "channel=chat"]), 2.0);
}

/// A ticket id's rows are resolved first (the last kept, or the first with
/// `--keep first`), then `--where` applies: R1 moved from team a to b to c, so it is
/// c's ticket, not also a's by its old row. Team a: R2 alone (its reply after 2 h), and
/// R1's old row a dropped duplicate; team c: R1; with `--keep first`, R1 is a's.
#[test]
fn where_applies_after_repeated_ids_are_resolved() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at,team\n\
R1,2025-01-06T00:00:00Z,2025-01-06T01:00:00Z,a\n\
R2,2025-01-06T00:00:00Z,2025-01-06T02:00:00Z,a\n\
R1,2025-01-07T00:00:00Z,2025-01-07T03:00:00Z,b\n\
R1,2025-02-08T00:00:00Z,2025-02-08T00:30:00Z,c\n",
    );
    let run = |args: &[&str]| {
        let out = wd
            .cxm()
            .args(["tickets", "t.csv", "--format", "csv", "-v"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        (parse_csv(&out.stdout), err)
    };
    let (rows, err) = run(&["--where", "team=a"]);
    assert_eq!(rows[0]["tickets"], "1");
    assert_num(&rows[0], "first_response_mean_hours", 2.0);
    // R1's kept row (c) is left out, and its rows in a and b with it: they are not
    // the filtered data's repeats.
    assert!(
        err.contains("1 row read = 1 used + 0 rejected + 0 duplicates; 3 rows left out by --where"),
        "{err}"
    );
    assert!(!err.contains("repeated id"), "{err}");
    let (rows, _) = run(&["--where", "team=c"]);
    assert_eq!(rows[0]["tickets"], "1");
    assert_num(&rows[0], "first_response_mean_hours", 0.5);
    let (rows, _) = run(&["--where", "team=b"]);
    assert_eq!(rows[0]["tickets"], "0");
    let (rows, _) = run(&["--where", "team=a", "--keep", "first"]);
    assert_eq!(rows[0]["tickets"], "2");
    assert_num(&rows[0], "first_response_mean_hours", 1.5);
}

/// A folder `d` of these tickets and responses, and `cxm ARGS … --format csv` run on
/// it: its rows, having said no response is "without a matching ticket".
fn on_folder(
    tickets: &[u8],
    surveys: &[u8],
    args: &[&str],
) -> Vec<std::collections::HashMap<String, String>> {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/tickets.csv", tickets);
    wd.write("d/surveys.csv", surveys);
    let out = wd
        .cxm()
        .args(args)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("no matching ticket"), "{err}");
    parse_csv(&out.stdout)
}

/// In `report`, a condition on a ticket column filters the tickets; the responses,
/// which cannot apply it, keep their own tickets' groups: with `--where team=a --by
/// team`, the response about b's ticket is b's (CSAT 2), not a blank group's.
#[test]
fn report_responses_keep_their_tickets_groups_under_a_ticket_filter() {
    let rows = on_folder(
        b"ticket_id,created_at,team\nT1,2025-01-06T09:00:00Z,a\nT2,2025-01-06T09:00:00Z,b\n",
        b"response_id,ticket_id,submitted_at,csat\nR1,T1,2025-01-06T12:00:00Z,5\nR2,T2,2025-01-06T12:00:00Z,2\n",
        &["report", "d", "--where", "team=a", "--by", "team"],
    );
    let cell = |section: &str, team: &str, metric: &str| {
        rows.iter()
            .find(|r| r["section"] == section && r["team"] == team && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(cell("tickets", "a", "tickets").as_deref(), Some("1"));
    assert_eq!(cell("tickets", "b", "tickets"), None);
    assert_eq!(cell("surveys", "a", "csat_mean").as_deref(), Some("5"));
    assert_eq!(cell("surveys", "b", "csat_mean").as_deref(), Some("2"));
    assert_eq!(cell("surveys", "", "csat_mean"), None);
}

/// `customers` does as `report` does: a ticket column's condition filters the tickets,
/// and the responses, not filtered by it, take their customers through all the
/// tickets: C2's response about b's ticket is C2's.
#[test]
fn customers_responses_keep_their_tickets_customers_under_a_ticket_filter() {
    let rows = on_folder(
        b"ticket_id,created_at,team,customer_id\n1,2025-03-03T10:00:00Z,a,C1\n2,2025-03-03T10:00:00Z,b,C2\n",
        b"response_id,submitted_at,ticket_id,csat\nr1,2025-03-04T10:00:00Z,1,5\nr2,2025-03-04T10:00:00Z,2,2\n",
        &[
            "customers",
            "d",
            "--since",
            "2025-03-01",
            "--until",
            "2025-04-01",
            "--now",
            "2025-12-01T00:00:00Z",
            "--where",
            "team=a",
        ],
    );
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["customer_id"].as_str(),
                r["tickets"].as_str(),
                r["csat_pct"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("C1", "1", "100"), ("C2", "0", "0")]);
}

/// A column named with letters past ASCII is found in any case too, as its values
/// are compared: `équipe` is the file's `Équipe`, for `--where` and `--by`.
#[test]
fn a_non_ascii_column_name_in_any_case() {
    let wd = Workdir::new();
    wd.write(
        "e.csv",
        "ticket_id,created_at,Équipe\n1,2025-03-01 10:00,x\n2,2025-03-01 10:00,y\n3,2025-03-01 11:00,X\n"
            .as_bytes(),
    );
    let rows = wd.csv_rows(&["tickets", "e.csv", "--where", "équipe=x"]);
    assert_eq!(rows[0]["tickets"], "2");
    let rows = wd.csv_rows(&["tickets", "e.csv", "--by", "ÉQUIPE"]);
    assert_eq!(rows.len(), 3);
}

/// Ids are resolved before `--where`, in `-v`'s accounting too: a dropped repeat of a
/// ticket the filter keeps is a duplicate (and warned of) whether or not the filter
/// would keep the row itself; the rows of a ticket it leaves out are left out, all of
/// them. Ticket 1 has rows in teams a then b, ticket 2 one in a. By hand, per rule and
/// `--keep`: which row of 1 is kept, and where each row goes.
#[test]
fn repeats_are_counted_before_the_filter() {
    let wd = Workdir::new();
    wd.write(
        "d.csv",
        b"ticket_id,created_at,team\n1,2025-03-01 10:00,a\n1,2025-03-01 10:00,b\n2,2025-03-01 11:00,a\n",
    );
    for (args, tickets, line) in [
        // Last kept (b): it is left out, a's row with it; 2 is used.
        (
            &["--where", "team=a"][..],
            "1",
            "1 row read = 1 used + 0 rejected + 0 duplicates; 2 rows left out by --where",
        ),
        // Last kept (b): used; a's row a repeat; 2 left out.
        (
            &["--where", "team=b"][..],
            "1",
            "2 rows read = 1 used + 0 rejected + 1 duplicates; 1 row left out by --where",
        ),
        // First kept (a): used, b's row a repeat, 2 used.
        (
            &["--where", "team=a", "--keep", "first"][..],
            "2",
            "3 rows read = 2 used + 0 rejected + 1 duplicates",
        ),
        // First kept (a): left out, b's row with it, 2 left out.
        (
            &["--where", "team=b", "--keep", "first"][..],
            "0",
            "0 rows read = 0 used + 0 rejected + 0 duplicates; 3 rows left out by --where",
        ),
    ] {
        let out = wd
            .cxm()
            .args(["tickets", "d.csv", "--format", "csv", "-v"])
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(err.contains(line), "{args:?}: {err}");
        // Nothing kept: the matching row is another of ticket 1's, no misspelling.
        if tickets == "0" {
            assert!(
                err.contains("(3 rows left out by it; the 1 row that matches is another row of a ticket whose kept row (--keep) does not)"),
                "{err}"
            );
        }
        let repeats = !line.contains("0 duplicates");
        assert_eq!(
            err.contains("repeated id, dropped"),
            repeats,
            "{args:?}: {err}"
        );
        assert_eq!(parse_csv(&out.stdout)[0]["tickets"], tickets, "{args:?}");
    }
}

/// `COL!~REGEX` keeps the rows the pattern is not found in, a blank one too: of Ann,
/// Bob and a ticket without agent, `agent!~n` keeps Bob's and the blank one.
#[test]
fn a_negated_regex_keeps_what_it_does_not_find() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,agent\nT1,2025-03-03T09:00:00Z,Ann\nT2,2025-03-03T09:00:00Z,Bob\nT3,2025-03-03T09:00:00Z,\n",
    );
    let rows = w.csv_rows(&["tickets", "t.csv", "--where", "agent!~n", "--by", "agent"]);
    let agents: Vec<&str> = rows.iter().map(|r| r["agent"].as_str()).collect();
    assert_eq!(agents, ["Bob", ""]);
}

/// A name with an accent written as its own character (`E` and U+0301, as macOS
/// and some web forms write it) is the name typed with `É`, in a header and in a
/// value: `--by Équipe` finds the header, and `--where` keeps the two tickets of
/// `José` however either side writes it, in a list of one word or of many (looked
/// up by hash). Before, the header was no such column and no ticket was kept.
#[test]
fn names_and_values_match_in_either_unicode_form() {
    let wd = Workdir::new();
    let (nfd, nfc) = ("Jose\u{301}", "Jos\u{e9}");
    wd.write(
        "t.csv",
        format!(
            "ticket_id,created_at,E\u{301}quipe\nT1,2025-01-01T10:00:00Z,{nfd}\n\
T2,2025-01-01T11:00:00Z,{nfc}\nT3,2025-01-01T12:00:00Z,x\n"
        )
        .as_bytes(),
    );
    let rows = wd.csv_rows(&["tickets", "t.csv", "--by", "\u{c9}quipe", "-q"]);
    assert_eq!(rows.len(), 3, "{rows:?}");
    for typed in [nfc, nfd, "JOS\u{c9}", "JOSE\u{301}"] {
        for condition in [
            format!("\u{e9}quipe={typed}"),
            format!("\u{c9}QUIPE in ({typed},a,b,c,d,e)"),
        ] {
            let rows = wd.csv_rows(&["tickets", "t.csv", "--where", &condition, "-q"]);
            assert_num(&rows[0], "tickets", 2.0);
        }
    }
}

/// Two headers of one name in two Unicode forms: a name typed in neither form
/// exactly is refused by `--by` and `--map` alike, the forms shown apart; typed
/// exactly, each reads its own column. `--map` took the first in silence.
#[test]
fn two_headers_in_two_forms_are_told_apart() {
    let wd = Workdir::new();
    wd.write(
        "form.csv",
        "ticket_id,created_at,\u{c9}quipe,E\u{301}quipe\nT1,2025-01-01T00:00:00Z,x,p\nT2,2025-01-01T00:00:00Z,y,q\n".as_bytes(),
    );
    for args in [
        vec!["tickets", "form.csv", "--by", "\u{e9}quipe"],
        vec![
            "tickets",
            "form.csv",
            "--map",
            "team=e\u{301}quipe",
            "--by",
            "team",
        ],
    ] {
        let out = wd.cxm().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(
                "several columns match in case or Unicode form (\u{c9}quipe, E\\u{301}quipe)"
            ),
            "{err}"
        );
    }
    let rows = wd.csv_rows(&[
        "tickets",
        "form.csv",
        "--map",
        "team=E\u{301}quipe",
        "--by",
        "team",
        "-q",
    ]);
    let teams: Vec<&str> = rows.iter().map(|r| r["team"].as_str()).collect();
    assert_eq!(teams, ["p", "q"]);
}
