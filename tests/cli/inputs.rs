//! Input sources: stdin, gzip, several files, real exports; `inspect` and `sample`.

use std::io::Write;

use predicates::prelude::*;

use crate::common::{assert_num, csv_rows, fixture, parse_csv, Workdir};

#[test]
fn stdin_input() {
    let wd = Workdir::new();
    let data = std::fs::read(fixture("tickets/basic.csv")).unwrap();
    let out = wd
        .cxm()
        .args(["tickets", "-", "--by", "team", "--format", "csv"])
        .write_stdin(data)
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    assert_eq!(
        (rows[0]["tickets"].as_str(), rows[1]["tickets"].as_str()),
        ("4", "3")
    );
}

#[test]
fn gzip_input() {
    let wd = Workdir::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(fixture("tickets/basic.csv")).unwrap())
        .unwrap();
    let p = wd.write("tickets.csv.gz", &gz.finish().unwrap());
    let rows = csv_rows(&["tickets", p.to_str().unwrap()]);
    assert_eq!(rows[0]["tickets"], "7");
    assert_eq!(rows[0]["resolved"], "5");
}

/// Bytes after the gzip data that start no member (zero padding, text appended), which
/// `gzip -d` passes over, are warned of, not an error; two members are read as one
/// file; a member cut short stops the run (basic.csv: 7 tickets, 5 resolved).
#[test]
fn gzip_padding_is_warned_of() {
    let wd = Workdir::new();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&std::fs::read(fixture("tickets/basic.csv")).unwrap())
        .unwrap();
    let data = gz.finish().unwrap();
    for (name, tail, said) in [
        (
            "zeros.csv.gz",
            vec![0u8; 512],
            "zeros.csv.gz: 512 bytes after the gzip data are not read",
        ),
        (
            "text.csv.gz",
            b"garbage\n".to_vec(),
            "text.csv.gz: 8 bytes after the gzip data are not read",
        ),
    ] {
        let mut bytes = data.clone();
        bytes.extend(tail);
        wd.write(name, &bytes);
        let out = wd
            .cxm()
            .args(["tickets", name, "--format", "csv"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(err.contains(said), "{err}");
        let rows = parse_csv(&out.stdout);
        assert_eq!(
            (rows[0]["tickets"].as_str(), rows[0]["resolved"].as_str()),
            ("7", "5")
        );
    }
    wd.write("cut.csv.gz", &data[..data.len() / 2]);
    wd.cxm().args(["tickets", "cut.csv.gz"]).assert().code(3);
    // 3,000 members of a ticket each (a log appended to by `gzip >>`): members end
    // at every place in the reader's buffer, the next one's magic split across it.
    let member = |text: &[u8]| {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text).unwrap();
        gz.finish().unwrap()
    };
    let mut many = member(b"ticket_id,created_at\n");
    for i in 0..3000 {
        many.extend(member(format!("T{i},2025-03-03T09:00:00Z\n").as_bytes()));
    }
    wd.write("many.csv.gz", &many);
    let out = wd
        .cxm()
        .args(["tickets", "many.csv.gz", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("after the gzip data"), "{err}");
    assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "3000");
}

/// Files that map to different fields are named with what differs: b.csv has no
/// channel, a.csv no agent.
#[test]
fn files_of_different_fields_are_told_apart() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        b"ticket_id,created_at,channel\nA,2025-01-01,email\n",
    );
    wd.write("b.csv", b"ticket_id,created_at,agent\nB,2025-01-01,ann\n");
    let out = wd
        .cxm()
        .args(["tickets", "a.csv", "b.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("b.csv has no column for channel; a.csv has no column for agent: concatenated files must map to the same fields (a.csv: "),
        "{err}"
    );
}

#[test]
fn two_files_are_concatenated() {
    // basic.csv split after T3, with differently named (but mapping) headers in part 2.
    let wd = Workdir::new();
    let text = std::fs::read_to_string(fixture("tickets/basic.csv")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let a = wd.write("a.csv", format!("{}\n", lines[..4].join("\n")).as_bytes());
    let header2 =
        "Ticket ID,Created at,First response at,Resolved at,Team,Channel,Agent replies,Reopens";
    let b = wd.write(
        "b.csv",
        format!("{header2}\n{}\n", lines[4..].join("\n")).as_bytes(),
    );
    let rows = csv_rows(&[
        "tickets",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--by",
        "team",
    ]);
    // the same hand-computed values as for the whole file (tickets::by_team_…)
    assert_eq!(
        (rows[0]["tickets"].as_str(), rows[1]["tickets"].as_str()),
        ("4", "3")
    );
    assert_eq!(rows[1]["resolved"], "3");
    // a directory of them gives the same
    let rows = csv_rows(&["tickets", wd.dir.path().to_str().unwrap(), "--by", "team"]);
    assert_eq!(
        (rows[0]["tickets"].as_str(), rows[1]["tickets"].as_str()),
        ("4", "3")
    );
}

/// Each file is sniffed on its own (SPEC §14): an ISO export and a day-first one read
/// together. Worked by hand: 50 tickets resolved in 2 h; a3 in 4 h (2 Jan 10:00 →
/// 14:00, day-first as 31.01 shows), a4 in 3 h: 52 tickets, mean 107/52 h.
#[test]
fn each_file_has_its_own_timestamp_format() {
    let wd = Workdir::new();
    let mut iso = String::from("ticket_id,created_at,resolved_at\n");
    for i in 0..50 {
        iso.push_str(&format!("{i},2025-01-02T10:00:00Z,2025-01-02T12:00:00Z\n"));
    }
    wd.write("iso.csv", iso.as_bytes());
    wd.write(
        "dots.csv",
        b"ticket_id,created_at,resolved_at\na3,02.01.2025 10:00,02.01.2025 14:00\na4,31.01.2025 10:00,31.01.2025 13:00\n",
    );
    for files in [["iso.csv", "dots.csv"], ["dots.csv", "iso.csv"]] {
        let args = ["tickets", files[0], files[1], "--since", "2025-01-01"];
        let rows = wd.csv_rows(&args);
        assert_eq!(rows[0]["tickets"], "52", "{files:?}");
        assert_eq!(rows[0]["resolved"], "52", "{files:?}");
        crate::common::assert_num(&rows[0], "resolution_mean_hours", 107.0 / 52.0);
        assert!(wd.accounting(&args).contains("= 52 used + 0 rejected"));
    }
    // The second file's day-first dates place its tickets in their own months.
    let rows = wd.csv_rows(&["tickets", "iso.csv", "dots.csv", "--every", "month"]);
    let jan: Vec<&str> = rows.iter().map(|r| r["tickets"].as_str()).collect();
    assert_eq!(jan, ["52"]);
}

/// Surveys and subscriptions too: a US-dated survey file with an ISO one, and an ISO
/// subscription file with a day-first one.
#[test]
fn surveys_and_churn_sniff_each_file() {
    let wd = Workdir::new();
    wd.write(
        "s1.csv",
        b"submitted_at,csat\n2025-03-05T10:00:00Z,5\n2025-03-06T10:00:00Z,4\n",
    );
    wd.write(
        "s2.csv",
        b"submitted_at,csat\n03/25/2025 10:00,1\n12/31/2024 10:00,5\n",
    );
    // March 2025: 5, 4 and 1 → 2 of 3 satisfied; the 31 Dec response is outside.
    let rows = wd.csv_rows(&["surveys", "s1.csv", "s2.csv", "--period", "2025-03"]);
    assert_eq!(rows[0]["csat_responses"], "3");
    crate::common::assert_num(&rows[0], "csat_pct", 200.0 / 3.0);

    wd.write(
        "sub1.csv",
        b"customer_id,start_date,end_date\nc1,2025-01-01,\nc2,2025-01-01,2025-02-10\n",
    );
    wd.write(
        "sub2.csv",
        b"customer_id,start_date,end_date\nc3,01.01.2025,13.02.2025\nc4,01.01.2025,\n",
    );
    // Four customers active at the start of February, two leave in it: 50 %.
    let rows = wd.csv_rows(&["churn", "sub1.csv", "sub2.csv", "--period", "2025-02"]);
    let feb = rows
        .iter()
        .find(|r| r["period"].starts_with("2025-02"))
        .expect("a February row");
    assert_eq!(feb["churned"], "2");
    crate::common::assert_num(feb, "churn_pct", 50.0);
}

#[test]
fn nyc_311_real_export() {
    // Unedited public data: 924 requests, 480 closed (see tests/fixtures/README.md);
    // US 12-hour local times, all on 2022-05-01 (ambiguous digits, AM/PM says US).
    let rows = csv_rows(&[
        "tickets",
        &fixture("real/nyc311_2022-05-01.csv"),
        "--map",
        "ticket_id=Unique Key",
        "--map",
        "created_at=Created Date",
        "--map",
        "resolved_at=Closed Date",
        "--tz",
        "America/New_York",
    ]);
    assert_eq!(rows[0]["tickets"], "924");
    assert_eq!(rows[0]["resolved"], "480");
    assert_eq!(rows[0]["open"], "444");
}

#[test]
fn nyc_311_by_agency_and_local_day() {
    // Opened on 2022-05-01 New York time: in UTC (EDT = UTC−4) requests after 20:00
    // local fall on 2022-05-02, so the local bucket holds all 924.
    let rows = csv_rows(&[
        "tickets",
        &fixture("real/nyc311_2022-05-01.csv"),
        "--by",
        "Agency",
        "--every",
        "day",
        "--tz",
        "America/New_York",
    ]);
    let total: u64 = rows
        .iter()
        .map(|r| r["tickets"].parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 924);
    assert!(rows.iter().all(|r| r["period"] == "2022-05-01"));
    assert!(rows.iter().any(|r| r["Agency"] == "NYPD"));
}

#[test]
fn inspect_shows_mapping_format_and_rows() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["inspect", &fixture("real/nyc311_2022-05-01.csv")])
        .assert()
        .success()
        .stdout(predicate::str::contains("924 rows, 41 columns"))
        // The counts of empty cells are the sample's, and the header says so.
        .stdout(predicate::str::contains(
            "types and empty cells judged on the first 924 rows",
        ))
        .stdout(predicate::str::contains("created_at"))
        .stdout(predicate::str::contains("%m/%d/%Y %I:%M:%S %p"));
    wd.cxm()
        .args(["inspect", &fixture("tickets/no_created.csv")])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "no column for required field 'created_at'",
        ));
}

/// An example cell longer than 40 characters is cut there and ends in `…`, so that
/// it is not read as the whole value; one of 40 is shown whole.
#[test]
fn inspect_cuts_a_long_example_with_an_ellipsis() {
    let wd = Workdir::new();
    let long = "x".repeat(45);
    let exact = "y".repeat(40);
    wd.write(
        "t.csv",
        format!("ticket_id,created_at,subject,tag\n1,2025-01-01T00:00:00Z,{long},{exact}\n")
            .as_bytes(),
    );
    let rows = wd.csv_rows(&["inspect", "t.csv"]);
    let example = |column: &str| {
        let row = rows.iter().find(|r| r["column"] == column);
        row.map(|r| r["example"].clone()).unwrap_or_default()
    };
    assert_eq!(example("subject"), format!("{}…", "x".repeat(40)));
    assert_eq!(example("tag"), exact);
}

