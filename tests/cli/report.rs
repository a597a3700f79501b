//! `cxm report`: sections from a directory, every format, saved reports, `--fail-if`,
//! a DST-week window and cron-like runs.
//!
//! tests/fixtures/report (found by name: tickets.csv, customers.csv; by headers:
//! export-2025.csv; notes.csv matches nothing and is skipped with a warning).
//! `--period last-week --now 2025-04-02T10:00:00Z --tz Europe/Berlin` is Monday
//! 2025-03-24 00:00 CET (23:00Z on the 23rd) to Monday 2025-03-31 00:00 CEST (22:00Z
//! on the 30th): the week in which clocks moved forward, so it lasts 167 hours.
//! - Tickets: T1 (22:59Z on the 23rd, local Sunday) and T5, T6 (22:00Z and 23:30Z on
//!   the 30th, local Monday) are outside; T2 (23:00Z, local Monday 00:00), T3, T4
//!   (21:59Z, local Sunday 23:59) are in. First responses 0.5, 2, 0.25 h → mean
//!   0.916667, median 0.5, p90 at rank 1.8 → 0.5 + 0.8 × 1.5 = 1.7; resolutions 2 and
//!   5 h (T4 open) → mean 3.5, p90 4.7; FCR: T2 (1 reply) of T2, T3 → 50; within 1 h:
//!   2 of 3. Team A: T2, T3; team B: T4.
//! - Surveys: R1 (T2) 5, R2 (T3) 2, R3 (T4, 21:30Z) 4 are in; R4 (22:30Z on the 30th)
//!   and R5 (22:30Z on the 23rd) are out → 3 responses, 2 satisfied, mean 11/3. Via
//!   tickets: A 5, 2 → 50 %; B 4 → 100 %.
//! - Churn for week 2025-W13: active on the 24th C1, C2, C4, C5 (MRR 200); C2 ends on
//!   the 27th and C4 on the 31st (= the week's end, so not active then): 2 churned,
//!   MRR 80 → 40 %; C3 is new; active at the end C1, C3, C5.

use std::collections::HashMap;

use predicates::prelude::*;

use crate::common::{fixture, parse_csv, Workdir};

/// The value of `metric` in `section` of a report's tidy CSV rows.
fn tidy_value(rows: &[HashMap<String, String>], section: &str, metric: &str) -> String {
    rows.iter()
        .find(|r| r["section"] == section && r["metric"] == metric)
        .map(|r| r["value"].clone())
        .unwrap_or_else(|| panic!("no {section} {metric}: {rows:?}"))
}

const WEEK: [&str; 6] = [
    "--period",
    "last-week",
    "--now",
    "2025-04-02T10:00:00Z",
    "--tz",
    "Europe/Berlin",
];

/// (section, group value, metric) → value, from tidy CSV.
fn tidy(bytes: &[u8], group: &str) -> HashMap<(String, String, String), String> {
    parse_csv(bytes)
        .into_iter()
        .map(|r| {
            let g = r.get(group).cloned().unwrap_or_default();
            (
                (r["section"].clone(), g, r["metric"].clone()),
                r["value"].clone(),
            )
        })
        .collect()
}

fn num(m: &HashMap<(String, String, String), String>, s: &str, g: &str, metric: &str) -> f64 {
    let key = (s.to_string(), g.to_string(), metric.to_string());
    m.get(&key)
        .unwrap_or_else(|| panic!("no {key:?}"))
        .parse()
        .unwrap_or_else(|_| panic!("{key:?} is not a number"))
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() < 5.1e-5, "got {got}, want {want}");
}

#[test]
fn directory_by_name_and_headers_in_a_dst_week() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args(["report", &fixture("report")])
        .args(WEEK)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let header = crate::common::csv_header(&out.stdout);
    assert_eq!(header, ["section", "period", "metric", "value"]);
    let m = tidy(&out.stdout, "");
    let n = |s, metric| num(&m, s, "", metric);
    assert_eq!(n("tickets", "tickets"), 3.0);
    assert_eq!(n("tickets", "responded"), 3.0);
    assert_eq!(n("tickets", "resolved"), 2.0);
    assert_eq!(n("tickets", "open"), 1.0);
    close(n("tickets", "first_response_mean_hours"), 2.75 / 3.0);
    close(n("tickets", "first_response_median_hours"), 0.5);
    close(n("tickets", "first_response_p90_hours"), 1.7);
    close(n("tickets", "resolution_mean_hours"), 3.5);
    close(n("tickets", "resolution_p90_hours"), 4.7);
    close(n("tickets", "fcr_pct"), 50.0);
    close(n("tickets", "sla_pct"), 200.0 / 3.0);
    assert_eq!(n("surveys", "csat_responses"), 3.0);
    close(n("surveys", "csat_pct"), 200.0 / 3.0);
    close(n("surveys", "csat_mean"), 11.0 / 3.0);
    assert_eq!(n("churn", "customers_start"), 4.0);
    assert_eq!(n("churn", "churned"), 2.0);
    close(n("churn", "churn_pct"), 50.0);
    assert_eq!(n("churn", "new_customers"), 1.0);
    assert_eq!(n("churn", "customers_end"), 3.0);
    close(n("churn", "mrr_churn_pct"), 40.0);
    let rows = parse_csv(&out.stdout);
    assert!(rows
        .iter()
        .filter(|r| r["section"] == "churn")
        .all(|r| r["period"] == "2025-W13"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.csv: skipped, its headers match no known kind of data"),
        "{err}"
    );

    // In UTC the same "last week" is 2025-03-24T00:00Z..2025-03-31T00:00Z: T3, T4, T5, T6.
    let out = wd
        .cxm()
        .args(["report", "--tickets", &fixture("report/tickets.csv")])
        .args(["--period", "last-week", "--now", "2025-04-02T10:00:00Z"])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(num(&tidy(&out.stdout, ""), "tickets", "", "tickets"), 4.0);
}

#[test]
fn grouped_sections_and_a_group_the_churn_data_lacks() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "report",
            &fixture("report"),
            "--by",
            "team",
            "--format",
            "csv",
        ])
        .args(WEEK)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        crate::common::csv_header(&out.stdout),
        ["section", "team", "period", "metric", "value"]
    );
    let m = tidy(&out.stdout, "team");
    assert_eq!(num(&m, "tickets", "A", "tickets"), 2.0);
    close(num(&m, "tickets", "A", "first_response_p90_hours"), 1.85);
    assert_eq!(num(&m, "tickets", "B", "tickets"), 1.0);
    close(num(&m, "surveys", "A", "csat_pct"), 50.0);
    close(num(&m, "surveys", "B", "csat_pct"), 100.0);
    // Churn has no team: reported ungrouped, with a warning.
    assert_eq!(num(&m, "churn", "", "churned"), 2.0);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("churn: no column or field 'team'"), "{err}");
}

#[test]
fn every_format() {
    let wd = Workdir::new();
    let run = |format: &str| {
        let out = wd
            .cxm()
            .args(["report", &fixture("report"), "--by", "team", "-q"])
            .args(WEEK)
            .args(["--format", format])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(out.stderr.is_empty());
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["churn", "surveys", "tickets"]);
    assert_eq!(json["tickets"][0]["team"], "A");
    assert_eq!(json["tickets"][0]["tickets"], 2);
    assert_eq!(json["surveys"][1]["csat_pct"], 100.0);
    assert_eq!(json["churn"][0]["period"], "2025-W13");
    assert_eq!(json["churn"][0]["churn_pct"], 50.0);

    let nd = run("ndjson");
    let lines: Vec<serde_json::Value> = nd
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5); // 2 teams × tickets, surveys; 1 churn week
    assert_eq!(lines[0]["section"], "tickets");
    assert_eq!(lines[4]["section"], "churn");

    let md = run("markdown");
    assert!(md.starts_with("# CX report\n\n- window: 2025-03-24 00:00 to 2025-03-31 00:00"));
    for h in ["\n## Tickets\n", "\n## Surveys\n", "\n## Churn\n"] {
        assert!(md.contains(h), "{md}");
    }
    assert!(md.contains("| A | 2 | 2 | 2 | 0 |"), "{md}");

    let table = run("table");
    assert!(table.contains("tickets: ") && table.contains("report/tickets.csv (6 rows)"));
    assert!(table.contains("export-2025.csv (5 rows), attributed to tickets by ticket_id"));
    assert!(table.contains("customers.csv (5 rows); subscription churn"));
    assert!(table.contains("\nTickets\n") && table.contains("\nChurn\n"));
}

