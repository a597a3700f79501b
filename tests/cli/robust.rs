//! Robustness: `--rejects` files and repeated ticket ids (`--keep`).

use crate::common::{assert_empty, assert_num, parse_csv, Workdir};

// Q1's note spans lines 2-3, so Q2 starts on line 4 and Q3 on line 5.
const MESSY: &[u8] = b"ticket_id,created_at,first_response_at,note
Q1,2025-03-01T10:00:00Z,2025-03-01T10:30:00Z,\"two
lines\"
Q2,bad,2025-03-01T10:30:00Z,=cmd
Q3,2025-03-01T10:00:00Z,2025-03-01T09:00:00Z,x
";

#[test]
fn rejects_file_lists_every_rejected_value_with_its_row() {
    let wd = Workdir::new();
    wd.write("messy.csv", MESSY);
    let out = wd
        .cxm()
        .args([
            "tickets",
            "messy.csv",
            "--rejects",
            "rejects.csv",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rejects = std::fs::read_to_string(wd.path("rejects.csv")).unwrap();
    assert_eq!(
        rejects,
        "file,line,reason,column,value,ticket_id,created_at,first_response_at,note\n\
         messy.csv,4,unparseable timestamp,created_at,bad,Q2,bad,2025-03-01T10:30:00Z,'=cmd\n\
         messy.csv,5,negative duration,first_response_at,2025-03-01T09:00:00Z,Q3,2025-03-01T10:00:00Z,2025-03-01T09:00:00Z,x\n"
    );
    // Q2 is rejected whole; Q1 and Q3 count, only Q1 responded.
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["tickets"], "2");
    assert_eq!(rows[0]["responded"], "1");

    // --strict fails, and the rejects file is still written for the post-mortem.
    std::fs::remove_file(wd.path("rejects.csv")).unwrap();
    let out = wd
        .cxm()
        .args([
            "tickets",
            "messy.csv",
            "--strict",
            "--rejects",
            "rejects.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        std::fs::read_to_string(wd.path("rejects.csv")).unwrap(),
        rejects
    );

    // Nothing rejected: a header-only file, so a cron job never reads a stale one.
    wd.write("clean.csv", b"ticket_id,created_at\nA,2025-03-01\n");
    wd.cxm()
        .args(["tickets", "clean.csv", "--rejects", "rejects.csv"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(wd.path("rejects.csv")).unwrap(),
        "file,line,reason,column,value,ticket_id,created_at\n"
    );
}

/// Columns a file names alike (two unnamed trailing columns, a name twice) are each
/// kept in the rejects file, and a second file's own columns come after the first's.
#[test]
fn rejects_file_keeps_columns_named_alike() {
    let wd = Workdir::new();
    wd.write(
        "a.csv",
        b"ticket_id,created_at,note,note,,\nA1,2025-03-01 10:00,n1,n2,x,y\nA2,soon,m1,m2,p,q\n",
    );
    wd.write(
        "b.csv",
        b"ticket_id,created_at,,extra\nB0,2025-03-02 09:00,w,f\nB1,later,z,e\n",
    );
    wd.cxm()
        .args(["tickets", "a.csv", "b.csv", "--rejects", "r.csv", "-q"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(wd.path("r.csv")).unwrap(),
        "file,line,reason,column,value,ticket_id,created_at,note,note,,,extra\n\
         a.csv,3,unparseable timestamp,created_at,soon,A2,soon,m1,m2,p,q,\n\
         b.csv,3,unparseable timestamp,created_at,later,B1,later,,,z,,e\n"
    );
}

/// A run stopped before any row is judged (a file that cannot be read, exit 3)
/// leaves no rejected row in the rejects file, not the previous run's; a file there
/// that is not a rejects file is left alone.
#[test]
fn a_file_that_cannot_be_read_leaves_no_stale_rejects() {
    let wd = Workdir::new();
    wd.write("messy.csv", MESSY);
    wd.write("broken.csv", b"ticket_id,created_at\nT1,\"2025-03-01\n");
    wd.cxm()
        .args(["tickets", "messy.csv", "--rejects", "r.csv", "-q"])
        .assert()
        .success();
    let before = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert_eq!(before.lines().count(), 3, "{before}");
    wd.write("notes.csv", b"mine\n");
    for (rejects, left) in [
        ("r.csv", "file,line,reason,column,value\n"),
        ("notes.csv", "mine\n"),
    ] {
        let out = wd
            .cxm()
            .args(["tickets", "broken.csv", "--rejects", rejects])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(std::fs::read_to_string(wd.path(rejects)).unwrap(), left);
    }
}

/// In a file whose lines end with a lone CR (old Mac exports), a CR inside a quoted
/// field is a line break too: T2 starts on line 4, after T1's two lines.
#[test]
fn lines_of_a_cr_file_count_its_quoted_breaks() {
    let wd = Workdir::new();
    wd.write(
        "cr.csv",
        b"ticket_id,created_at,team\r1,2025-01-01T00:00:00Z,\"a\rb\"\r2,bad,x\r3,2025-01-01T00:00:00Z,c\r",
    );
    let out = wd
        .cxm()
        .args(["tickets", "cr.csv", "--rejects", "r.csv", "--by", "team"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("cr.csv:4"), "{err}");
    let rejects = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert!(
        rejects.contains("\ncr.csv,4,unparseable timestamp,created_at,bad,2,bad,x\n"),
        "{rejects}"
    );
    // The team of T1 is its two lines.
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows[0]["team"], "a\nb");
}

/// A CR-ended file whose first line is longer than the 64 KiB looked at first (a
/// wide header) is still read line by line: three tickets, not a header alone.
#[test]
fn a_cr_file_with_a_long_first_line_reads_its_rows() {
    let wd = Workdir::new();
    let wide = "n".repeat(70_000);
    let text = format!(
        "ticket_id,created_at,{wide}\rT1,2025-01-01T00:00:00Z,a\rT2,2025-01-02T00:00:00Z,b\rT3,BAD,c\rT4,2025-01-03T00:00:00Z,d\r"
    );
    wd.write("wide.csv", text.as_bytes());
    let out = wd
        .cxm()
        .args(["tickets", "wide.csv", "--format", "csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("wide.csv:4"), "{err}");
    assert_eq!(parse_csv(&out.stdout)[0]["tickets"], "3");
}

#[test]
fn survey_rejects_file() {
    let wd = Workdir::new();
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat\nR1,2025-03-01,5\nR2,2025-03-01,9\nR3,,4\nR4,2025-03-02,\n",
    );
    wd.cxm()
        .args(["surveys", "s.csv", "--rejects", "r.csv", "-q"])
        .assert()
        .success();
    // R2: 9 is off the 1-5 scale; R3: a score without a date; R4: no score, not a response.
    assert_eq!(
        std::fs::read_to_string(wd.path("r.csv")).unwrap(),
        "file,line,reason,column,value,response_id,submitted_at,csat\n\
         s.csv,3,score out of scale,csat,9,R2,2025-03-01,9\n\
         s.csv,4,missing required value,submitted_at,,R3,,4\n"
    );
}

// D1 appears three times: line 2 (team A, reply after 1 h), line 4 (B, 15 min), line 6
// (B, 2 h); D2 (A, 30 min) and D3 (B, no reply) once.
const DUPS: &[u8] = b"ticket_id,created_at,first_response_at,team
D1,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z,A
D2,2025-03-01T10:00:00Z,2025-03-01T10:30:00Z,A
D1,2025-03-01T10:00:00Z,2025-03-01T10:15:00Z,B
D3,2025-03-01T10:00:00Z,,B
D1,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z,B
";

fn by_team(
    wd: &Workdir,
    args: &[&str],
) -> (Vec<std::collections::HashMap<String, String>>, String) {
    let out = wd
        .cxm()
        .args(["tickets", "--by", "team", "--format", "csv"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        parse_csv(&out.stdout),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn repeated_ticket_ids_keep_last_first_or_all() {
    let wd = Workdir::new();
    wd.write("dups.csv", DUPS);
    // last (default): D1 from line 6 (B, 2 h), D2 (A), D3 (B).
    let (rows, err) = by_team(&wd, &["dups.csv"]);
    assert_eq!(
        (rows[0]["team"].as_str(), rows[0]["tickets"].as_str()),
        ("A", "1")
    );
    assert_num(&rows[0], "first_response_mean_hours", 0.5);
    assert_eq!(
        (rows[1]["team"].as_str(), rows[1]["tickets"].as_str()),
        ("B", "2")
    );
    assert_num(&rows[1], "first_response_mean_hours", 2.0);
    assert!(
        err.contains("2 rows: repeated id, dropped (the last row of each id is kept) for ticket_id (first at dups.csv:2, column 'ticket_id', value 'D1')"),
        "{err}"
    );
    // first: D1 from line 2 (A, 1 h): A has 1 h and 0.5 h; B only D3.
    let (rows, err) = by_team(&wd, &["dups.csv", "--keep", "first"]);
    assert_eq!(rows[0]["tickets"], "2");
    assert_num(&rows[0], "first_response_mean_hours", 0.75);
    assert_eq!(rows[1]["tickets"], "1");
    assert_empty(&rows[1], "first_response_mean_hours");
    assert!(err.contains("(first at dups.csv:4,"), "{err}");
    // all: every row counts; B has 15 min and 2 h.
    let (rows, err) = by_team(&wd, &["dups.csv", "--keep", "all"]);
    assert_eq!(rows[1]["tickets"], "3");
    assert_num(&rows[1], "first_response_mean_hours", 1.125);
    assert_eq!(err, "");
    // Duplicates are not rejects: --strict does not fail on them.
    wd.cxm()
        .args(["tickets", "dups.csv", "--strict", "-q"])
        .assert()
        .success();
}

#[test]
fn overlapping_exports_keep_the_later_file() {
    // Two exports overlap on E2: the later file's row (reply after 2 h) wins.
    let wd = Workdir::new();
    wd.write(
        "jan.csv",
        b"ticket_id,created_at,first_response_at,team\nE1,2025-01-30T10:00:00Z,2025-01-30T10:30:00Z,A\nE2,2025-01-31T10:00:00Z,,A\n",
    );
    wd.write(
        "feb.csv",
        b"ticket_id,created_at,first_response_at,team\nE2,2025-01-31T10:00:00Z,2025-01-31T12:00:00Z,A\nE3,2025-02-01T10:00:00Z,2025-02-01T11:00:00Z,A\n",
    );
    let (rows, err) = by_team(&wd, &["jan.csv", "feb.csv"]);
    assert_eq!(rows[0]["tickets"], "3");
    assert_eq!(rows[0]["responded"], "3");
    // 0.5, 2 and 1 h.
    assert_num(&rows[0], "first_response_mean_hours", 3.5 / 3.0);
    // The dropped row is jan.csv's E2 on line 3; with --keep first, feb.csv's on line 2.
    assert!(
        err.contains("1 row: repeated id, dropped (the last row of each id is kept) for ticket_id (first at jan.csv:3, column 'ticket_id', value 'E2')"),
        "{err}"
    );
    let (_, err) = by_team(&wd, &["jan.csv", "feb.csv", "--keep", "first"]);
    assert!(err.contains("(first at feb.csv:2,"), "{err}");
}

#[test]
fn every_row_is_accounted_for() {
    let wd = Workdir::new();
    // Tickets: G1 twice (the first copy is a duplicate), G2, G3 (its bad reply time is a
    // rejected value, the row still counts), no id, a bad creation time, a blank line.
    wd.write(
        "t.csv",
        b"ticket_id,created_at,first_response_at
G1,2025-03-01T10:00:00Z,2025-03-01T10:30:00Z
G2,2025-03-01T11:00:00Z,
,2025-03-01T12:00:00Z,
G3,2025-03-01T13:00:00Z,soon
G4,later,

G1,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z
",
    );
    assert_eq!(
        wd.accounting(&["tickets", "t.csv"]),
        "cxm: t.csv: 6 rows read = 3 used + 2 rejected + 1 duplicates; 1 row blank in every column read, skipped"
    );
    // Surveys: R1 used; R2 off scale; R3 no score; R4 used (its NPS 11 is a rejected
    // value); R5 a score with an unreadable date.
    wd.write(
        "s.csv",
        b"response_id,submitted_at,csat,nps
R1,2025-03-01,5,
R2,2025-03-01,9,
R3,2025-03-01,,
R4,2025-03-02,4,11
R5,someday,3,
",
    );
    assert_eq!(
        wd.accounting(&["surveys", "s.csv"]),
        "cxm: s.csv: 5 rows read = 2 used + 2 rejected + 1 without a score"
    );
    // Subscriptions: C2 ends before it starts, C3 has no start.
    wd.write(
        "c.csv",
        b"customer_id,start_date,end_date
C1,2025-01-01,
C2,2025-03-01,2025-02-01
C3,,2025-02-01
C4,2025-02-01,2025-04-01
",
    );
    assert_eq!(
        wd.accounting(&["churn", "c.csv"]),
        "cxm: c.csv: 4 rows read = 2 used + 2 rejected"
    );
    // Snapshot: yes, no, an unknown flag, a blank flag (rejected, as a missing value).
    wd.write(
        "k.csv",
        b"customer_id,churned\nK1,Yes\nK2,No\nK3,maybe\nK4,\n",
    );
    assert_eq!(
        wd.accounting(&["churn", "k.csv"]),
        "cxm: k.csv: 4 rows read = 2 used + 2 rejected"
    );
}

#[test]
fn cxm_never_writes_to_its_inputs() {
    let wd = Workdir::new();
    let original = b"ticket_id,created_at\nA,2025-03-01\nB,bad\n";
    wd.write("t.csv", original);
    for args in [
        &["tickets", "t.csv", "-o", "t.csv"][..],
        &["tickets", "t.csv", "--rejects", "./t.csv"],
        &["report", "--tickets", "t.csv", "-o", "t.csv"],
    ] {
        let out = wd.cxm().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cxm never writes to its inputs"));
        assert_eq!(std::fs::read(wd.path("t.csv")).unwrap(), original);
    }
}

/// `report --rejects` merges every section's rejected rows into one file, under the
/// union of the headers; `--keep` reaches the tickets section.
#[test]
fn report_rejects_from_every_section_in_one_file() {
    let wd = Workdir::new();
    std::fs::create_dir(wd.path("d")).unwrap();
    // K1 twice (line 2: 1 h reply; line 4: no reply), K2 with a bad created_at.
    wd.write(
        "d/tickets.csv",
        b"ticket_id,created_at,first_response_at\n\
          K1,2025-03-03T10:00:00Z,2025-03-03T11:00:00Z\n\
          K2,soon,\n\
          K1,2025-03-03T10:00:00Z,\n",
    );
    wd.write(
        "d/surveys.csv",
        b"response_id,submitted_at,csat\nR1,2025-03-03,5\nR2,2025-03-04,8\n",
    );
    wd.write(
        "d/subscriptions.csv",
        b"customer_id,start_date,end_date\nC1,2025-01-01,2025-02-01\nC2,2025-01-01,someday\n",
    );
    let run = |keep: &str| {
        let rows = wd.csv_rows(&[
            "report",
            "d",
            "--since",
            "2025-03-01",
            "--until",
            "2025-04-01",
            "--keep",
            keep,
            "--rejects",
            "r.csv",
        ]);
        let responded = rows
            .iter()
            .find(|r| r["section"] == "tickets" && r["metric"] == "responded")
            .map(|r| r["value"].clone());
        (
            responded,
            std::fs::read_to_string(wd.path("r.csv")).unwrap(),
        )
    };
    let (first, rejects) = run("first");
    let (last, _) = run("last");
    // First K1 responded, the last did not.
    assert_eq!(first.as_deref(), Some("1"));
    assert_eq!(last.as_deref(), Some("0"));
    let every_section = "file,line,reason,column,value,ticket_id,created_at,first_response_at,response_id,submitted_at,csat,customer_id,start_date,end_date\n\
         d/tickets.csv,3,unparseable timestamp,created_at,soon,K2,soon,,,,,,,\n\
         d/surveys.csv,3,score out of scale,csat,8,,,,R2,2025-03-04,8,,,\n\
         d/subscriptions.csv,3,unparseable timestamp,end_date,someday,,,,,,,C2,2025-01-01,someday\n";
    assert_eq!(rejects, every_section);
    // --strict fails the run once every section has run: the file holds them all.
    wd.cxm()
        .args(["report", "d", "--strict", "--rejects", "r.csv", "-q"])
        .assert()
        .code(3);
    assert_eq!(
        std::fs::read_to_string(wd.path("r.csv")).unwrap(),
        every_section
    );
}

/// Rejects found in the main pass are located there, block by block: in a file of
/// three 8 MB blocks whose first block holds a blank line and a quoted reply of
/// two lines (so records and lines differ), a bad time in the last block and a
/// repeated id's later copy in the second (dropped by `--keep first`) are named at
/// the lines the file has them (counted here as written), with and without
/// `--rejects` (which reads the file again for every rejected row).
#[test]
fn rejects_in_later_blocks_are_located_at_their_lines() {
    let wd = Workdir::new();
    let mut text = String::from("ticket_id,created_at,team,note\n");
    let mut line = 1;
    let (mut bad_line, mut repeat_line) = (0, 0);
    let filler = "x".repeat(60);
    for i in 0..260_000 {
        match i {
            10 => {
                text.push('\n');
                line += 1;
                text.push_str(&format!("T{i},2025-03-01T10:00:00Z,a,\"two\nlines\"\n"));
                line += 2;
                continue;
            }
            150_000 => {
                text.push_str(&format!("T7,2025-03-01T10:00:00Z,b,{filler}\n"));
                line += 1;
                repeat_line = line;
                continue;
            }
            250_000 => {
                text.push_str(&format!("X{i},garbage,b,{filler}\n"));
                line += 1;
                bad_line = line;
                continue;
            }
            _ => {}
        }
        text.push_str(&format!("T{i},2025-03-01T10:00:00Z,a,{filler}\n"));
        line += 1;
    }
    assert!(text.len() > 16 << 20, "three blocks");
    wd.write("big.csv", text.as_bytes());
    for rejects in [false, true] {
        let mut cmd = wd.cxm();
        cmd.args(["tickets", "big.csv", "--by", "team", "--keep", "first"]);
        if rejects {
            cmd.args(["--rejects", "rejected.csv"]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "first at big.csv:{bad_line}, column 'created_at', value 'garbage'"
            )),
            "{err}"
        );
        assert!(
            err.contains(&format!(
                "first at big.csv:{repeat_line}, column 'ticket_id', value 'T7'"
            )),
            "{err}"
        );
    }
}

/// A row with more fields than the header is rejected whole, once: T1's negative
/// first response, unreadable resolution and reply count are not judged as well (four
/// warnings for one row, before). T2 is used.
#[test]
fn a_ragged_rows_values_are_not_judged() {
    let wd = Workdir::new();
    wd.write(
        "rag.csv",
        b"ticket_id,created_at,first_response_at,resolved_at,agent_replies\n\
          T1,2025-01-01T10:00:00Z,2025-01-01T09:00:00Z,soon,x,EXTRA\n\
          T2,2025-01-01T10:00:00Z,2025-01-01T11:00:00Z,,1\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "rag.csv", "-v", "--rejects", "r.csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 rows read = 1 used + 1 rejected"), "{err}");
    assert_eq!(err.matches("warning: ").count(), 1, "{err}");
    assert!(err.contains("more fields than the header"), "{err}");
    let rejected = std::fs::read_to_string(wd.path("r.csv")).unwrap();
    assert_eq!(
        rejected.lines().count(),
        2,
        "a header and T1 once: {rejected}"
    );
}

/// A ragged row has no say in how a column is read. T4's `29,50` (a decimal comma)
/// sits in a row with a field beyond the header: the other rows' `1.200` keep their
/// decimal point (1.2 minutes, 0.02 h), not twelve hundred minutes. A ragged row's
/// day-first `25/01/2025` likewise leaves the other rows' `05/01/2025` month-first,
/// as `created_at` is (May 1st: resolved 24 h after April 30th), where it used to
/// stop the run for mixing day/month orders.
#[test]
fn a_ragged_row_does_not_decide_how_columns_are_read() {
    let wd = Workdir::new();
    wd.write(
        "rag.csv",
        b"ticket_id,created_at,first_response_minutes\n\
          T1,2025-01-01T10:00:00Z,1.200\n\
          T2,2025-01-01T10:00:00Z,1.200\n\
          T3,2025-01-01T10:00:00Z,1.200\n\
          T4,2025-01-01T10:00:00Z,\"29,50\",x\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "rag.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "tickets", 3.0);
    assert_num(&rows[0], "first_response_mean_hours", 0.02);

    wd.write(
        "days.csv",
        b"ticket_id,created_at,resolved_at\n\
          T1,04/30/2025 00:00,05/01/2025 00:00\n\
          T2,04/30/2025 00:00,05/01/2025 00:00\n\
          T3,04/30/2025 00:00,25/01/2025 00:00,x\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "days.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    assert_num(&rows[0], "tickets", 2.0);
    assert_num(&rows[0], "resolution_mean_hours", 24.0);
}

/// Where the sample cannot tell day/month order, every row is read to tell it, but a
/// ragged row still has no say: T3's day-first `25/01/2025` does not decide for T1's
/// and T2's dates, which read both ways, so the run stops asking for the order.
/// A file of one usable row beside another file (o3: T9, and a ragged T10) reads its
/// stray `pending` as a stray of the other file's format, as a one-row file does.
/// An extra field of spaces only (`, `) is blank, not a field beyond the header.
#[test]
fn a_ragged_row_has_no_say_past_the_sample_either() {
    let wd = Workdir::new();
    wd.write(
        "d1.csv",
        b"ticket_id,created_at\nT1,05/01/2025 09:00\nT2,06/02/2025 10:00\nT3,25/01/2025 10:00,extra\n",
    );
    let out = wd.cxm().args(["tickets", "d1.csv"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("day/month order is ambiguous"), "{err}");

    wd.write(
        "o1.csv",
        b"ticket_id,created_at,resolved_at\nT1,2025-03-03T09:00:00Z,2025-03-03T10:00:00Z\nT2,2025-03-03T09:00:00Z,2025-03-03T12:00:00Z\n",
    );
    wd.write(
        "o3.csv",
        b"ticket_id,created_at,resolved_at\nT9,2025-03-04T09:00:00Z,pending\nT10,2025-03-04T09:00:00Z,2025-03-04T10:00:00Z,extra\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "o1.csv", "o3.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rows = parse_csv(&out.stdout);
    // T1, T2 and T9 (its resolution rejected); resolutions 1 h and 3 h.
    assert_num(&rows[0], "tickets", 3.0);
    assert_num(&rows[0], "resolved", 2.0);
    assert_num(&rows[0], "resolution_mean_hours", 2.0);

    wd.write(
        "sp.csv",
        b"ticket_id,created_at\nT1,2025-03-03T09:00:00Z, \nT2,2025-03-03T09:00:00Z,\n",
    );
    let out = wd
        .cxm()
        .args(["tickets", "sp.csv", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    assert_num(&parse_csv(&out.stdout)[0], "tickets", 2.0);
}

/// A Windows-1252 file whose first accented byte falls two bytes before the end of
/// the 64 KiB judged (`é` then `z`) is read as Windows-1252, as anywhere else: that
/// byte begins no UTF-8 character the end cut off, since `z` follows it.
#[test]
fn a_windows_1252_byte_near_the_judged_starts_end_is_told() {
    let wd = Workdir::new();
    let header = b"ticket_id,created_at,team\n";
    let row = b"T1,2025-01-01T10:00:00Z,";
    // `é` two bytes and one byte before the end of the 64 KiB (65,536 bytes), alone
    // or as `é€`, `ðŸ`: the byte after (in the file, past the end too) tells.
    for (at, high) in [
        (65534, b"\xe9".as_slice()),
        (65535, b"\xe9"),
        (65534, b"\xe9\x80"),
        (65534, b"\xf0\x9f"),
    ] {
        let pad = at - header.len() - row.len();
        let mut bytes = [header.as_slice(), row].concat();
        bytes.extend(std::iter::repeat_n(b'a', pad));
        bytes.extend_from_slice(high);
        bytes.extend_from_slice(b"z\nT2,2025-01-02T10:00:00Z,caf\xe9\n");
        wd.write("t.csv", &bytes);
        let (out, err) = wd.csv_and_stderr(&["tickets", "t.csv", "--by", "team"]);
        assert!(
            err.contains("not UTF-8, so read as Windows-1252"),
            "{at}: {err}"
        );
        let rows = parse_csv(&out);
        assert!(rows.iter().any(|r| r["team"] == "café"), "{rows:?}");
    }
}