/// A sample written over an earlier one with `--events` leaves that log as it was:
/// said, since `report DIR` would read it beside the new files.
#[test]
fn sample_over_an_earlier_log_says_it_is_left() {
    let wd = Workdir::new();
    let sample = |extra: &[&str]| {
        let out = wd
            .cxm()
            .args(["sample", "--out", "s", "--tickets", "200"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert_eq!(sample(&[]), "");
    assert_eq!(sample(&["--events", "50"]), "");
    let err = sample(&[]);
    assert!(
        err.contains("events.csv: left as it was, from before this run"),
        "{err}"
    );
}

#[test]
fn sample_is_deterministic_and_realistic() {
    let wd = Workdir::new();
    wd.cxm()
        .args(["sample", "--out", "a", "--tickets", "3000", "--seed", "5"])
        .assert()
        .success();
    wd.cxm()
        .args(["sample", "--out", "b", "--tickets", "3000", "--seed", "5"])
        .assert()
        .success();
    for f in ["tickets.csv", "surveys.csv", "subscriptions.csv"] {
        assert_eq!(
            std::fs::read(wd.path("a").join(f)).unwrap(),
            std::fs::read(wd.path("b").join(f)).unwrap(),
            "{f}"
        );
    }
    let t = std::fs::read_to_string(wd.path("a/tickets.csv")).unwrap();
    assert_eq!(t.lines().count(), 3001);
    let rows = csv_rows(&["tickets", wd.path("a/tickets.csv").to_str().unwrap()]);
    let r = &rows[0];
    let n = |c: &str| r[c].parse::<f64>().unwrap();
    // some unanswered and some open tickets, long-tailed durations (mean > median)
    assert!(n("responded") < 3000.0 && n("responded") > 2700.0);
    assert!(n("open") > 50.0 && n("open") < 600.0);
    assert!(n("first_response_mean_hours") > n("first_response_median_hours"));
    assert!(n("resolution_p90_hours") > 2.0 * n("resolution_median_hours"));
}

/// The Olist order reviews, unedited: `review_score` (1–5) reads as CSAT, answered at
/// `review_answer_timestamp`, though other columns hold comments that look like
/// dates. Expected per year, counted with Python's csv module over the same file
/// (satisfied = score ≥ 4): 2016 69 answers, 10 satisfied; 2017 3,717, 2,003; 2018
/// 4,439, 2,525.
#[test]
fn olist_reviews_read_unedited() {
    let rows = csv_rows(&[
        "surveys",
        &fixture("real/olist_order_reviews.csv.gz"),
        "--every",
        "year",
        "-q",
    ]);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["period"].as_str(), r["csat_responses"].as_str()))
        .collect();
    assert_eq!(got, [("2016", "69"), ("2017", "3717"), ("2018", "4439")]);
    assert_num(&rows[0], "csat_pct", 1000.0 / 69.0);
    assert_num(&rows[1], "csat_pct", 200_300.0 / 3717.0);
    assert_num(&rows[2], "csat_pct", 252_500.0 / 4439.0);
}

/// Real churn snapshots, unedited (tests/fixtures/real), counted with Python's csv
/// module: the bank table 2,037 `Exited` of 10,000 customers (by `CustomerId`); the
/// Iranian telecom 495 of 3,150 rows and the Orange telecom 483 `True` of 3,333 rows,
/// both without an id column, so each row is a customer (said with -v).
#[test]
fn real_churn_snapshots_run_unedited() {
    for (file, customers, churned, no_ids) in [
        ("real/bank_churn_modelling.csv.gz", 10_000.0, 2037.0, false),
        ("real/iranian_telecom_churn.csv.gz", 3150.0, 495.0, true),
        ("real/orange_telecom_churn.csv.gz", 3333.0, 483.0, true),
    ] {
        let out = Workdir::new()
            .cxm()
            .args(["churn", &fixture(file), "--format", "csv", "-v"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{file}: {err}");
        assert!(err.contains(" 0 rejected"), "{file}: {err}");
        assert_eq!(
            err.contains("each row counts as a customer"),
            no_ids,
            "{err}"
        );
        let rows = parse_csv(&out.stdout);
        assert_num(&rows[0], "customers", customers);
        assert_num(&rows[0], "churned", churned);
        assert_num(&rows[0], "churn_pct", 100.0 * churned / customers);
        // `inspect` and `report DIR` know it for a snapshot, ids or not.
        let wd = Workdir::new();
        let out = wd.cxm().args(["inspect", &fixture(file)]).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("data: a churn-flag snapshot"),
            "{file}: {text}"
        );
        std::fs::create_dir(wd.path("dir")).unwrap();
        std::fs::copy(fixture(file), wd.path("dir/export.csv.gz")).unwrap();
        let rows = wd.csv_rows(&["report", "dir"]);
        let churned_row = rows
            .iter()
            .find(|r| r["section"] == "churn" && r["metric"] == "churned")
            .unwrap_or_else(|| panic!("{file}: {rows:?}"));
        assert_num(churned_row, "value", churned);
    }
}

/// The Kaggle support tickets, unedited: no ticket creation time, so `tickets` stops
/// and names the flag; its CSAT column reads as a survey: 2,769 ratings of 8,469
/// tickets, 1,087 of them 4 or 5 (mean 8,283 / 2,769), by Python's csv module.
#[test]
fn kaggle_support_tickets_stop_with_the_flag_and_their_csat_reads() {
    let path = fixture("real/kaggle_customer_support_tickets.csv.gz");
    let w = Workdir::new();
    let out = w.cxm().args(["tickets", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--map created_at=COLUMN"), "{err}");
    assert!(
        err.contains(
            "its headers say it holds survey responses (cxm surveys): give it to that command"
        ),
        "{err}"
    );
    let rows = w.csv_rows(&[
        "surveys",
        &path,
        "--map",
        "csat=Customer Satisfaction Rating",
    ]);
    assert_eq!(rows[0]["csat_responses"], "2769");
    assert_num(&rows[0], "csat_pct", 108_700.0 / 2769.0);
    assert_num(&rows[0], "csat_mean", 8283.0 / 2769.0);
}

/// fivetran/dbt_zendesk's ticket seed (Zendesk's API schema, unedited): 10 tickets,
/// `via_channel` email 9 and web 1 (Python's csv module); no solved time in the table
/// (it lives in the field history), so how many are resolved is not known: empty.
#[test]
fn dbt_zendesk_ticket_seed_reads_by_its_api_names() {
    let rows = csv_rows(&[
        "tickets",
        &fixture("real/dbt_zendesk_ticket_data.csv"),
        "--by",
        "channel",
        "-q",
    ]);
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["channel"].as_str(),
                r["tickets"].as_str(),
                r["resolved"].as_str(),
            )
        })
        .collect();
    assert_eq!(got, [("email", "9", ""), ("web", "1", "")]);
}

/// `inspect` reads missing-value markers as the metric commands do: `NA` and `N/A` in
/// a timestamp column are 2 empty cells of a timestamp column, not text.
/// inspect says what the commands do: counts padded with spaces read (` 2 `), the
/// config's zone is the zone of times without an offset, and what `report DIR`
/// does with a table of figures or a file named `events…`.
#[test]
fn inspect_says_what_the_commands_and_report_do() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at,agent_replies\nT1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z, 2 \nT2,2025-03-03T09:00:00Z,2025-03-03T11:00:00Z,1\n",
    );
    let said = |args: &[&str]| {
        let out = wd.cxm().arg("inspect").args(args).output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = said(&["t.csv"]);
    assert!(!text.contains("not a number"), "{text}");
    wd.write(
        "o.csv",
        b"ticket_id,created_at\nA,2025-03-03T10:00:00+01:00\nB,2025-03-03T10:00:00\n",
    );
    wd.write("c.toml", b"tz = \"Europe/Berlin\"\n");
    let text = said(&["o.csv", "--config", "c.toml"]);
    assert!(text.contains("read in --tz (Europe/Berlin)"), "{text}");
    wd.write(
        "weekly.csv",
        b"week,tickets,csat\n2025-W01,10,4\n2025-W02,12,5\n",
    );
    let text = said(&["weekly.csv"]);
    assert!(
        text.contains("`cxm report DIR` skips it: scores without a response id"),
        "{text}"
    );
    wd.write(
        "events.csv",
        b"ticket_id,created_at\nA,2025-03-03T10:00:00Z\n",
    );
    let text = said(&["events.csv"]);
    assert!(
        text.contains("`cxm report DIR` reads it as an event log"),
        "{text}"
    );
}

/// Beside a ticket export in its folder, `report DIR` skips a table of ticket ids and
/// creation times alone and cxm's per-ticket table: `inspect DIR` says so of each,
/// and nothing of the same table inspected alone.
#[test]
fn inspect_of_a_folder_says_what_report_skips_beside_the_tickets() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/export.csv",
        b"ticket_id,created_at,resolved_at,team\nT1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,a\n",
    );
    wd.write(
        "d/schedules.csv",
        b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\n",
    );
    wd.write(
        "d/per.csv",
        b"ticket_id,created_at,first_response_hours,resolution_hours\nT1,2025-03-03T09:00:00Z,,1\n",
    );
    let out = wd.cxm().args(["inspect", "d"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let notes = |file: &str| {
        let from = text.find(&format!("{file}: ")).unwrap();
        let to = text[from + 1..]
            .find("\n\n")
            .map_or(text.len(), |i| from + 1 + i);
        text[from..to].to_string()
    };
    let schedules = notes("schedules.csv");
    assert!(
        schedules.contains("`cxm report DIR` skips it beside the ticket export")
            && schedules.contains("export.csv: ticket ids and creation times alone"),
        "{text}"
    );
    assert!(!notes("export.csv").contains("skips it"), "{text}");
    // The per-ticket table, passed over in the folder, is said to be when named.
    let out = (wd.cxm().args(["inspect", "d/export.csv", "./d/per.csv"]))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "`cxm report DIR` skips it beside d/export.csv: a table of tickets --per-ticket"
        ),
        "{text}"
    );
    // What report does, as inspect says.
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("schedules.csv: skipped, ticket ids and creation times alone"),
        "{err}"
    );
    assert!(
        err.contains("per.csv: skipped, a table of tickets --per-ticket"),
        "{err}"
    );
    // Alone, each is the tickets there are.
    let out = wd
        .cxm()
        .args(["inspect", "d/schedules.csv"])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("skips it"),
        "{out:?}"
    );
}