#[test]
fn saved_report_from_the_config_and_flags_over_it() {
    // report.toml: [reports.weekly] dir = "../report" (relative to the file), last-week
    // in Europe/Berlin by team, csv, fail_if csat_pct<40 (not breached: A 50, B 100).
    let wd = Workdir::new();
    let cfg = fixture("config/report.toml");
    let out = wd
        .cxm()
        .args([
            "report",
            "--config",
            &cfg,
            "weekly",
            "--now",
            "2025-04-02T10:00:00Z",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = tidy(&out.stdout, "team");
    assert_eq!(num(&m, "tickets", "A", "tickets"), 2.0);
    assert_eq!(num(&m, "tickets", "B", "tickets"), 1.0);
    // --tz on the command line beats the saved report's Europe/Berlin: in UTC team A
    // keeps only T3, team B has T4, T5, T6.
    let out = wd
        .cxm()
        .args([
            "report",
            "--config",
            &cfg,
            "weekly",
            "--now",
            "2025-04-02T10:00:00Z",
        ])
        .args(["--tz", "UTC", "--by", "channel"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let m = tidy(&out.stdout, "channel");
    // UTC week: T3 chat, T4 chat, T5 email, T6 email.
    assert_eq!(num(&m, "tickets", "chat", "tickets"), 2.0);
    assert_eq!(num(&m, "tickets", "email", "tickets"), 2.0);
}

#[test]
fn unknown_key_in_a_saved_report_is_a_usage_error() {
    let out = Workdir::new()
        .cxm()
        .args([
            "report",
            "--config",
            &fixture("config/report_typo.toml"),
            "weekly",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("perod") && err.contains("line 3"), "{err}");
}

#[test]
fn fail_if_passes_or_exits_4_after_writing_the_report() {
    let wd = Workdir::new();
    let base = |extra: &[&str]| {
        let mut c = wd.cxm();
        c.args([
            "report",
            &fixture("report"),
            "--by",
            "team",
            "-q",
            "--format",
            "csv",
        ])
        .args(WEEK)
        .args(extra);
        c.output().unwrap()
    };
    // sla_pct: A 50, B 100: none below 50. csat_pct: A 50, B 100: none below 50.
    let ok = base(&["--fail-if", "sla_pct<50", "--fail-if", "csat_pct < 50"]);
    assert_eq!(ok.status.code(), Some(0));
    // csat_pct < 60: team A (50) breaches; the report is still on stdout.
    let bad = base(&["--fail-if", "sla_pct<50", "--fail-if", "csat_pct<60"]);
    assert_eq!(bad.status.code(), Some(4));
    assert_eq!(bad.stdout, ok.stdout);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("--fail-if 'csat_pct<60' breached: surveys team=A: csat_pct = 50"),
        "{err}"
    );
    // -o: the file is written, then exit 4.
    let path = wd.path("weekly.csv");
    let out = base(&["--fail-if", "churn_pct>=50", "-o", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(std::fs::read(&path).unwrap(), ok.stdout);
    // A metric no section has is a usage error, before anything is written.
    let out = base(&["--fail-if", "csat<60"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no metric 'csat'"));
    // A comparison's column without --compare: said where it comes from.
    let out = base(&["--fail-if", "csat_pct_change<1"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no metric 'csat_pct_change'")
            && err.contains("; the compared columns come with --compare previous"),
        "{err}"
    );
    // Asked with the comparison, or of the report's `_previous` columns: the hint
    // only when the comparison is missing.
    let out = base(&["--fail-if", "csat_pct_previous<1"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("come with --compare previous"));
    let out = base(&["--fail-if", "bogus_change<1", "--compare", "previous"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no metric 'bogus_change'") && !err.contains("come with"),
        "{err}"
    );
    // A rule copied from `surveys`, whose columns are named otherwise: the
    // report's name for it.
    let out = base(&["--fail-if", "csat_pct_delta<1", "--compare", "previous"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("; here it is named csat_pct_change"), "{err}");
    // In any case, as rules are read; and without the comparison, where it comes
    // from and the name it will have.
    let out = base(&["--fail-if", "CSAT_PCT_DELTA<1", "--compare", "previous"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("; here it is named csat_pct_change"), "{err}");
    let out = base(&["--fail-if", "csat_pct_delta<1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "; the compared columns come with --compare previous (this one as csat_pct_change)"
        ),
        "{err}"
    );
    // A figure the report's comparison leaves out, asked without it: said so, the
    // compared ones named.
    let out = base(&["--fail-if", "csat_mean_delta<1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("; csat_mean is not among the figures --compare previous compares here (tickets, first_response_median_hours,"),
        "{err}"
    );
    // `surveys`' one flag: here a flag a headline.
    let out = base(&["--fail-if", "small_sample<1", "--compare", "previous"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("; here each headline has its own: tickets_small_sample, "),
        "{err}"
    );
    // A figure shown but not compared (not a headline): the compared ones named.
    let out = base(&["--fail-if", "fcr_pct_change>1", "--compare", "previous"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("; fcr_pct is not compared in this run (compared: tickets, first_response_median_hours, sla_pct, csat_pct, nps"),
        "{err}"
    );
    // So too in `surveys`' naming, with the comparison asked for.
    let out = base(&["--fail-if", "csat_mean_delta>1", "--compare", "previous"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("; csat_mean is not compared in this run (compared: tickets, first_response_median_hours, sla_pct, csat_pct, nps"),
        "{err}"
    );
    // A command without --compare gets no hint.
    let tickets = fixture("report/tickets.csv");
    let out = wd
        .cxm()
        .args(["tickets", &tickets, "--fail-if", "tickets_prev>1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("come with"));
    // The single commands take it too.
    let out = wd
        .cxm()
        .args(["tickets", &fixture("report/tickets.csv"), "--by", "team"])
        .args(WEEK)
        .args([
            "--fail-if",
            "first_response_p90_hours>1.8",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("breached: tickets team=A: first_response_p90_hours = 1.85"));
}

#[test]
fn cron_run_is_quiet_and_byte_identical() {
    // As cron runs it: no terminal, CI unset, stdin closed, a fixed clock.
    let wd = Workdir::new();
    let cron = || {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("cxm"));
        c.current_dir(wd.dir.path())
            .env_remove("CI")
            .env_remove("COLUMNS")
            .stdin(std::process::Stdio::null());
        c
    };
    let run = || {
        cron()
            .args(["report", &fixture("report")])
            .args(WEEK)
            .output()
            .unwrap()
    };
    let (a, b) = (run(), run());
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    assert!(!a.stdout.is_empty());
    // Not a terminal: CSV, the tidy header first.
    assert!(a.stdout.starts_with(b"section,period,metric,value\n"));
    let err = String::from_utf8(a.stderr).unwrap();
    assert!(
        err.lines().all(|l| l.starts_with("cxm: warning: ")),
        "stderr holds more than warnings: {err}"
    );
    assert!(!err.contains('\u{1b}'), "no escape codes: {err:?}");
    for name in ["x1.csv", "x2.csv"] {
        let out = cron()
            .args(["report", &fixture("report"), "-o", name])
            .args(WEEK)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    assert_eq!(
        std::fs::read(wd.path("x1.csv")).unwrap(),
        std::fs::read(wd.path("x2.csv")).unwrap()
    );
    assert_eq!(std::fs::read(wd.path("x1.csv")).unwrap(), a.stdout);
}

/// A weekly cron job that writes its report into the data folder reads the folder
/// the same way the next week: its own CSV (section, metric, value) is skipped, with
/// a warning, not read as survey responses, even named like them.
#[test]
fn a_report_written_into_its_folder_is_not_read_back() {
    let wd = Workdir::new();
    let dir = wd.path("data");
    std::fs::create_dir(&dir).unwrap();
    for f in std::fs::read_dir(fixture("report")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
    }
    let run = || {
        wd.cxm()
            .args(["report", "data", "-o", "data/surveys_weekly.csv"])
            .args(WEEK)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success());
    let before = std::fs::read(dir.join("surveys_weekly.csv")).unwrap();
    let second = run();
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{err}");
    assert!(
        err.contains("surveys_weekly.csv: skipped, a report cxm wrote"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.join("surveys_weekly.csv")).unwrap(),
        before
    );
}

/// A ticket export whose own CSAT makes the surveys section is read by two sections:
/// what is said of the file (its ids rewritten in scientific notation) is said once.
#[test]
fn a_file_two_sections_read_is_warned_about_once() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    std::fs::copy(
        fixture("real/zendesk_plum_2023.csv.gz"),
        wd.path("d/zendesk_plum_2023.csv.gz"),
    )
    .unwrap();
    let out = wd.cxm().args(["report", "d"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert_eq!(err.matches("scientific notation").count(), 1, "{err}");
}

/// `--encoding latin1` holds for the files `report DIR` sorts by their headers too: a
/// Windows-1252 file with a control byte (a vertical tab in a note), which is not
/// told by its bytes, reads as its own `tickets` run does (`Équipe`, 1 ticket).
#[test]
fn report_dir_reads_its_files_in_the_encoding_given() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/export.csv",
        b"ticket_id,created_at,team,note\n1,2025-03-01T10:00:00Z,\xc9quipe,a\x0bb\n",
    );
    let out = wd
        .cxm()
        .args(["report", "d", "--encoding", "latin1", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = parse_csv(&out.stdout);
    let tickets = rows
        .iter()
        .find(|r| r["section"] == "tickets" && r["metric"] == "tickets")
        .unwrap_or_else(|| panic!("{rows:?}"));
    assert_eq!(tickets["value"], "1");
}

/// A `tickets --per-ticket` table written into the folder beside the export it came
/// from is skipped, said: its 3 tickets are the export's, counted once (3, not 6).
/// Alone in a folder it is the tickets there are (3).
#[test]
fn a_per_ticket_table_beside_its_export_is_not_counted_again() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at,team\n1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z,a\n2,2025-03-04T09:00:00Z,,a\n3,2025-03-05T09:00:00Z,2025-03-05T09:30:00Z,b\n",
    );
    let written = wd
        .cxm()
        .args(["tickets", "d/tickets.csv", "--per-ticket", "--by", "team"])
        .args(["-o", "d/per_ticket.csv"])
        .output()
        .unwrap();
    assert!(written.status.success(), "{written:?}");
    let tickets = |dir: &str| {
        let out = wd
            .cxm()
            .args(["report", dir, "--format", "csv"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{err}");
        let rows = parse_csv(&out.stdout);
        let n = rows
            .iter()
            .find(|r| r["section"] == "tickets" && r["metric"] == "tickets")
            .map(|r| r["value"].clone())
            .unwrap_or_default();
        (n, err)
    };
    let (n, err) = tickets("d");
    assert_eq!(n, "3");
    assert!(
        err.contains("per_ticket.csv: skipped, a table of tickets --per-ticket (cxm's) beside"),
        "{err}"
    );
    std::fs::create_dir(wd.path("e")).unwrap();
    std::fs::rename(wd.path("d/per_ticket.csv"), wd.path("e/per_ticket.csv")).unwrap();
    let (n, err) = tickets("e");
    assert_eq!(n, "3");
    assert!(!err.contains("skipped"), "{err}");
    // An export of these columns named as tickets is read beside an event log: its 4
    // tickets (the log's own fixture names T1–T3 of them).
    std::fs::create_dir(wd.path("f")).unwrap();
    wd.write(
        "f/tickets.csv",
        b"ticket_id,created_at,first_response_minutes,resolution_minutes,team\nT1,2025-01-06T08:50:00Z,40,190,a\nT2,2025-01-06T10:00:00Z,90,,b\nT3,2025-01-06T10:00:00Z,,,b\nT4,2025-01-06T11:00:00Z,5,10,b\n",
    );
    std::fs::copy(fixture("events/events.csv"), wd.path("f/events.csv")).unwrap();
    let (n, err) = tickets("f");
    assert_eq!(n, "4", "{err}");
    assert!(!err.contains("skipped"), "{err}");
}

#[test]
fn report_needs_some_data() {
    let wd = Workdir::new();
    wd.cxm().args(["report"]).assert().code(2);
    wd.write("only.csv", b"when,what\n2025-01-01,x\n");
    wd.cxm().args(["report", "."]).assert().code(3);
    // A folder that is not there cannot be read, as a missing file cannot (as
    // `customers` says too); with --config it may be a saved report's name mistyped.
    wd.cxm()
        .args(["report", "no-such-dir"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "no-such-dir: cannot open: no such folder",
        ));
    wd.write("cx.toml", b"[reports.weekly]\nperiod = \"last-week\"\n");
    wd.cxm()
        .args(["report", "--config", "cx.toml", "weekyl"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "'weekyl' is not a folder (nor a report saved in --config: saved: weekly)",
        ));
}

/// `report` takes no `--map`, so its errors point at the config file's map tables.
#[test]
fn report_errors_name_the_config_maps_not_map() {
    let w = Workdir::new();
    w.write("tickets.csv", b"id,opened,team\n1,2025-01-01,a\n");
    let out = w
        .cxm()
        .args(["report", "--tickets", "tickets.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("--map"), "{err}");
    assert!(
        err.contains("created_at = \"COLUMN\" in the [map.tickets] table of the --config file"),
        "{err}"
    );
    // A subscriptions field is mapped in [map.customers] alone.
    w.write("customers.csv", b"id,opened,team\n1,2025-01-01,a\n");
    let out = w
        .cxm()
        .args(["report", "--subscriptions", "customers.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("= \"COLUMN\" in the [map.customers] table of the --config file"),
        "{err}"
    );
}

/// A ticket export's own CSAT gives `report` a surveys section without a survey file:
/// the real Zendesk export's `Satisfaction Score` holds 409 fives, 311 fours, 64
/// threes, 14 twos and 15 ones (counted with Python's csv module; the rest blank or
/// `Offered`): 813 responses, 720 satisfied; 4,640 `Offered` (sent, never answered),
/// so a response rate of 813 ÷ 5,453.
#[test]
fn a_ticket_exports_own_csat_makes_a_surveys_section() {
    let w = Workdir::new();
    let rows = w.csv_rows(&[
        "report",
        "--tickets",
        &fixture("real/zendesk_plum_2023.csv.gz"),
        "-q",
    ]);
    let value = |metric: &str| tidy_value(&rows, "surveys", metric);
    assert_eq!(value("csat_responses"), "813");
    let pct: f64 = value("csat_pct").parse().unwrap();
    assert!((pct - 72_000.0 / 813.0).abs() < 1e-4, "{pct}");
    let rate: f64 = value("response_rate_pct").parse().unwrap();
    assert!((rate - 81_300.0 / 5453.0).abs() < 1e-4, "{rate}");
}

/// Two ticket exports spelling their own CSAT column in two cases (`CSAT`, `csat`)
/// both give their ratings, as a `--map` finds a column in any case: 5 and 2 in the
/// first, 4 in the second, on a 1–5 scale (4 and 5 satisfied): 3 responses, 2 of them
/// satisfied.
#[test]
fn own_csat_columns_in_two_cases_are_both_read() {
    let w = Workdir::new();
    w.write(
        "a.csv",
        b"ticket_id,created_at,CSAT\n1,2025-01-05T10:00:00Z,5\n2,2025-01-06T10:00:00Z,2\n",
    );
    w.write(
        "b.csv",
        b"ticket_id,created_at,csat\n3,2025-01-07T10:00:00Z,4\n4,2025-01-08T10:00:00Z,\n",
    );
    let (out, err) = w.csv_and_stderr(&["report", "--tickets", "a.csv", "--tickets", "b.csv"]);
    assert!(!err.contains("no 'CSAT' column"), "{err}");
    let rows = parse_csv(&out);
    let value = |metric: &str| tidy_value(&rows, "surveys", metric);
    assert_eq!(value("csat_responses"), "3");
    let pct: f64 = value("csat_pct").parse().unwrap();
    assert!((pct - 200.0 / 3.0).abs() < 1e-4, "{pct}");
}

/// One ticket file read twice (its tickets, and its own CSAT as responses): each
/// reading's lines say which they are. Row 3's time is unreadable (a ticket and a
/// rating rejected), row 4's rating is not a score: 2 tickets, 1 rating used.
#[test]
fn a_ticket_file_read_as_responses_too_says_so_in_its_lines() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,CSAT\n1,2025-01-05T10:00:00Z,5\n2,notadate,4\n3,2025-01-07T10:00:00Z,x\n",
    );
    let out = w
        .cxm()
        .args(["report", "--tickets", "t.csv", "-v", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines.contains(&"cxm: t.csv: 3 rows read = 2 used + 1 rejected + 0 duplicates"),
        "{err}"
    );
    let as_responses = "the tickets' own 'CSAT' read as survey responses";
    assert!(
        lines.contains(&format!("cxm: t.csv ({as_responses}): 3 rows read = 1 used + 2 rejected + 0 without a score").as_str()),
        "{err}"
    );
    let labelled = |what: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(&format!("cxm: warning: {as_responses}: 1 rejected: {what}")))
    };
    assert!(labelled("unparseable timestamp in submitted_at"), "{err}");
    assert!(labelled("unknown label in csat"), "{err}");
    assert!(
        lines.contains(&"cxm: warning: 1 rejected: unparseable timestamp in created_at (first at t.csv:3, column 'created_at', value 'notadate')"),
        "{err}"
    );
}

/// `report --compare previous` on the responses of tests/cli/surveys.rs's comparison
/// (worked there by hand): CSAT 80 % against 50 % (p = 0.342782), NPS 33.33 against
/// −25 (p = 0.393915), the week of 2025-03-10 against the week before.
#[test]
fn compare_previous_puts_the_headlines_beside_the_previous_window() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args(["report", "--surveys", &fixture("surveys/compare.csv")])
        .args(["--since", "2025-03-10", "--until", "2025-03-17"])
        .args(["--compare", "previous", "--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = v["compare"].as_array().unwrap();
    let row = |h: &str| rows.iter().find(|r| r["headline"] == h).unwrap().clone();
    let csat = row("csat_pct");
    assert_eq!(csat["value"].as_f64(), Some(80.0));
    assert_eq!(csat["previous"].as_f64(), Some(50.0));
    assert_eq!(csat["change"].as_f64(), Some(30.0));
    assert_eq!(csat["p_value"].as_f64(), Some(0.3428));
    let nps = row("nps");
    assert_eq!(nps["p_value"].as_f64(), Some(0.3939));
    assert_eq!(csat["small_sample"], serde_json::Value::Bool(true));
    assert!((nps["change"].as_f64().unwrap() - (100.0 / 3.0 + 25.0)).abs() < 1e-4);
    // In every format: the Markdown has the section too.
    let md = w
        .cxm()
        .args(["report", "--surveys", &fixture("surveys/compare.csv")])
        .args(["--since", "2025-03-10", "--until", "2025-03-17"])
        .args(["--compare", "previous", "--format", "markdown", "-q"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("## Compared with the previous period"), "{md}");
    assert!(
        md.contains("previous: 2025-03-03 00:00 to 2025-03-10 00:00"),
        "{md}"
    );
}

/// `-o` names its format over the saved report's `format = "csv"` (flags win), and
/// a grouped window with no tickets breaks `tickets<1` (no group, none counted);
/// a rule on a group column could never fire: a usage error.
#[test]
fn output_extension_beats_the_saved_format_and_an_empty_window_counts_none() {
    let wd = Workdir::new();
    let cfg = fixture("config/report.toml");
    let html = wd.path("weekly.html");
    let out = wd
        .cxm()
        .args(["report", "--config", &cfg, "weekly"])
        .args([
            "--now",
            "2025-04-02T10:00:00Z",
            "-o",
            html.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.starts_with("<!DOCTYPE html>"),
        "{}",
        &page[..page.len().min(80)]
    );

    let run = |rule: &str| {
        wd.cxm()
            .args(["tickets", &fixture("report/tickets.csv"), "--by", "team"])
            .args(["--period", "2030-W01", "--format", "csv", "--fail-if", rule])
            .output()
            .unwrap()
    };
    let out = run("tickets<1");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("tickets = 0 (no rows)"), "{err}");
    assert_eq!(run("tickets>5").status.code(), Some(0));
    let out = run("team<1");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("group column"));
}

/// A group column named like one of the report's own (section, period, metric,
/// value) would repeat it in the tidy CSV: refused, as `tickets` refuses its own.
#[test]
fn a_group_named_like_a_report_column_is_refused() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,section,metric\nA,2025-03-03T09:00:00Z,s1,m\nB,2025-03-03T10:00:00Z,s2,m\n",
    );
    for by in ["section", "metric"] {
        let out = wd
            .cxm()
            .args([
                "report",
                "--tickets",
                "t.csv",
                "--by",
                by,
                "--format",
                "csv",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{by}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("the report already has a column '{by}'")),
            "{err}"
        );
    }
}

/// `--by region` over files that spell it `Region` and `REGION`: every section's
/// group values sit in one column of the tidy CSV, named as the first section's file
/// names it (`Region`: SPEC §6, the raw column name, as `cxm tickets` names it)
/// (tickets EU and US one each; responses eu 5 → 100 %, us 1 → 0 %), never as rows
/// of a metric `Region`.
#[test]
fn a_group_column_spelled_otherwise_is_the_by_column() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    w.write(
        "d/tickets.csv",
        b"ticket_id,created_at,Region\n1,2025-03-03T10:00:00Z,EU\n2,2025-03-03T11:00:00Z,US\n",
    );
    w.write(
        "d/surveys.csv",
        b"response_id,submitted_at,ticket_id,csat,REGION\n\
          r1,2025-03-03T12:00:00Z,1,5,eu\nr2,2025-03-03T12:00:00Z,2,1,us\n",
    );
    let rows = w.csv_rows(&["report", "d", "--by", "region", "-q"]);
    assert!(rows
        .iter()
        .all(|r| r["metric"] != "Region" && r["metric"] != "REGION"));
    let value = |section: &str, region: &str, metric: &str| {
        rows.iter()
            .find(|r| r["section"] == section && r["Region"] == region && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(value("tickets", "EU", "tickets").as_deref(), Some("1"));
    assert_eq!(value("tickets", "US", "tickets").as_deref(), Some("1"));
    assert_eq!(value("surveys", "eu", "csat_pct").as_deref(), Some("100"));
    assert_eq!(value("surveys", "us", "csat_pct").as_deref(), Some("0"));
    // The header's window line names it so too.
    let out = w
        .cxm()
        .args([
            "report", "d", "--by", "region", "--format", "markdown", "-q",
        ])
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains("UTC; by Region\n"), "{page}");
    // Two ticket files that spell it differently: each read by its own spelling,
    // under the first file's name (EU 1 + 1, US 1), not a tickets section left
    // ungrouped with a warning of no such column.
    w.write(
        "more.csv",
        b"ticket_id,created_at,REGION\n3,2025-03-03T10:00:00Z,EU\n",
    );
    let rows = w.csv_rows(&[
        "report",
        "--tickets",
        "d/tickets.csv",
        "--tickets",
        "more.csv",
        "--by",
        "region",
        "-q",
    ]);
    let tickets = |region: &str| {
        (rows.iter())
            .find(|r| {
                r["section"] == "tickets" && r["Region"] == region && r["metric"] == "tickets"
            })
            .map(|r| r["value"].clone())
    };
    assert_eq!(tickets("EU").as_deref(), Some("2"));
    assert_eq!(tickets("US").as_deref(), Some("1"));
}

/// With `--compare previous`, the tidy CSV keeps SPEC §6's columns: the compare
/// rows name each value after its headline (csat_pct 80 against 50, change 30, as
/// worked in `compare_previous_puts_the_headlines_beside_the_previous_window`).
#[test]
fn compare_rows_keep_the_tidy_columns() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args(["report", "--surveys", &fixture("surveys/compare.csv")])
        .args(["--since", "2025-03-10", "--until", "2025-03-17"])
        .args(["--compare", "previous", "--format", "csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("section,period,metric,value\n"), "{text}");
    let rows = parse_csv(&out.stdout);
    let value = |metric: &str| {
        rows.iter()
            .find(|r| r["section"] == "compare" && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(value("csat_pct").as_deref(), Some("80"));
    assert_eq!(value("csat_pct_previous").as_deref(), Some("50"));
    assert_eq!(value("csat_pct_change").as_deref(), Some("30"));
    assert_eq!(value("csat_pct_small_sample").as_deref(), Some("true"));
}

/// A headline with no value on one side (no responses in the previous week, no
/// tickets this week) keeps its row, empty on that side, rather than vanishing; a
/// churn-flag snapshot, which has no dates, is not compared with itself; and
/// `--fail-if` reads the compare values by their tidy names. By hand, week 10: T1
/// answered in 30 min, one CSAT 5 and one NPS 9 (100 and 100); week 9: T0 answered in
/// 10 min, no responses.
#[test]
fn compare_keeps_headlines_empty_on_one_side() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    w.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at\n\
          T1,2025-03-03T10:00:00Z,2025-03-03T10:30:00Z\n\
          T0,2025-02-25T10:00:00Z,2025-02-25T10:10:00Z\n",
    );
    w.write(
        "d/surveys.csv",
        b"response_id,ticket_id,submitted_at,survey,score\n\
          R1,T1,2025-03-03T13:00:00Z,csat,5\nR2,T1,2025-03-03T13:00:00Z,nps,9\n",
    );
    w.write(
        "d/customers.csv",
        b"customer_id,churned\nA,yes\nB,no\nC,no\n",
    );
    let run = |period: &str, extra: &[&str]| {
        w.cxm()
            .args(["report", "d", "--period", period, "--compare", "previous"])
            .args(["--format", "csv"])
            .args(extra)
            .output()
            .unwrap()
    };
    let md = w
        .cxm()
        .args([
            "report",
            "d",
            "--period",
            "2025-W10",
            "--compare",
            "previous",
        ])
        .args(["--format", "markdown", "-q"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains("not compared: churn\\_pct (a churn-flag snapshot has no dates"),
        "{md}"
    );
    let out = run("2025-W10", &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = parse_csv(&out.stdout);
    let value = |metric: &str| {
        rows.iter()
            .find(|r| r["section"] == "compare" && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(value("csat_pct").as_deref(), Some("100"));
    assert_eq!(value("csat_pct_previous").as_deref(), Some(""));
    assert_eq!(value("csat_pct_change").as_deref(), Some(""));
    assert_eq!(value("nps").as_deref(), Some("100"));
    assert_eq!(value("nps_previous").as_deref(), Some(""));
    assert_eq!(
        value("first_response_median_hours_previous").as_deref(),
        Some("0.1667")
    );
    assert_eq!(value("churn_pct"), None);
    // Week 11 has no tickets: this side is empty, the previous one is week 10's.
    let rows = parse_csv(&run("2025-W11", &["-q"]).stdout);
    let value = |metric: &str| {
        rows.iter()
            .find(|r| r["section"] == "compare" && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(value("tickets").as_deref(), Some("0"));
    assert_eq!(value("first_response_median_hours").as_deref(), Some(""));
    assert_eq!(
        value("first_response_median_hours_previous").as_deref(),
        Some("0.5")
    );
    assert_eq!(value("csat_pct_previous").as_deref(), Some("100"));
    // 30 min against 10 min: a change of 1/3 h breaks `> 0.3`, not `> 0.34`.
    for (rule, code) in [
        ("first_response_median_hours_change>0.3", 4),
        ("first_response_median_hours_change>0.34", 0),
    ] {
        let out = run("2025-W10", &["-q", "--fail-if", rule]);
        assert_eq!(out.status.code(), Some(code), "{rule}");
    }
    let out = run("2025-W10", &["-q", "--fail-if", "value>0"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The ticket count and the first-response median have their p-values too (SPEC §14).
/// Week 10 holds 8 tickets answered in 1…8 min, week 9 two answered in 9 and 10. The
/// count: under equal rates over equal weeks, 8 of 10 is binomial(10, ½); the counts
/// as unlikely are 0–2 and 8–10: 2 × (1 + 10 + 45) / 1024 = 0.109375. The median
/// (Mood's test): pooled median 5.5; above it 3 of week 10 and 2 of week 9, at or
/// below 5 and 0; each count 1 off its expectation (4, 1, 4, 1), Yates leaves 0.5:
/// χ² = 0.25 × (1/4 + 1 + 1/4 + 1) = 0.625, p = erfc(√0.3125) = 0.4292. Both sides
/// under 30: small samples. Over March (31 days) against February (28), 1 ticket
/// against 5: binomial(6, 31/59), where the counts no likelier than 1 are 0, 1 and 6:
/// 0.011424 + 0.075891 + 0.021041 = 0.1084. A month still running is weighed by its
/// days so far, and its tickets so far.
#[test]
fn compare_tests_the_ticket_count_and_median() {
    let w = Workdir::new();
    let mut csv = String::from("ticket_id,created_at,first_response_at\n");
    for m in 1..=8 {
        csv.push_str(&format!(
            "A{m},2025-03-04T10:00:00Z,2025-03-04T10:{m:02}:00Z\n"
        ));
    }
    for m in [9, 10] {
        csv.push_str(&format!(
            "B{m},2025-02-25T10:00:00Z,2025-02-25T10:{m:02}:00Z\n"
        ));
    }
    w.write("t.csv", csv.as_bytes());
    // The compare section's values of a run over `file` (its tidy CSV).
    let compared = |file: &str, extra: &[&str]| -> std::collections::HashMap<String, String> {
        let out = w
            .cxm()
            .args(["report", "--tickets", file, "--compare", "previous"])
            .args(extra)
            .args(["--format", "csv", "-q"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        (parse_csv(&out.stdout).into_iter())
            .filter(|r| r["section"] == "compare")
            .map(|r| (r["metric"].clone(), r["value"].clone()))
            .collect()
    };
    let value = compared("t.csv", &["--period", "2025-W10"]);
    assert_eq!(value["tickets"], "8");
    assert_eq!(value["tickets_previous"], "2");
    assert_eq!(value["tickets_p_value"], "0.1094");
    assert_eq!(value["tickets_small_sample"], "true");
    assert_eq!(value["first_response_median_hours_p_value"], "0.4292");
    assert_eq!(value["first_response_median_hours_small_sample"], "true");
    // The same tickets, each on a team, one of them twice (one ticket: the repeat is
    // dropped), grouped: the tests are of the whole windows, and their bases are not
    // shown.
    let mut teamed = String::from("ticket_id,created_at,first_response_at,team\n");
    for (i, line) in csv.lines().skip(1).enumerate() {
        teamed.push_str(&format!("{line},{}\n", ["north", "south"][i % 2]));
    }
    // The last row of A1 is kept: its 30 min, not the first row's 1 min, is tested
    // (pooled median 6.5: above it 7, 8 and 30 against 9 and 10, as before).
    teamed.push_str("A1,2025-03-04T10:00:00Z,2025-03-04T10:30:00Z,north\n");
    w.write("teams.csv", teamed.as_bytes());
    for extra in [&[][..], &["--by", "team"][..], &["--every", "day"][..]] {
        let value = compared(
            "teams.csv",
            &[&["--period", "2025-W10"][..], extra].concat(),
        );
        assert_eq!(value["tickets"], "8", "{extra:?}");
        assert_eq!(value["tickets_p_value"], "0.1094", "{extra:?}");
        let p = &value["first_response_median_hours_p_value"];
        assert_eq!(p, "0.4292", "{extra:?}");
    }
    let out = w
        .cxm()
        .args(["report", "--tickets", "teams.csv", "--period", "2025-W10"])
        .args([
            "--compare",
            "previous",
            "--by",
            "team",
            "--format",
            "csv",
            "-q",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for hidden in ["first_responses", "tickets_by_now", "sla_tickets"] {
        assert!(!text.contains(hidden), "{hidden}: {text}");
    }
    // From an event log: each ticket's first response is its first public agent
    // event after the requester's.
    let mut log = String::from("ticket_id,at,author_role,public\n");
    for (id, day, minutes) in (1..=8)
        .map(|m| (format!("A{m}"), "2025-03-04", m))
        .chain([9, 10].map(|m| (format!("B{m}"), "2025-02-25", m)))
    {
        log.push_str(&format!("{id},{day}T10:00:00Z,end-user,true\n"));
        log.push_str(&format!("{id},{day}T10:{minutes:02}:00Z,agent,true\n"));
    }
    w.write("log.csv", log.as_bytes());
    for files in [
        &["--events", "log.csv"][..],
        &["--tickets", "t.csv", "--events", "log.csv"],
    ] {
        let out = w
            .cxm()
            .arg("report")
            .args(files)
            .args(["--period", "2025-W10", "--compare", "previous"])
            .args(["--format", "csv", "-q"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let value: std::collections::HashMap<String, String> = (parse_csv(&out.stdout).into_iter())
            .filter(|r| r["section"] == "compare")
            .map(|r| (r["metric"].clone(), r["value"].clone()))
            .collect();
        assert_eq!(value["tickets_p_value"], "0.1094", "{files:?}");
        let p = &value["first_response_median_hours_p_value"];
        assert_eq!(p, "0.4292", "{files:?}");
    }
    let mut csv =
        String::from("ticket_id,created_at,first_response_at\nM1,2025-03-10T10:00:00Z,\n");
    for d in 1..=5 {
        csv.push_str(&format!("F{d},2025-02-{d:02}T10:00:00Z,\n"));
    }
    w.write("t.csv", csv.as_bytes());
    let value = compared("t.csv", &["--period", "2025-03"]);
    assert_eq!(value["tickets_p_value"], "0.1084");
    // No first response on either side: no median, no test.
    assert_eq!(value["first_response_median_hours_p_value"], "");
    // This month up to now (9 March 00:00, nine days): four tickets a day in February
    // (112) and in March (36) is one rate: 148 × 9/37 = 36 expected, p = 1.
    let mut csv = String::from("ticket_id,created_at\n");
    for (month, days) in [(2, 28), (3, 9)] {
        for d in 1..=days {
            for h in [0, 6, 12, 18] {
                csv.push_str(&format!(
                    "T{month}{d}{h},2025-{month:02}-{d:02}T{h:02}:00:00Z\n"
                ));
            }
        }
    }
    w.write("r.csv", csv.as_bytes());
    let value = compared(
        "r.csv",
        &["--period", "this-month", "--now", "2025-03-10T00:00:00Z"],
    );
    assert_eq!(value["tickets"], "36");
    assert_eq!(value["tickets_previous"], "112");
    assert_eq!(value["tickets_p_value"], "1");
    // Replayed with an earlier --now (9 March 00:00, eight days), the tickets after
    // it are shown but not tested: 32 by then against 112, 144 × 8/36 = 32, p = 1.
    let value = compared(
        "r.csv",
        &["--period", "this-month", "--now", "2025-03-09T00:00:00Z"],
    );
    assert_eq!(value["tickets"], "36");
    assert_eq!(value["tickets_p_value"], "1");
    // A window starting after --now has no time to test its count by: said.
    let out = w
        .cxm()
        .args(["report", "--tickets", "r.csv", "--period", "2025-03"])
        .args([
            "--now",
            "2025-02-20T00:00:00Z",
            "--compare",
            "previous",
            "--format",
            "markdown",
            "-q",
        ])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("not tested: tickets (the window starts at or after --now"),
        "{md}"
    );
    // A previous window the data does not reach is said: its changes are from
    // nothing.
    let out = w
        .cxm()
        .args([
            "report",
            "--tickets",
            "t.csv",
            "--period",
            "2025-02",
            "--compare",
            "previous",
        ])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holds none of the tickets, where this one holds 5"),
        "{err}"
    );
}

/// Churn is counted by calendar bucket: over a `--since/--until` window (three
/// months; five days inside October's bucket; a month whose previous window spans
/// two) churn % is not compared, and the header says so rather than leaving it out
/// silently or comparing October with itself.
#[test]
fn churn_not_compared_over_other_windows_is_said() {
    let w = Workdir::new();
    for (since, until) in [
        ("2025-04-01", "2025-07-01"),
        ("2025-10-20", "2025-10-25"),
        ("2025-10-01", "2025-11-01"),
    ] {
        let out = w
            .cxm()
            .args(["report", &fixture("../../sample-data")])
            .args(["--since", since, "--until", until])
            .args(["--compare", "previous", "--format", "markdown", "-q"])
            .output()
            .unwrap();
        let md = String::from_utf8_lossy(&out.stdout);
        assert!(md.contains("not compared: churn\\_pct"), "{since}: {md}");
        assert!(!md.contains("| churn\\_pct |"), "{since}: {md}");
    }
}

/// `--period yesterday` compares churn day with day: ten customers from January, one
/// gone on 5 March, one on the 19th. On the 19th 1 of 9 leave (11.1111 %), on the 18th
/// none of 9 (0 %, not March's 2 of 10). Pooled z-test by hand: p̂ = 1/18, SE =
/// √(1/18 × 17/18 × 2/9) = 0.107980, z = 0.111111/0.107980 = 1.02899, p = 0.3035.
/// A rolling `last-7d` (both weeks inside March) is not compared at all.
#[test]
fn churn_is_compared_day_by_day_and_not_over_rolling_days() {
    let wd = Workdir::new();
    let mut subs = String::from("customer_id,started_at,ended_at\n");
    for i in 1..=10 {
        let end = match i {
            1 => "2025-03-05",
            2 => "2025-03-19T12:00:00Z",
            _ => "",
        };
        subs.push_str(&format!("c{i},2025-01-01,{end}\n"));
    }
    wd.write("s.csv", subs.as_bytes());
    let report = |period: &str, format: &str| {
        let out = wd
            .cxm()
            .args(["report", "--subscriptions", "s.csv", "--period", period])
            .args(["--now", "2025-03-20T10:00:00Z", "--compare", "previous"])
            .args(["--format", format, "-q"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let rows = parse_csv(&report("yesterday", "csv"));
    let value = |metric: &str| tidy_value(&rows, "compare", metric);
    assert_eq!(value("churn_pct"), "11.1111");
    assert_eq!(value("churn_pct_previous"), "0");
    assert_eq!(value("churn_pct_p_value"), "0.3035");
    let md = String::from_utf8_lossy(&report("last-7d", "markdown")).to_string();
    assert!(md.contains("not compared: churn\\_pct"), "{md}");
    assert!(!md.contains("| churn\\_pct |"), "{md}");
}

/// A ticket export's own ratings (presets/zendesk.csv's `Satisfaction Score`) are
/// their tickets': `--by team` groups them by the ticket's Group. Support rated
/// Good, Bad with comment, Good: 3 responses, 2 of 3 satisfied; Billing none.
#[test]
fn a_ticket_exports_own_ratings_group_by_the_tickets_team() {
    let out = Workdir::new()
        .cxm()
        .args(["report", "--tickets", &fixture("presets/zendesk.csv")])
        .args(["--by", "team", "--format", "csv", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    let value = |team: &str, metric: &str| {
        rows.iter()
            .find(|r| r["section"] == "surveys" && r["team"] == team && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(value("Support", "csat_responses").as_deref(), Some("3"));
    let pct: f64 = value("Support", "csat_pct").unwrap().parse().unwrap();
    assert!((pct - 200.0 / 3.0).abs() < 1e-4, "{pct}");
    assert_eq!(value("Billing", "csat_responses").as_deref(), Some("0"));
    // `--by TEAM` names the same field (no column is named so in any case), in
    // both sections, under its canonical name (SPEC §6), as `cxm tickets` shows it.
    let out = Workdir::new()
        .cxm()
        .args(["report", "--tickets", &fixture("presets/zendesk.csv")])
        .args(["--by", "TEAM", "--format", "csv", "-q"])
        .output()
        .unwrap();
    let rows = parse_csv(&out.stdout);
    let tickets = |team: &str| {
        rows.iter()
            .find(|r| r["section"] == "tickets" && r["team"] == team && r["metric"] == "tickets")
            .map(|r| r["value"].clone())
    };
    assert_eq!(tickets("Support").as_deref(), Some("4"));
    assert_eq!(tickets("Billing").as_deref(), Some("2"));
    assert!(rows
        .iter()
        .any(|r| r["section"] == "surveys" && r["team"] == "Support" && r["value"] == "3"));
    assert!(rows.iter().all(|r| !r.contains_key("TEAM")));
    // `--where team=billing` keeps Billing's two tickets and their ratings: none.
    let out = Workdir::new()
        .cxm()
        .args(["report", "--tickets", &fixture("presets/zendesk.csv")])
        .args(["--where", "team=billing", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("no matching ticket"), "{err}");
    let rows = parse_csv(&out.stdout);
    let total = |section: &str, metric: &str| {
        rows.iter()
            .find(|r| r["section"] == section && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(total("tickets", "tickets").as_deref(), Some("2"));
    assert_eq!(total("surveys", "csat_responses").as_deref(), Some("0"));
}

/// A folder's event log feeds the tickets section (its columns are the section's),
/// so the header names it, with its rows: the fixture's log has 14 events (15 lines
/// less the header). A log alone is named as the tickets' source.
#[test]
fn the_header_names_the_event_log_read() {
    let w = Workdir::new();
    std::fs::create_dir(w.path("d")).unwrap();
    std::fs::create_dir(w.path("log")).unwrap();
    let events = std::fs::read(fixture("events/events.csv")).unwrap();
    w.write(
        "d/tickets.csv",
        &std::fs::read(fixture("events/tickets.csv")).unwrap(),
    );
    w.write("d/events.csv", &events);
    w.write("log/events.csv", &events);
    let header = |dir: &str| {
        let out = w
            .cxm()
            .args(["report", dir, "--format", "markdown", "-q"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let both = header("d");
    assert!(both.contains("- events: d/events.csv (14 rows)"), "{both}");
    let alone = header("log");
    assert!(
        alone.contains("- tickets: derived from the event log log/events.csv (14 events read)"),
        "{alone}"
    );
    // From stdin, read once (the log is not opened again to be counted); a blank
    // line is no event.
    let mut blank = events.clone();
    blank.extend_from_slice(b"\n");
    let out = w
        .cxm()
        .args(["report", "--tickets", "d/tickets.csv", "--events", "-"])
        .args(["--format", "markdown", "-q"])
        .write_stdin(blank)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(page.contains("- events: &lt;stdin> (14 rows)"), "{page}");
}

/// A section's rejects are said as it is read; the `--by` columns a section lacks
/// once every section is read. Here the surveys (no `team`, one unreadable time) say
/// their reject before that they are not grouped by team.
#[test]
fn a_sections_rejects_come_before_its_notes() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,team\nT1,2025-03-03T10:00:00Z,a\nT2,2025-03-03T11:00:00Z,b\n",
    );
    w.write(
        "s.csv",
        b"response_id,submitted_at,csat\nr1,2025-03-03T12:00:00Z,5\nr2,yesterday,4\n",
    );
    let out = w
        .cxm()
        .args([
            "report",
            "--tickets",
            "t.csv",
            "--surveys",
            "s.csv",
            "--by",
            "team",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let reject = err.find("1 rejected: unparseable timestamp in submitted_at");
    let note = err.find("surveys: no column or field 'team'");
    assert!(reject.is_some() && note.is_some() && reject < note, "{err}");
}

/// A `--by` column only some of a section's files have stops the run, as its
/// command does (naming the file that lacks it), rather than leaving the section
/// ungrouped; one the surveys' files spell differently is read by each file's
/// spelling.
#[test]
fn a_by_column_some_files_lack_is_an_error() {
    let w = Workdir::new();
    w.write(
        "s1.csv",
        b"response_id,submitted_at,csat,Region\nr1,2025-03-03T12:00:00Z,5,eu\n",
    );
    w.write(
        "s2.csv",
        b"response_id,submitted_at,csat,REGION\nr2,2025-03-03T12:00:00Z,1,us\n",
    );
    w.write(
        "s3.csv",
        b"response_id,submitted_at,csat\nr3,2025-03-03T12:00:00Z,1\n",
    );
    // Tickets that have it, beside responses of which only some do; two columns of
    // the name in one file; customers whose ticket files only partly have it.
    w.write(
        "t.csv",
        b"ticket_id,created_at,region,customer_id\nT1,2025-03-03T09:00:00Z,eu,C1\n",
    );
    w.write(
        "t2.csv",
        b"ticket_id,created_at,customer_id\nT2,2025-03-03T09:00:00Z,C2\n",
    );
    w.write(
        "twice.csv",
        b"ticket_id,created_at,region,Region,customer_id\nT3,2025-03-03T09:00:00Z,eu,EU,C3\n",
    );
    w.write(
        "r1.csv",
        b"response_id,ticket_id,submitted_at,csat,region\nr1,T1,2025-03-03T12:00:00Z,5,apac\n",
    );
    w.write(
        "r2.csv",
        b"response_id,ticket_id,submitted_at,csat\nr2,T1,2025-03-03T12:00:00Z,4\n",
    );
    for (args, code, says) in [
        (
            vec!["surveys", "r1.csv", "r2.csv", "--tickets", "t.csv"],
            3,
            "r2.csv: --by region: no such field",
        ),
        (
            vec!["customers", "--tickets", "t.csv", "--tickets", "t2.csv"],
            3,
            "t2.csv: --by region: no such field",
        ),
        (
            vec!["report", "--surveys", "s1.csv", "--surveys", "s3.csv"],
            3,
            "s3.csv: --by region: no such field or column",
        ),
        (
            vec!["surveys", "s1.csv", "s3.csv"],
            3,
            "s3.csv: --by region: no such field or column",
        ),
    ] {
        let out = w
            .cxm()
            .args(&args)
            .args(["--by", "region"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    // s1.csv's `Region` and s2.csv's `REGION`: eu 5 (satisfied), us 1 (not).
    let rows = w.csv_rows(&["surveys", "s1.csv", "s2.csv", "--by", "region"]);
    let groups: Vec<(&str, &str, &str)> = (rows.iter())
        .map(|r| {
            (
                r["Region"].as_str(),
                r["csat_responses"].as_str(),
                r["csat_pct"].as_str(),
            )
        })
        .collect();
    assert_eq!(groups, [("eu", "1", "100"), ("us", "1", "0")]);
    // `REGION` matches both of twice.csv's columns in case: which one is meant
    // cannot be told (2). As `cxm tickets` reads the files in order, the first file
    // with a problem decides: after t2.csv, which lacks it, that one (3).
    for (first, second, code, says) in [
        ("twice.csv", "t2.csv", 2, "several columns match in case"),
        (
            "t2.csv",
            "twice.csv",
            3,
            "t2.csv: --by REGION: no such field or column",
        ),
    ] {
        for command in ["report", "tickets"] {
            let mut cmd = w.cxm();
            match command {
                "report" => cmd.args(["report", "--tickets", first, "--tickets", second]),
                _ => cmd.args(["tickets", first, second]),
            };
            let out = cmd.args(["--by", "REGION"]).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(code), "{command} {first}: {err}");
            assert!(err.contains(says), "{command} {first}: {err}");
        }
    }
}

/// `--strict` fails the report only once every section has run: the rejects file
/// holds the rejected rows of both sections (the survey's score 9 on line 3, the
/// subscription's negative MRR on line 3), and the error names both kinds.
#[test]
fn strict_report_writes_every_sections_rejects_before_failing() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/surveys.csv",
        b"response_id,submitted_at,csat\nR1,2025-01-01T00:00:00Z,5\nR2,2025-01-02T00:00:00Z,9\n",
    );
    wd.write(
        "d/subscriptions.csv",
        b"customer_id,start_date,end_date,mrr\nC1,2024-01-01,,10\nC2,2024-01-01,,-5\n",
    );
    let out = wd
        .cxm()
        .args([
            "report",
            "d",
            "--strict",
            "--rejects",
            "rej.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("2 kind(s) of rejected values"), "{err}");
    assert!(err.contains("d/surveys.csv:3"), "{err}");
    assert!(err.contains("d/subscriptions.csv:3"), "{err}");
    let rows = parse_csv(&std::fs::read(wd.path("rej.csv")).unwrap());
    let places: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["file"].as_str(), r["line"].as_str(), r["column"].as_str()))
        .collect();
    assert_eq!(
        places,
        [
            ("d/surveys.csv", "3", "csat"),
            ("d/subscriptions.csv", "3", "mrr")
        ]
    );
}

/// A later section that stops the run for another reason (survey scores that fit no
/// default scale) keeps the earlier sections' `--strict` rejects in its error: the
/// tickets' bad creation time on line 3 is named beside the scale.
#[test]
fn strict_rejects_of_earlier_sections_survive_a_later_error() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,team\nT1,2025-01-01T00:00:00Z,a\nT2,soon,a\n",
    );
    wd.write(
        "d/surveys.csv",
        b"response_id,submitted_at,csat\nR1,2025-01-01T00:00:00Z,8\nR2,2025-01-02T00:00:00Z,9\nR3,2025-01-02T00:00:00Z,10\n",
    );
    let out = wd
        .cxm()
        .args(["report", "d", "--strict", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("--scale csat=1-10"), "{err}");
    assert!(
        err.contains("also, in the sections before, --strict: 1 kind(s)")
            && err.contains("d/tickets.csv:3"),
        "{err}"
    );
}

/// A `--by` column no section has is a typo, exit 3; one that only the tickets have
/// groups them, and the other sections are left whole with a warning.
#[test]
fn a_by_column_no_section_has_is_an_error() {
    let wd = Workdir::new();
    let out = wd
        .cxm()
        .args([
            "report",
            &fixture("../../sample-data"),
            "--by",
            "teem",
            "--period",
            "2025-11",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("--by teem: none of the report's data has such a field or column"),
        "{err}"
    );
    // The error alone: no section's warning that it is not grouped by `teem` first.
    assert!(!err.contains("not grouped by it"), "{err}");
    // A saved report's `by` is named as its key, at its line.
    wd.write(
        "r.toml",
        format!(
            "[reports.w]\ndir = \"{}\"\nperiod = \"2025-11\"\nby = [\"teem\"]\n",
            fixture("../../sample-data")
        )
        .as_bytes(),
    );
    let out = wd
        .cxm()
        .args(["report", "--config", "r.toml", "w"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("--config r.toml:4: reports.w.by 'teem': none of the report's data has such a field or column"),
        "{err}"
    );
    let out = wd
        .cxm()
        .args([
            "report",
            &fixture("../../sample-data"),
            "--by",
            "team",
            "--period",
            "2025-11",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("churn: no column or field 'team'"), "{err}");
    // The config file's top-level `by` serves many files: passed over, as in `tickets`.
    wd.write("c.toml", b"by = [\"teem\"]\n");
    let out = wd
        .cxm()
        .args([
            "report",
            &fixture("../../sample-data"),
            "--config",
            "c.toml",
            "--period",
            "2025-11",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
}

/// With an event log giving the first responses, `sla_pct` keeps its test: 2 of 4
/// answered within the hour in the week of 3 March (30 min twice, 2 h twice), 3 of 4 in
/// the next. Pooled two-proportion z-test by hand: p̂ = 5/8, SE = √(0.625 × 0.375 ×
/// (1/4 + 1/4)) = 0.342327, z = 0.25/0.342327 = 0.730297, p = 0.465209; 4 a side is a
/// small sample.
#[test]
fn the_sla_test_holds_with_an_event_log() {
    let wd = Workdir::new();
    let mut tickets = String::from("ticket_id,created_at\n");
    let mut log = String::from("ticket_id,at,author_role,public\n");
    for (day, replies) in [
        ("2025-03-03", ["09:30", "09:30", "11:00", "11:00"]),
        ("2025-03-10", ["09:30", "09:30", "09:30", "11:00"]),
    ] {
        for (k, reply) in replies.iter().enumerate() {
            tickets.push_str(&format!("T{day}-{k},{day}T09:00:00Z\n"));
            log.push_str(&format!("T{day}-{k},{day}T09:00:00Z,customer,true\n"));
            log.push_str(&format!("T{day}-{k},{day}T{reply}:00Z,agent,true\n"));
        }
    }
    wd.write("t.csv", tickets.as_bytes());
    wd.write("events.csv", log.as_bytes());
    let rows = wd.csv_rows(&[
        "report",
        "--tickets",
        "t.csv",
        "--events",
        "events.csv",
        "--period",
        "2025-W11",
        "--compare",
        "previous",
    ]);
    let value = |metric: &str| tidy_value(&rows, "compare", metric);
    assert_eq!(value("sla_pct"), "75");
    assert_eq!(value("sla_pct_previous"), "50");
    assert_eq!(value("sla_pct_p_value"), "0.4652");
    assert_eq!(value("sla_pct_small_sample"), "true");
}

/// Tickets with no first response anywhere have no `sla_pct` on either side: its row
/// stays, empty, with no small-sample flag (there is no change to read), while the
/// ticket counts (2 then 3) are compared.
#[test]
fn a_headline_empty_on_both_sides_is_not_flagged_small() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at,resolved_at\n\
          a,2025-03-04T09:00:00Z,2025-03-04T10:00:00Z\n\
          b,2025-03-05T09:00:00Z,\n\
          c,2025-03-11T09:00:00Z,2025-03-11T12:00:00Z\n\
          d,2025-03-12T09:00:00Z,\n\
          e,2025-03-13T09:00:00Z,\n",
    );
    let rows = wd.csv_rows(&[
        "report",
        "--tickets",
        "t.csv",
        "--period",
        "2025-W11",
        "--compare",
        "previous",
    ]);
    let value = |metric: &str| tidy_value(&rows, "compare", metric);
    assert_eq!(value("tickets"), "3");
    assert_eq!(value("tickets_previous"), "2");
    assert_eq!(value("sla_pct"), "");
    assert_eq!(value("sla_pct_previous"), "");
    assert_eq!(value("sla_pct_small_sample"), "");
}

/// With the export's own SLA flag, `sla_pct`'s test takes the flagged tickets as its
/// base, not the responded ones: 36 of 40 met, then 20 of 40 (one ticket in four has
/// a first response). Pooled two-proportion z-test by hand: p̂ = 56/80 = 0.7, SE =
/// √(0.7 × 0.3 × (1/40 + 1/40)) = 0.102470, z = −0.4/0.102470 = −3.9036, p = 9.48e-5
/// (0.0001 at four decimals), and 40 a side is not a small sample.
#[test]
fn the_sla_test_of_a_vendor_flag_counts_the_flagged_tickets() {
    let wd = Workdir::new();
    let mut csv = String::from("ticket_id,created_at,made_sla,first_response_at\n");
    for (week, day, met) in [(0, "2025-03-03", 36), (1, "2025-03-10", 20)] {
        for k in 0..40 {
            let answered = match k % 4 {
                0 => format!("{day}T10:00:00Z"),
                _ => String::new(),
            };
            csv.push_str(&format!(
                "T{week}-{k},{day}T09:00:00Z,{},{answered}\n",
                k < met
            ));
        }
    }
    wd.write("t.csv", csv.as_bytes());
    let rows = wd.csv_rows(&[
        "report",
        "--tickets",
        "t.csv",
        "--period",
        "2025-W11",
        "--compare",
        "previous",
    ]);
    let value = |metric: &str| tidy_value(&rows, "compare", metric);
    assert_eq!(value("sla_pct"), "50");
    assert_eq!(value("sla_pct_previous"), "90");
    assert_eq!(value("sla_pct_p_value"), "0.0001");
    assert_eq!(value("sla_pct_small_sample"), "false");
    assert!(
        rows.iter().all(|r| r["metric"] != "sla_tickets"),
        "{rows:?}"
    );
}

/// `report --by team --keep first` of `tickets` (ticket_id, created_at,
/// first_response_at, team) beside two ratings, A's 5 and B's 1: a value of the tidy
/// CSV by section, team and metric.
fn by_team_keeping_first(tickets: &[u8]) -> impl Fn(&str, &str, &str) -> Option<String> {
    let wd = Workdir::new();
    wd.write("tickets.csv", tickets);
    wd.write(
        "surveys.csv",
        b"response_id,ticket_id,submitted_at,survey,score\n\
1,A,2025-02-03T11:00:00Z,csat,5\n\
2,B,2025-02-04T11:00:00Z,csat,1\n",
    );
    let out = wd
        .cxm()
        .args([
            "report",
            "--tickets",
            "tickets.csv",
            "--surveys",
            "surveys.csv",
        ])
        .args(["--by", "team", "--keep", "first", "--format", "csv", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t = tidy(&out.stdout, "team");
    move |section: &str, team: &str, metric: &str| {
        t.get(&(section.to_string(), team.to_string(), metric.to_string()))
            .cloned()
    }
}

/// `--keep first`: a repeated ticket's responses take the team of the row the tickets
/// section counts. A is `old`, then `new`; kept first, A and B are both `old`, and their
/// ratings 5 and 1 give `old` 2 responses, 50 % satisfied, and no `new` row.
#[test]
fn responses_take_the_ticket_row_keep_chooses() {
    let get = by_team_keeping_first(
        b"ticket_id,created_at,first_response_at,team\n\
A,2025-02-03T10:00:00Z,2025-02-03T10:10:00Z,old\n\
B,2025-02-04T10:00:00Z,2025-02-04T10:10:00Z,old\n\
A,2025-02-03T10:00:00Z,2025-02-03T10:10:00Z,new\n",
    );
    assert_eq!(get("tickets", "old", "tickets").as_deref(), Some("2"));
    assert_eq!(
        get("surveys", "old", "csat_responses").as_deref(),
        Some("2")
    );
    assert_eq!(get("surveys", "old", "csat_pct").as_deref(), Some("50"));
    assert_eq!(get("surveys", "new", "csat_responses"), None);
}

/// A ticket row rejected whole (its creation time unreadable) gives its responses no
/// team: A's first row (`old`) is rejected, so with `--keep first` A is `new` in the
/// tickets section, and its rating 5 goes to `new` (1 of 1), B's 1 to `old` (0 of 1).
#[test]
fn a_rejected_ticket_row_gives_its_responses_no_team() {
    let get = by_team_keeping_first(
        b"ticket_id,created_at,first_response_at,team\n\
A,notadate,2025-02-03T10:10:00Z,old\n\
B,2025-02-04T10:00:00Z,2025-02-04T10:10:00Z,old\n\
A,2025-02-03T10:00:00Z,2025-02-03T10:10:00Z,new\n",
    );
    assert_eq!(get("tickets", "new", "tickets").as_deref(), Some("1"));
    assert_eq!(get("surveys", "new", "csat_pct").as_deref(), Some("100"));
    assert_eq!(
        get("surveys", "old", "csat_responses").as_deref(),
        Some("1")
    );
    assert_eq!(get("surveys", "old", "csat_pct").as_deref(), Some("0"));
}

/// A file of Excel's `sep=;` line alone (and blank lines), named for no kind of data,
/// holds none: skipped with a warning, as an empty file is, not a stop.
#[test]
fn a_file_of_a_sep_line_alone_is_skipped() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at\n1,2025-03-03T09:00:00Z\n2,2025-03-04T09:00:00Z\n",
    );
    wd.write("d/excel.csv", b"\xef\xbb\xbfsep=;\r\n\r\n");
    wd.write("d/other.csv", b"SEP=;\n");
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("excel.csv: skipped, empty (only a sep= line)"),
        "{said}"
    );
    // In any case, as Excel and the reader take it.
    assert!(
        said.contains("other.csv: skipped, empty (only a sep= line)"),
        "{said}"
    );
    let written = String::from_utf8_lossy(&out.stdout);
    assert!(written.contains("tickets,,tickets,2"), "{written}");
    // So is a file of a byte-order mark alone (UTF-8 or UTF-16), or blank lines (200
    // bytes of them), or a gzip of them (the run stopped on each, exit 3).
    wd.write("d/bom.csv", b"\xef\xbb\xbf");
    wd.write("d/blank.csv", "\r\n  \n".repeat(40).as_bytes());
    wd.write("d/utf16.csv", b"\xff\xfe\n\x00");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, b"\n\n").unwrap();
    wd.write("d/blank.csv.gz", &gz.finish().unwrap());
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    for f in ["bom.csv", "blank.csv", "blank.csv.gz", "utf16.csv"] {
        assert!(
            said.contains(&format!("{f}: skipped, empty (no header line)")),
            "{said}"
        );
    }
}

/// cxm's own outputs left in a data folder are not read back as data: a `--rejects`
/// file (its own header, then the tickets'), read as tickets, counted its rejected
/// row a second time; `customers -o` beside them, read as a churn snapshot by its
/// name, added a churn section. T2's unreadable time is the one reject.
#[test]
fn its_own_rejects_and_metric_tables_in_a_folder_are_skipped() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,customer_id\nT1,2025-01-01T00:00:00Z,C1\nT2,garbage,C2\nT3,2025-01-02T00:00:00Z,C1\n",
    );
    let first = wd
        .cxm()
        .args([
            "report",
            "--tickets",
            "d/tickets.csv",
            "--rejects",
            "d/rej.csv",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(first.status.success(), "{first:?}");
    let made = wd
        .cxm()
        .args([
            "customers",
            "d",
            "--now",
            "2025-02-01T00:00:00Z",
            "-q",
            "-o",
            "d/customers.csv",
        ])
        .output()
        .unwrap();
    assert!(made.status.success(), "{made:?}");
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("d/rej.csv: skipped, a --rejects file cxm wrote"),
        "{err}"
    );
    assert!(
        err.contains("d/customers.csv: skipped, a table of metrics cxm wrote"),
        "{err}"
    );
    assert!(err.contains("1 rejected: unparseable timestamp"), "{err}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("tickets,,tickets,2\n"), "{text}");
    assert!(!text.contains("churn,"), "{text}");
}

/// Hidden files in a folder are not read, as a shell's `*.csv` passes over them: a
/// macOS AppleDouble `._tickets.csv` (binary, not UTF-8) stopped the run, and a
/// `.old_tickets.csv` was counted in. `report d` and `tickets d` read `tickets.csv`'s
/// two tickets alone.
#[test]
fn hidden_files_in_a_folder_are_not_read() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at\nT1,2025-01-01T00:00:00Z\nT2,2025-01-02T00:00:00Z\n",
    );
    let mut apple_double = vec![0u8, 5, 22, 7, 0, 2, 0, 0];
    apple_double.extend_from_slice(b"Mac OS X        \xff\xfe\x00\x80");
    wd.write("d/._tickets.csv", &apple_double);
    wd.write(
        "d/.old_tickets.csv",
        b"ticket_id,created_at\nT9,2025-01-03T00:00:00Z\n",
    );
    let report = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&report.stderr);
    assert!(report.status.success(), "{err}");
    assert!(String::from_utf8_lossy(&report.stdout).contains("tickets,,tickets,2\n"));
    let tickets = wd.csv_rows(&["tickets", "d"]);
    assert_eq!(tickets[0]["tickets"], "2");
    // A folder of hidden files alone says why nothing is read.
    std::fs::create_dir(wd.path("h")).unwrap();
    wd.write(
        "h/.t.csv",
        b"ticket_id,created_at\nT1,2025-01-01T00:00:00Z\n",
    );
    let out = wd.cxm().args(["tickets", "h"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("a hidden one, its name starting with '.', is not read"),
        "{err}"
    );
}

/// A folder's file whose name is not UTF-8 (a Latin-1 `é`) is read as any other: 2
/// tickets and 1 are 3, in `tickets DIR` and in `report DIR`.
#[test]
fn a_file_name_not_in_utf8_is_read_from_a_folder() {
    use std::os::unix::ffi::OsStrExt;
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("n")).unwrap();
    wd.write(
        "n/tickets_a.csv",
        b"ticket_id,created_at\nA1,2025-03-01T10:00:00Z\nA2,2025-03-02T10:00:00Z\n",
    );
    let latin1 = std::ffi::OsStr::from_bytes(b"tickets_b\xe9.csv");
    std::fs::write(
        wd.path("n").join(latin1),
        b"ticket_id,created_at\nB1,2025-03-03T10:00:00Z\n",
    )
    .unwrap();
    let rows = wd.csv_rows(&["tickets", "n"]);
    assert_eq!(rows[0]["tickets"], "3");
    let out = wd.csv_output(&["report", "n"]);
    assert!(String::from_utf8_lossy(&out).contains("tickets,,tickets,3\n"));
}

/// More of cxm's own outputs in a folder, skipped: a churn table by plan (its
/// `churn_pct` is an aggregate no export holds; read as a snapshot, each plan was a
/// customer), a JSON report and an HTML page saved under a `.csv` name. A survey export whose
/// columns happen to be `section,…,metric,value` is read, its sections being its own:
/// CSAT 5 and 2, 1 of 2 satisfied.
#[test]
fn more_of_its_own_outputs_are_skipped_and_lookalike_data_is_not() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at\nT1,2025-01-01T00:00:00Z\nT2,2025-01-02T00:00:00Z\n",
    );
    wd.write(
        "snap.csv",
        b"customer_id,plan,churned\nA,gold,1\nB,silver,0\nC,bronze,0\n",
    );
    for args in [
        vec![
            "churn",
            "snap.csv",
            "--by",
            "plan",
            "-q",
            "-o",
            "d/churn_by_plan.csv",
        ],
        vec![
            "tickets",
            "d/tickets.csv",
            "--format",
            "json",
            "-q",
            "-o",
            "d/t.csv",
        ],
        vec![
            "tickets",
            "d/tickets.csv",
            "--format",
            "html",
            "-q",
            "-o",
            "d/page.csv",
        ],
    ] {
        let made = wd.cxm().args(&args).output().unwrap();
        assert!(made.status.success(), "{made:?}");
    }
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("d/churn_by_plan.csv: skipped, a table of metrics cxm wrote"),
        "{err}"
    );
    assert!(err.contains("d/t.csv: skipped, JSON"), "{err}");
    assert!(err.contains("d/page.csv: skipped, HTML"), "{err}");
    // Exports that open as a report for people might are data: a title over a line
    // of words (`- window:`) and a pipe-delimited table under a title. CSAT 5 and 2: 50 %; first responses
    // of 0.5 h and 2 h: mean 1.25 h.
    std::fs::create_dir(wd.path("e")).unwrap();
    wd.write(
        "e/surveys.csv",
        b"Survey responses\n- window: January 2025\nresponse_id,submitted_at,survey,score\nR1,2025-01-02T00:00:00Z,csat,5\nR2,2025-01-02T00:00:00Z,csat,2\n",
    );
    wd.write(
        "e/tickets.csv",
        b"Ticket export\n| ticket_id | created_at | first_response_at |\n| T1 | 2025-01-01T00:00:00Z | 2025-01-01T00:30:00Z |\n| T2 | 2025-01-01T01:00:00Z | 2025-01-01T03:00:00Z |\n",
    );
    let rows = parse_csv(&wd.csv_output(&["report", "e", "-q"]));
    assert_eq!(tidy_value(&rows, "surveys", "csat_pct"), "50");
    assert_eq!(
        tidy_value(&rows, "tickets", "first_response_mean_hours"),
        "1.25"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("tickets,,tickets,2\n") && !text.contains("churn,"),
        "{text}"
    );

    // A folder of nothing but cxm's outputs: the error names them.
    std::fs::create_dir(wd.path("o")).unwrap();
    std::fs::rename(
        wd.path("d/churn_by_plan.csv"),
        wd.path("o/churn_by_plan.csv"),
    )
    .unwrap();
    let out = wd.cxm().args(["report", "o"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("only what cxm wrote (o/churn_by_plan.csv)"),
        "{err}"
    );

    std::fs::create_dir(wd.path("s")).unwrap();
    wd.write(
        "s/surveys.csv",
        b"section,response_id,submitted_at,metric,value\npost-chat,r1,2025-01-02,csat,5\npost-chat,r2,2025-01-03,csat,2\n",
    );
    let out = wd
        .cxm()
        .args(["report", "s", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("surveys,,csat_responses,2\n") && text.contains("surveys,,csat_pct,50\n"),
        "{text}"
    );
}

/// Compared with the previous window, a row of either window is used, as `surveys
/// --compare previous` counts it: of tickets created in January, February and March,
/// March compared with February uses two and leaves one outside; so for responses.
/// The window itself holding none (April, February's and March's rows before it) is
/// still a stale export.
#[test]
fn compared_rows_of_the_previous_window_are_used_in_the_accounting() {
    let wd = Workdir::new();
    wd.write(
        "t.csv",
        b"ticket_id,created_at\nA,2025-02-10T10:00:00Z\nB,2025-03-10T10:00:00Z\nC,2025-01-10T10:00:00Z\n",
    );
    wd.write(
        "s.csv",
        b"response_id,submitted_at,survey,score\n1,2025-02-10T10:00:00Z,csat,5\n2,2025-03-10T10:00:00Z,csat,4\n3,2025-01-10T10:00:00Z,csat,3\n",
    );
    let compared = [
        "--period",
        "2025-03",
        "--compare",
        "previous",
        "--format",
        "csv",
    ];
    let line = wd.accounting(&[&["report", "--tickets", "t.csv"][..], &compared].concat());
    assert_eq!(
        line,
        "cxm: t.csv: 3 rows read = 2 used (1 of them in the previous window) + 0 rejected + 0 duplicates + 1 outside the window"
    );
    let line = wd.accounting(&[&["report", "--surveys", "s.csv"][..], &compared].concat());
    assert_eq!(
        line,
        "cxm: s.csv: 3 rows read = 2 used (1 of them in the previous window) + 0 rejected + 0 without a score + 1 outside the window"
    );
    // An event log's tickets: March's and February's events are used.
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,public,status
J,2025-01-10T09:00:00Z,end-user,true,new
J,2025-01-10T10:00:00Z,agent,true,solved
F,2025-02-10T09:00:00Z,end-user,true,new
F,2025-02-10T10:00:00Z,agent,true,solved
M,2025-03-10T09:00:00Z,end-user,true,new
M,2025-03-10T10:00:00Z,agent,true,solved
",
    );
    let out = wd
        .cxm()
        .args(["report", "--events", "ev.csv", "-v"])
        .args(compared)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("cxm: ev.csv: 6 usable events = 4 of tickets in the window or the one compared + 2 of tickets outside it"),
        "{err}"
    );
    for (flag, file, rows) in [
        ("--tickets", "t.csv", "tickets"),
        ("--surveys", "s.csv", "responses"),
    ] {
        let out = wd
            .cxm()
            .args([
                "report",
                flag,
                file,
                "--period",
                "2025-04",
                "--compare",
                "previous",
            ])
            .args(["--format", "csv"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("holds none of the {rows}")) && err.contains("a stale export?"),
            "{err}"
        );
    }
}

/// A saved report names files of a kind as a list, and event logs (`events`), as the
/// options take them repeated: two ticket files (T1 in one, T2 in the other) and a
/// log whose agent reply answers T1 in 30 minutes.
#[test]
fn a_saved_report_lists_files_and_event_logs() {
    let wd = Workdir::new();
    wd.write("a.csv", b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\n");
    wd.write("b.csv", b"ticket_id,created_at\nT2,2025-03-04T09:00:00Z\n");
    wd.write(
        "ev.csv",
        b"ticket_id,at,author_role,public\nT1,2025-03-03T09:00:00Z,end-user,true\nT1,2025-03-03T09:30:00Z,agent,true\n",
    );
    wd.write(
        "cx.toml",
        b"[reports.both]\ntickets = [\"a.csv\", \"b.csv\"]\nevents = \"ev.csv\"\nperiod = \"2025-03\"\n",
    );
    let out = wd
        .cxm()
        .args(["report", "--config", "cx.toml", "both", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let m = tidy(&out.stdout, "");
    assert_eq!(num(&m, "tickets", "", "tickets"), 2.0);
    assert_eq!(num(&m, "tickets", "", "responded"), 1.0);
    assert_eq!(num(&m, "tickets", "", "first_response_median_hours"), 0.5);
    // An empty name or list: said (an empty name would be the config's folder).
    for empty in ["tickets = \"\"", "tickets = []", "dir = \"\""] {
        wd.write("empty.toml", format!("[reports.x]\n{empty}\n").as_bytes());
        let out = wd
            .cxm()
            .args(["report", "--config", "empty.toml", "x"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{empty}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("an empty file name or list") || err.contains("reports.x.dir: '"),
            "{empty}: {err}"
        );
    }
    // Not a file name nor a list: said, with its key.
    wd.write("bad.toml", b"[reports.x]\ntickets = 3\n");
    let out = wd
        .cxm()
        .args(["report", "--config", "bad.toml", "x"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("expected a file (\"tickets.csv\") or a list of files"),
        "{err}"
    );
}

/// A warehouse's seed folder (fivetran/dbt_zendesk): only `ticket_data.csv` is
/// tickets. Users, groups and organizations (an `id` and a `created_at`), comments
/// (an `id` beside their `ticket_id`) and holidays (an `id`, a `start_date` and an
/// `end_date`) are no data cxm reads; the ticket schedules (ticket ids and creation
/// times alone) are a table keyed to the tickets. The tickets: 10 rows.
#[test]
fn a_warehouse_seed_folder_reads_its_tickets_alone() {
    let w = Workdir::new();
    let out = w
        .cxm()
        .args([
            "report",
            &fixture("real/dbt_zendesk_seeds"),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let rows = parse_csv(&out.stdout);
    assert_eq!(tidy_value(&rows, "tickets", "tickets"), "10");
    let sections: std::collections::HashSet<&str> =
        rows.iter().map(|r| r["section"].as_str()).collect();
    assert_eq!(sections.len(), 1, "{sections:?}");
    for table in [
        "user_data",
        "group_data",
        "organization_data",
        "ticket_comment_data",
        "schedule_holiday_data",
    ] {
        assert!(
            err.contains(&format!(
                "{table}.csv: skipped, its headers match no known kind of data"
            )),
            "{table}: {err}"
        );
    }
    assert!(
        err.contains("ticket_schedule_data.csv: skipped, ticket ids and creation times alone beside the ticket export"),
        "{err}"
    );
}

/// A folder of cxm's `--per-ticket` table and a table of ticket ids and creation times
/// alone: the per-ticket table is the tickets (3), the other is skipped, not taken for
/// the tickets the per-ticket table came from.
#[test]
fn a_per_ticket_table_beside_a_bare_table_is_the_tickets() {
    let w = Workdir::new();
    w.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z\nT2,2025-03-03T09:00:00Z,2025-03-03T11:00:00Z\nT3,2025-03-04T09:00:00Z,2025-03-04T09:30:00Z\n",
    );
    std::fs::create_dir(w.path("d")).unwrap();
    let out = w
        .cxm()
        .args(["tickets", "t.csv", "--per-ticket", "-o", "d/per_ticket.csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    w.write(
        "d/ticket_schedule.csv",
        b"ticket_id,created_at,schedule_id\nT1,2025-03-03T09:00:00Z,9\nT2,2025-03-03T09:00:00Z,9\n",
    );
    let (out, err) = w.csv_and_stderr(&["report", "d"]);
    let rows = parse_csv(&out);
    assert_eq!(tidy_value(&rows, "tickets", "tickets"), "3", "{err}");
    assert_eq!(tidy_value(&rows, "tickets", "responded"), "3", "{err}");
    assert!(
        err.contains("ticket_schedule.csv: skipped, ticket ids and creation times alone"),
        "{err}"
    );
}

/// A folder whose files match no kind of data: the error names them and why (with
/// no warning said before it, the files were not named), and says nothing of hidden
/// files where there are none; a hidden one alone is named as such.
#[test]
fn a_folder_of_unknown_files_names_them() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write("d/x.csv", b"a,b\n1,2\n");
    wd.write("d/y.csv", b"c,d\n1,2\n");
    let out = wd.cxm().args(["report", "d"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the headers of d/x.csv, d/y.csv match no known kind of data"),
        "{err}"
    );
    assert!(!err.contains("hidden"), "{err}");
    std::fs::create_dir(wd.path("h")).unwrap();
    wd.write(
        "h/.tickets.csv",
        b"ticket_id,created_at\nT1,2025-03-01T10:00:00Z\n",
    );
    let out = wd.cxm().args(["report", "h"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    let hidden = "a hidden one, its name starting with '.', is not read";
    assert!(err.contains(hidden), "{err}");
    // Beside files of no kind and an empty one, all are named, the hidden one too.
    wd.write("h/notes.csv", b"x,y\n1,2\n");
    wd.write("h/a.csv", b"");
    let out = wd.cxm().args(["report", "h"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the headers of h/notes.csv match no known kind"),
        "{err}"
    );
    assert!(err.contains("h/a.csv empty"), "{err}");
    assert!(err.contains(hidden), "{err}");
}

/// Excel's "Unicode Text" export named as a kind of data (`tickets.txt`, UTF-16 and
/// tab-separated) is not read from a folder, and is said to be skipped; a `.txt`
/// of another name (notes) is passed over without a word.
#[test]
fn a_text_file_named_as_data_is_said_skipped() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/surveys.csv",
        b"response_id,submitted_at,csat\nR1,2025-03-03T12:00:00Z,5\n",
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "ticket_id\tcreated_at\r\nT1\t2025-03-03T10:00:00Z\r\n".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    wd.write("d/tickets.txt", &utf16);
    wd.write("d/notes.txt", b"weekly job\n");
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("d/tickets.txt: skipped, a .txt file (Excel's Unicode Text?)"),
        "{err}"
    );
    assert!(!err.contains("notes.txt"), "{err}");
    // A comma-separated `surveys.txt` is said too.
    wd.write(
        "d/surveys.txt",
        b"response_id,submitted_at,csat\nR2,2025-03-04T12:00:00Z,4\n",
    );
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("d/surveys.txt: skipped, a .txt file"), "{err}");
    std::fs::remove_file(wd.path("d/surveys.txt")).unwrap();
    // cxm's own CSV written as .txt is its output, not an export.
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv", "-o", "d/surveys.txt"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("surveys.txt: skipped, a .txt file"), "{err}");
    std::fs::remove_file(wd.path("d/surveys.txt")).unwrap();
    // Alone, the run stops saying so; a table report cxm wrote as .txt is no export.
    std::fs::remove_file(wd.path("d/surveys.csv")).unwrap();
    let out = wd.cxm().args(["report", "d"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("d/tickets.txt: skipped, a .txt file"), "{err}");
    std::fs::create_dir(wd.path("e")).unwrap();
    wd.write(
        "e/tickets.csv",
        b"ticket_id,created_at\nT1,2025-03-03T10:00:00Z\n",
    );
    for _ in 0..2 {
        let out = wd
            .cxm()
            .args(["report", "e", "-o", "e/tickets-weekly.txt"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{err}");
        assert!(!err.contains(".txt file"), "{err}");
    }
}

/// A table of weekly figures kept in the folder (`week,tickets,csat`: no response
/// id, time, ticket or customer) is no survey file: skipped with a word, so the
/// tickets' report runs, and the surveys' own file beside it is read alone.
#[test]
fn a_table_of_figures_is_no_survey_file() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-03-03T10:00:00Z,2025-03-03T10:30:00Z\n",
    );
    wd.write(
        "d/kpi_history.csv",
        b"week,tickets,csat\n2025-W09,120,4\n2025-W10,96,3\n2025-W11,101,5\n",
    );
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("d/kpi_history.csv: skipped, scores without a response id"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    assert!(rows.iter().all(|r| r["section"] != "surveys"), "{rows:?}");
    wd.write(
        "d/surveys.csv",
        b"response_id,submitted_at,csat\nR1,2025-03-03T12:00:00Z,5\nR2,2025-03-04T12:00:00Z,2\n",
    );
    let out = wd
        .cxm()
        .args([
            "report", "d", "--period", "2025-W10", "--format", "csv", "-q",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = parse_csv(&out.stdout);
    let n = rows
        .iter()
        .find(|r| r["metric"] == "csat_responses")
        .unwrap();
    assert_eq!(n["value"], "2");
    // A survey export whose id and time the config maps is read, not skipped: 2 of
    // 3 scores satisfied.
    std::fs::create_dir(wd.path("m")).unwrap();
    wd.write(
        "m/export_q1.csv",
        b"Resp,When,csat\nr1,2025-03-03,5\nr2,2025-03-04,2\nr3,2025-03-05,4\n",
    );
    wd.write(
        "cx.toml",
        b"[map.surveys]\nresponse_id = \"Resp\"\nsubmitted_at = \"When\"\n",
    );
    let out = wd
        .cxm()
        .args(["report", "m", "--config", "cx.toml", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = parse_csv(&out.stdout);
    let pct = rows.iter().find(|r| r["metric"] == "csat_pct").unwrap();
    assert_eq!(pct["value"], "66.6667");
    // A folder of figures alone stops, saying why.
    std::fs::create_dir(wd.path("f")).unwrap();
    wd.write("f/weekly.csv", b"week,tickets,csat\n2025-W01,120,4\n");
    let out = wd.cxm().args(["report", "f"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("f/weekly.csv: scores without a response id"),
        "{err}"
    );
    // The config's map of a response id alone tells a survey file.
    std::fs::create_dir(wd.path("r")).unwrap();
    wd.write("r/feedback.csv", b"Resp,Score\nr1,5\nr2,2\n");
    wd.write(
        "rc.toml",
        b"[map.surveys]\nresponse_id = \"Resp\"\ncsat = \"Score\"\n",
    );
    let out = wd
        .cxm()
        .args(["report", "r", "--config", "rc.toml", "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = parse_csv(&out.stdout);
    let pct = rows.iter().find(|r| r["metric"] == "csat_pct").unwrap();
    assert_eq!(pct["value"], "50");
}

/// A saved report's `output = "-"` is stdout wherever the config sits (it wrote a
/// file `sub/-` when the config was given as `sub/r.toml`), and an output name cxm
/// does not write is named as the saved key at its line, not as an `-o` never given.
#[test]
fn a_saved_output_dash_is_stdout_and_its_errors_name_the_key() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("sub")).unwrap();
    wd.write(
        "sub/tickets.csv",
        b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z\nT2,2025-03-04T09:00:00Z\n",
    );
    wd.write(
        "sub/r.toml",
        b"[reports.w]\ndir = \".\"\nperiod = \"2025-03\"\nformat = \"csv\"\noutput = \"-\"\n\
[reports.z]\ndir = \".\"\nperiod = \"2025-03\"\noutput = \"w.csv.bz2\"\n",
    );
    let out = wd
        .cxm()
        .args(["report", "--config", "sub/r.toml", "w", "-q"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows = parse_csv(&out.stdout);
    let tickets = rows.iter().find(|r| r["metric"] == "tickets").unwrap();
    assert_eq!(tickets["value"], "2");
    assert!(!wd.path("sub/-").exists());
    let out = wd
        .cxm()
        .args(["report", "--config", "sub/r.toml", "z"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains(
            "--config sub/r.toml:9: reports.z.output 'sub/w.csv.bz2': cxm does not write .bz2"
        ),
        "{err}"
    );
}

/// A ticket export's own CSAT read as the surveys section is filtered by each file's
/// own spelling of a `--where` column: B1 (`REGION` UP) rated 4, satisfied (it was
/// filtered by tickets_b.csv's `region`, keeping no response).
#[test]
fn own_csat_is_filtered_by_each_files_spelling() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("e")).unwrap();
    wd.write(
        "e/tickets_a.csv",
        b"ticket_id,created_at,customer_id,CSAT,region\nA1,2025-01-01T00:00:00Z,C1,5,n\n",
    );
    wd.write(
        "e/tickets_b.csv",
        b"ticket_id,created_at,customer_id,CSAT,region,REGION\nB1,2025-01-02T00:00:00Z,C2,4,lo,UP\n",
    );
    let rows = wd.csv_rows(&["report", "e", "--where", "REGION=UP", "-q"]);
    let value = |section: &str, metric: &str| {
        (rows.iter())
            .find(|r| r["section"] == section && r["metric"] == metric)
            .map(|r| r["value"].clone())
    };
    assert_eq!(value("tickets", "tickets").as_deref(), Some("1"));
    assert_eq!(value("surveys", "csat_responses").as_deref(), Some("1"));
    assert_eq!(value("surveys", "csat_pct").as_deref(), Some("100"));
}

/// cxm's own tables in a data folder are skipped as cxm's: a `churn --cohorts` table
/// (named like subscriptions, it stopped the run) and `inspect`'s CSV (of one file,
/// and of several with `file` first). The report equals the one without them:
/// 3 customers, C2 churned in March.
#[test]
fn cohort_and_inspect_tables_in_a_folder_are_skipped_as_cxms() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("m")).unwrap();
    wd.write(
        "m/subscriptions.csv",
        b"customer_id,plan,start_date,end_date,mrr\nC1,basic,2025-01-01,,10\nC2,pro,2025-01-05,2025-03-01,20\nC3,pro,2025-02-05,,30\n",
    );
    let args = [
        "report",
        "m",
        "--format",
        "csv",
        "--now",
        "2025-06-01T00:00:00Z",
    ];
    let clean = wd.cxm().args(args).output().unwrap();
    assert_eq!(clean.status.code(), Some(0));
    wd.write(
        "m/subscriptions_cohorts.csv",
        b"cohort,age,customers,active,retention_pct,mrr_start,mrr,net_mrr_retention_pct\n2025-01,0,2,2,100,30,30,100\n",
    );
    wd.write(
        "m/subscriptions_inspect.csv",
        b"column,field,type,format,empty,example\ncustomer_id,customer_id,text,,0,C1\n",
    );
    wd.write(
        "m/tickets_inspect.csv",
        b"file,column,field,type,format,empty,example\nt.csv,ticket_id,ticket_id,integer,,0,1\n",
    );
    let out = wd.cxm().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(out.stdout, clean.stdout);
    assert!(
        err.contains("subscriptions_cohorts.csv: skipped, a table of metrics cxm wrote"),
        "{err}"
    );
    for name in ["subscriptions_inspect.csv", "tickets_inspect.csv"] {
        assert!(
            err.contains(&format!("{name}: skipped, a table cxm inspect wrote")),
            "{err}"
        );
    }
}

/// A row of a ticket export that both readings reject alike (its `created_at`, read
/// again for its own CSAT) is listed once in the `--rejects` file: T2 once, T3's
/// off-scale score once.
#[test]
fn a_row_both_readings_reject_is_listed_once() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("z")).unwrap();
    wd.write(
        "z/tickets.csv",
        b"ticket_id,created_at,first_response_at,team,CSAT\nT1,2025-03-03T08:00:00Z,2025-03-03T09:00:00Z,a,5\nT2,bad,2025-03-03T09:00:00Z,a,4\nT3,2025-03-03T10:00:00Z,2025-03-03T11:00:00Z,b,9\n",
    );
    let out = wd
        .cxm()
        .args(["report", "z", "--rejects", "r.csv", "-o", "out.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rows = parse_csv(&std::fs::read(wd.path("r.csv")).unwrap());
    let listed: Vec<(&str, &str)> = (rows.iter())
        .map(|r| (r["line"].as_str(), r["column"].as_str()))
        .collect();
    assert_eq!(listed, [("3", "created_at"), ("4", "CSAT")]);
}

/// A `churn --cohorts` table of subscriptions without MRR (one metric name,
/// `retention_pct`) in a data folder is skipped as cxm's: it stopped `churn DIR`
/// ("concatenated files must map to the same fields"). 3 customers, one churned.
#[test]
fn a_cohort_table_without_mrr_in_a_folder_is_skipped_as_cxms() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("c")).unwrap();
    wd.write(
        "c/subscriptions.csv",
        b"customer_id,start_date,end_date\nc1,2025-01-05,\nc2,2025-01-10,2025-03-01\nc3,2025-02-03,\n",
    );
    wd.write(
        "c/cohorts.csv",
        b"cohort,age,customers,active,retention_pct\n2025-01,0,2,2,100\n",
    );
    wd.write(
        "c/cohorts_by_plan.csv",
        b"plan,cohort,age,customers,active,retention_pct\nbasic,2025-01,0,1,1,100\n",
    );
    let out = wd
        .cxm()
        .args([
            "churn",
            "c",
            "--now",
            "2025-04-01T00:00:00Z",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("c/cohorts.csv: skipped, a table of metrics cxm wrote"),
        "{err}"
    );
    assert!(
        err.contains("c/cohorts_by_plan.csv: skipped, a table of metrics cxm wrote"),
        "{err}"
    );
    let rows = parse_csv(&out.stdout);
    let churned: u32 = rows
        .iter()
        .map(|r| r["churned"].parse::<u32>().unwrap())
        .sum();
    assert_eq!(churned, 1);
}

/// A previous window without surveys: the warning counts the scores it sums (two
/// responses of a CSAT, a CES and an NPS score each: 6), saying so; it called them
/// 6 responses.
#[test]
fn an_empty_previous_window_counts_survey_scores_as_such() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("m")).unwrap();
    wd.write(
        "m/surveys.csv",
        b"response_id,submitted_at,csat,ces,nps\nR1,2025-03-10T10:00:00Z,5,6,10\nR2,2025-03-11T10:00:00Z,4,7,9\n",
    );
    let out = wd
        .cxm()
        .args([
            "report",
            "m",
            "--period",
            "2025-W11",
            "--compare",
            "previous",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("holds none of the survey scores (CSAT, CES and NPS counted apart), where this one holds 6"),
        "{err}"
    );
}

/// A Markdown or terminal-table report written into the folder under a data name
/// would stop the next run (read as a tickets file): refused before the run, as a
/// rejects file there is; under a name the reader does not take (`.md`), written.
#[test]
fn a_markdown_report_under_a_data_name_in_the_folder_is_refused() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at\n1,2025-03-03T09:00:00Z\n",
    );
    for format in ["markdown", "table"] {
        let out = wd
            .cxm()
            .args([
                "report",
                "d",
                "--format",
                format,
                "-o",
                "d/tickets_week.csv",
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("d is an input folder"), "{err}");
        assert!(!wd.path("d/tickets_week.csv").exists());
    }
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "markdown", "-o", "d/week.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = wd
        .cxm()
        .args(["report", "d", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

/// Ticket options given to a report with no tickets (nor a log) change nothing:
/// said. With tickets, nothing is said.
#[test]
fn ticket_options_without_tickets_are_said_unused() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"customer_id,start_date,end_date,mrr\nA,2025-01-01,,10\nB,2025-01-01,2025-02-10,20\n",
    );
    let out = (wd.cxm())
        .args([
            "report",
            "--subscriptions",
            "s.csv",
            "--sla",
            "5m",
            "--keep",
            "first",
        ])
        .args(["--format", "csv", "--now", "2025-03-01T00:00:00Z"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--sla, --keep: no tickets (nor an event log) in this report, so not used"),
        "{err}"
    );
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at\nT1,2025-01-06T09:00:00Z,2025-01-06T09:10:00Z\n",
    );
    let out = (wd.cxm())
        .args([
            "report",
            "--tickets",
            "t.csv",
            "--sla",
            "5m",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("not used"),
        "{out:?}"
    );
}