#[test]
fn inspect_reads_missing_markers_as_blanks() {
    let wd = Workdir::new();
    wd.write(
        "na.csv",
        b"ticket_id,created_at,resolved_at\n1,2025-01-01T00:00:00Z,NA\n2,2025-01-01T00:00:00Z,N/A\n3,2025-01-01T00:00:00Z,2025-01-02T00:00:00Z\n",
    );
    let out = wd.cxm().args(["inspect", "na.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let cells: Vec<&str> = text
        .lines()
        .find(|l| l.contains(" resolved_at "))
        .unwrap_or_else(|| panic!("{text}"))
        .split(['│', '┆'])
        .map(str::trim)
        .collect();
    // │ column ┆ field ┆ type ┆ format ┆ empty ┆ example │
    assert_eq!((cells[3], cells[5]), ("timestamp", "2"), "{text}");
}

/// A duration field written as clocks (`0:30:00`, `26:05:09`, as a workbook's
/// duration cells read) is typed a duration, as the metric commands read it; beside
/// numbers of its unit too. A clock-like column that is no duration field stays text.
#[test]
fn inspect_types_clock_durations() {
    let wd = Workdir::new();
    let f = wd.write(
        "d.csv",
        b"ticket_id,created_at,first_response_hours,resolution_hours,note
          1,2025-01-01 09:00,0:30:00,1.5,10:00
          2,2025-01-01 10:00,26:05:09,0:45,11:30
          3,2025-01-01 11:00,,2,x
",
    );
    let out = wd
        .cxm()
        .args(["inspect", f.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    let rows = parse_csv(&out.stdout);
    let typed = |column: &str| {
        let r = rows.iter().find(|r| r["column"] == column).unwrap();
        (r["type"].clone(), r["format"].clone())
    };
    assert_eq!(
        typed("first_response_hours"),
        ("duration".into(), "H:MM:SS".into())
    );
    assert_eq!(
        typed("resolution_hours"),
        ("duration".into(), "numbers and H:MM:SS".into())
    );
    assert_eq!(typed("note"), ("text".into(), String::new()));
}

/// `inspect --format`/`-o`: the same findings as a document. Five columns by hand,
/// one of them Zendesk's business-hours minutes, and no `created_at` among the
/// others' names would be a problem; here every field is present.
#[test]
fn inspect_writes_json_and_csv() {
    let wd = Workdir::new();
    let f = wd.write(
        "zd.csv",
        b"Id,Created at,Via,First reply time in minutes,First reply time in minutes within business hours\n\
          1,2024-03-04 09:00:00,Mail,30,10\n\
          2,2024-03-05 10:00:00,Web form,45,45\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", f.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let columns: Vec<&str> = doc["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["column"].as_str().unwrap())
        .collect();
    assert_eq!(
        columns,
        [
            "Id",
            "Created at",
            "Via",
            "First reply time in minutes",
            "First reply time in minutes within business hours"
        ]
    );
    // The header's facts: its rows and columns, the kind of data, the preset.
    let facts = doc["file"].as_array().unwrap();
    assert!(facts[0]["value"]
        .as_str()
        .unwrap()
        .contains("2 rows, 5 columns"));
    assert_eq!(facts[2]["fact"], "preset");
    assert!(facts[2]["value"].as_str().unwrap().starts_with("zendesk"));
    // And its figures as numbers.
    let fact = |name: &str| {
        facts
            .iter()
            .find(|f| f["fact"] == name)
            .map(|f| f["value"].clone())
    };
    assert_eq!(fact("rows"), Some(serde_json::json!(2)));
    assert_eq!(fact("columns"), Some(serde_json::json!(5)));
    assert_eq!(fact("sampled_rows"), Some(serde_json::json!(2)));
    // No problem: an empty list for a program, "none found" for people, as the
    // terminal says it (no "no rows" under Problems).
    assert_eq!(doc["problems"], serde_json::json!([]));
    let out = wd
        .cxm()
        .args(["inspect", f.to_str().unwrap(), "--format", "markdown"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("## Problems\n\n| problem |\n|:---|\n| none found |"),
        "{md}"
    );
    let business = doc["business_hours"].as_array().unwrap();
    assert_eq!(business.len(), 1);
    assert_eq!(
        business[0]["column"],
        "First reply time in minutes within business hours"
    );
    // CSV: the columns table alone, a header and one row per column, written by -o.
    wd.cxm()
        .args(["inspect", f.to_str().unwrap(), "-o", "cols.csv"])
        .assert()
        .success()
        .stdout("");
    let csv = std::fs::read_to_string(wd.path("cols.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 6, "{csv}");
    assert!(lines[0].starts_with("column,field,"), "{csv}");
    assert!(lines[2].starts_with("Created at,created_at,"), "{csv}");
    // The same file on stdin (read once, though its headers are looked at first).
    let out = wd
        .cxm()
        .args(["inspect", "-", "--format", "csv"])
        .pipe_stdin(&f)
        .unwrap()
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), csv);
}

/// A row short of fields has the missing ones empty: `team` is empty in 2 of 3
/// rows (T2 blank, T3 cut short), counted by hand.
#[test]
fn inspect_counts_cells_missing_from_short_rows_as_empty() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"ticket_id,created_at,team
T1,2025-03-01T10:00:00Z,a
T2,2025-03-01T11:00:00Z,
T3,2025-03-01T12:00:00Z
",
    );
    let out = wd
        .cxm()
        .args(["inspect", "s.csv", "--format", "csv"])
        .output()
        .unwrap();
    let rows = crate::common::parse_csv(&out.stdout);
    let team = rows.iter().find(|r| r["column"] == "team").unwrap();
    assert_eq!(team["empty"], "2");
}

/// `inspect` names sampled values the metric commands reject: a date-time not in
/// the column's format and a count that is no number, each counted and located (the
/// header is line 1), and the same values are what `tickets` rejects. `NA` is a
/// missing marker, not a bad value, and so is `NaN` (SPEC §14).
#[test]
fn inspect_reads_negative_epoch_seconds_as_the_commands_do() {
    // -100000000 s is 1966-10-31 14:13:20 UTC: a time both read, none rejected.
    let wd = Workdir::new();
    wd.write(
        "epoch.csv",
        b"ticket_id,created_at\nT1,1735718400\nT2,-100000000\nT3,+1735722000\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "epoch.csv", "--date-format", "%s"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("problems:\n  none found"), "{text}");
    let out = wd
        .cxm()
        .args([
            "tickets",
            "epoch.csv",
            "--date-format",
            "%s",
            "-v",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 rows read = 3 used + 0 rejected"), "{err}");
}

/// A time that reads but that the commands take as misread is named by `inspect` too,
/// with the reason the rejects give: `9999-12-31` (its year), and 02:30 on the day
/// Berlin's clocks skipped it; `tickets` rejects the same two.
#[test]
fn inspect_names_times_the_commands_take_as_misread() {
    let wd = Workdir::new();
    wd.write(
        "yr.csv",
        b"ticket_id,created_at\nA,2025-01-01 10:00\nB,9999-12-31 00:00\nC,2025-03-30 02:30\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "yr.csv", "--tz", "Europe/Berlin"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("2 of the 3 filled values sampled are not a date-time in its format (%Y-%m-%d %H:%M) from 1900 to 2099 (first at line 3: '9999-12-31 00:00': the year 9999 is outside 1900–2099"),
        "{text}"
    );
    let out = wd
        .cxm()
        .args([
            "tickets",
            "yr.csv",
            "--tz",
            "Europe/Berlin",
            "-v",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("3 rows read = 1 used + 2 rejected"), "{err}");
}

/// The share of unreadable times is of the filled cells: 100 tickets, 90 open (no
/// resolution time), 5 resolved and 5 with `soon`: half the times read, not 95 %.
#[test]
fn inspect_counts_bad_values_among_the_filled() {
    let wd = Workdir::new();
    let mut csv = String::from("ticket_id,created_at,resolved_at\n");
    for i in 0..100 {
        let resolved = match i {
            0..5 => "2025-01-02 10:00",
            5..10 => "soon",
            _ => "",
        };
        csv.push_str(&format!("{i},2025-01-01 10:00,{resolved}\n"));
    }
    wd.write("open.csv", csv.as_bytes());
    let out = wd.cxm().args(["inspect", "open.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("column 'resolved_at' (resolved_at): 5 of the 10 filled values sampled are not a date-time"),
        "{text}"
    );
}

#[test]
fn inspect_names_values_the_metric_commands_reject() {
    let wd = Workdir::new();
    wd.write(
        "bad.csv",
        b"ticket_id,created_at,agent_replies
T1,2025-03-01T10:00:00Z,1
T2,tomorrow,2
T3,2025-03-01T12:00:00Z,x
T4,2025-03-01T13:00:00Z,NA
T5,2025-03-01T14:00:00Z,NaN
",
    );
    let out = wd.cxm().args(["inspect", "bad.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let problem = |column: &str| {
        text.lines()
            .find(|l| l.contains(&format!("column '{column}'")))
            .unwrap_or_else(|| panic!("{text}"))
            .to_string()
    };
    let created = problem("created_at");
    assert!(
        created.contains("1 of the 5 filled values sampled is not a date-time")
            && created.contains("line 3: 'tomorrow'"),
        "{created}"
    );
    let replies = problem("agent_replies");
    assert!(
        replies.contains("1 of the 3 filled values sampled is not a number")
            && replies.contains("line 4: 'x'"),
        "{replies}"
    );
    // tickets rejects the same two values; a row with a bad creation time is
    // left out, one with a bad reply count still counts (docs/robustness.md): 4 tickets.
    let out = wd.cxm().args(["tickets", "bad.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("1 rejected: unparseable timestamp in created_at"),
        "{err}"
    );
    assert!(
        err.contains("1 rejected: unparseable number in agent_replies"),
        "{err}"
    );
    let rows = crate::common::parse_csv(&out.stdout);
    assert_eq!(rows[0]["tickets"], "4");
}

/// Files of different kinds are each described on their own: a ticket file and a
/// survey file, each with its own kind, mapping and problems, in the terminal and as
/// CSV (each column's row after its file's name).
#[test]
fn inspect_describes_each_file_on_its_own() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,2025-01-06T09:00:00Z\n");
    wd.write(
        "s.csv",
        b"response_id,submitted_at,survey,score\nR1,2025-01-06T10:00:00Z,csat,5\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "t.csv", "s.csv"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (tickets, surveys) = text.split_once("\ns.csv:").unwrap();
    assert!(tickets.starts_with("t.csv: 1 row, 2 columns"), "{tickets}");
    assert!(tickets.contains("data: tickets"), "{tickets}");
    assert!(surveys.contains("data: survey responses"), "{surveys}");
    assert!(surveys.contains("submitted_at"), "{surveys}");
    // With several files, a problem on stderr names its file.
    wd.write(
        "bad.csv",
        b"ticket_id,created_at\nT1,2025-01-06T09:00:00Z\nT2,tomorrow\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "t.csv", "bad.csv", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cxm: warning: bad.csv: column 'created_at'"),
        "{err}"
    );
    let rows = crate::common::parse_csv(&wd.csv_output(&["inspect", "t.csv", "s.csv"]));
    let of = |file: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r["file"] == file)
            .map(|r| r["field"].as_str())
            .collect()
    };
    assert_eq!(of("t.csv"), ["ticket_id", "created_at"]);
    assert_eq!(
        of("s.csv"),
        ["response_id", "submitted_at", "survey", "score"]
    );
}

/// What stops `cxm surveys` is among `inspect`'s problems: a wide CSAT column on a
/// 1–10 scale (7, 9 and 10 are off 1–5; 1–10 holds them all).
#[test]
fn inspect_names_a_score_scale_that_stops_surveys() {
    let wd = Workdir::new();
    wd.write(
        "w.csv",
        b"response_id,submitted_at,csat\nR1,2025-01-06T10:00:00Z,7\nR2,2025-01-06T11:00:00Z,9\nR3,2025-01-06T12:00:00Z,10\n",
    );
    let out = wd.cxm().args(["inspect", "w.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("give --scale csat=1-10"), "{text}");
    let out = wd.cxm().args(["surveys", "w.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --scale csat=1-10"));
}

/// Most scores off the default scale stop the run even where no scale holds them
/// all (5 or more off every scale): a 0–10 satisfaction column (0, 8, 10, 0, 7 off
/// 1–5) names 1–10, which holds all but the zeros; given, it reads 8, 10, 3, 9 and 7
/// (satisfied ≥ 9 on 1–10: 10 and 9, so 40 %) and rejects the two zeros. NPS on 0–100
/// names no scale.
#[test]
fn most_scores_off_every_scale_stop_the_run() {
    let wd = Workdir::new();
    wd.write("c.csv", b"csat\n0\n8\n10\n3\n9\n0\n7\n");
    let out = wd.cxm().args(["surveys", "c.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("6 of 7 sampled scores (e.g. '0') fall outside the default CSAT scale 1-5")
            && err.contains("--scale csat=1-10 reads those it holds and rejects the rest"),
        "{err}"
    );
    let (out, err) = wd.csv_and_stderr(&["surveys", "c.csv", "--scale", "csat=1-10"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["csat_responses"], "5", "{err}");
    assert_eq!(rows[0]["csat_pct"], "40", "{err}");
    assert!(err.contains("2 rejected"), "{err}");
    wd.write("n.csv", b"nps\n80\n90\n100\n30\n60\n6\n");
    let out = wd.cxm().args(["surveys", "n.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no NPS scale cxm reads (0-10) holds them all"),
        "{err}"
    );
}

/// Scores `cxm surveys` would reject on their scale are named by `inspect`, as the
/// command rejects them: in a wide file `x` (unknown label), `11` (off 1–5) and `4.5`
/// (between points) of 6 answers (`Offered` and a blank are none); in a long one `12`
/// on NPS's 0–10 and `x` in CES, each measure on its own scale. A label the config
/// gives (`meh` = 2) reads, and so does the scale it gives (`[scale] csat = "1-10"`:
/// only `11` and the labels are off it).
#[test]
fn inspect_names_the_scores_surveys_rejects() {
    let wd = Workdir::new();
    wd.write(
        "wide.csv",
        b"response_id,submitted_at,csat
1,2025-01-01,4
2,2025-01-02,x
3,2025-01-03,Satisfied
4,2025-01-04,11
5,2025-01-05,4.5
6,2025-01-06,Offered
7,2025-01-07,
8,2025-01-08,meh
",
    );
    wd.write(
        "long.csv",
        b"response_id,submitted_at,survey,score
1,2025-01-01,csat,4
2,2025-01-02,nps,12
3,2025-01-03,ces,x
4,2025-01-04,csat,5
",
    );
    wd.write(
        "labels.toml",
        b"[labels.csat]
meh = 2
",
    );
    wd.write("ten.toml", b"[scale]\ncsat = \"1-10\"\n");
    let inspect = |file: &str, config: Option<&str>| {
        let mut cmd = wd.cxm();
        cmd.args(["inspect", file]);
        if let Some(config) = config {
            cmd.args(["--config", config]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = inspect("wide.csv", None);
    assert!(
        text.contains("column 'csat' (csat): 4 of the 6 csat scores sampled are not read on the 1-5 scale (first at line 3: 'x', unknown label)"),
        "{text}"
    );
    let text = inspect("wide.csv", Some("labels.toml"));
    assert!(text.contains("3 of the 6 csat scores sampled"), "{text}");
    // On 1–10: `x`, `Satisfied` (a label of 1–5 only), `11`, `4.5`, `meh`.
    let text = inspect("wide.csv", Some("ten.toml"));
    assert!(
        text.contains("5 of the 6 csat scores sampled are not read on the 1-10 scale"),
        "{text}"
    );
    let text = inspect("long.csv", None);
    assert!(
        text.contains("column 'score' (score): 1 of the 1 nps scores sampled is not read on the 0-10 scale (first at line 3: '12', score out of scale); cxm surveys rejects such rows ([labels.nps] in --config reads others)"),
        "{text}"
    );
    assert!(
        text.contains("column 'score' (score): 1 of the 1 ces scores sampled is not read on the 1-7 scale (first at line 4: 'x', unknown label)"),
        "{text}"
    );
    assert!(!text.contains("csat scores sampled"), "{text}");
    // The command rejects the same rows: `x`, `11` and `4.5`; `Offered` and the
    // blank hold no score.
    let out = wd
        .cxm()
        .args(["surveys", "wide.csv", "--config", "labels.toml", "-v"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("8 rows read = 3 used + 3 rejected + 2 without a score"),
        "{err}"
    );
}

/// `--by note` on a file with two `note` columns cannot tell which holds the groups:
/// an error naming the column (exit 3), not the first one's values.
#[test]
fn a_group_column_named_twice_is_an_error() {
    let wd = Workdir::new();
    wd.write(
        "dup.csv",
        b"ticket_id,created_at,note,note\n1,2025-03-01 10:00:00,a,b\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "dup.csv", "--by", "note"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 columns named 'note'"), "{err}");
    // Named in another case: the same, as no spelling could tell them apart.
    let out = wd
        .cxm()
        .args(["tickets", "dup.csv", "--by", "NOTE"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 columns named 'note'"), "{err}");
}

/// A file marked UTF-8 (its byte-order mark) holding a Latin-1 byte stops, and the
/// message says the mark is why `--encoding latin1` does not help.
#[test]
fn a_utf8_mark_over_latin1_bytes_says_why() {
    let wd = Workdir::new();
    wd.write(
        "marked.csv",
        b"\xef\xbb\xbfticket_id,created_at,team\n1,2025-03-01T10:00:00Z,caf\xe9\n",
    );
    for extra in [&[][..], &["--encoding", "latin1"][..]] {
        let out = wd
            .cxm()
            .args(["tickets", "marked.csv"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("marked.csv:2: bytes that are not valid UTF-8 in a file that starts with UTF-8's byte-order mark"),
            "{err}"
        );
    }
}

/// A UTF-8 byte order mark says the file is UTF-8 even under `--encoding latin1`
/// (one flag given for several files): its header is `ticket_id`, and `é` stays é.
#[test]
fn a_utf8_mark_wins_over_latin1() {
    let wd = Workdir::new();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes
        .extend_from_slice("ticket_id,created_at,team\n1,2025-03-01T10:00:00Z,équipe\n".as_bytes());
    wd.write("bom.csv", &bytes);
    let rows = csv_rows(&[
        "tickets",
        wd.path("bom.csv").to_str().unwrap(),
        "--encoding",
        "latin1",
        "--by",
        "team",
        "-q",
    ]);
    assert_eq!(rows[0]["team"], "équipe");
    assert_eq!(rows[0]["tickets"], "1");
}

/// Each file's encoding is told on its own: a UTF-8 file and a Windows-1252 one (Excel's
/// "ANSI" CSV, `€` and `é` as single bytes), through stdin too, in one run, each
/// team read as written; only the second is named in a warning.
#[test]
fn a_utf8_file_and_a_windows_1252_one_in_one_run() {
    let wd = Workdir::new();
    wd.write(
        "utf8.csv",
        "ticket_id,created_at,team\n1,2025-03-01T10:00:00Z,équipe\n".as_bytes(),
    );
    wd.write(
        "ansi.csv",
        b"ticket_id,created_at,team\n2,2025-03-01T10:00:00Z,\x80 caf\xe9\n3,2025-03-01T11:00:00Z,\xe9quipe\n",
    );
    let out = wd
        .cxm()
        .args([
            "tickets", "utf8.csv", "-", "--by", "team", "--format", "csv",
        ])
        .write_stdin(std::fs::read(wd.path("ansi.csv")).unwrap())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        err,
        "cxm: warning: <stdin>: not UTF-8, so read as Windows-1252 (Latin-1): line 2 reads '€'; give --encoding if the file is in another encoding\n"
    );
    let rows = parse_csv(&out.stdout);
    let teams: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["team"].as_str(), r["tickets"].as_str()))
        .collect();
    assert_eq!(teams, [("équipe", "2"), ("€ café", "1")]);
}

/// Windows-1252 told past the usual cases: a file of lone-CR line ends longer than the
/// 64 KiB looked at (its line counted by CRs), a byte on the line that crosses 64
/// KiB, and a file of mixed encodings (UTF-8 `Équipe` appended to a Windows-1252
/// file), whose UTF-8 line is named rather than silently grouped apart. 3,000 rows of
/// team `Équipe` (`\xc9quipe`), each about 45 bytes.
#[test]
fn windows_1252_past_the_plain_cases() {
    let wd = Workdir::new();
    let rows = |end: &str| -> Vec<u8> {
        let mut out = format!("ticket_id,created_at,team{end}").into_bytes();
        for i in 0..3000 {
            out.extend_from_slice(format!("{i},2025-03-01T10:00:00Z,").as_bytes());
            out.extend_from_slice(b"\xc9quipe");
            out.extend_from_slice(end.as_bytes());
        }
        out
    };
    let run = |file: &str| {
        let out = wd
            .cxm()
            .args(["tickets", file, "--by", "team", "--format", "csv"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{file}: {err}");
        (parse_csv(&out.stdout), err)
    };
    wd.write("cr.csv", &rows("\r"));
    let (got, err) = run("cr.csv");
    assert_eq!(
        (got[0]["team"].as_str(), got[0]["tickets"].as_str()),
        ("Équipe", "3000")
    );
    assert!(
        err.contains("cr.csv: not UTF-8, so read as Windows-1252 (Latin-1): line 2 reads 'Équipe'"),
        "{err}"
    );
    // ASCII to byte 65,529, then `é` at 65,530 on a line that goes on past 64 KiB.
    let mut edge = b"ticket_id,created_at,team\n".to_vec();
    let mut i = 0;
    while edge.len() < 65_530 - 40 {
        edge.extend_from_slice(format!("{i},2025-03-01T10:00:00Z,a\n").as_bytes());
        i += 1;
    }
    let line = 2 + i;
    let pad = 65_530 - edge.len() - "x,2025-03-01T10:00:00Z,".len();
    edge.extend_from_slice(format!("x,2025-03-01T10:00:00Z,{}", "b".repeat(pad)).as_bytes());
    edge.extend_from_slice(b"\xe9tttttttttttttttttttt\n");
    assert_eq!(edge[65_530], 0xe9);
    wd.write("edge.csv", &edge);
    let (got, err) = run("edge.csv");
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(
        err.contains(&format!(
            "edge.csv: not UTF-8, so read as Windows-1252 (Latin-1): line {line} reads '"
        )),
        "{err}"
    );
    // 3,001 rows: the last one's team in UTF-8.
    let mut mixed = rows("\n");
    mixed.extend_from_slice("3000,2025-03-01T10:00:00Z,Équipe\n".as_bytes());
    wd.write("mixed.csv", &mixed);
    let (_, err) = run("mixed.csv");
    assert!(
        err.contains("mixed.csv: line 3002 holds 'É' written as UTF-8, read as 'Ã‰' since the file is read as Windows-1252: a file of mixed encodings?"),
        "{err}"
    );
    // Both in the first lines: not told, so stopped; given as Latin-1, read, and the
    // UTF-8 line named.
    let both = [
        b"ticket_id,created_at,team\n1,2025-03-01T10:00:00Z,\xc9quipe\n".as_slice(),
        "2,2025-03-01T10:00:00Z,Équipe\n".as_bytes(),
    ]
    .concat();
    wd.write("both.csv", &both);
    let out = wd.cxm().args(["tickets", "both.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("both.csv:2: bytes that are not valid UTF-8"),
        "{err}"
    );
    let out = wd
        .cxm()
        .args(["tickets", "both.csv", "--encoding", "latin1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        err,
        "cxm: warning: both.csv: line 3 holds 'É' written as UTF-8, read as 'Ã‰' since the file is read as Windows-1252: a file of mixed encodings? Re-save it in one\n"
    );
}

/// A duration column reads clocks (`49:00:00`) as the metric commands do: `inspect`
/// names only the value no command reads ('soon', line 3), not the clocks.
#[test]
fn inspect_reads_clock_durations_as_the_commands_do() {
    let wd = Workdir::new();
    wd.write(
        "clock.csv",
        b"ticket_id,created_at,resolution_time\n\
          1,2025-03-01T10:00:00Z,49:00:00\n2,2025-03-01T10:00:00Z,soon\n\
          3,2025-03-01T10:00:00Z,0:59:59.5\n",
    );
    let out = wd.cxm().args(["inspect", "clock.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let problem = text
        .lines()
        .find(|l| l.contains("column 'resolution_time'"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        problem.contains("1 of the 3 filled values sampled is not a duration")
            && problem.contains("line 3: 'soon'"),
        "{problem}"
    );
}

/// `inspect` judges no rows: `--strict` and `--rejects` are refused (exit 2), not
/// silently passed over as if the file had passed.
#[test]
fn inspect_refuses_options_that_judge_rows() {
    let wd = Workdir::new();
    wd.write("t.csv", b"ticket_id,created_at\nT1,tomorrow\n");
    for extra in [&["--strict"][..], &["--rejects", "r.csv"][..]] {
        let out = wd
            .cxm()
            .args(["inspect", "t.csv"])
            .args(extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains("do not apply"), "{err}");
    }
    assert!(!wd.path("r.csv").exists());
}

/// A time and a duration of the same metric: the time is read, and inspect says which
/// column is not (Zendesk's `Full resolution time in minutes` beside `Solved at`);
/// given with `--map`, the duration is read and the time is the one passed over.
#[test]
fn inspect_says_which_of_a_time_and_a_duration_is_read() {
    let wd = Workdir::new();
    let f = wd.write(
        "z.csv",
        b"Id,Created at,Solved at,Full resolution time in minutes\n\
          1,2023-04-21 10:00,2023-04-21 12:00,600\n",
    );
    let kind_of = |extra: &[&str], column: &str| -> String {
        let out = wd
            .cxm()
            .args(["inspect", f.to_str().unwrap(), "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let row = doc["columns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["column"] == column);
        row.unwrap()["type"].as_str().unwrap().to_string()
    };
    let minutes = "Full resolution time in minutes";
    assert_eq!(kind_of(&[], minutes), "integer (not read: resolved_at is)");
    assert_eq!(kind_of(&[], "Solved at"), "timestamp");
    let mapped = [
        "--map",
        "resolution_minutes=Full resolution time in minutes",
    ];
    assert_eq!(
        kind_of(&mapped, "Solved at"),
        "timestamp (not read: resolution_minutes is)"
    );
    assert_eq!(kind_of(&mapped, minutes), "integer");
}

/// Excel's `sep=;` first line names the delimiter and is not the header: with a
/// byte-order mark and CRLF line ends too, the teams are read (A: 1.5 h, B: 0.5 h),
/// and the bad row is located on the file's own line 4.
#[test]
fn an_excel_separator_line_names_the_delimiter() {
    let wd = Workdir::new();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(
        b"sep=;\r\nticket_id;created_at;first_response_at;team\r\n\
          T1;2025-03-01 10:00;2025-03-01 11:30;A\r\n\
          T2;soon;2025-03-01 12:30;B\r\n\
          T3;2025-03-01 12:00;2025-03-01 12:30;B\r\n",
    );
    wd.write("sep.csv", &bytes);
    let out = wd
        .cxm()
        .args(["tickets", "sep.csv", "--by", "team", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0]["team"].as_str(), rows[0]["tickets"].as_str()),
        ("A", "1")
    );
    assert_num(&rows[0], "first_response_mean_hours", 1.5);
    assert_eq!(
        (rows[1]["team"].as_str(), rows[1]["tickets"].as_str()),
        ("B", "1")
    );
    assert_num(&rows[1], "first_response_mean_hours", 0.5);
    assert!(err.contains("sep.csv:4"), "{err}");
    // The same from stdin.
    let out = wd
        .cxm()
        .args(["tickets", "-", "--format", "csv", "-q"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "2");
}

/// A report's title above the header (one field, then a blank line) is not the
/// header, as a sheet's title row is not: the tickets are read, and the bad row is
/// located on the file's own line 5.
#[test]
fn a_title_line_above_the_header_is_skipped() {
    let wd = Workdir::new();
    wd.write(
        "titled.csv",
        b"Tickets created in March 2025\r\n\r\nticket_id,created_at,first_response_at\r\n\
          T1,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z\r\nT2,soon,\r\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "titled.csv", "-v"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["tickets"], "1");
    assert_num(&rows[0], "first_response_mean_hours", 2.0);
    assert!(err.contains("titled.csv:5"), "{err}");
    // Said under -v: the title and the blank line after it.
    assert!(
        err.contains("titled.csv: 2 lines above the header (a title) not read"),
        "{err}"
    );
    // `inspect` says it too, in its summary line.
    let out = wd.cxm().args(["inspect", "titled.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.ends_with("; 2 lines above the header (a title) not read"),
        "{text}"
    );
}

/// A header cell of wrapped text (Excel quotes it, its line break inside) starts the
/// header on its first line: `"Internal` was taken for a title, and `note",…` too, so
/// the first ticket's row became the header. With a title above, the title alone is
/// left out. Both read two tickets, T2's bad time on the file's own line.
#[test]
fn a_header_cell_of_several_lines_is_no_title() {
    let wd = Workdir::new();
    let rows = b"\"Internal\nnote\",ticket_id,created_at\nx,H1,2025-01-01T00:00:00Z\n\
                 y,H2,2025-01-02T00:00:00Z\nz,H3,bad\n";
    wd.write("wrapped.csv", rows);
    let mut titled = b"Tickets of January\n\n".to_vec();
    titled.extend_from_slice(rows);
    wd.write("titled.csv", &titled);
    for (file, bad_line) in [("wrapped.csv", 5), ("titled.csv", 7)] {
        let (out, err) = wd.csv_and_stderr(&["tickets", file, "--by", "Internal\nnote"]);
        let rows = parse_csv(&out);
        assert_eq!(rows.len(), 2, "{file}: {rows:?}");
        assert_eq!(rows[0]["Internal\nnote"], "x", "{file}");
        assert_eq!(rows[1]["tickets"], "1", "{file}");
        assert!(err.contains(&format!("{file}:{bad_line}")), "{err}");
    }
}

/// A title of wrapped text (a quoted cell of two lines, padded or not, with nothing
/// named after its closing quote) is still a title, and a one-line title whose quote
/// closes on its line (`"Q1" tickets 27" screens`) too; a wrapped first header cell
/// tells the delimiter by the whole header record (`;` and tab). Each reads T1.
#[test]
fn wrapped_titles_are_titles_and_wrapped_headers_tell_their_delimiter() {
    let wd = Workdir::new();
    let files: [(&str, &[u8]); 5] = [
        (
            "padded.csv",
            b"\"Ticket report\nMarch 2025\",,\n,,\nticket_id,created_at,team\nT1,2025-03-01T10:00:00Z,a\n",
        ),
        (
            "plain.csv",
            b"\"Quoted\ntitle\"\n\nticket_id,created_at,team\nT1,2025-03-01T10:00:00Z,a\n",
        ),
        (
            "quotes.csv",
            b"\"Q1\" tickets 27\" screens\n\nticket_id,created_at,team\nT1,2025-03-01T10:00:00Z,a\n",
        ),
        (
            "semi.csv",
            b"\"Internal\nnote\";ticket_id;created_at;team\nx;T1;2025-03-01T10:00:00Z;a\n",
        ),
        (
            "tabs.tsv",
            b"Title\n\n\"Internal\nnote\"\tticket_id\tcreated_at\tteam\nx\tT1\t2025-03-01T10:00:00Z\ta\n",
        ),
    ];
    for (name, bytes) in files {
        wd.write(name, bytes);
        let (out, _) = wd.csv_and_stderr(&["tickets", name, "--by", "team"]);
        let rows = parse_csv(&out);
        assert_eq!(rows.len(), 1, "{name}: {rows:?}");
        assert_eq!(rows[0]["team"], "a", "{name}");
        assert_eq!(rows[0]["tickets"], "1", "{name}");
    }
}

/// A sheet saved as CSV by a spreadsheet pads its title, its blank rows and its
/// footer with empty fields to the table's width (Zammad's `-all- (Created)` and
/// `Timezone: Europe/Berlin`): the title and footer are left out, the two tickets
/// read (T2's bad time located on line 5). A one-named-column header padded so is no
/// title: under it, rows of several values are still the header's.
#[test]
fn a_padded_title_and_footer_are_not_rows() {
    let wd = Workdir::new();
    wd.write(
        "z.csv",
        b"-all- (Created),,
,,
ticket_id,created_at,first_response_at
          T1,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z
T2,soon,
,,
Timezone: Europe/Berlin,,
",
    );
    let out = wd.cxm().args(["tickets", "z.csv", "-v"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["tickets"], "1", "{err}");
    assert_num(&rows[0], "first_response_mean_hours", 2.0);
    assert!(err.contains("z.csv:5"), "{err}");
    assert!(
        err.contains("z.csv: 2 lines above the header (a title) not read"),
        "{err}"
    );
    assert!(
        err.contains("2 lines below the table taken for a footer ('Timezone: Europe/Berlin')"),
        "{err}"
    );
    wd.write("one.csv", b"ticket_id,,\nT1,2025-03-01T10:00:00Z,x\n");
    let out = wd
        .cxm()
        .args(["tickets", "one.csv", "-v"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("above the header"), "{err}");
    assert!(
        err.contains("no column for required field 'created_at'"),
        "{err}"
    );
}

/// A sheet of one column saved with its empty first rows pads them and its cells
/// (`,` then `csat,`): the empty rows are left out and `csat` is the header (it
/// stopped: no survey column, the header taken for `,`). 5, 4 and 1 on a 1-5 scale:
/// 2 of 3 satisfied. A padded title over a padded blank row is still a title.
#[test]
fn a_one_column_sheet_under_empty_rows_reads() {
    let wd = Workdir::new();
    wd.write("s.csv", b",\n,\ncsat,\n5,\n4,\n1,\n");
    let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["csat_responses"], "3", "{err}");
    assert_num(&rows[0], "csat_pct", 200.0 / 3.0);
    // One row and no line end after it (5: 1 of 1 satisfied), or no row at all.
    for (text, responses) in [
        (&b",\ncsat,\n5,"[..], "1"),
        (b",\r\ncsat,\r\n5", "1"),
        (b",\ncsat,\n", "0"),
    ] {
        wd.write("s.csv", text);
        let (out, err) = wd.csv_and_stderr(&["surveys", "s.csv"]);
        assert_eq!(parse_csv(&out)[0]["csat_responses"], responses, "{err}");
    }
    wd.write(
        "t.csv",
        b",,\nTicket report,,\n,,\nticket_id,created_at,agent\nT1,2025-03-01T10:00:00Z,a\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--by", "agent"]);
    let rows = parse_csv(&out);
    assert_eq!(
        (rows[0]["agent"].as_str(), rows[0]["tickets"].as_str()),
        ("a", "1"),
        "{err}"
    );
}

/// A file cut short inside a quoted cell with no line end after it stops as one with
/// a line end does (it was read, the last row taking the cell's text, exit 0), in
/// each dataset's reader; so does a stray quote on a last line without a line end,
/// named as such.
#[test]
fn a_cell_cut_short_at_the_very_end_stops_the_run() {
    let wd = Workdir::new();
    wd.write(
        "cut.csv",
        b"ticket_id,created_at,subject\nT1,2025-03-01T10:00:00Z,ok\nT2,2025-03-01T11:00:00Z,\"Printer broken",
    );
    wd.write(
        "survey.csv",
        b"response_id,submitted_at,csat,comment\nR1,2025-03-01T10:00:00Z,5,ok\nR2,2025-03-01T11:00:00Z,4,\"Great but",
    );
    wd.write(
        "stray.csv",
        b"ticket_id,created_at,subject\nT1,2025-03-01T10:00:00Z,ok\nT2,2025-03-01T11:00:00Z,12\" monitor",
    );
    for (command, file, said) in [
        (
            "tickets",
            "cut.csv",
            "cut.csv:3: a quote opened on this line is never closed",
        ),
        (
            "surveys",
            "survey.csv",
            "survey.csv:3: a quote opened on this line is never closed",
        ),
        (
            "tickets",
            "stray.csv",
            "stray.csv:3: a quote inside a field that does not start with one (column 'subject')",
        ),
    ] {
        let out = wd.cxm().args([command, file]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{file}: {err}");
        assert!(err.contains(said), "{err}");
    }
}

/// A file cut short inside a quoted cell stops (exit 3) naming the line that opened
/// it: the cell's lines below are its text, not a footer. A sheet's footer of labels
/// padded below a padded blank row is one (2 customers, 1 churned).
#[test]
fn a_cell_cut_short_is_no_footer_and_a_spaced_padded_footer_is() {
    let wd = Workdir::new();
    wd.write(
        "cut.csv",
        b"ticket_id,created_at,subject
T1,2025-03-01 09:00,Login
T2,2025-03-02 09:00,\"Printer broken\nPlease send someone today\nThe printer is on floor two\n",
    );
    let out = wd.cxm().args(["tickets", "cut.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("cut.csv:3: a quote opened on this line is never closed"),
        "{err}"
    );
    wd.write(
        "sheet.csv",
        b"Churn,Contract\r\nNo,Monthly\r\nYes,Monthly\r\n,\r\nGenerated: 2025-03-01,\r\nTimezone: Europe/Berlin,\r\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "sheet.csv", "--strict"]);
    let rows = parse_csv(&out);
    assert_num(&rows[0], "customers", 2.0);
    assert_num(&rows[0], "churned", 1.0);
    assert!(
        err.contains("taken for a footer ('Generated: 2025-03-01 / Timezone: Europe/Berlin')"),
        "{err}"
    );
    // Padded words of a date are one too; padded words without a digit are a record
    // (a survey's answer may be padded alike): rejected, and said, the figures
    // unchanged.
    wd.write(
        "dated.csv",
        b"Churn,Contract\r\nNo,Monthly\r\nYes,Monthly\r\n,\r\nGenerated by Acme Reports on 2025-03-01,\r\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "dated.csv", "--strict"]);
    assert_num(&parse_csv(&out)[0], "customers", 2.0);
    assert!(
        err.contains("taken for a footer ('Generated by Acme Reports on 2025-03-01')"),
        "{err}"
    );
    wd.write(
        "words.csv",
        b"Churn,Contract\r\nNo,Monthly\r\nYes,Monthly\r\n,\r\nExported by Acme Reports,\r\n",
    );
    let (out, err) = wd.csv_and_stderr(&["churn", "words.csv"]);
    assert_num(&parse_csv(&out)[0], "customers", 2.0);
    assert!(
        err.contains("1 rejected: unparseable boolean in churned"),
        "{err}"
    );
}

/// Below a `;` table, a comma is text: `Generated: 3 March, 2025` is its footer, not
/// a record (`--strict` passes; the two tickets are read).
#[test]
fn a_footer_holding_another_tables_delimiter_is_a_footer() {
    let wd = Workdir::new();
    wd.write(
        "semi.csv",
        b"ticket_id;created_at;team
T1;2025-03-01 10:00;a
T2;2025-03-01 11:00;b

Generated: 3 March, 2025
",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "semi.csv", "--strict"]);
    assert_eq!(parse_csv(&out)[0]["tickets"], "2", "{err}");
    assert!(
        err.contains("taken for a footer ('Generated: 3 March, 2025')"),
        "{err}"
    );
}

/// Title lines are told by the delimiter `--delimiter` gives: with `#`, the header
/// `ticket_id#created_at#agent` is the header though a row holds a comma (it was
/// taken for a title, and the row for the header); a title over a header that ends
/// the file (no rows, no final line end) is still left out.
#[test]
fn title_lines_follow_the_given_delimiter() {
    let wd = Workdir::new();
    wd.write(
        "hash.csv",
        b"ticket_id#created_at#agent\n1#2025-03-01 10:00#Smith, J\n2#2025-03-01 11:00#Lee\n",
    );
    let rows = wd.csv_rows(&["tickets", "hash.csv", "--delimiter", "#", "--by", "agent"]);
    let agents: Vec<&str> = rows.iter().map(|r| r["agent"].as_str()).collect();
    assert_eq!(agents, ["Lee", "Smith, J"]);
    wd.write("bare.csv", b"Weekly export\nticket_id,created_at");
    let (out, err) = wd.csv_and_stderr(&["tickets", "bare.csv"]);
    assert_eq!(parse_csv(&out)[0]["tickets"], "0");
    assert!(err.contains("bare.csv: no rows under the header"), "{err}");
}

/// Shapes a fuzz of export dressings found stopping the run:
/// - a `sep=;` line, then a title: both left out (line 5 is the bad row);
/// - a day's export of one row whose `created_at` is `soon`, beside another file:
///   a rejected value (1 ticket, 1 rejected), as in one file, not a stop;
/// - a stray text beside one epoch-seconds value: a rejected value;
/// - UTF-16 without its mark under `--encoding latin1`: named as such.
#[test]
fn export_dressings_that_stopped_the_run() {
    let wd = Workdir::new();
    wd.write(
        "st.csv",
        b"sep=;\nReport\nticket_id;created_at;team\n1;2025-03-01 10:00:00;a\n2;soon;b\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "st.csv", "--by", "team"]);
    let rows = parse_csv(&out);
    assert_eq!((rows.len(), rows[0]["team"].as_str()), (1, "a"), "{rows:?}");
    assert!(err.contains("st.csv:5"), "{err}");

    wd.write(
        "p1.csv",
        b"ticket_id,created_at,first_response_at\n1,2025-03-01 10:00:00,2025-03-01 11:00:00\n",
    );
    wd.write(
        "p2.csv",
        b"ticket_id,created_at,first_response_at\n2,soon,2025-03-01 11:00:00\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "p1.csv", "p2.csv"]);
    assert_eq!(parse_csv(&out)[0]["tickets"], "1");
    // Where no file reads the column, one-row files in an unknown format still stop.
    std::fs::create_dir(wd.path("days")).unwrap();
    for d in ["03", "04"] {
        wd.write(
            &format!("days/{d}.csv"),
            format!(
                "ticket_id,created_at,resolved_at\n{d},2025-03-{d} 09:00:00,{d}.03.2025 12h00\n"
            )
            .as_bytes(),
        );
    }
    let out = wd.cxm().args(["tickets", "days"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("give --date-format"));
    assert!(
        err.contains("1 rejected: unparseable timestamp in created_at (first at p2.csv:2"),
        "{err}"
    );

    // 1741291423 is 2025-03-06 20:03:43 UTC, its reply 1741295668 70 min 45 s later.
    wd.write(
        "ep.csv",
        b"ticket_id,created_at,first_response_at\n1,1741291423,1741295668\n2,soon,1742452287\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "ep.csv"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["tickets"], "1");
    assert_num(&rows[0], "first_response_mean_hours", 4245.0 / 3600.0);
    assert!(err.contains("ep.csv:3"), "{err}");

    let utf16: Vec<u8> = "ticket_id,created_at\n1,2025-03-01 10:00:00\n"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    wd.write("u16.csv", &utf16);
    let out = wd
        .cxm()
        .args(["tickets", "u16.csv", "--encoding", "latin1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("looks like UTF-16LE text without a byte-order mark"),
        "{err}"
    );
}

/// `inspect` names a row with more fields than the header (T2, line 3: `extra`), as
/// the metric commands reject it whole; its shifted values are not judged as the
/// columns' (`x` is no reply count, but the row is rejected for its extra field).
/// T4's `y` is judged: 1 of the 3 values of the rows that are read.
#[test]
fn inspect_names_ragged_rows_and_leaves_their_values_out() {
    let wd = Workdir::new();
    wd.write(
        "rag.csv",
        b"ticket_id,created_at,agent_replies
T1,2025-03-01T10:00:00Z,1
T2,2025-03-01T11:00:00Z,x,extra
T3,2025-03-01T12:00:00Z,2
T4,2025-03-01T13:00:00Z,y
",
    );
    let out = wd.cxm().args(["inspect", "rag.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("judged on the first 4 rows but the 1 ragged"),
        "{text}"
    );
    assert!(
        text.contains("1 of the 4 rows sampled has more fields than the header's 3 (first at line 3: 'extra')"),
        "{text}"
    );
    assert!(
        text.contains("1 of the 3 filled values sampled is not a number (first at line 5: 'y')"),
        "{text}"
    );
}

/// `inspect` names a churn flag the churn command rejects (`maybe`, line 9 of the
/// snapshot fixture), as `churn` does, and passes the words it reads (`Yes`, `No`).
#[test]
fn inspect_names_an_unreadable_churn_flag() {
    let out = Workdir::new()
        .cxm()
        .args(["inspect", &fixture("churn/snapshot.csv"), "--format", "csv"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("column 'Churn' (churned): 1 of the 9 filled values sampled is not a churn flag (yes/no, churned/active…) (first at line 9: 'maybe')"),
        "{said}"
    );
}

/// A UTF-32 file (by its byte-order mark, either order) is named as such, not taken
/// for UTF-16 (whose little-endian mark begins UTF-32's).
#[test]
fn utf32_is_named() {
    let w = Workdir::new();
    let text = "ticket_id,created_at\nA,2025-03-03T09:00:00Z\n";
    let le: Vec<u8> = [0xFF, 0xFE, 0, 0]
        .into_iter()
        .chain(text.chars().flat_map(|c| (c as u32).to_le_bytes()))
        .collect();
    let be: Vec<u8> = [0, 0, 0xFE, 0xFF]
        .into_iter()
        .chain(text.chars().flat_map(|c| (c as u32).to_be_bytes()))
        .collect();
    for (name, bytes) in [("le.csv", le.clone()), ("be.csv", be.clone())] {
        w.write(name, &bytes);
        let out = w.cxm().args(["tickets", name]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(
            err.contains(&format!("{name}: UTF-32 text (by its byte-order mark)")),
            "{err}"
        );
    }
    // Without the mark: named by its NUL bytes, not taken for UTF-16.
    for (name, bytes, order) in [("le2.csv", &le[4..], "LE"), ("be2.csv", &be[4..], "BE")] {
        w.write(name, bytes);
        let out = w.cxm().args(["tickets", name]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{err}");
        assert!(
            err.contains(&format!(
                "looks like UTF-32{order} text without a byte-order mark"
            )),
            "{err}"
        );
    }
}

/// `inspect` shows a header's line break escaped in its problems too, as in its table:
/// a raw one would break the list's line.
#[test]
fn inspect_problems_show_a_headers_line_break_escaped() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,\"Created\r\nat\"\nA,2025-03-03T09:00:00Z\nB,bad\n",
    );
    let out = w.cxm().args(["inspect", "t.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let problems = &text[text.find("problems:").unwrap()..];
    assert!(
        problems.contains("column 'Created\\r\\nat' (created_at)"),
        "{text}"
    );
    assert!(!problems.contains('\r'), "{text}");
}

/// What cxm wrote into a folder is no data for a metric command reading the folder,
/// as `report` skips it: a `--rejects` file (its `T1` would be a repeat of the
/// export's), a table of metrics and a tidy report are skipped with a warning each;
/// a folder of only those stops (exit 3).
#[test]
fn a_folders_own_outputs_are_not_read_as_data() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/t.csv",
        b"ticket_id,created_at,agent_replies\nT1,2025-03-01T10:00:00Z,x\nT2,2025-03-01T11:00:00Z,1\n",
    );
    wd.write(
        "d/rej.csv",
        b"file,line,reason,column,value,ticket_id,created_at,agent_replies\nt.csv,2,unparseable number,agent_replies,x,T1,2025-03-01T10:00:00Z,x\n",
    );
    wd.write(
        "d/weekly.csv",
        b"tickets,responded,first_response_mean_hours\n2,1,1.5\n",
    );
    wd.write(
        "d/report.csv",
        b"section,period,metric,value\ntickets,,tickets,2\n",
    );
    let (out, err) = wd.csv_and_stderr(&["tickets", "d", "-v"]);
    let rows = parse_csv(&out);
    assert_eq!(rows[0]["tickets"], "2", "{err}");
    assert!(
        err.contains("2 rows read = 2 used + 0 rejected + 0 duplicates"),
        "{err}"
    );
    assert!(
        err.contains("d/rej.csv: skipped, a --rejects file cxm wrote, not data"),
        "{err}"
    );
    assert!(
        err.contains("d/weekly.csv: skipped, a table of metrics cxm wrote, not data"),
        "{err}"
    );
    assert!(
        err.contains("d/report.csv: skipped, a report cxm wrote"),
        "{err}"
    );
    // Read with another delimiter, cxm's own comma-separated files are still told.
    std::fs::create_dir(wd.path("semi")).unwrap();
    wd.write(
        "semi/t.csv",
        b"ticket_id;created_at\nT1;2025-03-01T10:00:00Z\n",
    );
    std::fs::copy(wd.path("d/rej.csv"), wd.path("semi/rej.csv")).unwrap();
    let (out, err) = wd.csv_and_stderr(&["tickets", "semi", "--delimiter", ";"]);
    assert_eq!(parse_csv(&out)[0]["tickets"], "1", "{err}");
    assert!(err.contains("semi/rej.csv: skipped"), "{err}");
    std::fs::remove_file(wd.path("d/t.csv")).unwrap();
    let out = wd.cxm().args(["tickets", "d"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("d: no data files, only what cxm wrote"),
        "{err}"
    );
}

/// A `tickets --per-ticket` table written into the export's folder is cxm's own,
/// as `report DIR` takes it: skipped with a warning (it stopped the run, its columns
/// not the export's). Alone, or named as tickets, it is read as the tickets.
#[test]
fn a_folders_per_ticket_table_is_skipped_beside_its_export() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    // T1 answered after 2 h, T2 never: 1 of 2 responded.
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z\nT2,2025-03-01T11:00:00Z,\n",
    );
    let per = wd
        .cxm()
        .args(["tickets", "d/tickets.csv", "--per-ticket", "-q"])
        .output()
        .unwrap();
    assert!(
        per.status.success(),
        "{}",
        String::from_utf8_lossy(&per.stderr)
    );
    wd.write("d/verdicts.csv", &per.stdout);
    let (out, err) = wd.csv_and_stderr(&["tickets", "d"]);
    let rows = parse_csv(&out);
    assert_eq!(
        (rows[0]["tickets"].as_str(), rows[0]["responded"].as_str()),
        ("2", "1"),
        "{err}"
    );
    assert!(
        err.contains("d/verdicts.csv: skipped, a tickets --per-ticket table cxm wrote, not data"),
        "{err}"
    );
    // Alone in its folder, it is read: 2 tickets, one of them with a response time.
    std::fs::create_dir(wd.path("v")).unwrap();
    wd.write("v/verdicts.csv", &per.stdout);
    let (out, err) = wd.csv_and_stderr(&["tickets", "v"]);
    let rows = parse_csv(&out);
    assert_eq!(
        (
            rows[0]["tickets"].as_str(),
            rows[0]["first_response_mean_hours"].as_str()
        ),
        ("2", "2"),
        "{err}"
    );
    assert!(!err.contains("skipped"), "{err}");
}

/// A data file compressed otherwise than by gzip in a folder is not read, and said
/// (it was passed over without a word): beside a CSV, a warning; alone, the folder's
/// error names it.
#[test]
fn a_folders_bzip2_file_is_said_to_be_skipped() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/a.csv",
        b"ticket_id,created_at\nT1,2025-03-01T10:00:00Z\n",
    );
    wd.write("d/b.csv.bz2", b"BZh91AY&SY\x01\x02");
    let (out, err) = wd.csv_and_stderr(&["tickets", "d"]);
    assert_eq!(parse_csv(&out)[0]["tickets"], "1", "{err}");
    assert!(
        err.contains("d/b.csv.bz2: skipped, compressed with bzip2"),
        "{err}"
    );
    std::fs::remove_file(wd.path("d/a.csv")).unwrap();
    let out = wd.cxm().args(["tickets", "d"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("(d/b.csv.bz2: skipped, compressed with bzip2"),
        "{err}"
    );
    // `report DIR` says so too (it passed over them without a word), as it does of
    // a legacy workbook, beside data and alone.
    wd.write("d/old.xls", b"\xD0\xCF\x11\xE0");
    wd.write("d/older.ods.gz", b"\x1f\x8b");
    wd.write("d/empty.csv", b"");
    let xls = "d/old.xls: skipped, an Excel 97–2003 workbook (.xls), which cxm does not read";
    let out = wd.cxm().args(["report", "d"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("d/b.csv.bz2: skipped, compressed with bzip2"),
        "{err}"
    );
    assert!(err.contains(xls), "{err}");
    // Beside an empty file, which the error names first, and gzipped too.
    assert!(err.contains("d/empty.csv empty"), "{err}");
    assert!(
        err.contains("d/older.ods.gz: skipped, an OpenDocument spreadsheet"),
        "{err}"
    );
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at\nT1,2025-03-01T10:00:00Z\n",
    );
    let (out, err) = wd.csv_and_stderr(&["report", "d"]);
    assert!(
        String::from_utf8_lossy(&out).contains("tickets,,tickets,1\n"),
        "{err}"
    );
    assert!(
        err.contains("cxm: warning: d/b.csv.bz2: skipped, compressed with bzip2"),
        "{err}"
    );
    assert!(err.contains(&format!("cxm: warning: {xls}")), "{err}");
    // A metric command says each file passed over on a line of its own, as `report`.
    std::fs::remove_file(wd.path("d/empty.csv")).unwrap();
    let (_, err) = wd.csv_and_stderr(&["tickets", "d"]);
    let skipped: Vec<&str> = err.lines().filter(|l| l.contains(": skipped, ")).collect();
    assert_eq!(skipped.len(), 3, "{err}");
    assert!(
        skipped
            .iter()
            .all(|l| l.starts_with("cxm: warning: d/") && l.matches("skipped").count() == 1),
        "{err}"
    );
}

/// A file's name is never a pattern: `subs [2025].csv` was read as the glob
/// `subs [2025].csv`, matching `subs 2.csv` beside it, by polars' scans (churn, a
/// `--per-ticket` table, the HTML charts), exit 0.
/// By hand, Q1 of 2025 in months: C1 (Jan 5 – Mar 10), C2 (from Jan 7), C3 (Feb 1 –
/// Feb 20). January: start 0, new C1 C2, end 3 (C3 is active at Feb 1); February:
/// start 3, new C3, churned C3, end 2; March: start 2, churned C1, end 1.
#[test]
fn a_name_with_brackets_is_the_file_so_named() {
    let wd = Workdir::new();
    wd.write(
        "subs [2025].csv",
        b"customer_id,plan,start_date,end_date,mrr\nC1,pro,2025-01-05,2025-03-10,100\nC2,pro,2025-01-07,,50\nC3,basic,2025-02-01,2025-02-20,30\n",
    );
    wd.write(
        "subs 2.csv",
        b"customer_id,plan,start_date,end_date,mrr\nZ1,pro,2024-06-01,2025-01-15,999\n",
    );
    let rows = wd.csv_rows(&[
        "churn",
        "subs [2025].csv",
        "--every",
        "month",
        "--period",
        "2025-Q1",
        "-q",
    ]);
    let got: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| {
            [
                r["customers_start"].as_str(),
                r["new_customers"].as_str(),
                r["churned"].as_str(),
                r["customers_end"].as_str(),
            ]
        })
        .collect();
    assert_eq!(
        got,
        [
            ["0", "2", "0", "3"],
            ["3", "1", "1", "2"],
            ["2", "0", "1", "1"]
        ]
    );
    wd.write(
        "tickets[1].csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-01-06T10:00:00Z,2025-01-06T10:30:00Z\nT2,2025-01-06T11:00:00Z,2025-01-06T13:00:00Z\n",
    );
    wd.write(
        "tickets1.csv",
        b"ticket_id,created_at,first_response_at\nX1,2025-01-07T09:00:00Z,2025-01-08T09:00:00Z\n",
    );
    let rows = wd.csv_rows(&["tickets", "tickets[1].csv", "--per-ticket", "-q"]);
    let ids: Vec<&str> = rows.iter().map(|r| r["ticket_id"].as_str()).collect();
    assert_eq!(ids, ["T1", "T2"]);
    // An unclosed bracket is no pattern either.
    wd.write(
        "t[x.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-01-06T10:00:00Z,2025-01-06T10:30:00Z\n",
    );
    let rows = wd.csv_rows(&["tickets", "t[x.csv", "--per-ticket", "-q"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["ticket_id"], "T1");
}

/// A name polars would take for a URL (`file:tmp/…/d/t.csv`, relative to the working
/// folder) is the local file so named: the per-ticket table and churn read
/// `/tmp/…/d/t.csv` instead, a decoy put there.
#[test]
fn a_name_like_a_url_is_the_local_file() {
    let wd = Workdir::new();
    let root = wd
        .dir
        .path()
        .to_str()
        .unwrap()
        .trim_start_matches('/')
        .to_string();
    let odd = format!("file:{root}/d");
    std::fs::create_dir_all(wd.path(&odd)).unwrap();
    std::fs::create_dir_all(wd.path("d")).unwrap();
    let t =
        b"ticket_id,created_at,first_response_at\nT1,2025-01-05T09:00:00Z,2025-01-05T10:00:00Z\n";
    wd.write(&format!("{odd}/t.csv"), t);
    wd.write(
        "d/t.csv",
        b"ticket_id,created_at,first_response_at\nX9,2025-01-05T09:00:00Z,2025-01-05T19:00:00Z\n",
    );
    let rows = wd.csv_rows(&["tickets", "--per-ticket", "-q", &format!("{odd}/t.csv")]);
    let ids: Vec<&str> = rows.iter().map(|r| r["ticket_id"].as_str()).collect();
    assert_eq!(ids, ["T1"]);
    // Two customers from January, one ending February 15: February starts with 2,
    // loses 1.
    wd.write(
        &format!("{odd}/subs.csv"),
        b"customer_id,plan,start_date,end_date,mrr\nC1,basic,2025-01-01,,10\nC2,basic,2025-01-01,2025-02-15,10\n",
    );
    wd.write(
        "d/subs.csv",
        b"customer_id,plan,start_date,end_date,mrr\nC9,basic,2025-01-01,,99\n",
    );
    let rows = wd.csv_rows(&[
        "churn",
        "--period",
        "2025-02",
        "-q",
        &format!("{odd}/subs.csv"),
    ]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["customers_start"], "2");
    assert_eq!(rows[0]["churned"], "1");
}

/// `inspect` reads a file as the metric command given the same `--map` reads it:
/// headers that tell no kind, mapped to subscription fields, are subscriptions
/// (`--map start_date=…` was an unknown field of tickets), and to survey fields,
/// responses. A price in cents from a billing API's field is a problem, as `churn`
/// warns; a snapshot's flag mapped in the config is named a snapshot; a column of
/// scores off the default scale says that the commands stop.
#[test]
fn inspect_reads_as_the_commands_would() {
    let wd = Workdir::new();
    wd.write(
        "sub.csv",
        b"Who,Started,Ended,Monthly\nA,2025-01-01,,10\nB,2025-01-05,2025-02-03,20\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "sub.csv", "--map", "customer_id=Who", "--map"])
        .args([
            "start_date=Started",
            "--map",
            "end_date=Ended",
            "--map",
            "mrr=Monthly",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains(
            "data: subscriptions (cxm churn); subscription churn from 'Started' to 'Ended'"
        ),
        "{text}"
    );
    wd.write(
        "s.csv",
        b"Id,When,How satisfied?\nR1,2025-03-01,5\nR2,2025-03-02,2\n",
    );
    let out = wd
        .cxm()
        .args([
            "inspect",
            "s.csv",
            "--map",
            "csat=How satisfied?",
            "--map",
            "submitted_at=When",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("data: survey responses"), "{text}");
    wd.write(
        "cents.csv",
        b"customer,start_date,ended_at,plan.amount,plan.interval\ncus_A,2025-01-01,,4900,month\n",
    );
    let text = String::from_utf8_lossy(
        &wd.cxm()
            .args(["inspect", "cents.csv"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(
        text.contains("the MRR comes from 'plan.amount', a billing API's field"),
        "{text}"
    );
    wd.write(
        "mc.toml",
        b"[map.customers]\nchurned = \"Left us\"\ncustomer_id = \"Who\"\n",
    );
    wd.write("snap.csv", b"Who,Plan,Left us\nA,x,yes\nB,y,no\nC,x,no\n");
    let out = wd
        .cxm()
        .args(["inspect", "snap.csv", "--config", "mc.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("data: a churn-flag snapshot (cxm churn)"),
        "{text}"
    );
    wd.write(
        "ten.csv",
        b"response_id,submitted_at,csat\nR1,2025-03-01,10\nR2,2025-03-02,6\nR3,2025-03-03,7\nR4,2025-03-04,9\n",
    );
    let text = String::from_utf8_lossy(
        &wd.cxm()
            .args(["inspect", "ten.csv"])
            .output()
            .unwrap()
            .stdout,
    )
    .into_owned();
    assert!(
        text.contains("give --scale csat=1-10 (the metric commands stop here, exit 3"),
        "{text}"
    );
    // Effort labels naming low effort 5 are read on 5-1, and said so; a long-form
    // score column names each measure's scale.
    wd.write(
        "ces.csv",
        b"response_id,submitted_at,ces\nR1,2025-03-01,Very low effort\nR2,2025-03-02,Very high effort\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "ces.csv", "--format", "csv"])
        .output()
        .unwrap();
    let rows = parse_csv(&out.stdout);
    let ces = rows.iter().find(|r| r["column"] == "ces").unwrap();
    assert_eq!(ces["format"], "ces scale 5-1");
    wd.write(
        "long.csv",
        b"response_id,submitted_at,survey,score\nR1,2025-03-01,csat,4\nR2,2025-03-02,nps,9\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "long.csv", "--format", "csv"])
        .output()
        .unwrap();
    let rows = parse_csv(&out.stdout);
    let score = rows.iter().find(|r| r["column"] == "score").unwrap();
    assert!(score["format"].contains("csat scale 1-5"), "{score:?}");
    assert!(score["format"].contains("nps scale 0-10"), "{score:?}");
    assert!(!score["format"].contains("ces"), "{score:?}");
    // A customer id mapped beside a start date and an MRR: subscriptions, as `churn`
    // reads it; a snapshot with a price column has no MRR to be in cents.
    wd.write(
        "acc.csv",
        b"Account Code,Activated At,Expires At,MRR\nacc1,2025-01-05,2025-03-10,49\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "acc.csv", "--map", "customer_id=Account Code"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("data: subscriptions (cxm churn)"), "{text}");
    wd.write(
        "snapc.csv",
        b"customer_id,churned,plan.amount\nc1,yes,4900\nc2,no,9900\n",
    );
    let out = wd.cxm().args(["inspect", "snapc.csv"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("the MRR comes from"), "{text}");
    let out = wd.cxm().args(["churn", "snapc.csv"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("the MRR comes from"), "{err}");
}

/// `inspect` counts blank rows among the rows and says how many are skipped, as
/// `-v` does, and judges the columns without them: 2 tickets, and 4 blank rows (an
/// empty line at the start of the data, a CR LF one, `,,`, one at the end) make 6
/// rows, 4 of them blank; a line of spaces and a tab too; and a workbook's empty
/// rows, whose copy holds `""`.
#[test]
fn inspect_says_how_many_rows_are_blank() {
    let wd = Workdir::new();
    wd.write(
        "b.csv",
        b"ticket_id,created_at,team\n\nT1,2025-01-01T00:00:00Z,a\r\n\r\n,,\nT2,2025-01-02T00:00:00Z,b\n\n",
    );
    let inspect = |file: &str| {
        let out = wd.cxm().args(["inspect", file]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = inspect("b.csv");
    assert!(
        text.starts_with("b.csv: 6 rows (4 blank rows skipped), 3 columns, delimiter ','; types and empty cells judged on the first 2 rows"),
        "{text}"
    );
    wd.write(
        "w.csv",
        b"ticket_id,created_at\nT1,2025-01-01T00:00:00Z\n   \n\t\n",
    );
    assert!(inspect("w.csv").starts_with("w.csv: 3 rows (2 blank rows skipped)"));
    wd.write("c.csv", b"ticket_id,created_at\nT1,2025-01-01T00:00:00Z\n");
    assert!(inspect("c.csv").starts_with("c.csv: 1 row, 2 columns"));
    // A quoted space, a no-break space and `null` cells: blank to `-v` too.
    wd.write(
        "q.csv",
        b"ticket_id,created_at,team\nT1,2025-03-03T09:00:00Z,A\n\" \",,\n\xc2\xa0,,\nnull,NULL,null\n",
    );
    assert!(inspect("q.csv").starts_with("q.csv: 4 rows (3 blank rows skipped), 3 columns, delimiter ','; types and empty cells judged on the first row"));
    // Unicode blanks (an ideographic space, a quoted em space, a vertical tab) and
    // markers of missing (`NA`, `N/A`, `?`; `--na`'s `-`): blank rows to `-v`, so
    // to `inspect` (it counted them as rows, judged among the sample).
    wd.write(
        "u.csv",
        "ticket_id,created_at,team\nT1,2025-03-03T09:00:00Z,A\n\u{3000},\"\u{2003}\",\u{b}\nNA,N/A,?\n-,,-\nT2,2025-03-04T09:00:00Z,B\n".as_bytes(),
    );
    assert!(inspect("u.csv").starts_with("u.csv: 5 rows (2 blank rows skipped), 3 columns, delimiter ','; types and empty cells judged on the first 3 rows"));
    let out = wd
        .cxm()
        .args(["inspect", "u.csv", "--na", "-"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("u.csv: 5 rows (3 blank rows skipped), 3 columns, delimiter ','; types and empty cells judged on the first 2 rows"), "{text}");
    // A marker past the header's fields makes a ragged row, no blank one (with its
    // problem said); a marker holding the delimiter, quoted, is read whole.
    wd.write(
        "r.csv",
        b"ticket_id,created_at,team\nT1,2025-03-03T09:00:00Z,A\n,,,NA\n\"n,a\",,\n",
    );
    let out = wd
        .cxm()
        .args(["inspect", "r.csv", "--na", "n,a"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("r.csv: 3 rows (1 blank row skipped)"),
        "{text}"
    );
    assert!(text.contains("more fields than the header's 3"), "{text}");
    let out = wd
        .cxm()
        .args(["tickets", "r.csv", "--na", "n,a", "-v"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 rows read = 1 used + 1 rejected + 0 duplicates; 1 row blank in every column read, skipped"), "{err}");
    let out = wd
        .cxm()
        .args(["tickets", "u.csv", "--na", "-", "-v"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("u.csv: 2 rows read = 2 used + 0 rejected + 0 duplicates; 3 rows blank in every column read, skipped"), "{err}");
    let text = inspect(&fixture("excel/blank_rows.xlsx"));
    assert!(
        text.contains(": 6 rows (3 blank rows skipped), 3 columns, Excel sheet; types and empty cells judged on the first 3 rows"),
        "{text}"
    );
}

/// A cell of Unicode blanks alone, or a marker padded with them, is missing however
/// long (five ideographic spaces are 15 bytes, past the longest marker's length,
/// and made a group of their own), and whatever `--na` is given.
#[test]
fn long_runs_of_unicode_blanks_are_missing() {
    let wd = Workdir::new();
    wd.write(
        "sp.csv",
        "ticket_id,created_at,agent\nT1,2025-01-01T00:00:00Z,\u{3000}\u{3000}\u{3000}\u{3000}\u{3000}\nT2,2025-01-01T00:00:00Z,\u{3000}\u{3000}\u{3000}\u{3000}N/A\nT3,2025-01-01T00:00:00Z,\nT4,2025-01-01T00:00:00Z,Bob\n".as_bytes(),
    );
    for extra in [&[][..], &["--na", "not available"]] {
        let rows =
            wd.csv_rows(&[&["tickets", "sp.csv", "--by", "agent", "-q"][..], extra].concat());
        // The blank group (T1, T2, T3) and Bob.
        assert_eq!(rows.len(), 2, "{rows:?}");
        let blank = rows
            .iter()
            .find(|r| r["agent"].is_empty())
            .expect("a blank group");
        assert_eq!(blank["tickets"], "3", "{rows:?}");
    }
}
